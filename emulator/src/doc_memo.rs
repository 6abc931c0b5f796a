//! A bounded memo of what was derived from a GraphQL document, per (query text, operation
//! name): clients send the same few documents over and over (every page of a listing), so
//! parsing each time would cost as much as a tenth of a small request. Thread-safe.

use parking_lot::Mutex;
use std::collections::HashMap;

/// Entries kept before the memo is cleared (documents are few; a flood of distinct ones must
/// not grow memory).
const MAX_ENTRIES: usize = 256;

/// The entries of one query text: (operation name, value).
type PerText<T> = Vec<(Option<String>, T)>;

/// Values of type `T` per (query text, operation name). `const`-constructible, for statics.
pub struct DocMemo<T> {
    // Keyed by the query text alone so that a lookup borrows it (no copy of the document per
    // request); the few operation names of one text sit in the vector.
    map: Mutex<Option<HashMap<String, PerText<T>>>>,
}

impl<T: Clone> DocMemo<T> {
    /// An empty memo.
    pub const fn new() -> Self {
        DocMemo {
            map: Mutex::new(None),
        }
    }

    /// The value for (`query`, `operation_name`), computed by `derive` on a miss. `derive` runs
    /// without the lock held.
    pub fn get(&self, query: &str, operation_name: Option<&str>, derive: impl FnOnce() -> T) -> T {
        let hit = self.map.lock().as_ref().and_then(|m| {
            m.get(query)?
                .iter()
                .find(|(op, _)| op.as_deref() == operation_name)
                .map(|(_, v)| v.clone())
        });
        if let Some(v) = hit {
            return v;
        }
        let v = derive();
        let mut g = self.map.lock();
        let m = g.get_or_insert_with(HashMap::new);
        if m.len() >= MAX_ENTRIES {
            m.clear();
        }
        m.entry(query.to_string())
            .or_default()
            .push((operation_name.map(str::to_string), v.clone()));
        v
    }
}

impl<T: Clone> Default for DocMemo<T> {
    fn default() -> Self {
        Self::new()
    }
}
