//! The secrets vault by name for the Ustawienia screen (as `/api/v1/secrets/*`): names, set,
//! remove. A value goes in and never comes out; the file vault's passphrase comes with each
//! call and is kept nowhere.

use dark8_core::secrets::given_passphrase;
use dark8_protocol::SecretNames;
use zeroize::Zeroizing;

use crate::commands::polish;
use crate::state::DesktopState;

type State<'a> = tauri::State<'a, DesktopState>;

/// The names of the stored secrets.
#[tauri::command]
pub async fn secret_names(
    state: State<'_>,
    passphrase: Option<String>,
) -> Result<SecretNames, String> {
    let dark8 = state.dark8.clone();
    tauri::async_runtime::spawn_blocking(move || dark8.secret_names(&given_passphrase(passphrase)))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| polish(&e))
}

/// Stores a secret under `name`.
#[tauri::command]
pub async fn secret_set(
    state: State<'_>,
    name: String,
    value: String,
    passphrase: Option<String>,
) -> Result<(), String> {
    let value = Zeroizing::new(value);
    if value.is_empty() {
        return Err(
            "Pusta wartość sekretu. Podpowiedź: wklej wartość, np. token z ustawień serwisu."
                .to_owned(),
        );
    }
    state
        .dark8
        .secret_set(&name, &value, &given_passphrase(passphrase))
        .await
        .map_err(|e| polish(&e))
}

/// Removes the secret `name`.
#[tauri::command]
pub async fn secret_remove(
    state: State<'_>,
    name: String,
    passphrase: Option<String>,
) -> Result<(), String> {
    state
        .dark8
        .secret_remove(&name, &given_passphrase(passphrase))
        .await
        .map_err(|e| polish(&e))
}
