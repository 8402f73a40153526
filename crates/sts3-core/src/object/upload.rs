//! An upload's arithmetic: one PutObject under a threshold, else a multipart upload whose parts
//! fit S3's limits (at least 5 MiB but the last, at most 10,000 of them, so the part size grows
//! with the file), and the checks on what S3 answers: each part's ETag is its MD5, the whole
//! object's ETag is the MD5 of the parts' MD5s with `-N`, its checksum the SHA-256 of the
//! parts' SHA-256s with `-N`. Pure: the files and requests are the shell's.

use crate::bucket::Etag;
use base64::Engine as _;
use md5::{Digest as _, Md5};
use sha2::Sha256;
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

/// What sts3 computed of one part's bytes, before sending them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartSums {
    pub md5: [u8; 16],
    pub sha256: [u8; 32],
    pub len: u64,
}

impl PartSums {
    pub fn of(bytes: &[u8]) -> Self {
        Self {
            md5: Md5::digest(bytes).into(),
            sha256: Sha256::digest(bytes).into(),
            len: bytes.len() as u64,
        }
    }

    /// The SHA-256 as S3's `x-amz-checksum-sha256` carries it.
    pub fn sha256_b64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.sha256)
    }

    /// The ETag S3 gives a part (or a single-part object) of these bytes, quoted.
    pub fn etag(&self) -> String {
        Etag::Md5(self.md5).to_string()
    }

    /// Whether `answered` is this ETag, quoted or not (some servers drop the quotes).
    pub fn is_etag(&self, answered: &str) -> bool {
        answered.trim_matches('"') == self.etag().trim_matches('"')
    }

    /// Checks the SHA-256 S3 answered for a single PutObject of these bytes, when it gave one.
    pub fn check(&self, checksum: Option<&str>) -> Result<(), Mismatch> {
        same_checksum(&self.sha256_b64(), checksum)
    }
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
    #[error("S3 answered ETag {answered} for the object, not the {expected} its parts make")]
    Etag { expected: String, answered: String },
    #[error(
        "S3 answered SHA-256 checksum {answered} for the object, not the {expected} its parts make"
    )]
    Checksum { expected: String, answered: String },
}

/// The whole object's ETag and checksum, from its parts' sums in part order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Whole {
    pub etag: String,
    pub checksum: String,
}

impl Whole {
    pub fn of(parts: &[PartSums]) -> Self {
        let mut md5 = Md5::new();
        let mut sha = Sha256::new();
        for p in parts {
            md5.update(p.md5);
            sha.update(p.sha256);
        }
        let n = parts.len();
        let md5_of_md5s = Etag::Md5(md5.finalize().into()).to_string();
        Self {
            etag: format!("{}-{n}\"", md5_of_md5s.trim_end_matches('"')),
            checksum: format!(
                "{}-{n}",
                base64::engine::general_purpose::STANDARD.encode(sha.finalize())
            ),
        }
    }

    /// Checks S3's answer to CompleteMultipartUpload: its checksum when it gave one, its ETag
    /// when it has the multipart shape (a server may make its own: then only the checksum can
    /// tell).
    pub fn check(&self, etag: Option<&str>, checksum: Option<&str>) -> Result<(), Mismatch> {
        same_checksum(&self.checksum, checksum)?;
        if let Some(answered) = etag.filter(|e| is_multipart_etag(e))
            && answered.trim_matches('"') != self.etag.trim_matches('"')
        {
            return Err(Mismatch::Etag {
                expected: self.etag.clone(),
                answered: answered.to_string(),
            });
        }
        Ok(())
    }
}

/// `"<32 hex>-<n>"`: the ETag S3 makes for a multipart upload.
fn is_multipart_etag(etag: &str) -> bool {
    let e = etag.trim_matches('"');
    e.split_once('-').is_some_and(|(md5, n)| {
        md5.len() == 32
            && md5.bytes().all(|b| b.is_ascii_hexdigit())
            && !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
    })
}

/// A part S3 has, as ListParts says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedPart {
    pub number: u32,
    pub etag: String,
    pub size: u64,
}

