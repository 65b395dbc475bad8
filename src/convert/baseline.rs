//! The Magento 2 baseline: the schema and install data of a fresh Magento 2,
//! read from its dump.

use std::collections::BTreeMap;

use crate::dump::{Dump, Kind};
use crate::error::Result;
use crate::schema::{Alteration, Table, parse_alter_table, parse_create_table};

/// One table of the baseline.
#[derive(Debug, Clone)]
pub struct BaseTable {
    /// The name as in the baseline (prefix included).
    pub name: String,
    /// The name without the destination prefix.
    pub bare: String,
    /// Its `CREATE TABLE` statement as the baseline has it.
    pub create: Vec<u8>,
    /// The model.
    pub table: Table,
    /// Its INSERT statements as the baseline has them.
    pub inserts: Vec<Vec<u8>>,
}

/// The baseline.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    /// Tables in dump order.
    pub tables: Vec<BaseTable>,
    /// Its `ALTER TABLE` statements in dump order, each with the table it
    /// alters: the keys, `AUTO_INCREMENT` and foreign keys a phpMyAdmin
    /// export declares after the data, to run once every table exists.
    /// mysqldump's `DISABLE KEYS`/`ENABLE KEYS` are not kept.
    pub alters: Vec<(String, Vec<u8>)>,
    /// Triggers, views and routines, each a statement to run after the data.
    pub objects: Vec<Vec<u8>>,
}

enum Seen {
    Create(Box<Table>, Vec<u8>),
    Alter(Alteration, Vec<u8>),
    Insert(String, Vec<u8>),
    Drop(Vec<String>),
    Object(Vec<u8>),
    Other,
}

/// Removes `DEFINER=…` clauses so objects are created by the loading user.
fn strip_definer(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let is_definer_comment = (rest.starts_with(b"/*!50017 DEFINER=")
            || rest.starts_with(b"/*!50013 DEFINER="))
            && memchr::memmem::find(rest, b"*/").is_some();
        if is_definer_comment {
            let end = memchr::memmem::find(rest, b"*/").unwrap_or(rest.len());
            // Keep a SQL SECURITY clause that shares the comment.
            if let Some(sec) = memchr::memmem::find(&rest[..end], b"SQL SECURITY") {
                out.extend_from_slice(b"/*!50013 ");
                out.extend_from_slice(&rest[sec..end]);
                out.extend_from_slice(b"*/");
            }
            i += end + 2;
            continue;
        }
        out.push(text[i]);
        i += 1;
    }
    out
}

/// Reads the baseline dump. `prefix` is the destination table prefix, if any.
pub fn read(dump: &Dump, threads: usize, prefix: Option<&str>) -> Result<Baseline> {
    let mut tables: Vec<BaseTable> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut objects = Vec::new();
    let mut alters: Vec<(String, Vec<u8>)> = Vec::new();
    dump.for_each(
        threads,
        |st| {
            let c = st.classify();
            Ok(match c.kind {
                Kind::CreateTable => {
                    Seen::Create(Box::new(parse_create_table(st.text)?), st.text.to_vec())
                }
                Kind::AlterTable => match parse_alter_table(st.text)? {
                    a if a.toggles_keys => Seen::Other,
                    a => Seen::Alter(a, st.text.to_vec()),
                },
                Kind::Insert | Kind::InsertIgnore | Kind::Replace => Seen::Insert(
                    c.tables.into_iter().next().unwrap_or_default(),
                    st.text.to_vec(),
                ),
                Kind::DropTable => Seen::Drop(c.tables),
                Kind::CreateTrigger
                | Kind::CreateView
                | Kind::CreateProcedure
                | Kind::CreateFunction
                | Kind::CreateEvent => Seen::Object(strip_definer(st.text)),
                _ => Seen::Other,
            })
        },
        |_, seen| {
            match seen {
                Seen::Create(t, create) => {
                    let bare = match prefix {
                        Some(p) => t.name.strip_prefix(p).unwrap_or(&t.name).to_string(),
                        None => t.name.clone(),
                    };
                    let bt = BaseTable {
                        name: t.name.clone(),
                        bare,
                        create,
                        table: *t,
                        inserts: Vec::new(),
                    };
                    alters.retain(|(n, _)| *n != bt.name);
                    match index.get(&bt.name) {
                        Some(&i) => tables[i] = bt,
                        None => {
                            index.insert(bt.name.clone(), tables.len());
                            tables.push(bt);
                        }
                    }
                }
                Seen::Alter(a, text) => {
                    if let Some(&i) = index.get(&a.table) {
                        a.apply(&mut tables[i].table);
                        alters.push((a.table, text));
                    }
                }
                Seen::Insert(name, text) => {
                    if let Some(&i) = index.get(&name) {
                        tables[i].inserts.push(text);
                    }
                }
                Seen::Drop(names) => {
                    for n in names {
                        alters.retain(|(a, _)| *a != n);
                        if let Some(i) = index.remove(&n) {
                            tables[i].inserts.clear();
                            tables[i].name.clear();
                        }
                    }
                }
                Seen::Object(o) => objects.push(o),
                Seen::Other => {}
            }
            Ok(())
        },
    )?;
    tables.retain(|t| !t.name.is_empty());
    Ok(Baseline {
        tables,
        alters,
        objects,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definers_are_removed() {
        let t = b"/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER x AFTER INSERT ON t FOR EACH ROW BEGIN END */";
        assert_eq!(
            strip_definer(t),
            b"/*!50003 CREATE*/  /*!50003 TRIGGER x AFTER INSERT ON t FOR EACH ROW BEGIN END */"
                .to_vec()
        );
        let v = b"/*!50013 DEFINER=`a`@`b` SQL SECURITY DEFINER */";
        assert_eq!(
            strip_definer(v),
            b"/*!50013 SQL SECURITY DEFINER */".to_vec()
        );
    }
}
