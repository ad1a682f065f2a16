//! Local GGUF models for the embedded engine: known models pulled from their public URL
//! (resumable, sha256-checked), local files imported, and the list of what is there.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use futures_util::StreamExt;
use sha2::{Digest, Sha256};

/// A model DARK8 knows where to get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownModel {
    /// The name users type.
    pub name: &'static str,
    /// File name in the models directory.
    pub file: &'static str,
    /// Public download URL.
    pub url: &'static str,
    /// SHA-256 of the file, lower-case hex.
    pub sha256: &'static str,
    /// Size in bytes.
    pub size: u64,
}

/// Models `dark8 model pull` knows by name.
pub const KNOWN_MODELS: &[KnownModel] = &[KnownModel {
    name: "qwen2.5-coder-0.5b",
    file: "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    url: "https://huggingface.co/Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF/resolve/main/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    sha256: "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    size: 491_400_064,
}];

/// The known model called `name`.
pub fn known(name: &str) -> Option<&'static KnownModel> {
    KNOWN_MODELS
        .iter()
        .find(|m| m.name == name || m.file == name)
}

/// What went wrong with a model file.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// A file operation failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The download failed.
    #[error("pobieranie {url} nie powiodło się: {detail}")]
    Download {
        /// From where.
        url: String,
        /// Why.
        detail: String,
    },
    /// The file is not what it should be.
    #[error("suma SHA-256 się nie zgadza (oczekiwano {expected}, jest {actual}); plik usunięto")]
    Checksum {
        /// Expected.
        expected: String,
        /// Found.
        actual: String,
    },
    /// Not a GGUF file.
    #[error("{0} nie jest plikiem GGUF (brak nagłówka „GGUF”)")]
    NotGguf(PathBuf),
}

/// A model file in the models directory.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LocalModel {
    /// The file name.
    pub file: String,
    /// The known name, when it is a known model.
    pub name: Option<String>,
    /// Where it is.
    pub path: PathBuf,
    /// Size in bytes.
    pub size: u64,
}

/// The models directory.
#[derive(Debug, Clone)]
pub struct ModelStore {
    dir: PathBuf,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ModelError + '_ {
    move |source| ModelError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl ModelStore {
    /// Models kept in `dir`.
    pub fn new(dir: PathBuf) -> ModelStore {
        ModelStore { dir }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The GGUF files present, by name.
    pub fn list(&self) -> Result<Vec<LocalModel>, ModelError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(err) => return Err(io(&self.dir)(err)),
        };
        let mut models: Vec<LocalModel> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "gguf"))
            .map(|e| {
                let file = e.file_name().to_string_lossy().into_owned();
                LocalModel {
                    name: known(&file).map(|m| m.name.to_owned()),
                    size: e.metadata().map(|m| m.len()).unwrap_or(0),
                    path: e.path(),
                    file,
                }
            })
            .collect();
        models.sort_by(|a, b| a.file.cmp(&b.file));
        Ok(models)
    }

    /// The file of a model given by known name, file name or path, if it is there.
    pub fn resolve(&self, model: &str) -> Option<PathBuf> {
        let given = Path::new(model);
        if given.is_file() {
            return Some(given.to_path_buf());
        }
        let file = known(model).map_or_else(
            || format!("{}.gguf", model.trim_end_matches(".gguf")),
            |m| m.file.to_owned(),
        );
        let path = self.dir.join(file);
        path.is_file().then_some(path)
    }

    /// Downloads `url` into `file`, resuming a cut download (HTTP Range), and keeps it only
    /// when its SHA-256 is `sha256`. `progress` gets (bytes so far, total when known).
    pub async fn pull(
        &self,
        url: &str,
        file: &str,
        sha256: &str,
        progress: &(dyn Fn(u64, Option<u64>) + Send + Sync),
    ) -> Result<PathBuf, ModelError> {
        std::fs::create_dir_all(&self.dir).map_err(io(&self.dir))?;
        let target = self.dir.join(file);
        let part = self.dir.join(format!("{file}.part"));
        let have = std::fs::metadata(&part).map(|m| m.len()).unwrap_or(0);
        let failed = |detail: String| ModelError::Download {
            url: url.to_owned(),
            detail,
        };
        let client = reqwest::Client::new();
        let mut request = client.get(url);
        if have > 0 {
            request = request.header(reqwest::header::RANGE, format!("bytes={have}-"));
        }
        let response = request.send().await.map_err(|e| failed(e.to_string()))?;
        let status = response.status();
        let resumed = status == reqwest::StatusCode::PARTIAL_CONTENT;
        if !status.is_success() && status != reqwest::StatusCode::RANGE_NOT_SATISFIABLE {
            return Err(failed(format!("HTTP {status}")));
        }
        let mut done = if resumed { have } else { 0 };
        if status != reqwest::StatusCode::RANGE_NOT_SATISFIABLE {
            let total = response.content_length().map(|n| n + done);
            let mut out = std::fs::OpenOptions::new()
                .create(true)
                .write(true)
                .append(resumed)
                .truncate(!resumed)
                .open(&part)
                .map_err(io(&part))?;
            let mut stream = response.bytes_stream();
            progress(done, total);
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.map_err(|e| {
                    failed(format!(
                        "połączenie przerwane po {done} bajtach: {e}; ponów, by wznowić"
                    ))
                })?;
                out.write_all(&chunk).map_err(io(&part))?;
                done += chunk.len() as u64;
                progress(done, total);
            }
            out.sync_all().map_err(io(&part))?;
        }
        let actual = sha256_of(&part)?;
        if !actual.eq_ignore_ascii_case(sha256) {
            let _ = std::fs::remove_file(&part);
            return Err(ModelError::Checksum {
                expected: sha256.to_owned(),
                actual,
            });
        }
        std::fs::rename(&part, &target).map_err(io(&target))?;
        Ok(target)
    }

    /// Copies a local GGUF file into the models directory (after checking its header) and
    /// returns the new path and its SHA-256.
    pub fn import(&self, source: &Path) -> Result<(PathBuf, String), ModelError> {
        let mut magic = [0u8; 4];
        std::fs::File::open(source)
            .and_then(|mut f| f.read_exact(&mut magic))
            .map_err(io(source))?;
        if &magic != b"GGUF" {
            return Err(ModelError::NotGguf(source.to_path_buf()));
        }
        std::fs::create_dir_all(&self.dir).map_err(io(&self.dir))?;
        let name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "model.gguf".to_owned());
        let target = self.dir.join(&name);
        let part = self.dir.join(format!("{name}.part"));
        std::fs::copy(source, &part).map_err(io(&part))?;
        let digest = sha256_of(&part)?;
        std::fs::rename(&part, &target).map_err(io(&target))?;
        Ok((target, digest))
    }
}

/// SHA-256 of a file, lower-case hex.
pub fn sha256_of(path: &Path) -> Result<String, ModelError> {
    let mut file = std::fs::File::open(path).map_err(io(path))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buffer).map_err(io(path))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}
