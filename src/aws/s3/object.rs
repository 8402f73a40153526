//! One object: its detail (HeadObject), its first bytes (a ranged GetObject, read no further
//! than asked whatever the server sends), its bytes from an offset for a download that resumes
//! (`Range` + `If-Match`), and a presigned GET URL.

use super::S3Browser;
use crate::aws::error::failure_from_sdk;
use crate::failure::{AwsFailure, ErrorKind};
use crate::object::ObjectDetail;
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use bytes::Bytes;
use std::time::Duration;

/// What a GetObject answer is, for messages.
const OBJECT: &str = "an object";

/// An object's bytes as they arrive.
pub struct ObjectBody {
    /// The object's whole size (from `Content-Range` for a ranged answer).
    pub size: u64,
    /// The object's ETag, as sent.
    pub etag: Option<String>,
    /// Where these bytes start in the object.
    pub from: u64,
    /// Where they end (exclusive): the object's size unless the answer is a range of it.
    pub end: u64,
    /// Encrypted with SSE-KMS or SSE-C: its ETag is no MD5 of its bytes.
    pub encrypted: bool,
    /// The checksum of the whole object the client checks these bytes against as they come
    /// (`"CRC32C"`, …; only a whole answer carries one): when they do not match it, the body
    /// ends with a [`ErrorKind::BadAnswer`] failure instead of its end.
    pub checked_by: Option<&'static str>,
    body: Chunks,
}

/// A body's chunks as they arrive (a connection's, or a test's).
type Chunks = futures_util::stream::BoxStream<'static, Result<Bytes, AwsFailure>>;

impl std::fmt::Debug for ObjectBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObjectBody")
            .field("size", &self.size)
            .field("etag", &self.etag)
            .field("from", &self.from)
            .field("end", &self.end)
            .finish_non_exhaustive()
    }
}

impl ObjectBody {
    /// The next bytes, `None` at the end; a connection that breaks off is a `Network` failure.
    pub async fn next(&mut self) -> Option<Result<Bytes, AwsFailure>> {
        futures_util::StreamExt::next(&mut self.body).await
    }

    /// A body of these `chunks` (the tests' stand-in for a connection): `size` is the whole
    /// object's, `from` where the chunks start in it.
    #[cfg(feature = "testing")]
    pub fn of_chunks(
        size: u64,
        etag: Option<String>,
        from: u64,
        chunks: Vec<Result<Bytes, AwsFailure>>,
    ) -> Self {
        Self {
            size,
            etag,
            from,
            end: size,
            encrypted: false,
            checked_by: None,
            body: Box::pin(futures_util::stream::iter(chunks)),
        }
    }

    /// The same body, checked as it comes against the object's `checksum` (the fake's last
    /// chunk says whether the bytes matched it).
    #[cfg(feature = "testing")]
    #[must_use]
    pub fn checked_by(self, checksum: &'static str) -> Self {
        Self {
            checked_by: Some(checksum),
            ..self
        }
    }

    /// The same body, of an object encrypted with SSE-KMS or SSE-C.
    #[cfg(feature = "testing")]
    #[must_use]
    pub fn encrypted(self) -> Self {
        Self {
            encrypted: true,
            ..self
        }
    }

    /// The same body, said to end at `end` (a range's answer).
    #[cfg(feature = "testing")]
    #[must_use]
    pub fn ending_at(self, end: u64) -> Self {
        Self { end, ..self }
    }
}

/// A connection's body as chunks; one that breaks off is a `Network` failure, one whose bytes
/// do not match the checksum the client checks them against a `BadAnswer`.
fn chunks_of(body: ByteStream, place: String) -> Chunks {
    Box::pin(futures_util::stream::unfold(
        (body, place),
        |(mut body, place)| async move {
            let chunk = body.next().await?.map_err(|e| {
                if is_checksum_mismatch(&e) {
                    return AwsFailure::new(
                        ErrorKind::BadAnswer,
                        None,
                        format!("the bytes from {place} do not match the object's checksum"),
                    );
                }
                AwsFailure::new(
                    ErrorKind::Network,
                    None,
                    format!("the download from {place} broke off: {e}"),
                )
            });
            Some((chunk, (body, place)))
        },
    ))
}

