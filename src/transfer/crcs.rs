//! A download in parts checked against the checksum S3 keeps of the object (see
//! [`crate::object::checksum`]), when there is no MD5 to check it by. The checksum is asked
//! while the parts come, and no part waits for it: from its answer on, each part computes
//! its CRCs as its bytes go by (one for each of the checksum's parts it runs over, whatever
//! the download's cut), and at the end only the bytes that came before the answer (and the
//! parts an earlier download left) are read back from the file.

use super::{TransferError, changed_error, precondition_failed};
use crate::aws::{ObjectStore, Source};
use crate::object::checksum::{Crc, PieceCrc, Stored};
use crate::object::download::{CheckError, Piece};
use std::fs::File;

/// The checksum, once known, and each part's CRCs so far.
pub(super) struct Crcs {
    stored: Option<Stored>,
    /// Each part's CRCs, of the bytes it took in since the checksum was known (none before).
    pieces: Vec<Option<PieceCrc>>,
}

impl Crcs {
    pub(super) fn new(pieces: usize) -> Self {
        Self {
            stored: None,
            pieces: vec![None; pieces],
        }
    }

    /// The checksum is known: the parts that start from now on compute their CRCs.
    pub(super) fn known(&mut self, stored: &Stored) {
        self.stored = Some(stored.clone());
    }

    /// The CRCs for part `i` to go on with from where it is: the ones it had, if they reach
    /// that far; else new ones from there (what it holds before is read back).
    pub(super) fn take(&mut self, i: usize, piece: Piece) -> Option<PieceCrc> {
        match self.pieces[i].take() {
            Some(crc) if crc.next() == piece.next() => Some(crc),
            _ => self.start_at(piece.next()),
        }
    }

    /// New CRCs from the object's byte `at`, once the checksum is known.
    pub(super) fn start_at(&self, at: u64) -> Option<PieceCrc> {
        self.stored.as_ref().map(|stored| stored.piece_crc(at))
    }

    /// Part `i`'s CRCs, once it stopped (whole or not).
    pub(super) fn put(&mut self, i: usize, crc: Option<PieceCrc>) {
        self.pieces[i] = crc;
    }
}

/// The checksum S3 keeps of the object under `etag`, if one can check it; a failure to ask is
/// none (the download's bytes can still all be in), but an object replaced meanwhile is.
pub(super) async fn ask(
    s3: &dyn ObjectStore,
    src: Source<'_>,
    etag: &str,
) -> Result<Option<Stored>, TransferError> {
    match s3.stored_checksum(src, etag).await {
        Ok(answer) => Ok(Stored::from_answer(&answer)),
        Err(f) if precondition_failed(&f) => Err(changed_error(etag)),
        Err(_) => Ok(None),
    }
}

/// Checks `file`, downloaded in `pieces` (with `crcs` of them), against `stored`.
pub(super) async fn check(
    stored: Stored,
    crcs: Crcs,
    pieces: &[Piece],
    file: &File,
    etag: &str,
) -> Result<(), TransferError> {
    let ranges = to_check(crcs, pieces);
    let file = file.try_clone()?;
    let checksum = stored.to_string();
    let matches = tokio::task::spawn_blocking(move || read_back(&stored, &file, ranges))
        .await
        .map_err(std::io::Error::other)??;
    if matches {
        Ok(())
    } else {
        Err(TransferError::Check(CheckError::Checksum {
            checksum,
            etag: etag.to_string(),
        }))
    }
}

/// Ranges of the file, in order: where each starts, its length, and its CRCs when they were
/// computed as its bytes came (else it is read back).
type ToCheck = Vec<(u64, u64, Option<Vec<Crc>>)>;

