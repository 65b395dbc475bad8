//! Conversion throughput (issue "scale"): the work of `m1tom2 data` on one
//! core, on a store that `m1tom2-gen` writes, against the Magento 2.4.8
//! baseline of the shared corpus.
//!
//! Groups (throughput = the source dump's bytes):
//! - `prepare`: [`Session::prepare`]: maps, baseline, the source's schema, the
//!   plan, the step tables and the key pass over the source.
//! - `convert`: [`Session::run`] into an output file: every row transformed,
//!   checked against the foreign keys and written as batched INSERTs.
//!
//! Run: `cargo bench --bench convert`. The store's scale is
//! `BENCH_CONVERT_PRODUCTS` (default 4000; orders ×2, customers ×1.2), the
//! baseline `BENCH_BASELINE` (default ../shared/corpus/dumps/m2-2.4.8-mariadb.sql).
//! Without a baseline the benchmark says so and measures nothing.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use m1tom2::convert::{Options, Session};
use m1tom2::write::output::Output;

fn baseline() -> Option<PathBuf> {
    let p = std::env::var_os("BENCH_BASELINE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/corpus/dumps/m2-2.4.8-mariadb.sql")
        });
    p.is_file().then_some(p)
}

fn convert(c: &mut Criterion) {
    let Some(baseline) = baseline() else {
        eprintln!("convert bench: no Magento 2 baseline (set BENCH_BASELINE); nothing measured");
        return;
    };
    let products: u64 = std::env::var("BENCH_CONVERT_PRODUCTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4000);
    let dir = tempfile::tempdir().expect("tempdir");
    let source = dir.path().join("store.sql");
    let status = Command::new(env!("CARGO_BIN_EXE_m1tom2-gen"))
        .args(["--products", &products.to_string()])
        .args(["--orders", &(products * 2).to_string()])
        .args(["--customers", &(products * 6 / 5).to_string()])
        .args(["--seed", "7", "--out"])
        .arg(&source)
        .status()
        .expect("m1tom2-gen runs");
    assert!(status.success(), "m1tom2-gen failed");
    let bytes = std::fs::metadata(&source).expect("generated").len();
    let opts = || Options::new(source.clone(), baseline.clone());

    // One run to check the conversion is whole before anything is timed.
    let session = Session::prepare(opts()).expect("prepare");
    let out_path = dir.path().join("out.sql");
    let mut out = Output::create(&out_path).expect("output");
    let outcome = session.run(Some(&mut out)).expect("convert");
    out.finish().expect("finish");
    let rows: u64 = outcome.report.tables.iter().map(|t| t.source_rows).sum();
    let written: u64 = outcome.report.tables.iter().map(|t| t.written_rows).sum();
    assert!(rows > 0 && written > 0, "the store converts");
    eprintln!(
        "generated store: {bytes} bytes, {rows} source rows, {written} written; output {} bytes",
        std::fs::metadata(&out_path).map(|m| m.len()).unwrap_or(0)
    );

    let mut g = c.benchmark_group("prepare");
    g.throughput(Throughput::Bytes(bytes));
    g.sampling_mode(SamplingMode::Flat);
    g.bench_function("generated_store", |b| {
        b.iter(|| Session::prepare(black_box(opts())).expect("prepare"))
    });
    g.finish();

    let mut g = c.benchmark_group("convert");
    g.throughput(Throughput::Bytes(bytes));
    g.sampling_mode(SamplingMode::Flat);
    g.bench_function("generated_store", |b| {
        b.iter(|| {
            let mut out = Output::create(&out_path).expect("output");
            let o = session.run(Some(&mut out)).expect("convert");
            out.finish().expect("finish");
            o.report.tables.len()
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    targets = convert
}
criterion_main!(benches);
