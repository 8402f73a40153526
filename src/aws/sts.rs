//! STS: issues temporary credentials in the three modes.

use super::error::failure_from_sdk;
use super::interceptors::DateRecorder;
use crate::credentials::{CredentialRequest, Mfa, Mode, Secret, SecretCredentials, SessionInfo};
use crate::failure::{AwsFailure, ErrorKind};
use crate::policy::SessionPolicy;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use chrono::{DateTime, Utc};

/// A freshly issued session: what to show, and what to sign with.
#[derive(Debug, Clone)]
pub struct Issued {
    pub info: SessionInfo,
    pub secret: SecretCredentials,
}

/// What sts3 needs to know of the base credentials before calling STS with them.
#[derive(Debug, Clone, Copy)]
struct BaseFacts {
    temporary: bool,
    unsafe_part: Option<&'static str>,
}

/// Calls STS with the base credentials.
#[derive(Clone, Debug)]
pub struct StsIssuer {
    client: aws_sdk_sts::Client,
    /// The server's clock, from the `Date` of STS's last answer.
    dates: DateRecorder,
    base: Option<SharedCredentialsProvider>,
    /// Where STS is, for messages: the endpoint URL or the region.
    place: String,
    /// The region STS is called in (the AWS chain's when none was named).
    region: Option<String>,
    profile: Option<String>,
    /// How long resolving the base credentials may take: a request attempt's time
    /// (`[timeouts] attempt_secs`; a `credential_process` may never return).
    resolve_limit: std::time::Duration,
    /// What the base credentials are (looked at once they could be resolved).
    base_facts: std::sync::Arc<tokio::sync::OnceCell<BaseFacts>>,
}

impl StsIssuer {
    pub fn new(config: &aws_config::SdkConfig, profile: Option<&str>) -> Self {
        let place = super::error::place_of("STS", config);
        let dates = DateRecorder::default();
        Self {
            client: aws_sdk_sts::Client::from_conf(
                aws_sdk_sts::config::Builder::from(config)
                    .interceptor(dates.clone())
                    // STS answers are a few KiB.
                    .interceptor(super::interceptors::BodyCap(1024 * 1024))
                    .build(),
            ),
            dates,
            base: config.credentials_provider(),
            resolve_limit: config
                .timeout_config()
                .and_then(aws_config::timeout::TimeoutConfig::operation_attempt_timeout)
                .unwrap_or(std::time::Duration::from_secs(30)),
            place,
            region: config.region().map(ToString::to_string),
            profile: profile.map(str::to_string),
            base_facts: std::sync::Arc::default(),
        }
    }

    /// Issues credentials, with a precise message when the base credentials are the problem
    /// or STS cannot be reached.
    pub async fn issue(
        &self,
        request: &CredentialRequest,
        now: DateTime<Utc>,
    ) -> Result<Issued, AwsFailure> {
        self.check_base(request.mode()).await?;
        match self.issue_once(request, now).await {
            Ok(mut issued) => {
                issued.info.server_date = self.dates.take();
                issued.info.region.clone_from(&self.region);
                Ok(issued)
            }
            Err(f) if f.may_hide_base_credentials() => Err(self.explain(f).await),
            other => other,
        }
    }

    /// A network failure may really be missing base credentials: say so if it is.
    async fn explain(&self, failure: AwsFailure) -> AwsFailure {
        match self.base_credentials().await {
            Err(e) => e,
            Ok(()) => failure,
        }
    }

    /// Refuses base credentials that cannot work before calling: any with a character that
    /// cannot go into a header, and temporary ones for GetFederationToken and GetSessionToken
    /// (STS refuses those); base credentials that cannot be resolved are said for what they
    /// are (the call would fail on them, after waiting for them again).
    async fn check_base(&self, mode: Mode) -> Result<(), AwsFailure> {
        let facts = self
            .base_facts
            .get_or_try_init(|| async {
                let creds = self.resolve_base().await?;
                Ok(BaseFacts {
                    temporary: creds.session_token().is_some()
                        || creds.access_key_id().starts_with("ASIA"),
                    unsafe_part: crate::credentials::unsafe_part(
                        creds.access_key_id(),
                        creds.secret_access_key(),
                        creds.session_token(),
                    ),
                })
            })
            .await?;
        let refuse = |message: String| {
            Err(AwsFailure::new(
                ErrorKind::WrongBaseCredentials,
                None,
                message,
            ))
        };
        if let Some(part) = facts.unsafe_part {
            return refuse(format!(
                "the {part} from {} contains a control character (a CRLF file?)",
                self.source_name("")
            ));
        }
        if facts.temporary && matches!(mode, Mode::Federated | Mode::SessionToken) {
            return refuse(format!(
                "{mode} mode needs an IAM user's long-term keys; these are temporary credentials from {}; use role mode or a profile with user keys",
                self.source_name(" (AWS_SESSION_TOKEN, or an ASIA... key)")
            ));
        }
        Ok(())
    }

