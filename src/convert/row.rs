//! Rows in flight: the source row as read, and the destination cells being built.

use crate::convert::plan::CellPlan;
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
    /// A string value already escaped as the body of a single-quoted
    /// literal, as [`escape_into`] writes it between the quotes.
    Escaped(Vec<u8>),
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
            Cell::Escaped(b) => Some(crate::dump::literal::unescape(b, b'\'')),
            Cell::Int(i) => Some(std::borrow::Cow::Owned(i.to_string().into_bytes())),
            Cell::Literal(s) => Some(std::borrow::Cow::Borrowed(s.as_bytes())),
            Cell::Sql(s) => Some(std::borrow::Cow::Borrowed(s.as_bytes())),
        }
    }

    /// At least the length of the cell's bytes, found without decoding them
    /// (a string's escaped body, a hex literal's half); `None` for NULL.
    pub fn len_bound(&self) -> Option<usize> {
        Some(match self {
            Cell::Null | Cell::Val(Value::Null) => return None,
            Cell::Val(Value::Str { body, .. }) => body.len(),
            Cell::Val(Value::Hex { digits, .. }) => digits.len().div_ceil(2),
            Cell::Val(Value::Number(n) | Value::Word(n) | Value::Bits(n)) => n.len(),
            Cell::Bytes(b) | Cell::Escaped(b) => b.len(),
            Cell::Int(_) => 20,
            Cell::Literal(s) => s.len(),
            Cell::Sql(s) => s.len(),
        })
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
            Cell::Escaped(b) => {
                out.reserve(b.len() + 2);
                out.push(b'\'');
                out.extend_from_slice(b);
                out.push(b'\'');
            }
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
    /// For a row read into its spans alone ([`crate::dump::Rows::spans_only`]):
    /// the statement text and the spans, which then hold the values instead
    /// of `values`.
    pub spans: Option<RowSpans<'r, 'a>>,
}

/// A statement's text, and where each value of one of its rows starts and
/// ends in it.
pub type RowSpans<'r, 'a> = (&'a [u8], &'r [(u32, u32)]);

impl<'r, 'a> SrcRow<'r, 'a> {
    /// The value of source column `idx`, if the statement has it.
    pub fn get(&self, idx: usize) -> Option<Value<'a>> {
        let pos = (*self.positions.get(idx)?)?;
        match self.spans {
            Some((text, spans)) => {
                let &(start, end) = spans.get(pos)?;
                Some(Value::from_verbatim(
                    text.get(start as usize..end as usize)?,
                ))
            }
            None => self.values.get(pos).copied(),
        }
    }

    /// The value of source column `idx` as a cell copies it (NULL when
    /// there is no column or the statement does not have it).
    pub fn cell(&self, idx: Option<usize>) -> Cell<'a> {
        idx.and_then(|i| self.get(i)).map_or(Cell::Null, Cell::Val)
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

/// A part of a destination row, as [`pieces`] lays it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// Values `first..=last` of the statement's row, copied unchanged into
    /// consecutive cells.
    Run(usize, usize),
    /// The cell at this index, rendered on its own.
    Cell(usize),
}

/// Lays out a destination row: consecutive cells that copy consecutive
/// values of the statement (`positions`: each source column's place in the
/// statement's rows), without a handler or a literal, become one run.
pub fn pieces(cells: &[CellPlan], positions: &[Option<usize>]) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for (ci, cp) in cells.iter().enumerate() {
        let value = cp
            .source
            .filter(|_| cp.handlers.is_empty() && cp.implicit.is_none())
            .and_then(|s| positions.get(s).copied().flatten());
        match (value, out.last_mut()) {
            (Some(v), Some(Piece::Run(_, last))) if *last + 1 == v => *last = v,
            (Some(v), _) => out.push(Piece::Run(v, v)),
            (None, _) => out.push(Piece::Cell(ci)),
        }
    }
    out
}

