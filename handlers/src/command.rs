//! Parsing the Latin commands people type. Every mistake becomes a [`CommandError`] whose
//! Chinese explanation lives in `text`.

use crate::model::{PetitionNo, Role};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help,
    Start,
    Bind {
        community: String,
        grid: String,
    },
    Role(Role),
    Alerts(String),
    Petition(String),
    Claim(PetitionNo),
    Reply(PetitionNo, String),
    Progress(PetitionNo, String),
    Resolve(PetitionNo, String),
    Status(PetitionNo),
    My,
    List(usize),
    Mine(usize),
    Overdue(usize),
    Visits(usize),
    Transfer(PetitionNo),
    Escalate(PetitionNo, String),
    Reopen(PetitionNo),
    Merge(PetitionNo, PetitionNo),
    Template(Option<String>),
    Stats(Option<String>),
    Contact,
    /// Publish (or with None, show) one's own office phone for the contact card.
    Phone(Option<String>),
    Forget,
}

/// The command names, in the order `/help` lists them.
pub const NAMES: &[&str] = &[
    "help", "start", "bind", "role", "alerts", "petition", "claim", "reply", "progress", "resolve",
    "status", "my", "list", "mine", "overdue", "visits", "transfer", "escalate", "reopen", "merge",
    "template", "stats", "contact", "phone", "forget",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandError {
    /// `/foo`: no such command.
    Unknown(String),
    /// The command exists but its arguments are wrong; the name tells which usage to show.
    Usage(&'static str),
}

/// `None` when the text is not a command for this bot (plain text, or `/x@other_bot`).
pub fn parse(text: &str, bot_username: Option<&str>) -> Option<Result<Command, CommandError>> {
    let t = text.trim_start();
    let rest = t.strip_prefix('/')?;
    let (head, args) = match rest.find(char::is_whitespace) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    let (name, addressee) = match head.split_once('@') {
        Some((n, a)) => (n, Some(a)),
        None => (head, None),
    };
    if let (Some(a), Some(me)) = (addressee, bot_username)
        && !a.eq_ignore_ascii_case(me)
    {
        return None;
    }
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let name = name.to_ascii_lowercase();
    Some(parse_named(&name, args))
}

fn parse_named(name: &str, args: &str) -> Result<Command, CommandError> {
    let words: Vec<&str> = args.split_whitespace().collect();
    let usage = |n: &'static str| CommandError::Usage(n);
    let number = |n: &'static str| -> Result<PetitionNo, CommandError> {
        match words.as_slice() {
            [w] => PetitionNo::parse(w).ok_or(usage(n)),
            _ => Err(usage(n)),
        }
    };
    let number_text = |n: &'static str| -> Result<(PetitionNo, String), CommandError> {
        let (first, rest) = split_first(args);
        let no = PetitionNo::parse(first).ok_or(usage(n))?;
        if rest.is_empty() {
            return Err(usage(n));
        }
        Ok((no, rest.to_string()))
    };
    let page = |n: &'static str| -> Result<usize, CommandError> {
        match words.as_slice() {
            [] => Ok(1),
            [w] => w.parse().ok().filter(|p| *p >= 1).ok_or(usage(n)),
            _ => Err(usage(n)),
        }
    };
    Ok(match name {
        "help" => Command::Help,
        "start" => Command::Start,
        "bind" => match words.as_slice() {
            [c, g] => Command::Bind {
                community: c.to_string(),
                grid: g.to_string(),
            },
            _ => return Err(usage("bind")),
        },
        "role" => match words.as_slice() {
            [r] => Command::Role(parse_role(r).ok_or(usage("role"))?),
            _ => return Err(usage("role")),
        },
        "alerts" => match words.as_slice() {
            [c] => Command::Alerts(c.to_string()),
            _ => return Err(usage("alerts")),
        },
        "petition" if !args.is_empty() => Command::Petition(args.to_string()),
        "petition" => return Err(usage("petition")),
        "claim" => Command::Claim(number("claim")?),
        "reply" => {
            let (n, t) = number_text("reply")?;
            Command::Reply(n, t)
        }
        "progress" => {
            let (n, t) = number_text("progress")?;
            Command::Progress(n, t)
        }
        "resolve" => {
            let (n, t) = number_text("resolve")?;
            Command::Resolve(n, t)
        }
        "escalate" => {
            let (n, t) = number_text("escalate")?;
            Command::Escalate(n, t)
        }
        "status" => Command::Status(number("status")?),
        "transfer" => Command::Transfer(number("transfer")?),
        "reopen" => Command::Reopen(number("reopen")?),
        "merge" => match words.as_slice() {
            [a, b] => match (PetitionNo::parse(a), PetitionNo::parse(b)) {
                (Some(a), Some(b)) => Command::Merge(a, b),
                _ => return Err(usage("merge")),
            },
            _ => return Err(usage("merge")),
        },
        "my" if words.is_empty() => Command::My,
        "my" => return Err(usage("my")),
        "list" => Command::List(page("list")?),
        "mine" => Command::Mine(page("mine")?),
        "overdue" => Command::Overdue(page("overdue")?),
        "visits" => Command::Visits(page("visits")?),
        "template" => match words.as_slice() {
            [] => Command::Template(None),
            [c] => Command::Template(Some(c.to_string())),
            _ => return Err(usage("template")),
        },
        "stats" => match words.as_slice() {
            [] => Command::Stats(None),
            [p] if matches!(*p, "week" | "month" | "周" | "月") => {
                Command::Stats(Some(p.to_string()))
            }
            _ => return Err(usage("stats")),
        },
        "contact" => Command::Contact,
        "phone" => match words.as_slice() {
            [] => Command::Phone(None),
            [p] if is_phone(p) => Command::Phone(Some(p.to_string())),
            _ => return Err(usage("phone")),
        },
        "forget" => Command::Forget,
        other => return Err(CommandError::Unknown(other.to_string())),
    })
}

