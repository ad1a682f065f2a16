//! A page as a small model can read it: title, URL, a few headings and a numbered list of at
//! most [`MAX_ELEMENTS`] visible interactive elements, in Polish (`[7] przycisk "Szukaj"`,
//! `[8] pole "E-mail" = ""`, `[9] link "Cennik" → /cennik`). Each element keeps its number in
//! a `data-dark8-ref` attribute, so a later action can find it again. Password values are
//! never read.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Most interactive elements one observation lists.
pub const MAX_ELEMENTS: usize = 50;

/// One interactive element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Element {
    /// Its number on the page (`[7]`).
    #[serde(rename = "ref")]
    pub number: u32,
    /// Its ARIA role (`link`, `button`, `textbox`, `checkbox`, `radio`, `combobox`, ...).
    pub role: String,
    /// What it says (label, text, placeholder), at most 80 characters.
    pub name: String,
    /// A text field's value (never a password's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Whether it is a password field.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub password: bool,
    /// A checkbox's or radio button's state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked: Option<bool>,
    /// A link's target, as written in the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}

/// What a page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Observation {
    /// The page's title.
    pub title: String,
    /// Its address (after redirects).
    pub url: String,
    /// Up to eight visible headings (h1–h3).
    pub headings: Vec<String>,
    /// Visible interactive elements, numbered in document order.
    pub elements: Vec<Element>,
    /// How many visible interactive elements the page has in all.
    pub total_elements: usize,
}

/// The script that numbers the elements and returns an [`Observation`] as JSON.
pub fn script() -> String {
    format!(
        r#"(() => {{
  const LIMIT = {MAX_ELEMENTS};
  const clean = (t) => (t || '').trim().replace(/\s+/g, ' ').slice(0, 80);
  const visible = (el) => {{
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'
      && !el.closest('[aria-hidden="true"]');
  }};
  const roleOf = (el) => {{
    const given = el.getAttribute('role');
    if (given) return given;
    const tag = el.tagName.toLowerCase();
    if (tag === 'a') return 'link';
    if (tag === 'button') return 'button';
    if (tag === 'select') return 'combobox';
    if (tag === 'textarea') return 'textbox';
    if (tag === 'input') {{
      const type = (el.type || 'text').toLowerCase();
      if (['submit', 'button', 'reset', 'image'].includes(type)) return 'button';
      if (type === 'checkbox') return 'checkbox';
      if (type === 'radio') return 'radio';
      return 'textbox';
    }}
    return el.isContentEditable ? 'textbox' : tag;
  }};
  const nameOf = (el) => clean(el.getAttribute('aria-label')
    || (el.labels && el.labels.length ? el.labels[0].innerText : '')
    || el.getAttribute('placeholder') || el.getAttribute('title')
    || el.innerText || (el.type === 'submit' ? el.value : '') || el.getAttribute('alt')
    || el.getAttribute('name'));
  document.querySelectorAll('[data-dark8-ref]').forEach((el) => el.removeAttribute('data-dark8-ref'));
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, '
    + '[role=button], [role=link], [role=checkbox], [role=radio], [role=tab], '
    + '[role=menuitem], [role=combobox], [contenteditable=true]';
  const elements = [];
  let total = 0;
  for (const el of document.querySelectorAll(selector)) {{
    if (!visible(el)) continue;
    total += 1;
    if (elements.length >= LIMIT) continue;
    const number = elements.length + 1;
    el.setAttribute('data-dark8-ref', String(number));
    const role = roleOf(el);
    const item = {{ ref: number, role, name: nameOf(el) }};
    const type = (el.type || '').toLowerCase();
    if (type === 'password') item.password = true;
    else if (role === 'textbox' || role === 'combobox') item.value = clean(el.value);
    if (role === 'checkbox' || role === 'radio') item.checked = !!el.checked;
    if (el.tagName === 'A') item.href = el.getAttribute('href');
    elements.push(item);
  }}
  const headings = [...document.querySelectorAll('h1, h2, h3')].filter(visible).slice(0, 8)
    .map((h) => clean(h.innerText)).filter((t) => t.length > 0);
  return {{ title: document.title || '', url: location.href, headings, elements,
    total_elements: total }};
}})()"#
    )
}

/// What kind of element it is, in Polish (`przycisk`, `pole`, `link`, ...).
pub fn kind_pl(element: &Element) -> &str {
    match element.role.as_str() {
        "link" => "link",
        "button" => "przycisk",
        "textbox" if element.password => "pole hasła",
        "textbox" | "searchbox" => "pole",
        "checkbox" | "switch" => "pole wyboru",
        "radio" => "opcja",
        "combobox" | "listbox" => "lista",
        "tab" => "zakładka",
        "menuitem" => "pozycja menu",
        other => other,
    }
}

/// An element in Polish, as the model and the user see it.
pub fn element_pl(element: &Element) -> String {
    let kind = kind_pl(element);
    let mut line = format!("[{}] {kind} \"{}\"", element.number, element.name);
    if let Some(value) = &element.value {
        line.push_str(&format!(" = \"{value}\""));
    }
    if let Some(checked) = element.checked {
        line.push_str(if checked {
            " (zaznaczone)"
        } else {
            " (niezaznaczone)"
        });
    }
    if let Some(href) = &element.href {
        line.push_str(&format!(" → {href}"));
    }
    line
}

/// The whole observation in Polish: title and address, headings, then the elements.
pub fn observation_pl(observation: &Observation) -> Vec<String> {
    let mut lines = vec![format!(
        "Strona: {} ({})",
        observation.title, observation.url
    )];
    if !observation.headings.is_empty() {
        lines.push(format!("Nagłówki: {}", observation.headings.join(" | ")));
    }
    lines.extend(observation.elements.iter().map(element_pl));
    if observation.total_elements > observation.elements.len() {
        lines.push(format!(
            "… i {} (pokazano pierwsze {}).",
            dark8_tools::builtin::count(
                observation.total_elements - observation.elements.len(),
                "inny element",
                "inne elementy",
                "innych elementów"
            ),
            observation.elements.len()
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn element(role: &str, name: &str) -> Element {
        Element {
            number: 7,
            role: role.to_owned(),
            name: name.to_owned(),
            value: None,
            password: false,
            checked: None,
            href: None,
        }
    }

    #[test]
    fn elements_read_in_polish() {
        assert_eq!(
            element_pl(&element("button", "Szukaj")),
            "[7] przycisk \"Szukaj\""
        );
        let mut field = element("textbox", "E-mail");
        field.value = Some(String::new());
        assert_eq!(element_pl(&field), "[7] pole \"E-mail\" = \"\"");
        let mut link = element("link", "Cennik");
        link.href = Some("/cennik".to_owned());
        assert_eq!(element_pl(&link), "[7] link \"Cennik\" → /cennik");
        let mut password = element("textbox", "Hasło");
        password.password = true;
        assert_eq!(element_pl(&password), "[7] pole hasła \"Hasło\"");
    }
}
