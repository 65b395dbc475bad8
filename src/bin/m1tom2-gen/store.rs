//! Websites, stores, configuration, tax classes, customer groups, the EAV
//! metadata (entity types, sets, groups, attributes, options), the fixed rows
//! of stock, reviews and ratings, and the CMS pages and blocks.

use anyhow::Result;

use crate::Gen;
use crate::eav::{ATTRS, CAT_FLAG_COLUMNS};
use crate::rng::Rng;
use crate::text;
use crate::writer::{Dump, V};

const STORE_CODES: &[(&str, &str, &str)] = &[
    ("default", "Default Store View", "en_US"),
    ("french", "Français", "fr_FR"),
    ("german", "Deutsch", "de_DE"),
    ("spanish", "Español", "es_ES"),
    ("japanese", "日本語", "ja_JP"),
    ("italian", "Italiano", "it_IT"),
];

/// The code, name and locale of store view `s` (1-based).
pub fn store_view(s: u64) -> (String, String, &'static str) {
    match STORE_CODES.get(s as usize - 1) {
        Some((c, n, l)) => (c.to_string(), n.to_string(), l),
        None => (format!("store_{s}"), format!("Store View {s}"), "en_US"),
    }
}

/// Colour options: (admin label, label in the other store views).
pub const COLORS: &[(&str, &str)] = &[
    ("Black", "Noir"),
    ("White", "Blanc"),
    ("Red", "Rouge"),
    ("Blue", "Bleu"),
    ("Green", "Grün"),
    ("Grey", "Gris"),
    ("Navy", "Marine"),
    ("Beige", "Beige"),
    ("Pink", "Rosé"),
    ("Yellow", "Jaune"),
];
pub const SIZES: &[&str] = &["XS", "S", "M", "L", "XL", "XXL"];
pub const MANUFACTURERS: &[&str] = &[
    "Acme",
    "Müller & Söhne",
    "L'Atelier",
    "Nordisk",
    "Kyoto 京都 Works",
    "\"Best\" Brands",
    "Sunrise Co",
    "Backslash \\ Labs",
    "Fjällräven",
    "Zenith",
];

/// Option ids: colours first, then sizes, then manufacturers.
pub fn color_option(i: usize) -> i64 {
    1 + i as i64
}
pub fn size_option(i: usize) -> i64 {
    1 + (COLORS.len() + i) as i64
}
pub fn manufacturer_option(i: usize) -> i64 {
    1 + (COLORS.len() + SIZES.len() + i) as i64
}

/// Attribute sets: 1-8 the Default set of each entity type, 9 `Clothing`.
pub const PRODUCT_SET: i64 = 4;
pub const CLOTHING_SET: i64 = 9;

/// The groups of each set: (group id, set id, name, sort order, default).
fn groups() -> Vec<(i64, i64, &'static str, i64, i64)> {
    let mut g = vec![
        (1, 1, "General", 1, 1),
        (2, 2, "General", 1, 1),
        (3, 3, "General Information", 10, 1),
        (4, 3, "Display Settings", 20, 0),
        (5, 3, "Custom Design", 30, 0),
    ];
    let product_groups = [
        "General",
        "Prices",
        "Meta Information",
        "Images",
        "Recurring Profile",
        "Design",
        "Gift Options",
    ];
    let mut id = 6;
    for set in [PRODUCT_SET, CLOTHING_SET] {
        for (i, name) in product_groups.iter().enumerate() {
            g.push((id, set, name, i as i64 + 1, i64::from(i == 0)));
            id += 1;
        }
    }
    for set in 5..=8 {
        g.push((id, set, "General", 1, 1));
        id += 1;
    }
    g
}

