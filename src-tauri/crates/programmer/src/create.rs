//! `project_create {framework, name?, app_type?, path?}`: a new project from a template,
//! in the workspace, with git initialised and a first commit, recorded in the store.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dark8_protocol::RiskClass;
use dark8_store::{NewProject, Store};
use dark8_tools::builtin::program::{last_line, Program};
use dark8_tools::sandbox::SandboxConfig;
use dark8_tools::{ToolArgs, ToolContext, ToolError, ToolOutput, ToolResult, TypedTool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::slug::{identifier, pascal, slug};
use crate::template;

/// The frameworks with a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Framework {
    /// Django (Python).
    Django,
    /// Flask (Python).
    Flask,
    /// FastAPI (Python).
    Fastapi,
    /// Express (Node.js).
    Nodejs,
    /// axum (Rust).
    Rust,
}

impl Framework {
    /// The template's directory name.
    pub fn template(self) -> &'static str {
        match self {
            Framework::Django => "django",
            Framework::Flask => "flask",
            Framework::Fastapi => "fastapi",
            Framework::Nodejs => "nodejs",
            Framework::Rust => "rust",
        }
    }
}

/// Arguments of `project_create`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// django | flask | fastapi | nodejs | rust
    framework: Framework,
    /// Nazwa projektu, np. "Sklep Internetowy" (project name)
    #[serde(default)]
    #[schemars(length(min = 1, max = 100))]
    name: Option<String>,
    /// Rodzaj aplikacji, nazwa przykładowego zasobu, np. "todo", "produkt" (sample resource)
    #[serde(default)]
    #[schemars(length(min = 1, max = 60))]
    app_type: Option<String>,
    /// Katalog docelowy w obszarze roboczym (default: the slug of the name)
    #[serde(default)]
    #[tool(path)]
    path: Option<String>,
}

/// Creates projects from templates.
#[derive(Debug, Clone)]
pub struct ProjectCreate {
    store: Store,
    sandbox: SandboxConfig,
}

impl ProjectCreate {
    /// Recording projects in `store`; git runs in the sandbox with `sandbox`'s limits.
    pub fn new(store: Store, sandbox: SandboxConfig) -> ProjectCreate {
        ProjectCreate { store, sandbox }
    }
}

/// The variables every template gets.
pub fn variables(
    manifest: &template::Manifest,
    name: &str,
    app_type: &str,
) -> Result<BTreeMap<String, String>, ToolError> {
    let project_slug = slug(name);
    let resource = identifier(app_type);
    if project_slug.is_empty() || resource.is_empty() {
        return Err(ToolError::new(
            "Nazwa projektu i rodzaj aplikacji muszą zawierać litery albo cyfry.",
            "Np. {\"name\": \"Sklep Internetowy\", \"app_type\": \"produkt\"}.",
        ));
    }
    let mut vars = manifest.variables.clone();
    vars.insert("project_name".into(), name.trim().to_owned());
    vars.insert("project_slug".into(), project_slug.clone());
    vars.insert("package".into(), identifier(&project_slug));
    vars.insert("resource".into(), resource.clone());
    vars.insert("resource_class".into(), pascal(app_type));
    vars.insert("resource_label".into(), app_type.trim().to_owned());
    Ok(vars)
}

async fn git(
    ctx: &ToolContext,
    sandbox: &SandboxConfig,
    dir: &Path,
    args: &[&str],
) -> Result<String, ToolError> {
    let mut program = Program::new("git", args, ctx);
    program.cwd = dir.to_path_buf();
    program.stream = false;
    let output = program.run(ctx, sandbox).await?;
    if output.success() {
        Ok(output.stdout)
    } else {
        Err(ToolError::new(
            format!(
                "git {} nie powiódł się: {}",
                args.first().copied().unwrap_or(""),
                last_line(&output.stderr)
            ),
            "Sprawdź instalację git (`dark8 doctor`).",
        ))
    }
}

/// Runs one post-generate step; `Some(note)` when it was skipped or failed (the project is
/// still usable, so this is said, not fatal).
async fn post_generate(
    ctx: &ToolContext,
    sandbox: &SandboxConfig,
    dir: &Path,
    step: &template::Check,
) -> Option<String> {
    let (program, args) = step.argv.split_first()?;
    if which_program(program).is_none() {
        return Some(format!(
            "pominięto „{}”: brak programu {program}",
            step.name
        ));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut run = Program::new(program, &args, ctx);
    run.cwd = dir.to_path_buf();
    run.network = step.network;
    run.env = step.env.clone().into_iter().collect();
    match run.run(ctx, sandbox).await {
        Ok(output) if output.success() => None,
        Ok(output) => Some(format!(
            "„{}” nie powiódł się: {}",
            step.name,
            last_line(&output.stderr)
        )),
        Err(err) => Some(format!("„{}” nie ruszył: {}", step.name, err.message)),
    }
}

/// The program's path on PATH, if it is there.
fn which_program(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|candidate| candidate.is_file())
    })
}

