//! Values their Magento 2 column does not take as they are.
//!
//! In strict mode MySQL refuses a value its column does not hold, and the
//! load stops half way. Magento 2 changed some columns Magento 1's values go
//! to, so the converter gives each such value the form MySQL would give it
//! outside strict mode, and counts it in the report:
//! - a value longer than the column (`sales_order.remote_ip` is a
//!   `varchar(45)`, Magento 1's a `varchar(255)`; handlers can make a value
//!   longer) is cut to the column's length at a character boundary ("Data
//!   too long for column");
//! - NULL in a column that became NOT NULL (`catalog_product_entity.sku`,
//!   the `created_at` timestamps) becomes the column's default, or the
//!   type's implicit value when it has none ("Column cannot be null");
//! - a value that is not an integer in the range of an integer column
//!   (`weee_tax.state`, a `varchar` holding `*` in Magento 1) becomes the
//!   integer MySQL converts it to ("Incorrect integer value", "Out of range").

use crate::convert::row::Cell;
use crate::dump::Value;
use crate::dump::literal::escape_into;
use crate::schema::{Column, ColumnDefault};

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

impl Capacity {
    /// The limit, in its unit (a character takes at least a byte).
    pub fn limit(self) -> usize {
        match self {
            Capacity::Chars(n) | Capacity::TextBytes(n) | Capacity::Bytes(n) => n,
        }
    }
}

/// The report's message for a value cut to fit.
pub const CUT: &str = "value cut to the Magento 2 column's length";

/// The report's message for a NULL in a NOT NULL column with a default.
pub const NULL_AS_DEFAULT: &str =
    "NULL in a column Magento 2 declares NOT NULL: written as the column's default";

/// The report's message for a NULL in a NOT NULL column without a default.
pub const NULL_AS_EMPTY: &str = "NULL in a column Magento 2 declares NOT NULL without a default: written as the type's empty value ('' or 0)";

/// The report's message for a TIMESTAMP value moved to UTC.
pub const IN_UTC: &str = "TIMESTAMP value written in UTC, from the source dump's time zone";

/// The report's message for a value converted to an integer.
pub const NOT_INTEGER: &str =
    "not an integer the Magento 2 column holds: written as the integer MySQL converts it to";

/// How the report's line on the source's TIMESTAMP time zone starts.
pub const ZONE_NOTE: &str = "TIMESTAMP values of ";

/// Every message of this module, for picking its lines out of a report.
pub const MESSAGES: [&str; 4] = [CUT, NULL_AS_DEFAULT, NULL_AS_EMPTY, NOT_INTEGER];

/// A time zone TIMESTAMP values are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// A fixed offset (`+02:00`).
    Fixed(chrono::FixedOffset),
    /// A zone of the tz database, with its daylight saving time.
    Named(chrono_tz::Tz),
}

impl Zone {
    /// `+HH:MM`, `-HH:MM`, or a tz database name (`Europe/Berlin`, `UTC`).
    pub fn parse(s: &str) -> Option<Zone> {
        let s = s.trim();
        if let Some(sign) = s.chars().next().filter(|c| matches!(c, '+' | '-')) {
            let (h, m) = s[1..].split_once(':')?;
            let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
            if !(0..=14).contains(&h) || !(0..60).contains(&m) {
                return None;
            }
            let secs = (h * 3600 + m * 60) * if sign == '-' { -1 } else { 1 };
            return chrono::FixedOffset::east_opt(secs).map(Zone::Fixed);
        }
        s.parse::<chrono_tz::Tz>().ok().map(Zone::Named)
    }

    /// True when the zone is UTC at every instant.
    pub fn is_utc(self) -> bool {
        match self {
            Zone::Fixed(o) => o.local_minus_utc() == 0,
            Zone::Named(tz) => matches!(
                tz,
                chrono_tz::Tz::UTC
                    | chrono_tz::Tz::Etc__UTC
                    | chrono_tz::Tz::Etc__GMT
                    | chrono_tz::Tz::GMT
                    | chrono_tz::Tz::Etc__Universal
                    | chrono_tz::Tz::Universal
                    | chrono_tz::Tz::Zulu
            ),
        }
    }

