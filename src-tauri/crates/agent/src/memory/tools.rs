//! The memory as tools: `memory_save {content, tags?}`, `memory_search {query, k?}` and
//! `memory_forget {id}`.

use dark8_protocol::RiskClass;
use dark8_tools::{ToolArgs, ToolContext, ToolError, ToolOutput, ToolResult, TypedTool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{day_range, Memory, Recollection};

fn store_error(err: impl std::fmt::Display) -> ToolError {
    ToolError::new(
        format!("Baza pamięci nie odpowiada: {err}"),
        "Sprawdź `dark8 doctor` (plik bazy danych).",
    )
}

#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct SaveArgs {
    /// Fakt do zapamiętania (the fact to remember)
    #[schemars(length(min = 1, max = 10000))]
    content: String,
    /// Etykiety (tags)
    #[serde(default)]
    tags: Vec<String>,
}

/// The fact `memory_save` kept.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Saved {
    /// Its row in the knowledge base.
    pub id: i64,
    /// The fact.
    pub content: String,
    /// Its tags.
    pub tags: Vec<String>,
}

/// What `memory_search` recalled.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Recalled {
    /// The question.
    pub query: String,
    /// Facts and past commands, best first (by day: oldest first).
    pub results: Vec<Recollection>,
}

/// `memory_save`: keeps a fact in the knowledge base, searchable by `memory_search`.
#[derive(Debug, Clone)]
pub struct MemorySave(pub Memory);

impl TypedTool for MemorySave {
    type Args = SaveArgs;
    type Output = Saved;
    const NAME: &'static str = "memory_save";
    const DESCRIPTION_PL: &'static str = "Zapamiętuje fakt w bazie wiedzy (np. „baza działa na porcie 5433”); memory_search go odnajdzie";
    const DESCRIPTION_EN: &'static str =
        "Remembers a fact in the knowledge base; memory_search finds it";
    const RISK: RiskClass = RiskClass::Write;
    async fn run(&self, args: SaveArgs, _ctx: ToolContext) -> ToolResult<Saved> {
        let content = args.content.trim();
        if content.is_empty() {
            return Err(ToolError::new(
                "Nie ma czego zapamiętać: treść jest pusta.",
                "Np. „Zapamiętaj, że baza działa na porcie 5433”.",
            ));
        }
        let item = self
            .0
            .save_fact(content, args.tags)
            .await
            .map_err(store_error)?;
        Ok(ToolOutput {
            summary: format!("Zapamiętano: „{}”.", item.content),
            data: Saved {
                id: item.id,
                content: item.content,
                tags: item.tags,
            },
        })
    }
}

#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct SearchArgs {
    /// Czego szukać, słowami (what to look for)
    #[schemars(length(min = 1, max = 2000))]
    query: String,
    /// Ile wyników (how many, default 5)
    #[serde(default)]
    #[schemars(range(min = 1, max = 50))]
    k: Option<u32>,
}

/// `memory_search`: finds facts and past commands by meaning of words (lemmas), or by day.
#[derive(Debug, Clone)]
pub struct MemorySearch(pub Memory);

impl TypedTool for MemorySearch {
    type Args = SearchArgs;
    type Output = Recalled;
    const NAME: &'static str = "memory_search";
    const DESCRIPTION_PL: &'static str = "Przeszukuje pamięć: zapamiętane fakty i wcześniejsze polecenia (odmiana słów bez znaczenia; „wczoraj”, „dzisiaj” szuka po dniu)";
    const DESCRIPTION_EN: &'static str = "Searches memory: remembered facts and past commands (inflection-insensitive; \"wczoraj\"/\"dzisiaj\" search by day)";
    const RISK: RiskClass = RiskClass::Read;
    fn render(output: &Recalled) -> Vec<String> {
        output
            .results
            .iter()
            .map(|r| {
                let when = r.when.get(..16).unwrap_or(&r.when).replace('T', " ");
                format!("  • {when}  {}", r.text)
            })
            .collect()
    }
    async fn run(&self, args: SearchArgs, _ctx: ToolContext) -> ToolResult<Recalled> {
        let k = args.k.unwrap_or(5).clamp(1, 50);
        let today = chrono::Local::now().date_naive();
        let (found, label) = match day_range(&args.query, today) {
            Some(range) => (
                self.0.on_days(&range, 50).await.map_err(store_error)?,
                Some(range.label_pl),
            ),
            None => (
                self.0.search(&args.query, k).await.map_err(store_error)?,
                None,
            ),
        };
        let summary = match (found.first(), label) {
            (None, Some(label)) => format!("Nie mam zapisanych poleceń z okresu: {label}."),
            (None, None) => "Nie pamiętam niczego na ten temat.".to_owned(),
            (Some(_), Some(label)) => format!(
                "{label}: {}.",
                crate::language::count_pl(found.len(), "polecenie", "polecenia", "poleceń")
            ),
            (Some(best), None) => format!("Pamiętam: {}", best.text),
        };
        Ok(ToolOutput {
            summary,
            data: Recalled {
                query: args.query,
                results: found,
            },
        })
    }
}

#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct ForgetArgs {
    /// Numer faktu w bazie wiedzy (the fact's id, as memory_search lists it)
    #[schemars(range(min = 1))]
    id: i64,
}

/// The fact `memory_forget` removed.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Forgotten {
    /// Its row in the knowledge base.
    pub id: i64,
    /// The fact as it was.
    pub content: String,
}

/// `memory_forget`: removes a fact from the knowledge base and its search index.
#[derive(Debug, Clone)]
pub struct MemoryForget(pub Memory);

impl TypedTool for MemoryForget {
    type Args = ForgetArgs;
    type Output = Forgotten;
    const NAME: &'static str = "memory_forget";
    const DESCRIPTION_PL: &'static str =
        "Usuwa zapamiętany fakt z bazy wiedzy (po numerze, który podaje memory_search)";
    const DESCRIPTION_EN: &'static str =
        "Removes a remembered fact from the knowledge base (by the id memory_search lists)";
    const RISK: RiskClass = RiskClass::Write;
    async fn run(&self, args: ForgetArgs, _ctx: ToolContext) -> ToolResult<Forgotten> {
        match self.0.forget_fact(args.id).await.map_err(store_error)? {
            Some(item) => Ok(ToolOutput {
                summary: format!("Zapomniano: „{}”.", item.content),
                data: Forgotten {
                    id: item.id,
                    content: item.content,
                },
            }),
            None => Err(ToolError::new(
                format!("W bazie wiedzy nie ma faktu numer {}.", args.id),
                "Numery faktów pokazuje ekran Wiedza albo memory_search.",
            )),
        }
    }
}
