//! Reader throughput on a synthetic mysqldump (issue "read dumps exactly and fast").
//!
//! The input is built in memory, deterministically: about 64 MiB of
//! mysqldump-style text with the usual header, `DROP`/`CREATE TABLE`,
//! `LOCK TABLES`, executable comments, and extended INSERTs of about 1 MiB
//! each mixing numbers, NULLs, dates, short and long strings with every
//! escape mysqldump writes (`\'` `\"` `\\` `\n` `\r` `\0` `\Z`) and multibyte
//! UTF-8.
//!
//! Groups (throughput = the whole input's bytes, so figures compare):
//! - `split`: [`Splitter::next`] over the whole buffer.
//! - `tokenize`: `Insert::parse(text)?.rows().count()` over every INSERT.
//! - `split_and_tokenize`: both in one pass, as `inspect --threads 1` does.
//! - `unescape`: [`literal::unescape`] of every quoted value's body
//!   (throughput = the bodies' bytes).
//! - `escape`: [`literal::escape_into`] of every unescaped value
//!   (throughput = the same bytes).
//! - `write_rows`: every tokenized row rendered in canonical form with
//!   [`sql::push_insert_head`] and [`sql::push_row`], the writer's per-row work
//!   (throughput = the INSERT statements' bytes).
//!
//! Run: `cargo bench --bench reader`.

use std::hint::black_box;
use std::ops::Range;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use m1tom2::dump::split::{Splitter, Step};
use m1tom2::dump::{Insert, Value, literal};
use m1tom2::write::sql;

/// Size of the synthetic dump.
const TARGET_BYTES: usize = 64 << 20;
/// Largest INSERT statement, like mysqldump's default `net_buffer_length` chunks.
const STATEMENT_BYTES: usize = 1 << 20;

/// xorshift64*: deterministic and good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Words for text values: ASCII, Latin, CJK, Greek, Cyrillic, symbols, and raw
/// characters mysqldump must escape.
const WORDS: &[&str] = &[
    "the",
    "order",
    "customer",
    "shipping",
    "please",
    "deliver",
    "before",
    "noon",
    "gift",
    "wrap",
    "fragile",
    "O'Brien",
    "l'été",
    "café",
    "naïve",
    "Größe",
    "Straße",
    "日本",
    "東京都",
    "Ελληνικά",
    "Привет",
    "€ ✓",
    "C:\\temp\\file",
    "\"quoted\"",
    "line\nbreak",
    "crlf\r\nend",
    "nul\0byte",
    "ctrl-z\x1a",
    "50%",
    "a;b",
    "(x,y)",
    "--not a comment",
    "/* nor this */",
    "#hash",
    "`tick`",
    "tab\there",
];

const FIRST: &[&str] = &[
    "John", "Mary", "Seán", "Zoë", "José", "Ana", "Łukasz", "Jürgen", "花子", "Иван",
];
const LAST: &[&str] = &[
    "Smith",
    "O'Brien",
    "Müller",
    "García",
    "Nguyễn",
    "D'Angelo",
    "山田",
    "Ковалёв",
];
const STATES: &[&str] = &[
    "pending",
    "processing",
    "complete",
    "canceled",
    "closed",
    "holded",
];

/// Appends `raw` as a single-quoted string escaped the way mysqldump escapes.
fn push_str(out: &mut String, raw: &str) {
    out.push('\'');
    for c in raw.chars() {
        match c {
            '\0' => out.push_str("\\0"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '\x1a' => out.push_str("\\Z"),
            c => out.push(c),
        }
    }
    out.push('\'');
}

fn text(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(WORDS));
    }
    s
}

fn push_date(out: &mut String, rng: &mut Rng) {
    use std::fmt::Write;
    let _ = write!(
        out,
        "'20{:02}-{:02}-{:02} {:02}:{:02}:{:02}'",
        8 + rng.below(8),
        1 + rng.below(12),
        1 + rng.below(28),
        rng.below(24),
        rng.below(60),
        rng.below(60)
    );
}

fn push_decimal(out: &mut String, rng: &mut Rng, max: u64) {
    use std::fmt::Write;
    let _ = write!(out, "{}.{:04}", rng.below(max), rng.below(10_000));
}

fn push_int(out: &mut String, v: u64) {
    use std::fmt::Write;
    let _ = write!(out, "{v}");
}

