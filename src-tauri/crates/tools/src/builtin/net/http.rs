//! `http_request {method, url, headers?, body?, timeout_s?, max_bytes?, max_redirects?}`.

use std::collections::BTreeMap;
use std::time::Duration;

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::check_hop;
use crate::builtin::fs::human_size;
use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::policy::Policy;
use crate::tool::{ToolContext, ToolError, ToolOutput};

/// HTTP methods the tool sends.
#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
enum Method {
    /// GET.
    #[default]
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// PATCH.
    Patch,
    /// DELETE.
    Delete,
    /// HEAD.
    Head,
}

/// Arguments of `http_request`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// GET | POST | PUT | PATCH | DELETE | HEAD
    #[serde(default)]
    method: Method,
    /// Adres http(s):// (URL)
    #[schemars(length(min = 1, max = 8192))]
    #[tool(url)]
    url: String,
    /// Nagłówki (headers)
    #[serde(default)]
    headers: BTreeMap<String, String>,
    /// Treść żądania; obiekt JSON wysyłany jako application/json (request body)
    #[serde(default)]
    body: Option<Value>,
    /// Limit czasu w sekundach (default 30)
    #[serde(default)]
    #[schemars(range(min = 1, max = 600))]
    timeout_s: Option<u64>,
    /// Największa odpowiedź w bajtach (default 1 MiB)
    #[serde(default)]
    #[schemars(range(min = 1, max = 67108864))]
    max_bytes: Option<usize>,
    /// Najwięcej przekierowań (default 5)
    #[serde(default)]
    #[schemars(range(min = 0, max = 20))]
    max_redirects: Option<u32>,
}

/// The response `http_request` got.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// The final URL (after redirects).
    pub url: String,
    /// Each redirect hop, in order.
    pub redirects: Vec<String>,
    /// Response headers.
    pub headers: BTreeMap<String, String>,
    /// The body: pretty JSON, text, or a note for binary content.
    pub body: String,
    /// json | text | binary
    pub body_kind: String,
    /// Body bytes received.
    pub bytes: usize,
    /// Whether the body was cut at max_bytes.
    pub truncated: bool,
}

/// Sends HTTP requests: judging redirects by `policy`.
#[derive(Debug, Clone)]
pub struct HttpRequest(pub Policy);

fn method(m: Method) -> reqwest::Method {
    match m {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
        Method::Head => reqwest::Method::HEAD,
    }
}

fn request_error(url: &str, err: &reqwest::Error) -> ToolError {
    let (what, hint) = if err.is_timeout() {
        (
            "przekroczono limit czasu",
            "Zwiększ timeout_s albo sprawdź, czy serwer działa.",
        )
    } else if err.is_connect() {
        (
            "nie można się połączyć",
            "Sprawdź adres, port i połączenie z siecią.",
        )
    } else if err.is_builder() {
        ("niepoprawne żądanie", "Sprawdź adres i nagłówki.")
    } else {
        ("błąd połączenia", "Spróbuj ponownie.")
    };
    ToolError::new(format!("Żądanie do {url}: {what} ({err})."), hint)
}

