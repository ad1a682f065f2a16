//! The `Dark8` service handle: the one door every front end (CLI, desktop, REST API) uses.

use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};

use dark8_agent::llm::Brain;
use dark8_browser::{Searcher, Session};
use dark8_nlp::Engine;
use dark8_protocol::DoctorReport;
use dark8_store::{AuditEntry, AuditVerification, Conversation, Store};
use dark8_tools::Redactor;

use crate::approvals::Approvals;
use crate::config::Config;
use crate::doctor;
use crate::error::CoreError;
use crate::events::EventBus;
use crate::paths::Paths;
use crate::runs::RunTable;

/// A running DARK8 core: configuration, database, event bus, approvals and runs; cheap to
/// clone.
#[derive(Clone)]
pub struct Dark8 {
    config: Arc<RwLock<Arc<Config>>>,
    paths: Paths,
    store: Store,
    events: EventBus,
    redactor: Redactor,
    browser: Session,
    searcher: Searcher,
    approvals: Approvals,
    runs: RunTable,
    engine: Arc<OnceLock<Arc<Engine>>>,
    secret_home: dark8_tools::vault::SecretHome,
    /// The embedder made for the `[embeddings]` settings it names (made again when they
    /// change).
    embedder: Arc<Mutex<Option<MadeEmbedder>>>,
    vector_index: dark8_knowledge::index::SharedIndex,
    brain: Arc<Mutex<BrainCell>>,
    pulls: crate::models::Pulls,
}

/// An embedder and the `[embeddings]` and `[cache]` settings it was made for.
type MadeEmbedder = (
    (crate::config::EmbeddingsConfig, crate::config::CacheConfig),
    Arc<dyn dark8_knowledge::Embedder>,
);

/// The brain once chosen; replaced by an empty cell when the model settings change.
type BrainCell = Arc<tokio::sync::OnceCell<Option<Arc<dyn Brain>>>>;

