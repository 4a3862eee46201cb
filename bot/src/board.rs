//! The live board's loop (`[board] enabled`): every few seconds one instance (the "board"
//! lease) draws each bound group's board and, when `board::step` says so, queues a new
//! board or an edit of the pinned one. Both go through the outbox: a new board is a
//! message under the group's limit, and the sender pins it once Telegram gives its id.

use crate::now_ms;
use gridbot_handlers::board::{self, Step};
use gridbot_handlers::model::Millis;
use gridbot_handlers::{Dur, Settings};
use gridbot_storage::Store;
use std::time::Duration;
use tokio::sync::watch;

const LEASE: &str = "board";

pub struct Boarder {
    pub store: Store,
    pub settings: Settings,
    /// `[board] min_interval`: at most one post or edit per group this often.
    pub min_interval: Dur,
}

/// How often the loop looks: a quarter of the interval, between 250 ms and 5 s.
pub fn tick(min_interval: Dur) -> Duration {
    let ms = (min_interval.ms() / 4).clamp(250, 5_000);
    Duration::from_millis(ms as u64)
}

impl Boarder {
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let tick = tick(self.min_interval);
        // Long enough to outlast a slow pass; a standby takes over this soon after a crash.
        let ttl = 3 * tick.as_millis() as i64;
        let holder = format!("board-{}-{}", std::process::id(), now_ms());
        loop {
            if *stop.borrow() {
                break;
            }
            let now = now_ms();
            match self.store.hold_lease(LEASE, &holder, now, ttl).await {
                Ok(true) => {
                    if let Err(e) = self.pass(now).await {
                        tracing::error!(error = %e, "board: cannot update the boards; will try again");
                    }
                }
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "board: cannot take the lease"),
            }
            tokio::select! {
                _ = tokio::time::sleep(tick) => {}
                _ = stop.changed() => {}
            }
        }
        if let Err(e) = self.store.release_lease(LEASE, &holder).await {
            tracing::warn!(error = %e, "board: cannot give the lease back");
        }
    }

    /// Queue what every group's board needs at `now`; returns how many were queued.
    pub async fn pass(&self, now: Millis) -> gridbot_storage::Result<usize> {
        let mut queued = 0;
        for g in self.store.board_groups().await? {
            let b = board::render(&g.petitions, now, self.settings.tz);
            let step = board::step(g.stored.as_ref(), &b, now, self.min_interval);
            if step == Step::Wait {
                continue;
            }
            self.store
                .board_queue(g.grid.chat_id, &b, step, now)
                .await?;
            queued += 1;
            match step {
                Step::Post => tracing::info!(
                    chat_id = g.grid.chat_id,
                    petitions = b.count,
                    "board: a new board queued (to be pinned)"
                ),
                _ => tracing::debug!(
                    chat_id = g.grid.chat_id,
                    petitions = b.count,
                    "board: edit queued"
                ),
            }
        }
        Ok(queued)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loop_looks_four_times_per_interval_within_bounds() {
        assert_eq!(tick(Dur::secs(60)), Duration::from_secs(5));
        assert_eq!(tick(Dur::secs(2)), Duration::from_millis(500));
        assert_eq!(tick(Dur::secs(1)), Duration::from_millis(250));
        assert_eq!(tick(Dur::hours(1)), Duration::from_secs(5));
    }
}