/// Renders a row as `(a,b,…)` by its [`pieces`]: runs are copied from the
/// statement `text` by the values' `spans`, which the caller has checked
/// are canonical ([`crate::dump::Rows::verbatim`]); other cells are rendered.
/// The same bytes as [`render_row`] when the statement separates its values
/// with a bare comma.
pub fn render_pieces(
    out: &mut Vec<u8>,
    pieces: &[Piece],
    cells: &[Cell<'_>],
    text: &[u8],
    spans: &[(u32, u32)],
) {
    out.push(b'(');
    for (i, p) in pieces.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match *p {
            Piece::Run(first, last) => {
                let (Some(&(start, _)), Some(&(_, end))) = (spans.get(first), spans.get(last))
                else {
                    // Not reached: a verbatim row has a span for every value.
                    continue;
                };
                out.extend_from_slice(&text[start as usize..end as usize]);
            }
            Piece::Cell(ci) => {
                if let Some(c) = cells.get(ci) {
                    c.render(out);
                }
            }
        }
    }
    out.push(b')');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::Insert;

    fn copy(source: usize) -> CellPlan {
        CellPlan {
            source: Some(source),
            handlers: Vec::new(),
            implicit: None,
        }
    }

    #[test]
    fn an_escaped_cell_is_written_as_it_is_and_read_unescaped() {
        let text: &[u8] = b"it's \"JSON\" \\ \0";
        let mut body = Vec::new();
        escape_into(&mut body, text);
        let cell = Cell::Escaped(body[1..body.len() - 1].to_vec());
        let mut out = Vec::new();
        cell.render(&mut out);
        assert_eq!(out, body);
        assert_eq!(cell.bytes().as_deref(), Some(text));
        assert!(!cell.is_null());
    }

    #[test]
    fn runs_follow_the_statement_order() {
        let literal = CellPlan {
            source: None,
            handlers: Vec::new(),
            implicit: Some("0".into()),
        };
        let cells = [copy(0), copy(1), literal, copy(2), copy(4), copy(3)];
        let identity: Vec<Option<usize>> = (0..5).map(Some).collect();
        assert_eq!(
            pieces(&cells, &identity),
            [
                Piece::Run(0, 1),
                Piece::Cell(2),
                Piece::Run(2, 2),
                Piece::Run(4, 4),
                Piece::Run(3, 3)
            ]
        );
        // A statement listing columns 3 and 4 the other way round, and
        // leaving out column 1.
        let listed = [Some(0), None, Some(1), Some(3), Some(2)];
        assert_eq!(
            pieces(&cells, &listed),
            [
                Piece::Run(0, 0),
                Piece::Cell(1),
                Piece::Cell(2),
                Piece::Run(1, 3)
            ]
        );
    }

    /// Copying runs gives the bytes of rendering every cell.
    #[test]
    fn pieces_render_like_cells() {
        let sql = b"INSERT INTO t VALUES (5,'a\\'b',NULL,-1.50,'x\\\\y',0)";
        let ins = Insert::parse(sql).unwrap();
        let mut rows = ins.rows().with_spans();
        let mut buf = Vec::new();
        assert!(rows.next_into(&mut buf).unwrap() && rows.verbatim());
        let literal = CellPlan {
            source: None,
            handlers: Vec::new(),
            implicit: Some("'z'".into()),
        };
        let plans = [
            copy(0),
            copy(1),
            copy(2),
            literal,
            copy(4),
            copy(3),
            copy(5),
        ];
        let positions: Vec<Option<usize>> = (0..6).map(Some).collect();
        let layout = pieces(&plans, &positions);
        let cells: Vec<Cell<'_>> = plans
            .iter()
            .map(|p| match p.source {
                Some(s) => Cell::Val(buf[s]),
                None => Cell::Sql("'z'"),
            })
            .collect();
        let mut want = Vec::new();
        render_row(&mut want, &cells);
        let mut got = Vec::new();
        render_pieces(&mut got, &layout, &cells, rows.text(), rows.spans());
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&want)
        );
        assert_eq!(&got[..], b"(5,'a\\'b',NULL,'z','x\\\\y',-1.50,0)");
    }
}
