//! Role profiles from the AWS CLI's shared files (`~/.aws/config`, `~/.aws/credentials`): a
//! profile with `role_arn` makes role mode use its role, external id, MFA device, session name
//! and duration, with base credentials from its `source_profile` (followed through chains as the
//! AWS CLI does) or from the environment (`credential_source = Environment`). sts3 calls
//! `AssumeRole` itself, so the countdown, refresh and MFA prompt stay its own.

use std::collections::BTreeMap;
use std::path::PathBuf;
use thiserror::Error;

/// The shared files' text and where it came from (read once; given as data in tests).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileFiles {
    pub config: String,
    pub credentials: String,
    /// `~/.aws/config` or `$AWS_CONFIG_FILE`, for messages.
    pub config_path: String,
    /// `~/.aws/credentials` or `$AWS_SHARED_CREDENTIALS_FILE`, for messages.
    pub credentials_path: String,
    /// A shared file too large to read (its path and size): the SDK would parse it whole, for
    /// a long time and much memory, so sts3 stops first.
    pub too_large: Option<(String, u64)>,
}

/// The largest shared file read.
const FILE_MAX: u64 = 1024 * 1024;

impl ProfileFiles {
    /// The files the AWS CLI reads: `$AWS_CONFIG_FILE` and `$AWS_SHARED_CREDENTIALS_FILE`, else
    /// the ones under `~/.aws`. A missing file is empty.
    pub fn from_process() -> Self {
        let home = std::env::var_os("HOME")
            .map(PathBuf::from)
            .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf()));
        let path = |var: &str, name: &str| {
            std::env::var_os(var)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| home.as_ref().map(|h| h.join(".aws").join(name)))
        };
        let read = |p: &Option<PathBuf>| {
            p.as_ref()
                .and_then(|p| super::read::read_small(p, FILE_MAX, "an AWS config file").ok())
                .unwrap_or_default()
        };
        let shown = |p: &Option<PathBuf>, fallback: &str| {
            p.as_ref()
                .map_or_else(|| fallback.to_string(), |p| p.display().to_string())
        };
        let config = path("AWS_CONFIG_FILE", "config");
        let credentials = path("AWS_SHARED_CREDENTIALS_FILE", "credentials");
        let too_large = [&config, &credentials].into_iter().flatten().find_map(|p| {
            let meta = std::fs::metadata(p).ok()?;
            (meta.is_file() && meta.len() > FILE_MAX).then(|| (p.display().to_string(), meta.len()))
        });
        Self {
            config: read(&config),
            credentials: read(&credentials),
            config_path: shown(&config, "~/.aws/config"),
            credentials_path: shown(&credentials, "~/.aws/credentials"),
            too_large,
        }
    }

    /// Every profile of both files: name → properties (keys lowercased). The config file names
    /// them `[profile NAME]` (and `[default]`), the credentials file `[NAME]`; both are merged,
    /// the credentials file's keys winning as they do for the AWS CLI.
    pub fn profiles(&self) -> BTreeMap<String, BTreeMap<String, String>> {
        let mut all: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for (section, props) in sections(&self.config) {
            let name = match section.strip_prefix("profile ") {
                Some(name) => name.trim().to_string(),
                None if section == "default" => section,
                None => continue, // sso-session, services...
            };
            all.entry(name).or_default().extend(props);
        }
        for (name, props) in sections(&self.credentials) {
            all.entry(name).or_default().extend(props);
        }
        all
    }
}

/// `[section]` → its `key = value` lines. Comments (`#`, `;`) and indented sub-properties
/// (`s3 =` blocks) are skipped.
fn sections(text: &str) -> Vec<(String, BTreeMap<String, String>)> {
    let mut out: Vec<(String, BTreeMap<String, String>)> = Vec::new();
    for raw in text.lines() {
        if raw.starts_with([' ', '\t']) {
            continue;
        }
        let line = raw.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            out.push((name.trim().to_string(), BTreeMap::new()));
        } else if let (Some((key, value)), Some((_, props))) =
            (line.split_once('='), out.last_mut())
        {
            props.insert(key.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    out
}

/// Where a role profile's base credentials come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleBase {
    /// This profile's credentials (keys, SSO, a process, or itself a role the SDK assumes).
    Profile(String),
    /// `credential_source = Environment`: the `AWS_ACCESS_KEY_ID` family.
    Environment,
    /// The keys of this very profile, whose `source_profile` names itself (the AWS CLI
    /// accepts that: the profile's own keys assume its role).
    OwnKeys(String),
}

/// What a profile with `role_arn` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleProfile {
    pub name: String,
    pub role_arn: String,
    pub external_id: Option<String>,
    pub mfa_serial: Option<String>,
    pub session_name: Option<String>,
    pub duration_secs: Option<u32>,
    pub base: RoleBase,
}

/// Why a role profile cannot be used. Each message names the profiles and the fix.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProfileError {
    #[error(
        "profile {name} has role_arn but neither source_profile nor credential_source; add source_profile = NAME (a profile with keys) to it in {file}"
    )]
    NoSource { name: String, file: String },
    #[error(
        "profile {name} names source_profile {missing}, which is in neither {config} nor {credentials}; add that profile or fix the name"
    )]
    MissingSource {
        name: String,
        missing: String,
        config: String,
        credentials: String,
    },
    #[error(
        "profile {from} (the source of {name}) is a role the AWS SDK would assume at the public STS endpoint, not at the endpoint named; add endpoint_url = URL to [profile {from}] in {file}, or set AWS_ENDPOINT_URL_STS"
    )]
    EndpointNotFollowed {
        name: String,
        from: String,
        file: String,
    },
    #[error("profiles loop through source_profile: {chain}; end the chain at a profile with keys")]
    Loop { chain: String },
    #[error(
        "profile {name}: credential_source = {value} is not supported by sts3; use source_profile, or credential_source = Environment"
    )]
    CredentialSource { name: String, value: String },
    #[error(
        "profile {name}: duration_seconds = {value} is not a number of seconds; fix it in {file}"
    )]
    Duration {
        name: String,
        value: String,
        file: String,
    },
}

