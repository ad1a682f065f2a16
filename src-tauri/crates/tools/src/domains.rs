//! Network rules by domain: allow, prompt or forbid a host and its subdomains; the strictest
//! matching rule wins, and each rule may carry example URLs checked when the policy loads.

use serde::{Deserialize, Serialize};

use crate::policy::Action;

/// A rule for a host and its subdomains (`github.com` matches `api.github.com`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainRule {
    /// The domain, or an IP address.
    pub domain: String,
    /// What happens to URLs on it.
    pub action: Action,
    /// Why, in Polish.
    #[serde(default)]
    pub reason: String,
    /// URLs that must get exactly `action` from the domain rules.
    #[serde(default)]
    pub examples: Vec<String>,
}

/// DARK8's built-in domain rules: cloud metadata endpoints hand out credentials.
pub fn default_domain_rules() -> Vec<DomainRule> {
    let metadata = "adres metadanych chmury (wydaje poświadczenia)";
    vec![
        DomainRule {
            domain: "169.254.169.254".to_owned(),
            action: Action::Forbid,
            reason: metadata.to_owned(),
            examples: vec!["http://169.254.169.254/latest/meta-data/".to_owned()],
        },
        DomainRule {
            domain: "metadata.google.internal".to_owned(),
            action: Action::Forbid,
            reason: metadata.to_owned(),
            examples: Vec::new(),
        },
    ]
}

/// The host of `url` (lower case, no brackets), or `None` when it has none or does not parse.
pub fn host_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    Some(
        parsed
            .host_str()?
            .trim_matches(['[', ']'])
            .to_ascii_lowercase(),
    )
}

/// True when `host` is `domain` or one of its subdomains.
pub fn host_matches(domain: &str, host: &str) -> bool {
    let domain = domain.trim_start_matches("*.").to_ascii_lowercase();
    host == domain || host.ends_with(&format!(".{domain}"))
}

/// The strictest rule of `rules` for `url`: `Ok(None)` when none matches, `Err` when the URL
/// has no host.
pub fn judge<'a>(rules: &'a [DomainRule], url: &str) -> Result<Option<&'a DomainRule>, String> {
    let host = host_of(url).ok_or_else(|| format!("niepoprawny adres URL: {url}"))?;
    Ok(rules
        .iter()
        .filter(|rule| host_matches(&rule.domain, &host))
        .max_by_key(|rule| rule.action))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subdomains_match_and_the_strictest_wins() {
        let rules = vec![
            DomainRule {
                domain: "github.com".into(),
                action: Action::Allow,
                reason: String::new(),
                examples: vec![],
            },
            DomainRule {
                domain: "gist.github.com".into(),
                action: Action::Forbid,
                reason: String::new(),
                examples: vec![],
            },
        ];
        let action = |url| judge(&rules, url).unwrap().map(|r| r.action);
        assert_eq!(action("https://api.github.com/repos"), Some(Action::Allow));
        assert_eq!(action("https://gist.github.com/x"), Some(Action::Forbid));
        assert_eq!(action("https://notgithub.com/"), None);
        assert_eq!(action("https://GitHub.com/"), Some(Action::Allow));
        assert!(judge(&rules, "nie-url").is_err());
    }
}
