//! PHP's `serialize` format and `json_encode`, over bytes.
//!
//! Magento 1 keeps structured values (order item options, payment data, rule
//! conditions) as PHP `serialize()` text; Magento 2 keeps them as JSON written by
//! `json_encode` with no flags. This module reads the first and writes both,
//! reproducing what PHP 8 does byte for byte where the data is well formed:
//!
//! - [`unserialize`] reads a value the way PHP's `unserialize()` does when every
//!   notice or warning is an error (as under Magento's error handler, which the
//!   Data Migration Tool runs under); [`unserialize_silenced`] reads it the way
//!   `@unserialize()` does (trailing bytes ignored, out-of-range integers clamped).
//! - [`serialize`] writes PHP's format back.
//! - [`to_json`] writes what `json_encode($value)` writes, or the error for which
//!   `json_encode` returns `false`.
//!
//! Strings are kept as bytes, borrowed from the input where possible. Nothing here
//! panics on any input: lengths, counts, nesting and reference expansion are all
//! bounded and checked.

use std::borrow::Cow;
use std::sync::LazyLock;

use foldhash::HashMap;
use memchr::memmem::Finder;

/// The deepest nesting of arrays and objects accepted, in reading and in
/// [`to_json`]: PHP's `json_encode` refuses deeper values (its default depth is
/// 512), so nothing deeper could become JSON anyway. Reading and writing use a
/// heap stack, not recursion, whatever the depth.
pub const MAX_DEPTH: usize = 512;

/// How many values reading may produce beyond the input's own length. References
/// (`r:`/`R:`) are expanded into copies, which could otherwise grow exponentially.
const EXPANSION_BUDGET: usize = 1 << 20;

/// Arrays with more elements than this get a hash index for duplicate keys.
const LINEAR_DEDUP_MAX: usize = 16;

/// Why a value could not be read or encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhpError {
    /// The serialized text does not follow PHP's grammar at `at`.
    #[error("at byte {at}: expected {expected}")]
    Syntax {
        /// Byte offset in the input.
        at: usize,
        /// What was expected there.
        expected: &'static str,
    },
    /// A string's declared byte length does not match its text (truncated or
    /// re-encoded data): the closing `";` is not where the length says.
    #[error("at byte {at}: string of declared length {len} does not end where its length says")]
    StringLength {
        /// Byte offset of the string's `s`.
        at: usize,
        /// The declared length.
        len: usize,
    },
    /// A number does not fit (an integer beyond 64 bits, a length beyond memory).
    #[error("at byte {at}: number out of range")]
    OutOfRange {
        /// Byte offset of the number.
        at: usize,
    },
    /// Arrays and objects nest deeper than [`MAX_DEPTH`].
    #[error("at byte {at}: nesting deeper than {MAX_DEPTH}")]
    TooDeep {
        /// Byte offset where the limit was passed.
        at: usize,
    },
    /// An `r:`/`R:` reference names no finished value (out of range, its own
    /// container, or for `r:` a value that is not an object).
    #[error("at byte {at}: reference {id} names no usable value")]
    BadReference {
        /// Byte offset of the reference.
        at: usize,
        /// The 1-based value number it names.
        id: usize,
    },
    /// Expanding references would produce too many values.
    #[error("at byte {at}: references expand to too many values")]
    TooLarge {
        /// Byte offset where the budget ran out.
        at: usize,
    },
    /// Bytes follow the value (PHP 8.3 warns "Extra data starting at offset").
    #[error("at byte {at}: unexpected bytes after the value")]
    Trailing {
        /// Byte offset of the first extra byte.
        at: usize,
    },
    /// `json_encode` fails: a string or key is not valid UTF-8.
    #[error("json_encode: malformed UTF-8 in a string")]
    Utf8,
    /// `json_encode` fails: a float is INF or NAN.
    #[error("json_encode: INF or NAN cannot be encoded")]
    InfOrNan,
    /// `json_encode` fails: nesting deeper than [`MAX_DEPTH`].
    #[error("json_encode: nesting deeper than {MAX_DEPTH}")]
    JsonDepth,
    /// A nested value that must be serialized text is of another type.
    #[error("expected serialized text in `{field}`, found {found}")]
    NotSerialized {
        /// The field that held it.
        field: &'static str,
        /// The PHP type found.
        found: &'static str,
    },
}

/// An array key: PHP arrays have integer and string keys. Reading turns decimal
/// string keys such as `"5"` into integers, as PHP does.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PhpKey<'a> {
    /// An integer key.
    Int(i64),
    /// A string key (bytes).
    Str(Cow<'a, [u8]>),
}

/// A PHP value as `unserialize()` produces it.
#[derive(Debug, Clone, PartialEq)]
pub enum PhpValue<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float (may be INF or NAN, which JSON cannot hold).
    Float(f64),
    /// A string: bytes, borrowed from the input where possible.
    Str(Cow<'a, [u8]>),
    /// An array, in order, keys unique.
    Array(Vec<(PhpKey<'a>, PhpValue<'a>)>),
    /// An object of class `class`; non-public property names keep PHP's
    /// `"\0Class\0name"` / `"\0*\0name"` form. Integer property names are read as
    /// strings, as PHP does.
    Object {
        /// The class name as serialized.
        class: Cow<'a, [u8]>,
        /// The properties, in order, names unique.
        props: Vec<(PhpKey<'a>, PhpValue<'a>)>,
    },
    /// A `C:` object (class implementing `Serializable`): its payload is kept as is.
    Custom {
        /// The class name as serialized.
        class: Cow<'a, [u8]>,
        /// The payload between the braces.
        data: Cow<'a, [u8]>,
    },
}

impl<'a> PhpKey<'a> {
    /// The key PHP uses for `$array[$bytes]`: a canonical decimal integer string
    /// (`"0"`, `"-7"`, not `"07"` or `"-0"`) becomes an integer key.
    pub fn normalized(bytes: &'a [u8]) -> PhpKey<'a> {
        match numeric_key(bytes) {
            Some(i) => PhpKey::Int(i),
            None => PhpKey::Str(Cow::Borrowed(bytes)),
        }
    }

    /// True when this key is the one `$array[$bytes]` addresses.
    pub fn is(&self, bytes: &[u8]) -> bool {
        match (self, numeric_key(bytes)) {
            (PhpKey::Int(a), Some(b)) => *a == b,
            (PhpKey::Str(s), None) => s.as_ref() == bytes,
            _ => false,
        }
    }

    /// The same key owning its bytes.
    pub fn into_owned(self) -> PhpKey<'static> {
        match self {
            PhpKey::Int(i) => PhpKey::Int(i),
            PhpKey::Str(s) => PhpKey::Str(Cow::Owned(s.into_owned())),
        }
    }
}

impl<'a> PhpValue<'a> {
    /// PHP's type name of the value (`gettype` style).
    pub fn type_name(&self) -> &'static str {
        match self {
            PhpValue::Null => "null",
            PhpValue::Bool(_) => "bool",
            PhpValue::Int(_) => "int",
            PhpValue::Float(_) => "float",
            PhpValue::Str(_) => "string",
            PhpValue::Array(_) => "array",
            PhpValue::Object { .. } | PhpValue::Custom { .. } => "object",
        }
    }

    /// PHP truthiness: false for `null`, `false`, `0`, `0.0`, `""`, `"0"` and `[]`.
    pub fn is_truthy(&self) -> bool {
        match self {
            PhpValue::Null => false,
            PhpValue::Bool(b) => *b,
            PhpValue::Int(i) => *i != 0,
            PhpValue::Float(f) => *f != 0.0,
            PhpValue::Str(s) => !(s.is_empty() || s.as_ref() == b"0"),
            PhpValue::Array(items) => !items.is_empty(),
            PhpValue::Object { .. } | PhpValue::Custom { .. } => true,
        }
    }

    /// The bytes of a string value.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            PhpValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// `$value[$key]` for an array (with PHP's key normalization); `None` for a
    /// missing key or a value that is not an array.
    pub fn get(&self, key: &[u8]) -> Option<&PhpValue<'a>> {
        match self {
            PhpValue::Array(items) => items.iter().find(|(k, _)| k.is(key)).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Mutable `$value[$key]` for an array; `None` as for [`PhpValue::get`].
    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut PhpValue<'a>> {
        match self {
            PhpValue::Array(items) => items.iter_mut().find(|(k, _)| k.is(key)).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The same value owning all its bytes.
    pub fn into_owned(self) -> PhpValue<'static> {
        fn entries(
            items: Vec<(PhpKey<'_>, PhpValue<'_>)>,
        ) -> Vec<(PhpKey<'static>, PhpValue<'static>)> {
            items
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        }
        match self {
            PhpValue::Null => PhpValue::Null,
            PhpValue::Bool(b) => PhpValue::Bool(b),
            PhpValue::Int(i) => PhpValue::Int(i),
            PhpValue::Float(f) => PhpValue::Float(f),
            PhpValue::Str(s) => PhpValue::Str(Cow::Owned(s.into_owned())),
            PhpValue::Array(items) => PhpValue::Array(entries(items)),
            PhpValue::Object { class, props } => PhpValue::Object {
                class: Cow::Owned(class.into_owned()),
                props: entries(props),
            },
            PhpValue::Custom { class, data } => PhpValue::Custom {
                class: Cow::Owned(class.into_owned()),
                data: Cow::Owned(data.into_owned()),
            },
        }
    }
}

/// PHP's numeric-string key rule (`ZEND_HANDLE_NUMERIC_STR`): an optional `-`,
/// then digits without a leading zero (except `"0"` itself), within `i64`.
fn numeric_key(s: &[u8]) -> Option<i64> {
    let (neg, digits) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if digits[0] == b'0' && s.len() > 1 {
        return None;
    }
    let mut v: i64 = 0;
    for &d in digits {
        let d = i64::from(d - b'0');
        v = v.checked_mul(10)?;
        v = if neg {
            v.checked_sub(d)?
        } else {
            v.checked_add(d)?
        };
    }
    Some(v)
}

/// Reads one serialized value, treating every PHP notice or warning as an error
/// (trailing bytes, integers out of range), as `unserialize()` under Magento's
/// error handler on PHP 8.3 does. Empty input gives `false` without an error, as
/// in PHP.
pub fn unserialize(input: &[u8]) -> Result<PhpValue<'_>, PhpError> {
    if input.is_empty() {
        return Ok(PhpValue::Bool(false));
    }
    let mut p = Parser::new(input, false);
    let v = p.value()?;
    if p.pos != input.len() {
        return Err(PhpError::Trailing { at: p.pos });
    }
    Ok(v)
}

/// Reads one serialized value the way `@unserialize()` does on PHP 8: bytes after
/// the value are ignored and integers out of range are clamped. Returns the value
/// and the number of bytes it took (empty input gives `false`, as in PHP).
pub fn unserialize_silenced(input: &[u8]) -> Result<(PhpValue<'_>, usize), PhpError> {
    if input.is_empty() {
        return Ok((PhpValue::Bool(false), 0));
    }
    let mut p = Parser::new(input, true);
    let v = p.value()?;
    Ok((v, p.pos))
}

/// `json_encode(unserialize($input))`: the Data Migration Tool's SerializeToJson.
pub fn serialized_to_json(input: &[u8]) -> Result<Vec<u8>, PhpError> {
    let mut out = Vec::with_capacity(input.len());
    if stream_to_json(input, &mut out) {
        return Ok(out);
    }
    write_json(&unserialize(input)?, &mut out)?;
    Ok(out)
}

/// [`serialized_to_json`] written as the body of an SQL string literal:
/// what [`crate::dump::literal::escape_into`] writes between the quotes for
/// that JSON, byte for byte. The streamed conversion writes it so directly
/// (a JSON quote as `\"`), which spares reading the JSON again.
pub fn serialized_to_json_sql(input: &[u8]) -> Result<Vec<u8>, PhpError> {
    let mut out = Vec::with_capacity(input.len() + input.len() / 8);
    if stream_to_json_sql(input, &mut out) {
        return Ok(out);
    }
    Ok(sql_body(&serialized_to_json(input)?))
}

