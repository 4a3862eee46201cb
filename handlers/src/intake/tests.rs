//! Judgement and rules-file tests (location and masking are tested beside their code).

use super::*;

#[test]
fn builtin_rules_compile() {
    let rules = Rules::builtin();
    assert!(rules.categories().len() > 10);
}
