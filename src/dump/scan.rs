//! Byte scans that look at 16 or 64 bytes at a time.
//!
//! - [`ByteSet::find`]: the next byte of a small set (string literals, where
//!   only quotes, the backslash and the control bytes mysqldump escapes
//!   matter; the splitter outside strings).
//! - [`string_scan`]: the end of a literal, and whether its body is already
//!   in mysqldump's escaping, so that it can be copied as it is.
//! - [`statement_end`] and [`next_close`]: the `;` that ends a statement and
//!   the `)` that may end a row, 64 bytes at a time, outside single-quoted
//!   strings; anything unusual is left to the byte-by-byte scans.
//! - [`row_spans`]: where each value of a row in mysqldump's form starts and
//!   ends, 64 bytes at a time, or `None` for a row to read value by value.
//! - [`json_plain_prefix`]: the ASCII PHP's `json_encode` writes as it is.
//!
//! On x86_64 the compares use SSE2, which every x86_64 processor has, and
//! the block scans the widest [`Tier`] the processor has (AVX2 or AVX-512,
//! chosen at run time); elsewhere they are a table lookup per byte (the
//! block scans hand over at once).

/// A set of up to eight bytes to find in a buffer.
#[derive(Debug, Clone)]
pub(crate) struct ByteSet {
    /// The bytes (repeated to fill the eight places).
    needles: [u8; 8],
    /// The same set, by byte value.
    table: [bool; 256],
}

impl ByteSet {
    /// The set of `bytes` (one to eight of them).
    pub(crate) const fn new(bytes: &[u8]) -> ByteSet {
        assert!(!bytes.is_empty() && bytes.len() <= 8);
        let mut needles = [bytes[0]; 8];
        let mut table = [false; 256];
        let mut i = 0;
        while i < bytes.len() {
            needles[i] = bytes[i];
            table[bytes[i] as usize] = true;
            i += 1;
        }
        ByteSet { needles, table }
    }

    /// True when `b` is in the set.
    #[inline]
    pub(crate) fn contains(&self, b: u8) -> bool {
        self.table[usize::from(b)]
    }

    /// Index of the first byte of `s` at or after `from` that is in the set.
    #[inline]
    pub(crate) fn find(&self, s: &[u8], from: usize) -> Option<usize> {
        let mut i = from;
        #[cfg(target_arch = "x86_64")]
        {
            while i + 16 <= s.len() {
                let mask = sse2::matches(&self.needles, &s[i..i + 16]);
                if mask != 0 {
                    return Some(i + mask.trailing_zeros() as usize);
                }
                i += 16;
            }
            let rest = s.get(i..)?;
            if rest.is_empty() {
                return None;
            }
            // The last few bytes go through the same compare, padded with a
            // byte of theirs that is not in the set (when there is none, the
            // first is a match).
            let Some(filler) = rest.iter().position(|&b| !self.contains(b)) else {
                return Some(i);
            };
            let mut tail = [rest[filler]; 16];
            tail[..rest.len()].copy_from_slice(rest);
            let mask = sse2::matches(&self.needles, &tail);
            return (mask != 0).then(|| i + mask.trailing_zeros() as usize);
        }
        #[allow(unreachable_code)]
        s.get(i..)?
            .iter()
            .position(|&b| self.contains(b))
            .map(|p| p + i)
    }

    /// A mask of the bytes of `s[at..]` in the set, bit `k` for `s[at + k]`,
    /// over at most 16 bytes (`s[at..]` is not empty).
    #[inline(always)]
    fn chunk_mask(&self, s: &[u8], at: usize) -> u32 {
        #[cfg(target_arch = "x86_64")]
        {
            if let Some(chunk) = s.get(at..at + 16) {
                return sse2::matches(&self.needles, chunk);
            }
            // The last bytes, padded with the first byte of the set: the
            // bits past them are cleared.
            let rest = &s[at..];
            let mut tail = [self.needles[0]; 16];
            tail[..rest.len()].copy_from_slice(rest);
            sse2::matches(&self.needles, &tail) & ((1u32 << rest.len()) - 1)
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            s[at..]
                .iter()
                .take(16)
                .enumerate()
                .fold(0, |m, (k, &b)| m | u32::from(self.contains(b)) << k)
        }
    }
}

/// The bytes of a slice in a [`ByteSet`], as one mask per 16 bytes: each 16
/// bytes are compared once, however many of them are in the set.
pub(crate) struct Masks<'s> {
    set: &'static ByteSet,
    s: &'s [u8],
    at: usize,
}

impl Iterator for Masks<'_> {
    /// (offset of the chunk, bit `k` for the byte at offset + k).
    type Item = (usize, u32);

    #[inline(always)]
    fn next(&mut self) -> Option<(usize, u32)> {
        if self.at >= self.s.len() {
            return None;
        }
        let at = self.at;
        self.at += 16;
        Some((at, self.set.chunk_mask(self.s, at)))
    }
}

/// The bytes a literal's scan stops at: both quotes, the backslash, and the
/// control bytes mysqldump escapes (NUL, LF, CR, Ctrl-Z); also the bytes
/// `literal::escape_into` escapes.
const STOPS: ByteSet = ByteSet::new(&[b'\'', b'\\', b'"', 0, b'\n', b'\r', 26]);

/// The bytes that may follow a backslash in mysqldump's own escaping
/// (`\0 \n \r \Z \\ \' \"`).
const CANONICAL_ESCAPE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = matches!(i as u8, b'0' | b'n' | b'r' | b'Z' | b'\\' | b'\'' | b'"');
        i += 1;
    }
    t
};

/// Index of the first byte of `s` at or after `from` that is a quote, a
/// backslash, NUL, LF, CR or Ctrl-Z.
#[inline]
pub(crate) fn next_stop(s: &[u8], from: usize) -> Option<usize> {
    STOPS.find(s, from)
}

