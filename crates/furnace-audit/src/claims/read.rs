//! Reading a claims file: TOML with spans, so every problem is reported at
//! its file, line, column and key, all in one pass. Values are read as
//! `toml::Value` with spans and checked by hand (rather than by serde's
//! `deny_unknown_fields`, which stops at the first problem).

use super::{
    parse_claimed_number, parse_tolerance, Check, Claim, Claimed, ClaimsError, ClaimsErrors,
    ClaimsFile, Computed,
};
use crate::expr;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;

/// Read and parse a claims file.
pub fn load(path: &Path) -> Result<ClaimsFile, ClaimsErrors> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        ClaimsErrors(vec![ClaimsError {
            file: shown.clone(),
            line: 0,
            column: 0,
            key: String::new(),
            message: e.to_string(),
        }])
    })?;
    parse(&shown, &text)
}

type Table = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

#[derive(Deserialize)]
struct ClaimsOnly {
    #[serde(default)]
    claims: Vec<Table>,
}

const TOP_KEYS: &[&str] = &["title", "document", "economy", "scenario", "claims"];
const CLAIM_KEYS: &[&str] = &[
    "id",
    "source",
    "text",
    "claimed",
    "computed",
    "check",
    "tolerance",
    "note",
    "why",
];

struct Ctx<'a> {
    path: &'a str,
    text: &'a str,
    line_starts: Vec<usize>,
    errors: Vec<ClaimsError>,
}

impl Ctx<'_> {
    /// 1-based line and column (in characters) of a byte offset.
    fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|s| *s <= offset);
        let start = self.line_starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        (line, column)
    }

    fn error(&mut self, offset: usize, key: &str, message: impl Into<String>) {
        let (line, column) = self.line_col(offset);
        self.errors.push(ClaimsError {
            file: self.path.to_string(),
            line,
            column,
            key: key.to_string(),
            message: message.into(),
        });
    }

    fn string(&mut self, v: &Spanned<toml::Value>, key: &str) -> Option<String> {
        match v.get_ref() {
            toml::Value::String(s) => Some(s.clone()),
            other => {
                self.error(
                    v.span().start,
                    key,
                    format!("expected a string, found {}", other.type_str()),
                );
                None
            }
        }
    }

    /// The exact source text of a TOML number (never through `f64`).
    fn number_text(&self, v: &Spanned<toml::Value>) -> String {
        self.text[v.span()].trim().to_string()
    }
}

/// Parse a claims file's text; `path` is used in messages and to resolve
/// the paths the file names.
pub fn parse(path: &str, text: &str) -> Result<ClaimsFile, ClaimsErrors> {
    let mut cx = Ctx {
        path,
        text,
        line_starts: std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect(),
        errors: Vec::new(),
    };
    let top: Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            cx.error(offset, "", e.message().to_string());
            return Err(ClaimsErrors(cx.errors));
        }
    };
    let mut file = ClaimsFile {
        path: path.to_string(),
        title: String::new(),
        document: None,
        economy: None,
        scenario: None,
        claims: Vec::new(),
    };
    let mut claims_ok = false;
    for (key, value) in &top {
        let k = key.get_ref().as_str();
        match k {
            "title" => file.title = cx.string(value, k).unwrap_or_default(),
            "document" => file.document = cx.string(value, k),
            "economy" => file.economy = cx.string(value, k),
            "scenario" => file.scenario = cx.string(value, k),
            "claims" => match value.get_ref() {
                toml::Value::Array(a) if a.iter().all(toml::Value::is_table) => claims_ok = true,
                _ => cx.error(
                    value.span().start,
                    k,
                    "expected an array of tables: [[claims]]",
                ),
            },
            _ => cx.error(
                key.span().start,
                k,
                format!(
                    "unknown key `{k}` (expected one of: {})",
                    TOP_KEYS.join(", ")
                ),
            ),
        }
    }
    if !top.keys().any(|k| k.get_ref() == "title") {
        cx.error(
            0,
            "title",
            "missing `title`: name the document these claims come from",
        );
    }
    if claims_ok {
        match toml::from_str::<ClaimsOnly>(text) {
            Ok(raw) => {
                // Ids are checked for duplicates even in claims with other
                // problems, so one pass reports everything.
                let mut seen: BTreeMap<String, usize> = BTreeMap::new();
                for (index, table) in raw.claims.iter().enumerate() {
                    let id = table.iter().find(|(k, _)| k.get_ref() == "id");
                    if let Some((_, v)) = id {
                        if let toml::Value::String(id) = v.get_ref() {
                            let (line, _) = cx.line_col(v.span().start);
                            if let Some(first) = seen.insert(id.clone(), line) {
                                cx.error(
                                    v.span().start,
                                    &format!("claims[{index}].id"),
                                    format!("duplicate id `{id}` (first used on line {first})"),
                                );
                            }
                        }
                    }
                    if let Some(claim) = claim(&mut cx, index, table) {
                        file.claims.push(claim);
                    }
                }
            }
            Err(e) => cx.error(
                e.span().map_or(0, |s| s.start),
                "claims",
                e.message().to_string(),
            ),
        }
    }
    if cx.errors.is_empty() {
        Ok(file)
    } else {
        cx.errors.sort_by_key(|e| (e.line, e.column));
        Err(ClaimsErrors(cx.errors))
    }
}

