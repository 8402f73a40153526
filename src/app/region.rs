//! Regions: a bucket in another region is followed (S3 says where with
//! `x-amz-bucket-region`: requests go there and the page is asked again, said in the status
//! bar), and the region picker (`ctrl-g`) changes the region STS and S3 are called in.

use super::picker::{Picker, Typed};
use super::{App, Effect, Level};
use chrono::{DateTime, Utc};

/// The regions of the `aws` partition, for the picker (any other name can be typed).
pub(crate) const REGIONS: [&str; 33] = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-south-1",
    "eu-south-2",
    "eu-north-1",
    "il-central-1",
    "me-south-1",
    "me-central-1",
    "mx-central-1",
    "sa-east-1",
];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RegionPicker {
    pub(crate) typed: Typed,
}

impl RegionPicker {
    pub(crate) fn choices(&self) -> Vec<&'static str> {
        REGIONS
            .iter()
            .copied()
            .filter(|r| self.typed.matches(r))
            .collect()
    }
}

impl Picker for RegionPicker {
    fn typed(&mut self) -> &mut Typed {
        &mut self.typed
    }

    fn names(&self, _recent: &[String]) -> Vec<String> {
        self.choices().into_iter().map(str::to_string).collect()
    }

    fn typed_name(&self, typed: &str) -> Option<Result<String, String>> {
        Some(if plausible(typed) {
            Ok(typed.to_string())
        } else {
            Err(format!(
                "{typed:?} is not a region name; type one like eu-central-1"
            ))
        })
    }
}

/// Whether `region` can be a region name (the picker also takes typed ones).
fn plausible(region: &str) -> bool {
    (1..=63).contains(&region.len())
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !region.starts_with('-')
        && !region.ends_with('-')
}

impl App {
    /// The region S3 requests go to now, when known.
    pub(crate) fn s3_region(&self) -> Option<String> {
        self.target
            .s3_region
            .clone()
            .or_else(|| self.target.base_for(self.session.mode()).region)
    }

    /// The region to show as where requests go: [`Self::s3_region`], else the one the AWS
    /// chain resolved for the session in use.
    pub(crate) fn shown_region(&self) -> Option<String> {
        self.s3_region()
            .or_else(|| self.session.info().and_then(|i| i.region.clone()))
    }

    /// S3 requests go to `region` from now on; said in the status bar and the history.
    pub(crate) fn switch_s3_region(&mut self, region: &str, now: DateTime<Utc>) -> Vec<Effect> {
        self.target.s3_region = Some(region.to_string());
        let text = format!("bucket {} is in {region}; switched", self.listing.bucket());
        self.history.record(now, Level::Info, text.clone());
        self.notify(text, Level::Info, now);
        vec![Effect::SetS3Region {
            region: Some(region.to_string()),
        }]
    }

    /// `ctrl-g`: the region picker.
    pub(crate) fn open_region_picker(&mut self) -> Vec<Effect> {
        self.regions = Some(RegionPicker::default());
        Vec::new()
    }

    /// STS and S3 in `region` from now on: new clients, the current mode re-issued, the
    /// listing reloaded.
    pub(crate) fn use_region(&mut self, region: &str, now: DateTime<Utc>) -> Vec<Effect> {
        self.regions = None;
        self.target.base.region = Some(region.to_string());
        for (_, b) in &mut self.target.mode_base {
            b.region = None;
        }
        self.target.s3_region = None;
        let mode = self.session.target_mode();
        self.history
            .record(now, Level::Info, format!("switched to region {region}"));
        self.notify(format!("calling AWS in {region}"), Level::Info, now);
        let mut effects = vec![Effect::SetS3Region { region: None }];
        effects.extend(self.reissue_from_new_bases(mode, now));
        effects
    }
}

#[cfg(test)]
mod tests;