/// What to check the checksum by: the download's pieces, each with its CRCs if they run to
/// its end (what they do not cover before is read back), else read back whole.
fn to_check(crcs: Crcs, pieces: &[Piece]) -> ToCheck {
    let mut ranges = Vec::with_capacity(pieces.len());
    for (p, crc) in pieces.iter().zip(crcs.pieces) {
        match crc.filter(|c| c.next() == p.end && c.from() >= p.from) {
            Some(crc) => {
                let from = crc.from();
                if from > p.from {
                    ranges.push((p.from, from - p.from, None));
                }
                ranges.push((from, p.end - from, Some(crc.into_crcs())));
            }
            None => ranges.push((p.from, p.end - p.from, None)),
        }
    }
    ranges
}

/// Whether the pieces' CRCs (those not computed yet read from `file`) make `stored`.
fn read_back(stored: &Stored, file: &File, ranges: ToCheck) -> std::io::Result<bool> {
    use std::io::{Read as _, Seek as _};
    let mut crcs = Vec::with_capacity(ranges.len());
    for (from, len, known) in ranges {
        if let Some(known) = known {
            crcs.extend(known);
        } else {
            let mut f = file;
            f.seek(std::io::SeekFrom::Start(from))?;
            crcs.extend(stored.crc_of(from, f.take(len))?);
        }
    }
    Ok(stored.matches(&crcs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::object::checksum::Answer;
    use base64::Engine as _;

    fn stored(value: &str, kind: &str, first_part: u64) -> Stored {
        Stored::from_answer(&Answer {
            checksums: vec![("CRC32C".into(), value.into())],
            kind: Some(kind.into()),
            size: 25,
            first_part: Some(first_part),
        })
        .unwrap()
    }

    fn piece(from: u64, got: u64) -> Piece {
        Piece {
            from,
            end: from + 10,
            got,
        }
    }

    #[test]
    fn parts_take_crcs_once_the_checksum_is_known_from_where_they_are() {
        let mut crcs = Crcs::new(3);
        assert!(crcs.take(0, piece(0, 0)).is_none(), "not known yet");
        crcs.known(&stored("AAAAAA==", "FULL_OBJECT", 10));
        let mut crc = crcs.take(1, piece(10, 0)).expect("a part that starts");
        crc.update(b"abc");
        crcs.put(1, Some(crc));
        // Resumed where it broke: the same CRC goes on.
        let again = crcs.take(1, piece(10, 3)).expect("the CRC of its 3 bytes");
        assert_eq!(again.covered(), 3);
        // A part that began before (bytes in, no CRC), or whose CRC is not of what it holds:
        // new CRCs from where it is.
        let late = crcs.take(0, piece(0, 4)).unwrap();
        assert_eq!((late.from(), late.covered()), (4, 0));
        crcs.put(2, Some(again));
        let other = crcs.take(2, piece(20, 5)).unwrap();
        assert_eq!((other.from(), other.covered()), (25, 0));
        assert!(crcs.pieces[2].is_none(), "taken, and not put back");
    }

    #[test]
    fn only_the_pieces_whose_crcs_cover_them_whole_are_not_read_back() {
        let whole = stored("AAAAAA==", "FULL_OBJECT", 10);
        let mut crcs = Crcs::new(3);
        crcs.known(&whole);
        let mut full = crcs.take(1, piece(10, 0)).unwrap();
        full.update(&[7; 10]);
        let value = full.clone().into_crcs();
        crcs.put(1, Some(full));
        let mut short = crcs.take(2, piece(20, 0)).unwrap();
        short.update(&[7; 4]);
        crcs.put(2, Some(short));
        let last = Piece {
            from: 20,
            end: 25,
            got: 5,
        };
        let pieces = [piece(0, 10), piece(10, 10), last];
        assert_eq!(
            to_check(crcs, &pieces),
            [(0, 10, None), (10, 10, Some(value)), (20, 5, None)]
        );
        // CRCs that started on the way (the answer came while the part came, or it resumed
        // without them): only what is before them is read back.
        let mut crcs = Crcs::new(3);
        assert!(crcs.start_at(13).is_none(), "not known yet");
        crcs.known(&whole);
        let mut late = crcs.start_at(13).unwrap();
        late.update(&[7; 7]);
        let value = late.clone().into_crcs();
        crcs.put(1, Some(late));
        let mut resumed = crcs.take(2, Piece { got: 2, ..last }).unwrap();
        assert_eq!((resumed.from(), resumed.next()), (22, 22));
        resumed.update(&[7; 3]);
        let tail = resumed.clone().into_crcs();
        crcs.put(2, Some(resumed));
        assert_eq!(
            to_check(crcs, &pieces),
            [
                (0, 10, None),
                (10, 3, None),
                (13, 7, Some(value)),
                (20, 2, None),
                (22, 3, Some(tail))
            ]
        );
    }

    #[test]
    fn a_composite_of_other_parts_than_the_downloads_is_checked_as_the_pieces_come() {
        // Parts of 9 bytes; the download's pieces of 10: each piece's CRCs are cut where a
        // part ends, and none is read back.
        let data: Vec<u8> = (0..25).collect();
        let crc32c = |bytes: &[u8]| {
            let whole = stored("AAAAAA==", "FULL_OBJECT", 10);
            let crc = whole.crc_of(0, bytes).unwrap()[0].crc;
            u32::try_from(crc).unwrap().to_be_bytes()
        };
        let part_crcs: Vec<u8> = data.chunks(9).flat_map(crc32c).collect();
        let value = base64::engine::general_purpose::STANDARD.encode(crc32c(&part_crcs));
        let composite = stored(&format!("{value}-3"), "COMPOSITE", 9);
        let mut crcs = Crcs::new(3);
        crcs.known(&composite);
        let pieces = [
            piece(0, 10),
            piece(10, 10),
            Piece {
                from: 20,
                end: 25,
                got: 5,
            },
        ];
        for (i, p) in pieces.iter().enumerate() {
            let mut crc = crcs.take(i, Piece { got: 0, ..*p }).unwrap();
            crc.update(&data[usize::try_from(p.from).unwrap()..usize::try_from(p.end).unwrap()]);
            crcs.put(i, Some(crc));
        }
        let ranges = to_check(crcs, &pieces);
        let lens: Vec<Vec<u64>> = ranges
            .iter()
            .map(|(_, _, c)| c.as_ref().unwrap().iter().map(|c| c.len).collect())
            .collect();
        assert_eq!(lens, [vec![9, 1], vec![8, 2], vec![5]], "cut at 9 and 18");
        let file = tempfile_with(&[0; 25]);
        assert!(
            read_back(&composite, &file, ranges).unwrap(),
            "nothing read back"
        );
        // The same, but the second piece began before the checksum was known: read back.
        let file = tempfile_with(&data);
        let mut ranges = to_check(Crcs::new(3), &pieces);
        assert!(read_back(&composite, &file, ranges.clone()).unwrap());
        let mut bad = data.clone();
        bad[17] ^= 1;
        let file = tempfile_with(&bad);
        assert!(!read_back(&composite, &file, ranges.clone()).unwrap());
        ranges[0].2 = Some(composite.crc_of(0, &data[..10]).unwrap());
        assert!(
            !read_back(&composite, &file, ranges).unwrap(),
            "piece 1 read"
        );
    }

    /// A file holding `bytes`.
    fn tempfile_with(bytes: &[u8]) -> File {
        use std::io::Write as _;
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(bytes).unwrap();
        f
    }

    #[test]
    fn parts_take_crcs_as_they_come_whatever_the_checksums_parts() {
        let mut crcs = Crcs::new(3);
        assert!(crcs.take(0, piece(0, 0)).is_none(), "not known yet");
        crcs.known(&stored("AAAAAA==-3", "COMPOSITE", 9));
        assert!(crcs.take(0, piece(0, 0)).is_some());
    }
}
