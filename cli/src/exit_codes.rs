//! Exit codes: 0 success (also when the reader of stdout went away, e.g. `| head`: it had what
//! it wanted, and `set -o pipefail` scripts should not fail for it), 2 bad command line (clap),
//! 128 + the signal number for a command stopped by SIGINT or SIGTERM (the shells'
//! convention), otherwise 10 + the numeric kili status of the failure, so that every status
//! category has its own code (see `Cli`'s documentation).

use kili::Status;

/// Exit code of a successful command.
pub const SUCCESS: u8 = 0;
/// Exit code of a command line clap refuses.
pub const USAGE: u8 = 2;
/// Exit code of a command cancelled by SIGINT (Ctrl-C): 128 + 2.
pub const SIGINT: u8 = 130;
/// Exit code of a command cancelled by SIGTERM: 128 + 15.
pub const SIGTERM: u8 = 143;
/// Offset added to the kili status number.
pub const STATUS_BASE: u8 = 10;

/// The exit code for a failure of status `s` (12 invalid argument ... 23 internal).
pub fn for_status(s: Status) -> u8 {
    STATUS_BASE + s as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_codes() {
        let codes: std::collections::HashSet<u8> =
            Status::ALL.iter().map(|s| for_status(*s)).collect();
        assert_eq!(codes.len(), Status::ALL.len());
        assert_eq!(for_status(Status::InvalidArgument), 12);
        assert_eq!(for_status(Status::NotFound), 15);
        assert_eq!(for_status(Status::PartialFailure), 22);
        for c in [SUCCESS, USAGE, SIGINT, SIGTERM] {
            assert!(!codes.contains(&c), "{c}");
        }
    }
}
