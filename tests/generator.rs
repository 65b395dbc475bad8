//! The generator's stores convert with no integrity problem, and the result
//! loads on its own under strict mode with every foreign key holding; the
//! generator is deterministic per seed.

use std::process::Command;

use crate::data::{baseline, data};
use crate::util::{self, Maria};

fn generate(out: &std::path::Path, seed: &str) {
    generate_with(out, seed, &[]);
}

fn generate_with(out: &std::path::Path, seed: &str, extra: &[&str]) {
    let res = Command::new(env!("CARGO_BIN_EXE_m1tom2-gen"))
        .args([
            "--products",
            "300",
            "--orders",
            "400",
            "--customers",
            "200",
            "--seed",
            seed,
            "--out",
            out.to_str().expect("path"),
        ])
        .args(extra)
        .output()
        .expect("m1tom2-gen runs");
    assert!(
        res.status.success(),
        "m1tom2-gen: {}",
        String::from_utf8_lossy(&res.stderr)
    );
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
    // consistent store.
    let warnings = report["warnings"].as_array().expect("warnings");
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
