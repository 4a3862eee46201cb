//! The clocks under pressure: urgent petitions in quiet hours, chat-robot webhooks, a bot
//! killed around a reminder's deadline, and resolutions nobody rated.

use crate::clocks::{alert_chat, posted, receiver, reminders};
use crate::harness::*;
use chrono::Timelike;
use gridbot_fake_api::Failure;
use gridbot_handlers::model::{PetitionNo, Rating, State};
use serde_json::json;
use std::time::Duration;

const FIRE: &str = "着火了 9号楼3单元厨房冒烟了 快来人";

/// Quiet hours from this hour in Shanghai for the next 23 hours: now is quiet.
fn quiet_now() -> String {
    let h = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .hour();
    format!(
        "[quiet_hours]\nstart = \"{h:02}:00\"\nend = \"{:02}:00\"\n",
        (h + 23) % 24
    )
}

#[tokio::test]
async fn in_quiet_hours_an_urgent_message_is_answered_alerted_and_reminded_at_once() {
    let (url, got) = receiver().await;
    let config = format!(
        "{FAST}\n[clocks]\nfirst_response = \"2s\"\nreminder_every = \"2s\"\nescalate_after = \"1h\"\n\
         [clocks.urgent]\nfirst_response = \"2s\"\nreminder_every = \"1h\"\nescalate_after = \"1h\"\n\
         {}[alerts]\nwebhook = \"{url}\"\n",
        quiet_now()
    );
    let app = App::start(&config).await;
    app.setup_grid().await;
    alert_chat(&app).await;
    app.raise(&resident(2), "5号楼楼道灯坏了 晚上看不见 麻烦修一下")
        .await;
    let m = app.say(GROUP, &resident(1), FIRE);
    let r = app.answer_to(GROUP, m, "119").await;
    assert!(r.text.contains("#2"), "{}", r.text);
    app.wait("the urgent alert in the alert chat", |_| {
        !app.sent_containing(ALERTS, "紧急诉求 #2").is_empty()
    })
    .await;
    let hook = posted(&app, &got, |v| v["kind"] == "urgent").await;
    assert_eq!(
        (hook["petition"].clone(), hook["urgent"].clone()),
        (json!(2), json!(true))
    );
    app.wait("the urgent reminder, quiet hours or not", |_| {
        reminders(&app).iter().any(|s| s.reply_to == Some(m as i32))
    })
    .await;
    // The ordinary petition's reminder waits for the end of quiet hours.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        reminders(&app).iter().all(|s| !s.text.contains("#1")),
        "{:#?}",
        reminders(&app)
    );
    let p = app.petition(1).await;
    assert!(p.next_due_at > Some(gridbot::now_ms() + 3_600_000), "{p:?}");
}

#[tokio::test]
async fn urgent_alerts_reach_wecom_dingtalk_and_feishu_robots_in_their_shapes() {
    async fn one(format: &str) -> serde_json::Value {
        let (url, got) = receiver().await;
        let app = App::start(&format!(
            "{FAST}\n[alerts]\nwebhook = \"{url}\"\nwebhook_format = \"{format}\"\n"
        ))
        .await;
        app.setup_grid().await;
        app.say(GROUP, &resident(1), FIRE);
        posted(&app, &got, |_| true).await
    }
    let (wecom, dingtalk, feishu) = tokio::join!(one("wecom"), one("dingtalk"), one("feishu"));
    for v in [&wecom, &dingtalk] {
        assert_eq!(v["msgtype"], "text", "{v}");
        let content = v["text"]["content"].as_str().unwrap_or_default();
        assert!(content.contains("紧急诉求 #1"), "{v}");
        assert_eq!(v.as_object().map(|o| o.len()), Some(2), "{v}");
    }
    assert_eq!(feishu["msg_type"], "text", "{feishu}");
    let text = feishu["content"]["text"].as_str().unwrap_or_default();
    assert!(text.contains("紧急诉求 #1"), "{feishu}");
}

