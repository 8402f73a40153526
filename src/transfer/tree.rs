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
        match found_at(&at) {
            None => match std::fs::create_dir(&at) {
                Ok(()) => {}
                // Another object made it meanwhile.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && at.is_dir() => {}
                Err(e) => return Err(format!("cannot create {}: {e}", at.display())),
            },
            Some(_) if std::fs::symlink_metadata(&at).is_ok_and(|m| m.is_dir()) => {}
            Some(found) => {
                return Err(format!(
                    "{} is {}; sts3 does not write through it",
                    at.display(),
                    found.name()
                ));
            }
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

/// Downloads `key` into `file`, then syncs and renames it in a blocking thread; the bytes
/// written, or why not (the `.part` removed).
pub async fn fetch_into(
    s3: &dyn ObjectStore,
    (bucket, key): (&str, &str),
    mut file: PartFile,
    split: Split,
    renewal: &mut impl Renewal,
    listener: &mut impl Listener,
) -> Result<u64, String> {
    let part = file.part().to_path_buf();
    let outcome = match save(s3, bucket, key, &mut file, split, renewal, listener).await {
        Ok(n) => blocking(move || file.finish()).await.map(|()| n),
        Err(e) => Err(e.to_string()),
    };
    if outcome.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    outcome
}

/// `work`'s answer, run in a blocking thread.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| Err(e.to_string()))
}
