//! The figures in words: `/stats` answers and the weekly digest.

use crate::duration::Dur;
use crate::figures::{Figures, HotSpot, Period, PeriodKind};
use crate::intake::{Rules, mask_pii};
use crate::model::{Grid, Millis, Petition};

pub const NO_GRIDS: &str = "还没有绑定任何网格，暂无统计。";

/// `2026年第48周（11月23日—11月29日）`, `2026年11月`, `2026年11月1日—11月15日`.
pub fn period_title(p: &Period) -> String {
    use chrono::Datelike;
    let (f, l) = (p.first_day, p.last_day);
    match p.kind {
        PeriodKind::Week => format!(
            "{}年第{}周（{}月{}日—{}月{}日）",
            f.iso_week().year(),
            f.iso_week().week(),
            f.month(),
            f.day(),
            l.month(),
            l.day()
        ),
        PeriodKind::Month => format!("{}年{}月", f.year(), f.month()),
        PeriodKind::Days => format!(
            "{}年{}月{}日—{}月{}日",
            f.year(),
            f.month(),
            f.day(),
            l.month(),
            l.day()
        ),
    }
}

/// How the period is called in a sentence: 本周 while it runs, 上周 just after, else 该周.
pub fn period_word(p: &Period, now: Millis) -> &'static str {
    const WEEK: Millis = 7 * 24 * 3_600_000;
    let running = !p.is_complete(now);
    match p.kind {
        PeriodKind::Week if running => "本周",
        PeriodKind::Week if now < p.end + WEEK => "上周",
        PeriodKind::Week => "该周",
        PeriodKind::Month if running => "本月",
        PeriodKind::Month => "该月",
        PeriodKind::Days => "期间",
    }
}

/// A rate as people read it: `80%`, `66.7%`, `—` when there is nothing to divide.
pub fn pct(rate: Option<f64>) -> String {
    match rate {
        None => "—".into(),
        Some(r) if r.fract() == 0.0 => format!("{r:.0}%"),
        Some(r) => format!("{r:.1}%"),
    }
}

fn duration(ms: Option<Millis>) -> String {
    ms.map(|m| Dur(m).human()).unwrap_or_else(|| "—".into())
}

fn category(rules: &Rules, code: &str) -> String {
    rules.category_name(code).unwrap_or(code).to_string()
}

/// The full figures of one scope, one per line.
pub fn block(f: &Figures) -> String {
    let mut s = format!("新增诉求 {} 件", f.raised);
    s.push_str(&format!(
        "\n及时响应率 {}（{}/{}）",
        pct(f.response_rate),
        f.answered_in_time,
        f.raised
    ));
    if f.answered > 0 {
        s.push_str(&format!(
            "，首次响应用时中位数 {}，90% 在 {} 内",
            duration(f.median_response_ms),
            duration(f.p90_response_ms)
        ));
    }
    if f.raised > f.answered {
        s.push_str(&format!("，尚未答复 {} 件", f.raised - f.answered));
    }
    s.push_str(&format!(
        "\n按时办结率 {}（{}/{} 件到期或办结）",
        pct(f.resolution_rate),
        f.resolved_in_time,
        f.due
    ));
    s.push_str(&format!(
        "\n满意率 {}（{}/{} 件已评价，其中满意 {}）",
        pct(f.satisfaction_rate),
        f.satisfied + f.basic,
        f.rated,
        pct(f.satisfied_rate)
    ));
    s.push_str(&format!(
        "\n未评价关闭 {} 件（不计入满意），待评价 {} 件",
        f.unrated, f.awaiting_rating
    ));
    s.push_str(&format!(
        "\n超时：当前 {} 件，期间内 {} 件",
        f.overdue_now, f.overdue_in_period
    ));
    s.push_str(&format!(
        "\n重新打开 {} 件，上报社区 {} 件",
        f.reopened, f.escalated
    ));
    s
}

/// One grid in one line, for lists and the digest's ranking.
pub fn grid_line(g: &Grid, f: &Figures) -> String {
    format!(
        "{}：新增 {} | 响应 {} | 办结 {} | 满意 {} | 当前超时 {}",
        g.grid,
        f.raised,
        pct(f.response_rate),
        pct(f.resolution_rate),
        pct(f.satisfaction_rate),
        f.overdue_now
    )
}

