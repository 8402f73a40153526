//! An upload's arithmetic: one PutObject under a threshold, else a multipart upload whose parts
//! fit S3's limits (at least 5 MiB but the last, at most 10,000 of them, so the part size grows
//! with the file), and the checks on what S3 answers: each part goes with its CRC32C, which S3
//! checks and answers; the whole object's checksum is the CRC32C of the parts' CRC32Cs with
//! `-N`. Which parts S3 holds after a failure is told by their checksum or ETag. Pure: the
//! files and requests are the shell's.

use crate::bucket::Etag;
use base64::Engine as _;
use md5::{Digest as _, Md5};
use thiserror::Error;

pub const MIB: u64 = 1024 * 1024;
/// The smallest part S3 takes (but the last).
pub const MIN_PART: u64 = 5 * MIB;
/// The largest part, and the largest single PutObject.
pub const MAX_PART: u64 = 5 * 1024 * MIB;
/// The most parts one upload has.
pub const MAX_PARTS: u64 = 10_000;
/// The largest object S3 holds.
pub const MAX_OBJECT: u64 = 5 * 1024 * 1024 * MIB;
/// The part sizes one may set, in MiB (`--part-size`, `part_size_mib`): S3's part limits.
pub const PART_SIZE_MIB: std::ops::RangeInclusive<u64> = 5..=5120;
/// The part size when none is set: what the AWS CLI uses, a good trade of throughput against
/// memory (`parallel` parts are in memory at once).
pub const DEFAULT_PART: u64 = 8 * MIB;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PlanError {
    #[error("{size} bytes is more than the 5 TiB an S3 object can hold")]
    TooLarge { size: u64 },
}

/// How a file of `size` bytes is sent: in one PutObject (at most the part size), or in parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartPlan {
    pub size: u64,
    /// Every part's size but the last's.
    pub part_size: u64,
}

impl PartPlan {
    /// Parts of `wanted` bytes (kept within 5 MiB..5 GiB), grown until 10,000 hold the file.
    pub fn new(size: u64, wanted: u64) -> Result<Self, PlanError> {
        if size > MAX_OBJECT {
            return Err(PlanError::TooLarge { size });
        }
        let least = size.div_ceil(MAX_PARTS);
        let part_size = wanted.clamp(MIN_PART, MAX_PART).max(least);
        Ok(Self { size, part_size })
    }

    /// Whether the file goes in one PutObject: no larger than one part.
    pub fn is_single(&self) -> bool {
        self.size <= self.part_size
    }

    /// How many parts (numbered from 1); at least one.
    pub fn count(&self) -> u32 {
        u32::try_from(self.size.div_ceil(self.part_size).max(1)).unwrap_or(u32::MAX)
    }

    /// Part `n`'s first byte and length.
    pub fn range(&self, n: u32) -> (u64, u64) {
        let from = u64::from(n.saturating_sub(1)) * self.part_size;
        let len = self.part_size.min(self.size.saturating_sub(from));
        (from, len)
    }
}

/// What sts3 computed of one part's bytes, before sending them: their CRC32C, which goes with
/// them for S3 to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartSums {
    pub crc32c: u32,
    pub len: u64,
}

impl PartSums {
    pub fn of(bytes: &[u8]) -> Self {
        Self {
            crc32c: crc32c(bytes),
            len: bytes.len() as u64,
        }
    }

    /// The CRC32C as S3's `x-amz-checksum-crc32c` carries it: its 4 bytes, big-endian, in
    /// base64.
    pub fn checksum(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.crc32c.to_be_bytes())
    }

    /// Checks the checksum S3 answered for these bytes (a part, or a single PutObject), when
    /// it gave one.
    pub fn check(&self, checksum: Option<&str>) -> Result<(), Mismatch> {
        same_checksum(&self.checksum(), checksum)
    }
}

fn crc32c(bytes: &[u8]) -> u32 {
    // CRC-32/ISCSI is CRC32C: the value is 32 bits wide, in a u64.
    let crc = crc_fast::checksum(crc_fast::CrcAlgorithm::Crc32Iscsi, bytes);
    u32::try_from(crc).unwrap_or(u32::MAX)
}

