//! The security suite of the sandbox, on real processes and files in temp dirs: each test is
//! an attack that must be stopped.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic
#![cfg(target_os = "linux")]

use std::io::Read;
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dark8_tools::sandbox::{self, hidden, Ending, LineSink, SandboxSpec, Stream};
use tokio_util::sync::CancellationToken;

fn quiet() -> LineSink {
    Arc::new(|_: Stream, _: &str| {})
}

fn sh(line: &str, workspace: &Path) -> SandboxSpec {
    let mut spec = SandboxSpec::shell(line, workspace);
    spec.limits.timeout_s = 20;
    spec
}

async fn run(spec: &SandboxSpec) -> sandbox::RunOutput {
    sandbox::run(spec, quiet(), CancellationToken::new())
        .await
        .unwrap()
}

fn confined() -> bool {
    let support = sandbox::support();
    if !support.file_system_confined() {
        eprintln!("Landlock is missing here: file-system attacks are not checked");
    }
    support.file_system_confined()
}

#[tokio::test]
async fn runs_a_program_and_captures_its_output() {
    let ws = tempfile::tempdir().unwrap();
    let out = run(&sh("echo hej; echo błąd >&2; exit 3", ws.path())).await;
    assert_eq!(out.ending, Ending::Exited);
    assert_eq!(out.exit_code, Some(3));
    assert_eq!(out.stdout, "hej\n");
    assert_eq!(out.stderr, "błąd\n");
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    let spec = sh("for i in 1 2 3; do echo linia $i; done", ws.path());
    let out = sandbox::run(
        &spec,
        Arc::new(move |_, line: &str| sink.lock().unwrap().push(line.to_owned())),
        CancellationToken::new(),
    )
    .await
    .unwrap();
    assert!(out.success());
    assert_eq!(
        *lines.lock().unwrap(),
        ["linia 1", "linia 2", "linia 3"].map(String::from)
    );
}

#[tokio::test]
async fn the_workspace_is_writable_and_nothing_outside_is() {
    if !confined() {
        return;
    }
    let ws = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("ucieczka.txt");
    let out = run(&sh(
        &format!(
            "echo w-srodku > plik.txt && echo poza > '{}'",
            target.display()
        ),
        ws.path(),
    ))
    .await;
    assert!(!out.success(), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(ws.path().join("plik.txt")).unwrap(),
        "w-srodku\n"
    );
    assert!(!target.exists(), "wrote outside the workspace");
    // The user's home too (HOME is passed, but not writable).
    let out = run(&sh("touch \"$HOME/dark8-ucieczka\"", ws.path())).await;
    assert!(!out.success());
    assert!(!Path::new(&std::env::var("HOME").unwrap())
        .join("dark8-ucieczka")
        .exists());
}

#[tokio::test]
async fn a_symlink_does_not_lead_out_of_the_workspace() {
    if !confined() {
        return;
    }
    let ws = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), ws.path().join("link")).unwrap();
    let out = run(&sh("echo x > link/ucieczka.txt", ws.path())).await;
    assert!(!out.success());
    assert!(!outside.path().join("ucieczka.txt").exists());
    // And the working directory may not be a symlink to outside.
    let mut spec = sh("pwd", ws.path());
    spec.cwd = ws.path().join("link");
    let err = sandbox::run(&spec, quiet(), CancellationToken::new())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("poza obszarem roboczym"), "{err}");
    let mut spec = sh("pwd", ws.path());
    spec.cwd = ws.path().join("..");
    assert!(sandbox::run(&spec, quiet(), CancellationToken::new())
        .await
        .is_err());
}

#[tokio::test]
async fn secret_stores_cannot_be_read() {
    if !confined() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join(".ssh")).unwrap();
    std::fs::write(home.path().join(".ssh/id_ed25519"), "KANAREK-SSH-4711").unwrap();
    std::fs::write(home.path().join("notatka.txt"), "zwykły plik").unwrap();
    let ws = tempfile::tempdir().unwrap();
    let mut spec = sh(
        &format!(
            "cat '{0}/notatka.txt'; cat '{0}/.ssh/id_ed25519'; ls '{0}/.ssh'",
            home.path().display()
        ),
        ws.path(),
    );
    spec.hidden = hidden::secret_stores_in(home.path());
    let out = run(&spec).await;
    assert!(out.stdout.contains("zwykły plik"), "{out:?}");
    assert!(!out.stdout.contains("KANAREK"), "{out:?}");
    assert!(out.stderr.contains("Permission denied"), "{out:?}");
    // Through a symlink planted in the workspace: the kernel judges the real file.
    std::os::unix::fs::symlink(home.path().join(".ssh"), ws.path().join("klucze")).unwrap();
    let mut spec = sh("cat klucze/id_ed25519", ws.path());
    spec.hidden = hidden::secret_stores_in(home.path());
    let out = run(&spec).await;
    assert!(!out.success());
    assert!(!out.stdout.contains("KANAREK"));
}

