//! Gzip of the GraphQL answers without a new compressor per response.
//!
//! tower-http's `CompressionLayer` builds a fresh deflate state for every response (miniz_oxide
//! allocates and zeroes a few hundred KB), which a profile of 10k updates put at ~9% of the
//! emulator's CPU. [`encode`] compresses with the same level (fastest) through a small pool of
//! reset compressors; [`accepts_gzip`] and [`MIN_SIZE`] mirror the layer's negotiation, so the
//! answers keep the headers the layer would give them (it leaves a response that already has a
//! `Content-Encoding` untouched).

use flate2::{Compress, Compression, Crc, FlushCompress, Status};
use parking_lot::Mutex;

/// Bodies below this size are not compressed (tower-http's `SizeAbove::DEFAULT_MIN_SIZE`).
pub const MIN_SIZE: usize = 32;

/// Compressors kept for reuse: one per concurrently compressing request is enough on the
/// machines the emulator runs on; extra ones are dropped.
const POOL_MAX: usize = 8;

static POOL: Mutex<Vec<Compress>> = Mutex::new(Vec::new());

/// Whether `Accept-Encoding` lets the answer be gzip-compressed, as tower-http decides it with
/// only gzip enabled: some `gzip`/`x-gzip` entry (any case) with no q-value or a valid q-value
/// above 0.
pub fn accepts_gzip(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get_all(axum::http::header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|s| s.split(','))
        .any(|entry| {
            let mut it = entry.splitn(2, ';');
            let enc = it.next().unwrap_or("").trim();
            if !(enc.eq_ignore_ascii_case("gzip") || enc.eq_ignore_ascii_case("x-gzip")) {
                return false;
            }
            match it.next() {
                None => true,
                Some(q) => qvalue(q.trim()).is_some_and(|q| q > 0),
            }
        })
}

/// An RFC 7231 q-value in thousandths (`q=0.5` = 500), `None` when malformed (same grammar as
/// tower-http: `q=` then `0` or `1`, optionally `.` and at most three digits, at most 1).
fn qvalue(s: &str) -> Option<u16> {
    let rest = s.strip_prefix(['q', 'Q'])?.strip_prefix('=')?;
    let mut c = rest.chars();
    let mut value: u16 = match c.next()? {
        '0' => 0,
        '1' => 1000,
        _ => return None,
    };
    match c.next() {
        None => return Some(value),
        Some('.') => {}
        Some(_) => return None,
    }
    let mut factor = 100;
    for ch in c {
        let d = ch.to_digit(10)? as u16;
        if factor < 1 {
            return None;
        }
        value += factor * d;
        factor /= 10;
    }
    (value <= 1000).then_some(value)
}

/// `data` as one gzip member (fastest level; the header async-compression writes for it).
/// Thread-safe; takes a pooled compressor for the call.
pub fn encode(data: &[u8]) -> Vec<u8> {
    let mut c = POOL
        .lock()
        .pop()
        .unwrap_or_else(|| Compress::new(Compression::fast(), false));
    // Fast-level deflate of JSON rarely exceeds the input; the Vec grows if it does.
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    out.extend_from_slice(&[0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0x04, 0xff]);
    let mut consumed = 0;
    loop {
        if out.capacity() - out.len() < 1024 {
            out.reserve(out.capacity().max(4096));
        }
        let before = c.total_in();
        let status = c
            .compress_vec(&data[consumed..], &mut out, FlushCompress::Finish)
            .expect("deflate of an in-memory buffer cannot fail");
        consumed += (c.total_in() - before) as usize;
        if status == Status::StreamEnd {
            break;
        }
    }
    let mut crc = Crc::new();
    crc.update(data);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    c.reset();
    let mut pool = POOL.lock();
    if pool.len() < POOL_MAX {
        pool.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{header::ACCEPT_ENCODING, HeaderMap, HeaderValue};
    use std::io::Read;

    fn accepts(values: &[&str]) -> bool {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
        }
        accepts_gzip(&h)
    }

    #[test]
    fn negotiation_matches_tower_http() {
        assert!(accepts(&["gzip"]));
        assert!(accepts(&["gzip, deflate"]));
        assert!(accepts(&["br", "X-GZIP"]));
        assert!(accepts(&["deflate;q=1, gzip;q=0.001"]));
        assert!(accepts(&["gzip;q=0, gzip"]));
        assert!(!accepts(&[]));
        assert!(!accepts(&["identity"]));
        assert!(!accepts(&["gzip;q=0"]));
        assert!(!accepts(&["gzip;q=0.000"]));
        assert!(!accepts(&["gzip;q=2"]));
        assert!(!accepts(&["gzip;q=0.5000"]));
        assert!(!accepts(&["gzip;level=1"]));
        assert!(!accepts(&["gzipx"]));
    }

    #[test]
    fn encode_round_trips_with_reused_compressors() {
        for n in [0usize, 1, 31, 1000, 300_000] {
            let data: Vec<u8> = (0..n).map(|i| (i * 7 % 251) as u8).collect();
            for _ in 0..3 {
                let gz = encode(&data);
                let mut back = Vec::new();
                flate2::read::GzDecoder::new(&gz[..])
                    .read_to_end(&mut back)
                    .unwrap();
                assert_eq!(back, data, "n={n}");
            }
        }
    }
}
