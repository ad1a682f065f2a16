//! Calls into a keychain that may never answer (a D-Bus peer that hangs, an unlock prompt
//! nobody sees) run on their own thread, so DARK8 gives up after a while instead of hanging.

use std::sync::mpsc;
use std::time::Duration;

/// Runs `job` on its own thread and returns its result, or `None` when it takes longer than
/// `timeout` (the thread is left to finish or hang on its own; it holds nothing of ours).
pub fn within<T, F>(timeout: Duration, job: F) -> Option<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (sender, receiver) = mpsc::sync_channel(1);
    let spawned = std::thread::Builder::new()
        .name("dark8-keychain".to_owned())
        .spawn(move || {
            // The receiver may be gone after a timeout; nothing to do then.
            let _ = sender.send(job());
        });
    match spawned {
        Ok(_) => receiver.recv_timeout(timeout).ok(),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_in_time_is_returned_and_a_hang_is_given_up_on() {
        assert_eq!(within(Duration::from_secs(5), || 7), Some(7));
        let hung = within(Duration::from_millis(50), || {
            std::thread::sleep(Duration::from_secs(2));
            7
        });
        assert_eq!(hung, None);
    }
}
