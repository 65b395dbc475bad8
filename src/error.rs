//! Typed errors of the library, each carrying where it happened.
//!
//! A dump error names the file, the byte offset (of the decompressed stream
//! when the input is gzip), the line, the table when one is known, and what
//! was expected. The binary maps [`Error::exit_code`] to the process exit
//! status; the table of codes lives here and in the README and is never
//! renumbered.

use std::fmt;
use std::path::PathBuf;

/// Where in a dump something happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The dump's name as the user gave it (`-` for standard input).
    pub file: String,
    /// Byte offset from the start of the (decompressed) input.
    pub offset: u64,
    /// 1-based line number of `offset`.
    pub line: u64,
    /// The table the statement was about, when known.
    pub table: Option<String>,
    /// True when offsets count decompressed bytes.
    pub decompressed: bool,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: byte offset {}", self.file, self.offset)?;
        if self.decompressed {
            f.write_str(" (decompressed)")?;
        }
        write!(f, ", line {}", self.line)?;
        if let Some(t) = &self.table {
            write!(f, ", table `{t}`")?;
        }
        Ok(())
    }
}

/// Exit codes of the `m1tom2` binary. Documented in the README; never renumbered.
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// The run finished but found problems it refuses to act on (for example unmapped data).
    pub const PROBLEMS: u8 = 1;
    /// Bad command line, map or configuration; no input was read.
    pub const USAGE: u8 = 2;
    /// The input dump is malformed or truncated.
    pub const MALFORMED: u8 = 3;
    /// Reading input or writing output failed.
    pub const IO: u8 = 4;
}

/// Every error the library returns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Opening, reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The dump is malformed at a known place.
    #[error("{loc}: {message}")]
    Malformed {
        /// Where.
        loc: Box<Location>,
        /// What was expected and what was found.
        message: String,
    },
    /// A configuration or argument problem found before any data was read.
    #[error("{0}")]
    Config(String),
}

impl Error {
    /// The process exit code this error maps to.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Io { .. } => exit::IO,
            Error::Malformed { .. } => exit::MALFORMED,
            Error::Config(_) => exit::USAGE,
        }
    }

    /// Builds an I/O error for `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error inside one statement, before the dump-level location is known.
///
/// `at` is relative to the start of the statement text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementError {
    /// Byte offset inside the statement.
    pub at: usize,
    /// What was expected, and what was found.
    pub message: String,
}

impl StatementError {
    /// A new error at `at` with `message`.
    pub fn new(at: usize, message: impl Into<String>) -> Self {
        StatementError {
            at,
            message: message.into(),
        }
    }
}

impl fmt::Display for StatementError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at +{}: {}", self.at, self.message)
    }
}

/// Describes the bytes found at a place, for "expected X, found Y" messages.
pub fn found(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "end of statement".to_string();
    }
    let take = bytes.len().min(24);
    let shown = String::from_utf8_lossy(&bytes[..take]);
    let more = if bytes.len() > take { "…" } else { "" };
    format!("`{}{}`", shown.escape_debug(), more)
}
