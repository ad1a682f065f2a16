//! Names from Polish: "Sklep Internetowy" -> `sklep-internetowy` (a project directory and
//! package name), `sklep_internetowy` (an identifier), `SklepInternetowy` (a type).

use dark8_nlp::normalize::fold;

/// Lower-case ASCII words of `text` (diacritics folded, everything else a separator).
fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `sklep-internetowy`; empty when `text` has no letters or digits.
pub fn slug(text: &str) -> String {
    words(text).join("-")
}

/// `sklep_internetowy`, never starting with a digit (`_3d` for "3D").
pub fn identifier(text: &str) -> String {
    let joined = words(text).join("_");
    if joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{joined}")
    } else {
        joined
    }
}

/// `SklepInternetowy`.
pub fn pascal(text: &str) -> String {
    words(text)
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polish_names() {
        assert_eq!(slug("Sklep Internetowy"), "sklep-internetowy");
        assert_eq!(slug("Zażółć gęślą jaźń!"), "zazolc-gesla-jazn");
        assert_eq!(slug("  API -- v2 "), "api-v2");
        assert_eq!(slug("???"), "");
        assert_eq!(identifier("Lista Zadań"), "lista_zadan");
        assert_eq!(identifier("3D model"), "_3d_model");
        assert_eq!(pascal("lista zadań"), "ListaZadan");
    }
}
