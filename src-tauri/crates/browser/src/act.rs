//! Acting on a page the way a person does: real mouse clicks and typed text through the
//! DevTools input domain (Polish letters through `Input.insertText`), choices in lists,
//! scrolling and going back. Every action is followed by a check of what changed (address,
//! content, elements), and an element number that went stale because the page re-rendered is
//! found again once by what it was (its role and name) before the action gives up.

use std::time::Duration;

use chromiumoxide::cdp::browser_protocol::input::InsertTextParams;
use chromiumoxide::Page;
use serde::{Deserialize, Serialize};

use dark8_tools::builtin::{count, plural};

use crate::error::BrowserError;
use crate::navigate;
use crate::observe::{Element, Observation};

/// What an action points at: a number from the last observation, or a visible text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `[7]`.
    Ref(u32),
    /// An element whose name contains this text.
    Text(String),
}

/// The element an action will touch, after re-resolution.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// Its number on the page now.
    pub number: u32,
    /// What it is.
    pub element: Element,
    /// Said when the number had gone stale and was found again (in Polish).
    pub note: Option<String>,
}

/// A page's state, small enough to compare before and after an action.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Fingerprint {
    /// `location.href`.
    pub url: String,
    /// A hash of the visible text and the form fields' values.
    pub hash: i64,
    /// How many interactive elements the page has.
    pub elements: i64,
    /// How far the page is scrolled, in CSS pixels.
    pub scroll_y: i64,
}

/// What an action changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Change {
    /// The page's address changed (a new page, or a new tab became current).
    pub url_changed: bool,
    /// The visible text or a field's value changed.
    pub content_changed: bool,
    /// Interactive elements added (negative: removed).
    pub elements_delta: i64,
    /// Another part of the page is visible (it was scrolled).
    #[serde(default)]
    pub moved: bool,
}

impl Change {
    /// Between two fingerprints.
    pub fn between(before: &Fingerprint, after: &Fingerprint) -> Change {
        Change {
            url_changed: before.url != after.url,
            content_changed: before.hash != after.hash,
            elements_delta: after.elements - before.elements,
            moved: before.scroll_y != after.scroll_y,
        }
    }

    /// Whether anything changed at all.
    pub fn any(&self) -> bool {
        self.url_changed || self.content_changed || self.elements_delta != 0 || self.moved
    }

    /// The change in Polish.
    pub fn pl(&self) -> String {
        if !self.any() {
            return "Na stronie nic się nie zmieniło.".to_owned();
        }
        let mut parts = Vec::new();
        if self.url_changed {
            parts.push("zmienił się adres".to_owned());
        }
        if self.content_changed {
            parts.push("zmieniła się treść".to_owned());
        }
        if self.moved && !self.url_changed {
            parts.push("widać inny fragment".to_owned());
        }
        if self.elements_delta != 0 {
            let n = self.elements_delta.unsigned_abs() as usize;
            let verb = if self.elements_delta > 0 {
                plural(n, "doszedł", "doszły", "doszło")
            } else {
                plural(n, "ubył", "ubyły", "ubyło")
            };
            parts.push(format!(
                "{verb} {}",
                count(n, "element", "elementy", "elementów")
            ));
        }
        format!("Zmiana na stronie: {}.", parts.join(", "))
    }
}

/// The script behind [`fingerprint`].
const FINGERPRINT: &str = r#"(() => {
  const fields = [...document.querySelectorAll('input, textarea, select')]
    .map((e) => (e.type === 'password' ? String(e.value.length) : String(e.value))).join('\u0001');
  const text = (document.body ? document.body.innerText : '') + '\u0002' + fields;
  let hash = 0;
  for (let i = 0; i < text.length; i += 1) hash = (hash * 31 + text.charCodeAt(i)) | 0;
  const elements = document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, [role=button], [role=link]').length;
  return { url: location.href, hash, elements, scroll_y: Math.round(scrollY) };
})()"#;

/// The page's state now.
pub async fn fingerprint(page: &Page) -> Result<Fingerprint, BrowserError> {
    navigate::evaluate(page, FINGERPRINT).await
}

