//! The import file: written to a temporary file beside the target (mode 0600,
//! it holds customer data) and renamed into place only when complete, so a
//! failed run leaves no partial file. `.gz` names are gzip-compressed; `-` is
//! standard output. A target that exists and is not a regular file (a named
//! pipe into `mysql`, `/dev/null`, a terminal) is written directly: renaming
//! a file over it would replace the device or pipe with a plain file. A
//! symbolic link is followed, so the file it names is replaced, not the link.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use flate2::write::GzEncoder;
use tempfile::NamedTempFile;

use super::blocks::{self, DirectFile, Piped};
use crate::error::{Error, Result};

enum Sink {
    Plain(Dest),
    /// Compressed on a thread of its own.
    Gz(Piped<GzEncoder<Dest>>),
    Stdout(BufWriter<StdoutRaw>),
    /// An unnamed temporary file, appended to another output later.
    Spill(BufWriter<File>),
}

/// Where a named output's bytes go.
enum Dest {
    /// A temporary file, renamed over the target when complete, written on
    /// a thread of its own.
    Temp(NamedTempFile, Piped<DirectFile>),
    /// The target itself: a pipe, a device or a socket, which can be
    /// neither replaced nor left unwritten on failure.
    Direct(BufWriter<File>),
}

impl Write for Dest {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Dest::Temp(_, w) => w.write(buf),
            Dest::Direct(f) => f.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Dest::Temp(_, w) => w.flush(),
            Dest::Direct(f) => f.flush(),
        }
    }
}

/// Bytes small writes are gathered into. A larger write (a batch of rows is
/// up to `--max-statement-bytes`, 1 MiB) goes to the file as it is instead of
/// being copied into the buffer first.
const WRITE_BUFFER: usize = 64 << 10;

/// Standard output without the standard library's line buffering, which
/// looks for the last newline in every write: batches of rows hold none.
#[cfg(unix)]
type StdoutRaw = File;
#[cfg(not(unix))]
type StdoutRaw = std::io::Stdout;

#[cfg(unix)]
fn stdout_raw(path: &Path) -> Result<StdoutRaw> {
    use std::os::fd::AsFd;
    let fd = std::io::stdout()
        .as_fd()
        .try_clone_to_owned()
        .map_err(|e| Error::io(path, e))?;
    Ok(File::from(fd))
}

#[cfg(not(unix))]
fn stdout_raw(_path: &Path) -> Result<StdoutRaw> {
    Ok(std::io::stdout())
}

/// The path a chain of symbolic links at `path` ends at (`path` itself when
/// it is no link); the last link may name a file that does not exist yet.
fn resolve_links(path: &Path) -> Result<PathBuf> {
    let mut at = path.to_path_buf();
    // As the kernel does, give up after 40 links.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&at).map_err(|e| Error::io(&at, e))?;
                at = match at.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(at),
        }
    }
    Err(Error::io(
        path,
        std::io::Error::other("too many levels of symbolic links"),
    ))
}

/// An output file being written.
pub struct Output {
    sink: Sink,
    path: PathBuf,
    bytes: u64,
}

impl Output {
    /// Starts writing `path` (`-` for standard output).
    pub fn create(path: &Path) -> Result<Output> {
        if path.as_os_str() == "-" {
            return Ok(Output {
                sink: Sink::Stdout(BufWriter::with_capacity(WRITE_BUFFER, stdout_raw(path)?)),
                path: path.to_path_buf(),
                bytes: 0,
            });
        }
        let gz = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
        let (path, dest) = match Output::staging(path)? {
            None => {
                // Opened through any links (`/dev/stdout` on a pipe).
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(|e| Error::io(path, e))?;
                (
                    path.to_path_buf(),
                    Dest::Direct(BufWriter::with_capacity(WRITE_BUFFER, file)),
                )
            }
            Some((path, dir)) => {
                let tmp = tempfile::Builder::new()
                    .prefix(".m1tom2-")
                    .suffix(".partial")
                    .tempfile_in(&dir)
                    .map_err(|e| Error::io(&dir, e))?;
                let file = tmp
                    .as_file()
                    .try_clone()
                    .map_err(|e| Error::io(tmp.path(), e))?;
                let writer = Piped::new(DirectFile::new(file, blocks::open_direct(tmp.path())));
                (path, Dest::Temp(tmp, writer))
            }
        };
        let sink = if gz {
            Sink::Gz(Piped::new(GzEncoder::new(
                dest,
                flate2::Compression::fast(),
            )))
        } else {
            Sink::Plain(dest)
        };
        Ok(Output {
            sink,
            path,
            bytes: 0,
        })
    }

