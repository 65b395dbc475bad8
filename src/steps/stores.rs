//! Websites, store groups and store views: `core_website`, `core_store_group`
//! and `core_store` become `store_website`, `store_group` and `store`, ids
//! kept, replacing the baseline's rows. Magento 1's staging columns are left
//! out; `store_group.code`, which Magento 1 does not have, is made from the
//! group's name, unique and the same on every run.

use std::collections::BTreeSet;

use crate::schema::{ColumnDefault, Table};
use crate::steps::{Accounting, Rows, StepResult};
use crate::transform::magento::store_group_code;

/// (Magento 1 table, Magento 2 table).
pub const TABLES: [(&str, &str); 3] = [
    ("core_website", "store_website"),
    ("core_store_group", "store_group"),
    ("core_store", "store"),
];

/// A Magento 2 column's value when Magento 1 has none.
fn default_value(t: &Table, col: &str) -> Option<Vec<u8>> {
    let c = t.columns.iter().find(|c| c.name == col)?;
    match &c.default {
        Some(ColumnDefault::Literal(s)) => Some(s.clone().into_bytes()),
        Some(_) => None,
        None if c.nullable => None,
        None => Some(if c.base_type.contains("int") {
            b"0".to_vec()
        } else {
            Vec::new()
        }),
    }
}

/// The migration. `m1(table)` gives a Magento 1 table's rows, `m2_table` the
/// Magento 2 models; a pair whose Magento 2 table is missing is skipped.
pub fn migrate(
    m1: &dyn Fn(&str) -> Option<Rows>,
    m2_table: &dyn Fn(&str) -> Option<Table>,
) -> StepResult {
    let mut res = StepResult::default();
    for (from, to) in TABLES {
        let (Some(src), Some(model)) = (m1(from), m2_table(to)) else {
            continue;
        };
        let mut out = Rows::new(model.columns.iter().map(|c| c.name.clone()));
        let mut acc = Accounting::new(from);
        let mut codes: BTreeSet<Vec<u8>> = BTreeSet::new();
        let pk = model.primary_key.first().cloned().unwrap_or_default();
        let mut ids = BTreeSet::new();
        let mut rows: Vec<&Vec<Option<Vec<u8>>>> = src.rows.iter().collect();
        rows.sort_by_key(|r| src.int(r, &pk));
        for r in rows {
            if !ids.insert(src.int(r, &pk)) {
                acc.drop_row("duplicate id");
                continue;
            }
            let mut row: Vec<Option<Vec<u8>>> = out
                .columns
                .iter()
                .map(|c| match src.col(c) {
                    Some(i) => r[i].clone(),
                    None => default_value(&model, c),
                })
                .collect();
            if to == "store_group" && src.col("code").is_none() {
                let name = src.get(r, "name").unwrap_or_default().to_vec();
                // The admin group keeps Magento 2's code for it.
                let code = if src.int(r, "group_id") == Some(0) {
                    codes.insert(b"default".to_vec());
                    b"default".to_vec()
                } else {
                    store_group_code(&name, &mut |c: &[u8]| !codes.insert(c.to_vec()))
                };
                out.set(&mut row, "code", Some(code));
            }
            out.rows.push(row);
            acc.written += 1;
        }
        res.accounting.push(acc);
        res.tables.insert(to.to_string(), out);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::parse_create_table;

    #[test]
    fn stores_keep_ids_and_groups_get_unique_codes() {
        let models = [
            "CREATE TABLE `store_website` (`website_id` smallint unsigned NOT NULL, `code` varchar(32) DEFAULT NULL, `name` varchar(64) DEFAULT NULL, `sort_order` smallint unsigned NOT NULL DEFAULT 0, `default_group_id` smallint unsigned NOT NULL DEFAULT 0, `is_default` smallint unsigned DEFAULT 0, PRIMARY KEY (`website_id`))",
            "CREATE TABLE `store_group` (`group_id` smallint unsigned NOT NULL, `website_id` smallint unsigned NOT NULL DEFAULT 0, `name` varchar(255) NOT NULL, `root_category_id` int unsigned NOT NULL DEFAULT 0, `default_store_id` smallint unsigned NOT NULL DEFAULT 0, `code` varchar(32) DEFAULT NULL, PRIMARY KEY (`group_id`))",
        ]
        .map(|s| parse_create_table(s.as_bytes()).unwrap());
        let model = |n: &str| models.iter().find(|t| t.name == n).cloned();
        let m1 = |n: &str| {
            let r =
                |v: &[Option<&str>]| v.iter().map(|x| x.map(|s| s.as_bytes().to_vec())).collect();
            Some(match n {
                "core_website" => Rows {
                    columns: [
                        "website_id",
                        "code",
                        "name",
                        "sort_order",
                        "default_group_id",
                        "is_default",
                        "is_staging",
                        "master_login",
                    ]
                    .map(String::from)
                    .to_vec(),
                    rows: vec![
                        r(&[
                            Some("1"),
                            Some("base"),
                            Some("Main Website"),
                            Some("0"),
                            Some("1"),
                            Some("1"),
                            Some("0"),
                            None,
                        ]),
                        r(&[
                            Some("0"),
                            Some("admin"),
                            Some("Admin"),
                            Some("0"),
                            Some("0"),
                            Some("0"),
                            Some("0"),
                            None,
                        ]),
                    ],
                },
                "core_store_group" => Rows {
                    columns: [
                        "group_id",
                        "website_id",
                        "name",
                        "root_category_id",
                        "default_store_id",
                    ]
                    .map(String::from)
                    .to_vec(),
                    rows: vec![
                        r(&[Some("0"), Some("0"), Some("Default"), Some("0"), Some("0")]),
                        r(&[
                            Some("1"),
                            Some("1"),
                            Some("Main Store"),
                            Some("2"),
                            Some("1"),
                        ]),
                        r(&[
                            Some("2"),
                            Some("1"),
                            Some("Main  Store!"),
                            Some("2"),
                            Some("2"),
                        ]),
                    ],
                },
                _ => return None,
            })
        };
        let res = migrate(&m1, &model);
        let w = &res.tables["store_website"];
        assert_eq!(w.columns.len(), 6, "staging columns left out");
        assert_eq!(w.int(&w.rows[0], "website_id"), Some(0));
        assert_eq!(w.text(&w.rows[1], "name").as_deref(), Some("Main Website"));
        let g = &res.tables["store_group"];
        let codes: Vec<_> = g.rows.iter().map(|r| g.text(r, "code").unwrap()).collect();
        assert_eq!(codes, vec!["default", "main_store", "main_store-2"]);
        assert!(res.accounting.iter().all(|a| a.dropped.is_empty()));
        assert_eq!(res.accounting.iter().map(|a| a.written).sum::<u64>(), 5);
    }
}