/// The bytes of `s` [`next_stop`] stops at, 16 at a time.
#[inline(always)]
pub(crate) fn stop_masks(s: &[u8]) -> Masks<'_> {
    Masks {
        set: &STOPS,
        s,
        at: 0,
    }
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_min_epu8, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8, _mm_setzero_si128, _mm_sub_epi8,
    };

    /// A bit per byte of `chunk` (exactly 16 bytes) that is one of `needles`.
    #[inline]
    pub(super) fn matches(needles: &[u8; 8], chunk: &[u8]) -> u32 {
        let Ok(chunk) = <&[u8; 16]>::try_from(chunk) else {
            return 0;
        };
        // SAFETY: SSE2 is part of the x86_64 baseline, and the load reads the
        // 16 bytes of `chunk` (unaligned loads are allowed).
        unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
            let eq = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
            let [a, b, c, d, e, f, g, h] = *needles;
            let m = _mm_or_si128(
                _mm_or_si128(_mm_or_si128(eq(a), eq(b)), _mm_or_si128(eq(c), eq(d))),
                _mm_or_si128(_mm_or_si128(eq(e), eq(f)), _mm_or_si128(eq(g), eq(h))),
            );
            _mm_movemask_epi8(m) as u32
        }
    }

    /// A bit per byte of `chunk` (exactly 16 bytes) that `json_encode`
    /// escapes: below space, `"`, `\\`, `/`, and every non-ASCII byte.
    #[inline]
    pub(super) fn json_specials(chunk: &[u8]) -> u32 {
        let Ok(chunk) = <&[u8; 16]>::try_from(chunk) else {
            return 0;
        };
        // SAFETY: SSE2 is part of the x86_64 baseline, and the load reads the
        // 16 bytes of `chunk` (unaligned loads are allowed).
        unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
            let eq = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
            // v <= 0x1f, unsigned.
            let control = eq_max(v);
            let m = _mm_or_si128(
                _mm_or_si128(eq(b'"'), eq(b'\\')),
                _mm_or_si128(eq(b'/'), control),
            );
            // The high bit of each byte marks non-ASCII.
            (_mm_movemask_epi8(m) | _mm_movemask_epi8(v)) as u32
        }
    }

    /// A bit per byte of `chunk` (exactly 16 bytes) that is an ASCII digit.
    #[inline]
    pub(super) fn digits(chunk: &[u8; 16]) -> u32 {
        // SAFETY: SSE2 is part of the x86_64 baseline, and the load reads the
        // 16 bytes of `chunk` (unaligned loads are allowed).
        unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
            // b - '0' at most 9, unsigned.
            let d = _mm_sub_epi8(v, _mm_set1_epi8(b'0' as i8));
            let m = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
            _mm_movemask_epi8(m) as u32
        }
    }

    /// Bytes of `v` at most 0x1f (unsigned).
    #[inline]
    fn eq_max(v: __m128i) -> __m128i {
        // SAFETY: SSE2 is part of the x86_64 baseline.
        unsafe {
            let limit = _mm_set1_epi8(0x1f);
            _mm_cmpeq_epi8(_mm_max_epu8(v, limit), limit)
        }
    }

    /// A bit per byte of `block`, for each of the byte sets `sets` (a bit
    /// when the byte is any byte of the set).
    #[inline(always)]
    pub(super) fn masks<const N: usize>(block: &[u8; 64], sets: [&[u8]; N]) -> [u64; N] {
        let mut out = [0u64; N];
        for (k, chunk) in block.chunks_exact(16).enumerate() {
            // SAFETY: SSE2 is part of the x86_64 baseline, and the load reads
            // the 16 bytes of `chunk` (unaligned loads are allowed).
            unsafe {
                let v = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
                for (o, set) in out.iter_mut().zip(sets) {
                    let mut m = _mm_setzero_si128();
                    for &b in set {
                        m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8)));
                    }
                    *o |= u64::from(_mm_movemask_epi8(m) as u16) << (16 * k);
                }
            }
        }
        out
    }
}

/// Where [`statement_end`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlockScan {
    /// A `;` outside any string: the statement ends here.
    Delimiter(usize),
    /// Something the block scan leaves to the byte-by-byte splitter, which
    /// goes on from here (a position outside any string): a double quote,
    /// backquote, `#`, `/`, `--` or backslash outside single-quoted strings,
    /// or the end of the buffer.
    From(usize),
}

/// The widest byte compares the processor offers the block scans, found
/// once. Every tier finds exactly what the others find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tier {
    /// 16-byte SSE2 compares (every x86_64 processor) and a prefix XOR by shifts.
    Sse2,
    /// 32-byte AVX2 compares and a carry-less multiply for the prefix XOR.
    Avx2,
    /// 64-byte AVX-512 compares into mask registers, and the carry-less multiply.
    Avx512,
}

impl Tier {
    /// The widest tier this processor runs.
    #[cfg(target_arch = "x86_64")]
    pub(crate) fn best() -> Tier {
        use std::sync::atomic::{AtomicU8, Ordering};
        static BEST: AtomicU8 = AtomicU8::new(0);
        match BEST.load(Ordering::Relaxed) {
            1 => Tier::Sse2,
            2 => Tier::Avx2,
            3 => Tier::Avx512,
            _ => {
                let clmul = std::arch::is_x86_feature_detected!("pclmulqdq");
                let t = if clmul
                    && std::arch::is_x86_feature_detected!("avx512f")
                    && std::arch::is_x86_feature_detected!("avx512bw")
                {
                    Tier::Avx512
                } else if clmul && std::arch::is_x86_feature_detected!("avx2") {
                    Tier::Avx2
                } else {
                    Tier::Sse2
                };
                BEST.store(t as u8 + 1, Ordering::Relaxed);
                t
            }
        }
    }

    /// The tier the scans take elsewhere (they hand over at once).
    #[cfg(not(target_arch = "x86_64"))]
    pub(crate) fn best() -> Tier {
        Tier::Sse2
    }

    /// The tiers this processor runs, narrowest first (for tests).
    #[cfg(test)]
    pub(crate) fn all() -> Vec<Tier> {
        [Tier::Sse2, Tier::Avx2, Tier::Avx512]
            .into_iter()
            .filter(|&t| t as u8 <= Tier::best() as u8)
            .collect()
    }
}

/// Scans from `from`, a position outside any string in a statement under
/// the `;` delimiter, 64 bytes at a time, for the `;` that ends it: inside
/// single-quoted strings (with backslash escapes and doubled quotes) nothing
/// counts, and outside them the scan gives up at the first byte that needs
/// the full splitter, so that what it finds is what that splitter finds.
#[cfg(target_arch = "x86_64")]
#[inline]
pub(crate) fn statement_end(tier: Tier, buf: &[u8], from: usize) -> BlockScan {
    match tier {
        Tier::Sse2 => statement_end_sse2(buf, from),
        // SAFETY: `Tier::best` chose these tiers only where the processor
        // has their features.
        Tier::Avx2 => unsafe { wide::statement_end_avx2(buf, from) },
        Tier::Avx512 => unsafe { wide::statement_end_avx512(buf, from) },
    }
}

/// [`statement_end`] with SSE2 compares.
#[cfg(target_arch = "x86_64")]
fn statement_end_sse2(buf: &[u8], from: usize) -> BlockScan {
    block_scan(buf, from, prefix_xor, |block| {
        statement_kinds(sse2::masks(block, STATEMENT_BYTES))
    })
}

/// The bytes [`statement_end`] looks at, a mask each: single quote,
/// backslash, `;`, `-`, and the other bytes that hand over to the splitter.
#[cfg(target_arch = "x86_64")]
const STATEMENT_BYTES: [&[u8]; 5] = [b"'", b"\\", b";", b"-", b"\"`#/"];

