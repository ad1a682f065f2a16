//! `dark8 kb`: the knowledge base from the terminal — add, search (words and meaning fused),
//! list, remove, and re-embed with a fresh vector index.

use dark8_core::agent::memory::Memory;
use dark8_core::knowledge::Embedder;
use dark8_core::store::{KnowledgeItem, KnowledgeKind};
use dark8_core::tools::builtin::plural;
use dark8_core::{CoreError, Dark8};

use crate::cli::{KbCommand, KbKind};
use crate::commands::history::short_time;
use crate::commands::Context;
use crate::error::{exit_code, CliError};
use crate::output::shorten;

/// Items embedded per batch by `reindex`.
const REINDEX_BATCH: u32 = 64;

/// Runs one `dark8 kb` command.
pub async fn run(ctx: &Context, command: KbCommand) -> Result<u8, CliError> {
    let dark8 = ctx.start().await?;
    let outcome = match command {
        KbCommand::Add { text, kind, tags } => add(ctx, &dark8, &text, kind, tags).await,
        KbCommand::Search { query, limit } => search(ctx, &dark8, &query, limit).await,
        KbCommand::List { kind, limit } => list(ctx, &dark8, kind, limit).await,
        KbCommand::Rm { id } => remove(ctx, &dark8, id).await,
        KbCommand::Reindex => reindex(ctx, &dark8).await,
        KbCommand::Index { path } => crate::commands::kb_index::run(ctx, &dark8, &path).await,
        KbCommand::Eval { set, k } => crate::commands::kb_eval::run(ctx, &dark8, set, k).await,
    };
    dark8.shutdown().await;
    outcome
}

fn store_kind(kind: KbKind) -> KnowledgeKind {
    match kind {
        KbKind::Fact => KnowledgeKind::Fact,
        KbKind::CodeSnippet => KnowledgeKind::CodeSnippet,
        KbKind::Pattern => KnowledgeKind::Pattern,
        KbKind::Template => KnowledgeKind::Template,
    }
}

/// The kind's name as the reader says it.
fn kind_name(ctx: &Context, kind: KnowledgeKind) -> &'static str {
    let language = ctx.language();
    match kind {
        KnowledgeKind::Fact => language.pick("fakt", "fact"),
        KnowledgeKind::CodeSnippet => language.pick("kod", "code"),
        KnowledgeKind::Pattern => language.pick("wzorzec", "pattern"),
        KnowledgeKind::Template => language.pick("szablon", "template"),
    }
}

fn memory(ctx: &Context, dark8: &Dark8) -> Result<Memory, CliError> {
    dark8
        .memory()
        .map_err(|e| CliError::from_core(&e, ctx.language()))
}

fn store_error(ctx: &Context, err: dark8_core::store::StoreError) -> CliError {
    CliError::from_core(&CoreError::Store(err), ctx.language())
}

async fn add(
    ctx: &Context,
    dark8: &Dark8,
    text: &str,
    kind: KbKind,
    tags: Vec<String>,
) -> Result<u8, CliError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(CliError {
            message: ctx
                .language()
                .pick("Wpis jest pusty.", "The entry is empty.")
                .to_owned(),
            hint: ctx
                .language()
                .pick(
                    "Podaj treść, np. dark8 kb add \"Serwer produkcyjny działa pod db.firma.local\"",
                    "Give its text, e.g. dark8 kb add \"The production server is db.example.com\"",
                )
                .to_owned(),
            code: exit_code::USAGE,
        });
    }
    let memory = memory(ctx, dark8)?;
    let tags: Vec<String> = tags
        .into_iter()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    let item = memory
        .save(store_kind(kind), text, tags)
        .await
        .map_err(|e| store_error(ctx, e))?;
    let out = &ctx.output;
    if out.is_json() {
        out.json(&item).map_err(|e| ctx.io(e))?;
        return Ok(exit_code::SUCCESS);
    }
    let language = ctx.language();
    out.line(&format!(
        "{} #{} ({}).",
        language.pick("Zapisano wpis", "Saved entry"),
        item.id,
        kind_name(ctx, item.kind)
    ))
    .map_err(|e| ctx.io(e))?;
    let meaning = match &item.embedding_model {
        Some(model) if item.embedding.is_some() => format!(
            "{} {model}",
            language.pick(
                "Szukany też po znaczeniu: wektor modelu",
                "Found by meaning too: a vector of"
            )
        ),
        _ => language
            .pick(
                "Szukany po słowach (brak modelu osadzeń: `dark8 model pull e5-small`).",
                "Found by its words (no embedding model: `dark8 model pull e5-small`).",
            )
            .to_owned(),
    };
    out.line(&out.dim(&meaning)).map_err(|e| ctx.io(e))?;
    Ok(exit_code::SUCCESS)
}

