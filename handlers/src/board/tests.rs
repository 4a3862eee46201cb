//! The board as a group reads it, and when it changes.

use super::*;
use crate::model::*;
use crate::text::utf16_len;

const T0: Millis = 1_700_000_000_000; // 2023-11-14 22:13 UTC, 06:13 in Shanghai
const MIN: Millis = 60_000;
const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

fn petition(n: i64, state: State, created_at: Millis) -> Petition {
    Petition {
        message_id: 500 + n as MsgId,
        resident: Person::sample(1000 + n, "居民"),
        location: Some(format!("{n}号楼2单元")),
        state,
        owner: (state != State::Open).then(|| Person::sample(10, "王网格员")),
        created_at,
        ..Petition::sample(n, -4001)
    }
}

fn lines(b: &Board) -> Vec<&str> {
    b.text.lines().collect()
}

#[test]
fn an_empty_board_says_nothing_is_waiting() {
    let done = petition(1, State::Resolved, T0);
    let b = render(&[done], T0 + 5 * MIN, TZ);
    assert_eq!(b.count, 0);
    assert_eq!(
        lines(&b),
        [
            "📋 本网格待办诉求（0 件）· 更新于 06:18",
            "✅ 目前没有待办诉求。"
        ]
    );
}

#[test]
fn urgent_petitions_come_first_then_the_oldest_and_finished_ones_are_left_out() {
    let mut urgent = petition(3, State::Open, T0 + 20 * MIN);
    urgent.urgent = true;
    let ps = [
        petition(1, State::Open, T0 + 10 * MIN),
        petition(2, State::Claimed, T0),
        urgent,
        petition(4, State::Resolved, T0 - MIN),
        petition(5, State::Escalated, T0 + 30 * MIN),
    ];
    let b = render(&ps, T0 + 150 * MIN, TZ);
    assert_eq!(b.count, 4);
    assert_eq!(
        lines(&b),
        [
            "📋 本网格待办诉求（4 件）· 更新于 08:43",
            "🚨#3【待受理】3号楼2单元 · 2小时前",
            "#2【处理中】2号楼2单元 · 王网格员 · 2小时前",
            "#1【待受理】1号楼2单元 · 2小时前",
            "#5【已上报社区】5号楼2单元 · 王网格员 · 2小时前",
            "发送 /status 编号 查看处理记录。",
        ]
    );
}

#[test]
fn a_petition_without_a_place_shows_its_words_with_phone_numbers_masked() {
    let mut p = petition(7, State::Open, T0);
    p.location = None;
    p.text = "电话13812345678\n漏水了".into();
    let b = render(&[p], T0, TZ);
    assert!(
        b.text.contains("#7【待受理】电话138****5678 漏水… · 刚刚"),
        "{}",
        b.text
    );
    assert!(!b.text.contains("13812345678"));
}

#[test]
fn a_long_list_fits_one_message_and_counts_the_rest() {
    let many: Vec<Petition> = (1..=300)
        .map(|n| petition(n, State::Open, T0 + n))
        .collect();
    let b = render(&many, T0 + MIN, TZ);
    assert!(utf16_len(&b.text) <= crate::text::MAX_CHARS);
    assert_eq!(b.count, 300);
    assert!(b.text.contains("（300 件）"));
    assert!(b.text.contains("\n#50【"), "fifty lines are listed");
    assert!(!b.text.contains("\n#51【"));
    assert!(b.text.contains("…及其他 250 件"), "{}", b.text);

    // Lines made wide by long names and places still leave the message under the limit.
    let wide: Vec<Petition> = (1..=80)
        .map(|n| {
            let mut p = petition(n, State::Claimed, T0);
            p.location = Some("很长的地名".repeat(200));
            p.owner = Some(Person::sample(10, &"名".repeat(300)));
            p
        })
        .collect();
    let b = render(&wide, T0, TZ);
    assert!(utf16_len(&b.text) <= crate::text::MAX_CHARS);
    let listed = b.text.lines().filter(|l| l.starts_with('#')).count();
    assert!(b.text.contains(&format!("…及其他 {} 件", 80 - listed)));
}

#[test]
fn ages_alone_change_what_is_shown_but_not_the_content() {
    let ps = [petition(1, State::Open, T0)];
    let a = render(&ps, T0 + 5 * MIN, TZ);
    let b = render(&ps, T0 + 6 * MIN, TZ);
    assert_eq!(a.content, b.content);
    assert_ne!(a.shown, b.shown);
    let claimed = [petition(1, State::Claimed, T0)];
    assert_ne!(render(&claimed, T0 + 5 * MIN, TZ).content, a.content);
}

fn stored(message_id: Option<MsgId>, board: &Board, updated_at: Millis) -> Stored {
    Stored {
        message_id,
        posting: false,
        content: board.content,
        shown: board.shown,
        updated_at,
    }
}

#[test]
fn the_board_is_posted_edited_or_left_alone_at_the_right_moments() {
    let interval = Dur::secs(60);
    let open = [petition(1, State::Open, T0)];
    let now = T0 + 30 * MIN;
    let board = render(&open, now, TZ);
    let empty = render(&[], now, TZ);
    let claimed = render(&[petition(1, State::Claimed, T0)], now, TZ);
    let was = stored(Some(77), &board, now - 2 * MIN);
    let posting = Stored {
        posting: true,
        message_id: None,
        ..was.clone()
    };
    let recent = Stored {
        updated_at: now - 30_000,
        ..was.clone()
    };
    let deleted = Stored {
        message_id: None,
        ..was.clone()
    };
    let aged = render(&open, now + 3 * MIN, TZ);
    let cases: [(&str, Option<&Stored>, &Board, Millis, Step); 10] = [
        (
            "no board yet, something waits",
            None,
            &board,
            now,
            Step::Post,
        ),
        ("no board yet, nothing waits", None, &empty, now, Step::Wait),
        (
            "a new board is on its way",
            Some(&posting),
            &claimed,
            now,
            Step::Wait,
        ),
        (
            "changed within the interval",
            Some(&recent),
            &claimed,
            now,
            Step::Wait,
        ),
        (
            "changed after the interval",
            Some(&was),
            &claimed,
            now,
            Step::Edit(77),
        ),
        (
            "all done: the board says so",
            Some(&was),
            &empty,
            now,
            Step::Edit(77),
        ),
        ("unchanged", Some(&was), &board, now, Step::Wait),
        (
            "only ages moved, soon after",
            Some(&was),
            &aged,
            now + 3 * MIN,
            Step::Wait,
        ),
        (
            "deleted and something waits",
            Some(&deleted),
            &board,
            now,
            Step::Post,
        ),
        (
            "deleted and nothing waits",
            Some(&deleted),
            &empty,
            now,
            Step::Wait,
        ),
    ];
    for (what, s, b, at, want) in cases {
        assert_eq!(step(s, b, at, interval), want, "{what}");
    }
    let later = now + 11 * MIN;
    let aged = render(&open, later, TZ);
    assert_eq!(
        step(Some(&was), &aged, later, interval),
        Step::Edit(77),
        "ages refresh every ten minutes"
    );
}
