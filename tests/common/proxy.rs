//! A fault-injecting HTTP proxy between sts3 and the local S3+STS service, on loopback only.
//!
//! Every request is forwarded unchanged (same Host, so SigV4 still verifies upstream). What the
//! test asks for is applied on top: a script of per-call STS behaviours (expire the issued token
//! by re-signing it with the service's key, shorten its life, delay, refuse), and S3's real error
//! answer where SeaweedFS rejected a session token: a genuine token past its `exp` gets AWS's
//! `400 ExpiredToken`, any other rejected token `400 InvalidToken`. Whether to reject stays the
//! real server's decision.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use bytes::Bytes;
use chrono::{DateTime, TimeDelta, Utc};
use hmac::{Hmac, Mac};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::Frame;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};
use sha2::Sha256;
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpSocket};

use super::canned::{S3_EXPIRED_TOKEN, S3_INVALID_TOKEN};

/// What to do with one STS call.
#[derive(Debug, Clone)]
pub enum StsStep {
    Pass,
    /// Re-sign the issued token with `exp` in the past; the answer's Expiration is unchanged,
    /// so sts3 believes it valid until the service rejects it.
    ExpireToken,
    /// Make the token (and the answer's Expiration) live only this long.
    ShortLived(Duration),
    /// Hold the answer this long, then pass it.
    Delay(Duration),
    /// Close the connection without answering.
    Refuse,
}

