//! Compiled map rules: the merged map files, ready for lookups by document and field.

use std::collections::BTreeMap;

use wildmatch::WildMatch;

use crate::map::file::{MapFile, Transform};

/// A list of wildcard patterns.
#[derive(Debug, Clone, Default)]
struct Patterns {
    exact: foldhash::HashSet<String>,
    wild: Vec<(WildMatch, String)>,
}

impl Patterns {
    fn new(list: &[String]) -> Self {
        let mut p = Patterns::default();
        for s in list {
            if s.contains(['*', '?']) {
                p.wild.push((WildMatch::new(s), s.clone()));
            } else {
                p.exact.insert(s.clone());
            }
        }
        p
    }

    fn matches(&self, s: &str) -> bool {
        self.exact.contains(s) || self.wild.iter().any(|(w, _)| w.matches(s))
    }
}

/// A source- or destination-side rule set.
#[derive(Debug, Clone, Default)]
pub struct SideRules {
    ignore: Patterns,
    ignore_fields: Patterns,
    transforms: BTreeMap<(String, String), Vec<Transform>>,
    defaults: BTreeMap<String, String>,
}

impl SideRules {
    /// Every transform of this side.
    pub fn all_transforms(&self) -> impl Iterator<Item = &Transform> {
        self.transforms.values().flatten()
    }

    /// The value for a field nothing fills, if a rule gives one.
    pub fn default_for(&self, doc: &str, field: &str) -> Option<&str> {
        self.defaults
            .get(&format!("{doc}.{field}"))
            .map(String::as_str)
    }

    /// True when the document is ignored.
    pub fn ignores(&self, doc: &str) -> bool {
        self.ignore.matches(doc)
    }

    /// True when the field is ignored.
    pub fn ignores_field(&self, doc: &str, field: &str) -> bool {
        self.ignore_fields.matches(&format!("{doc}.{field}"))
    }

    /// The handlers on a field, in the order the maps give them.
    pub fn transforms(&self, doc: &str, field: &str) -> &[Transform] {
        self.transforms
            .get(&(doc.to_string(), field.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    /// Every (document, field) that has handlers.
    pub fn transformed_fields(&self) -> impl Iterator<Item = &(String, String)> {
        self.transforms.keys()
    }
}

/// All rules, compiled.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// Source-side rules.
    pub source: SideRules,
    /// Destination-side rules.
    pub destination: SideRules,
    renames: BTreeMap<String, String>,
    moves: BTreeMap<(String, String), (String, String)>,
    deferred: Vec<(Patterns, String)>,
}

/// Splits `doc.field`.
pub fn split_field(s: &str) -> Option<(&str, &str)> {
    s.split_once('.')
}

fn side(s: &crate::map::file::Side) -> Result<SideRules, String> {
    let mut transforms: BTreeMap<(String, String), Vec<Transform>> = BTreeMap::new();
    for t in &s.transform {
        let (d, f) = split_field(&t.field)
            .ok_or_else(|| format!("transform field `{}`: expected document.field", t.field))?;
        transforms
            .entry((d.to_string(), f.to_string()))
            .or_default()
            .push(t.clone());
    }
    Ok(SideRules {
        ignore: Patterns::new(&s.ignore),
        ignore_fields: Patterns::new(&s.ignore_fields),
        transforms,
        defaults: s.defaults.clone(),
    })
}

impl Rules {
    /// Compiles merged map files. Errors name the rule that is malformed.
    pub fn compile(m: &MapFile) -> Result<Rules, String> {
        let mut moves = BTreeMap::new();
        for (from, to) in &m.source.moves {
            let f = split_field(from)
                .ok_or_else(|| format!("move `{from}`: expected document.field"))?;
            let t = split_field(to)
                .ok_or_else(|| format!("move to `{to}`: expected document.field"))?;
            moves.insert(
                (f.0.to_string(), f.1.to_string()),
                (t.0.to_string(), t.1.to_string()),
            );
        }
        Ok(Rules {
            source: side(&m.source)?,
            destination: side(&m.destination)?,
            renames: m.source.rename.clone(),
            moves,
            deferred: m
                .deferred
                .iter()
                .map(|d| (Patterns::new(&d.documents), d.step.clone()))
                .collect(),
        })
    }

    /// The Magento 2 document a source document goes to (renamed or same name).
    pub fn destination_of<'a>(&'a self, doc: &'a str) -> &'a str {
        self.renames.get(doc).map_or(doc, String::as_str)
    }

    /// True when a rename rule names this document.
    pub fn is_renamed(&self, doc: &str) -> bool {
        self.renames.contains_key(doc)
    }

    /// Where a moved source field goes.
    pub fn moved(&self, doc: &str, field: &str) -> Option<(&str, &str)> {
        self.moves
            .get(&(doc.to_string(), field.to_string()))
            .map(|(d, f)| (d.as_str(), f.as_str()))
    }

    /// The step that owns a source document, when another step does.
    pub fn deferred_step(&self, doc: &str) -> Option<&str> {
        self.deferred
            .iter()
            .find(|(p, _)| p.matches(doc))
            .map(|(_, s)| s.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        let m = MapFile::from_toml(
            r#"
[source]
ignore = ["log_*", "admin_assert"]
ignore_fields = ["*.hidden_*"]
[source.rename]
sales_flat_order = "sales_order"
[source.move]
"sales_flat_order.cc_last4" = "sales_order.cc_last_4"
[[deferred]]
step = "eav"
documents = ["eav_*"]
"#,
        )
        .unwrap();
        let r = Rules::compile(&m).unwrap();
        assert!(r.source.ignores("log_visitor") && r.source.ignores("admin_assert"));
        assert!(!r.source.ignores("admin_user"));
        assert!(
            r.source
                .ignores_field("sales_flat_order", "hidden_tax_amount")
        );
        assert_eq!(r.destination_of("sales_flat_order"), "sales_order");
        assert_eq!(r.destination_of("cms_page"), "cms_page");
        assert_eq!(
            r.moved("sales_flat_order", "cc_last4"),
            Some(("sales_order", "cc_last_4"))
        );
        assert_eq!(r.deferred_step("eav_attribute"), Some("eav"));
    }
}
