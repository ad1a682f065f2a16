//! Canonical encodings: JSON with sorted keys, and the audit row encoding that is hashed.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The previous hash of the first audit row.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Domain separator of version 1 of the audit row encoding.
const AUDIT_ENCODING_V1: &[u8] = b"dark8-audit-v1";
/// Version tag of the keyed (HMAC) encoding.
const AUDIT_ENCODING_KEYED_V1: &[u8] = b"dark8-audit-hmac-v1";

/// Serializes `value` with object keys sorted, whatever serde_json's map order is.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// The stored fields of an audit row that its hash covers.
#[derive(Clone, Copy)]
pub struct AuditRowFields<'a> {
    /// Hash of the previous row, or [`GENESIS_HASH`].
    pub prev_hash: &'a str,
    /// Stored timestamp.
    pub timestamp: &'a str,
    /// Stored action.
    pub action: &'a str,
    /// Stored canonical JSON parameters.
    pub parameters: &'a str,
    /// Stored result summary.
    pub result: &'a str,
    /// Stored status.
    pub status: &'a str,
}

/// SHA-256 (hex) over the length-prefixed encoding of the row's fields.
///
/// Each field is written as its byte length (u64, big-endian) followed by its UTF-8 bytes, so
/// no two different rows share an encoding.
pub fn audit_row_hash(fields: &AuditRowFields<'_>) -> String {
    let mut hasher = Sha256::new();
    for part in encoding(AUDIT_ENCODING_V1, fields) {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hex::encode(hasher.finalize())
}

/// The prefix of a keyed row's hash: `k1:` and 64 hex digits of HMAC-SHA256.
pub const KEYED_PREFIX: &str = "k1:";

/// `k1:` + HMAC-SHA256 (hex) under `key` over the same length-prefixed encoding (with its own
/// version tag), so only a holder of the key can compute a row's link.
pub fn audit_row_hmac(key: &[u8], fields: &AuditRowFields<'_>) -> String {
    use hmac::Mac;
    // HMAC takes a key of any length; this cannot fail.
    let Ok(mut mac) = hmac::Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    for part in encoding(AUDIT_ENCODING_KEYED_V1, fields) {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part);
    }
    format!("{KEYED_PREFIX}{}", hex::encode(mac.finalize().into_bytes()))
}

fn encoding<'a>(tag: &'a [u8], fields: &AuditRowFields<'a>) -> [&'a [u8]; 7] {
    [
        tag,
        fields.prev_hash.as_bytes(),
        fields.timestamp.as_bytes(),
        fields.action.as_bytes(),
        fields.parameters.as_bytes(),
        fields.result.as_bytes(),
        fields.status.as_bytes(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_at_every_depth() {
        let value: Value =
            serde_json::from_str(r#"{"b":1,"a":{"z":[{"y":2,"x":"ą"}],"c":null}}"#).unwrap();
        assert_eq!(
            canonical_json(&value),
            r#"{"a":{"c":null,"z":[{"x":"ą","y":2}]},"b":1}"#
        );
    }

    #[test]
    fn field_boundaries_matter() {
        let a = AuditRowFields {
            prev_hash: GENESIS_HASH,
            timestamp: "t",
            action: "ab",
            parameters: "{}",
            result: "c",
            status: "success",
        };
        let b = AuditRowFields {
            action: "a",
            result: "bc",
            ..a
        };
        assert_ne!(audit_row_hash(&a), audit_row_hash(&b));
        assert_eq!(audit_row_hash(&a).len(), 64);
    }

    fn json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::btree_map(any::<String>(), inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]

        /// Canonical JSON reads back as the same value, is its own canonical form, and does
        /// not depend on the order keys were inserted in.
        #[test]
        fn canonical_json_round_trips_and_is_stable(value in json()) {
            let text = canonical_json(&value);
            let back: Value = serde_json::from_str(&text).unwrap();
            proptest::prop_assert_eq!(&back, &value);
            proptest::prop_assert_eq!(canonical_json(&back), text.clone());
            if let Value::Object(map) = &value {
                let reversed: serde_json::Map<String, Value> =
                    map.iter().rev().map(|(k, v)| (k.clone(), v.clone())).collect();
                proptest::prop_assert_eq!(canonical_json(&Value::Object(reversed)), text);
            }
        }
    }
}
