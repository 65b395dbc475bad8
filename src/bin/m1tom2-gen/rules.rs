//! Catalog price rules and shopping cart price rules: a few of each, as a
//! store keeps them, with their conditions and actions serialized by PHP
//! (class aliases such as `catalogrule/rule_condition_combine` inside), their
//! websites and customer groups, the cart rules' coupons and store labels.

use anyhow::Result;

use crate::Gen;
use crate::catalog::product;
use crate::rng::Rng;
use crate::text::{self, ps};
use crate::writer::V;

const K_RULE: u64 = 60;

/// The customer groups every rule applies to (Magento 1's four).
const GROUPS: [i64; 4] = [0, 1, 2, 3];

/// PHP serialize() of an array of (serialized key, serialized value) pairs.
fn arr(items: &[(String, String)]) -> String {
    let body: String = items.iter().map(|(k, v)| format!("{k}{v}")).collect();
    format!("a:{}:{{{body}}}", items.len())
}

/// A condition or action node: `type`, `attribute`, `operator`, `value`,
/// `is_value_processed`, and for a combination its `aggregator` and children.
fn node(
    ty: &str,
    attr: Option<&str>,
    op: Option<&str>,
    value: Option<&str>,
) -> Vec<(String, String)> {
    let opt = |v: Option<&str>| v.map_or_else(|| "N;".to_string(), ps);
    vec![
        (ps("type"), ps(ty)),
        (ps("attribute"), opt(attr)),
        (ps("operator"), opt(op)),
        (ps("value"), opt(value)),
        (
            ps("is_value_processed"),
            if attr.is_some() {
                "b:0;".into()
            } else {
                "N;".into()
            },
        ),
    ]
}

fn combine(ty: &str, children: &[String]) -> String {
    let mut n = node(ty, None, None, Some("1"));
    n.push((ps("aggregator"), ps("all")));
    if !children.is_empty() {
        let list: Vec<(String, String)> = children
            .iter()
            .enumerate()
            .map(|(i, c)| (format!("i:{i};"), c.clone()))
            .collect();
        n.push((ps("conditions"), arr(&list)));
    }
    arr(&n)
}

