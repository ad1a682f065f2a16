//! JavaScript: exports found with tree-sitter's JavaScript grammar (ES modules: `export
//! function`, `export const f = () =>`, `export class`, `export { a, b }`; CommonJS:
//! `module.exports = {...}`, `exports.f = ...`). Modules that start a server or run work at
//! load time (a top-level `.listen(...)` call) are not imported. One `node:test` file checks
//! that each module loads, that each exported function is a function with the number of
//! required parameters the source declares, that functions needing no argument return
//! something, and that classes construct without arguments when their constructor needs
//! none. The file is run with `node --test` and only passing tests are kept.

use super::Generated;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use dark8_tools::sandbox::SandboxConfig;
use dark8_tools::{ToolContext, ToolError, ToolOutput};
use tree_sitter::{Node, Parser};

use super::examples::{Example, ExampleRequest, ExampleWriter, MAX_FUNCTIONS};
use super::{ignored, run};

/// Where the generated tests go (the folder `node --test` looks in).
const TEST_FILE: &str = "test/dark8_smoke.test.js";

/// Words in a function name that mean it acts on the world.
const SIDE_EFFECTS: &[&str] = &[
    "main", "run", "serve", "start", "listen", "spawn", "exit", "delete", "remove", "write",
    "save", "send", "kill", "install", "shutdown", "sleep", "wait",
];

/// What a module exports.
#[derive(Debug, Clone, PartialEq)]
enum Export {
    /// A function with this many required parameters (JavaScript's `length`).
    Function { name: String, required: usize },
    /// A class whose constructor needs this many arguments.
    Class { name: String, required: usize },
}

/// A module's exports; `runs_at_load` when it does work at import time.
#[derive(Debug, Default, PartialEq)]
struct Module {
    exports: Vec<Export>,
    runs_at_load: bool,
    /// Source text of the top-level declarations, by declared name.
    sources: BTreeMap<String, String>,
}

fn text<'a>(node: Node<'_>, source: &'a str) -> &'a str {
    source.get(node.byte_range()).unwrap_or("")
}

/// Parameters before the first default or rest parameter (`Function.prototype.length`).
fn required(parameters: Option<Node<'_>>) -> usize {
    let Some(parameters) = parameters else {
        return 0;
    };
    let mut cursor = parameters.walk();
    parameters
        .named_children(&mut cursor)
        .filter(|p| p.kind() != "comment")
        .take_while(|p| !matches!(p.kind(), "assignment_pattern" | "rest_pattern"))
        .count()
}

fn function_like(node: Node<'_>) -> Option<usize> {
    match node.kind() {
        "function_declaration"
        | "function_expression"
        | "function"
        | "arrow_function"
        | "generator_function_declaration" => Some(match node.child_by_field_name("parameters") {
            Some(p) => required(Some(p)),
            // `x => ...`: one parameter.
            None => usize::from(node.child_by_field_name("parameter").is_some()),
        }),
        _ => None,
    }
}

fn constructor_arity(class: Node<'_>, source: &str) -> usize {
    let Some(body) = class.child_by_field_name("body") else {
        return 0;
    };
    let mut cursor = body.walk();
    let constructor = body.named_children(&mut cursor).find(|m| {
        m.kind() == "method_definition"
            && m.child_by_field_name("name")
                .is_some_and(|n| text(n, source) == "constructor")
    });
    constructor.map_or(0, |m| required(m.child_by_field_name("parameters")))
}

