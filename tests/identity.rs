//! The store's identity survives by meaning: load the Magento 1 dump and the
//! converted output into MariaDB and compare what each side says through its
//! own schema.

use std::path::{Path, PathBuf};

use crate::data::{baseline, data, m1_dumps};
use crate::util::{self, Maria, STRICT};

/// (Magento 1 source, Magento 2 target) pairs: the corpus stores with the
/// 2.4.8 baseline, and the DMT's customer fixture.
fn pairs(shared: &Path) -> Vec<(PathBuf, PathBuf)> {
    let mut v: Vec<(PathBuf, PathBuf)> = m1_dumps(shared)
        .into_iter()
        .map(|s| (s, baseline(shared)))
        .collect();
    let f = shared.join("corpus/dmt-fixtures/customer");
    v.push((f.join("source.sql"), f.join("dest.sql")));
    v
}

/// A customer's email, times and names in Magento 1, read through its attributes.
const M1_CUSTOMERS: &str = "SELECT e.entity_id, e.email, e.created_at, e.updated_at, \
  (SELECT v.value FROM %Pcustomer_entity_varchar v JOIN %Peav_attribute a ON a.attribute_id = v.attribute_id \
     JOIN %Peav_entity_type t ON t.entity_type_id = a.entity_type_id \
     WHERE t.entity_type_code = 'customer' AND a.attribute_code = 'firstname' AND v.entity_id = e.entity_id LIMIT 1), \
  (SELECT v.value FROM %Pcustomer_entity_varchar v JOIN %Peav_attribute a ON a.attribute_id = v.attribute_id \
     JOIN %Peav_entity_type t ON t.entity_type_id = a.entity_type_id \
     WHERE t.entity_type_code = 'customer' AND a.attribute_code = 'lastname' AND v.entity_id = e.entity_id LIMIT 1), \
  (SELECT v.value FROM %Pcustomer_entity_varchar v JOIN %Peav_attribute a ON a.attribute_id = v.attribute_id \
     JOIN %Peav_entity_type t ON t.entity_type_id = a.entity_type_id \
     WHERE t.entity_type_code = 'customer' AND a.attribute_code = 'password_hash' AND v.entity_id = e.entity_id LIMIT 1) \
  FROM %Pcustomer_entity e ORDER BY e.entity_id";

const M1_ADDRESSES: &str = "SELECT e.entity_id, e.parent_id, e.created_at, e.updated_at, \
  (SELECT v.value FROM %Pcustomer_address_entity_varchar v JOIN %Peav_attribute a ON a.attribute_id = v.attribute_id \
     JOIN %Peav_entity_type t ON t.entity_type_id = a.entity_type_id \
     WHERE t.entity_type_code = 'customer_address' AND a.attribute_code = 'city' AND v.entity_id = e.entity_id LIMIT 1), \
  (SELECT HEX(v.value) FROM %Pcustomer_address_entity_text v JOIN %Peav_attribute a ON a.attribute_id = v.attribute_id \
     JOIN %Peav_entity_type t ON t.entity_type_id = a.entity_type_id \
     WHERE t.entity_type_code = 'customer_address' AND a.attribute_code = 'street' AND v.entity_id = e.entity_id LIMIT 1) \
  FROM %Pcustomer_address_entity e ORDER BY e.entity_id";

