//! Seek cache: turns sequential `skip`/`first` page requests into keyset seeks.
//!
//! Deep OFFSETs are linear in SQLite. After serving the page that ends at position `n` of a
//! filter, the cache remembers the `(created_at, id)` of row `n - 1`; a later request with
//! `skip = n` (the next page) seeks past that key instead of skipping `n` rows. Any committed
//! write clears the cache (see `Store::write`), so a cached key never describes stale data.

use std::collections::{BTreeMap, HashMap};

use parking_lot::Mutex;

const MAX_FILTERS: usize = 64;

/// Map from (filter key, position) to the sort key of the row just before that position.
/// Thread-safe.
#[derive(Default)]
pub struct SeekCache {
    inner: Mutex<HashMap<String, BTreeMap<u64, (String, String)>>>,
}

impl SeekCache {
    /// The closest cached position `p <= skip` for `filter`, with the sort key before it.
    pub fn lookup(&self, filter: &str, skip: u64) -> Option<(u64, (String, String))> {
        let g = self.inner.lock();
        let m = g.get(filter)?;
        m.range(..=skip).next_back().map(|(p, k)| (*p, k.clone()))
    }

    /// Remembers that the row before position `pos` of `filter` has sort key `key`.
    pub fn store(&self, filter: &str, pos: u64, key: (String, String)) {
        let mut g = self.inner.lock();
        if g.len() >= MAX_FILTERS && !g.contains_key(filter) {
            g.clear();
        }
        let m = g.entry(filter.to_string()).or_default();
        if m.len() > 4096 {
            m.clear();
        }
        m.insert(pos, key);
    }

    /// Forgets everything (after a write).
    pub fn clear(&self) {
        self.inner.lock().clear();
    }
}