/// The CSS selector of element number `number`.
fn selector(number: u32) -> String {
    format!("[data-dark8-ref=\"{number}\"]")
}

/// Whether element `number` is still on the page.
async fn present(page: &Page, number: u32) -> Result<bool, BrowserError> {
    navigate::evaluate(
        page,
        &format!(
            "!!document.querySelector('{}')",
            selector(number).replace('\'', "\\'")
        ),
    )
    .await
}

/// Finds the element `target` means. A number that is no longer on the page (the page
/// re-rendered) is looked up once more by what it was in `last`; a text is looked up in a
/// fresh observation, an exact name first, then a name that contains it.
pub async fn resolve(
    page: &Page,
    last: Option<&Observation>,
    target: &Target,
) -> Result<Resolved, BrowserError> {
    let resolved = |element: Element, note: Option<String>| Resolved {
        number: element.number,
        element,
        note,
    };
    match target {
        Target::Ref(number) => {
            let before = last.and_then(|o| o.elements.iter().find(|e| e.number == *number));
            if let Some(element) = before {
                if present(page, *number).await? {
                    return Ok(resolved(element.clone(), None));
                }
            }
            let fresh = navigate::observe(page).await?;
            let found = match before {
                Some(old) => fresh
                    .elements
                    .into_iter()
                    .find(|e| e.role == old.role && e.name == old.name),
                None => fresh.elements.into_iter().find(|e| e.number == *number),
            };
            let Some(element) = found else {
                return Err(BrowserError::NoElement {
                    number: *number,
                    detail: before
                        .map(|old| format!(": „{}” zniknął ze strony po jej zmianie", old.name))
                        .unwrap_or_default(),
                });
            };
            let note = (element.number != *number).then(|| {
                format!(
                    "Strona się przebudowała: element [{number}] „{}” ma teraz numer [{}].",
                    element.name, element.number
                )
            });
            Ok(resolved(element, note))
        }
        Target::Text(text) => {
            let fresh = navigate::observe(page).await?;
            let wanted = text.trim().to_lowercase();
            let position = fresh
                .elements
                .iter()
                .position(|e| e.name.to_lowercase() == wanted)
                .or_else(|| {
                    fresh
                        .elements
                        .iter()
                        .position(|e| e.name.to_lowercase().contains(&wanted))
                });
            match position {
                Some(at) => Ok(resolved(fresh.elements[at].clone(), None)),
                None => Err(BrowserError::NoText { text: text.clone() }),
            }
        }
    }
}

/// Element number `number` of the page, as chromiumoxide's handle.
async fn element(page: &Page, number: u32) -> Result<chromiumoxide::Element, BrowserError> {
    page.find_element(selector(number))
        .await
        .map_err(|_| BrowserError::NoElement {
            number,
            detail: String::new(),
        })
}

/// Clicks element `number` with the mouse (scrolled into view first), as a person would.
pub async fn click(page: &Page, number: u32) -> Result<(), BrowserError> {
    let element = element(page, number).await?;
    element
        .click()
        .await
        .map_err(|e| BrowserError::protocol("kliknięcie", e))?;
    Ok(())
}

/// Roles that take typed text.
fn takes_text(role: &str) -> bool {
    matches!(role, "textbox" | "searchbox" | "combobox")
}

/// Types `text` into element `resolved` (its old content replaced unless `append`), then
/// presses Enter when `submit`.
pub async fn type_text(
    page: &Page,
    resolved: &Resolved,
    text: &str,
    append: bool,
    submit: bool,
) -> Result<(), BrowserError> {
    if !takes_text(&resolved.element.role) {
        return Err(BrowserError::WrongElement {
            number: resolved.number,
            kind: crate::observe::kind_pl(&resolved.element).to_owned(),
            detail: "nie da się w nim pisać".to_owned(),
        });
    }
    let element = element(page, resolved.number).await?;
    element
        .click()
        .await
        .map_err(|e| BrowserError::protocol("kliknięcie pola", e))?;
    let prepare = if append {
        "function() { this.focus(); if (this.setSelectionRange && typeof this.value === 'string') { const n = this.value.length; this.setSelectionRange(n, n); } }"
    } else {
        "function() { this.focus(); if (this.isContentEditable) { document.execCommand('selectAll'); } else if (this.select) { this.select(); } }"
    };
    element
        .call_js_fn(prepare, false)
        .await
        .map_err(|e| BrowserError::protocol("zaznaczenie pola", e))?;
    if text.is_empty() && !append {
        element
            .call_js_fn(
                "function() { if (this.isContentEditable) { this.textContent = ''; } else { this.value = ''; } this.dispatchEvent(new Event('input', { bubbles: true })); }",
                false,
            )
            .await
            .map_err(|e| BrowserError::protocol("czyszczenie pola", e))?;
    } else {
        page.execute(InsertTextParams::new(text))
            .await
            .map_err(|e| BrowserError::protocol("wpisywanie tekstu", e))?;
    }
    if submit {
        element
            .press_key("Enter")
            .await
            .map_err(|e| BrowserError::protocol("Enter", e))?;
    }
    Ok(())
}

