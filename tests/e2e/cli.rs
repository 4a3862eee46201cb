//! The command line: export, check-config, classify.

use crate::harness::*;
use std::io::Write;
use std::process::Stdio;

#[tokio::test]
async fn export_writes_every_field_with_phone_numbers_masked() {
    let mut app = App::start(FAST).await;
    app.setup_grid().await;
    let m = app.say(
        GROUP,
        &resident(1),
        "3号楼1单元201 卫生间进水管接口喷水了 麻烦物业师傅来一趟 我电话13800005566",
    );
    app.wait("petition", |a| {
        a.sent_to(GROUP)
            .iter()
            .any(|s| s.reply_to == Some(m as i32))
            || app.reactions_on(GROUP, m) >= 1
    })
    .await;
    app.stop();
    let out = app
        .command()
        .args(["export", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = &v.as_array().unwrap()[0];
    for key in [
        "number",
        "community",
        "grid",
        "chat_id",
        "message_id",
        "resident_id",
        "text",
        "category",
        "urgent",
        "location",
        "state",
        "created_at",
        "first_response_at",
        "resolved_at",
        "rating",
    ] {
        assert!(row.get(key).is_some(), "missing {key}: {row}");
    }
    let text = row["text"].as_str().unwrap();
    assert!(
        text.contains("138****5566") && !text.contains("13800005566"),
        "{text}"
    );
    let out = app
        .command()
        .args(["export", "--format", "csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.starts_with("number,community,grid,chat_id,message_id,resident_id,text"),
        "{csv}"
    );
    assert!(csv.contains("138****5566") && !csv.contains("13800005566"));
    let out = app
        .command()
        .args(["export", "--format", "json", "--events"])
        .output()
        .unwrap();
    let ev: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(ev.as_array().unwrap().iter().any(|e| e["kind"] == "raised"));
}

#[tokio::test]
async fn check_config_names_the_bad_key_value_and_line() {
    let mut app = App::start(FAST).await;
    app.stop();
    std::fs::write(
        app.dir.path().join("gridbot.toml"),
        "[street]\nadmins = [1]\n\n[clocks]\nresolve = \"forever\"\n",
    )
    .unwrap();
    let out = app.command().arg("check-config").output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(":5:") && err.contains("clocks.resolve") && err.contains("forever"),
        "{err}"
    );
    // And `run` refuses to start with it.
    let out = app.command().arg("run").output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("clocks.resolve"));
    std::fs::write(app.dir.path().join("gridbot.toml"), FAST).unwrap();
    let out = app.command().arg("check-config").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn classify_prints_one_json_object_a_line() {
    let app = App::start(FAST).await;
    let mut child = app
        .command()
        .arg("classify")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("收到\n电梯卡住了！！！3号楼2单元 我和孩子在里面 快\n".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["needs_answer"], false);
    assert_eq!(lines[1]["needs_answer"], true);
    assert_eq!(lines[1]["urgent"], true);
    assert_eq!(lines[1]["category"], "elevator");
    assert_eq!(lines[1]["location"], "3号楼2单元");
    assert!(lines[1]["matched"].is_array());
}
