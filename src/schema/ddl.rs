//! `CREATE TABLE` → [`Table`], with sqlparser's MySQL dialect.
//!
//! sqlparser reads text, so the statement is decoded as UTF-8 (lossily: a
//! stray latin1 byte in a comment only changes that comment). Only DDL goes
//! through here; rows never do.

use serde::Serialize;
use sqlparser::ast::{
    ColumnOption, CreateTable, DataType, Expr, ObjectName, ObjectNamePart, Statement,
    TableConstraint, Value as SqlValue, ValueWithSpan,
};
use sqlparser::dialect::MySqlDialect;
use sqlparser::parser::Parser;

use crate::error::StatementError;

/// A column's default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum ColumnDefault {
    /// `DEFAULT NULL`.
    Null,
    /// A literal: the value as text (strings unquoted).
    Literal(String),
    /// An expression such as `CURRENT_TIMESTAMP`.
    Expr(String),
}

/// A column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    /// Name.
    pub name: String,
    /// The type as written by sqlparser, e.g. `INT(10) UNSIGNED`, `VARCHAR(255)`.
    pub data_type: String,
    /// The base type in lower case: `int`, `varchar`, `blob`, `decimal`…
    pub base_type: String,
    /// `UNSIGNED`.
    pub unsigned: bool,
    /// Whether NULL is allowed.
    pub nullable: bool,
    /// The default, if declared.
    pub default: Option<ColumnDefault>,
    /// `AUTO_INCREMENT`.
    pub auto_increment: bool,
    /// The column comment.
    pub comment: Option<String>,
}

impl Column {
    /// True for the integer types.
    pub fn is_integer(&self) -> bool {
        matches!(
            self.base_type.as_str(),
            "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint"
        )
    }

    /// True for types whose values are bytes, not characters.
    pub fn is_binary(&self) -> bool {
        matches!(
            self.base_type.as_str(),
            "blob" | "tinyblob" | "mediumblob" | "longblob" | "binary" | "varbinary" | "bit"
        )
    }
}

/// A unique key (or the primary key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Key {
    /// Index name, when given.
    pub name: Option<String>,
    /// Columns in order.
    pub columns: Vec<String>,
}

/// A foreign key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForeignKey {
    /// Constraint name, when given.
    pub name: Option<String>,
    /// Referencing columns.
    pub columns: Vec<String>,
    /// Referenced table.
    pub ref_table: String,
    /// Referenced columns.
    pub ref_columns: Vec<String>,
    /// `ON DELETE` action, as written.
    pub on_delete: Option<String>,
    /// `ON UPDATE` action, as written.
    pub on_update: Option<String>,
}

/// A table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Table {
    /// Name as written (prefix included).
    pub name: String,
    /// Columns in order.
    pub columns: Vec<Column>,
    /// Primary key columns (empty when none).
    pub primary_key: Vec<String>,
    /// Unique keys other than the primary key.
    pub unique_keys: Vec<Key>,
    /// Foreign keys.
    pub foreign_keys: Vec<ForeignKey>,
}

impl Table {
    /// The index of a column by name (case-insensitive, as MySQL).
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(name))
    }
}

