//! `browser_screenshot` and `browser_pdf`: the page (given or open) saved as a PNG or a PDF
//! inside the workspace, written atomically.

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use chromiumoxide::cdp::browser_protocol::page::{CaptureScreenshotFormat, PrintToPdfParams};
use chromiumoxide::page::ScreenshotParams;
use chromiumoxide::Page;
use dark8_protocol::RiskClass;
use dark8_tools::builtin::fs::{human_size, write_atomically};
use dark8_tools::{ToolArgs, ToolContext, ToolError, ToolOutput, ToolResult, TypedTool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Browsing;
use crate::error::BrowserError;
use crate::navigate;

/// The workspace folder captures go to when no path is given.
const DEFAULT_DIR: &str = "zrzuty";

/// Arguments of `browser_screenshot` and `browser_pdf`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct CaptureArgs {
    /// Adres strony (page address; default: the page open now)
    #[serde(default)]
    #[tool(url)]
    url: Option<String>,
    /// Plik w obszarze roboczym (file in the workspace; default zrzuty/strona-<czas>.png|pdf)
    #[serde(default)]
    #[tool(path)]
    path: Option<String>,
    /// Cała strona, nie tylko widoczny ekran (whole page, screenshots only)
    #[serde(default)]
    full_page: bool,
    /// Szerokość okna w pikselach na czas zrzutu (viewport width, screenshots only)
    #[serde(default)]
    #[schemars(range(min = 200, max = 3840))]
    width: Option<u32>,
    /// Wysokość okna w pikselach na czas zrzutu (viewport height, screenshots only)
    #[serde(default)]
    #[schemars(range(min = 200, max = 2160))]
    height: Option<u32>,
}

impl CaptureArgs {
    /// The paths the executor judges: the given file, else the default folder.
    fn judged_paths(&self) -> Vec<String> {
        vec![self.path.clone().unwrap_or_else(|| DEFAULT_DIR.to_owned())]
    }

    fn judged_risks(&self) -> Vec<RiskClass> {
        let mut risks = vec![RiskClass::Write];
        if self.url.is_some() {
            risks.push(RiskClass::Network);
        }
        risks
    }
}

/// A saved capture.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Captured {
    /// Where it was written.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// The image's width in pixels (screenshots).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// The image's height in pixels (screenshots).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// The page's title.
    pub title: String,
    /// The page's address.
    pub url: String,
}

/// The page to capture: `url` opened first, else the open page.
async fn page_for(browsing: &Browsing, url: Option<&str>) -> Result<Page, ToolError> {
    let (page, _) = browsing.session.page().await?;
    if let Some(url) = url {
        browsing.agent_may_act().await?;
        navigate::open(&page, browsing.session.guard(), url).await?;
    } else if navigate::location(&page).await?.url == "about:blank" {
        return Err(ToolError::new(
            "Żadna strona nie jest otwarta.",
            "Podaj url albo najpierw otwórz stronę (browser_open).",
        ));
    }
    Ok(page)
}

/// Where to write: the given path (resolved inside the workspace) or a fresh file in the
/// default folder.
fn target(ctx: &ToolContext, given: Option<&str>, extension: &str) -> Result<PathBuf, ToolError> {
    let relative = match given {
        Some(path) => path.to_owned(),
        None => {
            let millis = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or_default();
            format!("{DEFAULT_DIR}/strona-{millis}.{extension}")
        }
    };
    ctx.resolve(&relative)
}

/// Writes `bytes` (of an image `size` px, if one) to `path` atomically and answers with the
/// page's title and address; `summary` words it from the title and the path.
async fn store(
    page: &Page,
    path: PathBuf,
    bytes: &[u8],
    size: Option<(u32, u32)>,
    summary: impl FnOnce(&str, &std::path::Path) -> String,
) -> ToolResult<Captured> {
    write_atomically(&path, bytes)?;
    let location = navigate::location(page).await?;
    Ok(ToolOutput {
        summary: summary(&location.title, &path),
        data: Captured {
            path,
            bytes: bytes.len() as u64,
            width: size.map(|s| s.0),
            height: size.map(|s| s.1),
            title: location.title,
            url: location.url,
        },
    })
}

/// Sets the page's viewport to `width` × `height` CSS pixels at scale 1.
async fn set_viewport(page: &Page, width: u32, height: u32) -> Result<(), BrowserError> {
    page.execute(SetDeviceMetricsOverrideParams::new(
        width, height, 1.0, false,
    ))
    .await
    .map(|_| ())
    .map_err(|e| BrowserError::protocol("rozmiar okna", e))
}

