//! Customers and their addresses. Magento 2 keeps some customer and address
//! attributes (names, date of birth, password hash, default addresses, city,
//! street, telephone…) as columns of `customer_entity` and
//! `customer_address_entity` instead of EAV value rows.
//!
//! The value tables come after the entity tables in a dump, and holding every
//! customer's values in memory would grow with the store. So the entity rows
//! and the values of those attributes, as they stream past, go to a
//! [`StaticJoin`]: both are sorted by entity id on disk in runs of a fixed
//! size, and at the end of the row pass each entity row is written once with
//! its values, as a dump of Magento 2 holds it. The converter's memory stays
//! flat, and the import file loads like a plain dump.

use crate::convert::fit::{self, Capacity};
use std::cmp::Ordering;
use std::io::{self, Read, Write};

use extsort::{ExternalSorter, PushExternalSorter, Sortable};
use foldhash::HashMap;

use crate::dump::literal::escape_into;
use crate::error::{Error, Result};
use crate::schema::{Column, Table};
use crate::write::output::{InsertBatcher, Output};
use crate::write::sql;

/// The entity tables whose attributes may be static, with their Magento 1
/// entity type code.
pub const ENTITIES: [(&str, &str); 2] = [
    ("customer_entity", "customer"),
    ("customer_address_entity", "customer_address"),
];

/// The value-table suffixes.
pub const VALUE_TYPES: [&str; 5] = ["datetime", "decimal", "int", "text", "varchar"];

/// A static column an attribute's values move into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticColumn {
    /// The column (= the attribute code).
    pub name: String,
    /// What the column holds, when it is a string column with a limit.
    pub capacity: Option<Capacity>,
    /// The column is NOT NULL: a NULL value becomes ''.
    pub not_null: bool,
    /// Its place among the entity's static columns that values go to.
    pub slot: u16,
}

/// How the rows of one value table are routed to the entity's columns.
#[derive(Debug, Clone, Default)]
pub struct StaticRoute {
    /// 1-based index into [`ENTITIES`] of the entity table.
    pub entity: u8,
    /// Source columns of `attribute_id`, `entity_id` and `value`.
    pub attr_col: usize,
    /// See `attr_col`.
    pub entity_col: usize,
    /// See `attr_col`.
    pub value_col: usize,
    /// Attribute id (bytes as in the dump) → the column its values move into.
    pub columns: HashMap<Vec<u8>, StaticColumn>,
}

/// The static columns of an entity table: its columns that a Magento 1
/// attribute of the entity type fills, keyed by attribute code.
pub fn static_columns(dest: &Table, own: &Table) -> HashMap<String, StaticColumn> {
    dest.columns
        .iter()
        .filter(|c| own.column_index(&c.name).is_none())
        .map(|c| {
            (
                c.name.clone(),
                StaticColumn {
                    name: c.name.clone(),
                    capacity: fit::capacity(c),
                    not_null: !c.nullable,
                    slot: 0,
                },
            )
        })
        .collect()
}

/// What became of a Magento 1 password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Password {
    /// Magento 2 verifies it: the hash with its version suffix.
    Converted(Vec<u8>),
    /// A format Magento 2 cannot verify: kept as it is; the customer must
    /// reset the password.
    MustReset,
}

/// Magento 2's form of a Magento 1 hash `HASH[:SALT]`: version `:0` for a
/// 32-hex MD5, `:1` for a 64-hex SHA-256, so the Magento 1 hash is a prefix of
/// the result. An unsalted hash gets an empty salt (`HASH::0`).
pub fn password_hash(v: &[u8]) -> Password {
    let mut parts = v.splitn(3, |&b| b == b':');
    let hash = parts.next().unwrap_or_default();
    let salt = parts.next();
    if parts.next().is_some() || !hash.iter().all(u8::is_ascii_hexdigit) {
        return Password::MustReset;
    }
    let version: &[u8] = match hash.len() {
        32 => b"0",
        64 => b"1",
        _ => return Password::MustReset,
    };
    let mut out = v.to_vec();
    if salt.is_none() {
        out.push(b':');
    }
    out.push(b':');
    out.extend_from_slice(version);
    Password::Converted(out)
}

/// The pseudo destination under which the workers hand static values to the
/// writer (not a table name: it holds a NUL).
pub const STATIC_VALUES: &str = "\u{0}static values";

