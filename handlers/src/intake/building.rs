//! The building pattern of `location.rs`, matched by hand: a building number and its
//! suffix, then optionally a unit, a floor and a room —
//!
//! ```text
//! (?P<b>NUM)\s?(?P<bs>号楼|[#＃]楼?|栋楼?|幢楼?|号)
//! (?:\s?(?P<u>NUM|[东西南北中])\s?单元|\s?(?P<ud>NUM)门)?
//! (?:\s?(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s?(?:楼|层))?
//! (?:\s?(?P<r>[0-9０-９]{3,4})(?:室|号)?)?
//! ```
//!
//! with `NUM` = `[0-9０-９]{1,3}|[零〇一二三四五六七八九十百]{1,4}` — the leftmost-first matches
//! and groups of this regex, found in a fraction of the time its capture search takes (the
//! tests hold the two to each other). Every part after the suffix may be empty, so the
//! first way each part matches is the one taken; no part begins with a space or with a
//! character of the part before it, so each `\s?` takes a space if there is one and each
//! run of digits or numerals is taken whole (or the part fails if it is too long).

/// A match of an address pattern: byte ranges of the whole and of its groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Groups {
    pub all: (usize, usize),
    pub b: Option<(usize, usize)>,
    pub bs: Option<(usize, usize)>,
    pub u: Option<(usize, usize)>,
    pub ud: Option<(usize, usize)>,
    pub r: Option<(usize, usize)>,
}

/// The matches of the building pattern in `text`, left to right, not overlapping.
pub(super) fn buildings(text: &str) -> impl Iterator<Item = Groups> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        for (i, c) in text[from..].char_indices() {
            if !(is_digit(c) || is_numeral(c)) {
                continue;
            }
            if let Some(g) = building_at(text, from + i) {
                from = g.all.1;
                return Some(g);
            }
        }
        from = text.len();
        None
    })
}

/// The match starting at `start`, if there is one.
fn building_at(text: &str, start: usize) -> Option<Groups> {
    let b = num(text, start)?;
    let at = space(text, b);
    let bs = suffix(text, at)?;
    let mut g = Groups {
        b: Some((start, b)),
        bs: Some((at, bs)),
        ..Groups::default()
    };
    let mut at = bs;
    if let Some((u, end)) = unit(text, at) {
        g.u = Some(u);
        at = end;
    } else if let Some((ud, end)) = unit_gate(text, at) {
        g.ud = Some(ud);
        at = end;
    }
    if let Some(end) = floor(text, at) {
        at = end;
    }
    if let Some((r, end)) = room(text, at) {
        g.r = Some(r);
        at = end;
    }
    g.all = (start, at);
    Some(g)
}

/// `[0-9０-９]`
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// `[零〇一二三四五六七八九十百]`
fn is_numeral(c: char) -> bool {
    matches!(c, '零' | '〇' | '百') || is_floor_numeral(c)
}

/// `[一二三四五六七八九十]`
fn is_floor_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// After `\s?` at `at`.
fn space(text: &str, at: usize) -> usize {
    match text[at..].chars().next() {
        Some(c) if c.is_whitespace() => at + c.len_utf8(),
        _ => at,
    }
}

/// The end of a whole run of 1 to `max` characters of `class` at `at`.
fn run(text: &str, at: usize, max: usize, class: fn(char) -> bool) -> Option<usize> {
    let mut end = at;
    for (n, c) in text[at..].chars().enumerate() {
        if !class(c) {
            break;
        }
        if n == max {
            return None;
        }
        end += c.len_utf8();
    }
    (end > at).then_some(end)
}

/// `NUM`, followed by something that is neither a digit nor a numeral.
fn num(text: &str, at: usize) -> Option<usize> {
    run(text, at, 3, is_digit).or_else(|| run(text, at, 4, is_numeral))
}

/// `号楼|[#＃]楼?|栋楼?|幢楼?|号`
fn suffix(text: &str, at: usize) -> Option<usize> {
    let rest = &text[at..];
    if rest.starts_with("号楼") {
        return Some(at + "号楼".len());
    }
    let c = rest.chars().next()?;
    let end = at + c.len_utf8();
    match c {
        '#' | '＃' | '栋' | '幢' if text[end..].starts_with('楼') => {
            Some(end + '楼'.len_utf8())
        }
        '#' | '＃' | '栋' | '幢' | '号' => Some(end),
        _ => None,
    }
}

