//! m1tom2: migrate a Magento 1 database to Magento 2, offline, from dump files.
//!
//! The data flows one way:
//!
//! - [`dump`] reads a dump exactly: [`dump::Source`] maps or streams the input,
//!   [`dump::split`] finds statements, [`dump::statement`] classifies them,
//!   [`dump::values`] tokenizes rows without copying, [`dump::literal`] is the
//!   one place escapes are read and written.
//! - [`schema`] turns `CREATE TABLE` into table models (sqlparser).
//! - [`inspect`] reports what a dump holds.
//!
//! Library errors are typed ([`Error`]) and carry the location in the dump.
#![deny(missing_docs)]

pub mod convert;
pub mod dump;
pub mod error;
pub mod inspect;
pub mod map;
pub mod report;
pub mod schema;
pub mod steps;
pub mod transform;
pub mod write;

pub use error::{Error, Location, Result};

/// A fixed xorshift sequence for the randomized unit tests (no `rand`: the
/// same inputs on every run).
#[cfg(test)]
pub(crate) fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}

/// A temporary directory beside the test binary: on the build's disk file
/// system (a tmpfs `/tmp` may refuse `O_DIRECT`, and takes no spool).
#[cfg(test)]
pub(crate) fn disk_tempdir() -> tempfile::TempDir {
    let exe = std::env::current_exe().expect("the test binary's path");
    let dir = exe.parent().expect("the test binary's directory");
    tempfile::tempdir_in(dir).expect("a temporary directory beside the test binary")
}
