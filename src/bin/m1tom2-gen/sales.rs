//! Sales: orders with their items, addresses, payments and history, and for a
//! share of them invoices, shipments (with tracks) and credit memos; the
//! quotes the orders came from; the increment counters; product reviews.

#![allow(clippy::explicit_counter_loop)]

use anyhow::Result;
use base64::Engine;

use crate::Gen;
use crate::catalog::{Kind, kind, price_of, product};
use crate::customers::{Address, address, customer};
use crate::rng::Rng;
use crate::store::{COLORS, SIZES, color_option, size_option, store_view};
use crate::text::{self, FIRST, LAST, TRICKY, ps};
use crate::writer::{Dump, Ins, V, money};

const K_ORDER: u64 = 40;
const K_REVIEW: u64 = 41;
const K_HISTORY: u64 = 42;

pub struct Item {
    pub product: i64,
    pub child: Option<i64>,
    pub qty: i64,
    /// Unit price in cents.
    pub price: i64,
}

pub struct Order {
    pub id: i64,
    pub store: u64,
    pub customer: Option<i64>,
    pub created: i64,
    pub state: &'static str,
    pub status: &'static str,
    pub items: Vec<Item>,
    pub subtotal: i64,
    pub shipping: i64,
    pub tax: i64,
    pub discount: i64,
    pub grand: i64,
    pub invoiced: bool,
    pub shipped: bool,
    pub refunded: bool,
    pub quote: bool,
    pub method: &'static str,
    pub tax_rate: i64,
}

impl Order {
    pub fn item_rows(&self) -> i64 {
        self.items
            .iter()
            .map(|i| 1 + i64::from(i.child.is_some()))
            .sum()
    }
    pub fn increment(&self) -> String {
        format!("{}{:08}", self.store, self.id)
    }
    pub fn history_rows(&self) -> i64 {
        1 + i64::from(self.invoiced)
            + i64::from(self.shipped)
            + i64::from(self.refunded)
            + i64::from(self.state == "canceled")
    }
    fn qty(&self) -> i64 {
        self.items.iter().map(|i| i.qty).sum()
    }
}

pub fn order(g: &Gen, id: i64) -> Order {
    let mut r = Rng::for_key(g.seed, K_ORDER, id as u64);
    let store = 1 + r.below(g.stores);
    let customer = if g.customers > 0 && r.chance(750) {
        Some(1 + r.below(g.customers) as i64)
    } else {
        None
    };
    let span = 1_561_852_800 - 1_388_534_400;
    let created = 1_388_534_400 + id * span / (g.orders.max(1) as i64) + r.range(0, 3_000);
    let (state, status) = match r.below(100) {
        0..=54 => ("complete", "complete"),
        55..=69 => ("processing", "processing"),
        70..=81 => ("new", "pending"),
        82..=91 => ("canceled", "canceled"),
        _ => ("closed", "closed"),
    };
    let tax_rate = if store == 1 { 825 } else { 0 };
    let mut items = Vec::new();
    let n = r.range(1, 5);
    for _ in 0..n {
        let mut p = 1 + r.below(g.products.max(1)) as i64;
        let child = match kind(g, p) {
            Kind::Configurable { first_child, count } => {
                Some(first_child + r.below(count as u64) as i64)
            }
            Kind::Child { parent, .. } => {
                let c = p;
                p = parent;
                Some(c)
            }
            Kind::Simple => None,
        };
        if items
            .iter()
            .any(|i: &Item| i.product == p && i.child == child)
        {
            continue;
        }
        let (price, special) = price_of(g, p);
        items.push(Item {
            product: p,
            child,
            qty: r.range(1, 3),
            price: special.unwrap_or(price),
        });
    }
    let subtotal: i64 = items.iter().map(|i| i.price * i.qty).sum();
    let shipping = if subtotal > 10_000 {
        0
    } else {
        500 * items.len() as i64
    };
    let discount = if r.chance(100) { subtotal / 10 } else { 0 };
    let tax = (subtotal - discount) * tax_rate / 10_000;
    let method = match r.below(10) {
        0..=4 => "checkmo",
        5..=7 => "paypal_express",
        8 => "banktransfer",
        _ => "cashondelivery",
    };
    Order {
        id,
        store,
        customer,
        created,
        state,
        status,
        subtotal,
        shipping,
        tax,
        discount,
        grand: subtotal + shipping + tax - discount,
        invoiced: matches!(state, "complete" | "processing" | "closed"),
        shipped: matches!(state, "complete" | "closed"),
        refunded: state == "closed",
        quote: r.chance(500),
        method,
        tax_rate,
        items,
    }
}

/// The ids the rows of one order start from, in every table.
#[derive(Default, Clone)]
pub struct Ids {
    pub item: i64,
    pub history: i64,
    pub invoice: i64,
    pub invoice_item: i64,
    pub shipment: i64,
    pub shipment_item: i64,
    pub creditmemo: i64,
    pub creditmemo_item: i64,
    pub quote: i64,
    pub quote_item: i64,
}

fn each_order(g: &Gen, mut f: impl FnMut(&Order, &Ids) -> Result<()>) -> Result<()> {
    let mut ids = Ids {
        item: 1,
        history: 1,
        invoice: 1,
        invoice_item: 1,
        shipment: 1,
        shipment_item: 1,
        creditmemo: 1,
        creditmemo_item: 1,
        quote: 1,
        quote_item: 1,
    };
    for id in 1..=g.orders as i64 {
        let o = order(g, id);
        f(&o, &ids)?;
        let rows = o.item_rows();
        ids.item += rows;
        ids.history += o.history_rows();
        if o.invoiced {
            ids.invoice += 1;
            ids.invoice_item += rows;
        }
        if o.shipped {
            ids.shipment += 1;
            ids.shipment_item += rows;
        }
        if o.refunded {
            ids.creditmemo += 1;
            ids.creditmemo_item += rows;
        }
        if o.quote {
            ids.quote += 1;
            ids.quote_item += rows;
        }
    }
    Ok(())
}

/// Who placed the order: first name, last name, e-mail, group, the customer's
/// default address.
struct Person {
    first: &'static str,
    last: &'static str,
    email: String,
    group: i64,
    address: Option<i64>,
    dob: Option<i64>,
    gender: Option<i64>,
}

fn person(g: &Gen, o: &Order) -> Person {
    match o.customer {
        Some(cid) => {
            let c = customer(g, cid);
            let address = c.default_address();
            Person {
                first: c.first,
                last: c.last,
                email: c.email,
                group: c.group,
                address,
                dob: c.dob,
                gender: c.gender,
            }
        }
        None => {
            let mut r = Rng::for_key(g.seed, K_ORDER + 100, o.id as u64);
            Person {
                first: r.pick(FIRST),
                last: r.pick(LAST),
                email: format!("guest.{}@example.net", o.id),
                group: 0,
                address: None,
                dob: None,
                gender: None,
            }
        }
    }
}

fn billing(g: &Gen, o: &Order, p: &Person) -> Address {
    match p.address {
        Some(aid) => address(g, 0, aid, p.first, p.last),
        None => address(g, 1, o.id, p.first, p.last),
    }
}

