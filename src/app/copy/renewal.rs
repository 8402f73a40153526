//! A copy or a batch of copies whose request S3 refused (an expired token, a refresh under
//! way): it waits in the engine, and the model decides as for every write
//! ([`Ctx::stalled`]): go on now, after new credentials (asked for, and said), or give up
//! (the copy fails, and is said as it is). One copy or batch goes at a time, so one renewal.

use super::Copies;
use super::batch::BatchPhase;
use crate::app::ctx::{Ctx, Step};
use crate::app::fetch::Streak;
use crate::app::{Effect, Generation, RequestId};
use crate::failure::AwsFailure;

/// Refreshes a copy or a batch may ask for in one run of refusals: a long batch may outlive
/// more than one session.
const COPY_REFRESHES: u32 = 2;

/// How the refused requests of the copy or batch `request` go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Renewal {
    request: RequestId,
    /// The credentials its requests are signed with now.
    generation: Generation,
    streak: Streak,
    /// It waits for new credentials.
    waiting: bool,
}

impl Renewal {
    /// The copy or batch `request`, sent with `generation`.
    pub(super) fn new(request: RequestId, generation: Generation) -> Self {
        Self {
            request,
            generation,
            streak: Streak::default(),
            waiting: false,
        }
    }
}

impl Copies {
    /// The copy or batch under way was sent as `request`.
    fn under_way(&self, request: RequestId) -> bool {
        let copy = self
            .current
            .as_ref()
            .is_some_and(|c| c.phase == super::Phase::Sent(request));
        let batch = self
            .batch
            .as_ref()
            .is_some_and(|b| b.phase == BatchPhase::Sent(request));
        copy || batch
    }

    /// A request of the copy or batch `request` was refused: decided once for every copy
    /// waiting (those that follow while it waits are answered by the same word).
    pub(crate) fn on_stalled(
        &mut self,
        request: RequestId,
        failure: AwsFailure,
        ctx: &Ctx<'_>,
    ) -> Step {
        if !self.under_way(request) {
            return Step::default();
        }
        let Some(renewal) = self
            .renewal
            .as_mut()
            .filter(|r| r.request == request && !r.waiting)
        else {
            return Step::default();
        };
        let (step, waits) = ctx.write_stalled(
            failure,
            (&mut renewal.streak, &mut renewal.generation),
            (COPY_REFRESHES, "the copy"),
            request,
        );
        renewal.waiting = waits;
        step
    }

    /// New credentials are in use: the copy or batch that waited for them goes on.
    pub(crate) fn after_credentials(&mut self, ctx: &Ctx<'_>) -> Step {
        let Some(request) = self.renewal.filter(|r| r.waiting).map(|r| r.request) else {
            return Step::default();
        };
        if !self.under_way(request) {
            self.renewal = None;
            return Step::default();
        }
        if let Some(renewal) = self.renewal.as_mut() {
            renewal.waiting = false;
            renewal.generation = ctx.session.active.unwrap_or(renewal.generation);
        }
        Step::effects(vec![Effect::ResumeWrite { request }])
    }

    /// `x` on a batch: the copies waiting for credentials give up (the others finish).
    pub(super) fn give_up_waiting(&mut self, request: RequestId) -> Option<Effect> {
        self.renewal
            .take_if(|r| r.request == request && r.waiting)
            .map(|_| Effect::GiveUpWrite { request })
    }
}
