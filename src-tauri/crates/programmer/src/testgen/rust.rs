//! Rust: functions found with `syn` (the Rust parser itself). For every source file with
//! callable items — free functions and associated functions without `self` whose parameters
//! are all simple (integers, floats, bool, char, &str, String), that return something, and
//! whose names do not say they act on the world (serve, run, write, delete ...) — plus types
//! that derive `Default`, a `#[cfg(test)] mod dark8_smoke_tests` is appended to the file. Each
//! test calls with simple arguments and expects no panic. `cargo test` runs them; a file
//! whose tests do not compile gets its original text back, failing tests are cut out.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use dark8_tools::sandbox::SandboxConfig;
use dark8_tools::{ToolContext, ToolError, ToolOutput};
use serde_json::json;
use syn::{FnArg, ImplItem, Item, ReturnType, Type};

use super::{ignored, run};

/// The name of the appended module.
const MODULE: &str = "dark8_smoke_tests";

/// Words in a function name that mean it acts on the world.
const SIDE_EFFECTS: &[&str] = &[
    "main", "run", "serve", "start", "listen", "spawn", "exit", "delete", "remove", "write",
    "save", "send", "kill", "install", "shutdown", "block", "sleep", "wait", "loop", "daemon",
];

/// One smoke test: its name and the statement it runs.
#[derive(Debug, Clone, PartialEq)]
struct Smoke {
    name: String,
    call: String,
}

/// A literal of a simple type, or `None` when the type is not simple.
fn literal(ty: &Type) -> Option<&'static str> {
    match ty {
        Type::Reference(reference) => match &*reference.elem {
            Type::Path(path) if path.path.is_ident("str") => Some("\"\""),
            _ => None,
        },
        Type::Path(path) => {
            let ident = path.path.get_ident()?.to_string();
            Some(match ident.as_str() {
                "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64"
                | "u128" | "usize" => "0",
                "f32" | "f64" => "0.0",
                "bool" => "false",
                "char" => "'a'",
                "String" => "String::new()",
                _ => return None,
            })
        }
        _ => None,
    }
}

/// Literal arguments for `inputs` when every parameter is simple and none is `self`.
fn arguments<'a>(inputs: impl Iterator<Item = &'a FnArg>) -> Option<Vec<&'static str>> {
    inputs
        .map(|input| match input {
            FnArg::Receiver(_) => None,
            FnArg::Typed(typed) => literal(&typed.ty),
        })
        .collect()
}

fn callable(sig: &syn::Signature) -> Option<Vec<&'static str>> {
    let name = sig.ident.to_string();
    let acts = SIDE_EFFECTS
        .iter()
        .any(|word| name == *word || name.split('_').any(|part| part == *word));
    if acts
        || sig.asyncness.is_some()
        || sig.unsafety.is_some()
        || !sig.generics.params.is_empty()
        || matches!(sig.output, ReturnType::Default)
    {
        return None;
    }
    arguments(sig.inputs.iter())
}

fn derives_default(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("derive") && attr.to_token_stream_string().contains("Default")
    })
}

trait AttrText {
    fn to_token_stream_string(&self) -> String;
}

impl AttrText for syn::Attribute {
    fn to_token_stream_string(&self) -> String {
        match &self.meta {
            syn::Meta::List(list) => list.tokens.to_string(),
            _ => String::new(),
        }
    }
}

