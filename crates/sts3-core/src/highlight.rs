//! The policy as coloured lines: the parsed JSON walked once, giving exactly the text of
//! `serde_json::to_string_pretty` split into tokens by kind (prepared in `update`, drawn by the
//! policy pane every frame).

use serde_json::Value;

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

/// One line of tokens.
pub type TokenLine = Vec<(JsonToken, String)>;

/// Pretty JSON (two-space indent, as `serde_json` prints it) as lines of tokens.
pub fn highlight(value: &Value) -> Vec<TokenLine> {
    let mut out = Lines {
        lines: vec![Vec::new()],
    };
    out.value(value, 0);
    out.lines
}

struct Lines {
    lines: Vec<TokenLine>,
}

impl Lines {
    fn push(&mut self, kind: JsonToken, text: impl Into<String>) {
        if let Some(line) = self.lines.last_mut() {
            line.push((kind, text.into()));
        }
    }

    fn newline(&mut self, indent: usize) {
        self.lines.push(Vec::new());
        if indent > 0 {
            self.push(JsonToken::Space, "  ".repeat(indent));
        }
    }

    fn value(&mut self, value: &Value, indent: usize) {
        match value {
            Value::Null | Value::Bool(_) => self.push(JsonToken::Literal, value.to_string()),
            Value::Number(n) => self.push(JsonToken::Number, n.to_string()),
            Value::String(_) => self.push(JsonToken::String, value.to_string()),
            Value::Array(items) => {
                self.container(("[", "]"), items.iter().map(|v| (None, v)), indent);
            }
            Value::Object(map) => {
                self.container(("{", "}"), map.iter().map(|(k, v)| (Some(k), v)), indent);
            }
        }
    }

    fn container<'a>(
        &mut self,
        (open, close): (&str, &str),
        items: impl ExactSizeIterator<Item = (Option<&'a String>, &'a Value)>,
        indent: usize,
    ) {
        self.push(JsonToken::Punct, open);
        let count = items.len();
        if count == 0 {
            self.push(JsonToken::Punct, close);
            return;
        }
        for (i, (key, item)) in items.enumerate() {
            self.newline(indent + 1);
            if let Some(key) = key {
                self.push(JsonToken::Key, Value::String(key.clone()).to_string());
                self.push(JsonToken::Punct, ":");
                self.push(JsonToken::Space, " ");
            }
            self.value(item, indent + 1);
            if i + 1 < count {
                self.push(JsonToken::Punct, ",");
            }
        }
        self.newline(indent);
        self.push(JsonToken::Punct, close);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(lines: &[TokenLine]) -> String {
        lines
            .iter()
            .map(|l| l.iter().map(|(_, t)| t.as_str()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn tokens_by_kind() {
        let lines = highlight(&json!({"Effect": "Allow", "n": [1, true, null], "e": {}}));
        assert_eq!(lines.len(), 9);
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
        assert_eq!(lines[3][1], (JsonToken::Number, "1".into()));
        assert_eq!(lines[4][1], (JsonToken::Literal, "true".into()));
        assert_eq!(lines[5][1], (JsonToken::Literal, "null".into()));
        assert_eq!(
            lines[8],
            vec![(JsonToken::Punct, "}".into())],
            "no empty indent at the top"
        );
    }

    #[test]
    fn same_text_as_serde_pretty_with_escapes_and_nesting() {
        let value = json!({
            "a\"b": "c\\d\u{1b}",
            "list": [[], {}, [1.5, -2, {"k": false}]],
            "unicode": "naïve ☃"
        });
        let lines = highlight(&value);
        assert_eq!(text(&lines), serde_json::to_string_pretty(&value).unwrap());
        assert_eq!(lines[1][1], (JsonToken::Key, r#""a\"b""#.into()));
    }

    #[test]
    fn scalars_at_the_top() {
        assert_eq!(
            highlight(&json!(3)),
            vec![vec![(JsonToken::Number, "3".into())]]
        );
        assert_eq!(text(&highlight(&json!([]))), "[]");
    }
}
