//! The clocks' loop: every tick, take the petitions whose next moment has come, and for each
//! grid let the product decide (`clocks::due`) and store the decision in one transaction
//! with the petitions' new state. The outbox delivers; a crash before the commit leaves the
//! petitions due (their lease runs out), a crash after it leaves the messages queued.
//!
//! Reminders are paced per group: a group takes 20 messages a minute, so when many of its
//! petitions come due at once, those due within a few seconds of its last reminder wait
//! (leased) and go together in its next one, instead of queueing one message per tick that
//! Telegram's limit would then hold back for a minute.

use crate::config::Limits;
use crate::now_ms;
use gridbot_handlers::Settings;
use gridbot_handlers::clocks::{DueGroup, due};
use gridbot_handlers::effect::Effect;
use gridbot_handlers::model::{ChatId, Grid, Millis, PetitionNo};
use gridbot_storage::Store;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::watch;

const TICK: Duration = Duration::from_millis(250);
/// Long enough for any one grid's transaction; short enough that a crash mid-sweep delays
/// its petitions by no more than this.
const LEASE_MS: i64 = 30_000;
const BATCH: i64 = 500;

pub struct Scheduler {
    pub store: Store,
    pub settings: Settings,
    limits: Limits,
    /// When this instance last queued a message into each group.
    spoke: Mutex<HashMap<ChatId, Millis>>,
}

impl Scheduler {
    pub fn new(store: Store, settings: Settings, limits: Limits) -> Scheduler {
        Scheduler {
            store,
            settings,
            limits,
            spoke: Mutex::new(HashMap::new()),
        }
    }

    /// The shortest time between two of our messages into one group: its share of 20 a
    /// minute, or of four fifths of 30 a second overall when many groups are being reminded
    /// at once (the rest covers each request's own time and everything else, so the queue
    /// stays short); never more than half the reminder interval, so no reminder is ever
    /// skipped for it.
    fn pace(&self, now: Millis) -> Millis {
        let busy = self.spoke.lock().map_or(0, |mut spoke| {
            spoke.retain(|_, at| now - *at < 60_000);
            spoke.len()
        });
        let per_group = 60_000 / i64::from(self.limits.per_group_per_minute.max(1));
        let share = busy as i64 * 5_000 / (4 * i64::from(self.limits.global_per_second.max(1)));
        let half = self.settings.normal.reminder_every.ms() / 2;
        per_group.max(share).min(half)
    }

    /// Until when a group waits for its next reminder, if it had one a moment ago.
    fn paced_until(&self, chat: ChatId, pace: Millis, now: Millis) -> Option<Millis> {
        let last = self.spoke.lock().ok()?.get(&chat).copied()?;
        (now < last + pace).then_some(last + pace)
    }

    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        loop {
            if *stop.borrow() {
                break;
            }
            let full = match self.sweep(now_ms()).await {
                Ok(n) => n >= BATCH as usize,
                Err(e) => {
                    tracing::error!(error = %e, "cannot read due petitions");
                    false
                }
            };
            if !full {
                tokio::select! {
                    _ = tokio::time::sleep(TICK) => {}
                    _ = stop.changed() => {}
                }
            }
        }
    }

    /// Handle everything due at `now`; returns how many petitions were taken.
    pub async fn sweep(&self, now: Millis) -> gridbot_storage::Result<usize> {
        let taken = self.store.take_due(now, LEASE_MS, BATCH).await?;
        let mut count = 0;
        let pace = self.pace(now);
        for (grid, ps) in taken {
            for p in &ps {
                tracing::debug!(
                    petition = p.number.0,
                    chat_id = p.chat_id,
                    delay_ms = now - p.next_due_at.unwrap_or(now),
                    "petition due"
                );
            }
            count += ps.len();
            let numbers: Vec<PetitionNo> = ps.iter().map(|p| p.number).collect();
            // Urgent petitions never wait; the others join the group's next reminder.
            if let Some(until) = self.paced_until(grid.chat_id, pace, now)
                && !ps.iter().any(|p| p.urgent)
            {
                if let Err(e) = self.store.defer_due(&numbers, until).await {
                    tracing::error!(chat_id = grid.chat_id, error = %e, "cannot defer due petitions");
                }
                continue;
            }
            match self.handle(&grid, &numbers, now).await {
                Ok(true) => {
                    if let Ok(mut spoke) = self.spoke.lock() {
                        spoke.insert(grid.chat_id, now);
                    }
                }
                Ok(false) => {}
                // Its lease runs out and the next sweep after that tries again.
                Err(e) => {
                    tracing::error!(chat_id = grid.chat_id, error = %e, "cannot handle due petitions")
                }
            }
        }
        Ok(count)
    }

    /// Decide and store; whether a message into the group was queued.
    async fn handle(
        &self,
        grid: &Grid,
        numbers: &[PetitionNo],
        now: Millis,
    ) -> gridbot_storage::Result<bool> {
        let mut tx = self.store.begin().await?;
        let load = tx.due_group(grid, numbers, now).await?;
        let effects = due(
            &DueGroup {
                petitions: &load.petitions,
                ctx: &load.ctx,
                rating_messages: &load.rating_messages,
            },
            &self.settings,
            now,
        );
        tx.apply(&effects, now).await?;
        tx.release_due(numbers).await?;
        tx.commit().await?;
        let sends = effects
            .iter()
            .filter(|e| matches!(e, Effect::Send(_)))
            .count();
        if sends > 0 {
            tracing::info!(
                chat_id = grid.chat_id,
                petitions = load.petitions.len(),
                messages = sends,
                "reminders and alerts queued"
            );
        }
        Ok(effects.iter().any(
            |e| matches!(e, Effect::Send(o) if o.chat_id == grid.chat_id && o.action.is_message()),
        ))
    }
}
