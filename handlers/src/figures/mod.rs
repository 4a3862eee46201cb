//! The figures of SPEC §6, computed from stored petitions for one period and one scope.
//! Every place that shows a figure (`/stats`, the weekly digest and its chart, `gridbot
//! report`) calls [`compute`], so the same petitions always give the same numbers.
//!
//! Definitions (merged petitions count nowhere: they live on in the petition they joined):
//! - **raised**: created in the period.
//! - **response rate** = raised petitions whose first response came by `respond_by`
//!   (`first_response_at - created_at <= respond_by - created_at`) ÷ raised.
//! - **first-response time** (median, 90th percentile) over the raised petitions answered so
//!   far, by *nearest rank*: the p-th percentile of n sorted times is the one at rank
//!   ⌈p·n/100⌉ (1-based). It is always a time that happened; for an even count the median is
//!   the lower of the two middle times. Unanswered petitions are shown apart.
//! - **resolution rate** = due petitions resolved by `resolve_by` ÷ due, where a petition is
//!   *due* in the period when its `resolve_by` falls in the period (and has passed), or when
//!   it was resolved in the period (also early, before its deadline).
//! - **satisfaction** over the petitions resolved in the period: (满意 + 基本满意) ÷ rated,
//!   满意 alone too. Closed unrated is counted apart and never as satisfied; petitions still
//!   inside their rating window are "awaiting".
//! - **overdue now**: active petitions past a deadline at `now` ([`crate::clocks::is_overdue`]),
//!   whatever the period. **Overdue in the period**: petitions that were past a deadline (no
//!   first response after `respond_by`, or unresolved after `resolve_by`) at some moment of it.
//! - **reopened**, **escalated**: raised petitions reopened at least once / escalated.
//! - **hot spots**: category × place (the building when the location names one) of the grid
//!   raised at least [`HOT_SPOT_MIN`] times in the period.

mod digest;
mod period;
#[cfg(test)]
mod stats_tests;
#[cfg(test)]
mod tests;

pub use digest::{ChartRow, Digest, digest};
pub use period::{Period, PeriodError, PeriodKind, PeriodSpec, digest_due, local_date, midnight};

use crate::clocks::is_overdue;
use crate::model::{ChatId, Grid, Millis, Petition, PetitionNo, Rating, State, UserId};
use serde::Serialize;
use std::collections::BTreeMap;

/// How often a category must be raised at one place in a period to be a hot spot.
pub const HOT_SPOT_MIN: u32 = 3;

/// Whose petitions a figure counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Street,
    Community(String),
    /// One grid, by its group's chat id.
    Grid(ChatId),
    /// The petitions a worker owns.
    Worker(UserId),
    /// One category code (`elevator`); the empty code means uncategorised.
    Category(String),
}

impl Scope {
    pub fn contains(&self, p: &Petition) -> bool {
        match self {
            Scope::Street => true,
            Scope::Community(c) => p.community == *c,
            Scope::Grid(chat) => p.chat_id == *chat,
            Scope::Worker(u) => p.owner.as_ref().is_some_and(|o| o.id == *u),
            Scope::Category(c) => p.category.as_deref().unwrap_or("") == c,
        }
    }
}

