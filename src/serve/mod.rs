//! The live session for other tools: a loopback endpoint in the AWS SDKs' container-credentials
//! format, answering only requests that carry this run's token, always with the newest set
//! (a client that asks while a refresh is due waits for it, briefly). Bound to 127.0.0.1 on a
//! port the system picks; requests are bounded in size and time, so a client that sends
//! slowly or too much costs little.

pub(crate) mod env;
pub(crate) mod registry;

use crate::credentials::SecretCredentials;
use crate::credentials::export::container_json;
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};

/// How long a client may take to send its request's head.
const HEAD_SECS: u64 = 5;
/// The most a request's head may hold.
const HEAD_BYTES: usize = 16 * 1024;
/// Connections served at once; more wait to be accepted.
const CONNECTIONS: usize = 64;
/// How long a client waits for a refresh that is due before it gets the set in use.
const REFRESH_WAIT_SECS: u64 = 10;

/// The set served, and whether a fresher one is on its way.
#[derive(Clone, Default)]
pub(crate) struct Served {
    pub(crate) credentials: Option<Arc<SecretCredentials>>,
    /// A refresh is due or under way: a client waits for it (briefly).
    pub(crate) refreshing: bool,
}

/// What the endpoint counts, for the user.
#[derive(Debug, Default)]
pub(crate) struct Counts {
    /// Sets handed out.
    pub(crate) served: AtomicU64,
    /// Requests refused: no token, a wrong one, or not a GET.
    pub(crate) refused: AtomicU64,
}

/// What the endpoint did with a request, told as it happens (the TUI counts them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answered {
    /// A set was handed out.
    Served,
    /// Refused: no token, a wrong one, or not a GET.
    Refused,
}

/// Who is told of every request.
pub(crate) type Tell = Arc<dyn Fn(Answered) + Send + Sync>;

/// A running endpoint.
pub(crate) struct Endpoint {
    pub(crate) addr: SocketAddr,
    pub(crate) counts: Arc<Counts>,
    task: tokio::task::JoinHandle<()>,
}

impl Endpoint {
    /// The URL clients are given (`AWS_CONTAINER_CREDENTIALS_FULL_URI`).
    pub(crate) fn url(&self) -> String {
        format!("http://{}/credentials", self.addr)
    }
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts serving `served` on 127.0.0.1 to clients that send `token` as `Authorization`.
/// `tell` hears of every request answered.
pub(crate) async fn start(
    token: String,
    served: watch::Receiver<Served>,
    tell: Option<Tell>,
) -> std::io::Result<Endpoint> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let counts = Arc::new(Counts::default());
    let token: Arc<str> = token.into();
    let slots = Arc::new(Semaphore::new(CONNECTIONS));
    let task_counts = counts.clone();
    let tell: Tell = tell.unwrap_or_else(|| Arc::new(|_| {}));
    let task = tokio::spawn(async move {
        loop {
            let Ok(permit) = slots.clone().acquire_owned().await else {
                return;
            };
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let (token, served, counts) = (token.clone(), served.clone(), task_counts.clone());
            let tell = tell.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req| {
                    let (token, served, counts) = (token.clone(), served.clone(), counts.clone());
                    let tell = tell.clone();
                    async move {
                        let (response, answered) = answer(&req, &token, served, &counts).await;
                        if let Some(answered) = answered {
                            tell(answered);
                        }
                        Ok::<_, std::convert::Infallible>(response)
                    }
                });
                let _ = http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(Duration::from_secs(HEAD_SECS))
                    .max_buf_size(HEAD_BYTES)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
                drop(permit);
            });
        }
    });
    Ok(Endpoint { addr, counts, task })
}

/// The answer to one request: the set in use (the fresher one, when a refresh is due and
/// comes soon), or why not; and what was done, to tell.
async fn answer(
    req: &Request<Incoming>,
    token: &str,
    mut served: watch::Receiver<Served>,
    counts: &Counts,
) -> (Response<Full<Bytes>>, Option<Answered>) {
    if req.method() != Method::GET {
        counts.refused.fetch_add(1, Ordering::Relaxed);
        let response = message(StatusCode::METHOD_NOT_ALLOWED, "only GET is served");
        return (response, Some(Answered::Refused));
    }
    let given = req
        .headers()
        .get(hyper::header::AUTHORIZATION)
        .map(hyper::header::HeaderValue::as_bytes);
    if !given.is_some_and(|g| same(g, token.as_bytes())) {
        counts.refused.fetch_add(1, Ordering::Relaxed);
        let response = message(
            StatusCode::UNAUTHORIZED,
            "this endpoint serves only the process sts3 started (its token is missing or wrong)",
        );
        return (response, Some(Answered::Refused));
    }
    if served.borrow().refreshing {
        let _ = tokio::time::timeout(
            Duration::from_secs(REFRESH_WAIT_SECS),
            served.wait_for(|s| !s.refreshing),
        )
        .await;
    }
    let Some(credentials) = served.borrow().credentials.clone() else {
        let response = message(
            StatusCode::SERVICE_UNAVAILABLE,
            "sts3 has no credentials to serve (the session ran out; see its messages)",
        );
        return (response, None);
    };
    counts.served.fetch_add(1, Ordering::Relaxed);
    let mut response = Response::new(Full::new(Bytes::from(container_json(&credentials))));
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    (response, Some(Answered::Served))
}

/// The session shared from the TUI: the endpoint, the private folder with its token, the
/// client's AWS files and the script a shell sources, and the variables a client gets.
pub(crate) struct Shared {
    pub(crate) endpoint: Endpoint,
    pub(crate) vars: env::Vars,
    pub(crate) env_file: std::path::PathBuf,
    /// Removed (with the token) when the share goes.
    _private: env::Private,
}

/// Starts sharing `served`: a new token in a private folder, the endpoint, and the script a
/// shell sources to become a client (with `region` and `endpoint_url` in its AWS files).
pub(crate) async fn share(
    served: watch::Receiver<Served>,
    region: Option<&str>,
    endpoint_url: Option<&str>,
    tell: Tell,
) -> std::io::Result<Shared> {
    let private = env::Private::create("sts3-share")?;
    let token = new_token()?;
    let token_file = private.write("token", &token)?;
    let endpoint = start(token, served, Some(tell)).await?;
    let vars = env::client_vars(&private, &endpoint.url(), &token_file, region, endpoint_url)?;
    let env_file = private.write("env", &env::shell_script(&vars))?;
    Ok(Shared {
        endpoint,
        vars,
        env_file,
        _private: private,
    })
}

/// A JSON error answer (never credentials).
fn message(status: StatusCode, text: &str) -> Response<Full<Bytes>> {
    let body = serde_json::json!({ "message": text }).to_string();
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response
}

/// Whether `a` and `b` are equal, in a time that does not tell how much of them matched.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A token no other process can guess: 32 random bytes, hex.
pub(crate) fn new_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        use std::fmt::Write as _;
        let _ = write!(s, "{b:02x}");
        s
    }))
}

#[cfg(test)]
mod tests;
