//! The API token: 32 random bytes, hex-encoded, in a 0600 file `api-token` in the data dir;
//! created once, compared in constant time.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};

use subtle::ConstantTimeEq;

use crate::error::ServerError;

/// File name of the token in the data directory.
pub const TOKEN_FILE: &str = "api-token";

/// The bearer token every API request must carry. Clones share it: a rotation is in force
/// for every clone (every route of the server) at once.
#[derive(Clone)]
pub struct ApiToken {
    secret: Arc<RwLock<String>>,
    /// The file it is kept in, when it came from one.
    path: Option<PathBuf>,
}

impl std::fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiToken(…)")
    }
}

/// 32 random bytes, hex-encoded.
fn fresh_secret(path: &Path) -> Result<String, ServerError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ServerError::Token {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    Ok(hex::encode(bytes))
}

impl ApiToken {
    /// The token stored in `data_dir`, created there (mode 0600, written atomically) when
    /// missing or unreadable as a token.
    pub fn load_or_create(data_dir: &Path) -> Result<ApiToken, ServerError> {
        let path = data_dir.join(TOKEN_FILE);
        if let Ok(text) = std::fs::read_to_string(&path) {
            let secret = text.trim();
            if secret.len() == 64 && secret.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Ok(ApiToken {
                    secret: Arc::new(RwLock::new(secret.to_owned())),
                    path: Some(path),
                });
            }
        }
        let secret = fresh_secret(&path)?;
        write_private(&path, &secret).map_err(|e| ServerError::Token {
            path: path.clone(),
            detail: e.to_string(),
        })?;
        Ok(ApiToken {
            secret: Arc::new(RwLock::new(secret)),
            path: Some(path),
        })
    }

    /// A token with a known value (tests, a token handed over by the desktop shell).
    pub fn from_secret(secret: &str) -> ApiToken {
        ApiToken {
            secret: Arc::new(RwLock::new(secret.to_owned())),
            path: None,
        }
    }

    /// The token's text, for the one place that shows it to the user.
    pub fn reveal(&self) -> String {
        self.secret
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The file the token is kept in, when it came from one.
    pub fn file(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Replaces the token with a new random one, written to its file first (so a failed
    /// write changes nothing); the old one is refused from now on. The new token's text.
    pub fn rotate(&self) -> Result<String, ServerError> {
        let path = self
            .path
            .clone()
            .unwrap_or_else(|| PathBuf::from(TOKEN_FILE));
        let secret = fresh_secret(&path)?;
        if let Some(file) = &self.path {
            write_private(file, &secret).map_err(|e| ServerError::Token {
                path: file.clone(),
                detail: e.to_string(),
            })?;
        }
        *self.secret.write().unwrap_or_else(PoisonError::into_inner) = secret.clone();
        Ok(secret)
    }

    /// Whether `candidate` is the token, in time independent of where they differ.
    pub fn matches(&self, candidate: &str) -> bool {
        let secret = self.secret.read().unwrap_or_else(PoisonError::into_inner);
        bool::from(secret.as_bytes().ct_eq(candidate.as_bytes()))
    }
}

/// Writes `text` to `path` readable by its owner only, through a temporary file renamed
/// into place.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    std::fs::create_dir_all(&dir)?;
    let tmp = dir.join(format!(".{TOKEN_FILE}.{}.tmp", std::process::id()));
    {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let _ = std::fs::remove_file(&tmp);
        let mut file = options.open(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_created_once_private_and_compared_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let token = ApiToken::load_or_create(dir.path()).unwrap();
        assert_eq!(token.reveal().len(), 64);
        let again = ApiToken::load_or_create(dir.path()).unwrap();
        assert_eq!(token.reveal(), again.reveal());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(TOKEN_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(token.matches(&token.reveal()));
        assert!(!token.matches(&token.reveal()[..63]));
        assert!(!token.matches(""));
        assert!(!token.matches(&"0".repeat(64)));
    }

    #[test]
    fn a_rotated_token_replaces_the_old_one_in_every_clone_and_in_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let token = ApiToken::load_or_create(dir.path()).unwrap();
        let clone = token.clone();
        let old = token.reveal();
        let new = token.rotate().unwrap();
        assert_ne!(old, new);
        assert_eq!(new.len(), 64);
        assert!(!clone.matches(&old));
        assert!(clone.matches(&new));
        let stored = std::fs::read_to_string(dir.path().join(TOKEN_FILE)).unwrap();
        assert_eq!(stored.trim(), new);
        assert_eq!(ApiToken::load_or_create(dir.path()).unwrap().reveal(), new);
    }
}