/// Which grids `/stats` shows, decided from the caller's role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    Grid(ChatId),
    Communities(Vec<String>),
    Street,
    /// The grids in which the caller is grid worker or property staff.
    OwnGrids,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HotSpot {
    pub community: String,
    pub grid: String,
    pub category: String,
    pub place: String,
    pub count: u32,
    pub numbers: Vec<PetitionNo>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    pub raised: u32,
    pub answered: u32,
    pub answered_in_time: u32,
    /// Percent with one decimal; None when nothing was raised.
    pub response_rate: Option<f64>,
    pub median_response_ms: Option<Millis>,
    pub p90_response_ms: Option<Millis>,
    pub due: u32,
    pub resolved_in_time: u32,
    pub resolution_rate: Option<f64>,
    pub resolved: u32,
    pub rated: u32,
    pub satisfied: u32,
    pub basic: u32,
    pub unsatisfied: u32,
    /// (满意 + 基本满意) ÷ rated.
    pub satisfaction_rate: Option<f64>,
    /// 满意 ÷ rated.
    pub satisfied_rate: Option<f64>,
    /// Closed without a rating after the rating window.
    pub unrated: u32,
    /// Resolved, rating window still open.
    pub awaiting_rating: u32,
    pub overdue_now: u32,
    pub overdue_in_period: u32,
    pub reopened: u32,
    pub escalated: u32,
    pub hot_spots: Vec<HotSpot>,
}

/// `num ÷ den` as a percentage rounded to one decimal (half away from zero); None for 0/0.
pub fn percent(num: u32, den: u32) -> Option<f64> {
    (den > 0).then(|| ((num as u64 * 1000 * 2 + den as u64) / (den as u64 * 2)) as f64 / 10.0)
}

/// Nearest-rank percentile of sorted values: the value at rank ⌈p·n/100⌉.
pub fn nearest_rank(sorted: &[Millis], p: u32) -> Option<Millis> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p as usize * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank.min(sorted.len()) - 1).copied()
}

/// The building of a location (`3号楼2单元501` → `3号楼`), or the whole location.
pub fn place(location: &str) -> String {
    for mark in ["号楼", "栋", "幢", "#", "＃"] {
        if let Some(i) = location.find(mark) {
            return location[..i + mark.len()].to_string();
        }
    }
    location.to_string()
}

/// The figures of the petitions in `scope` for `period`, as they stand at `now`.
pub fn compute(petitions: &[Petition], scope: &Scope, period: &Period, now: Millis) -> Figures {
    let mut f = Figures::default();
    let cut = period.end.min(now);
    let mut times = Vec::new();
    let mut spots: BTreeMap<(String, String, String, String), Vec<PetitionNo>> = BTreeMap::new();
    for p in petitions
        .iter()
        .filter(|p| p.state != State::Merged && scope.contains(p))
    {
        let raised = period.contains(p.created_at);
        if raised {
            f.raised += 1;
            if let Some(at) = p.first_response_at {
                f.answered += 1;
                times.push((at - p.created_at).max(0));
                if at <= p.deadlines.respond_by {
                    f.answered_in_time += 1;
                }
            }
            f.reopened += (p.reopened > 0) as u32;
            f.escalated += p.escalated as u32;
            if let (Some(c), Some(l)) = (&p.category, &p.location) {
                let key = (p.community.clone(), p.grid.clone(), c.clone(), place(l));
                spots.entry(key).or_default().push(p.number);
            }
        }
        let resolved_here = p.resolved_at.is_some_and(|r| period.contains(r));
        let deadline_here = period.start <= p.deadlines.resolve_by && p.deadlines.resolve_by < cut;
        if resolved_here || deadline_here {
            f.due += 1;
            if p.resolved_at.is_some_and(|r| r <= p.deadlines.resolve_by) {
                f.resolved_in_time += 1;
            }
        }
        if resolved_here {
            f.resolved += 1;
            match p.rating {
                Some(Rating::Satisfied) => f.satisfied += 1,
                Some(Rating::Basic) => f.basic += 1,
                Some(Rating::Unsatisfied) => f.unsatisfied += 1,
                Some(Rating::Unrated) => f.unrated += 1,
                None if p.state == State::Resolved => f.awaiting_rating += 1,
                None => {}
            }
        }
        f.overdue_now += is_overdue(p, now) as u32;
        f.overdue_in_period += late_during(p, period.start, cut) as u32;
    }
    times.sort_unstable();
    f.median_response_ms = nearest_rank(&times, 50);
    f.p90_response_ms = nearest_rank(&times, 90);
    f.response_rate = percent(f.answered_in_time, f.raised);
    f.resolution_rate = percent(f.resolved_in_time, f.due);
    f.rated = f.satisfied + f.basic + f.unsatisfied;
    f.satisfaction_rate = percent(f.satisfied + f.basic, f.rated);
    f.satisfied_rate = percent(f.satisfied, f.rated);
    f.hot_spots = spots
        .into_iter()
        .filter(|(_, ns)| ns.len() as u32 >= HOT_SPOT_MIN)
        .map(|((community, grid, category, place), numbers)| HotSpot {
            community,
            grid,
            category,
            place,
            count: numbers.len() as u32,
            numbers,
        })
        .collect();
    f.hot_spots
        .sort_by(|a, b| b.count.cmp(&a.count).then(a.place.cmp(&b.place)));
    f
}

