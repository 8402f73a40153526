//! A new folder (`N`): its name typed in the status bar, predicted by the session policy
//! (`s3:PutObject` on the folder's key), then created as the S3 console does, a zero-byte
//! object whose key ends in `/`, never over one that is there; its row comes into the listing.

use super::ctx::{Ctx, Step, Written, uri, with};
use super::{App, Effect, Input, Level, RequestId};
use crate::failure::AwsFailure;
use crate::keymap::KeyPress;
use chrono::{DateTime, Utc};

/// The folder being created, if one is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Folders {
    pub(crate) current: Option<Making>,
}

/// A folder on its way: where, the request, and which credentials it was sent with (for the
/// history).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Making {
    bucket: String,
    key: String,
    request: RequestId,
    signed_with: String,
}

/// The key of folder `name` (`a/b` makes two levels) in `folder`, or why there is none.
pub(crate) fn folder_key(folder: &str, name: &str) -> Result<String, &'static str> {
    let name = name.trim().trim_matches('/');
    if name.is_empty() {
        return Err("type a name");
    }
    if name.chars().any(char::is_control) {
        return Err("a name without control characters");
    }
    if name
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return Err("a name without empty, . or .. parts");
    }
    let key = format!("{folder}{name}/");
    if key.len() > 1024 {
        return Err("a key of at most 1,024 bytes");
    }
    Ok(key)
}

impl Folders {
    /// Enter at the name prompt: predicted, then sent.
    pub(crate) fn create(&mut self, name: &str, ctx: &Ctx<'_>) -> Step {
        let key = match folder_key(ctx.prefix, name) {
            Ok(key) => key,
            Err(need) => return Step::say(format!("no folder made: {need}"), Level::Warn),
        };
        if let Some(why) = ctx
            .policy
            .and_then(|p| p.refusal_hint("s3:PutObject", ctx.bucket, &key))
        {
            return Step::say(
                format!("{why}; nothing was sent (T offers read-write templates)"),
                Level::Warn,
            );
        }
        if self.current.is_some() {
            return Step::say("a folder is being made; wait for it", Level::Warn);
        }
        let Some(generation) = ctx.session.active else {
            return Step::say("no credentials yet: r asks for them", Level::Warn);
        };
        let request = ctx.ids.next();
        self.current = Some(Making {
            bucket: ctx.bucket.to_string(),
            key: key.clone(),
            request,
            signed_with: ctx.signed_with(),
        });
        Step {
            effects: vec![Effect::CreateFolder {
                request,
                generation,
                bucket: ctx.bucket.to_string(),
                key: key.clone(),
            }],
            notice: Some((format!("making {}…", ctx.uri(&key)), Level::Info, None)),
            ..Step::default()
        }
    }

    /// S3 answered: made (its row comes into the listing), there already, or why not.
    pub(crate) fn on_created(
        &mut self,
        request: RequestId,
        result: Result<(), AwsFailure>,
        ctx: &Ctx<'_>,
    ) -> Step {
        let Some(Making {
            bucket,
            key,
            signed_with,
            ..
        }) = self.current.take_if(|m| m.request == request)
        else {
            return Step::default();
        };
        let uri = uri(&bucket, &key);
        let (text, level) = match result {
            Ok(()) => (format!("made {uri}"), Level::Info),
            Err(f) if f.is_precondition_failed() => {
                (format!("{uri} is there already"), Level::Info)
            }
            Err(failure) => {
                let why = ctx
                    .policy
                    .and_then(|p| p.why_refused(&failure, "s3:PutObject", &bucket, &key))
                    .map(|w| format!(" ({w})"))
                    .unwrap_or_default();
                (format!("{uri} not made: {failure}{why}"), Level::Error)
            }
        };
        let written = (level == Level::Info).then(|| Written {
            bucket,
            gone: Vec::new(),
            added: vec![(key, None)],
        });
        Step {
            written,
            history: Some((format!("{text}{signed_with}"), level)),
            notice: Some((text, level, None)),
            ..Step::default()
        }
    }
}

impl App {
    /// `N`: the name prompt, when there is a bucket to make it in.
    pub(crate) fn open_folder_prompt(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let prompt = Input::NewFolder {
            text: String::new(),
        };
        self.ask_in_a_bucket(prompt, now)
    }

