//! Checks of single values from flags, the config file or the environment, before any network
//! call: region names, endpoint URLs, and the login name used as the default federated user.

use super::SetupError;

/// AWS region names look like `us-west-2`, `us-gov-east-1`, `cn-north-1`. With a custom
/// endpoint any name that is a valid host label is accepted (local services use names of
/// their own, and the name goes into the signature's scope).
pub(super) fn check_region(region: &str, custom_endpoint: bool) -> Result<(), SetupError> {
    let host_label = (1..=63).contains(&region.len())
        && region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !region.starts_with('-')
        && !region.ends_with('-');
    if custom_endpoint {
        return if host_label {
            Ok(())
        } else {
            Err(SetupError::EndpointRegion(region.to_string()))
        };
    }
    let simple = host_label
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if simple && aws_shaped(region) {
        Ok(())
    } else {
        Err(SetupError::Region(region.to_string()))
    }
}

/// Shaped like an AWS region: two letters, words, a number (`us-gov-west-1`).
fn aws_shaped(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].parse::<u8>().is_ok()
}

/// An `http://` or `https://` URL with a host (and, if given, a port from 1 to 65535).
pub(super) fn check_endpoint(text: &str) -> Result<(), SetupError> {
    let bad = || SetupError::EndpointUrl(text.to_string());
    let url = url::Url::parse(text).map_err(|_| bad())?;
    let scheme_ok = matches!(url.scheme(), "http" | "https");
    let host_ok = url.host_str().is_some_and(|h| !h.is_empty());
    let port_ok = url.port() != Some(0);
    if scheme_ok && host_ok && port_ok {
        Ok(())
    } else {
        Err(bad())
    }
}

/// The federated user name when `-u` is not given: the login name (the passwd entry of the
/// user running sts3, else `$LOGNAME`, else `$USER`), made valid.
pub(super) fn default_user() -> String {
    let login = whoami::fallible::username()
        .ok()
        .or_else(|| std::env::var("LOGNAME").ok())
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_default();
    let cleaned: String = login
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(*c))
        .take(32)
        .collect();
    if cleaned.len() >= 2 {
        cleaned
    } else {
        "sts3-user".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names() {
        for good in [
            "us-west-2",
            "us-gov-east-1",
            "cn-north-1",
            "ap-southeast-4",
            "eu-central-2",
        ] {
            assert!(check_region(good, false).is_ok(), "{good}");
        }
        for bad in [
            "",
            "us_west_2",
            "US-WEST-2",
            "uswest2",
            "us-west",
            "mars",
            "us-west-2a",
        ] {
            assert!(check_region(bad, false).is_err(), "{bad}");
        }
        for custom in ["garage", "mars", "us-east-1", "Local1"] {
            assert!(
                check_region(custom, true).is_ok(),
                "local services name their own: {custom}"
            );
        }
        for bad in ["Bad Region", "", "-x", "x-", &"a".repeat(64), "a_b"] {
            assert!(
                matches!(check_region(bad, true), Err(SetupError::EndpointRegion(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn endpoint_urls() {
        for bad in [
            "localhost:9000",
            "http://",
            "ftp://x",
            "http://host:99999",
            "http://host:0",
            "http://a b",
            "",
        ] {
            assert!(check_endpoint(bad).is_err(), "{bad}");
        }
        for good in [
            "http://127.0.0.1:8333",
            "https://s3.example.com/",
            "http://[::1]:9000",
            "https://s3.eu-central-1.amazonaws.com",
        ] {
            assert!(check_endpoint(good).is_ok(), "{good}");
        }
    }
}