/// The kinds [`statement_end`] looks at, from the masks of [`STATEMENT_BYTES`].
#[inline(always)]
#[cfg(target_arch = "x86_64")]
fn statement_kinds([quote, backslash, semicolon, dash, other]: [u64; 5]) -> Kinds {
    let dashes = dash & (dash >> 1 | 1 << 63);
    Kinds {
        quote,
        backslash,
        target: semicolon,
        odd: other | backslash | dashes,
    }
}

/// Where [`statement_end`] stopped (without SSE2: at once, leaving the
/// whole statement to the splitter).
#[cfg(not(target_arch = "x86_64"))]
pub(crate) fn statement_end(_tier: Tier, _buf: &[u8], from: usize) -> BlockScan {
    BlockScan::From(from)
}

/// Scans the values of a row from `from` (outside any string), 64 bytes at
/// a time, for the next `)` outside single-quoted strings
/// ([`BlockScan::Delimiter`]); a double quote or backslash outside them
/// hands over to the caller's byte-by-byte scan ([`BlockScan::From`]).
#[cfg(target_arch = "x86_64")]
#[inline]
pub(crate) fn next_close(tier: Tier, buf: &[u8], from: usize) -> BlockScan {
    match tier {
        Tier::Sse2 => next_close_sse2(buf, from),
        // SAFETY: as in `statement_end`.
        Tier::Avx2 => unsafe { wide::next_close_avx2(buf, from) },
        Tier::Avx512 => unsafe { wide::next_close_avx512(buf, from) },
    }
}

/// [`next_close`] with SSE2 compares.
#[cfg(target_arch = "x86_64")]
fn next_close_sse2(buf: &[u8], from: usize) -> BlockScan {
    block_scan(buf, from, prefix_xor, |block| {
        close_kinds(sse2::masks(block, CLOSE_BYTES))
    })
}

/// The bytes [`next_close`] looks at, a mask each: single quote, backslash,
/// `)` and double quote.
#[cfg(target_arch = "x86_64")]
const CLOSE_BYTES: [&[u8]; 4] = [b"'", b"\\", b")", b"\""];

/// The kinds [`next_close`] looks at, from the masks of [`CLOSE_BYTES`].
#[inline(always)]
#[cfg(target_arch = "x86_64")]
fn close_kinds([quote, backslash, close, dquote]: [u64; 4]) -> Kinds {
    Kinds {
        quote,
        backslash,
        target: close,
        odd: dquote | backslash,
    }
}

/// Where [`next_close`] stopped (without SSE2: at once).
#[cfg(not(target_arch = "x86_64"))]
pub(crate) fn next_close(_tier: Tier, _buf: &[u8], from: usize) -> BlockScan {
    BlockScan::From(from)
}

/// The block scans with AVX2 and AVX-512 compares. Each function is compiled
/// for its features, with [`block_scan`] and the compares inlined into it.
#[cfg(target_arch = "x86_64")]
mod wide {
    use std::arch::x86_64::{
        __m256i, _mm_clmulepi64_si128, _mm_cvtsi128_si64, _mm_set_epi64x, _mm_set1_epi8,
        _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_or_si256,
        _mm256_set1_epi8, _mm256_setzero_si256, _mm512_cmpeq_epi8_mask, _mm512_loadu_si512,
        _mm512_set1_epi8,
    };

    use std::arch::x86_64::{
        _mm256_min_epu8, _mm256_sub_epi8, _mm512_cmplt_epu8_mask, _mm512_sub_epi8,
    };

    use super::{
        BlockScan, CLOSE_BYTES, ROW_BYTES, STATEMENT_BYTES, block_scan, close_kinds, row_blocks,
        row_kinds, statement_kinds,
    };

    /// Bit i set when an odd number of bits 0..=i of `x` are: a carry-less
    /// multiply by all ones.
    #[inline(always)]
    fn prefix_xor_clmul(x: u64) -> u64 {
        // SAFETY: only called from functions compiled with pclmulqdq.
        unsafe {
            let v = _mm_set_epi64x(0, x as i64);
            _mm_cvtsi128_si64(_mm_clmulepi64_si128::<0>(v, _mm_set1_epi8(-1))) as u64
        }
    }

    /// A bit per byte of `block`, for each of the byte sets `sets`.
    #[inline(always)]
    fn masks_avx2<const N: usize>(block: &[u8; 64], sets: [&[u8]; N]) -> [u64; N] {
        let mut out = [0u64; N];
        for (k, half) in block.chunks_exact(32).enumerate() {
            // SAFETY: only called from functions compiled with AVX2; the
            // load reads the 32 bytes of `half` (unaligned loads are allowed).
            unsafe {
                let v = _mm256_loadu_si256(half.as_ptr().cast::<__m256i>());
                for (o, set) in out.iter_mut().zip(sets) {
                    let mut m = _mm256_setzero_si256();
                    for &b in set {
                        m = _mm256_or_si256(m, _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b as i8)));
                    }
                    *o |= u64::from(_mm256_movemask_epi8(m) as u32) << (32 * k);
                }
            }
        }
        out
    }

    /// A bit per byte of `block`, for each of the byte sets `sets`.
    #[inline(always)]
    fn masks_avx512<const N: usize>(block: &[u8; 64], sets: [&[u8]; N]) -> [u64; N] {
        let mut out = [0u64; N];
        // SAFETY: only called from functions compiled with AVX-512 (F, BW);
        // the load reads the 64 bytes of `block`.
        unsafe {
            let v = _mm512_loadu_si512(block.as_ptr().cast());
            for (o, set) in out.iter_mut().zip(sets) {
                for &b in set {
                    *o |= _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(b as i8));
                }
            }
        }
        out
    }

    /// A bit per byte of `block` that is an ASCII digit.
    #[inline(always)]
    fn digits_avx2(block: &[u8; 64]) -> u64 {
        let mut digit = 0u64;
        for (k, half) in block.chunks_exact(32).enumerate() {
            // SAFETY: only called from functions compiled with AVX2; the
            // load reads the 32 bytes of `half`.
            unsafe {
                let v = _mm256_loadu_si256(half.as_ptr().cast::<__m256i>());
                // b - '0' at most 9, unsigned.
                let d = _mm256_sub_epi8(v, _mm256_set1_epi8(b'0' as i8));
                let m = _mm256_cmpeq_epi8(_mm256_min_epu8(d, _mm256_set1_epi8(9)), d);
                digit |= u64::from(_mm256_movemask_epi8(m) as u32) << (32 * k);
            }
        }
        digit
    }

    /// A bit per byte of `block` that is an ASCII digit.
    #[inline(always)]
    fn digits_avx512(block: &[u8; 64]) -> u64 {
        // SAFETY: only called from functions compiled with AVX-512 (F, BW);
        // the load reads the 64 bytes of `block`.
        unsafe {
            let v = _mm512_loadu_si512(block.as_ptr().cast());
            let d = _mm512_sub_epi8(v, _mm512_set1_epi8(b'0' as i8));
            _mm512_cmplt_epu8_mask(d, _mm512_set1_epi8(10))
        }
    }

    #[target_feature(enable = "avx2,pclmulqdq")]
    pub(super) fn statement_end_avx2(buf: &[u8], from: usize) -> BlockScan {
        block_scan(buf, from, prefix_xor_clmul, |block| {
            statement_kinds(masks_avx2(block, STATEMENT_BYTES))
        })
    }

    #[target_feature(enable = "avx512f,avx512bw,pclmulqdq")]
    pub(super) fn statement_end_avx512(buf: &[u8], from: usize) -> BlockScan {
        block_scan(buf, from, prefix_xor_clmul, |block| {
            statement_kinds(masks_avx512(block, STATEMENT_BYTES))
        })
    }

    #[target_feature(enable = "avx2,pclmulqdq")]
    pub(super) fn next_close_avx2(buf: &[u8], from: usize) -> BlockScan {
        block_scan(buf, from, prefix_xor_clmul, |block| {
            close_kinds(masks_avx2(block, CLOSE_BYTES))
        })
    }

    #[target_feature(enable = "avx512f,avx512bw,pclmulqdq")]
    pub(super) fn next_close_avx512(buf: &[u8], from: usize) -> BlockScan {
        block_scan(buf, from, prefix_xor_clmul, |block| {
            close_kinds(masks_avx512(block, CLOSE_BYTES))
        })
    }

    #[target_feature(enable = "avx2,pclmulqdq")]
    pub(super) fn row_spans_avx2(
        buf: &[u8],
        from: usize,
        spans: &mut Vec<(u32, u32)>,
    ) -> Option<usize> {
        row_blocks(buf, from, spans, prefix_xor_clmul, |block| {
            row_kinds(masks_avx2(block, ROW_BYTES), digits_avx2(block))
        })
    }

    #[target_feature(enable = "avx512f,avx512bw,pclmulqdq")]
    pub(super) fn row_spans_avx512(
        buf: &[u8],
        from: usize,
        spans: &mut Vec<(u32, u32)>,
    ) -> Option<usize> {
        row_blocks(buf, from, spans, prefix_xor_clmul, |block| {
            row_kinds(masks_avx512(block, ROW_BYTES), digits_avx512(block))
        })
    }
}

