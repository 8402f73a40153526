//! Writing with the session: a new folder and DeleteObjects (uploads are in `multipart`). What the session
//! policy allows is predicted by the caller before these are sent; S3's answer decides.

use super::S3Browser;
use crate::aws::error::failure_from_sdk;
use crate::failure::AwsFailure;
use crate::object::Deleted;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{Delete, ObjectIdentifier};

/// The most keys one DeleteObjects takes.
pub const DELETE_BATCH: usize = 1000;

/// A failure here, not at S3.
fn local(text: String) -> AwsFailure {
    AwsFailure::new(crate::failure::ErrorKind::Other, None, text)
}

/// DeleteObjects' body for `keys`. Not quiet: the answer for each key deleted says whether
/// a delete marker was made (a versioned bucket), which the quiet answer leaves out.
fn delete_body(keys: &[String]) -> Result<Delete, AwsFailure> {
    let objects = keys
        .iter()
        .map(|k| ObjectIdentifier::builder().key(k).build())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| local(e.to_string()))?;
    Delete::builder()
        .set_objects(Some(objects))
        .quiet(false)
        .build()
        .map_err(|e| local(e.to_string()))
}

impl S3Browser {
    /// A folder as the console makes one: a zero-byte object whose key ends in `/`, sent with
    /// `If-None-Match: *` (an existing one answers `PreconditionFailed`).
    pub async fn put_folder(&self, bucket: &str, key: &str) -> Result<(), AwsFailure> {
        self.client
            .put_object()
            .bucket(bucket)
            .key(key)
            .body(ByteStream::from_static(b""))
            .if_none_match("*")
            .send()
            .await
            .map_err(|e| failure_from_sdk(&e, &self.place, "PutObject answer"))?;
        Ok(())
    }

    /// DeleteObjects of up to [`DELETE_BATCH`] keys: the keys S3 could not delete, each with
    /// why (a key that is not there counts as deleted, as S3 says), and the delete markers it
    /// made.
    pub async fn delete_keys(&self, bucket: &str, keys: &[String]) -> Result<Deleted, AwsFailure> {
        let out = self
            .client
            .delete_objects()
            .bucket(bucket)
            .delete(delete_body(keys)?)
            .send()
            .await
            .map_err(|e| failure_from_sdk(&e, &self.place, "DeleteObjects answer"))?;
        let refused = out
            .errors()
            .iter()
            .map(|e| {
                let failure = AwsFailure::from_service(e.code(), e.message(), None);
                (e.key().unwrap_or_default().to_string(), failure)
            })
            .collect();
        let markers = out
            .deleted()
            .iter()
            .filter(|d| d.delete_marker() == Some(true))
            .count() as u64;
        Ok(Deleted { refused, markers })
    }
}
