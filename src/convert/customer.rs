//! Customers and their addresses. Magento 2 keeps some customer and address
//! attributes (names, date of birth, password hash, default addresses, city,
//! street, telephone…) as columns of `customer_entity` and
//! `customer_address_entity` instead of EAV value rows.
//!
//! The value tables come after the entity tables in a dump, and holding every
//! customer's values in memory would grow with the store. So the rows of those
//! attributes go, as they stream past, into a staging table of the import
//! file; at the end of the file one `UPDATE … JOIN` per column moves them into
//! the entity rows and the staging table is dropped. The converter's memory
//! stays flat, and the database does the join while it loads.

use std::collections::HashMap;

use crate::schema::Table;

/// The staging table of the import file.
pub const STAGING: &str = "m1tom2_eav_static";

/// The entity tables whose attributes may be static, with their Magento 1
/// entity type code.
pub const ENTITIES: [(&str, &str); 2] = [
    ("customer_entity", "customer"),
    ("customer_address_entity", "customer_address"),
];

/// The value-table suffixes.
pub const VALUE_TYPES: [&str; 5] = ["datetime", "decimal", "int", "text", "varchar"];

/// A static column an attribute's values move into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticColumn {
    /// The column (= the attribute code).
    pub name: String,
    /// Longest value in characters (`varchar(N)`), when limited.
    pub max_chars: Option<usize>,
    /// The column is NOT NULL: a NULL value becomes ''.
    pub not_null: bool,
}

/// How the rows of one value table are routed to the staging table.
#[derive(Debug, Clone, Default)]
pub struct StaticRoute {
    /// 1-based index into [`ENTITIES`] of the entity table.
    pub entity: u8,
    /// Source columns of `attribute_id`, `entity_id` and `value`.
    pub attr_col: usize,
    /// See `attr_col`.
    pub entity_col: usize,
    /// See `attr_col`.
    pub value_col: usize,
    /// Attribute id (bytes as in the dump) → the column its values move into.
    pub columns: HashMap<Vec<u8>, StaticColumn>,
}

/// The static columns of an entity table: its columns that a Magento 1
/// attribute of the entity type fills, keyed by attribute code.
pub fn static_columns(dest: &Table, own: &Table) -> HashMap<String, StaticColumn> {
    dest.columns
        .iter()
        .filter(|c| own.column_index(&c.name).is_none())
        .map(|c| {
            let max_chars = (c.base_type == "varchar" || c.base_type == "char")
                .then(|| {
                    c.data_type
                        .split(['(', ')'])
                        .nth(1)
                        .and_then(|n| n.trim().parse().ok())
                })
                .flatten();
            (
                c.name.clone(),
                StaticColumn {
                    name: c.name.clone(),
                    max_chars,
                    not_null: !c.nullable,
                },
            )
        })
        .collect()
}

/// What became of a Magento 1 password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Password {
    /// Magento 2 verifies it: the hash with its version suffix.
    Converted(Vec<u8>),
    /// A format Magento 2 cannot verify: kept as it is; the customer must
    /// reset the password.
    MustReset,
}

/// Magento 2's form of a Magento 1 hash `HASH[:SALT]`: version `:0` for a
/// 32-hex MD5, `:1` for a 64-hex SHA-256, so the Magento 1 hash is a prefix of
/// the result. An unsalted hash gets an empty salt (`HASH::0`).
pub fn password_hash(v: &[u8]) -> Password {
    let mut parts = v.splitn(3, |&b| b == b':');
    let hash = parts.next().unwrap_or_default();
    let salt = parts.next();
    if parts.next().is_some() || !hash.iter().all(u8::is_ascii_hexdigit) {
        return Password::MustReset;
    }
    let version: &[u8] = match hash.len() {
        32 => b"0",
        64 => b"1",
        _ => return Password::MustReset,
    };
    let mut out = v.to_vec();
    if salt.is_none() {
        out.push(b':');
    }
    out.push(b':');
    out.extend_from_slice(version);
    Password::Converted(out)
}

/// Cuts `v` to at most `max` characters (UTF-8; bytes when it is not UTF-8).
pub fn truncate_chars(v: &[u8], max: usize) -> Option<Vec<u8>> {
    match std::str::from_utf8(v) {
        Ok(s) => s
            .char_indices()
            .nth(max)
            .map(|(at, _)| s.as_bytes()[..at].to_vec()),
        Err(_) => (v.len() > max).then(|| v[..max].to_vec()),
    }
}

