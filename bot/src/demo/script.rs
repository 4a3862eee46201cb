//! The day the demo plays: who says what, when.

use super::{GROUP, SECRETARIES};
use gridbot_handlers::model::Person;

pub(super) fn person(id: i64, name: &str) -> Person {
    Person {
        id,
        name: name.into(),
        username: None,
    }
}

/// What happens at a moment of the day.
pub(super) enum Step {
    Say {
        who: Person,
        text: &'static str,
        chat: i64,
    },
    /// A reply (Telegram's reply-to) to the `nth` scripted message.
    Reply {
        who: Person,
        text: &'static str,
        to: usize,
    },
    /// The resident presses a rating button under petition N's resolution.
    Rate {
        who: Person,
        n: i64,
        code: &'static str,
    },
}

pub(super) fn script() -> Vec<(u32, u32, Step)> {
    let admin = person(1, "街道管理员");
    let worker = person(10, "王网格员");
    let secretary = person(20, "李书记");
    let zhang = person(101, "张阿姨");
    let li = person(102, "李叔");
    let zhao = person(103, "赵姐");
    let sun = person(104, "孙大爷");
    let say = |who: &Person, text, chat| Step::Say {
        who: who.clone(),
        text,
        chat,
    };
    vec![
        (
            7,
            30,
            say(&worker, "大家好，我是本网格的网格员小王。", GROUP),
        ),
        (7, 31, say(&admin, "/bind 欣锦苑社区 第一网格", GROUP)),
        (
            7,
            32,
            Step::Reply {
                who: admin.clone(),
                text: "/role worker",
                to: 0,
            },
        ),
        (7, 33, say(&secretary, "我是社区李书记。", SECRETARIES)),
        (7, 34, say(&admin, "/alerts 欣锦苑社区", SECRETARIES)),
        (8, 5, say(&zhang, "早上好 今天天气真不错☀️", GROUP)),
        (
            8,
            10,
            say(
                &zhang,
                "3号楼2单元电梯又坏了 老人下不了楼 什么时候能修好",
                GROUP,
            ),
        ),
        (8, 12, say(&li, "三号楼二单元电梯坏了 物业管管", GROUP)),
        (8, 50, say(&worker, "/claim 1", GROUP)),
        (
            9,
            30,
            say(
                &zhao,
                "楼道里一股很冲的煤气味 5号楼1单元 我把窗户都打开了 快来人看看",
                GROUP,
            ),
        ),
        (
            9,
            33,
            Step::Reply {
                who: worker.clone(),
                text: "马上到，请大家先别开灯别打火",
                to: 9,
            },
        ),
        (
            10,
            0,
            say(
                &sun,
                "小区广场的路灯坏了好几天了 晚上黑乎乎的 能修修吗",
                GROUP,
            ),
        ),
        (
            11,
            0,
            say(&worker, "/progress 1 已联系维保公司，下午两点到", GROUP),
        ),
        (12, 20, say(&worker, "/claim 3", GROUP)),
        (
            15,
            0,
            say(&worker, "/resolve 1 电梯已修复，请大家试用", GROUP),
        ),
        (
            15,
            20,
            Step::Rate {
                who: zhang.clone(),
                n: 1,
                code: "s",
            },
        ),
        (
            16,
            0,
            say(
                &worker,
                "/resolve 2 燃气公司已检修，是邻居家软管老化",
                GROUP,
            ),
        ),
        (
            16,
            30,
            Step::Rate {
                who: zhao.clone(),
                n: 2,
                code: "u",
            },
        ),
        (17, 0, say(&worker, "/status 2", GROUP)),
    ]
}
