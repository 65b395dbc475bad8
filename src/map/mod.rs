//! Declarative table maps: what moves where, and the handlers that reshape values.

pub mod class_map;
pub mod dmt;
pub mod file;
pub mod handler;
pub mod idmap;
pub mod rules;

pub use file::{Deferred, MapFile, Side, Transform};
