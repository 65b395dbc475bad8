//! `CREATE TABLE` → [`Table`], and what `ALTER TABLE` changes in it, with
//! sqlparser's MySQL dialect.
//!
//! sqlparser reads text, so the statement is decoded as UTF-8 (lossily: a
//! stray latin1 byte in a comment only changes that comment). Only DDL goes
//! through here; rows never do.

use serde::Serialize;
use sqlparser::ast::{
    AlterTableOperation, ColumnOption, CreateTable, DataType, Expr, MySQLColumnPosition,
    ObjectName, ObjectNamePart, Statement, TableConstraint, Value as SqlValue, ValueWithSpan,
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
        let (col, key) = column(&c.name, &c.data_type, c.options.iter().map(|o| &o.option));
        add_column_keys(&mut t, &col.name, key);
        t.columns.push(col);
    }
    for k in &ct.constraints {
        add_constraint(&mut t, k);
    }
    key_columns_not_null(&mut t);
    t
}

/// Keys a column definition declares itself (`id INT PRIMARY KEY`, `code
/// VARCHAR(8) UNIQUE`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct ColumnKeys {
    primary: bool,
    unique: bool,
}

/// A column's model from its definition, and the keys it declares.
fn column<'a>(
    name: &sqlparser::ast::Ident,
    data_type: &DataType,
    options: impl Iterator<Item = &'a ColumnOption>,
) -> (Column, ColumnKeys) {
    let type_text = data_type.to_string();
    let mut col = Column {
        name: name.value.clone(),
        unsigned: type_text.to_ascii_uppercase().contains("UNSIGNED"),
        base_type: base_type(data_type),
        data_type: type_text,
        nullable: true,
        default: None,
        auto_increment: false,
        comment: None,
    };
    let mut keys = ColumnKeys::default();
    for o in options {
        match o {
            ColumnOption::NotNull => col.nullable = false,
            ColumnOption::Null => col.nullable = true,
            ColumnOption::Default(e) => col.default = Some(default_of(e)),
            ColumnOption::Comment(s) => col.comment = Some(s.clone()),
            ColumnOption::PrimaryKey(_) => {
                col.nullable = false;
                keys.primary = true;
            }
            ColumnOption::Unique(_) => keys.unique = true,
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
    (col, keys)
}

fn add_column_keys(t: &mut Table, name: &str, keys: ColumnKeys) {
    if keys.primary {
        t.primary_key = vec![name.to_string()];
    }
    if keys.unique {
        t.unique_keys.push(Key {
            name: None,
            columns: vec![name.to_string()],
        });
    }
}

/// A table constraint's part of the model: the primary key, unique keys and
/// foreign keys (plain and full-text indexes change nothing in it).
fn add_constraint(t: &mut Table, k: &TableConstraint) {
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

/// Primary key columns are `NOT NULL`, declared so or not.
fn key_columns_not_null(t: &mut Table) {
    for pk in &t.primary_key {
        if let Some(c) = t
            .columns
            .iter_mut()
            .find(|c| c.name.eq_ignore_ascii_case(pk))
        {
            c.nullable = false;
        }
    }
}

/// Where an added or redefined column goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    /// Where it is (a redefined column) or last (an added one).
    Keep,
    First,
    After(String),
}

/// One change an `ALTER TABLE` makes to the table model.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Change {
    /// `ADD PRIMARY KEY`, `ADD UNIQUE KEY`, `ADD CONSTRAINT … FOREIGN KEY`
    /// (held as a one-constraint table, merged on apply).
    Keys(Table),
    /// `ADD [COLUMN]`.
    AddColumn(Column, ColumnKeys, Place),
    /// `MODIFY` (same name) or `CHANGE` (old name, new definition).
    Redefine(String, Column, ColumnKeys, Place),
    /// `RENAME COLUMN old TO new`.
    RenameColumn(String, String),
    DropColumn(String),
    DropPrimaryKey,
    /// `DROP FOREIGN KEY name`.
    DropForeignKey(String),
    /// `DROP INDEX name` (or `DROP KEY`): a unique key by that name goes.
    DropIndex(String),
}

/// What one `ALTER TABLE` statement does to a table's model: the keys
/// phpMyAdmin (and mysqlpump, MySQL Shell) declare after the data —
/// `ADD PRIMARY KEY`, `ADD UNIQUE KEY`, `ADD CONSTRAINT … FOREIGN KEY`,
/// `MODIFY … AUTO_INCREMENT` — and the column changes a hand-edited dump may
/// hold. Parts that change no model (plain indexes, `AUTO_INCREMENT=n`,
/// `ENGINE`, `DISABLE KEYS`) are left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alteration {
    /// The table as named in the statement (its last name part).
    pub table: String,
    /// `DISABLE KEYS` or `ENABLE KEYS`: nothing for the model or for InnoDB.
    pub toggles_keys: bool,
    changes: Vec<Change>,
}

