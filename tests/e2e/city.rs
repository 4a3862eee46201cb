//! A whole city: PostgreSQL, several instances sharing the work, webhook mode.

use crate::harness::*;
use std::collections::HashSet;
use std::time::{Duration, Instant};

fn message(i: i64) -> String {
    let things = [
        "路灯不亮了",
        "垃圾没人清",
        "下水道堵了",
        "井盖松了",
        "楼道堆满杂物",
    ];
    format!(
        "{}号楼{}单元{} 麻烦来看看",
        i + 1,
        i % 4 + 1,
        things[(i % 5) as usize]
    )
}

fn leader(app: &App, n: usize) -> Option<usize> {
    (0..n).find(|i| app.log_of(*i).contains("this instance now polls Telegram"))
}

#[tokio::test]
async fn two_instances_share_one_database_and_a_standby_takes_over_after_a_sigkill() {
    let Some(mut app) = App::start_postgres(FAST, &[]).await else {
        return;
    };
    app.spawn();
    app.setup_grid().await;
    let first = leader(&app, 2).expect("one instance polls");
    let mut ids = Vec::new();
    for i in 0..15 {
        ids.push(app.say(GROUP, &resident(i), &message(i)));
    }
    app.wait("part of the burst taken in", |a| a.confirmed_offset() > 6)
        .await;
    app.kill9_one(first);
    let killed = Instant::now();
    for i in 15..30 {
        ids.push(app.say(GROUP, &resident(i), &message(i)));
    }
    let other = 1 - first;
    let took_over = app
        .api
        .wait_until(Duration::from_secs(30), |_| {
            app.log_of(other)
                .contains("this instance now polls Telegram")
        })
        .await;
    let takeover = killed.elapsed();
    assert!(
        took_over,
        "the standby never took over:\n{}",
        app.log_of(other)
    );
    eprintln!("measured take-over time: {:.1} s", takeover.as_secs_f64());
    assert!(takeover <= Duration::from_secs(15), "took {takeover:?}");
    if !app
        .api
        .wait_until(Duration::from_secs(60), |_| {
            ids.iter().all(|id| app.reactions_on(GROUP, *id) >= 1)
        })
        .await
    {
        panic!("not every message was acknowledged:\n{}", app.log_of(other));
    }
    let store = app.store().await;
    assert_eq!(store.petition_count().await.unwrap(), 30);
    let msgs: HashSet<i64> = store
        .export(0)
        .await
        .unwrap()
        .iter()
        .map(|r| r.message_id)
        .collect();
    assert_eq!(msgs, ids.iter().copied().collect::<HashSet<_>>());
    // The standby never fought the leader for getUpdates.
    assert!(
        !app.log_of(other).contains("another process is polling"),
        "{}",
        app.log_of(other)
    );
}

#[tokio::test]
async fn webhook_mode_refuses_a_wrong_secret_and_stores_a_right_one() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let config = format!(
        "{FAST}\n[webhook]\nlisten = \"127.0.0.1:{port}\"\nurl = \"https://bot.example.org/tg/hook\"\nsecret = \"s3cret-token\"\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(&dir).await;
    let app = App::start_full(&config, Default::default(), dir, url, &["--webhook"]).await;
    let client = reqwest::Client::new();
    let endpoint = format!("http://127.0.0.1:{port}/tg/hook");
    let update = |id: i64, text: &str| {
        let mut u = gridbot_fake_api::fixtures::group_text(-777, id, &resident(1), text);
        u["update_id"] = id.into();
        u
    };
    // Wait for the listener.
    let mut up = false;
    for _ in 0..100 {
        if client
            .post(&endpoint)
            .json(&update(1, "x"))
            .send()
            .await
            .is_ok()
        {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "webhook listener never came up:\n{}", app.log());
    let wrong = client
        .post(&endpoint)
        .header("X-Telegram-Bot-Api-Secret-Token", "guess")
        .json(&update(2, "/start"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let right = client
        .post(&endpoint)
        .header("X-Telegram-Bot-Api-Secret-Token", "s3cret-token")
        .json(&update(3, "/start"))
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 200);
    // Stored before the 200: the unbound group's command got its answer queued and sent.
    app.wait("the answer to the webhook update", |a| {
        a.sent_to(-777).iter().any(|s| s.reply_to == Some(3))
    })
    .await;
    assert!(
        app.api.sent_to(-777).iter().all(|s| s.reply_to != Some(2)),
        "the wrong secret's update was processed"
    );
    assert!(
        app.api.calls_to("getUpdates").is_empty(),
        "webhook mode must not poll"
    );
}
