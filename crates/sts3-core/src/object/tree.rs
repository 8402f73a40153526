//! A folder download's pure half (`sts3 get --recursive`): where each key under the prefix is
//! saved inside the chosen folder (never outside it: no `..`, no absolute path, names made
//! printable as for one download), which keys the `--include`/`--exclude` globs keep, and how
//! its progress and its end read.

use super::download::NAME_MAX;
use crate::bucket::human_size;
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

/// Where one key under the prefix goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The file at this path, relative to the folder.
    File(PathBuf),
    /// A folder marker (`photos/`): nothing to write.
    Folder,
    /// It cannot be saved inside the folder, for this reason.
    Refused(&'static str),
}

/// Where `key` (under `prefix`) is saved, relative to the folder the download goes to.
pub fn place(prefix: &str, key: &str) -> Place {
    let relative = key.strip_prefix(prefix).unwrap_or(key);
    if relative.is_empty() || relative.ends_with('/') {
        return Place::Folder;
    }
    let mut path = PathBuf::new();
    for segment in relative.split('/') {
        if segment.is_empty() || segment == "." || segment == ".." {
            return Place::Refused("its path has an empty, `.` or `..` part");
        }
        if segment.len() > NAME_MAX {
            return Place::Refused("a name in its path is longer than 255 bytes");
        }
        path.push(printable_name(segment));
    }
    Place::File(path)
}

/// A name with control characters, bidi controls and backslashes replaced by `_` (as
/// [`super::download::file_name`] does for one download).
fn printable_name(segment: &str) -> String {
    segment
        .chars()
        .map(|c| {
            let hidden = c.is_control() || crate::escape::is_bidi_control(c);
            if hidden || c == '\\' { '_' } else { c }
        })
        .collect()
}

/// Which keys a folder download keeps: those matching an `--include` glob (every key when none
/// is given) and no `--exclude` glob, each matched against the key's path below the prefix.
/// `*` matches across `/`, as in the AWS CLI's filters; `**/`, `?`, `[abc]` and `{a,b}` work.
#[derive(Debug, Clone)]
pub struct Filter {
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl Filter {
    /// The filter of these globs, or the first bad one's error (`--include '[a'`: ...).
    pub fn new(include: &[String], exclude: &[String]) -> Result<Self, String> {
        let set = |flag: &str, globs: &[String]| -> Result<GlobSet, String> {
            let mut builder = GlobSetBuilder::new();
            for glob in globs {
                builder.add(Glob::new(glob).map_err(|e| {
                    format!(
                        "{flag} {glob:?} is not a glob ({}); use * and ? as in a shell, e.g. {flag} '*.csv'",
                        e.kind()
                    )
                })?);
            }
            builder.build().map_err(|e| e.to_string())
        };
        Ok(Self {
            include: if include.is_empty() {
                None
            } else {
                Some(set("--include", include)?)
            },
            exclude: set("--exclude", exclude)?,
        })
    }

    /// Whether the key at `relative` (its path below the prefix) is downloaded.
    pub fn keeps(&self, relative: &str) -> bool {
        self.include.as_ref().is_none_or(|i| i.is_match(relative))
            && !self.exclude.is_match(relative)
    }
}

/// How a folder download is going.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Objects found under the prefix that the filter keeps, so far.
    pub listed: u64,
    /// Whether every page is listed (so `listed` is the total).
    pub all_listed: bool,
    /// Objects saved, and their bytes.
    pub saved: u64,
    pub bytes: u64,
    /// Objects already there, complete (same size): not asked for again.
    pub present: u64,
    /// Objects that could not be saved.
    pub failed: u64,
}

impl Tally {
    /// Objects dealt with, one way or another.
    pub fn done(&self) -> u64 {
        self.saved + self.present + self.failed
    }

    /// `12 of 1,000 objects · 3.4 MiB · 1.2 MiB/s` (`of 1,000+` while listing goes on).
    pub fn progress(&self, elapsed: Duration) -> String {
        let millis = elapsed.as_millis().max(1);
        let rate = u64::try_from(u128::from(self.bytes) * 1000 / millis).unwrap_or(u64::MAX);
        let more = if self.all_listed { "" } else { "+" };
        let mut text = format!(
            "{} of {}{more} objects · {} · {}/s",
            super::detail::thousands(self.done()),
            super::detail::thousands(self.listed),
            human_size(self.bytes),
            human_size(rate)
        );
        if self.failed > 0 {
            let _ = write!(text, " · {} failed", super::detail::thousands(self.failed));
        }
        text
    }

