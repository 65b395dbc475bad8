//! Runs a parsed command line: opens inputs, calls the library, prints.

use std::io::Write;

use anyhow::{Context, Result};

use crate::cli::{Cli, Command};
use m1tom2::dump::Dump;
use m1tom2::inspect::{self, Inspection};

/// Runs the command.
pub fn run(cli: Cli) -> Result<()> {
    let threads = match cli.threads {
        Some(0) => anyhow::bail!(m1tom2::Error::Config("--threads must be at least 1".into())),
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    if threads > 1 {
        // Fails only when a pool already exists, which is fine.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global();
    }
    match cli.command {
        Command::Inspect {
            dump,
            json,
            source_prefix,
        } => {
            let d = Dump::open(&dump)?;
            let report = inspect::inspect(
                &d,
                &inspect::Options {
                    threads,
                    prefix: source_prefix,
                },
            )?;
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            if json {
                serde_json::to_writer_pretty(&mut out, &report).context("writing JSON")?;
                writeln!(out)?;
            } else {
                print_table(&mut out, &report)?;
            }
            out.flush()?;
            for w in &report.warnings {
                eprintln!("warning: {w}");
            }
            Ok(())
        }
    }
}

fn print_table(out: &mut impl Write, r: &Inspection) -> std::io::Result<()> {
    writeln!(out, "format:         {}", r.format)?;
    writeln!(
        out,
        "server version: {}",
        r.server_version.as_deref().unwrap_or("-")
    )?;
    writeln!(
        out,
        "table prefix:   {}",
        r.table_prefix.as_deref().unwrap_or("-")
    )?;
    let major = r
        .magento
        .major
        .map_or("unknown".to_string(), |m| m.to_string());
    writeln!(
        out,
        "magento:        {} ({})",
        major,
        r.magento
            .version_hint
            .as_deref()
            .unwrap_or("no version evidence")
    )?;
    let kinds: Vec<String> = r
        .statements
        .iter()
        .map(|(k, n)| format!("{} {}", k.name(), n))
        .collect();
    writeln!(out, "statements:     {}", kinds.join(", "))?;
    writeln!(out)?;
    let w = r
        .tables
        .iter()
        .map(|t| t.name.len())
        .max()
        .unwrap_or(5)
        .max(5);
    writeln!(
        out,
        "{:<w$}  {:>12}  {:>14}  {:>7}",
        "table", "rows", "data bytes", "columns"
    )?;
    let (mut rows, mut bytes) = (0u64, 0u64);
    for t in &r.tables {
        writeln!(
            out,
            "{:<w$}  {:>12}  {:>14}  {:>7}",
            t.name, t.rows, t.data_bytes, t.columns
        )?;
        rows += t.rows;
        bytes += t.data_bytes;
    }
    writeln!(
        out,
        "{:<w$}  {:>12}  {:>14}",
        format!("{} tables", r.tables.len()),
        rows,
        bytes
    )?;
    Ok(())
}
