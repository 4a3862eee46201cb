#![allow(dead_code)]
//! Starting the real bot against the fake Bot API server (zero2prod's `spawn_app`).

use gridbot_fake_api::fixtures::{self, User};
use gridbot_fake_api::{FakeApi, Options, TOKEN};
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
    child: Option<Child>,
    next_msg: std::sync::atomic::AtomicI64,
}

impl App {
    pub async fn start(config: &str) -> App {
        App::start_with(config, Options::default()).await
    }

    pub async fn start_with(config: &str, opts: Options) -> App {
        let api = FakeApi::start_with(opts).await;
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("gridbot.toml"), config).expect("config");
        let mut app = App {
            api,
            dir,
            child: None,
            next_msg: std::sync::atomic::AtomicI64::new(100),
        };
        app.spawn();
        app
    }

    pub fn db_url(&self) -> String {
        format!("sqlite://{}", self.dir.path().join("gridbot.db").display())
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

    pub fn spawn(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .expect("log file");
        let child = self
            .command()
            .arg("run")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start gridbot");
        self.child = Some(child);
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGTERM and wait for a graceful stop; returns whether it exited successfully.
    pub fn stop(&mut self) -> bool {
        let Some(mut c) = self.child.take() else {
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

impl Drop for App {
    fn drop(&mut self) {
        self.kill9();
    }
}
