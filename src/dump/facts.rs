//! Facts about a dump: which program wrote it, the server version it states,
//! the table prefix, and which Magento it holds.

use std::collections::BTreeMap;

use serde::Serialize;

/// The program that wrote a dump, from its header.
pub fn producer(head: &[u8]) -> &'static str {
    let h = &head[..head.len().min(16 << 10)];
    let has = |needle: &str| memchr::memmem::find(h, needle.as_bytes()).is_some();
    if has("-- MariaDB dump") {
        "mariadb-dump"
    } else if has("-- MySQL dump") {
        "mysqldump"
    } else if has("SQLyog") || has("/*Table structure for table") {
        "sqlyog"
    } else if has("-- phpMyAdmin SQL Dump") {
        "phpmyadmin"
    } else if has("-- Adminer ") {
        "adminer"
    } else if has("HeidiSQL") {
        "heidisql"
    } else {
        "other"
    }
}

/// The zone a `SET` statement gives the session's `time_zone`, as written
/// (`+00:00`, `SYSTEM`, `Europe/Berlin`): mysqldump's
/// `/*!40103 SET TIME_ZONE='+00:00' */`, phpMyAdmin's and Adminer's
/// `SET time_zone = "+00:00"`. `None` when the statement sets no zone
/// (`SET @OLD_TIME_ZONE=@@TIME_ZONE` saves one).
pub fn time_zone_set(statement: &[u8]) -> Option<String> {
    let lower = statement.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&lower[from..], b"time_zone").map(|a| a + from) {
        from = at + 9;
        // Not a longer name (`@OLD_TIME_ZONE`), nor a user variable.
        let before = &lower[..at];
        let user_variable = before.ends_with(b"@") && !before.ends_with(b"@@");
        if before
            .last()
            .is_some_and(|&b| b == b'_' || b.is_ascii_alphanumeric())
            || user_variable
        {
            continue;
        }
        let rest = statement[from..].trim_ascii_start();
        let Some(rest) = rest.strip_prefix(b"=") else {
            continue;
        };
        let rest = rest.trim_ascii_start();
        let (&q, body) = rest.split_first()?;
        if q != b'\'' && q != b'"' {
            continue;
        }
        let end = memchr::memchr(q, body)?;
        return Some(String::from_utf8_lossy(&body[..end]).into_owned());
    }
    None
}

/// The server version the header states, when it states one.
pub fn server_version(head: &[u8]) -> Option<String> {
    let h = String::from_utf8_lossy(&head[..head.len().min(16 << 10)]);
    for line in h.lines().take(200) {
        let l = line.trim();
        // mysqldump / mariadb-dump: "-- Server version\t5.7.17-0ubuntu0.16.04.1"
        // phpMyAdmin, HeidiSQL: "-- Server version: 5.7.26"
        if let Some(rest) = l.strip_prefix("-- Server version") {
            let v = rest.trim_start_matches([':', ' ', '\t']).trim();
            if !v.is_empty() {
                return Some(v.to_string());
            }
        }
        // SQLyog: "MySQL - 5.5.27 : Database - magento"
        if let Some(rest) = l.strip_prefix("MySQL - ") {
            let v = rest.split(" : ").next().unwrap_or("").trim();
            if !v.is_empty() {
                return Some(v.to_string());
            }
        }
        // Adminer: "-- Adminer 4.8.1 MySQL 5.7.33 dump"
        if let Some(rest) = l.strip_prefix("-- Adminer ") {
            let words: Vec<&str> = rest.split_whitespace().collect();
            if let Some(i) = words.iter().position(|w| *w == "MySQL" || *w == "MariaDB")
                && let Some(v) = words.get(i + 1)
            {
                return Some(v.to_string());
            }
        }
    }
    None
}

/// Tables every Magento database has, used to find a table prefix.
const ANCHORS: &[&str] = &[
    "core_config_data",
    "core_resource",
    "core_store",
    "core_website",
    "eav_attribute",
    "eav_entity_type",
    "eav_attribute_set",
    "catalog_product_entity",
    "catalog_category_entity",
    "customer_entity",
    "cms_page",
    "cms_block",
    "sales_flat_order",
    "sales_order",
    "store",
    "store_website",
    "setup_module",
];

/// Finds the table prefix: the one under which the most Magento anchor tables
/// appear. `None` when the tables carry no prefix.
pub fn table_prefix<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut hits: BTreeMap<&str, usize> = BTreeMap::new();
    for name in names {
        for a in ANCHORS {
            if let Some(p) = name.strip_suffix(a) {
                *hits.entry(p).or_default() += 1;
            }
        }
    }
    let best = hits
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.len().cmp(&a.0.len())))?;
    (!best.0.is_empty() && *best.1 >= 2).then(|| best.0.to_string())
}

/// Which Magento a dump holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Magento {
    /// 1 or 2; `None` when the tables say neither.
    pub major: Option<u8>,
    /// What the module tables say about the version.
    pub version_hint: Option<String>,
}

