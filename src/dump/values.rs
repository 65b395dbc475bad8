//! The zero-copy VALUES tokenizer: `INSERT … VALUES (…),(…)` into rows of
//! [`Value`]s that are slices of the input.
//!
//! Built with nom over bytes. A value keeps its literal form (a string's body
//! still escaped, a hex literal's digits); [`Value::bytes`] unescapes it to the
//! exact stored bytes only when asked, so counting or copying rows costs no
//! allocation per value.

use std::borrow::Cow;

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, tag_no_case, take_while, take_while1},
    character::complete::{char, multispace0, multispace1},
    combinator::opt,
    sequence::{pair, preceded},
};

use crate::dump::literal;
use crate::dump::split::string_end;
use crate::dump::statement::{Kind, unquote_ident};
use crate::error::{StatementError, found};

/// One value of a row, as written in the dump.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    /// `NULL`.
    Null,
    /// A number as written: `-12`, `3.50`, `1e-5`.
    Number(&'a [u8]),
    /// A quoted string; `body` is still escaped.
    Str {
        /// The bytes between the quotes.
        body: &'a [u8],
        /// `'` or `"`.
        quote: u8,
        /// A charset introducer such as `_binary` or `_utf8mb4`, without the underscore.
        charset: Option<&'a [u8]>,
    },
    /// A hex literal (`0x…` or `X'…'`): the digits.
    Hex {
        /// The hex digits.
        digits: &'a [u8],
        /// A charset introducer, without the underscore.
        charset: Option<&'a [u8]>,
    },
    /// A bit literal (`b'0101'`): the digits.
    Bits(&'a [u8]),
    /// A bare keyword such as `TRUE`, `FALSE`, `DEFAULT` or `CURRENT_TIMESTAMP`.
    Word(&'a [u8]),
}

impl<'a> Value<'a> {
    /// True for `NULL`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The exact bytes the value stores; `None` for `NULL`.
    ///
    /// Strings are unescaped, hex and bit literals decoded, numbers and words
    /// returned as written.
    pub fn bytes(&self) -> Option<Cow<'a, [u8]>> {
        match *self {
            Value::Null => None,
            Value::Number(n) | Value::Word(n) => Some(Cow::Borrowed(n)),
            Value::Str { body, quote, .. } => Some(literal::unescape(body, quote)),
            // The tokenizer checked the digits, so decoding cannot fail here.
            Value::Hex { digits, .. } => {
                Some(Cow::Owned(literal::hex_decode(digits).unwrap_or_default()))
            }
            Value::Bits(d) => Some(Cow::Owned(literal::bits_decode(d).unwrap_or_default())),
        }
    }

    /// The value whose text is `v`, one value of a row that
    /// [`Rows::spans_only`] left to its spans: `NULL`, a number, or a
    /// single-quoted string.
    pub fn from_verbatim(v: &'a [u8]) -> Value<'a> {
        match v.first() {
            Some(b'\'') => Value::Str {
                body: v.get(1..v.len() - 1).unwrap_or_default(),
                quote: b'\'',
                charset: None,
            },
            Some(b'N') => Value::Null,
            _ => Value::Number(v),
        }
    }

    /// Appends the value in canonical form: `NULL`, numbers as written, every
    /// string, hex or bit literal as one escaped single-quoted string.
    ///
    /// Two dumps of the same data made with different flags (`--hex-blob`,
    /// extended inserts or not, SQLyog or mysqldump) render the same way.
    pub fn write_canonical(&self, out: &mut Vec<u8>) {
        match *self {
            Value::Null => out.extend_from_slice(b"NULL"),
            Value::Number(n) | Value::Word(n) => out.extend_from_slice(n),
            Value::Str { charset, .. } | Value::Hex { charset, .. } => {
                if let Some(cs) = charset.filter(|c| !c.eq_ignore_ascii_case(b"binary")) {
                    out.push(b'_');
                    out.extend_from_slice(cs);
                    out.push(b' ');
                }
                if let Value::Str { body, quote, .. } = *self
                    && literal::is_canonical(body, quote)
                {
                    out.reserve(body.len() + 2);
                    out.push(b'\'');
                    out.extend_from_slice(body);
                    out.push(b'\'');
                    return;
                }
                let bytes = self.bytes().unwrap_or_default();
                literal::escape_into(out, &bytes);
            }
            Value::Bits(_) => {
                let bytes = self.bytes().unwrap_or_default();
                literal::escape_into(out, &bytes);
            }
        }
    }
}

/// The head of an INSERT statement, and where its rows start.
#[derive(Debug, Clone)]
pub struct Insert<'a> {
    /// `Insert`, `InsertIgnore` or `Replace`.
    pub kind: Kind,
    /// The table, unquoted, without a database qualifier.
    pub table: String,
    /// The column list, when the statement has one.
    pub columns: Option<Vec<String>>,
    text: &'a [u8],
    rows_at: usize,
}

type Res<'a, T> = IResult<&'a [u8], T>;

fn ident(i: &[u8]) -> Res<'_, String> {
    if let Some(rest) = i.strip_prefix(b"`") {
        let mut j = 0;
        loop {
            let Some(at) = memchr::memchr(b'`', &rest[j..]).map(|a| a + j) else {
                return Err(nom::Err::Error(nom::error::Error::new(
                    i,
                    nom::error::ErrorKind::Char,
                )));
            };
            if rest.get(at + 1) == Some(&b'`') {
                j = at + 2;
            } else {
                return Ok((&rest[at + 1..], unquote_ident(&rest[..at])));
            }
        }
    }
    let (rest, w) =
        take_while1(|b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80)
            .parse(i)?;
    Ok((rest, String::from_utf8_lossy(w).into_owned()))
}

fn qualified(i: &[u8]) -> Res<'_, String> {
    let (mut i, mut name) = ident(i)?;
    while let Ok((rest, part)) =
        preceded(pair(multispace0, char('.')), preceded(multispace0, ident)).parse(i)
    {
        i = rest;
        name = part;
    }
    Ok((i, name))
}