/// The ETag S3 gives a part (or a single-part object) of `bytes`: their MD5, quoted. Only
/// computed where the checksum cannot tell: a part S3 lists whose answer was lost.
pub fn md5_etag(bytes: &[u8]) -> String {
    Etag::Md5(Md5::digest(bytes).into()).to_string()
}

/// Whether two ETags are the same, quoted or not (some servers drop the quotes).
pub fn same_etag(a: &str, b: &str) -> bool {
    a.trim_matches('"') == b.trim_matches('"')
}

/// `answered`, when given, is `expected`.
fn same_checksum(expected: &str, answered: Option<&str>) -> Result<(), Mismatch> {
    match answered {
        Some(answered) if answered != expected => Err(Mismatch::Checksum {
            expected: expected.to_string(),
            answered: answered.to_string(),
        }),
        _ => Ok(()),
    }
}

/// What S3 answered that does not match the bytes sent.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Mismatch {
    #[error("S3 answered CRC32C checksum {answered}, not the {expected} of the bytes sent")]
    Checksum { expected: String, answered: String },
}

/// The whole object's checksum, from its parts' in part order: the CRC32C of their CRC32Cs,
/// with `-N` (S3's composite checksum).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Whole {
    pub checksum: String,
}

impl Whole {
    pub fn of(parts: &[PartSums]) -> Self {
        let joined: Vec<u8> = parts.iter().flat_map(|p| p.crc32c.to_be_bytes()).collect();
        let whole = PartSums::of(&joined).checksum();
        Self {
            checksum: format!("{whole}-{}", parts.len()),
        }
    }

    /// Checks S3's answer to CompleteMultipartUpload: its checksum, when it gave one.
    pub fn check(&self, checksum: Option<&str>) -> Result<(), Mismatch> {
        same_checksum(&self.checksum, checksum)
    }
}

/// A part S3 has, as ListParts says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedPart {
    pub number: u32,
    pub etag: String,
    pub size: u64,
    /// Its CRC32C, when S3 lists it.
    pub checksum: Option<String>,
}

