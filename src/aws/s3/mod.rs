//! S3, signed with the temporary credentials in the slot: the client here, one file per action
//! (listing, objects).

mod archive;
mod check;
mod copy;
mod list;
mod multipart;
mod object;
mod versions;
mod walk;
mod write;

pub use archive::RestoreAsked;
pub use copy::{Source, single_copy_max};
pub use multipart::{Multipart, SentPart, Stored, Unfinished, UploadId};
pub use object::ObjectBody;
pub use walk::{Walked, walk_listing};
pub use write::DELETE_BATCH;

use super::interceptors::{BodyCap, OnRetryable, RepeatedHeaders, RetryNotifier};

/// No S3 answer sts3 asks for is larger: a page of 1,000 keys is well under 1 MiB.
const ANSWER_MAX_BYTES: u64 = 16 * 1024 * 1024;
use super::provider::CredentialSlot;
use aws_sdk_s3::config::{IdentityCache, SharedCredentialsProvider};

#[derive(Clone, Debug)]
pub struct S3Browser {
    pub(super) client: aws_sdk_s3::Client,
    /// Where S3 is, for messages.
    pub(super) place: String,
    /// The customer key its reads carry (SSE-C), when one was given for every object.
    pub(super) sse_c: Option<crate::object::sse_c::CustomerKey>,
    /// The customer keys given for single objects (the TUI's `K`): their reads carry them.
    pub(super) keyring: crate::object::sse_c::Keyring,
    /// Its reads agree to pay (`x-amz-request-payer: requester`).
    pub(super) charged: bool,
    /// GetObjects in flight at most, each counted until its body is dropped (a folder
    /// download's many objects and their parts share it).
    pub(super) gate: Option<std::sync::Arc<tokio::sync::Semaphore>>,
}

impl S3Browser {
    /// The same client, signing for and sending to `region` (a bucket in another region).
    #[must_use]
    pub fn in_region(&self, region: &str) -> Self {
        let config = self
            .client
            .config()
            .to_builder()
            .region(aws_sdk_s3::config::Region::new(region.to_string()))
            .build();
        Self {
            client: aws_sdk_s3::Client::from_conf(config),
            place: format!("S3 in region {region}"),
            sse_c: self.sse_c.clone(),
            keyring: self.keyring.clone(),
            charged: self.charged,
            gate: self.gate.clone(),
        }
    }

    /// The same client, its reads (listings, HeadObject, GetObject, presigned URLs) agreeing
    /// to pay for themselves when `charged` (a requester-pays bucket refuses the others).
    #[must_use]
    pub fn charged_to_requester(&self, charged: bool) -> Self {
        Self {
            charged,
            ..self.clone()
        }
    }

    /// `x-amz-request-payer` for its reads.
    pub(super) fn payer(&self) -> Option<aws_sdk_s3::types::RequestPayer> {
        self.charged
            .then_some(aws_sdk_s3::types::RequestPayer::Requester)
    }

    /// Whether its reads carry a customer key.
    pub fn has_customer_key(&self) -> bool {
        self.sse_c.is_some()
    }

    /// The same client, its reads (HeadObject, GetObject) carrying `key`: an object encrypted
    /// with a customer key (SSE-C) is read only so.
    #[must_use]
    pub fn with_customer_key(&self, key: crate::object::sse_c::CustomerKey) -> Self {
        Self {
            sse_c: Some(key),
            ..self.clone()
        }
    }

    /// The same client, with at most `at_once` GetObjects in flight (sent and not yet read to
    /// their end or dropped).
    #[must_use]
    pub fn gated(&self, at_once: usize) -> Self {
        Self {
            gate: Some(std::sync::Arc::new(tokio::sync::Semaphore::new(at_once))),
            ..self.clone()
        }
    }

    /// The same client, the reads of each object in `keyring` carrying its key.
    #[must_use]
    pub fn with_keyring(&self, keyring: crate::object::sse_c::Keyring) -> Self {
        Self {
            keyring,
            ..self.clone()
        }
    }

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
            .force_path_style(path_style)
            .interceptor(BodyCap(ANSWER_MAX_BYTES))
            .interceptor(RepeatedHeaders);
        if let Some(f) = on_retryable {
            builder = builder.interceptor(RetryNotifier(f));
        }
        let s3_config = builder.build();
        Self {
            client: aws_sdk_s3::Client::from_conf(s3_config),
            place: super::error::place_of("S3", config),
            sse_c: None,
            keyring: crate::object::sse_c::Keyring::default(),
            charged: false,
            gate: None,
        }
    }
}
