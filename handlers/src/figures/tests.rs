use super::*;
use crate::model::Person;
use chrono::TimeZone;

const MIN: Millis = 60_000;
const HOUR: Millis = 60 * MIN;
const GROUP: ChatId = -4001;
const OTHER: ChatId = -4002;
const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

fn at(d: u32, h: u32, m: u32) -> Millis {
    TZ.with_ymd_and_hms(2026, 11, d, h, m, 0)
        .unwrap()
        .timestamp_millis()
}

fn w48() -> Period {
    PeriodSpec::Week {
        year: 2026,
        week: 48,
    }
    .resolve(0, TZ)
    .unwrap()
}

/// A petition raised at `t` with the default clocks: answer in 30 min, resolve in 72 h.
fn p(n: i64, t: Millis) -> Petition {
    Petition {
        resident: Person::default(),
        text: String::new(),
        location: Some(format!("3号楼{n}单元")),
        ..Petition::sample(n, GROUP).raised_at(t)
    }
}

fn answered(mut q: Petition, after: Millis) -> Petition {
    q.first_response_at = Some(q.created_at + after);
    q.state = State::Claimed;
    q
}

fn resolved(mut q: Petition, after: Millis, rating: Option<Rating>) -> Petition {
    if q.first_response_at.is_none() {
        q.first_response_at = Some(q.created_at + 10 * MIN);
    }
    q.resolved_at = Some(q.created_at + after);
    q.rating = rating;
    q.state = match rating {
        None => State::Resolved,
        Some(_) => State::Closed,
    };
    q
}

#[test]
fn an_empty_period_has_zero_counts_and_no_rates() {
    let f = compute(&[], &Scope::Street, &w48(), at(30, 9, 0));
    assert_eq!(f, Figures::default());
    assert_eq!((f.response_rate, f.median_response_ms), (None, None));
}

#[test]
fn response_rate_counts_answers_within_the_first_response_clock() {
    let t = at(24, 9, 0);
    let ps = vec![
        answered(p(1, t), 30 * MIN), // exactly on the clock: in time
        answered(p(2, t), 31 * MIN), // a minute late
        p(3, t),                     // never answered
        answered(p(4, t), 5 * MIN),
    ];
    let f = compute(&ps, &Scope::Street, &w48(), at(30, 9, 0));
    assert_eq!((f.raised, f.answered, f.answered_in_time), (4, 3, 2));
    assert_eq!(f.response_rate, Some(50.0));
    // Times 5, 30, 31 minutes: median rank ⌈1.5⌉ = 2, p90 rank ⌈2.7⌉ = 3.
    assert_eq!(f.median_response_ms, Some(30 * MIN));
    assert_eq!(f.p90_response_ms, Some(31 * MIN));
}

#[test]
fn nearest_rank_percentiles_for_odd_and_even_counts() {
    let odd = [1, 2, 3, 4, 5];
    assert_eq!(nearest_rank(&odd, 50), Some(3));
    assert_eq!(nearest_rank(&odd, 90), Some(5));
    let even = [10, 20, 30, 40];
    assert_eq!(nearest_rank(&even, 50), Some(20), "the lower middle");
    assert_eq!(nearest_rank(&even, 90), Some(40));
    let ten: Vec<Millis> = (1..=10).collect();
    assert_eq!(nearest_rank(&ten, 90), Some(9));
    assert_eq!(nearest_rank(&[7], 50), Some(7));
    assert_eq!(nearest_rank(&[7], 90), Some(7));
    assert_eq!(nearest_rank(&[], 50), None);
}

#[test]
fn percentages_round_half_up_to_one_decimal() {
    assert_eq!(percent(2, 3), Some(66.7));
    assert_eq!(percent(1, 3), Some(33.3));
    assert_eq!(percent(1, 8), Some(12.5));
    assert_eq!(percent(1, 16), Some(6.3));
    assert_eq!(percent(0, 5), Some(0.0));
    assert_eq!(percent(0, 0), None);
}