#[tokio::test]
async fn a_reminder_is_sent_exactly_once_across_sigkills_before_and_after_it_was_queued() {
    let mut app = App::start(&format!(
        "{FAST}\n[clocks]\nfirst_response = \"3s\"\nreminder_every = \"1h\"\nescalate_after = \"1h\"\n\
         [quiet_hours]\nstart = \"00:00\"\nend = \"00:00\"\n"
    ))
    .await;
    app.setup_grid().await;
    // Down across the deadline: the reminder goes out once it is back.
    let m1 = app
        .raise(&resident(1), "7号楼电梯里的灯不亮了 黑乎乎的")
        .await;
    app.kill9();
    tokio::time::sleep(Duration::from_secs(4)).await;
    app.spawn();
    app.wait("#1's reminder", |_| {
        !app.sent_containing(GROUP, "催办提醒").is_empty()
    })
    .await;

    // Queued but not delivered when it dies: delivered after the restart, once.
    // (The new instance polls once the dead one's poller lease has run out.)
    let m2 = app
        .raise(&resident(2), "3号楼门口地砖坏了 好几个人摔倒了 能修一下吗")
        .await;
    app.api.fail_next("sendMessage", Failure::Status(502), 1);
    app.wait("#2's reminder failing once", |_| {
        app.log_of(1).contains("send failed; will retry")
    })
    .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    app.kill9();
    app.spawn();
    app.wait("#2's reminder", |_| {
        reminders(&app)
            .iter()
            .any(|s| s.reply_to == Some(m2 as i32))
    })
    .await;
    app.settle().await;
    for (m, n) in [(m1, 1), (m2, 2)] {
        let sent: Vec<_> = reminders(&app)
            .into_iter()
            .filter(|s| s.reply_to == Some(m as i32))
            .collect();
        assert_eq!(sent.len(), 1, "#{n}: {sent:#?}");
        let p = app.petition(n).await;
        assert_eq!(p.reminders, 1, "#{n}");
    }
}

#[tokio::test]
async fn a_resolution_nobody_rates_closes_as_not_rated_after_the_rating_window() {
    let app = App::start(&format!("{FAST}\n[clocks]\nrating_window = \"3s\"\n")).await;
    app.setup_grid().await;
    let m = app
        .raise(&resident(1), "4号楼单元门的闭门器坏了 门关不上")
        .await;
    app.say(GROUP, &worker(), "/resolve 1 已更换闭门器");
    let resolved = app.answer_to(GROUP, m, "已办结").await;
    assert!(resolved.reply_markup.is_some());
    app.wait("the rating buttons replaced", |a| {
        a.calls_to("editMessageReplyMarkup").iter().any(|c| {
            c.params["message_id"] == resolved.message_id && c.params.to_string().contains("未评价")
        })
    })
    .await;
    let store = app.store().await;
    let p = store.petition(PetitionNo(1)).await.unwrap().unwrap();
    assert_eq!((p.state, p.rating), (State::Closed, Some(Rating::Unrated)));
    assert!(p.closed_at >= p.resolved_at.map(|r| r + 3_000));
    let rows = store.export(0).await.unwrap();
    assert_eq!(rows[0].rating.as_deref(), Some("unrated"));
}

#[tokio::test]
async fn on_postgres_three_instances_send_each_reminder_exactly_once() {
    let config = format!(
        "{FAST}\n[clocks]\nfirst_response = \"2s\"\nreminder_every = \"2s\"\nescalate_after = \"1h\"\n\
         [quiet_hours]\nstart = \"00:00\"\nend = \"00:00\"\n"
    );
    let Some(mut app) = App::start_postgres(&config, &[]).await else {
        return;
    };
    app.spawn();
    app.spawn();
    app.setup_grid().await;
    let texts = [
        "1号楼路灯不亮了 麻烦来看看",
        "2号楼下水道堵了 麻烦来看看",
        "3号楼井盖松了 麻烦来看看",
    ];
    for (i, t) in texts.iter().enumerate() {
        app.raise(&resident(i as i64), t).await;
    }
    app.wait("a few rounds of reminders", |_| reminders(&app).len() >= 6)
        .await;
    for n in 1..=texts.len() {
        app.say(GROUP, &worker(), &format!("/claim {n}"));
    }
    app.settle().await;
    let store = app.store().await;
    for n in 1..=texts.len() as i64 {
        let p = store.petition(PetitionNo(n)).await.unwrap().unwrap();
        assert!(p.first_response_at.is_some(), "#{n} claimed");
        let named = reminders(&app)
            .iter()
            .filter(|s| s.text.contains(&format!("#{n} ")))
            .count();
        assert_eq!(named as i32, p.reminders, "#{n}: one message per reminder");
        assert!(p.reminders >= 1, "#{n}");
    }
}