/// What to do with one S3 request.
#[derive(Debug, Clone)]
pub enum S3Step {
    Pass,
    /// Answer S3's own error body without asking the service.
    Error {
        status: u16,
        code: &'static str,
        message: &'static str,
    },
    /// Hold the request this long, then pass it.
    Delay(Duration),
    /// Send the headers and half the body, then drop the connection.
    CutMidBody,
    /// Pass the request to the service, then close the connection without answering: what
    /// a connection cut while S3 was storing a part looks like (stored, and not said).
    DropAnswer,
    /// Pass, with this header of the answer set (`Some`) or removed (`None`); `cut`: then cut
    /// mid-body as `CutMidBody` does.
    Rewrite {
        header: &'static str,
        value: Option<&'static str>,
        cut: bool,
    },
    /// Pass, with the body sent without a `Content-Length` (chunked).
    Unsized,
    /// Pass, with one bit of the body's middle byte flipped: what a bad disk or a broken
    /// middlebox does, and no header says.
    Corrupt,
    /// Answer `RequestTimeTooSkewed`, as if the server's clock were `offset` from ours.
    Skewed(TimeDelta),
    /// Answer `301 PermanentRedirect` with `x-amz-bucket-region: REGION`, as S3 does for a
    /// bucket in another region.
    Redirect(&'static str),
}

impl S3Step {
    pub const SLOW_DOWN: S3Step = S3Step::Error {
        status: 503,
        code: "SlowDown",
        message: "Please reduce your request rate.",
    };
    pub const INTERNAL_ERROR: S3Step = S3Step::Error {
        status: 500,
        code: "InternalError",
        message: "We encountered an internal error. Please try again.",
    };
    pub const ACCESS_DENIED: S3Step = S3Step::Error {
        status: 403,
        code: "AccessDenied",
        message: "Access Denied",
    };
    pub const EXPIRED_TOKEN: S3Step = S3Step::Error {
        status: 400,
        code: "ExpiredToken",
        message: "The provided token has expired.",
    };
    pub const INVALID_TOKEN: S3Step = S3Step::Error {
        status: 400,
        code: "InvalidToken",
        message: "The provided token is malformed or otherwise invalid.",
    };
}

// Each bool is one fault, switched on and off by the tests.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug)]
pub struct Faults {
    /// Consumed one per STS call; `Pass` when empty.
    pub sts_script: VecDeque<StsStep>,
    /// Consumed one per S3 request; `Pass` when empty.
    pub s3_script: VecDeque<S3Step>,
    /// The first S3 request whose method, path and query contain the text gets the step
    /// instead of the script's (each once): for requests sent at once, whose order is not
    /// known.
    pub s3_once: Vec<(String, S3Step)>,
    /// The service is "down": connections are reset, requests on open ones fail.
    pub down: bool,
    /// Refuse every STS call while set.
    pub sts_down: bool,
    /// Turn SeaweedFS's token rejections into S3's real `ExpiredToken` / `InvalidToken`.
    pub aws_token_errors: bool,
    /// Act as a requester-pays bucket: refuse (403 `AccessDenied`, as S3 does) every S3
    /// request that does not agree to pay (`x-amz-request-payer: requester`).
    pub requester_pays: bool,
    /// Added to every request, as a far-away region's round trip would be.
    pub latency: Duration,
    /// Pass S3's successful answers that no step changes on as their bytes come, as a link
    /// does, instead of whole once all are in (which holds back a 64 MiB part until its last
    /// byte): the bench's latency proxy. Such answers are not counted in `s3_body_bytes`.
    pub stream_through: bool,
    /// `METHOD path -> status` for each request.
    pub log: Vec<String>,
    /// Body bytes of each S3 answer passed on whole, by its request's label.
    pub s3_body_bytes: Vec<(String, usize)>,
    /// Every secret access key and session token STS handed out through the proxy.
    pub issued_secrets: Vec<String>,
    /// The `TokenCode` (MFA code) of each STS request that carried one, in order.
    pub token_codes: Vec<String>,
    /// The region each S3 request was signed for (its credential scope), in order.
    pub s3_signing_regions: Vec<String>,
}

pub struct FaultProxy {
    pub url: String,
    faults: Arc<Mutex<Faults>>,
    _runtime: tokio::runtime::Runtime,
}

impl FaultProxy {
    /// Starts the proxy on its own runtime (so sync tests can use it).
    pub fn start(upstream: &str, signing_key_b64: &str) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("proxy runtime");
        let faults = Arc::new(Mutex::new(Faults {
            sts_script: VecDeque::new(),
            s3_script: VecDeque::new(),
            s3_once: Vec::new(),
            down: false,
            sts_down: false,
            aws_token_errors: true,
            requester_pays: false,
            latency: Duration::ZERO,
            stream_through: false,
            log: Vec::new(),
            s3_body_bytes: Vec::new(),
            issued_secrets: Vec::new(),
            token_codes: Vec::new(),
            s3_signing_regions: Vec::new(),
        }));
        let key = STANDARD
            .decode(signing_key_b64)
            .expect("signing key is base64");
        let upstream = upstream.trim_end_matches('/').to_string();
        let listener = runtime
            .block_on(async { bind(SocketAddr::from(([127, 0, 0, 1], 0))) })
            .expect("bind proxy");
        let addr = listener.local_addr().expect("addr");
        let url = format!("http://{addr}");
        let shared = Arc::new(Shared {
            faults: faults.clone(),
            key,
            upstream,
            client: Client::builder(TokioExecutor::new()).build_http(),
        });
        runtime.spawn(serve(listener, addr, shared));
        Self {
            url,
            faults,
            _runtime: runtime,
        }
    }

    pub fn set(&self, f: impl FnOnce(&mut Faults)) {
        f(&mut self.faults.lock().expect("faults lock"));
    }

    pub fn log(&self) -> Vec<String> {
        self.faults.lock().expect("faults lock").log.clone()
    }

    /// Body bytes sent in answer to S3 requests whose label contains `needle`.
    pub fn body_bytes(&self, needle: &str) -> usize {
        let faults = self.faults.lock().expect("faults lock");
        faults
            .s3_body_bytes
            .iter()
            .filter(|(label, _)| label.contains(needle))
            .map(|(_, n)| n)
            .sum()
    }

    /// How many logged requests contain `needle`.
    pub fn count(&self, needle: &str) -> usize {
        self.log().iter().filter(|l| l.contains(needle)).count()
    }

    /// The region each S3 request was signed for, in order.
    pub fn s3_signing_regions(&self) -> Vec<String> {
        self.faults
            .lock()
            .expect("faults lock")
            .s3_signing_regions
            .clone()
    }

    /// The MFA codes STS was sent, in order.
    pub fn token_codes(&self) -> Vec<String> {
        self.faults.lock().expect("faults lock").token_codes.clone()
    }

    pub fn issued_secrets(&self) -> Vec<String> {
        self.faults
            .lock()
            .expect("faults lock")
            .issued_secrets
            .clone()
    }
}

fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = TcpSocket::new_v4()?;
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(128)
}

/// Accepts connections; while the service is "down" each one is reset at once (the port stays
/// ours: nothing else can take it, and no sleep is needed for it to be closed or open).
async fn serve(listener: TcpListener, _addr: SocketAddr, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        if shared.is_down() {
            // A reset, as a stopped service's host would answer on a closed port. (A zero
            // linger never blocks, which is what the deprecation warns of.)
            #[allow(deprecated)]
            let _ = stream.set_linger(Some(Duration::ZERO));
            drop(stream);
            continue;
        }
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| {
                let shared = shared.clone();
                async move { shared.handle(req).await }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

struct Shared {
    faults: Arc<Mutex<Faults>>,
    key: Vec<u8>,
    upstream: String,
    client: Client<HttpConnector, Full<Bytes>>,
}

type Body = BoxBody<Bytes, std::io::Error>;
type Answer = Result<Response<Body>, std::io::Error>;

fn full(bytes: Bytes) -> Body {
    Full::new(bytes).map_err(|never| match never {}).boxed()
}

impl Shared {
    fn is_down(&self) -> bool {
        self.faults.lock().expect("faults lock").down
    }

    async fn handle(&self, req: Request<Incoming>) -> Answer {
        if self.is_down() {
            return Err(std::io::Error::other("the service is down"));
        }
        let (parts, body) = req.into_parts();
        let body = body
            .collect()
            .await
            .map_err(std::io::Error::other)?
            .to_bytes();
        let is_sts = parts.method == hyper::Method::POST
            && parts.uri.path() == "/"
            && body.windows(7).any(|w| w == b"Action=");
        let token = parts
            .headers
            .get("x-amz-security-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if is_sts {
            self.note_token_code(&body);
        } else {
            self.note_signing_region(&parts);
        }
        let label = label_of(&parts);
        let (step, s3_step) = if is_sts {
            (self.next_sts_step(), S3Step::Pass)
        } else {
            (StsStep::Pass, self.next_s3_step(&label))
        };
        let latency = self.faults.lock().expect("faults lock").latency;
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        if let Some(answer) = self.injected(&s3_step, &label) {
            return Ok(answer);
        }
        if let S3Step::Delay(d) = &s3_step {
            tokio::time::sleep(*d).await;
        }
        self.sts_wait(&step, &label).await?;
        let resp = match self.forward(&parts, body).await {
            Ok(r) => r,
            Err(e) => {
                self.record(format!("{label} -> upstream error"));
                return Ok(xml(
                    StatusCode::BAD_GATEWAY,
                    format!("<Error><Code>BadGateway</Code><Message>{e}</Message></Error>"),
                ));
            }
        };
        let passed = !is_sts && matches!(s3_step, S3Step::Pass);
        let resp = match self.streamed(passed, &label, resp) {
            Ok(answer) => return Ok(answer),
            Err(resp) => resp,
        };
        if matches!(s3_step, S3Step::DropAnswer) {
            self.record(format!("{label} -> {} answer dropped", resp.status()));
            return Err(std::io::Error::other("answer dropped by the fault proxy"));
        }
        let (mut rparts, rbody) = resp.into_parts();
        let mut rbody = rbody
            .collect()
            .await
            .map_err(std::io::Error::other)?
            .to_bytes();
        if is_sts && rparts.status == StatusCode::OK {
            rbody = self.rewrite_sts(&step, &rbody);
            self.note_secrets(&rbody);
        }
        if !is_sts
            && let Some(answer) = self.aws_token_answer(rparts.status, &rbody, token.as_deref())
        {
            self.record(format!(
                "{label} -> {} (was {})",
                answer.status(),
                rparts.status
            ));
            return Ok(answer);
        }
        rparts.headers.remove(hyper::header::TRANSFER_ENCODING);
        let (mut rparts, rbody) = match self.reshape(&s3_step, &label, rparts, rbody) {
            Ok(answer) => return Ok(answer),
            Err(unchanged) => unchanged,
        };
        self.record(format!("{label} -> {}", rparts.status));
        if !is_sts {
            self.faults
                .lock()
                .expect("faults lock")
                .s3_body_bytes
                .push((label.clone(), rbody.len()));
        }
        if parts.method != hyper::Method::HEAD {
            // The body is sent whole, with its own length (a HEAD's is the object's).
            rparts.headers.remove(hyper::header::CONTENT_LENGTH);
        }
        Ok(Response::from_parts(rparts, full(rbody)))
    }

    /// The answer passed on as its bytes come, when `stream_through` is set and it is an S3
    /// success (`passed`: no step changes it); else the answer back.
    #[allow(clippy::result_large_err)]
    fn streamed(
        &self,
        passed: bool,
        label: &str,
        resp: Response<Incoming>,
    ) -> Result<Response<Body>, Response<Incoming>> {
        let stream = self.faults.lock().expect("faults lock").stream_through;
        if !(stream && passed && resp.status().is_success()) {
            return Err(resp);
        }
        self.record(format!("{label} -> {} streamed", resp.status()));
        let (mut rparts, rbody) = resp.into_parts();
        rparts.headers.remove(hyper::header::TRANSFER_ENCODING);
        let body = rbody.map_err(std::io::Error::other).boxed();
        Ok(Response::from_parts(rparts, body))
    }

    /// An STS call refused or held as its step says.
    async fn sts_wait(&self, step: &StsStep, label: &str) -> std::io::Result<()> {
        match step {
            StsStep::Refuse => {
                self.record(format!("{label} -> refused"));
                return Err(std::io::Error::other("refused by the fault proxy"));
            }
            StsStep::Delay(d) => tokio::time::sleep(*d).await,
            _ => {}
        }
        Ok(())
    }

    /// The answer as a `CutMidBody`, `Rewrite`, `Unsized` or `Corrupt` step sends it, or the parts back
    /// unchanged.
    #[allow(clippy::result_large_err)]
    fn reshape(
        &self,
        step: &S3Step,
        label: &str,
        mut rparts: hyper::http::response::Parts,
        rbody: Bytes,
    ) -> Result<Response<Body>, (hyper::http::response::Parts, Bytes)> {
        match step {
            S3Step::Rewrite { header, value, cut } => {
                match value {
                    Some(v) => {
                        rparts
                            .headers
                            .insert(*header, hyper::header::HeaderValue::from_static(v));
                    }
                    None => {
                        rparts.headers.remove(*header);
                    }
                }
                if *cut {
                    self.record(format!(
                        "{label} -> {} rewritten, cut mid-body",
                        rparts.status
                    ));
                    return Ok(cut_mid_body(rparts, &rbody));
                }
                self.record(format!("{label} -> {} rewritten", rparts.status));
                rparts.headers.remove(hyper::header::CONTENT_LENGTH);
                Ok(Response::from_parts(rparts, full(rbody)))
            }
            S3Step::Unsized => {
                self.record(format!("{label} -> {} unsized", rparts.status));
                rparts.headers.remove(hyper::header::CONTENT_LENGTH);
                let frames: Vec<Result<Frame<Bytes>, std::io::Error>> =
                    vec![Ok(Frame::data(rbody))];
                Ok(Response::from_parts(
                    rparts,
                    StreamBody::new(futures_util::stream::iter(frames)).boxed(),
                ))
            }
            S3Step::Corrupt => {
                self.record(format!("{label} -> {} corrupt", rparts.status));
                let mut body = rbody.to_vec();
                if let Some(b) = body.get_mut(rbody.len() / 2) {
                    *b ^= 1;
                }
                Ok(Response::from_parts(rparts, full(Bytes::from(body))))
            }
            S3Step::CutMidBody => {
                self.record(format!("{label} -> {} cut mid-body", rparts.status));
                Ok(cut_mid_body(rparts, &rbody))
            }
            _ => Err((rparts, rbody)),
        }
    }

    /// Sends the request on to the service unchanged (same Host, so signatures verify).
    async fn forward(
        &self,
        parts: &hyper::http::request::Parts,
        body: Bytes,
    ) -> Result<Response<Incoming>, Box<dyn std::error::Error + Send + Sync>> {
        let uri = format!(
            "{}{}",
            self.upstream,
            parts.uri.path_and_query().map_or("/", |p| p.as_str())
        );
        let mut upstream_req = Request::builder().method(parts.method.clone()).uri(uri);
        for (name, value) in &parts.headers {
            upstream_req = upstream_req.header(name, value);
        }
        Ok(self
            .client
            .request(upstream_req.body(Full::new(body))?)
            .await?)
    }

    /// S3 answers made up by the proxy, without asking the service.
    fn injected(&self, step: &S3Step, label: &str) -> Option<Response<Body>> {
        let now = sts3::clock::now();
        if let S3Step::Redirect(region) = step {
            self.record(format!("{label} -> injected 301 to {region}"));
            let body = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message><Endpoint>s3.{region}.amazonaws.com</Endpoint></Error>"
            );
            let mut answer = xml(StatusCode::MOVED_PERMANENTLY, body);
            answer.headers_mut().insert(
                "x-amz-bucket-region",
                hyper::header::HeaderValue::from_static(region),
            );
            return Some(answer);
        }
        let (status, body) = match step {
            S3Step::Error {
                status,
                code,
                message,
            } => (
                StatusCode::from_u16(*status).expect("status"),
                format!(
                    "<Error><Code>{code}</Code><Message>{message}</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>"
                ),
            ),
            S3Step::Skewed(offset) => (
                StatusCode::FORBIDDEN,
                format!(
                    "<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message><RequestTime>{}</RequestTime><ServerTime>{}</ServerTime><MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds></Error>",
                    now.format("%Y%m%dT%H%M%SZ"),
                    (now + *offset).format("%Y-%m-%dT%H:%M:%SZ")
                ),
            ),
            _ => return None,
        };
        self.record(format!("{label} -> injected {}", status.as_u16()));
        Some(xml(
            status,
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}"),
        ))
    }

    fn next_s3_step(&self, label: &str) -> S3Step {
        let mut f = self.faults.lock().expect("faults lock");
        if f.requester_pays && !label.contains("x-amz-request-payer=requester") {
            return S3Step::ACCESS_DENIED;
        }
        if let Some(i) = f.s3_once.iter().position(|(text, _)| label.contains(text)) {
            return f.s3_once.remove(i).1;
        }
        f.s3_script.pop_front().unwrap_or(S3Step::Pass)
    }

    fn next_sts_step(&self) -> StsStep {
        let mut f = self.faults.lock().expect("faults lock");
        if f.sts_down {
            return StsStep::Refuse;
        }
        f.sts_script.pop_front().unwrap_or(StsStep::Pass)
    }

    /// Keeps the region an S3 request was signed for (its credential scope).
    fn note_signing_region(&self, parts: &hyper::http::request::Parts) {
        if let Some(region) = parts
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|a| a.split("Credential=").nth(1))
            .and_then(|c| c.split('/').nth(2))
        {
            self.faults
                .lock()
                .expect("faults lock")
                .s3_signing_regions
                .push(region.to_string());
        }
    }

    /// Keeps the MFA code (`TokenCode`) an STS request carries, if any.
    fn note_token_code(&self, body: &Bytes) {
        let form = String::from_utf8_lossy(body);
        if let Some(code) = form
            .split('&')
            .find_map(|pair| pair.strip_prefix("TokenCode="))
        {
            self.faults
                .lock()
                .expect("faults lock")
                .token_codes
                .push(code.to_string());
        }
    }

    fn record(&self, line: String) {
        self.faults.lock().expect("faults lock").log.push(line);
    }

    /// Keeps the secrets an STS answer hands out, for the tests that look for leaks.
    fn note_secrets(&self, body: &Bytes) {
        let text = String::from_utf8_lossy(body).into_owned();
        let secrets = ["SecretAccessKey", "SessionToken"]
            .into_iter()
            .filter_map(|tag| between(&text, &format!("<{tag}>"), &format!("</{tag}>")));
        self.faults
            .lock()
            .expect("faults lock")
            .issued_secrets
            .extend(secrets);
    }

    fn rewrite_sts(&self, step: &StsStep, body: &Bytes) -> Bytes {
        let text = String::from_utf8_lossy(body).into_owned();
        let (exp, xml_expiration) = match step {
            StsStep::ExpireToken => (sts3::clock::now() - TimeDelta::seconds(60), None),
            StsStep::ShortLived(d) => {
                let t = sts3::clock::now() + TimeDelta::from_std(*d).expect("duration");
                (t, Some(t))
            }
            _ => return body.clone(),
        };
        let Some(token) = between(&text, "<SessionToken>", "</SessionToken>") else {
            return body.clone();
        };
        let mut out = text.replace(&token, &self.resign(&token, exp));
        if let (Some(t), Some(old)) = (
            xml_expiration,
            between(&text, "<Expiration>", "</Expiration>"),
        ) {
            out = out.replace(&old, &t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        }
        Bytes::from(out)
    }

    /// The same claims with a new `exp`, signed with the service's key.
    fn resign(&self, token: &str, exp: DateTime<Utc>) -> String {
        let mut parts = token.split('.');
        let (Some(header), Some(payload)) = (parts.next(), parts.next()) else {
            return token.to_string();
        };
        let mut claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("JWT payload"))
                .expect("claims");
        claims["exp"] = serde_json::json!(exp.timestamp());
        let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
        let signing_input = format!("{header}.{payload}");
        format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(self.sign(&signing_input))
        )
    }

    fn sign(&self, input: &str) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("hmac key");
        mac.update(input.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// S3's real answer where the service rejected a session token.
    fn aws_token_answer(
        &self,
        status: StatusCode,
        body: &Bytes,
        token: Option<&str>,
    ) -> Option<Response<Body>> {
        let enabled = self.faults.lock().expect("faults lock").aws_token_errors;
        let token = token?;
        let rejected = status == StatusCode::FORBIDDEN
            && String::from_utf8_lossy(body).contains("<Code>InvalidAccessKeyId</Code>");
        if !enabled || !rejected {
            return None;
        }
        let body = if self.is_genuine_but_expired(token) {
            S3_EXPIRED_TOKEN
        } else {
            S3_INVALID_TOKEN
        };
        Some(xml(StatusCode::BAD_REQUEST, body.to_string()))
    }

    fn is_genuine_but_expired(&self, token: &str) -> bool {
        let Some((signing_input, signature)) = token.rsplit_once('.') else {
            return false;
        };
        let genuine = URL_SAFE_NO_PAD
            .decode(signature)
            .is_ok_and(|sig| sig == self.sign(signing_input));
        let exp = signing_input
            .split('.')
            .nth(1)
            .and_then(|p| URL_SAFE_NO_PAD.decode(p).ok())
            .and_then(|p| serde_json::from_slice::<serde_json::Value>(&p).ok())
            .and_then(|c| c["exp"].as_i64());
        genuine && exp.is_some_and(|e| e < sts3::clock::now().timestamp())
    }
}

