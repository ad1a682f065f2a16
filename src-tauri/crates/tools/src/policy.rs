//! The permission policy: what a role may do per risk class, and rules by command prefix that
//! allow, prompt or forbid. The strictest applicable answer wins. Every rule may carry examples
//! that must get the rule's own answer; they are checked when the policy loads, so a rule that
//! does not do what its author meant is refused at start, not discovered in use.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use dark8_protocol::RiskClass;
use serde::{Deserialize, Serialize};

use crate::domains::{default_domain_rules, judge, DomainRule};
use crate::shell_line::simple_commands;

/// Who the user is to DARK8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything, with prompts for what runs programs, talks to the network or touches secrets.
    #[default]
    Owner,
    /// Reads freely; writing, running and the network ask first; no secrets.
    Developer,
    /// Reads only.
    Viewer,
}

/// The answer of the policy, ordered from the most to the least permissive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Runs without asking.
    Allow,
    /// Runs after the user approves.
    Prompt,
    /// Never runs.
    Forbid,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::Allow => "allow",
            Action::Prompt => "prompt",
            Action::Forbid => "forbid",
        })
    }
}

/// The risk class in Polish, as the user reads it.
pub fn risk_pl(risk: RiskClass) -> &'static str {
    match risk {
        RiskClass::Read => "odczyt",
        RiskClass::Write => "zapis",
        RiskClass::Execute => "uruchamianie",
        RiskClass::Network => "sieć",
        RiskClass::Secret => "sekrety",
    }
}

/// A rule for commands that start with `prefix` (whole words).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandRule {
    /// Leading words, e.g. `git status`; `*` matches any one word.
    pub prefix: String,
    /// What happens to matching commands.
    pub action: Action,
    /// Why, in Polish, shown to the user.
    #[serde(default)]
    pub reason: String,
    /// Command lines that must get exactly `action` from the whole policy.
    #[serde(default)]
    pub examples: Vec<String>,
}

/// The policy as stored in the configuration (`[policy]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PolicyConfig {
    /// The user's role.
    pub role: Role,
    /// Whether DARK8's built-in command rules apply (they come before the user's).
    pub default_rules: bool,
    /// The user's own command rules.
    pub commands: Vec<CommandRule>,
    /// Per-tool answers (`shell_run = "prompt"`): they replace the role's answer for the
    /// tool's risk class, but never lift the role's `forbid`.
    pub tools: BTreeMap<String, Action>,
    /// Directories tools may work in besides the workspace of the call.
    pub workspace_roots: Vec<PathBuf>,
    /// Network rules by domain (after the built-in ones when `default_rules` is on).
    pub domains: Vec<DomainRule>,
}

impl Default for PolicyConfig {
    fn default() -> PolicyConfig {
        PolicyConfig {
            role: Role::Owner,
            default_rules: true,
            commands: Vec::new(),
            tools: BTreeMap::new(),
            workspace_roots: Vec::new(),
            domains: Vec::new(),
        }
    }
}

/// A rule whose examples disagree with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("policy rule `{prefix}`: example `{example}` gets `{got}`, the rule says `{expected}`")]
pub struct PolicyError {
    /// The rule's prefix (or domain).
    pub prefix: String,
    /// The failing example.
    pub example: String,
    /// What the rule says.
    pub expected: Action,
    /// What the policy answers.
    pub got: Action,
}

/// The answer for one command line, with the reason for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The strictest answer over every simple command of the line.
    pub action: Action,
    /// Why, in Polish.
    pub reason: String,
    /// Each simple command with its answer and the rule that decided it.
    pub parts: Vec<PartVerdict>,
}

/// The answer for one simple command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartVerdict {
    /// The command's words joined by spaces.
    pub command: String,
    /// Its answer.
    pub action: Action,
    /// The deciding rule's prefix, or `None` for the role's default.
    pub rule: Option<String>,
    /// Why, in Polish.
    pub reason: String,
}

/// A loaded, checked policy.
#[derive(Debug, Clone)]
pub struct Policy {
    role: Role,
    rules: Vec<CommandRule>,
    tools: BTreeMap<String, Action>,
    workspace_roots: Vec<PathBuf>,
    domains: Vec<DomainRule>,
}

fn rule(prefix: &str, action: Action, reason: &str) -> CommandRule {
    CommandRule {
        prefix: prefix.to_owned(),
        action,
        reason: reason.to_owned(),
        examples: Vec::new(),
    }
}

