//! The EAV merge: Magento 1's entity types, attribute sets, groups and
//! attributes joined with a fresh Magento 2's, so that the value tables
//! stream through unchanged.
//!
//! Magento 1 ids win: an entity type, attribute set, group or attribute that
//! Magento 1 has keeps its Magento 1 id, so every value row, option and form
//! entry that refers to it stays valid. A shared attribute (same entity type
//! code and attribute code on both sides) takes Magento 2's definition
//! (models, input, backend type) under the Magento 1 id. Magento 1's own
//! (custom) attributes are converted: class aliases through the class map,
//! multiselect stored as varchar. Rows only Magento 2 has get new ids above
//! every id of either side, and every reference to them among these tables is
//! remapped. Group codes are generated and made unique within each set, even
//! where names collide.

use std::collections::{BTreeMap, BTreeSet};

use crate::map::class_map::ClassMap;
use crate::schema::{ColumnDefault, Table};
use crate::steps::{Accounting, Rows, StepResult};
use crate::transform::magento::attribute_group_code;

/// The tables this step reads and writes.
pub const TABLES: [&str; 7] = [
    "eav_entity_type",
    "eav_attribute_set",
    "eav_attribute_group",
    "eav_attribute",
    "eav_entity_attribute",
    "catalog_eav_attribute",
    "customer_eav_attribute",
];

/// Magento 1 product attributes Magento 2 no longer has (their values go).
const DROPPED_PRODUCT_ATTRIBUTES: [&str; 4] = [
    "msrp_enabled",
    "group_price",
    "is_recurring",
    "recurring_profile",
];

/// Model columns of eav_attribute and customer_eav_attribute that hold class aliases.
const MODEL_COLUMNS: [&str; 5] = [
    "attribute_model",
    "backend_model",
    "frontend_model",
    "source_model",
    "data_model",
];

/// The inputs: Magento 1 rows, Magento 2 baseline rows, and the Magento 2
/// table models (for column defaults), by table name without prefix.
pub struct Input<'a> {
    /// Magento 1 tables.
    pub m1: &'a dyn Fn(&str) -> Option<Rows>,
    /// Magento 2 baseline tables.
    pub m2: &'a dyn Fn(&str) -> Option<Rows>,
    /// Magento 2 table models.
    pub m2_table: &'a dyn Fn(&str) -> Option<Table>,
    /// Class aliases → Magento 2 classes.
    pub classes: &'a ClassMap,
}

type Row = Vec<Option<Vec<u8>>>;

fn int(v: Option<&[u8]>) -> Option<i64> {
    std::str::from_utf8(v?).ok()?.trim().parse().ok()
}

fn num(i: i64) -> Option<Vec<u8>> {
    Some(i.to_string().into_bytes())
}

/// The value a Magento 2 column takes when nothing gives one.
fn default_value(t: &Table, col: &str) -> Option<Vec<u8>> {
    let c = t.columns.iter().find(|c| c.name == col)?;
    match &c.default {
        Some(ColumnDefault::Literal(s)) => Some(s.clone().into_bytes()),
        Some(ColumnDefault::Null) | Some(ColumnDefault::Expr(_)) => None,
        None if c.nullable => None,
        None => match c.base_type.as_str() {
            "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint" | "decimal"
            | "float" | "double" => Some(b"0".to_vec()),
            _ => Some(Vec::new()),
        },
    }
}

/// A row of `from` in the columns of `to` (missing columns take `to`'s defaults).
fn reshape(from: &Rows, row: &[Option<Vec<u8>>], to: &Rows, model: &Table) -> Row {
    to.columns
        .iter()
        .map(|c| match from.col(c) {
            Some(i) => row[i].clone().or_else(|| {
                model
                    .columns
                    .iter()
                    .find(|mc| mc.name == *c && !mc.nullable)
                    .and_then(|_| default_value(model, c))
            }),
            None => default_value(model, c),
        })
        .collect()
}

/// Ids handed out above every id either side uses.
struct Fresh(i64);

