//! Operations (issue 7): a backup while the bot writes, purging old closed petitions with
//! their figures kept, a resident's `/forget`, and the `[retention]` job.

use crate::harness::*;
use gridbot_fake_api::fixtures;
use gridbot_handlers::model::PetitionNo;
use gridbot_handlers::text::ops::PURGED;
use gridbot_storage::Store;
use std::time::Duration;

/// Run `gridbot ARGS…` with the app's environment, the fake server serving the bot
/// meanwhile: (success, stdout, stderr).
async fn cli(app: &App, args: &[&str]) -> (bool, String, String) {
    let mut cmd = app.command();
    cmd.args(args);
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("join")
        .expect("run gridbot");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.success(), text(&out.stdout), text(&out.stderr))
}

/// Resident `n` raises a petition at building `n`; returns the message id once it is tracked.
async fn raise(app: &App, n: i64) -> i64 {
    app.raise(
        &resident(n),
        &format!("{n}号楼1单元楼道灯坏了 麻烦物业处理一下 我电话1380000{n:04}"),
    )
    .await
}

/// Claim, resolve and rate petition `n` (raised by message `m` of resident `r`) 满意: closed.
async fn close(app: &App, n: i64, m: i64, r: i64) {
    app.say(GROUP, &worker(), &format!("/claim {n}"));
    app.answer_to(GROUP, m, "受理").await;
    app.say(GROUP, &worker(), &format!("/resolve {n} 灯已换好"));
    let resolved = app.answer_to(GROUP, m, "已办结").await;
    let data = format!("rate:{n}:s");
    app.push(fixtures::callback(
        &format!("rate{n}"),
        &resident(r),
        GROUP,
        resolved.message_id as i64,
        &data,
    ));
    eventually(app, "the petition closed", async || {
        petition_text(app, n)
            .await
            .is_some_and(|(state, _)| state == "closed")
    })
    .await;
}

/// The state and text of petition `n` as stored.
async fn petition_text(app: &App, n: i64) -> Option<(String, String)> {
    let store = app.store().await;
    let p = store.petition(PetitionNo(n)).await.ok().flatten();
    store.close().await;
    p.map(|p| (p.state.code().to_string(), p.text))
}

