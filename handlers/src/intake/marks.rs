//! The marks of an address (`#`, `栋`, `号楼`, `单元`, `3-2` …): a text without any names no
//! building, so the address patterns of `location.rs` need not run. A judgement gets the
//! marks from the lexicon's one pass over the text; [`Marks::of`] finds them alone.

/// Which of the address patterns a text can match at all.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Marks {
    /// `#` or `＃`.
    pub hash: bool,
    /// `栋` or `幢`.
    pub counted: bool,
    /// `号`, and `号楼`.
    pub number: bool,
    pub numbered_building: bool,
    /// `单元`.
    pub unit: bool,
    /// An ASCII digit, `-`, an ASCII digit.
    pub dash: bool,
}

impl Marks {
    /// The marks of `text`.
    pub(super) fn of(text: &str) -> Marks {
        let dash = (text.as_bytes().windows(3))
            .any(|w| w[0].is_ascii_digit() && w[1] == b'-' && w[2].is_ascii_digit());
        Marks {
            hash: text.contains(['#', '＃']),
            counted: text.contains(['栋', '幢']),
            number: text.contains('号'),
            numbered_building: text.contains("号楼"),
            unit: text.contains("单元"),
            dash,
        }
    }

    /// The literals of each mark, in the order of [`Marks::found`], for the lexicon.
    pub(super) fn literals() -> Vec<Vec<String>> {
        let words = |w: &[&str]| w.iter().map(|w| w.to_string()).collect();
        let digits = (b'0'..=b'9').map(char::from);
        let dashes = digits
            .clone()
            .flat_map(|a| digits.clone().map(move |b| format!("{a}-{b}")));
        vec![
            words(&["#", "＃"]),
            words(&["栋", "幢"]),
            words(&["号"]),
            words(&["号楼"]),
            words(&["单元"]),
            dashes.collect(),
        ]
    }

    /// The marks from which of the [`Marks::literals`] sets were found.
    pub(super) fn found(found: &[bool]) -> Marks {
        Marks {
            hash: found[0],
            counted: found[1],
            number: found[2],
            numbered_building: found[3],
            unit: found[4],
            dash: found[5],
        }
    }

    /// `号楼|[#＃]|栋|幢|单元|[0-9]-[0-9]`: something like an address is written.
    pub(super) fn any(&self) -> bool {
        self.numbered_building || self.hash || self.counted || self.unit || self.dash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_found_as_written() {
        let m = Marks::of("3#2-501 单元 五号楼");
        assert!(m.hash && m.dash && m.unit && m.number && m.numbered_building && !m.counted);
        assert!(!Marks::of("周六3号 下午2点").any());
        assert!(Marks::of("3号").number);
        assert!(!Marks::of("2024—11").dash);
        assert_eq!(Marks::literals().len(), 6);
    }
}
