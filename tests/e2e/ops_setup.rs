//! Setting up (issue 7): the example config and rules pass `check-config`, a broken copy
//! is refused naming its line, and `--log-json` makes the log JSON lines.

use crate::harness::*;
use gridbot_fake_api::Options;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(name)
}

/// `gridbot check-config [ARGS…]` with `config` as the config file: (success, output).
fn check_config(config: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gridbot"))
        .env("GRIDBOT_CONFIG", config)
        .env_remove("DATABASE_URL")
        .arg("check-config")
        .args(args)
        .output()
        .expect("run gridbot");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// A copy of `text` with its first line starting with `from` replaced by `to`, written to
/// `dir/name`; the path and the 1-based number of the changed line.
fn broken_copy(dir: &Path, name: &str, text: &str, from: &str, to: &str) -> (PathBuf, usize) {
    let line = text
        .lines()
        .position(|l| l.starts_with(from))
        .unwrap_or_else(|| panic!("no line starting with {from}"));
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[line] = lines[line].replacen(from, to, 1);
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n")).expect("write the copy");
    (path, line + 1)
}

#[test]
fn the_example_config_and_rules_pass_check_config() {
    let rules = repo_file("examples/rules.example.toml");
    let rules_arg = rules.to_str().expect("UTF-8 path");
    let (ok, out) = check_config(&repo_file("gridbot.example.toml"), &["--rules", rules_arg]);
    assert!(ok, "{out}");
    assert!(out.contains("rules.example.toml: ok"), "{out}");
    assert!(out.contains("gridbot.example.toml: ok"), "{out}");
    // Named in a config, the example rules are the bot's rules, with their own category.
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("gridbot.toml");
    std::fs::write(
        &config,
        format!(
            "[rules]\nfile = {rules_arg:?}\n[clocks.resolve_by_category]\ncharging = \"24h\"\n"
        ),
    )
    .expect("config");
    let (ok, out) = check_config(&config, &[]);
    assert!(ok && out.contains("(3 categories"), "{out}");
}

#[test]
fn a_broken_copy_of_the_examples_names_the_line_of_the_mistake() {
    let dir = tempfile::tempdir().expect("temp dir");
    let example = std::fs::read_to_string(repo_file("gridbot.example.toml")).expect("example");
    let cases = [
        // (the line as it starts, what it becomes, what the error names)
        (
            "escalate_after = \"15m\"",
            "escalate_after = \"15 minutes\"",
            "clocks.urgent.escalate_after",
        ),
        ("ack = \"reaction\"", "ack = \"emoji\"", "intake.ack"),
        (
            "closed_after = \"\"",
            "closed_after = \"a year\"",
            "retention.closed_after",
        ),
        (
            "timezone = \"Asia/Shanghai\"",
            "timezone = \"Beijing\"",
            "street.timezone",
        ),
    ];
    for (from, to, key) in cases {
        let (path, line) = broken_copy(dir.path(), "gridbot.toml", &example, from, to);
        let (ok, out) = check_config(&path, &[]);
        assert!(!ok, "{to} accepted");
        assert!(
            out.contains(&format!("gridbot.toml:{line}:")),
            "line {line}: {out}"
        );
        assert!(out.contains(key), "{key}: {out}");
    }
    let rules = std::fs::read_to_string(repo_file("examples/rules.example.toml")).expect("rules");
    let (path, line) = broken_copy(
        dir.path(),
        "rules.toml",
        &rules,
        "patterns = [\"(楼道|家里).{0,4}充电\"]",
        "patterns = [\"(楼道|家里\"]",
    );
    let (ok, out) = check_config(
        &repo_file("gridbot.example.toml"),
        &["--rules", path.to_str().expect("UTF-8 path")],
    );
    assert!(!ok, "{out}");
    assert!(out.contains(&format!("line {line}")), "line {line}: {out}");
}

#[tokio::test]
async fn log_json_makes_every_log_line_a_json_object_and_text_is_the_default() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = database_url(&dir).await;
    let mut app = App::start_full(FAST, Options::default(), dir, url, &["--log-json"]).await;
    app.setup_grid().await;
    assert!(app.stop(), "a clean stop");
    let log = app.log();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(lines.len() >= 2, "{log}");
    assert!(lines.iter().all(|l| l["level"].is_string()), "{log}");
    assert!(
        lines
            .iter()
            .any(|l| l["fields"]["message"] == "connected to Telegram"),
        "{log}"
    );
    let mut plain = App::start(FAST).await;
    plain.setup_grid().await;
    assert!(plain.stop(), "a clean stop");
    let text = plain.log();
    let connected = text
        .lines()
        .find(|l| l.contains("connected to Telegram"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        serde_json::from_str::<serde_json::Value>(connected).is_err(),
        "{connected}"
    );
    assert!(connected.contains("INFO"), "{connected}");
}
