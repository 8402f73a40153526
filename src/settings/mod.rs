//! Settings as plain data, loaded in one place: the embedded defaults (`assets/config.toml`,
//! the only source of defaults), the user's config file (found through `directories`), and the
//! command-line flags, merged in that order of precedence (flags win) and validated before any
//! network call. The keymap is loaded here too.

mod base;
mod checks;
mod file;
mod keymap_file;
pub mod profiles;
mod read;
pub mod recent;
mod target;

pub use base::{AwsEnv, BaseOptions, Timeouts};
pub use file::{BaseFile, FileConfig, ModesFile, RefreshFile};
pub use keymap_file::load_keymap;
use target::resolve_target;
pub use target::{Target, default_policy};

use crate::cli::Options;
use crate::credentials::SpecError;
use crate::keymap::KeymapError;
use crate::policy::PolicyError;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The embedded default config; also the template users copy.
pub const DEFAULT_CONFIG: &str = include_str!("../../assets/config.toml");

/// Requests a parallel listing may send at once (`--parallel`, the config's `parallel`).
pub const PARALLEL: std::ops::RangeInclusive<usize> = 1..=64;

/// Why sts3 cannot start. Each message names the problem and the fix.
#[derive(Debug, Error)]
pub enum SetupError {
    #[error("no bucket given; pass -b BUCKET or an s3://BUCKET/… URI, or set `bucket` in {0}")]
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
    Template(#[from] crate::policy::templates::TemplateError),
    #[error("--template {0} is made for a bucket; pass -b BUCKET")]
    TemplateWithoutBucket(String),
    #[error("session mode carries no session policy; --template needs --mode federated or role")]
    TemplateInSessionMode,
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

/// `sts3 list`'s output options from the config file (its flags win).
// Each bool is one of the command's switches, as the config file gives it.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListDefaults {
    pub limit: Option<usize>,
    pub json: bool,
    pub folders: bool,
    pub long: bool,
    pub summarize: bool,
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
    /// Bytes an upload's part holds (`part_size_mib`); a file no larger goes in one PutObject.
    pub part_size: u64,
    /// Deleting more objects than this (or a folder) asks for the bucket's name typed.
    pub delete_type_name_above: usize,
    /// Days a restored copy of an archived object lasts (`z`, `sts3 restore`).
    pub restore_days: u32,
}

/// The most `delete_type_name_above` may be: past it, a single key press would delete more
/// than anyone checks by eye.
pub const MAX_DELETE_TYPE_NAME_ABOVE: usize = 1000;

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
    let part_size_mib = default_of(file.part_size_mib, "part_size_mib")?;
    if !crate::object::upload::PART_SIZE_MIB.contains(&part_size_mib) {
        return Err(SetupError::OutOfRange {
            key: "part_size_mib",
            value: part_size_mib,
            range: "5 and 5120 (5 GiB)",
        });
    }
    let delete_type_name_above = default_of(file.delete_type_name_above, "delete_type_name_above")?;
    if delete_type_name_above > MAX_DELETE_TYPE_NAME_ABOVE {
        return Err(SetupError::OutOfRange {
            key: "delete_type_name_above",
            value: delete_type_name_above as u64,
            range: "0 and 1000",
        });
    }
    let restore_days = default_of(file.restore_days, "restore_days")?;
    if crate::object::archive::check_days(restore_days).is_err() {
        return Err(SetupError::OutOfRange {
            key: "restore_days",
            value: u64::from(restore_days),
            range: "1 and 30000",
        });
    }
    Ok(ObjectSettings {
        restore_days,
        part_size: part_size_mib * crate::object::upload::MIB,
        delete_type_name_above,
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

/// Everything a run needs, resolved and validated: what stays as loaded, and what the session
/// points at (the part the TUI changes as it runs).
#[derive(Debug, Clone)]
pub struct Settings {
    pub config: Config,
    pub target: Target,
}

/// What is loaded once and never changes while sts3 runs.
#[derive(Debug, Clone)]
pub struct Config {
    pub page_size: i32,
    pub refresh: RefreshSettings,
    pub debug: bool,
    pub list: ListDefaults,
    pub objects: ObjectSettings,
    /// Mouse capture in the TUI.
    pub mouse: bool,
    /// Whether requests say the requester pays (a requester-pays bucket refuses the others).
    pub requester_pays: RequesterPays,
    /// The config file, as named in messages.
    pub config_shown: String,
    /// The AWS CLI's config and credentials files, for the profile picker.
    pub profile_files: profiles::ProfileFiles,
    /// Where the user's own session policies are (`policies/*.json` beside the config file).
    pub policies_dir: Option<PathBuf>,
    /// The one-time code given at start (`--mfa-code` or `STS3_MFA_CODE`), for the first
    /// issue that needs one.
    pub mfa_code: Option<String>,
    /// Buckets opened lately, newest first (from the state directory).
    pub recent_buckets: Vec<String>,
}

/// Requester-pays buckets charge each request to whoever sends it, and refuse (403) the
/// requests that do not agree to pay (`x-amz-request-payer: requester`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RequesterPays {
    /// Agree only when asked to: a refusal says how (`--requester-pays`).
    Ask,
    /// Every request agrees to pay.
    Always,
    /// Never agree, and say nothing of it.
    Never,
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
        settings.config.policies_dir = path
            .as_deref()
            .and_then(Path::parent)
            .map(|dir| dir.join("policies"));
        settings.config.recent_buckets = recent::read();
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
        let config = resolve_config(opts, &file, env, config_path)?;
        let target = resolve_target(opts, &file, env, &config)?;
        // The starting mode must be usable; other modes are checked when switched to.
        target.request_for(target.mode, config.mfa_code.as_deref())?;
        Ok(Settings { config, target })
    }

    /// A command needs a bucket (the TUI can pick one).
    pub fn require_bucket(&self) -> Result<(), SetupError> {
        if self.target.bucket.is_empty() {
            Err(SetupError::NoBucket(self.config.config_shown.clone()))
        } else {
            Ok(())
        }
    }
}

/// What stays as loaded: paging, refresh, output, objects, the mouse, the files.
fn resolve_config(
    opts: &Options,
    file: &FileConfig,
    env: &AwsEnv,
    config_path: &str,
) -> Result<Config, SetupError> {
    let page_size = default_of(opts.page_size.or(file.page_size), "page_size")?;
    if !(1..=1000).contains(&page_size) {
        return Err(SetupError::PageSize(page_size));
    }
    if let Some(n) = file.parallel
        && !PARALLEL.contains(&n)
    {
        return Err(SetupError::Parallel(n));
    }
    Ok(Config {
        page_size,
        refresh: refresh_settings(&file.refresh)?,
        debug: opts.debug || default_of(file.debug, "debug")?,
        list: ListDefaults {
            limit: file.limit,
            json: default_of(file.json, "json")?,
            folders: default_of(file.folders, "folders")?,
            long: default_of(file.long, "long")?,
            summarize: default_of(file.summarize, "summarize")?,
            parallel: file.parallel,
        },
        objects: object_settings(file)?,
        mouse: default_of(file.mouse, "mouse")?,
        requester_pays: if opts.requester_pays {
            RequesterPays::Always
        } else {
            default_of(file.requester_pays, "requester_pays")?
        },
        config_shown: config_path.to_string(),
        profile_files: env.profiles.clone(),
        policies_dir: None,
        // The prompt is the safe way; STS3_MFA_CODE keeps the code off the command line.
        mfa_code: opts.mfa_code.clone().or_else(|| env.mfa_code.clone()),
        recent_buckets: Vec::new(),
    })
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

/// The largest config or keymap file read.
pub(super) const SETTINGS_FILE_MAX: u64 = 512 * 1024;

#[cfg(test)]
mod tests;
