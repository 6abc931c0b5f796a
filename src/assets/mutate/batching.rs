//! Splitting a list of items into batches closed at a number of items or a byte budget,
//! whichever comes first (the reference SDK's size-aware batcher, without its adaptive
//! budget). An item larger than the budget goes alone. Pure.

use std::ops::Range;

/// Byte budget of one mutation's payload (the reference's starting budget).
pub const MAX_BATCH_BYTES: usize = 2_000_000;

/// Consecutive ranges covering `0..sizes.len()`, each with at most `max_items` items whose
/// sizes sum to at most `max_bytes` (unless a single item exceeds it): [`built`] over the
/// given sizes, ranges only.
pub fn batches(
    sizes: impl IntoIterator<Item = usize>,
    max_items: usize,
    max_bytes: usize,
) -> Vec<Range<usize>> {
    let sizes: Vec<usize> = sizes.into_iter().collect();
    built(sizes.len(), max_items, max_bytes, |i| sizes[i], |_, s| *s)
        .map(|(range, _)| range)
        .collect()
}

/// The batches of [`batches`], built on demand: item `i` is made by `build(i)` and
/// measured by `size(i, &item)`, and each batch comes with its items. A caller that sends batches as
/// they come builds the next batch's items while earlier ones are in flight, and holds only
/// the batches in flight rather than every item of the call.
pub struct Built<T, B, S> {
    next: usize,
    len: usize,
    carried: Option<(T, usize)>,
    build: B,
    size: S,
    max_items: usize,
    max_bytes: usize,
}

/// A [`Built`] over items `0..len`.
pub fn built<T, B: FnMut(usize) -> T, S: Fn(usize, &T) -> usize>(
    len: usize,
    max_items: usize,
    max_bytes: usize,
    build: B,
    size: S,
) -> Built<T, B, S> {
    Built {
        next: 0,
        len,
        carried: None,
        build,
        size,
        max_items,
        max_bytes,
    }
}

impl<T, B: FnMut(usize) -> T, S: Fn(usize, &T) -> usize> Iterator for Built<T, B, S> {
    type Item = (Range<usize>, Vec<T>);

    fn next(&mut self) -> Option<Self::Item> {
        let start = self.next - usize::from(self.carried.is_some());
        let mut items = Vec::with_capacity(self.max_items.min(self.len - start));
        let mut bytes = 0usize;
        if let Some((item, size)) = self.carried.take() {
            items.push(item);
            bytes = size;
        }
        while self.next < self.len {
            let item = (self.build)(self.next);
            let size = (self.size)(self.next, &item);
            self.next += 1;
            if !items.is_empty() && (items.len() >= self.max_items || bytes + size > self.max_bytes)
            {
                // Closes this batch; the item opens the next one.
                self.carried = Some((item, size));
                break;
            }
            bytes += size;
            items.push(item);
        }
        if items.is_empty() {
            return None;
        }
        Some((start..start + items.len(), items))
    }
}

#[cfg(test)]
mod tests {
    use super::{batches, built};

    #[test]
    fn built_batches_carry_their_items() {
        let cases: Vec<(Vec<usize>, usize, usize, Vec<std::ops::Range<usize>>)> = vec![
            (
                vec![1; 250],
                100,
                1_000_000,
                vec![0..100, 100..200, 200..250],
            ),
            (
                vec![400, 400, 400, 5000, 1],
                100,
                1000,
                vec![0..2, 2..3, 3..4, 4..5],
            ),
            (vec![], 100, 10, vec![]),
            (vec![7], 1, 1, vec![0..1]),
            (vec![3, 3, 3, 3, 3], 2, 100, vec![0..2, 2..4, 4..5]),
            (
                vec![50, 60, 5, 200, 1, 1],
                3,
                100,
                vec![0..1, 1..3, 3..4, 4..6],
            ),
        ];
        for (sizes, max_items, max_bytes, expected) in cases {
            let lazy: Vec<_> = built(
                sizes.len(),
                max_items,
                max_bytes,
                |i| (i, sizes[i]),
                |_, t| t.1,
            )
            .collect();
            assert_eq!(
                lazy.iter().map(|(r, _)| r.clone()).collect::<Vec<_>>(),
                expected,
                "{sizes:?} {max_items} {max_bytes}"
            );
            assert_eq!(batches(sizes.clone(), max_items, max_bytes), expected);
            for (r, items) in &lazy {
                assert_eq!(
                    items.iter().map(|t| t.0).collect::<Vec<_>>(),
                    r.clone().collect::<Vec<_>>()
                );
            }
        }
    }

    #[test]
    fn built_makes_items_only_when_asked() {
        let made = std::cell::Cell::new(0);
        let mut it = built(
            1000,
            100,
            usize::MAX,
            |i| {
                made.set(made.get() + 1);
                i
            },
            |_, _| 1,
        );
        assert_eq!(made.get(), 0);
        assert_eq!(it.next().unwrap().0, 0..100);
        // The batch and the one item that closed it.
        assert_eq!(made.get(), 101);
    }

    #[test]
    fn by_count_and_by_bytes() {
        assert_eq!(
            batches(vec![1; 250], 100, 1_000_000),
            vec![0..100, 100..200, 200..250]
        );
        assert_eq!(
            batches(vec![400, 400, 400, 5000, 1], 100, 1000),
            vec![0..2, 2..3, 3..4, 4..5]
        );
        assert!(batches(Vec::<usize>::new(), 100, 10).is_empty());
    }
}
