//! The fingerprint book beside the vault (`vault-fingerprints.json`): one keyed fingerprint per
//! secret name, readable with no passphrase, so every process hides the vault's values even
//! while the vault stays locked. It holds no plaintext and no plain hash (see
//! [`crate::redact::Fingerprint`]); the key is DARK8's `fingerprints` machine key.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::VaultError;
use crate::redact::{Fingerprint, FingerprintKey, Redactor};

/// The file's format version.
const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct BookFile {
    version: u32,
    /// The fingerprint of a fixed text: tells whether the book was made with this key.
    key_check: Fingerprint,
    entries: BTreeMap<String, Fingerprint>,
}

/// The fingerprints of the vault's secrets, by name.
#[derive(Debug)]
pub struct FingerprintBook {
    path: PathBuf,
    key: FingerprintKey,
    entries: BTreeMap<String, Fingerprint>,
}

const KEY_CHECK_TEXT: &str = "dark8-fingerprint-key-check";

impl FingerprintBook {
    /// Reads the book at `path` (empty when missing, or when made under another key: it is
    /// rebuilt the next time the vault is opened).
    pub fn load(path: &Path, key: FingerprintKey) -> Result<FingerprintBook, VaultError> {
        let mut book = FingerprintBook {
            path: path.to_path_buf(),
            key,
            entries: BTreeMap::new(),
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(book),
            Err(source) => {
                return Err(VaultError::Io {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        let file: BookFile = serde_json::from_str(&text)
            .map_err(|e| VaultError::Corrupt(format!("odciski sekretów: {e}")))?;
        if file.version == VERSION && file.key_check == book.key.fingerprint(KEY_CHECK_TEXT) {
            book.entries = file.entries;
        } else {
            tracing::warn!(
                "secret fingerprints were made with another key; rebuilt at the next unlock"
            );
        }
        Ok(book)
    }

    /// Hands every fingerprint to `redactor`.
    pub fn register(&self, redactor: &Redactor) {
        redactor.add_fingerprints(&self.key, self.entries.values().cloned());
    }

    /// How many secrets it has fingerprints of.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when it has none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Records `value` under `name`; true when that changed the book.
    pub fn record(&mut self, name: &str, value: &str) -> bool {
        let print = self.key.fingerprint(value);
        self.entries.insert(name.to_owned(), print.clone()) != Some(print)
    }

    /// Forgets `name`; true when it was there.
    pub fn forget(&mut self, name: &str) -> bool {
        self.entries.remove(name).is_some()
    }

    /// Keeps only the names in `names`; true when that changed the book.
    pub fn retain(&mut self, names: &[String]) -> bool {
        let before = self.entries.len();
        self.entries.retain(|name, _| names.contains(name));
        before != self.entries.len()
    }

    /// Writes the book (a new 0600 file renamed over the old one).
    pub fn save(&self) -> Result<(), VaultError> {
        let io = |source: std::io::Error| VaultError::Io {
            path: self.path.clone(),
            source,
        };
        let file = BookFile {
            version: VERSION,
            key_check: self.key.fingerprint(KEY_CHECK_TEXT),
            entries: self.entries.clone(),
        };
        let text = serde_json::to_string_pretty(&file)
            .map_err(|e| VaultError::Corrupt(format!("odciski sekretów: {e}")))?;
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(io)?;
        let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
        temp.write_all(text.as_bytes())
            .and_then(|()| temp.as_file().sync_all())
            .map_err(io)?;
        temp.persist(&self.path).map_err(|e| io(e.error))?;
        Ok(())
    }
}