fn last_part(name: &ObjectName) -> String {
    match name.0.last() {
        Some(ObjectNamePart::Identifier(id)) => id.value.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

fn index_columns(cols: &[sqlparser::ast::IndexColumn]) -> Vec<String> {
    cols.iter()
        .map(|c| match &c.column.expr {
            Expr::Identifier(id) => id.value.clone(),
            // A prefix index such as `name`(10) parses as a function call.
            Expr::Function(f) => last_part(&f.name),
            other => other.to_string(),
        })
        .collect()
}

fn default_of(e: &Expr) -> ColumnDefault {
    match e {
        Expr::Value(ValueWithSpan { value, .. }) => match value {
            SqlValue::Null => ColumnDefault::Null,
            SqlValue::SingleQuotedString(s) | SqlValue::DoubleQuotedString(s) => {
                ColumnDefault::Literal(s.clone())
            }
            SqlValue::Number(n, _) => ColumnDefault::Literal(n.to_string()),
            other => ColumnDefault::Literal(other.to_string()),
        },
        Expr::UnaryOp { op, expr } => match default_of(expr) {
            ColumnDefault::Literal(s) => ColumnDefault::Literal(format!("{op}{s}")),
            other => other,
        },
        other => ColumnDefault::Expr(other.to_string()),
    }
}

fn base_type(t: &DataType) -> String {
    let s = t.to_string().to_ascii_lowercase();
    let end = s.find(['(', ' ']).unwrap_or(s.len());
    s[..end].to_string()
}

/// Rewrites old MySQL forms that sqlparser does not read into their modern
/// equivalents: `KEY name USING BTREE (cols)` (MySQL 5.0) drops the `USING`,
/// which changes nothing about the columns.
fn modernise(sql: &str) -> Option<String> {
    let upper = sql.to_ascii_uppercase();
    let mut out = String::with_capacity(sql.len());
    let mut last = 0;
    let mut changed = false;
    for kw in [" USING BTREE", " USING HASH"] {
        let mut from = 0;
        while let Some(at) = upper[from..].find(kw).map(|a| a + from) {
            let after = upper[at + kw.len()..].trim_start();
            if after.starts_with('(') && at >= last {
                out.push_str(&sql[last..at]);
                last = at + kw.len();
                changed = true;
            }
            from = at + kw.len();
        }
    }
    out.push_str(&sql[last..]);
    changed.then_some(out)
}

/// Parses one `CREATE TABLE` statement.
pub fn parse_create_table(text: &[u8]) -> Result<Table, StatementError> {
    let sql = String::from_utf8_lossy(text);
    let parsed = Parser::parse_sql(&MySqlDialect {}, &sql).or_else(|first| match modernise(&sql) {
        Some(m) => Parser::parse_sql(&MySqlDialect {}, &m).map_err(|_| first),
        None => Err(first),
    });
    let stmts = parsed.map_err(|e| {
        StatementError::new(
            0,
            format!("expected a CREATE TABLE that sqlparser reads: {e}"),
        )
    })?;
    let Some(Statement::CreateTable(ct)) = stmts.into_iter().next() else {
        return Err(StatementError::new(0, "expected a CREATE TABLE statement"));
    };
    Ok(model(&ct))
}

fn model(ct: &CreateTable) -> Table {
    let mut t = Table {
        name: last_part(&ct.name),
        columns: Vec::with_capacity(ct.columns.len()),
        primary_key: Vec::new(),
        unique_keys: Vec::new(),
        foreign_keys: Vec::new(),
    };
    for c in &ct.columns {
        let data_type = c.data_type.to_string();
        let mut col = Column {
            name: c.name.value.clone(),
            unsigned: data_type.to_ascii_uppercase().contains("UNSIGNED"),
            base_type: base_type(&c.data_type),
            data_type,
            nullable: true,
            default: None,
            auto_increment: false,
            comment: None,
        };
        for o in &c.options {
            match &o.option {
                ColumnOption::NotNull => col.nullable = false,
                ColumnOption::Null => col.nullable = true,
                ColumnOption::Default(e) => col.default = Some(default_of(e)),
                ColumnOption::Comment(s) => col.comment = Some(s.clone()),
                ColumnOption::PrimaryKey(_) => {
                    col.nullable = false;
                    t.primary_key = vec![col.name.clone()];
                }
                ColumnOption::Unique(_) => t.unique_keys.push(Key {
                    name: None,
                    columns: vec![col.name.clone()],
                }),
                ColumnOption::DialectSpecific(toks) => {
                    if toks
                        .iter()
                        .any(|tk| tk.to_string().eq_ignore_ascii_case("AUTO_INCREMENT"))
                    {
                        col.auto_increment = true;
                    }
                }
                other => {
                    if other.to_string().eq_ignore_ascii_case("AUTO_INCREMENT") {
                        col.auto_increment = true;
                    }
                }
            }
        }
        t.columns.push(col);
    }
    for k in &ct.constraints {
        match k {
            TableConstraint::PrimaryKey(pk) => {
                t.primary_key = index_columns(&pk.columns);
            }
            TableConstraint::Unique(u) => t.unique_keys.push(Key {
                name: u
                    .index_name
                    .as_ref()
                    .or(u.name.as_ref())
                    .map(|i| i.value.clone()),
                columns: index_columns(&u.columns),
            }),
            TableConstraint::ForeignKey(fk) => t.foreign_keys.push(ForeignKey {
                name: fk.name.as_ref().map(|i| i.value.clone()),
                columns: fk.columns.iter().map(|i| i.value.clone()).collect(),
                ref_table: last_part(&fk.foreign_table),
                ref_columns: fk
                    .referred_columns
                    .iter()
                    .map(|i| i.value.clone())
                    .collect(),
                on_delete: fk.on_delete.map(|a| a.to_string()),
                on_update: fk.on_update.map(|a| a.to_string()),
            }),
            _ => {}
        }
    }
    for pk in &t.primary_key {
        if let Some(c) = t.columns.iter_mut().find(|c| &c.name == pk) {
            c.nullable = false;
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_using_btree_before_columns() {
        let t = parse_create_table(
            b"CREATE TABLE `tag` (`tag_id` int(10) unsigned NOT NULL, `n` int, PRIMARY KEY  USING BTREE (`tag_id`), UNIQUE KEY `u` USING HASH (`n`)) ENGINE=InnoDB",
        )
        .unwrap();
        assert_eq!(t.primary_key, vec!["tag_id"]);
        assert_eq!(t.unique_keys[0].columns, vec!["n"]);
    }

    #[test]
    fn magento_table() {
        let sql = "CREATE TABLE `sales_flat_shipment` (
  `entity_id` int(10) unsigned NOT NULL AUTO_INCREMENT COMMENT 'Entity Id',
  `store_id` smallint(5) unsigned DEFAULT NULL COMMENT 'Store Id',
  `total_weight` decimal(12,4) DEFAULT NULL,
  `shipping_label` mediumblob COMMENT 'Shipping Label Content',
  `increment_id` varchar(50) NOT NULL DEFAULT '' ,
  `created_at` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  `qty` decimal(12,4) NOT NULL DEFAULT '-1.0000',
  PRIMARY KEY (`entity_id`),
  UNIQUE KEY `UNQ_INCREMENT` (`increment_id`),
  KEY `IDX_STORE_ID` (`store_id`),
  FULLTEXT KEY `FTI` (`increment_id`),
  CONSTRAINT `FK_STORE` FOREIGN KEY (`store_id`) REFERENCES `core_store` (`store_id`) ON DELETE SET NULL ON UPDATE CASCADE
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8 ROW_FORMAT=FIXED COMMENT='Sales Flat Shipment'";
        let t = parse_create_table(sql.as_bytes()).unwrap();
        assert_eq!(t.name, "sales_flat_shipment");
        assert_eq!(t.columns.len(), 7);
        let id = &t.columns[0];
        assert!(id.unsigned && id.auto_increment && !id.nullable);
        assert_eq!(id.base_type, "int");
        assert_eq!(id.comment.as_deref(), Some("Entity Id"));
        assert_eq!(t.columns[1].default, Some(ColumnDefault::Null));
        assert!(t.columns[3].is_binary());
        assert_eq!(
            t.columns[4].default,
            Some(ColumnDefault::Literal(String::new()))
        );
        assert!(matches!(t.columns[5].default, Some(ColumnDefault::Expr(_))));
        assert_eq!(
            t.columns[6].default,
            Some(ColumnDefault::Literal("-1.0000".into()))
        );
        assert_eq!(t.primary_key, vec!["entity_id"]);
        assert_eq!(t.unique_keys.len(), 1);
        assert_eq!(t.unique_keys[0].columns, vec!["increment_id"]);
        let fk = &t.foreign_keys[0];
        assert_eq!(
            (fk.ref_table.as_str(), fk.on_delete.as_deref()),
            ("core_store", Some("SET NULL"))
        );
    }
}