    /// Where an output to `path` is written before it is renamed into place:
    /// the file `path` names (a symbolic link is followed, so that the file it
    /// names is replaced, not the link: `--out /dev/stdout` into a file must
    /// not replace `/dev/stdout`) and its directory. `None` for standard
    /// output (`-`) and for a target written directly (a pipe, a device, a
    /// socket).
    pub fn staging(path: &Path) -> Result<Option<(PathBuf, PathBuf)>> {
        let special = std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir());
        if path.as_os_str() == "-" || special {
            return Ok(None);
        }
        let path = resolve_links(path)?;
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Ok(Some((path, dir)))
    }

    /// A part of an output written apart (on another thread) into an unnamed
    /// temporary file, to be added with [`Output::append`].
    pub fn spill() -> Result<Output> {
        let dir = std::env::temp_dir();
        let file = tempfile::tempfile().map_err(|e| Error::io(&dir, e))?;
        Ok(Output {
            sink: Sink::Spill(BufWriter::with_capacity(WRITE_BUFFER, file)),
            path: dir,
            bytes: 0,
        })
    }

    /// Appends what a [`Output::spill`] holds.
    pub fn append(&mut self, spill: Output) -> Result<()> {
        use std::io::{Read, Seek};
        let Sink::Spill(w) = spill.sink else {
            return Err(Error::Config("only a spilled part can be appended".into()));
        };
        let io = |e: std::io::Error| Error::io(&spill.path, e);
        let mut file = w.into_inner().map_err(|e| io(e.into_error()))?;
        file.rewind().map_err(io)?;
        let mut buf = vec![0; 1 << 20];
        loop {
            let n = file.read(&mut buf).map_err(io)?;
            if n == 0 {
                return Ok(());
            }
            self.write(&buf[..n])?;
        }
    }

    /// Bytes written so far (before compression).
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Writes bytes.
    pub fn write(&mut self, b: &[u8]) -> Result<()> {
        let r = match &mut self.sink {
            Sink::Plain(w) => w.write_all(b),
            Sink::Gz(w) => w.write_all(b),
            Sink::Stdout(w) => w.write_all(b),
            Sink::Spill(w) => w.write_all(b),
        };
        self.bytes += b.len() as u64;
        r.map_err(|e| Error::io(&self.path, e))
    }

    /// Finishes the file and moves it into place (a target written directly
    /// is only flushed).
    pub fn finish(self) -> Result<()> {
        let path = self.path;
        let io = |e: std::io::Error| Error::io(&path, e);
        let tmp = match self.sink {
            Sink::Stdout(mut w) => return w.flush().map_err(io),
            Sink::Spill(mut w) => return w.flush().map_err(io),
            Sink::Plain(w) => w,
            Sink::Gz(w) => w.finish().and_then(GzEncoder::finish).map_err(io)?,
        };
        match tmp {
            Dest::Direct(mut f) => f.flush().map_err(io),
            Dest::Temp(tmp, w) => {
                w.finish().map_err(io)?;
                tmp.as_file().sync_all().map_err(io)?;
                tmp.persist(&path).map(drop).map_err(|e| io(e.error))
            }
        }
    }
}