    /// The summary at the end: `saved 998 objects (3.4 MiB) to DIR; 2 were there already; 1 failed`.
    pub fn summary(&self, to: &str) -> String {
        let mut text = format!(
            "saved {} ({}) to {to}",
            super::detail::counted(usize::try_from(self.saved).unwrap_or(usize::MAX), "object"),
            human_size(self.bytes)
        );
        if self.present > 0 {
            let _ = write!(
                text,
                "; {} already there (same size)",
                super::detail::thousands(self.present)
            );
        }
        if self.failed > 0 {
            let _ = write!(text, "; {} failed", super::detail::thousands(self.failed));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_goes_at_its_path_below_the_prefix_and_never_outside_the_folder() {
        assert_eq!(
            place("docs/", "docs/a/b.txt"),
            Place::File(PathBuf::from("a/b.txt"))
        );
        assert_eq!(place("", "x.txt"), Place::File(PathBuf::from("x.txt")));
        assert_eq!(place("docs/", "docs/"), Place::Folder);
        assert_eq!(place("docs/", "docs/photos/"), Place::Folder);
        for bad in [
            "docs/../etc/passwd",
            "docs/a/../../x",
            "docs//x",
            "docs/./x",
            "docs/a/..",
        ] {
            assert!(matches!(place("docs/", bad), Place::Refused(_)), "{bad}");
        }
        assert_eq!(
            place("", &"n".repeat(256)),
            Place::Refused("a name in its path is longer than 255 bytes")
        );
        assert_eq!(
            place("", &"n".repeat(255)),
            Place::File(PathBuf::from("n".repeat(255)))
        );
        // Hidden characters become visible; a backslash is no separator.
        assert_eq!(
            place("", "a\u{7}/bidi\u{202e}gpj.exe\\x"),
            Place::File(PathBuf::from("a_/bidi_gpj.exe_x"))
        );
        // A leading slash is an empty first part.
        assert!(matches!(place("", "/etc/passwd"), Place::Refused(_)));
    }

    #[test]
    fn include_and_exclude_globs_pick_keys_by_their_path_below_the_prefix() {
        let all = Filter::new(&[], &[]).unwrap();
        assert!(all.keeps("a/b.txt"));
        let csv = Filter::new(&["*.csv".into()], &["old/*".into()]).unwrap();
        assert!(csv.keeps("q1.csv"));
        assert!(csv.keeps("2024/q1.csv"), "* crosses /");
        assert!(!csv.keeps("q1.txt"), "not included");
        assert!(!csv.keeps("old/q1.csv"), "excluded wins");
        let no_logs = Filter::new(&[], &["*.log".into(), "tmp/**".into()]).unwrap();
        assert!(no_logs.keeps("a.txt"));
        assert!(!no_logs.keeps("x/a.log"));
        assert!(!no_logs.keeps("tmp/a/b"));
        let two = Filter::new(&["a?.txt".into(), "{b,c}.txt".into()], &[]).unwrap();
        assert!(two.keeps("a1.txt") && two.keeps("c.txt") && !two.keeps("a12.txt"));
    }

    #[test]
    fn a_bad_glob_names_its_flag_and_how_to_write_one() {
        let e = Filter::new(&["[a".into()], &[]).unwrap_err();
        assert!(e.starts_with("--include \"[a\" is not a glob ("), "{e}");
        assert!(e.ends_with("e.g. --include '*.csv'"), "{e}");
        let e = Filter::new(&[], &["{a".into()]).unwrap_err();
        assert!(e.starts_with("--exclude \"{a\" is not a glob"), "{e}");
    }

    #[test]
    fn progress_and_summary_count_objects_bytes_and_failures() {
        let mut t = Tally {
            listed: 1000,
            saved: 10,
            bytes: 3 * 1024 * 1024,
            present: 2,
            ..Tally::default()
        };
        assert_eq!(
            t.progress(Duration::from_secs(2)),
            "12 of 1,000+ objects · 3.0 MiB · 1.5 MiB/s"
        );
        t.all_listed = true;
        t.failed = 1;
        assert_eq!(
            t.progress(Duration::from_secs(3)),
            "13 of 1,000 objects · 3.0 MiB · 1.0 MiB/s · 1 failed"
        );
        assert_eq!(
            t.summary("out"),
            "saved 10 objects (3.0 MiB) to out; 2 already there (same size); 1 failed"
        );
        assert_eq!(
            Tally {
                saved: 1,
                bytes: 5,
                ..Tally::default()
            }
            .summary("d"),
            "saved 1 object (5 B) to d"
        );
    }
}
