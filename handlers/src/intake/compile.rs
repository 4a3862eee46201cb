//! Rules file → [`Rules`]: checks every key and value, and builds the automata once.

use super::file::{CategoryFile, RulesFile, Text};
use super::{Category, Pattern, Place, Rules, Signal, Target, Urgent};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::{Regex, RegexBuilder, RegexSetBuilder};
use std::collections::HashMap;

/// A mistake in a rules file, with the line it is on.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// Not TOML, an unknown key, or a value of the wrong type.
    #[error("rules file line {line}: {message}")]
    Syntax { line: usize, message: String },
    #[error("rules file line {line}: {key}: invalid regex `{value}`: {reason}")]
    Regex {
        line: usize,
        key: String,
        value: String,
        reason: String,
    },
    #[error("rules file line {line}: {key}: {problem}: `{value}`")]
    Value {
        line: usize,
        key: String,
        value: String,
        problem: String,
    },
}

impl RulesError {
    /// The line of the rules file at fault (1-based).
    pub fn line(&self) -> usize {
        match self {
            RulesError::Syntax { line, .. }
            | RulesError::Regex { line, .. }
            | RulesError::Value { line, .. } => *line,
        }
    }
}

fn line_of(src: &str, offset: usize) -> usize {
    let end = offset.min(src.len());
    src.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn syntax(src: &str, e: toml::de::Error) -> RulesError {
    let start = e.span().map_or(0, |s| s.start);
    let line = line_of(src, start);
    let text = src.lines().nth(line - 1).unwrap_or("").trim();
    let mut message = e.message().trim().replace('\n', " ");
    if !text.is_empty() {
        message.push_str(&format!(" (in `{text}`)"));
    }
    RulesError::Syntax { line, message }
}

/// Words of one automaton; the same word may serve several targets.
struct Words<T> {
    words: Vec<String>,
    targets: Vec<Vec<T>>,
    index: HashMap<String, usize>,
}

impl<T: PartialEq> Words<T> {
    fn new() -> Self {
        Words {
            words: Vec::new(),
            targets: Vec::new(),
            index: HashMap::new(),
        }
    }

    fn add(&mut self, word: &str, target: T) {
        let key = word.to_ascii_lowercase();
        let i = *self.index.entry(key).or_insert_with(|| {
            self.words.push(word.to_string());
            self.targets.push(Vec::new());
            self.words.len() - 1
        });
        if !self.targets[i].contains(&target) {
            self.targets[i].push(target);
        }
    }

    fn build(self) -> Result<(AhoCorasick, Vec<Vec<T>>), RulesError> {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            // a full DFA: a few hundred kilobytes for thousands of words, and the
            // fastest search, which runs three times for every message
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .prefilter(true)
            .build(&self.words)
            .map_err(|e| RulesError::Syntax {
                line: 1,
                message: format!("too many words: {e}"),
            })?;
        Ok((ac, self.targets))
    }
}

struct Builder<'a> {
    src: &'a str,
    sources: Vec<String>,
    patterns: Vec<Pattern>,
}

impl Builder<'_> {
    fn regex(&self, key: &str, t: &Text) -> Result<Regex, RulesError> {
        RegexBuilder::new(t.get_ref())
            .size_limit(1 << 20)
            .build()
            .map_err(|e| RulesError::Regex {
                line: line_of(self.src, t.span().start),
                key: key.to_string(),
                value: t.get_ref().clone(),
                reason: short_reason(&e),
            })
    }

    fn pattern(&mut self, key: &str, t: &Text, target: Target) -> Result<(), RulesError> {
        let regex = self.regex(key, t)?;
        self.sources.push(t.get_ref().clone());
        self.patterns.push(Pattern { regex, target });
        Ok(())
    }

    fn patterns(&mut self, key: &str, list: &[Text], target: Target) -> Result<(), RulesError> {
        for (i, t) in list.iter().enumerate() {
            self.pattern(&format!("{key}[{i}]"), t, target)?;
        }
        Ok(())
    }

    fn value(&self, key: String, t: &Text, problem: &str) -> RulesError {
        RulesError::Value {
            line: line_of(self.src, t.span().start),
            key,
            value: t.get_ref().clone(),
            problem: problem.to_string(),
        }
    }

    fn words<T: PartialEq + Copy>(
        &self,
        into: &mut Words<T>,
        key: &str,
        list: &[Text],
        target: T,
    ) -> Result<(), RulesError> {
        for (i, w) in list.iter().enumerate() {
            if w.get_ref().trim().is_empty() {
                return Err(self.value(format!("{key}[{i}]"), w, "a word may not be empty"));
            }
            into.add(w.get_ref(), target);
        }
        Ok(())
    }
}

/// The last line of the regex crate's message says what is wrong.
fn short_reason(e: &regex::Error) -> String {
    let text = e.to_string();
    let last = text.lines().rev().find(|l| !l.trim().is_empty());
    last.unwrap_or("invalid")
        .trim()
        .trim_start_matches("error: ")
        .to_string()
}

