//! Splitting a list of items into batches closed at a number of items or a byte budget,
//! whichever comes first (the reference SDK's size-aware batcher, without its adaptive
//! budget). An item larger than the budget goes alone. Pure.

use std::ops::Range;

/// Byte budget of one mutation's payload (the reference's starting budget).
pub const MAX_BATCH_BYTES: usize = 2_000_000;

/// Consecutive ranges covering `0..sizes.len()`, each with at most `max_items` items whose
/// sizes sum to at most `max_bytes` (unless a single item exceeds it).
pub fn batches(
    sizes: impl IntoIterator<Item = usize>,
    max_items: usize,
    max_bytes: usize,
) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut bytes, mut i) = (0usize, 0usize, 0usize);
    for size in sizes {
        let count = i - start;
        if count > 0 && (count >= max_items || bytes + size > max_bytes) {
            out.push(start..i);
            start = i;
            bytes = 0;
        }
        bytes += size;
        i += 1;
    }
    if i > start {
        out.push(start..i);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::batches;

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
