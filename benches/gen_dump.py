#!/usr/bin/env python3
"""Writes a large, deterministic, mysqldump-style Magento 1 dump for benchmarks.

The output looks like `mysqldump --extended-insert` of a Magento 1.9 store on
MySQL 5.6: header, per table DROP/CREATE TABLE, LOCK TABLES, extended INSERTs
of at most 1 MiB (mysqldump's net_buffer_length chunks), executable comments.
Values mix integers, decimals, NULLs, dates, short and long strings with every
escape mysqldump writes (\\0 \\n \\r \\\\ \\' \\" \\Z) and multibyte UTF-8.

Speed: each table has a pool of pre-rendered rows (everything after the id);
a statement is the pool rows from a random start, with fresh ids, joined as
bytes. Writes ~1 GB in well under a minute.

It also writes a sidecar JSON with the rows and columns of each table, for
checking `m1tom2 inspect --json`.

Usage: gen_dump.py OUT.sql EXPECTED.json [--size BYTES] [--seed N]
"""

import argparse
import json
import os
import sys

STATEMENT_BYTES = 1 << 20
POOL_ROWS = 8192


class Rng:
    """xorshift64*: the same numbers on every Python version."""

    def __init__(self, seed):
        self.s = (seed * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF or 1

    def next(self):
        x = self.s
        x ^= x >> 12
        x ^= (x << 25) & 0xFFFFFFFFFFFFFFFF
        x ^= x >> 27
        self.s = x
        return (x * 0x2545F4914F6CDD1D) & 0xFFFFFFFFFFFFFFFF

    def below(self, n):
        return self.next() % n

    def chance(self, percent):
        return self.below(100) < percent

    def pick(self, items):
        return items[self.below(len(items))]


WORDS = [
    "the", "order", "customer", "shipping", "please", "deliver", "before",
    "noon", "gift", "wrap", "fragile", "O'Brien", "l'été", "café", "naïve",
    "Größe", "Straße", "日本", "東京都", "Ελληνικά", "Привет", "€ ✓",
    "C:\\temp\\file", '"quoted"', "line\nbreak", "crlf\r\nend", "nul\0byte",
    "ctrl-z\x1a", "50%", "a;b", "(x,y)", "--not a comment", "/* nor this */",
    "#hash", "`tick`", "tab\there", "<p>HTML</p>", "&amp;",
]
FIRST = ["John", "Mary", "Seán", "Zoë", "José", "Ana", "Łukasz", "Jürgen", "花子", "Иван"]
LAST = ["Smith", "O'Brien", "Müller", "García", "Nguyễn", "D'Angelo", "山田", "Ковалёв"]
STATES = ["pending", "processing", "complete", "canceled", "closed", "holded"]
CITIES = ["London", "Paris", "München", "Kraków", "東京", "New York", "Zürich", "Saint-Étienne"]

ESCAPES = {
    "\0": "\\0", "\n": "\\n", "\r": "\\r", "\\": "\\\\",
    "'": "\\'", '"': '\\"', "\x1a": "\\Z",
}
ESCAPE_TABLE = str.maketrans(ESCAPES)


def q(s):
    """A string literal escaped as mysqldump escapes it."""
    return "'" + s.translate(ESCAPE_TABLE) + "'"


def text(r, words):
    return " ".join(r.pick(WORDS) for _ in range(words))


def date(r):
    return "'20%02d-%02d-%02d %02d:%02d:%02d'" % (
        8 + r.below(8), 1 + r.below(12), 1 + r.below(28),
        r.below(24), r.below(60), r.below(60))


def dec(r, most):
    return "%d.%04d" % (r.below(most), r.below(10000))


def nullable(r, percent, value):
    return "NULL" if r.chance(percent) else value()


# Each table: DDL columns, share of the data bytes (percent), and a function
# rendering a row's values after the id, as a list of SQL literals.
def order_tail(r):
    state = r.pick(STATES)
    first, last = r.pick(FIRST), r.pick(LAST)
    long_note = r.chance(10)
    return [
        q(state), q(state),
        nullable(r, 80, lambda: q("SAVE%d" % r.below(100))),
        dec(r, 5000), dec(r, 50), str(r.below(5)), str(1 + r.below(100000)),
        q("%s.%d@example.com" % (first.lower(), r.below(10**6))),
        q(first), q(last),
        nullable(r, 60, lambda: q(text(r, 100 + r.below(300) if long_note else 3 + r.below(20)))),
        q("1000%05d" % r.below(100000)), date(r), date(r),
    ]


def item_tail(r):
    label = r.pick(WORDS)
    opts = 'a:2:{s:15:"info_buyRequest";a:1:{s:3:"qty";i:%d;}s:5:"label";s:%d:"%s";}' % (
        1 + r.below(9), len(label.encode()), label)
    return [
        str(1 + r.below(500000)), str(1 + r.below(20000)),
        q("SKU-%06d" % r.below(10**6)), q(text(r, 2 + r.below(5))), q(opts),
        nullable(r, 30, lambda: dec(r, 20)), dec(r, 10), dec(r, 2000), date(r),
    ]


def address_tail(r):
    return [
        str(1 + r.below(500000)), q(r.pick(["billing", "shipping"])),
        q(r.pick(FIRST)), q(r.pick(LAST)),
        q("%d %s" % (1 + r.below(999), text(r, 2))), q(r.pick(CITIES)),
        q("%05d" % r.below(100000)), q(r.pick(["GB", "FR", "DE", "PL", "JP", "US", "CH"])),
        nullable(r, 50, lambda: q("+44 %d" % r.below(10**9))),
    ]


def product_tail(r):
    return [
        "4", str(4 + r.below(10)), q(r.pick(["simple", "configurable", "bundle", "virtual"])),
        q("SKU-%06d" % r.below(10**6)), "0", "0", date(r), date(r),
    ]


def varchar_tail(r):
    return [
        "4", str(60 + r.below(120)), str(r.below(3)), str(1 + r.below(20000)),
        nullable(r, 5, lambda: q(text(r, 1 + r.below(12)))),
    ]


def product_text_tail(r):
    return [
        "4", str(r.pick([72, 73, 506])), str(r.below(3)), str(1 + r.below(20000)),
        nullable(r, 5, lambda: q("<p>" + text(r, 20 + r.below(400)) + "</p>")),
    ]


def customer_tail(r):
    return [
        "1", "0", str(1 + r.below(2)),
        q("%s.%d@example.org" % (r.pick(FIRST).lower(), r.below(10**6))),
        str(1 + r.below(3)), "NULL", str(r.below(3)), date(r), date(r), str(r.below(2)),
    ]


TABLES = [
    ("sales_flat_order", 14, [
        "`entity_id` int(10) unsigned NOT NULL AUTO_INCREMENT COMMENT 'Entity Id'",
        "`state` varchar(32) DEFAULT NULL COMMENT 'State'",
        "`status` varchar(32) DEFAULT NULL COMMENT 'Status'",
        "`coupon_code` varchar(255) DEFAULT NULL COMMENT 'Coupon Code'",
        "`grand_total` decimal(12,4) DEFAULT NULL COMMENT 'Grand Total'",
        "`shipping_amount` decimal(12,4) DEFAULT NULL COMMENT 'Shipping Amount'",
        "`store_id` smallint(5) unsigned DEFAULT NULL COMMENT 'Store Id'",
        "`customer_id` int(10) unsigned DEFAULT NULL COMMENT 'Customer Id'",
        "`customer_email` varchar(255) DEFAULT NULL COMMENT 'Customer Email'",
        "`customer_firstname` varchar(255) DEFAULT NULL COMMENT 'Customer Firstname'",
        "`customer_lastname` varchar(255) DEFAULT NULL COMMENT 'Customer Lastname'",
        "`customer_note` text COMMENT 'Customer Note'",
        "`increment_id` varchar(50) DEFAULT NULL COMMENT 'Increment Id'",
        "`created_at` timestamp NULL DEFAULT NULL COMMENT 'Created At'",
        "`updated_at` timestamp NULL DEFAULT NULL COMMENT 'Updated At'",
    ], ["PRIMARY KEY (`entity_id`)", "KEY `IDX_SALES_FLAT_ORDER_STATUS` (`status`)"],
        order_tail),
    ("sales_flat_order_item", 22, [
        "`item_id` int(10) unsigned NOT NULL AUTO_INCREMENT COMMENT 'Item Id'",
        "`order_id` int(10) unsigned NOT NULL DEFAULT '0' COMMENT 'Order Id'",
        "`product_id` int(10) unsigned DEFAULT NULL COMMENT 'Product Id'",
        "`sku` varchar(255) DEFAULT NULL COMMENT 'Sku'",
        "`name` varchar(255) DEFAULT NULL COMMENT 'Name'",
        "`product_options` text COMMENT 'Product Options'",
        "`weight` decimal(12,4) DEFAULT '0.0000' COMMENT 'Weight'",
        "`qty_ordered` decimal(12,4) DEFAULT '0.0000' COMMENT 'Qty Ordered'",
        "`price` decimal(12,4) NOT NULL DEFAULT '0.0000' COMMENT 'Price'",
        "`created_at` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP COMMENT 'Created At'",
    ], ["PRIMARY KEY (`item_id`)", "KEY `IDX_SALES_FLAT_ORDER_ITEM_ORDER_ID` (`order_id`)"],
        item_tail),
    ("sales_flat_order_address", 10, [
        "`entity_id` int(10) unsigned NOT NULL AUTO_INCREMENT COMMENT 'Entity Id'",
        "`parent_id` int(10) unsigned DEFAULT NULL COMMENT 'Parent Id'",
        "`address_type` varchar(255) DEFAULT NULL COMMENT 'Address Type'",
        "`firstname` varchar(255) DEFAULT NULL COMMENT 'Firstname'",
        "`lastname` varchar(255) DEFAULT NULL COMMENT 'Lastname'",
        "`street` varchar(255) DEFAULT NULL COMMENT 'Street'",
        "`city` varchar(255) DEFAULT NULL COMMENT 'City'",
        "`postcode` varchar(255) DEFAULT NULL COMMENT 'Postcode'",
        "`country_id` varchar(2) DEFAULT NULL COMMENT 'Country Id'",
        "`telephone` varchar(255) DEFAULT NULL COMMENT 'Telephone'",
    ], ["PRIMARY KEY (`entity_id`)", "KEY `IDX_SALES_FLAT_ORDER_ADDRESS_PARENT_ID` (`parent_id`)"],
        address_tail),
    ("catalog_product_entity", 4, [
        "`entity_id` int(10) unsigned NOT NULL AUTO_INCREMENT COMMENT 'Entity ID'",
        "`entity_type_id` smallint(5) unsigned NOT NULL DEFAULT '0' COMMENT 'Entity Type ID'",
        "`attribute_set_id` smallint(5) unsigned NOT NULL DEFAULT '0' COMMENT 'Attribute Set ID'",
        "`type_id` varchar(32) NOT NULL DEFAULT 'simple' COMMENT 'Type ID'",
        "`sku` varchar(64) DEFAULT NULL COMMENT 'SKU'",
        "`has_options` smallint(6) NOT NULL DEFAULT '0' COMMENT 'Has Options'",
        "`required_options` smallint(5) unsigned NOT NULL DEFAULT '0' COMMENT 'Required Options'",
        "`created_at` timestamp NULL DEFAULT NULL COMMENT 'Creation Time'",
        "`updated_at` timestamp NULL DEFAULT NULL COMMENT 'Update Time'",
    ], ["PRIMARY KEY (`entity_id`)", "KEY `IDX_CATALOG_PRODUCT_ENTITY_SKU` (`sku`)"],
        product_tail),
    ("catalog_product_entity_varchar", 20, [
        "`value_id` int(11) NOT NULL AUTO_INCREMENT COMMENT 'Value ID'",
        "`entity_type_id` smallint(5) unsigned NOT NULL DEFAULT '0' COMMENT 'Entity Type ID'",
        "`attribute_id` smallint(5) unsigned NOT NULL DEFAULT '0' COMMENT 'Attribute ID'",
        "`store_id` smallint(5) unsigned NOT NULL DEFAULT '0' COMMENT 'Store ID'",
        "`entity_id` int(10) unsigned NOT NULL DEFAULT '0' COMMENT 'Entity ID'",
        "`value` varchar(255) DEFAULT NULL COMMENT 'Value'",
    ], ["PRIMARY KEY (`value_id`)",
        "KEY `IDX_CAT_PRD_ENTT_VCHR_ENTT_ID_ATTR_ID_STORE_ID` (`entity_id`,`attribute_id`,`store_id`)"],
        varchar_tail),
    ("catalog_product_entity_text", 18, [
        "`value_id` int(11) NOT NULL AUTO_INCREMENT COMMENT 'Value ID'",
        "`entity_type_id` smallint(5) unsigned NOT NULL DEFAULT '0' COMMENT 'Entity Type ID'",
        "`attribute_id` smallint(5) unsigned NOT NULL DEFAULT '0' COMMENT 'Attribute ID'",
        "`store_id` smallint(5) unsigned NOT NULL DEFAULT '0' COMMENT 'Store ID'",
        "`entity_id` int(10) unsigned NOT NULL DEFAULT '0' COMMENT 'Entity ID'",
        "`value` text COMMENT 'Value'",
    ], ["PRIMARY KEY (`value_id`)"], product_text_tail),
    ("customer_entity", 12, [
        "`entity_id` int(10) unsigned NOT NULL AUTO_INCREMENT COMMENT 'Entity Id'",
        "`entity_type_id` smallint(5) unsigned NOT NULL DEFAULT '0' COMMENT 'Entity Type Id'",
        "`attribute_set_id` smallint(5) unsigned NOT NULL DEFAULT '0' COMMENT 'Attribute Set Id'",
        "`website_id` smallint(5) unsigned DEFAULT NULL COMMENT 'Website Id'",
        "`email` varchar(255) DEFAULT NULL COMMENT 'Email'",
        "`group_id` smallint(5) unsigned NOT NULL DEFAULT '0' COMMENT 'Group Id'",
        "`increment_id` varchar(50) DEFAULT NULL COMMENT 'Increment Id'",
        "`store_id` smallint(5) unsigned DEFAULT '0' COMMENT 'Store Id'",
        "`created_at` timestamp NOT NULL DEFAULT '0000-00-00 00:00:00' COMMENT 'Created At'",
        "`updated_at` timestamp NOT NULL DEFAULT '0000-00-00 00:00:00' COMMENT 'Updated At'",
        "`is_active` smallint(5) unsigned NOT NULL DEFAULT '1' COMMENT 'Is Active'",
    ], ["PRIMARY KEY (`entity_id`)", "KEY `IDX_CUSTOMER_ENTITY_EMAIL` (`email`)"],
        customer_tail),
]

# Small tables written whole, with fixed rows: (name, columns, keys, rows).
CORE_RESOURCE = ("core_resource", [
    "`code` varchar(50) NOT NULL COMMENT 'Resource Code'",
    "`version` varchar(50) DEFAULT NULL COMMENT 'Resource Version'",
    "`data_version` varchar(50) DEFAULT NULL COMMENT 'Data Version'",
], ["PRIMARY KEY (`code`)"], [
    ["'core_setup'", "'1.6.0.6'", "'1.6.0.6'"],
    ["'catalog_setup'", "'1.6.0.0.19.1.5'", "'1.6.0.0.19.1.5'"],
    ["'sales_setup'", "'1.6.0.10'", "'1.6.0.10'"],
    ["'customer_setup'", "'1.6.2.0.5'", "'1.6.2.0.5'"],
])
CORE_CONFIG = ("core_config_data", [
    "`config_id` int(10) unsigned NOT NULL AUTO_INCREMENT COMMENT 'Config Id'",
    "`scope` varchar(8) NOT NULL DEFAULT 'default' COMMENT 'Config Scope'",
    "`scope_id` int(11) NOT NULL DEFAULT '0' COMMENT 'Config Scope Id'",
    "`path` varchar(255) NOT NULL DEFAULT 'general' COMMENT 'Config Path'",
    "`value` text COMMENT 'Config Value'",
], ["PRIMARY KEY (`config_id`)"], [
    ["1", "'default'", "0", "'web/unsecure/base_url'", "'http://shop.example.com/'"],
    ["2", "'default'", "0", "'web/secure/base_url'", "'https://shop.example.com/'"],
    ["3", "'default'", "0", "'general/locale/code'", "'en_GB'"],
    ["4", "'stores'", "1", "'design/head/default_title'", "'L\\'Été \\\"Boutique\\\" 日本'"],
])

HEADER = """-- MySQL dump 10.13  Distrib 5.6.51, for Linux (x86_64)
--
-- Host: localhost    Database: magento
-- ------------------------------------------------------
-- Server version\t5.6.51-log

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!40101 SET NAMES utf8 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;

"""

FOOTER = """/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;

/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

-- Dump completed on 2013-01-01 10:00:00
"""


def table_head(name, columns, keys):
    body = ",\n".join("  " + c for c in columns + keys)
    return (
        "--\n-- Table structure for table `%s`\n--\n\n"
        "DROP TABLE IF EXISTS `%s`;\n"
        "/*!40101 SET @saved_cs_client     = @@character_set_client */;\n"
        "/*!40101 SET character_set_client = utf8 */;\n"
        "CREATE TABLE `%s` (\n%s\n) ENGINE=InnoDB DEFAULT CHARSET=utf8;\n"
        "/*!40101 SET character_set_client = @saved_cs_client */;\n\n"
        "--\n-- Dumping data for table `%s`\n--\n\n"
        "LOCK TABLES `%s` WRITE;\n"
        "/*!40000 ALTER TABLE `%s` DISABLE KEYS */;\n"
    ) % (name, name, name, body, name, name, name)


def table_tail(name):
    return "/*!40000 ALTER TABLE `%s` ENABLE KEYS */;\nUNLOCK TABLES;\n\n" % name


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("expected")
    ap.add_argument("--size", type=int, default=1_100_000_000,
                    help="approximate output size in bytes (default 1.1 GB)")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()

    r = Rng(args.seed)
    expected = {"bytes": 0, "statements": 0, "tables": {}}
    tmp = args.out + ".part"
    written = 0
    statements = 0
    with open(tmp, "wb", buffering=8 << 20) as f:
        def emit(s, count):
            nonlocal written, statements
            b = s.encode() if isinstance(s, str) else s
            f.write(b)
            written += len(b)
            statements += count

        emit(HEADER, 10)
        for name, columns, keys, rows in (CORE_RESOURCE, CORE_CONFIG):
            emit(table_head(name, columns, keys), 7)
            emit("INSERT INTO `%s` VALUES %s;\n" % (
                name, ",".join("(" + ",".join(row) + ")" for row in rows)), 1)
            emit(table_tail(name), 2)
            expected["tables"][name] = {"rows": len(rows), "columns": len(columns)}

        data_bytes = max(args.size - written - 64 * 1024, 0)
        for name, share, columns, keys, tail in TABLES:
            emit(table_head(name, columns, keys), 7)
            # Pool of rendered rows after the id: b",v2,v3,...)".
            pool = []
            for _ in range(POOL_ROWS):
                vals = tail(r)
                assert len(vals) + 1 == len(columns), name
                pool.append(("," + ",".join(vals) + ")").encode())
            head = ("INSERT INTO `%s` VALUES " % name).encode()
            goal = written + data_bytes * share // 100
            next_id = 1
            rows = 0
            while written < goal:
                parts = [head]
                size = len(head) + 2  # ";\n"
                i = r.below(POOL_ROWS)
                while True:
                    t = pool[i]
                    row = b"(%d" % next_id + t
                    grow = len(row) + (1 if len(parts) > 1 else 0)
                    if len(parts) > 1 and size + grow > STATEMENT_BYTES:
                        break
                    parts.append(row)
                    size += grow
                    next_id += 1
                    i = i + 1 if i + 1 < POOL_ROWS else 0
                rows += len(parts) - 1
                emit(parts[0] + b",".join(parts[1:]) + b";\n", 1)
            emit(table_tail(name), 2)
            expected["tables"][name] = {"rows": rows, "columns": len(columns)}
        emit(FOOTER, 8)
    os.replace(tmp, args.out)
    expected["bytes"] = written
    expected["statements"] = statements
    with open(args.expected, "w") as f:
        json.dump(expected, f, indent=2)
        f.write("\n")
    print("wrote %s: %d bytes, %d statements, %d rows" % (
        args.out, written, statements,
        sum(t["rows"] for t in expected["tables"].values())), file=sys.stderr)


if __name__ == "__main__":
    main()
