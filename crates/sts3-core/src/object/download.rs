//! A download's pure half: the file it goes to (never one outside the chosen folder, never an
//! existing one by surprise), how far it got, where it resumes, how it is checked at the end,
//! and how its progress reads.

use crate::bucket::{Etag, human_size};
use md5::{Digest, Md5};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CheckError {
    #[error("got {got} bytes of {expected}; the download is incomplete")]
    Size { got: u64, expected: u64 },
    #[error("the bytes do not match the object's MD5 (its ETag {etag}); the download is corrupt")]
    Md5 { etag: String },
    #[error(
        "the bytes do not match the object's {checksum} checksum S3 keeps (its ETag {etag}); the download is corrupt"
    )]
    Checksum { checksum: String, etag: String },
    #[error("the object changed during the download (its ETag was {etag}); nothing was kept")]
    Changed { etag: String },
}

/// The file name a key is saved under: its last segment, with control characters, bidi
/// controls (`bidi\u{202e}gpj.exe` would show as `bidiexe.jpg`) and backslashes replaced by
/// `_`; `None` for a folder key or a name that is only dots.
pub fn file_name(key: &str) -> Option<String> {
    let last = key.rsplit('/').next().unwrap_or(key);
    if last.is_empty() || last.chars().all(|c| c == '.') {
        return None;
    }
    Some(
        last.chars()
            .map(|c| {
                let hidden = c.is_control() || crate::escape::is_bidi_control(c);
                if hidden || c == '\\' { '_' } else { c }
            })
            .collect(),
    )
}

/// `path`, or the first of `name (1).ext`, `name (2).ext`, ... that does not exist.
pub fn keep_both(path: &Path, exists: impl Fn(&Path) -> bool) -> PathBuf {
    if !exists(path) {
        return path.to_path_buf();
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    (1..=u32::MAX)
        .map(|n| path.with_file_name(format!("{stem} ({n}){ext}")))
        .find(|p| !exists(p))
        .unwrap_or_else(|| path.to_path_buf())
}

/// The longest file name most file systems take, in bytes (`NAME_MAX`).
pub const NAME_MAX: usize = 255;

/// Where the bytes go until the download is complete: `NAME.part` beside the target. A name too
/// long for `.part` to fit in [`NAME_MAX`] keeps its first 200 bytes and a digest of the whole
/// name instead (`NAME….1a2b3c4d.part`), so every name can be saved and each has its own.
pub fn part_path(target: &Path) -> PathBuf {
    with_suffix(target, ".part")
}

/// Where a download in parts keeps what its `.part` holds, so that the next download of the
/// same object resumes it: `NAME.part.sts3` beside it ([`PartsDone`]).
pub fn resume_path(part: &Path) -> PathBuf {
    with_suffix(part, ".sts3")
}

/// `target` with `SUFFIX` after its name, which keeps its first 200 bytes and a digest of the
/// whole when both do not fit in [`NAME_MAX`].
fn with_suffix(target: &Path, suffix: &str) -> PathBuf {
    let name = target.file_name().unwrap_or_default();
    if name.len() + suffix.len() <= NAME_MAX {
        let mut part = name.to_os_string();
        part.push(suffix);
        return target.with_file_name(part);
    }
    let whole = name.to_string_lossy();
    let mut head = 200.min(whole.len());
    while !whole.is_char_boundary(head) {
        head -= 1;
    }
    let digest = Md5::digest(whole.as_bytes());
    let short = digest[..4].iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    });
    target.with_file_name(format!("{}….{short}{suffix}", &whole[..head]))
}

/// How far a download got: the bytes received, the object's size and ETag as the first answer
/// gave them (every resumed request must match that ETag), and the running MD5 when the ETag
/// is one to check it against (a single-part object's: a multipart or encrypted object's ETag
/// is not an MD5 of its bytes, and hashing them would only cost CPU).
#[derive(Debug, Clone)]
pub struct Transfer {
    pub size: u64,
    pub etag: Option<String>,
    pub received: u64,
    md5: Option<Md5>,
    /// The ETag may be an MD5 of the bytes (not for SSE-KMS or SSE-C objects, whose ETags S3
    /// makes otherwise though they look like one).
    digest_etag: bool,
}

