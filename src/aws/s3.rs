//! S3: one ListObjectsV2 page per call, signed with the credentials in the slot.

use super::error::failure_from_sdk;
use super::notify::{OnRetryable, RetryNotifier};
use super::provider::CredentialSlot;
use crate::bucket::{ListPage, ObjectEntry, PageRequest, url_decode};
use crate::failure::AwsFailure;
use aws_sdk_s3::config::{IdentityCache, SharedCredentialsProvider};
use aws_sdk_s3::types::EncodingType;
use chrono::{DateTime, Utc};

#[derive(Clone, Debug)]
pub struct S3Browser {
    client: aws_sdk_s3::Client,
}

impl S3Browser {
    pub fn new(
        config: &aws_config::SdkConfig,
        slot: CredentialSlot,
        path_style: bool,
        on_retryable: Option<OnRetryable>,
    ) -> Self {
        let mut builder = aws_sdk_s3::config::Builder::from(config)
            .credentials_provider(SharedCredentialsProvider::new(slot))
            // The slot is the cache: a swap must take effect on the next request.
            .identity_cache(IdentityCache::no_cache())
            .force_path_style(path_style);
        if let Some(f) = on_retryable {
            builder = builder.interceptor(RetryNotifier(f));
        }
        let s3_config = builder.build();
        Self {
            client: aws_sdk_s3::Client::from_conf(s3_config),
        }
    }

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
                etag: o.e_tag().unwrap_or_default().to_string(),
                storage_class: o.storage_class().map(|c| c.as_str().to_string()),
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

    /// The first `max_bytes` of an object (a ranged GetObject), for previews.
    pub async fn preview(
        &self,
        bucket: &str,
        key: &str,
        max_bytes: u64,
    ) -> Result<Vec<u8>, AwsFailure> {
        let out = self
            .client
            .get_object()
            .bucket(bucket)
            .key(key)
            .range(format!("bytes=0-{}", max_bytes.saturating_sub(1)))
            .send()
            .await
            .map_err(|e| failure_from_sdk(&e))?;
        let data = out.body.collect().await.map_err(|e| {
            AwsFailure::new(
                crate::failure::ErrorKind::Network,
                None,
                format!("the object download broke off: {e}"),
            )
        })?;
        Ok(data.into_bytes().to_vec())
    }
}
