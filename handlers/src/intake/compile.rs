//! Rules file → [`Rules`]: checks every key and value, and builds the automata once.

use super::error::{RulesError, line_of, short_reason, syntax};
use super::file::{CategoryFile, RulesFile, Text};
use super::literals::needed;
use super::marks::Marks;
use super::words::Words;
use super::{Category, Pattern, Place, Rules, Signal, Target, Urgent, Word};
use regex::{Regex, RegexBuilder, RegexSetBuilder};

struct Builder<'a> {
    src: &'a str,
    sources: Vec<String>,
    patterns: Vec<Pattern>,
}

impl Builder<'_> {
    fn regex(&self, key: &str, t: &Text) -> Result<Regex, RulesError> {
        RegexBuilder::new(t.get_ref())
            .size_limit(1 << 20)
            .build()
            .map_err(|e| RulesError::Regex {
                line: line_of(self.src, t.span().start),
                key: key.to_string(),
                value: t.get_ref().clone(),
                reason: short_reason(&e),
            })
    }

    fn pattern(&mut self, key: &str, t: &Text, target: Target) -> Result<(), RulesError> {
        let regex = self.regex(key, t)?;
        self.sources.push(t.get_ref().clone());
        self.patterns.push(Pattern { regex, target });
        Ok(())
    }

    fn patterns(&mut self, key: &str, list: &[Text], target: Target) -> Result<(), RulesError> {
        for (i, t) in list.iter().enumerate() {
            self.pattern(&format!("{key}[{i}]"), t, target)?;
        }
        Ok(())
    }

    fn value(&self, key: String, t: &Text, problem: &str) -> RulesError {
        RulesError::Value {
            line: line_of(self.src, t.span().start),
            key,
            value: t.get_ref().clone(),
            problem: problem.to_string(),
        }
    }

    fn words(
        &self,
        into: &mut Words,
        key: &str,
        list: &[Text],
        target: Word,
    ) -> Result<(), RulesError> {
        for (i, w) in list.iter().enumerate() {
            if w.get_ref().trim().is_empty() {
                return Err(self.value(format!("{key}[{i}]"), w, "a word may not be empty"));
            }
            into.add(w.get_ref(), target);
        }
        Ok(())
    }
}