/// Module versions seen in `core_resource` (M1) or `setup_module` (M2), and
/// the tables present, from which [`Magento`] is decided.
#[derive(Debug, Default, Clone)]
pub struct VersionEvidence {
    /// (module, version) rows of `core_resource` or `setup_module`.
    pub modules: Vec<(String, String)>,
    /// Whether `patch_list` has rows.
    pub patches: u64,
}

/// Decides the Magento major version and a version hint from bare table names
/// (prefix removed) and module rows.
pub fn magento<'a>(
    bare_tables: impl IntoIterator<Item = &'a str> + Clone,
    ev: &VersionEvidence,
) -> Magento {
    let has = |t: &str| bare_tables.clone().into_iter().any(|n| n == t);
    let module = |code: &str| {
        ev.modules
            .iter()
            .find(|(m, _)| m == code)
            .map(|(_, v)| v.as_str())
    };
    if has("core_resource") || (has("core_store") && has("core_website")) {
        let edition = if bare_tables
            .clone()
            .into_iter()
            .any(|t| t.starts_with("enterprise_"))
        {
            "Commerce (EE) 1.x"
        } else {
            "Open Source (CE) 1.x"
        };
        let mut parts = vec![edition.to_string()];
        for m in ["core_setup", "catalog_setup"] {
            if let Some(v) = module(m) {
                parts.push(format!("{m} {v}"));
            }
        }
        return Magento {
            major: Some(1),
            version_hint: Some(parts.join(", ")),
        };
    }
    if has("setup_module") || has("store_website") {
        let mut hint = if has("patch_list") {
            if has("login_as_customer") {
                "2.4 or later (declarative schema, patch_list)".to_string()
            } else {
                "2.3 or later (declarative schema, patch_list)".to_string()
            }
        } else {
            "2.0–2.2 (setup_module versions)".to_string()
        };
        if let Some(v) = module("Magento_Catalog") {
            hint.push_str(&format!(", Magento_Catalog {v}"));
        }
        if ev.patches > 0 {
            hint.push_str(&format!(", {} patches applied", ev.patches));
        }
        return Magento {
            major: Some(2),
            version_hint: Some(hint),
        };
    }
    Magento::default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_detection() {
        let names = [
            "magev1_core_store",
            "magev1_core_config_data",
            "magev1_eav_attribute",
            "magev1_foo",
        ];
        assert_eq!(table_prefix(names.iter().copied()), Some("magev1_".into()));
        let names = ["core_store", "core_config_data", "eav_attribute"];
        assert_eq!(table_prefix(names.iter().copied()), None);
        // `store` alone inside `core_store` must not invent a `core_` prefix.
        let names = ["core_store", "core_website", "core_resource", "store"];
        assert_eq!(table_prefix(names.iter().copied()), None);
    }

    #[test]
    fn producers_and_versions() {
        let my = b"-- MySQL dump 10.13  Distrib 5.7.17, for Linux (x86_64)\n--\n-- Server version\t5.7.17-0ubuntu0.16.04.1\n";
        assert_eq!(producer(my), "mysqldump");
        assert_eq!(
            server_version(my).as_deref(),
            Some("5.7.17-0ubuntu0.16.04.1")
        );
        let yog = b"/*\nSQLyog Ultimate v11.11 (64 bit)\nMySQL - 5.5.27 : Database - magento\n*********************************************************************\n*/\n";
        assert_eq!(producer(yog), "sqlyog");
        assert_eq!(server_version(yog).as_deref(), Some("5.5.27"));
        let pma = b"-- phpMyAdmin SQL Dump\n-- version 4.9.0\n-- Server version: 10.3.16-MariaDB\n";
        assert_eq!(producer(pma), "phpmyadmin");
        assert_eq!(server_version(pma).as_deref(), Some("10.3.16-MariaDB"));
        let adm = b"-- Adminer 4.8.1 MySQL 5.7.33 dump\n";
        assert_eq!(producer(adm), "adminer");
        assert_eq!(server_version(adm).as_deref(), Some("5.7.33"));
        assert_eq!(producer(b"CREATE TABLE t (a int);"), "other");
    }

    #[test]
    fn time_zones_as_dumps_set_them() {
        let z = |s: &str| time_zone_set(s.as_bytes());
        assert_eq!(
            z("/*!40103 SET TIME_ZONE='+00:00' */").as_deref(),
            Some("+00:00")
        );
        assert_eq!(z("SET time_zone = \"+00:00\"").as_deref(), Some("+00:00"));
        assert_eq!(
            z("SET @@session.time_zone='Europe/Berlin'").as_deref(),
            Some("Europe/Berlin")
        );
        assert_eq!(z("/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */"), None);
        assert_eq!(z("/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */"), None);
        assert_eq!(z("SET @@time_zone = 'SYSTEM'").as_deref(), Some("SYSTEM"));
        assert_eq!(z("SET @time_zone = 'x'"), None);
        assert_eq!(z("SET NAMES utf8"), None);
    }
}
