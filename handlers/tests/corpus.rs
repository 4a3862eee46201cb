//! The intake quality bar, measured on the labelled corpus kept beside the repository
//! (`shared/corpus/messages.tsv`: text, needs_answer, category, urgent, location).
//!
//! `cargo test -p gridbot-handlers --test corpus -- --nocapture` prints the figures;
//! `GRIDBOT_CORPUS_MISSES=1` also prints every row judged differently from its label, and
//! `GRIDBOT_CORPUS=other.tsv cargo test … --test corpus -- --ignored --nocapture` measures
//! another labelled file of the same shape without a bar.

use gridbot_handlers::intake::{Judgement, Rules};

const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/corpus/messages.tsv"
);

struct Row {
    text: String,
    needs_answer: bool,
    category: Option<String>,
    urgent: bool,
    location: Option<String>,
}

fn rows(path: &str) -> Vec<Row> {
    let src = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read the corpus at {path}: {e}"));
    let mut rows = Vec::new();
    for (n, line) in src.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(cols.len() >= 4, "corpus line {}: expected 5 columns", n + 1);
        let opt = |s: &str| (!s.is_empty() && s != "none").then(|| s.to_string());
        rows.push(Row {
            text: cols[0].to_string(),
            needs_answer: cols[1] == "1",
            category: opt(cols[2]),
            urgent: cols[3] == "1",
            location: cols.get(4).and_then(|s| opt(s.trim())),
        });
    }
    rows
}

#[derive(Default)]
struct Counts {
    tp: u32,
    fp: u32,
    fn_: u32,
}

impl Counts {
    fn add(&mut self, predicted: bool, truth: bool) {
        match (predicted, truth) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => {}
        }
    }
    fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 {
        1.0
    } else {
        f64::from(a) / f64::from(b)
    }
}

fn miss(row: &Row, j: &Judgement, what: &str) {
    if std::env::var_os("GRIDBOT_CORPUS_MISSES").is_some() {
        eprintln!("MISS {what}: {}\n    got {j:?}", row.text);
    }
}

struct Figures {
    needs: Counts,
    urgent: Counts,
    category: f64,
    location: f64,
}

#[test]
fn builtin_rules_meet_the_quality_bar_on_the_corpus() {
    let f = measure(CORPUS, 100);
    assert!(
        f.needs.f1() >= 0.92,
        "needs_answer F1 {:.3} < 0.92",
        f.needs.f1()
    );
    assert!(
        f.category >= 0.88,
        "category accuracy {:.3} < 0.88",
        f.category
    );
    assert!(
        f.urgent.recall() >= 1.0,
        "urgent recall {:.3} < 1.0",
        f.urgent.recall()
    );
    let p = f.urgent.precision();
    assert!(p >= 0.8, "urgent precision {p:.3} < 0.8");
    assert!(
        f.location >= 0.9,
        "location exact match {:.3} < 0.9",
        f.location
    );
}

#[test]
#[ignore = "set GRIDBOT_CORPUS to a labelled file"]
fn measure_another_corpus() {
    if let Some(path) = std::env::var_os("GRIDBOT_CORPUS") {
        measure(&path.to_string_lossy(), 1);
    }
}

fn measure(path: &str, min_rows: usize) -> Figures {
    let rules = Rules::builtin();
    let rows = rows(path);
    assert!(
        rows.len() >= min_rows,
        "the corpus looks truncated: {} rows",
        rows.len()
    );
    let (mut needs, mut urgent) = (Counts::default(), Counts::default());
    let (mut cat_ok, mut cat_all, mut loc_ok) = (0u32, 0u32, 0u32);
    for row in &rows {
        let j = rules.judge(&row.text);
        needs.add(j.needs_answer, row.needs_answer);
        urgent.add(j.urgent, row.urgent);
        if j.needs_answer != row.needs_answer {
            miss(row, &j, "needs_answer");
        }
        if j.urgent != row.urgent {
            miss(row, &j, "urgent");
        }
        if row.needs_answer {
            cat_all += 1;
            if j.category == row.category {
                cat_ok += 1;
            } else if j.needs_answer {
                miss(row, &j, &format!("category (want {:?})", row.category));
            }
        }
        if j.location == row.location {
            loc_ok += 1;
        } else {
            miss(row, &j, &format!("location (want {:?})", row.location));
        }
        assert!(
            !j.urgent || j.needs_answer,
            "urgent must imply needs_answer: {}",
            row.text
        );
    }
    let cat_acc = ratio(cat_ok, cat_all);
    let loc_acc = ratio(loc_ok, rows.len() as u32);
    println!("corpus {path}: {} rows", rows.len());
    println!(
        "needs_answer: F1 {:.3} (precision {:.3}, recall {:.3})",
        needs.f1(),
        needs.precision(),
        needs.recall()
    );
    println!("category accuracy: {cat_acc:.3} ({cat_ok}/{cat_all})");
    println!(
        "urgent: recall {:.3}, precision {:.3} ({} true, {} false alarms, {} missed)",
        urgent.recall(),
        urgent.precision(),
        urgent.tp,
        urgent.fp,
        urgent.fn_
    );
    println!(
        "location exact match: {loc_acc:.3} ({loc_ok}/{})",
        rows.len()
    );
    Figures {
        needs,
        urgent,
        category: cat_acc,
        location: loc_acc,
    }
}

/// `cargo test -p gridbot-handlers --release --test corpus -- --ignored --nocapture judge_speed`
#[test]
#[ignore = "a benchmark: run in release"]
fn judge_speed() {
    let rules = Rules::builtin();
    let texts: Vec<String> = rows(CORPUS).into_iter().map(|r| r.text).collect();
    let rounds = 2000;
    let start = std::time::Instant::now();
    let mut urgent = 0usize;
    for _ in 0..rounds {
        for t in &texts {
            urgent += usize::from(rules.judge(t).urgent);
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let n = rounds * texts.len();
    println!(
        "{n} judgements in {secs:.2}s: {:.0} messages/s ({urgent} urgent)",
        n as f64 / secs
    );
}