#[test]
fn customers_keep_names_emails_and_passwords_and_every_key_holds() {
    let (Some(shared), Some(db)) = (util::shared(), Maria::get()) else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    for (i, (src, target)) in pairs(&shared).into_iter().enumerate() {
        let out = tmp.path().join(format!("out{i}.sql"));
        let (report, _) = data(&src, &target, &out, &["--auto"]);
        let prefix = if src.to_string_lossy().contains("prefixed") {
            "magev1_"
        } else {
            ""
        };
        let sdb = format!("m1tom2_id_src{i}");
        db.fresh_db(&sdb);
        db.load(&sdb, &src, util::load_init(&src));
        let m1 = db.query(&sdb, &M1_CUSTOMERS.replace("%P", prefix));
        let m1_addr = db.query(&sdb, &M1_ADDRESSES.replace("%P", prefix));
        db.drop_db(&sdb);

        let odb = format!("m1tom2_id_out{i}");
        db.fresh_db(&odb);
        db.load(&odb, &out, STRICT);
        let m2 = db.query(
            &odb,
            "SELECT entity_id, email, created_at, updated_at, firstname, lastname, password_hash \
             FROM customer_entity ORDER BY entity_id",
        );
        let m2_addr = db.query(
            &odb,
            "SELECT entity_id, parent_id, created_at, updated_at, city, HEX(street) \
             FROM customer_address_entity ORDER BY entity_id",
        );
        let broken = db.fk_violations(&odb);
        let staging = db.query(&odb, "SHOW TABLES LIKE 'm1tom2%'");
        db.drop_db(&odb);

        assert!(broken.is_empty(), "{}: {broken:#?}", src.display());
        assert!(
            staging.is_empty(),
            "the staging table is dropped: {staging:?}"
        );
        // Every Magento 1 customer arrives with email, times (the update that
        // fills in the moved attributes leaves `updated_at` alone) and names;
        // the hash survives as the prefix of the Magento 2 hash.
        assert_eq!(m1.len(), m2.len(), "{}: customers", src.display());
        for (a, b) in m1.iter().zip(&m2) {
            assert_eq!(a[..6], b[..6], "{}", src.display());
            if a[6] != "NULL" {
                assert!(b[6].starts_with(&a[6]), "{} vs {}", a[6], b[6]);
                assert!(b[6].ends_with(":0") || b[6].ends_with(":1") || b[6] == a[6]);
            }
        }
        // Addresses (kept unless their customer is gone) keep times, city and street.
        for b in &m2_addr {
            let a = m1_addr
                .iter()
                .find(|a| a[0] == b[0])
                .expect("an address the source has");
            assert_eq!(a[..], b[..], "{}", src.display());
        }
        let addr_rows = report["tables"].as_array().unwrap().iter().find(|t| {
            t["source"]
                .as_str()
                .unwrap()
                .ends_with("customer_address_entity")
        });
        if let Some(t) = addr_rows {
            assert_eq!(t["written_rows"].as_u64(), Some(m2_addr.len() as u64));
        }
    }
}

/// Values of some attributes of an entity type, read through the side's own
/// eav_attribute by code: (entity, store, code, value) rows, sorted.
fn eav_values(
    db: &Maria,
    name: &str,
    prefix: &str,
    entity: &str,
    codes: &[&str],
) -> Vec<Vec<String>> {
    let list = codes
        .iter()
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(",");
    let mut out = Vec::new();
    for vt in ["varchar", "int", "decimal", "text", "datetime"] {
        let sql = format!(
            "SELECT v.entity_id, v.store_id, a.attribute_code, HEX(v.value) \
             FROM {prefix}{entity}_entity_{vt} v \
             JOIN {prefix}{entity}_entity e ON e.entity_id = v.entity_id \
             JOIN {prefix}eav_attribute a ON a.attribute_id = v.attribute_id \
             JOIN {prefix}eav_entity_type t ON t.entity_type_id = a.entity_type_id \
             WHERE t.entity_type_code = '{entity}' AND a.attribute_code IN ({list})"
        );
        out.extend(db.query(name, &sql));
    }
    out.sort();
    out
}

fn hex(s: &[u8]) -> String {
    s.iter().map(|b| format!("{b:02X}")).collect()
}