/// The export a declaration makes, if any.
fn declared(node: Node<'_>, source: &str, out: &mut Vec<Export>) {
    match node.kind() {
        "function_declaration" | "generator_function_declaration" => {
            if let (Some(name), Some(required)) =
                (node.child_by_field_name("name"), function_like(node))
            {
                out.push(Export::Function {
                    name: text(name, source).to_owned(),
                    required,
                });
            }
        }
        "class_declaration" => {
            if let Some(name) = node.child_by_field_name("name") {
                out.push(Export::Class {
                    name: text(name, source).to_owned(),
                    required: constructor_arity(node, source),
                });
            }
        }
        "lexical_declaration" | "variable_declaration" => {
            let mut cursor = node.walk();
            for declarator in node.named_children(&mut cursor) {
                let (Some(name), Some(value)) = (
                    declarator.child_by_field_name("name"),
                    declarator.child_by_field_name("value"),
                ) else {
                    continue;
                };
                if let Some(required) = function_like(value) {
                    out.push(Export::Function {
                        name: text(name, source).to_owned(),
                        required,
                    });
                } else if value.kind() == "class" {
                    out.push(Export::Class {
                        name: text(name, source).to_owned(),
                        required: constructor_arity(value, source),
                    });
                }
            }
        }
        _ => {}
    }
}

/// Top-level declarations by name, to resolve `export { a }` and `module.exports = { a }`.
fn local(program: Node<'_>, source: &str, name: &str) -> Option<Export> {
    let mut cursor = program.walk();
    for statement in program.named_children(&mut cursor) {
        let mut found = Vec::new();
        declared(statement, source, &mut found);
        if let Some(export) = found.into_iter().find(|e| match e {
            Export::Function { name: n, .. } | Export::Class { name: n, .. } => n == name,
        }) {
            return Some(export);
        }
    }
    None
}

/// True when `node` (outside any function) calls `.listen(...)`.
fn listens(node: Node<'_>, source: &str) -> bool {
    if matches!(
        node.kind(),
        "function_declaration"
            | "function_expression"
            | "function"
            | "arrow_function"
            | "method_definition"
            | "class_body"
    ) {
        return false;
    }
    if node.kind() == "call_expression" {
        if let Some(function) = node.child_by_field_name("function") {
            if function.kind() == "member_expression"
                && function
                    .child_by_field_name("property")
                    .is_some_and(|p| text(p, source) == "listen")
            {
                return true;
            }
        }
    }
    let mut cursor = node.walk();
    let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
    children.into_iter().any(|child| listens(child, source))
}

/// Parses one module's source.
fn inspect(source: &str) -> Option<Module> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_javascript::LANGUAGE.into())
        .ok()?;
    let tree = parser.parse(source, None)?;
    let program = tree.root_node();
    let mut module = Module {
        runs_at_load: listens(program, source),
        ..Module::default()
    };
    let mut cursor = program.walk();
    for statement in program.named_children(&mut cursor) {
        let mut declared_here = Vec::new();
        let declaration = if statement.kind() == "export_statement" {
            statement.child_by_field_name("declaration")
        } else {
            Some(statement)
        };
        if let Some(declaration) = declaration {
            declared(declaration, source, &mut declared_here);
        }
        for export in declared_here {
            let (Export::Function { name, .. } | Export::Class { name, .. }) = export;
            module
                .sources
                .insert(name, text(statement, source).chars().take(2000).collect());
        }
    }
    let mut cursor = program.walk();
    for statement in program.named_children(&mut cursor) {
        match statement.kind() {
            "export_statement" => {
                if let Some(declaration) = statement.child_by_field_name("declaration") {
                    declared(declaration, source, &mut module.exports);
                }
                let mut inner = statement.walk();
                for clause in statement
                    .named_children(&mut inner)
                    .filter(|c| c.kind() == "export_clause")
                {
                    let mut specs = clause.walk();
                    for spec in clause.named_children(&mut specs) {
                        let Some(name) = spec.child_by_field_name("name") else {
                            continue;
                        };
                        let exported = spec
                            .child_by_field_name("alias")
                            .map_or_else(|| text(name, source), |a| text(a, source));
                        if let Some(export) = local(program, source, text(name, source)) {
                            module.exports.push(rename(export, exported));
                        }
                    }
                }
            }
            "expression_statement" => commonjs(statement, program, source, &mut module.exports),
            _ => {}
        }
    }
    Some(module)
}

