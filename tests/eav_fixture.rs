//! The DMT's own EAV expectations on its eav fixture: its integrity, data and
//! volume stages must pass, which means every Magento 1 attribute id keeps
//! its code, shared attributes keep Magento 2's definition, Magento 2-only
//! rows survive under new ids, and group codes are unique within each set.
//! Every expectation is read from the fixture's two sides, loaded into
//! MariaDB, not written down here.

use std::collections::{BTreeMap, BTreeSet};

use crate::data::{assert_accounted, data};
use crate::util::{self, Maria, STRICT};

/// Magento 1 product attributes Magento 2 no longer has (the DMT ignores them).
const GONE: [&str; 4] = [
    "msrp_enabled",
    "group_price",
    "is_recurring",
    "recurring_profile",
];

/// (attribute id, entity type code, attribute code, definition...) rows.
const ATTRIBUTES: &str = "SELECT a.attribute_id, t.entity_type_code, a.attribute_code, \
    a.backend_model, a.backend_type, a.frontend_input, IFNULL(a.frontend_class, ''), \
    IFNULL(a.source_model, '') \
    FROM eav_attribute a JOIN eav_entity_type t ON t.entity_type_id = a.entity_type_id \
    ORDER BY a.attribute_id";
const SETS: &str = "SELECT s.attribute_set_id, t.entity_type_code, s.attribute_set_name \
    FROM eav_attribute_set s JOIN eav_entity_type t ON t.entity_type_id = s.entity_type_id \
    ORDER BY 1";
const GROUPS_M1: &str = "SELECT g.attribute_group_id, g.attribute_set_id, g.attribute_group_name \
    FROM eav_attribute_group g ORDER BY 1";
const GROUPS_M2: &str = "SELECT t.entity_type_code, s.attribute_set_name, \
    g.attribute_group_code, g.attribute_group_name \
    FROM eav_attribute_group g JOIN eav_attribute_set s ON s.attribute_set_id = g.attribute_set_id \
    JOIN eav_entity_type t ON t.entity_type_id = s.entity_type_id ORDER BY 1, 2, 3";
const LINKS: &str = "SELECT t.entity_type_code, s.attribute_set_name, a.attribute_code \
    FROM eav_entity_attribute l JOIN eav_attribute a ON a.attribute_id = l.attribute_id \
    JOIN eav_attribute_set s ON s.attribute_set_id = l.attribute_set_id \
    JOIN eav_entity_type t ON t.entity_type_id = l.entity_type_id ORDER BY 1, 2, 3";
/// Attributes with their catalog_eav_attribute / customer_eav_attribute row.
const EXTRA: &str = "SELECT t.entity_type_code, a.attribute_code FROM eav_attribute a \
    JOIN eav_entity_type t ON t.entity_type_id = a.entity_type_id \
    WHERE a.attribute_id IN (SELECT attribute_id FROM catalog_eav_attribute) \
    OR a.attribute_id IN (SELECT attribute_id FROM customer_eav_attribute) ORDER BY 1, 2";
const TYPES: &str = "SELECT entity_type_id, entity_type_code, entity_model, \
    IFNULL(attribute_model, ''), entity_table FROM eav_entity_type ORDER BY 2";

