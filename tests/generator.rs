//! The generator's stores convert with no integrity problem, and the result
//! loads on its own under strict mode with every foreign key holding; the
//! generator is deterministic per seed.

use crate::data::{baseline, data};
use crate::util::{self, Maria};

fn generate(out: &std::path::Path, seed: &str) {
    generate_with(out, seed, &[]);
}

fn generate_with(out: &std::path::Path, seed: &str, extra: &[&str]) {
    util::generate(out, seed, ["300", "400", "200"], extra);
}

#[test]
fn generated_store_converts_and_loads_with_every_key_holding() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let a = tmp.path().join("a.sql");
    let b = tmp.path().join("b.sql.gz");
    generate(&a, "7");
    generate(&b, "7");
    let unzipped = {
        use std::io::Read;
        let mut v = Vec::new();
        flate2::read::MultiGzDecoder::new(std::fs::File::open(&b).expect("gz"))
            .read_to_end(&mut v)
            .expect("gunzip");
        v
    };
    assert!(
        std::fs::read(&a).expect("dump") == unzipped,
        "same seed, same bytes (plain and gzip)"
    );
    let (Some(shared), Some(db)) = (util::shared(), Maria::get()) else {
        return;
    };
    let out = tmp.path().join("out.sql");
    let (report, _) = data(&a, &baseline(&shared), &out, &[]);
    // A gzip input is read once: what the lookups need of it is kept between
    // the passes (only some columns of the large lookup tables); the result
    // is the same file.
    let out_gz = tmp.path().join("out-gz.sql");
    data(&b, &baseline(&shared), &out_gz, &[]);
    assert!(
        std::fs::read(&out).expect("out") == std::fs::read(&out_gz).expect("out-gz"),
        "plain and gzip input convert to the same file"
    );
    // Nothing is an orphan and no value is broken: the generator writes a
    // consistent store. (The corpus baseline is not a fresh install: its own
    // carts' rows go with the carts the migration replaces, and say so.)
    let warnings: Vec<&serde_json::Value> = report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter(|w| {
            !w.as_str().is_some_and(|w| {
                w.ends_with("(baseline rows whose parents the migrated data replaces)")
            })
        })
        .collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
    let tables = report["tables"].as_array().expect("tables");
    let by = |name: &str| {
        tables
            .iter()
            .find(|t| t["source"] == name)
            .unwrap_or_else(|| panic!("{name} in the report"))
            .clone()
    };
    for t in tables {
        let reason = t["reason"].as_str().unwrap_or("");
        assert!(!reason.contains("orphan"), "{t}");
    }
    db.fresh_db("m1tom2_gen_out");
    db.load("m1tom2_gen_out", &out, util::STRICT);
    let count = |t: &str| {
        db.query("m1tom2_gen_out", &format!("SELECT COUNT(*) FROM {t}"))[0][0]
            .parse::<u64>()
            .expect("count")
    };
    assert_eq!(count("catalog_product_entity"), 300);
    assert_eq!(count("customer_entity"), 200);
    assert_eq!(count("sales_order"), 400);
    assert_eq!(
        count("sales_order_item"),
        by("sales_flat_order_item")["written_rows"]
            .as_u64()
            .expect("rows")
    );
    // Every cart item carries its buy request, converted to JSON.
    assert_eq!(
        count("quote_item_option"),
        by("sales_flat_quote_item_option")["written_rows"]
            .as_u64()
            .expect("rows")
    );
    let requests = db.query(
        "m1tom2_gen_out",
        "SELECT COUNT(*), SUM(value IS NULL OR NOT JSON_VALID(value)) FROM quote_item_option \
         WHERE code IN ('info_buyRequest', 'attributes')",
    );
    assert_ne!(requests[0][0], "0");
    assert_eq!(requests[0][1], "0", "{requests:?}");
    assert_eq!(
        db.query(
            "m1tom2_gen_out",
            "SELECT COUNT(*) FROM quote_item q WHERE NOT EXISTS \
             (SELECT 1 FROM quote_item_option o WHERE o.item_id = q.item_id AND o.code = 'info_buyRequest')"
        )[0][0],
        "0"
    );
    // The price rules' conditions and the wish list items' buy requests
    // arrive as JSON, the rules with Magento 2's classes for the aliases.
    for (table, column, typed) in [
        ("catalogrule", "conditions_serialized", true),
        ("catalogrule", "actions_serialized", true),
        ("salesrule", "conditions_serialized", true),
        ("salesrule", "actions_serialized", true),
        ("wishlist_item_option", "value", false),
    ] {
        let q = db.query(
            "m1tom2_gen_out",
            &format!(
                "SELECT COUNT(*), SUM({column} IS NULL OR NOT JSON_VALID({column})), \
                 SUM(JSON_UNQUOTE(JSON_EXTRACT({column}, '$.type')) LIKE 'Magento%') FROM {table}"
            ),
        );
        assert_ne!(q[0][0], "0", "{table}");
        assert_eq!(q[0][1], "0", "{table}.{column}: {q:?}");
        let classes = if typed { q[0][0].as_str() } else { "NULL" };
        assert_eq!(q[0][2], classes, "{table}.{column}: {q:?}");
    }
    // Custom options: two per 20 products; the values chosen in carts stay
    // as they are (text and value ids, not serialized), and the orders'
    // product_options, which list them, are JSON.
    assert_eq!(count("catalog_product_option"), 2 * 300 / 20);
    let chosen = db.query(
        "m1tom2_gen_out",
        "SELECT COUNT(*), SUM(value IS NULL OR value LIKE '{%') FROM quote_item_option \
         WHERE code REGEXP '^option_[0-9]+$'",
    );
    assert_ne!(chosen[0][0], "0");
    assert_eq!(chosen[0][1], "0", "{chosen:?}");
    let shown = db.query(
        "m1tom2_gen_out",
        "SELECT COUNT(*), SUM(NOT JSON_VALID(product_options)) FROM sales_order_item \
         WHERE product_options LIKE '%option_type%'",
    );
    assert_ne!(shown[0][0], "0");
    assert_eq!(shown[0][1], "0", "{shown:?}");
    assert_eq!(
        count("salesrule_coupon"),
        by("salesrule_coupon")["written_rows"]
            .as_u64()
            .expect("rows")
    );
    // The votes' addresses, packed binary in Magento 1, are ip2long's
    // numbers in Magento 2.
    let votes = db.query(
        "m1tom2_gen_out",
        "SELECT COUNT(*), SUM(remote_ip_long = INET_ATON(remote_ip)) FROM rating_option_vote",
    );
    assert_ne!(votes[0][0], "0");
    assert_eq!(votes[0][1], votes[0][0], "{votes:?}");
    let broken = db.fk_violations("m1tom2_gen_out");
    db.drop_db("m1tom2_gen_out");
    assert!(broken.is_empty(), "{broken:#?}");
}

