//! The rules file as written (see `rules/default.toml` for the documented format).
//! Every string keeps its position so that a mistake can be reported with its line.

use super::Emergency;
use serde::Deserialize;
use toml::Spanned;

pub(super) type Text = Spanned<String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RulesFile {
    #[serde(default)]
    pub intake: IntakeFile,
    #[serde(default)]
    pub urgent: Vec<UrgentFile>,
    #[serde(default)]
    pub cues: Vec<SignalFile>,
    #[serde(default)]
    pub chitchat: Vec<SignalFile>,
    #[serde(default)]
    pub categories: Vec<CategoryFile>,
    #[serde(default)]
    pub places: Vec<PlaceFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct IntakeFile {
    pub threshold: i32,
    pub category_weight: i32,
    pub category_min_score: i32,
    pub strong_topic_score: i32,
    pub strong_topic_weight: i32,
    pub urgent_category_weight: i32,
    pub fallback_category: Text,
    pub urgent_unless: Vec<Text>,
}

impl Default for IntakeFile {
    fn default() -> Self {
        IntakeFile {
            threshold: 3,
            category_weight: 1,
            category_min_score: 2,
            strong_topic_score: 4,
            strong_topic_weight: 2,
            urgent_category_weight: 3,
            fallback_category: Spanned::new(0..0, "other".to_string()),
            urgent_unless: Vec::new(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UrgentFile {
    pub kind: Emergency,
    #[serde(default)]
    pub category: Option<Text>,
    #[serde(default)]
    pub words: Vec<Text>,
    #[serde(default)]
    pub patterns: Vec<Text>,
    #[serde(default)]
    pub together: Vec<Vec<Vec<Text>>>,
    #[serde(default)]
    pub unless: Vec<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SignalFile {
    pub name: Text,
    pub weight: i32,
    #[serde(default)]
    pub words: Vec<Text>,
    #[serde(default)]
    pub patterns: Vec<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CategoryFile {
    pub code: Text,
    pub name: Text,
    #[serde(default)]
    pub strong: Vec<Text>,
    #[serde(default)]
    pub words: Vec<Text>,
    #[serde(default)]
    pub weak: Vec<Text>,
    #[serde(default)]
    pub patterns: Vec<Text>,
    #[serde(default)]
    pub template: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PlaceFile {
    pub name: Text,
    #[serde(default)]
    pub words: Vec<Text>,
    #[serde(default)]
    pub patterns: Vec<Text>,
    #[serde(default)]
    pub label: Option<Text>,
}