/// `json` as the body of an SQL string literal (see [`serialized_to_json_sql`]).
pub fn sql_body(json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() + json.len() / 8);
    crate::dump::literal::escape_body_into(&mut out, json);
    out
}

/// Nesting beyond which [`stream_to_json`] leaves a value to the tree.
const STREAM_DEPTH: usize = 64;

/// Entries of one object whose keys [`stream_to_json`] compares for repeats;
/// a larger object is left to the tree.
const STREAM_KEYS: usize = 32;

/// An array [`stream_to_json`] is writing.
struct Streamed {
    /// Entries still to read.
    remaining: usize,
    /// Written as a JSON list: its keys so far were `0, 1, …`.
    list: bool,
    /// The key the next entry of a list must have.
    index: i64,
    /// Where an object's keys start on the shared key stack.
    keys_from: usize,
}

/// Appends `json_encode(unserialize($input))` to `out`, written straight from
/// the serialized text without building the value, for the shapes Magento
/// writes: arrays with `i:` and `s:` keys, `s:` strings, integers, floats,
/// booleans and null. Anything else (objects, references, `S:` strings, a key
/// repeated, an array whose keys begin as a list and then leave it, deep
/// nesting, any error) returns `false` with `out` as it was, and is left to
/// [`unserialize`] and [`to_json`]. Where it returns `true`, `out` holds
/// exactly what they give: the same parser reads every scalar and key, and the
/// same writers write them.
pub fn stream_to_json(input: &[u8], out: &mut Vec<u8>) -> bool {
    stream_or_leave::<false>(input, false, out)
}

/// [`stream_to_json`] writing the JSON as the body of an SQL string literal
/// (see [`serialized_to_json_sql`]).
pub fn stream_to_json_sql(input: &[u8], out: &mut Vec<u8>) -> bool {
    stream_or_leave::<true>(input, false, out)
}

/// [`serialized_to_json_sql`] of the serialized text that `body`, the body
/// of a single-quoted SQL literal in mysqldump's escaping, stands for, read
/// as it stands (no unescaped copy is made); `None` where
/// [`stream_to_json`] declines, or the literal has escapes mysqldump does
/// not write: the caller unescapes it and converts that.
pub fn sql_literal_to_json_sql(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len() + body.len() / 8);
    stream_or_leave::<true>(body, true, &mut out).then_some(out)
}

/// [`stream_json`], leaving `out` as it was when it declines.
fn stream_or_leave<const SQL: bool>(input: &[u8], sql_input: bool, out: &mut Vec<u8>) -> bool {
    let mark = out.len();
    let done = stream_json::<SQL>(input, sql_input, out).is_some();
    if !done {
        out.truncate(mark);
    }
    done
}

/// The streamed conversion; with `SQL`, the JSON is written escaped as an
/// SQL string literal's body.
fn stream_json<const SQL: bool>(input: &[u8], sql_input: bool, out: &mut Vec<u8>) -> Option<()> {
    // No reference is followed (they end the attempt), so no value is numbered
    // and no expansion needs a budget.
    let mut p = Parser {
        input,
        pos: 0,
        slots: None,
        replaying: 0,
        depth: 0,
        budget: usize::MAX,
        silenced: false,
        sql: sql_input,
    };
    let (mut stack, keys) = STREAM_STACKS.take();
    let mut keys = emptied(keys);
    let done = stream_values::<SQL>(&mut p, &mut stack, &mut keys, out);
    stack.clear();
    STREAM_STACKS.set((stack, emptied(keys)));
    done
}

thread_local! {
    /// The stacks of [`stream_json`], kept (empty) between its calls: a
    /// thread allocates them once, not twice for every value it converts.
    static STREAM_STACKS: std::cell::Cell<(Vec<Streamed>, Vec<PhpKey<'static>>)> =
        const { std::cell::Cell::new((Vec::new(), Vec::new())) };
}

/// `keys` emptied, as a vector of keys of another lifetime: collected in
/// place, it keeps its allocation.
#[expect(
    clippy::unnecessary_filter_map,
    reason = "`filter` cannot change the lifetime of the item type"
)]
fn emptied<'x, 'y>(keys: Vec<PhpKey<'x>>) -> Vec<PhpKey<'y>> {
    keys.into_iter().filter_map(|_| None).collect()
}

/// The loop of [`stream_json`], on its stacks.
fn stream_values<'a, const SQL: bool>(
    p: &mut Parser<'a>,
    stack: &mut Vec<Streamed>,
    keys: &mut Vec<PhpKey<'a>>,
    out: &mut Vec<u8>,
) -> Option<()> {
    let input = p.input;
    loop {
        let tag = p.peek()?;
        match tag {
            b'a' => {
                let n = p.array_header().ok()?;
                if n > p.remaining() / 2 || stack.len() >= STREAM_DEPTH {
                    return None;
                }
                if n == 0 {
                    p.expect(b'}', "").ok()?;
                    out.extend_from_slice(b"[]");
                } else {
                    let k = stream_key(p)?;
                    let list = k == PhpKey::Int(0);
                    let keys_from = keys.len();
                    if list {
                        out.push(b'[');
                    } else {
                        out.push(b'{');
                        push_json_key::<SQL>(out, &k).ok()?;
                        keys.push(k);
                    }
                    stack.push(Streamed {
                        remaining: n,
                        list,
                        index: 1,
                        keys_from,
                    });
                    continue;
                }
            }
            b'N' | b'b' | b'i' | b'd' | b's' => match p.scalar(tag).ok()? {
                PhpValue::Null => out.extend_from_slice(b"null"),
                PhpValue::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
                PhpValue::Int(i) => push_int(out, i),
                PhpValue::Float(f) if f.is_finite() => push_php_float(out, f, b'e'),
                PhpValue::Str(s) => push_json_string::<SQL>(out, &s).ok()?,
                _ => return None,
            },
            _ => return None,
        }
        // A value is complete: read the next key of its array, or close the
        // arrays it completes.
        loop {
            let Some(top) = stack.last_mut() else {
                return (p.pos == input.len()).then_some(());
            };
            top.remaining -= 1;
            if top.remaining > 0 {
                let k = stream_key(p)?;
                out.push(b',');
                if top.list {
                    if k != PhpKey::Int(top.index) {
                        return None;
                    }
                    top.index += 1;
                } else {
                    let own = keys.get(top.keys_from..).unwrap_or_default();
                    if own.len() >= STREAM_KEYS || own.contains(&k) {
                        return None;
                    }
                    push_json_key::<SQL>(out, &k).ok()?;
                    keys.push(k);
                }
                break;
            }
            p.expect(b'}', "").ok()?;
            out.push(if top.list { b']' } else { b'}' });
            keys.truncate(top.keys_from);
            stack.pop();
        }
    }
}

/// An array key for [`stream_to_json`]: `i:` or `s:` only.
fn stream_key<'a>(p: &mut Parser<'a>) -> Option<PhpKey<'a>> {
    match p.peek()? {
        b'i' | b's' => p.key(false).ok(),
        _ => None,
    }
}

/// A value's place in the input, for references. `end == OPEN` while it is read.
#[derive(Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
}

const OPEN: usize = usize::MAX;

/// How deeply the re-reading of referenced values may nest (a referenced
/// container that itself holds references, and so on).
const MAX_REPLAY: u32 = 64;

/// An array or object being read.
struct Open<'a> {
    items: Vec<(PhpKey<'a>, PhpValue<'a>)>,
    /// Key → position, built once the container grows past [`LINEAR_DEDUP_MAX`].
    index: Option<HashMap<PhpKey<'a>, usize>>,
    remaining: usize,
    /// The key of the entry being read.
    key: Option<PhpKey<'a>>,
    /// The class, for an object.
    class: Option<Cow<'a, [u8]>>,
    slot: Option<usize>,
}

/// A value read whole, or a container opened.
enum Start<'a> {
    Done(PhpValue<'a>),
    Open(Open<'a>),
}

struct Parser<'a> {
    input: &'a [u8],
    pos: usize,
    /// Every value read, numbered as PHP numbers them for `r:`/`R:` (None when
    /// the input holds no reference, to save the bookkeeping).
    slots: Option<Vec<Span>>,
    /// Above zero while a referenced value is read again: nothing is numbered.
    replaying: u32,
    depth: usize,
    budget: usize,
    silenced: bool,
    /// The input is the body of an SQL string literal in mysqldump's
    /// escaping (strings open with `\"`); only [`stream_json`] reads so.
    sql: bool,
}

/// Bytes PHP accepts in a class name (`zend_is_valid_class_name`).
fn is_class_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'\\' || b >= 0x80
}

