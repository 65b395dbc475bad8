//! Rows in flight: the source row as read, and the destination cells being built.

use crate::dump::Value;
use crate::dump::literal::escape_into;

/// One destination value being built.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// SQL NULL.
    Null,
    /// A value as the dump wrote it, rendered canonically.
    Val(Value<'a>),
    /// A string value (exact bytes).
    Bytes(Vec<u8>),
    /// An integer.
    Int(i64),
    /// A number or keyword rendered as written (`0.0000`, `CURRENT_TIMESTAMP`).
    Literal(&'static str),
    /// An SQL literal from a plan (a quoted default), rendered as written.
    Sql(&'a str),
}

impl<'a> Cell<'a> {
    /// The value's bytes; `None` for NULL.
    pub fn bytes(&self) -> Option<std::borrow::Cow<'_, [u8]>> {
        match self {
            Cell::Null => None,
            Cell::Val(v) => v.bytes(),
            Cell::Bytes(b) => Some(std::borrow::Cow::Borrowed(b)),
            Cell::Int(i) => Some(std::borrow::Cow::Owned(i.to_string().into_bytes())),
            Cell::Literal(s) => Some(std::borrow::Cow::Borrowed(s.as_bytes())),
            Cell::Sql(s) => Some(std::borrow::Cow::Borrowed(s.as_bytes())),
        }
    }

    /// True for NULL.
    pub fn is_null(&self) -> bool {
        matches!(self, Cell::Null | Cell::Val(Value::Null))
    }

    /// Renders the cell as SQL.
    pub fn render(&self, out: &mut Vec<u8>) {
        match self {
            Cell::Null => out.extend_from_slice(b"NULL"),
            Cell::Val(v) => v.write_canonical(out),
            Cell::Bytes(b) => escape_into(out, b),
            Cell::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
            Cell::Literal(s) => out.extend_from_slice(s.as_bytes()),
            Cell::Sql(s) => out.extend_from_slice(s.as_bytes()),
        }
    }
}

/// A source row: its values by source column index.
#[derive(Debug, Clone, Copy)]
pub struct SrcRow<'r, 'a> {
    /// The values as the statement lists them.
    pub values: &'r [Value<'a>],
    /// For each source table column, its position in `values` (None: not in the statement).
    pub positions: &'r [Option<usize>],
}

impl<'r, 'a> SrcRow<'r, 'a> {
    /// The value of source column `idx`, if the statement has it.
    pub fn get(&self, idx: usize) -> Option<Value<'a>> {
        let pos = (*self.positions.get(idx)?)?;
        self.values.get(pos).copied()
    }

    /// The value of source column `idx`, borrowed, if the statement has it.
    pub fn get_ref(&self, idx: usize) -> Option<&'r Value<'a>> {
        let pos = (*self.positions.get(idx)?)?;
        self.values.get(pos)
    }

    /// The exact bytes of source column `idx`; `None` for NULL or absent.
    pub fn bytes(&self, idx: usize) -> Option<std::borrow::Cow<'a, [u8]>> {
        self.get(idx).and_then(|v| v.bytes())
    }
}

/// Renders a row of cells as `(a,b,…)`.
pub fn render_row(out: &mut Vec<u8>, cells: &[Cell<'_>]) {
    out.push(b'(');
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        c.render(out);
    }
    out.push(b')');
}
