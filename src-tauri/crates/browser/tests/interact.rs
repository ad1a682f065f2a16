//! Acting on pages with the real Chromium through the real executor, against local HTTP
//! servers: a form filled with Polish letters and submitted (the server receives exactly those
//! bytes), a list choice, a link followed, a popup tab taken over, a confirmation dismissed,
//! a button clicked as real input changing the page, a stale element number found again, a
//! page-initiated navigation into another local service stopped before its request left,
//! a screenshot of the requested size, a PDF, and plain fetches that honour robots.txt.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::response::{Html, Redirect};
use axum::routing::{get, post};
use common::browser_fixture;
use dark8_browser::Session;
use dark8_protocol::ToolStatus;
use dark8_test_support::Fixture;
use dark8_tools::PolicyConfig;
use serde_json::{json, Value};

const FORM: &str = r#"<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>Zapis</title></head>
<body><main><h1>Zapis na warsztaty</h1>
<form action="/zapis" method="post" accept-charset="utf-8">
<label for="imie">Imię i nazwisko</label><input id="imie" name="imie" value="stara treść">
<label for="miasto">Miasto</label><select id="miasto" name="miasto"><option value="waw">Warszawa</option><option value="krk">Kraków</option><option value="gda">Gdańsk</option></select>
<button>Wyślij</button></form></main></body></html>"#;

const LINKS: &str = r#"<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>Linki</title></head>
<body><main><h1>Linki</h1><p>Strona startowa.</p>
<a href="/dalej">Dalej</a> <a href="/okno" target="_blank">Nowa karta</a>
<button id="b" onclick="document.getElementById('out').textContent = 'Kliknięto przycisk!'; const n = document.createElement('button'); n.textContent = 'Drugi przycisk'; document.body.appendChild(n);">Pokaż</button>
<button onclick="document.getElementById('out').textContent = confirm('Usunąć wszystko?') ? 'usunięto' : 'anulowano';">Usuń</button>
<p id="out">czekam</p>
<div style="height: 4000px">długa strona</div><p>Koniec strony.</p>
</main></body></html>"#;

const RERENDER: &str = r#"<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>Lista</title></head>
<body><main><div id="list"><button>Pierwszy</button><button onclick="document.getElementById('out').textContent = 'Zamówiono';">Zamów</button></div>
<p id="out">nic</p>
<script>
window.rebuild = () => {
  const list = document.getElementById('list');
  list.innerHTML = '<button>Nowość</button><button>Pierwszy</button><button>Inny</button>'
    + '<button onclick="document.getElementById(\'out\').textContent = \'Zamówiono\';">Zamów</button>';
};
setTimeout(window.rebuild, 1200);
</script></main></body></html>"#;

/// What the servers saw.
#[derive(Clone, Default)]
struct Seen {
    bodies: Arc<Mutex<Vec<Vec<u8>>>>,
    secret_hits: Arc<AtomicUsize>,
}

/// Another local service (think: a router or a database's admin page) on its own port.
async fn other_service(seen: Seen) -> String {
    let app = axum::Router::new()
        .route(
            "/tajne",
            get(|State(seen): State<Seen>| async move {
                seen.secret_hits.fetch_add(1, Ordering::SeqCst);
                Html("<title>Tajne</title><p>panel administracyjny</p>")
            }),
        )
        .with_state(seen);
    serve(app).await
}

async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

