//! A database of hard values, built here with exact bytes, dumped with the real
//! `mariadb-dump` under several flag sets: every variant must read the same.

use std::path::{Path, PathBuf};
use std::process::Command;

use m1tom2::dump::{Dump, Insert};

use crate::util::{self, Maria};

const DB: &str = "m1tom2_hard_values";

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Text with every escape MySQL knows, 4-byte UTF-8 and a NUL.
pub fn escapes_text() -> Vec<u8> {
    "quote ' dq \" backslash \\ nl \n cr \r tab \t nul \0 ctrl-z \x1a bs \x08 percent \\% underscore \\_ \
     emoji 😀 clef 𝄞 é ü 日本"
        .as_bytes()
        .to_vec()
}

/// The 64-byte pattern repeated into the 4 MB text.
pub fn big_pattern() -> Vec<u8> {
    let mut p = b"chunk 'q' \"d\" \\ back\nline\r\n\ttab \x1a z 0123456789 ".to_vec();
    p.resize(64, b'.');
    p
}

fn setup_sql() -> String {
    let all: Vec<u8> = (0..=255u8).collect();
    let rev: Vec<u8> = (0..=255u8).rev().collect();
    format!(
        "SET NAMES utf8mb4;
CREATE TABLE blobs (id INT PRIMARY KEY, b BLOB, vb VARBINARY(300), label MEDIUMBLOB) ENGINE=InnoDB;
INSERT INTO blobs VALUES (1, 0x{all}, 0x{rev}, NULL), (2, '', 0x00, 0x27225C0D0A1A);
CREATE TABLE texts (id INT PRIMARY KEY, t TEXT, v VARCHAR(255) NULL, big LONGTEXT) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO texts VALUES (1, CONVERT(0x{esc} USING utf8mb4), CONVERT(0x{esc} USING utf8mb4), ''),
  (2, 'NULL', NULL, 'NULL'), (3, '', '', NULL);
INSERT INTO texts VALUES (4, 'big', 'big', REPEAT(CONVERT(0x{pat} USING utf8mb4), 65536));
CREATE TABLE nums (id INT PRIMARY KEY, d DECIMAL(12,4), f DOUBLE, neg INT, bi BIGINT UNSIGNED,
  dt DATETIME, ts TIMESTAMP NULL DEFAULT NULL, fl FLOAT, bits BIT(9)) ENGINE=InnoDB;
INSERT INTO nums VALUES (1, -12.5, 1.5e-7, -2147483648, 18446744073709551615, '2013-01-01 10:00:00', NULL, 3.25, b'101010101'),
  (2, 0, -1e300, 0, 0, '1970-01-01 00:00:01', '2020-02-29 23:59:59', -0.5, b'0');
CREATE TABLE log (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(64)) ENGINE=InnoDB;
DELIMITER ;;
CREATE TRIGGER nums_bi BEFORE INSERT ON nums FOR EACH ROW BEGIN
  INSERT INTO log (note) VALUES ('a;b');
  SET NEW.neg = NEW.neg;
END;;
CREATE PROCEDURE touch_log() BEGIN
  INSERT INTO log (note) VALUES ('proc;');
  SELECT COUNT(*) FROM log;
END;;
DELIMITER ;
",
        all = hex(&all),
        rev = hex(&rev),
        esc = hex(&escapes_text()),
        pat = hex(&big_pattern()),
    )
}

pub const VARIANTS: &[(&str, &[&str])] = &[
    ("default", &[]),
    (
        "single_complete",
        &["--skip-extended-insert", "--complete-insert"],
    ),
    ("hex_blob", &["--hex-blob"]),
    ("compact", &["--compact"]),
    (
        "ignore_small_packets",
        &["--insert-ignore", "--net-buffer-length=4096"],
    ),
    ("routines_triggers", &["--routines", "--triggers"]),
];

fn dump_variants(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for (name, flags) in VARIANTS {
        let path = dir.join(format!("{name}.sql"));
        let res = Command::new("mariadb-dump")
            .args([
                "-h127.0.0.1",
                "-uroot",
                "--default-character-set=utf8mb4",
                "--max-allowed-packet=64M",
            ])
            .args(*flags)
            .arg(format!("--result-file={}", path.display()))
            .arg(DB)
            .output()
            .expect("mariadb-dump runs");
        assert!(
            res.status.success(),
            "mariadb-dump {flags:?}: {}",
            String::from_utf8_lossy(&res.stderr)
        );
        out.push((name.to_string(), path));
    }
    let gz = dir.join("default.sql.gz");
    util::gzip_file(&dir.join("default.sql"), &gz);
    out.push(("default_gzip".into(), gz));
    out
}

