//! What the pickers (buckets, profiles, regions) share: a filter typed as you go, a chosen
//! line, and one key handler. Each picker says what its lines are and which typed names it
//! takes ([`Picker`]); [`Picker::on_key`] answers what the key asks of the model ([`Picked`]),
//! which the model does in one place.

use crate::keymap::{Key, KeyPress};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Typed {
    pub(crate) filter: String,
    pub(crate) selected: usize,
}

/// What a key did to a picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PickerKey {
    /// Typed, moved, or ignored.
    Handled,
    /// Enter: open the chosen line (or what was typed).
    Chose,
    /// Esc: close the picker.
    Closed,
}

impl Typed {
    /// Letters go to the filter (and choose the first line again), the arrows move within
    /// `count` lines.
    pub(crate) fn on_key(&mut self, press: KeyPress, count: usize) -> PickerKey {
        match press.key {
            Key::Esc => return PickerKey::Closed,
            Key::Enter => return PickerKey::Chose,
            Key::Up => self.selected = self.selected.saturating_sub(1),
            Key::Down => self.selected = (self.selected + 1).min(count.saturating_sub(1)),
            Key::Backspace => {
                self.filter.pop();
                self.selected = 0;
            }
            Key::Char(c) if !press.ctrl && !press.alt => {
                self.filter.push(c);
                self.selected = 0;
            }
            _ => {}
        }
        PickerKey::Handled
    }

    /// Whether `text` matches the filter (case-insensitively).
    pub(crate) fn matches(&self, text: &str) -> bool {
        text.to_lowercase().contains(&self.filter.to_lowercase())
    }
}

/// What a key in a picker asks of the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Picked {
    /// Typed, moved, or ignored: nothing more.
    Stay,
    /// Esc: close the picker.
    Close,
    /// Enter on a line, or on a typed name the picker takes: use it.
    Chose(String),
    /// Enter on typed text that is no name: say this.
    NotAName(String),
}

/// A picker: lines filtered as you type, and what Enter takes when no line matches.
pub(crate) trait Picker {
    fn typed(&mut self) -> &mut Typed;

    /// The lines shown now (`recent`: the buckets opened lately).
    fn names(&self, recent: &[String]) -> Vec<String>;

    /// The typed text as a name Enter takes when no line matches, or why it is none (`None`:
    /// Enter does nothing).
    fn typed_name(&self, typed: &str) -> Option<Result<String, String>>;

    /// What `press` asks of the model.
    fn on_key(&mut self, press: KeyPress, recent: &[String]) -> Picked {
        let count = self.names(recent).len();
        match self.typed().on_key(press, count) {
            PickerKey::Handled => Picked::Stay,
            PickerKey::Closed => Picked::Close,
            PickerKey::Chose => {
                let selected = self.typed().selected;
                if let Some(name) = self.names(recent).into_iter().nth(selected) {
                    return Picked::Chose(name);
                }
                let typed = self.typed().filter.trim().to_string();
                match self.typed_name(&typed) {
                    Some(Ok(name)) => Picked::Chose(name),
                    Some(Err(why)) => Picked::NotAName(why),
                    None => Picked::Stay,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_filter_arrows_move_and_modified_keys_do_not_type() {
        let mut t = Typed::default();
        assert_eq!(
            t.on_key(KeyPress::plain(Key::Char('a')), 3),
            PickerKey::Handled
        );
        assert_eq!(t.on_key(KeyPress::ctrl('x'), 3), PickerKey::Handled);
        let alt = KeyPress {
            key: Key::Char('y'),
            ctrl: false,
            alt: true,
        };
        t.on_key(alt, 3);
        assert_eq!(t.filter, "a", "ctrl and alt keys are not text");
        t.on_key(KeyPress::plain(Key::Down), 3);
        t.on_key(KeyPress::plain(Key::Down), 3);
        t.on_key(KeyPress::plain(Key::Down), 3);
        assert_eq!(t.selected, 2, "no further than the last line");
        t.on_key(KeyPress::plain(Key::Char('b')), 3);
        assert_eq!((t.filter.as_str(), t.selected), ("ab", 0));
        t.on_key(KeyPress::plain(Key::Down), 3);
        t.on_key(KeyPress::plain(Key::Backspace), 3);
        assert_eq!((t.filter.as_str(), t.selected), ("a", 0));
        assert!(t.matches("A-bucket"), "case-insensitive");
        assert!(!t.matches("bucket"));
        assert_eq!(t.on_key(KeyPress::plain(Key::Enter), 3), PickerKey::Chose);
        assert_eq!(t.on_key(KeyPress::plain(Key::Esc), 3), PickerKey::Closed);
    }

    fn typing(picker: &mut impl Picker, text: &str) {
        for c in text.chars() {
            assert_eq!(
                picker.on_key(KeyPress::plain(Key::Char(c)), &[]),
                Picked::Stay
            );
        }
    }

    #[test]
    fn enter_takes_the_line_then_a_typed_name_then_says_why_not() {
        use crate::app::region::RegionPicker;
        let mut regions = RegionPicker::default();
        typing(&mut regions, "eu-c");
        regions.on_key(KeyPress::plain(Key::Down), &[]);
        assert_eq!(
            regions.on_key(KeyPress::plain(Key::Enter), &[]),
            Picked::Chose("eu-central-2".to_string()),
            "the selected line"
        );
        let mut regions = RegionPicker::default();
        typing(&mut regions, "xx-moon-1");
        assert_eq!(
            regions.on_key(KeyPress::plain(Key::Enter), &[]),
            Picked::Chose("xx-moon-1".to_string()),
            "a typed name no line matches"
        );
        let mut regions = RegionPicker::default();
        typing(&mut regions, "Moon");
        assert_eq!(
            regions.on_key(KeyPress::plain(Key::Enter), &[]),
            Picked::NotAName(
                "\"Moon\" is not a region name; type one like eu-central-1".to_string()
            )
        );
        assert_eq!(
            regions.on_key(KeyPress::plain(Key::Esc), &[]),
            Picked::Close
        );
    }

    #[test]
    fn the_bucket_picker_offers_recent_buckets_and_the_profile_picker_only_its_lines() {
        use crate::app::buckets::BucketPicker;
        use crate::app::fetch::Fetch;
        use crate::app::profiles::ProfilePicker;
        let mut buckets = BucketPicker {
            typed: Typed::default(),
            listed: Fetch::Got(vec!["alpha".to_string()]),
        };
        let recent = ["beta".to_string()];
        buckets.on_key(KeyPress::plain(Key::Down), &recent);
        assert_eq!(
            buckets.on_key(KeyPress::plain(Key::Enter), &recent),
            Picked::Chose("beta".to_string())
        );
        let mut profiles = ProfilePicker {
            typed: Typed::default(),
            profiles: Vec::new(),
        };
        typing(&mut profiles, "dev");
        assert_eq!(
            profiles.on_key(KeyPress::plain(Key::Enter), &[]),
            Picked::Stay,
            "no line, no typed profile"
        );
    }
}
