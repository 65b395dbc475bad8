//! Statement kinds: what each statement of a dump is, and which table it is about.
//!
//! Classification looks only at the first words of a statement, seen through
//! executable-comment markers (`/*!50003 CREATE*/ /*!50017 DEFINER=…*/ …`), so
//! it is cheap enough to run on every statement. Nothing is dropped: a
//! statement that is none of the known kinds is [`Kind::Other`].

use serde::Serialize;

/// What a statement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// `CREATE TABLE`.
    CreateTable,
    /// `INSERT [INTO]`.
    Insert,
    /// `INSERT IGNORE`.
    InsertIgnore,
    /// `REPLACE [INTO]`.
    Replace,
    /// `DROP TABLE`.
    DropTable,
    /// `TRUNCATE [TABLE]`.
    Truncate,
    /// `DELETE FROM`.
    Delete,
    /// `ALTER TABLE` (for example `DISABLE KEYS`).
    AlterTable,
    /// `LOCK TABLES`.
    LockTables,
    /// `UNLOCK TABLES`.
    UnlockTables,
    /// `SET …` (session variables, names, modes).
    Set,
    /// `USE db`.
    Use,
    /// `CREATE DATABASE` / `CREATE SCHEMA`.
    CreateDatabase,
    /// `CREATE VIEW`.
    CreateView,
    /// `CREATE TRIGGER`.
    CreateTrigger,
    /// `CREATE PROCEDURE`.
    CreateProcedure,
    /// `CREATE FUNCTION`.
    CreateFunction,
    /// `CREATE EVENT`.
    CreateEvent,
    /// `CREATE INDEX`.
    CreateIndex,
    /// `DROP` of anything but a table (view, trigger, routine, database…).
    DropOther,
    /// Transaction control: `START TRANSACTION`, `BEGIN`, `COMMIT`, `ROLLBACK`.
    Transaction,
    /// The client's `DELIMITER` command.
    Delimiter,
    /// Another SQL statement (`SELECT`, `UPDATE`, `GRANT`, `FLUSH`, …).
    Other,
    /// Not an SQL statement at all: the input is not a dump (or is damaged).
    Unknown,
}

impl Kind {
    /// True for the kinds that carry rows.
    pub fn is_insert(self) -> bool {
        matches!(self, Kind::Insert | Kind::InsertIgnore | Kind::Replace)
    }

    /// The kind's name as used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Kind::CreateTable => "create_table",
            Kind::Insert => "insert",
            Kind::InsertIgnore => "insert_ignore",
            Kind::Replace => "replace",
            Kind::DropTable => "drop_table",
            Kind::Truncate => "truncate",
            Kind::Delete => "delete",
            Kind::AlterTable => "alter_table",
            Kind::LockTables => "lock_tables",
            Kind::UnlockTables => "unlock_tables",
            Kind::Set => "set",
            Kind::Use => "use",
            Kind::CreateDatabase => "create_database",
            Kind::CreateView => "create_view",
            Kind::CreateTrigger => "create_trigger",
            Kind::CreateProcedure => "create_procedure",
            Kind::CreateFunction => "create_function",
            Kind::CreateEvent => "create_event",
            Kind::CreateIndex => "create_index",
            Kind::DropOther => "drop_other",
            Kind::Transaction => "transaction",
            Kind::Delimiter => "delimiter",
            Kind::Other => "other",
            Kind::Unknown => "unknown",
        }
    }
}

/// A statement's kind and the table it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    /// The kind.
    pub kind: Kind,
    /// The tables named (several for `DROP TABLE a, b` or `LOCK TABLES`), unquoted.
    pub tables: Vec<String>,
    /// For `DELETE`: true when it has a `WHERE` (or `LIMIT`) clause.
    pub filtered: bool,
}

impl Classified {
    /// The first table named, if any.
    pub fn table(&self) -> Option<&str> {
        self.tables.first().map(String::as_str)
    }
}

