//! Bad input gets a clear answer and changes nothing.

use crate::harness::*;
use gridbot_fake_api::fixtures;
use gridbot_handlers::model::State;

#[tokio::test]
async fn wrong_arguments_and_unknown_numbers_get_one_clear_sentence() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    for (cmd, expect) in [
        ("/claim", "用法：/claim 编号"),
        ("/claim abc", "用法：/claim 编号"),
        ("/claim 999", "没有找到诉求 #999"),
        ("/reply 1", "用法：/reply 编号 内容"),
        ("/resolve 999 好了", "没有找到诉求 #999"),
        ("/frobnicate", "没有 /frobnicate 这个命令"),
        ("/merge 1", "用法：/merge"),
    ] {
        let m = app.say(GROUP, &worker(), cmd);
        let r = app.answer_to(GROUP, m, expect).await;
        assert!(!r.text.contains('\n'), "one line for {cmd}: {}", r.text);
    }
    assert_eq!(app.store().await.petition_count().await.unwrap(), 0);
}

#[tokio::test]
async fn garbage_and_forged_callbacks_get_a_toast_and_change_nothing() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    let who = resident(1);
    let m = app
        .raise(&who, "8号楼后面那个污水井盖一直往外渗黑水 又臭又滑 谁管管")
        .await;
    app.say(GROUP, &worker(), "/resolve 1 已疏通");
    let resolved = app.answer_to(GROUP, m, "已办结").await;
    for (i, data) in ["garbage", "rate:1:x", "rate:999:s", "rate:1:s:extra", ""]
        .iter()
        .enumerate()
    {
        app.push(fixtures::callback(
            &format!("cb{i}"),
            &who,
            GROUP,
            resolved.message_id as i64,
            data,
        ));
    }
    // Someone else presses a real button.
    app.push(fixtures::callback(
        "cbn",
        &resident(2),
        GROUP,
        resolved.message_id as i64,
        "rate:1:s",
    ));
    app.wait("six toasts", |a| {
        a.calls_to("answerCallbackQuery").len() >= 6
    })
    .await;
    let toasts = app.api.calls_to("answerCallbackQuery");
    assert!(toasts.iter().any(|c| {
        c.params["text"]
            .as_str()
            .unwrap_or("")
            .contains("只有反映问题的居民本人")
    }));
    let p = app.petition(1).await;
    assert_eq!(p.state, State::Resolved);
    assert!(p.rating.is_none());
}

#[tokio::test]
async fn stickers_unknown_updates_and_unbound_groups_are_stored_and_left_alone() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    let before = app.api.sent_messages().len();
    app.push(fixtures::sticker(GROUP, app.msg_id(), &resident(1)));
    app.push(fixtures::poll("p1", "周末去哪玩"));
    app.say(-777, &resident(1), "电梯坏了 谁来修一下");
    app.push(fixtures::new_member(
        GROUP,
        app.msg_id(),
        &resident(2),
        &resident(3),
    ));
    app.settle().await;
    assert_eq!(
        app.api.sent_messages().len(),
        before,
        "nothing said: {:?}",
        app.api.sent_messages()
    );
    assert_eq!(app.store().await.petition_count().await.unwrap(), 0);
    // A command in the unbound group says how to bind it.
    let m = app.say(-777, &resident(1), "/list");
    app.answer_to(-777, m, "/bind").await;
}

#[tokio::test]
async fn a_4096_character_message_is_tracked_and_every_answer_fits_telegrams_limit() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    let long = format!(
        "9号楼2单元楼道漏水 请物业来看看 {}",
        "水一直在滴".repeat(810)
    );
    let long: String = long.chars().take(4096).collect();
    app.raise(&resident(1), &long).await;
    let s = app.say(GROUP, &resident(1), "/status 1");
    let r = app.answer_to(GROUP, s, "#1").await;
    assert!(
        r.text.encode_utf16().count() <= 4096,
        "{}",
        r.text.encode_utf16().count()
    );
    for sent in app.api.sent_messages() {
        assert!(sent.text.encode_utf16().count() <= 4096);
    }
}

#[tokio::test]
async fn an_edited_message_updates_the_petition_text() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    let who = resident(1);
    let m = app
        .raise(&who, "4号楼西边那个化粪池满了往外冒 多长时间抽一回啊")
        .await;
    app.push(fixtures::edited(
        GROUP,
        m,
        &who,
        "4号楼西边那个化粪池满了往外冒 臭的窗户都不敢开 多长时间抽一回啊",
    ));
    app.settle().await;
    let p = app.petition(1).await;
    assert!(p.text.contains("臭的窗户"), "{}", p.text);
    // Someone else's edit of a message they did not write cannot exist; a stranger's edit
    // of their own unrelated message changes nothing.
    app.push(fixtures::edited(GROUP, 55, &resident(9), "随便改改"));
    app.settle().await;
    assert_eq!(app.store().await.petition_count().await.unwrap(), 1);
}

#[tokio::test]
async fn a_photo_with_a_caption_is_judged_and_one_without_needs_a_look() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    let a = app.msg_id();
    app.push(fixtures::photo(
        GROUP,
        a,
        &resident(1),
        Some("2号楼门口的井盖没了 很危险 赶紧来看看"),
    ));
    app.wait("captioned photo tracked", |_| {
        app.reactions_on(GROUP, a) >= 1
    })
    .await;
    let b = app.msg_id();
    app.push(fixtures::photo(GROUP, b, &resident(2), None));
    let r = app.answer_to(GROUP, b, "查看").await;
    assert!(r.text.contains("#2"), "{}", r.text);
    let p = app.petition(2).await;
    assert!(p.needs_look);
}
