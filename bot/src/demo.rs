//! `gridbot demo`: a scripted day in one grid group, run through the real intake, clocks,
//! commands and outbox on a temporary SQLite database, with a virtual clock (a day in a few
//! seconds). Telegram is replaced by a built-in chat that prints what the group and the
//! secretaries' chat would see. Needs no token and no network.

use crate::ingest::{Brain, Raw, batch};
use crate::scheduler::Scheduler;
use anyhow::{Context as _, Result};
use chrono::TimeZone;
use gridbot_handlers::effect::OutAction;
use gridbot_handlers::figures::{self, PeriodSpec, Scope};
use gridbot_handlers::incoming::{ChatKind, Incoming, Msg, ReplyTo};
use gridbot_handlers::intake::Rules;
use gridbot_handlers::model::{Millis, Person};
use gridbot_handlers::{Settings, text};
use gridbot_storage::Store;
use std::collections::HashMap;

mod script;
use script::{Step, script};

pub(crate) const GROUP: i64 = -100_200_300;
pub(crate) const SECRETARIES: i64 = -100_200_999;
const MINUTE: Millis = 60_000;

struct Day {
    store: Store,
    brain: Brain,
    scheduler: Scheduler,
    tz: chrono_tz::Tz,
    lines: Vec<String>,
    next_update: i64,
    next_msg: i32,
    next_bot_msg: i32,
    scripted: Vec<(i32, Person)>,
    authors: HashMap<(i64, i32), String>,
    rating_messages: HashMap<i64, i32>,
}

impl Day {
    fn clock(&self, at: Millis) -> String {
        self.tz
            .timestamp_millis_opt(at)
            .single()
            .map(|t| t.format("%H:%M").to_string())
            .unwrap_or_default()
    }

    fn chat_label(chat: i64) -> &'static str {
        match chat {
            GROUP => "网格群",
            SECRETARIES => "书记群",
            _ => "私聊",
        }
    }

    fn print(&mut self, chat: i64, at: Millis, line: String) {
        let l = format!("[{}] {} | {}", self.clock(at), Day::chat_label(chat), line);
        println!("{l}");
        self.lines.push(l);
    }

    async fn feed(&mut self, inc: Incoming, at: Millis) -> Result<()> {
        self.next_update += 1;
        let raw = Raw {
            update_id: self.next_update,
            json: "{\"demo\":true}".into(),
            incoming: inc,
        };
        batch(&self.store, &self.brain, std::slice::from_ref(&raw), at).await?;
        Ok(())
    }

    fn msg(
        &mut self,
        chat: i64,
        who: &Person,
        body: &str,
        reply_to: Option<(i32, Person)>,
        at: Millis,
    ) -> Msg {
        self.next_msg += 1;
        self.authors.insert((chat, self.next_msg), who.name.clone());
        Msg {
            chat_id: chat,
            chat_kind: ChatKind::Group,
            chat_title: Some(Day::chat_label(chat).into()),
            message_id: self.next_msg,
            from: Some(who.clone()),
            from_bot: false,
            text: body.into(),
            media: None,
            reply_to: reply_to.map(|(id, p)| ReplyTo {
                message_id: id,
                from: Some(p),
                from_bot: false,
            }),
            date: at,
            service: false,
        }
    }

    async fn step(&mut self, s: &Step, at: Millis) -> Result<()> {
        match s {
            Step::Say { who, text, chat } => {
                let m = self.msg(*chat, who, text, None, at);
                self.scripted.push((m.message_id, who.clone()));
                self.print(*chat, at, format!("{}：{}", who.name, text));
                self.feed(Incoming::Message(m), at).await
            }
            Step::Reply { who, text, to } => {
                let target = self
                    .scripted
                    .get(*to)
                    .cloned()
                    .context("demo script: no such message")?;
                let m = self.msg(GROUP, who, text, Some(target.clone()), at);
                self.scripted.push((m.message_id, who.clone()));
                self.print(
                    GROUP,
                    at,
                    format!("{}（回复 {}）：{}", who.name, target.1.name, text),
                );
                self.feed(Incoming::Message(m), at).await
            }
            Step::Rate { who, n, code } => {
                let label = match *code {
                    "s" => text::RATE_SATISFIED,
                    "b" => text::RATE_BASIC,
                    _ => text::RATE_UNSATISFIED,
                };
                self.print(GROUP, at, format!("{} 点了评价按钮「{label}」", who.name));
                let msg = self.rating_messages.get(n).copied();
                self.feed(
                    Incoming::Callback {
                        id: format!("demo-{n}-{code}"),
                        from: who.clone(),
                        chat_id: Some(GROUP),
                        message_id: msg,
                        data: format!("rate:{n}:{code}"),
                    },
                    at,
                )
                .await
            }
        }
    }

    /// The built-in chat: take what the bot queued and show it as Telegram would.
    async fn deliver(&mut self, at: Millis) -> Result<()> {
        loop {
            let items = self.store.take_outbox(at, 60_000, 100).await?;
            if items.is_empty() {
                return Ok(());
            }
            for item in items {
                self.next_bot_msg += 1;
                let id = self.next_bot_msg;
                let shown = match &item.action {
                    OutAction::Text {
                        text,
                        reply_to,
                        buttons,
                        ..
                    } => {
                        if !buttons.is_empty()
                            && let Some(n) = item.petition
                        {
                            self.rating_messages.insert(n.0, id);
                        }
                        let to = reply_to
                            .and_then(|r| self.authors.get(&(item.chat_id, r)).cloned())
                            .map(|a| format!("（回复 {a}）"))
                            .unwrap_or_default();
                        let keys: Vec<String> = buttons
                            .iter()
                            .flatten()
                            .map(|b| format!("[{}]", b.label))
                            .collect();
                        let keys = if keys.is_empty() {
                            String::new()
                        } else {
                            format!("\n      {}", keys.join(" "))
                        };
                        Some(format!(
                            "🤖 机器人{to}：{}{keys}",
                            text.replace('\n', "\n      ")
                        ))
                    }
                    OutAction::React { message_id, emoji } => {
                        let whose = self
                            .authors
                            .get(&(item.chat_id, *message_id))
                            .cloned()
                            .unwrap_or_default();
                        Some(format!("🤖 在 {whose} 的消息上点了 {emoji}"))
                    }
                    OutAction::SetButtons { buttons, .. } => {
                        let keys: Vec<String> =
                            buttons.iter().flatten().map(|b| b.label.clone()).collect();
                        Some(format!("🤖 评价按钮变为：{}", keys.join(" ")))
                    }
                    OutAction::AnswerCallback { text, .. } => {
                        Some(format!("🤖 （按钮提示）{text}"))
                    }
                    OutAction::Photo { caption, .. } => Some(format!("🤖 [图表] {caption}")),
                    // A menu change is invisible in the chat.
                    OutAction::Menu { .. } => None,
                    // The demo runs without the live board.
                    OutAction::EditText { .. } | OutAction::Pin { .. } => None,
                };
                if let Some(line) = shown {
                    let chat = if item.chat_id == 0 {
                        GROUP
                    } else {
                        item.chat_id
                    };
                    self.print(chat, at, line);
                }
                self.store.outbox_sent(&item, Some(id), at).await?;
            }
        }
    }
}

