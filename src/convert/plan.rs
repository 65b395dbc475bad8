//! Table plans: for every source table, where it goes and how each destination
//! column is filled; and the integrity problems that stop a run.
//!
//! Built from the compiled maps and both schemas before any row is read, so a
//! bad map or an unmapped table is reported at once, all problems together,
//! each with a rule that would settle it.

use crate::convert::fit::{self, Fit};
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::map::handler::{Handler, LookupNeeds};
use crate::map::rules::Rules;
use crate::schema::{Column, Table};

/// A problem the integrity check finds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// `unmapped_document`, `unmapped_field`, `unfilled_field` or `bad_rule`.
    pub kind: &'static str,
    /// The document (source name without prefix, or destination name).
    pub document: String,
    /// The field, when the problem is about one.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
    /// A TOML rule for a file in the map directory that settles it.
    pub suggestion: String,
}

/// How one destination column is filled.
#[derive(Debug, Clone)]
pub struct CellPlan {
    /// The source column it starts from (None: computed, starts NULL).
    pub source: Option<usize>,
    /// Handlers applied in order.
    pub handlers: Vec<Handler>,
    /// A fixed value for a column that nothing fills: an SQL literal.
    pub implicit: Option<String>,
}

/// Extra rows a table writes into another table (value_to_entity, synonyms).
#[derive(Debug, Clone)]
pub struct EmitPlan {
    /// Destination table (bare name).
    pub dest: String,
    /// Its columns written.
    pub columns: Vec<String>,
    /// What the rows are.
    pub kind: EmitKind,
}

/// The kinds of extra rows.
#[derive(Debug, Clone)]
pub enum EmitKind {
    /// One row per source row: the listed source columns, as they are.
    Copy(Vec<usize>),
    /// A search_synonyms row per search query with a synonym: `query,synonym`, store, website 0.
    Synonym {
        /// Column of `query_text`.
        query: usize,
        /// Column of `synonym_for`.
        synonym: usize,
        /// Column of `store_id`.
        store: usize,
    },
    /// One row per item of a comma list: (key, item).
    SplitIds {
        /// Column of the key.
        key: usize,
        /// Column of the list.
        list: usize,
    },
}

/// The plan for a migrated table.
#[derive(Debug, Clone)]
pub struct TablePlan {
    /// Destination table (bare name).
    pub dest: String,
    /// Destination columns written, in destination order.
    pub columns: Vec<String>,
    /// How each is filled.
    pub cells: Vec<CellPlan>,
    /// Extra rows.
    pub emits: Vec<EmitPlan>,
    /// Source fields dropped because `--auto` let them go.
    pub auto_dropped: Vec<String>,
    /// Cells whose values the destination column may not take as they are
    /// (see [`fit`]): the cell and what to check.
    pub fits: Vec<(usize, Fit)>,
}

/// What happens to a source table.
#[derive(Debug, Clone)]
pub enum Disposition {
    /// Its rows are migrated.
    Migrate(Box<TablePlan>),
    /// A map ignores it.
    Ignored,
    /// Another step owns it.
    Deferred(String),
    /// A step of this run migrated it (settings, stores, eav…); its rows are
    /// accounted for by that step.
    Step(String),
    /// Nothing maps it (a problem, or dropped under `--auto`).
    Unmapped,
}

/// Plans for all source tables.
#[derive(Debug, Default)]
pub struct Plan {
    /// By source table, bare name.
    pub tables: BTreeMap<String, Disposition>,
    /// Integrity problems.
    pub problems: Vec<Problem>,
    /// Lookups the handlers need.
    pub needs: LookupNeeds,
}

impl Plan {
    /// Destination tables that migrated rows replace.
    pub fn filled_destinations(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for d in self.tables.values() {
            if let Disposition::Migrate(p) = d {
                out.insert(p.dest.clone());
                for e in &p.emits {
                    out.insert(e.dest.clone());
                }
            }
        }
        out
    }
}

/// The value MySQL would give a NOT NULL column without default in non-strict mode.
fn implicit_default(c: &Column) -> String {
    fit::implicit_value(c).to_string()
}

