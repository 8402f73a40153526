//! Turns SDK errors into [`AwsFailure`]s, keeping the AWS code and message.

use crate::failure::{AwsFailure, ErrorKind};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::{DispatchFailure, SdkError};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::error::Error as StdError;

/// Where a call went, for messages: `S3 at http://127.0.0.1:8333` (never a user name or
/// password from the URL) or `STS in region eu-west-1`.
pub(crate) fn place_of(service: &str, config: &aws_config::SdkConfig) -> String {
    match config.endpoint_url() {
        Some(url) => format!("{service} at {}", without_userinfo(url)),
        None => format!(
            "{service} in region {}",
            config.region().map_or("(none)", |r| r.as_ref())
        ),
    }
}

/// `url` without `user:password@`.
pub(crate) fn without_userinfo(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            parsed.to_string().trim_end_matches('/').to_string()
        }
        _ => url.to_string(),
    }
}

/// Classifies any SDK error of a call to `place` whose answer should have been `answer`
/// (`ListObjectsV2 XML`), and words it: every network, timeout, redirect and unreadable-answer
/// message is made here.
pub(crate) fn failure_from_sdk<E>(
    err: &SdkError<E, HttpResponse>,
    place: &str,
    answer: &str,
) -> AwsFailure
where
    E: ProvideErrorMetadata + StdError + 'static,
{
    if let Some(too_large) = find_in_chain::<super::interceptors::TooLarge>(err) {
        return AwsFailure::new(
            ErrorKind::BadAnswer,
            None,
            format!("{place}: {too_large}; check that the endpoint is right"),
        );
    }
    match err {
        SdkError::ServiceError(service) => {
            service_failure(service.raw(), service.err(), place, answer)
        }
        SdkError::TimeoutError(_) => AwsFailure::new(
            ErrorKind::Timeout,
            None,
            format!(
                "{place} did not answer in time; check the endpoint and your network ([timeouts] in the config file sets the limits)"
            ),
        ),
        SdkError::DispatchFailure(dispatch) => dispatch_failure(dispatch, &root_cause(err), place),
        SdkError::ResponseError(resp) => {
            let raw = resp.raw();
            let status = raw.status().as_u16();
            if (300..400).contains(&status) {
                let text = String::from_utf8_lossy(raw.body().bytes().unwrap_or_default());
                return redirected(place, raw, &text);
            }
            if (200..300).contains(&status) {
                return unreadable(place, answer, status);
            }
            AwsFailure::from_service(None, Some(&root_cause(err)), Some(status))
        }
        SdkError::ConstructionFailure(_) => {
            let cause = root_cause(err);
            let kind = if cause.contains("credentials") {
                ErrorKind::NoCredentials
            } else {
                ErrorKind::Other
            };
            AwsFailure::new(kind, None, cause)
        }
        _ => AwsFailure::new(ErrorKind::Other, None, root_cause(err)),
    }
}

/// A service's answer that is an error (or not the answer at all: a redirect, a page of
/// something else).
fn service_failure(
    raw: &HttpResponse,
    meta: &impl ProvideErrorMetadata,
    place: &str,
    answer: &str,
) -> AwsFailure {
    let status = raw.status().as_u16();
    let body = raw.body().bytes().unwrap_or_default();
    let text = String::from_utf8_lossy(body);
    if (300..400).contains(&status) {
        return redirected(place, raw, &text);
    }
    if (200..300).contains(&status) {
        return unreadable(place, answer, status);
    }
    // Some STS-compatible services answer with S3's `<Error>` shape, which the awsQuery
    // parser does not read; take the code from the body ourselves.
    let code = meta
        .code()
        .map(str::to_string)
        .or_else(|| xml_field(&text, "Code"));
    let message = meta
        .message()
        .map(str::to_string)
        .or_else(|| xml_field(&text, "Message"));
    let mut failure = AwsFailure::from_service(code.as_deref(), message.as_deref(), Some(status));
    failure.region = bucket_region(raw, &text);
    if failure.kind == ErrorKind::ClockSkew
        && let Some(skew) = skew_message(&text, crate::clock::now())
    {
        failure.message = skew;
    }
    failure
}

/// A request that never got an answer: a timeout, a connection that failed, or no credentials
/// to sign it with.
fn dispatch_failure(dispatch: &DispatchFailure, cause: &str, place: &str) -> AwsFailure {
    if dispatch.is_timeout() {
        AwsFailure::new(
            ErrorKind::Timeout,
            None,
            format!("{place} did not answer in time: {cause}; check the endpoint and your network"),
        )
    } else if dispatch.is_io() {
        AwsFailure::new(
            ErrorKind::Network,
            None,
            format!("cannot reach {place}: {cause}; check the endpoint, region and network"),
        )
    } else if cause.contains("no temporary credentials") || cause.contains("credentials") {
        AwsFailure::new(
            ErrorKind::NoCredentials,
            None,
            format!("no usable AWS credentials: {cause}"),
        )
    } else {
        AwsFailure::new(ErrorKind::Network, None, format!("{place}: {cause}"))
    }
}

