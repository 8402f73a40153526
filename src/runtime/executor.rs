//! Carries out effects: spawns STS and S3 calls and turns their results into messages. Owns the
//! secrets between issue and use, and the one listing task (a new one aborts the old).

use super::cloud::Cloud;
use crate::app::{Effect, Generation, Msg};
use crate::aws::Issued;
use crate::credentials::{Mode, SecretCredentials};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// What background tasks report to the loop; [`Executor::accept`] turns it into a message.
pub(crate) struct Event(Report);

enum Report {
    App(Msg),
    /// Credentials arrived; the secret stays in the executor until the app says to use it.
    Issued {
        generation: Generation,
        issued: Box<Issued>,
    },
}

impl Event {
    /// A message for the app as it is (from outside the executor, e.g. an SDK retry notice).
    pub(crate) fn app(msg: Msg) -> Self {
        Self(Report::App(msg))
    }
}

pub(crate) struct Executor {
    cloud: Arc<dyn Cloud>,
    pending: HashMap<Generation, (Mode, SecretCredentials)>,
    installed: Option<Generation>,
    list_task: Option<JoinHandle<()>>,
    tx: mpsc::UnboundedSender<Event>,
}

impl Executor {
    pub(crate) fn new(cloud: Arc<dyn Cloud>, tx: mpsc::UnboundedSender<Event>) -> Self {
        Self {
            cloud,
            pending: HashMap::new(),
            installed: None,
            list_task: None,
            tx,
        }
    }

    /// A background report as a message for the app; a secret that came with it is kept here.
    pub(crate) fn accept(&mut self, event: Event) -> Msg {
        match event.0 {
            Report::App(msg) => msg,
            Report::Issued { generation, issued } => {
                let Issued { info, secret } = *issued;
                self.pending.insert(generation, (info.mode, secret));
                Msg::CredentialsIssued { generation, info }
            }
        }
    }

    /// Runs one effect (`Quit` and `Suspend` are the loop's own).
    pub(crate) fn run(&mut self, effect: Effect) {
        match effect {
            Effect::Quit | Effect::Suspend => {}
            Effect::IssueCredentials {
                generation,
                request,
            } => {
                let mode = request.mode();
                let call = self.cloud.issue(request);
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    tracing::debug!(%mode, generation = generation.0, "issuing credentials");
                    let report = match call.await {
                        Ok(issued) => {
                            tracing::debug!(principal = %issued.info.principal_arn, expires = %issued.info.expires_at, "credentials issued");
                            Report::Issued {
                                generation,
                                issued: Box::new(issued),
                            }
                        }
                        Err(failure) => {
                            tracing::debug!(%failure, "credentials failed");
                            Report::App(Msg::CredentialsFailed {
                                generation,
                                failure,
                            })
                        }
                    };
                    let _ = tx.send(Event(report));
                });
            }
            Effect::UseCredentials { generation } => self.use_credentials(generation),
            Effect::ListPage {
                request,
                generation,
                page,
            } => {
                debug_assert_eq!(
                    self.installed,
                    Some(generation),
                    "a page is listed with the credentials the app said to use"
                );
                if let Some(task) = self.list_task.take() {
                    task.abort(); // latest wins
                }
                let call = self.cloud.list_page(page);
                let tx = self.tx.clone();
                self.list_task = Some(tokio::spawn(async move {
                    let msg = match call.await {
                        Ok(page) => Msg::PageLoaded { request, page },
                        Err(failure) => Msg::PageFailed { request, failure },
                    };
                    let _ = tx.send(Event(Report::App(msg)));
                }));
            }
        }
    }

    fn use_credentials(&mut self, generation: Generation) {
        let Some((mode, secret)) = self.pending.remove(&generation) else {
            return;
        };
        self.cloud.use_credentials(mode, generation, &secret);
        self.installed = Some(generation);
        self.pending.retain(|g, _| *g > generation);
    }
}

impl Drop for Executor {
    fn drop(&mut self) {
        if let Some(task) = self.list_task.take() {
            task.abort();
        }
    }
}