fn needs_value(c: &Column) -> bool {
    !c.nullable && c.default.is_none() && !c.auto_increment
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Builds the plans. `source` lists (bare name, table); `dest` maps bare names to tables.
pub fn build(
    rules: &Rules,
    source: &[(String, Table)],
    dest: &BTreeMap<String, Table>,
    auto: bool,
) -> Plan {
    let mut plan = Plan::default();
    for (name, table) in source {
        let disp = plan_table(rules, name, table, dest, auto, &mut plan);
        plan.tables.insert(name.clone(), disp);
    }
    plan
}

fn plan_table(
    rules: &Rules,
    name: &str,
    table: &Table,
    dest: &BTreeMap<String, Table>,
    auto: bool,
    plan: &mut Plan,
) -> Disposition {
    if let Some(step) = rules.deferred_step(name) {
        return Disposition::Deferred(step.to_string());
    }
    if rules.source.ignores(name) {
        return Disposition::Ignored;
    }
    let dname = rules.destination_of(name).to_string();
    if rules.destination.ignores(&dname) && !rules.is_renamed(name) && !dest.contains_key(&dname) {
        return Disposition::Ignored;
    }
    let Some(dtable) = dest.get(&dname) else {
        let message = if rules.is_renamed(name) {
            format!(
                "source document `{name}` is renamed to `{dname}`, which the Magento 2 baseline does not have"
            )
        } else {
            format!("source document `{name}` is not mapped: Magento 2 has no table `{name}`")
        };
        if !auto {
            plan.problems.push(Problem {
                kind: "unmapped_document",
                document: name.to_string(),
                field: None,
                message,
                suggestion: format!(
                    "[source]\nignore = [{}]\n# or, when a Magento 2 table takes its rows:\n# [source.rename]\n# {} = \"<magento 2 table>\"",
                    quote(name),
                    name
                ),
            });
        }
        return Disposition::Unmapped;
    };
    let resolve_src = |f: &str| table.column_index(f);
    // Destination columns → how they are filled.
    let mut filled: BTreeMap<usize, CellPlan> = BTreeMap::new();
    let mut auto_dropped = Vec::new();
    let mut emits = Vec::new();
    let problem =
        |plan: &mut Plan, kind: &'static str, field: &str, message: String, suggestion: String| {
            plan.problems.push(Problem {
                kind,
                document: name.to_string(),
                field: Some(field.to_string()),
                message,
                suggestion,
            });
        };
    for (si, col) in table.columns.iter().enumerate() {
        let f = col.name.as_str();
        if rules.source.ignores_field(name, f) {
            continue;
        }
        let (td, tf) = match rules.moved(name, f) {
            Some((d, tf)) => (d.to_string(), tf.to_string()),
            None => (dname.clone(), f.to_string()),
        };
        if td != dname {
            problem(
                plan,
                "bad_rule",
                f,
                format!(
                    "field `{name}.{f}` is moved to `{td}.{tf}`, but `{name}` goes to `{dname}`; a move stays inside its document"
                ),
                format!("[source.move]\n\"{name}.{f}\" = \"{dname}.<field>\""),
            );
            continue;
        }
        let transforms = rules.source.transforms(name, f);
        let consumed = transforms
            .iter()
            .any(|t| crate::map::handler::EMITTING.contains(&t.handler.as_str()));
        for t in transforms {
            match t.handler.as_str() {
                "synonym" => emit_synonym(plan, &mut emits, dest, name, table),
                "normalize_ids" => emit_split(plan, &mut emits, dest, name, table, si, t),
                "gallery_value_to_entity" => emit_copy(
                    plan,
                    &mut emits,
                    dest,
                    name,
                    table,
                    "catalog_product_entity_media_gallery_value_to_entity",
                    &["value_id", "entity_id"],
                ),
                _ => {}
            }
        }
        let Some(di) = dtable.column_index(&tf) else {
            if consumed {
                continue;
            }
            if auto {
                auto_dropped.push(f.to_string());
            } else {
                problem(
                    plan,
                    "unmapped_field",
                    f,
                    format!(
                        "source field `{name}.{f}` is not mapped: `{dname}` has no column `{tf}`"
                    ),
                    format!(
                        "[source]\nignore_fields = [{}]\n# or, when another column takes it:\n# [source.move]\n# \"{name}.{f}\" = \"{dname}.<column>\"",
                        quote(&format!("{name}.{f}"))
                    ),
                );
            }
            continue;
        };
        if rules.destination.ignores_field(&dname, &tf) {
            continue;
        }
        let mut handlers = Vec::new();
        for t in rules
            .source
            .transforms(name, f)
            .iter()
            .chain(rules.destination.transforms(&dname, &tf))
        {
            match Handler::compile(t, &resolve_src, &mut plan.needs) {
                Ok(h) => handlers.push(h),
                Err(e) => problem(
                    plan,
                    "bad_rule",
                    f,
                    format!("`{name}.{f}`: {e}"),
                    String::new(),
                ),
            }
        }
        filled.insert(
            di,
            CellPlan {
                source: Some(si),
                handlers,
                implicit: None,
            },
        );
    }
    // Destination columns nothing filled.
    for (di, dc) in dtable.columns.iter().enumerate() {
        if filled.contains_key(&di) {
            continue;
        }
        let transforms = rules.destination.transforms(&dname, &dc.name);
        if !transforms.is_empty() {
            let mut handlers = Vec::new();
            for t in transforms {
                match Handler::compile(t, &resolve_src, &mut plan.needs) {
                    Ok(h) => handlers.push(h),
                    Err(e) => problem(
                        plan,
                        "bad_rule",
                        &dc.name,
                        format!("`{dname}.{}`: {e}", dc.name),
                        String::new(),
                    ),
                }
            }
            filled.insert(
                di,
                CellPlan {
                    source: None,
                    handlers,
                    implicit: None,
                },
            );
            continue;
        }
        if let Some(v) = rules.destination.default_for(&dname, &dc.name) {
            let mut lit = Vec::new();
            crate::dump::literal::escape_into(&mut lit, v.as_bytes());
            filled.insert(
                di,
                CellPlan {
                    source: None,
                    handlers: Vec::new(),
                    implicit: Some(String::from_utf8_lossy(&lit).into_owned()),
                },
            );
            continue;
        }
        if !needs_value(dc) {
            continue;
        }
        if rules.destination.ignores_field(&dname, &dc.name) || auto {
            filled.insert(
                di,
                CellPlan {
                    source: None,
                    handlers: Vec::new(),
                    implicit: Some(implicit_default(dc)),
                },
            );
            continue;
        }
        plan.problems.push(Problem {
            kind: "unfilled_field",
            document: dname.clone(),
            field: Some(dc.name.clone()),
            message: format!(
                "destination field `{dname}.{}` is NOT NULL without a default and nothing fills it from `{name}`",
                dc.name
            ),
            suggestion: format!("[destination.defaults]\n\"{dname}.{}\" = \"<value>\"", dc.name),
        });
    }
    let columns = filled
        .keys()
        .map(|&i| dtable.columns[i].name.clone())
        .collect();
    let fits = fits(table, dtable, filled.iter().map(|(&di, cp)| (di, cp)));
    let cells = filled.into_values().collect();
    Disposition::Migrate(Box::new(TablePlan {
        dest: dname,
        columns,
        cells,
        emits,
        auto_dropped,
        fits,
    }))
}