fn rename(export: Export, name: &str) -> Export {
    match export {
        Export::Function { required, .. } => Export::Function {
            name: name.to_owned(),
            required,
        },
        Export::Class { required, .. } => Export::Class {
            name: name.to_owned(),
            required,
        },
    }
}

/// `module.exports = { a, b: c }`, `module.exports.f = ...`, `exports.f = ...`.
fn commonjs(statement: Node<'_>, program: Node<'_>, source: &str, out: &mut Vec<Export>) {
    let Some(assignment) = statement
        .named_child(0)
        .filter(|n| n.kind() == "assignment_expression")
    else {
        return;
    };
    let (Some(left), Some(right)) = (
        assignment.child_by_field_name("left"),
        assignment.child_by_field_name("right"),
    ) else {
        return;
    };
    let target = text(left, source);
    if target == "module.exports" && right.kind() == "object" {
        let mut cursor = right.walk();
        for property in right.named_children(&mut cursor) {
            match property.kind() {
                "shorthand_property_identifier" => {
                    if let Some(export) = local(program, source, text(property, source)) {
                        out.push(export);
                    }
                }
                "pair" => {
                    let (Some(key), Some(value)) = (
                        property.child_by_field_name("key"),
                        property.child_by_field_name("value"),
                    ) else {
                        continue;
                    };
                    let key = text(key, source);
                    if let Some(required) = function_like(value) {
                        out.push(Export::Function {
                            name: key.to_owned(),
                            required,
                        });
                    } else if value.kind() == "identifier" {
                        if let Some(export) = local(program, source, text(value, source)) {
                            out.push(rename(export, key));
                        }
                    }
                }
                _ => {}
            }
        }
    } else if let Some(name) = target
        .strip_prefix("module.exports.")
        .or_else(|| target.strip_prefix("exports."))
    {
        if let Some(required) = function_like(right) {
            out.push(Export::Function {
                name: name.to_owned(),
                required,
            });
        }
    }
}

/// One test: its title and body.
#[derive(Debug, Clone, PartialEq)]
struct Case {
    title: String,
    body: String,
}

fn cases(
    file: &str,
    module: &Module,
    esm: bool,
    examples: &BTreeMap<String, Vec<Example>>,
) -> Vec<Case> {
    let load = if esm {
        format!("const module = await import(\"../{file}\");")
    } else {
        format!("const module = require(\"../{file}\");")
    };
    let mut out = vec![Case {
        title: format!("{file} loads"),
        body: format!("{load}\n  assert.ok(module);"),
    }];
    for export in &module.exports {
        match export {
            Export::Function { name, required } => {
                out.push(Case {
                    title: format!("{file}: {name} is a function of {required} required parameters"),
                    body: format!("{load}\n  assert.equal(typeof module.{name}, \"function\");\n  assert.equal(module.{name}.length, {required});"),
                });
                for example in examples.get(name).into_iter().flatten() {
                    let args: Vec<String> = example.args.iter().map(ToString::to_string).collect();
                    out.push(Case {
                        title: format!(
                            "{file}: {name}({}) → {}",
                            args.join(", "),
                            example.expected
                        ),
                        body: format!(
                            "{load}\n  assert.deepEqual(await module.{name}({}), {});",
                            args.join(", "),
                            example.expected
                        ),
                    });
                }
                let acts = SIDE_EFFECTS.iter().any(|w| name.to_lowercase().contains(w));
                if *required == 0 && !acts {
                    out.push(Case {
                        title: format!("{file}: {name}() returns a value"),
                        body: format!("{load}\n  const result = await module.{name}();\n  assert.notEqual(result, undefined);"),
                    });
                }
            }
            Export::Class { name, required } => {
                out.push(Case {
                    title: format!("{file}: {name} is a class"),
                    body: format!("{load}\n  assert.equal(typeof module.{name}, \"function\");"),
                });
                if *required == 0 {
                    out.push(Case {
                        title: format!("{file}: new {name}() constructs"),
                        body: format!(
                            "{load}\n  assert.ok(new module.{name}() instanceof module.{name});"
                        ),
                    });
                }
            }
        }
    }
    out
}