    /// Where the base credentials came from, in words.
    fn source_name(&self, env_detail: &str) -> String {
        match &self.profile {
            Some(profile) => format!("profile {profile:?}"),
            None if std::env::var_os("AWS_ACCESS_KEY_ID").is_some() => {
                format!("the environment{env_detail}")
            }
            None => {
                "the AWS credential chain (SSO, a role profile or instance metadata)".to_string()
            }
        }
    }

    /// Resolves the base credentials, to tell "none found" and "no such profile" apart from
    /// network trouble.
    pub async fn base_credentials(&self) -> Result<(), AwsFailure> {
        self.resolve_base().await.map(|_| ())
    }

    /// The base credentials, within the time of a request attempt (a `credential_process`
    /// may never return), or why not, in the words of what failed.
    async fn resolve_base(&self) -> Result<aws_credential_types::Credentials, AwsFailure> {
        let profile = self.profile.as_deref();
        let Some(provider) = &self.base else {
            return Err(no_credentials(profile, "no credentials provider"));
        };
        match tokio::time::timeout(self.resolve_limit, provider.provide_credentials()).await {
            Ok(Ok(creds)) => Ok(creds),
            Ok(Err(e)) => Err(no_credentials(profile, &innermost(&e))),
            Err(_) => Err(AwsFailure::new(
                ErrorKind::Timeout,
                None,
                format!(
                    "the base credentials{} did not come within {} s ([timeouts] attempt_secs){}",
                    profile.map_or_else(String::new, |p| format!(" of AWS profile \"{p}\"")),
                    self.resolve_limit.as_secs(),
                    match profile.map(kind_of) {
                        Some("process") => "; its credential_process has not returned",
                        _ => "",
                    }
                ),
            )),
        }
    }

    /// Issues credentials for `request`. `now` stamps the issue time.
    async fn issue_once(
        &self,
        request: &CredentialRequest,
        now: DateTime<Utc>,
    ) -> Result<Issued, AwsFailure> {
        match request {
            CredentialRequest::Federated {
                name,
                policy,
                duration_secs,
            } => {
                self.federation_token(name, policy, *duration_secs, now)
                    .await
            }
            CredentialRequest::AssumedRole {
                role_arn,
                session_name,
                policy,
                duration_secs,
                external_id,
                mfa,
            } => {
                let mut call = self
                    .client
                    .assume_role()
                    .role_arn(role_arn)
                    .role_session_name(session_name)
                    .duration_seconds(to_i32(*duration_secs))
                    .set_policy(policy.as_ref().map(|p| p.compact().to_string()))
                    .set_external_id(external_id.clone());
                if let Some(mfa) = mfa {
                    call = call.serial_number(&mfa.serial).token_code(&mfa.code);
                }
                self.assume_role(call, now).await
            }
            CredentialRequest::SessionToken { duration_secs, mfa } => {
                self.session_token(*duration_secs, mfa.as_ref(), now).await
            }
        }
    }

    /// GetFederationToken.
    async fn federation_token(
        &self,
        name: &str,
        policy: &SessionPolicy,
        duration_secs: u32,
        now: DateTime<Utc>,
    ) -> Result<Issued, AwsFailure> {
        let out = self
            .client
            .get_federation_token()
            .name(name)
            .policy(policy.compact())
            .duration_seconds(to_i32(duration_secs))
            .send()
            .await
            .map_err(|e| failure_from_sdk(&e, &self.place, "an STS answer"))?;
        let principal = out
            .federated_user()
            .map(|u| u.arn().to_string())
            .unwrap_or_default();
        let percent = out.session_token_utilization();
        assemble(Mode::Federated, &principal, percent, out.credentials(), now)
    }

    /// AssumeRole, as `call` asks.
    async fn assume_role(
        &self,
        call: aws_sdk_sts::operation::assume_role::builders::AssumeRoleFluentBuilder,
        now: DateTime<Utc>,
    ) -> Result<Issued, AwsFailure> {
        let out = call
            .send()
            .await
            .map_err(|e| failure_from_sdk(&e, &self.place, "an STS answer"))?;
        let principal = out
            .assumed_role_user()
            .map(|u| u.arn().to_string())
            .unwrap_or_default();
        let percent = out.session_token_utilization();
        assemble(
            Mode::AssumedRole,
            &principal,
            percent,
            out.credentials(),
            now,
        )
    }

