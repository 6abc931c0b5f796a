//! Progress bars (indicatif) driven by the core's progress events, and warnings on stderr.
//! Bars are hidden when stderr is not a terminal or with `--quiet`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use kili::{Event, EventSink};
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};

/// One bar per operation name (`assets`, `export`, `append_many_to_dataset`, ...), created on
/// its first progress event. `Clone + Send + Sync` (the events arrive on runtime threads).
#[derive(Clone)]
pub struct Progress {
    bars: Arc<Mutex<Vec<(String, ProgressBar)>>>,
    visible: bool,
    quiet: bool,
}

impl Progress {
    /// Bars shown only when `quiet` is false and stderr is a terminal.
    pub fn new(quiet: bool) -> Self {
        Progress {
            bars: Arc::default(),
            visible: !quiet && std::io::stderr().is_terminal(),
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
        if !self.visible || operation == "assets" && self.has("export") {
            return;
        }
        let mut bars = self.bars.lock().unwrap_or_else(|p| p.into_inner());
        let bar = match bars.iter().find(|(n, _)| n == operation) {
            Some((_, b)) => b.clone(),
            None => {
                let b = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
                let style =
                    ProgressStyle::with_template("{msg:>12} [{bar:30}] {pos}/{len} ({eta})")
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> ");
                b.set_style(style);
                b.set_message(operation.to_string());
                bars.push((operation.to_string(), b.clone()));
                b
            }
        };
        if let Some(t) = total {
            bar.set_length(t);
        }
        bar.set_position(done);
    }

    fn has(&self, operation: &str) -> bool {
        self.bars
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .any(|(n, _)| n == operation)
    }

    fn println(&self, line: &str) {
        let bars = self.bars.lock().unwrap_or_else(|p| p.into_inner());
        match bars.last() {
            Some((_, b)) => b.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Clears every bar (before the final output or an error message).
    pub fn finish(&self) {
        for (_, b) in self
            .bars
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain(..)
        {
            b.finish_and_clear();
        }
    }
}
