//! Property-based fuzzing of everything that parses user input: the policy parser and
//! validator, the config file, the keymap, key names, and the text helpers that make keys and
//! policies safe to show. No input may panic; accepted inputs keep their invariants.
//!
//! `cargo test` runs a few hundred cases per property; `scripts/fuzz` runs many more within a
//! time bound and records the result.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use serde_json::Value;
use sts3::bucket::url_decode;
use sts3::escape::printable;
use sts3::highlight::{JsonToken, highlight};
use sts3::keymap::{KeyPress, Keymap};
use sts3::policy::{SESSION_POLICY_MAX_CHARS, SessionPolicy};
use sts3::settings::FileConfig;

/// JSON values shaped like policies, with wrong types and odd strings mixed in.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop_oneof![
            Just("Allow".to_string()),
            Just("Deny".to_string()),
            Just("2012-10-17".to_string()),
            Just("s3:*".to_string()),
            Just("*".to_string()),
            ".{0,40}",
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("Version".to_string()),
                    Just("Statement".to_string()),
                    Just("Effect".to_string()),
                    Just("Action".to_string()),
                    Just("NotAction".to_string()),
                    Just("Resource".to_string()),
                    Just("NotResource".to_string()),
                    Just("Sid".to_string()),
                    "[A-Za-z]{1,8}",
                ],
                inner,
                0..6,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Valid policies: one to four statements with either effect, actions and resources as a
/// string or a list, and arbitrary (printable) text in them.
fn valid_policy() -> impl Strategy<Value = Value> {
    let list = prop_oneof![
        "[a-z0-9:*/._-]{1,30}".prop_map(Value::String),
        prop::collection::vec("[a-z0-9:*/._-]{1,30}".prop_map(Value::String), 1..4)
            .prop_map(Value::Array),
    ];
    let statement = (
        prop_oneof![Just("Allow"), Just("Deny")],
        list.clone(),
        list,
        any::<bool>(),
    )
        .prop_map(|(effect, action, resource, not)| {
            let (a, r) = if not {
                ("NotAction", "NotResource")
            } else {
                ("Action", "Resource")
            };
            serde_json::json!({ "Effect": effect, a: action, r: resource })
        });
    prop::collection::vec(statement, 1..4)
        .prop_map(|st| serde_json::json!({ "Version": "2012-10-17", "Statement": st }))
}

