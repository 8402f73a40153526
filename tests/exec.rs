//! `sts3 exec` and `sts3 credentials` against the real local service, with the AWS CLI as the
//! other tool: it lists the bucket with the served session, a `[default]` profile with other
//! keys in `~/.aws` does not win, the endpoint refuses requests without the run's token, the
//! token's folder goes with the run, the command's exit status and signals are passed through,
//! and `credential_process = sts3 credentials …` serves the AWS CLI from a config file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::proxy::{FaultProxy, StsStep};
use common::{command, root, service, sts3, write_aws_files};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn aws() -> String {
    root().join(".venv/bin/aws").display().to_string()
}

fn python() -> String {
    root().join(".venv/bin/python").display().to_string()
}

/// A home whose `~/.aws/credentials` has a `[default]` profile with keys the service refuses.
fn home_with_other_default_keys() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let aws = home.path().join(".aws");
    std::fs::create_dir_all(&aws).unwrap();
    std::fs::write(
        aws.join("credentials"),
        "[default]\naws_access_key_id = AKIAOTHEROTHEROTHER0\naws_secret_access_key = other\n",
    )
    .unwrap();
    std::fs::write(aws.join("config"), "[default]\nregion = us-east-1\n").unwrap();
    home
}

/// `sts3 exec -- ARGS` for the seeded bucket as alice, in `home` (the user's `~/.aws` read).
fn exec(home: &Path, args: &[&str]) -> Output {
    let s = service();
    let mut cmd = command(&s.endpoint, "exec");
    cmd.env_remove("AWS_CONFIG_FILE")
        .env_remove("AWS_SHARED_CREDENTIALS_FILE")
        .env("HOME", home)
        .arg("--")
        .args(args);
    cmd.output().unwrap()
}