/// The width and height a PNG's header gives.
pub fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 24 || &bytes[..8] != b"\x89PNG\r\n\x1a\n" || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let width = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    let height = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
    Some((width, height))
}

/// `browser_screenshot`: the page as a PNG.
#[derive(Debug, Clone)]
pub struct BrowserScreenshot(pub Browsing);

impl TypedTool for BrowserScreenshot {
    type Args = CaptureArgs;
    type Output = Captured;
    const NAME: &'static str = "browser_screenshot";
    const DESCRIPTION_PL: &'static str = "Zapisuje zrzut ekranu strony (podanej albo otwartej) jako PNG w obszarze roboczym; opcjonalnie całą stronę";
    const DESCRIPTION_EN: &'static str = "Saves a screenshot of a page (given or open) as a PNG in the workspace; optionally the whole page";
    const RISK: RiskClass = RiskClass::Write;
    fn risks(&self, args: &CaptureArgs) -> Vec<RiskClass> {
        args.judged_risks()
    }
    fn paths(&self, args: &CaptureArgs) -> Vec<String> {
        args.judged_paths()
    }
    fn render(output: &Captured) -> Vec<String> {
        vec![output.path.display().to_string()]
    }
    async fn run(&self, args: CaptureArgs, ctx: ToolContext) -> ToolResult<Captured> {
        let page = page_for(&self.0, args.url.as_deref()).await?;
        let path = target(&ctx, args.path.as_deref(), "png")?;
        let params = ScreenshotParams::builder()
            .format(CaptureScreenshotFormat::Png)
            .full_page(args.full_page)
            .build();
        let resized = args.width.is_some() || args.height.is_some();
        if resized {
            let (width, height) = (
                args.width.unwrap_or(crate::session::WINDOW.0),
                args.height.unwrap_or(crate::session::WINDOW.1),
            );
            set_viewport(&page, width, height).await?;
        }
        let shot = page.screenshot(params).await;
        if resized {
            // Back to DARK8's window size, whatever the capture did.
            let _ = set_viewport(&page, crate::session::WINDOW.0, crate::session::WINDOW.1).await;
        }
        let png = shot.map_err(|e| BrowserError::protocol("zrzut ekranu", e))?;
        let size = png_size(&png);
        store(&page, path, &png, size, |title, path| {
            format!(
                "Zapisano zrzut „{title}” ({}×{} px, {}) w {}.",
                size.map(|s| s.0).unwrap_or_default(),
                size.map(|s| s.1).unwrap_or_default(),
                human_size(png.len() as u64),
                path.display()
            )
        })
        .await
    }
}

/// `browser_pdf`: the page printed to a PDF.
#[derive(Debug, Clone)]
pub struct BrowserPdf(pub Browsing);

impl TypedTool for BrowserPdf {
    type Args = CaptureArgs;
    type Output = Captured;
    const NAME: &'static str = "browser_pdf";
    const DESCRIPTION_PL: &'static str =
        "Drukuje stronę (podaną albo otwartą) do pliku PDF w obszarze roboczym";
    const DESCRIPTION_EN: &'static str =
        "Prints a page (given or open) to a PDF file in the workspace";
    const RISK: RiskClass = RiskClass::Write;
    fn risks(&self, args: &CaptureArgs) -> Vec<RiskClass> {
        args.judged_risks()
    }
    fn paths(&self, args: &CaptureArgs) -> Vec<String> {
        args.judged_paths()
    }
    fn render(output: &Captured) -> Vec<String> {
        vec![output.path.display().to_string()]
    }
    async fn run(&self, args: CaptureArgs, ctx: ToolContext) -> ToolResult<Captured> {
        let page = page_for(&self.0, args.url.as_deref()).await?;
        let path = target(&ctx, args.path.as_deref(), "pdf")?;
        let params = PrintToPdfParams {
            print_background: Some(true),
            ..PrintToPdfParams::default()
        };
        let pdf = page.pdf(params).await.map_err(|e| {
            ToolError::new(
                format!("Nie wydrukowano strony do PDF: {e}."),
                "Druk do PDF działa w przeglądarce bez okna ([browser] headless = true).",
            )
        })?;
        store(&page, path, &pdf, None, |title, path| {
            format!(
                "Zapisano „{title}” jako PDF ({}) w {}.",
                human_size(pdf.len() as u64),
                path.display()
            )
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_png_header_gives_its_size() {
        let mut header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
        header.extend(1280u32.to_be_bytes());
        header.extend(800u32.to_be_bytes());
        assert_eq!(png_size(&header), Some((1280, 800)));
        assert_eq!(png_size(b"GIF89a"), None);
    }
}
