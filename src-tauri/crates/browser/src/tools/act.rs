//! `browser_click`, `browser_type`, `browser_select`, `browser_scroll` and `browser_back`: the
//! current page acted on, then checked for what changed and observed afresh.

use std::future::Future;
use std::time::Duration;

use chromiumoxide::Page;
use dark8_protocol::RiskClass;
use dark8_tools::{ToolArgs, ToolContext, ToolError, ToolOutput, ToolResult, TypedTool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Browsing;
use crate::act::{self, Change, Direction, Resolved, ScrollPosition, Target};
use crate::error::BrowserError;
use crate::navigate;
use crate::observe::{observation_pl, Observation};
use crate::session::Recovery;

/// How long an action waits for the downloads it started.
const DOWNLOAD_WAIT: Duration = Duration::from_secs(15);

/// What an action did to the page.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Acted {
    /// What was done, in Polish (`Kliknięto [7] przycisk „Szukaj”`).
    pub action: String,
    /// What changed on the page.
    pub change: Change,
    /// What else happened: a renumbered element, a dialog, a new tab, a recovered browser.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Where a scroll left the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<ScrollPosition>,
    /// The page now, numbered afresh (only this observation counts from now on).
    #[serde(flatten)]
    pub observation: Observation,
}

/// The page an action works on: the current one, reloaded at its last address when the
/// browser or the page had crashed.
async fn working_page(browsing: &Browsing, notes: &mut Vec<String>) -> Result<Page, ToolError> {
    let (page, recovery) = browsing.session.page().await?;
    if recovery != Recovery::None {
        match browsing.latest() {
            Some(last) if last.url.starts_with("http") => {
                navigate::open(&page, browsing.session.guard(), &last.url).await?;
                notes.push(format!(
                    "Strona uległa awarii, wczytano ponownie: {}.",
                    last.url
                ));
            }
            _ => {
                return Err(ToolError::new(
                    recovery
                        .note_pl()
                        .unwrap_or("Przeglądarka uruchomiła się od nowa."),
                    "Otwórz stronę ponownie (browser_open).",
                ))
            }
        }
    }
    let location = navigate::location(&page).await?;
    if location.url == "about:blank" {
        return Err(ToolError::new(
            "Żadna strona nie jest otwarta.",
            "Najpierw otwórz stronę (browser_open).",
        ));
    }
    Ok(page)
}

/// Runs `action` on the current page, then: waits for the page to react, takes over a tab the
/// page opened, reports a navigation the guard refused (going back to where the page was),
/// and observes the page afresh. `action` says what it did in Polish.
async fn perform<F, Fut>(
    browsing: &Browsing,
    target: Option<&Target>,
    action: F,
) -> ToolResult<Acted>
where
    F: FnOnce(Page, Option<Resolved>) -> Fut,
    Fut: Future<Output = Result<(String, Option<ScrollPosition>), BrowserError>>,
{
    browsing.agent_may_act().await?;
    let mut notes = Vec::new();
    let page = working_page(browsing, &mut notes).await?;
    let guard = browsing.session.guard();
    // Refusals belong to this action; notes (dialogs, downloads finished in the background)
    // wait until some action reports them.
    guard.take_refusals();
    let before = act::fingerprint(&page).await?;
    let resolved = match target {
        Some(target) => {
            let latest = browsing.latest();
            let resolved = act::resolve(&page, latest.as_ref(), target).await?;
            notes.extend(resolved.note.clone());
            Some(resolved)
        }
        None => None,
    };
    let (done, position) = action(page.clone(), resolved).await?;
    act::settle_after_action(&page).await;
    if !browsing.session.quarantine().wait_idle(DOWNLOAD_WAIT).await {
        notes.push("Pobieranie pliku trwa dalej w tle (kwarantanna pobrań).".to_owned());
    }
    let popup = browsing.session.adopt_new_tab().await?;
    if let Some(refusal) = guard.take_refusals().into_iter().next() {
        if navigate::location(&page)
            .await
            .map(|l| !l.url.starts_with("http"))
            .unwrap_or(true)
        {
            let _ = act::back(&page).await;
        }
        return Err(BrowserError::Refused {
            url: refusal.url,
            reason: refusal.reason,
        }
        .into());
    }
    let current = browsing
        .session
        .current()
        .await
        .unwrap_or_else(|| page.clone());
    browsing.session.follow_live_view().await?;
    if let Some(url) = popup {
        browsing.forget();
        notes.push(format!(
            "Strona otworzyła nową kartę ({url}); jest teraz bieżąca."
        ));
    }
    let after = act::fingerprint(&current).await?;
    let mut change = Change::between(&before, &after);
    change.url_changed |= popup_opened(&notes);
    notes.extend(guard.take_notes());
    let observation = navigate::observe(&current).await?;
    browsing.remember(&observation);
    let mut summary = format!("{done}. {}", change.pl());
    if !change.any() && notes.is_empty() && target.is_some() {
        summary.push_str(" Sprawdź, czy to właściwy element; lista jest poniżej.");
    }
    for note in &notes {
        summary.push(' ');
        summary.push_str(note);
    }
    Ok(ToolOutput {
        summary,
        data: Acted {
            action: done,
            change,
            notes,
            position,
            observation,
        },
    })
}

