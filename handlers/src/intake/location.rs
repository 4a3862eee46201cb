//! Building / unit / room numbers, written the many ways residents write them, read into
//! one form: `三号楼一单元201室` → `3号楼1单元201`. Floors (`五楼`) are dropped: a petition
//! is about a door or a stairwell, and `18楼` alone is a floor, never a building.

use super::building::{Groups, buildings};
use super::marks::Marks;
use regex::{Captures, Regex};
use std::sync::LazyLock;

const NUM: &str = "[0-9０-９]{1,3}|[零〇一二三四五六七八九十百]{1,4}";
const FLOOR: &str = r"(?:\s?(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s?(?:楼|层))?";
const ROOM: &str = r"(?:\s?(?P<r>[0-9０-９]{3,4})(?:室|号)?)?";

// The building pattern, `3号楼2单元501`, is matched by hand in `building.rs`: it is in
// most addresses, and its regex's capture search was the dearest step of a judgement.
// After a building, "2门" is the local way of writing "2单元" ("5栋1门", "3号楼二门").

/// `3#2-501`: building `#` unit `-` room.
static HASHED: LazyLock<Regex> = LazyLock::new(|| {
    let re =
        r"(?P<b>[0-9]{1,3})\s?[#＃]\s?(?P<u>[0-9]{1,2})\s?[-－—]\s?(?P<r>[0-9]{3,4})(?:[^0-9-]|$)";
    Regex::new(re).expect("the hashed pattern is valid")
});

/// `3-2-501`: building, unit, room.
static DASHED: LazyLock<Regex> = LazyLock::new(|| {
    let re = r"(?:^|[^0-9-])(?P<b>[0-9]{1,2})-(?P<u>[0-9]{1,2})-(?P<r>[0-9]{3,4})(?:[^0-9-]|$)";
    Regex::new(re).expect("the dashed pattern is valid")
});

static UNIT: LazyLock<Regex> = LazyLock::new(|| {
    let re = format!(r"(?P<u>{NUM}|[东西南北中])\s?单元{FLOOR}{ROOM}");
    Regex::new(&re).expect("the unit pattern is valid")
});

/// Characters that make a number after a building a price or an amount, not a room.
const NOT_A_ROOM_AFTER: &[char] = &[
    '元', '块', '斤', '度', '米', '平', '个', '岁', '年', '月', '日', '天', '次', '人', '辆', '户',
    '家', '分', '秒', '克', '瓶', '箱', '条', '只', '%', '.', ':', '：', '-',
];

/// A location written freely → its normal form; text that names no building or unit
/// comes back trimmed.
pub fn normalize_location(raw: &str) -> String {
    find_address(raw, Marks::of(raw)).unwrap_or_else(|| raw.trim().to_string())
}

/// The most precise building/unit/room address in a text (the first of equals), given
/// the text's [`Marks`].
pub(super) fn find_address(text: &str, marks: Marks) -> Option<String> {
    debug_assert_eq!(marks, Marks::of(text), "{text}");
    // Cheap test first: most messages name no building or unit at all.
    if !marks.any() {
        return None;
    }
    // Each pattern in turn until one names an address (so `3-2-501` and a unit alone,
    // "二单元", only count when no building is named); a pattern cannot match without its
    // mark.
    let mut best = None;
    if marks.hash {
        for caps in HASHED.captures_iter(text) {
            consider(&mut best, text, groups(&caps));
        }
    }
    if best.is_none() && (marks.hash || marks.counted || marks.number) {
        for g in buildings(text) {
            consider(&mut best, text, g);
        }
    }
    for (re, possible) in [(&*DASHED, marks.dash), (&*UNIT, marks.unit)] {
        if best.is_none() && possible {
            for caps in re.captures_iter(text) {
                consider(&mut best, text, groups(&caps));
            }
        }
    }
    best.map(|(_, _, a)| a)
}

/// Keeps the match that names the most parts (the first of equals): (parts, start, text).
fn consider(best: &mut Option<(usize, usize, String)>, text: &str, g: Groups) {
    let Some((parts, addr)) = address(text, &g) else {
        return;
    };
    let start = g.all.0;
    let better = match best {
        None => true,
        Some((p, s, _)) => parts > *p || (parts == *p && start < *s),
    };
    if better {
        *best = Some((parts, start, addr));
    }
}

