//! Multipart uploads: create (CRC32C checksums asked for), a part with its checksum for S3 to
//! check, the parts S3 has (to resume), complete (never over an existing key when asked),
//! abort, and the bucket's unfinished uploads. The order and the checks are the upload
//! engine's (`transfer::upload`).

use super::S3Browser;
use crate::aws::error::failure_from_sdk;
use crate::failure::AwsFailure;
use crate::object::upload::ListedPart;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{ChecksumAlgorithm, CompletedMultipartUpload, CompletedPart};
use futures_util::future::BoxFuture;

/// What S3 answered a part or a whole object: its ETag and its CRC32C checksum.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stored {
    pub etag: Option<String>,
    pub checksum: Option<String>,
}

impl Stored {
    fn of(etag: Option<&str>, checksum: Option<&str>) -> Self {
        Self {
            etag: etag.map(str::to_string),
            checksum: checksum.map(str::to_string),
        }
    }
}

/// A part sent: its number, the ETag S3 answered and the checksum it was sent with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentPart {
    pub number: u32,
    pub etag: String,
    pub checksum: String,
}

pub use crate::object::upload::Unfinished;

fn part_number(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl S3Browser {
    /// PutObject of `body` (one part's worth) with its CRC32C for S3 to check; `only_new`:
    /// never over an existing key (`If-None-Match: *`).
    pub async fn put_bytes(
        &self,
        bucket: &str,
        key: &str,
        content_type: &str,
        body: bytes::Bytes,
        crc32c: &str,
        only_new: bool,
    ) -> Result<Stored, AwsFailure> {
        let out = self
            .client
            .put_object()
            .bucket(bucket)
            .key(key)
            .content_type(content_type)
            .checksum_crc32_c(crc32c)
            .body(ByteStream::from(body))
            .set_if_none_match(only_new.then(|| "*".to_string()))
            // The body's integrity is the CRC32C checksum S3 checks: signing the payload would
            // hash every byte with SHA-256 too.
            .customize()
            .disable_payload_signing()
            .send()
            .await
            .map_err(|e| failure_from_sdk(&e, &self.place, "PutObject answer"))?;
        Ok(Stored::of(out.e_tag(), out.checksum_crc32_c()))
    }

    /// CreateMultipartUpload, asking for CRC32C checksums: the upload's id.
    pub async fn create_upload(
        &self,
        bucket: &str,
        key: &str,
        content_type: &str,
    ) -> Result<String, AwsFailure> {
        let out = self
            .client
            .create_multipart_upload()
            .bucket(bucket)
            .key(key)
            .content_type(content_type)
            .checksum_algorithm(ChecksumAlgorithm::Crc32C)
            .send()
            .await
            .map_err(|e| failure_from_sdk(&e, &self.place, "CreateMultipartUpload answer"))?;
        out.upload_id().map(str::to_string).ok_or_else(|| {
            AwsFailure::new(
                crate::failure::ErrorKind::BadAnswer,
                None,
                "CreateMultipartUpload answered no UploadId",
            )
        })
    }

    /// UploadPart of `body` as part `n`, with its CRC32C for S3 to check.
    pub async fn upload_part(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        n: u32,
        body: bytes::Bytes,
        crc32c: &str,
    ) -> Result<Stored, AwsFailure> {
        let out = self
            .client
            .upload_part()
            .bucket(bucket)
            .key(key)
            .upload_id(upload_id)
            .part_number(part_number(n))
            .checksum_crc32_c(crc32c)
            .body(ByteStream::from(body))
            // As for PutObject: the checksum S3 checks, not a second hash for the signature.
            .customize()
            .disable_payload_signing()
            .send()
            .await
            .map_err(|e| failure_from_sdk(&e, &self.place, "UploadPart answer"))?;
        Ok(Stored::of(out.e_tag(), out.checksum_crc32_c()))
    }

    /// ListParts, every page: the parts S3 has of the upload.
    pub async fn list_parts(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
    ) -> Result<Vec<ListedPart>, AwsFailure> {
        let mut parts = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let out = self
                .client
                .list_parts()
                .bucket(bucket)
                .key(key)
                .upload_id(upload_id)
                .set_part_number_marker(marker.clone())
                .send()
                .await
                .map_err(|e| failure_from_sdk(&e, &self.place, "ListParts answer"))?;
            parts.extend(out.parts().iter().filter_map(|p| {
                Some(ListedPart {
                    number: u32::try_from(p.part_number()?).ok()?,
                    etag: p.e_tag()?.to_string(),
                    size: u64::try_from(p.size()?).ok()?,
                    checksum: p.checksum_crc32_c().map(str::to_string),
                })
            }));
            let next = out.next_part_number_marker().map(str::to_string);
            // A truncated answer must move on, or the listing would loop.
            if !out.is_truncated().unwrap_or(false) || next.is_none() || next == marker {
                return Ok(parts);
            }
            marker = next;
        }
    }

    /// CompleteMultipartUpload of `parts` (in order); `only_new`: never over an existing key.
    pub async fn complete_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        parts: &[SentPart],
        only_new: bool,
    ) -> Result<Stored, AwsFailure> {
        let completed = parts
            .iter()
            .map(|p| {
                CompletedPart::builder()
                    .part_number(part_number(p.number))
                    .e_tag(&p.etag)
                    .checksum_crc32_c(&p.checksum)
                    .build()
            })
            .collect();
        let out = self
            .client
            .complete_multipart_upload()
            .bucket(bucket)
            .key(key)
            .upload_id(upload_id)
            .multipart_upload(
                CompletedMultipartUpload::builder()
                    .set_parts(Some(completed))
                    .build(),
            )
            .set_if_none_match(only_new.then(|| "*".to_string()))
            .send()
            .await
            .map_err(|e| failure_from_sdk(&e, &self.place, "CompleteMultipartUpload answer"))?;
        Ok(Stored::of(out.e_tag(), out.checksum_crc32_c()))
    }

    /// AbortMultipartUpload: S3 drops the parts it holds.
    pub async fn abort_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
    ) -> Result<(), AwsFailure> {
        self.client
            .abort_multipart_upload()
            .bucket(bucket)
            .key(key)
            .upload_id(upload_id)
            .send()
            .await
            .map_err(|e| failure_from_sdk(&e, &self.place, "AbortMultipartUpload answer"))?;
        Ok(())
    }

    /// ListMultipartUploads under `prefix`, every page: the uploads begun and never finished.
    pub async fn unfinished_uploads(
        &self,
        bucket: &str,
        prefix: &str,
    ) -> Result<Vec<Unfinished>, AwsFailure> {
        let mut uploads = Vec::new();
        let mut markers: (Option<String>, Option<String>) = (None, None);
        loop {
            let out = self
                .client
                .list_multipart_uploads()
                .bucket(bucket)
                .prefix(prefix)
                .set_key_marker(markers.0.clone())
                .set_upload_id_marker(markers.1.clone())
                .send()
                .await
                .map_err(|e| failure_from_sdk(&e, &self.place, "ListMultipartUploads answer"))?;
            uploads.extend(out.uploads().iter().filter_map(|u| {
                Some(Unfinished {
                    key: u.key()?.to_string(),
                    upload_id: u.upload_id()?.to_string(),
                    initiated: u.initiated().and_then(crate::aws::chrono_time),
                })
            }));
            let next = (
                out.next_key_marker().map(str::to_string),
                out.next_upload_id_marker().map(str::to_string),
            );
            if !out.is_truncated().unwrap_or(false) || next.0.is_none() || next == markers {
                return Ok(uploads);
            }
            markers = next;
        }
    }
}