#[test]
fn dmt_eav_fixture_expectations_hold() {
    let (Some(shared), Some(db)) = (util::shared(), Maria::get()) else {
        return;
    };
    let f = shared.join("corpus/dmt-fixtures/eav");
    let (src, dest) = (f.join("source.sql"), f.join("dest.sql"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("eav.sql");
    let (report, stderr) = data(&src, &dest, &out, &[]);
    assert_accounted(&report);
    // The DMT's integrity stage fails on unmapped classes; here they would be
    // warnings. The fixture has none.
    assert!(!stderr.contains("warning"), "{stderr}");

    let read = |name: &str, init: &str, file: &std::path::Path, queries: [&str; 6]| {
        db.fresh_db(name);
        db.load(name, file, init);
        queries.map(|q| db.query(name, q))
    };
    let [m1_attrs, m1_sets, m1_groups, m1_links, m1_types, m1_extra] = read(
        "m1tom2_eavfx_src",
        "",
        &src,
        [ATTRIBUTES, SETS, GROUPS_M1, LINKS, TYPES, EXTRA],
    );
    let [m2_attrs, m2_sets, m2_groups, m2_links, m2_types, m2_extra] = read(
        "m1tom2_eavfx_dest",
        "",
        &dest,
        [ATTRIBUTES, SETS, GROUPS_M2, LINKS, TYPES, EXTRA],
    );
    let [attrs, sets, groups, links, types, out_extra] = read(
        "m1tom2_eavfx_out",
        STRICT,
        &out,
        [ATTRIBUTES, SETS, GROUPS_M1, LINKS, TYPES, EXTRA],
    );
    let out_groups = db.query("m1tom2_eavfx_out", GROUPS_M2);
    let broken = db.fk_violations("m1tom2_eavfx_out");
    let dup_codes = db.query(
        "m1tom2_eavfx_out",
        "SELECT attribute_set_id, attribute_group_code, COUNT(*) FROM eav_attribute_group \
         GROUP BY 1, 2 HAVING COUNT(*) > 1",
    );
    for name in ["m1tom2_eavfx_src", "m1tom2_eavfx_dest", "m1tom2_eavfx_out"] {
        db.drop_db(name);
    }
    assert!(broken.is_empty(), "{broken:#?}");
    assert!(
        dup_codes.is_empty(),
        "group codes repeat in a set: {dup_codes:?}"
    );
    // Every attribute that has its catalog/customer row on either side keeps it.
    let out_extra: BTreeSet<&Vec<String>> = out_extra.iter().collect();
    for e in m1_extra.iter().chain(&m2_extra) {
        if !GONE.contains(&e[1].as_str()) {
            assert!(out_extra.contains(e), "the additional row of {e:?}");
        }
    }

    // Entity types: matched by code, Magento 1 ids, Magento 2 models.
    let m1_type_ids: BTreeMap<&str, &str> = m1_types
        .iter()
        .map(|r| (r[1].as_str(), r[0].as_str()))
        .collect();
    assert_eq!(types.len(), m2_types.len(), "{types:?}");
    for (t, m2) in types.iter().zip(&m2_types) {
        assert_eq!(
            t[1..],
            m2[1..],
            "entity type {} keeps Magento 2's models",
            t[1]
        );
        if let Some(id) = m1_type_ids.get(t[1].as_str()) {
            assert_eq!(t[0], *id, "entity type {} keeps its Magento 1 id", t[1]);
        }
    }

    // Attributes: the DMT's volume check — every Magento 1 attribute id
    // names the same attribute — and a shared attribute has Magento 2's
    // definition; every Magento 2 attribute is there once.
    let by_key = |rows: &[Vec<String>]| -> BTreeMap<(String, String), Vec<String>> {
        rows.iter()
            .map(|r| ((r[1].clone(), r[2].clone()), r.clone()))
            .collect()
    };
    let (out_by_key, m2_by_key) = (by_key(&attrs), by_key(&m2_attrs));
    let out_by_id: BTreeMap<&str, &Vec<String>> =
        attrs.iter().map(|r| (r[0].as_str(), r)).collect();
    assert_eq!(
        out_by_key.len(),
        attrs.len(),
        "attribute codes repeat: {attrs:?}"
    );
    let mut gone = 0;
    for a in &m1_attrs {
        let key = (a[1].clone(), a[2].clone());
        if a[1] == "catalog_product"
            && GONE.contains(&a[2].as_str())
            && !m2_by_key.contains_key(&key)
        {
            assert!(!out_by_key.contains_key(&key), "{} is not migrated", a[2]);
            gone += 1;
            continue;
        }
        let o = out_by_id
            .get(a[0].as_str())
            .unwrap_or_else(|| panic!("Magento 1 attribute {a:?} is missing"));
        assert_eq!(o[1..3], a[1..3], "attribute id {} keeps its code", a[0]);
        if let Some(m2) = m2_by_key.get(&key) {
            assert_eq!(o[3..], m2[3..], "{} has Magento 2's definition", a[2]);
        }
    }
    for (key, m2) in &m2_by_key {
        let o = out_by_key
            .get(key)
            .unwrap_or_else(|| panic!("Magento 2 attribute {key:?} is missing"));
        assert_eq!(o[3..], m2[3..], "{key:?}");
    }
    let dropped: u64 = report["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .filter(|t| t["source"].as_str() == Some("eav_attribute"))
        .map(|t| t["dropped_rows"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(
        dropped, gone,
        "only the attributes Magento 2 no longer has are dropped"
    );

    // Attribute sets: Magento 1's by id and name, Magento 2's by name.
    let set_rows: BTreeSet<&Vec<String>> = sets.iter().collect();
    for s in &m1_sets {
        assert!(set_rows.contains(s), "attribute set {s:?}");
    }
    let set_names: BTreeSet<&[String]> = sets.iter().map(|s| &s[1..]).collect();
    for s in &m2_sets {
        assert!(set_names.contains(&s[1..]), "Magento 2 attribute set {s:?}");
    }

    // Groups: Magento 1's by id, set and name; Magento 2's by code or name in
    // the same set, so the admin's tabs are all there.
    let group_rows: BTreeSet<&Vec<String>> = groups.iter().collect();
    for g in &m1_groups {
        assert!(group_rows.contains(g), "attribute group {g:?}");
    }
    for g in &m2_groups {
        assert!(
            out_groups
                .iter()
                .any(|o| o[..2] == g[..2] && (o[2] == g[2] || o[3] == g[3])),
            "Magento 2 group {g:?} in {out_groups:?}"
        );
    }

    // Set memberships of both sides (attributes gone excepted).
    let link_rows: BTreeSet<&Vec<String>> = links.iter().collect();
    for l in m1_links.iter().chain(&m2_links) {
        if !GONE.contains(&l[2].as_str()) {
            assert!(link_rows.contains(l), "set membership {l:?}");
        }
    }
}