/// Appends a static value for the writer to `bytes` (records ending at
/// `ends`): the entity (1-based index into [`ENTITIES`]), the entity id, the
/// column's slot and the value. Consecutive values of one entity share a
/// record (`entity`, `id`, then `slot`, NULL flag, length and bytes of each),
/// so the join sorts a record per entity and value table, not per value.
pub fn push_value(
    bytes: &mut Vec<u8>,
    ends: &mut Vec<usize>,
    entity: u8,
    id: u64,
    slot: u16,
    value: Option<&[u8]>,
) {
    let start = ends.len().checked_sub(2).map_or(0, |i| ends[i]);
    let same = !ends.is_empty()
        && bytes.get(start) == Some(&entity)
        && bytes.get(start + 1..start + 9) == Some(&id.to_le_bytes()[..]);
    if same {
        ends.pop();
    } else {
        bytes.push(entity);
        bytes.extend_from_slice(&id.to_le_bytes());
    }
    bytes.extend_from_slice(&slot.to_le_bytes());
    match value {
        Some(v) => {
            bytes.push(1);
            bytes.extend_from_slice(&(v.len() as u64).to_le_bytes());
            bytes.extend_from_slice(v);
        }
        None => bytes.push(0),
    }
    ends.push(bytes.len());
}

/// A column's slot and its value (`None`: NULL).
type SlotValue<'a> = (u16, Option<&'a [u8]>);

/// The values of a record's body (after entity and id). `None` for a body
/// [`push_value`] did not write.
fn values_of(mut body: &[u8]) -> Option<Vec<SlotValue<'_>>> {
    let mut out = Vec::new();
    while !body.is_empty() {
        let slot = u16::from_le_bytes(body.get(..2)?.try_into().ok()?);
        match body.get(2)? {
            0 => {
                out.push((slot, None));
                body = &body[3..];
            }
            _ => {
                let len = u64::from_le_bytes(body.get(3..11)?.try_into().ok()?);
                let end = 11usize.checked_add(usize::try_from(len).ok()?)?;
                out.push((slot, Some(body.get(11..end)?)));
                body = &body[end..];
            }
        }
    }
    Some(out)
}

/// What the join sorts by entity id: an entity row as rendered (`(…)`), or a
/// record body of [`push_value`] (static values of the entity). `seq` keeps
/// the order items arrived in among equal ids.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Keyed {
    id: u64,
    seq: u64,
    bytes: Vec<u8>,
}

fn read_u64<R: Read>(r: &mut R) -> io::Result<u64> {
    let mut b = [0; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}

fn read_bytes<R: Read>(r: &mut R) -> io::Result<Vec<u8>> {
    let len = read_u64(r)?;
    let mut v = vec![0; usize::try_from(len).map_err(io::Error::other)?];
    r.read_exact(&mut v)?;
    Ok(v)
}

impl Sortable for Keyed {
    fn encode<W: Write>(&self, w: &mut W) -> io::Result<()> {
        w.write_all(&self.id.to_le_bytes())?;
        w.write_all(&self.seq.to_le_bytes())?;
        w.write_all(&(self.bytes.len() as u64).to_le_bytes())?;
        w.write_all(&self.bytes)
    }

    fn decode<R: Read>(r: &mut R) -> io::Result<Self> {
        Ok(Keyed {
            id: read_u64(r)?,
            seq: read_u64(r)?,
            bytes: read_bytes(r)?,
        })
    }
}

type Sorter<T> = PushExternalSorter<T, fn(&T, &T) -> Ordering>;

/// Entity rows kept in memory before a sorted run goes to disk.
const ROWS_PER_RUN: usize = 8 << 10;
/// Records of static values (one per entity and value table) kept in memory
/// before a sorted run goes to disk.
const VALUES_PER_RUN: usize = 16 << 10;

/// Where the joined rows of one entity table go.
#[derive(Debug, Clone, Copy)]
pub struct JoinTarget<'a> {
    /// The table's name in the output (prefix included).
    pub name: &'a str,
    /// Its Magento 2 model.
    pub table: &'a Table,
    /// The columns the rows were rendered with.
    pub columns: &'a [String],
    /// The static columns, by slot.
    pub statics: &'a [String],
    /// By slot: what a row without a value gets (an SQL literal), for a
    /// column that must have one; `DEFAULT` otherwise.
    pub fallbacks: &'a [Option<String>],
}

