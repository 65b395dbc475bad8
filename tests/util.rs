//! Test harness: the corpus in ../shared, a real MariaDB, and the binary.
//!
//! Tests that need ../shared or MariaDB say so and skip when either is
//! missing, so `cargo test` passes on a fresh machine; under `CI=true` a
//! missing piece is a failure instead.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use m1tom2::dump::{Dump, Insert, Kind};
use m1tom2::write::sql;

/// Session settings for loading output: strict mode, and id 0 rows kept.
pub const STRICT: &str = "SET SESSION sql_mode='STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO'";

/// True when running under CI, where nothing may be skipped.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Reports a missing prerequisite: a skip normally, a failure under CI.
pub fn missing(what: &str) {
    if in_ci() {
        panic!("CI=true but {what}; this test must not skip under CI");
    }
    eprintln!("SKIPPED: {what}");
}

/// The shared folder beside the project, if present.
pub fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if p.join("corpus/dumps").is_dir() {
        Some(p)
    } else {
        missing("../shared/corpus is not present");
        None
    }
}

/// Every dump of the corpus: the three real dumps and every DMT fixture file.
pub fn corpus_files(shared: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(shared.join("corpus/dumps"))
        .expect("corpus/dumps is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    let fixtures = shared.join("corpus/dmt-fixtures");
    let mut steps: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .expect("dmt-fixtures is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    steps.sort();
    files.sort();
    for s in steps {
        for f in ["source.sql", "dest.sql"] {
            files.push(s.join(f));
        }
    }
    files
}

/// A short, database-safe name for a corpus file.
pub fn slug(path: &Path) -> String {
    let parent = path
        .parent()
        .and_then(|p| p.file_name())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{parent}_{stem}")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// The m1tom2 binary.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_m1tom2"))
}

