//! What each mode needs, validated before any network call.

use super::Mode;
use crate::policy::SessionPolicy;
use thiserror::Error;

/// A validated request for temporary credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialRequest {
    Federated {
        name: String,
        policy: SessionPolicy,
        duration_secs: u32,
    },
    AssumedRole {
        role_arn: String,
        session_name: String,
        policy: Option<SessionPolicy>,
        duration_secs: u32,
        external_id: Option<String>,
        mfa: Option<Mfa>,
    },
    SessionToken {
        duration_secs: u32,
        mfa: Option<Mfa>,
    },
}

impl CredentialRequest {
    pub fn mode(&self) -> Mode {
        match self {
            Self::Federated { .. } => Mode::Federated,
            Self::AssumedRole { .. } => Mode::AssumedRole,
            Self::SessionToken { .. } => Mode::SessionToken,
        }
    }

    /// The session policy attached to the request, if any.
    pub fn policy(&self) -> Option<&SessionPolicy> {
        match self {
            Self::Federated { policy, .. } => Some(policy),
            Self::AssumedRole { policy, .. } => policy.as_ref(),
            Self::SessionToken { .. } => None,
        }
    }
}

/// An MFA device and a one-time code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mfa {
    pub serial: String,
    pub code: String,
}

impl Mfa {
    pub fn new(serial: &str, code: &str) -> Result<Self, SpecError> {
        if serial.trim().is_empty() {
            return Err(SpecError::MfaSerial);
        }
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SpecError::MfaCode);
        }
        Ok(Self {
            serial: serial.trim().to_string(),
            code: code.to_string(),
        })
    }
}

/// A setting a mode cannot use. Each message names the problem and the fix.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SpecError {
    #[error(
        "duration {secs}s is out of range for {mode} mode ({min}-{max}s); pass --duration within it"
    )]
    Duration {
        mode: Mode,
        secs: u32,
        min: u32,
        max: u32,
    },
    #[error("assumed-role mode needs a role ARN; pass --role-arn arn:aws:iam::ACCOUNT:role/NAME")]
    MissingRoleArn,
    #[error("role ARN {0:?} is not an IAM role ARN; use the form arn:aws:iam::ACCOUNT:role/NAME")]
    BadRoleArn(String),
    #[error(
        "federated user name {0:?} is invalid; use 2-32 letters, digits or +=,.@- (pass -u NAME)"
    )]
    BadUserName(String),
    #[error("role session name {0:?} is invalid; use 2-64 letters, digits or +=,.@-")]
    BadSessionName(String),
    #[error("external id must be 2-1224 characters of letters, digits or +=,.@:/-")]
    BadExternalId,
    #[error("MFA serial is empty; pass --mfa-serial with the device ARN or serial number")]
    MfaSerial,
    #[error("MFA code must be exactly 6 digits; pass the current code from your device")]
    MfaCode,
    #[error("an MFA code needs an MFA device; pass --mfa-serial too")]
    MfaCodeWithoutSerial,
}

impl SpecError {
    /// The message for the terminal UI, which cannot take flags: the fix names the config
    /// key (and the flag for the next start).
    pub fn in_app(&self) -> String {
        let (problem, key, flag) = match self {
            SpecError::Duration {
                mode,
                secs,
                min,
                max,
            } => (
                format!("duration {secs}s is out of range for {mode} mode ({min}-{max}s)"),
                "duration",
                "--duration",
            ),
            SpecError::MissingRoleArn => (
                "assumed-role mode needs a role ARN".to_string(),
                "role_arn",
                "--role-arn",
            ),
            SpecError::BadUserName(name) => (
                format!("federated user name {name:?} is invalid (2-32 letters, digits or +=,.@-)"),
                "user",
                "-u",
            ),
            SpecError::MfaSerial | SpecError::MfaCodeWithoutSerial => (
                "no MFA device is set".to_string(),
                "mfa_serial",
                "--mfa-serial",
            ),
            SpecError::MfaCode => {
                return "MFA code must be exactly 6 digits; type the current code from your device"
                    .to_string();
            }
            SpecError::BadRoleArn(_) | SpecError::BadSessionName(_) | SpecError::BadExternalId => {
                return self.to_string();
            }
        };
        format!("{problem}; set `{key}` in config.toml, or start sts3 with {flag}")
    }
}

/// Rejects durations STS would reject, before any network call. Nothing is clamped silently.
pub fn validate_duration(mode: Mode, secs: u32) -> Result<u32, SpecError> {
    let (min, max) = mode.duration_range();
    if (min..=max).contains(&secs) {
        Ok(secs)
    } else {
        Err(SpecError::Duration {
            mode,
            secs,
            min,
            max,
        })
    }
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)
}

pub fn validate_user_name(name: &str) -> Result<String, SpecError> {
    let n = name.chars().count();
    if (2..=32).contains(&n) && name.chars().all(is_name_char) {
        Ok(name.to_string())
    } else {
        Err(SpecError::BadUserName(name.to_string()))
    }
}

