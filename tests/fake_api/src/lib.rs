//! A fake Telegram Bot API server for gridbot's end-to-end tests and benchmarks.
//!
//! The seam is HTTP: the real `gridbot` binary, with `TELOXIDE_API_URL` set to
//! [`FakeApi::api_url`], talks to this server exactly as it talks to Telegram.
//! Tests push updates built by [`fixtures`] (Telegram's JSON shapes), inject
//! failures with [`FakeApi::fail_next`], and read back every call and every
//! message sent. Nothing here depends on teloxide: it speaks the wire format.

pub mod fixtures;
mod limits;
mod messages;
mod methods;
mod multipart;
mod server;
mod state;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::Notify;

pub use fixtures::User;

/// The bot token the fake accepts; it has the shape of a real one.
pub const TOKEN: &str = "123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz";

/// First message id the fake gives to messages the bot sends into a chat;
/// fixtures use smaller ids so the two never clash.
pub const FIRST_SENT_MESSAGE_ID: i32 = 1_000_000;

#[derive(Clone, Debug)]
pub struct Options {
    /// What `getMe` reports: false is a bot with privacy mode on.
    pub can_read_all_group_messages: bool,
    pub bot_id: i64,
    pub bot_username: String,
    /// Answer 429 when sends break Telegram's flood limits (see `limits`).
    pub enforce_limits: bool,
    /// Answer 409 Conflict to a `getUpdates` while another is in flight.
    pub reject_concurrent_pollers: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            can_read_all_group_messages: true,
            bot_id: 123456,
            bot_username: "gridbot_test_bot".into(),
            enforce_limits: false,
            reject_concurrent_pollers: true,
        }
    }
}

/// How the next calls to a method fail (see [`FakeApi::fail_next`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// 429 with `parameters.retry_after`; teloxide sees `RequestError::RetryAfter`.
    TooManyRequests { retry_after: u32 },
    /// That HTTP status with Telegram's description for it: 400 "Bad Request:
    /// chat not found", 403 "Forbidden: bot was kicked from the group chat",
    /// 409 the getUpdates conflict, 429 as `TooManyRequests` of one second,
    /// 502 "Bad Gateway", others "Internal Server Error".
    Status(u16),
    /// Any error code and description, e.g. 400 "Bad Request: message is not modified: …".
    Api { code: u16, description: String },
    /// The connection is closed without any HTTP response.
    DropConnection,
}

#[derive(Clone, Debug)]
pub struct Call {
    /// Lowercase, e.g. "sendmessage".
    pub method: String,
    /// The JSON body; for multipart, the text fields (JSON objects and arrays
    /// parsed) with each file as `{"__file_bytes": n, "file_name": …}` and the
    /// total under a top-level `"__file_bytes"`.
    pub params: Value,
    pub at: Instant,
}

/// A message the fake accepted from `sendMessage` or `sendPhoto`.
#[derive(Clone, Debug, PartialEq)]
pub struct Sent {
    /// Lowercase: "sendmessage" or "sendphoto".
    pub method: String,
    pub chat_id: i64,
    pub message_id: i32,
    /// The text or caption exactly as sent (markup is not parsed).
    pub text: String,
    pub parse_mode: Option<String>,
    /// From `reply_parameters.message_id` or `reply_to_message_id`.
    pub reply_to: Option<i32>,
    pub reply_markup: Option<Value>,
    /// `entities` or `caption_entities`.
    pub entities: Option<Value>,
    pub photo_bytes: Option<usize>,
}

pub(crate) struct Shared {
    pub opts: Options,
    pub state: Mutex<state::State>,
    pub update_pushed: Notify,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, state::State> {
        // A panicking test thread must not hide the calls from the next assertion.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The running fake server; clones share it. It stops when the last clone is
/// dropped (or with the test's runtime).
#[derive(Clone)]
pub struct FakeApi {
    shared: Arc<Shared>,
    addr: SocketAddr,
    _server: Arc<server::AbortOnDrop>,
}

impl FakeApi {
    pub async fn start() -> FakeApi {
        Self::start_with(Options::default()).await
    }

    pub async fn start_with(opts: Options) -> FakeApi {
        let shared = Arc::new(Shared {
            opts,
            state: Mutex::new(state::State::default()),
            update_pushed: Notify::new(),
        });
        let (addr, guard) = server::spawn(shared.clone()).await;
        FakeApi {
            shared,
            addr,
            _server: Arc::new(guard),
        }
    }

    /// The value for `TELOXIDE_API_URL`, e.g. "http://127.0.0.1:PORT".
    pub fn api_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn options(&self) -> &Options {
        &self.shared.opts
    }

    /// Queues an update for `getUpdates`, giving it the next `update_id` when
    /// it has none; returns its id.
    pub fn push_update(&self, update: Value) -> i64 {
        let id = self.shared.lock().push_update(update);
        self.shared.update_pushed.notify_waiters();
        id
    }

    /// Every request so far, in arrival order, failed ones included.
    pub fn calls(&self) -> Vec<Call> {
        self.shared.lock().calls.clone()
    }

    /// Calls to `method`, compared case-insensitively.
    pub fn calls_to(&self, method: &str) -> Vec<Call> {
        let method = method.to_ascii_lowercase();
        let state = self.shared.lock();
        state
            .calls
            .iter()
            .filter(|c| c.method == method)
            .cloned()
            .collect()
    }

    /// Methods called that the fake does not know (it answered `true`).
    pub fn unknown_methods(&self) -> Vec<String> {
        let state = self.shared.lock();
        let mut names: Vec<String> = Vec::new();
        for call in &state.calls {
            if !methods::is_known(&call.method) && !names.contains(&call.method) {
                names.push(call.method.clone());
            }
        }
        names
    }

    pub fn sent_messages(&self) -> Vec<Sent> {
        self.shared.lock().sent.clone()
    }

    pub fn sent_to(&self, chat_id: i64) -> Vec<Sent> {
        let state = self.shared.lock();
        state
            .sent
            .iter()
            .filter(|s| s.chat_id == chat_id)
            .cloned()
            .collect()
    }

    /// Checks `f` every 20 ms until it holds (true) or `timeout` passes (false).
    pub async fn wait_until<F: Fn(&FakeApi) -> bool>(&self, timeout: Duration, f: F) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if f(self) {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The next `times` calls to `method` (case-insensitive) fail with `failure`.
    pub fn fail_next(&self, method: &str, failure: Failure, times: usize) {
        self.shared.lock().fail_next(method, failure, times);
    }

    /// The highest offset a `getUpdates` has confirmed (0 before any).
    pub fn confirmed_offset(&self) -> i64 {
        self.shared.lock().confirmed_offset()
    }

    /// Updates pushed and not yet confirmed.
    pub fn pending_updates(&self) -> usize {
        self.shared.lock().pending_updates()
    }

    /// 429s answered so far, injected and limit-enforced alike.
    pub fn too_many_requests(&self) -> usize {
        self.shared.lock().too_many_requests
    }

    /// From now on, calls naming `chat_id` answer 403 "Forbidden: bot was
    /// kicked from the group chat" (or "supergroup chat").
    pub fn set_chat_gone(&self, chat_id: i64) {
        self.shared.lock().gone.insert(chat_id);
    }

    /// From now on, calls naming `from` answer 400 "Bad Request: group chat
    /// was upgraded to a supergroup chat" with `parameters.migrate_to_chat_id`,
    /// which teloxide turns into `RequestError::MigrateToChatId`.
    pub fn set_chat_migrated(&self, from: i64, to: i64) {
        self.shared.lock().migrated.insert(from, to);
    }
}
