//! Keys and the keymap: the embedded default (`assets/keymap.toml`) with the user's file merged
//! over it, action by action. Help and status-bar hints are generated from it.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use strum::IntoEnumIterator;
use thiserror::Error;

pub const DEFAULT_KEYMAP: &str = include_str!("../../../assets/keymap.toml");

/// A key, independent of the terminal library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    F(u8),
}

/// A key with modifiers. Shift is folded into the character (`G`, `?`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyPress {
    pub key: Key,
    pub ctrl: bool,
    pub alt: bool,
}

impl KeyPress {
    pub const fn plain(key: Key) -> Self {
        Self {
            key,
            ctrl: false,
            alt: false,
        }
    }

    pub const fn ctrl(c: char) -> Self {
        Self {
            key: Key::Char(c),
            ctrl: true,
            alt: false,
        }
    }

    /// Parses `q`, `G`, `ctrl-c`, `alt-x`, `enter`, `pageup`, `f5`...
    pub fn parse(text: &str) -> Option<Self> {
        let mut press = KeyPress::plain(Key::Esc);
        let mut rest = text;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                press.ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                press.alt = true;
                rest = r;
            } else {
                break;
            }
        }
        press.key = match rest {
            "enter" => Key::Enter,
            "esc" => Key::Esc,
            "tab" => Key::Tab,
            "backtab" | "shift-tab" => Key::BackTab,
            "backspace" => Key::Backspace,
            "delete" => Key::Delete,
            "up" => Key::Up,
            "down" => Key::Down,
            "left" => Key::Left,
            "right" => Key::Right,
            "home" => Key::Home,
            "end" => Key::End,
            "pageup" => Key::PageUp,
            "pagedown" => Key::PageDown,
            "space" => Key::Char(' '),
            f if f.len() > 1 && f.starts_with('f') => {
                let n: u8 = f[1..].parse().ok()?;
                if !(1..=12).contains(&n) {
                    return None;
                }
                Key::F(n)
            }
            single => {
                let mut chars = single.chars();
                let c = chars.next()?;
                if chars.next().is_some() || c.is_control() {
                    return None;
                }
                Key::Char(c)
            }
        };
        Some(press)
    }
}

impl fmt::Display for KeyPress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("C-")?;
        }
        if self.alt {
            f.write_str("M-")?;
        }
        match self.key {
            Key::Char(' ') => f.write_str("space"),
            Key::Char(c) => write!(f, "{c}"),
            Key::Enter => f.write_str("⏎"),
            Key::Esc => f.write_str("esc"),
            Key::Tab => f.write_str("tab"),
            Key::BackTab => f.write_str("S-tab"),
            Key::Backspace => f.write_str("⌫"),
            Key::Delete => f.write_str("del"),
            Key::Up => f.write_str("↑"),
            Key::Down => f.write_str("↓"),
            Key::Left => f.write_str("←"),
            Key::Right => f.write_str("→"),
            Key::Home => f.write_str("home"),
            Key::End => f.write_str("end"),
            Key::PageUp => f.write_str("pgup"),
            Key::PageDown => f.write_str("pgdn"),
            Key::F(n) => write!(f, "F{n}"),
        }
    }
}

/// Everything a key can do. The names (`page_down`) are those of the keymap file.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    strum::EnumIter,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[strum(serialize_all = "snake_case")]
pub enum Action {
    Quit,
    Help,
    FocusNext,
    FocusPrev,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Parent,
    Filter,
    Reload,
    RefreshCredentials,
    ModeFederated,
    ModeRole,
    ModeSession,
    ModeCycle,
    Suspend,
    Preview,
    Download,
    Presign,
    Sort,
    Cancel,
    Wrap,
    EditPolicy,
    Templates,
    AccessCheck,
    Buckets,
    Profiles,
    Region,
    History,
    CopyUri,
    CopyArn,
    Share,
    Shell,
    Delete,
    Upload,
    GoTo,
    ScrollLeft,
    ScrollRight,
    Mark,
    MarkAll,
    NewFolder,
    CopyObject,
    MoveObject,
    UnfinishedUploads,
    Versions,
    Restore,
    RequesterPays,
    CustomerKey,
}

