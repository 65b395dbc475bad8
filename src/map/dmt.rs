//! Reading the XML configuration of Magento's Data Migration Tool (the "DMT").
//!
//! Users who already tuned a DMT setup can bring it along:
//!
//! - [`from_dmt_map_xml`] reads a `map.xml` (the format of the DMT's `map.xsd`) into a
//!   [`MapFile`]: document ignores and renames, field ignores, moves and transforms.
//!   `<ignore><datatype>` rules only silence the DMT's data-type warnings; they are
//!   accepted and dropped. Each handler class is translated to an m1tom2 handler and
//!   its parameters renamed (see the table in this module's source); a handler class
//!   or parameter without an m1tom2 counterpart is an error naming it
//!   ([`DmtError::UnsupportedHandler`], [`DmtError::UnsupportedParam`]), never a
//!   silent skip.
//! - [`groups_to_deferred`] reads a `*-document-groups.xml` (`groups.xsd`) into
//!   [`Deferred`] entries.
//! - [`class_map_from_xml`] reads a `class-map.xml` (`class-map.xsd`).
//!
//! The output is canonical, so converting the same XML always gives the same map:
//! ignore lists are sorted and deduplicated, renames and moves are sorted maps, and
//! transforms keep the order they are written in (the order they apply).
//!
//! The maps shipped in `maps/` were generated from the DMT's CE 1.9 → 2.4
//! configuration by this module's tests (`write_shipped_maps`), and a test keeps them
//! equal to what the XML gives.

use std::collections::BTreeMap;

use roxmltree::{Document, Node};

use crate::map::file::{Deferred, MapFile, Side, Transform};

/// Why a DMT XML file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DmtError {
    /// The text is not well-formed XML.
    #[error("not well-formed XML: {0}")]
    Xml(#[from] roxmltree::Error),
    /// The XML does not have the shape its DMT schema describes.
    #[error("line {line}: {message}")]
    Invalid {
        /// 1-based line of the offending element.
        line: u32,
        /// What is wrong.
        message: String,
    },
    /// A transform uses a handler class m1tom2 has no counterpart for.
    #[error(
        "field `{field}`: DMT handler `{class}` is not supported by m1tom2; \
         the transform cannot be honoured (remove it, or ignore the field)"
    )]
    UnsupportedHandler {
        /// The class as written in the XML.
        class: String,
        /// The transformed field, `document.field`.
        field: String,
    },
    /// A handler has a parameter m1tom2's counterpart does not take.
    #[error(
        "field `{field}`: DMT handler `{class}` has parameter `{param}`, which m1tom2 does not \
         support (supported: {supported})"
    )]
    UnsupportedParam {
        /// The class as written in the XML.
        class: String,
        /// The transformed field, `document.field`.
        field: String,
        /// The parameter's name as written.
        param: String,
        /// The parameters m1tom2 supports for this handler, comma separated (or `none`).
        supported: String,
    },
    /// The same key is given twice with different values.
    #[error("line {line}: {what} `{key}` is given twice, as `{first}` and as `{second}`")]
    Conflict {
        /// 1-based line of the second occurrence.
        line: u32,
        /// What kind of rule (`document rename`, `field move`, `class alias`).
        what: &'static str,
        /// The repeated key.
        key: String,
        /// The value given first.
        first: String,
        /// The value given second.
        second: String,
    },
}

/// How a DMT parameter value is carried over.
#[derive(Debug, Clone, Copy)]
enum Value {
    /// Verbatim.
    Plain,
    /// A `[a;b]`-style list: the brackets are stripped, items trimmed, empty items
    /// dropped, and the items joined again with the separator.
    List(char),
}

/// One supported DMT handler class.
struct HandlerSpec {
    /// The class without its leading backslash.
    class: &'static str,
    /// m1tom2's handler name.
    name: &'static str,
    /// (DMT parameter, m1tom2 parameter, conversion).
    params: &'static [(&'static str, &'static str, Value)],
}

const fn h(
    class: &'static str,
    name: &'static str,
    params: &'static [(&'static str, &'static str, Value)],
) -> HandlerSpec {
    HandlerSpec {
        class,
        name,
        params,
    }
}

/// DMT handler classes → m1tom2 handlers. Classes not listed are refused.
const HANDLERS: &[HandlerSpec] = &[
    h(
        "Migration\\Handler\\SetValue",
        "set_value",
        &[("value", "value", Value::Plain)],
    ),
    h(
        "Migration\\Handler\\Convert",
        "convert",
        &[
            ("map", "map", Value::List(';')),
            ("defaultValue", "default", Value::Plain),
        ],
    ),
    h(
        "Migration\\Handler\\ConvertEavValue",
        "convert_eav_value",
        &[
            ("map", "map", Value::List(';')),
            ("attributeCode", "attribute_code", Value::Plain),
        ],
    ),
    h("Migration\\Handler\\ConvertIp", "convert_ip", &[]),
    h("Migration\\Handler\\ClassMap", "class_map", &[]),
    h(
        "Migration\\Handler\\TruncateSuffix",
        "truncate_suffix",
        &[
            ("suffixPath", "suffix_path", Value::Plain),
            ("attributeCodes", "attribute_codes", Value::List(',')),
            ("entityTypeCode", "entity_type_code", Value::Plain),
        ],
    ),
    h(
        "Migration\\Handler\\SetValueAttributeCondition",
        "set_value_attribute_condition",
        &[
            ("attributeCode", "attribute_code", Value::Plain),
            ("value", "value", Value::Plain),
        ],
    ),
    h("Migration\\Handler\\Placeholder", "placeholder", &[]),
    h(
        "Migration\\Handler\\SerializeToJson",
        "serialize_to_json",
        &[],
    ),
    h(
        "Migration\\Handler\\SerializeToJson\\ConvertWithConditions",
        "serialize_to_json_if",
        &[
            ("conditionalField", "field", Value::Plain),
            ("conditionalFieldValuesPattern", "pattern", Value::Plain),
        ],
    ),
    h(
        "Migration\\Handler\\SerializeToJson\\ItemOption",
        "serialize_item_option",
        &[],
    ),
    h(
        "Migration\\Handler\\SerializeToJson\\SalesOrderItem",
        "serialize_sales_order_item",
        &[],
    ),
    h(
        "Migration\\Handler\\Rule\\SerializedData",
        "rule_serialized_data",
        &[],
    ),
    h(
        "Migration\\Handler\\CleanMultiselect",
        "clean_multiselect",
        &[],
    ),
    h("Migration\\Handler\\Encrypt", "encrypt", &[]),
    h(
        "Migration\\Handler\\Gallery\\InsertValueToEntity",
        "gallery_value_to_entity",
        &[],
    ),
    h(
        "Migration\\Handler\\Gallery\\SetEntityId",
        "gallery_set_entity_id",
        &[],
    ),
    h(
        "Migration\\Handler\\BundleParentProduct",
        "bundle_parent_product",
        &[
            ("parentField", "parent_field", Value::Plain),
            ("documentWithProductId", "document", Value::Plain),
            ("fieldWithProductId", "field", Value::Plain),
        ],
    ),
    h(
        "Migration\\Handler\\ProductAlertStoreId",
        "product_alert_store_id",
        &[],
    ),
    h(
        "Migration\\Handler\\QuoteMultiAddressStoreId",
        "quote_multi_address_store_id",
        &[],
    ),
    h(
        "Migration\\Handler\\SalesOrderStatusState\\SetVisibleOnFront",
        "visible_on_front",
        &[],
    ),
    h("Migration\\Handler\\Synonym", "synonym", &[]),
    h(
        "Migration\\Handler\\AddPrefix",
        "add_prefix",
        &[("prefix", "prefix", Value::Plain)],
    ),
];

