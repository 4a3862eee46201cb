//! `gridbot-bench`: how fast gridbot takes in, decides and delivers, measured against
//! Telegram's limits. `cargo run --release -p gridbot-bench` builds the release binary, runs
//! every benchmark on temporary databases, prints one line per figure and writes
//! `BENCHMARKS.md` at the workspace root. `cargo run --release -p gridbot-bench -- intake
//! sweep` runs only those (and leaves `BENCHMARKS.md` alone).
//!
//! The goals are reported against, never asserted: CI does not run this.

mod bulk;
mod classify;
mod e2e;
mod figure;
mod fixtures;
mod intake;
mod proc;
mod report;
mod send;
mod sweep;

use anyhow::{Context as _, Result, bail};
use figure::Figure;
use std::path::PathBuf;
use std::time::Instant;

/// What bounds each figure; the last section of `BENCHMARKS.md`.
pub const BOUNDS: &str = include_str!("bounds.md");

const ALL: &[&str] = &[
    "intake",
    "intake_e2e",
    "send_rate",
    "sweep",
    "reminder_lateness",
    "classify",
    "rss",
    "report",
];

/// The benchmarks that run the release binary.
const NEED_BINARY: &[&str] = &[
    "intake_e2e",
    "send_rate",
    "reminder_lateness",
    "rss",
    "report",
];

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(bad) = args.iter().find(|a| !ALL.contains(&a.as_str())) {
        bail!(
            "unknown benchmark {bad}; the benchmarks are: {}",
            ALL.join(" ")
        );
    }
    let chosen: Vec<&str> = if args.is_empty() {
        ALL.to_vec()
    } else {
        ALL.iter()
            .copied()
            .filter(|a| args.iter().any(|x| x == a))
            .collect()
    };
    let started = Instant::now();
    let machine = figure::machine();
    eprintln!("gridbot-bench on {machine}");
    let corpus = fixtures::corpus()?;
    let bin = if chosen.iter().any(|c| NEED_BINARY.contains(c)) {
        Some(proc::build_gridbot()?)
    } else {
        None
    };
    let bin = bin.as_deref().unwrap_or(std::path::Path::new("gridbot"));
    let mut figures: Vec<Figure> = Vec::new();
    for name in &chosen {
        eprintln!("running {name} …");
        let t = Instant::now();
        let got = match *name {
            "intake" => vec![intake::run(&corpus).await?],
            "intake_e2e" => vec![e2e::intake_e2e(bin, &corpus).await?],
            "send_rate" => send::send_rate(bin).await?,
            "sweep" => sweep::run().await?,
            "reminder_lateness" => send::reminder_lateness(bin).await?,
            "classify" => vec![classify::run(&corpus)?],
            "rss" => vec![e2e::rss(bin, &corpus).await?],
            "report" => vec![report::run(bin).await?],
            _ => unreachable!("checked above"),
        };
        for f in &got {
            println!("{}", f.line());
            eprintln!("  ({})", f.detail);
        }
        eprintln!("{name} took {:.1} s", t.elapsed().as_secs_f64());
        figures.extend(got);
    }
    if args.is_empty() {
        let path = workspace().join("BENCHMARKS.md");
        std::fs::write(
            &path,
            figure::markdown(&figures, &machine, started.elapsed()),
        )
        .with_context(|| format!("write {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}