/// Whether `p` was past a deadline at some moment of `[from, to)`.
fn late_during(p: &Petition, from: Millis, to: Millis) -> bool {
    // A petition that is active again (reopened) is still waiting, whatever was stored.
    let done = match p.state.is_active() {
        true => None,
        false => p.resolved_at.or(p.closed_at),
    };
    let answered = p.first_response_at.or(done).unwrap_or(Millis::MAX);
    let finished = done.unwrap_or(Millis::MAX);
    let overlaps = |a: Millis, b: Millis| a < b && a < to && b > from;
    overlaps(p.deadlines.respond_by, answered) || overlaps(p.deadlines.resolve_by, finished)
}

/// The figures of each grid (grids without petitions included, zeros), in `grids` order.
pub fn per_grid(
    petitions: &[Petition],
    grids: &[Grid],
    period: &Period,
    now: Millis,
) -> Vec<(Grid, Figures)> {
    grids
        .iter()
        .map(|g| {
            (
                g.clone(),
                compute(petitions, &Scope::Grid(g.chat_id), period, now),
            )
        })
        .collect()
}

/// Grid indexes best first: by response rate, then resolution rate, then satisfaction
/// (a grid without a rate ranks after those with one), then by name.
pub fn ranking(rows: &[(Grid, Figures)]) -> Vec<usize> {
    let key = |r: Option<f64>| r.map_or(-1, |v| (v * 10.0).round() as i64);
    let mut idx: Vec<usize> = (0..rows.len()).collect();
    idx.sort_by(|&a, &b| {
        let (ga, fa) = &rows[a];
        let (gb, fb) = &rows[b];
        key(fb.response_rate)
            .cmp(&key(fa.response_rate))
            .then(key(fb.resolution_rate).cmp(&key(fa.resolution_rate)))
            .then(key(fb.satisfaction_rate).cmp(&key(fa.satisfaction_rate)))
            .then(ga.grid.cmp(&gb.grid))
    });
    idx
}

/// The active petitions of `scope` past a deadline now, the longest-waiting first.
pub fn overdue_now<'a>(petitions: &'a [Petition], scope: &Scope, now: Millis) -> Vec<&'a Petition> {
    let mut v: Vec<&Petition> = petitions
        .iter()
        .filter(|p| scope.contains(p) && is_overdue(p, now))
        .collect();
    v.sort_by_key(|p| (p.created_at, p.number));
    v
}

/// The distinct owners and categories among the petitions raised in the period, for
/// breakdowns by worker and by category.
pub fn owners_and_categories(
    petitions: &[Petition],
    period: &Period,
) -> (Vec<(UserId, String)>, Vec<String>) {
    let mut owners = BTreeMap::new();
    let mut cats = std::collections::BTreeSet::new();
    for p in petitions.iter().filter(|p| period.contains(p.created_at)) {
        if let Some(o) = &p.owner {
            owners.insert(o.id, crate::text::who(o));
        }
        cats.insert(p.category.clone().unwrap_or_default());
    }
    (owners.into_iter().collect(), cats.into_iter().collect())
}
