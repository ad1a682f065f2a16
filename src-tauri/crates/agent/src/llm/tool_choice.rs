//! Structured tool calls for small local models: the reply is constrained to the union of the
//! offered tools' argument schemas plus an `answer {text}` branch, and parsed tolerantly
//! (native `tool_calls`, fenced JSON, `<tool_call>` tags, bare JSON).

use serde_json::{json, Map, Value};

use super::{ChatReply, ToolSpec};
use crate::memory::MemoryText;

/// The name of the branch that ends the loop with a text for the user.
pub const ANSWER: &str = "answer";

/// The `answer` pseudo-tool as the model sees it.
pub fn answer_spec() -> ToolSpec {
    ToolSpec {
        name: ANSWER.to_owned(),
        description: "Reply to the user in Polish. Only for greetings, general questions, or after the other tools did the work.".to_owned(),
        parameters: json!({
            "type": "object",
            "properties": {"text": {"type": "string"}},
            "required": ["text"],
        }),
    }
}

/// What the model chose.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    /// Call a tool.
    Call {
        /// The call's id, when the API gave one.
        id: Option<String>,
        /// The tool.
        name: String,
        /// Its arguments.
        arguments: Value,
    },
    /// Answer the user.
    Answer(String),
}

/// The JSON Schema of one reply: `{"action": <tool>, "arguments": {...}}` for one of `tools`,
/// or `{"action": "answer", "arguments": {"text": "..."}}`. The key is `action` because
/// grammar compilers (llama.cpp, Ollama) emit properties in the schema's key order, which
/// serde_json sorts: `action` comes before `arguments`, so the model names the tool first
/// and then fills its arguments (with `name` or `tool` it had to write the arguments blind).
pub fn union_schema(tools: &[ToolSpec]) -> Value {
    let mut schema = tools_only_schema(tools);
    if let Some(Value::Array(branches)) = schema.get_mut("oneOf") {
        branches.push(json!({
            "type": "object",
            "properties": {
                "action": {"const": ANSWER},
                "arguments": {
                    "type": "object",
                    "properties": {"text": {"type": "string"}},
                    "required": ["text"],
                },
            },
            "required": ["action", "arguments"],
        }));
    }
    schema
}

/// [`union_schema`] without the `answer` branch: the reply must be a tool call.
pub fn tools_only_schema(tools: &[ToolSpec]) -> Value {
    let branches: Vec<Value> = tools
        .iter()
        .map(|tool| {
            json!({
                "type": "object",
                "properties": {
                    "action": {"const": tool.name},
                    "arguments": essential(&tool.parameters),
                },
                "required": ["action", "arguments"],
            })
        })
        .collect();
    json!({"oneOf": branches})
}

/// The arguments a model is offered: the required ones and `path` (a small model fills every
/// optional field the grammar allows, with guesses: `"cwd": "/path/to/workspace"`), so the
/// tools' defaults apply to the rest.
pub fn essential(schema: &Value) -> Value {
    let mut simple = simplify(schema);
    let required: Vec<String> = simple
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if let Some(Value::Object(properties)) = simple.get_mut("properties") {
        properties.retain(|name, _| required.contains(name) || name == "path");
    }
    simple
}

/// A tool schema as grammar compilers take it: `$ref`s inlined, and the keys they do not
/// know (`$schema`, `title`, `format`, `$defs`) dropped.
pub fn simplify(schema: &Value) -> Value {
    let defs = schema.get("$defs").cloned().unwrap_or(Value::Null);
    clean(schema, &defs, 0)
}

