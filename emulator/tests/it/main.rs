//! Integration tests of kili-emulator (one test binary, one module per concern).

mod auth;
mod bulk;
mod common;
mod differential;
mod fast_assets;
mod fast_update;
mod fast_update_body;
mod faults;
mod filters;
mod http_answers;
mod link;
mod mutations;
mod mutations_more;
mod op_cache;
mod replay;
mod schema;