    /// `v` (`YYYY-MM-DD HH:MM:SS[.ffffff]`, the zone's wall clock) in UTC,
    /// or `None` when it is no such time (the zero date). A wall clock time
    /// the zone skips (the hour daylight saving time starts) is taken an hour
    /// later, one it has twice (the hour it ends) as the first of the two.
    pub fn to_utc(self, v: &[u8]) -> Option<Vec<u8>> {
        use chrono::{NaiveDateTime, TimeZone};
        let text = std::str::from_utf8(v).ok()?;
        let (whole, fraction) = match text.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (text, None),
        };
        let naive = NaiveDateTime::parse_from_str(whole, "%Y-%m-%d %H:%M:%S").ok()?;
        let utc = |n: NaiveDateTime| match self {
            Zone::Fixed(o) => o.from_local_datetime(&n).earliest().map(|d| d.naive_utc()),
            Zone::Named(tz) => tz.from_local_datetime(&n).earliest().map(|d| d.naive_utc()),
        };
        let moved = utc(naive).or_else(|| utc(naive + chrono::Duration::hours(1)))?;
        let mut out = moved.format("%Y-%m-%d %H:%M:%S").to_string();
        if let Some(f) = fraction {
            out.push('.');
            out.push_str(f);
        }
        Some(out.into_bytes())
    }
}

/// What to check a cell's values for before they go into their column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fit {
    /// Values longer than this are cut.
    pub capacity: Option<Capacity>,
    /// A NULL becomes this SQL (the column's default as a literal, `DEFAULT`
    /// for an expression such as `current_timestamp()`, or the type's
    /// implicit value) and the report says why.
    pub null_as: Option<(String, &'static str)>,
    /// Values that are not integers in this range are converted.
    pub integer: Option<(i128, i128)>,
    /// TIMESTAMP values written in this zone are moved to UTC.
    pub to_utc: Option<Zone>,
}

/// What a cell filled from `source` (through a handler when `transformed`)
/// must be checked for to go into `dest`, or `None` when every value fits.
pub fn fit_for(source: Option<&Column>, dest: &Column, transformed: bool) -> Option<Fit> {
    let src = source.filter(|_| !transformed);
    let null_as =
        (!dest.nullable && !dest.auto_increment && src.is_none_or(|s| s.nullable)).then(|| {
            match &dest.default {
                Some(ColumnDefault::Literal(v)) if text_length(dest).is_some() => {
                    (v.clone(), NULL_AS_DEFAULT)
                }
                Some(ColumnDefault::Literal(v)) => {
                    let mut sql = Vec::new();
                    escape_into(&mut sql, v.as_bytes());
                    (String::from_utf8_lossy(&sql).into_owned(), NULL_AS_DEFAULT)
                }
                Some(_) => ("DEFAULT".to_string(), NULL_AS_DEFAULT),
                None => (implicit_value(dest).to_string(), NULL_AS_EMPTY),
            }
        });
    // An AUTO_INCREMENT id is never negative, whatever its type allows.
    let src_range = |s: &Column| {
        integer_range(s).map(|(lo, hi)| {
            if s.auto_increment {
                (lo.max(0), hi)
            } else {
                (lo, hi)
            }
        })
    };
    let integer = integer_range(dest).filter(|&(lo, hi)| {
        src.and_then(src_range)
            .is_none_or(|(a, b)| a < lo || b > hi)
    });
    let fit = Fit {
        capacity: to_check(source, dest, transformed),
        null_as,
        integer,
        to_utc: None,
    };
    (fit.capacity.is_some() || fit.null_as.is_some() || fit.integer.is_some()).then_some(fit)
}

/// What `cell` becomes to go into a column checked by `f`, and the report's
/// reason; `None` when it goes in as it is.
pub fn fix<'f>(cell: &Cell<'_>, f: &'f Fit) -> Option<(Cell<'f>, &'static str)> {
    let Some(bound) = cell.len_bound() else {
        let (sql, why) = f.null_as.as_ref()?;
        return Some((Cell::Sql(sql), why));
    };
    if let Some(zone) = f.to_utc {
        let utc = zone.to_utc(&cell.bytes()?)?;
        return Some((Cell::Bytes(utc), IN_UTC));
    }
    if let Some(r) = f.integer.filter(|&r| !integer_fits(cell, r))
        && let Some(n) = to_integer(&cell.bytes()?, r)
    {
        let fixed = match i64::try_from(n) {
            Ok(n) => Cell::Int(n),
            Err(_) => Cell::Bytes(n.to_string().into_bytes()),
        };
        return Some((fixed, NOT_INTEGER));
    }
    let cap = f.capacity.filter(|c| bound > c.limit())?;
    Some((Cell::Bytes(cut(&cell.bytes()?, cap)?), CUT))
}

/// True when `cell`'s value is surely an integer in `lo..=hi`, found
/// without decoding it (an integer cell, or a number of at most 18 digits);
/// false leaves it to [`to_integer`].
pub fn integer_fits(cell: &Cell<'_>, (lo, hi): (i128, i128)) -> bool {
    let n = match cell {
        Cell::Int(i) => i128::from(*i),
        Cell::Val(Value::Number(t)) => {
            let (neg, digits) = match t.split_first() {
                Some((b'-', d)) => (true, d),
                _ => (false, *t),
            };
            if digits.is_empty() || digits.len() > 18 || !digits.iter().all(u8::is_ascii_digit) {
                return false;
            }
            let n = digits
                .iter()
                .fold(0i128, |n, d| n * 10 + i128::from(d - b'0'));
            if neg { -n } else { n }
        }
        _ => return false,
    };
    lo <= n && n <= hi
}

