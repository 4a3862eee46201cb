//! The outbox sender: takes due items, keeps Telegram's limits, sends, and records what
//! Telegram said. Retries 429s after `retry_after`, 5xx/timeouts/dropped connections with
//! backoff; gives up only on permanent errors.

use crate::config::{Limits, Token};
use crate::executor::{SendError, execute};
use crate::limiter::Limiter;
use crate::now_ms;
use gridbot_storage::{OutboxItem, Store};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use teloxide::Bot;
use tokio::sync::watch;
use tokio::task::JoinSet;

// A send under way when its process died is retried by another instance after this.
const LEASE_MS: i64 = 30_000;
const IN_FLIGHT: usize = 16;

pub struct Sender {
    pub store: Store,
    pub bot: Bot,
    pub limits: Limits,
    pub token: Token,
}

/// Backoff after the n-th failed attempt: 1 s, 2 s, 4 s … at most 5 minutes.
pub fn backoff(attempts: i64) -> Duration {
    Duration::from_secs(1u64 << attempts.clamp(0, 8) as u64).min(Duration::from_secs(300))
}

/// A message under way: when it is answered (or its task ends however it ends), the
/// limiter counts it from that moment.
struct Flight {
    limiter: Arc<Mutex<Limiter>>,
    chat: i64,
}

impl Drop for Flight {
    fn drop(&mut self) {
        if let Ok(mut l) = self.limiter.lock() {
            l.finish(self.chat, Instant::now());
        }
    }
}

impl Sender {
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let limiter = Arc::new(Mutex::new(Limiter::new(self.limits)));
        let mut running: JoinSet<()> = JoinSet::new();
        let this = Arc::new(self);
        loop {
            if *stop.borrow() {
                break;
            }
            let room = IN_FLIGHT.saturating_sub(running.len());
            let items = if room > 0 {
                match this
                    .store
                    .take_outbox(now_ms(), LEASE_MS, room as i64)
                    .await
                {
                    Ok(items) => items,
                    Err(e) => {
                        tracing::error!(error = %e, "cannot read the outbox");
                        Vec::new()
                    }
                }
            } else {
                Vec::new()
            };
            let idle = items.is_empty();
            // The overall limit is reached: take nothing more until its window has room.
            let mut full_for = Duration::ZERO;
            for item in items {
                let waits = limiter.lock().map(|mut l| {
                    let now = Instant::now();
                    let w = l.wait(item.chat_id, now);
                    if w.is_zero() && item.action.is_message() {
                        l.start(item.chat_id);
                    }
                    (w, l.global_wait(now))
                });
                let (wait, global) = waits.unwrap_or_default();
                if !wait.is_zero() && item.action.is_message() && global >= wait {
                    // Only the overall limit holds it: it keeps its place in line, so the
                    // oldest messages go first when the second has room again.
                    if let Err(e) = this.store.outbox_release(item.id).await {
                        tracing::error!(error = %e, "cannot give back an outbox item");
                    }
                    full_for = full_for.max(global);
                    continue;
                }
                if !wait.is_zero() && item.action.is_message() {
                    // Not yet: give the lease back with the moment it may go.
                    let at = now_ms() + wait.as_millis() as i64;
                    if let Err(e) = this
                        .store
                        .outbox_retry(item.id, at, "waiting for Telegram's rate limit", false)
                        .await
                    {
                        tracing::error!(error = %e, "cannot reschedule an outbox item");
                    }
                    continue;
                }
                let me = this.clone();
                let flight = item.action.is_message().then(|| Flight {
                    limiter: limiter.clone(),
                    chat: item.chat_id,
                });
                running.spawn(async move { me.deliver(item, flight).await });
            }
            // Reap finished sends without blocking.
            while let Some(r) = running.try_join_next() {
                if let Err(e) = r {
                    tracing::error!(error = %e, "a send task failed");
                }
            }
            if idle || !full_for.is_zero() {
                let pause = match full_for.is_zero() {
                    false => full_for.min(Duration::from_millis(100)),
                    true if running.is_empty() => Duration::from_millis(100),
                    true => Duration::from_millis(20),
                };
                tokio::select! {
                    _ = tokio::time::sleep(pause) => {}
                    _ = stop.changed() => {}
                    Some(_) = running.join_next(), if !running.is_empty() => {}
                }
            }
        }
        // Let sends under way finish: Telegram may already have them.
        while running.join_next().await.is_some() {}
    }

    async fn deliver(&self, item: OutboxItem, flight: Option<Flight>) {
        let result = execute(&self.bot, &item).await;
        drop(flight);
        let now = now_ms();
        let outcome = match result {
            Ok(msg) => {
                tracing::debug!(outbox = item.id, chat_id = item.chat_id, "sent");
                self.store.outbox_sent(&item, msg, now).await
            }
            Err(SendError::RetryAfter(d)) => {
                tracing::warn!(
                    outbox = item.id,
                    chat_id = item.chat_id,
                    retry_after_s = d.as_secs(),
                    "Telegram asked to slow down"
                );
                self.store
                    .outbox_retry(
                        item.id,
                        now + d.as_millis() as i64,
                        "429 retry after",
                        false,
                    )
                    .await
            }
            Err(SendError::Transient(e)) => {
                let e = self.token.scrub(&e);
                let wait = backoff(item.attempts);
                tracing::warn!(outbox = item.id, chat_id = item.chat_id, attempt = item.attempts + 1, error = %e, "send failed; will retry");
                self.store
                    .outbox_retry(item.id, now + wait.as_millis() as i64, &e, true)
                    .await
            }
            Err(SendError::Migrated(to)) => {
                tracing::info!(
                    from = item.chat_id,
                    to,
                    "group became a supergroup; resending there"
                );
                self.store.outbox_rekey(item.chat_id, to).await
            }
            Err(SendError::Gone(e)) => {
                let e = self.token.scrub(&e);
                tracing::warn!(outbox = item.id, chat_id = item.chat_id, error = %e, "the message to edit is gone");
                self.store.outbox_gone(&item, &e).await
            }
            Err(SendError::Permanent(e)) => {
                let e = self.token.scrub(&e);
                tracing::error!(outbox = item.id, chat_id = item.chat_id, error = %e, "Telegram refused; giving up on this message");
                self.store.outbox_failed(item.id, &e).await
            }
        };
        if let Err(e) = outcome {
            tracing::error!(outbox = item.id, error = %e, "cannot record a send's outcome");
        }
    }
}
