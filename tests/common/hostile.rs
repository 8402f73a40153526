//! A hostile (or merely broken) S3 + STS impersonator on loopback: it answers what the test
//! scripts, signature unchecked. It can put terminal escapes in any string, loop or break
//! pagination, never answer, answer far too much, lie about the time, and redirect.

use super::canned::read_request;
use chrono::{DateTime, TimeDelta, Utc};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

/// What STS answers.
#[derive(Debug, Clone)]
pub enum StsAnswer {
    Credentials {
        access_key: String,
        secret_key: String,
        token: String,
        expires: DateTime<Utc>,
        arn: String,
        /// The `Date` header (HTTP date); `None` for the current time.
        date: Option<DateTime<Utc>>,
    },
    Error {
        status: u16,
        code: String,
        message: String,
    },
    Hang,
}

impl StsAnswer {
    /// Plausible credentials for an hour.
    pub fn good() -> Self {
        StsAnswer::Credentials {
            access_key: "ASIAHOSTILEEXAMPLE01".into(),
            secret_key: "c2VjcmV0LWtleS1vZi10aGUtaG9zdGlsZS1zZXJ2ZXI=".into(),
            token: "dG9rZW4tb2YtdGhlLWhvc3RpbGUtc2VydmVy".into(),
            expires: sts3::clock::now() + TimeDelta::hours(1),
            arn: "arn:aws:sts::123456789012:federated-user/alice".into(),
            date: None,
        }
    }
}

/// One object in a listing page.
#[derive(Debug, Clone)]
pub struct Object {
    pub key: String,
    pub etag: String,
    pub storage_class: String,
}

impl Object {
    pub fn plain(key: &str) -> Self {
        Self {
            key: key.into(),
            etag: "\"9a0364b9e99bb480dd25e1f0284c8555\"".into(),
            storage_class: "STANDARD".into(),
        }
    }
}

/// What S3 answers to a ListObjectsV2.
#[derive(Debug, Clone)]
pub enum S3Answer {
    Page {
        objects: Vec<Object>,
        truncated: bool,
        /// `None`: no `<NextContinuationToken>` element at all.
        next_token: Option<String>,
    },
    Error {
        status: u16,
        code: String,
        message: String,
    },
    /// Any status and body, as given.
    Raw {
        status: u16,
        body: String,
    },
    /// `301 PermanentRedirect` with `x-amz-bucket-region`.
    Redirect {
        region: String,
    },
    Hang,
    /// The n-th S3 request (from 0) gets answer n modulo their number.
    Cycle(Vec<S3Answer>),
}

#[derive(Debug)]
pub struct Script {
    pub sts: StsAnswer,
    pub s3: S3Answer,
    /// Request lines seen (`POST /`, `GET /b?list-type=2...`).
    pub requests: Vec<String>,
}

pub struct Hostile {
    pub url: String,
    script: Arc<Mutex<Script>>,
    _runtime: tokio::runtime::Runtime,
}

impl Hostile {
    pub fn start(sts: StsAnswer, s3: S3Answer) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("hostile runtime");
        let script = Arc::new(Mutex::new(Script {
            sts,
            s3,
            requests: Vec::new(),
        }));
        let listener = runtime
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let shared = script.clone();
        runtime.spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, shared.clone()));
            }
        });
        Self {
            url,
            script,
            _runtime: runtime,
        }
    }

    pub fn requests(&self) -> Vec<String> {
        self.script.lock().expect("script").requests.clone()
    }

    /// How many ListObjectsV2 requests came.
    pub fn list_requests(&self) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.contains("list-type=2"))
            .count()
    }
}