/// DARK8's built-in command rules.
pub fn default_rules() -> Vec<CommandRule> {
    use Action::{Allow, Forbid, Prompt};
    let read_only = "polecenie tylko czyta stan";
    let build = "budowanie i testy w obszarze roboczym";
    let mut rules = Vec::new();
    for prefix in [
        "git status",
        "git log",
        "git diff",
        "git show",
        "git branch",
        "ls",
        "pwd",
        "echo",
        "cat",
        "head",
        "tail",
        "wc",
        "grep",
        "rg",
        "which",
        "whoami",
        "date",
        "uname",
        "df",
        "du",
        "free",
        "ps",
        "env",
        "printenv",
        "true",
        "test",
    ] {
        rules.push(rule(prefix, Allow, read_only));
    }
    for prefix in [
        "cargo build",
        "cargo test",
        "cargo check",
        "cargo clippy",
        "cargo fmt",
        "cargo run",
        "npm test",
        "npm run",
        "pytest",
        "python -m pytest",
        "go test",
        "go build",
        "make",
    ] {
        rules.push(rule(prefix, Allow, build));
    }
    for (prefix, reason) in [
        ("sudo", "uprawnienia administratora"),
        ("su", "zmiana użytkownika"),
        ("doas", "uprawnienia administratora"),
        ("rm", "usuwanie plików"),
        ("mv", "przenoszenie plików"),
        ("chmod", "zmiana uprawnień"),
        ("chown", "zmiana właściciela"),
        ("git push", "wysyłanie zmian na serwer"),
        ("git reset", "cofanie zmian w repozytorium"),
        ("git clean", "usuwanie nieśledzonych plików"),
        ("curl", "połączenie z siecią"),
        ("wget", "połączenie z siecią"),
        ("ssh", "połączenie z innym komputerem"),
        ("scp", "kopiowanie przez sieć"),
        ("pip install", "instalacja pakietów"),
        ("npm install", "instalacja pakietów"),
        ("cargo install", "instalacja programów"),
        ("apt", "menedżer pakietów systemu"),
        ("apt-get", "menedżer pakietów systemu"),
        ("brew", "menedżer pakietów"),
        ("docker", "kontenery"),
        ("kill", "kończenie procesów"),
        ("pkill", "kończenie procesów"),
        ("killall", "kończenie procesów"),
        ("systemctl", "usługi systemu"),
        ("crontab", "zadania cykliczne"),
    ] {
        rules.push(rule(prefix, Prompt, reason));
    }
    for (prefix, reason) in [
        ("mkfs", "formatowanie dysku"),
        ("mkfs.ext4", "formatowanie dysku"),
        ("fdisk", "partycjonowanie dysku"),
        ("shutdown", "wyłączenie komputera"),
        ("reboot", "restart komputera"),
        ("poweroff", "wyłączenie komputera"),
        ("halt", "wyłączenie komputera"),
        ("rm -rf /", "usunięcie całego systemu plików"),
        ("rm -rf /*", "usunięcie całego systemu plików"),
        ("rm -rf ~", "usunięcie katalogu domowego"),
        ("rm -fr /", "usunięcie całego systemu plików"),
        ("sudo rm -rf /", "usunięcie całego systemu plików"),
    ] {
        rules.push(rule(prefix, Forbid, reason));
    }
    // Examples that pin the important answers down.
    for (prefix, examples) in [
        ("git status", &["git status", "git status -s"][..]),
        ("sudo", &["sudo apt update"][..]),
        (
            "rm -rf /",
            &[
                "rm -rf /",
                "rm -rf / --no-preserve-root",
                "echo ok; rm -rf /",
                "sudo rm -rf /",
            ][..],
        ),
        ("mkfs", &["mkfs /dev/sda1"][..]),
    ] {
        if let Some(rule) = rules.iter_mut().find(|r| r.prefix == prefix) {
            rule.examples = examples.iter().map(|e| (*e).to_owned()).collect();
        }
    }
    rules
}

