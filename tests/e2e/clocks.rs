//! Every message gets an answer (SPEC §3): reminders in the group, overdue alerts to the
//! community and its webhook, quiet hours, restarts, and resolutions nobody rated.

use crate::harness::*;
use gridbot_fake_api::Sent;
use gridbot_handlers::model::PetitionNo;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Second-long clocks: first response, repeat, escalation; then more config.
fn clocks(first: &str, every: &str, escalate: &str, extra: &str) -> String {
    format!(
        "{FAST}\n[clocks]\nfirst_response = \"{first}\"\nreminder_every = \"{every}\"\n\
         escalate_after = \"{escalate}\"\n{extra}\n"
    )
}

const NO_QUIET: &str = "[quiet_hours]\nstart = \"00:00\"\nend = \"00:00\"\n";

/// A local webhook receiver: the URL to configure and every JSON body it got.
pub async fn receiver() -> (String, Arc<Mutex<Vec<Value>>>) {
    let got: Arc<Mutex<Vec<Value>>> = Arc::default();
    let store = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |axum::Json(v): axum::Json<Value>| {
            let store = store.clone();
            async move {
                store.lock().unwrap_or_else(|e| e.into_inner()).push(v);
                axum::Json(serde_json::json!({"errcode": 0, "errmsg": "ok"}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    (format!("http://{addr}/hook"), got)
}

pub async fn posted(app: &App, got: &Arc<Mutex<Vec<Value>>>, f: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..750 {
        if let Some(v) = got
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .find(|v| f(v))
        {
            return v.clone();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!(
        "no such webhook POST; got {:#?}\nlog:\n{}",
        got.lock().unwrap(),
        app.log()
    );
}

/// Make ALERTS the community's alert chat.
pub async fn alert_chat(app: &App) {
    let m = app.say(ALERTS, &admin(), "/alerts 欣锦苑社区");
    app.answer_to(ALERTS, m, "提醒接收群").await;
}

pub fn reminders(app: &App) -> Vec<Sent> {
    app.sent_containing(GROUP, "催办提醒")
}

/// A mention Telegram notifies: a `text_mention`, or the inline `tg://user?id=` link
/// teloxide writes for one.
fn mentions_user(s: &Sent, id: i64) -> bool {
    let link = |e: &Value| {
        e["type"] == "text_link"
            && e["url"]
                .as_str()
                .is_some_and(|u| u.starts_with("tg://user") && u.ends_with(&format!("id={id}")))
    };
    s.entities
        .as_ref()
        .and_then(Value::as_array)
        .is_some_and(|es| {
            es.iter()
                .any(|e| (e["type"] == "text_mention" && e["user"]["id"] == id) || link(e))
        })
}

/// When the fake received the first sendMessage whose text contains `needle`, in epoch ms.
fn arrival_ms(app: &App, needle: &str) -> Option<i64> {
    let call = app.api.calls_to("sendMessage").into_iter().find(|c| {
        c.params["text"]
            .as_str()
            .is_some_and(|t| t.contains(needle))
    })?;
    Some(gridbot::now_ms() - Instant::now().duration_since(call.at).as_millis() as i64)
}

#[tokio::test]
async fn an_unanswered_petition_is_reminded_naming_the_worker_then_alerted_to_the_community_and_webhook()
 {
    let (url, got) = receiver().await;
    let hook = format!("{NO_QUIET}[alerts]\nwebhook = \"{url}\"\nwebhook_format = \"generic\"\n");
    let app = App::start(&clocks("2s", "2s", "4s", &hook)).await;
    app.setup_grid().await;
    alert_chat(&app).await;
    let m = app.say(
        GROUP,
        &resident(1),
        "8号楼门口的井盖松了 走上去咣当响 我电话13812345678",
    );
    app.wait("a reminder replying to the resident's message", |_| {
        reminders(&app).iter().any(|s| s.reply_to == Some(m as i32))
    })
    .await;
    let r = &reminders(&app)[0];
    assert!(
        r.text.contains("王网格员") && r.text.contains("#1"),
        "{}",
        r.text
    );
    assert!(
        mentions_user(r, worker().id),
        "a text mention: {:?}",
        r.entities
    );

    let p = app.petition(1).await;
    let delay = arrival_ms(&app, "催办提醒").unwrap() - p.deadlines.respond_by;
    eprintln!("deadline → reminder at the fake server: {delay} ms");
    assert!((0..2_000).contains(&delay), "{delay} ms");

    app.wait("the overdue alert in the alert chat", |_| {
        !app.sent_containing(ALERTS, "超时未答复").is_empty()
    })
    .await;
    let a = &app.sent_containing(ALERTS, "超时未答复")[0];
    assert!(
        a.text.contains("#1") && a.text.contains("欣锦苑社区 第一网格"),
        "{}",
        a.text
    );
    assert!(
        a.text.contains("138****5678") && !a.text.contains("13812345678"),
        "{}",
        a.text
    );
    let hook = posted(&app, &got, |v| v["kind"] == "unanswered").await;
    assert_eq!(hook["petition"], 1);
    assert_eq!(hook["community"], "欣锦苑社区");
    assert_eq!(hook["grid"], "第一网格");
    assert_eq!(hook["wait_minutes"], 0);
    assert!(
        hook["text"].as_str().unwrap().contains("138****5678"),
        "{hook}"
    );
    // One escalation, however long it stays unanswered.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(app.sent_containing(ALERTS, "超时未答复").len(), 1);
    assert!(reminders(&app).len() >= 2, "reminders go on until answered");
}

#[tokio::test]
async fn a_neighbours_reply_keeps_the_clock_running_and_a_staff_reply_stops_it() {
    let app = App::start(&clocks("2s", "2s", "1h", NO_QUIET)).await;
    app.setup_grid().await;
    let m = app
        .raise(&resident(1), "2号楼电梯按钮坏了 按了没反应")
        .await;
    app.reply(
        GROUP,
        &resident(2),
        "我家也是 昨天就这样了",
        m,
        &resident(1),
    );
    app.wait("a reminder despite the neighbour's reply", |_| {
        !reminders(&app).is_empty()
    })
    .await;
    let store = app.store().await;
    let events = store.export_events(0).await.unwrap();
    assert!(events.iter().any(|e| e.kind == "follow_up"), "{events:?}");
    app.reply(GROUP, &worker(), "收到 马上联系维保", m, &resident(1));
    for _ in 0..100 {
        let p = store.petition(PetitionNo(1)).await.unwrap().unwrap();
        if p.first_response_at.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let p = store.petition(PetitionNo(1)).await.unwrap().unwrap();
    assert!(
        p.first_response_at.is_some(),
        "the worker's reply answers it"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = reminders(&app).len();
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(
        reminders(&app).len(),
        before,
        "no reminder after the answer"
    );
}

/// Distinct problems from distinct residents: none is a follow-up or a duplicate.
fn problem(i: i64) -> String {
    let what = [
        "路灯不亮了",
        "垃圾桶满了没人清",
        "消防通道被车堵了",
        "楼道里堆满了杂物",
        "下水道堵了",
        "单元门禁坏了",
    ];
    format!(
        "{}号楼{} 麻烦处理一下",
        i + 1,
        what[i as usize % what.len()]
    )
}

#[tokio::test]
async fn six_petitions_due_together_get_one_grouped_reminder() {
    let mut app = App::start(&clocks("2s", "1h", "1h", NO_QUIET)).await;
    app.setup_grid().await;
    app.settle().await;
    // Down while they come in, so that one batch raises all six at the same moment.
    app.kill9();
    let ids: Vec<i64> = (0..6)
        .map(|i| app.say(GROUP, &resident(i), &problem(i)))
        .collect();
    app.spawn();
    app.wait("a reminder", |_| !reminders(&app).is_empty())
        .await;
    app.settle().await;
    let sent = reminders(&app);
    assert_eq!(sent.len(), 1, "{sent:#?}");
    assert_eq!(sent[0].reply_to, None);
    for n in 1..=6 {
        assert!(sent[0].text.contains(&format!("#{n} ")), "{}", sent[0].text);
    }
    assert!(mentions_user(&sent[0], worker().id));
    assert_eq!(
        app.store().await.petition_count().await.unwrap(),
        ids.len() as i64
    );
}