/// Run the day and return its transcript (also printed as it goes).
pub async fn run() -> Result<Vec<String>> {
    let dir = tempfile_dir()?;
    let url = format!("sqlite://{}", dir.join("demo.db").display());
    let store = Store::connect(&url).await.context("demo database")?;
    store.migrate().await?;
    let mut settings = Settings::defaults(Rules::builtin());
    settings.admins = vec![1];
    let tz = settings.tz;
    let day0 = tz
        .with_ymd_and_hms(2026, 11, 23, 0, 0, 0)
        .single()
        .context("demo date")?
        .timestamp_millis();
    let mut day = Day {
        store: store.clone(),
        brain: Brain {
            settings: settings.clone(),
            bot_username: Some("gridbot_demo_bot".into()),
            times: Default::default(),
        },
        scheduler: Scheduler::new(
            store.clone(),
            settings.clone(),
            crate::config::Limits {
                per_chat_per_second: 1.0,
                per_group_per_minute: 20,
                global_per_second: 30,
            },
        ),
        tz,
        lines: Vec::new(),
        next_update: 0,
        next_msg: 0,
        next_bot_msg: 1_000,
        scripted: Vec::new(),
        authors: HashMap::new(),
        rating_messages: HashMap::new(),
    };
    println!("gridbot 演示：欣锦苑社区 第一网格的一天（虚拟时钟，2026-11-23 周一）\n");
    let steps = script();
    let mut next = 0;
    let (start, end) = (day0 + (7 * 60 + 30) * MINUTE, day0 + 18 * 60 * MINUTE);
    let mut now = start;
    while now <= end {
        while let Some((h, m, s)) = steps.get(next) {
            if day0 + (*h as i64 * 60 + *m as i64) * MINUTE > now {
                break;
            }
            day.step(s, now).await?;
            day.deliver(now).await?;
            next += 1;
        }
        day.scheduler.sweep(now).await?;
        day.deliver(now).await?;
        now += MINUTE;
    }
    let petitions = store.petitions_since(0).await?;
    let period = PeriodSpec::Days {
        since: figures::local_date(start, tz),
        until: figures::local_date(start, tz),
    }
    .resolve(end, tz)
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let f = figures::compute(&petitions, &Scope::Grid(GROUP), &period, end);
    let summary = format!(
        "今日数据（欣锦苑社区 第一网格）\n{}",
        text::figures::block(&f)
    );
    println!("\n{summary}");
    day.lines.push(summary);
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(day.lines)
}

fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "gridbot-demo-{}-{}",
        std::process::id(),
        crate::now_ms()
    ));
    std::fs::create_dir_all(&dir).context("cannot create a temporary folder for the demo")?;
    Ok(dir)
}
