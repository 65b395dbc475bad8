//! Customers: accounts with their EAV values, one or two addresses each for
//! most of them, and newsletter subscriptions.

use anyhow::Result;

use crate::Gen;
use crate::rng::Rng;
use crate::text::{self, CITIES, FIRST, LAST, STREETS, TRICKY};
use crate::writer::{Dump, V};

const K_CUSTOMER: u64 = 20;
const K_ADDRESS: u64 = 21;
const K_WISHLIST: u64 = 22;

pub struct Customer {
    pub id: i64,
    pub first: &'static str,
    pub last: &'static str,
    pub email: String,
    pub group: i64,
    pub store: u64,
    pub created: i64,
    pub dob: Option<i64>,
    pub gender: Option<i64>,
    /// 0, 1 or 2 addresses, ids `2*id-1` and `2*id`.
    pub addresses: i64,
    pub active: bool,
}

impl Customer {
    pub fn address_ids(&self) -> impl Iterator<Item = i64> + use<> {
        let first = 2 * self.id - 1;
        first..first + self.addresses
    }
    pub fn default_address(&self) -> Option<i64> {
        if self.addresses > 0 {
            Some(2 * self.id - 1)
        } else {
            None
        }
    }
}

pub fn customer(g: &Gen, id: i64) -> Customer {
    let mut r = Rng::for_key(g.seed, K_CUSTOMER, id as u64);
    let first = r.pick(FIRST);
    let last = r.pick(LAST);
    let domain = r.pick(
        &[
            "example.com",
            "mail.example.org",
            "exämple.de",
            "shop-test.net",
        ][..],
    );
    let email = match r.below(20) {
        0 => format!(
            "{}.{}+shop{id}@{domain}",
            text::slug(first),
            text::slug(last)
        ),
        1 => format!("{}{id}@{domain}", text::slug(last).to_uppercase()),
        _ => format!("{}.{}{id}@{domain}", text::slug(first), text::slug(last)),
    };
    Customer {
        id,
        first,
        last,
        email,
        group: match r.below(20) {
            0 => 2,
            1 => 3,
            _ => 1,
        },
        store: 1 + r.below(g.stores),
        created: 1_325_376_000
            + (id * 150_000_000 / (g.customers.max(1) as i64))
            + r.range(0, 3_600),
        dob: if r.chance(400) {
            Some(r.range(-600_000_000, 1_000_000_000))
        } else {
            None
        },
        gender: if r.chance(500) {
            Some(r.range(1, 2))
        } else {
            None
        },
        addresses: match r.below(20) {
            0 => 0,
            1..=13 => 1,
            _ => 2,
        },
        active: r.chance(990),
    }
}

pub struct Address {
    pub id: i64,
    pub first: &'static str,
    pub last: &'static str,
    pub company: Option<&'static str>,
    pub street: String,
    pub city: &'static str,
    pub region: &'static str,
    pub region_id: Option<i64>,
    pub country: &'static str,
    pub postcode: String,
    pub telephone: String,
}

/// An address keyed by (kind, id) so that orders and quotes can draw their own.
pub fn address(g: &Gen, kind: u64, id: i64, first: &'static str, last: &'static str) -> Address {
    let mut r = Rng::for_key(g.seed, K_ADDRESS + kind * 1000, id as u64);
    let (city, region, country, region_id, pc) = r.pick(CITIES);
    let mut street = format!("{} {}", r.range(1, 999), r.pick(STREETS));
    if r.chance(300) {
        street.push_str(&format!("\nApt {}", r.range(1, 99)));
    }
    if r.chance(5) {
        street.push_str(&format!("\n{}", r.pick(TRICKY)));
    }
    Address {
        id,
        first: if r.chance(900) { first } else { r.pick(FIRST) },
        last,
        company: if r.chance(150) {
            Some(r.pick(
                &[
                    "Acme Inc.",
                    "O'Reilly & Co",
                    "Café \"Lumière\"",
                    "Müller GmbH",
                    "株式会社テスト",
                ][..],
            ))
        } else {
            None
        },
        street,
        city,
        region,
        region_id: if region_id > 0 { Some(region_id) } else { None },
        country,
        postcode: text::fill_digits(&mut r, pc),
        telephone: {
            let pattern = r.pick(
                &[
                    "+1 (555) ###-####",
                    "0# ## ## ## ##",
                    "+49 ### #######",
                    "+81-3-####-####",
                ][..],
            );
            text::fill_digits(&mut r, pattern)
        },
    }
}

