//! One batch of updates → one transaction: raw updates, their decisions, their outgoing
//! calls and the next offset. Only after it commits does the next `getUpdates` confirm them.

use crate::adapter;
use anyhow::Result;
use gridbot_handlers::decide;
use gridbot_handlers::incoming::Incoming;
use gridbot_handlers::{Settings, model::Millis};
use gridbot_storage::{NewMessage, Store, Tx};
use teloxide::types::Update;

/// What the pipeline needs besides the store.
pub struct Brain {
    pub settings: Settings,
    pub bot_username: Option<String>,
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
    let whole = async {
        let mut tx = store.begin().await?;
        let fresh = record_page(&mut tx, raws, now).await?;
        for (r, fresh) in raws.iter().zip(fresh) {
            if fresh {
                decide_one(&mut tx, brain, r, now).await?;
            }
        }
        tx.set_offset(last + 1).await?;
        tx.commit().await?;
        anyhow::Ok(())
    };
    match whole.await {
        Ok(()) => Ok(last + 1),
        Err(e) => {
            tracing::warn!(error = %e, "batch failed; storing its updates one by one");
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
            Ok(last + 1)
        }
    }
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
    decide_one(tx, brain, r, now).await
}

/// Load what the product wants, let it decide, and apply its effects.
async fn decide_one(tx: &mut Tx<'_>, brain: &Brain, r: &Raw, now: Millis) -> Result<()> {
    let s = &brain.settings;
    let me = brain.bot_username.as_deref();
    let mut ctx = tx.base_context(&r.incoming, s).await?;
    let wants = decide::wants(&r.incoming, &ctx, s, me);
    tx.load(&r.incoming, &mut ctx, &wants, s, now).await?;
    let effects = decide::decide(&ctx, &r.incoming, s, me, now);
    tx.apply(&effects, now).await?;
    Ok(())
}
