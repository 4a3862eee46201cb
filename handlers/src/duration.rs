//! Durations as people write them in the config file: `90s`, `30m`, `2h`, `3d`.

use std::fmt;

/// A duration in milliseconds, parsed from the short forms of the config file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Dur(pub i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a duration: write a number and a unit, e.g. 90s, 30m, 2h or 3d")]
pub struct DurError(pub String);

impl Dur {
    pub const fn secs(s: i64) -> Dur {
        Dur(s * 1000)
    }
    pub const fn mins(m: i64) -> Dur {
        Dur(m * 60_000)
    }
    pub const fn hours(h: i64) -> Dur {
        Dur(h * 3_600_000)
    }
    pub fn ms(self) -> i64 {
        self.0
    }

    pub fn parse(s: &str) -> Result<Dur, DurError> {
        let t = s.trim();
        let split = t
            .find(|c: char| !c.is_ascii_digit())
            .ok_or_else(|| DurError(s.to_string()))?;
        let (num, unit) = t.split_at(split);
        let n: i64 = num.parse().map_err(|_| DurError(s.to_string()))?;
        let per = match unit.trim() {
            "ms" => 1,
            "s" | "sec" => 1000,
            "m" | "min" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            _ => return Err(DurError(s.to_string())),
        };
        n.checked_mul(per)
            .filter(|v| *v > 0)
            .map(Dur)
            .ok_or_else(|| DurError(s.to_string()))
    }

    /// "2小时5分" style, for people.
    pub fn human(self) -> String {
        let mins = self.0 / 60_000;
        if self.0 < 60_000 {
            format!("{}秒", (self.0 / 1000).max(0))
        } else if mins < 60 {
            format!("{mins}分钟")
        } else if mins < 24 * 60 {
            let (h, m) = (mins / 60, mins % 60);
            if m == 0 {
                format!("{h}小时")
            } else {
                format!("{h}小时{m}分")
            }
        } else {
            let (d, h) = (mins / (24 * 60), (mins % (24 * 60)) / 60);
            if h == 0 {
                format!("{d}天")
            } else {
                format!("{d}天{h}小时")
            }
        }
    }
}

impl fmt::Display for Dur {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0;
        if ms % 86_400_000 == 0 {
            write!(f, "{}d", ms / 86_400_000)
        } else if ms % 3_600_000 == 0 {
            write!(f, "{}h", ms / 3_600_000)
        } else if ms % 60_000 == 0 {
            write!(f, "{}m", ms / 60_000)
        } else if ms % 1000 == 0 {
            write!(f, "{}s", ms / 1000)
        } else {
            write!(f, "{ms}ms")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_parse_to_milliseconds() {
        for (s, ms) in [
            ("90s", 90_000),
            ("30m", 1_800_000),
            ("2h", 7_200_000),
            ("3d", 259_200_000),
            (" 5m ", 300_000),
            ("250ms", 250),
        ] {
            assert_eq!(Dur::parse(s), Ok(Dur(ms)), "{s}");
        }
    }

    #[test]
    fn nonsense_durations_are_refused() {
        for s in [
            "",
            "m",
            "30",
            "30x",
            "-5m",
            "0s",
            "1.5h",
            "99999999999999999d",
        ] {
            assert!(Dur::parse(s).is_err(), "{s} should fail");
        }
    }

    #[test]
    fn durations_print_back_in_the_shortest_form() {
        assert_eq!(Dur::parse("120m").unwrap().to_string(), "2h");
        assert_eq!(Dur::parse("90s").unwrap().to_string(), "90s");
    }

    #[test]
    fn human_form_is_chinese() {
        assert_eq!(Dur::mins(125).human(), "2小时5分");
        assert_eq!(Dur::secs(30).human(), "30秒");
        assert_eq!(Dur::hours(50).human(), "2天2小时");
    }
}
