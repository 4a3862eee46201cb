//! gridbot's adapter to the world: config, Telegram (polling, sending), the clock of the
//! machine, and the command line. Everything it decides, it asks `gridbot_handlers`.

pub mod adapter;
pub mod alert_webhook;
pub mod board;
pub mod chart;
pub mod cli;
pub mod config;
pub mod demo;
pub mod digest;
pub mod executor;
pub mod hookcmd;
pub mod ingest;
pub mod limiter;
pub mod ops;
pub mod poller;
pub mod report;
pub mod run;
pub mod scheduler;
pub mod sender;
pub mod webhook;

pub use run::run;

/// The machine's clock, in the milliseconds the product counts in.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