fn column_list(i: &[u8]) -> Res<'_, Vec<String>> {
    let (mut i, _) = (multispace0, char('('), multispace0).parse(i)?;
    let mut cols = Vec::new();
    loop {
        let (rest, c) = ident(i)?;
        cols.push(c);
        let (rest, _) = multispace0(rest)?;
        if let Ok((rest, _)) = char::<_, nom::error::Error<&[u8]>>(',').parse(rest) {
            i = multispace0(rest)?.0;
            continue;
        }
        let (rest, _) = char(')').parse(rest)?;
        return Ok((rest, cols));
    }
}

fn head(i: &[u8]) -> Res<'_, (Kind, String, Option<Vec<String>>)> {
    let (i, verb) = preceded(
        multispace0,
        alt((tag_no_case("INSERT"), tag_no_case("REPLACE"))),
    )
    .parse(i)?;
    let mut kind = if verb.eq_ignore_ascii_case(b"REPLACE") {
        Kind::Replace
    } else {
        Kind::Insert
    };
    let (i, mods) = nom::multi::many0(preceded(
        multispace1,
        alt((
            tag_no_case("LOW_PRIORITY"),
            tag_no_case("DELAYED"),
            tag_no_case("HIGH_PRIORITY"),
            tag_no_case("IGNORE"),
        )),
    ))
    .parse(i)?;
    if kind == Kind::Insert && mods.iter().any(|m| m.eq_ignore_ascii_case(b"IGNORE")) {
        kind = Kind::InsertIgnore;
    }
    let (i, _) = opt(preceded(multispace1, tag_no_case("INTO"))).parse(i)?;
    let (i, table) = preceded(multispace0, qualified).parse(i)?;
    let (i, columns) = opt(column_list).parse(i)?;
    let (i, _) = (
        multispace0,
        alt((tag_no_case("VALUES"), tag_no_case("VALUE"))),
        multispace0,
    )
        .parse(i)?;
    Ok((i, (kind, table, columns)))
}

impl<'a> Insert<'a> {
    /// Reads the head of an `INSERT`/`REPLACE … VALUES` statement.
    pub fn parse(text: &'a [u8]) -> Result<Self, StatementError> {
        match head(text) {
            Ok((rest, (kind, table, columns))) => Ok(Insert {
                kind,
                table,
                columns,
                text,
                rows_at: text.len() - rest.len(),
            }),
            Err(e) => {
                let at = match &e {
                    nom::Err::Error(e) | nom::Err::Failure(e) => text.len() - e.input.len(),
                    nom::Err::Incomplete(_) => text.len(),
                };
                Err(StatementError::new(
                    at,
                    format!(
                        "expected INSERT/REPLACE [IGNORE] [INTO] table [(columns)] VALUES, found {}",
                        found(&text[at..])
                    ),
                ))
            }
        }
    }

    /// The rows, in order.
    pub fn rows(&self) -> Rows<'a> {
        Rows::at(self.text, self.rows_at)
    }

    /// Where the first row starts, inside the statement text.
    pub fn rows_offset(&self) -> usize {
        self.rows_at
    }

    /// How many bytes at the start of the statement decide its head: the
    /// head and the byte after it. Another statement that starts with the
    /// same bytes has the same verb, table and columns, and its rows start
    /// at the same offset (see [`Insert::rows_of_run`]). `None` when nothing
    /// follows the head.
    pub fn head_len(&self) -> Option<usize> {
        (self.rows_at < self.text.len()).then_some(self.rows_at + 1)
    }

    /// The rows of each statement of a run ([`super::Dump::for_each_run`]),
    /// this statement's and the others' with the same head, whose heads are
    /// not parsed again; with the statement's index in the run, which an
    /// error names too.
    pub fn rows_of_run<'r, 't>(
        &'r self,
        run: &'r [super::Statement<'t>],
    ) -> impl Iterator<Item = Result<(usize, Rows<'t>), (usize, StatementError)>> + 'r {
        run.iter().enumerate().map(|(si, st)| {
            self.rows_of(st.text)
                .map(|rows| (si, rows))
                .map_err(|e| (si, e))
        })
    }

    /// The rows of another statement with the same head (starting with the
    /// same [`Insert::head_len`] bytes); an error when its head differs.
    fn rows_of<'b>(&self, text: &'b [u8]) -> Result<Rows<'b>, StatementError> {
        match self.head_len() {
            Some(n) if text.get(..n) == Some(&self.text[..n]) => Ok(Rows::at(text, self.rows_at)),
            _ => Err(StatementError::new(
                0,
                format!(
                    "expected the head of the INSERT before it, `{}`",
                    String::from_utf8_lossy(&self.text[..self.rows_at]).trim_end()
                ),
            )),
        }
    }
}

/// [`Insert::head_len`] of an INSERT or REPLACE statement; `None` for other
/// statements and for a head that does not parse.
pub fn insert_head_len(text: &[u8]) -> Option<usize> {
    Insert::parse(text).ok()?.head_len()
}

/// An iterator over the rows of an INSERT, reusing one value buffer.
#[derive(Debug, Clone)]
pub struct Rows<'a> {
    text: &'a [u8],
    pos: usize,
    row: usize,
    done: bool,
    /// With [`Rows::with_spans`]: where each value of the last row read
    /// starts and ends in the statement text.
    spans: Option<Vec<(u32, u32)>>,
    /// Whether every value of the last row read (with spans) is written
    /// as [`Value::write_canonical`] would write it.
    verbatim: bool,
    /// With [`Rows::lazy`]: verbatim rows leave the values to their spans.
    lazy: bool,
    /// Whether the last row's values are only in its spans.
    spans_only: bool,
}

