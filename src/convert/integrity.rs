//! Referential integrity of the output: every foreign key the Magento 2
//! baseline declares must hold once the import file is loaded.
//!
//! Before rows are written, the key sets of every referenced column are
//! gathered from what the output will hold: kept baseline rows, rows the steps
//! compute, and migrated source rows (read in a keys pass over the dump). A
//! source row whose parent row is missing is then dropped (or its column set to
//! NULL where the key says `ON DELETE SET NULL`) and counted with the key's
//! name. Parents dropped that way take their children with them: the keys pass
//! repeats until no key set shrinks.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use foldhash::HashSet;
use roaring::{RoaringBitmap, RoaringTreemap};

use crate::convert::baseline::Baseline;
use crate::map::idmap::as_int;

/// A single-column foreign key of the destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fk {
    /// Child table (bare name).
    pub child: String,
    /// Child column.
    pub child_col: String,
    /// Referenced table (bare name).
    pub parent: String,
    /// Referenced column.
    pub parent_col: String,
    /// `ON DELETE SET NULL`: an orphan's column becomes NULL instead of the row going.
    pub set_null: bool,
    /// `child.col → parent.col (NAME)`, for the report.
    pub desc: String,
}

/// The single-column foreign keys the baseline declares between its tables.
pub fn foreign_keys(baseline: &Baseline) -> Vec<Fk> {
    let bare_of = |name: &str| {
        baseline
            .tables
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.bare.clone())
    };
    let mut out = Vec::new();
    for t in &baseline.tables {
        for fk in &t.table.foreign_keys {
            if fk.columns.len() != 1 || fk.ref_columns.len() != 1 {
                continue;
            }
            let Some(parent) = bare_of(&fk.ref_table) else {
                continue;
            };
            let set_null = fk
                .on_delete
                .as_deref()
                .is_some_and(|a| a.eq_ignore_ascii_case("SET NULL"));
            out.push(Fk {
                desc: format!(
                    "{}.{} → {}.{}{}",
                    t.bare,
                    fk.columns[0],
                    parent,
                    fk.ref_columns[0],
                    fk.name
                        .as_ref()
                        .map(|n| format!(" ({n})"))
                        .unwrap_or_default()
                ),
                child: t.bare.clone(),
                child_col: fk.columns[0].clone(),
                parent,
                parent_col: fk.ref_columns[0].clone(),
                set_null,
            });
        }
    }
    out
}

/// A set of key values: integers in compressed bitmaps (those below 2^32,
/// nearly every id, in a bitmap of 32-bit values, whose lookups skip the
/// wide map's tree of bitmaps), anything else as bytes with ASCII letters
/// lower-cased.
#[derive(Debug, Clone, Default)]
pub struct KeySet {
    small: RoaringBitmap,
    wide: RoaringTreemap,
    other: HashSet<Vec<u8>>,
    /// `small` as a plain bitmap, bit `i` for value `i`, once
    /// [`KeySet::index`] built it (empty otherwise, and after any change).
    dense: Vec<u64>,
}

impl PartialEq for KeySet {
    fn eq(&self, other: &KeySet) -> bool {
        self.small == other.small && self.wide == other.wide && self.other == other.other
    }
}

/// The largest value [`KeySet::index`] holds in a plain bitmap (32 MiB).
const DENSE_MAX: u32 = 1 << 28;

impl KeySet {
    /// Builds the plain bitmap of the values below 2^32 when they are dense
    /// enough (the bitmap takes at most 8 bytes per value) and below
    /// [`DENSE_MAX`]: a lookup is then one word, where the compressed bitmap
    /// searches its containers. For sets read many times and no longer
    /// changed (the parents' keys of the row pass).
    pub fn index(&mut self) {
        let Some(max) = self.small.max() else { return };
        if max >= DENSE_MAX || u64::from(max) > 64 * self.small.len() + 4096 {
            return;
        }
        let mut dense = vec![0u64; max as usize / 64 + 1];
        for i in &self.small {
            dense[i as usize / 64] |= 1 << (i % 64);
        }
        self.dense = dense;
    }