/// The m1tom2 handler a DMT handler class translates to (leading backslash
/// optional), or `None` when m1tom2 has no counterpart.
pub fn handler_for_class(class: &str) -> Option<&'static str> {
    spec_for(class).map(|s| s.name)
}

fn spec_for(class: &str) -> Option<&'static HandlerSpec> {
    let bare = class.trim().trim_start_matches('\\');
    HANDLERS.iter().find(|s| s.class == bare)
}

/// Reads a DMT `map.xml` into a map file.
///
/// Errors name what cannot be honoured: a handler class or parameter m1tom2 does
/// not support, an element the DMT schema does not allow, a field not written as
/// `document.field`, or a rename or move given twice with different targets.
pub fn from_dmt_map_xml(xml: &str) -> Result<MapFile, DmtError> {
    let doc = Document::parse(xml)?;
    let root = doc.root_element();
    expect_root(root, "map")?;
    let mut map = MapFile::default();
    let (mut source_seen, mut destination_seen) = (false, false);
    for child in elements(root) {
        match child.tag_name().name() {
            "source" => {
                once(child, &mut source_seen)?;
                read_side(child, true, &mut map.source)?;
            }
            "destination" => {
                once(child, &mut destination_seen)?;
                read_side(child, false, &mut map.destination)?;
            }
            _ => return Err(unexpected(child, "<source> or <destination>")),
        }
    }
    for side in [&mut map.source, &mut map.destination] {
        side.ignore.sort();
        side.ignore.dedup();
        side.ignore_fields.sort();
        side.ignore_fields.dedup();
    }
    Ok(map)
}

/// Reads a DMT `*-document-groups.xml` into deferred entries: every document of every
/// group, sorted and deduplicated, under the one step name. `<attribute>` entries
/// (the attribute-groups files share the schema) are accepted and skipped. The
/// result is empty when the file lists no documents.
pub fn groups_to_deferred(xml: &str, step: &str) -> Result<Vec<Deferred>, DmtError> {
    let doc = Document::parse(xml)?;
    let root = doc.root_element();
    expect_root(root, "groups")?;
    let mut documents = Vec::new();
    for group in elements(root) {
        if group.tag_name().name() != "group" {
            return Err(unexpected(group, "<group>"));
        }
        for item in elements(group) {
            match item.tag_name().name() {
                "document" => documents.push(text(item)?),
                "attribute" => {}
                _ => return Err(unexpected(item, "<document> or <attribute>")),
            }
        }
    }
    documents.sort();
    documents.dedup();
    if documents.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![Deferred {
        step: step.to_string(),
        documents,
    }])
}

/// Reads a DMT `class-map.xml` into alias → Magento 2 class. An empty `<to/>`
/// becomes an empty string: the alias has no Magento 2 class and is nulled. An
/// alias given twice with the same class is accepted; with different classes it is
/// a [`DmtError::Conflict`].
pub fn class_map_from_xml(xml: &str) -> Result<BTreeMap<String, String>, DmtError> {
    let doc = Document::parse(xml)?;
    let root = doc.root_element();
    expect_root(root, "classmap")?;
    let mut out = BTreeMap::new();
    for rename in elements(root) {
        if rename.tag_name().name() != "rename" {
            return Err(unexpected(rename, "<rename>"));
        }
        let (mut from, mut to) = (None, None);
        for part in elements(rename) {
            match part.tag_name().name() {
                "from" => set_once(part, &mut from, text(part)?)?,
                "to" => set_once(part, &mut to, text_or_empty(part)?)?,
                _ => return Err(unexpected(part, "<from> or <to>")),
            }
        }
        let from = from.ok_or_else(|| missing(rename, "from"))?;
        let to = to.ok_or_else(|| missing(rename, "to"))?;
        insert_once(&mut out, from, to, "class alias", rename)?;
    }
    Ok(out)
}

fn read_side(node: Node<'_, '_>, source: bool, side: &mut Side) -> Result<(), DmtError> {
    for rules in elements(node) {
        match rules.tag_name().name() {
            "document_rules" => read_document_rules(rules, source, side)?,
            "field_rules" => read_field_rules(rules, source, side)?,
            _ => return Err(unexpected(rules, "<document_rules> or <field_rules>")),
        }
    }
    Ok(())
}

fn read_document_rules(node: Node<'_, '_>, source: bool, side: &mut Side) -> Result<(), DmtError> {
    for rule in elements(node) {
        match rule.tag_name().name() {
            "ignore" => {
                let [document] = parts(rule, ["document"])?;
                side.ignore.push(text(document)?);
            }
            "rename" if source => {
                let [document, to] = parts(rule, ["document", "to"])?;
                insert_once(
                    &mut side.rename,
                    text(document)?,
                    text(to)?,
                    "document rename",
                    rule,
                )?;
            }
            "rename" => {
                return Err(invalid(
                    rule,
                    "<rename> is only allowed under <source>".into(),
                ));
            }
            _ => {
                return Err(unexpected(
                    rule,
                    if source {
                        "<ignore> or <rename>"
                    } else {
                        "<ignore>"
                    },
                ));
            }
        }
    }
    Ok(())
}