#[tokio::test]
async fn a_fork_bomb_is_contained_and_cleaned_up() {
    let ws = tempfile::tempdir().unwrap();
    let mut spec = sh("bomb() { bomb | bomb & }; bomb; sleep 30", ws.path());
    spec.limits.processes = 64;
    spec.limits.timeout_s = 4;
    let out = run(&spec).await;
    assert_ne!(out.ending, Ending::Exited, "{out:?}");
    // Nothing of it survives the run.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let survivors = std::process::Command::new("pgrep")
        .args(["-f", "bomb | bomb"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&survivors.stdout).trim().is_empty(),
        "survivors: {}",
        String::from_utf8_lossy(&survivors.stdout)
    );
}

#[tokio::test]
async fn a_memory_hog_hits_its_limit() {
    let ws = tempfile::tempdir().unwrap();
    let mut spec = SandboxSpec::new(
        "python3",
        vec![
            "-c".into(),
            "x = bytearray(2 * 1024**3); print('przydzielono')".into(),
        ],
        ws.path(),
    );
    spec.limits.memory_mib = 256;
    let out = run(&spec).await;
    assert!(!out.success());
    assert!(!out.stdout.contains("przydzielono"));
    assert!(out.stderr.contains("MemoryError"), "{out:?}");
}

/// True when a cgroup caps resident memory here (always for root on a cgroup file system).
fn memory_capped() -> bool {
    let support = sandbox::support();
    if nix::unistd::geteuid().is_root() {
        assert_ne!(
            support.memory_limit, "rlimit",
            "as root a memory cgroup must be made"
        );
    }
    if support.memory_limit == "rlimit" {
        eprintln!("no cgroup may be made here: the resident-memory cap is not checked");
    }
    support.memory_limit != "rlimit"
}

#[tokio::test]
async fn twelve_gib_touched_stop_at_a_one_gib_cap() {
    if !memory_capped() {
        return;
    }
    let ws = tempfile::tempdir().unwrap();
    // Under the 32 GiB address-space limit: only the resident cap can stop it.
    let mut spec = SandboxSpec::new(
        "python3",
        vec![
            "-c".into(),
            "x = b'x' * (12 * 1024**3); print('przydzielono', len(x))".into(),
        ],
        ws.path(),
    );
    spec.limits.resident_memory_mib = Some(1024);
    spec.limits.timeout_s = 120;
    let out = run(&spec).await;
    assert_eq!(out.ending, Ending::OutOfMemory, "{out:?}");
    assert!(!out.stdout.contains("przydzielono"));
    assert_ne!(out.confinement.memory_limit, "rlimit");
    // A run under the cap is untouched by it.
    spec.args[1] = "x = b'x' * (256 * 1024**2); print('przydzielono', len(x))".into();
    let out = run(&spec).await;
    assert!(out.success(), "{out:?}");
    assert!(out.stdout.contains("przydzielono 268435456"));
}

