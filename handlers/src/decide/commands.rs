//! Commands that show things: a petition's status and history, templates, the contact card.

use super::{answer, is_staff_here};
use crate::context::Context;
use crate::effect::Effect;
use crate::incoming::Msg;
use crate::intake::mask_pii;
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
        .unwrap_or("未分类");
    let mut body = format!(
        "{} [{}] {}{}\n{} {} | {} | 登记于 {}\n负责人：{}\n内容：{}",
        p.number,
        text::state_name(p.state),
        cat,
        if p.urgent { " 🚨紧急" } else { "" },
        p.community,
        p.grid,
        p.location.as_deref().unwrap_or("位置未说明"),
        text::clock(p.created_at, s.tz),
        p.owner
            .as_ref()
            .map(text::who)
            .unwrap_or_else(|| "未受理".into()),
        mask_pii(&p.text),
    );
    if let Some(into) = p.merged_into {
        body.push_str(&format!("\n已并入 {into}"));
    }
    body.push_str("\n处理记录：");
    for e in &ctx.history {
        let actor = e
            .actor
            .as_ref()
            .map(text::who)
            .unwrap_or_else(|| "系统".into());
        let note = if e.note.is_empty() {
            String::new()
        } else {
            format!("：{}", mask_pii(&e.note))
        };
        body.push_str(&format!(
            "\n{} {} {}{}",
            text::clock(e.at, s.tz),
            actor,
            text::event_name(e.kind),
            note
        ));
    }
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
        let list: Vec<String> = s
            .rules
            .categories()
            .iter()
            .map(|(c, n)| format!("{n}（{c}）"))
            .collect();
        return out.push(answer(
            m,
            format!(
                "有标准答复的类别：{}\n发送 /template 类别 查看，例如 /template 电梯",
                list.join("、")
            ),
        ));
    };
    match s
        .rules
        .find_category(w)
        .and_then(|c| Some((s.rules.category_name(c)?, s.rules.template(c)?)))
    {
        Some((name, t)) => out.push(answer(m, format!("「{name}」标准答复：\n{t}"))),
        None => out.push(answer(
            m,
            format!("没有「{w}」这个类别。发送 /template 查看全部类别。"),
        )),
    }
}

pub(super) fn stats(ctx: &Context, m: &Msg, out: &mut Vec<Effect>) {
    if !is_staff_here(ctx) && ctx.secretary_of.is_empty() {
        return out.push(answer(m, text::NOT_STAFF.into()));
    }
    out.push(answer(
        m,
        "统计功能即将上线，请使用 gridbot report 导出报表。".into(),
    ));
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

pub(super) fn forget(m: &Msg, out: &mut Vec<Effect>) {
    out.push(answer(
        m,
        "删除个人信息的功能正在开发中，如需删除请联系社区工作人员。".into(),
    ));
}
