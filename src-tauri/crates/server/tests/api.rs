//! The REST API over a real socket, a real core and database, real sandboxed commands: the
//! door (token, Host, Origin, body size, JSON), a run approved through the API, its events
//! replayed by SSE after it finished with nobody listening, and the OpenAPI document.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use std::time::Duration;

use common::{read_events, Api};
use dark8_protocol::{Event, EventEnvelope};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_door_refuses_what_is_not_the_user() {
    let api = Api::start().await;
    let url = format!("{}/api/v1/runs", api.base);
    // No token, a wrong token.
    let response = api.client.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
    assert!(body["error"]["hint"]
        .as_str()
        .unwrap()
        .contains("api-token"));
    let wrong = api
        .client
        .get(&url)
        .bearer_auth("0".repeat(64))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    // A foreign page, a rebound host name.
    let foreign = api
        .get("/api/v1/runs")
        .header("Origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 403);
    assert!(foreign
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    let rebound = api
        .get("/api/v1/runs")
        .header("Host", "attacker.example:80")
        .send()
        .await
        .unwrap();
    assert_eq!(rebound.status(), 403);
    // Its own origin is fine.
    let own = api
        .get("/api/v1/runs")
        .header("Origin", api.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200);
    // An oversized body, a body that is not JSON.
    let big = "a".repeat(70 * 1024);
    let oversized = api
        .post("/api/v1/commands", &json!({"command": big}))
        .send()
        .await
        .unwrap();
    assert_eq!(oversized.status(), 413);
    let text = api
        .client
        .post(format!("{}/api/v1/commands", api.base))
        .bearer_auth(&api.token)
        .header("Content-Type", "text/plain")
        .body("{\"command\": \"Pokaż pliki\"}")
        .send()
        .await
        .unwrap();
    assert_eq!(text.status(), 415);
    // Unknown fields and paths, bad workspaces: clear 4xx, never a run.
    let unknown = api
        .post(
            "/api/v1/commands",
            &json!({"command": "Pokaż pliki", "yes": true}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 422);
    let relative = api
        .post(
            "/api/v1/commands",
            &json!({"command": "Pokaż pliki", "workspace": "tmp"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(relative.status(), 400);
    let missing = api.get("/api/v1/nothing").send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(api.json("/api/v1/runs").await, json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_is_approved_through_the_api_and_replayed_after_it_ended() {
    let api = Api::start().await;
    let response = api
        .post(
            "/api/v1/commands",
            &json!({"command": "Uruchom komendę touch przez-api.txt"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let run: Value = response.json().await.unwrap();
    let id = run["id"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("/api/v1/runs/{id}"));
    assert_eq!(run["status"], "running");

    // The approval waits with the whole operation; it is answered through the API.
    let mut pending = Value::Null;
    for _ in 0..400 {
        let list = api.json("/api/v1/approvals").await;
        if let Some(first) = list.as_array().unwrap().first() {
            pending = first.clone();
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(pending["run"], id.as_str());
    assert_eq!(pending["request"]["command_line"], "touch przez-api.txt");
    let approval = pending["request"]["id"].as_str().unwrap();
    let answered = api
        .post(
            &format!("/api/v1/approvals/{approval}"),
            &json!({"approved": true, "grant": "session"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(answered.status(), 200);
    let again = api
        .post(
            &format!("/api/v1/approvals/{approval}"),
            &json!({"approved": true}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);

    // It finishes with nobody listening.
    let mut detail = Value::Null;
    for _ in 0..400 {
        detail = api.json(&format!("/api/v1/runs/{id}")).await;
        if detail["run"]["status"] != "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(detail["run"]["status"], "done", "{detail}");
    assert!(api.workspace.path().join("przez-api.txt").exists());
    let steps = detail["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 1, "{detail}");
    assert_eq!(steps[0]["tool"], "shell_run");
    assert_eq!(steps[0]["status"], "success");
    assert_eq!(steps[0]["step"], 1);
    let grants = api.json("/api/v1/grants").await;
    assert_eq!(grants[0]["scope"], "session");

    // Its events replay from the start, in order, ending with the outcome.
    let replay = api
        .get(&format!("/api/v1/events?after=0&run={id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 200);
    assert!(replay.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    let finished = |e: &EventEnvelope| matches!(e.event, Event::RunFinished { .. });
    let (events, ids) = read_events(replay, finished).await;
    assert!(matches!(events[0].event, Event::CommandReceived { .. }));
    assert!(events.windows(2).all(|w| w[0].seq < w[1].seq));
    assert!(events.iter().all(|e| e.run.as_deref() == Some(id.as_str())));
    assert_eq!(ids.first().unwrap(), &events[0].seq.to_string());
    assert!(events
        .iter()
        .any(|e| matches!(e.event, Event::ApprovalDecided { .. })));

    // A client that reconnects with Last-Event-ID gets only what came after it.
    let middle = events[events.len() / 2].seq;
    let resumed = api
        .get(&format!("/api/v1/events?run={id}"))
        .header("Last-Event-ID", middle.to_string())
        .send()
        .await
        .unwrap();
    let (rest, _) = read_events(resumed, finished).await;
    assert_eq!(rest[0].seq, events[events.len() / 2 + 1].seq);
    assert_eq!(rest.len(), events.len() - events.len() / 2 - 1);

    // The same program is now approved for the session without asking.
    let second = api
        .post(
            "/api/v1/commands",
            &json!({"command": "Uruchom komendę touch drugi.txt", "session": run["session"]}),
        )
        .send()
        .await
        .unwrap();
    let second: Value = second.json().await.unwrap();
    let second_id = second["id"].as_str().unwrap();
    let live = api
        .get(&format!("/api/v1/events?after=0&run={second_id}"))
        .send()
        .await
        .unwrap();
    let (events, _) = read_events(live, finished).await;
    assert!(matches!(
        events.last().unwrap().event,
        Event::RunFinished {
            status: dark8_protocol::RunStatus::Done,
            ..
        }
    ));
    assert!(api.workspace.path().join("drugi.txt").exists());

    // The audit chain holds, and it lists both commands and both approvals: the user's, for
    // the session, and the grant's.
    let verify = api.json("/api/v1/audit/verify").await;
    assert_eq!(verify["problem"], Value::Null, "{verify}");
    let audit = api.json("/api/v1/audit").await;
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["action"].as_str().unwrap())
        .collect();
    // Oldest first: the keyed checkpoint the first start wrote opens the log.
    assert_eq!(
        actions,
        [
            "audit_checkpoint",
            "approval",
            "shell_run",
            "approval",
            "shell_run"
        ]
    );
    assert_eq!(audit[1]["parameters"]["grant"], "session", "{audit}");
    assert_eq!(audit[1]["parameters"]["approved"], true);
}

#[tokio::test]
async fn the_openapi_document_names_every_route() {
    let api = Api::start().await;
    let doc = api.json("/api/openapi.json").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/commands",
        "/api/v1/runs/{id}",
        "/api/v1/approvals/{id}",
        "/api/v1/events",
        "/api/v1/audit/verify",
        "/api/v1/metrics",
        "/api/v1/processes",
        "/api/v1/settings",
        "/api/v1/runs/{id}/changes",
        "/api/v1/changes/{batch}/undo",
        "/api/v1/knowledge",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
    assert!(doc["components"]["schemas"]["RunState"].is_object());
    // The monitors' routes answer with real measurements.
    let metrics = api.json("/api/v1/metrics").await;
    assert!(
        metrics["memory"]["total_bytes"].as_u64().unwrap() > 0,
        "{metrics}"
    );
    assert!(!metrics["cpu"]["cores"].as_array().unwrap().is_empty());
    let processes = api.json("/api/v1/processes").await;
    let me = std::process::id();
    assert!(processes
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["pid"].as_u64() == Some(u64::from(me))));
    let settings = api.json("/api/v1/settings").await;
    assert_eq!(settings["server"]["host"], "127.0.0.1");
    assert_eq!(
        doc["components"]["securitySchemes"]["token"]["scheme"],
        "bearer"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn safe_settings_are_written_and_in_force_the_rest_is_refused() {
    let api = Api::start().await;
    let file = api.home.path().join("config.toml");
    std::fs::write(
        &file,
        "# ustawienia użytkownika\n[llm]\nprovider = \"none\"\n",
    )
    .unwrap();
    let patch = |body: Value| {
        api.client
            .patch(format!("{}/api/v1/settings", api.base))
            .bearer_auth(&api.token)
            .json(&body)
    };
    // The language and a model limit: written, kept comments, in force at once.
    let response = patch(json!({"changes": {"language": "en", "llm.max_steps": 4}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let update: Value = response.json().await.unwrap();
    assert_eq!(update["applied"], json!(["language", "llm.max_steps"]));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("# ustawienia użytkownika\n[llm]"), "{text}");
    assert!(
        text.contains("language = \"en\"") && text.contains("max_steps = 4"),
        "{text}"
    );
    let settings = api.json("/api/v1/settings").await;
    assert_eq!(settings["language"], "en");
    assert_eq!(settings["llm"]["max_steps"], 4);
    // What widens DARK8's rights: 403 with a Polish reason, nothing written.
    for body in [
        json!({"changes": {"policy.default_rules": false}}),
        json!({"changes": {"server.host": "0.0.0.0"}}),
    ] {
        let refused = patch(body).send().await.unwrap();
        assert_eq!(refused.status(), 403);
        let error: Value = refused.json().await.unwrap();
        assert_eq!(error["error"]["code"], "forbidden_setting");
        assert!(error["error"]["hint"]
            .as_str()
            .unwrap()
            .contains("config.toml"));
    }
    // A remote model server would receive the conversation; a bad value; no key at all.
    for body in [
        json!({"changes": {"llm.ollama_url": "http://10.1.2.3:11434"}}),
        json!({"changes": {"llm.provider": "skynet"}}),
        json!({"changes": {"policy.role": "admin"}}),
        json!({"changes": {"language": "en", "llm.max_steps": "dużo"}}),
        json!({"changes": {}}),
    ] {
        let refused = patch(body.clone()).send().await.unwrap();
        assert_eq!(refused.status(), 400, "{body}");
    }
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        text,
        "refusals write nothing"
    );
    // The list of what may change; one audit row for the change that happened.
    let writable = api.json("/api/v1/settings/writable").await;
    assert!(writable
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["key"] == "language" && w["live"] == true));
    let audit = api.json("/api/v1/audit").await;
    let rows: Vec<&Value> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["action"] == "settings_update")
        .collect();
    assert_eq!(rows.len(), 1, "{audit}");
}

/// Answers every approval the run `id` asks until it ends; its final detail.
async fn approve_until_done(api: &Api, id: &str) -> Value {
    for _ in 0..800 {
        for pending in api.json("/api/v1/approvals").await.as_array().unwrap() {
            if pending["run"] == id {
                let approval = pending["request"]["id"].as_str().unwrap();
                api.post(
                    &format!("/api/v1/approvals/{approval}"),
                    &json!({"approved": true}),
                )
                .send()
                .await
                .unwrap();
            }
        }
        let detail = api.json(&format!("/api/v1/runs/{id}")).await;
        if detail["run"]["status"] != "running" {
            return detail;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("run {id} did not end");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screens_call_tools_by_name_list_changes_undo_one_and_filter_the_audit() {
    let api = Api::start().await;
    std::fs::write(api.workspace.path().join("a.txt"), "stare\n").unwrap();
    let started = |body: Value| {
        let api = &api;
        async move {
            let response = api.post("/api/v1/commands", &body).send().await.unwrap();
            assert_eq!(response.status(), 202);
            let run: Value = response.json().await.unwrap();
            run["id"].as_str().unwrap().to_owned()
        }
    };
    let id = started(json!({
        "command": "Zapisz a.txt",
        "tool": "fs_write",
        "arguments": {"path": "a.txt", "content": "nowe\n"},
    }))
    .await;
    let detail = approve_until_done(&api, &id).await;
    assert_eq!(detail["run"]["status"], "done", "{detail}");
    assert_eq!(detail["steps"][0]["tool"], "fs_write");
    let changes = api.json(&format!("/api/v1/runs/{id}/changes")).await;
    let change = &changes[0];
    assert!(
        change["diff"].as_str().unwrap().contains("-stare\n+nowe"),
        "{changes}"
    );
    let batch = change["batch"].as_str().unwrap();
    let undone = api
        .post(&format!("/api/v1/changes/{batch}/undo"), &json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(undone.status(), 200);
    assert_eq!(
        std::fs::read_to_string(api.workspace.path().join("a.txt")).unwrap(),
        "stare\n"
    );
    let again = api
        .post(&format!("/api/v1/changes/{batch}/undo"), &json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);
    let changes = api.json(&format!("/api/v1/runs/{id}/changes")).await;
    assert_eq!(changes[0]["undone"], true);

    // A fact kept by a direct call is found by other words.
    let id = started(json!({
        "command": "Zapamiętaj",
        "tool": "memory_save",
        "arguments": {"content": "Kopia zapasowa robi się w każdą niedzielę o 3:00"},
    }))
    .await;
    assert_eq!(approve_until_done(&api, &id).await["run"]["status"], "done");
    let found = api
        .json("/api/v1/knowledge?q=kiedy%20robi%20si%C4%99%20kopia%3F")
        .await;
    assert_eq!(
        found[0]["text"], "Kopia zapasowa robi się w każdą niedzielę o 3:00",
        "{found}"
    );

    // Bad calls are refused before anything runs.
    for body in [
        json!({"command": "x", "tool": "Rm -rf"}),
        json!({"command": "x", "tool": "fs_read", "arguments": [1]}),
        json!({"command": "x", "arguments": {}}),
    ] {
        let response = api.post("/api/v1/commands", &body).send().await.unwrap();
        assert_eq!(response.status(), 400, "{body}");
    }
    let unknown = started(json!({"command": "x", "tool": "nie_ma_takiego"})).await;
    assert_eq!(
        approve_until_done(&api, &unknown).await["run"]["status"],
        "failed"
    );

    // The audit filters by action and status; bad filters get a Polish answer.
    let undos = api.json("/api/v1/audit?action=undo").await;
    let undos = undos.as_array().unwrap();
    assert_eq!(undos.len(), 2, "{undos:?}");
    assert!(undos.iter().all(|row| row["action"] == "undo"));
    let writes = api
        .json("/api/v1/audit?action=fs_write,memory_save&status=success")
        .await;
    assert_eq!(writes.as_array().unwrap().len(), 2, "{writes}");
    let later = api.json("/api/v1/audit?since=2999-01-01T00:00:00Z").await;
    assert!(later.as_array().unwrap().is_empty());
    let bad = api.get("/api/v1/audit?status=maybe").send().await.unwrap();
    assert_eq!(bad.status(), 400);
    let bad: Value = bad.json().await.unwrap();
    assert!(
        bad["error"]["message"].as_str().unwrap().contains("stan"),
        "{bad}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_are_set_listed_by_name_and_removed_never_shown() {
    let api = Api::start().await;
    let value = "ghp_Zt4k9QwErTy7uIoP1aSdFgHjKl2";
    let put = |name: &str, body: Value| {
        api.client
            .put(format!("{}/api/v1/secrets/{name}", api.base))
            .bearer_auth(&api.token)
            .json(&body)
    };
    let key = json!({"passphrase": "długie hasło sejfu 2026"});
    // The file vault opens only with its passphrase: 403 with a hint, nothing stored.
    let locked = put("GITHUB_TOKEN", json!({"value": value}))
        .send()
        .await
        .unwrap();
    assert_eq!(locked.status(), 403);
    let error: Value = locked.json().await.unwrap();
    assert_eq!(error["error"]["code"], "vault_locked", "{error}");
    // A new vault's passphrase must be long enough.
    let weak = put(
        "GITHUB_TOKEN",
        json!({"value": value, "passphrase": "krótkie"}),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(weak.status(), 400);
    let stored = put(
        "GITHUB_TOKEN",
        json!({"value": value, "passphrase": key["passphrase"]}),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(stored.status(), 204);
    let names = api
        .post("/api/v1/secrets/names", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(names.status(), 200);
    let names: Value = names.json().await.unwrap();
    assert_eq!(names["names"], json!(["GITHUB_TOKEN"]));
    assert_eq!(names["backend"], "file");
    // A wrong passphrase, a name the vault does not take, an empty value.
    let wrong = api
        .post(
            "/api/v1/secrets/names",
            &json!({"passphrase": "nie to hasło"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
    for (name, body) in [
        (
            "zła nazwa!",
            json!({"value": value, "passphrase": key["passphrase"]}),
        ),
        (
            "PUSTY",
            json!({"value": "", "passphrase": key["passphrase"]}),
        ),
    ] {
        let refused = put(name, body).send().await.unwrap();
        assert_eq!(refused.status(), 400, "{name}");
    }
    // Removed once; the second time there is nothing of that name.
    let removed = api
        .post("/api/v1/secrets/GITHUB_TOKEN/remove", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);
    let again = api
        .post("/api/v1/secrets/GITHUB_TOKEN/remove", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);
    let names: Value = api
        .post("/api/v1/secrets/names", &key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(names["names"], json!([]));
    // Audited by name, the value nowhere in the log.
    let audit = api.json("/api/v1/audit").await;
    let text = audit.to_string();
    assert!(!text.contains(value), "{text}");
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|row| row["action"].as_str())
        .filter(|a| a.starts_with("secret_"))
        .collect();
    assert!(
        actions.contains(&"secret_set") && actions.contains(&"secret_rm"),
        "{actions:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn background_jobs_are_listed_with_their_logs() {
    let api = Api::start().await;
    assert_eq!(api.json("/api/v1/jobs").await, json!([]));
    let response = api
        .post(
            "/api/v1/commands",
            &json!({
                "command": "Uruchom w tle",
                "tool": "process_spawn",
                "arguments": {"command": "echo zadanie ruszyło; sleep 30"},
            }),
        )
        .send()
        .await
        .unwrap();
    let run: Value = response.json().await.unwrap();
    let detail = approve_until_done(&api, run["id"].as_str().unwrap()).await;
    assert_eq!(detail["run"]["status"], "done", "{detail}");
    let jobs = api.json("/api/v1/jobs").await;
    assert_eq!(jobs[0]["job"], "job-1", "{jobs}");
    assert_eq!(jobs[0]["running"], true);
    let pid = jobs[0]["pid"].as_u64().unwrap();
    let mut log = Value::Null;
    for _ in 0..100 {
        log = api.json("/api/v1/jobs/job-1/log?lines=5").await;
        if log["output"] == "zadanie ruszyło" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(log["output"], "zadanie ruszyło", "{log}");
    assert_eq!(log["running"], true);
    for (path, status) in [
        ("/api/v1/jobs/job-7/log", 404),
        ("/api/v1/jobs/..%2Fx/log", 404),
        ("/api/v1/jobs/job-1/log?lines=0", 400),
        ("/api/v1/jobs/job-1/log?lines=x", 400),
    ] {
        let response = api.get(path).send().await.unwrap();
        assert_eq!(response.status(), status, "{path}");
    }
    // Stopped as every process is: an approval-guarded process_kill.
    let response = api
        .post(
            "/api/v1/commands",
            &json!({"command": "Zatrzymaj job-1", "tool": "process_kill", "arguments": {"pid": pid}}),
        )
        .send()
        .await
        .unwrap();
    let run: Value = response.json().await.unwrap();
    approve_until_done(&api, run["id"].as_str().unwrap()).await;
    let jobs = api.json("/api/v1/jobs").await;
    assert_eq!(jobs[0]["running"], false, "{jobs}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_says_where_it_listens_and_a_rotated_token_shuts_out_the_old_one() {
    let api = Api::start().await;
    let info = api.json("/api/v1/server").await;
    assert_eq!(info["running"], true);
    assert_eq!(info["switchable"], false);
    let address = api.base.trim_start_matches("http://");
    assert_eq!(info["address"], address);
    assert_eq!(info["api_url"], format!("{}/api/v1/", api.base));
    assert_eq!(info["dashboard_url"], Value::Null, "no dashboard is served");
    assert!(info["token_file"].as_str().unwrap().ends_with("api-token"));
    let rotated = api
        .post("/api/v1/server/token", &json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(rotated.status(), 200);
    let new: Value = rotated.json().await.unwrap();
    let new = new["token"].as_str().unwrap().to_owned();
    assert_ne!(new, api.token);
    let old = api.get("/api/v1/server").send().await.unwrap();
    assert_eq!(old.status(), 401);
    let fresh = api
        .client
        .get(format!("{}/api/v1/server", api.base))
        .bearer_auth(&new)
        .send()
        .await
        .unwrap();
    assert_eq!(fresh.status(), 200);
    let file = std::fs::read_to_string(info["token_file"].as_str().unwrap()).unwrap();
    assert_eq!(file.trim(), new);
    let audit = api
        .client
        .get(format!("{}/api/v1/audit?action=api_token_rotate", api.base))
        .bearer_auth(&new)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        audit.contains("api_token_rotate") && !audit.contains(&new),
        "{audit}"
    );
}

/// Two files of a dashboard, in memory.
struct TwoFiles;

impl dark8_server::UiAssets for TwoFiles {
    fn get(&self, path: &str) -> Option<dark8_server::UiAsset> {
        let (bytes, mime) = match path {
            "/index.html" => ("<!doctype html><title>DARK8</title>", "text/html"),
            "/assets/app.js" => ("console.log('dark8')", "text/javascript"),
            _ => return None,
        };
        Some(dark8_server::UiAsset {
            bytes: bytes.as_bytes().to_vec(),
            mime_type: mime.to_owned(),
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dashboard_held_in_memory_is_served_with_page_paths_to_its_index() {
    let api = Api::start_with(Some(std::sync::Arc::new(TwoFiles))).await;
    let get = |path: &str| api.client.get(format!("{}{path}", api.base)).send();
    let index = get("/").await.unwrap();
    assert_eq!(index.status(), 200);
    assert_eq!(index.headers()["content-type"], "text/html");
    assert!(index.text().await.unwrap().contains("<title>DARK8</title>"));
    let script = get("/assets/app.js").await.unwrap();
    assert_eq!(script.headers()["content-type"], "text/javascript");
    let page = get("/ustawienia").await.unwrap();
    assert!(page.text().await.unwrap().contains("<title>DARK8</title>"));
    assert_eq!(get("/assets/nie-ma.js").await.unwrap().status(), 404);
    assert_eq!(get("/api/v1/nie-ma").await.unwrap().status(), 401);
    let info = api.json("/api/v1/server").await;
    assert_eq!(info["dashboard_url"], format!("{}/", api.base));
}