/// `--skip-extended-insert` writes one row per INSERT, as mysqldump does
/// with that flag; the same store converts to the same file either way.
#[test]
fn skip_extended_insert_writes_a_row_per_insert_of_the_same_store() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let multi = tmp.path().join("multi.sql");
    let single = tmp.path().join("single.sql");
    generate(&multi, "3");
    generate_with(&single, "3", &["--skip-extended-insert"]);
    let rows = |p: &std::path::Path| {
        let (_, rows) = util::reemit(p, 2);
        rows
    };
    let inserts = |p: &std::path::Path| {
        let text = std::fs::read(p).expect("dump");
        text.split(|&b| b == b'\n')
            .filter(|l| l.starts_with(b"INSERT INTO "))
            .count()
    };
    let (multi_rows, single_rows) = (rows(&multi), rows(&single));
    assert_eq!(multi_rows, single_rows, "the same rows");
    let total: usize = single_rows.values().map(Vec::len).sum();
    assert_eq!(inserts(&single), total, "one INSERT per row");
    assert!(inserts(&multi) * 20 < total, "multi-row INSERTs by default");
    let Some(shared) = util::shared() else { return };
    let (a, b) = (tmp.path().join("a.sql"), tmp.path().join("b.sql"));
    let (ra, _) = data(&multi, &baseline(&shared), &a, &[]);
    let (rb, _) = data(&single, &baseline(&shared), &b, &[]);
    assert!(
        std::fs::read(&a).expect("a") == std::fs::read(&b).expect("b"),
        "the same import file"
    );
    assert_eq!(ra["tables"], rb["tables"]);
}