fn read_field_rules(node: Node<'_, '_>, source: bool, side: &mut Side) -> Result<(), DmtError> {
    for rule in elements(node) {
        match rule.tag_name().name() {
            "ignore" => {
                let target = single_child(rule)?;
                match target.tag_name().name() {
                    "field" => side.ignore_fields.push(field(target)?),
                    // Only silences the DMT's data-type warnings: nothing to carry over.
                    "datatype" => {
                        field(target)?;
                    }
                    _ => return Err(unexpected(target, "<field> or <datatype>")),
                }
            }
            "move" if source => {
                let [from, to] = parts(rule, ["field", "to"])?;
                insert_once(
                    &mut side.moves,
                    field(from)?,
                    field(to)?,
                    "field move",
                    rule,
                )?;
            }
            "move" => {
                return Err(invalid(
                    rule,
                    "<move> is only allowed under <source>".into(),
                ));
            }
            "transform" => {
                let [target, handler] = parts(rule, ["field", "handler"])?;
                let target = field(target)?;
                side.transform.push(read_handler(handler, target)?);
            }
            _ => {
                return Err(unexpected(
                    rule,
                    if source {
                        "<ignore>, <move> or <transform>"
                    } else {
                        "<ignore> or <transform>"
                    },
                ));
            }
        }
    }
    Ok(())
}

fn read_handler(node: Node<'_, '_>, field: String) -> Result<Transform, DmtError> {
    let class = node
        .attribute("class")
        .ok_or_else(|| invalid(node, "<handler> has no class attribute".into()))?
        .trim();
    let Some(spec) = spec_for(class) else {
        return Err(DmtError::UnsupportedHandler {
            class: class.to_string(),
            field,
        });
    };
    let mut params = BTreeMap::new();
    let mut seen: Vec<&str> = Vec::new();
    for param in elements(node) {
        if param.tag_name().name() != "param" {
            return Err(unexpected(param, "<param>"));
        }
        let name = param
            .attribute("name")
            .ok_or_else(|| invalid(param, "<param> has no name attribute".into()))?;
        let value = param.attribute("value").ok_or_else(|| {
            invalid(
                param,
                format!("<param name=\"{name}\"> has no value attribute"),
            )
        })?;
        if seen.contains(&name) {
            return Err(invalid(
                param,
                format!("parameter `{name}` of `{class}` is given twice"),
            ));
        }
        seen.push(name);
        let Some(&(_, ours, conv)) = spec.params.iter().find(|(dmt, _, _)| *dmt == name) else {
            let supported: Vec<&str> = spec.params.iter().map(|(dmt, _, _)| *dmt).collect();
            return Err(DmtError::UnsupportedParam {
                class: class.to_string(),
                field,
                param: name.to_string(),
                supported: if supported.is_empty() {
                    "none".into()
                } else {
                    supported.join(", ")
                },
            });
        };
        let value = match conv {
            Value::Plain => value.to_string(),
            Value::List(sep) => list(value, sep),
        };
        params.insert(ours.to_string(), value);
    }
    Ok(Transform {
        field,
        handler: spec.name.to_string(),
        params,
    })
}

/// `[a; b;]` → `a;b`.
fn list(value: &str, sep: char) -> String {
    let v = value.trim();
    let v = v.strip_prefix('[').unwrap_or(v);
    let v = v.strip_suffix(']').unwrap_or(v);
    let items: Vec<&str> = v
        .split(sep)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    items.join(sep.encode_utf8(&mut [0; 4]))
}

fn elements<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(Node::is_element)
}

fn line(node: Node<'_, '_>) -> u32 {
    node.document().text_pos_at(node.range().start).row
}

fn invalid(node: Node<'_, '_>, message: String) -> DmtError {
    DmtError::Invalid {
        line: line(node),
        message,
    }
}

fn unexpected(node: Node<'_, '_>, wanted: &str) -> DmtError {
    let parent = node.parent_element().map_or("", |p| p.tag_name().name());
    invalid(
        node,
        format!(
            "unexpected <{}> in <{parent}>; expected {wanted}",
            node.tag_name().name()
        ),
    )
}

fn missing(node: Node<'_, '_>, child: &str) -> DmtError {
    invalid(
        node,
        format!("<{}> has no <{child}>", node.tag_name().name()),
    )
}

fn expect_root(root: Node<'_, '_>, name: &str) -> Result<(), DmtError> {
    if root.tag_name().name() == name {
        Ok(())
    } else {
        Err(invalid(
            root,
            format!(
                "the root element is <{}>, expected <{name}>",
                root.tag_name().name()
            ),
        ))
    }
}

fn once(node: Node<'_, '_>, seen: &mut bool) -> Result<(), DmtError> {
    if std::mem::replace(seen, true) {
        return Err(invalid(
            node,
            format!("<{}> is given twice", node.tag_name().name()),
        ));
    }
    Ok(())
}

fn set_once(node: Node<'_, '_>, slot: &mut Option<String>, value: String) -> Result<(), DmtError> {
    if slot.replace(value).is_some() {
        return Err(invalid(
            node,
            format!("<{}> is given twice", node.tag_name().name()),
        ));
    }
    Ok(())
}

fn insert_once(
    map: &mut BTreeMap<String, String>,
    key: String,
    value: String,
    what: &'static str,
    node: Node<'_, '_>,
) -> Result<(), DmtError> {
    match map.get(&key) {
        Some(first) if *first != value => Err(DmtError::Conflict {
            line: line(node),
            what,
            key,
            first: first.clone(),
            second: value,
        }),
        Some(_) => Ok(()),
        None => {
            map.insert(key, value);
            Ok(())
        }
    }
}

/// The one element child of `node`.
fn single_child<'a, 'i>(node: Node<'a, 'i>) -> Result<Node<'a, 'i>, DmtError> {
    let mut it = elements(node);
    match (it.next(), it.next()) {
        (Some(child), None) => Ok(child),
        (None, _) => Err(invalid(
            node,
            format!("<{}> is empty", node.tag_name().name()),
        )),
        (Some(_), Some(extra)) => Err(unexpected(extra, "a single child")),
    }
}

