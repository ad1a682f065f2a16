//! Command-line arguments of `dark8`.

use clap::{Args, Parser, Subcommand};

const HELP_TEMPLATE: &str = "\
{before-help}{name} {version} — {about}

Użycie: {usage}

{all-args}{after-help}";

const SUBCOMMAND_HELP_TEMPLATE: &str = "\
{about-with-newline}
Użycie: {usage}

{all-args}{after-help}";

/// The command line with Polish headings on every level.
pub fn command() -> clap::Command {
    fn localize(cmd: clap::Command) -> clap::Command {
        cmd.help_template(SUBCOMMAND_HELP_TEMPLATE)
            .subcommand_help_heading("Polecenia")
            .mut_subcommands(localize)
    }
    <Cli as clap::CommandFactory>::command().mut_subcommands(localize)
}

const AFTER_HELP: &str = "\
Kody wyjścia: 0 sukces, 1 błąd, 2 złe użycie, 3 dziennik audytu naruszony, \
4 brak czegoś wymaganego (doctor; run: pytanie o brakującą informację), 5 polecenie wymaga potwierdzenia, 6 polecenie zabronione \
(policy check).
Zmienne: DARK8_HOME przenosi wszystkie dane DARK8, DARK8_LANGUAGE=en przełącza na angielski, \
DARK8_LOG ustawia filtr logów na stderr.";

/// DARK8 — lokalna stacja robocza AI, która rozumie polecenia po polsku.
#[derive(Debug, Parser)]
#[command(
    name = "dark8",
    version,
    about = "lokalna stacja robocza AI, która rozumie polecenia po polsku",
    help_template = HELP_TEMPLATE,
    after_help = AFTER_HELP,
    disable_help_subcommand = true,
    disable_help_flag = true,
    disable_version_flag = true,
    next_help_heading = "Opcje"
)]
pub struct Cli {
    /// Pokazuje wersję
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version)]
    pub version: Option<bool>,
    /// Options every subcommand takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do; none starts a conversation (`dark8 chat`).
    #[command(subcommand)]
    pub command: Option<Commands>,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Pokazuje pomoc
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true)]
    pub help: Option<bool>,
    /// Wynik jako JSON (dla skryptów)
    #[arg(long, global = true)]
    pub json: bool,
    /// Więcej komunikatów na stderr (-v, -vv, -vvv)
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Tylko błędy na stderr
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Obszar roboczy (domyślnie bieżący katalog)
    #[arg(long, global = true, value_name = "KATALOG")]
    pub workdir: Option<std::path::PathBuf>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
