//! The secrets vault behind `dark8 secret`: every operation is audited by name, never by value,
//! and every value seen is registered with the shared redactor.

use dark8_protocol::{SecretNames, ToolStatus};
use dark8_store::NewAuditEntry;
use dark8_tools::redact::FingerprintKey;
use dark8_tools::vault::{
    machine_key, opens_unattended, FingerprintBook, Vault, VaultError, VaultFiles,
};
use serde_json::json;
use zeroize::Zeroizing;

use crate::error::CoreError;
use crate::service::Dark8;

pub use dark8_tools::vault::PASSPHRASE_VAR;

/// Asks for the file vault's passphrase when the variable is not set (the CLI prompts on the
/// terminal; `None` = nobody to ask).
pub type PassphrasePrompt<'a> = &'a (dyn Fn() -> Option<Zeroizing<String>> + Sync);

/// A prompt that answers with `passphrase` (what a front end sent with one request; an empty
/// one counts as none).
pub fn given_passphrase(
    passphrase: Option<String>,
) -> impl Fn() -> Option<Zeroizing<String>> + Sync {
    let passphrase = passphrase.filter(|p| !p.is_empty()).map(Zeroizing::new);
    move || passphrase.clone()
}

/// The vault's files under `paths` (data directory, DARK8's own keys beside it).
pub fn vault_files(paths: &crate::Paths) -> VaultFiles {
    VaultFiles::new(&paths.data_dir, &paths.keys_dir())
}

impl Dark8 {
    /// The vault's files.
    pub fn vault_files(&self) -> VaultFiles {
        vault_files(self.paths())
    }

    /// Opens the vault: the passphrase comes from `DARK8_VAULT_PASSPHRASE`, else `prompt`;
    /// its fingerprint book is kept in step with it.
    pub fn open_vault(&self, prompt: PassphrasePrompt<'_>) -> Result<Vault, CoreError> {
        let from_env = std::env::var(PASSPHRASE_VAR).ok().map(Zeroizing::new);
        Ok(Vault::open_with(
            &self.config().vault,
            &self.vault_files(),
            || from_env.or_else(prompt),
            self.redactor().clone(),
            Some(self.fingerprint_book()?),
        )?)
    }

    /// The secrets' fingerprint book under DARK8's `fingerprints` key (no passphrase).
    pub fn fingerprint_book(&self) -> Result<FingerprintBook, VaultError> {
        let key = machine_key("fingerprints", self.secret_home(), &self.paths().keys_dir())?;
        FingerprintBook::load(&self.vault_files().fingerprints, FingerprintKey::new(key))
    }

    /// Hides the vault's secrets in everything this process writes: their fingerprints
    /// always (no passphrase needed, so a locked vault's values are hidden too), and their
    /// values when the vault opens without anyone typing a passphrase.
    pub fn preload_secrets(&self) {
        match self.fingerprint_book() {
            Ok(book) => book.register(self.redactor()),
            Err(err) => tracing::warn!("secret fingerprints not loaded: {err}"),
        }
        let unattended = opens_unattended(
            &self.config().vault,
            &self.vault_files(),
            self.secret_home(),
        );
        if unattended {
            if let Err(err) = self.open_vault(&|| None) {
                tracing::warn!("vault not loaded for redaction: {err}");
            }
        }
    }

    /// Stores a secret; audited as `secret_set` with its name only.
    pub async fn secret_set(
        &self,
        name: &str,
        value: &str,
        prompt: PassphrasePrompt<'_>,
    ) -> Result<(), CoreError> {
        let result = self.open_vault(prompt).and_then(|mut vault| {
            vault.set(name, value)?;
            Ok(())
        });
        self.audit_secret("secret_set", name, &result).await;
        result
    }

    /// Reads a secret; audited as `secret_get` with its name only.
    pub async fn secret_get(
        &self,
        name: &str,
        prompt: PassphrasePrompt<'_>,
    ) -> Result<Zeroizing<String>, CoreError> {
        let result = self
            .open_vault(prompt)
            .and_then(|vault| Ok(vault.get(name)?));
        self.audit_secret("secret_get", name, &result).await;
        result
    }

    /// Removes a secret; audited as `secret_rm` with its name only.
    pub async fn secret_remove(
        &self,
        name: &str,
        prompt: PassphrasePrompt<'_>,
    ) -> Result<(), CoreError> {
        let result = self.open_vault(prompt).and_then(|mut vault| {
            vault.remove(name)?;
            Ok(())
        });
        self.audit_secret("secret_rm", name, &result).await;
        result
    }

    /// The names of every secret, and the backend in use.
    pub fn secret_names(&self, prompt: PassphrasePrompt<'_>) -> Result<SecretNames, CoreError> {
        let vault = self.open_vault(prompt)?;
        Ok(SecretNames {
            names: vault.names(),
            backend: vault.backend_name().to_owned(),
        })
    }

    async fn audit_secret<T>(&self, action: &str, name: &str, result: &Result<T, CoreError>) {
        let (status, summary) = match result {
            Ok(_) => (ToolStatus::Success, format!("sekret „{name}”")),
            Err(CoreError::Vault(VaultError::WrongKey | VaultError::NoPassphrase)) => (
                ToolStatus::Denied,
                "sejf nie otworzył się (hasło)".to_owned(),
            ),
            Err(err) => (ToolStatus::Error, self.redactor().text(&err.to_string())),
        };
        let entry = NewAuditEntry::new(action.to_owned(), json!({ "name": name }), summary, status);
        if let Err(err) = self.store().audit().append(&entry).await {
            tracing::error!("audit log write failed: {err}");
        }
    }
}
