//! Keyed fingerprints of secret values: the redactor finds a secret in text without holding
//! its plaintext, so a locked vault still hides what a program prints.
//!
//! A fingerprint is the value's byte length, a 32-bit tag of a polynomial rolling hash over
//! its bytes (base derived from the key, modulo 2^61 − 1: a keyed universal hash, the cheap
//! prefilter that slides over the text in O(n) per length) and HMAC-SHA256 under the key of
//! the value (the confirmation). Without the key neither says anything testable about the
//! value; with the key a guess can be checked, which is why short or predictable values are
//! refused as secrets ([`weak_secret`]).

use std::collections::BTreeMap;
use std::ops::Range;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

/// 2^61 − 1, a Mersenne prime: the rolling hash's modulus.
const MODULUS: u64 = (1 << 61) - 1;

/// The fingerprint of one secret value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// The value's length in bytes.
    pub len: usize,
    /// 32 bits of the keyed rolling hash of the value.
    pub tag: u32,
    /// HMAC-SHA256 of the value under the key, hex.
    pub mac: String,
}

/// The key fingerprints are made and matched with (DARK8's `fingerprints` machine key).
#[derive(Clone)]
pub struct FingerprintKey {
    key: Zeroizing<[u8; 32]>,
    base: u64,
}

impl std::fmt::Debug for FingerprintKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FingerprintKey(..)")
    }
}

impl FingerprintKey {
    /// The key with these bytes; the rolling hash's base is derived from it.
    pub fn new(key: Zeroizing<[u8; 32]>) -> FingerprintKey {
        let derived = mac_bytes(key.as_slice(), b"dark8-rolling-base");
        let mut eight = [0u8; 8];
        eight.copy_from_slice(&derived[..8]);
        // In [2, MODULUS − 1]: never 0 or 1, which would make the hash trivial.
        let base = u64::from_le_bytes(eight) % (MODULUS - 3) + 2;
        FingerprintKey { key, base }
    }

    /// The fingerprint of `value`.
    pub fn fingerprint(&self, value: &str) -> Fingerprint {
        let bytes = value.as_bytes();
        Fingerprint {
            len: bytes.len(),
            tag: tag(self.rolling(bytes)),
            mac: hex::encode(self.mac(bytes)),
        }
    }

    fn mac(&self, bytes: &[u8]) -> [u8; 32] {
        let mut tagged = Vec::with_capacity(bytes.len() + 1);
        tagged.push(b'v');
        tagged.extend_from_slice(bytes);
        mac_bytes(self.key.as_slice(), &tagged)
    }

    fn rolling(&self, bytes: &[u8]) -> u64 {
        bytes
            .iter()
            .fold(0, |h, &b| add(mul(h, self.base), u64::from(b)))
    }
}

fn mac_bytes(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    // HMAC takes keys of any length: this cannot fail.
    if let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) {
        mac.update(data);
        out.copy_from_slice(&mac.finalize().into_bytes());
    }
    out
}

fn mul(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    let low = (product & u128::from(MODULUS)) as u64;
    let high = (product >> 61) as u64;
    add(low, high)
}

/// `a + b` modulo [`MODULUS`], both below it.
fn add(a: u64, b: u64) -> u64 {
    let sum = a + b;
    if sum >= MODULUS {
        sum - MODULUS
    } else {
        sum
    }
}

fn sub(a: u64, b: u64) -> u64 {
    if a >= b {
        a - b
    } else {
        a + MODULUS - b
    }
}

fn tag(hash: u64) -> u32 {
    (hash ^ (hash >> 32)) as u32
}

/// Fingerprints to look for, grouped by length, with the key that made them.
#[derive(Debug, Clone)]
pub struct FingerprintSet {
    key: FingerprintKey,
    by_len: BTreeMap<usize, Vec<Fingerprint>>,
}

impl FingerprintSet {
    /// An empty set under `key`.
    pub fn new(key: FingerprintKey) -> FingerprintSet {
        FingerprintSet {
            key,
            by_len: BTreeMap::new(),
        }
    }

    /// Adds `fingerprint` (once).
    pub fn add(&mut self, fingerprint: Fingerprint) {
        let same = self.by_len.entry(fingerprint.len).or_default();
        if !same.contains(&fingerprint) {
            same.push(fingerprint);
        }
    }

    /// How many fingerprints it holds.
    pub fn len(&self) -> usize {
        self.by_len.values().map(Vec::len).sum()
    }

    /// True when it holds none.
    pub fn is_empty(&self) -> bool {
        self.by_len.is_empty()
    }

