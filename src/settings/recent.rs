//! The buckets opened lately, kept in the state directory (`~/.local/state/sts3/recent-buckets`
//! on Linux), one name a line, newest first, readable by the user only.

use std::path::PathBuf;

/// Names kept.
pub const RECENT_MAX: usize = 10;

/// Where the list lives.
pub fn path() -> Option<PathBuf> {
    let dirs = super::project_dirs()?;
    let dir = dirs.state_dir().map_or_else(
        || dirs.data_local_dir().to_path_buf(),
        std::path::Path::to_path_buf,
    );
    Some(dir.join("recent-buckets"))
}

/// The list (empty when there is none, or it cannot be read).
pub fn read() -> Vec<String> {
    path()
        .and_then(|p| super::read::read_small(&p, 64 * 1024, "a list of bucket names").ok())
        .map(|text| parse(&text))
        .unwrap_or_default()
}

/// Valid bucket names of `text`, in order, without repeats, at most [`RECENT_MAX`].
pub fn parse(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in text.lines().map(str::trim) {
        if crate::bucket::valid_bucket_name(name) && !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
    }
    out.truncate(RECENT_MAX);
    out
}

/// `bucket` first, then the others.
pub fn with_first(recent: &[String], bucket: &str) -> Vec<String> {
    let mut out = vec![bucket.to_string()];
    out.extend(recent.iter().filter(|b| *b != bucket).cloned());
    out.truncate(RECENT_MAX);
    out
}

/// Writes the list, 0600, through a temporary file renamed over the old one.
pub fn write(names: &[String]) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let Some(path) = path() else {
        return Ok(());
    };
    if let Some(dir) = path.parent() {
        // sts3's state folder (the debug log lives there too): only its owner may look in.
        use std::os::unix::fs::DirBuilderExt as _;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    let tmp = path.with_extension("tmp");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)?;
    file.write_all((names.join("\n") + "\n").as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&tmp, &path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    #[test]
    fn the_list_keeps_valid_names_once_newest_first_and_at_most_ten() {
        let mut text = "alpha\nBad_Name\nbeta\nalpha\n\n".to_string();
        for i in 0..20 {
            let _ = writeln!(text, "bucket-{i:02}");
        }
        let names = parse(&text);
        assert_eq!(names.len(), RECENT_MAX);
        assert_eq!(names[..3], ["alpha", "beta", "bucket-00"]);
        let moved = with_first(&names, "beta");
        assert_eq!(moved[..3], ["beta", "alpha", "bucket-00"]);
        assert_eq!(moved.len(), RECENT_MAX);
        assert_eq!(with_first(&[], "new")[..], ["new"]);
    }
}