impl Policy {
    /// Loads `config` (with the built-in rules unless switched off) and checks every example.
    pub fn load(config: &PolicyConfig) -> Result<Policy, PolicyError> {
        let mut rules = if config.default_rules {
            default_rules()
        } else {
            Vec::new()
        };
        rules.extend(config.commands.iter().cloned());
        let mut domains = if config.default_rules {
            default_domain_rules()
        } else {
            Vec::new()
        };
        domains.extend(config.domains.iter().cloned());
        let policy = Policy {
            role: config.role,
            rules,
            tools: config.tools.clone(),
            workspace_roots: config.workspace_roots.clone(),
            domains,
        };
        for rule in &policy.domains {
            for example in &rule.examples {
                let got = judge(&policy.domains, example)
                    .ok()
                    .flatten()
                    .map_or(Action::Prompt, |r| r.action);
                if got != rule.action {
                    return Err(PolicyError {
                        prefix: rule.domain.clone(),
                        example: example.clone(),
                        expected: rule.action,
                        got,
                    });
                }
            }
        }
        for rule in &policy.rules {
            for example in &rule.examples {
                let got = policy.check_rules(example).action;
                if got != rule.action {
                    return Err(PolicyError {
                        prefix: rule.prefix.clone(),
                        example: example.clone(),
                        expected: rule.action,
                        got,
                    });
                }
            }
        }
        Ok(policy)
    }

    /// The role in force.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The command rules in force (built-in first).
    pub fn rules(&self) -> &[CommandRule] {
        &self.rules
    }

    /// The domain rules in force (built-in first).
    pub fn domains(&self) -> &[DomainRule] {
        &self.domains
    }

    /// The per-tool answers.
    pub fn tool_rules(&self) -> &BTreeMap<String, Action> {
        &self.tools
    }

    /// Directories every call may work in besides its own workspace.
    pub fn workspace_roots(&self) -> &[PathBuf] {
        &self.workspace_roots
    }

    /// The answer for calling `tool` with risk `risk`: the tool's own rule where there is one
    /// (never lifting the role's forbid), else the role's answer for the risk class; `true`
    /// when a tool rule decided.
    pub fn tool_action(&self, tool: &str, risk: RiskClass) -> (Action, bool) {
        let role = self.risk_action(risk);
        match self.tools.get(tool) {
            Some(_) if role == Action::Forbid => (Action::Forbid, false),
            Some(&action) => (action, true),
            None => (role, false),
        }
    }

    /// The answer for reaching `url`: the strictest matching domain rule with its reason, or
    /// `None` when no rule names the host (the role's network answer applies then). A URL
    /// without a host is forbidden.
    pub fn check_url(&self, url: &str) -> Option<(Action, String)> {
        match judge(&self.domains, url) {
            Ok(rule) => rule.map(|r| (r.action, format!("{} ({})", r.reason, r.domain))),
            Err(reason) => Some((Action::Forbid, reason)),
        }
    }

    /// What the role may do with a risk class.
    pub fn risk_action(&self, risk: RiskClass) -> Action {
        use Action::{Allow, Forbid, Prompt};
        match (self.role, risk) {
            (_, RiskClass::Read) => Allow,
            (Role::Owner, RiskClass::Write) => Allow,
            (Role::Owner, _) => Prompt,
            (Role::Developer, RiskClass::Secret) => Forbid,
            (Role::Developer, _) => Prompt,
            (Role::Viewer, _) => Forbid,
        }
    }

    /// Judges a shell line for the role: the rules' answer, raised to the role's floor (a
    /// developer is asked even for allowed commands; a viewer runs nothing).
    pub fn check_command(&self, line: &str) -> Verdict {
        let floor = match self.role {
            Role::Owner => Action::Allow,
            Role::Developer => Action::Prompt,
            Role::Viewer => {
                return Verdict {
                    action: Action::Forbid,
                    reason: "rola „viewer” nie może uruchamiać poleceń".to_owned(),
                    parts: Vec::new(),
                }
            }
        };
        let mut verdict = self.check_rules(line);
        if floor > verdict.action {
            verdict.action = floor;
            verdict.reason = "rola „developer” wymaga potwierdzenia każdego polecenia".to_owned();
        }
        verdict
    }

