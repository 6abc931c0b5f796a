//! Ctrl-C (SIGINT) and SIGTERM.
//!
//! A small thread waits for the signals (tokio's signal support on a current-thread runtime of
//! its own: tokio is already in the tree through the core, and it tells the two signals
//! apart). What a signal does depends on the phase of the command:
//!
//! - while the command reads its inputs (id files, the standard input, directories to
//!   import), nothing has been sent or written yet: the tool exits at once;
//! - once armed (the network phase), the first signal triggers the call's
//!   [`CancelToken`]: the library stops its requests and downloads, the command returns
//!   `Error::Cancelled` through its normal path (an `--output` export removes its own `.part`
//!   file on the way), and `main` removes the media `.part` files of this run, then exits;
//! - a second signal exits at once, after the same best-effort removal.
//!
//! The exit status is 128 + the signal number (130 for SIGINT, 143 for SIGTERM), with one
//! `cancelled` line on stderr.

use kili::CancelToken;
use std::collections::HashSet;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

/// A signal that ends the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// SIGINT (Ctrl-C).
    Interrupt,
    /// SIGTERM.
    Terminate,
}

impl Signal {
    /// The conventional exit status, 128 + the signal number.
    pub fn exit_code(self) -> u8 {
        match self {
            Signal::Interrupt => crate::exit_codes::SIGINT,
            Signal::Terminate => crate::exit_codes::SIGTERM,
        }
    }

    /// The signal's name.
    pub fn name(self) -> &'static str {
        match self {
            Signal::Interrupt => "SIGINT",
            Signal::Terminate => "SIGTERM",
        }
    }

    fn code(self) -> u8 {
        match self {
            Signal::Interrupt => 1,
            Signal::Terminate => 2,
        }
    }

    fn from_code(c: u8) -> Option<Self> {
        match c {
            1 => Some(Signal::Interrupt),
            2 => Some(Signal::Terminate),
            _ => None,
        }
    }
}

/// Prints the one-line message of a cancelled command (errors of stderr ignored: there is
/// nobody left to tell).
pub fn say_cancelled(sig: Signal) {
    let _ = writeln!(std::io::stderr(), "kili-native: cancelled ({})", sig.name());
}

/// `.part` files a cancelled command must not leave behind.
#[derive(Debug, Default)]
pub struct Leftovers {
    /// The media directory of `--download-media` and the `.part` files it held before the
    /// command started.
    media: Option<(PathBuf, HashSet<OsString>)>,
    /// The file of `--output`.
    output: Option<PathBuf>,
}

impl Leftovers {
    /// What to clean for a command downloading media into `media_dir` and/or writing
    /// `output`. Reads the media directory now: the `.part` files already there were left by
    /// an earlier interrupted listing for the library to resume, and are kept.
    pub fn new(media_dir: Option<PathBuf>, output: Option<PathBuf>) -> Self {
        Leftovers {
            media: media_dir.map(|d| {
                let before = part_files(&d).collect();
                (d, before)
            }),
            output,
        }
    }

    /// Removes the media `.part` files created since [`Leftovers::new`] (the downloads this
    /// run began and the cancellation cut off), and, with `exports` (only on an immediate
    /// exit, when the library had no chance to do it), this process's `--output` temporary
    /// files. Best effort: errors are ignored (a file already gone is the goal).
    pub fn remove(&self, exports: bool) {
        if let Some((dir, before)) = &self.media {
            for name in part_files(dir).filter(|n| !before.contains(n)) {
                let _ = std::fs::remove_file(dir.join(name));
            }
        }
        if let (true, Some(out)) = (exports, &self.output) {
            kili::export::remove_own_part_files(out);
        }
    }
}

/// Names of the `*.part` files in `dir` (none when it cannot be read).
fn part_files(dir: &Path) -> impl Iterator<Item = OsString> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .filter(|n| n.to_string_lossy().ends_with(".part"))
}

/// Phases (see the module documentation).
const READING_INPUTS: u8 = 0;
const ARMED: u8 = 1;
const CANCELLING: u8 = 2;

struct Shared {
    token: CancelToken,
    phase: AtomicU8,
    /// The signal that cancelled the command (a [`Signal::code`]; 0 = none).
    received: AtomicU8,
    leftovers: Mutex<Leftovers>,
}

impl Shared {
    fn on_signal(&self, sig: Signal) {
        match self
            .phase
            .compare_exchange(ARMED, CANCELLING, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => {
                self.received.store(sig.code(), Ordering::Release);
                self.token.cancel();
            }
            // Reading inputs (nothing to stop), or a second signal: exit now.
            Err(_) => {
                self.leftovers
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(true);
                say_cancelled(sig);
                std::process::exit(sig.exit_code().into());
            }
        }
    }
}