pub(super) fn compile(src: &str) -> Result<Rules, RulesError> {
    let file: RulesFile = toml::from_str(src).map_err(|e| syntax(src, e))?;
    let mut b = Builder {
        src,
        sources: Vec::new(),
        patterns: Vec::new(),
    };
    let categories = categories(&b, &file.categories)?;
    let find = |code: &str| categories.iter().position(|c| c.code == code);

    let mut cat_words = Words::new();
    for (ci, c) in file.categories.iter().enumerate() {
        let key = format!("categories[{ci}]");
        b.words(&mut cat_words, &format!("{key}.strong"), &c.strong, (ci, 3))?;
        b.words(&mut cat_words, &format!("{key}.words"), &c.words, (ci, 2))?;
        b.words(&mut cat_words, &format!("{key}.weak"), &c.weak, (ci, 1))?;
        b.patterns(
            &format!("{key}.patterns"),
            &c.patterns,
            Target::Category(ci),
        )?;
    }

    let mut signals = Vec::new();
    let mut sig_words = Words::new();
    let sections = [("cues", &file.cues, 1), ("chitchat", &file.chitchat, -1)];
    for (section, list, sign) in sections {
        for (i, s) in list.iter().enumerate() {
            let key = format!("{section}[{i}]");
            let name = s.name.get_ref().trim();
            if name.is_empty() {
                return Err(b.value(format!("{key}.name"), &s.name, "a name may not be empty"));
            }
            if s.weight < 0 {
                let w = Text::new(s.name.span(), s.weight.to_string());
                return Err(b.value(
                    format!("{key}.weight"),
                    &w,
                    "write the weight as zero or more",
                ));
            }
            let si = signals.len();
            let label = format!("{}:{name}", if sign > 0 { "cue" } else { "chitchat" });
            signals.push(Signal {
                label,
                weight: sign * s.weight,
            });
            b.words(&mut sig_words, &format!("{key}.words"), &s.words, si)?;
            b.patterns(&format!("{key}.patterns"), &s.patterns, Target::Signal(si))?;
        }
    }

    let mut urgent = Vec::new();
    let mut urg_words = Words::new();
    for (i, u) in file.urgent.iter().enumerate() {
        let key = format!("urgent[{i}]");
        let category = match &u.category {
            None => None,
            Some(t) => Some(find(t.get_ref()).ok_or_else(|| {
                b.value(format!("{key}.category"), t, "no category has this code")
            })?),
        };
        urgent.push(Urgent {
            kind: u.kind,
            category,
        });
        b.words(&mut urg_words, &format!("{key}.words"), &u.words, i)?;
        b.patterns(&format!("{key}.patterns"), &u.patterns, Target::Urgent(i))?;
        b.patterns(&format!("{key}.unless"), &u.unless, Target::Unless(i))?;
    }
    b.patterns(
        "intake.urgent_unless",
        &file.intake.urgent_unless,
        Target::UnlessAll,
    )?;

    let fb = &file.intake.fallback_category;
    let fallback = find(fb.get_ref()).ok_or_else(|| {
        b.value(
            "intake.fallback_category".into(),
            fb,
            "no category has this code",
        )
    })?;

    let mut places = Vec::new();
    let mut place_words = Words::new();
    for (i, p) in file.places.iter().enumerate() {
        let key = format!("places[{i}]");
        b.words(&mut place_words, &format!("{key}.words"), &p.words, i)?;
        let mut regexes = Vec::new();
        for (j, t) in p.patterns.iter().enumerate() {
            regexes.push(b.regex(&format!("{key}.patterns[{j}]"), t)?);
        }
        places.push(Place {
            name: p.name.get_ref().trim().to_string(),
            label: p.label.as_ref().map(|l| l.get_ref().clone()),
            regexes,
        });
    }

    let pattern_set = RegexSetBuilder::new(&b.sources)
        .size_limit(1 << 24)
        .dfa_size_limit(1 << 24)
        .build()
        .map_err(|e| RulesError::Syntax {
            line: 1,
            message: format!("the patterns together are too big: {}", short_reason(&e)),
        })?;
    let (cat_words, cat_targets) = cat_words.build()?;
    let (sig_words, sig_targets) = sig_words.build()?;
    let (urg_words, urg_targets) = urg_words.build()?;
    let (place_words, place_targets) = place_words.build()?;
    let place_targets = place_targets.into_iter().map(|t| t[0]).collect();
    Ok(Rules {
        threshold: file.intake.threshold,
        category_weight: file.intake.category_weight,
        category_min_score: file.intake.category_min_score,
        strong_topic_score: file.intake.strong_topic_score,
        strong_topic_weight: file.intake.strong_topic_weight,
        urgent_category_weight: file.intake.urgent_category_weight,
        fallback,
        categories,
        urgent,
        signals,
        places,
        cat_words,
        cat_targets,
        sig_words,
        sig_targets,
        urg_words,
        urg_targets,
        place_words,
        place_targets,
        pattern_set,
        patterns: b.patterns,
    })
}

fn categories(b: &Builder, list: &[CategoryFile]) -> Result<Vec<Category>, RulesError> {
    let mut out: Vec<Category> = Vec::new();
    for (i, c) in list.iter().enumerate() {
        let key = format!("categories[{i}]");
        let code = c.code.get_ref().trim();
        if code.is_empty() || code.chars().any(|ch| ch.is_whitespace() || ch == ':') {
            let problem = "a code is one word without spaces or colons";
            return Err(b.value(format!("{key}.code"), &c.code, problem));
        }
        if out.iter().any(|o| o.code == code) {
            return Err(b.value(format!("{key}.code"), &c.code, "this code is used twice"));
        }
        let name = c.name.get_ref().trim();
        if name.is_empty() {
            return Err(b.value(format!("{key}.name"), &c.name, "a name may not be empty"));
        }
        if out.iter().any(|o| o.name == name) {
            return Err(b.value(format!("{key}.name"), &c.name, "this name is used twice"));
        }
        out.push(Category {
            code: code.to_string(),
            name: name.to_string(),
            template: c.template.as_ref().map(|t| t.get_ref().trim().to_string()),
        });
    }
    Ok(out)
}