impl<'a> Parser<'a> {
    fn new(input: &'a [u8], silenced: bool) -> Parser<'a> {
        static STRONG: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"R:"));
        static WEAK: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"r:"));
        let has_refs = STRONG.find(input).is_some() || WEAK.find(input).is_some();
        Parser {
            input,
            pos: 0,
            slots: has_refs.then(Vec::new),
            replaying: 0,
            depth: 0,
            budget: input.len().saturating_add(EXPANSION_BUDGET),
            silenced,
            sql: false,
        }
    }

    fn syntax<T>(&self, expected: &'static str) -> Result<T, PhpError> {
        Err(PhpError::Syntax {
            at: self.pos,
            expected,
        })
    }

    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    fn remaining(&self) -> usize {
        self.input.len().saturating_sub(self.pos)
    }

    fn expect(&mut self, b: u8, expected: &'static str) -> Result<(), PhpError> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            self.syntax(expected)
        }
    }

    /// `[0-9]+` as a length or count.
    fn uiv(&mut self, expected: &'static str) -> Result<usize, PhpError> {
        let start = self.pos;
        let mut v: usize = 0;
        while let Some(d) = self.peek().filter(u8::is_ascii_digit) {
            v = v
                .checked_mul(10)
                .and_then(|v| v.checked_add(usize::from(d - b'0')))
                .ok_or(PhpError::OutOfRange { at: start })?;
            self.pos += 1;
        }
        if self.pos == start {
            return self.syntax(expected);
        }
        Ok(v)
    }

    /// `[+-]?[0-9]+` as an integer; out of range is an error, or clamped when silenced.
    fn iv(&mut self, expected: &'static str) -> Result<i64, PhpError> {
        let start = self.pos;
        let neg = match self.peek() {
            Some(b'-') => {
                self.pos += 1;
                true
            }
            Some(b'+') => {
                self.pos += 1;
                false
            }
            _ => false,
        };
        let digits = self.pos;
        let mut v: i64 = 0;
        let mut overflow = false;
        while let Some(d) = self.peek().filter(u8::is_ascii_digit) {
            let d = i64::from(d - b'0');
            if !overflow {
                match v.checked_mul(10).and_then(|v| {
                    if neg {
                        v.checked_sub(d)
                    } else {
                        v.checked_add(d)
                    }
                }) {
                    Some(n) => v = n,
                    None => overflow = true,
                }
            }
            self.pos += 1;
        }
        if self.pos == digits {
            self.pos = start;
            return self.syntax(expected);
        }
        if overflow {
            if !self.silenced {
                return Err(PhpError::OutOfRange { at: start });
            }
            v = if neg { i64::MIN } else { i64::MAX };
        }
        Ok(v)
    }

    /// `a:n:{` at the current position: the element count.
    fn array_header(&mut self) -> Result<usize, PhpError> {
        self.pos += 1;
        self.expect(b':', "':' after a")?;
        let n = self.uiv("an element count")?;
        self.expect(b':', "':' after the element count")?;
        self.expect(b'{', "'{' opening the array")?;
        Ok(n)
    }

    fn enter(&mut self) -> Result<(), PhpError> {
        if self.depth >= MAX_DEPTH {
            return Err(PhpError::TooDeep { at: self.pos });
        }
        self.depth += 1;
        Ok(())
    }

    /// Reads one value. Arrays and objects are read with a stack on the heap,
    /// not by recursion, so deep nesting costs no call stack.
    fn value(&mut self) -> Result<PhpValue<'a>, PhpError> {
        let mut stack: Vec<Open<'a>> = Vec::new();
        loop {
            let mut v = match self.start()? {
                Start::Done(v) => v,
                Start::Open(mut open) => {
                    if open.remaining > 0 {
                        open.key = Some(self.key(open.class.is_some())?);
                        stack.push(open);
                        continue;
                    }
                    self.close(open)?
                }
            };
            // Hand the finished value to the containers it completes.
            loop {
                let Some(top) = stack.last_mut() else {
                    return Ok(v);
                };
                let k = top.key.take().unwrap_or(PhpKey::Int(0));
                insert_entry(&mut top.items, &mut top.index, k, v);
                top.remaining = top.remaining.saturating_sub(1);
                if top.remaining > 0 {
                    top.key = Some(self.key(top.class.is_some())?);
                    break;
                }
                let Some(open) = stack.pop() else {
                    return self.syntax("a value");
                };
                v = self.close(open)?;
            }
        }
    }

    /// Starts a value: a scalar, a reference or a `C:` object is read whole; an
    /// array or object is opened after its header.
    fn start(&mut self) -> Result<Start<'a>, PhpError> {
        let start = self.pos;
        let Some(tag) = self.peek() else {
            return self.syntax("a value");
        };
        self.budget = self
            .budget
            .checked_sub(1)
            .ok_or(PhpError::TooLarge { at: start })?;
        let slot = match &mut self.slots {
            Some(slots) if tag != b'R' && self.replaying == 0 => {
                slots.push(Span { start, end: OPEN });
                Some(slots.len() - 1)
            }
            _ => None,
        };
        let started = match tag {
            b'a' => {
                let n = self.array_header()?;
                Start::Open(self.open(n, None, slot)?)
            }
            b'O' | b'C' => self.object(tag, slot)?,
            b'r' | b'R' => {
                let (v, target) = self.reference(tag == b'R')?;
                // An `r:` value is numbered too; it stands for its target's text,
                // so chains of references are read again in one step.
                if let (Some(i), Some(slots)) = (slot, &mut self.slots)
                    && let Some(s) = slots.get_mut(i)
                {
                    *s = target;
                }
                return Ok(Start::Done(v));
            }
            _ => Start::Done(self.scalar(tag)?),
        };
        if let Start::Done(_) = started {
            self.finish_slot(slot);
        }
        Ok(started)
    }

    fn finish_slot(&mut self, slot: Option<usize>) {
        if let (Some(i), Some(slots)) = (slot, &mut self.slots)
            && let Some(s) = slots.get_mut(i)
        {
            s.end = self.pos;
        }
    }

    /// Opens an array (`class` None) or object of `n` entries.
    fn open(
        &mut self,
        n: usize,
        class: Option<Cow<'a, [u8]>>,
        slot: Option<usize>,
    ) -> Result<Open<'a>, PhpError> {
        // PHP rejects counts that could not fit: every element takes at least 2 bytes.
        if n > self.remaining() / 2 {
            return self.syntax("an element count that fits the remaining input");
        }
        self.enter()?;
        Ok(Open {
            items: Vec::with_capacity(n),
            index: None,
            remaining: n,
            key: None,
            class,
            slot,
        })
    }

    /// Closes an array or object at its `}`.
    fn close(&mut self, open: Open<'a>) -> Result<PhpValue<'a>, PhpError> {
        self.expect(b'}', "'}' closing the array")?;
        self.depth = self.depth.saturating_sub(1);
        self.finish_slot(open.slot);
        Ok(match open.class {
            Some(class) => PhpValue::Object {
                class,
                props: open.items,
            },
            None => PhpValue::Array(open.items),
        })
    }

    /// `N;`, `b:`, `i:`, `d:`, `s:`/`S:`; anything else is an error.
    fn scalar(&mut self, tag: u8) -> Result<PhpValue<'a>, PhpError> {
        Ok(match tag {
            b'N' => {
                self.pos += 1;
                self.expect(b';', "';' after N")?;
                PhpValue::Null
            }
            b'b' => {
                self.pos += 1;
                self.expect(b':', "':' after b")?;
                let b = match self.peek() {
                    Some(b'0') => false,
                    Some(b'1') => true,
                    _ => return self.syntax("0 or 1"),
                };
                self.pos += 1;
                self.expect(b';', "';' after a bool")?;
                PhpValue::Bool(b)
            }
            b'i' => {
                self.pos += 1;
                self.expect(b':', "':' after i")?;
                let i = self.iv("an integer")?;
                self.expect(b';', "';' after an integer")?;
                PhpValue::Int(i)
            }
            b'd' => {
                self.pos += 1;
                self.expect(b':', "':' after d")?;
                let f = self.float()?;
                self.expect(b';', "';' after a float")?;
                PhpValue::Float(f)
            }
            b's' | b'S' => PhpValue::Str(self.string()?),
            b'}' => {
                return self
                    .syntax("a value, not the end of the array (fewer elements than declared)");
            }
            _ => return self.syntax("a value (N, b, i, d, s, a, O, C, r or R)"),
        })
    }

    /// After `d:`: `NAN`, `INF`, `-INF`, or a decimal number with optional exponent.
    fn float(&mut self) -> Result<f64, PhpError> {
        let rest = self.input.get(self.pos..).unwrap_or_default();
        for (word, v) in [
            (&b"NAN"[..], f64::NAN),
            (b"INF", f64::INFINITY),
            (b"-INF", f64::NEG_INFINITY),
        ] {
            if rest.starts_with(word) && rest.get(word.len()) == Some(&b';') {
                self.pos += word.len();
                return Ok(v);
            }
        }
        let start = self.pos;
        let digits = |p: &mut Parser<'_>| {
            let s = p.pos;
            while p.peek().is_some_and(|b| b.is_ascii_digit()) {
                p.pos += 1;
            }
            p.pos - s
        };
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.pos += 1;
        }
        let int_digits = digits(self);
        let mut frac_digits = 0;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            frac_digits = digits(self);
        }
        if int_digits + frac_digits == 0 {
            self.pos = start;
            return self.syntax("a float");
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return self.syntax("exponent digits");
            }
        }
        let text = self.input.get(start..self.pos).unwrap_or_default();
        // Rust's parser wants a digit on both sides of the point; "1." and ".5" are PHP's too.
        let mut buf = String::with_capacity(text.len() + 2);
        let mut prev = b'+';
        for &b in text {
            if b == b'.' && !prev.is_ascii_digit() {
                buf.push('0');
            }
            if prev == b'.' && !b.is_ascii_digit() {
                buf.push('0');
            }
            buf.push(char::from(b));
            prev = b;
        }
        if prev == b'.' {
            buf.push('0');
        }
        buf.parse::<f64>().or_else(|_| self.syntax("a float"))
    }

    /// `s:len:"bytes";` or the escaped `S:len:"…";`.
    fn string(&mut self) -> Result<Cow<'a, [u8]>, PhpError> {
        let start = self.pos;
        let escaped = self.peek() == Some(b'S');
        self.pos += 1;
        self.expect(b':', "':' after s")?;
        let len = self.uiv("a string length")?;
        self.expect(b':', "':' after the string length")?;
        if self.sql {
            self.expect(b'\\', "'\\\"' opening the string")?;
        }
        self.expect(b'"', "'\"' opening the string")?;
        let bad_len = PhpError::StringLength { at: start, len };
        let bytes = if self.sql {
            if escaped {
                return self.syntax("s, not S, in an SQL literal");
            }
            self.sql_string(len, &bad_len)?
        } else if escaped {
            let mut out = Vec::with_capacity(len.min(self.remaining()));
            for _ in 0..len {
                let Some(b) = self.peek() else {
                    return Err(bad_len);
                };
                self.pos += 1;
                if b == b'\\' {
                    let hex = self
                        .input
                        .get(self.pos..self.pos + 2)
                        .ok_or(bad_len.clone())?;
                    let v = std::str::from_utf8(hex)
                        .ok()
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                        .ok_or(PhpError::Syntax {
                            at: self.pos,
                            expected: "two hex digits after '\\'",
                        })?;
                    self.pos += 2;
                    out.push(v);
                } else {
                    out.push(b);
                }
            }
            Cow::Owned(out)
        } else {
            let end = self
                .pos
                .checked_add(len)
                .filter(|&e| e <= self.input.len())
                .ok_or(bad_len.clone())?;
            let s = self.input.get(self.pos..end).ok_or(bad_len.clone())?;
            self.pos = end;
            Cow::Borrowed(s)
        };
        let close: &[u8] = if self.sql { b"\\\";" } else { b"\";" };
        if !self
            .input
            .get(self.pos..)
            .unwrap_or_default()
            .starts_with(close)
        {
            return Err(bad_len);
        }
        self.pos += close.len();
        Ok(bytes)
    }

    /// The `len` bytes of a string, read from the body of an SQL literal:
    /// mysqldump's escapes (`\0 \n \r \Z \\ \' \"`) are read as
    /// [`crate::dump::literal::unescape`] reads them. Any other escape, and
    /// a bare single quote (which another dump tool may write doubled), are
    /// errors: the caller unescapes the literal and reads it again.
    fn sql_string(&mut self, len: usize, bad_len: &PhpError) -> Result<Cow<'a, [u8]>, PhpError> {
        let input = self.input;
        let window = input
            .get(self.pos..)
            .and_then(|r| r.get(..len))
            .ok_or(bad_len.clone())?;
        if !crate::dump::scan::contains_either(window, b'\\', b'\'') {
            self.pos += len;
            return Ok(Cow::Borrowed(window));
        }
        let mut out = Vec::with_capacity(len);
        let mut i = self.pos;
        while out.len() < len {
            match input.get(i..).unwrap_or_default() {
                [b'\\', e, ..] => {
                    out.push(match e {
                        b'0' => 0,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b'Z' => 26,
                        b'\\' | b'\'' | b'"' => *e,
                        _ => return self.syntax("one of mysqldump's escapes"),
                    });
                    i += 2;
                }
                [b'\'', ..] | [b'\\'] => return self.syntax("an escaped single quote"),
                [b, ..] => {
                    out.push(*b);
                    i += 1;
                }
                [] => return Err(bad_len.clone()),
            }
        }
        self.pos = i;
        Ok(Cow::Owned(out))
    }

    /// An array key (`i:` or `s:`/`S:`), normalized as PHP does.
    fn key(&mut self, object: bool) -> Result<PhpKey<'a>, PhpError> {
        match self.peek() {
            Some(b'i') => {
                self.pos += 1;
                self.expect(b':', "':' after i")?;
                let i = self.iv("an integer key")?;
                self.expect(b';', "';' after an integer key")?;
                Ok(if object {
                    PhpKey::Str(Cow::Owned(i.to_string().into_bytes()))
                } else {
                    PhpKey::Int(i)
                })
            }
            Some(b's' | b'S') => {
                let s = self.string()?;
                if object {
                    return Ok(PhpKey::Str(s));
                }
                Ok(match numeric_key(&s) {
                    Some(i) => PhpKey::Int(i),
                    None => PhpKey::Str(s),
                })
            }
            _ => self.syntax("an array key (i: or s:)"),
        }
    }

    /// `O:len:"Class":n:{` (opened) or `C:len:"Class":len:{payload}` (whole).
    fn object(&mut self, tag: u8, slot: Option<usize>) -> Result<Start<'a>, PhpError> {
        self.pos += 1;
        self.expect(b':', "':' after O")?;
        let len = self.uiv("a class name length")?;
        self.expect(b':', "':' after the class name length")?;
        self.expect(b'"', "'\"' opening the class name")?;
        let start = self.pos;
        let end = start
            .checked_add(len)
            .filter(|&e| e <= self.input.len() && len > 0);
        let Some(class) = end.and_then(|e| self.input.get(start..e)) else {
            return self.syntax("a class name of the declared length");
        };
        self.pos = start + len;
        self.expect(b'"', "'\"' closing the class name")?;
        self.expect(b':', "':' after the class name")?;
        let valid =
            class.first().is_some_and(|&b| b != b'\\') && class.iter().all(|&b| is_class_byte(b));
        if !valid {
            self.pos = start;
            return self.syntax("a valid class name");
        }
        let class = Cow::Borrowed(class);
        let count_at = self.pos;
        let n = self.iv("a count")?;
        self.expect(b':', "':' after the count")?;
        self.expect(b'{', "'{' opening the object")?;
        let n = usize::try_from(n).map_err(|_| PhpError::Syntax {
            at: count_at,
            expected: "a count >= 0",
        })?;
        if tag == b'C' {
            let data = self
                .pos
                .checked_add(n)
                .filter(|&e| e < self.input.len())
                .and_then(|e| self.input.get(self.pos..e))
                .ok_or(PhpError::Syntax {
                    at: count_at,
                    expected: "a payload of the declared length",
                })?;
            self.pos += n;
            self.expect(b'}', "'}' closing the payload")?;
            return Ok(Start::Done(PhpValue::Custom {
                class,
                data: Cow::Borrowed(data),
            }));
        }
        Ok(Start::Open(self.open(n, Some(class), slot)?))
    }

    /// `R:n;` or `r:n;`: a copy of the n-th value read (1-based, in PHP's
    /// numbering), and the text it was read from.
    fn reference(&mut self, strong: bool) -> Result<(PhpValue<'a>, Span), PhpError> {
        let at = self.pos;
        self.pos += 1;
        self.expect(b':', "':' after r")?;
        let id = self.uiv("a reference number")?;
        self.expect(b';', "';' after a reference")?;
        let bad = PhpError::BadReference { at, id };
        let span = self
            .slots
            .as_ref()
            .and_then(|s| s.get(id.checked_sub(1)?))
            .copied()
            .filter(|s| s.end != OPEN)
            .ok_or(bad.clone())?;
        // The copy is read again from its text. Such readings nest only when a
        // referenced container itself holds references; bound them anyway.
        if self.replaying >= MAX_REPLAY {
            return Err(PhpError::TooDeep { at });
        }
        let back = self.pos;
        self.pos = span.start;
        self.replaying += 1;
        let v = self.value();
        self.replaying -= 1;
        self.pos = back;
        let v = v?;
        if !strong && !matches!(v, PhpValue::Object { .. } | PhpValue::Custom { .. }) {
            return Err(bad);
        }
        Ok((v, span))
    }
}