/// Which of `listed` are the bytes sts3 sent, as far as the listing tells: the part's number
/// and size match what was read (`sums[n - 1]`), and either its checksum is theirs or its ETag
/// is the one S3 answered when it was sent (`answered`). The second list: parts listed with
/// the right size whose answer was lost and whose checksum is not listed; their bytes' MD5
/// (`md5_etag`) against the listed ETag tells. Any other part is sent again.
pub fn parts_held(
    listed: &[ListedPart],
    sums: &[Option<PartSums>],
    answered: &std::collections::BTreeMap<u32, String>,
) -> (Vec<u32>, Vec<u32>) {
    let mut held = Vec::new();
    let mut to_hash = Vec::new();
    for p in listed {
        let read = p.number.checked_sub(1).and_then(|i| sums.get(i as usize));
        let Some(sums) = read.and_then(Option::as_ref).filter(|s| s.len == p.size) else {
            continue;
        };
        match (&p.checksum, answered.get(&p.number)) {
            (Some(listed), _) if *listed == sums.checksum() => held.push(p.number),
            (None, Some(etag)) if same_etag(etag, &p.etag) => held.push(p.number),
            (None, None) => to_hash.push(p.number),
            // Another checksum or ETag: other bytes.
            (Some(_), _) | (None, Some(_)) => {}
        }
    }
    for list in [&mut held, &mut to_hash] {
        list.sort_unstable();
        list.dedup();
    }
    (held, to_hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// S3's documented limits, as numbers (the plan's tests use the names).
    #[test]
    fn the_limits_are_s3s() {
        assert_eq!(MIB, 1_048_576);
        assert_eq!(PART_SIZE_MIB, 5..=5120);
        assert_eq!(*PART_SIZE_MIB.start() * MIB, MIN_PART);
        assert_eq!(*PART_SIZE_MIB.end() * MIB, MAX_PART);
        assert_eq!(MIN_PART, 5_242_880);
        assert_eq!(MAX_PART, 5_368_709_120);
        assert_eq!(MAX_PARTS, 10_000);
        assert_eq!(MAX_OBJECT, 5_497_558_138_880);
        assert_eq!(DEFAULT_PART, 8_388_608);
    }

    #[test]
    fn a_small_file_is_one_put_and_a_large_one_parts_of_the_size_asked() {
        let one = PartPlan::new(8 * MIB, DEFAULT_PART).unwrap();
        assert!(one.is_single());
        assert_eq!(one.count(), 1);
        assert_eq!(one.range(1), (0, 8 * MIB));
        let parts = PartPlan::new(8 * MIB + 1, DEFAULT_PART).unwrap();
        assert!(!parts.is_single());
        assert_eq!(parts.count(), 2);
        assert_eq!(parts.range(2), (8 * MIB, 1));
        let empty = PartPlan::new(0, DEFAULT_PART).unwrap();
        assert!(empty.is_single());
        assert_eq!((empty.count(), empty.range(1)), (1, (0, 0)));
    }

    #[test]
    fn the_part_size_stays_within_s3s_limits_and_grows_to_fit_10000_parts() {
        assert_eq!(PartPlan::new(100 * MIB, MIB).unwrap().part_size, MIN_PART);
        assert_eq!(
            PartPlan::new(100 * MIB, 6 * 1024 * MIB).unwrap().part_size,
            MAX_PART
        );
        let huge = 200 * 1024 * MIB; // 200 GiB in 8 MiB parts would be 25,600
        let plan = PartPlan::new(huge, DEFAULT_PART).unwrap();
        assert_eq!(plan.part_size, huge.div_ceil(MAX_PARTS));
        assert_eq!(u64::from(plan.count()), MAX_PARTS);
        let exact = PartPlan::new(MAX_PARTS * MIN_PART, MIN_PART).unwrap();
        assert_eq!(
            (exact.part_size, u64::from(exact.count())),
            (MIN_PART, MAX_PARTS)
        );
        let (from, len) = plan.range(plan.count());
        assert_eq!(from + len, huge);
        assert_eq!(
            PartPlan::new(MAX_OBJECT + 1, DEFAULT_PART),
            Err(PlanError::TooLarge {
                size: MAX_OBJECT + 1
            })
        );
        assert!(PartPlan::new(MAX_OBJECT, DEFAULT_PART).is_ok());
    }

    /// The figures S3 answers for these bytes (worked out by a bitwise CRC32C apart, and
    /// answered by SeaweedFS: see tests/uploads.rs).
    #[test]
    fn each_parts_checksum_and_the_whole_objects_are_crc32cs() {
        assert_eq!(
            PartSums::of(b"123456789").crc32c,
            0xe306_9283,
            "CRC32C's check value"
        );
        let parts = [PartSums::of(b"hello "), PartSums::of(b"world")];
        assert_eq!(parts[0].checksum(), "fmJ+WA==");
        assert_eq!(parts[1].checksum(), "MaqBTg==");
        assert_eq!(parts[1].len, 5);
        assert_eq!(parts[1].check(Some("MaqBTg==")), Ok(()));
        assert_eq!(parts[1].check(None), Ok(()));
        assert_eq!(
            parts[1].check(Some("fmJ+WA==")),
            Err(Mismatch::Checksum {
                expected: "MaqBTg==".into(),
                answered: "fmJ+WA==".into()
            })
        );
        let whole = Whole::of(&parts);
        assert_eq!(whole.checksum, "vUZpoA==-2");
        assert_eq!(whole.check(Some("vUZpoA==-2")), Ok(()));
        assert_eq!(whole.check(None), Ok(()));
        assert!(matches!(
            whole.check(Some(&Whole::of(&parts[..1]).checksum)),
            Err(Mismatch::Checksum { .. })
        ));
        assert!(matches!(
            whole.check(Some("vUZpoA==")),
            Err(Mismatch::Checksum { .. })
        ));
    }

    #[test]
    fn an_etag_is_the_md5_and_compares_without_its_quotes() {
        assert_eq!(md5_etag(b"hello "), "\"f814893777bcc2295fff05f00e508da6\"");
        assert_eq!(md5_etag(b"world"), "\"7d793037a0760186574b0282f2f435e7\"");
        assert!(same_etag(
            &md5_etag(b"world"),
            "7d793037a0760186574b0282f2f435e7"
        ));
        assert!(same_etag("\"x\"", "\"x\""));
        assert!(!same_etag(&md5_etag(b"world"), &md5_etag(b"hello ")));
    }

    #[test]
    fn a_listed_part_counts_only_when_it_is_the_bytes_sent() {
        let a = PartSums::of(b"aaaa");
        let b = PartSums::of(b"bbbb");
        let sums = [Some(a), Some(b), None, Some(a)];
        let listed = |number: u32, etag: &str, size: u64, checksum: Option<&PartSums>| ListedPart {
            number,
            etag: etag.into(),
            size,
            checksum: checksum.map(PartSums::checksum),
        };
        let answered: std::collections::BTreeMap<u32, String> =
            [(1, "\"e1\"".to_string()), (2, "\"e2\"".to_string())].into();
        // Told by the ETag S3 answered (quotes or not), by the checksum listed; part 4's
        // answer was lost: its bytes' MD5 will tell.
        assert_eq!(
            parts_held(
                &[
                    listed(2, "\"e2\"", 4, None),
                    listed(1, "e1", 4, None),
                    listed(4, "e4", 4, None),
                    listed(1, "e1", 4, None),
                ],
                &sums,
                &answered
            ),
            (vec![1, 2], vec![4])
        );
        assert_eq!(
            parts_held(&[listed(2, "other", 4, Some(&b))], &sums, &answered),
            (vec![2], vec![]),
            "a listed checksum decides over the ETag"
        );
        // Another ETag or checksum, a short part, a part never read, a part 0.
        assert_eq!(
            parts_held(
                &[
                    listed(1, "e2", 4, None),
                    listed(2, "e2", 4, Some(&a)),
                    listed(4, "e4", 3, None),
                    listed(3, "e3", 4, None),
                    listed(0, "e1", 4, None),
                    listed(5, "e5", 4, None),
                ],
                &sums,
                &answered
            ),
            (vec![], vec![])
        );
    }
}

/// A file put: its size, and the ETag S3 answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Landed {
    pub size: u64,
    pub etag: Option<String>,
}