impl<'a> Rows<'a> {
    /// The rows of `text` from `pos`, where its first row starts.
    fn at(text: &'a [u8], pos: usize) -> Rows<'a> {
        Rows {
            text,
            pos,
            row: 0,
            done: false,
            spans: None,
            verbatim: false,
            lazy: false,
            spans_only: false,
        }
    }
}

fn is_hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

/// Length of the number at the start of `i` (`[+-]digits[.digits][e[+-]digits]`
/// or `[+-].digits…`), or `None` when there is none.
#[inline(always)]
pub(crate) fn number_len(i: &[u8]) -> Option<usize> {
    // Most numbers end within 16 bytes: their digit runs are read from one
    // mask of the digits there (an exponent or a longer run is read below).
    if let Some(c) = i.first_chunk::<16>() {
        // The length of the run of digits from `p` (16 when it reaches the
        // end of the mask: the bits above the mask's 16 are clear, so the
        // complement stops the count there).
        let others = !super::scan::digit_mask(c);
        let run = |p: usize| (others >> p).trailing_zeros() as usize;
        let start = usize::from(matches!(c[0], b'+' | b'-'));
        let mut p = start + run(start);
        let mut seen = p - start;
        if p < 15 && c[p] == b'.' {
            let q = p + 1 + run(p + 1);
            seen += q - (p + 1);
            p = q;
        }
        if p < 16 && !matches!(c[p], b'.' | b'e' | b'E') {
            return (seen > 0).then_some(p);
        }
    }
    number_len_bytes(i)
}

/// [`number_len`] a byte at a time.
#[inline]
fn number_len_bytes(i: &[u8]) -> Option<usize> {
    let digits = |mut p: usize| {
        while i.get(p).is_some_and(u8::is_ascii_digit) {
            p += 1;
        }
        p
    };
    let start = usize::from(matches!(i.first(), Some(b'+' | b'-')));
    let mut p = digits(start);
    let mut seen = p - start;
    if i.get(p) == Some(&b'.') {
        let q = digits(p + 1);
        seen += q - (p + 1);
        p = q;
    }
    if seen == 0 {
        return None;
    }
    if matches!(i.get(p), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(i.get(p + 1), Some(b'+' | b'-')));
        let q = digits(p + 1 + sign);
        if q > p + 1 + sign {
            p = q;
        }
    }
    Some(p)
}

/// The common values — quoted strings, plain numbers and NULL — read without
/// going through the general parser: the value's length, the value, and
/// whether its text is already what [`Value::write_canonical`] writes.
/// `None` sends the caller to [`value`].
#[inline(always)]
fn fast_value(i: &[u8]) -> Option<(usize, Value<'_>, bool)> {
    match *i.first()? {
        q @ (b'\'' | b'"') => {
            let (end, canonical) = super::scan::string_scan(i, 1, q)?;
            Some((
                end,
                Value::Str {
                    body: &i[1..end - 1],
                    quote: q,
                    charset: None,
                },
                canonical,
            ))
        }
        b'0' if matches!(i.get(1), Some(b'x' | b'X')) => None,
        b'0'..=b'9' | b'-' => {
            let n = number_len(i)?;
            Some((n, Value::Number(&i[..n]), true))
        }
        // mysqldump's NULL, followed by the separator or the row's end.
        b'N' if i
            .get(..5)
            .is_some_and(|w| w[..4] == *b"NULL" && matches!(w[4], b',' | b')')) =>
        {
            Some((4, Value::Null, true))
        }
        b'N' | b'n'
            if i.len() >= 4
                && i[..4].eq_ignore_ascii_case(b"NULL")
                && !i
                    .get(4)
                    .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_') =>
        {
            Some((4, Value::Null, i.starts_with(b"NULL")))
        }
        _ => None,
    }
}