impl Action {
    /// The name used in the keymap file.
    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// A keymap file problem. Each message names the problem and the fix.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KeymapError {
    #[error("keymap {path} line {line}: {reason}; fix that line")]
    Syntax {
        path: String,
        line: usize,
        reason: String,
    },
    #[error("keymap {path}: unknown action {action:?}; known actions: {known}")]
    UnknownAction {
        path: String,
        action: String,
        known: String,
    },
    #[error(
        "keymap {path}: action {action} has invalid key {key:?}; use names like \"q\", \"ctrl-c\", \"enter\", \"pagedown\""
    )]
    BadKey {
        path: String,
        action: String,
        key: String,
    },
    #[error("keymap {path}: key {key:?} is bound to both {first} and {second}; bind it to one")]
    Conflict {
        path: String,
        key: String,
        first: String,
        second: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeymapFile {
    #[serde(default)]
    bindings: BTreeMap<String, BindingFile>,
}

/// One binding as written: `"x"`, `["x", "q"]`, or `{ keys = "x" or [...], help = "..." }`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum BindingFile {
    Keys(OneOrMany),
    Table {
        keys: OneOrMany,
        help: Option<String>,
    },
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl BindingFile {
    fn into_parts(self) -> (Vec<String>, Option<String>) {
        let (keys, help) = match self {
            BindingFile::Keys(keys) => (keys, None),
            BindingFile::Table { keys, help } => (keys, help),
        };
        let keys = match keys {
            OneOrMany::One(key) => vec![key],
            OneOrMany::Many(keys) => keys,
        };
        (keys, help)
    }
}

/// What serde says when a binding has none of the accepted shapes, and what we say instead.
const SHAPES: &str = "a binding is \"x\", [\"x\", \"y\"] or { keys = [\"x\"], help = \"...\" }";

/// One action's keys and help text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub action: Action,
    pub keys: Vec<KeyPress>,
    pub key_names: Vec<String>,
    pub help: String,
}

/// The resolved keymap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        #[allow(clippy::expect_used)] // the embedded default is checked by a unit test
        Self::load(None).expect("embedded keymap is valid")
    }
}

impl Keymap {
    /// The default keymap with `user` (path, text) merged over it.
    pub fn load(user: Option<(&str, &str)>) -> Result<Self, KeymapError> {
        let mut bindings = parse_file("<built-in keymap>", DEFAULT_KEYMAP)?;
        if let Some((path, text)) = user {
            for (action, binding) in parse_file(path, text)? {
                let help = if binding.help.is_empty() {
                    bindings
                        .get(&action)
                        .map(|b| b.help.clone())
                        .unwrap_or_default()
                } else {
                    binding.help.clone()
                };
                bindings.insert(action, Binding { help, ..binding });
            }
        }
        let path = user.map_or("<built-in keymap>", |(p, _)| p);
        check_conflicts(path, &bindings)?;
        let mut ordered: Vec<Binding> =
            Action::iter().filter_map(|a| bindings.remove(&a)).collect();
        ordered.retain(|b| !b.keys.is_empty());
        Ok(Self { bindings: ordered })
    }

    /// The action bound to `press`, if any.
    pub fn action(&self, press: KeyPress) -> Option<Action> {
        self.bindings
            .iter()
            .find(|b| b.keys.contains(&press))
            .map(|b| b.action)
    }

    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The first key bound to `action`, for hints.
    pub fn first_key(&self, action: Action) -> Option<KeyPress> {
        self.bindings
            .iter()
            .find(|b| b.action == action)
            .and_then(|b| b.keys.first().copied())
    }
}

