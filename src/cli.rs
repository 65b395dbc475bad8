//! The command line, as clap sees it: raw values only, no I/O.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Migrate a Magento 1 database to Magento 2, offline, from dump files.
#[derive(Debug, Parser)]
#[command(name = "m1tom2", version, about, long_about = None)]
pub struct Cli {
    /// Worker threads (default: one per core). `--threads 1` reads without parallelism.
    #[arg(long, global = true, value_name = "N")]
    pub threads: Option<usize>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Report what a dump holds: format, server, prefix, Magento version, and
    /// per table its rows, data bytes and columns.
    Inspect {
        /// The dump: a path (plain or gzip) or `-` for standard input.
        dump: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// The table prefix, instead of detecting it (`""` for none).
        #[arg(long, value_name = "PREFIX")]
        source_prefix: Option<String>,
    },
}
