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
