//! The graph on disk, beside the database: one directory per saved generation (hnsw_rs's
//! graph and data files and a manifest with their SHA-256s), and a `current` file naming the
//! generation to load, replaced by a rename. A save that is cut off leaves the previous
//! generation current; a generation whose files do not match their manifest is never handed
//! to hnsw_rs (whose loader asserts on malformed input) and the index is rebuilt instead.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use hnsw_rs::prelude::{AnnT, HnswIo};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::graph::Graph;
use super::IndexError;

/// The manifest's format; another number is never read.
const FORMAT: u32 = 1;
const BASENAME: &str = "graph";
const CURRENT: &str = "current";
const LOCK: &str = "lock";

/// What a generation holds besides the graph itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Manifest {
    format: u32,
    model: String,
    dimension: usize,
    /// The vector log position the generation is current at.
    covered: i64,
    /// Slot -> row id.
    rows: Vec<i64>,
    /// Dead slots.
    dead: Vec<usize>,
    graph_sha256: String,
    data_sha256: String,
}

/// A generation read back.
#[derive(Debug)]
pub struct Loaded {
    /// The graph.
    pub graph: Graph,
    /// The log position it is current at.
    pub covered: i64,
}

/// The saved index of one model in `dir`.
#[derive(Debug, Clone)]
pub struct IndexFiles {
    dir: PathBuf,
    model: String,
}