/// Valid policies whose compact text is 1,900 to 2,100 characters, padded with ASCII and
/// non-ASCII text (so characters and bytes differ), around the 2,048-character limit.
fn policy_near_the_limit() -> impl Strategy<Value = Value> {
    (
        valid_policy(),
        1900usize..2100,
        prop_oneof![Just('y'), Just('é'), Just('☃'), Just('😀')],
    )
        .prop_map(|(mut value, target, pad)| {
            let now = value.to_string().chars().count();
            let need = target.saturating_sub(now + r#","Sid":"""#.chars().count());
            if let Some(first) = value["Statement"]
                .as_array_mut()
                .and_then(|s| s.first_mut())
            {
                first["Sid"] = Value::String(pad.to_string().repeat(need));
            }
            value
        })
}

/// Text mixing printable characters with C0, DEL, C1 (U+0080-U+009F, the 8-bit CSI among
/// them), bidi controls and backslashes.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "\\PC{0,6}",
        "[\\x00-\\x1f\\x7f]{1,3}",
        "[\\u{80}-\\u{9f}]{1,3}",
        "[\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}\\u{200e}\\u{200f}]{1,2}",
        Just("\\".to_string()),
        Just("\\u{1b}".to_string()),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

proptest! {
    #[test]
    fn valid_policies_are_accepted_and_round_trip(value in valid_policy()) {
        let policy = SessionPolicy::parse(&value.to_string()).unwrap();
        let sent: Value = serde_json::from_str(policy.compact()).unwrap();
        prop_assert_eq!(sent, value);
        prop_assert!(policy.pretty().lines().count() > 3);
    }

    #[test]
    fn policy_parser_never_panics_on_any_text(text in "\\PC{0,300}") {
        let _ = SessionPolicy::parse(&text);
    }

    #[test]
    fn policies_near_the_limit_are_accepted_exactly_up_to_it(value in policy_near_the_limit()) {
        let chars = value.to_string().chars().count();
        match SessionPolicy::parse(&value.to_string()) {
            Ok(policy) => {
                prop_assert!(chars <= SESSION_POLICY_MAX_CHARS, "{} chars accepted", chars);
                prop_assert_eq!(policy.size(), chars);
                // What is sent parses again to the same policy, and so does what is shown.
                let again = SessionPolicy::parse(policy.compact()).unwrap();
                prop_assert_eq!(again.compact(), policy.compact());
                let shown: Value = serde_json::from_str(policy.pretty()).unwrap();
                let sent: Value = serde_json::from_str(policy.compact()).unwrap();
                prop_assert_eq!(shown, sent);
            }
            Err(e) => {
                prop_assert!(chars > SESSION_POLICY_MAX_CHARS, "{} chars refused: {}", chars, e);
            }
        }
    }

    #[test]
    fn highlighting_is_lossless(value in json_value()) {
        // Every line, in order: the tokens put together are exactly serde_json's pretty text.
        let lines = highlight(&value);
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        prop_assert_eq!(lines.len(), pretty.lines().count());
        for (tokens, line) in lines.iter().zip(pretty.lines()) {
            let joined: String = tokens.iter().map(|(_, t)| t.as_str()).collect();
            prop_assert_eq!(joined, line);
            prop_assert!(tokens.iter().all(|(k, t)| *k == JsonToken::Space || !t.is_empty()));
        }
    }

    #[test]
    fn config_parser_never_panics(text in "\\PC{0,300}") {
        let _ = FileConfig::parse(&text, "fuzz.toml");
    }

    #[test]
    fn config_parser_never_panics_on_config_shaped_text(
        lines in prop::collection::vec(
            (
                prop_oneof![
                    Just("bucket".to_string()), Just("mode".to_string()), Just("duration".to_string()), Just("page_size".to_string()),
                    Just("[refresh]".to_string()), Just("[modes.session]".to_string()), Just("margin_secs".to_string()), Just("nope".to_string()),
                ],
                prop_oneof![Just("= 1".to_string()), Just("= \"x\"".to_string()), Just("= federated".to_string()), Just("= [1,".to_string()), "\\PC{0,12}"],
            ),
            0..8,
        )
    ) {
        let text: String = lines.iter().map(|(k, v)| [k.as_str(), " ", v, "\n"].concat()).collect();
        if let Err(e) = FileConfig::parse(&text, "fuzz.toml") {
            let message = e.to_string();
            prop_assert!(message.starts_with("config file fuzz.toml line "), "{}", message);
            prop_assert!(!message.contains('\n') || message.lines().count() < 4);
        }
    }

    #[test]
    fn keymap_loader_never_panics(text in "\\PC{0,300}") {
        let _ = Keymap::load(Some(("fuzz.toml", &text)));
    }

    #[test]
    fn keymap_loader_on_keymap_shaped_text(
        bindings in prop::collection::vec(
            (
                prop_oneof![Just("quit".to_string()), Just("down".to_string()), Just("help".to_string()), Just("fly".to_string()), "[a-z_]{1,12}"],
                prop::collection::vec(prop_oneof![Just("q".to_string()), Just("j".to_string()), Just("ctrl-".to_string()), Just("f13".to_string()), "\\PC{0,6}"], 0..4),
            ),
            0..6,
        )
    ) {
        let text: String = std::iter::once("[bindings]\n".to_string())
            .chain(bindings.iter().map(|(a, keys)| {
                let keys: Vec<String> = keys.iter().map(|k| format!("{k:?}")).collect();
                format!("{a} = {{ keys = [{}] }}\n", keys.join(", "))
            }))
            .collect();
        if let Ok(km) = Keymap::load(Some(("fuzz.toml", &text))) {
            // An accepted keymap binds no key twice.
            let mut all: Vec<KeyPress> = km.bindings().iter().flat_map(|b| b.keys.clone()).collect();
            let n = all.len();
            all.sort();
            all.dedup();
            prop_assert_eq!(all.len(), n);
        }
    }

    #[test]
    fn key_names_parse_or_not_without_panicking(name in "\\PC{0,12}") {
        if let Some(press) = KeyPress::parse(&name) {
            prop_assert!(!press.to_string().is_empty());
        }
    }

    #[test]
    fn shown_text_never_carries_control_or_bidi_characters(key in hostile_text()) {
        let shown = printable(&key);
        prop_assert!(!shown.chars().any(char::is_control));
        let bidi = |c: char| ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c) || c == '\u{200e}' || c == '\u{200f}';
        prop_assert!(!shown.chars().any(bidi), "bidi control shown: {:?}", shown);
        let _ = url_decode(&key);
    }

    #[test]
    fn escaping_is_unambiguous_different_texts_show_differently(
        a in hostile_text(),
        b in hostile_text(),
    ) {
        if a != b {
            prop_assert_ne!(printable(&a), printable(&b));
        }
    }
}
