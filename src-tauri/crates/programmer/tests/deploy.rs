//! `project_deploy` on freshly generated projects of every template: a tarball with a sha256
//! file that `sha256sum -c` accepts, a hardened unit that `systemd-analyze verify` accepts
//! where it is installed, and a Dockerfile (an image only where a Docker engine runs).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use common::call;
use dark8_protocol::ToolStatus;
use serde_json::json;
use std::process::Command;

#[tokio::test]
async fn every_template_deploys_to_all_three_targets() {
    let (exec, ws, _data, _store) = common::executor().await;
    let systemd_analyze = Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_ok();
    for framework in ["fastapi", "flask", "django", "nodejs", "rust"] {
        let created = call(
            &exec,
            "project_create",
            json!({"framework": framework, "name": format!("wdrozenie {framework}")}),
        )
        .await;
        assert_eq!(created.status, ToolStatus::Success, "{}", created.summary);
        let path = format!("wdrozenie-{framework}");
        let project = ws.path().join(&path);

        let tarball = call(
            &exec,
            "project_deploy",
            json!({"path": path, "target": "tarball"}),
        )
        .await;
        assert_eq!(
            tarball.status,
            ToolStatus::Success,
            "{framework}: {}",
            tarball.summary
        );
        let dist = project.join("dist");
        let check = Command::new("sha256sum")
            .arg("-c")
            .arg(format!("{path}-0.1.0.tar.gz.sha256"))
            .current_dir(&dist)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{framework}: {}",
            String::from_utf8_lossy(&check.stdout)
        );
        let listing = Command::new("tar")
            .args(["-tzf", &format!("{path}-0.1.0.tar.gz")])
            .current_dir(&dist)
            .output()
            .unwrap();
        let listing = String::from_utf8_lossy(&listing.stdout).to_string();
        assert!(
            listing.contains(&format!("{path}-0.1.0/README.md")),
            "{framework}: {listing}"
        );
        assert!(
            !listing.contains(".git/") && !listing.contains("/dist/"),
            "{framework}: {listing}"
        );

        let unit = call(
            &exec,
            "project_deploy",
            json!({"path": path, "target": "systemd"}),
        )
        .await;
        assert_eq!(
            unit.status,
            ToolStatus::Success,
            "{framework}: {}",
            unit.summary
        );
        assert_eq!(
            unit.output["details"]["hardening_missing"],
            json!([]),
            "{framework}"
        );
        if systemd_analyze {
            assert_eq!(
                unit.output["details"]["verified"], true,
                "{framework}: {}",
                unit.summary
            );
        }

        let docker = call(
            &exec,
            "project_deploy",
            json!({"path": path, "target": "docker"}),
        )
        .await;
        assert_eq!(
            docker.status,
            ToolStatus::Success,
            "{framework}: {}",
            docker.summary
        );
        assert!(docker.summary.contains("Dockerfile"), "{}", docker.summary);
        if docker.output["details"]["image_built"] == false {
            assert!(
                docker.summary.contains("docker build -t"),
                "{}",
                docker.summary
            );
        }
    }
    let missing = call(
        &exec,
        "project_deploy",
        json!({"path": "nie-ma", "target": "tarball"}),
    )
    .await;
    assert!(
        missing.summary.contains("Nie ma katalogu"),
        "{}",
        missing.summary
    );
    std::fs::create_dir(ws.path().join("pusty")).unwrap();
    let unknown = call(
        &exec,
        "project_deploy",
        json!({"path": "pusty", "target": "docker"}),
    )
    .await;
    assert_eq!(unknown.status, ToolStatus::Error);
    assert!(
        unknown.summary.contains("nie ma Dockerfile"),
        "{}",
        unknown.summary
    );
}
