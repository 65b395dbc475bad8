//! Named handlers: what a map's `transform` rules do to a value.
//!
//! A handler is compiled once per table plan (its parameters checked, the
//! fields it reads resolved to column positions, the lookups it needs
//! registered) and then applied to every row. Handlers never fail a run on
//! bad data: a value they cannot convert becomes NULL and is counted as a
//! warning in the report.

use foldhash::HashMap;

use crate::convert::row::{Cell, SrcRow};
use crate::map::Transform;
use crate::map::idmap::{IdMap, IdValue, as_int};
use crate::transform::crypt::{self, M1Key, M2Key};

/// A lookup table a handler needs from the source, built in a first pass.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LookupSpec {
    /// Source table (without prefix).
    pub table: String,
    /// Key column.
    pub key: String,
    /// Value column.
    pub value: String,
}

/// The lookups all plans need, deduplicated.
#[derive(Debug, Clone, Default)]
pub struct LookupNeeds {
    specs: Vec<LookupSpec>,
}

impl LookupNeeds {
    /// Registers a lookup and returns its id.
    pub fn add(&mut self, table: &str, key: &str, value: &str) -> usize {
        let spec = LookupSpec {
            table: table.into(),
            key: key.into(),
            value: value.into(),
        };
        if let Some(i) = self.specs.iter().position(|s| *s == spec) {
            return i;
        }
        self.specs.push(spec);
        self.specs.len() - 1
    }

    /// Every registered lookup, by id.
    pub fn specs(&self) -> &[LookupSpec] {
        &self.specs
    }
}

/// An EAV attribute as the source defines it.
#[derive(Debug, Clone, Default)]
pub struct Attribute {
    /// `attribute_code`.
    pub code: String,
    /// The code of its entity type.
    pub entity_type: String,
    /// `frontend_input`.
    pub frontend_input: String,
}

/// The source's attributes by id (the bytes of `attribute_id`); ids written
/// as small integers are also found by index, which the handlers that test
/// every EAV row's attribute read.
#[derive(Debug, Default)]
pub struct Attributes {
    by_id: HashMap<Vec<u8>, Attribute>,
    /// By canonical integer id below [`Attributes::DENSE`].
    dense: Vec<Option<Attribute>>,
}

impl Attributes {
    /// Integer ids below this are held by index too.
    const DENSE: u64 = 1 << 16;

    /// Adds (or replaces) attribute `id`.
    pub fn insert(&mut self, id: Vec<u8>, a: Attribute) {
        if let Some(k) = as_int(&id).filter(|&k| k < Self::DENSE)
            && let Ok(k) = usize::try_from(k)
        {
            if self.dense.len() <= k {
                self.dense.resize(k + 1, None);
            }
            self.dense[k] = Some(a.clone());
        }
        self.by_id.insert(id, a);
    }

    /// The attribute of `id`.
    pub fn get(&self, id: &[u8]) -> Option<&Attribute> {
        if let Some(k) = as_int(id)
            && let Some(Some(a)) = usize::try_from(k).ok().and_then(|k| self.dense.get(k))
        {
            return Some(a);
        }
        self.by_id.get(id)
    }

    /// Every attribute, with its id.
    pub fn iter(&self) -> impl Iterator<Item = (&Vec<u8>, &Attribute)> {
        self.by_id.iter()
    }
}

/// What handlers may read besides the row: lookups built from the source.
#[derive(Debug, Default)]
pub struct Context {
    /// Lookup tables by id (see [`LookupNeeds`]): key bytes → value bytes (None: NULL).
    pub lookups: Vec<IdMap>,
    /// Source attributes by id.
    pub attributes: Attributes,
    /// Default-scope configuration of the source, path → value.
    pub config: HashMap<String, Vec<u8>>,
    /// Magento 1 class aliases → Magento 2 classes ("" = none).
    pub class_map: crate::map::class_map::ClassMap,
    /// The Magento 1 and Magento 2 keys, when both were given: encrypted
    /// values are re-encrypted; without them they are dropped and counted.
    pub crypt: Option<(M1Key, M2Key)>,
}

impl Context {
    fn lookup(&self, id: usize, key: &[u8]) -> Option<Option<IdValue<'_>>> {
        self.lookups.get(id)?.get(key)
    }

    fn class(&self, alias: &[u8]) -> Option<Vec<u8>> {
        self.class_map.get(alias).map(|c| c.as_bytes().to_vec())
    }
}

/// A constant, NULL, or arithmetic for `set_value`.
#[derive(Debug, Clone, PartialEq)]
pub enum SetTo {
    /// NULL.
    Null,
    /// A constant string.
    Const(Vec<u8>),
    /// Add to the current integer value.
    Add(i64),
}

impl SetTo {
    fn parse(v: &str) -> SetTo {
        if v.eq_ignore_ascii_case("null") {
            return SetTo::Null;
        }
        if let Some(n) = v.strip_prefix('+').and_then(|n| n.parse::<i64>().ok()) {
            return SetTo::Add(n);
        }
        if v.starts_with('-')
            && v.len() > 1
            && let Ok(n) = v.parse::<i64>()
        {
            return SetTo::Add(n);
        }
        SetTo::Const(v.as_bytes().to_vec())
    }