/// The group (by name) an attribute belongs to within its set.
fn group_name(et: i64, code: &str) -> &'static str {
    match et {
        1 | 2 => "General",
        3 => match code {
            "display_mode" | "landing_page" | "is_anchor" | "available_sort_by"
            | "default_sort_by" | "filter_price_range" => "Display Settings",
            "custom_design"
            | "custom_design_from"
            | "custom_design_to"
            | "page_layout"
            | "custom_layout_update"
            | "custom_use_parent_settings"
            | "custom_apply_to_products" => "Custom Design",
            _ => "General Information",
        },
        _ => match code {
            "price"
            | "special_price"
            | "special_from_date"
            | "special_to_date"
            | "cost"
            | "group_price"
            | "tier_price"
            | "msrp_enabled"
            | "msrp_display_actual_price_type"
            | "msrp"
            | "tax_class_id"
            | "price_view" => "Prices",
            "meta_title" | "meta_keyword" | "meta_description" => "Meta Information",
            "image" | "small_image" | "thumbnail" | "media_gallery" | "gallery" => "Images",
            "is_recurring" | "recurring_profile" => "Recurring Profile",
            "custom_design"
            | "custom_design_from"
            | "custom_design_to"
            | "custom_layout_update"
            | "page_layout"
            | "options_container" => "Design",
            "gift_message_available" => "Gift Options",
            _ => "General",
        },
    }
}

fn null_if_empty(s: &'static str) -> V {
    if s.is_empty() { V::Null } else { V::S(s) }
}

