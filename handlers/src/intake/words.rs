//! The words of every section, gathered into one Aho-Corasick automaton.

use super::Word;
use super::error::RulesError;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::collections::HashMap;

/// The words of all sections; the same word may count for several things.
pub(super) struct Words {
    words: Vec<String>,
    targets: Vec<Vec<Word>>,
    index: HashMap<String, usize>,
}

impl Words {
    pub(super) fn new() -> Self {
        Words {
            words: Vec::new(),
            targets: Vec::new(),
            index: HashMap::new(),
        }
    }

    pub(super) fn add(&mut self, word: &str, target: Word) {
        let key = word.to_ascii_lowercase();
        let i = *self.index.entry(key).or_insert_with(|| {
            self.words.push(word.to_string());
            self.targets.push(Vec::new());
            self.words.len() - 1
        });
        // a word listed twice for one category counts once
        let same = |t: &Word| match (t, &target) {
            (Word::Category(a, _), Word::Category(b, _)) => a == b,
            (a, b) => a == b,
        };
        if !self.targets[i].iter().any(same) {
            self.targets[i].push(target);
        }
    }

    pub(super) fn build(self) -> Result<(AhoCorasick, Vec<Vec<Word>>), RulesError> {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            // a full DFA (a megabyte or two for a thousand words) is the fastest search
            .kind(Some(AhoCorasickKind::DFA))
            .prefilter(false)
            .build(&self.words)
            .map_err(|e| RulesError::Syntax {
                line: 1,
                message: format!("too many words: {e}"),
            })?;
        Ok((ac, self.targets))
    }
}
