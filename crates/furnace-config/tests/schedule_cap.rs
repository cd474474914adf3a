//! Issue 7's bad input "a schedule whose cap is below what was already
//! emitted". A cap can only change where the economy is read (the file,
//! an `[economy_set]`, a `--set`): there is no event that moves a cap on a
//! running state, so the refusal is the located load error, on the cap's
//! line, with the core's words.

mod common;

use common::*;

const AIMAGINE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../economies/aimagine.toml"
));
const FILE: &str = "economies/aimagine.toml";

#[test]
fn a_cap_below_what_was_already_emitted_is_refused_on_its_line() {
    // 1,000 AIMG of cap, 2,000 already emitted (18 decimals).
    let text = AIMAGINE.replace(
        r#"curve = { kind = "geometric", initial = "500_000""#,
        "cap = \"1_000\"\nalready_emitted = \"2_000\"\ncurve = { kind = \"geometric\", initial = \"500_000\"",
    );
    let e = only_error_in(FILE, &text);
    assert_at_in(FILE, &e, at(&text, "\"1_000\""), "emissions.aimg.cap");
    assert!(
        e.message.contains(
            "the cap 1000000000000000000000 is below the 2000000000000000000000 already emitted"
        ),
        "{e}"
    );
    // At the cap exactly: accepted.
    let equal = text.replace("already_emitted = \"2_000\"", "already_emitted = \"1_000\"");
    compiles(FILE, &equal);
}
