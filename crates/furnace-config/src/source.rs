//! A config file's text, where it came from, and errors that point into it:
//! at a line of the file, or at the `--set` that wrote the value.

use std::fmt;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The largest config file read: 8 MiB. The bundled files are a few KiB;
/// the bound keeps `furnace check /dev/zero` (or a log passed by mistake)
/// from filling memory.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Spans from this offset on stand for no place in the text but for an
/// override: `SET_SPAN_BASE + i` is `overrides[i]` (see [`Source::set_span`]).
/// Text is at most [`MAX_FILE_BYTES`] long, far below.
const SET_SPAN_BASE: usize = usize::MAX / 2;

/// A TOML document and its origin, with the `--set` overrides to apply to it.
#[derive(Clone, Debug)]
pub struct Source {
    pub path: PathBuf,
    /// The file as read. Overrides are applied to its parsed tree, never to
    /// the text, so every line keeps its number.
    pub text: String,
    /// `key=value` overrides, in the order they apply (a later one wins).
    pub overrides: Vec<(String, String)>,
}

impl Source {
    /// Read a config file: at most [`MAX_FILE_BYTES`], UTF-8.
    pub fn read(path: &Path) -> Result<Source, ConfigErrors> {
        let fail = |message: String| {
            ConfigErrors::one(ConfigError {
                file: path.to_path_buf(),
                line: None,
                column: None,
                key: String::new(),
                set: None,
                message,
                unreadable: false,
            })
        };
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| {
                let mut errors = fail(format!("cannot read the file: {e}"));
                errors.0[0].unreadable = true;
                errors
            })?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            let mib = MAX_FILE_BYTES / (1024 * 1024);
            return Err(fail(format!(
                "is larger than {mib} MiB; config files are small: is this the right file?"
            )));
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let valid = std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or_default();
            ConfigErrors::one(Source::from_text(path, valid).error(
                Some(at..at),
                "",
                format!(
                    "byte {} is not UTF-8 text: config files are TOML, written in UTF-8",
                    at + 1
                ),
            ))
        })?;
        Ok(Source::from_text(path, text))
    }

    pub fn from_text(path: impl Into<PathBuf>, text: impl Into<String>) -> Source {
        Source {
            path: path.into(),
            text: text.into(),
            overrides: Vec::new(),
        }
    }

    /// The span that stands for `overrides[i]`.
    pub(crate) fn set_span(i: usize) -> Range<usize> {
        SET_SPAN_BASE + i..SET_SPAN_BASE + i + 1
    }

    /// The override a span stands for, if it stands for one.
    pub(crate) fn set_of(&self, span: &Range<usize>) -> Option<String> {
        let i = span.start.checked_sub(SET_SPAN_BASE)?;
        self.overrides.get(i).map(|(k, v)| format!("{k}={v}"))
    }

    /// 1-based (line, column) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rfind('\n').map_or(offset, |nl| offset - nl - 1) + 1;
        (line, column)
    }

    /// An error about `key` at `span`: a place in the text, or an override
    /// (then it names the `--set` instead of a line).
    pub fn error(&self, span: Option<Range<usize>>, key: &str, message: String) -> ConfigError {
        let set = span.as_ref().and_then(|s| self.set_of(s));
        let (line, column) = match span {
            Some(span) if set.is_none() => {
                let (l, c) = self.line_col(span.start);
                (Some(l), Some(c))
            }
            _ => (None, None),
        };
        ConfigError {
            file: self.path.clone(),
            line,
            column,
            key: key.to_string(),
            set,
            message,
            unreadable: false,
        }
    }
}

/// One problem in a config file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The dotted key the problem is about ("splits.action.legs").
    pub key: String,
    /// The override that caused the problem, `KEY=VALUE` as given to
    /// `--set`: the error is then about no line of the file.
    pub set: Option<String>,
    pub message: String,
    /// The file could not be read at all (missing, a directory, no
    /// permission): an I/O failure, not a problem in its content.
    pub unreadable: bool,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.set {
            Some(set) => write!(f, "--set {set}")?,
            None => {
                write!(f, "{}", self.file.display())?;
                if let Some(line) = self.line {
                    write!(f, ":{line}")?;
                    if let Some(col) = self.column {
                        write!(f, ":{col}")?;
                    }
                }
            }
        }
        if !self.key.is_empty() {
            write!(f, ": `{}`", self.key)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found in one pass (a config check reports them all, not
/// just the first), in file order: those about no line (a `--set`, the file
/// as a whole) first, then each file's (a scenario's and its economy's) by
/// line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl ConfigErrors {
    pub fn one(e: ConfigError) -> ConfigErrors {
        ConfigErrors(vec![e])
    }

    /// Errors in file order: those without a line first, then by file,
    /// line and column.
    pub fn sorted(mut errors: Vec<ConfigError>) -> ConfigErrors {
        errors.sort_by(|a, b| {
            (a.line.is_some(), &a.file, a.line, a.column).cmp(&(
                b.line.is_some(),
                &b.file,
                b.line,
                b.column,
            ))
        });
        ConfigErrors(errors)
    }
}

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}
