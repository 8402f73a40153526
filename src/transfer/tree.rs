//! One object of a folder download into its place below the folder, as `sts3 get --recursive`
//! and the TUI's `s` on a folder or on marks both do it: the folders on the way made (a link
//! or a file there is refused, never followed out of the folder), a file of the object's size
//! taken as complete (a re-run fetches only the rest), one of another size replaced only when
//! asked, and the bytes through the download engine into the file's own `.part`, created,
//! synced and renamed in a blocking thread so the other objects' bytes keep coming meanwhile.

use super::{Listener, PartFile, Renewal, found_at, save};
use crate::aws::ObjectStore;
use crate::object::download::Split;
use std::path::{Component, Path, PathBuf};

/// Where one object of a folder download goes, and whether it needs fetching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ready {
    /// Fetch it into this path (the folders on the way are made).
    Fetch(PathBuf),
    /// A file of its size is there: taken as complete.
    Present,
    /// A file of another size is there, and is not to be replaced.
    Differs(PathBuf),
    /// It cannot be saved there, for this reason.
    Refused(String),
}

/// Gets `root/relative` ready for an object of `size` bytes (`force`: a file of another size
/// there is replaced).
pub fn ready(root: &Path, relative: &Path, size: u64, force: bool) -> Ready {
    if let Err(why) = folders_to(root, relative) {
        return Ready::Refused(why);
    }
    let path = root.join(relative);
    match std::fs::symlink_metadata(&path) {
        Ok(meta) if meta.is_file() && meta.len() == size => Ready::Present,
        Ok(meta) if meta.is_file() && !force => Ready::Differs(path),
        Ok(meta) if !meta.is_file() => {
            let found = found_at(&path).map_or("not a file", super::Found::name);
            Ready::Refused(format!(
                "{} is {found}; sts3 never replaces one",
                path.display()
            ))
        }
        _ => Ready::Fetch(path),
    }
}

/// Creates the folders from `root` down to `relative`'s parent, each a real folder: a symbolic
/// link (or a file) on the way is refused, never followed out of the chosen folder.
fn folders_to(root: &Path, relative: &Path) -> Result<(), String> {
    let mut at = root.to_path_buf();
    let Some(parent) = relative.parent() else {
        return Ok(());
    };
    for part in parent.components() {
        let Component::Normal(name) = part else {
            return Err(format!(
                "{} is not a path inside the folder",
                relative.display()
            ));
        };
        at.push(name);
        // Made here, or there already (before, or by another object meanwhile): then it must
        // be a folder itself, not a link to one.
        match std::fs::create_dir(&at) {
            Ok(()) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(format!("cannot create {}: {e}", at.display())),
        }
        if !std::fs::symlink_metadata(&at).is_ok_and(|m| m.is_dir()) {
            let what = found_at(&at).map_or("gone", super::Found::name);
            return Err(format!(
                "{} is {what}; sts3 does not write through it",
                at.display()
            ));
        }
    }
    Ok(())
}

