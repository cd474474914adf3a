//! `--set key=value` overrides. They are recorded on the [`Source`] and
//! applied to its parsed tree (`doc.rs`), never to its text: every line of
//! the file keeps its number, and a value an override wrote is reported as
//! that `--set`, not as a line. Keys are dotted and may index arrays:
//! `splits.action.legs[2].share`, `p[1].n`.

use crate::doc::{Entry, Kind, Node, Table};
use crate::source::{ConfigError, ConfigErrors, Source};

/// One step of an override key: a table key, or an array index.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// Parse `splits.action.legs[2].share` into segments.
fn segments(key: &str) -> Result<Vec<Segment>, String> {
    let mut out = Vec::new();
    for part in key.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if name.is_empty() {
            return Err(format!("`{key}` has an empty key"));
        }
        out.push(Segment::Key(name.to_string()));
        while !rest.is_empty() {
            let close = rest
                .find(']')
                .ok_or_else(|| format!("`{key}`: unclosed `[`"))?;
            let index = rest[1..close]
                .parse()
                .map_err(|_| format!("`{key}`: `{}` is not an array index", &rest[1..close]))?;
            out.push(Segment::Index(index));
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return Err(format!("`{key}`: unexpected `{rest}`"));
            }
        }
    }
    Ok(out)
}

/// Set `path` under `node` to `value`; missing tables are created (with the
/// value's span: the override made them).
fn set_path(node: &mut Node, path: &[Segment], value: Node) -> Result<(), String> {
    let Some((first, rest)) = path.split_first() else {
        *node = value;
        return Ok(());
    };
    match first {
        Segment::Key(k) => {
            let Kind::Table(table) = &mut node.kind else {
                return Err(format!("cannot set `{k}`: its parent is not a table"));
            };
            set_in_table(table, k, rest, value)
        }
        Segment::Index(i) => {
            let Kind::Array(items) = &mut node.kind else {
                return Err(format!("cannot index [{i}]: not an array"));
            };
            let len = items.len();
            let item = items
                .get_mut(*i)
                .ok_or_else(|| format!("index {i} is out of range (length {len})"))?;
            set_path(item, rest, value)
        }
    }
}

fn set_in_table(table: &mut Table, key: &str, rest: &[Segment], value: Node) -> Result<(), String> {
    let span = value.span.clone();
    if table.get(key).is_none() {
        if matches!(rest.first(), Some(Segment::Index(_))) {
            return Err(format!("`{key}` does not exist, so it cannot be indexed"));
        }
        table.entries.push(Entry {
            key: key.to_string(),
            key_span: span.clone(),
            value: Node {
                span: span.clone(),
                kind: Kind::Table(Table::default()),
            },
        });
    }
    let entry = table.get_mut(key).expect("present");
    if rest.is_empty() {
        // The override wrote the key too: a key that does not apply is its
        // doing.
        entry.key_span = span;
    }
    set_path(&mut entry.value, rest, value)
}

/// Set dotted `key` (may index arrays: `splits.action.legs[2].share`) to
/// `value` in the tree under `root`. Errors say why in words.
pub(crate) fn set_in(root: &mut Node, key: &str, value: Node) -> Result<(), String> {
    segments(key).and_then(|path| set_path(root, &path, value))
}

/// A `--set` value: taken as TOML if it parses as such (`30`, `0.02`,
/// `"gbm"`, `[1, 2]`, `{ spot = "lam_usd" }`), else as a string (`gbm`,
/// `28%`).
pub fn override_value(text: &str) -> toml_edit::Value {
    text.parse()
        .unwrap_or_else(|_| toml_edit::Value::from(text))
}

/// Record `key=value` overrides on a source; they apply, in order and after
/// any recorded before, when the source is compiled. A key that cannot be
/// parsed is refused here; one that names no place in the document (an
/// index past an array's end) when it is applied.
pub fn apply_overrides(
    source: &mut Source,
    overrides: &[(String, String)],
) -> Result<(), ConfigErrors> {
    let start = source.overrides.len();
    source.overrides.extend(overrides.iter().cloned());
    let errors: Vec<_> = overrides
        .iter()
        .enumerate()
        .filter_map(|(i, (key, _))| {
            let why = segments(key).err()?;
            Some(source.error(Some(Source::set_span(start + i)), key, why))
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ConfigErrors(errors))
    }
}

