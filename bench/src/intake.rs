//! `intake`: updates a second through the whole intake path (parse the update, judge it,
//! store the raw update, the message, the petition, its event, its outgoing reaction and the
//! offset), one transaction per page of 100 as the poller does; against plain inserts of
//! the same raw rows in the same pages on the same settings.

use crate::figure::Figure;
use crate::fixtures::{self, GROUPS};
use anyhow::Result;
use gridbot::ingest::{Brain, Raw, batch};
use gridbot_handlers::Settings;
use gridbot_handlers::intake::Rules;
use std::time::Instant;
use teloxide::types::Update;

const UPDATES: usize = 20_000;
const PAGE: usize = 100;

pub fn settings() -> Settings {
    let mut s = Settings::defaults(Rules::builtin());
    s.admins = vec![fixtures::ADMIN];
    s
}

/// The pages the poller would get: corpus messages of distinct residents across the groups.
fn pages(corpus: &[String]) -> Vec<Vec<(i64, String)>> {
    let updates: Vec<(i64, String)> = (0..UPDATES)
        .map(|i| {
            let id = i as i64 + 1;
            let g = i % GROUPS;
            let text = &corpus[i % corpus.len()];
            (
                id,
                fixtures::update(id, g, 10 + (i / GROUPS) as i64, i, text).to_string(),
            )
        })
        .collect();
    updates.chunks(PAGE).map(<[_]>::to_vec).collect()
}

pub async fn run(corpus: &[String]) -> Result<Figure> {
    let dir = tempfile::tempdir()?;
    let pages = pages(corpus);
    let now = gridbot::now_ms();

    let (store, _) = fixtures::fresh_store(dir.path(), "intake.db").await?;
    fixtures::bind_grids(&store, GROUPS, now).await?;
    let brain = Brain {
        settings: settings(),
        bot_username: Some("gridbot_test_bot".into()),
        times: Default::default(),
    };
    let t = Instant::now();
    let mut parsing = 0.0;
    for page in &pages {
        let p = Instant::now();
        let raws = page
            .iter()
            .map(|(_, json)| serde_json::from_str::<Update>(json).map(|u| Raw::from_update(&u)))
            .collect::<Result<Vec<Raw>, _>>()?;
        parsing += p.elapsed().as_secs_f64();
        batch(&store, &brain, &raws, gridbot::now_ms()).await?;
    }
    let took = t.elapsed().as_secs_f64();
    let [writes, reads, decisions, one_by_one] = brain.times.seconds();
    let petitions = store.petition_count().await?;
    let outbox = store.outbox_stats().await?.pending;
    store.close().await;

    let (plain, _) = fixtures::fresh_store(dir.path(), "plain.db").await?;
    let t = Instant::now();
    for page in &pages {
        let mut tx = plain.begin().await?;
        for (id, json) in page {
            tx.record_update(*id, json, now).await?;
        }
        tx.commit().await?;
    }
    let base = t.elapsed().as_secs_f64();
    plain.close().await;

    let rate = UPDATES as f64 / took;
    let base_rate = UPDATES as f64 / base;
    let f = Figure::new("intake", rate, "updates/s")
        .baseline("plain inserts of the raw updates", base_rate, "rows/s")
        .detail(format!(
            "{UPDATES} corpus messages of distinct residents across {GROUPS} bound grids, pages of {PAGE}: \
             {petitions} petitions, {outbox} outgoing calls queued, in {took:.2} s; the plain inserts took {base:.2} s. \
             Where the time went: writing {writes:.2} s (raw updates, messages and every decision's rows in one \
             multi-row statement per table a page, the offset, the commit), parsing the updates {parsing:.2} s, \
             judging and deciding {decisions:.2} s, the pages' reads {reads:.2} s, updates decided one by one \
             {one_by_one:.2} s. The writes alone bound the path at {:.0} /s",
            UPDATES as f64 / writes
        ));
    let met = rate >= 25_000.0 && f.ratio().is_some_and(|r| r >= 0.3);
    Ok(f.goal("≥ 25,000 /s and ratio ≥ 0.3", met))
}
