//! What the session points at: the bucket and folder, the mode, as whom and where it asks STS
//! and S3, and the session policy it carries. Resolved once at start like the rest of the
//! settings, then the only part that changes while the TUI runs: the bucket, profile and region
//! pickers and the policy lab change the model's `Target`, never the [`super::Config`].

use super::base::{base_from_role, base_options, mode_bases, role_profile_over};
use super::checks::default_user;
use super::{
    AwsEnv, BaseFile, BaseOptions, Config, FileConfig, SetupError, default_of, profiles, read,
};
use crate::bucket::valid_bucket_name;
use crate::cli::Options;
use crate::credentials::{CredentialRequest, Mfa, Mode, SpecError, validate_duration};
use crate::policy::{Policy, SessionPolicy};
use std::path::Path;

/// What the session points at.
#[derive(Debug, Clone)]
pub struct Target {
    /// The bucket (empty: none yet; the TUI's picker chooses one). The TUI's listing takes it
    /// and the prefix at start and keeps them: they are not stored twice.
    pub bucket: String,
    /// The folder the listing starts in.
    pub prefix: String,
    pub mode: Mode,
    pub user: String,
    pub role_arn: Option<String>,
    pub session_name: String,
    pub duration_secs: u32,
    pub policy: SessionPolicy,
    /// Whether `policy` came from a file (else it is the default bucket policy).
    pub policy_from_file: bool,
    pub external_id: Option<String>,
    pub mfa_serial: Option<String>,
    pub base: BaseOptions,
    /// Per-mode overrides of `base`.
    pub mode_base: Vec<(Mode, BaseFile)>,
    /// The `~/.aws/config` role profile role mode comes from, if any.
    pub role_profile: Option<String>,
    /// The region S3 requests go to instead of the base one (the bucket is there), once a
    /// redirect or the region picker said so.
    pub s3_region: Option<String>,
}

impl Target {
    /// The session policy `mode`'s credentials carry: federated always (the file's or the
    /// default), an assumed role only a policy file's, a session token none.
    pub fn session_policy(&self, mode: Mode) -> Option<&SessionPolicy> {
        match mode {
            Mode::Federated => Some(&self.policy),
            Mode::AssumedRole => self.policy_from_file.then_some(&self.policy),
            Mode::SessionToken => None,
        }
    }

    /// The validated STS request for `mode`. `mfa_code` is the current one-time code, if any.
    pub fn request_for(
        &self,
        mode: Mode,
        mfa_code: Option<&str>,
    ) -> Result<CredentialRequest, SpecError> {
        use crate::credentials::checks as check;
        let duration_secs = validate_duration(mode, self.duration_secs)?;
        let mfa = match (&self.mfa_serial, mfa_code) {
            (Some(serial), Some(code)) => Some(Mfa::new(serial, code)?),
            (Some(_) | None, None) => None,
            (None, Some(_)) => return Err(SpecError::MfaCodeWithoutSerial),
        };
        Ok(match mode {
            Mode::Federated => CredentialRequest::Federated {
                name: check::user_name(&self.user)?,
                policy: self.policy.clone(),
                duration_secs,
            },
            Mode::AssumedRole => CredentialRequest::AssumedRole {
                role_arn: check::role_arn(
                    self.role_arn.as_deref().ok_or(SpecError::MissingRoleArn)?,
                )?,
                session_name: check::session_name(&self.session_name)?,
                policy: self.session_policy(mode).cloned(),
                duration_secs,
                external_id: self
                    .external_id
                    .as_deref()
                    .map(check::external_id)
                    .transpose()?,
                mfa,
            },
            Mode::SessionToken => CredentialRequest::SessionToken { duration_secs, mfa },
        })
    }

    /// What names the session `mode` gives for `bucket`, as far as sharing it goes: the same
    /// key from a TUI that shares its session and from `sts3 credentials` means the one can
    /// answer for the other (mode, as whom, where, and the session policy it carries).
    pub fn share_key(&self, mode: Mode, bucket: &str) -> String {
        let base = self.base_for(mode);
        let who = match mode {
            Mode::Federated => format!("user={}", self.user),
            Mode::AssumedRole => format!(
                "role={} session={} external-id={}",
                self.role_arn.as_deref().unwrap_or_default(),
                self.session_name,
                self.external_id.is_some()
            ),
            Mode::SessionToken => String::new(),
        };
        let policy = self.session_policy(mode).map_or("", SessionPolicy::compact);
        format!(
            "mode={mode} bucket={bucket} {who} profile={} region={} endpoint={} policy={policy}",
            base.profile.as_deref().unwrap_or_default(),
            base.region.as_deref().unwrap_or_default(),
            base.endpoint_url.as_deref().unwrap_or_default(),
        )
    }

