//! Urgent and overdue alerts POSTed to the optional `[alerts] webhook`, from their own queue
//! (`webhook_outbox`), so a slow or broken receiver never holds up Telegram. Retried with
//! backoff; given up after [`MAX_ATTEMPTS`] or when the receiver refuses for good (4xx).
//!
//! One POST per alert and petition, `Content-Type: application/json`:
//!
//! - `generic`: the alert as one object —
//!   ```json
//!   {"kind": "urgent" | "unanswered" | "overdue",
//!    "street": "南苑街道", "community": "欣锦苑社区", "grid": "第一网格",
//!    "petition": 42, "category": "elevator" | null, "location": "3号楼2单元" | null,
//!    "urgent": false, "text": "电梯坏了 电话138****5678", "wait_minutes": 135,
//!    "owner": "王网格员" | null, "raised_at": 1795000000000, "alerted_at": 1795008100000,
//!    "message": "🔴 超时未答复 | 欣锦苑社区 第一网格\n#42 …"}
//!   ```
//!   `urgent`: raised as urgent (the alert goes out at once); `unanswered`: nobody answered
//!   within the escalation clock; `overdue`: not resolved within the resolution clock
//!   (repeated daily). Times are milliseconds since the Unix epoch; `text` and `message`
//!   have phone and ID numbers masked.
//! - `wecom` (企业微信群机器人) and `dingtalk` (钉钉群机器人):
//!   `{"msgtype": "text", "text": {"content": message}}`
//! - `feishu` (飞书群机器人): `{"msg_type": "text", "content": {"text": message}}`
//!
//! The chat robots answer HTTP 200 with an error code in the body (`errcode` / `code`);
//! a non-zero one is retried like a 5xx.

use crate::config::WebhookFormat;
use crate::now_ms;
use crate::sender::backoff;
use gridbot_handlers::effect::WebhookAlert;
use gridbot_storage::{Store, WebhookItem};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::sync::watch;

pub const MAX_ATTEMPTS: i64 = 20;
const LEASE_MS: i64 = 60_000;
const IDLE: Duration = Duration::from_millis(250);

pub struct AlertPoster {
    pub store: Store,
    pub url: String,
    pub format: WebhookFormat,
}

/// The request body for a receiver of `format`.
pub fn body(format: WebhookFormat, a: &WebhookAlert) -> Value {
    match format {
        WebhookFormat::Generic => serde_json::to_value(a).unwrap_or(Value::Null),
        WebhookFormat::Wecom | WebhookFormat::Dingtalk => {
            json!({"msgtype": "text", "text": {"content": a.message}})
        }
        WebhookFormat::Feishu => json!({"msg_type": "text", "content": {"text": a.message}}),
    }
}

enum PostError {
    Transient(String),
    Permanent(String),
}

/// A chat robot's error code in an HTTP 200 answer, if any.
fn refused_in_body(answer: &str) -> Option<String> {
    let v: Value = serde_json::from_str(answer).ok()?;
    let code = v
        .get("errcode")
        .or_else(|| v.get("code"))
        .or_else(|| v.get("StatusCode"))?;
    (code.as_i64() != Some(0)).then(|| format!("receiver refused: {answer}"))
}

