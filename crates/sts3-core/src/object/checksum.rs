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

    /// The CRCs of a piece of the download that starts at byte `from`, as its bytes come.
    pub fn piece_crc(&self, from: u64) -> PieceCrc {
        let alg = self.algorithm.crc();
        PieceCrc {
            alg,
            part_size: match self.shape {
                Shape::Composite { part_size, .. } => Some(part_size),
                Shape::FullObject => None,
            },
            at: from,
            closed: Vec::new(),
            digest: Digest::new(alg),
            open: 0,
        }
    }

    /// The CRCs of the bytes `reader` holds, which start at byte `from` of the object.
    pub fn crc_of(&self, from: u64, reader: impl std::io::Read) -> std::io::Result<Vec<Crc>> {
        let mut crc = self.piece_crc(from);
        super::download::read_through(reader, |bytes| crc.update(bytes))?;
        Ok(crc.into_crcs())
    }

    /// Whether `crcs`, in order from the object's first byte, are of the bytes the checksum
    /// was made of. Any cut will do, as long as none runs over the end of a part (which
    /// [`PieceCrc`] never does): the CRCs within a part combine into the part's.
    pub fn matches(&self, crcs: &[Crc]) -> bool {
        let size: u64 = crcs.iter().map(|c| c.len).sum();
        if size != self.size {
            return false;
        }
        let alg = self.algorithm.crc();
        let combine =
            |whole: u64, next: &Crc| crc_fast::checksum_combine(alg, whole, next.crc, next.len);
        match self.shape {
            Shape::FullObject => {
                let empty = crc_fast::checksum(alg, b"");
                crcs.iter().fold(empty, combine) == self.value
            }
            Shape::Composite { parts, part_size } => {
                let width = self.algorithm.width();
                let mut of_parts = Digest::new(alg);
                let mut count = 0;
                // The part under way: its CRC so far and where it ends.
                let mut part: Option<(u64, u64)> = None;
                let mut at = 0;
                for c in crcs.iter().filter(|c| c.len > 0) {
                    let (crc, end) = match part {
                        Some((crc, end)) if at < end => (combine(crc, c), end),
                        _ => {
                            if let Some((crc, _)) = part {
                                of_parts.update(&crc.to_be_bytes()[8 - width..]);
                            }
                            count += 1;
                            (c.crc, (at / part_size + 1) * part_size)
                        }
                    };
                    at += c.len;
                    if at > end {
                        return false;
                    }
                    part = Some((crc, end));
                }
                if let Some((crc, _)) = part {
                    of_parts.update(&crc.to_be_bytes()[8 - width..]);
                }
                count == parts && of_parts.finalize() == self.value
            }
        }
    }
}

/// The CRC of `len` bytes of the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crc {
    pub crc: u64,
    pub len: u64,
}

/// The CRCs of a piece of a download, as its bytes come: for a checksum of parts, one for
/// each part the piece runs over (cut where a part ends, wherever the piece starts); for a
/// checksum of the whole object, one.
#[derive(Debug, Clone)]
pub struct PieceCrc {
    alg: CrcAlgorithm,
    /// Where the checksum's parts end (a multiple of this); none for a whole object's.
    part_size: Option<u64>,
    /// The object's byte that comes next.
    at: u64,
    /// The CRCs of the parts' ends it ran over.
    closed: Vec<Crc>,
    /// The CRC of the bytes since (`open` of them).
    digest: Digest,
    open: u64,
}