impl Alteration {
    /// True when the statement changes nothing in the model.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Applies the changes in their order.
    pub fn apply(&self, t: &mut Table) {
        let find = |t: &Table, name: &str| t.column_index(name);
        let place = |t: &mut Table, col: Column, at: &Place, was: Option<usize>| {
            let index = match at {
                Place::Keep => was.unwrap_or(t.columns.len()),
                Place::First => 0,
                Place::After(c) => find(t, c).map_or(t.columns.len(), |i| i + 1),
            };
            t.columns.insert(index.min(t.columns.len()), col);
        };
        for change in &self.changes {
            match change {
                Change::Keys(k) => {
                    if !k.primary_key.is_empty() {
                        t.primary_key = k.primary_key.clone();
                    }
                    t.unique_keys.extend(k.unique_keys.iter().cloned());
                    t.foreign_keys.extend(k.foreign_keys.iter().cloned());
                }
                Change::AddColumn(col, keys, at) => {
                    add_column_keys(t, &col.name, *keys);
                    place(t, col.clone(), at, None);
                }
                Change::Redefine(old, col, keys, at) => {
                    let Some(i) = find(t, old) else { continue };
                    t.columns.remove(i);
                    if !old.eq_ignore_ascii_case(&col.name) {
                        rename_in_keys(t, old, &col.name);
                    }
                    add_column_keys(t, &col.name, *keys);
                    place(t, col.clone(), at, Some(i));
                }
                Change::RenameColumn(old, new) => {
                    if let Some(i) = find(t, old) {
                        t.columns[i].name = new.clone();
                        rename_in_keys(t, old, new);
                    }
                }
                Change::DropColumn(name) => {
                    if let Some(i) = find(t, name) {
                        t.columns.remove(i);
                    }
                }
                Change::DropPrimaryKey => t.primary_key.clear(),
                Change::DropForeignKey(name) => t.foreign_keys.retain(|f| {
                    !f.name
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(name))
                }),
                Change::DropIndex(name) => t.unique_keys.retain(|k| {
                    !k.name
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(name))
                }),
            }
        }
        key_columns_not_null(t);
    }
}

fn rename_in_keys(t: &mut Table, old: &str, new: &str) {
    let rename = |cols: &mut Vec<String>| {
        for c in cols.iter_mut().filter(|c| c.eq_ignore_ascii_case(old)) {
            *c = new.to_string();
        }
    };
    rename(&mut t.primary_key);
    for k in &mut t.unique_keys {
        rename(&mut k.columns);
    }
    for f in &mut t.foreign_keys {
        rename(&mut f.columns);
    }
}

/// The statement inside a MySQL version comment (`/*!40000 … */`), or the
/// statement as it is.
fn unwrap_version_comment(sql: &str) -> &str {
    let s = sql.trim().trim_end_matches(';').trim_end();
    match s.strip_prefix("/*!").and_then(|r| r.strip_suffix("*/")) {
        Some(inner) => inner
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .trim(),
        None => s,
    }
}

