//! Runs a parsed command line: opens inputs, calls the library, prints.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::cli::{Cli, Command, Inputs, KeyArgs, OutputArgs};
use m1tom2::convert::{Options, Session};
use m1tom2::dump::Dump;
use m1tom2::inspect::{self, Inspection};
use m1tom2::transform::crypt::{M1Key, M2Key};
use m1tom2::write::output::Output;

/// The options of `data`, `settings` and `check`; `out` is the import file.
fn options(i: Inputs, threads: usize, out: Option<&Path>) -> Result<Options> {
    let mut o = Options::new(i.source, i.target);
    o.spool_dir = match (i.no_spool, i.spool_dir) {
        (true, _) => None,
        (false, Some(dir)) if !dir.is_dir() => {
            return Err(m1tom2::Error::Config(format!(
                "--spool-dir {}: not a directory",
                dir.display()
            ))
            .into());
        }
        (false, Some(dir)) => Some(dir),
        (false, None) => Some(spool_beside(out)?),
    };
    o.map_dir = i.map_dir;
    o.dmt_map = i.dmt_map;
    o.builtin_maps = !i.no_builtin_maps;
    o.source_prefix = i.source_prefix;
    o.dest_prefix = i.dest_prefix;
    o.source_time_zone = i.source_time_zone;
    o.threads = threads;
    o.keep_orphans = i.orphans == crate::cli::Orphans::Keep;
    o.settings_maps = i.settings_map;
    Ok(o)
}

/// Where a gzip source is spooled by default: beside the import file when it
/// is a file to be written (room is needed there anyway), else the temporary
/// directory.
fn spool_beside(out: Option<&Path>) -> Result<PathBuf> {
    let staged = match out {
        Some(p) => Output::staging(p)?,
        None => None,
    };
    Ok(staged.map_or_else(std::env::temp_dir, |(_, dir)| dir))
}

/// `data` and `settings`: prepare, refuse on problems, convert, report.
fn convert(mut opts: Options, output: &OutputArgs) -> Result<()> {
    opts.max_statement_bytes = output.max_statement_bytes;
    let session = Session::prepare(opts)?;
    if !session.problems().is_empty() {
        print_problems(&session);
        return Err(Refused(session.problems().len()).into());
    }
    let mut file = Output::create(&output.out)?;
    let bar = progress_bar(session.source_len());
    let outcome = session.run_with_progress(Some(&mut file), &mut |pos| bar.set_position(pos))?;
    bar.finish_and_clear();
    file.finish()?;
    if let Some(path) = &output.report {
        let json = serde_json::to_vec_pretty(&outcome.report)?;
        std::fs::write(path, json).with_context(|| format!("writing {}", path.display()))?;
    }
    eprint!("{}", outcome.report.summary());
    Ok(())
}

/// Reads the keys the options give: both or neither.
fn crypt_keys(k: &KeyArgs) -> Result<Option<(M1Key, M2Key)>> {
    let usage = |e: String| m1tom2::Error::Config(e);
    let m1 = match (&k.m1_crypt_key, &k.m1_local_xml) {
        (Some(key), _) => Some(
            M1Key::new(key.trim().as_bytes()).map_err(|e| usage(format!("--m1-crypt-key: {e}")))?,
        ),
        (None, Some(path)) => {
            let xml = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            Some(
                M1Key::from_local_xml(&xml)
                    .map_err(|e| usage(format!("{}: {e}", path.display())))?,
            )
        }
        (None, None) => None,
    };
    let m2 = match (&k.m2_crypt_key, &k.m2_env) {
        (Some(key), _) => Some(
            M2Key::from_crypt_key(key.as_bytes())
                .map_err(|e| usage(format!("--m2-crypt-key: {e}")))?,
        ),
        (None, Some(path)) => {
            let php = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            Some(M2Key::from_env_php(&php).map_err(|e| usage(format!("{}: {e}", path.display())))?)
        }
        (None, None) => None,
    };
    match (m1, m2) {
        (Some(a), Some(b)) => Ok(Some((a, b))),
        (None, None) => Ok(None),
        _ => Err(usage(
            "re-encryption needs both keys: the Magento 1 key (--m1-crypt-key or --m1-local-xml) and the Magento 2 key (--m2-crypt-key or --m2-env)".into(),
        )
        .into()),
    }
}

/// Problems found before any row was written.
#[derive(Debug)]
pub struct Refused(pub usize);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} integrity problems (listed above); add the suggested rules to a file in --map-dir, or run with --auto to drop the unmapped data",
            self.0
        )
    }
}

impl std::error::Error for Refused {}

/// A progress bar on stderr when it is a terminal; hidden otherwise.
fn progress_bar(len: Option<u64>) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    match len {
        Some(n) => indicatif::ProgressBar::new(n).with_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        ),
        None => indicatif::ProgressBar::new_spinner().with_style(
            indicatif::ProgressStyle::with_template("{spinner} {bytes} read {bytes_per_sec}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        ),
    }
}

fn print_problems(s: &Session) {
    for p in s.problems() {
        eprintln!("problem: {}", p.message);
        if !p.suggestion.is_empty() {
            for line in p.suggestion.lines() {
                eprintln!("    {line}");
            }
        }
    }
}

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
        Command::Data {
            inputs,
            output,
            auto,
            keys,
        } => {
            let mut opts = options(inputs, threads, Some(&output.out))?;
            opts.auto = auto;
            opts.crypt = crypt_keys(&keys)?;
            convert(opts, &output)
        }
        Command::Settings {
            inputs,
            output,
            keys,
        } => {
            let mut opts = options(inputs, threads, Some(&output.out))?;
            opts.crypt = crypt_keys(&keys)?;
            opts.settings_only = true;
            convert(opts, &output)
        }
        Command::Check { inputs, json } => {
            let session = Session::prepare(options(inputs, threads, None)?)?;
            let outcome = session.run(None)?;
            let problems = session.problems();
            // The values `data` would fit to their Magento 2 columns.
            let fitted: Vec<&String> = outcome
                .report
                .warnings
                .iter()
                .filter(|w| m1tom2::convert::fit::MESSAGES.iter().any(|m| w.contains(m)))
                .collect();
            // How the source's TIMESTAMP values are read, when it matters.
            let time_zone = outcome
                .report
                .warnings
                .iter()
                .find(|w| w.starts_with(m1tom2::convert::fit::ZONE_NOTE));
            if json {
                let v = serde_json::json!({
                    "problems": problems,
                    "fitted": fitted,
                    "time_zone": time_zone,
                    "orphans": outcome.orphans.iter().map(|(k, ids)| serde_json::json!({"key": k, "ids": ids})).collect::<Vec<_>>(),
                    "tables": outcome.report.tables,
                });
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                print_problems(&session);
                for (k, ids) in &outcome.orphans {
                    let shown: Vec<&str> = ids.iter().take(20).map(String::as_str).collect();
                    println!("orphans under {k}: {} ids: {}", ids.len(), shown.join(", "));
                }
                for w in fitted.iter().chain(&time_zone) {
                    println!("{w}");
                }
                println!(
                    "{} problems, {} foreign keys with orphans",
                    problems.len(),
                    outcome.orphans.len()
                );
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(Refused(problems.len()).into())
            }
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
