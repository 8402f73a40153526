//! RestoreObject: a readable copy of an archived object, for a number of days.

use super::S3Browser;
use crate::aws::error::failure_from_sdk;
use crate::failure::AwsFailure;
use crate::object::archive::Tier;
use aws_sdk_s3::types::{GlacierJobParameters, RestoreRequest, Tier as SdkTier};

/// What S3 said to a restore request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoreAsked {
    /// Accepted (or the copy's days changed, when one is there already).
    Started,
    /// One is under way already (`RestoreAlreadyInProgress`): nothing more to ask.
    InProgress,
}

/// The body of a RestoreObject: the days the copy lasts and the tier.
fn restore_request(days: u32, tier: Tier) -> Result<RestoreRequest, AwsFailure> {
    let job = GlacierJobParameters::builder()
        .tier(SdkTier::from(tier.name()))
        .build()
        .map_err(|e| AwsFailure::new(crate::failure::ErrorKind::Other, None, e.to_string()))?;
    Ok(RestoreRequest::builder()
        .days(i32::try_from(days).unwrap_or(i32::MAX))
        .glacier_job_parameters(job)
        .build())
}

impl S3Browser {
    /// Asks S3 to restore `key` (`version`: a given version) from its archive for `days`
    /// at `tier`.
    pub async fn restore_object(
        &self,
        bucket: &str,
        (key, version): (&str, Option<&str>),
        days: u32,
        tier: Tier,
    ) -> Result<RestoreAsked, AwsFailure> {
        let request = restore_request(days, tier)?;
        let answer = self
            .client
            .restore_object()
            .bucket(bucket)
            .key(key)
            .set_version_id(version.map(str::to_string))
            .restore_request(request)
            .send()
            .await;
        match answer {
            Ok(_) => Ok(RestoreAsked::Started),
            Err(e) => {
                let failure = failure_from_sdk(&e, &self.place, "RestoreObject answer");
                if failure.code.as_deref() == Some("RestoreAlreadyInProgress") {
                    Ok(RestoreAsked::InProgress)
                } else {
                    Err(failure)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_carries_the_days_and_the_tier_chosen() {
        for tier in Tier::ALL {
            let request = restore_request(3, tier).unwrap();
            assert_eq!(request.days(), Some(3));
            assert_eq!(
                request.glacier_job_parameters().map(|j| j.tier().as_str()),
                Some(tier.name())
            );
        }
    }
}