/// Parses one `ALTER TABLE` statement into what it changes in the table
/// model. `ALTER TABLE t DISABLE KEYS` / `ENABLE KEYS` (mysqldump's, in a
/// version comment) change nothing and are not given to sqlparser.
pub fn parse_alter_table(text: &[u8]) -> Result<Alteration, StatementError> {
    let sql = String::from_utf8_lossy(text);
    let inner = unwrap_version_comment(&sql);
    let upper = inner.trim_end_matches(';').trim_end().to_ascii_uppercase();
    let expected = |why: String| {
        StatementError::new(
            0,
            format!("expected an ALTER TABLE that sqlparser reads: {why}"),
        )
    };
    if upper.ends_with(" DISABLE KEYS") || upper.ends_with(" ENABLE KEYS") {
        let table = Parser::new(&MySqlDialect {})
            .try_with_sql(inner)
            .and_then(|mut p| {
                p.expect_keyword(sqlparser::keywords::Keyword::ALTER)?;
                p.expect_keyword(sqlparser::keywords::Keyword::TABLE)?;
                p.parse_object_name(false)
            })
            .map_err(|e| expected(e.to_string()))?;
        return Ok(Alteration {
            table: last_part(&table),
            toggles_keys: true,
            changes: Vec::new(),
        });
    }
    let stmts = Parser::parse_sql(&MySqlDialect {}, inner)
        .or_else(|first| match modernise(inner) {
            Some(m) => Parser::parse_sql(&MySqlDialect {}, &m).map_err(|_| first),
            None => Err(first),
        })
        .map_err(|e| expected(e.to_string()))?;
    let Some(Statement::AlterTable(at)) = stmts.into_iter().next() else {
        return Err(StatementError::new(0, "expected an ALTER TABLE statement"));
    };
    let place = |p: &Option<MySQLColumnPosition>| match p {
        None => Place::Keep,
        Some(MySQLColumnPosition::First) => Place::First,
        Some(MySQLColumnPosition::After(c)) => Place::After(c.value.clone()),
    };
    let mut changes = Vec::new();
    for op in &at.operations {
        match op {
            AlterTableOperation::AddConstraint { constraint, .. } => {
                let mut k = Table::default();
                add_constraint(&mut k, constraint);
                if !(k.primary_key.is_empty()
                    && k.unique_keys.is_empty()
                    && k.foreign_keys.is_empty())
                {
                    changes.push(Change::Keys(k));
                }
            }
            AlterTableOperation::AddColumn {
                column_def,
                column_position,
                ..
            } => {
                let (col, keys) = column(
                    &column_def.name,
                    &column_def.data_type,
                    column_def.options.iter().map(|o| &o.option),
                );
                changes.push(Change::AddColumn(col, keys, place(column_position)));
            }
            // `MODIFY` keeps the column's name, `CHANGE` gives a new one.
            AlterTableOperation::ModifyColumn {
                col_name: old,
                data_type,
                options,
                column_position,
            }
            | AlterTableOperation::ChangeColumn {
                old_name: old,
                data_type,
                options,
                column_position,
                ..
            } => {
                let new = match op {
                    AlterTableOperation::ChangeColumn { new_name, .. } => new_name,
                    _ => old,
                };
                let (col, keys) = column(new, data_type, options.iter());
                changes.push(Change::Redefine(
                    old.value.clone(),
                    col,
                    keys,
                    place(column_position),
                ));
            }
            AlterTableOperation::RenameColumn {
                old_column_name,
                new_column_name,
            } => changes.push(Change::RenameColumn(
                old_column_name.value.clone(),
                new_column_name.value.clone(),
            )),
            AlterTableOperation::DropColumn { column_names, .. } => {
                changes.extend(
                    column_names
                        .iter()
                        .map(|c| Change::DropColumn(c.value.clone())),
                );
            }
            AlterTableOperation::DropPrimaryKey { .. } => changes.push(Change::DropPrimaryKey),
            AlterTableOperation::DropForeignKey { name, .. } => {
                changes.push(Change::DropForeignKey(name.value.clone()))
            }
            AlterTableOperation::DropIndex { name } => {
                changes.push(Change::DropIndex(name.value.clone()))
            }
            _ => {}
        }
    }
    Ok(Alteration {
        table: last_part(&at.name),
        toggles_keys: false,
        changes,
    })
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

    /// The phpMyAdmin layout: columns in `CREATE TABLE`, keys and
    /// `AUTO_INCREMENT` in `ALTER TABLE` statements after the data.
    #[test]
    fn php_my_admin_keys_after_the_data() {
        let mut t = parse_create_table(
            b"CREATE TABLE `store` (\n  `store_id` smallint(5) UNSIGNED NOT NULL COMMENT 'Store ID',\n  `code` varchar(32) DEFAULT NULL,\n  `website_id` smallint(5) UNSIGNED NOT NULL DEFAULT 0,\n  `content` text\n) ENGINE=InnoDB DEFAULT CHARSET=utf8",
        )
        .unwrap();
        assert!(t.primary_key.is_empty());
        let alters: [&[u8]; 3] = [
            b"ALTER TABLE `store`\n  ADD PRIMARY KEY (`store_id`),\n  ADD UNIQUE KEY `STORE_CODE` (`code`),\n  ADD KEY `STORE_WEBSITE_ID` (`website_id`),\n  ADD FULLTEXT KEY `FTI` (`content`)",
            b"ALTER TABLE `store`\n  MODIFY `store_id` smallint(5) UNSIGNED NOT NULL AUTO_INCREMENT COMMENT 'Store ID', AUTO_INCREMENT=2",
            b"ALTER TABLE `store`\n  ADD CONSTRAINT `STORE_WEBSITE_ID_STORE_WEBSITE_WEBSITE_ID` FOREIGN KEY (`website_id`) REFERENCES `store_website` (`website_id`) ON DELETE CASCADE",
        ];
        for a in alters {
            let alt = parse_alter_table(a).unwrap();
            assert_eq!(alt.table, "store");
            alt.apply(&mut t);
        }
        assert_eq!(t.primary_key, vec!["store_id"]);
        assert_eq!(t.unique_keys.len(), 1);
        assert_eq!(t.unique_keys[0].name.as_deref(), Some("STORE_CODE"));
        assert_eq!(t.columns.len(), 4);
        let id = &t.columns[0];
        assert!(id.auto_increment && !id.nullable && id.unsigned);
        assert_eq!(id.comment.as_deref(), Some("Store ID"));
        let fk = &t.foreign_keys[0];
        assert_eq!(
            (
                fk.columns.as_slice(),
                fk.ref_table.as_str(),
                fk.on_delete.as_deref()
            ),
            (
                &["website_id".to_string()][..],
                "store_website",
                Some("CASCADE")
            )
        );
    }

    /// The same table declared at once, and as phpMyAdmin declares it, give
    /// the same model.
    #[test]
    fn keys_after_the_data_give_the_model_of_keys_inline() {
        let inline = parse_create_table(
            b"CREATE TABLE `t` (`id` int(10) unsigned NOT NULL AUTO_INCREMENT, `p` int(10) unsigned DEFAULT NULL, `c` varchar(8) NOT NULL, PRIMARY KEY (`id`), UNIQUE KEY `U` (`c`), CONSTRAINT `F` FOREIGN KEY (`p`) REFERENCES `t` (`id`) ON DELETE SET NULL)",
        )
        .unwrap();
        let mut later = parse_create_table(
            b"CREATE TABLE `t` (`id` int(10) unsigned NOT NULL, `p` int(10) unsigned DEFAULT NULL, `c` varchar(8) NOT NULL)",
        )
        .unwrap();
        parse_alter_table(b"ALTER TABLE `t` ADD PRIMARY KEY (`id`), ADD UNIQUE KEY `U` (`c`), MODIFY `id` int(10) unsigned NOT NULL AUTO_INCREMENT, ADD CONSTRAINT `F` FOREIGN KEY (`p`) REFERENCES `t` (`id`) ON DELETE SET NULL;")
            .unwrap()
            .apply(&mut later);
        assert_eq!(later, inline);
    }

    #[test]
    fn column_changes_and_drops() {
        let mut t = parse_create_table(
            b"CREATE TABLE `t` (`a` int NOT NULL, `b` int, `c` int, PRIMARY KEY (`a`), UNIQUE KEY `UB` (`b`), CONSTRAINT `FC` FOREIGN KEY (`c`) REFERENCES `x` (`id`))",
        )
        .unwrap();
        let names = |t: &Table| t.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        parse_alter_table(
            b"ALTER TABLE `t` ADD COLUMN `z` int FIRST, ADD `y` varchar(4) AFTER `a`, ADD `w` text",
        )
        .unwrap()
        .apply(&mut t);
        assert_eq!(names(&t), ["z", "a", "y", "b", "c", "w"]);
        parse_alter_table(b"ALTER TABLE `t` CHANGE `a` `a2` bigint NOT NULL, DROP COLUMN `w`, RENAME COLUMN `b` TO `b2`")
            .unwrap()
            .apply(&mut t);
        assert_eq!(names(&t), ["z", "a2", "y", "b2", "c"]);
        assert_eq!(t.columns[1].base_type, "bigint");
        assert_eq!(t.primary_key, vec!["a2"]);
        assert_eq!(t.unique_keys[0].columns, vec!["b2"]);
        parse_alter_table(
            b"ALTER TABLE `t` DROP PRIMARY KEY, DROP FOREIGN KEY `FC`, DROP INDEX `UB`",
        )
        .unwrap()
        .apply(&mut t);
        assert!(t.primary_key.is_empty() && t.unique_keys.is_empty() && t.foreign_keys.is_empty());
    }

    #[test]
    fn disable_keys_and_table_options_change_nothing() {
        for sql in [
            &b"/*!40000 ALTER TABLE `core_store` DISABLE KEYS */"[..],
            b"/*!40000 ALTER TABLE `core_store` ENABLE KEYS */;",
            b"ALTER TABLE `core_store` AUTO_INCREMENT=7",
            b"ALTER TABLE `core_store` ADD KEY `K` (`code`), ADD INDEX `K2` (`code`)",
        ] {
            let a = parse_alter_table(sql).unwrap();
            assert_eq!(a.table, "core_store", "{}", String::from_utf8_lossy(sql));
            assert!(a.is_empty(), "{}", String::from_utf8_lossy(sql));
            assert_eq!(
                a.toggles_keys,
                sql.ends_with(b"KEYS */") || sql.ends_with(b"*/;")
            );
        }
    }

    #[test]
    fn an_alter_table_sqlparser_cannot_read_is_an_error() {
        let e = parse_alter_table(b"ALTER TABLE `t` ADD PRIMARY KEY (`a`").unwrap_err();
        assert!(e.to_string().contains("expected an ALTER TABLE"), "{e}");
        assert!(parse_alter_table(b"ALTER VIEW `v` AS SELECT 1").is_err());
    }
}
