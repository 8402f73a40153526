//! The checksum S3 keeps of a whole object, and the check of a downloaded file against it.
//!
//! An object put in parts has no MD5 of its bytes anywhere (its ETag is the MD5 of its parts'
//! MD5s), so a download of it is checked by size and ETag only, unless S3 keeps a checksum:
//! asked with `ChecksumMode`, HeadObject answers one per algorithm, either of the whole
//! object (`FULL_OBJECT`: the CRC of every byte) or `COMPOSITE` (`VALUE-N`: the CRC of the N
//! parts' CRCs, each 4 bytes big-endian, in part order). A composite is checked only when the
//! parts are known: `N` parts of the first part's size, the last no larger; every uploader
//! sts3 knows (sts3, the AWS CLI, boto3, s5cmd) puts them so. The CRCs are checked (CRC32,
//! CRC32C, CRC64NVME, the ones SDKs put by default); a SHA-1 or SHA-256 is not, as an answer
//! that does not say which kind its checksum is (moto's HeadObject drops the `-N`). Pure: the
//! HeadObject is in `aws::s3::object`, the file's reading in `transfer`.

use base64::Engine as _;
use crc_fast::{CrcAlgorithm, Digest};
use std::fmt;

/// A CRC S3 keeps, by the name its header carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Crc32,
    Crc32c,
    Crc64Nvme,
}

impl Algorithm {
    /// From the name in `x-amz-checksum-NAME` (`CRC32`, `CRC32C`, `CRC64NVME`).
    pub fn named(name: &str) -> Option<Self> {
        match name {
            "CRC32" => Some(Self::Crc32),
            "CRC32C" => Some(Self::Crc32c),
            "CRC64NVME" => Some(Self::Crc64Nvme),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Crc32 => "CRC32",
            Self::Crc32c => "CRC32C",
            Self::Crc64Nvme => "CRC64NVME",
        }
    }

    fn crc(self) -> CrcAlgorithm {
        match self {
            Self::Crc32 => CrcAlgorithm::Crc32IsoHdlc,
            Self::Crc32c => CrcAlgorithm::Crc32Iscsi,
            Self::Crc64Nvme => CrcAlgorithm::Crc64Nvme,
        }
    }

    /// How many bytes its value has (S3 sends them big-endian, in base64).
    fn width(self) -> usize {
        match self {
            Self::Crc32 | Self::Crc32c => 4,
            Self::Crc64Nvme => 8,
        }
    }
}

/// What the checksum covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Every byte, in one CRC.
    FullObject,
    /// The CRC of `parts` parts' CRCs, each `part_size` bytes but the last.
    Composite { parts: u32, part_size: u64 },
}

/// A checksum S3 keeps of an object, in a form a download can be checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub algorithm: Algorithm,
    /// The CRC, as a number.
    value: u64,
    pub shape: Shape,
    /// The object's size.
    size: u64,
}

/// What HeadObject with `ChecksumMode` answered of an object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answer {
    /// `x-amz-checksum-NAME` headers: the algorithm's name and the value.
    pub checksums: Vec<(String, String)>,
    /// `x-amz-checksum-type`: `FULL_OBJECT` or `COMPOSITE`, when the server says.
    pub kind: Option<String>,
    /// The object's size.
    pub size: u64,
    /// The length of its first part (a HeadObject of part 1), when asked.
    pub first_part: Option<u64>,
}

impl Answer {
    /// Whether its checksum is one of parts (the type says so, or a value ends in `-N`): then
    /// the length of part 1 is needed to check it.
    pub fn of_parts(&self) -> bool {
        self.kind.as_deref() == Some("COMPOSITE")
            || self.checksums.iter().any(|(_, v)| v.contains('-'))
    }
}