/// The customer and address rows joined with the values of their static
/// attributes, which a dump holds in later tables. Both sides are sorted by
/// entity id on disk (sorted runs of a fixed number of items, merged), so
/// memory stays flat however many customers there are; then each row is
/// written once, with its values, as a dump of Magento 2 would hold it.
pub struct StaticJoin {
    rows: Vec<Sorter<Keyed>>,
    values: Vec<Sorter<Keyed>>,
    /// Per entity and slot: a value was seen.
    seen: Vec<Vec<bool>>,
    seq: u64,
}

fn sorter<T: Sortable + Ord>(per_run: usize) -> Sorter<T> {
    ExternalSorter::new()
        .with_segment_size(per_run)
        .pushed_by(Ord::cmp as fn(&T, &T) -> Ordering)
}

impl StaticJoin {
    /// A join for the entities of [`ENTITIES`], with `slots[i]` static columns each.
    pub fn new(slots: &[usize]) -> Self {
        Self::with_runs(slots, ROWS_PER_RUN, VALUES_PER_RUN)
    }

    fn with_runs(slots: &[usize], rows_per_run: usize, values_per_run: usize) -> Self {
        StaticJoin {
            rows: slots.iter().map(|_| sorter(rows_per_run)).collect(),
            values: slots.iter().map(|_| sorter(values_per_run)).collect(),
            seen: slots.iter().map(|&n| vec![false; n]).collect(),
            seq: 0,
        }
    }

    /// Takes a rendered row of entity `entity` (0-based) with id `id`.
    pub fn push_row(&mut self, entity: usize, id: u64, row: &[u8]) -> io::Result<()> {
        self.seq += 1;
        let seq = self.seq;
        match self.rows.get_mut(entity) {
            Some(s) => s.push(Keyed {
                id,
                seq,
                bytes: row.to_vec(),
            }),
            None => Ok(()),
        }
    }

    /// Takes a record of [`push_value`].
    pub fn push_values(&mut self, rec: &[u8]) -> io::Result<()> {
        let malformed = || io::Error::other("a malformed static value record");
        let (&entity, rest) = rec.split_first().ok_or_else(malformed)?;
        let id = rest.get(..8).ok_or_else(malformed)?;
        let id = u64::from_le_bytes(id.try_into().map_err(|_| malformed())?);
        let body = &rest[8..];
        let e = usize::from(entity).wrapping_sub(1);
        let (Some(seen), Some(sorter)) = (self.seen.get_mut(e), self.values.get_mut(e)) else {
            return Ok(());
        };
        for (slot, _) in values_of(body).ok_or_else(malformed)? {
            if let Some(s) = seen.get_mut(usize::from(slot)) {
                *s = true;
            }
        }
        self.seq += 1;
        sorter.push(Keyed {
            id,
            seq: self.seq,
            bytes: body.to_vec(),
        })
    }

    /// Writes every entity's rows with their values as INSERT statements of at
    /// most `cap` bytes; `targets[i]` is entity `i`'s table. Returns, per
    /// entity, the values whose entity row is not in the output. `parallel`:
    /// each entity after the first is joined on a thread of its own into a
    /// temporary file, appended in order (the output is the same).
    pub fn finish(
        self,
        targets: &[Option<JoinTarget<'_>>],
        cap: usize,
        out: &mut Output,
        parallel: bool,
    ) -> Result<Vec<u64>> {
        let parts = self.parts(targets);
        if !parallel {
            return parts.into_iter().map(|p| p.join(cap, out)).collect();
        }
        std::thread::scope(|scope| {
            let mut parts = parts.into_iter();
            let first = parts.next();
            let others: Vec<_> = parts
                .map(|p| scope.spawn(move || p.join_spilled(cap)))
                .collect();
            let mut lost = Vec::new();
            if let Some(p) = first {
                lost.push(p.join(cap, out)?);
            }
            let spilled = others.into_iter().map(joined).collect::<Result<_>>()?;
            lost.extend(append_spilled(out, spilled)?);
            Ok(lost)
        })
    }

    /// [`StaticJoin::finish`] for a join that runs beside the rest of the
    /// output: every entity is joined on a thread of its own into a
    /// temporary file of its own, to be appended in order (so no entity's
    /// rows are copied from one temporary file to another). Per entity: the
    /// values left out, and the file.
    pub fn finish_spilled(
        self,
        targets: &[Option<JoinTarget<'_>>],
        cap: usize,
    ) -> Result<Vec<(u64, Output)>> {
        let parts = self.parts(targets);
        std::thread::scope(|scope| {
            let handles: Vec<_> = parts
                .into_iter()
                .map(|p| scope.spawn(move || p.join_spilled(cap)))
                .collect();
            handles.into_iter().map(joined).collect()
        })
    }

    /// Each entity's rows, values and target.
    fn parts<'t>(self, targets: &[Option<JoinTarget<'t>>]) -> Vec<Part<'t>> {
        self.rows
            .into_iter()
            .zip(self.values)
            .zip(self.seen)
            .zip(targets.iter().copied())
            .map(|(((rows, values), seen), target)| Part {
                rows,
                values,
                seen,
                target,
            })
            .collect()
    }
}

