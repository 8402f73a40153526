//! Reading the small files a user names (policy, config, keymap): regular files only (a FIFO
//! would hang, `/dev/zero` would never end), up to a size that fits what they hold, UTF-8,
//! with a byte-order mark allowed.

use std::io::Read;
use std::path::Path;

/// Why a file could not be read; `Missing` is told apart so a default file may be absent.
#[derive(Debug)]
pub(super) enum ReadFailure {
    Missing(std::io::Error),
    Other(String),
}

impl ReadFailure {
    pub(super) fn reason(self) -> String {
        match self {
            ReadFailure::Missing(e) => e.to_string(),
            ReadFailure::Other(reason) => reason,
        }
    }
}

/// The text of the regular file `path`, if it is at most `limit` bytes. `kind` names what the
/// file should be, for the fix (`a JSON file`).
pub(super) fn read_small(path: &Path, limit: u64, kind: &str) -> Result<String, ReadFailure> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadFailure::Missing(e),
        _ => ReadFailure::Other(e.to_string()),
    })?;
    if !meta.is_file() {
        return Err(ReadFailure::Other(format!(
            "not a regular file; pass {kind}"
        )));
    }
    let too_big = || ReadFailure::Other(format!("larger than {} KiB; pass {kind}", limit / 1024));
    if meta.len() > limit {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(|e| ReadFailure::Other(e.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(too_big());
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| ReadFailure::Other(format!("not UTF-8 text; pass {kind}")))?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map_or(text.clone(), str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_small_regular_utf8_files() {
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("ok.json");
        std::fs::write(&ok, "\u{feff}{}").unwrap();
        assert_eq!(
            read_small(&ok, 100, "a JSON file").unwrap(),
            "{}",
            "BOM dropped"
        );
        let big = dir.path().join("big.json");
        std::fs::write(&big, "x".repeat(101)).unwrap();
        assert_eq!(
            read_small(&big, 100, "a JSON file").unwrap_err().reason(),
            "larger than 0 KiB; pass a JSON file"
        );
        assert_eq!(
            read_small(dir.path(), 100, "a JSON file")
                .unwrap_err()
                .reason(),
            "not a regular file; pass a JSON file"
        );
        assert_eq!(
            read_small(Path::new("/dev/zero"), 100, "a JSON file")
                .unwrap_err()
                .reason(),
            "not a regular file; pass a JSON file"
        );
        let latin1 = dir.path().join("latin1.json");
        std::fs::write(&latin1, [0xe9u8]).unwrap();
        assert!(
            read_small(&latin1, 100, "a JSON file")
                .unwrap_err()
                .reason()
                .starts_with("not UTF-8")
        );
        assert!(matches!(
            read_small(&dir.path().join("none"), 100, "x"),
            Err(ReadFailure::Missing(_))
        ));
    }
}
