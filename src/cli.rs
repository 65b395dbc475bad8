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
    /// Convert a Magento 1 dump into a Magento 2 import file.
    Data {
        #[command(flatten)]
        inputs: Inputs,
        #[command(flatten)]
        output: OutputArgs,
        /// Drop unmapped tables and fields (counted in the report) instead of refusing.
        #[arg(long)]
        auto: bool,
        #[command(flatten)]
        keys: KeyArgs,
    },
    /// Migrate only the settings and the stores (like the DMT's
    /// migrate:settings): the baseline with Magento 1's configuration,
    /// websites, store groups and store views; all else is left for `data`.
    Settings {
        #[command(flatten)]
        inputs: Inputs,
        #[command(flatten)]
        output: OutputArgs,
        #[command(flatten)]
        keys: KeyArgs,
    },
    /// Check that the maps cover the source and the baseline: unmapped tables
    /// and fields, unfilled destination fields, orphan rows.
    Check {
        #[command(flatten)]
        inputs: Inputs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// The inputs of `data` and `check`.
#[derive(Debug, clap::Args)]
pub struct Inputs {
    /// The Magento 1 dump (plain or gzip).
    #[arg(long, value_name = "M1.sql")]
    pub source: PathBuf,
    /// A dump of the freshly installed Magento 2 database (schema and install data).
    #[arg(long, value_name = "M2-BASELINE.sql")]
    pub target: PathBuf,
    /// A directory of extra map files (`*.toml`), applied after the built-in maps.
    #[arg(long, value_name = "DIR")]
    pub map_dir: Option<PathBuf>,
    /// A customised DMT map.xml whose rules are applied last.
    #[arg(long, value_name = "map.xml")]
    pub dmt_map: Option<PathBuf>,
    /// A settings rules file (the format of maps/settings.toml: ignore, keep,
    /// rename, transform), applied after the built-in rules; repeatable.
    #[arg(long, value_name = "RULES.toml")]
    pub settings_map: Vec<PathBuf>,
    /// Do not start from the built-in maps (use only --map-dir and --dmt-map).
    #[arg(long)]
    pub no_builtin_maps: bool,
    /// The source table prefix, instead of detecting it (`""` for none).
    #[arg(long, value_name = "PREFIX")]
    pub source_prefix: Option<String>,
    /// The baseline's table prefix (`""` for none, the default).
    #[arg(long, value_name = "PREFIX")]
    pub dest_prefix: Option<String>,
    /// The time zone the source dump's TIMESTAMP values are written in, when
    /// the dump does not set one (SQLyog, `mysqldump --skip-tz-utc`): an IANA
    /// name (`Europe/Berlin`) or an offset (`+02:00`). They are converted to UTC.
    #[arg(long, value_name = "ZONE")]
    pub source_time_zone: Option<String>,
    /// Rows that break a foreign key of the Magento 2 schema (orphans in the
    /// source): drop them (default), or keep them. Either way they are reported.
    #[arg(long, value_enum, default_value_t = Orphans::Drop)]
    pub orphans: Orphans,
    /// Where a gzip source (or standard input) is kept once, decompressed,
    /// in an unnamed temporary file, for the later reads (default: beside
    /// --out, or the temporary directory). Not on a file system in memory,
    /// and only while it leaves as much room again plus 1 GiB. The record of
    /// a dump's statements that outgrows 8 MiB goes there too.
    #[arg(long, value_name = "DIR", conflicts_with = "no_spool")]
    pub spool_dir: Option<PathBuf>,
    /// Decompress a gzip source on every read (the conversion reads it three
    /// times) instead of keeping its bytes in a temporary file; a record of
    /// the statements past 8 MiB is given up (they are found again).
    #[arg(long)]
    pub no_spool: bool,
}

/// Where `data` and `settings` write.
#[derive(Debug, clap::Args)]
pub struct OutputArgs {
    /// The import file to write (`.gz` compresses; `-` is standard output).
    #[arg(long, value_name = "OUT.sql")]
    pub out: PathBuf,
    /// Write the volume report as JSON to this file.
    #[arg(long, value_name = "REPORT.json")]
    pub report: Option<PathBuf>,
    /// Largest INSERT statement written, in bytes (keep it under the server's max_allowed_packet).
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 20)]
    pub max_statement_bytes: usize,
}

/// What to do with orphan rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Orphans {
    /// Leave them out (and report them).
    Drop,
    /// Write them anyway (and report them).
    Keep,
}

/// The stores' encryption keys, for re-encrypting credentials.
#[derive(Debug, Default, clap::Args)]
pub struct KeyArgs {
    /// The Magento 1 key (app/etc/local.xml, global/crypt/key).
    #[arg(long, value_name = "KEY", conflicts_with = "m1_local_xml")]
    pub m1_crypt_key: Option<String>,
    /// Read the Magento 1 key from this app/etc/local.xml.
    #[arg(long, value_name = "local.xml")]
    pub m1_local_xml: Option<PathBuf>,
    /// The Magento 2 key (app/etc/env.php, crypt/key; several keys separated by
    /// whitespace: the last one encrypts).
    #[arg(long, value_name = "KEY", conflicts_with = "m2_env")]
    pub m2_crypt_key: Option<String>,
    /// Read the Magento 2 key from this app/etc/env.php.
    #[arg(long, value_name = "env.php")]
    pub m2_env: Option<PathBuf>,
}