/// Appends the temporary files of [`StaticJoin::finish_spilled`] to `out`,
/// in order; per entity, the values left out.
pub fn append_spilled(out: &mut Output, parts: Vec<(u64, Output)>) -> Result<Vec<u64>> {
    parts
        .into_iter()
        .map(|(lost, spill)| {
            out.append(spill)?;
            Ok(lost)
        })
        .collect()
}

/// What a thread of the customer join returned.
pub fn joined<T>(h: std::thread::ScopedJoinHandle<'_, Result<T>>) -> Result<T> {
    h.join()
        .map_err(|_| Error::Config("the customer join stopped".into()))?
}

/// One entity's side of a [`StaticJoin`].
struct Part<'a> {
    rows: Sorter<Keyed>,
    values: Sorter<Keyed>,
    seen: Vec<bool>,
    target: Option<JoinTarget<'a>>,
}

impl Part<'_> {
    /// [`Part::join`] into a temporary file of its own.
    fn join_spilled(self, cap: usize) -> Result<(u64, Output)> {
        let mut spill = Output::spill()?;
        let lost = self.join(cap, &mut spill)?;
        Ok((lost, spill))
    }

    /// Writes the entity's joined rows; returns the values left without a row.
    fn join(self, cap: usize, out: &mut Output) -> Result<u64> {
        let io_err = |e: io::Error| Error::io(std::env::temp_dir(), e);
        let Part {
            rows,
            values,
            seen,
            target,
        } = self;
        // The values of records no row takes.
        let left_out = |v: io::Result<Keyed>| -> Result<u64> {
            Ok(values_of(&v.map_err(io_err)?.bytes).map_or(0, |p| p.len() as u64))
        };
        let rows = rows.done().map_err(io_err)?;
        let mut values = values.done().map_err(io_err)?.peekable();
        let mut lost = 0u64;
        let Some(t) = target else {
            return values.map(left_out).sum();
        };
        let fallback = |k: usize| t.fallbacks.get(k).and_then(Option::as_deref);
        let used: Vec<usize> = (0..seen.len())
            .filter(|&k| seen[k] || fallback(k).is_some())
            .collect();
        let cols: Vec<Option<&Column>> = used
            .iter()
            .map(|&k| {
                t.statics
                    .get(k)
                    .and_then(|n| t.table.columns.iter().find(|c| c.name == *n))
            })
            .collect();
        let mut names: Vec<String> = t.columns.to_vec();
        names.extend(used.iter().filter_map(|&k| t.statics.get(k).cloned()));
        let mut head = Vec::new();
        sql::push_insert_head(&mut head, t.name, Some(&names));
        let mut batch = InsertBatcher::new(head, cap);
        // Per column: what the row's values gave (and the bytes of a value,
        // in a buffer kept from row to row).
        let mut picked: Vec<Picked> = vec![Picked::Nothing; seen.len()];
        let mut bytes: Vec<Vec<u8>> = vec![Vec::new(); seen.len()];
        let mut line = Vec::new();
        for r in rows {
            let r = r.map_err(io_err)?;
            picked.fill(Picked::Nothing);
            while let Some(v) = values.next_if(|v| v.as_ref().map_or(true, |v| v.id <= r.id)) {
                if v.as_ref().is_ok_and(|v| v.id < r.id) {
                    lost += left_out(v)?;
                    continue;
                }
                let v = v.map_err(io_err)?;
                let pairs = values_of(&v.bytes).unwrap_or_default();
                // Several values for one column (the attribute's rows in
                // two value tables): the greatest non-NULL one, as MAX.
                for (slot, value) in pairs {
                    let k = usize::from(slot);
                    let (Some(p), Some(b)) = (picked.get_mut(k), bytes.get_mut(k)) else {
                        continue;
                    };
                    match (value, *p) {
                        (None, Picked::Nothing) => *p = Picked::Null,
                        (None, _) => {}
                        (Some(value), Picked::Value) if value <= b.as_slice() => {}
                        (Some(value), _) => {
                            b.clear();
                            b.extend_from_slice(value);
                            *p = Picked::Value;
                        }
                    }
                }
            }
            line.clear();
            line.extend_from_slice(r.bytes.strip_suffix(b")").unwrap_or(&r.bytes));
            for (&k, col) in used.iter().zip(&cols) {
                line.push(b',');
                match picked[k] {
                    Picked::Nothing => {
                        line.extend_from_slice(fallback(k).unwrap_or("DEFAULT").as_bytes());
                    }
                    Picked::Null => render_static(&mut line, *col, None),
                    Picked::Value => render_static(&mut line, *col, Some(&bytes[k])),
                }
            }
            line.push(b')');
            batch.push(&line, out)?;
        }
        batch.flush(out)?;
        Ok(lost + values.map(left_out).sum::<Result<u64>>()?)
    }
}