pub fn write(g: &Gen, d: &mut Dump) -> Result<()> {
    let nc = g.customers as i64;
    let a = |code: &str| g.attr(1, code);
    g.table(d, "customer_entity", |t| {
        for id in 1..=nc {
            let c = customer(g, id);
            t.set("entity_id", id)
                .set("entity_type_id", 1)
                .set("attribute_set_id", 0)
                .set("website_id", 1);
            t.set("email", c.email)
                .set("group_id", c.group)
                .set("increment_id", V::Null)
                .set("store_id", c.store);
            t.set("created_at", text::datetime(c.created)).set(
                "updated_at",
                text::datetime(c.created + 86_400 * (id % 300)),
            );
            t.set("is_active", i64::from(c.active))
                .set("disable_auto_group_change", 0)
                .push()?;
        }
        Ok(())
    })?;
    g.table(d, "customer_entity_datetime", |t| {
        let dob = a("dob");
        let mut vid = 0i64;
        for id in 1..=nc {
            let c = customer(g, id);
            if let Some(b) = c.dob {
                vid += 1;
                t.set("value_id", vid)
                    .set("entity_type_id", 1)
                    .set("attribute_id", dob)
                    .set("entity_id", id);
                t.set("value", format!("{} 00:00:00", text::date(b)))
                    .push()?;
            }
        }
        Ok(())
    })?;
    g.table(d, "customer_entity_decimal", |_| Ok(()))?;
    g.table(d, "customer_entity_int", |t| {
        let (billing, shipping, gender) =
            (a("default_billing"), a("default_shipping"), a("gender"));
        let mut vid = 0i64;
        for id in 1..=nc {
            let c = customer(g, id);
            let mut row = |attr: i64, v: i64| {
                vid += 1;
                t.set("value_id", vid)
                    .set("entity_type_id", 1)
                    .set("attribute_id", attr)
                    .set("entity_id", id);
                t.set("value", v).push()
            };
            if let Some(addr) = c.default_address() {
                row(billing, addr)?;
                row(shipping, addr + c.addresses - 1)?;
            }
            if let Some(gd) = c.gender {
                row(gender, gd)?;
            }
        }
        Ok(())
    })?;
    g.table(d, "customer_entity_text", |_| Ok(()))?;
    g.table(d, "customer_entity_varchar", |t| {
        let (first, last, hash, created_in, middle, prefix, taxvat) = (
            a("firstname"),
            a("lastname"),
            a("password_hash"),
            a("created_in"),
            a("middlename"),
            a("prefix"),
            a("taxvat"),
        );
        let mut vid = 0i64;
        for id in 1..=nc {
            let c = customer(g, id);
            let mut r = Rng::for_key(g.seed, K_CUSTOMER + 500, id as u64);
            let mut row = |attr: i64, v: V| {
                vid += 1;
                t.set("value_id", vid)
                    .set("entity_type_id", 1)
                    .set("attribute_id", attr)
                    .set("entity_id", id);
                t.set("value", v).push()
            };
            row(created_in, V::Text(crate::store::store_view(c.store).1))?;
            row(first, V::S(c.first))?;
            if id % 25 == 0 {
                row(middle, V::S("J."))?;
            }
            if id % 40 == 0 {
                row(prefix, V::S(if id % 80 == 0 { "Mrs." } else { "Dr." }))?;
            }
            row(last, V::S(c.last))?;
            // CE 1.9: md5(salt . password) ":" salt (32-character salt; old accounts 2).
            let salt = text::alnum(&mut r, if id % 10 == 0 { 2 } else { 32 });
            row(hash, V::Text(format!("{}:{salt}", text::hex(&mut r, 32))))?;
            if id % 30 == 0 {
                row(
                    taxvat,
                    V::Text(format!("DE{}", r.range(100_000_000, 999_999_999))),
                )?;
            }
        }
        Ok(())
    })?;
    let addrs = |f: &mut dyn FnMut(&Customer, Address) -> Result<()>| -> Result<()> {
        for id in 1..=nc {
            let c = customer(g, id);
            for aid in c.address_ids() {
                f(&c, address(g, 0, aid, c.first, c.last))?;
            }
        }
        Ok(())
    };
    g.table(d, "customer_address_entity", |t| {
        addrs(&mut |c, ad| {
            t.set("entity_id", ad.id)
                .set("entity_type_id", 2)
                .set("attribute_set_id", 0)
                .set("increment_id", V::Null);
            t.set("parent_id", c.id)
                .set("created_at", text::datetime(c.created + 600));
            t.set("updated_at", text::datetime(c.created + 600))
                .set("is_active", 1)
                .push()
        })
    })?;
    let b = |code: &str| g.attr(2, code);
    g.table(d, "customer_address_entity_datetime", |_| Ok(()))?;
    g.table(d, "customer_address_entity_decimal", |_| Ok(()))?;
    g.table(d, "customer_address_entity_int", |t| {
        let region_id = b("region_id");
        let mut vid = 0i64;
        addrs(&mut |_, ad| {
            if let Some(rid) = ad.region_id {
                vid += 1;
                t.set("value_id", vid)
                    .set("entity_type_id", 2)
                    .set("attribute_id", region_id)
                    .set("entity_id", ad.id);
                t.set("value", rid).push()?;
            }
            Ok(())
        })
    })?;
    g.table(d, "customer_address_entity_text", |t| {
        let street = b("street");
        let mut vid = 0i64;
        addrs(&mut |_, ad| {
            vid += 1;
            t.set("value_id", vid)
                .set("entity_type_id", 2)
                .set("attribute_id", street)
                .set("entity_id", ad.id);
            t.set("value", ad.street).push()
        })
    })?;
    g.table(d, "customer_address_entity_varchar", |t| {
        let cols = [
            "firstname",
            "lastname",
            "company",
            "city",
            "country_id",
            "region",
            "postcode",
            "telephone",
        ]
        .map(b);
        let mut vid = 0i64;
        addrs(&mut |_, ad| {
            let vals: [V; 8] = [
                V::S(ad.first),
                V::S(ad.last),
                V::from(ad.company),
                V::S(ad.city),
                V::S(ad.country),
                V::S(ad.region),
                V::Text(ad.postcode),
                V::Text(ad.telephone),
            ];
            for (attr, v) in cols.iter().zip(vals) {
                if matches!(v, V::Null) {
                    continue;
                }
                vid += 1;
                t.set("value_id", vid)
                    .set("entity_type_id", 2)
                    .set("attribute_id", *attr)
                    .set("entity_id", ad.id);
                t.set("value", v).push()?;
            }
            Ok(())
        })
    })?;
    g.table(d, "newsletter_subscriber", |t| {
        let mut sid = 0i64;
        for id in 1..=nc {
            let mut r = Rng::for_key(g.seed, K_CUSTOMER + 600, id as u64);
            if !r.chance(200) {
                continue;
            }
            let c = customer(g, id);
            sid += 1;
            t.set("subscriber_id", sid)
                .set("store_id", c.store)
                .set("change_status_at", text::datetime(c.created + 7200));
            t.set("customer_id", id)
                .set("subscriber_email", c.email)
                .set("subscriber_status", if r.chance(900) { 1 } else { 3 });
            t.set("subscriber_confirm_code", text::alnum(&mut r, 32))
                .push()?;
            if r.chance(100) {
                // A guest subscriber.
                sid += 1;
                t.set("subscriber_id", sid)
                    .set("store_id", 1)
                    .set("change_status_at", V::Null)
                    .set("customer_id", 0);
                t.set("subscriber_email", format!("guest{sid}@example.com"))
                    .set("subscriber_status", 1);
                t.set("subscriber_confirm_code", V::Null).push()?;
            }
        }
        Ok(())
    })?;
    wishlists(g, d)
}

