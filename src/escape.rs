//! Text from outside (keys, server answers) made safe to put on a terminal.

/// A key made safe to draw: control characters (which could move the cursor or change colours)
/// are shown escaped as `\u{1b}`; everything else is kept.
pub fn printable(key: &str) -> std::borrow::Cow<'_, str> {
    if !key.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(key);
    }
    let mut out = String::with_capacity(key.len() + 8);
    for c in key.chars() {
        if c.is_control() {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_escapes_control_characters_only() {
        assert_eq!(printable("naïve café/日本語 🎉"), "naïve café/日本語 🎉");
        assert_eq!(printable("evil\u{1b}[31mred\n"), "evil\\u{1b}[31mred\\u{a}");
        assert!(matches!(printable("plain"), std::borrow::Cow::Borrowed(_)));
    }
}
