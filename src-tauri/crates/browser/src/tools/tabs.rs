//! `browser_tabs`: the browser's tabs listed, switched and closed.

use dark8_protocol::RiskClass;
use dark8_tools::builtin::count;
use dark8_tools::{ToolArgs, ToolContext, ToolError, ToolOutput, ToolResult, TypedTool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Browsing;

/// What to do with the tabs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TabAction {
    /// List them.
    #[default]
    List,
    /// Make one current.
    Switch,
    /// Close one.
    Close,
}

/// Arguments of `browser_tabs`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct TabsArgs {
    /// list | switch | close (domyślnie list)
    #[serde(default)]
    action: TabAction,
    /// Numer karty, od 1 (tab number, for switch and close)
    #[serde(default)]
    #[schemars(range(min = 1, max = 100))]
    number: Option<usize>,
}

/// One tab.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Tab {
    /// Its number, from 1.
    pub number: usize,
    /// Its title.
    pub title: String,
    /// Its address.
    pub url: String,
    /// Whether it is the current tab.
    pub current: bool,
}

/// The tabs after the action.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct TabsList {
    /// Every open tab.
    pub tabs: Vec<Tab>,
}

/// `browser_tabs`: lists, switches or closes the browser's tabs.
#[derive(Debug, Clone)]
pub struct BrowserTabs(pub Browsing);

impl TypedTool for BrowserTabs {
    type Args = TabsArgs;
    type Output = TabsList;
    const NAME: &'static str = "browser_tabs";
    const READS_WEB: bool = true;
    const DESCRIPTION_PL: &'static str =
        "Pokazuje karty przeglądarki DARK8, przełącza na wybraną albo ją zamyka";
    const DESCRIPTION_EN: &'static str = "Lists DARK8's browser tabs, switches to one or closes it";
    const RISK: RiskClass = RiskClass::Read;
    fn render(output: &TabsList) -> Vec<String> {
        output
            .tabs
            .iter()
            .map(|tab| {
                format!(
                    "{} {}. {} — {}",
                    if tab.current { "▶" } else { " " },
                    tab.number,
                    tab.title,
                    tab.url
                )
            })
            .collect()
    }
    async fn run(&self, args: TabsArgs, _ctx: ToolContext) -> ToolResult<TabsList> {
        let session = &self.0.session;
        let done =
            match (args.action, args.number) {
                (TabAction::List, _) => None,
                (action, None) => {
                    return Err(ToolError::new(
                        "Podaj numer karty.",
                        format!(
                        "Np. {{\"action\": \"{}\", \"number\": 2}}; numery pokazuje browser_tabs.",
                        if action == TabAction::Switch { "switch" } else { "close" }
                    ),
                    ))
                }
                (TabAction::Switch, Some(number)) => {
                    self.0.agent_may_act().await?;
                    session.switch_tab(number).await?;
                    session.follow_live_view().await?;
                    self.0.forget();
                    Some(format!("Bieżąca jest teraz karta nr {number}."))
                }
                (TabAction::Close, Some(number)) => {
                    self.0.agent_may_act().await?;
                    session.close_tab(number).await?;
                    session.follow_live_view().await?;
                    self.0.forget();
                    Some(format!("Zamknięto kartę nr {number}."))
                }
            };
        let tabs: Vec<Tab> = session
            .tabs()
            .await?
            .into_iter()
            .map(|t| Tab {
                number: t.number,
                title: t.title,
                url: t.url,
                current: t.current,
            })
            .collect();
        let listed = format!("Otwarte: {}.", count(tabs.len(), "karta", "karty", "kart"));
        Ok(ToolOutput {
            summary: match done {
                Some(done) => format!("{done} {listed}"),
                None => listed,
            },
            data: TabsList { tabs },
        })
    }
}