    /// Judges a shell line by the rules alone: every simple command it would run, the
    /// strictest answer wins.
    pub fn check_rules(&self, line: &str) -> Verdict {
        if defines_function(line) {
            return Verdict {
                action: Action::Forbid,
                reason: "definiowanie funkcji powłoki jest zabronione (np. fork bomb)".to_owned(),
                parts: Vec::new(),
            };
        }
        let commands = match simple_commands(line) {
            Ok(commands) if !commands.is_empty() => commands,
            Ok(_) => {
                return Verdict {
                    action: Action::Forbid,
                    reason: "puste polecenie".to_owned(),
                    parts: Vec::new(),
                }
            }
            Err(_) => {
                return Verdict {
                    action: Action::Prompt,
                    reason: "nie da się bezpiecznie odczytać polecenia (niezamknięty cudzysłów lub podstawienie)".to_owned(),
                    parts: Vec::new(),
                }
            }
        };
        let parts: Vec<PartVerdict> = commands
            .iter()
            .map(|words| self.check_words(words))
            .collect();
        let (action, reason) = parts
            .iter()
            .max_by_key(|p| p.action)
            .map(|p| (p.action, p.reason.clone()))
            .unwrap_or((Action::Prompt, String::new()));
        Verdict {
            action,
            reason,
            parts,
        }
    }

    fn check_words(&self, words: &[String]) -> PartVerdict {
        let own = self.check_words_alone(words);
        // A wrapper runs another command: judge that one too (`sudo rm -rf /`).
        match unwrap_command(words) {
            Some(inner) if !inner.is_empty() => {
                let wrapped = self.check_words(inner);
                if wrapped.action > own.action {
                    PartVerdict {
                        command: own.command,
                        ..wrapped
                    }
                } else {
                    own
                }
            }
            _ => own,
        }
    }

    fn check_words_alone(&self, words: &[String]) -> PartVerdict {
        let command = words.join(" ");
        let mut decided: Option<&CommandRule> = None;
        for rule in &self.rules {
            if prefix_matches(&rule.prefix, words) && decided.is_none_or(|d| rule.action > d.action)
            {
                decided = Some(rule);
            }
        }
        match decided {
            Some(rule) => PartVerdict {
                command,
                action: rule.action,
                rule: Some(rule.prefix.clone()),
                reason: rule.reason.clone(),
            },
            None => PartVerdict {
                command,
                action: Action::Prompt,
                rule: None,
                reason: "nieznane polecenie: wymaga potwierdzenia".to_owned(),
            },
        }
    }
}

/// The command a wrapper such as `sudo`, `env` or `nohup` runs, without the wrapper's options.
fn unwrap_command(words: &[String]) -> Option<&[String]> {
    let (first, rest) = words.split_first()?;
    let name = first.rsplit('/').next().unwrap_or(first);
    if !matches!(
        name,
        "sudo"
            | "doas"
            | "env"
            | "nice"
            | "nohup"
            | "time"
            | "exec"
            | "command"
            | "timeout"
            | "xargs"
            | "stdbuf"
    ) {
        return None;
    }
    let skip = rest
        .iter()
        .take_while(|w| {
            w.starts_with('-')
                || w.contains('=')
                || (name == "timeout"
                    && w.chars()
                        .all(|c| c.is_ascii_digit() || c == '.' || c == 's'))
        })
        .count();
    Some(&rest[skip..])
}

/// True for `name() {` / `name(){` function definitions (fork bombs among them).
fn defines_function(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact.contains("(){")
}

/// `prefix` words match the start of `words`; `*` matches any word; a rule for a program also
/// matches it called by path (`/bin/rm` for `rm`). `rm -rf` flags match in any order and
/// spelling (`-rf`, `-fr`, `-r -f`, `--recursive --force`).
fn prefix_matches(prefix: &str, words: &[String]) -> bool {
    let wanted: Vec<&str> = prefix.split_whitespace().collect();
    let Some((&program, rest)) = wanted.split_first() else {
        return false;
    };
    let Some((first, args)) = words.split_first() else {
        return false;
    };
    let name = first.rsplit('/').next().unwrap_or(first);
    if name != program && program != "*" {
        return false;
    }
    if program == "rm" && rest.first().is_some_and(|r| r.starts_with('-')) {
        return rm_matches(&rest[1..], args);
    }
    if args.len() < rest.len() {
        return false;
    }
    rest.iter()
        .zip(args)
        .all(|(want, got)| *want == "*" || want == got)
}

