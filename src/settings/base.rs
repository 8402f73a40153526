//! Where and as whom sts3 calls AWS: the base credentials' profile, the region, the endpoint
//! and the timeouts, from the flags over the AWS environment over the config file, a role
//! profile's source, and each mode's overrides.

use super::checks::{check_endpoint, check_region};
use super::{BaseFile, FileConfig, ModesFile, SetupError, default_of, profiles};
use crate::cli::Options;
use crate::credentials::Mode;

/// Where, as whom and how patiently to call AWS: a profile for the base credentials, a region,
/// an endpoint, and timeouts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BaseOptions {
    pub profile: Option<String>,
    /// The profile was named by a flag or the config file (not only `AWS_PROFILE`): then its
    /// credentials win over the environment's keys, as with the AWS CLI's `--profile`.
    pub explicit_profile: bool,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub timeouts: Timeouts,
    /// Only the static keys of `profile` (a role profile that is its own source): the SDK
    /// must not assume the profile's role with them, sts3 does.
    pub keys_only: bool,
}

/// How long a request may take: to connect, and each attempt as a whole (the SDK retries
/// attempts that time out, then the failure is reported as a timeout).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Timeouts {
    pub connect_secs: u32,
    pub attempt_secs: u32,
}

/// What the AWS environment variables say, read once (and given as data in tests).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsEnv {
    pub profile: Option<String>,
    /// `AWS_REGION`, else `AWS_DEFAULT_REGION`, with the variable's name.
    pub region: Option<(String, &'static str)>,
    pub endpoint_url: Option<String>,
    /// `AWS_ENDPOINT_URL_STS` is set: the SDK sends the STS calls it makes itself there.
    pub sts_endpoint_set: bool,
    /// The variable holding base credentials that cannot go into a request (a control
    /// character), if any. (The credentials themselves are not kept here.)
    pub unsafe_credential: Option<&'static str>,
    /// The AWS CLI's config and credentials files.
    pub profiles: profiles::ProfileFiles,
    /// `STS3_MFA_CODE`: a one-time code for the first issue that needs one.
    pub mfa_code: Option<String>,
}

impl AwsEnv {
    /// The process's environment; empty values count as unset.
    pub fn from_process() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let unsafe_credential = match (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY")) {
            (Some(key), Some(secret)) => {
                let token = var("AWS_SESSION_TOKEN");
                crate::credentials::unsafe_part(&key, &secret, token.as_deref()).map(|part| {
                    match part {
                        "access key" => "AWS_ACCESS_KEY_ID",
                        "secret key" => "AWS_SECRET_ACCESS_KEY",
                        _ => "AWS_SESSION_TOKEN",
                    }
                })
            }
            _ => None,
        };
        Self {
            unsafe_credential,
            profile: var("AWS_PROFILE"),
            region: var("AWS_REGION")
                .map(|r| (r, "AWS_REGION"))
                .or_else(|| var("AWS_DEFAULT_REGION").map(|r| (r, "AWS_DEFAULT_REGION"))),
            endpoint_url: var("AWS_ENDPOINT_URL"),
            sts_endpoint_set: var("AWS_ENDPOINT_URL_STS").is_some(),
            profiles: profiles::ProfileFiles::from_process(),
            mfa_code: var("STS3_MFA_CODE"),
        }
    }
}

