//! Retrieval evaluation: a set of documents and queries (each query naming the documents
//! that answer it) and the scores of a ranking against it — recall@k and mean reciprocal
//! rank. [`POLISH_SET`] is the project's own Polish set; `dark8 kb eval` runs it.

use std::collections::HashSet;

/// The project's Polish retrieval set (facts, notes, code, patterns, templates; queries
/// worded unlike their answers: synonyms, inflection, no diacritics, typos).
pub const POLISH_SET: &str = include_str!("../eval/pl-retrieval.tsv");

/// One document of a set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalDocument {
    /// The set's name for it (queries refer to it).
    pub id: String,
    /// Its kind as the store names it: fact, code_snippet, pattern or template.
    pub kind: String,
    /// Its text, with `\n` read as a new line.
    pub text: String,
}

/// One query of a set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalQuery {
    /// What is asked.
    pub text: String,
    /// The ids of the documents that answer it.
    pub relevant: Vec<String>,
}

/// A retrieval set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvalSet {
    /// Its documents, in file order.
    pub documents: Vec<EvalDocument>,
    /// Its queries, in file order.
    pub queries: Vec<EvalQuery>,
}

/// Why a set could not be read: the line (1-based) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct EvalSetError {
    /// The line, counted from 1.
    pub line: usize,
    /// What is wrong with it.
    pub problem: String,
}

const KINDS: [&str; 4] = ["fact", "code_snippet", "pattern", "template"];

impl EvalSet {
    /// Reads a set: tab-separated lines `D <id> <kind> <text>` and `Q <ids> <query>` (ids
    /// comma-separated); `#` starts a comment line, blank lines are skipped. Every query must
    /// name documents the set has, and no id may repeat.
    pub fn parse(text: &str) -> Result<EvalSet, EvalSetError> {
        let mut set = EvalSet::default();
        let mut ids = HashSet::new();
        let mut query_lines = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            let problem = |problem: String| EvalSetError {
                line: number,
                problem,
            };
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                ["D", id, kind, text] => {
                    if !KINDS.contains(kind) {
                        return Err(problem(format!(
                            "unknown kind `{kind}` (one of {})",
                            KINDS.join(", ")
                        )));
                    }
                    if id.is_empty() || text.trim().is_empty() {
                        return Err(problem("a document needs an id and a text".into()));
                    }
                    if !ids.insert((*id).to_owned()) {
                        return Err(problem(format!("document `{id}` appears twice")));
                    }
                    set.documents.push(EvalDocument {
                        id: (*id).to_owned(),
                        kind: (*kind).to_owned(),
                        text: text.replace("\\n", "\n"),
                    });
                }
                ["Q", relevant, query] => {
                    let relevant: Vec<String> = relevant
                        .split(',')
                        .map(str::trim)
                        .filter(|id| !id.is_empty())
                        .map(str::to_owned)
                        .collect();
                    if relevant.is_empty() || query.trim().is_empty() {
                        return Err(problem("a query needs its answers' ids and a text".into()));
                    }
                    query_lines.push(number);
                    set.queries.push(EvalQuery {
                        text: (*query).to_owned(),
                        relevant,
                    });
                }
                _ => {
                    return Err(problem(
                        "expected `D<TAB>id<TAB>kind<TAB>text` or `Q<TAB>ids<TAB>query`".into(),
                    ))
                }
            }
        }
        for (query, line) in set.queries.iter().zip(query_lines) {
            if let Some(unknown) = query.relevant.iter().find(|id| !ids.contains(*id)) {
                return Err(EvalSetError {
                    line,
                    problem: format!("the query names `{unknown}`, which no document is"),
                });
            }
        }
        Ok(set)
    }
}

/// How well a ranking answered a set's queries.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct RetrievalScore {
    /// Share of queries with an answer among the first `k` results.
    pub recall_at_k: f64,
    /// Mean of 1 / (rank of the first answer), 0 for a query not answered at all.
    pub mrr: f64,
    /// The `k` of recall@k.
    pub k: usize,
    /// How many queries were scored.
    pub queries: usize,
}

/// Scores `rankings` (per query, document ids best first) against the queries' answers.
pub fn score(queries: &[EvalQuery], rankings: &[Vec<String>], k: usize) -> RetrievalScore {
    let mut hits = 0usize;
    let mut reciprocal = 0.0;
    for (query, ranking) in queries.iter().zip(rankings) {
        let first = ranking
            .iter()
            .position(|id| query.relevant.iter().any(|r| r == id));
        if let Some(rank) = first {
            reciprocal += 1.0 / (rank as f64 + 1.0);
            if rank < k {
                hits += 1;
            }
        }
    }
    let n = queries.len().min(rankings.len());
    let share = |x: f64| if n == 0 { 0.0 } else { x / n as f64 };
    RetrievalScore {
        recall_at_k: share(hits as f64),
        mrr: share(reciprocal),
        k,
        queries: n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_polish_set_is_well_formed_and_big_enough() {
        let set = EvalSet::parse(POLISH_SET).unwrap();
        assert!(set.documents.len() >= 300, "{}", set.documents.len());
        assert!(set.queries.len() >= 80, "{}", set.queries.len());
        let kinds: HashSet<&str> = set.documents.iter().map(|d| d.kind.as_str()).collect();
        assert_eq!(kinds.len(), 4, "every kind is in the set: {kinds:?}");
        assert!(set
            .documents
            .iter()
            .any(|d| d.kind == "code_snippet" && d.text.contains('\n')));
    }

    #[test]
    fn a_bad_line_is_named_with_its_number() {
        let err = EvalSet::parse("D\ta\tfact\tTekst\nQ\tb\tpytanie\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.problem.contains("`b`"), "{err}");
        let err = EvalSet::parse("# c\nD\ta\tnote\tTekst\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(EvalSet::parse("D\ta\tfact\tx\nD\ta\tfact\ty\n").is_err());
        assert!(EvalSet::parse("X y\n").is_err());
    }

    #[test]
    fn recall_and_mrr_count_the_first_answer() {
        let queries = vec![
            EvalQuery {
                text: "a".into(),
                relevant: vec!["1".into()],
            },
            EvalQuery {
                text: "b".into(),
                relevant: vec!["2".into(), "3".into()],
            },
            EvalQuery {
                text: "c".into(),
                relevant: vec!["9".into()],
            },
        ];
        let rankings = vec![
            vec!["1".into(), "2".into()],
            vec!["5".into(), "6".into(), "3".into()],
            vec!["1".into()],
        ];
        let at_2 = score(&queries, &rankings, 2);
        assert!((at_2.recall_at_k - 1.0 / 3.0).abs() < 1e-9);
        assert!((at_2.mrr - (1.0 + 1.0 / 3.0) / 3.0).abs() < 1e-9);
        assert!((score(&queries, &rankings, 5).recall_at_k - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(score(&[], &[], 5).mrr, 0.0);
    }
}