    /// A key at the name prompt: text, Backspace, Enter makes it, Esc cancels.
    pub(crate) fn on_folder_name_key(
        &mut self,
        press: KeyPress,
        text: String,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        let again = |text| Input::NewFolder { text };
        self.on_line_key(press, text, again, |app, text| {
            with!(app.folders, now, |f, c| f.create(text, c))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::tests::{at, key, special, writable};
    use crate::app::{Msg, layers::Layer};
    use crate::keymap::Key;

    #[test]
    fn a_folder_name_becomes_a_key_under_the_folder_shown() {
        assert_eq!(folder_key("docs/", "2026"), Ok("docs/2026/".into()));
        assert_eq!(folder_key("", " a/b/ "), Ok("a/b/".into()));
        assert_eq!(folder_key("docs/", "  "), Err("type a name"));
        assert_eq!(
            folder_key("", "a\u{1b}b"),
            Err("a name without control characters")
        );
        assert_eq!(
            folder_key("", "a//b"),
            Err("a name without empty, . or .. parts")
        );
        assert_eq!(
            folder_key("", "../x"),
            Err("a name without empty, . or .. parts")
        );
        assert_eq!(
            folder_key("", &"k".repeat(1024)),
            Err("a key of at most 1,024 bytes")
        );
        assert_eq!(folder_key("", &"k".repeat(1023)).map(|k| k.len()), Ok(1024));
    }

    /// `N`, `name`, Enter.
    fn make(app: &mut App, name: &str) -> Vec<Effect> {
        crate::app::tests::prompted(app, 'N', name)
    }

    #[test]
    fn n_asks_for_a_name_and_makes_the_folder_then_its_row_comes_in_place() {
        let mut app = writable(&[], &["a.txt"]);
        let _ = app.update(key('N'), at(1));
        assert_eq!(app.top(), Layer::NewFolder);
        let _ = app.update(special(Key::Esc), at(1));
        assert_eq!(app.input, None);
        let fx = make(&mut app, "reports");
        let [
            Effect::CreateFolder {
                request, key: k, ..
            },
        ] = &fx[..]
        else {
            panic!("{fx:?}")
        };
        assert_eq!(k, "reports/");
        assert_eq!(
            app.notice.as_ref().unwrap().text,
            "making s3://demo-bucket/reports/…"
        );
        let request = *request;
        let fx = app.update(
            Msg::FolderCreated {
                request,
                result: Ok(()),
            },
            at(3),
        );
        assert!(
            !fx.iter().any(|e| matches!(e, Effect::ListPage { .. })),
            "no reload: {fx:?}"
        );
        let keys = app.listing.rows().visible_keys();
        assert_eq!(keys, ["reports/", "a.txt"], "folders first");
        assert_eq!(
            app.notice.as_ref().unwrap().text,
            "made s3://demo-bucket/reports/"
        );
        assert_eq!(
            app.history.newest_first().next().unwrap().text,
            "made s3://demo-bucket/reports/ (signed with ASIA…WXYZ)"
        );
        // There already: said, not an error.
        let fx = make(&mut app, "reports");
        let [Effect::CreateFolder { request, .. }] = &fx[..] else {
            panic!("{fx:?}")
        };
        let exists = AwsFailure::from_service(Some("PreconditionFailed"), None, Some(412));
        let _ = app.update(
            Msg::FolderCreated {
                request: *request,
                result: Err(exists),
            },
            at(4),
        );
        assert_eq!(
            app.notice.as_ref().unwrap().text,
            "s3://demo-bucket/reports/ is there already"
        );
        // Any other failure is one, said with its code.
        let fx = make(&mut app, "other");
        let [Effect::CreateFolder { request, .. }] = &fx[..] else {
            panic!("{fx:?}")
        };
        let denied = AwsFailure::from_service(Some("AccessDenied"), None, Some(403));
        let _ = app.update(
            Msg::FolderCreated {
                request: *request,
                result: Err(denied),
            },
            at(5),
        );
        let notice = app.notice.as_ref().unwrap();
        assert!(
            notice
                .text
                .starts_with("s3://demo-bucket/other/ not made: AccessDenied"),
            "{}",
            notice.text
        );
        assert_eq!(notice.level, crate::app::Level::Error);
    }

    #[test]
    fn a_session_that_may_not_write_is_told_before_anything_is_sent() {
        let mut app = writable(&[], &["a.txt"]);
        app.target.policy =
            crate::policy::templates::by_name("read-only", app.listing.bucket(), "").unwrap();
        assert_eq!(make(&mut app, "new"), []);
        assert_eq!(
            app.notice.as_ref().unwrap().text,
            "the session policy does not allow s3:PutObject on arn:aws:s3:::demo-bucket/new/; nothing was sent (T offers read-write templates)"
        );
        assert_eq!(make(&mut app, ""), []);
        assert_eq!(
            app.notice.as_ref().unwrap().text,
            "no folder made: type a name"
        );
    }
}
