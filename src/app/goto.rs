//! `:` goes to a path typed in the status bar: `s3://bucket/prefix/` (another bucket too),
//! `/from/the/root/` or `relative/` to the folder shown, `..` for a parent. A path that does not
//! end in `/` lists what starts with it: S3 matches prefixes only, so that is the search it
//! can do beyond the keys loaded (the filter, `/`, sees only those).

use super::listing::Which;
use super::{App, Effect, Input, Level};
use crate::bucket::S3Uri;
use crate::keymap::KeyPress;
use chrono::{DateTime, Utc};

/// Where a typed path leads: the bucket (`None`: the one shown) and the prefix to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Destination {
    pub(crate) bucket: Option<String>,
    pub(crate) prefix: String,
}

/// Where `text` leads from `folder` (the folder shown), or why it leads nowhere.
pub(crate) fn destination(text: &str, folder: &str) -> Result<Destination, String> {
    let text = text.trim();
    if let Some(uri) = S3Uri::parse(text) {
        let uri = uri.map_err(|e| e.to_string())?;
        return Ok(Destination {
            bucket: Some(uri.bucket),
            prefix: uri.key,
        });
    }
    let (start, rest) = match text.strip_prefix('/') {
        Some(rest) => ("", rest),
        None => (folder, text),
    };
    let mut parts: Vec<&str> = start.split_terminator('/').collect();
    let ends_folder = rest.is_empty() || rest.ends_with('/') || rest.ends_with("..");
    let mut typed = rest.split('/').filter(|p| !p.is_empty()).peekable();
    while let Some(part) = typed.next() {
        match part {
            ".." if parts.pop().is_none() => return Err("that goes above the bucket's root".into()),
            "." | ".." => {}
            _ if typed.peek().is_none() && !ends_folder => {
                // A partial name: what starts with it.
                let mut prefix = folder_of(&parts);
                prefix.push_str(part);
                return Ok(Destination {
                    bucket: None,
                    prefix,
                });
            }
            _ => parts.push(part),
        }
    }
    Ok(Destination {
        bucket: None,
        prefix: folder_of(&parts),
    })
}

/// `a/b/` of `["a", "b"]`; the root is ``.
fn folder_of(parts: &[&str]) -> String {
    let mut folder = parts.join("/");
    if !folder.is_empty() {
        folder.push('/');
    }
    folder
}

impl App {
    /// A key at the go-to prompt: text, Backspace, Enter goes, Esc cancels.
    pub(crate) fn on_goto_key(
        &mut self,
        press: KeyPress,
        text: String,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        let again = |text| Input::GoTo { text };
        self.on_line_key(press, text, again, |app, text| app.go_to(text, now))
    }

