//! Reading tensors out of the file: fp32 as is, ggml Q4_0 blocks (an fp16 scale `d` and 32
//! four-bit values `q`, weight = (q − 8) · d; byte j holds weight j in its low nibble and
//! weight j + 16 in its high one) expanded to fp32.

/// Bytes of one Q4_0 block of 32 weights.
pub const Q4_BLOCK_BYTES: usize = 18;

/// The fp32 values of `bytes` (little-endian).
pub fn f32_values(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// Expands Q4_0 `blocks` into `out` (32 weights per block; `out` holds exactly that many).
pub fn dequantize_q4_0_into(blocks: &[u8], out: &mut [f32]) {
    for (block, weights) in blocks
        .chunks_exact(Q4_BLOCK_BYTES)
        .zip(out.chunks_exact_mut(32))
    {
        let scale = half::f16::from_bits(u16::from_le_bytes([block[0], block[1]])).to_f32();
        for (j, &byte) in block[2..].iter().enumerate() {
            weights[j] = (f32::from(byte & 0x0F) - 8.0) * scale;
            weights[j + 16] = (f32::from(byte >> 4) - 8.0) * scale;
        }
    }
}

/// The Q4_0 `blocks` as fp32 values.
pub fn dequantize_q4_0(blocks: &[u8]) -> Vec<f32> {
    let mut out = vec![0.0; blocks.len() / Q4_BLOCK_BYTES * 32];
    dequantize_q4_0_into(blocks, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_expands_low_nibbles_first_then_high_ones() {
        // Scale 0.5 (fp16 0x3800); byte j = (j+16 → high nibble 15-j... ) as laid out below.
        let mut block = vec![0x00, 0x38];
        for j in 0..16u8 {
            block.push((15 - j) << 4 | j);
        }
        let weights = dequantize_q4_0(&block);
        assert_eq!(weights.len(), 32);
        assert_eq!(weights[0], -4.0); // (0 − 8) · 0.5
        assert_eq!(weights[8], 0.0); // (8 − 8) · 0.5
        assert_eq!(weights[15], 3.5); // (15 − 8) · 0.5
        assert_eq!(weights[16], 3.5); // high nibble of byte 0 = 15
        assert_eq!(weights[31], -4.0); // high nibble of byte 15 = 0
        assert_eq!(f32_values(&1.5f32.to_le_bytes()), [1.5]);
    }
}
