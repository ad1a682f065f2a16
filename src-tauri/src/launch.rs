//! What a launch asks the window to do: `dark8-desktop --command "<polecenie>"` runs a command
//! (the user typed it at a terminal, as with `dark8 run`), a `dark8://polecenie?tekst=…` link
//! only puts the text into the console for the user to send (a web page can open links; it must
//! never start a command), the tray's quick command brings the console up.
//!
//! A second launch hands its arguments to the first instance (single-instance plugin); the
//! first launch reads its own. Launches wait in a queue until the webview follows them over an
//! IPC channel (as the event stream, so the webview needs no event permission), so none is lost
//! while the page is still loading; a reloaded page follows again and the new channel wins.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager};

/// The deep-link scheme.
pub const SCHEME: &str = "dark8";

/// Longest command a launch may carry, in characters (a link is not a file transfer).
const MAX_COMMAND_CHARS: usize = 4000;

/// What the window should do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Launch {
    /// Run this command now.
    Run {
        /// The command.
        command: String,
    },
    /// Put this text into the console's command line (empty: just focus it).
    Prefill {
        /// The text.
        text: String,
    },
    /// Show the console (an approval waits there).
    Console,
}

/// The launch `args` (without the program name) ask for, if any.
pub fn from_args<S: AsRef<str>>(args: &[S]) -> Option<Launch> {
    let mut args = args.iter().map(AsRef::as_ref);
    while let Some(arg) = args.next() {
        if arg == "--command" || arg == "-c" {
            return args
                .next()
                .and_then(command_text)
                .map(|command| Launch::Run { command });
        }
        if let Some(command) = arg.strip_prefix("--command=") {
            return command_text(command).map(|command| Launch::Run { command });
        }
        if arg
            .get(..SCHEME.len() + 1)
            .is_some_and(|head| head.eq_ignore_ascii_case(&format!("{SCHEME}:")))
        {
            return from_link(arg);
        }
    }
    None
}

/// A `dark8://` link: `dark8://polecenie?tekst=…` (or `text=…`) prefills the console,
/// `dark8://konsola` shows it; anything else is ignored.
fn from_link(link: &str) -> Option<Launch> {
    let url = url::Url::parse(link).ok()?;
    match url.host_str()? {
        "polecenie" | "command" => {
            let text = url
                .query_pairs()
                .find(|(key, _)| key == "tekst" || key == "text")
                .map(|(_, value)| value.into_owned())
                .unwrap_or_default();
            Some(Launch::Prefill {
                text: text.chars().take(MAX_COMMAND_CHARS).collect(),
            })
        }
        "konsola" | "console" => Some(Launch::Console),
        _ => None,
    }
}

fn command_text(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.chars().take(MAX_COMMAND_CHARS).collect())
}

/// Launches the webview has not taken yet, and the channel it follows them on.
#[derive(Default)]
pub struct Launches {
    queue: Mutex<VecDeque<Launch>>,
    follower: Mutex<Option<Channel<Launch>>>,
}

impl Launches {
    /// Queues `launch`.
    pub fn push(&self, launch: Launch) {
        if let Ok(mut queue) = self.queue.lock() {
            queue.push_back(launch);
        }
    }

    /// Everything queued, oldest first.
    pub fn take(&self) -> Vec<Launch> {
        self.queue
            .lock()
            .map(|mut queue| queue.drain(..).collect())
            .unwrap_or_default()
    }

    /// Sends what is queued to the follower, if there is one; what it cannot take stays queued.
    fn flush(&self) {
        let Ok(follower) = self.follower.lock() else {
            return;
        };
        let Some(channel) = follower.as_ref() else {
            return;
        };
        let mut unsent = Vec::new();
        for launch in self.take() {
            if !unsent.is_empty() || channel.send(launch.clone()).is_err() {
                unsent.push(launch);
            }
        }
        for launch in unsent {
            self.push(launch);
        }
    }
}

/// Brings the main window up (shown, unminimized, focused).
pub fn show_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

/// Queues `launch`, brings the window up and hands the launch to the webview.
pub fn deliver(app: &AppHandle, launch: Launch) {
    let launches = app.state::<Launches>();
    launches.push(launch);
    show_window(app);
    launches.flush();
}

/// The webview follows launches on `on_launch`: what waits now, then each new one.
#[tauri::command]
pub fn follow_launches(launches: tauri::State<'_, Launches>, on_launch: Channel<Launch>) {
    if let Ok(mut follower) = launches.follower.lock() {
        *follower = Some(on_launch);
    }
    launches.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(command: &str) -> Option<Launch> {
        Some(Launch::Run {
            command: command.into(),
        })
    }

    #[test]
    fn a_command_on_the_command_line_runs() {
        assert_eq!(from_args(&["--command", "Pokaż pliki"]), run("Pokaż pliki"));
        assert_eq!(from_args(&["-c", "  Ile mam RAM?  "]), run("Ile mam RAM?"));
        assert_eq!(from_args(&["--command=Zrób kopię"]), run("Zrób kopię"));
        assert_eq!(from_args(&["--command", "   "]), None);
        assert_eq!(from_args(&["--command"]), None);
        assert_eq!(from_args::<&str>(&[]), None);
        assert_eq!(from_args(&["--inny"]), None);
    }

    #[test]
    fn a_link_only_fills_the_console_and_unknown_links_do_nothing() {
        assert_eq!(
            from_args(&["dark8://polecenie?tekst=Poka%C5%BC%20pliki%20w%20src"]),
            Some(Launch::Prefill {
                text: "Pokaż pliki w src".into()
            })
        );
        assert_eq!(
            from_args(&["DARK8://command?text=Usu%C5%84+wszystko"]),
            Some(Launch::Prefill {
                text: "Usuń wszystko".into()
            })
        );
        assert_eq!(from_args(&["dark8://konsola"]), Some(Launch::Console));
        assert_eq!(from_args(&["dark8://run?c=rm"]), None);
        assert_eq!(from_args(&["dark8:nonsense"]), None);
        let long = format!("dark8://polecenie?tekst={}", "a".repeat(10_000));
        match from_args(&[long]) {
            Some(Launch::Prefill { text }) => assert_eq!(text.len(), MAX_COMMAND_CHARS),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_queue_gives_everything_once_in_order() {
        let launches = Launches::default();
        launches.push(Launch::Console);
        launches.push(Launch::Prefill { text: "a".into() });
        assert_eq!(
            launches.take(),
            vec![Launch::Console, Launch::Prefill { text: "a".into() }]
        );
        assert!(launches.take().is_empty());
    }
}