/// The raw values of one row of one table, found by id, as exact bytes.
fn row_bytes(path: &Path, table: &str, id: &[u8]) -> Vec<Option<Vec<u8>>> {
    let dump = Dump::open(path).expect("opens");
    let mut found = None;
    dump.for_each(
        1,
        |st| Ok(st.classify().kind.is_insert().then(|| st.text.to_vec())),
        |_, text| {
            if let Some(text) = text {
                let ins = Insert::parse(&text).map_err(|e| m1tom2::Error::Config(e.message))?;
                if ins.table == table {
                    let mut it = ins.rows();
                    let mut buf = Vec::new();
                    while it
                        .next_into(&mut buf)
                        .map_err(|e| m1tom2::Error::Config(e.message))?
                    {
                        if buf[0].bytes().as_deref() == Some(id) {
                            found = Some(
                                buf.iter()
                                    .map(|v| v.bytes().map(|b| b.into_owned()))
                                    .collect(),
                            );
                        }
                    }
                }
            }
            Ok(())
        },
    )
    .expect("reads");
    found.unwrap_or_else(|| {
        panic!(
            "row {} of {table} not found in {}",
            String::from_utf8_lossy(id),
            path.display()
        )
    })
}

#[test]
fn every_dump_flag_set_reads_the_same() {
    let Some(db) = Maria::get() else { return };
    if Command::new("mariadb-dump")
        .arg("--version")
        .output()
        .is_err()
    {
        util::missing("mariadb-dump is not installed");
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    db.fresh_db(DB);
    let setup = util::write_file(tmp.path(), "setup.sql", setup_sql().as_bytes());
    db.load(DB, &setup, "");
    let variants = dump_variants(tmp.path());

    let base = util::inspect_json(&[variants[0].1.to_str().expect("path")]);
    let base_counts = util::json_counts(&base);
    assert_eq!(base_counts.get("blobs"), Some(&2));
    assert_eq!(base_counts.get("texts"), Some(&4));
    assert_eq!(base_counts.get("nums"), Some(&2));
    let (_, base_rows) = util::reemit(&variants[0].1, 2);
    for (name, path) in &variants {
        let p = path.to_str().expect("path");
        let json = util::inspect_json(&[p]);
        assert_eq!(
            util::json_counts(&json),
            base_counts,
            "{name}: counts differ"
        );
        let one = util::inspect_json(&["--threads", "1", p]);
        assert_eq!(one, json, "{name}: --threads 1 differs");
        let (_, rows) = util::reemit(path, 2);
        assert_eq!(rows, base_rows, "{name}: re-emitted rows differ");
    }

    // The exact bytes survive the tokenizer, in every variant.
    let all: Vec<u8> = (0..=255u8).collect();
    for (name, path) in &variants {
        let b1 = row_bytes(path, "blobs", b"1");
        assert_eq!(
            b1[1].as_deref(),
            Some(&all[..]),
            "{name}: the 256-byte blob"
        );
        assert_eq!(b1[3], None, "{name}: NULL blob");
        let t1 = row_bytes(path, "texts", b"1");
        assert_eq!(
            t1[1].as_deref(),
            Some(&escapes_text()[..]),
            "{name}: escapes"
        );
        let t2 = row_bytes(path, "texts", b"2");
        assert_eq!(
            (t2[1].as_deref(), t2[2].as_deref()),
            (Some(&b"NULL"[..]), None),
            "{name}: 'NULL' vs NULL"
        );
        let t3 = row_bytes(path, "texts", b"3");
        assert_eq!(
            (t3[1].as_deref(), t3[3].as_deref()),
            (Some(&b""[..]), None),
            "{name}: '' vs NULL"
        );
        let t4 = row_bytes(path, "texts", b"4");
        let big = t4[3].as_deref().expect("big text");
        assert_eq!(big.len(), 64 * 65536, "{name}: 4 MB text length");
        assert!(
            big.chunks(64).all(|c| c == big_pattern()),
            "{name}: 4 MB text bytes"
        );
    }

    // The trigger and routine are recognised, not lost.
    let out = util::run(&["inspect", variants[5].1.to_str().expect("path")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("create_trigger 1"), "{text}");
    assert!(text.contains("create_procedure 1"), "{text}");

    // Loading the canonical re-emission gives the same checksums as the original.
    let (sql, _) = util::reemit(&variants[0].1, 2);
    let re = util::write_file(tmp.path(), "reemit.sql", &sql);
    let copy = "m1tom2_hard_values_copy";
    db.fresh_db(copy);
    db.load(copy, &re, "");
    let (a, b) = (db.checksums(DB), db.checksums(copy));
    db.drop_db(copy);
    db.drop_db(DB);
    assert_eq!(a, b, "checksums differ after the canonical round trip");
}
