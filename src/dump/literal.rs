//! MySQL string-literal escaping and unescaping, on bytes.
//!
//! This is the only place where escape sequences are interpreted or produced,
//! so that every reader and writer agrees on them. Nothing here assumes UTF-8:
//! latin1 text and binary blobs pass through byte for byte.

use std::borrow::Cow;

use super::scan::{next_stop, stop_masks};

/// Unescapes the body of a quoted literal (the bytes between the quotes).
///
/// `quote` is the quote character the literal used (`'` or `"`); a doubled
/// quote stands for one. Backslash escapes follow MySQL: `\0 \b \n \r \t \Z`
/// are control bytes, `\%` and `\_` keep their backslash (as MySQL does outside
/// `LIKE`), and any other `\x` is `x`. Borrows when there is nothing to unescape.
pub fn unescape(body: &[u8], quote: u8) -> Cow<'_, [u8]> {
    let Some(first) = memchr::memchr2(b'\\', quote, body) else {
        return Cow::Borrowed(body);
    };
    let mut out = Vec::with_capacity(body.len());
    out.extend_from_slice(&body[..first]);
    let mut i = first;
    while i < body.len() {
        let b = body[i];
        if b == b'\\' && i + 1 < body.len() {
            push_unescaped(&mut out, body[i + 1]);
            i += 2;
        } else if b == quote && i + 1 < body.len() && body[i + 1] == quote {
            out.push(quote);
            i += 2;
        } else {
            out.push(b);
            i += 1;
        }
        // The next backslash or quote, 16 bytes at a time (the scan also
        // stops at the other quote and the control bytes: copied above).
        match next_stop(body, i) {
            Some(next) => {
                out.extend_from_slice(&body[i..next]);
                i = next;
            }
            None => {
                out.extend_from_slice(&body[i..]);
                break;
            }
        }
    }
    Cow::Owned(out)
}

/// Appends what the escape `\e` stands for: `\0 \b \n \r \t \Z` are control
/// bytes, `\%` and `\_` keep their backslash (as MySQL does outside `LIKE`),
/// and any other `\x` is `x`.
fn push_unescaped(out: &mut Vec<u8>, e: u8) {
    match e {
        b'0' => out.push(0),
        b'b' => out.push(8),
        b'n' => out.push(b'\n'),
        b'r' => out.push(b'\r'),
        b't' => out.push(b'\t'),
        b'Z' => out.push(26),
        b'%' | b'_' => out.extend_from_slice(&[b'\\', e]),
        other => out.push(other),
    }
}

/// Appends `bytes` as a single-quoted MySQL literal, in canonical form.
///
/// The escape set is mysqldump's: `\0 \n \r \\ \' \" \Z`; every other byte is
/// written as it is. `unescape` of the body gives back `bytes` exactly.
pub fn escape_into(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len() + 2);
    out.push(b'\'');
    escape_body_into(out, bytes);
    out.push(b'\'');
}

/// What [`escape_into`] writes between the quotes.
pub fn escape_body_into(out: &mut Vec<u8>, bytes: &[u8]) {
    // The escape set is the set a literal's scan stops at, found 16 bytes
    // at a time.
    let mut from = 0;
    for (at, mut mask) in stop_masks(bytes) {
        while mask != 0 {
            let i = at + mask.trailing_zeros() as usize;
            mask &= mask - 1;
            out.extend_from_slice(&bytes[from..i]);
            out.push(b'\\');
            out.push(match bytes[i] {
                0 => b'0',
                b'\n' => b'n',
                b'\r' => b'r',
                26 => b'Z',
                other => other,
            });
            from = i + 1;
        }
    }
    out.extend_from_slice(&bytes[from..]);
}

/// True when `body`, the inside of a literal quoted with `quote`, is already
/// in the form [`escape_into`] writes, so that rendering it canonically is a
/// copy: single quotes, and no byte outside mysqldump's escape pairs that
/// `escape_into` would rewrite.
pub fn is_canonical(body: &[u8], quote: u8) -> bool {
    super::scan::is_canonical(body, quote)
}

/// Decodes hex digits (from `0x…` or `X'…'`). An odd count gets a leading zero,
/// as MySQL pads `0x…` literals. `None` when a byte is not a hex digit.
pub fn hex_decode(digits: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(digits.len().div_ceil(2));
    let mut rest = digits;
    if digits.len() % 2 == 1 {
        out.push(hex_val(digits[0])?);
        rest = &digits[1..];
    }
    for pair in rest.chunks_exact(2) {
        out.push(hex_val(pair[0])? << 4 | hex_val(pair[1])?);
    }
    Some(out)
}

