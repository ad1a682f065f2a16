//! `${stepN.field}` references in a step's arguments, filled from earlier steps' outputs when
//! the step starts.

use std::collections::HashMap;

use serde_json::Value;

/// Replaces every `${stepN.field}` inside string values of `arguments` with the string (or
/// number) at `field` of step N's output. Returns the name of the first reference that
/// cannot be filled.
pub fn fill(arguments: &mut Value, outputs: &HashMap<u32, Value>) -> Result<(), String> {
    match arguments {
        Value::String(text) => {
            while let Some(start) = text.find("${step") {
                let Some(len) = text[start..].find('}') else {
                    return Err(text.clone());
                };
                let reference = &text[start + 2..start + len];
                let value = lookup(reference, outputs).ok_or_else(|| reference.to_owned())?;
                text.replace_range(start..start + len + 1, &value);
            }
            Ok(())
        }
        Value::Array(items) => items.iter_mut().try_for_each(|item| fill(item, outputs)),
        Value::Object(map) => map.values_mut().try_for_each(|item| fill(item, outputs)),
        _ => Ok(()),
    }
}

fn lookup(reference: &str, outputs: &HashMap<u32, Value>) -> Option<String> {
    let (step, field) = reference.strip_prefix("step")?.split_once('.')?;
    let output = outputs.get(&step.parse::<u32>().ok()?)?;
    match output.get(field)? {
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
    }
}