    /// Adds a value.
    pub fn insert(&mut self, v: &[u8]) {
        if !self.dense.is_empty() {
            self.dense = Vec::new();
        }
        match as_int(v) {
            Some(i) => match u32::try_from(i) {
                Ok(i) => {
                    self.small.insert(i);
                }
                Err(_) => {
                    self.wide.insert(i);
                }
            },
            None => {
                self.other.insert(v.to_ascii_lowercase());
            }
        }
    }

    /// Whether the set holds `v`. Text keys compare as MariaDB's default
    /// collations do for the ASCII codes Magento uses: without case.
    pub fn contains(&self, v: &[u8]) -> bool {
        match as_int(v) {
            Some(i) => match u32::try_from(i) {
                Ok(i) if !self.dense.is_empty() => self
                    .dense
                    .get(i as usize / 64)
                    .is_some_and(|w| w >> (i % 64) & 1 != 0),
                Ok(i) => self.small.contains(i),
                Err(_) => self.wide.contains(i),
            },
            None => self.other.contains(&v.to_ascii_lowercase()),
        }
    }

    /// The number of values.
    pub fn len(&self) -> u64 {
        self.small.len() + self.wide.len() + self.other.len() as u64
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when every value of `self` is in `other`.
    pub fn is_subset(&self, other: &KeySet) -> bool {
        self.small.is_subset(&other.small)
            && self.wide.is_subset(&other.wide)
            && self.other.iter().all(|v| other.other.contains(v))
    }

    /// The values of `self` that `other` lacks, as text.
    pub fn missing_from(&self, other: &KeySet) -> Vec<String> {
        let small = &self.small - &other.small;
        let wide = &self.wide - &other.wide;
        let mut out: Vec<String> = small.iter().map(|i| i.to_string()).collect();
        out.extend(wide.iter().map(|i| i.to_string()));
        out.extend(
            self.other
                .iter()
                .filter(|v| !other.other.contains(*v))
                .map(|v| String::from_utf8_lossy(v).into_owned()),
        );
        out
    }

    /// Adds every value of `other`.
    pub fn extend(&mut self, other: KeySet) {
        self.dense = Vec::new();
        self.small |= other.small;
        self.wide |= other.wide;
        self.other.extend(other.other);
    }
}

/// The key sets of the referenced columns, by (parent table, column).
pub type Keys = BTreeMap<(String, String), KeySet>;

/// The key set of each destination foreign key's parent column, by the key's
/// index (resolved once, so row checks do not look names up).
pub struct FkSets<'k>(Vec<Option<&'k KeySet>>);

impl<'k> FkSets<'k> {
    /// The sets of `keys` for each of `fks`.
    pub fn new(fks: &[Fk], keys: &'k Keys) -> FkSets<'k> {
        FkSets(
            fks.iter()
                .map(|fk| keys.get(&(fk.parent.clone(), fk.parent_col.clone())))
                .collect(),
        )
    }

    /// [`FkSets::new`] for the rows of the baseline: a parent table in
    /// `replaced` had its baseline rows replaced by migrated ones, so the
    /// rows a baseline row referred to there are gone, even where a migrated
    /// row has the same key (another entity). Such a parent holds no key
    /// (`none`, an empty set) for baseline rows.
    pub fn for_baseline(
        fks: &[Fk],
        keys: &'k Keys,
        replaced: &BTreeSet<String>,
        none: &'k KeySet,
    ) -> FkSets<'k> {
        FkSets(
            fks.iter()
                .map(|fk| match replaced.contains(&fk.parent) {
                    true => Some(none),
                    false => keys.get(&(fk.parent.clone(), fk.parent_col.clone())),
                })
                .collect(),
        )
    }

    /// The parent key set of foreign key `fi`, when known.
    pub fn get(&self, fi: usize) -> Option<&'k KeySet> {
        self.0.get(fi).copied().flatten()
    }
}

/// What the foreign keys say about one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The row is written (some columns may have been set to NULL).
    Keep,
    /// The row is dropped: its parent under this key is missing.
    Drop(usize),
}

/// The checks that apply to rows of one destination with given columns.
#[derive(Debug, Clone, Default)]
pub struct RowChecks {
    /// (column index among the written columns, index into the key list).
    pub checks: Vec<(usize, usize)>,
}

