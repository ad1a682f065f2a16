//! Normalization for matching: lower case and Polish diacritics folded, so that text typed
//! without Polish letters ("utworz", "zrob") matches text typed with them.

/// Folds one lower-case character: `ą`→`a`, `ć`→`c`, `ę`→`e`, `ł`→`l`, `ń`→`n`, `ó`→`o`,
/// `ś`→`s`, `ź`/`ż`→`z`; a few common non-Polish accents too.
pub fn fold_char(c: char) -> char {
    match c {
        'ą' | 'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
        'ć' | 'č' | 'ç' => 'c',
        'ę' | 'é' | 'è' | 'ê' | 'ë' | 'ě' => 'e',
        'ł' => 'l',
        'ń' | 'ň' | 'ñ' => 'n',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'ś' | 'š' => 's',
        'ź' | 'ż' | 'ž' => 'z',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ú' | 'ù' | 'û' | 'ü' | 'ů' => 'u',
        'ý' => 'y',
        'ř' => 'r',
        other => other,
    }
}

/// Lower-cases and folds diacritics: `"Utwórz Aplikację"` -> `"utworz aplikacje"`.
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(fold_char)
        .map(|c| if c == '’' { '\'' } else { c })
        .collect()
}

/// True when `text` has a Polish letter with a diacritic.
pub fn has_polish_letters(text: &str) -> bool {
    text.chars().any(|c| "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_polish_letters_and_case() {
        assert_eq!(fold("Zażółć GĘŚLĄ jaźń"), "zazolc gesla jazn");
        assert_eq!(fold("Utwórz"), fold("utworz"));
        assert_eq!(fold("Django’a"), "django'a");
        assert!(has_polish_letters("gęś"));
        assert!(!has_polish_letters("ges"));
    }
}
