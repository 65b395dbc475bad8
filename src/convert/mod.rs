//! `m1tom2 data` and `m1tom2 check`: the conversion pipeline.
//!
//! 1. The maps are loaded and compiled; the Magento 2 baseline is read.
//! 2. A first pass over the source reads every `CREATE TABLE` and keeps the
//!    statements of the few small tables handlers look things up in.
//! 3. Plans are built for every source table; integrity problems stop here.
//! 4. A second pass transforms rows in parallel (rayon), in input order, and
//!    writes them, batched, behind the baseline's schema.

pub mod baseline;
pub mod cleanup;
pub mod customer;
pub mod fit;
pub mod integrity;
pub mod plan;
pub mod row;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use crate::dump::source::RELEASE_STEP;
use crate::dump::{Dump, Insert, Kind, Statement, Value, facts, insert_head_len};
use crate::error::{Error, Result, StatementError};
use crate::map::MapFile;
use crate::map::class_map::ClassMap;
use crate::map::handler::{Attribute, Context};
use crate::map::idmap::IdMap;
use crate::map::rules::Rules;
use crate::report::{DestinationReport, Report, TableReport, Warnings};
use crate::schema::{Alteration, Table, parse_alter_table, parse_create_table};
use crate::steps::settings;
use crate::steps::{Accounting, Rows, StepResult};
use crate::transform::crypt::{M1Key, M2Key};
use crate::write::output::{InsertBatcher, Output, Stream, push_in_row_order};
use crate::write::sql;
use baseline::Baseline;
use cleanup::{CleanVerdict, Cleanup, SetIndex};
use customer::{Password, StaticRoute};
use integrity::{Fk, FkSets, KeySet, Keys, RowChecks, Verdict};
use plan::{Disposition, EmitKind, Plan, Problem, TablePlan};
use row::{Cell, Piece, SrcRow, render_pieces, render_row};
use std::sync::Arc;

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
    /// The zone of the source's TIMESTAMP values when the dump sets none.
    pub source_time_zone: Option<String>,
    /// Worker threads.
    pub threads: usize,
    /// Drop unmapped data instead of refusing.
    pub auto: bool,
    /// Largest INSERT statement written, in bytes.
    pub max_statement_bytes: usize,
    /// Keep rows that break a destination foreign key (default: drop them).
    pub keep_orphans: bool,
    /// The Magento 1 and Magento 2 keys, for re-encrypting credentials.
    pub crypt: Option<(M1Key, M2Key)>,
    /// Extra settings rule files (the format of `maps/settings.toml`),
    /// applied after the built-in rules.
    pub settings_maps: Vec<PathBuf>,
    /// Migrate only settings and stores (`m1tom2 settings`): every other
    /// source table is left for `data`, and the baseline's rows stay.
    pub settings_only: bool,
    /// Where a gzip source's first read keeps its decompressed bytes for
    /// the later reads, room permitting (None: decompressed on every read).
    pub spool_dir: Option<PathBuf>,
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
            source_time_zone: None,
            threads: 1,
            auto: false,
            max_statement_bytes: 1 << 20,
            keep_orphans: false,
            crypt: None,
            settings_maps: Vec::new(),
            settings_only: false,
            spool_dir: None,
        }
    }
}

/// The settings rules: the built-in ones (unless turned off) and the files
/// the options name.
pub fn load_settings_rules(opts: &Options) -> Result<settings::Rules> {
    let mut rules = if opts.builtin_maps {
        settings::Rules::builtin().map_err(|e| Error::Config(e.to_string()))?
    } else {
        settings::Rules::default()
    };
    for path in &opts.settings_maps {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        rules
            .add(&path.display().to_string(), &text)
            .map_err(|e| Error::Config(e.to_string()))?;
    }
    Ok(rules)
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

/// A schema statement of the source, read on the pool in the first pass.
enum Schema {
    Create(Table),
    Alter(Alteration),
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
    STEP_TABLES
        .iter()
        .chain(&crate::steps::eav::TABLES)
        .chain(crate::steps::stores::TABLES.iter().map(|(m1, _)| m1))
        .chain(&[
            "eav_attribute",
            "eav_entity_type",
            "core_config_data",
            "catalog_product_entity_media_gallery",
            "core_website",
            "core_store_group",
            "sales_flat_quote_item",
            "catalog_product_bundle_option",
            "catalog_product_bundle_selection",
            // Entity → attribute set, for the set-membership clean-up.
            "catalog_product_entity",
            "catalog_category_entity",
        ])
        .map(|s| s.to_string())
        .collect()
}

/// Large tables kept only for lookups, with the columns those lookups read
/// (the attribute set clean-up, the media gallery and quote item handlers): a
/// streamed input keeps just these columns of their rows between the passes.
/// A table a map's handler names as a parameter is kept whole.
fn lookup_columns(rules: &Rules) -> Vec<(&'static str, [&'static str; 2])> {
    let named = |t: &str| {
        rules
            .source
            .all_transforms()
            .chain(rules.destination.all_transforms())
            .any(|tr| tr.params.values().any(|v| v == t))
    };
    [
        ("sales_flat_quote_item", ["item_id", "store_id"]),
        (
            "catalog_product_entity_media_gallery",
            ["value_id", "entity_id"],
        ),
        ("catalog_product_entity", ["entity_id", "attribute_set_id"]),
        ("catalog_category_entity", ["entity_id", "attribute_set_id"]),
    ]
    .into_iter()
    .filter(|(t, _)| !named(t))
    .collect()
}

/// An INSERT of `table` holding only `cols` of each row (`None` when the
/// table lacks one of them or the statement does not parse: the caller keeps
/// the statement whole, and the row pass reports what is wrong with it).
fn compact_insert(text: &[u8], name: &str, table: &Table, cols: &[&str]) -> Option<Vec<u8>> {
    let idx: Vec<usize> = cols
        .iter()
        .map(|c| table.column_index(c))
        .collect::<Option<_>>()?;
    let names: Vec<String> = cols.iter().map(|c| c.to_string()).collect();
    let mut out = Vec::new();
    sql::push_insert_head(&mut out, name, Some(&names));
    let mut picked = Vec::new();
    let mut first = true;
    statement_rows(text, table, |row| {
        picked.clear();
        picked.extend(idx.iter().map(|&i| row.get(i).unwrap_or(Value::Null)));
        if !first {
            out.push(b',');
        }
        first = false;
        sql::push_row(&mut out, &picked);
    })
    .ok()?;
    Some(out)
}

/// The destination of a source table a step migrates.
fn step_destination(bare: &str) -> &str {
    match bare {
        "core_website" => "store_website",
        "core_store_group" => "store_group",
        "core_store" => "store",
        other => other,
    }
}

/// Source tables the steps read whole (all small: settings, stores, EAV
/// metadata), besides the stores and EAV steps' own.
const STEP_TABLES: &[&str] = &[
    "core_config_data",
    "customer_eav_attribute_website",
    "eav_attribute_option",
    "eav_attribute_option_value",
    "eav_attribute_label",
    "customer_form_attribute",
    "eav_form_type",
    "eav_form_type_entity",
    "eav_form_fieldset",
    "eav_form_fieldset_label",
    "eav_form_element",
];

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
    /// The destination's foreign keys.
    out_fks: Vec<Fk>,
    /// Key sets of the referenced columns, as the output will hold them.
    keys: Keys,
    /// Row checks per source table: the main destination, then each emit.
    checks: HashMap<String, Vec<RowChecks>>,
    /// Destination tables the steps computed (bare name → rows); they replace
    /// the baseline's rows.
    step_tables: BTreeMap<String, Rows>,
    /// What the steps did with each source table they read (bare name).
    step_accounts: BTreeMap<String, Accounting>,
    /// The steps' findings.
    step_warnings: Vec<String>,
    /// Customer value tables (bare name) whose static attributes go to entity columns.
    routes: HashMap<String, StaticRoute>,
    /// Per entity of [`customer::ENTITIES`], the columns values go to, by slot.
    statics: Vec<Vec<String>>,
    /// Entity tables written joined with their static values (bare name →
    /// entity index, position of `entity_id` among the plan's columns).
    joined: HashMap<String, (usize, usize)>,
    /// Per entity and slot: the stand-in of a static column that must have a
    /// value (an SQL literal), written where no value was found.
    fallbacks: Vec<Vec<Option<String>>>,
    /// EAV clean-ups by source table (bare name).
    cleanups: HashMap<String, Cleanup>,
    /// The source table prefix.
    pub prefix: Option<String>,
    /// Offset of each source table's last INSERT (table name as written).
    last_insert: HashMap<String, u64>,
}

