//! The literals a pattern cannot match without: a text that contains none of them needs no
//! regex search at all, and most messages contain none for most patterns.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind};

/// Sets of strings such that every match of `pattern` contains a string of each set; no
/// sets when none is known (the pattern is then always searched). The sets are those of
/// the pattern's start, of its end, and the rarest (longest shortest literal, then fewest)
/// of what follows each part of a concatenation.
pub(super) fn needed(pattern: &str) -> Vec<Vec<String>> {
    let Ok(hir) = regex_syntax::parse(pattern) else {
        return Vec::new();
    };
    let mut sets: Vec<Vec<String>> = [ExtractKind::Prefix, ExtractKind::Suffix]
        .into_iter()
        .filter_map(|kind| extract(&hir, kind))
        .collect();
    let mut top = &hir;
    while let HirKind::Capture(c) = top.kind() {
        top = &c.sub;
    }
    if let HirKind::Concat(parts) = top.kind() {
        let rank = |set: &Vec<String>| {
            let shortest = set.iter().map(|s| s.chars().count()).min().unwrap_or(0);
            (shortest, std::cmp::Reverse(set.len()))
        };
        let inner = (1..parts.len())
            .filter_map(|i| extract(&Hir::concat(parts[i..].to_vec()), ExtractKind::Prefix))
            .max_by_key(rank);
        sets.extend(inner);
    }
    for set in &mut sets {
        set.sort();
        set.dedup();
    }
    sets.sort();
    sets.dedup();
    sets
}

/// The literals of one kind, when finite, none empty and all whole characters.
fn extract(hir: &Hir, kind: ExtractKind) -> Option<Vec<String>> {
    let seq = Extractor::new().kind(kind).limit_class(64).extract(hir);
    let lits = seq.literals()?;
    if lits.is_empty() {
        return None;
    }
    lits.iter()
        .map(|l| {
            let s = std::str::from_utf8(l.as_bytes()).ok()?;
            (!s.is_empty()).then(|| s.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_match_contains_a_literal_of_each_set() {
        let sets = |p: &str| {
            needed(p)
                .into_iter()
                .map(|set| set.join("|"))
                .collect::<Vec<_>>()
        };
        assert_eq!(sets("报警器.{0,6}(响|叫)"), ["叫|响", "报警器"]);
        assert_eq!(
            sets("^[^又刚]*(冒|爆)过(回|次)[^又刚]*$"),
            ["冒过回|冒过次|爆过回|爆过次"]
        );
        assert_eq!(sets("停电(了|[^动瓶]|$)"), ["停电"]);
        assert_eq!(sets("a.*b"), ["a", "b"]);
        assert!(sets(".*").is_empty());
        assert!(sets("a?").is_empty());
    }
}
