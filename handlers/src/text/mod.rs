//! Every sentence a resident or worker reads, in Simplified Chinese, kept in one place.

pub mod board;
pub mod clocks;
pub mod figures;
mod help;
pub mod ops;
pub mod outcome;
mod rich;

pub use help::{help, menu as role_menu, usage};
pub use rich::{MAX_CHARS, Rich, fit, utf16_len};

use crate::duration::Dur;
use crate::intake::Emergency;
use crate::model::{Millis, Person, Petition, PetitionNo, Role, State};

pub const REACTION: &str = "👀";

pub fn role_name(r: Role) -> &'static str {
    match r {
        Role::Resident => "居民",
        Role::Worker => "网格员",
        Role::Property => "物业",
        Role::Secretary => "社区书记",
        Role::Admin => "管理员",
    }
}

pub fn state_name(s: State) -> &'static str {
    match s {
        State::Open => "待受理",
        State::Claimed => "处理中",
        State::Escalated => "已上报社区",
        State::Resolved => "已办结待评价",
        State::Closed => "已关闭",
        State::Merged => "已合并",
    }
}

/// A person as shown in a text (no mention).
pub fn who(p: &Person) -> String {
    match (&p.username, p.name.is_empty()) {
        (_, false) => p.name.clone(),
        (Some(u), true) => format!("@{u}"),
        (None, true) => format!("用户{}", p.id),
    }
}

/// Local wall-clock time `11-28 14:05` in the street's timezone.
pub fn clock(at: Millis, tz: chrono_tz::Tz) -> String {
    use chrono::TimeZone;
    match tz.timestamp_millis_opt(at) {
        chrono::LocalResult::Single(t) => t.format("%m-%d %H:%M").to_string(),
        _ => String::new(),
    }
}

pub fn ack_reply(
    p: &Petition,
    category: Option<&str>,
    answer_by: Millis,
    tz: chrono_tz::Tz,
) -> String {
    let cat = category.map(|c| format!("（{c}）")).unwrap_or_default();
    format!(
        "已收到，您的诉求编号 {}{}。网格员将在 {} 前答复，可发送 /status {} 查看进度。",
        p.number,
        cat,
        clock(answer_by, tz),
        p.number.0
    )
}

pub fn needs_look_reply(n: PetitionNo) -> String {
    format!("已收到您发的图片/视频，记为 {n}，网格员会尽快查看。如需说明情况，请直接补充文字。")
}

pub fn duplicate_joined(existing: PetitionNo) -> String {
    format!(
        "这个问题已有邻居反映，编号 {existing}，正在跟进。已把您加为关注人，处理结果会同时告诉您。"
    )
}

pub fn emergency_reply(p: &Petition, kind: Option<Emergency>) -> String {
    let (numbers, advice) = match kind {
        Some(Emergency::Fire) => ("119（火警）", "请立即离开危险区域，不要乘坐电梯。"),
        Some(Emergency::Gas) => ("119（火警）", "请勿开关电器、勿用明火，开窗通风并撤离。"),
        Some(Emergency::Medical) => ("120（急救）", "请保持电话畅通，等待急救人员。"),
        Some(Emergency::Violence) => ("110（报警）", "请远离冲突现场，注意自身安全。"),
        Some(Emergency::Trapped) => (
            "119（救援）",
            "被困电梯请按警铃、保持冷静，不要扒门；电梯应急电话 96333。",
        ),
        Some(Emergency::Flood) => ("119（救援）", "请先关闭总阀门，切断附近电源，注意防滑。"),
        Some(Emergency::Electric) => ("119（火警）", "请先拉闸断电，不要用水灭电火，远离冒烟处。"),
        None => ("119 火警 / 120 急救 / 110 报警", "请先确保自身安全。"),
    };
    format!(
        "⚠️ 紧急情况请立即拨打 {numbers}。{advice}\n已通知网格员和社区书记，编号 {}。",
        p.number
    )
}

pub fn urgent_alert(p: &Petition, masked_text: &str, category: &str) -> String {
    format!(
        "🚨 紧急诉求 {} | {} {} | {} | {}\n居民：{}\n内容：{}",
        p.number,
        p.community,
        p.grid,
        category,
        p.location.as_deref().unwrap_or("位置未说明"),
        who(&p.resident),
        masked_text
    )
}

pub fn claimed(p: &Petition, by: &Person) -> String {
    format!("{} 已由{}受理，正在处理。", p.number, who(by))
}

pub fn claim_template_hint(n: PetitionNo, category: &str, template: &str) -> String {
    format!("已受理 {n}。「{category}」类标准答复供参考：\n{template}")
}

pub fn staff_reply(p: &Petition, by: &Person, text: &str) -> String {
    format!("{} {}答复：{}", p.number, who(by), text)
}

pub fn progress(p: &Petition, by: &Person, text: &str) -> String {
    format!("{} 进展（{}）：{}", p.number, who(by), text)
}

