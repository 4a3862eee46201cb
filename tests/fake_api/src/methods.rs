//! One answer per Bot API method, in the shapes teloxide deserializes.
//! Order of judgement: an injected failure, then the chat's fate (gone,
//! migrated), then the flood limits, then the method itself.

use std::pin::pin;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::server::Reply;
use crate::state::State;
use crate::{Failure, Shared, messages};

const CONFLICT: &str = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";
/// Telegram holds a long poll for up to `timeout`; the fake caps it so a test
/// never waits long for a poll to end.
const MAX_POLL: Duration = Duration::from_secs(2);

/// Methods answered with `true`, and so known.
const TRUE_METHODS: &[&str] = &[
    "answercallbackquery",
    "close",
    "deletemessage",
    "deletemessages",
    "deletemycommands",
    "deletewebhook",
    "leavechat",
    "logout",
    "pinchatmessage",
    "sendchataction",
    "setchatmenubutton",
    "setmessagereaction",
    "setmycommands",
    "setmydescription",
    "setmyname",
    "setmyshortdescription",
    "setwebhook",
    "unpinallchatmessages",
    "unpinchatmessage",
];

pub(crate) fn is_known(method: &str) -> bool {
    TRUE_METHODS.contains(&method)
        || matches!(
            method,
            "getme"
                | "getupdates"
                | "sendmessage"
                | "sendphoto"
                | "editmessagetext"
                | "editmessagecaption"
                | "editmessagereplymarkup"
                | "getchat"
                | "getchatmember"
                | "getchatadministrators"
                | "getchatmembercount"
                | "getmycommands"
                | "getwebhookinfo"
        )
}

pub(crate) async fn answer(shared: &Shared, method: &str, params: &Value) -> Reply {
    let failure = shared.lock().next_failure(method);
    if let Some(failure) = failure {
        return failure_reply(shared, failure);
    }
    if method == "getupdates" {
        return get_updates(shared, params).await;
    }
    let mut state = shared.lock();
    if let Some(refusal) = chat_refusal(&state, params) {
        return refusal;
    }
    let opts = &shared.opts;
    match method {
        "getme" => Reply::Ok(json!({
            "id": opts.bot_id,
            "is_bot": true,
            "first_name": "Gridbot",
            "username": opts.bot_username,
            "can_join_groups": true,
            "can_read_all_group_messages": opts.can_read_all_group_messages,
            "supports_inline_queries": false,
            "can_connect_to_business": false,
            "has_main_web_app": false,
        })),
        "sendmessage" | "sendphoto" => send(&mut state, shared, method, params),
        "editmessagetext" | "editmessagecaption" | "editmessagereplymarkup" => {
            messages::edit(&mut state, opts, method, params)
        }
        "getchat" => get_chat(&state, params),
        "getchatmember" => {
            let user_id = int(params, "user_id").unwrap_or(0);
            Reply::Ok(json!({
                "user": {"id": user_id, "is_bot": user_id == opts.bot_id, "first_name": format!("User {user_id}")},
                "status": "member",
            }))
        }
        "getchatadministrators" => Reply::Ok(json!([])),
        "getchatmembercount" => Reply::Ok(json!(10)),
        "getmycommands" => {
            let last = state
                .calls
                .iter()
                .rev()
                .find(|c| c.method == "setmycommands");
            Reply::Ok(last.map_or(json!([]), |c| c.params["commands"].clone()))
        }
        "getwebhookinfo" => Reply::Ok(json!({
            "url": "",
            "has_custom_certificate": false,
            "pending_update_count": state.pending_updates(),
        })),
        // Known methods that answer `true`, and unknown ones (recorded as calls).
        _ => Reply::Ok(json!(true)),
    }
}

fn failure_reply(shared: &Shared, failure: Failure) -> Reply {
    let (code, description) = match failure {
        Failure::DropConnection => return Reply::Drop,
        Failure::TooManyRequests { retry_after } => return too_many(shared, retry_after),
        Failure::Status(429) => return too_many(shared, 1),
        Failure::Api { code, description } => (code, description),
        Failure::Status(code) => (code, status_description(code).to_string()),
    };
    if code == 429 {
        shared.lock().too_many_requests += 1;
    }
    Reply::err(code, description)
}