fn clean(node: &Value, defs: &Value, depth: usize) -> Value {
    if depth > 16 {
        return json!({});
    }
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                let name = reference.rsplit('/').next().unwrap_or_default();
                return match defs.get(name) {
                    Some(def) => clean(def, defs, depth + 1),
                    None => json!({}),
                };
            }
            let mut out = Map::new();
            for (key, value) in map {
                match key.as_str() {
                    "$schema" | "$defs" | "definitions" | "title" | "format" | "examples" => {}
                    "properties" => {
                        let props = value
                            .as_object()
                            .map(|props| {
                                props
                                    .iter()
                                    .map(|(name, schema)| {
                                        (name.clone(), clean(schema, defs, depth + 1))
                                    })
                                    .collect::<Map<_, _>>()
                            })
                            .unwrap_or_default();
                        out.insert(key.clone(), Value::Object(props));
                    }
                    _ => {
                        out.insert(key.clone(), clean(value, defs, depth + 1));
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| clean(v, defs, depth + 1)).collect())
        }
        other => other.clone(),
    }
}

/// Reads the model's choice from its reply; `None` when no call or answer can be found.
pub fn parse(reply: &ChatReply) -> Option<Choice> {
    if let Some(call) = reply.tool_calls.first() {
        return Some(from_parts(
            call.id.clone(),
            &call.name,
            call.arguments.clone(),
        ));
    }
    let text = reply.text.trim();
    for candidate in candidates(text) {
        if let Ok(value) = serde_json::from_str::<Value>(&candidate) {
            if let Some(choice) = from_value(&value) {
                return Some(choice);
            }
        }
    }
    None
}

/// JSON texts to try, most explicit first: `<tool_call>` bodies, fenced blocks, the whole
/// text, then the first balanced object.
fn candidates(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (open, close) in [
        ("<tool_call>", "</tool_call>"),
        ("```json", "```"),
        ("```", "```"),
    ] {
        if let Some(start) = text.find(open) {
            let body = &text[start + open.len()..];
            let end = body.find(close).unwrap_or(body.len());
            found.push(body[..end].trim().to_owned());
        }
    }
    found.push(text.to_owned());
    if let Some(object) = first_object(text) {
        found.push(object.to_owned());
    }
    found
}

/// The first balanced `{...}` in `text`, skipping braces inside strings.
fn first_object(text: &str) -> Option<&str> {
    let start = text.find('{')?;
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text[start..].char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return text.get(start..=start + i);
                }
            }
            _ => {}
        }
    }
    None
}

fn from_value(value: &Value) -> Option<Choice> {
    let object = value.as_object()?;
    if let Some(function) = object.get("function") {
        let name = function.get("name")?.as_str()?;
        let arguments = function.get("arguments").cloned().unwrap_or(json!({}));
        return Some(from_parts(None, name, arguments));
    }
    let name = object
        .get("action")
        .or_else(|| object.get("tool"))
        .or_else(|| object.get("name"))
        .and_then(Value::as_str)?;
    let arguments = object
        .get("arguments")
        .or_else(|| object.get("parameters"))
        .or_else(|| object.get("args"))
        .cloned()
        .unwrap_or(json!({}));
    Some(from_parts(None, name, arguments))
}

fn from_parts(id: Option<String>, name: &str, arguments: Value) -> Choice {
    // OpenAI sends arguments as a JSON string.
    let arguments = match arguments {
        Value::String(text) => serde_json::from_str(&text).unwrap_or(Value::String(text)),
        other => other,
    };
    if name == ANSWER {
        let text = arguments
            .get("text")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| arguments.as_str().unwrap_or_default().to_owned());
        return Choice::Answer(text);
    }
    Choice::Call {
        id,
        name: name.to_owned(),
        arguments,
    }
}

/// Tools every shortlist keeps: most requests the plan table does not cover need a file or
/// a command.
pub const ALWAYS_OFFERED: &[&str] = &["shell_run", "fs_read", "fs_write", "fs_list"];

