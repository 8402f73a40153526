//! The bad-input catalogue (README, "Reliability"): one test per row, each with the exact
//! one-line message users see and the exit code.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tmux::Tmux;
use common::{service, sts3};
use std::path::Path;
use std::process::Output;
use std::time::Duration;

/// Files the rows refer to, by relative name (the messages quote them as given).
fn workdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files: [(&str, String); 9] = [
        ("trailing.json", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\",}\n  ]\n}\n".into()),
        ("effect.json", r#"{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"s3:*","Resource":"*"}]}"#.into()),
        ("nostatement.json", r#"{"Version":"2012-10-17"}"#.into()),
        ("huge.json", huge_policy()),
        ("bad.toml", "page_size = 10\nmode = federated\n".into()),
        ("unknown.toml", "bukket = \"x\"\n".into()),
        ("km-action.toml", "[bindings]\nfly = { keys = [\"x\"] }\n".into()),
        ("km-conflict.toml", "[bindings]\nquit = { keys = [\"j\"] }\n".into()),
        ("km-key.toml", "[bindings]\nquit = { keys = [\"ctrl-\"] }\n".into()),
    ];
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn huge_policy() -> String {
    let resources: Vec<String> = (0..120)
        .map(|i| format!("\"arn:aws:s3:::bucket-{i:03}/*\""))
        .collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":[{}]}}]}}"#,
        resources.join(",")
    )
}

/// Runs sts3 in `dir` with the service's base credentials and `extra_env`.
fn run_in(dir: &Path, args: &[&str], extra_env: &[(&str, &str)]) -> Output {
    let s = service();
    let mut cmd = sts3();
    cmd.current_dir(dir).envs(s.env()).args(args);
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// Asserts the exit code and that stderr is exactly one line: `line`.
fn expect(out: &Output, code: i32, line: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr, format!("{line}\n"), "stderr");
    assert_eq!(out.status.code(), Some(code), "exit code; stderr: {stderr}");
}

fn run(args: &[&str]) -> Output {
    let dir = workdir();
    run_in(dir.path(), args, &[])
}

#[test]
fn unknown_bucket() {
    let s = service();
    let out = run(&[
        "list",
        "-b",
        "no-such-bucket",
        "-u",
        "alice",
        "--endpoint-url",
        &s.endpoint,
    ]);
    expect(
        &out,
        1,
        "Caught exception accessing bucket no-such-bucket: NoSuchBucket: The specified bucket does not exist",
    );
}

#[test]
fn bucket_name_that_is_not_a_valid_s3_name() {
    let out = run(&["list", "-b", "Bad_Bucket"]);
    expect(
        &out,
        2,
        "sts3: bucket name \"Bad_Bucket\" is not a valid S3 bucket name; use 3-63 lowercase letters, digits, '.' or '-'",
    );
}

#[test]
fn prefix_that_does_not_exist_is_an_empty_listing() {
    let s = service();
    let out = run(&[
        "list",
        "-b",
        &s.bucket,
        "-u",
        "alice",
        "--endpoint-url",
        &s.endpoint,
        "--prefix",
        "nothing-here/",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
    assert!(String::from_utf8_lossy(&out.stdout).ends_with("No. of Objects = 0\n"));
}

#[test]
fn object_listing_of_zero_keys() {
    let s = service();
    let out = run(&[
        "list",
        "-b",
        "empty-bucket",
        "-u",
        "alice",
        "--endpoint-url",
        &s.endpoint,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).ends_with("No. of Objects = 0\n"));
}

#[test]
fn malformed_policy_json_names_line_and_column() {
    let out = run(&["list", "-b", "b-1", "--policy", "trailing.json"]);
    expect(
        &out,
        2,
        "sts3: policy file trailing.json: policy is not valid JSON at line 4, column 24: trailing comma; fix the JSON syntax",
    );
}

#[test]
fn policy_with_bad_effect() {
    let out = run(&["list", "-b", "b-1", "--policy", "effect.json"]);
    expect(
        &out,
        2,
        "sts3: policy file effect.json: statement 1 has Effect \"Permit\"; use \"Allow\" or \"Deny\"",
    );
}

#[test]
fn policy_without_statement() {
    let out = run(&["list", "-b", "b-1", "--policy", "nostatement.json"]);
    expect(
        &out,
        2,
        "sts3: policy file nostatement.json: policy has no \"Statement\"; add at least one statement with Effect, Action and Resource",
    );
}

#[test]
fn policy_over_the_size_limit() {
    let size = serde_json::from_str::<serde_json::Value>(&huge_policy())
        .unwrap()
        .to_string()
        .len();
    let out = run(&["list", "-b", "b-1", "--policy", "huge.json"]);
    expect(
        &out,
        2,
        &format!(
            "sts3: policy file huge.json: policy is {size} characters, over the STS limit of 2048; remove statements or use wildcards"
        ),
    );
}

#[test]
fn policy_file_missing() {
    let out = run(&["list", "-b", "b-1", "--policy", "nope.json"]);
    expect(
        &out,
        2,
        "sts3: cannot read policy file nope.json: No such file or directory (os error 2)",
    );
}

#[test]
fn role_arn_that_is_not_an_arn() {
    let out = run(&[
        "list",
        "-b",
        "b-1",
        "--mode",
        "role",
        "--role-arn",
        "S3Reader",
    ]);
    expect(
        &out,
        2,
        "sts3: role ARN \"S3Reader\" is not an IAM role ARN; use the form arn:aws:iam::ACCOUNT:role/NAME",
    );
}

#[test]
fn role_mode_without_a_role_arn() {
    let out = run(&["list", "-b", "b-1", "--mode", "role"]);
    expect(
        &out,
        2,
        "sts3: assumed-role mode needs a role ARN; pass --role-arn arn:aws:iam::ACCOUNT:role/NAME",
    );
}

#[test]
fn duration_out_of_range_per_mode() {
    let out = run(&["list", "-b", "b-1", "--duration", "899"]);
    expect(
        &out,
        2,
        "sts3: duration 899s is out of range for federated mode (900-129600s); pass --duration within it",
    );
    let out = run(&[
        "list",
        "-b",
        "b-1",
        "--mode",
        "role",
        "--role-arn",
        "arn:aws:iam::123456789012:role/R",
        "--duration",
        "43201",
    ]);
    expect(
        &out,
        2,
        "sts3: duration 43201s is out of range for assumed role mode (900-43200s); pass --duration within it",
    );
    let out = run(&[
        "list",
        "-b",
        "b-1",
        "--mode",
        "session",
        "--duration",
        "200000",
    ]);
    expect(
        &out,
        2,
        "sts3: duration 200000s is out of range for session token mode (900-129600s); pass --duration within it",
    );
}

#[test]
fn mfa_code_not_six_digits() {
    let out = run(&[
        "list",
        "-b",
        "b-1",
        "--mode",
        "session",
        "--mfa-serial",
        "arn:aws:iam::123456789012:mfa/alice",
        "--mfa-code",
        "12345",
    ]);
    expect(
        &out,
        2,
        "sts3: MFA code must be exactly 6 digits; pass the current code from your device",
    );
}

#[test]
fn endpoint_url_unparsable() {
    let out = run(&["list", "-b", "b-1", "--endpoint-url", "localhost:9000"]);
    expect(
        &out,
        2,
        "sts3: endpoint URL \"localhost:9000\" is not a valid http(s) URL; pass --endpoint-url like http://127.0.0.1:8333",
    );
}

#[test]
fn endpoint_unreachable() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let out = run(&["list", "-b", "b-1", "--endpoint-url", &url]);
    expect(
        &out,
        1,
        &format!(
            "Caught exception issuing federated credentials: Network: cannot reach STS at {url}: Connection refused (os error 111); check the endpoint, region and network"
        ),
    );
}

#[test]
fn region_unknown() {
    let out = run(&["list", "-b", "b-1", "-r", "mars"]);
    expect(
        &out,
        2,
        "sts3: region \"mars\" is not an AWS region name; pass -r like us-west-2 or eu-central-1",
    );
}

#[test]
fn region_unknown_in_the_environment() {
    let dir = workdir();
    let out = run_in(
        dir.path(),
        &["list", "-b", "b-1"],
        &[("AWS_REGION", "mars")],
    );
    expect(
        &out,
        2,
        "sts3: region \"mars\" in AWS_REGION is not an AWS region name; set it like us-west-2 or eu-central-1, or pass -r",
    );
}

#[test]
fn region_that_is_no_host_label_with_a_custom_endpoint() {
    let s = service();
    let out = run(&[
        "list",
        "-b",
        "b-1",
        "--endpoint-url",
        &s.endpoint,
        "-r",
        "us_east 1",
    ]);
    expect(
        &out,
        2,
        "sts3: region \"us_east 1\" is not a valid name for a custom endpoint; use letters, digits and '-' (at most 63), e.g. us-east-1",
    );
}

#[test]
fn endpoint_url_unparsable_in_the_environment() {
    let dir = workdir();
    let mut cmd = sts3();
    cmd.current_dir(dir.path())
        .envs(service().env())
        .env("AWS_ENDPOINT_URL", "localhost:9000")
        .args(["list", "-b", "b-1"]);
    expect(
        &cmd.output().unwrap(),
        2,
        "sts3: endpoint URL \"localhost:9000\" in AWS_ENDPOINT_URL is not a valid http(s) URL; set it like http://127.0.0.1:8333 or unset it",
    );
}

#[test]
fn profile_named_empty() {
    let out = run(&["list", "-b", "b-1", "--profile", ""]);
    expect(
        &out,
        2,
        "sts3: profile name is empty; pass --profile NAME or unset AWS_PROFILE",
    );
}

#[test]
fn profile_not_found_in_the_environment() {
    let s = service();
    let out = run_without_credentials_env(
        &["list", "-b", "b-1", "--endpoint-url", &s.endpoint],
        &[("AWS_PROFILE", "nope")],
    );
    expect(
        &out,
        1,
        "Caught exception issuing federated credentials: NoCredentials: AWS profile \"nope\" was not found or has no credentials; check --profile / AWS_PROFILE and ~/.aws/config",
    );
}

#[test]
fn temporary_base_credentials_for_federated_and_session_modes() {
    let s = service();
    for (mode, label) in [("federated", "federated"), ("session", "session token")] {
        let dir = workdir();
        let out = run_in(
            dir.path(),
            &[
                "list",
                "-b",
                "b-1",
                "--endpoint-url",
                &s.endpoint,
                "--mode",
                mode,
            ],
            &[("AWS_SESSION_TOKEN", "a-session-token")],
        );
        expect(
            &out,
            1,
            &format!(
                "Caught exception issuing {label} credentials: WrongBaseCredentials: {label} mode needs an IAM user's long-term keys; these are temporary credentials from the environment (AWS_SESSION_TOKEN, or an ASIA... key); use role mode or a profile with user keys"
            ),
        );
    }
}

#[test]
fn keymap_file_named_by_sts3_keymap_missing() {
    let dir = workdir();
    let out = run_in(
        dir.path(),
        &["-b", "b-1"],
        &[("STS3_KEYMAP", "no-such-keymap.toml")],
    );
    expect(
        &out,
        2,
        "sts3: cannot read keymap no-such-keymap.toml: No such file or directory (os error 2)",
    );
}

#[test]
fn page_size_out_of_range() {
    let out = run(&["list", "-b", "b-1", "--page-size", "5000"]);
    expect(
        &out,
        2,
        "sts3: page size 5000 is out of range; pass --page-size between 1 and 1000",
    );
}

/// Runs sts3 with no AWS credentials anywhere: no environment, no files, no instance metadata.
fn run_without_credentials(args: &[&str]) -> Output {
    run_without_credentials_env(args, &[])
}

/// Like [`run_without_credentials`], with `extra_env` set.
fn run_without_credentials_env(args: &[&str], extra_env: &[(&str, &str)]) -> Output {
    let dir = workdir();
    let mut cmd = sts3();
    cmd.current_dir(dir.path())
        .env("HOME", dir.path())
        .env("AWS_CONFIG_FILE", dir.path().join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .envs(extra_env.iter().copied())
        .args(args);
    cmd.output().unwrap()
}

#[test]
fn no_base_credentials_at_all() {
    let s = service();
    let out = run_without_credentials(&["list", "-b", "b-1", "--endpoint-url", &s.endpoint]);
    expect(
        &out,
        1,
        "Caught exception issuing federated credentials: NoCredentials: no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass --profile, or run `aws sso login`",
    );
}

#[test]
fn profile_not_found() {
    let s = service();
    let out = run_without_credentials(&[
        "list",
        "-b",
        "b-1",
        "--endpoint-url",
        &s.endpoint,
        "--profile",
        "nope",
    ]);
    expect(
        &out,
        1,
        "Caught exception issuing federated credentials: NoCredentials: AWS profile \"nope\" was not found or has no credentials; check --profile / AWS_PROFILE and ~/.aws/config",
    );
}

#[test]
fn config_file_with_a_syntax_error_names_path_and_line() {
    let out = run(&["list", "-b", "b-1", "--config", "bad.toml"]);
    expect(
        &out,
        2,
        "sts3: config file bad.toml line 2, column 8: invalid boolean, expected `false`; fix or remove that line",
    );
}

#[test]
fn config_file_with_an_unknown_key() {
    let out = run(&["list", "-b", "b-1", "--config", "unknown.toml"]);
    expect(
        &out,
        2,
        "sts3: config file unknown.toml line 1, column 1: unknown field `bukket`, expected one of `bucket`, `prefix`, `user`, `region`, `profile`, `endpoint_url`, `mode`, `duration`, `allow_get_object`, `role_arn`, `session_name`, `external_id`, `mfa_serial`, `policy`, `page_size`, `debug`, `limit`, `json`, `folders`, `long`, `summarize`, `parallel`, `preview_bytes`, `download_dir`, `presign_secs`, `part_size_mib`, `delete_type_name_above`, `restore_days`, `mouse`, `requester_pays`, `refresh`, `timeouts`, `modes`; fix or remove that line",
    );
}

#[test]
fn config_file_missing() {
    let out = run(&["list", "-b", "b-1", "--config", "missing.toml"]);
    expect(
        &out,
        2,
        "sts3: cannot read config file missing.toml: No such file or directory (os error 2)",
    );
}

#[test]
fn keymap_binding_to_an_unknown_action() {
    let dir = workdir();
    let out = run_in(
        dir.path(),
        &["-b", "b-1"],
        &[("STS3_KEYMAP", "km-action.toml")],
    );
    expect(
        &out,
        2,
        "sts3: keymap km-action.toml: unknown action \"fly\"; known actions: quit, help, focus_next, focus_prev, up, down, page_up, page_down, top, bottom, open, parent, filter, reload, refresh_credentials, mode_federated, mode_role, mode_session, mode_cycle, suspend, preview, download, presign, sort, cancel, wrap, edit_policy, templates, access_check, buckets, profiles, region, history, copy_uri, copy_arn, share, shell, delete, upload, go_to, scroll_left, scroll_right, mark, mark_all, new_folder, copy_object, move_object, unfinished_uploads, versions, restore, requester_pays, customer_key",
    );
}

#[test]
fn conflicting_key_bindings() {
    let dir = workdir();
    let out = run_in(
        dir.path(),
        &["-b", "b-1"],
        &[("STS3_KEYMAP", "km-conflict.toml")],
    );
    expect(
        &out,
        2,
        "sts3: keymap km-conflict.toml: key \"j\" is bound to both quit and down; bind it to one",
    );
}

#[test]
fn keymap_with_an_invalid_key_name() {
    let dir = workdir();
    let out = run_in(
        dir.path(),
        &["-b", "b-1"],
        &[("STS3_KEYMAP", "km-key.toml")],
    );
    expect(
        &out,
        2,
        "sts3: keymap km-key.toml: action quit has invalid key \"ctrl-\"; use names like \"q\", \"ctrl-c\", \"enter\", \"pagedown\"",
    );
}

#[test]
fn keys_with_control_characters_are_printed_escaped() {
    let s = service();
    let out = run(&[
        "list",
        "-b",
        &s.bucket,
        "-u",
        "alice",
        "--endpoint-url",
        &s.endpoint,
        "--prefix",
        "deep/ctrl/",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.chars().any(|c| c.is_control() && c != '\n'),
        "no raw control character reaches the terminal"
    );
    assert!(
        stdout.contains("deep/ctrl/esc\\u{1b}[31mred +.txt => \""),
        "{stdout}"
    );
    assert!(
        stdout.contains("deep/ctrl/bell\\u{7}tab\\u{9}here.txt => \""),
        "{stdout}"
    );
}

#[test]
fn tui_shows_control_characters_escaped_and_a_too_small_terminal_says_so() {
    let s = service();
    let at = |w, h| common::start_tui(&s.endpoint, &["--prefix", "deep/ctrl/"], &[], w, h);
    let tmux = at(100, 30);
    let screen = tmux.wait_for("all 2 keys loaded", Duration::from_secs(20));
    assert!(screen.contains("esc\\u{1b}[31mred +.txt"), "{screen}");
    assert!(screen.contains("bell\\u{7}tab\\u{9}here.txt"), "{screen}");
    let tiny = at(30, 8);
    let screen = tiny.wait_for("terminal too small", Duration::from_secs(20));
    assert!(
        screen
            .replace('\n', " ")
            .contains("30x8, sts3 needs at least 40x12"),
        "{screen}"
    );
    tiny.quit();
    tmux.quit();
}

#[test]
fn policy_file_that_is_not_a_regular_file() {
    let out = run(&["list", "-b", "b-1", "--policy", "/dev/zero"]);
    expect(
        &out,
        2,
        "sts3: cannot read policy file /dev/zero: not a regular file; pass a JSON file",
    );
}

#[test]
fn config_file_larger_than_any_config() {
    let dir = workdir();
    std::fs::write(dir.path().join("big.toml"), "#".repeat(600 * 1024)).unwrap();
    let out = run_in(
        dir.path(),
        &["list", "-b", "b-1", "--config", "big.toml"],
        &[],
    );
    expect(
        &out,
        2,
        "sts3: cannot read config file big.toml: larger than 512 KiB; pass a TOML file",
    );
}

#[test]
fn empty_mfa_serial_is_refused_before_asking_for_a_code() {
    let out = run(&["list", "-b", "b-1", "--mode", "session", "--mfa-serial", ""]);
    expect(
        &out,
        2,
        "sts3: MFA serial is empty; pass --mfa-serial with the device ARN or serial number",
    );
}

#[test]
fn a_bad_code_typed_at_the_prompt_is_bad_input_and_never_shown() {
    // On a terminal (tmux's pty), as a person types it: the code is not echoed.
    let s = service();
    let args = [
        "list",
        "-b",
        "b-1",
        "--mode",
        "session",
        "--mfa-serial",
        "arn:aws:iam::1:mfa/alice",
        "--endpoint-url",
        &s.endpoint,
    ];
    let mut env = s.env();
    env.push(("XDG_CONFIG_HOME", workdir().path().display().to_string()));
    let tmux = Tmux::start(env!("CARGO_BIN_EXE_sts3"), &args, &env, 120, 10);
    tmux.wait_for(
        "MFA code for arn:aws:iam::1:mfa/alice:",
        Duration::from_secs(20),
    );
    tmux.keys(&["1", "2", "a", "b", "5", "6", "Enter"]);
    assert_eq!(tmux.exit_status(Duration::from_secs(20)), 2);
    let screen = tmux.screen();
    assert!(
        screen.contains(
            "MFA code for arn:aws:iam::1:mfa/alice:\nsts3: MFA code must be exactly 6 digits; pass the current code from your device"
        ),
        "{screen}"
    );
    assert!(!screen.contains("12ab56"), "the code was echoed: {screen}");
}

#[test]
fn an_mfa_code_with_no_terminal_to_ask_on_is_bad_input() {
    let dir = workdir();
    let s = service();
    let out = sts3()
        .current_dir(dir.path())
        .envs(s.env())
        .args(["list", "-b", "b-1", "--mode", "session"])
        .args([
            "--mfa-serial",
            "arn:aws:iam::1:mfa/alice",
            "--endpoint-url",
            &s.endpoint,
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    expect(
        &out,
        2,
        "sts3: no terminal to ask for an MFA code; pass --mfa-code or STS3_MFA_CODE",
    );
}

#[test]
fn limit_zero() {
    let out = run(&["list", "-b", "b-1", "--limit", "0"]);
    expect(
        &out,
        2,
        "sts3: --limit 0 lists nothing; pass --limit 1 or more, or leave it out",
    );
}

#[test]
fn a_per_mode_region_is_checked_like_the_flag() {
    let dir = workdir();
    std::fs::write(
        dir.path().join("modes.toml"),
        "[modes.session]\nregion = \"mars\"\n",
    )
    .unwrap();
    let out = run_in(
        dir.path(),
        &["list", "-b", "b-1", "--config", "modes.toml"],
        &[],
    );
    expect(
        &out,
        2,
        "sts3: region \"mars\" is not an AWS region name; pass -r like us-west-2 or eu-central-1",
    );
}

#[test]
fn timeouts_of_zero() {
    let dir = workdir();
    std::fs::write(dir.path().join("t.toml"), "[timeouts]\nattempt_secs = 0\n").unwrap();
    let out = run_in(
        dir.path(),
        &["list", "-b", "b-1", "--config", "t.toml"],
        &[],
    );
    expect(
        &out,
        2,
        "sts3: timeouts must be at least 1 second; fix [timeouts] in the config file",
    );
}

#[test]
fn parallel_out_of_range() {
    let out = run(&["list", "-b", "b-1", "--parallel", "0"]);
    expect(
        &out,
        2,
        "sts3: --parallel 0 is out of range; pass --parallel between 1 and 64",
    );
}

#[test]
fn parallel_out_of_range_in_the_config_file() {
    let dir = workdir();
    std::fs::write(dir.path().join("p.toml"), "parallel = 65\n").unwrap();
    // The TUI reads it too (how many requests `G` sends at once): refused before either runs.
    for args in [
        &["list", "-b", "b-1", "--config", "p.toml"][..],
        &["-b", "b-1", "--config", "p.toml"],
    ] {
        let out = run_in(dir.path(), args, &[]);
        expect(
            &out,
            2,
            "sts3: parallel = 65 in the config file is out of range; set it between 1 and 64",
        );
    }
}

#[test]
fn presign_expires_out_of_range() {
    let out = run(&["presign", "-b", "b-1", "k", "--expires", "0"]);
    expect(
        &out,
        2,
        "sts3: --expires 0 is out of range; pass --expires between 1 and 604800 seconds (7 days)",
    );
}

#[test]
fn a_template_without_a_bucket_or_in_session_mode() {
    let out = run(&["put", "--template", "read-write", "a.txt", "docs/"]);
    expect(
        &out,
        2,
        "sts3: --template read-write is made for a bucket; pass -b BUCKET",
    );
    let out = run(&[
        "list",
        "-b",
        "b-1",
        "--mode",
        "session",
        "--template",
        "read-only",
    ]);
    expect(
        &out,
        2,
        "sts3: session mode carries no session policy; --template needs --mode federated or role",
    );
}

#[test]
fn no_bucket_anywhere() {
    let dir = workdir();
    std::fs::write(dir.path().join("empty.toml"), "").unwrap();
    let config = ["--config", "empty.toml"];
    for command in [
        &["list"][..],
        &["get", "docs/notes.txt"],
        &["put", "a", "docs/"],
    ] {
        let out = run_in(dir.path(), &[command, &config[..]].concat(), &[]);
        expect(
            &out,
            2,
            "sts3: no bucket given; pass -b BUCKET or an s3://BUCKET/… URI, or set `bucket` in empty.toml",
        );
    }
}

#[test]
fn get_of_a_folder_key() {
    let out = run(&["get", "-b", "b-1", "docs/"]);
    expect(
        &out,
        2,
        "sts3: docs/ is a folder; pass --recursive to download every object under it, or the key of one (sts3 list --prefix docs/ shows them)",
    );
}

#[test]
fn object_settings_out_of_range() {
    let dir = workdir();
    std::fs::write(dir.path().join("preview.toml"), "preview_bytes = 0\n").unwrap();
    std::fs::write(dir.path().join("presign.toml"), "presign_secs = 700000\n").unwrap();
    std::fs::write(dir.path().join("restore.toml"), "restore_days = 0\n").unwrap();
    let out = run_in(
        dir.path(),
        &["list", "-b", "b-1", "--config", "restore.toml"],
        &[],
    );
    expect(
        &out,
        2,
        "sts3: restore_days = 0 is out of range; set restore_days between 1 and 30000 in the config file",
    );
    let out = run_in(
        dir.path(),
        &["list", "-b", "b-1", "--config", "preview.toml"],
        &[],
    );
    expect(
        &out,
        2,
        "sts3: preview_bytes = 0 is out of range; set preview_bytes between 1 and 16777216 (16 MiB) in the config file",
    );
    let out = run_in(
        dir.path(),
        &["list", "-b", "b-1", "--config", "presign.toml"],
        &[],
    );
    expect(
        &out,
        2,
        "sts3: presign_secs = 700000 is out of range; set presign_secs between 1 and 604800 (7 days) in the config file",
    );
    std::fs::write(
        dir.path().join("typed.toml"),
        "delete_type_name_above = 1001\n",
    )
    .unwrap();
    let out = run_in(
        dir.path(),
        &["list", "-b", "b-1", "--config", "typed.toml"],
        &[],
    );
    expect(
        &out,
        2,
        "sts3: delete_type_name_above = 1001 is out of range; set delete_type_name_above between 0 and 1000 in the config file",
    );
}

#[test]
fn an_aws_config_file_too_large_to_read_is_refused_before_the_sdk_parses_it() {
    let dir = workdir();
    let big = dir.path().join("aws-config");
    let mut text = String::from("[default]\nregion = us-east-1\n");
    while text.len() <= 1024 * 1024 {
        text.push_str("# a comment that makes the file large, as a generated one can be\n");
    }
    std::fs::write(&big, &text).unwrap();
    let out = run_in(
        dir.path(),
        &["list", "-b", "b-1"],
        &[("AWS_CONFIG_FILE", big.to_str().unwrap())],
    );
    expect(
        &out,
        2,
        &format!(
            "sts3: AWS file {} is {} bytes, over the 1 MiB sts3 reads (the SDK would parse it whole); trim it, or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at a smaller one",
            big.display(),
            sts3::object::detail::thousands(text.len() as u64)
        ),
    );
}

#[test]
fn an_s3_uri_with_a_bad_bucket_name() {
    let out = run(&["list", "s3://Bad_Bucket/x/"]);
    expect(
        &out,
        2,
        "sts3: bucket name \"Bad_Bucket\" in \"s3://Bad_Bucket/x/\" is not a valid S3 bucket name; use 3-63 lowercase letters, digits, '.' or '-'",
    );
}

#[test]
fn an_s3_uri_without_a_key_where_a_key_is_needed() {
    let out = run(&["get", "s3://sts3-demo/"]);
    expect(
        &out,
        2,
        "sts3: \"s3://sts3-demo/\" names no key; write s3://BUCKET/KEY",
    );
}

#[test]
fn an_s3_uri_naming_another_bucket_than_b() {
    let out = run(&["-b", "other-bucket", "presign", "s3://sts3-demo/k"]);
    expect(
        &out,
        2,
        "sts3: s3://sts3-demo/k names bucket sts3-demo, but -b says other-bucket; give the bucket once",
    );
}

#[test]
fn an_s3_uri_with_a_folder_and_prefix_too() {
    let out = run(&["list", "s3://sts3-demo/docs/", "--prefix", "x/"]);
    expect(
        &out,
        2,
        "sts3: s3://sts3-demo/docs/ names a folder and so does --prefix; give the folder once",
    );
}

#[test]
fn a_list_argument_that_is_not_an_s3_uri() {
    let out = run(&["list", "sts3-demo"]);
    expect(
        &out,
        2,
        "sts3: \"sts3-demo\" is not an s3:// URI; write s3://BUCKET/PREFIX, or pass -b BUCKET",
    );
}
