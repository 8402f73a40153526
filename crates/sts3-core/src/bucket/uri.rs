//! `s3://bucket/key` URIs, as the AWS CLI and s5cmd take them, wherever a bucket (and a key
//! or a folder) is asked for.

use thiserror::Error;

/// A bucket and the key (or folder) after it; the key may be empty (`s3://bucket`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Uri {
    pub bucket: String,
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UriError {
    #[error("{0:?} names no bucket; write s3://BUCKET/KEY")]
    NoBucket(String),
    #[error(
        "bucket name {bucket:?} in {uri:?} is not a valid S3 bucket name; use 3-63 lowercase letters, digits, '.' or '-'"
    )]
    BadBucket { uri: String, bucket: String },
}

impl S3Uri {
    /// `text` as a URI, if it is one (`None`: it does not start with `s3://`).
    pub fn parse(text: &str) -> Option<Result<Self, UriError>> {
        let rest = text.strip_prefix("s3://")?;
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        Some(if bucket.is_empty() {
            Err(UriError::NoBucket(text.to_string()))
        } else if !super::valid_bucket_name(bucket) {
            Err(UriError::BadBucket {
                uri: text.to_string(),
                bucket: bucket.to_string(),
            })
        } else {
            Ok(Self {
                bucket: bucket.to_string(),
                key: key.to_string(),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> (String, String) {
        let u = S3Uri::parse(text).unwrap().unwrap();
        (u.bucket, u.key)
    }

    #[test]
    fn a_uri_is_a_bucket_and_the_rest_as_the_key() {
        assert_eq!(ok("s3://my-bucket"), ("my-bucket".into(), String::new()));
        assert_eq!(ok("s3://my-bucket/"), ("my-bucket".into(), String::new()));
        assert_eq!(
            ok("s3://my-bucket/a/b/"),
            ("my-bucket".into(), "a/b/".into())
        );
        assert_eq!(
            ok("s3://my-bucket/a//b c.txt"),
            ("my-bucket".into(), "a//b c.txt".into()),
            "the key is kept exactly"
        );
        assert!(S3Uri::parse("my-bucket").is_none(), "not a URI");
        assert!(S3Uri::parse("S3://my-bucket").is_none());
    }

    #[test]
    fn a_uri_without_a_valid_bucket_says_what_to_write() {
        assert_eq!(
            S3Uri::parse("s3:///key").unwrap().unwrap_err().to_string(),
            "\"s3:///key\" names no bucket; write s3://BUCKET/KEY"
        );
        assert_eq!(
            S3Uri::parse("s3://Bad_Bucket/k")
                .unwrap()
                .unwrap_err()
                .to_string(),
            "bucket name \"Bad_Bucket\" in \"s3://Bad_Bucket/k\" is not a valid S3 bucket name; use 3-63 lowercase letters, digits, '.' or '-'"
        );
    }
}
