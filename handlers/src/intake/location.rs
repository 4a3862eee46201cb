//! Building / unit / room numbers, written the many ways residents write them, read into
//! one form: `三号楼一单元201室` → `3号楼1单元201`. Floors (`五楼`) are dropped: a petition
//! is about a door or a stairwell, and `18楼` alone is a floor, never a building.

use regex::{Captures, Regex};
use std::sync::LazyLock;

const NUM: &str = "[0-9０-９]{1,3}|[零〇一二三四五六七八九十百]{1,4}";
const FLOOR: &str = r"(?:\s?(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s?(?:楼|层))?";
const ROOM: &str = r"(?:\s?(?P<r>[0-9０-９]{3,4})(?:室|号)?)?";

/// Cheap test first: most messages name no building or unit at all.
static ANCHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("号楼|[#＃]|栋|幢|单元|[0-9]-[0-9]").expect("the anchor pattern is valid")
});

static BUILDING: LazyLock<Regex> = LazyLock::new(|| {
    // after a building, "2门" is the local way of writing "2单元" ("5栋1门", "3号楼二门")
    let unit = format!(r"(?:\s?(?P<u>{NUM}|[东西南北中])\s?单元|\s?(?P<ud>{NUM})门)?");
    let re = format!(r"(?P<b>{NUM})\s?(?P<bs>号楼|[#＃]楼?|栋楼?|幢楼?|号){unit}{FLOOR}{ROOM}");
    Regex::new(&re).expect("the building pattern is valid")
});

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
    find_address(raw).unwrap_or_else(|| raw.trim().to_string())
}

/// The most precise building/unit/room address in a text (the first of equals).
pub(super) fn find_address(text: &str) -> Option<String> {
    if !ANCHOR.is_match(text) {
        return None;
    }
    let mut best: Option<(usize, usize, String)> = None; // (parts, start, text)
    for re in [&*HASHED, &*BUILDING, &*DASHED, &*UNIT] {
        // `3-2-501` and a unit alone ("二单元") only count when no building is named
        if best.is_some() || (std::ptr::eq(re, &*UNIT) && !text.contains("单元")) {
            break;
        }
        for caps in re.captures_iter(text) {
            let Some((parts, addr)) = address(text, &caps) else {
                continue;
            };
            let start = caps.get(0).map_or(0, |m| m.start());
            let better = match &best {
                None => true,
                Some((p, s, _)) => parts > *p || (parts == *p && start < *s),
            };
            if better {
                best = Some((parts, start, addr));
            }
        }
    }
    best.map(|(_, _, a)| a)
}

fn address(text: &str, caps: &Captures) -> Option<(usize, String)> {
    let mut out = String::new();
    let mut parts = 0;
    if let Some(b) = caps.name("b") {
        let n = number(b.as_str())?;
        let chinese = !b
            .as_str()
            .starts_with(|c: char| c.is_ascii_digit() || is_wide_digit(c));
        let suffix = caps.name("bs").map_or("", |s| s.as_str());
        let counted = suffix.starts_with(['栋', '幢']);
        // "三栋楼" is more often "three buildings" than "building 3".
        if chinese && counted && unit(text, caps).is_none() && caps.name("r").is_none() {
            return None;
        }
        // "3号" alone is a date or a number; "3号2单元" is a building.
        if suffix == "号" && unit(text, caps).is_none() {
            return None;
        }
        out.push_str(&format!("{n}号楼"));
        parts += 1;
    }
    if let Some(u) = unit(text, caps) {
        match u {
            s @ ("东" | "西" | "南" | "北" | "中") => out.push_str(&format!("{s}单元")),
            s => out.push_str(&format!("{}单元", number(s)?)),
        }
        parts += 1;
    }
    if let Some(r) = caps.name("r") {
        let next = text[r.end()..].chars().find(|&c| c != '室' && c != '号');
        let amount = next.is_some_and(|c| c.is_ascii_digit() || NOT_A_ROOM_AFTER.contains(&c));
        if !amount {
            out.extend(r.as_str().chars().map(ascii_digit));
            parts += 1;
        }
    }
    (parts > 0).then_some((parts, out))
}