/// A hot spot as a suggestion to act before the next complaint.
pub fn hot_spot(h: &HotSpot, rules: &Rules, word: &str) -> String {
    let name = category(rules, &h.category);
    format!(
        "{} {} {name} {word} {} 次，建议主动排查、提前公告处理安排，赶在下一次投诉前解决。",
        h.grid, h.place, h.count
    )
}

/// The `/stats` answer: one block, or a total and one line per grid.
pub fn stats(
    title: &str,
    period: &Period,
    total: &Figures,
    grids: &[(Grid, Figures)],
    rules: &Rules,
    now: Millis,
    tz: chrono_tz::Tz,
) -> String {
    let mut s = format!("📊 {title} · {}", period_title(period));
    if !period.is_complete(now) {
        s.push_str(&format!("（截至 {}）", super::clock(now, tz)));
    }
    s.push('\n');
    s.push_str(&block(total));
    if grids.len() > 1 {
        s.push_str("\n各网格：");
        for (g, f) in grids {
            s.push('\n');
            s.push_str(&grid_line(g, f));
        }
    }
    if !total.hot_spots.is_empty() {
        s.push_str("\n高频问题：");
        for h in &total.hot_spots {
            s.push_str("\n· ");
            s.push_str(&hot_spot(h, rules, period_word(period, now)));
        }
    }
    s
}

/// What the weekly digest says.
pub struct DigestText<'a> {
    pub community: &'a str,
    pub period: &'a Period,
    pub total: &'a Figures,
    /// Grids in ranking order.
    pub ranked: Vec<&'a (Grid, Figures)>,
    pub overdue: &'a [&'a Petition],
    pub rules: &'a Rules,
    pub now: Millis,
}

/// At most this many overdue petitions are listed; the rest are counted.
pub const DIGEST_OVERDUE_MAX: usize = 10;

pub fn digest(d: &DigestText<'_>) -> String {
    let f = d.total;
    let mut s = format!(
        "📊 {} 每周汇总 · {}\n全社区：新增诉求 {} 件，及时响应率 {}（{}/{}），按时办结率 {}（{}/{}），满意率 {}（{}/{}，满意 {}），未评价 {} 件，当前超时 {} 件。",
        d.community,
        period_title(d.period),
        f.raised,
        pct(f.response_rate),
        f.answered_in_time,
        f.raised,
        pct(f.resolution_rate),
        f.resolved_in_time,
        f.due,
        pct(f.satisfaction_rate),
        f.satisfied + f.basic,
        f.rated,
        pct(f.satisfied_rate),
        f.unrated,
        f.overdue_now
    );
    if !d.ranked.is_empty() {
        s.push_str("\n\n网格排名（依次比较及时响应率、按时办结率、满意率）：");
        for (i, (g, gf)) in d.ranked.iter().map(|r| (&r.0, &r.1)).enumerate() {
            s.push_str(&format!("\n{}. {}", i + 1, grid_line(g, gf)));
        }
    }
    if d.overdue.is_empty() {
        s.push_str("\n\n当前没有超时的诉求。");
    } else {
        s.push_str(&format!("\n\n当前超时 {} 件：", d.overdue.len()));
        for p in d.overdue.iter().take(DIGEST_OVERDUE_MAX) {
            let text: String = mask_pii(&p.text).chars().take(24).collect();
            let cat = p
                .category
                .as_deref()
                .map(|c| category(d.rules, c))
                .unwrap_or_else(|| "未分类".into());
            let owner = p
                .owner
                .as_ref()
                .map(super::who)
                .unwrap_or_else(|| "未受理".into());
            s.push_str(&format!(
                "\n{} {} | {} | {} | 已等待{} | 负责人 {} | {}",
                p.number,
                p.grid,
                p.location.as_deref().unwrap_or("位置未说明"),
                cat,
                super::age(p.created_at, d.now),
                owner,
                text
            ));
        }
        if d.overdue.len() > DIGEST_OVERDUE_MAX {
            s.push_str(&format!(
                "\n另有 {} 件，群里发送 /overdue 查看。",
                d.overdue.len() - DIGEST_OVERDUE_MAX
            ));
        }
    }
    if !f.hot_spots.is_empty() {
        s.push_str("\n\n未诉先办提示：");
        for h in &f.hot_spots {
            s.push_str("\n· ");
            s.push_str(&hot_spot(h, d.rules, period_word(d.period, d.now)));
        }
    }
    super::fit(&s)
}
