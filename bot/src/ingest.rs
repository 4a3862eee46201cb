//! One batch of updates → one transaction: raw updates, their decisions, their outgoing
//! calls and the next offset. Only after it commits does the next `getUpdates` confirm them.

use crate::adapter;
use anyhow::Result;
use gridbot_handlers::effect::Effect;
use gridbot_handlers::incoming::Incoming;
use gridbot_handlers::model::{ChatId, Millis};
use gridbot_handlers::{Context, Settings, Wants, decide, page};
use gridbot_storage::{DuplicateKey, NewMessage, Store, Tx};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use teloxide::types::Update;

/// What the pipeline needs besides the store.
pub struct Brain {
    pub settings: Settings,
    pub bot_username: Option<String>,
    /// Where the pages' time went (read by the benchmarks).
    pub times: PageTimes,
}

/// Time spent on pages so far, by kind of work, in nanoseconds.
#[derive(Debug, Default)]
pub struct PageTimes {
    /// Storing the raw updates and messages, the decisions' rows, the offset, and committing.
    pub writes: AtomicU64,
    /// Loading what the page's updates need (the page's reads).
    pub reads: AtomicU64,
    /// Judging and deciding (no database).
    pub decisions: AtomicU64,
    /// Updates the page could not answer, each loaded, decided and written on its own.
    pub one_by_one: AtomicU64,
}

impl PageTimes {
    fn add(counter: &AtomicU64, since: Instant) {
        counter.fetch_add(since.elapsed().as_nanos() as u64, Ordering::Relaxed);
    }

    /// Seconds in each kind: writes, reads, decisions, one by one.
    pub fn seconds(&self) -> [f64; 4] {
        [&self.writes, &self.reads, &self.decisions, &self.one_by_one]
            .map(|c| c.load(Ordering::Relaxed) as f64 / 1e9)
    }
}

pub struct Raw {
    pub update_id: i64,
    pub json: String,
    pub incoming: Incoming,
}

impl Raw {
    pub fn from_update(u: &Update) -> Raw {
        Raw {
            update_id: u.id.0 as i64,
            json: serde_json::to_string(u).unwrap_or_else(|_| "{}".into()),
            incoming: adapter::incoming(u),
        }
    }
}

/// Store and decide a batch in one transaction; on a database error fall back to one
/// transaction per update, so that one poisoned update cannot block the rest.
pub async fn batch(store: &Store, brain: &Brain, raws: &[Raw], now: Millis) -> Result<i64> {
    let Some(last) = raws.iter().map(|r| r.update_id).max() else {
        return store.offset().await.map_err(Into::into);
    };
    match whole_page(store, brain, raws, now).await {
        Ok(()) => Ok(last + 1),
        Err(e) => {
            tracing::warn!(error = %e, "batch failed; storing its updates one by one");
            one_by_one(store, brain, raws, now).await?;
            Ok(last + 1)
        }
    }
}

/// The whole page in one transaction: raw updates, decisions, outgoing calls and the
/// next offset.
pub async fn whole_page(store: &Store, brain: &Brain, raws: &[Raw], now: Millis) -> Result<()> {
    let Some(last) = raws.iter().map(|r| r.update_id).max() else {
        return Ok(());
    };
    let t = Instant::now();
    let mut tx = store.begin().await?;
    let fresh = record_page(&mut tx, raws, now).await?;
    PageTimes::add(&brain.times.writes, t);
    let fresh: Vec<&Raw> = raws
        .iter()
        .zip(fresh)
        .filter_map(|(r, fresh)| fresh.then_some(r))
        .collect();
    decide_page(&mut tx, brain, &fresh, now).await?;
    let t = Instant::now();
    tx.set_offset(last + 1).await?;
    tx.commit().await?;
    PageTimes::add(&brain.times.writes, t);
    Ok(())
}

/// Each update in its own transaction, loaded and decided on its own; one that fails is
/// kept raw with its error and skipped.
pub async fn one_by_one(store: &Store, brain: &Brain, raws: &[Raw], now: Millis) -> Result<()> {
    for r in raws {
        let mut tx = store.begin().await?;
        match one(&mut tx, brain, r, now).await {
            Ok(()) => {
                tx.set_offset(r.update_id + 1).await?;
                tx.commit().await?;
            }
            Err(e) => {
                drop(tx);
                tracing::error!(update_id = r.update_id, error = %e, "update could not be processed; kept raw");
                let mut tx = store.begin().await?;
                tx.record_update(r.update_id, &r.json, now).await?;
                tx.mark_update_failed(r.update_id, &e.to_string()).await?;
                tx.set_offset(r.update_id + 1).await?;
                tx.commit().await?;
            }
        }
    }
    Ok(())
}

