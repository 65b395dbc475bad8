//! `m1tom2 data` and `check` on real stores: the output loads into MariaDB in
//! strict mode and holds exactly the rows the report says.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::util::{self, Maria, STRICT};

pub fn baseline(shared: &Path) -> PathBuf {
    shared.join("corpus/dumps/m2-2.4.8-mariadb.sql")
}

pub fn m1_dumps(shared: &Path) -> Vec<PathBuf> {
    vec![
        shared.join("corpus/dumps/m1-1.9.3-prefixed-mysql57.sql"),
        shared.join("corpus/dumps/m1-1.6.1-sampledata-sqlyog.sql"),
    ]
}

/// Runs `data` and returns (report JSON, stderr).
pub fn data(
    source: &Path,
    target: &Path,
    out: &Path,
    extra: &[&str],
) -> (serde_json::Value, String) {
    let report = out.with_extension("report.json");
    let mut args = vec![
        "data",
        "--source",
        source.to_str().expect("path"),
        "--target",
        target.to_str().expect("path"),
        "--out",
        out.to_str().expect("path"),
        "--report",
        report.to_str().expect("path"),
    ];
    args.extend_from_slice(extra);
    let res = util::run(&args);
    let stderr = String::from_utf8_lossy(&res.stderr).into_owned();
    assert!(res.status.success(), "data {args:?} failed: {stderr}");
    let json = serde_json::from_slice(&std::fs::read(&report).expect("report written"))
        .expect("report is JSON");
    (json, stderr)
}

/// Every table's source_rows = written + dropped, and a reason for every drop.
pub fn assert_accounted(report: &serde_json::Value) {
    assert_eq!(report["format_version"], 1);
    for t in report["tables"].as_array().expect("tables") {
        let (s, w, d) = (
            t["source_rows"].as_u64().unwrap(),
            t["written_rows"].as_u64().unwrap(),
            t["dropped_rows"].as_u64().unwrap(),
        );
        assert_eq!(s, w + d, "{t}");
        if d > 0 {
            assert!(t["reason"].is_string(), "{t}");
        }
    }
}

