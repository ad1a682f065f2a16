//! `dark8 doctor`'s line about the secrets vault: where secrets live and why, and whether that
//! place answers now — the desktop's Secret Service on Linux (asked without a prompt or a
//! write), a round trip through the OS keychain elsewhere.

use dark8_protocol::DoctorCheck;
use dark8_tools::vault::{
    choose_backend, file_key_source, probe_desktop_keychain, ChoiceReason, FileKeySource,
    SecretHome, VaultConfig, VaultFiles, PROBE_TIMEOUT,
};

use super::Checker;

const LABEL: (&str, &str) = ("Sejf na sekrety", "Secret store");

/// What the vault looks like on this machine.
struct VaultState {
    home: SecretHome,
    why: ChoiceReason,
    /// Where the file vault's key comes from (the file vault only).
    file_key: Option<FileKeySource>,
    /// The keychain: a description, and whether it answers now.
    keychain: (String, bool),
}

/// The vault's line of the report.
pub(super) async fn check_vault(
    checker: &Checker,
    config: &VaultConfig,
    files: VaultFiles,
) -> DoctorCheck {
    let config = config.clone();
    let polish = checker.language == crate::language::Language::Pl;
    let state = tokio::task::spawn_blocking(move || inspect(&config, &files, polish)).await;
    let state = match state {
        Ok(state) => state,
        Err(err) => {
            return checker.missing(
                "keyring",
                LABEL,
                err.to_string(),
                (
                    "Uruchom `dark8 doctor` ponownie.",
                    "Run `dark8 doctor` again.",
                ),
                false,
            )
        }
    };
    let detail = describe(checker, &state);
    let keychain_needed =
        state.home == SecretHome::Keychain || state.file_key == Some(FileKeySource::Keychain);
    if keychain_needed && !state.keychain.1 {
        return checker.missing(
            "keyring",
            LABEL,
            detail,
            (
                "Sekrety są w pęku kluczy, który teraz nie odpowiada: odblokuj go (zaloguj się do pulpitu, GNOME Keyring / KWallet) albo ustaw `[vault] backend = \"file\"`.",
                "Secrets are in a keychain that does not answer now: unlock it (log in to the desktop, GNOME Keyring / KWallet) or set `[vault] backend = \"file\"`.",
            ),
            false,
        );
    }
    checker.ok("keyring", LABEL, detail, false)
}

fn inspect(config: &VaultConfig, files: &VaultFiles, polish: bool) -> VaultState {
    let choice = choose_backend(config.backend, files);
    let file_key = (choice.home == SecretHome::File)
        .then(|| file_key_source(config.file_key, &files.file).ok())
        .flatten();
    let keychain = match &choice.why {
        ChoiceReason::DesktopKeychain(desktop) => (desktop.describe(polish), desktop.is_ready()),
        _ => platform_keychain(polish),
    };
    VaultState {
        home: choice.home,
        why: choice.why,
        file_key,
        keychain,
    }
}

#[cfg(target_os = "linux")]
fn platform_keychain(polish: bool) -> (String, bool) {
    let desktop = probe_desktop_keychain(PROBE_TIMEOUT);
    (desktop.describe(polish), desktop.is_ready())
}

/// Windows Credential Manager and the macOS Keychain have no "locked" state to ask about:
/// a probe entry is written, read back and deleted.
#[cfg(not(target_os = "linux"))]
fn platform_keychain(polish: bool) -> (String, bool) {
    let _ = (probe_desktop_keychain, PROBE_TIMEOUT);
    let name = if cfg!(windows) {
        "Windows Credential Manager"
    } else {
        "macOS Keychain"
    };
    match keychain_round_trip() {
        Ok(()) => (name.to_owned(), true),
        Err(err) if polish => (format!("{name} nie działa: {err}"), false),
        Err(err) => (format!("{name} does not work: {err}"), false),
    }
}

#[cfg(not(target_os = "linux"))]
fn keychain_round_trip() -> Result<(), String> {
    let entry = keyring::Entry::new("dark8-doctor", &format!("probe-{}", std::process::id()))
        .map_err(|e| e.to_string())?;
    entry.set_password("dark8").map_err(|e| e.to_string())?;
    let read = entry.get_password().map_err(|e| e.to_string());
    let deleted = entry.delete_credential().map_err(|e| e.to_string());
    match read? {
        value if value == "dark8" => deleted,
        _ => Err("keyring returned a different value".to_owned()),
    }
}

fn describe(checker: &Checker, state: &VaultState) -> String {
    let place = match (state.home, state.file_key) {
        (SecretHome::Keychain, _) => checker.text("w pęku kluczy systemu", "in the OS keychain"),
        (SecretHome::File, Some(FileKeySource::Keychain)) => checker.text(
            "w zaszyfrowanym pliku, klucz w pęku kluczy",
            "in the encrypted file, its key in the keychain",
        ),
        (SecretHome::File, _) => checker.text(
            "w zaszyfrowanym pliku (hasło)",
            "in the encrypted file (passphrase)",
        ),
    };
    let why = match state.why {
        ChoiceReason::Configured => checker.text("ustawione w [vault]", "set in [vault]"),
        ChoiceReason::Remembered => {
            checker.text("wybrane przy pierwszym użyciu", "chosen at first use")
        }
        ChoiceReason::ExistingFile => {
            checker.text("plik sejfu już istnieje", "the vault file exists")
        }
        ChoiceReason::PlatformKeychain | ChoiceReason::DesktopKeychain(_) => checker.text(
            "wybór automatyczny przy pierwszym użyciu",
            "automatic choice at first use",
        ),
    };
    match checker.language {
        crate::language::Language::Pl => {
            format!("sekrety {place} ({why}); pęk kluczy: {}", state.keychain.0)
        }
        crate::language::Language::En => {
            format!("secrets {place} ({why}); keychain: {}", state.keychain.0)
        }
    }
}
