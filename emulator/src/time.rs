//! Timestamps: one sortable text form for storage, strictly increasing creation times, and
//! inclusive date bounds for filters.
//!
//! Every timestamp is stored as `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, microseconds), so that text
//! order is time order and SQLite can compare and index them as strings.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use parking_lot::Mutex;

/// Formats a UTC time in the storage form.
pub fn format(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Parses any ISO-8601 form the clients send (`YYYY-MM-DD`, with or without fraction, `Z` or
/// offset, or a naive date-time taken as UTC). `None` when unparsable.
pub fn parse(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t.and_utc());
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .map(|d| d.and_hms_opt(0, 0, 0).unwrap().and_utc())
}

/// Normalises a client-given timestamp to the storage form; unparsable text is kept as is.
pub fn normalize(s: &str) -> String {
    parse(s).map(format).unwrap_or_else(|| s.to_string())
}

/// Whether `s` is a bare date (`YYYY-MM-DD`), which bounds cover the whole day.
pub fn is_date_only(s: &str) -> bool {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").is_ok()
}

/// Lower inclusive bound in storage form: a bare date starts at 00:00:00.
pub fn lower_bound(s: &str) -> String {
    normalize(s)
}

/// Upper inclusive bound in storage form: a bare date covers its whole day.
pub fn upper_bound(s: &str) -> String {
    if is_date_only(s) {
        let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").unwrap();
        format(d.and_hms_micro_opt(23, 59, 59, 999_999).unwrap().and_utc())
    } else {
        normalize(s)
    }
}

/// Hands out strictly increasing "now" timestamps, so assets created in one call keep the order
/// of the call even within one microsecond. Thread-safe.
#[derive(Default)]
pub struct Clock {
    last_micros: Mutex<i64>,
}

impl Clock {
    /// A timestamp strictly after every one this clock returned before (and after `floor`, the
    /// latest stored creation time, so fixtures dated in the future keep the order too).
    pub fn next(&self, floor: Option<&str>) -> String {
        let mut last = self.last_micros.lock();
        let mut now = Utc::now().timestamp_micros();
        if let Some(f) = floor.and_then(parse) {
            now = now.max(f.timestamp_micros() + 1);
        }
        let v = now.max(*last + 1);
        *last = v;
        format(DateTime::from_timestamp_micros(v).unwrap())
    }
}

/// Current time in storage form.
pub fn now() -> String {
    format(Utc::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_and_normalisation() {
        assert_eq!(
            normalize("2024-01-01T00:00:00.000Z"),
            "2024-01-01T00:00:00.000000Z"
        );
        assert_eq!(lower_bound("2024-01-02"), "2024-01-02T00:00:00.000000Z");
        assert_eq!(upper_bound("2024-01-02"), "2024-01-02T23:59:59.999999Z");
        assert_eq!(
            upper_bound("2024-01-02T10:00:00Z"),
            "2024-01-02T10:00:00.000000Z"
        );
        let c = Clock::default();
        let a = c.next(None);
        let b = c.next(None);
        assert!(b > a);
    }
}