/// Which of `listed` are the bytes sts3 sent: the part's number, size and ETag (its MD5) all
/// match what was computed when it was read (`sums[n - 1]`). A part not matching is sent again.
pub fn parts_held(listed: &[ListedPart], sums: &[Option<PartSums>]) -> Vec<u32> {
    let mut held: Vec<u32> = listed
        .iter()
        .filter(|p| {
            let i = p.number.checked_sub(1).map(|i| i as usize);
            i.and_then(|i| sums.get(i))
                .and_then(Option::as_ref)
                .is_some_and(|s| s.len == p.size && s.is_etag(&p.etag))
        })
        .map(|p| p.number)
        .collect();
    held.sort_unstable();
    held.dedup();
    held
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

    /// The figures SeaweedFS answered for these bytes (checked with boto3 too).
    #[test]
    fn the_whole_objects_etag_and_checksum_are_of_the_parts() {
        let parts = [PartSums::of(b"hello "), PartSums::of(b"world")];
        assert_eq!(parts[0].etag(), "\"f814893777bcc2295fff05f00e508da6\"");
        assert_eq!(parts[1].etag(), "\"7d793037a0760186574b0282f2f435e7\"");
        assert!(parts[1].is_etag("7d793037a0760186574b0282f2f435e7"));
        assert!(!parts[0].is_etag(&parts[1].etag()));
        assert_eq!(parts[1].check(Some(&parts[1].sha256_b64())), Ok(()));
        assert_eq!(parts[1].check(None), Ok(()));
        assert!(matches!(
            parts[1].check(Some(&parts[0].sha256_b64())),
            Err(Mismatch::Checksum { .. })
        ));
        assert_eq!(
            parts[1].sha256_b64(),
            "SG6kYiTRu0+2gPNPfJrZao8k7Ii+c+qOWmxlJg6cuKc="
        );
        assert_eq!(parts[1].len, 5);
        let whole = Whole::of(&parts);
        assert_eq!(whole.etag, "\"e09e4fd6265b36115fe3db32df945d84-2\"");
        assert_eq!(
            whole.checksum,
            "Zhie15keHg/OBlOZxcoF/BXCgYZaeimRvdZnwUZqkaQ=-2"
        );
        assert_eq!(
            whole.check(Some(&whole.etag), Some(&whole.checksum)),
            Ok(())
        );
        assert_eq!(whole.check(None, None), Ok(()));
        // A server's own ETag (not the multipart shape) is not checked; its checksum is.
        assert_eq!(whole.check(Some("\"abc\""), None), Ok(()));
        let other = Whole::of(&parts[..1]);
        assert!(matches!(
            whole.check(Some(&other.etag), None),
            Err(Mismatch::Etag { .. })
        ));
        assert!(matches!(
            whole.check(Some(&whole.etag), Some(&other.checksum)),
            Err(Mismatch::Checksum { .. })
        ));
        assert!(matches!(
            whole.check(Some(other.etag.trim_matches('"')), None),
            Err(Mismatch::Etag { .. })
        ));
    }

    #[test]
    fn only_multipart_shaped_etags_are_compared() {
        assert!(is_multipart_etag("\"e8f948edd2b4a5d668e7bf129d64e33f-2\""));
        assert!(is_multipart_etag("e8f948edd2b4a5d668e7bf129d64e33f-10000"));
        assert!(!is_multipart_etag("\"e8f948edd2b4a5d668e7bf129d64e33f\""));
        assert!(!is_multipart_etag("\"e8f948edd2b4a5d668e7bf129d64e33-2\""));
        assert!(!is_multipart_etag("\"e8f948edd2b4a5d668e7bf129d64e33g-2\""));
        assert!(!is_multipart_etag("\"e8f948edd2b4a5d668e7bf129d64e33f-\""));
        assert!(!is_multipart_etag("\"e8f948edd2b4a5d668e7bf129d64e33f-x\""));
    }

    #[test]
    fn a_listed_part_counts_only_when_it_is_the_bytes_sent() {
        let a = PartSums::of(b"aaaa");
        let b = PartSums::of(b"bbbb");
        let sums = [Some(a.clone()), Some(b.clone()), None];
        let listed = |n: u32, s: &PartSums, size: u64| ListedPart {
            number: n,
            etag: s.etag(),
            size,
        };
        assert_eq!(
            parts_held(&[listed(2, &b, 4), listed(1, &a, 4)], &sums),
            [1, 2]
        );
        // Another's bytes under number 1, a short part 2, a part never read, a part 0.
        assert_eq!(
            parts_held(
                &[
                    listed(1, &b, 4),
                    listed(2, &b, 3),
                    listed(3, &a, 4),
                    listed(0, &a, 4)
                ],
                &sums
            ),
            Vec::<u32>::new()
        );
        // ETags compared without their quotes (some servers drop them).
        let bare = ListedPart {
            number: 1,
            etag: a.etag().trim_matches('"').to_string(),
            size: 4,
        };
        assert_eq!(parts_held(&[bare.clone(), bare], &sums), [1]);
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
