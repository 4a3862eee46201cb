//! Text with mentions, measured the way Telegram measures (UTF-16 units), and kept under
//! Telegram's 4096-character limit.

use crate::effect::Mention;
use crate::model::Person;

/// Telegram's limit is 4096; we stay below it with room for a "…" marker.
pub const MAX_CHARS: usize = 4000;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rich {
    pub text: String,
    pub mentions: Vec<Mention>,
}

impl Rich {
    pub fn new() -> Rich {
        Rich::default()
    }

    pub fn push(&mut self, s: &str) -> &mut Rich {
        self.text.push_str(s);
        self
    }

    /// `@username` when there is one (Telegram notifies it), a text mention otherwise.
    pub fn mention(&mut self, p: &Person) -> &mut Rich {
        match &p.username {
            Some(u) => {
                self.text.push('@');
                self.text.push_str(u);
            }
            None => {
                let name = if p.name.is_empty() {
                    "网格员"
                } else {
                    &p.name
                };
                let offset = utf16_len(&self.text);
                self.text.push_str(name);
                self.mentions.push(Mention {
                    offset,
                    length: utf16_len(name),
                    user_id: p.id,
                });
            }
        }
        self
    }

    /// Cut to the limit, dropping mentions that would fall outside it.
    pub fn fitted(mut self) -> Rich {
        let cut = fit(&self.text);
        if cut.len() != self.text.len() {
            let limit = utf16_len(&cut);
            self.mentions.retain(|m| m.offset + m.length <= limit);
            self.text = cut;
        }
        self
    }
}

pub fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// At most [`MAX_CHARS`] UTF-16 units, cut on a character boundary with a "…" marker.
pub fn fit(s: &str) -> String {
    if utf16_len(s) <= MAX_CHARS {
        return s.to_string();
    }
    let mut out = String::new();
    let mut n = 0;
    for c in s.chars() {
        if n + c.len_utf16() > MAX_CHARS - 1 {
            break;
        }
        n += c.len_utf16();
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_counted_in_utf16_units() {
        let mut r = Rich::new();
        r.push("🚨提醒 ").mention(&Person {
            id: 7,
            name: "王网格员".into(),
            username: None,
        });
        assert_eq!(
            r.mentions,
            vec![Mention {
                offset: 5,
                length: 4,
                user_id: 7
            }]
        );
    }

    #[test]
    fn usernames_are_written_not_entities() {
        let mut r = Rich::new();
        r.mention(&Person {
            id: 7,
            name: "王".into(),
            username: Some("wang".into()),
        });
        assert_eq!(r.text, "@wang");
        assert!(r.mentions.is_empty());
    }

    #[test]
    fn long_texts_are_cut_below_telegrams_limit() {
        let long = "电".repeat(5000) + "😀";
        let cut = fit(&long);
        assert!(utf16_len(&cut) <= MAX_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(fit("短"), "短");
        let emoji = "😀".repeat(3000);
        assert!(utf16_len(&fit(&emoji)) <= MAX_CHARS);
    }
}