    /// Lists where `text` leads: another bucket is opened as the picker opens it.
    fn go_to(&mut self, text: &str, now: DateTime<Utc>) -> Vec<Effect> {
        let to = match destination(text, self.listing.folder()) {
            Ok(to) => to,
            Err(why) => {
                self.notify(format!("cannot go to {text}: {why}"), Level::Warn, now);
                return Vec::new();
            }
        };
        self.object.forget_failed_save();
        self.object.view = None;
        match to.bucket {
            Some(bucket) if bucket != self.listing.bucket() => {
                self.open_bucket_at(&bucket, &to.prefix, now)
            }
            _ => {
                self.listing.open(&to.prefix, None);
                self.ask_page(Which::Next, now)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keymap::Key;

    fn to(text: &str, folder: &str) -> Result<Destination, String> {
        destination(text, folder)
    }

    fn dest(bucket: Option<&str>, prefix: &str) -> Destination {
        Destination {
            bucket: bucket.map(str::to_string),
            prefix: prefix.to_string(),
        }
    }

    #[test]
    fn a_uri_names_the_bucket_and_the_prefix_as_typed() {
        assert_eq!(
            to("s3://other-bucket/logs/2026/", "docs/"),
            Ok(dest(Some("other-bucket"), "logs/2026/"))
        );
        assert_eq!(
            to("s3://other-bucket", "docs/"),
            Ok(dest(Some("other-bucket"), ""))
        );
        assert!(
            to("s3://Bad_Bucket/x", "")
                .unwrap_err()
                .contains("not a valid S3 bucket name")
        );
    }

    #[test]
    fn a_path_is_from_the_root_with_a_slash_else_from_the_folder_shown() {
        assert_eq!(to("/photos/2024/", "docs/"), Ok(dest(None, "photos/2024/")));
        assert_eq!(to("2024/", "photos/"), Ok(dest(None, "photos/2024/")));
        assert_eq!(
            to("../logs/", "photos/2024/"),
            Ok(dest(None, "photos/logs/"))
        );
        assert_eq!(to("..", "photos/2024/"), Ok(dest(None, "photos/")));
        assert_eq!(to("./a//b/", ""), Ok(dest(None, "a/b/")));
        assert_eq!(to("/", "photos/"), Ok(dest(None, "")));
        assert_eq!(to("", "photos/"), Ok(dest(None, "photos/")));
        assert_eq!(
            to("../..", "photos/"),
            Err("that goes above the bucket's root".into())
        );
    }

    #[test]
    fn a_partial_name_lists_what_starts_with_it() {
        assert_eq!(
            to("IMG_2024", "photos/2024/01/"),
            Ok(dest(None, "photos/2024/01/IMG_2024"))
        );
        assert_eq!(to("/photos/20", "docs/"), Ok(dest(None, "photos/20")));
        assert_eq!(to("../x", "a/b/"), Ok(dest(None, "a/x")));
    }

    /// `:` and `text` typed, then Enter.
    fn go(app: &mut App, text: &str) -> Vec<Effect> {
        crate::app::tests::prompted(app, ':', text)
    }

    #[test]
    fn enter_lists_the_folder_or_the_keys_that_start_with_a_name() {
        use crate::app::tests::{list_request, running};
        let (mut app, _) = running();
        let fx = go(&mut app, "photos/IMG_2024");
        assert_eq!(list_request(&fx).1.prefix, "photos/IMG_2024");
        assert_eq!(app.listing.folder(), "photos/");
        assert_eq!(app.listing.starting_with(), Some("IMG_2024"));
        assert_eq!(app.input, None);
        // Esc at the prompt: nothing typed goes anywhere.
        let _ = app.update(crate::app::tests::key(':'), crate::app::tests::at(2));
        let _ = app.update(
            crate::app::tests::special(Key::Esc),
            crate::app::tests::at(2),
        );
        assert_eq!(app.input, None);
        // From there, a relative path starts at the folder shown.
        let fx = go(&mut app, "2024/");
        assert_eq!(list_request(&fx).1.prefix, "photos/2024/");
        assert_eq!(app.listing.starting_with(), None);
        // Nowhere: said, and the listing stays.
        let fx = go(&mut app, "../../..");
        assert!(fx.is_empty(), "{fx:?}");
        assert_eq!(app.listing.prefix(), "photos/2024/");
        let notice = &app.notice.as_ref().unwrap().text;
        assert_eq!(
            notice,
            "cannot go to ../../..: that goes above the bucket's root"
        );
    }

    #[test]
    fn another_bucket_is_opened_at_the_prefix_with_a_session_scoped_to_it() {
        use crate::app::tests::{at, generation_of, info, list_request, running};
        use crate::credentials::Mode;
        let (mut app, _) = running();
        let fx = go(&mut app, "s3://other-bucket/logs/");
        assert_eq!(app.listing.bucket(), "other-bucket");
        assert_eq!(app.listing.prefix(), "logs/");
        let issue = fx
            .iter()
            .find_map(|e| match e {
                Effect::IssueCredentials { request, .. } => Some(request),
                _ => None,
            })
            .expect("a session for the other bucket");
        assert!(issue.policy().unwrap().compact().contains("other-bucket"));
        let fx = app.update(
            crate::app::Msg::CredentialsIssued {
                generation: generation_of(&fx),
                info: info(Mode::Federated, at(3), 3600),
            },
            at(3),
        );
        let (_, page) = list_request(&fx);
        assert_eq!(
            (page.bucket.as_str(), page.prefix.as_str()),
            ("other-bucket", "logs/")
        );
        // The same bucket's URI: no new session, only the listing.
        let fx = go(&mut app, "s3://other-bucket/logs/2026/");
        assert!(
            !fx.iter()
                .any(|e| matches!(e, Effect::IssueCredentials { .. })),
            "{fx:?}"
        );
        assert_eq!(list_request(&fx).1.prefix, "logs/2026/");
    }
}
