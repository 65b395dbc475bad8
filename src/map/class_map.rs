//! The class map: Magento 1 class aliases (`catalog/product_widget_new`) → Magento 2 PHP classes.
//!
//! Magento 1 stores model, block and widget classes as short aliases in its data
//! (widget instance types, EAV attribute models, rule conditions). Magento 2 stores
//! fully qualified class names. The class map gives the Magento 2 class for each alias:
//!
//! ```toml
//! [classes]
//! "catalog/product_widget_new" = 'Magento\Catalog\Block\Product\Widget\NewWidget'
//! "adminhtml/catalog_product_helper_form_msrp_enabled" = ""   # no Magento 2 class: NULL it
//! ```
//!
//! An empty string means the alias is known but has no Magento 2 class, so the value
//! becomes NULL. An alias missing from the map is unknown, which the handlers report.
//! The shipped `maps/class-map.toml` restates the DMT's `class-map.xml`; a user's own
//! `class-map.xml` is read with [`crate::map::dmt::class_map_from_xml`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A class-map file as written on disk: one `[classes]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClassMapFile {
    /// Alias → Magento 2 class; `""` means "no Magento 2 class".
    pub classes: BTreeMap<String, String>,
}

/// A loaded class map, for lookups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClassMap {
    classes: BTreeMap<String, String>,
}

impl ClassMap {
    /// Parses a class-map TOML file (`[classes]` table, unknown keys rejected).
    pub fn load(text: &str) -> Result<ClassMap, toml::de::Error> {
        let file: ClassMapFile = toml::from_str(text)?;
        Ok(ClassMap {
            classes: file.classes,
        })
    }

    /// Wraps an alias → class map (for example from
    /// [`crate::map::dmt::class_map_from_xml`]).
    pub fn from_map(classes: BTreeMap<String, String>) -> ClassMap {
        ClassMap { classes }
    }

    /// The Magento 2 class of an alias: `Some("")` when the alias is known to have
    /// none (the value is to be nulled), `None` when the alias is not in the map.
    pub fn get(&self, alias: &[u8]) -> Option<&str> {
        let alias = std::str::from_utf8(alias).ok()?;
        self.classes.get(alias).map(String::as_str)
    }

    /// Adds another map's entries; on the same alias the other map wins.
    pub fn extend(&mut self, other: ClassMap) {
        self.classes.extend(other.classes);
    }

    /// The number of aliases.
    pub fn len(&self) -> usize {
        self.classes.len()
    }

    /// True when the map has no aliases.
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }

    /// The entries, sorted by alias.
    pub fn as_map(&self) -> &BTreeMap<String, String> {
        &self.classes
    }

    /// The entries, by value.
    pub fn into_map(self) -> BTreeMap<String, String> {
        self.classes
    }

    /// Renders the map as a class-map TOML file.
    pub fn to_toml(&self) -> String {
        let file = ClassMapFile {
            classes: self.classes.clone(),
        };
        toml::to_string_pretty(&file).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_looks_up_and_round_trips() {
        let text = r#"
[classes]
"catalog/product_widget_new" = 'Magento\Catalog\Block\Product\Widget\NewWidget'
"adminhtml/catalog_product_helper_form_msrp_enabled" = ""
"#;
        let m = ClassMap::load(text).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(
            m.get(b"catalog/product_widget_new"),
            Some("Magento\\Catalog\\Block\\Product\\Widget\\NewWidget")
        );
        assert_eq!(
            m.get(b"adminhtml/catalog_product_helper_form_msrp_enabled"),
            Some("")
        );
        assert_eq!(m.get(b"catalog/unknown"), None);
        assert_eq!(m.get(b"\xff\xfe"), None);
        assert_eq!(ClassMap::load(&m.to_toml()).unwrap(), m);
    }

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(ClassMap::load("[class]\n\"a/b\" = \"C\"\n").is_err());
        assert!(ClassMap::load("[classes]\n\"a/b\" = 1\n").is_err());
        assert!(ClassMap::load("x = 1\n[classes]\n").is_err());
    }

    #[test]
    fn extend_lets_the_later_map_win() {
        let mut a = ClassMap::load("[classes]\n\"a/b\" = \"A\"\n\"c/d\" = \"C\"\n").unwrap();
        a.extend(ClassMap::load("[classes]\n\"a/b\" = \"B\"\n").unwrap());
        assert_eq!(a.get(b"a/b"), Some("B"));
        assert_eq!(a.get(b"c/d"), Some("C"));
    }
}
