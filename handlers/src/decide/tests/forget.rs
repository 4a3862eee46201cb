//! `/forget`: a resident's closed petitions lose their personal data; open ones wait.

use super::*;
use crate::context::{ForgetView, Wants};
use crate::decide::wants;

fn forgets(out: &[Effect]) -> Vec<UserId> {
    out.iter()
        .filter_map(|e| match e {
            Effect::Forget { user } => Some(*user),
            _ => None,
        })
        .collect()
}

#[test]
fn forget_asks_storage_to_count_the_callers_petitions() {
    let c = ctx(Role::Resident, vec![]);
    let inc = Incoming::Message(said(&resident(1), "/forget"));
    let w = wants(&inc, &c, settings(), None);
    assert_eq!(
        w,
        Wants {
            forget: true,
            ..Wants::default()
        }
    );
}

#[test]
fn forget_clears_only_the_callers_own_closed_petitions_and_says_how_many() {
    let cases = [
        // (closed, active, forgets, words in the answer)
        (2, 0, true, "已清除您 2 件"),
        (1, 3, true, "还有 3 件"),
        (0, 1, false, "办结关闭后可再次发送 /forget"),
        (0, 0, false, "没有已关闭的诉求"),
    ];
    for (closed, active, clears, words) in cases {
        let mut c = ctx(Role::Resident, vec![]);
        c.forget = ForgetView { closed, active };
        let m = said(&resident(7), "/forget");
        let out = run(&c, m);
        let expected: Vec<UserId> = if clears { vec![resident(7).id] } else { vec![] };
        assert_eq!(forgets(&out), expected, "{closed}/{active}");
        let answer = reply_to(&out, GROUP, 900);
        assert!(
            answer.text.contains(words),
            "{closed}/{active}: {}",
            answer.text
        );
    }
}

#[test]
fn forget_in_a_private_chat_works_the_same() {
    let mut c = ctx(Role::Resident, vec![]);
    c.grid = None;
    c.forget = ForgetView {
        closed: 1,
        active: 0,
    };
    let mut m = said(&resident(3), "/forget");
    m.chat_kind = ChatKind::Private;
    m.chat_id = resident(3).id;
    let out = run(&c, m);
    assert_eq!(forgets(&out), vec![resident(3).id]);
    assert!(
        reply_to(&out, resident(3).id, 900)
            .text
            .contains("已清除您 1 件")
    );
}