impl Transfer {
    pub fn new(size: u64, etag: Option<String>) -> Self {
        let md5 = etag
            .as_deref()
            .and_then(|e| Etag::parse(e).md5())
            .map(|_| Md5::new());
        Self {
            size,
            etag,
            received: 0,
            md5,
            digest_etag: true,
        }
    }

    /// The same download, of an object encrypted with SSE-KMS or SSE-C: its ETag is no MD5 of
    /// its bytes, so none is checked (size and ETag still are).
    #[must_use]
    pub fn encrypted(self) -> Self {
        Self {
            md5: None,
            digest_etag: false,
            ..self
        }
    }

    /// The same download, of bytes the client checks against the object's whole checksum as
    /// they come: they are not hashed as well. Should that check be lost (a stream resumed by
    /// range, whose answer carries no checksum), [`Transfer::md5_after`] says what the file's
    /// MD5 must be.
    #[must_use]
    pub fn unhashed(self) -> Self {
        Self { md5: None, ..self }
    }

    /// A download whose bytes come in parts, out of order: they are counted, not hashed as
    /// they come; [`Transfer::md5_after`] says what the whole file's MD5 must be.
    pub fn in_parts(size: u64, etag: Option<String>) -> Self {
        Self::new(size, etag).unhashed()
    }

    /// The MD5 the whole file must have when its bytes were not hashed as they came (a
    /// download in parts of a single-part object): the shell reads the file back to check it.
    pub fn md5_after(&self) -> Option<[u8; 16]> {
        if self.md5.is_some() || !self.digest_etag {
            return None;
        }
        Etag::parse(self.etag.as_deref()?).md5()
    }

    /// The check of the MD5 of the whole file (see [`Transfer::md5_after`]).
    pub fn check_digest(&self, digest: [u8; 16]) -> Result<(), CheckError> {
        match self.md5_after() {
            Some(expected) if expected != digest => Err(CheckError::Md5 {
                etag: self.etag.clone().unwrap_or_default(),
            }),
            _ => Ok(()),
        }
    }

    /// Whether the bytes are hashed to check them against the ETag.
    pub fn checks_md5(&self) -> bool {
        self.md5.is_some()
    }

    /// Takes in the next bytes of the body.
    pub fn received(&mut self, bytes: &[u8]) {
        self.received += bytes.len() as u64;
        if let Some(md5) = &mut self.md5 {
            md5.update(bytes);
        }
    }

    pub fn is_complete(&self) -> bool {
        self.received >= self.size
    }

    /// The end checks: every byte, and the MD5 when the ETag is one (a single-part upload;
    /// multipart and encrypted objects' ETags are not).
    pub fn check(self) -> Result<(), CheckError> {
        if self.received != self.size {
            return Err(CheckError::Size {
                got: self.received,
                expected: self.size,
            });
        }
        let (Some(etag), Some(md5)) = (self.etag, self.md5) else {
            return Ok(());
        };
        match Etag::parse(&etag).md5() {
            Some(expected) if <[u8; 16]>::from(md5.finalize()) != expected => {
                Err(CheckError::Md5 { etag })
            }
            _ => Ok(()),
        }
    }
}

/// The MD5 of everything `reader` holds.
pub fn md5_of(reader: impl std::io::Read) -> std::io::Result<[u8; 16]> {
    let mut md5 = Md5::new();
    read_through(reader, |bytes| md5.update(bytes))?;
    Ok(md5.finalize().into())
}

