//! Text from outside (keys, server answers, files) made safe to put on a terminal or in the log:
//! the one escaping rule, and a string type that applies it whenever it is shown.
//!
//! Escaped, as `\u{..}`: control characters (C0, DEL and C1, whose U+009B is an 8-bit CSI) and
//! the Unicode bidi controls that can reorder what is shown (`bidi\u{202e}txt.exe`). A literal
//! backslash becomes `\\`, so the escaping is unambiguous: `a\u{1b}b` typed by a server and
//! `a<ESC>b` print differently.

use serde::Serialize;
use std::borrow::Cow;
use std::fmt::{self, Write as _};

/// Whether `c` is a bidi control, which can reorder what a terminal shows.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// Whether `c` must not reach a terminal as it is.
fn needs_escape(c: char) -> bool {
    c == '\\' || c.is_control() || is_bidi_control(c)
}

/// What JSON leaves raw and a terminal must not get: DEL, the C1 controls (U+009B is an 8-bit
/// CSI) and bidi controls. (JSON escapes U+0000 to U+001F itself.)
fn json_leaves_raw(c: char) -> bool {
    ('\u{7f}'..='\u{9f}').contains(&c) || is_bidi_control(c)
}

/// `value` as one line of JSON that is also safe on a terminal: JSON already escapes C0
/// controls; DEL, C1 and bidi controls are written as `\uXXXX` escapes too (the same string
/// to a JSON reader).
pub fn json_line(value: &serde_json::Value) -> String {
    json_escaped(&value.to_string()).into_owned()
}

/// JSON text with DEL, C1 and bidi controls written as `\uXXXX` escapes (JSON already escapes
/// C0 controls; the string means the same to a JSON reader).
pub fn json_escaped(text: &str) -> Cow<'_, str> {
    escaped_where(text, json_leaves_raw, |out, c| {
        let _ = write!(out, "\\u{:04x}", u32::from(c));
    })
}

/// `text` with its control characters (but line ends) and bidi controls escaped as `\u{..}`,
/// its backslashes left as they are: for text that may already hold `printable`'s escapes
/// (a log line made of escaped messages and of others' raw ones).
pub fn controls_escaped(text: &str) -> Cow<'_, str> {
    let raw = |c: char| (c.is_control() && c != '\n') || is_bidi_control(c);
    escaped_where(text, raw, |out, c| out.extend(c.escape_unicode()))
}

/// `text` made safe to draw: see the module's rule. Text that needs nothing is borrowed.
pub fn printable(text: &str) -> Cow<'_, str> {
    // Printable ASCII but `\` needs nothing: a byte check, no decoding (most keys).
    let plain = text
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'\\');
    if plain {
        return Cow::Borrowed(text);
    }
    escaped_where(text, needs_escape, |out, c| {
        if c == '\\' {
            out.push_str("\\\\");
        } else {
            out.extend(c.escape_unicode());
        }
    })
}

/// `text` with each character `raw` picks written by `escape`, the others as they are;
/// borrowed when there is none: the one loop `json_escaped`, `controls_escaped` and
/// `printable` share.
fn escaped_where(
    text: &str,
    raw: impl Fn(char) -> bool,
    escape: impl Fn(&mut String, char),
) -> Cow<'_, str> {
    if !text.chars().any(&raw) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 12);
    for c in text.chars() {
        if raw(c) {
            escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The longest server message kept, in bytes; longer ones end in `…`.
pub const MESSAGE_MAX_BYTES: usize = 1024;

/// `text` escaped and cut to about [`MESSAGE_MAX_BYTES`] (on a character boundary), for
/// messages from servers: a 10 MiB error message is a fault, not something to show.
pub fn capped(text: &str) -> String {
    let cut = if text.len() > MESSAGE_MAX_BYTES {
        let mut end = MESSAGE_MAX_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        &text[..end]
    } else {
        text
    };
    let mut out = printable(cut).into_owned();
    if cut.len() < text.len() {
        out.push('…');
    }
    out
}

/// A string from outside, kept as it came (for requests, such as an `If-Match` ETag) and
/// escaped whenever it is displayed or logged. JSON output gets it as is (JSON escapes).
#[derive(Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Untrusted(String);

impl Untrusted {
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// As it came: for requests, never for a terminal.
    pub fn raw(&self) -> &str {
        &self.0
    }

    /// Made safe to show.
    pub fn shown(&self) -> Cow<'_, str> {
        printable(&self.0)
    }
}

impl fmt::Display for Untrusted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown())
    }
}

impl fmt::Debug for Untrusted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.shown())
    }
}

