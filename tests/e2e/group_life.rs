//! The bot joining and leaving groups, supergroup upgrades, privacy mode, menus.

use crate::harness::*;
use gridbot_fake_api::{Options, fixtures};
use gridbot_handlers::model::PetitionNo;

#[tokio::test]
async fn added_to_an_unbound_group_the_bot_says_once_how_to_bind_it() {
    let app = App::start(FAST).await;
    let bot = app.api.options().bot_id;
    app.push(fixtures::bot_added(-5005, "新网格群", &admin(), bot));
    app.wait("the binding hint", |a| {
        a.sent_to(-5005).iter().any(|s| s.text.contains("/bind"))
    })
    .await;
    app.settle().await;
    assert_eq!(app.api.sent_to(-5005).len(), 1);
}

#[tokio::test]
async fn a_group_upgraded_to_a_supergroup_keeps_its_binding_and_petitions() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    app.raise(
        &resident(1),
        "7号楼二单元电梯里4楼那个按键按了没反应 麻烦修一下",
    )
    .await;
    let new_id = -1_000_000_004_001;
    app.push(fixtures::migrate(GROUP, new_id));
    app.push(fixtures::migrated_from(GROUP, new_id));
    let m2 = app.say(
        new_id,
        &resident(2),
        "10号楼车棚的充电桩又坏了 扫码不出电 都好几天了",
    );
    app.wait("petition in the supergroup", |_| {
        app.reactions_on(new_id, m2) >= 1
    })
    .await;
    let store = app.store().await;
    let p1 = store.petition(PetitionNo(1)).await.unwrap().unwrap();
    let p2 = store.petition(PetitionNo(2)).await.unwrap().unwrap();
    assert_eq!(p1.chat_id, new_id);
    assert_eq!(
        (p2.community.as_str(), p2.grid.as_str()),
        ("欣锦苑社区", "第一网格")
    );
    // The worker's role followed.
    let c = app.say(new_id, &worker(), "/claim 1");
    app.wait("claim in the supergroup", |a| {
        a.sent_to(new_id).iter().any(|s| s.text.contains("受理"))
    })
    .await;
    let _ = c;
}

#[tokio::test]
async fn privacy_mode_is_reported_plainly_at_start_up() {
    let opts = Options {
        can_read_all_group_messages: false,
        ..Options::default()
    };
    let app = App::start_with(FAST, opts).await;
    app.wait("start-up", |a| !a.calls_to("getUpdates").is_empty())
        .await;
    let log = app.log();
    assert!(
        log.contains("privacy mode") && log.contains("/setprivacy"),
        "{log}"
    );
}

#[tokio::test]
async fn menus_are_registered_and_the_token_never_reaches_the_log() {
    let mut app = App::start(FAST).await;
    app.wait("setMyCommands", |a| a.calls_to("setMyCommands").len() >= 2)
        .await;
    app.setup_grid().await;
    assert!(app.stop(), "graceful stop on SIGTERM");
    let log = app.log();
    let secret = gridbot_fake_api::TOKEN.split(':').nth(1).unwrap();
    assert!(!log.contains(secret), "token leaked into the log");
    assert!(log.contains("stopped"), "{log}");
}

#[tokio::test]
async fn staff_get_the_staff_menu_in_their_group_and_residents_keep_theirs() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    let scoped = |a: &gridbot_fake_api::FakeApi, user: i64| {
        a.calls_to("setMyCommands").into_iter().find(|c| {
            c.params["scope"]["type"] == "chat_member"
                && c.params["scope"]["user_id"] == user
                && c.params["scope"]["chat_id"] == GROUP
        })
    };
    app.wait("the worker's menu", |a| scoped(a, worker().id).is_some())
        .await;
    let names = |c: &gridbot_fake_api::Call| -> Vec<String> {
        c.params["commands"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["command"].as_str().unwrap().to_string())
            .collect()
    };
    let worker_menu = names(&scoped(&app.api, worker().id).unwrap());
    assert!(
        worker_menu.contains(&"claim".to_string()) && !worker_menu.contains(&"bind".to_string()),
        "{worker_menu:?}"
    );
    let admin_menu = names(&scoped(&app.api, admin().id).expect("the admin's menu"));
    assert!(admin_menu.contains(&"bind".to_string()), "{admin_menu:?}");
    // The default menu everyone else sees has no staff commands.
    let default = app
        .api
        .calls_to("setMyCommands")
        .into_iter()
        .find(|c| c.params.get("scope").is_none())
        .expect("the default menu");
    let resident_menu = names(&default);
    assert!(
        resident_menu.contains(&"status".to_string())
            && !resident_menu.contains(&"claim".to_string())
    );
    // Taking the role away gives the default menu back.
    let intro = app.say(GROUP, &worker(), "我调走了");
    let m = app.reply(GROUP, &admin(), "/role resident", intro, &worker());
    app.answer_to(GROUP, m, "已取消").await;
    app.wait("the worker's menu removed", |a| {
        a.calls_to("deleteMyCommands")
            .iter()
            .any(|c| c.params["scope"]["user_id"] == worker().id)
    })
    .await;
}
