//! The `m1tom2` binary: parse the command line, run it, map errors to exit codes.

mod app;
mod cli;

use std::process::ExitCode;

use clap::Parser;
use m1tom2::error::exit;

fn main() -> ExitCode {
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
