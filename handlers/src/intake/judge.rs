//! One message → a [`Judgement`], in the four steps documented at the top of
//! `rules/default.toml`: urgency, needs-an-answer score, category, location.

use super::marks::Marks;
use super::scan::{Scan, may_match, scan};
use super::{Judgement, Rules, location};

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
    scan(rules, text, true, |s| verdict(rules, text, s))
}

fn verdict(rules: &Rules, text: &str, s: &mut Scan) -> Judgement {
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
    let mut matched = std::mem::take(&mut s.matched);
    if empty {
        matched.push("chitchat:empty".to_string());
    }
    let urgent = emergency.is_some();
    let needs_answer = urgent || (!empty && score >= rules.threshold);
    let code = |c: usize| rules.categories[c].code.clone();
    Judgement {
        needs_answer,
        category: needs_answer.then(|| code(category.unwrap_or(rules.fallback))),
        urgent,
        location: place(rules, text, s.place, &s.found),
        emergency: emergency.map(|u| rules.urgent[u].kind),
        matched,
    }
}

/// The category a text is about, chit-chat or not (the fallback when none).
pub(super) fn topic(rules: &Rules, text: &str) -> usize {
    scan(rules, text, false, |s| {
        best(rules, &s.cat).unwrap_or(rules.fallback)
    })
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
fn place(
    rules: &Rules,
    text: &str,
    word: Option<(usize, usize)>,
    found: &[bool],
) -> Option<String> {
    let marks = Marks::found(&found[rules.mark_sets..]);
    if let Some(a) = location::find_address(text, marks) {
        return Some(a);
    }
    let mut best = word.map(|(at, p)| (at, rules.places[p].name.clone()));
    for p in &rules.places {
        for (re, i) in &p.regexes {
            if !may_match(rules, found, *i) {
                continue;
            }
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