pub fn validate_session_name(name: &str) -> Result<String, SpecError> {
    let n = name.chars().count();
    if (2..=64).contains(&n) && name.chars().all(is_name_char) {
        Ok(name.to_string())
    } else {
        Err(SpecError::BadSessionName(name.to_string()))
    }
}

pub fn validate_external_id(id: &str) -> Result<String, SpecError> {
    let n = id.chars().count();
    let ok_char = |c: char| is_name_char(c) || c == ':' || c == '/';
    if (2..=1224).contains(&n) && id.chars().all(ok_char) {
        Ok(id.to_string())
    } else {
        Err(SpecError::BadExternalId)
    }
}

/// `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`. The account may be empty only for local
/// services, which AWS would reject anyway, so it must be present here.
pub fn validate_role_arn(arn: &str) -> Result<String, SpecError> {
    let bad = || SpecError::BadRoleArn(arn.to_string());
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, region, account, resource] = parts.as_slice() else {
        return Err(bad());
    };
    let ok = *prefix == "arn"
        && partition.starts_with("aws")
        && *service == "iam"
        && region.is_empty()
        && !account.is_empty()
        && account.bytes().all(|b| b.is_ascii_digit())
        && resource.strip_prefix("role/").is_some_and(|rest| {
            !rest.is_empty()
                && !rest.ends_with('/')
                && rest.chars().all(|c| is_name_char(c) || c == '/')
        });
    if ok { Ok(arn.to_string()) } else { Err(bad()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duration_ranges_per_mode() {
        assert!(validate_duration(Mode::Federated, 900).is_ok());
        assert!(validate_duration(Mode::Federated, 129_600).is_ok());
        assert!(validate_duration(Mode::SessionToken, 129_600).is_ok());
        assert!(validate_duration(Mode::AssumedRole, 43_200).is_ok());
        let err = validate_duration(Mode::AssumedRole, 43_201).unwrap_err();
        assert_eq!(
            err.to_string(),
            "duration 43201s is out of range for assumed role mode (900-43200s); pass --duration within it"
        );
        assert!(validate_duration(Mode::Federated, 899).is_err());
        assert!(validate_duration(Mode::SessionToken, 129_601).is_err());
    }

    #[test]
    fn role_arns() {
        for good in [
            "arn:aws:iam::123456789012:role/S3Reader",
            "arn:aws:iam::000000000000:role/path/to/Role-1",
            "arn:aws-cn:iam::123456789012:role/x",
        ] {
            assert!(validate_role_arn(good).is_ok(), "{good}");
        }
        for bad in [
            "S3Reader",
            "arn:aws:iam::123456789012:user/bob",
            "arn:aws:s3:::bucket",
            "arn:aws:iam::abc:role/x",
            "arn:aws:iam::123456789012:role/",
            "arn:aws:iam:us-east-1:123456789012:role/x",
        ] {
            assert!(validate_role_arn(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn in_app_messages_name_the_config_key() {
        assert_eq!(
            SpecError::MissingRoleArn.in_app(),
            "assumed-role mode needs a role ARN; set `role_arn` in config.toml, or start sts3 with --role-arn"
        );
        let duration = validate_duration(Mode::AssumedRole, 50_000).unwrap_err();
        assert!(duration.in_app().contains("set `duration` in config.toml"));
        assert!(!SpecError::MfaCode.in_app().contains("pass"));
        for e in [
            SpecError::MissingRoleArn,
            SpecError::MfaSerial,
            SpecError::MfaCode,
            SpecError::MfaCodeWithoutSerial,
            SpecError::BadUserName("x".into()),
            duration,
        ] {
            assert!(!e.in_app().contains("pass --"), "{}", e.in_app());
        }
    }

    #[test]
    fn names_and_mfa() {
        assert!(validate_user_name("alice").is_ok());
        assert!(validate_user_name("a").is_err());
        assert!(validate_user_name("bad name").is_err());
        assert!(validate_user_name(&"x".repeat(33)).is_err());
        assert!(validate_session_name("assumerole-s3-list").is_ok());
        assert!(validate_session_name("x").is_err(), "too short");
        assert!(validate_session_name("bad name").is_err(), "a space");
        assert!(validate_session_name(&"x".repeat(65)).is_err(), "too long");
        assert!(validate_external_id("ext-id:1/2").is_ok());
        assert!(validate_external_id("x").is_err());
        assert!(Mfa::new("arn:aws:iam::1:mfa/me", "123456").is_ok());
        assert_eq!(
            Mfa::new("arn:aws:iam::1:mfa/me", "12345"),
            Err(SpecError::MfaCode)
        );
        assert_eq!(
            Mfa::new("arn:aws:iam::1:mfa/me", "12345a"),
            Err(SpecError::MfaCode)
        );
        assert_eq!(Mfa::new(" ", "123456"), Err(SpecError::MfaSerial));
    }
}
