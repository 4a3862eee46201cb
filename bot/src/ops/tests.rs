//! Unit tests of the operations' pure parts.

use super::purge::start_of;
use super::*;
use std::path::Path;

#[test]
fn database_urls_name_their_file_or_their_server() {
    for (url, file) in [
        ("sqlite://gridbot.db", Some("gridbot.db")),
        (
            "sqlite:///var/lib/gridbot/gridbot.db",
            Some("/var/lib/gridbot/gridbot.db"),
        ),
        ("sqlite:data.db?mode=rwc", Some("data.db")),
        ("sqlite::memory:", None),
        ("postgres://u@h/db", None),
    ] {
        assert_eq!(sqlite_path(url).as_deref(), file.map(Path::new), "{url}");
    }
    let hint = pg_dump_hint(
        "postgres://grid:s3cret@db.local:5433/nanyuan?sslmode=require",
        Path::new("b.dump"),
    );
    assert!(
        hint.contains("pg_dump --format=custom --file=b.dump --host=db.local --port=5433 --username=grid nanyuan"),
        "{hint}"
    );
    assert!(!hint.contains("s3cret"), "{hint}");
}

#[test]
fn a_raw_update_names_its_sender_and_the_quoted_sender_the_way_forget_looks_for_them() {
    use gridbot_fake_api::fixtures::{User, reply};
    let (resident, worker) = (User::new(1001, "居民1", None), User::new(10, "王", None));
    let mut v = reply(-4001, 5, &worker, "师傅下午到", 4, &resident);
    v["update_id"] = 7.into();
    let u: teloxide::types::Update = serde_json::from_str(&v.to_string()).expect("update");
    let raw = crate::ingest::Raw::from_update(&u).json;
    for id in [1001, 10] {
        let pattern = gridbot_storage::raw_user_pattern(id);
        let needle = pattern.trim_matches('%');
        assert!(raw.contains(needle), "{needle} not in {raw}");
    }
    let other = gridbot_storage::raw_user_pattern(100);
    assert!(!raw.contains(other.trim_matches('%')), "{raw}");
}

#[test]
fn sizes_read_like_people_say_them() {
    assert_eq!(human_bytes(512), "512 B");
    assert_eq!(human_bytes(1536), "1.5 KB");
    assert_eq!(human_bytes(45 << 20), "45.0 MB");
}

#[test]
fn a_purge_date_is_midnight_on_the_streets_clock() {
    let t = start_of("2025-01-01", chrono_tz::Asia::Shanghai).unwrap();
    assert_eq!(t, 1_735_660_800_000); // 2024-12-31T16:00:00Z
    assert!(start_of("2025-13-01", chrono_tz::Asia::Shanghai).is_err());
}
