//! The weekly digest of one community: its text and the numbers its chart draws. The
//! chart itself is drawn by the bot (images are an adapter's business).

use super::{Figures, Period, Scope, compute, overdue_now, per_grid, ranking};
use crate::intake::Rules;
use crate::model::{Grid, Millis, Petition};
use crate::text::figures::{self as words, DigestText};

/// One grid's bars in the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartRow {
    pub label: String,
    pub raised: u32,
    pub response_rate: Option<f64>,
    pub resolution_rate: Option<f64>,
    pub satisfaction_rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Digest {
    pub community: String,
    pub text: String,
    pub chart_title: String,
    pub caption: String,
    /// In ranking order, best first.
    pub rows: Vec<ChartRow>,
    pub total: Figures,
}

/// The digest of `community` for `period`: `grids` may hold other communities' grids too.
pub fn digest(
    petitions: &[Petition],
    grids: &[Grid],
    community: &str,
    period: &Period,
    rules: &Rules,
    now: Millis,
) -> Digest {
    let mine: Vec<Grid> = grids
        .iter()
        .filter(|g| g.community == community)
        .cloned()
        .collect();
    let scope = Scope::Community(community.to_string());
    let total = compute(petitions, &scope, period, now);
    let rows = per_grid(petitions, &mine, period, now);
    let order = ranking(&rows);
    let ranked: Vec<&(Grid, Figures)> = order.iter().map(|&i| &rows[i]).collect();
    let overdue = overdue_now(petitions, &scope, now);
    let text = words::digest(&DigestText {
        community,
        period,
        total: &total,
        ranked: ranked.clone(),
        overdue: &overdue,
        rules,
        now,
    });
    let title = words::period_title(period);
    Digest {
        community: community.to_string(),
        text,
        chart_title: format!("{community} {title} 各网格诉求情况"),
        caption: format!("{community} {title}：各网格新增诉求与及时响应率、按时办结率、满意率"),
        rows: ranked
            .iter()
            .map(|(g, f)| ChartRow {
                label: g.grid.clone(),
                raised: f.raised,
                response_rate: f.response_rate,
                resolution_rate: f.resolution_rate,
                satisfaction_rate: f.satisfaction_rate,
            })
            .collect(),
        total,
    }
}
