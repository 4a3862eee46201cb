//! One message → a [`Judgement`], in the four steps documented at the top of
//! `rules/default.toml`: urgency, needs-an-answer score, category, location.

use super::{Judgement, Rules, Target, Word, location};
use aho_corasick::automaton::OverlappingState;
use std::cmp::Reverse;

/// What one pass over the text found.
struct Scan {
    /// Per category: (points, byte offset of its first word).
    cat: Vec<(i32, usize)>,
    sig: Vec<bool>,
    urg: Vec<bool>,
    unless: Vec<bool>,
    unless_all: bool,
    /// The named place mentioned first: (offset, place).
    place: Option<(usize, usize)>,
    matched: Vec<String>,
}

fn scan(rules: &Rules, text: &str, record: bool) -> Scan {
    let mut s = Scan {
        cat: vec![(0, usize::MAX); rules.categories.len()],
        sig: vec![false; rules.signals.len()],
        urg: vec![false; rules.urgent.len()],
        unless: vec![false; rules.urgent.len()],
        unless_all: false,
        place: None,
        matched: Vec::with_capacity(if record { 16 } else { 0 }),
    };
    // (start, end, word) of every word found, overlapping, then longest first per start.
    let mut hits: Vec<(usize, usize, usize)> = Vec::with_capacity(32);
    let mut state = OverlappingState::start();
    loop {
        rules.words.find_overlapping(text, &mut state);
        let Some(m) = state.get_match() else { break };
        hits.push((m.start(), m.end(), m.pattern().as_usize()));
    }
    hits.sort_unstable_by_key(|&(start, end, _)| (start, Reverse(end)));
    let mut together = vec![0u8; rules.together.len()];
    for &(_, _, p) in &hits {
        for t in &rules.word_targets[p] {
            if let Word::Together(c, list) = *t {
                together[c] |= 1 << list;
            }
        }
    }
    for (c, &(u, lists)) in rules.together.iter().enumerate() {
        if u32::from(together[c]) == (1u32 << lists) - 1 && !s.urg[u] {
            s.urg[u] = true;
            if record {
                let kind = rules.urgent[u].kind.code();
                let words = first_words(rules, text, &hits, c, lists);
                s.matched.push(format!("urgent:{kind}:{words}"));
            }
        }
    }
    let mut seen = Vec::new();
    for layer in 0..4u8 {
        let mut free_from = 0;
        for &(start, end, p) in &hits {
            if start < free_from {
                continue;
            }
            let targets = &rules.word_targets[p];
            if !targets.iter().any(|t| t.layer() == layer) {
                continue;
            }
            free_from = end;
            if layer == 2 {
                if seen.contains(&p) {
                    continue;
                }
                seen.push(p);
            }
            let word = &text[start..end];
            for &t in targets.iter().filter(|t| t.layer() == layer) {
                count(rules, &mut s, t, start, word, record);
            }
        }
    }
    if rules.patterns.is_empty() {
        return s;
    }
    for i in rules.pattern_set.matches(text).iter() {
        let p = &rules.patterns[i];
        let Some(m) = p.regex.find(text) else {
            continue;
        };
        let label = match p.target {
            Target::Category(c) => {
                let (score, first) = &mut s.cat[c];
                *score += 2;
                *first = (*first).min(m.start());
                format!("category:{}", rules.categories[c].code)
            }
            Target::Signal(i) => {
                let fresh = !s.sig[i];
                s.sig[i] = true;
                if !fresh {
                    continue;
                }
                rules.signals[i].label.clone()
            }
            Target::Urgent(u) => {
                s.urg[u] = true;
                format!("urgent:{}", rules.urgent[u].kind.code())
            }
            Target::Unless(u) => {
                s.unless[u] = true;
                format!("unless:{}", rules.urgent[u].kind.code())
            }
            Target::UnlessAll => {
                s.unless_all = true;
                "unless:all".to_string()
            }
        };
        if record {
            s.matched.push(format!("{label}:{}", m.as_str()));
        }
    }
    s
}