/// The bytes of a 64-byte block a [`block_scan`] looks at, a bit each.
#[cfg(target_arch = "x86_64")]
struct Kinds {
    /// Single quotes.
    quote: u64,
    /// Backslashes.
    backslash: u64,
    /// The byte looked for.
    target: u64,
    /// Bytes that, outside strings, end the scan (backslashes among them).
    odd: u64,
}

/// The scan behind [`statement_end`] and [`next_close`]: from `from`, a
/// position outside any string, the first target byte outside single-quoted
/// strings, unless an odd byte outside them comes first.
///
/// Each block gets a bit mask per kind of byte; backslash-escaped bytes come
/// from the runs of backslashes, and the bytes inside strings from a prefix
/// XOR of the unescaped quotes (the way simdjson finds JSON strings).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn block_scan(
    buf: &[u8],
    from: usize,
    prefix_xor: impl Fn(u64) -> u64,
    kinds: impl Fn(&[u8; 64]) -> Kinds,
) -> BlockScan {
    let mut pos = from;
    // All ones when the block starts inside a string.
    let mut inside = 0u64;
    // 1 when the block's first byte is escaped by the block before.
    let mut escaped_in = 0u64;
    // The quote that opened the string the scan is in.
    let mut open = from;
    // 1 when the block before ended with an unescaped quote.
    let mut quote_out = 0u64;
    loop {
        // Where the byte scan takes over from this block's start: the block
        // may start inside a string, or (after a closing quote) continue one.
        let resume = if inside != 0 || quote_out != 0 {
            open
        } else {
            pos
        };
        let rest = buf.get(pos..).unwrap_or(&[]);
        if rest.is_empty() {
            return BlockScan::From(if inside != 0 { open } else { buf.len() });
        }
        let mut padded = [b' '; 64];
        let block = block_of(rest, &mut padded);
        prefetch(buf, pos + PREFETCH_AHEAD);
        let k = kinds(block);
        let escaped = escaped_bytes(k.backslash, &mut escaped_in);
        let quotes = k.quote & !escaped;
        let strings = prefix_xor(quotes) ^ inside;
        let odd = k.odd & !strings;
        let targets = k.target & !strings;
        let first_odd = odd.trailing_zeros();
        if targets != 0 && targets.trailing_zeros() < first_odd {
            return BlockScan::Delimiter(pos + targets.trailing_zeros() as usize);
        }
        if odd != 0 || rest.len() < 64 && strings >> 63 != 0 {
            // Give the block (or the string it started in) to the byte scan.
            return BlockScan::From(resume);
        }
        // A quote right after a closing one continues the string (a
        // doubled quote); the others open one.
        let opened = quotes & strings & !(quotes << 1 | quote_out);
        if opened != 0 {
            open = pos + 63 - opened.leading_zeros() as usize;
        }
        quote_out = quotes >> 63;
        inside = 0u64.wrapping_sub(strings >> 63);
        if rest.len() < 64 {
            return BlockScan::From(buf.len());
        }
        pos += 64;
    }
}

/// Reads the values of a row from `from` (just past its `(`) into `spans`
/// when every value is canonical — `NULL`, a number, or a single-quoted
/// string in mysqldump's escaping — and followed by a bare `,` or the row's
/// `)`: where the row ends (past its `)`). `None` otherwise, with `spans`
/// holding what was pushed so far (the caller clears it and reads the row
/// value by value). It decides as [`row_spans_bytes`] does, 64 bytes at a
/// time: a mask per kind of byte, the strings from the unescaped quotes, and
/// then a few bit operations per value.
#[cfg(target_arch = "x86_64")]
#[inline]
pub(crate) fn row_spans(
    tier: Tier,
    buf: &[u8],
    from: usize,
    spans: &mut Vec<(u32, u32)>,
) -> Option<usize> {
    match tier {
        Tier::Sse2 => row_blocks(buf, from, spans, prefix_xor, |block| {
            let digit = block
                .as_chunks::<16>()
                .0
                .iter()
                .enumerate()
                .fold(0u64, |m, (k, c)| m | u64::from(sse2::digits(c)) << (16 * k));
            row_kinds(sse2::masks(block, ROW_BYTES), digit)
        }),
        // SAFETY: as in `statement_end`.
        Tier::Avx2 => unsafe { wide::row_spans_avx2(buf, from, spans) },
        Tier::Avx512 => unsafe { wide::row_spans_avx512(buf, from, spans) },
    }
}

