//! The access check's questions, asked for real (each call's answer, for
//! [`crate::access_check::Answer::of`]), and the buckets a session may see, for the picker.

use super::S3Browser;
use crate::access_check::Probe;
use crate::aws::error::failure_from_sdk;
use crate::bucket::PageRequest;
use crate::failure::{AwsFailure, ErrorKind};

impl S3Browser {
    /// Makes the call `probe` stands for; `Ok` when S3 let it through. A write is never
    /// sent (the check predicts it only): asked for one, this refuses without a request.
    pub async fn probe(&self, bucket: &str, probe: &Probe) -> Result<(), AwsFailure> {
        match probe {
            Probe::PutObject { .. } | Probe::DeleteObject { .. } => Err(AwsFailure::new(
                ErrorKind::Other,
                None,
                "the access check never sends a write",
            )),
            Probe::HeadObject { key } => self.head(bucket, key, None).await.map(|_| ()),
            Probe::ListPrefix { prefix } => {
                let request = PageRequest {
                    bucket: bucket.to_string(),
                    prefix: prefix.clone(),
                    continuation_token: None,
                    token_after: None,
                    start_after: None,
                    max_keys: 1,
                    folders: true,
                };
                self.list_page(&request).await.map(|_| ())
            }
            Probe::GetObjectTagging { key } => self
                .client
                .get_object_tagging()
                .bucket(bucket)
                .key(key)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| failure_from_sdk(&e, &self.place, "GetObjectTagging XML")),
        }
    }
}

impl S3Browser {
    /// GetBucketVersioning: whether the bucket keeps versions.
    pub async fn versioning(&self, bucket: &str) -> Result<crate::bucket::Versioning, AwsFailure> {
        let out = self
            .client
            .get_bucket_versioning()
            .bucket(bucket)
            .send()
            .await
            .map_err(|e| failure_from_sdk(&e, &self.place, "GetBucketVersioning XML"))?;
        Ok(crate::bucket::Versioning::from_status(
            out.status()
                .map(aws_sdk_s3::types::BucketVersioningStatus::as_str),
        ))
    }

    /// ListBuckets: the names the session may see, in the order S3 gives them.
    pub async fn list_buckets(&self) -> Result<Vec<String>, AwsFailure> {
        let out = self
            .client
            .list_buckets()
            .send()
            .await
            .map_err(|e| failure_from_sdk(&e, &self.place, "ListBuckets XML"))?;
        Ok(out
            .buckets()
            .iter()
            .filter_map(|b| b.name().map(str::to_string))
            .collect())
    }
}