fn count(rules: &Rules, s: &mut Scan, t: Word, start: usize, word: &str, record: bool) {
    let label: [&str; 2] = match t {
        Word::Urgent(u) => {
            let fresh = !s.urg[u];
            s.urg[u] = true;
            if !fresh {
                return;
            }
            ["urgent:", rules.urgent[u].kind.code()]
        }
        Word::Signal(i) => {
            let fresh = !s.sig[i];
            s.sig[i] = true;
            if !fresh {
                return;
            }
            ["", &rules.signals[i].label]
        }
        Word::Category(c, points) => {
            let (score, first) = &mut s.cat[c];
            *score += points;
            *first = (*first).min(start);
            ["category:", &rules.categories[c].code]
        }
        Word::Place(p) => {
            if s.place.is_none() {
                s.place = Some((start, p));
            }
            return;
        }
        Word::Together(..) => return,
    };
    if record {
        s.matched.push([label[0], label[1], ":", word].concat());
    }
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
        let hit = hits
            .iter()
            .find(|h| rules.word_targets[h.2].contains(&Word::Together(c, list)));
        if let Some(&(start, end, _)) = hit {
            if list > 0 {
                out.push('+');
            }
            out.push_str(&text[start..end]);
        }
    }
    out
}

/// The winning category, if it scores enough.
fn best(rules: &Rules, cat: &[(i32, usize)]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, &(score, first)) in cat.iter().enumerate() {
        if score < rules.category_min_score.max(1) {
            continue;
        }
        let better = best.is_none_or(|b| {
            let (bs, bf) = cat[b];
            score > bs || (score == bs && first < bf)
        });
        if better {
            best = Some(i);
        }
    }
    best
}

pub(super) fn judge(rules: &Rules, text: &str) -> Judgement {
    let mut s = scan(rules, text, true);
    let emergency = if s.unless_all {
        None
    } else {
        (0..rules.urgent.len()).find(|&u| s.urg[u] && !s.unless[u])
    };
    if let Some(c) = emergency.and_then(|u| rules.urgent[u].category) {
        s.cat[c].0 += rules.urgent_category_weight;
    }
    let category = best(rules, &s.cat);
    let mut score: i32 = (0..rules.signals.len())
        .filter(|&i| s.sig[i])
        .map(|i| rules.signals[i].weight)
        .sum();
    if let Some(c) = category {
        score += if s.cat[c].0 >= rules.strong_topic_score {
            rules.strong_topic_weight
        } else {
            rules.category_weight
        };
    }
    let empty = !has_content(text);
    if empty {
        s.matched.push("chitchat:empty".to_string());
    }
    let urgent = emergency.is_some();
    let needs_answer = urgent || (!empty && score >= rules.threshold);
    let code = |c: usize| rules.categories[c].code.clone();
    Judgement {
        needs_answer,
        category: needs_answer.then(|| code(category.unwrap_or(rules.fallback))),
        urgent,
        location: place(rules, text, s.place),
        emergency: emergency.map(|u| rules.urgent[u].kind),
        matched: s.matched,
    }
}

/// The category a text is about, chit-chat or not (the fallback when none).
pub(super) fn topic(rules: &Rules, text: &str) -> usize {
    let s = scan(rules, text, false);
    best(rules, &s.cat).unwrap_or(rules.fallback)
}

/// Letters or digits outside `[表情]`-style placeholders: emoji and stickers alone are
/// chit-chat.
fn has_content(text: &str) -> bool {
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '['
            && let Some(close) = chars.clone().take(8).position(|c| c == ']')
        {
            chars.nth(close);
            continue;
        }
        if c.is_alphanumeric() {
            return true;
        }
    }
    false
}

/// A building address first; else the named place mentioned first.
fn place(rules: &Rules, text: &str, word: Option<(usize, usize)>) -> Option<String> {
    if let Some(a) = location::find_address(text) {
        return Some(a);
    }
    let mut best = word.map(|(at, p)| (at, rules.places[p].name.clone()));
    for p in &rules.places {
        for re in &p.regexes {
            let Some(caps) = re.captures(text) else {
                continue;
            };
            let start = caps.get(0).map_or(0, |m| m.start());
            if best.as_ref().is_some_and(|(b, _)| *b <= start) {
                continue;
            }
            let label = match &p.label {
                Some(l) => {
                    let mut out = String::new();
                    caps.expand(l, &mut out);
                    out
                }
                None => p.name.clone(),
            };
            best = Some((start, label));
        }
    }
    best.map(|(_, l)| l)
}
