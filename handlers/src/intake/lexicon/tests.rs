use super::*;

/// Every occurrence the slow way: each entry at each character, ASCII case aside.
fn reference(entries: &[(&str, Entry)], text: &str) -> (Vec<(usize, usize, usize)>, Vec<u32>) {
    let (mut hits, mut sets) = (Vec::new(), Vec::new());
    for (start, _) in text.char_indices() {
        let mut here = Vec::new();
        for &(entry, what) in entries {
            let end = start + entry.len();
            if !text
                .get(start..end)
                .is_some_and(|s| s.eq_ignore_ascii_case(entry))
            {
                continue;
            }
            match what {
                Entry::Word(w) => here.push((start, end, w)),
                Entry::Literal(l) => sets.push(l as u32),
            }
        }
        here.sort_by_key(|&(_, end, _)| std::cmp::Reverse(end));
        hits.extend(here);
    }
    (hits, sets)
}

#[test]
fn finds_every_occurrence_longest_first_per_start() {
    let words = ["电梯", "电梯门", "梯", "Wifi", "门", "a", "ab", "b😀"];
    let mut entries: Vec<(&str, Entry)> = (words.iter().enumerate())
        .map(|(i, w)| (*w, Entry::Word(i)))
        .collect();
    entries.extend([("梯门", Entry::Literal(1)), ("A", Entry::Literal(0))]);
    let lex = Lexicon::build(&entries);
    let search = |text: &str| {
        let (mut hits, mut sets) = (Vec::new(), Vec::new());
        lex.search(text, &mut Vec::new(), &mut hits, &mut sets);
        sets.sort_unstable();
        (hits, sets)
    };
    let text = "电梯门坏了 WIFI没有";
    let (hits, sets) = search(text);
    let found: Vec<&str> = hits.iter().map(|&(s, e, _)| &text[s..e]).collect();
    assert_eq!(found, ["电梯门", "电梯", "梯", "门", "WIFI"]);
    assert_eq!((hits[0].2, sets), (1, vec![1]));
    let alphabet: Vec<char> = "电梯门aAbB😀 x".chars().collect();
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    for _ in 0..5_000 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let text: String = (0..(seed >> 60))
            .map(|k| alphabet[((seed >> (4 * k)) % alphabet.len() as u64) as usize])
            .collect();
        let (hits, mut sets) = reference(&entries, &text);
        sets.sort_unstable();
        assert_eq!(search(&text), (hits, sets), "{text:?}");
    }
}
