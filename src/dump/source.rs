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
}

impl Source {
    /// Opens `path`, or standard input when it is `-`.
    pub fn open(path: &Path) -> Result<Source> {
        let name = path.display().to_string();
        if path.as_os_str() == "-" {
            return Ok(Source {
                name,
                path: None,
                origin: Origin::Stdin,
            });
        }
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
        if len == 0 {
            return Ok(Source {
                name,
                path: Some(path.to_path_buf()),
                origin: Origin::Empty,
            });
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
        Ok(Source {
            name,
            path: Some(path.to_path_buf()),
            origin,
        })
    }

    /// The name to show in messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// True when offsets count decompressed bytes (gzip input).
    pub fn is_gzip(&self) -> bool {
        matches!(self.origin, Origin::MappedGzip(_))
    }

    /// The whole input as one slice when it is a plain mapped file.
    pub fn mapped(&self) -> Option<&[u8]> {
        match &self.origin {
            Origin::Mapped(m) => Some(&m[..]),
            Origin::Empty => Some(&[]),
            _ => None,
        }
    }

    /// Drops the mapped pages of `range` from this process's resident memory;
    /// they stay in the page cache, and reading them again faults them back in
    /// from the file. Resident memory then does not grow with the dump.
    pub(crate) fn release(&self, range: std::ops::Range<usize>) {
        if let Origin::Mapped(m) = &self.origin {
            drop_pages(m, range);
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
                if head.starts_with(&GZIP_MAGIC) {
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
