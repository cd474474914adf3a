//! `--set key=value` overrides: edit a TOML document in place with
//! `toml_edit`, so every untouched line keeps its number (errors in the
//! rest of the file still point at the right line). Keys are dotted and may
//! index arrays: `splits.action.legs[2].share`, `p[1].n`.

use crate::source::{ConfigErrors, Source};

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

fn set_in_item(
    item: &mut toml_edit::Item,
    path: &[Segment],
    value: &toml_edit::Value,
) -> Result<(), String> {
    match &path[0] {
        Segment::Key(k) => {
            let table = item
                .as_table_like_mut()
                .ok_or_else(|| format!("cannot set `{k}`: its parent is not a table"))?;
            set_in_table(table, k, &path[1..], value)
        }
        Segment::Index(i) => match item {
            toml_edit::Item::ArrayOfTables(tables) => {
                let len = tables.len();
                let table = tables
                    .get_mut(*i)
                    .ok_or_else(|| format!("index {i} is out of range (length {len})"))?;
                match path.get(1) {
                    Some(Segment::Key(k)) => set_in_table(table, k, &path[2..], value),
                    _ => Err(format!("element {i} is a table: name one of its keys")),
                }
            }
            toml_edit::Item::Value(v) => set_in_value(v, path, value),
            _ => Err(format!("cannot index [{i}]: not an array")),
        },
    }
}

fn set_in_table(
    table: &mut dyn toml_edit::TableLike,
    key: &str,
    rest: &[Segment],
    value: &toml_edit::Value,
) -> Result<(), String> {
    if rest.is_empty() {
        table.insert(key, toml_edit::Item::Value(value.clone()));
        return Ok(());
    }
    if table.get(key).is_none() {
        if matches!(rest[0], Segment::Index(_)) {
            return Err(format!("`{key}` does not exist, so it cannot be indexed"));
        }
        table.insert(key, toml_edit::Item::Table(toml_edit::Table::new()));
    }
    set_in_item(table.get_mut(key).expect("present"), rest, value)
}

fn set_in_value(
    target: &mut toml_edit::Value,
    path: &[Segment],
    value: &toml_edit::Value,
) -> Result<(), String> {
    let slot = match &path[0] {
        Segment::Index(i) => {
            let array = target
                .as_array_mut()
                .ok_or_else(|| format!("cannot index [{i}]: not an array"))?;
            let len = array.len();
            array
                .get_mut(*i)
                .ok_or_else(|| format!("index {i} is out of range (length {len})"))?
        }
        Segment::Key(k) => {
            let table = target
                .as_inline_table_mut()
                .ok_or_else(|| format!("cannot set `{k}`: its parent is not a table"))?;
            if path.len() == 1 {
                table.insert(k, value.clone());
                return Ok(());
            }
            table
                .get_mut(k)
                .ok_or_else(|| format!("`{k}` does not exist"))?
        }
    };
    if path.len() == 1 {
        // Keep the old value's surrounding whitespace.
        let decor = slot.decor().clone();
        *slot = value.clone();
        *slot.decor_mut() = decor;
        Ok(())
    } else {
        set_in_value(slot, &path[1..], value)
    }
}

/// Parse a source as an editable document (layout kept).
pub(crate) fn document(source: &Source) -> Result<toml_edit::DocumentMut, ConfigErrors> {
    source.text.parse().map_err(|e: toml_edit::TomlError| {
        ConfigErrors::one(source.error(e.span(), "", e.message().to_string()))
    })
}

/// A `--set` value: taken as TOML if it parses as such (`30`, `0.02`,
/// `"gbm"`, `[1, 2]`, `{ spot = "lam_usd" }`), else as a string (`gbm`,
/// `28%`).
pub fn override_value(text: &str) -> toml_edit::Value {
    text.parse()
        .unwrap_or_else(|_| toml_edit::Value::from(text))
}

/// Set `key` (dotted, may index arrays: `splits.action.legs[2].share`) to
/// `value` in `doc`; missing tables are created. Errors say why in words.
pub fn set_key(
    doc: &mut toml_edit::DocumentMut,
    key: &str,
    value: &toml_edit::Value,
) -> Result<(), String> {
    segments(key).and_then(|path| set_in_item(doc.as_item_mut(), &path, value))
}

/// Apply `key=value` overrides to TOML text, keeping its layout (and so its
/// line numbers) for everything untouched. A key is dotted and may index
/// arrays: `splits.action.legs[2].share`. Values are read by
/// [`override_value`].
pub fn apply_overrides(
    source: &mut Source,
    overrides: &[(String, String)],
) -> Result<(), ConfigErrors> {
    if overrides.is_empty() {
        return Ok(());
    }
    let mut doc = document(source)?;
    for (key, value) in overrides {
        set_key(&mut doc, key, &override_value(value)).map_err(|why| {
            ConfigErrors::one(source.error(None, key, format!("--set {key}={value}: {why}")))
        })?;
    }
    source.text = doc.to_string();
    source.overrides.extend(overrides.iter().cloned());
    Ok(())
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

    fn set(text: &str, key: &str, value: &str) -> Result<String, String> {
        let mut source = Source::from_text("t.toml", text);
        apply_overrides(&mut source, &[(key.into(), value.into())])
            .map(|()| source.text)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn overrides_reach_tables_arrays_and_inline_tables() {
        let text = "a = 1\n[t]\nlegs = [\n  { name = \"x\", share = \"1%\" },\n  { name = \"y\", share = \"2%\" },\n]\n";
        let out = set(text, "t.legs[1].share", "5%").unwrap();
        assert!(out.contains("{ name = \"y\", share = \"5%\" }"), "{out}");
        assert_eq!(out.lines().count(), text.lines().count(), "layout kept");
        assert!(set(text, "a", "2").unwrap().starts_with("a = 2\n"));
        let out = set(text, "new.deep.key", "gbm").unwrap();
        assert!(out.contains("[new.deep]\nkey = \"gbm\""), "{out}");
        let out = set("xs = [1, 2, 3]\n", "xs[2]", "9").unwrap();
        assert_eq!(out, "xs = [1, 2, 9]\n");
        let out = set("[[p]]\nn = 1\n[[p]]\nn = 2\n", "p[1].n", "7").unwrap();
        assert!(out.ends_with("n = 7\n"), "{out}");
    }

    #[test]
    fn bad_override_keys_say_why() {
        let text = "[t]\nlegs = [{ name = \"x\" }]\n";
        let e = set(text, "t.legs[3].name", "z").unwrap_err();
        assert!(e.contains("index 3 is out of range (length 1)"), "{e}");
        let e = set(text, "t.legs[x]", "z").unwrap_err();
        assert!(e.contains("`x` is not an array index"), "{e}");
        let e = set(text, "t.nothing[0]", "z").unwrap_err();
        assert!(e.contains("does not exist"), "{e}");
        let e = set(text, "t.legs[0", "z").unwrap_err();
        assert!(e.contains("unclosed"), "{e}");
    }
}