/// A multipart upload S3 holds that was never completed nor aborted (its parts are kept, and
/// billed, and no listing shows them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfinished {
    pub key: String,
    pub upload_id: String,
    pub initiated: Option<chrono::DateTime<chrono::Utc>>,
}

impl Unfinished {
    /// `2026-12-05 09:30:12  KEY  UPLOAD-ID`, the time in UTC, the key from `from` on.
    pub fn line(&self, key: &str) -> String {
        let when = self.initiated.map_or_else(
            || " ".repeat(19),
            |t| t.format("%Y-%m-%d %H:%M:%S").to_string(),
        );
        format!(
            "{when}  {}  {}",
            crate::escape::printable(key),
            crate::escape::printable(&self.upload_id)
        )
    }
}

#[cfg(test)]
mod unfinished_tests {
    use super::Unfinished;
    use chrono::TimeZone;

    #[test]
    fn an_unfinished_upload_is_one_line_when_it_began_its_name_and_its_id() {
        let u = Unfinished {
            key: "docs/a\u{1b}.iso".into(),
            upload_id: "2~abc".into(),
            initiated: Some(
                chrono::Utc
                    .with_ymd_and_hms(2026, 12, 5, 9, 30, 12)
                    .unwrap(),
            ),
        };
        assert_eq!(
            u.line("s3://b/docs/a\u{1b}.iso"),
            "2026-12-05 09:30:12  s3://b/docs/a\\u{1b}.iso  2~abc",
            "the name escaped as everywhere on a terminal"
        );
        let undated = Unfinished {
            initiated: None,
            ..u
        };
        assert_eq!(undated.line("k"), format!("{}  k  2~abc", " ".repeat(19)));
    }
}