/// Whether an error at key `error` may come from setting `set`: the same
/// key, one inside it, or one enclosing it (a share list whose sum a set
/// share broke).
pub(crate) fn related(error: &str, set: &str) -> bool {
    let under = |a: &str, b: &str| {
        a.strip_prefix(b)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    };
    !error.is_empty() && (error == set || under(error, set) || under(set, error))
}

/// `errors` in file order, each about a key an override set (or one
/// inside or around it) reported as that override (the last that
/// relates), at no line: the file's line says nothing about it. `strip`
/// is the prefix the overrides' keys lose when applied.
pub(crate) fn blame_overrides(
    source: &Source,
    strip: &str,
    errors: Vec<ConfigError>,
) -> ConfigErrors {
    let blamed = errors.into_iter().map(|e| {
        if e.set.is_some() {
            return e;
        }
        let culprit = source.overrides.iter().rev().find(|(key, _)| {
            let applied = key.strip_prefix(strip).filter(|k| !k.is_empty());
            related(&e.key, applied.unwrap_or(key))
        });
        match culprit {
            Some((key, value)) => ConfigError {
                line: None,
                column: None,
                set: Some(format!("{key}={value}")),
                ..e
            },
            None => e,
        }
    });
    ConfigErrors::sorted(blamed.collect())
}

/// Split `a.b=c` into (`a.b`, `c`).
pub fn parse_override(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.trim().to_string())),
        _ => Err(format!("`{text}` is not of the form key=value")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::parse;

    /// The tree of `text` after `key=value`, or the error as printed.
    fn set(text: &str, key: &str, value: &str) -> Result<Node, String> {
        let mut source = Source::from_text("t.toml", text);
        apply_overrides(&mut source, &[(key.into(), value.into())]).map_err(|e| e.to_string())?;
        let (root, errors) = parse(&source, "").map_err(|e| e.to_string())?;
        match errors.first() {
            Some(e) => Err(e.to_string()),
            None => Ok(root),
        }
    }

    fn at<'n>(node: &'n Node, path: &[&str]) -> &'n Node {
        path.iter().fold(node, |n, step| match &n.kind {
            Kind::Table(t) => &t.get(step).expect("key").value,
            Kind::Array(items) => &items[step.parse::<usize>().expect("index")],
            _ => panic!("not a container"),
        })
    }

    #[test]
    fn overrides_reach_tables_arrays_and_inline_tables() {
        let text = "a = 1\n[t]\nlegs = [\n  { name = \"x\", share = \"1%\" },\n  { name = \"y\", share = \"2%\" },\n]\n";
        let root = set(text, "t.legs[1].share", "5%").unwrap();
        let share = at(&root, &["t", "legs", "1", "share"]);
        assert_eq!(share.kind, Kind::Str("5%".into()));
        assert_eq!(share.span, Source::set_span(0));
        // The untouched neighbour keeps its place in the text.
        let name = at(&root, &["t", "legs", "1", "name"]);
        assert_eq!(&text[name.span.clone()], "\"y\"");
        assert_eq!(at(&set(text, "a", "2").unwrap(), &["a"]).kind, Kind::Int(2));
        let root = set(text, "new.deep.key", "gbm").unwrap();
        assert_eq!(
            at(&root, &["new", "deep", "key"]).kind,
            Kind::Str("gbm".into())
        );
        let root = set("xs = [1, 2, 3]\n", "xs[2]", "9").unwrap();
        assert_eq!(at(&root, &["xs", "2"]).kind, Kind::Int(9));
        let root = set("[[p]]\nn = 1\n[[p]]\nn = 2\n", "p[1].n", "7").unwrap();
        assert_eq!(at(&root, &["p", "1", "n"]).kind, Kind::Int(7));
        assert_eq!(at(&root, &["p", "0", "n"]).kind, Kind::Int(1));
    }

    #[test]
    fn bad_override_keys_say_why() {
        let text = "[t]\nlegs = [{ name = \"x\" }]\n";
        let e = set(text, "t.legs[3].name", "z").unwrap_err();
        assert_eq!(
            e,
            "--set t.legs[3].name=z: `t.legs[3].name`: index 3 is out of range (length 1)"
        );
        let e = set(text, "t.legs[x]", "z").unwrap_err();
        assert!(e.contains("`x` is not an array index"), "{e}");
        let e = set(text, "t.nothing[0]", "z").unwrap_err();
        assert!(e.contains("does not exist"), "{e}");
        let e = set(text, "t.legs[0", "z").unwrap_err();
        assert!(e.contains("unclosed"), "{e}");
    }
}
