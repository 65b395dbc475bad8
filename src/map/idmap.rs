//! A compact map for the id lookups built from a dump (value id → product,
//! entity → attribute set, quote item → store): keys and values that are
//! integers written canonically are held as numbers (8 bytes a slot in a
//! vector indexed by key when the keys are dense, 16 bytes an entry in a hash
//! map when not), anything else as bytes. A lookup gives back exactly the
//! bytes inserted.

use foldhash::HashMap;

/// The stand-in for NULL among integer values (no canonical key or value
/// reaches it: they have at most 19 digits).
const NULL: u64 = u64::MAX;

/// `v` as an unsigned integer when it is written canonically (`0`, `17`, not
/// `017`, `+1` or `1.0`), so that printing the number gives `v` back.
pub fn as_int(v: &[u8]) -> Option<u64> {
    if v.is_empty() || v.len() > 19 || (v.len() > 1 && v[0] == b'0') {
        return None;
    }
    v.iter().try_fold(0u64, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u64::from(b - b'0'))
    })
}

/// A value of an [`IdMap`]: the bytes it holds, or an integer's digits
/// written out (without allocating). Derefs to the bytes inserted.
#[derive(Debug, Clone, Copy)]
pub enum IdValue<'a> {
    /// Bytes held by the map.
    Bytes(&'a [u8]),
    /// The digits of an integer, right-aligned, from `.1`.
    Digits([u8; 20], u8),
}

impl IdValue<'_> {
    fn int(v: u64) -> IdValue<'static> {
        let mut text = itoa::Buffer::new();
        let text = text.format(v).as_bytes();
        let mut buf = [0u8; 20];
        let at = buf.len() - text.len();
        buf[at..].copy_from_slice(text);
        IdValue::Digits(buf, at as u8)
    }
}

impl std::ops::Deref for IdValue<'_> {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            IdValue::Bytes(b) => b,
            IdValue::Digits(buf, at) => &buf[usize::from(*at)..],
        }
    }
}

/// Key bytes → value bytes (`None`: NULL); a later insert of a key wins.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IdMap {
    ints: HashMap<u64, u64>,
    /// Integer keys by index ([`ABSENT`] where a key is not held): keys that
    /// arrive close enough to the others to keep it a quarter full (ids in
    /// ascending order, as dumps hold them), and those [`IdMap::compact`]
    /// moves here.
    dense: Vec<u64>,
    /// The slots of `dense` that hold a key.
    dense_held: usize,
    /// No key of `ints` is below this (the vector grows only up to it, so
    /// that a key is in one of the two).
    ints_min: Option<u64>,
    other: HashMap<Vec<u8>, Option<Vec<u8>>>,
}

/// An empty slot of [`IdMap`]'s vector (no canonical value reaches it).
const ABSENT: u64 = u64::MAX - 1;

/// The most slots [`IdMap::compact`] gives its vector (512 MiB).
const DENSE_MAX: u64 = 1 << 26;

/// Whether a vector of `slots` slots for `held` keys is worth it: a quarter
/// full or more (give or take 4096 slots), and within [`DENSE_MAX`].
fn dense_enough(slots: u64, held: u64) -> bool {
    slots <= DENSE_MAX && slots <= held.saturating_mul(4).saturating_add(4096)
}

impl IdMap {
    /// The index of integer key `k` in the vector, when it has a slot there.
    fn slot(&self, k: u64) -> Option<usize> {
        usize::try_from(k).ok().filter(|&k| k < self.dense.len())
    }

    /// Adds (or replaces) `key`.
    pub fn insert(&mut self, key: &[u8], value: Option<&[u8]>) {
        let int_value = match value {
            None => Some(NULL),
            Some(v) => as_int(v),
        };
        let key_int = as_int(key);
        let mut dense = key_int.and_then(|k| self.slot(k));
        match (key_int, int_value) {
            (Some(k), Some(v)) => {
                if dense.is_none() && !self.ints.contains_key(&k) {
                    dense = self.grow_to(k);
                }
                match dense {
                    Some(i) => self.put(i, v),
                    None => {
                        self.ints.insert(k, v);
                        self.ints_min = Some(self.ints_min.map_or(k, |m| m.min(k)));
                    }
                }
                if !self.other.is_empty() {
                    self.other.remove(key);
                }
            }
            (k, _) => {
                if let Some(k) = k {
                    match dense {
                        Some(i) => self.put(i, ABSENT),
                        None => {
                            self.ints.remove(&k);
                        }
                    }
                }
                self.other.insert(key.to_vec(), value.map(<[u8]>::to_vec));
            }
        }
    }