fn render(cases: &[Case], esm: bool) -> String {
    let mut text = String::from(
        "// Smoke tests generated by DARK8 (tests_generate): modules load, exports have the kinds\n// and arities their source declares. Only tests that passed when generated were kept.\n",
    );
    text.push_str(if esm {
        "import { test } from \"node:test\";\nimport assert from \"node:assert/strict\";\n"
    } else {
        "const { test } = require(\"node:test\");\nconst assert = require(\"node:assert/strict\");\n"
    });
    for case in cases {
        let title = case.title.replace('\\', "\\\\").replace('"', "\\\"");
        let _ = write!(
            text,
            "\ntest(\"{title}\", async () => {{\n  {}\n}});\n",
            case.body
        );
    }
    text
}

/// Titles the TAP reporter marks `not ok`.
fn failed(tap: &str) -> Vec<String> {
    tap.lines()
        .filter_map(|line| line.trim_start().strip_prefix("not ok "))
        .filter_map(|rest| {
            rest.split_once(" - ")
                .map(|(_, title)| title.trim().replace("\\\"", "\"").replace("\\\\", "\\"))
        })
        .collect()
}

fn is_esm(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("package.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .is_some_and(|package| package["type"] == "module")
}

/// Writes, runs and prunes a `node:test` smoke file for the project in `dir`.
pub async fn generate(
    ctx: &ToolContext,
    sandbox: &SandboxConfig,
    dir: &Path,
    writer: Option<&dyn ExampleWriter>,
) -> Result<ToolOutput<Generated>, ToolError> {
    (ctx.progress)(
        "Czytam kod parserem JavaScriptu (tree-sitter)".to_owned(),
        Some(0.1),
    );
    let esm = is_esm(dir);
    let mut all: Vec<Case> = Vec::new();
    let mut skipped = Vec::new();
    let mut asked = 0usize;
    let walker = ignore::WalkBuilder::new(dir).build().flatten();
    for entry in walker {
        let path = entry.path();
        let relative = path.strip_prefix(dir).unwrap_or(path);
        let extension = path.extension().and_then(|e| e.to_str());
        if !matches!(extension, Some("js" | "mjs" | "cjs"))
            || ignored(relative)
            || relative.starts_with("test")
            || relative.starts_with("tests")
            || relative
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("eslint.config"))
        {
            continue;
        }
        let Ok(source) = std::fs::read_to_string(path) else {
            continue;
        };
        let Some(module) = inspect(&source) else {
            continue;
        };
        let file = relative.display().to_string().replace('\\', "/");
        if module.runs_at_load {
            skipped.push(file);
            continue;
        }
        if module.exports.is_empty() {
            continue;
        }
        let mut examples = BTreeMap::new();
        if let Some(writer) = writer {
            for export in &module.exports {
                let Export::Function { name, required } = export else {
                    continue;
                };
                let Some(code) = module.sources.get(name) else {
                    continue;
                };
                if *required == 0 || asked >= MAX_FUNCTIONS {
                    continue;
                }
                asked += 1;
                (ctx.progress)(
                    format!("Model językowy pisze przykłady dla {file}: {name}"),
                    None,
                );
                let found = writer
                    .examples(ExampleRequest {
                        language: "javascript",
                        function: name.clone(),
                        source: code.clone(),
                    })
                    .await;
                examples.insert(name.clone(), found);
            }
        }
        all.extend(cases(
            &file,
            &module,
            esm || extension == Some("mjs"),
            &examples,
        ));
    }
    let target = dir.join(TEST_FILE);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            ToolError::new(format!("Nie utworzono test/: {e}"), "Sprawdź uprawnienia.")
        })?;
    }
    let write = |text: &str| {
        std::fs::write(&target, text).map_err(|e| {
            ToolError::new(
                format!("Nie zapisano {TEST_FILE}: {e}"),
                "Sprawdź uprawnienia.",
            )
        })
    };
    let mut dropped = 0;
    if !all.is_empty() {
        write(&render(&all, esm))?;
        (ctx.progress)(
            format!("Uruchamiam {} testów (node --test)", all.len()),
            Some(0.5),
        );
        let (_, out, err) = run(
            ctx,
            sandbox,
            dir,
            "node",
            &["--test", "--test-reporter=tap", TEST_FILE],
        )
        .await?;
        let failing = failed(&format!("{out}\n{err}"));
        if !failing.is_empty() {
            let before = all.len();
            all.retain(|case| !failing.contains(&case.title));
            dropped = before - all.len();
            if all.is_empty() {
                let _ = std::fs::remove_file(&target);
            } else {
                write(&render(&all, esm))?;
            }
        }
    }
    let files: Vec<&str> = if all.is_empty() {
        Vec::new()
    } else {
        vec![TEST_FILE]
    };
    let note = if skipped.is_empty() {
        String::new()
    } else {
        format!(
            " Pominięto moduły uruchamiające serwer przy imporcie: {}.",
            skipped.join(", ")
        )
    };
    Ok(ToolOutput {
        summary: format!(
            "Wygenerowano {} testów node:test w {} (odrzucono {dropped}, które nie przechodziły).{note}",
            all.len(),
            files.first().copied().unwrap_or("-")
        ),
        data: Generated {
            language: "javascript".to_owned(),
            files: files.iter().map(|f| (*f).to_owned()).collect(),
            tests: all.len(),
            dropped,
            skipped_modules: Some(skipped),
            model_examples_for: asked,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn es_module_exports_and_their_arities_are_found() {
        let module = inspect(
            r#"
            import express from "express";
            export function loadConfig(env = process.env) { return {}; }
            export function validateItem(body) { return body; }
            export const add = (a, b) => a + b;
            export const twice = x => 2 * x;
            export class Store { constructor(items = []) { this.items = items; } }
            function hidden() {}
            const helper = function (a, b, ...rest) {};
            export { helper as pomocnik };
            "#,
        )
        .unwrap();
        assert!(!module.runs_at_load);
        assert_eq!(
            module.exports,
            [
                Export::Function {
                    name: "loadConfig".into(),
                    required: 0
                },
                Export::Function {
                    name: "validateItem".into(),
                    required: 1
                },
                Export::Function {
                    name: "add".into(),
                    required: 2
                },
                Export::Function {
                    name: "twice".into(),
                    required: 1
                },
                Export::Class {
                    name: "Store".into(),
                    required: 0
                },
                Export::Function {
                    name: "pomocnik".into(),
                    required: 2
                },
            ]
        );
    }

    #[test]
    fn commonjs_exports_and_servers_at_load_are_seen() {
        let module = inspect(
            "function a(x) {}\nconst b = () => 1;\nmodule.exports = { a, b, c: function (p, q) {} };\nexports.d = (z) => z;\n",
        )
        .unwrap();
        let names: Vec<_> = module
            .exports
            .iter()
            .map(|e| match e {
                Export::Function { name, required } | Export::Class { name, required } => {
                    (name.as_str(), *required)
                }
            })
            .collect();
        assert_eq!(names, [("a", 1), ("b", 0), ("c", 2), ("d", 1)]);
        let server = inspect(
            "const app = createApp();\napp.listen(3000, () => {});\nexport function x() {}\n",
        )
        .unwrap();
        assert!(server.runs_at_load);
        let lazy = inspect("export function start(app) { app.listen(3000); }\n").unwrap();
        assert!(!lazy.runs_at_load);
    }

    #[test]
    fn tap_failures_are_read_by_title() {
        let tap = "TAP version 13\n# Subtest: src/a.js loads\nok 1 - src/a.js loads\nnot ok 2 - src/a.js: f() returns a value\n  ---\n";
        assert_eq!(failed(tap), ["src/a.js: f() returns a value"]);
    }
}
