//! Indexed files on a real database file: a file's pieces and its hash change together.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use dark8_store::{
    FilePiece, FileVersion, KnowledgeKind, KnowledgeSourceRef, MemorySource, NewKnowledgeItem,
    Store,
};

fn piece(path: &str, line: i64, text: &str) -> FilePiece {
    FilePiece {
        item: NewKnowledgeItem {
            kind: KnowledgeKind::CodeSnippet,
            content: text.to_owned(),
            embedding: None,
            embedding_model: None,
            tags: vec!["sklep".into()],
            source: Some(KnowledgeSourceRef {
                path: path.to_owned(),
                line_start: line,
                line_end: line + 1,
            }),
        },
        indexed_text: text.to_lowercase(),
    }
}

async fn words_found(store: &Store, word: &str) -> usize {
    store
        .memory_index()
        .search(&[word.to_owned()], Some(MemorySource::Knowledge), 50)
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_file_is_replaced_whole_or_not_at_all_and_forgotten_with_its_pieces() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dark8.db");
    let store = Store::open(&path).await.unwrap();
    let file = "/projekt/sklep/views.py";
    let first = FileVersion {
        path: file,
        root: "/projekt/sklep",
        sha256: "aaaa",
    };
    store
        .indexed_files()
        .replace(
            &first,
            &[
                piece(file, 1, "Logowanie klienta"),
                piece(file, 5, "Koszyk"),
            ],
        )
        .await
        .unwrap();
    let recorded = store.indexed_files().get(file).await.unwrap().unwrap();
    assert_eq!((recorded.sha256.as_str(), recorded.chunks), ("aaaa", 2));
    assert_eq!(words_found(&store, "koszyk").await, 1);

    // The second piece is refused by the database: nothing of the new version is kept.
    common::raw_sql(
        &path,
        &[
            "CREATE TRIGGER refuse_boom BEFORE INSERT ON knowledge_base \
           WHEN NEW.content = 'boom' BEGIN SELECT RAISE(ABORT, 'boom refused'); END",
        ],
    )
    .await;
    let second = FileVersion {
        sha256: "bbbb",
        ..first.clone()
    };
    let failed = store
        .indexed_files()
        .replace(
            &second,
            &[piece(file, 1, "Wylogowanie"), piece(file, 3, "boom")],
        )
        .await;
    assert!(failed.is_err());
    let kept = store.indexed_files().get(file).await.unwrap().unwrap();
    assert_eq!(kept.sha256, "aaaa", "the hash moved without its pieces");
    assert_eq!(words_found(&store, "koszyk").await, 1);
    assert_eq!(words_found(&store, "wylogowanie").await, 0);

    store
        .indexed_files()
        .replace(&second, &[piece(file, 1, "Wylogowanie")])
        .await
        .unwrap();
    assert_eq!(words_found(&store, "koszyk").await, 0);
    assert_eq!(words_found(&store, "wylogowanie").await, 1);
    assert_eq!(store.knowledge().recent(None, 10).await.unwrap().len(), 1);

    store.indexed_files().forget(file).await.unwrap();
    assert!(store.indexed_files().get(file).await.unwrap().is_none());
    assert_eq!(words_found(&store, "wylogowanie").await, 0);
    assert!(store.knowledge().recent(None, 10).await.unwrap().is_empty());
}