impl AlertPoster {
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let client = match reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
        {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(error = %e, "cannot build the HTTP client; alert webhook disabled");
                return;
            }
        };
        loop {
            if *stop.borrow() {
                break;
            }
            let items = match self.store.take_webhooks(now_ms(), LEASE_MS, 8).await {
                Ok(items) => items,
                Err(e) => {
                    tracing::error!(error = %e, "cannot read the webhook queue");
                    Vec::new()
                }
            };
            let idle = items.is_empty();
            for item in items {
                self.deliver(&client, item).await;
            }
            if idle {
                tokio::select! {
                    _ = tokio::time::sleep(IDLE) => {}
                    _ = stop.changed() => {}
                }
            }
        }
    }

    async fn post(&self, client: &reqwest::Client, a: &WebhookAlert) -> Result<(), PostError> {
        let resp = client
            .post(&self.url)
            .json(&body(self.format, a))
            .send()
            .await
            .map_err(|e| PostError::Transient(e.without_url().to_string()))?;
        let status = resp.status();
        let answer = resp.text().await.unwrap_or_default();
        let short: String = answer.chars().take(200).collect();
        if status.is_success() {
            return refused_in_body(&short).map_or(Ok(()), |e| Err(PostError::Transient(e)));
        }
        let e = format!("HTTP {status}: {short}");
        match status.as_u16() {
            408 | 429 => Err(PostError::Transient(e)),
            400..=499 => Err(PostError::Permanent(e)),
            _ => Err(PostError::Transient(e)),
        }
    }

    async fn deliver(&self, client: &reqwest::Client, item: WebhookItem) {
        let a = &item.alert;
        let outcome = match self.post(client, a).await {
            Ok(()) => {
                tracing::info!(petition = a.petition, kind = ?a.kind, "alert posted to the webhook");
                self.store.webhook_sent(item.id, now_ms()).await
            }
            Err(PostError::Transient(e)) if item.attempts + 1 < MAX_ATTEMPTS => {
                let wait = backoff(item.attempts);
                tracing::warn!(petition = a.petition, attempt = item.attempts + 1, error = %e, "alert webhook failed; will retry");
                let at = now_ms() + wait.as_millis() as i64;
                self.store.webhook_retry(item.id, at, &e).await
            }
            Err(PostError::Transient(e) | PostError::Permanent(e)) => {
                tracing::error!(petition = a.petition, attempts = item.attempts + 1, error = %e, "alert webhook gave up on this alert");
                self.store.webhook_failed(item.id, &e).await
            }
        };
        if let Err(e) = outcome {
            tracing::error!(webhook_item = item.id, error = %e, "cannot record a webhook outcome");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gridbot_handlers::effect::AlertKind;

    fn alert() -> WebhookAlert {
        WebhookAlert {
            kind: AlertKind::Unanswered,
            street: "南苑街道".into(),
            community: "欣锦苑社区".into(),
            grid: "第一网格".into(),
            petition: 42,
            category: Some("elevator".into()),
            location: None,
            urgent: false,
            text: "电梯坏了 138****5678".into(),
            wait_minutes: 135,
            owner: None,
            raised_at: 1,
            alerted_at: 2,
            message: "🔴 超时未答复 #42".into(),
        }
    }

    #[test]
    fn each_format_has_its_receivers_shape() {
        let g = body(WebhookFormat::Generic, &alert());
        assert_eq!(g["kind"], "unanswered");
        assert_eq!(g["petition"], 42);
        assert_eq!(g["wait_minutes"], 135);
        assert_eq!(g["location"], Value::Null);
        for f in [WebhookFormat::Wecom, WebhookFormat::Dingtalk] {
            assert_eq!(
                body(f, &alert()),
                json!({"msgtype": "text", "text": {"content": "🔴 超时未答复 #42"}})
            );
        }
        assert_eq!(
            body(WebhookFormat::Feishu, &alert()),
            json!({"msg_type": "text", "content": {"text": "🔴 超时未答复 #42"}})
        );
    }

    #[test]
    fn chat_robots_refusing_in_an_ok_answer_are_retried() {
        assert!(refused_in_body(r#"{"errcode":0,"errmsg":"ok"}"#).is_none());
        assert!(refused_in_body(r#"{"code":0,"msg":"success"}"#).is_none());
        assert!(refused_in_body(r#"{"errcode":45009,"errmsg":"api freq out of limit"}"#).is_some());
        assert!(refused_in_body(r#"{"code":9499,"msg":"Bad Request"}"#).is_some());
        assert!(refused_in_body("ok").is_none());
    }
}
