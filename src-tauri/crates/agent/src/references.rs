//! `${stepN.field}` references in a step's arguments, filled from earlier steps' outputs when
//! the step starts.

use std::collections::HashMap;

use serde_json::Value;

/// A reference to a field of an earlier step's output: `${step1.path}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRef {
    /// The step, from 1.
    pub step: u32,
    /// The output field.
    pub field: String,
}

impl StepRef {
    /// Step `step`'s `field`.
    pub fn new(step: u32, field: &str) -> StepRef {
        StepRef {
            step,
            field: field.to_owned(),
        }
    }

    /// The reference as it stands in arguments.
    pub fn text(&self) -> String {
        format!("${{step{}.{}}}", self.step, self.field)
    }

    /// `step1.path` (what stands between the braces).
    fn parse(inner: &str) -> Option<StepRef> {
        let (step, field) = inner.strip_prefix("step")?.split_once('.')?;
        Some(StepRef::new(step.parse().ok()?, field))
    }
}

/// The first `${step…}` in `text`: its byte range and what stands between the braces, or
/// `Err` with the text when it is never closed.
fn next_reference(text: &str) -> Option<Result<(std::ops::Range<usize>, &str), String>> {
    let start = text.find("${step")?;
    Some(match text[start..].find('}') {
        Some(len) => Ok((start..start + len + 1, &text[start + 2..start + len])),
        None => Err(text.to_owned()),
    })
}

/// The reference `text` starts with, if it starts with one.
pub fn leading(text: &str) -> Option<StepRef> {
    match next_reference(text)? {
        Ok((range, inner)) if range.start == 0 => StepRef::parse(inner),
        _ => None,
    }
}

/// Replaces every `${stepN.field}` inside string values of `arguments` with the string (or
/// number) at `field` of step N's output. Returns the name of the first reference that
/// cannot be filled.
pub fn fill(arguments: &mut Value, outputs: &HashMap<u32, Value>) -> Result<(), String> {
    match arguments {
        Value::String(text) => {
            while let Some(found) = next_reference(text) {
                let (range, inner) = found?;
                let value = StepRef::parse(inner)
                    .and_then(|reference| lookup(&reference, outputs))
                    .ok_or_else(|| inner.to_owned())?;
                text.replace_range(range, &value);
            }
            Ok(())
        }
        Value::Array(items) => items.iter_mut().try_for_each(|item| fill(item, outputs)),
        Value::Object(map) => map.values_mut().try_for_each(|item| fill(item, outputs)),
        _ => Ok(()),
    }
}

fn lookup(reference: &StepRef, outputs: &HashMap<u32, Value>) -> Option<String> {
    match outputs.get(&reference.step)?.get(&reference.field)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_are_filled_from_earlier_outputs() {
        let outputs = HashMap::from([(1, json!({"path": "/w/sklep"}))]);
        let mut args =
            json!({"path": "${step1.path}", "sarif": "${step1.path}/analiza.sarif", "n": 3});
        fill(&mut args, &outputs).unwrap();
        assert_eq!(
            args,
            json!({"path": "/w/sklep", "sarif": "/w/sklep/analiza.sarif", "n": 3})
        );
        let mut missing = json!({"path": "${step2.path}"});
        assert_eq!(fill(&mut missing, &outputs).unwrap_err(), "step2.path");
        assert_eq!(StepRef::new(3, "path").text(), "${step3.path}");
        assert_eq!(
            leading("${step3.path}/a.txt"),
            Some(StepRef::new(3, "path"))
        );
        assert_eq!(leading("a/${step3.path}"), None);
    }
}
