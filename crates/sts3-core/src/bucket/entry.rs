//! One object of a listing, kept compact: a TUI holding a million keys spends under 100 bytes on
//! each beyond the key itself (the key in a `Box<str>`, the time as milliseconds, an MD5 ETag as
//! 16 bytes, the storage class as a small enum).

use crate::escape::{Untrusted, printable};
use chrono::{DateTime, Utc};
use serde::ser::{Serialize, SerializeStruct, Serializer};
use std::borrow::Cow;
use std::fmt;

/// An ETag: the MD5 of a single-part upload as its 16 bytes, or the text as the server sent it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum Etag {
    Md5([u8; 16]),
    Other(Box<str>),
}

impl Etag {
    /// From the text S3 sends (`"9a0364b9e99bb480dd25e1f0284c8555"`, quotes included). Only a
    /// lowercase hex MD5 is packed, so [`Etag::raw`] gives back exactly what was sent.
    pub fn parse(text: &str) -> Self {
        let hex = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .filter(|h| h.len() == 32 && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
        match hex {
            Some(hex) => {
                // Lowercase hex digits only (checked above).
                let nibble = |b: u8| if b <= b'9' { b - b'0' } else { b - b'a' + 10 };
                let mut bytes = [0u8; 16];
                for (byte, pair) in bytes.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
                    *byte = nibble(pair[0]) << 4 | nibble(pair[1]);
                }
                Etag::Md5(bytes)
            }
            None => Etag::Other(text.into()),
        }
    }

    /// As the server sent it: for requests (`If-Match`), never for a terminal.
    pub fn raw(&self) -> Cow<'_, str> {
        match self {
            Etag::Md5(bytes) => Cow::Owned(quoted_hex(bytes).as_str().to_string()),
            Etag::Other(text) => Cow::Borrowed(text),
        }
    }

    /// The MD5 of the content, when the ETag is one (a single-part upload).
    pub fn md5(&self) -> Option<[u8; 16]> {
        match self {
            Etag::Md5(bytes) => Some(*bytes),
            Etag::Other(_) => None,
        }
    }
}

/// An MD5 as S3 quotes it, on the stack.
struct QuotedHex([u8; 34]);

impl QuotedHex {
    fn as_str(&self) -> &str {
        // Quotes and hex digits only.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

fn quoted_hex(bytes: &[u8; 16]) -> QuotedHex {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [b'"'; 34];
    for (i, b) in bytes.iter().enumerate() {
        out[1 + 2 * i] = HEX[usize::from(b >> 4)];
        out[2 + 2 * i] = HEX[usize::from(b & 15)];
    }
    QuotedHex(out)
}

impl fmt::Display for Etag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Hex is printable as it is: no copy, no scan.
            Etag::Md5(bytes) => f.write_str(quoted_hex(bytes).as_str()),
            Etag::Other(text) => f.write_str(&printable(text)),
        }
    }
}

impl fmt::Debug for Etag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_string())
    }
}

impl From<&str> for Etag {
    fn from(text: &str) -> Self {
        Etag::parse(text)
    }
}

/// The storage classes S3 names, and any other as the server's text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum StorageClass {
    /// Not given.
    #[default]
    Unknown,
    Standard,
    ReducedRedundancy,
    StandardIa,
    OnezoneIa,
    IntelligentTiering,
    Glacier,
    GlacierIr,
    DeepArchive,
    ExpressOnezone,
    Outposts,
    Snow,
    Other(Untrusted),
}

const CLASSES: [(&str, StorageClass); 11] = [
    ("STANDARD", StorageClass::Standard),
    ("REDUCED_REDUNDANCY", StorageClass::ReducedRedundancy),
    ("STANDARD_IA", StorageClass::StandardIa),
    ("ONEZONE_IA", StorageClass::OnezoneIa),
    ("INTELLIGENT_TIERING", StorageClass::IntelligentTiering),
    ("GLACIER", StorageClass::Glacier),
    ("GLACIER_IR", StorageClass::GlacierIr),
    ("DEEP_ARCHIVE", StorageClass::DeepArchive),
    ("EXPRESS_ONEZONE", StorageClass::ExpressOnezone),
    ("OUTPOSTS", StorageClass::Outposts),
    ("SNOW", StorageClass::Snow),
];

impl StorageClass {
    pub fn parse(text: &str) -> Self {
        CLASSES.iter().find(|(name, _)| *name == text).map_or_else(
            || StorageClass::Other(Untrusted::new(text)),
            |(_, c)| c.clone(),
        )
    }

    /// The name S3 uses (escaped, for another's), or `None` when not given.
    pub fn name(&self) -> Option<Cow<'_, str>> {
        match self {
            StorageClass::Unknown => None,
            StorageClass::Other(text) => Some(Cow::Owned(text.to_string())),
            known => CLASSES
                .iter()
                .find(|(_, c)| c == known)
                .map(|(name, _)| Cow::Borrowed(*name)),
        }
    }
}