/// The unit written `2单元` or, after a building, `2门` — but not `2门口` / `2门卫` (a gate).
fn unit<'t>(text: &'t str, caps: &Captures<'t>) -> Option<&'t str> {
    if let Some(u) = caps.name("u") {
        return Some(u.as_str());
    }
    let u = caps.name("ud")?;
    let after = text[u.end()..].strip_prefix('门')?;
    (!after.starts_with(['口', '卫', '外', '前', '面', '市', '店', '岗'])).then_some(u.as_str())
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

/// `12`, `１２`, `十二`, `二十三`, `一百零一` → the number.
fn number(s: &str) -> Option<u32> {
    if s.chars().all(|c| c.is_ascii_digit() || is_wide_digit(c)) {
        return s.chars().map(ascii_digit).collect::<String>().parse().ok();
    }
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|v| v as u32)
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
mod tests {
    use super::*;

    #[test]
    fn building_unit_and_room_are_written_one_way() {
        let cases = [
            ("三号楼", "3号楼"),
            ("3#楼", "3号楼"),
            ("3栋", "3号楼"),
            ("3幢", "3号楼"),
            ("十二号楼", "12号楼"),
            ("二十三号楼一单元", "23号楼1单元"),
            ("３号楼２单元５０１", "3号楼2单元501"),
            ("三号楼一单元201", "3号楼1单元201"),
            ("6#楼2单元1101室", "6号楼2单元1101"),
            ("13#1单元", "13号楼1单元"),
            ("5栋1单元不知道哪家", "5号楼1单元"),
            ("2号楼东单元", "2号楼东单元"),
            ("5栋1门", "5号楼1单元"),
            ("7栋2门301", "7号楼2单元301"),
            ("三号楼二门", "3号楼2单元"),
            ("十号楼二单元一楼", "10号楼2单元"),
            ("11号楼2单元五楼", "11号楼2单元"),
            ("3号楼2单元 5楼 502", "3号楼2单元502"),
            ("1号楼101窗台", "1号楼101"),
            ("二单元", "2单元"),
            ("3号2单元501", "3号楼2单元501"),
            ("住3-2-501 暖气不热", "3号楼2单元501"),
            ("3#2-501", "3号楼2单元501"),
            ("漏水了 12#1-1102 快来", "12号楼1单元1102"),
            ("东门", "东门"),
        ];
        for (raw, want) in cases {
            assert_eq!(normalize_location(raw), want, "{raw}");
        }
    }

    #[test]
    fn floors_counts_prices_and_phones_are_not_addresses() {
        let cases = [
            ("我家住18楼 老人下不了楼", None),
            ("隔着两栋楼都能闻见", None),
            ("三栋楼都停电了", None),
            ("三号楼一单元 电话13800005566", Some("3号楼1单元")),
            ("出闲置跑步机 12号楼 300块", Some("12号楼")),
            ("5号楼 2000元一个月", Some("5号楼")),
            ("402的 漏到我家了 4号楼1单元302", Some("4号楼1单元302")),
            ("周六3号 下午2点", None),
            ("2024-11-28 停水", None),
            ("座机0537-2345678", None),
            ("味儿隔着两栋楼都能闻见 8号楼旁边", Some("8号楼")),
            ("5号楼东门那个垃圾桶", Some("5号楼")),
            ("3号楼1门口停着车", Some("3号楼")),
        ];
        for (text, want) in cases {
            assert_eq!(find_address(text).as_deref(), want, "{text}");
        }
    }

    #[test]
    fn chinese_numbers_read_right() {
        let cases = [
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("九十九", 99),
            ("一百零一", 101),
        ];
        for (s, n) in cases {
            assert_eq!(number(s), Some(n), "{s}");
        }
    }
}