/// A token of the statement head: a bare word, a quoted identifier, or a punctuation byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'a> {
    Word(&'a [u8]),
    Quoted(&'a [u8]),
    Punct(u8),
}

/// Reads the words at the head of a statement.
struct Lexer<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Lexer<'a> {
    fn new(s: &'a [u8]) -> Self {
        Lexer { s, i: 0 }
    }

    fn skip(&mut self) {
        let s = self.s;
        loop {
            while self.i < s.len() && s[self.i].is_ascii_whitespace() {
                self.i += 1;
            }
            let rest = &s[self.i..];
            if rest.starts_with(b"/*!") || rest.starts_with(b"/*+") {
                self.i += 3;
                while self.i < s.len() && s[self.i].is_ascii_digit() {
                    self.i += 1;
                }
            } else if rest.starts_with(b"*/") {
                self.i += 2;
            } else if rest.starts_with(b"/*") {
                match memchr::memmem::find(&rest[2..], b"*/") {
                    Some(e) => self.i += 2 + e + 2,
                    None => self.i = s.len(),
                }
            } else if rest.starts_with(b"-- ") || rest.starts_with(b"#") {
                match memchr::memchr(b'\n', rest) {
                    Some(e) => self.i += e + 1,
                    None => self.i = s.len(),
                }
            } else {
                return;
            }
        }
    }

    fn next(&mut self) -> Option<Tok<'a>> {
        self.skip();
        let s = self.s;
        let start = self.i;
        let b = *s.get(start)?;
        if b == b'`' {
            let mut j = start + 1;
            loop {
                let at = j + memchr::memchr(b'`', s.get(j..)?)?;
                if s.get(at + 1) == Some(&b'`') {
                    j = at + 2;
                } else {
                    self.i = at + 1;
                    return Some(Tok::Quoted(&s[start + 1..at]));
                }
            }
        }
        if is_word_byte(b) {
            let mut j = start;
            while j < s.len() && is_word_byte(s[j]) {
                j += 1;
            }
            self.i = j;
            return Some(Tok::Word(&s[start..j]));
        }
        self.i += 1;
        Some(Tok::Punct(b))
    }

    /// The next token if it is the given keyword (consumed), else nothing consumed.
    fn eat(&mut self, kw: &str) -> bool {
        let save = self.i;
        match self.next() {
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case(kw.as_bytes()) => true,
            _ => {
                self.i = save;
                false
            }
        }
    }

    /// Reads a possibly qualified name (`db`.`t` → `t`).
    fn name(&mut self) -> Option<String> {
        let mut last = ident(self.next()?)?;
        loop {
            let save = self.i;
            if self.next() == Some(Tok::Punct(b'.'))
                && let Some(part) = self.next().and_then(ident)
            {
                last = part;
                continue;
            }
            self.i = save;
            return Some(last);
        }
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

fn ident(t: Tok<'_>) -> Option<String> {
    match t {
        Tok::Word(w) => Some(String::from_utf8_lossy(w).into_owned()),
        Tok::Quoted(q) => Some(unquote_ident(q)),
        Tok::Punct(_) => None,
    }
}

/// Turns the body of a backquoted identifier into its name (doubled backquotes become one).
pub fn unquote_ident(body: &[u8]) -> String {
    let s = String::from_utf8_lossy(body);
    if s.contains("``") {
        s.replace("``", "`")
    } else {
        s.into_owned()
    }
}

fn is_kw(t: Option<Tok<'_>>, kw: &str) -> bool {
    matches!(t, Some(Tok::Word(w)) if w.eq_ignore_ascii_case(kw.as_bytes()))
}

/// Classifies a statement by its first words.
pub fn classify(text: &[u8]) -> Classified {
    let mut lx = Lexer::new(text);
    let mut out = Classified {
        kind: Kind::Other,
        tables: Vec::new(),
        filtered: false,
    };
    let Some(Tok::Word(first)) = lx.next() else {
        out.kind = Kind::Unknown;
        return out;
    };
    let first = first.to_ascii_uppercase();
    match first.as_slice() {
        b"INSERT" | b"REPLACE" => {
            out.kind = if first == b"REPLACE" {
                Kind::Replace
            } else {
                Kind::Insert
            };
            while lx.eat("LOW_PRIORITY") || lx.eat("DELAYED") || lx.eat("HIGH_PRIORITY") {}
            if lx.eat("IGNORE") && out.kind == Kind::Insert {
                out.kind = Kind::InsertIgnore;
            }
            lx.eat("INTO");
            out.tables.extend(lx.name());
        }
        b"CREATE" => create(&mut lx, &mut out),
        b"DROP" => {
            lx.eat("TEMPORARY");
            if lx.eat("TABLE") || lx.eat("TABLES") {
                out.kind = Kind::DropTable;
                if lx.eat("IF") {
                    lx.eat("EXISTS");
                }
                while let Some(n) = lx.name() {
                    out.tables.push(n);
                    if lx.next() != Some(Tok::Punct(b',')) {
                        break;
                    }
                }
            } else {
                out.kind = Kind::DropOther;
            }
        }
        b"TRUNCATE" => {
            out.kind = Kind::Truncate;
            lx.eat("TABLE");
            out.tables.extend(lx.name());
        }
        b"DELETE" => {
            out.kind = Kind::Delete;
            while lx.eat("LOW_PRIORITY") || lx.eat("QUICK") || lx.eat("IGNORE") {}
            if lx.eat("FROM") {
                out.tables.extend(lx.name());
                // Anything after the table (WHERE, LIMIT, ORDER BY, a join) may keep rows.
                out.filtered = lx.next().is_some();
            } else {
                out.filtered = true;
            }
        }
        b"ALTER" => {
            if lx.eat("TABLE") {
                out.kind = Kind::AlterTable;
                out.tables.extend(lx.name());
            }
        }
        b"LOCK" => {
            out.kind = Kind::LockTables;
            if lx.eat("TABLES") || lx.eat("TABLE") {
                while let Some(n) = lx.name() {
                    out.tables.push(n);
                    // Skip the lock type up to the next comma.
                    loop {
                        match lx.next() {
                            Some(Tok::Punct(b',')) | None => break,
                            _ => {}
                        }
                    }
                }
            }
        }
        b"UNLOCK" => out.kind = Kind::UnlockTables,
        b"SET" => out.kind = Kind::Set,
        b"USE" => out.kind = Kind::Use,
        b"START" | b"BEGIN" | b"COMMIT" | b"ROLLBACK" => out.kind = Kind::Transaction,
        b"DELIMITER" => out.kind = Kind::Delimiter,
        w if OTHER_VERBS.iter().any(|v| v.as_bytes() == w) => {}
        _ => out.kind = Kind::Unknown,
    }
    out
}

/// First words of SQL statements that are valid in a dump but carry no table data.
const OTHER_VERBS: &[&str] = &[
    "SELECT",
    "UPDATE",
    "CALL",
    "DO",
    "GRANT",
    "REVOKE",
    "FLUSH",
    "ANALYZE",
    "OPTIMIZE",
    "REPAIR",
    "CHECK",
    "CHECKSUM",
    "RENAME",
    "SHOW",
    "HANDLER",
    "LOAD",
    "SAVEPOINT",
    "RELEASE",
    "XA",
    "PREPARE",
    "EXECUTE",
    "DEALLOCATE",
    "RESET",
    "PURGE",
    "CHANGE",
    "KILL",
    "WITH",
    "VALUES",
    "TABLE",
    "INSTALL",
    "UNINSTALL",
    "COMMENT",
    "DECLARE",
    "SOURCE",
    "WARNINGS",
    "NOWARNING",
];

fn create(lx: &mut Lexer<'_>, out: &mut Classified) {
    // Look past OR REPLACE, TEMPORARY, ALGORITHM=…, DEFINER=…, SQL SECURITY …, UNIQUE, etc.
    for _ in 0..24 {
        let Some(t) = lx.next() else { return };
        let Tok::Word(w) = t else { continue };
        let kind = match w.to_ascii_uppercase().as_slice() {
            b"TABLE" => Kind::CreateTable,
            b"VIEW" => Kind::CreateView,
            b"TRIGGER" => Kind::CreateTrigger,
            b"PROCEDURE" => Kind::CreateProcedure,
            b"FUNCTION" => Kind::CreateFunction,
            b"EVENT" => Kind::CreateEvent,
            b"DATABASE" | b"SCHEMA" => Kind::CreateDatabase,
            b"INDEX" => Kind::CreateIndex,
            _ => continue,
        };
        out.kind = kind;
        if kind == Kind::CreateTable {
            let save = lx.i;
            if !(lx.eat("IF") && lx.eat("NOT") && lx.eat("EXISTS")) {
                lx.i = save;
            }
            out.tables.extend(lx.name());
        } else if kind == Kind::CreateIndex {
            // CREATE INDEX name ON table
            lx.name();
            if is_kw(lx.next(), "ON") {
                out.tables.extend(lx.name());
            }
        } else if kind == Kind::CreateView || kind == Kind::CreateTrigger {
            out.tables.extend(lx.name());
        }
        return;
    }
}

/// True when a `CREATE TABLE` statement says `IF NOT EXISTS`.
pub fn create_if_not_exists(text: &[u8]) -> bool {
    let mut lx = Lexer::new(text);
    for _ in 0..8 {
        match lx.next() {
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case(b"TABLE") => {
                return lx.eat("IF") && lx.eat("NOT") && lx.eat("EXISTS");
            }
            None => return false,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> (Kind, Vec<String>) {
        let c = classify(s.as_bytes());
        (c.kind, c.tables)
    }

    #[test]
    fn kinds_and_tables() {
        assert_eq!(
            k("INSERT INTO `db`.`sales_flat_order` VALUES (1)"),
            (Kind::Insert, vec!["sales_flat_order".into()])
        );
        assert_eq!(
            k("insert  into `a``b`(`x`) values (1)"),
            (Kind::Insert, vec!["a`b".into()])
        );
        assert_eq!(k("INSERT IGNORE INTO t VALUES (1)").0, Kind::InsertIgnore);
        assert_eq!(k("REPLACE INTO t VALUES (1)").0, Kind::Replace);
        assert_eq!(
            k("CREATE TABLE IF NOT EXISTS `t1` (a int)"),
            (Kind::CreateTable, vec!["t1".into()])
        );
        assert_eq!(
            k("DROP TABLE IF EXISTS `t1`, t2"),
            (Kind::DropTable, vec!["t1".into(), "t2".into()])
        );
        assert_eq!(
            k("/*!40000 ALTER TABLE `t` DISABLE KEYS */"),
            (Kind::AlterTable, vec!["t".into()])
        );
        assert_eq!(
            k("LOCK TABLES `a` WRITE, `b` READ"),
            (Kind::LockTables, vec!["a".into(), "b".into()])
        );
        assert_eq!(k("/*!40101 SET NAMES utf8 */").0, Kind::Set);
        assert_eq!(
            k("/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER trg BEFORE INSERT ON t FOR EACH ROW SET @a=1 */").0,
            Kind::CreateTrigger
        );
        assert_eq!(
            k("/*!50001 CREATE ALGORITHM=UNDEFINED */ /*!50013 DEFINER=`r`@`%` SQL SECURITY DEFINER */ /*!50001 VIEW `v` AS select 1 */").0,
            Kind::CreateView
        );
        assert_eq!(
            k("CREATE DEFINER=`root`@`%` PROCEDURE p() BEGIN END").0,
            Kind::CreateProcedure
        );
        assert_eq!(k("TRUNCATE TABLE t").1, vec!["t".to_string()]);
        assert_eq!(k("DELIMITER ;;").0, Kind::Delimiter);
        assert_eq!(k("SELECT 1").0, Kind::Other);
        assert_eq!(k("\u{1}\u{2}garbage").0, Kind::Unknown);
        assert_eq!(k("PK\u{3}\u{4} zip").0, Kind::Unknown);
    }

    #[test]
    fn delete_filter() {
        let c = classify(b"DELETE FROM `t`");
        assert_eq!((c.kind, c.filtered), (Kind::Delete, false));
        assert!(classify(b"DELETE FROM t WHERE id > 3").filtered);
    }

    #[test]
    fn if_not_exists() {
        assert!(create_if_not_exists(
            b"CREATE TABLE IF NOT EXISTS t (a int)"
        ));
        assert!(!create_if_not_exists(b"CREATE TABLE t (a int)"));
    }
}