impl RowChecks {
    /// The checks for rows of `dest` written with `columns`, for the keys
    /// whose parent key sets are known.
    pub fn new(dest: &str, columns: &[String], fks: &[Fk], keys: &Keys) -> RowChecks {
        Self::where_known(dest, columns, fks, |_, fk| {
            keys.contains_key(&(fk.parent.clone(), fk.parent_col.clone()))
        })
    }

    /// The checks for rows of `dest` written with `columns`, for the keys
    /// whose parent key sets `sets` knows.
    pub fn with_sets(dest: &str, columns: &[String], fks: &[Fk], sets: &FkSets<'_>) -> RowChecks {
        Self::where_known(dest, columns, fks, |i, _| sets.get(i).is_some())
    }

    /// The checks for rows of `dest` written with `columns`, for the keys
    /// `known(index, key)` says have a parent key set.
    fn where_known(
        dest: &str,
        columns: &[String],
        fks: &[Fk],
        known: impl Fn(usize, &Fk) -> bool,
    ) -> RowChecks {
        let checks = fks
            .iter()
            .enumerate()
            .filter(|&(i, fk)| fk.child == dest && known(i, fk))
            .filter_map(|(i, fk)| {
                let c = columns
                    .iter()
                    .position(|c| c.eq_ignore_ascii_case(&fk.child_col))?;
                Some((c, i))
            })
            .collect();
        RowChecks { checks }
    }

    /// True when nothing is checked.
    pub fn is_empty(&self) -> bool {
        self.checks.is_empty()
    }

