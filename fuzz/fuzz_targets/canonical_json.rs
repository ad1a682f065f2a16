//! Canonical JSON of any JSON document: reads back as the same value and is its own
//! canonical form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let text = dark8_store::canonical_json(&value);
    let back: Value = serde_json::from_str(&text).expect("canonical JSON parses");
    assert_eq!(back, value);
    assert_eq!(dark8_store::canonical_json(&back), text);
});
