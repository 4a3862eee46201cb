//! The clocks' loop: every tick, take the petitions whose next moment has come, and for each
//! grid let the product decide (`clocks::due`) and store the decision in one transaction
//! with the petitions' new state. The outbox delivers; a crash before the commit leaves the
//! petitions due (their lease runs out), a crash after it leaves the messages queued.

use crate::now_ms;
use gridbot_handlers::Settings;
use gridbot_handlers::clocks::{DueGroup, due};
use gridbot_handlers::effect::Effect;
use gridbot_handlers::model::{Grid, Millis, PetitionNo};
use gridbot_storage::Store;
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
}

impl Scheduler {
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
            if let Err(e) = self.handle(&grid, &numbers, now).await {
                // Its lease runs out and the next sweep after that tries again.
                tracing::error!(chat_id = grid.chat_id, error = %e, "cannot handle due petitions");
            }
        }
        Ok(count)
    }

    async fn handle(
        &self,
        grid: &Grid,
        numbers: &[PetitionNo],
        now: Millis,
    ) -> gridbot_storage::Result<()> {
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
        Ok(())
    }
}