/// A table of the synthetic dump: its DDL and a row writer.
struct Table {
    name: &'static str,
    create: &'static str,
    /// Share of the data bytes, in percent.
    share: usize,
    row: fn(&mut String, &mut Rng, u64),
}

fn order_row(out: &mut String, rng: &mut Rng, id: u64) {
    out.push('(');
    push_int(out, id);
    out.push(',');
    let state = rng.pick(STATES);
    push_str(out, state);
    out.push(',');
    push_str(out, state);
    out.push(',');
    if rng.chance(80) {
        out.push_str("NULL");
    } else {
        push_str(out, &format!("SAVE{}", rng.below(100)));
    }
    out.push(',');
    push_decimal(out, rng, 5000);
    out.push(',');
    push_decimal(out, rng, 50);
    out.push(',');
    push_int(out, rng.below(5));
    out.push(',');
    push_int(out, 1 + rng.below(100_000));
    out.push(',');
    let first = rng.pick(FIRST);
    let last = rng.pick(LAST);
    push_str(out, &format!("{first}.{id}@example.com"));
    out.push(',');
    push_str(out, first);
    out.push(',');
    push_str(out, last);
    out.push(',');
    if rng.chance(60) {
        out.push_str("NULL");
    } else {
        let n = if rng.chance(10) {
            100 + rng.below(300)
        } else {
            3 + rng.below(20)
        };
        push_str(out, &text(rng, n as usize));
    }
    out.push(',');
    push_str(out, &format!("1000{id:05}"));
    out.push(',');
    push_date(out, rng);
    out.push(',');
    push_date(out, rng);
    out.push(')');
}

fn item_row(out: &mut String, rng: &mut Rng, id: u64) {
    out.push('(');
    push_int(out, id);
    out.push(',');
    push_int(out, 1 + id / 3);
    out.push(',');
    push_int(out, 1 + rng.below(20_000));
    out.push(',');
    push_str(out, &format!("SKU-{:06}", rng.below(1_000_000)));
    out.push(',');
    let words = 2 + rng.below(5) as usize;
    push_str(out, &text(rng, words));
    out.push(',');
    // A serialized PHP array, as Magento stores product options.
    let label = rng.pick(WORDS);
    push_str(
        out,
        &format!(
            "a:2:{{s:15:\"info_buyRequest\";a:1:{{s:3:\"qty\";i:{};}}s:5:\"label\";s:{}:\"{}\";}}",
            1 + rng.below(9),
            label.len(),
            label
        ),
    );
    out.push(',');
    if rng.chance(30) {
        out.push_str("NULL");
    } else {
        push_decimal(out, rng, 20);
    }
    out.push(',');
    push_decimal(out, rng, 10);
    out.push(',');
    push_decimal(out, rng, 2000);
    out.push(',');
    push_date(out, rng);
    out.push(')');
}

fn varchar_row(out: &mut String, rng: &mut Rng, id: u64) {
    out.push('(');
    push_int(out, id);
    out.push_str(",4,");
    push_int(out, 60 + rng.below(120));
    out.push(',');
    push_int(out, rng.below(3));
    out.push(',');
    push_int(out, 1 + rng.below(20_000));
    out.push(',');
    if rng.chance(5) {
        out.push_str("NULL");
    } else {
        let words = 1 + rng.below(12) as usize;
        push_str(out, &text(rng, words));
    }
    out.push(')');
}

fn customer_row(out: &mut String, rng: &mut Rng, id: u64) {
    out.push('(');
    push_int(out, id);
    out.push_str(",1,0,");
    push_int(out, 1 + rng.below(2));
    out.push(',');
    push_str(out, &format!("{}.{}@example.org", rng.pick(FIRST), id));
    out.push(',');
    push_int(out, 1 + rng.below(3));
    out.push_str(",NULL,");
    push_int(out, rng.below(3));
    out.push(',');
    push_date(out, rng);
    out.push(',');
    push_date(out, rng);
    out.push(',');
    push_int(out, rng.below(2));
    out.push(')');
}