/// Hands `take` everything `reader` holds, a MiB at a time at most (a read a signal
/// interrupted is read again).
pub(crate) fn read_through(
    mut reader: impl std::io::Read,
    mut take: impl FnMut(&[u8]),
) -> std::io::Result<()> {
    let mut buf = vec![0; 1 << 20];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => take(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// How a large object is downloaded: in ranged GETs, `parallel` at once, each written at its
/// offset, the first of `part_size` bytes (its answer tells the object's size) and the others
/// cut by [`Split::cut`]. An object no larger than a part, or `parallel` 1, is one stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    pub part_size: u64,
    pub parallel: usize,
}

/// The longest a piece after the first is made, unless the part size is longer.
pub const MAX_STEP: u64 = 64 << 20;

/// How many pieces each of `parallel` streams is given at least, when pieces are made longer
/// than a part: the streams that end first take the rest, so none idles long at the end.
const PIECES_PER_STREAM: u64 = 2;

impl Split {
    /// Whether an object of `size` bytes goes in parts.
    pub fn in_parts(self, size: u64) -> bool {
        self.parallel > 1 && size > self.part_size
    }

    /// How an object of `size` bytes is cut: after the first part, in pieces of a whole
    /// number of parts, as few as keep every stream busy to the end ([`PIECES_PER_STREAM`]
    /// each) and none longer than [`MAX_STEP`]. Each request costs a round trip, and the
    /// service the work of finding the bytes and checking the session: measured on the local
    /// service, a 1 GiB object in 64 MiB pieces cost it a fifth less CPU than in 8 MiB ones.
    pub fn cut(self, size: u64) -> Cut {
        let part = self.part_size.max(1);
        let streams = u64::try_from(self.parallel.max(1)).unwrap_or(u64::MAX);
        let per_stream = size / streams.saturating_mul(PIECES_PER_STREAM);
        let most = (MAX_STEP / part).max(1);
        Cut {
            first: part,
            step: part * (per_stream / part).clamp(1, most),
        }
    }
}

/// Where a download in parts is cut: its first piece is `first` bytes long, every other one
/// `step` (the last no longer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cut {
    pub first: u64,
    pub step: u64,
}

impl Cut {
    /// The byte ranges of an object of `size` bytes, `[from, end)` each, in order.
    pub fn pieces(self, size: u64) -> Vec<Piece> {
        let first = self.first.max(1).min(size);
        let step = self.step.max(1);
        let piece = |from: u64, end: u64| Piece { from, end, got: 0 };
        let rest = (first..size).step_by(usize::try_from(step).unwrap_or(usize::MAX));
        (size > 0)
            .then(|| piece(0, first))
            .into_iter()
            .chain(rest.map(|from| piece(from, from.saturating_add(step).min(size))))
            .collect()
    }

    /// How many pieces an object of `size` bytes is cut in.
    fn count(self, size: u64) -> u64 {
        let first = self.first.max(1).min(size);
        u64::from(size > 0) + (size - first).div_ceil(self.step.max(1))
    }
}

/// What a download in parts has on disk, written beside its `.part` ([`resume_path`]) each
/// time the file is synced and when it stops short: the object it is of (its ETag and size),
/// where it is cut, and the parts whose bytes are all on disk. The next download of the object
/// takes them as they are when the object is still that one, and asks only for the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartsDone {
    pub etag: String,
    pub size: u64,
    pub cut: Cut,
    /// The indexes of the parts on disk, in order.
    pub done: Vec<usize>,
}

/// The first line of a [`PartsDone`] file: what it is, and its format's version.
const PARTS_DONE_HEAD: &str = "sts3 download in parts 2";

impl PartsDone {
    /// As written to its file: a line for each field.
    pub fn to_text(&self) -> String {
        let done: Vec<String> = self.done.iter().map(ToString::to_string).collect();
        format!(
            "{PARTS_DONE_HEAD}\netag {}\nsize {}\npart_size {}\nstep {}\ndone {}\n",
            self.etag,
            self.size,
            self.cut.first,
            self.cut.step,
            done.join(" ")
        )
    }

    /// Read back from its file; `None` for anything else (another version, a torn write, a
    /// part out of range: the download starts over).
    pub fn parse(text: &str) -> Option<Self> {
        let mut lines = text.lines();
        if lines.next()? != PARTS_DONE_HEAD {
            return None;
        }
        let mut field = |name: &str| {
            let line = lines.next()?;
            line.strip_prefix(name)?
                .strip_prefix(' ')
                .map(str::to_string)
        };
        let etag = field("etag").filter(|e| !e.is_empty())?;
        let size = field("size")?.parse().ok()?;
        let mut positive = |name: &str| field(name)?.parse().ok().filter(|n: &u64| *n > 0);
        let first = positive("part_size")?;
        let step = positive("step")?;
        // A cut sts3 makes (see `Split::cut`): whole parts, no longer than it would; an
        // edited step of 1 would be a piece a byte.
        let cut = Cut { first, step };
        if step % first != 0 || step > first.max(MAX_STEP) {
            return None;
        }
        let done: Vec<usize> = field("done")?
            .split_whitespace()
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        let parts = usize::try_from(cut.count(size)).ok()?;
        if done.iter().any(|i| *i >= parts) || !done.is_sorted_by(|a, b| a < b) {
            return None;
        }
        Some(Self {
            etag,
            size,
            cut,
            done,
        })
    }