/// Runs `m1tom2-gen` for a store of `[products, orders, customers]` into `out`.
pub fn generate(out: &Path, seed: &str, scale: [&str; 3], extra: &[&str]) {
    let [products, orders, customers] = scale;
    let res = Command::new(env!("CARGO_BIN_EXE_m1tom2-gen"))
        .args([
            "--products",
            products,
            "--orders",
            orders,
            "--customers",
            customers,
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

/// An INSERT statement (`text`, without its `;`) with every row written
/// again as `(a,b,…)` after the statement's own head: `value(row, column,
/// value, out)` writes each value.
pub fn rewrite_rows(
    text: &[u8],
    mut value: impl FnMut(usize, usize, &m1tom2::dump::Value<'_>, &mut Vec<u8>),
) -> Vec<u8> {
    let ins = Insert::parse(text).expect("INSERT reads");
    let mut out = text[..ins.rows_offset()].to_vec();
    let mut rows = ins.rows();
    let mut buf = Vec::new();
    let mut row = 0;
    while rows.next_into(&mut buf).expect("row reads") {
        out.extend_from_slice(if row == 0 { b"(" } else { b",(" });
        for (i, v) in buf.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            value(row, i, v, &mut out);
        }
        out.push(b')');
        row += 1;
    }
    out
}

/// The warnings of a report, a line each.
pub fn warnings(report: &serde_json::Value) -> Vec<&str> {
    report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(|w| w.as_str())
        .collect()
}

/// `check --json` of `source` against `target`, parsed; panics with stderr
/// when it fails.
pub fn check_json(source: &Path, target: &Path) -> serde_json::Value {
    let out = run(&[
        "check",
        "--json",
        "--source",
        source.to_str().expect("path"),
        "--target",
        target.to_str().expect("path"),
    ]);
    assert!(
        out.status.success(),
        "check {}: {}",
        source.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("check prints JSON")
}

/// Runs the binary once and returns everything it produced.
pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("m1tom2 runs")
}

/// Runs the binary with `stdin` fed from a file.
pub fn run_stdin(args: &[&str], input: &Path) -> Output {
    let f = std::fs::File::open(input).expect("input opens");
    bin()
        .args(args)
        .stdin(Stdio::from(f))
        .output()
        .expect("m1tom2 runs")
}

/// `inspect --json` as parsed JSON; panics with stderr when it fails.
pub fn inspect_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["inspect", "--json"];
    all.extend_from_slice(args);
    let out = run(&all);
    assert!(
        out.status.success(),
        "inspect {:?} failed: {}",
        args,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("inspect prints JSON")
}

/// Table name → rows from an inspect JSON.
pub fn json_counts(v: &serde_json::Value) -> BTreeMap<String, u64> {
    v["tables"]
        .as_array()
        .expect("tables is an array")
        .iter()
        .map(|t| {
            (
                t["name"].as_str().expect("name").to_string(),
                t["rows"].as_u64().expect("rows"),
            )
        })
        .collect()
}

/// A connection to the local MariaDB through the real `mariadb` client.
#[derive(Clone)]
pub struct Maria;

impl Maria {
    /// Connects, starting nothing; `None` (or a CI failure) when it is not reachable.
    pub fn get() -> Option<Maria> {
        let ok = Command::new("mariadb")
            .args(["-h127.0.0.1", "-uroot", "-e", "SELECT 1"])
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            Some(Maria)
        } else {
            missing("MariaDB is not reachable on 127.0.0.1:3306 as root (run .ci/run to start it)");
            None
        }
    }

    fn client(&self) -> Command {
        let mut c = Command::new("mariadb");
        c.args([
            "-h127.0.0.1",
            "-uroot",
            "--default-character-set=utf8mb4",
            "--max-allowed-packet=1G",
        ]);
        c
    }

    /// Creates (or re-creates) an empty database.
    pub fn fresh_db(&self, db: &str) {
        self.exec(
            None,
            &format!(
                "DROP DATABASE IF EXISTS `{db}`; CREATE DATABASE `{db}` CHARACTER SET utf8mb4"
            ),
        );
    }

    /// Drops a database.
    pub fn drop_db(&self, db: &str) {
        self.exec(None, &format!("DROP DATABASE IF EXISTS `{db}`"));
    }

    /// Runs SQL, panicking with the client's message on failure.
    pub fn exec(&self, db: Option<&str>, sql: &str) {
        let mut c = self.client();
        if let Some(db) = db {
            c.arg(db);
        }
        let out = c.args(["-e", sql]).output().expect("mariadb runs");
        assert!(
            out.status.success(),
            "mariadb -e {sql:.200}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Loads a SQL file into `db`, after `init` SQL in the same session.
    pub fn load(&self, db: &str, file: &Path, init: &str) {
        let mut c = self.client();
        if !init.is_empty() {
            c.arg(format!("--init-command={init}"));
        }
        let f = std::fs::File::open(file).expect("file opens");
        let out = c
            .arg(db)
            .stdin(Stdio::from(f))
            .output()
            .expect("mariadb runs");
        assert!(
            out.status.success(),
            "loading {} into {db}: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Runs a query and returns its rows, tab-separated, without headers.
    pub fn query(&self, db: &str, sql: &str) -> Vec<Vec<String>> {
        self.query_after("", db, sql)
    }

    /// [`Maria::query`] in a session that runs `init` first (nothing when empty).
    pub fn query_after(&self, init: &str, db: &str, sql: &str) -> Vec<Vec<String>> {
        let mut c = self.client();
        if !init.is_empty() {
            c.arg(format!("--init-command={init}"));
        }
        let out = c
            .args(["-N", "-B", "-r", db, "-e", sql])
            .output()
            .expect("mariadb runs");
        assert!(
            out.status.success(),
            "query {sql:.200}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.split('\t').map(str::to_string).collect())
            .collect()
    }

    /// The base tables of a database.
    pub fn tables(&self, db: &str) -> Vec<String> {
        self.query(
            db,
            &format!(
                "SELECT table_name FROM information_schema.tables WHERE table_schema='{db}' AND table_type='BASE TABLE' ORDER BY table_name"
            ),
        )
        .into_iter()
        .map(|r| r[0].clone())
        .collect()
    }

    /// Exact row counts of every table.
    pub fn counts(&self, db: &str) -> BTreeMap<String, u64> {
        let tables = self.tables(db);
        let mut out = BTreeMap::new();
        for chunk in tables.chunks(200) {
            let sql = chunk
                .iter()
                .map(|t| format!("SELECT '{t}', COUNT(*) FROM `{t}`"))
                .collect::<Vec<_>>()
                .join(" UNION ALL ");
            for r in self.query(db, &sql) {
                out.insert(r[0].clone(), r[1].parse().expect("a count"));
            }
        }
        out
    }

    /// Every foreign key declared in `db` with the number of rows breaking it
    /// (only keys with at least one), as `constraint (child.col → parent.col)`.
    pub fn fk_violations(&self, db: &str) -> BTreeMap<String, u64> {
        let keys = self.query(
            db,
            &format!(
                "SELECT constraint_name, table_name, column_name, referenced_table_name, referenced_column_name \
                 FROM information_schema.key_column_usage \
                 WHERE table_schema='{db}' AND referenced_table_name IN \
                 (SELECT table_name FROM information_schema.tables WHERE table_schema='{db}') \
                 ORDER BY table_name, constraint_name, ordinal_position"
            ),
        );
        let mut out = BTreeMap::new();
        for chunk in keys.chunks(100) {
            let sql = chunk
                .iter()
                .map(|k| {
                    format!(
                        "SELECT '{n} ({c}.{cc} → {p}.{pc})', COUNT(*) FROM `{c}` x \
                         WHERE x.`{cc}` IS NOT NULL AND NOT EXISTS \
                         (SELECT 1 FROM `{p}` y WHERE y.`{pc}` = x.`{cc}`)",
                        n = k[0],
                        c = k[1],
                        cc = k[2],
                        p = k[3],
                        pc = k[4]
                    )
                })
                .collect::<Vec<_>>()
                .join(" UNION ALL ");
            for r in self.query(db, &sql) {
                let n: u64 = r[1].parse().expect("a count");
                if n > 0 {
                    out.insert(r[0].clone(), n);
                }
            }
        }
        out
    }

    /// `CHECKSUM TABLE` of every table.
    pub fn checksums(&self, db: &str) -> BTreeMap<String, String> {
        let tables = self.tables(db);
        let mut out = BTreeMap::new();
        for chunk in tables.chunks(100) {
            let list = chunk
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(",");
            for r in self.query(db, &format!("CHECKSUM TABLE {list}")) {
                let name = r[0].rsplit('.').next().unwrap_or("").to_string();
                out.insert(name, r[1].clone());
            }
        }
        out
    }
}

/// The session settings a corpus file needs before it loads.
pub fn load_init(file: &Path) -> &'static str {
    // The SQLyog 1.6 dump uses ROW_FORMAT=FIXED, which strict InnoDB refuses.
    if file.to_string_lossy().contains("sqlyog") {
        "SET SESSION innodb_strict_mode=0"
    } else {
        ""
    }
}

/// Re-emits a dump: every statement as it was, except that every INSERT is
/// rewritten from the tokenizer's values as canonical multi-row INSERTs.
/// Returns the SQL and, per table, the canonical rows in order.
pub fn reemit(path: &Path, threads: usize) -> (Vec<u8>, BTreeMap<String, Vec<Vec<u8>>>) {
    reemit_split(path, threads, usize::MAX)
}

/// [`reemit`] with at most `rows_per_insert` rows per INSERT (1: one
/// statement per row, as `mysqldump --skip-extended-insert` writes).
pub fn reemit_split(
    path: &Path,
    threads: usize,
    rows_per_insert: usize,
) -> (Vec<u8>, BTreeMap<String, Vec<Vec<u8>>>) {
    let dump = Dump::open(path).expect("dump opens");
    let mut out = Vec::new();
    let mut rows: BTreeMap<String, Vec<Vec<u8>>> = BTreeMap::new();
    let mut delimiter = b";".to_vec();
    dump.for_each(
        threads,
        |st| {
            let kind = st.classify().kind;
            if !kind.is_insert() {
                return Ok(None);
            }
            let ins = Insert::parse(st.text)?;
            let mut it = ins.rows();
            let mut buf = Vec::new();
            let mut rendered = Vec::new();
            while it.next_into(&mut buf)? {
                let mut r = Vec::new();
                sql::push_row(&mut r, &buf);
                rendered.push(r);
            }
            Ok(Some((
                ins.table.clone(),
                ins.columns.clone(),
                kind,
                rendered,
            )))
        },
        |st, parsed| {
            match parsed {
                None => {
                    out.extend_from_slice(st.text);
                    if st.delimiter_command {
                        let arg = st.text[9..].trim_ascii();
                        delimiter = arg.to_vec();
                        out.push(b'\n');
                    } else {
                        out.extend_from_slice(&delimiter);
                        out.push(b'\n');
                    }
                }
                Some((table, columns, kind, rendered)) => {
                    if !rendered.is_empty() {
                        let mut head = Vec::new();
                        sql::push_insert_head(&mut head, &table, columns.as_deref());
                        if kind == Kind::InsertIgnore {
                            head.splice(0..6, b"INSERT IGNORE".iter().copied());
                        } else if kind == Kind::Replace {
                            head.splice(0..11, b"REPLACE INTO".iter().copied());
                        }
                        for chunk in rendered.chunks(rows_per_insert) {
                            out.extend_from_slice(&head);
                            for (i, r) in chunk.iter().enumerate() {
                                if i > 0 {
                                    out.push(b',');
                                }
                                out.extend_from_slice(r);
                            }
                            out.extend_from_slice(&delimiter);
                            out.push(b'\n');
                        }
                    }
                    rows.entry(table).or_default().extend(rendered);
                }
            }
            Ok(())
        },
    )
    .expect("dump reads");
    (out, rows)
}

/// Writes bytes to a new file in `dir`.
pub fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("temp file written");
    p
}

/// Gzips a file (one member) into `dest`.
pub fn gzip_file(src: &Path, dest: &Path) {
    let data = std::fs::read(src).expect("source readable");
    let f = std::fs::File::create(dest).expect("gz created");
    let mut enc = flate2::write::GzEncoder::new(f, flate2::Compression::fast());
    enc.write_all(&data).expect("gz written");
    enc.finish().expect("gz finished");
}
