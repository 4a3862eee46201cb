//! One measured figure, its line on stdout and its row in `BENCHMARKS.md`.

use std::fmt::Write as _;

#[derive(Debug, Clone)]
pub struct Baseline {
    pub what: String,
    pub value: f64,
    pub unit: &'static str,
}

#[derive(Debug, Clone)]
pub struct Figure {
    pub name: &'static str,
    pub value: f64,
    pub unit: &'static str,
    pub baseline: Option<Baseline>,
    /// The goal as the issue states it, e.g. `≥ 25,000 /s and ratio ≥ 0.3`.
    pub goal: &'static str,
    /// Whether the goal was reached (None where the figure has no goal of its own).
    pub met: Option<bool>,
    /// How it was measured: sizes, counts, anything a reader needs to trust the number.
    pub detail: String,
}

impl Figure {
    pub fn new(name: &'static str, value: f64, unit: &'static str) -> Figure {
        Figure {
            name,
            value,
            unit,
            baseline: None,
            goal: "",
            met: None,
            detail: String::new(),
        }
    }

    pub fn baseline(mut self, what: impl Into<String>, value: f64, unit: &'static str) -> Figure {
        self.baseline = Some(Baseline {
            what: what.into(),
            value,
            unit,
        });
        self
    }

    pub fn goal(mut self, goal: &'static str, met: bool) -> Figure {
        self.goal = goal;
        self.met = Some(met);
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Figure {
        self.detail = detail.into();
        self
    }

    pub fn ratio(&self) -> Option<f64> {
        self.baseline
            .as_ref()
            .filter(|b| b.value != 0.0)
            .map(|b| self.value / b.value)
    }

    /// `figure <name>: <value> <unit> | baseline <what>: <value> <unit> | ratio <r>`
    pub fn line(&self) -> String {
        let mut out = format!("figure {}: {} {}", self.name, num(self.value), self.unit);
        if let Some(b) = &self.baseline {
            let _ = write!(out, " | baseline {}: {} {}", b.what, num(b.value), b.unit);
        }
        if let Some(r) = self.ratio() {
            let _ = write!(out, " | ratio {r:.2}");
        }
        out
    }
}

/// Three significant digits for small numbers, whole numbers for large ones.
pub fn num(v: f64) -> String {
    let a = v.abs();
    if a >= 100.0 || v == v.trunc() && a < 1e15 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

/// The machine the figures were measured on, from /proc.
pub fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).trim().to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kb: u64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.split_whitespace().next()?.parse().ok())
        .unwrap_or(0);
    format!(
        "{cores} cores ({model}), {:.1} GiB memory",
        mem_kb as f64 / 1024.0 / 1024.0
    )
}

/// The Markdown of `BENCHMARKS.md`.
pub fn markdown(figures: &[Figure], machine: &str, took: std::time::Duration) -> String {
    let mut out = String::from("# gridbot benchmarks\n\n");
    let _ = writeln!(
        out,
        "Measured by `cargo run --release -p gridbot-bench` on {machine}; the whole run took \
         {:.0} s. Every benchmark runs on temporary databases (SQLite with the production \
         settings: WAL, synchronous=NORMAL, one pooled connection) and, where it says so, \
         the real release binary `gridbot run` against the fake Bot API server over HTTP. \
         Goals are reported against, not enforced.\n",
        took.as_secs_f64()
    );
    out.push_str("| figure | value | baseline | ratio | goal | met | how |\n");
    out.push_str("|---|---:|---|---:|---|:---:|---|\n");
    for f in figures {
        let base = f.baseline.as_ref().map_or(String::new(), |b| {
            format!("{}: {} {}", b.what, num(b.value), b.unit)
        });
        let ratio = f.ratio().map_or(String::new(), |r| format!("{r:.2}"));
        let met = match f.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "",
        };
        let _ = writeln!(
            out,
            "| `{}` | {} {} | {} | {} | {} | {} | {} |",
            f.name,
            num(f.value),
            f.unit,
            base,
            ratio,
            f.goal,
            met,
            f.detail.replace('|', "/")
        );
    }
    out.push_str("\nThe same figures as the benchmark printed them:\n\n```\n");
    for f in figures {
        out.push_str(&f.line());
        out.push('\n');
    }
    out.push_str("```\n\n");
    out.push_str(crate::BOUNDS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_has_the_agreed_shape() {
        let f = Figure::new("intake", 31_250.4, "updates/s").baseline(
            "plain inserts",
            62_500.0,
            "rows/s",
        );
        assert_eq!(
            f.line(),
            "figure intake: 31250 updates/s | baseline plain inserts: 62500 rows/s | ratio 0.50"
        );
        assert_eq!(Figure::new("rss", 21.5, "MB").line(), "figure rss: 21.5 MB");
    }
}