/// The staging table's CREATE statement.
pub fn staging_create() -> String {
    format!(
        "\nDROP TABLE IF EXISTS `{STAGING}`;\n\
         CREATE TABLE `{STAGING}` (\n  `entity` tinyint unsigned NOT NULL,\n  \
         `entity_id` int unsigned NOT NULL,\n  `code` varchar(64) NOT NULL,\n  \
         `value` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL,\n  \
         KEY `M1TOM2_STATIC` (`entity`,`entity_id`)\n) ENGINE=InnoDB;\n"
    )
}

/// The statements that move staged values into the entity rows, then drop
/// the staging table. `tables[i]` is the name (prefix included) and model of
/// [`ENTITIES`]`[i]`'s table in the output; `used[i]` its columns that were staged.
///
/// One `UPDATE` per entity table: the staged values are pivoted to one row
/// per entity, so each entity row is written once, not once per attribute. A
/// column changes only where a value was staged for it (a staged NULL too).
pub fn staging_apply(tables: &[(String, Table)], used: &[Vec<String>]) -> String {
    let mut s = String::new();
    for (i, ((name, table), cols)) in tables.iter().zip(used).enumerate() {
        let mut picks = Vec::new();
        let mut sets = Vec::new();
        for (k, col) in cols.iter().enumerate() {
            let Some(c) = table.columns.iter().find(|c| c.name == *col) else {
                continue;
            };
            let v = format!("s.`v{k}`");
            let value = match c.base_type.as_str() {
                "date" => format!("CAST({v} AS DATE)"),
                "datetime" | "timestamp" => format!("CAST({v} AS DATETIME)"),
                _ if c.is_integer() && c.unsigned => format!("CAST({v} AS UNSIGNED)"),
                _ if c.is_integer() => format!("CAST({v} AS SIGNED)"),
                _ => v,
            };
            picks.push(format!(
                "MAX(`code` = '{col}') AS `h{k}`, MAX(IF(`code` = '{col}', `value`, NULL)) AS `v{k}`"
            ));
            sets.push(format!("e.`{col}` = IF(s.`h{k}`, {value}, e.`{col}`)"));
        }
        if sets.is_empty() {
            continue;
        }
        // Timestamps the server would set to the load time on update (`ON
        // UPDATE CURRENT_TIMESTAMP`, `updated_at`) keep their migrated value.
        for c in &table.columns {
            if c.base_type == "timestamp" && !cols.contains(&c.name) {
                sets.push(format!("e.`{0}` = e.`{0}`", c.name));
            }
        }
        s.push_str(&format!(
            "UPDATE `{name}` e JOIN (SELECT `entity_id`, {} FROM `{STAGING}` WHERE `entity` = {} \
             GROUP BY `entity_id`) s ON s.`entity_id` = e.`entity_id` SET {};\n",
            picks.join(", "),
            i + 1,
            sets.join(", ")
        ));
    }
    s.push_str(&format!("DROP TABLE `{STAGING}`;\n"));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hashes_get_their_version() {
        let md5 = b"0123456789abcdef0123456789abcdef:Ab";
        assert_eq!(
            password_hash(md5),
            Password::Converted(b"0123456789abcdef0123456789abcdef:Ab:0".to_vec())
        );
        let sha = [b"a".repeat(64), b":salt".to_vec()].concat();
        let Password::Converted(out) = password_hash(&sha) else {
            panic!()
        };
        assert!(out.starts_with(&sha) && out.ends_with(b":1"));
        assert_eq!(
            password_hash(b"0123456789abcdef0123456789abcdef"),
            Password::Converted(b"0123456789abcdef0123456789abcdef::0".to_vec())
        );
        for other in [
            &b"$2y$10$abcdefghijklmnopqrstuv"[..],
            b"",
            b"0123456789abcdef0123456789abcdeg:x",
            b"0123456789abcdef0123456789abcdef:x:0",
            b"abc:x",
        ] {
            assert_eq!(password_hash(other), Password::MustReset, "{other:?}");
        }
    }

    #[test]
    fn values_are_cut_to_the_column_by_characters() {
        assert_eq!(
            truncate_chars("héllo".as_bytes(), 3),
            Some("hél".as_bytes().to_vec())
        );
        assert_eq!(truncate_chars(b"abc", 3), None);
        assert_eq!(
            truncate_chars(&[0xff, 0xfe, 0xfd], 2),
            Some(vec![0xff, 0xfe])
        );
    }
}
