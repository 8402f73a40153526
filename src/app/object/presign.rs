//! `u`: a presigned GET URL for the object, valid no longer than the session (signed locally,
//! shown in a popup and copied to the clipboard).

use super::{ObjectActions, Presigned};
use crate::app::ctx::{Ctx, Step};
use crate::app::fetch::Fetch;
use crate::app::{Effect, Level, RequestId};
use crate::object::{PresignError, validity};

/// What a URL of an object read with a customer key needs (a URL cannot carry it).
const SSE_C_URL: &str = "the object is encrypted with a customer key (SSE-C): the URL reads it only with the key's three x-amz-server-side-encryption-customer-* headers sent along";

impl ObjectActions {
    /// `u`: a GET URL for the object, valid no longer than the session.
    pub(crate) fn presign(&mut self, ctx: &Ctx<'_>) -> Step {
        let Some((key, version)) = self.target(ctx) else {
            return Step::default();
        };
        let (Some(generation), Some(info)) = (ctx.session.active, ctx.info) else {
            return Step::say("no credentials yet; wait for the session", Level::Warn);
        };
        let validity = match validity(
            ctx.config.objects.presign_secs,
            ctx.server_now,
            info.expires_at,
        ) {
            Ok(v) => v,
            Err(e @ (PresignError::SessionOver | PresignError::OutOfRange(_))) => {
                return Step::say(format!("{e} (r refreshes)"), Level::Error);
            }
        };
        let request = ctx.ids.next();
        let keyed = ctx
            .keys_given
            .contains(&(ctx.bucket.to_string(), key.clone()));
        let warning = ctx
            .refusal(&key, version.is_some())
            .map(|why| format!("{why}; the URL will be refused"))
            .or_else(|| keyed.then(|| SSE_C_URL.to_string()));
        self.presigned = Some(Presigned {
            key: key.clone(),
            version: version.clone(),
            validity,
            url: Fetch::asked(request, generation),
            warning,
            scroll: 0,
        });
        Step::effects(vec![Effect::Presign {
            request,
            generation,
            bucket: ctx.bucket.to_string(),
            key,
            version,
            secs: validity.secs,
        }])
    }

    /// The URL is signed: shown, and put on the clipboard.
    pub(crate) fn on_presigned(&mut self, request: RequestId, url: String) -> Vec<Effect> {
        let Some(p) = self.presigned.as_mut() else {
            return Vec::new();
        };
        if !p.url.answer(request, url.clone()) {
            return Vec::new();
        }
        vec![Effect::CopyToClipboard { text: url }]
    }
}