/// What `select` chose.
#[derive(Debug, Clone, Deserialize)]
struct Chosen {
    chosen: Option<String>,
    options: Vec<String>,
}

/// Chooses the option of list `resolved` whose text or value is `choice` (or contains it).
pub async fn select(
    page: &Page,
    resolved: &Resolved,
    choice: &str,
) -> Result<String, BrowserError> {
    let wanted = serde_json::to_string(&choice.trim().to_lowercase())
        .map_err(|e| BrowserError::protocol("wybór", e))?;
    let script = format!(
        r#"(() => {{
  const list = document.querySelector('[data-dark8-ref="{number}"]');
  if (!list || list.tagName !== 'SELECT') return {{ chosen: null, options: [] }};
  const wanted = {wanted};
  const options = [...list.options];
  const norm = (t) => (t || '').trim().toLowerCase();
  const hit = options.find((o) => norm(o.text) === wanted || norm(o.value) === wanted)
    || options.find((o) => norm(o.text).includes(wanted));
  if (!hit) return {{ chosen: null, options: options.map((o) => o.text.trim()) }};
  list.value = hit.value;
  list.dispatchEvent(new Event('input', {{ bubbles: true }}));
  list.dispatchEvent(new Event('change', {{ bubbles: true }}));
  return {{ chosen: hit.text.trim(), options: [] }};
}})()"#,
        number = resolved.number
    );
    let chosen: Chosen = navigate::evaluate(page, &script).await?;
    match chosen.chosen {
        Some(text) => Ok(text),
        None if chosen.options.is_empty() => Err(BrowserError::WrongElement {
            number: resolved.number,
            kind: crate::observe::kind_pl(&resolved.element).to_owned(),
            detail: "to nie jest lista wyboru".to_owned(),
        }),
        None => Err(BrowserError::WrongElement {
            number: resolved.number,
            kind: "lista".to_owned(),
            detail: format!(
                "nie ma opcji „{choice}” (są: {})",
                dark8_tools::text::shorten(&chosen.options.join(", "), 300)
            ),
        }),
    }
}

/// Where to scroll.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// One screen down.
    #[default]
    Down,
    /// One screen up.
    Up,
    /// To the top.
    Top,
    /// To the bottom.
    Bottom,
}

/// Where the page is scrolled to.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
pub struct ScrollPosition {
    /// Pixels from the top.
    pub y: f64,
    /// The page's whole height.
    pub height: f64,
    /// The window's height.
    pub viewport: f64,
}

/// Scrolls the page `times` screens in `direction`.
pub async fn scroll(
    page: &Page,
    direction: Direction,
    times: u32,
) -> Result<ScrollPosition, BrowserError> {
    let step = match direction {
        Direction::Down => format!("window.scrollBy(0, innerHeight * 0.85 * {times})"),
        Direction::Up => format!("window.scrollBy(0, -innerHeight * 0.85 * {times})"),
        Direction::Top => "window.scrollTo(0, 0)".to_owned(),
        Direction::Bottom => "window.scrollTo(0, document.documentElement.scrollHeight)".to_owned(),
    };
    navigate::evaluate::<bool>(page, &format!("({step}, true)")).await?;
    tokio::time::sleep(Duration::from_millis(150)).await;
    navigate::evaluate(
        page,
        "({ y: scrollY, height: document.documentElement.scrollHeight, viewport: innerHeight })",
    )
    .await
}