    fn apply(&self, cell: &mut Cell<'_>) {
        *cell = match self {
            SetTo::Null => Cell::Null,
            SetTo::Const(c) => Cell::Bytes(c.clone()),
            SetTo::Add(n) => {
                let cur = cell.bytes().and_then(|b| {
                    std::str::from_utf8(&b)
                        .ok()
                        .and_then(|s| s.trim().parse::<i64>().ok())
                });
                match cur {
                    Some(c) => Cell::Int(c.saturating_add(*n)),
                    None => return,
                }
            }
        };
    }
}

/// A handler's regular expression, matched on every row. Each thread
/// matches with its own copy: threads sharing one `Regex` contend for the
/// scratch space it keeps (the cache line saying which thread owns it),
/// which cost more than the match itself at two threads.
pub struct Pattern {
    regex: regex::bytes::Regex,
    /// Boxed: its table of threads is larger than every other handler.
    per_thread: Box<thread_local::ThreadLocal<regex::bytes::Regex>>,
}

impl Pattern {
    fn new(body: &str) -> Result<Pattern, regex::Error> {
        Ok(Pattern {
            regex: regex::bytes::Regex::new(body)?,
            per_thread: Box::default(),
        })
    }

    /// Whether the pattern matches somewhere in `text`.
    pub fn is_match(&self, text: &[u8]) -> bool {
        self.per_thread.get_or(|| self.regex.clone()).is_match(text)
    }
}

impl Clone for Pattern {
    fn clone(&self) -> Self {
        Pattern {
            regex: self.regex.clone(),
            per_thread: Box::default(),
        }
    }
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.regex, f)
    }
}

/// A compiled handler.
#[derive(Debug, Clone)]
pub enum Handler {
    /// `set_value`: a constant, NULL, or `+n`/`-n`.
    SetValue(SetTo),
    /// `convert`: through a value table, with an optional default for unlisted values.
    Convert {
        /// from → to.
        map: Vec<(Vec<u8>, Vec<u8>)>,
        /// Used for values the table does not list.
        default: Option<Vec<u8>>,
    },
    /// `convert_eav_value`: `convert` on rows of one attribute only.
    ConvertEavValue {
        /// from → to.
        map: Vec<(Vec<u8>, Vec<u8>)>,
        /// The attribute's code.
        attribute_code: String,
        /// Column of `attribute_id`.
        attr_col: usize,
    },
    /// `convert_ip`: IPv4 text or packed binary → integer.
    ConvertIp,
    /// `class_map`: Magento 1 class alias → Magento 2 class (NULL when unknown).
    ClassMap,
    /// `truncate_suffix`: strips the configured URL suffix from url_key/url_path values.
    TruncateSuffix {
        /// Configuration path of the suffix.
        suffix_path: String,
        /// Attribute codes it applies to.
        codes: Vec<String>,
        /// Entity type code of those attributes.
        entity_type: String,
        /// Column of `attribute_id`.
        attr_col: usize,
    },
    /// `set_value_attribute_condition`: `set_value` on rows of one attribute only.
    SetValueAttributeCondition {
        /// The attribute's code.
        attribute_code: String,
        /// The value to set.
        to: SetTo,
        /// Column of `attribute_id`.
        attr_col: usize,
    },
    /// `placeholder`: widget/block directives → Magento 2 classes.
    Placeholder,
    /// `serialize_to_json`: PHP serialized → JSON; broken values → NULL.
    SerializeToJson,
    /// `serialize_to_json_if`: JSON-convert only when another field matches a pattern.
    SerializeToJsonIf {
        /// Column of the conditional field.
        field_col: usize,
        /// The pattern.
        pattern: Pattern,
    },
    /// `serialize_item_option`: quote/wishlist item option values under an
    /// `option_N` code (see [`magento::numbered_option_value`]).
    SerializeItemOption {
        /// Column of `code`.
        code_col: usize,
    },
    /// `serialize_sales_order_item`: order item product_options → JSON.
    SerializeSalesOrderItem,
    /// `rule_serialized_data`: rule conditions with class aliases converted,
    /// still serialized (the maps follow it with `serialize_to_json`).
    RuleSerializedData,
    /// `clean_multiselect`: drops empty items of product multiselect values.
    CleanMultiselect {
        /// Column of `attribute_id`.
        attr_col: usize,
    },
    /// `encrypt`: re-encrypted with both stores' keys (the field name, `doc.field`,
    /// feeds the nonce); without them the value is dropped (NULL) and reported.
    Encrypt(Vec<u8>),
    /// `gallery_value_to_entity`: also writes a value_to_entity row (see the plan); the value is unchanged.
    GalleryValueToEntity,
    /// `gallery_set_entity_id`: the product id of a gallery value, from the gallery table.
    GallerySetEntityId {
        /// Column of `value_id`.
        value_col: usize,
        /// Lookup id (gallery value_id → entity_id).
        lookup: usize,
    },
    /// `bundle_parent_product`: the parent product id through another table.
    BundleParentProduct {
        /// Column of the parent field.
        parent_col: usize,
        /// Lookup id.
        lookup: usize,
    },
    /// `product_alert_store_id`: the default store of the row's website.
    ProductAlertStoreId {
        /// Column of `website_id`.
        website_col: usize,
        /// website → default group.
        website_group: usize,
        /// group → default store.
        group_store: usize,
    },
    /// `quote_multi_address_store_id`: the store of the quote item.
    QuoteMultiAddressStoreId {
        /// Column of `quote_item_id`.
        item_col: usize,
        /// quote item → store.
        lookup: usize,
    },
    /// `visible_on_front`: order status visibility from status and state.
    VisibleOnFront {
        /// Column of `status`.
        status_col: usize,
        /// Column of `state`.
        state_col: usize,
    },
    /// `synonym`: also writes a search_synonyms row (see the plan); the value itself is dropped.
    Synonym,
    /// `add_prefix`: prepends a string.
    AddPrefix(Vec<u8>),
    /// `normalize_ids`: a comma list becomes rows of a link table (see the plan); the value itself is dropped.
    NormalizeIds,
}