#[test]
fn the_aws_cli_lists_the_bucket_with_the_served_session_and_other_default_keys_do_not_win() {
    let s = service();
    let home = home_with_other_default_keys();
    // Without sts3 the AWS CLI takes the [default] keys, which the service refuses.
    let alone = Command::new(aws())
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", std::env::var("PATH").unwrap())
        .args(["s3api", "list-objects-v2", "--bucket", &s.bucket])
        .args(["--endpoint-url", &s.endpoint, "--max-items", "1"])
        .output()
        .unwrap();
    assert!(
        !alone.status.success(),
        "the [default] keys must be refused"
    );
    assert!(
        text(&alone.stderr).contains("InvalidAccessKeyId"),
        "{}",
        text(&alone.stderr)
    );
    let out = exec(
        home.path(),
        &[
            &aws(),
            "s3api",
            "list-objects-v2",
            "--bucket",
            &s.bucket,
            "--max-items",
            "3",
            "--query",
            "Contents[].Key",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("README.md"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stderr).contains("sts3: serving the federated session to"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_endpoint_answers_only_with_the_runs_token_and_its_folder_goes_with_the_run() {
    let home = home_with_other_default_keys();
    // The child asks with no token, a wrong one and the right one, and says where the
    // token file is and what it may be read by.
    let script = r#"
import os, stat, urllib.request, json
url = os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
path = os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"]
def ask(token):
    req = urllib.request.Request(url)
    if token is not None:
        req.add_header("Authorization", token)
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())
print("file", path, oct(stat.S_IMODE(os.stat(path).st_mode)), oct(stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode)))
for token in (None, "wrong", open(path).read()):
    status, body = ask(token)
    print("answer", status, sorted(body))
print("host", url.split("/")[2].split(":")[0])
print("keys", [k for k in os.environ if k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE")])
"#;
    let out = exec(home.path(), &[&python(), "-c", script]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    let file: Vec<&str> = lines[0].split(' ').collect();
    assert_eq!(file[2..], ["0o600", "0o700"], "{stdout}");
    assert_eq!(lines[1], "answer 401 ['message']", "no token");
    assert_eq!(lines[2], "answer 401 ['message']", "a wrong token");
    assert_eq!(
        lines[3],
        "answer 200 ['AccessKeyId', 'Expiration', 'SecretAccessKey', 'Token']"
    );
    assert_eq!(lines[4], "host 127.0.0.1");
    assert_eq!(lines[5], "keys []", "no other keys reach the command");
    assert!(
        !Path::new(file[1]).exists() && !Path::new(file[1]).parent().unwrap().exists(),
        "the token and its folder are gone after the run"
    );
    assert!(
        text(&out.stderr).contains("refused 2 request(s) for credentials without this run's token"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn exec_ends_as_its_command_does() {
    let home = tempfile::tempdir().unwrap();
    let out = exec(home.path(), &["sh", "-c", "exit 7"]);
    assert_eq!(out.status.code(), Some(7));
    let out = exec(home.path(), &["sh", "-c", "kill -TERM $$"]);
    assert_eq!(out.status.code(), Some(143), "128 + SIGTERM");
    let out = exec(home.path(), &["no-such-command-sts3"]);
    assert_eq!(out.status.code(), Some(127));
    assert!(
        text(&out.stderr).contains("sts3: no-such-command-sts3: command not found"),
        "{}",
        text(&out.stderr)
    );
    // Nothing after --: usage, before any network call.
    let out = sts3().args(["exec", "--"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("Usage: sts3 exec -- <COMMAND>..."),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_signal_to_sts3_is_passed_on_to_the_command() {
    let s = service();
    let home = tempfile::tempdir().unwrap();
    let mut cmd = command(&s.endpoint, "exec");
    cmd.env("HOME", home.path())
        .args(["--", "sleep", "30"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    // Wait until it serves (the session is issued and the command started).
    let stderr = child.stderr.take().unwrap();
    let mut reader = std::io::BufReader::new(stderr);
    let mut line = String::new();
    std::io::BufRead::read_line(&mut reader, &mut line).unwrap();
    assert!(line.contains("serving"), "{line}");
    std::thread::sleep(Duration::from_millis(300));
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(143),
        "the command was ended by SIGTERM (a sleep to its end exits 0)"
    );
}

#[test]
fn credential_process_serves_the_aws_cli_from_a_config_file() {
    let s = service();
    let home = tempfile::tempdir().unwrap();
    let sts3 = env!("CARGO_BIN_EXE_sts3");
    write_aws_files(
        home.path(),
        &format!(
            "[profile base]\nregion = {region}\n\n[profile served]\nregion = {region}\ncredential_process = {sts3} credentials --profile base -b {bucket} -u alice --endpoint-url {endpoint}\n",
            region = s.region,
            bucket = s.bucket,
            endpoint = s.endpoint,
        ),
    );
    let out = Command::new(aws())
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", std::env::var("PATH").unwrap())
        .env("XDG_CONFIG_HOME", home.path())
        .args(["s3api", "list-objects-v2", "--bucket", &s.bucket])
        .args(["--endpoint-url", &s.endpoint, "--profile", "served"])
        .args(["--max-items", "2", "--query", "Contents[].Key"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("README.md"),
        "{}",
        text(&out.stdout)
    );
    // What botocore got from the process: temporary credentials, not the base profile's keys.
    let who = Command::new(python())
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", std::env::var("PATH").unwrap())
        .env("XDG_CONFIG_HOME", home.path())
        .args([
            "-c",
            "import botocore.session as b; c = b.Session(profile='served').get_credentials().get_frozen_credentials(); print(c.access_key); print(bool(c.token))",
        ])
        .output()
        .unwrap();
    assert!(who.status.success(), "{}", text(&who.stderr));
    let who = text(&who.stdout);
    let lines: Vec<&str> = who.lines().collect();
    assert_ne!(lines[0], s.access_key, "not the base keys");
    assert_eq!(lines[1], "True", "a session token came with them");
}

#[test]
fn the_served_session_follows_its_refreshes_each_fetched_once_from_sts() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    proxy.set(|f| {
        for _ in 0..20 {
            f.sts_script
                .push_back(StsStep::ShortLived(Duration::from_secs(6)));
        }
    });
    let home = tempfile::tempdir().unwrap();
    // The child asks four times a second for ten seconds, notes each set and whether it was
    // still valid when handed out, then lists the bucket with the last one.
    let script = r#"
import os, json, time, datetime, urllib.request
import botocore.session
url = os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
token = open(os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"]).read()
seen, stale, asked, last = [], 0, 0, None
end = time.time() + 10
while time.time() < end:
    req = urllib.request.Request(url, headers={"Authorization": token})
    with urllib.request.urlopen(req) as r:
        last = json.loads(r.read())
    asked += 1
    expires = datetime.datetime.fromisoformat(last["Expiration"].replace("Z", "+00:00"))
    if expires <= datetime.datetime.now(datetime.timezone.utc):
        stale += 1
    if last["AccessKeyId"] not in seen:
        seen.append(last["AccessKeyId"])
    time.sleep(0.25)
s3 = botocore.session.get_session().create_client(
    "s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=os.environ["AWS_REGION"],
    aws_access_key_id=last["AccessKeyId"], aws_secret_access_key=last["SecretAccessKey"],
    aws_session_token=last["Token"])
listed = s3.list_objects_v2(Bucket="BUCKET", MaxKeys=1)["KeyCount"]
print(json.dumps({"sets": len(seen), "stale": stale, "asked": asked, "listed": listed}))
"#
    .replace("BUCKET", &s.bucket);
    let out = command(&proxy.url, "exec")
        .env("HOME", home.path())
        .args(["--", &python(), "-c", &script])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sets = report["sets"].as_u64().unwrap();
    assert!(sets >= 3, "at least two refreshes in ten seconds: {report}");
    assert_eq!(report["stale"], 0, "never an expired set: {report}");
    assert_eq!(report["listed"], 1, "the last set works: {report}");
    assert!(report["asked"].as_u64().unwrap() >= 20, "{report}");
    let sts_calls = proxy
        .log()
        .iter()
        .filter(|l| l.starts_with("POST / "))
        .count() as u64;
    assert_eq!(
        sts_calls,
        sets,
        "one STS call a set, not one a client request: {:?}",
        proxy.log()
    );
}

#[test]
fn a_template_gives_the_command_a_narrower_session_than_the_users() {
    let s = service();
    let home = tempfile::tempdir().unwrap();
    let script = r#"
import botocore.session, botocore.exceptions
s3 = botocore.session.get_session().create_client("s3")
for key in ("docs/notes.txt", "README.md"):
    try:
        s3.get_object(Bucket="BUCKET", Key=key)["Body"].read()
        print(key, "read")
    except botocore.exceptions.ClientError as e:
        print(key, e.response["Error"]["Code"])
"#
    .replace("BUCKET", &s.bucket);
    let out = command(&s.endpoint, "exec")
        .env("HOME", home.path())
        .args(["--template", "read-only-prefix", "--prefix", "docs/", "--"])
        .args([&python(), "-c", &script])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "docs/notes.txt read\nREADME.md AccessDenied\n",
        "{}",
        text(&out.stderr)
    );
    // A folder template without a folder, or a name that is none: before any network call.
    let out = command(&s.endpoint, "exec")
        .args(["--template", "read-only-prefix", "--", "true"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "sts3: template read-only-prefix is for a folder; pass --prefix FOLDER/ with it\n"
    );
}

/// The Rust SDK example (`examples/sdk_client.rs`), built beside the binary by `cargo test`.
fn sdk_client() -> std::path::PathBuf {
    let path = Path::new(env!("CARGO_BIN_EXE_sts3"))
        .parent()
        .unwrap()
        .join("examples/sdk_client");
    assert!(
        path.exists(),
        "{} is missing: cargo test builds it (or: cargo build --example sdk_client)",
        path.display()
    );
    path
}

#[test]
fn the_aws_cli_boto3_and_the_rust_sdk_keep_working_across_refreshes() {
    // Six-second sessions: sts3 exec refreshes every three seconds, so each client lives
    // through several refreshes in ten seconds; the SDKs find every set near its expiry and
    // fetch it again as they go, from the endpoint alone (nothing else in their chain).
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    proxy.set(|f| {
        for _ in 0..20 {
            f.sts_script
                .push_back(StsStep::ShortLived(Duration::from_secs(6)));
        }
    });
    let home = home_with_other_default_keys();
    let out_dir = tempfile::tempdir().unwrap();
    let boto3 = r#"
import boto3, botocore.config, json, os, sys, time
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"],
                  config=botocore.config.Config(s3={"addressing_style": "path"}))
ok, failed, first, keys = 0, 0, None, set()
end = time.time() + float(sys.argv[2])
while time.time() < end:
    try:
        s3.list_objects_v2(Bucket=sys.argv[1], MaxKeys=1)
        ok += 1
    except Exception as e:
        failed += 1
        first = first or repr(e)
    keys.add(s3._request_signer._credentials.get_frozen_credentials().access_key)
    time.sleep(0.25)
print(json.dumps({"ok": ok, "failed": failed, "first_failure": first, "sets": len(keys)}))
"#;
    let boto3_file = out_dir.path().join("boto3_client.py");
    std::fs::write(&boto3_file, boto3).unwrap();
    let all = format!(
        "{rust} {b} 10 > {d}/rust.json & {py} {boto} {b} 10 > {d}/boto3.json & \
         for i in 1 2 3 4; do {aws} s3api list-objects-v2 --bucket {b} --max-items 1 \
         > /dev/null 2>> {d}/cli.err && echo ok >> {d}/cli.txt; done; wait",
        rust = sdk_client().display(),
        py = python(),
        boto = boto3_file.display(),
        aws = aws(),
        b = s.bucket,
        d = out_dir.path().display(),
    );
    let out = command(&proxy.url, "exec")
        .env_remove("AWS_CONFIG_FILE")
        .env_remove("AWS_SHARED_CREDENTIALS_FILE")
        .env("HOME", home.path())
        .args(["--", "sh", "-c", &all])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    for client in ["rust", "boto3"] {
        let report: serde_json::Value = serde_json::from_slice(
            &std::fs::read(out_dir.path().join(format!("{client}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(report["failed"], 0, "{client}: {report}");
        assert!(report["ok"].as_u64().unwrap() >= 20, "{client}: {report}");
        assert!(
            report["sets"].as_u64().unwrap() >= 3,
            "{client} used the sets of at least two refreshes: {report}"
        );
    }
    let cli = std::fs::read_to_string(out_dir.path().join("cli.txt")).unwrap_or_default();
    let cli_err = std::fs::read_to_string(out_dir.path().join("cli.err")).unwrap_or_default();
    // Each run of the CLI (a second or two to start) meets another set.
    assert_eq!(
        cli.lines().count(),
        4,
        "every AWS CLI run worked: {cli_err}"
    );
}

#[test]
fn a_refresh_that_needs_an_mfa_code_asks_on_the_terminal_without_echo() {
    // A role session with an MFA device: the first code from STS3_MFA_CODE, the refresh's
    // (half way through a 16-second session) typed on the terminal sts3 exec runs in, a pty
    // here; the command keeps the terminal and sees nothing of it.
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    proxy.set(|f| {
        for _ in 0..3 {
            f.sts_script
                .push_back(StsStep::ShortLived(Duration::from_secs(16)));
        }
    });
    let home = tempfile::tempdir().unwrap();
    let mut cmd = command(&proxy.url, "exec");
    cmd.args([
        "--mode",
        "role",
        "--role-arn",
        &s.role_arn,
        "--mfa-serial",
        "arn:aws:iam::000000000000:mfa/alice",
        "--",
        "sleep",
        "14",
    ]);
    let pty_driver = r#"
import json, os, pty, select, sys, time
argv = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
buf, asked, deadline = b"", False, time.time() + 60
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.2)
    if r:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        buf += chunk
    if not asked and b"MFA code to refresh" in buf:
        asked = True
        time.sleep(0.3)
        os.write(fd, b"654321\r")
_, status = os.waitpid(pid, 0)
print(json.dumps({"asked": asked, "status": os.waitstatus_to_exitcode(status),
                  "out": buf.decode(errors="replace")}))
"#;
    let mut driver = Command::new(python());
    driver.arg("-c").arg(pty_driver).arg(cmd.get_program());
    driver.args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => driver.env(k, v),
            None => driver.env_remove(k),
        };
    }
    let out = driver
        .env("HOME", home.path())
        .env("STS3_MFA_CODE", "111111")
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}{}", text(&out.stdout), text(&out.stderr)));
    let screen = report["out"].as_str().unwrap();
    assert_eq!(report["asked"], true, "{screen}");
    assert_eq!(report["status"], 0, "{screen}");
    assert!(
        screen.contains("MFA code to refresh the assumed role session served to sleep"),
        "{screen}"
    );
    assert!(
        !screen.contains("654321"),
        "the code is not echoed: {screen}"
    );
    assert_eq!(
        proxy.token_codes(),
        ["111111", "654321"],
        "the typed code reached STS"
    );
}
