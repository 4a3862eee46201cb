use super::*;
use chrono::TimeZone;

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

#[test]
fn periods_are_weeks_months_and_days_on_the_streets_clock() {
    let w = w48();
    assert_eq!(w.label, "2026-W48");
    assert_eq!((w.start, w.end), (at(23, 0, 0), at(30, 0, 0)));
    let m = PeriodSpec::parse("2026-11")
        .unwrap()
        .resolve(0, TZ)
        .unwrap();
    assert_eq!((m.label.as_str(), m.start), ("2026-11", at(1, 0, 0)));
    assert_eq!(m.last_day, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
    // Wednesday 26 November, 01:00 in Shanghai is still Tuesday in UTC.
    let now = at(26, 1, 0);
    assert_eq!(PeriodSpec::ThisWeek.resolve(now, TZ).unwrap(), w);
    assert_eq!(
        PeriodSpec::LastWeek.resolve(now, TZ).unwrap().label,
        "2026-W47"
    );
    assert_eq!(PeriodSpec::ThisMonth.resolve(now, TZ).unwrap(), m);
    assert_eq!(
        PeriodSpec::parse("2026-W48").unwrap(),
        PeriodSpec::Week {
            year: 2026,
            week: 48
        }
    );
    // Week 1 of 2027 starts on Monday 4 January; week 53 of 2026 is the week before.
    let w1 = PeriodSpec::parse("2027-W01")
        .unwrap()
        .resolve(0, TZ)
        .unwrap();
    assert_eq!(w1.first_day, NaiveDate::from_ymd_opt(2027, 1, 4).unwrap());
    let days = PeriodSpec::Days {
        since: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        until: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
    }
    .resolve(0, TZ)
    .unwrap();
    assert_eq!((days.start, days.end), (at(24, 0, 0), at(25, 0, 0)));
    for bad in [
        "", "2026", "2026-13", "2026-W54", "26-11", "weeks", "2026-W4x",
    ] {
        assert!(PeriodSpec::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn the_digest_sums_up_the_week_before_its_scheduled_moment() {
    use chrono::Weekday::{Mon, Wed};
    let eight = 8 * 60;
    // Monday 30 November 08:00 is the moment for week 48.
    assert_eq!(
        digest_due(at(30, 8, 0), TZ, Mon, eight),
        (
            at(30, 8, 0),
            PeriodSpec::Week {
                year: 2026,
                week: 48
            }
        )
    );
    // At 07:59 the latest moment is a week earlier, for week 47.
    assert_eq!(
        digest_due(at(30, 7, 59), TZ, Mon, eight),
        (
            at(23, 8, 0),
            PeriodSpec::Week {
                year: 2026,
                week: 47
            }
        )
    );
    // A Wednesday digest on Saturday still sums up the week before its Wednesday.
    assert_eq!(
        digest_due(at(28, 12, 0), TZ, Wed, eight),
        (
            at(25, 8, 0),
            PeriodSpec::Week {
                year: 2026,
                week: 47
            }
        )
    );
}
