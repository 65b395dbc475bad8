//! The import file: written to a temporary file beside the target (mode 0600,
//! it holds customer data) and renamed into place only when complete, so a
//! failed run leaves no partial file. `.gz` names are gzip-compressed; `-` is
//! standard output.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use tempfile::NamedTempFile;

use crate::error::{Error, Result};

enum Sink {
    Plain(BufWriter<NamedTempFile>),
    Gz(Box<GzEncoder<BufWriter<NamedTempFile>>>),
    Stdout(BufWriter<std::io::Stdout>),
    /// An unnamed temporary file, appended to another output later.
    Spill(BufWriter<File>),
}

/// Bytes small writes are gathered into. A larger write (a batch of rows is
/// up to `--max-statement-bytes`, 1 MiB) goes to the file as it is instead of
/// being copied into the buffer first.
const WRITE_BUFFER: usize = 64 << 10;

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
                sink: Sink::Stdout(BufWriter::with_capacity(WRITE_BUFFER, std::io::stdout())),
                path: path.to_path_buf(),
                bytes: 0,
            });
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".m1tom2-")
            .suffix(".partial")
            .tempfile_in(&dir)
            .map_err(|e| Error::io(&dir, e))?;
        let buf = BufWriter::with_capacity(WRITE_BUFFER, tmp);
        let gz = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
        let sink = if gz {
            Sink::Gz(Box::new(GzEncoder::new(buf, flate2::Compression::fast())))
        } else {
            Sink::Plain(buf)
        };
        Ok(Output {
            sink,
            path: path.to_path_buf(),
            bytes: 0,
        })
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

    /// Finishes the file and moves it into place.
    pub fn finish(self) -> Result<()> {
        let path = self.path;
        let io = |e: std::io::Error| Error::io(&path, e);
        let tmp = match self.sink {
            Sink::Stdout(mut w) => return w.flush().map_err(io),
            Sink::Spill(mut w) => return w.flush().map_err(io),
            Sink::Plain(w) => w.into_inner().map_err(|e| io(e.into_error()))?,
            Sink::Gz(w) => w
                .finish()
                .map_err(io)?
                .into_inner()
                .map_err(|e| io(e.into_error()))?,
        };
        tmp.as_file().sync_all().map_err(io)?;
        let file: File = tmp.persist(&path).map_err(|e| io(e.error))?;
        drop(file);
        Ok(())
    }
}

/// Batches rows of one table into multi-row INSERTs of at most `cap` bytes
/// (a row longer than that gets a statement of its own).
#[derive(Debug)]
pub struct InsertBatcher {
    head: Vec<u8>,
    buf: Vec<u8>,
    rows: usize,
    cap: usize,
}

impl InsertBatcher {
    /// A batcher writing statements that start with `head` (`INSERT INTO … VALUES `).
    pub fn new(head: Vec<u8>, cap: usize) -> Self {
        InsertBatcher {
            head,
            buf: Vec::new(),
            rows: 0,
            cap,
        }
    }

    /// Adds one rendered row `(…)`.
    pub fn push(&mut self, row: &[u8], out: &mut Output) -> Result<()> {
        if self.rows > 0 && self.buf.len() + 1 + row.len() + 2 > self.cap {
            self.flush(out)?;
        }
        if self.rows == 0 {
            self.buf.extend_from_slice(&self.head);
        } else {
            self.buf.push(b',');
        }
        self.buf.extend_from_slice(row);
        self.rows += 1;
        Ok(())
    }

    /// Writes the pending statement, if any, and frees the buffer: for a
    /// table no more rows are expected for soon.
    pub fn close(&mut self, out: &mut Output) -> Result<()> {
        self.flush(out)?;
        self.buf = Vec::new();
        Ok(())
    }

    /// Writes the pending statement, if any.
    pub fn flush(&mut self, out: &mut Output) -> Result<()> {
        if self.rows > 0 {
            self.buf.extend_from_slice(b";\n");
            out.write(&self.buf)?;
            self.buf.clear();
            self.rows = 0;
        }
        Ok(())
    }
}
