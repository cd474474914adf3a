//! Where each key of an economy file is written: the core's validation
//! speaks in keys (`buybacks.subscription_revenue.venues[0].market`), the
//! user wants a line.
//!
//! Compilation records the span of every value it reads under the key the
//! core would spell for it (the helpers of `names.rs` do it as they resolve
//! a name or convert a number), so the map covers every key the file
//! writes. A key the file leaves to its default (`period_days`, a buyback's
//! `pay`) has no span of its own: [`Spans::locate`] falls back to the
//! nearest enclosing key that has one (`plans.agent`), and finally to the
//! file's `name`.

use std::collections::HashMap;
use std::ops::Range;

#[derive(Clone, Debug, Default)]
pub(crate) struct Spans {
    exact: HashMap<String, Range<usize>>,
}

impl Spans {
    /// Record where `key`'s value is written. Defaults (empty spans) are
    /// not recorded, so their errors fall back to the enclosing key.
    pub fn record(&mut self, key: &str, span: Range<usize>) {
        if !span.is_empty() {
            self.exact.entry(key.to_string()).or_insert(span);
        }
    }

    /// The span recorded for exactly `key`.
    pub fn get(&self, key: &str) -> Option<Range<usize>> {
        self.exact.get(key).cloned()
    }

    /// The span of `key`, else of its nearest enclosing key, else of `name`.
    pub fn locate(&self, key: &str) -> Option<Range<usize>> {
        let mut current = key;
        loop {
            if let Some(span) = self.get(current) {
                return Some(span);
            }
            match parent(current) {
                Some(p) => current = p,
                None => return self.get("name"),
            }
        }
    }
}

/// `a.b[2]` -> `a.b`, `a.b.c` -> `a.b`, `a` -> None.
pub(crate) fn parent(key: &str) -> Option<&str> {
    if key.ends_with(']') {
        if let Some(open) = key.rfind('[') {
            return Some(&key[..open]);
        }
    }
    key.rfind('.').map(|dot| &key[..dot])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_strip_one_segment() {
        assert_eq!(parent("a.b[2]"), Some("a.b"));
        assert_eq!(parent("a.b[2].c"), Some("a.b[2]"));
        assert_eq!(parent("a.b"), Some("a"));
        assert_eq!(parent("a"), None);
    }

    #[test]
    fn locate_falls_back_to_the_enclosing_key_then_the_name() {
        let mut s = Spans::default();
        s.record("name", 0..4);
        s.record("plans.agent", 10..15);
        s.record("plans.agent.price_usd", 20..26);
        s.record("plans.default", 0..0);
        assert_eq!(s.locate("plans.agent.price_usd"), Some(20..26));
        assert_eq!(s.locate("plans.agent.period_days"), Some(10..15));
        assert_eq!(s.locate("plans.default"), Some(0..4));
        assert_eq!(s.locate("oracles"), Some(0..4));
    }
}
