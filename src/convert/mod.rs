//! `m1tom2 data` and `m1tom2 check`: the conversion pipeline.
//!
//! 1. The maps are loaded and compiled; the Magento 2 baseline is read.
//! 2. A first pass over the source reads every `CREATE TABLE` and keeps the
//!    statements of the few small tables handlers look things up in.
//! 3. Plans are built for every source table; integrity problems stop here.
//! 4. A second pass transforms rows in parallel (rayon), in input order, and
//!    writes them, batched, behind the baseline's schema.

pub mod baseline;
pub mod plan;
pub mod row;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::dump::{Dump, Insert, Kind, Statement, Value, facts};
use crate::error::{Error, Result, StatementError};
use crate::map::MapFile;
use crate::map::class_map::ClassMap;
use crate::map::handler::{Attribute, Context};
use crate::map::rules::Rules;
use crate::report::{DestinationReport, Report, TableReport, Warnings};
use crate::schema::{Table, parse_create_table};
use crate::write::output::{InsertBatcher, Output};
use crate::write::sql;
use baseline::Baseline;
use plan::{Disposition, EmitKind, Plan, Problem};
use row::{Cell, SrcRow, render_row};

/// The maps shipped with m1tom2, compiled in.
pub const BUILTIN_MAPS: &[(&str, &str)] = &[
    ("maps/core.toml", include_str!("../../maps/core.toml")),
    (
        "maps/deferred.toml",
        include_str!("../../maps/deferred.toml"),
    ),
    ("maps/ce16.toml", include_str!("../../maps/ce16.toml")),
];

/// The class map shipped with m1tom2.
pub const BUILTIN_CLASS_MAP: &str = include_str!("../../maps/class-map.toml");

/// Options of a conversion.
#[derive(Debug, Clone)]
pub struct Options {
    /// The Magento 1 dump.
    pub source: PathBuf,
    /// The Magento 2 baseline dump.
    pub target: PathBuf,
    /// Extra map files (every `*.toml` in it), applied after the built-in maps.
    pub map_dir: Option<PathBuf>,
    /// A DMT `map.xml` whose rules are applied last.
    pub dmt_map: Option<PathBuf>,
    /// Whether to start from the built-in maps.
    pub builtin_maps: bool,
    /// Source table prefix (None: detect).
    pub source_prefix: Option<String>,
    /// Destination table prefix (None: detect).
    pub dest_prefix: Option<String>,
    /// Worker threads.
    pub threads: usize,
    /// Drop unmapped data instead of refusing.
    pub auto: bool,
    /// Largest INSERT statement written, in bytes.
    pub max_statement_bytes: usize,
}

impl Options {
    /// Options with defaults for the given inputs.
    pub fn new(source: PathBuf, target: PathBuf) -> Self {
        Options {
            source,
            target,
            map_dir: None,
            dmt_map: None,
            builtin_maps: true,
            source_prefix: None,
            dest_prefix: None,
            threads: 1,
            auto: false,
            max_statement_bytes: 1 << 20,
        }
    }
}

