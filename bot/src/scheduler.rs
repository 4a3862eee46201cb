//! The clocks' loop: every tick, take the petitions whose next moment has come, and for each
//! grid let the product decide (`clocks::due`) and store the decision in one transaction
//! with the petitions' new state. The outbox delivers; a crash before the commit leaves the
//! petitions due (their lease runs out), a crash after it leaves the messages queued.
//!
//! Reminders are paced, per group and overall: a group takes 20 messages a minute and all
//! groups together 30 a second, so when many petitions come due at once, a group's next
//! ones wait (leased) for its next turn and go together in one message, the groups that
//! waited longest taking the turns there are, instead of queueing messages that Telegram's
//! limits would then hold back for a minute or in bursts.

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
    /// Messages this instance may queue now, and when that was counted (see [`Self::turn`]).
    budget: Mutex<(f64, Millis)>,
}

impl Scheduler {
    pub fn new(store: Store, settings: Settings, limits: Limits) -> Scheduler {
        Scheduler {
            store,
            settings,
            limits,
            spoke: Mutex::new(HashMap::new()),
            budget: Mutex::new((0.0, 0)),
        }
    }

    /// The shortest time between two of our messages into one group: its share of 20 a
    /// minute; never more than half the reminder interval, so no reminder is skipped for it.
    fn gap(&self) -> Millis {
        let per_group = 60_000 / i64::from(self.limits.per_group_per_minute.max(1));
        per_group.min(self.settings.normal.reminder_every.ms() / 2)
    }

    /// Until when a group waits for its next turn, if it had one a moment ago.
    fn paced_until(&self, chat: ChatId, now: Millis) -> Option<Millis> {
        let last = self.spoke.lock().ok()?.get(&chat).copied()?;
        let next = last + self.gap();
        (now < next).then_some(next)
    }

    /// Messages we may queue now: four fifths of the overall limit a second, a second's
    /// worth at most but never less than one message (the rest covers each request's own
    /// time and everything else, so the sender's queue stays short). `spend` takes one
    /// (urgent ones may overdraw).
    fn turn(&self, now: Millis, spend: bool) -> bool {
        let per_ms = f64::from(self.limits.global_per_second) * 0.8 / 1_000.0;
        let Ok(mut b) = self.budget.lock() else {
            return true;
        };
        let (left, at) = *b;
        let left = (left + (now - at).max(0) as f64 * per_ms).min((per_ms * 1_000.0).max(1.0));
        let ok = left >= 1.0;
        *b = (if spend { left - 1.0 } else { left }, now);
        ok
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
        let mut taken = self.store.take_due(now, LEASE_MS, BATCH).await?;
        // The groups that waited longest first: they get the turns there are.
        taken.sort_by_key(|(_, ps)| ps.first().and_then(|p| p.next_due_at));
        let gap = self.gap();
        if let Ok(mut spoke) = self.spoke.lock() {
            spoke.retain(|_, at| now - *at < gap);
        }
        let mut count = 0;
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
            let urgent = ps.iter().any(|p| p.urgent);
            let wait = match self.paced_until(grid.chat_id, now) {
                Some(until) => Some(until),
                None if !self.turn(now, false) => Some(now + TICK.as_millis() as i64),
                None => None,
            };
            if let Some(until) = wait.filter(|_| !urgent) {
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
                    self.turn(now, true);
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