/// [`row_spans`] elsewhere: the value-by-value reading.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
pub(crate) fn row_spans(
    _tier: Tier,
    buf: &[u8],
    from: usize,
    spans: &mut Vec<(u32, u32)>,
) -> Option<usize> {
    row_spans_bytes(buf, from, spans)
}

/// [`row_spans`] a value at a time: each value read as the tokenizer's fast
/// path reads it (`NULL` in capitals, a number that starts with a digit or
/// `-`, a single-quoted string judged by [`string_scan`]).
#[cfg(any(test, not(target_arch = "x86_64")))]
pub(crate) fn row_spans_bytes(
    buf: &[u8],
    from: usize,
    spans: &mut Vec<(u32, u32)>,
) -> Option<usize> {
    let mut pos = from;
    loop {
        let i = buf.get(pos..)?;
        let len = match *i.first()? {
            b'\'' => match string_scan(i, 1, b'\'')? {
                (end, true) => end,
                _ => return None,
            },
            b'0' if matches!(i.get(1), Some(b'x' | b'X')) => return None,
            b'0'..=b'9' | b'-' => super::values::number_len(i)?,
            b'N' if i.starts_with(b"NULL") => 4,
            _ => return None,
        };
        spans.push((pos as u32, (pos + len) as u32));
        pos += len;
        match buf.get(pos) {
            Some(b',') => pos += 1,
            Some(b')') => return Some(pos + 1),
            _ => return None,
        }
    }
}

/// The bytes [`row_spans`] looks at besides digits, a mask each: single
/// quote, backslash, comma, `)`, the bytes a canonical string holds only
/// escaped, the dot, the minus, the letters of `NULL`, and the other bytes
/// of numbers (read by `number_len`).
#[cfg(target_arch = "x86_64")]
const ROW_BYTES: [&[u8]; 11] = [
    b"'",
    b"\\",
    b",",
    b")",
    b"\"\0\n\r\x1a",
    b".",
    b"-",
    b"N",
    b"U",
    b"L",
    b"+eE",
];

/// The bytes of a 64-byte block [`row_spans`] looks at, a bit each.
#[cfg(target_arch = "x86_64")]
struct RowKinds {
    quote: u64,
    backslash: u64,
    comma: u64,
    close: u64,
    /// `"`, NUL, LF, CR and Ctrl-Z: escaped in a canonical string.
    raw: u64,
    dot: u64,
    minus: u64,
    /// The letters of `NULL`.
    n: u64,
    u: u64,
    l: u64,
    /// The bytes of an exponent, and `+`.
    exp: u64,
    digit: u64,
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn row_kinds(m: [u64; 11], digit: u64) -> RowKinds {
    // In the order of `ROW_BYTES`.
    RowKinds {
        quote: m[0],
        backslash: m[1],
        comma: m[2],
        close: m[3],
        raw: m[4],
        dot: m[5],
        minus: m[6],
        n: m[7],
        u: m[8],
        l: m[9],
        exp: m[10],
        digit,
    }
}

/// Whether every value that ends in a block is settled by the block's masks
/// alone: given `ends` (the commas and the row's `)` outside strings, up to
/// the row's end), `starts` (where values start in the block) and `plain`
/// (the bytes of values that are not strings), each such value is a string,
/// `NULL`, or a number of digits with at most one dot and a leading minus.
/// `false` leaves the block to the value-by-value judging, which is exact
/// (an exponent, a value begun in an earlier block, a `NULL` across the
/// block's end, or anything wrong).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn plain_block(k: &RowKinds, ends: u64, starts: u64, plain: u64) -> bool {
    let nulls = k.n & plain;
    let minus = k.minus & plain;
    let dots = k.dot & plain;
    let digits = k.digit & plain;
    // The digit run after each dot ends before another dot.
    let after_dots = digits.wrapping_add(dots << 1 & digits) & !digits;
    let odd = (starts & ends)
        | (k.exp & plain)
        | (nulls & !starts)
        | (nulls << 1 & !k.u)
        | ((nulls << 2 | nulls << 3) & !k.l)
        | (nulls << 4 & !ends)
        | (k.u & plain & !(nulls << 1))
        | (k.l & plain & !(nulls << 2 | nulls << 3))
        | (minus & !starts)
        | (minus << 1 & !(digits | dots))
        | ((minus << 1 & dots) << 1 & !digits)
        | (dots & starts)
        | (dots << 1 & dots)
        | (after_dots & dots);
    odd == 0
}

/// The scan behind [`row_spans`].
///
/// Outside strings a canonical row holds only the bytes of numbers and
/// `NULL`, commas, the closing `)` and quotes; a string opens right after a
/// comma (or the row's `(`) and closes right before a comma or the `)`, which
/// also rules out doubled quotes; inside it the bytes of `raw` come escaped,
/// and every escape is one of mysqldump's. The values that end in a block
/// are then judged together from its masks ([`plain_block`]): a string is
/// whole by the rules above, and the other values must be `NULL` or plain
/// numbers. A value begun in an earlier block, and the values of a block
/// that has anything else, are judged one by one ([`value_fits`]).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn row_blocks(
    buf: &[u8],
    from: usize,
    spans: &mut Vec<(u32, u32)>,
    prefix_xor: impl Fn(u64) -> u64,
    kinds: impl Fn(&[u8; 64]) -> RowKinds,
) -> Option<usize> {
    let mut pos = from;
    // All ones when the block starts inside a string.
    let mut inside = 0u64;
    // 1 when the block's first byte is escaped by the block before.
    let mut escaped_in = 0u64;
    // 1 when the byte before the block is a comma (or the row's `(`).
    let mut comma_in = 1u64;
    // 1 when the block before ended with a closing quote.
    let mut closed_in = 0u64;
    // Where the value being read starts.
    let mut start = from;
    loop {
        let rest = buf.get(pos..).filter(|r| !r.is_empty())?;
        let mut padded = [b' '; 64];
        let block = block_of(rest, &mut padded);
        prefetch(buf, pos + PREFETCH_AHEAD);
        let k = kinds(block);
        let escaped = escaped_bytes(k.backslash, &mut escaped_in);
        let quotes = k.quote & !escaped;
        let strings = prefix_xor(quotes) ^ inside;
        let outside = !strings;
        let closes = k.close & outside;
        let ends = (k.comma | k.close) & outside;
        let end_bit = closes.trailing_zeros();
        // The bytes before the row's `)`, and those up to it.
        let (in_row, upto) = if end_bit < 64 {
            ((1u64 << end_bit) - 1, (2u64 << end_bit).wrapping_sub(1))
        } else {
            (!0, !0)
        };
        let opening = quotes & strings;
        let closing = quotes & outside;
        let allowed =
            k.digit | k.dot | k.minus | k.n | k.u | k.l | k.exp | k.comma | k.close | k.quote;
        let bad = (closing & !(ends >> 1) & !(1 << 63))
            | (opening & !((k.comma & outside) << 1 | comma_in))
            | (k.backslash & outside)
            | (k.raw & strings & !escaped)
            | (outside & !allowed);
        if bad & in_row != 0 || closed_in & !ends & 1 != 0 {
            return None;
        }
        let mut esc = escaped & in_row;
        while esc != 0 {
            if !CANONICAL_ESCAPE[usize::from(block[esc.trailing_zeros() as usize])] {
                return None;
            }
            esc &= esc - 1;
        }
        let mut each = ends & upto;
        // Values are judged by the block's masks, except one begun in an
        // earlier block (judged alone) and one left for the next block.
        let mut live = !0u64;
        if each != 0 && start < pos {
            let b = each.trailing_zeros() as usize;
            each &= each - 1;
            let at = pos + b;
            if !value_fits(buf, start, at, pos, &k) {
                return None;
            }
            spans.push((start as u32, at as u32));
            start = at + 1;
            live = (!0u64).checked_shl(b as u32 + 1).unwrap_or(0);
        }
        if each != 0 {
            let last = 63 - each.leading_zeros();
            let judged = live & (2u64 << last).wrapping_sub(1);
            // The bytes of the values that are not strings.
            let plain = outside & !(k.comma | k.close | k.quote) & judged;
            let starts = (ends << 1 | comma_in) & judged;
            if !plain_block(&k, each, starts, plain) {
                while each != 0 {
                    let at = pos + each.trailing_zeros() as usize;
                    if !value_fits(buf, start, at, pos, &k) {
                        return None;
                    }
                    each &= each - 1;
                    spans.push((start as u32, at as u32));
                    start = at + 1;
                }
            }
            while each != 0 {
                let at = pos + each.trailing_zeros() as usize;
                each &= each - 1;
                spans.push((start as u32, at as u32));
                start = at + 1;
            }
        }
        if end_bit < 64 {
            return Some(pos + end_bit as usize + 1);
        }
        if rest.len() < 64 {
            return None;
        }
        inside = 0u64.wrapping_sub(strings >> 63);
        comma_in = (k.comma & outside) >> 63;
        closed_in = closing >> 63;
        pos += 64;
    }
}

