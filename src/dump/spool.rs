//! A gzip dump's decompressed bytes, kept by its first read in an unnamed
//! temporary file, so that later reads map them instead of decompressing
//! the dump again (the conversion reads its source three times, and one
//! core decompresses about as fast as two convert).
//!
//! Spooling only ever saves time: it is not started on a file system that
//! lives in memory (its pages would be the process's to hold), it is given up
//! as soon as it would leave the file system less room than it has taken
//! (the import file, about as large, still has to fit) plus a margin, and a
//! failed write gives it up too. A dump that was not spooled is decompressed
//! on every read, as before.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use memmap2::Mmap;

use crate::write::blocks::WriterThread;

/// Room left on the file system besides what the spool holds, at least.
const MARGIN: u64 = 1 << 30;

/// Free space is checked again after this many bytes.
const CHECK_EVERY: u64 = 256 << 20;

/// Chunks waiting for the spool's writer thread.
const QUEUE: usize = 8;

/// A chunk of the decompressed input, shared with the reader.
struct Shared(Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// A spool being written: chunks of the decompressed input go, shared with
/// the reader, to a thread that appends them to the file.
pub(crate) struct Spool {
    file: File,
    writer: WriterThread<Shared, File>,
    written: u64,
    next_check: u64,
}

impl Spool {
    /// Starts a spool in `dir`; `None` when the directory takes no
    /// temporary file, lives in memory, or has no room.
    pub(crate) fn create(dir: &Path) -> Option<Spool> {
        let file = scratch_file(dir)?;
        let writer = WriterThread::spawn(file.try_clone().ok()?, QUEUE, drop);
        Some(Spool {
            file,
            writer,
            written: 0,
            next_check: CHECK_EVERY,
        })
    }

    /// Adds the next chunk; `false` when the spool is given up (the caller
    /// drops it, which frees its file).
    pub(crate) fn add(&mut self, chunk: &Arc<Vec<u8>>) -> bool {
        if self.writer.send(Shared(Arc::clone(chunk))).is_err() {
            return false;
        }
        self.written += chunk.len() as u64;
        if self.written >= self.next_check {
            self.next_check = self.written + CHECK_EVERY;
            return room(&self.file, self.written);
        }
        true
    }

    /// The spooled bytes, mapped (`None` when a write failed).
    pub(crate) fn finish(self) -> Option<Mmap> {
        self.writer.finish().ok()?;
        super::source::map_spool(&self.file, self.written)
    }
}

/// An unnamed temporary file in `dir` for bytes kept between reads; `None`
/// when the directory takes no temporary file, lives in memory (its pages
/// would be the process's to hold), or has less than [`MARGIN`] free.
pub(crate) fn scratch_file(dir: &Path) -> Option<File> {
    let file = tempfile::tempfile_in(dir).ok()?;
    (!in_memory(&file) && room(&file, 0)).then_some(file)
}

/// Whether the file system keeps `taken` more bytes and [`MARGIN`] free
/// besides what it has now: what the spool took must still fit again.
fn room(file: &File, taken: u64) -> bool {
    #[cfg(unix)]
    {
        match rustix::fs::fstatvfs(file) {
            Ok(s) => s.f_bavail.saturating_mul(s.f_frsize) >= taken.saturating_add(MARGIN),
            Err(_) => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, taken);
        false
    }
}

/// Whether the file lives in memory (tmpfs, ramfs).
fn in_memory(file: &File) -> bool {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        const TMPFS_MAGIC: u64 = 0x0102_1994;
        const RAMFS_MAGIC: u64 = 0x8584_58f6;
        match rustix::fs::fstatfs(file) {
            Ok(s) => matches!(s.f_type as u64, TMPFS_MAGIC | RAMFS_MAGIC),
            Err(_) => true,
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        let _ = file;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A spool beside the test binary (a disk file system) maps back the
    /// bytes it was given, in order.
    #[test]
    fn a_spool_maps_back_its_bytes() {
        let dir = crate::disk_tempdir();
        let Some(mut s) = Spool::create(dir.path()) else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but no spool could be started beside the test binary"
            );
            eprintln!("SKIPPED: no spool beside the test binary (a memory or full file system)");
            return;
        };
        let want: Vec<u8> = (0..9_000_001u32).map(|i| (i * 7 + i / 251) as u8).collect();
        for piece in want.chunks(1_234_567) {
            assert!(s.add(&Arc::new(piece.to_vec())));
        }
        let map = s.finish().expect("the spool was not mapped");
        assert!(map[..] == want[..], "the spooled bytes differ");
    }

    /// A gzip dump read once through to its end is mapped for the next
    /// reads, which find the same statements at the same offsets; a read
    /// that fails before the end keeps no spool.
    #[test]
    fn a_gzip_dump_read_to_its_end_is_mapped_for_the_next_reads() {
        use crate::dump::Dump;
        use std::io::Write;
        let dir = crate::disk_tempdir();
        // Over 8 MiB (more than one read of the stream), strings with escapes.
        let mut plain = b"CREATE TABLE `t` (`id` int, `v` text);\n".to_vec();
        for i in 0..40_000 {
            let row = format!("({i},'row {i} \\' \\\\ caf\u{e9} {}')", "x".repeat(i % 300));
            plain.extend_from_slice(format!("INSERT INTO `t` VALUES {row},{row};\n").as_bytes());
        }
        assert!(plain.len() > 9 << 20);
        let gzip = |bytes: &[u8], name: &str| {
            let path = dir.path().join(name);
            let mut e = flate2::write::GzEncoder::new(
                std::fs::File::create(&path).unwrap(),
                flate2::Compression::fast(),
            );
            e.write_all(bytes).unwrap();
            e.finish().unwrap();
            path
        };
        let statements = |d: &Dump, threads| {
            let mut got: Vec<(u64, Vec<u8>)> = Vec::new();
            d.for_each(
                threads,
                |_| Ok(()),
                |st, ()| {
                    got.push((st.offset, st.text.to_vec()));
                    Ok(())
                },
            )
            .map(|()| got)
        };
        let mut d = Dump::open(&gzip(&plain, "d.sql.gz")).unwrap();
        d.spool_in(dir.path().to_path_buf());
        assert!(d.source().mapped().is_none());
        let first = statements(&d, 2).unwrap();
        let Some(mapped) = d.source().mapped() else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but the dump was not spooled beside the test binary"
            );
            eprintln!("SKIPPED: no spool beside the test binary (a memory or full file system)");
            return;
        };
        assert!(mapped == &plain[..], "the spool differs from the dump");
        assert_eq!(first.len(), 40_001);
        assert_eq!(statements(&d, 2).unwrap(), first);
        assert_eq!(statements(&d, 1).unwrap(), first);
        // Cut inside a string: the read fails, and nothing is mapped.
        let cut = &plain[..plain.len() - 100];
        let mut d = Dump::open(&gzip(cut, "cut.sql.gz")).unwrap();
        d.spool_in(dir.path().to_path_buf());
        assert!(statements(&d, 2).is_err());
        assert!(d.source().mapped().is_none());
    }

    /// Nothing is spooled where the file system lives in memory.
    #[cfg(target_os = "linux")]
    #[test]
    fn no_spool_in_memory() {
        let shm = Path::new("/dev/shm");
        if !shm.is_dir() {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but there is no /dev/shm"
            );
            eprintln!("SKIPPED: no /dev/shm");
            return;
        }
        assert!(
            Spool::create(shm).is_none(),
            "a spool was started in /dev/shm"
        );
    }
}
