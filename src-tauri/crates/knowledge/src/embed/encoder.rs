//! The BERT encoder of multilingual-e5-small in fp32: word + position + token-type
//! embeddings and a layer norm, then per layer self-attention and a GELU feed-forward, each
//! followed by a residual layer norm (post-norm, as BERT/XLM-R). Weights are expanded from
//! Q4_0 once at load (about 85 MB for the layers); the 96-million-value word embedding stays
//! 4-bit and one row is expanded per token.

use ndarray::{s, Array1, Array2, ArrayView2, Axis};

use super::model_file::{DType, E5File, E5Shape};
use super::quant::{dequantize_q4_0, dequantize_q4_0_into, f32_values, Q4_BLOCK_BYTES};
use super::EmbedError;

/// A linear layer: `y = x · Wᵀ + b`, `W` as `[out, in]`.
#[derive(Debug)]
struct Linear {
    weight: Array2<f32>,
    bias: Array1<f32>,
}

impl Linear {
    fn load(
        file: &E5File,
        bytes: &[u8],
        name: &str,
        out: usize,
        inp: usize,
    ) -> Result<Linear, EmbedError> {
        let w = file.tensor(&format!("{name}.w"), DType::Q4_0, out * inp)?;
        let b = file.tensor(&format!("{name}.b"), DType::F32, out)?;
        let weight = Array2::from_shape_vec((out, inp), dequantize_q4_0(&bytes[w.bytes.clone()]))
            .map_err(|e| EmbedError::Invalid(format!("{name}: {e}")))?;
        Ok(Linear {
            weight,
            bias: Array1::from(f32_values(&bytes[b.bytes.clone()])),
        })
    }

    fn apply(&self, x: &ArrayView2<'_, f32>) -> Array2<f32> {
        x.dot(&self.weight.t()) + &self.bias
    }
}

/// A layer norm's scale and shift.
#[derive(Debug)]
struct Norm {
    weight: Array1<f32>,
    bias: Array1<f32>,
}

impl Norm {
    fn load(file: &E5File, bytes: &[u8], name: &str, len: usize) -> Result<Norm, EmbedError> {
        let w = file.tensor(&format!("{name}.w"), DType::F32, len)?;
        let b = file.tensor(&format!("{name}.b"), DType::F32, len)?;
        Ok(Norm {
            weight: Array1::from(f32_values(&bytes[w.bytes.clone()])),
            bias: Array1::from(f32_values(&bytes[b.bytes.clone()])),
        })
    }

    /// Normalizes every row of `x` in place.
    fn apply(&self, x: &mut Array2<f32>, eps: f32) {
        for mut row in x.rows_mut() {
            let n = row.len() as f32;
            let mean = row.sum() / n;
            let variance = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / n;
            let inverse = 1.0 / (variance + eps).sqrt();
            for ((v, w), b) in row.iter_mut().zip(&self.weight).zip(&self.bias) {
                *v = (*v - mean) * inverse * w + b;
            }
        }
    }
}

#[derive(Debug)]
struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attention_out: Linear,
    attention_norm: Norm,
    ffn_in: Linear,
    ffn_out: Linear,
    output_norm: Norm,
}

/// The encoder, ready to run.
#[derive(Debug)]
pub struct Encoder {
    shape: E5Shape,
    /// The word embedding, still in Q4_0 blocks (`vocab` rows of `hidden / 32` blocks).
    words: Vec<u8>,
    positions: Array2<f32>,
    token_type: Array1<f32>,
    embedding_norm: Norm,
    layers: Vec<Layer>,
}

