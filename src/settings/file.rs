//! The config file: its shape (unknown keys are errors), parsing with line and column in
//! messages, and merging one file over another.

use super::SetupError;
use super::read::{ReadFailure, read_small};
use crate::credentials::Mode;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The config file's shape. Unknown keys are errors, so typos do not pass silently.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub bucket: Option<String>,
    pub prefix: Option<String>,
    pub user: Option<String>,
    pub region: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    pub mode: Option<Mode>,
    pub duration: Option<u32>,
    pub allow_get_object: Option<bool>,
    pub role_arn: Option<String>,
    pub session_name: Option<String>,
    pub external_id: Option<String>,
    pub mfa_serial: Option<String>,
    pub policy: Option<PathBuf>,
    pub page_size: Option<i32>,
    pub debug: Option<bool>,
    /// `sts3 list` output: stop after this many objects, JSON lines, one level only.
    pub limit: Option<usize>,
    pub json: Option<bool>,
    pub folders: Option<bool>,
    /// `aws s3 ls`'s lines, and the total size at the end.
    pub long: Option<bool>,
    pub summarize: Option<bool>,
    pub parallel: Option<usize>,
    pub preview_bytes: Option<u64>,
    pub download_dir: Option<PathBuf>,
    pub presign_secs: Option<u64>,
    pub part_size_mib: Option<u64>,
    pub delete_type_name_above: Option<usize>,
    pub restore_days: Option<u32>,
    pub mouse: Option<bool>,
    pub requester_pays: Option<super::RequesterPays>,
    #[serde(default)]
    pub refresh: RefreshFile,
    #[serde(default)]
    pub timeouts: TimeoutsFile,
    #[serde(default)]
    pub modes: ModesFile,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeoutsFile {
    pub connect_secs: Option<u32>,
    pub attempt_secs: Option<u32>,
}

/// Per-mode overrides of where and as whom STS and S3 are called (e.g. an MFA-enabled profile
/// for session tokens).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModesFile {
    pub federated: Option<BaseFile>,
    pub role: Option<BaseFile>,
    pub session: Option<BaseFile>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseFile {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefreshFile {
    pub margin_secs: Option<u32>,
    pub warn_secs: Option<u32>,
    pub danger_secs: Option<u32>,
}

impl FileConfig {
    /// Parses config text; `path` is only used in messages.
    pub fn parse(text: &str, path: &str) -> Result<Self, SetupError> {
        toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |span| line_col(text, span.start));
            SetupError::ConfigSyntax {
                path: path.to_string(),
                line,
                column,
                reason: e.message().trim().to_string(),
            }
        })
    }

    /// Reads a config file. A missing default file is fine; a missing explicit one is not.
    pub fn load(path: &Path, must_exist: bool) -> Result<Self, SetupError> {
        match read_small(path, super::SETTINGS_FILE_MAX, "a TOML file") {
            Ok(text) => Self::parse(&text, &path.display().to_string()),
            Err(ReadFailure::Missing(_)) if !must_exist => Ok(Self::default()),
            Err(e) => Err(SetupError::ConfigRead {
                path: path.display().to_string(),
                reason: e.reason(),
            }),
        }
    }

    /// `self` over `base`: values set here win.
    pub(super) fn over(self, base: FileConfig) -> FileConfig {
        FileConfig {
            bucket: self.bucket.or(base.bucket),
            prefix: self.prefix.or(base.prefix),
            user: self.user.or(base.user),
            region: self.region.or(base.region),
            profile: self.profile.or(base.profile),
            endpoint_url: self.endpoint_url.or(base.endpoint_url),
            mode: self.mode.or(base.mode),
            duration: self.duration.or(base.duration),
            allow_get_object: self.allow_get_object.or(base.allow_get_object),
            role_arn: self.role_arn.or(base.role_arn),
            session_name: self.session_name.or(base.session_name),
            external_id: self.external_id.or(base.external_id),
            mfa_serial: self.mfa_serial.or(base.mfa_serial),
            policy: self.policy.or(base.policy),
            page_size: self.page_size.or(base.page_size),
            debug: self.debug.or(base.debug),
            limit: self.limit.or(base.limit),
            json: self.json.or(base.json),
            folders: self.folders.or(base.folders),
            long: self.long.or(base.long),
            summarize: self.summarize.or(base.summarize),
            parallel: self.parallel.or(base.parallel),
            preview_bytes: self.preview_bytes.or(base.preview_bytes),
            download_dir: self.download_dir.or(base.download_dir),
            presign_secs: self.presign_secs.or(base.presign_secs),
            part_size_mib: self.part_size_mib.or(base.part_size_mib),
            delete_type_name_above: self.delete_type_name_above.or(base.delete_type_name_above),
            restore_days: self.restore_days.or(base.restore_days),
            mouse: self.mouse.or(base.mouse),
            requester_pays: self.requester_pays.or(base.requester_pays),
            refresh: RefreshFile {
                margin_secs: self.refresh.margin_secs.or(base.refresh.margin_secs),
                warn_secs: self.refresh.warn_secs.or(base.refresh.warn_secs),
                danger_secs: self.refresh.danger_secs.or(base.refresh.danger_secs),
            },
            timeouts: TimeoutsFile {
                connect_secs: self.timeouts.connect_secs.or(base.timeouts.connect_secs),
                attempt_secs: self.timeouts.attempt_secs.or(base.timeouts.attempt_secs),
            },
            modes: ModesFile {
                federated: self.modes.federated.or(base.modes.federated),
                role: self.modes.role.or(base.modes.role),
                session: self.modes.session.or(base.modes.session),
            },
        }
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}
