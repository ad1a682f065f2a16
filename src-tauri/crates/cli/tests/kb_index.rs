//! `dark8 kb index`: a real project directory indexed into a real store, found by a Polish
//! question, re-indexed incrementally after edits.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic
#![cfg(unix)] // links the model into the test home with a symlink

use std::path::Path;

use assert_cmd::Command;

mod common;

fn dark8(home: &Path, args: &[&str]) -> String {
    let assert = Command::cargo_bin("dark8")
        .unwrap()
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DARK8_HOME", home)
        .env("DARK8_LLM__PROVIDER", "none")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/dark8-tests-no-bus",
        )
        .current_dir(home)
        .args(args)
        .assert()
        .success();
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

const VIEWS: &str = r#"from django.contrib.auth import login, logout
from django.shortcuts import redirect, render


def home(request):
    return render(request, "home.html")


# Obsługa logowania klienta sklepu
def login_view(request):
    form = LoginForm(request.POST or None)
    if form.is_valid():
        login(request, form.get_user())
        return redirect("konto")
    return render(request, "login.html", {"form": form})
"#;

const CART: &str = r#"def add_to_cart(request, product_id):
    cart = request.session.setdefault("cart", {})
    cart[str(product_id)] = cart.get(str(product_id), 0) + 1
"#;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_project_is_indexed_found_by_a_question_and_reindexed_only_where_it_changed() {
    let home = tempfile::tempdir().unwrap();
    if let Some(model) = common::e5_model_or_skip() {
        common::install_e5(home.path(), &model);
    }
    let project = tempfile::tempdir().unwrap();
    let shop = project.path().join("sklep");
    write(&shop.join("sklep/auth/views.py"), VIEWS);
    write(&shop.join("sklep/cart.py"), CART);
    write(
        &shop.join("README.md"),
        "# Sklep\n\nSklep internetowy w Django.\n",
    );
    write(&shop.join(".gitignore"), "build/\n");
    write(
        &shop.join("build/generated.py"),
        "# Obsługa logowania (wygenerowane)\ndef login_view():\n    pass\n",
    );
    std::fs::write(shop.join("logo.png"), [0x89, b'P', b'N', b'G', 0, 1, 2]).unwrap();
    let shop_arg = shop.to_str().unwrap();

    let first: serde_json::Value =
        serde_json::from_str(&dark8(home.path(), &["kb", "index", shop_arg, "--json"])).unwrap();
    assert_eq!(first["files_seen"], 3, "{first}");
    assert_eq!(first["files_indexed"], 3, "{first}");
    assert!(first["chunks_added"].as_u64().unwrap() >= 4, "{first}");

    let found = dark8(
        home.path(),
        &[
            "kb",
            "search",
            "gdzie w projekcie sklep jest obsługa logowania",
        ],
    );
    let first_hit: Vec<&str> = found.lines().take(2).collect();
    assert!(
        first_hit[0].contains("Obsługa logowania klienta"),
        "{found}"
    );
    let views = std::fs::canonicalize(shop.join("sklep/auth/views.py")).unwrap();
    assert!(
        first_hit[1].contains(&format!("{}:9-15", views.display())),
        "{found}"
    );
    assert!(
        !found.contains("wygenerowane"),
        "an ignored file was indexed: {found}"
    );

    // Nothing changed: nothing is read again.
    let again: serde_json::Value =
        serde_json::from_str(&dark8(home.path(), &["kb", "index", shop_arg, "--json"])).unwrap();
    assert_eq!(again["files_indexed"], 0, "{again}");
    assert_eq!(again["files_unchanged"], 3, "{again}");

    // One file edited, one removed.
    write(
        &shop.join("sklep/cart.py"),
        &format!("{CART}\n\ndef empty_cart(request):\n    request.session[\"cart\"] = {{}}\n"),
    );
    std::fs::remove_file(shop.join("README.md")).unwrap();
    let edited = dark8(home.path(), &["kb", "index", shop_arg]);
    assert!(
        edited.contains("przeczytano 1 plik")
            && edited.contains("bez zmian 1")
            && edited.contains("usunięto 1"),
        "{edited}"
    );
    let listed = dark8(home.path(), &["kb", "list", "-n", "100"]);
    assert!(!listed.contains("Sklep internetowy w Django"), "{listed}");
    assert_eq!(
        listed.matches("add_to_cart").count(),
        1,
        "the edited file's old pieces are gone: {listed}"
    );
    assert!(listed.contains("empty_cart"), "{listed}");
}

#[test]
fn a_missing_directory_or_a_file_is_refused_with_a_hint() {
    let home = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("dark8")
        .unwrap()
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DARK8_HOME", home.path())
        .env("DARK8_LLM__PROVIDER", "none")
        .args(["kb", "index", "/nie/ma/takiego/katalogu"])
        .assert()
        .failure()
        .code(1);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("Nie można otworzyć katalogu"), "{err}");
    assert!(err.contains("dark8 kb index ."), "{err}");
    let file = home.path().join("plik.txt");
    std::fs::write(&file, "x").unwrap();
    Command::cargo_bin("dark8")
        .unwrap()
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DARK8_HOME", home.path())
        .env("DARK8_LLM__PROVIDER", "none")
        .args(["kb", "index", file.to_str().unwrap()])
        .assert()
        .failure()
        .code(2);
}
