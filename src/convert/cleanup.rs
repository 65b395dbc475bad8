//! The EAV clean-ups applied while catalog rows stream through: value rows of
//! attributes the EAV merge did not keep, of attributes Magento 2 holds as
//! entity columns, of a product's `url_path` (Magento 2 derives it), and of
//! attributes outside the entity's attribute set are left out; values of
//! attributes whose backend type became `varchar` (Magento 1 multiselects
//! kept in `_text`) move to the `_varchar` table; category links to the tree
//! root (id 1) are left out.

use std::borrow::Cow;
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt, HashSet};

use crate::map::idmap::IdMap;
use crate::steps::Rows;

/// Why a row is left out.
pub mod reason {
    /// The attribute is not in the merged `eav_attribute`.
    pub const GONE: &str = "value of an attribute Magento 2 does not have (EAV merge)";
    /// Magento 2 keeps the attribute as an entity column.
    pub const STATIC: &str = "value of an attribute Magento 2 keeps in the entity table (static)";
    /// A product's url_path.
    pub const URL_PATH: &str = "product url_path (Magento 2 derives it)";
    /// Not in the entity's attribute set.
    pub const OUTSIDE_SET: &str = "value of an attribute outside the entity's attribute set";
    /// A link to the tree root category.
    pub const ROOT_LINK: &str = "link to the tree root category (id 1)";
}

/// Entity ids → attribute set, and each set's attributes. An entity whose
/// set has no attributes at all (the tree root category's set 0) is not judged.
#[derive(Debug, Default)]
pub struct SetIndex {
    /// Entity id → attribute set id (bytes as in the dump).
    pub entity_set: IdMap,
    /// Attribute set id → its attribute ids, from the merged `eav_entity_attribute`.
    pub members: HashMap<Vec<u8>, HashSet<Vec<u8>>>,
}

impl SetIndex {
    /// The pairs of a merged `eav_entity_attribute`.
    pub fn members_of(rows: &Rows) -> HashMap<Vec<u8>, HashSet<Vec<u8>>> {
        let mut out: HashMap<Vec<u8>, HashSet<Vec<u8>>> = HashMap::new();
        for r in &rows.rows {
            if let (Some(set), Some(attr)) =
                (rows.get(r, "attribute_set_id"), rows.get(r, "attribute_id"))
            {
                out.entry(set.to_vec()).or_default().insert(attr.to_vec());
            }
        }
        out
    }
}

/// What happens to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CleanVerdict {
    /// Written to its table.
    Keep,
    /// Written to the `_varchar` table instead.
    ToVarchar,
    /// Left out.
    Drop(&'static str),
}

/// The clean-up of one source table.
#[derive(Debug, Clone)]
pub struct Cleanup {
    /// The source column whose value decides (attribute_id, or category_id).
    pub key_col: usize,
    /// Key values whose rows are left out.
    pub drop: HashMap<Vec<u8>, &'static str>,
    /// Attribute ids whose values move to the `_varchar` table.
    pub to_varchar: HashSet<Vec<u8>>,
    /// The `_varchar` destination (bare name), when values move.
    pub varchar_dest: Option<String>,
    /// The entity id column, with the set index, for the set-membership check.
    pub sets: Option<(usize, Arc<SetIndex>)>,
    /// The value column (values longer than a varchar holds stay put).
    pub value_col: Option<usize>,
}

/// Characters a `varchar(255)` value column holds.
pub const VARCHAR_CHARS: usize = 255;

impl Cleanup {
    /// The verdict for a row, given its values by source column.
    pub fn verdict<'v>(&self, get: &dyn Fn(usize) -> Option<Cow<'v, [u8]>>) -> CleanVerdict {
        let Some(key) = get(self.key_col) else {
            return CleanVerdict::Keep;
        };
        let key: &[u8] = &key;
        if let Some(why) = self.drop.get(key) {
            return CleanVerdict::Drop(why);
        }
        if let Some((entity_col, idx)) = &self.sets
            && let Some(entity) = get(*entity_col)
            && let Some(Some(set)) = idx.entity_set.get(entity.as_ref())
            && let Some(members) = idx.members.get(&*set)
            && !members.contains(key)
        {
            return CleanVerdict::Drop(reason::OUTSIDE_SET);
        }
        if self.varchar_dest.is_some() && self.to_varchar.contains(key) {
            let fits = self
                .value_col
                .and_then(get)
                .is_none_or(|v| String::from_utf8_lossy(&v).chars().count() <= VARCHAR_CHARS);
            if fits {
                return CleanVerdict::ToVarchar;
            }
        }
        CleanVerdict::Keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts() {
        let mut idx = SetIndex::default();
        idx.entity_set.insert(b"10", Some(b"4"));
        let mut members = Rows::new(["attribute_set_id", "attribute_id"]);
        for a in ["71", "80", "99"] {
            members
                .rows
                .push(vec![Some(b"4".to_vec()), Some(a.as_bytes().to_vec())]);
        }
        idx.members = SetIndex::members_of(&members);
        let c = Cleanup {
            key_col: 1,
            drop: [(b"97".to_vec(), reason::URL_PATH)].into_iter().collect(),
            to_varchar: [b"99".to_vec()].into_iter().collect(),
            varchar_dest: Some("catalog_product_entity_varchar".into()),
            sets: Some((2, Arc::new(idx))),
            value_col: Some(3),
        };
        let row = |attr: &str, entity: &str, value: &str| {
            let v: Vec<Option<Vec<u8>>> = vec![
                Some(b"1".to_vec()),
                Some(attr.as_bytes().to_vec()),
                Some(entity.as_bytes().to_vec()),
                Some(value.as_bytes().to_vec()),
            ];
            move |i: usize| v.get(i).cloned().flatten().map(Cow::Owned)
        };
        assert_eq!(c.verdict(&row("71", "10", "x")), CleanVerdict::Keep);
        assert_eq!(
            c.verdict(&row("97", "10", "x")),
            CleanVerdict::Drop(reason::URL_PATH)
        );
        assert_eq!(
            c.verdict(&row("72", "10", "x")),
            CleanVerdict::Drop(reason::OUTSIDE_SET)
        );
        // An entity the index does not know, or one whose set has no
        // attributes (the tree root category's set 0), is not judged by set.
        assert_eq!(c.verdict(&row("72", "11", "x")), CleanVerdict::Keep);
        let mut idx = SetIndex::default();
        idx.entity_set.insert(b"1", Some(b"0"));
        let root = Cleanup {
            sets: Some((2, Arc::new(idx))),
            ..c.clone()
        };
        assert_eq!(root.verdict(&row("72", "1", "x")), CleanVerdict::Keep);
        assert_eq!(
            c.verdict(&row("99", "10", "1,2,3")),
            CleanVerdict::ToVarchar
        );
        let long = "é".repeat(VARCHAR_CHARS + 1);
        assert_eq!(c.verdict(&row("99", "10", &long)), CleanVerdict::Keep);
    }
}
