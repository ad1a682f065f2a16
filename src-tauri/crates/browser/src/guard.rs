//! Judging every navigation before its request leaves the browser, and answering the page's
//! JavaScript dialogs.
//!
//! Each page's document requests (the top page and its frames: typed, clicked, submitted,
//! redirected) are paused with the DevTools `Fetch` domain and let through only when
//! [`Guard::judge`] allows them: http(s) only, the domain rules of the policy, and no
//! loopback or private-network address unless the user gave DARK8 that host themselves
//! (developers open their own dev servers; a page on the web must not reach the router or a
//! local service). Alerts are accepted and confirmations and prompts dismissed, so a page
//! never stalls the agent; what they said is kept for the next tool's answer.

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::{Arc, Mutex, RwLock};

use chromiumoxide::cdp::browser_protocol::fetch::{
    ContinueRequestParams, EnableParams, EventRequestPaused, FailRequestParams, RequestPattern,
    RequestStage,
};
use chromiumoxide::cdp::browser_protocol::network::{ErrorReason, ResourceType};
use chromiumoxide::cdp::browser_protocol::page::{
    DialogType, EventJavascriptDialogOpening, HandleJavaScriptDialogParams,
};
use chromiumoxide::Page;
use dark8_tools::{Action, Policy};
use futures_util::StreamExt;

use crate::error::BrowserError;

/// A navigation the guard stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The address the page wanted.
    pub url: String,
    /// Why, in Polish.
    pub reason: String,
}

/// The session's judge of navigations and keeper of what pages said in dialogs.
#[derive(Debug, Default)]
pub struct Guard {
    policy: RwLock<Option<Policy>>,
    typed_origins: Mutex<HashSet<String>>,
    refusals: Mutex<Vec<Refusal>>,
    notes: Mutex<Vec<String>>,
}

impl Guard {
    /// Puts `policy`'s domain rules in force.
    pub fn set_policy(&self, policy: Policy) {
        if let Ok(mut slot) = self.policy.write() {
            *slot = Some(policy);
        }
    }

    /// Records that the user (or their command) gave DARK8 this address: its host may be
    /// local.
    pub fn allow_typed(&self, url: &url::Url) {
        if let (Some(origin), Ok(mut origins)) = (host_and_port(url), self.typed_origins.lock()) {
            origins.insert(origin);
        }
    }

    /// Whether the browser may load `url` as a document; the reason in Polish when not.
    pub fn judge(&self, url: &str) -> Result<(), String> {
        let parsed = url::Url::parse(url).map_err(|e| format!("niepoprawny adres ({e})"))?;
        let typed = match (host_and_port(&parsed), self.typed_origins.lock()) {
            (Some(origin), Ok(origins)) => origins.contains(&origin),
            _ => false,
        };
        let policy = self.policy.read().ok();
        hop_verdict(policy.as_ref().and_then(|p| p.as_ref()), &parsed, typed)
    }

    /// The navigations stopped since the last call.
    pub fn take_refusals(&self) -> Vec<Refusal> {
        self.refusals
            .lock()
            .map(|mut r| std::mem::take(&mut *r))
            .unwrap_or_default()
    }

    /// What pages said in dialogs since the last call, in Polish.
    pub fn take_notes(&self) -> Vec<String> {
        self.notes
            .lock()
            .map(|mut n| std::mem::take(&mut *n))
            .unwrap_or_default()
    }

    fn refused(&self, refusal: Refusal) {
        if let Ok(mut refusals) = self.refusals.lock() {
            refusals.push(refusal);
        }
    }

    /// Keeps `note` (in Polish) for the next tool's answer.
    pub(crate) fn note(&self, note: String) {
        if let Ok(mut notes) = self.notes.lock() {
            notes.push(note);
        }
    }
}

/// The rule every hop of a navigation or a plain fetch passes: http(s) only, nothing the
/// policy forbids, and a loopback or private address only where `may_be_local` (the user gave
/// that host:port); the reason in Polish when not.
pub fn hop_verdict(
    policy: Option<&Policy>,
    url: &url::Url,
    may_be_local: bool,
) -> Result<(), String> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "schemat {}: jest niedozwolony (tylko http i https)",
            url.scheme()
        ));
    }
    if let Some((Action::Forbid, reason)) = policy.and_then(|p| p.check_url(url.as_str())) {
        return Err(format!("polityka zabrania: {reason}"));
    }
    if is_local(url) && !may_be_local {
        return Err(format!(
            "{} to adres lokalny albo w sieci prywatnej, a strona sama chciała tam przejść (wpisz go sam, jeśli to twój serwer)",
            url.host_str().unwrap_or_default().to_ascii_lowercase()
        ));
    }
    Ok(())
}

/// `host:port` of `url`, lower case, with the scheme's default port when none is written.
fn host_and_port(url: &url::Url) -> Option<String> {
    let host = url.host_str()?.to_ascii_lowercase();
    Some(format!(
        "{host}:{}",
        url.port_or_known_default().unwrap_or(0)
    ))
}