/// Whether the value from `start` to `at` (a comma or the row's `)` in the
/// block at `pos`, whose masks are `k`) is canonical, judged on its own: a
/// string (whole by [`row_blocks`]'s rules), `NULL`, or a number (from the
/// masks when it starts in the block, else by `number_len`).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn value_fits(buf: &[u8], start: usize, at: usize, pos: usize, k: &RowKinds) -> bool {
    match buf[start] {
        _ if at == start => false,
        b'\'' => true,
        b'N' => at - start == 4 && buf[start..at] == *b"NULL",
        first @ (b'0'..=b'9' | b'-') => {
            let fast = start >= pos && {
                let m = (!0u64 << (start - pos)) & !(!0u64 << (at - pos));
                let other = m & !(k.digit | k.dot);
                k.digit & m != 0
                    && (k.dot & m).count_ones() <= 1
                    && (other == 0 || other == 1 << (start - pos) && first == b'-')
            };
            // (`0x…` never gets here: `x` is not a byte of numbers.)
            fast || super::values::number_len(&buf[start..]) == Some(at - start)
        }
        _ => false,
    }
}

/// The first 64 bytes of `rest` (not empty), or all of them in `padded`
/// after them when there are fewer: spaces, which no block scan looks for.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn block_of<'b>(rest: &'b [u8], padded: &'b mut [u8; 64]) -> &'b [u8; 64] {
    match rest.first_chunk::<64>() {
        Some(b) => b,
        None => {
            padded[..rest.len()].copy_from_slice(rest);
            padded
        }
    }
}

/// How far ahead of a block scan the bytes are asked for.
const PREFETCH_AHEAD: usize = 1024;

/// Asks the processor to start loading the cache line at `at` of `buf`
/// (nothing when `at` is past its end): a scan that runs through a mapped
/// file otherwise waits at every page it enters.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn prefetch(buf: &[u8], at: usize) {
    use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
    if let Some(p) = buf.get(at) {
        // SAFETY: SSE is part of the x86_64 baseline; a prefetch reads
        // nothing into the program and `p` points into `buf`.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(p).cast::<i8>()) };
    }
}

/// The bytes of a 64-byte block escaped by a backslash: the byte after each
/// run of backslashes of odd length (`escaped_in` carries a run's last
/// backslash from one block to the next).
#[inline]
fn escaped_bytes(backslash: u64, escaped_in: &mut u64) -> u64 {
    const EVEN: u64 = 0x5555_5555_5555_5555;
    let backslash = backslash & !*escaped_in;
    let follows = backslash << 1 | *escaped_in;
    let odd_starts = backslash & !EVEN & !follows;
    let (even_starts, overflow) = odd_starts.overflowing_add(backslash);
    *escaped_in = u64::from(overflow);
    (EVEN ^ (even_starts << 1)) & follows
}

/// Bit i set when an odd number of bits 0..=i of `x` are.
#[inline]
fn prefix_xor(mut x: u64) -> u64 {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    x
}

/// How many bytes at the start of `s` PHP's `json_encode` writes as they
/// are: ASCII from space up, except `"`, `\\` and `/`.
#[inline]
pub(crate) fn json_plain_prefix(s: &[u8]) -> usize {
    let mut i = 0;
    #[cfg(target_arch = "x86_64")]
    {
        while i + 16 <= s.len() {
            let mask = sse2::json_specials(&s[i..i + 16]);
            if mask != 0 {
                return i + mask.trailing_zeros() as usize;
            }
            i += 16;
        }
        // The last bytes (most keys and short values are nothing else) are
        // read from a chunk filled up with a plain byte.
        let rest = &s[i..];
        let mut chunk = [b'a'; 16];
        chunk[..rest.len()].copy_from_slice(rest);
        let mask = sse2::json_specials(&chunk);
        if mask != 0 {
            i + mask.trailing_zeros() as usize
        } else {
            s.len()
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let plain = |b: u8| (0x20..0x80).contains(&b) && !matches!(b, b'"' | b'\\' | b'/');
        i + s[i..]
            .iter()
            .position(|&b| !plain(b))
            .unwrap_or(s.len() - i)
    }
}

/// Whether `s` holds `a` or `b`. Short slices (the strings of serialized
/// PHP are mostly a few bytes) are compared sixteen bytes at a time, the
/// last ones copied into a chunk; `memchr`'s setup costs more than such a
/// search.
#[inline]
pub(crate) fn contains_either(s: &[u8], a: u8, b: u8) -> bool {
    #[cfg(target_arch = "x86_64")]
    if s.len() <= 64 {
        let needles = [a, b, a, b, a, b, a, b];
        let (chunks, rest) = s.as_chunks::<16>();
        if chunks.iter().any(|c| sse2::matches(&needles, c) != 0) {
            return true;
        }
        let mut tail = [0u8; 16];
        tail[..rest.len()].copy_from_slice(rest);
        return sse2::matches(&needles, &tail) & ((1u32 << rest.len()) - 1) != 0;
    }
    memchr::memchr2(a, b, s).is_some()
}

/// A bit per byte of `chunk` that is an ASCII digit (bit `i` for byte `i`).
#[inline]
pub(crate) fn digit_mask(chunk: &[u8; 16]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        sse2::digits(chunk)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        chunk
            .iter()
            .enumerate()
            .fold(0, |m, (i, b)| m | u32::from(b.is_ascii_digit()) << i)
    }
}

