//! `/help` by role and the one-line usage of every command.

use crate::model::Role;

/// (command, who may use it, what it does, an example)
const ENTRIES: &[(&str, Role, &str, &str)] = &[
    (
        "petition",
        Role::Resident,
        "登记一个诉求（不会被当作闲聊）",
        "/petition 3号楼2单元楼道灯坏了",
    ),
    (
        "status",
        Role::Resident,
        "查看诉求进度和处理记录",
        "/status 12",
    ),
    ("my", Role::Resident, "查看我登记的诉求", "/my"),
    (
        "contact",
        Role::Resident,
        "本网格的网格员、物业、书记及联系电话",
        "/contact",
    ),
    (
        "forget",
        Role::Resident,
        "删除我已关闭诉求中的个人信息",
        "/forget",
    ),
    ("claim", Role::Worker, "受理诉求", "/claim 12"),
    (
        "reply",
        Role::Worker,
        "通过机器人答复居民",
        "/reply 12 师傅下午两点上门",
    ),
    (
        "progress",
        Role::Worker,
        "发布处理进展",
        "/progress 12 已联系维保公司",
    ),
    (
        "resolve",
        Role::Worker,
        "办结诉求，请居民评价",
        "/resolve 12 电梯已修复",
    ),
    (
        "transfer",
        Role::Worker,
        "转交给他人（回复对方的消息）",
        "/transfer 12",
    ),
    (
        "escalate",
        Role::Worker,
        "上报社区",
        "/escalate 12 涉及多个部门",
    ),
    ("reopen", Role::Worker, "重新打开诉求", "/reopen 12"),
    (
        "merge",
        Role::Worker,
        "把重复诉求并入另一条",
        "/merge 13 12",
    ),
    ("list", Role::Worker, "本网格未办结的诉求", "/list"),
    ("mine", Role::Worker, "我负责的诉求", "/mine"),
    ("overdue", Role::Worker, "超时未办的诉求", "/overdue"),
    ("visits", Role::Worker, "本周需要走访的居民", "/visits"),
    (
        "template",
        Role::Worker,
        "某类问题的标准答复",
        "/template 电梯",
    ),
    (
        "stats",
        Role::Worker,
        "本周或本月的响应率、解决率、满意率",
        "/stats week",
    ),
    (
        "phone",
        Role::Worker,
        "公布我的办公电话（民情联系卡）",
        "/phone 0537-1234567",
    ),
    (
        "alerts",
        Role::Secretary,
        "把本聊天设为社区提醒接收群",
        "/alerts 欣锦苑社区",
    ),
    (
        "bind",
        Role::Admin,
        "把本群绑定到社区和网格",
        "/bind 欣锦苑社区 第一网格",
    ),
    (
        "role",
        Role::Admin,
        "设置角色（回复对方的消息）",
        "/role worker",
    ),
];

fn allowed(caller: Role, needed: Role) -> bool {
    match needed {
        Role::Resident => true,
        Role::Worker | Role::Property => caller.is_staff(),
        Role::Secretary => matches!(caller, Role::Secretary | Role::Admin),
        Role::Admin => caller == Role::Admin,
    }
}

/// What this caller may do, with examples.
pub fn help(caller: Role) -> String {
    let mut out = String::from(match caller {
        Role::Resident => {
            "您好！在群里直接说出您遇到的问题（最好写明楼号单元），机器人会登记编号并提醒工作人员答复。\n可用命令：\n"
        }
        _ => "工作人员可用命令：\n",
    });
    for (name, needed, what, example) in ENTRIES {
        if allowed(caller, *needed) {
            out.push_str(&format!("/{name} — {what}，例：{example}\n"));
        }
    }
    out.trim_end().to_string()
}

/// The commands a role sees in Telegram's menu: (command, short description).
pub fn menu(caller: Role) -> Vec<(&'static str, &'static str)> {
    let mut out = vec![("help", "使用说明")];
    out.extend(
        ENTRIES
            .iter()
            .filter(|(_, needed, _, _)| allowed(caller, *needed))
            .map(|(name, _, what, _)| (*name, *what)),
    );
    out
}

/// One line telling what to type instead.
pub fn usage(name: &str) -> String {
    match ENTRIES.iter().find(|(n, ..)| *n == name) {
        Some((n, _, what, example)) => {
            let args = match *n {
                "claim" | "status" | "transfer" | "reopen" => " 编号",
                "reply" | "progress" | "resolve" => " 编号 内容",
                "escalate" => " 编号 原因",
                "merge" => " 重复的编号 保留的编号",
                "bind" => " 社区名 网格名",
                "role" => " worker|property|secretary|resident",
                "alerts" => " 社区名",
                "template" => " [类别]",
                "stats" => " [week|month]",
                "list" | "mine" | "overdue" | "visits" => " [页码]",
                "phone" => " 电话号码",
                "petition" => " 问题描述",
                _ => "",
            };
            format!("用法：/{n}{args}（{what}），例如：{example}")
        }
        None => format!("用法：/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn residents_see_only_resident_commands() {
        let h = help(Role::Resident);
        assert!(h.contains("/status"));
        assert!(!h.contains("/claim"));
        assert!(!h.contains("/bind"));
    }

    #[test]
    fn admins_see_everything() {
        let h = help(Role::Admin);
        for name in ["/claim", "/bind", "/role", "/alerts", "/status"] {
            assert!(h.contains(name), "{name}");
        }
        assert!(!help(Role::Worker).contains("/bind"));
    }

    #[test]
    fn every_usage_has_an_example() {
        for (name, ..) in ENTRIES {
            assert!(usage(name).contains("例如"), "{name}");
        }
    }
}