/// [`perform`] on the element `target` means.
async fn perform_on<F, Fut>(browsing: &Browsing, target: &Target, action: F) -> ToolResult<Acted>
where
    F: FnOnce(Page, Resolved) -> Fut,
    Fut: Future<Output = Result<(String, Option<ScrollPosition>), BrowserError>>,
{
    perform(browsing, Some(target), |page, resolved| async move {
        match resolved {
            Some(resolved) => action(page, resolved).await,
            None => Err(BrowserError::protocol("element", "brak celu")),
        }
    })
    .await
}

fn popup_opened(notes: &[String]) -> bool {
    notes
        .iter()
        .any(|n| n.starts_with("Strona otworzyła nową kartę"))
}

/// An element as the summary names it: `[7] przycisk „Szukaj”`.
fn named(resolved: &Resolved) -> String {
    format!(
        "[{}] {} „{}”",
        resolved.number,
        crate::observe::kind_pl(&resolved.element),
        resolved.element.name
    )
}

/// The target of an action from its two optional arguments.
fn target_of(number: Option<u32>, text: Option<&str>) -> Result<Target, ToolError> {
    match (number, text.map(str::trim).filter(|t| !t.is_empty())) {
        (Some(number), None) => Ok(Target::Ref(number)),
        (None, Some(text)) => Ok(Target::Text(text.to_owned())),
        (Some(_), Some(_)) => Err(ToolError::new(
            "Podaj numer elementu albo jego tekst, nie oba naraz.",
            "Np. {\"ref\": 7} albo {\"text\": \"Szukaj\"}.",
        )),
        (None, None) => Err(ToolError::new(
            "Nie wiem, który element: brak numeru i tekstu.",
            "Podaj numer z listy elementów ({\"ref\": 7}) albo tekst ({\"text\": \"Szukaj\"}).",
        )),
    }
}

fn render_acted(output: &Acted) -> Vec<String> {
    let mut lines = vec![output.change.pl()];
    lines.extend(output.notes.iter().cloned());
    lines.extend(observation_pl(&output.observation));
    lines
}

/// Arguments of `browser_click`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct ClickArgs {
    /// Numer elementu z ostatniej obserwacji strony (element number from the latest observation)
    #[serde(default, rename = "ref")]
    number: Option<u32>,
    /// Albo tekst elementu (or the element's text)
    #[serde(default)]
    #[schemars(length(max = 200))]
    text: Option<String>,
}

/// `browser_click`: clicks an element with the mouse.
#[derive(Debug, Clone)]
pub struct BrowserClick(pub Browsing);

impl TypedTool for BrowserClick {
    type Args = ClickArgs;
    type Output = Acted;
    const NAME: &'static str = "browser_click";
    const READS_WEB: bool = true;
    const DESCRIPTION_PL: &'static str = "Klika element otwartej strony (numer z listy elementów albo jego tekst) i mówi, co się zmieniło";
    const DESCRIPTION_EN: &'static str = "Clicks an element of the open page (its number from the element list, or its text) and says what changed";
    const RISK: RiskClass = RiskClass::Network;
    fn render(output: &Acted) -> Vec<String> {
        render_acted(output)
    }
    async fn run(&self, args: ClickArgs, _ctx: ToolContext) -> ToolResult<Acted> {
        let target = target_of(args.number, args.text.as_deref())?;
        perform_on(&self.0, &target, |page, resolved| async move {
            act::click(&page, resolved.number).await?;
            Ok((format!("Kliknięto {}", named(&resolved)), None))
        })
        .await
    }
}