    /// Where and as whom `mode` calls AWS: the base options with the mode's overrides.
    pub fn base_for(&self, mode: Mode) -> BaseOptions {
        let mut base = self.base.clone();
        if let Some((_, o)) = self.mode_base.iter().find(|(m, _)| *m == mode) {
            if o.profile.is_some() {
                base.explicit_profile = true;
                base.keys_only = false;
            }
            base.profile = o.profile.clone().or(base.profile);
            base.region = o.region.clone().or(base.region);
            base.endpoint_url = o.endpoint_url.clone().or(base.endpoint_url);
        }
        base
    }

    /// Whether some mode calls another endpoint, region or profile than another mode (then the
    /// session pane says where the session comes from).
    pub fn places_differ(&self) -> bool {
        let first = self.base_for(Mode::Federated);
        Mode::ALL.iter().any(|m| self.base_for(*m) != first)
    }

    /// Where `mode` calls AWS, for people: the region S3 requests go to (`s3_region`, when
    /// known), the endpoint's host and port (no user or password) and the profile, as k9s
    /// shows its context.
    pub fn place(&self, mode: Mode, s3_region: Option<&str>) -> String {
        let base = self.base_for(mode);
        let mut parts = vec![s3_region.map_or_else(
            || "region from the AWS chain".to_string(),
            ToString::to_string,
        )];
        parts.extend(base.endpoint_url.as_deref().map(shown_host));
        parts.extend(base.profile.as_ref().map(|p| format!("profile {p}")));
        parts.join(" · ")
    }

    /// Where `mode` calls STS, in a few words: the endpoint's host and port, else the
    /// regional endpoint's host, else the AWS chain's region.
    pub fn sts_place(&self, mode: Mode) -> String {
        let base = self.base_for(mode);
        match (&base.endpoint_url, &base.region) {
            (Some(url), _) => shown_host(url),
            (None, Some(region)) => format!("sts.{region}.amazonaws.com"),
            (None, None) => "the AWS chain's region".to_string(),
        }
    }

    /// Switches the base credentials to profile `name` (the profile picker): a role profile
    /// brings its role, external id, MFA device, session name and duration, and its source as
    /// the base; any other profile becomes the base. Returns whether it is a role profile.
    pub fn use_profile(
        &mut self,
        files: &profiles::ProfileFiles,
        name: &str,
    ) -> Result<bool, profiles::ProfileError> {
        let role = profiles::role_profile(files, name)?;
        if let Some(role) = &role {
            let named = self.base.endpoint_url.is_some();
            profiles::check_endpoint(files, role, named, false)?;
        }
        self.base.profile = Some(name.to_string());
        self.base.explicit_profile = true;
        self.role_profile = None;
        let Some(role) = role else {
            return Ok(false);
        };
        self.role_arn = Some(role.role_arn);
        self.external_id = role.external_id;
        self.mfa_serial = role.mfa_serial;
        if let Some(name) = role.session_name {
            self.session_name = name;
        }
        if let Some(secs) = role.duration_secs {
            self.duration_secs = secs;
        }
        base_from_role(&mut self.base, &role.base);
        self.role_profile = Some(role.name);
        Ok(true)
    }

    /// Whether `mode` will need an MFA code from the user.
    pub fn needs_mfa(&self, mode: Mode) -> bool {
        self.mfa_serial.is_some() && mode != Mode::Federated
    }

    /// Path-style addressing for custom endpoints (local services rarely do virtual hosts).
    pub fn path_style(&self) -> bool {
        self.base.endpoint_url.is_some()
            || self.mode_base.iter().any(|(_, b)| b.endpoint_url.is_some())
    }
}

/// `host:port` of an endpoint URL, never its user name or password.
fn shown_host(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => match (u.host_str(), u.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_string(),
            _ => "(custom endpoint)".to_string(),
        },
        Err(_) => "(custom endpoint)".to_string(),
    }
}

