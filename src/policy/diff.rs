//! A line diff of two policies' pretty text (longest common subsequence: policies are a few
//! dozen lines, so the quadratic table is small).

/// What happened to a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same,
    Added,
    Removed,
}

/// The lines of `new` against `old`, in order, removed lines before the added ones that
/// replace them.
pub fn diff_lines(old: &str, new: &str) -> Vec<(Change, String)> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // common[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut common = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i][j] = if a[i] == b[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push((Change::Same, a[i].to_string()));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || common[i + 1][j] >= common[i][j + 1]) {
            out.push((Change::Removed, a[i].to_string()));
            i += 1;
        } else {
            out.push((Change::Added, b[j].to_string()));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(d: &[(Change, String)]) -> Vec<String> {
        d.iter()
            .map(|(c, l)| {
                let mark = match c {
                    Change::Same => ' ',
                    Change::Added => '+',
                    Change::Removed => '-',
                };
                format!("{mark}{l}")
            })
            .collect()
    }

    #[test]
    fn changed_lines_are_removed_then_added_and_the_rest_kept() {
        let old = "{\n  a: 1,\n  b: 2\n}";
        let new = "{\n  a: 1,\n  b: 3,\n  c: 4\n}";
        assert_eq!(
            show(&diff_lines(old, new)),
            ["{", "  a: 1,", "-  b: 2", "+  b: 3,", "+  c: 4", "}"].map(|l| {
                if l.starts_with(['+', '-']) {
                    l.to_string()
                } else {
                    format!(" {l}")
                }
            })
        );
    }

    #[test]
    fn from_nothing_everything_is_added_and_to_nothing_removed() {
        assert_eq!(show(&diff_lines("", "x\ny")), ["+x", "+y"]);
        assert_eq!(show(&diff_lines("x\ny", "")), ["-x", "-y"]);
        assert_eq!(show(&diff_lines("x\ny", "x\ny")), [" x", " y"]);
        // A line moved: kept where the common run is longest.
        assert_eq!(
            show(&diff_lines("a\nb\nc", "b\nc\na")),
            ["-a", " b", " c", "+a"]
        );
    }
}
