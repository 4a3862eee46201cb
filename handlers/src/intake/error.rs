//! Rules-file mistakes, each with the line it is on.

/// A mistake in a rules file, with the line it is on.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// Not TOML, an unknown key, or a value of the wrong type.
    #[error("rules file line {line}: {message}")]
    Syntax { line: usize, message: String },
    #[error("rules file line {line}: {key}: invalid regex `{value}`: {reason}")]
    Regex {
        line: usize,
        key: String,
        value: String,
        reason: String,
    },
    #[error("rules file line {line}: {key}: {problem}: `{value}`")]
    Value {
        line: usize,
        key: String,
        value: String,
        problem: String,
    },
}

impl RulesError {
    /// The line of the rules file at fault (1-based).
    pub fn line(&self) -> usize {
        match self {
            RulesError::Syntax { line, .. }
            | RulesError::Regex { line, .. }
            | RulesError::Value { line, .. } => *line,
        }
    }
}

pub(super) fn line_of(src: &str, offset: usize) -> usize {
    let end = offset.min(src.len());
    src.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

pub(super) fn syntax(src: &str, e: toml::de::Error) -> RulesError {
    let start = e.span().map_or(0, |s| s.start);
    let line = line_of(src, start);
    let text = src.lines().nth(line - 1).unwrap_or("").trim();
    let mut message = e.message().trim().replace('\n', " ");
    if !text.is_empty() {
        message.push_str(&format!(" (in `{text}`)"));
    }
    RulesError::Syntax { line, message }
}

/// The last line of the regex crate's message says what is wrong.
pub(super) fn short_reason(e: &regex::Error) -> String {
    let text = e.to_string();
    let last = text.lines().rev().find(|l| !l.trim().is_empty());
    last.unwrap_or("invalid")
        .trim()
        .trim_start_matches("error: ")
        .to_string()
}
