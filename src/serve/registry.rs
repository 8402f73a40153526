//! Where a running sts3 says it shares its session (the TUI's `S`), so that `sts3 credentials`
//! for the same target answers from it: one session, one MFA prompt, one countdown. A file a
//! process in the state folder (`~/.local/state/sts3/shares/PID`, 0600 in a 0700 folder),
//! holding the target's key and the script a client sources; removed when sharing stops.
//! The token stays in its own 0600 file: only its owner can use what is found here.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The folder of the registrations.
fn dir() -> Option<PathBuf> {
    let dirs = crate::settings::project_dirs()?;
    let state = dirs.state_dir().map_or_else(
        || dirs.data_local_dir().to_path_buf(),
        std::path::Path::to_path_buf,
    );
    Some(state.join("shares"))
}

/// This process's registration; removed when dropped.
#[derive(Debug)]
pub(crate) struct Registration(PathBuf);

impl Registration {
    /// Says this process shares the session of `key`, served as `env_file` tells.
    pub(crate) fn new(key: &str, env_file: &Path) -> std::io::Result<Self> {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        let dir = dir().ok_or_else(|| std::io::Error::other("no home folder"))?;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)?;
        let path = dir.join(std::process::id().to_string());
        let _ = std::fs::remove_file(&path); // a dead process's, with this pid
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        file.write_all(format!("{key}\n{}\n", env_file.display()).as_bytes())?;
        Ok(Self(path))
    }

    /// The session shared is now the one of `key` (the TUI switched mode, bucket, profile…).
    pub(crate) fn rename(&self, key: &str) -> std::io::Result<()> {
        let text = std::fs::read_to_string(&self.0)?;
        let env_file = text.lines().nth(1).unwrap_or_default();
        std::fs::write(&self.0, format!("{key}\n{env_file}\n"))
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The scripts of the running processes that share the session of `key`.
pub(crate) fn sharing(key: &str) -> Vec<PathBuf> {
    let Some(entries) = dir().and_then(|d| std::fs::read_dir(d).ok()) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .filter_map(|text| {
            let mut lines = text.lines();
            if lines.next()? != key {
                return None;
            }
            lines.next().map(PathBuf::from)
        })
        .filter(|env_file| env_file.exists())
        .collect()
}

/// The value `script` exports as `name` (as [`super::env::shell_script`] writes it).
fn exported(script: &str, name: &str) -> std::io::Result<String> {
    script
        .lines()
        .find_map(|l| l.strip_prefix(&format!("export {name}=")))
        .map(|v| v.trim_matches('\'').to_string())
        .ok_or_else(|| std::io::Error::other(format!("{name} is not in the script")))
}

/// The endpoint's URL and token a client script points at.
pub(crate) fn endpoint(env_file: &Path) -> std::io::Result<(String, String)> {
    let script = std::fs::read_to_string(env_file)?;
    let url = exported(&script, "AWS_CONTAINER_CREDENTIALS_FULL_URI")?;
    let token =
        std::fs::read_to_string(exported(&script, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")?)?;
    Ok((url, token))
}

/// The credentials the endpoint a client script points at hands out now, as the endpoint's
/// JSON (`AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`).
pub(crate) fn fetch(env_file: &Path) -> std::io::Result<serde_json::Value> {
    let (url, token) = endpoint(env_file)?;
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| std::io::Error::other("not a loopback URL"))?;
    let (addr, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = std::net::TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(15)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {token}\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = Vec::new();
    stream.take(64 * 1024).read_to_end(&mut answer)?;
    let answer = String::from_utf8_lossy(&answer);
    let (head, body) = answer
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no answer"))?;
    if !head.starts_with("HTTP/1.1 200") {
        return Err(std::io::Error::other(
            head.lines().next().unwrap_or_default().to_string(),
        ));
    }
    serde_json::from_str(body).map_err(std::io::Error::other)
}
