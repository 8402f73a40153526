//! ListObjectsV2: one page per call.

use super::S3Browser;
use crate::aws::error::failure_from_sdk;
use crate::bucket::{ListPage, ObjectEntry, PageRequest, url_decode};
use crate::escape::Untrusted;
use crate::failure::AwsFailure;
use aws_sdk_s3::types::EncodingType;
use chrono::{DateTime, Utc};

impl S3Browser {
    /// Fetches exactly one page.
    pub async fn list_page(&self, req: &PageRequest) -> Result<ListPage, AwsFailure> {
        let mut call = self
            .client
            .list_objects_v2()
            .bucket(&req.bucket)
            .max_keys(req.max_keys)
            // Keys may hold characters XML 1.0 cannot carry (ESC, BEL...): ask for them
            // URL-encoded and decode them here, as the AWS CLI does.
            .encoding_type(EncodingType::Url)
            .set_continuation_token(req.continuation_token.clone());
        if !req.prefix.is_empty() {
            call = call.prefix(&req.prefix);
        }
        if req.folders {
            call = call.delimiter("/");
        }
        let out = call.send().await.map_err(|e| failure_from_sdk(&e))?;
        let objects = out
            .contents()
            .iter()
            .map(|o| ObjectEntry {
                key: url_decode(o.key().unwrap_or_default()),
                size: o.size().unwrap_or_default(),
                last_modified: o
                    .last_modified()
                    .and_then(|t| DateTime::<Utc>::from_timestamp(t.secs(), t.subsec_nanos())),
                etag: Untrusted::new(o.e_tag().unwrap_or_default()),
                storage_class: o.storage_class().map(|c| Untrusted::new(c.as_str())),
            })
            .collect();
        let prefixes = out
            .common_prefixes()
            .iter()
            .filter_map(|p| p.prefix().map(url_decode))
            .collect();
        let next_token = if out.is_truncated().unwrap_or(false) {
            out.next_continuation_token().map(str::to_string)
        } else {
            None
        };
        Ok(ListPage {
            prefixes,
            objects,
            next_token,
        })
    }
}