/// The smoke tests for one parsed file.
fn smokes(file: &syn::File) -> Vec<Smoke> {
    let mut found = Vec::new();
    for item in &file.items {
        match item {
            Item::Fn(function) => {
                if let Some(args) = callable(&function.sig) {
                    let name = function.sig.ident.to_string();
                    found.push(Smoke {
                        call: format!("let _ = {name}({});", args.join(", ")),
                        name,
                    });
                }
            }
            Item::Impl(block) if block.trait_.is_none() && block.generics.params.is_empty() => {
                let Type::Path(self_ty) = &*block.self_ty else {
                    continue;
                };
                let Some(type_name) = self_ty.path.get_ident().map(ToString::to_string) else {
                    continue;
                };
                for inner in &block.items {
                    if let ImplItem::Fn(method) = inner {
                        if let Some(args) = callable(&method.sig) {
                            let method_name = method.sig.ident.to_string();
                            found.push(Smoke {
                                name: format!("{}_{method_name}", snake(&type_name)),
                                call: format!(
                                    "let _ = {type_name}::{method_name}({});",
                                    args.join(", ")
                                ),
                            });
                        }
                    }
                }
            }
            Item::Struct(s) if s.generics.params.is_empty() && derives_default(&s.attrs) => {
                let type_name = s.ident.to_string();
                found.push(Smoke {
                    name: format!("{}_default", snake(&type_name)),
                    call: format!("let _ = {type_name}::default();"),
                });
            }
            _ => {}
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found.dedup_by(|a, b| a.name == b.name);
    found
}

fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// The module appended to a file.
fn block(tests: &[Smoke]) -> String {
    let mut text = format!(
        "\n// Smoke tests generated by DARK8 (tests_generate): simple arguments, no panic expected.\n// Only tests that passed when generated were kept.\n#[cfg(test)]\nmod {MODULE} {{\n    #[allow(unused_imports)]\n    use super::*;\n"
    );
    for test in tests {
        let _ = write!(
            text,
            "\n    #[test]\n    fn {}_runs() {{\n        {}\n    }}\n",
            test.name, test.call
        );
    }
    text.push_str("}\n");
    text
}

/// Test names `cargo test` reports as failed: `test a::dark8_smoke_tests::x_runs ... FAILED`.
fn failed(output: &str) -> Vec<String> {
    output
        .lines()
        .filter_map(|line| line.strip_prefix("test ")?.strip_suffix(" ... FAILED"))
        .filter_map(|path| path.rsplit("::").next())
        .filter_map(|name| name.strip_suffix("_runs").map(str::to_owned))
        .collect()
}

/// Source files `rustc` named in compile errors (`--> src/x.rs:3:5`).
fn files_with_errors(output: &str) -> Vec<String> {
    output
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("--> "))
        .filter_map(|at| at.split(':').next())
        .map(str::to_owned)
        .collect()
}

/// Writes, runs and prunes `#[cfg(test)]` smoke modules in the Rust project in `dir`.
pub async fn generate(
    ctx: &ToolContext,
    sandbox: &SandboxConfig,
    dir: &Path,
) -> Result<ToolOutput, ToolError> {
    (ctx.progress)("Czytam kod parserem Rusta (syn)".to_owned(), Some(0.1));
    let mut planned: BTreeMap<String, (PathBuf, String, Vec<Smoke>)> = BTreeMap::new();
    for entry in ignore::WalkBuilder::new(dir.join("src")).build().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") || ignored(path) {
            continue;
        }
        let Ok(original) = std::fs::read_to_string(path) else {
            continue;
        };
        if original.contains(&format!("mod {MODULE}")) {
            continue;
        }
        let Ok(parsed) = syn::parse_file(&original) else {
            continue;
        };
        let tests = smokes(&parsed);
        if tests.is_empty() {
            continue;
        }
        let relative = path.strip_prefix(dir).unwrap_or(path).display().to_string();
        planned.insert(relative, (path.to_path_buf(), original, tests));
    }
    let write = |path: &Path, text: &str| {
        std::fs::write(path, text).map_err(|e| {
            ToolError::new(
                format!("Nie zapisano {}: {e}", path.display()),
                "Sprawdź uprawnienia.",
            )
        })
    };
    for (path, original, tests) in planned.values() {
        write(path, &format!("{original}{}", block(tests)))?;
    }
    let mut dropped = 0usize;
    for attempt in 0..3 {
        if planned.is_empty() {
            break;
        }
        (ctx.progress)(
            format!("Uruchamiam cargo test ({} plików z testami)", planned.len()),
            Some(0.4 + 0.2 * f32::from(u8::try_from(attempt).unwrap_or(0))),
        );
        let (_, out, err) = run(
            ctx,
            sandbox,
            dir,
            "cargo",
            &["test", "--offline", "--color", "never", MODULE],
        )
        .await?;
        let report = format!("{out}\n{err}");
        if report.contains("could not compile") || report.contains("error[E") {
            let broken = files_with_errors(&report);
            let culprits: Vec<String> = planned
                .keys()
                .filter(|file| broken.iter().any(|b| b == *file) || broken.is_empty())
                .cloned()
                .collect();
            let culprits = if culprits.is_empty() {
                planned.keys().cloned().collect()
            } else {
                culprits
            };
            for file in culprits {
                if let Some((path, original, tests)) = planned.remove(&file) {
                    write(&path, &original)?;
                    dropped += tests.len();
                }
            }
            continue;
        }
        let failing = failed(&report);
        if failing.is_empty() {
            break;
        }
        for (path, original, tests) in planned.values_mut() {
            let before = tests.len();
            tests.retain(|t| !failing.contains(&t.name));
            dropped += before - tests.len();
            let text = if tests.is_empty() {
                original.clone()
            } else {
                format!("{original}{}", block(tests))
            };
            write(path, &text)?;
        }
        planned.retain(|_, (_, _, tests)| !tests.is_empty());
        break;
    }
    let files: Vec<&String> = planned.keys().collect();
    let count: usize = planned.values().map(|(_, _, t)| t.len()).sum();
    Ok(ToolOutput {
        summary: format!(
            "Wygenerowano {count} testów (moduły #[cfg(test)] {MODULE}) w {} plikach (odrzucono {dropped}, które nie przechodziły).",
            files.len()
        ),
        data: json!({"language": "rust", "files": files, "tests": count, "dropped": dropped}),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_callables_and_defaults_are_found_side_effects_are_not() {
        let file: syn::File = syn::parse_str(
            r#"
            pub fn add(a: i32, b: i32) -> i32 { a + b }
            pub fn greet(name: &str) -> String { format!("hej {name}") }
            pub fn serve(port: u16) -> std::io::Result<()> { Ok(()) }
            pub fn log(line: &str) { println!("{line}") }
            pub fn generic<T: Default>() -> T { T::default() }
            pub fn takes_vec(v: Vec<u8>) -> usize { v.len() }
            #[derive(Debug, Default)]
            pub struct Store { items: Vec<u8> }
            pub struct Config;
            impl Config {
                pub fn from_env() -> Result<Config, String> { Ok(Config) }
                pub fn port(&self) -> u16 { 8080 }
            }
            "#,
        )
        .unwrap();
        let names: Vec<String> = smokes(&file).into_iter().map(|s| s.name).collect();
        assert_eq!(names, ["add", "config_from_env", "greet", "store_default"]);
        let text = block(&smokes(&file));
        assert!(text.contains("let _ = add(0, 0);"));
        assert!(text.contains("let _ = Config::from_env();"));
        assert!(text.contains("#[cfg(test)]\nmod dark8_smoke_tests {"));
    }

    #[test]
    fn cargo_reports_are_read() {
        let report = "test config::dark8_smoke_tests::add_runs ... ok\ntest dark8_smoke_tests::greet_runs ... FAILED\n";
        assert_eq!(failed(report), ["greet"]);
        let errors = "error[E0425]: cannot find function\n  --> src/lib.rs:40:17\n";
        assert_eq!(files_with_errors(errors), ["src/lib.rs"]);
    }
}