impl Stored {
    /// The checksum a download can be checked against, if `answer` has one: a CRC whose kind
    /// is said (the type header, or a composite's `-N`), and, for a composite, parts of one
    /// size that add up to the object's.
    pub fn from_answer(answer: &Answer) -> Option<Self> {
        answer.checksums.iter().find_map(|(name, value)| {
            let algorithm = Algorithm::named(name)?;
            let (crc, parts) = match value.split_once('-') {
                Some((crc, n)) => (crc, Some(n.parse::<u32>().ok()?)),
                None => (value.as_str(), None),
            };
            let value = decode(crc, algorithm.width())?;
            let shape = match (answer.kind.as_deref(), parts) {
                (Some("FULL_OBJECT"), None) => Shape::FullObject,
                (Some("COMPOSITE") | None, Some(parts)) => Shape::Composite {
                    parts,
                    part_size: uniform_parts(answer.size, parts, answer.first_part?)?,
                },
                _ => return None,
            };
            Some(Self {
                algorithm,
                value,
                shape,
                size: answer.size,
            })
        })
    }

    /// Whether a download in pieces of `piece_size` bytes (the last no larger) can check
    /// each piece's CRC on its own, as it comes: always for a CRC of the whole object (the
    /// pieces' CRCs combine), for a composite when the pieces are its parts.
    pub fn by_pieces(&self, piece_size: u64) -> bool {
        match self.shape {
            Shape::FullObject => true,
            Shape::Composite { part_size, .. } => part_size == piece_size,
        }
    }

    /// The pieces' size to check the bytes by: `piece_size` when [`Stored::by_pieces`], else
    /// the checksum's parts.
    pub fn piece_size(&self, piece_size: u64) -> u64 {
        match self.shape {
            Shape::Composite { part_size, .. } => part_size,
            Shape::FullObject => piece_size,
        }
    }

    /// The CRC of one piece, as its bytes come.
    pub fn piece_crc(&self) -> PieceCrc {
        PieceCrc {
            digest: Digest::new(self.algorithm.crc()),
            covered: 0,
        }
    }

    /// The CRC of everything `reader` holds.
    pub fn crc_of(&self, reader: impl std::io::Read) -> std::io::Result<u64> {
        let mut crc = self.piece_crc();
        super::download::read_through(reader, |bytes| crc.update(bytes))?;
        Ok(crc.value())
    }

    /// Whether pieces whose CRCs and lengths are `pieces`, in order, are the bytes the
    /// checksum was made of (the pieces of [`Stored::piece_size`]).
    pub fn matches(&self, pieces: &[(u64, u64)]) -> bool {
        let size: u64 = pieces.iter().map(|(_, len)| len).sum();
        if size != self.size {
            return false;
        }
        let alg = self.algorithm.crc();
        match self.shape {
            Shape::FullObject => {
                let empty = crc_fast::checksum(alg, b"");
                let whole = pieces.iter().fold(empty, |whole, &(crc, len)| {
                    crc_fast::checksum_combine(alg, whole, crc, len)
                });
                whole == self.value
            }
            Shape::Composite { parts, part_size } => {
                let width = self.algorithm.width();
                let mut of_parts = Digest::new(alg);
                for (crc, len) in pieces {
                    of_parts.update(&crc.to_be_bytes()[8 - width..]);
                    if *len > part_size {
                        return false;
                    }
                }
                pieces.len() == parts as usize && of_parts.finalize() == self.value
            }
        }
    }
}

/// One piece's CRC as its bytes come in, and how many have.
#[derive(Clone)]
pub struct PieceCrc {
    digest: Digest,
    covered: u64,
}

impl PieceCrc {
    pub fn update(&mut self, bytes: &[u8]) {
        self.digest.update(bytes);
        self.covered += bytes.len() as u64;
    }

    /// The bytes it has taken in.
    pub fn covered(&self) -> u64 {
        self.covered
    }

    pub fn value(&self) -> u64 {
        self.digest.finalize()
    }
}

impl fmt::Display for Stored {
    /// `CRC32C` or `CRC32C of 3 parts`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.algorithm.name())?;
        if let Shape::Composite { parts, .. } = self.shape {
            write!(f, " of {parts} parts")?;
        }
        Ok(())
    }
}

