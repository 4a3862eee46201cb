//! `gridbot demo`: a scripted day, printed as the group and the secretaries would see it.

use std::process::Command;

#[test]
fn the_demo_prints_a_whole_day_in_the_group_and_the_secretaries_chat() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gridbot"))
        .arg("demo")
        .current_dir(dir.path())
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("DATABASE_URL")
        .env("TELOXIDE_API_URL", "http://127.0.0.1:9") // nothing listens: it must not be needed
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t = String::from_utf8(out.stdout).unwrap();
    let steps = [
        (
            "a resident's message",
            "网格群 | 张阿姨：3号楼2单元电梯又坏了",
        ),
        ("the reaction", "在 张阿姨 的消息上点了 👀"),
        ("a duplicate told its number", "编号 #1"),
        ("a reminder naming the worker", "催办提醒 王网格员"),
        ("an urgent reply with the number to call", "119"),
        (
            "an urgent alert to the secretaries",
            "书记群 | 🤖 机器人：🚨 紧急诉求 #2",
        ),
        ("an overdue alert", "书记群 | 🤖 机器人：🔴 超时未答复"),
        ("a claim", "#1 已由王网格员受理"),
        (
            "a resolution with the rating buttons",
            "[满意] [基本满意] [不满意]",
        ),
        ("a rating", "已评价：满意"),
        ("a dissatisfied resident reopening", "已重新打开"),
        ("the day's figures", "今日数据"),
    ];
    for (what, needle) in steps {
        assert!(
            t.contains(needle),
            "the transcript lacks {what} ({needle}):\n{t}"
        );
    }
    // Timestamps on every conversation line, and nothing left in the folder.
    assert!(
        t.lines()
            .filter(|l| l.starts_with('['))
            .all(|l| l.as_bytes().get(6) == Some(&b']'))
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
