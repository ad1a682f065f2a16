#!/usr/bin/env python3
"""Builds the NLP engine's form -> lemma table from the SGJP dictionary (Morfeusz 2).

Development time only; the binary never runs Python. Run from the repository root:

    python3 -m venv /tmp/lexvenv && /tmp/lexvenv/bin/pip install morfeusz2 wordfreq
    /tmp/lexvenv/bin/python scripts/build_lexicon.py

Vocabulary: every word of the corpus (templates and slot fillers), of the extra seed list
below, and the most frequent Polish words (wordfreq's list, only the common words SGJP knows:
no proper names), so that an everyday word the corpus never used ("wiatrak", "kanapa") is
still known as a Polish word and not mistaken for a program's name; for each, Morfeusz gives its lemmas, and for each lemma every inflected form is
generated. Output (checked in): src-tauri/crates/nlp/lexicon/forms.tsv with lines
`folded form<TAB>folded lemma`, sorted; and LICENSE-SGJP.txt with the dictionary's licence.
Hand-written pairs in lexicon/extra.tsv win over the dictionary.
"""
import re
import sys
import unicodedata
from pathlib import Path

import morfeusz2
import wordfreq

# How many of the most frequent Polish words join the vocabulary.
FREQUENT_WORDS = 200000
# Kinds of names that are no common words (a program is often named like one of them).
PROPER_NAMES = {"imię", "nazwisko", "nazwa_geograficzna", "nazwa_organizacji", "marka",
                "nazwa_własna", "pseudonim", "tytuł"}

ROOT = Path(__file__).resolve().parent.parent
NLP = ROOT / "src-tauri" / "crates" / "nlp"
CORPUS = [NLP / "corpus" / "intents.txt", NLP / "corpus" / "slots.txt"]
OUT = NLP / "lexicon" / "forms.tsv"
LICENSE = NLP / "lexicon" / "LICENSE-SGJP.txt"
EXTRA = NLP / "lexicon" / "extra.tsv"

# Frequent words of commands and chat that the corpus may not carry yet.
SEED = """
zrobić zrobić pokazać usunąć skasować otworzyć zamknąć uruchomić wykonać zbudować stworzyć
utworzyć napisać przeczytać zapisać dodać zmienić sprawdzić znaleźć szukać wyszukać pobrać
wysłać odpalić wywalić puścić zabić zakończyć zatrzymać wyłączyć włączyć zainstalować
odinstalować zaktualizować porównać przeanalizować przetestować wygenerować wdrożyć spakować
sklonować zapamiętać przypomnieć pamiętać wiedzieć móc chcieć potrzebować prosić pomóc
wyjaśnić wytłumaczyć opowiedzieć powiedzieć dać mieć być iść wejść przejść zajrzeć zerknąć
plik katalog folder dysk pamięć procesor system proces program aplikacja projekt kod test
strona adres internet sieć przeglądarka baza tabela zapytanie rekord serwer usługa kontener
obraz archiwum paczka pakiet biblioteka zależność gałąź repozytorium zmiana opis wiadomość
tytuł hasło klucz sekret sejf token miejsce użycie zużycie obciążenie zasób stan status
notatka fakt rzecz treść tekst linia wiersz słowo fraza błąd problem wynik raport lista
dzień tydzień godzina czas dobry nowy stary wolny cały każdy wszystki ten tamten mój twój
co jak gdzie kiedy dlaczego ile który czy jaki kto czym
być mieć móc chcieć musieć wiedzieć widzieć mówić robić iść dać brać znać lubić myśleć
stać leżeć siedzieć czekać szukać pisać czytać grać pracować uczyć dostać zostać zacząć
skończyć otrzymać kupić sprzedać płacić wrócić przyjść wyjść pojechać jechać jeść pić spać
żyć umieć trzeba wolno można należy pamiętać zapomnieć rozumieć słyszeć patrzeć oglądać
używać korzystać działać pomagać potrzebować zamykać otwierać włączać wyłączać ustawić
przenieść skopiować wkleić wyciąć zmienić nazwać edytować poprawić naprawić sformatować
zaktualizować wygenerować stworzyć usunąć wyczyścić zresetować zrestartować zatrzymać
wznowić sprawdzać testować budować kompilować instalować pobierać wysyłać odbierać
człowiek rok dzień czas sprawa życie ręka oko dom praca miasto kraj świat droga strona
rzecz słowo pytanie odpowiedź problem sposób miejsce koniec początek część grupa firma
klient użytkownik konto login hasło e-mail mail wiadomość plik folder katalog dokument
zdjęcie obraz film muzyka gra książka artykuł tekst kod funkcja klasa metoda zmienna moduł
pakiet biblioteka framework serwer klient baza dane tabela kolumna wiersz rekord indeks
sieć internet strona adres link przeglądarka wyszukiwarka komputer laptop telefon system
procesor pamięć dysk karta ekran klawiatura mysz drukarka port kabel wifi bateria
dobry zły duży mały nowy stary pierwszy ostatni następny poprzedni ważny prosty trudny
szybki wolny pełny pusty cały każdy inny taki sam swój własny lokalny zdalny publiczny
prywatny bezpieczny tajny domyślny główny aktualny wszystek żaden jakiś
teraz dziś jutro wczoraj zawsze nigdy często czasem już jeszcze tylko także też bardzo
dużo mało więcej mniej szybko wolno dobrze źle tutaj tam razem zaraz potem wcześniej
proszę dziękować dzięki przepraszać cześć hej witaj tak nie może chyba oczywiście
"""