pub fn resolved(p: &Petition, by: &Person, text: &str) -> String {
    format!(
        "{} 已办结（{}）：{}\n请 {} 对处理结果进行评价：",
        p.number,
        who(by),
        text,
        who(&p.resident)
    )
}

pub fn resolved_follower(p: &Petition, text: &str) -> String {
    format!("您关注的 {} 已办结：{}", p.number, text)
}

pub const RATE_SATISFIED: &str = "满意";
pub const RATE_BASIC: &str = "基本满意";
pub const RATE_UNSATISFIED: &str = "不满意";

pub fn done(what: &str, n: PetitionNo) -> String {
    format!("{what} {n}。")
}

pub fn age(since: Millis, now: Millis) -> String {
    Dur((now - since).max(0)).human()
}

pub fn petition_line(p: &Petition, now: Millis) -> String {
    let owner = p.owner.as_ref().map(who).unwrap_or_else(|| "未受理".into());
    let urgent = if p.urgent { "🚨" } else { "" };
    let text: String = p.text.chars().take(30).collect();
    format!(
        "{urgent}{} [{}] {} | {} | {}前 | {}",
        p.number,
        state_name(p.state),
        p.location.as_deref().unwrap_or("-"),
        owner,
        age(p.created_at, now),
        text
    )
}

// One-line refusals and errors.
pub const NOT_BOUND: &str = "本群还没有绑定网格。请管理员在群里发送：/bind 社区名 网格名";
pub const NOT_STAFF: &str = "这个命令只有本网格的网格员、物业和社区书记可以使用。";
pub const NOT_ADMIN: &str = "这个命令只有街道管理员可以使用。";
pub const NOT_ADMIN_OR_SECRETARY: &str = "这个命令只有管理员或社区书记可以使用。";
pub const GROUP_ONLY: &str = "请在网格群里使用这个命令。";
pub const ROLE_NEEDS_REPLY: &str = "请先回复（引用）要设置的人发的一条消息，再发送 /role worker、/role property、/role secretary 或 /role resident。";
pub const TRANSFER_NEEDS_REPLY: &str = "请回复（引用）新负责人的一条消息，再发送 /transfer 编号。";
pub const TARGET_NOT_STAFF: &str = "转交对象不是本网格的工作人员，请先由管理员设置角色。";
pub const START_PRIVATE: &str = "您好，我是网格服务机器人。在网格群里直接发消息反映问题，我会登记编号并提醒工作人员答复。发送 /help 查看可用命令，/my 查看我的诉求。";

pub fn unknown_number(n: PetitionNo) -> String {
    format!("没有找到诉求 {n}，请核对编号（可发送 /list 查看）。")
}

pub fn other_grid(n: PetitionNo) -> String {
    format!("诉求 {n} 不属于本网格，您不能处理。")
}

pub fn wrong_state(n: PetitionNo, s: State) -> String {
    format!("诉求 {n} 当前状态是「{}」，不能这样操作。", state_name(s))
}

pub fn unknown_command(name: &str) -> String {
    format!("没有 /{name} 这个命令。发送 /help 查看可用命令。")
}

pub fn bound(community: &str, grid: &str) -> String {
    format!("本群已绑定到 {community} {grid}。居民在群里反映的问题会自动登记并提醒工作人员答复。")
}

pub fn role_set(p: &Person, r: Role, community: &str, grid: &str) -> String {
    match r {
        Role::Resident => format!("已取消 {} 在 {community} {grid} 的工作人员角色。", who(p)),
        Role::Secretary => format!("已设置 {} 为 {community} 的社区书记。", who(p)),
        _ => format!(
            "已设置 {} 为 {community} {grid} 的{}。",
            who(p),
            role_name(r)
        ),
    }
}

pub fn alerts_set(community: &str) -> String {
    format!("本聊天已设为 {community} 的提醒接收群：超时提醒、紧急诉求和每周汇总会发到这里。")
}

pub const NOTHING_LISTED: &str = "目前没有符合条件的诉求。";
pub const NO_PETITIONS_OF_MINE: &str = "您还没有登记过诉求。在网格群里直接发消息反映问题即可。";

pub fn event_name(k: crate::model::EventKind) -> &'static str {
    use crate::model::EventKind::*;
    match k {
        Raised => "登记",
        Acknowledged => "已确认收到",
        FollowUp => "补充",
        Edited => "修改",
        Joined => "关注",
        Answered => "首次答复",
        Claimed => "受理",
        Replied => "答复",
        Progress => "进展",
        Transferred => "转交",
        Escalated => "上报社区",
        Resolved => "办结",
        Rated => "评价",
        Reopened => "重新打开",
        Merged => "合并到",
        Closed => "关闭",
        Reminded => "提醒",
        Alerted => "超时预警",
    }
}