pub fn write(g: &Gen, d: &mut crate::writer::Dump) -> Result<()> {
    let mut r = Rng::for_key(g.seed, K_RULE, 0);
    // Catalog price rules: a category on sale, a few SKUs, a price range.
    let cats = &g.cats;
    let catalog: Vec<(String, String, String)> = (0..4)
        .map(|i| {
            let cond = match i {
                0 => {
                    let c = &cats[(r.below(cats.len() as u64) as usize)
                        .max(2)
                        .min(cats.len() - 1)];
                    arr(&node(
                        "catalogrule/rule_condition_product",
                        Some("category_ids"),
                        Some("=="),
                        Some(&c.id.to_string()),
                    ))
                }
                1 if g.products > 0 => {
                    let skus: Vec<String> = (0..3)
                        .map(|_| product(g, 1 + r.below(g.products) as i64).sku)
                        .collect();
                    arr(&node(
                        "catalogrule/rule_condition_product",
                        Some("sku"),
                        Some("()"),
                        Some(&skus.join(", ")),
                    ))
                }
                _ => arr(&node(
                    "catalogrule/rule_condition_product",
                    Some("price"),
                    Some(">="),
                    Some(&format!("{}", 50 * (i + 1))),
                )),
            };
            let name = format!("{} sale {}", text::words(&mut r, 2), i + 1);
            (
                name,
                combine("catalogrule/rule_condition_combine", &[cond]),
                arr(&node(
                    "catalogrule/rule_action_collection",
                    None,
                    Some("="),
                    None,
                )),
            )
        })
        .collect();
    g.table(d, "catalogrule", |t| {
        for (i, (name, cond, action)) in catalog.iter().enumerate() {
            let from = 1_388_534_400 + 86_400 * 30 * i as i64;
            t.set("rule_id", i + 1)
                .set("name", name.clone())
                .set("description", format!("Rule {} – “{name}”", i + 1));
            t.set("from_date", text::date(from))
                .set(
                    "to_date",
                    if i == 3 {
                        V::Null
                    } else {
                        V::Text(text::date(from + 86_400 * 60))
                    },
                )
                .set("is_active", i64::from(i != 2));
            t.set("conditions_serialized", cond.clone())
                .set("actions_serialized", action.clone())
                .set("stop_rules_processing", 0)
                .set("sort_order", i);
            t.set(
                "simple_action",
                if i % 2 == 0 { "by_percent" } else { "by_fixed" },
            )
            .set("discount_amount", V::Dec(10_000 * (5 + 5 * i as i64)))
            .set("sub_is_enable", 0)
            .set("sub_simple_action", V::Null)
            .set("sub_discount_amount", V::Dec(0))
            .push()?;
        }
        Ok(())
    })?;
    links(g, d, "catalogrule", catalog.len())?;
    // Cart price rules: free shipping over a subtotal, a coupon for a
    // product attribute, generated coupon codes, a rule without coupon.
    let cart: Vec<(String, String, String, i64)> = (0..4)
        .map(|i| {
            let address = arr(&node(
                "salesrule/rule_condition_address",
                Some("base_subtotal"),
                Some(">="),
                Some(&format!("{}", 100 * (i + 1))),
            ));
            // A product in one of two categories found in the cart.
            let found = || {
                let product = arr(&node(
                    "salesrule/rule_condition_product",
                    Some("category_ids"),
                    Some("()"),
                    Some(&format!("{}, {}", 3 + i, 4 + i)),
                ));
                combine("salesrule/rule_condition_product_found", &[product])
            };
            let children = match i {
                1 => vec![address, found()],
                3 => Vec::new(),
                _ => vec![address],
            };
            let cond = combine("salesrule/rule_condition_combine", &children);
            let action = combine("salesrule/rule_condition_product_combine", &[]);
            // Coupon type: 1 none, 2 a specific code, 3 generated codes.
            let coupon = match i {
                1 => 2,
                2 => 3,
                _ => 1,
            };
            (
                format!("{} deal", text::words(&mut r, 2)),
                cond,
                action,
                coupon,
            )
        })
        .collect();
    g.table(d, "salesrule", |t| {
        for (i, (name, cond, action, coupon)) in cart.iter().enumerate() {
            let from = 1_388_534_400 + 86_400 * 45 * i as i64;
            t.set("rule_id", i + 1)
                .set("name", name.clone())
                .set("description", V::Null)
                .set("from_date", text::date(from))
                .set("to_date", V::Null);
            t.set("uses_per_customer", i64::from(i == 1))
                .set("is_active", 1)
                .set("conditions_serialized", cond.clone())
                .set("actions_serialized", action.clone());
            t.set("stop_rules_processing", 0)
                .set("is_advanced", 1)
                .set("product_ids", V::Null)
                .set("sort_order", i);
            t.set(
                "simple_action",
                if i == 0 { "by_percent" } else { "cart_fixed" },
            )
            .set(
                "discount_amount",
                V::Dec(if i == 0 { 0 } else { 10_000 * 10 * i as i64 }),
            )
            .set("discount_qty", V::Null)
            .set("discount_step", 0);
            t.set("simple_free_shipping", i64::from(i == 0))
                .set("apply_to_shipping", 0)
                .set("times_used", 7 * i)
                .set("is_rss", 1);
            t.set("coupon_type", *coupon)
                .set("use_auto_generation", i64::from(*coupon == 3))
                .set("uses_per_coupon", if *coupon == 1 { 0 } else { 1 })
                .push()?;
        }
        Ok(())
    })?;
    links(g, d, "salesrule", cart.len())?;
    g.table(d, "salesrule_coupon", |t| {
        let mut id = 0i64;
        for (i, (_, _, _, coupon)) in cart.iter().enumerate() {
            let codes: Vec<(String, bool)> = match coupon {
                2 => vec![(format!("SAVE{}", 10 * i), true)],
                3 => (0..20)
                    .map(|_| (text::alnum(&mut r, 12).to_uppercase(), false))
                    .collect(),
                _ => Vec::new(),
            };
            for (code, primary) in codes {
                id += 1;
                t.set("coupon_id", id)
                    .set("rule_id", i + 1)
                    .set("code", code)
                    .set("usage_limit", 1);
                t.set("usage_per_customer", V::Null)
                    .set("times_used", i64::from(id % 3 == 0))
                    .set("expiration_date", V::Null)
                    .set("is_primary", if primary { V::Int(1) } else { V::Null });
                t.set("created_at", text::datetime(1_388_534_400 + 3_600 * id))
                    .set("type", i64::from(!primary))
                    .push()?;
            }
        }
        Ok(())
    })?;
    g.table(d, "salesrule_label", |t| {
        let mut id = 0i64;
        for (i, (name, ..)) in cart.iter().enumerate() {
            for store in 0..=g.stores as i64 {
                id += 1;
                let label = if store >= 2 {
                    format!("Rabais / Réduction {}", i + 1)
                } else {
                    name.clone()
                };
                t.set("label_id", id)
                    .set("rule_id", i + 1)
                    .set("store_id", store)
                    .set("label", label)
                    .push()?;
            }
        }
        Ok(())
    })
    .map(|_| ())
}

/// `<rule>_website` and `<rule>_customer_group` of `n` rules: the main
/// website, every group.
fn links(g: &Gen, d: &mut crate::writer::Dump, rule: &str, n: usize) -> Result<()> {
    g.table(d, &format!("{rule}_website"), |t| {
        for id in 1..=n {
            t.set("rule_id", id).set("website_id", 1).push()?;
        }
        Ok(())
    })?;
    g.table(d, &format!("{rule}_customer_group"), |t| {
        for id in 1..=n {
            for grp in GROUPS {
                t.set("rule_id", id).set("customer_group_id", grp).push()?;
            }
        }
        Ok(())
    })
    .map(|_| ())
}
