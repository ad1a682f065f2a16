//! Examples written by a language model: for a function's source, a few calls with their
//! expected results (`{"args": [...], "expected": ...}`), rendered as real assertions in the
//! project's language. Like every generated test they are run, and kept only if they pass —
//! a model's wrong guess costs nothing. The model is optional: the core passes a writer over
//! its brain when one is configured.

use std::future::Future;
use std::pin::Pin;

use serde::Deserialize;
use serde_json::Value;

/// At most this many functions get model examples per run (each costs one model answer).
pub const MAX_FUNCTIONS: usize = 5;

/// At most this many examples per function.
pub const MAX_EXAMPLES: usize = 3;

/// What the model is asked about.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleRequest {
    /// `python`, `rust` or `javascript`.
    pub language: &'static str,
    /// The function's name as called in a test.
    pub function: String,
    /// Its source text (untrusted data for the model).
    pub source: String,
}

/// One call and its expected result.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Example {
    /// Positional arguments.
    pub args: Vec<Value>,
    /// The expected return value.
    pub expected: Value,
}

/// The future of [`ExampleWriter::examples`].
pub type ExamplesFuture<'a> = Pin<Box<dyn Future<Output = Vec<Example>> + Send + 'a>>;

/// Writes examples for a function (a language model behind it); an empty list when it cannot.
pub trait ExampleWriter: Send + Sync {
    /// Up to [`MAX_EXAMPLES`] examples for `request`.
    fn examples<'a>(&'a self, request: ExampleRequest) -> ExamplesFuture<'a>;
}

/// A JSON value as a Python literal.
pub fn python_literal(value: &Value) -> String {
    match value {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Number(n) => n.to_string(),
        // JSON string escapes are valid Python string escapes.
        Value::String(_) => value.to_string(),
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(python_literal)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", Value::String(k.clone()), python_literal(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A JSON value as a Rust literal of the simple type `ty`, when it fits.
pub fn rust_literal(value: &Value, ty: &str) -> Option<String> {
    match (ty, value) {
        ("i8" | "i16" | "i32" | "i64" | "i128" | "isize", Value::Number(n)) => {
            n.as_i64().map(|i| i.to_string())
        }
        ("u8" | "u16" | "u32" | "u64" | "u128" | "usize", Value::Number(n)) => {
            n.as_u64().map(|i| i.to_string())
        }
        ("f32" | "f64", Value::Number(n)) => n.as_f64().map(|f| format!("{f:?}")),
        ("bool", Value::Bool(b)) => Some(b.to_string()),
        ("&str", Value::String(_)) => Some(value.to_string()),
        ("String", Value::String(_)) => Some(format!("String::from({value})")),
        ("char", Value::String(s)) if s.chars().count() == 1 => Some(format!("{s:?}")),
        _ => None,
    }
}

/// The examples' JSON Schema (for constrained decoding).
pub fn schema() -> Value {
    serde_json::json!({
        "type": "object",
        "properties": {
            "examples": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "args": {"type": "array"},
                        "expected": {}
                    },
                    "required": ["args", "expected"]
                },
                "minItems": 1,
                "maxItems": MAX_EXAMPLES
            }
        },
        "required": ["examples"]
    })
}

/// The examples in a model's reply (tolerant: the first JSON object in the text).
pub fn parse(reply: &str) -> Vec<Example> {
    #[derive(Deserialize)]
    struct Reply {
        examples: Vec<Example>,
    }
    let start = reply.find('{');
    let end = reply.rfind('}');
    let Some(text) = start.zip(end).and_then(|(s, e)| reply.get(s..=e)) else {
        return Vec::new();
    };
    serde_json::from_str::<Reply>(text)
        .map(|r| r.examples.into_iter().take(MAX_EXAMPLES).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn literals_in_each_language() {
        assert_eq!(
            python_literal(&json!([1, "a\"b", null, true, {"k": 2.5}])),
            r#"[1, "a\"b", None, True, {"k": 2.5}]"#
        );
        assert_eq!(rust_literal(&json!(3), "i32").as_deref(), Some("3"));
        assert_eq!(rust_literal(&json!(-3), "u8"), None);
        assert_eq!(rust_literal(&json!(2), "f64").as_deref(), Some("2.0"));
        assert_eq!(
            rust_literal(&json!("hej"), "String").as_deref(),
            Some("String::from(\"hej\")")
        );
        assert_eq!(rust_literal(&json!("x"), "i32"), None);
    }

    #[test]
    fn replies_are_read_tolerantly() {
        let examples = parse("Oto: {\"examples\": [{\"args\": [1], \"expected\": 2}, {\"args\": [5], \"expected\": 6}]} koniec");
        assert_eq!(examples.len(), 2);
        assert_eq!(examples[1].args, vec![json!(5)]);
        assert!(parse("nie wiem").is_empty());
    }
}
