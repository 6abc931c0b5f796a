//! Counting and paging assets through a compiled filter, in `created_at, id` order.

use rusqlite::types::Value;
use rusqlite::Connection;

use super::asset_filter::Filter;
use super::rows::{asset_from, labels_of_assets, AssetRow, ASSET_COLS, ASSET_FROM};
use super::{Store, StoreResult};

/// Number of assets matching `f`.
pub fn count(c: &Connection, f: &Filter) -> StoreResult<i64> {
    let sql = format!("SELECT COUNT(*) FROM assets a WHERE {}", f.sql);
    Ok(c.prepare_cached(&sql)?
        .query_row(rusqlite::params_from_iter(f.params.iter()), |r| r.get(0))?)
}

/// Exactly `min(first, remaining)` assets from position `skip`, oldest first; labels are
/// preloaded (one query) when `with_labels`.
pub fn page(
    store: &Store,
    c: &Connection,
    f: &Filter,
    skip: u64,
    first: u64,
    with_labels: bool,
) -> StoreResult<Vec<AssetRow>> {
    if first == 0 {
        return Ok(vec![]);
    }
    let key = f.key();
    let mut params: Vec<Value> = f.params.clone();
    let (seek_sql, offset) = match store.seek.lookup(&key, skip) {
        Some((pos, (created, id))) if pos > 0 => {
            params.push(Value::Text(created));
            params.push(Value::Text(id));
            (" AND (a.created_at, a.id) > (?, ?)", skip - pos)
        }
        _ => ("", skip),
    };
    params.push(Value::Integer(first as i64));
    params.push(Value::Integer(offset as i64));
    // The inner query walks the (project_id, created_at, id) index only (rowids), so skipped
    // rows cost no table reads or joins; the outer one loads the page's rows.
    let sql = format!(
        "SELECT {ASSET_COLS} FROM {ASSET_FROM} WHERE a.rowid IN \
         (SELECT a.rowid FROM assets a WHERE {}{seek_sql} ORDER BY a.created_at, a.id LIMIT ? OFFSET ?) \
         ORDER BY a.created_at, a.id",
        f.sql
    );
    let mut st = c.prepare_cached(&sql)?;
    let mut rows: Vec<AssetRow> = st
        .query_map(rusqlite::params_from_iter(params.iter()), asset_from)?
        .collect::<Result<_, _>>()?;
    if let Some(last) = rows.last() {
        store.seek.store(
            &key,
            skip + rows.len() as u64,
            (last.created_at.clone(), last.id.clone()),
        );
    }
    if with_labels && !rows.is_empty() {
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        let mut labels = labels_of_assets(c, &ids)?;
        for r in rows.iter_mut() {
            r.labels = Some(labels.remove(&r.id).unwrap_or_default());
        }
    }
    Ok(rows)
}
