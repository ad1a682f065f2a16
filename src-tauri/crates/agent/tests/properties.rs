//! Property tests of what a model or a downloaded file hands DARK8: the tolerant tool-call
//! parser (no reply panics it; a call wrapped in any of the shapes small models write is read
//! back exactly) and the GGUF header check of a model import (any bytes; only the magic
//! passes).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use dark8_agent::llm::models::ModelStore;
use dark8_agent::llm::tool_choice::{parse, Choice};
use dark8_agent::llm::ChatReply;
use proptest::prelude::*;
use serde_json::json;

fn reply(text: &str) -> ChatReply {
    ChatReply {
        text: text.to_owned(),
        tool_calls: Vec::new(),
        prompt_tokens: None,
        completion_tokens: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn no_reply_text_panics_the_parser(text in any::<String>()) {
        let _ = parse(&reply(&text));
    }

    #[test]
    fn json_like_replies_never_panic(text in "[{}\\[\\]\":,a-z0-9 `<>/_\n]{0,80}") {
        let _ = parse(&reply(&text));
    }

    /// A call in any wrapper (bare, fenced, tagged, after chatter) is read back exactly.
    #[test]
    fn a_wrapped_call_is_read_back_exactly(
        name in "[a-z][a-z_]{2,14}",
        path in "[a-zA-Z0-9ąęłóśżźćń ./_-]{0,30}",
        before in "[A-Za-złóżźćńąę ,.]{0,30}",
        wrapper in 0usize..4,
    ) {
        prop_assume!(name != "answer");
        let call = json!({"action": name, "arguments": {"path": path}});
        let body = call.to_string();
        let text = match wrapper {
            0 => body,
            1 => format!("{before}\n```json\n{body}\n```"),
            2 => format!("{before}<tool_call>{body}</tool_call>"),
            _ => format!("{before} {body}"),
        };
        let choice = parse(&reply(&text));
        prop_assert_eq!(
            choice,
            Some(Choice::Call { id: None, name: name.clone(), arguments: json!({"path": path}) }),
            "{}", text
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn a_model_file_is_imported_only_with_the_gguf_magic(bytes in prop::collection::vec(any::<u8>(), 0..64), magic in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let mut content = if magic { b"GGUF".to_vec() } else { Vec::new() };
        content.extend_from_slice(&bytes);
        let source = dir.path().join("wejscie.gguf");
        std::fs::write(&source, &content).unwrap();
        let store = ModelStore::new(dir.path().join("models"));
        let imported = store.import(&source);
        prop_assert_eq!(imported.is_ok(), content.starts_with(b"GGUF"));
        if let Ok((path, _)) = imported {
            prop_assert_eq!(std::fs::read(path).unwrap(), content);
        }
    }
}
