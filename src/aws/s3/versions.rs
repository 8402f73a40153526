//! ListObjectVersions: one page of every version and delete marker under a prefix.

use super::S3Browser;
use crate::aws::error::{failure_from_sdk, unreadable};
use crate::bucket::{
    Etag, ObjectEntry, StorageClass, VersionCursor, VersionEntry, VersionPage, VersionRequest,
    url_decoded, versions::merge,
};
use crate::failure::{AwsFailure, ErrorKind};
use aws_sdk_s3::types::EncodingType;

/// What a ListObjectVersions answer is, for messages.
const VERSIONS: &str = "ListVersionsResult XML";

/// A key from an answer: decoded when the answer says it is URL-encoded (it was asked so, but
/// SeaweedFS, for one, sends keys as they are and says nothing).
fn decoded(key: Option<String>, encoded: bool) -> String {
    let key = key.unwrap_or_default();
    if encoded { url_decoded(key) } else { key }
}

impl S3Browser {
    /// Fetches one page of versions: entries in S3's order, all after what was listed before.
    pub async fn list_versions_page(
        &self,
        req: &VersionRequest,
    ) -> Result<VersionPage, AwsFailure> {
        let mut call = self
            .client
            .list_object_versions()
            .bucket(&req.bucket)
            .max_keys(req.max_keys)
            .encoding_type(EncodingType::Url)
            .set_request_payer(self.payer());
        if !req.prefix.is_empty() {
            call = call.prefix(&req.prefix);
        }
        if req.folders {
            call = call.delimiter("/");
        }
        if let Some(from) = &req.from {
            call = call.key_marker(&from.key_marker);
            if !from.version_id_marker.is_empty() {
                call = call.version_id_marker(&from.version_id_marker);
            }
        }
        let mut out = call
            .send()
            .await
            .map_err(|e| failure_from_sdk(&e, &self.place, VERSIONS))?;
        if out.name().is_none() && out.is_truncated().is_none() {
            return Err(unreadable(&self.place, VERSIONS, 200));
        }
        let encoded = out.encoding_type() == Some(&EncodingType::Url);
        let versions = out
            .versions
            .take()
            .unwrap_or_default()
            .into_iter()
            .map(|v| {
                let object = ObjectEntry::new(
                    decoded(v.key, encoded),
                    u64::try_from(v.size.unwrap_or_default()).unwrap_or(0),
                    v.last_modified.as_ref().and_then(crate::aws::chrono_time),
                    Etag::parse(v.e_tag.as_deref().unwrap_or_default()),
                    v.storage_class
                        .map_or(StorageClass::Unknown, |c| StorageClass::parse(c.as_str())),
                );
                VersionEntry::version(
                    object,
                    v.version_id.as_deref().unwrap_or("null"),
                    v.is_latest.unwrap_or(false),
                )
            })
            .collect();
        let markers = out
            .delete_markers
            .take()
            .unwrap_or_default()
            .into_iter()
            .map(|m| {
                VersionEntry::marker(
                    &decoded(m.key, encoded),
                    m.last_modified.as_ref().and_then(crate::aws::chrono_time),
                    m.version_id.as_deref().unwrap_or("null"),
                    m.is_latest.unwrap_or(false),
                )
            })
            .collect();
        let page = VersionPage {
            prefixes: out
                .common_prefixes()
                .iter()
                .filter_map(|p| p.prefix.clone())
                .map(|p| decoded(Some(p), encoded))
                .collect(),
            versions: merge(versions, markers),
            next: if out.is_truncated().unwrap_or(false) {
                Some(
                    self.next_cursor(
                        req,
                        out.next_key_marker
                            .take()
                            .map(|k| decoded(Some(k), encoded)),
                        out.next_version_id_marker.take(),
                    )?,
                )
            } else {
                None
            },
        };
        let after = req.from.as_ref().map(|f| f.key_marker.as_str());
        if let Some((entry, before)) = page.out_of_order(after) {
            return Err(AwsFailure::new(
                ErrorKind::BadAnswer,
                None,
                format!(
                    "{} listed a version of {:?} after {:?}: keys went back; stopping instead of listing the same versions forever",
                    self.place,
                    crate::escape::capped(entry),
                    crate::escape::capped(before)
                ),
            ));
        }
        Ok(page)
    }

    /// Where the next page starts; never where this one did (that would loop).
    fn next_cursor(
        &self,
        req: &VersionRequest,
        key: Option<String>,
        version: Option<String>,
    ) -> Result<VersionCursor, AwsFailure> {
        let place = &self.place;
        let key = key.unwrap_or_default();
        if key.is_empty() {
            return Err(AwsFailure::new(
                ErrorKind::BadAnswer,
                None,
                format!(
                    "{place} said more versions follow (IsTruncated) but sent no NextKeyMarker; stopping rather than listing from the start again"
                ),
            ));
        }
        let next = VersionCursor {
            key_marker: key,
            version_id_marker: version.unwrap_or_default(),
        };
        if req.from.as_ref() == Some(&next) {
            return Err(AwsFailure::new(
                ErrorKind::BadAnswer,
                None,
                format!(
                    "{place} sent back the markers it was given ({:?}); stopping instead of listing the same versions forever",
                    crate::escape::capped(&next.key_marker)
                ),
            ));
        }
        Ok(next)
    }
}

impl S3Browser {
    /// Makes `version` of `key` its current version again: a copy of it over the key (one
    /// CopyObject with the version in `x-amz-copy-source`, or parts above 5 GiB). The older
    /// versions all stay; the copy is a new one.
    pub async fn restore_version(
        &self,
        bucket: &str,
        key: &str,
        version: &str,
        part_size: u64,
    ) -> Result<(), AwsFailure> {
        let source = self.head(bucket, key, Some(version)).await?;
        let from = super::Source {
            version: Some(version),
            ..super::Source::latest(bucket, key)
        };
        self.copy(
            from,
            super::Source::latest(bucket, key),
            &source,
            super::single_copy_max(),
            part_size,
        )
        .await
        .map(|_| ())
    }

    /// Removes one version of `key` for good (DeleteObject with its version id): for a delete
    /// marker, the key comes back as the version under it.
    pub async fn remove_version(
        &self,
        bucket: &str,
        key: &str,
        version: &str,
    ) -> Result<(), AwsFailure> {
        self.client
            .delete_object()
            .bucket(bucket)
            .key(key)
            .version_id(version)
            .send()
            .await
            .map_err(|e| failure_from_sdk(&e, &self.place, "DeleteObject answer"))?;
        Ok(())
    }
}
