//! One object of a folder download into its place below the folder, as `sts3 get --recursive`
//! and the TUI's `s` on a folder or on marks both do it: the folders on the way made (a link
//! or a file there is refused, never followed out of the folder), a file of the object's size
//! taken as complete (a re-run fetches only the rest), one of another size replaced only when
//! asked, and the bytes through the download engine into the file's own `.part`, then synced
//! together with the other files waiting (in a blocking thread, so the other objects' bytes
//! keep coming meanwhile) and renamed.

use super::{Listener, PartFile, Renewal, Written, found_at, save};
use crate::aws::ObjectStore;
use crate::object::download::Split;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use tokio::sync::oneshot;

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

/// Creates `path`'s `.part` for an object of `size` bytes, or says why not, naming it. Here,
/// in the task, as the object's bytes are written: handing each small file's creation to a
/// blocking thread cost a folder of 1,000 objects seven futex calls an object and 8% of its
/// CPU, where creating a file takes microseconds. (And a cancel never leaves a `.part` made
/// after it.)
pub fn create_part(path: &Path, size: u64) -> Result<PartFile, String> {
    PartFile::create_for(path, Some(size))
        .map_err(|e| format!("cannot write {}: {e}", super::part_path(path).display()))
}

/// Downloads `key` (of the size the listing said) into `file`, then syncs it with the other
/// files waiting and renames it; the bytes written, or why not (the `.part` removed, unless the
/// next download of it resumes it).
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
            let landed = match file.written() {
                Ok(written) => land(written).await.map(|()| n),
                Err(why) => Err(why),
            };
            if landed.is_err() {
                super::discard(&part);
            }
            landed
        }
        Err(e) => Err(super::kept_note(e.to_string(), &part)),
    }
}

/// A file waiting to be synced and renamed, and who hears how that went.
type Waiting = (Written, oneshot::Sender<Result<(), String>>);

/// The files of folder downloads whose bytes are all written, waiting to be synced to disk and
/// renamed; and the turn to sync them, which one waiting file at a time takes for all.
struct Landing {
    waiting: Mutex<Vec<Waiting>>,
    turn: tokio::sync::Mutex<()>,
}

static LANDING: Landing = Landing {
    waiting: Mutex::new(Vec::new()),
    turn: tokio::sync::Mutex::const_new(()),
};

/// Syncs `written` to disk, then renames it. The files waiting are synced together (one
/// `syncfs` for all those on a file system, where an `fsync` each cost a folder of small objects
/// a fifth of its time): the first to get the turn syncs every file waiting then, the others
/// find theirs done or take the next turn. A file is renamed only once on disk, so a re-run,
/// which takes a file of the object's size as complete, never finds one a power cut emptied.
async fn land(written: Written) -> Result<(), String> {
    let (tx, mut landed) = oneshot::channel();
    lock(&LANDING.waiting).push((written, tx));
    let _turn = LANDING.turn.lock().await;
    if let Ok(landed) = landed.try_recv() {
        // Synced and renamed with those of the turn before.
        return landed;
    }
    let batch = std::mem::take(&mut *lock(&LANDING.waiting));
    // Not cancelled with this task: the batch's files are answered whatever becomes of it.
    let _ = tokio::task::spawn_blocking(move || land_all(batch, sync_each_once)).await;
    landed
        .await
        .unwrap_or_else(|_| Err("the download was stopped before it was saved".into()))
}

/// Syncs every file of `batch` with `sync` (each file system once), then renames each file that
/// is on disk, and tells each one's waiter how it went.
fn land_all(batch: Vec<Waiting>, sync: impl FnOnce(&[&std::fs::File]) -> Vec<std::io::Result<()>>) {
    let files: Vec<&std::fs::File> = batch.iter().map(|(written, _)| &written.file).collect();
    let synced = sync(&files);
    for ((written, tx), synced) in batch.into_iter().zip(synced) {
        let landed = match synced {
            Ok(()) => written.rename(),
            Err(e) => Err(written.cannot(&e)),
        };
        let _ = tx.send(landed);
    }
}

/// Whether each of `files` is on disk: one `syncfs` for each file system they are on (which
/// reports an error that befell any file of it since the file was opened); a file whose file
/// system cannot be told is synced on its own.
#[cfg(target_os = "linux")]
fn sync_each_once(files: &[&std::fs::File]) -> Vec<std::io::Result<()>> {
    sync_by_file_system(files, |file| {
        rustix::fs::syncfs(file).map_err(rustix::io::Errno::raw_os_error)
    })
}

/// Whether each of `files` is on disk, `syncfs` (answering an error number) called once for
/// each file system; a file whose file system cannot be told is synced on its own.
#[cfg(target_os = "linux")]
fn sync_by_file_system(
    files: &[&std::fs::File],
    mut syncfs: impl FnMut(&std::fs::File) -> Result<(), i32>,
) -> Vec<std::io::Result<()>> {
    use std::collections::HashMap;
    use std::os::unix::fs::MetadataExt as _;
    // Each file system synced so far, and how (the system's error number).
    let mut synced: HashMap<u64, Result<(), i32>> = HashMap::new();
    files
        .iter()
        .map(|file| {
            let Ok(dev) = file.metadata().map(|m| m.dev()) else {
                return file.sync_all();
            };
            let once = synced.entry(dev).or_insert_with(|| syncfs(file));
            once.map_err(std::io::Error::from_raw_os_error)
        })
        .collect()
}

