//! Transfer, reopen and merge as they should go.

use super::*;
use crate::decide::wants;

#[test]
fn a_transfer_hands_the_petition_to_the_staff_member_replied_to() {
    for state in [State::Open, State::Claimed, State::Escalated] {
        let mut c = ctx(Role::Worker, vec![petition(1, state)]);
        c.target_role = Some(Role::Property);
        let out = run(&c, replying(&worker(), "/transfer 1", &property()));
        let p = saved(&out).expect("saved");
        assert_eq!(p.owner.as_ref().map(|o| o.id), Some(property().id));
        let expected = if state == State::Open {
            State::Claimed
        } else {
            state
        };
        assert_eq!(p.state, expected);
        assert_eq!(
            events(&out),
            [(PetitionNo(1), EventKind::Transferred, "赵物业".into())]
        );
        let told = reply_to(&out, GROUP, 501);
        assert!(told.text.contains("转交"), "{}", told.text);
        assert_eq!(
            told.mentions[0].user_id,
            property().id,
            "the new owner is notified"
        );
    }
}

#[test]
fn transfer_asks_for_the_role_of_the_person_replied_to() {
    let m = replying(&worker(), "/transfer 1", &property());
    let c = ctx(Role::Worker, Vec::new());
    let w = wants(&Incoming::Message(m), &c, settings(), None);
    assert_eq!(w.numbers, [PetitionNo(1)]);
    assert_eq!(w.target_user, Some(property().id));
}

#[test]
fn a_reopened_petition_goes_back_to_its_owner_with_its_rating_undone() {
    for state in [State::Resolved, State::Closed] {
        let c = ctx(Role::Worker, vec![petition(1, state)]);
        let out = run(&c, said(&worker(), "/reopen 1"));
        let p = saved(&out).expect("saved");
        assert_eq!(p.state, State::Claimed, "from {state:?}");
        assert_eq!(p.owner.as_ref().map(|o| o.id), Some(worker().id));
        assert_eq!((p.rating, p.resolved_at, p.closed_at), (None, None, None));
        assert_eq!(p.reopened, 1);
        assert!(p.next_due_at.is_some(), "the resolution clock runs again");
        assert_eq!(kinds(&out), [EventKind::Reopened]);
        assert!(reply_to(&out, GROUP, 501).text.contains("重新打开"));
    }
}

#[test]
fn a_merge_closes_the_duplicate_and_its_people_follow_the_petition_that_stays() {
    let mut c = ctx(
        Role::Worker,
        vec![petition(2, State::Open), petition(1, State::Claimed)],
    );
    // #2's followers, as storage loads them for the first named petition. Resident 1 raised #1
    // and must not follow their own petition.
    c.followers = vec![resident(5), resident(1)];
    let out = run(&c, said(&worker(), "/merge 2 1"));
    let p = saved(&out).expect("saved");
    assert_eq!(p.number, PetitionNo(2));
    assert_eq!(p.state, State::Merged);
    assert_eq!(p.merged_into, Some(PetitionNo(1)));
    assert_eq!(p.closed_at, Some(NOW));
    assert_eq!(p.next_due_at, None, "no more reminders for the duplicate");
    assert_eq!(
        events(&out),
        [
            (PetitionNo(2), EventKind::Merged, "#1".into()),
            (PetitionNo(1), EventKind::Joined, "#2 并入".into()),
        ]
    );
    assert_eq!(
        followers_added(&out),
        [
            (PetitionNo(1), resident(2).id),
            (PetitionNo(1), resident(5).id)
        ]
    );
    // Told under the duplicate's own message, each by name.
    let told = reply_to(&out, GROUP, 502);
    assert!(
        told.text.contains("#2") && told.text.contains("#1"),
        "{}",
        told.text
    );
    let named: Vec<UserId> = told.mentions.iter().map(|m| m.user_id).collect();
    assert_eq!(named, [resident(2).id, resident(5).id, resident(1).id]);
}

#[test]
fn a_merge_asks_for_the_duplicates_followers() {
    let m = said(&worker(), "/merge 7 3");
    let c = ctx(Role::Worker, Vec::new());
    let w = wants(&Incoming::Message(m), &c, settings(), None);
    assert_eq!(
        w.numbers.first(),
        Some(&PetitionNo(7)),
        "followers are loaded for the first number"
    );
    assert!(w.numbers.contains(&PetitionNo(3)));
}