const TABLES: &[Table] = &[
    Table {
        name: "sales_flat_order",
        create: "CREATE TABLE `sales_flat_order` (\n  `entity_id` int(10) unsigned NOT NULL AUTO_INCREMENT COMMENT 'Entity Id',\n  `state` varchar(32) DEFAULT NULL,\n  `status` varchar(32) DEFAULT NULL,\n  `coupon_code` varchar(255) DEFAULT NULL,\n  `grand_total` decimal(12,4) DEFAULT NULL,\n  `shipping_amount` decimal(12,4) DEFAULT NULL,\n  `store_id` smallint(5) unsigned DEFAULT NULL,\n  `customer_id` int(10) unsigned DEFAULT NULL,\n  `customer_email` varchar(255) DEFAULT NULL,\n  `customer_firstname` varchar(255) DEFAULT NULL,\n  `customer_lastname` varchar(255) DEFAULT NULL,\n  `customer_note` text,\n  `increment_id` varchar(50) DEFAULT NULL,\n  `created_at` timestamp NULL DEFAULT NULL,\n  `updated_at` timestamp NULL DEFAULT NULL,\n  PRIMARY KEY (`entity_id`),\n  UNIQUE KEY `UNQ_SALES_FLAT_ORDER_INCREMENT_ID` (`increment_id`),\n  KEY `IDX_SALES_FLAT_ORDER_STATUS` (`status`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8 COMMENT='Sales Flat Order'",
        share: 30,
        row: order_row,
    },
    Table {
        name: "sales_flat_order_item",
        create: "CREATE TABLE `sales_flat_order_item` (\n  `item_id` int(10) unsigned NOT NULL AUTO_INCREMENT,\n  `order_id` int(10) unsigned NOT NULL DEFAULT '0',\n  `product_id` int(10) unsigned DEFAULT NULL,\n  `sku` varchar(255) DEFAULT NULL,\n  `name` varchar(255) DEFAULT NULL,\n  `product_options` text,\n  `weight` decimal(12,4) DEFAULT '0.0000',\n  `qty_ordered` decimal(12,4) DEFAULT '0.0000',\n  `price` decimal(12,4) NOT NULL DEFAULT '0.0000',\n  `created_at` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,\n  PRIMARY KEY (`item_id`),\n  KEY `IDX_SALES_FLAT_ORDER_ITEM_ORDER_ID` (`order_id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8",
        share: 35,
        row: item_row,
    },
    Table {
        name: "catalog_product_entity_varchar",
        create: "CREATE TABLE `catalog_product_entity_varchar` (\n  `value_id` int(11) NOT NULL AUTO_INCREMENT,\n  `entity_type_id` smallint(5) unsigned NOT NULL DEFAULT '0',\n  `attribute_id` smallint(5) unsigned NOT NULL DEFAULT '0',\n  `store_id` smallint(5) unsigned NOT NULL DEFAULT '0',\n  `entity_id` int(10) unsigned NOT NULL DEFAULT '0',\n  `value` varchar(255) DEFAULT NULL,\n  PRIMARY KEY (`value_id`),\n  KEY `IDX_CAT_PRD_ENTT_VCHR_ENTT_ID_ATTR_ID_STORE_ID` (`entity_id`,`attribute_id`,`store_id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8",
        share: 20,
        row: varchar_row,
    },
    Table {
        name: "customer_entity",
        create: "CREATE TABLE `customer_entity` (\n  `entity_id` int(10) unsigned NOT NULL AUTO_INCREMENT,\n  `entity_type_id` smallint(8) unsigned NOT NULL DEFAULT '0',\n  `attribute_set_id` smallint(5) unsigned NOT NULL DEFAULT '0',\n  `website_id` smallint(5) unsigned DEFAULT NULL,\n  `email` varchar(255) DEFAULT NULL,\n  `group_id` smallint(5) unsigned NOT NULL DEFAULT '0',\n  `increment_id` varchar(50) DEFAULT NULL,\n  `store_id` smallint(5) unsigned DEFAULT '0',\n  `created_at` timestamp NOT NULL DEFAULT '0000-00-00 00:00:00',\n  `updated_at` timestamp NOT NULL DEFAULT '0000-00-00 00:00:00',\n  `is_active` smallint(5) unsigned NOT NULL DEFAULT '1',\n  PRIMARY KEY (`entity_id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8",
        share: 15,
        row: customer_row,
    },
];

/// The synthetic dump, and what the generator knows about it.
struct Input {
    bytes: Vec<u8>,
    statements: u64,
    rows: u64,
}

