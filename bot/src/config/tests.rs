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