/// Scans a literal quoted with `quote` whose body starts at `i`: the index
/// just past its closing quote, and whether its body is canonical (single
/// quotes, and nothing `literal::escape_into` would write differently).
/// `None` when the literal does not end within `buf`. A quote that is the
/// last byte of `buf` closes the literal.
#[inline]
pub(crate) fn string_scan(buf: &[u8], mut i: usize, quote: u8) -> Option<(usize, bool)> {
    let mut canonical = quote == b'\'';
    loop {
        let at = next_stop(buf, i)?;
        match buf[at] {
            b'\\' => {
                let e = *buf.get(at + 1)?;
                canonical &= CANONICAL_ESCAPE[usize::from(e)];
                i = at + 2;
            }
            b if b == quote => {
                // A doubled quote is one quote character inside the string.
                if buf.get(at + 1) == Some(&quote) {
                    canonical = false;
                    i = at + 2;
                } else {
                    return Some((at + 1, canonical));
                }
            }
            _ => {
                canonical = false;
                i = at + 1;
            }
        }
    }
}

/// True when `body`, the inside of a literal quoted with `quote`, is in the
/// form `literal::escape_into` writes.
pub(crate) fn is_canonical(body: &[u8], quote: u8) -> bool {
    if quote != b'\'' {
        return false;
    }
    let mut i = 0;
    while let Some(at) = next_stop(body, i) {
        if body[at] != b'\\' {
            return false;
        }
        match body.get(at + 1) {
            Some(&e) if CANONICAL_ESCAPE[usize::from(e)] => i = at + 2,
            _ => return false,
        }
    }
    true
}

