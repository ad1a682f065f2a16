//! System tools through the executor on this machine's real state and real child processes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic
#![cfg(unix)] // real child processes and signals

mod common;

use dark8_protocol::ToolStatus;
use serde_json::{json, Value};

#[tokio::test]
async fn system_status_reports_cpu_memory_disks_and_network() {
    let t = common::tools().await;
    let all = t.call("system_status", json!({})).await;
    assert_eq!(all.status, ToolStatus::Success, "{}", all.summary);
    assert!(
        all.summary.contains("Procesor") && all.summary.contains("Pamięć"),
        "{}",
        all.summary
    );
    assert!(!all.output["cpu"]["cores"].as_array().unwrap().is_empty());
    assert!(all.output["memory"]["total_bytes"].as_u64().unwrap() > 0);
    assert!(all.output["disks"].is_array());
    assert!(all.output["network"].is_array());
    let disk = t.call("system_status", json!({"resource": "disk"})).await;
    assert!(disk.output.get("cpu").is_none());
    assert!(disk.output.get("disks").is_some());
    let bad = t.call("system_status", json!({"resource": "gpu"})).await;
    assert_eq!(bad.status, ToolStatus::Error);
}

#[tokio::test]
async fn processes_are_listed_and_ended_term_then_kill() {
    let t = common::tools().await;
    let mut polite = std::process::Command::new("sleep")
        .arg("31337")
        .spawn()
        .unwrap();
    let found = t.call("process_list", json!({"process": "31337"})).await;
    let pids: Vec<u64> = found.output["processes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["pid"].as_u64().unwrap())
        .collect();
    assert!(pids.contains(&u64::from(polite.id())), "{}", found.summary);
    let ended = t.call("process_kill", json!({ "pid": polite.id() })).await;
    assert_eq!(ended.status, ToolStatus::Success, "{}", ended.summary);
    assert!(ended.summary.contains("SIGTERM"), "{}", ended.summary);
    let status = polite.wait().unwrap();
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(15)
    );

    // One that ignores SIGTERM gets SIGKILL after the grace period; found by name.
    let mut stubborn = std::process::Command::new("python3")
        .args([
            "-c",
            "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint('ok', flush=True)\ntime.sleep(300)",
            "uparty-dark8",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(stubborn.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let ended = t
        .call(
            "process_kill",
            json!({"process": "uparty-dark8", "grace_s": 1}),
        )
        .await;
    assert_eq!(ended.status, ToolStatus::Success, "{}", ended.summary);
    assert!(ended.summary.contains("SIGKILL"), "{}", ended.summary);
    let status = stubborn.wait().unwrap();
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(9)
    );

    let unknown = t.call("process_kill", json!({"pid": 3_999_999})).await;
    assert_eq!(unknown.status, ToolStatus::Error);
    assert!(unknown.summary.contains("Nie ma procesu o numerze 3999999"));
    let init = t.call("process_kill", json!({"pid": 1})).await;
    assert_eq!(init.status, ToolStatus::Error);
    assert!(init.summary.contains("init"), "{}", init.summary);
    let nothing = t.call("process_kill", json!({})).await;
    assert!(nothing.summary.contains("Podaj pid albo nazwę"));
}

#[tokio::test]
async fn background_jobs_run_sandboxed_and_their_logs_are_readable() {
    let t = common::tools().await;
    let started = t
        .call(
            "process_spawn",
            json!({"command": "echo start zadania; echo w tle > wynik.txt; sleep 60"}),
        )
        .await;
    assert_eq!(started.status, ToolStatus::Success, "{}", started.summary);
    let job = started.output["job"].as_str().unwrap().to_owned();
    assert_eq!(job, "job-1");
    let pid = started.output["pid"].as_u64().unwrap();
    let mut logs = Value::Null;
    for _ in 0..50 {
        logs = t.call("process_logs", json!({ "job": job })).await.output;
        if logs["output"]
            .as_str()
            .unwrap_or("")
            .contains("start zadania")
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(logs["running"], true);
    assert_eq!(logs["output"], "start zadania");
    assert!(t.path("wynik.txt").exists());
    let listed = dark8_tools::builtin::jobs::list_jobs(t.data.path());
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].job, "job-1");
    assert!(listed[0].running);
    assert!(listed[0].command.contains("sleep 60"));
    assert_eq!(listed[0].log_bytes, "start zadania\n".len() as u64);
    let direct = dark8_tools::builtin::jobs::job_log(t.data.path(), "job-1", 5).unwrap();
    assert_eq!(direct.output, "start zadania");
    for bad in ["job-", "../job-1", "job-1/../../x", "x"] {
        let err = dark8_tools::builtin::jobs::job_log(t.data.path(), bad, 5).unwrap_err();
        assert!(
            err.message.contains("Nie ma zadania"),
            "{bad}: {}",
            err.message
        );
    }
    let ended = t
        .call("process_kill", json!({ "pid": pid, "grace_s": 2 }))
        .await;
    assert_eq!(ended.status, ToolStatus::Success, "{}", ended.summary);
    let after = t.call("process_logs", json!({ "job": job })).await;
    assert_eq!(after.output["running"], false);
    assert!(after.summary.contains("zakończone"));
    let second = t.call("process_spawn", json!({"command": "true"})).await;
    assert_eq!(second.output["job"], "job-2");
    let newest_first: Vec<String> = dark8_tools::builtin::jobs::list_jobs(t.data.path())
        .into_iter()
        .map(|j| j.job)
        .collect();
    assert_eq!(newest_first, ["job-2", "job-1"]);
    assert!(!dark8_tools::builtin::jobs::list_jobs(t.data.path())[1].running);
    let unknown = t.call("process_logs", json!({"job": "job-99"})).await;
    assert!(unknown.summary.contains("Nie ma zadania job-99"));
    let forbidden = t
        .call("process_spawn", json!({"command": "rm -rf /"}))
        .await;
    assert_eq!(forbidden.status, ToolStatus::Denied);
}
