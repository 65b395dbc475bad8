//! Writing SQL: the one place where values are rendered.

mod blocks;
pub mod output;
pub mod sql;