#[allow(clippy::too_many_arguments)]
fn emit_copy(
    plan: &mut Plan,
    emits: &mut Vec<EmitPlan>,
    dest: &BTreeMap<String, Table>,
    name: &str,
    table: &Table,
    target: &str,
    cols: &[&str],
) {
    let Some(t) = dest.get(target) else {
        plan.problems.push(Problem {
            kind: "bad_rule",
            document: name.to_string(),
            field: None,
            message: format!(
                "`{name}` writes rows into `{target}`, which the Magento 2 baseline does not have"
            ),
            suggestion: String::new(),
        });
        return;
    };
    let mut idx = Vec::new();
    for c in cols {
        match (table.column_index(c), t.column_index(c)) {
            (Some(i), Some(_)) => idx.push(i),
            _ => {
                plan.problems.push(Problem {
                    kind: "bad_rule",
                    document: name.to_string(),
                    field: Some(c.to_string()),
                    message: format!(
                        "writing `{target}` from `{name}` needs column `{c}` on both sides"
                    ),
                    suggestion: String::new(),
                });
                return;
            }
        }
    }
    emits.push(EmitPlan {
        dest: target.to_string(),
        columns: cols.iter().map(|c| c.to_string()).collect(),
        kind: EmitKind::Copy(idx),
    });
}

