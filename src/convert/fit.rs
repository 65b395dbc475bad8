//! Values longer than their Magento 2 column holds.
//!
//! Some Magento 2 columns are narrower than the Magento 1 columns they are
//! filled from (`sales_order.remote_ip` is a `varchar(45)`, Magento 1's a
//! `varchar(255)`; `sales_order.customer_email` 128 characters against
//! 255), and handlers can make a value longer (JSON escapes). In strict mode
//! MySQL refuses such a value ("Data too long for column") and the load
//! stops half way, so the converter cuts it to what the column holds, at a
//! character boundary, and counts it in the report.

use crate::schema::Column;

/// What a string column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capacity {
    /// `char(n)`, `varchar(n)`: characters.
    Chars(usize),
    /// `tinytext`, `text`, `mediumtext`: bytes of text (cut at a character).
    TextBytes(usize),
    /// `binary(n)`, `varbinary(n)`, the blobs: bytes.
    Bytes(usize),
}

/// The report's message for a value cut to fit.
pub const CUT: &str = "value cut to the Magento 2 column's length";

/// The `n` of a type written `name(n)` or `name(n,m)`.
fn declared_length(c: &Column) -> Option<usize> {
    c.data_type
        .split(['(', ')', ','])
        .nth(1)
        .and_then(|n| n.trim().parse().ok())
}

/// What column `c` holds, when it is a string type with a limit worth
/// checking (`longtext` and `longblob` hold 4 GiB, more than a statement).
pub fn capacity(c: &Column) -> Option<Capacity> {
    Some(match c.base_type.as_str() {
        "char" | "varchar" | "character" | "nchar" | "nvarchar" => {
            Capacity::Chars(declared_length(c).unwrap_or(1))
        }
        "binary" | "varbinary" => Capacity::Bytes(declared_length(c).unwrap_or(1)),
        "tinytext" => Capacity::TextBytes(255),
        "text" => Capacity::TextBytes(65_535),
        "mediumtext" => Capacity::TextBytes(16_777_215),
        "tinyblob" => Capacity::Bytes(255),
        "blob" => Capacity::Bytes(65_535),
        "mediumblob" => Capacity::Bytes(16_777_215),
        _ => return None,
    })
}

/// The longest text a value of a non-string column can have, when it is
/// known (numbers and dates as MySQL writes them).
fn text_length(c: &Column) -> Option<usize> {
    Some(match c.base_type.as_str() {
        "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint" => 20,
        "decimal" | "numeric" => declared_length(c).unwrap_or(10) + 2,
        "float" | "double" | "real" => 24,
        "date" => 10,
        "datetime" | "timestamp" => 26,
        "time" => 17,
        "year" => 4,
        "bit" => 8,
        _ => return None,
    })
}

/// The capacity to check a destination column `dest` against, or `None`
/// when every value of `source` fits (the source column is no wider, and no
/// handler changes the value).
pub fn to_check(source: Option<&Column>, dest: &Column, transformed: bool) -> Option<Capacity> {
    let cap = capacity(dest)?;
    let Some(src) = source.filter(|_| !transformed) else {
        return Some(cap);
    };
    let fits = match (capacity(src), cap) {
        (Some(Capacity::Chars(a)), Capacity::Chars(b)) => a <= b,
        // A character takes at most 4 bytes (utf8mb4).
        (Some(Capacity::Chars(a)), Capacity::TextBytes(b) | Capacity::Bytes(b)) => {
            a.saturating_mul(4) <= b
        }
        // A character takes at least a byte.
        (
            Some(Capacity::TextBytes(a) | Capacity::Bytes(a)),
            Capacity::Chars(b) | Capacity::TextBytes(b) | Capacity::Bytes(b),
        ) => a <= b,
        (None, Capacity::Chars(b) | Capacity::TextBytes(b) | Capacity::Bytes(b)) => {
            text_length(src).is_some_and(|a| a <= b)
        }
    };
    (!fits).then_some(cap)
}