impl From<&str> for Untrusted {
    fn from(text: &str) -> Self {
        Self::new(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_escapes_control_characters_only() {
        assert_eq!(printable("naïve café/日本語 🎉"), "naïve café/日本語 🎉");
        assert_eq!(printable("evil\u{1b}[31mred\n"), "evil\\u{1b}[31mred\\u{a}");
        assert!(matches!(printable("plain"), Cow::Borrowed(_)));
        // Plain ASCII goes a faster way: its edges still escape.
        assert_eq!(printable("\\"), "\\\\");
        assert_eq!(printable("\u{7f}"), "\\u{7f}");
        assert_eq!(printable("tab\there"), "tab\\u{9}here");
        assert_eq!(printable(" ~"), " ~");
    }

    #[test]
    fn c1_controls_and_the_8_bit_csi_are_escaped() {
        assert_eq!(printable("a\u{9b}31mb"), "a\\u{9b}31mb");
        assert_eq!(printable("\u{80}\u{9f}\u{7f}"), "\\u{80}\\u{9f}\\u{7f}");
        assert_eq!(printable("\u{a0}"), "\u{a0}", "NBSP is printable");
    }

    #[test]
    fn bidi_controls_are_escaped_so_names_cannot_be_reordered() {
        assert_eq!(printable("bidi\u{202e}txt.exe"), "bidi\\u{202e}txt.exe");
        for c in [
            '\u{200e}', '\u{200f}', '\u{202a}', '\u{2066}', '\u{2069}', '\u{61c}',
        ] {
            assert!(printable(&c.to_string()).starts_with("\\u{"), "{c:?}");
        }
        assert_eq!(
            printable("a\u{200d}b"),
            "a\u{200d}b",
            "joiners in emoji stay"
        );
    }

    #[test]
    fn json_lines_carry_bidi_controls_as_escapes() {
        let value = serde_json::json!({"key": "a\u{202e}b\u{1b}"});
        let line = json_line(&value);
        assert_eq!(line, r#"{"key":"a\u202eb\u001b"}"#);
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back, value, "the same string to a JSON reader");
    }

    #[test]
    fn json_lines_carry_del_and_c1_controls_as_escapes() {
        // serde_json leaves U+007F to U+009F raw; U+009B is an 8-bit CSI to xterm.
        let value = serde_json::json!({"key": "k\u{9b}31m\u{7f}\u{80}\u{9f}\u{a0}"});
        let line = json_line(&value);
        assert_eq!(line, "{\"key\":\"k\\u009b31m\\u007f\\u0080\\u009f\u{a0}\"}");
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back, value, "the same string to a JSON reader");
        assert!(matches!(json_escaped("plain ~ text"), Cow::Borrowed(_)));
    }

    #[test]
    fn controls_are_escaped_and_backslashes_kept_for_text_already_escaped() {
        assert_eq!(
            controls_escaped("a\u{1b}]52\u{7} \\u{1b} \u{9b}\u{202e}x\nnext"),
            "a\\u{1b}]52\\u{7} \\u{1b} \\u{9b}\\u{202e}x\nnext"
        );
        assert!(matches!(
            controls_escaped("plain \\ text\n"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn escaping_is_unambiguous() {
        let typed = printable("a\\u{1b}b").into_owned();
        let raw = printable("a\u{1b}b").into_owned();
        assert_ne!(typed, raw);
        assert_eq!(typed, "a\\\\u{1b}b");
        assert_eq!(raw, "a\\u{1b}b");
    }

    #[test]
    fn capped_messages_end_in_an_ellipsis_on_a_character_boundary() {
        let long = "é".repeat(MESSAGE_MAX_BYTES);
        let cut = capped(&long);
        assert!(cut.ends_with('…'));
        assert!(cut.len() <= MESSAGE_MAX_BYTES + '…'.len_utf8());
        assert_eq!(capped("short \u{1b}"), "short \\u{1b}");
        let exact = "x".repeat(MESSAGE_MAX_BYTES);
        assert_eq!(capped(&exact), exact, "exactly the limit is kept whole");
        // The limit falls inside a two-byte character: the cut moves back before it.
        let odd = format!("a{}", "é".repeat(MESSAGE_MAX_BYTES));
        let cut = capped(&odd);
        assert_eq!(
            cut,
            format!("a{}…", "é".repeat((MESSAGE_MAX_BYTES - 1) / 2))
        );
    }

    #[test]
    fn untrusted_debug_is_escaped_too() {
        let u = Untrusted::new("a\u{1b}b");
        assert_eq!(format!("{u:?}"), r#""a\\u{1b}b""#);
        let from: Untrusted = "a\u{1b}b".into();
        assert_eq!(from.raw(), "a\u{1b}b", "From keeps the text");
    }

    #[test]
    fn untrusted_shows_escaped_and_keeps_the_raw_text() {
        let etag = Untrusted::new("\"e\u{1b}]52;c;x\u{7}\"");
        assert_eq!(etag.raw(), "\"e\u{1b}]52;c;x\u{7}\"");
        assert_eq!(etag.to_string(), "\"e\\u{1b}]52;c;x\\u{7}\"");
        assert_eq!(
            serde_json::to_string(&etag).unwrap(),
            r#""\"e\u001b]52;c;x\u0007\"""#
        );
    }
}
