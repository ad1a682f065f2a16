//! `dark8 audit list`, `dark8 audit verify` and `dark8 audit head`.

use dark8_core::store::AuditProblem;
use dark8_core::Language;
use serde_json::json;

use crate::commands::history::short_time;
use crate::commands::Context;
use crate::error::{exit_code, CliError};
use crate::output::{pad, shorten};

/// Prints the newest audit entries, oldest first.
pub async fn list(ctx: &Context, limit: u32) -> Result<u8, CliError> {
    let dark8 = ctx.start().await?;
    let entries = dark8
        .audit_recent(limit)
        .await
        .map_err(|e| CliError::from_core(&e, ctx.language()))?;
    dark8.shutdown().await;
    let out = &ctx.output;
    if out.is_json() {
        out.json(&entries).map_err(|e| ctx.io(e))?;
        return Ok(exit_code::SUCCESS);
    }
    if entries.is_empty() {
        out.line(ctx.language().pick(
            "Dziennik audytu jest pusty: DARK8 nie wykonał jeszcze żadnej akcji.",
            "The audit log is empty: DARK8 has not acted yet.",
        ))
        .map_err(|e| ctx.io(e))?;
    }
    for entry in &entries {
        let ok = entry.status == dark8_protocol::ToolStatus::Success;
        out.line(&format!(
            "#{:<6} {}  {}  {:<18} {}  {}",
            entry.id,
            short_time(&entry.timestamp),
            out.status(&pad(entry.status.as_str(), 7), ok),
            entry.action,
            shorten(&entry.parameters.to_string(), 60),
            out.dim(&shorten(&entry.result, 60)),
        ))
        .map_err(|e| ctx.io(e))?;
    }
    Ok(exit_code::SUCCESS)
}

/// Prints the log's head (`ID:HASH`) for the user to keep outside DARK8.
pub async fn head(ctx: &Context) -> Result<u8, CliError> {
    let dark8 = ctx.start().await?;
    let (id, hash) = dark8
        .audit_head()
        .await
        .map_err(|e| CliError::from_core(&e, ctx.language()))?;
    dark8.shutdown().await;
    let out = &ctx.output;
    if out.is_json() {
        out.json(&json!({ "id": id, "hash": hash, "head": format!("{id}:{hash}") }))
            .map_err(|e| ctx.io(e))?;
        return Ok(exit_code::SUCCESS);
    }
    out.line(&format!("{id}:{hash}")).map_err(|e| ctx.io(e))?;
    out.line(&out.dim(ctx.language().pick(
        "Zapisz tę głowę poza tym komputerem; później `dark8 audit verify --head <głowa>` pokaże, czy dziennik ucięto i przepisano.",
        "Keep this head off this machine; later `dark8 audit verify --head <head>` shows whether the log was cut and rewritten.",
    )))
    .map_err(|e| ctx.io(e))?;
    Ok(exit_code::SUCCESS)
}

/// `ID:HASH` → its parts.
fn parse_head(text: &str) -> Option<(i64, &str)> {
    let (id, hash) = text.trim().split_once(':')?;
    let id: i64 = id.trim_start_matches('#').parse().ok()?;
    (id >= 0 && !hash.is_empty()).then_some((id, hash))
}

