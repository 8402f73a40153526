//! `K`: the key an object encrypted with a customer key (SSE-C) was stored with, given while
//! sts3 runs — typed or pasted at a masked prompt (the 32 characters, or their base64), or
//! read from a file (`@PATH`, Tab completes it). The runtime reads it and hands it to S3 for
//! that object's reads only (detail, preview, save); it is held in memory for this run, never
//! shown, logged or written. The model keeps only which objects have one, so a refusal of one
//! of them can say the key may be the reason.

use super::ctx::{ctx, uri};
use super::input::edit_line;
use super::listing::Entry;
use super::{App, Effect, Input, Level};
use crate::keymap::{Key, KeyPress};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;
use zeroize::Zeroizing;

/// A line being typed that may be a secret: its `Debug` never says it, it is zeroed when
/// dropped, and it is drawn masked unless it names a file (`@PATH`).
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Masked(Zeroizing<String>);

impl std::fmt::Debug for Masked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Masked(<redacted>)")
    }
}

/// Room for a pasted key or a path, so typing rarely moves the text (and leaves a copy).
const ROOM: usize = 256;

impl Masked {
    fn new(text: &str) -> Self {
        let mut line = Zeroizing::new(String::with_capacity(ROOM));
        line.push_str(text);
        Self(line)
    }

    /// The line as typed, for the runtime only (never drawn, never logged).
    pub(crate) fn secret(&self) -> &str {
        &self.0
    }

    /// The file it names (`@PATH`), if it names one.
    fn file(&self) -> Option<&str> {
        self.0.strip_prefix('@')
    }

    /// As the prompt draws it: a file's path as typed, a key as one `•` a character.
    pub(crate) fn shown(&self) -> String {
        match self.file() {
            Some(path) => format!("@{}", crate::escape::printable(path)),
            None => "•".repeat(self.0.chars().count()),
        }
    }
}

/// The key as the user gave it, for the runtime to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GivenKey {
    /// Typed or pasted: the 32 characters, or their base64.
    Typed(Masked),
    /// In this file, as typed (`~` is the home folder): 32 bytes, or their base64 on one line.
    File(String),
}

/// The objects a customer key was given for: (bucket, key), names only.
pub(crate) type KeysGiven = BTreeSet<(String, String)>;

impl App {
    /// `K`: asks for the key of the object open or selected (in the versions view, the one
    /// selected: every version of a key reads with the key given for it).
    pub(crate) fn open_key_prompt(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let (target, on_folder) = {
            let ctx = ctx!(self, now);
            let target = self.object.target(&ctx).map(|(key, _)| key);
            (target, matches!(ctx.selected, Some(Entry::Folder(_))))
        };
        match target {
            Some(key) => {
                self.input = Some(Input::CustomerKey {
                    key,
                    text: Masked::default(),
                });
            }
            None if on_folder => {
                self.notify(
                    "an SSE-C key is an object's: K on the object",
                    Level::Info,
                    now,
                );
            }
            None => self.notify("no object here to give a key for", Level::Info, now),
        }
        Vec::new()
    }

    /// A key at the prompt: Enter gives the key, Esc drops it, Tab completes a file's path,
    /// any other key edits the line.
    pub(crate) fn on_customer_key_key(
        &mut self,
        press: KeyPress,
        (key, mut text): (String, Masked),
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        match press.key {
            Key::Esc => {
                self.notify("no key given", Level::Info, now);
                Vec::new()
            }
            Key::Enter => self.give_key(key, text, now),
            Key::Tab => {
                let effects = text.file().map_or_else(Vec::new, |path| {
                    vec![Effect::CompletePath {
                        text: path.to_string(),
                    }]
                });
                self.input = Some(Input::CustomerKey { key, text });
                effects
            }
            _ => {
                edit_line(&mut text.0, press);
                self.input = Some(Input::CustomerKey { key, text });
                Vec::new()
            }
        }
    }

    /// A path completed while the prompt names a file: the prompt takes it.
    pub(crate) fn on_key_path_completed(&mut self, completed: &str) {
        if let Some(Input::CustomerKey { text, .. }) = &mut self.input
            && text.file().is_some()
        {
            *text = Masked::new(&format!("@{completed}"));
        }
    }

    /// Enter at the prompt: the runtime reads the key (nothing typed: nothing given).
    fn give_key(&mut self, key: String, text: Masked, now: DateTime<Utc>) -> Vec<Effect> {
        let file = text.file().map(str::to_string);
        let given = match file {
            Some(path) if !path.is_empty() => GivenKey::File(path),
            None if !text.0.is_empty() => GivenKey::Typed(text),
            _ => {
                self.notify(
                    "no key given: type or paste it, or @FILE to read it from a file",
                    Level::Warn,
                    now,
                );
                return Vec::new();
            }
        };
        vec![Effect::GiveCustomerKey {
            bucket: self.listing.bucket().to_string(),
            key,
            given,
        }]
    }

    /// The runtime took the key, or could not: said; an open view of the object asks again
    /// with it.
    pub(crate) fn on_key_taken(
        &mut self,
        (bucket, key): (String, String),
        result: Result<(), String>,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        let place = uri(&bucket, &key);
        if let Err(why) = result {
            self.notify(
                format!("no key given for {place}: {why} (K again)"),
                Level::Error,
                now,
            );
            return Vec::new();
        }
        let said = format!(
            "SSE-C key given for {place}: its reads carry it (held in memory for this run only)"
        );
        self.history.record(now, Level::Info, said.clone());
        self.notify(said, Level::Info, now);
        self.keys_given.insert((bucket.clone(), key.clone()));
        if bucket != self.listing.bucket() {
            return Vec::new();
        }
        let ctx = ctx!(self, now);
        self.object.ask_again_for(&key, &ctx)
    }
}

#[cfg(test)]
mod tests;
