//! Intake judgement: from a resident's message to "needs an answer?", a category, an
//! urgency flag and a location (SPEC §2).
//!
//! Everything the judgement knows comes from a rules file (TOML) that a street IT admin can
//! edit without recompiling; `rules/default.toml` is the built-in set and documents the
//! format. [`Rules::from_toml`] compiles a file once (one trie of characters for every word
//! and for the literals each pattern needs) so that [`Rules::judge`] is one pass over the
//! text, a regex search only for the patterns whose literals it found, plus the location
//! patterns, and allocates little beyond the names of what fired (≈350k messages a second
//! on one core for corpus-like messages, release build).

mod building;
mod compile;
mod error;
mod file;
mod judge;
mod lexicon;
mod literals;
mod location;
mod marks;
mod pii;
#[cfg(test)]
mod rate;
mod scan;
#[cfg(test)]
mod tests;
mod words;

use lexicon::Lexicon;
use regex::Regex;
use serde::Serialize;
use std::ops::Range;
use std::sync::LazyLock;

pub use error::RulesError;
pub use location::normalize_location;
pub use pii::mask_pii;

/// The verdict on one message. Serialised as one line of `gridbot classify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Judgement {
    pub needs_answer: bool,
    /// Category code; `None` when the message needs no answer. A message that needs an
    /// answer but names no known topic gets the fallback category (`other`).
    pub category: Option<String>,
    pub urgent: bool,
    /// Normalised location, e.g. `3号楼2单元501`, `东门`.
    pub location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emergency: Option<Emergency>,
    /// Rules that fired, e.g. `chitchat:thanks:谢谢`, `category:elevator:电梯`,
    /// `urgent:fire:着火`, `cue:ask:请问`, `unless:fire:真着火`.
    pub matched: Vec<String>,
}

/// What kind of emergency an urgent message reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Emergency {
    Fire,
    Gas,
    Medical,
    Violence,
    Trapped,
    Flood,
    Electric,
}

impl Emergency {
    /// The public emergency numbers to give the resident.
    ///
    /// Fire, gas leaks, electrical fires, people trapped (lifts, locked rooms) and burst
    /// pipes flooding a home are all jobs of the fire and rescue service (119); the property
    /// and the elevator line 96333 come on top, through the category template. Someone
    /// fainted → 120. A fight → 110 (the police send 120 themselves when someone bleeds).
    pub fn numbers(self) -> &'static [&'static str] {
        match self {
            Emergency::Fire
            | Emergency::Gas
            | Emergency::Electric
            | Emergency::Trapped
            | Emergency::Flood => &["119"],
            Emergency::Medical => &["120"],
            Emergency::Violence => &["110"],
        }
    }

    /// The word used in the rules file (`fire`, `gas`, …).
    pub fn code(self) -> &'static str {
        match self {
            Emergency::Fire => "fire",
            Emergency::Gas => "gas",
            Emergency::Medical => "medical",
            Emergency::Violence => "violence",
            Emergency::Trapped => "trapped",
            Emergency::Flood => "flood",
            Emergency::Electric => "electric",
        }
    }
}

/// Compiled intake rules. Build once (at start-up), share, judge many.
#[derive(Debug, Clone)]
pub struct Rules {
    threshold: i32,
    category_weight: i32,
    category_min_score: i32,
    strong_topic_score: i32,
    strong_topic_weight: i32,
    urgent_category_weight: i32,
    fallback: usize,
    categories: Vec<Category>,
    urgent: Vec<Urgent>,
    signals: Vec<Signal>,
    places: Vec<Place>,
    /// Every word of every section in one trie, searched once with overlapping matches;
    /// `words[word]` says what the word counts for. The trie also holds the literals that
    /// patterns need (see `needs`).
    lexicon: Lexicon,
    words: Vec<WordInfo>,
    targets: Vec<Word>,
    /// `[[urgent]] together` rules: (urgent entry, number of word lists).
    together: Vec<(usize, usize)>,
    /// Every pattern of every section in file order; `patterns[i]` says what it is.
    patterns: Vec<Pattern>,
    /// Per pattern (`patterns`, then the place patterns): the sets of literals it needs
    /// (of `literal_sets`, numbered as the lexicon's `Entry::Literal`). A pattern is
    /// searched only when the text holds a literal of each of its sets.
    needs: Vec<Range<usize>>,
    literal_sets: usize,
    /// The pattern of each literal set, and the patterns (of `patterns`) that need none.
    set_pattern: Vec<usize>,
    always: Vec<usize>,
    /// The literal sets from here on are the address marks (`marks.rs`), not patterns'.
    mark_sets: usize,
}

