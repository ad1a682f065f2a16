//! Whether the desktop's Secret Service (GNOME Keyring, KWallet, KeePassXC, …) can keep
//! DARK8's secrets right now. Asked over the session D-Bus without writing anything and
//! without ever causing a prompt, so `backend = "auto"` may ask it on any machine.

use std::time::Duration;

/// How long the Secret Service gets to answer the question.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// What the desktop's Secret Service said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DesktopKeychain {
    /// The default collection is there and unlocked: secrets can be kept without a prompt.
    Ready {
        /// The collection's label (e.g. "Login").
        collection: String,
    },
    /// The default collection is locked: using it would show an unlock prompt.
    Locked {
        /// The collection's label.
        collection: String,
    },
    /// A Secret Service answers but has no default collection (e.g. under WSL).
    NoCollection,
    /// No Secret Service answers: no session bus, or nobody provides `org.freedesktop.secrets`.
    Absent(String),
}

impl DesktopKeychain {
    /// True when secrets can be kept there without a prompt.
    pub fn is_ready(&self) -> bool {
        matches!(self, DesktopKeychain::Ready { .. })
    }

    /// One line for `dark8 doctor`, in Polish or English.
    pub fn describe(&self, polish: bool) -> String {
        match (self, polish) {
            (DesktopKeychain::Ready { collection }, true) => {
                format!("Secret Service pulpitu, kolekcja „{collection}” odblokowana")
            }
            (DesktopKeychain::Ready { collection }, false) => {
                format!("the desktop's Secret Service, collection \"{collection}\" unlocked")
            }
            (DesktopKeychain::Locked { collection }, true) => {
                format!("Secret Service pulpitu, kolekcja „{collection}” zablokowana")
            }
            (DesktopKeychain::Locked { collection }, false) => {
                format!("the desktop's Secret Service, collection \"{collection}\" locked")
            }
            (DesktopKeychain::NoCollection, true) => {
                "Secret Service bez domyślnej kolekcji".to_owned()
            }
            (DesktopKeychain::NoCollection, false) => {
                "a Secret Service without a default collection".to_owned()
            }
            (DesktopKeychain::Absent(why), true) => format!("brak Secret Service ({why})"),
            (DesktopKeychain::Absent(why), false) => format!("no Secret Service ({why})"),
        }
    }
}

/// Asks the session's Secret Service about its default collection, giving up after
/// `timeout` (a Secret Service that does not answer counts as absent).
pub fn probe(timeout: Duration) -> DesktopKeychain {
    super::deadline::within(timeout, ask).unwrap_or_else(|| {
        DesktopKeychain::Absent(format!("brak odpowiedzi w {} s", timeout.as_secs()))
    })
}

#[cfg(target_os = "linux")]
fn ask() -> DesktopKeychain {
    use secret_service::blocking::SecretService;
    use secret_service::{EncryptionType, Error};

    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() && !default_bus_socket_exists() {
        return DesktopKeychain::Absent("brak sesyjnej szyny D-Bus".to_owned());
    }
    let service = match SecretService::connect(EncryptionType::Dh) {
        Ok(service) => service,
        Err(err) => return DesktopKeychain::Absent(err.to_string()),
    };
    let collection = match service.get_default_collection() {
        Ok(collection) => collection,
        Err(Error::NoResult) => return DesktopKeychain::NoCollection,
        Err(err) => return DesktopKeychain::Absent(err.to_string()),
    };
    let label = collection
        .get_label()
        .unwrap_or_else(|_| "default".to_owned());
    match collection.is_locked() {
        Ok(false) => DesktopKeychain::Ready { collection: label },
        Ok(true) => DesktopKeychain::Locked { collection: label },
        Err(err) => DesktopKeychain::Absent(err.to_string()),
    }
}

/// The session bus systemd starts for a logged-in user (what D-Bus clients use when
/// `DBUS_SESSION_BUS_ADDRESS` is not set).
#[cfg(target_os = "linux")]
fn default_bus_socket_exists() -> bool {
    let runtime = std::env::var_os("XDG_RUNTIME_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| format!("/run/user/{}", nix::unistd::geteuid()).into());
    runtime.join("bus").exists()
}

#[cfg(not(target_os = "linux"))]
fn ask() -> DesktopKeychain {
    DesktopKeychain::Absent("Secret Service jest tylko na Linuksie".to_owned())
}
