//! `gridbot run --webhook`: serve Telegram's webhook behind a reverse proxy. The secret
//! token is checked in constant time, and the update is stored (with its decisions and
//! outgoing calls) before Telegram is answered 200; a failure answers 500 so Telegram
//! delivers it again.

use crate::ingest::{Brain, Raw, batch};
use crate::now_ms;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use gridbot_storage::Store;
use std::sync::Arc;
use teloxide::types::Update;
use tokio::sync::watch;

pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

struct Hook {
    store: Store,
    brain: Brain,
    secret: String,
}

/// Equal in time whatever the position of the first difference.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn receive(State(h): State<Arc<Hook>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let given = headers
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !constant_time_eq(given, h.secret.as_bytes()) {
        tracing::warn!("webhook call with a wrong secret token refused");
        return StatusCode::UNAUTHORIZED;
    }
    let update: Update = match serde_json::from_slice(&body) {
        Ok(u) => u,
        Err(e) => {
            tracing::warn!(error = %e, "webhook body is not an update; ignored");
            return StatusCode::OK;
        }
    };
    let raw = Raw::from_update(&update);
    match batch(&h.store, &h.brain, std::slice::from_ref(&raw), now_ms()).await {
        Ok(_) => StatusCode::OK,
        Err(e) => {
            tracing::error!(error = %e, update_id = raw.update_id, "cannot store a webhook update; Telegram will retry");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

pub fn router(store: Store, brain: Brain, secret: String, path: &str) -> Router {
    let hook = Arc::new(Hook {
        store,
        brain,
        secret,
    });
    Router::new().route(path, post(receive)).with_state(hook)
}

pub async fn serve(
    listen: &str,
    app: Router,
    mut stop: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}"))?;
    tracing::info!(listen, "serving Telegram's webhook");
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            let _ = stop.changed().await;
        })
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn secrets_compare_whole() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"", b"x"));
    }
}
