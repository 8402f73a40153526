//! `u`: a presigned GET URL for the object, valid no longer than the session (signed locally,
//! shown in a popup and copied to the clipboard).

use super::Presigned;
use crate::app::fetch::Fetch;
use crate::app::{App, Effect, Level, RequestId};
use crate::object::{PresignError, validity};
use chrono::{DateTime, Utc};

impl App {
    /// `u`: a GET URL for the object, valid no longer than the session.
    pub(crate) fn presign(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let Some(key) = self.target_key() else {
            return Vec::new();
        };
        let (Some(generation), Some(info)) =
            (self.session.active_generation(), self.session.info())
        else {
            self.notify("no credentials yet; wait for the session", Level::Warn, now);
            return Vec::new();
        };
        let server_now = self.session.server_now(now);
        let validity = match validity(
            self.config.objects.presign_secs,
            server_now,
            info.expires_at,
        ) {
            Ok(v) => v,
            Err(e @ (PresignError::SessionOver | PresignError::OutOfRange(_))) => {
                self.notify(format!("{e} (r refreshes)"), Level::Error, now);
                return Vec::new();
            }
        };
        let request = self.next_id();
        let warning = self
            .refusal(&key)
            .map(|why| format!("{why}; the URL will be refused"));
        self.object.presigned = Some(Presigned {
            key: key.clone(),
            validity,
            url: Fetch::asked(request, generation),
            warning,
        });
        vec![Effect::Presign {
            request,
            generation,
            bucket: self.listing.bucket().to_string(),
            key,
            secs: validity.secs,
        }]
    }

    pub(crate) fn on_presigned(&mut self, request: RequestId, url: String) -> Vec<Effect> {
        let Some(p) = self.object.presigned.as_mut() else {
            return Vec::new();
        };
        if !p.url.answer(request, url.clone()) {
            return Vec::new();
        }
        vec![Effect::CopyToClipboard { text: url }]
    }
}