    /// Part `i` is all written (kept in order, once).
    pub fn mark(&mut self, i: usize) {
        if let Err(at) = self.done.binary_search(&i) {
            self.done.insert(at, i);
        }
    }

    /// The parts it has on disk of the object `etag`, `size` bytes, whose first part is
    /// `split`'s (the first request asks for that many bytes); none when it is of another
    /// object, version or first part. The rest of its cut is kept as it was (see
    /// [`PartsDone::cut`]), whatever `split.parallel` is now.
    pub fn usable_for(&self, etag: &str, size: u64, split: Split) -> &[usize] {
        if self.etag == etag && self.size == size && self.cut.first == split.part_size {
            &self.done
        } else {
            &[]
        }
    }
}

/// One range of a download in parts, and how many of its bytes are on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub from: u64,
    /// Where it ends (exclusive).
    pub end: u64,
    pub got: u64,
}

impl Piece {
    /// Where the next request for it starts.
    pub fn next(self) -> u64 {
        self.from + self.got
    }

    /// The last byte to ask for (a `Range`'s inclusive end).
    pub fn last(self) -> u64 {
        self.end - 1
    }

    /// Bytes still to come.
    pub fn left(self) -> u64 {
        self.end - self.next()
    }

    pub fn is_complete(self) -> bool {
        self.left() == 0
    }
}

