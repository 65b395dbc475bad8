//! The catalog: the category tree, products (simple, configurable with their
//! simple children), their EAV values in several stores, images, stock,
//! website and category links, and the URL rewrites.

use anyhow::Result;

use crate::Gen;
use crate::rng::{Rng, mix};
use crate::store::{
    CLOTHING_SET, COLORS, MANUFACTURERS, PRODUCT_SET, SIZES, color_option, manufacturer_option,
    size_option,
};
use crate::text::{self, ADJ, CAT_WORDS, NOUNS, TRICKY};
use crate::writer::{Dump, V, money};

const K_NAME: u64 = 1;
const K_PRODUCT: u64 = 2;
const K_CATS: u64 = 3;
const K_CATEGORY: u64 = 4;
const K_TEXT: u64 = 5;
const K_LAYOUT: u64 = 6;
const K_PRICE: u64 = 7;

pub struct Category {
    pub id: i64,
    pub parent: i64,
    pub level: i64,
    pub position: i64,
    pub children_count: i64,
    pub path: String,
    pub name: String,
    pub url_key: String,
    /// The URL path without the `.html` suffix.
    pub url_path: String,
    pub created: i64,
}

/// The tree: 1 the root, 2 the store's root ("Default Category"), then about
/// one category per 50 products on levels 2 to 4.
pub fn categories(seed: u64, products: u64) -> Vec<Category> {
    let total = (products / 50).max(4) as i64;
    let tops = (total / 25).clamp(3, 30);
    // At least one level-3 category, the parent the level-4 ones need (a
    // small tree has 3 tops and one more).
    let l3 = ((total - tops) * 2 / 3).max(1);
    let mut cats: Vec<Category> = Vec::with_capacity(total as usize + 2);
    let base = |id: i64, parent: i64, level: i64, name: String| Category {
        id,
        parent,
        level,
        position: 0,
        children_count: 0,
        path: String::new(),
        name,
        url_key: String::new(),
        url_path: String::new(),
        created: 1_325_376_000 + id * 3_600,
    };
    cats.push(base(1, 0, 0, "Root Catalog".into()));
    cats[0].path = "1".into();
    cats.push(base(2, 1, 1, "Default Category".into()));
    cats[1].path = "1/2".into();
    cats[1].url_key = "default-category".into();
    for i in 0..total {
        let id = i + 3;
        let mut rng = Rng::for_key(seed, K_CATEGORY, id as u64);
        let (parent, level, name) = if i < tops {
            let w = CAT_WORDS[i as usize % CAT_WORDS.len()];
            let name = if i as usize >= CAT_WORDS.len() {
                format!("{w} {}", i as usize / CAT_WORDS.len() + 1)
            } else {
                w.to_string()
            };
            (2, 2, name)
        } else if i < tops + l3 {
            (
                3 + (i - tops) % tops,
                3,
                format!("{} {}", rng.pick(ADJ), rng.pick(CAT_WORDS)),
            )
        } else {
            let p = 3 + tops + (i - tops - l3) % l3.max(1);
            (p, 4, format!("{} {}", rng.pick(ADJ), rng.pick(NOUNS)))
        };
        let mut c = base(id, parent, level, name);
        // A few names carry awkward characters.
        if rng.chance(30) {
            c.name.push_str(if rng.chance(500) {
                " & \"More\""
            } else {
                " – Spécial 🎉"
            });
        }
        c.url_key = format!("{}-{id}", text::slug(&c.name));
        let p = &cats[(parent - 1) as usize];
        c.path = format!("{}/{id}", p.path);
        c.url_path = if level == 2 {
            c.url_key.clone()
        } else {
            format!("{}/{}", p.url_path, c.url_key)
        };
        cats.push(c);
    }
    // Positions among siblings and descendant counts.
    let mut next_pos = vec![0i64; cats.len() + 1];
    for i in 1..cats.len() {
        let p = cats[i].parent as usize;
        next_pos[p] += 1;
        cats[i].position = next_pos[p];
        let mut a = cats[i].parent;
        while a > 0 {
            cats[(a - 1) as usize].children_count += 1;
            a = cats[(a - 1) as usize].parent;
        }
    }
    cats
}

#[derive(Clone, Copy, PartialEq)]
pub enum Kind {
    Simple,
    Configurable { first_child: i64, count: i64 },
    Child { parent: i64, index: i64 },
}

