//! The user at the live view: the address bar (typed addresses open through the same guard as
//! the agent's), back, forward, reload, tabs, and what the panel shows about the browser.
//! Navigating takes the browser over, like any input from the user.

use serde::{Deserialize, Serialize};

use crate::error::BrowserError;
use crate::navigate;
use crate::session::{Session, TabInfo};

/// A navigation the user asks for from the live view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum UserNavigation {
    /// Open an address typed in the address bar.
    Open {
        /// The address (http or https).
        url: String,
    },
    /// One page back.
    Back,
    /// One page forward.
    Forward,
    /// Load the page again.
    Reload,
    /// Make tab `number` (from 1) the current one.
    SwitchTab {
        /// Its number.
        number: usize,
    },
}

/// What the live view's panel shows about the browser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BrowserView {
    /// Whether the browser runs.
    pub running: bool,
    /// Whether the user drives it now (the agent's actions wait).
    pub user_driving: bool,
    /// The current tab's address and title.
    pub url: String,
    /// Its title.
    pub title: String,
    /// Every tab.
    pub tabs: Vec<TabInfo>,
}

impl Session {
    /// Carries out the user's `navigation` in the current tab (starting the browser when it
    /// does not run) and keeps the live view on the current tab.
    pub async fn user_navigate(&self, navigation: &UserNavigation) -> Result<(), BrowserError> {
        self.take_over();
        match navigation {
            UserNavigation::Open { url } => {
                let (page, _) = self.page().await?;
                navigate::open(&page, self.guard(), url.trim()).await?;
            }
            UserNavigation::Back => {
                let (page, _) = self.page().await?;
                crate::act::back(&page).await?;
            }
            UserNavigation::Forward => {
                let (page, _) = self.page().await?;
                navigate::evaluate::<bool>(&page, "(history.forward(), true)").await?;
                crate::act::settle_after_action(&page).await;
                navigate::refused_on_the_way(&page, self.guard()).await?;
            }
            UserNavigation::Reload => {
                let (page, _) = self.page().await?;
                page.reload()
                    .await
                    .map_err(|e| BrowserError::protocol("odświeżenie strony", e))?;
                navigate::settled(&page).await;
            }
            UserNavigation::SwitchTab { number } => self.switch_tab(*number).await?,
        }
        self.follow_live_view().await
    }

    /// The browser as the panel shows it; a browser that does not run is not started.
    pub async fn view(&self) -> BrowserView {
        if self.pid().await.is_none() {
            return BrowserView {
                running: false,
                user_driving: self.user_driving(),
                url: String::new(),
                title: String::new(),
                tabs: Vec::new(),
            };
        }
        let tabs = self.tabs_as_they_are().await;
        let current = tabs.iter().find(|t| t.current);
        BrowserView {
            running: true,
            user_driving: self.user_driving(),
            url: current.map(|t| t.url.clone()).unwrap_or_default(),
            title: current.map(|t| t.title.clone()).unwrap_or_default(),
            tabs,
        }
    }
}