/// Arguments of `browser_type`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct TypeArgs {
    /// Numer pola z ostatniej obserwacji (field number from the latest observation)
    #[serde(default, rename = "ref")]
    number: Option<u32>,
    /// Albo opis pola (or the field's label)
    #[serde(default)]
    #[schemars(length(max = 200))]
    field: Option<String>,
    /// Tekst do wpisania, z polskimi znakami (text to type)
    #[schemars(length(max = 10000))]
    text: String,
    /// Dopisz do obecnej treści zamiast ją zastąpić (append instead of replacing)
    #[serde(default)]
    append: bool,
    /// Naciśnij Enter po wpisaniu (press Enter afterwards)
    #[serde(default)]
    submit: bool,
}

/// `browser_type`: types text into a field, Polish letters included.
#[derive(Debug, Clone)]
pub struct BrowserType(pub Browsing);

impl TypedTool for BrowserType {
    type Args = TypeArgs;
    type Output = Acted;
    const NAME: &'static str = "browser_type";
    const READS_WEB: bool = true;
    const SENDS_FORMS: bool = true;
    const DESCRIPTION_PL: &'static str = "Wpisuje tekst (z polskimi znakami) w pole otwartej strony, zastępując jego treść albo dopisując, i opcjonalnie naciska Enter";
    const DESCRIPTION_EN: &'static str = "Types text (Polish letters included) into a field of the open page, replacing or appending, and optionally presses Enter";
    const RISK: RiskClass = RiskClass::Network;
    fn render(output: &Acted) -> Vec<String> {
        render_acted(output)
    }
    async fn run(&self, args: TypeArgs, _ctx: ToolContext) -> ToolResult<Acted> {
        let target = target_of(args.number, args.field.as_deref())?;
        let TypeArgs {
            text,
            append,
            submit,
            ..
        } = args;
        perform_on(&self.0, &target, |page, resolved| async move {
            act::type_text(&page, &resolved, &text, append, submit).await?;
            let shown = if resolved.element.password {
                "••••".to_owned()
            } else {
                dark8_tools::text::shorten(&text, 80)
            };
            let mut done = format!("Wpisano „{shown}” w {}", named(&resolved));
            if submit {
                done.push_str(" i naciśnięto Enter");
            }
            Ok((done, None))
        })
        .await
    }
}

/// Arguments of `browser_select`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct SelectArgs {
    /// Numer listy z ostatniej obserwacji (list number from the latest observation)
    #[serde(default, rename = "ref")]
    number: Option<u32>,
    /// Albo opis listy (or the list's label)
    #[serde(default)]
    #[schemars(length(max = 200))]
    field: Option<String>,
    /// Opcja do wybrania: jej tekst albo wartość (the option's text or value)
    #[schemars(length(min = 1, max = 500))]
    option: String,
}

/// `browser_select`: chooses an option in a list.
#[derive(Debug, Clone)]
pub struct BrowserSelect(pub Browsing);

impl TypedTool for BrowserSelect {
    type Args = SelectArgs;
    type Output = Acted;
    const NAME: &'static str = "browser_select";
    const READS_WEB: bool = true;
    const SENDS_FORMS: bool = true;
    const DESCRIPTION_PL: &'static str =
        "Wybiera opcję z listy rozwijanej otwartej strony (po tekście albo wartości)";
    const DESCRIPTION_EN: &'static str =
        "Chooses an option in a drop-down list of the open page (by its text or value)";
    const RISK: RiskClass = RiskClass::Network;
    fn render(output: &Acted) -> Vec<String> {
        render_acted(output)
    }
    async fn run(&self, args: SelectArgs, _ctx: ToolContext) -> ToolResult<Acted> {
        let target = target_of(args.number, args.field.as_deref())?;
        let option = args.option;
        perform_on(&self.0, &target, |page, resolved| async move {
            let chosen = act::select(&page, &resolved, &option).await?;
            Ok((format!("Wybrano „{chosen}” w {}", named(&resolved)), None))
        })
        .await
    }
}

/// Arguments of `browser_scroll`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct ScrollArgs {
    /// down | up | top | bottom (domyślnie down)
    #[serde(default)]
    direction: Direction,
    /// Ile ekranów (how many screens, default 1)
    #[serde(default)]
    #[schemars(range(min = 1, max = 20))]
    screens: Option<u32>,
}

/// `browser_scroll`: scrolls the page (content that loads on scrolling appears).
#[derive(Debug, Clone)]
pub struct BrowserScroll(pub Browsing);

