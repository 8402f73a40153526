//! The policy pane: the session policy attached to the active session, pretty-printed and split
//! into highlighted tokens once (not every frame), plus its size against the STS limit.

use crate::settings::Settings;
use crate::policy::{SESSION_POLICY_MAX_CHARS, SessionPolicy};
use crate::credentials::Mode;

/// What a piece of JSON text is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonToken {
    Key,
    String,
    Number,
    Literal,
    Punct,
    Space,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyState {
    /// A sentence above the JSON (role ARN, or why there is no policy).
    pub note: Option<String>,
    pub lines: Vec<Vec<(JsonToken, String)>>,
    /// Characters used, when a policy is attached.
    pub size: Option<usize>,
    pub limit: usize,
    /// STS's packed-policy utilization, when reported.
    pub packed_percent: Option<i32>,
    pub scroll: u16,
}

impl PolicyState {
    /// What `mode` attaches, given the settings.
    pub fn for_mode(settings: &Settings, mode: Mode) -> Self {
        let (note, policy) = match mode {
            Mode::Federated => (None, Some(&settings.policy)),
            Mode::AssumedRole => {
                let role = settings.role_arn.as_deref().unwrap_or("(no role ARN set)");
                if settings.policy_from_file {
                    (
                        Some(format!("role {role}, scoped down by:")),
                        Some(&settings.policy),
                    )
                } else {
                    (
                        Some(format!(
                            "role {role}; no session policy: the role's own permissions apply"
                        )),
                        None,
                    )
                }
            }
            Mode::SessionToken => (
                Some(
                    "no session policy: a session token carries the caller's own permissions"
                        .to_string(),
                ),
                None,
            ),
        };
        Self::build(note, policy)
    }

    fn build(note: Option<String>, policy: Option<&SessionPolicy>) -> Self {
        Self {
            note,
            lines: policy.map(|p| highlight(p.pretty())).unwrap_or_default(),
            size: policy.map(SessionPolicy::size),
            limit: SESSION_POLICY_MAX_CHARS,
            packed_percent: None,
            scroll: 0,
        }
    }

    pub fn scroll_by(&mut self, delta: i32) {
        let max = u16::try_from(self.lines.len().saturating_sub(1)).unwrap_or(u16::MAX);
        let next = i32::from(self.scroll)
            .saturating_add(delta)
            .clamp(0, i32::from(max));
        self.scroll = u16::try_from(next).unwrap_or(0);
    }
}

/// Splits pretty JSON into lines of coloured tokens.
pub fn highlight(pretty: &str) -> Vec<Vec<(JsonToken, String)>> {
    pretty.lines().map(highlight_line).collect()
}

fn highlight_line(line: &str) -> Vec<(JsonToken, String)> {
    let chars: Vec<char> = line.chars().collect();
    let mut out: Vec<(JsonToken, String)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let kind = if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i = (i + 1).min(chars.len());
            let rest = chars[i..].iter().find(|c| !c.is_whitespace());
            if rest == Some(&':') {
                JsonToken::Key
            } else {
                JsonToken::String
            }
        } else if c.is_whitespace() {
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            JsonToken::Space
        } else if c == '-' || c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || "+-.".contains(chars[i]))
            {
                i += 1;
            }
            JsonToken::Number
        } else if c.is_ascii_alphabetic() {
            while i < chars.len() && chars[i].is_ascii_alphabetic() {
                i += 1;
            }
            JsonToken::Literal
        } else {
            i += 1;
            JsonToken::Punct
        };
        out.push((kind, chars[start..i].iter().collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_keys_strings_and_punctuation() {
        let lines = highlight("{\n  \"Effect\": \"Allow\",\n  \"n\": [1, true]\n}");
        assert_eq!(lines.len(), 4);
        assert_eq!(
            lines[1],
            vec![
                (JsonToken::Space, "  ".into()),
                (JsonToken::Key, "\"Effect\"".into()),
                (JsonToken::Punct, ":".into()),
                (JsonToken::Space, " ".into()),
                (JsonToken::String, "\"Allow\"".into()),
                (JsonToken::Punct, ",".into()),
            ]
        );
        let kinds: Vec<JsonToken> = lines[2].iter().map(|t| t.0).collect();
        assert!(kinds.contains(&JsonToken::Number) && kinds.contains(&JsonToken::Literal));
    }

    #[test]
    fn escaped_quotes_stay_inside_strings() {
        let line = highlight_line(r#""a\"b": "c""#);
        assert_eq!(line[0], (JsonToken::Key, r#""a\"b""#.into()));
    }
}
