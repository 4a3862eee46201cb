#![allow(dead_code)]
//! Starting the real bot against the fake Bot API server (zero2prod's `spawn_app`).

use gridbot_fake_api::fixtures::{self, User};
use gridbot_fake_api::{FakeApi, Options, TOKEN};
use gridbot_handlers::model::{Petition, PetitionNo};
use gridbot_storage::Store;
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const GROUP: i64 = -4001;
pub const ALERTS: i64 = -4999;

pub fn admin() -> User {
    User::new(1, "街道管理员", Some("street_admin"))
}
pub fn worker() -> User {
    User::new(10, "王网格员", None)
}
pub fn secretary() -> User {
    User::new(20, "李书记", Some("li_shuji"))
}
pub fn resident(n: i64) -> User {
    User::new(1000 + n, &format!("居民{n}"), None)
}

/// Clocks short enough to run a petition's life in seconds.
pub const FAST: &str = r#"
[street]
admins = [1]
[telegram]
poll_timeout = "1s"
"#;

pub struct App {
    pub api: FakeApi,
    pub dir: tempfile::TempDir,
    db_url: String,
    children: Vec<Option<Child>>,
    next_msg: std::sync::atomic::AtomicI64,
}

impl App {
    pub async fn start(config: &str) -> App {
        App::start_with(config, Options::default()).await
    }

    pub async fn start_with(config: &str, opts: Options) -> App {
        let dir = tempfile::tempdir().expect("temp dir");
        let db_url = database_url(&dir).await;
        App::start_full(config, opts, dir, db_url, &[]).await
    }

    /// On a fresh PostgreSQL database whatever the suite's backend; None (the test is
    /// skipped, saying so) when no server is given and none is required.
    pub async fn start_postgres(config: &str, args: &[&str]) -> Option<App> {
        let Some(base) = gridbot_storage::testing::postgres_url() else {
            eprintln!("skipped: GRIDBOT_TEST_PG is not set");
            return None;
        };
        let url = gridbot_storage::testing::fresh_postgres(&base)
            .await
            .expect("fresh database");
        let dir = tempfile::tempdir().expect("temp dir");
        Some(App::start_full(config, Options::default(), dir, url, args).await)
    }

    pub async fn start_full(
        config: &str,
        opts: Options,
        dir: tempfile::TempDir,
        db_url: String,
        args: &[&str],
    ) -> App {
        let api = FakeApi::start_with(opts).await;
        std::fs::write(dir.path().join("gridbot.toml"), config).expect("config");
        let mut app = App {
            api,
            dir,
            db_url,
            children: Vec::new(),
            next_msg: std::sync::atomic::AtomicI64::new(100),
        };
        app.spawn_with(args);
        app
    }

    pub fn db_url(&self) -> String {
        self.db_url.clone()
    }

    pub fn log_path(&self) -> PathBuf {
        self.dir.path().join("gridbot.log")
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// A `gridbot` command with this app's environment.
    pub fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_gridbot"));
        c.env("TELOXIDE_TOKEN", TOKEN)
            .env("TELOXIDE_API_URL", self.api.api_url())
            .env("DATABASE_URL", self.db_url())
            .env("GRIDBOT_CONFIG", self.dir.path().join("gridbot.toml"))
            .env("RUST_LOG", "info,gridbot=debug")
            .current_dir(self.dir.path());
        c
    }

    /// Start another `gridbot run` (instance `i`, logging to `gridbot-i.log`, the first to
    /// `gridbot.log`); returns its index.
    pub fn spawn(&mut self) -> usize {
        self.spawn_with(&[])
    }

    pub fn spawn_with(&mut self, args: &[&str]) -> usize {
        let i = self.children.len();
        let path = if i == 0 {
            self.log_path()
        } else {
            self.dir.path().join(format!("gridbot-{i}.log"))
        };
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .expect("log file");
        let child = self
            .command()
            .arg("run")
            .args(args)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start gridbot");
        self.children.push(Some(child));
        i
    }

    pub fn log_of(&self, i: usize) -> String {
        let path = if i == 0 {
            self.log_path()
        } else {
            self.dir.path().join(format!("gridbot-{i}.log"))
        };
        std::fs::read_to_string(path).unwrap_or_default()
    }

    /// SIGKILL every instance: no chance to finish anything.
    pub fn kill9(&mut self) {
        for i in 0..self.children.len() {
            self.kill9_one(i);
        }
    }

