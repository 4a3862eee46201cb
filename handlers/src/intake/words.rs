//! The words of every section, gathered into one trie (see `lexicon.rs`).

use super::lexicon::{Entry, Lexicon};
use super::{Word, WordInfo};
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

    /// The trie of every word and every literal set (`literals[i]`: the literals of set
    /// `i`), and what each word counts for.
    pub(super) fn build(self, literals: &[Vec<String>]) -> (Lexicon, Vec<WordInfo>, Vec<Word>) {
        let mut entries: Vec<(&str, Entry)> = (self.words.iter())
            .enumerate()
            .map(|(i, w)| (w.as_str(), Entry::Word(i)))
            .collect();
        for (i, set) in literals.iter().enumerate() {
            entries.extend(set.iter().map(|l| (l.as_str(), Entry::Literal(i))));
        }
        let mut infos = Vec::with_capacity(self.targets.len());
        let mut flat = Vec::new();
        for targets in &self.targets {
            let from = flat.len() as u32;
            flat.extend_from_slice(targets);
            let layers = targets.iter().fold(0, |m, t| m | 1 << t.layer());
            let to = flat.len() as u32;
            infos.push(WordInfo { from, to, layers });
        }
        (Lexicon::build(&entries), infos, flat)
    }
}
