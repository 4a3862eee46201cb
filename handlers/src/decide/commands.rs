//! Commands that show things: a petition's status and history, templates, the contact card.

use super::{answer, is_staff_here};
use crate::context::{Context, StatsWant};
use crate::effect::Effect;
use crate::figures::{self, PeriodSpec, Scope, View};
use crate::incoming::{ChatKind, Msg};
use crate::model::{Millis, Person, PetitionNo, Role};
use crate::settings::Settings;
use crate::text;

pub(super) fn status(
    ctx: &Context,
    m: &Msg,
    from: &Person,
    n: PetitionNo,
    s: &Settings,
    now: Millis,
    out: &mut Vec<Effect>,
) {
    let Some(p) = ctx.petition(n) else {
        return out.push(answer(m, text::unknown_number(n)));
    };
    // Residents see petitions of their own group and their own; staff those of their grids.
    let visible = p.resident.id == from.id
        || ctx.role_for(n).is_staff()
        || ctx.grid.as_ref().is_some_and(|g| g.chat_id == p.chat_id);
    if !visible {
        return out.push(answer(m, text::other_grid(n)));
    }
    let cat = p
        .category
        .as_deref()
        .and_then(|c| s.rules.category_name(c))
        .unwrap_or(text::outcome::UNCATEGORISED);
    let body = text::outcome::status(p, cat, &ctx.history, s.tz);
    let _ = now;
    out.push(answer(m, body));
}

pub(super) fn template(
    ctx: &Context,
    m: &Msg,
    wanted: Option<&str>,
    s: &Settings,
    out: &mut Vec<Effect>,
) {
    if !is_staff_here(ctx) && ctx.secretary_of.is_empty() {
        return out.push(answer(m, text::NOT_STAFF.into()));
    }
    let Some(w) = wanted else {
        let list = text::outcome::template_list(&s.rules.categories());
        return out.push(answer(m, list));
    };
    match s
        .rules
        .find_category(w)
        .and_then(|c| Some((s.rules.category_name(c)?, s.rules.template(c)?)))
    {
        Some((name, t)) => out.push(answer(m, text::outcome::template(name, t))),
        None => out.push(answer(m, text::outcome::no_such_category(w))),
    }
}

/// Which grids `/stats` shows the caller: the grid (a secretary or admin: the community)
/// in a group; in a private chat everything the caller serves. None: nothing to load.
pub(super) fn stats_wants(ctx: &Context, m: &Msg, period: Option<&str>) -> Option<StatsWant> {
    let period = match period {
        Some(p) => PeriodSpec::parse(p).ok()?,
        None => PeriodSpec::ThisWeek,
    };
    let view = match (&ctx.grid, m.chat_kind) {
        (Some(g), ChatKind::Group) => match ctx.role {
            Role::Secretary | Role::Admin => View::Communities(vec![g.community.clone()]),
            r if r.is_staff() => View::Grid(g.chat_id),
            _ => return None,
        },
        (_, ChatKind::Private) if ctx.role == Role::Admin => View::Street,
        (_, ChatKind::Private) if !ctx.secretary_of.is_empty() => {
            View::Communities(ctx.secretary_of.clone())
        }
        (_, ChatKind::Private) => View::OwnGrids,
        _ => return None,
    };
    Some(StatsWant { view, period })
}

/// `/stats [week|month]`: the figures of SPEC §6 for what the caller may see.
pub(super) fn stats(
    ctx: &Context,
    m: &Msg,
    period: Option<&str>,
    s: &Settings,
    now: Millis,
    out: &mut Vec<Effect>,
) {
    let group = m.chat_kind == ChatKind::Group;
    let serves = ctx.role.is_staff() || !ctx.secretary_of.is_empty();
    if (group && !is_staff_here(ctx)) || (ctx.stats_grids.is_empty() && !serves) {
        return out.push(answer(m, text::NOT_STAFF.into()));
    }
    if ctx.stats_grids.is_empty() {
        return out.push(answer(m, text::figures::NO_GRIDS.into()));
    }
    let spec = period
        .and_then(|p| PeriodSpec::parse(p).ok())
        .unwrap_or(PeriodSpec::ThisWeek);
    let Ok(period) = spec.resolve(now, s.tz) else {
        return out.push(answer(m, text::usage("stats")));
    };
    let rows = figures::per_grid(&ctx.stats_petitions, &ctx.stats_grids, &period, now);
    // Storage loaded only the petitions of the grids in view: the street scope is their sum.
    let total = figures::compute(&ctx.stats_petitions, &Scope::Street, &period, now);
    let mut communities: Vec<&str> = ctx
        .stats_grids
        .iter()
        .map(|g| g.community.as_str())
        .collect();
    communities.dedup();
    let title = match (rows.as_slice(), communities.as_slice()) {
        ([(g, _)], _) => format!("{} {}", g.community, g.grid),
        (_, [c]) => c.to_string(),
        _ if ctx.role == Role::Admin => s.street.clone(),
        _ => communities.join("、"),
    };
    let body = text::figures::stats(&title, &period, &total, &rows, &s.rules, now, s.tz);
    out.push(answer(m, body));
}

pub(super) fn contact(ctx: &Context, m: &Msg, out: &mut Vec<Effect>) {
    let Some(g) = &ctx.grid else {
        return out.push(answer(m, text::NOT_BOUND.into()));
    };
    let mut body = format!("民情联系卡 · {} {}", g.community, g.grid);
    let mut any = false;
    for role in [Role::Worker, Role::Property, Role::Secretary] {
        for st in ctx.staff.iter().filter(|st| st.role == role) {
            any = true;
            let phone = st.phone.as_deref().unwrap_or("未公布电话");
            body.push_str(&format!(
                "\n{}：{} {}",
                text::role_name(role),
                text::who(&st.person),
                phone
            ));
        }
    }
    if !any {
        body.push_str("\n本网格还没有登记工作人员，请联系社区。");
    }
    out.push(answer(m, body));
}

/// `/forget`: the caller's closed petitions lose their personal data now; open ones are
/// kept until they close (staff still need the words to handle them).
pub(super) fn forget(ctx: &Context, m: &Msg, from: &Person, out: &mut Vec<Effect>) {
    let v = ctx.forget;
    if v.closed > 0 {
        out.push(Effect::Forget { user: from.id });
    }
    out.push(answer(m, text::ops::forgotten(v.closed, v.active)));
}