/// What the session points at: flags over the role profile over the config file.
pub(super) fn resolve_target(
    opts: &Options,
    file: &FileConfig,
    env: &AwsEnv,
    config: &Config,
) -> Result<Target, SetupError> {
    let mut base = base_options(opts, file, env)?;
    let role = role_profile_over(&mut base, env)?;
    let r = role.as_ref();
    let bucket = bucket_of(opts, file)?;
    let mode = default_of(
        opts.mode.or(r.map(|_| Mode::AssumedRole)).or(file.mode),
        "mode",
    )?;
    let duration_secs = default_of(
        opts.duration
            .or(r.and_then(|r| r.duration_secs))
            .or(file.duration),
        "duration",
    )?;
    validate_duration(mode, duration_secs)?;
    let prefix = opts
        .prefix
        .clone()
        .or(file.prefix.clone())
        .unwrap_or_default();
    let (policy, policy_from_file) = if let Some(name) = &opts.template {
        (template_policy(name, &bucket, &prefix, mode)?, true)
    } else if let Some(path) = opts.policy.as_ref().or(file.policy.as_ref()) {
        (load_policy(path)?, true)
    } else {
        (
            default_policy(&bucket, config.objects.allow_get_object)?,
            false,
        )
    };
    let mut target = Target {
        bucket,
        prefix,
        mode,
        user: opts
            .user
            .clone()
            .or(file.user.clone())
            .unwrap_or_else(default_user),
        role_arn: None,
        session_name: String::new(),
        duration_secs,
        policy,
        policy_from_file,
        external_id: None,
        mfa_serial: None,
        mode_base: mode_bases(file.modes.clone(), &base)?,
        base,
        role_profile: r.map(|r| r.name.clone()),
        s3_region: None,
    };
    take_role(&mut target, opts, r, file)?;
    Ok(target)
}

/// `--template NAME`: the policy lab's template for `bucket` (and `prefix`), as a policy
/// file would be; a session in session mode carries none.
fn template_policy(
    name: &str,
    bucket: &str,
    prefix: &str,
    mode: Mode,
) -> Result<SessionPolicy, SetupError> {
    if mode == Mode::SessionToken {
        return Err(SetupError::TemplateInSessionMode);
    }
    if bucket.is_empty() {
        return Err(SetupError::TemplateWithoutBucket(name.to_string()));
    }
    Ok(crate::policy::templates::by_name(name, bucket, prefix)?)
}

/// The bucket flag over the config file's (none: the TUI starts with its bucket picker;
/// commands need one, see `require_bucket`), checked.
fn bucket_of(opts: &Options, file: &FileConfig) -> Result<String, SetupError> {
    let bucket = opts
        .bucket
        .clone()
        .or(file.bucket.clone())
        .unwrap_or_default();
    if !bucket.is_empty() && !valid_bucket_name(&bucket) {
        return Err(SetupError::BadBucket(bucket));
    }
    Ok(bucket)
}

/// The role's ARN, session name, external id and MFA device: each flag over the role profile
/// over the config file.
fn take_role(
    target: &mut Target,
    opts: &Options,
    role: Option<&profiles::RoleProfile>,
    file: &FileConfig,
) -> Result<(), SetupError> {
    let pick = |flag: &Option<String>, profile: Option<&String>, file: &Option<String>| {
        flag.clone()
            .or_else(|| profile.cloned())
            .or_else(|| file.clone())
    };
    target.role_arn = pick(&opts.role_arn, role.map(|r| &r.role_arn), &file.role_arn);
    target.session_name = default_of(
        pick(
            &opts.session_name,
            role.and_then(|r| r.session_name.as_ref()),
            &file.session_name,
        ),
        "session_name",
    )?;
    target.external_id = pick(
        &opts.external_id,
        role.and_then(|r| r.external_id.as_ref()),
        &file.external_id,
    );
    target.mfa_serial = pick(
        &opts.mfa_serial,
        role.and_then(|r| r.mfa_serial.as_ref()),
        &file.mfa_serial,
    );
    if target
        .mfa_serial
        .as_deref()
        .is_some_and(|s| s.trim().is_empty())
    {
        return Err(SpecError::MfaSerial.into());
    }
    Ok(())
}

/// The session policy when no policy file is given: the bucket's (list it, and read it when
/// `allow_get`), or with no bucket yet the picker's (list the buckets, read nothing).
pub fn default_policy(bucket: &str, allow_get: bool) -> Result<SessionPolicy, SetupError> {
    let policy = if bucket.is_empty() {
        Policy::for_bucket_picker()
    } else {
        Policy::for_bucket(bucket, allow_get)
    };
    policy.build().map_err(SetupError::DefaultPolicy)
}

/// The largest policy file read: far more than a 2,048-character policy with whitespace.
const POLICY_FILE_MAX: u64 = 64 * 1024;

fn load_policy(path: &Path) -> Result<SessionPolicy, SetupError> {
    let text = read::read_small(path, POLICY_FILE_MAX, "a JSON file").map_err(|e| {
        SetupError::PolicyRead {
            path: path.display().to_string(),
            reason: e.reason(),
        }
    })?;
    SessionPolicy::parse(&text).map_err(|source| SetupError::Policy {
        path: path.display().to_string(),
        source,
    })
}