/// Batches rows of one table into multi-row INSERTs of at most `cap` bytes
/// (a row longer than that gets a statement of its own).
///
/// Rows arrive one by one ([`InsertBatcher::push`], copied) or as chunks of
/// rows already separated by commas ([`InsertBatcher::push_rows`], kept
/// as they are until the statement is written, so the writer copies no row).
#[derive(Debug)]
pub struct InsertBatcher {
    head: Vec<u8>,
    /// Rows pushed one by one, separated by commas.
    buf: Vec<u8>,
    /// The pending statement's rows, in order.
    parts: Vec<Part>,
    /// Bytes of the pending statement after its head: rows and separators.
    len: usize,
    rows: usize,
    cap: usize,
}

/// Where rows added to a pending statement would take it: rows up to
/// `end` (exclusive) fit, giving a statement of `rows` rows in `len` bytes
/// after its head.
#[derive(Debug, Clone, Copy)]
struct Fit {
    end: usize,
    len: usize,
    rows: usize,
}

/// Rows of one table for [`push_in_row_order`]: a chunk of rendered rows
/// separated by commas, the `k`th ending at `ends[k]` and made from the
/// source row numbered `srcs[k]` (numbers that never decrease), and the
/// batcher that writes them.
#[derive(Debug)]
pub struct Stream {
    /// The batcher of the rows' table.
    pub batcher: InsertBatcher,
    /// The rows.
    pub chunk: Rc<Vec<u8>>,
    /// Where each row ends in `chunk`.
    pub ends: Vec<usize>,
    /// The source row each row was made from.
    pub srcs: Vec<u64>,
}

/// Adds the rows of several tables' streams, each to its own batcher, and
/// writes their full statements in the order that adding the rows source
/// row by source row would write them (each source row's rows in the
/// order of the streams): the statement written first is the one whose
/// next row, the first that does not fit, comes from the earliest source
/// row. So the order of statements does not depend on how the source rows
/// were grouped into statements or runs, only on the rows themselves.
pub fn push_in_row_order(streams: &mut [Stream], out: &mut Output) -> Result<()> {
    let mut from = vec![0usize; streams.len()];
    let mut fits: Vec<Fit> = streams.iter().map(|s| s.batcher.fit(&s.ends, 0)).collect();
    loop {
        let next = (0..streams.len())
            .filter(|&i| fits[i].end < streams[i].ends.len())
            .map(|i| (streams[i].srcs.get(fits[i].end).copied(), i))
            .min();
        let Some((_, i)) = next else { break };
        let s = &mut streams[i];
        s.batcher.take(&s.chunk, &s.ends, from[i], fits[i]);
        s.batcher.flush(out)?;
        from[i] = fits[i].end;
        fits[i] = s.batcher.fit(&s.ends, from[i]);
    }
    for ((s, k), fit) in streams.iter_mut().zip(from).zip(fits) {
        s.batcher.take(&s.chunk, &s.ends, k, fit);
    }
    Ok(())
}

/// A run of a pending statement's rows, separated by commas.
#[derive(Debug)]
enum Part {
    /// In the batcher's own buffer.
    Copied(Range<usize>),
    /// In a chunk of rendered rows.
    Shared(Rc<Vec<u8>>, Range<usize>),
}

impl InsertBatcher {
    /// A batcher writing statements that start with `head` (`INSERT INTO … VALUES `).
    pub fn new(head: Vec<u8>, cap: usize) -> Self {
        InsertBatcher {
            head,
            buf: Vec::new(),
            parts: Vec::new(),
            len: 0,
            rows: 0,
            cap,
        }
    }

    /// The bytes a row of `row_len` bytes adds to a statement of `rows`
    /// rows in `len` bytes (after its head), separator included; `None` when
    /// the statement would pass the cap (a first row always fits).
    fn added(&self, len: usize, rows: usize, row_len: usize) -> Option<usize> {
        let add = row_len + usize::from(rows > 0);
        (rows == 0 || self.head.len() + len + add + 2 <= self.cap).then_some(add)
    }

    /// Adds one rendered row `(…)`.
    pub fn push(&mut self, row: &[u8], out: &mut Output) -> Result<()> {
        let add = match self.added(self.len, self.rows, row.len()) {
            Some(add) => add,
            None => {
                self.flush(out)?;
                row.len()
            }
        };
        match self.parts.last_mut() {
            Some(Part::Copied(r)) => {
                self.buf.push(b',');
                self.buf.extend_from_slice(row);
                r.end = self.buf.len();
            }
            _ => {
                let start = self.buf.len();
                self.buf.extend_from_slice(row);
                self.parts.push(Part::Copied(start..self.buf.len()));
            }
        }
        self.len += add;
        self.rows += 1;
        Ok(())
    }