/// The role profile `name`, if it is one (a profile without `role_arn`, or none by that name,
/// is `None`: its credentials are the base ones, as before).
pub fn role_profile(files: &ProfileFiles, name: &str) -> Result<Option<RoleProfile>, ProfileError> {
    let profiles = files.profiles();
    let Some(props) = profiles.get(name) else {
        return Ok(None);
    };
    let Some(role_arn) = props.get("role_arn") else {
        return Ok(None);
    };
    let base = base_of(files, &profiles, name)?;
    let duration_secs = match props.get("duration_seconds") {
        Some(v) => Some(v.parse().map_err(|_| ProfileError::Duration {
            name: name.to_string(),
            value: v.clone(),
            file: files.config_path.clone(),
        })?),
        None => None,
    };
    let get = |key: &str| props.get(key).cloned().filter(|v| !v.is_empty());
    Ok(Some(RoleProfile {
        name: name.to_string(),
        role_arn: role_arn.clone(),
        external_id: get("external_id"),
        mfa_serial: get("mfa_serial"),
        session_name: get("role_session_name"),
        duration_secs,
        base,
    }))
}

/// The base credentials of role profile `name`: its `source_profile`, whose own chain (each
/// a role with a source) must end at a profile with credentials and must not loop.
fn base_of(
    files: &ProfileFiles,
    profiles: &BTreeMap<String, BTreeMap<String, String>>,
    name: &str,
) -> Result<RoleBase, ProfileError> {
    let mut chain = vec![name.to_string()];
    let mut current = name.to_string();
    let mut first_source: Option<RoleBase> = None;
    loop {
        let props = &profiles[&current];
        let source = match (props.get("source_profile"), props.get("credential_source")) {
            (Some(source), _) => source.clone(),
            (None, Some(value)) if value.eq_ignore_ascii_case("Environment") => {
                return Ok(first_source.unwrap_or(RoleBase::Environment));
            }
            (None, Some(value)) => {
                return Err(ProfileError::CredentialSource {
                    name: current,
                    value: value.clone(),
                });
            }
            (None, None) => {
                return Err(ProfileError::NoSource {
                    name: current,
                    file: files.config_path.clone(),
                });
            }
        };
        // A profile that is its own source, with keys: they are the base (the AWS CLI's
        // reading). Deeper in a chain, the SDK reads it so itself.
        if source == current && props.contains_key("aws_access_key_id") {
            return Ok(first_source.unwrap_or(RoleBase::OwnKeys(current)));
        }
        if chain.contains(&source) {
            chain.push(source);
            return Err(ProfileError::Loop {
                chain: chain.join(" → "),
            });
        }
        let Some(next) = profiles.get(&source) else {
            return Err(ProfileError::MissingSource {
                name: current,
                missing: source,
                config: files.config_path.clone(),
                credentials: files.credentials_path.clone(),
            });
        };
        first_source.get_or_insert_with(|| RoleBase::Profile(source.clone()));
        chain.push(source.clone());
        if !next.contains_key("role_arn") {
            // The end of the chain: a profile with its own credentials.
            return Ok(first_source.unwrap_or(RoleBase::Profile(source)));
        }
        current = source;
    }
}

/// With an endpoint named (`--endpoint-url`, the config file), a role profile whose source is
/// itself a role the SDK assumes would send that call to the public STS endpoint unless the
/// source names an endpoint of its own: refused, so every STS call sts3 causes goes where the
/// user said. (`AWS_ENDPOINT_URL_STS` set: the SDK follows it; `sts_env`.)
pub fn check_endpoint(
    files: &ProfileFiles,
    role: &RoleProfile,
    endpoint_named: bool,
    sts_env: bool,
) -> Result<(), ProfileError> {
    let RoleBase::Profile(source) = &role.base else {
        return Ok(());
    };
    let profiles = files.profiles();
    let Some(props) = profiles.get(source) else {
        return Ok(());
    };
    if endpoint_named
        && !sts_env
        && props.contains_key("role_arn")
        && !props.contains_key("endpoint_url")
    {
        return Err(ProfileError::EndpointNotFollowed {
            name: role.name.clone(),
            from: source.clone(),
            file: files.config_path.clone(),
        });
    }
    Ok(())
}

/// The profiles of both files for the picker: name and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileSummary {
    pub name: String,
    /// `keys`, `role`, `SSO`, `process` or `other`.
    pub kind: &'static str,
    pub region: Option<String>,
    pub role_arn: Option<String>,
}

/// Every profile, in name order, with its kind.
pub fn summaries(files: &ProfileFiles) -> Vec<ProfileSummary> {
    files
        .profiles()
        .into_iter()
        .map(|(name, props)| {
            let kind = if props.contains_key("role_arn") {
                "role"
            } else if props.contains_key("sso_session") || props.contains_key("sso_start_url") {
                "SSO"
            } else if props.contains_key("credential_process") {
                "process"
            } else if props.contains_key("aws_access_key_id") {
                "keys"
            } else {
                "other"
            };
            ProfileSummary {
                kind,
                region: props.get("region").cloned(),
                role_arn: props.get("role_arn").cloned(),
                name,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