/// Loads and compiles the maps the options name.
pub fn load_maps(opts: &Options) -> Result<(Rules, ClassMap)> {
    let mut merged = MapFile::default();
    let bad = |file: &str, e: &dyn std::fmt::Display| Error::Config(format!("{file}: {e}"));
    if opts.builtin_maps {
        for (name, text) in BUILTIN_MAPS {
            merged.merge(MapFile::from_toml(text).map_err(|e| bad(name, &e))?);
        }
    }
    let mut classes =
        ClassMap::load(BUILTIN_CLASS_MAP).map_err(|e| bad("maps/class-map.toml", &e))?;
    if let Some(dir) = &opts.map_dir {
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(|e| e.ok())
            .map(|e| e.into_path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        if files.is_empty() && !dir.is_dir() {
            return Err(Error::Config(format!(
                "{}: not a directory of map files",
                dir.display()
            )));
        }
        for f in files {
            let text = std::fs::read_to_string(&f).map_err(|e| Error::io(&f, e))?;
            let shown = f.display().to_string();
            if let Ok(cm) = ClassMap::load(&text) {
                classes.extend(cm);
                continue;
            }
            merged.merge(MapFile::from_toml(&text).map_err(|e| bad(&shown, &e))?);
        }
    }
    if let Some(xml) = &opts.dmt_map {
        let text = std::fs::read_to_string(xml).map_err(|e| Error::io(xml, e))?;
        let m = crate::map::dmt::from_dmt_map_xml(&text)
            .map_err(|e| bad(&xml.display().to_string(), &e))?;
        merged.merge(m);
    }
    let rules = Rules::compile(&merged).map_err(Error::Config)?;
    Ok((rules, classes))
}

/// A source table as the first pass found it.
#[derive(Debug, Clone)]
pub struct SourceTable {
    /// Name as in the dump.
    pub name: String,
    /// Name without the prefix.
    pub bare: String,
    /// Its model.
    pub table: Table,
}

/// Where a kept statement is.
enum Kept {
    Range(u64, usize),
    Owned(Vec<u8>),
}

/// Tables whose rows handlers may look up.
fn lookup_candidates(rules_maps: &Rules) -> BTreeSet<String> {
    let _ = rules_maps;
    [
        "eav_attribute",
        "eav_entity_type",
        "core_config_data",
        "catalog_product_entity_media_gallery",
        "core_website",
        "core_store_group",
        "sales_flat_quote_item",
        "catalog_product_bundle_option",
        "catalog_product_bundle_selection",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Everything known before rows are converted.
pub struct Session {
    opts: Options,
    source: Dump,
    /// The Magento 2 baseline.
    pub baseline: Baseline,
    /// Source tables in dump order.
    pub tables: Vec<SourceTable>,
    by_name: HashMap<String, usize>,
    /// The plans and problems.
    pub plan: Plan,
    ctx: Context,
    fks: FkIndex,
    /// The source table prefix.
    pub prefix: Option<String>,
}

impl Session {
    /// Reads the maps, the baseline and the source's schema, and plans every table.
    pub fn prepare(opts: Options) -> Result<Session> {
        let (rules, classes) = load_maps(&opts)?;
        let target = Dump::open(&opts.target)?;
        let dest_prefix = match &opts.dest_prefix {
            Some(p) if p.is_empty() => None,
            Some(p) => Some(p.clone()),
            None => None,
        };
        let baseline = baseline::read(&target, opts.threads, dest_prefix.as_deref())?;
        if baseline.tables.is_empty() {
            return Err(Error::Config(format!(
                "{}: the Magento 2 baseline has no CREATE TABLE",
                opts.target.display()
            )));
        }
        let source = Dump::open(&opts.source)?;
        if source.source().mapped().is_none() && opts.source.as_os_str() == "-" {
            return Err(Error::Config(
                "data reads the source dump twice; give it as a file (plain or .gz), not standard input".into(),
            ));
        }
        let candidates = lookup_candidates(&rules);
        // Pass 1: schema, lookup statements, and tables emptied after their rows.
        let mut tables: Vec<(String, Table)> = Vec::new();
        let mut kept: HashMap<String, Vec<Kept>> = HashMap::new();
        let mut with_rows: HashSet<String> = HashSet::new();
        let mapped = source.source().mapped().is_some();
        let src_name = source.source().name().to_string();
        source.for_each(
            opts.threads,
            |st| {
                let c = st.classify();
                Ok(match c.kind {
                    Kind::CreateTable => (c, Some(parse_create_table(st.text)?)),
                    _ => (c, None),
                })
            },
            |st, (c, table)| {
                match c.kind {
                    Kind::CreateTable => {
                        if let Some(t) = table {
                            if with_rows.contains(&t.name) {
                                return Err(reset_error(&src_name, st, &t.name));
                            }
                            match tables.iter_mut().find(|(n, _)| *n == t.name) {
                                Some(e) => e.1 = t,
                                None => tables.push((t.name.clone(), t)),
                            }
                        }
                    }
                    k if k.is_insert() => {
                        if let Some(t) = c.table() {
                            with_rows.insert(t.to_string());
                            if candidates.iter().any(|cand| t.ends_with(cand.as_str())) {
                                let k = if mapped {
                                    Kept::Range(st.offset, st.text.len())
                                } else {
                                    Kept::Owned(st.text.to_vec())
                                };
                                kept.entry(t.to_string()).or_default().push(k);
                            }
                        }
                    }
                    Kind::Truncate | Kind::DropTable | Kind::Delete if !c.filtered => {
                        for t in &c.tables {
                            if with_rows.contains(t) {
                                return Err(reset_error(&src_name, st, t));
                            }
                        }
                    }
                    _ => {}
                }
                Ok(())
            },
        )?;
        let prefix = match &opts.source_prefix {
            Some(p) if p.is_empty() => None,
            Some(p) => Some(p.clone()),
            None => facts::table_prefix(tables.iter().map(|(n, _)| n.as_str())),
        };
        let bare_of = |n: &str| match &prefix {
            Some(p) => n.strip_prefix(p.as_str()).unwrap_or(n).to_string(),
            None => n.to_string(),
        };
        let tables: Vec<SourceTable> = tables
            .into_iter()
            .map(|(name, table)| SourceTable {
                bare: bare_of(&name),
                name,
                table,
            })
            .collect();
        let by_name: HashMap<String, usize> = tables
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.clone(), i))
            .collect();
        let dest: BTreeMap<String, Table> = baseline
            .tables
            .iter()
            .map(|t| (t.bare.clone(), t.table.clone()))
            .collect();
        let src_list: Vec<(String, Table)> = tables
            .iter()
            .map(|t| (t.bare.clone(), t.table.clone()))
            .collect();
        let plan = plan::build(&rules, &src_list, &dest, opts.auto);
        let ctx = build_context(&source, &tables, &kept, &plan, classes)?;
        let fks = FkIndex::new(&tables);
        Ok(Session {
            opts,
            source,
            baseline,
            tables,
            by_name,
            plan,
            ctx,
            fks,
            prefix,
        })
    }

    /// The integrity problems found.
    pub fn problems(&self) -> &[Problem] {
        &self.plan.problems
    }
}

fn reset_error(file: &str, st: &Statement<'_>, table: &str) -> Error {
    Error::Config(format!(
        "{file}: byte offset {}: table `{table}` is emptied or re-created after rows were inserted into it; \
         m1tom2 converts in one pass and cannot take written rows back (remove the earlier INSERTs)",
        st.offset
    ))
}

/// Reads the kept statements of one source table into rows of owned values.
fn kept_rows(
    source: &Dump,
    t: &SourceTable,
    kept: &[Kept],
    cols: &[&str],
) -> Result<Vec<Vec<Option<Vec<u8>>>>> {
    let mut out = Vec::new();
    let all = source.source().mapped();
    for k in kept {
        let text: &[u8] = match k {
            Kept::Range(off, len) => match all {
                Some(a) => &a[*off as usize..*off as usize + *len],
                None => continue,
            },
            Kept::Owned(v) => v,
        };
        let bad = |e: StatementError| {
            Error::Config(format!(
                "{}: table `{}`: {}",
                source.source().name(),
                t.name,
                e.message
            ))
        };
        let ins = Insert::parse(text).map_err(bad)?;
        let positions = positions(&t.table, ins.columns.as_deref());
        let idx: Vec<Option<usize>> = cols.iter().map(|c| t.table.column_index(c)).collect();
        let mut rows = ins.rows();
        let mut buf = Vec::new();
        while rows.next_into(&mut buf).map_err(bad)? {
            let row = SrcRow {
                values: &buf,
                positions: &positions,
            };
            out.push(
                idx.iter()
                    .map(|i| i.and_then(|i| row.bytes(i)).map(|b| b.into_owned()))
                    .collect(),
            );
        }
    }
    Ok(out)
}

fn build_context(
    source: &Dump,
    tables: &[SourceTable],
    kept: &HashMap<String, Vec<Kept>>,
    plan: &Plan,
    classes: ClassMap,
) -> Result<Context> {
    let find = |bare: &str| tables.iter().find(|t| t.bare == bare);
    let rows_of = |bare: &str, cols: &[&str]| -> Result<Vec<Vec<Option<Vec<u8>>>>> {
        match find(bare) {
            Some(t) => kept_rows(
                source,
                t,
                kept.get(&t.name).map_or(&[], Vec::as_slice),
                cols,
            ),
            None => Ok(Vec::new()),
        }
    };
    let mut ctx = Context {
        class_map: classes,
        ..Context::default()
    };
    for spec in plan.needs.specs() {
        let mut map = HashMap::new();
        for r in rows_of(&spec.table, &[spec.key.as_str(), spec.value.as_str()])? {
            if let [Some(k), v] = &r[..] {
                map.insert(k.clone(), v.clone());
            }
        }
        ctx.lookups.push(map);
    }
    let types: HashMap<Vec<u8>, String> =
        rows_of("eav_entity_type", &["entity_type_id", "entity_type_code"])?
            .into_iter()
            .filter_map(|r| match &r[..] {
                [Some(id), Some(code)] => {
                    Some((id.clone(), String::from_utf8_lossy(code).into_owned()))
                }
                _ => None,
            })
            .collect();
    for r in rows_of(
        "eav_attribute",
        &[
            "attribute_id",
            "attribute_code",
            "entity_type_id",
            "frontend_input",
        ],
    )? {
        if let [Some(id), code, et, input] = &r[..] {
            let text = |v: &Option<Vec<u8>>| {
                v.as_deref()
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default()
            };
            ctx.attributes.insert(
                id.clone(),
                Attribute {
                    code: text(code),
                    entity_type: et
                        .as_ref()
                        .and_then(|e| types.get(e))
                        .cloned()
                        .unwrap_or_default(),
                    frontend_input: text(input),
                },
            );
        }
    }
    for r in rows_of("core_config_data", &["scope", "scope_id", "path", "value"])? {
        if let [Some(scope), Some(id), Some(path), Some(value)] = &r[..]
            && scope == b"default"
            && id == b"0"
        {
            ctx.config
                .insert(String::from_utf8_lossy(path).into_owned(), value.clone());
        }
    }
    Ok(ctx)
}

/// For each table column, its position among a statement's values.
fn positions(table: &Table, columns: Option<&[String]>) -> Vec<Option<usize>> {
    match columns {
        None => (0..table.columns.len()).map(Some).collect(),
        Some(cols) => table
            .columns
            .iter()
            .map(|c| cols.iter().position(|s| s.eq_ignore_ascii_case(&c.name)))
            .collect(),
    }
}

/// Single-column foreign keys of the source, for the orphan check.
struct FkIndex {
    /// (child table, child column, parent key set id, description).
    children: Vec<(usize, usize, usize, String)>,
    /// Key sets: (parent table, parent column).
    keys: Vec<(usize, usize)>,
}

impl FkIndex {
    fn new(tables: &[SourceTable]) -> FkIndex {
        let mut idx = FkIndex {
            children: Vec::new(),
            keys: Vec::new(),
        };
        for (ci, t) in tables.iter().enumerate() {
            for fk in &t.table.foreign_keys {
                if fk.columns.len() != 1 || fk.ref_columns.len() != 1 {
                    continue;
                }
                let Some(pi) = tables.iter().position(|p| p.name == fk.ref_table) else {
                    continue;
                };
                let (Some(cc), Some(pc)) = (
                    t.table.column_index(&fk.columns[0]),
                    tables[pi].table.column_index(&fk.ref_columns[0]),
                ) else {
                    continue;
                };
                let key = match idx.keys.iter().position(|k| *k == (pi, pc)) {
                    Some(k) => k,
                    None => {
                        idx.keys.push((pi, pc));
                        idx.keys.len() - 1
                    }
                };
                let desc = format!(
                    "{}.{} → {}.{}{}",
                    t.name,
                    fk.columns[0],
                    fk.ref_table,
                    fk.ref_columns[0],
                    fk.name
                        .as_ref()
                        .map(|n| format!(" ({n})"))
                        .unwrap_or_default()
                );
                idx.children.push((ci, cc, key, desc));
            }
        }
        idx
    }
}

/// Rendered rows for one destination.
struct Rendered {
    dest: String,
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Rendered {
    fn new(dest: &str) -> Self {
        Rendered {
            dest: dest.to_string(),
            bytes: Vec::new(),
            ends: Vec::new(),
        }
    }
    fn rows(&self) -> impl Iterator<Item = &[u8]> {
        let mut start = 0;
        self.ends.iter().map(move |&e| {
            let r = &self.bytes[start..e];
            start = e;
            r
        })
    }
}

/// What the second pass learns from one statement.
#[derive(Default)]
struct Converted {
    table: Option<String>,
    rows: u64,
    out: Vec<Rendered>,
    warnings: Warnings,
    fk_children: Vec<(usize, HashSet<Vec<u8>>)>,
    fk_keys: Vec<(usize, HashSet<Vec<u8>>)>,
}

const HEADER: &str = "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE=CONCAT_WS(',', NULLIF(@@SQL_MODE, ''), 'NO_AUTO_VALUE_ON_ZERO') */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;
";

const FOOTER: &str = "/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;
-- m1tom2: import complete
";

/// The result of the row pass.
pub struct Outcome {
    /// The volume report.
    pub report: Report,
    /// Orphans found under the source's foreign keys: (description, distinct ids).
    pub orphans: Vec<(String, Vec<String>)>,
}

impl Session {
    fn convert_statement(
        &self,
        st: &Statement<'_>,
        render: bool,
    ) -> Result<Converted, StatementError> {
        let kind = st.classify().kind;
        if !kind.is_insert() {
            return Ok(Converted::default());
        }
        let ins = Insert::parse(st.text)?;
        let mut c = Converted {
            table: Some(ins.table.clone()),
            ..Converted::default()
        };
        let Some(&ti) = self.by_name.get(&ins.table) else {
            c.rows = ins.rows().count()?;
            return Ok(c);
        };
        let t = &self.tables[ti];
        let pos = positions(&t.table, ins.columns.as_deref());
        let plan = match self.plan.tables.get(&t.bare) {
            Some(Disposition::Migrate(p)) if render => Some(p.as_ref()),
            _ => None,
        };
        let my_fks: Vec<&(usize, usize, usize, String)> =
            self.fks.children.iter().filter(|f| f.0 == ti).collect();
        let my_keys: Vec<(usize, usize)> = self
            .fks
            .keys
            .iter()
            .enumerate()
            .filter(|(_, k)| k.0 == ti)
            .map(|(i, k)| (i, k.1))
            .collect();
        let mut fk_children: Vec<HashSet<Vec<u8>>> = vec![HashSet::new(); my_fks.len()];
        let mut fk_keys: Vec<HashSet<Vec<u8>>> = vec![HashSet::new(); my_keys.len()];
        let mut out: Vec<Rendered> = Vec::new();
        if let Some(p) = plan {
            out.push(Rendered::new(&p.dest));
            for e in &p.emits {
                out.push(Rendered::new(&e.dest));
            }
        }
        let mut rows = ins.rows();
        let mut buf: Vec<Value<'_>> = Vec::new();
        let mut cells: Vec<Cell<'_>> = Vec::new();
        let mut n = 0u64;
        let ncols = t.table.columns.len();
        while rows.next_into(&mut buf)? {
            n += 1;
            if ins.columns.is_none() && buf.len() != ncols {
                return Err(StatementError::new(
                    0,
                    format!(
                        "row {n} has {} values, but `{}` has {ncols} columns",
                        buf.len(),
                        t.name
                    ),
                ));
            }
            let row = SrcRow {
                values: &buf,
                positions: &pos,
            };
            for (slot, f) in my_fks.iter().enumerate() {
                if let Some(v) = row.bytes(f.1) {
                    fk_children[slot].insert(v.into_owned());
                }
            }
            for (slot, (_, col)) in my_keys.iter().enumerate() {
                if let Some(v) = row.bytes(*col) {
                    fk_keys[slot].insert(v.into_owned());
                }
            }
            let Some(p) = plan else { continue };
            cells.clear();
            for (ci, cp) in p.cells.iter().enumerate() {
                let mut cell = match (&cp.implicit, cp.source.and_then(|s| row.get(s))) {
                    (Some(lit), _) => Cell::Sql(lit),
                    (None, Some(v)) => Cell::Val(v),
                    (None, None) => Cell::Null,
                };
                for h in &cp.handlers {
                    let warnings = &mut c.warnings;
                    let field = &p.columns[ci];
                    h.apply(&mut cell, &row, &self.ctx, &mut |m| {
                        warnings.add(&p.dest, field, m, 1)
                    });
                }
                cells.push(cell);
            }
            let r = &mut out[0];
            render_row(&mut r.bytes, &cells);
            r.ends.push(r.bytes.len());
            for (ei, e) in p.emits.iter().enumerate() {
                let r = &mut out[ei + 1];
                match &e.kind {
                    EmitKind::Copy(idx) => {
                        let ec: Vec<Cell<'_>> = idx
                            .iter()
                            .map(|&i| row.get(i).map_or(Cell::Null, Cell::Val))
                            .collect();
                        render_row(&mut r.bytes, &ec);
                        r.ends.push(r.bytes.len());
                    }
                    EmitKind::SplitIds { key, list } => {
                        let k = row.get(*key).map_or(Cell::Null, Cell::Val);
                        let items = row.bytes(*list).unwrap_or_default();
                        for item in items
                            .split(|&b| b == b',')
                            .map(<[u8]>::trim_ascii)
                            .filter(|i| !i.is_empty())
                        {
                            render_row(&mut r.bytes, &[k.clone(), Cell::Bytes(item.to_vec())]);
                            r.ends.push(r.bytes.len());
                        }
                    }
                    EmitKind::Synonym {
                        query,
                        synonym,
                        store,
                    } => {
                        let syn = row.bytes(*synonym).filter(|s| !s.is_empty());
                        if let Some(syn) = syn {
                            let mut text = row
                                .bytes(*query)
                                .map(|q| q.into_owned())
                                .unwrap_or_default();
                            text.push(b',');
                            text.extend_from_slice(&syn);
                            let ec = [
                                Cell::Bytes(text),
                                row.get(*store).map_or(Cell::Int(0), Cell::Val),
                                Cell::Int(0),
                            ];
                            render_row(&mut r.bytes, &ec);
                            r.ends.push(r.bytes.len());
                        }
                    }
                }
            }
        }
        c.rows = n;
        c.out = out;
        // Children are keyed by their position in the FK index, keys by key-set id.
        c.fk_children = self
            .fks
            .children
            .iter()
            .enumerate()
            .filter(|(_, f)| f.0 == ti)
            .map(|(i, _)| i)
            .zip(fk_children)
            .collect();
        c.fk_keys = my_keys.iter().map(|(i, _)| *i).zip(fk_keys).collect();
        Ok(c)
    }

    /// The destination's name as the output writes it.
    fn dest_name<'s>(&'s self, bare: &'s str) -> &'s str {
        self.baseline
            .tables
            .iter()
            .find(|t| t.bare == bare)
            .map_or(bare, |t| t.name.as_str())
    }

    /// Converts the rows: with `out`, writes the import file; without, only
    /// counts and checks (for `check`).
    pub fn run(&self, out: Option<&mut Output>) -> Result<Outcome> {
        self.run_with_progress(out, &mut |_| {})
    }

    /// The source's size in bytes when it is a plain file (for progress bars).
    pub fn source_len(&self) -> Option<u64> {
        self.source.source().mapped().map(|m| m.len() as u64)
    }

    /// [`Session::run`], calling `progress` with the input offset reached.
    pub fn run_with_progress(
        &self,
        mut out: Option<&mut Output>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Outcome> {
        let filled = self.plan.filled_destinations();
        let cap = self.opts.max_statement_bytes.max(1024);
        let mut dest_rows: BTreeMap<String, u64> = BTreeMap::new();
        let mut batchers: HashMap<String, InsertBatcher> = HashMap::new();
        if let Some(o) = out.as_deref_mut() {
            o.write(
                format!(
                    "-- Magento 2 database written by m1tom2 {}\n",
                    env!("CARGO_PKG_VERSION")
                )
                .as_bytes(),
            )?;
            o.write(HEADER.as_bytes())?;
            for t in &self.baseline.tables {
                let mut s = Vec::new();
                s.extend_from_slice(b"\nDROP TABLE IF EXISTS ");
                sql::push_ident(&mut s, &t.name);
                s.extend_from_slice(b";\n");
                s.extend_from_slice(&t.create);
                s.extend_from_slice(b";\n");
                o.write(&s)?;
            }
            o.write(b"\n")?;
            for t in &self.baseline.tables {
                if filled.contains(&t.bare) {
                    continue;
                }
                let n = write_baseline_rows(t, cap, o)?;
                dest_rows.insert(t.name.clone(), n);
            }
        }
        for t in &self.baseline.tables {
            if let Some(Disposition::Migrate(p)) = self
                .plan
                .tables
                .values()
                .find(|d| matches!(d, Disposition::Migrate(p) if p.dest == t.bare))
            {
                let mut head = Vec::new();
                sql::push_insert_head(&mut head, &t.name, Some(&p.columns));
                batchers.insert(t.bare.clone(), InsertBatcher::new(head, cap));
            }
            for d in self.plan.tables.values() {
                if let Disposition::Migrate(p) = d {
                    for e in p.emits.iter().filter(|e| e.dest == t.bare) {
                        let mut head = Vec::new();
                        sql::push_insert_head(&mut head, &t.name, Some(&e.columns));
                        batchers
                            .entry(t.bare.clone())
                            .or_insert_with(|| InsertBatcher::new(head, cap));
                    }
                }
            }
            if filled.contains(&t.bare) {
                dest_rows.insert(t.name.clone(), 0);
            }
        }
        let render = out.is_some();
        let mut src_rows: HashMap<String, u64> = HashMap::new();
        let mut warnings = Warnings::default();
        let mut children: Vec<HashSet<Vec<u8>>> = vec![HashSet::new(); self.fks.children.len()];
        let mut keys: Vec<HashSet<Vec<u8>>> = vec![HashSet::new(); self.fks.keys.len()];
        self.source.for_each(
            self.opts.threads,
            |st| self.convert_statement(st, render),
            |st, c| {
                progress(st.offset + st.text.len() as u64);
                let Some(table) = c.table else { return Ok(()) };
                *src_rows.entry(table).or_default() += c.rows;
                warnings.merge(c.warnings);
                for (i, s) in c.fk_children {
                    children[i].extend(s);
                }
                for (i, s) in c.fk_keys {
                    keys[i].extend(s);
                }
                if let Some(o) = out.as_deref_mut() {
                    for r in &c.out {
                        let name = self.dest_name(&r.dest).to_string();
                        let Some(b) = batchers.get_mut(&r.dest) else {
                            continue;
                        };
                        for row in r.rows() {
                            b.push(row, o)?;
                        }
                        *dest_rows.entry(name).or_default() += r.ends.len() as u64;
                    }
                }
                Ok(())
            },
        )?;
        if let Some(o) = out {
            let mut names: Vec<&String> = batchers.keys().collect();
            names.sort();
            let names: Vec<String> = names.into_iter().cloned().collect();
            for n in names {
                if let Some(b) = batchers.get_mut(&n) {
                    b.flush(o)?;
                }
            }
            for obj in &self.baseline.objects {
                o.write(b"\nDELIMITER ;;\n")?;
                o.write(obj)?;
                o.write(b";;\nDELIMITER ;\n")?;
            }
            o.write(b"\n")?;
            o.write(FOOTER.as_bytes())?;
        }
        // The report.
        let mut tables = Vec::new();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for t in &self.tables {
            seen.insert(&t.name);
            let n = src_rows.get(&t.name).copied().unwrap_or(0);
            let (dest, written, reason) = match self.plan.tables.get(&t.bare) {
                Some(Disposition::Migrate(p)) => {
                    (Some(self.dest_name(&p.dest).to_string()), n, None)
                }
                Some(Disposition::Ignored) => (None, 0, Some("ignored by the maps".to_string())),
                Some(Disposition::Deferred(step)) => (None, 0, Some(format!("deferred to {step}"))),
                Some(Disposition::Unmapped) | None => {
                    (None, 0, Some("not mapped; dropped by --auto".to_string()))
                }
            };
            if let Some(Disposition::Migrate(p)) = self.plan.tables.get(&t.bare) {
                for f in &p.auto_dropped {
                    warnings.add(&t.name, f, "unmapped field dropped by --auto", n);
                }
            }
            tables.push(TableReport {
                source: t.name.clone(),
                destination: dest,
                source_rows: n,
                written_rows: written,
                dropped_rows: n - written,
                reason,
            });
        }
        let mut extra: Vec<(&String, &u64)> = src_rows
            .iter()
            .filter(|(k, _)| !seen.contains(k.as_str()))
            .collect();
        extra.sort();
        for (name, &n) in extra {
            tables.push(TableReport {
                source: name.clone(),
                destination: None,
                source_rows: n,
                written_rows: 0,
                dropped_rows: n,
                reason: Some("the source dump has rows but no CREATE TABLE for it".into()),
            });
        }
        let mut orphans = Vec::new();
        for (i, (_, _, key, desc)) in self.fks.children.iter().enumerate() {
            let mut missing: Vec<String> = children[i]
                .iter()
                .filter(|v| !keys[*key].contains(*v))
                .map(|v| String::from_utf8_lossy(v).into_owned())
                .collect();
            if !missing.is_empty() {
                missing.sort_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
                orphans.push((desc.clone(), missing));
            }
        }
        let mut warn_lines = warnings.lines();
        for (desc, ids) in &orphans {
            let shown: Vec<&str> = ids.iter().take(20).map(String::as_str).collect();
            warn_lines.push(format!(
                "orphans under {desc}: {} ids without a parent row: {}{}",
                ids.len(),
                shown.join(", "),
                if ids.len() > 20 { ", …" } else { "" }
            ));
        }
        let destinations = if render {
            self.baseline
                .tables
                .iter()
                .map(|t| DestinationReport {
                    name: t.name.clone(),
                    output_rows: dest_rows.get(&t.name).copied().unwrap_or(0),
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(Outcome {
            report: Report {
                format_version: 1,
                tables,
                destinations,
                warnings: warn_lines,
            },
            orphans,
        })
    }
}

fn write_baseline_rows(t: &baseline::BaseTable, cap: usize, o: &mut Output) -> Result<u64> {
    let mut n = 0;
    let mut batcher: Option<InsertBatcher> = None;
    let mut buf = Vec::new();
    let mut row = Vec::new();
    for text in &t.inserts {
        let bad = |e: StatementError| {
            Error::Config(format!("baseline table `{}`: {}", t.name, e.message))
        };
        let ins = Insert::parse(text).map_err(bad)?;
        let b = batcher.get_or_insert_with(|| {
            let mut head = Vec::new();
            sql::push_insert_head(&mut head, &t.name, ins.columns.as_deref());
            InsertBatcher::new(head, cap)
        });
        let mut rows = ins.rows();
        while rows.next_into(&mut buf).map_err(bad)? {
            row.clear();
            sql::push_row(&mut row, &buf);
            b.push(&row, o)?;
            n += 1;
        }
    }
    if let Some(mut b) = batcher {
        b.flush(o)?;
    }
    Ok(n)
}

/// Reads `path` as a dump (for paths given on the command line).
pub fn open(path: &Path) -> Result<Dump> {
    Dump::open(path)
}
