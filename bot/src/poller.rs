//! Our own `getUpdates` loop: a batch is stored with its decisions, its outgoing calls and
//! the next offset in one transaction before the next `getUpdates` confirms it to Telegram.

use crate::config::Token;
use crate::ingest::{Brain, Raw, batch};
use crate::now_ms;
use gridbot_storage::Store;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use teloxide::prelude::*;
use teloxide::types::AllowedUpdate;
use teloxide::{ApiError, RequestError};
use tokio::sync::watch;

pub struct Poller {
    pub store: Store,
    pub bot: Bot,
    pub brain: Brain,
    pub poll_timeout: Duration,
    pub token: Token,
    /// This process's name in the poller lease.
    pub instance: String,
}

const LEASE: &str = "poller";
const LEASE_TTL_MS: i64 = 8_000;
const HEARTBEAT: Duration = Duration::from_secs(2);

/// Keep (or try to take) the poller lease every 2 s; the flag says whether we hold it.
/// Several instances may run on one database: exactly one polls, the others stand by and
/// take over within about ten seconds of the leader's death.
async fn heartbeat(
    store: Store,
    instance: String,
    leading: Arc<AtomicBool>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let held = match store
            .hold_lease(LEASE, &instance, now_ms(), LEASE_TTL_MS)
            .await
        {
            Ok(h) => h,
            Err(e) => {
                tracing::warn!(error = %e, "cannot renew the poller lease");
                false
            }
        };
        leading.store(held, Ordering::SeqCst);
        tokio::select! {
            _ = tokio::time::sleep(HEARTBEAT) => {}
            _ = stop.changed() => break,
        }
    }
    leading.store(false, Ordering::SeqCst);
    if let Err(e) = store.release_lease(LEASE, &instance).await {
        tracing::warn!(error = %e, "cannot release the poller lease");
    }
}

impl Poller {
    pub async fn run(self, mut stop: watch::Receiver<bool>) -> anyhow::Result<()> {
        let leading = Arc::new(AtomicBool::new(false));
        let beat = tokio::spawn(heartbeat(
            self.store.clone(),
            self.instance.clone(),
            leading.clone(),
            stop.clone(),
        ));
        let r = self.poll(&leading, &mut stop).await;
        let _ = beat.await;
        r
    }

    async fn poll(
        &self,
        leading: &AtomicBool,
        stop: &mut watch::Receiver<bool>,
    ) -> anyhow::Result<()> {
        let mut offset = 0;
        let mut was_leading = false;
        let mut failures: u32 = 0;
        loop {
            if *stop.borrow() {
                return Ok(());
            }
            if !leading.load(Ordering::SeqCst) {
                if was_leading {
                    tracing::warn!("lost the poller lease; standing by");
                    was_leading = false;
                }
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(250)) => {}
                    _ = stop.changed() => return Ok(()),
                }
                continue;
            }
            if !was_leading {
                // Whoever polled before us stored where they stopped.
                offset = self.store.offset().await?;
                was_leading = true;
                tracing::info!(instance = %self.instance, offset, "this instance now polls Telegram");
            }
            let req = self
                .bot
                .get_updates()
                .offset(offset as i32)
                .timeout(self.poll_timeout.as_secs() as u32)
                .limit(100)
                .allowed_updates(vec![
                    AllowedUpdate::Message,
                    AllowedUpdate::EditedMessage,
                    AllowedUpdate::CallbackQuery,
                    AllowedUpdate::MyChatMember,
                ]);
            let updates = tokio::select! {
                r = req.send() => r,
                _ = stop.changed() => return Ok(()),
            };
            match updates {
                Ok(updates) => {
                    failures = 0;
                    if updates.is_empty() {
                        continue;
                    }
                    let raws: Vec<Raw> = updates.iter().map(Raw::from_update).collect();
                    // Storing must succeed before we move on: never confirm what is not stored.
                    loop {
                        match batch(&self.store, &self.brain, &raws, now_ms()).await {
                            Ok(next) => {
                                offset = next;
                                tracing::debug!(
                                    count = raws.len(),
                                    offset,
                                    "stored a batch of updates"
                                );
                                break;
                            }
                            Err(e) => {
                                tracing::error!(error = %e, "cannot store updates; retrying in 2 s");
                                tokio::time::sleep(Duration::from_secs(2)).await;
                            }
                        }
                    }
                }
                Err(e) => {
                    failures += 1;
                    let wait = match &e {
                        RequestError::Api(ApiError::TerminatedByOtherGetUpdates) => {
                            tracing::warn!(
                                "another process is polling this bot (409); is a second gridbot running?"
                            );
                            Duration::from_secs(5)
                        }
                        RequestError::Api(ApiError::InvalidToken) => {
                            tracing::error!(
                                "Telegram refused the token (TELOXIDE_TOKEN); check it in BotFather"
                            );
                            Duration::from_secs(30)
                        }
                        RequestError::RetryAfter(s) => s.duration(),
                        _ => Duration::from_millis(500 * 2u64.pow(failures.min(6))),
                    };
                    tracing::warn!(error = %self.token.scrub(&e.to_string()), wait_ms = wait.as_millis() as u64, "getUpdates failed");
                    tokio::select! {
                        _ = tokio::time::sleep(wait) => {}
                        _ = stop.changed() => return Ok(()),
                    }
                }
            }
        }
    }
}