    /// Adds the rows of `chunk`, rendered rows `(…)` separated by commas,
    /// the `k`th ending at `ends[k]`. The chunk is kept, not copied, until
    /// the statements holding its rows are written.
    pub fn push_rows(
        &mut self,
        chunk: &Rc<Vec<u8>>,
        ends: &[usize],
        out: &mut Output,
    ) -> Result<()> {
        let mut k = 0;
        while k < ends.len() {
            let fit = self.fit(ends, k);
            self.take(chunk, ends, k, fit);
            k = fit.end;
            if k < ends.len() {
                self.flush(out)?;
            }
        }
        Ok(())
    }

    /// How far the rows of a chunk (as in [`InsertBatcher::push_rows`])
    /// from the `k`th fit in the pending statement: at least one row when
    /// it has none.
    fn fit(&self, ends: &[usize], k: usize) -> Fit {
        let start = |k: usize| if k == 0 { 0 } else { ends[k - 1] + 1 };
        let (mut end, mut len, mut rows) = (k, self.len, self.rows);
        while let Some(add) = ends
            .get(end)
            .and_then(|&e| self.added(len, rows, e - start(end)))
        {
            (len, rows, end) = (len + add, rows + 1, end + 1);
        }
        Fit { end, len, rows }
    }

    /// Adds the rows from the `k`th to `fit.end` of a chunk, which
    /// [`InsertBatcher::fit`] found fit.
    fn take(&mut self, chunk: &Rc<Vec<u8>>, ends: &[usize], k: usize, fit: Fit) {
        if fit.end > k {
            let start = if k == 0 { 0 } else { ends[k - 1] + 1 };
            self.parts
                .push(Part::Shared(Rc::clone(chunk), start..ends[fit.end - 1]));
            (self.len, self.rows) = (fit.len, fit.rows);
        }
    }

    /// Writes the pending statement, if any, and frees the buffer: for a
    /// table no more rows are expected for soon.
    pub fn close(&mut self, out: &mut Output) -> Result<()> {
        self.flush(out)?;
        self.buf = Vec::new();
        self.parts = Vec::new();
        Ok(())
    }