#[test]
fn products_categories_and_stores_mean_the_same() {
    let (Some(shared), Some(db)) = (util::shared(), Maria::get()) else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let product_codes = [
        "name",
        "price",
        "status",
        "visibility",
        "description",
        "weight",
        "url_key",
    ];
    let category_codes = ["name", "url_key", "description", "is_active"];
    for (i, src) in m1_dumps(&shared).into_iter().enumerate() {
        let out = tmp.path().join(format!("cat{i}.sql"));
        data(&src, &baseline(&shared), &out, &[]);
        let p = if src.to_string_lossy().contains("prefixed") {
            "magev1_"
        } else {
            ""
        };
        let sdb = format!("m1tom2_cat_src{i}");
        db.fresh_db(&sdb);
        db.load(&sdb, &src, util::load_init(&src));
        let read = |name: &str, p: &str, m1: bool| {
            let stores = [
                format!("SELECT website_id, code, name FROM {p}{} ORDER BY 1", if m1 { "core_website" } else { "store_website" }),
                format!("SELECT group_id, website_id, name, root_category_id, default_store_id FROM {p}{} ORDER BY 1", if m1 { "core_store_group" } else { "store_group" }),
                format!("SELECT store_id, code, website_id, group_id, name FROM {p}{} ORDER BY 1", if m1 { "core_store" } else { "store" }),
            ]
            .map(|q| db.query(name, &q));
            let skus = db.query(
                name,
                &format!("SELECT entity_id, sku FROM {p}catalog_product_entity ORDER BY 1"),
            );
            let mut products = eav_values(&db, name, p, "catalog_product", &product_codes);
            let categories = eav_values(&db, name, p, "catalog_category", &category_codes);
            if m1 {
                // Magento 2 keeps url_key without the URL suffix.
                for r in &mut products {
                    if r[2] == "url_key" && r[3].ends_with(&hex(b".html")) {
                        let n = r[3].len() - hex(b".html").len();
                        r[3].truncate(n);
                    }
                }
            }
            (stores, skus, products, categories)
        };
        let before = read(&sdb, p, true);
        db.drop_db(&sdb);
        let odb = format!("m1tom2_cat_out{i}");
        db.fresh_db(&odb);
        db.load(&odb, &out, STRICT);
        let after = read(&odb, "", false);
        let broken = db.fk_violations(&odb);
        db.drop_db(&odb);
        let what = src.display();
        assert!(broken.is_empty(), "{what}: {broken:#?}");
        assert_eq!(before.0, after.0, "{what}: websites, groups, stores");
        assert_eq!(before.1, after.1, "{what}: skus");
        assert!(!before.2.is_empty(), "{what}: the store has product values");
        assert_eq!(before.2.len(), after.2.len(), "{what}: product values");
        assert_eq!(before.2, after.2, "{what}: product values");
        assert_eq!(before.3, after.3, "{what}: category values");
    }
}

/// Every Magento 1 configuration row the rules neither ignore, rename nor
/// transform is in the output unchanged; renamed rows sit under their new
/// path with their value; transformed rows are present.
#[test]
fn settings_survive_by_the_rules() {
    let (Some(shared), Some(db)) = (util::shared(), Maria::get()) else {
        return;
    };
    let rules = m1tom2::steps::settings::Rules::builtin().expect("built-in rules");
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut checked = 0;
    for (i, src) in m1_dumps(&shared).into_iter().enumerate() {
        let out = tmp.path().join(format!("cfg{i}.sql"));
        data(&src, &baseline(&shared), &out, &[]);
        let p = if src.to_string_lossy().contains("prefixed") {
            "magev1_"
        } else {
            ""
        };
        let q = |prefix: &str| {
            format!(
                "SELECT scope, scope_id, path, IFNULL(HEX(value), 'NULL') FROM {prefix}core_config_data ORDER BY config_id"
            )
        };
        let sdb = format!("m1tom2_cfg_src{i}");
        db.fresh_db(&sdb);
        db.load(&sdb, &src, util::load_init(&src));
        let before = db.query(&sdb, &q(p));
        db.drop_db(&sdb);
        let odb = format!("m1tom2_cfg_out{i}");
        db.fresh_db(&odb);
        db.load(&odb, &out, STRICT);
        let after: std::collections::BTreeMap<(String, String, String), String> = db
            .query(&odb, &q(""))
            .into_iter()
            .map(|r| ((r[0].clone(), r[1].clone(), r[2].clone()), r[3].clone()))
            .collect();
        db.drop_db(&odb);
        // Paths two Magento 1 rows are renamed onto: the later wins.
        let mut landing: std::collections::BTreeMap<(String, String, String), usize> =
            std::collections::BTreeMap::new();
        for r in &before {
            if !rules.ignored(&r[2]) {
                *landing
                    .entry((r[0].clone(), r[1].clone(), rules.renamed(&r[2]).to_string()))
                    .or_default() += 1;
            }
        }
        for r in &before {
            let path = &r[2];
            let key = (r[0].clone(), r[1].clone(), rules.renamed(path).to_string());
            let what = format!("{}: {} {} {path}", src.display(), r[0], r[1]);
            if rules.ignored(path) {
                continue;
            }
            match rules.transform(path) {
                None if landing[&key] == 1 => {
                    assert_eq!(after.get(&key), Some(&r[3]), "{what}");
                    checked += 1;
                }
                None => assert!(after.contains_key(&key), "{what}"),
                Some(m1tom2::steps::settings::ValueRule::Encrypt) => {}
                Some(_) => assert!(after.contains_key(&key), "{what}"),
            }
        }
    }
    if util::in_ci() {
        assert!(checked > 0, "no configuration row was compared");
    }
}

