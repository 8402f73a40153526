//! `sts3 put` and `sts3 rm` against the real local service (SeaweedFS enforces the session
//! policy and `If-None-Match: *`): a write the session policy refuses is said before anything
//! is sent; files and folders go up under their names and come back byte for byte; an
//! existing key is kept unless --force; a token that expires on the way is renewed and the file
//! sent again; rm deletes keys and, with --recursive, all under a prefix, and --dry-run nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::proxy::{FaultProxy, S3Step};
use common::{command, service};
use std::path::Path;
use std::process::Output;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A session policy that may list the bucket and read, write and delete under `prefix`.
fn writer_policy(dir: &Path, prefix: &str) -> std::path::PathBuf {
    let bucket = &service().bucket;
    let path = dir.join("rw.json");
    std::fs::write(
        &path,
        serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": format!("arn:aws:s3:::{bucket}")},
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
             "Resource": format!("arn:aws:s3:::{bucket}/{prefix}*")}
        ]})
        .to_string(),
    )
    .unwrap();
    path
}

fn run(endpoint: &str, sub: &str, policy: Option<&Path>, args: &[&str]) -> Output {
    let mut cmd = command(endpoint, sub);
    if let Some(p) = policy {
        cmd.arg("--policy").arg(p);
    }
    cmd.args(args).output().unwrap()
}