pub fn write(g: &Gen, d: &mut Dump) -> Result<()> {
    let n = g.stores;
    g.table(d, "core_resource", |t| {
        for (code, v) in [
            ("adminnotification_setup", "1.6.0.0"),
            ("catalog_setup", "1.6.0.0.19.1.5"),
            ("cataloginventory_setup", "1.6.0.0.2"),
            ("cms_setup", "1.6.0.0.2"),
            ("core_setup", "1.6.0.6"),
            ("customer_setup", "1.6.2.0.5"),
            ("directory_setup", "1.6.0.3"),
            ("eav_setup", "1.6.0.1"),
            ("newsletter_setup", "1.6.0.2"),
            ("rating_setup", "1.6.0.1"),
            ("review_setup", "1.6.0.0"),
            ("sales_setup", "1.6.0.10"),
            ("tax_setup", "1.6.0.4"),
        ] {
            t.set("code", code)
                .set("version", v)
                .set("data_version", v)
                .push()?;
        }
        Ok(())
    })?;
    g.table(d, "core_website", |t| {
        t.set("website_id", 0)
            .set("code", "admin")
            .set("name", "Admin")
            .set("sort_order", 0);
        t.set("default_group_id", 0).set("is_default", 0).push()?;
        t.set("website_id", 1)
            .set("code", "base")
            .set("name", "Main Website")
            .set("sort_order", 0);
        t.set("default_group_id", 1).set("is_default", 1).push()
    })?;
    g.table(d, "core_store_group", |t| {
        t.set("group_id", 0)
            .set("website_id", 0)
            .set("name", "Default")
            .set("root_category_id", 0);
        t.set("default_store_id", 0).push()?;
        t.set("group_id", 1)
            .set("website_id", 1)
            .set("name", "Main Website Store")
            .set("root_category_id", 2);
        t.set("default_store_id", 1).push()
    })?;
    g.table(d, "core_store", |t| {
        t.set("store_id", 0)
            .set("code", "admin")
            .set("website_id", 0)
            .set("group_id", 0)
            .set("name", "Admin");
        t.set("sort_order", 0).set("is_active", 1).push()?;
        for s in 1..=n {
            let (code, name, _) = store_view(s);
            t.set("store_id", s)
                .set("code", code)
                .set("website_id", 1)
                .set("group_id", 1)
                .set("name", name);
            t.set("sort_order", s - 1).set("is_active", 1).push()?;
        }
        Ok(())
    })?;
    g.table(d, "core_config_data", |t| {
        let mut id = 0u64;
        let mut row = |t: &mut crate::writer::Ins,
                       scope: &'static str,
                       sid: u64,
                       path: &'static str,
                       v: V| {
            id += 1;
            t.set("config_id", id)
                .set("scope", scope)
                .set("scope_id", sid)
                .set("path", path)
                .set("value", v);
            t.push()
        };
        for (path, v) in [
            ("web/unsecure/base_url", "http://shop.example.com/"),
            ("web/secure/base_url", "https://shop.example.com/"),
            ("web/secure/use_in_frontend", "1"),
            ("web/secure/use_in_adminhtml", "1"),
            ("web/seo/use_rewrites", "1"),
            ("web/cookie/cookie_lifetime", "3600"),
            ("web/default/cms_home_page", "home"),
            ("general/locale/code", "en_US"),
            ("general/locale/timezone", "Europe/Paris"),
            ("general/country/default", "US"),
            ("general/store_information/name", "Example Shop"),
            ("general/store_information/phone", "+1 555 0100"),
            ("currency/options/base", "USD"),
            ("currency/options/default", "USD"),
            ("currency/options/allow", "USD,EUR"),
            ("catalog/seo/product_url_suffix", ".html"),
            ("catalog/seo/category_url_suffix", ".html"),
            ("catalog/seo/product_use_categories", "1"),
            ("catalog/frontend/list_mode", "grid-list"),
            ("catalog/frontend/grid_per_page", "12"),
            ("design/package/name", "rwd"),
            ("design/theme/default", "default"),
            ("design/head/default_title", "Example Shop"),
            ("design/head/title_suffix", ""),
            ("design/header/logo_src", "images/logo.gif"),
            (
                "design/footer/copyright",
                "&copy; 2019 Example Shop \"All\" rights reserved.",
            ),
            ("trans_email/ident_general/email", "owner@example.com"),
            ("trans_email/ident_sales/email", "sales@example.com"),
            ("sales_email/order/enabled", "1"),
            ("payment/checkmo/active", "1"),
            ("payment/paypal_express/active", "1"),
            ("carriers/flatrate/active", "1"),
            ("carriers/flatrate/price", "5.00"),
            ("carriers/ups/active", "0"),
            ("tax/classes/shipping_tax_class", "4"),
            ("customer/create_account/confirm", "0"),
            (
                "customer/password/forgot_email_template",
                "customer_password_forgot_email_template",
            ),
            ("admin/security/session_cookie_lifetime", "86400"),
            ("dev/log/active", "0"),
            ("cataloginventory/item_options/manage_stock", "1"),
        ] {
            row(t, "default", 0, path, V::S(v))?;
        }
        row(t, "default", 0, "google/analytics/account", V::Null)?;
        row(
            t,
            "websites",
            1,
            "design/head/default_description",
            V::S("Line one\nline two, it's \"quoted\""),
        )?;
        for s in 2..=n {
            let (_, _, locale) = store_view(s);
            row(t, "stores", s, "general/locale/code", V::S(locale))?;
            row(
                t,
                "stores",
                s,
                "design/head/default_title",
                V::Text(format!("Example Shop {}", store_view(s).1)),
            )?;
        }
        Ok(())
    })?;
    g.table(d, "tax_class", |t| {
        t.set("class_id", 2)
            .set("class_name", "Taxable Goods")
            .set("class_type", "PRODUCT")
            .push()?;
        t.set("class_id", 3)
            .set("class_name", "Retail Customer")
            .set("class_type", "CUSTOMER")
            .push()?;
        t.set("class_id", 4)
            .set("class_name", "Shipping")
            .set("class_type", "PRODUCT")
            .push()
    })?;
    g.table(d, "customer_group", |t| {
        for (id, code) in [
            (0, "NOT LOGGED IN"),
            (1, "General"),
            (2, "Wholesale"),
            (3, "Retailer"),
        ] {
            t.set("customer_group_id", id)
                .set("customer_group_code", code)
                .set("tax_class_id", 3)
                .push()?;
        }
        Ok(())
    })?;
    eav_tables(g, d)?;
    g.table(d, "cataloginventory_stock", |t| {
        t.set("stock_id", 1).set("stock_name", "Default").push()
    })?;
    g.table(d, "review_entity", |t| {
        for (id, code) in [(1, "product"), (2, "customer"), (3, "category")] {
            t.set("entity_id", id).set("entity_code", code).push()?;
        }
        Ok(())
    })?;
    g.table(d, "review_status", |t| {
        for (id, code) in [(1, "Approved"), (2, "Pending"), (3, "Not Approved")] {
            t.set("status_id", id).set("status_code", code).push()?;
        }
        Ok(())
    })?;
    g.table(d, "rating_entity", |t| {
        for (id, code) in [(1, "product"), (2, "product_review"), (3, "review")] {
            t.set("entity_id", id).set("entity_code", code).push()?;
        }
        Ok(())
    })?;
    g.table(d, "rating", |t| {
        for (id, code) in [(1, "Quality"), (2, "Value"), (3, "Price")] {
            t.set("rating_id", id)
                .set("entity_id", 1)
                .set("rating_code", code)
                .set("position", 0)
                .push()?;
        }
        Ok(())
    })?;
    g.table(d, "rating_option", |t| {
        for r in 1..=3i64 {
            for v in 1..=5i64 {
                t.set("option_id", (r - 1) * 5 + v)
                    .set("rating_id", r)
                    .set("code", V::Text(v.to_string()));
                t.set("value", v).set("position", v).push()?;
            }
        }
        Ok(())
    })?;
    g.table(d, "rating_store", |t| {
        for r in 1..=3 {
            for s in 0..=n {
                t.set("rating_id", r).set("store_id", s).push()?;
            }
        }
        Ok(())
    })?;
    Ok(())
}

