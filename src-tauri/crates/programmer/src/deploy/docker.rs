//! The Docker target: the project's Dockerfile (a template's, or one written here for Rust and
//! Node.js projects), checked for the basics, and an image built where a Docker engine runs.

use super::Details;
use std::path::Path;

use dark8_tools::builtin::program::{last_line, Program};
use dark8_tools::sandbox::SandboxConfig;
use dark8_tools::{ToolContext, ToolError};

use super::Report;
use crate::project::Kind;

const DOCKERIGNORE: &str = ".git\ntarget\nnode_modules\n.venv\ndist\n__pycache__\n*.db\n";

fn rust_dockerfile(name: &str) -> String {
    format!(
        "# syntax=docker/dockerfile:1\nFROM rust:1-slim AS build\nWORKDIR /build\nCOPY . .\nRUN cargo build --release\n\n\
         FROM debian:bookworm-slim\nRUN useradd --system --uid 10001 --no-create-home app\n\
         COPY --from=build /build/target/release/{name} /usr/local/bin/{name}\nUSER app\n\
         HEALTHCHECK --interval=30s --timeout=3s CMD [\"/usr/local/bin/{name}\", \"--healthcheck\"]\n\
         CMD [\"/usr/local/bin/{name}\"]\n"
    )
}

const NODE_DOCKERFILE: &str = "# syntax=docker/dockerfile:1\nFROM node:20-slim AS build\nWORKDIR /build\nCOPY package*.json ./\n\
RUN if [ -f package-lock.json ]; then npm ci --omit=dev; else npm install --omit=dev; fi\n\n\
FROM node:20-slim\nENV NODE_ENV=production\nWORKDIR /app\nCOPY --from=build /build/node_modules ./node_modules\nCOPY . .\n\
USER node\nHEALTHCHECK --interval=30s --timeout=3s CMD [\"node\", \"-e\", \"process.exit(0)\"]\nCMD [\"npm\", \"start\"]\n";

/// What a Dockerfile lacks of the basics: several stages, a non-root user, a health check.
fn missing_basics(dockerfile: &str) -> Vec<&'static str> {
    let upper = dockerfile.to_uppercase();
    let mut missing = Vec::new();
    if upper.matches("\nFROM ").count() + usize::from(upper.starts_with("FROM ")) < 2 {
        missing.push("budowania wieloetapowego");
    }
    if !upper.contains("\nUSER ") {
        missing.push("użytkownika bez uprawnień (USER)");
    }
    if !upper.contains("HEALTHCHECK") {
        missing.push("HEALTHCHECK");
    }
    missing
}

async fn quiet(
    ctx: &ToolContext,
    sandbox: &SandboxConfig,
    dir: &Path,
    args: &[&str],
    network: bool,
) -> Result<(bool, String), ToolError> {
    let mut program = Program::new("docker", args, ctx);
    program.cwd = dir.to_path_buf();
    program.stream = network;
    program.network = network;
    let output = program.run(ctx, sandbox).await?;
    Ok((output.success(), last_line(&output.stderr).to_owned()))
}

pub(crate) async fn prepare(
    ctx: &ToolContext,
    sandbox: &SandboxConfig,
    dir: &Path,
    kind: Option<Kind>,
    name: &str,
) -> Result<Report, ToolError> {
    let mut report = Report::default();
    let path = dir.join("Dockerfile");
    if path.is_file() {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let missing = missing_basics(&text);
        if !missing.is_empty() {
            report
                .notes
                .push(format!("Dockerfile nie ma: {}.", missing.join(", ")));
        }
        report.files.push("Dockerfile".to_owned());
    } else {
        let text = match kind {
            Some(Kind::Rust) => rust_dockerfile(name),
            Some(Kind::Node) => NODE_DOCKERFILE.to_owned(),
            _ => {
                return Err(ToolError::new(
                    "Nie wiem, jak uruchomić ten projekt w kontenerze: nie ma Dockerfile.",
                    "Dodaj Dockerfile (projekty z project_create mają go od początku).",
                ))
            }
        };
        std::fs::write(&path, text).map_err(|e| {
            ToolError::new(
                format!("Nie zapisano Dockerfile: {e}."),
                "Sprawdź uprawnienia.",
            )
        })?;
        report.files.push("Dockerfile (nowy)".to_owned());
    }
    let ignore = dir.join(".dockerignore");
    if !ignore.exists() {
        std::fs::write(&ignore, DOCKERIGNORE).map_err(|e| {
            ToolError::new(
                format!("Nie zapisano .dockerignore: {e}."),
                "Sprawdź uprawnienia.",
            )
        })?;
        report.files.push(".dockerignore (nowy)".to_owned());
    } else {
        report.files.push(".dockerignore".to_owned());
    }
    let engine = match quiet(
        ctx,
        sandbox,
        dir,
        &["info", "--format", "{{.ServerVersion}}"],
        false,
    )
    .await
    {
        Ok((true, _)) => true,
        Ok((false, said)) => {
            report.notes.push(format!(
                "Obrazu nie zbudowano: nie działa tu silnik Docker ({said}). Zbuduj go tam, gdzie działa: `docker build -t {name} .`"
            ));
            false
        }
        Err(_) => {
            report.notes.push(format!(
                "Obrazu nie zbudowano: nie ma tu programu docker. Zbuduj go tam, gdzie jest: `docker build -t {name} .`"
            ));
            false
        }
    };
    if engine {
        (ctx.progress)(format!("Buduję obraz {name}"), Some(0.5));
        let (built, said) = quiet(ctx, sandbox, dir, &["build", "-t", name, "."], true).await?;
        if !built {
            return Err(ToolError::new(
                format!("docker build nie powiódł się: {said}"),
                "Przeczytaj wyjście budowania powyżej.",
            ));
        }
        report.notes.push(format!("Zbudowano obraz {name}."));
    }
    report.summary = format!("Docker: {} gotowe.", report.files.join(", "));
    report.details = Some(Details::Docker {
        image_built: engine,
        image: name.to_owned(),
    });
    Ok(report)
}

#[cfg(test)]
mod tests {
    #[test]
    fn basics() {
        assert!(
            super::missing_basics("FROM a AS b\nRUN x\nFROM c\nUSER app\nHEALTHCHECK CMD x\n")
                .is_empty()
        );
        assert_eq!(super::missing_basics("FROM a\nCMD x\n").len(), 3);
    }
}
