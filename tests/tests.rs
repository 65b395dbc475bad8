//! The integration tests, one binary (see Cargo.toml `autotests = false`).

mod util;

mod cli;
mod corpus;
mod data;
mod dialects;
mod eav_fixture;
mod errors;
mod generator;
pub mod hard_values;
mod identity;