/// What the values of an entity gave one column of its row.
#[derive(Debug, Clone, Copy)]
enum Picked {
    /// No value: the column's fallback.
    Nothing,
    /// Only NULL values.
    Null,
    /// A value, the greatest of those given.
    Value,
}

/// Appends a static value as the column takes it: as the text was
/// cast by the database (dates, date-times and integers), else as a string.
fn render_static(out: &mut Vec<u8>, col: Option<&Column>, v: Option<&[u8]>) {
    let Some(v) = v else {
        out.extend_from_slice(b"NULL");
        return;
    };
    let cast = match col {
        Some(c) if c.base_type == "date" => Some("DATE"),
        Some(c) if c.base_type == "datetime" || c.base_type == "timestamp" => Some("DATETIME"),
        Some(c) if c.is_integer() => {
            let digits = v.strip_prefix(b"-").filter(|_| !c.unsigned).unwrap_or(v);
            if !digits.is_empty() && digits.len() < 19 && digits.iter().all(u8::is_ascii_digit) {
                out.extend_from_slice(v);
                return;
            }
            Some(if c.unsigned { "UNSIGNED" } else { "SIGNED" })
        }
        _ => None,
    };
    match cast {
        Some(t) => {
            out.extend_from_slice(b"CAST(");
            escape_into(out, v);
            out.extend_from_slice(b" AS ");
            out.extend_from_slice(t.as_bytes());
            out.push(b')');
        }
        None => escape_into(out, v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hashes_get_their_version() {
        let md5 = b"0123456789abcdef0123456789abcdef:Ab";
        assert_eq!(
            password_hash(md5),
            Password::Converted(b"0123456789abcdef0123456789abcdef:Ab:0".to_vec())
        );
        let sha = [b"a".repeat(64), b":salt".to_vec()].concat();
        let Password::Converted(out) = password_hash(&sha) else {
            panic!()
        };
        assert!(out.starts_with(&sha) && out.ends_with(b":1"));
        assert_eq!(
            password_hash(b"0123456789abcdef0123456789abcdef"),
            Password::Converted(b"0123456789abcdef0123456789abcdef::0".to_vec())
        );
        for other in [
            &b"$2y$10$abcdefghijklmnopqrstuv"[..],
            b"",
            b"0123456789abcdef0123456789abcdeg:x",
            b"0123456789abcdef0123456789abcdef:x:0",
            b"abc:x",
        ] {
            assert_eq!(password_hash(other), Password::MustReset, "{other:?}");
        }
    }

    fn column(name: &str, base: &str, nullable: bool) -> Column {
        Column {
            name: name.into(),
            data_type: base.into(),
            base_type: base.into(),
            unsigned: base == "int",
            nullable,
            default: None,
            auto_increment: false,
            comment: None,
        }
    }

    /// Rows and values arrive out of order and spill to disk (runs of 2 rows
    /// and 3 values); each row is written once with its values.
    #[test]
    fn rows_are_joined_with_their_values_through_sorted_runs() {
        let table = Table {
            name: "customer_entity".into(),
            columns: vec![
                column("entity_id", "int", false),
                column("email", "varchar", true),
                column("dob", "date", true),
                column("firstname", "varchar", false),
                column("gender", "int", true),
                column("lastname", "varchar", true),
            ],
            ..Table::default()
        };
        let statics: Vec<String> = ["dob", "firstname", "gender", "lastname"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let fallbacks = [None, Some("''".to_string()), None, None];
        let columns = ["entity_id".to_string(), "email".to_string()];
        let address = Table {
            name: "customer_address_entity".into(),
            columns: vec![
                column("entity_id", "int", false),
                column("city", "varchar", false),
            ],
            ..Table::default()
        };
        let (city, address_cols) = (["city".to_string()], ["entity_id".to_string()]);
        // Joined in order; the addresses on a thread of their own; or each
        // entity into a temporary file of its own, appended after.
        for (parallel, spilled) in [(false, false), (true, false), (true, true)] {
            let mut join = StaticJoin::with_runs(&[4, 1], 2, 3);
            for (id, email) in [(3, "c@x"), (1, "a@x"), (5, "e@x"), (2, "b@x")] {
                let row = format!("({id},'{email}')");
                join.push_row(0, id, row.as_bytes()).unwrap();
            }
            for id in [8, 7] {
                join.push_row(1, id, format!("({id})").as_bytes()).unwrap();
            }
            let (mut bytes, mut ends) = (Vec::new(), Vec::new());
            let mut value = |entity: u8, id: u64, slot: u16, v: Option<&str>| {
                push_value(
                    &mut bytes,
                    &mut ends,
                    entity,
                    id,
                    slot,
                    v.map(str::as_bytes),
                );
            };
            value(1, 2, 3, Some("O'Brien"));
            value(1, 1, 1, Some("Ann"));
            value(1, 9, 1, Some("nobody")); // no row 9
            value(1, 3, 0, Some("1980-02-03 00:00:00"));
            value(1, 1, 2, Some("2"));
            value(1, 1, 3, Some("Lee"));
            value(1, 1, 3, None); // a value and NULL: the value
            value(1, 3, 2, Some("x"));
            value(1, 3, 3, None); // NULL alone: NULL, not the fallback
            value(1, 5, 3, None);
            value(1, 5, 3, Some("Zed")); // NULL and a value: the value
            value(1, 2, 3, Some("Brien")); // two values: the greater, as MAX
            value(1, 4, 0, None); // no row 4
            value(1, 4, 1, Some("nobody"));
            value(2, 7, 0, Some("Köln"));
            value(2, 6, 0, Some("nowhere")); // no address 6
            // Consecutive values of one entity share a record.
            assert_eq!(ends.len(), 11);
            let mut start = 0;
            for &end in &ends {
                join.push_values(&bytes[start..end]).unwrap();
                start = end;
            }
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("out.sql");
            let mut out = Output::create(&path).unwrap();
            let customers = JoinTarget {
                name: "customer_entity",
                table: &table,
                columns: &columns,
                statics: &statics,
                fallbacks: &fallbacks,
            };
            let addresses = JoinTarget {
                name: "customer_address_entity",
                table: &address,
                columns: &address_cols,
                statics: &city,
                fallbacks: &[None],
            };
            let targets = [Some(customers), Some(addresses)];
            let lost = if spilled {
                let parts = join.finish_spilled(&targets, 1 << 20).unwrap();
                append_spilled(&mut out, parts).unwrap()
            } else {
                join.finish(&targets, 1 << 20, &mut out, parallel).unwrap()
            };
            out.finish().unwrap();
            assert_eq!(lost, vec![3, 1]);
            let text = std::fs::read_to_string(&path).unwrap();
            assert_eq!(
                text,
                "INSERT INTO `customer_entity` (`entity_id`,`email`,`dob`,`firstname`,`gender`,`lastname`) VALUES \
                 (1,'a@x',DEFAULT,'Ann',2,'Lee'),\
                 (2,'b@x',DEFAULT,'',DEFAULT,'O\\'Brien'),\
                 (3,'c@x',CAST('1980-02-03 00:00:00' AS DATE),'',CAST('x' AS UNSIGNED),NULL),\
                 (5,'e@x',DEFAULT,'',DEFAULT,'Zed');\n\
                 INSERT INTO `customer_address_entity` (`entity_id`,`city`) VALUES \
                 (7,'Köln'),(8,DEFAULT);\n",
                "parallel: {parallel}, spilled: {spilled}"
            );
        }
    }
}
