//! Dumps laid out as other tools write them convert to the same migrated
//! database as the mysqldump they were made from.

use std::collections::BTreeMap;
use std::path::Path;

use m1tom2::dump::{Dump, Insert, Kind};
use m1tom2::schema::parse_create_table;

use crate::data::{baseline, data};
use crate::util::{self, Maria, STRICT};

/// Rows per INSERT in the rewritten dump (phpMyAdmin splits its INSERTs by
/// size; a few rows each makes many statements out of the small corpus).
const ROWS_PER_INSERT: usize = 7;

/// A mysqldump rewritten the way phpMyAdmin exports a database:
/// - `CREATE TABLE` with the columns only, no `AUTO_INCREMENT` in them and no
///   `AUTO_INCREMENT=n` table option;
/// - after all tables, the keys as `ALTER TABLE … ADD PRIMARY KEY, ADD UNIQUE
///   KEY, ADD KEY …`, then `ALTER TABLE … MODIFY … AUTO_INCREMENT,
///   AUTO_INCREMENT=n`, then `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY`;
/// - `INSERT INTO `t` (`a`, `b`) VALUES` with a row a line, `, ` between
///   values, binary columns in hex, a few rows per statement;
/// - no `LOCK TABLES` or `DISABLE KEYS`; everything else as it was.
fn php_my_admin(path: &Path) -> Vec<u8> {
    let dump = Dump::open(path).expect("dump opens");
    let mut out = b"-- phpMyAdmin SQL Dump\n-- version 5.2.1\n-- Server version: 10.11.6-MariaDB\n\nSET SQL_MODE = \"NO_AUTO_VALUE_ON_ZERO\";\nSET FOREIGN_KEY_CHECKS=0;\nSTART TRANSACTION;\n/*!40101 SET NAMES utf8mb4 */;\n\n".to_vec();
    let (mut keys, mut autos, mut constraints) = (Vec::new(), Vec::new(), Vec::new());
    // Per table: its columns, and which of them are binary.
    let mut columns: BTreeMap<String, (Vec<String>, Vec<bool>)> = BTreeMap::new();
    let mut delimiter = b";".to_vec();
    dump.for_each(
        1,
        |st| Ok(st.text.to_vec()),
        |st, text| {
            let c = st.classify();
            match c.kind {
                Kind::CreateTable => {
                    let t = parse_create_table(&text).expect("CREATE TABLE reads");
                    let head = format!("ALTER TABLE `{}`\n", t.name).into_bytes();
                    let (mut cols, mut key, mut cons) = (Vec::new(), Vec::new(), Vec::new());
                    let mut auto = None;
                    let mut lines = text.split(|&b| b == b'\n');
                    let first = lines.next().expect("a first line");
                    let mut tail = Vec::new();
                    for l in lines {
                        let l = l.trim_ascii();
                        let l = l.strip_suffix(b",").unwrap_or(l);
                        if l.starts_with(b")") {
                            tail = l.to_vec();
                        } else if l.starts_with(b"CONSTRAINT") {
                            cons.push(l.to_vec());
                        } else if l.starts_with(b"`") {
                            let plain = String::from_utf8_lossy(l).replace(" AUTO_INCREMENT", "");
                            if plain.len() != l.len() {
                                auto = Some(l.to_vec());
                            }
                            cols.push(plain.into_bytes());
                        } else {
                            key.push(l.to_vec());
                        }
                    }
                    let tail = String::from_utf8_lossy(&tail).into_owned();
                    let counter = tail
                        .split(' ')
                        .find_map(|w| w.strip_prefix("AUTO_INCREMENT="));
                    let counter = counter.map(str::to_string);
                    let tail = match &counter {
                        Some(n) => tail.replace(&format!(" AUTO_INCREMENT={n}"), ""),
                        None => tail,
                    };
                    out.extend_from_slice(first);
                    out.push(b'\n');
                    let body: Vec<Vec<u8>> =
                        cols.iter().map(|c| [b"  ", &c[..]].concat()).collect();
                    out.extend_from_slice(&body.join(&b",\n"[..]));
                    out.extend_from_slice(format!("\n{tail};\n\n").as_bytes());
                    let list = |parts: &[Vec<u8>]| {
                        let adds: Vec<Vec<u8>> =
                            parts.iter().map(|k| [b"  ADD ", &k[..]].concat()).collect();
                        [&head[..], &adds.join(&b",\n"[..]), b";\n"].concat()
                    };
                    if !key.is_empty() {
                        keys.push(list(&key));
                    }
                    if let Some(a) = auto {
                        let mut m = [&head[..], b"  MODIFY ", &a].concat();
                        if let Some(n) = counter {
                            m.extend_from_slice(format!(", AUTO_INCREMENT={n}").as_bytes());
                        }
                        m.extend_from_slice(b";\n");
                        autos.push(m);
                    }
                    if !cons.is_empty() {
                        constraints.push(list(&cons));
                    }
                    columns.insert(
                        t.name.clone(),
                        (
                            t.columns.iter().map(|c| c.name.clone()).collect(),
                            t.columns.iter().map(|c| c.is_binary()).collect(),
                        ),
                    );
                }
                k if k.is_insert() => {
                    let ins = Insert::parse(&text).expect("INSERT reads");
                    let (names, binary) = &columns[&ins.table];
                    let head = format!(
                        "INSERT INTO `{}` ({}) VALUES\n",
                        ins.table,
                        names
                            .iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                    let mut rows = ins.rows();
                    let mut buf = Vec::new();
                    let mut rendered = Vec::new();
                    while rows.next_into(&mut buf).expect("row reads") {
                        let mut r = b"(".to_vec();
                        for (i, v) in buf.iter().enumerate() {
                            if i > 0 {
                                r.extend_from_slice(b", ");
                            }
                            match v.bytes() {
                                Some(b) if binary[i] && !b.is_empty() => {
                                    r.extend_from_slice(b"0x");
                                    for byte in b.iter() {
                                        r.extend_from_slice(format!("{byte:02x}").as_bytes());
                                    }
                                }
                                _ => v.write_canonical(&mut r),
                            }
                        }
                        r.push(b')');
                        rendered.push(r);
                    }
                    for chunk in rendered.chunks(ROWS_PER_INSERT) {
                        out.extend_from_slice(head.as_bytes());
                        out.extend_from_slice(&chunk.join(&b",\n"[..]));
                        out.extend_from_slice(b";\n\n");
                    }
                }
                Kind::LockTables | Kind::UnlockTables | Kind::AlterTable => {}
                _ if st.delimiter_command => {
                    out.extend_from_slice(&text);
                    out.push(b'\n');
                    delimiter = text[9..].trim_ascii().to_vec();
                }
                _ => {
                    out.extend_from_slice(&text);
                    out.extend_from_slice(&delimiter);
                    out.push(b'\n');
                }
            }
            Ok(())
        },
    )
    .expect("dump reads");
    for (title, part) in [
        ("Indexes", keys),
        ("AUTO_INCREMENT", autos),
        ("Constraints", constraints),
    ] {
        out.extend_from_slice(format!("\n--\n-- {title} for dumped tables\n--\n\n").as_bytes());
        out.extend(part.concat());
    }
    out.extend_from_slice(b"COMMIT;\n");
    out
}

/// What a loaded database declares and holds: its columns, indexes and
/// foreign keys from information_schema, and every table's checksum.
fn state(db: &Maria, name: &str) -> BTreeMap<String, Vec<Vec<String>>> {
    let schema = |sql: &str| db.query(name, &sql.replace("{db}", name));
    let mut s = BTreeMap::new();
    s.insert(
        "columns".into(),
        schema("SELECT table_name, column_name, ordinal_position, column_type, is_nullable, column_default, extra, column_comment FROM information_schema.columns WHERE table_schema='{db}' ORDER BY 1, 3"),
    );
    s.insert(
        "indexes".into(),
        schema("SELECT table_name, index_name, seq_in_index, column_name, non_unique, index_type, sub_part FROM information_schema.statistics WHERE table_schema='{db}' ORDER BY 1, 2, 3"),
    );
    s.insert(
        "foreign keys".into(),
        schema("SELECT k.constraint_name, k.table_name, k.column_name, k.referenced_table_name, k.referenced_column_name, r.update_rule, r.delete_rule FROM information_schema.key_column_usage k JOIN information_schema.referential_constraints r ON r.constraint_schema = k.table_schema AND r.constraint_name = k.constraint_name WHERE k.table_schema='{db}' ORDER BY 1, 2, k.ordinal_position"),
    );
    s.insert(
        "checksums".into(),
        db.checksums(name)
            .into_iter()
            .map(|(t, c)| vec![t, c])
            .collect(),
    );
    s
}

/// A phpMyAdmin export of the Magento 1 store and of the Magento 2 baseline,
/// whose keys come after the data in `ALTER TABLE` statements, converts to
/// the migrated database the mysqldumps give: the same report, and loaded
/// in strict mode the same columns, primary and unique keys, indexes,
/// foreign keys and rows. Without the keys of the `ALTER TABLE` statements
/// the stores step loses all but one store, and the output has no keys.
#[test]
fn php_my_admin_exports_convert_to_the_database_mysqldump_gives() {
    let (Some(shared), Some(db)) = (util::shared(), Maria::get()) else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let m1 = shared.join("corpus/dumps/m1-1.9.3-prefixed-mysql57.sql");
    let m2 = baseline(&shared);
    let pma_m1 = util::write_file(tmp.path(), "m1-pma.sql", &php_my_admin(&m1));
    let pma_m2 = util::write_file(tmp.path(), "m2-pma.sql", &php_my_admin(&m2));
    let pma_text = std::fs::read_to_string(&pma_m2).expect("utf8 enough");
    assert!(pma_text.contains("\n  ADD PRIMARY KEY (`store_id`)"));
    assert!(!pma_text.contains("\n  PRIMARY KEY"));

    // The rewritten dumps are the same databases: MariaDB says so.
    for (orig, pma) in [(&m1, &pma_m1), (&m2, &pma_m2)] {
        db.fresh_db("m1tom2_dialect_a");
        db.fresh_db("m1tom2_dialect_b");
        db.load("m1tom2_dialect_a", orig, "");
        db.load("m1tom2_dialect_b", pma, "");
        assert_eq!(
            db.checksums("m1tom2_dialect_a"),
            db.checksums("m1tom2_dialect_b"),
            "{} rewritten in phpMyAdmin's layout holds other rows",
            orig.display()
        );
    }

    let (plain_report, _) = data(&m1, &m2, &tmp.path().join("plain.sql"), &[]);
    let (pma_report, _) = data(&pma_m1, &pma_m2, &tmp.path().join("pma.sql"), &[]);
    // Table by table, so that a difference names its table.
    for part in ["tables", "destinations"] {
        let (a, b) = (&plain_report[part], &pma_report[part]);
        let (a, b) = (a.as_array().expect(part), b.as_array().expect(part));
        assert_eq!(a.len(), b.len(), "{part}");
        for (x, y) in a.iter().zip(b) {
            assert_eq!(x, y, "{part} of the report differ");
        }
    }
    assert_eq!(plain_report["warnings"], pma_report["warnings"]);
    let stores = pma_report["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .find(|t| t["source"] == "magev1_core_store")
        .expect("core_store in the report");
    assert_eq!(stores["dropped_rows"], 0, "{stores}");

    // Loaded at one fixed time (columns that default to the time of the load).
    let init = format!("{STRICT}, timestamp=1700000000");
    let mut states = Vec::new();
    for out in ["plain.sql", "pma.sql"] {
        db.fresh_db("m1tom2_dialect_out");
        db.load("m1tom2_dialect_out", &tmp.path().join(out), &init);
        let st = state(&db, "m1tom2_dialect_out");
        assert!(
            st["indexes"]
                .iter()
                .any(|r| r[0] == "store" && r[1] == "PRIMARY"),
            "{out}: store has no primary key"
        );
        assert!(db.fk_violations("m1tom2_dialect_out").is_empty(), "{out}");
        states.push(st);
    }
    for db_name in ["m1tom2_dialect_a", "m1tom2_dialect_b", "m1tom2_dialect_out"] {
        db.drop_db(db_name);
    }
    for (what, plain) in &states[0] {
        assert_eq!(plain, &states[1][what], "{what} differ");
    }
}

/// The SQL modes the session has once OUT's header has run, when the server
/// starts the session in `mode`.
fn mode_after_header(db: &Maria, header: &str, mode: &str) -> std::collections::BTreeSet<String> {
    let rows = db.query_after(
        &format!("SET SESSION sql_mode='{mode}'"),
        "mysql",
        &format!("{header}\nSELECT @@SESSION.sql_mode;"),
    );
    modes(&rows[0][0])
}

/// A set of SQL modes.
fn modes(list: &str) -> std::collections::BTreeSet<String> {
    list.split(',')
        .filter(|m| !m.is_empty())
        .map(str::to_string)
        .collect()
}

/// OUT loads into a server whatever SQL mode the server starts its sessions
/// in: MySQL 8's default (`NO_ZERO_DATE` and `NO_ZERO_IN_DATE`, which reject
/// the zero dates of the baseline's `DEFAULT '0000-00-00 00:00:00'` and of
/// Magento 1's rows), `TRADITIONAL`, and modes that change how the file reads
/// (`NO_BACKSLASH_ESCAPES`, `ANSI_QUOTES`, `EMPTY_STRING_IS_NULL`). Each load
/// gives the database the plain strict load gives, and the header keeps the
/// server's strictness. Before, the first two stopped at the first zero-date
/// default, and the third at the first backslash escape.
#[test]
fn out_loads_the_same_whatever_sql_mode_the_server_starts_in() {
    let (Some(shared), Some(db)) = (util::shared(), Maria::get()) else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    // The 1.6 sample store: zero dates in its rows (low_stock_date).
    let m1 = shared.join("corpus/dumps/m1-1.6.1-sampledata-sqlyog.sql");
    let out = tmp.path().join("out.sql");
    data(&m1, &baseline(&shared), &out, &[]);
    let text = std::fs::read(&out).expect("out");
    assert!(
        text.windows(21).any(|w| w == b"'0000-00-00 00:00:00'"),
        "the store's rows hold zero dates"
    );
    let header: String = String::from_utf8_lossy(&text)
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("/*!"))
        .collect::<Vec<_>>()
        .join("\n");

    const MYSQL8: &str = "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";
    const ODD: &str = "TRADITIONAL,NO_BACKSLASH_ESCAPES,ANSI_QUOTES,EMPTY_STRING_IS_NULL";
    assert_eq!(
        mode_after_header(&db, &header, MYSQL8),
        modes("STRICT_TRANS_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION")
    );
    assert_eq!(
        mode_after_header(&db, &header, ODD),
        modes("STRICT_TRANS_TABLES,STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION")
    );
    assert_eq!(
        mode_after_header(&db, &header, ""),
        modes("NO_AUTO_VALUE_ON_ZERO")
    );

    let name = "m1tom2_server_mode";
    let mut states = Vec::new();
    for mode in [
        "STRICT_ALL_TABLES".to_string(),
        MYSQL8.to_string(),
        ODD.to_string(),
    ] {
        db.fresh_db(name);
        db.load(
            name,
            &out,
            &format!("SET SESSION sql_mode='{mode}', timestamp=1700000000"),
        );
        states.push((mode, state(&db, name)));
    }
    db.drop_db(name);
    let (_, strict) = &states[0];
    for (mode, st) in &states[1..] {
        for (what, want) in strict {
            assert_eq!(
                &st[what], want,
                "{what} differ when the server's mode is {mode}"
            );
        }
    }
}

/// A mysqldump rewritten as MySQL 8.0's mysqldump writes the same database:
/// `/*!50503 SET NAMES utf8mb4 */`, the binary log switched off around the
/// dump and a `GTID_PURGED` statement, integer types without display widths
/// (`int unsigned`, `tinyint(1)` kept), `utf8mb3` for `utf8`, and every
/// binary value a string after the `_binary` introducer (mysqldump does this
/// since 5.7.23 when `--hex-blob` is not given).
fn mysql8(path: &Path) -> Vec<u8> {
    let dump = Dump::open(path).expect("dump opens");
    let mut out = b"-- MySQL dump 10.13  Distrib 8.0.40, for Linux (x86_64)\n--\n-- Host: localhost    Database: magento\n-- ------------------------------------------------------\n-- Server version\t8.0.40\n\n".to_vec();
    let widths = regex::bytes::Regex::new(r"\b(tinyint|smallint|mediumint|int|bigint)\(\d+\)")
        .expect("regex");
    let utf8 = regex::bytes::Regex::new(r"\butf8\b").expect("regex");
    let utf8_ci = regex::bytes::Regex::new(r"\butf8_").expect("regex");
    let mut binary: BTreeMap<String, Vec<bool>> = BTreeMap::new();
    let mut delimiter = b";".to_vec();
    let mut log_bin_off = false;
    dump.for_each(
        1,
        |st| Ok(st.text.to_vec()),
        |st, text| {
            let c = st.classify();
            match c.kind {
                Kind::CreateTable => {
                    let t = parse_create_table(&text).expect("CREATE TABLE reads");
                    binary.insert(t.name, t.columns.iter().map(|c| c.is_binary()).collect());
                    let text = widths.replace_all(&text, |c: &regex::bytes::Captures| {
                        if &c[0] == b"tinyint(1)" {
                            c[0].to_vec()
                        } else {
                            c[1].to_vec()
                        }
                    });
                    let text = utf8.replace_all(&text, &b"utf8mb3"[..]);
                    let text = utf8_ci.replace_all(&text, &b"utf8mb3_"[..]);
                    out.extend_from_slice(&text);
                    out.extend_from_slice(b";\n");
                }
                k if k.is_insert() => {
                    let table = Insert::parse(&text).expect("INSERT reads").table;
                    let binary = &binary[&table];
                    out.extend(util::rewrite_rows(&text, |_, i, v, out| match v.bytes() {
                        Some(b) if binary[i] => {
                            let digits: String = b.iter().map(|x| format!("{x:02x}")).collect();
                            out.extend_from_slice(b"_binary ");
                            m1tom2::dump::Value::Hex {
                                digits: digits.as_bytes(),
                                charset: None,
                            }
                            .write_canonical(out);
                        }
                        _ => v.write_canonical(out),
                    }));
                    out.extend_from_slice(b";\n");
                }
                _ if st.delimiter_command => {
                    out.extend_from_slice(&text);
                    out.push(b'\n');
                    delimiter = text[9..].trim_ascii().to_vec();
                }
                _ => {
                    let s = String::from_utf8_lossy(&text)
                        .replace("/*!40101 SET NAMES utf8 */", "/*!50503 SET NAMES utf8mb4 */")
                        .replace(
                            "/*!40101 SET character_set_client = utf8 */",
                            "/*!50503 SET character_set_client = utf8mb4 */",
                        );
                    if s.starts_with("/*!40101 SET SQL_MODE=@OLD_SQL_MODE") {
                        out.extend_from_slice(
                            b"SET @@SESSION.SQL_LOG_BIN = @MYSQLDUMP_TEMP_LOG_BIN;\n",
                        );
                    }
                    out.extend_from_slice(s.as_bytes());
                    out.extend_from_slice(&delimiter);
                    out.push(b'\n');
                    if s.starts_with("/*!40111 SET @OLD_SQL_NOTES") && !log_bin_off {
                        log_bin_off = true;
                        out.extend_from_slice(b"SET @MYSQLDUMP_TEMP_LOG_BIN = @@SESSION.SQL_LOG_BIN;\nSET @@SESSION.SQL_LOG_BIN= 0;\n\n--\n-- GTID state at the beginning of the backup \n--\n\nSET @@GLOBAL.GTID_PURGED=/*!80000 '+'*/ '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5';\n");
                    }
                }
            }
            Ok(())
        },
    )
    .expect("dump reads");
    assert!(log_bin_off, "{} has mysqldump's header", path.display());
    out
}

/// A store dumped by MySQL 8.0's mysqldump (the generator's store, which has
/// binary columns with values in them, and the prefixed corpus store, whose
/// binary columns are in tables Magento 2 does not keep) converts to the
/// same import file and report as its mysqldump 5.7 form.
#[test]
fn mysql_8_dumps_convert_to_the_same_import_file() {
    let Some(shared) = util::shared() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let generated = tmp.path().join("gen.sql");
    util::generate(&generated, "42", ["200", "300", "150"], &[]);
    let m2 = baseline(&shared);
    for m1 in [
        generated,
        shared.join("corpus/dumps/m1-1.9.3-prefixed-mysql57.sql"),
    ] {
        let rewritten = mysql8(&m1);
        let text = String::from_utf8_lossy(&rewritten);
        assert!(
            text.contains("_binary '"),
            "{}: no binary value",
            m1.display()
        );
        assert!(text.contains(" int unsigned NOT NULL"));
        assert!(!text.contains("int(10)"));
        let m8 = util::write_file(tmp.path(), "m8.sql", &rewritten);
        let (want, _) = data(&m1, &m2, &tmp.path().join("want.sql"), &[]);
        let (got, _) = data(&m8, &m2, &tmp.path().join("got.sql"), &[]);
        for part in ["tables", "destinations", "warnings"] {
            assert_eq!(
                want[part],
                got[part],
                "{}: {part} of the report differ",
                m1.display()
            );
        }
        assert!(
            std::fs::read(tmp.path().join("want.sql")).expect("want")
                == std::fs::read(tmp.path().join("got.sql")).expect("got"),
            "{}: the import files differ",
            m1.display()
        );
    }
}

/// The warnings of a report that are about TIMESTAMP values' time zone.
fn zone_warnings(report: &serde_json::Value) -> Vec<String> {
    util::warnings(report)
        .into_iter()
        .filter(|w| w.starts_with("TIMESTAMP values of"))
        .map(str::to_string)
        .collect()
}

/// TIMESTAMP values are read in the zone the dump writes them in. A dump
/// that sets no zone (SQLyog) gets a warning, since the import file reads
/// them as UTC, unless `--source-time-zone` names the zone; a dump that sets
/// another zone than UTC, or the option, has them moved to UTC (the same
/// import file either way), and loaded they are the SQLyog dump's values
/// less Berlin's offset, summer and winter; a mysqldump (`TIME_ZONE='+00:00'`)
/// or phpMyAdmin's `SET time_zone = "+00:00"` leaves them as they are.
#[test]
fn timestamps_are_read_in_the_time_zone_of_the_dump() {
    let (Some(shared), Some(db)) = (util::shared(), Maria::get()) else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let m2 = baseline(&shared);
    let sqlyog = shared.join("corpus/dumps/m1-1.6.1-sampledata-sqlyog.sql");
    let text = std::fs::read(&sqlyog).expect("dump");
    let with_zone = |zone: &str| {
        let mut d = format!("SET time_zone = \"{zone}\";\n").into_bytes();
        d.extend_from_slice(&text);
        d
    };
    let utc = util::write_file(tmp.path(), "utc.sql", &with_zone("+00:00"));
    let berlin = util::write_file(tmp.path(), "berlin.sql", &with_zone("Europe/Berlin"));
    let system = util::write_file(tmp.path(), "system.sql", &with_zone("SYSTEM"));
    let mysqldump = shared.join("corpus/dumps/m1-1.9.3-prefixed-mysql57.sql");
    let run = |m1: &Path, out: &str, extra: &[&str]| {
        let out = tmp.path().join(out);
        let (report, _) = data(m1, &m2, &out, extra);
        (zone_warnings(&report), std::fs::read(&out).expect("out"))
    };

    let (none, plain) = run(&sqlyog, "plain.sql", &[]);
    assert_eq!(none.len(), 1, "{none:?}");
    assert!(none[0].contains("sets no time_zone"), "{none:?}");
    assert!(none[0].contains("--source-time-zone"), "{none:?}");
    let (stated, from_dump) = run(&berlin, "berlin.sql", &[]);
    assert_eq!(stated.len(), 1, "{stated:?}");
    assert!(
        stated[0].contains("written in UTC, from time zone Europe/Berlin (the dump sets)"),
        "{stated:?}"
    );
    let zone = ["--source-time-zone", "Europe/Berlin"];
    let (given, from_option) = run(&sqlyog, "given.sql", &zone);
    assert!(
        given[0].contains("from time zone Europe/Berlin (--source-time-zone gives)"),
        "{given:?}"
    );
    assert!(
        from_dump == from_option,
        "a stated zone and the option give other files"
    );
    let (_, from_system) = run(&system, "system.sql", &zone);
    assert!(
        from_system == from_option,
        "SYSTEM with the option gives another file"
    );
    for quiet in [&utc, &mysqldump] {
        let (w, _) = run(quiet, "quiet.sql", &zone);
        assert_eq!(w, Vec::<String>::new(), "{}", quiet.display());
    }
    // `check` says the same before anything is written.
    let check = |m1: &Path| util::check_json(m1, &m2)["time_zone"].clone();
    assert_eq!(check(&sqlyog), serde_json::json!(none[0]));
    assert_eq!(check(&mysqldump), serde_json::Value::Null);

    // Loaded, each value is the SQLyog dump's less Berlin's offset then.
    let stamps = |file: &[u8], name: &str| {
        let path = util::write_file(tmp.path(), &format!("{name}.sql"), file);
        db.fresh_db(name);
        db.load(name, &path, STRICT);
        db.query_after(
            "SET time_zone = '+00:00'",
            name,
            "SELECT page_id, UNIX_TIMESTAMP(creation_time), MONTH(creation_time) FROM cms_page ORDER BY page_id",
        )
    };
    let (before, after) = (
        stamps(&plain, "m1tom2_tz_a"),
        stamps(&from_option, "m1tom2_tz_b"),
    );
    db.drop_db("m1tom2_tz_a");
    db.drop_db("m1tom2_tz_b");
    assert!(!before.is_empty());
    let mut seasons = std::collections::BTreeSet::new();
    for (b, a) in before.iter().zip(&after) {
        let shift: i64 = b[1].parse::<i64>().expect("stamp") - a[1].parse::<i64>().expect("stamp");
        let month: u32 = b[2].parse().expect("month");
        // Summer time from the end of March to the end of October.
        let want: &[i64] = match month {
            4..=9 => &[7200],
            3 | 10 => &[3600, 7200],
            _ => &[3600],
        };
        assert!(want.contains(&shift), "page {}: {b:?} {a:?}", b[0]);
        seasons.insert(shift);
    }
    assert!(seasons.contains(&7200), "a summer time among the pages");
}
