//! The statements of a mapped input, kept between reads in a few bytes each.
//!
//! The first full read of a mapped dump records where its statements are;
//! later reads walk the record instead of scanning for the statements again.
//! A dump of one-row INSERTs has a statement per row, so a record of plain
//! [`Span`]s (32 bytes each) would soon outgrow any reasonable bound: here a
//! statement that mysqldump lays out (one byte between it and the one
//! before, its `;` right after its text) costs one varint, its length; any
//! other costs three. The record holds a fixed number of bytes in memory;
//! past them it moves what it has to an unnamed temporary file (a spill),
//! which later reads read back a chunk at a time, so memory stays bounded
//! whatever the number of statements. Where no such file can be made, the
//! record gives up, and the reads split the input again.

use std::fs::File;
use std::path::Path;

use integer_encoding::VarInt;

use super::split::Span;

/// The most bytes one span takes in the record (three varints).
const SPAN_MAX: usize = 3 * 10;

/// Bytes of a spill read back at a time.
const CHUNK: usize = 1 << 20;

/// Statement spans in input order, as varints: for each, `len << 1` when it
/// is laid out the common way (`gap == 1`, `tail == 1`, not a `DELIMITER`
/// command), else `len << 1 | 1`, `gap << 1 | delimiter_command`, `tail`;
/// where `gap` is `start` less the `next` of the span before (0 for the
/// first), `len` is `end - start` and `tail` is `next - end`.
#[derive(Debug)]
pub(crate) struct SpanLog {
    /// The record's last spans, those not in the spill (all of them while
    /// nothing is spilled). The spill and this split between spans.
    bytes: Vec<u8>,
    /// The `next` of the last span recorded.
    last: usize,
    /// The most bytes `bytes` takes before it spills (one span more when
    /// `cap` is less than a span).
    cap: usize,
    /// Where the record's first bytes go when `bytes` is full (unix only:
    /// they are read back by offset).
    spill: Spill,
}

#[derive(Debug)]
enum Spill {
    /// Nothing spilled yet: a spill may be made in this directory.
    In(std::path::PathBuf),
    /// No spill may be made: a full record gives up.
    Never,
    /// The record's first `len` bytes.
    File { file: File, len: u64 },
}

impl SpanLog {
    /// An empty record holding at most `cap` bytes in memory (reserved at
    /// once: a record given up is freed whole, not left in the allocator in
    /// the pieces of its doubling; only the pages written take memory), and
    /// spilling the rest to a temporary file in `spill_dir` (see
    /// [`super::spool::scratch_file`]) when there is one.
    pub(crate) fn new(cap: usize, spill_dir: Option<&Path>) -> SpanLog {
        SpanLog {
            bytes: Vec::with_capacity(cap),
            last: 0,
            cap,
            spill: match spill_dir {
                Some(d) if cfg!(unix) => Spill::In(d.to_path_buf()),
                _ => Spill::Never,
            },
        }
    }

    /// Records `span`, the one after the last recorded; `false` when the
    /// record is full and cannot spill (or the span does not follow the
    /// last), and then nothing is recorded.
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
        let mut buf = [0u8; SPAN_MAX];
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
        if self.bytes.len() + n > self.cap && !self.spill_bytes() {
            return false;
        }
        self.bytes.extend_from_slice(&buf[..n]);
        self.last = span.next;
        true
    }

    /// Moves `bytes` to the end of the spill (made now if there is none);
    /// `false` when that cannot be done, and then nothing changes.
    fn spill_bytes(&mut self) -> bool {
        use std::io::Write;
        if let Spill::In(dir) = &self.spill {
            self.spill = match super::spool::scratch_file(dir) {
                Some(file) => Spill::File { file, len: 0 },
                None => Spill::Never,
            };
        }
        let Spill::File { file, len } = &mut self.spill else {
            return false;
        };
        // A failed write leaves the file's end unknown: the record gives up
        // (its caller drops it).
        if file.write_all(&self.bytes).is_err() {
            return false;
        }
        *len += self.bytes.len() as u64;
        self.bytes.clear();
        true
    }

    /// Whether part of the record is in a spill (for tests).
    #[cfg(test)]
    pub(crate) fn spilled(&self) -> bool {
        matches!(self.spill, Spill::File { .. })
    }

    /// The spans recorded, in order; an item is an error when the spill
    /// cannot be read back (and is the last).
    pub(crate) fn iter(&self) -> Iter<'_> {
        let spilled = match &self.spill {
            Spill::File { file, len } => Some((file, *len)),
            _ => None,
        };
        Iter {
            spilled,
            read: 0,
            chunk: Vec::new(),
            at: 0,
            tail_at: 0,
            last: 0,
            log: self,
            failed: false,
        }
    }
}

/// The spans of a [`SpanLog`]: those of the spill, read a chunk at a time,
/// then those in memory.
pub(crate) struct Iter<'a> {
    log: &'a SpanLog,
    /// The spill and its length, until it is read to the end.
    spilled: Option<(&'a File, u64)>,
    /// Bytes of the spill read so far.
    read: u64,
    /// Bytes of the spill read and not all decoded, from `at`.
    chunk: Vec<u8>,
    at: usize,
    /// Where decoding stands in the record's bytes in memory.
    tail_at: usize,
    /// The `next` of the span given last.
    last: usize,
    failed: bool,
}