/// Warnings a handler raises, by kind.
pub type Warn<'w> = &'w mut dyn FnMut(&'static str);

/// A value table: from → to.
type ValueMap = Vec<(Vec<u8>, Vec<u8>)>;

fn parse_map(s: &str) -> Result<ValueMap, String> {
    let s = s.trim().trim_start_matches('[').trim_end_matches(']');
    let mut out = Vec::new();
    for pair in s.split(';').filter(|p| !p.trim().is_empty()) {
        let (a, b) = pair
            .split_once(':')
            .ok_or_else(|| format!("map entry `{pair}`: expected from:to"))?;
        out.push((a.trim().as_bytes().to_vec(), b.trim().as_bytes().to_vec()));
    }
    Ok(out)
}

/// Resolves a field name of the row being transformed to its source column.
pub type Resolve<'r> = &'r dyn Fn(&str) -> Option<usize>;

fn need(resolve: Resolve<'_>, field: &str, handler: &str) -> Result<usize, String> {
    resolve(field).ok_or_else(|| {
        format!("handler `{handler}` reads field `{field}`, which the row does not have")
    })
}

fn param<'t>(t: &'t Transform, name: &str) -> Result<&'t str, String> {
    t.params
        .get(name)
        .map(String::as_str)
        .ok_or_else(|| format!("handler `{}` needs the parameter `{name}`", t.handler))
}

/// The parameters each handler accepts.
fn allowed_params(handler: &str) -> Option<&'static [&'static str]> {
    Some(match handler {
        "set_value" => &["value"],
        "convert" => &["map", "default"],
        "convert_eav_value" => &["map", "attribute_code"],
        "truncate_suffix" => &["suffix_path", "attribute_codes", "entity_type_code"],
        "set_value_attribute_condition" => &["attribute_code", "value"],
        "serialize_to_json_if" => &["field", "pattern"],
        "bundle_parent_product" => &["parent_field", "document", "field"],
        "add_prefix" => &["prefix"],
        "normalize_ids" => &["document", "key", "field"],
        "convert_ip"
        | "class_map"
        | "placeholder"
        | "serialize_to_json"
        | "serialize_item_option"
        | "serialize_sales_order_item"
        | "rule_serialized_data"
        | "clean_multiselect"
        | "encrypt"
        | "gallery_value_to_entity"
        | "gallery_set_entity_id"
        | "product_alert_store_id"
        | "quote_multi_address_store_id"
        | "visible_on_front"
        | "synonym" => &[],
        _ => return None,
    })
}

/// The names of every handler, for messages and the README.
pub const HANDLERS: &[&str] = &[
    "set_value",
    "convert",
    "convert_eav_value",
    "convert_ip",
    "class_map",
    "truncate_suffix",
    "set_value_attribute_condition",
    "placeholder",
    "serialize_to_json",
    "serialize_to_json_if",
    "serialize_item_option",
    "serialize_sales_order_item",
    "rule_serialized_data",
    "clean_multiselect",
    "encrypt",
    "gallery_value_to_entity",
    "gallery_set_entity_id",
    "bundle_parent_product",
    "product_alert_store_id",
    "quote_multi_address_store_id",
    "visible_on_front",
    "synonym",
    "add_prefix",
    "normalize_ids",
];

/// Handlers that write rows into another table; the field they sit on may
/// have no column of its own in the destination.
pub const EMITTING: &[&str] = &["synonym", "normalize_ids", "gallery_value_to_entity"];

/// Source tables whose rows the EAV-aware handlers read.
pub fn attribute_lookups(needs: &mut LookupNeeds) {
    needs.add("eav_attribute", "attribute_id", "attribute_code");
    needs.add("eav_attribute", "attribute_id", "entity_type_id");
    needs.add("eav_attribute", "attribute_id", "frontend_input");
    needs.add("eav_entity_type", "entity_type_id", "entity_type_code");
    needs.add("core_config_data", "path", "value");
}

