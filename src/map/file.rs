//! The map file format: `maps/*.toml`, read with serde, unknown keys rejected.
//!
//! A map file restates which Magento 1 tables and fields go where in Magento 2:
//!
//! ```toml
//! [source]
//! ignore = ["admin_assert", "log_*"]          # documents, wildcards allowed
//! ignore_fields = ["sales_flat_order.hidden_tax_*"]
//!
//! [source.rename]                             # document renames
//! sales_flat_order = "sales_order"
//!
//! [source.move]                               # field moves: "doc.field" = "doc.field"
//! "sales_flat_order.hidden_tax_amount" = "sales_order.discount_tax_compensation_amount"
//!
//! [[source.transform]]                        # a named handler on a source field
//! field = "sales_flat_order_payment.additional_information"
//! handler = "serialize_to_json"
//!
//! [destination]
//! ignore = ["url_rewrite"]                    # Magento 2 documents nothing fills
//! ignore_fields = ["sales_order.send_email"]  # Magento 2 fields nothing fills
//!
//! [[destination.transform]]                   # a handler computing a destination field
//! field = "rating.is_active"
//! handler = "set_value"
//! params = { value = "0" }
//!
//! [destination.defaults]                    # used only when the source has no such field
//! "tax_calculation_rule.calculate_subtotal" = "0"
//!
//! [[deferred]]                                # tables another migration step owns
//! step = "eav"
//! documents = ["eav_attribute", "eav_entity_type"]
//! ```
//!
//! Every file in the map directory is read and merged; the shipped `maps/`
//! restates the facts of the DMT's CE 1.9 → 2.4 configuration.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One map file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MapFile {
    /// Rules about Magento 1 documents and fields.
    #[serde(default, skip_serializing_if = "Side::is_empty")]
    pub source: Side,
    /// Rules about Magento 2 documents and fields.
    #[serde(default, skip_serializing_if = "Side::is_empty")]
    pub destination: Side,
    /// Source documents that belong to another step (reported as deferred).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deferred: Vec<Deferred>,
}

/// The rules of one side (source or destination).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Side {
    /// Documents (tables) to ignore; `*` and `?` wildcards.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    /// Fields to ignore, as `document.field`; wildcards in either part.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore_fields: Vec<String>,
    /// Document renames (source side only).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rename: BTreeMap<String, String>,
    /// Field moves, `document.field` → `document.field` (source side only).
    #[serde(default, rename = "move", skip_serializing_if = "BTreeMap::is_empty")]
    pub moves: BTreeMap<String, String>,
    /// Handlers on fields, applied in the order written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transform: Vec<Transform>,
    /// Values for destination fields that nothing in the source fills,
    /// `document.field` → value (destination side only).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub defaults: BTreeMap<String, String>,
}

impl Side {
    /// True when the side has no rules.
    pub fn is_empty(&self) -> bool {
        self.ignore.is_empty()
            && self.ignore_fields.is_empty()
            && self.rename.is_empty()
            && self.moves.is_empty()
            && self.transform.is_empty()
            && self.defaults.is_empty()
    }
}

/// A named handler applied to a field.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Transform {
    /// `document.field`.
    pub field: String,
    /// The handler's name (see the README's handler table).
    pub handler: String,
    /// The handler's parameters.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
}

/// Source documents owned by another step.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Deferred {
    /// The step's name: `eav`, `customer`, `settings`, `stores`, `url_rewrite`, …
    pub step: String,
    /// Its source documents (wildcards allowed).
    pub documents: Vec<String>,
}

impl MapFile {
    /// Parses a TOML map file.
    pub fn from_toml(text: &str) -> Result<MapFile, toml::de::Error> {
        toml::from_str(text)
    }

    /// Renders the map as TOML.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    /// Adds another file's rules after this one's. The handlers the other
    /// file gives a field replace this one's on that field (a map that
    /// restates a field, as a DMT `map.xml` restates every field it handles,
    /// says what that field gets; handlers stacked across files would convert
    /// a value twice).
    pub fn merge(&mut self, other: MapFile) {
        self.source.merge(other.source);
        self.destination.merge(other.destination);
        self.deferred.extend(other.deferred);
    }
}

impl Side {
    fn merge(&mut self, o: Side) {
        self.ignore.extend(o.ignore);
        self.ignore_fields.extend(o.ignore_fields);
        self.rename.extend(o.rename);
        self.moves.extend(o.moves);
        let restated: std::collections::BTreeSet<&str> =
            o.transform.iter().map(|t| t.field.as_str()).collect();
        self.transform
            .retain(|t| !restated.contains(t.field.as_str()));
        self.transform.extend(o.transform);
        self.defaults.extend(o.defaults);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_file_restating_a_field_replaces_its_handlers() {
        let first = MapFile::from_toml(
            r#"
[[source.transform]]
field = "salesrule.conditions_serialized"
handler = "rule_serialized_data"
[[source.transform]]
field = "salesrule.conditions_serialized"
handler = "serialize_to_json"
[[source.transform]]
field = "cms_page.content"
handler = "placeholder"
"#,
        )
        .unwrap();
        let second = MapFile::from_toml(
            r#"
[[source.transform]]
field = "salesrule.conditions_serialized"
handler = "serialize_to_json"
"#,
        )
        .unwrap();
        let mut merged = first;
        merged.merge(second);
        let handlers: Vec<(&str, &str)> = merged
            .source
            .transform
            .iter()
            .map(|t| (t.field.as_str(), t.handler.as_str()))
            .collect();
        assert_eq!(
            handlers,
            [
                ("cms_page.content", "placeholder"),
                ("salesrule.conditions_serialized", "serialize_to_json"),
            ]
        );
    }

    #[test]
    fn reads_the_documented_example() {
        let text = r#"
[source]
ignore = ["admin_assert", "log_*"]
ignore_fields = ["sales_flat_order.hidden_tax_*"]
[source.rename]
sales_flat_order = "sales_order"
[source.move]
"sales_flat_order.hidden_tax_amount" = "sales_order.discount_tax_compensation_amount"
[[source.transform]]
field = "sales_flat_order_payment.additional_information"
handler = "serialize_to_json"
[destination]
ignore = ["url_rewrite"]
[[destination.transform]]
field = "rating.is_active"
handler = "set_value"
params = { value = "0" }
[[deferred]]
step = "eav"
documents = ["eav_attribute"]
"#;
        let m = MapFile::from_toml(text).unwrap();
        assert_eq!(m.source.rename["sales_flat_order"], "sales_order");
        assert_eq!(m.destination.transform[0].params["value"], "0");
        assert_eq!(MapFile::from_toml(&m.to_toml()).unwrap(), m);
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let err = MapFile::from_toml("[source]\nignor = [\"x\"]\n").unwrap_err();
        assert!(err.to_string().contains("unknown field"), "{err}");
    }
}
