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