/// [`ALWAYS_OFFERED`] plus the tools whose names and descriptions share the most terms with
/// `request`, `n` in all (a small model chooses better among few); ties keep the registry's
/// order.
pub fn shortlist(tools: &[ToolSpec], request: &str, text: &MemoryText, n: usize) -> Vec<ToolSpec> {
    let wanted = text.terms(request);
    // In ALWAYS_OFFERED's order: shell_run first.
    let mut chosen: Vec<ToolSpec> = ALWAYS_OFFERED
        .iter()
        .filter_map(|name| tools.iter().find(|t| t.name == *name).cloned())
        .collect();
    let mut scored: Vec<(usize, usize, &ToolSpec)> = tools
        .iter()
        .filter(|t| !ALWAYS_OFFERED.contains(&t.name.as_str()))
        .enumerate()
        .map(|(i, tool)| {
            let terms = text.terms(&format!(
                "{} {}",
                tool.name.replace('_', " "),
                tool.description
            ));
            let score = wanted.iter().filter(|w| terms.contains(w)).count();
            (score, i, tool)
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let room = n.saturating_sub(chosen.len());
    chosen.extend(
        scored
            .into_iter()
            .filter(|(score, _, _)| *score > 0)
            .take(room)
            .map(|(_, _, t)| t.clone()),
    );
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::llm::NativeToolCall;

    fn reply(text: &str) -> ChatReply {
        ChatReply {
            text: text.to_owned(),
            ..ChatReply::default()
        }
    }

    #[test]
    fn replies_are_read_in_every_shape_small_models_produce() {
        let expected = Choice::Call {
            id: None,
            name: "fs_read".into(),
            arguments: json!({"path": "a.txt"}),
        };
        for text in [
            r#"{"tool": "fs_read", "arguments": {"path": "a.txt"}}"#,
            "Oto wywołanie:\n```json\n{\"name\": \"fs_read\", \"arguments\": {\"path\": \"a.txt\"}}\n```",
            "<tool_call>\n{\"name\": \"fs_read\", \"arguments\": \"{\\\"path\\\": \\\"a.txt\\\"}\"}\n</tool_call>",
            r#"Sure! {"function": {"name": "fs_read", "arguments": {"path": "a.txt"}}} done"#,
        ] {
            assert_eq!(parse(&reply(text)), Some(expected.clone()), "{text}");
        }
        assert_eq!(
            parse(&reply(
                r#"{"tool":"answer","arguments":{"text":"Cześć {świecie}"}}"#
            )),
            Some(Choice::Answer("Cześć {świecie}".into()))
        );
        assert_eq!(parse(&reply("Nie wiem.")), None);
        let native = ChatReply {
            tool_calls: vec![NativeToolCall {
                id: Some("call_1".into()),
                name: "fs_read".into(),
                arguments: json!("{\"path\":\"a.txt\"}"),
            }],
            ..ChatReply::default()
        };
        assert_eq!(
            parse(&native),
            Some(Choice::Call {
                id: Some("call_1".into()),
                name: "fs_read".into(),
                arguments: json!({"path": "a.txt"})
            })
        );
    }

    #[test]
    fn the_union_schema_inlines_refs_and_keeps_property_names() {
        let tool = ToolSpec {
            name: "fs_write".into(),
            description: "zapis".into(),
            parameters: json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "title": "Args",
                "type": "object",
                "properties": {
                    "format": {"type": "string"},
                    "mode": {"$ref": "#/$defs/Mode"},
                    "n": {"type": "integer", "format": "uint32"},
                    "path": {"type": "string"},
                    "cwd": {"type": "string"}
                },
                "required": ["format", "mode", "n"],
                "$defs": {"Mode": {"type": "string", "enum": ["create", "append"]}}
            }),
        };
        let schema = union_schema(std::slice::from_ref(&tool));
        let args = &schema["oneOf"][0]["properties"]["arguments"];
        // Required arguments and `path` are offered; optional ones keep their defaults.
        assert!(args["properties"].get("path").is_some());
        assert!(args["properties"].get("cwd").is_none());
        let tools_only = tools_only_schema(&[tool]);
        assert_eq!(tools_only["oneOf"].as_array().unwrap().len(), 1);
        assert_eq!(
            args["properties"]["mode"]["enum"],
            json!(["create", "append"])
        );
        assert!(args["properties"].get("format").is_some());
        assert!(args["properties"]["n"].get("format").is_none());
        assert!(args.get("$defs").is_none() && args.get("title").is_none());
        assert_eq!(schema["oneOf"][1]["properties"]["action"]["const"], ANSWER);
    }
}
