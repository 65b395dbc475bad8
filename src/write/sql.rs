//! Canonical SQL rendering of rows.
//!
//! Every value goes out in one form whatever form the dump used (see
//! [`Value::write_canonical`]), so the same data always renders to the same
//! bytes.

use crate::dump::Value;

/// Appends a backquoted identifier (a backquote inside is doubled).
pub fn push_ident(out: &mut Vec<u8>, name: &str) {
    out.push(b'`');
    for b in name.bytes() {
        if b == b'`' {
            out.push(b'`');
        }
        out.push(b);
    }
    out.push(b'`');
}

/// Appends `INSERT INTO `table` [(`a`,`b`)] VALUES `.
pub fn push_insert_head(out: &mut Vec<u8>, table: &str, columns: Option<&[String]>) {
    out.extend_from_slice(b"INSERT INTO ");
    push_ident(out, table);
    if let Some(cols) = columns {
        out.extend_from_slice(b" (");
        for (i, c) in cols.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            push_ident(out, c);
        }
        out.push(b')');
    }
    out.extend_from_slice(b" VALUES ");
}

/// Appends one row as `(v1,v2,…)` in canonical form.
pub fn push_row(out: &mut Vec<u8>, row: &[Value<'_>]) {
    out.push(b'(');
    for (i, v) in row.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        v.write_canonical(out);
    }
    out.push(b')');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_and_row() {
        let mut out = Vec::new();
        push_insert_head(&mut out, "a`b", Some(&["x".to_string(), "y".to_string()]));
        push_row(
            &mut out,
            &[
                Value::Null,
                Value::Number(b"-1.5"),
                Value::Str {
                    body: b"it''s",
                    quote: b'\'',
                    charset: None,
                },
            ],
        );
        assert_eq!(
            out,
            b"INSERT INTO `a``b` (`x`,`y`) VALUES (NULL,-1.5,'it\\'s')"
        );
    }
}