/// Appends `k => v`, or replaces the value of an existing `k` in its place.
fn insert_entry<'a>(
    items: &mut Vec<(PhpKey<'a>, PhpValue<'a>)>,
    index: &mut Option<HashMap<PhpKey<'a>, usize>>,
    k: PhpKey<'a>,
    v: PhpValue<'a>,
) {
    if items.len() >= LINEAR_DEDUP_MAX && index.is_none() {
        *index = Some(
            items
                .iter()
                .enumerate()
                .map(|(i, (k, _))| (k.clone(), i))
                .collect(),
        );
    }
    let existing = match index {
        Some(ix) => match ix.get(&k) {
            Some(&i) => Some(i),
            None => {
                ix.insert(k.clone(), items.len());
                None
            }
        },
        None => items.iter().position(|(ek, _)| *ek == k),
    };
    match existing.and_then(|i| items.get_mut(i)) {
        Some(slot) => slot.1 = v,
        None => items.push((k, v)),
    }
}

/// Writes a value in PHP's `serialize()` format (references come out expanded;
/// floats as PHP 7.1+ writes them, shortest round-trip digits).
pub fn serialize(value: &PhpValue<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    write_serialized(value, &mut out);
    out
}

fn push_len_str(out: &mut Vec<u8>, tag: u8, bytes: &[u8]) {
    out.push(tag);
    out.push(b':');
    push_int(out, bytes.len() as i64);
    out.extend_from_slice(b":\"");
    out.extend_from_slice(bytes);
    out.push(b'"');
}

type Entries<'v, 'a> = std::slice::Iter<'v, (PhpKey<'a>, PhpValue<'a>)>;

/// Writes `value`; arrays and objects are walked with a heap stack.
fn write_serialized(value: &PhpValue<'_>, out: &mut Vec<u8>) {
    let mut stack: Vec<Entries<'_, '_>> = Vec::new();
    let mut next = Some(value);
    loop {
        if let Some(v) = next.take() {
            match v {
                PhpValue::Null => out.extend_from_slice(b"N;"),
                PhpValue::Bool(b) => out.extend_from_slice(if *b { b"b:1;" } else { b"b:0;" }),
                PhpValue::Int(i) => {
                    out.extend_from_slice(b"i:");
                    push_int(out, *i);
                    out.push(b';');
                }
                PhpValue::Float(f) => {
                    out.extend_from_slice(b"d:");
                    push_php_float(out, *f, b'E');
                    out.push(b';');
                }
                PhpValue::Str(s) => {
                    push_len_str(out, b's', s);
                    out.push(b';');
                }
                PhpValue::Array(items) | PhpValue::Object { props: items, .. } => {
                    if let PhpValue::Object { class, .. } = v {
                        push_len_str(out, b'O', class);
                        out.push(b':');
                    } else {
                        out.extend_from_slice(b"a:");
                    }
                    push_int(out, items.len() as i64);
                    out.extend_from_slice(b":{");
                    stack.push(items.iter());
                }
                PhpValue::Custom { class, data } => {
                    push_len_str(out, b'C', class);
                    out.push(b':');
                    push_int(out, data.len() as i64);
                    out.extend_from_slice(b":{");
                    out.extend_from_slice(data);
                    out.push(b'}');
                }
            }
            continue;
        }
        let Some(top) = stack.last_mut() else {
            return;
        };
        match top.next() {
            Some((k, v)) => {
                match k {
                    PhpKey::Int(i) => {
                        out.extend_from_slice(b"i:");
                        push_int(out, *i);
                        out.push(b';');
                    }
                    PhpKey::Str(s) => {
                        push_len_str(out, b's', s);
                        out.push(b';');
                    }
                }
                next = Some(v);
            }
            None => {
                out.push(b'}');
                stack.pop();
            }
        }
    }
}

fn push_int(out: &mut Vec<u8>, i: i64) {
    out.extend_from_slice(itoa::Buffer::new().format(i).as_bytes());
}

/// A float as PHP prints it with `serialize_precision = -1` (`zend_gcvt` with the
/// shortest round-trip digits and a 17-digit switch to exponent form): `0.1`, `1`,
/// `-0`, `1.0e+25`, `1.0e-5`; INF and NAN as `INF`, `-INF`, `NAN`.
fn push_php_float(out: &mut Vec<u8>, f: f64, exp_char: u8) {
    if f.is_nan() {
        out.extend_from_slice(b"NAN");
        return;
    }
    if f.is_sign_negative() {
        out.push(b'-');
    }
    let a = f.abs();
    if a.is_infinite() {
        out.extend_from_slice(b"INF");
        return;
    }
    if a == 0.0 {
        out.push(b'0');
        return;
    }
    // An integral value below 10^15 (a quantity, an id) is written as its
    // integer: its shortest digits have no fraction, and its exponent is in
    // the plain range.
    if a < 1e15 && a.fract() == 0.0 {
        push_int(out, a as i64);
        return;
    }
    push_float_digits(out, a, exp_char);
}

/// [`push_php_float`] of a finite `a` above zero (its sign written) from
/// its shortest digits.
fn push_float_digits(out: &mut Vec<u8>, a: f64, exp_char: u8) {
    use std::io::Write;
    // Shortest digits and exponent, as d.ddde±x.
    let mut buf = [0u8; 40];
    let mut cur = std::io::Cursor::new(&mut buf[..]);
    if write!(cur, "{a:e}").is_err() {
        out.extend_from_slice(b"NAN");
        return;
    }
    let n = usize::try_from(cur.position()).unwrap_or(0);
    let text = buf.get(..n).unwrap_or_default();
    let e_at = text.iter().position(|&b| b == b'e').unwrap_or(text.len());
    let mut digits = [0u8; 24];
    let mut nd = 0;
    for &b in text.get(..e_at).unwrap_or_default() {
        if b.is_ascii_digit() && nd < digits.len() {
            digits[nd] = b;
            nd += 1;
        }
    }
    let digits = &digits[..nd.max(1)];
    let exp: i32 = std::str::from_utf8(text.get(e_at + 1..).unwrap_or_default())
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let decpt = exp + 1;
    if !(-3..=17).contains(&decpt) {
        out.push(digits[0]);
        out.push(b'.');
        match digits.get(1..) {
            Some(rest) if !rest.is_empty() => out.extend_from_slice(rest),
            _ => out.push(b'0'),
        }
        out.push(exp_char);
        out.push(if exp < 0 { b'-' } else { b'+' });
        push_int(out, i64::from(exp.unsigned_abs()));
    } else if decpt < 0 {
        out.extend_from_slice(b"0.");
        for _ in decpt..0 {
            out.push(b'0');
        }
        out.extend_from_slice(digits);
    } else {
        let int_len = decpt as usize;
        for i in 0..int_len {
            out.push(digits.get(i).copied().unwrap_or(b'0'));
        }
        if let Some(frac) = digits.get(int_len..).filter(|f| !f.is_empty()) {
            if int_len == 0 {
                out.push(b'0');
            }
            out.push(b'.');
            out.extend_from_slice(frac);
        }
    }
}

/// What `json_encode($value)` (no flags, PHP 7.1+) writes: arrays with keys
/// exactly `0..n-1` in order become lists, other arrays and objects become
/// objects (non-public properties left out; an object of a class other than
/// `stdClass` is encoded as PHP 8 encodes the `__PHP_Incomplete_Class` it gets
/// when the class does not exist, with a leading `__PHP_Incomplete_Class_Name`);
/// a `C:` object likewise holds only that name); `/` is escaped, non-ASCII is
/// written as `\uXXXX` (surrogate pairs beyond U+FFFF), control characters as
/// `\b \f \n \r \t` or `\u00XX`. Floats use `serialize_precision = -1`, the
/// shortest digits that read back the same; without `JSON_PRESERVE_ZERO_FRACTION`
/// an integral float has no fraction (`1.0` → `1`, `1e25` → `1.0e+25`).
/// Malformed UTF-8, INF/NAN and nesting deeper than [`MAX_DEPTH`] are errors, as
/// `json_encode` returns `false` for them.
pub fn to_json(value: &PhpValue<'_>) -> Result<Vec<u8>, PhpError> {
    to_json_sized(value, 0)
}

/// [`to_json`] into a buffer of `capacity` bytes to start with (the length of
/// the serialized text is a good guess: the JSON is rarely much longer).
pub fn to_json_sized(value: &PhpValue<'_>, capacity: usize) -> Result<Vec<u8>, PhpError> {
    let mut out = Vec::with_capacity(capacity);
    write_json(value, &mut out)?;
    Ok(out)
}

fn is_list(items: &[(PhpKey<'_>, PhpValue<'_>)]) -> bool {
    items
        .iter()
        .enumerate()
        .all(|(i, (k, _))| matches!(k, PhpKey::Int(n) if i64::try_from(i) == Ok(*n)))
}

/// An array or object being written as JSON.
struct JsonOpen<'v, 'a> {
    items: Entries<'v, 'a>,
    list: bool,
    /// A PHP object: its non-public properties (and the incomplete-class name,
    /// already written) are left out.
    object: bool,
    incomplete: bool,
    any: bool,
    close: u8,
}

const IC_NAME: &[u8] = b"__PHP_Incomplete_Class_Name";

