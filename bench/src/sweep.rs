//! `sweep`: how long the scheduler takes to find and claim the due petitions
//! (`Store::take_due`, its batches of 500) when 100 are due among 1,000,000 open ones, and
//! when 10,000 are; against 100 due among 10,000 open.

use crate::bulk::{self, Row};
use crate::figure::Figure;
use crate::fixtures::{self, GROUPS};
use anyhow::{Result, bail};
use gridbot_storage::Store;
use std::time::Instant;

const BIG: usize = 1_000_000;
const SMALL: usize = 10_000;
const ROUNDS: usize = 9;
const LEASE_MS: i64 = 30_000;
const BATCH: i64 = 500;

struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
    url: String,
    now: i64,
    open: usize,
}

/// `open` unanswered petitions whose reminders are all due within the next day.
async fn fixture(open: usize) -> Result<Fixture> {
    let dir = tempfile::tempdir()?;
    let (store, url) = fixtures::fresh_store(dir.path(), "sweep.db").await?;
    let now = gridbot::now_ms();
    fixtures::bind_grids(&store, GROUPS, now).await?;
    bulk::petitions(&url, open, |i| {
        let respond_by = now + 3_600_000 + (i as i64 * 7_919) % 86_400_000;
        Row::unanswered(i, fixtures::distinct_problem(i), respond_by)
    })
    .await?;
    Ok(Fixture {
        _dir: dir,
        store,
        url,
        now,
        open,
    })
}

impl Fixture {
    /// Make `count` petitions (chosen across the table, different each round) due now.
    async fn make_due(&self, round: usize, count: usize) -> Result<Vec<i64>> {
        let stride = (self.open / count).max(1);
        let numbers: Vec<i64> = (0..count)
            .map(|k| ((k * stride + round * 7 + 1) % self.open) as i64 + 1)
            .collect();
        let list: Vec<String> = numbers.iter().map(i64::to_string).collect();
        bulk::exec(
            &self.url,
            &format!(
                "UPDATE petitions SET next_due_at = {} WHERE number IN ({})",
                self.now - 1_000,
                list.join(",")
            ),
        )
        .await?;
        Ok(numbers)
    }

    /// Put them back among the not-yet-due, unleased.
    async fn reset(&self, numbers: &[i64]) -> Result<()> {
        let list: Vec<String> = numbers.iter().map(i64::to_string).collect();
        bulk::exec(
            &self.url,
            &format!(
                "UPDATE petitions SET next_due_at = {}, due_lease_until = NULL WHERE number IN ({})",
                self.now + 86_400_000,
                list.join(",")
            ),
        )
        .await?;
        Ok(())
    }

    /// Milliseconds to take every due petition, the scheduler's batches of 500 at a time.
    /// Between batches (untimed) the taken ones move on as the scheduler's handling moves
    /// them, so each batch finds what is still due, as it would in the bot.
    async fn claim(&self, expected: usize) -> Result<f64> {
        let mut ms = 0.0;
        let mut taken = 0;
        loop {
            let t = Instant::now();
            let got = self.store.take_due(self.now, LEASE_MS, BATCH).await?;
            ms += t.elapsed().as_secs_f64() * 1000.0;
            let numbers: Vec<i64> = got
                .iter()
                .flat_map(|(_, ps)| ps.iter().map(|p| p.number.0))
                .collect();
            taken += numbers.len();
            if !numbers.is_empty() {
                self.reset(&numbers).await?;
            }
            if numbers.len() < BATCH as usize {
                break;
            }
        }
        if taken != expected {
            bail!("took {taken} due petitions, expected {expected}");
        }
        Ok(ms)
    }

    /// The median over several rounds of claiming `count` due petitions.
    async fn median_claim(&self, count: usize, rounds: usize) -> Result<f64> {
        let mut times = Vec::new();
        for round in 0..rounds {
            let numbers = self.make_due(round, count).await?;
            times.push(self.claim(count).await?);
            self.reset(&numbers).await?;
        }
        times.sort_by(f64::total_cmp);
        Ok(times[times.len() / 2])
    }
}

pub async fn run() -> Result<Vec<Figure>> {
    let small = fixture(SMALL).await?;
    let base = small.median_claim(100, ROUNDS).await?;
    small.store.close().await;
    drop(small);

    let t = Instant::now();
    let big = fixture(BIG).await?;
    let load = t.elapsed().as_secs_f64();
    let hundred = big.median_claim(100, ROUNDS).await?;
    let many = big.median_claim(10_000, 3).await?;
    big.store.close().await;

    let f100 = Figure::new("sweep_100_due", hundred, "ms")
        .baseline("100 due among 10,000 open", base, "ms")
        .detail(format!(
            "median of {ROUNDS} rounds of `Store::take_due` (find and lease, with their grids) with 100 due among \
             {BIG} open petitions (bulk-loaded in {load:.0} s)"
        ));
    let flat = f100.ratio().is_some_and(|r| r <= 2.0);
    let per_due_100 = hundred / 100.0;
    let per_due_10k = many / 10_000.0;
    Ok(vec![
        f100.goal("≤ 5 ms, not growing with the open count", hundred <= 5.0 && flat),
        Figure::new("sweep_10000_due", many, "ms")
            .goal("grows with the due count", per_due_10k <= per_due_100 * 2.0)
            .detail(format!(
                "median of 3 rounds with 10,000 due among {BIG} open, taken in the scheduler's batches of {BATCH}: \
                 {:.0} µs a due petition (100 due: {:.0} µs)",
                per_due_10k * 1000.0,
                per_due_100 * 1000.0
            )),
    ])
}
