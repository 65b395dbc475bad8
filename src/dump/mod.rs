//! Reading a dump: statements in order, handed to workers in parallel.
//!
//! [`Source`] opens the input (mapped or streamed); the [`split`] module finds
//! statements; [`Dump::for_each`] hands them, in batches, to a `map` function
//! running on rayon's pool, then to a `fold` function called in input order on
//! the calling thread. Results are therefore the same whatever the thread
//! count. Memory stays bounded: a batch holds a few MiB of statements; two
//! batches wait for the workers and at most `threads + 1` are being mapped.

pub mod facts;
pub mod literal;
pub(crate) mod scan;
pub mod source;
mod spanlog;
pub mod split;
mod spool;
pub mod statement;
pub mod values;

use std::io::Read;
use std::sync::mpsc::{Receiver, sync_channel};

use rayon::prelude::*;

pub use source::Source;
pub use statement::{Classified, Kind, classify};
pub use values::{Insert, Rows, Value, insert_head_len};

use crate::error::{Error, Location, Result, StatementError, found};
use split::{Span, Splitter, Step};

/// Bytes of statements per batch handed to the workers.
const BATCH_BYTES: usize = 4 << 20;
/// Statements per batch at most.
const BATCH_STATEMENTS: usize = 16_384;
/// Bytes of statements [`Dump::for_each_run`] puts in one run at most.
const RUN_BYTES: usize = 64 << 10;
/// Bytes read from a stream at a time.
const READ_CHUNK: usize = 8 << 20;

/// One statement of a dump.
#[derive(Debug, Clone, Copy)]
pub struct Statement<'a> {
    /// Byte offset of the statement's first byte in the (decompressed) input.
    pub offset: u64,
    /// The statement text, without its delimiter.
    pub text: &'a [u8],
    /// True for the client's `DELIMITER` command.
    pub delimiter_command: bool,
}

impl Statement<'_> {
    /// Classifies the statement.
    pub fn classify(&self) -> Classified {
        if self.delimiter_command {
            return Classified {
                kind: Kind::Delimiter,
                tables: Vec::new(),
                filtered: false,
            };
        }
        classify(self.text)
    }
}

/// A run of statements over one buffer.
struct Batch<'a> {
    buf: BatchBuf<'a>,
    /// Offset of `buf[0]` in the input.
    base: u64,
    /// Line number of `buf[0]` (1-based), for streams; mapped input counts on demand.
    first_line: Option<u64>,
    spans: Vec<Span>,
}

enum BatchBuf<'a> {
    Borrowed(&'a [u8]),
    Owned(Vec<u8>),
}

impl Batch<'_> {
    fn bytes(&self) -> &[u8] {
        match &self.buf {
            BatchBuf::Borrowed(b) => b,
            BatchBuf::Owned(v) => v,
        }
    }

    fn statement(&self, span: &Span) -> Statement<'_> {
        Statement {
            offset: self.base + span.start as u64,
            text: &self.bytes()[span.start..span.end],
            delimiter_command: span.delimiter_command,
        }
    }
}

/// An opened dump, ready to be read.
pub struct Dump {
    source: Source,
    head: std::sync::OnceLock<Vec<u8>>,
    /// The statements of a mapped input, found by the first full read and
    /// reused by later ones (unless their record outgrows [`SPAN_LOG_BYTES`]
    /// with no spool directory to spill to).
    spans: std::sync::OnceLock<spanlog::SpanLog>,
    /// The most bytes that record keeps in memory ([`SPAN_LOG_BYTES`]; less in tests).
    span_log_bytes: usize,
}

/// The most bytes the record of a mapped input's statements keeps in memory
/// between reads: about 4 million statements as mysqldump lays out one-row
/// INSERTs (2 bytes each; the benchmark store written so takes 41 MB), and
/// statements of a megabyte without limit in practice. Past it the record
/// moves to a temporary file in the spool directory (see
/// [`spanlog::SpanLog`]); where there is none, every read splits the input
/// again, so that memory does not grow with the dump's size.
const SPAN_LOG_BYTES: usize = 8 << 20;

/// How many bytes of the input's start [`Dump::head`] keeps.
const HEAD_BYTES: usize = 16 << 10;

impl Dump {
    /// Opens `path` (or stdin for `-`).
    pub fn open(path: &std::path::Path) -> Result<Dump> {
        Ok(Dump {
            spans: std::sync::OnceLock::new(),
            span_log_bytes: SPAN_LOG_BYTES,
            source: Source::open(path)?,
            head: std::sync::OnceLock::new(),
        })
    }