def fold(text: str) -> str:
    table = str.maketrans("ąćęłńóśźż", "acelnoszz")
    return text.lower().translate(table).replace("’", "'")


def clean_lemma(lemma: str) -> str:
    return lemma.split(":")[0]


def corpus_words():
    words = set()
    for path in CORPUS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                continue
            line = re.sub(r"\{[^}]*\}", " ", line)
            for word in re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", line):
                words.add(word)
    for word in SEED.split():
        words.add(word)
    return sorted(words)


def frequent_words():
    """The most frequent Polish words, letters only."""
    return [w for w in wordfreq.top_n_list("pl", FREQUENT_WORDS)
            if re.fullmatch(r"[^\W\d_]{2,}", w)]


def main():
    morf = morfeusz2.Morfeusz(expand_tags=False)
    lemmas = {}  # lemma -> first-seen order (priority)
    for word in corpus_words():
        for variant in {word, word.lower()}:
            for _start, _end, (_orth, lemma, tag, *_rest) in morf.analyse(variant):
                if tag == "ign":
                    continue
                lemma = clean_lemma(lemma)
                lemmas.setdefault(lemma, len(lemmas))
    corpus_lemmas = len(lemmas)
    # The frequent words join as the forms they are (their paradigms would be ten times as
    # many lines): form -> (rank, lemma), lemmas a corpus word has first.
    frequent = {}
    for word in frequent_words():
        analyses = morf.analyse(word)
        # "zbudowałem" is two segments (zbudował + em); the engine strips such endings itself.
        if any(end > 1 for _start, end, _interp in analyses):
            continue
        for _start, _end, (_orth, lemma, tag, names, _qualifiers) in analyses:
            if tag == "ign" or set(names) & PROPER_NAMES or tag.startswith(("brev", "interp")):
                continue
            lemma = clean_lemma(lemma)
            kind = tag.split(":")[0]
            rank = (0 if lemma in lemmas else 1, 0 if kind in ("impt", "inf") else 1 if kind == "subst" else 2)
            option = (rank, fold(lemma))
            form = fold(word)
            if form not in frequent or option < frequent[form]:
                frequent[form] = option
    # form -> candidate lemmas; a form several lemmas share (folding makes more of them:
    # "pokaż"/"pokaz") goes to a corpus word's lemma first, then to an imperative or infinitive first (commands are verbs), then to
    # a noun, then to the lemma seen first in the corpus.
    candidates = {}
    for lemma in sorted(lemmas, key=lemmas.get):
        try:
            forms = morf.generate(lemma)
        except Exception:  # noqa: BLE001 - the dictionary refuses some lemmas
            forms = []
        folded_lemma = fold(lemma)
        for orth, _lemma, tag, *_rest in forms:
            form = fold(orth)
            if " " in form:
                continue
            kind = tag.split(":")[0]
            rank = 0 if kind in ("impt", "inf") else 1 if kind == "subst" else 2
            candidates.setdefault(form, []).append((rank, lemmas[lemma], folded_lemma))
        candidates.setdefault(fold(lemma), []).append((1, lemmas[lemma], folded_lemma))
    table = {form: min(options)[2] for form, options in candidates.items()}
    for form, (_rank, lemma) in frequent.items():
        table.setdefault(form, lemma)
    for line in EXTRA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        form, lemma = line.split("\t")
        table[fold(form)] = fold(lemma)
    with OUT.open("w", encoding="utf-8") as out:
        for form in sorted(table, key=lambda f: f.encode("utf-8")):
            out.write(f"{form}\t{table[form]}\n")
    LICENSE.write_text(
        "The form -> lemma table in forms.tsv is derived from the SGJP dictionary as shipped with\n"
        f"Morfeusz 2 ({morf.dict_id()}), under this licence:\n\n{morf.dict_copyright()}\n\n"
        "Which words are included beyond the corpus was chosen from the frequency list of the\n"
        "wordfreq package (Robyn Speer, https://github.com/rspeer/wordfreq, data CC BY-SA 4.0);\n"
        "only the selection comes from it, every form and lemma comes from SGJP.\n",
        encoding="utf-8",
    )
    print(f"{len(lemmas)} corpus lemmas, {len(frequent)} frequent forms, {len(table)} forms -> {OUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
