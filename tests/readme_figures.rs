//! The README quotes no figure its measurements did not produce: every number in its
//! Performance section (up to "How:") is in the files the benches write (`bench/RESULTS.md`,
//! `bench/SERVE.md`, `bench/PUT.md`, `bench/GET.md`), as measured or rounded to the README's
//! precision; a range `a–b` (several runs) must hold the latest run's value. A figure that goes
//! stale fails here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

/// A number as written: its value, how many decimals it shows, and its unit when it has one
/// of those measurements have (`ms`, `%`, `MiB`…; a ratio's `×` counts as none).
#[derive(Debug, Clone, Copy)]
struct Figure {
    value: f64,
    decimals: i32,
    unit: Option<&'static str>,
}

const UNITS: [(&str, &str); 8] = [
    ("ms", "ms"),
    ("µs", "µs"),
    ("s", "s"),
    ("%", "%"),
    ("MiB", "MiB"),
    ("B", "B"),
    ("bytes", "B"),
    ("keys/s", "keys/s"),
];

/// The unit right after a number (`0.38 ms`, `82.6 B`, `0.067 %`), if a known one.
fn unit_of(after: &str) -> Option<&'static str> {
    let word: String = after
        .strip_prefix(' ')
        .unwrap_or(after)
        .chars()
        .take_while(|c| c.is_alphabetic() || matches!(c, '%' | '/'))
        .collect();
    UNITS.iter().find(|(w, _)| *w == word).map(|(_, u)| *u)
}

impl Figure {
    /// Whether `measured`, rounded to this figure's precision, is this figure, in its unit.
    fn rounds_from(self, measured: Figure) -> bool {
        let scale = 10f64.powi(self.decimals);
        self.same_unit(measured)
            && ((measured.value * scale).round() - self.value * scale).abs() < 1e-6
    }

    /// A figure without a unit may be any; one with a unit is of that unit only.
    fn same_unit(self, measured: Figure) -> bool {
        self.unit.is_none() || self.unit == measured.unit
    }

    /// Half a unit of the last place shown: what rounding may add or take.
    fn half_unit(self) -> f64 {
        0.5 / 10f64.powi(self.decimals)
    }
}

/// Every number in `text` (`105,554`, `0.38`, `2954`), with the text right after it.
fn numbers(text: &str) -> Vec<(Figure, &str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit() && (i == 0 || !is_word(bytes[i - 1]));
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < bytes.len()
            && (bytes[j].is_ascii_digit()
                || (matches!(bytes[j], b',' | b'.')
                    && bytes.get(j + 1).is_some_and(u8::is_ascii_digit)))
        {
            j += 1;
        }
        let written = text[i..j].replace(',', "");
        let decimals = written
            .split_once('.')
            .map_or(0, |(_, d)| i32::try_from(d.len()).unwrap());
        out.push((
            Figure {
                value: written.parse().unwrap(),
                decimals,
                unit: unit_of(&text[j..]),
            },
            &text[j..],
        ));
        i = j;
    }
    out
}

/// A letter or `_` before a digit makes it part of a name (`sts3`, `ETag5`), not a figure.
fn is_word(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b'^'
}

/// The README's Performance section, up to the paragraph that says how.
fn performance_section() -> String {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let start = readme
        .find("## Performance")
        .expect("a Performance section");
    let rest = &readme[start..];
    let end = rest.find("\nHow: ").expect("the section's How paragraph");
    rest[..end].to_string()
}

fn measured() -> Vec<Figure> {
    [
        "bench/RESULTS.md",
        "bench/SERVE.md",
        "bench/PUT.md",
        "bench/GET.md",
    ]
    .iter()
    .flat_map(|f| {
        let text = std::fs::read_to_string(common::root().join(f)).unwrap();
        numbers(&text)
            .into_iter()
            .map(|(n, _)| n)
            .collect::<Vec<_>>()
    })
    .collect()
}

#[test]
fn every_figure_in_the_performance_section_comes_from_a_bench_file() {
    let section = performance_section();
    let measured = measured();
    let figures = numbers(&section);
    assert!(
        figures.len() > 40,
        "the section quotes figures: {figures:?}"
    );
    let mut stale = Vec::new();
    let mut k = 0;
    while k < figures.len() {
        let (figure, after) = figures[k];
        // A range of runs, `a–b`: the latest run lies in it.
        if after.starts_with('–') && k + 1 < figures.len() {
            let (end, _) = figures[k + 1];
            let (low, high) = (
                figure.value - figure.half_unit(),
                end.value + end.half_unit(),
            );
            let unit = Figure {
                unit: end.unit,
                ..figure
            };
            if !measured
                .iter()
                .any(|m| unit.same_unit(*m) && (low..=high).contains(&m.value))
            {
                stale.push(format!("{}–{}", figure.value, end.value));
            }
            k += 2;
            continue;
        }
        if !measured.iter().any(|m| figure.rounds_from(*m)) {
            stale.push(format!(
                "{} ({})",
                figure.value,
                after.chars().take(30).collect::<String>()
            ));
        }
        k += 1;
    }
    assert!(
        stale.is_empty(),
        "figures in the README no bench file holds (re-measure, or drop them): {stale:#?}"
    );
}

#[test]
fn the_reader_of_figures_reads_them_as_written() {
    let found: Vec<(f64, i32)> = numbers("185,637 requests, 0.38 ms, sts3 5.2× 10^6")
        .iter()
        .map(|(n, _)| (n.value, n.decimals))
        .collect();
    // `sts3` is a name, not a figure; `10^6` reads as the 10 (the exponent is no figure).
    assert_eq!(found, [(185_637.0, 0), (0.38, 2), (5.2, 1), (10.0, 0)]);
    let figure = |text: &str| numbers(text)[0].0;
    let two = figure("0.07 %");
    assert_eq!(two.unit, Some("%"));
    assert!(two.rounds_from(figure("0.067 %")));
    assert!(!two.rounds_from(figure("0.064 %")));
    assert!(!two.rounds_from(figure("0.07 s")), "another unit");
    assert!(figure("83 bytes").rounds_from(figure("82.6 B")));
    assert_eq!(figure("5.2×").unit, None);
}
