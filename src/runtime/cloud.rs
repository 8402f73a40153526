//! The runtime's view of AWS: issue credentials, sign with them, list a page, reach S3 for
//! one object. [`AwsCloud`] is
//! the real one (per-mode SDK clients, created on first use); the runtime's tests put a scripted
//! one in its place, so the loop can be driven on paused time without a network.

use crate::app::Generation;
use crate::aws::{Clients, Issued, ObjectStore, OnRetryable, load_base_config};
use crate::bucket::{ListPage, PageRequest};
use crate::clock::WallClock;
use crate::credentials::{CredentialRequest, Mode, SecretCredentials};
use crate::failure::{AwsFailure, ErrorKind};
use crate::object::sse_c::{CustomerKey, Keyring};
use crate::settings::{BaseOptions, Settings};
use futures_util::future::BoxFuture;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// What the runtime asks of AWS.
pub(crate) trait Cloud: Send + Sync {
    /// Calls STS for `request` (each mode with its own base credentials and endpoint).
    fn issue(&self, request: CredentialRequest) -> BoxFuture<'static, Result<Issued, AwsFailure>>;
    /// Signs S3 requests with `secret`, issued in `mode` for `generation`, from now on.
    fn use_credentials(&self, mode: Mode, generation: Generation, secret: &SecretCredentials);
    /// Fetches one page with the credentials in use.
    fn list_page(&self, page: PageRequest) -> BoxFuture<'static, Result<ListPage, AwsFailure>>;
    /// S3 with the credentials in use, for object requests, downloads, the access check and
    /// the bucket list (`None` before any credentials are).
    fn s3(&self) -> Option<Arc<dyn ObjectStore>>;
    /// Calls STS as `bases` say from now on (the profile picker): new clients per mode.
    fn set_bases(&self, bases: Vec<(Mode, BaseOptions)>);
    /// Sends S3 requests to `region` from now on (the bucket is there), or to the base
    /// options' region again (`None`).
    fn set_s3_region(&self, region: Option<String>);
    /// S3 reads agree to pay for themselves from now on (`x-amz-request-payer: requester`),
    /// or no longer.
    fn charge_requester(&self, on: bool);
    /// The reads of `key` in `bucket` carry `secret` from now on (SSE-C, the TUI's `K`).
    fn give_customer_key(&self, bucket: &str, key: &str, secret: CustomerKey);
}

fn no_credentials_yet() -> AwsFailure {
    AwsFailure::new(
        ErrorKind::NoCredentials,
        None,
        "no temporary credentials are in use yet",
    )
}

/// An object request with the credentials in use (no S3 before credentials: a failure).
pub(crate) async fn with_s3<T, F, Fut>(
    s3: Option<Arc<dyn ObjectStore>>,
    call: F,
) -> Result<T, AwsFailure>
where
    F: FnOnce(Arc<dyn ObjectStore>) -> Fut,
    Fut: std::future::Future<Output = Result<T, AwsFailure>>,
{
    match s3 {
        Some(s3) => call(s3).await,
        None => Err(no_credentials_yet()),
    }
}

type ClientCell = (BaseOptions, Arc<OnceCell<Clients>>);

/// AWS through the SDK.
pub(crate) struct AwsCloud {
    clients: Mutex<HashMap<Mode, ClientCell>>,
    path_style: bool,
    on_retryable: OnRetryable,
    active: Mutex<Option<Clients>>,
    /// The region S3 requests go to instead of the base options', when the bucket is elsewhere.
    s3_region: Mutex<Option<String>>,
    clock: Arc<dyn WallClock>,
    /// S3 reads agree to pay (`requester_pays = "always"`, `--requester-pays`, `$`).
    charged: std::sync::atomic::AtomicBool,
    /// The customer keys given for single objects (SSE-C): every S3 client reads with them.
    keyring: Keyring,
}