/// A CRC's base64 value, `width` bytes big-endian.
fn decode(base64: &str, width: usize) -> Option<u64> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(base64)
        .ok()?;
    (bytes.len() == width).then(|| bytes.iter().fold(0, |v, b| (v << 8) | u64::from(*b)))
}

/// The part size of `parts` parts of `first` bytes each, the last one no larger, that add up
/// to `size`; `None` if they cannot.
fn uniform_parts(size: u64, parts: u32, first: u64) -> Option<u64> {
    let before_last = u64::from(parts.checked_sub(1)?).checked_mul(first)?;
    // (A first part of 0 bytes adds up to no size: `size - 0 <= 0` only for nothing, which
    // `0 < size` refuses.)
    (before_last < size && size - before_last <= first).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    fn crc32c(bytes: &[u8]) -> [u8; 4] {
        crc_fast::crc32_iscsi(bytes).to_be_bytes()
    }

    /// The composite CRC32C S3 gives `data` put in parts of `part` bytes.
    fn composite(data: &[u8], part: usize) -> String {
        let crcs: Vec<u8> = data.chunks(part).flat_map(crc32c).collect();
        format!("{}-{}", b64(&crc32c(&crcs)), data.chunks(part).count())
    }

    fn answer(name: &str, value: &str, kind: Option<&str>, size: u64, first: u64) -> Answer {
        Answer {
            checksums: vec![(name.into(), value.into())],
            kind: kind.map(str::to_string),
            size,
            first_part: Some(first),
        }
    }

    /// Whether `data` checks against `stored`, in pieces of `piece` bytes, each read in
    /// `chunk`s.
    fn check_by(stored: &Stored, data: &[u8], piece: usize, chunk: usize) -> bool {
        let crcs: Vec<(u64, u64)> = data
            .chunks(piece)
            .map(|p| {
                let mut crc = stored.piece_crc();
                for c in p.chunks(chunk) {
                    crc.update(c);
                }
                assert_eq!(crc.covered(), p.len() as u64);
                (crc.value(), p.len() as u64)
            })
            .collect();
        stored.matches(&crcs)
    }

    /// Whether `data` checks against `stored`, read back from a reader in its pieces.
    fn check(stored: &Stored, data: &[u8], chunk: usize) -> bool {
        let piece = usize::try_from(stored.piece_size(chunk as u64)).unwrap();
        let crcs: Vec<(u64, u64)> = data
            .chunks(piece.max(1))
            .map(|p| (stored.crc_of(p).unwrap(), p.len() as u64))
            .collect();
        stored.matches(&crcs)
    }

    fn data(n: usize) -> Vec<u8> {
        (0..n).map(|i| u8::try_from(i * 7 % 251).unwrap()).collect()
    }

    #[test]
    fn a_composite_crc32c_is_the_crc_of_the_parts_crcs_whatever_the_reads() {
        let data = data(2_500);
        let value = composite(&data, 1_000);
        assert!(value.ends_with("-3"));
        let stored =
            Stored::from_answer(&answer("CRC32C", &value, Some("COMPOSITE"), 2_500, 1_000))
                .unwrap();
        assert_eq!(
            stored.shape,
            Shape::Composite {
                parts: 3,
                part_size: 1_000
            }
        );
        assert_eq!(stored.to_string(), "CRC32C of 3 parts");
        // Pieces that are the parts, each as it comes in reads of any size; or read back in
        // the parts whatever the pieces were.
        assert!(stored.by_pieces(1_000));
        for chunk in [1, 7, 999, 1_000, 4_096] {
            assert!(check_by(&stored, &data, 1_000, chunk), "reads of {chunk}");
        }
        for piece in [1_usize, 999, 1_000, 1_001, 4_096] {
            assert_eq!(stored.by_pieces(piece as u64), piece == 1_000);
            assert_eq!(stored.piece_size(piece as u64), 1_000);
            assert!(check(&stored, &data, piece), "pieces of {piece}");
        }
        // Pieces that are not the parts are not the composite.
        assert!(!check_by(&stored, &data, 999, 4_096));
        assert!(
            !check_by(&stored, &data, 1_250, 4_096),
            "two pieces for three parts"
        );
        let part =
            |r: std::ops::Range<usize>| (stored.crc_of(&data[r.clone()]).unwrap(), r.len() as u64);
        let (a, b, c) = (part(0..1_000), part(1_000..2_000), part(2_000..2_500));
        assert!(stored.matches(&[a, b, c]));
        assert!(!stored.matches(&[a, c, b]), "out of order");
        // The right CRCs said of pieces too long for a part (the sizes still add up).
        assert!(!stored.matches(&[(a.0, 1_500), (b.0, 500), c]));
        let mut flipped = data.clone();
        flipped[1_500] ^= 1;
        assert!(!check(&stored, &flipped, 4_096), "a byte changed");
        assert!(!check(&stored, &data[..2_499], 4_096), "a byte short");
        let mut longer = data.clone();
        longer.push(0);
        assert!(!check(&stored, &longer, 4_096), "a byte more");
    }

    #[test]
    fn the_composite_seaweedfs_answered_for_a_multipart_upload_checks() {
        // Put with boto3 in three parts (5 MiB of 1s, 5 MiB of 2s, 1,000 3s), CRC32: SeaweedFS
        // and moto both answered `Gblk+w==-3`.
        let part = 5 << 20;
        let mut data = vec![1; part];
        data.extend(vec![2; part]);
        data.extend(vec![3; 1_000]);
        let size = data.len() as u64;
        let stored =
            Stored::from_answer(&answer("CRC32", "Gblk+w==-3", None, size, part as u64)).unwrap();
        assert!(check(&stored, &data, 1 << 20));
        data[part] = 1;
        assert!(!check(&stored, &data, 1 << 20));
    }

    #[test]
    fn a_composite_of_a_whole_number_of_parts_counts_its_last_part_once() {
        let data = data(3_000);
        let stored = Stored::from_answer(&answer(
            "CRC32C",
            &composite(&data, 1_000),
            None,
            3_000,
            1_000,
        ))
        .unwrap();
        assert!(check(&stored, &data, 1_000));
        assert!(check(&stored, &data, 512));
        // The same bytes, counted as other parts, are not the same composite.
        let other = Stored::from_answer(&answer(
            "CRC32C",
            &composite(&data, 1_500),
            None,
            3_000,
            1_500,
        ))
        .unwrap();
        assert!(check(&other, &data, 512));
        let mut swapped = other.clone();
        swapped.shape = stored.shape;
        assert!(!check(&swapped, &data, 512));
    }

    #[test]
    fn full_object_crcs_are_of_every_byte() {
        let data = data(5_000);
        let crc32 = crc_fast::crc32_iso_hdlc(&data).to_be_bytes();
        let crc64 = crc_fast::crc64_nvme(&data).to_be_bytes();
        for (name, value) in [("CRC32", b64(&crc32)), ("CRC64NVME", b64(&crc64))] {
            let stored =
                Stored::from_answer(&answer(name, &value, Some("FULL_OBJECT"), 5_000, 1_000))
                    .unwrap();
            assert_eq!(stored.shape, Shape::FullObject);
            assert_eq!(stored.to_string(), name);
            // Any pieces: their CRCs combine.
            assert!(stored.by_pieces(777));
            assert_eq!(stored.piece_size(777), 777);
            assert!(check_by(&stored, &data, 777, 100), "{name} in pieces");
            assert!(
                check_by(&stored, &data, 5_000, 5_000),
                "{name} in one piece"
            );
            assert!(check(&stored, &data, 333), "{name}");
            assert!(!check(&stored, &data[1..], 333), "{name} a byte short");
            let mut flipped = data.clone();
            flipped[0] ^= 0x80;
            assert!(!check(&stored, &flipped, 333), "{name} a byte changed");
        }
        // An empty object's CRC.
        let empty = b64(&crc32c(b""));
        let stored =
            Stored::from_answer(&answer("CRC32C", &empty, Some("FULL_OBJECT"), 0, 0)).unwrap();
        assert!(check(&stored, b"", 1));
    }

    #[test]
    fn a_checksum_is_checked_only_when_its_kind_and_parts_are_known() {
        let data = data(2_500);
        let value = composite(&data, 1_000);
        let bare = value.split_once('-').unwrap().0.to_string();
        let none = |a: Answer| assert_eq!(Stored::from_answer(&a), None, "{a:?}");
        // A value without -N whose kind is not said (moto), or said to be a composite.
        none(answer("CRC32C", &bare, None, 2_500, 1_000));
        none(answer("CRC32C", &bare, Some("COMPOSITE"), 2_500, 1_000));
        // A -N value said to be of the full object.
        none(answer("CRC32C", &value, Some("FULL_OBJECT"), 2_500, 1_000));
        // Parts whose sizes cannot be told: part 1 not asked, or the parts do not add up.
        none(Answer {
            first_part: None,
            ..answer("CRC32C", &value, None, 2_500, 1_000)
        });
        for first in [0, 800, 1_250, 2_500] {
            none(answer("CRC32C", &value, None, 2_500, first));
        }
        // Not a CRC, not base64, the wrong width, no part count.
        none(answer("SHA256", &value, None, 2_500, 1_000));
        none(answer("CRC32C", "not base64!-3", None, 2_500, 1_000));
        none(answer(
            "CRC32C",
            &format!("{}-3", b64(&[1, 2, 3])),
            None,
            2_500,
            1_000,
        ));
        none(answer("CRC32C", &format!("{bare}-x"), None, 2_500, 1_000));
        none(answer("CRC32C", &format!("{bare}-"), None, 2_500, 1_000));
        // A SHA-256 beside a CRC: the CRC is the one checked.
        let mut both = answer("SHA256", "xyz", None, 2_500, 1_000);
        both.checksums.push(("CRC32C".into(), value));
        let stored = Stored::from_answer(&both).unwrap();
        assert_eq!(stored.algorithm, Algorithm::Crc32c);
        assert!(check(&stored, &data, 100));
    }

    #[test]
    fn a_checksum_of_parts_is_told_by_its_type_or_its_count() {
        let of = |kind: Option<&str>, value: &str| {
            Answer {
                checksums: vec![("CRC32C".into(), value.into())],
                kind: kind.map(str::to_string),
                ..Answer::default()
            }
            .of_parts()
        };
        assert!(of(Some("COMPOSITE"), "AAAAAA=="), "the type alone");
        assert!(of(None, "AAAAAA==-3"), "the count alone (moto's GetObject)");
        assert!(!of(Some("FULL_OBJECT"), "AAAAAA=="));
        assert!(!of(None, "AAAAAA=="));
        assert!(!Answer::default().of_parts(), "no checksum");
    }

    #[test]
    fn uniform_parts_add_up_to_the_size() {
        assert_eq!(uniform_parts(2_500, 3, 1_000), Some(1_000));
        assert_eq!(uniform_parts(3_000, 3, 1_000), Some(1_000));
        assert_eq!(uniform_parts(2_001, 3, 1_000), Some(1_000));
        assert_eq!(uniform_parts(2_000, 3, 1_000), None, "the last part empty");
        assert_eq!(uniform_parts(3_001, 3, 1_000), None, "the last part larger");
        assert_eq!(uniform_parts(7, 1, 7), Some(7));
        assert_eq!(uniform_parts(7, 0, 7), None);
        assert_eq!(uniform_parts(5, 1, 0), None, "parts of nothing");
        assert_eq!(uniform_parts(0, 1, 0), None, "nothing in parts");
        assert_eq!(uniform_parts(u64::MAX, u32::MAX, u64::MAX), None);
    }

    #[test]
    fn algorithms_have_their_header_names() {
        for a in [Algorithm::Crc32, Algorithm::Crc32c, Algorithm::Crc64Nvme] {
            assert_eq!(Algorithm::named(a.name()), Some(a));
        }
        assert_eq!(Algorithm::named("SHA1"), None);
    }
}
