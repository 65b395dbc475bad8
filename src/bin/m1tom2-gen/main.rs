//! `m1tom2-gen`: writes a realistic Magento 1 CE 1.9 mysqldump of any size,
//! deterministic per seed, for tests and benchmarks of `m1tom2`.

mod catalog;
mod customers;
mod eav;
mod rng;
mod rules;
mod sales;
mod schema;
mod store;
mod text;
mod writer;

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Parser;

use crate::schema::Schema;
use crate::writer::{Dump, Ins};

/// Generate a Magento 1 (CE 1.9) database dump in mysqldump format.
#[derive(Parser, Debug)]
#[command(name = "m1tom2-gen", version)]
struct Cli {
    /// Number of catalog products
    #[arg(long, default_value_t = 177_000)]
    products: u64,
    /// Number of sales orders
    #[arg(long, default_value_t = 355_000)]
    orders: u64,
    /// Number of customer accounts
    #[arg(long, default_value_t = 214_000)]
    customers: u64,
    /// Number of store views (besides the admin store)
    #[arg(long, default_value_t = 3)]
    stores: u64,
    /// Random seed: the same arguments give a byte-identical file
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Output file (`.gz` compresses)
    #[arg(long)]
    out: PathBuf,
    /// Largest INSERT statement in bytes (mysqldump's net_buffer_length)
    #[arg(long, default_value_t = 1_048_576)]
    max_statement_bytes: usize,
    /// One row per INSERT statement (mysqldump's --skip-extended-insert)
    #[arg(long, conflicts_with = "max_statement_bytes")]
    skip_extended_insert: bool,
}

/// Everything the table writers share.
pub struct Gen {
    pub seed: u64,
    pub products: u64,
    pub orders: u64,
    pub customers: u64,
    pub stores: u64,
    pub schema: Schema,
    pub cats: Vec<catalog::Category>,
}

impl Gen {
    /// The attribute id of a standard attribute (a programming error when missing).
    pub fn attr(&self, et: i64, code: &str) -> i64 {
        match eav::find(et, code) {
            Some(a) => a.id,
            None => panic!("no attribute {code} of entity type {et}"),
        }
    }

    /// Writes one table.
    pub fn table<F>(&self, d: &mut Dump, name: &str, f: F) -> Result<u64>
    where
        F: FnOnce(&mut Ins) -> Result<()>,
    {
        let t = self.schema.table(name)?;
        writer::table(d, t, f)
    }
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    if cli.stores == 0 || cli.stores > 99 {
        bail!("--stores must be between 1 and 99");
    }
    if cli.max_statement_bytes < 4096 {
        bail!("--max-statement-bytes must be at least 4096");
    }
    let started = Instant::now();
    let file =
        File::create(&cli.out).with_context(|| format!("cannot create {}", cli.out.display()))?;
    let gz = cli.out.extension().is_some_and(|e| e == "gz");
    let out: Box<dyn writer::Sink> = if gz {
        Box::new(BufWriter::with_capacity(
            1 << 20,
            flate2::write::GzEncoder::new(
                BufWriter::with_capacity(1 << 20, file),
                flate2::Compression::fast(),
            ),
        ))
    } else {
        Box::new(BufWriter::with_capacity(1 << 20, file))
    };
    let g = Gen {
        seed: cli.seed,
        products: cli.products,
        orders: cli.orders,
        customers: cli.customers,
        stores: cli.stores,
        schema: Schema::load()?,
        cats: catalog::categories(cli.seed, cli.products),
    };
    let max_statement = if cli.skip_extended_insert {
        0
    } else {
        cli.max_statement_bytes
    };
    let mut d = Dump::new(out, max_statement);
    d.header()?;
    store::write(&g, &mut d)?;
    catalog::write(&g, &mut d)?;
    customers::write(&g, &mut d)?;
    sales::write(&g, &mut d)?;
    rules::write(&g, &mut d)?;
    store::write_cms(&g, &mut d)?;
    d.footer()?;
    let rows = d.total_rows;
    d.finish()
        .with_context(|| format!("cannot write {}", cli.out.display()))?;
    eprintln!(
        "m1tom2-gen: {} products, {} categories, {} customers, {} orders, {} store views: {} rows -> {} in {:.1}s",
        g.products,
        g.cats.len(),
        g.customers,
        g.orders,
        g.stores,
        rows,
        cli.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