fn status_description(code: u16) -> &'static str {
    match code {
        400 => "Bad Request: chat not found",
        401 => "Unauthorized",
        403 => "Forbidden: bot was kicked from the group chat",
        404 => "Not Found",
        409 => CONFLICT,
        502 => "Bad Gateway",
        504 => "Gateway Timeout",
        _ => "Internal Server Error",
    }
}

fn too_many(shared: &Shared, retry_after: u32) -> Reply {
    shared.lock().too_many_requests += 1;
    Reply::Err {
        code: 429,
        description: format!("Too Many Requests: retry after {retry_after}"),
        parameters: Some(json!({"retry_after": retry_after})),
    }
}

/// Clears `State::polling` however the poll ends, including when hyper drops
/// the handler because the client went away.
struct Polling<'a>(&'a Shared);

impl Drop for Polling<'_> {
    fn drop(&mut self) {
        self.0.lock().polling = false;
    }
}

async fn get_updates(shared: &Shared, params: &Value) -> Reply {
    let offset = int(params, "offset").unwrap_or(0);
    let limit = int(params, "limit").unwrap_or(100).clamp(1, 100) as usize;
    let timeout = Duration::from_secs(int(params, "timeout").unwrap_or(0).max(0) as u64);
    let _polling = {
        let mut state = shared.lock();
        if state.polling && shared.opts.reject_concurrent_pollers {
            return Reply::err(409, CONFLICT);
        }
        state.polling = true;
        Polling(shared)
    };
    let deadline = Instant::now() + timeout.min(MAX_POLL);
    loop {
        // Registered before looking, so a push in between still wakes us.
        let mut pushed = pin!(shared.update_pushed.notified());
        pushed.as_mut().enable();
        let updates = shared.lock().take_updates(offset, limit);
        if !updates.is_empty() || Instant::now() >= deadline {
            return Reply::Ok(Value::Array(updates));
        }
        let _ = tokio::time::timeout_at(deadline.into(), pushed).await;
    }
}

/// 403 for a chat the bot was removed from, 400 with `migrate_to_chat_id`
/// for a group that became a supergroup.
fn chat_refusal(state: &State, params: &Value) -> Option<Reply> {
    let chat_id = int(params, "chat_id")?;
    if state.gone.contains(&chat_id) {
        let description = match state.chat(chat_id)["type"].as_str() {
            Some("supergroup") => "Forbidden: bot was kicked from the supergroup chat",
            Some("private") => "Forbidden: bot was blocked by the user",
            _ => "Forbidden: bot was kicked from the group chat",
        };
        return Some(Reply::err(403, description));
    }
    let to = state.migrated.get(&chat_id)?;
    Some(Reply::Err {
        code: 400,
        description: "Bad Request: group chat was upgraded to a supergroup chat".into(),
        parameters: Some(json!({"migrate_to_chat_id": to})),
    })
}

fn send(state: &mut State, shared: &Shared, method: &str, params: &Value) -> Reply {
    let Some(chat_id) = int(params, "chat_id") else {
        return Reply::err(400, "Bad Request: chat not found");
    };
    if method == "sendmessage" && params["text"].as_str().is_none_or(str::is_empty) {
        return Reply::err(400, "Bad Request: message text is empty");
    }
    if shared.opts.enforce_limits
        && let Err(retry_after) = state.limits.check(chat_id, Instant::now())
    {
        state.too_many_requests += 1;
        return Reply::Err {
            code: 429,
            description: format!("Too Many Requests: retry after {retry_after}"),
            parameters: Some(json!({"retry_after": retry_after})),
        };
    }
    Reply::Ok(messages::send(state, &shared.opts, method, chat_id, params))
}

fn get_chat(state: &State, params: &Value) -> Reply {
    let Some(chat_id) = int(params, "chat_id") else {
        return Reply::err(400, "Bad Request: chat not found");
    };
    let mut chat = state.chat(chat_id);
    chat["accent_color_id"] = 0.into();
    chat["max_reaction_count"] = 11.into();
    chat["accepted_gift_types"] = json!({
        "unlimited_gifts": false,
        "limited_gifts": false,
        "unique_gifts": false,
        "premium_subscription": false,
    });
    Reply::Ok(chat)
}

/// An integer parameter, sent as a JSON number or (multipart) as text.
pub(crate) fn int(params: &Value, key: &str) -> Option<i64> {
    match &params[key] {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
