//! Opening a dump: a memory map for plain files, a bounded stream for gzip
//! (recognised by its magic bytes, multi-member included) and for stdin.
//!
//! This file holds the crate's only `unsafe`: mapping the file.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::bufread::MultiGzDecoder;
use memmap2::Mmap;

use crate::error::{Error, Result};

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Where the bytes of a dump come from.
pub(crate) enum Origin {
    /// A plain file, mapped.
    Mapped(Mmap),
    /// A gzip file, mapped and decompressed as a stream.
    MappedGzip(Mmap),
    /// A file too small to map (empty).
    Empty,
    /// Standard input (plain or gzip), read once.
    Stdin,
}

/// An opened dump.
pub struct Source {
    pub(crate) name: String,
    pub(crate) path: Option<PathBuf>,
    pub(crate) origin: Origin,
    /// Where a gzip input's first complete read keeps its decompressed
    /// bytes for the later reads ([`Source::spool_in`]).
    spool_dir: Option<PathBuf>,
    /// Those bytes, mapped, once they are complete.
    spooled: std::sync::OnceLock<Mmap>,
    /// Whether standard input turned out to be gzip (set by its read).
    stdin_gzip: std::sync::OnceLock<bool>,
}

impl Source {
    /// Opens `path`, or standard input when it is `-`.
    pub fn open(path: &Path) -> Result<Source> {
        let name = path.display().to_string();
        if path.as_os_str() == "-" {
            return Ok(Source::new(name, None, Origin::Stdin));
        }
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
        if len == 0 {
            return Ok(Source::new(name, Some(path.to_path_buf()), Origin::Empty));
        }
        // SAFETY: the map is read-only and private. Its contract is that the
        // file is not truncated or rewritten while m1tom2 reads it; a dump
        // being converted is an input that nothing else writes.
        let map = unsafe { Mmap::map(&file) }.map_err(|e| Error::io(path, e))?;
        let _ = map.advise(memmap2::Advice::Sequential);
        let origin = if map.starts_with(&GZIP_MAGIC) {
            Origin::MappedGzip(map)
        } else {
            Origin::Mapped(map)
        };
        Ok(Source::new(name, Some(path.to_path_buf()), origin))
    }

    fn new(name: String, path: Option<PathBuf>, origin: Origin) -> Source {
        Source {
            name,
            path,
            origin,
            spool_dir: None,
            spooled: std::sync::OnceLock::new(),
            stdin_gzip: std::sync::OnceLock::new(),
        }
    }

    /// Lets the first complete read of a gzip input keep its decompressed
    /// bytes in an unnamed temporary file in `dir`, which later reads map
    /// (see [`super::spool`]).
    pub fn spool_in(&mut self, dir: PathBuf) {
        self.spool_dir = Some(dir);
    }

    /// The directory given to [`Source::spool_in`].
    pub(crate) fn spool_dir(&self) -> Option<&Path> {
        self.spool_dir.as_deref()
    }

    /// A spool for the read about to start: for a gzip file or standard
    /// input not spooled yet.
    pub(crate) fn start_spool(&self) -> Option<super::spool::Spool> {
        match (&self.origin, &self.spool_dir) {
            (Origin::MappedGzip(_) | Origin::Stdin, Some(dir)) if self.spooled.get().is_none() => {
                super::spool::Spool::create(dir)
            }
            _ => None,
        }
    }

    /// True for standard input.
    pub fn is_stdin(&self) -> bool {
        matches!(self.origin, Origin::Stdin)
    }

    /// Keeps a complete spool's map for the later reads.
    pub(crate) fn spooled(&self, map: Mmap) {
        let _ = self.spooled.set(map);
    }

    /// The name to show in messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// True when offsets count decompressed bytes (gzip input; standard
    /// input once read).
    pub fn is_gzip(&self) -> bool {
        match self.origin {
            Origin::MappedGzip(_) => true,
            Origin::Stdin => self.stdin_gzip.get().copied().unwrap_or(false),
            _ => false,
        }
    }

    /// The whole input as one slice when it is a plain mapped file, or a
    /// gzip file or standard input whose (decompressed) bytes were spooled.
    pub fn mapped(&self) -> Option<&[u8]> {
        match &self.origin {
            Origin::Mapped(m) => Some(&m[..]),
            Origin::Empty => Some(&[]),
            Origin::MappedGzip(_) | Origin::Stdin => self.spooled.get().map(|m| &m[..]),
        }
    }

