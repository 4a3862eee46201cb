//! The 满意 / 基本满意 / 不满意 buttons.

use super::*;

fn rated_marker(out: &[Effect]) -> Option<String> {
    out.iter().find_map(|e| match e {
        Effect::Send(o) => match &o.action {
            OutAction::SetButtons {
                message_id: 777,
                buttons,
            } => Some(buttons.iter().flatten().map(|b| b.label.clone()).collect()),
            _ => None,
        },
        _ => None,
    })
}

#[test]
fn satisfied_and_basically_satisfied_close_the_petition() {
    for (data, rating, label) in [
        ("rate:1:s", Rating::Satisfied, "满意"),
        ("rate:1:b", Rating::Basic, "基本满意"),
    ] {
        let c = ctx(Role::Resident, vec![petition(1, State::Resolved)]);
        let out = press(&c, &resident(1), data);
        let p = saved(&out).expect("saved");
        assert_eq!(p.state, State::Closed, "{data}");
        assert_eq!(p.rating, Some(rating));
        assert_eq!(p.closed_at, Some(NOW));
        assert_eq!(p.next_due_at, None, "nothing left to do");
        assert_eq!(kinds(&out), [EventKind::Rated, EventKind::Closed]);
        assert_eq!(rated_marker(&out), Some(format!("已评价：{label}")));
        assert_eq!(toasts(&out), ["感谢您的评价！"]);
    }
}

#[test]
fn unsatisfied_reopens_to_the_owner_tells_the_group_and_alerts_the_community() {
    let c = ctx(Role::Resident, vec![petition(1, State::Resolved)]);
    let out = press(&c, &resident(1), "rate:1:u");
    let p = saved(&out).expect("saved");
    assert_eq!(p.state, State::Claimed);
    assert_eq!(p.owner.as_ref().map(|o| o.id), Some(worker().id));
    assert_eq!(p.rating, Some(Rating::Unsatisfied));
    assert_eq!(p.reopened, 1);
    assert_eq!((p.resolved_at, p.closed_at), (None, None));
    assert!(
        p.deadlines.resolve_by > NOW,
        "a fresh resolution clock from now"
    );
    assert_eq!(
        events(&out),
        [
            (PetitionNo(1), EventKind::Rated, "不满意".into()),
            (PetitionNo(1), EventKind::Reopened, "居民不满意".into()),
        ]
    );
    let group = reply_to(&out, GROUP, 501);
    assert!(group.text.contains("不满意"), "{}", group.text);
    assert_eq!(group.mentions[0].user_id, worker().id, "the owner is named");
    let alerts: Vec<_> = texts(&out)
        .into_iter()
        .filter(|s| s.chat == ALERTS)
        .collect();
    assert_eq!(alerts.len(), 1);
    assert!(alerts[0].text.contains("#1") && alerts[0].text.contains("王网格员"));
    assert_eq!(rated_marker(&out), Some("已评价：不满意".into()));
}

#[test]
fn an_escalated_petition_rated_unsatisfied_goes_back_to_the_community() {
    let mut p = petition(1, State::Resolved);
    p.escalated = true;
    let out = press(&ctx(Role::Resident, vec![p]), &resident(1), "rate:1:u");
    assert_eq!(saved(&out).map(|p| p.state), Some(State::Escalated));
}

#[test]
fn only_the_resident_may_rate_and_stale_or_forged_presses_change_nothing() {
    let resolved = || vec![petition(1, State::Resolved)];
    let cases: Vec<(Vec<Petition>, Person, &str, &str)> = vec![
        (
            resolved(),
            resident(2),
            "rate:1:s",
            "只有反映问题的居民本人",
        ),
        (resolved(), worker(), "rate:1:u", "只有反映问题的居民本人"),
        (resolved(), resident(1), "garbage", "已失效"),
        (resolved(), resident(1), "rate:1:x", "已失效"),
        (resolved(), resident(1), "rate:1:s:extra", "已失效"),
        (resolved(), resident(1), "rate:9:s", "已失效"),
        (
            vec![petition(1, State::Closed)],
            resident(1),
            "rate:1:u",
            "已经评价过",
        ),
        (
            vec![petition(1, State::Claimed)],
            resident(1),
            "rate:1:s",
            "已经评价过",
        ),
        (
            vec![{
                let mut p = petition(1, State::Resolved);
                p.chat_id = -5005;
                p
            }],
            resident(1),
            "rate:1:s",
            "已经评价过",
        ),
    ];
    for (petitions, by, data, expect) in cases {
        let out = press(&ctx(Role::Resident, petitions), &by, data);
        assert_eq!(toasts(&out).len(), 1, "{data}");
        assert!(
            toasts(&out)[0].contains(expect),
            "{data}: {:?}",
            toasts(&out)
        );
        assert!(!changes_anything(&out), "{data}: {out:#?}");
        assert_eq!(
            rated_marker(&out),
            None,
            "the buttons stay for the resident"
        );
    }
}
