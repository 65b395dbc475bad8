//! The reader against real dumps: every row counted as MariaDB counts it,
//! every CREATE TABLE parsed, every row re-emitted byte-exactly.

use crate::util::{self, Maria};

/// `inspect --json` counts equal MariaDB's counts after loading each corpus file.
#[test]
fn inspect_counts_equal_mariadb_counts() {
    let (Some(shared), Some(db)) = (util::shared(), Maria::get()) else {
        return;
    };
    for file in util::corpus_files(&shared) {
        let name = format!("m1tom2_count_{}", util::slug(&file));
        let json = util::inspect_json(&[file.to_str().expect("utf8 path")]);
        let ours = util::json_counts(&json);
        // Every table with a CREATE TABLE is listed with its column count.
        for t in json["tables"].as_array().expect("tables") {
            assert!(
                t["columns"].as_u64().expect("columns") > 0,
                "{}: {t}",
                file.display()
            );
        }
        db.fresh_db(&name);
        db.load(&name, &file, util::load_init(&file));
        let theirs = db.counts(&name);
        db.drop_db(&name);
        assert_eq!(ours, theirs, "row counts differ for {}", file.display());
    }
}

/// Facts the corpus README states about its dumps.
#[test]
fn corpus_dump_facts() {
    let Some(shared) = util::shared() else { return };
    let d = shared.join("corpus/dumps");
    let m1 = util::inspect_json(&[d
        .join("m1-1.9.3-prefixed-mysql57.sql")
        .to_str()
        .expect("path")]);
    assert_eq!(m1["format"], "mysqldump");
    assert_eq!(m1["table_prefix"], "magev1_");
    assert_eq!(m1["magento"]["major"], 1);
    assert_eq!(m1["tables"].as_array().expect("tables").len(), 336);
    assert!(
        m1["server_version"]
            .as_str()
            .expect("version")
            .starts_with("5.7.17")
    );
    assert!(
        m1["magento"]["version_hint"]
            .as_str()
            .expect("hint")
            .contains("1.6.0.0.19.1.5")
    );

    let yog = util::inspect_json(&[d
        .join("m1-1.6.1-sampledata-sqlyog.sql")
        .to_str()
        .expect("path")]);
    assert_eq!(yog["format"], "sqlyog");
    assert_eq!(yog["table_prefix"], serde_json::Value::Null);
    assert_eq!(yog["magento"]["major"], 1);
    assert_eq!(yog["tables"].as_array().expect("tables").len(), 324);

    let m2 = util::inspect_json(&[d.join("m2-2.4.8-mariadb.sql").to_str().expect("path")]);
    assert_eq!(m2["format"], "mariadb-dump");
    assert_eq!(m2["magento"]["major"], 2);
    assert_eq!(m2["tables"].as_array().expect("tables").len(), 361);
    assert!(
        m2["server_version"]
            .as_str()
            .expect("version")
            .contains("MariaDB")
    );

    // A forced prefix wins over detection.
    let forced = util::inspect_json(&[
        "--source-prefix",
        "magev1_core_",
        d.join("m1-1.9.3-prefixed-mysql57.sql")
            .to_str()
            .expect("path"),
    ]);
    assert_eq!(forced["table_prefix"], "magev1_core_");
}

/// Re-emitting every row as canonical INSERTs and loading them gives tables
/// whose CHECKSUM TABLE equals the original load's.
#[test]
fn canonical_round_trip_checksums_equal() {
    let (Some(shared), Some(db)) = (util::shared(), Maria::get()) else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    for file in util::corpus_files(&shared) {
        let slug = util::slug(&file);
        let (sql, _) = util::reemit(&file, 2);
        let re = util::write_file(tmp.path(), &format!("{slug}.sql"), &sql);
        let (a, b) = (format!("m1tom2_rt_a_{slug}"), format!("m1tom2_rt_b_{slug}"));
        db.fresh_db(&a);
        db.fresh_db(&b);
        db.load(&a, &file, util::load_init(&file));
        db.load(&b, &re, util::load_init(&file));
        let (ca, cb) = (db.checksums(&a), db.checksums(&b));
        let counts = db.counts(&b);
        db.drop_db(&a);
        db.drop_db(&b);
        assert_eq!(
            ca,
            cb,
            "checksums differ after re-emitting {}",
            file.display()
        );
        // No statement was lost: the re-emitted file reads and loads to the same counts.
        let original = util::json_counts(&util::inspect_json(&[file.to_str().expect("path")]));
        let again = util::json_counts(&util::inspect_json(&[re.to_str().expect("path")]));
        assert_eq!(original, again, "{}", file.display());
        assert_eq!(original, counts, "{}", file.display());
    }
}

/// Plain, gzip, stdin and thread counts all give the same answer.
#[test]
fn plain_gzip_stdin_and_threads_agree() {
    let Some(shared) = util::shared() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    for file in [
        "m1-1.9.3-prefixed-mysql57.sql",
        "m1-1.6.1-sampledata-sqlyog.sql",
        "m2-2.4.8-mariadb.sql",
    ] {
        let plain = shared.join("corpus/dumps").join(file);
        let gz = tmp.path().join(format!("{file}.gz"));
        util::gzip_file(&plain, &gz);
        let p = plain.to_str().expect("path");
        let g = gz.to_str().expect("path");
        let base = util::run(&["inspect", "--json", p]);
        assert!(base.status.success());
        for args in [
            vec!["--threads", "1", "inspect", "--json", p],
            vec!["--threads", "2", "inspect", "--json", p],
            vec!["inspect", "--json", g],
            vec!["--threads", "1", "inspect", "--json", g],
        ] {
            let out = util::run(&args);
            assert!(
                out.status.success(),
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(out.stdout, base.stdout, "{args:?} differs from plain");
        }
        for input in [&plain, &gz] {
            let out = util::run_stdin(&["inspect", "--json", "-"], input);
            assert!(
                out.status.success(),
                "stdin {}: {}",
                input.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(
                out.stdout,
                base.stdout,
                "stdin {} differs from plain",
                input.display()
            );
        }
        // The re-emitted rows agree too, in-process, whatever the thread count.
        assert_eq!(util::reemit(&plain, 1), util::reemit(&gz, 2));
    }
}

/// A multi-member gzip (two gzip files concatenated) reads as one stream.
#[test]
fn multi_member_gzip() {
    let Some(shared) = util::shared() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let plain = shared.join("corpus/dmt-fixtures/eav/source.sql");
    let data = std::fs::read(&plain).expect("readable");
    let half = data.len() / 2;
    let (a, b) = (tmp.path().join("a.sql"), tmp.path().join("b.sql"));
    std::fs::write(&a, &data[..half]).expect("write");
    std::fs::write(&b, &data[half..]).expect("write");
    let (ga, gb) = (tmp.path().join("a.gz"), tmp.path().join("b.gz"));
    util::gzip_file(&a, &ga);
    util::gzip_file(&b, &gb);
    let mut both = std::fs::read(&ga).expect("read");
    both.extend(std::fs::read(&gb).expect("read"));
    // No .gz name: the magic bytes decide.
    let multi = util::write_file(tmp.path(), "multi.dump", &both);
    let want = util::inspect_json(&[plain.to_str().expect("path")]);
    let got = util::inspect_json(&[multi.to_str().expect("path")]);
    assert_eq!(util::json_counts(&want), util::json_counts(&got));
    assert!(!util::json_counts(&got).is_empty());
}