async fn search(ctx: &Context, dark8: &Dark8, query: &str, limit: u32) -> Result<u8, CliError> {
    let memory = memory(ctx, dark8)?;
    let found = memory
        .entries(Some(query), limit.max(1))
        .await
        .map_err(|e| store_error(ctx, e))?;
    let out = &ctx.output;
    if out.is_json() {
        out.json(&found).map_err(|e| ctx.io(e))?;
        return Ok(exit_code::SUCCESS);
    }
    if found.is_empty() {
        out.line(&format!(
            "{} „{query}”.",
            ctx.language()
                .pick("Nic nie znaleziono dla", "Nothing found for")
        ))
        .map_err(|e| ctx.io(e))?;
        return Ok(exit_code::SUCCESS);
    }
    for entry in &found {
        let source = match entry.source {
            dark8_protocol::KnowledgeSource::Knowledge => {
                ctx.language().pick("wiedza", "knowledge")
            }
            dark8_protocol::KnowledgeSource::Conversation => {
                ctx.language().pick("rozmowa", "conversation")
            }
        };
        out.line(&format!(
            "#{:<5} {:<9} {:>6.3}  {}",
            entry.id,
            source,
            entry.score,
            shorten(&entry.text, 100)
        ))
        .map_err(|e| ctx.io(e))?;
        if entry.source == dark8_protocol::KnowledgeSource::Knowledge {
            let item = dark8
                .store()
                .knowledge()
                .get(entry.id)
                .await
                .map_err(|e| store_error(ctx, e))?;
            if let Some(from) = item.and_then(|item| item.source) {
                out.line(&out.dim(&format!(
                    "       {}:{}-{}",
                    from.path, from.line_start, from.line_end
                )))
                .map_err(|e| ctx.io(e))?;
            }
        }
    }
    Ok(exit_code::SUCCESS)
}

async fn list(
    ctx: &Context,
    dark8: &Dark8,
    kind: Option<KbKind>,
    limit: u32,
) -> Result<u8, CliError> {
    let items = dark8
        .store()
        .knowledge()
        .recent(kind.map(store_kind), limit)
        .await
        .map_err(|e| store_error(ctx, e))?;
    let out = &ctx.output;
    if out.is_json() {
        out.json(&items).map_err(|e| ctx.io(e))?;
        return Ok(exit_code::SUCCESS);
    }
    if items.is_empty() {
        out.line(ctx.language().pick(
            "Baza wiedzy jest pusta: dodaj wpis, np. dark8 kb add \"…\".",
            "The knowledge base is empty: add an entry, e.g. dark8 kb add \"…\".",
        ))
        .map_err(|e| ctx.io(e))?;
    }
    for item in &items {
        out.line(&item_line(ctx, item)).map_err(|e| ctx.io(e))?;
    }
    Ok(exit_code::SUCCESS)
}

fn item_line(ctx: &Context, item: &KnowledgeItem) -> String {
    let tags = if item.tags.is_empty() {
        String::new()
    } else {
        format!(" [{}]", item.tags.join(", "))
    };
    format!(
        "#{:<5} {:<8} {}{}  {}",
        item.id,
        kind_name(ctx, item.kind),
        short_time(&item.created_at),
        tags,
        shorten(&item.content, 90)
    )
}

async fn remove(ctx: &Context, dark8: &Dark8, id: i64) -> Result<u8, CliError> {
    let memory = memory(ctx, dark8)?;
    let removed = memory
        .forget_fact(id)
        .await
        .map_err(|e| store_error(ctx, e))?;
    let language = ctx.language();
    match removed {
        Some(item) => {
            ctx.output
                .line(&format!(
                    "{} #{} ({}): {}",
                    language.pick("Usunięto wpis", "Removed entry"),
                    item.id,
                    kind_name(ctx, item.kind),
                    shorten(&item.content, 80)
                ))
                .map_err(|e| ctx.io(e))?;
            Ok(exit_code::SUCCESS)
        }
        None => Err(CliError {
            message: format!(
                "{} #{id}.",
                language.pick(
                    "W bazie wiedzy nie ma wpisu",
                    "The knowledge base has no entry"
                )
            ),
            hint: language
                .pick(
                    "Numery wpisów pokazuje `dark8 kb list`.",
                    "`dark8 kb list` shows the entries' numbers.",
                )
                .to_owned(),
            code: exit_code::FAILURE,
        }),
    }
}

