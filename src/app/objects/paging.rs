//! The object listing as the model sees it: asking for pages on demand, taking them in,
//! dropping stale answers, and what a failed page leads to (a retry by itself, one credential
//! refresh, or waiting for the user).

use super::{InFlight, InlineError};
use crate::app::{App, Effect, PAGE_RETRY_MAX_SECS, RequestId, objects};
use crate::failure::{AwsFailure, ErrorKind};
use crate::bucket::ListPage;
use crate::credentials::schedule::backoff;
use chrono::{DateTime, TimeDelta, Utc};

impl App {
    /// Whether new credentials may fix `failure`: the service rejected the credentials, or the
    /// session has run out anyway. Decides the hint shown and what `r` retries.
    pub fn credentials_may_help(&self, failure: &AwsFailure, now: DateTime<Utc>) -> bool {
        failure.is_credential_problem() || self.session.is_expired(now)
    }

    /// Starts the listing of the current prefix over, keeping the rows on screen (and the
    /// selection) until the first new page replaces them.
    pub(crate) fn reload(&mut self) -> Vec<Effect> {
        self.objects.select_after_load = self.objects.selected().map(|e| e.key().to_string());
        self.objects.begin_reload();
        self.request_page()
    }

    /// Requests the next page of the current prefix, if one is due and credentials are ready.
    pub(crate) fn request_page(&mut self) -> Vec<Effect> {
        let Some(generation) = self.session.active else {
            return Vec::new();
        };
        let Some(page) = self.objects.next_request() else {
            return Vec::new();
        };
        let id = self.next_id();
        self.objects.in_flight = Some(InFlight {
            id,
            generation,
            token: page.continuation_token.clone(),
        });
        vec![Effect::ListPage { request: id, page }]
    }

    /// Requests another page when the cursor is near the end of what is loaded.
    pub(crate) fn load_more_if_near_end(&mut self) -> Vec<Effect> {
        if self.objects.started && self.objects.wants_more() {
            self.request_page()
        } else {
            Vec::new()
        }
    }

    pub(crate) fn retry_failed_page(&mut self) -> Vec<Effect> {
        let Some(error) = self.objects.error.take() else {
            return Vec::new();
        };
        let Some(generation) = self.session.active else {
            self.objects.error = Some(error);
            return Vec::new();
        };
        let id = self.next_id();
        let page = self.objects.request_from(error.token.clone());
        self.objects.in_flight = Some(InFlight {
            id,
            generation,
            token: error.token,
        });
        vec![Effect::ListPage { request: id, page }]
    }

    pub(crate) fn on_page(&mut self, request: RequestId, page: ListPage) -> Vec<Effect> {
        if !self.objects.page_loaded(request, page) {
            return Vec::new();
        }
        if self.objects.select_after_load.is_some() {
            if self.objects.pages_loaded < objects::RESELECT_MAX_PAGES {
                return self.request_page(); // keep going until the selected key is back
            }
            self.objects.select_after_load = None;
        }
        self.load_more_if_near_end()
    }

    pub(crate) fn on_page_failed(
        &mut self,
        request: RequestId,
        failure: AwsFailure,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        let Some(flight) = self.objects.in_flight.clone().filter(|f| f.id == request) else {
            return Vec::new();
        };
        self.objects.in_flight = None;
        // A credential rejection once the countdown reached zero is an expiry, whatever the code.
        let credential_problem = failure.is_credential_problem()
            || (failure.kind == ErrorKind::AccessDenied && self.session.is_expired(now));
        let transient = matches!(
            failure.kind,
            ErrorKind::Network | ErrorKind::Timeout | ErrorKind::Throttled | ErrorKind::Server
        );
        let attempts = self.objects.transient_failures + u32::from(transient);
        self.objects.transient_failures = attempts;
        let max_wait = TimeDelta::seconds(PAGE_RETRY_MAX_SECS);
        self.objects.error = Some(InlineError {
            failure,
            token: flight.token,
            awaiting_credentials: false,
            // Outages and throttling pass: try again by ourselves, backing off.
            retry_at: transient.then(|| now + backoff(attempts).min(max_wait)),
        });
        if !credential_problem {
            return Vec::new();
        }
        if self.session.active.is_some_and(|g| g > flight.generation) {
            // Signed with credentials that have since been replaced: just try again.
            return self.retry_failed_page();
        }
        if self.objects.auto_refresh_used {
            return Vec::new(); // one automatic refresh per failure, never a loop
        }
        self.objects.auto_refresh_used = true;
        if let Some(error) = &mut self.objects.error {
            error.awaiting_credentials = true;
        }
        if self.session.issuing.is_some() {
            return Vec::new();
        }
        self.issue(self.session.mode, now)
    }
}