/// Reads one value at the start of `i`; `Err` carries a message.
fn value(i: &[u8]) -> Result<(&[u8], Value<'_>), &'static str> {
    const EXPECTED: &str =
        "expected a value (NULL, a number, a quoted string, a hex or bit literal)";
    let Some(&b) = i.first() else {
        return Err(EXPECTED);
    };
    match b {
        b'\'' | b'"' => {
            let end = string_end(i, 1, b).ok_or("unterminated string literal")?;
            Ok((
                &i[end..],
                Value::Str {
                    body: &i[1..end - 1],
                    quote: b,
                    charset: None,
                },
            ))
        }
        b'0'..=b'9' | b'-' | b'+' | b'.' => {
            if b == b'0' && matches!(i.get(1), Some(b'x') | Some(b'X')) {
                let (rest, digits) = take_while(is_hex)
                    .parse(&i[2..])
                    .map_err(|_: nom::Err<nom::error::Error<&[u8]>>| EXPECTED)?;
                return Ok((
                    rest,
                    Value::Hex {
                        digits,
                        charset: None,
                    },
                ));
            }
            let n = number_len(i).ok_or(EXPECTED)?;
            Ok((&i[n..], Value::Number(&i[..n])))
        }
        b'x' | b'X' | b'b' | b'B' if i.get(1) == Some(&b'\'') => {
            let close =
                memchr::memchr(b'\'', &i[2..]).ok_or("unterminated hex or bit literal")? + 2;
            let digits = &i[2..close];
            let rest = &i[close + 1..];
            if b == b'x' || b == b'X' {
                if !digits.iter().all(|&d| is_hex(d)) || digits.len() % 2 == 1 {
                    return Err("expected an even number of hex digits in X'…'");
                }
                Ok((
                    rest,
                    Value::Hex {
                        digits,
                        charset: None,
                    },
                ))
            } else {
                if !digits.iter().all(|&d| d == b'0' || d == b'1') {
                    return Err("expected only 0 and 1 in b'…'");
                }
                Ok((rest, Value::Bits(digits)))
            }
        }
        b'_' => {
            let (rest, cs) = take_while1::<_, _, nom::error::Error<&[u8]>>(|c: u8| {
                c.is_ascii_alphanumeric() || c == b'_'
            })
            .parse(&i[1..])
            .map_err(|_| EXPECTED)?;
            let (rest, _) =
                multispace0::<_, nom::error::Error<&[u8]>>(rest).map_err(|_| EXPECTED)?;
            match value(rest)? {
                (rest, Value::Str { body, quote, .. }) => Ok((
                    rest,
                    Value::Str {
                        body,
                        quote,
                        charset: Some(cs),
                    },
                )),
                (rest, Value::Hex { digits, .. }) => Ok((
                    rest,
                    Value::Hex {
                        digits,
                        charset: Some(cs),
                    },
                )),
                _ => Err("expected a string or hex literal after a charset introducer"),
            }
        }
        b'N' | b'n' if i.get(1) == Some(&b'\'') => {
            // National string N'…'.
            value(&i[1..])
        }
        b'a'..=b'z' | b'A'..=b'Z' => {
            let (rest, w) = take_while1::<_, _, nom::error::Error<&[u8]>>(|c: u8| {
                c.is_ascii_alphanumeric() || c == b'_'
            })
            .parse(i)
            .map_err(|_| EXPECTED)?;
            if w.eq_ignore_ascii_case(b"NULL") {
                return Ok((rest, Value::Null));
            }
            // A function call such as CURRENT_TIMESTAMP() keeps its parentheses.
            if let Ok((rest2, _)) = tag::<_, _, nom::error::Error<&[u8]>>("()").parse(rest) {
                let len = i.len() - rest2.len();
                return Ok((rest2, Value::Word(&i[..len])));
            }
            Ok((rest, Value::Word(w)))
        }
        _ => Err(EXPECTED),
    }
}

#[inline]
fn skip_ws(text: &[u8], mut pos: usize) -> usize {
    while pos < text.len() && text[pos].is_ascii_whitespace() {
        pos += 1;
    }
    pos
}

/// Where the row whose remaining values start at `pos` ends (just past its
/// `)`), skipping strings: a `)` ends the row when the statement ends after
/// it, or another row or `ON DUPLICATE KEY` follows (a keyword's `()`, as in
/// `NOW()`, is followed by neither). `None` for an unterminated string or row.
fn row_end(text: &[u8], mut pos: usize) -> Option<usize> {
    use super::scan::{BlockScan, Tier, next_close};
    let tier = Tier::best();
    loop {
        // Single-quoted strings are skipped 64 bytes at a time; the byte
        // scan below takes one step where the block scan gives up.
        let at = match next_close(tier, text, pos) {
            BlockScan::Delimiter(at) => at,
            BlockScan::From(from) => from + memchr::memchr3(b'\'', b'"', b')', text.get(from..)?)?,
        };
        match text[at] {
            b')' if closes_row(text, at) => return Some(at + 1),
            b')' => pos = at + 1,
            q => pos = string_end(text, at + 1, q)?,
        }
    }
}

/// Whether the `)` at `at` ends a row: the statement ends after it, or
/// another row or `ON DUPLICATE KEY` follows (a keyword's `()`, as in
/// `NOW()`, is followed by neither).
fn closes_row(text: &[u8], at: usize) -> bool {
    let next = skip_ws(text, at + 1);
    match text.get(next) {
        None => true,
        Some(b',') => text.get(skip_ws(text, next + 1)) == Some(&b'('),
        Some(b'O' | b'o') => true,
        Some(_) => false,
    }
}

impl<'a> Rows<'a> {
    /// Also records where each value of a row starts and ends, so that runs
    /// of values can be copied as the statement writes them (see
    /// [`Rows::verbatim`]). Statements of 4 GiB and more are read without.
    pub fn with_spans(self) -> Self {
        self.with_spans_in(Vec::new())
    }

    /// [`Rows::with_spans`], recording into `buf` (cleared first): a caller
    /// reading many short statements hands the buffer of one to the next
    /// (see [`Rows::take_spans`]) instead of growing a new one each time.
    pub fn with_spans_in(mut self, mut buf: Vec<(u32, u32)>) -> Self {
        if u32::try_from(self.text.len()).is_ok() {
            buf.clear();
            self.spans = Some(buf);
        }
        self
    }

    /// The buffer the spans were recorded in (empty when none were), for
    /// [`Rows::with_spans_in`].
    pub fn take_spans(&mut self) -> Vec<(u32, u32)> {
        self.spans.take().unwrap_or_default()
    }

    /// With [`Rows::with_spans`]: a row read whole whose values are all
    /// canonical and separated by bare commas (what mysqldump writes) is
    /// read into its spans alone, and the value buffer is left empty (see
    /// [`Rows::spans_only`] and [`Value::from_verbatim`]). A caller that
    /// reads a few values of each row and copies the rest by their spans
    /// then pays for no value it does not read.
    pub fn lazy(mut self) -> Self {
        self.lazy = true;
        self
    }

    /// True when the last row read left its values to its spans (with
    /// [`Rows::lazy`]): value `i` is
    /// `Value::from_verbatim(&text[spans[i].0..spans[i].1])`, and the row is
    /// [`Rows::verbatim`].
    pub fn spans_only(&self) -> bool {
        self.spans_only
    }

    /// The statement's text, which the spans index.
    pub fn text(&self) -> &'a [u8] {
        self.text
    }

    /// Where each value of the last row read starts and ends in
    /// [`Rows::text`] (empty without [`Rows::with_spans`]).
    pub fn spans(&self) -> &[(u32, u32)] {
        self.spans.as_deref().unwrap_or(&[])
    }

    /// True when spans are recorded and every value of the last row read is
    /// written as [`Value::write_canonical`] writes it (NULL, numbers, and
    /// strings in single quotes with mysqldump's escapes), so that the text
    /// from one value's start to a later value's end is the canonical
    /// rendering of those values and what separates them.
    pub fn verbatim(&self) -> bool {
        self.verbatim
    }

    /// Reads the next row into `out` (cleared first). `Ok(false)` after the last row.
    pub fn next_into(&mut self, out: &mut Vec<Value<'a>>) -> Result<bool, StatementError> {
        self.next_limited(out, usize::MAX)
    }

    /// Reads the first `n` values of the next row into `out` (cleared first)
    /// and skips the others, checking only that their strings end; a row's
    /// values after those a caller needs cost a scan for quotes and `)`.
    /// `Ok(false)` after the last row. A malformed row may be reported
    /// differently from [`Rows::next_into`]'s report, or only by it.
    pub fn next_prefix(
        &mut self,
        out: &mut Vec<Value<'a>>,
        n: usize,
    ) -> Result<bool, StatementError> {
        self.next_limited(out, n.max(1))
    }

    fn next_limited(
        &mut self,
        out: &mut Vec<Value<'a>>,
        limit: usize,
    ) -> Result<bool, StatementError> {
        out.clear();
        let mut verbatim = self.spans.is_some();
        if let Some(sp) = self.spans.as_mut() {
            sp.clear();
        }
        self.verbatim = false;
        self.spans_only = false;
        if self.done {
            return Ok(false);
        }
        let text = self.text;
        let mut pos = skip_ws(text, self.pos);
        if self.row > 0 {
            match text.get(pos) {
                Some(b',') => pos = skip_ws(text, pos + 1),
                None => {
                    self.done = true;
                    return Ok(false);
                }
                Some(_) => {
                    let rest = &text[pos..];
                    if let Ok((_, _)) = (
                        tag_no_case::<_, _, nom::error::Error<&[u8]>>("ON"),
                        multispace1,
                        tag_no_case("DUPLICATE"),
                    )
                        .parse(rest)
                    {
                        self.done = true;
                        return Ok(false);
                    }
                    return Err(StatementError::new(
                        pos,
                        format!(
                            "expected ',' and another row, or the end of the statement, after row {}; found {}",
                            self.row,
                            found(rest)
                        ),
                    ));
                }
            }
        }
        let row = self.row + 1;
        if text.get(pos) != Some(&b'(') {
            return Err(StatementError::new(
                pos,
                format!("row {row}: expected '(', found {}", found(&text[pos..])),
            ));
        }
        pos += 1;
        if self.lazy
            && limit == usize::MAX
            && let Some(end) = self.spans_row(pos)
        {
            self.pos = end;
            self.row = row;
            self.verbatim = true;
            self.spans_only = true;
            return Ok(true);
        }
        loop {
            pos = skip_ws(text, pos);
            if let Some((len, v, plain)) = fast_value(&text[pos..]) {
                out.push(v);
                if let Some(sp) = self.spans.as_mut() {
                    // Canonical, and separated from the value before by a
                    // bare comma.
                    verbatim &= plain && sp.last().is_none_or(|&(_, e)| e as usize + 1 == pos);
                    sp.push((pos as u32, (pos + len) as u32));
                }
                pos += len;
                // The common case: no blank before the separator.
                match text.get(pos) {
                    Some(b',') if out.len() >= limit => {
                        verbatim = false;
                        pos = row_end(text, pos + 1).ok_or_else(|| {
                            StatementError::new(
                                pos,
                                format!("row {row}: unterminated string or row"),
                            )
                        })?;
                        break;
                    }
                    Some(b',') => {
                        pos += 1;
                        continue;
                    }
                    Some(b')') => {
                        pos += 1;
                        break;
                    }
                    _ => {}
                }
                pos = skip_ws(text, pos);
                match text.get(pos) {
                    Some(b',') => {
                        pos += 1;
                        continue;
                    }
                    Some(b')') => {
                        pos += 1;
                        break;
                    }
                    _ => {
                        return Err(StatementError::new(
                            pos,
                            format!(
                                "row {row}: expected ',' or ')' after value {}, found {}",
                                out.len(),
                                found(&text[pos..])
                            ),
                        ));
                    }
                }
            }
            let (rest, v) = value(&text[pos..]).map_err(|msg| {
                StatementError::new(
                    pos,
                    format!(
                        "row {row}, value {}: {msg}, found {}",
                        out.len() + 1,
                        found(&text[pos..])
                    ),
                )
            })?;
            out.push(v);
            if let Some(sp) = self.spans.as_mut() {
                // Values the general parser reads are rendered, not copied.
                verbatim = false;
                sp.push((pos as u32, (text.len() - rest.len()) as u32));
            }
            pos = skip_ws(text, text.len() - rest.len());
            match text.get(pos) {
                Some(b',') => pos += 1,
                Some(b')') => {
                    pos += 1;
                    break;
                }
                _ => {
                    return Err(StatementError::new(
                        pos,
                        format!(
                            "row {row}: expected ',' or ')' after value {}, found {}",
                            out.len(),
                            found(&text[pos..])
                        ),
                    ));
                }
            }
        }
        self.pos = pos;
        self.row = row;
        self.verbatim = verbatim;
        Ok(true)
    }

    /// Reads the spans of a row whose values start at `from` (just past its
    /// `(`), when spans are recorded and every value is canonical and
    /// followed by a bare `,` or the row's `)`: where the row ends (past its
    /// `)`). `None` leaves the spans empty, and the row to the full reading,
    /// which reads it into values or reports what is wrong with it.
    fn spans_row(&mut self, from: usize) -> Option<usize> {
        let spans = self.spans.as_mut()?;
        let end = super::scan::row_spans(super::scan::Tier::best(), self.text, from, spans);
        if end.is_none() {
            spans.clear();
        }
        end
    }

    /// Counts the remaining rows, checking every value. A row of canonical
    /// values is judged by its spans alone ([`Rows::lazy`]), 64 bytes at a
    /// time; any other row is read value by value, which reports what is
    /// wrong with it.
    pub fn count(self) -> Result<u64, StatementError> {
        let mut rows = self.with_spans_in(Vec::with_capacity(64)).lazy();
        let mut buf = Vec::with_capacity(64);
        let mut n = 0;
        while rows.next_into(&mut buf)? {
            n += 1;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Numbers read from the digit mask end where the byte-by-byte reading
    /// ends them, from every position of random texts of number bytes.
    #[test]
    fn numbers_end_as_read_byte_by_byte() {
        let alphabet: &[&[u8]] = &[
            b"0", b"7", b"9", b".", b"-", b"+", b"e", b"E", b",", b")", b"/", b":", b" ",
            b"12.0000",
        ];
        let mut texts = crate::dump::scan::random_texts(alphabet, 0x9e37_79b9_7f4a_7c15, 30);
        let mut masked = 0;
        for _ in 0..4000 {
            let text = texts();
            for from in 0..text.len() {
                let i = &text[from..];
                assert_eq!(
                    number_len(i),
                    number_len_bytes(i),
                    "{:?}",
                    String::from_utf8_lossy(i)
                );
                masked += usize::from(i.len() >= 16);
            }
        }
        assert!(masked > 10_000, "only {masked} texts took the mask");
    }

    /// Reading only the first values of each row gives the same values and
    /// rows as reading them all, whatever the skipped values hold.
    #[test]
    fn a_row_prefix_is_read_like_the_whole_row() {
        for sql in [
            "INSERT INTO t VALUES (1,'a)b',2),(3,'),(',4),(5,'x\\'),(y',6)",
            "INSERT INTO t VALUES (1,\"q\"\"),(\",NOW(),'z'),(2,'',CURRENT_TIMESTAMP())",
            "INSERT INTO t VALUES (1,2,3) , (4,5,6)\n,\n(7,8,9)",
            "INSERT INTO t VALUES (1,_binary 'a)',0x29,b'1',NULL,-1.5e3) ON DUPLICATE KEY UPDATE a=1",
            "INSERT INTO t VALUES (1, 'a' ,NOW()),(2,'b',X'2829')",
        ] {
            let ins = Insert::parse(sql.as_bytes()).unwrap();
            let mut all = Vec::new();
            let mut it = ins.rows();
            let mut buf = Vec::new();
            while it.next_into(&mut buf).unwrap() {
                all.push(buf.clone());
            }
            for n in 1..=7 {
                let mut it = ins.rows();
                let mut got = Vec::new();
                while it.next_prefix(&mut buf, n).unwrap() {
                    got.push(buf.clone());
                }
                assert_eq!(got.len(), all.len(), "{sql} n={n}");
                for (g, a) in got.iter().zip(&all) {
                    assert!(g.len() >= n.min(a.len()), "{sql} n={n}: {g:?}");
                    assert_eq!(g[..], a[..g.len()], "{sql} n={n}");
                }
            }
        }
    }

    /// NULL is a keyword in any case and before any separator; a word that
    /// only starts with it is not NULL.
    #[test]
    fn null_is_read_in_every_spelling() {
        let sql = "INSERT INTO t VALUES (NULL,null,NULL ,'NULL',NuLl\n,NULLS,NULL),(NULL)";
        let ins = Insert::parse(sql.as_bytes()).unwrap();
        let mut rows = ins.rows();
        let mut row = Vec::new();
        assert!(rows.next_into(&mut row).unwrap());
        let nulls: Vec<bool> = row.iter().map(|v| matches!(v, Value::Null)).collect();
        assert_eq!(nulls, [true, true, true, false, true, false, true]);
        assert!(matches!(row[5], Value::Word(b"NULLS")));
        assert!(rows.next_into(&mut row).unwrap() && row == [Value::Null]);
        assert!(!rows.next_into(&mut row).unwrap());
    }

    /// A row read with spans is verbatim exactly when the text from its
    /// first value to its last is the values' canonical rendering, comma
    /// separated.
    #[test]
    fn verbatim_rows_are_their_canonical_rendering() {
        let cases: [(&str, bool); 13] = [
            ("(1,'a',NULL,-2.5,'')", true),
            ("( 7,'x' )", true),
            ("(1,'it\\'s \\\\ \\n\\0\\Z \\\"q\\\"')", true),
            ("('caf\u{e9} \u{65e5}',NULL)", true),
            ("(1,null)", false),
            ("(1, 'a')", false),
            ("(1 ,'a')", false),
            ("(1,'it''s')", false),
            ("(1,\"dq\")", false),
            ("(1,'tab\\t')", false),
            ("(1,_binary 'x')", false),
            ("(1,0x41)", false),
            ("(1,'raw\nline')", false),
        ];
        for (row, verbatim) in cases {
            let sql = format!("INSERT INTO t VALUES {row},(2,'b')");
            let ins = Insert::parse(sql.as_bytes()).unwrap();
            let mut it = ins.rows().with_spans();
            let mut buf = Vec::new();
            assert!(it.next_into(&mut buf).unwrap());
            assert_eq!(it.verbatim(), verbatim, "{row}");
            assert_eq!(it.spans().len(), buf.len(), "{row}");
            let mut canonical = Vec::new();
            for (k, v) in buf.iter().enumerate() {
                if k > 0 {
                    canonical.push(b',');
                }
                v.write_canonical(&mut canonical);
            }
            let (start, end) = (it.spans()[0].0, it.spans()[buf.len() - 1].1);
            let copied = &it.text()[start as usize..end as usize];
            assert_eq!(copied == canonical.as_slice(), verbatim, "{row}");
            // The next row starts afresh.
            assert!(it.next_into(&mut buf).unwrap());
            assert!(it.verbatim(), "{row}");
            assert!(!it.next_into(&mut buf).unwrap());
            assert!(!it.verbatim());
        }
        // Without spans, or when a prefix is read, nothing is verbatim.
        let ins = Insert::parse(b"INSERT INTO t VALUES (1,'a',2)").unwrap();
        let mut buf = Vec::new();
        let mut it = ins.rows();
        assert!(it.next_into(&mut buf).unwrap() && !it.verbatim() && it.spans().is_empty());
        let mut it = ins.rows().with_spans();
        assert!(it.next_prefix(&mut buf, 1).unwrap() && !it.verbatim());
    }

    /// Every row of `sql`, read with spans (lazily or not): per row its
    /// values (from the spans when the row left them there), spans and
    /// verbatim flag, and whether it was read into spans alone; or the error.
    #[allow(clippy::type_complexity)]
    fn read_all(
        sql: &[u8],
        lazy: bool,
    ) -> Result<Vec<(Vec<Value<'_>>, Vec<(u32, u32)>, bool, bool)>, StatementError> {
        let ins = Insert::parse(sql)?;
        let mut it = ins.rows().with_spans();
        if lazy {
            it = it.lazy();
        }
        let mut buf = Vec::new();
        let mut rows = Vec::new();
        while it.next_into(&mut buf)? {
            let values = if it.spans_only() {
                assert!(buf.is_empty() && it.verbatim());
                it.spans()
                    .iter()
                    .map(|&(a, e)| Value::from_verbatim(&sql[a as usize..e as usize]))
                    .collect()
            } else {
                buf.clone()
            };
            rows.push((values, it.spans().to_vec(), it.verbatim(), it.spans_only()));
        }
        Ok(rows)
    }

    #[test]
    fn lazy_rows_read_like_rows_read_into_values() {
        // Rows of values, mostly well formed; now and then a blank, a value
        // in another form, or a piece that breaks the statement.
        let values: &[&[u8]] = &[
            b"1",
            b"-2.5",
            b"1e5",
            b"0",
            b"'a'",
            b"'it\\'s \\\\ \\0'",
            b"''",
            b"NULL",
            b"'caf\xc3\xa9'",
            b"'a long string that crosses sixteen bytes'",
        ];
        let odd: &[&[u8]] = &[
            b"null",
            b"'x''y'",
            b"\"dq\"",
            b"0x41",
            b"_binary 'b'",
            b"NOW()",
            b" ",
            b"-",
            b"'raw\nline'",
            b"'\\t'",
            b"'",
            b")",
            b"(",
            b",",
            b"1 ",
            b"+1",
            b".5",
        ];
        let mut random = crate::xorshift(0x5eed_1a2b);
        let mut next = move |n: usize| (random() % n as u64) as usize;
        let (mut lazy_rows, mut errors) = (0, 0);
        for _ in 0..20_000 {
            let mut sql = b"INSERT INTO t VALUES ".to_vec();
            for r in 0..1 + next(3) {
                if r > 0 {
                    sql.extend_from_slice(if next(4) == 0 { b", " } else { b"," });
                }
                sql.push(b'(');
                for v in 0..1 + next(6) {
                    if v > 0 {
                        sql.push(b',');
                    }
                    if next(12) == 0 {
                        sql.extend_from_slice(odd[next(odd.len())]);
                    }
                    sql.extend_from_slice(values[next(values.len())]);
                }
                sql.push(b')');
            }
            let want = read_all(&sql, false);
            let got = read_all(&sql, true);
            match (&want, &got) {
                (Ok(w), Ok(g)) => {
                    lazy_rows += g.iter().filter(|r| r.3).count();
                    assert_eq!(w.len(), g.len());
                    for (w, g) in w.iter().zip(g) {
                        assert_eq!(
                            (&w.0, &w.1, w.2),
                            (&g.0, &g.1, g.2),
                            "{}",
                            String::from_utf8_lossy(&sql)
                        );
                    }
                }
                (Err(w), Err(g)) => {
                    errors += 1;
                    assert_eq!((w.at, &w.message), (g.at, &g.message));
                }
                _ => panic!("{}: {want:?} / {got:?}", String::from_utf8_lossy(&sql)),
            }
        }
        // Both kinds of rows, and malformed statements, were tried.
        assert!(lazy_rows > 1000 && errors > 1000, "{lazy_rows} {errors}");
    }

    /// `row_end` as a byte scan alone, to compare the block scan with.
    fn row_end_bytes(text: &[u8], mut pos: usize) -> Option<usize> {
        loop {
            let at = pos + memchr::memchr3(b'\'', b'"', b')', text.get(pos..)?)?;
            match text[at] {
                b')' if closes_row(text, at) => return Some(at + 1),
                b')' => pos = at + 1,
                q => pos = string_end(text, at + 1, q)?,
            }
        }
    }

    /// The block scan finds the same row ends as the byte scan, on random
    /// rows over the bytes that matter, from every start.
    #[test]
    fn row_ends_found_by_blocks_match_the_byte_scan() {
        let alphabet: &[&[u8]] = &[
            b"'",
            b"\"",
            b"\\",
            b")",
            b"),(",
            b",",
            b"(",
            b"a",
            b" ",
            b"''",
            b"O",
            b"\\\\",
            b"'x\\'y'",
            b"0123456789abcdef",
        ];
        let mut texts = crate::dump::scan::random_texts(alphabet, 0x2545_f491_4f6c_dd1d, 80);
        for case in 0..5000 {
            let text = texts();
            for from in (0..=text.len()).step_by(7) {
                assert_eq!(
                    row_end(&text, from),
                    row_end_bytes(&text, from),
                    "case {case} from {from}: {:?}",
                    String::from_utf8_lossy(&text)
                );
            }
        }
    }

    #[test]
    fn an_unterminated_string_after_the_prefix_is_an_error() {
        let ins = Insert::parse(b"INSERT INTO t VALUES (1,'abc)").unwrap();
        let mut it = ins.rows();
        assert!(it.next_prefix(&mut Vec::new(), 1).is_err());
    }

    fn rows(sql: &str) -> Vec<Vec<Option<Vec<u8>>>> {
        let ins = Insert::parse(sql.as_bytes()).unwrap();
        let mut it = ins.rows();
        let mut buf = Vec::new();
        let mut out = Vec::new();
        while it.next_into(&mut buf).unwrap() {
            out.push(
                buf.iter()
                    .map(|v| v.bytes().map(|b| b.into_owned()))
                    .collect(),
            );
        }
        out
    }

    #[test]
    fn head_forms() {
        let i = Insert::parse(b"insert  into `t`(`a`,`b`) values (1,2)").unwrap();
        assert_eq!(i.table, "t");
        assert_eq!(i.columns, Some(vec!["a".to_string(), "b".to_string()]));
        let i = Insert::parse(b"INSERT IGNORE INTO db.`x` VALUES (1)").unwrap();
        assert_eq!((i.kind, i.table.as_str()), (Kind::InsertIgnore, "x"));
        let i = Insert::parse(b"REPLACE INTO x (a) VALUE (1)").unwrap();
        assert_eq!(i.kind, Kind::Replace);
        assert!(Insert::parse(b"INSERT INTO x SELECT 1").is_err());
    }

    #[test]
    fn every_literal_form() {
        let got = rows(
            "INSERT INTO t VALUES (NULL,'NULL','',-12,3.50,1e-5,-.5e+3,0x00ff,X'41',b'101',_binary 'a\\0',_utf8mb4 'é','it''s',\"dq\",TRUE,CURRENT_TIMESTAMP())",
        );
        assert_eq!(got.len(), 1);
        let r = &got[0];
        assert_eq!(r[0], None);
        assert_eq!(r[1].as_deref(), Some(&b"NULL"[..]));
        assert_eq!(r[2].as_deref(), Some(&b""[..]));
        assert_eq!(r[3].as_deref(), Some(&b"-12"[..]));
        assert_eq!(r[4].as_deref(), Some(&b"3.50"[..]));
        assert_eq!(r[5].as_deref(), Some(&b"1e-5"[..]));
        assert_eq!(r[6].as_deref(), Some(&b"-.5e+3"[..]));
        assert_eq!(r[7].as_deref(), Some(&[0u8, 255][..]));
        assert_eq!(r[8].as_deref(), Some(&b"A"[..]));
        assert_eq!(r[9].as_deref(), Some(&[5u8][..]));
        assert_eq!(r[10].as_deref(), Some(&b"a\0"[..]));
        assert_eq!(r[11].as_deref(), Some("é".as_bytes()));
        assert_eq!(r[12].as_deref(), Some(&b"it's"[..]));
        assert_eq!(r[13].as_deref(), Some(&b"dq"[..]));
        assert_eq!(r[14].as_deref(), Some(&b"TRUE"[..]));
        assert_eq!(r[15].as_deref(), Some(&b"CURRENT_TIMESTAMP()"[..]));
    }

    #[test]
    fn numbers_strings_and_nulls_on_the_fast_path() {
        let got = rows(
            r#"INSERT INTO t VALUES (1.,+3,-0,NULL ,null,'a\'b' ,'0123456789abcdefghij\\',"x""y",'',NULLIF)"#,
        );
        let r: Vec<Option<&[u8]>> = got[0].iter().map(|v| v.as_deref()).collect();
        let e: Vec<Option<&[u8]>> = vec![
            Some(b"1."),
            Some(b"+3"),
            Some(b"-0"),
            None,
            None,
            Some(b"a'b"),
            Some(b"0123456789abcdefghij\\"),
            Some(b"x\"y"),
            Some(b""),
            Some(b"NULLIF"),
        ];
        assert_eq!(r, e);
        // `1e` is a number followed by a stray letter, and `-` is no number.
        for bad in ["(1e)", "(-)", "(1 2)"] {
            let sql = format!("INSERT INTO t VALUES {bad}");
            let ins = Insert::parse(sql.as_bytes()).unwrap();
            assert!(ins.rows().count().is_err(), "{bad}");
        }
    }

    /// Counting judges canonical rows by their spans and reads the others
    /// value by value: the same count, and the same error at the same
    /// place, as reading every row into values.
    #[test]
    fn count_agrees_with_reading_every_value() {
        let long = "x".repeat(200);
        let statements = [
            "INSERT INTO t VALUES (1,'a',NULL),(2,'b\\'c',-1.5),(3,'',0)".to_string(),
            format!("INSERT INTO t VALUES (1,'{long}',2),(2,'{long}\\\\',3)"),
            "INSERT INTO t VALUES (1, 'a'),\n(0x41,_binary 'b'),(1e5,NOW())".to_string(),
            "INSERT INTO t VALUES (1),(2) ON DUPLICATE KEY UPDATE a=VALUES(a)".to_string(),
            "INSERT INTO t VALUES ('it''s'),('a\\\\')".to_string(),
            "INSERT INTO t VALUES (1,2),(3".to_string(),
            "INSERT INTO t VALUES (1,'a'),(1e)".to_string(),
            "INSERT INTO t VALUES (1,'a'),(-)".to_string(),
            format!("INSERT INTO t VALUES (1,'{long}'),(2,'{long}) garbage"),
            "INSERT INTO t VALUES (1) garbage".to_string(),
        ];
        for sql in &statements {
            let ins = Insert::parse(sql.as_bytes()).unwrap();
            let mut it = ins.rows();
            let mut buf = Vec::new();
            let mut n = 0u64;
            let want = loop {
                match it.next_into(&mut buf) {
                    Ok(true) => n += 1,
                    Ok(false) => break Ok(n),
                    Err(e) => break Err((e.at, e.message)),
                }
            };
            let got = ins.rows().count().map_err(|e| (e.at, e.message));
            assert_eq!(got, want, "{sql}");
        }
    }

    #[test]
    fn multi_row_with_whitespace() {
        let got = rows("INSERT INTO t (a, b) VALUES\n (1, 'x'),\n (2, 'y;z') ");
        assert_eq!(got.len(), 2);
        assert_eq!(got[1][1].as_deref(), Some(&b"y;z"[..]));
    }

    #[test]
    fn on_duplicate_key_update_ends_rows() {
        let got = rows("INSERT INTO t VALUES (1),(2) ON DUPLICATE KEY UPDATE a=VALUES(a)");
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn values_borrow_the_input() {
        let sql = b"INSERT INTO t VALUES ('abc')";
        let ins = Insert::parse(sql).unwrap();
        let mut buf = Vec::new();
        ins.rows().next_into(&mut buf).unwrap();
        assert!(matches!(buf[0].bytes(), Some(Cow::Borrowed(_))));
    }

    #[test]
    fn errors_say_where_and_what() {
        let sql = b"INSERT INTO t VALUES (1,2),(3";
        let err = Insert::parse(sql).unwrap().rows().count().unwrap_err();
        assert_eq!(err.at, sql.len());
        assert!(
            err.message
                .contains("row 2: expected ',' or ')' after value 1"),
            "{}",
            err.message
        );
        let sql = b"INSERT INTO t VALUES (1,@x)";
        let err = Insert::parse(sql).unwrap().rows().count().unwrap_err();
        assert_eq!(err.at, 24);
        assert!(
            err.message.contains("row 1, value 2: expected a value"),
            "{}",
            err.message
        );
        let err = Insert::parse(b"INSERT INTO t VALUES (1) garbage")
            .unwrap()
            .rows()
            .count()
            .unwrap_err();
        assert!(err.message.contains("after row 1"), "{}", err.message);
    }

    #[test]
    fn canonical_form_is_the_same_for_hex_and_string() {
        let a = rows("INSERT INTO t VALUES (0x610A27)");
        let b = rows("INSERT INTO t VALUES ('a\\n\\'')");
        assert_eq!(a, b);
        let mut out = Vec::new();
        Value::Hex {
            digits: b"610A27",
            charset: Some(b"binary"),
        }
        .write_canonical(&mut out);
        assert_eq!(out, b"'a\\n\\''");
    }
}