/// Verifies the chain (and a remembered head); exit code 3 and the first bad row when it was
/// tampered with.
pub async fn verify(ctx: &Context, head: Option<&str>) -> Result<u8, CliError> {
    let head = match head.map(|h| (h, parse_head(h))) {
        None => None,
        Some((_, Some(parsed))) => Some(parsed),
        Some((given, None)) => {
            let language = ctx.language();
            return Err(CliError {
                message: match language {
                    Language::Pl => format!("„{given}” nie jest głową dziennika."),
                    Language::En => format!("“{given}” is not an audit log head."),
                },
                hint: language
                    .pick(
                        "Podaj ją tak, jak wypisał ją `dark8 audit head`, np. 42:k1:3f9a…",
                        "Give it as `dark8 audit head` printed it, e.g. 42:k1:3f9a…",
                    )
                    .to_owned(),
                code: exit_code::USAGE,
            });
        }
    };
    let dark8 = ctx.start().await?;
    let verification = match head {
        Some((id, hash)) => dark8.audit_verify_against(id, hash).await,
        None => dark8.audit_verify().await,
    }
    .map_err(|e| CliError::from_core(&e, ctx.language()))?;
    dark8.shutdown().await;
    let out = &ctx.output;
    if out.is_json() {
        out.json(&json!({
            "intact": verification.is_intact(),
            "rows_checked": verification.rows_checked,
            "keyed_rows": verification.keyed_rows,
            "key_checked": verification.key_checked,
            "problem": verification.problem,
        }))
        .map_err(|e| ctx.io(e))?;
    } else {
        let text = match verification.problem {
            None => intact_text(&verification, ctx.language()),
            Some(problem) => format!(
                "{}\n{}",
                out.status(&describe(problem, ctx.language()), false),
                ctx.language().pick(
                    "Podpowiedź: ktoś zmienił plik bazy poza DARK8; zachowaj kopię pliku jako dowód i sprawdź, kto miał do niego dostęp.",
                    "Hint: the database file was changed outside DARK8; keep a copy as evidence and check who had access to it.",
                )
            ),
        };
        out.line(&text).map_err(|e| ctx.io(e))?;
    }
    Ok(if verification.is_intact() {
        exit_code::SUCCESS
    } else {
        exit_code::AUDIT_TAMPERED
    })
}

/// What an intact log's check covered: how many rows, how many with keyed links, and
/// whether those links were checked with the key.
fn intact_text(verification: &dark8_core::store::AuditVerification, language: Language) -> String {
    let rows = verification.rows_checked;
    let keyed = verification.keyed_rows;
    let n = usize::try_from(rows).unwrap_or(usize::MAX);
    match language {
        Language::Pl => {
            let noun = dark8_core::tools::builtin::plural(n, "wpis", "wpisy", "wpisów");
            let how = match (keyed, verification.key_checked) {
                (0, _) => " (bez klucza: łańcuch SHA-256)".to_owned(),
                (k, true) => format!(
                    ", w tym z podpisem kluczem (HMAC-SHA256): {k}, każdy podpis sprawdzony kluczem"
                ),
                (k, false) => format!(
                    ", w tym z podpisem kluczem: {k}; tego klucza tu nie ma, więc sprawdzono tylko ciągłość łańcucha"
                ),
            };
            format!("Dziennik audytu jest nienaruszony: sprawdzono {rows} {noun}{how}.")
        }
        Language::En => {
            let noun = if rows == 1 { "entry" } else { "entries" };
            let how = match (keyed, verification.key_checked) {
                (0, _) => " (no key: SHA-256 chain)".to_owned(),
                (k, true) => format!(", {k} of them keyed (HMAC-SHA256) and checked with the key"),
                (k, false) => format!(", {k} of them keyed with a key not present here: only their links were checked"),
            };
            format!("The audit log is intact: {rows} {noun} checked{how}.")
        }
    }
}

/// The problem in the user's language, naming the row.
fn describe(problem: AuditProblem, language: Language) -> String {
    match (problem, language) {
        (AuditProblem::Changed { id }, Language::Pl) => {
            format!("DZIENNIK NARUSZONY: wpis #{id} został zmieniony.")
        }
        (AuditProblem::Removed { id }, Language::Pl) => {
            format!("DZIENNIK NARUSZONY: wpis #{id} został usunięty.")
        }
        (AuditProblem::Reordered { id }, Language::Pl) => {
            format!("DZIENNIK NARUSZONY: wpis #{id} jest nie na swoim miejscu (kolejność zmieniona).")
        }
        (AuditProblem::LinkBroken { id }, Language::Pl) => format!(
            "DZIENNIK NARUSZONY: łańcuch pęka przed wpisem #{id} (poprzedni wpis przepisano albo usunięto wpisy i przenumerowano resztę)."
        ),
        (AuditProblem::Unkeyed { id }, Language::Pl) => format!(
            "DZIENNIK NARUSZONY: wpis #{id} nie jest podpisany kluczem dziennika — ktoś bez klucza przepisał wpisy od tego miejsca."
        ),
        (AuditProblem::HeadMismatch { id }, Language::Pl) => format!(
            "DZIENNIK NARUSZONY: zapamiętanej głowy (wpis #{id}) nie ma już w dzienniku — ucięto go i przepisano."
        ),
        (problem, Language::En) => format!("AUDIT LOG TAMPERED: {problem}."),
    }
}