impl Session {
    /// Reads the maps, the baseline and the source's schema, and plans every table.
    pub fn prepare(opts: Options) -> Result<Session> {
        if opts.source.as_os_str() == "-" && opts.target.as_os_str() == "-" {
            return Err(Error::Config(
                "the source and the baseline cannot both be standard input (-)".into(),
            ));
        }
        // A zone the option cannot name stops the run before any dump is read.
        let given_zone = match &opts.source_time_zone {
            Some(z) => Some(fit::Zone::parse(z).ok_or_else(|| {
                Error::Config(format!(
                    "--source-time-zone {z}: not a time zone (a tz database name such as Europe/Berlin, or an offset such as +02:00)"
                ))
            })?),
            None => None,
        };
        let (rules, classes) = load_maps(&opts)?;
        let settings_rules = load_settings_rules(&opts)?;
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
        let mut source = Dump::open(&opts.source)?;
        if let Some(dir) = &opts.spool_dir {
            source.spool_in(dir.clone());
        }
        if source.source().is_stdin() && opts.spool_dir.is_none() {
            return Err(Error::Config(
                "the source is read three times: standard input is kept in a temporary file for the later reads, which --no-spool turns off; leave it out, or give the dump as a file".into(),
            ));
        }
        let candidates = lookup_candidates(&rules);
        let compact = lookup_columns(&rules);
        // Pass 1: schema, lookup statements, and tables emptied after their rows.
        let mut tables: Vec<(String, Table)> = Vec::new();
        let mut kept: HashMap<String, Vec<Kept>> = HashMap::new();
        let mut with_rows: HashSet<String> = HashSet::new();
        let mut last_insert: HashMap<String, u64> = HashMap::new();
        // The session time zone the dump's TIMESTAMP values are written in.
        let mut source_zone: Option<String> = None;
        let mapped = source.source().mapped().is_some();
        let src_name = source.source().name().to_string();
        source.for_each_run(
            opts.threads,
            insert_head_len,
            |run| {
                let st = &run[0];
                let c = st.classify();
                Ok(match c.kind {
                    Kind::CreateTable => {
                        let t = parse_create_table(st.text).map_err(|e| (0, e))?;
                        (c, Some(Schema::Create(t)))
                    }
                    Kind::AlterTable => {
                        let a = parse_alter_table(st.text).map_err(|e| (0, e))?;
                        (c, (!a.is_empty()).then_some(Schema::Alter(a)))
                    }
                    _ => (c, None),
                })
            },
            |run, (c, schema)| {
                // A run holds INSERTs into one table, or one statement.
                let (Some(st), Some(last)) = (run.first(), run.last()) else {
                    return Ok(());
                };
                match c.kind {
                    Kind::CreateTable => {
                        if let Some(Schema::Create(t)) = schema {
                            if with_rows.contains(&t.name) {
                                return Err(reset_error(&src_name, st, &t.name));
                            }
                            match tables.iter_mut().find(|(n, _)| *n == t.name) {
                                Some(e) => e.1 = t,
                                None => tables.push((t.name.clone(), t)),
                            }
                        }
                    }
                    // Keys declared after the data (phpMyAdmin) belong to the
                    // table all the same.
                    Kind::AlterTable => {
                        if let Some(Schema::Alter(a)) = schema
                            && let Some((_, t)) = tables.iter_mut().find(|(n, _)| *n == a.table)
                        {
                            a.apply(t);
                        }
                    }
                    k if k.is_insert() => {
                        if let Some(t) = c.table() {
                            with_rows.insert(t.to_string());
                            last_insert.insert(t.to_string(), last.offset);
                            if candidates.iter().any(|cand| t.ends_with(cand.as_str())) {
                                for st in run {
                                    let k = if mapped {
                                        Kept::Range(st.offset, st.text.len())
                                    } else {
                                        // A stream is not read again: the statement is
                                        // kept, with only the columns lookups read when
                                        // that is all they need.
                                        let compacted = compact
                                            .iter()
                                            .find(|(cand, _)| t.ends_with(cand))
                                            .zip(tables.iter().find(|(n, _)| n == t))
                                            .and_then(|((_, cols), (_, table))| {
                                                compact_insert(st.text, t, table, cols)
                                            });
                                        Kept::Owned(compacted.unwrap_or_else(|| st.text.to_vec()))
                                    };
                                    kept.entry(t.to_string()).or_default().push(k);
                                }
                            }
                        }
                    }
                    Kind::Set if source_zone.is_none() => {
                        source_zone = facts::time_zone_set(st.text);
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
        if source.source().is_stdin() && source.source().mapped().is_none() {
            let dir = opts.spool_dir.as_deref().unwrap_or(Path::new("."));
            return Err(Error::Config(format!(
                "the source is read three times, and standard input could not be kept for the later reads in {}: a file system in memory, or less room than the dump needs plus 1 GiB; give --spool-dir on a disk with room, or the dump as a file",
                dir.display()
            )));
        }
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
        let mut ctx = build_context(&source, &tables, &kept, &plan, classes)?;
        ctx.crypt = opts.crypt.clone();
        let fks = FkIndex::new(&tables);
        let out_fks = integrity::foreign_keys(&baseline);
        let mut session = Session {
            opts,
            source,
            baseline,
            tables,
            by_name,
            plan,
            ctx,
            fks,
            out_fks,
            keys: Keys::new(),
            checks: HashMap::new(),
            step_tables: BTreeMap::new(),
            step_accounts: BTreeMap::new(),
            step_warnings: Vec::new(),
            routes: HashMap::new(),
            statics: vec![Vec::new(); customer::ENTITIES.len()],
            joined: HashMap::new(),
            fallbacks: Vec::new(),
            cleanups: HashMap::new(),
            prefix,
            last_insert,
        };
        if !session.opts.settings_only {
            session.setup_customers();
        }
        session.run_steps(&kept, &settings_rules)?;
        if session.opts.settings_only {
            session.leave_for_data();
        } else {
            session.setup_cleanups(&kept)?;
        }
        session.gather_keys()?;
        for set in session.keys.values_mut() {
            set.index();
        }
        session.settle_time_zone(source_zone.as_deref(), given_zone, &with_rows);
        Ok(session)
    }

    /// The zone of the source's TIMESTAMP values: the one the dump sets,
    /// else `--source-time-zone`. The import file reads them as UTC (its
    /// `SET TIME_ZONE='+00:00'`, which the baseline's rows need), so values of
    /// another zone are moved to UTC (cells from a TIMESTAMP column into a
    /// TIMESTAMP column), and values of no known zone are warned of: they
    /// would move by the dumping server's offset. mysqldump writes them in
    /// UTC (`--tz-utc`, its default); SQLyog writes them in the server's zone
    /// and says nothing.
    fn settle_time_zone(
        &mut self,
        stated: Option<&str>,
        given: Option<fit::Zone>,
        with_rows: &HashSet<String>,
    ) {
        // `SYSTEM` names no zone: the option says which it was.
        let (zone, name, from) = match stated.and_then(|z| Some((fit::Zone::parse(z)?, z))) {
            Some((z, name)) => (Some(z), name.to_string(), "the dump sets"),
            None => (
                given,
                self.opts.source_time_zone.clone().unwrap_or_default(),
                "--source-time-zone gives",
            ),
        };
        if zone.is_some_and(fit::Zone::is_utc) {
            return;
        }
        let is_stamp = |c: &crate::schema::Column| c.base_type == "timestamp";
        let stamped: Vec<&str> = self
            .tables
            .iter()
            .filter(|t| with_rows.contains(&t.name))
            .filter(|t| matches!(self.plan.tables.get(&t.bare), Some(Disposition::Migrate(_))))
            .filter(|t| t.table.columns.iter().any(is_stamp))
            .map(|t| t.bare.as_str())
            .collect();
        let Some(first) = stamped.first() else {
            return;
        };
        let n = stamped.len();
        let Some(zone) = zone else {
            let said = match stated {
                Some(z) => format!("the dump writes them in time zone {z}"),
                None => {
                    "the dump does not say in which time zone it writes them (it sets no time_zone)"
                        .to_string()
                }
            };
            self.step_warnings.push(format!(
                "{}{n} migrated tables ({first}, …): {said}, and the import file reads them as UTC, so they move by that zone's offset from UTC unless it was UTC; give the dumping server's zone with --source-time-zone, or use a mysqldump of the store (which writes them in UTC)",
                fit::ZONE_NOTE
            ));
            return;
        };
        self.step_warnings.push(format!(
            "{}{n} migrated tables ({first}, …) are written in UTC, from time zone {name} ({from})",
            fit::ZONE_NOTE
        ));
        for t in &self.tables {
            let Some(Disposition::Migrate(p)) = self.plan.tables.get_mut(&t.bare) else {
                continue;
            };
            let Some(dest) = self.baseline.tables.iter().find(|b| b.bare == p.dest) else {
                continue;
            };
            for (ci, cp) in p.cells.iter().enumerate() {
                let src_col = cp.source.and_then(|s| t.table.columns.get(s));
                let dest_col = p.columns.get(ci).and_then(|n| {
                    dest.table
                        .column_index(n)
                        .and_then(|i| dest.table.columns.get(i))
                });
                if !cp.handlers.is_empty()
                    || cp.implicit.is_some()
                    || !src_col.is_some_and(is_stamp)
                    || !dest_col.is_some_and(is_stamp)
                {
                    continue;
                }
                match p.fits.iter_mut().find(|(c, _)| *c == ci) {
                    Some((_, f)) => f.to_utc = Some(zone),
                    None => p.fits.push((
                        ci,
                        fit::Fit {
                            to_utc: Some(zone),
                            ..fit::Fit::default()
                        },
                    )),
                }
            }
            p.fits.sort_by_key(|(ci, _)| *ci);
        }
    }

    /// The integrity problems found.
    pub fn problems(&self) -> &[Problem] {
        &self.plan.problems
    }

    /// A source table's rows (all columns), when the first pass kept them.
    fn source_rows(&self, kept: &HashMap<String, Vec<Kept>>, bare: &str) -> Result<Option<Rows>> {
        let Some(t) = self.tables.iter().find(|t| t.bare == bare) else {
            return Ok(None);
        };
        let cols: Vec<&str> = t.table.columns.iter().map(|c| c.name.as_str()).collect();
        let rows = kept_rows(
            &self.source,
            t,
            kept.get(&t.name).map_or(&[], Vec::as_slice),
            &cols,
        )?;
        Ok(Some(Rows {
            columns: cols.iter().map(|c| c.to_string()).collect(),
            rows,
        }))
    }

    /// A baseline table's rows (all columns).
    fn baseline_rows(&self, bare: &str) -> Result<Option<Rows>> {
        let Some(t) = self.baseline.tables.iter().find(|t| t.bare == bare) else {
            return Ok(None);
        };
        let cols: Vec<String> = t.table.columns.iter().map(|c| c.name.clone()).collect();
        let mut rows = Vec::new();
        each_baseline_row(t, |row| {
            rows.push(
                (0..cols.len())
                    .map(|i| row.bytes(i).map(|b| b.into_owned()))
                    .collect(),
            );
        })?;
        Ok(Some(Rows {
            columns: cols,
            rows,
        }))
    }

    /// Takes a step's result: its tables replace the baseline's rows, and the
    /// source tables it read are its own from now on.
    fn take_step(&mut self, step: &str, result: StepResult) {
        for (dest, rows) in result.tables {
            self.step_tables.insert(dest, rows);
        }
        for a in result.accounting {
            self.plan
                .tables
                .insert(a.source.clone(), Disposition::Step(step.to_string()));
            self.step_accounts.insert(a.source.clone(), a);
        }
        self.step_warnings.extend(result.warnings);
    }

    /// Runs the identity steps on the tables the first pass kept.
    fn run_steps(
        &mut self,
        kept: &HashMap<String, Vec<Kept>>,
        settings_rules: &settings::Rules,
    ) -> Result<()> {
        let models: BTreeMap<String, Table> = self
            .baseline
            .tables
            .iter()
            .map(|t| (t.bare.clone(), t.table.clone()))
            .collect();
        // Configuration.
        if matches!(
            self.plan.tables.get("core_config_data"),
            Some(Disposition::Deferred(_))
        ) && let (Some(m1), Some(m2)) = (
            self.source_rows(kept, "core_config_data")?,
            self.baseline_rows("core_config_data")?,
        ) {
            let result = settings::migrate(&settings::Input {
                m1: &m1,
                m2: &m2,
                rules: settings_rules,
                crypt: self.ctx.crypt.as_ref(),
            });
            self.take_step("settings", result);
        }
        // Websites, groups and store views.
        let mut m1 = BTreeMap::new();
        for (name, _) in crate::steps::stores::TABLES {
            if matches!(self.plan.tables.get(name), Some(Disposition::Deferred(_)))
                && let Some(r) = self.source_rows(kept, name)?
            {
                m1.insert(name.to_string(), r);
            }
        }
        if !m1.is_empty() {
            let result =
                crate::steps::stores::migrate(&|n| m1.get(n).cloned(), &|n| models.get(n).cloned());
            self.take_step("stores", result);
        }
        if self.opts.settings_only {
            return Ok(());
        }
        // The EAV merge, when the baseline has Magento 2's EAV tables.
        if self
            .baseline
            .tables
            .iter()
            .any(|t| t.bare == "eav_entity_type")
            && self.tables.iter().any(|t| t.bare == "eav_entity_type")
        {
            let mut m1 = BTreeMap::new();
            let mut m2 = BTreeMap::new();
            for name in crate::steps::eav::TABLES {
                if let Some(r) = self.source_rows(kept, name)? {
                    m1.insert(name.to_string(), r);
                }
                if let Some(r) = self.baseline_rows(name)? {
                    m2.insert(name.to_string(), r);
                }
            }
            let result = crate::steps::eav::merge(&crate::steps::eav::Input {
                m1: &|n| m1.get(n).cloned(),
                m2: &|n| m2.get(n).cloned(),
                m2_table: &|n| models.get(n).cloned(),
                classes: &self.ctx.class_map,
            });
            self.take_step("eav", result);
        }
        Ok(())
    }

    /// `m1tom2 settings`: every source table no step took is left for `data`
    /// (its rows reported as such), and nothing is refused for tables
    /// `settings` does not migrate.
    fn leave_for_data(&mut self) {
        for d in self.plan.tables.values_mut() {
            if !matches!(d, Disposition::Step(_)) {
                *d = Disposition::Deferred("data (not part of `m1tom2 settings`)".into());
            }
        }
        self.plan.problems.clear();
    }

    /// Plans the EAV clean-ups of the catalog value tables and category links,
    /// from the merged EAV tables.
    fn setup_cleanups(&mut self, kept: &HashMap<String, Vec<Kept>>) -> Result<()> {
        let (Some(attrs), Some(types)) = (
            self.step_tables.get("eav_attribute"),
            self.step_tables.get("eav_entity_type"),
        ) else {
            return Ok(());
        };
        let members = self
            .step_tables
            .get("eav_entity_attribute")
            .map(SetIndex::members_of);
        let mut cleanups = HashMap::new();
        for entity in ["catalog_product", "catalog_category"] {
            let Some(type_id) = types
                .rows
                .iter()
                .find(|r| types.get(r, "entity_type_code") == Some(entity.as_bytes()))
                .and_then(|r| types.get(r, "entity_type_id"))
            else {
                continue;
            };
            // Merged attributes of the entity type: id → backend type, code.
            let merged: HashMap<Vec<u8>, (Vec<u8>, Vec<u8>)> = attrs
                .rows
                .iter()
                .filter(|r| attrs.get(r, "entity_type_id") == Some(type_id))
                .filter_map(|r| {
                    Some((
                        attrs.get(r, "attribute_id")?.to_vec(),
                        (
                            attrs.get(r, "backend_type").unwrap_or_default().to_vec(),
                            attrs.get(r, "attribute_code").unwrap_or_default().to_vec(),
                        ),
                    ))
                })
                .collect();
            // The source's attributes of the entity type.
            let source_ids: Vec<Vec<u8>> = self
                .ctx
                .attributes
                .iter()
                .filter(|(_, a)| a.entity_type == entity)
                .map(|(id, _)| id.clone())
                .collect();
            let table = format!("{entity}_entity");
            let sets = match (&members, self.tables.iter().find(|t| t.bare == table)) {
                (Some(m), Some(t)) => {
                    let mut entity_set = IdMap::default();
                    each_kept_row(
                        &self.source,
                        t,
                        kept.get(&t.name).map_or(&[], Vec::as_slice),
                        &["entity_id", "attribute_set_id"],
                        |r| {
                            if let [Some(e), Some(s)] = r {
                                entity_set.insert(e, Some(s));
                            }
                        },
                    )?;
                    entity_set.compact();
                    Some(Arc::new(SetIndex {
                        entity_set,
                        members: m.clone(),
                    }))
                }
                _ => None,
            };
            let varchar = format!("{table}_varchar");
            for vt in ["varchar", "int", "decimal", "text", "datetime"] {
                let bare = format!("{table}_{vt}");
                let Some(p) = self.migrate_plan(&bare) else {
                    continue;
                };
                let Some(src) = self.tables.iter().find(|t| t.bare == bare) else {
                    continue;
                };
                let Some(key_col) = src.table.column_index("attribute_id") else {
                    continue;
                };
                let mut drop = HashMap::new();
                let mut to_varchar = HashSet::new();
                for id in &source_ids {
                    match merged.get(id) {
                        None => {
                            drop.insert(id.clone(), cleanup::reason::GONE);
                        }
                        Some((backend, _)) if backend == b"static" => {
                            drop.insert(id.clone(), cleanup::reason::STATIC);
                        }
                        Some((_, code)) if entity == "catalog_product" && code == b"url_path" => {
                            drop.insert(id.clone(), cleanup::reason::URL_PATH);
                        }
                        Some((backend, _)) if vt == "text" && backend == b"varchar" => {
                            to_varchar.insert(id.clone());
                        }
                        Some(_) => {}
                    }
                }
                // Values move only when both tables carry the same columns.
                let varchar_dest = (!to_varchar.is_empty())
                    .then(|| self.migrate_plan(&varchar))
                    .flatten()
                    .filter(|vp| vp.columns == p.columns)
                    .map(|vp| vp.dest.clone());
                cleanups.insert(
                    bare,
                    Cleanup {
                        key_col,
                        drop,
                        to_varchar,
                        varchar_dest,
                        sets: sets
                            .clone()
                            .zip(src.table.column_index("entity_id"))
                            .map(|(s, c)| (c, s)),
                        value_col: src.table.column_index("value"),
                    },
                );
            }
        }
        if self.migrate_plan("catalog_category_product").is_some()
            && let Some(src) = self
                .tables
                .iter()
                .find(|t| t.bare == "catalog_category_product")
            && let Some(key_col) = src.table.column_index("category_id")
        {
            cleanups.insert(
                "catalog_category_product".to_string(),
                Cleanup {
                    key_col,
                    drop: [(b"1".to_vec(), cleanup::reason::ROOT_LINK)]
                        .into_iter()
                        .collect(),
                    to_varchar: HashSet::new(),
                    varchar_dest: None,
                    sets: None,
                    value_col: None,
                },
            );
        }
        self.cleanups = cleanups;
        Ok(())
    }

    /// Plans the customer tables: entity and value tables go to their
    /// Magento 2 namesakes, and the values of the attributes Magento 2 keeps as
    /// entity columns are routed to those columns.
    fn setup_customers(&mut self) {
        let find_dest = |bare: &str| self.baseline.tables.iter().find(|t| t.bare == bare);
        let mut plans: Vec<(String, TablePlan)> = Vec::new();
        let mut routes = HashMap::new();
        let mut staged = vec![Vec::new(); customer::ENTITIES.len()];
        for (ei, (entity, type_code)) in customer::ENTITIES.iter().enumerate() {
            let (Some(dest), Some(src)) = (
                find_dest(entity),
                self.tables.iter().find(|t| t.bare == *entity),
            ) else {
                continue;
            };
            if !matches!(
                self.plan.tables.get(*entity),
                Some(Disposition::Deferred(_))
            ) {
                continue;
            }
            plans.push((
                entity.to_string(),
                plan::same_name_plan(&src.table, entity, &dest.table),
            ));
            let statics = customer::static_columns(&dest.table, &src.table);
            let columns: HashMap<Vec<u8>, customer::StaticColumn> = self
                .ctx
                .attributes
                .iter()
                .filter(|(_, a)| a.entity_type == *type_code)
                .filter_map(|(id, a)| statics.get(&a.code).map(|c| (id.clone(), c.clone())))
                .collect();
            for vt in customer::VALUE_TYPES {
                let bare = format!("{entity}_{vt}");
                let (Some(vdest), Some(vsrc)) = (
                    find_dest(&bare),
                    self.tables.iter().find(|t| t.bare == bare),
                ) else {
                    continue;
                };
                if !matches!(self.plan.tables.get(&bare), Some(Disposition::Deferred(_))) {
                    continue;
                }
                plans.push((
                    bare.clone(),
                    plan::same_name_plan(&vsrc.table, &bare, &vdest.table),
                ));
                let cols = (
                    vsrc.table.column_index("attribute_id"),
                    vsrc.table.column_index("entity_id"),
                    vsrc.table.column_index("value"),
                );
                if let (Some(attr_col), Some(entity_col), Some(value_col)) = cols
                    && !columns.is_empty()
                {
                    for c in columns.values() {
                        if !staged[ei].contains(&c.name) {
                            staged[ei].push(c.name.clone());
                        }
                    }
                    routes.insert(
                        bare,
                        StaticRoute {
                            entity: ei as u8 + 1,
                            attr_col,
                            entity_col,
                            value_col,
                            columns: columns.clone(),
                        },
                    );
                }
            }
        }
        for cols in &mut staged {
            cols.sort();
        }
        for rt in routes.values_mut() {
            let cols = &staged[usize::from(rt.entity) - 1];
            for c in rt.columns.values_mut() {
                c.slot = cols.iter().position(|n| *n == c.name).unwrap_or(0) as u16;
            }
        }
        let mut joined = HashMap::new();
        let mut fallbacks = vec![Vec::new(); customer::ENTITIES.len()];
        for (ei, (entity, _)) in customer::ENTITIES.iter().enumerate() {
            if staged[ei].is_empty() {
                continue;
            }
            let Some((_, p)) = plans.iter_mut().find(|(b, _)| b == entity) else {
                continue;
            };
            // A static column the plan fills with a stand-in (NOT NULL, no
            // default) is written by the join: its value, or the stand-in.
            fallbacks[ei] = vec![None; staged[ei].len()];
            let mut k = 0;
            while k < p.columns.len() {
                match staged[ei].iter().position(|n| *n == p.columns[k]) {
                    Some(slot) => {
                        p.columns.remove(k);
                        fallbacks[ei][slot] = p.cells.remove(k).implicit;
                    }
                    None => k += 1,
                }
            }
            if let Some(id) = p.columns.iter().position(|c| c == "entity_id") {
                joined.insert(p.dest.clone(), (ei, id));
            }
        }
        self.joined = joined;
        self.fallbacks = fallbacks;
        for (bare, p) in plans {
            self.plan
                .tables
                .insert(bare, Disposition::Migrate(Box::new(p)));
        }
        self.routes = routes;
        self.statics = staged;
    }

    /// The plan of a migrated source table (bare name).
    fn migrate_plan(&self, bare: &str) -> Option<&TablePlan> {
        match self.plan.tables.get(bare) {
            Some(Disposition::Migrate(p)) => Some(p),
            _ => None,
        }
    }

    /// Fills the destination cells of one source row.
    fn fill_cells<'a>(
        &self,
        p: &'a TablePlan,
        row: &SrcRow<'_, 'a>,
        cells: &mut Vec<Cell<'a>>,
        warn: &mut dyn FnMut(&str, &'static str),
    ) {
        cells.clear();
        for (ci, cp) in p.cells.iter().enumerate() {
            if cp.handlers.is_empty() && cp.implicit.is_none() {
                // Most cells copy a source value: straight in, without
                // moving the value through a temporary.
                cells.push(row.cell(cp.source));
                continue;
            }
            cells.push(self.fill_one(p, ci, row, warn));
        }
    }

    /// Fills only the cells at `which` of one source row, in a `cells`
    /// already as long as the row (the others keep what they held).
    fn fill_at<'a>(
        &self,
        p: &'a TablePlan,
        row: &SrcRow<'_, 'a>,
        which: &[usize],
        cells: &mut [Cell<'a>],
        warn: &mut dyn FnMut(&str, &'static str),
    ) {
        for &ci in which {
            if let Some(c) = cells.get_mut(ci) {
                *c = self.fill_one(p, ci, row, warn);
            }
        }
    }

    /// The destination cell `ci` of one source row.
    fn fill_one<'a>(
        &self,
        p: &'a TablePlan,
        ci: usize,
        row: &SrcRow<'_, 'a>,
        warn: &mut dyn FnMut(&str, &'static str),
    ) -> Cell<'a> {
        let Some(cp) = p.cells.get(ci) else {
            return Cell::Null;
        };
        let mut cell = match (&cp.implicit, cp.source.and_then(|s| row.get(s))) {
            (Some(lit), _) => Cell::Sql(lit),
            (None, Some(v)) => Cell::Val(v),
            (None, None) => Cell::Null,
        };
        for h in &cp.handlers {
            let field = &p.columns[ci];
            h.apply(&mut cell, row, &self.ctx, &mut |m| warn(field, m));
        }
        cell
    }

    /// Fills only the cells at `which`, in `cells` sized to the plan's row
    /// once: the other cells keep what they held, so callers read only
    /// those at `which` (the keys pass: key and foreign-key columns; a
    /// verbatim row: the cells its runs do not copy).
    fn fill_some<'a>(
        &self,
        p: &'a TablePlan,
        row: &SrcRow<'_, 'a>,
        which: &[usize],
        cells: &mut Vec<Cell<'a>>,
        warn: &mut dyn FnMut(&str, &'static str),
    ) {
        if cells.len() != p.cells.len() {
            cells.clear();
            cells.resize(p.cells.len(), Cell::Null);
        }
        self.fill_at(p, row, which, cells, warn);
    }

    /// Gathers the key sets of every column a destination foreign key
    /// references, from the rows the output will hold, and the row checks.
    fn gather_keys(&mut self) -> Result<()> {
        let filled = self.plan.filled_destinations();
        let emitted: BTreeSet<&str> = self
            .plan
            .tables
            .values()
            .filter_map(|d| match d {
                Disposition::Migrate(p) => Some(p.emits.iter().map(|e| e.dest.as_str())),
                _ => None,
            })
            .flatten()
            .collect();
        let parents: BTreeSet<(String, String)> = self
            .out_fks
            .iter()
            .map(|f| (f.parent.clone(), f.parent_col.clone()))
            .collect();
        // The tables that get rows: the destinations of the dump's tables
        // with rows, the steps' tables, and the baseline's tables with rows.
        // A key set read from the dump is built only when one of them is
        // its child: no row is checked against the others.
        let mut receiving: BTreeSet<&str> = self.step_tables.keys().map(String::as_str).collect();
        receiving.extend(
            self.baseline
                .tables
                .iter()
                .filter(|t| !t.inserts.is_empty())
                .map(|t| t.bare.as_str()),
        );
        for t in &self.tables {
            if let (true, Some(Disposition::Migrate(p))) = (
                self.last_insert.contains_key(&t.name),
                self.plan.tables.get(&t.bare),
            ) {
                receiving.insert(&p.dest);
                receiving.extend(p.emits.iter().map(|e| e.dest.as_str()));
            }
        }
        let checked: BTreeSet<(&str, &str)> = self
            .out_fks
            .iter()
            .filter(|f| receiving.contains(f.child.as_str()))
            .map(|f| (f.parent.as_str(), f.parent_col.as_str()))
            .collect();
        let mut keys = Keys::new();
        // Source tables that feed a referenced column: bare name → (column index, key).
        let mut feeders: BTreeMap<String, Vec<Feed>> = BTreeMap::new();
        for (parent, col) in &parents {
            if emitted.contains(parent.as_str()) {
                continue;
            }
            if !filled.contains(parent) {
                if let Some(rows) = self.step_tables.get(parent) {
                    let mut set = KeySet::default();
                    if let Some(ci) = rows.col(col) {
                        for r in &rows.rows {
                            if let Some(Some(v)) = r.get(ci) {
                                set.insert(v);
                            }
                        }
                    }
                    keys.insert((parent.clone(), col.clone()), set);
                    continue;
                }
                let Some(t) = self.baseline.tables.iter().find(|t| t.bare == *parent) else {
                    continue;
                };
                // Its rows that refer to rows the migrated data replaced are
                // left out (see `write_baseline_rows`), and their keys with them.
                let gone_cols: Vec<usize> = self
                    .out_fks
                    .iter()
                    .filter(|f| f.child == t.bare && !f.set_null && filled.contains(&f.parent))
                    .filter_map(|f| t.table.column_index(&f.child_col))
                    .collect();
                keys.insert(
                    (parent.clone(), col.clone()),
                    baseline_keys(t, col, &gone_cols)?,
                );
                continue;
            }
            if !checked.contains(&(parent.as_str(), col.as_str())) {
                continue;
            }
            let sources: Vec<(String, Option<usize>)> = self
                .plan
                .tables
                .iter()
                .filter_map(|(bare, d)| match d {
                    Disposition::Migrate(p) if p.dest == *parent => Some((
                        bare.clone(),
                        p.columns.iter().position(|c| c.eq_ignore_ascii_case(col)),
                    )),
                    _ => None,
                })
                .collect();
            if sources.iter().any(|(_, c)| c.is_none()) {
                continue;
            }
            for (bare, c) in sources {
                if let Some(c) = c {
                    feeders
                        .entry(bare)
                        .or_default()
                        .push((c, (parent.clone(), col.clone())));
                }
            }
            keys.insert((parent.clone(), col.clone()), KeySet::default());
        }
        let fed: Vec<(String, String)> = feeders
            .values()
            .flat_map(|v| v.iter().map(|(_, k)| k.clone()))
            .collect();
        // Row checks against the keys known (fed keys included).
        let mut checks: HashMap<String, Vec<RowChecks>> = HashMap::new();
        for (bare, d) in &self.plan.tables {
            if let Disposition::Migrate(p) = d {
                let mut v = vec![RowChecks::new(&p.dest, &p.columns, &self.out_fks, &keys)];
                for e in &p.emits {
                    v.push(RowChecks::new(&e.dest, &e.columns, &self.out_fks, &keys));
                }
                checks.insert(bare.clone(), v);
            }
        }
        self.checks = checks;
        if feeders.is_empty() {
            self.keys = keys;
            return Ok(());
        }
        // Feeders that are children themselves can lose rows, and with them keys:
        // repeat until the key sets stop shrinking.
        // Keys of fixed parents (baseline, steps) are known now: the first round
        // already applies them. Only a drop under a key whose parent is itself
        // fed from the dump needs another round.
        let fed_set: BTreeSet<&(String, String)> = fed.iter().collect();
        let parent_is_fed = |fi: usize| {
            let f = &self.out_fks[fi];
            fed_set.contains(&(f.parent.clone(), f.parent_col.clone()))
        };
        let first_round: HashMap<String, RowChecks> = feeders
            .keys()
            .filter_map(|b| {
                let rc = &self.checks.get(b)?[0];
                Some((
                    b.clone(),
                    RowChecks {
                        checks: rc
                            .checks
                            .iter()
                            .copied()
                            .filter(|&(_, fi)| !parent_is_fed(fi))
                            .collect(),
                    },
                ))
            })
            .collect();
        let chained = feeders.keys().any(|b| {
            self.checks.get(b).is_some_and(|c| {
                c[0].checks
                    .iter()
                    .any(|&(_, fi)| parent_is_fed(fi) && !self.out_fks[fi].set_null)
            })
        });
        let mut previous: Option<Keys> = None;
        for _round in 0..16 {
            let mut next = keys.clone();
            let mut referenced: BTreeMap<usize, KeySet> = BTreeMap::new();
            let by_table: HashMap<&str, &Vec<Feed>> = self
                .tables
                .iter()
                .filter_map(|t| feeders.get(&t.bare).map(|f| (t.name.as_str(), f)))
                .collect();
            let prev = previous.as_ref();
            let fk_sets = FkSets::new(&self.out_fks, prev.unwrap_or(&keys));
            self.source.for_each_run(
                self.opts.threads,
                insert_head_len,
                |run| {
                    let st = &run[0];
                    let c = st.classify();
                    let mut found: Vec<((String, String), KeySet)> = Vec::new();
                    let mut refs: Vec<(usize, KeySet)> = Vec::new();
                    let Some(feeds) = c
                        .table()
                        .filter(|_| c.kind.is_insert())
                        .and_then(|t| by_table.get(t))
                    else {
                        return Ok((found, refs));
                    };
                    let ins = Insert::parse(st.text).map_err(|e| (0, e))?;
                    let Some(&ti) = self.by_name.get(&ins.table) else {
                        return Ok((found, refs));
                    };
                    let t = &self.tables[ti];
                    let Some(p) = self.migrate_plan(&t.bare) else {
                        return Ok((found, refs));
                    };
                    // In the first round, the values chained keys refer to: when
                    // the parents hold them all, no row goes and one round is enough.
                    let chained_checks: Vec<(usize, usize)> = match prev {
                        None => self
                            .checks
                            .get(&t.bare)
                            .map(|v| {
                                v[0].checks
                                    .iter()
                                    .copied()
                                    .filter(|&(_, fi)| {
                                        parent_is_fed(fi) && !self.out_fks[fi].set_null
                                    })
                                    .collect()
                            })
                            .unwrap_or_default(),
                        Some(_) => Vec::new(),
                    };
                    refs = chained_checks
                        .iter()
                        .map(|&(_, fi)| (fi, KeySet::default()))
                        .collect();
                    let pos = positions(&t.table, ins.columns.as_deref());
                    let rc = match prev {
                        Some(_) => self.checks.get(&t.bare).map(|v| &v[0]),
                        None => first_round.get(&t.bare),
                    };
                    let mut sets: Vec<KeySet> = vec![KeySet::default(); feeds.len()];
                    let mut which: Vec<usize> = feeds.iter().map(|(ci, _)| *ci).collect();
                    if let Some(rc) = rc {
                        which.extend(rc.checks.iter().map(|(ci, _)| *ci));
                    }
                    which.extend(chained_checks.iter().map(|(ci, _)| *ci));
                    which.sort_unstable();
                    which.dedup();
                    // The values up to the last one these cells read; all of
                    // them when a handler may read others.
                    let limit = if which.iter().any(|&ci| !p.cells[ci].handlers.is_empty()) {
                        usize::MAX
                    } else {
                        values_needed(&pos, which.iter().filter_map(|&ci| p.cells[ci].source))
                    };
                    let mut buf = Vec::new();
                    let mut cells = Vec::new();
                    for st in ins.rows_of_run(run) {
                        let (si, mut rows) = st?;
                        while rows.next_prefix(&mut buf, limit).map_err(|e| (si, e))? {
                            let row = SrcRow {
                                values: &buf,
                                positions: &pos,
                                spans: None,
                            };
                            self.fill_some(p, &row, &which, &mut cells, &mut |_, _| {});
                            if let Some(rc) = rc
                                && !rc.is_empty()
                                && !self.opts.keep_orphans
                            {
                                let verdict = rc.check(
                                    &self.out_fks,
                                    &fk_sets,
                                    &mut |i| cells[i].bytes(),
                                    &mut |_, _| {},
                                    false,
                                    &mut |_| {},
                                );
                                if verdict != Verdict::Keep {
                                    continue;
                                }
                            }
                            for (slot, (ci, _)) in feeds.iter().enumerate() {
                                if let Some(v) = cells[*ci].bytes() {
                                    sets[slot].insert(&v);
                                }
                            }
                            for (slot, (ci, _)) in chained_checks.iter().enumerate() {
                                if let Some(v) = cells[*ci].bytes() {
                                    refs[slot].1.insert(&v);
                                }
                            }
                        }
                    }
                    found.extend(feeds.iter().map(|(_, k)| k.clone()).zip(sets));
                    Ok((found, refs))
                },
                |_, (found, refs)| {
                    for (k, set) in found {
                        if let Some(s) = next.get_mut(&k) {
                            s.extend(set);
                        }
                    }
                    for (fi, set) in refs {
                        referenced.entry(fi).or_default().extend(set);
                    }
                    Ok(())
                },
            )?;
            let all_referenced_present = previous.is_none()
                && referenced.iter().all(|(fi, set)| {
                    let f = &self.out_fks[*fi];
                    next.get(&(f.parent.clone(), f.parent_col.clone()))
                        .is_some_and(|parent| set.is_subset(parent))
                });
            let stable = all_referenced_present
                || previous.as_ref().is_some_and(|p| {
                    fed.iter()
                        .all(|k| p.get(k).map(KeySet::len) == next.get(k).map(KeySet::len))
                });
            previous = Some(next);
            if stable || !chained || self.opts.keep_orphans {
                break;
            }
        }
        self.keys = previous.unwrap_or(keys);
        Ok(())
    }
}

/// A referenced column a source table fills: (its index among the plan's
/// columns, (parent table, column)).
type Feed = (usize, (String, String));

/// Calls `f` with every row of a baseline table.
fn each_baseline_row(t: &baseline::BaseTable, mut f: impl FnMut(&SrcRow<'_, '_>)) -> Result<()> {
    for text in &t.inserts {
        statement_rows(text, &t.table, &mut f)
            .map_err(|e| Error::Config(format!("baseline table `{}`: {}", t.name, e.message)))?;
    }
    Ok(())
}

/// Calls `f` with every row of one INSERT of `table`.
fn statement_rows<'a>(
    text: &'a [u8],
    table: &Table,
    mut f: impl FnMut(&SrcRow<'_, 'a>),
) -> Result<(), StatementError> {
    let ins = Insert::parse(text)?;
    let pos = positions(table, ins.columns.as_deref());
    let mut rows = ins.rows();
    let mut buf = Vec::new();
    while rows.next_into(&mut buf)? {
        f(&SrcRow {
            values: &buf,
            positions: &pos,
            spans: None,
        });
    }
    Ok(())
}

/// The keys of column `col` that the baseline's rows of `t` bring to the
/// output: not those of rows that refer (a non-NULL value in a column of
/// `gone_cols`) to a row the migrated data replaced, which are left out.
fn baseline_keys(t: &baseline::BaseTable, col: &str, gone_cols: &[usize]) -> Result<KeySet> {
    let mut set = KeySet::default();
    if let Some(ci) = t.table.column_index(col) {
        each_baseline_row(t, |row| {
            if gone_cols.iter().any(|&g| row.bytes(g).is_some()) {
                return;
            }
            if let Some(v) = row.bytes(ci) {
                set.insert(&v);
            }
        })?;
    }
    Ok(set)
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
    each_kept_row(source, t, kept, cols, |r| {
        out.push(r.iter().map(|v| v.as_deref().map(<[u8]>::to_vec)).collect())
    })?;
    Ok(out)
}

/// Calls `f` with the values of `cols` of every kept row of `t` (None: NULL
/// or no such column), without holding the rows: for lookups built straight
/// into their maps.
fn each_kept_row(
    source: &Dump,
    t: &SourceTable,
    kept: &[Kept],
    cols: &[&str],
    mut f: impl FnMut(&[Option<Cow<'_, [u8]>>]),
) -> Result<()> {
    let all = source.source().mapped();
    let idx: Vec<Option<usize>> = cols.iter().map(|c| t.table.column_index(c)).collect();
    let mut picked = Vec::with_capacity(cols.len());
    // The mapped bytes read and not released yet.
    let mut read = 0..0;
    for k in kept {
        let text: &[u8] = match k {
            Kept::Range(off, len) => match all {
                Some(a) => &a[*off as usize..*off as usize + *len],
                None => continue,
            },
            Kept::Owned(v) => v,
        };
        statement_rows(text, &t.table, |row| {
            picked.clear();
            picked.extend(idx.iter().map(|i| i.and_then(|i| row.bytes(i))));
            f(&picked);
        })
        .map_err(|e| {
            Error::Config(format!(
                "{}: table `{}`: {}",
                source.source().name(),
                t.name,
                e.message
            ))
        })?;
        // The pages read are dropped from resident memory (they stay in the
        // page cache) as the passes drop theirs, a few megabytes at a time
        // (one-row INSERTs keep a statement per row): lookup tables such as
        // the quote items grow with the store.
        if let Kept::Range(off, len) = k {
            let (start, end) = (*off as usize, *off as usize + *len);
            if start < read.end || end - read.start >= RELEASE_STEP {
                source.source().release(read.clone());
                read = start..start;
            }
            read.end = end;
        }
    }
    source.source().release(read);
    Ok(())
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
        let mut map = IdMap::default();
        if let Some(t) = find(&spec.table) {
            let cols = [spec.key.as_str(), spec.value.as_str()];
            let kept = kept.get(&t.name).map_or(&[][..], Vec::as_slice);
            each_kept_row(source, t, kept, &cols, |r| {
                if let [Some(k), v] = r {
                    map.insert(k, v.as_deref());
                }
            })?;
        }
        map.compact();
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

/// The id of a customer or address row or value, for the join: an integer
/// as the database reads it (`017` and `+17` are 17, unlike
/// [`crate::map::idmap::as_int`]); anything else (NULL, text) sorts last and
/// meets no row.
fn entity_id(v: Option<Cow<'_, [u8]>>) -> u64 {
    v.and_then(|v| std::str::from_utf8(&v).ok()?.parse().ok())
        .unwrap_or(u64::MAX)
}

/// How many of a row's values must be read to reach the source columns
/// `cols` (positions from [`positions`]); all of them when one is not in the
/// statement.
fn values_needed(pos: &[Option<usize>], cols: impl IntoIterator<Item = usize>) -> usize {
    cols.into_iter()
        .map(|c| pos.get(c).copied().flatten().map_or(usize::MAX, |p| p + 1))
        .max()
        .unwrap_or(0)
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

/// Rendered rows for one destination, separated by commas (so that a run
/// of them is part of an INSERT as it is), the `k`th ending at `ends[k]`.
/// Static values for the customer join are records without separators.
struct Rendered {
    dest: String,
    bytes: Vec<u8>,
    ends: Vec<usize>,
    /// Entity ids of the rows, for a table written joined with its static values.
    ids: Vec<u64>,
    /// The number, in the run, of the source row each row was made from
    /// (with `tag_sources`).
    srcs: Vec<u64>,
    /// Whether `srcs` is kept: when the run writes to more than one table.
    tag_sources: bool,
    /// Whether rows are separated by commas (all but static values).
    separated: bool,
}

impl Rendered {
    fn new(dest: &str) -> Self {
        Rendered {
            dest: dest.to_string(),
            bytes: Vec::new(),
            ends: Vec::new(),
            ids: Vec::new(),
            srcs: Vec::new(),
            tag_sources: false,
            separated: dest != customer::STATIC_VALUES,
        }
    }

    /// Starts a row: the separator after the row before.
    fn begin(&mut self) -> &mut Vec<u8> {
        if self.separated && !self.ends.is_empty() {
            self.bytes.push(b',');
        }
        &mut self.bytes
    }

    /// Ends the row [`Rendered::begin`] started, made from source row `src`.
    fn end(&mut self, src: u64) {
        self.ends.push(self.bytes.len());
        if self.tag_sources {
            self.srcs.push(src);
        }
    }

    /// Takes in the rows of `other`, for the same table, in the order of
    /// their source rows (this one's first for the same source row).
    fn absorb(&mut self, other: Rendered) {
        let mut merged = Rendered::new(&self.dest);
        merged.tag_sources = true;
        merged
            .bytes
            .reserve(self.bytes.len() + other.bytes.len() + 1);
        let (mut a, mut b) = (
            self.rows().zip(&self.srcs).peekable(),
            other.rows().zip(&other.srcs).peekable(),
        );
        loop {
            let take_a = match (a.peek(), b.peek()) {
                (Some((_, sa)), Some((_, sb))) => sa <= sb,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let next = if take_a { a.next() } else { b.next() };
            if let Some((row, &src)) = next {
                merged.begin().extend_from_slice(row);
                merged.end(src);
            }
        }
        // The iterators borrow `self` until they are dropped.
        drop((a, b));
        *self = merged;
    }

    fn rows(&self) -> impl Iterator<Item = &[u8]> {
        let mut start = 0;
        let skip = usize::from(self.separated);
        self.ends.iter().map(move |&e| {
            let r = &self.bytes[start..e];
            start = e + skip;
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
    fk_children: Vec<(usize, KeySet)>,
    fk_keys: Vec<(usize, KeySet)>,
    /// Under each destination foreign key: rows dropped, columns set to NULL, orphans kept.
    orphans: BTreeMap<usize, (u64, u64, u64)>,
    /// Rows of the source table dropped (not counting emitted rows).
    dropped: u64,
    /// Of those, rows the EAV clean-ups left out, by reason.
    cleaned: BTreeMap<&'static str, u64>,
}

/// The session settings OUT loads under. The SQL mode keeps the server's
/// strictness (`STRICT_TRANS_TABLES`, `STRICT_ALL_TABLES`) and
/// `NO_ENGINE_SUBSTITUTION`, adds `NO_AUTO_VALUE_ON_ZERO` (rows with id 0),
/// and drops every other mode, as mysqldump's own header does: modes that
/// change how the file reads (`NO_BACKSLASH_ESCAPES`, `ANSI_QUOTES`,
/// `EMPTY_STRING_IS_NULL`, `ORACLE`, …) or reject the zero dates of
/// Magento's schema and data (`NO_ZERO_DATE`, `NO_ZERO_IN_DATE`, part of
/// MySQL 8's default mode; `TRADITIONAL`).
const HEADER: &str = "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE=CONCAT_WS(',', IF(FIND_IN_SET('STRICT_TRANS_TABLES', @@SQL_MODE), 'STRICT_TRANS_TABLES', NULL), IF(FIND_IN_SET('STRICT_ALL_TABLES', @@SQL_MODE), 'STRICT_ALL_TABLES', NULL), IF(FIND_IN_SET('NO_ENGINE_SUBSTITUTION', @@SQL_MODE), 'NO_ENGINE_SUBSTITUTION', NULL), 'NO_AUTO_VALUE_ON_ZERO') */;
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
    fn convert_run(
        &self,
        run: &[Statement<'_>],
        render: bool,
        sets: &FkSets<'_>,
    ) -> Result<Converted, (usize, StatementError)> {
        let Some(first) = run.first() else {
            return Ok(Converted::default());
        };
        let kind = first.classify().kind;
        if !kind.is_insert() {
            return Ok(Converted::default());
        }
        let ins = Insert::parse(first.text).map_err(|e| (0, e))?;
        let statements = ins.rows_of_run(run);
        let mut c = Converted {
            table: Some(ins.table.clone()),
            ..Converted::default()
        };
        let Some(&ti) = self.by_name.get(&ins.table) else {
            for st in statements {
                let (si, rows) = st?;
                c.rows += rows.count().map_err(|e| (si, e))?;
            }
            return Ok(c);
        };
        let t = &self.tables[ti];
        let pos = positions(&t.table, ins.columns.as_deref());
        let plan = match self.plan.tables.get(&t.bare) {
            Some(Disposition::Migrate(p)) if render => Some(p.as_ref()),
            _ => None,
        };
        let fit_only = match self.plan.tables.get(&t.bare) {
            Some(Disposition::Migrate(p)) if !render && !p.fits.is_empty() => Some(p.as_ref()),
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
        let mut fk_children: Vec<KeySet> = vec![KeySet::default(); my_fks.len()];
        let mut fk_keys: Vec<KeySet> = vec![KeySet::default(); my_keys.len()];
        let mut out: Vec<Rendered> = Vec::new();
        if let Some(p) = plan {
            // The main destination's rows take about as many bytes as the
            // statement's: reserved at once, they are not copied as the
            // buffer grows.
            let mut main = Rendered::new(&p.dest);
            main.bytes.reserve(run.iter().map(|st| st.text.len()).sum());
            out.push(main);
            for e in &p.emits {
                out.push(Rendered::new(&e.dest));
            }
        }
        let no_checks = Vec::new();
        let checks = self.checks.get(&t.bare).unwrap_or(&no_checks);
        let route = plan.and(self.routes.get(&t.bare));
        if route.is_some() {
            out.push(Rendered::new(customer::STATIC_VALUES));
        }
        let id_pos = plan.and_then(|p| self.joined.get(&p.dest)).map(|j| j.1);
        let cleanup = plan.and(self.cleanups.get(&t.bare));
        // Where values moved to the `_varchar` table are rendered, and the
        // position of their `value_id` (left to the table's counter).
        let varchar_slot = cleanup.and_then(|cl| cl.varchar_dest.as_ref()).map(|d| {
            out.push(Rendered::new(d));
            out.len() - 1
        });
        // Rows written to more than one table are written in source-row
        // order, which needs each row's source row (see `push_in_row_order`).
        if out.iter().filter(|r| r.separated).count() > 1 {
            for r in &mut out {
                r.tag_sources = true;
            }
        }
        let value_id_pos = plan.and_then(|p| p.columns.iter().position(|c| c == "value_id"));
        // How the main destination's rows are put together: runs of cells
        // that copy consecutive values are copied as the statement writes
        // them when its values are already canonical.
        let pieces = plan
            .map(|p| row::pieces(&p.cells, &pos))
            .unwrap_or_default();
        // Values the runs read (a shorter row is rendered cell by cell).
        let run_values = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Run(_, last) => Some(last + 1),
                Piece::Cell(_) => None,
            })
            .max();
        let lazy = run_values.is_some();
        let run_values = run_values.unwrap_or(usize::MAX);
        // The cells a verbatim row fills (those no run copies, those the
        // checks and the join read), and the others.
        let cell_needs: (Vec<usize>, Vec<usize>) = {
            let mut need = vec![false; plan.map_or(0, |p| p.cells.len())];
            for piece in &pieces {
                if let Piece::Cell(ci) = *piece {
                    need[ci] = true;
                }
            }
            let checked = checks.first().map(|rc| rc.checks.iter().map(|&(ci, _)| ci));
            for ci in checked.into_iter().flatten().chain(id_pos) {
                if let Some(n) = need.get_mut(ci) {
                    *n = true;
                }
            }
            (0..need.len()).partition(|&ci| need[ci])
        };
        // Whether a verbatim row fills each cell (the fitting reads the
        // others from the row: a run copies them unchanged unless one needs
        // fitting).
        let filled: Vec<bool> = {
            let mut f = vec![false; plan.map_or(0, |p| p.cells.len())];
            for &ci in &cell_needs.0 {
                f[ci] = true;
            }
            f
        };
        let mut fixes: Vec<(usize, Cell<'_>, &'static str)> = Vec::new();
        let mut buf: Vec<Value<'_>> = Vec::new();
        let mut cells: Vec<Cell<'_>> = Vec::new();
        let mut n = 0u64;
        let ncols = t.table.columns.len();
        // Rows no plan writes are read only as far as the source's key and
        // foreign-key columns (counted, their other values skipped); `check`
        // (nothing rendered) reads every value.
        let limit = match plan {
            None if render => values_needed(
                &pos,
                my_fks
                    .iter()
                    .map(|f| f.1)
                    .chain(my_keys.iter().map(|k| k.1)),
            ),
            _ => usize::MAX,
        };
        // One span buffer for the run's statements (one row each, in some dumps).
        let mut span_buf = Vec::new();
        for st in statements {
            let (si, mut rows) = st?;
            if lazy {
                rows = rows.with_spans_in(std::mem::take(&mut span_buf)).lazy();
            }
            // Rows of this statement, for messages.
            let mut row_no = 0u64;
            while rows.next_prefix(&mut buf, limit).map_err(|e| (si, e))? {
                n += 1;
                row_no += 1;
                // A verbatim row may be read into its spans alone (`Rows::lazy`).
                let spans = rows.spans_only().then(|| (rows.text(), rows.spans()));
                let values = spans.map_or(buf.len(), |(_, s)| s.len());
                if limit == usize::MAX && ins.columns.is_none() && values != ncols {
                    return Err((
                        si,
                        StatementError::new(
                            0,
                            format!(
                                "row {row_no} has {values} values, but `{}` has {ncols} columns",
                                t.name
                            ),
                        ),
                    ));
                }
                let row = SrcRow {
                    values: &buf,
                    positions: &pos,
                    spans,
                };
                for (slot, f) in my_fks.iter().enumerate() {
                    if let Some(v) = row.bytes(f.1) {
                        fk_children[slot].insert(&v);
                    }
                }
                for (slot, (_, col)) in my_keys.iter().enumerate() {
                    if let Some(v) = row.bytes(*col) {
                        fk_keys[slot].insert(&v);
                    }
                }
                // `check`: the values the import file would fit to their
                // columns (those no handler rewrites), counted.
                if let Some(p) = fit_only {
                    for (ci, f) in &p.fits {
                        let Some(cp) = p.cells.get(*ci).filter(|cp| cp.handlers.is_empty()) else {
                            continue;
                        };
                        let cell = row.cell(cp.source);
                        if let Some((_, why)) = fit::fix(&cell, f) {
                            c.warnings.add(&p.dest, &p.columns[*ci], why, 1);
                        }
                    }
                }
                let Some(p) = plan else { continue };
                if let Some(rt) = route
                    && let Some(attr) = row.bytes(rt.attr_col)
                    && let Some(sc) = rt.columns.get(attr.as_ref())
                {
                    let value = Self::stage(rt, sc, &row, &mut c.warnings);
                    if let Some(r) = out.last_mut() {
                        let id = entity_id(row.bytes(rt.entity_col));
                        let (bytes, ends) = (&mut r.bytes, &mut r.ends);
                        customer::push_value(bytes, ends, rt.entity, id, sc.slot, value.as_deref());
                    }
                    continue;
                }
                let mut slot = 0;
                if let Some(cl) = cleanup {
                    match cl.verdict(&|i| row.bytes(i)) {
                        CleanVerdict::Keep => {}
                        CleanVerdict::ToVarchar => slot = varchar_slot.unwrap_or(0),
                        CleanVerdict::Drop(why) => {
                            *c.cleaned.entry(why).or_default() += 1;
                            c.dropped += 1;
                            continue;
                        }
                    }
                }
                // A verbatim row gets only the cells its runs do not copy and
                // those the checks and the join read; the others are filled if
                // the row is rendered cell by cell after all.
                let partial = rows.verbatim() && values >= run_values;
                {
                    let warnings = &mut c.warnings;
                    let warn = &mut |field: &str, m| warnings.add(&p.dest, field, m, 1);
                    if partial {
                        self.fill_some(p, &row, &cell_needs.0, &mut cells, warn);
                    } else {
                        self.fill_cells(p, &row, &mut cells, warn);
                    }
                }
                // Values the destination column would refuse get the form
                // MySQL gives them outside strict mode, before the foreign
                // keys are checked on what is written.
                let mut changed = false;
                let mut all_filled = !partial;
                for (ci, f) in &p.fits {
                    let fix = if all_filled || filled[*ci] {
                        cells.get(*ci).and_then(|cell| fit::fix(cell, f))
                    } else {
                        // A plain copy the row's run would write as it is.
                        fit::fix(&row.cell(p.cells[*ci].source), f)
                    };
                    if let Some((fixed, why)) = fix {
                        fixes.push((*ci, fixed, why));
                    }
                }
                if !fixes.is_empty() {
                    if !all_filled {
                        self.fill_at(p, &row, &cell_needs.1, &mut cells, &mut |_, _| {});
                        all_filled = true;
                    }
                    for (ci, fixed, why) in fixes.drain(..) {
                        cells[ci] = fixed;
                        c.warnings.add(&p.dest, &p.columns[ci], why, 1);
                    }
                    changed = true;
                }
                if let Some(rc) = checks.first()
                    && !rc.is_empty()
                {
                    match self.apply_checks(rc, sets, &mut cells, &p.dest, &p.columns, &mut c) {
                        Some(nulled) => changed |= nulled,
                        None => {
                            c.dropped += 1;
                            continue;
                        }
                    }
                }
                if !all_filled && (changed || slot != 0) {
                    // Not reached for a warning: the cells left are plain copies.
                    self.fill_at(p, &row, &cell_needs.1, &mut cells, &mut |_, _| {});
                }
                if slot != 0 {
                    if let Some(i) = value_id_pos
                        && let Some(cell) = cells.get_mut(i)
                    {
                        *cell = Cell::Null;
                    }
                    let r = &mut out[slot];
                    render_row(r.begin(), &cells);
                    r.end(n);
                    continue;
                }
                let r = &mut out[0];
                if partial && !changed {
                    render_pieces(r.begin(), &pieces, &cells, rows.text(), rows.spans());
                } else {
                    render_row(r.begin(), &cells);
                }
                r.end(n);
                if let Some(i) = id_pos {
                    r.ids.push(entity_id(cells.get(i).and_then(Cell::bytes)));
                }
                for (ei, e) in p.emits.iter().enumerate() {
                    let r = &mut out[ei + 1];
                    match &e.kind {
                        EmitKind::Copy(idx) => {
                            let mut ec: Vec<Cell<'_>> = idx
                                .iter()
                                .map(|&i| row.get(i).map_or(Cell::Null, Cell::Val))
                                .collect();
                            if let Some(rc) = checks.get(ei + 1)
                                && !rc.is_empty()
                                && self
                                    .apply_checks(rc, sets, &mut ec, &e.dest, &e.columns, &mut c)
                                    .is_none()
                            {
                                continue;
                            }
                            render_row(r.begin(), &ec);
                            r.end(n);
                        }
                        EmitKind::SplitIds { key, list } => {
                            let k = row.get(*key).map_or(Cell::Null, Cell::Val);
                            let items = row.bytes(*list).unwrap_or_default();
                            for item in items
                                .split(|&b| b == b',')
                                .map(<[u8]>::trim_ascii)
                                .filter(|i| !i.is_empty())
                            {
                                render_row(r.begin(), &[k.clone(), Cell::Bytes(item.to_vec())]);
                                r.end(n);
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
                                render_row(r.begin(), &ec);
                                r.end(n);
                            }
                        }
                    }
                }
            }
            span_buf = rows.take_spans();
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

    /// The value a static customer attribute's row gives its entity column.
    fn stage(
        rt: &StaticRoute,
        sc: &customer::StaticColumn,
        row: &SrcRow<'_, '_>,
        warnings: &mut Warnings,
    ) -> Option<Vec<u8>> {
        let entity_table = customer::ENTITIES[usize::from(rt.entity) - 1].0;
        let mut value = row.bytes(rt.value_col).map(|v| v.into_owned());
        if sc.name == "password_hash"
            && let Some(v) = &value
        {
            match customer::password_hash(v) {
                Password::Converted(h) => value = Some(h),
                Password::MustReset => warnings.add(
                    entity_table,
                    "password_hash",
                    "customer must reset password: a hash format Magento 2 does not verify (kept as it is)",
                    1,
                ),
            }
        }
        if let (Some(v), Some(cap)) = (&value, sc.capacity)
            && let Some(cut) = fit::cut(v, cap)
        {
            warnings.add(entity_table, &sc.name, fit::CUT, 1);
            value = Some(cut);
        }
        if value.is_none() && sc.not_null {
            value = Some(Vec::new());
        }
        value
    }

    /// Applies the destination's foreign keys to a row about to be written:
    /// `None` when it must be dropped (counted in `c`), else whether a value
    /// was set to NULL.
    fn apply_checks(
        &self,
        rc: &RowChecks,
        sets: &FkSets<'_>,
        cells: &mut [Cell<'_>],
        dest: &str,
        columns: &[String],
        c: &mut Converted,
    ) -> Option<bool> {
        let mut nulls: Vec<(usize, usize)> = Vec::new();
        let mut kept: Vec<usize> = Vec::new();
        let view: &[Cell<'_>] = cells;
        let verdict = rc.check(
            &self.out_fks,
            sets,
            &mut |i| view[i].bytes(),
            &mut |i, fi| nulls.push((i, fi)),
            self.opts.keep_orphans,
            &mut |fi| kept.push(fi),
        );
        let nulled = !nulls.is_empty();
        for (i, fi) in nulls {
            cells[i] = Cell::Null;
            c.warnings.add(
                dest,
                &columns[i],
                "set to NULL: no parent row under the destination's foreign key (ON DELETE SET NULL)",
                1,
            );
            c.orphans.entry(fi).or_default().1 += 1;
        }
        for fi in kept {
            c.orphans.entry(fi).or_default().2 += 1;
        }
        match verdict {
            Verdict::Keep => Some(nulled),
            Verdict::Drop(fi) => {
                c.orphans.entry(fi).or_default().0 += 1;
                None
            }
        }
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
        let mut baseline_dropped: Vec<String> = Vec::new();
        let sets = FkSets::new(&self.out_fks, &self.keys);
        let no_keys = KeySet::default();
        let baseline_sets = FkSets::for_baseline(&self.out_fks, &self.keys, &filled, &no_keys);
        let integrity = Integrity {
            fks: &self.out_fks,
            keys: &self.keys,
            sets: &sets,
        };
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
            // Keys a phpMyAdmin baseline declares after its tables, on the
            // empty tables (every table exists by now).
            for (_, text) in &self.baseline.alters {
                o.write(text)?;
                o.write(b";\n")?;
            }
            o.write(b"\n")?;
            for t in &self.baseline.tables {
                if filled.contains(&t.bare) {
                    continue;
                }
                let (mut gone, mut nulled) = (0, 0);
                let n = match self.step_tables.get(&t.bare) {
                    Some(rows) => write_step_rows(t, rows, cap, o, &integrity, &mut gone)?,
                    None => write_baseline_rows(
                        t,
                        cap,
                        o,
                        &self.out_fks,
                        &baseline_sets,
                        &mut gone,
                        &mut nulled,
                    )?,
                };
                dest_rows.insert(t.name.clone(), n);
                if nulled > 0 {
                    baseline_dropped.push(format!(
                        "{}: {nulled} baseline rows written with a reference set to NULL: they referred to rows the migrated data replaces (ON DELETE SET NULL)",
                        t.name
                    ));
                }
                if gone > 0 {
                    baseline_dropped.push(format!(
                        "{}: {gone} rows left out: they refer to rows the output does not hold ({})",
                        t.name,
                        if self.step_tables.contains_key(&t.bare) {
                            "computed by a step"
                        } else {
                            "baseline rows whose parents the migrated data replaces"
                        }
                    ));
                }
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
        let mut join = (out.is_some() && !self.joined.is_empty()).then(|| {
            customer::StaticJoin::new(&self.statics.iter().map(Vec::len).collect::<Vec<_>>())
        });
        let join_err = |e: std::io::Error| Error::io(std::env::temp_dir(), e);
        let render = out.is_some();
        let mut src_rows: HashMap<String, u64> = HashMap::new();
        let mut dropped: HashMap<String, u64> = HashMap::new();
        let mut cleaned: HashMap<String, BTreeMap<&'static str, u64>> = HashMap::new();
        let mut fk_orphans: BTreeMap<(String, usize), (u64, u64, u64)> = BTreeMap::new();
        let mut warnings = Warnings::default();
        let mut children: Vec<KeySet> = vec![KeySet::default(); self.fks.children.len()];
        let mut keys: Vec<KeySet> = vec![KeySet::default(); self.fks.keys.len()];
        let mut current: Option<String> = None;
        let mut open: Vec<String> = Vec::new();
        let targets: Vec<Option<customer::JoinTarget<'_>>> = customer::ENTITIES
            .iter()
            .enumerate()
            .map(|(ei, (e, _))| {
                let t = self.baseline.tables.iter().find(|t| t.bare == *e)?;
                let p = self.migrate_plan(e).filter(|p| p.dest == *e)?;
                Some(customer::JoinTarget {
                    name: &t.name,
                    table: &t.table,
                    columns: &p.columns,
                    statics: &self.statics[ei],
                    fallbacks: self.fallbacks.get(ei).map_or(&[], Vec::as_slice),
                })
            })
            .collect();
        let parallel = self.opts.threads > 1;
        // With more than one thread, the customer join runs beside the rest
        // of the row pass once the last statement of the tables it reads is
        // folded, into a temporary file added at the end (the same bytes
        // as joining there).
        let join_after = self
            .tables
            .iter()
            .filter(|t| self.routes.contains_key(&t.bare) || self.joined.contains_key(&t.bare))
            .filter_map(|t| self.last_insert.get(&t.name).copied())
            .max()
            .filter(|_| parallel);
        type Joined = Result<Vec<(u64, Output)>>;
        std::thread::scope(|scope| -> Result<()> {
            let mut background: Option<std::thread::ScopedJoinHandle<'_, Joined>> = None;
            self.source.for_each_run(
                self.opts.threads,
                insert_head_len,
                |run| self.convert_run(run, render, &sets),
                |run, c| {
                    let Some(st) = run.last() else { return Ok(()) };
                    progress(st.offset + st.text.len() as u64);
                    let Some(table) = c.table else { return Ok(()) };
                    *src_rows.entry(table.clone()).or_default() += c.rows;
                    if c.dropped > 0 {
                        *dropped.entry(table.clone()).or_default() += c.dropped;
                    }
                    for (why, k) in c.cleaned {
                        *cleaned
                            .entry(table.clone())
                            .or_default()
                            .entry(why)
                            .or_default() += k;
                    }
                    for (fi, (d, nulled, kept)) in c.orphans {
                        let e = fk_orphans.entry((table.clone(), fi)).or_default();
                        e.0 += d;
                        e.1 += nulled;
                        e.2 += kept;
                    }
                    warnings.merge(c.warnings);
                    for (i, s) in c.fk_children {
                        children[i].extend(s);
                    }
                    for (i, s) in c.fk_keys {
                        keys[i].extend(s);
                    }
                    if let Some(o) = out.as_deref_mut() {
                        // Dumps hold a table's rows together: when the source
                        // table changes, the statements its destinations were
                        // filling are written and their buffers freed, so memory
                        // holds the batches of one table, not of every table.
                        if current.as_deref() != Some(table.as_str()) {
                            open.sort();
                            for d in open.drain(..) {
                                if let Some(b) = batchers.get_mut(&d) {
                                    b.close(o)?;
                                }
                            }
                            current = Some(table.clone());
                        }
                        let mut streams: Vec<Rendered> = Vec::new();
                        for r in c.out {
                            if let Some(j) = join.as_mut() {
                                if r.dest == customer::STATIC_VALUES {
                                    for row in r.rows() {
                                        j.push_values(row).map_err(join_err)?;
                                    }
                                    continue;
                                }
                                if let Some(&(ei, _)) = self.joined.get(&r.dest) {
                                    for (row, id) in r.rows().zip(&r.ids) {
                                        j.push_row(ei, *id, row).map_err(join_err)?;
                                    }
                                    let name = self.dest_name(&r.dest).to_string();
                                    *dest_rows.entry(name).or_default() += r.ends.len() as u64;
                                    continue;
                                }
                            }
                            let name = self.dest_name(&r.dest).to_string();
                            if !batchers.contains_key(&r.dest) {
                                continue;
                            }
                            *dest_rows.entry(name).or_default() += r.ends.len() as u64;
                            if r.ends.is_empty() {
                                continue;
                            }
                            if !open.contains(&r.dest) {
                                open.push(r.dest.clone());
                            }
                            match streams.iter_mut().find(|s| s.dest == r.dest) {
                                Some(s) => s.absorb(r),
                                None => streams.push(r),
                            }
                        }
                        // Statements are written in source-row order, so that
                        // how the dump groups rows into statements does not
                        // change the file.
                        let mut dests = Vec::with_capacity(streams.len());
                        let mut taken = Vec::with_capacity(streams.len());
                        for r in streams {
                            if let Some(batcher) = batchers.remove(&r.dest) {
                                taken.push(Stream {
                                    batcher,
                                    chunk: Rc::new(r.bytes),
                                    ends: r.ends,
                                    srcs: r.srcs,
                                });
                                dests.push(r.dest);
                            }
                        }
                        let pushed = push_in_row_order(&mut taken, o);
                        for (s, dest) in taken.into_iter().zip(dests) {
                            batchers.insert(dest, s.batcher);
                        }
                        pushed?;
                    }
                    if join_after.is_some_and(|at| st.offset >= at)
                        && let Some(j) = join.take()
                    {
                        let targets = &targets;
                        background =
                            Some(scope.spawn(move || -> Joined { j.finish_spilled(targets, cap) }));
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
                let lost = match (background.take(), join.take()) {
                    (Some(h), _) => customer::append_spilled(o, customer::joined(h)?)?,
                    (None, Some(j)) => j.finish(&targets, cap, o, parallel)?,
                    (None, None) => Vec::new(),
                };
                for ((e, _), n) in customer::ENTITIES.iter().zip(lost) {
                    if n > 0 {
                        warnings.add(
                            e,
                            "entity_id",
                            "values of attributes kept as columns whose row is not in the output (left out)",
                            n,
                        );
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
            Ok(())
        })?;
        // The report.
        let mut tables = Vec::new();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for t in &self.tables {
            seen.insert(&t.name);
            let n = src_rows.get(&t.name).copied().unwrap_or(0);
            let (dest, written, reason) = match self.plan.tables.get(&t.bare) {
                Some(Disposition::Migrate(p)) => {
                    let gone = dropped.get(&t.name).copied().unwrap_or(0);
                    let reason = (gone > 0).then(|| {
                        let keys: Vec<String> = fk_orphans
                            .iter()
                            .filter(|((tn, _), v)| *tn == t.name && v.0 > 0)
                            .map(|((_, fi), v)| format!("{} ({})", self.out_fks[*fi].desc, v.0))
                            .collect();
                        let mut parts: Vec<String> = cleaned
                            .get(&t.name)
                            .into_iter()
                            .flatten()
                            .map(|(why, k)| format!("{why} ({k})"))
                            .collect();
                        if !keys.is_empty() {
                            parts.push(format!(
                                "orphans: no parent row under the destination's foreign key {}",
                                keys.join(", ")
                            ));
                        }
                        parts.join("; ")
                    });
                    (Some(self.dest_name(&p.dest).to_string()), n - gone, reason)
                }
                Some(Disposition::Step(step)) => {
                    let a = self.step_accounts.get(&t.bare);
                    let written = a.map_or(0, |a| a.written).min(n);
                    let reasons: Vec<String> = a
                        .map(|a| {
                            a.dropped
                                .iter()
                                .map(|(r, k)| format!("{r} ({k})"))
                                .collect()
                        })
                        .unwrap_or_default();
                    let dest = step_destination(&t.bare);
                    let reason = (written < n).then(|| {
                        if reasons.is_empty() {
                            format!("not written by the {step} step")
                        } else {
                            format!("{step} step: {}", reasons.join("; "))
                        }
                    });
                    (Some(self.dest_name(dest).to_string()), written, reason)
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
            let mut missing = children[i].missing_from(&keys[*key]);
            if !missing.is_empty() {
                missing.sort_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
                orphans.push((desc.clone(), missing));
            }
        }
        let mut warn_lines = warnings.lines();
        warn_lines.extend(self.step_warnings.iter().cloned());
        warn_lines.extend(baseline_dropped);
        for ((table, fi), (d, nulled, kept)) in &fk_orphans {
            let mut parts = Vec::new();
            if *d > 0 {
                parts.push(format!("{d} rows dropped"));
            }
            if *nulled > 0 {
                parts.push(format!("{nulled} values set to NULL"));
            }
            if *kept > 0 {
                parts.push(format!("{kept} orphan rows kept (--orphans keep)"));
            }
            warn_lines.push(format!(
                "{table}: no parent row under {}: {}",
                self.out_fks[*fi].desc,
                parts.join(", ")
            ));
        }
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

/// The destination's foreign keys, the key sets of their parents, and those
/// sets by key (built once for every table written).
#[derive(Clone, Copy)]
struct Integrity<'a> {
    fks: &'a [Fk],
    keys: &'a Keys,
    sets: &'a FkSets<'a>,
}

/// Writes the rows a step computed for a destination table, checked like
/// baseline rows.
fn write_step_rows(
    t: &baseline::BaseTable,
    rows: &Rows,
    cap: usize,
    o: &mut Output,
    integrity: &Integrity<'_>,
    dropped: &mut u64,
) -> Result<u64> {
    let Integrity { fks, keys, sets } = *integrity;
    if rows.rows.is_empty() {
        return Ok(0);
    }
    let numeric: Vec<bool> = rows
        .columns
        .iter()
        .map(|c| {
            t.table
                .columns
                .iter()
                .find(|tc| tc.name.eq_ignore_ascii_case(c))
                .is_some_and(|tc| tc.is_integer())
        })
        .collect();
    let mut head = Vec::new();
    sql::push_insert_head(&mut head, &t.name, Some(&rows.columns));
    let mut batcher = InsertBatcher::new(head, cap);
    let rc = RowChecks::new(&t.bare, &rows.columns, fks, keys);
    let mut n = 0;
    let mut out = Vec::new();
    for r in &rows.rows {
        if !rc.is_empty() {
            let verdict = rc.check(
                fks,
                sets,
                &mut |i| r.get(i).and_then(|v| v.as_deref()).map(Cow::Borrowed),
                &mut |_, _| {},
                false,
                &mut |_| {},
            );
            if verdict != Verdict::Keep {
                *dropped += 1;
                continue;
            }
        }
        let cells: Vec<Cell<'_>> = r
            .iter()
            .zip(&numeric)
            .map(|(v, &num)| match v {
                None => Cell::Null,
                Some(b) if num => match std::str::from_utf8(b)
                    .ok()
                    .and_then(|s| s.parse::<i64>().ok())
                {
                    Some(i) => Cell::Int(i),
                    None => Cell::Bytes(b.clone()),
                },
                Some(b) => Cell::Bytes(b.clone()),
            })
            .collect();
        out.clear();
        render_row(&mut out, &cells);
        batcher.push(&out, o)?;
        n += 1;
    }
    batcher.flush(o)?;
    Ok(n)
}

/// Writes a baseline table's rows. `sets` are [`FkSets::for_baseline`]: a
/// row that refers to a row the output does not hold (one the migrated data
/// replaced) is dropped and counted in `dropped`, or, under an `ON DELETE
/// SET NULL` key, written with that column NULL and counted in `nulled`, as
/// deleting the row it referred to would have left it.
fn write_baseline_rows(
    t: &baseline::BaseTable,
    cap: usize,
    o: &mut Output,
    fks: &[Fk],
    sets: &FkSets<'_>,
    dropped: &mut u64,
    nulled: &mut u64,
) -> Result<u64> {
    let all: Vec<String> = t.table.columns.iter().map(|c| c.name.clone()).collect();
    let mut n = 0;
    let mut batcher: Option<InsertBatcher> = None;
    let mut buf = Vec::new();
    let mut row = Vec::new();
    let mut nulls = Vec::new();
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
        let rc = RowChecks::with_sets(&t.bare, ins.columns.as_deref().unwrap_or(&all), fks, sets);
        let mut rows = ins.rows();
        while rows.next_into(&mut buf).map_err(bad)? {
            if !rc.is_empty() {
                nulls.clear();
                let verdict = rc.check(
                    fks,
                    sets,
                    &mut |i| buf.get(i).and_then(|v| v.bytes()),
                    &mut |i, _| nulls.push(i),
                    false,
                    &mut |_| {},
                );
                if verdict != Verdict::Keep {
                    *dropped += 1;
                    continue;
                }
                if !nulls.is_empty() {
                    for &i in &nulls {
                        if let Some(v) = buf.get_mut(i) {
                            *v = Value::Null;
                        }
                    }
                    *nulled += 1;
                }
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of two emits into one table, in one run, are merged in the
    /// order of their source rows, the earlier stream's first for the same
    /// source row, as adding them source row by source row would.
    #[test]
    fn absorbed_rows_follow_their_source_rows() {
        let stream = |rows: &[(&str, u64)]| {
            let mut r = Rendered::new("t");
            r.tag_sources = true;
            for (text, src) in rows {
                r.begin().extend_from_slice(text.as_bytes());
                r.end(*src);
            }
            r
        };
        let mut a = stream(&[("(a0)", 0), ("(a2)", 2), ("(a2b)", 2), ("(a5)", 5)]);
        let b = stream(&[("(b1)", 1), ("(b2)", 2), ("(b6)", 6), ("(b7)", 7)]);
        a.absorb(b);
        assert_eq!(
            String::from_utf8_lossy(&a.bytes),
            "(a0),(b1),(a2),(a2b),(b2),(a5),(b6),(b7)"
        );
        assert_eq!(a.srcs, [0, 1, 2, 2, 2, 5, 6, 7]);
        assert_eq!(a.rows().count(), 8);
        a.absorb(stream(&[]));
        assert_eq!(a.srcs.len(), 8);
    }
}
