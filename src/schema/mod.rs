//! Table models read from `CREATE TABLE` statements.

pub mod ddl;

pub use ddl::{Column, ColumnDefault, ForeignKey, Key, Table, parse_create_table};
