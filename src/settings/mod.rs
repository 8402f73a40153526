//! Settings as plain data, loaded in one place: the embedded defaults (`assets/config.toml`,
//! the only source of defaults), the user's config file (found through `directories`), and the
//! command-line flags, merged in that order of precedence (flags win) and validated before any
//! network call. The keymap is loaded here too.

mod checks;
mod file;
mod keymap_file;
pub mod profiles;
mod read;
pub mod recent;

pub use file::{BaseFile, FileConfig, ModesFile, RefreshFile};
pub use keymap_file::load_keymap;

use crate::bucket::valid_bucket_name;
use crate::cli::Options;
use crate::credentials::{CredentialRequest, Mfa, Mode, SpecError, validate_duration};
use crate::keymap::KeymapError;
use crate::policy::{Policy, PolicyError, SessionPolicy};
use checks::{check_endpoint, check_region, default_user};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The embedded default config; also the template users copy.
pub const DEFAULT_CONFIG: &str = include_str!("../../assets/config.toml");

/// Requests a parallel listing may send at once (`--parallel`, the config's `parallel`).
pub const PARALLEL: std::ops::RangeInclusive<usize> = 1..=64;

/// Why sts3 cannot start. Each message names the problem and the fix.
#[derive(Debug, Error)]
pub enum SetupError {
    #[error("no bucket given; pass -b BUCKET or set `bucket` in {0}")]
    NoBucket(String),
    #[error(
        "bucket name {0:?} is not a valid S3 bucket name; use 3-63 lowercase letters, digits, '.' or '-'"
    )]
    BadBucket(String),
    #[error("cannot read config file {path}: {reason}")]
    ConfigRead { path: String, reason: String },
    #[error(
        "AWS file {path} is {} bytes, over the 1 MiB sts3 reads (the SDK would parse it whole); trim it, or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at a smaller one",
        crate::object::detail::thousands(*.size)
    )]
    AwsFileTooLarge { path: String, size: u64 },
    #[error("config file {path} line {line}, column {column}: {reason}; fix or remove that line")]
    ConfigSyntax {
        path: String,
        line: usize,
        column: usize,
        reason: String,
    },
    #[error("cannot read policy file {path}: {reason}")]
    PolicyRead { path: String, reason: String },
    #[error("policy file {path}: {source}")]
    Policy { path: String, source: PolicyError },
    #[error("default session policy: {0}")]
    DefaultPolicy(PolicyError),
    #[error("{0}")]
    Spec(#[from] SpecError),
    #[error("page size {0} is out of range; pass --page-size between 1 and 1000")]
    PageSize(i32),
    #[error("parallel = {0} in the config file is out of range; set it between 1 and 64")]
    Parallel(usize),
    #[error(
        "endpoint URL {0:?} is not a valid http(s) URL; pass --endpoint-url like http://127.0.0.1:8333"
    )]
    EndpointUrl(String),
    #[error(
        "endpoint URL {0:?} in AWS_ENDPOINT_URL is not a valid http(s) URL; set it like http://127.0.0.1:8333 or unset it"
    )]
    EnvEndpointUrl(String),
    #[error("region {0:?} is not an AWS region name; pass -r like us-west-2 or eu-central-1")]
    Region(String),
    #[error(
        "region {0:?} in {1} is not an AWS region name; set it like us-west-2 or eu-central-1, or pass -r"
    )]
    EnvRegion(String, &'static str),
    #[error(
        "region {0:?} is not a valid name for a custom endpoint; use letters, digits and '-' (at most 63), e.g. us-east-1"
    )]
    EndpointRegion(String),
    #[error("timeouts must be at least 1 second; fix [timeouts] in the config file")]
    Timeouts,
    #[error("profile name is empty; pass --profile NAME or unset AWS_PROFILE")]
    EmptyProfile,
    #[error(
        "the {part} from the environment ({var}) contains a control character (a CRLF file?); set it again without it",
        part = credential_part(var)
    )]
    CredentialText { var: &'static str },
    #[error("refresh settings are inconsistent: {0}")]
    Refresh(String),
    #[error("cannot read keymap {path}: {reason}")]
    KeymapRead { path: String, reason: String },
    #[error("{0}")]
    Keymap(#[from] KeymapError),
    #[error("{key} = {value} is out of range; set {key} between {range} in the config file")]
    OutOfRange {
        key: &'static str,
        value: u64,
        range: &'static str,
    },
    #[error("{0}")]
    Profile(#[from] profiles::ProfileError),
    #[error("the built-in defaults lack `{0}`; this is a bug in sts3, please report it")]
    MissingDefault(&'static str),
}

/// What an AWS credential variable holds, in words.
fn credential_part(var: &str) -> &'static str {
    match var {
        "AWS_ACCESS_KEY_ID" => "access key",
        "AWS_SECRET_ACCESS_KEY" => "secret key",
        _ => "session token",
    }
}

/// Where sts3 keeps its files.
pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "sts3")
}