/// `v` cut to what `cap` holds, or `None` when it fits. Text is cut at a
/// character boundary (UTF-8; by bytes when it is not UTF-8).
pub fn cut(v: &[u8], cap: Capacity) -> Option<Vec<u8>> {
    match cap {
        Capacity::Chars(n) => {
            // Fewer bytes than characters allowed: it fits, without counting.
            if v.len() <= n {
                return None;
            }
            match std::str::from_utf8(v) {
                Ok(s) => s.char_indices().nth(n).map(|(at, _)| v[..at].to_vec()),
                Err(_) => Some(v[..n].to_vec()),
            }
        }
        Capacity::TextBytes(n) => {
            if v.len() <= n {
                return None;
            }
            // Back to the start of the character that byte n is in.
            let mut at = n;
            while at > 0 && v[at] & 0xC0 == 0x80 {
                at -= 1;
            }
            Some(v[..at].to_vec())
        }
        Capacity::Bytes(n) => (v.len() > n).then(|| v[..n].to_vec()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::parse_create_table;

    fn columns(ddl: &str) -> Vec<Column> {
        parse_create_table(ddl.as_bytes())
            .expect("ddl reads")
            .columns
    }

    #[test]
    fn capacities_by_type() {
        let c = columns(
            "CREATE TABLE t (a varchar(45) DEFAULT NULL, b char(2), c text, d varbinary(16), e mediumblob, f longtext, g int(10) unsigned, h tinytext)",
        );
        let caps: Vec<_> = c.iter().map(capacity).collect();
        assert_eq!(
            caps,
            [
                Some(Capacity::Chars(45)),
                Some(Capacity::Chars(2)),
                Some(Capacity::TextBytes(65_535)),
                Some(Capacity::Bytes(16)),
                Some(Capacity::Bytes(16_777_215)),
                None,
                None,
                Some(Capacity::TextBytes(255)),
            ]
        );
    }

    #[test]
    fn only_narrower_columns_or_transformed_values_are_checked() {
        let m1 = columns(
            "CREATE TABLE s (ip varchar(255), mail varchar(128), note varchar(64), body text, n int(10), d datetime, blob_ blob)",
        );
        let m2 = columns(
            "CREATE TABLE d (ip varchar(45), mail varchar(128), note text, body varchar(255), n varchar(5), d varchar(32), blob_ varbinary(255))",
        );
        let checked: Vec<_> = m1
            .iter()
            .zip(&m2)
            .map(|(s, d)| to_check(Some(s), d, false))
            .collect();
        assert_eq!(
            checked,
            [
                Some(Capacity::Chars(45)),
                None,
                None,
                Some(Capacity::Chars(255)),
                Some(Capacity::Chars(5)),
                None,
                Some(Capacity::Bytes(255)),
            ]
        );
        // A handler's value is checked whatever the source held.
        assert_eq!(
            to_check(Some(&m1[1]), &m2[1], true),
            Some(Capacity::Chars(128))
        );
        assert_eq!(to_check(None, &m2[1], false), Some(Capacity::Chars(128)));
    }

    #[test]
    fn cuts_keep_whole_characters() {
        assert_eq!(cut(b"abc", Capacity::Chars(3)), None);
        assert_eq!(cut("héllo".as_bytes(), Capacity::Chars(5)), None);
        assert_eq!(
            cut("héllo wörld".as_bytes(), Capacity::Chars(7)),
            Some("héllo w".as_bytes().to_vec())
        );
        // "é" is two bytes: byte 2 is inside it, so the cut goes before it.
        assert_eq!(
            cut("hé!".as_bytes(), Capacity::TextBytes(2)),
            Some(b"h".to_vec())
        );
        assert_eq!(cut("hé".as_bytes(), Capacity::TextBytes(3)), None);
        assert_eq!(
            cut(&[0xc3, 0xa9, 0xc3], Capacity::Bytes(2)),
            Some(vec![0xc3, 0xa9])
        );
        // Not UTF-8: bytes.
        assert_eq!(
            cut(&[0xff, 0xfe, 0xfd], Capacity::Chars(2)),
            Some(vec![0xff, 0xfe])
        );
    }
}
