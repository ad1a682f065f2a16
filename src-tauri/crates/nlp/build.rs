//! Compiles lexicon/forms.tsv (folded form -> folded lemma) into an fst map and a lemma list
//! in OUT_DIR, embedded by `lexicon.rs`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=lexicon/forms.tsv");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let text = match std::fs::read_to_string(manifest.join("lexicon/forms.tsv")) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("cannot read lexicon/forms.tsv: {err}");
            std::process::exit(1);
        }
    };
    let mut lemma_ids: BTreeMap<&str, u64> = BTreeMap::new();
    let mut lemmas: Vec<&str> = Vec::new();
    let mut pairs: Vec<(&str, u64)> = Vec::new();
    for line in text.lines() {
        let Some((form, lemma)) = line.split_once('\t') else {
            continue;
        };
        let id = *lemma_ids.entry(lemma).or_insert_with(|| {
            lemmas.push(lemma);
            (lemmas.len() - 1) as u64
        });
        pairs.push((form, id));
    }
    pairs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    pairs.dedup_by(|a, b| a.0 == b.0);
    let mut builder = fst::MapBuilder::memory();
    for (form, id) in pairs {
        if let Err(err) = builder.insert(form, id) {
            eprintln!("lexicon: {err}");
            std::process::exit(1);
        }
    }
    let bytes = match builder.into_inner() {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("lexicon: {err}");
            std::process::exit(1);
        }
    };
    let write = |name: &str, data: &[u8]| {
        let result = std::fs::File::create(out_dir.join(name)).and_then(|mut f| f.write_all(data));
        if let Err(err) = result {
            eprintln!("cannot write {name}: {err}");
            std::process::exit(1);
        }
    };
    write("forms.fst", &bytes);
    write("lemmas.txt", lemmas.join("\n").as_bytes());
}
