//! What a client of the endpoint is given: the variables that point the AWS SDKs' default
//! chain at it (`AWS_CONTAINER_CREDENTIALS_FULL_URI` and the token's file), its own AWS config
//! and credentials files holding only the region (so no profile with keys in the user's
//! `~/.aws` comes first), and the variables it must not keep (keys, a profile) because they
//! would win over the served session. Files live in a [`Private`] folder, removed with it.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Variables to set: names and values.
pub(crate) type Vars = Vec<(&'static str, String)>;

/// Variables that would put other credentials (or another profile) before the served ones.
pub(crate) const REMOVED: [&str; 13] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
];

/// A folder only this user can enter, for the token and the client's AWS files; removed
/// (with them) when dropped.
#[derive(Debug)]
pub(crate) struct Private(PathBuf);

impl Private {
    /// A new folder `NAME-RANDOM` in the temporary folder, 0700.
    pub(crate) fn create(name: &str) -> std::io::Result<Self> {
        use std::os::unix::fs::DirBuilderExt;
        let name = format!("{name}-{}", &super::new_token()?[..16]);
        let path = std::env::temp_dir().join(name);
        std::fs::DirBuilder::new().mode(0o700).create(&path)?;
        Ok(Self(path))
    }

    #[cfg(test)]
    pub(crate) fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `text` to a new 0600 file `name` in the folder (never over an existing one).
    pub(crate) fn write(&self, name: &str, text: &str) -> std::io::Result<PathBuf> {
        use std::os::unix::fs::OpenOptionsExt;
        let path = self.0.join(name);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        file.write_all(text.as_bytes())?;
        Ok(path)
    }
}

impl Drop for Private {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The client's own AWS config and credentials files (in `private`), holding only the region,
/// and the region itself: the variables that name them.
pub(crate) fn own_files(private: &Private, region: Option<&str>) -> std::io::Result<Vars> {
    let config = match region {
        Some(region) => format!("[default]\nregion = {region}\n"),
        None => "[default]\n".to_string(),
    };
    let config = private.write("config", &config)?;
    let credentials = private.write("credentials", "")?;
    let mut vars = vec![
        ("AWS_CONFIG_FILE", config.display().to_string()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            credentials.display().to_string(),
        ),
    ];
    if let Some(region) = region {
        vars.push(("AWS_REGION", region.to_string()));
        vars.push(("AWS_DEFAULT_REGION", region.to_string()));
    }
    Ok(vars)
}

/// Everything a client of the endpoint at `url` is given: the endpoint and the token's file,
/// its own AWS files with `region`, and `endpoint_url` (a custom S3/STS endpoint) when set.
pub(crate) fn client_vars(
    private: &Private,
    url: &str,
    token_file: &Path,
    region: Option<&str>,
    endpoint_url: Option<&str>,
) -> std::io::Result<Vars> {
    let mut vars = vec![
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", url.to_string()),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            token_file.display().to_string(),
        ),
    ];
    vars.extend(own_files(private, region)?);
    if let Some(url) = endpoint_url {
        vars.push(("AWS_ENDPOINT_URL", url.to_string()));
    }
    Ok(vars)
}

/// A POSIX shell script that makes a shell a client: the variables that would win removed,
/// then `vars` exported (each value single-quoted).
pub(crate) fn shell_script(vars: &[(&'static str, String)]) -> String {
    let mut script = format!(
        "# sts3: the AWS SDKs and the AWS CLI in this shell use the session sts3 shares\nunset {}\n",
        REMOVED
            .iter()
            .filter(|name| !vars.iter().any(|(set, _)| set == *name))
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    );
    for (name, value) in vars {
        script.push_str("export ");
        script.push_str(name);
        script.push('=');
        script.push_str(&quoted(value));
        script.push('\n');
    }
    script
}

/// `value` in single quotes for a POSIX shell (a `'` inside written as `'\''`).
fn quoted(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_private_folder_is_the_users_alone_and_goes_with_its_files() {
        use std::os::unix::fs::PermissionsExt;
        let private = Private::create("sts3-test").unwrap();
        let dir = private.path().to_path_buf();
        let file = private.write("token", "t").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&file), 0o600);
        assert!(
            private.write("token", "again").is_err(),
            "never overwritten"
        );
        drop(private);
        assert!(!dir.exists());
    }

    #[test]
    fn a_client_gets_the_endpoint_its_own_files_and_a_script_a_shell_can_source() {
        let private = Private::create("sts3-test").unwrap();
        let token = private.write("token", "t").unwrap();
        let vars = client_vars(
            &private,
            "http://127.0.0.1:9/credentials",
            &token,
            Some("eu-west-1"),
            Some("http://127.0.0.1:8333"),
        )
        .unwrap();
        let names: Vec<&str> = vars.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                "AWS_CONFIG_FILE",
                "AWS_SHARED_CREDENTIALS_FILE",
                "AWS_REGION",
                "AWS_DEFAULT_REGION",
                "AWS_ENDPOINT_URL"
            ]
        );
        let config = std::fs::read_to_string(private.path().join("config")).unwrap();
        assert_eq!(config, "[default]\nregion = eu-west-1\n");
        let script = shell_script(&vars);
        assert!(script.contains("\nunset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY "));
        assert!(
            !script.contains(" AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE "),
            "what is set is not unset: {script}"
        );
        assert!(script.contains("export AWS_REGION='eu-west-1'\n"));
        assert_eq!(quoted("it's"), r"'it'\''s'");
        // The script does what it says in a real shell.
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "{script}\necho \"$AWS_REGION|${{AWS_ACCESS_KEY_ID-unset}}\""
            ))
            .env("AWS_ACCESS_KEY_ID", "AKIAOLD")
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "eu-west-1|unset\n");
    }
}
