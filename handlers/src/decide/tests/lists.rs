//! Lists, visits and templates.

use super::*;
use crate::text::MAX_CHARS;

fn many(count: i64) -> Vec<Petition> {
    (1..=count)
        .map(|n| {
            let mut p = petition(n, State::Claimed);
            p.text = "楼道里的灯坏了很久了".repeat(200);
            p
        })
        .collect()
}

fn lines_listing(text: &str) -> usize {
    text.lines().filter(|l| l.starts_with('#')).count()
}

#[test]
fn a_long_list_is_paginated_and_no_page_passes_the_limit() {
    let mut c = ctx(Role::Worker, Vec::new());
    c.list = many(25);
    for (cmd, lines, footer) in [
        ("/list", 10, "第 1/3 页，发送 /list 2 看下一页"),
        ("/list 2", 10, "第 2/3 页，发送 /list 3 看下一页"),
        ("/list 3", 5, "第 3/3 页"),
        ("/list 9", 5, "第 3/3 页"),
    ] {
        let out = run(&c, said(&worker(), cmd));
        let t = reply_to(&out, GROUP, 900).text;
        assert_eq!(lines_listing(t), lines, "{cmd}:\n{t}");
        assert!(t.contains("共 25 条") && t.ends_with(footer), "{cmd}:\n{t}");
        assert!(t.encode_utf16().count() <= MAX_CHARS, "{cmd}");
    }
    let t = run(&c, said(&worker(), "/list 3"));
    assert!(!reply_to(&t, GROUP, 900).text.contains("看下一页"));
}

#[test]
fn list_lines_show_age_owner_and_state() {
    let mut c = ctx(Role::Worker, Vec::new());
    c.list = vec![petition(1, State::Escalated)];
    for cmd in ["/list", "/mine", "/overdue"] {
        let out = run(&c, said(&worker(), cmd));
        let t = reply_to(&out, GROUP, 900).text;
        for want in ["#1", "[已上报社区]", "3号楼2单元", "王网格员", "1小时"] {
            assert!(t.contains(want), "{cmd}: {want:?} missing:\n{t}");
        }
    }
}

#[test]
fn residents_cannot_list_the_grids_petitions() {
    let mut c = ctx(Role::Resident, Vec::new());
    c.list = many(3);
    for cmd in ["/list", "/mine", "/overdue", "/visits"] {
        let out = run(&c, said(&resident(1), cmd));
        assert!(
            reply_to(&out, GROUP, 900).text.contains("只有本网格"),
            "{cmd}"
        );
    }
}

#[test]
fn visits_name_the_resident_the_place_and_why_oldest_first() {
    let mut c = ctx(Role::Worker, Vec::new());
    let mut unhappy = petition(1, State::Claimed);
    unhappy.rating = Some(Rating::Unsatisfied);
    unhappy.reopened = 1;
    let escalated = petition(2, State::Escalated);
    let mut old = petition(3, State::Claimed);
    old.created_at = NOW - 9 * 24 * 3_600_000;
    old.location = Some("7号楼1单元302".into());
    c.list = vec![unhappy, escalated, old];
    let out = run(&c, said(&worker(), "/visits"));
    let t = reply_to(&out, GROUP, 900).text;
    let lines: Vec<&str> = t.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(lines.len(), 3, "{t}");
    assert!(lines[0].contains("居民1") && lines[0].contains("不满意、重新打开1次"));
    assert!(lines[1].contains("居民2") && lines[1].contains("已上报"));
    assert!(lines[2].contains("7号楼1单元302") && lines[2].contains("久拖未决"));
    assert!(!t.contains("13812345678"), "phones masked: {t}");
}

#[test]
fn templates_are_found_by_code_or_chinese_name() {
    let c = ctx(Role::Worker, Vec::new());
    for cmd in ["/template 电梯", "/template elevator", "/template ELEVATOR"] {
        let out = run(&c, said(&worker(), cmd));
        let t = reply_to(&out, GROUP, 900).text;
        assert!(
            t.contains("「电梯」标准答复") && t.contains("96333"),
            "{cmd}: {t}"
        );
    }
    let out = run(&c, said(&worker(), "/template"));
    let t = reply_to(&out, GROUP, 900).text;
    assert!(t.contains("电梯（elevator）"), "{t}");
    let out = run(&c, said(&worker(), "/template 火星"));
    assert!(
        reply_to(&out, GROUP, 900)
            .text
            .contains("没有「火星」这个类别")
    );
    let out = run(
        &ctx(Role::Resident, Vec::new()),
        said(&resident(1), "/template 电梯"),
    );
    assert!(reply_to(&out, GROUP, 900).text.contains("只有本网格"));
}
