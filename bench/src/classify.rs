//! `classify`: resident messages judged a second on one core, the shared corpus repeated.

use crate::figure::Figure;
use anyhow::Result;
use gridbot_handlers::intake::Rules;
use std::hint::black_box;
use std::time::{Duration, Instant};

pub fn run(corpus: &[String]) -> Result<Figure> {
    let rules = Rules::builtin();
    // Warm up the automata and the allocator.
    for t in corpus {
        black_box(rules.judge(t));
    }
    let mut judged = 0usize;
    let mut needs = 0usize;
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(3) {
        for text in corpus {
            needs += black_box(rules.judge(black_box(text))).needs_answer as usize;
        }
        judged += corpus.len();
    }
    let took = t.elapsed().as_secs_f64();
    let rate = judged as f64 / took;
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load = load.split_whitespace().next().unwrap_or("?").to_string();
    Ok(Figure::new("classify", rate, "messages/s")
        .goal("≥ 200,000 /s", rate >= 200_000.0)
        .detail(format!(
            "{} corpus messages repeated, {judged} judged on one thread in {took:.2} s ({} needed an answer); \
             load average {load} meanwhile (other work on the machine slows it)",
            corpus.len(),
            needs
        )))
}