#[test]
fn petitions_crossing_the_period_edges_count_where_they_belong() {
    let w = w48();
    // Raised Sunday 22 November 23:50, answered Monday 00:10: raised last week.
    let before = answered(p(1, at(22, 23, 50)), 20 * MIN);
    // Raised Sunday 29 November 23:59: this week, even though answered next week.
    let last_minute = answered(p(2, at(29, 23, 59)), 10 * MIN);
    // Raised Monday 30 November 00:00: next week.
    let after = p(3, at(30, 0, 0));
    let ps = [before, last_minute, after];
    let f = compute(&ps, &Scope::Street, &w, at(30, 9, 0));
    assert_eq!((f.raised, f.answered_in_time), (1, 1));
    let f47 = compute(
        &ps,
        &Scope::Street,
        &PeriodSpec::LastWeek.resolve(at(26, 0, 0), TZ).unwrap(),
        at(30, 9, 0),
    );
    assert_eq!(f47.raised, 1);
}

#[test]
fn resolution_rate_counts_deadlines_in_the_period_and_resolutions_in_it() {
    let w = w48();
    let ps = vec![
        // Raised the week before, deadline Tuesday of week 48, resolved on time.
        resolved(p(1, at(21, 10, 0)), 70 * HOUR, Some(Rating::Satisfied)),
        // Deadline in week 48, resolved late in week 48.
        resolved(p(2, at(21, 10, 0)), 80 * HOUR, Some(Rating::Basic)),
        // Deadline in week 48, still open: due and not resolved.
        answered(p(3, at(20, 10, 0)), 10 * MIN),
        // Raised Friday of week 48, resolved early the same day: due (resolved here).
        resolved(p(4, at(27, 10, 0)), 2 * HOUR, None),
        // Raised Friday, deadline next week, not resolved: not due yet.
        answered(p(5, at(27, 10, 0)), 10 * MIN),
    ];
    let f = compute(&ps, &Scope::Street, &w, at(30, 9, 0));
    assert_eq!((f.due, f.resolved_in_time, f.resolved), (4, 2, 3));
    assert_eq!(f.resolution_rate, Some(50.0));
    // Mid-week, a deadline later this week has not come yet: not due until it passes.
    let open = [ps[2].clone(), answered(p(6, at(23, 10, 0)), 10 * MIN)];
    let f = compute(&open, &Scope::Street, &w, at(24, 12, 0));
    assert_eq!(
        (f.due, f.resolution_rate),
        (1, Some(0.0)),
        "#3 (Mon 10:00) only"
    );
    let f = compute(&open, &Scope::Street, &w, at(30, 9, 0));
    assert_eq!(f.due, 2, "and #6 (Thu 10:00) once the week is over");
}

#[test]
fn satisfaction_counts_rated_resolutions_and_never_the_unrated() {
    let t = at(23, 9, 0);
    let ps = vec![
        resolved(p(1, t), HOUR, Some(Rating::Satisfied)),
        resolved(p(2, t), HOUR, Some(Rating::Satisfied)),
        resolved(p(3, t), HOUR, Some(Rating::Basic)),
        resolved(p(4, t), HOUR, Some(Rating::Unsatisfied)),
        resolved(p(5, t), HOUR, Some(Rating::Unrated)),
        resolved(p(6, t), HOUR, None), // still in the rating window
    ];
    let f = compute(&ps, &Scope::Street, &w48(), at(30, 9, 0));
    assert_eq!((f.rated, f.satisfied, f.basic, f.unsatisfied), (4, 2, 1, 1));
    assert_eq!((f.unrated, f.awaiting_rating), (1, 1));
    assert_eq!(f.satisfaction_rate, Some(75.0));
    assert_eq!(f.satisfied_rate, Some(50.0));
    // Only unrated ones: no satisfaction at all, not 0 % and not 100 %.
    let f = compute(&ps[4..5], &Scope::Street, &w48(), at(30, 9, 0));
    assert_eq!((f.rated, f.unrated, f.satisfaction_rate), (0, 1, None));
}