/// Creates `path`'s `.part` in a blocking thread (the disk may be slow: the other objects'
/// bytes keep coming meanwhile).
pub async fn create_part(path: &Path) -> Result<PartFile, String> {
    let at = path.to_path_buf();
    blocking(move || PartFile::create(&at).map_err(|e| e.to_string()))
        .await
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Downloads `key` (of the size the listing said) into `file`, then syncs and renames it in a
/// blocking thread; the bytes written, or why not (the `.part` removed, unless the next
/// download of it resumes it).
pub async fn fetch_into(
    s3: &dyn ObjectStore,
    listed: (super::Source<'_>, u64),
    mut file: PartFile,
    split: Split,
    renewal: &mut impl Renewal,
    listener: &mut impl Listener,
) -> Result<u64, String> {
    let part = file.part().to_path_buf();
    let (src, size) = listed;
    match save(s3, (src, Some(size)), &mut file, split, renewal, listener).await {
        Ok(n) => {
            let finished = blocking(move || file.finish()).await.map(|()| n);
            if finished.is_err() {
                super::discard(&part);
            }
            finished
        }
        Err(e) => Err(super::kept_note(e.to_string(), &part)),
    }
}

/// `work`'s answer, run in a blocking thread.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| Err(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::{Ready, ready};
    use std::path::Path;

    #[test]
    fn a_place_is_fetched_kept_or_refused_by_what_is_there() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // Nothing there: the folders on the way are made.
        assert_eq!(
            ready(root, Path::new("a/b/c.txt"), 5, false),
            Ready::Fetch(root.join("a/b/c.txt"))
        );
        assert!(root.join("a/b").is_dir());
        std::fs::write(root.join("a/b/c.txt"), b"12345").unwrap();
        assert_eq!(
            ready(root, Path::new("a/b/c.txt"), 5, false),
            Ready::Present
        );
        assert_eq!(
            ready(root, Path::new("a/b/c.txt"), 6, false),
            Ready::Differs(root.join("a/b/c.txt"))
        );
        assert_eq!(
            ready(root, Path::new("a/b/c.txt"), 6, true),
            Ready::Fetch(root.join("a/b/c.txt")),
            "forced: replaced"
        );
        // A folder where the file goes, a file where a folder goes.
        assert_eq!(
            ready(root, Path::new("a/b"), 0, true),
            Ready::Refused(format!(
                "{} is a folder; sts3 never replaces one",
                root.join("a/b").display()
            ))
        );
        assert_eq!(
            ready(root, Path::new("a/b/c.txt/d"), 1, false),
            Ready::Refused(format!(
                "{} is a file; sts3 does not write through it",
                root.join("a/b/c.txt").display()
            ))
        );
    }

    #[test]
    fn a_link_on_the_way_is_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::os::unix::fs::symlink(elsewhere.path(), root.join("sub")).unwrap();
        assert_eq!(
            ready(root, Path::new("sub/deep/x"), 1, false),
            Ready::Refused(format!(
                "{} is a symbolic link; sts3 does not write through it",
                root.join("sub").display()
            ))
        );
        assert!(
            std::fs::read_dir(elsewhere.path())
                .unwrap()
                .next()
                .is_none()
        );
        std::os::unix::fs::symlink(elsewhere.path().join("f"), root.join("f")).unwrap();
        assert_eq!(
            ready(root, Path::new("f"), 1, true),
            Ready::Refused(format!(
                "{} is a symbolic link; sts3 never replaces one",
                root.join("f").display()
            ))
        );
        // A folder that cannot be made is said as such.
        let long = "d".repeat(300);
        let Ready::Refused(why) = ready(root, &Path::new(&long).join("x"), 1, false) else {
            panic!("made a folder of a 300-byte name");
        };
        assert!(
            why.starts_with(&format!("cannot create {}: ", root.join(&long).display())),
            "{why}"
        );
        // A path that climbs out is no path inside the folder.
        assert!(matches!(
            ready(root, Path::new("../x/y"), 1, false),
            Ready::Refused(_)
        ));
    }

    /// Gives up at once.
    struct GiveUp;

    impl crate::transfer::Renewal for GiveUp {
        async fn renewed(
            &mut self,
            failure: crate::failure::AwsFailure,
        ) -> Result<(), crate::failure::AwsFailure> {
            Err(failure)
        }
    }

    struct Quiet;

    impl crate::transfer::Listener for Quiet {
        fn progressed(&mut self, _: &crate::object::download::Transfer) {}
        fn resuming(&mut self, _: u64, _: &str) {}
    }

    #[tokio::test]
    async fn a_fetch_lands_whole_or_leaves_no_part() {
        use crate::transfer::fake::{FakeStore, OpenStep};
        let dir = tempfile::tempdir().unwrap();
        let split = crate::object::download::Split {
            part_size: 8,
            parallel: 2,
        };
        let data: Vec<u8> = (0..20).collect();
        let store = FakeStore::new(data.clone(), "\"0123456789abcdef0123456789abcdef-2\"", []);
        let path = dir.path().join("o.bin");
        let file = super::create_part(&path).await.unwrap();
        assert!(dir.path().join("o.bin.part").exists());
        let got = super::fetch_into(
            &store,
            (crate::transfer::Source::latest("b", "o.bin"), 20),
            file,
            split,
            &mut GiveUp,
            &mut Quiet,
        )
        .await;
        assert_eq!(got, Ok(20));
        assert_eq!(std::fs::read(&path).unwrap(), data);
        assert!(!dir.path().join("o.bin.part").exists(), "renamed");
        let refused = crate::failure::AwsFailure::new(
            crate::failure::ErrorKind::AccessDenied,
            Some("AccessDenied"),
            "no",
        );
        let store = FakeStore::new(data, "\"x\"", [OpenStep::Fail(refused)]);
        let other = dir.path().join("p.bin");
        let file = super::create_part(&other).await.unwrap();
        let got = super::fetch_into(
            &store,
            (crate::transfer::Source::latest("b", "p.bin"), 20),
            file,
            split,
            &mut GiveUp,
            &mut Quiet,
        )
        .await;
        assert_eq!(got, Err("AccessDenied: no".to_string()));
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no .part left, only o.bin"
        );
        // A .part that cannot be made is said with its path.
        let missing = dir.path().join("nowhere/q.bin");
        let Err(why) = super::create_part(&missing).await else {
            panic!("made in a missing folder");
        };
        assert!(
            why.starts_with(&format!("cannot write {}: ", missing.display())),
            "{why}"
        );
    }
}
