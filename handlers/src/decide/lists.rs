//! `/list`, `/mine`, `/overdue`, `/visits`, `/my`: paginated so no answer passes
//! Telegram's limit.

use super::answer;
use crate::context::{Context, ListKind};
use crate::effect::Effect;
use crate::incoming::Msg;
use crate::model::Millis;
use crate::settings::Settings;
use crate::text;

pub const PAGE: usize = 10;

pub(super) fn show(
    ctx: &Context,
    m: &Msg,
    kind: ListKind,
    page: usize,
    s: &Settings,
    now: Millis,
    out: &mut Vec<Effect>,
) {
    let staff_only = !matches!(kind, ListKind::My);
    if staff_only && !ctx.role.is_staff() {
        return out.push(answer(m, text::NOT_STAFF.into()));
    }
    if staff_only && ctx.grid.is_none() {
        return out.push(answer(m, text::GROUP_ONLY.into()));
    }
    let items = &ctx.list;
    if items.is_empty() {
        let t = if kind == ListKind::My {
            text::NO_PETITIONS_OF_MINE
        } else {
            text::NOTHING_LISTED
        };
        return out.push(answer(m, t.into()));
    }
    let pages = items.len().div_ceil(PAGE);
    let page = page.min(pages);
    let title = match kind {
        ListKind::Active => "未办结的诉求",
        ListKind::Mine => "我负责的诉求",
        ListKind::My => "我登记的诉求",
        ListKind::Overdue => "超时的诉求",
        ListKind::Visits => "本周建议走访（不满意、重新打开、上报或久拖未决）",
    };
    let mut body = format!("{title}，共 {} 条：", items.len());
    for p in items.iter().skip((page - 1) * PAGE).take(PAGE) {
        body.push('\n');
        body.push_str(&text::petition_line(p, now));
    }
    if pages > 1 {
        let cmd = match kind {
            ListKind::Active => "list",
            ListKind::Mine => "mine",
            ListKind::My => "my",
            ListKind::Overdue => "overdue",
            ListKind::Visits => "visits",
        };
        body.push_str(&format!("\n第 {page}/{pages} 页"));
        if page < pages && kind != ListKind::My {
            body.push_str(&format!("，发送 /{cmd} {} 看下一页", page + 1));
        }
    }
    let _ = s;
    out.push(answer(m, body));
}