fn parse_file(path: &str, text: &str) -> Result<BTreeMap<Action, Binding>, KeymapError> {
    let file: KeymapFile = toml::from_str(text).map_err(|e| KeymapError::Syntax {
        path: path.to_string(),
        line: e.span().map_or(1, |s| {
            text[..s.start.min(text.len())].matches('\n').count() + 1
        }),
        reason: if e.message().contains("did not match any variant") {
            SHAPES.to_string()
        } else {
            e.message().trim().to_string()
        },
    })?;
    let mut out = BTreeMap::new();
    for (name, binding) in file.bindings {
        let action: Action = name.parse().map_err(|_| KeymapError::UnknownAction {
            path: path.to_string(),
            action: name.clone(),
            known: Action::iter()
                .map(Action::name)
                .collect::<Vec<_>>()
                .join(", "),
        })?;
        let (key_texts, help) = binding.into_parts();
        let keys = key_texts
            .iter()
            .map(|k| {
                KeyPress::parse(k).ok_or_else(|| KeymapError::BadKey {
                    path: path.to_string(),
                    action: name.clone(),
                    key: k.clone(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        // A key listed twice for one action is kept once.
        let mut unique_keys = Vec::new();
        let mut key_names = Vec::new();
        for (press, key_name) in keys.into_iter().zip(key_texts) {
            if !unique_keys.contains(&press) {
                unique_keys.push(press);
                key_names.push(key_name);
            }
        }
        out.insert(
            action,
            Binding {
                action,
                keys: unique_keys,
                key_names,
                help: help.unwrap_or_default(),
            },
        );
    }
    Ok(out)
}

fn check_conflicts(path: &str, bindings: &BTreeMap<Action, Binding>) -> Result<(), KeymapError> {
    let mut seen: BTreeMap<KeyPress, (Action, String)> = BTreeMap::new();
    for binding in bindings.values() {
        for (press, name) in binding.keys.iter().zip(&binding.key_names) {
            if let Some((first, _)) = seen.get(press)
                && *first != binding.action
            {
                return Err(KeymapError::Conflict {
                    path: path.to_string(),
                    key: name.clone(),
                    first: first.name().to_string(),
                    second: binding.action.name().to_string(),
                });
            }
            seen.insert(*press, (binding.action, name.clone()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_keymap_binds_every_action_with_help() {
        let km = Keymap::default();
        for action in Action::iter() {
            let b = km.bindings().iter().find(|b| b.action == action);
            let b = b.unwrap_or_else(|| panic!("{action:?} unbound"));
            assert!(!b.help.is_empty(), "{action:?} has no help");
        }
        assert_eq!(
            km.action(KeyPress::plain(Key::Char('q'))),
            Some(Action::Quit)
        );
        assert_eq!(km.action(KeyPress::ctrl('c')), Some(Action::Quit));
        assert_eq!(km.action(KeyPress::plain(Key::Down)), Some(Action::Down));
        assert_eq!(
            km.action(KeyPress::plain(Key::Char('j'))),
            Some(Action::Down)
        );
        assert_eq!(
            km.action(KeyPress::plain(Key::Char('G'))),
            Some(Action::Bottom)
        );
        assert_eq!(
            km.action(KeyPress::plain(Key::Char('m'))),
            Some(Action::ModeCycle)
        );
        assert_eq!(km.action(KeyPress::plain(Key::Char('Z'))), None);
    }

    #[test]
    fn readme_documents_every_default_binding() {
        let readme = include_str!("../../../README.md");
        for b in Keymap::default().bindings() {
            let keys: Vec<String> = b.key_names.iter().map(|k| format!("`{k}`")).collect();
            let row = format!("| {} | {} |", keys.join(" "), b.help);
            assert!(readme.contains(&row), "README lacks the row {row}");
        }
    }

    #[test]
    fn a_key_listed_twice_for_one_action_is_kept_once() {
        // Found by the fuzzer (tests/fuzz.rs).
        let km = Keymap::load(Some((
            "k.toml",
            "[bindings]\ndown = { keys = [\"j\", \"j\"] }\n",
        )))
        .unwrap();
        let down = km
            .bindings()
            .iter()
            .find(|b| b.action == Action::Down)
            .unwrap();
        assert_eq!(down.key_names, ["j"]);
    }

    #[test]
    fn a_binding_may_be_a_key_a_list_or_a_table() {
        for text in [
            "quit = \"X\"",
            "quit = [\"X\"]",
            "quit = [\"X\", \"ctrl-q\"]",
            "quit = { keys = \"X\" }",
            "quit = { keys = [\"X\"], help = \"leave\" }",
        ] {
            let km = Keymap::load(Some(("k.toml", &format!("[bindings]\n{text}\n"))))
                .unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(
                km.action(KeyPress::plain(Key::Char('X'))),
                Some(Action::Quit),
                "{text}"
            );
            assert_eq!(km.action(KeyPress::plain(Key::Char('q'))), None, "{text}");
        }
    }

    #[test]
    fn parses_key_names() {
        assert_eq!(KeyPress::parse("ctrl-r"), Some(KeyPress::ctrl('r')));
        assert_eq!(KeyPress::parse("f5"), Some(KeyPress::plain(Key::F(5))));
        assert_eq!(
            KeyPress::parse("space"),
            Some(KeyPress::plain(Key::Char(' ')))
        );
        assert_eq!(KeyPress::parse("f13"), None);
        assert_eq!(KeyPress::parse("ctrl-"), None);
        assert_eq!(KeyPress::parse("bogus"), None);
        assert_eq!(KeyPress::parse("\u{7}"), None);
    }

    #[test]
    fn user_file_overrides_per_action_keeping_help() {
        let km = Keymap::load(Some((
            "user.toml",
            "[bindings]\nquit = { keys = [\"X\"] }\n",
        )))
        .unwrap();
        assert_eq!(
            km.action(KeyPress::plain(Key::Char('X'))),
            Some(Action::Quit)
        );
        assert_eq!(km.action(KeyPress::plain(Key::Char('q'))), None);
        let quit = km
            .bindings()
            .iter()
            .find(|b| b.action == Action::Quit)
            .unwrap();
        assert_eq!(quit.help, "quit");
        assert_eq!(
            km.action(KeyPress::plain(Key::Char('j'))),
            Some(Action::Down)
        );
    }

    #[test]
    fn unknown_action_bad_key_and_conflicts_are_errors() {
        let err =
            Keymap::load(Some(("k.toml", "[bindings]\nfly = { keys = [\"x\"] }\n"))).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("keymap k.toml: unknown action \"fly\"; known actions: quit, help,"),
            "{err}"
        );
        let err = Keymap::load(Some((
            "k.toml",
            "[bindings]\nquit = { keys = [\"ctrl-\"] }\n",
        )))
        .unwrap_err();
        assert!(matches!(err, KeymapError::BadKey { .. }), "{err}");
        let err =
            Keymap::load(Some(("k.toml", "[bindings]\nquit = { keys = [\"j\"] }\n"))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "keymap k.toml: key \"j\" is bound to both quit and down; bind it to one"
        );
        let err = Keymap::load(Some(("k.toml", "[bindings]\nquit = 3\n"))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "keymap k.toml line 2: a binding is \"x\", [\"x\", \"y\"] or { keys = [\"x\"], help = \"...\" }; fix that line"
        );
    }
}
