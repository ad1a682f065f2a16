//! XLM-RoBERTa's SentencePiece unigram tokenizer: the file's per-code-point normalization,
//! runs of spaces collapsed, "▁" for every space and in front of the text, then the most
//! probable split into vocabulary pieces (Viterbi over the pieces' log-probabilities, an
//! unknown character costing 10 below the least likely piece, as SentencePiece does).

use std::collections::HashMap;

use super::model_file::Vocabulary;

/// SentencePiece's word-boundary mark.
const META: char = '\u{2581}';

/// The tokenizer of one model file.
#[derive(Debug)]
pub struct Tokenizer {
    ids: HashMap<String, u32>,
    scores: Vec<f32>,
    unk: u32,
    unk_score: f32,
    longest_piece: usize,
    normalization: HashMap<char, Vec<char>>,
    /// `<s>`.
    pub bos: u32,
    /// `</s>`.
    pub eos: u32,
}

impl Tokenizer {
    /// The tokenizer for `vocabulary`.
    pub fn new(vocabulary: &Vocabulary) -> Tokenizer {
        let mut ids = HashMap::with_capacity(vocabulary.pieces.len());
        for (id, piece) in vocabulary.pieces.iter().enumerate() {
            if !piece.is_empty() && id as u32 != vocabulary.unk {
                // The first of two equal pieces wins, like SentencePiece's own table.
                ids.entry(piece.clone()).or_insert(id as u32);
            }
        }
        let least = vocabulary
            .scores
            .iter()
            .copied()
            .fold(f32::INFINITY, f32::min);
        Tokenizer {
            ids,
            scores: vocabulary.scores.clone(),
            unk: vocabulary.unk,
            unk_score: least - 10.0,
            longest_piece: vocabulary.pieces.iter().map(String::len).max().unwrap_or(1),
            normalization: vocabulary.normalization.clone(),
            bos: vocabulary.bos,
            eos: vocabulary.eos,
        }
    }

    /// The text as SentencePiece sees it: normalized, spaces collapsed and marked.
    pub fn normalize(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 3);
        let mut previous_space = false;
        let mut push = |c: char, out: &mut String| {
            if c == ' ' {
                if previous_space {
                    return;
                }
                previous_space = true;
            } else {
                previous_space = false;
            }
            out.push(c);
        };
        for c in text.chars() {
            match self.normalization.get(&c) {
                Some(replacement) => replacement.iter().for_each(|&r| push(r, &mut out)),
                None => push(c, &mut out),
            }
        }
        let marked: String = out
            .chars()
            .map(|c| if c == ' ' { META } else { c })
            .collect();
        if marked.starts_with(META) {
            marked
        } else {
            format!("{META}{marked}")
        }
    }

    /// The piece ids of `text`, without `<s>` and `</s>`.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let normalized = self.normalize(text);
        // Character boundaries as byte offsets, the end included.
        let bounds: Vec<usize> = normalized
            .char_indices()
            .map(|(at, _)| at)
            .chain(std::iter::once(normalized.len()))
            .collect();
        let chars = bounds.len() - 1;
        let mut best = vec![f32::NEG_INFINITY; chars + 1];
        // (piece id, start char) of the best split ending at each character.
        let mut back = vec![(self.unk, 0usize); chars + 1];
        best[0] = 0.0;
        for start in 0..chars {
            if best[start] == f32::NEG_INFINITY {
                continue;
            }
            for end in start + 1..=chars {
                let piece = &normalized[bounds[start]..bounds[end]];
                if piece.len() > self.longest_piece {
                    break;
                }
                if let Some(&id) = self.ids.get(piece) {
                    let score = best[start] + self.scores[id as usize];
                    if score > best[end] {
                        best[end] = score;
                        back[end] = (id, start);
                    }
                }
            }
            let unknown = best[start] + self.unk_score;
            if unknown > best[start + 1] {
                best[start + 1] = unknown;
                back[start + 1] = (self.unk, start);
            }
        }
        let mut ids = Vec::new();
        let mut at = chars;
        while at > 0 {
            let (id, start) = back[at];
            // Consecutive unknown characters are one `<unk>`, as in SentencePiece.
            if !(id == self.unk && ids.last() == Some(&self.unk)) {
                ids.push(id);
            }
            at = start;
        }
        ids.reverse();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokenizer() -> Tokenizer {
        let pieces = [
            "<s>", "<pad>", "</s>", "<unk>", "▁", "▁ala", "▁ma", "▁kota", "a", "k", "o", "t", "▁k",
        ];
        let scores = [
            0.0, 0.0, 0.0, 0.0, -3.0, -5.0, -4.0, -6.0, -4.0, -5.0, -5.0, -5.0, -6.0,
        ];
        let mut normalization = HashMap::new();
        normalization.insert('\u{a0}', vec![' ']);
        normalization.insert('\u{1}', vec![]);
        Tokenizer::new(&Vocabulary {
            pieces: pieces.iter().map(|p| (*p).to_owned()).collect(),
            scores: scores.to_vec(),
            bos: 0,
            eos: 2,
            unk: 3,
            normalization,
        })
    }

    #[test]
    fn the_most_probable_split_wins_and_unknown_characters_become_one_unk() {
        let t = tokenizer();
        assert_eq!(t.normalize("ala\u{a0}\u{1}  ma"), "▁ala▁ma");
        assert_eq!(t.encode("ala ma kota"), [5, 6, 7]);
        // "▁kota" (−6) beats "▁k" + "o" + "t" + "a" (−20).
        assert_eq!(t.encode("kota"), [7]);
        assert_eq!(t.encode("ala ŻŹ"), [5, 4, 3]);
        assert_eq!(t.encode(""), [4]);
    }
}
