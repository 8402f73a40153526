//! The executor's side of sharing the session (`S`): the set in use, handed to the endpoint
//! whenever the app says to use new credentials, and the endpoint itself once it started.

use super::event::Event;
use crate::app::Msg;
use crate::credentials::SecretCredentials;
use crate::serve::env::Vars;
use crate::serve::registry::Registration;
use crate::serve::{Answered, Served, Shared, Tell};
use std::sync::Arc;
use tokio::sync::{mpsc, watch};

/// Every request the endpoint answers, told to the app.
fn telling(tx: mpsc::UnboundedSender<Event>) -> Tell {
    Arc::new(move |answered| {
        let msg = match answered {
            Answered::Served => Msg::CredentialsServed,
            Answered::Refused => Msg::ServeRefused,
        };
        let _ = tx.send(Event::app(msg));
    })
}

#[derive(Default)]
pub(crate) struct Sharing {
    /// The credentials in use.
    in_use: Option<Arc<SecretCredentials>>,
    /// What the endpoint serves (while sharing, or starting to).
    served: Option<watch::Sender<Served>>,
    shared: Option<Shared>,
    /// What names the session shared, for the registry.
    key: String,
    registration: Option<Registration>,
}

impl Sharing {
    /// New credentials are in use: served from now on.
    pub(crate) fn use_set(&mut self, set: SecretCredentials) {
        let in_use = Arc::new(set);
        if let Some(served) = &self.served {
            served.send_modify(|s| s.credentials = Some(in_use.clone()));
        }
        self.in_use = Some(in_use);
    }

    /// Starts the endpoint; `started` turns its outcome into the report the loop gets (see
    /// [`Self::started`]), and every answer is told to the app.
    pub(crate) fn start(
        &mut self,
        region: Option<String>,
        endpoint_url: Option<String>,
        key: String,
        tx: &mpsc::UnboundedSender<Event>,
        started: fn(Result<Box<Shared>, String>) -> Event,
    ) {
        let (served, rx) = watch::channel(Served {
            credentials: self.in_use.clone(),
            refreshing: false,
        });
        self.served = Some(served);
        self.key = key;
        let tell = telling(tx.clone());
        let tx = tx.clone();
        tokio::spawn(async move {
            let result = crate::serve::share(rx, region.as_deref(), endpoint_url.as_deref(), tell)
                .await
                .map(Box::new)
                .map_err(|e| e.to_string());
            let _ = tx.send(started(result));
        });
    }

    /// The endpoint started: kept (until stopped), and told to the app as where it is.
    pub(crate) fn started(
        &mut self,
        result: Result<Box<Shared>, String>,
    ) -> Result<crate::app::share::Endpoint, String> {
        result.map(|shared| {
            let endpoint = crate::app::share::Endpoint {
                url: shared.endpoint.url(),
                env_file: shared.env_file.display().to_string(),
            };
            // Without it only `sts3 credentials` misses the share: said in the debug log.
            self.registration = Registration::new(&self.key, &shared.env_file)
                .inspect_err(|e| tracing::debug!(%e, "the share is not registered"))
                .ok();
            self.shared = Some(*shared);
            endpoint
        })
    }

    /// Stops the endpoint; its token and files go with it.
    pub(crate) fn stop(&mut self) {
        self.registration = None;
        self.shared = None;
        self.served = None;
    }

    /// The session shared is now the one `key` names.
    pub(crate) fn rename(&mut self, key: String) {
        if let Some(r) = &self.registration {
            let _ = r.rename(&key);
        }
        self.key = key;
    }

    /// The variables a shell gets to use the shared session, while it is shared.
    pub(crate) fn vars(&self) -> Option<Vars> {
        self.shared.as_ref().map(|s| s.vars.clone())
    }
}
