//! A writer on a thread of its own, fed in blocks of [`BLOCK`] bytes
//! ([`Piped`]), and a file written on Linux past the page cache
//! (`O_DIRECT`) where the file system takes it ([`DirectFile`]).
//!
//! Writing an import file of gigabytes through the page cache costs a copy of
//! every byte in the kernel, on the thread that writes, and that thread is
//! the one folding the row pass in order. Here the folding thread only copies
//! bytes into a block; full blocks go to the writer thread, which hands them
//! to the device directly when it can. A file system that refuses `O_DIRECT`
//! (at open or at the first write) gets the same blocks through the page
//! cache, at the same offsets: the bytes of the file do not depend on it.

use std::fs::File;
use std::io::{self, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

#[cfg(unix)]
use std::os::unix::fs::FileExt;

/// Bytes per block handed to the writer thread.
pub(crate) const BLOCK: usize = 4 << 20;

/// Full blocks waiting for the writer thread, besides the one it writes and
/// the one being filled: memory is at most `(QUEUE + 2) × BLOCK`.
const QUEUE: usize = 2;

/// What `O_DIRECT` asks of offsets, lengths and buffer addresses; 4096 is a
/// multiple of every logical block size in common use.
const ALIGN: usize = 4096;

/// A buffer of [`BLOCK`] bytes starting at an [`ALIGN`]ed address.
struct Block {
    mem: Vec<u8>,
    /// Where the aligned window starts in `mem`.
    start: usize,
    len: usize,
}

impl Block {
    fn new() -> Block {
        let mem = vec![0u8; BLOCK + ALIGN];
        let start = mem.as_ptr().align_offset(ALIGN).min(ALIGN);
        Block { mem, start, len: 0 }
    }

    fn bytes(&self) -> &[u8] {
        &self.mem[self.start..self.start + self.len]
    }

    /// Copies what fits of `b`; returns how many bytes it took.
    fn fill(&mut self, b: &[u8]) -> usize {
        let n = b.len().min(BLOCK - self.len);
        let at = self.start + self.len;
        self.mem[at..at + n].copy_from_slice(&b[..n]);
        self.len += n;
        n
    }
}

impl AsRef<[u8]> for Block {
    fn as_ref(&self) -> &[u8] {
        self.bytes()
    }
}

/// A thread writing to `W`, in order, the buffers sent to it, and handing
/// each back to `done` once written.
pub(crate) struct WriterThread<T, W> {
    to_writer: Option<SyncSender<T>>,
    writer: Option<JoinHandle<io::Result<W>>>,
}

impl<T: AsRef<[u8]> + Send + 'static, W: Write + Send + 'static> WriterThread<T, W> {
    /// Starts the thread; up to `queue` buffers wait for it.
    pub(crate) fn spawn(
        mut inner: W,
        queue: usize,
        mut done: impl FnMut(T) + Send + 'static,
    ) -> WriterThread<T, W> {
        let (to_writer, buffers) = sync_channel::<T>(queue);
        let writer = std::thread::spawn(move || -> io::Result<W> {
            for b in buffers {
                inner.write_all(b.as_ref())?;
                done(b);
            }
            Ok(inner)
        });
        WriterThread {
            to_writer: Some(to_writer),
            writer: Some(writer),
        }
    }

    /// Sends the next buffer; once the thread has stopped, the error that
    /// stopped it.
    pub(crate) fn send(&mut self, b: T) -> io::Result<()> {
        let sent = self.to_writer.as_ref().is_some_and(|tx| tx.send(b).is_ok());
        if sent {
            Ok(())
        } else {
            Err(self.join().err().unwrap_or_else(stopped))
        }
    }

    /// Waits until every buffer sent is written; returns `inner`.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        self.join()
    }

    fn join(&mut self) -> io::Result<W> {
        self.to_writer = None;
        match self.writer.take().map(JoinHandle::join) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(io::Error::other("the writer thread panicked")),
            None => Err(stopped()),
        }
    }
}

fn stopped() -> io::Error {
    io::Error::other("the writer thread stopped")
}

impl<T, W> Drop for WriterThread<T, W> {
    fn drop(&mut self) {
        // Unfinished (a failed run, a spool given up): the thread ends after
        // the buffers already sent; the file is discarded by its owner.
        self.to_writer = None;
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
    }
}

/// A writer whose bytes are written to `W` on a thread of its own: they are
/// gathered into blocks here, and full blocks go to the thread.
pub(crate) struct Piped<W> {
    cur: Block,
    writer: WriterThread<Block, W>,
    recycled: Receiver<Block>,
}

impl<W: Write + Send + 'static> Piped<W> {
    /// Starts the thread writing to `inner`.
    pub(crate) fn new(inner: W) -> Piped<W> {
        let (back, recycled) = sync_channel::<Block>(QUEUE + 2);
        let writer = WriterThread::spawn(inner, QUEUE, move |b| {
            let _ = back.try_send(b);
        });
        Piped {
            cur: Block::new(),
            writer,
            recycled,
        }
    }

    /// Hands the current block to the writer thread.
    fn send(&mut self) -> io::Result<()> {
        let mut next = self.recycled.try_recv().unwrap_or_else(|_| Block::new());
        next.len = 0;
        let full = std::mem::replace(&mut self.cur, next);
        self.writer.send(full)
    }

    /// Writes what is pending, waits for the writer thread and returns
    /// `inner`.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        if self.cur.len > 0 {
            self.send()?;
        }
        self.writer.finish()
    }
}

