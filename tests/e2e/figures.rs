//! Figures (SPEC §6): `/stats`, `gridbot report` in three formats and the weekly digest
//! with its chart agree with each other and with the figures counted by hand.

use crate::harness::*;
use gridbot_fake_api::fixtures;
use gridbot_handlers::Settings;
use gridbot_handlers::effect::Effect;
use gridbot_handlers::figures::{Period, PeriodSpec};
use gridbot_handlers::model::*;

/// Run `gridbot ARGS…` with the app's environment; its stdout.
fn cli(app: &App, args: &[&str]) -> String {
    let out = app.command().args(args).output().expect("run gridbot");
    assert!(
        out.status.success(),
        "gridbot {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn this_week() -> Period {
    let s = Settings::for_tests();
    PeriodSpec::ThisWeek
        .resolve(gridbot::now_ms(), s.tz)
        .expect("this week")
}

#[tokio::test]
async fn stats_the_report_and_the_digest_agree_with_figures_counted_by_hand() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    let intro = app.say(GROUP, &secretary(), "大家好 我是社区书记");
    let r = app.reply(GROUP, &admin(), "/role secretary", intro, &secretary());
    app.answer_to(GROUP, r, "社区书记").await;
    let a = app.say(ALERTS, &admin(), "/alerts 欣锦苑社区");
    app.answer_to(ALERTS, a, "提醒接收群").await;

    // Three elevator petitions at building 3: a hot spot. #1 and #2 are claimed at once
    // (answered in time), #1 is resolved and rated 满意, #3 waits.
    let texts = [
        "3号楼1单元电梯又坏了 停在五楼不动 麻烦尽快修",
        "3号楼2单元的电梯门关不上 一直响 有人管吗",
        "3号楼3单元电梯按钮失灵 老人上不去楼 请物业看看 电话13800001234",
    ];
    let mut ids = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        ids.push(app.raise(&resident(i as i64 + 1), t).await);
    }
    app.say(GROUP, &worker(), "/claim 1");
    app.answer_to(GROUP, ids[0], "受理").await;
    app.say(GROUP, &worker(), "/claim 2");
    app.answer_to(GROUP, ids[1], "受理").await;
    app.say(GROUP, &worker(), "/resolve 1 电梯已修复 请试用");
    let resolved = app.answer_to(GROUP, ids[0], "已办结").await;
    let msg = resolved.message_id as i64;
    app.push(fixtures::callback(
        "r1",
        &resident(1),
        GROUP,
        msg,
        "rate:1:s",
    ));
    app.wait("the rating", |a| {
        a.calls_to("editMessageReplyMarkup")
            .iter()
            .any(|c| c.params.to_string().contains("已评价：满意"))
    })
    .await;

    // By hand: raised 3; answered in time 2 → 66.7 %; due 1 (#1 resolved), on time 1 →
    // 100 %; rated 1, 满意 1 → 100 %; nothing overdue yet; 3号楼 电梯 three times.
    let s = app.say(GROUP, &worker(), "/stats");
    let worker_stats = app.answer_to(GROUP, s, "新增诉求").await.text;
    for want in [
        "欣锦苑社区 第一网格",
        "新增诉求 3 件",
        "及时响应率 66.7%（2/3）",
        "尚未答复 1 件",
        "按时办结率 100%（1/1 件到期或办结）",
        "满意率 100%（1/1 件已评价，其中满意 100%）",
        "超时：当前 0 件",
        "3号楼 电梯 本周 3 次",
    ] {
        assert!(worker_stats.contains(want), "{want}: {worker_stats}");
    }
    let m = app.say(GROUP, &resident(4), "/stats");
    app.answer_to(GROUP, m, "只有本网格的网格员").await;
    // The secretary in a private chat sees the community (one grid here): the same numbers.
    let id = app.msg_id();
    app.push(fixtures::private_text(&secretary(), id, "/stats week"));
    let private = app.answer_to(secretary().id, id, "新增诉求").await.text;
    assert!(private.contains("及时响应率 66.7%（2/3）"), "{private}");
    assert!(private.contains("满意率 100%（1/1"), "{private}");

    let week = this_week();
    let json: serde_json::Value = serde_json::from_str(&cli(
        &app,
        &["report", "--format", "json", "--period", "week"],
    ))
    .expect("JSON report");
    assert_eq!(json["period"]["label"], week.label.as_str());
    let g = &json["grids"][0];
    assert_eq!(g["name"], "第一网格");
    assert_eq!(
        (&g["raised"], &g["answered_in_time"], &g["response_rate"]),
        (&3.into(), &2.into(), &66.7.into())
    );
    assert_eq!((&g["due"], &g["resolved_in_time"]), (&1.into(), &1.into()));
    assert_eq!(
        (&g["resolution_rate"], &g["satisfaction_rate"]),
        (&100.0.into(), &100.0.into())
    );
    assert_eq!(g["hot_spots"][0]["count"], 3);
    assert_eq!(json["total"]["raised"], 3);
    let md = cli(&app, &["report", "--format", "md", "--period", &week.label]);
    assert!(md.contains("| 第一网格 | 3 | 66.7% (2/3) |"), "{md}");
    assert!(md.contains("| 100% (1/1) | 100% (1/1) | 100% |"), "{md}");
    let csv = cli(
        &app,
        &["report", "--format", "csv", "--community", "欣锦苑社区"],
    );
    let row = format!("{},grid,欣锦苑社区,第一网格,3,2,2,66.7,", week.label);
    assert!(csv.lines().any(|l| l.starts_with(&row)), "{row}\n{csv}");

    let out = cli(&app, &["digest", "--period", "week"]);
    assert!(out.contains("欣锦苑社区"), "{out}");
    app.wait("the digest and its chart in the alert chat", |a| {
        a.sent_to(ALERTS).iter().any(|s| s.method == "sendphoto")
    })
    .await;
    let sent = app.api.sent_to(ALERTS);
    let digest = sent
        .iter()
        .find(|s| s.text.starts_with("📊"))
        .expect("the digest text");
    for want in [
        "新增诉求 3 件，及时响应率 66.7%（2/3），按时办结率 100%（1/1），满意率 100%（1/1，满意 100%）",
        "1. 第一网格：新增 3 | 响应 66.7% | 办结 100% | 满意 100% | 当前超时 0",
        "3号楼 电梯 本周 3 次",
        "当前没有超时的诉求",
    ] {
        assert!(digest.text.contains(want), "{want}: {}", digest.text);
    }
    let photo = sent
        .iter()
        .find(|s| s.method == "sendphoto")
        .expect("photo");
    assert!(photo.photo_bytes.unwrap_or(0) > 10_000, "{photo:?}");
    assert!(photo.text.contains("欣锦苑社区"), "{}", photo.text);
    assert!(
        photo.message_id > digest.message_id,
        "the text first, then the chart"
    );
}