impl Handler {
    /// Compiles a transform rule. `resolve` finds fields of the row by name.
    pub fn compile(
        t: &Transform,
        resolve: Resolve<'_>,
        needs: &mut LookupNeeds,
    ) -> Result<Handler, String> {
        let name = t.handler.as_str();
        let Some(allowed) = allowed_params(name) else {
            return Err(format!(
                "unknown handler `{name}` (known: {})",
                HANDLERS.join(", ")
            ));
        };
        if let Some(p) = t.params.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(format!(
                "handler `{name}` has no parameter `{p}` (it takes: {})",
                allowed.join(", ")
            ));
        }
        Ok(match name {
            "set_value" => Handler::SetValue(SetTo::parse(param(t, "value")?)),
            "convert" => Handler::Convert {
                map: parse_map(param(t, "map")?)?,
                default: t.params.get("default").map(|d| d.as_bytes().to_vec()),
            },
            "convert_eav_value" => {
                attribute_lookups(needs);
                Handler::ConvertEavValue {
                    map: parse_map(param(t, "map")?)?,
                    attribute_code: param(t, "attribute_code")?.to_string(),
                    attr_col: need(resolve, "attribute_id", name)?,
                }
            }
            "convert_ip" => Handler::ConvertIp,
            "class_map" => Handler::ClassMap,
            "truncate_suffix" => {
                attribute_lookups(needs);
                Handler::TruncateSuffix {
                    suffix_path: param(t, "suffix_path")?.to_string(),
                    codes: param(t, "attribute_codes")?
                        .trim_matches(['[', ']'])
                        .split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                    entity_type: param(t, "entity_type_code")?.to_string(),
                    attr_col: need(resolve, "attribute_id", name)?,
                }
            }
            "set_value_attribute_condition" => {
                attribute_lookups(needs);
                Handler::SetValueAttributeCondition {
                    attribute_code: param(t, "attribute_code")?.to_string(),
                    to: SetTo::parse(param(t, "value")?),
                    attr_col: need(resolve, "attribute_id", name)?,
                }
            }
            "placeholder" => Handler::Placeholder,
            "serialize_to_json" => Handler::SerializeToJson,
            "serialize_to_json_if" => {
                let raw = param(t, "pattern")?;
                // Accept a PHP-style /…/ pattern as the DMT writes it.
                let body = raw
                    .strip_prefix('/')
                    .and_then(|r| r.rsplit_once('/').map(|(b, _)| b))
                    .unwrap_or(raw);
                Handler::SerializeToJsonIf {
                    field_col: need(resolve, param(t, "field")?, name)?,
                    pattern: Pattern::new(body)
                        .map_err(|e| format!("handler `{name}`: pattern: {e}"))?,
                }
            }
            "serialize_item_option" => Handler::SerializeItemOption {
                code_col: need(resolve, "code", name)?,
            },
            "serialize_sales_order_item" => Handler::SerializeSalesOrderItem,
            "rule_serialized_data" => Handler::RuleSerializedData,
            "clean_multiselect" => {
                attribute_lookups(needs);
                Handler::CleanMultiselect {
                    attr_col: need(resolve, "attribute_id", name)?,
                }
            }
            "encrypt" => Handler::Encrypt(t.field.as_bytes().to_vec()),
            "gallery_value_to_entity" => Handler::GalleryValueToEntity,
            "gallery_set_entity_id" => Handler::GallerySetEntityId {
                value_col: need(resolve, "value_id", name)?,
                lookup: needs.add(
                    "catalog_product_entity_media_gallery",
                    "value_id",
                    "entity_id",
                ),
            },
            "bundle_parent_product" => {
                let parent = param(t, "parent_field")?;
                Handler::BundleParentProduct {
                    parent_col: need(resolve, parent, name)?,
                    lookup: needs.add(param(t, "document")?, parent, param(t, "field")?),
                }
            }
            "product_alert_store_id" => Handler::ProductAlertStoreId {
                website_col: need(resolve, "website_id", name)?,
                website_group: needs.add("core_website", "website_id", "default_group_id"),
                group_store: needs.add("core_store_group", "group_id", "default_store_id"),
            },
            "quote_multi_address_store_id" => Handler::QuoteMultiAddressStoreId {
                item_col: need(resolve, "quote_item_id", name)?,
                lookup: needs.add("sales_flat_quote_item", "item_id", "store_id"),
            },
            "visible_on_front" => Handler::VisibleOnFront {
                status_col: need(resolve, "status", name)?,
                state_col: need(resolve, "state", name)?,
            },
            "synonym" => Handler::Synonym,
            "add_prefix" => Handler::AddPrefix(param(t, "prefix")?.as_bytes().to_vec()),
            "normalize_ids" => {
                param(t, "document")?;
                need(resolve, param(t, "key")?, name)?;
                param(t, "field")?;
                Handler::NormalizeIds
            }
            _ => return Err(format!("unknown handler `{name}`")),
        })
    }

    /// Applies the handler to `cell`, reading other fields from `row`.
    pub fn apply<'a>(
        &self,
        cell: &mut Cell<'a>,
        row: &SrcRow<'_, 'a>,
        ctx: &Context,
        warn: Warn<'_>,
    ) {
        use crate::transform::{magento, php};
        match self {
            Handler::SetValue(to) => to.apply(cell),
            Handler::Convert { map, default } => {
                let Some(v) = cell.bytes() else { return };
                if let Some((_, to)) = map.iter().find(|(from, _)| from.as_slice() == v.as_ref()) {
                    *cell = Cell::Bytes(to.clone());
                } else if let Some(d) = default {
                    *cell = Cell::Bytes(d.clone());
                }
            }
            Handler::ConvertEavValue {
                map,
                attribute_code,
                attr_col,
            } => {
                if attribute_is(row, *attr_col, ctx, |a| a.code == *attribute_code) {
                    let Some(v) = cell.bytes() else { return };
                    if let Some((_, to)) =
                        map.iter().find(|(from, _)| from.as_slice() == v.as_ref())
                    {
                        *cell = Cell::Bytes(to.clone());
                    }
                }
            }
            Handler::ConvertIp => {
                let Some(v) = cell.bytes() else { return };
                *cell = Cell::Int(magento::convert_ip(&v));
            }
            Handler::ClassMap => {
                let Some(v) = cell.bytes() else { return };
                *cell = match ctx.class(&v) {
                    Some(c) if !c.is_empty() => Cell::Bytes(c),
                    Some(_) => Cell::Null,
                    None => {
                        warn("unknown class alias set to NULL");
                        Cell::Null
                    }
                };
            }
            Handler::TruncateSuffix {
                suffix_path,
                codes,
                entity_type,
                attr_col,
            } => {
                if attribute_is(row, *attr_col, ctx, |a| {
                    a.entity_type == *entity_type && codes.contains(&a.code)
                }) {
                    let suffix = ctx
                        .config
                        .get(suffix_path)
                        .map_or(&b".html"[..], Vec::as_slice);
                    let Some(v) = cell.bytes() else { return };
                    *cell = Cell::Bytes(magento::truncate_suffix(&v, suffix));
                }
            }
            Handler::SetValueAttributeCondition {
                attribute_code,
                to,
                attr_col,
            } => {
                if attribute_is(row, *attr_col, ctx, |a| a.code == *attribute_code) {
                    to.apply(cell);
                }
            }
            Handler::Placeholder => {
                let Some(v) = cell.bytes() else { return };
                let out = magento::placeholder(&v, &|alias: &[u8]| ctx.class(alias));
                if out.as_slice() != v.as_ref() {
                    *cell = Cell::Bytes(out);
                }
            }
            Handler::SerializeToJson => sql_json_or_null(
                cell,
                warn,
                php::sql_literal_to_json_sql,
                php::serialized_to_json_sql,
            ),
            Handler::SerializeToJsonIf { field_col, pattern } => {
                let matched = row.bytes(*field_col).is_some_and(|f| pattern.is_match(&f));
                if matched {
                    sql_json_or_null(
                        cell,
                        warn,
                        php::sql_literal_to_json_sql,
                        php::serialized_to_json_sql,
                    );
                }
            }
            Handler::SerializeItemOption { code_col } => {
                let code = row.bytes(*code_col).unwrap_or_default();
                // The code first: the value of another code (often JSON
                // already) is not read.
                if !magento::is_numbered_option(&code) {
                    return;
                }
                let Some(v) = cell.bytes() else { return };
                match magento::numbered_option_value(&code, &v) {
                    magento::ItemOptionResult::Keep => {}
                    magento::ItemOptionResult::Converted(j) => *cell = Cell::Bytes(j),
                    magento::ItemOptionResult::Broken(_) => {
                        warn("broken serialized data set to NULL");
                        *cell = Cell::Null;
                    }
                }
            }
            Handler::SerializeSalesOrderItem => sql_json_or_null(
                cell,
                warn,
                magento::sql_literal_product_options_sql,
                magento::sales_order_item_product_options_sql,
            ),
            Handler::RuleSerializedData => json_or_null(
                cell,
                warn,
                |v| magento::rule_class_aliases(v, &|alias: &[u8]| ctx.class(alias)),
                Cell::Bytes,
            ),
            Handler::CleanMultiselect { attr_col } => {
                if attribute_is(row, *attr_col, ctx, |a| a.frontend_input == "multiselect") {
                    let Some(v) = cell.bytes() else { return };
                    *cell = Cell::Bytes(magento::clean_multiselect(&v));
                }
            }
            Handler::Encrypt(field) => {
                let Some(v) = cell.bytes().filter(|b| !b.is_empty()) else {
                    return;
                };
                match &ctx.crypt {
                    Some((m1, m2)) => match crypt::reencrypt(&v, m1, m2, field) {
                        Ok(out) => *cell = Cell::Bytes(out),
                        Err(_) => {
                            warn(
                                "encrypted value dropped: it does not decrypt with the Magento 1 key",
                            );
                            *cell = Cell::Null;
                        }
                    },
                    None => {
                        warn(
                            "encrypted value dropped: re-encryption needs the Magento 1 and Magento 2 keys (--m1-crypt-key/--m1-local-xml, --m2-crypt-key/--m2-env)",
                        );
                        *cell = Cell::Null;
                    }
                }
            }
            Handler::GalleryValueToEntity | Handler::Synonym | Handler::NormalizeIds => {}
            Handler::GallerySetEntityId { value_col, lookup }
            | Handler::BundleParentProduct {
                parent_col: value_col,
                lookup,
            } => {
                let key = row.bytes(*value_col).unwrap_or_default();
                match ctx.lookup(*lookup, &key) {
                    Some(Some(v)) => *cell = Cell::Bytes(v.to_vec()),
                    Some(None) => *cell = Cell::Null,
                    None => {
                        warn("parent row not found in the source");
                        *cell = Cell::Null;
                    }
                }
            }
            Handler::ProductAlertStoreId {
                website_col,
                website_group,
                group_store,
            } => {
                let site = row.bytes(*website_col).unwrap_or_default();
                let store = ctx
                    .lookup(*website_group, &site)
                    .flatten()
                    .and_then(|g| ctx.lookup(*group_store, &g))
                    .flatten();
                match store {
                    Some(s) => *cell = Cell::Bytes(s.to_vec()),
                    None => warn("website has no default store; store_id kept"),
                }
            }
            Handler::QuoteMultiAddressStoreId { item_col, lookup } => {
                let item = row.bytes(*item_col).unwrap_or_default();
                match ctx.lookup(*lookup, &item) {
                    Some(Some(s)) => *cell = Cell::Bytes(s.to_vec()),
                    _ => warn("quote item not found; store_id kept"),
                }
            }
            Handler::VisibleOnFront {
                status_col,
                state_col,
            } => {
                let status = row.bytes(*status_col).unwrap_or_default();
                let state = row.bytes(*state_col).unwrap_or_default();
                *cell = Cell::Int(i64::from(magento::visible_on_front(&status, &state)));
            }
            Handler::AddPrefix(p) => {
                let Some(v) = cell.bytes() else { return };
                let mut out = p.clone();
                out.extend_from_slice(&v);
                *cell = Cell::Bytes(out);
            }
        }
    }
}