/// The default config file path.
pub fn default_config_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

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
    /// The variable holding base credentials that cannot go into a request (a control
    /// character), if any. (The credentials themselves are not kept here.)
    pub unsafe_credential: Option<&'static str>,
    /// The AWS CLI's config and credentials files.
    pub profiles: profiles::ProfileFiles,
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
            profiles: profiles::ProfileFiles::from_process(),
        }
    }
}

/// `sts3 list`'s output options from the config file (its flags win).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListDefaults {
    pub limit: Option<usize>,
    pub json: bool,
    pub folders: bool,
    pub parallel: Option<usize>,
}

/// Acting on objects in the TUI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectSettings {
    /// Bytes a preview fetches.
    pub preview_bytes: u64,
    /// Where `s` saves.
    pub download_dir: PathBuf,
    /// Seconds a presigned URL is asked to last (cut to the session's end).
    pub presign_secs: u64,
    /// The default session policy lets objects be read (`allow_get_object`).
    pub allow_get_object: bool,
}

/// The folder downloads go to when the config names none: the user's Downloads folder, else
/// the current one.
fn default_download_dir() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|d| d.download_dir().map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The object actions' settings from the merged config, checked.
fn object_settings(file: &FileConfig) -> Result<ObjectSettings, SetupError> {
    let preview_bytes = default_of(file.preview_bytes, "preview_bytes")?;
    if !(1..=16 * 1024 * 1024).contains(&preview_bytes) {
        return Err(SetupError::OutOfRange {
            key: "preview_bytes",
            value: preview_bytes,
            range: "1 and 16777216 (16 MiB)",
        });
    }
    let presign_secs = default_of(file.presign_secs, "presign_secs")?;
    if !(1..=crate::object::presign::MAX_SECS).contains(&presign_secs) {
        return Err(SetupError::OutOfRange {
            key: "presign_secs",
            value: presign_secs,
            range: "1 and 604800 (7 days)",
        });
    }
    Ok(ObjectSettings {
        preview_bytes,
        download_dir: file
            .download_dir
            .clone()
            .unwrap_or_else(default_download_dir),
        presign_secs,
        allow_get_object: default_of(file.allow_get_object, "allow_get_object")?,
    })
}

/// When to refresh and when to warn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshSettings {
    pub margin_secs: u32,
    pub warn_secs: u32,
    pub danger_secs: u32,
}

/// Everything a run needs, resolved and validated.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bucket: String,
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
    /// The one-time code given on the command line, for the first issue that needs one.
    pub mfa_code: Option<String>,
    pub base: BaseOptions,
    /// Per-mode overrides of `base`.
    pub mode_base: Vec<(Mode, BaseFile)>,
    pub page_size: i32,
    pub refresh: RefreshSettings,
    pub debug: bool,
    pub list: ListDefaults,
    pub objects: ObjectSettings,
    /// Mouse capture in the TUI.
    pub mouse: bool,
    /// The config file, as named in messages.
    pub config_shown: String,
    /// The AWS CLI's config and credentials files, for the profile picker.
    pub profile_files: profiles::ProfileFiles,
    /// Buckets opened lately, newest first (from the state directory).
    pub recent_buckets: Vec<String>,
    /// The `~/.aws/config` role profile role mode comes from, if any.
    pub role_profile: Option<String>,
    /// Where the user's own session policies are (`policies/*.json` beside the config file).
    pub policies_dir: Option<PathBuf>,
}

/// A value the embedded defaults must provide.
fn default_of<T>(value: Option<T>, key: &'static str) -> Result<T, SetupError> {
    value.ok_or(SetupError::MissingDefault(key))
}

impl Settings {
    /// Merges flags over the config file over the embedded defaults, and validates.
    pub fn resolve(opts: &Options) -> Result<Self, SetupError> {
        let (path, must_exist) = match &opts.config {
            Some(p) => (Some(p.clone()), true),
            None => (default_config_path(), false),
        };
        let file = match &path {
            Some(p) => FileConfig::load(p, must_exist)?,
            None => FileConfig::default(),
        };
        let shown_path = path
            .as_ref()
            .map_or_else(|| "config.toml".to_string(), |p| p.display().to_string());
        let env = AwsEnv::from_process();
        if let Some((path, size)) = &env.profiles.too_large {
            return Err(SetupError::AwsFileTooLarge {
                path: crate::escape::printable(path).into_owned(),
                size: *size,
            });
        }
        let mut settings = Self::merge(opts, file, &env, &shown_path)?;
        settings.policies_dir = path
            .as_deref()
            .and_then(Path::parent)
            .map(|dir| dir.join("policies"));
        settings.recent_buckets = recent::read();
        Ok(settings)
    }