/// One object in a listing. The key is shown through [`crate::escape::printable`]; the ETag and
/// storage class are the server's words and escape themselves when shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectEntry {
    pub key: Box<str>,
    pub size: u64,
    /// Milliseconds since the epoch; `i64::MIN` when not given.
    modified_ms: i64,
    pub etag: Etag,
    pub storage_class: StorageClass,
}

impl ObjectEntry {
    pub fn new(
        key: impl Into<Box<str>>,
        size: u64,
        last_modified: Option<DateTime<Utc>>,
        etag: Etag,
        storage_class: StorageClass,
    ) -> Self {
        Self {
            key: key.into(),
            size,
            modified_ms: last_modified.map_or(i64::MIN, |t| t.timestamp_millis()),
            etag,
            storage_class,
        }
    }

    /// Milliseconds since the epoch (`i64::MIN` when not given): for sorting.
    pub fn modified_ms(&self) -> i64 {
        self.modified_ms
    }

    pub fn last_modified(&self) -> Option<DateTime<Utc>> {
        (self.modified_ms != i64::MIN)
            .then(|| DateTime::from_timestamp_millis(self.modified_ms))
            .flatten()
    }
}

impl Serialize for ObjectEntry {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("ObjectEntry", 5)?;
        s.serialize_field("key", &*self.key)?;
        s.serialize_field("size", &self.size)?;
        s.serialize_field("last_modified", &self.last_modified())?;
        s.serialize_field("etag", &*self.etag.raw())?;
        let class = match &self.storage_class {
            StorageClass::Unknown => None,
            StorageClass::Other(text) => Some(Cow::Borrowed(text.raw())),
            known => known.name(),
        };
        s.serialize_field("storage_class", &class)?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_etag_debugs_as_its_escaped_text() {
        // What test failures and the debug log show: the ETag as sent, quoted and escaped.
        let etag = Etag::parse("\"9a0364b9e99bb480dd25e1f0284c8555\"");
        assert_eq!(
            format!("{etag:?}"),
            "\"\\\"9a0364b9e99bb480dd25e1f0284c8555\\\"\""
        );
        assert_eq!(format!("{:?}", Etag::parse("x\u{1b}")), "\"x\\\\u{1b}\"");
    }

    #[test]
    fn an_md5_etag_is_packed_and_given_back_exactly() {
        let text = "\"9a0364b9e99bb480dd25e1f0284c8555\"";
        let etag = Etag::parse(text);
        assert!(matches!(etag, Etag::Md5(_)));
        assert_eq!(etag.raw(), text);
        assert_eq!(etag.md5().unwrap()[0], 0x9a);
        for other in [
            "\"9A0364B9E99BB480DD25E1F0284C8555\"", // upper case: kept as sent
            "\"9a0364b9e99bb480dd25e1f0284c8555-3\"", // multipart
            "9a0364b9e99bb480dd25e1f0284c8555",     // no quotes
            "",
        ] {
            let etag = Etag::parse(other);
            assert!(matches!(etag, Etag::Other(_)), "{other}");
            assert_eq!(etag.raw(), other);
            assert_eq!(etag.md5(), None);
        }
        assert_eq!(Etag::parse("\"a\u{1b}b\"").to_string(), "\"a\\u{1b}b\"");
    }

    #[test]
    fn storage_classes_by_name() {
        assert_eq!(StorageClass::parse("GLACIER_IR"), StorageClass::GlacierIr);
        assert_eq!(
            StorageClass::parse("GLACIER_IR").name().unwrap(),
            "GLACIER_IR"
        );
        let odd = StorageClass::parse("X\u{1b}[2J");
        assert_eq!(odd.name().unwrap(), "X\\u{1b}[2J");
        assert_eq!(StorageClass::Unknown.name(), None);
    }

    #[test]
    fn an_entry_is_small() {
        assert!(
            std::mem::size_of::<ObjectEntry>() <= 80,
            "{}",
            std::mem::size_of::<ObjectEntry>()
        );
    }

    #[test]
    fn json_is_as_before() {
        let t = DateTime::from_timestamp(1_763_629_200, 0).unwrap();
        let entry = ObjectEntry::new(
            "a/b.txt",
            3,
            Some(t),
            Etag::parse("\"9a0364b9e99bb480dd25e1f0284c8555\""),
            StorageClass::Standard,
        );
        assert_eq!(
            serde_json::to_string(&entry).unwrap(),
            r#"{"key":"a/b.txt","size":3,"last_modified":"2025-11-20T09:00:00Z","etag":"\"9a0364b9e99bb480dd25e1f0284c8555\"","storage_class":"STANDARD"}"#
        );
    }
}
