//! Every refused transition: one Chinese sentence as a reply to the command, nothing changed.

use super::*;

/// A context mutation: non-capturing closures, so a table can hold them.
type Setup = fn(&mut Context, &mut Msg);

struct Case {
    cmd: &'static str,
    role: Role,
    /// The state of #1; #2 is always open.
    one: State,
    setup: Setup,
    expect: &'static str,
}

fn case(cmd: &'static str, role: Role, one: State, expect: &'static str) -> Case {
    Case {
        cmd,
        role,
        one,
        setup: |_, _| {},
        expect,
    }
}

impl Case {
    fn with(self, setup: Setup) -> Case {
        Case { setup, ..self }
    }
}

fn as_reply_to_property(c: &mut Context, m: &mut Msg) {
    m.reply_to = Some(ReplyTo {
        message_id: 800,
        from: Some(property()),
        from_bot: false,
    });
    c.target_role = Some(Role::Property);
}

#[test]
fn every_refused_transition_says_why_and_changes_nothing() {
    use Role::{Property, Resident, Worker};
    use State::*;
    let not_staff = "只有本网格";
    let wrong_state = "不能这样操作";
    let cases = [
        // Wrong role.
        case("/claim 1", Resident, Open, not_staff),
        case("/resolve 1 好了", Resident, Claimed, not_staff),
        case("/escalate 1 太难", Resident, Claimed, not_staff),
        case("/reopen 1", Resident, Resolved, not_staff),
        case("/merge 2 1", Resident, Open, not_staff),
        case("/transfer 1", Resident, Claimed, not_staff).with(as_reply_to_property),
        // Staff, but of another grid.
        case("/claim 1", Worker, Open, "不属于本网格").with(|c, _| c.petition_roles.clear()),
        case("/merge 2 1", Worker, Open, "不属于本网格").with(|c, _| c.petition_roles.truncate(1)),
        // Unknown number.
        case("/claim 9", Worker, Open, "没有找到诉求 #9"),
        case("/merge 1 9", Worker, Open, "没有找到诉求 #9"),
        // Wrong state.
        case("/claim 1", Worker, Closed, wrong_state),
        case("/claim 1", Worker, Resolved, wrong_state),
        case("/progress 1 在修", Worker, Resolved, wrong_state),
        case("/resolve 1 好了", Worker, Closed, wrong_state),
        case("/resolve 1 好了", Worker, Merged, wrong_state),
        case("/reply 1 收到", Worker, Closed, wrong_state),
        case("/escalate 1 太难", Worker, Escalated, wrong_state),
        case("/escalate 1 太难", Worker, Resolved, wrong_state),
        case("/reopen 1", Worker, Open, wrong_state),
        case("/reopen 1", Worker, Claimed, wrong_state),
        case("/reopen 1", Worker, Merged, wrong_state),
        case("/transfer 1", Worker, Closed, wrong_state).with(as_reply_to_property),
        // Claimed already; an escalated one of the worker's is no free-for-all either.
        case("/claim 1", Worker, Claimed, "您已经受理了 #1"),
        case("/claim 1", Property, Claimed, "已由王网格员受理"),
        case("/claim 1", Property, Escalated, "/transfer 1"),
        // Transfer needs a reply to a staff member of this grid, other than the owner.
        case("/transfer 1", Worker, Claimed, "请回复（引用）新负责人"),
        case("/transfer 1", Worker, Claimed, "请回复（引用）新负责人").with(|c, m| {
            as_reply_to_property(c, m);
            if let Some(r) = m.reply_to.as_mut() {
                r.from_bot = true;
            }
        }),
        case("/transfer 1", Worker, Claimed, "不是本网格的工作人员").with(|c, m| {
            as_reply_to_property(c, m);
            c.target_role = Some(Role::Resident);
        }),
        case("/transfer 1", Worker, Claimed, "已经是 #1 的负责人").with(|c, m| {
            as_reply_to_property(c, m);
            if let Some(r) = m.reply_to.as_mut() {
                r.from = Some(worker());
            }
        }),
        case("/transfer 1", Worker, Claimed, "请在诉求所在的网格群里转交").with(|c, m| {
            as_reply_to_property(c, m);
            c.petitions[0].chat_id = -5005;
        }),
        // Merges: into itself, chains and cycles, finished targets, other groups.
        case("/merge 1 1", Worker, Open, "合并到它自己"),
        case("/merge 1 2", Worker, Merged, "#1 已经并入 #2")
            .with(|c, _| c.petitions[0].merged_into = Some(PetitionNo(2))),
        case("/merge 2 1", Worker, Merged, "#1 已并入 #2")
            .with(|c, _| c.petitions[0].merged_into = Some(PetitionNo(2))),
        case("/merge 2 1", Worker, Closed, "不能把别的诉求并入它"),
        case("/merge 1 2", Worker, Resolved, wrong_state),
        case("/merge 2 1", Worker, Open, "同一个网格群")
            .with(|c, _| c.petitions[0].chat_id = -5005),
    ];
    for Case {
        cmd,
        role,
        one,
        setup,
        expect,
    } in cases
    {
        let mut c = ctx(role, vec![petition(1, one), petition(2, State::Open)]);
        let by = match role {
            Resident => resident(7),
            Property => property(),
            _ => worker(),
        };
        let mut m = said(&by, cmd);
        setup(&mut c, &mut m);
        let out = run(&c, m);
        let answer = reply_to(&out, GROUP, 900);
        assert!(
            answer.text.contains(expect),
            "{cmd} ({role:?}, #1 {one:?}): want {expect:?}, got {:?}",
            answer.text
        );
        assert!(!answer.text.contains('\n'), "one line: {}", answer.text);
        assert!(!changes_anything(&out), "{cmd} changed something: {out:#?}");
        assert_eq!(texts(&out).len(), 1, "{cmd}: only the refusal is said");
    }
}