pub struct Product {
    pub id: i64,
    pub kind: Kind,
    pub name: String,
    pub sku: String,
    /// Price in cents.
    pub price: i64,
    pub special: Option<i64>,
    /// Weight in grams.
    pub weight: Option<i64>,
    pub status: i64,
    pub visibility: i64,
    pub created: i64,
    pub updated: i64,
    pub color: Option<usize>,
    pub size: Option<usize>,
    pub manufacturer: Option<usize>,
    pub url_key: String,
    pub images: i64,
    pub tax_class: i64,
    pub set: i64,
    pub qty: i64,
}

/// Simple products with custom options: the last id of each block of 20.
/// Such a product has an engraving text field (option `2k - 1`, for `k` the
/// block's number from 1) and a gift wrap drop-down (option `2k`, its values
/// `3k - 2 ..= 3k`, see [`WRAPS`]), neither required.
pub fn custom_options(id: i64) -> Option<i64> {
    (id > 0 && id % 20 == 0).then_some(id / 20)
}

/// The gift wrap drop-down's values: title and price in cents.
pub const WRAPS: [(&str, i64); 3] = [("None", 0), ("Paper", 250), ("Gift box – «deluxe»", 400)];

/// The engraving field's price in cents.
pub const ENGRAVING_PRICE: i64 = 500;

impl Product {
    pub fn type_id(&self) -> &'static str {
        match self.kind {
            Kind::Configurable { .. } => "configurable",
            _ => "simple",
        }
    }
    pub fn image(&self, n: i64) -> String {
        let b = self.url_key.as_bytes();
        let c1 = b.first().copied().unwrap_or(b'x') as char;
        let c2 = b.get(1).copied().unwrap_or(b'x') as char;
        if n == 0 {
            format!("/{c1}/{c2}/{}.jpg", self.url_key)
        } else {
            format!("/{c1}/{c2}/{}_{n}.jpg", self.url_key)
        }
    }
}

/// Products come in blocks of 20 ids: the first of a block is a configurable
/// product whose next 2 to 5 ids are its simple children.
pub fn kind(g: &Gen, id: i64) -> Kind {
    let block = (id - 1) / 20;
    let off = (id - 1) % 20;
    let first = block * 20 + 1;
    let k = (2 + (mix(g.seed ^ (K_LAYOUT << 40) ^ block as u64) % 4) as i64)
        .min(g.products as i64 - first);
    if k <= 0 {
        Kind::Simple
    } else if off == 0 {
        Kind::Configurable {
            first_child: first + 1,
            count: k,
        }
    } else if off <= k {
        Kind::Child {
            parent: first,
            index: off - 1,
        }
    } else {
        Kind::Simple
    }
}

pub fn product(g: &Gen, id: i64) -> Product {
    let kind = kind(g, id);
    let family = match kind {
        Kind::Child { parent, .. } => parent,
        _ => id,
    };
    let mut f = Rng::for_key(g.seed, K_NAME, family as u64);
    let mut name = format!("{} {} {}", f.pick(ADJ), f.pick(COLORS).0, f.pick(NOUNS));
    if f.chance(8) {
        name.push(' ');
        name.push_str(f.pick(TRICKY));
    } else if f.chance(20) {
        name.push_str(" – Édition Spéciale 🎉");
    }
    let (price, special) = price_of(g, family);
    let created = f.range(1_325_376_000, 1_546_214_400);
    let mut sku = format!("M1-{family:07}");
    let mut r = Rng::for_key(g.seed, K_PRODUCT, id as u64);
    let (mut color, mut size, set, visibility) = match kind {
        Kind::Child { index, .. } => {
            let c = (f.below(COLORS.len() as u64) as usize + index as usize) % COLORS.len();
            let s = (f.below(SIZES.len() as u64) as usize + index as usize) % SIZES.len();
            name = format!("{name} - {} {}", COLORS[c].0, SIZES[s]);
            sku = format!("{sku}-{}-{}", COLORS[c].0.to_lowercase(), SIZES[s]);
            (Some(c), Some(s), CLOTHING_SET, 1)
        }
        Kind::Configurable { .. } => (None, None, CLOTHING_SET, 4),
        Kind::Simple => {
            let v = match r.below(100) {
                0..=2 => 1,
                3..=5 => 2,
                6..=8 => 3,
                _ => 4,
            };
            (None, None, PRODUCT_SET, v)
        }
    };
    if kind == Kind::Simple && r.chance(300) {
        color = Some(r.below(COLORS.len() as u64) as usize);
    }
    if kind == Kind::Simple && r.chance(100) {
        size = None;
    }
    let manufacturer = if r.chance(400) {
        Some(r.below(MANUFACTURERS.len() as u64) as usize)
    } else {
        None
    };
    let url_key = format!("{}-{id}", text::slug(&name));
    Product {
        id,
        kind,
        sku,
        price,
        special,
        weight: if matches!(kind, Kind::Configurable { .. }) {
            None
        } else {
            Some(r.range(50, 25_000))
        },
        status: if r.chance(950) { 1 } else { 2 },
        visibility,
        created,
        updated: created + r.range(0, 90_000_000),
        color,
        size,
        manufacturer,
        url_key,
        images: if r.chance(900) { r.range(1, 3) } else { 0 },
        tax_class: if r.chance(950) { 2 } else { 0 },
        set,
        qty: r.range(0, 500),
        name,
    }
}

