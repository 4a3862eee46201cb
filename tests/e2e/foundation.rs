//! Bind, roles, and a petition's life from a resident's message to its resolution.

use crate::harness::*;
use gridbot_fake_api::fixtures;
use gridbot_handlers::model::{PetitionNo, State};

#[tokio::test]
async fn an_admin_binds_a_group_and_gives_a_worker_the_role() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    let store = app.store().await;
    // A resident cannot bind or give roles.
    let m = app.say(GROUP, &resident(1), "/bind 别的社区 别的网格");
    app.answer_to(GROUP, m, "只有街道管理员").await;
    let m = app.reply(GROUP, &resident(1), "/role secretary", 5, &resident(2));
    app.answer_to(GROUP, m, "只有街道管理员").await;
    // The worker is staff now: /list answers instead of refusing.
    let m = app.say(GROUP, &worker(), "/list");
    app.answer_to(GROUP, m, "目前没有").await;
    assert_eq!(store.petition_count().await.unwrap(), 0);
}

#[tokio::test]
async fn a_residents_message_becomes_a_petition_the_worker_claims_progresses_and_resolves() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    let who = resident(1);
    let m = app
        .raise(
            &who,
            "11号楼1单元电梯又坏了 这个月第三回了 我家住18楼 老人下不了楼 啥时候能修好",
        )
        .await;
    let store = app.store().await;
    let p = store
        .petition(PetitionNo(1))
        .await
        .unwrap()
        .expect("petition #1");
    assert_eq!(p.message_id as i64, m);
    assert_eq!(p.category.as_deref(), Some("elevator"));
    assert_eq!(p.location.as_deref(), Some("11号楼1单元"));
    assert_eq!(p.state, State::Open);

    let c = app.say(GROUP, &worker(), "/claim 1");
    let status = app.answer_to(GROUP, m, "受理").await;
    assert!(status.text.contains("#1"), "{}", status.text);
    // The claim answer suggests the category's template to the worker.
    app.answer_to(GROUP, c, "标准答复").await;

    app.say(GROUP, &worker(), "/progress 1 已联系维保公司 下午两点到");
    app.answer_to(GROUP, m, "维保公司").await;
    app.say(GROUP, &worker(), "/resolve 1 电梯已修复 请试用");
    let resolved = app.answer_to(GROUP, m, "已办结").await;
    let buttons = resolved.reply_markup.expect("rating buttons");
    let labels: Vec<String> = buttons["inline_keyboard"][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(labels, ["满意", "基本满意", "不满意"]);

    let p = store.petition(PetitionNo(1)).await.unwrap().unwrap();
    assert_eq!(p.state, State::Resolved);
    assert_eq!(p.owner.map(|o| o.id), Some(worker().id));
    assert!(p.first_response_at.is_some() && p.resolved_at.is_some());
}

#[tokio::test]
async fn a_resident_trying_to_claim_is_refused_and_nothing_changes() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    app.raise(
        &resident(1),
        "5号楼楼道灯坏了好几天了 晚上黑乎乎的 麻烦修一下",
    )
    .await;
    let c = app.say(GROUP, &resident(2), "/claim 1");
    app.answer_to(GROUP, c, "只有本网格的网格员").await;
    let p = app.petition(1).await;
    assert_eq!(p.state, State::Open);
    assert!(p.owner.is_none() && p.first_response_at.is_none());
}

#[tokio::test]
async fn chit_chat_is_stored_but_not_tracked_and_a_follow_up_joins_the_petition() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    let who = resident(3);
    app.say(GROUP, &who, "收到 谢谢王姐");
    app.say(GROUP, &resident(4), "早上好 今天天气真不错☀️");
    app.raise(&who, "6号楼后面的路灯好几天不亮了 晚上走着害怕")
        .await;
    let f = app.say(GROUP, &who, "对了 旁边那个也不亮 能一起看看吗");
    app.settle().await;
    let store = app.store().await;
    assert_eq!(
        store.petition_count().await.unwrap(),
        1,
        "chit-chat and the follow-up are no new petitions"
    );
    assert_eq!(app.reactions_on(GROUP, f), 0);
    let events = store.export_events(0).await.unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.kind == "follow_up" && e.note.contains("旁边那个")),
        "{events:?}"
    );
}

#[tokio::test]
async fn the_same_problem_from_a_neighbour_joins_the_open_petition_as_a_follower() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    app.raise(&resident(1), "3号楼2单元的电梯又不动了 有没有人管")
        .await;
    let b = app.say(GROUP, &resident(2), "三号楼二单元电梯坏了 麻烦物业看看");
    let told = app.answer_to(GROUP, b, "#1").await;
    assert!(told.text.contains("关注"), "{}", told.text);
    assert_eq!(app.store().await.petition_count().await.unwrap(), 1);
}

#[tokio::test]
async fn an_urgent_message_gets_the_emergency_numbers_at_once() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    let m = app.say(
        GROUP,
        &resident(1),
        "着火了着火了 11号楼2单元五楼窗户冒黑烟 打119了吗",
    );
    let r = app.answer_to(GROUP, m, "119").await;
    assert!(r.text.contains("#1"), "{}", r.text);
    let p = app.petition(1).await;
    assert!(p.urgent);
}

#[tokio::test]
async fn ack_reply_mode_tells_the_number_and_the_promised_time() {
    let app = App::start(&format!("{FAST}\n[intake]\nack = \"reply\"\n")).await;
    app.setup_grid().await;
    let m = app.say(
        GROUP,
        &resident(1),
        "小区广场健身器材那个转轮坏了 螺丝都掉了 能修吗",
    );
    let r = app.answer_to(GROUP, m, "#1").await;
    assert!(r.text.contains("前答复"), "{}", r.text);
    assert_eq!(app.reactions_on(GROUP, m), 0);
}

#[tokio::test]
async fn status_and_my_show_a_residents_petitions() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    let who = resident(1);
    app.raise(
        &who,
        "12号楼3单元暖气不热 屋里才16度 能帮忙反映一下吗 电话13812345678",
    )
    .await;
    let s = app.say(GROUP, &who, "/status 1");
    let r = app.answer_to(GROUP, s, "处理记录").await;
    assert!(r.text.contains("138****5678"), "phone masked: {}", r.text);
    assert!(!r.text.contains("13812345678"));
    let my = app.say(GROUP, &who, "/my");
    app.answer_to(GROUP, my, "#1").await;
    // In a private chat too.
    app.push(fixtures::private_text(&who, 7, "/my"));
    app.wait("/my in private", |a| {
        a.sent_to(who.id).iter().any(|s| s.text.contains("#1"))
    })
    .await;
}