/// Whether `url` points at this machine or a private network: loopback, RFC 1918, link-local,
/// carrier-grade NAT, unique-local IPv6, `localhost` and `*.localhost`, mDNS `*.local`.
pub fn is_local(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => local_v4(ip),
        Some(url::Host::Ipv6(ip)) => local_v6(ip),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost"
                || name.ends_with(".localhost")
                || name.ends_with(".local")
                || name
                    .parse::<IpAddr>()
                    .map(|ip| match ip {
                        IpAddr::V4(v4) => local_v4(v4),
                        IpAddr::V6(v6) => local_v6(v6),
                    })
                    .unwrap_or(false)
        }
        None => false,
    }
}

fn local_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || (a == 100 && (64..128).contains(&b))
}

fn local_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return local_v4(v4);
    }
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
}

/// Puts `guard` in charge of `page`: its document requests paused and judged, its dialogs
/// answered. The listener ends with the page.
pub async fn install(page: &Page, guard: Arc<Guard>) -> Result<(), BrowserError> {
    let mut paused = page
        .event_listener::<EventRequestPaused>()
        .await
        .map_err(|e| BrowserError::protocol("nasłuch nawigacji", e))?;
    let mut dialogs = page
        .event_listener::<EventJavascriptDialogOpening>()
        .await
        .map_err(|e| BrowserError::protocol("nasłuch okien dialogowych", e))?;
    let pattern = RequestPattern::builder()
        .url_pattern("*")
        .resource_type(ResourceType::Document)
        .request_stage(RequestStage::Request)
        .build();
    page.execute(EnableParams::builder().pattern(pattern).build())
        .await
        .map_err(|e| BrowserError::protocol("strażnik nawigacji", e))?;
    let page = page.clone();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                event = paused.next() => match event {
                    Some(event) => decide(&page, &guard, &event).await,
                    None => break,
                },
                event = dialogs.next() => match event {
                    Some(event) => answer(&page, &guard, &event).await,
                    None => break,
                },
            }
        }
    });
    Ok(())
}

/// Lets a paused document request through or fails it.
async fn decide(page: &Page, guard: &Guard, event: &EventRequestPaused) {
    let url = &event.request.url;
    let outcome = match guard.judge(url) {
        Ok(()) => page
            .execute(ContinueRequestParams::new(event.request_id.clone()))
            .await
            .map(|_| ()),
        Err(reason) => {
            tracing::info!("browser: navigation to {url} refused: {reason}");
            guard.refused(Refusal {
                url: url.clone(),
                reason,
            });
            page.execute(FailRequestParams::new(
                event.request_id.clone(),
                ErrorReason::BlockedByClient,
            ))
            .await
            .map(|_| ())
        }
    };
    if let Err(err) = outcome {
        tracing::debug!("browser: paused request {url}: {err}");
    }
}

/// Accepts an alert (or a "leave this page?"), dismisses a confirmation or a prompt.
async fn answer(page: &Page, guard: &Guard, event: &EventJavascriptDialogOpening) {
    let (kind, accept) = match event.r#type {
        DialogType::Alert => ("komunikat", true),
        DialogType::Beforeunload => ("pytanie o opuszczenie strony", true),
        DialogType::Confirm => ("prośba o potwierdzenie", false),
        DialogType::Prompt => ("prośba o tekst", false),
    };
    let message = dark8_tools::text::shorten(&event.message, 200);
    guard.note(format!(
        "Strona pokazała okno ({kind}): „{message}”; {}.",
        if accept {
            "zamknięto je"
        } else {
            "odrzucono je (Anuluj)"
        }
    ));
    let params = HandleJavaScriptDialogParams::new(accept);
    if let Err(err) = page.execute(params).await {
        tracing::debug!("browser: dialog: {err}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(url: &str) -> bool {
        is_local(&url::Url::parse(url).unwrap())
    }

    #[test]
    fn local_and_private_addresses_are_known() {
        for url in [
            "http://127.0.0.1:8000/",
            "http://localhost/",
            "http://app.localhost/",
            "http://drukarka.local/",
            "http://192.168.1.1/",
            "http://10.0.0.5/",
            "http://172.20.1.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://100.64.0.1/",
            "http://0.0.0.0:3000/",
            "http://[::1]/",
            "http://[fd00::1]/",
            "http://[fe80::1]/",
            "http://[::ffff:192.168.0.1]/",
        ] {
            assert!(local(url), "{url}");
        }
        for url in [
            "https://docs.rs/",
            "http://8.8.8.8/",
            "http://172.32.0.1/",
            "http://[2001:db8::1]/",
        ] {
            assert!(!local(url), "{url}");
        }
    }

    #[test]
    fn a_local_host_passes_only_when_the_user_gave_it() {
        let guard = Guard::default();
        let err = guard.judge("http://127.0.0.1:8000/admin").unwrap_err();
        assert!(err.contains("lokalny"), "{err}");
        guard.allow_typed(&url::Url::parse("http://127.0.0.1:8000/").unwrap());
        assert_eq!(guard.judge("http://127.0.0.1:8000/admin"), Ok(()));
        assert!(
            guard.judge("http://127.0.0.1:6379/").is_err(),
            "another port"
        );
        assert!(guard.judge("http://192.168.1.1/").is_err());
        assert_eq!(guard.judge("https://docs.rs/tokio"), Ok(()));
        assert!(guard
            .judge("file:///etc/passwd")
            .unwrap_err()
            .contains("file"));
    }
}
