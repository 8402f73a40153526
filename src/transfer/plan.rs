//! What a put sends (`sts3 put`, and `U` on a folder in the TUI): each local file and its
//! key, decided before anything is sent. A file that cannot be put is said here, by a line
//! that names it and what to do.

use std::path::{Path, PathBuf};

/// One file to put, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub path: PathBuf,
    pub key: String,
    pub size: u64,
}

type Upload = Planned;

/// The files to put and their keys: a file goes to `dest` when it is a key (one file, `dest`
/// not ending in `/`), else under it by its name; a folder's files under `dest` by the
/// folder's name and their path in it (`photos/2026/a.jpg`).
/// Symbolic links are passed over unless `follow_symlinks`, and counted in `skipped_links`.
pub fn plan(
    sources: &[PathBuf],
    dest: &str,
    follow_symlinks: bool,
    skipped_links: &mut u64,
) -> Result<Vec<Upload>, String> {
    let one_file = sources.len() == 1 && sources[0].is_file();
    let prefix = if dest.is_empty() || dest.ends_with('/') || !one_file {
        dest.to_string()
    } else {
        return Ok(vec![upload(&sources[0], dest.to_string())?]);
    };
    let prefix = if prefix.is_empty() || prefix.ends_with('/') {
        prefix
    } else {
        format!("{prefix}/")
    };
    let mut uploads = Vec::new();
    for source in sources {
        let name = name_of(source)?;
        if source.is_dir() {
            walk(
                source,
                &format!("{prefix}{name}/"),
                follow_symlinks,
                skipped_links,
                &mut uploads,
            )?;
        } else {
            uploads.push(upload(source, format!("{prefix}{name}"))?);
        }
    }
    Ok(uploads)
}

/// Every file under `dir`, as keys under `prefix`.
fn walk(
    dir: &Path,
    prefix: &str,
    follow_symlinks: bool,
    skipped_links: &mut u64,
    uploads: &mut Vec<Upload>,
) -> Result<(), String> {
    let cannot = |e: std::io::Error| format!("cannot read the folder {}: {e}", dir.display());
    for entry in in_name_order(dir).map_err(cannot)? {
        let path = entry.path();
        let is_link = entry.file_type().map_err(cannot)?.is_symlink();
        if is_link && !follow_symlinks {
            *skipped_links += 1;
            continue;
        }
        let key = format!("{prefix}{}", name_of(&path)?);
        if path.is_dir() {
            walk(
                &path,
                &format!("{key}/"),
                follow_symlinks,
                skipped_links,
                uploads,
            )?;
        } else if path.is_file() {
            uploads.push(upload(&path, key)?);
        }
    }
    Ok(())
}

/// The entries of `dir`, by name.
fn in_name_order(dir: &Path) -> std::io::Result<Vec<std::fs::DirEntry>> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    Ok(entries)
}

fn upload(path: &Path, key: String) -> Result<Upload, String> {
    let meta = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {}: {e}; pass files or folders", path.display()))?;
    if !meta.is_file() {
        return Err(format!(
            "{} is not a file or a folder; pass files or folders",
            path.display()
        ));
    }
    if key.is_empty() || key.len() > 1024 {
        return Err(format!(
            "{} would be key {:?}, which S3 cannot hold (1 to 1,024 bytes); give another destination",
            path.display(),
            crate::escape::printable(&key)
        ));
    }
    Ok(Upload {
        path: path.to_path_buf(),
        key,
        size: meta.len(),
    })
}

/// The last part of `path`, as text a key can hold.
fn name_of(path: &Path) -> Result<String, String> {
    // Its own name (a followed link's, not its target's); `.` and `..` by the folder's.
    let name = path
        .file_name()
        .map(std::ffi::OsStr::to_os_string)
        .or_else(|| {
            let full = path.canonicalize().ok()?;
            full.file_name().map(std::ffi::OsStr::to_os_string)
        })
        .ok_or_else(|| format!("{} has no name to put it under", path.display()))?;
    let name = name.into_string().map_err(|n| {
        format!(
            "{} is not UTF-8, which an S3 key must be; rename it",
            std::path::Path::new(&n).display()
        )
    })?;
    if name.chars().any(char::is_control) {
        return Err(format!(
            "{} has a control character in its name; rename it",
            crate::escape::printable(&name)
        ));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("photos/2026")).unwrap();
        std::fs::write(root.join("photos/a.jpg"), b"a").unwrap();
        std::fs::write(root.join("photos/2026/b.jpg"), b"bb").unwrap();
        std::fs::write(root.join("notes.txt"), b"n").unwrap();
        std::os::unix::fs::symlink(root.join("notes.txt"), root.join("photos/link.txt")).unwrap();
        dir
    }

    fn keys(uploads: &[Upload]) -> Vec<&str> {
        uploads.iter().map(|u| u.key.as_str()).collect()
    }

    #[test]
    fn one_file_to_a_key_or_under_a_prefix() {
        let t = tree();
        let notes = t.path().join("notes.txt");
        let mut skipped = 0;
        let one = plan(
            std::slice::from_ref(&notes),
            "docs/n.txt",
            false,
            &mut skipped,
        )
        .unwrap();
        assert_eq!(keys(&one), ["docs/n.txt"]);
        assert_eq!(one[0].size, 1);
        let under = plan(std::slice::from_ref(&notes), "docs/", false, &mut skipped).unwrap();
        assert_eq!(keys(&under), ["docs/notes.txt"]);
        let root = plan(std::slice::from_ref(&notes), "", false, &mut skipped).unwrap();
        assert_eq!(keys(&root), ["notes.txt"]);
    }

    #[test]
    fn a_folder_goes_under_its_name_and_links_are_passed_over_unless_followed() {
        let t = tree();
        let sources = [t.path().join("photos"), t.path().join("notes.txt")];
        let mut skipped = 0;
        let all = plan(&sources, "backup", false, &mut skipped).unwrap();
        assert_eq!(
            keys(&all),
            [
                "backup/photos/2026/b.jpg",
                "backup/photos/a.jpg",
                "backup/notes.txt"
            ]
        );
        assert_eq!(skipped, 1);
        let mut skipped = 0;
        let followed = plan(&sources[..1], "", true, &mut skipped).unwrap();
        assert_eq!(
            keys(&followed),
            ["photos/2026/b.jpg", "photos/a.jpg", "photos/link.txt"]
        );
        assert_eq!(skipped, 0);
    }

    #[test]
    fn what_cannot_be_put_is_said_before_anything_is_sent() {
        let t = tree();
        let mut skipped = 0;
        let missing = plan(&[t.path().join("nope")], "x/", false, &mut skipped).unwrap_err();
        assert!(missing.contains("nope: No such file"), "{missing}");
        let long = "k".repeat(1025);
        let e = plan(&[t.path().join("notes.txt")], &long, false, &mut skipped).unwrap_err();
        assert!(e.contains("which S3 cannot hold"), "{e}");
        let odd = t.path().join("bad\u{1b}name");
        std::fs::write(&odd, b"x").unwrap();
        let e = plan(&[odd], "", false, &mut skipped).unwrap_err();
        assert!(e.contains("control character"), "{e}");
    }
}