/// Writes `value` as `json_encode` does; arrays and objects are walked with a
/// heap stack, whose height is the nesting depth PHP limits.
fn write_json(value: &PhpValue<'_>, out: &mut Vec<u8>) -> Result<(), PhpError> {
    let mut stack: Vec<JsonOpen<'_, '_>> = Vec::new();
    let mut next = Some(value);
    loop {
        if let Some(v) = next.take() {
            match v {
                PhpValue::Null => out.extend_from_slice(b"null"),
                PhpValue::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
                PhpValue::Int(i) => push_int(out, *i),
                PhpValue::Float(f) => {
                    if !f.is_finite() {
                        return Err(PhpError::InfOrNan);
                    }
                    push_php_float(out, *f, b'e');
                }
                PhpValue::Str(s) => push_json_string::<false>(out, s)?,
                PhpValue::Array(items) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(PhpError::JsonDepth);
                    }
                    let list = is_list(items);
                    out.push(if list { b'[' } else { b'{' });
                    stack.push(JsonOpen {
                        items: items.iter(),
                        list,
                        object: false,
                        incomplete: false,
                        any: false,
                        close: if list { b']' } else { b'}' },
                    });
                }
                PhpValue::Object { class, props } => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(PhpError::JsonDepth);
                    }
                    out.push(b'{');
                    let incomplete = !class.eq_ignore_ascii_case(b"stdClass");
                    stack.push(JsonOpen {
                        items: props.iter(),
                        list: false,
                        object: true,
                        incomplete,
                        any: incomplete,
                        close: b'}',
                    });
                    if incomplete {
                        // PHP stores the class name as the first property; a
                        // serialized property of that name overwrites it in place.
                        push_json_string::<false>(out, IC_NAME)?;
                        out.push(b':');
                        match props
                            .iter()
                            .find(|(k, _)| matches!(k, PhpKey::Str(s) if s.as_ref() == IC_NAME))
                        {
                            Some((_, named)) => next = Some(named),
                            None => push_json_string::<false>(out, class)?,
                        }
                    }
                }
                PhpValue::Custom { class, .. } => {
                    // `Serializable` payloads of classes Magento 2 lacks load as an
                    // incomplete object holding only its class name.
                    out.extend_from_slice(b"{\"__PHP_Incomplete_Class_Name\":");
                    push_json_string::<false>(out, class)?;
                    out.push(b'}');
                }
            }
            continue;
        }
        let Some(top) = stack.last_mut() else {
            return Ok(());
        };
        let entry = top.items.by_ref().find(|(k, _)| {
            !top.object
                || match k {
                    PhpKey::Str(s) => {
                        s.first() != Some(&0) && !(top.incomplete && s.as_ref() == IC_NAME)
                    }
                    PhpKey::Int(_) => true,
                }
        });
        match entry {
            Some((k, v)) => {
                if top.any {
                    out.push(b',');
                }
                top.any = true;
                if !top.list {
                    push_json_key::<false>(out, k)?;
                }
                next = Some(v);
            }
            None => {
                out.push(top.close);
                stack.pop();
            }
        }
    }
}

fn push_json_key<const SQL: bool>(out: &mut Vec<u8>, k: &PhpKey<'_>) -> Result<(), PhpError> {
    match k {
        PhpKey::Int(i) => {
            push_quote::<SQL>(out);
            push_int(out, *i);
            push_quote::<SQL>(out);
        }
        PhpKey::Str(s) => push_json_string::<SQL>(out, s)?,
    }
    out.push(b':');
    Ok(())
}

