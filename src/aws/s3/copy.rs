//! Copying within S3: one CopyObject up to 5 GiB (S3 keeps the content type and metadata:
//! `MetadataDirective` stays `COPY`), UploadPartCopy above it (the type and metadata read from
//! the source and given to the new upload, which does not copy them by itself).

use super::S3Browser;
use crate::aws::error::failure_from_sdk;
use crate::failure::AwsFailure;
use crate::object::ObjectDetail;
use crate::object::upload::{MAX_PART, PartPlan};
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};

/// `x-amz-copy-source`: the bucket and the key, percent-encoded but for `/`, and the version
/// copied when it is a given one.
fn copy_source(place: Source<'_>) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    let source = format!(
        "{}/{}",
        place.bucket,
        percent_encoding::utf8_percent_encode(place.key, KEEP)
    );
    match place.version {
        Some(v) => format!(
            "{source}?versionId={}",
            percent_encoding::utf8_percent_encode(v, KEEP)
        ),
        None => source,
    }
}

/// One object: where it is, and which version (`None`: the latest). What a download reads,
/// and where a copy comes from and goes to (a destination has no version).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source<'a> {
    pub bucket: &'a str,
    pub key: &'a str,
    pub version: Option<&'a str>,
}

impl<'a> Source<'a> {
    /// The latest version of `key`.
    pub fn latest(bucket: &'a str, key: &'a str) -> Self {
        Self {
            bucket,
            key,
            version: None,
        }
    }
}

/// The largest object one CopyObject copies: S3's 5 GiB (the tests set less, to reach the
/// UploadPartCopy path without 5 GiB of data).
pub fn single_copy_max() -> u64 {
    #[cfg(feature = "testing")]
    if let Some(n) = std::env::var("STS3_TEST_COPY_SINGLE_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return n;
    }
    MAX_PART
}

impl S3Browser {
    /// Whether `key` is there (HeadObject; S3 takes no condition on a copy, so this asks
    /// first).
    pub async fn exists(&self, bucket: &str, key: &str) -> Result<bool, AwsFailure> {
        match self.head(bucket, key, None).await {
            Ok(_) => Ok(true),
            Err(f) if f.is_not_found() => Ok(false),
            Err(f) => Err(f),
        }
    }

    /// Copies `from` to `to`: CopyObject up to `single_max` bytes (5 GiB is S3's limit), else
    /// parts of `part_size` with UploadPartCopy. `source` is the source's HeadObject. The
    /// copy's ETag, as S3 answered it.
    pub async fn copy(
        &self,
        from: Source<'_>,
        to: Source<'_>,
        source: &ObjectDetail,
        single_max: u64,
        part_size: u64,
    ) -> Result<Option<String>, AwsFailure> {
        let copy_source = copy_source(from);
        if source.size <= single_max.min(MAX_PART) {
            let out = self
                .client
                .copy_object()
                .bucket(to.bucket)
                .key(to.key)
                .copy_source(&copy_source)
                .send()
                .await
                .map_err(|e| failure_from_sdk(&e, &self.place, "CopyObject answer"))?;
            return Ok(out
                .copy_object_result()
                .and_then(|r| r.e_tag())
                .map(str::to_string));
        }
        let plan = PartPlan::new(source.size, part_size)
            .map_err(|e| AwsFailure::new(crate::failure::ErrorKind::Other, None, e.to_string()))?;
        let mut create = self
            .client
            .create_multipart_upload()
            .bucket(to.bucket)
            .key(to.key)
            .set_content_type(source.content_type.clone())
            .set_content_encoding(source.content_encoding.clone())
            .set_cache_control(source.cache_control.clone());
        for (name, value) in &source.metadata {
            create = create.metadata(name, value);
        }
        let id = create
            .send()
            .await
            .map_err(|e| failure_from_sdk(&e, &self.place, "CreateMultipartUpload answer"))?
            .upload_id()
            .unwrap_or_default()
            .to_string();
        let result = self.copy_parts(&copy_source, to, &id, plan, source).await;
        if result.is_err() {
            let _ = self.abort_upload(to.bucket, to.key, &id).await;
        }
        result
    }

    /// UploadPartCopy of each part in turn, then CompleteMultipartUpload; the source must keep
    /// the ETag it had (`x-amz-copy-source-if-match`), or the copy would join two versions.
    async fn copy_parts(
        &self,
        copy_source: &str,
        to: Source<'_>,
        id: &str,
        plan: PartPlan,
        source: &ObjectDetail,
    ) -> Result<Option<String>, AwsFailure> {
        let mut parts = Vec::new();
        for n in 1..=plan.count() {
            let (from, len) = plan.range(n);
            let number = i32::try_from(n).unwrap_or(i32::MAX);
            let out = self
                .client
                .upload_part_copy()
                .bucket(to.bucket)
                .key(to.key)
                .upload_id(id)
                .part_number(number)
                .copy_source(copy_source)
                .copy_source_range(format!("bytes={from}-{}", from + len - 1))
                .set_copy_source_if_match(source.etag.clone())
                .send()
                .await
                .map_err(|e| failure_from_sdk(&e, &self.place, "UploadPartCopy answer"))?;
            let etag = out
                .copy_part_result()
                .and_then(|r| r.e_tag())
                .unwrap_or_default();
            parts.push(
                CompletedPart::builder()
                    .part_number(number)
                    .e_tag(etag)
                    .build(),
            );
        }
        let out = self
            .client
            .complete_multipart_upload()
            .bucket(to.bucket)
            .key(to.key)
            .upload_id(id)
            .multipart_upload(
                CompletedMultipartUpload::builder()
                    .set_parts(Some(parts))
                    .build(),
            )
            .send()
            .await
            .map_err(|e| failure_from_sdk(&e, &self.place, "CompleteMultipartUpload answer"))?;
        Ok(out.e_tag().map(str::to_string))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_source_is_percent_encoded_but_for_slashes() {
        let latest = |key| copy_source(Source::latest("b", key));
        assert_eq!(latest("a/b c+d%.txt"), "b/a/b%20c%2Bd%25.txt");
        assert_eq!(latest("ü/~x-y_z"), "b/%C3%BC/~x-y_z");
        let version = Source {
            version: Some("3/L4k+q"),
            ..Source::latest("b", "a b")
        };
        assert_eq!(copy_source(version), "b/a%20b?versionId=3/L4k%2Bq");
    }
}