/// Whether each of `files` is on disk (synced one by one where there is no `syncfs`).
#[cfg(not(target_os = "linux"))]
fn sync_each_once(files: &[&std::fs::File]) -> Vec<std::io::Result<()>> {
    files.iter().map(|f| f.sync_all()).collect()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
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
        let file = super::create_part(&path, 20).unwrap();
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
        let file = super::create_part(&other, 20).unwrap();
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
        let Err(why) = super::create_part(&missing, 1) else {
            panic!("made in a missing folder");
        };
        assert!(
            why.starts_with(&format!(
                "cannot write {}: ",
                dir.path().join("nowhere/q.bin.part").display()
            )),
            "{why}"
        );
    }

    #[test]
    fn a_small_objects_write_buffer_is_no_larger_than_the_object() {
        let dir = tempfile::tempdir().unwrap();
        let capacity = |name: &str, size| {
            let mut file = super::create_part(&dir.path().join(name), size).unwrap();
            file.writer().capacity()
        };
        assert_eq!(capacity("small", 5_000), 5_000);
        assert_eq!(capacity("empty", 0), 0);
        assert_eq!(capacity("large", 1 << 30), 256 * 1024, "the most, 256 KiB");
        assert_eq!(capacity("huge", u64::MAX), 256 * 1024);
        let mut file = crate::transfer::PartFile::create(&dir.path().join("unknown")).unwrap();
        assert_eq!(file.writer().capacity(), 256 * 1024, "the size not known");
    }

    /// A new `.part` for `dir/name` holding `bytes`, written.
    fn written(dir: &Path, name: &str, bytes: &[u8]) -> super::Written {
        let mut file = crate::transfer::PartFile::create(&dir.join(name)).unwrap();
        std::io::Write::write_all(file.writer(), bytes).unwrap();
        file.written().unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn files_written_at_once_are_each_synced_and_renamed() {
        let dir = tempfile::tempdir().unwrap();
        let mut landing = tokio::task::JoinSet::new();
        for i in 0..64 {
            let w = written(dir.path(), &format!("f{i}"), format!("file {i}").as_bytes());
            landing.spawn(super::land(w));
        }
        while let Some(landed) = landing.join_next().await {
            assert_eq!(landed.unwrap(), Ok(()));
        }
        for i in 0..64 {
            let got = std::fs::read(dir.path().join(format!("f{i}"))).unwrap();
            assert_eq!(got, format!("file {i}").as_bytes());
        }
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            64,
            "no .part"
        );
    }

    #[test]
    fn a_file_not_on_disk_is_not_renamed_and_its_failure_names_its_part() {
        let dir = tempfile::tempdir().unwrap();
        let (tx_a, mut rx_a) = tokio::sync::oneshot::channel();
        let (tx_b, mut rx_b) = tokio::sync::oneshot::channel();
        let batch = vec![
            (written(dir.path(), "a", b"a"), tx_a),
            (written(dir.path(), "b", b"b"), tx_b),
        ];
        super::land_all(batch, |files| {
            assert_eq!(files.len(), 2);
            vec![Ok(()), Err(std::io::Error::from_raw_os_error(5))]
        });
        assert_eq!(rx_a.try_recv().unwrap(), Ok(()));
        assert_eq!(
            rx_b.try_recv().unwrap(),
            Err(format!(
                "cannot write {}: {}",
                dir.path().join("b.part").display(),
                std::io::Error::from_raw_os_error(5)
            ))
        );
        assert!(dir.path().join("a").is_file());
        assert!(!dir.path().join("b").exists(), "not renamed");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_system_is_synced_once_and_how_it_went_is_each_files() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (
            written(dir.path(), "a", b"a"),
            written(dir.path(), "b", b"b"),
        );
        let files = [&a.file, &b.file];
        let mut calls = 0;
        let synced = super::sync_by_file_system(&files, |_| {
            calls += 1;
            Ok(())
        });
        assert_eq!((calls, synced.iter().all(Result::is_ok)), (1, true));
        calls = 0;
        let synced = super::sync_by_file_system(&files, |_| {
            calls += 1;
            Err(28)
        });
        assert_eq!(calls, 1);
        assert_eq!(
            synced
                .iter()
                .map(|r| r.as_ref().err().and_then(std::io::Error::raw_os_error))
                .collect::<Vec<_>>(),
            [Some(28), Some(28)],
            "the error, as the system said it, for each file"
        );
        // The real one, on a real file system.
        assert!(super::sync_each_once(&files).iter().all(Result::is_ok));
    }
}
