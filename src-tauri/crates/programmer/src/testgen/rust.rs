//! Rust: functions found with `syn` (the Rust parser itself). For every source file with
//! callable items — free functions and associated functions without `self` whose parameters
//! are all simple (integers, floats, bool, char, &str, String), that return something, and
//! whose names do not say they act on the world (serve, run, write, delete ...) — plus types
//! that derive `Default`, a `#[cfg(test)] mod dark8_smoke_tests` is appended to the file. Each
//! test calls with simple arguments and expects no panic. `cargo test` runs them; a file
//! whose tests do not compile gets its original text back, failing tests are cut out.

use super::Generated;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use dark8_tools::sandbox::SandboxConfig;
use dark8_tools::{ToolContext, ToolError, ToolOutput};
use syn::{FnArg, ImplItem, Item, ReturnType, Type};

use super::examples::{rust_literal, Example, ExampleRequest, ExampleWriter, MAX_FUNCTIONS};
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

/// The name of a simple type (`i32`, `&str`, `String` ...), or `None`.
fn simple_type(ty: &Type) -> Option<String> {
    match ty {
        Type::Reference(reference) => match &*reference.elem {
            Type::Path(path) if path.path.is_ident("str") => Some("&str".to_owned()),
            _ => None,
        },
        Type::Path(path) => {
            let ident = path.path.get_ident()?.to_string();
            matches!(
                ident.as_str(),
                "i8" | "i16"
                    | "i32"
                    | "i64"
                    | "i128"
                    | "isize"
                    | "u8"
                    | "u16"
                    | "u32"
                    | "u64"
                    | "u128"
                    | "usize"
                    | "f32"
                    | "f64"
                    | "bool"
                    | "char"
                    | "String"
            )
            .then_some(ident)
        }
        _ => None,
    }
}

/// A literal of a simple type, or `None` when the type is not simple.
fn literal(ty: &Type) -> Option<&'static str> {
    Some(match simple_type(ty)?.as_str() {
        "f32" | "f64" => "0.0",
        "bool" => "false",
        "char" => "'a'",
        "String" => "String::new()",
        "&str" => "\"\"",
        _ => "0",
    })
}

/// A function a model may write examples for: how to call it, its parameter and return
/// types (all simple) and its source.
#[derive(Debug, Clone, PartialEq)]
struct Candidate {
    name: String,
    path: String,
    params: Vec<String>,
    returns: String,
    source: String,
}

fn candidate(
    sig: &syn::Signature,
    name: String,
    path: String,
    source: String,
) -> Option<Candidate> {
    callable(sig)?;
    let ReturnType::Type(_, output) = &sig.output else {
        return None;
    };
    let params = sig
        .inputs
        .iter()
        .map(|input| match input {
            FnArg::Typed(typed) => simple_type(&typed.ty),
            FnArg::Receiver(_) => None,
        })
        .collect::<Option<Vec<_>>>()?;
    if params.is_empty() {
        return None;
    }
    Some(Candidate {
        name,
        path,
        params,
        returns: simple_type(output)?,
        source,
    })
}

/// The functions of a parsed file a model may write examples for.
fn candidates(file: &syn::File) -> Vec<Candidate> {
    use quote::ToTokens;
    let mut found = Vec::new();
    for item in &file.items {
        match item {
            Item::Fn(function) => {
                let name = function.sig.ident.to_string();
                found.extend(candidate(
                    &function.sig,
                    name.clone(),
                    name,
                    function.to_token_stream().to_string(),
                ));
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
                        let method_name = method.sig.ident.to_string();
                        found.extend(candidate(
                            &method.sig,
                            format!("{}_{method_name}", snake(&type_name)),
                            format!("{type_name}::{method_name}"),
                            method.to_token_stream().to_string(),
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// Example smoke tests (real assertions) from a model's examples for `candidate`.
fn example_smokes(candidate: &Candidate, examples: &[Example]) -> Vec<Smoke> {
    examples
        .iter()
        .enumerate()
        .filter(|(_, e)| e.args.len() == candidate.params.len())
        .filter_map(|(i, example)| {
            let args = example
                .args
                .iter()
                .zip(&candidate.params)
                .map(|(value, ty)| rust_literal(value, ty))
                .collect::<Option<Vec<_>>>()?;
            let expected = rust_literal(&example.expected, &candidate.returns)?;
            let call = format!("{}({})", candidate.path, args.join(", "));
            let check = if candidate.returns.starts_with('f') {
                format!("assert!(({call} - {expected}).abs() < 1e-9);")
            } else {
                format!("assert_eq!({call}, {expected});")
            };
            Some(Smoke {
                name: format!("{}_example_{}", candidate.name, i + 1),
                call: check,
            })
        })
        .collect()
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
    writer: Option<&dyn ExampleWriter>,
) -> Result<ToolOutput<Generated>, ToolError> {
    let mut asked = 0usize;
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
        // syn's trees are not Send: read what is needed before any await.
        let (mut tests, found) = match syn::parse_file(&original) {
            Ok(parsed) => (smokes(&parsed), candidates(&parsed)),
            Err(_) => continue,
        };
        if let Some(writer) = writer {
            for candidate in found {
                if asked >= MAX_FUNCTIONS {
                    break;
                }
                asked += 1;
                (ctx.progress)(
                    format!("Model językowy pisze przykłady dla {}", candidate.path),
                    None,
                );
                let examples = writer
                    .examples(ExampleRequest {
                        language: "rust",
                        function: candidate.path.clone(),
                        source: candidate.source.clone(),
                    })
                    .await;
                tests.extend(example_smokes(&candidate, &examples));
            }
        }
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
        data: Generated {
            language: "rust".to_owned(),
            files: files.into_iter().cloned().collect(),
            tests: count,
            dropped,
            skipped_modules: None,
            model_examples_for: asked,
        },
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
    fn model_examples_become_typed_assertions() {
        let file: syn::File = syn::parse_str(
            "pub fn add(a: i32, b: i32) -> i32 { a + b }\npub fn half(x: f64) -> f64 { x / 2.0 }\n",
        )
        .unwrap();
        let found = candidates(&file);
        assert_eq!(found.len(), 2);
        let examples = [
            Example {
                args: vec![serde_json::json!(2), serde_json::json!(3)],
                expected: serde_json::json!(5),
            },
            Example {
                args: vec![serde_json::json!("x"), serde_json::json!(3)],
                expected: serde_json::json!(5),
            },
        ];
        let smokes = example_smokes(&found[0], &examples);
        assert_eq!(smokes.len(), 1, "the ill-typed example is skipped");
        assert_eq!(smokes[0].call, "assert_eq!(add(2, 3), 5);");
        let halves = example_smokes(
            &found[1],
            &[Example {
                args: vec![serde_json::json!(3)],
                expected: serde_json::json!(1.5),
            }],
        );
        assert_eq!(halves[0].call, "assert!((half(3.0) - 1.5).abs() < 1e-9);");
    }

    #[test]
    fn cargo_reports_are_read() {
        let report = "test config::dark8_smoke_tests::add_runs ... ok\ntest dark8_smoke_tests::greet_runs ... FAILED\n";
        assert_eq!(failed(report), ["greet"]);
        let errors = "error[E0425]: cannot find function\n  --> src/lib.rs:40:17\n";
        assert_eq!(files_with_errors(errors), ["src/lib.rs"]);
    }
}