async fn reindex(ctx: &Context, dark8: &Dark8) -> Result<u8, CliError> {
    let language = ctx.language();
    let Some(embedder) = dark8.embedder() else {
        return Err(no_embedder(ctx));
    };
    let memory = memory(ctx, dark8)?;
    let mut embedded = 0usize;
    loop {
        match memory
            .embed_backlog(REINDEX_BATCH)
            .await
            .map_err(|e| store_error(ctx, e))?
        {
            Some(0) => break,
            Some(n) => embedded += n,
            None => {
                return Err(CliError {
                    message: language
                        .pick(
                            "Model osadzeń nie osadził wpisów (szczegóły w dzienniku).",
                            "The embedding model did not embed the entries (details in the log).",
                        )
                        .to_owned(),
                    hint: language
                        .pick(
                            "Sprawdź `dark8 doctor` i ustawienia [embeddings].",
                            "Check `dark8 doctor` and the [embeddings] settings.",
                        )
                        .to_owned(),
                    code: exit_code::FAILURE,
                })
            }
        }
    }
    let rows = dark8
        .vector_index()
        .rebuild(
            dark8.store(),
            embedder.model(),
            dimension_of(&*embedder, dark8).await,
        )
        .await
        .map_err(|e| CliError {
            message: format!(
                "{}: {e}",
                language.pick(
                    "Nie udało się zbudować indeksu wektorów",
                    "Could not build the vector index"
                )
            ),
            hint: language
                .pick(
                    "Wpisy są bezpieczne w bazie; spróbuj ponownie `dark8 kb reindex`.",
                    "The entries are safe in the database; try `dark8 kb reindex` again.",
                )
                .to_owned(),
            code: exit_code::FAILURE,
        })?;
    let out = &ctx.output;
    if out.is_json() {
        out.json(&serde_json::json!({
            "model": embedder.model(),
            "embedded": embedded,
            "indexed": rows,
        }))
        .map_err(|e| ctx.io(e))?;
        return Ok(exit_code::SUCCESS);
    }
    out.line(&match language {
        dark8_core::Language::Pl => format!(
            "Osadzono {embedded} {} modelem {}; indeks wektorów zbudowany od nowa: {rows} {}.",
            plural(embedded, "wpis", "wpisy", "wpisów"),
            embedder.model(),
            plural(rows, "wpis", "wpisy", "wpisów"),
        ),
        dark8_core::Language::En => format!(
            "Embedded {embedded} {} with {}; the vector index rebuilt: {rows} {}.",
            if embedded == 1 { "entry" } else { "entries" },
            embedder.model(),
            if rows == 1 { "entry" } else { "entries" },
        ),
    })
    .map_err(|e| ctx.io(e))?;
    Ok(exit_code::SUCCESS)
}

/// The embedder's dimension; a server's is known only after its first answer, so one stored
/// vector tells it when the embedder cannot yet.
async fn dimension_of(embedder: &dyn Embedder, dark8: &Dark8) -> usize {
    if embedder.dimension() > 0 {
        return embedder.dimension();
    }
    dark8
        .store()
        .vector_log()
        .snapshot(embedder.model())
        .await
        .ok()
        .and_then(|snapshot| snapshot.vectors.first().map(|(_, v)| v.len()))
        .unwrap_or(0)
}

fn no_embedder(ctx: &Context) -> CliError {
    let language = ctx.language();
    CliError {
        message: language
            .pick(
                "Nie ma modelu osadzeń: wpisy można szukać tylko po słowach.",
                "There is no embedding model: entries can be searched by their words only.",
            )
            .to_owned(),
        hint: language
            .pick(
                "Pobierz wbudowany model: `dark8 model pull e5-small` (albo ustaw [embeddings] provider = \"ollama\").",
                "Get the embedded model: `dark8 model pull e5-small` (or set [embeddings] provider = \"ollama\").",
            )
            .to_owned(),
        code: exit_code::FAILURE,
    }
}
