//! SSE-C: objects encrypted with a key the customer keeps. S3 reads them only when every
//! request carries that key (AES-256: 32 bytes, sent base64 with its MD5). The key is a
//! secret: it is read from a file, held in memory wiped when dropped, and never shown, logged
//! or written (its `Debug` is redacted).

use crate::failure::AwsFailure;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use md5::{Digest, Md5};
use secrecy::{ExposeSecret, SecretString};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The bytes of an AES-256 key.
const KEY_BYTES: usize = 32;

/// A customer-provided key, as the headers carry it.
#[derive(Clone)]
pub struct CustomerKey {
    /// The key, base64.
    key: SecretString,
    /// Its MD5, base64: S3 checks the key arrived whole (not a secret: it names the key).
    md5: String,
}

impl std::fmt::Debug for CustomerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CustomerKey(<redacted>)")
    }
}

impl PartialEq for CustomerKey {
    fn eq(&self, other: &Self) -> bool {
        self.md5 == other.md5
    }
}

impl Eq for CustomerKey {}

impl CustomerKey {
    /// From a key file's contents: the 32 bytes themselves, or their base64 (one line).
    pub fn from_file(contents: &[u8]) -> Result<Self, String> {
        Self::parse(contents, "the key file")
    }

    /// From the key as typed or pasted: the 32 characters themselves (the AWS CLI's
    /// `--sse-c-key`), or their base64.
    pub fn from_typed(text: &str) -> Result<Self, String> {
        Self::parse(text.as_bytes(), "the key typed")
    }

    /// From `contents`, the raw key or its base64; `what` names it in the error.
    fn parse(contents: &[u8], what: &str) -> Result<Self, String> {
        let raw = if contents.len() == KEY_BYTES {
            contents.to_vec()
        } else {
            let text = std::str::from_utf8(contents).unwrap_or_default().trim();
            STANDARD.decode(text).unwrap_or_default()
        };
        if raw.len() != KEY_BYTES {
            return Err(format!(
                "{what} holds {} bytes; an SSE-C key is 32 bytes (AES-256), raw or base64 on one line",
                contents.len()
            ));
        }
        let md5 = STANDARD.encode(Md5::digest(&raw));
        Ok(Self {
            key: SecretString::from(STANDARD.encode(&raw)),
            md5,
        })
    }

    /// `x-amz-server-side-encryption-customer-key`: for the request only, never shown.
    pub fn base64(&self) -> &str {
        self.key.expose_secret()
    }

    /// `x-amz-server-side-encryption-customer-key-MD5`.
    pub fn md5(&self) -> &str {
        &self.md5
    }
}

/// Whether S3 refused a read because the object is encrypted with a customer key and none was
/// given (`InvalidArgument`/`InvalidRequest` naming the customer key or SSE).
pub fn key_missing(failure: &AwsFailure) -> bool {
    let named = failure.message.to_ascii_lowercase();
    matches!(
        failure.code.as_deref(),
        Some("InvalidArgument" | "InvalidRequest")
    ) && (named.contains("customer") || named.contains("server side encryption"))
}

/// Whether a refusal of a read that carried a customer key may be the key's: S3 answers a
/// key that is not the object's with 403 `AccessDenied`, as it answers a policy's refusal.
pub fn maybe_wrong_key(failure: &AwsFailure, keyed: bool) -> bool {
    keyed && failure.kind == crate::failure::ErrorKind::AccessDenied
}

/// What to say when a read with a key was refused (`how`: the way to give another).
pub fn wrong_key_note(how: &str) -> String {
    format!(
        "the SSE-C key given is not the one the object was stored with ({how}), or the session may not read it"
    )
}

/// The customer keys given for single objects while sts3 runs (the TUI's `K`), shared by
/// every S3 client signing for the session: each object's reads carry its own. Held in
/// memory only, each key wiped when dropped; its `Debug` says how many, never which.
#[derive(Clone, Default)]
pub struct Keyring(Arc<Mutex<HashMap<(String, String), CustomerKey>>>);

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.0.lock().map_or(0, |k| k.len());
        write!(f, "Keyring({n} keys)")
    }
}

impl Keyring {
    /// From now on, reads of `key` in `bucket` carry `secret` (another given before is
    /// dropped).
    pub fn give(&self, bucket: &str, key: &str, secret: CustomerKey) {
        if let Ok(mut keys) = self.0.lock() {
            keys.insert((bucket.to_string(), key.to_string()), secret);
        }
    }

