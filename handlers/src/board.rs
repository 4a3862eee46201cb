//! The live board (`[board] enabled`): one pinned message per grid group listing its active
//! petitions, urgent first, then oldest. [`render`] draws it; [`step`] decides, from what
//! was stored about the group's board, whether to post a new one, edit it, or wait.
//!
//! Two fingerprints keep it quiet: `content` changes only when a petition on the board
//! does (number, state, owner, place), `shown` also when a displayed age does. A content
//! change is shown after `min_interval`; an age change only every [`AGE_REFRESH`].

use crate::duration::Dur;
use crate::model::{Millis, MsgId, Petition};
use crate::text::{self, MAX_CHARS, board as t};

/// Ages alone refresh the board at most this often.
pub const AGE_REFRESH: Dur = Dur::mins(10);
/// Lines on the board at most; the rest are counted ("…及其他 N 件").
pub const MAX_LINES: usize = 50;

/// A drawn board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Board {
    pub text: String,
    /// How many active petitions it stands for (listed or counted).
    pub count: usize,
    /// Fingerprint of the petitions as listed, without their ages.
    pub content: i64,
    /// Fingerprint of everything shown but the update time.
    pub shown: i64,
}

/// What is stored about a group's board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// The board message in the group; None before the first one is sent or after it was
    /// found deleted.
    pub message_id: Option<MsgId>,
    /// A new board is queued and not sent yet.
    pub posting: bool,
    pub content: i64,
    pub shown: i64,
    /// When the last post or edit was queued.
    pub updated_at: Millis,
}

/// What to do with a group's board now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Wait,
    /// Send a new board (the sender pins it once Telegram gives its id).
    Post,
    Edit(MsgId),
}

/// The board of one group's active petitions at `now` (street time for the header).
pub fn render(petitions: &[Petition], now: Millis, tz: chrono_tz::Tz) -> Board {
    let mut items: Vec<&Petition> = petitions.iter().filter(|p| p.state.is_active()).collect();
    items.sort_by_key(|p| (!p.urgent, p.created_at, p.number));
    let head = t::header(items.len(), now, tz);
    if items.is_empty() {
        let body = t::EMPTY.to_string();
        let h = fingerprint(&body);
        return Board {
            text: format!("{head}\n{body}"),
            count: 0,
            content: h,
            shown: h,
        };
    }
    // Room for the header, the footer and the widest "…及其他 N 件".
    let reserve = [head.as_str(), t::FOOTER, &t::more(items.len())]
        .iter()
        .map(|s| text::utf16_len(s) + 1)
        .sum::<usize>();
    let mut room = MAX_CHARS.saturating_sub(reserve);
    let (mut keys, mut lines) = (Vec::new(), Vec::new());
    for p in &items {
        let line = t::line_with_age(p, now);
        let need = text::utf16_len(&line) + 1;
        if lines.len() == MAX_LINES || need > room {
            break;
        }
        room -= need;
        keys.push(t::line(p));
        lines.push(line);
    }
    let rest = items.len() - lines.len();
    if rest > 0 {
        let more = t::more(rest);
        keys.push(more.clone());
        lines.push(more);
    }
    let body = lines.join("\n");
    Board {
        text: format!("{head}\n{body}\n{}", t::FOOTER),
        count: items.len(),
        content: fingerprint(&keys.join("\n")),
        shown: fingerprint(&body),
    }
}

/// Post, edit or wait: never more than once per `min_interval` per group, never a new
/// board while one is on its way, and no board at all for a group that never had a
/// petition waiting.
pub fn step(stored: Option<&Stored>, board: &Board, now: Millis, min_interval: Dur) -> Step {
    let Some(s) = stored else {
        return if board.count > 0 {
            Step::Post
        } else {
            Step::Wait
        };
    };
    if s.posting || now - s.updated_at < min_interval.ms() {
        return Step::Wait;
    }
    match s.message_id {
        // Deleted (or its sending failed): bring it back while there is something to show.
        None if board.count > 0 => Step::Post,
        None => Step::Wait,
        Some(id) if board.content != s.content => Step::Edit(id),
        Some(id) if board.shown != s.shown && now - s.updated_at >= AGE_REFRESH.ms() => {
            Step::Edit(id)
        }
        Some(_) => Step::Wait,
    }
}

/// FNV-1a, 64 bits: stable across builds and versions, unlike std's hasher.
fn fingerprint(s: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h as i64
}

#[cfg(test)]
mod tests;
