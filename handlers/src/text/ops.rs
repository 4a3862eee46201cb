//! Retention and `/forget` (个人信息保护): what replaces cleared words, and what the
//! resident is told.

/// Stands where a resident's words, name or a note were before they were cleared.
pub const PURGED: &str = "[已清除]";

/// The answer to `/forget`: how many closed petitions were cleared, and what is still open.
pub fn forgotten(cleared: usize, active: usize) -> String {
    let mut s = match cleared {
        0 => "您没有已关闭的诉求需要清除个人信息。".to_string(),
        n => format!(
            "已清除您 {n} 件已关闭诉求中的个人信息（留言内容、姓名、处理记录中的文字）。\
             诉求编号、类别、时间等统计数据保留，不含您的个人信息。"
        ),
    };
    if active > 0 {
        s.push_str(&format!(
            "\n您还有 {active} 件诉求正在办理或等待评价，为便于处理暂时保留；办结关闭后可再次发送 /forget 清除。"
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_names_what_was_cleared_and_what_waits() {
        let cases = [
            (0, 0, "没有已关闭的诉求", None),
            (2, 0, "已清除您 2 件", None),
            (0, 1, "没有已关闭的诉求", Some("还有 1 件")),
            (3, 2, "已清除您 3 件", Some("再次发送 /forget")),
        ];
        for (cleared, active, first, then) in cases {
            let s = forgotten(cleared, active);
            assert!(s.contains(first), "{cleared}/{active}: {s}");
            match then {
                Some(t) => assert!(s.contains(t), "{cleared}/{active}: {s}"),
                None => assert!(!s.contains("还有"), "{cleared}/{active}: {s}"),
            }
        }
    }
}