/// Goes one page back in the tab's history; false when there was nothing to go back to.
pub async fn back(page: &Page) -> Result<bool, BrowserError> {
    let before = navigate::location(page).await?;
    let length: i64 = navigate::evaluate(page, "history.length").await?;
    if length <= 1 {
        return Ok(false);
    }
    navigate::evaluate::<bool>(page, "(history.back(), true)").await?;
    settle_after_action(page).await;
    let after = navigate::location(page).await?;
    Ok(after.url != before.url)
}

/// What `wait_for` waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Awaited {
    /// A text in the page's visible text.
    Text(String),
    /// An element matching a CSS selector.
    Selector(String),
}

impl Awaited {
    /// It in Polish: `tekst „Zapisano”`, `element #wynik`.
    pub fn pl(&self) -> String {
        match self {
            Awaited::Text(text) => format!("tekst „{text}”"),
            Awaited::Selector(selector) => format!("element {selector}"),
        }
    }
}

/// What the waiting script reports.
#[derive(Debug, Deserialize)]
struct Probe {
    found: bool,
    error: Option<String>,
}

/// Waits (polling every 100 ms, at most `limit`) until `awaited` is on the page; how long it
/// took.
pub async fn wait_for(
    page: &Page,
    awaited: &Awaited,
    limit: Duration,
) -> Result<Duration, BrowserError> {
    let (kind, value) = match awaited {
        Awaited::Text(text) => ("text", text),
        Awaited::Selector(selector) => ("selector", selector),
    };
    let value = serde_json::to_string(value).map_err(|e| BrowserError::protocol("czekanie", e))?;
    let script = format!(
        r#"(() => {{
  const value = {value};
  try {{
    if ('{kind}' === 'text') return {{ found: !!document.body && document.body.innerText.includes(value), error: null }};
    return {{ found: !!document.querySelector(value), error: null }};
  }} catch (e) {{ return {{ found: false, error: String(e.message || e) }}; }}
}})()"#
    );
    let started = std::time::Instant::now();
    loop {
        // A navigation may replace the document while we poll: try again.
        if let Ok(probe) = navigate::evaluate::<Probe>(page, &script).await {
            if let Some(error) = probe.error {
                return Err(BrowserError::WrongElement {
                    number: 0,
                    kind: "selektor".to_owned(),
                    detail: format!("niepoprawny selektor CSS: {error}"),
                });
            }
            if probe.found {
                return Ok(started.elapsed());
            }
        }
        if started.elapsed() >= limit {
            return Err(BrowserError::Timeout {
                what: awaited.pl(),
                seconds: limit.as_secs(),
            });
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Gives the page time to react to an action: a navigation to start and finish, scripts to
/// settle.
pub async fn settle_after_action(page: &Page) {
    tokio::time::sleep(Duration::from_millis(200)).await;
    for _ in 0..3 {
        if navigate::settled(page).await {
            return;
        }
        // The document was replaced while we waited (a navigation): wait for the new one.
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_read_in_polish() {
        let before = Fingerprint {
            url: "http://a/".into(),
            hash: 1,
            elements: 5,
            scroll_y: 0,
        };
        let same = Change::between(&before, &before);
        assert!(!same.any());
        assert_eq!(same.pl(), "Na stronie nic się nie zmieniło.");
        let after = Fingerprint {
            url: "http://a/b".into(),
            hash: 2,
            elements: 9,
            scroll_y: 0,
        };
        assert_eq!(
            Change::between(&before, &after).pl(),
            "Zmiana na stronie: zmienił się adres, zmieniła się treść, doszły 4 elementy."
        );
        let fewer = Fingerprint {
            elements: 4,
            ..before.clone()
        };
        assert_eq!(
            Change::between(&before, &fewer).pl(),
            "Zmiana na stronie: ubył 1 element."
        );
        let scrolled = Fingerprint {
            scroll_y: 680,
            ..before.clone()
        };
        assert_eq!(
            Change::between(&before, &scrolled).pl(),
            "Zmiana na stronie: widać inny fragment."
        );
    }
}
