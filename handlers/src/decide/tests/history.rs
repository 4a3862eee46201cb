//! Every change is an event with who, when and a note; `/status` shows them.

use super::*;

fn logged(out: &[Effect]) -> Vec<&Event> {
    out.iter()
        .filter_map(|e| match e {
            Effect::Log(ev) => Some(ev),
            _ => None,
        })
        .collect()
}

#[test]
fn every_transition_logs_who_when_and_what() {
    use EventKind::*;
    let staff_cases: Vec<(&str, State, &[EventKind])> = vec![
        ("/claim 1", State::Open, &[Answered, Claimed]),
        ("/reply 1 明天上午来修", State::Claimed, &[Replied]),
        ("/progress 1 配件已到", State::Claimed, &[Progress]),
        ("/escalate 1 需要街道协调", State::Claimed, &[Escalated]),
        ("/resolve 1 已修复", State::Claimed, &[Resolved]),
        ("/reopen 1", State::Closed, &[Reopened]),
        ("/transfer 1", State::Claimed, &[Transferred]),
        ("/merge 2 1", State::Open, &[Merged, Joined]),
    ];
    for (cmd, state, expected) in staff_cases {
        let mut c = ctx(
            Role::Worker,
            vec![petition(1, state), petition(2, State::Open)],
        );
        c.target_role = Some(Role::Property);
        let out = run(&c, replying(&worker(), cmd, &property()));
        assert_eq!(kinds(&out), expected, "{cmd}");
        for ev in logged(&out) {
            assert_eq!(ev.at, NOW, "{cmd}");
            assert_eq!(ev.actor.as_ref().map(|a| a.id), Some(worker().id), "{cmd}");
        }
    }
    for (data, expected) in [
        ("rate:1:s", [Rated, Closed]),
        ("rate:1:u", [Rated, Reopened]),
    ] {
        let c = ctx(Role::Resident, vec![petition(1, State::Resolved)]);
        let out = press(&c, &resident(1), data);
        assert_eq!(kinds(&out), expected, "{data}");
        for ev in logged(&out) {
            assert_eq!(ev.actor.as_ref().map(|a| a.id), Some(resident(1).id));
        }
    }
}

#[test]
fn status_shows_the_petition_and_its_whole_history_masked() {
    let mut c = ctx(Role::Resident, vec![petition(1, State::Claimed)]);
    let ev = |kind, note: &str, by: Option<Person>| Event {
        number: PetitionNo(1),
        at: T0,
        actor: by,
        kind,
        note: note.into(),
    };
    c.history = vec![
        ev(EventKind::Raised, "", Some(resident(1))),
        ev(EventKind::Claimed, "", Some(worker())),
        ev(EventKind::Transferred, "赵物业", Some(worker())),
        ev(EventKind::Escalated, "请回电13812345678", Some(property())),
        ev(EventKind::Closed, "满意", None),
    ];
    let out = run(&c, said(&resident(1), "/status 1"));
    let s = reply_to(&out, GROUP, 900).text;
    for want in [
        "#1",
        "处理中",
        "电梯",
        "3号楼2单元",
        "负责人：王网格员",
        "处理记录",
        "居民1 登记",
        "王网格员 受理",
        "王网格员 转交：赵物业",
        "赵物业 上报社区：请回电138****5678",
        "系统 关闭：满意",
    ] {
        assert!(s.contains(want), "{want:?} missing from:\n{s}");
    }
    assert!(!s.contains("13812345678"), "{s}");
}

#[test]
fn status_of_a_merged_petition_names_the_one_it_joined() {
    let mut p = petition(2, State::Merged);
    p.merged_into = Some(PetitionNo(1));
    let out = run(
        &ctx(Role::Resident, vec![p]),
        said(&resident(2), "/status 2"),
    );
    assert!(reply_to(&out, GROUP, 900).text.contains("已并入 #1"));
}

#[test]
fn a_long_history_keeps_the_newest_entries_within_the_limit() {
    let mut c = ctx(Role::Resident, vec![petition(1, State::Claimed)]);
    c.petitions[0].text = "水管漏水".repeat(1000);
    c.history = (0..200)
        .map(|i| Event {
            number: PetitionNo(1),
            at: T0 + i,
            actor: Some(resident(1)),
            kind: EventKind::FollowUp,
            note: format!("第{i}次补充 {}", "还在漏".repeat(100)),
        })
        .collect();
    let out = run(&c, said(&resident(1), "/status 1"));
    let s = reply_to(&out, GROUP, 900).text;
    assert!(
        s.encode_utf16().count() <= crate::text::MAX_CHARS,
        "{}",
        s.len()
    );
    assert!(s.contains("第199次补充"), "the newest entry stays");
    assert!(!s.contains("第0次补充"), "the oldest gives way");
    assert!(s.contains("条记录已省略"), "{s}");
    let shown = s.matches("次补充").count();
    assert!(shown >= 20, "the room is used: {shown} entries");
    assert!(s.contains(&format!("较早的 {} 条", 200 - shown)), "{s}");
}