impl<W: Write + Send + 'static> Write for Piped<W> {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        if self.cur.len == BLOCK {
            self.send()?;
        }
        Ok(self.cur.fill(b))
    }

    /// Blocks are written as they fill; [`Piped::finish`] writes the rest.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A file written from its start, directly while the file system takes it:
/// the aligned part of each write that starts at an aligned address (the
/// blocks of a [`Piped`]), and the rest (a last block's unaligned tail, or
/// everything after a refusal) through `file`.
pub(crate) struct DirectFile {
    file: File,
    direct: Option<File>,
    pos: u64,
    /// Bytes written past the page cache.
    pub(crate) direct_bytes: u64,
}

impl DirectFile {
    /// `direct` is a second descriptor of `file` opened with `O_DIRECT`
    /// ([`open_direct`]), when there is one.
    pub(crate) fn new(file: File, direct: Option<File>) -> DirectFile {
        DirectFile {
            file,
            direct,
            pos: 0,
            direct_bytes: 0,
        }
    }
}

impl Write for DirectFile {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if let Some(d) = &self.direct
            && self.pos.is_multiple_of(ALIGN as u64)
            && bytes.as_ptr().align_offset(ALIGN) == 0
        {
            let aligned = bytes.len() / ALIGN * ALIGN;
            if aligned > 0 {
                match write_at(d, &bytes[..aligned], self.pos) {
                    Ok(()) => {
                        self.pos += aligned as u64;
                        self.direct_bytes += aligned as u64;
                        return Ok(aligned);
                    }
                    // Refused (alignment, or no O_DIRECT on this file
                    // system after all): the page cache from here on. A
                    // part written directly is written again, the same bytes.
                    Err(e) if e.raw_os_error() == Some(libc::EINVAL) => self.direct = None,
                    Err(e) => return Err(e),
                }
            }
        }
        write_at(&self.file, bytes, self.pos)?;
        self.pos += bytes.len() as u64;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(unix)]
fn write_at(f: &File, b: &[u8], pos: u64) -> io::Result<()> {
    f.write_all_at(b, pos)
}

#[cfg(not(unix))]
fn write_at(mut f: &File, b: &[u8], pos: u64) -> io::Result<()> {
    use std::io::{Seek, SeekFrom};
    f.seek(SeekFrom::Start(pos))?;
    f.write_all(b)
}

/// `path` opened again for writing with `O_DIRECT`, when the system and its
/// file system allow it.
#[cfg(target_os = "linux")]
pub(crate) fn open_direct(path: &std::path::Path) -> Option<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_DIRECT)
        .open(path)
        .ok()
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn open_direct(_path: &std::path::Path) -> Option<File> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes written in pieces of every size arrive whole and in order,
    /// directly and through the page cache: full blocks, a block filled
    /// across writes, writes longer than a block, and an unaligned tail.
    #[test]
    fn blocks_arrive_whole_and_in_order() {
        let dir = crate::disk_tempdir();
        let mut next = crate::xorshift(0x9e37_79b9_7f4a_7c15);
        let want: Vec<u8> = (0..3 * BLOCK + 12_345).map(|_| next() as u8).collect();
        for direct in [true, false] {
            let path = dir.path().join(format!("out-{direct}"));
            let file = File::create(&path).unwrap();
            let d = if direct { open_direct(&path) } else { None };
            let mut w = Piped::new(DirectFile::new(file, d));
            let mut at = 0;
            let mut k = 0;
            while at < want.len() {
                // 1 byte up to a block and a half.
                let n = match k % 4 {
                    0 => 1 + (next() % 100) as usize,
                    1 => 1 + (next() % 70_000) as usize,
                    2 => BLOCK + BLOCK / 2,
                    _ => ALIGN,
                }
                .min(want.len() - at);
                w.write_all(&want[at..at + n]).unwrap();
                at += n;
                k += 1;
            }
            let direct_bytes = w.finish().unwrap().direct_bytes;
            if direct && direct_bytes == 0 {
                eprintln!(
                    "note: this file system does not take O_DIRECT; only the page cache was tested"
                );
            }
            assert!(direct || direct_bytes == 0);
            let got = std::fs::read(&path).unwrap();
            assert_eq!(got.len(), want.len(), "direct: {direct}");
            assert!(got == want, "direct: {direct}: the bytes differ");
        }
    }

    /// A write error on the writer thread reaches the writer, not a panic.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_write_error_is_returned() {
        // A file opened read-only cannot be written.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ro");
        std::fs::write(&path, b"").unwrap();
        let mut w = Piped::new(DirectFile::new(File::open(&path).unwrap(), None));
        let r = (0..QUEUE + 4)
            .try_for_each(|_| w.write_all(&vec![1u8; BLOCK]))
            .and_then(|()| w.finish().map(drop));
        let e = r.expect_err("writing a read-only file succeeded");
        assert_eq!(e.raw_os_error(), Some(libc::EBADF), "{e}");
    }
}
