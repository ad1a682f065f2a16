//! Logging: human lines on stderr (`-q` / `-v` / `-vv`), JSON lines to a daily-rotated file
//! in the data directory; both pass through the process's [`Redactor`] (known secrets and
//! their fingerprints, token shapes) before they are written.

use std::path::Path;

use tracing::level_filters::LevelFilter;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::filter::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

use dark8_tools::Redactor;

/// A writer factory whose writers redact each formatted event before writing it (the fmt
/// layer writes one event per `write_all`).
#[derive(Debug, Clone)]
struct Redacting<M> {
    inner: M,
}

/// One event's writer.
struct RedactingWriter<W> {
    inner: W,
}

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Redacting<M> {
    type Writer = RedactingWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter {
            inner: self.inner.make_writer(),
        }
    }
}

impl<W: std::io::Write> std::io::Write for RedactingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.inner
            .write_all(Redactor::global().text(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Environment variable with a tracing filter for stderr (overrides `-v`/`-q`).
pub const LOG_ENV: &str = "DARK8_LOG";

/// Base name of the daily log files (`dark8.log.YYYY-MM-DD`).
pub const LOG_FILE_PREFIX: &str = "dark8.log";

/// How much goes to stderr: -1 quiet (errors only), 0 warnings, 1 info, 2 debug, 3+ trace.
pub type Verbosity = i8;

/// Keeps the file writer alive; logs are flushed when it is dropped.
#[must_use = "dropping the guard stops file logging"]
pub struct LogGuard {
    _file: Option<WorkerGuard>,
}

fn stderr_level(verbosity: Verbosity) -> LevelFilter {
    match verbosity {
        i8::MIN..=-1 => LevelFilter::ERROR,
        0 => LevelFilter::WARN,
        1 => LevelFilter::INFO,
        2 => LevelFilter::DEBUG,
        _ => LevelFilter::TRACE,
    }
}

/// Installs the global subscriber. File logging is skipped (with a warning on stderr) when
/// the log directory cannot be created; a second call does nothing.
pub fn init(verbosity: Verbosity, log_dir: &Path, file_level: &str) -> LogGuard {
    let stderr_filter = std::env::var(LOG_ENV)
        .ok()
        .and_then(|spec| EnvFilter::try_new(spec).ok())
        .unwrap_or_else(|| {
            let filter = EnvFilter::default().add_directive(stderr_level(verbosity).into());
            // chromiumoxide warns about every DevTools event newer than its generated
            // protocol (the installed Chromium is newer); only its errors concern the user.
            match "chromiumoxide=error".parse() {
                Ok(quiet) => filter.add_directive(quiet),
                Err(_) => filter,
            }
        });
    let stderr_layer = tracing_subscriber::fmt::layer()
        .with_writer(Redacting {
            inner: std::io::stderr,
        })
        .with_target(false)
        .without_time()
        .with_filter(stderr_filter);

    let file_level = file_level
        .parse::<LevelFilter>()
        .unwrap_or(LevelFilter::INFO);
    let (file_layer, guard, file_error) = match std::fs::create_dir_all(log_dir) {
        Ok(()) => {
            let appender = tracing_appender::rolling::daily(log_dir, LOG_FILE_PREFIX);
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let layer = tracing_subscriber::fmt::layer()
                .json()
                .with_writer(Redacting { inner: writer })
                .with_current_span(false)
                .with_filter(file_level);
            (Some(layer), Some(guard), None)
        }
        Err(err) => (None, None, Some(err)),
    };

    let installed = tracing_subscriber::registry()
        .with(stderr_layer)
        .with(file_layer)
        .try_init()
        .is_ok();
    if installed {
        if let Some(err) = file_error {
            tracing::warn!(dir = %log_dir.display(), "log directory unavailable, logging to stderr only: {err}");
        }
    }
    LogGuard { _file: guard }
}
