//! The integration tests, one binary (see Cargo.toml `autotests = false`).

mod util;

mod cli;
mod corpus;
mod errors;
mod hard_values;