    /// Drops the mapped pages of `range` from this process's resident memory;
    /// they stay in the page cache, and reading them again faults them back in
    /// from the file. Resident memory then does not grow with the dump.
    pub(crate) fn release(&self, range: std::ops::Range<usize>) {
        match (&self.origin, self.spooled.get()) {
            (Origin::Mapped(m), _) | (Origin::MappedGzip(_) | Origin::Stdin, Some(m)) => {
                drop_pages(m, range)
            }
            _ => {}
        }
    }

    /// A stream of the input's (decompressed) bytes, for inputs that are not mapped plain.
    pub(crate) fn stream(&self) -> Result<Stream<'_>> {
        match &self.origin {
            Origin::MappedGzip(m) => Ok(Stream {
                reader: Box::new(MultiGzDecoder::new(Releasing {
                    map: m,
                    pos: 0,
                    released: 0,
                })),
                gzip: true,
            }),
            Origin::Stdin => {
                let mut r = BufReader::with_capacity(1 << 20, std::io::stdin());
                let head = r.fill_buf().map_err(|e| Error::io("-", e))?;
                let gzip = head.starts_with(&GZIP_MAGIC);
                let _ = self.stdin_gzip.set(gzip);
                if gzip {
                    Ok(Stream {
                        reader: Box::new(MultiGzDecoder::new(r)),
                        gzip: true,
                    })
                } else {
                    Ok(Stream {
                        reader: Box::new(r),
                        gzip: false,
                    })
                }
            }
            Origin::Mapped(m) => Ok(Stream {
                reader: Box::new(&m[..]),
                gzip: false,
            }),
            Origin::Empty => Ok(Stream {
                reader: Box::new(std::io::empty()),
                gzip: false,
            }),
        }
    }

    /// The path for I/O error messages.
    pub(crate) fn path_for_errors(&self) -> PathBuf {
        self.path.clone().unwrap_or_else(|| PathBuf::from("-"))
    }
}

/// Maps a complete spool of `len` bytes (`None` when it cannot be mapped).
pub(crate) fn map_spool(file: &File, len: u64) -> Option<Mmap> {
    if len == 0 || file.metadata().ok()?.len() != len {
        return None;
    }
    // SAFETY: the file is this process's own unnamed temporary file, written
    // completely before it is mapped and never written again; no other
    // process can open it.
    let map = unsafe { Mmap::map(file) }.ok()?;
    let _ = map.advise(memmap2::Advice::Sequential);
    Some(map)
}

/// Mapped input already read is released in steps of this many bytes.
pub(crate) const RELEASE_STEP: usize = 8 << 20;

/// Drops the pages of `range` of a map from this process's resident memory.
fn drop_pages(m: &Mmap, range: std::ops::Range<usize>) {
    if range.start < range.end && range.end <= m.len() {
        // SAFETY: the map is private, read-only and never written, so
        // MADV_DONTNEED only discards clean copies of file pages: a later
        // read of the range (a kept statement, a slice still in use)
        // faults in the same bytes from the file again. No byte changes.
        let _ = unsafe {
            m.unchecked_advise_range(
                memmap2::UncheckedAdvice::DontNeed,
                range.start,
                range.end - range.start,
            )
        };
    }
}

/// A mapped file read front to back whose consumed pages are dropped from
/// resident memory as it goes (for the compressed bytes of a gzip dump).
struct Releasing<'a> {
    map: &'a Mmap,
    pos: usize,
    released: usize,
}

impl Read for Releasing<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.fill_buf()?.read(buf)?;
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Releasing<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        let end = self.map.len().min(self.pos + (1 << 20));
        Ok(&self.map[self.pos..end])
    }

    fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.map.len());
        if self.pos - self.released >= RELEASE_STEP {
            drop_pages(self.map, self.released..self.pos);
            self.released = self.pos;
        }
    }
}

/// A byte stream of a dump.
pub(crate) struct Stream<'a> {
    pub(crate) reader: Box<dyn Read + Send + 'a>,
    pub(crate) gzip: bool,
}
