//! The shell-line parser on any text: it answers (commands or a refusal), never panics or
//! hangs, and every command it returns has a first word.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|line: &str| {
    if let Ok(commands) = dark8_tools::shell_line::simple_commands(line) {
        for command in commands {
            assert!(!command.is_empty(), "an empty command in {line:?}");
        }
    }
});