/// `\s?(?P<u>NUM|[东西南北中])\s?单元`: (u, end).
fn unit(text: &str, at: usize) -> Option<((usize, usize), usize)> {
    let at = space(text, at);
    let u = num(text, at).or_else(|| {
        let c = text[at..].chars().next()?;
        matches!(c, '东' | '西' | '南' | '北' | '中').then(|| at + c.len_utf8())
    })?;
    let after = space(text, u);
    text[after..]
        .starts_with("单元")
        .then(|| ((at, u), after + "单元".len()))
}

/// `\s?(?P<ud>NUM)门`: (ud, end).
fn unit_gate(text: &str, at: usize) -> Option<((usize, usize), usize)> {
    let at = space(text, at);
    let ud = num(text, at)?;
    text[ud..]
        .starts_with('门')
        .then(|| ((at, ud), ud + '门'.len_utf8()))
}

/// `\s?(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s?(?:楼|层)`: the end.
fn floor(text: &str, at: usize) -> Option<usize> {
    let at = space(text, at);
    let n = run(text, at, 2, is_digit).or_else(|| run(text, at, 3, is_floor_numeral))?;
    let after = space(text, n);
    text[after..]
        .starts_with(['楼', '层'])
        .then(|| after + '楼'.len_utf8())
}

/// `\s?(?P<r>[0-9０-９]{3,4})(?:室|号)?`: (r, end).
fn room(text: &str, at: usize) -> Option<((usize, usize), usize)> {
    let at = space(text, at);
    let mut r = at;
    let mut n = 0;
    for c in text[at..].chars().take(4) {
        if !is_digit(c) {
            break;
        }
        r += c.len_utf8();
        n += 1;
    }
    if n < 3 {
        return None;
    }
    let end = match text[r..].chars().next() {
        Some(c @ ('室' | '号')) => r + c.len_utf8(),
        _ => r,
    };
    Some(((at, r), end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    /// The regex the hand matcher stands for.
    fn oracle() -> Regex {
        const NUM: &str = "[0-9０-９]{1,3}|[零〇一二三四五六七八九十百]{1,4}";
        let unit = format!(r"(?:\s?(?P<u>{NUM}|[东西南北中])\s?单元|\s?(?P<ud>{NUM})门)?");
        let floor = r"(?:\s?(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s?(?:楼|层))?";
        let room = r"(?:\s?(?P<r>[0-9０-９]{3,4})(?:室|号)?)?";
        let re = format!(r"(?P<b>{NUM})\s?(?P<bs>号楼|[#＃]楼?|栋楼?|幢楼?|号){unit}{floor}{room}");
        Regex::new(&re).expect("valid")
    }

    fn by_regex(re: &Regex, text: &str) -> Vec<Groups> {
        let span = |m: Option<regex::Match>| m.map(|m| (m.start(), m.end()));
        re.captures_iter(text)
            .map(|c| Groups {
                all: span(c.get(0)).unwrap_or_default(),
                b: span(c.name("b")),
                bs: span(c.name("bs")),
                u: span(c.name("u")),
                ud: span(c.name("ud")),
                r: span(c.name("r")),
            })
            .collect()
    }

    #[test]
    fn spaces_are_what_the_regex_calls_spaces() {
        let re = Regex::new(r"^\s$").expect("valid");
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(
                re.is_match(c.encode_utf8(&mut [0; 4])),
                c.is_whitespace(),
                "{c:?}"
            );
        }
    }

    #[test]
    fn matches_as_the_regex_does() {
        let re = oracle();
        let written = [
            "3号楼2单元501",
            "三号楼一单元201室",
            "6#楼2单元1101室",
            "13#1单元",
            "5栋1门",
            "7栋2门301",
            "3号楼1门口停着车",
            "3号楼2单元 5楼 502",
            "十号楼二单元一楼",
            "1234号楼",
            "十二三四五号楼 东 单元",
            "3 号 2 单元 12 层 5012号",
            "周六3号 下午2点 ５号楼３０１",
        ];
        for text in written {
            assert_eq!(
                buildings(text).collect::<Vec<_>>(),
                by_regex(&re, text),
                "{text}"
            );
        }
        // and many made-up texts of the characters that matter
        let alphabet: Vec<char> =
            "0123456789０５９一二三十百零〇号楼栋幢#＃单元门层室东西中口卫 \u{3000}\t的了a"
                .chars()
                .collect();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..30_000 {
            let len = (next() % 14) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            assert_eq!(
                buildings(&text).collect::<Vec<_>>(),
                by_regex(&re, &text),
                "{text:?}"
            );
        }
    }
}