/// An answer that is not what the call returns (an HTML page, a proxy's error, garbage).
pub(crate) fn unreadable(place: &str, answer: &str, status: u16) -> AwsFailure {
    AwsFailure::new(
        ErrorKind::BadAnswer,
        None,
        format!(
            "the answer from {place} (HTTP {status}) could not be read as {answer}; check that the endpoint is right"
        ),
    )
}

/// A 3xx: where the service says to go instead, from `x-amz-bucket-region`, `<Endpoint>` or
/// `Location`.
fn redirected(place: &str, raw: &HttpResponse, body: &str) -> AwsFailure {
    let header = |name: &str| raw.headers().get(name).map(str::to_string);
    let to = header("x-amz-bucket-region")
        .map(|r| format!("region {r}"))
        .or_else(|| xml_field(body, "Endpoint"))
        .or_else(|| header("location").map(|l| without_userinfo(&l)));
    let code = xml_field(body, "Code");
    let mut failure = AwsFailure::new(
        ErrorKind::Redirected,
        code.as_deref(),
        format!(
            "{place} redirected to {} (sts3 does not follow redirects with signed requests; check the region or endpoint)",
            to.as_deref().unwrap_or("another place")
        ),
    );
    failure.status = Some(raw.status().as_u16());
    failure.region = bucket_region(raw, body);
    failure
}

/// The region S3 says the bucket is in: its `x-amz-bucket-region` header, else the `<Region>`
/// of an `AuthorizationHeaderMalformed` body — only when it looks like a region name.
fn bucket_region(raw: &HttpResponse, body: &str) -> Option<String> {
    raw.headers()
        .get("x-amz-bucket-region")
        .map(str::to_string)
        .or_else(|| xml_field(body, "Region"))
        .filter(|r| {
            !r.is_empty()
                && r.len() <= 32
                && r.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

/// The first error of type `T` in `err`'s chain of sources.
fn find_in_chain<'a, T: StdError + 'static>(err: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        current = e.source();
    }
    None
}

/// The innermost error message: the part that says what actually went wrong.
fn root_cause(err: &(dyn StdError + 'static)) -> String {
    let mut current = err;
    while let Some(next) = current.source() {
        current = next;
    }
    let text = current.to_string();
    if text.is_empty() {
        err.to_string()
    } else {
        text
    }
}

/// Says how far off the local clock is, from the server time S3 reports with
/// `RequestTimeTooSkewed`.
pub(crate) fn skew_message(body: &str, now: chrono::DateTime<chrono::Utc>) -> Option<String> {
    let server = xml_field(body, "ServerTime")?;
    let server = chrono::DateTime::parse_from_rfc3339(&server).ok()?.to_utc();
    // The server reports whole seconds: round ours to the nearest second.
    let millis = (now - server).num_milliseconds();
    let rounded = (millis + millis.signum() * 500) / 1000;
    let secs = rounded.abs();
    let direction = if rounded >= 0 { "ahead of" } else { "behind" };
    Some(format!(
        "this computer's clock is {}m{:02}s {direction} the server's ({}); AWS allows 15 minutes: fix the system clock (enable NTP)",
        secs / 60,
        secs % 60,
        server.format("%Y-%m-%d %H:%M:%S UTC")
    ))
}

/// The text of the first `<name>...</name>` element, unescaped. Enough for AWS error bodies.
pub(crate) fn xml_field(body: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = body.find(&open)? + open.len();
    let len = body[start..].find(&close)?;
    let raw = body[start..start + len].trim();
    if raw.is_empty() {
        return None;
    }
    Some(
        raw.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

#[cfg(test)]
mod tests {
    use super::xml_field;

    #[test]
    fn clock_skew_is_measured_from_the_server_time() {
        use chrono::TimeZone;
        let body = "<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message><RequestTime>20261123T093000Z</RequestTime><ServerTime>2026-11-23T09:12:30Z</ServerTime><MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds></Error>";
        let now = chrono::Utc
            .with_ymd_and_hms(2026, 11, 23, 9, 30, 0)
            .unwrap();
        assert_eq!(
            super::skew_message(body, now).unwrap(),
            "this computer's clock is 17m30s ahead of the server's (2026-11-23 09:12:30 UTC); AWS allows 15 minutes: fix the system clock (enable NTP)"
        );
        let behind = chrono::Utc
            .with_ymd_and_hms(2026, 11, 23, 8, 52, 0)
            .unwrap();
        assert!(
            super::skew_message(body, behind)
                .unwrap()
                .contains("20m30s behind")
        );
    }

    #[test]
    fn urls_are_shown_without_user_or_password() {
        assert_eq!(
            super::without_userinfo("http://user:secret@127.0.0.1:8333"),
            "http://127.0.0.1:8333"
        );
        assert_eq!(
            super::without_userinfo("https://s3.example.com/"),
            "https://s3.example.com/"
        );
    }

    #[test]
    fn reads_code_and_message_from_s3_style_body() {
        let body = "<?xml version=\"1.0\"?>\n<Error><Code>SignatureDoesNotMatch</Code>\
            <Message>a &amp; b</Message></Error>";
        assert_eq!(
            xml_field(body, "Code").as_deref(),
            Some("SignatureDoesNotMatch")
        );
        assert_eq!(xml_field(body, "Message").as_deref(), Some("a & b"));
        assert_eq!(xml_field(body, "RequestId"), None);
    }
}
