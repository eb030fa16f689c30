//! "Did you mean": the closest of some names to a word a person typed.

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
/// neighbours each count one.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// The most edits a typo of `word` may have: one for names of up to four letters (two edits
/// make another word of them: `dev`, `demo`), two for longer ones.
fn tolerance(word: &str, other: &str) -> usize {
    if word.chars().count().min(other.chars().count()) <= 4 { 1 } else { 2 }
}

/// Whether `typed` looks like a mistyped `known` (and is not it).
pub fn is_typo_of(typed: &str, known: &str) -> bool {
    typed != known && edit_distance(typed, known) <= tolerance(typed, known)
}

/// The candidates closest to `typed` within typo distance, nearest first.
pub fn closest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut near: Vec<(usize, &str)> =
        candidates.into_iter().filter(|c| is_typo_of(typed, c)).map(|c| (edit_distance(typed, c), c)).collect();
    near.sort_unstable();
    near.into_iter().map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos() {
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert!(is_typo_of("gte", "get"));
        assert!(is_typo_of("stagnig", "staging"));
        assert!(!is_typo_of("demo", "dev"));
        assert_eq!(closest("gte", ["ls", "get", "set", "show"]), ["get"]);
    }
}
