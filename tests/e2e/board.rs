//! The live board (`[board] enabled`): one pinned message per grid group listing its
//! waiting petitions, edited in place as they change, at most once per interval, and sent
//! again when it was deleted.

use crate::harness::*;
use gridbot_fake_api::{Call, Failure, Sent};
use std::time::Duration;

const HEADER: &str = "本网格待办诉求";
const ELEVATOR: &str = "11号楼1单元电梯又坏了 老人下不了楼 啥时候能修好";
const LIGHT: &str = "5号楼楼道灯坏了好几天了 晚上黑乎乎的 麻烦修一下";

fn config(min_interval: &str) -> String {
    format!("{FAST}[board]\nenabled = true\nmin_interval = \"{min_interval}\"\n")
}

/// Every board the bot sent into the group (new messages, not edits).
fn boards(app: &App) -> Vec<Sent> {
    app.sent_containing(GROUP, HEADER)
}

fn edits(app: &App) -> Vec<Call> {
    app.api.calls_to("editMessageText")
}

fn pins(app: &App) -> Vec<Call> {
    app.api.calls_to("pinChatMessage")
}

fn text_of(c: &Call) -> &str {
    c.params["text"].as_str().unwrap_or_default()
}

/// Wait for the board to be sent and pinned; returns it.
async fn pinned_board(app: &App, needle: &str) -> Sent {
    app.wait(&format!("a board showing {needle}"), |_| {
        boards(app).iter().any(|b| b.text.contains(needle))
    })
    .await;
    let board = boards(app)
        .into_iter()
        .find(|b| b.text.contains(needle))
        .expect("just seen");
    let id = board.message_id;
    app.wait("the board pinned", |_| {
        pins(app).iter().any(|c| c.params["message_id"] == id)
    })
    .await;
    let pin = pins(app)
        .into_iter()
        .find(|c| c.params["message_id"] == id)
        .expect("just seen");
    assert_eq!(pin.params["chat_id"], GROUP);
    assert_eq!(
        pin.params["disable_notification"], true,
        "pinning must not ring every phone in the group"
    );
    board
}

/// Wait for an edit of message `id` whose text satisfies `f`; returns it.
async fn edit_of(app: &App, id: i32, what: &str, f: impl Fn(&str) -> bool) -> Call {
    let found = |a: &App| {
        edits(a)
            .into_iter()
            .find(|c| c.params["message_id"] == id && f(text_of(c)))
    };
    app.wait(what, |_| found(app).is_some()).await;
    found(app).expect("just seen")
}

#[tokio::test]
async fn a_petition_appears_on_a_pinned_board_and_a_claim_edits_it_in_place() {
    let app = App::start(&config("2s")).await;
    app.setup_grid().await;
    app.settle().await;
    assert!(boards(&app).is_empty(), "no board while nothing waits");

    app.say(GROUP, &resident(1), ELEVATOR);
    let board = pinned_board(&app, "#1【待受理】11号楼1单元").await;
    assert!(board.text.contains("（1 件）"), "{}", board.text);
    assert_eq!(board.reply_to, None);

    app.say(GROUP, &worker(), "/claim 1");
    let edit = edit_of(
        &app,
        board.message_id,
        "the board edited to 处理中",
        |t| t.contains("#1【处理中】11号楼1单元 · 王网格员"),
    )
    .await;
    assert_eq!(edit.params["chat_id"], GROUP);
    app.settle().await;
    assert_eq!(
        boards(&app).len(),
        1,
        "a claim edits, it sends no new board"
    );
    assert_eq!(pins(&app).len(), 1);
}

#[tokio::test]
async fn changes_within_the_interval_are_shown_by_one_edit() {
    let app = App::start(&config("4s")).await;
    app.setup_grid().await;
    app.say(GROUP, &resident(1), ELEVATOR);
    let board = pinned_board(&app, "#1【待受理】").await;
    let posted = app
        .api
        .calls_to("sendMessage")
        .into_iter()
        .find(|c| text_of(c).contains(HEADER))
        .expect("the board's sendMessage");

    // Two changes right after the board went up.
    app.say(GROUP, &resident(2), LIGHT);
    app.say(GROUP, &worker(), "/claim 1");
    let first = edit_of(&app, board.message_id, "one edit with both changes", |t| {
        t.contains("（2 件）") && t.contains("#1【处理中】") && t.contains("#2【待受理】")
    })
    .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(edits(&app).len(), 1, "two changes, one edit");
    assert!(
        first.at.duration_since(posted.at) >= Duration::from_millis(3_500),
        "the edit waited for the interval: {:?}",
        first.at.duration_since(posted.at)
    );

    // A third change right after the edit waits for the next interval too.
    app.say(GROUP, &worker(), "/resolve 1 电梯已修复");
    let second = edit_of(
        &app,
        board.message_id,
        "the resolved petition leaves",
        |t| t.contains("（1 件）") && !t.contains("#1【"),
    )
    .await;
    assert!(
        second.at.duration_since(first.at) >= Duration::from_millis(3_500),
        "edits of one board are an interval apart: {:?}",
        second.at.duration_since(first.at)
    );
    app.settle().await;
    assert_eq!(edits(&app).len(), 2);
    assert_eq!(boards(&app).len(), 1);
}

#[tokio::test]
async fn a_deleted_board_is_sent_again_and_pinned() {
    let app = App::start(&config("2s")).await;
    app.setup_grid().await;
    app.say(GROUP, &resident(1), ELEVATOR);
    let old = pinned_board(&app, "#1【待受理】").await;

    // Someone deleted the board: Telegram refuses to edit it.
    app.api.fail_next(
        "editMessageText",
        Failure::Api {
            code: 400,
            description: "Bad Request: message to edit not found".into(),
        },
        1,
    );
    app.say(GROUP, &worker(), "/claim 1");
    let new = pinned_board(&app, "#1【处理中】").await;
    assert_ne!(new.message_id, old.message_id);
    assert_eq!(edits(&app).len(), 1, "the one refused edit");
    app.settle().await;
    assert_eq!(boards(&app).len(), 2, "exactly one board sent again");
    assert_eq!(pins(&app).len(), 2);

    // The new board is the one edited from now on.
    app.say(GROUP, &resident(2), LIGHT);
    edit_of(&app, new.message_id, "the new board edited", |t| {
        t.contains("#2【待受理】")
    })
    .await;
}

#[tokio::test]
async fn a_restarted_bot_edits_the_same_board_instead_of_sending_another() {
    let mut app = App::start(&config("2s")).await;
    app.setup_grid().await;
    app.say(GROUP, &resident(1), ELEVATOR);
    let board = pinned_board(&app, "#1【待受理】").await;
    app.settle().await;
    assert!(app.stop(), "a graceful stop");
    app.spawn();

    app.say(GROUP, &worker(), "/claim 1");
    edit_of(&app, board.message_id, "the same board edited", |t| {
        t.contains("#1【处理中】")
    })
    .await;
    app.settle().await;
    assert_eq!(boards(&app).len(), 1);
    assert_eq!(pins(&app).len(), 1);
}

#[tokio::test]
async fn without_the_board_key_no_board_is_sent_pinned_or_edited() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    let m = app.raise(&resident(1), ELEVATOR).await;
    app.say(GROUP, &worker(), "/claim 1");
    app.answer_to(GROUP, m, "受理").await;
    app.settle().await;
    assert!(boards(&app).is_empty());
    assert!(pins(&app).is_empty());
    assert!(edits(&app).is_empty());
}
