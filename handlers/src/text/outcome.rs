//! Sentences of a petition's outcome: hand-over, escalation, merge, rating, visits.

use super::rich::utf16_len;
use super::{MAX_CHARS, age, clock, event_name, state_name, who};
use crate::context::ListKind;
use crate::intake::mask_pii;
use crate::model::{Event, Millis, Person, Petition, PetitionNo, Rating, State};

// What a command did, when it was given outside the petition's group: "已转交 #3。"
pub const DONE_CLAIMED: &str = "已受理";
pub const DONE_REPLIED: &str = "已答复";
pub const DONE_PROGRESS: &str = "已发布进展";
pub const DONE_RESOLVED: &str = "已办结";
pub const DONE_ESCALATED: &str = "已上报";
pub const DONE_REOPENED: &str = "已重新打开";
pub const DONE_TRANSFERRED: &str = "已转交";
pub const DONE_MERGED: &str = "已合并";

pub fn already_claimed_by_you(n: PetitionNo) -> String {
    format!("您已经受理了 {n}。")
}

pub fn claimed_by_other(n: PetitionNo, owner: &Person) -> String {
    format!(
        "{n} 已由{}受理。如需接手，请让对方用 /transfer {} 转交。",
        who(owner),
        n.0
    )
}

/// Put before the mentions of the followers under a resolution.
pub const FOLLOWERS_TOLD: &str = "\n同样反映此事的邻居：";

pub fn escalated(n: PetitionNo) -> String {
    format!("{n} 已上报社区，由社区书记协调办理，网格员继续跟进。")
}

pub fn escalation_alert(p: &Petition, by: &Person, reason: &str, masked_text: &str) -> String {
    format!(
        "⬆️ 上报 {} | {} {} | {}\n{}上报原因：{}\n内容：{}",
        p.number,
        p.community,
        p.grid,
        p.location.as_deref().unwrap_or("位置未说明"),
        who(by),
        reason,
        masked_text
    )
}

pub fn reopened(n: PetitionNo) -> String {
    format!("{n} 已重新打开，继续办理。")
}

pub fn transferred(n: PetitionNo, by: &Person) -> String {
    format!("{n} 已由{}转交给 ", who(by))
}

pub const TRANSFERRED_TAIL: &str = " 办理。";

pub fn already_owner(n: PetitionNo, p: &Person) -> String {
    format!("{} 已经是 {n} 的负责人。", who(p))
}

pub const TRANSFER_HERE_ONLY: &str = "请在诉求所在的网格群里转交。";

pub const MERGE_INTO_ITSELF: &str = "不能把诉求合并到它自己。";

pub fn merge_source_merged(n: PetitionNo, into: Option<PetitionNo>) -> String {
    match into {
        Some(m) => format!("{n} 已经并入 {m}，不能再合并。"),
        None => format!("{n} 已经合并过，不能再合并。"),
    }
}

pub fn merge_target_merged(m: PetitionNo, into: Option<PetitionNo>) -> String {
    match into {
        Some(k) => format!("{m} 已并入 {k}，请直接合并到 {k}。"),
        None => format!("{m} 已并入其他诉求，请合并到最终保留的那一条。"),
    }
}

pub fn merge_target_inactive(m: PetitionNo, s: State) -> String {
    format!(
        "{m} 当前状态是「{}」，不能把别的诉求并入它。",
        state_name(s)
    )
}

pub const MERGE_SAME_GROUP_ONLY: &str = "只能合并同一个网格群里的诉求。";

/// Told to the duplicate's resident and followers, after their mentions.
pub fn merged(a: PetitionNo, b: PetitionNo) -> String {
    format!(" 您反映的 {a} 与 {b} 是同一问题，已合并办理，进展会在 {b} 通知您。")
}

pub fn merged_note(a: PetitionNo) -> String {
    format!("{a} 并入")
}

// The rating buttons.
pub const BUTTON_STALE: &str = "这个按钮已失效。";
pub const RESIDENT_ONLY: &str = "只有反映问题的居民本人可以评价。";
pub const NOT_AWAITING_RATING: &str = "这条诉求已经评价过或不在待评价状态。";
pub const THANKS_FOR_RATING: &str = "感谢您的评价！";
pub const UNSATISFIED_NOTE: &str = "居民不满意";

pub fn rated_marker(label: &str) -> String {
    format!("已评价：{label}")
}

pub fn rating_label(r: Rating) -> &'static str {
    match r {
        Rating::Satisfied => super::RATE_SATISFIED,
        Rating::Basic => super::RATE_BASIC,
        Rating::Unsatisfied => super::RATE_UNSATISFIED,
        Rating::Unrated => "未评价",
    }
}

/// In the group after 不满意; the owner's mention follows.
pub fn unsatisfied_reopened(n: PetitionNo) -> String {
    format!("{n} 居民评价「不满意」，已重新打开，继续办理。")
}

pub const OWNER_IS: &str = " 负责人：";