/// The site under test; `other` is the other local service's address.
async fn site(seen: Seen, other: String) -> String {
    let to_other = format!("{other}/tajne");
    let redirect_target = to_other.clone();
    let app = axum::Router::new()
        .route("/formularz", get(|| async { Html(FORM) }))
        .route(
            "/zapis",
            post(|State(seen): State<Seen>, body: axum::body::Bytes| async move {
                seen.bodies.lock().unwrap().push(body.to_vec());
                Html("<title>Dziękujemy</title><main><h1>Zapisano</h1></main>")
            }),
        )
        .route("/linki", get(|| async { Html(LINKS) }))
        .route(
            "/dalej",
            get(|| async { Html("<title>Dalej</title><main><p>Druga strona z tekstem.</p></main>") }),
        )
        .route(
            "/okno",
            get(|| async { Html("<title>Okno</title><main><p>Treść nowej karty.</p></main>") }),
        )
        .route("/lista", get(|| async { Html(RERENDER) }))
        .route(
            "/opoznienie",
            get(|| async {
                Html("<title>Czekanie</title><main><p id=\"s\">ładuję…</p><script>setTimeout(() => { const p = document.createElement('p'); p.id = 'wynik'; p.textContent = 'Gotowe: 3 wyniki'; document.querySelector('main').appendChild(p); }, 4000);</script></main>")
            }),
        )
        .route(
            "/pobierz",
            get(|| async {
                Html("<title>Pliki</title><main><a href=\"/skrypt.sh\">Pobierz skrypt</a> <a href=\"/duzy.bin\">Pobierz duży plik</a></main>")
            }),
        )
        .route(
            "/skrypt.sh",
            get(|| async {
                (
                    [
                        ("content-type", "application/x-sh"),
                        ("content-disposition", "attachment; filename=\"../instaluj mnie.sh\""),
                    ],
                    "#!/bin/sh\necho pobrano\n",
                )
            }),
        )
        .route(
            "/duzy.bin",
            get(|| async {
                (
                    [
                        ("content-type", "application/octet-stream"),
                        ("content-disposition", "attachment; filename=\"duzy.bin\""),
                    ],
                    vec![7u8; 3 * 1024 * 1024],
                )
            }),
        )
        .route(
            "/do-innej-uslugi",
            get(move || {
                let link = to_other.clone();
                async move {
                    Html(format!(
                        "<title>Pułapka</title><main><a href=\"{link}\">Kliknij mnie</a></main>"
                    ))
                }
            }),
        )
        .route(
            "/przekierowanie",
            get(move || {
                let target = redirect_target.clone();
                async move { Redirect::temporary(&target) }
            }),
        )
        .route(
            "/robots.txt",
            get(|| async { "User-agent: *\nDisallow: /prywatne/\n" }),
        )
        .route(
            "/artykul",
            get(|| async {
                Html("<html><head><title>Artykuł</title></head><body><nav>Menu</nav><main><h1>Tokio</h1><p>Tokio to środowisko uruchomieniowe dla asynchronicznego Rusta.</p></main><footer>Stopka</footer></body></html>")
            }),
        )
        .route(
            "/prywatne/plan",
            get(|| async { Html("<title>Plan</title><p>nie dla robotów</p>") }),
        )
        .with_state(seen);
    serve(app).await
}

/// Both servers and the tools over a fresh browser.
struct Setup {
    seen: Seen,
    url: String,
    other: String,
    t: Fixture,
    session: Session,
    _profile: tempfile::TempDir,
}

async fn setup() -> Setup {
    let seen = Seen::default();
    let other = other_service(seen.clone()).await;
    let url = site(seen.clone(), other.clone()).await;
    let (t, session, _profile) = browser_fixture(PolicyConfig::default()).await;
    Setup {
        seen,
        url,
        other,
        t,
        session,
        _profile,
    }
}