/// Credentials encrypted the Magento 1 way with a test key come out of
/// `data` encrypted for Magento 2: the Magento 2 key decrypts them to the
/// plaintexts. Without keys they are left out and listed.
#[test]
fn credentials_are_reencrypted_for_magento_2() {
    use m1tom2::transform::crypt::{self, M1Key, M2Key};
    let Some(db) = Maria::get() else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let m1_key = "5bd4f1c3e2a0978d6b3c1f0e9d8a7b6c";
    let m2_key = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    let k1 = M1Key::new(m1_key.as_bytes()).expect("m1 key");
    let k2 = M2Key::from_crypt_key(m2_key.as_bytes()).expect("m2 key");
    let secrets: [(&str, &[u8]); 3] = [
        ("carriers/ups/password", b"p\xc3\xa4ss'w\"rd\\"),
        ("carriers/fedex/key", b"FEDEX-KEY-1234567890"),
        ("payment/authorizenet/trans_key", b"x"),
    ];
    let mut rows = Vec::new();
    for (i, (path, plain)) in secrets.iter().enumerate() {
        let value = if i == 1 {
            crypt::encrypt_m1_rijndael(plain, &k1, b"AbCdEfGh12345678").expect("rijndael")
        } else {
            crypt::encrypt_m1_blowfish(plain, &k1)
        };
        rows.push(format!(
            "({},'default',0,'{path}','{}')",
            100 + i,
            String::from_utf8(value).expect("ascii")
        ));
    }
    let mut dump = std::fs::read(root.join("samples/m1-mini.sql")).expect("sample");
    dump.extend_from_slice(
        format!(
            "\nINSERT INTO `core_config_data` VALUES {};\n",
            rows.join(",")
        )
        .as_bytes(),
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = util::write_file(tmp.path(), "m1.sql", &dump);
    let target = root.join("samples/m2-baseline-mini.sql");
    let out = tmp.path().join("out.sql");
    data(
        &src,
        &target,
        &out,
        &["--m1-crypt-key", m1_key, "--m2-crypt-key", m2_key],
    );
    db.fresh_db("m1tom2_crypt");
    db.load("m1tom2_crypt", &out, STRICT);
    for (path, plain) in secrets {
        let v = db.query(
            "m1tom2_crypt",
            &format!("SELECT value FROM core_config_data WHERE path = '{path}'"),
        );
        assert_eq!(v.len(), 1, "{path}: {v:?}");
        let got = crypt::decrypt_m2(v[0][0].as_bytes(), &k2).expect("Magento 2 decrypts");
        assert_eq!(got, plain, "{path}");
    }
    db.drop_db("m1tom2_crypt");
    // Without keys: left out, counted and listed by path.
    let out = tmp.path().join("nokeys.sql");
    let (report, _) = data(&src, &target, &out, &[]);
    let text = report.to_string();
    for (path, _) in secrets {
        assert!(text.contains(path), "{path} not listed: {text:.2000}");
    }
    let cfg = report["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .find(|t| t["source"] == "core_config_data")
        .expect("core_config_data accounted");
    assert_eq!(
        cfg["source_rows"].as_u64(),
        Some(cfg["written_rows"].as_u64().unwrap_or(0) + cfg["dropped_rows"].as_u64().unwrap_or(0))
    );
    assert!(
        cfg["reason"]
            .as_str()
            .unwrap_or("")
            .contains("no keys given"),
        "{cfg}"
    );
}

/// `m1tom2 settings` writes the baseline with Magento 1's configuration and
/// stores, and leaves every other table's rows for `data` (accounted for).
#[test]
fn settings_command_migrates_configuration_and_stores_only() {
    let Some(db) = Maria::get() else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("settings.sql");
    let report = tmp.path().join("settings.json");
    let res = util::run(&[
        "settings",
        "--source",
        root.join("samples/m1-mini.sql").to_str().expect("path"),
        "--target",
        root.join("samples/m2-baseline-mini.sql")
            .to_str()
            .expect("path"),
        "--out",
        out.to_str().expect("path"),
        "--report",
        report.to_str().expect("path"),
    ]);
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).expect("report")).expect("json");
    let tables = report["tables"].as_array().expect("tables");
    let mut deferred = 0;
    for t in tables {
        let (s, w, d) = (
            t["source_rows"].as_u64().unwrap_or(0),
            t["written_rows"].as_u64().unwrap_or(0),
            t["dropped_rows"].as_u64().unwrap_or(0),
        );
        assert_eq!(s, w + d, "{t}");
        let src = t["source"].as_str().unwrap_or("");
        if [
            "core_config_data",
            "core_store",
            "core_store_group",
            "core_website",
        ]
        .contains(&src)
        {
            assert!(w > 0, "{t}");
        } else {
            assert_eq!(w, 0, "{t}");
            deferred += d;
        }
    }
    assert!(
        deferred > 0,
        "rows of other tables are reported as left for data"
    );
    db.fresh_db("m1tom2_settings");
    db.load("m1tom2_settings", &out, STRICT);
    let q = |sql: &str| db.query("m1tom2_settings", sql);
    assert_eq!(
        q("SELECT value FROM core_config_data WHERE path = 'catalog/seo/product_url_suffix'"),
        vec![vec![".html".to_string()]]
    );
    assert_eq!(
        q("SELECT value FROM core_config_data WHERE path = 'contact/email/recipient_email'"),
        vec![vec!["owner@example.test".to_string()]]
    );
    assert_eq!(
        q("SELECT store_id, code, name FROM store ORDER BY store_id"),
        vec![
            vec!["0".to_string(), "admin".into(), "Admin".into()],
            vec![
                "1".to_string(),
                "default".into(),
                "Default Store View".into()
            ],
        ]
    );
    assert!(db.fk_violations("m1tom2_settings").is_empty());
    db.drop_db("m1tom2_settings");
}

