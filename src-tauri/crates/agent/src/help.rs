//! HELP: what DARK8 can do, read from the plan table.

use crate::language::Lang;
use crate::plan::{Recipe, PLANS};

/// The capability list: one example per intent that has tools.
pub fn capabilities(lang: Lang) -> String {
    let mut lines = vec![lang
        .pick(
            "Rozumiem polecenia po polsku i wykonuję je narzędziami na tym komputerze. Na przykład:",
            "I understand Polish commands and carry them out with tools on this machine. For example:",
        )
        .to_owned()];
    for plan in PLANS {
        if matches!(plan.recipe, Recipe::Steps(_)) {
            lines.push(format!("  • {}", plan.example_pl));
        }
    }
    lines.push(
        lang.pick(
            "Polecenia łączę: „Zbuduj REST API w FastAPI o nazwie sklep, przetestuj je i przygotuj Dockerfile”. Ryzykowne działania wymagają Twojej zgody, a każde trafia do dziennika audytu (`dark8 audit list`).",
            "Commands can be chained: \"Zbuduj REST API w FastAPI o nazwie sklep, przetestuj je i przygotuj Dockerfile\". Risky actions need your approval and every action goes to the audit log (`dark8 audit list`).",
        )
        .to_owned(),
    );
    lines.join("\n")
}