/// Whether a body's error is the client's checksum check failing (at the body's end), not the
/// connection.
fn is_checksum_mismatch(e: &(dyn std::error::Error + 'static)) -> bool {
    std::iter::successors(Some(e), |e| e.source()).any(|e| {
        e.downcast_ref::<aws_smithy_checksums::body::validate::Error>()
            .is_some()
    })
}

/// `chunks`, holding `permit` until they are dropped.
fn held_while_read(chunks: Chunks, permit: Option<tokio::sync::OwnedSemaphorePermit>) -> Chunks {
    match permit {
        Some(permit) => Box::pin(futures_util::StreamExt::map(chunks, move |chunk| {
            let _held = &permit;
            chunk
        })),
        None => chunks,
    }
}

/// SSE-C's request headers: the algorithm, the key and its MD5, each `None` without a key.
struct CustomerKeyHeaders {
    algorithm: Option<String>,
    key: Option<String>,
    md5: Option<String>,
}

impl S3Browser {
    /// The SSE-C headers its reads of `key` carry: the key given for every object, else the
    /// one given for it (none without a customer key).
    fn customer_key_headers(&self, bucket: &str, key: &str) -> CustomerKeyHeaders {
        let key = self.sse_c.clone().or_else(|| self.keyring.of(bucket, key));
        let key = key.as_ref();
        CustomerKeyHeaders {
            algorithm: key.map(|_| "AES256".to_string()),
            key: key.map(|k| k.base64().to_string()),
            md5: key.map(|k| k.md5().to_string()),
        }
    }
}

/// The total size from `Content-Range: bytes 0-99/1234`.
fn total_of(content_range: Option<&str>) -> Option<u64> {
    content_range?.rsplit('/').next()?.trim().parse().ok()
}

/// Where the bytes of `Content-Range: bytes 0-99/1234` end (exclusive): 100.
fn end_of(content_range: Option<&str>) -> Option<u64> {
    let range = content_range?.split('/').next()?;
    let last: u64 = range.rsplit('-').next()?.trim().parse().ok()?;
    last.checked_add(1)
}

impl S3Browser {
    /// HeadObject. A HEAD answer has no body, so a refusal carries no AWS code; then a
    /// one-byte GetObject asks again, to learn it (`ExpiredToken` and `AccessDenied` call for
    /// different ways out).
    pub async fn head(
        &self,
        bucket: &str,
        key: &str,
        version: Option<&str>,
    ) -> Result<ObjectDetail, AwsFailure> {
        let sse_c = self.customer_key_headers(bucket, key);
        let out = match self
            .client
            .head_object()
            .bucket(bucket)
            .key(key)
            .set_version_id(version.map(str::to_string))
            .set_sse_customer_algorithm(sse_c.algorithm)
            .set_sse_customer_key(sse_c.key)
            .set_sse_customer_key_md5(sse_c.md5)
            .set_request_payer(self.payer())
            .send()
            .await
        {
            Ok(out) => out,
            Err(e) => {
                let failure = failure_from_sdk(&e, &self.place, "HeadObject headers");
                if failure.code.is_none() && matches!(failure.status, Some(400 | 403 | 404)) {
                    return Err(self
                        .code_of_refusal(bucket, key, version)
                        .await
                        .unwrap_or(failure));
                }
                return Err(failure);
            }
        };
        let checksums = checksums_of(&out);
        let mut metadata: Vec<(String, String)> = out
            .metadata()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        metadata.sort();
        Ok(ObjectDetail {
            key: key.to_string(),
            size: u64::try_from(out.content_length().unwrap_or_default()).unwrap_or(0),
            last_modified: out.last_modified().and_then(crate::aws::chrono_time),
            etag: out.e_tag().map(str::to_string),
            content_type: out.content_type().map(str::to_string),
            content_encoding: out.content_encoding().map(str::to_string),
            cache_control: out.cache_control().map(str::to_string),
            storage_class: out.storage_class().map(|c| c.as_str().to_string()),
            server_side_encryption: out
                .server_side_encryption()
                .map(|c| c.as_str().to_string())
                .or_else(|| {
                    out.sse_customer_algorithm()
                        .map(|a| format!("SSE-C {a} (a customer-provided key)"))
                }),
            kms_key_id: out.ssekms_key_id().map(str::to_string),
            version_id: out.version_id().map(str::to_string),
            checksums,
            metadata,
            restore: out.restore().map(str::to_string),
            archive_status: out.archive_status().map(|s| s.as_str().to_string()),
            lock: out.object_lock_mode().map(|m| {
                (
                    m.as_str().to_string(),
                    out.object_lock_retain_until_date()
                        .and_then(crate::aws::chrono_time),
                )
            }),
            legal_hold: out
                .object_lock_legal_hold_status()
                .map(|h| h.as_str().to_string()),
        })
    }

    /// What S3 keeps of the object's checksum while its ETag is `etag` (a HeadObject with
    /// `ChecksumMode`), and, for a checksum of parts, the length of part 1 (a HeadObject of
    /// it), which tells where the parts end. Only a download asks: with `ChecksumMode` S3 asks
    /// for `kms:Decrypt` on an object under a KMS key, as a GetObject does.
    pub async fn stored_checksum(
        &self,
        src: crate::aws::Source<'_>,
        etag: &str,
    ) -> Result<crate::object::checksum::Answer, AwsFailure> {
        let head = |part: Option<i32>| {
            let sse_c = self.customer_key_headers(src.bucket, src.key);
            self.client
                .head_object()
                .bucket(src.bucket)
                .key(src.key)
                .set_version_id(src.version.map(str::to_string))
                .checksum_mode(aws_sdk_s3::types::ChecksumMode::Enabled)
                .if_match(etag)
                .set_part_number(part)
                .set_sse_customer_algorithm(sse_c.algorithm)
                .set_sse_customer_key(sse_c.key)
                .set_sse_customer_key_md5(sse_c.md5)
                .set_request_payer(self.payer())
                .send()
        };
        let fail = |e| failure_from_sdk(&e, &self.place, "HeadObject (its checksum)");
        let out = head(None).await.map_err(fail)?;
        let mut answer = crate::object::checksum::Answer {
            checksums: checksums_of(&out),
            kind: out.checksum_type().map(|t| t.as_str().to_string()),
            size: u64::try_from(out.content_length().unwrap_or_default()).unwrap_or(0),
            first_part: None,
        };
        if answer.of_parts() {
            let part = head(Some(1)).await.map_err(fail)?;
            answer.first_part = part.content_length().and_then(|l| u64::try_from(l).ok());
        }
        Ok(answer)
    }

    /// The failure a one-byte GetObject of the same key reports, if it has a code.
    async fn code_of_refusal(
        &self,
        bucket: &str,
        key: &str,
        version: Option<&str>,
    ) -> Option<AwsFailure> {
        match self.open(bucket, key, version, 0, Some(0), None).await {
            Err(failure) if failure.code.is_some() => Some(failure),
            _ => None,
        }
    }

    /// The object's bytes from `from` (to `to`, inclusive, when given), only if its ETag is
    /// still `if_match` when given (S3 answers 412 `PreconditionFailed` otherwise).
    pub async fn open(
        &self,
        bucket: &str,
        key: &str,
        version: Option<&str>,
        from: u64,
        to: Option<u64>,
        if_match: Option<&str>,
    ) -> Result<ObjectBody, AwsFailure> {
        // Held until the body is dropped: a gated client has so many bodies open at most.
        let permit = match &self.gate {
            Some(gate) => Some(gate.clone().acquire_owned().await.map_err(|_| {
                AwsFailure::new(ErrorKind::Other, None, "the download was stopped")
            })?),
            None => None,
        };
        let sse_c = self.customer_key_headers(bucket, key);
        let mut call = self
            .client
            .get_object()
            .bucket(bucket)
            .key(key)
            .set_version_id(version.map(str::to_string))
            .set_sse_customer_algorithm(sse_c.algorithm)
            .set_sse_customer_key(sse_c.key)
            .set_sse_customer_key_md5(sse_c.md5)
            .set_request_payer(self.payer());
        if from > 0 || to.is_some() {
            let end = to.map(|t| t.to_string()).unwrap_or_default();
            call = call.range(format!("bytes={from}-{end}"));
        }
        if let Some(etag) = if_match {
            call = call.if_match(etag);
        }
        let whole = from == 0 && to.is_none();
        if whole {
            // Its checksum, checked by the client as the bytes come (S3 sends it only when
            // asked, and only for a whole answer). The SDK asks on every GetObject unless
            // configured `response_checksum_validation = when_required`: asked here whatever
            // the configuration, as sts3 then skips its own check of the bytes.
            call = call.checksum_mode(aws_sdk_s3::types::ChecksumMode::Enabled);
        }
        let out = call
            .send()
            .await
            .map_err(|e| failure_from_sdk(&e, &self.place, OBJECT))?;
        let length = out.content_length().and_then(|l| u64::try_from(l).ok());
        let ranged = out.content_range().is_some();
        // The object's size bounds what is written: without it a body could go on for ever.
        let Some(size) = total_of(out.content_range()).or(length) else {
            return Err(AwsFailure::new(
                ErrorKind::BadAnswer,
                None,
                format!(
                    "{} sent the object without its length (no Content-Length); sts3 cannot tell a whole object from a cut one",
                    self.place
                ),
            ));
        };
        let from = if ranged { from } else { 0 };
        let kms = out.server_side_encryption().is_some_and(|e| {
            matches!(
                e,
                aws_sdk_s3::types::ServerSideEncryption::AwsKms
                    | aws_sdk_s3::types::ServerSideEncryption::AwsKmsDsse
            )
        });
        let checked_by = if whole && !ranged {
            checked_by(&[
                ("CRC64NVME", out.checksum_crc64_nvme()),
                ("CRC32C", out.checksum_crc32_c()),
                ("CRC32", out.checksum_crc32()),
                ("SHA1", out.checksum_sha1()),
                ("SHA256", out.checksum_sha256()),
            ])
        } else {
            None
        };
        Ok(ObjectBody {
            encrypted: kms || out.sse_customer_algorithm().is_some(),
            checked_by,
            size,
            etag: out.e_tag().map(str::to_string),
            from,
            end: end_of(out.content_range())
                .or(length.map(|l| from.saturating_add(l)))
                .unwrap_or(size),
            body: held_while_read(chunks_of(out.body, self.place.clone()), permit),
        })
    }

    /// The first `max_bytes` of an object and its size: a ranged GetObject, read no further
    /// than `max_bytes` even if the server ignores the range.
    pub async fn first_bytes(
        &self,
        bucket: &str,
        key: &str,
        version: Option<&str>,
        max_bytes: u64,
    ) -> Result<(Vec<u8>, u64), AwsFailure> {
        let mut body = match self
            .open(
                bucket,
                key,
                version,
                0,
                Some(max_bytes.saturating_sub(1)),
                None,
            )
            .await
        {
            Ok(body) => body,
            // An empty object has no byte 0 to start a range at.
            Err(f) if f.code.as_deref() == Some("InvalidRange") => return Ok((Vec::new(), 0)),
            Err(f) => return Err(f),
        };
        let cap = usize::try_from(max_bytes).unwrap_or(usize::MAX);
        let mut bytes = Vec::with_capacity(cap.min(1 << 20));
        while bytes.len() < cap {
            match body.next().await {
                Some(chunk) => {
                    let chunk = chunk?;
                    let room = cap - bytes.len();
                    bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
                }
                None => break,
            }
        }
        Ok((bytes, body.size))
    }

    /// A GET URL for the object, signed with the credentials in the slot, valid for `secs`.
    pub async fn presign(
        &self,
        bucket: &str,
        key: &str,
        version: Option<&str>,
        secs: u64,
    ) -> Result<String, AwsFailure> {
        let config = PresigningConfig::expires_in(Duration::from_secs(secs))
            .map_err(|e| AwsFailure::new(ErrorKind::InvalidRequest, None, e.to_string()))?;
        let request = self
            .client
            .get_object()
            .bucket(bucket)
            .key(key)
            .set_version_id(version.map(str::to_string))
            .set_request_payer(self.payer())
            .presigned(config)
            .await
            .map_err(|e| failure_from_sdk(&e, &self.place, OBJECT))?;
        Ok(request.uri().to_string())
    }
}

/// The checksum the client checks a whole answer's bytes against, of those it carries
/// (`(name, value)` in the order the client looks for them): the first one there, unless that
/// is a checksum of parts (`…-N`), which the client cannot check (then none is).
fn checked_by(sent: &[(&'static str, Option<&str>)]) -> Option<&'static str> {
    let (name, value) = sent.iter().find_map(|(n, v)| Some((*n, (*v)?)))?;
    let of_parts = value
        .rsplit_once('-')
        .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    (!of_parts).then_some(name)
}

/// The checksums a HeadObject answered, by algorithm.
fn checksums_of(
    out: &aws_sdk_s3::operation::head_object::HeadObjectOutput,
) -> Vec<(String, String)> {
    [
        ("CRC32", out.checksum_crc32()),
        ("CRC32C", out.checksum_crc32_c()),
        ("CRC64NVME", out.checksum_crc64_nvme()),
        ("SHA1", out.checksum_sha1()),
        ("SHA256", out.checksum_sha256()),
    ]
    .into_iter()
    .filter_map(|(name, value)| Some((name.to_string(), value?.to_string())))
    .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_total_size_comes_from_content_range() {
        assert_eq!(super::total_of(Some("bytes 0-99/1234")), Some(1234));
        assert_eq!(super::total_of(Some("bytes 0-99/*")), None);
        assert_eq!(super::total_of(None), None);
    }

    #[test]
    fn a_whole_answer_is_checked_by_the_first_checksum_it_carries_unless_that_is_of_parts() {
        use super::checked_by;
        assert_eq!(checked_by(&[("CRC64NVME", None), ("CRC32C", None)]), None);
        assert_eq!(
            checked_by(&[("CRC64NVME", None), ("CRC32C", Some("eXPfUA=="))]),
            Some("CRC32C")
        );
        assert_eq!(
            checked_by(&[
                ("CRC64NVME", Some("AAAAAAAAAAA=")),
                ("CRC32C", Some("eXPfUA=="))
            ]),
            Some("CRC64NVME")
        );
        // A checksum of 3 parts: the client checks none, even if another is there.
        assert_eq!(
            checked_by(&[("CRC32C", Some("eXPfUA==-3")), ("CRC32", Some("AAAAAA=="))]),
            None
        );
        // A dash in base64 is not one (no digits after it), nor is a trailing dash.
        assert_eq!(checked_by(&[("SHA1", Some("ab-cd="))]), Some("SHA1"));
        assert_eq!(checked_by(&[("SHA1", Some("abcd-"))]), Some("SHA1"));
    }

    #[test]
    fn where_a_range_ends_comes_from_content_range() {
        assert_eq!(super::end_of(Some("bytes 0-99/1234")), Some(100));
        assert_eq!(super::end_of(Some("bytes 100-1233/*")), Some(1234));
        assert_eq!(super::end_of(Some("bytes */1234")), None);
        assert_eq!(super::end_of(None), None);
    }

    #[tokio::test]
    async fn a_gated_body_holds_its_place_until_it_is_dropped_read_or_not() {
        use futures_util::StreamExt as _;
        let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(2));
        let chunks = || -> super::Chunks {
            Box::pin(futures_util::stream::iter([Ok(bytes::Bytes::from_static(
                b"ab",
            ))]))
        };
        let permit = gate.clone().acquire_owned().await.unwrap();
        let mut held = super::held_while_read(chunks(), Some(permit));
        assert_eq!(gate.available_permits(), 1);
        assert_eq!(held.next().await.unwrap().unwrap(), "ab");
        assert!(held.next().await.is_none());
        assert_eq!(
            gate.available_permits(),
            1,
            "read to its end, not yet dropped"
        );
        drop(held);
        assert_eq!(gate.available_permits(), 2);
        let unread =
            super::held_while_read(chunks(), Some(gate.clone().acquire_owned().await.unwrap()));
        assert_eq!(gate.available_permits(), 1);
        drop(unread);
        assert_eq!(gate.available_permits(), 2);
        // Ungated: the chunks as they are.
        let mut free = super::held_while_read(chunks(), None);
        assert_eq!(free.next().await.unwrap().unwrap(), "ab");
    }
}