/// The headers (with the full length) and half the body, then a broken connection.
/// `GET /bucket/key?query range=bytes=N- if-match="..."`: what the log says of a request.
fn label_of(parts: &hyper::http::request::Parts) -> String {
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map_or(String::new(), |v| format!(" {name}={v}"))
    };
    format!(
        "{} {}{}{}{}{}{}",
        parts.method,
        parts.uri.path(),
        parts.uri.query().map_or(String::new(), |q| format!("?{q}")),
        header("range"),
        header("if-match"),
        header("x-amz-request-payer"),
        header("x-amz-checksum-mode")
    )
}

fn cut_mid_body(mut parts: hyper::http::response::Parts, body: &Bytes) -> Response<Body> {
    parts
        .headers
        .insert(hyper::header::CONTENT_LENGTH, body.len().into());
    let frames: Vec<Result<Frame<Bytes>, std::io::Error>> = vec![
        Ok(Frame::data(body.slice(..body.len() / 2))),
        Err(std::io::Error::other("connection cut by the fault proxy")),
    ];
    Response::from_parts(
        parts,
        StreamBody::new(futures_util::stream::iter(frames)).boxed(),
    )
}

fn between(text: &str, open: &str, close: &str) -> Option<String> {
    let start = text.find(open)? + open.len();
    let len = text[start..].find(close)?;
    Some(text[start..start + len].to_string())
}

fn xml(status: StatusCode, body: String) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", "application/xml")
        .header("x-amz-request-id", "4442587FB7D0A2F9")
        .body(full(Bytes::from(body)))
        .expect("response")
}
