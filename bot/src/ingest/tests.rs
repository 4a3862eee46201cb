//! A page decided at once must leave exactly what deciding its updates one by one leaves:
//! the same petitions, history, outgoing calls, people, followers and links, row for row.

use super::*;
use gridbot_fake_api::fixtures::{self as fx, User};
use gridbot_handlers::model::{Grid, Person, Role};
use serde_json::Value;

const GROUPS: [i64; 3] = [-4001, -4002, -4003];
const NOW: Millis = 1_790_000_000_000;

fn corpus() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/corpus/messages.tsv"
    );
    std::fs::read_to_string(path)
        .expect("the shared corpus")
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .filter(|t| !t.trim().is_empty())
        .map(str::to_string)
        .collect()
}

fn worker(g: usize) -> User {
    User::new(10 + g as i64, &format!("网格员{g}"), None)
}

/// A small deterministic generator, so the mix is the same on every run.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Resident messages from a few people (so follow-ups and duplicates happen) mixed with
/// what a page cannot answer by itself: staff naming petitions, claims, replies, edits,
/// private chats, buttons, stickers, the bot joining a new group and an admin binding one.
fn updates(n: usize) -> Vec<Raw> {
    let corpus = corpus();
    let residents: Vec<User> = (0..80)
        .map(|i| User::new(1000 + i, &format!("居民{i}"), None))
        .collect();
    let mut rng = Lcg(7);
    let mut sent: Vec<(i64, i64, usize)> = Vec::new(); // chat, message id, resident
    let mut claimed: Vec<(usize, usize)> = Vec::new(); // grid, petition number
    let mut out = Vec::new();
    for i in 0..n {
        let id = i as i64 + 1;
        let msg = 100 + id;
        let g = rng.next(GROUPS.len());
        let chat = GROUPS[g];
        let r = rng.next(residents.len());
        let roll = rng.next(100);
        let mut v: Value = match roll {
            0..=62 => {
                sent.push((chat, msg, r));
                let text = &corpus[rng.next(corpus.len())];
                fx::group_text(chat, msg, &residents[r], text)
            }
            63..=67 => fx::group_text(
                chat,
                msg,
                &worker(g),
                &format!("#{} 已经安排师傅去看了", 1 + rng.next(30)),
            ),
            68 => fx::command(chat, msg, &residents[r], "/my"),
            69 => fx::command(chat, msg, &worker(g), "/list"),
            70 => fx::command(chat, msg, &User::new(20, "李书记", None), "/overdue"),
            71..=74 => {
                let n = 1 + rng.next(40);
                claimed.push((g, n));
                fx::command(chat, msg, &worker(g), &format!("/claim {n}"))
            }
            75..=81 if !claimed.is_empty() => {
                let (g, n) = claimed[rng.next(claimed.len())];
                let text = format!("/resolve {n} 已经修好了");
                fx::command(GROUPS[g], msg, &worker(g), &text)
            }
            82..=85 if !sent.is_empty() => {
                let (c, m, who) = sent[rng.next(sent.len())];
                fx::reply(
                    c,
                    msg,
                    &worker(GROUPS.iter().position(|x| *x == c).unwrap()),
                    "收到，马上处理",
                    m,
                    &residents[who],
                )
            }
            86..=89 if !sent.is_empty() => {
                let (c, m, who) = sent[rng.next(sent.len())];
                fx::edited(c, m, &residents[who], &corpus[rng.next(corpus.len())])
            }
            90..=92 => fx::private_text(&residents[r], msg, "你好，我想问一下停水的事"),
            93..=94 => {
                let rating = ["s", "b", "u"][rng.next(3)];
                let data = format!("rate:{}:{rating}", 1 + rng.next(30));
                fx::callback(&format!("cb{id}"), &residents[r], chat, 5, &data)
            }
            95..=96 => fx::sticker(chat, msg, &residents[r]),
            97 => fx::command(
                -4100 - id,
                msg,
                &User::new(1, "管理员", None),
                &format!("/bind 欣锦苑社区 第{id}网格"),
            ),
            98 => fx::bot_added(-4100 - id, "新的群", &User::new(1, "管理员", None), 999),
            _ => fx::group_text(
                chat,
                msg,
                &residents[r],
                "3号楼2单元电梯坏了，困住了一个老人",
            ),
        };
        v["update_id"] = id.into();
        let u: teloxide::types::Update =
            serde_json::from_str(&v.to_string()).expect("a well-formed update");
        out.push(Raw::from_update(&u));
    }
    out
}