/// The price and special price (cents) of a product family.
pub fn price_of(g: &Gen, family: i64) -> (i64, Option<i64>) {
    let mut f = Rng::for_key(g.seed, K_PRICE, family as u64);
    let price = f.range(199, 49_999);
    let special = if f.chance(150) {
        Some(price * f.range(50, 90) / 100)
    } else {
        None
    };
    (price, special)
}

/// The categories a product is shown in (none for children of configurables).
pub fn product_categories(g: &Gen, p: &Product) -> Vec<i64> {
    if p.visibility == 1 || g.cats.len() <= 2 {
        return Vec::new();
    }
    let mut r = Rng::for_key(g.seed, K_CATS, p.id as u64);
    let n = r.range(1, 3);
    let last = g.cats.len() as i64;
    let mut out: Vec<i64> = Vec::with_capacity(3);
    for _ in 0..n {
        let c = r.range(3, last);
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

fn description(g: &Gen, p: &Product, store: u64) -> String {
    let mut r = Rng::for_key(g.seed, K_TEXT, (p.id as u64) << 8 | store);
    let n = r.range(20, 60) as usize;
    let mut s = format!("<p>{}</p>\n<ul>\n", text::words(&mut r, n));
    for _ in 0..r.range(2, 4) {
        s.push_str(&format!("<li>{}</li>\n", text::words(&mut r, 6)));
    }
    s.push_str("</ul>");
    if r.chance(30) {
        s.push_str("\r\n<p>");
        s.push_str(r.pick(TRICKY));
        s.push_str("</p>");
    }
    s
}

fn store_label(s: u64) -> &'static str {
    match s {
        2 => "FR",
        3 => "DE",
        4 => "ES",
        5 => "JA",
        _ => "INTL",
    }
}

/// Whether store view `s` (2 and up) overrides the name and description.
fn translated(g: &Gen, id: i64, s: u64) -> bool {
    mix(g.seed ^ (id as u64) << 8 ^ s) % 10 < 3
}

pub fn write(g: &Gen, d: &mut Dump) -> Result<()> {
    write_categories(g, d)?;
    let np = g.products as i64;
    let a = |code: &str| g.attr(4, code);
    g.table(d, "catalog_product_entity", |t| {
        for id in 1..=np {
            let p = product(g, id);
            let cfg = matches!(p.kind, Kind::Configurable { .. });
            t.set("entity_id", id)
                .set("entity_type_id", 4)
                .set("attribute_set_id", p.set)
                .set("type_id", p.type_id());
            t.set("sku", p.sku)
                .set(
                    "has_options",
                    i64::from(cfg || custom_options(id).is_some()),
                )
                .set("required_options", i64::from(cfg));
            t.set("created_at", text::datetime(p.created))
                .set("updated_at", text::datetime(p.updated))
                .push()?;
        }
        Ok(())
    })?;
    let (news_from, special_from) = (a("news_from_date"), a("special_from_date"));
    g.table(d, "catalog_product_entity_datetime", |t| {
        let mut vid = 0i64;
        for id in 1..=np {
            let p = product(g, id);
            let mut row = |attr: i64, v: String| {
                vid += 1;
                t.set("value_id", vid)
                    .set("entity_type_id", 4)
                    .set("attribute_id", attr)
                    .set("store_id", 0);
                t.set("entity_id", id).set("value", v).push()
            };
            if mix(id as u64 ^ g.seed).is_multiple_of(5) {
                row(news_from, format!("{} 00:00:00", text::date(p.created)))?;
            }
            if p.special.is_some() && p.visibility != 1 {
                row(special_from, format!("{} 00:00:00", text::date(p.updated)))?;
            }
        }
        Ok(())
    })?;
    let (price, special, weight, cost) = (a("price"), a("special_price"), a("weight"), a("cost"));
    g.table(d, "catalog_product_entity_decimal", |t| {
        let mut vid = 0i64;
        for id in 1..=np {
            let p = product(g, id);
            let mut row = |attr: i64, v: V| {
                vid += 1;
                t.set("value_id", vid)
                    .set("entity_type_id", 4)
                    .set("attribute_id", attr)
                    .set("store_id", 0);
                t.set("entity_id", id).set("value", v).push()
            };
            row(price, money(p.price))?;
            if let Some(sp) = p.special {
                row(special, money(sp))?;
            }
            if let Some(w) = p.weight {
                row(weight, V::Dec(w * 10))?;
            }
            if id % 10 == 3 {
                row(cost, money(p.price / 2))?;
            }
            if id % 97 == 5 {
                row(a("msrp"), V::Null)?;
            }
        }
        Ok(())
    })?;
    let (status, visibility, tax, color, size, manu) = (
        a("status"),
        a("visibility"),
        a("tax_class_id"),
        a("color"),
        a("size"),
        a("manufacturer"),
    );
    g.table(d, "catalog_product_entity_int", |t| {
        let mut vid = 0i64;
        for id in 1..=np {
            let p = product(g, id);
            let mut row = |attr: i64, store: u64, v: i64| {
                vid += 1;
                t.set("value_id", vid)
                    .set("entity_type_id", 4)
                    .set("attribute_id", attr)
                    .set("store_id", store);
                t.set("entity_id", id).set("value", v).push()
            };
            row(status, 0, p.status)?;
            row(visibility, 0, p.visibility)?;
            row(tax, 0, p.tax_class)?;
            if let Some(c) = p.color {
                row(color, 0, color_option(c))?;
            }
            if let Some(s) = p.size {
                row(size, 0, size_option(s))?;
            }
            if let Some(m) = p.manufacturer {
                row(manu, 0, manufacturer_option(m))?;
            }
            if g.stores >= 2 && id % 20 == 7 {
                row(status, 2, 3 - p.status)?;
            }
        }
        Ok(())
    })?;
    let (desc, short, meta_kw) = (a("description"), a("short_description"), a("meta_keyword"));
    g.table(d, "catalog_product_entity_text", |t| {
        let mut vid = 0i64;
        for id in 1..=np {
            let p = product(g, id);
            let mut row = |attr: i64, store: u64, v: V| {
                vid += 1;
                t.set("value_id", vid)
                    .set("entity_type_id", 4)
                    .set("attribute_id", attr)
                    .set("store_id", store);
                t.set("entity_id", id).set("value", v).push()
            };
            row(desc, 0, V::Text(description(g, &p, 0)))?;
            row(
                short,
                0,
                if id % 50 == 9 {
                    V::Null
                } else {
                    V::Text(format!("{} — {}", p.name, p.sku))
                },
            )?;
            if id % 3 == 0 {
                row(
                    meta_kw,
                    0,
                    V::Text(format!("{}, {}", p.name.to_lowercase(), p.sku)),
                )?;
            }
            for s in 2..=g.stores {
                if translated(g, id, s) {
                    row(desc, s, V::Text(description(g, &p, s)))?;
                }
            }
        }
        Ok(())
    })?;
    let (name, url_key, url_path, meta_title, meta_desc) = (
        a("name"),
        a("url_key"),
        a("url_path"),
        a("meta_title"),
        a("meta_description"),
    );
    let (image, small, thumb, options_container) = (
        a("image"),
        a("small_image"),
        a("thumbnail"),
        a("options_container"),
    );
    g.table(d, "catalog_product_entity_varchar", |t| {
        let mut vid = 0i64;
        for id in 1..=np {
            let p = product(g, id);
            let mut row = |attr: i64, store: u64, v: V| {
                vid += 1;
                t.set("value_id", vid)
                    .set("entity_type_id", 4)
                    .set("attribute_id", attr)
                    .set("store_id", store);
                t.set("entity_id", id).set("value", v).push()
            };
            row(name, 0, V::Text(p.name.clone()))?;
            row(url_key, 0, V::Text(p.url_key.clone()))?;
            if p.visibility != 1 {
                row(url_path, 0, V::Text(format!("{}.html", p.url_key)))?;
            }
            row(
                meta_title,
                0,
                if id % 4 == 0 {
                    V::Text(format!("Buy {} online", p.name))
                } else {
                    V::Null
                },
            )?;
            if id % 5 == 0 {
                row(
                    meta_desc,
                    0,
                    V::Text(format!("{} at the best price.", p.name)),
                )?;
            }
            let img = if p.images > 0 {
                V::Text(p.image(0))
            } else {
                V::S("no_selection")
            };
            row(image, 0, img.clone())?;
            row(small, 0, img.clone())?;
            row(thumb, 0, img)?;
            row(
                options_container,
                0,
                V::S(if matches!(p.kind, Kind::Configurable { .. }) {
                    "container1"
                } else {
                    "container2"
                }),
            )?;
            for s in 2..=g.stores {
                if translated(g, id, s) {
                    row(name, s, V::Text(format!("{} ({})", p.name, store_label(s))))?;
                }
            }
        }
        Ok(())
    })?;
    let gallery = a("media_gallery");
    g.table(d, "catalog_product_entity_media_gallery", |t| {
        let mut vid = 0i64;
        for id in 1..=np {
            let p = product(g, id);
            for n in 0..p.images {
                vid += 1;
                t.set("value_id", vid)
                    .set("attribute_id", gallery)
                    .set("entity_id", id)
                    .set("value", p.image(n))
                    .push()?;
            }
        }
        Ok(())
    })?;
    g.table(d, "catalog_product_entity_media_gallery_value", |t| {
        let mut vid = 0i64;
        for id in 1..=np {
            let p = product(g, id);
            for n in 0..p.images {
                vid += 1;
                let label = if n == 0 {
                    V::Text(p.name.clone())
                } else {
                    V::Null
                };
                t.set("value_id", vid)
                    .set("store_id", 0)
                    .set("label", label)
                    .set("position", n + 1);
                t.set("disabled", i64::from(n == 2)).push()?;
            }
        }
        Ok(())
    })?;
    g.table(d, "catalog_product_website", |t| {
        for id in 1..=np {
            t.set("product_id", id).set("website_id", 1).push()?;
        }
        Ok(())
    })?;
    g.table(d, "catalog_category_product", |t| {
        // Primary key order: by category. Collect per category in bounded
        // memory: the categories are few, so walk them in slices.
        let ncat = g.cats.len() as i64;
        let slice = 400i64;
        let mut lo = 3i64;
        while lo <= ncat {
            let hi = (lo + slice - 1).min(ncat);
            let mut rows: Vec<(i64, i64)> = Vec::new();
            for id in 1..=np {
                let p = product(g, id);
                for c in product_categories(g, &p) {
                    if (lo..=hi).contains(&c) {
                        rows.push((c, id));
                    }
                }
            }
            rows.sort_unstable();
            for (c, pid) in rows {
                t.set("category_id", c)
                    .set("product_id", pid)
                    .set("position", pid % 7)
                    .push()?;
            }
            lo = hi + 1;
        }
        Ok(())
    })?;
    write_custom_options(g, d)?;
    g.table(d, "cataloginventory_stock_item", |t| {
        for id in 1..=np {
            let p = product(g, id);
            let cfg = matches!(p.kind, Kind::Configurable { .. });
            let qty = if cfg { 0 } else { p.qty };
            t.set("item_id", id)
                .set("product_id", id)
                .set("stock_id", 1)
                .set("qty", V::Dec(qty * 10_000));
            t.set("min_qty", V::Dec(0))
                .set("use_config_min_qty", 1)
                .set("is_qty_decimal", 0)
                .set("backorders", 0);
            t.set("use_config_backorders", 1)
                .set("min_sale_qty", V::Dec(10_000))
                .set("use_config_min_sale_qty", 1);
            t.set("max_sale_qty", V::Dec(100_000_000))
                .set("use_config_max_sale_qty", 1);
            t.set("is_in_stock", i64::from(cfg || qty > 0));
            t.set(
                "low_stock_date",
                if qty == 0 && !cfg {
                    V::Text(text::datetime(p.updated))
                } else {
                    V::Null
                },
            );
            t.set("notify_stock_qty", V::Null)
                .set("use_config_notify_stock_qty", 1)
                .set("manage_stock", 0);
            t.set("use_config_manage_stock", 1)
                .set("stock_status_changed_auto", 0)
                .set("use_config_qty_increments", 1);
            t.set("qty_increments", V::Dec(0))
                .set("use_config_enable_qty_inc", 1)
                .set("enable_qty_increments", 0);
            t.set("is_decimal_divided", 0).push()?;
        }
        Ok(())
    })?;
    g.table(d, "catalog_product_super_attribute", |t| {
        let mut sid = 0i64;
        for id in 1..=np {
            if let Kind::Configurable { .. } = kind(g, id) {
                for (pos, attr) in [(0, color), (1, size)] {
                    sid += 1;
                    t.set("product_super_attribute_id", sid)
                        .set("product_id", id)
                        .set("attribute_id", attr);
                    t.set("position", pos).push()?;
                }
            }
        }
        Ok(())
    })?;
    g.table(d, "catalog_product_super_attribute_label", |t| {
        let mut sid = 0i64;
        for id in 1..=np {
            if let Kind::Configurable { .. } = kind(g, id) {
                for label in ["Color", "Size"] {
                    sid += 1;
                    t.set("value_id", sid)
                        .set("product_super_attribute_id", sid)
                        .set("store_id", 0);
                    t.set("use_default", 1).set("value", label).push()?;
                }
            }
        }
        Ok(())
    })?;
    g.table(d, "catalog_product_super_link", |t| {
        let mut lid = 0i64;
        for id in 1..=np {
            if let Kind::Child { parent, .. } = kind(g, id) {
                lid += 1;
                t.set("link_id", lid)
                    .set("product_id", id)
                    .set("parent_id", parent)
                    .push()?;
            }
        }
        Ok(())
    })?;
    g.table(d, "catalog_product_relation", |t| {
        for id in 1..=np {
            if let Kind::Configurable { first_child, count } = kind(g, id) {
                for c in first_child..first_child + count {
                    t.set("parent_id", id).set("child_id", c).push()?;
                }
            }
        }
        Ok(())
    })?;
    g.table(d, "core_url_rewrite", |t| {
        let mut rid = 0i64;
        for s in 1..=g.stores {
            for c in g.cats.iter().filter(|c| c.level >= 2) {
                rid += 1;
                t.set("url_rewrite_id", rid)
                    .set("store_id", s)
                    .set("id_path", format!("category/{}", c.id));
                t.set("request_path", format!("{}.html", c.url_path));
                t.set("target_path", format!("catalog/category/view/id/{}", c.id))
                    .set("is_system", 1);
                t.set("category_id", c.id).push()?;
            }
            for id in 1..=np {
                let p = product(g, id);
                if p.visibility == 1 {
                    continue;
                }
                rid += 1;
                t.set("url_rewrite_id", rid)
                    .set("store_id", s)
                    .set("id_path", format!("product/{id}"));
                t.set("request_path", format!("{}.html", p.url_key));
                t.set("target_path", format!("catalog/product/view/id/{id}"))
                    .set("is_system", 1);
                t.set("product_id", id).push()?;
                if let Some(&c) = product_categories(g, &p).first() {
                    let cat = &g.cats[(c - 1) as usize];
                    rid += 1;
                    t.set("url_rewrite_id", rid)
                        .set("store_id", s)
                        .set("id_path", format!("product/{id}/{c}"));
                    t.set(
                        "request_path",
                        format!("{}/{}.html", cat.url_path, p.url_key),
                    );
                    t.set(
                        "target_path",
                        format!("catalog/product/view/id/{id}/category/{c}"),
                    )
                    .set("is_system", 1);
                    t.set("category_id", c).set("product_id", id).push()?;
                }
                if id % 100 == 17 {
                    rid += 1;
                    t.set("url_rewrite_id", rid)
                        .set("store_id", s)
                        .set("id_path", format!("{}_{id}", 1_500_000_000 + id));
                    t.set("request_path", format!("old/{}.html", p.url_key));
                    t.set("target_path", format!("{}.html", p.url_key))
                        .set("is_system", 0)
                        .set("options", "RP");
                    t.set("description", "Moved after the \"spring\" re-org")
                        .set("product_id", id)
                        .push()?;
                }
            }
        }
        Ok(())
    })?;
    Ok(())
}

/// The custom options of [`custom_options`]' products, titled in the admin
/// store and, for the engraving, in French in store view 2 when there is one.
fn write_custom_options(g: &Gen, d: &mut Dump) -> Result<()> {
    // The block numbers k of those products (ids 20k).
    let blocks = || 1..=g.products as i64 / 20;
    g.table(d, "catalog_product_option", |t| {
        for k in blocks() {
            t.set("option_id", 2 * k - 1)
                .set("product_id", 20 * k)
                .set("type", "field")
                .set("is_require", 0);
            t.set("sku", "engrave")
                .set("max_characters", 20)
                .set("sort_order", 1)
                .push()?;
            t.set("option_id", 2 * k)
                .set("product_id", 20 * k)
                .set("type", "drop_down")
                .set("is_require", 0);
            t.set("sku", V::Null)
                .set("max_characters", V::Null)
                .set("sort_order", 2)
                .push()?;
        }
        Ok(())
    })?;
    g.table(d, "catalog_product_option_title", |t| {
        let mut n = 0i64;
        for k in blocks() {
            let mut titles = vec![(2 * k - 1, 0, "Engraving"), (2 * k, 0, "Gift wrap")];
            if g.stores >= 2 {
                titles.push((2 * k - 1, 2, "Gravure « personnalisée »"));
            }
            for (option, store, title) in titles {
                n += 1;
                t.set("option_title_id", n)
                    .set("option_id", option)
                    .set("store_id", store)
                    .set("title", title)
                    .push()?;
            }
        }
        Ok(())
    })?;
    g.table(d, "catalog_product_option_price", |t| {
        for (n, k) in blocks().enumerate() {
            t.set("option_price_id", n + 1)
                .set("option_id", 2 * k - 1)
                .set("store_id", 0)
                .set("price", V::Dec(ENGRAVING_PRICE * 100))
                .set("price_type", "fixed")
                .push()?;
        }
        Ok(())
    })?;
    let values = || {
        blocks().flat_map(|k| {
            WRAPS
                .iter()
                .enumerate()
                .map(move |(j, w)| (k, 3 * k - 2 + j as i64, j, *w))
        })
    };
    g.table(d, "catalog_product_option_type_value", |t| {
        for (k, type_id, j, _) in values() {
            t.set("option_type_id", type_id)
                .set("option_id", 2 * k)
                .set("sku", format!("wrap-{j}"))
                .set("sort_order", j)
                .push()?;
        }
        Ok(())
    })?;
    g.table(d, "catalog_product_option_type_title", |t| {
        for (_, type_id, _, (title, _)) in values() {
            t.set("option_type_title_id", type_id)
                .set("option_type_id", type_id)
                .set("store_id", 0)
                .set("title", title)
                .push()?;
        }
        Ok(())
    })?;
    g.table(d, "catalog_product_option_type_price", |t| {
        for (_, type_id, _, (_, cents)) in values() {
            t.set("option_type_price_id", type_id)
                .set("option_type_id", type_id)
                .set("store_id", 0)
                .set("price", V::Dec(cents * 100))
                .set("price_type", "fixed")
                .push()?;
        }
        Ok(())
    })
    .map(|_| ())
}

fn write_categories(g: &Gen, d: &mut Dump) -> Result<()> {
    g.table(d, "catalog_category_entity", |t| {
        for c in &g.cats {
            t.set("entity_id", c.id)
                .set("entity_type_id", 3)
                .set("attribute_set_id", 3)
                .set("parent_id", c.parent);
            t.set("created_at", text::datetime(c.created))
                .set("updated_at", text::datetime(c.created + 86_400));
            t.set("path", c.path.clone())
                .set("position", c.position)
                .set("level", c.level);
            t.set("children_count", c.children_count).push()?;
        }
        Ok(())
    })?;
    let a = |code: &str| g.attr(3, code);
    g.table(d, "catalog_category_entity_datetime", |t| {
        let (from, to) = (a("custom_design_from"), a("custom_design_to"));
        let mut vid = 0i64;
        for c in g.cats.iter().filter(|c| c.id % 40 == 5) {
            for (attr, v) in [(from, V::Text(text::datetime(c.created))), (to, V::Null)] {
                vid += 1;
                t.set("value_id", vid)
                    .set("entity_type_id", 3)
                    .set("attribute_id", attr)
                    .set("store_id", 0);
                t.set("entity_id", c.id).set("value", v).push()?;
            }
        }
        Ok(())
    })?;
    g.table(d, "catalog_category_entity_decimal", |t| {
        let mut vid = 0i64;
        for c in g.cats.iter().filter(|c| c.id % 50 == 7) {
            vid += 1;
            t.set("value_id", vid)
                .set("entity_type_id", 3)
                .set("attribute_id", a("filter_price_range"))
                .set("store_id", 0);
            t.set("entity_id", c.id).set("value", money(2_500)).push()?;
        }
        Ok(())
    })?;
    g.table(d, "catalog_category_entity_int", |t| {
        let (active, anchor, menu, parent_settings) = (
            a("is_active"),
            a("is_anchor"),
            a("include_in_menu"),
            a("custom_use_parent_settings"),
        );
        let mut vid = 0i64;
        for c in &g.cats {
            let vals = [
                (active, 0, i64::from(c.id % 61 != 11)),
                (anchor, 0, i64::from(c.level >= 2)),
                (menu, 0, 1),
                (parent_settings, 0, 0),
            ];
            for (attr, store, v) in vals {
                vid += 1;
                t.set("value_id", vid)
                    .set("entity_type_id", 3)
                    .set("attribute_id", attr)
                    .set("store_id", store);
                t.set("entity_id", c.id).set("value", v).push()?;
            }
            if c.id % 13 == 0 && g.stores >= 2 {
                vid += 1;
                t.set("value_id", vid)
                    .set("entity_type_id", 3)
                    .set("attribute_id", menu)
                    .set("store_id", 2);
                t.set("entity_id", c.id).set("value", 0).push()?;
            }
        }
        Ok(())
    })?;
    g.table(d, "catalog_category_entity_text", |t| {
        let (desc, kw) = (a("description"), a("meta_keywords"));
        let mut vid = 0i64;
        for c in g.cats.iter().filter(|c| c.level >= 2) {
            let mut r = Rng::for_key(g.seed, K_CATEGORY + 100, c.id as u64);
            if r.chance(500) {
                vid += 1;
                let mut s = format!("<p>{}</p>", text::words(&mut r, 25));
                if r.chance(100) {
                    s.push_str(r.pick(TRICKY));
                }
                t.set("value_id", vid)
                    .set("entity_type_id", 3)
                    .set("attribute_id", desc)
                    .set("store_id", 0);
                t.set("entity_id", c.id).set("value", s).push()?;
            }
            if c.level == 2 {
                vid += 1;
                t.set("value_id", vid)
                    .set("entity_type_id", 3)
                    .set("attribute_id", kw)
                    .set("store_id", 0);
                t.set("entity_id", c.id)
                    .set("value", V::Text(c.name.to_lowercase()))
                    .push()?;
            }
        }
        Ok(())
    })?;
    g.table(d, "catalog_category_entity_varchar", |t| {
        let (name, key, path, mode, title) = (
            a("name"),
            a("url_key"),
            a("url_path"),
            a("display_mode"),
            a("meta_title"),
        );
        let mut vid = 0i64;
        for c in &g.cats {
            let mut row = |attr: i64, store: u64, v: V| {
                vid += 1;
                t.set("value_id", vid)
                    .set("entity_type_id", 3)
                    .set("attribute_id", attr)
                    .set("store_id", store);
                t.set("entity_id", c.id).set("value", v).push()
            };
            row(name, 0, V::Text(c.name.clone()))?;
            if c.id == 1 {
                continue;
            }
            row(key, 0, V::Text(c.url_key.clone()))?;
            row(mode, 0, V::S("PRODUCTS"))?;
            if c.level >= 2 {
                for s in 1..=g.stores {
                    row(path, s, V::Text(format!("{}.html", c.url_path)))?;
                }
                if c.id % 3 == 0 {
                    row(title, 0, V::Text(format!("{} | Example Shop", c.name)))?;
                }
                for s in 2..=g.stores {
                    if translated(g, c.id, s) {
                        row(name, s, V::Text(format!("{} ({})", c.name, store_label(s))))?;
                    }
                }
            }
        }
        Ok(())
    })?;
    Ok(())
}
