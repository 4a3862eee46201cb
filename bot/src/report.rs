//! `gridbot report`: the figures of SPEC §6 per grid, per category and per worker, as
//! Markdown, CSV or JSON. The numbers come from `figures::compute`, like `/stats` and the
//! digest; only the layout is made here.

use crate::config::{Config, Env};
use anyhow::{Context as _, Result};
use gridbot_handlers::figures::{self, Figures, Period, Scope};
use gridbot_handlers::model::{Grid, Millis, Petition, PetitionNo};
use gridbot_handlers::text::figures::{pct, period_title};
use gridbot_handlers::{Dur, Settings};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum Format {
    Md,
    Csv,
    Json,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// `total`, `grid`, `category` or `worker`.
    pub kind: &'static str,
    pub community: String,
    pub name: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub title: String,
    pub period: Period,
    pub total: Row,
    pub grids: Vec<Row>,
    pub categories: Vec<Row>,
    pub workers: Vec<Row>,
}

/// The report of `community` (all communities when None) for `period`.
pub fn build(
    petitions: &[Petition],
    grids: &[Grid],
    period: &Period,
    community: Option<&str>,
    s: &Settings,
    now: Millis,
) -> Report {
    let (scope, title) = match community {
        Some(c) => (Scope::Community(c.to_string()), c.to_string()),
        None => (Scope::Street, s.street.clone()),
    };
    let mut mine: Vec<Petition> = petitions
        .iter()
        .filter(|p| scope.contains(p))
        .cloned()
        .collect();
    let mine_grids: Vec<Grid> = grids
        .iter()
        .filter(|g| community.is_none_or(|c| g.community == c))
        .cloned()
        .collect();
    let row = |kind, community: &str, name: String, scope: Scope, ps: &[Petition]| Row {
        kind,
        community: community.to_string(),
        name,
        figures: figures::compute(ps, &scope, period, now),
    };
    let (owners, cats) = figures::owners_and_categories(&mine, period);
    let label = community.unwrap_or("");
    let total = row("total", label, title.clone(), Scope::Street, &mine);
    // Each row is computed over its own petitions only: one run of `mine` sorted by the
    // breakdown's key, in their order here within it (which the figures' lists keep). The
    // cost grows with the petitions, not with petitions × rows.
    let at: HashMap<PetitionNo, usize> = mine
        .iter()
        .enumerate()
        .map(|(i, p)| (p.number, i))
        .collect();
    mine.sort_by_cached_key(|p| (p.chat_id, at[&p.number]));
    let grids = mine_grids
        .into_iter()
        .map(|g| {
            let run = run(&mine, |p| p.chat_id.cmp(&g.chat_id));
            let scope = Scope::Grid(g.chat_id);
            row("grid", &g.community, g.grid.clone(), scope, run)
        })
        .collect();
    let code = |p: &Petition| p.category.clone().unwrap_or_default();
    mine.sort_by_cached_key(|p| (code(p), at[&p.number]));
    let categories = cats
        .into_iter()
        .map(|c| {
            let run = run(&mine, |p| {
                p.category.as_deref().unwrap_or("").cmp(c.as_str())
            });
            let name = s.rules.category_name(&c).unwrap_or("未分类").to_string();
            row("category", label, name, Scope::Category(c), run)
        })
        .collect();
    let owner = |p: &Petition| p.owner.as_ref().map(|o| o.id);
    mine.sort_by_cached_key(|p| (owner(p), at[&p.number]));
    let workers = owners
        .into_iter()
        .map(|(id, name)| {
            let run = run(&mine, |p| owner(p).cmp(&Some(id)));
            row("worker", label, name, Scope::Worker(id), run)
        })
        .collect();
    Report {
        total,
        grids,
        categories,
        workers,
        title,
        period: period.clone(),
    }
}

/// The run of `sorted` whose key compares equal (`cmp` says how an element's key compares
/// with the one sought).
fn run(sorted: &[Petition], cmp: impl Fn(&Petition) -> std::cmp::Ordering) -> &[Petition] {
    let start = sorted.partition_point(|p| cmp(p).is_lt());
    let end = sorted.partition_point(|p| cmp(p).is_le());
    &sorted[start..end]
}

fn time(ms: Option<Millis>) -> String {
    ms.map(|m| Dur(m).human()).unwrap_or_else(|| "—".into())
}

