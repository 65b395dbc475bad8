//! Pure value transforms used by the map handlers: PHP serialized data to
//! JSON, widget placeholders, IP addresses. Bytes in, bytes out; no I/O.

pub mod crypt;
pub mod magento;
pub mod php;
