//! A small reader over the spanned tree of `doc.rs`, which the `raw.rs`
//! files use to fill their `Raw*` structs. Unlike serde it reports every
//! problem, not the first: every unknown key (with the keys that are
//! allowed, and a "did you mean" for a near miss), every missing required
//! key, every value of the wrong type, in words ("expected a whole number
//! from 0 to 255, found the string \"x\"").
//!
//! A required key that is missing or of the wrong type yields a placeholder
//! (empty span, default value), so the rest can still be read and
//! compiled; errors that compiling a placeholder causes are dropped by
//! [`merge`], since the reader's error already says what is wrong.

use crate::doc::{Entry, Kind, Node, Table};
use crate::source::{ConfigError, Source};
use crate::values::Number;
use indexmap::IndexMap;
use std::fmt::Display;
use std::ops::Range;
use toml::Spanned;

/// A section of named entries (`[accounts.X]`, `[plans.X]`...), in file order.
pub(crate) type Named<T> = IndexMap<Spanned<String>, T>;

const NUMBER: &str = r#"a number (such as 0.10, "1_000" or "34%")"#;

pub(crate) struct Reader<'s> {
    pub source: &'s Source,
    pub errors: Vec<ConfigError>,
}

impl<'s> Reader<'s> {
    pub fn new(source: &'s Source) -> Reader<'s> {
        Reader {
            source,
            errors: Vec::new(),
        }
    }

    pub fn err(&mut self, span: Range<usize>, key: &str, message: String) {
        self.errors
            .push(self.source.error(Some(span), key, message));
    }

    fn expected(&mut self, key: &str, node: &Node, what: impl Display) {
        let found = node.kind.describe();
        self.err(
            node.span.clone(),
            key,
            format!("expected {what}, found {found}"),
        );
    }

    pub fn string(&mut self, key: &str, node: &Node) -> Option<Spanned<String>> {
        match &node.kind {
            Kind::Str(s) => Some(Spanned::new(node.span.clone(), s.clone())),
            _ => {
                self.expected(key, node, "a string in quotes");
                None
            }
        }
    }

    /// An amount, share or rate as written: kept as text until its unit is
    /// known (`values.rs`).
    pub fn number(&mut self, key: &str, node: &Node) -> Option<Spanned<Number>> {
        let n = match &node.kind {
            Kind::Str(s) => Number::Text(s.clone()),
            Kind::Int(i) => Number::Int(*i),
            Kind::Float(f) => Number::Float(*f),
            _ => {
                self.expected(key, node, NUMBER);
                return None;
            }
        };
        Some(Spanned::new(node.span.clone(), n))
    }

    /// A whole number from `lo` to `hi`.
    pub fn int<T>(&mut self, key: &str, node: &Node, lo: T, hi: T) -> Option<Spanned<T>>
    where
        T: TryFrom<i64> + Into<i128> + Display + Copy,
    {
        let value = match node.kind {
            Kind::Int(i) if (lo.into()..=hi.into()).contains(&i128::from(i)) => T::try_from(i).ok(),
            _ => None,
        };
        if value.is_none() {
            self.expected(key, node, format!("a whole number from {lo} to {hi}"));
        }
        value.map(|v| Spanned::new(node.span.clone(), v))
    }

    pub fn boolean(&mut self, key: &str, node: &Node) -> Option<bool> {
        match node.kind {
            Kind::Bool(b) => Some(b),
            _ => {
                self.expected(key, node, "true or false");
                None
            }
        }
    }

    /// The items of an array; `what` names the array expected.
    fn array<'n>(&mut self, key: &str, node: &'n Node, what: &str) -> Option<&'n [Node]> {
        match &node.kind {
            Kind::Array(items) => Some(items),
            _ => {
                self.expected(key, node, what);
                None
            }
        }
    }
}

/// The keys of one table being read, and which of them the reader asked
/// for (any other is unknown).
pub(crate) struct Fields<'n> {
    /// The table's dotted key (empty for the document).
    pub key: String,
    /// What the table is, for messages: "a version".
    what: &'static str,
    /// None: not a table (already reported), so nothing is missing either.
    table: Option<&'n Table>,
    /// Where a missing key is reported: the table's name or opening.
    at: Range<usize>,
    asked: Vec<&'static str>,
    /// Every entry was read as free-form (`[genesis.X]`: assets by name).
    all_read: bool,
}

