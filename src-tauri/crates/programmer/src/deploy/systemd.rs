//! The systemd target: a hardened unit in deploy/ (a template's, or one written here), checked
//! for its hardening and by `systemd-analyze verify` where that is installed.

use super::Details;
use std::path::Path;

use dark8_tools::builtin::program::Program;
use dark8_tools::sandbox::SandboxConfig;
use dark8_tools::{ToolContext, ToolError};

use super::Report;
use crate::project::Kind;

/// Directives a unit needs to count as hardened.
const HARDENING: &[&str] = &[
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    "ProtectHome=yes",
    "PrivateTmp=yes",
    "PrivateDevices=yes",
    "CapabilityBoundingSet=",
    "RestrictAddressFamilies=",
    "SystemCallFilter=",
];

fn unit(name: &str, exec_start: &str, working_directory: &str) -> String {
    format!(
        "[Unit]\nDescription={name}\nAfter=network-online.target\nWants=network-online.target\n\n\
         [Service]\nType=simple\nDynamicUser=yes\nStateDirectory={name}\n{working_directory}ExecStart={exec_start}\n\
         Restart=on-failure\nNoNewPrivileges=yes\nCapabilityBoundingSet=\nProtectSystem=strict\nProtectHome=yes\n\
         PrivateTmp=yes\nPrivateDevices=yes\nProtectKernelTunables=yes\nProtectKernelModules=yes\n\
         ProtectControlGroups=yes\nRestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX\nRestrictNamespaces=yes\n\
         LockPersonality=yes\nSystemCallArchitectures=native\nSystemCallFilter=@system-service\nUMask=0077\n\n\
         [Install]\nWantedBy=multi-user.target\n"
    )
}

/// A unit for a project without one, when its kind says how it starts.
fn generated(dir: &Path, kind: Option<Kind>, name: &str) -> Option<String> {
    let opt = format!("/opt/{name}");
    match kind {
        Some(Kind::Rust) => Some(unit(name, &format!("/usr/local/bin/{name}"), "")),
        Some(Kind::Node) => Some(unit(
            name,
            "/usr/bin/npm start",
            &format!("WorkingDirectory={opt}\n"),
        )),
        Some(Kind::Python) if dir.join("app/__main__.py").is_file() => Some(unit(
            name,
            &format!("{opt}/.venv/bin/python -m app"),
            &format!("WorkingDirectory={opt}\n"),
        )),
        _ => None,
    }
}

/// `systemd-analyze verify` lines that only say the program is not installed yet here.
fn only_not_installed(line: &str, name: &str) -> bool {
    line.contains("is not executable: No such file or directory")
        && (line.contains(&format!("/opt/{name}/"))
            || line.contains(&format!("/usr/local/bin/{name}")))
}

pub(crate) async fn prepare(
    ctx: &ToolContext,
    sandbox: &SandboxConfig,
    dir: &Path,
    kind: Option<Kind>,
    name: &str,
) -> Result<Report, ToolError> {
    let mut report = Report::default();
    let relative = format!("deploy/{name}.service");
    let path = dir.join(&relative);
    if path.is_file() {
        report.files.push(relative.clone());
    } else {
        let text = generated(dir, kind, name).ok_or_else(|| {
            ToolError::new(
                "Nie wiem, jak uruchomić ten projekt jako usługę.",
                format!("Dodaj {relative} (projekty z project_create mają ją od początku)."),
            )
        })?;
        std::fs::create_dir_all(dir.join("deploy"))
            .and_then(|()| std::fs::write(&path, text))
            .map_err(|e| {
                ToolError::new(
                    format!("Nie zapisano {relative}: {e}."),
                    "Sprawdź uprawnienia.",
                )
            })?;
        report.files.push(format!("{relative} (nowy)"));
    }
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let missing: Vec<&str> = HARDENING
        .iter()
        .copied()
        .filter(|d| !text.contains(d))
        .collect();
    if !missing.is_empty() {
        report.notes.push(format!(
            "Usłudze brakuje utwardzenia: {}.",
            missing.join(", ")
        ));
    }
    let mut verified = None;
    let mut program = Program::new("systemd-analyze", &["verify", &relative], ctx);
    program.cwd = dir.to_path_buf();
    program.stream = false;
    // systemd-analyze (a system program, not project code; it only parses the unit) sets up a
    // runtime directory of its own outside the workspace, which Landlock would refuse.
    program.confine_file_system = false;
    match program.run(ctx, sandbox).await {
        Ok(output) => {
            let problems: Vec<String> = output
                .stderr
                .lines()
                .chain(output.stdout.lines())
                .filter(|l| !l.trim().is_empty() && !only_not_installed(l, name))
                .map(str::to_owned)
                .collect();
            if !problems.is_empty() {
                return Err(ToolError::new(
                    format!(
                        "systemd-analyze verify odrzuca {relative}: {}",
                        problems.join(" | ")
                    ),
                    "Popraw plik usługi według komunikatów.",
                ));
            }
            report.notes.push(
                "systemd-analyze verify: bez zastrzeżeń (poza programem usługi, który pojawi się po instalacji).".to_owned(),
            );
            verified = Some(true);
        }
        Err(_) => report
            .notes
            .push("Nie sprawdzono przez systemd-analyze: nie ma go na tym komputerze.".to_owned()),
    }
    report.summary = format!("systemd: {} gotowe (instalacja: skopiuj do /etc/systemd/system/ i `systemctl enable --now {name}`).", report.files.join(", "));
    report.details = Some(Details::Systemd {
        verified,
        hardening_missing: missing.iter().map(|m| (*m).to_owned()).collect(),
    });
    Ok(report)
}