impl Encoder {
    /// Loads the weights of `file` from `bytes` (the whole file).
    pub fn load(file: &E5File, bytes: &[u8]) -> Result<Encoder, EmbedError> {
        let shape = file.shape.clone();
        let (h, f) = (shape.hidden, shape.ffn);
        let words = file.tensor("emb.word", DType::Q4_0, shape.vocab * h)?;
        let positions = file.tensor("emb.pos", DType::F32, shape.max_positions * h)?;
        let token_type = file.tensor("emb.type", DType::F32, 2 * h)?;
        let positions = Array2::from_shape_vec(
            (shape.max_positions, h),
            f32_values(&bytes[positions.bytes.clone()]),
        )
        .map_err(|e| EmbedError::Invalid(format!("emb.pos: {e}")))?;
        let mut layers = Vec::with_capacity(shape.layers);
        for l in 0..shape.layers {
            let name = |part: &str| format!("l{l}.{part}");
            layers.push(Layer {
                query: Linear::load(file, bytes, &name("q"), h, h)?,
                key: Linear::load(file, bytes, &name("k"), h, h)?,
                value: Linear::load(file, bytes, &name("v"), h, h)?,
                attention_out: Linear::load(file, bytes, &name("ao"), h, h)?,
                attention_norm: Norm::load(file, bytes, &name("aln"), h)?,
                ffn_in: Linear::load(file, bytes, &name("fi"), f, h)?,
                ffn_out: Linear::load(file, bytes, &name("fo"), h, f)?,
                output_norm: Norm::load(file, bytes, &name("oln"), h)?,
            });
        }
        Ok(Encoder {
            words: bytes[words.bytes.clone()].to_vec(),
            positions,
            // Token type 0: the first of the two rows.
            token_type: Array1::from(f32_values(&bytes[token_type.bytes.clone()])[..h].to_vec()),
            embedding_norm: Norm::load(file, bytes, "emb.ln", h)?,
            layers,
            shape,
        })
    }

    /// The encoder's shape.
    pub fn shape(&self) -> &E5Shape {
        &self.shape
    }

    /// The mean of the last hidden states over `ids` (`<s>` … `</s>` included, at most
    /// `max_positions` of them), not yet normalized.
    pub fn mean_hidden(&self, ids: &[u32]) -> Result<Array1<f32>, EmbedError> {
        let (h, t) = (self.shape.hidden, ids.len());
        if t == 0 || t > self.shape.max_positions {
            return Err(EmbedError::Invalid(format!("{t} tokenów w jednym oknie")));
        }
        let blocks_per_row = h / 32;
        let mut x = Array2::<f32>::zeros((t, h));
        for (row, &id) in ids.iter().enumerate() {
            let id = id as usize;
            if id >= self.shape.vocab {
                return Err(EmbedError::Invalid(format!("token {id} poza słownikiem")));
            }
            let start = id * blocks_per_row * Q4_BLOCK_BYTES;
            let blocks = &self.words[start..start + blocks_per_row * Q4_BLOCK_BYTES];
            let mut out = x.row_mut(row);
            if let Some(slice) = out.as_slice_mut() {
                dequantize_q4_0_into(blocks, slice);
            }
        }
        x += &self.positions.slice(s![..t, ..]);
        x += &self.token_type;
        self.embedding_norm.apply(&mut x, self.shape.eps);
        for layer in &self.layers {
            x = self.layer(layer, x);
        }
        Ok(x.mean_axis(Axis(0)).unwrap_or_else(|| Array1::zeros(h)))
    }

    fn layer(&self, layer: &Layer, mut x: Array2<f32>) -> Array2<f32> {
        let (heads, hd) = (self.shape.heads, self.shape.hidden / self.shape.heads);
        let view = x.view();
        let q = layer.query.apply(&view);
        let k = layer.key.apply(&view);
        let v = layer.value.apply(&view);
        let scale = 1.0 / (hd as f32).sqrt();
        let mut context = Array2::<f32>::zeros(x.raw_dim());
        for head in 0..heads {
            let cols = s![.., head * hd..(head + 1) * hd];
            let mut scores = q.slice(cols).dot(&k.slice(cols).t()) * scale;
            for mut row in scores.rows_mut() {
                let max = row.fold(f32::NEG_INFINITY, |m, &v| m.max(v));
                row.mapv_inplace(|v| (v - max).exp());
                let sum = row.sum();
                row.mapv_inplace(|v| v / sum);
            }
            context.slice_mut(cols).assign(&scores.dot(&v.slice(cols)));
        }
        x += &layer.attention_out.apply(&context.view());
        layer.attention_norm.apply(&mut x, self.shape.eps);
        let mut mid = layer.ffn_in.apply(&x.view());
        mid.mapv_inplace(gelu);
        x += &layer.ffn_out.apply(&mid.view());
        layer.output_norm.apply(&mut x, self.shape.eps);
        x
    }
}

/// GELU with the exact error function (BERT's `gelu`).
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + libm::erff(x * std::f32::consts::FRAC_1_SQRT_2))
}
