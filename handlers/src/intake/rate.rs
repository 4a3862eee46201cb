//! How many messages a second `judge` takes on one core, for a quick look while working on
//! its speed: `cargo test --release -p gridbot-handlers --lib -- --ignored --nocapture
//! judge_rate`. It prints the rate and asserts nothing (the machine may be busy); the
//! figure that counts is `gridbot-bench classify`.

use super::Rules;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// The `text` column of the shared corpus (empty when the file is missing).
fn corpus_texts() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/corpus/messages.tsv"
    );
    let Ok(src) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    src.lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .map(str::to_string)
        .collect()
}

#[test]
#[ignore = "a measurement, not a test"]
fn judge_rate() {
    let texts = corpus_texts();
    if texts.is_empty() {
        println!("judge rate: no corpus");
        return;
    }
    let rules = Rules::builtin();
    // warm up the regex caches and the allocator
    for t in &texts {
        black_box(rules.judge(t));
    }
    let (mut judged, started) = (0usize, Instant::now());
    while started.elapsed() < Duration::from_secs(2) {
        for text in &texts {
            black_box(rules.judge(black_box(text)));
        }
        judged += texts.len();
    }
    let rate = judged as f64 / started.elapsed().as_secs_f64();
    println!("judge rate: {rate:.0} messages/s");
}