impl IndexFiles {
    /// The index of `model` kept in `dir` (made when first saved).
    pub fn new(dir: PathBuf, model: &str) -> IndexFiles {
        IndexFiles {
            dir,
            model: model.to_owned(),
        }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The current generation, when there is one whose files are whole and of this model
    /// and dimension; `Ok(None)` when nothing was saved yet, an error when something is
    /// there but cannot be used (the caller rebuilds).
    pub fn load(&self, dimension: usize) -> Result<Option<Loaded>, IndexError> {
        let Some(generation) = self.current()? else {
            return Ok(None);
        };
        let dir = self.dir.join(&generation);
        let manifest: Manifest = serde_json::from_slice(&read(&dir.join("manifest.json"))?)
            .map_err(|e| IndexError::Corrupt(format!("{generation}: manifest: {e}")))?;
        if manifest.format != FORMAT
            || manifest.model != self.model
            || manifest.dimension != dimension
        {
            return Err(IndexError::Corrupt(format!(
                "{generation}: made for {} ({} dimensions, format {}), not {} ({dimension})",
                manifest.model, manifest.dimension, manifest.format, self.model
            )));
        }
        for (file, expected) in [
            (graph_file(&dir), &manifest.graph_sha256),
            (data_file(&dir), &manifest.data_sha256),
        ] {
            if &sha256_of(&file)? != expected {
                return Err(IndexError::Corrupt(format!(
                    "{}: its SHA-256 is not the manifest's",
                    file.display()
                )));
            }
        }
        let hnsw = load_hnsw(&dir)?;
        if hnsw.get_nb_point() != manifest.rows.len() {
            return Err(IndexError::Corrupt(format!(
                "{generation}: {} points for {} slots",
                hnsw.get_nb_point(),
                manifest.rows.len()
            )));
        }
        let dead: HashSet<usize> = manifest.dead.into_iter().collect();
        Ok(Some(Loaded {
            graph: Graph::from_parts(hnsw, dimension, manifest.rows, dead),
            covered: manifest.covered,
        }))
    }

    /// Saves `graph`, current at log position `covered`, as the new current generation,
    /// unless the current one already covers more (another process saved later); the
    /// position the current generation covers afterwards.
    pub fn save(&self, graph: &Graph, covered: i64) -> Result<i64, IndexError> {
        fs::create_dir_all(&self.dir).map_err(|e| io("making", &self.dir, e))?;
        let lock_path = self.dir.join(LOCK);
        let mut lock = fd_lock::RwLock::new(
            File::options()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&lock_path)
                .map_err(|e| io("opening", &lock_path, e))?,
        );
        let _one_saver = lock.write().map_err(|e| io("locking", &lock_path, e))?;
        if let Some(current) = self.current_covered()? {
            if current >= covered {
                return Ok(current);
            }
        }
        let generation = format!("gen-{covered}-{}", std::process::id());
        let staging = self.dir.join(format!("{generation}.partial"));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| io("clearing", &staging, e))?;
        }
        fs::create_dir_all(&staging).map_err(|e| io("making", &staging, e))?;
        graph
            .hnsw()
            .file_dump(&staging, BASENAME)
            .map_err(|e| IndexError::Corrupt(format!("writing the graph: {e}")))?;
        let mut dead: Vec<usize> = graph.dead_slots().iter().copied().collect();
        dead.sort_unstable();
        let manifest = Manifest {
            format: FORMAT,
            model: self.model.clone(),
            dimension: graph.dimension(),
            covered,
            rows: graph.slots().to_vec(),
            dead,
            graph_sha256: sha256_of(&graph_file(&staging))?,
            data_sha256: sha256_of(&data_file(&staging))?,
        };
        let json = serde_json::to_vec(&manifest)
            .map_err(|e| IndexError::Corrupt(format!("the manifest: {e}")))?;
        write_synced(&staging.join("manifest.json"), &json)?;
        for file in [graph_file(&staging), data_file(&staging)] {
            sync(&file)?;
        }
        let done = self.dir.join(&generation);
        if done.exists() {
            fs::remove_dir_all(&done).map_err(|e| io("clearing", &done, e))?;
        }
        fs::rename(&staging, &done).map_err(|e| io("renaming", &staging, e))?;
        let pointer = self.dir.join(format!("{CURRENT}.partial"));
        write_synced(&pointer, generation.as_bytes())?;
        fs::rename(&pointer, self.dir.join(CURRENT)).map_err(|e| io("renaming", &pointer, e))?;
        sync_dir(&self.dir);
        self.remove_other_generations(&generation);
        Ok(covered)
    }

    /// Removes every saved generation (the next open rebuilds).
    pub fn clear(&self) -> Result<(), IndexError> {
        match fs::remove_dir_all(&self.dir) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io("removing", &self.dir, e)),
        }
    }

    fn current(&self) -> Result<Option<String>, IndexError> {
        let path = self.dir.join(CURRENT);
        match fs::read_to_string(&path) {
            Ok(name) => {
                let name = name.trim().to_owned();
                if name.starts_with("gen-") && !name.contains(['/', '\\']) {
                    Ok(Some(name))
                } else {
                    Err(IndexError::Corrupt(format!("{}: `{name}`", path.display())))
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io("reading", &path, e)),
        }
    }

    /// The position the current generation covers, read from its manifest.
    fn current_covered(&self) -> Result<Option<i64>, IndexError> {
        let Ok(Some(generation)) = self.current() else {
            return Ok(None);
        };
        let path = self.dir.join(generation).join("manifest.json");
        Ok(fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Manifest>(&bytes).ok())
            .map(|manifest| manifest.covered))
    }

    fn remove_other_generations(&self, keep: &str) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("gen-") && name != keep {
                // A reader loading it right now fails its checks and reloads or rebuilds.
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// hnsw_rs's loader borrows its reader for as long as the graph lives; the reader is a few
/// paths and options (the data itself is copied into the graph, nothing is mapped), so it is
/// kept for the life of the process: one small allocation per load.
fn load_hnsw(
    dir: &Path,
) -> Result<hnsw_rs::prelude::Hnsw<'static, f32, super::cosine::CosineDistance>, IndexError> {
    // The files matched their SHA-256; a panic would still be hnsw_rs's bug, not a reason to
    // stop DARK8: it is turned into a rebuild.
    let owned_dir = dir.to_path_buf();
    std::panic::catch_unwind(move || {
        let reader: &'static mut HnswIo = Box::leak(Box::new(HnswIo::new(&owned_dir, BASENAME)));
        reader.load_hnsw::<f32, super::cosine::CosineDistance>()
    })
    .map_err(|_| IndexError::Corrupt(format!("{}: the graph loader failed", dir.display())))?
    .map_err(|e| IndexError::Corrupt(format!("{}: {e}", dir.display())))
}

fn graph_file(dir: &Path) -> PathBuf {
    dir.join(format!("{BASENAME}.hnsw.graph"))
}

fn data_file(dir: &Path) -> PathBuf {
    dir.join(format!("{BASENAME}.hnsw.data"))
}

fn read(path: &Path) -> Result<Vec<u8>, IndexError> {
    fs::read(path).map_err(|e| io("reading", path, e))
}

fn sha256_of(path: &Path) -> Result<String, IndexError> {
    let mut file = File::open(path).map_err(|e| io("opening", path, e))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buffer).map_err(|e| io("reading", path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), IndexError> {
    let mut file = File::create(path).map_err(|e| io("creating", path, e))?;
    file.write_all(bytes).map_err(|e| io("writing", path, e))?;
    file.sync_all().map_err(|e| io("syncing", path, e))
}

fn sync(path: &Path) -> Result<(), IndexError> {
    File::open(path)
        .and_then(|file| file.sync_all())
        .map_err(|e| io("syncing", path, e))
}

/// Makes the renames durable where the platform allows opening a directory.
fn sync_dir(dir: &Path) {
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

fn io(action: &'static str, path: &Path, source: std::io::Error) -> IndexError {
    IndexError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}
