//! A compact map for the id lookups built from a dump (value id → product,
//! entity → attribute set, quote item → store): keys and values that are
//! integers written canonically are held as numbers, 16 bytes an entry,
//! anything else as bytes. A lookup gives back exactly the bytes inserted.

use std::borrow::Cow;

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
    pub fn get(&self, key: &[u8]) -> Option<Option<Cow<'_, [u8]>>> {
        if let Some(k) = as_int(key)
            && let Some(&v) = self.ints.get(&k)
        {
            return Some((v != NULL).then(|| Cow::Owned(v.to_string().into_bytes())));
        }
        self.other.get(key).map(|v| v.as_deref().map(Cow::Borrowed))
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

    #[test]
    fn gives_back_the_bytes_inserted() {
        let mut m = IdMap::default();
        m.insert(b"7", Some(b"42"));
        m.insert(b"8", None);
        m.insert(b"007", Some(b"x"));
        m.insert(b"9", Some(b"042"));
        m.insert(b"us", Some(b"1"));
        m.insert(b"18446744073709551615", Some(b"1"));
        assert_eq!(m.get(b"7"), Some(Some(Cow::Borrowed(&b"42"[..]))));
        assert_eq!(m.get(b"8"), Some(None));
        assert_eq!(m.get(b"007"), Some(Some(Cow::Borrowed(&b"x"[..]))));
        assert_eq!(m.get(b"9"), Some(Some(Cow::Borrowed(&b"042"[..]))));
        assert_eq!(m.get(b"us"), Some(Some(Cow::Borrowed(&b"1"[..]))));
        assert_eq!(
            m.get(b"18446744073709551615"),
            Some(Some(Cow::Borrowed(&b"1"[..])))
        );
        assert_eq!(m.get(b"10"), None);
        assert_eq!(m.len(), 6);
        // A later insert wins, whichever way each value is held.
        m.insert(b"7", Some(b"abc"));
        assert_eq!(m.get(b"7"), Some(Some(Cow::Borrowed(&b"abc"[..]))));
        m.insert(b"7", Some(b"5"));
        assert_eq!(m.get(b"7"), Some(Some(Cow::Borrowed(&b"5"[..]))));
        assert_eq!(m.len(), 6);
    }
}
