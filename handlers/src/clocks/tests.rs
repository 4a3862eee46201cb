use super::*;

#[test]
fn quiet_hours_across_midnight_end_in_the_morning() {
    use chrono::TimeZone;
    let tz = chrono_tz::Asia::Shanghai;
    let q = QuietHours {
        start: 22 * 60,
        end: 7 * 60,
    };
    let at = |h, m| {
        tz.with_ymd_and_hms(2026, 11, 28, h, m, 0)
            .unwrap()
            .timestamp_millis()
    };
    let morning = tz
        .with_ymd_and_hms(2026, 11, 29, 7, 0, 0)
        .unwrap()
        .timestamp_millis();
    assert_eq!(quiet_until(at(23, 30), q, tz), Some(morning));
    assert_eq!(quiet_until(at(6, 59), q, tz), Some(at(7, 0)));
    assert_eq!(quiet_until(at(7, 0), q, tz), None);
    assert_eq!(quiet_until(at(12, 0), q, tz), None);
    assert_eq!(
        quiet_until(at(23, 30), QuietHours { start: 0, end: 0 }, tz),
        None
    );
}
