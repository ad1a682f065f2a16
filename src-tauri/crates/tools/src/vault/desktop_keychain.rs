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
    /// No Secret Service answers.
    Absent(Absence),
}

/// Why no Secret Service answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Absence {
    /// There is no session D-Bus to ask on.
    NoSessionBus,
    /// It did not answer within this many seconds.
    NoAnswer(u64),
    /// Not a platform with a Secret Service.
    NotLinux,
    /// The D-Bus library's own words (nobody owns `org.freedesktop.secrets`, …).
    Failed(String),
}

impl Absence {
    fn describe(&self, polish: bool) -> String {
        match (self, polish) {
            (Absence::NoSessionBus, true) => "brak sesyjnej szyny D-Bus".to_owned(),
            (Absence::NoSessionBus, false) => "no session D-Bus".to_owned(),
            (Absence::NoAnswer(secs), true) => format!("brak odpowiedzi w {secs} s"),
            (Absence::NoAnswer(secs), false) => format!("no answer within {secs} s"),
            (Absence::NotLinux, true) => "Secret Service jest tylko na Linuksie".to_owned(),
            (Absence::NotLinux, false) => "the Secret Service is Linux only".to_owned(),
            (Absence::Failed(detail), _) => detail.clone(),
        }
    }
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
            (DesktopKeychain::Absent(why), true) => {
                format!("brak Secret Service ({})", why.describe(true))
            }
            (DesktopKeychain::Absent(why), false) => {
                format!("no Secret Service ({})", why.describe(false))
            }
        }
    }
}

/// Asks the session's Secret Service about its default collection, giving up after
/// `timeout` (a Secret Service that does not answer counts as absent).
pub fn probe(timeout: Duration) -> DesktopKeychain {
    super::deadline::within(timeout, ask).unwrap_or(DesktopKeychain::Absent(Absence::NoAnswer(
        timeout.as_secs(),
    )))
}

#[cfg(target_os = "linux")]
fn ask() -> DesktopKeychain {
    use secret_service::blocking::SecretService;
    use secret_service::{EncryptionType, Error};

    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() && !default_bus_socket_exists() {
        return DesktopKeychain::Absent(Absence::NoSessionBus);
    }
    let service = match SecretService::connect(EncryptionType::Dh) {
        Ok(service) => service,
        Err(err) => return DesktopKeychain::Absent(Absence::Failed(err.to_string())),
    };
    let collection = match service.get_default_collection() {
        Ok(collection) => collection,
        Err(Error::NoResult) => return DesktopKeychain::NoCollection,
        Err(err) => return DesktopKeychain::Absent(Absence::Failed(err.to_string())),
    };
    let label = collection
        .get_label()
        .unwrap_or_else(|_| "default".to_owned());
    match collection.is_locked() {
        Ok(false) => DesktopKeychain::Ready { collection: label },
        Ok(true) => DesktopKeychain::Locked { collection: label },
        Err(err) => DesktopKeychain::Absent(Absence::Failed(err.to_string())),
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
    DesktopKeychain::Absent(Absence::NotLinux)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_is_told_in_the_reader_s_language() {
        let absent = DesktopKeychain::Absent(Absence::NoSessionBus);
        assert_eq!(
            absent.describe(true),
            "brak Secret Service (brak sesyjnej szyny D-Bus)"
        );
        assert_eq!(
            absent.describe(false),
            "no Secret Service (no session D-Bus)"
        );
        assert!(!absent.is_ready());
        let late = DesktopKeychain::Absent(Absence::NoAnswer(3));
        assert_eq!(
            late.describe(false),
            "no Secret Service (no answer within 3 s)"
        );
    }
}
