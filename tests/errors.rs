//! Bad input: one clear message with file, offset, line, table and what was
//! expected, and exit code 3.

use crate::util;

fn stderr_of(args: &[&str]) -> (i32, String) {
    let out = util::run(args);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const GOOD: &str = "-- MySQL dump 10.13\n\
CREATE TABLE `core_store` (`store_id` int NOT NULL, `code` varchar(32), PRIMARY KEY (`store_id`));\n\
INSERT INTO `core_store` VALUES (0,'admin'),(1,'default');\n\
CREATE TABLE `cms_page` (`page_id` int NOT NULL, `content` text);\n\
INSERT INTO `cms_page` VALUES (1,'first'),(2,'it\\'s cut here";

#[test]
fn truncated_inside_a_string() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let p = util::write_file(tmp.path(), "cut.sql", GOOD.as_bytes());
    let (code, err) = stderr_of(&["inspect", p.to_str().expect("path")]);
    assert_eq!(code, 3, "{err}");
    let quote = GOOD.rfind("'it").expect("the cut string");
    assert!(
        err.contains(&format!(
            "cut.sql: byte offset {quote}, line 5, table `cms_page`"
        )),
        "{err}"
    );
    assert!(err.contains("unterminated string literal"), "{err}");
}

#[test]
fn truncated_gzip_inside_a_string_counts_decompressed_offsets() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let p = util::write_file(tmp.path(), "cut.sql", GOOD.as_bytes());
    let gz = tmp.path().join("cut.sql.gz");
    util::gzip_file(&p, &gz);
    let (code, err) = stderr_of(&["inspect", gz.to_str().expect("path")]);
    assert_eq!(code, 3, "{err}");
    let quote = GOOD.rfind("'it").expect("the cut string");
    assert!(
        err.contains(&format!(
            "byte offset {quote} (decompressed), line 5, table `cms_page`"
        )),
        "{err}"
    );
}

#[test]
fn truncated_between_values() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let text = "CREATE TABLE `t` (a int, b int);\nINSERT INTO `t` VALUES (1,2),(3";
    let p = util::write_file(tmp.path(), "cut2.sql", text.as_bytes());
    let (code, err) = stderr_of(&["inspect", p.to_str().expect("path")]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains(&format!("byte offset {}, line 2, table `t`", text.len())),
        "{err}"
    );
    assert!(
        err.contains("row 2: expected ',' or ')' after value 1, found end of statement"),
        "{err}"
    );
}

#[test]
fn garbage_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // Deterministic noise that starts like no SQL statement.
    let mut x: u32 = 0x9e37_79b9;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x % 200) as u8 + 1
        })
        .map(|b| {
            if b == b'\''
                || b == b'"'
                || b == b'`'
                || b == b';'
                || b == b'-'
                || b == b'/'
                || b == b'#'
            {
                b'.'
            } else {
                b
            }
        })
        .collect();
    let mut data = b"\x01\x02\x03 ".to_vec();
    data.extend(bytes);
    let p = util::write_file(tmp.path(), "noise.bin", &data);
    let (code, err) = stderr_of(&["inspect", p.to_str().expect("path")]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("noise.bin: byte offset 0, line 1"), "{err}");
    assert!(err.contains("expected an SQL statement"), "{err}");
}

#[test]
fn broken_gzip_is_an_io_error_naming_the_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let p = util::write_file(tmp.path(), "plain.sql", GOOD.as_bytes());
    let gz = tmp.path().join("broken.sql.gz");
    util::gzip_file(&p, &gz);
    let mut bytes = std::fs::read(&gz).expect("read");
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&gz, &bytes).expect("write");
    let (code, err) = stderr_of(&["inspect", gz.to_str().expect("path")]);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("broken.sql.gz"), "{err}");
}

#[test]
fn missing_file() {
    let (code, err) = stderr_of(&["inspect", "/nonexistent/dump.sql"]);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("/nonexistent/dump.sql"), "{err}");
}

/// `data` reads one-row INSERTs in runs; a bad row names its own statement
/// (offset and line), not the run's first, and no output file is left.
#[test]
fn a_bad_row_among_one_row_inserts_names_its_own_statement() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut text = std::fs::read_to_string("samples/m1-mini.sql").expect("sample");
    let row = |id: u32, rest: &str| {
        format!("INSERT INTO `cms_page` VALUES ({id},'p{id}','one_column'{rest});\n")
    };
    let full = ",'','','p',NULL,'x','2013-01-01 10:00:00','2013-01-01 10:00:00',1,0,NULL,NULL,NULL,NULL,NULL,NULL";
    text.push_str(&row(3, full));
    text.push_str(&row(4, full));
    let bad_at = text.len();
    text.push_str(&row(5, ""));
    text.push_str(&row(6, full));
    let line = text[..bad_at].matches('\n').count() + 1;
    let p = util::write_file(tmp.path(), "runs.sql", text.as_bytes());
    let out = tmp.path().join("out.sql");
    let (code, err) = stderr_of(&[
        "data",
        "--source",
        p.to_str().expect("path"),
        "--target",
        "samples/m2-baseline-mini.sql",
        "--out",
        out.to_str().expect("path"),
    ]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains(&format!(
            "runs.sql: byte offset {bad_at}, line {line}, table `cms_page`"
        )),
        "{err}"
    );
    assert!(
        err.contains("row 1 has 3 values, but `cms_page` has 18 columns"),
        "{err}"
    );
    assert!(!out.exists(), "no partial output");
}
