//! The volume report: every source row accounted for.
//!
//! `source_rows = written_rows + dropped_rows` for every table, always; the
//! JSON layout carries a `format_version` and is documented in the README.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

/// One source table's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableReport {
    /// The table as named in the dump (prefix included).
    pub source: String,
    /// Where its rows went.
    pub destination: Option<String>,
    /// Rows the dump holds.
    pub source_rows: u64,
    /// Rows written to the destination.
    pub written_rows: u64,
    /// Rows deliberately not written.
    pub dropped_rows: u64,
    /// Why rows were dropped.
    pub reason: Option<String>,
}

/// Rows the output holds for one table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DestinationReport {
    /// Destination table as written in the output.
    pub name: String,
    /// Rows the output holds for it.
    pub output_rows: u64,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Layout version of this JSON.
    pub format_version: u32,
    /// Per source table.
    pub tables: Vec<TableReport>,
    /// Per destination table in the output.
    pub destinations: Vec<DestinationReport>,
    /// Everything worth a look: handler warnings, orphans, dropped fields.
    pub warnings: Vec<String>,
}

/// Counted warnings, merged from workers: (table, field, message) → count.
#[derive(Debug, Clone, Default)]
pub struct Warnings(pub BTreeMap<(String, String, &'static str), u64>);

impl Warnings {
    /// Adds `n` occurrences.
    pub fn add(&mut self, table: &str, field: &str, msg: &'static str, n: u64) {
        *self
            .0
            .entry((table.to_string(), field.to_string(), msg))
            .or_default() += n;
    }

    /// Merges another set.
    pub fn merge(&mut self, o: Warnings) {
        for (k, n) in o.0 {
            *self.0.entry(k).or_default() += n;
        }
    }

    /// One line each.
    pub fn lines(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|((t, f, m), n)| format!("{t}.{f}: {m} ({n} rows)"))
            .collect()
    }
}

impl Report {
    /// A short human summary for stderr.
    pub fn summary(&self) -> String {
        let (mut src, mut written, mut dropped) = (0u64, 0u64, 0u64);
        let mut by_reason: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
        for t in &self.tables {
            src += t.source_rows;
            written += t.written_rows;
            dropped += t.dropped_rows;
            if let Some(r) = &t.reason {
                let e = by_reason.entry(r.as_str()).or_default();
                e.0 += 1;
                e.1 += t.dropped_rows;
            }
        }
        let out_rows: u64 = self.destinations.iter().map(|d| d.output_rows).sum();
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{} source tables, {src} rows: {written} written, {dropped} dropped; output: {} tables, {out_rows} rows",
            self.tables.len(),
            self.destinations.len()
        );
        for (reason, (tables, rows)) in by_reason {
            let _ = writeln!(s, "  dropped: {rows} rows of {tables} tables: {reason}");
        }
        if !self.warnings.is_empty() {
            let _ = writeln!(s, "  {} warnings (see the report)", self.warnings.len());
        }
        s
    }
}
