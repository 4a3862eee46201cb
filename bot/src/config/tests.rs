use super::*;

fn parse(src: &str) -> Result<Config> {
    Config::parse(src, Path::new("gridbot.toml"))
}

#[test]
fn an_empty_file_gives_every_default() {
    let c = parse("").unwrap();
    assert_eq!(c.settings.normal.first_response, Dur::mins(30));
    assert_eq!(c.settings.urgent.escalate_after, Dur::mins(15));
    assert_eq!(c.settings.ack, AckMode::Reaction);
    assert_eq!(
        c.settings.quiet,
        QuietHours {
            start: 22 * 60,
            end: 7 * 60
        }
    );
    assert_eq!(c.limits.per_group_per_minute, 20);
    assert_eq!(c.digest_weekday, chrono::Weekday::Mon);
    assert_eq!(c.settings.tz, chrono_tz::Asia::Shanghai);
}

#[test]
fn short_durations_are_read_from_every_clock() {
    let c = parse("[clocks]\nfirst_response = \"90s\"\nresolve = \"3d\"\n[clocks.urgent]\nfirst_response = \"2s\"\n").unwrap();
    assert_eq!(c.settings.normal.first_response, Dur::secs(90));
    assert_eq!(c.settings.normal.resolve, Dur::hours(72));
    assert_eq!(c.settings.urgent.first_response, Dur::secs(2));
}

#[test]
fn a_bad_value_is_refused_with_its_key_value_and_line() {
    let err = parse("[street]\nname = \"x\"\n\n[clocks]\nfirst_response = \"soon\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("gridbot.toml:5"), "{err}");
    assert!(err.contains("clocks.first_response"), "{err}");
    assert!(err.contains("soon"), "{err}");
}

#[test]
fn unknown_keys_and_bad_choices_are_refused() {
    let err = parse("[intake]\nack = \"shout\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("intake.ack") && err.contains("shout"), "{err}");
    let err = parse("[intake]\nacks = \"reply\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("acks"), "{err}");
    let err = parse("[quiet_hours]\nstart = \"25:00\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("quiet_hours.start"), "{err}");
    let err = parse("[street]\ntimezone = \"Mars/Base\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("Mars/Base"), "{err}");
}

#[test]
fn the_token_never_shows_in_debug_output() {
    let t = Token::new("123456:SECRET".into());
    assert!(!format!("{t:?}").contains("SECRET"));
    let env = Env {
        token: Some(t.clone()),
        api_url: None,
        database_url: "sqlite://x.db".into(),
        config_path: "g.toml".into(),
    };
    assert!(!format!("{env:?}").contains("SECRET"));
    assert_eq!(
        t.scrub("GET /bot123456:SECRET/getMe"),
        "GET /bot<token>/getMe"
    );
}

#[test]
fn retention_is_off_unless_a_period_is_given() {
    assert_eq!(parse("").unwrap().retention, None);
    assert_eq!(
        parse("[retention]\nclosed_after = \"\"\n")
            .unwrap()
            .retention,
        None
    );
    assert_eq!(
        parse("[retention]\nclosed_after = \"365d\"\n")
            .unwrap()
            .retention,
        Some(Dur::hours(365 * 24))
    );
    let err = parse("[retention]\nclosed_after = \"one year\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("gridbot.toml:2"), "{err}");
    assert!(err.contains("retention.closed_after"), "{err}");
}

#[test]
fn the_example_config_names_every_key_at_its_default() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../gridbot.example.toml");
    let src = std::fs::read_to_string(&path).expect("gridbot.example.toml");
    let example = Config::parse(&src, &path).expect("the example is valid");
    assert_eq!(format!("{example:?}"), format!("{:?}", parse("").unwrap()));
    let table: toml::Table = toml::from_str(&src).expect("TOML");
    let mut keys = Vec::new();
    for (section, v) in &table {
        for (key, v) in v.as_table().expect("a section") {
            match v.as_table() {
                Some(sub) if sub.is_empty() => keys.push(format!("{section}.{key}")),
                Some(sub) => keys.extend(sub.keys().map(|k| format!("{section}.{key}.{k}"))),
                None => keys.push(format!("{section}.{key}")),
            }
        }
    }
    keys.sort();
    let expected = [
        "alerts.webhook",
        "alerts.webhook_format",
        "board.enabled",
        "board.min_interval",
        "clocks.escalate_after",
        "clocks.first_response",
        "clocks.overdue_repeat",
        "clocks.rating_window",
        "clocks.reminder_every",
        "clocks.resolve",
        "clocks.resolve_by_category",
        "clocks.urgent.escalate_after",
        "clocks.urgent.first_response",
        "clocks.urgent.reminder_every",
        "clocks.urgent.resolve",
        "digest.time",
        "digest.weekday",
        "intake.ack",
        "intake.duplicate_window",
        "intake.follow_up_window",
        "quiet_hours.end",
        "quiet_hours.start",
        "retention.closed_after",
        "rules.file",
        "street.admins",
        "street.name",
        "street.timezone",
        "telegram.global_per_second",
        "telegram.per_chat_per_second",
        "telegram.per_group_per_minute",
        "telegram.poll_timeout",
        "webhook.listen",
        "webhook.secret",
        "webhook.url",
    ];
    assert_eq!(keys, expected);
}

#[test]
fn the_board_is_off_unless_enabled_and_its_interval_is_checked() {
    let c = parse("").unwrap();
    assert_eq!(
        c.board,
        BoardConfig {
            enabled: false,
            min_interval: Dur::secs(60)
        }
    );
    let c = parse("[board]\nenabled = true\nmin_interval = \"2s\"\n").unwrap();
    assert_eq!(
        c.board,
        BoardConfig {
            enabled: true,
            min_interval: Dur::secs(2)
        }
    );
    let err = parse("[board]\nenabled = true\nmin_interval = \"500ms\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("gridbot.toml:3"), "{err}");
    assert!(
        err.contains("board.min_interval") && err.contains("500ms"),
        "{err}"
    );
    let err = parse("[board]\nenable = true\n").unwrap_err().to_string();
    assert!(err.contains("enable"), "{err}");
}