impl AwsCloud {
    pub(crate) fn new(
        settings: &Settings,
        on_retryable: OnRetryable,
        clock: Arc<dyn WallClock>,
    ) -> Self {
        let clients = Mode::ALL
            .into_iter()
            .map(|m| (m, (settings.target.base_for(m), Arc::new(OnceCell::new()))))
            .collect();
        Self {
            clients: Mutex::new(clients),
            path_style: settings.target.path_style(),
            on_retryable,
            charged: std::sync::atomic::AtomicBool::new(
                settings.config.requester_pays == crate::settings::RequesterPays::Always,
            ),
            active: Mutex::new(None),
            s3_region: Mutex::new(None),
            clock,
            keyring: Keyring::default(),
        }
    }

    fn cell(&self, mode: Mode) -> ClientCell {
        self.clients
            .lock()
            .ok()
            .and_then(|c| c.get(&mode).cloned())
            .unwrap_or_else(|| (BaseOptions::default(), Arc::new(OnceCell::new())))
    }
}

impl Cloud for AwsCloud {
    fn issue(&self, request: CredentialRequest) -> BoxFuture<'static, Result<Issued, AwsFailure>> {
        let (base, cell) = self.cell(request.mode());
        let path_style = self.path_style;
        let on_retryable = self.on_retryable.clone();
        let clock = self.clock.clone();
        Box::pin(async move {
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
            clients.sts.issue(&request, clock.now()).await
        })
    }

    fn use_credentials(&self, mode: Mode, generation: Generation, secret: &SecretCredentials) {
        let (_, cell) = self.cell(mode);
        let Some(clients) = cell.get() else {
            return;
        };
        clients.slot.install(generation.0, secret);
        let mut clients = clients.clone();
        clients.s3 = clients
            .s3
            .charged_to_requester(self.charged.load(std::sync::atomic::Ordering::SeqCst))
            .with_keyring(self.keyring.clone());
        if let Some(region) = self.s3_region.lock().ok().and_then(|r| r.clone()) {
            clients.s3 = clients.s3.in_region(&region);
        }
        if let Ok(mut active) = self.active.lock() {
            *active = Some(clients);
        }
    }

    fn list_page(&self, page: PageRequest) -> BoxFuture<'static, Result<ListPage, AwsFailure>> {
        let s3 = self
            .active
            .lock()
            .ok()
            .and_then(|a| a.as_ref().map(|c| c.s3.clone()));
        Box::pin(async move {
            match s3 {
                Some(s3) => s3.list_page(&page).await,
                None => Err(no_credentials_yet()),
            }
        })
    }

    fn s3(&self) -> Option<Arc<dyn ObjectStore>> {
        self.active.lock().ok().and_then(|a| {
            a.as_ref()
                .map(|c| Arc::new(c.s3.clone()) as Arc<dyn ObjectStore>)
        })
    }

    fn set_s3_region(&self, region: Option<String>) {
        if let Ok(mut r) = self.s3_region.lock() {
            r.clone_from(&region);
        }
        let Some(region) = region else {
            return; // the next credentials bring the base region's client
        };
        if let Ok(mut active) = self.active.lock()
            && let Some(clients) = active.as_mut()
        {
            clients.s3 = clients.s3.in_region(&region);
        }
    }

    fn charge_requester(&self, on: bool) {
        self.charged.store(on, std::sync::atomic::Ordering::SeqCst);
        if let Ok(mut active) = self.active.lock()
            && let Some(clients) = active.as_mut()
        {
            clients.s3 = clients.s3.charged_to_requester(on);
        }
    }

    fn give_customer_key(&self, bucket: &str, key: &str, secret: CustomerKey) {
        self.keyring.give(bucket, key, secret);
    }

    fn set_bases(&self, bases: Vec<(Mode, BaseOptions)>) {
        if let Ok(mut clients) = self.clients.lock() {
            for (mode, base) in bases {
                clients.insert(mode, (base, Arc::new(OnceCell::new())));
            }
        }
    }
}
