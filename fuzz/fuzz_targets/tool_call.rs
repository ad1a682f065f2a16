//! The tolerant tool-call parser on any model reply: no panic, no hang.
#![no_main]

use dark8_agent::llm::tool_choice::parse;
use dark8_agent::llm::ChatReply;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let reply = ChatReply {
        text: text.to_owned(),
        tool_calls: Vec::new(),
        prompt_tokens: None,
        completion_tokens: None,
    };
    let _ = parse(&reply);
});
