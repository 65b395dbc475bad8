//! The `m1tom2` binary: parse the command line, run it, map errors to exit codes.

mod app;
mod cli;

use std::process::ExitCode;

use clap::Parser;
use m1tom2::error::exit;

/// glibc's allocator hands large blocks back to the system as soon as they are
/// freed (blocks over 128 KiB are mapped and unmapped one by one; the heap
/// top is trimmed past 128 KiB). Batches of rendered rows are allocated by a
/// worker and freed by the writer thread, a few MiB at a time, so each batch
/// would be faulted in afresh, and every unmap stops the other core to flush
/// its TLB. Larger thresholds keep those blocks for reuse: with 2 threads,
/// 3.6% less wall and CPU time at 4/20 of the benchmark store and 1.5% on the
/// whole store (a third less kernel time), for 3 to 12 MB more peak RSS.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    // SAFETY: mallopt only sets two of the allocator's parameters, and runs
    // before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 128 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}

fn main() -> ExitCode {
    tune_allocator();
    let cli = cli::Cli::parse();
    match app::run(cli) {
        Ok(()) => ExitCode::from(exit::OK),
        Err(e) => {
            // A closed pipe (`m1tom2 … | head`) is not a failure.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::from(exit::OK);
            }
            eprintln!("m1tom2: error: {e:#}");
            let code = if e.downcast_ref::<app::Refused>().is_some() {
                exit::PROBLEMS
            } else {
                e.chain()
                    .find_map(|c| c.downcast_ref::<m1tom2::Error>())
                    .map_or(exit::IO, m1tom2::Error::exit_code)
            };
            ExitCode::from(code)
        }
    }
}