fn split_first(s: &str) -> (&str, &str) {
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], s[i..].trim()),
        None => (s, ""),
    }
}

fn parse_role(s: &str) -> Option<Role> {
    Some(match s.to_lowercase().as_str() {
        "worker" | "网格员" => Role::Worker,
        "property" | "物业" => Role::Property,
        "secretary" | "书记" => Role::Secretary,
        "resident" | "居民" => Role::Resident,
        _ => return None,
    })
}

/// An office phone: digits with optional dashes, 7 to 20 characters.
fn is_phone(s: &str) -> bool {
    (7..=20).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        && s.bytes().filter(u8::is_ascii_digit).count() >= 7
}

/// `#12` style references in a staff member's plain message.
pub fn hash_refs(text: &str) -> Vec<PetitionNo> {
    let mut out = Vec::new();
    for (i, c) in text.char_indices() {
        if c == '#' || c == '＃' {
            let start = i + c.len_utf8();
            let digits: String = text[start..]
                .chars()
                .take_while(|d| d.is_ascii_digit())
                .collect();
            if let Some(n) = PetitionNo::parse(&digits)
                && !out.contains(&n)
            {
                out.push(n);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<Result<Command, CommandError>> {
        parse(s, Some("gridbot"))
    }

    #[test]
    fn commands_parse_with_their_arguments() {
        let n = PetitionNo;
        let cases = [
            ("/claim 12", Command::Claim(n(12))),
            ("/claim@gridbot #12", Command::Claim(n(12))),
            ("/CLAIM 12", Command::Claim(n(12))),
            (
                "/reply 3 马上派人来",
                Command::Reply(n(3), "马上派人来".into()),
            ),
            (
                "/resolve 3 已修好　请验收",
                Command::Resolve(n(3), "已修好　请验收".into()),
            ),
            (
                "/bind 欣锦苑社区 第三网格",
                Command::Bind {
                    community: "欣锦苑社区".into(),
                    grid: "第三网格".into(),
                },
            ),
            ("/role 网格员", Command::Role(Role::Worker)),
            ("/role secretary", Command::Role(Role::Secretary)),
            ("/merge 5 #3", Command::Merge(n(5), n(3))),
            ("/list", Command::List(1)),
            ("/list 2", Command::List(2)),
            ("/template 电梯", Command::Template(Some("电梯".into()))),
            ("/stats month", Command::Stats(Some("month".into()))),
            (
                "/petition 楼道灯坏了",
                Command::Petition("楼道灯坏了".into()),
            ),
            (
                "/phone 0537-1234567",
                Command::Phone(Some("0537-1234567".into())),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(p(text), Some(Ok(want)), "{text}");
        }
    }

    #[test]
    fn wrong_arguments_name_the_usage_to_show() {
        for (text, name) in [
            ("/claim", "claim"),
            ("/claim abc", "claim"),
            ("/claim 1 2", "claim"),
            ("/reply 3", "reply"),
            ("/reply x 好的", "reply"),
            ("/resolve 3", "resolve"),
            ("/bind 只有社区", "bind"),
            ("/role boss", "role"),
            ("/merge 1", "merge"),
            ("/list 0", "list"),
            ("/stats year", "stats"),
            ("/petition", "petition"),
            ("/phone abc", "phone"),
        ] {
            assert_eq!(p(text), Some(Err(CommandError::Usage(name))), "{text}");
        }
    }

    #[test]
    fn other_text_is_not_a_command() {
        assert_eq!(p("电梯坏了"), None);
        assert_eq!(p("/claim@otherbot 3"), None);
        assert_eq!(p("// 注释"), None);
        assert_eq!(p("/ 空格"), None);
        assert_eq!(
            p("/frobnicate"),
            Some(Err(CommandError::Unknown("frobnicate".into())))
        );
    }

    #[test]
    fn hash_references_are_found_once_each() {
        assert_eq!(
            hash_refs("#12 已派人 ＃7 也一起 #12"),
            vec![PetitionNo(12), PetitionNo(7)]
        );
        assert!(hash_refs("# 12 #abc").is_empty());
    }
}
