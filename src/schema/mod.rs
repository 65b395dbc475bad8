//! Table models read from `CREATE TABLE` statements and the `ALTER TABLE`
//! statements that follow them.

pub mod ddl;

pub use ddl::{
    Alteration, Column, ColumnDefault, ForeignKey, Key, Table, parse_alter_table,
    parse_create_table,
};
