//! `/list`, `/mine`, `/overdue`, `/visits`, `/my`: paginated so no answer passes
//! Telegram's limit.

use super::answer;
use crate::context::{Context, ListKind};
use crate::effect::Effect;
use crate::incoming::Msg;
use crate::model::Millis;
use crate::settings::Settings;
use crate::text::{self, outcome};

pub const PAGE: usize = 10;

/// An active petition older than this is worth a visit (storage selects by the same week).
pub const LONG_RUNNING: Millis = 7 * 24 * 3_600_000;

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
    let mut body = outcome::list_head(kind, items.len());
    for p in items.iter().skip((page - 1) * PAGE).take(PAGE) {
        body.push('\n');
        if kind == ListKind::Visits {
            let long_running = p.state.is_active() && now - p.created_at >= LONG_RUNNING;
            let why = outcome::visit_reasons(p, long_running);
            body.push_str(&outcome::visit_line(p, &why, now));
        } else {
            body.push_str(&text::petition_line(p, now));
        }
    }
    if pages > 1 {
        let cmd = match kind {
            ListKind::Active => "list",
            ListKind::Mine => "mine",
            ListKind::My => "my",
            ListKind::Overdue => "overdue",
            ListKind::Visits => "visits",
        };
        // `/my` takes no page: it shows the newest.
        let next = (kind != ListKind::My).then_some(cmd);
        body.push_str(&outcome::list_page(page, pages, next));
    }
    let _ = s;
    out.push(answer(m, body));
}