/// What the upload engine asks of S3: the calls above, through a seam its tests fill with a
/// scripted store.
pub trait Multipart: Send + Sync {
    fn put_bytes<'a>(
        &'a self,
        bucket: &'a str,
        key: &'a str,
        content_type: &'a str,
        body: bytes::Bytes,
        crc32c: &'a str,
        only_new: bool,
    ) -> BoxFuture<'a, Result<Stored, AwsFailure>>;
    fn create_upload<'a>(
        &'a self,
        bucket: &'a str,
        key: &'a str,
        content_type: &'a str,
    ) -> BoxFuture<'a, Result<String, AwsFailure>>;
    fn upload_part<'a>(
        &'a self,
        upload: &'a UploadId,
        n: u32,
        body: bytes::Bytes,
        crc32c: &'a str,
    ) -> BoxFuture<'a, Result<Stored, AwsFailure>>;
    fn list_parts<'a>(
        &'a self,
        upload: &'a UploadId,
    ) -> BoxFuture<'a, Result<Vec<ListedPart>, AwsFailure>>;
    fn complete_upload<'a>(
        &'a self,
        upload: &'a UploadId,
        parts: &'a [SentPart],
        only_new: bool,
    ) -> BoxFuture<'a, Result<Stored, AwsFailure>>;
    fn abort_upload<'a>(&'a self, upload: &'a UploadId) -> BoxFuture<'a, Result<(), AwsFailure>>;
}

/// One multipart upload: where, and S3's id for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadId {
    pub bucket: String,
    pub key: String,
    pub id: String,
}

impl Multipart for S3Browser {
    fn put_bytes<'a>(
        &'a self,
        bucket: &'a str,
        key: &'a str,
        content_type: &'a str,
        body: bytes::Bytes,
        crc32c: &'a str,
        only_new: bool,
    ) -> BoxFuture<'a, Result<Stored, AwsFailure>> {
        Box::pin(S3Browser::put_bytes(
            self,
            bucket,
            key,
            content_type,
            body,
            crc32c,
            only_new,
        ))
    }

    fn create_upload<'a>(
        &'a self,
        bucket: &'a str,
        key: &'a str,
        content_type: &'a str,
    ) -> BoxFuture<'a, Result<String, AwsFailure>> {
        Box::pin(S3Browser::create_upload(self, bucket, key, content_type))
    }

    fn upload_part<'a>(
        &'a self,
        upload: &'a UploadId,
        n: u32,
        body: bytes::Bytes,
        crc32c: &'a str,
    ) -> BoxFuture<'a, Result<Stored, AwsFailure>> {
        Box::pin(S3Browser::upload_part(
            self,
            &upload.bucket,
            &upload.key,
            &upload.id,
            n,
            body,
            crc32c,
        ))
    }

    fn list_parts<'a>(
        &'a self,
        upload: &'a UploadId,
    ) -> BoxFuture<'a, Result<Vec<ListedPart>, AwsFailure>> {
        Box::pin(S3Browser::list_parts(
            self,
            &upload.bucket,
            &upload.key,
            &upload.id,
        ))
    }

    fn complete_upload<'a>(
        &'a self,
        upload: &'a UploadId,
        parts: &'a [SentPart],
        only_new: bool,
    ) -> BoxFuture<'a, Result<Stored, AwsFailure>> {
        Box::pin(S3Browser::complete_upload(
            self,
            &upload.bucket,
            &upload.key,
            &upload.id,
            parts,
            only_new,
        ))
    }

    fn abort_upload<'a>(&'a self, upload: &'a UploadId) -> BoxFuture<'a, Result<(), AwsFailure>> {
        Box::pin(S3Browser::abort_upload(
            self,
            &upload.bucket,
            &upload.key,
            &upload.id,
        ))
    }
}
