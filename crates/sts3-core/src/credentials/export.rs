//! Temporary credentials as other tools take them: the AWS SDKs' container-credentials answer
//! (what `sts3 exec`'s loopback endpoint serves) and `credential_process` output (what
//! `sts3 credentials` prints). These are the only places a secret is written out, and only
//! for a program that asked for it.

use super::SecretCredentials;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::json;

/// `2026-12-05T02:00:00Z`, as the SDKs parse an `Expiration`.
fn expiration(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The container-credentials answer (`AWS_CONTAINER_CREDENTIALS_FULL_URI`): `AccessKeyId`,
/// `SecretAccessKey`, `Token`, `Expiration`.
pub fn container_json(c: &SecretCredentials) -> String {
    json!({
        "AccessKeyId": c.access_key_id,
        "SecretAccessKey": c.secret_access_key.expose(),
        "Token": c.session_token.expose(),
        "Expiration": expiration(c.expires_at),
    })
    .to_string()
}

/// `credential_process` output: `Version` 1, `AccessKeyId`, `SecretAccessKey`,
/// `SessionToken`, `Expiration`.
pub fn process_json(c: &SecretCredentials) -> String {
    json!({
        "Version": 1,
        "AccessKeyId": c.access_key_id,
        "SecretAccessKey": c.secret_access_key.expose(),
        "SessionToken": c.session_token.expose(),
        "Expiration": expiration(c.expires_at),
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Secret;
    use chrono::TimeZone;
    use serde_json::Value;

    fn creds() -> SecretCredentials {
        SecretCredentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: Secret::new("s3cr3t/\"quoted\""),
            session_token: Secret::new("tok+en=="),
            expires_at: Utc.with_ymd_and_hms(2026, 12, 5, 2, 0, 7).unwrap(),
        }
    }

    #[test]
    fn the_container_answer_has_the_sdks_field_names_and_an_rfc3339_expiration() {
        let v: Value = serde_json::from_str(&container_json(&creds())).unwrap();
        assert_eq!(v["AccessKeyId"], "ASIAEXAMPLE");
        assert_eq!(
            v["SecretAccessKey"], "s3cr3t/\"quoted\"",
            "escaped, not cut"
        );
        assert_eq!(v["Token"], "tok+en==");
        assert_eq!(v["Expiration"], "2026-12-05T02:00:07Z");
        assert_eq!(v.as_object().unwrap().len(), 4);
    }

    #[test]
    fn credential_process_output_is_version_1_with_a_session_token() {
        let v: Value = serde_json::from_str(&process_json(&creds())).unwrap();
        assert_eq!(v["Version"], 1);
        assert_eq!(v["AccessKeyId"], "ASIAEXAMPLE");
        assert_eq!(v["SecretAccessKey"], "s3cr3t/\"quoted\"");
        assert_eq!(v["SessionToken"], "tok+en==");
        assert_eq!(v["Expiration"], "2026-12-05T02:00:07Z");
        assert_eq!(v.as_object().unwrap().len(), 5);
    }
}