    /// Checks a row: `value(i)` gives column i's bytes (None for NULL);
    /// `set_null(i)` is called for SET NULL orphans. With `keep_orphans`, a
    /// row is never dropped (the caller counts the finding).
    pub fn check<'v>(
        &self,
        fks: &[Fk],
        sets: &FkSets<'_>,
        value: &mut dyn FnMut(usize) -> Option<Cow<'v, [u8]>>,
        set_null: &mut dyn FnMut(usize, usize),
        keep_orphans: bool,
        orphan: &mut dyn FnMut(usize),
    ) -> Verdict {
        for &(col, fi) in &self.checks {
            let fk = &fks[fi];
            let Some(set) = sets.get(fi) else { continue };
            let Some(v) = value(col) else { continue };
            if set.contains(&v) {
                continue;
            }
            if fk.set_null {
                set_null(col, fi);
            } else if keep_orphans {
                orphan(fi);
            } else {
                return Verdict::Drop(fi);
            }
        }
        Verdict::Keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An indexed set answers as the compressed one does, for values inside
    /// and past its bitmap, text and wide integers; a change drops the index.
    #[test]
    fn indexed_key_sets_answer_as_the_compressed_ones() {
        let mut next = crate::xorshift(0x5851_f42d_4c95_7f2d);
        for case in 0..200 {
            let span = [100, 5_000, 1 << 20][case % 3];
            let mut plain = KeySet::default();
            for _ in 0..next() % 3000 {
                plain.insert((next() % span).to_string().as_bytes());
            }
            plain.insert(b"SKU-1");
            plain.insert(b"5000000000");
            let mut indexed = plain.clone();
            indexed.index();
            assert_eq!(indexed, plain);
            let probes: Vec<Vec<u8>> = (0..500)
                .map(|_| (next() % (span + 200)).to_string().into_bytes())
                .chain([b"sku-1".to_vec(), b"5000000000".to_vec(), b"0".to_vec()])
                .collect();
            for p in &probes {
                assert_eq!(indexed.contains(p), plain.contains(p), "case {case} {p:?}");
            }
            indexed.insert(b"4000000");
            assert!(indexed.dense.is_empty() && indexed.contains(b"4000000"));
        }
        let mut sparse = KeySet::default();
        sparse.insert(b"1");
        sparse.insert(b"100000000");
        sparse.index();
        assert!(
            sparse.dense.is_empty(),
            "a sparse set keeps the compressed bitmap"
        );
        let mut dense = KeySet::default();
        (1..=1000).for_each(|i| dense.insert(i.to_string().as_bytes()));
        dense.index();
        assert_eq!(dense.dense.len(), 1000 / 64 + 1);
        assert!(dense.contains(b"1000") && !dense.contains(b"1001") && !dense.contains(b"0"));
    }

    #[test]
    fn key_sets_hold_integers_and_text() {
        let mut k = KeySet::default();
        for v in [&b"1"[..], b"42", b"18446744073709551615", b"US", b"017"] {
            k.insert(v);
        }
        assert!(k.contains(b"42") && k.contains(b"1") && k.contains(b"18446744073709551615"));
        assert!(!k.contains(b"2") && !k.contains(b"17"));
        assert!(k.contains(b"017") && k.contains(b"us") && !k.contains(b"DE"));
        assert_eq!(k.len(), 5);
        let mut small = KeySet::default();
        small.insert(b"42");
        small.insert(b"us");
        assert!(small.is_subset(&k) && !k.is_subset(&small));
        small.insert(b"43");
        assert!(!small.is_subset(&k));
        small.insert(b"FR");
        let mut missing = small.missing_from(&k);
        missing.sort();
        assert_eq!(missing, ["43", "fr"]);
        assert!(k.missing_from(&k).is_empty());
        // Both sides of 2^32, where the integers change bitmaps.
        let mut edge = KeySet::default();
        edge.insert(b"4294967295");
        edge.insert(b"4294967296");
        assert!(edge.contains(b"4294967295") && edge.contains(b"4294967296"));
        assert!(!edge.contains(b"4294967297") && !edge.contains(b"0"));
        assert_eq!(edge.len(), 2);
        let mut missing = edge.missing_from(&k);
        missing.sort();
        assert_eq!(missing, ["4294967295", "4294967296"]);
        assert!(!edge.is_subset(&k));
        k.extend(edge.clone());
        assert!(edge.is_subset(&k) && k.contains(b"4294967296"));
    }

    #[test]
    fn checks_drop_or_null_orphans() {
        let fks = vec![
            Fk {
                child: "c".into(),
                child_col: "p_id".into(),
                parent: "p".into(),
                parent_col: "id".into(),
                set_null: false,
                desc: "c.p_id → p.id".into(),
            },
            Fk {
                child: "c".into(),
                child_col: "q_id".into(),
                parent: "q".into(),
                parent_col: "id".into(),
                set_null: true,
                desc: "c.q_id → q.id".into(),
            },
        ];
        let mut keys = Keys::new();
        let mut p = KeySet::default();
        p.insert(b"1");
        keys.insert(("p".into(), "id".into()), p);
        keys.insert(("q".into(), "id".into()), KeySet::default());
        let cols: Vec<String> = ["id", "p_id", "q_id"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let rc = RowChecks::new("c", &cols, &fks, &keys);
        assert_eq!(rc.checks, vec![(1, 0), (2, 1)]);
        let run = |row: [Option<&[u8]>; 3], keep: bool| {
            let mut row: Vec<Option<Vec<u8>>> = row.iter().map(|v| v.map(<[u8]>::to_vec)).collect();
            let mut nulled = Vec::new();
            let mut found = Vec::new();
            let verdict = {
                let snapshot = row.clone();
                rc.check(
                    &fks,
                    &FkSets::new(&fks, &keys),
                    &mut |i| snapshot[i].as_deref().map(Cow::Borrowed),
                    &mut |i, _| nulled.push(i),
                    keep,
                    &mut |f| found.push(f),
                )
            };
            for i in &nulled {
                row[*i] = None;
            }
            (verdict, row, found)
        };
        let (v, row, _) = run([Some(b"9"), Some(b"1"), Some(b"5")], false);
        assert_eq!(v, Verdict::Keep);
        assert_eq!(row[2], None);
        assert_eq!(
            run([Some(b"9"), Some(b"2"), None], false).0,
            Verdict::Drop(0)
        );
        assert_eq!(run([Some(b"9"), None, None], false).0, Verdict::Keep);
        let (v, _, found) = run([Some(b"9"), Some(b"2"), None], true);
        assert_eq!((v, found), (Verdict::Keep, vec![0]));
    }
}
