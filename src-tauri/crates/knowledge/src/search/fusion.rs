//! Reciprocal rank fusion (Cormack et al., 2009): each list gives a row 1 / (k + rank), the
//! sums rank the union. Ranks, not scores, are fused, so BM25 and cosine never need to be on
//! one scale.

use std::collections::HashMap;
use std::hash::Hash;

/// The usual constant: it damps the weight of the very first ranks.
pub const RRF_K: f64 = 60.0;

/// The union of `lists` (row keys, best first), ranked by their summed 1 / (`k` + rank);
/// ties keep the order in which rows were first seen.
pub fn reciprocal_rank_fusion<T: Eq + Hash + Clone>(lists: &[&[T]], k: f64) -> Vec<(T, f64)> {
    let weighted: Vec<(&[T], f64)> = lists.iter().map(|list| (*list, 1.0)).collect();
    weighted_reciprocal_rank_fusion(&weighted, k)
}

/// [`reciprocal_rank_fusion`] with a weight per list: a row ranked `r` by a list of weight
/// `w` gets w / (`k` + r).
pub fn weighted_reciprocal_rank_fusion<T: Eq + Hash + Clone>(
    lists: &[(&[T], f64)],
    k: f64,
) -> Vec<(T, f64)> {
    let mut scores: HashMap<T, (f64, usize)> = HashMap::new();
    let mut seen = 0;
    for (list, weight) in lists {
        for (rank, id) in list.iter().enumerate() {
            let entry = scores.entry(id.clone()).or_insert_with(|| {
                seen += 1;
                (0.0, seen)
            });
            entry.0 += weight / (k + rank as f64 + 1.0);
        }
    }
    let mut fused: Vec<(T, f64, usize)> = scores
        .into_iter()
        .map(|(id, (score, first))| (id, score, first))
        .collect();
    fused.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)));
    fused
        .into_iter()
        .map(|(id, score, _)| (id, score))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_both_lists_rank_well_beats_a_row_only_one_ranks_first() {
        let lexical = [1, 2, 3];
        let vector = [4, 2, 1];
        let fused = reciprocal_rank_fusion(&[&lexical, &vector], RRF_K);
        let ids: Vec<i64> = fused.iter().map(|(id, _)| *id).collect();
        // Rows found by both lists beat the row only one list ranks first.
        assert_eq!(ids, [1, 2, 4, 3]);
        assert!(reciprocal_rank_fusion::<i64>(&[], RRF_K).is_empty());
        // One list alone keeps its order.
        let only: Vec<i64> = reciprocal_rank_fusion(&[&[7, 5, 9]], RRF_K)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(only, [7, 5, 9]);
    }
}
