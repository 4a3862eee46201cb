//! One pass of the lexicon over a text, then the patterns it may match: what fired.
//!
//! A [`Scan`] keeps its buffers from message to message (one per thread), so that judging
//! allocates little beyond what the judgement returns.

use super::{Rules, Target, Word};
use std::cell::RefCell;

/// What one pass over the text found.
#[derive(Default)]
pub(super) struct Scan {
    /// Per category: (points, byte offset of its first word).
    pub cat: Vec<(i32, usize)>,
    pub sig: Vec<bool>,
    pub urg: Vec<bool>,
    pub unless: Vec<bool>,
    pub unless_all: bool,
    /// The named place mentioned first: (offset, place).
    pub place: Option<(usize, usize)>,
    pub matched: Vec<String>,
    /// Per literal set (`Rules::literal_sets`): is one of its literals in the text?
    pub found: Vec<bool>,
    /// (start, end, word) of every word found, overlapping, longest first per start.
    hits: Vec<(usize, usize, usize)>,
    /// Per together-rule: a bit for each of its lists found.
    together: Vec<u8>,
    /// Category words already counted.
    seen: Vec<usize>,
    /// The literal sets found (some twice), and the patterns that may match.
    sets: Vec<u32>,
    maybe: Vec<usize>,
    /// Work space of the lexicon.
    chars: Vec<(u32, usize)>,
}

thread_local! {
    static SCAN: RefCell<Scan> = RefCell::new(Scan::default());
}

/// Scans `text` and hands the result to `then`; `record` fills `Scan::matched`.
pub(super) fn scan<R>(
    rules: &Rules,
    text: &str,
    record: bool,
    then: impl FnOnce(&mut Scan) -> R,
) -> R {
    SCAN.with(|cell| match cell.try_borrow_mut() {
        Ok(mut s) => {
            s.run(rules, text, record);
            then(&mut s)
        }
        // only if `then` judged another message: a scan of its own
        Err(_) => {
            let mut s = Scan::default();
            s.run(rules, text, record);
            then(&mut s)
        }
    })
}

/// Clears `v` to `len` copies of `value`, keeping its allocation.
fn reset<T: Clone>(v: &mut Vec<T>, len: usize, value: T) {
    v.clear();
    v.resize(len, value);
}

impl Scan {
    fn run(&mut self, rules: &Rules, text: &str, record: bool) {
        reset(&mut self.cat, rules.categories.len(), (0, usize::MAX));
        reset(&mut self.sig, rules.signals.len(), false);
        reset(&mut self.urg, rules.urgent.len(), false);
        reset(&mut self.unless, rules.urgent.len(), false);
        reset(&mut self.found, rules.literal_sets, false);
        reset(&mut self.together, rules.together.len(), 0);
        self.unless_all = false;
        self.place = None;
        self.matched = Vec::with_capacity(if record { 16 } else { 0 });
        self.seen.clear();
        let mut hits = std::mem::take(&mut self.hits);
        hits.clear();
        self.sets.clear();
        (rules.lexicon).search(text, &mut self.chars, &mut hits, &mut self.sets);
        self.words(rules, text, &hits, record);
        self.hits = hits;
        self.maybe.clear();
        self.maybe.extend_from_slice(&rules.always);
        for &l in &self.sets {
            let fresh = !std::mem::replace(&mut self.found[l as usize], true);
            if let Some(&p) = rules.set_pattern.get(l as usize).filter(|_| fresh) {
                self.maybe.push(p);
            }
        }
        self.maybe.sort_unstable();
        self.maybe.dedup();
        if !rules.patterns.is_empty() {
            self.patterns(rules, text, record);
        }
    }

