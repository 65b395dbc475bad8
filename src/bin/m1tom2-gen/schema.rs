//! The Magento CE 1.9 tables the generator writes, read from `schema.txt`
//! (a compact description: columns with their types, keys), and the
//! `CREATE TABLE` text rendered from it.

use std::collections::HashMap;

use anyhow::{Context, Result, bail};

use crate::writer::V;

const SCHEMA: &str = include_str!("schema.txt");

pub struct Col {
    pub name: String,
    pub sql_type: String,
    pub numeric: bool,
    pub not_null: bool,
    pub auto_inc: bool,
    pub on_update: bool,
    pub default: Option<String>,
}

pub struct Key {
    pub kind: &'static str,
    pub cols: Vec<String>,
}

pub struct Table {
    pub name: String,
    pub cols: Vec<Col>,
    pub keys: Vec<Key>,
    index: HashMap<String, usize>,
    defaults: Vec<V>,
}

fn sql_type(t: &str) -> Result<(String, bool)> {
    let unsigned = t.ends_with('u') && !t.starts_with("var");
    let t = if unsigned { &t[..t.len() - 1] } else { t };
    let split = t.find(|c: char| c.is_ascii_digit()).unwrap_or(t.len());
    let (base, size) = t.split_at(split);
    let numeric = matches!(
        base,
        "int" | "smallint" | "tinyint" | "bigint" | "mediumint" | "decimal" | "float" | "double"
    );
    let mut s = base.to_string();
    if !size.is_empty() {
        s.push('(');
        s.push_str(&size.replace('.', ","));
        s.push(')');
    }
    if unsigned {
        s.push_str(" unsigned");
    }
    match base {
        "int" | "smallint" | "tinyint" | "bigint" | "mediumint" | "decimal" | "float"
        | "double" | "varchar" | "char" | "varbinary" | "text" | "mediumtext" | "longtext"
        | "blob" | "mediumblob" | "longblob" | "timestamp" | "datetime" | "date" => {
            Ok((s, numeric))
        }
        _ => bail!("unknown column type {t}"),
    }
}

impl Table {
    /// The position of a column (a programming error when it is missing).
    pub fn col(&self, name: &str) -> usize {
        match self.index.get(name) {
            Some(&i) => i,
            None => panic!("table {} has no column {name}", self.name),
        }
    }

    pub fn defaults(&self) -> &[V] {
        &self.defaults
    }

    /// `CREATE TABLE` as mysqldump prints it.
    pub fn create_sql(&self) -> String {
        let mut s = format!("CREATE TABLE `{}` (\n", self.name);
        let mut lines = Vec::new();
        for c in &self.cols {
            let mut l = format!("  `{}` {}", c.name, c.sql_type);
            let is_ts = c.sql_type == "timestamp";
            if c.not_null {
                l.push_str(" NOT NULL");
            } else if is_ts {
                l.push_str(" NULL");
            }
            if c.auto_inc {
                l.push_str(" AUTO_INCREMENT");
            } else if let Some(d) = &c.default {
                if d == "CURRENT_TIMESTAMP" {
                    l.push_str(" DEFAULT CURRENT_TIMESTAMP");
                } else {
                    l.push_str(&format!(" DEFAULT '{}'", d.replace('\'', "''")));
                }
            } else if !c.not_null && !c.sql_type.contains("text") && !c.sql_type.contains("blob") {
                l.push_str(" DEFAULT NULL");
            }
            if c.on_update {
                l.push_str(" ON UPDATE CURRENT_TIMESTAMP");
            }
            lines.push(l);
        }
        let short = self.name.to_uppercase();
        let mut used = std::collections::HashSet::new();
        for k in &self.keys {
            let cols = k
                .cols
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(",");
            if k.kind == "pk" {
                lines.push(format!("  PRIMARY KEY ({cols})"));
                continue;
            }
            let prefix = match k.kind {
                "uk" => "UNQ",
                "ft" => "FTI",
                _ => "IDX",
            };
            let mut name = format!("{prefix}_{short}_{}", k.cols.join("_").to_uppercase());
            if name.len() > 60 {
                let h = crate::rng::mix(
                    name.bytes()
                        .fold(0u64, |a, b| a.wrapping_mul(31).wrapping_add(b as u64)),
                );
                name = format!("{}_{:08X}", &name[..50], h as u32);
            }
            while !used.insert(name.clone()) {
                name.push('2');
            }
            let kw = match k.kind {
                "uk" => "UNIQUE KEY",
                "ft" => "FULLTEXT KEY",
                _ => "KEY",
            };
            lines.push(format!("  {kw} `{name}` ({cols})"));
        }
        s.push_str(&lines.join(",\n"));
        s.push_str("\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
        s
    }
}

pub struct Schema {
    tables: HashMap<String, Table>,
}

impl Schema {
    pub fn load() -> Result<Schema> {
        let mut tables = HashMap::new();
        let mut cur: Option<Table> = None;
        for (n, line) in SCHEMA.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('@') {
                if let Some(t) = cur.take() {
                    tables.insert(t.name.clone(), finish(t));
                }
                cur = Some(Table {
                    name: name.to_string(),
                    cols: Vec::new(),
                    keys: Vec::new(),
                    index: HashMap::new(),
                    defaults: Vec::new(),
                });
                continue;
            }
            let t = cur
                .as_mut()
                .with_context(|| format!("schema.txt:{}: column outside a table", n + 1))?;
            let (head, default) = match line.find(" =") {
                Some(p) => (&line[..p], Some(line[p + 2..].to_string())),
                None => (line, None),
            };
            let mut f = head.split(' ');
            let first = f.next().unwrap_or_default();
            if let Some(kind) = ["pk", "uk", "ix", "ft"].into_iter().find(|k| *k == first) {
                t.keys.push(Key {
                    kind,
                    cols: f.map(str::to_string).collect(),
                });
                continue;
            }
            let ty = f
                .next()
                .with_context(|| format!("schema.txt:{}: no type", n + 1))?;
            let (sql_type, numeric) =
                sql_type(ty).with_context(|| format!("schema.txt:{}", n + 1))?;
            let flags: Vec<&str> = f.collect();
            t.cols.push(Col {
                name: first.to_string(),
                sql_type,
                numeric,
                not_null: flags.contains(&"!"),
                auto_inc: flags.contains(&"+"),
                on_update: flags.contains(&"^"),
                default,
            });
        }
        if let Some(t) = cur.take() {
            tables.insert(t.name.clone(), finish(t));
        }
        Ok(Schema { tables })
    }

    pub fn table(&self, name: &str) -> Result<&Table> {
        self.tables
            .get(name)
            .with_context(|| format!("no table {name} in schema.txt"))
    }
}

fn finish(mut t: Table) -> Table {
    t.index = t
        .cols
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.clone(), i))
        .collect();
    t.defaults = t
        .cols
        .iter()
        .map(|c| match (&c.default, c.numeric) {
            (Some(d), true) => match d.parse::<f64>() {
                Ok(_) => V::Num(leak(d)),
                Err(_) => V::Null,
            },
            (Some(d), false) => V::S(leak(d)),
            (None, true) if c.not_null => V::Int(0),
            (None, false) if c.not_null && !c.auto_inc => V::S(""),
            _ => V::Null,
        })
        .collect();
    t
}

/// Schema strings live for the whole run; leaking them lets rows borrow them.
fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}