fn synthesise() -> Input {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = String::with_capacity(TARGET_BYTES + (2 << 20));
    let mut statements = 0u64;
    let mut rows = 0u64;
    out.push_str(
        "-- MySQL dump 10.13  Distrib 5.6.51, for Linux (x86_64)\n--\n\
         -- Host: localhost    Database: magento\n\
         -- ------------------------------------------------------\n\
         -- Server version\t5.6.51-log\n\n\
         /*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n\
         /*!40101 SET NAMES utf8 */;\n\
         /*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;\n\
         /*!40103 SET TIME_ZONE='+00:00' */;\n\
         /*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;\n\
         /*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;\n\
         /*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;\n\n",
    );
    statements += 7;
    let mut row = String::new();
    for t in TABLES {
        let name = t.name;
        out.push_str(&format!(
            "--\n-- Table structure for table `{name}`\n--\n\n\
             DROP TABLE IF EXISTS `{name}`;\n\
             /*!40101 SET @saved_cs_client     = @@character_set_client */;\n\
             /*!40101 SET character_set_client = utf8 */;\n\
             {};\n\
             /*!40101 SET character_set_client = @saved_cs_client */;\n\n\
             --\n-- Dumping data for table `{name}`\n--\n\n\
             LOCK TABLES `{name}` WRITE;\n\
             /*!40000 ALTER TABLE `{name}` DISABLE KEYS */;\n",
            t.create
        ));
        statements += 7;
        let goal = out.len() + TARGET_BYTES * t.share / 100;
        let mut id = 1u64;
        let head = format!("INSERT INTO `{name}` VALUES ");
        // Stop at the statement that lands nearest the goal.
        while out.len() + STATEMENT_BYTES / 2 < goal {
            let start = out.len();
            out.push_str(&head);
            let mut first = true;
            loop {
                row.clear();
                (t.row)(&mut row, &mut rng, id);
                if !first && out.len() - start + row.len() + 2 > STATEMENT_BYTES {
                    break;
                }
                if !first {
                    out.push(',');
                }
                out.push_str(&row);
                first = false;
                id += 1;
                rows += 1;
            }
            out.push_str(";\n");
            statements += 1;
        }
        out.push_str(&format!(
            "/*!40000 ALTER TABLE `{name}` ENABLE KEYS */;\nUNLOCK TABLES;\n\n"
        ));
        statements += 2;
    }
    out.push_str(
        "/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;\n\
         /*!40101 SET SQL_MODE=@OLD_SQL_MODE */;\n\n\
         -- Dump completed on 2013-01-01 10:00:00\n",
    );
    statements += 2;
    Input {
        bytes: out.into_bytes(),
        statements,
        rows,
    }
}

/// Splits the whole buffer, calling `each` with every statement span; returns
/// the number of statements.
fn split(buf: &[u8], mut each: impl FnMut(Range<usize>)) -> u64 {
    let mut s = Splitter::new();
    let mut pos = 0;
    let mut n = 0;
    loop {
        match s.next(buf, pos, true).expect("the synthetic dump splits") {
            Step::Statement(span) => {
                pos = span.next;
                n += 1;
                each(span.start..span.end);
            }
            Step::End => return n,
            Step::NeedMore => panic!("the splitter asked for more at the end of input"),
        }
    }
}

fn is_insert(text: &[u8]) -> bool {
    text.starts_with(b"INSERT")
}

fn count_rows(text: &[u8]) -> u64 {
    Insert::parse(text)
        .expect("a synthetic INSERT head parses")
        .rows()
        .count()
        .expect("synthetic rows tokenize")
}

