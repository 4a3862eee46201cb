//! Operations for the street's IT admin: `gridbot backup`, `gridbot purge`, and the
//! `[retention]` job of a running bot. Messages here are English (the admin reads them);
//! long work shows its progress on stderr when stderr is a terminal.

mod backup;
mod purge;

pub use backup::{backup, pg_dump_hint, sqlite_path};
pub use purge::{Retention, purge};

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// A one-line progress display on stderr, only on a terminal.
pub(crate) struct Progress {
    on: bool,
    last: Option<Instant>,
}

impl Progress {
    pub(crate) fn on_terminal() -> Progress {
        Progress {
            on: std::io::stderr().is_terminal(),
            last: None,
        }
    }
    pub(crate) fn off() -> Progress {
        Progress {
            on: false,
            last: None,
        }
    }
    pub(crate) fn show(&mut self, line: impl FnOnce() -> String) {
        if !self.on
            || self
                .last
                .is_some_and(|t| t.elapsed() < Duration::from_millis(200))
        {
            return;
        }
        self.last = Some(Instant::now());
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{}\x1b[K", line());
        let _ = err.flush();
    }
    pub(crate) fn clear(&self) {
        if self.on && self.last.is_some() {
            eprint!("\r\x1b[K");
        }
    }
}

/// `12.3 MB`.
pub fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GB", n as f64 / (1u64 << 30) as f64),
        n if n >= 1 << 20 => format!("{:.1} MB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KB", n as f64 / (1u64 << 10) as f64),
        n => format!("{n} B"),
    }
}

#[cfg(test)]
mod tests;