/// The object's bytes, read back with `sts3 get`.
fn read_back(policy: &Path, key: &str) -> Vec<u8> {
    let s = service();
    let out = run(&s.endpoint, "get", Some(policy), &[key, "-o", "-"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    out.stdout
}

/// Whether `key` is gone from S3: `sts3 get` of it fails.
fn is_gone(policy: &Path, key: &str) -> bool {
    let out = run(&service().endpoint, "get", Some(policy), &[key, "-o", "-"]);
    !out.status.success()
}

/// The TUI opened, `width` columns wide, on a folder of its own (`STEM-PID/`) holding the
/// `seeded` names (each its key as its body), as a session that may read, write and delete
/// there; the folder's first seeded name shows.
struct Opened {
    _dir: tempfile::TempDir,
    policy: std::path::PathBuf,
    prefix: String,
    tmux: common::tmux::Tmux,
}

fn open_tui(stem: &str, seeded: &[&str], width: u16) -> Opened {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let prefix = format!("{stem}-{}/", std::process::id());
    let policy = writer_policy(dir.path(), &prefix);
    let keys: Vec<String> = seeded.iter().map(|n| format!("{prefix}{n}")).collect();
    common::put_objects(&keys);
    let tmux = common::start_tui_in(&s.endpoint, &policy, &prefix, &[], width);
    let shown = seeded[0].split('/').next().unwrap_or_default();
    tmux.wait_for(shown, std::time::Duration::from_secs(30));
    Opened {
        _dir: dir,
        policy,
        prefix,
        tmux,
    }
}

#[test]
fn a_write_the_session_policy_refuses_is_said_and_nothing_is_sent() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.txt");
    std::fs::write(&file, b"a").unwrap();
    // The default session policy reads only.
    let out = run(
        &proxy.url,
        "put",
        None,
        &[file.to_str().unwrap(), "uploads/"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim(),
        format!(
            "sts3: the session policy does not allow s3:PutObject on arn:aws:s3:::{}/uploads/a.txt; nothing was sent. Use a session policy that allows it: --template read-write (or read-write-prefix with --prefix), or --policy FILE",
            s.bucket
        )
    );
    let out = run(&proxy.url, "rm", None, &["README.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("does not allow s3:DeleteObject"));
    assert!(proxy.log().is_empty(), "not even STS: {:?}", proxy.log());
}

#[test]
fn the_way_out_it_names_a_template_on_the_command_line_writes_where_it_allows() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.txt");
    std::fs::write(&file, b"from a template").unwrap();
    let prefix = format!("writes-template-{}/", std::process::id());
    let put = |template: &str, key: &str| {
        let dest = format!("s3://{}/{key}", s.bucket);
        let args = ["--template", template, "--prefix", &prefix];
        run(
            &s.endpoint,
            "put",
            None,
            &[&args[..], &[file.to_str().unwrap(), &dest]].concat(),
        )
    };
    // For the folder: a put in it goes up, one beside it is refused before anything is sent.
    let key = format!("{prefix}a.txt");
    let out = put("read-write-prefix", &key);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = put("read-write-prefix", "elsewhere/a.txt");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(&format!(
            "does not allow s3:PutObject on arn:aws:s3:::{}/elsewhere/a.txt",
            s.bucket
        )),
        "{}",
        text(&out.stderr)
    );
    // For the bucket: read back, then removed.
    let get = run(
        &s.endpoint,
        "get",
        None,
        &["--template", "read-write", &key, "-o", "-"],
    );
    assert_eq!(get.stdout, b"from a template", "{}", text(&get.stderr));
    let out = run(&s.endpoint, "rm", None, &["--template", "read-write", &key]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let gone = run(
        &s.endpoint,
        "get",
        None,
        &["--template", "read-write", &key, "-o", "-"],
    );
    assert!(
        text(&gone.stderr).contains("NoSuchKey"),
        "{}",
        text(&gone.stderr)
    );
    // A template or a policy file, not both.
    let policy = dir.path().join("p.json");
    std::fs::write(&policy, r#"{"Version":"2012-10-17","Statement":[]}"#).unwrap();
    let both = run(
        &s.endpoint,
        "rm",
        Some(&policy),
        &["--template", "read-write", &key],
    );
    assert_eq!(both.status.code(), Some(2));
    assert!(
        text(&both.stderr).contains("'--policy <FILE>' cannot be used with '--template <NAME>'"),
        "{}",
        text(&both.stderr)
    );
}

#[test]
fn rm_of_a_folder_with_objects_in_it_deletes_nothing_and_says_to_pass_recursive() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let out = run(
        &proxy.url,
        "rm",
        None,
        &["--template", "read-write", "docs/"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr).trim(),
        format!(
            "sts3: s3://{}/docs/ is a folder with objects in it; nothing was deleted. Pass \
             --recursive to delete every object under it",
            s.bucket
        )
    );
    let log = proxy.log();
    assert!(
        log.iter().any(|l| l.contains("max-keys=1")) && !log.iter().any(|l| l.contains("delete")),
        "one listing asked, no delete sent: {log:?}"
    );
    // An empty folder's own object is deleted, as the AWS CLI deletes it.
    let empty = format!("writes-empty-{}/", std::process::id());
    let out = run(
        &proxy.url,
        "rm",
        None,
        &["--template", "read-write", &empty],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!("delete: s3://{}/{empty}\n", s.bucket)
    );
}

#[test]
fn files_and_folders_go_up_and_come_back_and_an_existing_key_is_kept_unless_forced() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let prefix = &format!("writes-put-{}/", std::process::id());
    let policy = writer_policy(dir.path(), prefix);
    let photos = dir.path().join("photos");
    std::fs::create_dir_all(photos.join("2026")).unwrap();
    std::fs::write(photos.join("a.jpg"), b"first a").unwrap();
    std::fs::write(photos.join("2026/b.json"), b"{\"b\": 1}").unwrap();
    std::os::unix::fs::symlink("/etc/hostname", photos.join("link")).unwrap();
    let uri = format!("s3://{}/{prefix}", s.bucket);
    let out = run(
        &s.endpoint,
        "put",
        Some(&policy),
        &[photos.to_str().unwrap(), &uri],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!(
            "upload: {p}/2026/b.json to {uri}photos/2026/b.json\nupload: {p}/a.jpg to {uri}photos/a.jpg\n",
            p = photos.display()
        )
    );
    assert!(
        text(&out.stderr).contains("1 symbolic link(s) passed over"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        read_back(&policy, &format!("{prefix}photos/a.jpg")),
        b"first a"
    );

    // Again, changed: kept (If-None-Match), and said; --force overwrites.
    std::fs::write(photos.join("a.jpg"), b"second a").unwrap();
    let one = photos.join("a.jpg");
    let key = format!("{uri}photos/a.jpg");
    let out = run(
        &s.endpoint,
        "put",
        Some(&policy),
        &[one.to_str().unwrap(), &key],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains(&format!("kept {key}: it exists (--force overwrites it)")),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        read_back(&policy, &format!("{prefix}photos/a.jpg")),
        b"first a"
    );
    let out = run(
        &s.endpoint,
        "put",
        Some(&policy),
        &["--force", one.to_str().unwrap(), &key],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        read_back(&policy, &format!("{prefix}photos/a.jpg")),
        b"second a"
    );
}

#[test]
fn an_expired_token_on_the_way_is_renewed_and_the_file_sent_again() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let dir = tempfile::tempdir().unwrap();
    let prefix = &format!("writes-expiry-{}/", std::process::id());
    let policy = writer_policy(dir.path(), prefix);
    let file = dir.path().join("c.txt");
    std::fs::write(&file, b"ccc").unwrap();
    proxy.set(|f| {
        f.s3_once.push((
            format!("PUT /{}/{prefix}c.txt", s.bucket),
            S3Step::EXPIRED_TOKEN,
        ));
    });
    let out = run(
        &proxy.url,
        "put",
        Some(&policy),
        &["--force", file.to_str().unwrap(), prefix],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("ExpiredToken"),
        "{}",
        text(&out.stderr)
    );
    let sts_calls = proxy
        .log()
        .iter()
        .filter(|l| l.starts_with("POST / "))
        .count();
    assert_eq!(sts_calls, 2, "renewed once: {:?}", proxy.log());
    assert_eq!(read_back(&policy, &format!("{prefix}c.txt")), b"ccc");
}

#[test]
fn rm_deletes_keys_and_with_recursive_all_under_a_prefix_and_dry_run_nothing() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let prefix = "writes-rm/";
    let policy = writer_policy(dir.path(), prefix);
    let tree = dir.path().join("t");
    std::fs::create_dir_all(tree.join("deep/er")).unwrap();
    for f in ["x.txt", "deep/y.txt", "deep/er/z.txt"] {
        std::fs::write(tree.join(f), f).unwrap();
    }
    let out = run(
        &s.endpoint,
        "put",
        Some(&policy),
        &[tree.to_str().unwrap(), prefix],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listed = |p: &str| {
        let out = run(&s.endpoint, "list", Some(&policy), &["--prefix", p]);
        text(&out.stdout)
            .lines()
            .filter(|l| l.contains(" => "))
            .count()
    };
    assert_eq!(listed("writes-rm/t/"), 3);

    let out = run(
        &s.endpoint,
        "rm",
        Some(&policy),
        &["--recursive", "--dry-run", "writes-rm/t/deep/"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!(
            "(dry run) delete: s3://{b}/writes-rm/t/deep/er/z.txt\n(dry run) delete: s3://{b}/writes-rm/t/deep/y.txt\n",
            b = s.bucket
        )
    );
    assert_eq!(listed("writes-rm/t/"), 3, "a dry run deletes nothing");

    let uri = format!("s3://{}/writes-rm/t/x.txt", s.bucket);
    let out = run(&s.endpoint, "rm", Some(&policy), &[&uri]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), format!("delete: {uri}\n"));
    let out = run(
        &s.endpoint,
        "rm",
        Some(&policy),
        &["--recursive", "writes-rm/t/"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), 2);
    assert_eq!(listed("writes-rm/t/"), 0);
}

/// A new bucket `bucket` with versioning on, holding `keys` (each its key as its body).
fn versioned_bucket(bucket: &str, keys: &[&str]) -> (tokio::runtime::Runtime, aws_sdk_s3::Client) {
    let (rt, admin) = common::versioned_bucket(bucket);
    rt.block_on(async {
        for key in keys {
            admin
                .put_object()
                .bucket(bucket)
                .key(*key)
                .body(Vec::from(key.as_bytes()).into())
                .send()
                .await
                .unwrap();
        }
    });
    (rt, admin)
}

#[test]
fn on_a_versioned_bucket_rm_says_the_delete_markers_and_every_version_stays() {
    let s = service();
    let bucket = format!("versioned-{}", std::process::id());
    let (rt, admin) = versioned_bucket(&bucket, &["docs/a.txt", "docs/b.txt"]);
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("rw.json");
    std::fs::write(
        &policy,
        serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": format!("arn:aws:s3:::{bucket}")},
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:DeleteObject"],
             "Resource": format!("arn:aws:s3:::{bucket}/*")}
        ]})
        .to_string(),
    )
    .unwrap();
    let out = common::sts3()
        .envs(s.env())
        .args(["rm", "-b", &bucket, "-u", "alice", "--endpoint-url"])
        .arg(&s.endpoint)
        .arg("--policy")
        .arg(&policy)
        .args(["--recursive", "docs/"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!("delete: s3://{bucket}/docs/a.txt\ndelete: s3://{bucket}/docs/b.txt\n")
    );
    assert!(
        text(&out.stderr).contains(
            "sts3: the bucket is versioned: 2 delete markers hide the objects, and every version of them is kept"
        ),
        "{}",
        text(&out.stderr)
    );
    // S3 agrees: a marker on each key, and both versions still there.
    let versions = rt.block_on(async {
        admin
            .list_object_versions()
            .bucket(&bucket)
            .send()
            .await
            .unwrap()
    });
    assert_eq!(versions.delete_markers().len(), 2, "{versions:?}");
    assert_eq!(versions.versions().len(), 2, "{versions:?}");
    // An unversioned bucket makes no markers, and says nothing of them.
    let prefix = format!("writes-unversioned-{}/", std::process::id());
    common::put_objects(&[format!("{prefix}x")]);
    let out = run(
        &s.endpoint,
        "rm",
        Some(&writer_policy(dir.path(), &prefix)),
        &[&format!("{prefix}x")],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        !text(&out.stderr).contains("versioned"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_tui_says_a_bucket_is_versioned_in_its_title_and_before_a_delete() {
    let s = service();
    let bucket = format!("versioned-tui-{}", std::process::id());
    let _admin = versioned_bucket(&bucket, &["gone.txt", "kept.txt"]);
    let dir = tempfile::tempdir().unwrap();
    // The read-write template, as the lab attaches it (it may ask the bucket's versioning).
    let policy = dir.path().join("rw.json");
    let template = sts3::policy::templates::by_name("read-write", &bucket, "").unwrap();
    std::fs::write(&policy, template.compact()).unwrap();
    let tmux = common::start_tui_on(
        &bucket,
        &s.endpoint,
        &["--policy", policy.to_str().unwrap()],
        &[],
        160,
        30,
    );
    let t = std::time::Duration::from_secs(30);
    tmux.wait_for(&format!("Objects s3://{bucket}/ · versioned"), t);
    tmux.keys(&["D"]);
    tmux.wait_for(
        &format!("delete s3://{bucket}/gone.txt? versioned: every version is kept · y deletes"),
        t,
    );
    tmux.keys(&["y"]);
    tmux.wait_for(
        "the bucket is versioned: a delete marker hides the object, and every version of it is kept",
        t,
    );
    tmux.quit();
}

#[test]
fn the_tui_deletes_the_object_under_the_cursor_after_a_yes() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let prefix = format!("writes-tui-{}/", std::process::id());
    let policy = writer_policy(dir.path(), &prefix);
    let file = dir.path().join("gone.txt");
    std::fs::write(&file, b"soon gone").unwrap();
    let out = run(
        &s.endpoint,
        "put",
        Some(&policy),
        &[file.to_str().unwrap(), &prefix],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let tmux = common::start_tui_in(&s.endpoint, &policy, &prefix, &[], 100);
    let t = std::time::Duration::from_secs(30);
    tmux.wait_for("gone.txt", t);
    tmux.keys(&["D"]);
    tmux.wait_for(
        &format!("delete s3://{}/{prefix}gone.txt? y deletes", s.bucket),
        t,
    );
    tmux.keys(&["y"]);
    tmux.wait_for(&format!("deleted s3://{}/{prefix}gone.txt", s.bucket), t);
    // The row goes (SeaweedFS may keep the emptied folder's own marker listed).
    tmux.wait_until("the row to go", t, |screen| {
        !screen
            .lines()
            .any(|l| l.starts_with('┃') && l.contains("gone.txt"))
    });
    tmux.quit();
    assert!(
        is_gone(&policy, &format!("{prefix}gone.txt")),
        "gone from S3 too"
    );
}

#[test]
fn the_tui_deletes_2500_marked_keys_in_3_requests_once_the_bucket_s_name_is_typed() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let prefix = format!("writes-bulk-{}/", std::process::id());
    let policy = writer_policy(dir.path(), &prefix);
    let keys: Vec<String> = (0..2500).map(|i| format!("{prefix}k{i:04}")).collect();
    common::put_objects(&keys);
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let tmux = common::start_tui_in(&proxy.url, &policy, &prefix, &[], 120);
    let t = std::time::Duration::from_mins(1);
    tmux.wait_for("1,000 keys loaded · more available", t);
    tmux.keys(&["G"]);
    tmux.wait_for("all 2,500 keys loaded", t);
    tmux.keys(&["V"]);
    tmux.wait_for("2,500 marked", t);
    tmux.keys(&["D"]);
    tmux.wait_for(&format!("? type {} to confirm: ", s.bucket), t);
    // A single key press never deletes many: y is only a letter here.
    tmux.keys(&["y", "BSpace"]);
    tmux.type_text(&s.bucket);
    tmux.keys(&["Enter"]);
    tmux.wait_for("deleted 2,500 objects", t);
    tmux.quit();
    let deletes = proxy.count(&format!("POST /{}/?delete", s.bucket));
    assert_eq!(
        deletes,
        3,
        "batches of 1,000: {:?}",
        proxy
            .log()
            .iter()
            .filter(|l| l.contains("?delete"))
            .collect::<Vec<_>>()
    );
    let out = run(&s.endpoint, "list", Some(&policy), &["--prefix", &prefix]);
    assert!(
        String::from_utf8_lossy(&out.stdout).ends_with("No. of Objects = 0\n"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn the_tui_deletes_a_folder_whole_only_once_the_bucket_s_name_is_typed() {
    let s = service();
    let Opened {
        _dir,
        policy,
        prefix,
        tmux,
    } = open_tui(
        "writes-rmdir",
        &["keep.txt", "dir/a.txt", "dir/sub/b.txt"],
        140,
    );
    let t = std::time::Duration::from_secs(30);
    // The cursor is on the first row, the folder dir/.
    tmux.keys(&["D"]);
    let asked = format!("delete folder s3://{}/{prefix}dir/ (2 objects, ", s.bucket);
    tmux.wait_for(&asked, t);
    tmux.wait_for(&format!("type {} to confirm: ", s.bucket), t);
    // A single key press never deletes a folder, and a wrong name keeps it.
    tmux.keys(&["y", "Enter"]);
    tmux.wait_for("(that is not the bucket's name)", t);
    tmux.keys(&["D"]);
    tmux.wait_for(&asked, t);
    tmux.type_text(&s.bucket);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&format!("deleted folder s3://{}/{prefix}dir/", s.bucket), t);
    tmux.quit();
    let out = run(&s.endpoint, "list", Some(&policy), &["--prefix", &prefix]);
    let listed = text(&out.stdout);
    assert!(
        listed.contains("keep.txt") && !listed.contains("dir/"),
        "only what was beside the folder is left: {listed}"
    );
}

#[test]
fn the_tui_renames_an_object_by_editing_its_name_and_copies_it_into_a_folder() {
    let s = service();
    let Opened {
        _dir,
        policy,
        prefix,
        tmux,
    } = open_tui("writes-mv", &["a.txt"], 120);
    let t = std::time::Duration::from_secs(30);
    tmux.keys(&["R"]);
    tmux.wait_for(
        &format!("move a.txt to s3://{}/{prefix}: a.txt", s.bucket),
        t,
    );
    tmux.keys(&["BSpace", "BSpace", "BSpace", "BSpace", "BSpace"]);
    tmux.type_text("b.txt");
    tmux.keys(&["Enter"]);
    let moved = format!(
        "moved s3://{b}/{prefix}a.txt to s3://{b}/{prefix}b.txt",
        b = s.bucket
    );
    tmux.wait_for(&moved, t);
    // Copied into a folder, which keeps the name.
    tmux.keys(&["C"]);
    tmux.wait_for(
        &format!("copy b.txt to s3://{}/{prefix}: b.txt", s.bucket),
        t,
    );
    tmux.keys(&["BSpace", "BSpace", "BSpace", "BSpace", "BSpace"]);
    tmux.type_text("kept/");
    tmux.keys(&["Enter"]);
    tmux.wait_for(
        &format!(
            "copied s3://{b}/{prefix}b.txt to s3://{b}/{prefix}kept/b.txt",
            b = s.bucket
        ),
        t,
    );
    tmux.quit();
    let key = format!("{prefix}b.txt");
    assert_eq!(
        read_back(&policy, &key),
        key.replace("b.txt", "a.txt").as_bytes()
    );
    assert_eq!(
        read_back(&policy, &format!("{prefix}kept/b.txt")),
        format!("{prefix}a.txt").as_bytes()
    );
    assert!(
        is_gone(&policy, &format!("{prefix}a.txt")),
        "the source of the move is gone"
    );
}

#[test]
fn the_tui_makes_a_folder_as_the_console_does() {
    let s = service();
    let Opened {
        _dir,
        policy: _,
        prefix,
        tmux,
    } = open_tui("writes-mkdir", &["seed.txt"], 100);
    let t = std::time::Duration::from_secs(30);
    tmux.keys(&["N"]);
    tmux.wait_for(&format!("new folder in s3://{}/{prefix}: ", s.bucket), t);
    tmux.type_text("reports 2026");
    tmux.keys(&["Enter"]);
    tmux.wait_for(&format!("made s3://{}/{prefix}reports 2026/", s.bucket), t);
    tmux.wait_for("┃reports 2026/", t);
    // Made again: there already, nothing replaced.
    tmux.keys(&["N"]);
    tmux.type_text("reports 2026");
    tmux.keys(&["Enter"]);
    tmux.wait_for("reports 2026/ is there already", t);
    tmux.quit();
}

#[test]
fn the_tui_puts_a_file_into_the_folder_shown_and_asks_before_overwriting() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let prefix = format!("writes-tui-up-{}/", std::process::id());
    let policy = writer_policy(dir.path(), &prefix);
    let file = dir.path().join("fresh-report.txt");
    std::fs::write(&file, b"first").unwrap();
    // A folder with one key, so the TUI opens in it.
    let seed = dir.path().join("seed.txt");
    std::fs::write(&seed, b"s").unwrap();
    let out = run(
        &s.endpoint,
        "put",
        Some(&policy),
        &[seed.to_str().unwrap(), &prefix],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let tmux = common::start_tui_in(&s.endpoint, &policy, &prefix, &[], 120);
    let t = std::time::Duration::from_secs(30);
    tmux.wait_for("seed.txt", t);
    // The path typed in part, Tab completes it.
    let partial = format!("{}/fresh-r", dir.path().display());
    tmux.keys(&["U"]);
    tmux.wait_for("put into s3://", t);
    tmux.keys(&[&partial, "Tab"]);
    tmux.wait_for("fresh-report.txt▏", t);
    tmux.keys(&["Enter"]);
    tmux.wait_for(
        &format!("as s3://{}/{prefix}fresh-report.txt (5 bytes)", s.bucket),
        t,
    );
    tmux.wait_until("the new row", t, |screen| {
        screen
            .lines()
            .any(|l| l.starts_with('┃') && l.contains("fresh-report.txt"))
    });
    // Again: it exists; o overwrites.
    std::fs::write(&file, b"second").unwrap();
    tmux.keys(&["U", file.to_str().unwrap(), "Enter"]);
    tmux.wait_for("fresh-report.txt exists: o overwrites it", t);
    tmux.keys(&["o"]);
    tmux.wait_for("(6 bytes)", t);
    tmux.quit();
    assert_eq!(
        read_back(&policy, &format!("{prefix}fresh-report.txt")),
        b"second"
    );
}

#[test]
fn the_tui_moves_a_folder_and_copies_marked_objects_into_a_folder_after_a_yes() {
    let s = service();
    let Opened {
        _dir,
        policy,
        prefix,
        tmux,
    } = open_tui("writes-batch", &["sub/c.txt", "a.txt", "b.txt"], 140);
    let t = std::time::Duration::from_secs(30);
    let b = &s.bucket;
    // The cursor is on sub/: R moves the folder whole, into moved/.
    tmux.keys(&["R"]);
    tmux.wait_for(&format!("move sub/ to s3://{b}/{prefix}: "), t);
    tmux.type_text("moved");
    tmux.keys(&["Enter"]);
    tmux.wait_for("move 1 object (", t);
    tmux.wait_for(
        &format!("to s3://{b}/{prefix}moved/sub/? y moves them · any other key keeps them"),
        t,
    );
    tmux.keys(&["y"]);
    tmux.wait_for("moved 1 object (", t);
    // The folder moved whole leaves the listing.
    tmux.wait_until("sub/ to go", t, |screen| {
        !screen.lines().any(|l| l.starts_with("┃sub/"))
    });
    // a.txt and b.txt marked (under moved/), then copied into backup/.
    tmux.keys(&["g", "j", "Space", "Space"]);
    tmux.wait_for("2 marked", t);
    tmux.keys(&["C"]);
    tmux.wait_for(&format!("copy 2 marked objects to s3://{b}/{prefix}: "), t);
    tmux.type_text("backup");
    tmux.keys(&["Enter"]);
    tmux.wait_for(&format!("to s3://{b}/{prefix}backup/? y copies them"), t);
    tmux.keys(&["y"]);
    tmux.wait_for("copied 2 objects (", t);
    tmux.wait_for("backup/", t);
    tmux.quit();
    for name in ["a.txt", "b.txt"] {
        assert_eq!(
            read_back(&policy, &format!("{prefix}backup/{name}")),
            format!("{prefix}{name}").as_bytes()
        );
        // A copy keeps its source.
        assert_eq!(
            read_back(&policy, &format!("{prefix}{name}")),
            format!("{prefix}{name}").as_bytes()
        );
    }
    assert_eq!(
        read_back(&policy, &format!("{prefix}moved/sub/c.txt")),
        format!("{prefix}sub/c.txt").as_bytes()
    );
    assert!(
        is_gone(&policy, &format!("{prefix}sub/c.txt")),
        "a move deletes its source"
    );
}

#[test]
fn a_tui_batch_move_met_by_an_expired_token_on_a_copy_and_a_delete_goes_on_after_new_credentials() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let dir = tempfile::tempdir().unwrap();
    let prefix = format!("writes-renew-{}/", std::process::id());
    let policy = writer_policy(dir.path(), &prefix);
    let names = ["a.txt", "b.txt", "c.txt"];
    common::put_objects(&names.map(|n| format!("{prefix}{n}")));
    // The copy of b.txt, then the deletion of a source, meet an expired token once each.
    proxy.set(|f| {
        f.s3_once.push((
            format!("PUT /{}/{prefix}moved/b.txt", s.bucket),
            S3Step::EXPIRED_TOKEN,
        ));
        f.s3_once
            .push(("?delete".to_string(), S3Step::EXPIRED_TOKEN));
    });
    let tmux = common::start_tui_in(&proxy.url, &policy, &prefix, &[], 140);
    let t = std::time::Duration::from_secs(30);
    tmux.wait_for("c.txt", t);
    tmux.keys(&["V"]);
    tmux.wait_for("3 marked", t);
    tmux.keys(&["R"]);
    tmux.wait_for(
        &format!("move 3 marked objects to s3://{}/{prefix}: ", s.bucket),
        t,
    );
    tmux.type_text("moved");
    tmux.keys(&["Enter"]);
    tmux.wait_for("y moves them", t);
    tmux.keys(&["y"]);
    let screen = tmux.wait_for("moved 3 objects (", t);
    assert!(!screen.contains("failed"), "{screen}");
    assert!(!screen.contains("still where they were"), "{screen}");
    tmux.quit();
    let log = proxy.log();
    assert_eq!(
        log.iter().filter(|l| l.contains("?delete")).count(),
        4,
        "each source deleted once, and the refused deletion once more: {log:#?}"
    );
    let refreshes = log.iter().filter(|l| l.starts_with("POST / ")).count() - 1;
    assert!(
        (1..=2).contains(&refreshes),
        "one refresh for each refusal at most: {log:#?}"
    );
    for name in names {
        assert_eq!(
            read_back(&policy, &format!("{prefix}moved/{name}")),
            format!("{prefix}{name}").as_bytes(),
            "{name}"
        );
        assert!(is_gone(&policy, &format!("{prefix}{name}")), "{name} moved");
    }
}