    /// Writes the pending statement, if any.
    pub fn flush(&mut self, out: &mut Output) -> Result<()> {
        if self.rows > 0 {
            out.write(&self.head)?;
            for (i, p) in self.parts.iter().enumerate() {
                if i > 0 {
                    out.write(b",")?;
                }
                match p {
                    Part::Copied(r) => out.write(&self.buf[r.clone()])?,
                    Part::Shared(c, r) => out.write(&c[r.clone()])?,
                }
            }
            out.write(b";\n")?;
            self.buf.clear();
            self.parts.clear();
            self.len = 0;
            self.rows = 0;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `f` writes to an output file.
    fn written(f: impl FnOnce(&mut Output) -> Result<()>) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.sql");
        let mut out = Output::create(&path).unwrap();
        f(&mut out).unwrap();
        out.finish().unwrap();
        std::fs::read(&path).unwrap()
    }

    const HEAD: &[u8] = b"INSERT INTO t VALUES ";

    /// A symbolic link as the target is followed: the file it names gets
    /// the output (created when missing), and the link stays a link.
    #[cfg(unix)]
    #[test]
    fn a_link_target_is_followed() {
        let dir = tempfile::tempdir().unwrap();
        for (link, file, exists) in [
            ("a.sql", "real-a.sql", true),
            ("b.sql", "real-b.sql", false),
        ] {
            let real = dir.path().join(file);
            if exists {
                std::fs::write(&real, b"old").unwrap();
            }
            let link = dir.path().join(link);
            std::os::unix::fs::symlink(file, &link).unwrap();
            let mut out = Output::create(&link).unwrap();
            out.write(b"INSERT INTO t VALUES (1);\n").unwrap();
            out.finish().unwrap();
            let kind = std::fs::symlink_metadata(&link).unwrap().file_type();
            assert!(kind.is_symlink(), "{link:?} is no longer a link");
            assert_eq!(
                std::fs::read(&real).unwrap(),
                b"INSERT INTO t VALUES (1);\n"
            );
        }
    }

    /// A named pipe as the target (`mkfifo p; mysql < p &`) is written
    /// through, gzip-compressed for a `.gz` name, and stays a pipe: a file
    /// renamed over it would replace it (and `--out /dev/null` would replace
    /// the device).
    #[cfg(unix)]
    #[test]
    fn a_pipe_target_is_written_through_and_kept() {
        use std::io::Read;
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        for name in ["out.sql", "out.sql.gz"] {
            let path = dir.path().join(name);
            let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
            // SAFETY: a NUL-terminated path; mkfifo only creates the node.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
            let reader = {
                let path = path.clone();
                std::thread::spawn(move || {
                    let mut got = Vec::new();
                    File::open(path).unwrap().read_to_end(&mut got).unwrap();
                    got
                })
            };
            let mut out = Output::create(&path).unwrap();
            out.write(b"INSERT INTO t VALUES (1);\n").unwrap();
            out.finish().unwrap();
            // Checked before joining the reader, which waits for a writer
            // forever when the pipe was replaced.
            let kind = std::fs::metadata(&path).unwrap().file_type();
            assert!(kind.is_fifo(), "{name} is no longer a pipe: {kind:?}");
            let got = reader.join().unwrap();
            let got = if name.ends_with(".gz") {
                let mut plain = Vec::new();
                flate2::read::GzDecoder::new(&got[..])
                    .read_to_end(&mut plain)
                    .unwrap();
                plain
            } else {
                got
            };
            assert_eq!(got, b"INSERT INTO t VALUES (1);\n");
        }
        // Nothing was left beside it.
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 2);
    }

