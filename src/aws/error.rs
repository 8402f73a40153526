//! Turns SDK errors into [`AwsFailure`]s, keeping the AWS code and message.

use crate::failure::{AwsFailure, ErrorKind};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::error::Error as StdError;

/// Classifies any SDK error.
pub fn failure_from_sdk<E>(err: &SdkError<E, HttpResponse>) -> AwsFailure
where
    E: ProvideErrorMetadata + StdError + 'static,
{
    match err {
        SdkError::ServiceError(service) => {
            let status = service.raw().status().as_u16();
            let meta = service.err();
            let body = service.raw().body().bytes().unwrap_or_default();
            let text = String::from_utf8_lossy(body);
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
            let mut failure =
                AwsFailure::from_service(code.as_deref(), message.as_deref(), Some(status));
            if failure.kind == ErrorKind::ClockSkew
                && let Some(skew) = skew_message(&text, crate::clock::now())
            {
                failure.message = skew;
            }
            failure
        }
        SdkError::TimeoutError(_) => AwsFailure::new(
            ErrorKind::Timeout,
            None,
            "the request timed out; check the endpoint and your network",
        ),
        SdkError::DispatchFailure(dispatch) => {
            let cause = root_cause(err);
            if dispatch.is_timeout() {
                AwsFailure::new(ErrorKind::Timeout, None, format!("timed out: {cause}"))
            } else if dispatch.is_io() {
                AwsFailure::new(
                    ErrorKind::Network,
                    None,
                    format!("cannot reach the endpoint: {cause}"),
                )
            } else if cause.contains("no temporary credentials") || cause.contains("credentials") {
                AwsFailure::new(
                    ErrorKind::NoCredentials,
                    None,
                    format!("no usable AWS credentials: {cause}"),
                )
            } else {
                AwsFailure::new(ErrorKind::Network, None, cause)
            }
        }
        SdkError::ResponseError(resp) => {
            let status = resp.raw().status().as_u16();
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