/// The element children of `node`, exactly the names given, in that order.
fn parts<'a, 'i, const N: usize>(
    node: Node<'a, 'i>,
    names: [&str; N],
) -> Result<[Node<'a, 'i>; N], DmtError> {
    let children: Vec<Node<'a, 'i>> = elements(node).collect();
    for (i, name) in names.iter().enumerate() {
        match children.get(i) {
            Some(c) if c.tag_name().name() == *name => {}
            Some(c) => return Err(unexpected(*c, &format!("<{name}>"))),
            None => return Err(missing(node, name)),
        }
    }
    if let Some(extra) = children.get(N) {
        return Err(unexpected(
            *extra,
            &format!("only {}", names.map(|n| format!("<{n}>")).join(", ")),
        ));
    }
    children
        .try_into()
        .map_err(|_| invalid(node, "internal: child count".into()))
}

/// The trimmed text of a leaf element, which must not be empty.
fn text(node: Node<'_, '_>) -> Result<String, DmtError> {
    let t = text_or_empty(node)?;
    if t.is_empty() {
        return Err(invalid(
            node,
            format!("<{}> is empty", node.tag_name().name()),
        ));
    }
    Ok(t)
}

/// The trimmed text of a leaf element, possibly empty.
fn text_or_empty(node: Node<'_, '_>) -> Result<String, DmtError> {
    let mut out = String::new();
    for child in node.children() {
        if child.is_element() {
            return Err(unexpected(child, "text"));
        }
        if let Some(t) = child.text().filter(|_| child.is_text()) {
            out.push_str(t);
        }
    }
    Ok(out.trim().to_string())
}

