//! Every shipped scenario's outputs at the fixed seed have the pinned SHA-256 digests.
//!
//! `PINS_UPDATE=1 cargo test -p pins` rewrites `outputs.sha256` with this build's digests (for a
//! commit that changes outputs on purpose, which says why in its message).

#[test]
fn every_shipped_scenarios_outputs_match_their_pinned_sha256() {
    let actual = pins::digests().expect("the shipped scenarios load");
    assert_eq!(
        actual.lines().count(),
        sim_core::data::SCENARIOS.len() * pins::FILES.len(),
        "one digest per scenario and file"
    );
    if std::env::var_os("PINS_UPDATE").is_some() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("outputs.sha256");
        std::fs::write(&path, &actual).expect("writing outputs.sha256");
        return;
    }
    if let Err(e) = pins::compare(pins::PINNED, &actual) {
        panic!(
            "outputs differ from tests/pins/outputs.sha256:\n{e}\n(if on purpose: PINS_UPDATE=1 cargo test -p pins, and say why in the commit)"
        );
    }
}
