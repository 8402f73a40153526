//! A preview of an object's first bytes: text as text, JSON pretty and highlighted, anything
//! else as a hex dump; every character escaped before it can reach the terminal.

use crate::bucket::human_size;
use crate::escape::{json_escaped, printable};
use crate::highlight::{JsonToken, TokenLine, highlight};
use std::fmt::Write as _;

/// What the preview shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// A zero-byte object.
    Empty,
    /// A zero-byte object whose key ends in `/`: a folder marker.
    FolderMarker,
    /// UTF-8 text, one escaped line each (tabs as spaces).
    Text(Vec<String>),
    /// JSON, pretty-printed and split into tokens (escaped).
    Json(Vec<TokenLine>),
    /// Anything else: offset, 16 bytes in hex, the printable ASCII.
    Hex(Vec<String>),
}

/// A preview: what it shows and how much of the object that is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub body: Body,
    /// The bytes shown.
    pub shown: u64,
    /// The object's size.
    pub size: u64,
}

impl Preview {
    /// Builds the preview of `bytes`, the first bytes of `key` (of `size` bytes in all).
    pub fn of(key: &str, size: u64, bytes: &[u8]) -> Self {
        let shown = bytes.len() as u64;
        let cut = shown < size;
        let body = if size == 0 && key.ends_with('/') {
            Body::FolderMarker
        } else if bytes.is_empty() {
            Body::Empty
        } else if let Some(json) = (!cut)
            .then(|| serde_json::from_slice::<serde_json::Value>(bytes).ok())
            .flatten()
            .filter(|v| v.is_object() || v.is_array())
        {
            Body::Json(escaped_tokens(highlight(&json)))
        } else if let Some(text) = as_text(bytes, cut) {
            Body::Text(text_lines(text))
        } else {
            Body::Hex(hex_lines(bytes))
        };
        Self { body, shown, size }
    }

    /// The title: `first 256 KiB of 3.1 GiB` when cut, else the size.
    pub fn extent(&self) -> String {
        if self.shown < self.size {
            format!(
                "first {} of {}",
                exact_size(self.shown),
                human_size(self.size)
            )
        } else {
            human_size(self.size)
        }
    }

    /// Lines it takes to show (for scrolling).
    pub fn line_count(&self) -> usize {
        match &self.body {
            Body::Empty | Body::FolderMarker => 1,
            Body::Text(lines) | Body::Hex(lines) => lines.len(),
            Body::Json(lines) => lines.len(),
        }
    }

    /// The widest line, in characters (how far it scrolls sideways).
    pub fn widest(&self) -> usize {
        let width = |l: &String| l.chars().count();
        match &self.body {
            Body::Empty | Body::FolderMarker => 0,
            Body::Text(lines) | Body::Hex(lines) => lines.iter().map(width).max().unwrap_or(0),
            Body::Json(lines) => lines
                .iter()
                .map(|tokens| tokens.iter().map(|(_, t)| width(t)).sum())
                .max()
                .unwrap_or(0),
        }
    }

    /// What kind of preview this is, for the title.
    pub fn kind(&self) -> &'static str {
        match &self.body {
            Body::Empty => "empty",
            Body::FolderMarker => "folder marker",
            Body::Text(_) => "text",
            Body::Json(_) => "JSON",
            Body::Hex(_) => "hex",
        }
    }
}

/// `bytes` as text, if they are UTF-8 without NULs (a multi-byte character cut by the range
/// at the end is dropped).
fn as_text(bytes: &[u8], cut: bool) -> Option<&str> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        // Only the last character may be incomplete (`error_len` is `None` only for a
        // truncated sequence at the very end), and only when the object goes on.
        Err(e) if cut && e.error_len().is_none() => {
            std::str::from_utf8(&bytes[..e.valid_up_to()]).ok()?
        }
        Err(_) => return None,
    };
    (!text.contains('\0')).then_some(text)
}

fn text_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| printable(&line.replace('\t', "    ")).into_owned())
        .collect()
}

fn escaped_tokens(lines: Vec<TokenLine>) -> Vec<TokenLine> {
    lines
        .into_iter()
        .map(|line| {
            line.into_iter()
                .map(|(kind, text)| match kind {
                    // Strings and keys come from the object; JSON has escaped their C0
                    // controls, not DEL, C1 or bidi controls.
                    JsonToken::String | JsonToken::Key => (kind, json_escaped(&text).into_owned()),
                    _ => (kind, text),
                })
                .collect()
        })
        .collect()
}

/// `00000000  48 65 6c 6c 6f 0a 00 ff  ...  |Hello...|`, 16 bytes a line.
fn hex_lines(bytes: &[u8]) -> Vec<String> {
    bytes
        .chunks(16)
        .enumerate()
        .map(|(i, chunk)| {
            let mut line = format!("{:08x} ", i * 16);
            for (j, b) in chunk.iter().enumerate() {
                if j == 8 {
                    line.push(' ');
                }
                let _ = write!(line, " {b:02x}");
            }
            for j in chunk.len()..16 {
                line.push_str(if j == 8 { "    " } else { "   " });
            }
            line.push_str("  |");
            line.extend(chunk.iter().map(|&b| {
                if b.is_ascii_graphic() || b == b' ' {
                    char::from(b)
                } else {
                    '.'
                }
            }));
            line.push('|');
            line
        })
        .collect()
}