/// A `document.field` value.
fn field(node: Node<'_, '_>) -> Result<String, DmtError> {
    let t = text(node)?;
    match t.split_once('.') {
        Some((d, f)) if !d.is_empty() && !f.is_empty() && !f.contains('.') => Ok(t),
        _ => Err(invalid(node, format!("`{t}`: expected document.field"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INLINE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- every rule kind -->
<map xmlns:xs="http://www.w3.org/2001/XMLSchema-instance"
     xs:noNamespaceSchemaLocation="urn:magento:module:Magento_DataMigrationTool:etc/map.xsd">
    <source>
        <document_rules>
            <ignore><document>log_*</document></ignore>
            <ignore><document>admin_assert</document></ignore>
            <rename>
                <document>sales_flat_order</document>
                <to>sales_order</to>
            </rename>
        </document_rules>
        <field_rules>
            <ignore><field>sales_flat_order.hidden_tax_*</field></ignore>
            <ignore><datatype>weee_tax.state</datatype></ignore>
            <move>
                <field>sales_flat_order.hidden_tax_amount</field>
                <to>sales_order.discount_tax_compensation_amount</to>
            </move>
            <transform>
                <field>cms_page.root_template</field>
                <handler class="\Migration\Handler\Convert">
                    <param name="map" value="[
                        one_column:1column;
                        two_columns_left:2columns-left;
                    ]" />
                    <param name="defaultValue" value="1column" />
                </handler>
            </transform>
            <transform>
                <field>catalog_product_entity_varchar.value</field>
                <handler class="Migration\Handler\TruncateSuffix">
                    <param name="suffixPath" value="catalog/seo/product_url_suffix" />
                    <param name="attributeCodes" value="[url_key, url_path]" />
                    <param name="entityTypeCode" value="catalog_product" />
                </handler>
            </transform>
            <transform>
                <field>cms_page.root_template</field>
                <handler class="\Migration\Handler\Placeholder" />
            </transform>
        </field_rules>
        <field_rules>
            <transform>
                <field>wishlist_item_option.value</field>
                <handler class="\Migration\Handler\SerializeToJson\ConvertWithConditions">
                    <param name="conditionalField" value="code" />
                    <param name="conditionalFieldValuesPattern" value="/(info_buyRequest)|(attributes)/" />
                </handler>
            </transform>
        </field_rules>
    </source>
    <destination>
        <document_rules>
            <ignore><document>url_rewrite</document></ignore>
        </document_rules>
        <field_rules>
            <ignore><field>sales_order.send_email</field></ignore>
            <ignore><datatype>quote.customer_note</datatype></ignore>
            <transform>
                <field>rating.is_active</field>
                <handler class="\Migration\Handler\SetValue">
                    <param name="value" value="0" />
                </handler>
            </transform>
            <transform>
                <field>catalog_product_bundle_option_value.parent_product_id</field>
                <handler class="\Migration\Handler\BundleParentProduct">
                    <param name="parentField" value="option_id" />
                    <param name="documentWithProductId" value="catalog_product_bundle_option" />
                    <param name="fieldWithProductId" value="parent_id" />
                </handler>
            </transform>
        </field_rules>
    </destination>
</map>
"#;

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn reads_every_rule_kind() {
        let m = from_dmt_map_xml(INLINE).unwrap();
        assert_eq!(m.source.ignore, ["admin_assert", "log_*"]);
        assert_eq!(m.source.ignore_fields, ["sales_flat_order.hidden_tax_*"]);
        assert_eq!(m.source.rename["sales_flat_order"], "sales_order");
        assert_eq!(
            m.source.moves["sales_flat_order.hidden_tax_amount"],
            "sales_order.discount_tax_compensation_amount"
        );
        let t = &m.source.transform;
        assert_eq!(t.len(), 4);
        assert_eq!(t[0].field, "cms_page.root_template");
        assert_eq!(t[0].handler, "convert");
        assert_eq!(
            t[0].params,
            params(&[
                ("map", "one_column:1column;two_columns_left:2columns-left"),
                ("default", "1column")
            ])
        );
        assert_eq!(t[1].handler, "truncate_suffix");
        assert_eq!(
            t[1].params,
            params(&[
                ("suffix_path", "catalog/seo/product_url_suffix"),
                ("attribute_codes", "url_key,url_path"),
                ("entity_type_code", "catalog_product"),
            ])
        );
        // Written order is kept: it is the order handlers apply in.
        assert_eq!(
            (t[2].field.as_str(), t[2].handler.as_str()),
            ("cms_page.root_template", "placeholder")
        );
        assert!(t[2].params.is_empty());
        assert_eq!(t[3].handler, "serialize_to_json_if");
        assert_eq!(
            t[3].params,
            params(&[
                ("field", "code"),
                ("pattern", "/(info_buyRequest)|(attributes)/")
            ])
        );

        assert_eq!(m.destination.ignore, ["url_rewrite"]);
        assert_eq!(m.destination.ignore_fields, ["sales_order.send_email"]);
        let d = &m.destination.transform;
        assert_eq!(d[0].handler, "set_value");
        assert_eq!(d[0].params, params(&[("value", "0")]));
        assert_eq!(d[1].handler, "bundle_parent_product");
        assert_eq!(
            d[1].params,
            params(&[
                ("parent_field", "option_id"),
                ("document", "catalog_product_bundle_option"),
                ("field", "parent_id"),
            ])
        );
        assert!(m.deferred.is_empty());
        assert_eq!(MapFile::from_toml(&m.to_toml()).unwrap(), m);
    }

    fn wrap(side: &str, body: &str) -> String {
        format!("<map><{side}>{body}</{side}></map>")
    }

    fn transform(class: &str, params: &str) -> String {
        wrap(
            "source",
            &format!(
                "<field_rules><transform><field>store_group.code</field>\
                 <handler class=\"{class}\">{params}</handler></transform></field_rules>"
            ),
        )
    }

    #[test]
    fn an_unsupported_handler_is_an_error_naming_it() {
        let err =
            from_dmt_map_xml(&transform("\\Migration\\Handler\\StoreGroupCode", "")).unwrap_err();
        match &err {
            DmtError::UnsupportedHandler { class, field } => {
                assert_eq!(class, "\\Migration\\Handler\\StoreGroupCode");
                assert_eq!(field, "store_group.code");
            }
            other => panic!("{other:?}"),
        }
        let msg = err.to_string();
        assert!(
            msg.contains("\\Migration\\Handler\\StoreGroupCode")
                && msg.contains("store_group.code"),
            "{msg}"
        );
    }

    #[test]
    fn an_unsupported_param_is_an_error_naming_it() {
        let xml = transform(
            "\\Migration\\Handler\\SetValue",
            r#"<param name="value" value="1"/><param name="ignoreBrokenData" value="1"/>"#,
        );
        let err = from_dmt_map_xml(&xml).unwrap_err();
        assert!(
            matches!(&err, DmtError::UnsupportedParam { param, supported, .. } if param == "ignoreBrokenData" && supported == "value"),
            "{err:?}"
        );
        let err = from_dmt_map_xml(&transform(
            "\\Migration\\Handler\\Encrypt",
            r#"<param name="x" value="1"/>"#,
        ))
        .unwrap_err();
        assert!(
            err.to_string().contains("`x`") && err.to_string().contains("none"),
            "{err}"
        );
    }

    #[test]
    fn the_leading_backslash_is_optional() {
        for class in [
            "\\Migration\\Handler\\Synonym",
            "Migration\\Handler\\Synonym",
            " \\Migration\\Handler\\Synonym ",
        ] {
            let m = from_dmt_map_xml(&transform(class, "")).unwrap();
            assert_eq!(m.source.transform[0].handler, "synonym");
        }
        assert_eq!(
            handler_for_class("\\Migration\\Handler\\AddPrefix"),
            Some("add_prefix")
        );
        assert_eq!(handler_for_class("\\Migration\\Handler\\Timezone"), None);
    }

    #[test]
    fn every_table_entry_is_a_distinct_class_and_name() {
        let mut classes: Vec<&str> = HANDLERS.iter().map(|s| s.class).collect();
        let mut names: Vec<&str> = HANDLERS.iter().map(|s| s.name).collect();
        classes.sort();
        classes.dedup();
        names.sort();
        names.dedup();
        assert_eq!(classes.len(), HANDLERS.len());
        assert_eq!(names.len(), HANDLERS.len());
        assert_eq!(HANDLERS.len(), 23);
    }

    #[test]
    fn malformed_maps_are_errors_with_a_line() {
        let cases = [
            (
                wrap(
                    "destination",
                    "<document_rules><rename><document>a</document><to>b</to></rename></document_rules>",
                ),
                "only allowed under <source>",
            ),
            (
                wrap(
                    "destination",
                    "<field_rules><move><field>a.b</field><to>c.d</to></move></field_rules>",
                ),
                "only allowed under <source>",
            ),
            (
                wrap(
                    "source",
                    "<field_rules><ignore><field>nodot</field></ignore></field_rules>",
                ),
                "expected document.field",
            ),
            (
                wrap(
                    "source",
                    "<field_rules><ignore><field>a.b.c</field></ignore></field_rules>",
                ),
                "expected document.field",
            ),
            (
                wrap(
                    "source",
                    "<document_rules><ignore><document> </document></ignore></document_rules>",
                ),
                "is empty",
            ),
            (
                wrap(
                    "source",
                    "<document_rules><skip><document>a</document></skip></document_rules>",
                ),
                "unexpected <skip>",
            ),
            (
                wrap(
                    "source",
                    "<document_rules><rename><document>a</document></rename></document_rules>",
                ),
                "has no <to>",
            ),
            (
                wrap(
                    "source",
                    "<field_rules><transform><field>a.b</field><handler/></transform></field_rules>",
                ),
                "no class attribute",
            ),
            ("<map><source/><source/></map>".to_string(), "given twice"),
            ("<maps/>".to_string(), "expected <map>"),
            (
                transform(
                    "\\Migration\\Handler\\SetValue",
                    r#"<param name="value" value="1"/><param name="value" value="2"/>"#,
                ),
                "given twice",
            ),
        ];
        for (xml, want) in cases {
            let err = from_dmt_map_xml(&xml).unwrap_err();
            assert!(matches!(err, DmtError::Invalid { .. }), "{xml}: {err:?}");
            assert!(err.to_string().contains(want), "{xml}: {err}");
            assert!(err.to_string().starts_with("line 1:"), "{err}");
        }
        assert!(matches!(
            from_dmt_map_xml("<map><source>"),
            Err(DmtError::Xml(_))
        ));
    }

    #[test]
    fn conflicting_renames_and_moves_are_errors() {
        let xml = wrap(
            "source",
            "<document_rules>\
             <rename><document>a</document><to>b</to></rename>\
             <rename><document>a</document><to>b</to></rename>\
             <rename><document>a</document><to>c</to></rename>\
             </document_rules>",
        );
        let err = from_dmt_map_xml(&xml).unwrap_err();
        assert!(
            matches!(&err, DmtError::Conflict { what: "document rename", key, first, second, .. }
                if key == "a" && first == "b" && second == "c"),
            "{err:?}"
        );
        let xml = wrap(
            "source",
            "<field_rules><move><field>a.x</field><to>b.x</to></move>\
             <move><field>a.x</field><to>b.y</to></move></field_rules>",
        );
        assert!(matches!(
            from_dmt_map_xml(&xml),
            Err(DmtError::Conflict {
                what: "field move",
                ..
            })
        ));
    }

    #[test]
    fn reads_document_groups() {
        let xml = r#"<?xml version="1.0"?>
<groups>
    <group name="documents">
        <document>eav_attribute_set</document>
        <document key="attribute_id">catalog_eav_attribute</document>
    </group>
    <group name="more">
        <document>catalog_eav_attribute</document>
        <!-- <document>commented_out</document> -->
        <attribute type="customer">dob</attribute>
    </group>
    <group name="empty"/>
</groups>"#;
        let d = groups_to_deferred(xml, "eav").unwrap();
        assert_eq!(
            d,
            [Deferred {
                step: "eav".into(),
                documents: vec!["catalog_eav_attribute".into(), "eav_attribute_set".into()]
            }]
        );
        assert!(
            groups_to_deferred("<groups><group name=\"x\"/></groups>", "log")
                .unwrap()
                .is_empty()
        );
        assert!(groups_to_deferred("<groups><doc/></groups>", "log").is_err());
        assert!(groups_to_deferred("<map/>", "log").is_err());
    }

    #[test]
    fn reads_a_class_map() {
        let xml = r#"<classmap>
            <rename><from>catalog/product_widget_new</from><to>Magento\Catalog\Block\Product\Widget\NewWidget</to></rename>
            <rename><to /><from>adminhtml/helper</from></rename>
            <rename><from>sales/order_payment</from><to>Magento\Sales\Model\Order\Payment</to></rename>
            <rename><from>sales/order_payment</from><to>Magento\Sales\Model\Order\Payment</to></rename>
        </classmap>"#;
        let m = class_map_from_xml(xml).unwrap();
        assert_eq!(m.len(), 3);
        assert_eq!(
            m["catalog/product_widget_new"],
            "Magento\\Catalog\\Block\\Product\\Widget\\NewWidget"
        );
        assert_eq!(m["adminhtml/helper"], "");
        let conflict = "<classmap><rename><from>a/b</from><to>X</to></rename><rename><from>a/b</from><to>Y</to></rename></classmap>";
        assert!(matches!(
            class_map_from_xml(conflict),
            Err(DmtError::Conflict {
                what: "class alias",
                ..
            })
        ));
        assert!(
            class_map_from_xml("<classmap><rename><from>a/b</from></rename></classmap>").is_err()
        );
        assert!(
            class_map_from_xml("<classmap><rename><from/><to>X</to></rename></classmap>").is_err()
        );
    }
}

/// The shipped `maps/*.toml`: generated from the DMT's XML, and kept equal to it.
#[cfg(test)]
mod shipped {
    use std::fmt::Write as _;
    use std::path::{Path, PathBuf};

    use wildmatch::WildMatch;

    use super::*;
    use crate::map::class_map::{ClassMap, ClassMapFile};

    /// The DMT reference configuration, or `None` (after saying so) when it is absent.
    /// Under CI its absence is a failure.
    fn reference_dir() -> Option<PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/dmt-maps");
        if dir.join("map.xml").is_file() {
            return Some(dir);
        }
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("CI=true but the DMT reference {} is missing", dir.display());
        }
        eprintln!("SKIPPED: the DMT reference {} is absent", dir.display());
        None
    }

    fn maps_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("maps")
    }

    fn read(dir: &Path, name: &str) -> String {
        std::fs::read_to_string(dir.join(name))
            .unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
    }

    const GENERATED_BY: &str = "\
# Generated by `cargo test --lib map::dmt -- --ignored write_shipped_maps` from the DMT's
# XML; a test checks that this file still equals what the XML gives, byte for byte, so
# change the generator (src/map/dmt.rs) rather than this file.
";

    /// Where a step's source documents come from.
    enum From {
        /// A DMT `*-document-groups.xml`.
        Groups(&'static str),
        /// Listed by hand, with the reason.
        Hand(&'static [&'static str]),
    }

    /// The steps that own source documents, in the DMT's `config.xml` order (settings
    /// mode, then data mode). Each entry: step, sources, what the header says.
    const STEPS: &[(&str, &[From], &str)] = &[
        (
            "settings",
            &[From::Hand(&["core_config_data"])],
            "the Settings step (config.xml; settings.xml)",
        ),
        (
            "stores",
            &[From::Hand(&[
                "core_store",
                "core_store_group",
                "core_website",
            ])],
            "the Stores step (config.xml): the documents map-stores.xml renames",
        ),
        (
            "eav",
            &[From::Groups("eav-document-groups.xml")],
            "eav-document-groups.xml (all groups)",
        ),
        (
            "customer",
            &[From::Groups("customer-document-groups.xml")],
            "customer-document-groups.xml (all groups)",
        ),
        (
            "url_rewrite",
            &[From::Hand(&["core_url_rewrite"])],
            "the Url Rewrite step (config.xml: UrlRewrite\\Version191to2000 reads core_url_rewrite)",
        ),
        (
            "log",
            &[
                From::Groups("log-document-groups.xml"),
                From::Hand(&["log_customer"]),
            ],
            "log-document-groups.xml (log_visitor, which map-log.xml renames), and by hand \
             log_customer, which the Log step joins to log_visitor",
        ),
        (
            "configurable_prices",
            &[From::Hand(&["catalog_product_super_attribute_pricing"])],
            "the ConfigurablePrices step (config.xml): the surcharges it folds into child prices",
        ),
        (
            "order_grids",
            &[
                From::Groups("order-grids-document-groups.xml"),
                From::Hand(&[
                    "sales_flat_creditmemo_grid",
                    "sales_flat_invoice_grid",
                    "sales_flat_order_grid",
                    "sales_flat_shipment_grid",
                ]),
            ],
            "order-grids-document-groups.xml, and by hand the four sales_flat_*_grid tables: the \
             OrderGrids step reads the entity ids of each Magento 2 grid from them",
        ),
        (
            "tier_price",
            &[From::Hand(&[
                "catalog_product_entity_tier_price",
                "catalog_product_entity_group_price",
            ])],
            "the Tier Price step (config.xml): the documents map-tier-price.xml maps",
        ),
        (
            "sales_increment",
            &[From::Hand(&["eav_entity_store"])],
            "the SalesIncrement step (config.xml)",
        ),
    ];

    /// When two steps list one document, the earlier step here gets it.
    const PRIORITY: &[&str] = &[
        "settings",
        "stores",
        "customer",
        "eav",
        "url_rewrite",
        "log",
        "configurable_prices",
        "order_grids",
        "tier_price",
        "sales_increment",
    ];

    /// Why a step's sources name documents the table map migrates (left out of
    /// `deferred.toml`); other steps get a generic reason.
    const LEFT_OUT_NOTES: &[(&str, &str)] = &[
        (
            "eav",
            "its documents_leftover_values group names value tables the table map migrates and \
             the EAV step only cleans up",
        ),
        (
            "customer",
            "its eav_entities group names entity types, not tables",
        ),
        (
            "order_grids",
            "the groups file names the sales tables the table map migrates, whose changes the \
             OrderGrids step follows in delta mode",
        ),
        (
            "sales_increment",
            "the SalesIncrement step reads it, but the table map also copies it to Magento 2's \
             eav_entity_store, as the DMT's Map step does",
        ),
    ];

    /// Appends `text` as `#` comment lines of at most 90 columns: the first line starts
    /// with `first`, the others with `rest`.
    fn comment_wrapped(out: &mut String, first: &str, rest: &str, text: &str) {
        let mut line = format!("#{first}");
        let mut empty = true;
        for word in text.split_whitespace() {
            if !empty && line.len() + 1 + word.len() > 90 {
                out.push_str(&line);
                out.push('\n');
                line = format!("#{rest}");
                empty = true;
            }
            if !empty {
                line.push(' ');
            }
            line.push_str(word);
            empty = false;
        }
        out.push_str(&line);
        out.push('\n');
    }

    /// A prose paragraph.
    fn para(out: &mut String, text: &str) {
        comment_wrapped(out, " ", " ", text);
    }

    /// A list item.
    fn item(out: &mut String, text: &str) {
        comment_wrapped(out, "   ", "     ", text);
    }

    fn count_elements(xml: &str, name: &str) -> usize {
        let doc = Document::parse(xml).expect("reference XML parses");
        doc.descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == name)
            .count()
    }

    fn core(dir: &Path) -> (MapFile, String) {
        let xml = read(dir, "map.xml");
        let map = from_dmt_map_xml(&xml).expect("the DMT's map.xml converts");
        let (s, d) = (&map.source, &map.destination);
        let datatypes_src = {
            let doc = Document::parse(&xml).expect("parses");
            let src = doc
                .root_element()
                .children()
                .find(|n| n.has_tag_name("source"))
                .expect("<source>");
            src.descendants()
                .filter(|n| n.has_tag_name("datatype"))
                .count()
        };
        let datatypes_dst = count_elements(&xml, "datatype") - datatypes_src;
        let mut h = String::new();
        h.push_str(
            "# m1tom2 map: the table map (which Magento 1 documents and fields go where).\n#\n",
        );
        para(
            &mut h,
            "These rules restate the facts of Magento's Data Migration Tool (DMT) configuration \
             for Magento Open Source (CE) 1.9.x → 2.4.x (its opensource-to-opensource map.xml \
             for 1.9.4.5) in m1tom2's format. Handler and parameter names are m1tom2's; \
             transforms keep the DMT's order, which is the order they apply in.",
        );
        h.push_str("#\n");
        let _ = writeln!(
            h,
            "# source:      {} document ignores, {} renames, {} field ignores, {} moves, {} transforms",
            s.ignore.len(),
            s.rename.len(),
            s.ignore_fields.len(),
            s.moves.len(),
            s.transform.len()
        );
        let _ = writeln!(
            h,
            "# destination: {} document ignores, {} field ignores, {} transforms",
            d.ignore.len(),
            d.ignore_fields.len(),
            d.transform.len()
        );
        para(
            &mut h,
            &format!(
                "Not carried over: the DMT's {datatypes_src} source and {datatypes_dst} destination \
                 <ignore><datatype> rules, which only silence its data-type warnings."
            ),
        );
        h.push_str("#\n");
        h.push_str(GENERATED_BY);
        h.push('\n');
        (map.clone(), h + &map.to_toml())
    }

    fn deferred(dir: &Path, core: &MapFile) -> String {
        let ignored = |doc: &str| {
            core.source
                .ignore
                .iter()
                .any(|p| WildMatch::new(p).matches(doc))
        };
        // Every document each step's sources name, in the order first named.
        let mut named: Vec<(&str, Vec<String>)> = Vec::new();
        for (step, sources, _) in STEPS {
            let mut docs: Vec<String> = Vec::new();
            for source in *sources {
                match source {
                    From::Groups(file) => {
                        for d in groups_to_deferred(&read(dir, file), step)
                            .expect("groups file converts")
                        {
                            docs.extend(d.documents);
                        }
                    }
                    From::Hand(list) => docs.extend(list.iter().map(|s| s.to_string())),
                }
            }
            docs.sort();
            docs.dedup();
            named.push((step, docs));
        }
        // Who gets each document: only documents the table map ignores (a deferred
        // document is not migrated by it), and on overlap the step first in PRIORITY.
        let mut owner: BTreeMap<&str, &str> = BTreeMap::new();
        for step in PRIORITY {
            let (_, docs) = named
                .iter()
                .find(|(s, _)| s == step)
                .expect("step in STEPS");
            for d in docs.iter().filter(|d| ignored(d)) {
                owner.entry(d.as_str()).or_insert(step);
            }
        }
        let mut out = MapFile::default();
        let mut left_out: Vec<String> = Vec::new();
        for (step, docs) in &named {
            let kept: Vec<String> = docs
                .iter()
                .filter(|d| owner.get(d.as_str()) == Some(step))
                .cloned()
                .collect();
            let not_ignored: Vec<&str> = docs
                .iter()
                .filter(|d| !ignored(d))
                .map(String::as_str)
                .collect();
            if !not_ignored.is_empty() {
                let note = LEFT_OUT_NOTES.iter().find(|(s, _)| s == step).map_or(
                    "core.toml's [source] does not ignore them: the table map migrates them",
                    |(_, n)| n,
                );
                left_out.push(format!("{step}: {} ({note})", not_ignored.join(", ")));
            }
            let mut elsewhere: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for d in docs {
                if let Some(o) = owner.get(d.as_str()).filter(|o| *o != step) {
                    elsewhere.entry(o).or_default().push(d);
                }
            }
            for (o, ds) in elsewhere {
                left_out.push(format!("{step}: {} (listed under {o})", ds.join(", ")));
            }
            if !kept.is_empty() {
                out.deferred.push(Deferred {
                    step: step.to_string(),
                    documents: kept,
                });
            }
        }
        let mut h = String::new();
        h.push_str("# m1tom2 map: the Magento 1 documents that another migration step owns.\n#\n");
        para(
            &mut h,
            "These entries restate the facts of Magento's Data Migration Tool (DMT) configuration \
             for Magento Open Source (CE) 1.9.x → 2.4.x in m1tom2's format. A document listed here \
             is not migrated by the table map (core.toml); the report shows it as deferred to its \
             step. Steps are in the order of the DMT's config.xml.",
        );
        h.push_str("#\n# Where each step's documents come from:\n");
        for (step, _, why) in STEPS {
            item(&mut h, &format!("{step}: {why}."));
        }
        h.push_str("#\n");
        para(
            &mut h,
            "Only documents that core.toml's [source] ignores are listed, since listing one here \
             stops the table map migrating it; a document named by two steps goes to one. Left out:",
        );
        for l in &left_out {
            item(&mut h, l);
        }
        h.push_str("#\n");
        h.push_str(GENERATED_BY);
        h.push('\n');
        h + &out.to_toml()
    }

    fn class_map(dir: &Path) -> String {
        let xml = read(dir, "class-map.xml");
        let map = class_map_from_xml(&xml).expect("the DMT's class-map.xml converts");
        let entries = count_elements(&xml, "rename");
        let empty = map.values().filter(|v| v.is_empty()).count();
        let mut h = String::new();
        h.push_str("# m1tom2 class map: Magento 1 class aliases → Magento 2 classes.\n#\n");
        para(
            &mut h,
            &format!(
                "These entries restate the facts of Magento's Data Migration Tool (DMT) class-map.xml \
                 for Magento Open Source (CE) 1.9.x → 2.4.x in m1tom2's format: {} aliases ({entries} entries in \
                 the XML; an alias repeated with the same class counts once). An empty class (\"\", {empty} aliases) means \
                 there is no Magento 2 class: the value is nulled.",
                map.len()
            ),
        );
        h.push_str("#\n");
        h.push_str(GENERATED_BY);
        h.push('\n');
        h + &ClassMap::from_map(map).to_toml()
    }

    /// The shipped files, as the XML gives them.
    fn generate(dir: &Path) -> Vec<(&'static str, String)> {
        let (core_map, core_text) = core(dir);
        vec![
            ("core.toml", core_text),
            ("deferred.toml", deferred(dir, &core_map)),
            ("class-map.toml", class_map(dir)),
        ]
    }

    #[test]
    #[ignore = "writes maps/*.toml; run once after changing the generator"]
    fn write_shipped_maps() {
        let Some(dir) = reference_dir() else { return };
        std::fs::create_dir_all(maps_dir()).unwrap();
        for (name, text) in generate(&dir) {
            std::fs::write(maps_dir().join(name), text).unwrap();
        }
    }

    #[test]
    fn shipped_maps_equal_what_the_xml_gives() {
        let Some(dir) = reference_dir() else { return };
        for (name, text) in generate(&dir) {
            let committed = std::fs::read_to_string(maps_dir().join(name)).unwrap_or_default();
            assert!(
                committed == text,
                "maps/{name} differs from what the DMT XML gives; \
                 run `cargo test --lib map::dmt -- --ignored write_shipped_maps`"
            );
        }
    }

    #[test]
    fn the_dmt_map_xml_converts_with_the_expected_counts() {
        let Some(dir) = reference_dir() else { return };
        let m = from_dmt_map_xml(&read(&dir, "map.xml")).unwrap();
        assert_eq!(m.source.ignore.len(), 162);
        assert_eq!(m.source.rename.len(), 35);
        assert_eq!(m.source.moves.len(), 38);
        assert_eq!(m.source.transform.len(), 51);
        assert_eq!(m.destination.ignore.len(), 212);
        assert_eq!(m.destination.transform.len(), 19);
        assert_eq!(m.source.ignore_fields.len(), 91);
        assert_eq!(m.destination.ignore_fields.len(), 59);
    }

    #[test]
    fn other_dmt_maps_convert_or_name_what_they_cannot() {
        let Some(dir) = reference_dir() else { return };
        let log = from_dmt_map_xml(&read(&dir, "map-log.xml")).unwrap();
        assert_eq!(log.source.rename["log_visitor"], "customer_visitor");
        let tier = from_dmt_map_xml(&read(&dir, "map-tier-price.xml")).unwrap();
        assert_eq!(tier.source.transform.len(), 2);
        let err = from_dmt_map_xml(&read(&dir, "map-stores.xml")).unwrap_err();
        assert!(err.to_string().contains("StoreGroupCode"), "{err}");
        let err = from_dmt_map_xml(&read(&dir, "map-eav.xml")).unwrap_err();
        assert!(
            err.to_string().contains("EavAttribute\\ConvertModel"),
            "{err}"
        );
    }

    /// Checks on the committed files themselves; needs no reference.
    #[test]
    fn shipped_maps_parse_and_hang_together() {
        let core = MapFile::from_toml(&read(&maps_dir(), "core.toml")).unwrap();
        let deferred = MapFile::from_toml(&read(&maps_dir(), "deferred.toml")).unwrap();
        let classes = ClassMap::load(&read(&maps_dir(), "class-map.toml")).unwrap();
        let raw: ClassMapFile = toml::from_str(&read(&maps_dir(), "class-map.toml")).unwrap();
        assert_eq!(raw.classes.len(), classes.len());
        assert!(!classes.is_empty());

        let names: Vec<&str> = HANDLERS.iter().map(|s| s.name).collect();
        for t in core
            .source
            .transform
            .iter()
            .chain(&core.destination.transform)
        {
            assert!(names.contains(&t.handler.as_str()), "{t:?}");
        }
        assert!(deferred.source.is_empty() && deferred.destination.is_empty());
        assert!(core.deferred.is_empty());

        let mut seen = BTreeMap::new();
        for d in &deferred.deferred {
            for doc in &d.documents {
                assert!(
                    core.source
                        .ignore
                        .iter()
                        .any(|p| WildMatch::new(p).matches(doc)),
                    "{doc} is deferred to {} but the table map also migrates it",
                    d.step
                );
                assert!(
                    seen.insert(doc.clone(), d.step.clone()).is_none(),
                    "{doc} is listed twice"
                );
            }
        }
        for step in [
            "settings",
            "stores",
            "eav",
            "customer",
            "url_rewrite",
            "log",
            "order_grids",
            "tier_price",
        ] {
            assert!(
                deferred.deferred.iter().any(|d| d.step == step),
                "no step {step}"
            );
        }
    }
}