/// The value MySQL gives a NOT NULL column without a default outside
/// strict mode, as SQL.
pub fn implicit_value(c: &Column) -> &'static str {
    match c.base_type.as_str() {
        "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint" | "decimal"
        | "numeric" | "float" | "double" | "real" | "bit" | "year" => "0",
        "date" => "'1970-01-01'",
        "datetime" | "timestamp" => "'1970-01-01 00:00:01'",
        "time" => "'00:00:00'",
        _ => "''",
    }
}

/// The values an integer column holds.
pub fn integer_range(c: &Column) -> Option<(i128, i128)> {
    let bits = match c.base_type.as_str() {
        "tinyint" => 8,
        "smallint" => 16,
        "mediumint" => 24,
        "int" | "integer" => 32,
        "bigint" => 64,
        _ => return None,
    };
    Some(if c.unsigned {
        (0, (1i128 << bits) - 1)
    } else {
        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
    })
}

/// The integer MySQL stores for `v` in a column holding `lo..=hi` (outside
/// strict mode), or `None` when `v` is already such an integer: a number is
/// rounded, other text gives its leading integer (0 when it has none), and
/// the result is clamped to the range.
pub fn to_integer(v: &[u8], (lo, hi): (i128, i128)) -> Option<i128> {
    let raw = std::str::from_utf8(v).unwrap_or_default();
    let plain = raw.strip_prefix('-').unwrap_or(raw);
    let exact = !plain.is_empty() && plain.len() <= 38 && plain.bytes().all(|b| b.is_ascii_digit());
    if exact && let Ok(n) = raw.parse::<i128>() {
        return (n < lo || n > hi).then(|| n.clamp(lo, hi));
    }
    let text = raw.trim();
    if let Ok(n) = text.parse::<i128>() {
        return Some(n.clamp(lo, hi));
    }
    let n = match text.parse::<f64>() {
        Ok(f) if f.is_finite() => {
            let r = f.round();
            if r <= lo as f64 {
                lo
            } else if r >= hi as f64 {
                hi
            } else {
                r as i128
            }
        }
        _ => {
            let digits_at = usize::from(text.starts_with(['-', '+']));
            let digits = text[digits_at..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .take(38)
                .count();
            let n: i128 = text[digits_at..digits_at + digits].parse().unwrap_or(0);
            if text.starts_with('-') { -n } else { n }
        }
    };
    Some(n.clamp(lo, hi))
}

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

    #[test]
    fn nulls_in_not_null_columns_take_the_default() {
        let m1 = columns(
            "CREATE TABLE s (sku varchar(64) DEFAULT NULL, c timestamp NULL DEFAULT NULL, n int(10) unsigned NOT NULL, i int(10) unsigned NOT NULL AUTO_INCREMENT, q decimal(12,4) DEFAULT NULL)",
        );
        let m2 = columns(
            "CREATE TABLE d (sku varchar(64) NOT NULL, c timestamp NOT NULL DEFAULT current_timestamp(), n int(10) unsigned NOT NULL, i int(10) unsigned NOT NULL AUTO_INCREMENT, q decimal(12,4) NOT NULL)",
        );
        let null_as: Vec<_> = m1
            .iter()
            .zip(&m2)
            .map(|(s, d)| fit_for(Some(s), d, false).and_then(|f| f.null_as))
            .map(|n| n.map(|(sql, _)| sql))
            .collect();
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            null_as,
            [some("''"), some("DEFAULT"), None, None, some("0")]
        );
        // A handler may give NULL whatever the source column allowed.
        assert_eq!(
            fit_for(Some(&m1[2]), &m2[2], true).and_then(|f| f.null_as),
            Some(("0".to_string(), NULL_AS_EMPTY))
        );
        // A literal default is written as itself (a foreign key's check
        // reads it), a number bare and a string quoted.
        let d = columns(
            "CREATE TABLE d (w smallint(5) unsigned NOT NULL DEFAULT '0', s varchar(32) NOT NULL DEFAULT 'it''s')",
        );
        let got: Vec<_> = d
            .iter()
            .map(|c| fit_for(None, c, false).and_then(|f| f.null_as))
            .collect();
        assert_eq!(
            got,
            [
                Some(("0".to_string(), NULL_AS_DEFAULT)),
                Some(("'it\\'s'".to_string(), NULL_AS_DEFAULT))
            ]
        );
    }

    #[test]
    fn integers_are_checked_where_the_source_is_no_narrower_integer() {
        let m1 = columns(
            "CREATE TABLE s (state varchar(255) NOT NULL, used int(10) unsigned NOT NULL, g smallint(5) unsigned NOT NULL, e smallint(5) unsigned)",
        );
        let m2 = columns(
            "CREATE TABLE d (state int(11) NOT NULL DEFAULT 0, used int(11) NOT NULL DEFAULT 0, g int(10) unsigned NOT NULL, e smallint(6))",
        );
        let ranges: Vec<_> = m1
            .iter()
            .zip(&m2)
            .map(|(s, d)| fit_for(Some(s), d, false).and_then(|f| f.integer))
            .collect();
        let int = (-(1i128 << 31), (1i128 << 31) - 1);
        assert_eq!(ranges, [Some(int), Some(int), None, Some((-32768, 32767))]);
        // An AUTO_INCREMENT id goes into an unsigned column unchecked.
        let id = columns("CREATE TABLE s (value_id int(11) NOT NULL AUTO_INCREMENT)");
        let uid = columns("CREATE TABLE d (value_id int(10) unsigned NOT NULL)");
        assert_eq!(fit_for(Some(&id[0]), &uid[0], false), None);
        // Integers judged without decoding.
        let small = (-32768, 32767);
        assert!(integer_fits(&Cell::Int(7), small));
        assert!(!integer_fits(&Cell::Int(70_000), small));
        assert!(integer_fits(&Cell::Val(Value::Number(b"-12")), small));
        assert!(!integer_fits(&Cell::Val(Value::Number(b"1.5")), small));
        assert!(!integer_fits(&Cell::Bytes(b"12".to_vec()), small));
    }

    #[test]
    fn non_integers_become_what_mysql_converts_them_to() {
        let int = (-(1i128 << 31), (1i128 << 31) - 1);
        let unsigned_small = (0, 65535);
        assert_eq!(to_integer(b"12", int), None);
        assert_eq!(to_integer(b"-7", int), None);
        assert_eq!(to_integer(b"*", int), Some(0));
        assert_eq!(to_integer(b"", int), Some(0));
        assert_eq!(to_integer(b"12abc", int), Some(12));
        assert_eq!(to_integer(b"-3 apples", int), Some(-3));
        assert_eq!(to_integer(b"1.5", int), Some(2));
        assert_eq!(to_integer(b" 42 ", int), Some(42));
        assert_eq!(to_integer(b"1e3", int), Some(1000));
        assert_eq!(to_integer(b"4294967296", int), Some((1 << 31) - 1));
        assert_eq!(to_integer(b"-1", unsigned_small), Some(0));
        assert_eq!(to_integer(b"70000", unsigned_small), Some(65535));
    }

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

    #[test]
    fn zones_move_wall_clock_times_to_utc() {
        let berlin = Zone::parse("Europe/Berlin").expect("zone");
        let utc = |z: Zone, v: &str| {
            z.to_utc(v.as_bytes())
                .map(|b| String::from_utf8(b).expect("utf8"))
        };
        // Summer time (+2), winter time (+1).
        assert_eq!(
            utc(berlin, "2014-07-01 12:00:00").as_deref(),
            Some("2014-07-01 10:00:00")
        );
        assert_eq!(
            utc(berlin, "2014-01-01 00:30:00").as_deref(),
            Some("2013-12-31 23:30:00")
        );
        // The hour summer time skips is taken an hour later; the hour winter
        // time repeats, the first time.
        assert_eq!(
            utc(berlin, "2014-03-30 02:30:00").as_deref(),
            Some("2014-03-30 01:30:00")
        );
        assert_eq!(
            utc(berlin, "2014-10-26 02:30:00").as_deref(),
            Some("2014-10-26 00:30:00")
        );
        // Fractions stay; the zero date and other text are no times.
        assert_eq!(
            utc(berlin, "2014-07-01 12:00:00.250").as_deref(),
            Some("2014-07-01 10:00:00.250")
        );
        assert_eq!(utc(berlin, "0000-00-00 00:00:00"), None);
        assert_eq!(utc(berlin, "soon"), None);
        let west = Zone::parse("-05:30").expect("offset");
        assert_eq!(
            utc(west, "2014-07-01 22:00:00").as_deref(),
            Some("2014-07-02 03:30:00")
        );
        for z in ["+00:00", "UTC", "Etc/UTC", "-00:00"] {
            assert!(Zone::parse(z).is_some_and(Zone::is_utc), "{z}");
        }
        assert!(!berlin.is_utc());
        for bad in ["SYSTEM", "Mars/Base", "+25:00", "+2", ""] {
            assert_eq!(Zone::parse(bad), None, "{bad}");
        }
    }
}