/// Random texts for the tests that compare a block scan with a byte scan:
/// each call joins up to `max_parts` pieces of `alphabet` (a fifth of them
/// repeated up to 40 times, so that strings and statements cross blocks),
/// from a fixed xorshift `seed`.
#[cfg(test)]
pub(crate) fn random_texts<'p>(
    alphabet: &'p [&'p [u8]],
    seed: u64,
    max_parts: u64,
) -> impl FnMut() -> Vec<u8> + 'p {
    let mut next = crate::xorshift(seed);
    move || {
        let mut text = Vec::new();
        for _ in 0..next() % max_parts {
            let piece = alphabet[(next() % alphabet.len() as u64) as usize];
            let times = if next().is_multiple_of(5) {
                next() % 40 + 1
            } else {
                1
            };
            for _ in 0..times {
                text.extend_from_slice(piece);
            }
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar_stop(s: &[u8], from: usize) -> Option<usize> {
        s.get(from..)?
            .iter()
            .position(|&b| STOPS.contains(b))
            .map(|p| p + from)
    }

    /// Every tier of the block scans stops where the SSE2 one does, from
    /// every position of random texts over the bytes they look at (the
    /// splitter's tests hold the SSE2 scan to the byte-by-byte one).
    #[test]
    #[cfg(target_arch = "x86_64")]
    fn every_tier_scans_like_sse2() {
        let alphabet: &[&[u8]] = &[
            b"'",
            b"\\",
            b";",
            b")",
            b"\"",
            b"`",
            b"#",
            b"/",
            b"-",
            b"--",
            b"a",
            b"(1,'x')",
            b"''",
            b"\\\\",
            b"0123456789abcdef",
        ];
        let tiers = Tier::all();
        let mut texts = random_texts(alphabet, 0x2545_f491_4f6c_dd1d, 90);
        for case in 0..4_000 {
            let buf = texts();
            for from in 0..=buf.len() {
                let want = (statement_end_sse2(&buf, from), next_close_sse2(&buf, from));
                for &tier in &tiers {
                    let got = (
                        statement_end(tier, &buf, from),
                        next_close(tier, &buf, from),
                    );
                    assert_eq!(
                        got,
                        want,
                        "case {case} from {from} {tier:?}: {:?}",
                        String::from_utf8_lossy(&buf)
                    );
                }
            }
        }
    }

    /// Every tier reads a row's spans as the value-by-value reading does
    /// (the same spans and end, or none), from random rows of canonical
    /// values, some with a piece of another kind of value put in, across
    /// block boundaries.
    #[test]
    #[cfg(target_arch = "x86_64")]
    fn row_spans_read_like_the_bytes() {
        let values: &[&[u8]] = &[
            b"NULL", b"12.0000", b"-3", b"0", b"1e-5", b"''", b"'x'", b"'a,b)c'", b"'\\''",
        ];
        let inner: &[&[u8]] = &[
            b"abc",
            b"\\'",
            b"\\n",
            b"\\\\",
            b"\\\"",
            b"\\0",
            b"\\Z",
            b",",
            b")",
            b"(",
            b"\xc3\xa9",
            b"NULL",
            b"0123456789",
        ];
        let odd: &[&[u8]] = &[
            b"'", b"''", b"\\", b"\\t", b"null", b"N", b"-", b".", b"1.2.3", b"+1", b".5", b"0x1F",
            b"\"", b"\n", b"\0", b"\x1a", b" ", b"(", b",", b")", b"e", b"NULLS", b"..", b"-.",
            b"5.", b"UL", b"NUL", b"LL", b"-5", b".1", b"N5",
        ];
        let mut next = crate::xorshift(0x9e37_79b9_7f4a_7c15);
        let mut pick = |n: usize| (next() % n as u64) as usize;
        let tiers = Tier::all();
        let (mut accepted, mut refused) = (0, 0);
        for case in 0..30_000 {
            let mut buf = Vec::new();
            let mut parts = Vec::new();
            for v in 0..pick(40) + 1 {
                if v > 0 {
                    buf.push(b',');
                }
                let start = buf.len();
                if pick(3) == 0 {
                    buf.push(b'\'');
                    for _ in 0..pick(30) {
                        buf.extend_from_slice(inner[pick(inner.len())]);
                    }
                    buf.push(b'\'');
                } else {
                    buf.extend_from_slice(values[pick(values.len())]);
                }
                parts.push(start);
            }
            buf.extend_from_slice(b"),(1)");
            if pick(2) == 0 {
                let at = pick(buf.len());
                let piece = odd[pick(odd.len())];
                if pick(2) == 0 {
                    buf.splice(at..at, piece.iter().copied());
                } else {
                    let end = (at + piece.len()).min(buf.len());
                    buf.splice(at..end, piece.iter().copied());
                }
            }
            for from in [0, parts[parts.len() / 2]] {
                let mut want_spans = Vec::new();
                let want = row_spans_bytes(&buf, from, &mut want_spans);
                if want.is_some() {
                    accepted += 1;
                } else {
                    refused += 1;
                }
                for &tier in &tiers {
                    let mut spans = Vec::new();
                    let got = row_spans(tier, &buf, from, &mut spans);
                    assert_eq!(
                        got,
                        want,
                        "case {case} from {from} {tier:?}: {:?}",
                        String::from_utf8_lossy(&buf)
                    );
                    if got.is_some() {
                        assert_eq!(spans, want_spans, "case {case} {tier:?}");
                    }
                }
            }
        }
        assert!(
            accepted > 10_000 && refused > 10_000,
            "{accepted} {refused}"
        );
    }

    /// Rows as mysqldump writes them are read whole, with their spans.
    #[test]
    fn canonical_rows_are_read_into_spans() {
        let long = format!("'{}'", "x\\'y".repeat(40));
        let row = format!("1,-2.50,NULL,'',{long},'a,b)c','\\\\'),(9)");
        for &tier in &Tier::all() {
            let mut spans = Vec::new();
            let end = row_spans(tier, row.as_bytes(), 0, &mut spans);
            assert_eq!(end, Some(row.len() - 4), "{tier:?}");
            let values: Vec<&str> = spans
                .iter()
                .map(|&(a, b)| &row[a as usize..b as usize])
                .collect();
            assert_eq!(
                values,
                ["1", "-2.50", "NULL", "''", &long, "'a,b)c'", "'\\\\'"],
                "{tier:?}"
            );
        }
    }

    #[test]
    fn finds_each_stop_byte_at_every_position() {
        for len in [0usize, 1, 5, 15, 16, 17, 31, 32, 33, 64, 100] {
            for stop in [0u8, b'\n', b'\r', 26, b'"', b'\'', b'\\'] {
                for at in 0..len {
                    let mut s: Vec<u8> = (0..len).map(|k| b'a' + (k % 26) as u8).collect();
                    s[at] = stop;
                    for from in [0, at / 2, at, at + 1] {
                        assert_eq!(
                            next_stop(&s, from),
                            scalar_stop(&s, from),
                            "{len} {stop} {at} {from}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn stop_masks_mark_every_stop_in_order() {
        let alphabet: &[&[u8]] = &[
            b"a", b"\\", b"'", b"\"", b"\0", b"\n", b"\r", b"\x1a", b"\xff", b"xyz",
        ];
        let mut texts = random_texts(alphabet, 0x0123_4567_89ab_cdef, 60);
        for _ in 0..3000 {
            let s = texts();
            let mut seen = Vec::new();
            for (at, mut mask) in stop_masks(&s) {
                while mask != 0 {
                    seen.push(at + mask.trailing_zeros() as usize);
                    mask &= mask - 1;
                }
            }
            let want: Vec<usize> = (0..s.len()).filter(|&i| STOPS.contains(s[i])).collect();
            assert_eq!(seen, want, "{s:?}");
        }
    }

    #[test]
    fn high_bytes_and_neighbours_are_not_stops() {
        let s: Vec<u8> = (0..=255u8)
            .filter(|b| !STOPS.contains(*b))
            .chain([b'x'; 20])
            .collect();
        assert_eq!(next_stop(&s, 0), None);
        assert_eq!(next_stop(&s, s.len()), None);
        assert_eq!(next_stop(&s, s.len() + 3), None);
    }

    #[test]
    fn json_plain_prefix_stops_where_json_encode_escapes() {
        let plain = |b: u8| (0x20..0x80).contains(&b) && !matches!(b, b'"' | b'\\' | b'/');
        for len in [0usize, 1, 15, 16, 17, 40] {
            for b in 0..=255u8 {
                for at in 0..len {
                    let mut s = vec![b'a'; len];
                    s[at] = b;
                    let want = if plain(b) { len } else { at };
                    assert_eq!(json_plain_prefix(&s), want, "{len} {b} {at}");
                }
            }
        }
    }

    /// Either byte is found at every position of slices on both sides of
    /// the short-slice threshold, and nothing else is.
    #[test]
    fn contains_either_finds_what_memchr2_finds() {
        for len in [0usize, 1, 7, 31, 32, 33, 64, 100] {
            for at in 0..len.max(1) {
                for b in [b'\\', b'\'', b'"', 0, 0xff] {
                    let mut s = vec![b'a'; len];
                    if let Some(c) = s.get_mut(at) {
                        *c = b;
                    }
                    let want = memchr::memchr2(b'\\', b'\'', &s).is_some();
                    assert_eq!(want, len > 0 && matches!(b, b'\\' | b'\''));
                    assert_eq!(contains_either(&s, b'\\', b'\''), want, "{len} {at} {b}");
                }
            }
        }
    }

    #[test]
    fn short_tails_made_only_of_set_bytes() {
        let set = ByteSet::new(b";-");
        assert_eq!(set.find(b";;", 0), Some(0));
        assert_eq!(set.find(b"ab-", 0), Some(2));
        assert_eq!(set.find(b"abc", 0), None);
        assert_eq!(set.find(&[b'x'; 40], 0), None);
    }

    #[test]
    fn string_scan_ends_and_judges_literals() {
        type Case = (&'static [u8], u8, Option<(usize, bool)>);
        let cases: [Case; 11] = [
            (b"'abc',1", b'\'', Some((5, true))),
            (
                b"'it\\'s a \\\"q\\\" \\n\\r\\0\\Z \\\\',",
                b'\'',
                Some((27, true)),
            ),
            (b"'it''s',", b'\'', Some((7, false))),
            (b"'tab\\t'", b'\'', Some((7, false))),
            (b"'raw\nline'", b'\'', Some((10, false))),
            (b"'has \" raw'", b'\'', Some((11, false))),
            (b"\"dq 'x' \"", b'"', Some((9, false))),
            (b"'unterminated", b'\'', None),
            (b"'ends in backslash\\", b'\'', None),
            (
                b"'a long literal that runs past sixteen bytes and ends here',",
                b'\'',
                Some((59, true)),
            ),
            (b"'", b'\'', None),
        ];
        for (text, q, want) in cases {
            assert_eq!(
                string_scan(text, 1, q),
                want,
                "{:?}",
                String::from_utf8_lossy(text)
            );
        }
    }
}