fn claim(cx: &mut Ctx, index: usize, table: &Table) -> Option<Claim> {
    let key = |k: &str| format!("claims[{index}].{k}");
    let start = table.keys().map(|k| k.span().start).min().unwrap_or(0);
    let get = |k: &str| {
        table
            .iter()
            .find(|(key, _)| key.get_ref() == k)
            .map(|(_, v)| v)
    };
    let before = cx.errors.len();
    for k in table.keys() {
        if !CLAIM_KEYS.contains(&k.get_ref().as_str()) {
            cx.error(
                k.span().start,
                &key(k.get_ref()),
                format!(
                    "unknown key `{}` (expected one of: {})",
                    k.get_ref(),
                    CLAIM_KEYS.join(", ")
                ),
            );
        }
    }
    let text_of = |cx: &mut Ctx, k: &str| get(k).and_then(|v| cx.string(v, &key(k)));
    let id = text_of(cx, "id");
    let text = text_of(cx, "text");
    let source = text_of(cx, "source").unwrap_or_default();
    let note = text_of(cx, "note");
    let why = text_of(cx, "why");
    let id_at = get("id").map_or(start, |v| v.span().start);
    for (k, v) in [("id", &id), ("text", &text)] {
        match v {
            None if get(k).is_none() => cx.error(start, &key(k), format!("missing `{k}`")),
            Some(s) if s.trim().is_empty() => cx.error(
                get(k).map_or(start, |v| v.span().start),
                &key(k),
                format!("`{k}` is empty"),
            ),
            _ => {}
        }
    }
    let claimed = get("claimed").and_then(|v| {
        let written = match v.get_ref() {
            toml::Value::Boolean(b) => return Some(Claimed::Bool(*b)),
            toml::Value::String(s) => s.clone(),
            toml::Value::Integer(_) | toml::Value::Float(_) => cx.number_text(v),
            other => {
                cx.error(
                    v.span().start,
                    &key("claimed"),
                    format!(
                        "expected a number or true/false, found {}",
                        other.type_str()
                    ),
                );
                return None;
            }
        };
        match parse_claimed_number(&written) {
            Ok((value, default_tolerance, style)) => Some(Claimed::Number {
                value,
                written,
                default_tolerance,
                style,
            }),
            Err(m) => {
                cx.error(v.span().start, &key("claimed"), m);
                None
            }
        }
    });
    let check = get("check").and_then(|v| match cx.string(v, &key("check"))?.as_str() {
        "model" => Some(Check::Model),
        "arithmetic" => Some(Check::Arithmetic),
        other => {
            cx.error(
                v.span().start,
                &key("check"),
                format!("`{other}`: expected \"model\" or \"arithmetic\""),
            );
            None
        }
    });
    let explicit_tolerance = get("tolerance").and_then(|v| {
        let written = match v.get_ref() {
            toml::Value::String(s) => s.clone(),
            toml::Value::Integer(_) | toml::Value::Float(_) => cx.number_text(v),
            other => {
                cx.error(
                    v.span().start,
                    &key("tolerance"),
                    format!("expected \"0.5\" or \"1%\", found {}", other.type_str()),
                );
                return None;
            }
        };
        parse_tolerance(&written)
            .map_err(|m| cx.error(v.span().start, &key("tolerance"), m))
            .ok()
    });
    let computed = get("computed").and_then(|v| {
        let text = cx.string(v, &key("computed"))?;
        let raw = &cx.text[v.span()];
        // Where the expression's first character is, when the TOML string
        // maps byte for byte onto the expression (no escapes).
        let origin = (!raw.starts_with("\"\"\"") && !raw.starts_with("'''") && !raw.contains('\\'))
            .then_some(v.span().start + 1);
        let at = origin.unwrap_or(v.span().start);
        let (line, column) = cx.line_col(at);
        match expr::parse(&text) {
            Ok(expr) => Some(Computed {
                text,
                expr,
                line,
                column,
            }),
            Err(e) => {
                let offset = origin.map_or(at, |o| o + e.offset);
                cx.error(
                    offset,
                    &key("computed"),
                    format!("{} (in `{text}`)", e.message),
                );
                None
            }
        }
    });
    // Cross-field rules.
    let computed_key = get("computed").map_or(start, |v| v.span().start);
    if get("computed").is_some() {
        if get("claimed").is_none() {
            cx.error(
                computed_key,
                &key("claimed"),
                "a claim with `computed` needs `claimed`: the value the document states",
            );
        }
        if get("check").is_none() {
            cx.error(
                computed_key,
                &key("check"),
                "a claim with `computed` needs `check = \"model\"` or `\"arithmetic\"`",
            );
        }
        if let Some(v) = get("why") {
            cx.error(
                v.span().start,
                &key("why"),
                "`why` explains a claim that cannot be checked; this one has `computed`",
            );
        }
    } else {
        if get("why").is_none() {
            cx.error(
                start,
                &key("why"),
                "a claim without `computed` needs `why`: the reason it cannot be checked",
            );
        }
        if let Some(v) = get("check") {
            cx.error(
                v.span().start,
                &key("check"),
                "`check` without `computed`: nothing to check",
            );
        }
    }
    if let (Some(v), Some(Claimed::Bool(_))) = (get("tolerance"), &claimed) {
        cx.error(
            v.span().start,
            &key("tolerance"),
            "a true/false claim is compared exactly: remove `tolerance`",
        );
    }
    if let (Some(Check::Arithmetic), Some(c)) = (check, &computed) {
        if expr::uses_series(&c.expr) {
            cx.error(computed_key, &key("computed"), "an arithmetic check uses only literals and engine functions, not series: use check = \"model\"");
        }
    }
    if cx.errors.len() > before {
        return None;
    }
    Some(Claim {
        index,
        id: id?,
        source,
        text: text?,
        claimed,
        computed,
        check,
        explicit_tolerance,
        note,
        why,
        line: cx.line_col(id_at).0,
        column: cx.line_col(id_at).1,
    })
}