    /// Like [`Settings::resolve`], with the config file's text given instead of read from disk.
    pub fn resolve_text(
        opts: &Options,
        config_text: &str,
        config_path: &str,
    ) -> Result<Self, SetupError> {
        Self::resolve_with_env(opts, config_text, config_path, &AwsEnv::default())
    }

    /// Like [`Settings::resolve_text`], with the AWS environment given too.
    pub fn resolve_with_env(
        opts: &Options,
        config_text: &str,
        config_path: &str,
        env: &AwsEnv,
    ) -> Result<Self, SetupError> {
        let file = FileConfig::parse(config_text, config_path)?;
        Self::merge(opts, file, env, config_path)
    }

    /// Flags over the AWS environment over `file` over the embedded defaults.
    fn merge(
        opts: &Options,
        file: FileConfig,
        env: &AwsEnv,
        config_path: &str,
    ) -> Result<Self, SetupError> {
        let file = file.over(FileConfig::parse(DEFAULT_CONFIG, "<built-in defaults>")?);
        let mut base = base_options(opts, &file, env)?;
        let role = role_profile_over(&mut base, env)?;
        // Flags over the role profile over the config file.
        let pick = |flag: &Option<String>, profile: Option<&String>, file: Option<String>| {
            flag.clone().or_else(|| profile.cloned()).or(file)
        };
        let r = role.as_ref();
        let objects = object_settings(&file)?;
        // No bucket: the TUI starts with its bucket picker; commands need one (require_bucket).
        let bucket = opts.bucket.clone().or(file.bucket).unwrap_or_default();
        if !bucket.is_empty() && !valid_bucket_name(&bucket) {
            return Err(SetupError::BadBucket(bucket));
        }
        let role_mode = role.as_ref().map(|_| Mode::AssumedRole);
        let mode = default_of(opts.mode.or(role_mode).or(file.mode), "mode")?;
        let role_duration = role.as_ref().and_then(|r| r.duration_secs);
        let duration_secs = default_of(
            opts.duration.or(role_duration).or(file.duration),
            "duration",
        )?;
        validate_duration(mode, duration_secs)?;
        let policy_path = opts.policy.clone().or(file.policy);
        let allow_get_object = objects.allow_get_object;
        let (policy, policy_from_file) = if let Some(path) = &policy_path {
            (load_policy(path)?, true)
        } else {
            (default_policy(&bucket, allow_get_object)?, false)
        };
        let page_size = default_of(opts.page_size.or(file.page_size), "page_size")?;
        if !(1..=1000).contains(&page_size) {
            return Err(SetupError::PageSize(page_size));
        }

        if let Some(n) = file.parallel
            && !PARALLEL.contains(&n)
        {
            return Err(SetupError::Parallel(n));
        }
        let refresh = refresh_settings(&file.refresh)?;
        let mode_base = mode_bases(file.modes, &base)?;
        let list = ListDefaults {
            limit: file.limit,
            json: default_of(file.json, "json")?,
            folders: default_of(file.folders, "folders")?,
            parallel: file.parallel,
        };
        let settings = Settings {
            bucket,
            prefix: opts.prefix.clone().or(file.prefix).unwrap_or_default(),
            mode,
            user: opts.user.clone().or(file.user).unwrap_or_else(default_user),
            role_arn: pick(&opts.role_arn, r.map(|r| &r.role_arn), file.role_arn),
            session_name: default_of(
                pick(
                    &opts.session_name,
                    r.and_then(|r| r.session_name.as_ref()),
                    file.session_name,
                ),
                "session_name",
            )?,
            duration_secs,
            policy,
            policy_from_file,
            external_id: pick(
                &opts.external_id,
                r.and_then(|r| r.external_id.as_ref()),
                file.external_id,
            ),
            mfa_serial: pick(
                &opts.mfa_serial,
                r.and_then(|r| r.mfa_serial.as_ref()),
                file.mfa_serial,
            ),
            // The prompt is the safe way; STS3_MFA_CODE keeps the code off the command line.
            mfa_code: opts.mfa_code.clone().or_else(|| {
                std::env::var("STS3_MFA_CODE")
                    .ok()
                    .filter(|c| !c.is_empty())
            }),
            base,
            mode_base,
            page_size,
            refresh,
            debug: opts.debug || default_of(file.debug, "debug")?,
            list,
            objects,
            mouse: default_of(file.mouse, "mouse")?,
            policies_dir: None,
            role_profile: r.map(|r| r.name.clone()),
            config_shown: config_path.to_string(),
            recent_buckets: Vec::new(),
            profile_files: env.profiles.clone(),
        };
        if settings
            .mfa_serial
            .as_deref()
            .is_some_and(|s| s.trim().is_empty())
        {
            return Err(SpecError::MfaSerial.into());
        }
        // The starting mode must be usable; other modes are checked when switched to.
        settings.request_for(mode, settings.mfa_code.as_deref())?;
        Ok(settings)
    }

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