impl TypedTool for HttpRequest {
    type Args = Args;
    type Output = HttpResponse;
    const NAME: &'static str = "http_request";
    const READS_WEB: bool = true;
    const DESCRIPTION_PL: &'static str = "Wysyła żądanie HTTP(S) z limitami rozmiaru, czasu i przekierowań; JSON w odpowiedzi jest sformatowany";
    const DESCRIPTION_EN: &'static str = "Sends an HTTP(S) request with size, time and redirect limits; JSON responses are pretty-printed";
    const RISK: RiskClass = RiskClass::Network;
    fn render(output: &HttpResponse) -> Vec<String> {
        crate::text::lines(&output.body)
    }
    fn time_limit(&self, args: &Args) -> Option<Duration> {
        Some(Duration::from_secs(args.timeout_s.unwrap_or(30)))
    }
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<HttpResponse> {
        let mut url = reqwest::Url::parse(&args.url).map_err(|e| {
            ToolError::new(
                format!("Niepoprawny adres URL „{}”: {e}.", args.url),
                "Podaj pełny adres, np. https://example.com/api.",
            )
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(ToolError::new(
                format!("Nieobsługiwany protokół {}://.", url.scheme()),
                "http_request obsługuje http:// i https://; WebSocket: ws_exchange.",
            ));
        }
        let timeout = Duration::from_secs(args.timeout_s.unwrap_or(30));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .user_agent(concat!("DARK8/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| request_error(&args.url, &e))?;
        let max_redirects = args.max_redirects.unwrap_or(5);
        let mut redirects = Vec::new();
        let mut method = method(args.method);
        let mut body = args.body.clone();
        let response = loop {
            let mut request = client.request(method.clone(), url.clone());
            for (name, value) in &args.headers {
                request = request.header(name, value);
            }
            if let Some(body) = &body {
                request = match body {
                    Value::String(text) => request.body(text.clone()),
                    other => request.json(other),
                };
            }
            let response = tokio::select! {
                sent = request.send() => sent.map_err(|e| request_error(url.as_str(), &e))?,
                () = ctx.cancel.cancelled() => return Err(ToolError::new("Przerwano.", "Uruchom ponownie, gdy zechcesz.")),
            };
            if !response.status().is_redirection() {
                break response;
            }
            let Some(next) = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .and_then(|l| url.join(l).ok())
            else {
                break response;
            };
            if redirects.len() as u32 >= max_redirects {
                return Err(ToolError::new(
                    format!("Za dużo przekierowań (ponad {max_redirects})."),
                    "Zwiększ max_redirects albo podaj adres docelowy.",
                ));
            }
            check_hop(&self.0, next.as_str())?;
            (ctx.progress)(format!("przekierowanie -> {next}"), None);
            if response.status() == reqwest::StatusCode::SEE_OTHER
                || (matches!(response.status().as_u16(), 301 | 302)
                    && method == reqwest::Method::POST)
            {
                method = reqwest::Method::GET;
                body = None;
            }
            redirects.push(next.to_string());
            url = next;
        };
        let status = response.status();
        let headers: BTreeMap<String, String> = response
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("<binarne>").to_owned()))
            .collect();
        let content_type = headers.get("content-type").cloned().unwrap_or_default();
        let max = args.max_bytes.unwrap_or(1024 * 1024);
        let mut response = response;
        let mut bytes = Vec::new();
        let mut truncated = false;
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| request_error(url.as_str(), &e))?
        {
            if bytes.len() + chunk.len() > max {
                bytes.extend_from_slice(&chunk[..max - bytes.len()]);
                truncated = true;
                break;
            }
            bytes.extend_from_slice(&chunk);
        }
        let (body, kind) = render_body(&bytes, &content_type, truncated);
        let cut = if truncated {
            format!(" Odpowiedź obcięto do {}.", human_size(max as u64))
        } else {
            String::new()
        };
        let data = HttpResponse {
            status: status.as_u16(),
            url: url.to_string(),
            redirects,
            headers,
            body,
            body_kind: kind.to_owned(),
            bytes: bytes.len(),
            truncated,
        };
        let line = format!(
            "HTTP {} {} ({}, {}).{cut}",
            status.as_u16(),
            status.canonical_reason().unwrap_or(""),
            if content_type.is_empty() {
                "bez typu"
            } else {
                content_type.as_str()
            },
            human_size(bytes.len() as u64)
        );
        if status.is_client_error() || status.is_server_error() {
            return Err(ToolError::new(
                line,
                "Serwer odpowiedział błędem; zobacz treść odpowiedzi.",
            )
            .with_output(&data));
        }
        Ok(ToolOutput {
            summary: line,
            data,
        })
    }
}

/// The body as text: pretty JSON when it parses, text when it is UTF-8, else a note.
fn render_body(bytes: &[u8], content_type: &str, truncated: bool) -> (String, &'static str) {
    if !truncated
        && (content_type.contains("json")
            || bytes.first() == Some(&b'{')
            || bytes.first() == Some(&b'['))
    {
        if let Ok(value) = serde_json::from_slice::<Value>(bytes) {
            return (
                serde_json::to_string_pretty(&value).unwrap_or_default(),
                "json",
            );
        }
    }
    if bytes.contains(&0) {
        return (format!("<dane binarne, {} bajtów>", bytes.len()), "binary");
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), "text"),
        // A cut can split a character: keep what is whole.
        Err(err) if truncated && bytes.len() - err.valid_up_to() < 4 => (
            String::from_utf8_lossy(&bytes[..err.valid_up_to()]).into_owned(),
            "text",
        ),
        Err(_) => (format!("<dane binarne, {} bajtów>", bytes.len()), "binary"),
    }
}
