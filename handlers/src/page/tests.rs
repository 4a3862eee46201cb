//! The page answers each update's context as one-by-one loading would, including what
//! earlier updates of the same page did.

use super::*;
use crate::decide::{decide, wants};
use crate::incoming::{Msg, ReplyTo};
use crate::model::State;

const GROUP: ChatId = -4001;
const OTHER: ChatId = -4002;
use crate::decide::tests::{NOW, settings};

/// Message `message_id` of person `id` (居民…) in `chat`, at the decide tests' moment.
fn said(chat: ChatId, id: i64, text: &str, message_id: i32) -> Incoming {
    let by = Person::sample(id, &format!("居民{id}"));
    Incoming::Message(Msg {
        chat_id: chat,
        message_id,
        ..crate::decide::tests::said(&by, text)
    })
}

fn page() -> Page {
    let mut p = Page {
        next_number: PetitionNo(7),
        valid: true,
        ..Page::default()
    };
    p.grids.insert(GROUP, Grid::sample(GROUP, "第一网格"));
    p.roles
        .insert(10, vec![(format!("grid:{GROUP}"), "worker".into())]);
    p.roles.insert(
        20,
        vec![("community:欣锦苑社区".into(), "secretary".into())],
    );
    p
}

/// One update through the page: base, wants, fill, decide, absorb.
fn step(page: &mut Page, inc: &Incoming) -> (Context, Vec<Effect>) {
    let s = settings();
    let mut ctx = page.base(inc, s);
    let w = wants(inc, &ctx, s, None);
    assert!(answerable(&w), "{w:?}");
    page.fill(inc, &mut ctx, &w, s, NOW);
    let effects = decide(&ctx, inc, s, None, NOW);
    page.absorb(&effects);
    (ctx, effects)
}

fn new_petitions(effects: &[Effect]) -> Vec<&Petition> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::NewPetition(p) => Some(p),
            _ => None,
        })
        .collect()
}

#[test]
fn roles_come_from_the_grid_and_its_community() {
    let p = page();
    let s = settings();
    assert_eq!(p.base(&said(GROUP, 10, "好", 1), s).role, Role::Worker);
    let sec = p.base(&said(GROUP, 20, "好", 1), s);
    assert_eq!(sec.role, Role::Secretary);
    assert_eq!(sec.secretary_of, vec!["欣锦苑社区".to_string()]);
    assert_eq!(p.base(&said(GROUP, 1001, "好", 1), s).role, Role::Resident);
    // The worker of GROUP is nobody in a chat that is not bound.
    let elsewhere = p.base(&said(OTHER, 10, "好", 1), s);
    assert_eq!((elsewhere.grid, elsewhere.role), (None, Role::Resident));
}

#[test]
fn a_later_message_of_the_page_sees_what_an_earlier_one_raised() {
    let mut p = page();
    let (_, first) = step(
        &mut p,
        &said(GROUP, 1001, "3号楼2单元电梯坏了，困了半天", 100),
    );
    let raised = new_petitions(&first);
    assert_eq!(raised.len(), 1);
    assert_eq!(raised[0].number, PetitionNo(7));
    assert_eq!(p.next_number, PetitionNo(8));

    // The same resident again: the earlier petition is theirs, in this chat.
    let (ctx, _) = step(&mut p, &said(GROUP, 1001, "电梯还是不动，谁来看看", 101));
    assert_eq!(ctx.last_of_sender.map(|q| q.number), Some(PetitionNo(7)));

    // Another resident naming the same place and trouble finds it as a duplicate.
    let (ctx, _) = step(&mut p, &said(GROUP, 1002, "3号楼2单元电梯坏了", 102));
    assert_eq!(ctx.last_of_sender, None);
    assert_eq!(
        ctx.recent_active
            .iter()
            .map(|q| q.number)
            .collect::<Vec<_>>(),
        vec![PetitionNo(7)]
    );
    // In another chat nothing of GROUP's is seen.
    let (ctx, _) = step(&mut p, &said(OTHER, 1001, "电梯坏了", 103));
    assert_eq!(ctx.last_of_sender, None);
}

#[test]
fn a_closed_petition_is_not_the_senders_latest() {
    let mut p = page();
    let closed = Petition {
        state: State::Closed,
        ..Petition::sample(3, GROUP).raised_at(NOW - 60_000)
    };
    p.petitions.push(closed.clone());
    let (ctx, effects) = step(&mut p, &said(GROUP, 1003, "楼道灯坏了好几天了", 104));
    assert_eq!(ctx.last_of_sender, None);
    assert_eq!(new_petitions(&effects).len(), 1);
    // Reopened (saved active by some other update), it is again.
    p.absorb(&[Effect::SavePetition(Petition {
        state: State::Open,
        created_at: NOW,
        ..closed
    })]);
    let (ctx, _) = step(&mut p, &said(GROUP, 1003, "还有楼道灯", 105));
    assert_eq!(ctx.last_of_sender.map(|q| q.number), Some(PetitionNo(7)));
}

#[test]
fn what_the_page_cannot_follow_makes_it_invalid() {
    let mut p = page();
    p.absorb(&[Effect::Log(crate::model::Event {
        number: PetitionNo(1),
        at: NOW,
        actor: None,
        kind: crate::model::EventKind::Raised,
        note: String::new(),
    })]);
    assert!(p.valid);
    p.absorb(&[Effect::Bind {
        grid: Grid::sample(OTHER, "第二网格"),
        title: None,
    }]);
    assert!(!p.valid);
}

#[test]
fn named_petitions_replies_and_lists_are_loaded_the_usual_way() {
    let s = settings();
    let p = page();
    let worker_says = said(GROUP, 10, "#3 已经派人去看了", 106);
    let ctx = p.base(&worker_says, s);
    assert!(!answerable(&wants(&worker_says, &ctx, s, None)));
    let Incoming::Message(mut m) = said(GROUP, 1001, "好的谢谢", 107) else {
        unreachable!()
    };
    m.reply_to = Some(ReplyTo {
        message_id: 5,
        from: None,
        from_bot: true,
    });
    let reply = Incoming::Message(m);
    assert!(!answerable(&wants(&reply, &p.base(&reply, s), s, None)));
    let list = said(GROUP, 10, "/list", 108);
    assert!(!answerable(&wants(&list, &p.base(&list, s), s, None)));
}

#[test]
fn staff_names_follow_what_the_page_saw() {
    let mut p = page();
    p.staff.insert(
        GROUP,
        vec![Staff {
            person: Person::sample(10, "王网格员"),
            role: Role::Worker,
            phone: None,
            private_ok: false,
        }],
    );
    p.absorb(&[Effect::PrivateChat(Person::sample(10, "王小明"))]);
    let st = &p.staff[&GROUP][0];
    assert_eq!((st.person.name.as_str(), st.private_ok), ("王小明", true));
    assert!(wants_staff(&Wants::default()));
}
