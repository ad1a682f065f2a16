//! Reading a child's stdout and stderr line by line: each line goes to the caller as it comes
//! (progress), and the first [`MAX_CAPTURE_BYTES`] of each stream are kept for the result.

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::Child;
use tokio::task::JoinHandle;

use super::LineSink;

/// How much of each stream a result keeps.
pub const MAX_CAPTURE_BYTES: usize = 1024 * 1024;

/// After the child ends, how long to wait for its pipes to drain.
const DRAIN_GRACE: Duration = Duration::from_secs(2);

/// Which stream a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// The readers of a running child's two streams.
#[derive(Debug)]
pub struct OutputCapture {
    stdout: Option<JoinHandle<(String, bool)>>,
    stderr: Option<JoinHandle<(String, bool)>>,
}

impl OutputCapture {
    /// Starts reading the child's piped stdout and stderr.
    pub fn start(child: &mut Child, on_line: LineSink) -> OutputCapture {
        let stdout = child
            .stdout
            .take()
            .map(|pipe| tokio::spawn(read_lines(pipe, Stream::Stdout, on_line.clone())));
        let stderr = child
            .stderr
            .take()
            .map(|pipe| tokio::spawn(read_lines(pipe, Stream::Stderr, on_line)));
        OutputCapture { stdout, stderr }
    }

    /// Waits (briefly) for both streams to end; returns stdout, stderr and whether either was
    /// cut.
    pub async fn finish(self) -> (String, String, bool) {
        let (out, out_cut) = join(self.stdout).await;
        let (err, err_cut) = join(self.stderr).await;
        (out, err, out_cut || err_cut)
    }
}

async fn join(handle: Option<JoinHandle<(String, bool)>>) -> (String, bool) {
    let Some(mut handle) = handle else {
        return (String::new(), false);
    };
    match tokio::time::timeout(DRAIN_GRACE, &mut handle).await {
        Ok(Ok(captured)) => captured,
        _ => {
            handle.abort();
            (String::new(), true)
        }
    }
}

async fn read_lines<R: AsyncRead + Unpin>(
    pipe: R,
    stream: Stream,
    on_line: LineSink,
) -> (String, bool) {
    let mut reader = BufReader::new(pipe);
    let mut kept = String::new();
    let mut truncated = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let text = String::from_utf8_lossy(&line);
        on_line(stream, text.trim_end_matches(['\n', '\r']));
        if kept.len() + text.len() <= MAX_CAPTURE_BYTES {
            kept.push_str(&text);
        } else {
            truncated = true;
        }
    }
    (kept, truncated)
}