/// `12.0 MiB of 20.0 MiB (60%) · 4.1 MiB/s · 2s left`.
pub fn progress_text(received: u64, size: u64, elapsed: Duration) -> String {
    let percent = if size == 0 {
        100
    } else {
        u128::from(received) * 100 / u128::from(size)
    };
    let millis = elapsed.as_millis().max(1);
    let rate = u64::try_from(u128::from(received) * 1000 / millis).unwrap_or(u64::MAX);
    let mut text = format!(
        "{} of {} ({percent}%) · {}/s",
        human_size(received),
        human_size(size),
        human_size(rate)
    );
    if rate > 0 && received < size {
        let left = (size - received).div_ceil(rate);
        let _ = write!(text, " · {left}s left");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_download_in_parts_has_on_disk_is_read_back_only_whole_and_for_its_object() {
        let done = PartsDone {
            etag: "\"9b2cf535f27731c974343645a3985328-128\"".into(),
            size: 1_073_741_824,
            cut: Cut {
                first: 8_388_608,
                step: 8_388_608,
            },
            done: vec![0, 1, 2, 7, 127],
        };
        let text = done.to_text();
        assert_eq!(
            text,
            "sts3 download in parts 2\netag \"9b2cf535f27731c974343645a3985328-128\"\nsize 1073741824\npart_size 8388608\nstep 8388608\ndone 0 1 2 7 127\n"
        );
        assert_eq!(PartsDone::parse(&text), Some(done.clone()));
        let split = Split {
            part_size: 8_388_608,
            parallel: 8,
        };
        assert_eq!(
            done.usable_for(&done.etag, done.size, split),
            [0, 1, 2, 7, 127]
        );
        // Another number of streams: the cut it was written in goes on.
        let more = Split {
            parallel: 2,
            ..split
        };
        assert_eq!(done.usable_for(&done.etag, done.size, more).len(), 5);
        // Another version, size or first part of the object: nothing of it is used.
        assert!(done.usable_for("\"other\"", done.size, split).is_empty());
        assert!(done.usable_for(&done.etag, done.size - 1, split).is_empty());
        let other_cut = Split {
            part_size: 16_777_216,
            ..split
        };
        assert!(done.usable_for(&done.etag, done.size, other_cut).is_empty());
        let mut marked = done.clone();
        for i in [5, 0, 200, 5] {
            marked.mark(i);
        }
        assert_eq!(marked.done, [0, 1, 2, 5, 7, 127, 200], "in order, once");
        // A cut of 64 MiB pieces after an 8 MiB part (17 parts in all) reads back.
        let longest = text
            .replace("step 8388608", "step 67108864")
            .replace(" 127\n", " 16\n");
        assert_eq!(
            PartsDone::parse(&longest).map(|d| (d.cut.step, d.done)),
            Some((67_108_864, vec![0, 1, 2, 7, 16]))
        );
        // None done yet reads back too.
        let none = PartsDone {
            done: Vec::new(),
            ..done.clone()
        };
        assert_eq!(PartsDone::parse(&none.to_text()), Some(none));
        // Anything else starts over: torn, another format, a part out of range or twice.
        for bad in [
            String::new(),
            text.replace("parts 2", "parts 1"),
            text.replace("step 8388608\n", ""),
            text.replace("step 8388608", "step 0"),
            text.replace("step 8388608", "step 1"),
            text.replace("step 8388608", "step 8388609"),
            text.replace("step 8388608", "step 134217728")
                .replace(" 127\n", "\n"),
            text.replace("done 0 1 2 7 127\n", ""),
            text.replace("127", "128"),
            text.replace("0 1 2", "0 2 2"),
            text.replace("0 1 2", "1 0 2"),
            text.replace("size 1073741824", "size lots"),
            text.replace("part_size 8388608", "part_size 0"),
            text.replace("etag \"9b2cf535f27731c974343645a3985328-128\"", "etag "),
            text.replace("done 0", "done x"),
            text.replace("etag", "tag"),
        ] {
            assert_eq!(PartsDone::parse(&bad), None, "{bad:?}");
        }
        assert_eq!(
            resume_path(&part_path(Path::new("/d/big.bin"))),
            Path::new("/d/big.bin.part.sts3")
        );
        // A name as long as fits with .part: the file beside it still fits.
        let long = "n".repeat(NAME_MAX - 5);
        let part = part_path(&Path::new("/d").join(&long));
        let kept = resume_path(&part);
        let name = kept.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.len() <= NAME_MAX, "{name}");
        assert_eq!(kept.extension().unwrap(), "sts3");
        assert_ne!(
            kept,
            resume_path(&part_path(&Path::new("/d").join(&long[1..])))
        );
    }

    #[test]
    fn a_key_is_saved_under_its_last_segment_and_nowhere_else() {
        assert_eq!(
            file_name("photos/2024/IMG 1.jpg").as_deref(),
            Some("IMG 1.jpg")
        );
        assert_eq!(file_name("README.md").as_deref(), Some("README.md"));
        assert_eq!(file_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(file_name("a/bell\u{7}\\x").as_deref(), Some("bell__x"));
        // A bidi override would show `bidi\u{202e}gpj.exe` as "bidiexe.jpg".
        assert_eq!(
            file_name("bidi\u{202e}gpj.exe").as_deref(),
            Some("bidi_gpj.exe")
        );
        assert_eq!(file_name("c1\u{9b}x").as_deref(), Some("c1_x"));
        assert_eq!(file_name("photos/"), None, "a folder marker");
        assert_eq!(file_name("a/.."), None);
        assert_eq!(file_name("."), None);
        assert_eq!(file_name("a/.hidden").as_deref(), Some(".hidden"));
    }

    #[test]
    fn keeping_both_numbers_the_new_file() {
        let taken = ["/d/report.pdf", "/d/report (1).pdf", "/d/notes"];
        let exists = |p: &Path| taken.iter().any(|t| Path::new(t) == p);
        assert_eq!(
            keep_both(Path::new("/d/new.pdf"), exists),
            Path::new("/d/new.pdf")
        );
        assert_eq!(
            keep_both(Path::new("/d/report.pdf"), exists),
            Path::new("/d/report (2).pdf")
        );
        assert_eq!(
            keep_both(Path::new("/d/notes"), exists),
            Path::new("/d/notes (1)")
        );
    }

    #[test]
    fn the_part_file_is_beside_the_target() {
        assert_eq!(
            part_path(Path::new("/d/a.tar.gz")),
            Path::new("/d/a.tar.gz.part")
        );
    }

    #[test]
    fn a_name_too_long_for_its_part_file_gets_a_short_one_of_its_own() {
        let fits = "n".repeat(NAME_MAX - 5);
        let part = part_path(&Path::new("/d").join(&fits));
        assert_eq!(part, Path::new("/d").join(format!("{fits}.part")));
        for len in [NAME_MAX - 4, NAME_MAX] {
            let long = "é".repeat(len / 2) + &"x".repeat(len % 2);
            let part = part_path(&Path::new("/d").join(&long));
            let name = part.file_name().unwrap().to_str().unwrap();
            assert!(name.len() <= NAME_MAX, "{} bytes: {name}", name.len());
            assert!(name.starts_with(&"é".repeat(100)), "{name}");
            assert_eq!(&name[name.len() - 5..], ".part", "{name}");
            assert_eq!(part.parent(), Some(Path::new("/d")));
        }
        // Cut on a character's start, never inside one: byte 200 is inside an é here.
        let odd = "x".to_string() + &"é".repeat(130);
        let part = part_path(&Path::new("/d").join(&odd));
        let name = part.file_name().unwrap().to_str().unwrap();
        let kept = "x".to_string() + &"é".repeat(99) + "….";
        assert!(name.starts_with(&kept), "{name}");
        assert_eq!(
            name.len(),
            kept.len() + 8 + 5,
            "8 hex digits and .part: {name}"
        );
        let a = part_path(&Path::new("/d").join("a".repeat(260)));
        let b = part_path(&Path::new("/d").join("a".repeat(259) + "b"));
        assert_ne!(a, b, "two long names that start alike");
    }

    #[test]
    fn a_transfer_resumes_where_it_stopped_and_checks_the_md5() {
        // MD5("hello world") = 5eb63bbbe01eeed093cb22bb8f5acdc3
        let mut t = Transfer::new(11, Some("\"5eb63bbbe01eeed093cb22bb8f5acdc3\"".into()));
        assert_eq!(t.received, 0);
        t.received(b"hello");
        assert_eq!(t.received, 5, "a resumed request starts here");
        assert!(!t.is_complete());
        t.received(b" world");
        assert!(t.is_complete());
        assert_eq!(t.check(), Ok(()));

        let mut bad = Transfer::new(11, Some("\"5eb63bbbe01eeed093cb22bb8f5acdc3\"".into()));
        bad.received(b"hello World");
        assert!(matches!(bad.check(), Err(CheckError::Md5 { .. })));

        let mut short = Transfer::new(11, None);
        short.received(b"hello");
        assert_eq!(
            short.check(),
            Err(CheckError::Size {
                got: 5,
                expected: 11
            })
        );
    }

    #[test]
    fn a_multipart_etag_is_not_an_md5_and_is_not_checked_as_one() {
        let mut t = Transfer::new(5, Some("\"0123456789abcdef0123456789abcdef-3\"".into()));
        assert!(
            !t.checks_md5(),
            "its bytes are not hashed: the ETag could not tell"
        );
        t.received(b"hello");
        assert_eq!(t.check(), Ok(()));
        assert!(!Transfer::new(5, None).checks_md5());
        // An encrypted object's ETag looks like an MD5 and is not one: nothing is checked.
        let md5_like = Some("\"5eb63bbbe01eeed093cb22bb8f5acdc3\"".to_string());
        let mut kms = Transfer::new(5, md5_like.clone()).encrypted();
        assert!(!kms.checks_md5());
        kms.received(b"other");
        assert!(kms.check().is_ok());
        let parts = Transfer::in_parts(5, md5_like).encrypted();
        assert_eq!(parts.md5_after(), None);
        assert!(parts.check_digest([0; 16]).is_ok());
        assert!(Transfer::new(5, Some("\"5eb63bbbe01eeed093cb22bb8f5acdc3\"".into())).checks_md5());
    }

    /// `hello world`'s MD5, as S3 quotes a single-part object's ETag.
    const HELLO_WORLD: &str = "\"5eb63bbbe01eeed093cb22bb8f5acdc3\"";

    #[test]
    fn bytes_checked_as_they_come_are_not_hashed_and_their_md5_is_there_to_read_back() {
        let mut t = Transfer::new(11, Some(HELLO_WORLD.into())).unhashed();
        assert!(!t.checks_md5());
        t.received(b"hello there");
        assert_eq!(
            t.md5_after(),
            Some(<[u8; 16]>::from(Md5::digest(b"hello world"))),
            "the MD5 a read-back must find"
        );
        assert!(t.check_digest(Md5::digest(b"hello there").into()).is_err());
        assert_eq!(t.check(), Ok(()), "only the size is checked as they come");
        // An encrypted object's stays unchecked by MD5, read back or not.
        let kms = Transfer::new(11, Some(HELLO_WORLD.into()))
            .encrypted()
            .unhashed();
        assert_eq!(kms.md5_after(), None);
    }

    #[test]
    fn a_download_in_parts_is_counted_as_it_comes_and_its_md5_checked_after() {
        let mut t = Transfer::in_parts(11, Some(HELLO_WORLD.into()));
        assert!(
            !t.checks_md5(),
            "parts come out of order: not hashed as they come"
        );
        t.received(b" world");
        t.received(b"hello");
        assert_eq!(t.received, 11);
        let right = md5_of(&b"hello world"[..]).unwrap();
        assert_eq!(Some(right), t.md5_after());
        assert_eq!(t.check_digest(right), Ok(()));
        assert_eq!(
            t.check_digest(md5_of(&b"hello wOrld"[..]).unwrap()),
            Err(CheckError::Md5 {
                etag: HELLO_WORLD.into()
            })
        );
        assert_eq!(t.check(), Ok(()), "every byte is in");
        // A stream hashes as it goes: nothing is left to check after.
        assert_eq!(
            Transfer::new(11, Some(HELLO_WORLD.into())).md5_after(),
            None
        );
        // A multipart object's ETag is not an MD5: any digest will do.
        let multipart =
            Transfer::in_parts(5, Some("\"0123456789abcdef0123456789abcdef-3\"".into()));
        assert_eq!(multipart.md5_after(), None);
        assert_eq!(multipart.check_digest([0; 16]), Ok(()));
        assert_eq!(Transfer::in_parts(5, None).md5_after(), None);
    }

    #[test]
    fn the_md5_of_a_reader_covers_every_byte_past_the_buffer() {
        let big = vec![7u8; (1 << 20) + 3];
        let mut whole = Md5::new();
        whole.update(&big);
        assert_eq!(
            md5_of(&big[..]).unwrap(),
            <[u8; 16]>::from(whole.finalize())
        );
        assert_eq!(
            md5_of(&b""[..]).unwrap(),
            Etag::parse("\"d41d8cd98f00b204e9800998ecf8427e\"")
                .md5()
                .unwrap()
        );
    }

    /// A reader interrupted once (a signal), then `bytes`, then failing with `error` if given.
    struct Flaky {
        interrupted: bool,
        bytes: &'static [u8],
        error: Option<std::io::ErrorKind>,
    }

    impl std::io::Read for Flaky {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if !self.interrupted {
                self.interrupted = true;
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            if !self.bytes.is_empty() {
                let n = self.bytes.len().min(buf.len());
                buf[..n].copy_from_slice(&self.bytes[..n]);
                self.bytes = &self.bytes[n..];
                return Ok(n);
            }
            match self.error {
                Some(kind) => Err(kind.into()),
                None => Ok(0),
            }
        }
    }

    #[test]
    fn an_interrupted_read_is_read_again_and_a_failed_one_is_the_error() {
        let flaky = |error| Flaky {
            interrupted: false,
            bytes: b"hello world",
            error,
        };
        assert_eq!(
            md5_of(flaky(None)).unwrap(),
            md5_of(&b"hello world"[..]).unwrap()
        );
        let failed = md5_of(flaky(Some(std::io::ErrorKind::PermissionDenied))).unwrap_err();
        assert_eq!(failed.kind(), std::io::ErrorKind::PermissionDenied);
    }

    #[test]
    fn a_large_object_is_split_into_ranges_that_cover_it_once() {
        let split = Split {
            part_size: 10,
            parallel: 4,
        };
        assert!(!split.in_parts(10), "one part: one stream");
        assert!(split.in_parts(11));
        assert!(
            !Split {
                parallel: 1,
                ..split
            }
            .in_parts(1000),
            "one at a time: one stream"
        );
        let pieces = split.cut(25).pieces(25);
        let ranges = |pieces: &[Piece]| -> Vec<(u64, u64)> {
            pieces.iter().map(|p| (p.from, p.end)).collect()
        };
        assert_eq!(ranges(&pieces), [(0, 10), (10, 20), (20, 25)]);
        assert_eq!(split.cut(20).pieces(20).len(), 2);
        assert!(split.cut(0).pieces(0).is_empty());
        let cut = Cut {
            first: 10,
            step: 25,
        };
        assert_eq!(ranges(&cut.pieces(5)), [(0, 5)]);
        assert_eq!(ranges(&cut.pieces(10)), [(0, 10)]);
        assert_eq!(ranges(&cut.pieces(36)), [(0, 10), (10, 35), (35, 36)]);
        for size in [0, 5, 10, 11, 35, 36, 60, 61] {
            assert_eq!(cut.count(size), cut.pieces(size).len() as u64, "{size}");
        }
        let mut last = pieces[2];
        assert_eq!((last.next(), last.last(), last.left()), (20, 24, 5));
        assert!(!last.is_complete());
        last.got = 3;
        assert_eq!((last.next(), last.left()), (23, 2));
        last.got = 5;
        assert!(last.is_complete());
    }

    #[test]
    fn a_large_object_is_cut_in_pieces_of_whole_parts_two_or_more_a_stream_and_at_most_64_mib() {
        const MIB: u64 = 1 << 20;
        let split = |part_size, parallel| Split {
            part_size: part_size * MIB,
            parallel,
        };
        let cut = |part, parallel, size: u64| {
            let cut = split(part, parallel).cut(size * MIB);
            assert_eq!(cut.first, part * MIB, "the first request's");
            cut.step / MIB
        };
        // 1 GiB, 8 at once: 16 pieces of 64 MiB after the first (the last 56 MiB).
        assert_eq!(cut(8, 8, 1_024), 64);
        assert_eq!(split(8, 8).cut(1_024 * MIB).pieces(1_024 * MIB).len(), 17);
        // Smaller, or more at once: shorter pieces, still whole parts, never under one.
        assert_eq!(cut(8, 8, 256), 16);
        assert_eq!(cut(8, 8, 255), 8);
        assert_eq!(cut(8, 8, 100), 8);
        assert_eq!(cut(8, 16, 1_024), 32);
        assert_eq!(cut(8, 64, 1_024), 8);
        assert_eq!(cut(5, 8, 1_000), 60);
        // Larger: never over 64 MiB, unless a part is.
        assert_eq!(cut(8, 8, 100_000), 64);
        assert_eq!(cut(100, 8, 100_000), 100);
        assert_eq!(cut(8, 1, 1_024), 64);
        assert_eq!(cut(48, 2, 1_024), 48);
        assert_eq!(
            split(8, 0).cut(1_024 * MIB).step,
            64 * MIB,
            "0 streams is one"
        );
    }

    #[test]
    fn progress_reads_bytes_percent_rate_and_time_left() {
        assert_eq!(
            progress_text(12 * 1024 * 1024, 20 * 1024 * 1024, Duration::from_secs(3)),
            "12.0 MiB of 20.0 MiB (60%) · 4.0 MiB/s · 2s left"
        );
        assert_eq!(
            progress_text(100, 100, Duration::from_secs(1)),
            "100 B of 100 B (100%) · 100 B/s"
        );
        assert_eq!(
            progress_text(0, 0, Duration::ZERO),
            "0 B of 0 B (100%) · 0 B/s"
        );
        // Nothing received yet: no rate, so no guess at the time left.
        assert_eq!(
            progress_text(0, 100, Duration::from_secs(1)),
            "0 B of 100 B (0%) · 0 B/s"
        );
    }
}