fn reader(c: &mut Criterion) {
    let input = synthesise();
    let buf = input.bytes.as_slice();
    let mut inserts = Vec::new();
    let statements = split(buf, |r| {
        if is_insert(&buf[r.clone()]) {
            inserts.push(r);
        }
    });
    assert_eq!(statements, input.statements, "statement count");
    let rows: u64 = inserts.iter().map(|r| count_rows(&buf[r.clone()])).sum();
    assert_eq!(rows, input.rows, "row count");
    eprintln!(
        "synthetic dump: {} bytes, {} statements, {} INSERTs, {} rows",
        buf.len(),
        statements,
        inserts.len(),
        rows
    );

    let bytes = Throughput::Bytes(buf.len() as u64);
    let mut group = |name: &str, f: &mut dyn FnMut() -> u64| {
        let mut g = c.benchmark_group(name);
        g.throughput(bytes.clone());
        g.sampling_mode(SamplingMode::Flat);
        g.bench_function("synthetic_64MiB", |b| b.iter(&mut *f));
        g.finish();
    };
    group("split", &mut || split(black_box(buf), |_| {}));
    group("tokenize", &mut || {
        inserts
            .iter()
            .map(|r| count_rows(black_box(&buf[r.clone()])))
            .sum()
    });
    // The row pass of `data`: each row read into its values' spans alone
    // (`Rows::lazy`, 64 bytes at a time) when it is in mysqldump's form.
    let spans_of = |text: &[u8], spans_only: &mut u64| -> u64 {
        let ins = Insert::parse(text).expect("a synthetic INSERT head parses");
        let mut rows = ins.rows().with_spans().lazy();
        let mut row = Vec::new();
        let mut values = 0;
        while rows.next_into(&mut row).expect("synthetic rows tokenize") {
            values += rows.spans().len() as u64;
            *spans_only += u64::from(rows.spans_only());
        }
        values
    };
    let mut spans_only = 0;
    for r in &inserts {
        spans_of(&buf[r.clone()], &mut spans_only);
    }
    assert_eq!(
        spans_only, input.rows,
        "every synthetic row is read into its spans"
    );
    group("tokenize_spans", &mut || {
        let mut n = 0;
        inserts
            .iter()
            .map(|r| spans_of(black_box(&buf[r.clone()]), &mut n))
            .sum()
    });
    group("split_and_tokenize", &mut || {
        let buf = black_box(buf);
        let mut rows = 0;
        split(buf, |r| {
            let text = &buf[r];
            if is_insert(text) {
                rows += count_rows(text);
            }
        });
        rows
    });

    // The quoted values, escaped as the dump has them and unescaped.
    let mut bodies: Vec<(&[u8], u8)> = Vec::new();
    for r in &inserts {
        let ins = Insert::parse(&buf[r.clone()]).expect("a synthetic INSERT head parses");
        let mut rows = ins.rows();
        let mut row = Vec::new();
        while rows.next_into(&mut row).expect("synthetic rows tokenize") {
            for v in &row {
                if let Value::Str { body, quote, .. } = v {
                    bodies.push((body, *quote));
                }
            }
        }
    }
    let plain: Vec<Vec<u8>> = bodies
        .iter()
        .map(|(b, q)| literal::unescape(b, *q).into_owned())
        .collect();
    // Escaping gives back the dump's bodies (mysqldump's escape set is the
    // canonical one), so neither group measures a broken transform.
    let mut out = Vec::new();
    for ((body, _), p) in bodies.iter().zip(&plain) {
        out.clear();
        literal::escape_into(&mut out, p);
        assert_eq!(&out[1..out.len() - 1], *body, "escape(unescape(x)) = x");
    }
    let body_bytes: u64 = bodies.iter().map(|(b, _)| b.len() as u64).sum();
    let insert_bytes: u64 = inserts.iter().map(|r| r.len() as u64).sum();
    eprintln!(
        "{} quoted values, {} bytes; INSERTs {} bytes",
        bodies.len(),
        body_bytes,
        insert_bytes
    );
    let mut sized = |name: &str, n: u64, f: &mut dyn FnMut() -> u64| {
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Bytes(n));
        g.sampling_mode(SamplingMode::Flat);
        g.bench_function("synthetic_64MiB", |b| b.iter(&mut *f));
        g.finish();
    };
    sized("unescape", body_bytes, &mut || {
        bodies
            .iter()
            .map(|(b, q)| literal::unescape(black_box(b), *q).len() as u64)
            .sum()
    });
    sized("escape", body_bytes, &mut || {
        let mut out = Vec::with_capacity(1 << 20);
        let mut n = 0;
        for p in &plain {
            literal::escape_into(&mut out, black_box(p));
            if out.len() > 1 << 20 {
                n += out.len() as u64;
                out.clear();
            }
        }
        n + out.len() as u64
    });
    sized("write_rows", insert_bytes, &mut || {
        let mut out = Vec::with_capacity(2 << 20);
        let mut n = 0;
        let mut row = Vec::new();
        for r in &inserts {
            let ins = Insert::parse(&buf[r.clone()]).expect("parses");
            sql::push_insert_head(&mut out, "t", None);
            let mut rows = ins.rows();
            let mut first = true;
            while rows.next_into(&mut row).expect("tokenizes") {
                if !first {
                    out.push(b',');
                }
                first = false;
                sql::push_row(&mut out, &row);
            }
            out.extend_from_slice(b";\n");
            n += out.len() as u64;
            out.clear();
        }
        n
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = reader
}
criterion_main!(benches);
