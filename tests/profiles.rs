//! Role profiles from the AWS CLI's files, end to end against the local service: a profile with
//! `role_arn` and `source_profile` (and a chain of two) makes `sts3 list --profile NAME` assume
//! the role itself; the principal is `assumed-role/ROLE/SESSION`; the profile's keys win over
//! the environment's; a loop or a missing source stops before any request, naming the profiles.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::service;
use std::path::Path;
use std::process::Output;

/// `~/.aws/config` and `~/.aws/credentials` in a temp HOME: `base` holds the service's keys.
/// The profiles name the local service as their `endpoint_url` (the AWS SDKs' configured
/// endpoints), so a role the SDK assumes in a chain is asked of it too.
fn aws_home(dir: &Path, config_extra: &str) {
    let s = service();
    common::write_aws_files(
        dir,
        &format!(
            "[profile base]\nregion = {region}\nendpoint_url = {endpoint}\n\n[profile demo-role]\nrole_arn = {role}\nsource_profile = base\nrole_session_name = from-profile\nduration_seconds = 900\nendpoint_url = {endpoint}\n\n{config_extra}",
            region = s.region,
            role = s.role_arn,
            endpoint = s.endpoint
        ),
    );
}

fn list(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let s = service();
    let mut cmd = common::sts3();
    cmd.envs(s.env())
        .env("HOME", dir)
        .env_remove("AWS_CONFIG_FILE")
        .env_remove("AWS_SHARED_CREDENTIALS_FILE")
        .args([
            "list",
            "-b",
            &s.bucket,
            "--endpoint-url",
            &s.endpoint,
            "--limit",
            "2",
        ])
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_role_profile_assumes_its_role_with_its_source_profiles_keys() {
    let dir = tempfile::tempdir().unwrap();
    aws_home(dir.path(), "");
    // Bogus keys in the environment: the profile named on purpose wins over them.
    let out = list(
        dir.path(),
        &["--profile", "demo-role"],
        &[
            ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
            ("AWS_SECRET_ACCESS_KEY", "wrong"),
        ],
    );
    let all = text(&out);
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(
        all.contains("assumed-role/S3BrowseRole/from-profile"),
        "the role of the profile, its session name: {all}"
    );
}

#[test]
fn a_role_profile_that_is_its_own_source_assumes_its_role_with_its_own_keys() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    aws_home(
        dir.path(),
        &format!(
            "[profile selfish]\nrole_arn = {}\nsource_profile = selfish\nrole_session_name = own-keys\n",
            s.role_arn
        ),
    );
    let credentials = dir.path().join(".aws/credentials");
    let keys = std::fs::read_to_string(&credentials).unwrap()
        + &format!(
            "[selfish]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            s.access_key, s.secret_key
        );
    std::fs::write(&credentials, keys).unwrap();
    // As the AWS CLI does: the profile's keys assume its role, once (not a role chained on a
    // session the SDK assumed first).
    let out = list(dir.path(), &["--profile", "selfish"], &[]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(all.contains("assumed-role/S3BrowseRole/own-keys"), "{all}");
}

#[test]
fn a_chain_of_two_and_aws_profile_work_and_flags_win() {
    let dir = tempfile::tempdir().unwrap();
    let role = &service().role_arn;
    aws_home(
        dir.path(),
        &format!("[profile hop]\nrole_arn = {role}\nsource_profile = demo-role\n"),
    );
    // hop's base is demo-role's session (the SDK assumes it from base's keys).
    let out = list(dir.path(), &[], &[("AWS_PROFILE", "hop")]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(all.contains("assumed-role/S3BrowseRole/"), "{all}");
    // A flag wins over the profile's session name.
    let out = list(
        dir.path(),
        &["--profile", "demo-role", "--session-name", "from-flag"],
        &[],
    );
    let all = text(&out);
    assert!(all.contains("assumed-role/S3BrowseRole/from-flag"), "{all}");
}

#[test]
fn a_source_role_the_sdk_would_assume_elsewhere_than_the_endpoint_named_is_refused() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    aws_home(
        dir.path(),
        &format!(
            "[profile public-hop]\nrole_arn = {role}\nsource_profile = base\n\n[profile top]\nrole_arn = {role}\nsource_profile = public-hop\n",
            role = s.role_arn
        ),
    );
    // public-hop names no endpoint: the SDK would call the public STS with base's keys.
    let out = list(dir.path(), &["--profile", "top"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("sts3: profile public-hop (the source of top) is a role the AWS SDK would assume at the public STS endpoint, not at the endpoint named; add endpoint_url = URL to [profile public-hop] in "),
        "{err}"
    );
    // AWS_ENDPOINT_URL_STS set: the SDK follows it, and the chain works.
    let out = list(
        dir.path(),
        &["--profile", "top"],
        &[("AWS_ENDPOINT_URL_STS", &s.endpoint)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn profile_names_from_the_files_reach_stderr_escaped() {
    let dir = tempfile::tempdir().unwrap();
    aws_home(
        dir.path(),
        "[profile e\u{1b}]0;pwned\u{7}vil]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = e\u{1b}]0;pwned\u{7}vil\n",
    );
    let out = list(dir.path(), &["--profile", "e\u{1b}]0;pwned\u{7}vil"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(
        err.contains("e\\u{1b}]0;pwned\\u{7}vil → e\\u{1b}]0;pwned\\u{7}vil"),
        "{err:?}"
    );
}

#[test]
fn a_broken_profile_chain_stops_before_any_request() {
    let dir = tempfile::tempdir().unwrap();
    aws_home(
        dir.path(),
        "[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = a\n[profile lost]\nrole_arn = arn:aws:iam::1:role/L\nsource_profile = gone\n",
    );
    let out = list(dir.path(), &["--profile", "a"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "sts3: profiles loop through source_profile: a → b → a; end the chain at a profile with keys"
    );
    let out = list(dir.path(), &["--profile", "lost"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("profile lost names source_profile gone, which is in neither")
            && err.contains(".aws/config"),
        "{err}"
    );
}

#[test]
fn a_keys_profile_an_environment_role_and_an_mfa_role_from_a_temp_home() {
    use common::proxy::FaultProxy;
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    aws_home(
        dir.path(),
        &format!(
            "[profile env-role]\nrole_arn = {role}\ncredential_source = Environment\nrole_session_name = from-env\n[profile mfa-role]\nrole_arn = {role}\nsource_profile = base\nmfa_serial = arn:aws:iam::000000000000:mfa/alice\nrole_session_name = with-mfa\n",
            role = s.role_arn
        ),
    );
    // A keys profile is the base, as before: federated as alice.
    let out = list(dir.path(), &["--profile", "base", "-u", "alice"], &[]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(all.contains("federated-user/alice"), "{all}");
    // credential_source = Environment: the environment's keys assume the role.
    let out = list(
        dir.path(),
        &["--profile", "env-role"],
        &[
            ("AWS_ACCESS_KEY_ID", &s.access_key),
            ("AWS_SECRET_ACCESS_KEY", &s.secret_key),
        ],
    );
    let all = text(&out);
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(all.contains("assumed-role/S3BrowseRole/from-env"), "{all}");
    // mfa_serial: the code from STS3_MFA_CODE goes to AssumeRole (seen at the proxy).
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let mut cmd = common::sts3();
    cmd.envs(s.env())
        .env("HOME", dir.path())
        .env_remove("AWS_CONFIG_FILE")
        .env_remove("AWS_SHARED_CREDENTIALS_FILE")
        .env("STS3_MFA_CODE", "246810")
        .args([
            "list",
            "-b",
            &s.bucket,
            "--endpoint-url",
            &proxy.url,
            "--limit",
            "1",
            "--profile",
            "mfa-role",
        ]);
    let out = cmd.output().unwrap();
    let all = text(&out);
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(all.contains("assumed-role/S3BrowseRole/with-mfa"), "{all}");
    assert_eq!(proxy.token_codes(), ["246810"]);
    assert!(!all.contains("246810"), "the code is not printed: {all}");
}