/// A JSON string's quote; escaped with `SQL`.
#[inline]
fn push_quote<const SQL: bool>(out: &mut Vec<u8>) {
    if SQL {
        out.extend_from_slice(b"\\\"");
    } else {
        out.push(b'"');
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn push_u16_escape(out: &mut Vec<u8>, u: u16) {
    out.extend_from_slice(b"\\u");
    for shift in [12, 8, 4, 0] {
        out.push(HEX[usize::from((u >> shift) & 0xf)]);
    }
}

/// A JSON string as `json_encode` writes it with no flags; with `SQL`,
/// escaped as in an SQL string literal's body.
fn push_json_string<const SQL: bool>(out: &mut Vec<u8>, s: &[u8]) -> Result<(), PhpError> {
    // The plain ASCII the string starts with (often all of it) needs no
    // UTF-8 check and is written as it is.
    let plain_len = crate::dump::scan::json_plain_prefix(s);
    if SQL {
        // Plain ASCII holds no byte SQL escapes but the single quote.
        if plain_len == s.len() && !crate::dump::scan::contains_either(s, b'\'', b'\'') {
            out.reserve(s.len() + 4);
            push_quote::<true>(out);
            out.extend_from_slice(s);
            push_quote::<true>(out);
        } else {
            let mut json = Vec::with_capacity(s.len() + 8);
            push_json_string::<false>(&mut json, s)?;
            crate::dump::literal::escape_body_into(out, &json);
        }
        return Ok(());
    }
    if plain_len == s.len() {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s);
        out.push(b'"');
        return Ok(());
    }
    let (plain, s) = s.split_at(plain_len);
    let text = std::str::from_utf8(s).map_err(|_| PhpError::Utf8)?;
    out.reserve(plain.len() + s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(plain);
    let mut run = 0; // start of the pending unescaped run
    let mut i = 0;
    loop {
        // Plain ASCII is skipped sixteen bytes at a time.
        i += crate::dump::scan::json_plain_prefix(&s[i..]);
        let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
            break;
        };
        out.extend_from_slice(s.get(run..i).unwrap_or_default());
        run = i + c.len_utf8();
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '/' => out.extend_from_slice(b"\\/"),
            '\x08' => out.extend_from_slice(b"\\b"),
            '\x0c' => out.extend_from_slice(b"\\f"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            _ => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    push_u16_escape(out, *u);
                }
            }
        }
        i = run;
    }
    out.extend_from_slice(s.get(run..).unwrap_or_default());
    out.push(b'"');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(input: &[u8]) -> String {
        String::from_utf8(serialized_to_json(input).unwrap()).unwrap()
    }

    fn s(b: &[u8]) -> PhpValue<'_> {
        PhpValue::Str(Cow::Borrowed(b))
    }

    fn key(b: &[u8]) -> PhpKey<'_> {
        PhpKey::Str(Cow::Borrowed(b))
    }

    /// A tiny deterministic generator for the garbage tests.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 33
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    // Values shaped like Magento 1.9 data (written by PHP's serialize()).
    const PAYPAL_ADDITIONAL_INFORMATION: &[u8] = br#"a:12:{s:15:"paypal_payer_id";s:13:"ABCDEFGH12345";s:18:"paypal_payer_email";s:17:"buyer@example.com";s:19:"paypal_payer_status";s:8:"verified";s:21:"paypal_address_status";s:9:"confirmed";s:21:"paypal_correlation_id";s:12:"a1b2c3d4e5f6";s:32:"paypal_express_checkout_payer_id";s:13:"ABCDEFGH12345";s:29:"paypal_express_checkout_token";s:20:"EC-1AB23456CD789012E";s:21:"paypal_payment_status";s:9:"completed";s:21:"paypal_pending_reason";s:4:"None";s:29:"paypal_protection_eligibility";s:8:"Eligible";s:20:"paypal_fraud_filters";a:0:{}s:15:"authorize_cards";a:1:{s:4:"a1b2";a:4:{s:16:"requested_amount";d:19.99;s:16:"processed_amount";s:5:"19.99";s:7:"cc_type";s:2:"VI";s:8:"cc_last4";s:4:"1111";}}}"#;
    const WIDGET_PARAMETERS: &[u8] = br#"a:6:{s:12:"display_type";s:12:"all_products";s:10:"show_pager";s:1:"0";s:14:"products_count";s:2:"10";s:8:"template";s:49:"catalog/product/widget/new/content/new_grid.phtml";s:14:"cache_lifetime";s:0:"";s:9:"unique_id";s:32:"c2a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5";}"#;
    const INFO_BUY_REQUEST: &[u8] = br#"a:6:{s:4:"uenc";s:44:"aHR0cDovL3d3dy5leGFtcGxlLmNvbS9jYXJ0Lmh0bWw,";s:7:"product";s:3:"337";s:8:"form_key";s:16:"a1B2c3D4e5F6g7H8";s:15:"related_product";s:0:"";s:7:"options";a:2:{i:7;s:0:"";i:8;s:14:"Ich liebe dich";}s:3:"qty";s:1:"2";}"#;
    const APPLIED_TAXES: &[u8] = br#"a:1:{s:14:"US-CA-*-Rate 1";a:6:{s:5:"rates";a:1:{i:0;a:6:{s:4:"code";s:14:"US-CA-*-Rate 1";s:5:"title";s:14:"US-CA-*-Rate 1";s:7:"percent";d:8.25;s:8:"position";s:1:"1";s:8:"priority";s:1:"1";s:7:"rule_id";s:1:"1";}}s:7:"percent";d:8.25;s:2:"id";s:14:"US-CA-*-Rate 1";s:7:"process";i:0;s:6:"amount";d:1.65;s:11:"base_amount";d:1.65;}}"#;
    /// PHP 5 wrote floats with 17 significant digits and objects such as
    /// Varien_Object with protected properties.
    const M1_OBJECT: &[u8] = b"a:2:{s:5:\"total\";d:19.989999999999998;s:7:\"address\";O:13:\"Varien_Object\":3:{s:8:\"\0*\0_data\";a:1:{s:4:\"city\";s:6:\"Berlin\";}s:20:\"\0Varien_Object\0_hide\";b:1;s:4:\"note\";s:3:\"a/b\";}}";

    #[test]
    fn scalars() {
        assert_eq!(unserialize(b"N;").unwrap(), PhpValue::Null);
        assert_eq!(unserialize(b"b:0;").unwrap(), PhpValue::Bool(false));
        assert_eq!(unserialize(b"b:1;").unwrap(), PhpValue::Bool(true));
        assert_eq!(unserialize(b"i:-42;").unwrap(), PhpValue::Int(-42));
        assert_eq!(unserialize(b"i:+7;").unwrap(), PhpValue::Int(7));
        assert_eq!(
            unserialize(b"i:9223372036854775807;").unwrap(),
            PhpValue::Int(i64::MAX)
        );
        assert_eq!(
            unserialize(b"i:-9223372036854775808;").unwrap(),
            PhpValue::Int(i64::MIN)
        );
        assert_eq!(unserialize(b"d:0.5;").unwrap(), PhpValue::Float(0.5));
        assert_eq!(
            unserialize(b"d:0.10000000000000001;").unwrap(),
            PhpValue::Float(0.1)
        );
        assert_eq!(unserialize(b"d:1.0E+25;").unwrap(), PhpValue::Float(1e25));
        assert_eq!(unserialize(b"d:-.5e-3;").unwrap(), PhpValue::Float(-0.0005));
        assert_eq!(unserialize(b"d:1.;").unwrap(), PhpValue::Float(1.0));
        assert_eq!(unserialize(b"d:1.e5;").unwrap(), PhpValue::Float(1e5));
        assert_eq!(unserialize(b"d:7;").unwrap(), PhpValue::Float(7.0));
        assert_eq!(
            unserialize(b"d:INF;").unwrap(),
            PhpValue::Float(f64::INFINITY)
        );
        assert_eq!(
            unserialize(b"d:-INF;").unwrap(),
            PhpValue::Float(f64::NEG_INFINITY)
        );
        assert!(matches!(unserialize(b"d:NAN;").unwrap(), PhpValue::Float(f) if f.is_nan()));
        assert_eq!(
            unserialize(b"d:1e400;").unwrap(),
            PhpValue::Float(f64::INFINITY)
        );
        // PHP's unserialize('') is false, without a notice.
        assert_eq!(unserialize(b"").unwrap(), PhpValue::Bool(false));
    }

    #[test]
    fn strings_are_counted_in_bytes_and_may_hold_anything() {
        assert_eq!(unserialize(b"s:0:\"\";").unwrap(), s(b""));
        assert_eq!(
            unserialize("s:6:\"héllo\";".as_bytes()).unwrap(),
            s("héllo".as_bytes())
        );
        assert_eq!(
            unserialize(b"s:7:\"a\";b}\"\0\";").unwrap(),
            s(b"a\";b}\"\0")
        );
        assert_eq!(
            unserialize(b"s:3:\"\xff\xfe\n\";").unwrap(),
            s(b"\xff\xfe\n")
        );
        // Borrowed, not copied.
        assert!(matches!(
            unserialize(b"s:3:\"abc\";").unwrap(),
            PhpValue::Str(Cow::Borrowed(_))
        ));
        // The deprecated escaped form.
        assert_eq!(unserialize(br#"S:3:"\61\62c";"#).unwrap(), s(b"abc"));
        assert!(unserialize(br#"S:2:"\6x";"#).is_err());
    }

    #[test]
    fn wrong_string_lengths_are_errors() {
        // UTF-8 re-encoding of latin1 data makes the declared length too small.
        let e = unserialize("s:5:\"héllo\";".as_bytes()).unwrap_err();
        assert_eq!(e, PhpError::StringLength { at: 0, len: 5 });
        assert!(matches!(
            unserialize(b"s:4:\"abc\";"),
            Err(PhpError::StringLength { .. })
        ));
        assert!(matches!(
            unserialize(b"s:99:\"abc\";"),
            Err(PhpError::StringLength { .. })
        ));
        assert!(matches!(
            unserialize(b"s:18446744073709551616:\"a\";"),
            Err(PhpError::OutOfRange { .. })
        ));
        let nested = r#"a:1:{s:4:"name";s:4:"Café";}"#.as_bytes();
        assert!(matches!(
            unserialize(nested),
            Err(PhpError::StringLength { at: 16, len: 4 })
        ));
        assert!(matches!(
            unserialize(b"s:3:\"abc\""),
            Err(PhpError::StringLength { .. })
        ));
    }

    #[test]
    fn arrays_keep_order_and_php_key_rules() {
        let v = unserialize(br#"a:4:{s:1:"b";i:1;i:5;s:1:"x";s:1:"7";b:1;s:2:"07";N;}"#).unwrap();
        assert_eq!(
            v,
            PhpValue::Array(vec![
                (key(b"b"), PhpValue::Int(1)),
                (PhpKey::Int(5), s(b"x")),
                (PhpKey::Int(7), PhpValue::Bool(true)),
                (key(b"07"), PhpValue::Null),
            ])
        );
        assert_eq!(v.get(b"7"), Some(&PhpValue::Bool(true)));
        assert_eq!(v.get(b"07"), Some(&PhpValue::Null));
        assert_eq!(v.get(b"b"), Some(&PhpValue::Int(1)));
        assert_eq!(v.get(b"zz"), None);
        // A repeated key keeps its first place and takes the last value.
        assert_eq!(
            json(br#"a:3:{s:1:"a";i:1;s:1:"b";i:3;s:1:"a";i:2;}"#),
            r#"{"a":2,"b":3}"#
        );
        assert_eq!(
            json(br#"a:3:{s:1:"0";s:1:"a";s:1:"1";s:1:"b";i:2;s:1:"c";}"#),
            r#"["a","b","c"]"#
        );
    }

    #[test]
    fn many_duplicate_keys_use_the_index() {
        let mut input = b"a:40:{".to_vec();
        for i in 0..40 {
            input.extend_from_slice(format!("i:{};i:{};", i % 20, i).as_bytes());
        }
        input.push(b'}');
        let PhpValue::Array(items) = unserialize(&input).unwrap() else {
            panic!()
        };
        assert_eq!(items.len(), 20);
        assert_eq!(items[3], (PhpKey::Int(3), PhpValue::Int(23)));
    }

    #[test]
    fn numeric_keys() {
        assert_eq!(numeric_key(b"0"), Some(0));
        assert_eq!(numeric_key(b"-7"), Some(-7));
        assert_eq!(numeric_key(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(numeric_key(b"-9223372036854775808"), Some(i64::MIN));
        for not in [
            &b""[..],
            b"-",
            b"-0",
            b"07",
            b"+1",
            b"1 ",
            b" 1",
            b"1.0",
            b"9223372036854775808",
            b"1e3",
        ] {
            assert_eq!(numeric_key(not), None, "{not:?}");
        }
        assert_eq!(PhpKey::normalized(b"12"), PhpKey::Int(12));
        assert_eq!(PhpKey::normalized(b"x"), key(b"x"));
        assert!(PhpKey::Int(12).is(b"12"));
        assert!(!PhpKey::Int(12).is(b"012"));
    }

    #[test]
    fn objects() {
        let v = unserialize(M1_OBJECT).unwrap();
        let Some(PhpValue::Object { class, props }) = v.get(b"address") else {
            panic!()
        };
        assert_eq!(class.as_ref(), b"Varien_Object");
        assert_eq!(props.len(), 3);
        // json_encode leaves non-public properties out and, the class being
        // unknown to Magento 2, names it first.
        assert_eq!(
            json(M1_OBJECT),
            r#"{"total":19.99,"address":{"__PHP_Incomplete_Class_Name":"Varien_Object","note":"a\/b"}}"#
        );
        assert_eq!(
            json(br#"O:8:"stdClass":2:{s:1:"a";i:1;i:5;s:1:"b";}"#),
            r#"{"a":1,"5":"b"}"#
        );
        assert_eq!(json(br#"O:8:"stdclass":0:{}"#), "{}");
        assert_eq!(
            json(br#"O:3:"Foo":2:{s:1:"a";i:1;s:27:"__PHP_Incomplete_Class_Name";s:3:"Bar";}"#),
            r#"{"__PHP_Incomplete_Class_Name":"Bar","a":1}"#
        );
        // Integer property names become strings, as in PHP.
        let o = unserialize(br#"O:8:"stdClass":2:{i:0;i:1;s:1:"0";i:2;}"#).unwrap();
        assert_eq!(
            o,
            PhpValue::Object {
                class: Cow::Borrowed(b"stdClass"),
                props: vec![(key(b"0"), PhpValue::Int(2))]
            }
        );
        for bad in [
            &br#"O:0:"":0:{}"#[..],
            br#"O:4:"\Foo":0:{}"#,
            br#"O:3:"F-o":0:{}"#,
            br#"O:8:"stdClass":-1:{}"#,
            br#"O:8:"stdClass":1:{d:1;i:1;}"#,
        ] {
            assert!(
                unserialize(bad).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn custom_objects_keep_their_payload() {
        let v = unserialize(br#"a:1:{i:0;C:11:"ArrayObject":21:{x:i:0;a:0:{};m:a:0:{}}}"#).unwrap();
        let PhpValue::Array(items) = &v else { panic!() };
        assert_eq!(
            items[0].1,
            PhpValue::Custom {
                class: Cow::Borrowed(b"ArrayObject"),
                data: Cow::Borrowed(b"x:i:0;a:0:{};m:a:0:{}")
            }
        );
        assert_eq!(
            serialize(&v),
            br#"a:1:{i:0;C:11:"ArrayObject":21:{x:i:0;a:0:{};m:a:0:{}}}"#
        );
        assert_eq!(
            json(br#"C:11:"Foo_Unknown":3:{abc}"#),
            r#"{"__PHP_Incomplete_Class_Name":"Foo_Unknown"}"#
        );
        assert!(unserialize(br#"C:3:"Foo":5:{abc}"#).is_err());
        assert!(unserialize(br#"C:3:"Foo":1:{abc}"#).is_err());
        assert!(unserialize(br#"C:3:"Foo":-1:{}"#).is_err());
    }

    #[test]
    fn references_resolve_to_copies() {
        assert_eq!(json(br#"a:2:{i:0;i:5;i:1;R:2;}"#), "[5,5]");
        assert_eq!(json(br#"a:2:{i:0;a:1:{i:0;i:5;}i:1;R:2;}"#), "[[5],[5]]");
        assert_eq!(
            json(br#"a:2:{i:0;O:8:"stdClass":1:{s:1:"x";i:1;}i:1;r:2;}"#),
            r#"[{"x":1},{"x":1}]"#
        );
        // An r: slot is numbered too; R: is not.
        assert_eq!(
            json(br#"a:3:{i:0;O:8:"stdClass":0:{}i:1;r:2;i:2;R:3;}"#),
            "[{},{},{}]"
        );
        assert_eq!(
            json(br#"a:2:{i:0;a:2:{i:0;O:8:"stdClass":0:{}i:1;r:3;}i:1;R:2;}"#),
            "[[{},{}],[{},{}]]"
        );
        // Out of range, its own container, and r: to a non-object are errors, as in PHP.
        for bad in [
            &br#"a:2:{i:0;i:5;i:1;R:9;}"#[..],
            br#"a:1:{i:0;R:1;}"#,
            br#"a:1:{i:0;r:1;}"#,
            br#"a:2:{i:0;i:5;i:1;r:2;}"#,
            b"R:1;",
            b"r:0;",
            br#"a:1:{i:0;R:0;}"#,
        ] {
            assert!(
                matches!(unserialize(bad), Err(PhpError::BadReference { .. })),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn long_reference_chains_need_no_stack() {
        // Values are numbered 1 (the array), 2 (the object), 3 (its `x`), then 4
        // on for elements 1 on; element k > 1 names element k-1, itself an `r:`.
        let mut input = b"a:3000:{i:0;O:8:\"stdClass\":1:{s:1:\"x\";i:1;}i:1;r:2;".to_vec();
        for i in 2..3000 {
            input.extend_from_slice(format!("i:{i};r:{};", i + 2).as_bytes());
        }
        input.push(b'}');
        let json = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(move || serialized_to_json(&input))
            .unwrap()
            .join()
            .unwrap()
            .unwrap();
        assert_eq!(json.len(), 1 + 3000 * br#"{"x":1},"#.len());
    }

    #[test]
    fn reference_bombs_are_refused() {
        // Each element holds two copies of the one before: 2^60 values.
        let mut input = b"a:61:{i:0;i:1;".to_vec();
        for i in 1..61 {
            input.extend_from_slice(
                format!("i:{i};a:2:{{i:0;R:{s};i:1;R:{s};}}", s = i + 1).as_bytes(),
            );
        }
        input.push(b'}');
        assert!(matches!(
            unserialize(&input),
            Err(PhpError::TooLarge { .. })
        ));
    }

    #[test]
    fn depth_is_bounded() {
        let nest = |n: usize| {
            let mut v = b"a:1:{i:0;".repeat(n - 1);
            v.extend_from_slice(b"a:0:{}");
            v.extend_from_slice(&b"}".repeat(n - 1));
            v
        };
        // 512 nested arrays are what json_encode still accepts. Reading, writing
        // and dropping them needs little stack (no recursion per level).
        let ok = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(move || {
                let input = nest(MAX_DEPTH);
                let v = unserialize(&input).unwrap();
                assert_eq!(serialize(&v), input);
                to_json(&v).map(|j| j.len())
            })
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(ok, Ok(2 * MAX_DEPTH));
        assert!(matches!(
            unserialize(&nest(MAX_DEPTH + 1)),
            Err(PhpError::TooDeep { .. })
        ));
        assert!(matches!(
            unserialize(&nest(100_000)),
            Err(PhpError::TooDeep { .. })
        ));
        let mut deep = PhpValue::Null;
        for _ in 0..=MAX_DEPTH {
            deep = PhpValue::Array(vec![(PhpKey::Int(0), deep)]);
        }
        assert_eq!(to_json(&deep), Err(PhpError::JsonDepth));
    }

    #[test]
    fn trailing_bytes() {
        assert_eq!(unserialize(b"i:5;xyz"), Err(PhpError::Trailing { at: 4 }));
        assert_eq!(unserialize(b"N;N;"), Err(PhpError::Trailing { at: 2 }));
        assert_eq!(
            unserialize_silenced(b"i:5;xyz").unwrap(),
            (PhpValue::Int(5), 4)
        );
        // Out-of-range integers: an error, or clamped as @unserialize does.
        assert!(matches!(
            unserialize(b"i:99999999999999999999;"),
            Err(PhpError::OutOfRange { .. })
        ));
        assert_eq!(
            unserialize_silenced(b"i:-99999999999999999999;").unwrap().0,
            PhpValue::Int(i64::MIN)
        );
    }

    #[test]
    fn syntax_errors_say_where() {
        assert_eq!(
            unserialize(b"x"),
            Err(PhpError::Syntax {
                at: 0,
                expected: "a value (N, b, i, d, s, a, O, C, r or R)"
            })
        );
        assert_eq!(
            unserialize(b"b:2;"),
            Err(PhpError::Syntax {
                at: 2,
                expected: "0 or 1"
            })
        );
        assert!(matches!(
            unserialize(b"a:2:{i:0;i:1;}"),
            Err(PhpError::Syntax { at: 13, .. })
        ));
        assert!(matches!(
            unserialize(b"a:1:{i:0;i:1;"),
            Err(PhpError::Syntax { at: 13, .. })
        ));
        for bad in [
            &b"N"[..],
            b"i:;",
            b"i:1",
            b"d:;",
            b"d:e5;",
            b"d:1e;",
            b"d:+INF;",
            b"a:-1:{}",
            b"a:1:{d:1.5;i:1;}",
            b"a:1:{N;i:1;}",
            b"a:1:{a:0:{}i:1;}",
            b"a:9:{}",
            b"}",
        ] {
            assert!(
                unserialize(bad).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn every_truncation_of_real_values_is_an_error() {
        for value in [
            PAYPAL_ADDITIONAL_INFORMATION,
            WIDGET_PARAMETERS,
            INFO_BUY_REQUEST,
            APPLIED_TAXES,
            M1_OBJECT,
        ] {
            assert!(unserialize(value).is_ok());
            for end in 0..value.len() {
                let cut = &value[..end];
                assert!(
                    unserialize(cut).is_err() || end == 0,
                    "prefix {end} of {}",
                    String::from_utf8_lossy(value)
                );
                let _ = unserialize_silenced(cut);
            }
        }
    }

    /// `json_encode(unserialize($input))` by the tree.
    fn tree_json(input: &[u8]) -> Result<Vec<u8>, PhpError> {
        unserialize(input).and_then(|v| to_json(&v))
    }

    #[test]
    fn streamed_json_is_the_tree_json() {
        // Accepted: what Magento writes.
        for input in [
            PAYPAL_ADDITIONAL_INFORMATION,
            WIDGET_PARAMETERS,
            INFO_BUY_REQUEST,
            APPLIED_TAXES,
            b"a:0:{}",
            b"s:3:\"a/b\";",
            b"i:-5;",
            b"d:0.1;",
            b"d:1.0E+25;",
            b"b:1;",
            b"N;",
            // Decimal string keys are integers: a list.
            br#"a:2:{s:1:"0";s:1:"x";s:1:"1";a:1:{i:0;d:1.5;}}"#,
            br#"a:2:{i:1;s:1:"x";i:0;s:1:"y";}"#,
            "a:1:{s:3:\"k\u{e9}\";s:5:\"\u{20ac}/\n\";}".as_bytes(),
        ] {
            let mut out = b"before".to_vec();
            assert!(
                stream_to_json(input, &mut out),
                "{}",
                String::from_utf8_lossy(input)
            );
            assert_eq!(out[..6], *b"before");
            assert_eq!(out[6..], tree_json(input).unwrap()[..]);
        }
        // Declined with `out` as it was; the tree decides.
        for input in [
            M1_OBJECT,
            br#"a:2:{s:1:"a";i:1;s:1:"a";i:2;}"#,
            br#"a:2:{i:0;i:1;i:2;i:2;}"#,
            br#"a:2:{i:0;a:1:{i:0;i:5;}i:1;R:2;}"#,
            br#"S:1:"\61";"#,
            b"d:INF;",
            b"s:1:\"\xff\";",
            b"i:1;x",
            b"",
            br#"a:2:{i:0;i:1;}"#,
            b"i:99999999999999999999;",
        ] {
            let mut out = b"before".to_vec();
            assert!(
                !stream_to_json(input, &mut out),
                "{}",
                String::from_utf8_lossy(input)
            );
            assert_eq!(out, b"before");
        }
        // More keys than are compared, or deeper than is streamed: the tree's.
        let mut wide = b"a:40:{".to_vec();
        for k in 0..40 {
            wide.extend_from_slice(format!("s:2:\"k{}\";i:{k};", k % 10).as_bytes());
        }
        wide.push(b'}');
        let deep = [&b"a:1:{i:0;"[..]; 70].concat();
        let deep = [deep, b"N;".to_vec(), vec![b'}'; 70]].concat();
        for input in [&wide[..], &deep[..]] {
            let mut out = Vec::new();
            assert!(!stream_to_json(input, &mut out));
            assert!(serialized_to_json(input).is_ok());
        }
    }

    /// Writes a random serialized value of the shapes [`stream_to_json`]
    /// accepts, sometimes with a repeated key or a list that breaks off.
    fn random_serialized(rng: &mut Lcg, depth: usize, out: &mut Vec<u8>) {
        const TEXTS: &[&[u8]] = &[
            b"",
            b"a",
            b"0",
            b"17",
            b"-3",
            b"07",
            b"a/b",
            b"q\"uote",
            b"back\\slash",
            b"tab\tnew\nline",
            b"\x01\x1f",
            b"caf\xc3\xa9",
            b"\xe2\x82\xac",
            b"\xf0\x9f\x98\x80",
            b"info_buyRequest",
            b"super_attribute",
            b"a longer text of more than sixteen bytes",
            b"it's",
            b"\0nul and \x1a",
        ];
        let text = |rng: &mut Lcg, out: &mut Vec<u8>| {
            let t = TEXTS[rng.below(TEXTS.len())];
            out.extend_from_slice(format!("s:{}:\"", t.len()).as_bytes());
            out.extend_from_slice(t);
            out.extend_from_slice(b"\";");
        };
        match rng.below(if depth > 3 { 6 } else { 8 }) {
            0 => out.extend_from_slice(b"N;"),
            1 => out.extend_from_slice(if rng.below(2) == 0 { b"b:0;" } else { b"b:1;" }),
            2 => out.extend_from_slice(format!("i:{};", rng.next() as i64 - (1 << 30)).as_bytes()),
            3 => {
                let f = ["0.5", "-0", "1.0E+25", "19.989999999999998", "3", "1.0E-5"];
                out.extend_from_slice(format!("d:{};", f[rng.below(f.len())]).as_bytes());
            }
            4 | 5 => text(rng, out),
            _ => {
                let n = rng.below(6);
                let list = rng.below(2) == 0;
                out.extend_from_slice(format!("a:{n}:{{").as_bytes());
                for i in 0..n {
                    if list {
                        // Now and then a key that ends the list.
                        let k = if rng.below(20) == 0 { i + 1 } else { i };
                        out.extend_from_slice(format!("i:{k};").as_bytes());
                    } else if rng.below(2) == 0 {
                        out.extend_from_slice(format!("i:{};", rng.below(8)).as_bytes());
                    } else {
                        text(rng, out);
                    }
                    random_serialized(rng, depth + 1, out);
                }
                out.push(b'}');
            }
        }
    }

    #[test]
    fn streamed_json_matches_the_tree_on_random_values() {
        let mut rng = Lcg(11);
        let (mut streamed, mut declined) = (0, 0);
        for _ in 0..20_000 {
            let mut input = Vec::new();
            random_serialized(&mut rng, 0, &mut input);
            let mut out = Vec::new();
            if stream_to_json(&input, &mut out) {
                streamed += 1;
                let tree = tree_json(&input);
                assert_eq!(
                    Ok(&out),
                    tree.as_ref(),
                    "{}",
                    String::from_utf8_lossy(&input)
                );
            } else {
                declined += 1;
                assert!(out.is_empty());
            }
            // The public conversion gives the tree's result either way.
            assert_eq!(
                serialized_to_json(&input).ok(),
                tree_json(&input).ok(),
                "{}",
                String::from_utf8_lossy(&input)
            );
        }
        // Both paths are taken: repeated keys, broken lists and invalid
        // UTF-8 are declined, the rest streamed.
        assert!(streamed > 10_000 && declined > 500, "{streamed} {declined}");
    }

    #[test]
    fn sql_json_is_the_escaped_json() {
        let mut rng = Lcg(5);
        let mut inputs: Vec<Vec<u8>> = [
            PAYPAL_ADDITIONAL_INFORMATION,
            WIDGET_PARAMETERS,
            INFO_BUY_REQUEST,
            APPLIED_TAXES,
            M1_OBJECT,
            b"s:4:\"it's\";",
            b"a:1:{s:5:\"k'\"\\/\";s:1:\"'\";}",
            "a:1:{s:3:\"k\u{e9}\";s:5:\"\u{20ac}/\n\";}".as_bytes(),
            br#"a:2:{s:1:"a";i:1;s:1:"a";i:2;}"#,
            b"s:1:\"\xff\";",
            b"i:1;x",
        ]
        .iter()
        .map(|i| i.to_vec())
        .collect();
        for _ in 0..20_000 {
            let mut input = Vec::new();
            random_serialized(&mut rng, 0, &mut input);
            inputs.push(input);
        }
        let mut streamed = 0;
        for input in &inputs {
            let json = serialized_to_json(input);
            let sql = serialized_to_json_sql(input);
            assert_eq!(
                sql.as_ref().ok(),
                json.as_deref().map(sql_body).as_ref().ok(),
                "{}",
                String::from_utf8_lossy(input)
            );
            let mut out = b"before".to_vec();
            if stream_to_json_sql(input, &mut out) {
                streamed += 1;
                assert_eq!(out[6..], *sql.as_deref().unwrap_or_default());
            } else {
                assert_eq!(out, b"before");
            }
        }
        // Quotes, backslashes, single quotes and multi-byte text are
        // written by both paths.
        assert!(streamed > 10_000, "{streamed}");
    }

    #[test]
    fn sql_literals_are_read_as_they_stand() {
        let mut rng = Lcg(9);
        let (mut read, mut declined) = (0, 0);
        for round in 0..20_000 {
            let mut input = Vec::new();
            random_serialized(&mut rng, 0, &mut input);
            let literal = sql_body(&input);
            match sql_literal_to_json_sql(&literal) {
                Some(out) => {
                    read += 1;
                    assert_eq!(
                        Ok(out),
                        serialized_to_json_sql(&input),
                        "{}",
                        String::from_utf8_lossy(&input)
                    );
                }
                None => {
                    declined += 1;
                    let mut out = Vec::new();
                    assert!(!stream_to_json_sql(&input, &mut out), "round {round}");
                }
            }
        }
        assert!(read > 10_000 && declined > 500, "{read} {declined}");
        // Escapes mysqldump does not write, and a doubled quote, are
        // declined (the caller unescapes them); a wrong length too.
        for literal in [
            &br#"s:3:\"a\tb\";"#[..],
            br#"s:3:\"a''b\";"#,
            br#"s:3:\"a\%b\";"#,
            br#"s:3:"abc";"#,
            br#"s:4:\"a\'b\";"#,
            br#"S:1:\"\61\";"#,
        ] {
            assert_eq!(
                sql_literal_to_json_sql(literal),
                None,
                "{}",
                String::from_utf8_lossy(literal)
            );
        }
        assert_eq!(
            sql_literal_to_json_sql(br#"a:1:{s:1:\"k\";s:3:\"a\'b\";}"#).as_deref(),
            Some(&br#"{\"k\":\"a\'b\"}"#[..])
        );
    }

    #[test]
    fn garbage_never_panics() {
        let mut rng = Lcg(7);
        let alphabet = b"NbidsSaOCrR:;{}\"0123456789-+.eE\\xINFA\0\xff";
        let seeds = [
            PAYPAL_ADDITIONAL_INFORMATION,
            WIDGET_PARAMETERS,
            INFO_BUY_REQUEST,
            M1_OBJECT,
            br#"a:2:{i:0;a:1:{i:0;i:5;}i:1;R:2;}"#,
        ];
        for round in 0..20_000 {
            let mut input: Vec<u8> = if round % 2 == 0 {
                seeds[rng.below(seeds.len())].to_vec()
            } else {
                (0..rng.below(40))
                    .map(|_| alphabet[rng.below(alphabet.len())])
                    .collect()
            };
            for _ in 0..1 + rng.below(3) {
                if input.is_empty() {
                    break;
                }
                let at = rng.below(input.len());
                match rng.below(3) {
                    0 => input[at] = alphabet[rng.below(alphabet.len())],
                    1 => {
                        input.remove(at);
                    }
                    _ => input.insert(at, alphabet[rng.below(alphabet.len())]),
                }
            }
            if let Ok(v) = unserialize(&input) {
                let _ = to_json(&v);
                let again = serialize(&v);
                assert!(
                    unserialize(&again).is_ok(),
                    "{}",
                    String::from_utf8_lossy(&again)
                );
            }
            let _ = unserialize_silenced(&input);
        }
    }

    #[test]
    fn serialize_round_trips() {
        for value in [
            PAYPAL_ADDITIONAL_INFORMATION,
            WIDGET_PARAMETERS,
            INFO_BUY_REQUEST,
            APPLIED_TAXES,
            M1_OBJECT,
        ] {
            let v = unserialize(value).unwrap();
            let out = serialize(&v);
            assert_eq!(unserialize(&out).unwrap(), v);
            if value != M1_OBJECT {
                assert_eq!(out, value, "PHP 7.1+ writes these bytes");
            }
        }
        // PHP 5's 17-digit floats come back in PHP 7.1+ form.
        let v = unserialize(M1_OBJECT).unwrap();
        assert!(serialize(&v).starts_with(b"a:2:{s:5:\"total\";d:19.99;"));
        let floats = PhpValue::Array(vec![
            (PhpKey::Int(0), PhpValue::Float(1.0)),
            (PhpKey::Int(1), PhpValue::Float(1e25)),
            (PhpKey::Int(2), PhpValue::Float(-0.0)),
            (PhpKey::Int(3), PhpValue::Float(f64::INFINITY)),
            (PhpKey::Int(4), PhpValue::Float(f64::NAN)),
            (PhpKey::Int(5), PhpValue::Float(1e-5)),
            (PhpKey::Int(6), PhpValue::Float(0.1)),
        ]);
        assert_eq!(
            serialize(&floats),
            b"a:7:{i:0;d:1;i:1;d:1.0E+25;i:2;d:-0;i:3;d:INF;i:4;d:NAN;i:5;d:1.0E-5;i:6;d:0.1;}"
        );
        let obj = PhpValue::Object {
            class: Cow::Borrowed(b"Foo"),
            props: vec![(key(b"\0*\0a"), s(b"x"))],
        };
        assert_eq!(
            serialize(&obj),
            b"O:3:\"Foo\":1:{s:4:\"\0*\0a\";s:1:\"x\";}"
        );
    }

    #[test]
    fn json_of_real_values() {
        assert_eq!(
            json(PAYPAL_ADDITIONAL_INFORMATION),
            r#"{"paypal_payer_id":"ABCDEFGH12345","paypal_payer_email":"buyer@example.com","paypal_payer_status":"verified","paypal_address_status":"confirmed","paypal_correlation_id":"a1b2c3d4e5f6","paypal_express_checkout_payer_id":"ABCDEFGH12345","paypal_express_checkout_token":"EC-1AB23456CD789012E","paypal_payment_status":"completed","paypal_pending_reason":"None","paypal_protection_eligibility":"Eligible","paypal_fraud_filters":[],"authorize_cards":{"a1b2":{"requested_amount":19.99,"processed_amount":"19.99","cc_type":"VI","cc_last4":"1111"}}}"#
        );
        assert_eq!(
            json(WIDGET_PARAMETERS),
            r#"{"display_type":"all_products","show_pager":"0","products_count":"10","template":"catalog\/product\/widget\/new\/content\/new_grid.phtml","cache_lifetime":"","unique_id":"c2a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5"}"#
        );
        assert_eq!(
            json(INFO_BUY_REQUEST),
            r#"{"uenc":"aHR0cDovL3d3dy5leGFtcGxlLmNvbS9jYXJ0Lmh0bWw,","product":"337","form_key":"a1B2c3D4e5F6g7H8","related_product":"","options":{"7":"","8":"Ich liebe dich"},"qty":"2"}"#
        );
        assert_eq!(
            json(APPLIED_TAXES),
            r#"{"US-CA-*-Rate 1":{"rates":[{"code":"US-CA-*-Rate 1","title":"US-CA-*-Rate 1","percent":8.25,"position":"1","priority":"1","rule_id":"1"}],"percent":8.25,"id":"US-CA-*-Rate 1","process":0,"amount":1.65,"base_amount":1.65}}"#
        );
        assert_eq!(json(b"a:0:{}"), "[]");
        assert_eq!(json(b"N;"), "null");
        assert_eq!(json(b""), "false");
    }

    #[test]
    fn json_lists_and_objects() {
        assert_eq!(json(b"a:2:{i:0;s:1:\"a\";i:1;s:1:\"b\";}"), r#"["a","b"]"#);
        assert_eq!(
            json(b"a:2:{i:1;s:1:\"a\";i:2;s:1:\"b\";}"),
            r#"{"1":"a","2":"b"}"#
        );
        assert_eq!(
            json(b"a:2:{i:1;s:1:\"a\";i:0;s:1:\"b\";}"),
            r#"{"1":"a","0":"b"}"#
        );
        assert_eq!(json(b"a:1:{i:-1;b:1;}"), r#"{"-1":true}"#);
        // Arrays keep "\0" keys; only objects hide them.
        assert_eq!(json(b"a:1:{s:2:\"\0a\";i:1;}"), r#"{"\u0000a":1}"#);
    }

    #[test]
    fn json_strings_escape_like_php() {
        let v = s("\x7f\0\x1f/\"\\ \u{1F600}é\x08\x0c\n\r\t".as_bytes());
        let want: &[u8] = b"\"\x7f\\u0000\\u001f\\/\\\"\\\\ \\ud83d\\ude00\\u00e9\\b\\f\\n\\r\\t\"";
        assert_eq!(to_json(&v).unwrap(), want);
        assert_eq!(
            to_json(&s("日本".as_bytes())).unwrap(),
            br#""\u65e5\u672c""#
        );
        assert_eq!(to_json(&s(b"")).unwrap(), br#""""#);
    }

    #[test]
    fn json_refuses_what_php_refuses() {
        assert_eq!(to_json(&s(b"caf\xe9")), Err(PhpError::Utf8));
        // Past a run of plain ASCII longer than one 16-byte step, and after
        // an escaped byte.
        assert_eq!(
            to_json(&s(b"abcdefghijklmnopqrstuvwxyz\xff")),
            Err(PhpError::Utf8)
        );
        assert_eq!(to_json(&s(b"a/b\xc3")), Err(PhpError::Utf8));
        assert_eq!(
            to_json(&s(b"\xed\xa0\x80")),
            Err(PhpError::Utf8),
            "a UTF-16 surrogate"
        );
        assert_eq!(
            to_json(&s(b"\xc0\xaf")),
            Err(PhpError::Utf8),
            "an overlong form"
        );
        assert_eq!(
            serialized_to_json(b"a:1:{s:4:\"caf\xe9\";i:1;}"),
            Err(PhpError::Utf8),
            "in a key"
        );
        assert_eq!(serialized_to_json(b"d:INF;"), Err(PhpError::InfOrNan));
        assert_eq!(
            serialized_to_json(b"a:1:{i:0;d:NAN;}"),
            Err(PhpError::InfOrNan)
        );
    }

    #[test]
    fn json_floats_use_serialize_precision_minus_one() {
        // Each pair was checked against PHP 8.2's json_encode.
        let cases: [(f64, &str); 22] = [
            (1.0, "1"),
            (100.0, "100"),
            (0.1, "0.1"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e15, "1000000000000000"),
            (1e16, "10000000000000000"),
            (1e17, "1.0e+17"),
            (1e22, "1.0e+22"),
            (1e25, "1.0e+25"),
            (1e-5, "1.0e-5"),
            (-1e-7, "-1.0e-7"),
            (0.0001, "0.0001"),
            (0.001, "0.001"),
            (-0.0, "-0"),
            (0.5, "0.5"),
            (-2.5, "-2.5"),
            (123456.789, "123456.789"),
            (1.0 / 3.0, "0.3333333333333333"),
            (1.5e300, "1.5e+300"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (5e-324, "5.0e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
        ];
        for (f, want) in cases {
            assert_eq!(
                String::from_utf8(to_json(&PhpValue::Float(f)).unwrap()).unwrap(),
                want,
                "{f:e}"
            );
        }
        assert_eq!(json(b"d:19.989999999999998;"), "19.99");
    }

    /// Integral floats below 10^15 take the integer path: the same text as
    /// the digit path, at every length, at the bounds, and for both signs.
    #[test]
    fn integral_floats_are_written_as_the_digit_path_writes_them() {
        let mut values: Vec<f64> = vec![1.0, 9.0, 10.0, 99.0, 100.0, 1e14, 1e15 - 1.0];
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..10_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = x % 15 + 1;
            values.push((x >> 8) as f64 % 10f64.powi(digits as i32) + 1.0);
        }
        for v in values {
            for f in [v, -v] {
                let mut fast = Vec::new();
                push_php_float(&mut fast, f, b'e');
                let mut slow = Vec::new();
                if f < 0.0 {
                    slow.push(b'-');
                }
                push_float_digits(&mut slow, f.abs(), b'e');
                assert_eq!(fast, slow, "{f}");
                assert_eq!(String::from_utf8(fast).unwrap(), format!("{}", f as i64));
            }
        }
    }

    /// The key stack of the streamed conversion is emptied in place, and
    /// kept between values on the thread.
    #[test]
    fn the_key_stack_keeps_its_allocation() {
        let mut keys: Vec<PhpKey<'static>> = Vec::with_capacity(16);
        keys.push(PhpKey::Int(1));
        keys.push(key(b"x"));
        let at = keys.as_ptr() as usize;
        let empty: Vec<PhpKey<'_>> = emptied(keys);
        assert!(empty.is_empty() && empty.capacity() >= 16);
        assert_eq!(empty.as_ptr() as usize, at);
        assert_eq!(
            json(b"a:1:{s:1:\"k\";a:1:{i:0;s:1:\"v\";}}"),
            r#"{"k":["v"]}"#
        );
        let (stack, keys) = STREAM_STACKS.take();
        assert!(stack.is_empty() && stack.capacity() > 0);
        assert!(keys.is_empty() && keys.capacity() > 0);
    }

    #[test]
    fn helpers() {
        for (v, t) in [
            (PhpValue::Null, false),
            (PhpValue::Bool(true), true),
            (PhpValue::Int(0), false),
            (PhpValue::Float(-0.0), false),
            (PhpValue::Float(f64::NAN), true),
            (s(b""), false),
            (s(b"0"), false),
            (s(b"0.0"), true),
            (s(b" "), true),
            (PhpValue::Array(vec![]), false),
            (
                PhpValue::Object {
                    class: Cow::Borrowed(b"stdClass"),
                    props: vec![],
                },
                true,
            ),
        ] {
            assert_eq!(v.is_truthy(), t, "{v:?}");
        }
        let owned = unserialize(INFO_BUY_REQUEST).unwrap().into_owned();
        assert_eq!(
            owned.get(b"qty").and_then(PhpValue::as_bytes),
            Some(&b"2"[..])
        );
        assert_eq!(owned.type_name(), "array");
        let mut v = unserialize(br#"a:1:{s:1:"a";i:1;}"#).unwrap();
        *v.get_mut(b"a").unwrap() = PhpValue::Int(2);
        assert_eq!(to_json(&v).unwrap(), br#"{"a":2}"#);
        assert_eq!(PhpValue::Int(1).get(b"a"), None);
    }
}
