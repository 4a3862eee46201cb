//! The real release binary taking in resident messages from the fake Bot API server over
//! HTTP: `intake_e2e` (5,000 messages, against a client that only drains `getUpdates`) and
//! `rss` (peak memory after 100,000 petitions).

use crate::figure::Figure;
use crate::fixtures::{self, GROUPS};
use crate::proc::{Gridbot, polling, wait_for};
use anyhow::{Result, bail};
use gridbot_fake_api::{FakeApi, Options, TOKEN};
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};
use teloxide::prelude::*;

const E2E_MESSAGES: usize = 5_000;
const RSS_PETITIONS: usize = 100_000;

/// `n` resident messages across the groups, update ids 1..=n; distinct problems at
/// distinct places when `distinct`, else the corpus repeated.
fn updates(n: usize, corpus: &[String], distinct: bool) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let g = i % GROUPS;
            let text = if distinct {
                fixtures::distinct_problem(i / GROUPS)
            } else {
                corpus[i % corpus.len()].clone()
            };
            fixtures::update(i as i64 + 1, g, 10 + (i / GROUPS) as i64, i, &text)
        })
        .collect()
}

/// A database with the grids bound, closed again; its URL.
async fn prepared_db(dir: &Path) -> Result<String> {
    let (store, url) = fixtures::fresh_store(dir, "bot.db").await?;
    fixtures::bind_grids(&store, GROUPS, gridbot::now_ms()).await?;
    store.close().await;
    Ok(url)
}

/// Seconds from the first push until the fake saw every update confirmed.
async fn drained(api: &FakeApi, updates: Vec<Value>, timeout: Duration) -> Option<f64> {
    let last = updates.len() as i64;
    let t = Instant::now();
    for u in updates {
        api.push_update(u);
    }
    wait_for(timeout, Duration::from_millis(2), || {
        api.confirmed_offset() > last
    })
    .await
    .then(|| t.elapsed().as_secs_f64())
}

/// A client that only calls `getUpdates` (and parses what it gets, as the bot does).
async fn drain_only(api: &FakeApi, n: usize) -> Result<()> {
    let url = reqwest::Url::parse(&api.api_url())?;
    let bot = Bot::new(TOKEN).set_api_url(url);
    let mut offset = 0i32;
    let mut seen = 0usize;
    while seen < n || api.confirmed_offset() <= n as i64 {
        let got = bot
            .get_updates()
            .offset(offset)
            .limit(100)
            .timeout(1)
            .await?;
        seen += got.len();
        if let Some(last) = got.last() {
            offset = last.id.0 as i32 + 1;
        }
    }
    Ok(())
}

/// The release binary on a prepared database, fed `n` messages (see [`updates`]) by the fake
/// server: seconds until every one was stored and confirmed, within `limit`.
struct Fed {
    _dir: tempfile::TempDir,
    db: String,
    api: FakeApi,
    bot: Gridbot,
    took: f64,
}

async fn feed(bin: &Path, corpus: &[String], n: usize, distinct: bool, limit: u64) -> Result<Fed> {
    let dir = tempfile::tempdir()?;
    let db = prepared_db(dir.path()).await?;
    let api = FakeApi::start_with(Options::default()).await;
    let bot = Gridbot::start(bin, dir.path(), &db, &api)?;
    polling(&api, &bot).await?;
    let Some(took) = drained(
        &api,
        updates(n, corpus, distinct),
        Duration::from_secs(limit),
    )
    .await
    else {
        bail!(
            "gridbot did not take in {n} updates in {limit} s:\n{}",
            bot.log()
        );
    };
    Ok(Fed {
        _dir: dir,
        db,
        api,
        bot,
        took,
    })
}

pub async fn intake_e2e(bin: &Path, corpus: &[String]) -> Result<Figure> {
    let Fed {
        _dir,
        db,
        bot,
        took,
        api: _api,
    } = feed(bin, corpus, E2E_MESSAGES, false, 300).await?;
    bot.stop()?;
    let store = gridbot_storage::Store::connect(&db).await?;
    let petitions = store.petition_count().await?;
    store.close().await;

    let base_api = FakeApi::start_with(Options::default()).await;
    let client = {
        let api = base_api.clone();
        tokio::spawn(async move { drain_only(&api, E2E_MESSAGES).await })
    };
    let base = drained(
        &base_api,
        updates(E2E_MESSAGES, corpus, false),
        Duration::from_secs(300),
    )
    .await;
    client.await??;
    let Some(base) = base else {
        bail!("the getUpdates-only client did not drain the fake server");
    };
    let n = E2E_MESSAGES as f64;
    let f = Figure::new("intake_e2e", n / took, "updates/s")
        .baseline("a client that only calls getUpdates", n / base, "updates/s")
        .detail(format!(
            "{E2E_MESSAGES} corpus messages across {GROUPS} groups, stored and confirmed by the release binary \
             in {took:.2} s ({petitions} petitions); drained by the getUpdates-only client in {base:.2} s"
        ));
    let met = f.ratio().is_some_and(|r| r >= 0.5);
    Ok(f.goal("ratio ≥ 0.5", met))
}

pub async fn rss(bin: &Path, corpus: &[String]) -> Result<Figure> {
    let Fed {
        _dir,
        db,
        api,
        bot,
        took,
    } = feed(bin, corpus, RSS_PETITIONS, true, 600).await?;
    // The reactions that acknowledge them go out too before we look.
    let t = Instant::now();
    let acked = wait_for(Duration::from_secs(300), Duration::from_millis(200), || {
        api.calls_to("setMessageReaction").len() >= RSS_PETITIONS
    })
    .await;
    let acks = t.elapsed().as_secs_f64();
    let Some(kb) = bot.vm_hwm_kb() else {
        bail!("cannot read /proc/{}/status", bot.pid());
    };
    bot.stop()?;
    let store = gridbot_storage::Store::connect(&db).await?;
    let petitions = store.petition_count().await?;
    store.close().await;
    let mb = kb as f64 / 1024.0;
    Ok(Figure::new("rss", mb, "MB")
        .goal("≤ 50 MB", mb <= 50.0)
        .detail(format!(
            "VmHWM of `gridbot run` after {RSS_PETITIONS} messages across {GROUPS} groups became {petitions} petitions \
             (taken in at {:.0} updates/s in {took:.1} s; their reactions {} {acks:.1} s later)",
            RSS_PETITIONS as f64 / took,
            if acked { "all sent" } else { "not all sent" }
        )))
}