async fn serve(mut stream: TcpStream, script: Arc<Mutex<Script>>) {
    // Keep-alive: answer requests on this connection until it closes.
    loop {
        let Ok(head) = read_request(&mut stream).await else {
            return;
        };
        let Some(line) = head.lines().next().map(str::to_string) else {
            return;
        };
        if line.is_empty() {
            return;
        }
        let (sts, s3) = {
            let mut s = script.lock().expect("script");
            let s3_before = s.requests.iter().filter(|l| !l.starts_with("POST")).count();
            s.requests.push(line.clone());
            let s3 = match &s.s3 {
                S3Answer::Cycle(answers) => answers[s3_before % answers.len()].clone(),
                other => other.clone(),
            };
            (s.sts.clone(), s3)
        };
        let answer = if line.starts_with("POST") {
            sts_answer(&sts)
        } else {
            s3_answer(&s3)
        };
        let Some((status, headers, body)) = answer else {
            // Never answer: hold the connection until the client gives up.
            tokio::time::sleep(std::time::Duration::from_hours(1)).await;
            return;
        };
        let mut head = format!(
            "HTTP/1.1 {status} Whatever\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (k, v) in headers {
            let _ = write!(head, "{k}: {v}\r\n");
        }
        head.push_str("\r\n");
        if stream.write_all(head.as_bytes()).await.is_err()
            || stream.write_all(body.as_bytes()).await.is_err()
        {
            return;
        }
    }
}

type Answer = Option<(u16, Vec<(String, String)>, String)>;

fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn sts_answer(answer: &StsAnswer) -> Answer {
    match answer {
        StsAnswer::Hang => None,
        StsAnswer::Error {
            status,
            code,
            message,
        } => Some((
            *status,
            vec![("Date".into(), http_date(sts3::clock::now()))],
            format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>r</RequestId></ErrorResponse>"
            ),
        )),
        StsAnswer::Credentials {
            access_key,
            secret_key,
            token,
            expires,
            arn,
            date,
        } => Some((
            200,
            vec![(
                "Date".into(),
                http_date(date.unwrap_or_else(sts3::clock::now)),
            )],
            format!(
                "<GetFederationTokenResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetFederationTokenResult><Credentials><SessionToken>{token}</SessionToken><SecretAccessKey>{secret_key}</SecretAccessKey><Expiration>{}</Expiration><AccessKeyId>{access_key}</AccessKeyId></Credentials><FederatedUser><Arn>{arn}</Arn><FederatedUserId>123456789012:alice</FederatedUserId></FederatedUser><PackedPolicySize>6</PackedPolicySize></GetFederationTokenResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetFederationTokenResponse>",
                expires.format("%Y-%m-%dT%H:%M:%SZ")
            ),
        )),
    }
}

fn s3_answer(answer: &S3Answer) -> Answer {
    match answer {
        S3Answer::Hang | S3Answer::Cycle(_) => None,
        S3Answer::Error {
            status,
            code,
            message,
        } => Some((
            *status,
            vec![],
            format!("<Error><Code>{code}</Code><Message>{message}</Message></Error>"),
        )),
        S3Answer::Raw { status, body } => Some((*status, vec![], body.clone())),
        S3Answer::Redirect { region } => Some((
            301,
            vec![("x-amz-bucket-region".into(), region.clone())],
            format!(
                "<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message><Endpoint>s3.{region}.amazonaws.com</Endpoint></Error>"
            ),
        )),
        S3Answer::Page {
            objects,
            truncated,
            next_token,
        } => {
            let mut contents = String::new();
            for o in objects {
                let _ = write!(
                    contents,
                    "<Contents><Key>{}</Key><LastModified>2026-11-20T09:00:00.000Z</LastModified><ETag>{}</ETag><Size>3</Size><StorageClass>{}</StorageClass></Contents>",
                    o.key, o.etag, o.storage_class
                );
            }
            let token = next_token
                .as_ref()
                .map(|t| format!("<NextContinuationToken>{t}</NextContinuationToken>"))
                .unwrap_or_default();
            Some((
                200,
                vec![],
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>b-1</Name><Prefix></Prefix><KeyCount>{}</KeyCount><MaxKeys>1000</MaxKeys><EncodingType>url</EncodingType><IsTruncated>{truncated}</IsTruncated>{token}{contents}</ListBucketResult>",
                    objects.len()
                ),
            ))
        }
    }
}