/// Waits (up to 60 s) until `pid` has exited and been reaped by init, or is a zombie.
fn wait_gone(pid: u32) {
    for _ in 0..600 {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        if stat.is_empty() || stat.contains(") Z ") {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("job {pid} still runs");
}

#[tokio::test]
async fn a_background_job_is_held_to_the_memory_cap_too() {
    if !memory_capped() {
        return;
    }
    let ws = tempfile::tempdir().unwrap();
    let temp = tempfile::tempdir().unwrap();
    let log_path = ws.path().join("zadanie.log");
    let spawn = |line: &str| {
        let mut spec = sh(line, ws.path());
        spec.limits.resident_memory_mib = Some(512);
        let log = std::fs::File::create(&log_path).unwrap();
        sandbox::spawn_detached(&spec, log, temp.path()).unwrap()
    };
    // Four GiB touched by a job outlives no cap: the kernel ends it at 512 MiB.
    let pid = spawn("python3 -c \"x = b'x' * (4 * 1024**3); print('przydzielono')\"");
    wait_gone(pid);
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(!log.contains("przydzielono"), "{log}");
    // Under the cap a job runs to its end.
    let pid = spawn("python3 -c \"x = b'x' * (64 * 1024**2); print('przydzielono', len(x))\"");
    wait_gone(pid);
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(log.contains("przydzielono 67108864"), "{log}");
}

#[test]
fn the_default_cap_is_half_the_ram_and_at_most_eight_gib() {
    let cap = sandbox::Limits::default().resident_cap_mib();
    assert!((64..=8 * 1024).contains(&cap), "{cap}");
    assert_eq!(sandbox::gib_text(1024), "1 GiB");
    assert_eq!(sandbox::gib_text(1536), "1,5 GiB");
    assert_eq!(sandbox::gib_text(8 * 1024), "8 GiB");
}

#[tokio::test]
async fn an_endless_loop_is_stopped_by_cpu_and_wall_clock_limits() {
    let ws = tempfile::tempdir().unwrap();
    let mut spec = sh("while :; do :; done", ws.path());
    spec.limits.cpu_s = 1;
    spec.limits.timeout_s = 30;
    let out = run(&spec).await;
    assert_eq!(out.ending, Ending::Signaled, "{out:?}");
    assert!(out.duration_ms < 20_000);
    let mut spec = sh("sleep 100 & sleep 100", ws.path());
    spec.limits.timeout_s = 1;
    let out = run(&spec).await;
    assert_eq!(out.ending, Ending::TimedOut);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let left = std::process::Command::new("pgrep")
        .args(["-f", "^sleep 100$"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&left.stdout).trim().is_empty());
}

#[tokio::test]
async fn cancellation_kills_the_process_tree() {
    let ws = tempfile::tempdir().unwrap();
    let spec = sh("sleep 101 & sleep 101", ws.path());
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        trigger.cancel();
    });
    let out = sandbox::run(&spec, quiet(), cancel).await.unwrap();
    assert_eq!(out.ending, Ending::Cancelled);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let left = std::process::Command::new("pgrep")
        .args(["-f", "^sleep 101$"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&left.stdout).trim().is_empty());
}

#[tokio::test]
async fn no_network_without_permission() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = std::thread::spawn(move || {
        listener.set_nonblocking(false).unwrap();
        let (mut stream, _) = listener.accept().unwrap();
        let mut buf = String::new();
        stream.read_to_string(&mut buf).unwrap();
        buf
    });
    let ws = tempfile::tempdir().unwrap();
    let script = format!(
        "import socket\ns = socket.create_connection(('127.0.0.1', {port}), timeout=5)\ns.sendall(b'ping')\ns.close()\nprint('polaczono')"
    );
    let spec = SandboxSpec::new("python3", vec!["-c".into(), script.clone()], ws.path());
    let out = run(&spec).await;
    assert!(!out.success());
    assert!(out.stderr.contains("PermissionError"), "{out:?}");
    let mut spec = SandboxSpec::new("python3", vec!["-c".into(), script], ws.path());
    spec.network = true;
    let out = run(&spec).await;
    assert!(out.stdout.contains("polaczono"), "{out:?}");
    assert_eq!(accepted.join().unwrap(), "ping");
}

#[tokio::test]
async fn arguments_are_never_a_shell() {
    let ws = tempfile::tempdir().unwrap();
    let hostile = [
        "requests; touch pwned1",
        "$(touch pwned2)",
        "`touch pwned3`",
        "a && touch pwned4",
    ];
    let spec = SandboxSpec::new(
        "echo",
        hostile.iter().map(|s| (*s).to_owned()).collect(),
        ws.path(),
    );
    let out = run(&spec).await;
    assert_eq!(out.stdout.trim(), hostile.join(" "));
    for n in 1..=4 {
        assert!(!ws.path().join(format!("pwned{n}")).exists());
    }
}

#[tokio::test]
async fn the_environment_is_scrubbed_of_secrets() {
    std::env::set_var("GITHUB_TOKEN", "ghp_kanarekkanarekkanarek0000000000");
    std::env::set_var("MY_HARMLESS", "x");
    std::env::set_var("LC_DARK8_NOTE", "zawiera kanarek-env-99");
    let ws = tempfile::tempdir().unwrap();
    let mut spec = sh("env", ws.path());
    spec.secret_values = vec!["kanarek-env-99".into()];
    let out = run(&spec).await;
    assert!(!out.stdout.contains("kanarek"), "{}", out.stdout);
    assert!(!out.stdout.contains("MY_HARMLESS"));
    assert!(out.stdout.contains("PATH="));
    assert!(out.stdout.contains("TMPDIR="));
}