/// `rm` with recursive and force flags and one of `targets` (`/`, `/*`, `~`) among its
/// operands.
fn rm_matches(targets: &[&str], args: &[String]) -> bool {
    let mut recursive = false;
    let mut force = false;
    for arg in args {
        if arg == "--recursive" {
            recursive = true;
        } else if arg == "--force" {
            force = true;
        } else if let Some(flags) = arg.strip_prefix('-').filter(|f| !f.starts_with('-')) {
            recursive |= flags.contains(['r', 'R']);
            force |= flags.contains('f');
        }
    }
    let hits_target = targets.is_empty()
        || args.iter().any(|arg| {
            targets.iter().any(|t| {
                let normalized = arg.trim_end_matches('/');
                let target = t.trim_end_matches('/');
                arg == t
                    || (normalized == target)
                    || (target == "~" && (arg == "$HOME" || arg == "~/"))
            })
        });
    recursive && force && hits_target
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner() -> Policy {
        Policy::load(&PolicyConfig::default()).unwrap()
    }

    #[test]
    fn built_in_rules_load_and_their_examples_hold() {
        let policy = owner();
        assert_eq!(policy.check_command("git status").action, Action::Allow);
        assert_eq!(
            policy.check_command("sudo apt update").action,
            Action::Prompt
        );
        assert_eq!(policy.check_command("rm -rf /").action, Action::Forbid);
        assert_eq!(
            policy.check_command("mkfs.ext4 /dev/sda1").action,
            Action::Forbid
        );
    }

    #[test]
    fn strictest_part_wins() {
        let policy = owner();
        for line in [
            "echo hej; rm -rf /",
            "git status && rm -r -f /",
            "ls | sudo rm --recursive --force /",
            "echo $(rm -rf ~)",
            "echo `rm -fr /`",
            "/bin/rm -rf /*",
            ":(){ :|:& };:",
        ] {
            assert_eq!(policy.check_command(line).action, Action::Forbid, "{line}");
        }
        assert_eq!(
            policy.check_command("git status; curl example.com").action,
            Action::Prompt
        );
        assert_eq!(
            policy.check_command("cargo test --release").action,
            Action::Allow
        );
        assert_eq!(
            policy.check_command("rm notatki.txt").action,
            Action::Prompt
        );
        assert_eq!(
            policy.check_command("nieznany-program").action,
            Action::Prompt
        );
        assert_eq!(
            policy.check_command("echo 'niedomknięty").action,
            Action::Prompt
        );
    }

    #[test]
    fn roles() {
        let viewer = Policy::load(&PolicyConfig {
            role: Role::Viewer,
            ..PolicyConfig::default()
        })
        .unwrap();
        let verdict = viewer.check_command("echo hej");
        assert_eq!(verdict.action, Action::Forbid);
        assert!(verdict.reason.contains("viewer"));
        assert_eq!(viewer.risk_action(RiskClass::Read), Action::Allow);
        assert_eq!(viewer.risk_action(RiskClass::Write), Action::Forbid);
        let developer = Policy::load(&PolicyConfig {
            role: Role::Developer,
            ..PolicyConfig::default()
        })
        .unwrap();
        assert_eq!(developer.check_command("git status").action, Action::Prompt);
        assert_eq!(developer.risk_action(RiskClass::Secret), Action::Forbid);
        assert_eq!(owner().risk_action(RiskClass::Network), Action::Prompt);
    }

    #[test]
    fn user_rules_with_wrong_examples_are_refused_at_load() {
        let config = PolicyConfig {
            commands: vec![CommandRule {
                prefix: "terraform apply".to_owned(),
                action: Action::Allow,
                reason: String::new(),
                examples: vec!["terraform apply; rm -rf /".to_owned()],
            }],
            ..PolicyConfig::default()
        };
        let err = Policy::load(&config).unwrap_err();
        assert_eq!(err.got, Action::Forbid);
        assert!(err.to_string().contains("terraform apply"));
        let config = PolicyConfig {
            commands: vec![CommandRule {
                prefix: "terraform plan".to_owned(),
                action: Action::Allow,
                reason: "tylko plan".to_owned(),
                examples: vec!["terraform plan -out x".to_owned()],
            }],
            ..PolicyConfig::default()
        };
        assert_eq!(
            Policy::load(&config)
                .unwrap()
                .check_command("terraform plan")
                .action,
            Action::Allow
        );
    }

    #[test]
    fn policy_config_reads_from_toml() {
        let config: PolicyConfig = toml::from_str(
            "role = \"developer\"\n[[commands]]\nprefix = \"kubectl get\"\naction = \"allow\"\nexamples = [\"kubectl get pods\"]\n",
        )
        .unwrap();
        assert_eq!(config.role, Role::Developer);
        assert!(config.default_rules);
        assert_eq!(config.commands[0].action, Action::Allow);
    }
}
