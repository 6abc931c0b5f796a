//! SQLite storage of the emulator: schema, connection, transactions, SQL functions.
//!
//! One connection behind a mutex: every GraphQL resolver takes it for a short, synchronous
//! piece of work. Each mutation call runs in one transaction (all or nothing). Every write
//! bumps a generation counter that invalidates the seek cache.

pub mod asset_filter;
pub mod asset_query;
pub mod fixtures;
pub mod generate;
pub mod rows;
pub mod seek_cache;
pub mod writes;

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use parking_lot::Mutex;
use rusqlite::functions::FunctionFlags;
use rusqlite::Connection;

use crate::time::Clock;

/// Errors of the storage layer, shown to clients as GraphQL errors.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Forbidden(String),
}

impl StoreError {
    /// The `extensions.code` this error carries on the wire.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Sql(_) => "INTERNAL_SERVER_ERROR",
            StoreError::Invalid(_) => "BAD_USER_INPUT",
            StoreError::NotFound(_) => "NOT_FOUND",
            StoreError::Forbidden(_) => "FORBIDDEN",
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

const DDL: &str = r#"
CREATE TABLE IF NOT EXISTS organizations(id TEXT PRIMARY KEY, name TEXT, upload_local_data INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS users(id TEXT PRIMARY KEY, email TEXT NOT NULL, firstname TEXT, lastname TEXT,
  organization_id TEXT, activated INTEGER NOT NULL DEFAULT 1);
CREATE INDEX IF NOT EXISTS users_email ON users(email);
CREATE TABLE IF NOT EXISTS api_keys(id TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL,
  name TEXT, created_at TEXT, expiry_date TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS tags(id TEXT PRIMARY KEY, organization_id TEXT, label TEXT NOT NULL, color TEXT);
CREATE TABLE IF NOT EXISTS projects(id TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT,
  input_type TEXT NOT NULL, json_interface TEXT, workflow_version TEXT NOT NULL, created_at TEXT NOT NULL,
  updated_at TEXT, archived INTEGER NOT NULL DEFAULT 0, starred INTEGER NOT NULL DEFAULT 0,
  consensus_tot_coverage INTEGER, min_consensus_size INTEGER, review_coverage INTEGER, organization_id TEXT);
CREATE TABLE IF NOT EXISTS project_tags(project_id TEXT NOT NULL, tag_id TEXT NOT NULL, PRIMARY KEY(project_id, tag_id));
CREATE TABLE IF NOT EXISTS project_members(id TEXT PRIMARY KEY, project_id TEXT NOT NULL, user_id TEXT NOT NULL,
  role TEXT, activated INTEGER NOT NULL DEFAULT 1);
CREATE INDEX IF NOT EXISTS members_user ON project_members(user_id, project_id);
CREATE TABLE IF NOT EXISTS steps(id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL, type TEXT,
  step_group_name TEXT, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS data_connections(id TEXT PRIMARY KEY, project_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS assets(id TEXT PRIMARY KEY, project_id TEXT NOT NULL, external_id TEXT NOT NULL,
  content TEXT NOT NULL DEFAULT '', json_content TEXT, json_metadata TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL, updated_at TEXT, status TEXT NOT NULL DEFAULT 'TODO',
  is_honeypot INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0, priority INTEGER NOT NULL DEFAULT 0,
  consensus_mark REAL, honeypot_mark REAL, inference_mark REAL, is_used_for_consensus INTEGER NOT NULL DEFAULT 0,
  ocr_metadata TEXT, resolution_width INTEGER, resolution_height INTEGER, page_resolutions TEXT,
  step_id TEXT, step_status TEXT, geospatial_export_metadata TEXT);
CREATE INDEX IF NOT EXISTS assets_project_created ON assets(project_id, created_at, id);
CREATE INDEX IF NOT EXISTS assets_project_external ON assets(project_id, external_id);
CREATE TABLE IF NOT EXISTS asset_assignees(asset_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY(asset_id, user_id));
CREATE TABLE IF NOT EXISTS labels(id TEXT PRIMARY KEY, asset_id TEXT NOT NULL, author_id TEXT, label_type TEXT,
  created_at TEXT NOT NULL, updated_at TEXT, json_response TEXT NOT NULL DEFAULT '{}', json_response_url TEXT,
  consensus_mark REAL, honeypot_mark REAL, inference_mark REAL, is_latest INTEGER NOT NULL DEFAULT 1,
  seconds_to_label REAL, model_name TEXT, is_sent_back_to_queue INTEGER NOT NULL DEFAULT 0,
  step_id TEXT);
CREATE INDEX IF NOT EXISTS labels_asset ON labels(asset_id, created_at);
CREATE TABLE IF NOT EXISTS issues(id TEXT PRIMARY KEY, asset_id TEXT NOT NULL, project_id TEXT, type TEXT,
  status TEXT, created_at TEXT, author_id TEXT);
CREATE INDEX IF NOT EXISTS issues_asset ON issues(asset_id);
CREATE TABLE IF NOT EXISTS notifications(id TEXT PRIMARY KEY, user_id TEXT, status TEXT NOT NULL, created_at TEXT);
CREATE TABLE IF NOT EXISTS files(path TEXT PRIMARY KEY, content_type TEXT, bytes BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS signed_urls(sig TEXT PRIMARY KEY, path TEXT NOT NULL);
"#;

/// The emulator's database. Thread-safe (`Send + Sync`); share it through an `Arc`.
pub struct Store {
    conn: Mutex<Connection>,
    generation: AtomicU64,
    /// Creation-time source for new rows.
    pub clock: Clock,
    /// Keyset positions of recently served pages, see [`seek_cache`].
    pub seek: seek_cache::SeekCache,
}

impl Store {
    /// Opens (and creates the tables of) an in-memory database, or the file at `path`.
    ///
    /// Errors: the file cannot be opened or is not an SQLite database.
    pub fn open(path: Option<&Path>) -> StoreResult<Arc<Store>> {
        let conn = match path {
            Some(p) => {
                let conn = Connection::open(p)?;
                conn.execute_batch(
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF;",
                )
                .or_else(|_| conn.execute_batch("PRAGMA synchronous=NORMAL;"))?;
                conn
            }
            None => open_memdb()?,
        };
        conn.execute_batch(DDL)?;
        register_functions(&conn)?;
        conn.set_prepared_statement_cache_capacity(256);
        Ok(Arc::new(Store {
            conn: Mutex::new(conn),
            generation: AtomicU64::new(0),
            clock: Clock::default(),
            seek: seek_cache::SeekCache::default(),
        }))
    }

    /// Runs a read on the connection.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> StoreResult<T>) -> StoreResult<T> {
        let conn = self.conn.lock();
        f(&conn)
    }

    /// Runs `f` in one transaction, committed when `f` succeeds and rolled back otherwise.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let mut conn = self.conn.lock();
        let tx = conn.transaction()?;
        let out = f(&tx)?;
        tx.commit()?;
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.seek.clear();
        Ok(out)
    }

    /// Counter bumped by every committed write.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }
}

/// Opens a private in-memory database on SQLite's `memdb` VFS.
///
/// Why not `:memory:`: its pager keeps the whole database in the page cache, and every commit
/// ends with a scan of that cache (`pcache1TruncateUnsafe`), so a commit costs time in
/// proportion to the database size. With 200k assets loaded that scan was a quarter of the
/// emulator's CPU during updates. memdb keeps the pages in its own buffer instead, and commit
/// cost stays flat as the database grows.
///
/// The name has no leading `/`, so the database is private to this connection: emulators in
/// one process never share it. memdb serves only the main database file and hands any other
/// file (journals) to the default VFS, which would create `kili-emulator-journal` in the
/// working directory; `journal_mode=MEMORY` keeps the rollback journal in memory, so nothing
/// is written to disk.
fn open_memdb() -> StoreResult<Connection> {
    let conn = Connection::open_with_flags_and_vfs(
        "kili-emulator",
        rusqlite::OpenFlags::default(),
        "memdb",
    )?;
    lift_memdb_size_limit(&conn)?;
    let mode: String = conn.query_row("PRAGMA journal_mode=MEMORY", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("memory") {
        return Err(StoreError::Invalid(format!(
            "in-memory database: journal_mode is {mode}, expected memory"
        )));
    }
    conn.execute_batch("PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF;")?;
    Ok(conn)
}

/// memdb refuses to grow a database past 1 GiB by default (`SQLITE_FULL`). The limit is
/// raised to just under 2 GiB, the largest single allocation SQLite makes (memdb keeps the
/// database in one buffer, and a larger target would make its doubling realloc fail at
/// 1 GiB instead). A generated 1M-asset project takes about 0.4 GiB; larger data sets need
/// `--db FILE`.
const MEMDB_MAX_BYTES: i64 = 0x7fff_0000;

fn lift_memdb_size_limit(conn: &Connection) -> StoreResult<()> {
    memdb_size_limit(conn, MEMDB_MAX_BYTES).map(|_| ())
}

/// Sets the memdb size limit of `conn`'s main database to `limit` (a negative value only
/// reads it) and returns the limit in force.
fn memdb_size_limit(conn: &Connection, mut limit: i64) -> StoreResult<i64> {
    // SAFETY: the handle is open and owned by `conn` for the duration of the call;
    // SQLITE_FCNTL_SIZE_LIMIT reads and writes one sqlite3_int64 through the pointer, which
    // points at a live local.
    let rc = unsafe {
        rusqlite::ffi::sqlite3_file_control(
            conn.handle(),
            c"main".as_ptr(),
            rusqlite::ffi::SQLITE_FCNTL_SIZE_LIMIT,
            (&mut limit as *mut i64).cast(),
        )
    };
    if rc != rusqlite::ffi::SQLITE_OK {
        return Err(StoreError::Invalid(format!(
            "in-memory database: cannot set the memdb size limit (sqlite code {rc})"
        )));
    }
    Ok(limit)
}

thread_local! {
    static SEARCH_CACHE: std::cell::RefCell<HashMap<String, Option<Arc<kili_category_search::Query>>>> =
        std::cell::RefCell::new(HashMap::new());
}

/// SQL function `kili_search(query, json_response)`: 1 when the label satisfies the category
/// search (parsed once per query text and thread; an unparsable query matches nothing).
fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "kili_search",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let q: String = ctx.get(0)?;
            let resp: Option<String> = ctx.get(1)?;
            let parsed = SEARCH_CACHE.with(|c| {
                let mut c = c.borrow_mut();
                if c.len() > 256 {
                    c.clear();
                }
                c.entry(q.clone())
                    .or_insert_with(|| kili_category_search::parse(&q).ok().map(Arc::new))
                    .clone()
            });
            let Some(parsed) = parsed else {
                return Ok(false);
            };
            let v: serde_json::Value = resp
                .as_deref()
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or(serde_json::Value::Null);
            Ok(parsed.evaluate(&v))
        },
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(store: &Store) -> i64 {
        store
            .read(|c| Ok(c.query_row("SELECT count(*) FROM tags", [], |r| r.get(0))?))
            .unwrap()
    }

    fn insert_tag(tx: &rusqlite::Transaction) -> StoreResult<()> {
        tx.execute("INSERT INTO tags(id, label) VALUES ('t1', 'x')", [])?;
        Ok(())
    }

    #[test]
    fn in_memory_stores_in_one_process_are_private() {
        let a = Store::open(None).unwrap();
        let b = Store::open(None).unwrap();
        a.write(insert_tag).unwrap();
        assert_eq!(count(&a), 1);
        assert_eq!(
            count(&b),
            0,
            "a second in-memory store sees the first one's rows"
        );
    }

    #[test]
    fn in_memory_store_keeps_its_journal_in_memory_and_writes_no_file() {
        let store = Store::open(None).unwrap();
        let mode: String = store
            .read(|c| Ok(c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(mode.to_ascii_lowercase(), "memory");
        // memdb hands journals to the default VFS under the database's name, relative to
        // the working directory.
        let journal = std::env::current_dir()
            .unwrap()
            .join("kili-emulator-journal");
        store
            .write(|tx| {
                insert_tag(tx)?;
                // Mid-transaction: a rollback journal on disk would exist right now.
                assert!(!journal.exists(), "journal file written: {journal:?}");
                Ok(())
            })
            .unwrap();
        assert_eq!(count(&store), 1);
    }

    #[test]
    fn in_memory_store_may_grow_to_the_raised_limit() {
        let store = Store::open(None).unwrap();
        let limit = store.read(|c| memdb_size_limit(c, -1)).unwrap();
        assert_eq!(limit, MEMDB_MAX_BYTES);
    }
}
