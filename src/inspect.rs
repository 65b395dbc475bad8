//! `m1tom2 inspect`: what a dump holds, table by table.
//!
//! Row counts follow what loading the dump into an empty database would leave:
//! `CREATE TABLE` and `DROP TABLE` start a table over, `TRUNCATE` and an
//! unfiltered `DELETE FROM` empty it, and every row of every INSERT, INSERT
//! IGNORE or REPLACE counts. (A dump that inserts the same key twice under
//! INSERT IGNORE or REPLACE would load fewer rows than it holds; the report
//! warns about filtered DELETEs, which it cannot evaluate.)

use std::collections::HashMap;

use serde::Serialize;

use crate::dump::facts::{self, Magento, VersionEvidence};
use crate::dump::statement::create_if_not_exists;
use crate::dump::{Dump, Insert, Kind, Statement, insert_head_len};
use crate::error::{Result, StatementError, found};
use crate::schema::parse_create_table;

/// Per-table figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableStats {
    /// The table's name as written in the dump (prefix included).
    pub name: String,
    /// Rows a load would leave in it.
    pub rows: u64,
    /// Bytes of INSERT statements for it.
    pub data_bytes: u64,
    /// Columns its CREATE TABLE declares (0 when the dump has none).
    pub columns: u64,
}

/// The result of inspecting a dump; serialises to the documented JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inspection {
    /// The program that wrote the dump.
    pub format: String,
    /// The server version the dump states.
    pub server_version: Option<String>,
    /// The table prefix, detected or forced.
    pub table_prefix: Option<String>,
    /// Which Magento the dump holds.
    pub magento: Magento,
    /// Every table, in the order the dump creates them.
    pub tables: Vec<TableStats>,
    /// Statement counts by kind (not part of the JSON).
    #[serde(skip)]
    pub statements: Vec<(Kind, u64)>,
    /// Things a load could do differently from these counts (not part of the JSON).
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// What a worker learns from one statement.
enum Seen {
    Create {
        name: String,
        columns: u64,
        if_not_exists: bool,
    },
    Rows {
        table: String,
        rows: u64,
        bytes: u64,
        modules: Vec<(String, String)>,
    },
    Drop(Vec<String>),
    Empty(String),
    FilteredDelete(String),
    Other,
}

/// Tables whose rows tell the Magento version.
fn is_module_table(name: &str) -> bool {
    name.ends_with("core_resource") || name.ends_with("setup_module")
}

/// The kind of a run of statements (`Dump::for_each_run`: one statement,
/// or INSERTs with the same head), and what it does to the tables.
fn see(run: &[Statement<'_>]) -> Result<(Kind, Seen), (usize, StatementError)> {
    let Some(st) = run.first() else {
        return Ok((Kind::Delimiter, Seen::Other));
    };
    let c = st.classify();
    let first = |e| (0, e);
    let seen = match c.kind {
        Kind::CreateTable => {
            let t = parse_create_table(st.text).map_err(first)?;
            Seen::Create {
                name: t.name,
                columns: t.columns.len() as u64,
                if_not_exists: create_if_not_exists(st.text),
            }
        }
        Kind::Insert | Kind::InsertIgnore | Kind::Replace => {
            let ins = Insert::parse(st.text).map_err(first)?;
            let mut modules = Vec::new();
            let mut rows = 0;
            let mut bytes = 0;
            let mut buf = Vec::new();
            for (st, r) in run.iter().zip(ins.rows_of_run(run)) {
                let (si, mut it) = r?;
                let at = |e| (si, e);
                bytes += st.text.len() as u64 + 1;
                if !is_module_table(&ins.table) {
                    rows += it.count().map_err(at)?;
                    continue;
                }
                while it.next_into(&mut buf).map_err(at)? {
                    rows += 1;
                    if let (Some(a), Some(b)) = (buf.first(), buf.get(1)) {
                        let text = |v: &crate::dump::Value<'_>| {
                            v.bytes()
                                .map(|b| String::from_utf8_lossy(&b).into_owned())
                                .unwrap_or_default()
                        };
                        modules.push((text(a), text(b)));
                    }
                }
            }
            Seen::Rows {
                table: ins.table,
                rows,
                bytes,
                modules,
            }
        }
        Kind::DropTable => Seen::Drop(c.tables),
        Kind::Truncate => Seen::Empty(c.tables.into_iter().next().unwrap_or_default()),
        Kind::Delete if !c.filtered => Seen::Empty(c.tables.into_iter().next().unwrap_or_default()),
        Kind::Delete => Seen::FilteredDelete(c.tables.into_iter().next().unwrap_or_default()),
        Kind::Unknown => {
            return Err(first(StatementError::new(
                0,
                format!(
                    "expected an SQL statement (CREATE, INSERT, SET, …), found {}",
                    found(st.text)
                ),
            )));
        }
        _ => Seen::Other,
    };
    Ok((c.kind, seen))
}

