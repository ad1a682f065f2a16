//! Polish number agreement for summaries: 1 plik, 2 pliki, 5 plików.

/// `n` with the noun form Polish needs: `one` for 1, `few` for 2–4 (but not 12–14), `many`
/// otherwise (0, 5–21, 25, ...).
pub fn count(n: usize, one: &str, few: &str, many: &str) -> String {
    format!("{n} {}", plural(n, one, few, many))
}

/// The form (of a noun or of the verb that agrees with it) Polish needs for `n`, without the
/// number: `plural(4, "doszedł", "doszły", "doszło")` is "doszły".
pub fn plural<'a>(n: usize, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else if (2..=4).contains(&(n % 10)) && !(12..=14).contains(&(n % 100)) {
        few
    } else {
        many
    }
}

#[cfg(test)]
mod tests {
    use super::{count, plural};

    #[test]
    fn verb_agreement() {
        let came = |n| plural(n, "doszedł", "doszły", "doszło");
        assert_eq!(came(1), "doszedł");
        assert_eq!(came(3), "doszły");
        assert_eq!(came(5), "doszło");
    }

    #[test]
    fn agreement() {
        let files = |n| count(n, "plik", "pliki", "plików");
        assert_eq!(files(0), "0 plików");
        assert_eq!(files(1), "1 plik");
        assert_eq!(files(2), "2 pliki");
        assert_eq!(files(5), "5 plików");
        assert_eq!(files(12), "12 plików");
        assert_eq!(files(22), "22 pliki");
        assert_eq!(files(111), "111 plików");
    }
}