async fn store(url: &str) -> Store {
    let store = Store::connect(url).await.unwrap();
    store.migrate().await.unwrap();
    let mut effects = Vec::new();
    for (g, chat) in GROUPS.iter().enumerate() {
        let grid = Grid::sample(*chat, &format!("第{}网格", g + 1));
        effects.push(Effect::Bind {
            grid: grid.clone(),
            title: None,
        });
        let w = Person::sample(10 + g as i64, &format!("网格员{g}"));
        effects.push(Effect::SeenPerson(w.clone()));
        effects.push(Effect::SetRole {
            grid,
            person: w,
            role: Role::Worker,
        });
    }
    effects.push(Effect::SetRole {
        grid: Grid::sample(GROUPS[0], "第1网格"),
        person: Person::sample(20, "李书记"),
        role: Role::Secretary,
    });
    let mut tx = store.begin().await.unwrap();
    tx.apply(&effects, NOW - 1_000).await.unwrap();
    tx.commit().await.unwrap();
    store
}

#[tokio::test]
async fn a_page_decided_at_once_leaves_what_one_by_one_leaves() {
    let dir = tempfile::tempdir().unwrap();
    let url = |name: &str| format!("sqlite://{}", dir.path().join(name).display());
    same_either_way(
        store(&url("paged.db")).await,
        store(&url("single.db")).await,
    )
    .await;
}

#[tokio::test]
async fn a_page_decided_at_once_leaves_what_one_by_one_leaves_on_postgres() {
    let Some(base) = gridbot_storage::testing::postgres_url() else {
        eprintln!("skipped: GRIDBOT_TEST_PG is not set");
        return;
    };
    let fresh = || gridbot_storage::testing::fresh_postgres(&base);
    let (a, b) = (fresh().await.unwrap(), fresh().await.unwrap());
    same_either_way(store(&a).await, store(&b).await).await;
}

async fn same_either_way(paged: Store, single: Store) {
    let brain = Brain {
        settings: Settings::for_tests(),
        bot_username: Some("gridbot_test_bot".into()),
        times: Default::default(),
    };
    let raws = updates(600);
    // Pages of every size up to Telegram's 100, each a minute after the last.
    let mut rng = Lcg(11);
    let mut rest = &raws[..];
    let mut now = NOW;
    while !rest.is_empty() {
        let (page, more) = rest.split_at((1 + rng.next(100)).min(rest.len()));
        // Not `batch`: its fallback to one by one would hide a failing page.
        whole_page(&paged, &brain, page, now).await.unwrap();
        one_by_one(&single, &brain, page, now).await.unwrap();
        (rest, now) = (more, now + 60_000);
    }
    let (a, b) = (
        gridbot_storage::testing::dump(&paged).await.unwrap(),
        gridbot_storage::testing::dump(&single).await.unwrap(),
    );
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y, "first difference");
    }
    assert_eq!(a.len(), b.len());
    // The mix did what it is for: petitions, follow-ups, duplicates joined, claims, urgent
    // alerts and a group joined mid-page.
    let count = |what: &str| a.iter().filter(|l| l.contains(what)).count();
    assert!(count("petitions: ") > 80, "{}", count("petitions: "));
    for kind in [
        "| follow_up |",
        "| joined |",
        "| claimed |",
        "| edited |",
        "| resolved |",
    ] {
        assert!(count(kind) > 0, "no {kind} event");
    }
    assert!(
        a.iter()
            .any(|l| l.starts_with("petitions: ") && l.contains("| 1 |"))
    );
    assert!(count("grids: -41") > 0, "no group joined");
    assert!(count("outbox: ") > 200);
}