#[command(subcommand_help_heading = "Polecenia")]
pub enum Commands {
    /// Wykonuje polecenie po polsku: rozumie, planuje, działa narzędziami i odpowiada
    Run {
        /// Polecenie po polsku, np. "Ile mam wolnego miejsca na dysku?"
        text: String,
        /// Zatwierdza to, co zasady pozwalają zatwierdzić z góry (reszta pyta w terminalu)
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Rozmowa z DARK8: polecenie po poleceniu (to samo robi `dark8` bez argumentów)
    Chat {
        /// Zatwierdza to, co zasady pozwalają zatwierdzić z góry (reszta pyta w terminalu)
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Modele językowe silnika wbudowanego (pliki GGUF)
    #[command(subcommand)]
    Model(ModelCommand),
    /// Baza wiedzy: fakty, fragmenty kodu, wzorce i szablony, szukane po słowach i po znaczeniu
    #[command(subcommand)]
    Kb(KbCommand),
    /// Sprawdza, co DARK8 znajduje na tym komputerze (OK albo BRAK z podpowiedzią)
    Doctor,
    /// Pokazuje, jak DARK8 rozumie polecenie: intencja, pewność, encje
    Understand {
        /// Polecenie po polsku
        #[arg(required_unless_present = "jsonl", conflicts_with = "jsonl")]
        text: Option<String>,
        /// Czyta polecenia ze standardowego wejścia (jedno na linię) i wypisuje po jednym obiekcie JSON na linię
        #[arg(long)]
        jsonl: bool,
    },
    /// Silnik NLP: trening i ocena modelu intencji
    #[command(subcommand)]
    Nlp(NlpCommand),
    /// Pokazuje ostatnie polecenia i odpowiedzi
    History {
        /// Ile ostatnich wpisów pokazać
        #[arg(long, short = 'n', default_value_t = 20)]
        limit: u32,
    },
    /// Dziennik audytu: każda akcja DARK8, odporny na zmiany
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Konfiguracja DARK8
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Zasady uprawnień: rola i reguły poleceń
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Narzędzia DARK8: lista, opis i wywołanie przez bramę wykonawczą (uprawnienia, zgody, piaskownica, audyt)
    #[command(subcommand)]
    Tools(ToolsCommand),
    /// Cofa ostatnią zmianę plików wykonaną przez narzędzie (fs_write, fs_delete, fs_merge, fs_rename_symbol)
    Undo,
    /// Lokalne API REST (i panel w przeglądarce) na 127.0.0.1, z tokenem
    Serve {
        /// Port (domyślnie [server] port = 8731)
        #[arg(long)]
        port: Option<u16>,
        /// Adres (domyślnie 127.0.0.1; inny tylko z --allow-remote)
        #[arg(long)]
        host: Option<String>,
        /// Pozwala słuchać poza tym komputerem (chroni wtedy tylko token)
        #[arg(long)]
        allow_remote: bool,
        /// Katalog zbudowanego panelu (ui/dist)
        #[arg(long)]
        ui: Option<std::path::PathBuf>,
    },
    /// Sejf na sekrety (systemowy pęk kluczy albo zaszyfrowany plik)
    #[command(subcommand)]
    Secret(SecretCommand),
}

/// `dark8 tools ...`
#[derive(Debug, Subcommand)]
pub enum ToolsCommand {
    /// Wypisuje wszystkie narzędzia z klasą ryzyka
    List,
    /// Pokazuje opis narzędzia i schemat jego argumentów
    Describe {
        /// Nazwa narzędzia, np. shell_run
        name: String,
    },
    /// Wywołuje narzędzie przez bramę wykonawczą, dokładnie tak jak agent (kod 6: odmowa)
    Call {
        /// Nazwa narzędzia, np. shell_run
        name: String,
        /// Argumenty jako obiekt JSON
        #[arg(long, default_value = "{}")]
        args: String,
        /// Zatwierdza to, co zasady pozwalają zatwierdzić z góry (reszta pyta w terminalu)
        #[arg(long, short = 'y')]
        yes: bool,
    },
}

/// `dark8 model ...`
#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Wypisuje pobrane modele i te, które DARK8 zna z nazwy
    List,
    /// Pobiera znany model (wznawia przerwane pobieranie, sprawdza SHA-256)
    Pull {
        /// Nazwa znanego modelu, np. qwen2.5-coder-0.5b
        name: String,
        /// Inny adres pliku GGUF (wtedy wymagane --sha256)
        #[arg(long, requires = "sha256")]
        url: Option<String>,
        /// Oczekiwana suma SHA-256 (hex)
        #[arg(long)]
        sha256: Option<String>,
    },
    /// Sprawdza i rejestruje lokalny plik GGUF
    Import {
        /// Plik .gguf
        file: std::path::PathBuf,
    },
}

/// What a knowledge base entry is (Polish names accepted too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KbKind {
    /// Fakt do zapamiętania
    #[value(alias = "fakt")]
    Fact,
    /// Fragment kodu
    #[value(alias = "kod")]
    CodeSnippet,
    /// Wzorzec projektowy albo sposób pisania
    #[value(alias = "wzorzec")]
    Pattern,
    /// Szablon
    #[value(alias = "szablon")]
    Template,
}

/// `dark8 kb ...`
#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Zapisuje wpis (z wektorem, gdy jest model osadzeń)
    Add {
        /// Treść wpisu
        text: String,
        /// Rodzaj wpisu
        #[arg(long = "type", short = 't', value_enum, default_value = "fact")]
        kind: KbKind,
        /// Etykieta (można podać kilka razy)
        #[arg(long = "tag")]
        tags: Vec<String>,
    },
    /// Szuka po słowach i po znaczeniu (fuzja rankingów)
    Search {
        /// Pytanie albo słowa, np. "gdzie jest baza produkcyjna"
        query: String,
        /// Ile wyników pokazać
        #[arg(long, short = 'n', default_value_t = 10)]
        limit: u32,
    },
    /// Wypisuje najnowsze wpisy
    List {
        /// Tylko wpisy tego rodzaju
        #[arg(long = "type", short = 't', value_enum)]
        kind: Option<KbKind>,
        /// Ile wpisów pokazać
        #[arg(long, short = 'n', default_value_t = 20)]
        limit: u32,
    },
    /// Usuwa wpis o podanym numerze
    Rm {
        /// Numer wpisu (z `dark8 kb list`)
        id: i64,
    },
    /// Osadza wpisy bez wektora bieżącego modelu i buduje indeks wektorów od nowa
    Reindex,
    /// Indeksuje kod i dokumentację projektu (z .gitignore; ponownie czyta tylko zmienione pliki)
    Index {
        /// Katalog projektu
        path: std::path::PathBuf,
    },
    /// Mierzy trafność wyszukiwania (recall@k, MRR) po słowach, po znaczeniu i łącznie
    Eval {
        /// Własny zestaw (TSV: `D id rodzaj tekst` i `Q id-odpowiedzi pytanie`); bez niego
        /// wbudowany polski zestaw
        #[arg(long)]
        set: Option<std::path::PathBuf>,
        /// k w recall@k
        #[arg(long, short = 'k', default_value_t = 5)]
        k: usize,
    },
}