#[derive(Default)]
struct State {
    order: Vec<String>,
    tables: HashMap<String, (TableStats, bool)>,
    kinds: HashMap<Kind, u64>,
    evidence: VersionEvidence,
    warnings: Vec<String>,
}

impl State {
    fn entry(&mut self, name: &str) -> &mut (TableStats, bool) {
        if !self.tables.contains_key(name) {
            self.order.push(name.to_string());
        }
        self.tables.entry(name.to_string()).or_insert_with(|| {
            (
                TableStats {
                    name: name.to_string(),
                    rows: 0,
                    data_bytes: 0,
                    columns: 0,
                },
                false,
            )
        })
    }

    /// Adds what a run of `statements` statements of one kind did.
    fn apply(&mut self, kind: Kind, statements: u64, seen: Seen) {
        *self.kinds.entry(kind).or_default() += statements;
        match seen {
            Seen::Create { name, columns, if_not_exists } => {
                let e = self.entry(&name);
                if !(if_not_exists && e.1) {
                    *e = (TableStats { name, rows: 0, data_bytes: 0, columns }, true);
                }
            }
            Seen::Rows { table, rows, bytes, modules } => {
                if table.ends_with("patch_list") {
                    self.evidence.patches += rows;
                }
                self.evidence.modules.extend(modules);
                let e = self.entry(&table);
                e.0.rows += rows;
                e.0.data_bytes += bytes;
            }
            Seen::Drop(names) => {
                for n in names {
                    if let Some(e) = self.tables.get_mut(&n) {
                        e.1 = false;
                        e.0.rows = 0;
                        e.0.data_bytes = 0;
                    }
                }
            }
            Seen::Empty(name) => {
                if let Some(e) = self.tables.get_mut(&name) {
                    e.0.rows = 0;
                }
            }
            Seen::FilteredDelete(name) => self.warnings.push(format!(
                "a DELETE with a condition on `{name}` may remove rows; its count assumes it removes none"
            )),
            Seen::Other => {}
        }
    }
}

/// Options of an inspection.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Worker threads (1 = no parallelism).
    pub threads: usize,
    /// A table prefix to use instead of detecting one.
    pub prefix: Option<String>,
}

/// Reads the whole dump and reports what it holds.
pub fn inspect(dump: &Dump, opts: &Options) -> Result<Inspection> {
    let mut state = State::default();
    dump.for_each_run(opts.threads, insert_head_len, see, |run, (kind, seen)| {
        state.apply(kind, run.len() as u64, seen);
        Ok(())
    })?;
    let head = dump.head();
    let tables: Vec<TableStats> = state
        .order
        .iter()
        .filter_map(|n| state.tables.get(n))
        .filter(|(t, live)| *live || t.rows > 0)
        .map(|(t, _)| t.clone())
        .collect();
    let prefix = match &opts.prefix {
        Some(p) if p.is_empty() => None,
        Some(p) => Some(p.clone()),
        None => facts::table_prefix(tables.iter().map(|t| t.name.as_str())),
    };
    let bare: Vec<&str> = tables
        .iter()
        .map(|t| match &prefix {
            Some(p) => t.name.strip_prefix(p.as_str()).unwrap_or(&t.name),
            None => t.name.as_str(),
        })
        .collect();
    let magento = facts::magento(bare.iter().copied(), &state.evidence);
    let mut statements: Vec<(Kind, u64)> = state.kinds.into_iter().collect();
    statements.sort();
    Ok(Inspection {
        format: facts::producer(head).to_string(),
        server_version: facts::server_version(head),
        table_prefix: prefix,
        magento,
        tables,
        statements,
        warnings: state.warnings,
    })
}