/// The installed signal handling of this process. See the module documentation.
pub struct Interrupt {
    shared: Arc<Shared>,
}

impl Interrupt {
    /// Installs the handlers (from now on SIGINT and SIGTERM no longer kill the process at
    /// once) and starts the thread that serves them. Phase: reading inputs.
    ///
    /// Errors: the runtime or the handlers cannot be set up.
    pub fn install() -> std::io::Result<Self> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        // Registered here, before returning: a signal from now on is ours.
        let mut signals = {
            let _guard = rt.enter();
            Signals::new()?
        };
        let shared = Arc::new(Shared {
            token: CancelToken::new(),
            phase: AtomicU8::new(READING_INPUTS),
            received: AtomicU8::new(0),
            leftovers: Mutex::new(Leftovers::default()),
        });
        let s = shared.clone();
        std::thread::Builder::new()
            .name("kili-signals".into())
            .spawn(move || {
                rt.block_on(async move {
                    while let Some(sig) = signals.next().await {
                        s.on_signal(sig);
                    }
                })
            })?;
        Ok(Interrupt { shared })
    }

    /// Enters the network phase: a signal now cancels `token()` and `leftovers` will be
    /// removed. Call once the inputs are read, before the first request.
    pub fn arm(&self, leftovers: Leftovers) {
        *self
            .shared
            .leftovers
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = leftovers;
        // A signal that came while the inputs were read has already exited the process.
        let _ = self.shared.phase.compare_exchange(
            READING_INPUTS,
            ARMED,
            Ordering::AcqRel,
            Ordering::Acquire,
        );
    }

    /// The token a signal cancels, for the command's `CallOptions`.
    pub fn token(&self) -> CancelToken {
        self.shared.token.clone()
    }

    /// The signal that cancelled the command, if one did.
    pub fn received(&self) -> Option<Signal> {
        Signal::from_code(self.shared.received.load(Ordering::Acquire))
    }

    /// Removes the media `.part` files of this run (see [`Leftovers::remove`]); the export's
    /// own temporary file was already removed by the library on its way out.
    pub fn remove_leftovers(&self) {
        self.shared
            .leftovers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(false);
    }
}

/// The signal streams.
struct Signals {
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
}

impl Signals {
    /// Registers the handlers; must run inside the runtime that will poll them.
    fn new() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Ok(Signals {
                int: signal(SignalKind::interrupt())?,
                term: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Signals {})
        }
    }

    /// The next signal; `None` when no more can arrive.
    async fn next(&mut self) -> Option<Signal> {
        #[cfg(unix)]
        {
            tokio::select! {
                r = self.int.recv() => r.map(|_| Signal::Interrupt),
                r = self.term.recv() => r.map(|_| Signal::Terminate),
            }
        }
        #[cfg(not(unix))]
        {
            tokio::signal::ctrl_c()
                .await
                .ok()
                .map(|_| Signal::Interrupt)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_remove_new_media_parts_and_own_export_parts_only() {
        let root = std::env::temp_dir().join(format!("kili-cli-leftovers-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let (media, exports) = (root.join("media"), root.join("exports"));
        std::fs::create_dir_all(&media).unwrap();
        std::fs::create_dir_all(&exports).unwrap();
        std::fs::write(media.join("old.png.part"), b"resumable").unwrap();
        std::fs::write(media.join("done.png"), b"complete").unwrap();
        let l = Leftovers::new(Some(media.clone()), Some(exports.join("out.ndjson")));
        std::fs::write(media.join("new.png.part"), b"cut off").unwrap();
        let mine = format!(".out.ndjson.{}-0.part", std::process::id());
        let other = ".out.ndjson.1-0.part"; // another process's export (pid 1 is never us)
        std::fs::write(exports.join(&mine), b"").unwrap();
        std::fs::write(exports.join(other), b"").unwrap();
        let names = |d: &Path| {
            let mut v: Vec<String> = std::fs::read_dir(d)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };

        // After a cancellation that went through the library: media only.
        l.remove(false);
        assert_eq!(names(&media), vec!["done.png", "old.png.part"]);
        assert_eq!(names(&exports), vec![other.to_string(), mine.clone()]);
        // An immediate exit: this process's export file too, never another's.
        l.remove(true);
        assert_eq!(names(&exports), vec![other.to_string()]);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn exit_codes() {
        assert_eq!(Signal::Interrupt.exit_code(), 130);
        assert_eq!(Signal::Terminate.exit_code(), 143);
        for s in [Signal::Interrupt, Signal::Terminate] {
            assert_eq!(Signal::from_code(s.code()), Some(s));
        }
        assert_eq!(Signal::from_code(0), None);
    }
}