impl Iter<'_> {
    /// Reads the next chunk of the spill after what is left of this one.
    fn refill(&mut self, file: &File, len: u64) -> std::io::Result<()> {
        self.chunk.drain(..self.at);
        self.at = 0;
        let left = self.chunk.len();
        let n = usize::try_from(len - self.read).map_or(CHUNK, |r| r.min(CHUNK));
        self.chunk.resize(left + n, 0);
        read_exact_at(file, &mut self.chunk[left..], self.read)?;
        self.read += n as u64;
        Ok(())
    }
}

impl Iterator for Iter<'_> {
    type Item = std::io::Result<Span>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        if let Some((file, len)) = self.spilled {
            if self.chunk.len() - self.at < SPAN_MAX
                && self.read < len
                && let Err(e) = self.refill(file, len)
            {
                self.failed = true;
                return Some(Err(e));
            }
            if self.at < self.chunk.len() {
                return match decode(&self.chunk[self.at..], &mut self.last) {
                    Some((span, n)) => {
                        self.at += n;
                        Some(Ok(span))
                    }
                    None => {
                        self.failed = true;
                        Some(Err(std::io::Error::new(
                            std::io::ErrorKind::InvalidData,
                            "the statement record read back from its temporary file is cut short",
                        )))
                    }
                };
            }
            self.spilled = None;
            self.chunk = Vec::new();
        }
        let (span, n) = decode(self.log.bytes.get(self.tail_at..)?, &mut self.last)?;
        self.tail_at += n;
        Some(Ok(span))
    }
}

/// Decodes the span at the start of `b`, the one after the span whose
/// `next` is `last` (which becomes its `next`), and the bytes it took.
#[inline]
fn decode(b: &[u8], last: &mut usize) -> Option<(Span, usize)> {
    let mut at = 0;
    let mut read = || -> Option<usize> {
        let (v, n) = usize::decode_var(b.get(at..)?)?;
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
    let start = *last + gap;
    let end = start + len;
    *last = end + tail;
    Some((
        Span {
            start,
            end,
            next: *last,
            delimiter_command,
        },
        at,
    ))
}

/// Fills `buf` from `file` at `offset` (a spill is only made on unix).
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
    }
    #[cfg(not(unix))]
    {
        let _ = (file, buf, offset);
        Err(std::io::ErrorKind::Unsupported.into())
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
        let mut log = SpanLog::new(1 << 10, None);
        for s in spans {
            assert!(log.push(s));
        }
        assert_eq!(log.iter().map(Result::unwrap).collect::<Vec<_>>(), spans);
        // The common layout takes one varint: 98 << 1 fits in two bytes.
        let mut one = SpanLog::new(1 << 10, None);
        assert!(one.push(span(0, 1, 2, false)));
        let before = one.bytes.len();
        assert!(one.push(span(3, 101, 102, false)));
        assert_eq!(one.bytes.len() - before, 2);
    }

    /// A record that spills gives back every span, across the chunks its
    /// spill is read back in, then those still in memory; a record that
    /// cannot spill refuses as one without a directory does.
    #[test]
    fn a_spilled_log_gives_back_every_span() {
        let dir = crate::disk_tempdir();
        if crate::dump::spool::scratch_file(dir.path()).is_none() {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but no temporary file could be made beside the test binary"
            );
            eprintln!("SKIPPED: no temporary file beside the test binary");
            return;
        }
        // Over three chunks of the spill: common spans (one varint, of one
        // to three bytes) and others (three varints, up to 17 bytes).
        let mut spans = Vec::new();
        let mut next = 0usize;
        for i in 0..1_500_000usize {
            let odd = i % 5 == 3;
            let start = next + if odd { i % 3 } else { 1 };
            let len = (i * 7919) % if i % 11 == 0 { 1 << 30 } else { 200 };
            let tail = if odd { 1 + i % 4 } else { 1 };
            let end = start + len;
            next = end + tail;
            spans.push(span(start, end, next, odd && i % 2 == 0));
        }
        for cap in [1000, 0] {
            let mut log = SpanLog::new(cap, Some(dir.path()));
            for &s in &spans {
                assert!(log.push(s));
            }
            assert!(log.spilled());
            let Spill::File { len, .. } = &log.spill else {
                unreachable!()
            };
            assert!(*len > 3 * CHUNK as u64, "{len}");
            let got: Vec<Span> = log.iter().map(Result::unwrap).collect();
            assert!(got == spans, "cap {cap}: the spans differ");
        }
        let gone = dir.path().join("gone");
        let mut log = SpanLog::new(5, Some(&gone));
        assert!(log.push(span(0, 10, 11, false)));
        assert!(!log.push(span(20, 2000, 2003, false)));
        assert!(!log.spilled());
    }

    #[test]
    fn a_full_log_refuses_and_keeps_what_it_has() {
        let mut log = SpanLog::new(5, None);
        assert!(log.push(span(0, 10, 11, false)));
        assert!(log.push(span(12, 20, 21, false)));
        // Three varints do not fit in the byte left; one does.
        assert!(!log.push(span(30, 40, 42, false)));
        assert!(log.push(span(22, 30, 31, false)));
        assert_eq!(
            log.iter().map(|s| s.unwrap().start).collect::<Vec<_>>(),
            [0, 12, 22]
        );
        // A span before the last one's end is refused.
        assert!(!log.push(span(5, 8, 9, false)));
    }
}
