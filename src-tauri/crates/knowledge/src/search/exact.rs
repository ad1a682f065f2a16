//! Exact nearest neighbours: the cosine of the query with every stored vector (vectors are
//! L2-normalized, so a dot product), best first. Fine for a personal knowledge base of
//! thousands of rows; the approximate index comes in front of it for larger ones.

/// A row and its similarity to the query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    /// The row id.
    pub id: i64,
    /// Cosine similarity with the query.
    pub similarity: f32,
}

/// The `k` rows of `rows` most similar to `query`, best first; rows of another dimension
/// (embedded by another model) are skipped.
pub fn nearest(query: &[f32], rows: &[(i64, Vec<f32>)], k: usize) -> Vec<Scored> {
    let mut scored: Vec<Scored> = rows
        .iter()
        .filter(|(_, vector)| vector.len() == query.len())
        .map(|(id, vector)| Scored {
            id: *id,
            similarity: crate::index::dot(query, vector),
        })
        .collect();
    scored.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
    scored.truncate(k);
    scored
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closest_rows_come_first_and_other_dimensions_are_skipped() {
        let rows = vec![
            (1, vec![1.0, 0.0]),
            (2, vec![0.6, 0.8]),
            (3, vec![0.0, 1.0]),
            (4, vec![1.0, 0.0, 0.0]),
        ];
        let found = nearest(&[0.8, 0.6], &rows, 2);
        assert_eq!(found.iter().map(|s| s.id).collect::<Vec<_>>(), [2, 1]);
        assert!((found[0].similarity - 0.96).abs() < 1e-6);
        assert!(nearest(&[1.0, 0.0], &[], 3).is_empty());
    }
}
