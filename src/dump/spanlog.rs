//! The statements of a mapped input, kept between reads in a few bytes each.
//!
//! The first full read of a mapped dump records where its statements are;
//! later reads walk the record instead of scanning for the statements again.
//! A dump of one-row INSERTs has a statement per row, so a record of plain
//! [`Span`]s (32 bytes each) would soon outgrow any reasonable bound: here a
//! statement that mysqldump lays out (one byte between it and the one
//! before, its `;` right after its text) costs one varint, its length; any
//! other costs three. Past a fixed number of bytes the record gives up, and
//! the reads split the input again, so memory stays bounded.

use integer_encoding::VarInt;

use super::split::Span;

/// Statement spans in input order, as varints: for each, `len << 1` when it
/// is laid out the common way (`gap == 1`, `tail == 1`, not a `DELIMITER`
/// command), else `len << 1 | 1`, `gap << 1 | delimiter_command`, `tail`;
/// where `gap` is `start` less the `next` of the span before (0 for the
/// first), `len` is `end - start` and `tail` is `next - end`.
#[derive(Debug)]
pub(crate) struct SpanLog {
    bytes: Vec<u8>,
    /// The `next` of the last span recorded.
    last: usize,
    /// The most bytes the record may take.
    cap: usize,
}

impl SpanLog {
    /// An empty record of at most `cap` bytes (reserved at once: a record
    /// outgrown is freed whole, not left in the allocator in the pieces of
    /// its doubling; only the pages written take memory).
    pub(crate) fn new(cap: usize) -> SpanLog {
        SpanLog {
            bytes: Vec::with_capacity(cap),
            last: 0,
            cap,
        }
    }

    /// Records `span`, the one after the last recorded; `false` when the
    /// record is full (or the span does not follow the last), and then
    /// nothing is recorded.
    pub(crate) fn push(&mut self, span: Span) -> bool {
        let (Some(gap), Some(len), Some(tail)) = (
            span.start.checked_sub(self.last),
            span.end.checked_sub(span.start),
            span.next.checked_sub(span.end),
        ) else {
            return false;
        };
        let Some(len2) = len.checked_mul(2) else {
            return false;
        };
        let mut buf = [0u8; 3 * 10];
        let mut n;
        if gap == 1 && tail == 1 && !span.delimiter_command {
            n = len2.encode_var(&mut buf);
        } else {
            let Some(gap2) = gap.checked_mul(2) else {
                return false;
            };
            n = (len2 | 1).encode_var(&mut buf);
            n += (gap2 | usize::from(span.delimiter_command)).encode_var(&mut buf[n..]);
            n += tail.encode_var(&mut buf[n..]);
        }
        if self.bytes.len() + n > self.cap {
            return false;
        }
        self.bytes.extend_from_slice(&buf[..n]);
        self.last = span.next;
        true
    }

    /// The spans recorded, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Span> + '_ {
        let mut at = 0;
        let mut last = 0usize;
        std::iter::from_fn(move || {
            let mut read = || -> Option<usize> {
                let (v, n) = usize::decode_var(self.bytes.get(at..)?)?;
                at += n;
                Some(v)
            };
            let head = read()?;
            let len = head >> 1;
            let (gap, delimiter_command, tail) = if head & 1 == 0 {
                (1, false, 1)
            } else {
                let g = read()?;
                (g >> 1, g & 1 == 1, read()?)
            };
            let start = last + gap;
            let end = start + len;
            last = end + tail;
            Some(Span {
                start,
                end,
                next: last,
                delimiter_command,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize, next: usize, delimiter_command: bool) -> Span {
        Span {
            start,
            end,
            next,
            delimiter_command,
        }
    }

    #[test]
    fn spans_come_back_as_recorded() {
        let spans = [
            // The first statement, after a comment.
            span(120, 400, 401, false),
            // mysqldump's layout: a newline between, `;` right after.
            span(402, 500, 501, false),
            span(502, 502 + 70_000, 502 + 70_001, false),
            // CRLF, a blank before the `;`, a DELIMITER command, a long gap.
            span(70_504, 70_600, 70_602, false),
            span(70_602, 70_620, 70_621, true),
            span(1 << 40, (1 << 40) + 9, (1 << 40) + 12, false),
            // Nothing between two statements (`;;`-style) and an empty one.
            span((1 << 40) + 12, (1 << 40) + 12, (1 << 40) + 13, false),
        ];
        let mut log = SpanLog::new(1 << 10);
        for s in spans {
            assert!(log.push(s));
        }
        assert_eq!(log.iter().collect::<Vec<_>>(), spans);
        // The common layout takes one varint: 98 << 1 fits in two bytes.
        let mut one = SpanLog::new(1 << 10);
        assert!(one.push(span(0, 1, 2, false)));
        let before = one.bytes.len();
        assert!(one.push(span(3, 101, 102, false)));
        assert_eq!(one.bytes.len() - before, 2);
    }

    #[test]
    fn a_full_log_refuses_and_keeps_what_it_has() {
        let mut log = SpanLog::new(5);
        assert!(log.push(span(0, 10, 11, false)));
        assert!(log.push(span(12, 20, 21, false)));
        // Three varints do not fit in the byte left; one does.
        assert!(!log.push(span(30, 40, 42, false)));
        assert!(log.push(span(22, 30, 31, false)));
        assert_eq!(log.iter().map(|s| s.start).collect::<Vec<_>>(), [0, 12, 22]);
        // A span before the last one's end is refused.
        assert!(!log.push(span(5, 8, 9, false)));
    }
}
