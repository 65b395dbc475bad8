//! The command line itself.

use crate::util;

#[test]
fn help_lists_commands() {
    let out = util::run(&["--help"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("inspect"), "{text}");
}

#[test]
fn zero_threads_is_a_usage_error() {
    let out = util::run(&["--threads", "0", "inspect", "x.sql"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A `--spool-dir` that is not a directory is refused before anything is
/// read or written.
#[test]
fn a_spool_dir_that_is_no_directory_is_a_usage_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out.sql");
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
    let r = util::run(&[
        "data",
        "--source",
        &format!("{samples}/m1-mini.sql.gz"),
        "--target",
        &format!("{samples}/m2-baseline-mini.sql"),
        "--out",
        out.to_str().expect("path"),
        "--spool-dir",
        tmp.path().join("missing").to_str().expect("path"),
    ]);
    assert_eq!(r.status.code(), Some(2));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(
        err.contains("--spool-dir") && err.contains("not a directory"),
        "{err}"
    );
    assert!(!out.exists(), "an output was written");
}

/// `data --source -` through a pipe, plain and gzip: standard input is kept
/// in a temporary file by the first read for the two later ones, and the
/// result is the file's. Without a place for that copy it is refused, and
/// nothing is written.
#[test]
fn data_reads_standard_input_through_a_pipe() {
    use std::io::Write;
    use std::process::Stdio;
    let tmp = tempfile::tempdir().expect("tempdir");
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
    let spool = env!("CARGO_TARGET_TMPDIR");
    let data = |input: &str, out: &std::path::Path, extra: &[&str]| {
        let bytes = std::fs::read(format!("{samples}/{input}")).expect("sample");
        let mut child = util::bin()
            .args(["data", "--source", "-", "--target"])
            .arg(format!("{samples}/m2-baseline-mini.sql"))
            .arg("--out")
            .arg(out)
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("m1tom2 runs");
        let mut stdin = child.stdin.take().expect("stdin");
        // Written from a thread: the pipe holds less than the sample.
        let writer = std::thread::spawn(move || {
            // The refused runs stop reading early.
            let _ = stdin.write_all(&bytes);
        });
        let r = child.wait_with_output().expect("m1tom2 ends");
        writer.join().expect("writer");
        r
    };
    let from_file = tmp.path().join("file.sql");
    let r = util::run(&[
        "data",
        "--source",
        &format!("{samples}/m1-mini.sql"),
        "--target",
        &format!("{samples}/m2-baseline-mini.sql"),
        "--out",
        from_file.to_str().expect("path"),
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let expected = std::fs::read(&from_file).expect("output");
    for input in ["m1-mini.sql", "m1-mini.sql.gz"] {
        let out = tmp.path().join(format!("{input}.out.sql"));
        let r = data(input, &out, &["--spool-dir", spool]);
        assert!(
            r.status.success(),
            "{input}: {}",
            String::from_utf8_lossy(&r.stderr)
        );
        assert!(
            std::fs::read(&out).expect("output") == expected,
            "{input} on standard input converts as the file does"
        );
    }
    let out = tmp.path().join("refused.sql");
    let r = data("m1-mini.sql", &out, &["--no-spool"]);
    assert_eq!(r.status.code(), Some(2));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("--no-spool"), "{err}");
    // A file system in memory does not take the copy.
    if std::path::Path::new("/dev/shm").is_dir() {
        let r = data("m1-mini.sql", &out, &["--spool-dir", "/dev/shm"]);
        assert_eq!(r.status.code(), Some(2));
        let err = String::from_utf8_lossy(&r.stderr);
        assert!(
            err.contains("standard input could not be kept") && err.contains("/dev/shm"),
            "{err}"
        );
    }
    // A bad row in a gzip dump on standard input: the offset counts
    // decompressed bytes, and says so (the error comes from a later read,
    // of the kept copy).
    let mut bad = std::fs::read(format!("{samples}/m1-mini.sql")).expect("sample");
    let at = bad.len();
    bad.extend_from_slice(b"INSERT INTO `cms_page` VALUES (5,'c','one_column');\n");
    let plain = util::write_file(tmp.path(), "bad.sql", &bad);
    let gz = tmp.path().join("bad.sql.gz");
    util::gzip_file(&plain, &gz);
    let r = util::run_stdin(
        &[
            "data",
            "--source",
            "-",
            "--target",
            &format!("{samples}/m2-baseline-mini.sql"),
            "--out",
            out.to_str().expect("path"),
            "--spool-dir",
            spool,
        ],
        &gz,
    );
    assert_eq!(r.status.code(), Some(3));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(
        err.contains(&format!("-: byte offset {at} (decompressed)")),
        "{err}"
    );
    let r = util::run(&[
        "data",
        "--source",
        "-",
        "--target",
        "-",
        "--out",
        out.to_str().expect("path"),
    ]);
    assert_eq!(r.status.code(), Some(2));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("cannot both be standard input"), "{err}");
    assert!(!out.exists(), "a refused run wrote an output");
}

#[test]
fn inspect_sample_table_output() {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/m1-mini.sql");
    let out = util::run(&["inspect", sample]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("core_store"), "{text}");
    let json = util::inspect_json(&[sample]);
    assert_eq!(json["magento"]["major"], 1);
    let gz = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/m1-mini.sql.gz");
    assert_eq!(util::inspect_json(&[gz]), json);
}

/// The README's quick start: `data` on the bundled samples prints what the
/// README shows, and the result loads.
#[test]
fn readme_quick_start_on_samples() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out.sql");
    let report = tmp.path().join("report.json");
    let res = util::run(&[
        "data",
        "--source",
        &format!("{dir}/samples/m1-mini.sql"),
        "--target",
        &format!("{dir}/samples/m2-baseline-mini.sql"),
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
    // It prints what the README shows after the command.
    let readme = std::fs::read_to_string(format!("{dir}/README.md")).expect("README");
    let shown = readme
        .split("## Quick start")
        .nth(1)
        .and_then(|q| q.split("```\n").nth(2))
        .expect("the quick start's printed summary");
    assert_eq!(
        String::from_utf8_lossy(&res.stderr).trim_end(),
        shown.trim_end()
    );
    let r: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).expect("report")).expect("json");
    let cms = r["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .find(|t| t["source"] == "cms_page")
        .expect("cms_page");
    assert_eq!(
        (cms["written_rows"].as_u64(), cms["destination"].as_str()),
        (Some(2), Some("cms_page"))
    );
    let Some(db) = util::Maria::get() else { return };
    db.fresh_db("m1tom2_quick_start");
    db.load("m1tom2_quick_start", &out, util::STRICT);
    let rows = db.query(
        "m1tom2_quick_start",
        "SELECT identifier, page_layout, HEX(content) FROM cms_page ORDER BY page_id",
    );
    db.drop_db("m1tom2_quick_start");
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[0][0].as_str(), rows[0][1].as_str()),
        ("no-route", "2columns-right")
    );
    // The NUL, CRLF and backslash of the sample page arrive byte for byte.
    let content = String::from_utf8_lossy(&hex_decode(&rows[0][2])).into_owned();
    assert!(
        content.contains("a NUL \0 byte")
            && content.contains("\r\n")
            && content.contains("backslash \\\\ and"),
        "{content:?}"
    );
}

fn hex_decode(h: &str) -> Vec<u8> {
    (0..h.len() / 2)
        .map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).expect("hex"))
        .collect()
}

/// The README's `cargo run -- …` commands reach the m1tom2 binary: with a
/// second binary in the package, that takes the manifest's `default-run`.
#[test]
fn readme_cargo_run_reaches_m1tom2() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{dir}/README.md")).expect("README");
    let bare: Vec<&str> = readme
        .lines()
        .filter(|l| l.trim_start().starts_with("cargo run") && !l.contains("--bin"))
        .collect();
    assert!(!bare.is_empty(), "the README runs m1tom2 with cargo run");
    let meta = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .current_dir(dir)
        .output()
        .expect("cargo metadata runs");
    assert!(
        meta.status.success(),
        "{}",
        String::from_utf8_lossy(&meta.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&meta.stdout).expect("metadata JSON");
    let pkg = &v["packages"][0];
    let bins = pkg["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .filter(|t| {
            t["kind"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k == "bin"))
        })
        .count();
    if bins > 1 {
        assert_eq!(pkg["default_run"], "m1tom2", "{bare:?} need default-run");
    }
}