fn shipping_address(g: &Gen, o: &Order, p: &Person) -> Address {
    if o.id % 10 == 3 {
        address(g, 2, o.id, p.first, p.last)
    } else {
        billing(g, o, p)
    }
}

fn store_name(s: u64) -> String {
    format!("Main Website\nMain Website Store\n{}", store_view(s).1)
}

fn uenc(url_key: &str) -> String {
    base64::engine::general_purpose::URL_SAFE
        .encode(format!("http://shop.example.com/{url_key}.html"))
        .replace('=', ",")
}

/// The chosen super attributes of a configurable item's child, PHP
/// serialize()d: `a:2:{i:<color attribute>;s:..:"<option>";i:<size>;…}`.
fn super_attributes(g: &Gen, child: i64) -> String {
    let c = product(g, child);
    let (ci, si) = (c.color.unwrap_or(0), c.size.unwrap_or(0));
    format!(
        "a:2:{{i:{};{}i:{};{}}}",
        g.attr(4, "color"),
        ps(&color_option(ci).to_string()),
        g.attr(4, "size"),
        ps(&size_option(si).to_string())
    )
}

/// The custom options chosen for an item (see [`catalog::custom_options`]):
/// the engraving's option id and text, the gift wrap's option id and value
/// id, with the value's title.
struct Chosen {
    engraving: (i64, String),
    wrap: (i64, i64, &'static str),
}

fn chosen(o: &Order, it: &Item) -> Option<Chosen> {
    if it.child.is_some() {
        return None;
    }
    let k = crate::catalog::custom_options(it.product)?;
    const FOR: [&str; 4] = ["Anna", "Zoë", "O'Brien", "Jürgen \\ Sons"];
    let j = (o.id + it.product) as usize % crate::catalog::WRAPS.len();
    Some(Chosen {
        engraving: (
            2 * k - 1,
            format!("For {} ❤ {}", FOR[o.id as usize % 4], o.id),
        ),
        wrap: (2 * k, 3 * k - 2 + j as i64, crate::catalog::WRAPS[j].0),
    })
}

/// The buy request of an item, PHP serialize()d: what the customer put in
/// the cart (the `info_buyRequest` of its options).
fn buy_request(g: &Gen, o: &Order, it: &Item, url_key: &str) -> String {
    let pid = it.product.to_string();
    let mut req = format!(
        "{}{}{}{}{}{}",
        ps("uenc"),
        ps(&uenc(url_key)),
        ps("product"),
        ps(&pid),
        ps("form_key"),
        ps(&format!("{:016x}", crate::rng::mix(o.id as u64 ^ g.seed)))
    );
    let mut n = 4;
    if let Some(c) = chosen(o, it) {
        req.push_str(&format!(
            "{}a:2:{{i:{};{}i:{};{}}}",
            ps("options"),
            c.engraving.0,
            ps(&c.engraving.1),
            c.wrap.0,
            ps(&c.wrap.1.to_string())
        ));
        n += 1;
    }
    if let Some(child) = it.child {
        req.push_str(&format!(
            "{}{}",
            ps("super_attribute"),
            super_attributes(g, child)
        ));
        n += 1;
    }
    req.push_str(&format!("{}d:{};", ps("qty"), it.qty));
    format!("a:{n}:{{{req}}}")
}

/// `product_options` of an order item: PHP serialize() of the buy request
/// (and, for a configurable product, its chosen options).
fn product_options(g: &Gen, o: &Order, it: &Item, url_key: &str) -> String {
    let request = buy_request(g, o, it, url_key);
    let Some(child) = it.child else {
        let Some(c) = chosen(o, it) else {
            return format!("a:1:{{{}{request}}}", ps("info_buyRequest"));
        };
        // The options as the order shows them.
        let shown = |label: &str, value: &str, id: i64, ty: &str, raw: &str| {
            format!(
                "a:7:{{{}{}{}{}{}{}{}{}{}{}{}{}{}b:0;}}",
                ps("label"),
                ps(label),
                ps("value"),
                ps(value),
                ps("print_value"),
                ps(value),
                ps("option_id"),
                ps(&id.to_string()),
                ps("option_type"),
                ps(ty),
                ps("option_value"),
                ps(raw),
                ps("custom_view"),
            )
        };
        let wrap_id = c.wrap.1.to_string();
        return format!(
            "a:2:{{{}{request}{}a:2:{{i:0;{}i:1;{}}}}}",
            ps("info_buyRequest"),
            ps("options"),
            shown(
                "Engraving",
                &c.engraving.1,
                c.engraving.0,
                "field",
                &c.engraving.1
            ),
            shown("Gift wrap", c.wrap.2, c.wrap.0, "drop_down", &wrap_id),
        );
    };
    let c = product(g, child);
    let (ci, si) = (c.color.unwrap_or(0), c.size.unwrap_or(0));
    let color_label = if o.store >= 2 {
        COLORS[ci].1
    } else {
        COLORS[ci].0
    };
    let info = format!(
        "a:2:{{i:0;a:2:{{{}{}{}{}}}i:1;a:2:{{{}{}{}{}}}}}",
        ps("label"),
        ps(if o.store >= 2 {
            "Farbe / Couleur"
        } else {
            "Color"
        }),
        ps("value"),
        ps(color_label),
        ps("label"),
        ps("Size"),
        ps("value"),
        ps(SIZES[si])
    );
    format!(
        "a:6:{{{}{request}{}{info}{}{}{}{}{}i:1;{}i:0;}}",
        ps("info_buyRequest"),
        ps("attributes_info"),
        ps("simple_name"),
        ps(&c.name),
        ps("simple_sku"),
        ps(&c.sku),
        ps("product_calculations"),
        ps("shipment_type"),
    )
}

fn currencies(t: &mut Ins, store: bool) {
    t.set("base_currency_code", "USD")
        .set("order_currency_code", "USD")
        .set("global_currency_code", "USD");
    if store {
        t.set("store_currency_code", "USD");
    }
}

fn set_address(t: &mut Ins, a: &Address, email: &str) {
    t.set("region_id", a.region_id)
        .set("region", a.region)
        .set("postcode", a.postcode.clone())
        .set("lastname", a.last);
    t.set("street", a.street.clone())
        .set("city", a.city)
        .set("email", email.to_string())
        .set("telephone", a.telephone.clone());
    t.set("country_id", a.country)
        .set("firstname", a.first)
        .set("company", a.company);
}

pub fn write(g: &Gen, d: &mut Dump) -> Result<()> {
    g.table(d, "sales_flat_order", |t| {
        each_order(g, |o, ids| {
            let p = person(g, o);
            let mut r = Rng::for_key(g.seed, K_ORDER + 200, o.id as u64);
            let paid = if o.invoiced { o.grand } else { 0 };
            let refunded = if o.refunded { o.grand } else { 0 };
            t.set("entity_id", o.id)
                .set("state", o.state)
                .set("status", o.status);
            t.set(
                "coupon_code",
                if o.discount > 0 {
                    V::S("SAVE10")
                } else {
                    V::Null
                },
            );
            t.set("protect_code", text::hex(&mut r, 6))
                .set("shipping_description", "Flat Rate - Fixed")
                .set("is_virtual", 0);
            t.set("store_id", o.store).set("customer_id", o.customer);
            for (col, v) in [
                ("discount_amount", -o.discount),
                ("grand_total", o.grand),
                ("shipping_amount", o.shipping),
                ("shipping_tax_amount", 0),
                ("subtotal", o.subtotal),
                ("tax_amount", o.tax),
                ("total_paid", paid),
                ("total_invoiced", paid),
                ("total_refunded", refunded),
                ("total_online_refunded", 0),
                ("total_offline_refunded", refunded),
                ("subtotal_incl_tax", o.subtotal + o.tax),
                ("total_due", o.grand - paid),
                ("shipping_incl_tax", o.shipping),
                ("subtotal_invoiced", if o.invoiced { o.subtotal } else { 0 }),
                ("tax_invoiced", if o.invoiced { o.tax } else { 0 }),
                ("shipping_invoiced", if o.invoiced { o.shipping } else { 0 }),
                ("subtotal_refunded", if o.refunded { o.subtotal } else { 0 }),
                (
                    "total_canceled",
                    if o.state == "canceled" { o.grand } else { 0 },
                ),
                (
                    "subtotal_canceled",
                    if o.state == "canceled" { o.subtotal } else { 0 },
                ),
            ] {
                t.set(col, money(v));
                t.set(&format!("base_{col}"), money(v));
            }
            for col in [
                "base_to_global_rate",
                "base_to_order_rate",
                "store_to_base_rate",
                "store_to_order_rate",
            ] {
                t.set(col, V::Dec(10_000));
            }
            if !o.invoiced {
                for col in [
                    "total_paid",
                    "total_invoiced",
                    "base_total_paid",
                    "base_total_invoiced",
                    "subtotal_invoiced",
                    "base_subtotal_invoiced",
                    "tax_invoiced",
                    "base_tax_invoiced",
                    "shipping_invoiced",
                    "base_shipping_invoiced",
                ] {
                    t.set(col, V::Null);
                }
            }
            if !o.refunded {
                for col in [
                    "total_refunded",
                    "base_total_refunded",
                    "total_offline_refunded",
                    "base_total_offline_refunded",
                    "total_online_refunded",
                    "base_total_online_refunded",
                    "subtotal_refunded",
                    "base_subtotal_refunded",
                ] {
                    t.set(col, V::Null);
                }
            }
            t.set("total_qty_ordered", V::Dec(o.qty() * 10_000))
                .set("customer_is_guest", i64::from(o.customer.is_none()));
            t.set("customer_note_notify", 1)
                .set("billing_address_id", 2 * o.id - 1)
                .set("customer_group_id", p.group);
            t.set("email_sent", 1).set(
                "quote_id",
                if o.quote { V::Int(ids.quote) } else { V::Null },
            );
            t.set("shipping_address_id", 2 * o.id)
                .set("weight", V::Dec(o.items.len() as i64 * 12_500));
            t.set(
                "customer_dob",
                p.dob.map(|b| format!("{} 00:00:00", text::date(b))),
            );
            t.set("increment_id", o.increment())
                .set("customer_email", p.email)
                .set("customer_firstname", p.first);
            t.set("customer_lastname", p.last);
            currencies(t, true);
            t.set(
                "remote_ip",
                format!(
                    "{}.{}.{}.{}",
                    10 + r.below(200),
                    r.below(256),
                    r.below(256),
                    1 + r.below(254)
                ),
            );
            if r.chance(50) {
                t.set("x_forwarded_for", "203.0.113.7, 198.51.100.2");
            }
            t.set("shipping_method", "flatrate_flatrate")
                .set("store_name", store_name(o.store));
            if r.chance(20) {
                t.set(
                    "customer_note",
                    format!("Please leave at the door. {}", r.pick(TRICKY)),
                );
            }
            t.set("created_at", text::datetime(o.created))
                .set("updated_at", text::datetime(o.created + 86_400 * 3));
            t.set("total_item_count", o.items.len())
                .set("customer_gender", p.gender);
            t.set("hidden_tax_amount", money(0))
                .set("base_hidden_tax_amount", money(0));
            t.set("paypal_ipn_customer_notified", 0);
            if o.discount > 0 {
                t.set("applied_rule_ids", "1")
                    .set("discount_description", "SAVE10")
                    .set("coupon_rule_name", "10% \"welcome\" discount");
            }
            t.push()
        })
    })?;
    g.table(d, "sales_flat_order_grid", |t| {
        each_order(g, |o, _| {
            let p = person(g, o);
            let b = billing(g, o, &p);
            let s = shipping_address(g, o, &p);
            let paid = if o.invoiced { money(o.grand) } else { V::Null };
            t.set("entity_id", o.id)
                .set("status", o.status)
                .set("store_id", o.store)
                .set("store_name", store_name(o.store));
            t.set("customer_id", o.customer)
                .set("base_grand_total", money(o.grand))
                .set("base_total_paid", paid.clone());
            t.set("grand_total", money(o.grand))
                .set("total_paid", paid)
                .set("increment_id", o.increment());
            t.set("base_currency_code", "USD")
                .set("order_currency_code", "USD");
            t.set("shipping_name", format!("{} {}", s.first, s.last))
                .set("billing_name", format!("{} {}", b.first, b.last));
            t.set("created_at", text::datetime(o.created))
                .set("updated_at", text::datetime(o.created + 86_400 * 3));
            t.push()
        })
    })?;
    g.table(d, "sales_flat_order_item", |t| {
        each_order(g, |o, ids| {
            let mut iid = ids.item;
            let mut qid = ids.quote_item;
            let ts = text::datetime(o.created);
            for it in &o.items {
                let pr = product(g, it.product);
                let row = it.price * it.qty;
                let tax = row * o.tax_rate / 10_000;
                let parent_id = iid;
                for (n, pid) in std::iter::once(it.product).chain(it.child).enumerate() {
                    let is_child = n == 1;
                    let pp = if is_child {
                        product(g, pid)
                    } else {
                        product(g, it.product)
                    };
                    let (price, rowt, taxv) = if is_child {
                        (0, 0, 0)
                    } else {
                        (it.price, row, tax)
                    };
                    t.set("item_id", iid).set("order_id", o.id).set(
                        "parent_item_id",
                        if is_child { V::Int(parent_id) } else { V::Null },
                    );
                    t.set("quote_item_id", if o.quote { V::Int(qid) } else { V::Null })
                        .set("store_id", o.store);
                    t.set("created_at", ts.clone())
                        .set("updated_at", ts.clone())
                        .set("product_id", pid);
                    t.set(
                        "product_type",
                        if it.child.is_some() && !is_child {
                            "configurable"
                        } else {
                            "simple"
                        },
                    );
                    let opts = if is_child {
                        let simple = Item {
                            product: pid,
                            child: None,
                            qty: it.qty,
                            price: 0,
                        };
                        product_options(g, o, &simple, &pp.url_key)
                    } else {
                        product_options(g, o, it, &pr.url_key)
                    };
                    t.set("product_options", opts)
                        .set("weight", V::Dec(pp.weight.unwrap_or(0) * 10))
                        .set("is_virtual", 0);
                    let sku = if it.child.is_some() {
                        product(g, it.child.unwrap_or(pid)).sku
                    } else {
                        pp.sku.clone()
                    };
                    t.set("sku", sku)
                        .set("name", pp.name.clone())
                        .set("free_shipping", 0)
                        .set("is_qty_decimal", 0)
                        .set("no_discount", 0);
                    t.set("qty_ordered", V::Dec(it.qty * 10_000)).set(
                        "qty_canceled",
                        V::Dec(if o.state == "canceled" {
                            it.qty * 10_000
                        } else {
                            0
                        }),
                    );
                    t.set(
                        "qty_invoiced",
                        V::Dec(if o.invoiced { it.qty * 10_000 } else { 0 }),
                    );
                    t.set(
                        "qty_shipped",
                        V::Dec(if o.shipped { it.qty * 10_000 } else { 0 }),
                    );
                    t.set(
                        "qty_refunded",
                        V::Dec(if o.refunded { it.qty * 10_000 } else { 0 }),
                    );
                    for col in [
                        "price",
                        "base_price",
                        "original_price",
                        "base_original_price",
                    ] {
                        t.set(col, money(price));
                    }
                    t.set(
                        "tax_percent",
                        V::Dec(if is_child { 0 } else { o.tax_rate * 100 }),
                    );
                    t.set("tax_amount", money(taxv))
                        .set("base_tax_amount", money(taxv));
                    t.set("tax_invoiced", money(if o.invoiced { taxv } else { 0 }))
                        .set(
                            "base_tax_invoiced",
                            money(if o.invoiced { taxv } else { 0 }),
                        );
                    t.set("discount_percent", money(0))
                        .set("discount_amount", money(0))
                        .set("base_discount_amount", money(0));
                    t.set("amount_refunded", money(if o.refunded { rowt } else { 0 }))
                        .set(
                            "base_amount_refunded",
                            money(if o.refunded { rowt } else { 0 }),
                        );
                    t.set("row_total", money(rowt))
                        .set("base_row_total", money(rowt));
                    t.set("row_invoiced", money(if o.invoiced { rowt } else { 0 }))
                        .set(
                            "base_row_invoiced",
                            money(if o.invoiced { rowt } else { 0 }),
                        );
                    t.set("row_weight", V::Dec(pp.weight.unwrap_or(0) * 10 * it.qty));
                    t.set(
                        "price_incl_tax",
                        money(price + if rowt > 0 { taxv / it.qty } else { 0 }),
                    )
                    .set(
                        "base_price_incl_tax",
                        money(price + if rowt > 0 { taxv / it.qty } else { 0 }),
                    );
                    t.set("row_total_incl_tax", money(rowt + taxv))
                        .set("base_row_total_incl_tax", money(rowt + taxv));
                    t.set("is_nominal", 0).set("weee_tax_applied", "a:0:{}");
                    t.push()?;
                    iid += 1;
                    qid += 1;
                }
            }
            Ok(())
        })
    })?;
    g.table(d, "sales_flat_order_address", |t| {
        each_order(g, |o, _| {
            let p = person(g, o);
            let b = billing(g, o, &p);
            let s = shipping_address(g, o, &p);
            let same = o.id % 10 != 3;
            for (eid, a, ty) in [(2 * o.id - 1, &b, "billing"), (2 * o.id, &s, "shipping")] {
                t.set("entity_id", eid).set("parent_id", o.id);
                t.set(
                    "customer_address_id",
                    if ty == "billing" || same {
                        p.address
                    } else {
                        None
                    },
                );
                t.set("quote_address_id", V::Null)
                    .set("customer_id", o.customer);
                set_address(t, a, &p.email);
                t.set("address_type", ty).push()?;
            }
            Ok(())
        })
    })?;
    g.table(d, "sales_flat_order_payment", |t| {
        each_order(g, |o, _| {
            let mut r = Rng::for_key(g.seed, K_ORDER + 300, o.id as u64);
            t.set("entity_id", o.id).set("parent_id", o.id);
            t.set("base_amount_ordered", money(o.grand)).set("amount_ordered", money(o.grand));
            t.set("base_shipping_amount", money(o.shipping)).set("shipping_amount", money(o.shipping));
            if o.invoiced {
                t.set("base_amount_paid", money(o.grand)).set("amount_paid", money(o.grand));
                t.set("base_shipping_captured", money(o.shipping)).set("shipping_captured", money(o.shipping));
            }
            if o.refunded {
                t.set("amount_refunded", money(o.grand)).set("base_amount_refunded", money(o.grand));
                t.set("base_shipping_refunded", money(o.shipping)).set("shipping_refunded", money(o.shipping));
            }
            if o.state == "canceled" {
                t.set("amount_canceled", money(o.grand)).set("base_amount_canceled", money(o.grand));
            }
            t.set("method", o.method);
            let info = match o.method {
                "paypal_express" => {
                    let payer = text::alnum(&mut r, 13).to_uppercase();
                    let email = format!("payer{}@paypal.example.com", o.id);
                    t.set("last_trans_id", text::alnum(&mut r, 17).to_uppercase());
                    t.set("cc_exp_month", "0").set("cc_ss_start_year", "0").set("cc_ss_start_month", "0").set("cc_exp_year", "0");
                    format!(
                        "a:4:{{{}{}{}{}{}{}{}b:1;}}",
                        ps("paypal_payer_id"),
                        ps(&payer),
                        ps("paypal_payer_email"),
                        ps(&email),
                        ps("paypal_payer_status"),
                        ps("verified"),
                        ps("paypal_express_checkout_shipping_overriden"),
                    )
                }
                "banktransfer" => format!(
                    "a:1:{{{}{}}}",
                    ps("instructions"),
                    ps("Überweisung an: Müller GmbH\nIBAN DE00 1234 5678 9012 — \"Referenz\" = Bestellnummer")
                ),
                "checkmo" => {
                    t.set("additional_data", V::Null);
                    "a:0:{}".to_string()
                }
                _ => format!("a:1:{{{}{}}}", ps("instructions"), ps("Pay the courier in cash.")),
            };
            t.set("additional_information", info).push()
        })
    })?;
    g.table(d, "sales_flat_order_status_history", |t| {
        each_order(g, |o, ids| {
            let mut hid = ids.history;
            let mut r = Rng::for_key(g.seed, K_HISTORY, o.id as u64);
            let mut rows: Vec<(&str, V, &str, i64)> = vec![("pending", V::Null, "order", 0)];
            if o.invoiced {
                rows.push((
                    "processing",
                    V::Text(format!(
                        "Captured amount of ${}.{:02} online.",
                        o.grand / 100,
                        o.grand % 100
                    )),
                    "invoice",
                    3600,
                ));
            }
            if o.shipped {
                let c = if r.chance(100) {
                    V::Text(format!("Shipped – {}", r.pick(TRICKY)))
                } else {
                    V::S("Your order has shipped.")
                };
                rows.push(("complete", c, "shipment", 86_400));
            }
            if o.refunded {
                rows.push((
                    "closed",
                    V::S("Refunded: customer's \"change of mind\"."),
                    "creditmemo",
                    172_800,
                ));
            }
            if o.state == "canceled" {
                rows.push(("canceled", V::Null, "order", 7200));
            }
            for (status, comment, entity, dt) in rows {
                t.set("entity_id", hid)
                    .set("parent_id", o.id)
                    .set("is_customer_notified", i64::from(entity != "order"));
                t.set("is_visible_on_front", 0)
                    .set("comment", comment)
                    .set("status", status);
                t.set("created_at", text::datetime(o.created + dt))
                    .set("entity_name", entity)
                    .push()?;
                hid += 1;
            }
            Ok(())
        })
    })?;
    invoices(g, d)?;
    shipments(g, d)?;
    creditmemos(g, d)?;
    quotes(g, d)?;
    increments(g, d)?;
    reviews(g, d)?;
    Ok(())
}

fn doc_increment(store: u64, id: i64) -> String {
    format!("{store}{id:08}")
}

/// (order item id, product id, sku, name, qty, unit price, row total, tax).
type ItemRow = (i64, i64, String, String, i64, i64, i64, i64);

/// Item rows of an order as (order item id, product id, sku, name, qty, unit price, row total, tax).
fn item_rows(g: &Gen, o: &Order, first_item: i64) -> Vec<ItemRow> {
    let mut out = Vec::new();
    let mut iid = first_item;
    for it in &o.items {
        let row = it.price * it.qty;
        let tax = row * o.tax_rate / 10_000;
        let pr = product(g, it.child.unwrap_or(it.product));
        out.push((
            iid,
            it.product,
            pr.sku.clone(),
            product(g, it.product).name,
            it.qty,
            it.price,
            row,
            tax,
        ));
        iid += 1;
        if let Some(c) = it.child {
            out.push((iid, c, pr.sku, pr.name, it.qty, 0, 0, 0));
            iid += 1;
        }
    }
    out
}

fn invoices(g: &Gen, d: &mut Dump) -> Result<()> {
    g.table(d, "sales_flat_invoice", |t| {
        each_order(g, |o, ids| {
            if !o.invoiced {
                return Ok(());
            }
            let eid = ids.invoice;
            t.set("entity_id", eid)
                .set("store_id", o.store)
                .set("base_grand_total", money(o.grand))
                .set("grand_total", money(o.grand));
            t.set("shipping_tax_amount", money(0))
                .set("base_shipping_tax_amount", money(0));
            t.set("tax_amount", money(o.tax))
                .set("base_tax_amount", money(o.tax))
                .set("store_to_order_rate", V::Dec(10_000));
            t.set("base_discount_amount", money(-o.discount))
                .set("discount_amount", money(-o.discount))
                .set("base_to_order_rate", V::Dec(10_000));
            t.set("shipping_amount", money(o.shipping))
                .set("base_shipping_amount", money(o.shipping));
            t.set("subtotal_incl_tax", money(o.subtotal + o.tax))
                .set("base_subtotal_incl_tax", money(o.subtotal + o.tax));
            t.set("store_to_base_rate", V::Dec(10_000))
                .set("base_to_global_rate", V::Dec(10_000))
                .set("total_qty", V::Dec(o.qty() * 10_000));
            t.set("subtotal", money(o.subtotal))
                .set("base_subtotal", money(o.subtotal));
            t.set("billing_address_id", 2 * o.id - 1)
                .set("shipping_address_id", 2 * o.id)
                .set("is_used_for_refund", i64::from(o.refunded));
            t.set("order_id", o.id)
                .set("email_sent", 1)
                .set("can_void_flag", 0)
                .set("state", 2);
            currencies(t, true);
            t.set(
                "transaction_id",
                if o.method == "paypal_express" {
                    V::Text(format!("9{:016}", o.id))
                } else {
                    V::Null
                },
            );
            t.set("increment_id", doc_increment(o.store, eid))
                .set("created_at", text::datetime(o.created + 3600));
            t.set("updated_at", text::datetime(o.created + 3600))
                .set("shipping_incl_tax", money(o.shipping))
                .set("base_shipping_incl_tax", money(o.shipping));
            t.set(
                "base_total_refunded",
                if o.refunded { money(o.grand) } else { V::Null },
            );
            t.push()
        })
    })?;
    g.table(d, "sales_flat_invoice_item", |t| {
        each_order(g, |o, ids| {
            if !o.invoiced {
                return Ok(());
            }
            let mut eid = ids.invoice_item;
            for (oid, pid, sku, name, qty, price, row, tax) in item_rows(g, o, ids.item) {
                t.set("entity_id", eid)
                    .set("parent_id", ids.invoice)
                    .set("base_price", money(price))
                    .set("price", money(price));
                t.set("tax_amount", money(tax))
                    .set("base_tax_amount", money(tax))
                    .set("base_row_total", money(row))
                    .set("row_total", money(row));
                t.set("discount_amount", V::Null)
                    .set("base_discount_amount", V::Null);
                t.set("price_incl_tax", money(price + tax / qty))
                    .set("base_price_incl_tax", money(price + tax / qty));
                t.set("row_total_incl_tax", money(row + tax))
                    .set("base_row_total_incl_tax", money(row + tax));
                t.set("qty", V::Dec(qty * 10_000))
                    .set("product_id", pid)
                    .set("order_item_id", oid)
                    .set("sku", sku)
                    .set("name", name);
                t.set("weee_tax_applied", "a:0:{}").push()?;
                eid += 1;
            }
            Ok(())
        })
    })?;
    g.table(d, "sales_flat_invoice_grid", |t| {
        each_order(g, |o, ids| {
            if !o.invoiced {
                return Ok(());
            }
            let p = person(g, o);
            let b = billing(g, o, &p);
            t.set("entity_id", ids.invoice)
                .set("store_id", o.store)
                .set("base_grand_total", money(o.grand))
                .set("grand_total", money(o.grand));
            t.set("order_id", o.id).set("state", 2);
            currencies(t, true);
            t.set("increment_id", doc_increment(o.store, ids.invoice))
                .set("order_increment_id", o.increment());
            t.set("created_at", text::datetime(o.created + 3600))
                .set("order_created_at", text::datetime(o.created));
            t.set("billing_name", format!("{} {}", b.first, b.last))
                .push()
        })
    })
    .map(|_| ())
}

fn shipments(g: &Gen, d: &mut Dump) -> Result<()> {
    g.table(d, "sales_flat_shipment", |t| {
        each_order(g, |o, ids| {
            if !o.shipped {
                return Ok(());
            }
            t.set("entity_id", ids.shipment)
                .set("store_id", o.store)
                .set("total_weight", V::Dec(o.items.len() as i64 * 12_500));
            t.set("total_qty", V::Dec(o.qty() * 10_000))
                .set("email_sent", 1)
                .set("order_id", o.id)
                .set("customer_id", o.customer);
            t.set("shipping_address_id", 2 * o.id)
                .set("billing_address_id", 2 * o.id - 1)
                .set("shipment_status", V::Null);
            t.set("increment_id", doc_increment(o.store, ids.shipment))
                .set("created_at", text::datetime(o.created + 86_400));
            t.set("updated_at", text::datetime(o.created + 86_400));
            t.set(
                "packages",
                if o.id % 50 == 0 {
                    V::S("a:0:{}")
                } else {
                    V::Null
                },
            )
            .set("shipping_label", V::Null);
            t.push()
        })
    })?;
    g.table(d, "sales_flat_shipment_item", |t| {
        each_order(g, |o, ids| {
            if !o.shipped {
                return Ok(());
            }
            let mut eid = ids.shipment_item;
            for (oid, pid, sku, name, qty, price, _, _) in item_rows(g, o, ids.item) {
                t.set("entity_id", eid)
                    .set("parent_id", ids.shipment)
                    .set("row_total", V::Null)
                    .set("price", money(price));
                t.set("weight", V::Dec(10_000))
                    .set("qty", V::Dec(qty * 10_000))
                    .set("product_id", pid)
                    .set("order_item_id", oid);
                t.set("name", name).set("sku", sku).push()?;
                eid += 1;
            }
            Ok(())
        })
    })?;
    g.table(d, "sales_flat_shipment_grid", |t| {
        each_order(g, |o, ids| {
            if !o.shipped {
                return Ok(());
            }
            let p = person(g, o);
            let s = shipping_address(g, o, &p);
            t.set("entity_id", ids.shipment)
                .set("store_id", o.store)
                .set("total_qty", V::Dec(o.qty() * 10_000))
                .set("order_id", o.id);
            t.set("shipment_status", V::Null)
                .set("increment_id", doc_increment(o.store, ids.shipment))
                .set("order_increment_id", o.increment());
            t.set("created_at", text::datetime(o.created + 86_400))
                .set("order_created_at", text::datetime(o.created));
            t.set("shipping_name", format!("{} {}", s.first, s.last))
                .push()
        })
    })?;
    g.table(d, "sales_flat_shipment_track", |t| {
        each_order(g, |o, ids| {
            if !o.shipped {
                return Ok(());
            }
            let (carrier, title) = if o.id % 3 == 0 {
                ("ups", "United Parcel Service")
            } else {
                ("custom", "DHL Express \"Priority\"")
            };
            t.set("entity_id", ids.shipment)
                .set("parent_id", ids.shipment)
                .set("weight", V::Null)
                .set("qty", V::Null)
                .set("order_id", o.id);
            t.set("track_number", format!("1Z{:016}", o.id * 7919))
                .set("description", V::Null)
                .set("title", title)
                .set("carrier_code", carrier);
            t.set("created_at", text::datetime(o.created + 86_400))
                .set("updated_at", text::datetime(o.created + 86_400))
                .push()
        })
    })
    .map(|_| ())
}

fn creditmemos(g: &Gen, d: &mut Dump) -> Result<()> {
    g.table(d, "sales_flat_creditmemo", |t| {
        each_order(g, |o, ids| {
            if !o.refunded {
                return Ok(());
            }
            t.set("entity_id", ids.creditmemo).set("store_id", o.store);
            for col in [
                "adjustment_positive",
                "base_adjustment_positive",
                "adjustment_negative",
                "base_adjustment_negative",
                "adjustment",
                "base_adjustment",
                "shipping_tax_amount",
                "base_shipping_tax_amount",
            ] {
                t.set(col, money(0));
            }
            for col in [
                "store_to_order_rate",
                "base_to_order_rate",
                "store_to_base_rate",
                "base_to_global_rate",
            ] {
                t.set(col, V::Dec(10_000));
            }
            t.set("base_discount_amount", money(-o.discount))
                .set("discount_amount", money(-o.discount));
            t.set("grand_total", money(o.grand))
                .set("base_grand_total", money(o.grand));
            t.set("base_subtotal_incl_tax", money(o.subtotal + o.tax))
                .set("subtotal_incl_tax", money(o.subtotal + o.tax));
            t.set("shipping_amount", money(o.shipping))
                .set("base_shipping_amount", money(o.shipping));
            t.set("subtotal", money(o.subtotal))
                .set("base_subtotal", money(o.subtotal));
            t.set("tax_amount", money(o.tax))
                .set("base_tax_amount", money(o.tax));
            t.set("order_id", o.id)
                .set("email_sent", 1)
                .set("creditmemo_status", V::Null)
                .set("state", 2);
            t.set("shipping_address_id", 2 * o.id)
                .set("billing_address_id", 2 * o.id - 1)
                .set("invoice_id", ids.invoice);
            currencies(t, true);
            t.set("transaction_id", V::Null)
                .set("increment_id", doc_increment(o.store, ids.creditmemo));
            t.set("created_at", text::datetime(o.created + 172_800))
                .set("updated_at", text::datetime(o.created + 172_800));
            t.set("shipping_incl_tax", money(o.shipping))
                .set("base_shipping_incl_tax", money(o.shipping))
                .push()
        })
    })?;
    g.table(d, "sales_flat_creditmemo_item", |t| {
        each_order(g, |o, ids| {
            if !o.refunded {
                return Ok(());
            }
            let mut eid = ids.creditmemo_item;
            for (oid, pid, sku, name, qty, price, row, tax) in item_rows(g, o, ids.item) {
                t.set("entity_id", eid)
                    .set("parent_id", ids.creditmemo)
                    .set("base_price", money(price))
                    .set("price", money(price));
                t.set("tax_amount", money(tax))
                    .set("base_tax_amount", money(tax))
                    .set("base_row_total", money(row))
                    .set("row_total", money(row));
                t.set("price_incl_tax", money(price + tax / qty))
                    .set("base_price_incl_tax", money(price + tax / qty));
                t.set("row_total_incl_tax", money(row + tax))
                    .set("base_row_total_incl_tax", money(row + tax));
                t.set("qty", V::Dec(qty * 10_000))
                    .set("product_id", pid)
                    .set("order_item_id", oid)
                    .set("sku", sku)
                    .set("name", name);
                t.set("weee_tax_applied", "a:0:{}").push()?;
                eid += 1;
            }
            Ok(())
        })
    })?;
    g.table(d, "sales_flat_creditmemo_grid", |t| {
        each_order(g, |o, ids| {
            if !o.refunded {
                return Ok(());
            }
            let p = person(g, o);
            let b = billing(g, o, &p);
            t.set("entity_id", ids.creditmemo).set("store_id", o.store);
            for col in [
                "store_to_order_rate",
                "base_to_order_rate",
                "store_to_base_rate",
                "base_to_global_rate",
            ] {
                t.set(col, V::Dec(10_000));
            }
            t.set("grand_total", money(o.grand))
                .set("base_grand_total", money(o.grand))
                .set("order_id", o.id);
            t.set("creditmemo_status", V::Null)
                .set("state", 2)
                .set("invoice_id", ids.invoice);
            currencies(t, true);
            t.set("increment_id", doc_increment(o.store, ids.creditmemo))
                .set("order_increment_id", o.increment());
            t.set("created_at", text::datetime(o.created + 172_800))
                .set("order_created_at", text::datetime(o.created));
            t.set("billing_name", format!("{} {}", b.first, b.last))
                .push()
        })
    })
    .map(|_| ())
}

fn quotes(g: &Gen, d: &mut Dump) -> Result<()> {
    g.table(d, "sales_flat_quote", |t| {
        each_order(g, |o, ids| {
            if !o.quote {
                return Ok(());
            }
            let p = person(g, o);
            let ts = text::datetime(o.created - 600);
            t.set("entity_id", ids.quote)
                .set("store_id", o.store)
                .set("created_at", ts.clone())
                .set("updated_at", text::datetime(o.created));
            t.set("converted_at", V::Null)
                .set("is_active", 0)
                .set("is_virtual", 0)
                .set("is_multi_shipping", 0);
            t.set("items_count", o.items.len())
                .set("items_qty", V::Dec(o.qty() * 10_000))
                .set("orig_order_id", 0);
            for col in [
                "store_to_base_rate",
                "store_to_quote_rate",
                "base_to_global_rate",
                "base_to_quote_rate",
            ] {
                t.set(col, V::Dec(10_000));
            }
            t.set("base_currency_code", "USD")
                .set("store_currency_code", "USD")
                .set("quote_currency_code", "USD")
                .set("global_currency_code", "USD");
            t.set("grand_total", money(o.grand))
                .set("base_grand_total", money(o.grand));
            t.set(
                "checkout_method",
                if o.customer.is_some() {
                    "login_in"
                } else {
                    "guest"
                },
            )
            .set("customer_id", o.customer);
            t.set("customer_tax_class_id", 3)
                .set("customer_group_id", p.group)
                .set("customer_email", p.email);
            t.set("customer_firstname", p.first)
                .set("customer_lastname", p.last)
                .set("customer_note_notify", 1);
            t.set("customer_is_guest", i64::from(o.customer.is_none()))
                .set("remote_ip", "127.0.0.1");
            t.set("reserved_order_id", o.increment())
                .set("subtotal", money(o.subtotal))
                .set("base_subtotal", money(o.subtotal));
            t.set("subtotal_with_discount", money(o.subtotal - o.discount))
                .set(
                    "base_subtotal_with_discount",
                    money(o.subtotal - o.discount),
                );
            t.set("is_changed", 1)
                .set("trigger_recollect", 0)
                .set("is_persistent", 0)
                .push()
        })
    })?;
    g.table(d, "sales_flat_quote_item", |t| {
        each_order(g, |o, ids| {
            if !o.quote {
                return Ok(());
            }
            let mut qid = ids.quote_item;
            let ts = text::datetime(o.created - 600);
            for it in &o.items {
                let parent = qid;
                for (n, pid) in std::iter::once(it.product).chain(it.child).enumerate() {
                    let is_child = n == 1;
                    let pp = product(g, pid);
                    let price = if is_child { 0 } else { it.price };
                    t.set("item_id", qid)
                        .set("quote_id", ids.quote)
                        .set("created_at", ts.clone())
                        .set("updated_at", ts.clone());
                    t.set("product_id", pid).set("store_id", o.store).set(
                        "parent_item_id",
                        if is_child { V::Int(parent) } else { V::Null },
                    );
                    t.set("is_virtual", 0)
                        .set("sku", pp.sku)
                        .set("name", pp.name)
                        .set("free_shipping", 0)
                        .set("is_qty_decimal", 0);
                    t.set("no_discount", 0)
                        .set("weight", V::Dec(pp.weight.unwrap_or(0) * 10))
                        .set("qty", V::Dec(it.qty * 10_000));
                    t.set("price", money(price))
                        .set("base_price", money(price))
                        .set("row_total", money(price * it.qty));
                    t.set("base_row_total", money(price * it.qty))
                        .set("row_total_with_discount", money(0));
                    t.set("row_weight", V::Dec(pp.weight.unwrap_or(0) * 10 * it.qty));
                    t.set(
                        "product_type",
                        if it.child.is_some() && !is_child {
                            "configurable"
                        } else {
                            "simple"
                        },
                    );
                    t.set("price_incl_tax", money(price))
                        .set("base_price_incl_tax", money(price));
                    t.set("row_total_incl_tax", money(price * it.qty))
                        .set("base_row_total_incl_tax", money(price * it.qty));
                    t.set("weee_tax_applied", "a:0:{}").push()?;
                    qid += 1;
                }
            }
            Ok(())
        })
    })?;
    // What was chosen for each cart item: the buy request of every item and,
    // on a configurable product's item, its super attributes, the child's
    // quantity and the child itself.
    g.table(d, "sales_flat_quote_item_option", |t| {
        let mut option_id = 1;
        each_order(g, |o, ids| {
            if !o.quote {
                return Ok(());
            }
            let mut qid = ids.quote_item;
            for it in &o.items {
                let mut option = |item: i64, product: i64, code: V, value: String| {
                    t.set("option_id", option_id)
                        .set("item_id", item)
                        .set("product_id", product)
                        .set("code", code)
                        .set("value", value);
                    option_id += 1;
                    t.push()
                };
                let parent = product(g, it.product);
                option(
                    qid,
                    it.product,
                    V::S("info_buyRequest"),
                    buy_request(g, o, it, &parent.url_key),
                )?;
                let Some(child) = it.child else {
                    if let Some(c) = chosen(o, it) {
                        let ids = format!("{},{}", c.engraving.0, c.wrap.0);
                        option(qid, it.product, V::S("option_ids"), ids)?;
                        let code = V::Text(format!("option_{}", c.engraving.0));
                        option(qid, it.product, code, c.engraving.1)?;
                        let code = V::Text(format!("option_{}", c.wrap.0));
                        option(qid, it.product, code, c.wrap.1.to_string())?;
                    }
                    qid += 1;
                    continue;
                };
                option(
                    qid,
                    it.product,
                    V::S("attributes"),
                    super_attributes(g, child),
                )?;
                option(
                    qid,
                    child,
                    V::Text(format!("product_qty_{child}")),
                    it.qty.to_string(),
                )?;
                option(qid, child, V::S("simple_product"), child.to_string())?;
                let simple = Item {
                    product: child,
                    child: None,
                    qty: it.qty,
                    price: 0,
                };
                let url_key = product(g, child).url_key;
                option(
                    qid + 1,
                    child,
                    V::S("info_buyRequest"),
                    buy_request(g, o, &simple, &url_key),
                )?;
                option(
                    qid + 1,
                    it.product,
                    V::S("parent_product_id"),
                    it.product.to_string(),
                )?;
                qid += 2;
            }
            Ok(())
        })
    })?;
    g.table(d, "sales_flat_quote_address", |t| {
        each_order(g, |o, ids| {
            if !o.quote {
                return Ok(());
            }
            let p = person(g, o);
            let b = billing(g, o, &p);
            let s = shipping_address(g, o, &p);
            let ts = text::datetime(o.created - 600);
            for (n, a, ty) in [(0, &b, "billing"), (1, &s, "shipping")] {
                t.set("address_id", 2 * ids.quote - 1 + n).set("quote_id", ids.quote).set("created_at", ts.clone());
                t.set("updated_at", ts.clone()).set("customer_id", o.customer).set("save_in_address_book", 0);
                t.set("customer_address_id", p.address).set("address_type", ty);
                set_address(t, a, &p.email);
                t.set("same_as_billing", i64::from(o.id % 10 != 3)).set("free_shipping", 0).set("collect_shipping_rates", 0);
                t.set("weight", V::Dec(0));
                if ty == "shipping" {
                    t.set("shipping_method", "flatrate_flatrate").set("shipping_description", "Flat Rate - Fixed");
                    t.set("subtotal", money(o.subtotal)).set("base_subtotal", money(o.subtotal));
                    t.set("shipping_amount", money(o.shipping)).set("base_shipping_amount", money(o.shipping));
                    t.set("tax_amount", money(o.tax)).set("base_tax_amount", money(o.tax));
                    t.set("grand_total", money(o.grand)).set("base_grand_total", money(o.grand));
                    t.set("applied_taxes", if o.tax > 0 { V::S("a:1:{s:7:\"US-CA-*\";a:2:{s:7:\"percent\";d:8.25;s:6:\"amount\";d:1;}}") } else { V::S("a:0:{}") });
                } else {
                    for col in ["subtotal", "base_subtotal", "shipping_amount", "base_shipping_amount", "tax_amount", "base_tax_amount", "grand_total", "base_grand_total"] {
                        t.set(col, money(0));
                    }
                    t.set("applied_taxes", "a:0:{}");
                }
                t.push()?;
            }
            Ok(())
        })
    })?;
    g.table(d, "sales_flat_quote_payment", |t| {
        each_order(g, |o, ids| {
            if !o.quote {
                return Ok(());
            }
            let ts = text::datetime(o.created - 300);
            t.set("payment_id", ids.quote)
                .set("quote_id", ids.quote)
                .set("created_at", ts.clone())
                .set("updated_at", ts);
            t.set("method", o.method)
                .set("cc_exp_month", 0)
                .set("cc_exp_year", 0)
                .set("cc_ss_start_month", 0)
                .set("cc_ss_start_year", 0);
            t.set(
                "additional_information",
                if o.method == "checkmo" {
                    V::Null
                } else {
                    V::S("a:0:{}")
                },
            )
            .push()
        })
    })
    .map(|_| ())
}

fn increments(g: &Gen, d: &mut Dump) -> Result<()> {
    let n = g.stores as usize;
    // Last increment per (entity type 5..8, store).
    let mut last = vec![[0i64; 4]; n + 1];
    each_order(g, |o, ids| {
        let s = o.store as usize;
        last[s][0] = o.id;
        if o.invoiced {
            last[s][1] = ids.invoice;
        }
        if o.refunded {
            last[s][2] = ids.creditmemo;
        }
        if o.shipped {
            last[s][3] = ids.shipment;
        }
        Ok(())
    })?;
    g.table(d, "eav_entity_store", |t| {
        let mut id = 0;
        for (k, et) in [(0usize, 5), (1, 6), (2, 7), (3, 8)] {
            for (s, row) in last.iter().enumerate().skip(1) {
                if row[k] == 0 {
                    continue;
                }
                id += 1;
                t.set("entity_store_id", id)
                    .set("entity_type_id", et)
                    .set("store_id", s)
                    .set("increment_prefix", s.to_string());
                t.set("increment_last_id", doc_increment(s as u64, row[k]))
                    .push()?;
            }
        }
        Ok(())
    })
    .map(|_| ())
}

fn reviews(g: &Gen, d: &mut Dump) -> Result<()> {
    // Reviews of ~8% of the visible products, 1-3 each.
    let each = |f: &mut dyn FnMut(i64, i64, &mut Rng) -> Result<()>| -> Result<()> {
        let mut rid = 0i64;
        for pid in 1..=g.products as i64 {
            if matches!(kind(g, pid), Kind::Child { .. }) {
                continue;
            }
            let mut r = Rng::for_key(g.seed, K_REVIEW, pid as u64);
            if !r.chance(80) {
                continue;
            }
            for _ in 0..r.range(1, 3) {
                rid += 1;
                let mut rr = Rng::for_key(g.seed, K_REVIEW + 1, rid as u64);
                f(rid, pid, &mut rr)?;
            }
        }
        Ok(())
    };
    let reviewer = |r: &mut Rng| -> Option<i64> {
        if g.customers > 0 && r.chance(600) {
            Some(1 + r.below(g.customers) as i64)
        } else {
            None
        }
    };
    g.table(d, "review", |t| {
        each(&mut |rid, pid, r| {
            t.set("review_id", rid)
                .set("created_at", text::datetime(1_400_000_000 + rid * 1_000))
                .set("entity_id", 1);
            t.set("entity_pk_value", pid)
                .set("status_id", if r.chance(850) { 1 } else { 2 })
                .push()
        })
    })?;
    g.table(d, "review_detail", |t| {
        each(&mut |rid, _, r| {
            let store = 1 + r.below(g.stores);
            let cust = reviewer(r);
            let title = match r.below(6) {
                0 => "Love it! 🎉".to_string(),
                1 => format!("Not bad, {}", r.pick(TRICKY)),
                2 => "Très bien — qualité ok".to_string(),
                _ => format!(
                    "{} {}",
                    r.pick(crate::text::ADJ),
                    r.pick(crate::text::NOUNS)
                ),
            };
            let detail = format!("{}\n\n{}", text::words(r, 25), text::words(r, 10));
            t.set("detail_id", rid)
                .set("review_id", rid)
                .set("store_id", store)
                .set("title", title)
                .set("detail", detail);
            t.set("nickname", r.pick(FIRST))
                .set("customer_id", cust)
                .push()
        })
    })?;
    g.table(d, "review_store", |t| {
        each(&mut |rid, _, r| {
            let store = 1 + r.below(g.stores);
            t.set("review_id", rid).set("store_id", 0).push()?;
            t.set("review_id", rid).set("store_id", store).push()
        })
    })?;
    g.table(d, "rating_option_vote", |t| {
        let mut vid = 0i64;
        each(&mut |rid, pid, r| {
            let _store = r.below(g.stores);
            let cust = reviewer(r);
            for rating in 1..=3i64 {
                let v = r.range(1, 5);
                vid += 1;
                let ip = format!("192.0.2.{}", 1 + rid % 250);
                t.set("vote_id", vid)
                    .set("option_id", (rating - 1) * 5 + v)
                    .set("remote_ip", ip)
                    // varbinary(16): the address packed as inet_pton packs it.
                    .set("remote_ip_long", vec![192, 0, 2, (1 + rid % 250) as u8]);
                t.set("customer_id", cust)
                    .set("entity_pk_value", pid)
                    .set("rating_id", rating)
                    .set("review_id", rid);
                t.set("percent", v * 20).set("value", v).push()?;
            }
            Ok(())
        })
    })?;
    Ok(())
}
