//! A download in parts checked against the checksum S3 keeps of the object (see
//! [`crate::object::checksum`]), when there is no MD5 to check it by. The checksum is asked
//! while the parts come; from then on each part that starts computes its CRC as its bytes
//! go by, and at the end only the parts that began before (and the ones an earlier download
//! left) are read back from the file. A composite whose parts are not the download's is
//! read back whole, in its own parts.

use super::{TransferError, changed_error, precondition_failed};
use crate::aws::{ObjectStore, Source};
use crate::object::checksum::{PieceCrc, Stored};
use crate::object::download::{CheckError, Piece, Split};
use std::fs::File;

/// The checksum, once known, and each part's CRC so far.
pub(super) struct Crcs {
    /// The checksum, when the parts can be checked one by one as they come.
    by_pieces: Option<Stored>,
    /// Each part's CRC, of the bytes it took in (none for a part that began before the
    /// checksum was known).
    pieces: Vec<Option<PieceCrc>>,
    piece_size: u64,
}

impl Crcs {
    pub(super) fn new(pieces: usize, piece_size: u64) -> Self {
        Self {
            by_pieces: None,
            pieces: vec![None; pieces],
            piece_size,
        }
    }

    /// The checksum is known: the parts that start from now on compute their CRCs.
    pub(super) fn known(&mut self, stored: &Stored) {
        if stored.by_pieces(self.piece_size) {
            self.by_pieces = Some(stored.clone());
        }
    }

    /// The CRC for part `i` to go on with from where it is: the one it had, if it covers
    /// what the part holds; a new one for a part that starts.
    pub(super) fn take(&mut self, i: usize, piece: Piece) -> Option<PieceCrc> {
        let stored = self.by_pieces.as_ref()?;
        match self.pieces[i].take() {
            Some(crc) if crc.covered() == piece.got => Some(crc),
            _ if piece.got == 0 => Some(stored.piece_crc()),
            _ => None,
        }
    }

    /// Part `i`'s CRC, once it stopped (whole or not).
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
    let ranges = to_check(&stored, crcs, pieces);
    let file = file.try_clone()?;
    let checksum = stored.to_string();
    let matches = tokio::task::spawn_blocking(move || read_back(&stored, &file, &ranges))
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

/// What to check `stored` by: where each piece starts, its length, and its CRC when it was
/// computed whole as it came (else it is read back). The download's own pieces when the
/// checksum can be checked by them, else the checksum's parts.
fn to_check(stored: &Stored, crcs: Crcs, pieces: &[Piece]) -> Vec<(u64, u64, Option<u64>)> {
    if stored.by_pieces(crcs.piece_size) {
        return pieces
            .iter()
            .zip(crcs.pieces)
            .map(|(p, crc)| {
                let len = p.end - p.from;
                let whole = crc.filter(|c| c.covered() == len);
                (p.from, len, whole.map(|c| c.value()))
            })
            .collect();
    }
    let size = pieces.last().map_or(0, |p| p.end);
    let parts = Split {
        part_size: stored.piece_size(crcs.piece_size),
        parallel: 1,
    };
    parts
        .pieces(size)
        .into_iter()
        .map(|p| (p.from, p.end - p.from, None))
        .collect()
}

/// Whether the pieces' CRCs (those not computed yet read from `file`) make `stored`.
fn read_back(
    stored: &Stored,
    file: &File,
    ranges: &[(u64, u64, Option<u64>)],
) -> std::io::Result<bool> {
    use std::io::{Read as _, Seek as _};
    let mut crcs = Vec::with_capacity(ranges.len());
    for &(from, len, crc) in ranges {
        let crc = if let Some(crc) = crc {
            crc
        } else {
            let mut f = file;
            f.seek(std::io::SeekFrom::Start(from))?;
            stored.crc_of(f.take(len))?
        };
        crcs.push((crc, len));
    }
    Ok(stored.matches(&crcs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::object::checksum::Answer;

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
    fn parts_take_a_crc_only_once_the_checksum_is_known_and_from_their_start() {
        let mut crcs = Crcs::new(3, 10);
        assert!(crcs.take(0, piece(0, 0)).is_none(), "not known yet");
        crcs.known(&stored("AAAAAA==", "FULL_OBJECT", 10));
        let mut crc = crcs.take(1, piece(10, 0)).expect("a part that starts");
        crc.update(b"abc");
        crcs.put(1, Some(crc));
        // Resumed where it broke: the same CRC goes on.
        let again = crcs.take(1, piece(10, 3)).expect("the CRC of its 3 bytes");
        assert_eq!(again.covered(), 3);
        // A part that began before (bytes in, no CRC), or whose CRC is not of what it holds.
        assert!(crcs.take(0, piece(0, 4)).is_none());
        crcs.put(2, Some(again));
        assert!(crcs.take(2, piece(20, 5)).is_none());
        assert!(crcs.pieces[2].is_none(), "taken, and not put back");
    }

    #[test]
    fn only_the_pieces_whose_crc_covers_them_whole_are_not_read_back() {
        let whole = stored("AAAAAA==", "FULL_OBJECT", 10);
        let mut crcs = Crcs::new(3, 10);
        crcs.known(&whole);
        let mut full = crcs.take(1, piece(10, 0)).unwrap();
        full.update(&[7; 10]);
        let value = full.value();
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
            to_check(&whole, crcs, &pieces),
            [(0, 10, None), (10, 10, Some(value)), (20, 5, None)]
        );
        // A composite of 9-byte parts, downloaded in pieces of 10: read back in its parts.
        let mut crcs = Crcs::new(3, 10);
        let composite = Stored::from_answer(&Answer {
            checksums: vec![("CRC32C".into(), "AAAAAA==-3".into())],
            kind: None,
            size: 25,
            first_part: Some(9),
        })
        .unwrap();
        crcs.known(&composite);
        assert_eq!(
            to_check(&composite, crcs, &pieces),
            [(0, 9, None), (9, 9, None), (18, 7, None)]
        );
    }

    #[test]
    fn a_composite_of_other_parts_than_the_downloads_takes_no_crc_as_it_comes() {
        let mut crcs = Crcs::new(3, 10);
        crcs.known(&stored("AAAAAA==-3", "COMPOSITE", 9));
        assert!(crcs.take(0, piece(0, 0)).is_none());
        crcs.known(&stored("AAAAAA==-3", "COMPOSITE", 10));
        assert!(crcs.take(0, piece(0, 0)).is_some());
    }
}
