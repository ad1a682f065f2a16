//! The language of answers.

/// Polish (default) or English.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    /// Polish.
    #[default]
    Pl,
    /// English.
    En,
}

impl Lang {
    /// `pl` or `en`, whichever this language is.
    pub fn pick<'a>(self, pl: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Pl => pl,
            Lang::En => en,
        }
    }
}

/// A Polish count with the right noun form: `1 krok`, `3 kroki`, `5 kroków`.
pub fn count_pl(n: usize, one: &str, few: &str, many: &str) -> String {
    let word = if n == 1 {
        one
    } else if (2..=4).contains(&(n % 10)) && !(12..=14).contains(&(n % 100)) {
        few
    } else {
        many
    };
    format!("{n} {word}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polish_counts_take_the_right_form() {
        assert_eq!(count_pl(1, "krok", "kroki", "kroków"), "1 krok");
        assert_eq!(count_pl(3, "krok", "kroki", "kroków"), "3 kroki");
        assert_eq!(count_pl(5, "krok", "kroki", "kroków"), "5 kroków");
        assert_eq!(count_pl(12, "krok", "kroki", "kroków"), "12 kroków");
        assert_eq!(count_pl(22, "krok", "kroki", "kroków"), "22 kroki");
    }
}
