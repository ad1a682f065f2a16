//! robots.txt as RFC 9309 reads it: the group for DARK8's product token (else `*`), Allow and
//! Disallow paths with `*` and `$`, the longest match wins and Allow wins a tie.

/// The product token DARK8 looks for in `User-agent:` lines.
pub const PRODUCT_TOKEN: &str = "dark8";

/// The rules of one robots.txt that apply to DARK8.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Robots {
    /// (allow, path pattern) in file order.
    rules: Vec<(bool, String)>,
}

impl Robots {
    /// Everything allowed (no robots.txt, or a 4xx answer for it).
    pub fn allow_all() -> Robots {
        Robots::default()
    }

    /// Nothing allowed (robots.txt unreachable with a 5xx answer).
    pub fn disallow_all() -> Robots {
        Robots {
            rules: vec![(false, "/".to_owned())],
        }
    }

    /// The groups of `text` that name DARK8, else the `*` groups.
    pub fn parse(text: &str) -> Robots {
        let mut ours: Vec<(bool, String)> = Vec::new();
        let mut any: Vec<(bool, String)> = Vec::new();
        let mut agents: Vec<String> = Vec::new();
        let mut in_rules = false;
        for raw in text.lines() {
            let line = raw.split('#').next().unwrap_or_default().trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if in_rules {
                        agents.clear();
                        in_rules = false;
                    }
                    agents.push(value.to_ascii_lowercase());
                }
                "allow" | "disallow" => {
                    in_rules = true;
                    if value.is_empty() {
                        continue;
                    }
                    let rule = (key == "allow", value.to_owned());
                    if agents.iter().any(|a| a == PRODUCT_TOKEN) {
                        ours.push(rule.clone());
                    }
                    if agents.iter().any(|a| a == "*") {
                        any.push(rule);
                    }
                }
                _ => {}
            }
        }
        let named = text.lines().any(|l| {
            let l = l
                .split('#')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            l.strip_prefix("user-agent:")
                .map(|a| {
                    let a = a.trim();
                    a == PRODUCT_TOKEN
                })
                .unwrap_or(false)
        });
        Robots {
            rules: if named { ours } else { any },
        }
    }

    /// Whether `path` (with its query) may be fetched.
    pub fn allows(&self, path: &str) -> bool {
        let mut best: Option<(usize, bool)> = None;
        for (allow, pattern) in &self.rules {
            if matches(pattern, path) {
                let length = pattern.len();
                best = match best {
                    Some((l, a)) if l > length || (l == length && a) => Some((l, a)),
                    _ => Some((length, *allow)),
                };
            }
        }
        best.map(|(_, allow)| allow).unwrap_or(true)
    }
}

/// Whether robots `pattern` (`*` any run, `$` the end) matches the start of `path`.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut rest = path;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 && anchored {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    !anchored || rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_star_group_applies_when_dark8_is_not_named() {
        let robots = Robots::parse(
            "User-agent: *\nDisallow: /prywatne/\nAllow: /prywatne/publiczne.html\n\nUser-agent: Googlebot\nDisallow: /\n",
        );
        assert!(robots.allows("/"));
        assert!(!robots.allows("/prywatne/plan.html"));
        assert!(robots.allows("/prywatne/publiczne.html"));
    }

    #[test]
    fn a_group_naming_dark8_wins_over_the_star() {
        let robots = Robots::parse("User-agent: *\nDisallow:\n\nUser-agent: DARK8\nDisallow: /\n");
        assert!(!robots.allows("/cokolwiek"));
        let others = Robots::parse("User-agent: *\nDisallow:\n");
        assert!(others.allows("/cokolwiek"));
    }

    #[test]
    fn wildcards_and_end_anchors() {
        let robots = Robots::parse("User-agent: *\nDisallow: /*.pdf$\nDisallow: /szukaj?*q=\n");
        assert!(!robots.allows("/dokumenty/raport.pdf"));
        assert!(robots.allows("/dokumenty/raport.pdf.html"));
        assert!(!robots.allows("/szukaj?x=1&q=tokio"));
        assert!(robots.allows("/szukaj"));
        assert!(!Robots::disallow_all().allows("/"));
        assert!(Robots::allow_all().allows("/"));
    }
}
