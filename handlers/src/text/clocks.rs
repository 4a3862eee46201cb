//! What the clocks say: the grouped reminder in the group, the overdue alerts to the
//! community, and the notes they leave in a petition's history.

use super::{Rich, age, who};
use crate::intake::mask_pii;
use crate::model::{Grid, Millis, Person, Petition};

/// History notes of the scheduler's events.
pub const NOTE_UNANSWERED: &str = "超时未答复";
pub const NOTE_OVERDUE: &str = "超期未办结";
pub const NOTE_UNRATED: &str = "未评价";
/// The label that replaces the rating buttons once the rating window is over.
pub const RATING_EXPIRED: &str = "未评价（评价期已过）";

pub fn reminder_note(n: i32) -> String {
    format!("第{n}次催办提醒")
}

/// The resident's words, masked and cut short for a one-line summary.
fn excerpt(p: &Petition, max: usize) -> String {
    let masked = mask_pii(&p.text);
    let mut s: String = masked.chars().take(max).collect();
    if masked.chars().count() > max {
        s.push('…');
    }
    if s.trim().is_empty() {
        s = "[图片/视频/语音]".into();
    }
    s
}

fn mark(p: &Petition) -> &'static str {
    if p.urgent { "🚨" } else { "" }
}

/// The reminder to the grid's staff: one message for every petition waiting for an answer.
pub fn reminder(to: &[&Person], items: &[&Petition], now: Millis) -> Rich {
    let mut r = Rich::new();
    r.push("⏰ 催办提醒 ");
    for (i, p) in to.iter().enumerate() {
        if i > 0 {
            r.push(" ");
        }
        r.mention(p);
    }
    if to.is_empty() {
        r.push("（本网格还没有设置网格员，请管理员回复网格员的消息发送 /role worker）");
    }
    match items {
        [p] => {
            r.push(&format!(
                "\n{}{} {}的诉求已等待{}，还没有人答复。请直接回复这条消息，或发送 /claim {} 受理。",
                mark(p),
                p.number,
                who(&p.resident),
                age(p.created_at, now),
                p.number.0
            ));
        }
        _ => {
            r.push(&format!("\n以下 {} 条诉求还没有人答复：", items.len()));
            for p in items {
                r.push(&format!(
                    "\n{}{} {} 已等待{}：{}",
                    mark(p),
                    p.number,
                    who(&p.resident),
                    age(p.created_at, now),
                    excerpt(p, 30)
                ));
            }
            r.push("\n请回复居民的消息，或发送 /claim 编号 受理、/reply 编号 内容 答复。");
        }
    }
    r
}

fn owner(p: &Petition) -> String {
    p.owner.as_ref().map(who).unwrap_or_else(|| "未受理".into())
}

/// An alert to the community: a title line naming the grid, then one entry a petition with
/// its owner and its words.
fn alert(
    icon_title: &str,
    grid: &Grid,
    items: &[&Petition],
    entry: impl Fn(&Petition) -> String,
) -> String {
    let n = if items.len() > 1 {
        format!(" {} 条", items.len())
    } else {
        String::new()
    };
    let mut s = format!("{icon_title}{n} | {} {}", grid.community, grid.grid);
    for p in items {
        s.push_str(&format!(
            "\n{}{} {} | 负责人：{}\n内容：{}",
            mark(p),
            p.number,
            entry(p),
            owner(p),
            excerpt(p, 80)
        ));
    }
    s
}

/// Unanswered past the escalation clock: to the community's alert chat.
pub fn unanswered_alert(grid: &Grid, items: &[&Petition], now: Millis) -> String {
    alert("🔴 超时未答复", grid, items, |p| {
        format!(
            "已等待{}无人答复 | 居民：{}",
            age(p.created_at, now),
            who(&p.resident)
        )
    })
}

/// Unresolved past the resolution clock: to the community, daily until resolved.
pub fn overdue_alert(grid: &Grid, items: &[&Petition], now: Millis) -> String {
    alert("🟠 超期未办结", grid, items, |p| {
        format!(
            "已登记{}，办结期限已过{}",
            age(p.created_at, now),
            age(p.deadlines.resolve_by, now)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn petition(n: i64, text: &str) -> Petition {
        Petition {
            message_id: 5,
            resident: Person::sample(100 + n, &format!("居民{n}")),
            text: text.into(),
            category: None,
            ..Petition::sample(n, -1)
        }
    }

    #[test]
    fn alerts_mask_phone_numbers_and_name_the_wait() {
        let p = petition(3, "楼道灯坏了 联系我13812345678");
        let g = Grid::sample(-1, "第一网格");
        let s = unanswered_alert(&g, &[&p], 2 * 3_600_000 + 5 * 60_000);
        assert!(s.contains("138****5678"), "{s}");
        assert!(!s.contains("13812345678"), "{s}");
        assert!(s.contains("#3 已等待2小时5分"), "{s}");
        assert!(s.contains("欣锦苑社区 第一网格"), "{s}");
    }
}
