//! One message → a [`Judgement`], in the four steps documented at the top of
//! `rules/default.toml`: urgency, needs-an-answer score, category, location.

use super::{Judgement, Rules, Target, location};

/// What one pass over the text found.
struct Scan {
    /// Per category: (points, byte offset of its first word).
    cat: Vec<(i32, usize)>,
    sig: Vec<bool>,
    urg: Vec<bool>,
    unless: Vec<bool>,
    unless_all: bool,
    matched: Vec<String>,
}

fn scan(rules: &Rules, text: &str, record: bool) -> Scan {
    let mut s = Scan {
        cat: vec![(0, usize::MAX); rules.categories.len()],
        sig: vec![false; rules.signals.len()],
        urg: vec![false; rules.urgent.len()],
        unless: vec![false; rules.urgent.len()],
        unless_all: false,
        matched: Vec::new(),
    };
    let mut seen = Vec::new();
    for m in rules.urg_words.find_iter(text) {
        for &u in &rules.urg_targets[m.pattern().as_usize()] {
            if !s.urg[u] && record {
                let kind = rules.urgent[u].kind.code();
                s.matched
                    .push(format!("urgent:{kind}:{}", &text[m.range()]));
            }
            s.urg[u] = true;
        }
    }
    for m in rules.sig_words.find_iter(text) {
        for &i in &rules.sig_targets[m.pattern().as_usize()] {
            if !s.sig[i] && record {
                s.matched
                    .push(format!("{}:{}", rules.signals[i].label, &text[m.range()]));
            }
            s.sig[i] = true;
        }
    }
    for m in rules.cat_words.find_iter(text) {
        let p = m.pattern().as_u32();
        if seen.contains(&p) {
            continue;
        }
        seen.push(p);
        for &(c, points) in &rules.cat_targets[p as usize] {
            let (score, first) = &mut s.cat[c];
            *score += points;
            *first = (*first).min(m.start());
            if record {
                let code = &rules.categories[c].code;
                s.matched
                    .push(format!("category:{code}:{}", &text[m.range()]));
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
        location: place(rules, text),
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
        if c == '[' {
            if let Some(close) = chars.clone().take(8).position(|c| c == ']') {
                chars.nth(close);
                continue;
            }
        }
        if c.is_alphanumeric() {
            return true;
        }
    }
    false
}

/// A building address first; else the named place mentioned first.
pub(super) fn place(rules: &Rules, text: &str) -> Option<String> {
    if let Some(a) = location::find_address(text) {
        return Some(a);
    }
    let mut best: Option<(usize, String)> = rules.place_words.find(text).map(|m| {
        (
            m.start(),
            rules.places[rules.place_targets[m.pattern().as_usize()]]
                .name
                .clone(),
        )
    });
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