    fn words(&mut self, rules: &Rules, text: &str, hits: &[(usize, usize, usize)], record: bool) {
        let mut layers = 0u8;
        for &(_, _, w) in hits {
            let info = rules.words[w];
            layers |= info.layers;
            if info.layers & Word::TOGETHER == 0 {
                continue;
            }
            for t in &rules.targets[info.targets()] {
                if let Word::Together(c, list) = *t {
                    self.together[c] |= 1 << list;
                }
            }
        }
        for (c, &(u, lists)) in rules.together.iter().enumerate() {
            if u32::from(self.together[c]) == (1u32 << lists) - 1 && !self.urg[u] {
                self.urg[u] = true;
                if record {
                    let kind = rules.urgent[u].kind.code();
                    let words = first_words(rules, text, hits, c, lists);
                    self.matched.push(format!("urgent:{kind}:{words}"));
                }
            }
        }
        // within a layer the longest of overlapping words wins
        for layer in 0..4u8 {
            if layers & (1 << layer) == 0 {
                continue;
            }
            let mut free_from = 0;
            for &(start, end, w) in hits {
                if start < free_from {
                    continue;
                }
                let info = rules.words[w];
                if info.layers & (1 << layer) == 0 {
                    continue;
                }
                free_from = end;
                if layer == 2 {
                    if self.seen.contains(&w) {
                        continue;
                    }
                    self.seen.push(w);
                }
                let word = &text[start..end];
                for &t in &rules.targets[info.targets()] {
                    if t.layer() == layer {
                        self.count(rules, t, start, word, record);
                    }
                }
            }
        }
    }

    fn count(&mut self, rules: &Rules, t: Word, start: usize, word: &str, record: bool) {
        let label: [&str; 2] = match t {
            Word::Urgent(u) => {
                if std::mem::replace(&mut self.urg[u], true) {
                    return;
                }
                ["urgent:", rules.urgent[u].kind.code()]
            }
            Word::Signal(i) => {
                if std::mem::replace(&mut self.sig[i], true) {
                    return;
                }
                ["", &rules.signals[i].label]
            }
            Word::Category(c, points) => {
                let (score, first) = &mut self.cat[c];
                *score += points;
                *first = (*first).min(start);
                ["category:", &rules.categories[c].code]
            }
            Word::Place(p) => {
                if self.place.is_none() {
                    self.place = Some((start, p));
                }
                return;
            }
            Word::Together(..) => return,
        };
        if record {
            self.matched.push(join(label, word));
        }
    }

    /// The patterns, in file order, of those whose literals are all in the text.
    fn patterns(&mut self, rules: &Rules, text: &str, record: bool) {
        for k in 0..self.maybe.len() {
            let i = self.maybe[k];
            if i >= rules.patterns.len() || !may_match(rules, &self.found, i) {
                continue;
            }
            let p = &rules.patterns[i];
            // a cue or chit-chat sign counts once: no need to look again
            if let Target::Signal(s) = p.target
                && self.sig[s]
            {
                continue;
            }
            let Some(m) = p.regex.find(text) else {
                continue;
            };
            let label: [&str; 2] = match p.target {
                Target::Category(c) => {
                    let (score, first) = &mut self.cat[c];
                    *score += 2;
                    *first = (*first).min(m.start());
                    ["category:", &rules.categories[c].code]
                }
                Target::Signal(i) => {
                    self.sig[i] = true;
                    ["", &rules.signals[i].label]
                }
                Target::Urgent(u) => {
                    self.urg[u] = true;
                    ["urgent:", rules.urgent[u].kind.code()]
                }
                Target::Unless(u) => {
                    self.unless[u] = true;
                    ["unless:", rules.urgent[u].kind.code()]
                }
                Target::UnlessAll => {
                    self.unless_all = true;
                    ["unless:all", ""]
                }
            };
            if record {
                self.matched.push(join(label, m.as_str()));
            }
        }
    }
}

/// `category:elevator` + `电梯` → `category:elevator:电梯`.
fn join(label: [&str; 2], found: &str) -> String {
    let mut out = String::with_capacity(label[0].len() + label[1].len() + 1 + found.len());
    out.push_str(label[0]);
    out.push_str(label[1]);
    out.push(':');
    out.push_str(found);
    out
}

/// Pattern `i` (of `Rules::needs`) can match: the text holds a literal of each of its sets.
pub(super) fn may_match(rules: &Rules, found: &[bool], i: usize) -> bool {
    found[rules.needs[i].clone()].iter().all(|&f| f)
}

/// `电梯+出不来`: the first word found of each list of together-rule `c`.
fn first_words(
    rules: &Rules,
    text: &str,
    hits: &[(usize, usize, usize)],
    c: usize,
    lists: usize,
) -> String {
    let mut out = String::new();
    for list in 0..lists {
        let hit = hits.iter().find(|h| {
            let info = rules.words[h.2];
            rules.targets[info.targets()].contains(&Word::Together(c, list))
        });
        if let Some(&(start, end, _)) = hit {
            if list > 0 {
                out.push('+');
            }
            out.push_str(&text[start..end]);
        }
    }
    out
}