    pub fn kill9_one(&mut self, i: usize) {
        if let Some(mut c) = self.children.get_mut(i).and_then(Option::take) {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGTERM the first live instance and wait for a graceful stop; whether it exited cleanly.
    pub fn stop(&mut self) -> bool {
        let Some(mut c) = self.children.iter_mut().find_map(Option::take) else {
            return false;
        };
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(c.id().to_string())
            .status();
        for _ in 0..200 {
            if let Ok(Some(status)) = c.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = c.kill();
        let _ = c.wait();
        false
    }

    pub async fn store(&self) -> Store {
        Store::connect(&self.db_url())
            .await
            .expect("open the bot's database")
    }

    /// Petition `n` as the bot's database holds it now; fails the test if there is none.
    pub async fn petition(&self, n: i64) -> Petition {
        self.store()
            .await
            .petition(PetitionNo(n))
            .await
            .expect("read the petition")
            .unwrap_or_else(|| panic!("no petition #{n}"))
    }

    pub fn msg_id(&self) -> i64 {
        self.next_msg
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    }

    pub fn push(&self, update: Value) -> i64 {
        self.api.push_update(update)
    }

    /// A resident (or anyone) writes in the group; returns the message id.
    pub fn say(&self, chat: i64, who: &User, text: &str) -> i64 {
        let id = self.msg_id();
        self.push(fixtures::group_text(chat, id, who, text));
        id
    }

    /// `who` raises a petition in GROUP: says `text` and waits for the bot's reaction that
    /// acknowledges it. Returns the message id.
    pub async fn raise(&self, who: &User, text: &str) -> i64 {
        let m = self.say(GROUP, who, text);
        self.wait(&format!("a reaction to the petition {text:?}"), |_| {
            self.reactions_on(GROUP, m) >= 1
        })
        .await;
        m
    }

    pub fn reply(&self, chat: i64, who: &User, text: &str, to: i64, to_user: &User) -> i64 {
        let id = self.msg_id();
        self.push(fixtures::reply(chat, id, who, text, to, to_user));
        id
    }

    /// Wait (up to 15 s) until `f` holds, or fail the test naming what was awaited.
    pub async fn wait(&self, what: &str, f: impl Fn(&FakeApi) -> bool) {
        if !self.api.wait_until(Duration::from_secs(15), f).await {
            panic!(
                "timed out waiting for: {what}\nsent so far: {:#?}\nlog:\n{}",
                self.api
                    .sent_messages()
                    .iter()
                    .map(|s| (s.chat_id, s.text.clone()))
                    .collect::<Vec<_>>(),
                self.log()
            );
        }
    }

    /// Messages sent to `chat` whose text contains `needle`.
    pub fn sent_containing(&self, chat: i64, needle: &str) -> Vec<gridbot_fake_api::Sent> {
        self.api
            .sent_to(chat)
            .into_iter()
            .filter(|s| s.text.contains(needle))
            .collect()
    }

    /// The answer the bot gave to message `id` containing `needle`.
    pub async fn answer_to(&self, chat: i64, id: i64, needle: &str) -> gridbot_fake_api::Sent {
        let needle = needle.to_string();
        self.wait(
            &format!("an answer to message {id} containing {needle}"),
            |a| {
                a.sent_to(chat)
                    .iter()
                    .any(|s| s.reply_to == Some(id as i32) && s.text.contains(&needle))
            },
        )
        .await;
        self.api
            .sent_to(chat)
            .into_iter()
            .find(|s| s.reply_to == Some(id as i32) && s.text.contains(&needle))
            .expect("just seen")
    }

    /// Bind GROUP to a grid and make `worker()` its grid worker.
    pub async fn setup_grid(&self) {
        let intro = self.say(GROUP, &worker(), "大家好 我是本网格的网格员");
        let bind = self.say(GROUP, &admin(), "/bind 欣锦苑社区 第一网格");
        self.answer_to(GROUP, bind, "已绑定").await;
        let role = self.reply(GROUP, &admin(), "/role worker", intro, &worker());
        self.answer_to(GROUP, role, "网格员").await;
    }

    /// How many reactions the bot set on message `id`.
    pub fn reactions_on(&self, chat: i64, id: i64) -> usize {
        self.api
            .calls_to("setMessageReaction")
            .iter()
            .filter(|c| c.params["chat_id"] == chat && c.params["message_id"] == id)
            .count()
    }

    /// Let the bot go quiet: every update confirmed, the outbox empty, nothing sent for a moment.
    pub async fn settle(&self) {
        self.wait("every update confirmed", |a| a.pending_updates() == 0)
            .await;
        let store = self.store().await;
        let busy = |a: &FakeApi| {
            a.calls()
                .iter()
                .filter(|c| c.method != "getupdates")
                .count()
        };
        let mut last = busy(&self.api);
        for _ in 0..100 {
            tokio::time::sleep(Duration::from_millis(500)).await;
            let now = busy(&self.api);
            let pending = store.outbox_stats().await.map(|s| s.pending).unwrap_or(0);
            if now == last && pending == 0 {
                store.close().await;
                return;
            }
            last = now;
        }
        panic!("the bot never went quiet:\n{}", self.log());
    }
}

/// SQLite in the test's folder, or a fresh PostgreSQL database when the suite runs with
/// `GRIDBOT_E2E_BACKEND=postgres` (and `GRIDBOT_TEST_PG` naming the server).
pub async fn database_url(dir: &tempfile::TempDir) -> String {
    if std::env::var("GRIDBOT_E2E_BACKEND").as_deref() == Ok("postgres") {
        let base = gridbot_storage::testing::postgres_url()
            .expect("GRIDBOT_TEST_PG must name the PostgreSQL server");
        gridbot_storage::testing::fresh_postgres(&base)
            .await
            .expect("a fresh PostgreSQL database")
    } else {
        format!("sqlite://{}", dir.path().join("gridbot.db").display())
    }
}

impl Drop for App {
    fn drop(&mut self) {
        self.kill9();
    }
}
