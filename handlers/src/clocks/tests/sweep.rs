//! The scheduler's decisions over a petition's life, with injected times.

use super::*;

#[test]
fn six_due_petitions_give_one_reminder_naming_the_worker() {
    let s = no_quiet();
    let t0 = shanghai(28, 10, 0);
    let ps: Vec<_> = (1..=6)
        .map(|n| raised(n, t0 + n * MIN, false, &s))
        .collect();
    let effects = run(&ps, &s, t0 + 40 * MIN);
    let sent = texts(&effects);
    assert_eq!(sent.len(), 1, "{sent:#?}");
    let (chat, text, reply_to, mentions) = &sent[0];
    assert_eq!((*chat, *reply_to), (GROUP, None));
    assert_eq!(mentions, &vec![10], "a text mention of the worker");
    assert!(text.starts_with("⏰ 催办提醒 王网格员"), "{text}");
    for n in 1..=6 {
        assert!(text.contains(&format!("#{n} 居民{n} 已等待")), "{text}");
    }
    assert!(text.contains("138****5678") && !text.contains("13812345678"));
    let after = saved(&effects);
    assert_eq!(after.len(), 6);
    assert!(after.iter().all(|p| p.reminders == 1));
    assert!(
        after
            .iter()
            .all(|p| p.next_due_at == Some(p.deadlines.respond_by + 30 * MIN))
    );
}

#[test]
fn one_due_petition_is_reminded_as_a_reply_to_the_residents_message() {
    let s = no_quiet();
    let t0 = shanghai(28, 10, 0);
    let p = raised(4, t0, false, &s);
    let effects = run(&[p], &s, t0 + 30 * MIN);
    let sent = texts(&effects);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].2, Some(104));
    assert!(
        sent[0].1.contains("#4 居民4的诉求已等待30分钟"),
        "{}",
        sent[0].1
    );
    assert!(effects.iter().any(|e| matches!(e,
        Effect::Log(ev) if ev.kind == EventKind::Reminded && ev.number == PetitionNo(4))));
}

#[test]
fn unanswered_for_two_hours_the_community_is_alerted_once_and_reminders_go_on() {
    let s = no_quiet();
    let t0 = shanghai(28, 9, 0);
    let (p, effects) = drive(raised(1, t0, false, &s), &s, t0 + 4 * HOUR);
    let sent = texts(&effects);
    let reminders = sent.iter().filter(|m| m.0 == GROUP).count();
    let alerts: Vec<_> = sent.iter().filter(|m| m.0 == ALERTS).collect();
    // At 30, 60 … 240 minutes; the alert at 2 hours, once.
    assert_eq!(reminders, 8, "{sent:#?}");
    assert_eq!(alerts.len(), 1, "{sent:#?}");
    assert!(alerts[0].1.contains("超时未答复") && alerts[0].1.contains("#1 已等待2小时"));
    assert!(
        alerts[0].1.contains("138****5678"),
        "masked: {}",
        alerts[0].1
    );
    assert!(p.escalation_alerted);
    assert_eq!(p.reminders, 8);
}

#[test]
fn an_answered_petition_past_its_resolution_clock_is_alerted_daily_until_resolved() {
    let s = no_quiet();
    let t0 = shanghai(28, 9, 0);
    let mut p = raised(1, t0, false, &s);
    p.first_response_at = Some(t0 + 10 * MIN);
    p.state = State::Claimed;
    p.next_due_at = next_due(&p, &s);
    assert_eq!(p.next_due_at, Some(t0 + 72 * HOUR));
    let (p, effects) = drive(p, &s, t0 + 72 * HOUR + 49 * HOUR);
    let alerts: Vec<_> = texts(&effects)
        .into_iter()
        .filter(|m| m.0 == ALERTS)
        .collect();
    assert_eq!(alerts.len(), 3, "at 72 h, 96 h and 120 h: {alerts:#?}");
    assert!(alerts.iter().all(|a| a.1.contains("超期未办结")));
    assert_eq!(p.resolve_alerted_at, Some(t0 + 120 * HOUR));
    assert!(
        texts(&effects).iter().all(|m| m.0 != GROUP),
        "no reminders once answered"
    );
}