    /// Sets slot `i` of the vector to `v` ([`ABSENT`] to empty it), keeping
    /// the count of held slots.
    fn put(&mut self, i: usize, v: u64) {
        let was = self.dense[i] != ABSENT;
        let is = v != ABSENT;
        self.dense_held = self.dense_held + usize::from(is) - usize::from(was);
        self.dense[i] = v;
    }

    /// Gives integer key `k` (not held) a slot in the vector, growing it,
    /// when the vector stays a quarter full or more (give or take 4096) and
    /// within [`DENSE_MAX`] slots: ascending ids then never go through the
    /// hash map, which takes two to four times the memory while it grows.
    fn grow_to(&mut self, k: u64) -> Option<usize> {
        let held = self.dense_held + self.ints.len() + 1;
        let slots = k.checked_add(1)?;
        if !dense_enough(slots, held as u64) || self.ints_min.is_some_and(|m| slots > m) {
            return None;
        }
        let slots = usize::try_from(slots).ok()?;
        self.dense.resize(slots, ABSENT);
        Some(slots - 1)
    }

    /// The value of `key`: `None` when absent, `Some(None)` for NULL.
    pub fn get(&self, key: &[u8]) -> Option<Option<IdValue<'_>>> {
        if let Some(k) = as_int(key) {
            let v = match self.slot(k) {
                Some(i) => Some(self.dense[i]).filter(|&v| v != ABSENT),
                None => self.ints.get(&k).copied(),
            };
            if let Some(v) = v {
                return Some((v != NULL).then(|| IdValue::int(v)));
            }
        }
        self.other
            .get(key)
            .map(|v| v.as_deref().map(IdValue::Bytes))
    }

    /// Moves the integer keys into a vector indexed by key when they are
    /// dense enough (a quarter of the slots or more in use, give or take
    /// 4096, and fewer than 2^26 slots): a lookup is then an index instead of
    /// a hash probe, and the map takes less memory. Lookups and later
    /// inserts give the same results as before.
    pub fn compact(&mut self) {
        let Some(&max) = self.ints.keys().max() else {
            return;
        };
        let slots = max.saturating_add(1);
        let used = self.ints.len() as u64 + self.dense.len() as u64;
        if !dense_enough(slots, used) {
            return;
        }
        let Ok(slots) = usize::try_from(slots) else {
            return;
        };
        if self.dense.len() < slots {
            self.dense.resize(slots, ABSENT);
        }
        let ints = std::mem::take(&mut self.ints);
        self.ints_min = None;
        for (k, v) in ints {
            if let Some(i) = self.slot(k) {
                self.put(i, v);
            }
        }
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.ints.len() + self.dense_held + self.other.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(m: &IdMap, key: &[u8]) -> Option<Option<Vec<u8>>> {
        m.get(key).map(|v| v.map(|v| v.to_vec()))
    }

    #[test]
    fn gives_back_the_bytes_inserted() {
        let mut m = IdMap::default();
        m.insert(b"7", Some(b"42"));
        m.insert(b"8", None);
        m.insert(b"007", Some(b"x"));
        m.insert(b"9", Some(b"042"));
        m.insert(b"us", Some(b"1"));
        m.insert(b"18446744073709551615", Some(b"1"));
        assert_eq!(get(&m, b"7"), Some(Some(b"42".to_vec())));
        assert_eq!(get(&m, b"8"), Some(None));
        assert_eq!(get(&m, b"007"), Some(Some(b"x".to_vec())));
        assert_eq!(get(&m, b"9"), Some(Some(b"042".to_vec())));
        assert_eq!(get(&m, b"us"), Some(Some(b"1".to_vec())));
        assert_eq!(get(&m, b"18446744073709551615"), Some(Some(b"1".to_vec())));
        assert_eq!(get(&m, b"10"), None);
        assert_eq!(m.len(), 6);
        // A later insert wins, whichever way each value is held.
        m.insert(b"7", Some(b"abc"));
        assert_eq!(get(&m, b"7"), Some(Some(b"abc".to_vec())));
        m.insert(b"7", Some(b"5"));
        assert_eq!(get(&m, b"7"), Some(Some(b"5".to_vec())));
        assert_eq!(m.len(), 6);
        // Integers are written out whole, from one digit to nineteen.
        m.insert(b"11", Some(b"0"));
        m.insert(b"12", Some(b"9999999999999999999"));
        assert_eq!(get(&m, b"11"), Some(Some(b"0".to_vec())));
        assert_eq!(get(&m, b"12"), Some(Some(b"9999999999999999999".to_vec())));
    }

    #[test]
    fn a_compacted_map_reads_and_takes_inserts_as_before() {
        let mut next = crate::xorshift(0x0001_d4a9_3e77);
        let mut plain = IdMap::default();
        let mut keys: Vec<Vec<u8>> = Vec::new();
        for _ in 0..3000 {
            let k = (next() % 5000).to_string().into_bytes();
            let v = match next() % 5 {
                0 => None,
                1 => Some(b"x1".to_vec()),
                _ => Some((next() % 100_000).to_string().into_bytes()),
            };
            plain.insert(&k, v.as_deref());
            keys.push(k);
        }
        plain.insert(b"us", Some(b"7"));
        plain.insert(b"07", Some(b"8"));
        let mut compact = plain.clone();
        compact.compact();
        assert!(!compact.dense.is_empty() && compact.ints.is_empty());
        assert_eq!(compact.len(), plain.len());
        // Later inserts: over held and empty slots, past the vector, and
        // values that move a key between the numbers and the bytes.
        for (k, v) in [
            (&b"3"[..], Some(&b"4"[..])),
            (b"4999", Some(b"text")),
            (b"4999", Some(b"12")),
            (b"123456789", Some(b"5")),
            (b"17", None),
            (b"18", Some(b"018")),
        ] {
            plain.insert(k, v);
            compact.insert(k, v);
        }
        keys.extend([
            b"123456789".to_vec(),
            b"us".to_vec(),
            b"07".to_vec(),
            b"6000".to_vec(),
        ]);
        for k in &keys {
            assert_eq!(
                get(&compact, k),
                get(&plain, k),
                "{}",
                String::from_utf8_lossy(k)
            );
        }
        assert_eq!(compact.len(), plain.len());
        // Sparse keys stay in the hash map.
        let mut sparse = IdMap::default();
        sparse.insert(b"1", Some(b"1"));
        sparse.insert(b"10000000", Some(b"2"));
        sparse.compact();
        assert!(sparse.dense.len() < 4096 && sparse.ints.len() == 1);
        assert_eq!(get(&sparse, b"10000000"), Some(Some(b"2".to_vec())));
    }

    /// Whatever order the keys come in (ascending ids, random, sparse, bytes,
    /// NULLs, replaced values), the map gives back what a plain map of the
    /// bytes gives, before and after `compact`; ascending ids are held in the
    /// vector from the start.
    #[test]
    fn keys_in_any_order_read_back_as_inserted() {
        let mut next = crate::xorshift(0x005e_ed1d_0a77);
        for case in 0..6u64 {
            let mut m = IdMap::default();
            let mut model: std::collections::HashMap<Vec<u8>, Option<Vec<u8>>> =
                std::collections::HashMap::new();
            let mut keys = Vec::new();
            for i in 0..20_000u64 {
                let k = match case {
                    0 => i + 1,
                    1 => next() % 30_000,
                    2 => next() % 2_000_000_000,
                    3 => [i, 50_000 + i, next() % 100_000][(next() % 3) as usize],
                    4 => 40_000 - i,
                    _ => (i * 3) % 20_011,
                };
                let k = if next().is_multiple_of(50) {
                    format!("0{k}").into_bytes()
                } else {
                    k.to_string().into_bytes()
                };
                let v = match next() % 10 {
                    0 => None,
                    1 => Some(b"x".to_vec()),
                    2 => Some(b"007".to_vec()),
                    _ => Some((next() % 1_000_000).to_string().into_bytes()),
                };
                m.insert(&k, v.as_deref());
                model.insert(k.clone(), v);
                keys.push(k);
            }
            if case == 0 {
                assert!(m.ints.is_empty(), "ascending ids went through the hash map");
            }
            keys.extend([b"999999999".to_vec(), b"12345678901".to_vec()]);
            for round in 0..2 {
                for k in &keys {
                    assert_eq!(
                        get(&m, k),
                        model.get(k).cloned(),
                        "case {case}, round {round}, key {}",
                        String::from_utf8_lossy(k)
                    );
                }
                assert_eq!(m.len(), model.len(), "case {case}, round {round}");
                m.compact();
            }
        }
    }
}
