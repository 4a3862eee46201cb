//! Every case gets an outcome: rating, reopening, hand-over, escalation, merge and history.

use crate::harness::*;
use gridbot_fake_api::fixtures::{self, User};
use gridbot_fake_api::{FakeApi, Sent};
use gridbot_handlers::model::{PetitionNo, Rating, State};

fn property() -> User {
    User::new(30, "赵物业", None)
}

/// The users a message names with a text mention (teloxide sends them as `tg://user` links).
fn mentioned(s: &Sent) -> Vec<i64> {
    s.entities
        .as_ref()
        .and_then(|e| e.as_array())
        .into_iter()
        .flatten()
        .filter_map(|e| match e["type"].as_str() {
            Some("text_mention") => e["user"]["id"].as_i64(),
            Some("text_link") => e["url"]
                .as_str()
                .and_then(|u| u.strip_prefix("tg://user"))
                .and_then(|q| q.split("id=").nth(1))
                .and_then(|id| id.parse().ok()),
            _ => None,
        })
        .collect()
}

fn toasted(a: &FakeApi, needle: &str) -> bool {
    a.calls_to("answerCallbackQuery")
        .iter()
        .any(|c| c.params["text"].as_str().unwrap_or("").contains(needle))
}

async fn state_of(app: &App, n: i64) -> (State, Option<Rating>, Option<i64>) {
    let p = app
        .store()
        .await
        .petition(PetitionNo(n))
        .await
        .unwrap()
        .expect("petition");
    (p.state, p.rating, p.owner.map(|o| o.id))
}

