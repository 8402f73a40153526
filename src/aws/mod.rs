//! The only place that talks to STS and S3. Everything it returns is plain domain data
//! ([`crate::credentials`], [`crate::bucket`], [`crate::failure`]); SDK types stay in here.

mod base;
mod error;
mod interceptors;
mod provider;
mod s3;
mod store;
mod sts;

pub use base::load_base_config;
pub use interceptors::OnRetryable;
pub use provider::CredentialSlot;
pub use s3::{
    DELETE_BATCH, Multipart, ObjectBody, RestoreAsked, S3Browser, SentPart, Source, Stored,
    Unfinished, UploadId, Walked, single_copy_max, walk_listing,
};
pub use store::{ObjectStore, Renewing, Stop, until_stopped};
pub use sts::{Issued, StsIssuer};

/// An SDK time as a `chrono` one (`None` when out of chrono's range).
fn chrono_time(t: &aws_smithy_types::DateTime) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::from_timestamp(t.secs(), t.subsec_nanos())
}

/// The clients one sts3 run uses: STS with the base (long-term) credentials, S3 with whatever
/// temporary credentials are in the slot right now.
#[derive(Clone, Debug)]
pub struct Clients {
    pub sts: StsIssuer,
    pub s3: S3Browser,
    pub slot: CredentialSlot,
}

impl Clients {
    /// Clients with no profile named and no retry listener (the live tests' shortcut).
    #[cfg(feature = "testing")]
    pub fn new(config: &aws_config::SdkConfig, path_style: bool) -> Self {
        Self::build(config, path_style, None, None)
    }

    /// All options: `profile` names the base profile in messages; `on_retryable` hears of S3 attempts the SDK is about to retry.
    pub fn build(
        config: &aws_config::SdkConfig,
        path_style: bool,
        profile: Option<&str>,
        on_retryable: Option<OnRetryable>,
    ) -> Self {
        let slot = CredentialSlot::default();
        Self {
            sts: StsIssuer::new(config, profile),
            s3: S3Browser::new(config, slot.clone(), path_style, on_retryable),
            slot,
        }
    }
}