    /// The byte ranges of `text` that are one of the secrets, longest first where they
    /// overlap; each range starts and ends on a character boundary (it equals a whole
    /// UTF-8 string).
    pub fn find(&self, text: &str) -> Vec<Range<usize>> {
        let bytes = text.as_bytes();
        let mut found: Vec<Range<usize>> = Vec::new();
        for (&len, prints) in self.by_len.iter().rev() {
            if len == 0 || len > bytes.len() {
                continue;
            }
            let tags: Vec<u32> = prints.iter().map(|p| p.tag).collect();
            // What each byte value weighs as it leaves the window (byte × base^(len-1)),
            // so a step costs one multiplication instead of two.
            let top = (1..len).fold(1, |p, _| mul(p, self.key.base));
            let leaving: Vec<u64> = (0..=255u64).map(|byte| mul(byte, top)).collect();
            let mut hash = self.key.rolling(&bytes[..len]);
            let mut start = 0;
            loop {
                let window = start..start + len;
                if tags.contains(&tag(hash))
                    && !found
                        .iter()
                        .any(|f| f.start < window.end && window.start < f.end)
                {
                    let mac = hex::encode(self.key.mac(&bytes[window.clone()]));
                    if prints.iter().any(|p| p.mac == mac) {
                        found.push(window.clone());
                    }
                }
                let Some(&next) = bytes.get(start + len) else {
                    break;
                };
                hash = add(
                    mul(sub(hash, leaving[usize::from(bytes[start])]), self.key.base),
                    u64::from(next),
                );
                start += 1;
            }
        }
        found.sort_by_key(|r| r.start);
        found
    }
}

/// Why `value` should not be kept as a secret: fewer than 8 characters, or under 32 bits of
/// estimated entropy (a PIN, a word, a repeated character) — its fingerprint could be
/// checked against every guess. `None` when it is fit.
pub fn weak_secret(value: &str) -> Option<&'static str> {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() < 8 {
        return Some("ma mniej niż 8 znaków");
    }
    if entropy_bits(&chars) < 32.0 {
        return Some("jest zbyt przewidywalny (np. PIN, słowo albo powtórzone znaki)");
    }
    None
}

/// The smaller of two estimates: length × log2(the character classes used) and length × the
/// Shannon entropy of the characters' frequencies.
fn entropy_bits(chars: &[char]) -> f64 {
    let mut classes = 0u32;
    for (test, size) in [
        (char::is_ascii_digit as fn(&char) -> bool, 10),
        (char::is_ascii_lowercase, 26),
        (char::is_ascii_uppercase, 26),
        (char::is_ascii_punctuation, 33),
        (|c: &char| !c.is_ascii(), 100),
    ] {
        if chars.iter().any(test) {
            classes += size;
        }
    }
    let len = chars.len() as f64;
    let by_classes = len * f64::from(classes.max(1)).log2();
    let mut counts: BTreeMap<char, usize> = BTreeMap::new();
    for c in chars {
        *counts.entry(*c).or_default() += 1;
    }
    let shannon: f64 = counts
        .values()
        .map(|&n| {
            let p = n as f64 / len;
            -p * p.log2()
        })
        .sum();
    by_classes.min(shannon * len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> FingerprintKey {
        FingerprintKey::new(Zeroizing::new([byte; 32]))
    }

    #[test]
    fn a_secret_is_found_wherever_it_is_and_nothing_else_is() {
        let key = key(7);
        let mut set = FingerprintSet::new(key.clone());
        set.add(key.fingerprint("kanarek-sejf-5150"));
        set.add(key.fingerprint("zażółć-gęślą-jaźń-42"));
        let text = "start kanarek-sejf-5150 środek zażółć-gęślą-jaźń-42kanarek-sejf-5150";
        let found: Vec<&str> = set.find(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            found,
            [
                "kanarek-sejf-5150",
                "zażółć-gęślą-jaźń-42",
                "kanarek-sejf-5150"
            ]
        );
        assert!(set.find("kanarek-sejf-5151 i kanarek-sejf-515").is_empty());
        assert!(set.find("").is_empty());
        // Another key makes other fingerprints: they match nothing here.
        let other = key_other();
        assert_ne!(
            other.fingerprint("kanarek-sejf-5150"),
            key.fingerprint("kanarek-sejf-5150")
        );
    }

    fn key_other() -> FingerprintKey {
        key(8)
    }

    #[test]
    fn weak_values_are_named() {
        for weak in [
            "1234",
            "12345678",
            "password",
            "aaaaaaaaaaaaaaaaaaaa",
            "haslo123",
        ] {
            assert!(weak_secret(weak).is_some(), "{weak}");
        }
        for fit in [
            "kanarek-sejf-5150",
            "ghp_3f9aB71kQz0xYw",
            "postgres-Hasło-2026!",
        ] {
            assert_eq!(weak_secret(fit), None, "{fit}");
        }
    }
}