#[tokio::test]
async fn a_petition_is_rated_reopened_handed_over_escalated_merged_into_and_its_history_shown() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    let a = app.say(ALERTS, &admin(), "/alerts 欣锦苑社区");
    app.answer_to(ALERTS, a, "提醒接收群").await;
    // A command is never a petition: the property manager's first message to reply to.
    let intro = app.say(GROUP, &property(), "/help");
    let r = app.reply(GROUP, &admin(), "/role property", intro, &property());
    app.answer_to(GROUP, r, "物业").await;

    // #1, and a neighbour's "+1" who becomes its follower.
    let m = app
        .raise(&resident(1), "3号楼2单元的电梯又不动了 有没有人管")
        .await;
    let plus = app.say(GROUP, &resident(2), "三号楼二单元电梯坏了 麻烦物业看看");
    app.answer_to(GROUP, plus, "#1").await;

    // Resolved: the buttons, and the follower is told by name.
    app.say(GROUP, &worker(), "/claim 1");
    app.answer_to(GROUP, m, "受理").await;
    app.say(GROUP, &worker(), "/resolve 1 电梯已修复 请试用");
    let resolved = app.answer_to(GROUP, m, "已办结").await;
    assert!(resolved.reply_markup.is_some(), "rating buttons");
    assert!(
        mentioned(&resolved).contains(&resident(2).id),
        "{resolved:?}"
    );

    // The neighbour may not rate it; the resident's 不满意 reopens it and alerts the community.
    let msg = resolved.message_id as i64;
    app.push(fixtures::callback(
        "c1",
        &resident(2),
        GROUP,
        msg,
        "rate:1:s",
    ));
    app.wait("the refusal toast", |a| {
        toasted(a, "只有反映问题的居民本人")
    })
    .await;
    assert_eq!(state_of(&app, 1).await.0, State::Resolved);
    app.push(fixtures::callback(
        "c2",
        &resident(1),
        GROUP,
        msg,
        "rate:1:u",
    ));
    app.answer_to(GROUP, m, "不满意").await;
    app.wait("the dissatisfaction alert", |a| {
        a.sent_to(ALERTS)
            .iter()
            .any(|s| s.text.contains("#1") && s.text.contains("不满意"))
    })
    .await;
    app.wait("the buttons replaced by the verdict", |a| {
        a.calls_to("editMessageReplyMarkup")
            .iter()
            .any(|c| c.params.to_string().contains("已评价：不满意"))
    })
    .await;
    let (state, rating, owner) = state_of(&app, 1).await;
    assert_eq!(
        (state, rating, owner),
        (State::Claimed, Some(Rating::Unsatisfied), Some(worker().id))
    );

    // Handed over to property staff, then 上报: the alert chat hears, the worker still works it.
    app.reply(GROUP, &worker(), "/transfer 1", intro, &property());
    let told = app.answer_to(GROUP, m, "转交").await;
    assert!(mentioned(&told).contains(&property().id), "{told:?}");
    assert_eq!(state_of(&app, 1).await.2, Some(property().id));
    app.say(
        GROUP,
        &property(),
        "/escalate 1 需要社区协调维保单位更换主板",
    );
    app.answer_to(GROUP, m, "上报社区").await;
    app.wait("the escalation alert", |a| {
        a.sent_to(ALERTS)
            .iter()
            .any(|s| s.text.contains("上报 #1") && s.text.contains("更换主板"))
    })
    .await;
    app.say(GROUP, &worker(), "/progress 1 主板已订货 周五到");
    app.answer_to(GROUP, m, "主板已订货").await;
    assert_eq!(state_of(&app, 1).await.0, State::Escalated);

    // #2 is the same problem in other words: merged, gone from /list, its resident told.
    let dup = app
        .raise(&resident(3), "我们单元电梯也停了好几天了 物业管管吧")
        .await;
    app.say(GROUP, &worker(), "/merge 2 1");
    let merged = app.answer_to(GROUP, dup, "#1").await;
    assert!(merged.text.contains("合并"), "{}", merged.text);
    assert!(mentioned(&merged).contains(&resident(3).id), "{merged:?}");
    let l = app.say(GROUP, &worker(), "/list");
    let list = app.answer_to(GROUP, l, "#1").await;
    assert!(!list.text.contains("#2"), "{}", list.text);

    // Answering the merge notice adds to the petition that stays, not to a new one.
    let bot = User::bot(app.api.options());
    let more = "都三天了还是没人来修";
    app.reply(GROUP, &resident(3), more, merged.message_id as i64, &bot);
    app.settle().await;
    let store = app.store().await;
    assert_eq!(store.petition_count().await.unwrap(), 2);
    let events = store.export_events(0).await.unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.number == 1 && e.kind == "follow_up" && e.note == more),
        "{events:?}"
    );

    // The final resolution reaches #2's resident too.
    app.say(GROUP, &worker(), "/resolve 1 主板已更换 电梯恢复运行");
    let done = app.answer_to(GROUP, m, "主板已更换").await;
    let named = mentioned(&done);
    assert!(
        named.contains(&resident(2).id) && named.contains(&resident(3).id),
        "{done:?}"
    );

    // The whole story, in order.
    let s = app.say(GROUP, &resident(1), "/status 1");
    let status = app.answer_to(GROUP, s, "处理记录").await;
    let mut rest = status.text.split_once("处理记录").map_or("", |(_, r)| r);
    for step in [
        "登记",
        "关注",
        "受理",
        "办结",
        "评价：不满意",
        "重新打开",
        "转交：赵物业",
        "上报社区",
        "进展",
        "#2 并入",
        "办结",
    ] {
        let at = rest
            .find(step)
            .unwrap_or_else(|| panic!("{step:?} missing or out of order:\n{}", status.text));
        rest = &rest[at + step.len()..];
    }
    let s = app.say(GROUP, &resident(3), "/status 2");
    let status = app.answer_to(GROUP, s, "已并入 #1").await;
    assert!(status.text.contains("合并到：#1"), "{}", status.text);

    // The same history is what `gridbot export --events` reads.
    let kinds: Vec<String> = app
        .store()
        .await
        .export_events(0)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.number == 1 && !matches!(e.kind.as_str(), "acknowledged" | "answered"))
        .map(|e| e.kind)
        .collect();
    let expected = "raised joined claimed resolved rated reopened transferred escalated progress \
                    joined follow_up resolved";
    assert_eq!(kinds.join(" "), expected);
}
