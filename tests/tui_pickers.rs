//! The pickers in the real TUI, in tmux, against the local service: started with no bucket,
//! sts3 shows the buckets a list-only federated session may see; choosing one re-issues a
//! session scoped to it (which sees no other bucket); the profile picker switches to a role
//! profile of `~/.aws/config`; a mode key switches back. Principal, policy pane and listing are
//! checked after each step.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::service;
use common::tmux::Tmux;
use std::os::unix::fs::PermissionsExt as _;
use std::time::Duration;

const T: Duration = Duration::from_secs(20);

#[test]
fn start_without_a_bucket_pick_one_switch_profile_and_mode() {
    let s = service();
    let home = tempfile::tempdir().unwrap();
    common::write_aws_files(
        home.path(),
        &format!(
            "[profile base]\nregion = {r}\n[profile demo-role]\nrole_arn = {role}\nsource_profile = base\nrole_session_name = picked\n",
            r = s.region,
            role = s.role_arn
        ),
    );
    let state = tempfile::tempdir().unwrap();
    let mut env = s.env();
    env.retain(|(k, _)| !k.starts_with("AWS_CONFIG") && !k.starts_with("AWS_SHARED"));
    env.push(("HOME", home.path().display().to_string()));
    env.push(("XDG_STATE_HOME", state.path().display().to_string()));
    env.push((
        "XDG_CONFIG_HOME",
        state.path().join("config").display().to_string(),
    ));
    env.push(("TERM", "xterm-256color".into()));
    let tmux = Tmux::start(
        env!("CARGO_BIN_EXE_sts3"),
        &["-u", "alice", "--endpoint-url", &s.endpoint],
        &env,
        120,
        40,
    );
    // The start screen: the buckets, with a session that may only list them.
    let screen = tmux.wait_for("buckets this session may list", T);
    assert!(screen.contains("s3:ListAllMyBuckets"), "{screen}");
    assert!(screen.contains(&s.bucket), "{screen}");
    assert!(screen.contains("federated-user/alice"), "{screen}");
    for c in s.bucket.chars() {
        tmux.keys(&[&c.to_string()]);
    }
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("all 3 keys loaded, 7 folders", T);
    assert!(
        screen.contains(&format!("\"arn:aws:s3:::{}\"", s.bucket)),
        "{screen}"
    );
    assert!(
        !screen.contains("s3:ListAllMyBuckets"),
        "scoped now: {screen}"
    );
    // Where requests go: the region the AWS chain resolved (none was named), the endpoint.
    assert!(
        screen.contains(&format!("Where     {} · 127.0.0.1:", s.region)),
        "{screen}"
    );
    let recent = std::fs::read_to_string(state.path().join("sts3/recent-buckets")).unwrap();
    assert_eq!(recent.trim(), s.bucket);
    // sts3's state folder (the debug log's too) is the user's alone.
    let folder = std::fs::metadata(state.path().join("sts3")).unwrap();
    assert_eq!(folder.permissions().mode() & 0o777, 0o700);
    // The scoped session sees only its bucket (the local service lists only the buckets a
    // session may list; AWS refuses ListBuckets outright, which the picker says inline).
    tmux.keys(&["b"]);
    let screen = tmux.wait_for("1 bucket this session may list", T);
    assert!(!screen.contains("empty-bucket"), "{screen}");
    tmux.keys(&["Escape"]);
    // The role profile from ~/.aws/config.
    tmux.keys(&["P"]);
    tmux.wait_for("demo-role", T);
    for c in "demo".chars() {
        tmux.keys(&[&c.to_string()]);
    }
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_until("role session listed", T, |s| {
        s.contains("assumed-role/S3BrowseRole/picked") && s.contains("all 3 keys loaded, 7 folders")
    });
    assert!(
        screen.contains("demo-role (role profile; base: profile base)"),
        "{screen}"
    );
    assert!(
        screen.contains("the role's own permissions apply"),
        "{screen}"
    );
    // Back to federated mode with the profile's source keys.
    tmux.keys(&["f"]);
    let screen = tmux.wait_until("federated again", T, |s| {
        s.contains("federated-user/alice") && s.contains("all 3 keys loaded, 7 folders")
    });
    assert!(
        screen.contains(&format!("\"arn:aws:s3:::{}\"", s.bucket)),
        "{screen}"
    );
    tmux.quit();
}
