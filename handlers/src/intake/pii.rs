//! Masking of phone and ID-card numbers for alerts, digests and exports (SPEC §2).
//!
//! - mobile `13800005566` (also `138-0000-5566`, `138 0000 5566`, `+86…`) → `138****5566`;
//! - ID card, 18 characters, the last may be `X` → first 6 + `********` + last 4;
//! - landline with area code `0537-2345678` → `0537-***5678` (area code and last 4 kept).
//!
//! Digits are read as whole runs, so a long order number is never half-masked.

/// The text with every mobile, ID-card and landline number masked.
pub fn mask_pii(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_alphanumeric()) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let (masked, used) = mask_at(&chars[i..]);
        match masked {
            Some(m) => out.push_str(&m),
            None => out.extend(&chars[i..i + used]),
        }
        i += used;
    }
    out
}

/// Length of the digit run at the start.
fn digits(s: &[char]) -> usize {
    s.iter().take_while(|c| c.is_ascii_digit()).count()
}

fn is_sep(c: char) -> bool {
    matches!(c, '-' | ' ' | '－' | ')' | '）')
}

fn is_mobile(d: &[char]) -> bool {
    d.len() == 11 && d[0] == '1' && ('3'..='9').contains(&d[1])
}

fn stars(n: usize) -> String {
    "*".repeat(n)
}

/// Masks the number starting at `s[0]` (a digit); returns the masked text, if any, and
/// how many chars were consumed.
fn mask_at(s: &[char]) -> (Option<String>, usize) {
    let n = digits(s);
    let run = &s[..n];
    let after = s.get(n).copied();
    let ends_clean = |at: usize| s.get(at).is_none_or(|c| !c.is_ascii_alphanumeric());
    let text = |d: &[char]| d.iter().collect::<String>();
    // ID card: 18 digits, or 17 digits and X.
    if n == 17 && matches!(after, Some('X' | 'x')) && ends_clean(18) {
        let id = &s[..18];
        return (
            Some(format!("{}{}{}", text(&id[..6]), stars(8), text(&id[14..]))),
            18,
        );
    }
    if n == 18 {
        return (
            Some(format!(
                "{}{}{}",
                text(&run[..6]),
                stars(8),
                text(&run[14..])
            )),
            18,
        );
    }
    if n == 11 && is_mobile(run) && ends_clean(n) {
        return (
            Some(format!("{}****{}", text(&run[..3]), text(&run[7..]))),
            11,
        );
    }
    if n == 13 && run[..2] == ['8', '6'] && is_mobile(&run[2..]) {
        return (
            Some(format!("86{}****{}", text(&run[2..5]), text(&run[9..]))),
            13,
        );
    }
    // 138-0000-5566 / 138 0000 5566
    if n == 3
        && is_mobile(&[run, &['0'; 8]].concat())
        && let Some((a, b)) = split_groups(s, 3, &[4, 4])
    {
        let masked = format!("{}{}****{}{}", text(run), s[3], s[a - 1], text(&s[a..b]));
        return (Some(masked), b);
    }
    // Landline: 0537-2345678, (0537)2345678, 05372345678.
    if run.first() == Some(&'0') {
        if (3..=4).contains(&n) && after.is_some_and(is_sep) {
            let m = digits(&s[n + 1..]);
            if (7..=8).contains(&m) && ends_clean(n + 1 + m) {
                let local = &s[n + 1..n + 1 + m];
                let masked = format!(
                    "{}{}{}{}",
                    text(run),
                    s[n],
                    stars(m - 4),
                    text(&local[m - 4..])
                );
                return (Some(masked), n + 1 + m);
            }
        }
        if (10..=12).contains(&n) && ends_clean(n) {
            return (
                Some(format!(
                    "{}{}{}",
                    text(&run[..4]),
                    stars(n - 8),
                    text(&run[n - 4..])
                )),
                n,
            );
        }
    }
    (None, n.max(1))
}

/// After a first group of `first` digits, groups of the given sizes each led by one
/// separator; returns (start, end) of the last group.
fn split_groups(s: &[char], first: usize, sizes: &[usize]) -> Option<(usize, usize)> {
    let mut at = first;
    let mut last = (at, at);
    for &size in sizes {
        if !s.get(at).is_some_and(|&c| c == '-' || c == ' ') {
            return None;
        }
        let n = digits(&s[at + 1..]);
        if n != size {
            return None;
        }
        last = (at + 1, at + 1 + n);
        at += 1 + n;
    }
    s.get(at)
        .is_none_or(|c| !c.is_ascii_alphanumeric())
        .then_some(last)
}

#[cfg(test)]
mod tests {
    use super::mask_pii;

    #[test]
    fn phones_and_id_cards_are_masked() {
        let cases = [
            ("我电话13800005566", "我电话138****5566"),
            ("联系13800005566。", "联系138****5566。"),
            ("+8613800005566", "+86138****5566"),
            ("138-0000-5566", "138-****-5566"),
            ("138 0000 5566 找我", "138 **** 5566 找我"),
            ("身份证370802199001011234", "身份证370802********1234"),
            ("37080219900101123X", "370802********123X"),
            ("座机0537-2345678", "座机0537-***5678"),
            ("(0537)2345678", "(0537)***5678"),
            ("05372345678", "0537***5678"),
        ];
        for (raw, want) in cases {
            assert_eq!(mask_pii(raw), want, "{raw}");
        }
    }

    #[test]
    fn other_numbers_are_left_alone() {
        let cases = [
            "3号楼2单元501",
            "订单号123456789012",
            "鲁H6K351",
            "10斤58元",
            "电梯应急电话96333",
            "23800005566",
            "1380000556677",
        ];
        for raw in cases {
            assert_eq!(mask_pii(raw), raw);
        }
    }
}