    /// Where and as whom `mode` calls AWS: the base options with the mode's overrides.
    pub fn base_for(&self, mode: Mode) -> BaseOptions {
        let mut base = self.base.clone();
        if let Some((_, o)) = self.mode_base.iter().find(|(m, _)| *m == mode) {
            if o.profile.is_some() {
                base.explicit_profile = true;
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

    /// Where `mode` calls AWS, for people: the endpoint's host and port (no user or password),
    /// or the region, and the profile.
    pub fn place(&self, mode: Mode) -> String {
        let base = self.base_for(mode);
        let place = match &base.endpoint_url {
            Some(url) => shown_host(url),
            None => format!(
                "region {}",
                base.region.as_deref().unwrap_or("from the AWS chain")
            ),
        };
        match &base.profile {
            Some(profile) => format!("{place} · profile {profile}"),
            None => place,
        }
    }

    /// Switches the base credentials to profile `name` (the profile picker): a role profile
    /// brings its role, external id, MFA device, session name and duration, and its source as
    /// the base; any other profile becomes the base. Returns whether it is a role profile.
    pub fn use_profile(&mut self, name: &str) -> Result<bool, profiles::ProfileError> {
        let role = profiles::role_profile(&self.profile_files, name)?;
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

    /// A command needs a bucket (the TUI can pick one).
    pub fn require_bucket(&self) -> Result<(), SetupError> {
        if self.bucket.is_empty() {
            Err(SetupError::NoBucket(self.config_shown.clone()))
        } else {
            Ok(())
        }
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

/// Where and as whom to call AWS: flags over the AWS environment over the config file, each
/// checked the same way, before any network call.
fn base_options(
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
    })
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

/// When to refresh and when the countdown turns yellow and red.
fn refresh_settings(file: &RefreshFile) -> Result<RefreshSettings, SetupError> {
    let refresh = RefreshSettings {
        margin_secs: default_of(file.margin_secs, "refresh.margin_secs")?,
        warn_secs: default_of(file.warn_secs, "refresh.warn_secs")?,
        danger_secs: default_of(file.danger_secs, "refresh.danger_secs")?,
    };
    if refresh.danger_secs > refresh.warn_secs {
        return Err(SetupError::Refresh(
            "danger_secs must not exceed warn_secs".to_string(),
        ));
    }
    Ok(refresh)
}

/// The role profile named for the base credentials, if it is one: then the base credentials
/// are its source's (a profile, or the environment's keys).
fn role_profile_over(
    base: &mut BaseOptions,
    env: &AwsEnv,
) -> Result<Option<profiles::RoleProfile>, SetupError> {
    let role = match &base.profile {
        Some(name) => profiles::role_profile(&env.profiles, name)?,
        None => None,
    };
    if let Some(role) = &role {
        base_from_role(base, &role.base);
    }
    Ok(role)
}

/// A role profile's base credentials: its source profile's (named on purpose, so they win
/// over the environment's keys), or the environment's.
fn base_from_role(base: &mut BaseOptions, source: &profiles::RoleBase) {
    match source {
        profiles::RoleBase::Profile(source) => {
            base.profile = Some(source.clone());
            base.explicit_profile = true;
        }
        profiles::RoleBase::Environment => {
            base.profile = None;
            base.explicit_profile = false;
        }
    }
}

/// The per-mode places of the config file (`[modes.role]` ...), checked like the flags.
fn mode_bases(modes: ModesFile, base: &BaseOptions) -> Result<Vec<(Mode, BaseFile)>, SetupError> {
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

/// The largest policy file read: far more than a 2,048-character policy with whitespace.
const POLICY_FILE_MAX: u64 = 64 * 1024;

/// The largest config or keymap file read.
pub(super) const SETTINGS_FILE_MAX: u64 = 512 * 1024;

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

#[cfg(test)]
mod tests;
