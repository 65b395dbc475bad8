//! Words, names and the awkward strings that test a converter: every
//! character mysqldump escapes, multi-byte UTF-8, the literal 'NULL';
//! PHP `serialize()` helpers and date formatting.

use crate::rng::Rng;

pub const FIRST: &[&str] = &[
    "John",
    "Mary",
    "James",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "William",
    "Elizabeth",
    "David",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "José",
    "Zoë",
    "François",
    "Søren",
    "Łukasz",
    "Ångström",
    "Chloé",
    "Jürgen",
    "Ayşe",
    "Björn",
    "Renée",
    "Hiroshi",
    "陽子",
    "Ольга",
    "Émile",
    "Noël",
    "Siobhán",
    "Nguyễn",
    "Dmitri",
    "Anaïs",
];

pub const LAST: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
    "White",
    "O'Brien",
    "D'Angelo",
    "Müller",
    "Núñez",
    "Øster",
    "Dupré",
    "Schäfer",
    "Çelik",
    "山田",
    "Иванов",
    "Van der Berg",
    "O'Connor",
    "Kowalczyk",
    "Gößling",
    "López",
    "Žižek",
    "Lindqvist",
    "Ferreira",
];

pub const CITIES: &[(&str, &str, &str, i64, &str)] = &[
    // city, region, country, region id (0: none), postcode pattern
    ("New York", "New York", "US", 43, "100##"),
    ("Los Angeles", "California", "US", 12, "900##"),
    ("Austin", "Texas", "US", 57, "787##"),
    ("Chicago", "Illinois", "US", 23, "606##"),
    ("Seattle", "Washington", "US", 62, "981##"),
    ("Miami", "Florida", "US", 18, "331##"),
    ("Coeur d'Alene", "Idaho", "US", 22, "838##"),
    ("Paris", "Île-de-France", "FR", 0, "750##"),
    ("Lyon", "Rhône", "FR", 0, "690##"),
    ("München", "Bayern", "DE", 0, "80###"),
    ("Köln", "Nordrhein-Westfalen", "DE", 0, "50###"),
    ("Zürich", "Zürich", "CH", 0, "80##"),
    ("Kraków", "Małopolskie", "PL", 0, "30-###"),
    ("São Paulo", "São Paulo", "BR", 0, "01###-###"),
    ("東京", "東京都", "JP", 0, "1##-####"),
    ("London", "Greater London", "GB", 0, "SW1A #AA"),
    ("Dublin", "Leinster", "IE", 0, "D0#"),
    ("Amsterdam", "Noord-Holland", "NL", 0, "10## AB"),
];

pub const STREETS: &[&str] = &[
    "Main Street",
    "Oak Avenue",
    "Rue de Rivoli",
    "Hauptstraße",
    "Calle Mayor",
    "Elm Road",
    "Baker Street",
    "Königsallee",
    "Avenida Paulista",
    "Sunset Blvd",
    "Maple Lane",
    "Piazza Navona",
    "Kärntner Straße",
    "Church Road",
    "O'Connell Street",
    "銀座通り",
    "High Street",
];

pub const ADJ: &[&str] = &[
    "Classic",
    "Modern",
    "Vintage",
    "Deluxe",
    "Essential",
    "Premium",
    "Slim",
    "Relaxed",
    "Organic",
    "Urban",
    "Rustic",
    "Elegant",
    "Sporty",
    "Cozy",
    "Lightweight",
    "Waterproof",
    "Handmade",
    "Élégant",
    "Größer",
    "Compact",
    "Heritage",
    "Nordic",
    "Coastal",
    "Alpine",
];

pub const NOUNS: &[&str] = &[
    "Shirt",
    "Jacket",
    "Sneaker",
    "Backpack",
    "Watch",
    "Lamp",
    "Chair",
    "Mug",
    "Notebook",
    "Scarf",
    "Dress",
    "Belt",
    "Wallet",
    "Sunglasses",
    "Headphones",
    "Blanket",
    "Vase",
    "Candle",
    "Teapot",
    "Hoodie",
    "Jeans",
    "Boots",
    "Umbrella",
    "Tote",
    "Cardigan",
    "Desk",
    "Pillow",
    "Speaker",
    "Kettle",
    "Bracelet",
];

