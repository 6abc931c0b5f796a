//! Progress bars (indicatif) driven by the core's progress events, and warnings on stderr.
//! Bars are hidden when stderr is not a terminal or with `--quiet`.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use kili::{Event, EventSink};
use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};

/// The bars by key (see [`Progress`]).
type Bars = Vec<(String, ProgressBar)>;

/// One bar per operation (`append_many_to_dataset`, ...; a listing and its export share one),
/// created on its first progress event. `Clone + Send + Sync` (the events arrive on runtime
/// threads). The bars share one [`MultiProgress`], so that they are drawn, and cleared, as one
/// block.
#[derive(Clone)]
pub struct Progress {
    multi: MultiProgress,
    /// The bars by key; `None` once finished (late events of a cancelled call draw nothing).
    bars: Arc<Mutex<Option<Bars>>>,
    visible: bool,
    quiet: bool,
}

impl Progress {
    /// Bars shown only when `quiet` is false and stderr is a terminal.
    pub fn new(quiet: bool) -> Self {
        let visible = !quiet && std::io::stderr().is_terminal();
        Progress {
            multi: MultiProgress::with_draw_target(if visible {
                ProgressDrawTarget::stderr()
            } else {
                ProgressDrawTarget::hidden()
            }),
            bars: Arc::new(Mutex::new(Some(Vec::new()))),
            visible,
            quiet,
        }
    }

    /// The event sink feeding the bars; warnings are printed to stderr unless quiet.
    pub fn sink(&self) -> EventSink {
        let me = self.clone();
        EventSink::new(move |e| match e {
            Event::Progress {
                operation,
                done,
                total,
            } => me.update(operation, *done, *total),
            Event::Warning { message, .. } if !me.quiet => {
                me.println(&format!("warning: {message}"))
            }
            _ => {}
        })
    }

    fn update(&self, operation: &str, done: u64, total: Option<u64>) {
        if !self.visible {
            return;
        }
        let mut guard = self.bars.lock().unwrap_or_else(|p| p.into_inner());
        let Some(bars) = guard.as_mut() else {
            return;
        };
        // An export reports its own progress over the listing's: both share one bar (replacing
        // a bar in the block would leave a stale line on the terminal), the export's counts
        // win once they come.
        let (key, exporting) = match operation {
            "assets" | "export" => (
                "listing",
                bars.iter()
                    .any(|(n, b)| n == "listing" && b.message() == "export"),
            ),
            other => (other, false),
        };
        if operation == "assets" && exporting {
            return;
        }
        let bar = match bars.iter().find(|(n, _)| n == key) {
            Some((_, b)) => b.clone(),
            None => {
                // Drawn through `multi` once added.
                let b = self.multi.add(ProgressBar::with_draw_target(
                    total,
                    ProgressDrawTarget::hidden(),
                ));
                let style =
                    ProgressStyle::with_template("{msg:>12} [{bar:30}] {pos}/{len} ({eta})")
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> ");
                b.set_style(style);
                bars.push((key.to_string(), b.clone()));
                b
            }
        };
        if bar.message() != operation {
            bar.set_message(operation.to_string());
        }
        if let Some(t) = total {
            bar.set_length(t);
        }
        bar.set_position(done);
    }

    fn println(&self, line: &str) {
        // Errors of stderr ignored: a warning is not worth a panic.
        self.multi
            .suspend(|| drop(writeln!(std::io::stderr(), "{line}")));
    }

    /// Clears every bar (before the final output or an error message).
    pub fn finish(&self) {
        let bars = self.bars.lock().unwrap_or_else(|p| p.into_inner()).take();
        for (_, b) in bars.into_iter().flatten() {
            b.finish_and_clear();
        }
        let _ = self.multi.clear();
    }
}
