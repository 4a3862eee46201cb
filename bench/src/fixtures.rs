//! What the benchmarks run on: bound grids with staff, resident messages in Telegram's
//! shape, and the shared corpus.

use anyhow::{Context as _, Result};
use gridbot_fake_api::fixtures::{self, User};
use gridbot_handlers::effect::Effect;
use gridbot_handlers::model::{Grid, Person, Role};
use gridbot_storage::Store;
use serde_json::Value;
use std::path::Path;

/// Grids in every benchmark that spans groups; ten communities of ten.
pub const GROUPS: usize = 100;
pub const ADMIN: i64 = 1;

pub fn chat(g: usize) -> i64 {
    -100_000 - g as i64
}

pub fn grid(g: usize) -> Grid {
    Grid {
        chat_id: chat(g),
        community: format!("社区{}", g / 10 + 1),
        grid: format!("第{}网格", g % 10 + 1),
    }
}

pub fn worker(g: usize) -> Person {
    Person {
        id: 10_000 + g as i64,
        name: format!("网格员{g}"),
        username: None,
    }
}

/// The secretaries' chat of community `c` (0-based).
pub fn alert_chat(c: usize) -> i64 {
    -200_000 - c as i64
}

/// Bind `n` groups, each with its grid worker, and give each community an alert chat.
pub async fn bind_grids(store: &Store, n: usize, now: i64) -> Result<()> {
    let mut effects = Vec::new();
    for g in 0..n {
        let grid = grid(g);
        effects.push(Effect::Bind {
            grid: grid.clone(),
            title: Some(format!("{} {}", grid.community, grid.grid)),
        });
        effects.push(Effect::SeenPerson(worker(g)));
        effects.push(Effect::SetRole {
            grid: grid.clone(),
            person: worker(g),
            role: Role::Worker,
        });
        if g % 10 == 0 {
            effects.push(Effect::SetAlertChat {
                community: grid.community,
                chat_id: alert_chat(g / 10),
            });
        }
    }
    let mut tx = store.begin().await?;
    tx.apply(&effects, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A fresh database in `dir` with the production settings and the schema.
pub async fn fresh_store(dir: &Path, name: &str) -> Result<(Store, String)> {
    let url = format!("sqlite://{}", dir.join(name).display());
    let store = Store::connect(&url)
        .await
        .with_context(|| format!("open {url}"))?;
    store.migrate().await?;
    Ok((store, url))
}

/// Resident `i` (distinct residents: no message is another's follow-up).
pub fn resident(i: usize) -> User {
    User::new(1_000_000 + i as i64, &format!("居民{i}"), None)
}

/// A group message of resident `i` in group `g`, with its update id.
pub fn update(update_id: i64, g: usize, message_id: i64, i: usize, text: &str) -> Value {
    let mut u = fixtures::group_text(chat(g), message_id, &resident(i), text);
    u["update_id"] = update_id.into();
    u
}

/// The texts of the shared corpus (`../shared/corpus/messages.tsv`).
pub fn corpus() -> Result<Vec<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/messages.tsv");
    let src = std::fs::read_to_string(&path)
        .with_context(|| format!("read the corpus {}", path.display()))?;
    Ok(src
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .filter(|t| !t.trim().is_empty())
        .map(str::to_string)
        .collect())
}

/// A distinct problem at a distinct address: `n` of these never fold into each other
/// (different locations), so each becomes its own petition.
pub fn distinct_problem(n: usize) -> String {
    const PROBLEMS: [&str; 6] = [
        "楼道灯坏了好几天了 晚上黑 麻烦来修一下",
        "家里水管漏水了 楼下都渗了 能不能派人看看",
        "门口垃圾好几天没人清 味道很大 谁来处理一下",
        "电梯又停了 老人上不去 什么时候能修好",
        "楼上装修天天电钻 中午都不停 能不能管管",
        "消防通道被电动车堵住了 请物业来处理",
    ];
    let building = n % 97 + 1;
    let unit = (n / 97) % 6 + 1;
    let room = 100 * ((n / 582) % 30 + 1) + (n / 17_460) % 20 + 1;
    format!(
        "{building}号楼{unit}单元{room} {}",
        PROBLEMS[n % PROBLEMS.len()]
    )
}