    /// The key given for `key` in `bucket`, if one was.
    pub fn of(&self, bucket: &str, key: &str) -> Option<CustomerKey> {
        let keys = self.0.lock().ok()?;
        keys.get(&(bucket.to_string(), key.to_string())).cloned()
    }
}

/// What to say when the key is missing: the way on (`how`: the flag or key that gives it).
pub fn missing_note(how: &str) -> String {
    format!("the object is encrypted with a customer-provided key (SSE-C); {how}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::ErrorKind;

    #[test]
    fn a_key_is_32_bytes_raw_or_base64_and_never_debugged() {
        let raw = [7u8; 32];
        let key = CustomerKey::from_file(&raw).unwrap();
        assert_eq!(key.base64(), STANDARD.encode(raw));
        assert_eq!(key.md5(), STANDARD.encode(Md5::digest(raw)));
        let text = format!("{}\n", STANDARD.encode(raw));
        assert_eq!(CustomerKey::from_file(text.as_bytes()).unwrap(), key);
        assert_ne!(
            CustomerKey::from_file(&[8u8; 32]).unwrap(),
            key,
            "another key"
        );
        assert_eq!(format!("{key:?}"), "CustomerKey(<redacted>)");
        assert!(!format!("{key:?}").contains(key.base64()));
        let short = CustomerKey::from_file(b"too short").unwrap_err();
        assert_eq!(
            short,
            "the key file holds 9 bytes; an SSE-C key is 32 bytes (AES-256), raw or base64 on one line"
        );
        assert!(CustomerKey::from_file(STANDARD.encode([1u8; 16]).as_bytes()).is_err());
        // Typed: the 32 characters themselves, or their base64.
        let typed = CustomerKey::from_typed(&"k".repeat(32)).unwrap();
        assert_eq!(typed, CustomerKey::from_file(&[b'k'; 32]).unwrap());
        assert_eq!(
            CustomerKey::from_typed(&format!(" {} ", STANDARD.encode(raw))).unwrap(),
            key
        );
        assert_eq!(
            CustomerKey::from_typed("abc").unwrap_err(),
            "the key typed holds 3 bytes; an SSE-C key is 32 bytes (AES-256), raw or base64 on one line"
        );
    }

    #[test]
    fn a_keyring_gives_each_object_its_own_key_and_never_says_one() {
        let ring = Keyring::default();
        let one = CustomerKey::from_file(&[1u8; 32]).unwrap();
        let two = CustomerKey::from_file(&[2u8; 32]).unwrap();
        ring.give("b", "k", one.clone());
        let shared = ring.clone();
        shared.give("b", "other", two.clone());
        assert_eq!(ring.of("b", "k"), Some(one));
        assert_eq!(ring.of("b", "other"), Some(two.clone()));
        assert_eq!(ring.of("c", "k"), None, "another bucket's key of that name");
        assert_eq!(ring.of("b", "k2"), None);
        ring.give("b", "k", two.clone());
        assert_eq!(ring.of("b", "k"), Some(two), "given again: replaced");
        assert_eq!(format!("{ring:?}"), "Keyring(2 keys)");
    }

    #[test]
    fn a_missing_key_is_told_from_other_refusals() {
        let missing = AwsFailure::from_service(
            Some("InvalidArgument"),
            Some(
                "Requests specifying Server Side Encryption with Customer provided keys must provide the customer key.",
            ),
            Some(400),
        );
        assert!(key_missing(&missing));
        let aws = AwsFailure::from_service(
            Some("InvalidRequest"),
            Some(
                "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.",
            ),
            Some(400),
        );
        assert!(key_missing(&aws));
        let other = AwsFailure::from_service(Some("InvalidArgument"), Some("Bad range"), Some(400));
        assert!(!key_missing(&other));
        let denied = AwsFailure::new(ErrorKind::AccessDenied, Some("AccessDenied"), "customer");
        assert!(!key_missing(&denied));
        assert!(maybe_wrong_key(&denied, true));
        assert!(!maybe_wrong_key(&denied, false), "no key was given");
        assert!(!maybe_wrong_key(&missing, true), "not a refusal");
        assert_eq!(
            wrong_key_note("K gives another"),
            "the SSE-C key given is not the one the object was stored with (K gives another), or the session may not read it"
        );
        assert_eq!(
            missing_note("pass --sse-c-key-file FILE"),
            "the object is encrypted with a customer-provided key (SSE-C); pass --sse-c-key-file FILE"
        );
    }
}
