//! The periods figures are counted over, in the street's timezone: an ISO week (`2026-W48`,
//! Monday 00:00 to the next Monday 00:00), a calendar month (`2026-11`) or a range of whole
//! days. Every period is half-open, `[start, end)`, in milliseconds.

use crate::model::Millis;
use chrono::{Datelike, Days, NaiveDate, TimeZone, Weekday};
use serde::Serialize;

/// A period as asked for, before it is pinned to dates by [`PeriodSpec::resolve`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodSpec {
    /// The ISO week that contains `now` (so far).
    ThisWeek,
    /// The calendar month that contains `now` (so far).
    ThisMonth,
    /// The last complete ISO week before the one that contains `now`.
    LastWeek,
    Week {
        year: i32,
        week: u32,
    },
    Month {
        year: i32,
        month: u32,
    },
    /// Whole days, both ends included.
    Days {
        since: NaiveDate,
        until: NaiveDate,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Week,
    Month,
    Days,
}

/// A period pinned to local dates and to instants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    pub kind: PeriodKind,
    /// `2026-W48`, `2026-11` or `2026-11-01..2026-11-15`: stable, used as a key.
    pub label: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// Local midnight starting `first_day`.
    pub start: Millis,
    /// Local midnight after `last_day` (exclusive).
    pub end: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error(
        "period \"{0}\": expected week, month, last-week, a week like 2026-W48 or a month like 2026-11"
    )]
    Unreadable(String),
    #[error("period \"{0}\" does not exist in the calendar")]
    NoSuchDate(String),
    #[error("the period ends before it starts")]
    Backwards,
}

impl PeriodSpec {
    /// `week`/`周`/`本周`, `month`/`月`/`本月`, `last-week`/`上周`, `2026-W48`, `2026-11`.
    pub fn parse(s: &str) -> Result<PeriodSpec, PeriodError> {
        let t = s.trim();
        let lower = t.to_ascii_lowercase();
        match lower.as_str() {
            "week" | "周" | "本周" => return Ok(PeriodSpec::ThisWeek),
            "month" | "月" | "本月" => return Ok(PeriodSpec::ThisMonth),
            "last-week" | "lastweek" | "上周" => return Ok(PeriodSpec::LastWeek),
            _ => {}
        }
        let bad = || PeriodError::Unreadable(t.to_string());
        let (y, rest) = lower.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let digits =
            |d: &str| !d.is_empty() && d.len() <= 2 && d.bytes().all(|b| b.is_ascii_digit());
        if let Some(w) = rest.strip_prefix('w') {
            if !digits(w) {
                return Err(bad());
            }
            let week = w.parse().map_err(|_| bad())?;
            NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
                .ok_or_else(|| PeriodError::NoSuchDate(t.to_string()))?;
            return Ok(PeriodSpec::Week { year, week });
        }
        if !digits(rest) {
            return Err(bad());
        }
        let month = rest.parse().map_err(|_| bad())?;
        NaiveDate::from_ymd_opt(year, month, 1)
            .ok_or_else(|| PeriodError::NoSuchDate(t.to_string()))?;
        Ok(PeriodSpec::Month { year, month })
    }

    /// The dates and instants of this period, `now` deciding what "this week" is.
    pub fn resolve(self, now: Millis, tz: chrono_tz::Tz) -> Result<Period, PeriodError> {
        let today = local_date(now, tz);
        let monday = today - Days::new(today.weekday().num_days_from_monday() as u64);
        let (kind, first, last) = match self {
            PeriodSpec::ThisWeek => (PeriodKind::Week, monday, monday + Days::new(6)),
            PeriodSpec::LastWeek => {
                let m = monday - Days::new(7);
                (PeriodKind::Week, m, m + Days::new(6))
            }
            PeriodSpec::ThisMonth => {
                let (f, l) = month_days(today.year(), today.month())
                    .ok_or(PeriodError::NoSuchDate(today.to_string()))?;
                (PeriodKind::Month, f, l)
            }
            PeriodSpec::Week { year, week } => {
                let f = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
                    .ok_or_else(|| PeriodError::NoSuchDate(format!("{year}-W{week:02}")))?;
                (PeriodKind::Week, f, f + Days::new(6))
            }
            PeriodSpec::Month { year, month } => {
                let (f, l) = month_days(year, month)
                    .ok_or_else(|| PeriodError::NoSuchDate(format!("{year}-{month:02}")))?;
                (PeriodKind::Month, f, l)
            }
            PeriodSpec::Days { since, until } => {
                if until < since {
                    return Err(PeriodError::Backwards);
                }
                (PeriodKind::Days, since, until)
            }
        };
        let label = match kind {
            PeriodKind::Week => {
                let w = first.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            PeriodKind::Month => format!("{}-{:02}", first.year(), first.month()),
            PeriodKind::Days => format!("{first}..{last}"),
        };
        Ok(Period {
            kind,
            label,
            first_day: first,
            last_day: last,
            start: midnight(first, tz),
            end: midnight(last + Days::new(1), tz),
        })
    }
}

impl Period {
    pub fn contains(&self, at: Millis) -> bool {
        self.start <= at && at < self.end
    }

    /// Whether the period is over at `now` (its figures no longer grow).
    pub fn is_complete(&self, now: Millis) -> bool {
        now >= self.end
    }
}

fn month_days(year: i32, month: u32) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = first.checked_add_months(chrono::Months::new(1))?;
    Some((first, next - Days::new(1)))
}

/// The local calendar date at `at`.
pub fn local_date(at: Millis, tz: chrono_tz::Tz) -> NaiveDate {
    tz.timestamp_millis_opt(at)
        .earliest()
        .map(|t| t.date_naive())
        .unwrap_or_default()
}

/// The first instant of a local date (after a DST gap at midnight, the first that exists).
pub fn midnight(d: NaiveDate, tz: chrono_tz::Tz) -> Millis {
    (0..24)
        .find_map(|h| {
            tz.from_local_datetime(&d.and_hms_opt(h, 0, 0)?)
                .earliest()
                .map(|t| t.timestamp_millis())
        })
        .unwrap_or_default()
}

/// The weekly digest: the latest scheduled moment (`weekday` at `minute` after local
/// midnight) at or before `now`, and the ISO week before the week of that moment — the
/// week the digest sums up. With the default Monday 08:00 that is the week that just ended.
pub fn digest_due(
    now: Millis,
    tz: chrono_tz::Tz,
    weekday: Weekday,
    minute: u32,
) -> (Millis, PeriodSpec) {
    let today = local_date(now, tz);
    let back = (7 + today.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
    let mut day = today - Days::new(back as u64);
    let at = |d: NaiveDate| midnight(d, tz) + minute.min(24 * 60 - 1) as i64 * 60_000;
    if at(day) > now {
        day = day - Days::new(7);
    }
    let monday = day - Days::new(day.weekday().num_days_from_monday() as u64 + 7);
    let w = monday.iso_week();
    (
        at(day),
        PeriodSpec::Week {
            year: w.year(),
            week: w.week(),
        },
    )
}

#[cfg(test)]
mod tests;
