//! What a newcomer relies on: the README's claims about flags and config keys, the default
//! user name, and config-file options for `sts3 list`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{list_command, service, sts3};
use sts3::settings::FileConfig;

/// The flags named in the README's flag table (first column), as written (`--role-arn`, `-u`).
fn readme_flags() -> Vec<String> {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let table: Vec<&str> = readme
        .lines()
        .skip_while(|l| !l.starts_with("| flag | meaning |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert!(table.len() > 10, "the flag table is there");
    table
        .iter()
        .flat_map(|row| {
            let first = row.split(" | ").next().unwrap_or_default();
            first
                .split(|c: char| c.is_whitespace() || matches!(c, '`' | ',' | '|' | '[' | ']'))
                .filter(|w| w.starts_with("--"))
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Whether the config file knows `key` (any value type: only "unknown field" means no).
fn config_has_key(key: &str) -> bool {
    match FileConfig::parse(&format!("{key} = 0\n"), "probe.toml") {
        Ok(_) => true,
        Err(e) => !e.to_string().contains("unknown field"),
    }
}

#[test]
fn every_flag_in_the_readme_has_a_config_key_or_is_named_flag_only() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let flags = readme_flags();
    for flag in [
        "--bucket",
        "--mode",
        "--debug",
        "--limit",
        "--json",
        "--mfa-code",
    ] {
        assert!(
            flags.iter().any(|f| f == flag),
            "{flag} in the table: {flags:?}"
        );
    }
    let flag_only = readme
        .lines()
        .find(|l| l.contains("flag-only on purpose"))
        .map(|l| {
            let start = readme.find(l).unwrap();
            readme[start..].split("\n\n").next().unwrap().to_string()
        })
        .expect("the README says which flags are flag-only");
    for flag in [
        "--force",
        "--expires",
        "--output",
        "--dry-run",
        "--recursive",
    ] {
        assert!(
            flags.iter().any(|f| f == flag),
            "subcommands' flags are in the table too: {flag} in {flags:?}"
        );
    }
    for flag in flags {
        // "`--expires` (its key is `presign_secs`": a key under another name.
        let alias = flag_only
            .split(&format!("`{flag}` (its key is `"))
            .nth(1)
            .and_then(|rest| rest.split('`').next());
        if let Some(key) = alias {
            assert!(config_has_key(key), "{flag}: its key `{key}` exists");
            continue;
        }
        let key = flag.trim_start_matches("--").replace('-', "_");
        let named = flag_only.contains(&format!("`{flag}`"));
        assert!(
            config_has_key(&key) != named,
            "{flag}: a config key `{key}` exists: {}, listed as flag-only: {named}",
            config_has_key(&key)
        );
    }
}

#[test]
fn list_options_and_debug_from_the_config_file() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("sts3.log");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "debug = true\nlimit = 2\njson = true\nfolders = true\n",
    )
    .unwrap();
    let out = list_command(&s.endpoint)
        .args(["--config", config.to_str().unwrap()])
        .env("STS3_LOG_FILE", &log)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let kinds: Vec<String> = stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON lines");
            v["type"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| *k == "object").count(),
        2,
        "limit 2: {stdout}"
    );
    assert!(kinds.iter().any(|k| k == "prefix"), "folders: {stdout}");
    assert!(log.exists(), "debug = true writes the log");
}

#[test]
fn the_default_user_is_the_login_name_even_without_user_set() {
    let s = service();
    let login = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    let login = String::from_utf8_lossy(&login.stdout).trim().to_string();
    let mut cmd = sts3();
    cmd.envs(s.env())
        .env_remove("USER")
        .env_remove("LOGNAME")
        .args([
            "list",
            "-b",
            &s.bucket,
            "--endpoint-url",
            &s.endpoint,
            "--limit",
            "1",
        ]);
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("federated-user/{login}\n")),
        "principal named after {login:?}:\n{stdout}"
    );
}
