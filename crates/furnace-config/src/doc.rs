//! A TOML document as a tree of spanned nodes: what the readers of
//! `economy/raw.rs` and `scenario/raw.rs` walk. Every value and key keeps
//! where it is written; a value an override wrote carries the override's
//! span instead ([`Source::set_span`]), so its errors name the `--set`.

use crate::overrides::set_in;
use crate::source::{ConfigError, ConfigErrors, Source};
use std::ops::Range;

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node {
    /// Where the value is written (a table: its header, or its key if it
    /// has none).
    pub span: Range<usize>,
    pub kind: Kind,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Kind {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Datetime(String),
    /// An array, or an array of tables (`[[x]]`).
    Array(Vec<Node>),
    Table(Table),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Table {
    /// In file order.
    pub entries: Vec<Entry>,
    /// Made by a longer header or a dotted key (`[versions.gpt-4.1]` makes
    /// `versions.gpt-4`), never written itself.
    pub implicit: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry {
    pub key: String,
    pub key_span: Range<usize>,
    pub value: Node,
}

impl Table {
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Entry> {
        self.entries.iter_mut().find(|e| e.key == key)
    }
}

impl Kind {
    /// What a user would call the value, for "expected X, found Y".
    pub fn describe(&self) -> String {
        match self {
            Kind::Str(s) => format!("the string {s:?}"),
            Kind::Int(i) => i.to_string(),
            Kind::Float(f) => f.to_string(),
            Kind::Bool(b) => b.to_string(),
            Kind::Datetime(d) => format!("the date {d}"),
            Kind::Array(_) => "an array".into(),
            Kind::Table(_) => "a table".into(),
        }
    }
}

/// A `toml_edit` value as a node; `set` gives every part the override's
/// span, else each keeps its own.
pub(crate) fn value_node(value: &toml_edit::Value, set: Option<&Range<usize>>) -> Node {
    use toml_edit::Value as V;
    let span = set.cloned().or_else(|| value.span()).unwrap_or(0..0);
    let kind = match value {
        V::String(s) => Kind::Str(s.value().clone()),
        V::Integer(i) => Kind::Int(*i.value()),
        V::Float(f) => Kind::Float(*f.value()),
        V::Boolean(b) => Kind::Bool(*b.value()),
        V::Datetime(d) => Kind::Datetime(d.value().to_string()),
        V::Array(a) => Kind::Array(a.iter().map(|v| value_node(v, set)).collect()),
        V::InlineTable(t) => Kind::Table(Table {
            entries: t
                .iter()
                .map(|(k, v)| Entry {
                    key: k.to_string(),
                    key_span: set
                        .cloned()
                        .or_else(|| t.key(k).and_then(toml_edit::Key::span))
                        .unwrap_or_else(|| span.clone()),
                    value: value_node(v, set),
                })
                .collect(),
            implicit: t.is_dotted(),
        }),
    };
    Node { span, kind }
}

fn table_node(table: &toml_edit::Table, fallback: Range<usize>) -> Node {
    let entries = table
        .iter()
        .filter_map(|(k, item)| {
            let key_span = table
                .key(k)
                .and_then(toml_edit::Key::span)
                .unwrap_or_else(|| fallback.clone());
            let value = item_node(item, key_span.clone())?;
            Some(Entry {
                key: k.to_string(),
                key_span,
                value,
            })
        })
        .collect();
    Node {
        span: table.span().unwrap_or(fallback),
        kind: Kind::Table(Table {
            entries,
            implicit: table.is_implicit(),
        }),
    }
}

fn item_node(item: &toml_edit::Item, key_span: Range<usize>) -> Option<Node> {
    match item {
        toml_edit::Item::None => None,
        toml_edit::Item::Value(v) => Some(value_node(v, None)),
        toml_edit::Item::Table(t) => Some(table_node(t, key_span)),
        toml_edit::Item::ArrayOfTables(a) => Some(Node {
            span: a.span().unwrap_or_else(|| key_span.clone()),
            kind: Kind::Array(a.iter().map(|t| table_node(t, key_span.clone())).collect()),
        }),
    }
}

/// The top-level keys of a document, if it parses (for telling file kinds
/// apart).
pub(crate) fn top_level_keys(text: &str) -> Option<Vec<String>> {
    let doc = toml_edit::ImDocument::parse(text).ok()?;
    Some(doc.as_table().iter().map(|(k, _)| k.to_string()).collect())
}

/// Parse a source into its tree and apply its overrides in order, each key
/// without `strip` if it starts with it. A syntax error stops everything
/// (nothing after it can be read); an override that cannot be applied is
/// reported with the rest.
pub(crate) fn parse(
    source: &Source,
    strip: &str,
) -> Result<(Node, Vec<ConfigError>), ConfigErrors> {
    let doc = toml_edit::ImDocument::parse(source.text.as_str()).map_err(|e| {
        ConfigErrors::one(source.error(e.span().or(Some(0..0)), "", e.message().trim().to_string()))
    })?;
    let mut root = table_node(doc.as_table(), 0..0);
    let mut errors = Vec::new();
    for (i, (key, value)) in source.overrides.iter().enumerate() {
        let span = Source::set_span(i);
        let node = value_node(&crate::overrides::override_value(value), Some(&span));
        let path = key.strip_prefix(strip).filter(|k| !k.is_empty());
        if let Err(why) = set_in(&mut root, path.unwrap_or(key), node) {
            errors.push(source.error(Some(span), key, why));
        }
    }
    Ok((root, errors))
}

/// A node as TOML text (an `[economy_set]` value, to apply as an
/// override).
pub(crate) fn toml_text(node: &Node) -> String {
    fn value(node: &Node) -> toml_edit::Value {
        match &node.kind {
            Kind::Str(s) => s.as_str().into(),
            Kind::Int(i) => (*i).into(),
            Kind::Float(f) => (*f).into(),
            Kind::Bool(b) => (*b).into(),
            Kind::Datetime(d) => d
                .parse::<toml_edit::Datetime>()
                .map_or_else(|_| d.as_str().into(), Into::into),
            Kind::Array(items) => items.iter().map(value).collect::<toml_edit::Array>().into(),
            Kind::Table(t) => t
                .entries
                .iter()
                .map(|e| (e.key.as_str(), value(&e.value)))
                .collect::<toml_edit::InlineTable>()
                .into(),
        }
    }
    value(node).to_string().trim().to_string()
}