/// The products on a customer's wish list (a third of the customers keep
/// one), with the quantity of each.
fn wish_list(g: &Gen, id: i64) -> Vec<(i64, i64)> {
    let mut r = Rng::for_key(g.seed, K_WISHLIST, id as u64);
    if g.products == 0 || !r.chance(333) {
        return Vec::new();
    }
    (0..r.range(1, 5))
        .map(|_| (1 + r.below(g.products) as i64, r.range(1, 3)))
        .collect()
}

/// A wish list item, as [`each_wished`] hands it out.
struct Wished<'c> {
    /// The wish list's id: wish lists count the customers that keep one.
    list: i64,
    /// The item's id: items count across all wish lists.
    item: i64,
    customer: &'c Customer,
    /// The item's place on its list.
    place: usize,
    product: i64,
    qty: i64,
}

/// Calls `f` with each wish list item, in order.
fn each_wished(g: &Gen, mut f: impl FnMut(&Wished<'_>) -> Result<()>) -> Result<()> {
    let (mut list, mut item) = (0i64, 0i64);
    for id in 1..=g.customers as i64 {
        let wished = wish_list(g, id);
        if wished.is_empty() {
            continue;
        }
        list += 1;
        let customer = customer(g, id);
        for (place, (product, qty)) in wished.into_iter().enumerate() {
            item += 1;
            f(&Wished {
                list,
                item,
                customer: &customer,
                place,
                product,
                qty,
            })?;
        }
    }
    Ok(())
}

fn wishlists(g: &Gen, d: &mut Dump) -> Result<()> {
    g.table(d, "wishlist", |t| {
        each_wished(g, |w| {
            if w.place > 0 {
                return Ok(());
            }
            let c = w.customer;
            let mut r = Rng::for_key(g.seed, K_WISHLIST + 1, c.id as u64);
            let shared = r.chance(100);
            t.set("wishlist_id", w.list)
                .set("customer_id", c.id)
                .set("shared", i64::from(shared));
            t.set("sharing_code", text::alnum(&mut r, 32))
                .set("updated_at", text::datetime(c.created + 86_400 * 3))
                .push()
        })
    })?;
    g.table(d, "wishlist_item", |t| {
        each_wished(g, |w| {
            let c = w.customer;
            t.set("wishlist_item_id", w.item)
                .set("wishlist_id", w.list)
                .set("product_id", w.product)
                .set("store_id", c.store);
            t.set(
                "added_at",
                text::datetime(c.created + 86_400 * 3 + 60 * w.place as i64),
            )
            .set(
                "description",
                if w.product % 7 == 0 {
                    V::S("For the garden – “later”")
                } else {
                    V::Null
                },
            )
            .set("qty", V::Dec(w.qty * 10_000))
            .push()
        })
    })?;
    g.table(d, "wishlist_item_option", |t| {
        each_wished(g, |w| {
            let (pid, qty) = (w.product, w.qty);
            let request = format!(
                "a:3:{{{}{}{}{}{}i:{qty};}}",
                text::ps("product"),
                text::ps(&pid.to_string()),
                text::ps("form_key"),
                text::ps(&format!("{:016x}", crate::rng::mix(pid as u64 ^ g.seed))),
                text::ps("qty"),
            );
            t.set("option_id", w.item)
                .set("wishlist_item_id", w.item)
                .set("product_id", pid)
                .set("code", "info_buyRequest")
                .set("value", request)
                .push()
        })
    })
    .map(|_| ())
}
