//! Telegram's limits (SPEC §5: queueing, never dropping): bursts through a fake server that
//! answers 429 to every send breaking them (30 a second overall, 20 a minute into a group,
//! one a second into a private chat) provoke none, and everything arrives once.

use crate::harness::*;
use gridbot_fake_api::{Call, Options, fixtures};
use std::collections::HashMap;
use std::time::Duration;

const GROUPS: i64 = 40;
const BUSY: i64 = 5;
const PETITIONS: i64 = 8;

fn group(k: i64) -> i64 {
    -4100 - k
}

/// The sends each chat received, in arrival order.
fn sends_by_chat(calls: &[Call]) -> HashMap<i64, Vec<&Call>> {
    let mut by: HashMap<i64, Vec<&Call>> = HashMap::new();
    for c in calls {
        if let Some(chat) = c.params["chat_id"].as_i64() {
            by.entry(chat).or_default().push(c);
        }
    }
    by
}

#[tokio::test]
async fn bursts_across_forty_groups_and_a_private_chat_provoke_no_429_and_all_arrive() {
    let opts = Options {
        enforce_limits: true,
        ..Options::default()
    };
    let app = App::start_with(FAST, opts).await;
    // Forty binds at once: forty answers in forty chats, more than one second's worth.
    let binds: Vec<(i64, i64)> = (1..=GROUPS)
        .map(|k| {
            let text = format!("/bind 欣锦苑社区 第{k}网格");
            (group(k), app.say(group(k), &admin(), &text))
        })
        .collect();
    for (chat, id) in &binds {
        app.answer_to(*chat, *id, "已绑定").await;
    }
    // Five groups get a worker and eight petitions each; the worker claims all forty at once:
    // forty status messages (and the category templates), eighteen at most into one group.
    let busy: Vec<i64> = (1..=BUSY).map(group).collect();
    for &chat in &busy {
        let intro = app.say(chat, &worker(), "大家好 我是本网格的网格员");
        let role = app.reply(chat, &admin(), "/role worker", intro, &worker());
        app.answer_to(chat, role, "网格员").await;
    }
    let mut raised = Vec::new();
    for (g, &chat) in busy.iter().enumerate() {
        for i in 0..PETITIONS {
            let n = g as i64 * PETITIONS + i;
            let text = format!(
                "{}号楼{}单元楼道灯坏了 晚上看不见 麻烦修一下",
                n + 1,
                i % 3 + 1
            );
            raised.push((chat, app.say(chat, &resident(n), &text)));
        }
    }
    app.wait("every petition acknowledged", |_| {
        raised.iter().all(|(c, m)| app.reactions_on(*c, *m) >= 1)
    })
    .await;
    let rows = app.store().await.export(0).await.expect("export");
    assert_eq!(rows.len() as i64, BUSY * PETITIONS, "one petition each");
    for r in &rows {
        app.say(r.chat_id, &worker(), &format!("/claim {}", r.number));
    }
    // Meanwhile a resident asks for help five times in a private chat: one a second there.
    let me = resident(99);
    for i in 0..5 {
        app.push(fixtures::private_text(&me, 50 + i, "/help"));
    }
    let statuses = |chat: i64, m: i64| {
        app.api
            .sent_to(chat)
            .iter()
            .filter(|s| s.reply_to == Some(m as i32) && s.text.contains("受理"))
            .count()
    };
    let arrived = app
        .api
        .wait_until(Duration::from_secs(60), |a| {
            raised.iter().all(|(c, m)| statuses(*c, *m) >= 1) && a.sent_to(me.id).len() >= 5
        })
        .await;
    assert!(arrived, "not everything arrived:\n{}", app.log());
    app.settle().await;

    assert_eq!(app.api.too_many_requests(), 0, "{}", app.log());
    for (c, m) in &raised {
        assert_eq!(statuses(*c, *m), 1, "one status for message {m} in {c}");
    }
    assert_eq!(app.api.sent_to(me.id).len(), 5);
    let calls = app.api.calls_to("sendMessage");
    for (chat, sends) in sends_by_chat(&calls) {
        // Paced a second apart in every chat, so no group nears 20 a minute in a burst.
        for w in sends.windows(2) {
            let gap = w[1].at.duration_since(w[0].at);
            assert!(gap >= Duration::from_millis(900), "{chat}: {gap:?} apart");
        }
        if chat < 0 {
            assert!(sends.len() <= 20, "{chat}: {} sends", sends.len());
        }
    }
    // Never more than 30 in any second overall.
    for (i, c) in calls.iter().enumerate() {
        let within = calls[i..]
            .iter()
            .take_while(|d| d.at.duration_since(c.at) < Duration::from_secs(1))
            .count();
        assert!(within <= 30, "{within} sends within a second");
    }
}
