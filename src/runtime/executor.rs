//! Carries out effects: spawns STS and S3 calls and sends their results back as messages. Owns
//! the secrets between issue and use, and the one listing task (a new one aborts the old).

use crate::app::{Effect, Generation, Msg};
use crate::aws::{BaseOptions, Clients, Issued, OnRetryable, load_base_config};
use crate::clock;
use crate::settings::Settings;
use crate::credentials::{CredentialRequest, Mode, SecretCredentials};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{OnceCell, mpsc};
use tokio::task::JoinHandle;

/// What background tasks report to the loop.
pub enum Event {
    /// Goes to the app as is.
    App(Msg),
    /// Credentials arrived; the secret stays in the executor until the app says to use it.
    Issued {
        generation: Generation,
        mode: Mode,
        issued: Box<Issued>,
    },
}

pub struct Executor {
    clients: HashMap<Mode, (BaseOptions, Arc<OnceCell<Clients>>)>,
    path_style: bool,
    pending: HashMap<Generation, (Mode, SecretCredentials)>,
    active_mode: Option<Mode>,
    list_task: Option<JoinHandle<()>>,
    tx: mpsc::UnboundedSender<Event>,
}

impl Executor {
    pub fn new(settings: &Settings, tx: mpsc::UnboundedSender<Event>) -> Self {
        let clients = Mode::ALL
            .into_iter()
            .map(|m| (m, (settings.base_for(m), Arc::new(OnceCell::new()))))
            .collect();
        Self {
            clients,
            path_style: settings.path_style(),
            pending: HashMap::new(),
            active_mode: None,
            list_task: None,
            tx,
        }
    }

    /// Keeps a freshly issued secret until the app decides to use it.
    pub fn hold(&mut self, generation: Generation, mode: Mode, secret: SecretCredentials) {
        self.pending.insert(generation, (mode, secret));
    }

    /// Runs one effect. Returns false for `Quit`.
    pub fn run(&mut self, effect: Effect) -> bool {
        match effect {
            Effect::Quit => return false,
            Effect::IssueCredentials {
                generation,
                request,
            } => self.issue(generation, request),
            Effect::UseCredentials { generation } => self.use_credentials(generation),
            Effect::ListPage { request, page } => {
                if let Some(task) = self.list_task.take() {
                    task.abort(); // latest wins
                }
                let Some(clients) = self.active_clients() else {
                    return true;
                };
                let tx = self.tx.clone();
                self.list_task = Some(tokio::spawn(async move {
                    let msg = match clients.s3.list_page(&page).await {
                        Ok(page) => Msg::PageLoaded { request, page },
                        Err(failure) => Msg::PageFailed { request, failure },
                    };
                    let _ = tx.send(Event::App(msg));
                }));
            }
        }
        true
    }

    fn clients_cell(&self, mode: Mode) -> (BaseOptions, Arc<OnceCell<Clients>>) {
        self.clients
            .get(&mode)
            .cloned()
            .unwrap_or_else(|| (BaseOptions::default(), Arc::new(OnceCell::new())))
    }

    fn active_clients(&self) -> Option<Clients> {
        let mode = self.active_mode?;
        self.clients.get(&mode)?.1.get().cloned()
    }

    fn issue(&self, generation: Generation, request: CredentialRequest) {
        let mode = request.mode();
        let (base, cell) = self.clients_cell(mode);
        let path_style = self.path_style;
        let tx = self.tx.clone();
        let notify_tx = self.tx.clone();
        let on_retryable: OnRetryable = Arc::new(move |status| {
            let _ = notify_tx.send(Event::App(Msg::RequestRetrying { status }));
        });
        tokio::spawn(async move {
            let clients = cell
                .get_or_init(|| async {
                    let config = load_base_config(&base).await;
                    Clients::build(
                        &config,
                        path_style,
                        base.profile.as_deref(),
                        Some(on_retryable),
                    )
                })
                .await;
            tracing::debug!(%mode, generation = generation.0, "issuing credentials");
            let event = match clients.sts.issue(&request, clock::now()).await {
                Ok(issued) => {
                    tracing::debug!(principal = %issued.info.principal_arn, expires = %issued.info.expires_at, "credentials issued");
                    Event::Issued {
                        generation,
                        mode,
                        issued: Box::new(issued),
                    }
                }
                Err(failure) => {
                    tracing::debug!(%failure, "credentials failed");
                    Event::App(Msg::CredentialsFailed {
                        generation,
                        failure,
                    })
                }
            };
            let _ = tx.send(event);
        });
    }

    fn use_credentials(&mut self, generation: Generation) {
        let Some((mode, secret)) = self.pending.remove(&generation) else {
            return;
        };
        if let Some(clients) = self.clients.get(&mode).and_then(|(_, c)| c.get()) {
            clients.slot.install(generation.0, &secret);
            self.active_mode = Some(mode);
        }
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
