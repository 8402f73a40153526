//! One object: its first bytes (a ranged GetObject).

use super::S3Browser;
use crate::aws::error::failure_from_sdk;
use crate::failure::AwsFailure;

impl S3Browser {
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
            .map_err(|e| failure_from_sdk(&e, &self.place, "an object"))?;
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