fn md_table(out: &mut String, first: &str, rows: &[&Row]) {
    let _ = writeln!(
        out,
        "| {first} | 新增 | 及时响应率 | 响应中位数 | 响应P90 | 按时办结率 | 满意率 | 满意 | 未评价 | 当前超时 | 期间超时 | 重新打开 | 上报 |"
    );
    let _ = writeln!(
        out,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for r in rows {
        let f = &r.figures;
        let _ = writeln!(
            out,
            "| {} | {} | {} ({}/{}) | {} | {} | {} ({}/{}) | {} ({}/{}) | {} | {} | {} | {} | {} | {} |",
            r.name.replace('|', "/"),
            f.raised,
            pct(f.response_rate),
            f.answered_in_time,
            f.raised,
            time(f.median_response_ms),
            time(f.p90_response_ms),
            pct(f.resolution_rate),
            f.resolved_in_time,
            f.due,
            pct(f.satisfaction_rate),
            f.satisfied + f.basic,
            f.rated,
            pct(f.satisfied_rate),
            f.unrated,
            f.overdue_now,
            f.overdue_in_period,
            f.reopened,
            f.escalated
        );
    }
}

pub fn markdown(r: &Report, s: &Settings) -> String {
    let mut out = format!("# {} 诉求统计 · {}\n\n", r.title, period_title(&r.period));
    out.push_str("## 各网格\n\n");
    let mut rows: Vec<&Row> = r.grids.iter().collect();
    rows.push(&r.total);
    md_table(&mut out, "网格", &rows);
    if !r.total.figures.hot_spots.is_empty() {
        out.push_str("\n## 高频问题（同一地点同类诉求 ≥3 次）\n\n");
        for h in &r.total.figures.hot_spots {
            let cat = s.rules.category_name(&h.category).unwrap_or(&h.category);
            let _ = writeln!(
                out,
                "- {} {} {} {}：{} 次",
                h.community, h.grid, h.place, cat, h.count
            );
        }
    }
    for (title, first, rows) in [
        ("按类别", "类别", &r.categories),
        ("按负责人", "负责人", &r.workers),
    ] {
        if !rows.is_empty() {
            let _ = write!(out, "\n## {title}\n\n");
            md_table(&mut out, first, &rows.iter().collect::<Vec<_>>());
        }
    }
    out
}

const CSV_HEADER: &str = "period,kind,community,name,raised,answered,answered_in_time,response_rate,median_response_ms,p90_response_ms,due,resolved_in_time,resolution_rate,resolved,rated,satisfied,basic,unsatisfied,satisfaction_rate,satisfied_rate,unrated,awaiting_rating,overdue_now,overdue_in_period,reopened,escalated,hot_spots";

/// A CSV field, quoted when it must be.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn csv(r: &Report) -> String {
    let mut out = format!("{CSV_HEADER}\n");
    let o = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let t = |v: Option<Millis>| v.map(|v| v.to_string()).unwrap_or_default();
    let all = std::iter::once(&r.total)
        .chain(&r.grids)
        .chain(&r.categories)
        .chain(&r.workers);
    for row in all {
        let f = &row.figures;
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            r.period.label,
            row.kind,
            field(&row.community),
            field(&row.name),
            f.raised,
            f.answered,
            f.answered_in_time,
            o(f.response_rate),
            t(f.median_response_ms),
            t(f.p90_response_ms),
            f.due,
            f.resolved_in_time,
            o(f.resolution_rate),
            f.resolved,
            f.rated,
            f.satisfied,
            f.basic,
            f.unsatisfied,
            o(f.satisfaction_rate),
            o(f.satisfied_rate),
            f.unrated,
            f.awaiting_rating,
            f.overdue_now,
            f.overdue_in_period,
            f.reopened,
            f.escalated,
            f.hot_spots.len()
        );
    }
    out
}

/// `gridbot report`: print the report of the period to stdout.
pub async fn command(
    env: &Env,
    format: Format,
    period: Option<&str>,
    days: Option<(&str, &str)>,
    community: Option<&str>,
) -> Result<()> {
    use gridbot_handlers::figures::PeriodSpec;
    let cfg = Config::load(&env.config_path)?;
    let s = &cfg.settings;
    let now = crate::now_ms();
    let spec = match (period, days) {
        (_, Some((a, b))) => {
            let day = |d: &str| {
                chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .with_context(|| format!("{d}: expected a date like 2026-11-01"))
            };
            PeriodSpec::Days {
                since: day(a)?,
                until: day(b)?,
            }
        }
        (Some(p), None) => PeriodSpec::parse(p)?,
        (None, None) => PeriodSpec::ThisWeek,
    };
    let period = spec.resolve(now, s.tz)?;
    let store = crate::run::open_store(env).await?;
    let petitions = store.figure_petitions(period.start, period.end).await?;
    let grids = store.grids().await?;
    store.close().await;
    if let Some(c) = community
        && !grids.iter().any(|g| g.community == c)
    {
        anyhow::bail!("no grid is bound to a community named {c}");
    }
    let r = build(&petitions, &grids, &period, community, s, now);
    let out = match format {
        Format::Md => markdown(&r, s),
        Format::Csv => csv(&r),
        Format::Json => serde_json::to_string_pretty(&r)? + "\n",
    };
    std::io::stdout()
        .write_all(out.as_bytes())
        .context("cannot write the report")?;
    Ok(())
}

#[cfg(test)]
mod tests;