/// Where and as whom to call AWS: flags over the AWS environment over the config file, each
/// checked the same way, before any network call.
pub(super) fn base_options(
    opts: &Options,
    file: &FileConfig,
    env: &AwsEnv,
) -> Result<BaseOptions, SetupError> {
    let endpoint_url = match (&opts.endpoint_url, &env.endpoint_url, &file.endpoint_url) {
        (Some(url), _, _) | (None, None, Some(url)) => {
            check_endpoint(url)?;
            Some(url.clone())
        }
        (None, Some(url), _) => {
            check_endpoint(url).map_err(|_| SetupError::EnvEndpointUrl(url.clone()))?;
            Some(url.clone())
        }
        (None, None, None) => None,
    };
    let custom = endpoint_url.is_some();
    let region = match (&opts.region, &env.region, &file.region) {
        (Some(r), _, _) | (None, None, Some(r)) => {
            check_region(r, custom)?;
            Some(r.clone())
        }
        (None, Some((r, var)), _) => {
            check_region(r, custom).map_err(|e| match e {
                SetupError::Region(r) => SetupError::EnvRegion(r, var),
                other => other,
            })?;
            Some(r.clone())
        }
        (None, None, None) => None,
    };
    let explicit_profile = opts.profile.is_some() || file.profile.is_some();
    let profile = opts
        .profile
        .clone()
        .or_else(|| env.profile.clone())
        .or_else(|| file.profile.clone());
    if profile.as_deref().is_some_and(|p| p.trim().is_empty()) {
        return Err(SetupError::EmptyProfile);
    }
    // The environment's keys are used unless a profile is named explicitly.
    if let (false, Some(var)) = (explicit_profile, env.unsafe_credential) {
        return Err(SetupError::CredentialText { var });
    }
    let timeouts = Timeouts {
        connect_secs: default_of(file.timeouts.connect_secs, "timeouts.connect_secs")?,
        attempt_secs: default_of(file.timeouts.attempt_secs, "timeouts.attempt_secs")?,
    };
    if timeouts.connect_secs == 0 || timeouts.attempt_secs == 0 {
        return Err(SetupError::Timeouts);
    }
    Ok(BaseOptions {
        profile,
        explicit_profile,
        region,
        endpoint_url,
        timeouts,
        keys_only: false,
    })
}

/// The role profile named for the base credentials, if it is one: then the base credentials
/// are its source's (a profile, or the environment's keys).
pub(super) fn role_profile_over(
    base: &mut BaseOptions,
    env: &AwsEnv,
) -> Result<Option<profiles::RoleProfile>, SetupError> {
    let role = match &base.profile {
        Some(name) => profiles::role_profile(&env.profiles, name)?,
        None => None,
    };
    if let Some(role) = &role {
        // An endpoint from AWS_ENDPOINT_URL is the SDK's own for every call.
        let named = base.endpoint_url.is_some() && env.endpoint_url.is_none();
        profiles::check_endpoint(&env.profiles, role, named, env.sts_endpoint_set)?;
        base_from_role(base, &role.base);
    }
    Ok(role)
}

/// A role profile's base credentials: its source profile's (named on purpose, so they win
/// over the environment's keys), or the environment's.
pub(super) fn base_from_role(base: &mut BaseOptions, source: &profiles::RoleBase) {
    match source {
        profiles::RoleBase::Profile(source) => {
            base.profile = Some(source.clone());
            base.explicit_profile = true;
            base.keys_only = false;
        }
        profiles::RoleBase::OwnKeys(name) => {
            base.profile = Some(name.clone());
            base.explicit_profile = true;
            base.keys_only = true;
        }
        profiles::RoleBase::Environment => {
            base.profile = None;
            base.explicit_profile = false;
            base.keys_only = false;
        }
    }
}

/// The per-mode places of the config file (`[modes.role]` ...), checked like the flags.
pub(super) fn mode_bases(
    modes: ModesFile,
    base: &BaseOptions,
) -> Result<Vec<(Mode, BaseFile)>, SetupError> {
    let mode_base: Vec<(Mode, BaseFile)> = [
        (Mode::Federated, modes.federated),
        (Mode::AssumedRole, modes.role),
        (Mode::SessionToken, modes.session),
    ]
    .into_iter()
    .filter_map(|(m, b)| b.map(|b| (m, b)))
    .collect();
    for (_, b) in &mode_base {
        if let Some(url) = &b.endpoint_url {
            check_endpoint(url)?;
        }
        if let Some(region) = &b.region {
            let custom = b.endpoint_url.is_some() || base.endpoint_url.is_some();
            check_region(region, custom)?;
        }
    }
    Ok(mode_base)
}