/// The groups of a regex match.
fn groups(caps: &Captures) -> Groups {
    let span = |name: &str| caps.name(name).map(|m| (m.start(), m.end()));
    Groups {
        all: caps.get(0).map_or((0, 0), |m| (m.start(), m.end())),
        b: span("b"),
        bs: span("bs"),
        u: span("u"),
        ud: span("ud"),
        r: span("r"),
    }
}

fn address(text: &str, g: &Groups) -> Option<(usize, String)> {
    let mut out = String::with_capacity(24);
    let mut parts = 0;
    let part = |span: Option<(usize, usize)>| span.map(|(s, e)| &text[s..e]);
    if let Some(b) = part(g.b) {
        let n = number(b)?;
        let chinese = !b.starts_with(|c: char| c.is_ascii_digit() || is_wide_digit(c));
        let suffix = part(g.bs).unwrap_or("");
        let counted = suffix.starts_with(['栋', '幢']);
        // "三栋楼" is more often "three buildings" than "building 3".
        if chinese && counted && unit(text, g).is_none() && g.r.is_none() {
            return None;
        }
        // "3号" alone is a date or a number; "3号2单元" is a building.
        if suffix == "号" && unit(text, g).is_none() {
            return None;
        }
        push_number(&mut out, n);
        out.push_str("号楼");
        parts += 1;
    }
    if let Some(u) = unit(text, g) {
        match u {
            "东" | "西" | "南" | "北" | "中" => out.push_str(u),
            s => push_number(&mut out, number(s)?),
        }
        out.push_str("单元");
        parts += 1;
    }
    if let Some((start, end)) = g.r {
        let next = text[end..].chars().find(|&c| c != '室' && c != '号');
        let amount = next.is_some_and(|c| c.is_ascii_digit() || NOT_A_ROOM_AFTER.contains(&c));
        if !amount {
            out.extend(text[start..end].chars().map(ascii_digit));
            parts += 1;
        }
    }
    (parts > 0).then_some((parts, out))
}

/// The unit written `2单元` or, after a building, `2门` — but not `2门口` / `2门卫` (a gate).
fn unit<'t>(text: &'t str, g: &Groups) -> Option<&'t str> {
    if let Some((start, end)) = g.u {
        return Some(&text[start..end]);
    }
    let (start, end) = g.ud?;
    let after = text[end..].strip_prefix('门')?;
    (!after.starts_with(['口', '卫', '外', '前', '面', '市', '店', '岗']))
        .then_some(&text[start..end])
}

fn is_wide_digit(c: char) -> bool {
    ('０'..='９').contains(&c)
}

fn ascii_digit(c: char) -> char {
    if is_wide_digit(c) {
        char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c)
    } else {
        c
    }
}

/// `n` in decimal, as `format!("{n}")` writes it.
fn push_number(out: &mut String, n: u32) {
    let mut digits = [0u8; 10];
    let (mut rest, mut at) = (n, digits.len());
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
}

/// `12`, `１２`, `十二`, `二十三`, `一百零一` → the number.
fn number(s: &str) -> Option<u32> {
    if s.chars().all(|c| c.is_ascii_digit() || is_wide_digit(c)) {
        // as `str::parse` reads the digits: none or too many is no number
        let mut n: Option<u32> = None;
        for c in s.chars().map(ascii_digit) {
            let d = c as u32 - '0' as u32;
            n = Some(n.unwrap_or(0).checked_mul(10)?.checked_add(d)?);
        }
        return n;
    }
    let digit = |c: char| {
        let v = match c {
            '零' => 0,
            '一' => 1,
            '二' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        };
        Some(v)
    };
    let (mut total, mut current) = (0u32, 0u32);
    for c in s.chars() {
        match c {
            '〇' => current = 0,
            '十' => {
                total += current.max(1) * 10;
                current = 0;
            }
            '百' => {
                total += current.max(1) * 100;
                current = 0;
            }
            c => current = digit(c)?,
        }
    }
    Some(total + current)
}

#[cfg(test)]
mod tests;