/// The project `project_create` made.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Created {
    /// Its template.
    pub framework: String,
    /// Its name, as given.
    pub name: String,
    /// Its directory and package name.
    pub slug: String,
    /// Where it is.
    pub path: PathBuf,
    /// The files rendered, relative to it.
    pub files: Vec<PathBuf>,
    /// The first commit's hash.
    pub commit: String,
    /// The sample resource (`todo`, `produkt`, ...).
    pub resource: Option<String>,
    /// How to check it: the template's own commands.
    pub checks: Vec<template::Check>,
}

impl TypedTool for ProjectCreate {
    type Args = Args;
    type Output = Created;
    const NAME: &'static str = "project_create";
    const DESCRIPTION_PL: &'static str = "Tworzy projekt z szablonu (django, flask, fastapi, nodejs, rust): CRUD przykładowego zasobu, testy, linter, Dockerfile, usługa systemd, README; git init i pierwszy commit";
    const DESCRIPTION_EN: &'static str = "Creates a project from a template (django, flask, fastapi, nodejs, rust): CRUD of a sample resource, tests, linter, Dockerfile, systemd unit, README; git init and a first commit";
    const RISK: RiskClass = RiskClass::Write;
    const RISKS: &'static [RiskClass] = &[RiskClass::Write, RiskClass::Execute];
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<Created> {
        let framework = args.framework.template();
        let manifest = template::manifest(framework)
            .map_err(|e| ToolError::new(e.to_string(), "To błąd DARK8: zgłoś go."))?;
        let app_type = args.app_type.clone().unwrap_or_else(|| "todo".to_owned());
        let name = args
            .name
            .clone()
            .unwrap_or_else(|| format!("{app_type} {framework}"));
        let vars = variables(&manifest, &name, &app_type)?;
        let project_slug = vars.get("project_slug").cloned().unwrap_or_default();
        let target_name = args.path.clone().unwrap_or_else(|| project_slug.clone());
        let target = ctx.resolve(&target_name)?;
        if target.exists() && std::fs::read_dir(&target).map_or(true, |mut d| d.next().is_some()) {
            return Err(ToolError::new(
                format!(
                    "Katalog {target_name} już istnieje i nie jest pusty; niczego nie zmieniono."
                ),
                "Podaj inną nazwę (name) albo ścieżkę (path).",
            ));
        }
        (ctx.progress)(
            format!("Generuję projekt {framework} „{name}” w {target_name}"),
            Some(0.1),
        );
        let files = template::render(framework, &vars, &target).map_err(|e| {
            let _ = std::fs::remove_dir_all(&target);
            ToolError::new(
                e.to_string(),
                "Spróbuj ponownie; jeśli błąd wraca, zgłoś go.",
            )
        })?;
        let mut notes = Vec::new();
        for step in &manifest.post_generate {
            (ctx.progress)(format!("Krok po wygenerowaniu: {}", step.name), Some(0.5));
            if let Some(note) = post_generate(&ctx, &self.sandbox, &target, step).await {
                notes.push(note);
            }
        }
        (ctx.progress)(
            "Inicjuję repozytorium git i zapisuję pierwszy commit".to_owned(),
            Some(0.7),
        );
        git(
            &ctx,
            &self.sandbox,
            &target,
            &["init", "--quiet", "--initial-branch=main"],
        )
        .await?;
        git(&ctx, &self.sandbox, &target, &["add", "--all"]).await?;
        let has_identity = git(&ctx, &self.sandbox, &target, &["config", "user.email"])
            .await
            .is_ok();
        let message = format!("Nowy projekt {framework}: {name} (wygenerowany przez DARK8)");
        let mut commit = vec!["commit", "--quiet", "-m", message.as_str()];
        let identity = ["-c", "user.name=DARK8", "-c", "user.email=dark8@localhost"];
        if !has_identity {
            commit.splice(0..0, identity);
        }
        git(&ctx, &self.sandbox, &target, &commit).await?;
        let hash = git(&ctx, &self.sandbox, &target, &["rev-parse", "HEAD"])
            .await?
            .trim()
            .to_owned();
        self.store
                .projects()
                .upsert(&NewProject {
                    name: project_slug.clone(),
                    path: target.display().to_string(),
                    metadata: json!({"framework": framework, "resource": vars.get("resource"), "commit": hash}),
                })
                .await
                .map_err(|e| ToolError::new(format!("Projekt utworzony, ale nie zapisano go w bazie: {e}"), "Sprawdź `dark8 doctor`."))?;
        if !has_identity {
            notes.push("autor commita: DARK8, bo git nie ma ustawionego user.email".to_owned());
        }
        let author_note = if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join("; "))
        };
        Ok(ToolOutput {
                summary: format!(
                    "Utworzono projekt {framework} „{name}” w {target_name}: {} plików, commit {}{author_note}.",
                    files.len(),
                    hash.get(..8).unwrap_or(&hash)
                ),
                data: Created {
                    framework: framework.to_owned(),
                    name,
                    slug: project_slug,
                    path: target,
                    files,
                    commit: hash,
                    resource: vars.get("resource").cloned(),
                    checks: manifest.checks,
                },
            })
    }
}