#[test]
fn corpus_stores_convert_and_load_in_strict_mode() {
    let (Some(shared), Some(db)) = (util::shared(), Maria::get()) else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    for src in m1_dumps(&shared) {
        let slug = util::slug(&src);
        let out = tmp.path().join(format!("{slug}.out.sql"));
        let (report, stderr) = data(&src, &baseline(&shared), &out, &[]);
        assert!(stderr.contains("source tables"), "{stderr}");
        assert_accounted(&report);
        // The source counts are MariaDB's counts of the loaded source.
        let sdb = format!("m1tom2_src_{slug}");
        db.fresh_db(&sdb);
        db.load(&sdb, &src, util::load_init(&src));
        let source_counts = db.counts(&sdb);
        db.drop_db(&sdb);
        for t in report["tables"].as_array().expect("tables") {
            let name = t["source"].as_str().unwrap();
            assert_eq!(
                source_counts.get(name).copied(),
                t["source_rows"].as_u64(),
                "{}: {name}",
                src.display()
            );
        }
        // The output loads under strict mode and holds what the report says.
        let odb = format!("m1tom2_out_{slug}");
        db.fresh_db(&odb);
        db.load(&odb, &out, STRICT);
        let out_counts = db.counts(&odb);
        // Serialized PHP that two handlers convert in turn (the rules' class
        // aliases, then JSON; item options of the pattern's codes, then
        // `option_N`) arrives as JSON: none is NULL or left serialized.
        for (table, column, rows) in [
            ("catalogrule", "conditions_serialized", "1"),
            ("catalogrule", "actions_serialized", "1"),
            ("salesrule", "conditions_serialized", "1"),
            ("salesrule", "actions_serialized", "1"),
            (
                "quote_item_option",
                "value",
                "code REGEXP 'info_buyRequest|attributes'",
            ),
            (
                "wishlist_item_option",
                "value",
                "code REGEXP 'info_buyRequest|attributes'",
            ),
        ] {
            let bad = db.query(
                &odb,
                &format!(
                    "SELECT COUNT(*), SUM({column} IS NULL OR NOT JSON_VALID({column})) FROM {table} WHERE {rows}"
                ),
            );
            assert!(
                bad[0][1] == "0" || bad[0][1] == "NULL",
                "{}: {table}.{column}: {} of {} rows NULL or not JSON",
                src.display(),
                bad[0][1],
                bad[0][0]
            );
        }
        // Every foreign key of the loaded database holds.
        let broken = db.fk_violations(&odb);
        db.drop_db(&odb);
        assert!(
            broken.is_empty(),
            "{}: rows break foreign keys: {broken:#?}",
            src.display()
        );
        let dests: BTreeMap<String, u64> = report["destinations"]
            .as_array()
            .expect("destinations")
            .iter()
            .map(|d| {
                (
                    d["name"].as_str().unwrap().to_string(),
                    d["output_rows"].as_u64().unwrap(),
                )
            })
            .collect();
        assert!(!dests.is_empty());
        assert_eq!(dests, out_counts, "{}: output counts", src.display());
        // Migrated rows arrived: the CMS pages of the source are in the output.
        let cms = report["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["source"].as_str().unwrap().ends_with("cms_page"))
            .expect("cms_page");
        assert_eq!(cms["destination"], "cms_page");
        assert_eq!(dests["cms_page"], cms["written_rows"].as_u64().unwrap());
    }
}

#[test]
fn output_is_byte_identical_across_threads_gzip_and_inputs() {
    let Some(shared) = util::shared() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = &m1_dumps(&shared)[0];
    let gz_src = tmp.path().join("src.sql.gz");
    util::gzip_file(src, &gz_src);
    let base = baseline(&shared);
    let a = tmp.path().join("a.sql");
    let b = tmp.path().join("b.sql");
    let c = tmp.path().join("c.sql.gz");
    let (ra, _) = data(src, &base, &a, &["--threads", "1"]);
    let (rb, _) = data(&gz_src, &base, &b, &["--threads", "2"]);
    let (_, _) = data(src, &base, &c, &[]);
    // Gzip decompressed on every read instead of spooled (beside the output).
    let d = tmp.path().join("d.sql");
    let (rd, _) = data(&gz_src, &base, &d, &["--no-spool"]);
    let bytes_a = std::fs::read(&a).unwrap();
    assert_eq!(
        bytes_a,
        std::fs::read(&b).unwrap(),
        "threads 1 plain vs threads 2 gzip"
    );
    assert_eq!(bytes_a, std::fs::read(&d).unwrap(), "gzip, not spooled");
    assert_eq!(rb, rd, "gzip reports, spooled and not");
    let mut unz = Vec::new();
    use std::io::Read;
    flate2::read::MultiGzDecoder::new(std::fs::File::open(&c).unwrap())
        .read_to_end(&mut unz)
        .unwrap();
    assert_eq!(bytes_a, unz, ".gz output");
    // Reports agree but for the source name.
    assert_eq!(ra["destinations"], rb["destinations"]);
    // The import file is private.
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&a).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

/// A dump of one row per INSERT (`mysqldump --skip-extended-insert`, the
/// way some backup tools write) converts to the same file and report as the
/// same rows in multi-row INSERTs: the statements are read in runs, and a run
/// must neither lose nor reorder a row, nor cross into another table.
#[test]
fn one_row_inserts_convert_like_multi_row_ones() {
    let Some(shared) = util::shared() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let base = baseline(&shared);
    for src in m1_dumps(&shared) {
        let (multi, _) = util::reemit(&src, 2);
        let (single, rows) = util::reemit_split(&src, 2, 1);
        let statements = |b: &[u8]| b.windows(12).filter(|w| w == b"INSERT INTO ").count();
        let total: usize = rows.values().map(Vec::len).sum();
        assert!(
            statements(&single) >= total && total > statements(&multi) * 10,
            "{}: one INSERT per row",
            src.display()
        );
        let multi = util::write_file(tmp.path(), "multi.sql", &multi);
        let single = util::write_file(tmp.path(), "single.sql", &single);
        // `inspect` reads them in runs too: the same rows per table.
        let rows_of =
            |p: &Path| util::json_counts(&util::inspect_json(&[p.to_str().expect("path")]));
        assert_eq!(rows_of(&multi), rows_of(&single), "{}", src.display());
        assert_eq!(rows_of(&single).values().sum::<u64>() as usize, total);
        let (a, b) = (tmp.path().join("a.sql"), tmp.path().join("b.sql"));
        let (ra, _) = data(&multi, &base, &a, &[]);
        let (rb, _) = data(&single, &base, &b, &["--threads", "2"]);
        assert!(
            std::fs::read(&a).expect("a") == std::fs::read(&b).expect("b"),
            "{}: same output",
            src.display()
        );
        assert_eq!(ra["tables"], rb["tables"], "{}", src.display());
        assert_eq!(ra["destinations"], rb["destinations"], "{}", src.display());
        assert_eq!(ra["warnings"], rb["warnings"], "{}", src.display());
    }
}

#[test]
fn check_reports_nothing_unmapped_on_the_corpus() {
    let Some(shared) = util::shared() else { return };
    for src in m1_dumps(&shared) {
        let out = util::run(&[
            "check",
            "--json",
            "--source",
            src.to_str().unwrap(),
            "--target",
            baseline(&shared).to_str().unwrap(),
        ]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(
            v["problems"].as_array().map(Vec::len),
            Some(0),
            "{}: {}",
            src.display(),
            v["problems"]
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// An extension's table and a column added to a core table.
fn extended_source(shared: &Path, dir: &Path) -> PathBuf {
    let mut text = std::fs::read(&m1_dumps(shared)[0]).expect("read");
    text.extend_from_slice(
        b"\nCREATE TABLE `magev1_acme_loyalty_points` (`id` int NOT NULL, `points` int, PRIMARY KEY (`id`));\n\
          INSERT INTO `magev1_acme_loyalty_points` VALUES (1,10),(2,20);\n\
          ALTER TABLE `magev1_cms_block` ADD COLUMN `acme_color` varchar(20);\n",
    );
    // The extra column must be in the CREATE TABLE for the reader to see it.
    let s = String::from_utf8_lossy(&text).replace(
        "CREATE TABLE `magev1_cms_block` (\n",
        "CREATE TABLE `magev1_cms_block` (\n  `acme_color` varchar(20) DEFAULT NULL,\n",
    );
    let s = s.replace(
        "ALTER TABLE `magev1_cms_block` ADD COLUMN `acme_color` varchar(20);\n",
        "",
    );
    // Give the existing cms_block rows the extra column as their first value.
    let s = s.replace(
        "INSERT INTO `magev1_cms_block` VALUES (",
        "INSERT INTO `magev1_cms_block` VALUES ('red',",
    );
    let p = dir.join("extended.sql");
    std::fs::write(&p, fix_rows(&s)).expect("write");
    p
}

/// Adds the extra first value to every row of the cms_block INSERT.
fn fix_rows(s: &str) -> String {
    let mut out = String::new();
    for line in s.split_inclusive('\n') {
        if line.starts_with("INSERT INTO `magev1_cms_block` VALUES") {
            out.push_str(&line.replace("),(", "),('red',"));
        } else {
            out.push_str(line);
        }
    }
    out
}

#[test]
fn extension_table_and_column_are_named_with_rules_and_auto_drops_them() {
    let Some(shared) = util::shared() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = extended_source(&shared, tmp.path());
    let base = baseline(&shared);
    let check = util::run(&[
        "check",
        "--source",
        src.to_str().unwrap(),
        "--target",
        base.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(1), "{err}");
    assert!(
        err.contains("source document `acme_loyalty_points` is not mapped"),
        "{err}"
    );
    assert!(err.contains("ignore = [\"acme_loyalty_points\"]"), "{err}");
    assert!(
        err.contains("source field `cms_block.acme_color` is not mapped"),
        "{err}"
    );
    assert!(
        err.contains("ignore_fields = [\"cms_block.acme_color\"]"),
        "{err}"
    );

    let out = tmp.path().join("refused.sql");
    let refused = util::run(&[
        "data",
        "--source",
        src.to_str().unwrap(),
        "--target",
        base.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(!out.exists(), "no output file after a refusal");
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty());

    // The suggested rules, pasted into a map file, settle it.
    let maps = tmp.path().join("maps");
    std::fs::create_dir(&maps).unwrap();
    std::fs::write(maps.join("acme.toml"), "[source]\nignore = [\"acme_loyalty_points\"]\nignore_fields = [\"cms_block.acme_color\"]\n").unwrap();
    let fixed = util::run(&[
        "check",
        "--source",
        src.to_str().unwrap(),
        "--target",
        base.to_str().unwrap(),
        "--map-dir",
        maps.to_str().unwrap(),
    ]);
    assert!(
        fixed.status.success(),
        "{}",
        String::from_utf8_lossy(&fixed.stderr)
    );

    let (report, _) = data(&src, &base, &out, &["--auto"]);
    assert_accounted(&report);
    let t = report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["source"] == "magev1_acme_loyalty_points")
        .expect("listed");
    assert_eq!(
        (t["source_rows"].as_u64(), t["dropped_rows"].as_u64()),
        (Some(2), Some(2))
    );
    assert!(
        report["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("acme_color"))
    );
}

/// The Magento 1 CREATE TABLE of `table`, taken from the corpus store, prefix removed.
fn m1_create(shared: &Path, table: &str) -> String {
    let text =
        String::from_utf8_lossy(&std::fs::read(&m1_dumps(shared)[0]).expect("read")).into_owned();
    let start = text
        .find(&format!("CREATE TABLE `magev1_{table}` ("))
        .expect("table in corpus");
    let end = start + text[start..].find(";\n").expect("end");
    text[start..end].replace("`magev1_", "`")
}

#[test]
fn hard_values_survive_data_under_every_dump_flag_set() {
    use crate::hard_values::{VARIANTS, big_pattern, hex};
    let (Some(shared), Some(db)) = (util::shared(), Maria::get()) else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let src_db = "m1tom2_hard_m1";
    db.fresh_db(src_db);
    let all: Vec<u8> = (0..=255u8).collect();
    let setup = format!(
        "SET NAMES utf8mb4; SET FOREIGN_KEY_CHECKS=0;\n{};\n{};\n{};\n\
         INSERT INTO cms_page (page_id, title, root_template, meta_keywords, meta_description, identifier, content, is_active)\n\
         VALUES (1, 'Escapes', 'one_column', 'NULL', NULL, 'escapes', CONVERT(0x{esc} USING utf8), 1),\n\
                (2, 'Empty', 'two_columns_left', '', 'NULL', 'empty', '', 1),\n\
                (3, 'Big', 'unknown_layout', NULL, '', 'big', REPEAT(CONVERT(0x{pat} USING utf8), 65536), 0);\n\
         INSERT INTO sales_flat_order (entity_id, increment_id) VALUES (1, '100000001');\n\
         INSERT INTO sales_flat_shipment (entity_id, order_id, increment_id, shipping_label, packages)\n\
         VALUES (1, 1, '100000001', 0x{all}, NULL), (2, 1, '100000002', '', NULL), (3, 1, '100000003', NULL, NULL);\n",
        m1_create(&shared, "cms_page"),
        m1_create(&shared, "sales_flat_shipment"),
        m1_create(&shared, "sales_flat_order"),
        esc = hex(&utf8mb3_escapes()),
        pat = hex(&big_pattern()),
        all = hex(&all),
    );
    let setup_file = util::write_file(tmp.path(), "setup.sql", setup.as_bytes());
    db.load(src_db, &setup_file, "");
    let base = baseline(&shared);
    let mut first: Option<Vec<u8>> = None;
    for (name, flags) in VARIANTS {
        let dump = tmp.path().join(format!("{name}.sql"));
        let res = std::process::Command::new("mariadb-dump")
            .args([
                "-h127.0.0.1",
                "-uroot",
                "--default-character-set=utf8mb4",
                "--max-allowed-packet=64M",
            ])
            .args(*flags)
            .arg(format!("--result-file={}", dump.display()))
            .arg(src_db)
            .output()
            .expect("mariadb-dump runs");
        assert!(
            res.status.success(),
            "{}",
            String::from_utf8_lossy(&res.stderr)
        );
        let out = tmp.path().join(format!("{name}.out.sql"));
        data(&dump, &base, &out, &[]);
        let bytes = std::fs::read(&out).expect("output");
        match &first {
            None => first = Some(bytes),
            Some(f) => assert!(
                f == &bytes,
                "{name}: output differs from the default dump's"
            ),
        }
    }
    // Load the output and compare the values byte for byte with the source.
    let out = tmp.path().join("default.out.sql");
    let odb = "m1tom2_hard_m2";
    db.fresh_db(odb);
    db.load(odb, &out, STRICT);
    let q_src = "SELECT page_id, HEX(content), HEX(meta_keywords), meta_keywords IS NULL, HEX(meta_description), meta_description IS NULL FROM cms_page ORDER BY page_id";
    assert_eq!(
        db.query(src_db, q_src),
        db.query(odb, q_src),
        "cms_page contents"
    );
    let q_ship =
        "SELECT entity_id, HEX(shipping_label), shipping_label IS NULL FROM %T ORDER BY entity_id";
    assert_eq!(
        db.query(src_db, &q_ship.replace("%T", "sales_flat_shipment")),
        db.query(odb, &q_ship.replace("%T", "sales_shipment")),
        "shipping labels"
    );
    let big = db.query(
        odb,
        "SELECT LENGTH(content) FROM cms_page WHERE page_id = 3",
    );
    assert_eq!(big[0][0], (64 * 65536).to_string());
    // root_template became page_layout through the layout value table.
    let layouts = db.query(odb, "SELECT page_layout FROM cms_page ORDER BY page_id");
    assert_eq!(
        layouts,
        vec![
            vec!["1column".to_string()],
            vec!["2columns-left".to_string()],
            vec!["1column".to_string()]
        ]
    );
    db.drop_db(odb);
    db.drop_db(src_db);
}

/// Every escape in 3-byte UTF-8 (Magento 1 tables are utf8, not utf8mb4).
fn utf8mb3_escapes() -> Vec<u8> {
    "quote ' dq \" backslash \\ nl \n cr \r tab \t nul \0 ctrl-z \x1a bs \x08 percent \\% underscore \\_ é ü 日本 ✓"
        .as_bytes()
        .to_vec()
}

#[test]
fn a_customised_dmt_map_xml_is_applied_and_unknown_handlers_are_named() {
    let Some(shared) = util::shared() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = extended_source(&shared, tmp.path());
    let base = baseline(&shared);
    let xml = tmp.path().join("map.xml");
    std::fs::write(
        &xml,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<map>
  <source>
    <document_rules><ignore><document>acme_*</document></ignore></document_rules>
    <field_rules><ignore><field>cms_block.acme_color</field></ignore></field_rules>
  </source>
  <destination><document_rules/><field_rules/></destination>
</map>"#,
    )
    .unwrap();
    let out = tmp.path().join("out.sql");
    let (report, _) = data(&src, &base, &out, &["--dmt-map", xml.to_str().unwrap()]);
    assert_accounted(&report);
    let t = report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["source"] == "magev1_acme_loyalty_points")
        .unwrap();
    assert_eq!(t["reason"], "ignored by the maps");

    std::fs::write(
        &xml,
        r#"<map><source><document_rules/><field_rules>
  <transform><field>cms_page.content</field><handler class="\Acme\Migration\Handler\Shout"/></transform>
</field_rules></source><destination><document_rules/><field_rules/></destination></map>"#,
    )
    .unwrap();
    let res = util::run(&[
        "data",
        "--source",
        src.to_str().unwrap(),
        "--target",
        base.to_str().unwrap(),
        "--out",
        out.with_extension("2.sql").to_str().unwrap(),
        "--dmt-map",
        xml.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&res.stderr);
    assert_eq!(res.status.code(), Some(2), "{err}");
    assert!(
        err.contains("Acme\\Migration\\Handler\\Shout") && err.contains("cms_page.content"),
        "{err}"
    );
    assert!(!out.with_extension("2.sql").exists());
}

/// The DMT's own `map.xml` given with `--dmt-map` changes nothing: it
/// restates the facts the built-in maps hold, and the handlers it gives a
/// field replace the built-in ones there instead of converting the value a
/// second time (which set the corpus stores' catalog rule conditions, cart
/// item options and taxes applied to NULL as "broken serialized data").
#[test]
fn the_dmt_stock_map_gives_the_same_import_file() {
    let Some(shared) = util::shared() else { return };
    let xml = shared.join("reference/dmt-maps/map.xml");
    if !xml.is_file() {
        assert!(!util::in_ci(), "no {} under CI", xml.display());
        eprintln!("SKIPPED: no {}", xml.display());
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    for src in m1_dumps(&shared) {
        let slug = util::slug(&src);
        let plain = tmp.path().join(format!("{slug}.sql"));
        let with_dmt = tmp.path().join(format!("{slug}-dmt.sql"));
        let (report, _) = data(&src, &baseline(&shared), &plain, &["--auto"]);
        let (dmt_report, _) = data(
            &src,
            &baseline(&shared),
            &with_dmt,
            &["--auto", "--dmt-map", xml.to_str().expect("path")],
        );
        assert!(
            std::fs::read(&plain).expect("out") == std::fs::read(&with_dmt).expect("out"),
            "{}: the same import file",
            src.display()
        );
        assert_eq!(
            report["warnings"],
            dmt_report["warnings"],
            "{}",
            src.display()
        );
        assert!(
            !dmt_report["warnings"]
                .to_string()
                .contains("broken serialized"),
            "{}: {}",
            src.display(),
            dmt_report["warnings"]
        );
    }
}

/// Orphans under the destination's foreign keys: dropped with their children
/// (even when the child table comes first in the dump), set to NULL under
/// `ON DELETE SET NULL`, or kept with `--orphans keep`; always reported.
#[test]
fn orphans_under_destination_foreign_keys_are_dropped_nulled_or_kept() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let m2 = util::write_file(
        tmp.path(),
        "m2.sql",
        b"CREATE TABLE `acme_root` (`id` int unsigned NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB;
CREATE TABLE `acme_parent` (`id` int unsigned NOT NULL, `up_id` int unsigned DEFAULT NULL,
  PRIMARY KEY (`id`),
  CONSTRAINT `P_UP` FOREIGN KEY (`up_id`) REFERENCES `acme_root` (`id`) ON DELETE CASCADE) ENGINE=InnoDB;
CREATE TABLE `acme_child` (`id` int unsigned NOT NULL, `parent_id` int unsigned NOT NULL,
  `note_id` int unsigned DEFAULT NULL, PRIMARY KEY (`id`),
  CONSTRAINT `C_P` FOREIGN KEY (`parent_id`) REFERENCES `acme_parent` (`id`) ON DELETE CASCADE,
  CONSTRAINT `C_N` FOREIGN KEY (`note_id`) REFERENCES `acme_parent` (`id`) ON DELETE SET NULL) ENGINE=InnoDB;
",
    );
    let m1 = util::write_file(
        tmp.path(),
        "m1.sql",
        b"CREATE TABLE `acme_child` (`id` int unsigned NOT NULL, `parent_id` int unsigned NOT NULL,
  `note_id` int unsigned DEFAULT NULL, PRIMARY KEY (`id`));
INSERT INTO `acme_child` VALUES (10,1,2),(11,2,NULL),(12,5,NULL),(13,3,1);
CREATE TABLE `acme_parent` (`id` int unsigned NOT NULL, `up_id` int unsigned DEFAULT NULL, PRIMARY KEY (`id`));
INSERT INTO `acme_parent` VALUES (1,1),(2,9),(3,NULL);
CREATE TABLE `acme_root` (`id` int unsigned NOT NULL, PRIMARY KEY (`id`));
INSERT INTO `acme_root` VALUES (1);
",
    );
    let out = tmp.path().join("out.sql");
    let (report, _) = data(&m1, &m2, &out, &[]);
    assert_accounted(&report);
    let by_source = |r: &serde_json::Value, name: &str| {
        r["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["source"] == name)
            .cloned()
            .expect("table in report")
    };
    let parent = by_source(&report, "acme_parent");
    assert_eq!(
        (
            parent["written_rows"].as_u64(),
            parent["dropped_rows"].as_u64()
        ),
        (Some(2), Some(1))
    );
    assert!(
        parent["reason"]
            .as_str()
            .unwrap()
            .contains("acme_parent.up_id → acme_root.id (P_UP)"),
        "{parent}"
    );
    let child = by_source(&report, "acme_child");
    assert_eq!(
        (
            child["written_rows"].as_u64(),
            child["dropped_rows"].as_u64()
        ),
        (Some(2), Some(2))
    );
    assert!(
        child["reason"].as_str().unwrap().contains("(C_P) (2)"),
        "{child}"
    );
    let warnings = report["warnings"].to_string();
    assert!(
        warnings.contains("acme_child.note_id → acme_parent.id (C_N): 1 values set to NULL"),
        "{warnings}"
    );
    let text = String::from_utf8(std::fs::read(&out).unwrap()).unwrap();
    assert!(text.contains("(10,1,NULL),(13,3,1)"), "{text}");
    assert!(text.contains("(1,1),(3,NULL)"), "{text}");

    let kept = tmp.path().join("kept.sql");
    let (report, _) = data(&m1, &m2, &kept, &["--orphans", "keep"]);
    assert_accounted(&report);
    assert_eq!(
        by_source(&report, "acme_child")["written_rows"].as_u64(),
        Some(4)
    );
    assert_eq!(
        by_source(&report, "acme_parent")["written_rows"].as_u64(),
        Some(3)
    );
    assert!(
        report["warnings"]
            .to_string()
            .contains("orphan rows kept (--orphans keep)")
    );

    // With no child rows in the dump, the parent's own key set is not
    // needed; its rows are still checked against the root's.
    let no_children = util::write_file(
        tmp.path(),
        "m1-no-children.sql",
        &std::fs::read(&m1)
            .unwrap()
            .split(|&b| b == b'\n')
            .filter(|l| !l.starts_with(b"INSERT INTO `acme_child`"))
            .collect::<Vec<_>>()
            .join(&b'\n'),
    );
    let alone = tmp.path().join("alone.sql");
    let (report, _) = data(&no_children, &m2, &alone, &[]);
    assert_accounted(&report);
    let parent = by_source(&report, "acme_parent");
    assert_eq!(
        (
            parent["written_rows"].as_u64(),
            parent["dropped_rows"].as_u64()
        ),
        (Some(2), Some(1))
    );
    let text = String::from_utf8(std::fs::read(&alone).unwrap()).unwrap();
    assert!(text.contains("(1,1),(3,NULL)"), "{text}");

    // The dropped form loads with every key holding.
    let Some(db) = Maria::get() else { return };
    db.fresh_db("m1tom2_orphans");
    db.load("m1tom2_orphans", &out, STRICT);
    let broken = db.fk_violations("m1tom2_orphans");
    let counts = db.counts("m1tom2_orphans");
    db.drop_db("m1tom2_orphans");
    assert!(broken.is_empty(), "{broken:?}");
    assert_eq!(counts["acme_child"], 2);
}

/// A baseline that is not a fresh install holds rows of its own store: a
/// table the migration fills (here the carts) loses its baseline rows, and
/// the baseline's rows that referred to them go as deleting their parents
/// would take them, even where a migrated row has the same key (it is another
/// cart): dropped under `ON DELETE CASCADE`, down the chain, and written with
/// the reference NULL under `ON DELETE SET NULL`; each reported. Rows under a
/// parent the migration does not fill stay.
#[test]
fn baseline_rows_of_replaced_parents_go_with_them() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let m2 = util::write_file(
        tmp.path(),
        "m2.sql",
        b"CREATE TABLE `acme_cart` (`id` int unsigned NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB;
INSERT INTO `acme_cart` VALUES (1),(2);
CREATE TABLE `acme_cart_mask` (`id` int unsigned NOT NULL, `cart_id` int unsigned NOT NULL,
  `mask` varchar(32) NOT NULL, PRIMARY KEY (`id`),
  CONSTRAINT `M_C` FOREIGN KEY (`cart_id`) REFERENCES `acme_cart` (`id`) ON DELETE CASCADE) ENGINE=InnoDB;
INSERT INTO `acme_cart_mask` VALUES (1,1,'baseline-one'),(2,2,'baseline-two');
CREATE TABLE `acme_mask_log` (`id` int unsigned NOT NULL, `mask_id` int unsigned NOT NULL,
  PRIMARY KEY (`id`),
  CONSTRAINT `L_M` FOREIGN KEY (`mask_id`) REFERENCES `acme_cart_mask` (`id`) ON DELETE CASCADE) ENGINE=InnoDB;
INSERT INTO `acme_mask_log` VALUES (7,1);
CREATE TABLE `acme_cart_note` (`id` int unsigned NOT NULL, `cart_id` int unsigned DEFAULT NULL,
  `note` varchar(32) NOT NULL, PRIMARY KEY (`id`),
  CONSTRAINT `N_C` FOREIGN KEY (`cart_id`) REFERENCES `acme_cart` (`id`) ON DELETE SET NULL) ENGINE=InnoDB;
INSERT INTO `acme_cart_note` VALUES (1,1,'noted'),(2,NULL,'free');
CREATE TABLE `acme_tag` (`id` int unsigned NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB;
INSERT INTO `acme_tag` VALUES (1);
CREATE TABLE `acme_tag_use` (`id` int unsigned NOT NULL, `tag_id` int unsigned NOT NULL,
  PRIMARY KEY (`id`),
  CONSTRAINT `U_T` FOREIGN KEY (`tag_id`) REFERENCES `acme_tag` (`id`) ON DELETE CASCADE) ENGINE=InnoDB;
INSERT INTO `acme_tag_use` VALUES (5,1);
",
    );
    let m1 = util::write_file(
        tmp.path(),
        "m1.sql",
        b"CREATE TABLE `acme_cart` (`id` int unsigned NOT NULL, PRIMARY KEY (`id`));
INSERT INTO `acme_cart` VALUES (1),(2),(3);
",
    );
    let out = tmp.path().join("out.sql");
    let (report, _) = data(&m1, &m2, &out, &[]);
    assert_accounted(&report);
    let text = String::from_utf8(std::fs::read(&out).expect("out")).expect("utf8");
    let inserts = |table: &str| -> Vec<&str> {
        text.lines()
            .filter(|l| l.starts_with(&format!("INSERT INTO `{table}`")))
            .collect()
    };
    assert_eq!(inserts("acme_cart").len(), 1, "{text}");
    assert!(
        inserts("acme_cart")[0].ends_with("VALUES (1),(2),(3);"),
        "{text}"
    );
    assert!(inserts("acme_cart_mask").is_empty(), "{text}");
    assert!(inserts("acme_mask_log").is_empty(), "{text}");
    assert_eq!(
        inserts("acme_cart_note"),
        ["INSERT INTO `acme_cart_note` VALUES (1,NULL,'noted'),(2,NULL,'free');"]
    );
    assert_eq!(
        inserts("acme_tag_use"),
        ["INSERT INTO `acme_tag_use` VALUES (5,1);"]
    );
    let warnings = report["warnings"].to_string();
    for w in [
        "acme_cart_mask: 2 rows left out",
        "acme_mask_log: 1 rows left out",
        "acme_cart_note: 1 baseline rows written with a reference set to NULL",
    ] {
        assert!(warnings.contains(w), "{w}: {warnings}");
    }
    assert!(!warnings.contains("acme_tag_use"), "{warnings}");
    // The result loads with every key holding.
    let Some(db) = Maria::get() else { return };
    db.fresh_db("m1tom2_replaced_parents");
    db.load("m1tom2_replaced_parents", &out, util::STRICT);
    let broken = db.fk_violations("m1tom2_replaced_parents");
    db.drop_db("m1tom2_replaced_parents");
    assert!(broken.is_empty(), "{broken:#?}");
}

/// A column set to a string, or to NULL.
type Set<'a> = (&'a str, Option<&'a str>);

/// `dump` with the first row of each named table changed: the listed
/// columns set to the given values. Every other statement as it was.
fn with_first_rows(dump: &Path, changes: &[(&str, &[Set<'_>])]) -> Vec<u8> {
    use m1tom2::dump::{Dump, Insert, Kind};
    let mut columns: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut done = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    Dump::open(dump)
        .expect("dump opens")
        .for_each(
            1,
            |st| Ok(st.text.to_vec()),
            |st, text| {
                let kind = st.classify().kind;
                if kind == Kind::CreateTable {
                    let t = m1tom2::schema::parse_create_table(&text).expect("CREATE TABLE");
                    columns.insert(t.name, t.columns.into_iter().map(|c| c.name).collect());
                }
                let change = kind
                    .is_insert()
                    .then(|| Insert::parse(&text).expect("INSERT"))
                    .and_then(|ins| {
                        let (_, sets) = changes.iter().find(|(t, _)| *t == ins.table)?;
                        done.insert(ins.table.clone()).then_some((ins, *sets))
                    });
                let Some((ins, sets)) = change else {
                    out.extend_from_slice(&text);
                    out.extend_from_slice(b";\n");
                    return Ok(());
                };
                let names = &columns[&ins.table];
                out.extend(util::rewrite_rows(&text, |row, i, v, out| {
                    match sets.iter().find(|(c, _)| row == 0 && *c == names[i]) {
                        Some((_, Some(new))) => {
                            m1tom2::dump::literal::escape_into(out, new.as_bytes())
                        }
                        Some((_, None)) => out.extend_from_slice(b"NULL"),
                        None => v.write_canonical(out),
                    }
                }));
                out.extend_from_slice(b";\n");
                Ok(())
            },
        )
        .expect("dump reads");
    assert_eq!(done.len(), changes.len(), "every table to change has rows");
    out
}

/// Magento 1 `weee_tax` (fixed product taxes): `state` a varchar, `*` for
/// every region; Magento 2 made it an int.
const WEEE_TAX: &str = "CREATE TABLE `weee_tax` (
  `value_id` int(11) NOT NULL AUTO_INCREMENT,
  `website_id` smallint(5) unsigned NOT NULL DEFAULT '0',
  `entity_id` int(10) unsigned NOT NULL DEFAULT '0',
  `country` varchar(2) DEFAULT NULL,
  `value` decimal(12,4) NOT NULL DEFAULT '0.0000',
  `state` varchar(255) NOT NULL DEFAULT '*',
  `attribute_id` smallint(5) unsigned NOT NULL,
  `entity_type_id` smallint(5) unsigned NOT NULL,
  PRIMARY KEY (`value_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO `weee_tax` VALUES (1,0,1,'US',1.5000,'*',75,4),(2,0,2,'US',2.0000,'12',75,4),(3,0,3,'DE',0.5000,'x7',75,4);
";

/// Values their Magento 2 column does not take as they are get the form
/// MySQL gives them outside strict mode, and the report counts them, so the
/// import file loads in strict mode:
/// - longer than the column (`sales_order.remote_ip` is a `varchar(45)`,
///   Magento 1's a `varchar(255)`; `customer_firstname` 128 characters against
///   255; `quote_address.postcode` 20): cut at a character boundary;
/// - NULL where Magento 2 declares NOT NULL (`catalog_product_entity.sku`
///   and `created_at`): the column's default, or the type's empty value;
/// - not an integer where Magento 2 has an int (`weee_tax.state`, `*` for
///   every region): MySQL's conversion (`*` → 0, `x7` → 0).
///
/// Before, the report said nothing and the load stopped at the first of
/// them ("Data too long", "cannot be null", "Incorrect integer value").
#[test]
fn values_magento_2_columns_do_not_take_are_fitted_and_reported() {
    let (Some(shared), Some(db)) = (util::shared(), Maria::get()) else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let generated = tmp.path().join("gen.sql");
    util::generate(&generated, "42", ["60", "80", "40"], &[]);
    let ip = "203.0.113.7, 198.51.100.23, 192.0.2.201, 10.20.30.40, 172.16.254.1";
    let name = "Ŝ".repeat(100) + &"é".repeat(40);
    let postcode = "12345-6789 ABCDEFGHIJKLMNOP";
    let mut changed = with_first_rows(
        &generated,
        &[
            (
                "sales_flat_order",
                &[("remote_ip", Some(ip)), ("customer_firstname", Some(&name))],
            ),
            ("sales_flat_quote_address", &[("postcode", Some(postcode))]),
            (
                "catalog_product_entity",
                &[("sku", None), ("created_at", None)],
            ),
        ],
    );
    changed.extend_from_slice(WEEE_TAX.as_bytes());
    let source = util::write_file(tmp.path(), "long.sql", &changed);
    let out = tmp.path().join("out.sql");
    let (report, stderr) = data(&source, &baseline(&shared), &out, &[]);
    assert_accounted(&report);
    let warnings: Vec<&str> = util::warnings(&report)
        .into_iter()
        .filter(|w| w.contains("Magento 2 column") || w.contains("Magento 2 declares NOT NULL"))
        .collect();
    assert_eq!(
        warnings,
        [
            "catalog_product_entity.created_at: NULL in a column Magento 2 declares NOT NULL: written as the column's default (1 rows)",
            "catalog_product_entity.sku: NULL in a column Magento 2 declares NOT NULL without a default: written as the type's empty value ('' or 0) (1 rows)",
            "quote_address.postcode: value cut to the Magento 2 column's length (1 rows)",
            "sales_order.customer_firstname: value cut to the Magento 2 column's length (1 rows)",
            "sales_order.remote_ip: value cut to the Magento 2 column's length (1 rows)",
            "weee_tax.state: not an integer the Magento 2 column holds: written as the integer MySQL converts it to (2 rows)",
        ],
        "{stderr}"
    );

    // `check` names the same values before anything is written.
    let checked = util::check_json(&source, &baseline(&shared));
    assert_eq!(checked["fitted"], serde_json::json!(warnings));

    db.fresh_db("m1tom2_cut");
    db.load(
        "m1tom2_cut",
        &out,
        &format!("{STRICT}, timestamp=1700000000"),
    );
    let first = |sql: &str| db.query("m1tom2_cut", sql)[0].clone();
    let order = first(
        "SELECT remote_ip, customer_firstname, CHAR_LENGTH(customer_firstname) FROM sales_order ORDER BY entity_id LIMIT 1",
    );
    let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    assert_eq!(order[0], cut(ip, 45));
    assert_eq!(order[1], cut(&name, 128));
    assert_eq!(order[2], "128");
    let address = first("SELECT postcode FROM quote_address ORDER BY address_id LIMIT 1");
    assert_eq!(address[0], cut(postcode, 20));
    let product =
        first("SELECT sku, created_at FROM catalog_product_entity ORDER BY entity_id LIMIT 1");
    assert_eq!(product, ["", "2023-11-14 22:13:20"]);
    let states = db.query("m1tom2_cut", "SELECT state FROM weee_tax ORDER BY value_id");
    assert_eq!(states, [["0"], ["12"], ["0"]]);
    db.drop_db("m1tom2_cut");
}
