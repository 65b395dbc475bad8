//! Settings: Magento 1's `core_config_data` on top of the Magento 2
//! baseline's. The baseline's rows are kept; a Magento 1 row replaces the
//! value of the baseline row with the same (scope, scope_id, path), or is
//! added. Rules (`maps/settings.toml`, and files in the same format given by
//! the user) say which paths are not migrated, which are renamed and which
//! values are transformed: URL suffixes get their leading dot, the default
//! root category id becomes NULL, serialized values become JSON, and
//! encrypted credentials are re-encrypted for Magento 2, or dropped and listed
//! when the keys are not given.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Deserialize;
use wildmatch::WildMatch;

use crate::steps::{Accounting, Rows, StepResult};
use crate::transform::crypt::{self, M1Key, M2Key};
use crate::transform::php;

/// The built-in rules.
pub const BUILTIN: &str = include_str!("../../maps/settings.toml");

/// A rules file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// Not TOML in the expected shape.
    #[error("{file}: {message}")]
    Format {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A rule that could never apply.
    #[error("{file}: {path}: {message}")]
    Rule {
        /// The file.
        file: String,
        /// The path the rule names.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// What is done to a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueRule {
    /// A leading "." for a suffix without one.
    UrlSuffix,
    /// Magento 1's default root category id (2) becomes NULL.
    CategoryRootId,
    /// PHP serialized text becomes JSON.
    SerializeToJson,
    /// Re-encrypted for Magento 2 (or dropped without keys).
    Encrypt,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    keep: Vec<String>,
    #[serde(default)]
    rename: BTreeMap<String, String>,
    #[serde(default)]
    transform: BTreeMap<String, ValueRule>,
}

/// The settings rules, combined from one or more files.
#[derive(Debug, Default)]
pub struct Rules {
    ignore: Vec<(String, WildMatch)>,
    keep: BTreeSet<String>,
    rename: BTreeMap<String, String>,
    transform: BTreeMap<String, ValueRule>,
}

impl Rules {
    /// The built-in rules.
    pub fn builtin() -> Result<Rules, RulesError> {
        let mut r = Rules::default();
        r.add("maps/settings.toml (built in)", BUILTIN)?;
        Ok(r)
    }

    /// Adds a file's rules (named `file` in errors) after the current ones.
    pub fn add(&mut self, file: &str, text: &str) -> Result<(), RulesError> {
        let f: File = toml::from_str(text).map_err(|e| RulesError::Format {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        let ignore: Vec<(String, WildMatch)> = f
            .ignore
            .iter()
            .map(|p| (p.clone(), WildMatch::new(p)))
            .collect();
        let keep: BTreeSet<String> = f.keep.into_iter().collect();
        let ignored_here =
            |path: &str| !keep.contains(path) && ignore.iter().any(|(_, m)| m.matches(path));
        for path in f.rename.keys().chain(f.transform.keys()) {
            if ignored_here(path) {
                return Err(RulesError::Rule {
                    file: file.to_string(),
                    path: path.clone(),
                    message: "renamed or transformed, but the same file ignores it".into(),
                });
            }
        }
        self.ignore.extend(ignore);
        self.keep.extend(keep);
        self.rename.extend(f.rename);
        self.transform.extend(f.transform);
        Ok(())
    }

    /// Whether rows of `path` are left out.
    pub fn ignored(&self, path: &str) -> bool {
        !self.keep.contains(path) && self.ignore.iter().any(|(_, m)| m.matches(path))
    }

    /// The Magento 2 path of a Magento 1 path.
    pub fn renamed<'p>(&'p self, path: &'p str) -> &'p str {
        self.rename.get(path).map_or(path, String::as_str)
    }

    /// The value rule of a Magento 1 path.
    pub fn transform(&self, path: &str) -> Option<ValueRule> {
        self.transform.get(path).copied()
    }
}

/// What the step reads.
pub struct Input<'a> {
    /// Magento 1's `core_config_data`.
    pub m1: &'a Rows,
    /// The baseline's `core_config_data`.
    pub m2: &'a Rows,
    /// The rules.
    pub rules: &'a Rules,
    /// Both keys, when given.
    pub crypt: Option<&'a (M1Key, M2Key)>,
}

/// Why a row was left out.
pub mod reason {
    /// An ignore rule names the path.
    pub const IGNORED: &str = "path ignored by the settings rules";
    /// Encrypted, and no keys were given.
    pub const NO_KEYS: &str =
        "encrypted value, no keys given (listed; enter it again in Magento 2)";
    /// Encrypted, and the Magento 1 key does not decrypt it.
    pub const UNDECRYPTABLE: &str =
        "encrypted value the Magento 1 key does not decrypt (listed; enter it again in Magento 2)";
    /// Another Magento 1 row lands on the same Magento 2 path.
    pub const SUPERSEDED: &str = "renamed onto the same Magento 2 path as a later row, which wins";
    /// The row has no path or scope.
    pub const NO_PATH: &str = "no scope or path";
}

/// A value transformed, or why the row goes.
enum Value {
    Keep(Option<Vec<u8>>),
    Drop(&'static str),
}

/// Whether a value stays as it is for the handlers that leave "empty"
/// values alone.
fn blank(v: &[u8]) -> bool {
    v.is_empty() || v == b"0"
}

/// Applies a value rule. `place` names the row for messages and the nonce.
fn apply(
    rule: ValueRule,
    value: Option<Vec<u8>>,
    place: &str,
    crypt: Option<&(M1Key, M2Key)>,
    warnings: &mut Vec<String>,
) -> Value {
    let Some(v) = value else {
        return Value::Keep(None);
    };
    match rule {
        ValueRule::UrlSuffix => {
            if blank(&v) || v.starts_with(b".") {
                Value::Keep(Some(v))
            } else {
                let mut out = Vec::with_capacity(v.len() + 1);
                out.push(b'.');
                out.extend_from_slice(&v);
                Value::Keep(Some(out))
            }
        }
        ValueRule::CategoryRootId => {
            // PHP's `$value == 2`: a numeric string equal to 2.
            let two = std::str::from_utf8(&v)
                .ok()
                .and_then(|s| s.trim().parse::<f64>().ok())
                .is_some_and(|n| n == 2.0);
            Value::Keep(if two { None } else { Some(v) })
        }
        ValueRule::SerializeToJson => {
            let numeric = std::str::from_utf8(&v)
                .ok()
                .is_some_and(|s| s.trim().parse::<f64>().is_ok());
            if v.is_empty() || numeric {
                return Value::Keep(Some(v));
            }
            match php::serialized_to_json(&v) {
                Ok(j) => Value::Keep(Some(j)),
                Err(e) => {
                    warnings.push(format!(
                        "core_config_data {place}: value is not PHP serialized data ({e}); written as NULL"
                    ));
                    Value::Keep(None)
                }
            }
        }
        ValueRule::Encrypt => {
            if blank(&v) {
                return Value::Keep(Some(v));
            }
            let Some((m1, m2)) = crypt else {
                warnings.push(format!(
                    "core_config_data {place}: encrypted value left out (no keys given); enter it again in Magento 2"
                ));
                return Value::Drop(reason::NO_KEYS);
            };
            match crypt::reencrypt(&v, m1, m2, place.as_bytes()) {
                Ok(out) => Value::Keep(Some(out)),
                Err(e) => {
                    warnings.push(format!(
                        "core_config_data {place}: encrypted value left out ({e}); enter it again in Magento 2"
                    ));
                    Value::Drop(reason::UNDECRYPTABLE)
                }
            }
        }
    }
}

/// Columns the output carries: the baseline's, except those Magento fills
/// itself (`updated_at`), so that every row gets the server's default.
fn out_columns(m2: &Rows) -> Vec<String> {
    ["config_id", "scope", "scope_id", "path", "value"]
        .iter()
        .filter(|c| m2.col(c).is_some())
        .map(|c| c.to_string())
        .collect()
}

/// The migration: the complete `core_config_data` for Magento 2.
pub fn migrate(input: &Input<'_>) -> StepResult {
    let (m1, m2) = (input.m1, input.m2);
    let mut res = StepResult::default();
    let mut acc = Accounting::new("core_config_data");
    let mut out = Rows::new(out_columns(m2));
    let key_of = |rows: &Rows, r: &[Option<Vec<u8>>]| -> Option<(Vec<u8>, i64, Vec<u8>)> {
        Some((
            rows.get(r, "scope")?.to_vec(),
            rows.int(r, "scope_id")?,
            rows.get(r, "path")?.to_vec(),
        ))
    };
    let mut at: HashMap<(Vec<u8>, i64, Vec<u8>), usize> = HashMap::new();
    let mut next_id = 1;
    for r in &m2.rows {
        let row: Vec<Option<Vec<u8>>> = out
            .columns
            .iter()
            .map(|c| m2.get(r, c).map(<[u8]>::to_vec))
            .collect();
        next_id = next_id.max(m2.int(r, "config_id").unwrap_or(0) + 1);
        if let Some(k) = key_of(m2, r) {
            at.insert(k, out.rows.len());
        }
        out.rows.push(row);
    }
    // Magento 1 rows in id order, so that the last of two rows renamed onto
    // one path wins, as it would in the tool that applies them one by one.
    let mut rows: Vec<&Vec<Option<Vec<u8>>>> = m1.rows.iter().collect();
    rows.sort_by_key(|r| m1.int(r, "config_id"));
    // (output row) → the Magento 1 row that wrote it, to count superseded rows.
    let mut written_by: HashMap<usize, usize> = HashMap::new();
    for (n, r) in rows.into_iter().enumerate() {
        let Some((scope, scope_id, path)) = key_of(m1, r) else {
            acc.drop_row(reason::NO_PATH);
            continue;
        };
        let path = String::from_utf8_lossy(&path).into_owned();
        if input.rules.ignored(&path) {
            acc.drop_row(reason::IGNORED);
            continue;
        }
        let mut value = m1.get(r, "value").map(<[u8]>::to_vec);
        if let Some(rule) = input.rules.transform(&path) {
            let place = format!("{}/{scope_id}/{path}", String::from_utf8_lossy(&scope));
            match apply(rule, value, &place, input.crypt, &mut res.warnings) {
                Value::Keep(v) => value = v,
                Value::Drop(why) => {
                    acc.drop_row(why);
                    continue;
                }
            }
        }
        let dest = input.rules.renamed(&path).as_bytes().to_vec();
        let key = (scope.clone(), scope_id, dest.clone());
        let i = match at.get(&key) {
            Some(&i) => i,
            None => {
                let mut row = vec![None; out.columns.len()];
                out.set(
                    &mut row,
                    "config_id",
                    Some(next_id.to_string().into_bytes()),
                );
                next_id += 1;
                out.set(&mut row, "scope", Some(scope));
                out.set(
                    &mut row,
                    "scope_id",
                    Some(scope_id.to_string().into_bytes()),
                );
                out.set(&mut row, "path", Some(dest));
                out.rows.push(row);
                at.insert(key, out.rows.len() - 1);
                out.rows.len() - 1
            }
        };
        if let Some(vi) = out.col("value") {
            out.rows[i][vi] = value;
        }
        if written_by.insert(i, n).is_some() {
            acc.drop_row(reason::SUPERSEDED);
        } else {
            acc.written += 1;
        }
    }
    res.accounting.push(acc);
    res.tables.insert("core_config_data".into(), out);
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(cols: &[&str], data: &[&[Option<&str>]]) -> Rows {
        let mut t = Rows::new(cols.iter().copied());
        for r in data {
            t.rows
                .push(r.iter().map(|v| v.map(|s| s.as_bytes().to_vec())).collect());
        }
        t
    }

    const M1: &[&str] = &["config_id", "scope", "scope_id", "path", "value"];
    const M2: &[&str] = &[
        "config_id",
        "scope",
        "scope_id",
        "path",
        "value",
        "updated_at",
    ];

    fn value(t: &Rows, scope: &str, id: &str, path: &str) -> Option<Option<String>> {
        t.rows
            .iter()
            .find(|r| {
                t.get(r, "scope") == Some(scope.as_bytes())
                    && t.get(r, "scope_id") == Some(id.as_bytes())
                    && t.get(r, "path") == Some(path.as_bytes())
            })
            .map(|r| t.text(r, "value"))
    }

    #[test]
    fn builtin_rules_read() {
        let r = Rules::builtin().unwrap();
        assert!(r.ignored("advanced/modules_disable_output/Mage_Rss"));
        assert!(r.ignored("web/unsecure/base_url"));
        assert!(!r.ignored("general/locale/code"));
        assert_eq!(
            r.renamed("contacts/contacts/enabled"),
            "contact/contact/enabled"
        );
        assert_eq!(
            r.transform("catalog/seo/product_url_suffix"),
            Some(ValueRule::UrlSuffix)
        );
        assert_eq!(
            r.transform("carriers/ups/password"),
            Some(ValueRule::Encrypt)
        );
    }

    #[test]
    fn rules_that_could_never_apply_are_refused() {
        let mut r = Rules::default();
        let e = r
            .add(
                "x.toml",
                "ignore = [\"a/*\"]\n[rename]\n\"a/b/c\" = \"d/e/f\"\n",
            )
            .unwrap_err();
        assert!(e.to_string().contains("a/b/c"), "{e}");
        assert!(r.add("y.toml", "bogus = 1\n").is_err());
        r.add(
            "z.toml",
            "ignore = [\"a/*\"]\nkeep = [\"a/b/c\"]\n[rename]\n\"a/b/c\" = \"d/e/f\"\n",
        )
        .unwrap();
        assert!(!r.ignored("a/b/c"));
        assert!(r.ignored("a/b/x"));
    }

    #[test]
    fn magento_1_rows_override_rename_and_transform() {
        let m2 = rows(
            M2,
            &[
                &[
                    Some("1"),
                    Some("default"),
                    Some("0"),
                    Some("web/unsecure/base_url"),
                    Some("http://m2/"),
                    Some("2024-01-01 00:00:00"),
                ],
                &[
                    Some("7"),
                    Some("default"),
                    Some("0"),
                    Some("general/locale/code"),
                    Some("en_US"),
                    Some("2024-01-01 00:00:00"),
                ],
            ],
        );
        let m1 = rows(
            M1,
            &[
                &[
                    Some("3"),
                    Some("default"),
                    Some("0"),
                    Some("general/locale/code"),
                    Some("de_DE"),
                ],
                &[
                    Some("4"),
                    Some("stores"),
                    Some("1"),
                    Some("catalog/seo/product_url_suffix"),
                    Some("html"),
                ],
                &[
                    Some("5"),
                    Some("default"),
                    Some("0"),
                    Some("catalog/category/root_id"),
                    Some("2"),
                ],
                &[
                    Some("6"),
                    Some("default"),
                    Some("0"),
                    Some("contacts/contacts/enabled"),
                    Some("1"),
                ],
                &[
                    Some("8"),
                    Some("default"),
                    Some("0"),
                    Some("advanced/modules_disable_output/Mage_Rss"),
                    Some("1"),
                ],
                &[
                    Some("9"),
                    Some("default"),
                    Some("0"),
                    Some("currency/options/customsymbol"),
                    Some("a:1:{s:3:\"USD\";s:1:\"$\";}"),
                ],
                &[
                    Some("10"),
                    Some("default"),
                    Some("0"),
                    Some("carriers/ups/password"),
                    Some("0:2:abcdef"),
                ],
                &[
                    Some("11"),
                    Some("websites"),
                    Some("1"),
                    Some("carriers/ups/password"),
                    Some(""),
                ],
                &[
                    Some("12"),
                    Some("default"),
                    Some("0"),
                    Some("payment/paypal_standard/active"),
                    Some("0"),
                ],
                &[
                    Some("13"),
                    Some("default"),
                    Some("0"),
                    Some("payment/paypal_wps_express/active"),
                    Some("1"),
                ],
                &[Some("14"), Some("default"), Some("0"), Some("note/x"), None],
            ],
        );
        let rules = Rules::builtin().unwrap();
        let res = migrate(&Input {
            m1: &m1,
            m2: &m2,
            rules: &rules,
            crypt: None,
        });
        let t = &res.tables["core_config_data"];
        assert_eq!(t.columns, M1);
        let v = |s, i, p| value(t, s, i, p);
        assert_eq!(
            v("default", "0", "web/unsecure/base_url"),
            Some(Some("http://m2/".into()))
        );
        assert_eq!(
            v("default", "0", "general/locale/code"),
            Some(Some("de_DE".into()))
        );
        assert_eq!(
            v("stores", "1", "catalog/seo/product_url_suffix"),
            Some(Some(".html".into()))
        );
        assert_eq!(v("default", "0", "catalog/category/root_id"), Some(None));
        assert_eq!(
            v("default", "0", "contact/contact/enabled"),
            Some(Some("1".into()))
        );
        assert_eq!(v("default", "0", "contacts/contacts/enabled"), None);
        assert_eq!(
            v("default", "0", "advanced/modules_disable_output/Mage_Rss"),
            None
        );
        assert_eq!(
            v("default", "0", "currency/options/customsymbol"),
            Some(Some("{\"USD\":\"$\"}".into()))
        );
        assert_eq!(v("default", "0", "carriers/ups/password"), None);
        assert_eq!(
            v("websites", "1", "carriers/ups/password"),
            Some(Some(String::new()))
        );
        assert_eq!(
            v("default", "0", "payment/wps_express/active"),
            Some(Some("1".into()))
        );
        assert_eq!(v("default", "0", "note/x"), Some(None));
        // The baseline's row keeps its id; new rows are numbered after the baseline's.
        let id = |p: &str| {
            t.rows
                .iter()
                .find(|r| t.get(r, "path") == Some(p.as_bytes()))
                .and_then(|r| t.int(r, "config_id"))
        };
        assert_eq!(id("general/locale/code"), Some(7));
        assert_eq!(id("catalog/seo/product_url_suffix"), Some(8));
        // Every Magento 1 row is accounted for.
        let a = &res.accounting[0];
        assert_eq!(a.written + a.dropped.values().sum::<u64>(), 11);
        assert_eq!(a.dropped[reason::IGNORED], 1);
        assert_eq!(a.dropped[reason::NO_KEYS], 1);
        assert_eq!(a.dropped[reason::SUPERSEDED], 1);
        assert!(
            res.warnings
                .iter()
                .any(|w| w.contains("default/0/carriers/ups/password")),
            "{:?}",
            res.warnings
        );
        assert_eq!(t.rows.len(), 2 + 7);
    }

    #[test]
    fn credentials_are_reencrypted_with_both_keys() {
        let m1key = M1Key::new(b"0123456789abcdef0123456789abcdef").unwrap();
        let m2key = M2Key::new(&[7u8; 32], 1).unwrap();
        let secret = crypt::encrypt_m1_blowfish(b"s3cret", &m1key);
        let m1 = rows(
            M1,
            &[&[
                Some("1"),
                Some("default"),
                Some("0"),
                Some("carriers/ups/password"),
                Some(std::str::from_utf8(&secret).unwrap()),
            ]],
        );
        let m2 = rows(M2, &[]);
        let rules = Rules::builtin().unwrap();
        let keys = (m1key, m2key);
        let res = migrate(&Input {
            m1: &m1,
            m2: &m2,
            rules: &rules,
            crypt: Some(&keys),
        });
        let t = &res.tables["core_config_data"];
        let v = t.get(&t.rows[0], "value").unwrap();
        assert!(v.starts_with(b"1:3:"), "{}", String::from_utf8_lossy(v));
        assert_eq!(crypt::decrypt_m2(v, &keys.1).unwrap(), b"s3cret");
        // A value the key does not open is dropped and listed.
        let bad = rows(
            M1,
            &[&[
                Some("1"),
                Some("default"),
                Some("0"),
                Some("carriers/ups/password"),
                Some("garbage!"),
            ]],
        );
        let res = migrate(&Input {
            m1: &bad,
            m2: &m2,
            rules: &rules,
            crypt: Some(&keys),
        });
        assert!(res.tables["core_config_data"].rows.is_empty());
        assert_eq!(res.accounting[0].dropped[reason::UNDECRYPTABLE], 1);
    }
}