fn emit_split(
    plan: &mut Plan,
    emits: &mut Vec<EmitPlan>,
    dest: &BTreeMap<String, Table>,
    name: &str,
    table: &Table,
    list: usize,
    t: &crate::map::Transform,
) {
    let (Some(doc), Some(key), Some(field)) = (
        t.params.get("document"),
        t.params.get("key"),
        t.params.get("field"),
    ) else {
        return; // the handler's own compile reports missing parameters
    };
    let ok = dest
        .get(doc)
        .is_some_and(|d| d.column_index(key).is_some() && d.column_index(field).is_some());
    match (ok, table.column_index(key)) {
        (true, Some(k)) => emits.push(EmitPlan {
            dest: doc.clone(),
            columns: vec![key.clone(), field.clone()],
            kind: EmitKind::SplitIds { key: k, list },
        }),
        _ => plan.problems.push(Problem {
            kind: "bad_rule",
            document: name.to_string(),
            field: Some(table.columns[list].name.clone()),
            message: format!("normalize_ids on `{name}` needs `{key}` in `{name}` and `{doc}` with columns `{key}` and `{field}` in Magento 2"),
            suggestion: String::new(),
        }),
    }
}

fn emit_synonym(
    plan: &mut Plan,
    emits: &mut Vec<EmitPlan>,
    dest: &BTreeMap<String, Table>,
    name: &str,
    table: &Table,
) {
    if emits
        .iter()
        .any(|e| matches!(e.kind, EmitKind::Synonym { .. }))
    {
        return;
    }
    let cols = (
        table.column_index("query_text"),
        table.column_index("synonym_for"),
        table.column_index("store_id"),
    );
    match (dest.get("search_synonyms"), cols) {
        (Some(_), (Some(query), Some(synonym), Some(store))) => emits.push(EmitPlan {
            dest: "search_synonyms".into(),
            columns: vec!["synonyms".into(), "store_id".into(), "website_id".into()],
            kind: EmitKind::Synonym { query, synonym, store },
        }),
        _ => plan.problems.push(Problem {
            kind: "bad_rule",
            document: name.to_string(),
            field: Some("synonym_for".into()),
            message: format!("the synonym handler needs `{name}` with query_text, synonym_for and store_id, and a Magento 2 `search_synonyms` table"),
            suggestion: String::new(),
        }),
    }
}

/// The cells to check against their destination column ([`fit::fit_for`]),
/// from each cell's destination column index and plan, in cell order.
fn fits<'p>(
    source: &Table,
    dest: &Table,
    cells: impl Iterator<Item = (usize, &'p CellPlan)>,
) -> Vec<(usize, Fit)> {
    cells
        .enumerate()
        .filter(|(_, (_, cp))| {
            cp.implicit.is_none() && (cp.source.is_some() || !cp.handlers.is_empty())
        })
        .filter_map(|(ci, (di, cp))| {
            let src = cp.source.and_then(|s| source.columns.get(s));
            let fit = fit::fit_for(src, dest.columns.get(di)?, !cp.handlers.is_empty())?;
            Some((ci, fit))
        })
        .collect()
}

/// A plan that copies the columns a source and a destination table share by
/// name; destination columns that need a value and get none take the value
/// MySQL would give them. For steps that own a table's shape (customers).
pub fn same_name_plan(source: &Table, dest_name: &str, dest: &Table) -> TablePlan {
    let mut columns = Vec::new();
    let mut cells = Vec::new();
    for dc in &dest.columns {
        let cell = match source.column_index(&dc.name) {
            Some(si) => CellPlan {
                source: Some(si),
                handlers: Vec::new(),
                implicit: None,
            },
            None if needs_value(dc) => CellPlan {
                source: None,
                handlers: Vec::new(),
                implicit: Some(implicit_default(dc)),
            },
            None => continue,
        };
        columns.push(dc.name.clone());
        cells.push(cell);
    }
    let fits = fits(
        source,
        dest,
        columns
            .iter()
            .zip(&cells)
            .filter_map(|(name, cp)| Some((dest.column_index(name)?, cp))),
    );
    TablePlan {
        dest: dest_name.to_string(),
        columns,
        cells,
        emits: Vec::new(),
        auto_dropped: Vec::new(),
        fits,
    }
}
