//! mysqldump-style output: header, per table DROP/CREATE/LOCK/INSERT/UNLOCK,
//! extended INSERTs cut at `net_buffer_length`, mysqldump's string escaping.

use std::io::Write;

use anyhow::Result;

use crate::schema::Table;

/// One value of a row.
#[derive(Clone, Debug)]
pub enum V {
    Null,
    Int(i64),
    /// A decimal(12,4) given in ten-thousandths.
    Dec(i64),
    /// An unquoted literal (a numeric default).
    Num(&'static str),
    /// A quoted string.
    S(&'static str),
    Text(String),
    /// Binary bytes, quoted and escaped (a varbinary or blob column).
    Bytes(Vec<u8>),
}

impl From<i64> for V {
    fn from(v: i64) -> V {
        V::Int(v)
    }
}
impl From<u64> for V {
    fn from(v: u64) -> V {
        V::Int(v as i64)
    }
}
impl From<i32> for V {
    fn from(v: i32) -> V {
        V::Int(v as i64)
    }
}
impl From<u32> for V {
    fn from(v: u32) -> V {
        V::Int(v as i64)
    }
}
impl From<usize> for V {
    fn from(v: usize) -> V {
        V::Int(v as i64)
    }
}
impl From<&'static str> for V {
    fn from(v: &'static str) -> V {
        V::S(v)
    }
}
impl From<String> for V {
    fn from(v: String) -> V {
        V::Text(v)
    }
}
impl From<Vec<u8>> for V {
    fn from(v: Vec<u8>) -> V {
        V::Bytes(v)
    }
}
impl<T: Into<V>> From<Option<T>> for V {
    fn from(v: Option<T>) -> V {
        v.map_or(V::Null, Into::into)
    }
}

/// Money in cents as a decimal(12,4).
pub fn money(cents: i64) -> V {
    V::Dec(cents * 100)
}

/// Appends `s` quoted and escaped as mysqldump does.
pub fn escape_into(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'\'');
    let mut start = 0;
    for (i, &b) in s.iter().enumerate() {
        let esc: &[u8] = match b {
            0 => b"\\0",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\\' => b"\\\\",
            b'\'' => b"\\'",
            b'"' => b"\\\"",
            0x1a => b"\\Z",
            _ => continue,
        };
        out.extend_from_slice(&s[start..i]);
        out.extend_from_slice(esc);
        start = i + 1;
    }
    out.extend_from_slice(&s[start..]);
    out.push(b'\'');
}

fn int_into(out: &mut Vec<u8>, v: i64) {
    out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
}

fn value_into(out: &mut Vec<u8>, v: &V) {
    match v {
        V::Null => out.extend_from_slice(b"NULL"),
        V::Int(i) => int_into(out, *i),
        V::Dec(d) => {
            if *d < 0 {
                out.push(b'-');
            }
            let a = d.unsigned_abs();
            int_into(out, (a / 10_000) as i64);
            let f = a % 10_000;
            out.push(b'.');
            out.push(b'0' + (f / 1000) as u8);
            out.push(b'0' + (f / 100 % 10) as u8);
            out.push(b'0' + (f / 10 % 10) as u8);
            out.push(b'0' + (f % 10) as u8);
        }
        V::Num(s) => out.extend_from_slice(s.as_bytes()),
        V::S(s) => escape_into(out, s.as_bytes()),
        V::Text(s) => escape_into(out, s.as_bytes()),
        V::Bytes(b) => escape_into(out, b),
    }
}

/// Where the dump goes; `finish` flushes and closes (ends the gzip stream).
pub trait Sink: Write {
    fn finish(self: Box<Self>) -> std::io::Result<()>;
}

impl Sink for std::io::BufWriter<std::fs::File> {
    fn finish(self: Box<Self>) -> std::io::Result<()> {
        let f = self.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()
    }
}

impl Sink for std::io::BufWriter<flate2::write::GzEncoder<std::io::BufWriter<std::fs::File>>> {
    fn finish(self: Box<Self>) -> std::io::Result<()> {
        let gz = self.into_inner().map_err(|e| e.into_error())?;
        let mut inner = gz.finish()?;
        inner.flush()?;
        let f = inner.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()
    }
}

pub struct Dump {
    out: Box<dyn Sink>,
    stmt: Vec<u8>,
    row: Vec<u8>,
    table: String,
    max: usize,
    pub total_rows: u64,
}

impl Dump {
    /// A dump whose INSERTs hold rows up to `max_statement` bytes (0: one
    /// row per INSERT).
    pub fn new(out: Box<dyn Sink>, max_statement: usize) -> Dump {
        Dump {
            out,
            stmt: Vec::with_capacity(max_statement + 64 * 1024),
            row: Vec::with_capacity(64 * 1024),
            table: String::new(),
            max: max_statement,
            total_rows: 0,
        }
    }