#[inline]
fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes the digits of a `b'0101'` bit literal into big-endian bytes.
pub fn bits_decode(digits: &[u8]) -> Option<Vec<u8>> {
    let nbytes = digits.len().div_ceil(8);
    let mut out = vec![0u8; nbytes];
    let pad = nbytes * 8 - digits.len();
    for (i, &d) in digits.iter().enumerate() {
        let bit = match d {
            b'0' => 0,
            b'1' => 1,
            _ => return None,
        };
        let pos = pad + i;
        out[pos / 8] |= bit << (7 - pos % 8);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_every_mysql_escape() {
        let body = br#"a\0b\'c\"d\be\nf\rg\th\Zi\\j\%k\_l''m\qn"#;
        let want: &[u8] = b"a\0b'c\"d\x08e\nf\rg\th\x1ai\\j\\%k\\_l'mqn";
        assert_eq!(unescape(body, b'\'').as_ref(), want);
    }

    #[test]
    fn unescape_borrows_when_clean() {
        assert!(matches!(unescape(b"plain text", b'\''), Cow::Borrowed(_)));
        assert_eq!(unescape(br#"say ""hi"""#, b'"').as_ref(), b"say \"hi\"");
    }

    #[test]
    fn escape_and_unescape_match_the_byte_rules() {
        // The rules a byte at a time (what each escape stands for is
        // `push_unescaped`'s, held to MySQL by `unescape_every_mysql_escape`).
        fn escape_ref(bytes: &[u8]) -> Vec<u8> {
            let mut out = vec![b'\''];
            for &b in bytes {
                match b {
                    0 => out.extend_from_slice(b"\\0"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    26 => out.extend_from_slice(b"\\Z"),
                    b'\\' | b'\'' | b'"' => out.extend_from_slice(&[b'\\', b]),
                    _ => out.push(b),
                }
            }
            out.push(b'\'');
            out
        }
        fn unescape_ref(body: &[u8], quote: u8) -> Vec<u8> {
            let mut out = Vec::new();
            let mut i = 0;
            while i < body.len() {
                match body[i] {
                    b'\\' if i + 1 < body.len() => {
                        push_unescaped(&mut out, body[i + 1]);
                        i += 2;
                    }
                    q if q == quote && body.get(i + 1) == Some(&quote) => {
                        out.push(q);
                        i += 2;
                    }
                    b => {
                        out.push(b);
                        i += 1;
                    }
                }
            }
            out
        }
        let alphabet = b"ab\\'\"\0\n\r\x1a\tZ%_\xc3\xa9";
        let mut next = crate::xorshift(0x51f1_5eed_1234_5678);
        for _ in 0..3000 {
            let len = (next() % 70) as usize;
            let text: Vec<u8> = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let mut out = Vec::new();
            escape_into(&mut out, &text);
            assert_eq!(out, escape_ref(&text), "{text:?}");
            for quote in [b'\'', b'"'] {
                assert_eq!(
                    unescape(&text, quote).as_ref(),
                    unescape_ref(&text, quote),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn escape_round_trips_all_bytes() {
        let all: Vec<u8> = (0..=255u8).collect();
        let mut out = Vec::new();
        escape_into(&mut out, &all);
        assert_eq!(out[0], b'\'');
        assert_eq!(*out.last().unwrap(), b'\'');
        assert_eq!(unescape(&out[1..out.len() - 1], b'\'').as_ref(), &all[..]);
    }

    #[test]
    fn hex_and_bits() {
        assert_eq!(hex_decode(b"00ff10").unwrap(), vec![0, 255, 16]);
        assert_eq!(hex_decode(b"abc").unwrap(), vec![0x0a, 0xbc]);
        assert!(hex_decode(b"zz").is_none());
        assert_eq!(bits_decode(b"1").unwrap(), vec![1]);
        assert_eq!(bits_decode(b"100000001").unwrap(), vec![1, 1]);
    }

    #[test]
    fn canonical_bodies_render_as_they_are() {
        let bodies: [(&[u8], u8, bool); 12] = [
            (b"plain text", b'\'', true),
            (b"it\\'s \\\\ \\n\\r\\0\\Z \\\"q\\\"", b'\'', true),
            ("caf\u{e9} \u{65e5}\u{672c}".as_bytes(), b'\'', true),
            (b"", b'\'', true),
            (b"it''s", b'\'', false),
            (b"tab\\t", b'\'', false),
            (b"raw\nnewline", b'\'', false),
            (b"100\\%", b'\'', false),
            (b"raw \" quote", b'\'', false),
            (b"lone\\", b'\'', false),
            (b"plain", b'"', false),
            (b"nul\0byte", b'\'', false),
        ];
        for (body, quote, canonical) in bodies {
            assert_eq!(is_canonical(body, quote), canonical, "{body:?}");
            let mut out = Vec::new();
            escape_into(&mut out, &unescape(body, quote));
            if canonical {
                assert_eq!(&out[1..out.len() - 1], body);
            }
        }
    }
}
