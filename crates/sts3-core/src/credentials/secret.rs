//! Secret strings that cannot be printed by accident and are zeroed when dropped.

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use std::fmt;

/// A secret value. `Debug` and `Display` never show it; only [`Secret::expose`] does. Its
/// memory is zeroed when it is dropped (`secrecy`).
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(SecretString::from(value.into()))
    }

    /// The raw value, for handing to the SDK signer and nothing else.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The temporary credentials STS issued. Lives in the runtime and the AWS layer only.
#[derive(Clone)]
pub struct SecretCredentials {
    pub access_key_id: String,
    pub secret_access_key: Secret,
    pub session_token: Secret,
    pub expires_at: DateTime<Utc>,
}

impl fmt::Debug for SecretCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretCredentials")
            .field(
                "access_key_id",
                &super::mask_access_key(&self.access_key_id),
            )
            .field("secret_access_key", &self.secret_access_key)
            .field("session_token", &self.session_token)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Which part of a set of credentials holds a character that cannot go into an HTTP header
/// (anything but visible ASCII: a `\r` from a CRLF file, an escape from a broken or hostile
/// service), if any. Such a value would make the request signer panic.
pub fn unsafe_part(
    access_key: &str,
    secret_key: &str,
    session_token: Option<&str>,
) -> Option<&'static str> {
    let bad = |v: &str| v.is_empty() || !v.bytes().all(|b| b.is_ascii_graphic());
    if bad(access_key) {
        Some("access key")
    } else if bad(secret_key) {
        Some("secret key")
    } else if session_token.is_some_and(bad) {
        Some("session token")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_that_cannot_go_into_a_header_are_named() {
        assert_eq!(unsafe_part("AKIAEXAMPLE", "s/e+c=", Some("tok.en-_")), None);
        assert_eq!(unsafe_part("AKIAEXAMPLE\r", "s", None), Some("access key"));
        assert_eq!(unsafe_part("AKIA", "se cret", None), Some("secret key"));
        assert_eq!(
            unsafe_part("AKIA", "s", Some("t\u{1b}[0m")),
            Some("session token")
        );
        assert_eq!(unsafe_part("", "s", None), Some("access key"));
        assert_eq!(
            unsafe_part("AKIA", "s", Some("naïve")),
            Some("session token")
        );
    }

    #[test]
    fn debug_and_display_redact() {
        let creds = SecretCredentials {
            access_key_id: "ASIAABCDEFGHIJKLWXYZ".into(),
            secret_access_key: Secret::new("s3cr3t-value"),
            session_token: Secret::new("tok-value-123"),
            expires_at: DateTime::<Utc>::UNIX_EPOCH,
        };
        let shown = format!(
            "{creds:?} {} {}",
            creds.secret_access_key, creds.session_token
        );
        assert!(!shown.contains("s3cr3t-value"), "{shown}");
        assert!(!shown.contains("tok-value-123"), "{shown}");
        assert!(!shown.contains("ABCDEFGHIJKL"), "{shown}");
        assert!(shown.contains("<redacted>"));
        assert_eq!(format!("{:?}", creds.session_token), "Secret(<redacted>)");
        assert_eq!(creds.session_token.to_string(), "<redacted>");
        assert_eq!(
            format!("{creds:?}"),
            "SecretCredentials { access_key_id: \"ASIA…WXYZ\", secret_access_key: Secret(<redacted>), session_token: Secret(<redacted>), expires_at: 1970-01-01T00:00:00Z }"
        );
        assert_eq!(creds.secret_access_key.expose(), "s3cr3t-value");
    }
}