/// However the dump groups rows into INSERTs (mysqldump's default, another
/// net_buffer_length, one row each), the import file is the same: where
/// one source table fills two (product images and their links to
/// products), whose statements come first depends on the rows alone. Small
/// output statements make them alternate often; a catalog of 3000 products
/// makes the dumps' statements group the rows differently.
#[test]
fn the_import_file_does_not_depend_on_how_the_dump_groups_rows() {
    let Some(shared) = util::shared() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let layouts: [&[&str]; 3] = [
        &[],
        &["--max-statement-bytes", "20000"],
        &["--skip-extended-insert"],
    ];
    let mut files = Vec::new();
    for (i, extra) in layouts.iter().enumerate() {
        let dump = tmp.path().join(format!("d{i}.sql"));
        util::generate(&dump, "5", ["3000", "100", "100"], extra);
        let out = tmp.path().join(format!("d{i}.out.sql"));
        data(
            &dump,
            &baseline(&shared),
            &out,
            &["--max-statement-bytes", "4096"],
        );
        files.push(std::fs::read(&out).expect("out"));
    }
    let switches = |f: &[u8]| {
        let tables: Vec<&[u8]> = f
            .split(|&b| b == b'\n')
            .filter(|l| l.starts_with(b"INSERT INTO `catalog_product_entity_media_gallery"))
            .map(|l| l.split(|&b| b == b' ').nth(2).unwrap_or_default())
            .collect();
        tables.windows(2).filter(|w| w[0] != w[1]).count()
    };
    assert!(switches(&files[0]) > 2, "{}", switches(&files[0]));
    for (i, f) in files.iter().enumerate().skip(1) {
        assert!(f == &files[0], "layout {:?} gives another file", layouts[i]);
    }
}

/// "At any scale": the smallest stores (no products at all, one of each,
/// one store view or many) generate, convert with every row accounted for
/// and no orphan, and the one-of-each store loads with every key holding.
/// A catalog of under 150 products once had no level-3 category for its
/// level-4 one to hang from, and the generator stopped on an index.
#[test]
fn the_smallest_stores_generate_convert_and_load() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let stores: [([&str; 3], &str); 4] = [
        (["0", "0", "0"], "3"),
        (["0", "5", "4"], "2"),
        (["1", "1", "1"], "1"),
        (["60", "20", "10"], "10"),
    ];
    let shared = util::shared();
    for (i, (scale, views)) in stores.iter().enumerate() {
        let dump = tmp.path().join(format!("s{i}.sql"));
        util::generate(&dump, "11", *scale, &["--stores", views]);
        let (_, rows) = util::reemit(&dump, 1);
        let count = |t: &str| rows.get(t).map_or(0, Vec::len);
        assert_eq!(
            count("catalog_product_entity").to_string(),
            scale[0],
            "{scale:?}"
        );
        assert_eq!(count("sales_flat_order").to_string(), scale[1], "{scale:?}");
        assert_eq!(count("customer_entity").to_string(), scale[2], "{scale:?}");
        // The admin store and the store views.
        assert_eq!(
            count("core_store"),
            views.parse::<usize>().expect("views") + 1,
            "{scale:?}"
        );
        let Some(shared) = &shared else { continue };
        let out = tmp.path().join(format!("s{i}.out.sql"));
        let (report, _) = data(&dump, &baseline(shared), &out, &[]);
        crate::data::assert_accounted(&report);
        for t in report["tables"].as_array().expect("tables") {
            let reason = t["reason"].as_str().unwrap_or("");
            assert!(!reason.contains("orphan"), "{scale:?}: {t}");
        }
        if scale[0] != "1" {
            continue;
        }
        let Some(db) = Maria::get() else { continue };
        db.fresh_db("m1tom2_gen_tiny");
        db.load("m1tom2_gen_tiny", &out, util::STRICT);
        let n = |t: &str| {
            db.query("m1tom2_gen_tiny", &format!("SELECT COUNT(*) FROM {t}"))[0][0].clone()
        };
        assert_eq!(n("catalog_product_entity"), "1");
        assert_eq!(n("customer_entity"), "1");
        assert_eq!(n("sales_order"), "1");
        let broken = db.fk_violations("m1tom2_gen_tiny");
        db.drop_db("m1tom2_gen_tiny");
        assert!(broken.is_empty(), "{broken:#?}");
    }
}