impl PieceCrc {
    pub fn update(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let room = self.part_size.map_or(u64::MAX, |p| p - self.at % p);
            let take = usize::try_from(room).map_or(bytes.len(), |r| r.min(bytes.len()));
            let (now, rest) = bytes.split_at(take);
            self.digest.update(now);
            self.open += take as u64;
            self.at += take as u64;
            if take as u64 == room {
                self.closed.push(Crc {
                    crc: self.digest.finalize(),
                    len: self.open,
                });
                self.digest = Digest::new(self.alg);
                self.open = 0;
            }
            bytes = rest;
        }
    }

    /// The bytes it has taken in.
    pub fn covered(&self) -> u64 {
        self.closed.iter().map(|c| c.len).sum::<u64>() + self.open
    }

    /// The object's byte it started at.
    pub fn from(&self) -> u64 {
        self.at - self.covered()
    }

    /// The object's byte it takes in next.
    pub fn next(&self) -> u64 {
        self.at
    }

    /// Its CRCs, in order; the last is of the bytes after the last part's end it ran over
    /// (maybe none: [`Stored::matches`] counts no part for it).
    pub fn into_crcs(mut self) -> Vec<Crc> {
        self.closed.push(Crc {
            crc: self.digest.finalize(),
            len: self.open,
        });
        self.closed
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
        let crcs: Vec<Crc> = data
            .chunks(piece.max(1))
            .enumerate()
            .flat_map(|(i, p)| {
                let mut crc = stored.piece_crc((i * piece) as u64);
                for c in p.chunks(chunk) {
                    crc.update(c);
                }
                assert_eq!(crc.covered(), p.len() as u64);
                crc.into_crcs()
            })
            .collect();
        stored.matches(&crcs)
    }

    /// Whether `data` checks against `stored`, read back whole from a reader.
    fn check(stored: &Stored, data: &[u8]) -> bool {
        stored.matches(&stored.crc_of(0, data).unwrap())
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
        // Pieces of any size, wherever they start, each as it comes in reads of any size:
        // each piece's CRCs are cut where a part ends.
        for piece in [1_usize, 999, 1_000, 1_001, 1_250, 2_500, 4_096] {
            for chunk in [1, 7, 999, 1_000, 4_096] {
                assert!(
                    check_by(&stored, &data, piece, chunk),
                    "{piece} in reads of {chunk}"
                );
            }
        }
        assert!(check(&stored, &data));
        let mut crc = stored.piece_crc(900);
        crc.update(&data[900..2_100]);
        assert_eq!(crc.covered(), 1_200);
        assert_eq!((crc.from(), crc.next()), (900, 2_100));
        let lens: Vec<u64> = crc.into_crcs().iter().map(|c| c.len).collect();
        assert_eq!(lens, [100, 1_000, 100], "cut at 1,000 and 2,000");
        let mut crc = stored.piece_crc(1_000);
        crc.update(&data[1_000..2_000]);
        let lens: Vec<u64> = crc.into_crcs().iter().map(|c| c.len).collect();
        assert_eq!(lens, [1_000, 0], "one part, and none after it");
        let part = |r: std::ops::Range<usize>| stored.crc_of(r.start as u64, &data[r]).unwrap()[0];
        let (a, b, c) = (part(0..1_000), part(1_000..2_000), part(2_000..2_500));
        assert!(stored.matches(&[a, b, c]));
        assert!(!stored.matches(&[a, c, b]), "out of order");
        // The CRC of no bytes, where a part ends, is no part.
        let nothing = Crc { crc: 0, len: 0 };
        assert!(stored.matches(&[a, nothing, b, c, nothing]));
        // The right CRCs said of pieces that run over a part's end (the sizes still add up).
        let (long, short) = (Crc { len: 1_500, ..a }, Crc { len: 500, ..b });
        assert!(!stored.matches(&[long, short, c]));
        // The parts' CRCs, right, but of other parts than the checksum's.
        let (half, other_half) = (part(0..500), part(500..1_000));
        assert!(
            stored.matches(&[half, other_half, b, c]),
            "a part in two CRCs"
        );
        assert!(!stored.matches(&[other_half, half, b, c]));
        let mut flipped = data.clone();
        flipped[1_500] ^= 1;
        assert!(!check(&stored, &flipped), "a byte changed");
        assert!(
            !check_by(&stored, &flipped, 1_250, 7),
            "a byte changed, in pieces"
        );
        assert!(!check(&stored, &data[..2_499]), "a byte short");
        let mut longer = data.clone();
        longer.push(0);
        assert!(!check(&stored, &longer), "a byte more");
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
        assert!(check(&stored, &data));
        assert!(
            check_by(&stored, &data, 8 << 20, 1 << 16),
            "in pieces of 8 MiB"
        );
        data[part] = 1;
        assert!(!check(&stored, &data));
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
        assert!(check(&stored, &data));
        assert!(check_by(&stored, &data, 512, 100));
        // The same bytes, counted as other parts, are not the same composite.
        let other = Stored::from_answer(&answer(
            "CRC32C",
            &composite(&data, 1_500),
            None,
            3_000,
            1_500,
        ))
        .unwrap();
        assert!(check(&other, &data));
        let mut swapped = other.clone();
        swapped.shape = stored.shape;
        assert!(!check(&swapped, &data));
        assert!(!check_by(&swapped, &data, 1_500, 512));
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
            assert!(check_by(&stored, &data, 777, 100), "{name} in pieces");
            assert!(
                check_by(&stored, &data, 5_000, 5_000),
                "{name} in one piece"
            );
            assert!(check(&stored, &data), "{name}");
            assert!(!check(&stored, &data[1..]), "{name} a byte short");
            let mut flipped = data.clone();
            flipped[0] ^= 0x80;
            assert!(!check(&stored, &flipped), "{name} a byte changed");
        }
        // An empty object's CRC.
        let empty = b64(&crc32c(b""));
        let stored =
            Stored::from_answer(&answer("CRC32C", &empty, Some("FULL_OBJECT"), 0, 0)).unwrap();
        assert!(check(&stored, b""));
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
        assert!(check(&stored, &data));
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