/// The DMT's stores fixture: websites, groups and store views arrive by id,
/// code and name, the Magento 2 admin rows replaced by Magento 1's.
#[test]
fn stores_fixture_keeps_ids_codes_and_names() {
    let (Some(shared), Some(db)) = (util::shared(), Maria::get()) else {
        return;
    };
    let f = shared.join("corpus/dmt-fixtures/stores");
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("stores.sql");
    let (report, _) = data(&f.join("source.sql"), &f.join("dest.sql"), &out, &[]);
    for t in report["tables"].as_array().expect("tables") {
        assert_eq!(t["dropped_rows"], 0, "{t}");
    }
    let q = [
        "SELECT website_id, code, name, default_group_id, is_default FROM %w ORDER BY 1",
        "SELECT group_id, website_id, name, root_category_id, default_store_id FROM %g ORDER BY 1",
        "SELECT store_id, code, website_id, group_id, name, is_active FROM %s ORDER BY 1",
    ];
    let read = |name: &str, w: &str, g: &str, s: &str| {
        q.map(|sql| {
            db.query(
                name,
                &sql.replace("%w", w).replace("%g", g).replace("%s", s),
            )
        })
    };
    db.fresh_db("m1tom2_stores_src");
    db.load("m1tom2_stores_src", &f.join("source.sql"), "");
    let before = read(
        "m1tom2_stores_src",
        "core_website",
        "core_store_group",
        "core_store",
    );
    db.drop_db("m1tom2_stores_src");
    db.fresh_db("m1tom2_stores_out");
    db.load("m1tom2_stores_out", &out, STRICT);
    let after = read("m1tom2_stores_out", "store_website", "store_group", "store");
    db.drop_db("m1tom2_stores_out");
    assert_eq!(before[2].len(), 2, "the fixture's store views");
    assert_eq!(before, after);
}