    /// Rows handed over in chunks, mixed with rows pushed one by one, make
    /// the same statements as rows pushed one by one, at every cap; and
    /// those statements hold at most `cap` bytes unless they hold one row.
    #[test]
    fn chunks_of_rows_batch_like_single_rows() {
        let mut next = crate::xorshift(0x5851_f42d_4c95_7f2d);
        let mut split = 0;
        for case in 0..500 {
            let cap = 30 + (next() % 300) as usize;
            let rows: Vec<Vec<u8>> = (0..next() % 40)
                .map(|i| {
                    let mut r = b"(".to_vec();
                    r.extend(std::iter::repeat_n(
                        b'a' + (i % 26) as u8,
                        1 + (next() % 90) as usize,
                    ));
                    r.push(b')');
                    r
                })
                .collect();
            let want = written(|o| {
                let mut b = InsertBatcher::new(HEAD.to_vec(), cap);
                for r in &rows {
                    b.push(r, o)?;
                }
                b.flush(o)
            });
            let statements: Vec<&[u8]> = want.split_inclusive(|&b| b == b'\n').collect();
            split += usize::from(statements.len() > 1);
            let rows_in = |s: &[u8]| s.windows(2).filter(|w| w == b"),").count() + 1;
            for s in &statements {
                assert!(s.starts_with(HEAD) && s.ends_with(b");\n"), "case {case}");
                assert!(
                    s.len() <= cap || rows_in(s) == 1,
                    "case {case}: {} bytes",
                    s.len()
                );
            }
            let got = written(|o| {
                let mut b = InsertBatcher::new(HEAD.to_vec(), cap);
                let mut i = 0;
                while i < rows.len() {
                    let j = (i + 1 + (next() % 6) as usize).min(rows.len());
                    if next().is_multiple_of(3) {
                        for r in &rows[i..j] {
                            b.push(r, o)?;
                        }
                    } else {
                        let (mut chunk, mut ends) = (Vec::new(), Vec::new());
                        for r in &rows[i..j] {
                            if !ends.is_empty() {
                                chunk.push(b',');
                            }
                            chunk.extend_from_slice(r);
                            ends.push(chunk.len());
                        }
                        b.push_rows(&Rc::new(chunk), &ends, o)?;
                    }
                    i = j;
                }
                b.flush(o)
            });
            assert_eq!(
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&want),
                "case {case} cap {cap}"
            );
        }
        assert!(
            split > 100,
            "only {split} cases wrote more than one statement"
        );
    }

    /// Streams pushed in runs of source rows, however the runs are cut,
    /// write what pushing each source row's rows in turn writes; the
    /// first-written statement is the one whose first row that does not
    /// fit comes first.
    #[test]
    fn streams_write_in_source_row_order_whatever_the_runs() {
        let mut next = crate::xorshift(0x9e37_79b9_7f4a_7c15);
        let mut orders = std::collections::BTreeSet::new();
        for case in 0..300 {
            let cap = 30 + (next() % 200) as usize;
            let (n_src, n_streams) = (1 + next() % 60, 1 + (next() % 3) as usize);
            // Per stream, per source row: 0 to 2 rows (more now and then).
            let rows: Vec<Vec<(u64, Vec<u8>)>> = (0..n_streams)
                .map(|si| {
                    let mut v = Vec::new();
                    for src in 0..n_src {
                        let k = match next() % 10 {
                            0..=2 => 0,
                            3..=8 => 1,
                            _ => 1 + next() % 5,
                        };
                        for _ in 0..k {
                            let mut r = format!("({si},{src},").into_bytes();
                            r.extend(std::iter::repeat_n(b'x', (next() % 60) as usize));
                            r.push(b')');
                            v.push((src, r));
                        }
                    }
                    v
                })
                .collect();
            let head = |si: usize| format!("INSERT INTO t{si} VALUES ").into_bytes();
            let want = written(|o| {
                let mut bs: Vec<InsertBatcher> = (0..n_streams)
                    .map(|si| InsertBatcher::new(head(si), cap))
                    .collect();
                for src in 0..n_src {
                    for (si, b) in bs.iter_mut().enumerate() {
                        for (_, r) in rows[si].iter().filter(|(s, _)| *s == src) {
                            b.push(r, o)?;
                        }
                    }
                }
                bs.iter_mut().try_for_each(|b| b.flush(o))
            });
            let got = written(|o| {
                let mut bs: Vec<Option<InsertBatcher>> = (0..n_streams)
                    .map(|si| Some(InsertBatcher::new(head(si), cap)))
                    .collect();
                let mut src = 0;
                while src < n_src {
                    let to = (src + 1 + next() % 8).min(n_src);
                    let mut streams: Vec<Stream> = Vec::new();
                    for (si, b) in bs.iter_mut().enumerate() {
                        let (mut chunk, mut ends, mut srcs) = (Vec::new(), Vec::new(), Vec::new());
                        for (s, r) in rows[si].iter().filter(|(s, _)| (src..to).contains(s)) {
                            if !ends.is_empty() {
                                chunk.push(b',');
                            }
                            chunk.extend_from_slice(r);
                            ends.push(chunk.len());
                            srcs.push(*s);
                        }
                        if let Some(batcher) = b.take() {
                            streams.push(Stream {
                                batcher,
                                chunk: Rc::new(chunk),
                                ends,
                                srcs,
                            });
                        }
                    }
                    push_in_row_order(&mut streams, o)?;
                    for (b, s) in bs.iter_mut().zip(streams) {
                        *b = Some(s.batcher);
                    }
                    src = to;
                }
                bs.iter_mut().flatten().try_for_each(|b| b.flush(o))
            });
            assert_eq!(
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&want),
                "case {case} cap {cap}"
            );
            // Which table's statements come first varies from case to case.
            let tables: Vec<u8> = want
                .split(|&b| b == b'\n')
                .filter_map(|l| l.get(13))
                .copied()
                .collect();
            orders.insert(tables);
        }
        assert!(
            orders.len() > 100,
            "only {} orders of statements",
            orders.len()
        );
    }
}