    pub fn header(&mut self) -> Result<()> {
        self.out.write_all(
            b"-- MySQL dump 10.13  Distrib 5.7.44, for Linux (x86_64)\n\
--\n\
-- Host: localhost    Database: magento\n\
-- ------------------------------------------------------\n\
-- Server version\t5.7.44-log\n\
\n\
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n\
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;\n\
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;\n\
/*!40101 SET NAMES utf8mb4 */;\n\
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;\n\
/*!40103 SET TIME_ZONE='+00:00' */;\n\
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;\n\
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;\n\
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;\n\
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;\n",
        )?;
        Ok(())
    }

    pub fn footer(&mut self) -> Result<()> {
        self.out.write_all(
            b"/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;\n\
\n\
/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;\n\
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;\n\
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;\n\
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;\n\
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;\n\
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;\n\
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;\n\
\n\
-- Dump completed on 2024-11-05  3:14:15\n",
        )?;
        Ok(())
    }

    pub fn finish(self) -> Result<()> {
        self.out.finish()?;
        Ok(())
    }

    fn begin(&mut self, t: &Table) -> Result<()> {
        let n = &t.name;
        write!(
            self.out,
            "\n--\n-- Table structure for table `{n}`\n--\n\n\
DROP TABLE IF EXISTS `{n}`;\n\
/*!40101 SET @saved_cs_client     = @@character_set_client */;\n\
/*!40101 SET character_set_client = utf8 */;\n\
{};\n\
/*!40101 SET character_set_client = @saved_cs_client */;\n\
\n--\n-- Dumping data for table `{n}`\n--\n\n\
LOCK TABLES `{n}` WRITE;\n\
/*!40000 ALTER TABLE `{n}` DISABLE KEYS */;\n",
            t.create_sql()
        )?;
        self.table.clone_from(n);
        Ok(())
    }

    fn flush_stmt(&mut self) -> Result<()> {
        if !self.stmt.is_empty() {
            self.stmt.extend_from_slice(b";\n");
            self.out.write_all(&self.stmt)?;
            self.stmt.clear();
        }
        Ok(())
    }

    fn push_row(&mut self, vals: &[V]) -> Result<()> {
        self.row.clear();
        self.row.push(b'(');
        for (i, v) in vals.iter().enumerate() {
            if i > 0 {
                self.row.push(b',');
            }
            value_into(&mut self.row, v);
        }
        self.row.push(b')');
        if !self.stmt.is_empty() && self.stmt.len() + 1 + self.row.len() + 2 > self.max {
            self.flush_stmt()?;
        }
        if self.stmt.is_empty() {
            self.stmt.extend_from_slice(b"INSERT INTO `");
            self.stmt.extend_from_slice(self.table.as_bytes());
            self.stmt.extend_from_slice(b"` VALUES ");
        } else {
            self.stmt.push(b',');
        }
        self.stmt.extend_from_slice(&self.row);
        self.total_rows += 1;
        Ok(())
    }

    fn end(&mut self) -> Result<()> {
        self.flush_stmt()?;
        let n = &self.table;
        write!(
            self.out,
            "/*!40000 ALTER TABLE `{n}` ENABLE KEYS */;\nUNLOCK TABLES;\n"
        )?;
        Ok(())
    }
}

/// Rows of one table being written.
pub struct Ins<'a> {
    d: &'a mut Dump,
    pub t: &'a Table,
    vals: Vec<V>,
    pub rows: u64,
}

impl<'a> Ins<'a> {
    pub fn set(&mut self, col: &str, v: impl Into<V>) -> &mut Self {
        let i = self.t.col(col);
        self.vals[i] = v.into();
        self
    }

    /// Writes the row and starts the next one from the defaults.
    pub fn push(&mut self) -> Result<()> {
        self.d.push_row(&self.vals)?;
        self.rows += 1;
        self.vals.clone_from_slice(self.t.defaults());
        Ok(())
    }
}

/// Writes one table: its structure, then the rows `f` pushes.
pub fn table<F>(d: &mut Dump, t: &Table, f: F) -> Result<u64>
where
    F: FnOnce(&mut Ins) -> Result<()>,
{
    d.begin(t)?;
    let mut ins = Ins {
        d,
        t,
        vals: t.defaults().to_vec(),
        rows: 0,
    };
    f(&mut ins)?;
    let rows = ins.rows;
    d.end()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_mysqldump() {
        let mut out = Vec::new();
        escape_into(&mut out, b"a'b\"c\\d\ne\rf\0g\x1ah\ti");
        assert_eq!(out, b"'a\\'b\\\"c\\\\d\\ne\\rf\\0g\\Zh\ti'".to_vec());
        let mut out = Vec::new();
        value_into(&mut out, &V::Dec(-12345));
        value_into(&mut out, &V::Dec(50_000));
        assert_eq!(out, b"-1.23455.0000".to_vec());
    }
}