    /// GetSessionToken.
    async fn session_token(
        &self,
        duration_secs: u32,
        mfa: Option<&Mfa>,
        now: DateTime<Utc>,
    ) -> Result<Issued, AwsFailure> {
        let mut call = self
            .client
            .get_session_token()
            .duration_seconds(to_i32(duration_secs));
        if let Some(mfa) = mfa {
            call = call.serial_number(&mfa.serial).token_code(&mfa.code);
        }
        let out = call
            .send()
            .await
            .map_err(|e| failure_from_sdk(&e, &self.place, "an STS answer"))?;
        // The session carries the caller's own identity and permissions.
        let principal = self.caller_arn().await.unwrap_or_default();
        assemble(Mode::SessionToken, &principal, None, out.credentials(), now)
    }

    /// The ARN of the base credentials' principal.
    pub async fn caller_arn(&self) -> Result<String, AwsFailure> {
        let out = self
            .client
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| failure_from_sdk(&e, &self.place, "an STS answer"))?;
        Ok(out.arn().unwrap_or_default().to_string())
    }
}

/// The kind of profile `name` in the shared files (`SSO`, `process`, `role`, `keys`, `other`;
/// `none` when there is no such profile).
fn kind_of(name: &str) -> &'static str {
    crate::settings::profiles::summaries(&crate::settings::profiles::ProfileFiles::from_process())
        .into_iter()
        .find(|p| p.name == name)
        .map_or("none", |p| p.kind)
}

/// The words of the deepest cause of `e` (the SDK wraps a provider's error in two more that
/// say only "an error occurred while loading credentials").
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// Base credentials that could not be resolved, said for what the profile is: an SSO profile
/// needs a login, a `credential_process` failed in its own words (escaped and cut, as every
/// failure's message is).
fn no_credentials(profile: Option<&str>, detail: &str) -> AwsFailure {
    tracing::debug!(detail, "base credentials unavailable");
    let message = match profile {
        Some(p) => match kind_of(p) {
            "SSO" => format!(
                "AWS profile \"{p}\" signs in with SSO and has no valid token; run `aws sso login --profile {p}`"
            ),
            "process" => format!(
                "the credential_process of AWS profile \"{p}\" failed: {}",
                detail.trim()
            ),
            _ => format!(
                "AWS profile \"{p}\" was not found or has no credentials; check --profile / AWS_PROFILE and ~/.aws/config"
            ),
        },
        _ => "no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass --profile, or run `aws sso login`".to_string(),
    };
    AwsFailure::new(ErrorKind::NoCredentials, None, message)
}

/// No STS session lasts longer (GetFederationToken and GetSessionToken: 129,600 s).
const LONGEST_SESSION: chrono::TimeDelta = chrono::TimeDelta::hours(36);

/// How far this computer's clock may be from STS's and the signed call still be accepted
/// (SigV4 allows 15 minutes), with room to spare.
const CLOCK_ALLOWANCE: chrono::TimeDelta = chrono::TimeDelta::hours(1);

fn to_i32(secs: u32) -> i32 {
    i32::try_from(secs).unwrap_or(i32::MAX)
}

fn assemble(
    mode: Mode,
    principal_arn: &str,
    packed_policy_percent: Option<i32>,
    creds: Option<&aws_sdk_sts::types::Credentials>,
    now: DateTime<Utc>,
) -> Result<Issued, AwsFailure> {
    let creds = creds.ok_or_else(|| {
        AwsFailure::new(ErrorKind::Other, None, "STS answered without credentials")
    })?;
    let exp = creds.expiration();
    let expires_at = super::chrono_time(exp)
        .ok_or_else(|| AwsFailure::new(ErrorKind::Other, None, "STS sent an invalid expiration"))?;
    if expires_at > now + LONGEST_SESSION + CLOCK_ALLOWANCE {
        return Err(AwsFailure::new(
            ErrorKind::BadAnswer,
            None,
            format!(
                "STS's answer says the credentials expire at {} (its Expiration), more than 36 hours away, longer than any STS session lasts; check that the endpoint is really STS",
                expires_at.format("%Y-%m-%d %H:%M:%S UTC")
            ),
        ));
    }
    if let Some(part) = crate::credentials::unsafe_part(
        creds.access_key_id(),
        creds.secret_access_key(),
        Some(creds.session_token()),
    ) {
        return Err(AwsFailure::new(
            ErrorKind::BadAnswer,
            None,
            format!(
                "the {part} in STS's answer contains a control character; check that the endpoint is really STS"
            ),
        ));
    }
    let access_key_id = creds.access_key_id().to_string();
    Ok(Issued {
        info: SessionInfo {
            mode,
            principal_arn: crate::escape::capped(principal_arn),
            access_key_id: access_key_id.clone(),
            issued_at: now,
            expires_at,
            packed_policy_percent,
            server_date: None,
            region: None,
        },
        secret: SecretCredentials {
            access_key_id,
            secret_access_key: Secret::new(creds.secret_access_key()),
            session_token: Secret::new(creds.session_token()),
            expires_at,
        },
    })
}