#[test]
fn a_resolution_nobody_rated_closes_as_unrated_and_loses_its_buttons() {
    let s = no_quiet();
    let t0 = shanghai(28, 9, 0);
    let mut p = raised(1, t0, false, &s);
    p.first_response_at = Some(t0 + 10 * MIN);
    p.state = State::Resolved;
    p.resolved_at = Some(t0 + HOUR);
    p.next_due_at = next_due(&p, &s);
    assert!(
        run(std::slice::from_ref(&p), &s, t0 + 48 * HOUR)
            .iter()
            .all(|e| { !matches!(e, Effect::SavePetition(q) if q.state != State::Resolved) })
    );
    let effects = run(&[p], &s, t0 + 49 * HOUR);
    let q = saved(&effects).pop().unwrap();
    assert_eq!((q.state, q.rating), (State::Closed, Some(Rating::Unrated)));
    assert_eq!((q.closed_at, q.next_due_at), (Some(t0 + 49 * HOUR), None));
    assert!(effects.iter().any(|e| matches!(e,
        Effect::Log(ev) if ev.kind == EventKind::Closed && ev.note == "未评价")));
    assert!(effects.iter().any(|e| matches!(e, Effect::Send(o)
        if matches!(&o.action, OutAction::SetButtons { message_id: 555, .. }))));
    assert!(
        texts(&effects).is_empty(),
        "closing says nothing in the group"
    );
}

#[test]
fn in_quiet_hours_ordinary_reminders_wait_for_the_morning_and_urgent_ones_do_not() {
    let s = Settings::for_tests();
    let t0 = shanghai(28, 22, 10);
    let calm: Vec<_> = (1..=3).map(|n| raised(n, t0, false, &s)).collect();
    let fire = raised(4, t0, true, &s);
    let mut ps = calm.clone();
    ps.push(fire);
    let effects = run(&ps, &s, t0 + 40 * MIN);
    let sent = texts(&effects);
    let group: Vec<_> = sent.iter().filter(|m| m.0 == GROUP).collect();
    assert_eq!(group.len(), 1, "only the urgent reminder: {sent:#?}");
    assert!(group[0].1.contains("🚨#4"), "{}", group[0].1);
    assert!(sent.iter().all(|m| m.0 == GROUP || m.1.contains("🚨#4")));
    let morning = shanghai(29, 7, 0);
    let after = saved(&effects);
    for p in after.iter().filter(|p| !p.urgent) {
        assert_eq!((p.next_due_at, p.reminders), (Some(morning), 0));
    }
    // In the morning the three go out together, as one message.
    let waited: Vec<_> = after.into_iter().filter(|p| !p.urgent).collect();
    let effects = run(&waited, &s, morning);
    let sent = texts(&effects);
    let group: Vec<_> = sent.iter().filter(|m| m.0 == GROUP).collect();
    assert_eq!(group.len(), 1, "{sent:#?}");
    assert!(group[0].1.contains("以下 3 条诉求"), "{}", group[0].1);
    // Reminders missed overnight come as one; the next is in the future.
    assert!(
        saved(&effects)
            .iter()
            .all(|p| p.next_due_at > Some(morning))
    );
}

#[test]
fn alerts_go_to_the_webhook_too_only_when_one_is_set() {
    let mut s = no_quiet();
    let t0 = shanghai(28, 9, 0);
    let p = raised(7, t0, false, &s);
    let hooks = |effects: &[Effect]| -> Vec<crate::effect::WebhookAlert> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Webhook(w) => Some(w.clone()),
                _ => None,
            })
            .collect()
    };
    assert!(hooks(&run(std::slice::from_ref(&p), &s, t0 + 2 * HOUR)).is_empty());
    s.alert_webhook = true;
    let got = hooks(&run(&[p], &s, t0 + 2 * HOUR));
    assert_eq!(got.len(), 1);
    let w = &got[0];
    assert_eq!(
        (w.kind, w.petition, w.wait_minutes),
        (AlertKind::Unanswered, 7, 120)
    );
    assert_eq!(
        (w.community.as_str(), w.grid.as_str()),
        ("欣锦苑社区", "第一网格")
    );
    assert!(w.text.contains("138****5678") && w.message.contains("超时未答复"));
}