pub fn unsatisfied_alert(p: &Petition) -> String {
    format!(
        "❗ {} 居民评价不满意，已重新打开 | {} {} | {} | 负责人：{}",
        p.number,
        p.community,
        p.grid,
        p.location.as_deref().unwrap_or("位置未说明"),
        p.owner.as_ref().map(who).unwrap_or_else(|| "未受理".into())
    )
}

/// Why a petition is on the visit list, most telling first.
pub fn visit_reasons(p: &Petition, long_running: bool) -> String {
    let mut why = Vec::new();
    if p.rating == Some(Rating::Unsatisfied) {
        why.push("不满意".to_string());
    }
    if p.reopened > 0 {
        why.push(format!("重新打开{}次", p.reopened));
    }
    if p.escalated {
        why.push("已上报".to_string());
    }
    if long_running {
        why.push("久拖未决".to_string());
    }
    why.join("、")
}

/// One resident to visit: who, where, why, since when.
pub fn visit_line(p: &Petition, reasons: &str, now: Millis) -> String {
    let text: String = mask_pii(&p.text).chars().take(20).collect();
    format!(
        "{} {} | {} | {} [{}] | {}前 | {}",
        p.number,
        who(&p.resident),
        p.location.as_deref().unwrap_or("位置未说明"),
        reasons,
        state_name(p.state),
        age(p.created_at, now),
        text
    )
}

pub fn list_title(kind: ListKind) -> &'static str {
    match kind {
        ListKind::Active => "未办结的诉求",
        ListKind::Mine => "我负责的诉求",
        ListKind::My => "我登记的诉求",
        ListKind::Overdue => "超时的诉求",
        ListKind::Visits => "本周建议走访（不满意、重新打开、上报或久拖未决）",
    }
}

pub fn list_head(kind: ListKind, count: usize) -> String {
    format!("{}，共 {count} 条：", list_title(kind))
}

/// `第 1/3 页`, and how to see the next one when there is one.
pub fn list_page(page: usize, pages: usize, next: Option<&str>) -> String {
    match next {
        Some(cmd) if page < pages => {
            format!("\n第 {page}/{pages} 页，发送 /{cmd} {} 看下一页", page + 1)
        }
        _ => format!("\n第 {page}/{pages} 页"),
    }
}

pub const UNCATEGORISED: &str = "未分类";

const STATUS_TEXT_CHARS: usize = 500;
const HISTORY_NOTE_CHARS: usize = 60;

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut t: String = s.chars().take(n).collect();
    t.push('…');
    t
}

/// `/status N`: the petition, then its history; when it is too long for one message the
/// oldest entries give way, the newest are what people ask about.
pub fn status(p: &Petition, category: &str, history: &[Event], tz: chrono_tz::Tz) -> String {
    let mut head = format!(
        "{} [{}] {}{}\n{} {} | {} | 登记于 {}\n负责人：{}\n内容：{}",
        p.number,
        state_name(p.state),
        category,
        if p.urgent { " 🚨紧急" } else { "" },
        p.community,
        p.grid,
        p.location.as_deref().unwrap_or("位置未说明"),
        clock(p.created_at, tz),
        p.owner.as_ref().map(who).unwrap_or_else(|| "未受理".into()),
        cut(&mask_pii(&p.text), STATUS_TEXT_CHARS),
    );
    if let Some(into) = p.merged_into {
        head.push_str(&format!("\n已并入 {into}"));
    }
    head.push_str("\n处理记录：");
    let lines: Vec<String> = history
        .iter()
        .map(|e| {
            let actor = e.actor.as_ref().map(who).unwrap_or_else(|| "系统".into());
            let note = match e.note.as_str() {
                "" => String::new(),
                n => format!("：{}", cut(&mask_pii(n), HISTORY_NOTE_CHARS)),
            };
            format!(
                "\n{} {} {}{}",
                clock(e.at, tz),
                actor,
                event_name(e.kind),
                note
            )
        })
        .collect();
    // Room for the head and the "omitted" line.
    let mut room = MAX_CHARS.saturating_sub(utf16_len(&head) + 40);
    let mut kept = 0;
    for l in lines.iter().rev() {
        let len = utf16_len(l);
        if len > room {
            break;
        }
        room -= len;
        kept += 1;
    }
    let omitted = lines.len() - kept;
    if omitted > 0 {
        head.push_str(&format!("\n（较早的 {omitted} 条记录已省略）"));
    }
    for l in &lines[omitted..] {
        head.push_str(l);
    }
    head
}

pub fn template_list(categories: &[(&str, &str)]) -> String {
    let list: Vec<String> = categories
        .iter()
        .map(|(c, n)| format!("{n}（{c}）"))
        .collect();
    format!(
        "有标准答复的类别：{}\n发送 /template 类别 查看，例如 /template 电梯",
        list.join("、")
    )
}

pub fn template(name: &str, t: &str) -> String {
    format!("「{name}」标准答复：\n{t}")
}

pub fn no_such_category(w: &str) -> String {
    format!("没有「{w}」这个类别。发送 /template 查看全部类别。")
}