pub(super) fn compile(src: &str) -> Result<Rules, RulesError> {
    let file: RulesFile = toml::from_str(src).map_err(|e| syntax(src, e))?;
    let mut b = Builder {
        src,
        sources: Vec::new(),
        patterns: Vec::new(),
    };
    let categories = categories(&b, &file.categories)?;
    let find = |code: &str| categories.iter().position(|c| c.code == code);

    let mut words = Words::new();
    for (ci, c) in file.categories.iter().enumerate() {
        let key = format!("categories[{ci}]");
        b.words(
            &mut words,
            &format!("{key}.strong"),
            &c.strong,
            Word::Category(ci, 3),
        )?;
        b.words(
            &mut words,
            &format!("{key}.words"),
            &c.words,
            Word::Category(ci, 2),
        )?;
        b.words(
            &mut words,
            &format!("{key}.weak"),
            &c.weak,
            Word::Category(ci, 1),
        )?;
        b.patterns(
            &format!("{key}.patterns"),
            &c.patterns,
            Target::Category(ci),
        )?;
    }

    let mut signals = Vec::new();
    let sections = [("cues", &file.cues, 1), ("chitchat", &file.chitchat, -1)];
    for (section, list, sign) in sections {
        for (i, s) in list.iter().enumerate() {
            let key = format!("{section}[{i}]");
            let name = s.name.get_ref().trim();
            if name.is_empty() {
                return Err(b.value(format!("{key}.name"), &s.name, "a name may not be empty"));
            }
            if s.weight < 0 {
                let w = Text::new(s.name.span(), s.weight.to_string());
                return Err(b.value(
                    format!("{key}.weight"),
                    &w,
                    "write the weight as zero or more",
                ));
            }
            let si = signals.len();
            let label = format!("{}:{name}", if sign > 0 { "cue" } else { "chitchat" });
            signals.push(Signal {
                label,
                weight: sign * s.weight,
            });
            b.words(
                &mut words,
                &format!("{key}.words"),
                &s.words,
                Word::Signal(si),
            )?;
            b.patterns(&format!("{key}.patterns"), &s.patterns, Target::Signal(si))?;
        }
    }

    let mut urgent = Vec::new();
    let mut together = Vec::new();
    for (i, u) in file.urgent.iter().enumerate() {
        let key = format!("urgent[{i}]");
        let category = match &u.category {
            None => None,
            Some(t) => Some(find(t.get_ref()).ok_or_else(|| {
                b.value(format!("{key}.category"), t, "no category has this code")
            })?),
        };
        urgent.push(Urgent {
            kind: u.kind,
            category,
        });
        b.words(
            &mut words,
            &format!("{key}.words"),
            &u.words,
            Word::Urgent(i),
        )?;
        for (j, lists) in u.together.iter().enumerate() {
            let key = format!("{key}.together[{j}]");
            if !(2..=8).contains(&lists.len()) {
                let at = lists.iter().flatten().next().map_or(0..0, |t| t.span());
                let shown = Text::new(at, format!("{} lists", lists.len()));
                return Err(b.value(key, &shown, "give from 2 to 8 lists of words"));
            }
            for (l, list) in lists.iter().enumerate() {
                let target = Word::Together(together.len(), l);
                b.words(&mut words, &format!("{key}[{l}]"), list, target)?;
            }
            together.push((i, lists.len()));
        }
        b.patterns(&format!("{key}.patterns"), &u.patterns, Target::Urgent(i))?;
        b.patterns(&format!("{key}.unless"), &u.unless, Target::Unless(i))?;
    }
    b.patterns(
        "intake.urgent_unless",
        &file.intake.urgent_unless,
        Target::UnlessAll,
    )?;

    let fb = &file.intake.fallback_category;
    let fallback = find(fb.get_ref()).ok_or_else(|| {
        b.value(
            "intake.fallback_category".into(),
            fb,
            "no category has this code",
        )
    })?;

    let mut places = Vec::new();
    for (i, p) in file.places.iter().enumerate() {
        let key = format!("places[{i}]");
        b.words(
            &mut words,
            &format!("{key}.words"),
            &p.words,
            Word::Place(i),
        )?;
        let mut regexes = Vec::new();
        for (j, t) in p.patterns.iter().enumerate() {
            let regex = b.regex(&format!("{key}.patterns[{j}]"), t)?;
            b.sources.push(t.get_ref().clone());
            regexes.push((regex, b.sources.len() - 1));
        }
        places.push(Place {
            name: p.name.get_ref().trim().to_string(),
            label: p.label.as_ref().map(|l| l.get_ref().clone()),
            regexes,
        });
    }

    // The patterns are searched one by one (see `needs` below), but a file whose patterns
    // do not fit one set together is still refused, as it always was.
    let patterns = &b.sources[..b.patterns.len()];
    RegexSetBuilder::new(patterns)
        .size_limit(1 << 24)
        .dfa_size_limit(1 << 24)
        .build()
        .map_err(|e| RulesError::Syntax {
            line: 1,
            message: format!("the patterns together are too big: {}", short_reason(&e)),
        })?;
    // every pattern needs a literal of each of its sets; the lexicon finds them
    let mut literals: Vec<Vec<String>> = Vec::new();
    let mut needs = Vec::with_capacity(b.sources.len());
    for source in &b.sources {
        let from = literals.len();
        literals.extend(needed(source));
        needs.push(from..literals.len());
    }
    // and the lexicon finds the marks of an address too
    let mark_sets = literals.len();
    literals.extend(Marks::literals());
    let set_pattern = (needs.iter().enumerate())
        .flat_map(|(i, sets)| sets.clone().map(move |_| i))
        .collect();
    let always = (0..b.patterns.len())
        .filter(|&i| needs[i].is_empty())
        .collect();
    let (lexicon, words, targets) = words.build(&literals);
    Ok(Rules {
        threshold: file.intake.threshold,
        category_weight: file.intake.category_weight,
        category_min_score: file.intake.category_min_score,
        strong_topic_score: file.intake.strong_topic_score,
        strong_topic_weight: file.intake.strong_topic_weight,
        urgent_category_weight: file.intake.urgent_category_weight,
        fallback,
        categories,
        urgent,
        signals,
        places,
        lexicon,
        words,
        targets,
        together,
        patterns: b.patterns,
        literal_sets: literals.len(),
        set_pattern,
        always,
        mark_sets,
        needs,
    })
}

fn categories(b: &Builder, list: &[CategoryFile]) -> Result<Vec<Category>, RulesError> {
    let mut out: Vec<Category> = Vec::new();
    for (i, c) in list.iter().enumerate() {
        let key = format!("categories[{i}]");
        let code = c.code.get_ref().trim();
        if code.is_empty() || code.chars().any(|ch| ch.is_whitespace() || ch == ':') {
            let problem = "a code is one word without spaces or colons";
            return Err(b.value(format!("{key}.code"), &c.code, problem));
        }
        if out.iter().any(|o| o.code == code) {
            return Err(b.value(format!("{key}.code"), &c.code, "this code is used twice"));
        }
        let name = c.name.get_ref().trim();
        if name.is_empty() {
            return Err(b.value(format!("{key}.name"), &c.name, "a name may not be empty"));
        }
        if out.iter().any(|o| o.name == name) {
            return Err(b.value(format!("{key}.name"), &c.name, "this name is used twice"));
        }
        out.push(Category {
            code: code.to_string(),
            name: name.to_string(),
            template: c.template.as_ref().map(|t| t.get_ref().trim().to_string()),
        });
    }
    Ok(out)
}