impl TypedTool for BrowserScroll {
    type Args = ScrollArgs;
    type Output = Acted;
    const NAME: &'static str = "browser_scroll";
    const READS_WEB: bool = true;
    const DESCRIPTION_PL: &'static str =
        "Przewija otwartą stronę w dół, w górę, na początek albo na koniec i pokazuje, co widać";
    const DESCRIPTION_EN: &'static str =
        "Scrolls the open page down, up, to the top or to the bottom and shows what is visible";
    const RISK: RiskClass = RiskClass::Read;
    fn render(output: &Acted) -> Vec<String> {
        render_acted(output)
    }
    async fn run(&self, args: ScrollArgs, _ctx: ToolContext) -> ToolResult<Acted> {
        let screens = args.screens.unwrap_or(1).clamp(1, 20);
        let direction = args.direction;
        perform(&self.0, None, |page, _| async move {
            let position = act::scroll(&page, direction, screens).await?;
            let percent = if position.height > position.viewport {
                (position.y / (position.height - position.viewport) * 100.0).clamp(0.0, 100.0)
            } else {
                100.0
            };
            Ok((
                format!("Przewinięto stronę (widać {percent:.0}% drogi do końca)"),
                Some(position),
            ))
        })
        .await
    }
}

/// Arguments of `browser_back` (none).
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct BackArgs {}

/// `browser_back`: goes one page back.
#[derive(Debug, Clone)]
pub struct BrowserBack(pub Browsing);

impl TypedTool for BrowserBack {
    type Args = BackArgs;
    type Output = Acted;
    const NAME: &'static str = "browser_back";
    const READS_WEB: bool = true;
    const DESCRIPTION_PL: &'static str = "Wraca do poprzedniej strony w bieżącej karcie";
    const DESCRIPTION_EN: &'static str = "Goes back to the previous page in the current tab";
    const RISK: RiskClass = RiskClass::Network;
    fn render(output: &Acted) -> Vec<String> {
        render_acted(output)
    }
    async fn run(&self, _args: BackArgs, _ctx: ToolContext) -> ToolResult<Acted> {
        perform(&self.0, None, |page, _| async move {
            if act::back(&page).await? {
                Ok(("Wrócono do poprzedniej strony".to_owned(), None))
            } else {
                Ok(("Nie ma poprzedniej strony w tej karcie".to_owned(), None))
            }
        })
        .await
    }
}

/// Arguments of `browser_wait`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct WaitArgs {
    /// Tekst, który ma się pojawić na stronie (text to wait for)
    #[serde(default)]
    #[schemars(length(max = 500))]
    text: Option<String>,
    /// Albo selektor CSS elementu (or a CSS selector)
    #[serde(default)]
    #[schemars(length(max = 500))]
    selector: Option<String>,
    /// Najdłużej tyle sekund (at most this many seconds, default 10)
    #[serde(default)]
    #[schemars(range(min = 1, max = 60))]
    seconds: Option<u64>,
}

/// `browser_wait`: waits until a text or an element appears on the open page.
#[derive(Debug, Clone)]
pub struct BrowserWait(pub Browsing);

impl TypedTool for BrowserWait {
    type Args = WaitArgs;
    type Output = Acted;
    const NAME: &'static str = "browser_wait";
    const READS_WEB: bool = true;
    const DESCRIPTION_PL: &'static str = "Czeka, aż na otwartej stronie pojawi się tekst albo element (selektor CSS), najdłużej podaną liczbę sekund";
    const DESCRIPTION_EN: &'static str = "Waits until a text or an element (CSS selector) appears on the open page, for at most the given seconds";
    const RISK: RiskClass = RiskClass::Read;
    fn render(output: &Acted) -> Vec<String> {
        render_acted(output)
    }
    async fn run(&self, args: WaitArgs, _ctx: ToolContext) -> ToolResult<Acted> {
        let condition = match (args.text, args.selector) {
            (Some(text), None) if !text.trim().is_empty() => act::Awaited::Text(text),
            (None, Some(selector)) if !selector.trim().is_empty() => {
                act::Awaited::Selector(selector)
            }
            _ => {
                return Err(ToolError::new(
                    "Podaj, na co czekać: tekst albo selektor (jedno z nich).",
                    "Np. {\"text\": \"Zapisano\"} albo {\"selector\": \"#wynik\"}.",
                ))
            }
        };
        let limit = Duration::from_secs(args.seconds.unwrap_or(10).clamp(1, 60));
        perform(&self.0, None, |page, _| async move {
            let waited = act::wait_for(&page, &condition, limit).await?;
            Ok((
                format!(
                    "Pojawiło się {} (po {:.1} s)",
                    condition.pl(),
                    waited.as_secs_f64()
                ),
                None,
            ))
        })
        .await
    }
}
