//! Debug logging (`-d`): to a file only (0600, in a 0700 directory), never to the terminal, and
//! never a secret. The SDK's own debug and trace events (which include signing details) are
//! filtered out; text from servers is logged escaped (it arrives as escaped failures and
//! session info).

use std::fs::OpenOptions;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::PathBuf;
use std::sync::Mutex;

/// The log file used with `-d`.
pub(crate) fn log_path() -> PathBuf {
    std::env::var_os("STS3_LOG_FILE").map_or_else(
        || {
            crate::settings::project_dirs().map_or_else(
                || std::env::temp_dir().join("sts3.log"),
                |d| {
                    d.state_dir()
                        .unwrap_or_else(|| d.data_local_dir())
                        .join("sts3.log")
                },
            )
        },
        PathBuf::from,
    )
}

/// Creates the folder of `path` if it is missing: only sts3's own folder is created, and only
/// its owner may look inside.
fn private_dir(path: &std::path::Path) -> Result<(), String> {
    if let Some(dir) = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && !d.exists())
    {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| format!("cannot create log directory {}: {e}", dir.display()))?;
    }
    Ok(())
}

/// Starts file logging when `debug` is set. Returns the file's path.
pub fn init(debug: bool) -> Result<Option<PathBuf>, String> {
    if !debug {
        return Ok(None);
    }
    let path = log_path();
    private_dir(&path)?;
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(&path)
        .map_err(|e| format!("cannot open log file {}: {e}", path.display()))?;
    // A file made before (or by someone else's umask) is narrowed too.
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
        .map_err(|e| format!("cannot make log file {} private: {e}", path.display()))?;
    tracing_subscriber::fmt()
        .with_writer(Mutex::new(Escaping(file)))
        .with_ansi(false)
        .with_env_filter(tracing_subscriber::EnvFilter::new("warn,sts3=debug"))
        .try_init()
        .map_err(|e| format!("cannot start logging: {e}"))?;
    Ok(Some(path))
}

/// Writes every event escaped, whoever emits it (the SDK quotes a `credential_process`'s stderr
/// verbatim in its warnings): control characters but the line ends, and bidi controls, never
/// reach the file raw, so `less` or `cat` on the log cannot be turned against the user. What
/// sts3 logs is escaped already; its backslashes are left alone.
struct Escaping<W>(W);

impl<W: std::io::Write> std::io::Write for Escaping<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0
            .write_all(crate::escape::controls_escaped(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::Escaping;
    use std::io::Write as _;

    #[test]
    fn every_event_reaches_the_log_escaped_whoever_emits_it() {
        let mut log = Escaping(Vec::new());
        log.write_all("WARN process said \u{1b}]52;c;eA==\u{7} and \u{202e}gpj.exe\n".as_bytes())
            .unwrap();
        log.write_all(b"second line\n").unwrap();
        let text = String::from_utf8(log.0).unwrap();
        assert_eq!(
            text,
            "WARN process said \\u{1b}]52;c;eA==\\u{7} and \\u{202e}gpj.exe\nsecond line\n"
        );
    }
}
