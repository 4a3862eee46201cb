//! Claim, progress, resolve and escalate as they should go.

use super::*;

#[test]
fn a_claim_takes_an_open_petition_and_suggests_its_categorys_template() {
    let c = ctx(Role::Worker, vec![petition(1, State::Open)]);
    let out = run(&c, said(&worker(), "/claim 1"));
    let p = saved(&out).expect("saved");
    assert_eq!(p.state, State::Claimed);
    assert_eq!(p.owner.as_ref().map(|o| o.id), Some(worker().id));
    assert_eq!(p.first_response_at, Some(NOW));
    assert_eq!(kinds(&out), [EventKind::Answered, EventKind::Claimed]);
    // The group sees it under the resident's message; the worker gets the template.
    assert!(reply_to(&out, GROUP, 501).text.contains("受理"));
    let hint = reply_to(&out, GROUP, 900);
    assert!(hint.text.contains("「电梯」"), "{}", hint.text);
    assert!(
        hint.text.contains("96333"),
        "the template itself: {}",
        hint.text
    );
}

#[test]
fn the_grid_worker_still_progresses_and_resolves_an_escalated_petition() {
    let c = ctx(Role::Worker, vec![petition(1, State::Escalated)]);
    let out = run(&c, said(&worker(), "/progress 1 已联系维保公司"));
    assert_eq!(kinds(&out), [EventKind::Progress]);
    assert!(reply_to(&out, GROUP, 501).text.contains("维保公司"));
    let out = run(&c, said(&worker(), "/resolve 1 已修好"));
    let p = saved(&out).expect("saved");
    assert_eq!(p.state, State::Resolved);
    assert!(p.escalated, "it stays counted as escalated");
}

#[test]
fn a_secretary_takes_over_an_escalated_petition_and_it_stays_escalated() {
    let c = ctx(Role::Secretary, vec![petition(1, State::Escalated)]);
    let out = run(&c, said(&secretary(), "/claim 1"));
    let p = saved(&out).expect("saved");
    assert_eq!(p.state, State::Escalated);
    assert_eq!(p.owner.as_ref().map(|o| o.id), Some(secretary().id));
    assert_eq!(kinds(&out), [EventKind::Claimed]);
}

#[test]
fn a_resolution_offers_the_three_buttons_and_tells_the_followers() {
    let mut c = ctx(Role::Worker, vec![petition(1, State::Claimed)]);
    // Two neighbours joined as duplicates; the resident is never listed as their own follower.
    c.followers = vec![resident(1), resident(2), resident(3)];
    let out = run(&c, said(&worker(), "/resolve 1 电梯已修复"));
    let p = saved(&out).expect("saved");
    assert_eq!(p.state, State::Resolved);
    assert_eq!(p.resolved_at, Some(NOW));
    assert!(p.next_due_at.is_some(), "the rating window runs");
    assert_eq!(
        events(&out),
        [(PetitionNo(1), EventKind::Resolved, "电梯已修复".into())]
    );
    let r = reply_to(&out, GROUP, 501);
    assert!(
        r.text.contains("电梯已修复") && r.text.contains("居民1"),
        "{}",
        r.text
    );
    let labels: Vec<(&str, &str)> = r.buttons[0]
        .iter()
        .map(|b| (b.label.as_str(), b.data.as_str()))
        .collect();
    assert_eq!(
        labels,
        [
            ("满意", "rate:1:s"),
            ("基本满意", "rate:1:b"),
            ("不满意", "rate:1:u")
        ]
    );
    let told: Vec<UserId> = r.mentions.iter().map(|m| m.user_id).collect();
    assert_eq!(told, [resident(2).id, resident(3).id]);
}

#[test]
fn resolving_an_unclaimed_petition_answers_it_and_makes_the_resolver_its_owner() {
    let c = ctx(Role::Property, vec![petition(1, State::Open)]);
    let out = run(&c, said(&property(), "/resolve 1 已清理"));
    let p = saved(&out).expect("saved");
    assert_eq!(p.owner.as_ref().map(|o| o.id), Some(property().id));
    assert_eq!(p.first_response_at, Some(NOW));
    assert_eq!(kinds(&out), [EventKind::Answered, EventKind::Resolved]);
}

#[test]
fn an_escalation_goes_to_the_alert_chat_and_the_community_owns_it() {
    let c = ctx(Role::Worker, vec![petition(1, State::Claimed)]);
    let out = run(
        &c,
        said(&worker(), "/escalate 1 需要协调供电公司 联系人13912345678"),
    );
    let p = saved(&out).expect("saved");
    assert_eq!(p.state, State::Escalated);
    assert!(p.escalated);
    assert_eq!(
        p.owner.as_ref().map(|o| o.id),
        Some(worker().id),
        "still sees it"
    );
    assert_eq!(kinds(&out), [EventKind::Escalated]);
    let alert: Vec<_> = texts(&out)
        .into_iter()
        .filter(|s| s.chat == ALERTS)
        .collect();
    assert_eq!(alert.len(), 1);
    assert!(alert[0].text.contains("供电公司"), "{}", alert[0].text);
    assert!(
        alert[0].text.contains("139****5678") && alert[0].text.contains("138****5678"),
        "phones masked: {}",
        alert[0].text
    );
    assert!(reply_to(&out, GROUP, 501).text.contains("上报社区"));
}

#[test]
fn without_an_alert_chat_alerts_reach_the_secretaries_privately_or_else_the_group() {
    let mut c = ctx(Role::Worker, vec![petition(1, State::Claimed)]);
    c.alert_chat = None;
    let out = run(&c, said(&worker(), "/escalate 1 协调不了"));
    let to_secretary = texts(&out)
        .into_iter()
        .filter(|s| s.chat == secretary().id)
        .count();
    assert_eq!(to_secretary, 1);
    c.staff.clear();
    let out = run(&c, said(&worker(), "/escalate 1 协调不了"));
    assert!(
        texts(&out)
            .iter()
            .any(|s| s.chat == GROUP && s.reply_to.is_none() && s.text.contains("上报")),
        "{out:#?}"
    );
}