#[test]
fn overdue_now_and_overdue_during_the_period_differ() {
    let w = w48();
    let now = at(30, 9, 0);
    let ps = vec![
        p(1, at(29, 9, 0)), // unanswered for a day: overdue now and in the week
        // Answered late, then resolved: overdue in the week only.
        resolved(answered(p(2, at(24, 9, 0)), 45 * MIN), 5 * HOUR, None),
        resolved(answered(p(3, at(24, 9, 0)), 10 * MIN), 5 * HOUR, None), // on time
        answered(p(4, at(29, 23, 50)), 10 * MIN),                         // due 00:20 next week
        answered(p(5, at(16, 9, 0)), 10 * MIN), // resolution deadline 19 Nov, still open
    ];
    let f = compute(&ps, &Scope::Street, &w, now);
    assert_eq!(f.overdue_now, 2, "#1 and #5");
    assert_eq!(f.overdue_in_period, 3, "#1, #2 and #5");
    let list: Vec<i64> = overdue_now(&ps, &Scope::Street, now)
        .iter()
        .map(|p| p.number.0)
        .collect();
    assert_eq!(list, [5, 1], "the longest-waiting first");
}

#[test]
fn scopes_pick_grid_community_worker_and_category() {
    let t = at(24, 9, 0);
    let mut a = answered(p(1, t), 5 * MIN);
    a.owner = Some(Person::sample(10, "王网格员"));
    let mut b = p(2, t);
    b.chat_id = OTHER;
    b.grid = "第二网格".into();
    b.category = Some("parking".into());
    let mut c = p(3, t);
    c.community = "别的社区".into();
    c.category = None;
    let mut merged = p(4, t);
    merged.state = State::Merged;
    let ps = [a, b, c, merged];
    let n = |s: Scope| compute(&ps, &s, &w48(), at(30, 9, 0)).raised;
    assert_eq!(n(Scope::Street), 3, "merged petitions count nowhere");
    assert_eq!(n(Scope::Community("欣锦苑社区".into())), 2);
    assert_eq!(n(Scope::Grid(OTHER)), 1);
    assert_eq!(n(Scope::Worker(10)), 1);
    assert_eq!(n(Scope::Category("parking".into())), 1);
    assert_eq!(n(Scope::Category(String::new())), 1, "uncategorised");
}

#[test]
fn a_category_raised_three_times_at_one_building_is_a_hot_spot() {
    let t = at(24, 9, 0);
    let mut ps: Vec<Petition> = (1..=5).map(|n| p(n, t + n * HOUR)).collect();
    ps[4].location = Some("5号楼".into()); // 3号楼1..4单元 + 5号楼
    let mut lights: Vec<Petition> = (6..=7).map(|n| p(n, t)).collect();
    for q in &mut lights {
        q.category = Some("lighting".into());
    }
    ps.extend(lights);
    let f = compute(&ps, &Scope::Street, &w48(), at(30, 9, 0));
    assert_eq!(f.hot_spots.len(), 1, "{:?}", f.hot_spots);
    let h = &f.hot_spots[0];
    assert_eq!(
        (h.place.as_str(), h.category.as_str(), h.count),
        ("3号楼", "elevator", 4)
    );
    assert_eq!(h.numbers, [1, 2, 3, 4].map(PetitionNo));
    assert_eq!(place("3号楼2单元501"), "3号楼");
    assert_eq!(place("2单元"), "2单元");
}

#[test]
fn reopened_and_escalated_count_raised_petitions() {
    let t = at(24, 9, 0);
    let mut a = answered(p(1, t), 5 * MIN);
    a.reopened = 2;
    let mut b = answered(p(2, t), 5 * MIN);
    b.escalated = true;
    let f = compute(&[a, b, p(3, t)], &Scope::Street, &w48(), at(30, 9, 0));
    assert_eq!((f.reopened, f.escalated), (1, 1));
}

#[test]
fn grids_are_ranked_by_response_then_resolution_then_satisfaction() {
    let g = |chat, name: &str| Grid {
        chat_id: chat,
        community: "c".into(),
        grid: name.into(),
    };
    let f = |r: Option<f64>, s: Option<f64>| Figures {
        response_rate: r,
        resolution_rate: s,
        ..Figures::default()
    };
    let rows = vec![
        (g(1, "一"), f(Some(50.0), Some(90.0))),
        (g(2, "二"), f(None, None)),
        (g(3, "三"), f(Some(80.0), Some(10.0))),
        (g(4, "四"), f(Some(50.0), Some(95.0))),
    ];
    assert_eq!(ranking(&rows), [2, 3, 0, 1]);
}