/// (id, code, model, attribute model, table, increment model, additional table, collection).
type EntityType = (
    i64,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

fn eav_tables(g: &Gen, d: &mut Dump) -> Result<()> {
    g.table(d, "eav_entity_type", |t| {
        let types: [EntityType; 8] = [
            (
                1,
                "customer",
                "customer/customer",
                "customer/attribute",
                "customer/entity",
                "eav/entity_increment_numeric",
                "customer/eav_attribute",
                "customer/attribute_collection",
            ),
            (
                2,
                "customer_address",
                "customer/address",
                "customer/attribute",
                "customer/address_entity",
                "",
                "customer/eav_attribute",
                "customer/address_attribute_collection",
            ),
            (
                3,
                "catalog_category",
                "catalog/category",
                "catalog/resource_eav_attribute",
                "catalog/category",
                "",
                "catalog/eav_attribute",
                "catalog/category_attribute_collection",
            ),
            (
                4,
                "catalog_product",
                "catalog/product",
                "catalog/resource_eav_attribute",
                "catalog/product",
                "",
                "catalog/eav_attribute",
                "catalog/product_attribute_collection",
            ),
            (
                5,
                "order",
                "sales/order",
                "",
                "sales/order",
                "eav/entity_increment_numeric",
                "",
                "",
            ),
            (
                6,
                "invoice",
                "sales/order_invoice",
                "",
                "sales/invoice",
                "eav/entity_increment_numeric",
                "",
                "",
            ),
            (
                7,
                "creditmemo",
                "sales/order_creditmemo",
                "",
                "sales/creditmemo",
                "eav/entity_increment_numeric",
                "",
                "",
            ),
            (
                8,
                "shipment",
                "sales/order_shipment",
                "",
                "sales/shipment",
                "eav/entity_increment_numeric",
                "",
                "",
            ),
        ];
        for (id, code, model, amodel, table, inc, add, coll) in types {
            t.set("entity_type_id", id)
                .set("entity_type_code", code)
                .set("entity_model", model);
            t.set("attribute_model", null_if_empty(amodel))
                .set("entity_table", table);
            t.set("is_data_sharing", 1)
                .set("data_sharing_key", "default");
            t.set("default_attribute_set_id", if id <= 4 { id } else { 0 });
            t.set("increment_model", null_if_empty(inc))
                .set("increment_per_store", i64::from(id >= 5));
            t.set("increment_pad_length", 8)
                .set("increment_pad_char", "0");
            t.set("additional_attribute_table", null_if_empty(add))
                .set("entity_attribute_collection", null_if_empty(coll));
            t.push()?;
        }
        Ok(())
    })?;
    g.table(d, "eav_attribute_set", |t| {
        for set in 1..=8i64 {
            let et = set;
            t.set("attribute_set_id", set)
                .set("entity_type_id", et)
                .set("attribute_set_name", "Default");
            t.set("sort_order", 1).push()?;
        }
        t.set("attribute_set_id", CLOTHING_SET)
            .set("entity_type_id", 4)
            .set("attribute_set_name", "Clothing");
        t.set("sort_order", 0).push()
    })?;
    let groups = groups();
    g.table(d, "eav_attribute_group", |t| {
        for (id, set, name, sort, default) in &groups {
            t.set("attribute_group_id", *id)
                .set("attribute_set_id", *set)
                .set("attribute_group_name", *name);
            t.set("sort_order", *sort)
                .set("default_id", *default)
                .push()?;
        }
        Ok(())
    })?;
    g.table(d, "eav_attribute", |t| {
        for a in ATTRS {
            t.set("attribute_id", a.id)
                .set("entity_type_id", a.et)
                .set("attribute_code", a.code);
            t.set("backend_model", null_if_empty(a.backend))
                .set("backend_type", a.btype);
            t.set("frontend_model", null_if_empty(a.fmodel))
                .set("frontend_input", null_if_empty(a.input));
            t.set("frontend_label", null_if_empty(a.label))
                .set("frontend_class", null_if_empty(a.fclass));
            t.set("source_model", null_if_empty(a.source))
                .set("is_required", a.req)
                .set("is_user_defined", a.user);
            t.set("default_value", null_if_empty(a.default))
                .set("is_unique", a.unique);
            if a.code == "meta_description" && a.et == 4 {
                t.set("note", "Maximum 255 chars");
            }
            t.push()?;
        }
        Ok(())
    })?;
    g.table(d, "eav_entity_attribute", |t| {
        let mut id = 0i64;
        for set in 1..=9i64 {
            let et = if set == CLOTHING_SET { 4 } else { set };
            let mut sort = 0;
            for a in ATTRS.iter().filter(|a| a.et == et) {
                if set == PRODUCT_SET && a.code == "size" {
                    continue;
                }
                let gname = group_name(et, a.code);
                let Some(gid) = groups
                    .iter()
                    .find(|x| x.1 == set && x.2 == gname)
                    .map(|x| x.0)
                else {
                    continue;
                };
                id += 1;
                sort += 10;
                t.set("entity_attribute_id", id)
                    .set("entity_type_id", et)
                    .set("attribute_set_id", set);
                t.set("attribute_group_id", gid)
                    .set("attribute_id", a.id)
                    .set("sort_order", sort)
                    .push()?;
            }
        }
        Ok(())
    })?;
    g.table(d, "catalog_eav_attribute", |t| {
        for a in ATTRS {
            let Some(c) = &a.cat else { continue };
            t.set("attribute_id", a.id)
                .set("frontend_input_renderer", null_if_empty(c.renderer));
            for (col, f) in CAT_FLAG_COLUMNS.iter().zip(c.flags.bytes()) {
                t.set(col, i64::from(f - b'0'));
            }
            t.set("apply_to", null_if_empty(c.apply_to))
                .set("position", 0)
                .push()?;
        }
        Ok(())
    })?;
    g.table(d, "customer_eav_attribute", |t| {
        for a in ATTRS {
            let Some(u) = &a.cust else { continue };
            t.set("attribute_id", a.id)
                .set("is_visible", u.visible)
                .set("input_filter", null_if_empty(u.filter));
            t.set("multiline_count", u.lines)
                .set("validate_rules", null_if_empty(u.rules));
            t.set("is_system", u.system)
                .set("sort_order", u.sort)
                .set("data_model", null_if_empty(u.model))
                .push()?;
        }
        Ok(())
    })?;
    g.table(d, "customer_form_attribute", |t| {
        for a in ATTRS
            .iter()
            .filter(|a| a.cust.as_ref().is_some_and(|u| u.visible == 1))
        {
            let forms: &[&str] = if a.et == 1 {
                &[
                    "adminhtml_customer",
                    "customer_account_create",
                    "customer_account_edit",
                    "checkout_register",
                ]
            } else {
                &[
                    "adminhtml_customer_address",
                    "customer_address_edit",
                    "customer_register_address",
                ]
            };
            for f in forms {
                if *f != "adminhtml_customer"
                    && matches!(a.code, "website_id" | "created_in" | "group_id")
                {
                    continue;
                }
                t.set("form_code", *f).set("attribute_id", a.id).push()?;
            }
        }
        Ok(())
    })?;
    let color = g.attr(4, "color");
    let size = g.attr(4, "size");
    let manufacturer = g.attr(4, "manufacturer");
    g.table(d, "eav_attribute_option", |t| {
        for i in 0..COLORS.len() {
            t.set("option_id", color_option(i))
                .set("attribute_id", color)
                .set("sort_order", i)
                .push()?;
        }
        for i in 0..SIZES.len() {
            t.set("option_id", size_option(i))
                .set("attribute_id", size)
                .set("sort_order", i)
                .push()?;
        }
        for i in 0..MANUFACTURERS.len() {
            t.set("option_id", manufacturer_option(i))
                .set("attribute_id", manufacturer)
                .set("sort_order", 0)
                .push()?;
        }
        Ok(())
    })?;
    g.table(d, "eav_attribute_option_value", |t| {
        let mut id = 0u64;
        for (i, (admin, other)) in COLORS.iter().enumerate() {
            id += 1;
            t.set("value_id", id)
                .set("option_id", color_option(i))
                .set("store_id", 0)
                .set("value", *admin)
                .push()?;
            for s in 2..=g.stores {
                id += 1;
                t.set("value_id", id)
                    .set("option_id", color_option(i))
                    .set("store_id", s)
                    .set("value", *other)
                    .push()?;
            }
        }
        for (i, label) in SIZES.iter().enumerate() {
            id += 1;
            t.set("value_id", id)
                .set("option_id", size_option(i))
                .set("store_id", 0)
                .set("value", *label)
                .push()?;
        }
        for (i, label) in MANUFACTURERS.iter().enumerate() {
            id += 1;
            t.set("value_id", id)
                .set("option_id", manufacturer_option(i))
                .set("store_id", 0)
                .set("value", *label)
                .push()?;
        }
        Ok(())
    })?;
    Ok(())
}

pub fn write_cms(g: &Gen, d: &mut Dump) -> Result<()> {
    let n = g.stores;
    let mut rng = Rng::for_key(g.seed, 900, 0);
    let pages: Vec<(&str, &str, String)> = vec![
        ("home", "Home page", format!(
            "<div class=\"hero\"><img src=\"{{{{media url=\"wysiwyg/home/hero.jpg\"}}}}\" alt=\"Summer sale\" /></div>\n\
             <p>Welcome to <a href=\"{{{{store url=\"\"}}}}\">our shop</a>. It's the \"best\" place.</p>\n\
             {{{{widget type=\"cms/widget_page_link\" template=\"cms/widget/link/link_block.phtml\" page_id=\"3\"}}}}\n\
             {{{{block type=\"catalog/product_new\" products_count=\"8\" template=\"catalog/product/new.phtml\"}}}}\n<p>{}</p>",
            text::words(&mut rng, 30))),
        ("no-route", "404 Not Found 1", "<div class=\"page-title\"><h1>Whoops, our bad...</h1></div>\r\n<p>The page you requested was not found.</p>\r\n<ul><li><a href=\"{{store url=\"\"}}\">Store Home</a></li></ul>".to_string()),
        ("about-magento-demo-store", "About Us", format!(
            "<h2>Our story</h2>\n<p>Since 1998, Müller &amp; Söhne — 日本 too 🎉.</p>\n<img src=\"{{{{media url=\"wysiwyg/about/team.jpg\"}}}}\" />\n<p>{}</p>",
            text::words(&mut rng, 60))),
        ("customer-service", "Customer Service", "<p>Questions? Call us or read the FAQ:</p>\n{{widget type=\"cms/widget_page_link\" anchor_text=\"Shipping & Returns\" page_id=\"5\"}}\n<p>Path: C:\\shop\\docs\\faq.pdf</p>".to_string()),
        ("shipping-returns", "Shipping & Returns", "<p>Free shipping over $50.\tReturns within 30 days.</p>\n<p>Tab\tand NUL\0 and ctrl-z\x1a kept as is.</p>".to_string()),
        ("enable-cookies", "Enable Cookies", "<p>Please enable cookies in your browser.</p>".to_string()),
        ("privacy-policy-cookie-restriction-mode", "Privacy Policy", "<p>NULL</p>".to_string()),
    ];
    g.table(d, "cms_page", |t| {
        for (i, (ident, title, content)) in pages.iter().enumerate() {
            let ts = text::datetime(1_400_000_000 + i as i64 * 86_400);
            t.set("page_id", i + 1).set("title", *title).set("root_template", if i == 0 { "one_column" } else { "two_columns_right" });
            t.set("meta_keywords", if i == 0 { V::S("shop, sale") } else { V::Null });
            t.set("meta_description", if i == 2 { V::S("About \"us\"") } else { V::Null });
            t.set("identifier", *ident).set("content_heading", if i == 2 { V::S("About Us") } else { V::S("") });
            t.set("content", content.clone()).set("creation_time", ts.clone()).set("update_time", ts);
            t.set("is_active", 1).set("sort_order", 0);
            if i == 0 {
                t.set("layout_update_xml", "<reference name=\"content\">\n  <block type=\"core/template\" name=\"promo\" template=\"cms/promo.phtml\"/>\n</reference>");
            }
            t.push()?;
        }
        Ok(())
    })?;
    g.table(d, "cms_page_store", |t| {
        for i in 1..=pages.len() {
            t.set("page_id", i).set("store_id", 0).push()?;
        }
        Ok(())
    })?;
    let blocks: Vec<(&str, &str, String)> = vec![
        ("footer_links", "Footer Links", "<ul>\n<li><a href=\"{{store direct_url=\"about-magento-demo-store\"}}\">About Us</a></li>\n<li><a href=\"{{store url=\"customer-service\"}}\">Customer Service</a></li>\n</ul>".to_string()),
        ("home_banner", "Home Banner", "<a href=\"{{store url=\"sale.html\"}}\"><img src=\"{{media url=\"wysiwyg/banners/sale.jpg\"}}\" alt=\"Sale 50% off\" /></a>".to_string()),
        ("cookie_notice", "Cookie notice", "{{widget type=\"cms/widget_page_link\" template=\"cms/widget/link/link_inline.phtml\" page_id=\"6\"}}".to_string()),
        ("promo_fr", "Promo (FR)", "<p>Livraison gratuite dès 50 € — c'est « génial » !</p>".to_string()),
    ];
    g.table(d, "cms_block", |t| {
        for (i, (ident, title, content)) in blocks.iter().enumerate() {
            let ts = text::datetime(1_420_000_000 + i as i64 * 3600);
            t.set("block_id", i + 1)
                .set("title", *title)
                .set("identifier", *ident)
                .set("content", content.clone());
            t.set("creation_time", ts.clone())
                .set("update_time", ts)
                .set("is_active", 1)
                .push()?;
        }
        Ok(())
    })?;
    g.table(d, "cms_block_store", |t| {
        for i in 1..=blocks.len() {
            if i == 4 && n >= 2 {
                t.set("block_id", i).set("store_id", 2).push()?;
            } else {
                t.set("block_id", i).set("store_id", 0).push()?;
            }
        }
        Ok(())
    })?;
    Ok(())
}