#[derive(Debug, Clone)]
struct Category {
    code: String,
    name: String,
    template: Option<String>,
}

#[derive(Debug, Clone)]
struct Urgent {
    kind: Emergency,
    category: Option<usize>,
}

#[derive(Debug, Clone)]
struct Signal {
    /// `cue:ask` or `chitchat:thanks`.
    label: String,
    /// Signed: cues add, chit-chat subtracts.
    weight: i32,
}

#[derive(Debug, Clone)]
struct Place {
    name: String,
    label: Option<String>,
    /// (pattern, its index in `Rules::needs`).
    regexes: Vec<(Regex, usize)>,
}

#[derive(Debug, Clone)]
struct Pattern {
    regex: Regex,
    target: Target,
}

/// What a word counts for. Within one layer (urgent, signals, categories, places) the
/// longest of overlapping words wins, as if each layer were searched leftmost-longest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    Urgent(usize),
    Signal(usize),
    Category(usize, i32),
    Place(usize),
    /// A word of list `.1` of together-rule `.0`; every occurrence counts.
    Together(usize, usize),
}

impl Word {
    fn layer(self) -> u8 {
        match self {
            Word::Urgent(_) => 0,
            Word::Signal(_) => 1,
            Word::Category(..) => 2,
            Word::Place(_) => 3,
            Word::Together(..) => 4,
        }
    }

    /// The [`WordInfo::layers`] bit of together-rule words.
    const TOGETHER: u8 = 1 << 4;
}

/// What one word counts for: `Rules::targets[from..to]`, and a bit per [`Word::layer`]
/// of those targets.
#[derive(Debug, Clone, Copy)]
struct WordInfo {
    from: u32,
    to: u32,
    layers: u8,
}

impl WordInfo {
    fn targets(self) -> Range<usize> {
        self.from as usize..self.to as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Category(usize),
    Signal(usize),
    Urgent(usize),
    Unless(usize),
    UnlessAll,
}

const BUILTIN: &str = include_str!("../../rules/default.toml");

impl Rules {
    /// The built-in rules (`handlers/rules/default.toml`), compiled once per process
    /// (tens of milliseconds) and then shared: every call after the first is a cheap clone.
    pub fn builtin() -> Rules {
        static COMPILED: LazyLock<Rules> = LazyLock::new(|| match Rules::from_toml(BUILTIN) {
            Ok(rules) => rules,
            // The file is part of the binary and a unit test compiles it.
            Err(e) => panic!("built-in rules are broken: {e}"),
        });
        COMPILED.clone()
    }

    /// Compiles an admin's rules file; the error names the line, key and value at fault.
    pub fn from_toml(src: &str) -> Result<Rules, RulesError> {
        compile::compile(src)
    }

    /// Judges one resident message.
    pub fn judge(&self, text: &str) -> Judgement {
        judge::judge(self, text)
    }

    /// The Chinese name of a category code: `elevator` → `电梯`.
    pub fn category_name(&self, code: &str) -> Option<&str> {
        self.categories
            .iter()
            .find(|c| c.code == code)
            .map(|c| c.name.as_str())
    }

    /// A category code from its code or Chinese name: `电梯` or `elevator` → `elevator`.
    pub fn find_category(&self, code_or_name: &str) -> Option<&str> {
        let key = code_or_name.trim();
        self.categories
            .iter()
            .find(|c| c.code.eq_ignore_ascii_case(key) || c.name == key)
            .map(|c| c.code.as_str())
    }

    /// The standard reply for a category.
    pub fn template(&self, code: &str) -> Option<&str> {
        self.categories
            .iter()
            .find(|c| c.code == code)
            .and_then(|c| c.template.as_deref())
    }

    /// `(code, Chinese name)` of every category, in file order.
    pub fn categories(&self) -> Vec<(&str, &str)> {
        self.categories
            .iter()
            .map(|c| (c.code.as_str(), c.name.as_str()))
            .collect()
    }

    /// The topic of a text even when it needs no answer (the fallback category when none
    /// is named): for `/petition 电梯`, which is never chit-chat.
    pub fn topic(&self, text: &str) -> &str {
        let code = judge::topic(self, text);
        &self.categories[code].code
    }
}
