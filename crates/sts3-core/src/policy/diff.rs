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
/// `common[i][j]`: the length of the longest common subsequence of `a[i..]` and `b[j..]`.
fn longest_common(a: &[&str], b: &[&str]) -> Vec<Vec<usize>> {
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
    common
}

pub fn diff_lines(old: &str, new: &str) -> Vec<(Change, String)> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let common = longest_common(&a, &b);
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

    /// The longest common subsequence, by brute force.
    fn lcs(a: &[&str], b: &[&str]) -> usize {
        match (a, b) {
            ([], _) | (_, []) => 0,
            ([x, ra @ ..], [y, rb @ ..]) if x == y => 1 + lcs(ra, rb),
            ([_, ra @ ..], [_, rb @ ..]) => lcs(ra, b).max(lcs(a, rb)),
        }
    }

    #[test]
    fn every_diff_of_small_texts_rebuilds_both_and_keeps_the_most_lines() {
        // Every text of up to four lines over three distinct lines (two are too few to tell a
        // greedy table from the right one).
        let texts: Vec<Vec<&str>> = (0..5u32)
            .flat_map(|len| {
                (0..3u32.pow(len)).map(move |mut n| {
                    (0..len)
                        .map(|_| {
                            let line = ["a", "b", "c"][(n % 3) as usize];
                            n /= 3;
                            line
                        })
                        .collect()
                })
            })
            .collect();
        for a in &texts {
            for b in &texts {
                let d = diff_lines(&a.join("\n"), &b.join("\n"));
                let old: Vec<&str> = d
                    .iter()
                    .filter(|(c, _)| *c != Change::Added)
                    .map(|(_, l)| l.as_str())
                    .collect();
                let new: Vec<&str> = d
                    .iter()
                    .filter(|(c, _)| *c != Change::Removed)
                    .map(|(_, l)| l.as_str())
                    .collect();
                assert_eq!(&old, a, "{a:?} → {b:?}: {d:?}");
                assert_eq!(&new, b, "{a:?} → {b:?}: {d:?}");
                let kept = d.iter().filter(|(c, _)| *c == Change::Same).count();
                assert_eq!(kept, lcs(a, b), "{a:?} → {b:?}: {d:?}");
            }
        }
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
