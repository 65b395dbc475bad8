//! Writing SQL: the one place where values are rendered.

pub mod output;
pub mod sql;
