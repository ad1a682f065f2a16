//! Splitting a shell line into the simple commands it would run, so that the policy can judge
//! each of them: `a; b && c | d`, `$(e)` and back-quoted `f` are all commands.

/// Why a line cannot be judged safely.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShellLineError {
    /// A quote or substitution is not closed.
    #[error("unbalanced quotes or substitutions")]
    Unbalanced,
}

/// The simple commands of `line`, each as its words (quotes removed), in order; commands inside
/// `$(...)` and back-quotes are included. Leading `VAR=value` assignments are dropped.
pub fn simple_commands(line: &str) -> Result<Vec<Vec<String>>, ShellLineError> {
    let mut commands = Vec::new();
    collect(line, &mut commands, 0)?;
    Ok(commands)
}

fn collect(line: &str, out: &mut Vec<Vec<String>>, depth: usize) -> Result<(), ShellLineError> {
    if depth > 16 {
        return Err(ShellLineError::Unbalanced);
    }
    let chars: Vec<char> = line.chars().collect();
    let mut current = String::new();
    let mut i = 0;
    let mut quote: Option<char> = None;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some('\'') => {
                current.push(c);
                if c == '\'' {
                    quote = None;
                }
                i += 1;
                continue;
            }
            Some('"') if c == '"' => {
                current.push(c);
                quote = None;
                i += 1;
                continue;
            }
            Some(_) if c == '\\' => {
                current.push(c);
                if let Some(&next) = chars.get(i + 1) {
                    current.push(next);
                }
                i += 2;
                continue;
            }
            _ => {}
        }
        // Substitutions run even inside double quotes.
        if c == '$' && chars.get(i + 1) == Some(&'(') {
            let end = matching_paren(&chars, i + 1).ok_or(ShellLineError::Unbalanced)?;
            let inner: String = chars[i + 2..end].iter().collect();
            collect(&inner, out, depth + 1)?;
            current.push_str("__SUBST__");
            i = end + 1;
            continue;
        }
        if c == '`' {
            let end = chars[i + 1..]
                .iter()
                .position(|&ch| ch == '`')
                .map(|p| i + 1 + p)
                .ok_or(ShellLineError::Unbalanced)?;
            let inner: String = chars[i + 1..end].iter().collect();
            collect(&inner, out, depth + 1)?;
            current.push_str("__SUBST__");
            i = end + 1;
            continue;
        }
        if quote == Some('"') {
            current.push(c);
            i += 1;
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                current.push(c);
            }
            '\\' => {
                current.push(c);
                if let Some(&next) = chars.get(i + 1) {
                    current.push(next);
                    i += 1;
                }
            }
            ';' | '&' | '|' | '\n' | '(' | ')' | '{' | '}' => {
                push_command(&current, out)?;
                current.clear();
            }
            _ => current.push(c),
        }
        i += 1;
    }
    if quote.is_some() {
        return Err(ShellLineError::Unbalanced);
    }
    push_command(&current, out)
}

fn matching_paren(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, &c) in chars.iter().enumerate().skip(open) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn push_command(text: &str, out: &mut Vec<Vec<String>>) -> Result<(), ShellLineError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(());
    }
    let words = shlex::split(text).ok_or(ShellLineError::Unbalanced)?;
    let words: Vec<String> = words.into_iter().skip_while(|w| is_assignment(w)).collect();
    if !words.is_empty() {
        out.push(words);
    }
    Ok(())
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        simple_commands(line)
            .unwrap()
            .into_iter()
            .map(|c| c.join(" "))
            .collect()
    }

    #[test]
    fn splits_lists_pipes_and_substitutions() {
        assert_eq!(words("git status"), ["git status"]);
        assert_eq!(
            words("a; b && c || d | e & f"),
            ["a", "b", "c", "d", "e", "f"]
        );
        assert_eq!(
            words("echo $(rm -rf ~) `whoami`"),
            ["rm -rf ~", "whoami", "echo __SUBST__ __SUBST__"]
        );
        assert_eq!(words("echo \"$(id)\""), ["id", "echo __SUBST__"]);
        assert_eq!(words("FOO=1 BAR=2 cargo test"), ["cargo test"]);
        assert_eq!(words("echo 'a; b'"), ["echo a; b"]);
        assert_eq!(words(":(){ :|:& };:"), [":", ":", ":", ":"]);
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        assert!(simple_commands("echo 'oops").is_err());
        assert!(simple_commands("echo $(ls").is_err());
        assert!(simple_commands("echo `ls").is_err());
    }
}