impl Fresh {
    fn above(a: &Rows, b: &Rows, col: &str) -> Fresh {
        let max = a
            .rows
            .iter()
            .filter_map(|r| a.int(r, col))
            .chain(b.rows.iter().filter_map(|r| b.int(r, col)))
            .max()
            .unwrap_or(0);
        Fresh(max)
    }
    fn next(&mut self) -> i64 {
        self.0 += 1;
        self.0
    }
}

/// Reads a table from both sides; Magento 2's columns define the output.
struct Pair {
    m1: Rows,
    m2: Rows,
    model: Table,
}

fn pair(input: &Input<'_>, name: &str) -> Option<Pair> {
    let model = (input.m2_table)(name)?;
    let m2 =
        (input.m2)(name).unwrap_or_else(|| Rows::new(model.columns.iter().map(|c| c.name.clone())));
    let m1 = (input.m1)(name).unwrap_or_default();
    Some(Pair { m1, m2, model })
}

/// The merge. Tables missing on the Magento 2 side are left alone (the
/// result has no entry for them).
pub fn merge(input: &Input<'_>) -> StepResult {
    let mut res = StepResult::default();
    let Some(types) = pair(input, "eav_entity_type") else {
        return res;
    };
    // Entity types, matched by code.
    let code_of = |r: &Rows, row: &[Option<Vec<u8>>]| r.text(row, "entity_type_code");
    let m1_types: BTreeMap<String, i64> = types
        .m1
        .rows
        .iter()
        .filter_map(|r| Some((code_of(&types.m1, r)?, types.m1.int(r, "entity_type_id")?)))
        .collect();
    let mut fresh = Fresh::above(&types.m1, &types.m2, "entity_type_id");
    let mut type_map: BTreeMap<i64, i64> = BTreeMap::new(); // M2 id → out id
    let mut type_code: BTreeMap<i64, String> = BTreeMap::new(); // out id → code
    let mut out_types = Rows::new(types.m2.columns.clone());
    for r in &types.m2.rows {
        let (Some(id), Some(code)) = (types.m2.int(r, "entity_type_id"), code_of(&types.m2, r))
        else {
            continue;
        };
        let out = m1_types.get(&code).copied().unwrap_or_else(|| fresh.next());
        type_map.insert(id, out);
        type_code.insert(out, code);
        let mut row = r.clone();
        types.m2.set(&mut row, "entity_type_id", num(out));
        out_types.rows.push(row);
    }
    let mut acc = Accounting::new("eav_entity_type");
    for r in &types.m1.rows {
        match code_of(&types.m1, r) {
            Some(c) if type_code.values().any(|v| *v == c) => acc.written += 1,
            _ => acc.drop_row("entity type Magento 2 does not have"),
        }
    }
    res.accounting.push(acc);
    let kept_type = |id: Option<i64>| id.is_some_and(|i| type_code.contains_key(&i));

    // Attribute sets: Magento 1's keep their ids; Magento 2's are matched by
    // (entity type, name) or get new ids.
    let mut set_map: BTreeMap<i64, i64> = BTreeMap::new(); // M2 id → out id
    let mut out_sets = Rows::default();
    if let Some(sets) = pair(input, "eav_attribute_set") {
        let mut fresh = Fresh::above(&sets.m1, &sets.m2, "attribute_set_id");
        out_sets.columns = sets.m2.columns.clone();
        let mut acc = Accounting::new("eav_attribute_set");
        let mut by_name: BTreeMap<(i64, String), i64> = BTreeMap::new();
        for r in &sets.m1.rows {
            let t = sets.m1.int(r, "entity_type_id");
            let (Some(id), true) = (sets.m1.int(r, "attribute_set_id"), kept_type(t)) else {
                acc.drop_row("its entity type is not migrated");
                continue;
            };
            let name = sets.m1.text(r, "attribute_set_name").unwrap_or_default();
            by_name.insert((t.unwrap_or(0), name.to_lowercase()), id);
            out_sets
                .rows
                .push(reshape(&sets.m1, r, &sets.m2, &sets.model));
            acc.written += 1;
        }
        for r in &sets.m2.rows {
            let (Some(id), Some(t)) = (
                sets.m2.int(r, "attribute_set_id"),
                sets.m2
                    .int(r, "entity_type_id")
                    .and_then(|t| type_map.get(&t).copied()),
            ) else {
                continue;
            };
            let name = sets.m2.text(r, "attribute_set_name").unwrap_or_default();
            if let Some(&m1) = by_name.get(&(t, name.to_lowercase())) {
                set_map.insert(id, m1);
                continue;
            }
            let out = fresh.next();
            set_map.insert(id, out);
            let mut row = r.clone();
            sets.m2.set(&mut row, "attribute_set_id", num(out));
            sets.m2.set(&mut row, "entity_type_id", num(t));
            out_sets.rows.push(row);
        }
        res.accounting.push(acc);
    }
    // Default attribute sets of the entity types follow the sets.
    let type_cols = types.m2.clone();
    for row in &mut out_types.rows {
        if let Some(s) = type_cols.int(row, "default_attribute_set_id")
            && let Some(&out) = set_map.get(&s)
        {
            type_cols.set(row, "default_attribute_set_id", num(out));
        }
    }
    let set_ids: BTreeSet<i64> = out_sets
        .rows
        .iter()
        .filter_map(|r| out_sets.int(r, "attribute_set_id"))
        .collect();

    // Groups: Magento 1's keep ids and get unique codes; Magento 2's join the
    // group of the same code or name in the set, or are added.
    let mut group_map: BTreeMap<i64, i64> = BTreeMap::new();
    let mut out_groups = Rows::default();
    if let Some(groups) = pair(input, "eav_attribute_group") {
        let mut fresh = Fresh::above(&groups.m1, &groups.m2, "attribute_group_id");
        out_groups.columns = groups.m2.columns.clone();
        let mut acc = Accounting::new("eav_attribute_group");
        // Per set: codes and lower-cased names taken → group id.
        let mut codes: BTreeMap<(i64, Vec<u8>), usize> = BTreeMap::new();
        let mut names: BTreeMap<(i64, String), usize> = BTreeMap::new();
        for r in &groups.m1.rows {
            let set = groups.m1.int(r, "attribute_set_id");
            let Some(set) = set.filter(|s| set_ids.contains(s)) else {
                acc.drop_row("its attribute set is not migrated");
                continue;
            };
            let name = groups
                .m1
                .text(r, "attribute_group_name")
                .unwrap_or_default();
            if names.contains_key(&(set, name.to_lowercase())) {
                acc.drop_row("a group of the same name is already in the set");
                continue;
            }
            let mut row = reshape(&groups.m1, r, &groups.m2, &groups.model);
            let base = attribute_group_code(name.as_bytes());
            let mut code = base.clone();
            let mut n = 1;
            while codes.contains_key(&(set, code.clone())) {
                n += 1;
                code = [base.as_slice(), format!("-{n}").as_bytes()].concat();
            }
            groups
                .m2
                .set(&mut row, "attribute_group_code", Some(code.clone()));
            let at = out_groups.rows.len();
            codes.insert((set, code), at);
            names.insert((set, name.to_lowercase()), at);
            out_groups.rows.push(row);
            acc.written += 1;
        }
        for r in &groups.m2.rows {
            let (Some(id), Some(set)) = (
                groups.m2.int(r, "attribute_group_id"),
                groups
                    .m2
                    .int(r, "attribute_set_id")
                    .and_then(|s| set_map.get(&s).copied()),
            ) else {
                continue;
            };
            let code = groups
                .m2
                .get(r, "attribute_group_code")
                .unwrap_or_default()
                .to_vec();
            let name = groups
                .m2
                .text(r, "attribute_group_name")
                .unwrap_or_default();
            let found = codes
                .get(&(set, code.clone()))
                .or_else(|| names.get(&(set, name.to_lowercase())))
                .copied();
            if let Some(at) = found {
                let tab = groups.m2.get(r, "tab_group_code").map(<[u8]>::to_vec);
                let row = &mut out_groups.rows[at];
                if let Some(g) = groups.m2.int(row, "attribute_group_id") {
                    group_map.insert(id, g);
                }
                // A Magento 1 group standing for a Magento 2 one takes its tab.
                if groups.m2.get(row, "tab_group_code").is_none() {
                    groups.m2.set(row, "tab_group_code", tab);
                }
                continue;
            }
            let out = fresh.next();
            group_map.insert(id, out);
            let mut row = r.clone();
            groups.m2.set(&mut row, "attribute_group_id", num(out));
            groups.m2.set(&mut row, "attribute_set_id", num(set));
            let at = out_groups.rows.len();
            codes.insert((set, code), at);
            names.insert((set, name.to_lowercase()), at);
            out_groups.rows.push(row);
        }
        res.accounting.push(acc);
    }
    let group_ids: BTreeSet<i64> = out_groups
        .rows
        .iter()
        .filter_map(|r| out_groups.int(r, "attribute_group_id"))
        .collect();

    // Attributes, matched by (entity type code, attribute code).
    let mut attr_map: BTreeMap<i64, i64> = BTreeMap::new(); // M2 id → out id
    let mut out_attrs = Rows::default();
    let mut attr_type: BTreeMap<i64, String> = BTreeMap::new(); // out id → type code
    let mut shared: BTreeSet<i64> = BTreeSet::new(); // out ids defined by Magento 2
    if let Some(attrs) = pair(input, "eav_attribute") {
        let mut fresh = Fresh::above(&attrs.m1, &attrs.m2, "attribute_id");
        out_attrs.columns = attrs.m2.columns.clone();
        let key = |r: &Rows, row: &[Option<Vec<u8>>], t: i64| {
            Some((type_code.get(&t)?.clone(), r.text(row, "attribute_code")?))
        };
        let mut m2_by_key: BTreeMap<(String, String), usize> = BTreeMap::new();
        for (i, r) in attrs.m2.rows.iter().enumerate() {
            if let Some(t) = attrs
                .m2
                .int(r, "entity_type_id")
                .and_then(|t| type_map.get(&t))
                && let Some(k) = key(&attrs.m2, r, *t)
            {
                m2_by_key.insert(k, i);
            }
        }
        let mut acc = Accounting::new("eav_attribute");
        let mut taken: BTreeSet<(String, String)> = BTreeSet::new();
        for r in &attrs.m1.rows {
            let t = attrs.m1.int(r, "entity_type_id");
            let (Some(id), Some(t)) = (
                attrs.m1.int(r, "attribute_id"),
                t.filter(|t| type_code.contains_key(t)),
            ) else {
                acc.drop_row("its entity type is not migrated");
                continue;
            };
            let Some(k) = key(&attrs.m1, r, t) else {
                acc.drop_row("no attribute code");
                continue;
            };
            if k.0 == "catalog_product"
                && DROPPED_PRODUCT_ATTRIBUTES.contains(&k.1.as_str())
                && !m2_by_key.contains_key(&k)
            {
                acc.drop_row("attribute Magento 2 no longer has (its values are dropped)");
                continue;
            }
            if !taken.insert(k.clone()) {
                acc.drop_row("duplicate attribute code in its entity type");
                continue;
            }
            let row = match m2_by_key.get(&k) {
                Some(&i) => {
                    let m2row = &attrs.m2.rows[i];
                    if let Some(m2id) = attrs.m2.int(m2row, "attribute_id") {
                        attr_map.insert(m2id, id);
                    }
                    shared.insert(id);
                    let mut row = m2row.clone();
                    attrs.m2.set(&mut row, "attribute_id", num(id));
                    attrs.m2.set(&mut row, "entity_type_id", num(t));
                    row
                }
                None => {
                    let mut row = reshape(&attrs.m1, r, &attrs.m2, &attrs.model);
                    convert_models(&attrs.m2, &mut row, input.classes, &k, &mut res.warnings);
                    if attrs.m2.get(&row, "frontend_input") == Some(b"multiselect") {
                        attrs
                            .m2
                            .set(&mut row, "backend_type", Some(b"varchar".to_vec()));
                    }
                    if attrs.m2.get(&row, "frontend_input") == Some(b"date")
                        && let Some(ts) = attrs.m2.int(&row, "default_value")
                    {
                        attrs.m2.set(
                            &mut row,
                            "default_value",
                            Some(timestamp_text(ts).into_bytes()),
                        );
                    }
                    row
                }
            };
            attr_type.insert(id, k.0.clone());
            out_attrs.rows.push(row);
            acc.written += 1;
        }
        for r in &attrs.m2.rows {
            let (Some(id), Some(t)) = (
                attrs.m2.int(r, "attribute_id"),
                attrs
                    .m2
                    .int(r, "entity_type_id")
                    .and_then(|t| type_map.get(&t).copied()),
            ) else {
                continue;
            };
            if attr_map.contains_key(&id) {
                continue;
            }
            let Some(k) = key(&attrs.m2, r, t) else {
                continue;
            };
            if taken.contains(&k) {
                continue;
            }
            let out = fresh.next();
            attr_map.insert(id, out);
            shared.insert(out);
            attr_type.insert(out, k.0);
            let mut row = r.clone();
            attrs.m2.set(&mut row, "attribute_id", num(out));
            attrs.m2.set(&mut row, "entity_type_id", num(t));
            out_attrs.rows.push(row);
        }
        res.accounting.push(acc);
    }

    // Attributes in sets and groups.
    let mut out_links = Rows::default();
    if let Some(links) = pair(input, "eav_entity_attribute") {
        let mut fresh = Fresh::above(&links.m1, &links.m2, "entity_attribute_id");
        out_links.columns = links.m2.columns.clone();
        let mut acc = Accounting::new("eav_entity_attribute");
        let mut by_set: BTreeSet<(i64, i64)> = BTreeSet::new();
        let mut by_group: BTreeSet<(i64, i64)> = BTreeSet::new();
        for r in &links.m1.rows {
            let (s, g, a) = (
                links.m1.int(r, "attribute_set_id"),
                links.m1.int(r, "attribute_group_id"),
                links.m1.int(r, "attribute_id"),
            );
            let (Some(s), Some(g), Some(a)) = (s, g, a) else {
                acc.drop_row("incomplete row");
                continue;
            };
            if !set_ids.contains(&s) || !group_ids.contains(&g) || !attr_type.contains_key(&a) {
                acc.drop_row("its set, group or attribute is not migrated");
                continue;
            }
            if !by_set.insert((s, a)) || !by_group.insert((g, a)) {
                acc.drop_row("the attribute is already in that set or group");
                continue;
            }
            out_links
                .rows
                .push(reshape(&links.m1, r, &links.m2, &links.model));
            acc.written += 1;
        }
        for r in &links.m2.rows {
            let map = |col: &str, m: &BTreeMap<i64, i64>| {
                links.m2.int(r, col).and_then(|v| m.get(&v).copied())
            };
            let (Some(t), Some(s), Some(g), Some(a)) = (
                map("entity_type_id", &type_map),
                map("attribute_set_id", &set_map),
                map("attribute_group_id", &group_map),
                map("attribute_id", &attr_map),
            ) else {
                continue;
            };
            if by_set.contains(&(s, a)) || by_group.contains(&(g, a)) {
                continue;
            }
            by_set.insert((s, a));
            by_group.insert((g, a));
            let mut row = r.clone();
            links
                .m2
                .set(&mut row, "entity_attribute_id", num(fresh.next()));
            links.m2.set(&mut row, "entity_type_id", num(t));
            links.m2.set(&mut row, "attribute_set_id", num(s));
            links.m2.set(&mut row, "attribute_group_id", num(g));
            links.m2.set(&mut row, "attribute_id", num(a));
            out_links.rows.push(row);
        }
        res.accounting.push(acc);
    }

    // Additional attribute tables: Magento 2's row for shared attributes, the
    // Magento 1 row for custom ones.
    for (table, types) in [
        (
            "catalog_eav_attribute",
            &["catalog_product", "catalog_category"][..],
        ),
        (
            "customer_eav_attribute",
            &["customer", "customer_address"][..],
        ),
    ] {
        let Some(extra) = pair(input, table) else {
            continue;
        };
        let mut out = Rows::new(extra.m2.columns.clone());
        let mut acc = Accounting::new(table);
        let mut seen = BTreeSet::new();
        for r in &extra.m2.rows {
            let Some(a) = extra
                .m2
                .int(r, "attribute_id")
                .and_then(|a| attr_map.get(&a).copied())
            else {
                continue;
            };
            if seen.insert(a) {
                let mut row = r.clone();
                extra.m2.set(&mut row, "attribute_id", num(a));
                out.rows.push(row);
            }
        }
        for r in &extra.m1.rows {
            let Some(a) = extra.m1.int(r, "attribute_id") else {
                acc.drop_row("incomplete row");
                continue;
            };
            if !attr_type
                .get(&a)
                .is_some_and(|t| types.contains(&t.as_str()))
            {
                acc.drop_row("its attribute is not migrated");
                continue;
            }
            if shared.contains(&a) || !seen.insert(a) {
                // Magento 2's settings stand for a shared attribute.
                acc.written += 1;
                continue;
            }
            let mut row = reshape(&extra.m1, r, &extra.m2, &extra.model);
            let code = (String::new(), format!("{table}.{a}"));
            convert_models(&extra.m2, &mut row, input.classes, &code, &mut res.warnings);
            out.rows.push(row);
            acc.written += 1;
        }
        sort_by(&mut out, "attribute_id");
        res.accounting.push(acc);
        res.tables.insert(table.to_string(), out);
    }

    sort_by(&mut out_types, "entity_type_id");
    sort_by(&mut out_sets, "attribute_set_id");
    sort_by(&mut out_groups, "attribute_group_id");
    sort_by(&mut out_attrs, "attribute_id");
    sort_by(&mut out_links, "entity_attribute_id");
    res.tables.insert("eav_entity_type".into(), out_types);
    for (name, rows) in [
        ("eav_attribute_set", out_sets),
        ("eav_attribute_group", out_groups),
        ("eav_attribute", out_attrs),
        ("eav_entity_attribute", out_links),
    ] {
        if !rows.columns.is_empty() {
            res.tables.insert(name.into(), rows);
        }
    }
    res
}

