//! Judgement and rules-file tests (location and masking are tested beside their code).

use super::*;

#[test]
fn builtin_rules_compile() {
    let rules = Rules::builtin();
    assert!(rules.categories().len() > 10);
}

#[test]
#[ignore]
fn tmp_profile() {
    let rules = Rules::builtin();
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/corpus/messages.tsv"
    ))
    .unwrap();
    let texts: Vec<&str> = src
        .lines()
        .skip(1)
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    let n = 500;
    let t = std::time::Instant::now();
    let mut k = 0;
    for _ in 0..n {
        for x in &texts {
            k += rules.cat_words.find_iter(*x).count()
                + rules.sig_words.find_iter(*x).count()
                + rules.urg_words.find_iter(*x).count();
        }
    }
    println!("ac {:?}", t.elapsed() / (n * texts.len()) as u32);
    let t = std::time::Instant::now();
    for _ in 0..n {
        for x in &texts {
            k += rules.pattern_set.matches(x).iter().count();
        }
    }
    println!("set {:?}", t.elapsed() / (n * texts.len()) as u32);
    let t = std::time::Instant::now();
    for _ in 0..n {
        for x in &texts {
            k += location::find_address(x).map_or(0, |s| s.len());
        }
    }
    println!("addr {:?}", t.elapsed() / (n * texts.len()) as u32);
    let t = std::time::Instant::now();
    for _ in 0..n {
        for x in &texts {
            k += judge::place(&rules, x).map_or(0, |s| s.len());
        }
    }
    println!("place {:?}", t.elapsed() / (n * texts.len()) as u32);
    for i in 0..4 {
        let t = std::time::Instant::now();
        for _ in 0..n { for x in &texts { k += location::tmp_parts(x, i); } }
        println!("part{i} {:?}", t.elapsed() / (n * texts.len()) as u32);
    }
    println!("{k} patterns={}", rules.patterns.len());
}
