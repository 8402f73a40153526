//! Hooks into the SDK's requests: telling the app when the SDK is about to retry (throttling,
//! 5xx) so the user sees a notice instead of a silent pause; recording the server's `Date`; and
//! refusing answers larger than any real one before they are read into memory.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeDeserializationInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::sync::Arc;

/// Called with the HTTP status of an attempt the SDK may retry (429 or 5xx).
pub type OnRetryable = Arc<dyn Fn(u16) + Send + Sync>;

pub(crate) struct RetryNotifier(pub OnRetryable);

impl std::fmt::Debug for RetryNotifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RetryNotifier")
    }
}

impl Intercept for RetryNotifier {
    fn name(&self) -> &'static str {
        "sts3-retry-notifier"
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(response) = context.response() {
            let status = response.status().as_u16();
            if status == 429 || status >= 500 {
                (self.0)(status);
            }
        }
        Ok(())
    }
}

/// Remembers the `Date` header of the last answer: the server's clock, to measure ours by.
#[derive(Debug, Clone, Default)]
pub(crate) struct DateRecorder(
    pub std::sync::Arc<std::sync::Mutex<Option<chrono::DateTime<chrono::Utc>>>>,
);

impl DateRecorder {
    pub(crate) fn take(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.0.lock().ok().and_then(|mut d| d.take())
    }
}

impl Intercept for DateRecorder {
    fn name(&self) -> &'static str {
        "sts3-date-recorder"
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let date = context
            .response()
            .and_then(|r| r.headers().get("date"))
            .and_then(|d| chrono::DateTime::parse_from_rfc2822(d).ok())
            .map(|d| d.to_utc());
        if let (Some(date), Ok(mut slot)) = (date, self.0.lock()) {
            *slot = Some(date);
        }
        Ok(())
    }
}

/// An answer longer (by its `Content-Length`) than any real one for the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooLarge {
    pub(crate) bytes: u64,
    pub(crate) cap: u64,
}

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the answer is {} bytes, more than the {} any real one can be",
            self.bytes, self.cap
        )
    }
}

impl std::error::Error for TooLarge {}

/// Refuses answers whose `Content-Length` exceeds `cap` bytes, before the body is read. An
/// object's own bytes (a successful GetObject) are streamed, never read whole, so they are not
/// capped here; their readers bound what they keep. A HeadObject answer has no body at all:
/// its `Content-Length` is the object's size, so it is never capped either.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyCap(pub u64);

impl BodyCap {
    /// Whether an answer to `operation` with this status has a body this cap must bound.
    fn bounds(operation: Option<&str>, success: bool) -> bool {
        match operation {
            Some("HeadObject") => false,
            Some("GetObject") => !success,
            _ => true,
        }
    }
}

impl Intercept for BodyCap {
    fn name(&self) -> &'static str {
        "sts3-body-cap"
    }

    fn read_before_deserialization(
        &self,
        context: &BeforeDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let operation = cfg.load::<Metadata>().map(Metadata::name);
        if !Self::bounds(operation, context.response().status().is_success()) {
            return Ok(());
        }
        let bytes = context
            .response()
            .headers()
            .get("content-length")
            .and_then(|v| v.trim().parse::<u64>().ok());
        match bytes {
            Some(bytes) if bytes > self.0 => Err(Box::new(TooLarge { bytes, cap: self.0 })),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::BodyCap;

    #[test]
    fn the_cap_bounds_every_answer_but_an_object_s_own_bytes_and_a_head() {
        assert!(!BodyCap::bounds(Some("HeadObject"), true));
        assert!(!BodyCap::bounds(Some("HeadObject"), false));
        assert!(!BodyCap::bounds(Some("GetObject"), true));
        assert!(BodyCap::bounds(Some("GetObject"), false), "an error's body");
        assert!(BodyCap::bounds(Some("ListObjectsV2"), true));
        assert!(BodyCap::bounds(None, true));
    }
}

/// Single-valued answer headers a server may send twice (SeaweedFS repeats the SSE-C ones:
/// `x-amz-server-side-encryption-customer-key-MD5: K, K`), which the SDK refuses to read as
/// one value: the same value twice is taken once. Different values are left for the SDK to
/// refuse.
#[derive(Debug)]
pub(crate) struct RepeatedHeaders;

/// The headers [`RepeatedHeaders`] mends.
const SINGLE_VALUED: [&str; 2] = [
    "x-amz-server-side-encryption-customer-algorithm",
    "x-amz-server-side-encryption-customer-key-md5",
];

/// `K, K` (or `K` in two headers) → `K`; `None` when there is nothing to mend.
fn once(values: &[&str]) -> Option<String> {
    let parts: Vec<&str> = values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let first = *parts.first()?;
    (parts.len() > 1 && parts.iter().all(|p| *p == first)).then(|| first.to_string())
}

impl Intercept for RepeatedHeaders {
    fn name(&self) -> &'static str {
        "sts3-repeated-headers"
    }

    fn modify_before_deserialization(
        &self,
        context: &mut aws_smithy_runtime_api::client::interceptors::context::BeforeDeserializationInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let headers = context.response_mut().headers_mut();
        for name in SINGLE_VALUED {
            let values: Vec<&str> = headers.get_all(name).collect();
            if let Some(value) = once(&values) {
                headers.insert(name, value);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod repeated_tests {
    #[test]
    fn the_same_value_twice_is_taken_once_and_different_ones_are_left() {
        assert_eq!(super::once(&["K, K"]).as_deref(), Some("K"));
        assert_eq!(super::once(&["K", "K"]).as_deref(), Some("K"));
        assert_eq!(super::once(&["K"]), None, "nothing to mend");
        assert_eq!(super::once(&["K, L"]), None, "left for the SDK");
        assert_eq!(super::once(&[]), None);
    }
}
