//! The GraphQL schema (async-graphql, derived types with Kili's names) and its resolvers.

pub mod enums;
pub mod fast_assets;
pub mod fast_update;
pub mod inputs;
pub mod mutation;
pub mod objects;
pub mod query;
pub mod scalars;

use std::sync::Arc;

use async_graphql::{EmptySubscription, ErrorExtensions, Schema};

use crate::store::rows::UserRow;
use crate::store::{Store, StoreError};

/// The emulator's schema type.
pub type KiliSchema = Schema<query::Query, mutation::Mutation, EmptySubscription>;

/// Shared state reachable from every resolver.
pub struct AppCtx {
    pub store: Arc<Store>,
    /// `http://HOST:PORT`, for the signed URLs the server hands out.
    pub base_url: String,
}

/// Per-request data: the user the API key belongs to, if the key is valid.
#[derive(Clone)]
pub struct Viewer(pub Option<UserRow>);

/// Builds the schema over `ctx`.
pub fn build_schema(ctx: Arc<AppCtx>) -> KiliSchema {
    Schema::build(query::Query, mutation::Mutation, EmptySubscription)
        .data(ctx)
        .finish()
}

/// A GraphQL error with `extensions.code`.
pub fn error(code: &str, message: impl Into<String>) -> async_graphql::Error {
    let code = code.to_string();
    async_graphql::Error::new(message.into()).extend_with(|_, e| e.set("code", code.clone()))
}

/// Converts storage results to GraphQL results carrying `extensions.code`.
pub trait Gql<T> {
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> Gql<T> for Result<T, StoreError> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|e| error(e.code(), e.to_string()))
    }
}

/// The shared state.
pub fn app<'a>(ctx: &async_graphql::Context<'a>) -> &'a Arc<AppCtx> {
    ctx.data_unchecked::<Arc<AppCtx>>()
}

/// The authenticated user, or an `UNAUTHENTICATED` error.
pub fn viewer(ctx: &async_graphql::Context<'_>) -> async_graphql::Result<UserRow> {
    match ctx.data_opt::<Viewer>() {
        Some(Viewer(Some(u))) => Ok(u.clone()),
        _ => Err(error(
            "UNAUTHENTICATED",
            "Unauthenticated: send a valid API key in the header `Authorization: X-API-Key: <key>`",
        )),
    }
}
