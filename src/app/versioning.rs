//! The bucket's versioning state, asked once per bucket (GetBucketVersioning) when its first
//! page arrives, so a delete's confirmation can say beforehand what is kept, and the objects
//! pane's title whether the bucket keeps versions. Predicted first: while the session policy
//! does not allow `s3:GetBucketVersioning` nothing is sent and the state is unknown; a refusal
//! or a failure leaves it unknown too (it is not an error, only nothing to say).

use super::ctx::{Ctx, Step};
use super::{Effect, RequestId};
use crate::bucket::Versioning;
use crate::failure::AwsFailure;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct BucketVersioning {
    /// The bucket last asked about, and where the asking stands.
    asked: Option<(String, State)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Asking(RequestId),
    Known(Versioning),
}

impl BucketVersioning {
    /// A page of the bucket shown arrived: its versioning is asked, unless it was already, or
    /// the session policy refuses it.
    pub(crate) fn ask_if_new(&mut self, ctx: &Ctx<'_>) -> Step {
        if ctx.bucket.is_empty() || self.asked.as_ref().is_some_and(|(b, _)| b == ctx.bucket) {
            return Step::default();
        }
        let refused = ctx.policy.is_some_and(|p| {
            p.bucket_refusal_hint("s3:GetBucketVersioning", ctx.bucket)
                .is_some()
        });
        // Not now: asked on a later page, once the session policy or the credentials allow.
        let Some(generation) = ctx.session.active.filter(|_| !refused) else {
            self.asked = None;
            return Step::default();
        };
        let request = ctx.ids.next();
        self.asked = Some((ctx.bucket.to_string(), State::Asking(request)));
        Step::effects(vec![Effect::ReadVersioning {
            request,
            generation,
            bucket: ctx.bucket.to_string(),
        }])
    }

    /// S3 answered; a stale answer (another bucket since) is dropped, a failure is "unknown".
    pub(crate) fn on_read(
        &mut self,
        request: RequestId,
        result: Result<Versioning, AwsFailure>,
    ) -> Step {
        if let Some((_, state)) = &mut self.asked
            && *state == State::Asking(request)
        {
            *state = State::Known(result.unwrap_or_default());
        }
        Step::default()
    }

    /// What is known of `bucket`.
    pub(crate) fn of(&self, bucket: &str) -> Versioning {
        match &self.asked {
            Some((b, State::Known(v))) if b == bucket => *v,
            _ => Versioning::Unknown,
        }
    }
}

#[cfg(test)]
mod tests;