/// A size as [`human_size`] writes it, without the `.0` when it is exact (the preview's cap,
/// `256 KiB`, is a round number; `3.0 GiB` of an object rarely is).
fn exact_size(bytes: u64) -> String {
    let text = human_size(bytes);
    if let Some((whole, unit)) = text.split_once(".0 ") {
        let power = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
            .iter()
            .position(|u| *u == unit)
            .map_or(0, |i| i + 1);
        let exact = whole
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(1024u64.checked_pow(u32::try_from(power).ok()?)?));
        if exact == Some(bytes) {
            return format!("{whole} {unit}");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_shown_as_escaped_lines() {
        let p = Preview::of("a.txt", 17, b"hello\n\tworld\x1b[2J\n");
        assert_eq!(
            p.body,
            Body::Text(vec!["hello".into(), "    world\\u{1b}[2J".into()])
        );
        assert_eq!((p.kind(), p.extent()), ("text", "17 B".to_string()));
    }

    /// A JSON preview's lines as text (its tokens joined).
    fn json_text(p: &Preview) -> Vec<String> {
        let Body::Json(lines) = &p.body else {
            panic!("{p:?}")
        };
        lines
            .iter()
            .map(|l| l.iter().map(|(_, t)| t.as_str()).collect())
            .collect()
    }

    #[test]
    fn json_is_pretty_and_its_strings_cannot_turn_the_text_around() {
        let p = Preview::of("d.json", 26, b"{\"a\":[1,true],\"b\":\"x\xe2\x80\xaey\"}");
        assert_eq!(
            json_text(&p),
            [
                "{",
                "  \"a\": [",
                "    1,",
                "    true",
                "  ],",
                "  \"b\": \"x\\u202ey\"",
                "}"
            ]
        );
        assert_eq!(p.kind(), "JSON");
    }

    #[test]
    fn json_strings_show_del_and_c1_controls_escaped_not_dropped() {
        let p = Preview::of("d.json", 12, "{\"k\u{9b}31m\":\"\u{7f}\"}".as_bytes());
        assert_eq!(json_text(&p), ["{", "  \"k\\u009b31m\": \"\\u007f\"", "}"]);
    }

    #[test]
    fn a_cut_json_object_is_shown_as_text() {
        let p = Preview::of("d.json", 1000, b"{\"a\": 1,");
        assert_eq!(p.body, Body::Text(vec!["{\"a\": 1,".into()]));
        assert_eq!(p.extent(), "first 8 B of 1000 B");
    }

    #[test]
    fn a_json_scalar_is_text() {
        let p = Preview::of("n.txt", 2, b"42");
        assert_eq!(p.body, Body::Text(vec!["42".into()]));
    }

    #[test]
    fn binary_is_a_hex_dump() {
        let bytes: Vec<u8> = (0u8..20).chain([b'A', b'~', 0xff]).collect();
        let p = Preview::of("b.bin", 23, &bytes);
        assert_eq!(
            p.body,
            Body::Hex(vec![
                "00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|"
                    .into(),
                "00000010  10 11 12 13 41 7e ff                              |....A~.|".into(),
            ])
        );
        let Body::Hex(lines) = &p.body else {
            unreachable!()
        };
        assert_eq!(
            lines[0].find('|'),
            lines[1].find('|'),
            "the ASCII columns line up"
        );
        assert_eq!(p.kind(), "hex");
        assert_eq!(p.line_count(), 2);
    }

    #[test]
    fn text_with_a_nul_is_binary() {
        assert!(matches!(Preview::of("x", 3, b"a\0b").body, Body::Hex(_)));
    }

    #[test]
    fn a_character_cut_by_the_range_is_dropped_but_bad_utf8_is_binary() {
        // "é" is c3 a9: the range ended between them.
        let p = Preview::of("t.txt", 100, b"caf\xc3");
        assert_eq!(p.body, Body::Text(vec!["caf".into()]));
        // The whole object, ending in half a character: not text.
        assert!(matches!(
            Preview::of("t.txt", 4, b"caf\xc3").body,
            Body::Hex(_)
        ));
        // Invalid in the middle: not text.
        assert!(matches!(
            Preview::of("t.txt", 100, b"a\xffb").body,
            Body::Hex(_)
        ));
    }

    #[test]
    fn empty_objects_and_folder_markers_say_so() {
        assert_eq!(Preview::of("photos/", 0, b"").body, Body::FolderMarker);
        assert_eq!(Preview::of("empty.txt", 0, b"").body, Body::Empty);
        assert_eq!(Preview::of("empty.txt", 0, b"").kind(), "empty");
        assert_eq!(Preview::of("photos/", 0, b"").line_count(), 1);
    }

    #[test]
    fn the_extent_says_when_the_preview_is_cut() {
        let p = Preview {
            body: Body::Empty,
            shown: 256 * 1024,
            size: 3_328_599_654,
        };
        assert_eq!(p.extent(), "first 256 KiB of 3.1 GiB");
        // Only an exact size loses its ".0".
        for (shown, text) in [
            (1024 * 1024, "first 1 MiB of 3.1 GiB"),
            (1024 * 1024 + 1, "first 1.0 MiB of 3.1 GiB"),
            (1000, "first 1000 B of 3.1 GiB"),
            (1536, "first 1.5 KiB of 3.1 GiB"),
        ] {
            let p = Preview { shown, ..p.clone() };
            assert_eq!(p.extent(), text);
        }
    }
}
