//! Loads the base AWS configuration (the standard chain: env, profile, SSO, ...) that STS is
//! called with.

use crate::settings::BaseOptions;
use aws_config::meta::region::RegionProviderChain;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use std::time::Duration;

/// The region used when neither a flag, the environment nor a profile names one.
pub(crate) const FALLBACK_REGION: &str = "us-west-2";

/// The SDK config for the base credentials: the standard chain, or the named profile's
/// credentials when it was named explicitly.
pub async fn load_base_config(opts: &BaseOptions) -> SdkConfig {
    let region = RegionProviderChain::first_try(opts.region.clone().map(Region::new));
    let region = match &opts.profile {
        Some(profile) => region.or_else(
            aws_config::profile::ProfileFileRegionProvider::builder()
                .profile_name(profile)
                .build(),
        ),
        None => region,
    }
    .or_default_provider()
    .or_else(Region::from_static(FALLBACK_REGION));
    let region = region.region().await;
    let timeouts = aws_config::timeout::TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(u64::from(opts.timeouts.connect_secs)))
        .operation_attempt_timeout(Duration::from_secs(u64::from(opts.timeouts.attempt_secs)))
        .build();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(region.clone())
        .timeout_config(timeouts);
    if let Some(profile) = &opts.profile {
        loader = loader.profile_name(profile);
        if opts.explicit_profile {
            // A profile named on purpose wins over keys in the environment (the default chain
            // would try those first); a missing one is then an error, not a silent fallback.
            // (The provider gets the region: a profile that is itself a role is assumed by
            // the SDK, which needs one to sign with.)
            let config = aws_config::provider_config::ProviderConfig::default().with_region(region);
            loader = match own_keys(profile).filter(|_| opts.keys_only) {
                // A role profile that is its own source: its keys as they are (the SDK would
                // assume the role with them, and sts3 assume it again).
                Some(keys) => loader.credentials_provider(keys),
                None => loader.credentials_provider(
                    aws_config::profile::ProfileFileCredentialsProvider::builder()
                        .configure(&config)
                        .profile_name(profile)
                        .build(),
                ),
            };
        }
    }
    if let Some(url) = &opts.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
}

/// The static keys profile `name` holds in the shared files, if it holds any.
fn own_keys(name: &str) -> Option<aws_credential_types::Credentials> {
    let profiles = crate::settings::profiles::ProfileFiles::from_process().profiles();
    let props = profiles.get(name)?;
    Some(aws_credential_types::Credentials::new(
        props.get("aws_access_key_id")?,
        props.get("aws_secret_access_key")?,
        props.get("aws_session_token").cloned(),
        None,
        "the profile's own keys",
    ))
}