fn names(output: &Value) -> Vec<String> {
    output["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_owned())
        .collect()
}

fn number_of(output: &Value, name: &str) -> u64 {
    output["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no element {name} in {output}"))["ref"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn a_form_is_filled_with_polish_letters_and_the_server_gets_exactly_them() {
    let Setup {
        seen,
        url,
        t,
        session,
        ..
    } = setup().await;
    let opened = t
        .ok("browser_open", json!({ "url": format!("{url}/formularz") }))
        .await;
    let field = number_of(&opened.output, "Imię i nazwisko");
    let typed = t
        .ok(
            "browser_type",
            json!({ "ref": field, "text": "Zażółć Gęślą Jaźń" }),
        )
        .await;
    assert!(
        typed.summary.contains("Wpisano „Zażółć Gęślą Jaźń”"),
        "{}",
        typed.summary
    );
    assert!(
        typed.output["change"]["content_changed"] == true,
        "{}",
        typed.output
    );
    let chosen = t
        .ok(
            "browser_select",
            json!({ "field": "Miasto", "option": "kraków" }),
        )
        .await;
    assert!(
        chosen.summary.contains("Wybrano „Kraków”"),
        "{}",
        chosen.summary
    );
    let missing = t
        .call(
            "browser_select",
            json!({ "field": "Miasto", "option": "Poznań" }),
        )
        .await;
    assert_eq!(missing.status, ToolStatus::Error);
    assert!(missing.summary.contains("Gdańsk"), "{}", missing.summary);
    let sent = t.ok("browser_click", json!({ "text": "Wyślij" })).await;
    assert_eq!(sent.output["title"], "Dziękujemy", "{}", sent.output);
    assert!(sent.output["change"]["url_changed"] == true);
    let bodies = seen.bodies.lock().unwrap().clone();
    assert_eq!(bodies.len(), 1);
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(&bodies[0])
        .into_owned()
        .collect();
    assert_eq!(
        fields,
        vec![
            ("imie".to_owned(), "Zażółć Gęślą Jaźń".to_owned()),
            ("miasto".to_owned(), "krk".to_owned())
        ],
        "raw body: {}",
        String::from_utf8_lossy(&bodies[0])
    );
    assert!(
        String::from_utf8_lossy(&bodies[0]).contains("Za%C5%BC%C3%B3%C5%82%C4%87"),
        "UTF-8 bytes of the Polish letters"
    );
    session.shutdown().await;
}

#[tokio::test]
async fn links_popups_dialogs_clicks_scrolling_and_going_back() {
    let Setup {
        url, t, session, ..
    } = setup().await;
    t.ok("browser_open", json!({ "url": format!("{url}/linki") }))
        .await;

    // A click sent as mouse input changes the page, and the tool says so.
    let shown = t.ok("browser_click", json!({ "text": "Pokaż" })).await;
    assert!(
        shown.summary.contains("doszedł 1 element"),
        "{}",
        shown.summary
    );
    assert!(names(&shown.output).contains(&"Drugi przycisk".to_owned()));

    // A confirmation is dismissed, and what it asked is reported.
    let dialog = t.ok("browser_click", json!({ "text": "Usuń" })).await;
    assert!(
        dialog.summary.contains("Usunąć wszystko?"),
        "{}",
        dialog.summary
    );
    assert!(dialog.summary.contains("odrzucono"), "{}", dialog.summary);
    let read = t.ok("browser_read", json!({ "what": "text" })).await;
    assert!(read.output["chunks"].to_string().contains("anulowano"));

    let scrolled = t
        .ok("browser_scroll", json!({ "direction": "bottom" }))
        .await;
    assert!(scrolled.output["position"]["y"].as_f64().unwrap() > 1000.0);

    // A link followed, its text read, and back again.
    let next = t.ok("browser_click", json!({ "text": "Dalej" })).await;
    assert_eq!(next.output["title"], "Dalej");
    let text = t.ok("browser_read", json!({})).await;
    assert!(text.output["chunks"]
        .to_string()
        .contains("Druga strona z tekstem"));
    let back = t.ok("browser_back", json!({})).await;
    assert_eq!(back.output["title"], "Linki", "{}", back.summary);

    // A link with target=_blank opens a tab that becomes current.
    let popup = t.ok("browser_click", json!({ "text": "Nowa karta" })).await;
    assert!(popup.summary.contains("nową kartę"), "{}", popup.summary);
    assert_eq!(popup.output["title"], "Okno");
    let tabs = t.ok("browser_tabs", json!({})).await;
    assert_eq!(tabs.output["tabs"].as_array().unwrap().len(), 2);
    assert_eq!(tabs.output["tabs"][1]["current"], true);
    t.ok("browser_tabs", json!({ "action": "switch", "number": 1 }))
        .await;
    let closed = t
        .ok("browser_tabs", json!({ "action": "close", "number": 2 }))
        .await;
    assert_eq!(closed.output["tabs"].as_array().unwrap().len(), 1);
    assert_eq!(closed.output["tabs"][0]["title"], "Linki");
    let no_tab = t
        .call("browser_tabs", json!({ "action": "switch", "number": 7 }))
        .await;
    assert_eq!(no_tab.status, ToolStatus::Error);
    assert!(
        no_tab.summary.contains("nie ma karty nr 7")
            || no_tab.summary.contains("Nie ma karty nr 7")
    );
    session.shutdown().await;
}

#[tokio::test]
async fn a_stale_number_is_found_again_by_what_it_was() {
    let Setup {
        url, t, session, ..
    } = setup().await;
    let opened = t
        .ok("browser_open", json!({ "url": format!("{url}/lista") }))
        .await;
    let order = number_of(&opened.output, "Zamów");
    assert_eq!(order, 2);
    // The page rebuilds its list behind the agent's back (as frameworks do): the numbers it
    // was given are gone and "Zamów" is now the fourth button.
    tokio::time::sleep(std::time::Duration::from_millis(2000)).await;
    let clicked = t.ok("browser_click", json!({ "ref": order })).await;
    assert!(
        clicked.summary.contains("ma teraz numer [4]"),
        "{}",
        clicked.summary
    );
    let read = t.ok("browser_read", json!({ "what": "text" })).await;
    assert!(read.output["chunks"].to_string().contains("Zamówiono"));
    // A number that never existed is a clear error.
    let missing = t.call("browser_click", json!({ "ref": 99 })).await;
    assert_eq!(missing.status, ToolStatus::Error);
    assert!(missing.summary.contains("[99]"), "{}", missing.summary);
    session.shutdown().await;
}

#[tokio::test]
async fn a_page_cannot_lead_the_browser_into_another_local_service() {
    let Setup {
        seen,
        url,
        other,
        t,
        session,
        ..
    } = setup().await;
    t.ok(
        "browser_open",
        json!({ "url": format!("{url}/do-innej-uslugi") }),
    )
    .await;
    let clicked = t
        .call("browser_click", json!({ "text": "Kliknij mnie" }))
        .await;
    assert_eq!(clicked.status, ToolStatus::Error, "{}", clicked.summary);
    assert!(clicked.summary.contains("lokalny"), "{}", clicked.summary);
    let redirected = t
        .call(
            "browser_open",
            json!({ "url": format!("{url}/przekierowanie") }),
        )
        .await;
    assert_eq!(redirected.status, ToolStatus::Error);
    assert!(
        redirected.summary.contains("lokalny"),
        "{}",
        redirected.summary
    );
    assert_eq!(
        seen.secret_hits.load(Ordering::SeqCst),
        0,
        "no request reached the other service"
    );
    // Typed by the user, the same address opens.
    let typed = t
        .ok("browser_open", json!({ "url": format!("{other}/tajne") }))
        .await;
    assert_eq!(typed.output["title"], "Tajne");
    assert_eq!(seen.secret_hits.load(Ordering::SeqCst), 1);
    session.shutdown().await;
}

#[tokio::test]
async fn screenshots_and_pdfs_are_saved_in_the_workspace() {
    let Setup {
        url, t, session, ..
    } = setup().await;
    let shot = t
        .ok(
            "browser_screenshot",
            json!({ "url": format!("{url}/linki"), "path": "zrzut.png" }),
        )
        .await;
    let png = std::fs::read(t.path("zrzut.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(
        (
            shot.output["width"].as_u64(),
            shot.output["height"].as_u64()
        ),
        (Some(1280), Some(800))
    );
    let full = t
        .ok(
            "browser_screenshot",
            json!({ "path": "cala.png", "full_page": true }),
        )
        .await;
    assert!(
        full.output["height"].as_u64().unwrap() > 4000,
        "{}",
        full.output
    );
    let pdf = t.ok("browser_pdf", json!({ "path": "strona.pdf" })).await;
    let bytes = std::fs::read(t.path("strona.pdf")).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "{}", pdf.summary);
    let outside = t
        .call("browser_screenshot", json!({ "path": "/etc/zrzut.png" }))
        .await;
    assert_ne!(outside.status, ToolStatus::Success);
    session.shutdown().await;
}

#[tokio::test]
async fn plain_pages_are_fetched_without_the_browser_and_robots_txt_is_honoured() {
    let Setup {
        seen,
        url,
        t,
        session,
        ..
    } = setup().await;
    let page = t
        .ok("page_fetch", json!({ "url": format!("{url}/artykul") }))
        .await;
    assert_eq!(page.output["title"], "Artykuł");
    let chunks = page.output["chunks"].to_string();
    assert!(chunks.contains("# Tokio"), "{chunks}");
    assert!(
        !chunks.contains("Stopka") && !chunks.contains("Menu"),
        "{chunks}"
    );
    let robots = t
        .call(
            "page_fetch",
            json!({ "url": format!("{url}/prywatne/plan") }),
        )
        .await;
    assert_eq!(robots.status, ToolStatus::Error);
    assert!(
        robots.summary.contains("Robots.txt serwisu"),
        "{}",
        robots.summary
    );
    let redirected = t
        .call(
            "page_fetch",
            json!({ "url": format!("{url}/przekierowanie") }),
        )
        .await;
    assert_eq!(redirected.status, ToolStatus::Error);
    assert!(
        redirected.summary.contains("lokalny"),
        "{}",
        redirected.summary
    );
    assert_eq!(seen.secret_hits.load(Ordering::SeqCst), 0);
    assert!(
        session.pid().await.is_none(),
        "page_fetch never starts the browser"
    );
}

#[tokio::test]
async fn downloads_land_in_the_quarantine_disarmed_and_too_large_ones_are_dropped() {
    use std::os::unix::fs::PermissionsExt;
    let Setup {
        url, t, session, ..
    } = setup().await;
    t.ok("browser_open", json!({ "url": format!("{url}/pobierz") }))
        .await;
    let script = t
        .ok("browser_click", json!({ "text": "Pobierz skrypt" }))
        .await;
    assert!(
        script.summary.contains("do kwarantanny"),
        "{}",
        script.summary
    );
    assert!(
        !script.summary.contains("Sprawdź, czy"),
        "{}",
        script.summary
    );
    let quarantine = session.quarantine().dir().to_path_buf();
    let saved = quarantine.join("_instaluj_mnie.sh");
    assert_eq!(
        std::fs::read_to_string(&saved).unwrap(),
        "#!/bin/sh\necho pobrano\n"
    );
    let mode = std::fs::metadata(&saved).unwrap().permissions().mode();
    assert_eq!(mode & 0o111, 0, "no execute bit: {mode:o}");
    let big = t
        .ok("browser_click", json!({ "text": "Pobierz duży plik" }))
        .await;
    let mut said = big.summary.clone();
    if said.contains("trwa dalej w tle") {
        // A loaded machine: the next action reports what the download came to.
        assert!(
            session
                .quarantine()
                .wait_idle(Duration::from_secs(60))
                .await
        );
        said = t.ok("browser_scroll", json!({})).await.summary;
    }
    assert!(said.contains("większy niż limit"), "{said}");
    let left: Vec<_> = std::fs::read_dir(&quarantine)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, vec!["_instaluj_mnie.sh".to_owned()], "{left:?}");
    session.shutdown().await;
}

#[tokio::test]
async fn waiting_for_a_text_or_an_element() {
    let Setup {
        url, t, session, ..
    } = setup().await;
    t.ok(
        "browser_open",
        json!({ "url": format!("{url}/opoznienie") }),
    )
    .await;
    let waited = t
        .ok("browser_wait", json!({ "text": "Gotowe: 3 wyniki" }))
        .await;
    assert!(
        waited
            .summary
            .contains("Pojawiło się tekst „Gotowe: 3 wyniki”"),
        "{}",
        waited.summary
    );
    t.ok("browser_wait", json!({ "selector": "#wynik" })).await;
    let never = t
        .call(
            "browser_wait",
            json!({ "selector": "#nigdy", "seconds": 1 }),
        )
        .await;
    assert_eq!(never.status, ToolStatus::Error);
    assert!(
        never.summary.contains("Nie doczekano się"),
        "{}",
        never.summary
    );
    let broken = t.call("browser_wait", json!({ "selector": "[[" })).await;
    assert_eq!(broken.status, ToolStatus::Error);
    assert!(
        broken.summary.contains("niepoprawny selektor"),
        "{}",
        broken.summary
    );
    session.shutdown().await;
}
