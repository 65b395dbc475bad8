//! A compact map for the id lookups built from a dump (value id → product,
//! entity → attribute set, quote item → store): keys and values that are
//! integers written canonically are held as numbers, 16 bytes an entry,
//! anything else as bytes. A lookup gives back exactly the bytes inserted.

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
    fn int(mut v: u64) -> IdValue<'static> {
        let mut buf = [0u8; 20];
        let mut at = buf.len();
        loop {
            at -= 1;
            buf[at] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
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
    other: HashMap<Vec<u8>, Option<Vec<u8>>>,
}

impl IdMap {
    /// Adds (or replaces) `key`.
    pub fn insert(&mut self, key: &[u8], value: Option<&[u8]>) {
        let int_value = match value {
            None => Some(NULL),
            Some(v) => as_int(v),
        };
        match (as_int(key), int_value) {
            (Some(k), Some(v)) => {
                self.ints.insert(k, v);
                if !self.other.is_empty() {
                    self.other.remove(key);
                }
            }
            (k, _) => {
                if let Some(k) = k {
                    self.ints.remove(&k);
                }
                self.other.insert(key.to_vec(), value.map(<[u8]>::to_vec));
            }
        }
    }

    /// The value of `key`: `None` when absent, `Some(None)` for NULL.
    pub fn get(&self, key: &[u8]) -> Option<Option<IdValue<'_>>> {
        if let Some(k) = as_int(key)
            && let Some(&v) = self.ints.get(&k)
        {
            return Some((v != NULL).then(|| IdValue::int(v)));
        }
        self.other
            .get(key)
            .map(|v| v.as_deref().map(IdValue::Bytes))
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.ints.len() + self.other.len()
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
}