pub const WORDS: &[&str] = &[
    "the",
    "quality",
    "comfort",
    "design",
    "made",
    "with",
    "soft",
    "durable",
    "fabric",
    "perfect",
    "for",
    "everyday",
    "use",
    "and",
    "style",
    "crafted",
    "from",
    "premium",
    "materials",
    "easy",
    "care",
    "fit",
    "true",
    "to",
    "size",
    "our",
    "best",
    "selling",
    "item",
    "this",
    "season",
    "features",
    "a",
    "classic",
    "look",
    "modern",
    "details",
    "café",
    "naïve",
    "über",
    "façade",
    "résumé",
    "日本製",
    "品質",
];

pub const CAT_WORDS: &[&str] = &[
    "Women",
    "Men",
    "Kids",
    "Home",
    "Decor",
    "Accessories",
    "Shoes",
    "Bags",
    "Electronics",
    "Audio",
    "Kitchen",
    "Garden",
    "Sale",
    "New Arrivals",
    "Outdoor",
    "Sports",
    "Beauty",
    "Books",
    "Toys",
    "Jewelry",
    "Lighting",
    "Furniture",
    "Bedding",
    "Bath",
    "Office",
    "Travel",
    "Gifts",
    "Vêtements",
    "Schuhe",
    "Küche",
];

/// Strings that carry every character mysqldump escapes, multi-byte UTF-8
/// and the word NULL.
pub const TRICKY: &[&str] = &[
    "it's \"great\"",
    "back\\slash C:\\path\\file",
    "line one\nline two",
    "windows\r\nline",
    "tab\tseparated",
    "nul\0byte",
    "ctrl-z \x1a end",
    "é ü ñ ß 日本 🎉",
    "NULL",
    "quote ' and \" and \\ and \n and \r and \t and \0 and \x1a",
    "emoji 🎉🚀 and 中文",
    "50% off_sale",
];

pub fn words(rng: &mut Rng, n: usize) -> String {
    let mut s = String::with_capacity(n * 7);
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(WORDS));
    }
    s
}

/// A lower-case ASCII URL key.
pub fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars() {
        let c = match c {
            'é' | 'è' | 'ê' | 'É' => 'e',
            'ü' | 'ú' => 'u',
            'ö' | 'ó' | 'ø' => 'o',
            'ä' | 'à' | 'á' | 'å' | 'Å' => 'a',
            'ß' => 's',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("item");
    }
    out
}

/// Replaces each `#` with a digit.
pub fn fill_digits(rng: &mut Rng, pattern: &str) -> String {
    pattern
        .chars()
        .map(|c| {
            if c == '#' {
                (b'0' + rng.below(10) as u8) as char
            } else {
                c
            }
        })
        .collect()
}

pub fn hex(rng: &mut Rng, n: usize) -> String {
    const H: &[u8] = b"0123456789abcdef";
    (0..n).map(|_| H[rng.below(16) as usize] as char).collect()
}

pub fn alnum(rng: &mut Rng, n: usize) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..n)
        .map(|_| A[rng.below(A.len() as u64) as usize] as char)
        .collect()
}

/// PHP serialize() of a string: the length counts bytes.
pub fn ps(s: &str) -> String {
    format!("s:{}:\"{}\";", s.len(), s)
}

/// "YYYY-MM-DD HH:MM:SS" of a Unix time.
pub fn datetime(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

pub fn date(t: i64) -> String {
    let (y, m, d) = civil(t.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to (year, month, day) (H. Hinnant's algorithm).
fn civil(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_serialize() {
        assert_eq!(datetime(0), "1970-01-01 00:00:00");
        assert_eq!(datetime(1_700_000_000), "2023-11-14 22:13:20");
        assert_eq!(ps("日本"), "s:6:\"日本\";");
        assert_eq!(slug("Élégant Café 50%"), "elegant-cafe-50");
    }
}
