//! The form -> lemma table built from the SGJP dictionary (see `scripts/build_lexicon.py`),
//! embedded as an fst map, with a suffix-rule fallback for words it lacks.

use std::borrow::Cow;

use crate::normalize::fold;

static FORMS_FST: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/forms.fst"));
static LEMMAS: &str = include_str!(concat!(env!("OUT_DIR"), "/lemmas.txt"));

/// The embedded lexicon.
pub struct Lexicon {
    forms: fst::Map<&'static [u8]>,
    lemmas: Vec<&'static str>,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("forms", &self.forms.len())
            .field("lemmas", &self.lemmas.len())
            .finish()
    }
}

/// Endings stripped by the fallback, longest first (folded spelling).
const SUFFIXES: &[&str] = &[
    "owaniem", "owania", "owanie", "aniem", "ania", "anie", "owie", "ami", "ach", "owi", "iem",
    "ego", "emu", "ymi", "imi", "ych", "ich", "ow", "om", "em", "ie", "a", "e", "i", "y", "u", "o",
];

impl Lexicon {
    /// The lexicon embedded at build time.
    pub fn embedded() -> Result<Lexicon, fst::Error> {
        Ok(Lexicon {
            forms: fst::Map::new(FORMS_FST)?,
            lemmas: LEMMAS.split('\n').collect(),
        })
    }

    /// Number of forms in the table.
    pub fn len(&self) -> usize {
        self.forms.len()
    }

    /// True when the table is empty.
    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// The dictionary lemma of an already folded form, if the table has it.
    pub fn lookup(&self, folded: &str) -> Option<&'static str> {
        let id = self.forms.get(folded)?;
        self.lemmas.get(usize::try_from(id).ok()?).copied()
    }

    /// The lemma of `word` (folded): from the table, else by stripping an apostrophe ending
    /// (`django'a`) or a common inflectional suffix.
    pub fn lemma<'w>(&self, word: &'w str) -> Cow<'w, str> {
        let folded = fold(word);
        if let Some(lemma) = self.lookup(&folded) {
            return Cow::Borrowed(lemma);
        }
        if let Some((stem, _)) = folded.split_once('\'') {
            if let Some(lemma) = self.lookup(stem) {
                return Cow::Borrowed(lemma);
            }
            return Cow::Owned(stem.to_owned());
        }
        // Past tense with a person ending: "zbudowałem", "stworzyliśmy".
        for ending in ["smy", "scie", "em", "am", "es", "as"] {
            if let Some(past) = folded.strip_suffix(ending) {
                if past.ends_with(['l', 'y', 'i']) {
                    if let Some(lemma) = self.lookup(past) {
                        return Cow::Borrowed(lemma);
                    }
                }
            }
        }
        Cow::Owned(suffix_stem(&folded))
    }
}

/// Strips the longest known suffix when at least three characters stay.
pub fn suffix_stem(folded: &str) -> String {
    let chars = folded.chars().count();
    if chars <= 4 {
        return folded.to_owned();
    }
    for suffix in SUFFIXES {
        if let Some(stem) = folded.strip_suffix(suffix) {
            if stem.chars().count() >= 3 {
                return stem.to_owned();
            }
        }
    }
    folded.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_examples() {
        let lexicon = Lexicon::embedded().unwrap();
        assert!(lexicon.len() > 10_000);
        for (word, lemma) in [
            ("aplikację", "aplikacja"),
            ("aplikacje", "aplikacja"),
            ("Ruście", "rust"),
            ("Djangu", "django"),
            ("zbuduj", "zbudowac"),
            ("zbudować", "zbudowac"),
            ("odpal", "odpalic"),
        ] {
            assert_eq!(lexicon.lemma(word), lemma, "{word}");
        }
    }

    #[test]
    fn fallback_strips_suffixes_and_apostrophes() {
        let lexicon = Lexicon::embedded().unwrap();
        assert_eq!(lexicon.lemma("Kubernetesem"), "kubernetes");
        assert_eq!(lexicon.lemma("Svelte'a"), "svelte");
        assert_eq!(suffix_stem("abc"), "abc");
    }
}