impl std::fmt::Debug for Dark8 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dark8")
            .field("paths", &self.paths)
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl Dark8 {
    /// Starts the core: opens (and migrates) the database under `paths`; runs a previous
    /// process left unfinished are marked interrupted.
    pub async fn start(config: Config, paths: Paths) -> Result<Dark8, CoreError> {
        let store = Store::open(&paths.database()).await?;
        let secret_home = dark8_tools::vault::resolve_backend(
            config.vault.backend,
            &crate::secrets::vault_files(&paths),
        )?;
        let audit_key = dark8_tools::vault::machine_key("audit", secret_home, &paths.keys_dir())?;
        store
            .use_audit_key(dark8_store::AuditKey::new(*audit_key))
            .await?;
        let interrupted = store.runs().interrupt_leftovers().await?;
        let events = EventBus::persistent(store.clone()).await?;
        tracing::info!(db = %paths.database().display(), interrupted, "DARK8 core started");
        let browser = Session::new(config.browser.settings(&paths.data_dir));
        let searcher = Searcher::new(config.search.clone());
        let vector_index = dark8_knowledge::index::SharedIndex::new(paths.vector_index_dir());
        Ok(Dark8 {
            approvals: Approvals::new(store.clone()),
            config: Arc::new(RwLock::new(Arc::new(config))),
            paths,
            store,
            events,
            redactor: Redactor::global().clone(),
            browser,
            searcher,
            runs: RunTable::default(),
            engine: Arc::new(OnceLock::new()),
            secret_home,
            embedder: Arc::new(Mutex::new(None)),
            vector_index,
            brain: Arc::new(Mutex::new(Arc::new(tokio::sync::OnceCell::new()))),
            pulls: crate::models::Pulls::default(),
        })
    }

    /// Where the vault lives (`auto` decided at first use and remembered; resolved once,
    /// when the core started).
    pub fn secret_home(&self) -> dark8_tools::vault::SecretHome {
        self.secret_home
    }

    /// The embedding model of the `[embeddings]` settings, behind a cache of the texts
    /// already embedded: the embedded e5 when its file is in the models directory (loaded at
    /// its first use, once per process), Ollama's or an OpenAI-compatible server's; `None`
    /// without one: memory searches full text only.
    pub fn embedder(&self) -> Option<Arc<dyn dark8_knowledge::Embedder>> {
        let config = self.config();
        let wanted = (config.embeddings.clone(), config.cache.clone());
        let mut made = self.embedder.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((made_for, embedder)) = made.as_ref() {
            if *made_for == wanted {
                return Some(embedder.clone());
            }
        }
        let embedder = crate::embeddings::make_embedder(self, &config)?;
        *made = Some((wanted, embedder.clone()));
        Some(embedder)
    }

    /// The process's vector index (opened at the first search by meaning).
    pub fn vector_index(&self) -> &dark8_knowledge::index::SharedIndex {
        &self.vector_index
    }

    /// The configuration in force now (front ends may change parts of it, see
    /// [`Dark8::update_settings`]).
    pub fn config(&self) -> Arc<Config> {
        self.config
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Puts `config` in force for what starts from now on.
    pub(crate) fn replace_config(&self, config: Config) {
        *self.config.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(config);
    }

    /// Chooses the brain again at the next command (runs under way keep theirs).
    pub(crate) fn forget_brain(&self) {
        *self.brain.lock().unwrap_or_else(PoisonError::into_inner) =
            Arc::new(tokio::sync::OnceCell::new());
    }

    /// The files and directories in use.
    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The event bus; subscribe to follow what the core does.
    pub fn events(&self) -> &EventBus {
        &self.events
    }

    /// The redaction layer every way out passes (clones share the secrets it learns).
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// Checks this machine (see [`doctor::diagnose`]).
    pub async fn doctor(&self) -> DoctorReport {
        doctor::diagnose(&self.config(), &self.paths).await
    }

    /// The newest `limit` conversation turns, oldest first.
    pub async fn history(&self, limit: u32) -> Result<Vec<Conversation>, CoreError> {
        Ok(self.store.conversations().recent(limit).await?)
    }

    /// The newest `limit` audit entries, oldest first.
    pub async fn audit_recent(&self, limit: u32) -> Result<Vec<AuditEntry>, CoreError> {
        Ok(self.store.audit().recent(limit).await?)
    }

    /// Verifies the audit log's hash chain.
    pub async fn audit_verify(&self) -> Result<AuditVerification, CoreError> {
        Ok(self.store.audit().verify().await?)
    }

    /// Verifies the chain and that row `id` still has `hash` (a head the user kept).
    pub async fn audit_verify_against(
        &self,
        id: i64,
        hash: &str,
    ) -> Result<AuditVerification, CoreError> {
        Ok(self.store.audit().verify_against(id, hash).await?)
    }

    /// The audit log's newest row id and hash, for the user to keep elsewhere.
    pub async fn audit_head(&self) -> Result<(i64, String), CoreError> {
        Ok(self.store.audit().head().await?)
    }

    /// Pending approvals and grants, answered by any front end.
    pub fn approvals(&self) -> &Approvals {
        &self.approvals
    }

    pub(crate) fn run_table(&self) -> &RunTable {
        &self.runs
    }

    pub(crate) fn engine_cell(&self) -> &OnceLock<Arc<Engine>> {
        &self.engine
    }

    /// The model downloads of this process.
    pub(crate) fn pulls(&self) -> &crate::models::Pulls {
        &self.pulls
    }

    pub(crate) fn brain_cell(&self) -> BrainCell {
        self.brain
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Closes the database cleanly, after every stored event is written.
    pub async fn shutdown(self) {
        self.events.flush().await;
        self.browser.shutdown().await;
        self.store.close().await;
    }

    /// The browser session every browser tool of this core shares.
    pub fn browser(&self) -> &Session {
        &self.browser
    }

    /// Web search with its cache and request spacing, shared by this core's tools.
    pub fn searcher(&self) -> &Searcher {
        &self.searcher
    }
}
