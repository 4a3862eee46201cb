use super::*;
use gridbot_handlers::figures::PeriodSpec;
use gridbot_handlers::model::{Person, Rating, State};

const MIN: Millis = 60_000;

fn grid(chat: i64, name: &str) -> Grid {
    Grid::sample(chat, name)
}

fn petition(n: i64, chat: i64, at: Millis) -> Petition {
    Petition {
        grid: if chat == -1 {
            "第一网格"
        } else {
            "第二网格"
        }
        .into(),
        resident: Person::default(),
        location: Some("3号楼".into()),
        ..Petition::sample(n, chat).raised_at(at)
    }
}

#[test]
fn the_three_formats_carry_the_same_figures_per_grid() {
    let s = Settings::for_tests();
    let period = PeriodSpec::parse("2026-W48")
        .unwrap()
        .resolve(0, s.tz)
        .unwrap();
    let t = period.start + 9 * 60 * MIN;
    let mut a = petition(1, -1, t);
    a.first_response_at = Some(t + 5 * MIN);
    a.resolved_at = Some(t + 60 * MIN);
    a.rating = Some(Rating::Satisfied);
    a.state = State::Closed;
    a.owner = Some(Person::sample(10, "王网格员"));
    let mut b = petition(2, -1, t);
    b.first_response_at = Some(t + 40 * MIN);
    let c = petition(3, -2, t);
    let grids = [grid(-1, "第一网格"), grid(-2, "第二网格")];
    let r = build(&[a, b, c], &grids, &period, None, &s, period.end + MIN);

    let md = markdown(&r, &s);
    assert!(
        md.starts_with("# 南苑街道 诉求统计 · 2026年第48周（11月23日—11月29日）"),
        "{md}"
    );
    assert!(
        md.contains("| 第一网格 | 2 | 50% (1/2) | 5分钟 | 40分钟 |"),
        "{md}"
    );
    assert!(md.contains("| 第二网格 | 1 | 0% (0/1) |"), "{md}");
    assert!(md.contains("| 南苑街道 | 3 | 33.3% (1/3) |"), "{md}");
    assert!(md.contains("| 王网格员 | 1 | 100% (1/1) |"), "{md}");

    let csv = csv(&r);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], CSV_HEADER);
    assert!(
        lines[1].starts_with("2026-W48,total,,南苑街道,3,2,1,33.3,"),
        "{csv}"
    );
    assert!(
        lines[2].starts_with("2026-W48,grid,欣锦苑社区,第一网格,2,2,1,50,300000,2400000,"),
        "{csv}"
    );
    assert_eq!(
        lines.len(),
        1 + 1 + 2 + 1 + 1,
        "total, two grids, one category, one worker"
    );

    let json: serde_json::Value = serde_json::to_value(&r).unwrap();
    assert_eq!(json["period"]["label"], "2026-W48");
    assert_eq!(json["grids"][0]["name"], "第一网格");
    assert_eq!(json["grids"][0]["response_rate"], 50.0);
    assert_eq!(json["grids"][1]["response_rate"], 0.0);
    assert_eq!(json["total"]["satisfaction_rate"], 100.0);
    assert_eq!(json["total"]["raised"], 3);
}

#[test]
fn a_community_report_leaves_other_communities_out() {
    let s = Settings::for_tests();
    let period = PeriodSpec::parse("2026-11")
        .unwrap()
        .resolve(0, s.tz)
        .unwrap();
    let mut other = petition(1, -3, period.start + MIN);
    other.community = "别的社区".into();
    let mine = petition(2, -1, period.start + MIN);
    let mut grids = vec![grid(-1, "第一网格")];
    grids.push(Grid {
        chat_id: -3,
        community: "别的社区".into(),
        grid: "一网格".into(),
    });
    let r = build(
        &[other, mine],
        &grids,
        &period,
        Some("欣锦苑社区"),
        &s,
        period.end,
    );
    assert_eq!(r.total.figures.raised, 1);
    assert_eq!(r.grids.len(), 1);
    assert_eq!(r.title, "欣锦苑社区");
}