fn seeded(n: i64, at: Millis, text: &str, location: &str) -> Petition {
    Petition {
        text: text.into(),
        location: Some(location.into()),
        ..Petition::sample(n, GROUP).raised_at(at)
    }
}

fn done(mut p: Petition, answer_min: i64, resolve_h: i64, rating: Rating) -> Petition {
    p.first_response_at = Some(p.created_at + answer_min * 60_000);
    p.resolved_at = Some(p.created_at + resolve_h * 3_600_000);
    p.closed_at = p.resolved_at;
    p.rating = Some(rating);
    p.state = State::Closed;
    p
}

#[tokio::test]
async fn the_weekly_digest_reaches_the_alert_chat_once_with_its_chart_across_restarts() {
    let mut app = App::start(FAST).await;
    app.wait("start-up", |a| !a.calls_to("getUpdates").is_empty())
        .await;
    app.stop();
    // Last week's history, written straight into the database.
    let s = Settings::for_tests();
    let now = gridbot::now_ms();
    let last = PeriodSpec::LastWeek.resolve(now, s.tz).unwrap();
    let day = 24 * 3_600_000;
    let t = |d: i64, h: i64| last.start + d * day + h * 3_600_000;
    let history = [
        done(
            seeded(1, t(2, 9), "1单元电梯坏了", "3号楼1单元"),
            10,
            24,
            Rating::Satisfied,
        ),
        done(
            seeded(2, t(2, 10), "2单元电梯坏了", "3号楼2单元"),
            50,
            96,
            Rating::Basic,
        ),
        seeded(3, t(3, 9), "电梯困人 电话13800001234", "5号楼1单元"),
        done(
            seeded(4, t(4, 9), "4单元电梯异响", "3号楼4单元"),
            5,
            2,
            Rating::Unrated,
        ),
    ];
    let mut effects = vec![
        Effect::Bind {
            grid: Grid::sample(GROUP, "第一网格"),
            title: None,
        },
        Effect::SetAlertChat {
            community: "欣锦苑社区".into(),
            chat_id: ALERTS,
        },
    ];
    effects.extend(history.into_iter().map(Effect::NewPetition));
    let store = app.store().await;
    let mut tx = store.begin().await.unwrap();
    tx.apply(&effects, last.start).await.unwrap();
    tx.commit().await.unwrap();
    store.close().await;

    // The digest is due today at 00:00 (it sums up the week before this one).
    let today = gridbot_handlers::figures::local_date(now, s.tz);
    let config = format!(
        "{FAST}\n[digest]\nweekday = \"{}\"\ntime = \"00:00\"\n",
        chrono::Datelike::weekday(&today)
    );
    std::fs::write(app.dir.path().join("gridbot.toml"), config).unwrap();
    app.spawn();
    app.wait("the digest's chart", |a| {
        a.sent_to(ALERTS).iter().any(|s| s.method == "sendphoto")
    })
    .await;
    let digest = app.sent_containing(ALERTS, "📊");
    assert_eq!(digest.len(), 1);
    let text = &digest[0].text;
    // By hand: raised 4, answered in time #1 and #4 → 50 %; due 4 (#3's deadline passed,
    // three resolved), on time #1 and #4 → 50 %; rated #1 满意 and #2 基本满意 → 100 %,
    // 满意 50 %; #4 closed unrated; #3 overdue now.
    assert!(
        text.contains(&format!(
            "每周汇总 · {}",
            gridbot_handlers::text::figures::period_title(&last)
        )),
        "{text}"
    );
    assert!(
        text.contains("新增诉求 4 件，及时响应率 50%（2/4），按时办结率 50%（2/4），满意率 100%（2/2，满意 50%），未评价 1 件，当前超时 1 件。"),
        "{text}"
    );
    assert!(text.contains("3号楼 电梯 上周 3 次，建议"), "{text}");
    assert!(
        text.contains("当前超时 1 件：\n#3 第一网格 | 5号楼1单元 | 电梯"),
        "{text}"
    );
    assert!(
        text.contains("138****1234") && !text.contains("13800001234"),
        "{text}"
    );

    // Restarted, the bot finds the week marked as sent and says nothing more.
    assert!(app.stop());
    app.spawn();
    app.settle().await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_eq!(app.sent_containing(ALERTS, "📊").len(), 1);
    let photos = app
        .api
        .sent_to(ALERTS)
        .into_iter()
        .filter(|s| s.method == "sendphoto");
    assert_eq!(photos.count(), 1);
    let key = gridbot_storage::digest_key("欣锦苑社区", &last.label);
    assert!(app.store().await.marked(&key).await.unwrap());
}