impl<'n> Fields<'n> {
    /// The document's top level.
    pub fn root(node: &'n Node, what: &'static str) -> Fields<'n> {
        let table = match &node.kind {
            Kind::Table(t) => Some(t),
            _ => None,
        };
        Fields {
            key: String::new(),
            what,
            table,
            at: 0..0,
            asked: Vec::new(),
            all_read: false,
        }
    }

    /// The table `node` at `key`; an error if it is not one.
    fn of(
        r: &mut Reader,
        key: String,
        node: &'n Node,
        at: Range<usize>,
        what: &'static str,
    ) -> Self {
        let table = match &node.kind {
            Kind::Table(t) => Some(t),
            _ => {
                r.expected(&key, node, "a table");
                None
            }
        };
        Fields {
            key,
            what,
            table,
            at,
            asked: Vec::new(),
            all_read: false,
        }
    }

    /// The dotted key of `name` in this table.
    pub fn key_of(&self, name: &str) -> String {
        if self.key.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", self.key)
        }
    }

    /// The entry `name`, which is now a known key.
    pub fn entry(&mut self, name: &'static str) -> Option<&'n Entry> {
        if !self.asked.contains(&name) {
            self.asked.push(name);
        }
        self.table?.get(name)
    }

    fn get<T>(
        &mut self,
        r: &mut Reader,
        name: &'static str,
        read: impl FnOnce(&mut Reader, &str, &'n Node) -> Option<T>,
    ) -> Option<T> {
        let entry = self.entry(name)?;
        read(r, &self.key_of(name), &entry.value)
    }

    /// `value`, or a placeholder and an error if `name` is not written.
    fn require<T: Default>(
        &mut self,
        r: &mut Reader,
        name: &'static str,
        value: Option<Spanned<T>>,
    ) -> Spanned<T> {
        value.unwrap_or_else(|| {
            if self.table.is_some_and(|t| t.get(name).is_none()) {
                r.err(
                    self.at.clone(),
                    &self.key_of(name),
                    format!("missing: {} needs `{name}`", self.what),
                );
            }
            Spanned::new(0..0, T::default())
        })
    }

    pub fn str(&mut self, r: &mut Reader, name: &'static str) -> Option<Spanned<String>> {
        self.get(r, name, |r, key, node| r.string(key, node))
    }

    pub fn req_str(&mut self, r: &mut Reader, name: &'static str) -> Spanned<String> {
        let value = self.str(r, name);
        self.require(r, name, value)
    }

    pub fn num(&mut self, r: &mut Reader, name: &'static str) -> Option<Spanned<Number>> {
        self.get(r, name, |r, key, node| r.number(key, node))
    }

    pub fn req_num(&mut self, r: &mut Reader, name: &'static str) -> Spanned<Number> {
        let value = self.num(r, name);
        self.require(r, name, value)
    }

    pub fn int<T>(&mut self, r: &mut Reader, name: &'static str, lo: T, hi: T) -> Option<Spanned<T>>
    where
        T: TryFrom<i64> + Into<i128> + Display + Copy,
    {
        self.get(r, name, |r, key, node| r.int(key, node, lo, hi))
    }

    pub fn req_int<T>(&mut self, r: &mut Reader, name: &'static str, lo: T, hi: T) -> Spanned<T>
    where
        T: TryFrom<i64> + Into<i128> + Display + Copy + Default,
    {
        let value = self.int(r, name, lo, hi);
        self.require(r, name, value)
    }

    pub fn boolean(&mut self, r: &mut Reader, name: &'static str) -> Option<bool> {
        self.get(r, name, |r, key, node| r.boolean(key, node))
    }

    /// Free text (a description): empty if not written.
    pub fn text(&mut self, r: &mut Reader, name: &'static str) -> String {
        self.str(r, name)
            .map(Spanned::into_inner)
            .unwrap_or_default()
    }

    /// Items of an array, each read by `item` at `key[i]` (an item that
    /// cannot be read keeps its place as a placeholder).
    fn items<T>(
        &mut self,
        r: &mut Reader,
        name: &'static str,
        what: &str,
        mut item: impl FnMut(&mut Reader, String, &'n Node) -> T,
    ) -> Option<Spanned<Vec<T>>> {
        let entry = self.entry(name)?;
        let key = self.key_of(name);
        let items = r.array(&key, &entry.value, what)?;
        let values = items
            .iter()
            .enumerate()
            .map(|(i, node)| item(r, format!("{key}[{i}]"), node))
            .collect();
        Some(Spanned::new(entry.value.span.clone(), values))
    }

    /// An array of strings (`sources`); empty if not written.
    pub fn strings(&mut self, r: &mut Reader, name: &'static str) -> Vec<String> {
        self.items(r, name, "an array of strings", |r, key, node| {
            r.string(&key, node)
                .map(Spanned::into_inner)
                .unwrap_or_default()
        })
        .map(Spanned::into_inner)
        .unwrap_or_default()
    }

    /// An array of names (`assets = ["LAM", "USD"]`).
    pub fn names(
        &mut self,
        r: &mut Reader,
        name: &'static str,
    ) -> Option<Spanned<Vec<Spanned<String>>>> {
        self.items(r, name, "an array of names in quotes", |r, key, node| {
            r.string(&key, node).unwrap_or_else(placeholder)
        })
    }

    /// An array of numbers (`creator_epochs`, `table_usd`).
    pub fn nums(
        &mut self,
        r: &mut Reader,
        name: &'static str,
    ) -> Option<Spanned<Vec<Spanned<Number>>>> {
        self.items(r, name, "an array of numbers", |r, key, node| {
            r.number(&key, node).unwrap_or_else(placeholder)
        })
    }

    /// An array of whole numbers from `lo` to `hi`.
    pub fn ints<T>(
        &mut self,
        r: &mut Reader,
        name: &'static str,
        lo: T,
        hi: T,
    ) -> Option<Spanned<Vec<Spanned<T>>>>
    where
        T: TryFrom<i64> + Into<i128> + Display + Copy + Default,
    {
        self.items(r, name, "an array of whole numbers", |r, key, node| {
            r.int(&key, node, lo, hi).unwrap_or_else(placeholder)
        })
    }

    /// An array of tables (`legs`), each read by `read`; required.
    pub fn tables<T>(
        &mut self,
        r: &mut Reader,
        name: &'static str,
        what: &'static str,
        mut read: impl FnMut(&mut Reader, &mut Fields<'n>) -> T,
    ) -> Spanned<Vec<T>> {
        let value = self.items(r, name, "an array of tables", |r, key, node| {
            let mut fields = Fields::of(r, key, node, node.span.clone(), what);
            let value = read(r, &mut fields);
            fields.finish(r);
            value
        });
        self.require(r, name, value)
    }

    /// An array of tables, if written (`lock_multipliers`).
    pub fn opt_tables<T>(
        &mut self,
        r: &mut Reader,
        name: &'static str,
        what: &'static str,
        mut read: impl FnMut(&mut Reader, &mut Fields<'n>) -> T,
    ) -> Option<Spanned<Vec<T>>> {
        self.items(r, name, "an array of tables", |r, key, node| {
            let mut fields = Fields::of(r, key, node, node.span.clone(), what);
            let value = read(r, &mut fields);
            fields.finish(r);
            value
        })
    }

    /// The table `name`, if written; the caller reads it, then calls
    /// [`Fields::finish`].
    pub fn sub(
        &mut self,
        r: &mut Reader,
        name: &'static str,
        what: &'static str,
    ) -> Option<Fields<'n>> {
        let entry = self.entry(name)?;
        Some(Fields::of(
            r,
            self.key_of(name),
            &entry.value,
            entry.key_span.clone(),
            what,
        ))
    }

    /// The table `name`, if written, read by `read`.
    pub fn table<T>(
        &mut self,
        r: &mut Reader,
        name: &'static str,
        what: &'static str,
        read: impl FnOnce(&mut Reader, &mut Fields<'n>) -> T,
    ) -> Option<T> {
        let mut fields = self.sub(r, name, what)?;
        let value = read(r, &mut fields);
        fields.finish(r);
        Some(value)
    }

    /// The table `name`, which must be written (if not: an error, and a
    /// table with nothing in it and nothing more to report).
    pub fn req_sub(
        &mut self,
        r: &mut Reader,
        name: &'static str,
        what: &'static str,
    ) -> Fields<'n> {
        self.sub(r, name, what).unwrap_or_else(|| {
            if self.table.is_some() {
                r.err(
                    self.at.clone(),
                    &self.key_of(name),
                    format!(
                        "missing: {} needs a table `[{}]`",
                        self.what,
                        self.key_of(name)
                    ),
                );
            }
            Fields {
                key: self.key_of(name),
                what,
                table: None,
                at: self.at.clone(),
                asked: Vec::new(),
                all_read: false,
            }
        })
    }

    /// Every entry of this table, each read by `read` (`[genesis.X]`:
    /// assets by name).
    pub fn all<T>(
        &mut self,
        r: &mut Reader,
        read: impl Fn(&mut Reader, &str, &'n Node) -> Option<T>,
    ) -> Named<T> {
        self.all_read = true;
        let mut out = IndexMap::new();
        for entry in self.table.map_or(&[][..], |t| &t.entries) {
            if let Some(value) = read(r, &self.key_of(&entry.key), &entry.value) {
                out.insert(
                    Spanned::new(entry.key_span.clone(), entry.key.clone()),
                    value,
                );
            }
        }
        out
    }

    /// A section of named entries (`[versions.X]`), each a table read by
    /// `read`, in file order. An entry whose name has an unquoted dot
    /// (`[versions.gpt-4.1]`, which TOML reads as nested tables) is
    /// reported as such and left out.
    pub fn named<T>(
        &mut self,
        r: &mut Reader,
        name: &'static str,
        what: &'static str,
        mut read: impl FnMut(&mut Reader, &mut Fields<'n>) -> T,
    ) -> Named<T> {
        let mut out = IndexMap::new();
        let Some(section) = self.entry(name) else {
            return out;
        };
        let section_key = self.key_of(name);
        let Kind::Table(section) = &section.value.kind else {
            r.expected(&section_key, &section.value, "a table of named tables");
            return out;
        };
        for entry in &section.entries {
            let key = format!("{section_key}.{}", entry.key);
            let before = r.errors.len();
            let mut fields = Fields::of(r, key.clone(), &entry.value, entry.key_span.clone(), what);
            let value = read(r, &mut fields);
            if let Some(leaves) = fields.dotted_names(&entry.key) {
                r.errors.truncate(before);
                for (full, span) in leaves {
                    r.err(
                        span,
                        &key,
                        format!(
                            "`{full}` is read as nested tables: a name with a dot must be quoted: [{section_key}.\"{full}\"]"
                        ),
                    );
                }
                continue;
            }
            fields.finish(r);
            out.insert(
                Spanned::new(entry.key_span.clone(), entry.key.clone()),
                value,
            );
        }
        out
    }

    /// If this table is only the first part of names with unquoted dots
    /// (never written itself, holding only tables, none of them a key it
    /// takes), each full name and where it is written.
    fn dotted_names(&self, name: &str) -> Option<Vec<(String, Range<usize>)>> {
        let table = self.table?;
        let only_tables = |t: &Table| {
            !t.entries.is_empty()
                && t.entries
                    .iter()
                    .all(|e| matches!(e.value.kind, Kind::Table(_)))
        };
        let dotted = table.implicit
            && only_tables(table)
            && !self.all_read
            && !table
                .entries
                .iter()
                .any(|e| self.asked.contains(&e.key.as_str()));
        if !dotted {
            return None;
        }
        fn leaves(
            prefix: &str,
            table: &Table,
            only: &dyn Fn(&Table) -> bool,
            out: &mut Vec<(String, Range<usize>)>,
        ) {
            for e in &table.entries {
                let full = format!("{prefix}.{}", e.key);
                match &e.value.kind {
                    Kind::Table(t) if t.implicit && only(t) => leaves(&full, t, only, out),
                    _ => out.push((full, e.value.span.clone())),
                }
            }
        }
        let mut out = Vec::new();
        leaves(name, table, &only_tables, &mut out);
        Some(out)
    }

    /// Report every key that was not asked for, with the keys that are
    /// allowed and the nearest one if it is a near miss.
    pub fn finish(self, r: &mut Reader) {
        if self.all_read {
            return;
        }
        let Some(table) = self.table else { return };
        for entry in &table.entries {
            if self.asked.contains(&entry.key.as_str()) {
                continue;
            }
            let hint = match near_miss(&entry.key, &self.asked) {
                Some(near) => format!("; did you mean `{near}`?"),
                None => String::new(),
            };
            let message = if self.asked.is_empty() {
                format!("unknown key{hint} ({} takes no keys)", self.what)
            } else {
                format!(
                    "unknown key{hint} ({} takes {})",
                    self.what,
                    self.asked.join(", ")
                )
            };
            r.err(entry.key_span.clone(), &self.key_of(&entry.key), message);
        }
    }

    /// Keys written here that apply to other models only are errors:
    /// `rules` gives, per key, the models it applies to; `models` all
    /// models there are (an unknown model is reported elsewhere).
    pub fn only_for_models(
        &mut self,
        r: &mut Reader,
        kind: &str,
        model: &Spanned<String>,
        models: &[&str],
        rules: &[(&'static str, &[&str])],
    ) {
        // A model a `--set` chose leaves aside the keys the file writes
        // for the file's own model (`--set emissions.model=none` on a file
        // with `per_day`): only keys a `--set` writes must then apply.
        let set_model = r.source.set_of(&model.span()).is_some();
        let model = model.get_ref().as_str();
        if !models.contains(&model) {
            return;
        }
        for (name, applies) in rules {
            let Some(entry) = self.entry(name) else {
                continue;
            };
            let from_file = r.source.set_of(&entry.key_span).is_none();
            if applies.contains(&model) || (set_model && from_file) {
                continue;
            }
            let quoted: Vec<String> = applies.iter().map(|m| format!("\"{m}\"")).collect();
            let which = match quoted.split_last() {
                Some((last, [])) => format!("model {last}"),
                Some((last, rest)) => format!("models {} and {last}", rest.join(", ")),
                None => "no model".into(),
            };
            r.err(
                entry.key_span.clone(),
                &self.key_of(name),
                format!("applies only to {which}; this {kind} model is \"{model}\""),
            );
        }
    }
}

fn placeholder<T: Default>() -> Spanned<T> {
    Spanned::new(0..0, T::default())
}

/// The allowed key nearest to `key`, if it is a near miss: two edits at
/// most (one for short keys), or the same letters in another case.
fn near_miss<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let limit = if key.chars().count() <= 4 { 1 } else { 2 };
    allowed
        .iter()
        .map(|a| (distance(&key.to_lowercase(), &a.to_lowercase()), *a))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

/// Levenshtein distance.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// The reader's errors, then the compiler's, less those the reader's
/// explain: a compile error at a key the reader found missing or mistyped,
/// or under it, comes from its placeholder.
pub(crate) fn merge(read: Vec<ConfigError>, compiled: Vec<ConfigError>) -> Vec<ConfigError> {
    let explained = |e: &ConfigError| {
        read.iter().any(|r| {
            e.key == r.key
                || e.key
                    .strip_prefix(r.key.as_str())
                    .is_some_and(|rest| rest.starts_with(['.', '[']))
        })
    };
    let kept: Vec<ConfigError> = compiled.into_iter().filter(|e| !explained(e)).collect();
    read.into_iter().chain(kept).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_are_within_two_edits() {
        let allowed = ["decimals", "description", "max_supply", "oracle"];
        assert_eq!(near_miss("decimal", &allowed), Some("decimals"));
        assert_eq!(near_miss("Decimals", &allowed), Some("decimals"));
        assert_eq!(near_miss("max_suply", &allowed), Some("max_supply"));
        assert_eq!(near_miss("supply", &allowed), None);
        assert_eq!(near_miss("orcl", &allowed), None);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
