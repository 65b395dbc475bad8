//! The steps that carry the store's identity over by meaning rather than by
//! table map: settings, stores, the EAV merge and customers. Each works on
//! small tables held in memory ([`Rows`]) and returns the destination tables'
//! complete contents plus an account of every source row.

use std::collections::BTreeMap;

pub mod eav;
pub mod settings;
pub mod stores;

/// A table held in memory: column names and rows of exact values (`None` is NULL).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rows {
    /// Column names, in order.
    pub columns: Vec<String>,
    /// The rows; each has one value per column.
    pub rows: Vec<Vec<Option<Vec<u8>>>>,
}

impl Rows {
    /// An empty table with these columns.
    pub fn new<S: Into<String>>(columns: impl IntoIterator<Item = S>) -> Rows {
        Rows {
            columns: columns.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// The index of column `name`.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// The value of column `name` in `row`; `None` for NULL or no such column.
    pub fn get<'r>(&self, row: &'r [Option<Vec<u8>>], name: &str) -> Option<&'r [u8]> {
        self.col(name)
            .and_then(|i| row.get(i))
            .and_then(|v| v.as_deref())
    }

    /// The value of column `name` in `row` as text (lossy).
    pub fn text(&self, row: &[Option<Vec<u8>>], name: &str) -> Option<String> {
        self.get(row, name)
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }

    /// The value of column `name` in `row` as an integer.
    pub fn int(&self, row: &[Option<Vec<u8>>], name: &str) -> Option<i64> {
        self.get(row, name)
            .and_then(|b| std::str::from_utf8(b).ok())
            .and_then(|s| s.trim().parse().ok())
    }

    /// Sets column `name` of `row` (no-op when the column does not exist).
    pub fn set(&self, row: &mut [Option<Vec<u8>>], name: &str, value: Option<Vec<u8>>) {
        if let Some(i) = self.col(name)
            && let Some(slot) = row.get_mut(i)
        {
            *slot = value;
        }
    }
}

/// What a step did with one source table's rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Accounting {
    /// The source table (name without prefix).
    pub source: String,
    /// Rows that reached the output.
    pub written: u64,
    /// Rows deliberately left out, by reason.
    pub dropped: BTreeMap<String, u64>,
}

impl Accounting {
    /// An account for `source`.
    pub fn new(source: &str) -> Accounting {
        Accounting {
            source: source.to_string(),
            ..Accounting::default()
        }
    }

    /// Counts one dropped row.
    pub fn drop_row(&mut self, reason: &str) {
        *self.dropped.entry(reason.to_string()).or_default() += 1;
    }
}

/// The result of a step.
#[derive(Debug, Clone, Default)]
pub struct StepResult {
    /// Complete contents of destination tables (name without prefix); they
    /// replace the baseline's rows of those tables.
    pub tables: BTreeMap<String, Rows>,
    /// One entry per source table the step read.
    pub accounting: Vec<Accounting>,
    /// Findings for the report.
    pub warnings: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_and_set_by_column_name() {
        let mut t = Rows::new(["id", "code", "note"]);
        t.rows
            .push(vec![Some(b"7".to_vec()), Some(b"base".to_vec()), None]);
        let mut row = t.rows[0].clone();
        assert_eq!(t.col("code"), Some(1));
        assert_eq!(t.int(&row, "id"), Some(7));
        assert_eq!(t.text(&row, "code").as_deref(), Some("base"));
        assert_eq!(t.get(&row, "note"), None);
        assert_eq!(t.get(&row, "missing"), None);
        t.set(&mut row, "note", Some(b"x".to_vec()));
        t.set(&mut row, "missing", Some(b"y".to_vec()));
        assert_eq!(
            row,
            vec![
                Some(b"7".to_vec()),
                Some(b"base".to_vec()),
                Some(b"x".to_vec())
            ]
        );
        let mut a = Accounting::new("core_store");
        a.drop_row("orphan");
        a.drop_row("orphan");
        assert_eq!(a.dropped.get("orphan"), Some(&2));
    }
}