/// Replaces Magento 1 class aliases in model columns by Magento 2 classes.
fn convert_models(
    rows: &Rows,
    row: &mut [Option<Vec<u8>>],
    classes: &ClassMap,
    key: &(String, String),
    warnings: &mut Vec<String>,
) {
    for col in MODEL_COLUMNS {
        let Some(v) = rows.get(row, col).map(<[u8]>::to_vec) else {
            continue;
        };
        if v.is_empty() {
            rows.set(row, col, None);
            continue;
        }
        match classes.get(&v) {
            Some("") => rows.set(row, col, None),
            Some(c) => rows.set(row, col, Some(c.as_bytes().to_vec())),
            // A Magento 2 class name (with a backslash) stays; an alias
            // nobody maps is an extension's class: NULL, and said.
            None if v.contains(&b'\\') => {}
            None => {
                warnings.push(format!(
                    "eav attribute {}{}{}: {col} `{}` has no Magento 2 class; set to NULL",
                    key.0,
                    if key.0.is_empty() { "" } else { "." },
                    key.1,
                    String::from_utf8_lossy(&v)
                ));
                rows.set(row, col, None);
            }
        }
    }
}

/// A Unix timestamp as `Y-m-d H:i:s` (UTC).
fn timestamp_text(ts: i64) -> String {
    let days = ts.div_euclid(86_400);
    let secs = ts.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

fn sort_by(rows: &mut Rows, col: &str) {
    if let Some(i) = rows.col(col) {
        rows.rows.sort_by_key(|r| int(r[i].as_deref()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::parse_create_table;

    fn table(sql: &str) -> Table {
        parse_create_table(sql.as_bytes()).unwrap()
    }

    fn rows(cols: &[&str], data: &[&[Option<&str>]]) -> Rows {
        Rows {
            columns: cols.iter().map(|c| c.to_string()).collect(),
            rows: data
                .iter()
                .map(|r| r.iter().map(|v| v.map(|s| s.as_bytes().to_vec())).collect())
                .collect(),
        }
    }

    #[test]
    fn timestamps_become_dates() {
        assert_eq!(timestamp_text(0), "1970-01-01 00:00:00");
        assert_eq!(timestamp_text(1_700_000_000), "2023-11-14 22:13:20");
    }

    #[test]
    fn magento_1_ids_win_and_magento_2_rows_are_renumbered() {
        let et = "CREATE TABLE `eav_entity_type` (`entity_type_id` smallint unsigned NOT NULL, `entity_type_code` varchar(50) NOT NULL, `default_attribute_set_id` smallint unsigned NOT NULL DEFAULT 0, PRIMARY KEY (`entity_type_id`))";
        let set = "CREATE TABLE `eav_attribute_set` (`attribute_set_id` smallint unsigned NOT NULL, `entity_type_id` smallint unsigned NOT NULL DEFAULT 0, `attribute_set_name` varchar(255) DEFAULT NULL, `sort_order` smallint NOT NULL DEFAULT 0, PRIMARY KEY (`attribute_set_id`))";
        let grp = "CREATE TABLE `eav_attribute_group` (`attribute_group_id` smallint unsigned NOT NULL, `attribute_set_id` smallint unsigned NOT NULL DEFAULT 0, `attribute_group_name` varchar(255) DEFAULT NULL, `attribute_group_code` varchar(255) NOT NULL, `tab_group_code` varchar(255) DEFAULT NULL, PRIMARY KEY (`attribute_group_id`))";
        let att = "CREATE TABLE `eav_attribute` (`attribute_id` smallint unsigned NOT NULL, `entity_type_id` smallint unsigned NOT NULL DEFAULT 0, `attribute_code` varchar(255) NOT NULL, `backend_model` varchar(255) DEFAULT NULL, `backend_type` varchar(8) NOT NULL DEFAULT 'static', `frontend_input` varchar(50) DEFAULT NULL, PRIMARY KEY (`attribute_id`))";
        let models = [table(et), table(set), table(grp), table(att)];
        let model = |n: &str| models.iter().find(|t| t.name == n).cloned();
        let m1 = |n: &str| {
            Some(match n {
                "eav_entity_type" => rows(
                    &["entity_type_id", "entity_type_code"],
                    &[
                        &[Some("4"), Some("catalog_product")],
                        &[Some("9"), Some("tag")],
                    ],
                ),
                "eav_attribute_set" => rows(
                    &["attribute_set_id", "entity_type_id", "attribute_set_name"],
                    &[
                        &[Some("4"), Some("4"), Some("Default")],
                        &[Some("9"), Some("4"), Some("Shoes")],
                    ],
                ),
                "eav_attribute_group" => rows(
                    &[
                        "attribute_group_id",
                        "attribute_set_id",
                        "attribute_group_name",
                    ],
                    &[
                        &[Some("7"), Some("4"), Some("General")],
                        &[Some("8"), Some("9"), Some("Général")],
                        &[Some("10"), Some("9"), Some("General!")],
                    ],
                ),
                "eav_attribute" => rows(
                    &[
                        "attribute_id",
                        "entity_type_id",
                        "attribute_code",
                        "backend_model",
                        "backend_type",
                        "frontend_input",
                    ],
                    &[
                        &[
                            Some("60"),
                            Some("4"),
                            Some("name"),
                            None,
                            Some("varchar"),
                            Some("text"),
                        ],
                        &[
                            Some("140"),
                            Some("4"),
                            Some("colours"),
                            Some("eav/entity_attribute_backend_array"),
                            Some("text"),
                            Some("multiselect"),
                        ],
                        &[
                            Some("141"),
                            Some("4"),
                            Some("gizmo"),
                            Some("acme_gizmo/backend"),
                            Some("int"),
                            Some("select"),
                        ],
                        &[
                            Some("142"),
                            Some("4"),
                            Some("is_recurring"),
                            None,
                            Some("int"),
                            Some("boolean"),
                        ],
                    ],
                ),
                _ => return None,
            })
        };
        let m2 = |n: &str| {
            Some(match n {
                "eav_entity_type" => rows(
                    &[
                        "entity_type_id",
                        "entity_type_code",
                        "default_attribute_set_id",
                    ],
                    &[
                        &[Some("4"), Some("catalog_product"), Some("4")],
                        &[Some("7"), Some("sales_order"), Some("0")],
                    ],
                ),
                "eav_attribute_set" => rows(
                    &[
                        "attribute_set_id",
                        "entity_type_id",
                        "attribute_set_name",
                        "sort_order",
                    ],
                    &[&[Some("4"), Some("4"), Some("Default"), Some("2")]],
                ),
                "eav_attribute_group" => rows(
                    &[
                        "attribute_group_id",
                        "attribute_set_id",
                        "attribute_group_name",
                        "attribute_group_code",
                        "tab_group_code",
                    ],
                    &[
                        &[
                            Some("7"),
                            Some("4"),
                            Some("Product Details"),
                            Some("product-details"),
                            Some("basic"),
                        ],
                        &[
                            Some("8"),
                            Some("4"),
                            Some("General"),
                            Some("general"),
                            Some("basic"),
                        ],
                    ],
                ),
                "eav_attribute" => rows(
                    &[
                        "attribute_id",
                        "entity_type_id",
                        "attribute_code",
                        "backend_model",
                        "backend_type",
                        "frontend_input",
                    ],
                    &[
                        &[
                            Some("73"),
                            Some("4"),
                            Some("name"),
                            None,
                            Some("varchar"),
                            Some("text"),
                        ],
                        &[
                            Some("150"),
                            Some("4"),
                            Some("quantity_and_stock_status"),
                            Some("Magento\\Catalog\\Backend"),
                            Some("int"),
                            Some("select"),
                        ],
                    ],
                ),
                _ => return None,
            })
        };
        let mut classes = BTreeMap::new();
        classes.insert(
            "eav/entity_attribute_backend_array".to_string(),
            "Magento\\Eav\\ArrayBackend".to_string(),
        );
        let classes = ClassMap::from_map(classes);
        let res = merge(&Input {
            m1: &m1,
            m2: &m2,
            m2_table: &model,
            classes: &classes,
        });
        let t = &res.tables["eav_entity_type"];
        let ids: Vec<_> = t
            .rows
            .iter()
            .map(|r| (t.int(r, "entity_type_id"), t.text(r, "entity_type_code")))
            .collect();
        assert_eq!(
            ids,
            vec![
                (Some(4), Some("catalog_product".into())),
                (Some(10), Some("sales_order".into()))
            ]
        );
        let a = &res.tables["eav_attribute"];
        let attrs: Vec<_> = a
            .rows
            .iter()
            .map(|r| {
                (
                    a.int(r, "attribute_id").unwrap(),
                    a.text(r, "attribute_code").unwrap(),
                    a.text(r, "backend_model"),
                    a.text(r, "backend_type").unwrap(),
                )
            })
            .collect();
        assert_eq!(
            attrs,
            vec![
                (60, "name".into(), None, "varchar".into()),
                (
                    140,
                    "colours".into(),
                    Some("Magento\\Eav\\ArrayBackend".into()),
                    "varchar".into()
                ),
                (141, "gizmo".into(), None, "int".into()),
                (
                    151,
                    "quantity_and_stock_status".into(),
                    Some("Magento\\Catalog\\Backend".into()),
                    "int".into()
                ),
            ]
        );
        assert!(
            res.warnings
                .iter()
                .any(|w| w.contains("acme_gizmo/backend")),
            "{:?}",
            res.warnings
        );
        let g = &res.tables["eav_attribute_group"];
        let groups: Vec<_> = g
            .rows
            .iter()
            .map(|r| {
                (
                    g.int(r, "attribute_group_id").unwrap(),
                    g.int(r, "attribute_set_id").unwrap(),
                    g.text(r, "attribute_group_code").unwrap(),
                    g.text(r, "tab_group_code"),
                )
            })
            .collect();
        assert_eq!(
            groups,
            vec![
                (7, 4, "general".into(), Some("basic".into())),
                (8, 9, "general".into(), None),
                (10, 9, "general-2".into(), None),
                (11, 4, "product-details".into(), Some("basic".into())),
            ]
        );
        let acc: BTreeMap<_, _> = res
            .accounting
            .iter()
            .map(|a| {
                (
                    a.source.as_str(),
                    (a.written, a.dropped.values().sum::<u64>()),
                )
            })
            .collect();
        assert_eq!(acc["eav_entity_type"], (1, 1));
        assert_eq!(acc["eav_attribute"], (3, 1));
        assert_eq!(acc["eav_attribute_group"], (3, 0));
    }
}