/// `dark8 secret ...`
#[derive(Debug, Subcommand)]
pub enum SecretCommand {
    /// Zapisuje sekret; wartość z ukrytego pytania albo ze standardowego wejścia, nigdy z argumentów
    Set {
        /// Nazwa, np. GITHUB_TOKEN
        name: String,
    },
    /// Wypisuje wartość sekretu
    Get {
        /// Nazwa sekretu
        name: String,
    },
    /// Wypisuje nazwy sekretów (bez wartości)
    List,
    /// Usuwa sekret
    Rm {
        /// Nazwa sekretu
        name: String,
    },
}

/// `dark8 policy ...`
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Pokazuje rolę, uprawnienia według ryzyka i reguły poleceń
    Show,
    /// Sprawdza, co zasady powiedzą o poleceniu powłoki (kod 0: wolno, 5: zapyta, 6: zabronione)
    Check {
        /// Polecenie powłoki, np. "git status" albo "rm -rf /"
        command: String,
    },
}

/// `dark8 audit ...`
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Pokazuje ostatnie wpisy dziennika
    List {
        /// Ile ostatnich wpisów pokazać
        #[arg(long, short = 'n', default_value_t = 20)]
        limit: u32,
    },
    /// Sprawdza łańcuch skrótów i wskazuje pierwszy zmieniony, usunięty lub przestawiony wpis
    Verify {
        /// Głowa zapisana wcześniej przez `dark8 audit head` (ID:SKRÓT): ucięty i przepisany
        /// dziennik nie będzie jej już miał
        #[arg(long, value_name = "ID:SKRÓT")]
        head: Option<String>,
    },
    /// Wypisuje głowę dziennika (numer i skrót ostatniego wpisu) do zapisania poza DARK8
    Head,
}

/// `dark8 nlp ...`
#[derive(Debug, Subcommand)]
pub enum NlpCommand {
    /// Trenuje model intencji na korpusie (powtarzalnie, stałe ziarno) i zapisuje go
    Train {
        /// Plik wynikowy (domyślnie src-tauri/crates/nlp/model/intent.bin w repozytorium)
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Ocenia wbudowany model na odłożonej części korpusu
    Eval {
        /// Porównaj z modelem językowym z [llm] (domyślnie wbudowanym) na próbce
        #[arg(long)]
        llm: bool,
        /// Ile poleceń na intencję w porównaniu z modelem językowym
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=80))]
        per_intent: u16,
        /// Plik zdań spoza dziedziny (jedno na linię albo TSV): odsetek pewnych poleceń
        #[arg(long, value_name = "PLIK", conflicts_with = "llm")]
        ood: Option<std::path::PathBuf>,
    },
}

/// `dark8 config ...`
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Pokazuje obowiązującą konfigurację (plik + zmienne DARK8_*)
    Show,
    /// Pokazuje ścieżkę pliku konfiguracji (z --json: wszystkie ścieżki)
    Path,
    /// Zmienia bezpieczne ustawienie (język, model i jego limity), zachowując komentarze pliku
    Set {
        /// Klucz z kropkami, np. `language` albo `llm.ollama_model` (lista: bez argumentów)
        key: Option<String>,
        /// Nowa wartość (liczby i true/false rozpoznawane same)
        value: Option<String>,
    },
}

impl GlobalArgs {
    /// Verbosity for [`dark8_core::logging::init`].
    pub fn verbosity(&self) -> i8 {
        if self.quiet {
            -1
        } else {
            i8::try_from(self.verbose).unwrap_or(i8::MAX)
        }
    }
}
