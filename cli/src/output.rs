//! The standard output of a command: buffered, and aware of a reader that went away.
//!
//! Rust ignores SIGPIPE, so a closed pipe (`kili-native assets list ... | head -1`) shows up as
//! an `EPIPE` write error. That is not a failure of the tool: the reader had what it wanted.
//! [`Output`] remembers it, so `main` can stop at once and exit quietly with status 0.

use std::io::{BufWriter, ErrorKind, Write};

/// A buffered writer that remembers whether a write or flush failed with `BrokenPipe`.
pub struct Output<W: Write> {
    inner: BufWriter<W>,
    closed: bool,
}

impl<W: Write> Output<W> {
    /// Buffers writes to `inner`.
    pub fn new(inner: W) -> Self {
        Output {
            inner: BufWriter::with_capacity(64 * 1024, inner),
            closed: false,
        }
    }

    /// Whether the reader went away (a write or flush failed with `BrokenPipe`).
    pub fn closed(&self) -> bool {
        self.closed
    }

    fn note<T>(&mut self, r: std::io::Result<T>) -> std::io::Result<T> {
        if matches!(&r, Err(e) if e.kind() == ErrorKind::BrokenPipe) {
            self.closed = true;
        }
        r
    }
}

impl<W: Write> Write for Output<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let r = self.inner.write(buf);
        self.note(r)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let r = self.inner.flush();
        self.note(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer whose reader is gone.
    struct Gone;
    impl Write for Gone {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::from(ErrorKind::BrokenPipe))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// A writer failing otherwise (a full disk).
    struct Full;
    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("no space left"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn broken_pipe_is_remembered_other_errors_are_not() {
        let mut o = Output::new(Gone);
        o.write_all(b"x").unwrap(); // buffered: the reader is not asked yet
        assert!(!o.closed());
        assert_eq!(o.flush().unwrap_err().kind(), ErrorKind::BrokenPipe);
        assert!(o.closed());

        let mut o = Output::new(Full);
        o.write_all(b"x").unwrap();
        assert!(o.flush().is_err());
        assert!(!o.closed());
    }
}
