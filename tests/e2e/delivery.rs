//! Nothing lost: outgoing calls survive Telegram's errors, and updates survive SIGKILL.

use crate::harness::*;
use gridbot_fake_api::Failure;
use gridbot_storage::Store;
use std::collections::HashSet;
use std::time::Duration;

#[tokio::test]
async fn a_status_update_arrives_exactly_once_after_429_502_and_a_dropped_connection() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    let m = app
        .raise(
            &resident(1),
            "15号楼水压太小了 早上洗澡水跟滴的一样 能不能反映一下",
        )
        .await;
    app.api.fail_next(
        "sendMessage",
        Failure::TooManyRequests { retry_after: 1 },
        1,
    );
    app.api.fail_next("sendMessage", Failure::Status(502), 1);
    app.api.fail_next("sendMessage", Failure::DropConnection, 1);
    app.say(GROUP, &worker(), "/claim 1");
    if !app
        .api
        .wait_until(Duration::from_secs(40), |a| {
            a.sent_to(GROUP)
                .iter()
                .any(|s| s.reply_to == Some(m as i32))
        })
        .await
    {
        panic!("the claim's status never arrived:\n{}", app.log());
    }
    app.settle().await;
    let statuses: Vec<_> = app
        .api
        .sent_to(GROUP)
        .into_iter()
        .filter(|s| s.reply_to == Some(m as i32))
        .collect();
    assert_eq!(statuses.len(), 1, "{statuses:?}");
    assert!(statuses[0].text.contains("受理"));
    assert!(app.api.too_many_requests() >= 1);
    let stats = app.store().await.outbox_stats().await.unwrap();
    assert_eq!((stats.pending, stats.failed), (0, 0), "{stats:?}");
}

#[tokio::test]
async fn a_removed_bot_gives_up_on_that_chat_and_logs_it() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    app.api.set_chat_gone(GROUP);
    app.say(GROUP, &worker(), "/list");
    app.wait("a failed outbox item", |_| app.log().contains("giving up"))
        .await;
    let stats = app.store().await.outbox_stats().await.unwrap();
    assert_eq!(stats.pending, 0);
    assert!(stats.failed >= 1);
}

/// Distinct problems from distinct residents, so none is a follow-up or a duplicate.
fn burst_message(i: i64) -> String {
    let places = ["东门", "北门", "小区广场", "地下车库", "停车场"];
    let problems = [
        "路灯坏了好几天了 晚上黑 麻烦修一下",
        "垃圾桶满了没人清 味道很大 能不能来处理",
        "有人乱停车 堵住了通道 能不能管管",
        "地面塌了一块 很危险 谁来看看",
    ];
    format!(
        "{}号楼{} {}",
        i + 1,
        places[(i % 5) as usize],
        problems[(i % 4) as usize]
    )
}

#[tokio::test]
async fn forty_messages_with_a_sigkill_in_the_middle_give_forty_petitions_each_acknowledged() {
    let mut app = App::start(FAST).await;
    app.setup_grid().await;
    let mut ids = Vec::new();
    for i in 0..20 {
        ids.push(app.say(GROUP, &resident(i), &burst_message(i)));
    }
    // Kill it while it is working through the burst.
    app.wait("some of the burst taken in", |a| a.confirmed_offset() > 4)
        .await;
    app.kill9();
    for i in 20..40 {
        ids.push(app.say(GROUP, &resident(i), &burst_message(i)));
    }
    app.spawn();
    // A send under way at the kill stays leased to the dead process for the outbox lease
    // (30 s) before the new one takes it, and the chat's later messages queue behind it.
    if !app
        .api
        .wait_until(Duration::from_secs(90), |_| {
            ids.iter().all(|id| app.reactions_on(GROUP, *id) >= 1)
        })
        .await
    {
        panic!(
            "not every message was acknowledged:\n{}\n{}",
            app.log(),
            app.log_of(1)
        );
    }
    app.settle().await;
    let store: Store = app.store().await;
    assert_eq!(store.petition_count().await.unwrap(), 40);
    let rows = store.export(0).await.unwrap();
    let msgs: HashSet<i64> = rows.iter().map(|r| r.message_id).collect();
    assert_eq!(msgs, ids.iter().copied().collect::<HashSet<_>>());
}