fn attribute_is(
    row: &SrcRow<'_, '_>,
    col: usize,
    ctx: &Context,
    f: impl Fn(&Attribute) -> bool,
) -> bool {
    row.bytes(col)
        .and_then(|id| ctx.attributes.get(id.as_ref()))
        .is_some_and(f)
}

/// [`json_or_null`] for a conversion that writes the body of an SQL
/// literal ([`Cell::Escaped`]): a string as mysqldump escapes it is first
/// converted as it stands by `literal`, which declines what it does not
/// read; otherwise it is unescaped and converted by `f`.
fn sql_json_or_null<E>(
    cell: &mut Cell<'_>,
    warn: Warn<'_>,
    literal: fn(&[u8]) -> Option<Vec<u8>>,
    f: impl Fn(&[u8]) -> Result<Vec<u8>, E>,
) {
    if let Cell::Val(crate::dump::Value::Str {
        body, quote: b'\'', ..
    }) = cell
        && !body.is_empty()
        && let Some(j) = literal(body)
    {
        *cell = Cell::Escaped(j);
        return;
    }
    json_or_null(cell, warn, f, Cell::Escaped);
}

/// Converts a non-empty string cell with `f`, keeping what it gives as
/// `into` makes it a cell ([`Cell::Escaped`] for a conversion that writes
/// the body of an SQL literal); a value `f` refuses becomes NULL, with a
/// warning.
fn json_or_null<'a, E>(
    cell: &mut Cell<'a>,
    warn: Warn<'_>,
    f: impl Fn(&[u8]) -> Result<Vec<u8>, E>,
    into: fn(Vec<u8>) -> Cell<'a>,
) {
    let Some(v) = cell.bytes() else { return };
    if v.is_empty() {
        return;
    }
    match f(&v) {
        Ok(j) => *cell = into(j),
        Err(_) => {
            warn("broken serialized data set to NULL");
            *cell = Cell::Null;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::Value;

    fn t(handler: &str, params: &[(&str, &str)]) -> Transform {
        Transform {
            field: "doc.field".into(),
            handler: handler.into(),
            params: params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    const COLS: &[&str] = &[
        "value",
        "attribute_id",
        "code",
        "status",
        "state",
        "option_id",
    ];

    fn compile(tr: &Transform, needs: &mut LookupNeeds) -> Result<Handler, String> {
        Handler::compile(tr, &|f: &str| COLS.iter().position(|c| *c == f), needs)
    }

    /// Applies `h` to a row whose columns are COLS, the cell starting as column 0.
    fn apply(
        h: &Handler,
        values: &[Value<'_>],
        ctx: &Context,
    ) -> (Option<Vec<u8>>, Vec<&'static str>) {
        let positions: Vec<Option<usize>> = (0..values.len()).map(Some).collect();
        let row = SrcRow {
            values,
            positions: &positions,
            spans: None,
        };
        let mut cell = Cell::Val(values[0]);
        let mut warned = Vec::new();
        h.apply(&mut cell, &row, ctx, &mut |m| warned.push(m));
        (cell.bytes().map(|b| b.into_owned()), warned)
    }

    fn s(b: &str) -> Value<'_> {
        Value::Str {
            body: b.as_bytes(),
            quote: b'\'',
            charset: None,
        }
    }

    #[test]
    fn set_value_forms() {
        let mut n = LookupNeeds::default();
        let ctx = Context::default();
        let h = compile(&t("set_value", &[("value", "en_US")]), &mut n).unwrap();
        assert_eq!(apply(&h, &[s("x")], &ctx).0.as_deref(), Some(&b"en_US"[..]));
        let h = compile(&t("set_value", &[("value", "NULL")]), &mut n).unwrap();
        assert_eq!(apply(&h, &[s("x")], &ctx).0, None);
        let h = compile(&t("set_value", &[("value", "+100")]), &mut n).unwrap();
        assert_eq!(
            apply(&h, &[Value::Number(b"5")], &ctx).0.as_deref(),
            Some(&b"105"[..])
        );
        let h = compile(&t("set_value", &[("value", "-1")]), &mut n).unwrap();
        assert_eq!(
            apply(&h, &[Value::Number(b"5")], &ctx).0.as_deref(),
            Some(&b"4"[..])
        );
    }

    #[test]
    fn serialize_to_json_if_matches_the_pattern_on_every_thread() {
        let mut n = LookupNeeds::default();
        let ctx = Context::default();
        let tr = t(
            "serialize_to_json_if",
            &[
                ("field", "code"),
                ("pattern", "/(info_buyRequest)|(attributes)/"),
            ],
        );
        let h = compile(&tr, &mut n).unwrap();
        let php = "a:1:{s:3:\"qty\";i:2;}";
        let check = |h: &Handler| {
            for _ in 0..3 {
                let row = [s(php), Value::Null, s("info_buyRequest")];
                assert_eq!(
                    apply(h, &row, &ctx).0.as_deref(),
                    Some(&br#"{"qty":2}"#[..])
                );
                let row = [s(php), Value::Null, s("option_12")];
                assert_eq!(apply(h, &row, &ctx).0.as_deref(), Some(php.as_bytes()));
                // The pattern is searched for, not matched whole.
                let row = [s(php), Value::Null, s("super_attributes")];
                assert_eq!(
                    apply(h, &row, &ctx).0.as_deref(),
                    Some(&br#"{"qty":2}"#[..])
                );
            }
        };
        let copy = h.clone();
        std::thread::scope(|scope| {
            scope.spawn(|| check(&h));
            scope.spawn(|| check(&h));
            scope.spawn(|| check(&copy));
        });
        check(&h);
        check(&copy);
    }

    #[test]
    fn serialized_literals_convert_alike_however_they_are_escaped() {
        let mut n = LookupNeeds::default();
        let ctx = Context::default();
        let h = compile(&t("serialize_to_json", &[]), &mut n).unwrap();
        let lit = |body: &'static str| Value::Str {
            body: body.as_bytes(),
            quote: b'\'',
            charset: None,
        };
        // mysqldump's escaping (read as it stands), a doubled quote and a
        // tab escape (unescaped first).
        for (body, json) in [
            (r#"a:1:{i:0;s:3:\"a\'b\";}"#, r#"["a'b"]"#),
            (r#"a:1:{i:0;s:3:\"a''b\";}"#, r#"["a'b"]"#),
            (r#"a:1:{i:0;s:5:\"a\'b\tc\";}"#, r#"["a'b\tc"]"#),
        ] {
            let (out, warned) = apply(&h, &[lit(body)], &ctx);
            assert_eq!(out.as_deref(), Some(json.as_bytes()), "{body}");
            assert!(warned.is_empty());
        }
        // Order items' product options the same way.
        let h2 = compile(&t("serialize_sales_order_item", &[]), &mut n).unwrap();
        for body in [
            r#"a:1:{s:3:\"k\'s\";s:1:\"v\";}"#,
            r#"a:1:{s:3:\"k''s\";s:1:\"v\";}"#,
        ] {
            let (out, warned) = apply(&h2, &[lit(body)], &ctx);
            assert_eq!(out.as_deref(), Some(&br#"{"k's":"v"}"#[..]), "{body}");
            assert!(warned.is_empty());
        }
        // Broken: NULL with a warning, either way.
        let (out, warned) = apply(&h, &[lit(r#"a:1:{i:0;s:9:\"x\";}"#)], &ctx);
        assert_eq!((out, warned.len()), (None, 1));
    }

    #[test]
    fn convert_with_and_without_default() {
        let mut n = LookupNeeds::default();
        let ctx = Context::default();
        let map = "[one_column:1column;two_columns_left:2columns-left]";
        let h = compile(
            &t("convert", &[("map", map), ("default", "1column")]),
            &mut n,
        )
        .unwrap();
        assert_eq!(
            apply(&h, &[s("two_columns_left")], &ctx).0.as_deref(),
            Some(&b"2columns-left"[..])
        );
        assert_eq!(
            apply(&h, &[s("empty")], &ctx).0.as_deref(),
            Some(&b"1column"[..])
        );
        assert_eq!(apply(&h, &[Value::Null], &ctx).0, None);
        let h = compile(
            &t("convert", &[("map", "paypal_direct:payflowpro")]),
            &mut n,
        )
        .unwrap();
        assert_eq!(
            apply(&h, &[s("checkmo")], &ctx).0.as_deref(),
            Some(&b"checkmo"[..])
        );
    }

    #[test]
    fn compile_errors_name_the_problem() {
        let mut n = LookupNeeds::default();
        let e = compile(&t("shout", &[]), &mut n).unwrap_err();
        assert!(e.contains("unknown handler `shout`"), "{e}");
        let e = compile(&t("set_value", &[("valeu", "1")]), &mut n).unwrap_err();
        assert!(e.contains("no parameter `valeu`"), "{e}");
        let e = compile(&t("set_value", &[]), &mut n).unwrap_err();
        assert!(e.contains("needs the parameter `value`"), "{e}");
        let e = compile(
            &t(
                "serialize_to_json_if",
                &[("field", "nope"), ("pattern", "/x/")],
            ),
            &mut n,
        )
        .unwrap_err();
        assert!(e.contains("reads field `nope`"), "{e}");
    }

    #[test]
    fn attributes_are_found_by_index_and_by_bytes() {
        let a = |code: &str| Attribute {
            code: code.into(),
            ..Attribute::default()
        };
        let code = |at: &Attributes, id: &[u8]| at.get(id).map(|a| a.code.clone());
        let mut at = Attributes::default();
        at.insert(b"85".to_vec(), a("x"));
        at.insert(b"085".to_vec(), a("y"));
        at.insert(b"70000".to_vec(), a("z"));
        at.insert(b"85".to_vec(), a("w"));
        assert_eq!(code(&at, b"85").as_deref(), Some("w"));
        assert_eq!(code(&at, b"085").as_deref(), Some("y"));
        assert_eq!(code(&at, b"70000").as_deref(), Some("z"));
        assert_eq!(code(&at, b"86"), None);
        assert_eq!(code(&at, b"1"), None);
        assert_eq!(at.iter().count(), 3);
    }

    #[test]
    fn attribute_conditions_and_lookups() {
        let mut n = LookupNeeds::default();
        let mut ctx = Context::default();
        ctx.attributes.insert(
            b"85".to_vec(),
            Attribute {
                code: "custom_design".into(),
                entity_type: "catalog_product".into(),
                frontend_input: "select".into(),
            },
        );
        ctx.attributes.insert(
            b"97".to_vec(),
            Attribute {
                code: "url_key".into(),
                entity_type: "catalog_product".into(),
                frontend_input: "text".into(),
            },
        );
        ctx.config
            .insert("catalog/seo/product_url_suffix".into(), b".html".to_vec());
        let h = compile(
            &t(
                "set_value_attribute_condition",
                &[("attribute_code", "custom_design"), ("value", "NULL")],
            ),
            &mut n,
        )
        .unwrap();
        assert_eq!(
            apply(&h, &[s("default/modern"), Value::Number(b"85")], &ctx).0,
            None
        );
        assert_eq!(
            apply(&h, &[s("keep"), Value::Number(b"97")], &ctx)
                .0
                .as_deref(),
            Some(&b"keep"[..])
        );
        let h = compile(
            &t(
                "truncate_suffix",
                &[
                    ("suffix_path", "catalog/seo/product_url_suffix"),
                    ("attribute_codes", "[url_key,url_path]"),
                    ("entity_type_code", "catalog_product"),
                ],
            ),
            &mut n,
        )
        .unwrap();
        let Handler::TruncateSuffix { codes, .. } = &h else {
            panic!("{h:?}")
        };
        assert_eq!(codes, &vec!["url_key".to_string(), "url_path".to_string()]);
        let lk = compile(
            &t(
                "bundle_parent_product",
                &[
                    ("parent_field", "option_id"),
                    ("document", "catalog_product_bundle_option"),
                    ("field", "parent_id"),
                ],
            ),
            &mut n,
        )
        .unwrap();
        let Handler::BundleParentProduct { lookup, .. } = lk else {
            panic!()
        };
        assert_eq!(
            n.specs()[lookup],
            LookupSpec {
                table: "catalog_product_bundle_option".into(),
                key: "option_id".into(),
                value: "parent_id".into()
            }
        );
        ctx.lookups = vec![IdMap::default(); n.specs().len()];
        ctx.lookups[lookup].insert(b"7", Some(b"42"));
        let vals = [
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Number(b"7"),
        ];
        assert_eq!(apply(&lk, &vals, &ctx).0.as_deref(), Some(&b"42"[..]));
        let missing = [
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Number(b"8"),
        ];
        let (v, w) = apply(&lk, &missing, &ctx);
        assert_eq!((v, w), (None, vec!["parent row not found in the source"]));
    }

    #[test]
    fn encrypt_without_keys_drops_and_warns() {
        let mut n = LookupNeeds::default();
        let h = compile(&t("encrypt", &[]), &mut n).unwrap();
        let (v, w) = apply(&h, &[s("0:2:abcdef")], &Context::default());
        assert_eq!(v, None);
        assert_eq!(w.len(), 1);
        assert_eq!(apply(&h, &[s("")], &Context::default()).1.len(), 0);
    }

    #[test]
    fn encrypt_with_keys_reencrypts_for_magento_2() {
        let mut n = LookupNeeds::default();
        let h = compile(&t("encrypt", &[]), &mut n).unwrap();
        let m1 = M1Key::new(b"6b0f6ca8e1bd57a5c0b9de61a1b1f7b2").unwrap();
        let m2 = M2Key::new(b"0123456789abcdef0123456789abcdef", 0).unwrap();
        let stored = crypt::encrypt_m1_blowfish(b"4111111111111111", &m1);
        let ctx = Context {
            crypt: Some((m1, m2.clone())),
            ..Context::default()
        };
        let text = String::from_utf8(stored).unwrap();
        let (v, w) = apply(&h, &[s(&text)], &ctx);
        let v = v.expect("a value");
        assert!(v.starts_with(b"0:3:"), "{}", String::from_utf8_lossy(&v));
        assert_eq!(crypt::decrypt_m2(&v, &m2).unwrap(), b"4111111111111111");
        assert!(w.is_empty());
        // Same value, same output; a value the key does not open is dropped.
        assert_eq!(apply(&h, &[s(&text)], &ctx).0.as_deref(), Some(&v[..]));
        let (v, w) = apply(&h, &[s("bm90IGEgYmxvd2Zpc2ggdmFsdWU=")], &ctx);
        assert_eq!((v, w.len()), (None, 1));
    }
}