/// Wait (up to 15 s) until `f` holds, or fail naming what was awaited.
async fn eventually(app: &App, what: &str, mut f: impl AsyncFnMut() -> bool) {
    for _ in 0..150 {
        if f().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for: {what}\nlog:\n{}", app.log());
}

async fn export(app: &App) -> Vec<serde_json::Value> {
    let (ok, out, err) = cli(app, &["export", "--format", "json"]).await;
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    v.as_array().expect("an array").clone()
}

#[tokio::test]
async fn a_backup_taken_while_residents_write_holds_every_petition_committed_before_it() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    raise(&app, 1).await;
    let file = app.dir.path().join("backup.db");
    let file_arg = file.to_str().expect("UTF-8 path");
    if app.db_url().starts_with("postgres") {
        let (ok, _, err) = cli(&app, &["backup", file_arg]).await;
        assert!(!ok && err.contains("pg_dump"), "{err}");
        return;
    }
    // A burst of residents writing; the backup starts once the bot is busy storing it.
    let burst = async {
        for n in 2..=60 {
            app.say(
                GROUP,
                &resident(n),
                &format!("{n}号楼1单元楼道灯坏了 麻烦物业处理一下"),
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    };
    let backup = async {
        eventually(&app, "the bot busy with the burst", async || {
            petition_text(&app, 10).await.is_some()
        })
        .await;
        let store = app.store().await;
        let committed = store.petition_count().await.expect("count");
        store.close().await;
        (committed, cli(&app, &["backup", file_arg]).await)
    };
    let ((), (committed_before, (ok, out, err))) = tokio::join!(burst, backup);
    assert!(ok, "{err}");
    assert!(
        out.contains("backup written") && out.contains("integrity ok"),
        "{out}"
    );
    eventually(&app, "the burst stored", async || {
        petition_text(&app, 60).await.is_some()
    })
    .await;
    let copy = Store::connect(&format!("sqlite://{}", file.display()))
        .await
        .expect("the backup opens");
    let in_copy = copy.petition_count().await.expect("petitions in the copy");
    assert!(
        in_copy >= committed_before,
        "{in_copy} < {committed_before}"
    );
    // A consistent snapshot: petitions 1..=k, each as the live database has it.
    let live = app.store().await;
    for n in 1..=in_copy {
        let c = copy.petition(PetitionNo(n)).await.expect("read copy");
        let l = live.petition(PetitionNo(n)).await.expect("read live");
        assert_eq!(
            c.map(|p| (p.number, p.text)),
            l.map(|p| (p.number, p.text)),
            "#{n}"
        );
    }
    copy.close().await;
    live.close().await;
    // An existing file is kept unless --force.
    let (ok, _, err) = cli(&app, &["backup", file_arg]).await;
    assert!(!ok && err.contains("--force"), "{err}");
    let (ok, out, err) = cli(&app, &["backup", file_arg, "--force"]).await;
    assert!(ok && out.contains("60 petitions"), "{out}{err}");
}

#[tokio::test]
async fn purge_clears_texts_of_closed_petitions_and_keeps_the_export_figures() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    let m1 = raise(&app, 1).await;
    close(&app, 1, m1, 1).await;
    let m2 = raise(&app, 2).await;
    app.say(GROUP, &worker(), "/claim 2");
    app.answer_to(GROUP, m2, "受理").await;
    raise(&app, 3).await;
    app.settle().await;
    let before = export(&app).await;
    let report = async |app: &App| {
        let args = ["report", "--format", "json", "--period", "week"];
        cli(app, &args).await.1
    };
    let report_before = report(&app).await;
    let figures: serde_json::Value = serde_json::from_str(&report_before).expect("JSON");
    let total = &figures["total"];
    assert_eq!(
        (&total["raised"], &total["satisfied"]),
        (&3.into(), &1.into())
    );
    let (ok, out, _) = cli(&app, &["purge", "--dry-run", "--before", "2000-01-01"]).await;
    assert!(ok && out.contains("would purge 0 petitions"), "{out}");
    let tomorrow = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive()
        .succ_opt()
        .expect("a tomorrow")
        .to_string();
    let (ok, out, err) = cli(&app, &["purge", "--before", &tomorrow]).await;
    assert!(ok, "{err}");
    assert!(out.contains("purged 1 petitions"), "{out}");
    let after = export(&app).await;
    assert_eq!(after.len(), before.len());
    for (b, a) in before.iter().zip(&after) {
        for key in [
            "number",
            "state",
            "category",
            "location",
            "urgent",
            "created_at",
            "first_response_at",
            "resolved_at",
            "rating",
            "owner_id",
            "community",
            "grid",
        ] {
            assert_eq!(a[key], b[key], "{key} of {b}");
        }
    }
    assert_eq!(after[0]["text"], PURGED);
    assert_eq!(after[0]["resident_id"], 0);
    for row in &after[1..] {
        assert!(
            row["text"].as_str().is_some_and(|t| t.contains("楼道灯")),
            "{row}"
        );
    }
    assert_eq!(
        report(&app).await,
        report_before,
        "the figures do not change"
    );
    let events = cli(&app, &["export", "--format", "csv", "--events"])
        .await
        .1;
    assert!(!events.contains("灯已换好"), "{events}");
    // Nothing twice.
    let (ok, out, _) = cli(&app, &["purge", "--before", &tomorrow]).await;
    assert!(ok && out.contains("purged 0 petitions"), "{out}");
    let (ok, _, err) = cli(&app, &["purge", "--before", "2999-01-01"]).await;
    assert!(!ok && err.contains("future"), "{err}");
}

#[tokio::test]
async fn forget_clears_only_the_callers_closed_petitions() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    let m1 = raise(&app, 1).await;
    close(&app, 1, m1, 1).await;
    let m3 = raise(&app, 3).await;
    close(&app, 2, m3, 3).await;
    // Resident 1's second petition, at another building, still open.
    app.raise(&resident(1), "9号楼2单元的路灯不亮了 请问谁管")
        .await;
    let f = app.say(GROUP, &resident(1), "/forget");
    let answer = app.answer_to(GROUP, f, "已清除您 1 件").await;
    assert!(answer.text.contains("还有 1 件"), "{}", answer.text);
    app.settle().await;
    let text = async |n| petition_text(&app, n).await.map(|(_, t)| t);
    assert_eq!(text(1).await.as_deref(), Some(PURGED));
    assert!(
        text(2).await.is_some_and(|t| t.contains("3号楼")),
        "someone else's"
    );
    assert!(
        text(3).await.is_some_and(|t| t.contains("路灯")),
        "still open"
    );
    let again = app.say(GROUP, &resident(1), "/forget");
    app.answer_to(GROUP, again, "没有已关闭的诉求").await;
}

#[tokio::test]
async fn the_retention_setting_clears_closed_petitions_while_the_bot_runs() {
    let config = format!("{FAST}[retention]\nclosed_after = \"2s\"\n");
    let app = App::start(&config).await;
    app.setup_grid().await;
    let m1 = raise(&app, 1).await;
    close(&app, 1, m1, 1).await;
    raise(&app, 2).await;
    eventually(&app, "#1 cleared by the running bot", async || {
        petition_text(&app, 1)
            .await
            .is_some_and(|(_, t)| t == PURGED)
    })
    .await;
    let (state, text) = petition_text(&app, 2).await.expect("#2");
    assert_eq!(state, "open");
    assert!(text.contains("楼道灯"), "{text}");
    assert!(app.log().contains("retention"), "{}", app.log());
}
