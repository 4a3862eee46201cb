//! The live board (看板): one pinned message per grid group listing what is still waiting.
//! `crate::board` decides what goes on it and when; these are its sentences.

use super::{state_name, who};
use crate::intake::mask_pii;
use crate::model::{Millis, Petition};

/// How much of a resident's words stands in for a missing location.
const SNIPPET_CHARS: usize = 16;
/// Telegram allows long names (and a location may be long): a board line stays short.
const OWNER_CHARS: usize = 12;
const PLACE_CHARS: usize = 20;

/// `📋 本网格待办诉求（3 件）· 更新于 14:05`
pub fn header(count: usize, now: Millis, tz: chrono_tz::Tz) -> String {
    format!(
        "📋 本网格待办诉求（{count} 件）· 更新于 {}",
        hour_minute(now, tz)
    )
}

pub const EMPTY: &str = "✅ 目前没有待办诉求。";

pub const FOOTER: &str = "发送 /status 编号 查看处理记录。";

pub fn more(n: usize) -> String {
    format!("…及其他 {n} 件")
}

/// One petition without its age: what the board shows that only changes when the petition
/// does. `🚨#3【待受理】3号楼2单元501` or `#1【处理中】11号楼1单元 · 王网格员`.
pub fn line(p: &Petition) -> String {
    let urgent = if p.urgent { "🚨" } else { "" };
    let place = match &p.location {
        Some(l) => cut(l, PLACE_CHARS),
        None => snippet(&p.text),
    };
    let owner = match &p.owner {
        Some(o) if p.state != crate::model::State::Open => {
            format!(" · {}", cut(&who(o), OWNER_CHARS))
        }
        _ => String::new(),
    };
    format!(
        "{urgent}{}【{}】{place}{owner}",
        p.number,
        state_name(p.state)
    )
}

/// The line with its age: `… · 2小时前`.
pub fn line_with_age(p: &Petition, now: Millis) -> String {
    format!("{} · {}", line(p), age(p.created_at, now))
}

/// A coarse age, so the board changes at most every few minutes for time alone:
/// `刚刚`, `25分钟前`, `3小时前`, `2天前`.
pub fn age(since: Millis, now: Millis) -> String {
    let mins = (now - since).max(0) / 60_000;
    match mins {
        0 => "刚刚".into(),
        m if m < 60 => format!("{m}分钟前"),
        m if m < 24 * 60 => format!("{}小时前", m / 60),
        m => format!("{}天前", m / (24 * 60)),
    }
}

fn hour_minute(at: Millis, tz: chrono_tz::Tz) -> String {
    use chrono::TimeZone;
    match tz.timestamp_millis_opt(at) {
        chrono::LocalResult::Single(t) => t.format("%H:%M").to_string(),
        _ => String::new(),
    }
}

/// The start of the resident's words, phone and ID numbers masked, on one line.
fn snippet(text: &str) -> String {
    let masked = mask_pii(text);
    let flat: String = masked.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.is_empty() {
        return "位置未说明".into();
    }
    cut(&flat, SNIPPET_CHARS)
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut t: String = s.chars().take(n).collect();
    t.push('…');
    t
}
