//! Writing SQL: the one place where values are rendered.

pub(crate) mod blocks;
pub mod output;
pub mod sql;
