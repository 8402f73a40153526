//! Local paths typed in the TUI (`U`): `~/` read as the home folder, and completion as far as
//! the folder's entries agree (a folder gets its `/`, as a shell's Tab gives it).

use std::path::{Path, PathBuf};

/// `text` with a leading `~/` as the home folder.
pub(crate) fn expanded(text: &str) -> PathBuf {
    match (text.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(text),
    }
}

/// `text` completed: the entries of its folder that start with its last part, as far as they
/// agree; `text` as it is when none does (or the folder cannot be read).
pub(crate) fn complete(text: &str) -> String {
    let (dir_text, part) = match text.rfind('/') {
        Some(i) => text.split_at(i + 1),
        None => ("", text),
    };
    let dir = if dir_text.is_empty() {
        PathBuf::from(".")
    } else {
        expanded(dir_text)
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return text.to_string();
    };
    let mut names: Vec<(String, bool)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let hidden = name.starts_with('.') && !part.starts_with('.');
            (name.starts_with(part) && !hidden).then(|| (name, e.path().is_dir()))
        })
        .collect();
    names.sort();
    let Some((first, first_is_dir)) = names.first() else {
        return text.to_string();
    };
    if names.len() == 1 {
        let slash = if *first_is_dir { "/" } else { "" };
        return format!("{dir_text}{first}{slash}");
    }
    let common = names.iter().fold(first.as_str(), |common, (name, _)| {
        let n = common
            .char_indices()
            .zip(name.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8());
        &common[..n]
    });
    format!("{dir_text}{common}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_completes_as_far_as_the_entries_agree_and_a_folder_gets_its_slash() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().display().to_string();
        std::fs::create_dir(dir.path().join("photos")).unwrap();
        std::fs::write(dir.path().join("report-2025.pdf"), b"").unwrap();
        std::fs::write(dir.path().join("report-2026.pdf"), b"").unwrap();
        std::fs::write(dir.path().join(".hidden"), b"").unwrap();
        assert_eq!(complete(&format!("{root}/ph")), format!("{root}/photos/"));
        assert_eq!(
            complete(&format!("{root}/re")),
            format!("{root}/report-202")
        );
        assert_eq!(
            complete(&format!("{root}/x")),
            format!("{root}/x"),
            "no match"
        );
        assert_eq!(complete(&format!("{root}/.h")), format!("{root}/.hidden"));
        assert_eq!(
            complete(&format!("{root}/nope/a")),
            format!("{root}/nope/a"),
            "no folder"
        );
    }

    #[test]
    fn a_tilde_is_the_home_folder() {
        let home = std::env::var_os("HOME").unwrap();
        assert_eq!(expanded("~/x.txt"), Path::new(&home).join("x.txt"));
        assert_eq!(expanded("a/~/b"), PathBuf::from("a/~/b"));
    }
}