/// Store a page's raw updates and messages, a statement each: which updates are new
/// (stored before, or a message stored before: nothing twice).
async fn record_page(tx: &mut Tx<'_>, raws: &[Raw], now: Millis) -> Result<Vec<bool>> {
    let rows: Vec<(i64, &str)> = raws
        .iter()
        .map(|r| (r.update_id, r.json.as_str()))
        .collect();
    let mut fresh = tx.record_updates(&rows, now).await?;
    let messages: Vec<(usize, NewMessage<'_>)> = raws
        .iter()
        .enumerate()
        .filter(|(i, _)| fresh[*i])
        .filter_map(|(i, r)| match &r.incoming {
            Incoming::Message(m) => Some((
                i,
                NewMessage {
                    chat_id: m.chat_id,
                    message_id: m.message_id,
                    user_id: m.from.as_ref().map(|p| p.id),
                    text: &m.text,
                    at: m.date,
                },
            )),
            _ => None,
        })
        .collect();
    let (index, rows): (Vec<usize>, Vec<NewMessage<'_>>) = messages.into_iter().unzip();
    let new = tx.record_messages(&rows).await?;
    for (i, new) in index.into_iter().zip(new) {
        fresh[i] = new;
    }
    Ok(fresh)
}

async fn one(tx: &mut Tx<'_>, brain: &Brain, r: &Raw, now: Millis) -> Result<()> {
    if !tx.record_update(r.update_id, &r.json, now).await? {
        return Ok(()); // seen before: nothing twice
    }
    if let Incoming::Message(m) = &r.incoming
        && !tx
            .record_message(
                m.chat_id,
                m.message_id,
                m.from.as_ref().map(|p| p.id),
                &m.text,
                m.date,
            )
            .await?
    {
        return Ok(());
    }
    decide_one(tx, brain, r, now).await?;
    Ok(())
}

/// Decide a page's new updates in order. What they need is loaded once for the page (see
/// `gridbot_handlers::page`) and their effects are written together; an update the page
/// cannot answer flushes what waits and is loaded the usual way, and the page follows what
/// it did.
async fn decide_page(tx: &mut Tx<'_>, brain: &Brain, raws: &[&Raw], now: Millis) -> Result<()> {
    if raws.is_empty() {
        return Ok(());
    }
    let s = &brain.settings;
    let me = brain.bot_username.as_deref();
    let (chats, senders) = page::scope(raws.iter().map(|r| &r.incoming));
    let t = Instant::now();
    let mut page = tx.page(&chats, &senders).await?;
    PageTimes::add(&brain.times.reads, t);
    let t = Instant::now();
    let plans: Vec<Option<(Context, Wants)>> = raws
        .iter()
        .map(|r| {
            let ctx = page.base(&r.incoming, s);
            let w = decide::wants(&r.incoming, &ctx, s, me);
            page::answerable(&w).then_some((ctx, w))
        })
        .collect();
    let mut keys: Vec<DuplicateKey> = Vec::new();
    let mut staff_chats: Vec<ChatId> = Vec::new();
    for (r, (_, w)) in raws
        .iter()
        .zip(&plans)
        .filter_map(|(r, p)| Some((r, p.as_ref()?)))
    {
        let Some(chat) = r.incoming.chat_id() else {
            continue;
        };
        if w.sender_recent
            && r.incoming.sender().is_some()
            && let Some((category, place)) = &w.duplicates
        {
            keys.push((chat, category.clone(), place.clone()));
        }
        if page::wants_staff(w) && !staff_chats.contains(&chat) {
            staff_chats.push(chat);
        }
    }
    PageTimes::add(&brain.times.decisions, t);
    let t = Instant::now();
    tx.page_more(
        &mut page,
        &keys,
        &staff_chats,
        now - s.duplicate_window.ms(),
    )
    .await?;
    PageTimes::add(&brain.times.reads, t);
    let mut t = Instant::now();
    let mut effects = Vec::new();
    for (r, plan) in raws.iter().zip(plans) {
        match plan {
            Some((mut ctx, w)) if page.valid => {
                page.fill(&r.incoming, &mut ctx, &w, s, now);
                let e = decide::decide(&ctx, &r.incoming, s, me, now);
                page.absorb(&e);
                effects.extend(e);
            }
            _ => {
                PageTimes::add(&brain.times.decisions, t);
                t = Instant::now();
                tx.apply(&std::mem::take(&mut effects), now).await?;
                PageTimes::add(&brain.times.writes, t);
                t = Instant::now();
                let e = decide_one(tx, brain, r, now).await?;
                page.absorb(&e);
                PageTimes::add(&brain.times.one_by_one, t);
                t = Instant::now();
            }
        }
    }
    PageTimes::add(&brain.times.decisions, t);
    let t = Instant::now();
    tx.apply(&effects, now).await?;
    PageTimes::add(&brain.times.writes, t);
    Ok(())
}

/// Load what the product wants, let it decide, and apply its effects (returned).
async fn decide_one(tx: &mut Tx<'_>, brain: &Brain, r: &Raw, now: Millis) -> Result<Vec<Effect>> {
    let s = &brain.settings;
    let me = brain.bot_username.as_deref();
    let mut ctx = tx.base_context(&r.incoming, s).await?;
    let wants = decide::wants(&r.incoming, &ctx, s, me);
    tx.load(&r.incoming, &mut ctx, &wants, s, now).await?;
    let effects = decide::decide(&ctx, &r.incoming, s, me, now);
    tx.apply(&effects, now).await?;
    Ok(effects)
}

#[cfg(test)]
mod tests;