    /// The first bytes of the (decompressed) input, where dump headers live.
    /// Empty until the dump has been read (a stream is read only once).
    pub fn head(&self) -> &[u8] {
        if let Some(all) = self.source.mapped() {
            return &all[..all.len().min(HEAD_BYTES)];
        }
        self.head.get().map(Vec::as_slice).unwrap_or(&[])
    }

    /// The input.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// See [`Source::spool_in`].
    pub fn spool_in(&mut self, dir: std::path::PathBuf) {
        self.source.spool_in(dir);
    }

    /// Reads every statement: `map` runs on rayon's pool (on the calling
    /// thread alone when `threads` is 1), `fold` sees each statement and its
    /// result in input order.
    pub fn for_each<R, M, F>(&self, threads: usize, map: M, mut fold: F) -> Result<()>
    where
        R: Send,
        M: Fn(&Statement<'_>) -> Result<R, StatementError> + Sync,
        F: FnMut(&Statement<'_>, R) -> Result<()>,
    {
        self.for_each_run(
            threads,
            |_| None,
            |run| map(&run[0]).map_err(|e| (0, e)),
            |run, r| fold(&run[0], r),
        )
    }

    /// [`Dump::for_each`] over runs of statements: consecutive statements
    /// that start with the same `head(text)` bytes as the run's first one
    /// (`None`: a run of its own) go to `map` together, up to [`RUN_BYTES`]
    /// of them. Dumps of one row per INSERT then cost a call per run, not
    /// per row. An error names the statement of the run it is about.
    pub fn for_each_run<R, H, M, F>(
        &self,
        threads: usize,
        head: H,
        map: M,
        mut fold: F,
    ) -> Result<()>
    where
        R: Send,
        H: Fn(&[u8]) -> Option<usize> + Sync,
        M: Fn(&[Statement<'_>]) -> Result<R, (usize, StatementError)> + Sync,
        F: FnMut(&[Statement<'_>], R) -> Result<()>,
    {
        let mapped = self.source.mapped().map(<[u8]>::as_ptr);
        let mut released = 0usize;
        type Mapped<R> = Vec<(std::ops::Range<usize>, Result<R, (usize, StatementError)>)>;
        let map_batch = |batch: &Batch<'_>, parallel: bool| -> Mapped<R> {
            let statements: Vec<Statement<'_>> =
                batch.spans.iter().map(|s| batch.statement(s)).collect();
            let runs = runs(&statements, &head);
            let map_run = |r: std::ops::Range<usize>| {
                let result = map(&statements[r.clone()]);
                (r, result)
            };
            if parallel {
                runs.into_par_iter().map(map_run).collect()
            } else {
                runs.into_iter().map(map_run).collect()
            }
        };
        let mut fold_batch = |batch: Batch<'_>, results: Mapped<R>| -> Result<()> {
            let mut statements = Vec::new();
            for (range, r) in results {
                statements.clear();
                statements.extend(
                    batch.spans[range.clone()]
                        .iter()
                        .map(|s| batch.statement(s)),
                );
                match r {
                    Ok(r) => fold(&statements, r)?,
                    Err((i, e)) => {
                        let span = &batch.spans[range.start + i.min(range.len() - 1)];
                        return Err(self.malformed(&batch, span, e));
                    }
                }
            }
            if let (Some(p), Some(last)) = (mapped, batch.spans.last())
                && batch.base == 0
                && std::ptr::eq(p, batch.bytes().as_ptr())
            {
                let upto = last.next / source::RELEASE_STEP * source::RELEASE_STEP;
                if upto > released {
                    self.source.release(released..upto);
                    released = upto;
                }
            }
            Ok(())
        };
        if threads <= 1 {
            return self.produce(1, |batch| {
                let results = map_batch(&batch, false);
                fold_batch(batch, results)
            });
        }
        // Three stages: the producer splits, a mapper hands each batch to the
        // pool as its own job, and this thread folds in order. Up to
        // `2 × threads + 1` batches are mapped at once, so a worker that
        // finishes its part of one batch starts on the next instead of waiting
        // for the batch's slowest statement, and the workers keep busy while
        // the fold takes longer over one batch (the customer tables' rows go
        // to the join's sorted runs there). Each batch in flight holds its
        // rendered rows: a fixed amount of memory, whatever the dump's size.
        std::thread::scope(|scope| {
            let (tx, rx) = sync_channel::<Result<Batch<'_>>>(2);
            let producer = scope.spawn(move || {
                let r = self.produce(threads, |batch| {
                    tx.send(Ok(batch))
                        .map_err(|_| Error::Config("the reader was stopped".into()))
                });
                if let Err(e) = r {
                    let _ = tx.send(Err(e));
                }
            });
            let (mtx, mrx) = sync_channel::<Result<Receiver<(Batch<'_>, Mapped<R>)>>>(2 * threads);
            let map_batch = &map_batch;
            let mapper = scope.spawn(move || {
                rayon::in_place_scope(|jobs| {
                    for batch in rx.iter() {
                        let b = match batch {
                            Ok(b) => b,
                            Err(e) => {
                                let _ = mtx.send(Err(e));
                                break;
                            }
                        };
                        let (otx, orx) = sync_channel(1);
                        if mtx.send(Ok(orx)).is_err() {
                            break;
                        }
                        jobs.spawn(move |_| {
                            let results = map_batch(&b, true);
                            let _ = otx.send((b, results));
                        });
                    }
                });
            });
            let mut result = Ok(());
            for item in mrx.iter() {
                let mapped = item.and_then(|orx| {
                    orx.recv()
                        .map_err(|_| Error::Config("a worker stopped".into()))
                });
                match mapped.and_then(|(b, results)| fold_batch(b, results)) {
                    Ok(()) => {}
                    Err(e) => {
                        result = Err(e);
                        break;
                    }
                }
            }
            drop(mrx);
            let _ = mapper.join();
            let _ = producer.join();
            result
        })
    }

    /// Turns a statement-relative error into one with the dump location.
    fn malformed(&self, batch: &Batch<'_>, span: &Span, e: StatementError) -> Error {
        let st = batch.statement(span);
        let at = span.start + e.at.min(st.text.len());
        let table = st.classify().table().map(str::to_string);
        self.error_at(batch, at, table, e.message)
    }

    fn error_at(
        &self,
        batch: &Batch<'_>,
        at: usize,
        table: Option<String>,
        message: String,
    ) -> Error {
        let bytes = batch.bytes();
        let line = match batch.first_line {
            Some(first) => first + bytecount::count(&bytes[..at.min(bytes.len())], b'\n') as u64,
            None => 1 + bytecount::count(&bytes[..at.min(bytes.len())], b'\n') as u64,
        };
        Error::Malformed {
            loc: Box::new(Location {
                file: self.source.name.clone(),
                offset: batch.base + at as u64,
                line,
                table,
                decompressed: self.source.is_gzip(),
            }),
            message,
        }
    }

    /// Splits the input into batches of statements (a mapped input on
    /// `threads` workers, see [`split::Ahead`]).
    fn produce<'s>(
        &'s self,
        threads: usize,
        mut sink: impl FnMut(Batch<'s>) -> Result<()>,
    ) -> Result<()> {
        if let Some(all) = self.source.mapped() {
            let batch = |spans: Vec<Span>| Batch {
                buf: BatchBuf::Borrowed(all),
                base: 0,
                first_line: None,
                spans,
            };
            let split_error = |e: StatementError, at: usize| {
                let table = table_at(all, at);
                self.error_at(&batch(Vec::new()), e.at, table, e.message)
            };
            // The spans of an earlier read, or the splitter's.
            let cached = self.spans.get();
            let mut record = cached
                .is_none()
                .then(|| spanlog::SpanLog::new(self.span_log_bytes, self.source.spool_dir()));
            let mut spans = Vec::new();
            let mut bytes = 0;
            let mut pos = 0;
            let mut take = |span: Span, spans: &mut Vec<Span>| -> Result<()> {
                // Spans found now are recorded for later reads (`record` is
                // None when they came from the cache).
                if record.as_mut().is_some_and(|r| !r.push(span)) {
                    record = None;
                }
                bytes += span.next - pos;
                pos = span.next;
                spans.push(span);
                if bytes >= BATCH_BYTES || spans.len() >= BATCH_STATEMENTS {
                    sink(batch(std::mem::take(spans)))?;
                    bytes = 0;
                }
                Ok(())
            };
            match cached {
                Some(c) => {
                    for span in c.iter() {
                        let span = span.map_err(|e| {
                            Error::io(
                                self.source.spool_dir().unwrap_or(std::path::Path::new(".")),
                                std::io::Error::new(
                                    e.kind(),
                                    format!(
                                        "reading back the record of {}'s statements: {e}",
                                        self.source.name
                                    ),
                                ),
                            )
                        })?;
                        take(span, &mut spans)?;
                    }
                }
                None if threads > 1 => rayon::in_place_scope(|scope| -> Result<()> {
                    let mut ahead =
                        split::Ahead::new(all, 0, scope, 4 * threads, split::SEGMENT_BYTES);
                    loop {
                        let found = ahead.next_spans().map_err(|(e, at)| split_error(e, at))?;
                        if found.is_empty() {
                            return Ok(());
                        }
                        for span in found {
                            take(span, &mut spans)?;
                        }
                    }
                })?,
                None => {
                    let mut splitter = Splitter::new();
                    let mut at = 0;
                    while let Step::Statement(span) = splitter
                        .next(all, at, true)
                        .map_err(|e| split_error(e, at))?
                    {
                        at = span.next;
                        take(span, &mut spans)?;
                    }
                }
            }
            if !spans.is_empty() {
                sink(batch(spans))?;
            }
            if let Some(r) = record {
                let _ = self.spans.set(r);
            }
            return Ok(());
        }
        let stream = self.source.stream()?;
        let spool = self.source.start_spool();
        let gzip = stream.gzip;
        // The stream is read (decompressed) on a thread of its own, ahead of
        // the splitting here.
        std::thread::scope(|scope| {
            let (tx, chunks) = sync_channel(8);
            let reader = scope.spawn(move || read_chunks(stream.reader, spool, tx));
            let r = self.split_stream(&chunks, gzip, &mut sink);
            drop(chunks);
            let spool = reader.join().ok().flatten();
            // Only a read that reached the end keeps its spool.
            if r.is_ok()
                && let Some(map) = spool.and_then(spool::Spool::finish)
            {
                self.source.spooled(map);
            }
            r
        })
    }

    /// Splits a stream, arriving in chunks from [`read_chunks`], into batches.
    fn split_stream<'s>(
        &'s self,
        chunks: &Receiver<Chunk>,
        gzip: bool,
        sink: &mut impl FnMut(Batch<'s>) -> Result<()>,
    ) -> Result<()> {
        let path = self.source.path_for_errors();
        let mut splitter = Splitter::new();
        let mut buf: Vec<u8> = Vec::with_capacity(READ_CHUNK * 2);
        let mut base = 0u64;
        let mut line = 1u64;
        let mut pos = 0;
        let mut eof = false;
        let mut spans: Vec<Span> = Vec::new();
        loop {
            let step = splitter.next(&buf, pos, eof).map_err(|e| {
                let batch = Batch {
                    buf: BatchBuf::Borrowed(&buf),
                    base,
                    first_line: Some(line),
                    spans: Vec::new(),
                };
                let table = table_at(&buf, pos);
                self.error_at(&batch, e.at, table, e.message)
            })?;
            let full = match step {
                Step::Statement(span) => {
                    pos = span.next;
                    spans.push(span);
                    pos >= BATCH_BYTES || spans.len() >= BATCH_STATEMENTS
                }
                Step::NeedMore => true,
                Step::End => {
                    if !spans.is_empty() {
                        sink(Batch {
                            buf: BatchBuf::Owned(buf),
                            base,
                            first_line: Some(line),
                            spans,
                        })?;
                    }
                    return Ok(());
                }
            };
            if !full {
                continue;
            }
            if !spans.is_empty() {
                // Hand over the complete statements; keep the partial tail.
                let tail = buf[pos..].to_vec();
                buf.truncate(pos);
                let consumed_lines = bytecount::count(&buf, b'\n') as u64;
                let batch_buf = std::mem::replace(&mut buf, tail);
                buf.reserve(READ_CHUNK);
                sink(Batch {
                    buf: BatchBuf::Owned(batch_buf),
                    base,
                    first_line: Some(line),
                    spans: std::mem::take(&mut spans),
                })?;
                base += pos as u64;
                line += consumed_lines;
                pos = 0;
            }
            if matches!(step, Step::NeedMore) {
                if eof {
                    // The splitter never asks for more at the end of input.
                    return Err(Error::Malformed {
                        loc: Box::new(Location {
                            file: self.source.name.clone(),
                            offset: base + pos as u64,
                            line,
                            table: None,
                            decompressed: gzip,
                        }),
                        message: format!(
                            "expected a complete statement, found {}",
                            found(&buf[pos..])
                        ),
                    });
                }
                // Take at least as much as is pending, so a huge statement is rescanned a logarithmic number of times.
                let want = READ_CHUNK.max(buf.len() - pos);
                let mut got = 0;
                while got < want && !eof {
                    match chunks.recv() {
                        Ok(Ok(c)) if c.is_empty() => eof = true,
                        Ok(Ok(c)) => {
                            buf.extend_from_slice(&c);
                            got += c.len();
                        }
                        Ok(Err(e)) => return Err(Error::io(&path, e)),
                        Err(_) => {
                            let e = std::io::Error::other("the reading thread stopped");
                            return Err(Error::io(&path, e));
                        }
                    }
                }
                if base == 0 && self.head.get().is_none() {
                    let _ = self.head.set(buf[..buf.len().min(HEAD_BYTES)].to_vec());
                }
            }
        }
    }
}

/// A chunk of a stream's bytes (empty at its end), or the error reading it.
type Chunk = std::io::Result<std::sync::Arc<Vec<u8>>>;

/// Bytes per chunk of a stream read by [`read_chunks`].
const CHUNK: usize = 1 << 20;

/// Cuts `statements` into runs for [`Dump::for_each_run`]: each statement
/// whose text starts with the `head` bytes of the run's first one joins that
/// run while the run holds fewer than [`RUN_BYTES`].
fn runs(
    statements: &[Statement<'_>],
    head: &impl Fn(&[u8]) -> Option<usize>,
) -> Vec<std::ops::Range<usize>> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < statements.len() {
        let first = statements[i].text;
        let mut end = i + 1;
        if let Some(n) = head(first).filter(|&n| n <= first.len()) {
            let mut bytes = first.len();
            while let Some(st) = statements.get(end) {
                if bytes >= RUN_BYTES || st.text.get(..n) != Some(&first[..n]) {
                    break;
                }
                bytes += st.text.len();
                end += 1;
            }
        }
        runs.push(i..end);
        i = end;
    }
    runs
}

/// Reads a stream in chunks of [`CHUNK`] bytes, each handed to the
/// spool (when there is one) and sent on, then an empty chunk at the end.
/// Returns the spool when the stream was read to its end and the spool kept
/// up; stops when the receiver is gone.
fn read_chunks(
    mut reader: Box<dyn Read + Send + '_>,
    mut spool: Option<spool::Spool>,
    tx: std::sync::mpsc::SyncSender<Chunk>,
) -> Option<spool::Spool> {
    loop {
        let mut chunk = Vec::with_capacity(CHUNK);
        match (&mut reader).take(CHUNK as u64).read_to_end(&mut chunk) {
            Ok(0) => {
                tx.send(Ok(std::sync::Arc::new(Vec::new()))).ok()?;
                return spool;
            }
            Ok(_) => {
                let chunk = std::sync::Arc::new(chunk);
                if spool.as_mut().is_some_and(|s| !s.add(&chunk)) {
                    spool = None;
                }
                tx.send(Ok(chunk)).ok()?;
            }
            Err(e) => {
                let _ = tx.send(Err(e));
                return None;
            }
        }
    }
}

/// The table of the statement starting at or after `pos`, for error messages.
fn table_at(buf: &[u8], pos: usize) -> Option<String> {
    let rest = &buf[pos.min(buf.len())..];
    let head = &rest[..rest.len().min(4096)];
    let mut s = Splitter::new();
    let start = match s.next(head, 0, false) {
        Ok(Step::Statement(sp)) => sp.start,
        _ => head
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(0),
    };
    classify(&head[start..]).table().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statements(texts: &[&'static str]) -> Vec<Statement<'static>> {
        texts
            .iter()
            .map(|t| Statement {
                offset: 0,
                text: t.as_bytes(),
                delimiter_command: false,
            })
            .collect()
    }

    #[test]
    fn runs_join_inserts_with_the_same_head_only() {
        let st = statements(&[
            "INSERT INTO `a` VALUES (1)",
            "INSERT INTO `a` VALUES (2)",
            "INSERT INTO `a` VALUES\n(3)",
            "INSERT INTO `a` VALUES\n(4)",
            "INSERT INTO `ab` VALUES (5)",
            "INSERT INTO `a` (`x`) VALUES (6)",
            "INSERT INTO `a` (`x`) VALUES (7)",
            "INSERT IGNORE INTO `a` VALUES (8)",
            "/*!40000 ALTER TABLE `a` ENABLE KEYS */",
            "INSERT INTO `a` VALUES (9)",
            "INSERT INTO `a` VALUES (10)",
        ]);
        assert_eq!(
            runs(&st, &values::insert_head_len),
            vec![0..2, 2..4, 4..5, 5..7, 7..8, 8..9, 9..11]
        );
        // Without a head, every statement is a run of its own.
        assert_eq!(
            runs(&st, &|_| None),
            (0..11).map(|i| i..i + 1).collect::<Vec<_>>()
        );
    }

    /// Every read of a mapped dump gives the same statements, whether they
    /// come from the first read's record or, when the record would outgrow
    /// its bound, from splitting again; at every thread count.
    #[test]
    fn later_reads_see_the_statements_the_first_read_found() {
        let mut text = b"-- MySQL dump\n/*!40101 SET NAMES utf8 */;\n".to_vec();
        for i in 0..2000 {
            let row = format!("INSERT INTO `t` VALUES ({i},'a;b\\'; -- {i}')");
            text.extend_from_slice(row.as_bytes());
            text.extend_from_slice(match i % 7 {
                0 => b";\r\n",
                1 => b" ;\n\n",
                2 => b";\n/* between */\n",
                _ => b";\n",
            });
        }
        text.extend_from_slice(
            b"DELIMITER ;;\nCREATE TRIGGER x BEGIN SELECT 1; END;;\nDELIMITER ;\n",
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.sql");
        std::fs::write(&path, &text).unwrap();
        let expected: Vec<(usize, usize)> = split::split_all(&text)
            .unwrap()
            .iter()
            .map(|s| (s.start, s.end))
            .collect();
        assert_eq!(expected.len(), 1 + 2000 + 3);
        let read = |dump: &Dump, threads: usize| {
            let mut got = Vec::new();
            dump.for_each(
                threads,
                |_| Ok(()),
                |st, ()| {
                    let start = st.offset as usize;
                    got.push((start, start + st.text.len()));
                    Ok(())
                },
            )
            .unwrap();
            got
        };
        // A record that holds them all in memory, one that fills up half way,
        // one that holds nothing; with no spool directory, with one (the
        // record spills the rest there), and with one that takes no file.
        let spill = crate::disk_tempdir();
        let gone = dir.path().join("gone");
        let mut spools = vec![None, Some(gone.as_path())];
        if spool::scratch_file(spill.path()).is_some() {
            spools.push(Some(spill.path()));
        } else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but no temporary file could be made beside the test binary"
            );
            eprintln!(
                "SKIPPED (spilled records): no temporary file beside the test binary (a memory or full file system)"
            );
        }
        for cap in [SPAN_LOG_BYTES, 1500, 0] {
            for &spool in &spools {
                for threads in [1, 2] {
                    let mut dump = Dump::open(&path).unwrap();
                    dump.span_log_bytes = cap;
                    if let Some(d) = spool {
                        dump.spool_in(d.to_path_buf());
                    }
                    let case = format!("cap {cap}, spool {spool:?}, {threads} threads");
                    assert_eq!(read(&dump, threads), expected, "first read, {case}");
                    let spills = spool == Some(spill.path());
                    let kept = cap == SPAN_LOG_BYTES || spills;
                    assert_eq!(dump.spans.get().is_some(), kept, "{case}");
                    assert_eq!(
                        dump.spans.get().is_some_and(|r| r.spilled()),
                        spills && cap < SPAN_LOG_BYTES,
                        "{case}"
                    );
                    assert_eq!(read(&dump, threads), expected, "second read, {case}");
                    assert_eq!(read(&dump, 3 - threads), expected, "third read, {case}");
                }
            }
        }
    }

    #[test]
    fn a_run_stops_growing_at_run_bytes() {
        let row = format!("INSERT INTO `t` VALUES ('{}')", "x".repeat(1000));
        let text: &'static str = Box::leak(row.into_boxed_str());
        let st = statements(&vec![text; 200]);
        let r = runs(&st, &values::insert_head_len);
        let per_run = RUN_BYTES.div_ceil(text.len());
        assert_eq!(r[0], 0..per_run);
        assert_eq!(r.iter().map(|r| r.len()).sum::<usize>(), 200);
        assert!(r.iter().all(|r| r.len() <= per_run), "{r:?}");
    }
}
