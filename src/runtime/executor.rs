//! Carries out effects: spawns STS and S3 calls and turns their results into messages. Owns the
//! secrets between issue and use, the one listing task and the one object request (a new one
//! aborts the old), and the one download (its `.part` removed when it is cancelled).

use super::cloud::{Cloud, with_s3};
use super::event::{Event, Report};
use super::sharing::Sharing;
use crate::app::customer_key::GivenKey;
use crate::app::{Effect, Generation, Msg, ObjectFetch, RequestId};
use crate::aws::{Issued, ObjectStore, Walked, walk_listing};
use crate::bucket::split::Plan;
use crate::bucket::{ListPage, PageRequest};
use crate::credentials::{Mode, SecretCredentials};
use crate::failure::{AwsFailure, ErrorKind};
use crate::object::download::{Split, keep_both, part_path};
use crate::object::sse_c::CustomerKey;
use crate::serve::env::Vars;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// A download in the background: its task, the way to tell it to resume, its `.part`.
struct DownloadTask {
    request: RequestId,
    task: JoinHandle<()>,
    resume: mpsc::UnboundedSender<()>,
    part: PathBuf,
}

pub(crate) struct Executor {
    cloud: Arc<dyn Cloud>,
    pending: HashMap<Generation, (Mode, SecretCredentials)>,
    installed: Option<Generation>,
    list_task: Option<JoinHandle<()>>,
    /// The one detail or preview request (a newer one replaces it).
    object_task: Option<JoinHandle<()>>,
    download: Option<DownloadTask>,
    /// The saves of many objects under way.
    saves: Option<super::saves::SavesTask>,
    /// The batch under way (a folder put, a batch copy), and what stops it.
    batch_stop: Option<(RequestId, crate::aws::Stop)>,
    /// Each TUI write's word to go on after a refused request (dropped: give up): an upload's,
    /// a copy's, a batch's. Those whose write ended are let go when another comes.
    resumes: Vec<(RequestId, tokio::sync::watch::Sender<u64>)>,
    clipboard: Box<dyn Fn(&str) + Send>,
    tx: mpsc::UnboundedSender<Event>,
    /// The endpoint that shares the credentials in use, when asked for.
    sharing: Sharing,
}

/// Copies the TUI makes at once for many objects.
const COPIES_AT_ONCE: usize = 4;

impl Executor {
    pub(crate) fn new(cloud: Arc<dyn Cloud>, tx: mpsc::UnboundedSender<Event>) -> Self {
        Self {
            cloud,
            pending: HashMap::new(),
            installed: None,
            list_task: None,
            object_task: None,
            download: None,
            saves: None,
            batch_stop: None,
            resumes: Vec::new(),
            clipboard: Box::new(|_| {}),
            tx,
            sharing: Sharing::default(),
        }
    }

    /// Where background results go (a shell's end, say).
    pub(crate) fn sender(&self) -> mpsc::UnboundedSender<Event> {
        self.tx.clone()
    }

    /// The variables a shell gets to use the shared session, while it is shared.
    pub(crate) fn shared_vars(&self) -> Option<Vars> {
        self.sharing.vars()
    }

    /// Where `CopyToClipboard` goes (the terminal, in the real runtime).
    pub(crate) fn with_clipboard(mut self, clipboard: Box<dyn Fn(&str) + Send>) -> Self {
        self.clipboard = clipboard;
        self
    }

    fn send(&self, msg: Msg) {
        let _ = self.tx.send(Event(Report::App(msg)));
    }

    /// Makes `call` with the S3 client in use (a no-credentials failure before there is one) on
    /// a task of its own, and answers with `answer` of its result.
    fn spawn_s3<T, F, Fut, A>(&self, call: F, answer: A) -> JoinHandle<()>
    where
        T: Send + 'static,
        F: FnOnce(Arc<dyn ObjectStore>) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = Result<T, AwsFailure>> + Send,
        A: FnOnce(Result<T, AwsFailure>) -> Msg + Send + 'static,
    {
        let s3 = self.cloud.s3();
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let msg = answer(with_s3(s3, call).await);
            let _ = tx.send(Event(Report::App(msg)));
        })
    }

    /// Reads the SSE-C key given for `key` (from its file, in a blocking task: a file may be
    /// slow) and hands it to the cloud; answers with `CustomerKeyTaken`. The key itself goes
    /// nowhere else.
    fn give_customer_key(&self, (bucket, key): (String, String), given: GivenKey) {
        let cloud = self.cloud.clone();
        let tx = self.tx.clone();
        tokio::task::spawn_blocking(move || {
            let secret = match &given {
                GivenKey::File(path) => {
                    crate::transfer::read_key_file(&super::paths::expanded(path))
                }
                GivenKey::Typed(line) => CustomerKey::from_typed(line.secret()),
            };
            let result = secret.map(|secret| cloud.give_customer_key(&bucket, &key, secret));
            let msg = Msg::CustomerKeyTaken {
                bucket,
                key,
                result,
            };
            let _ = tx.send(Event(Report::App(msg)));
        });
    }

    /// A background report as a message for the app; a secret that came with it is kept here.
    pub(crate) fn accept(&mut self, event: Event) -> Msg {
        match event.0 {
            Report::App(msg) => msg,
            Report::Shared(result) => Msg::SharingStarted {
                result: self.sharing.started(result),
            },
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
            // The loop gives the terminal away itself for these.
            Effect::Quit | Effect::Suspend | Effect::EditPolicy { .. } | Effect::RunShell => {}
            Effect::StartSharing {
                region,
                endpoint_url,
                key,
            } => self
                .sharing
                .start(region, endpoint_url, key, &self.tx, |r| {
                    Event(Report::Shared(r))
                }),
            Effect::ShareTarget { key } => self.sharing.rename(key),
            Effect::StopSharing => self.sharing.stop(),
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
            listing @ (Effect::ListPage { .. }
            | Effect::WalkListing { .. }
            | Effect::StopListing) => self.run_listing(listing),
            Effect::SetBases { bases } => self.cloud.set_bases(bases),
            Effect::SetS3Region { region } => self.cloud.set_s3_region(region),
            Effect::ChargeRequester { on } => self.cloud.charge_requester(on),
            Effect::GiveCustomerKey { bucket, key, given } => {
                self.give_customer_key((bucket, key), given);
            }
            lab @ (Effect::CheckAccess { .. }
            | Effect::ReadUserPolicies { .. }
            | Effect::ListBuckets { .. }
            | Effect::ReadVersioning { .. }
            | Effect::RememberBuckets { .. }) => self.run_lab(lab),
            versions @ (Effect::ListVersions { .. }
            | Effect::RestoreObject { .. }
            | Effect::RestoreVersion { .. }) => self.run_versions(versions),
            saves @ (Effect::SaveObjects { .. }
            | Effect::ResumeSaves { .. }
            | Effect::GiveUpSaves { .. }
            | Effect::CancelSaves { .. }) => self.run_saves(saves),
            upload @ (Effect::Upload { .. } | Effect::UploadFolder { .. }) => {
                self.run_upload(upload);
            }
            // Any write's word after a refused request: an upload's, a copy's, a batch's.
            Effect::ResumeWrite { request } => {
                if let Some((_, resume)) = self.resumes.iter().find(|(r, _)| *r == request) {
                    resume.send_modify(|words| *words += 1);
                }
            }
            Effect::GiveUpWrite { request } => self.resumes.retain(|(r, _)| *r != request),
            Effect::StopBatch { request } => {
                if let Some((_, stop)) = self.batch_stop.as_ref().filter(|(r, _)| *r == request) {
                    stop.store(true, std::sync::atomic::Ordering::SeqCst);
                }
            }
            write @ (Effect::CompletePath { .. }
            | Effect::CreateFolder { .. }
            | Effect::ListUnfinished { .. }
            | Effect::AbortUploads { .. }
            | Effect::CopyObject { .. }
            | Effect::CopyObjects { .. }
            | Effect::ListUnder { .. }
            | Effect::DeleteObjects { .. }) => self.run_write(write),
            other => self.run_object(other),
        }
    }

    /// Runs an effect of versions and archives: a page of versions, a version made current
    /// again, an archived object restored.
    fn run_versions(&mut self, effect: Effect) {
        match effect {
            Effect::ListVersions { request, page, .. } => {
                self.spawn_s3(
                    move |s3| async move { s3.list_versions(&page).await },
                    move |result| Msg::VersionsListed { request, result },
                );
            }
            Effect::RestoreObject {
                request,
                bucket,
                key,
                days,
                tier,
                ..
            } => {
                self.spawn_s3(
                    move |s3| async move { s3.restore_object(&bucket, &key, days, tier).await },
                    move |result| Msg::RestoreAnswered { request, result },
                );
            }
            Effect::RestoreVersion {
                request,
                bucket,
                key,
                version,
                undelete,
                part_size,
                ..
            } => {
                self.spawn_s3(
                    move |s3| async move {
                        s3.restore_version(&bucket, (&key, &version), undelete, part_size)
                            .await
                    },
                    move |result| Msg::VersionRestored { request, result },
                );
            }
            _ => {}
        }
    }

    /// Runs an effect of the saves of many objects: start them, resume them after a refusal,
    /// give them up, or cancel them.
    fn run_saves(&mut self, effect: Effect) {
        let ours = |saves: &super::saves::SavesTask, request: RequestId| saves.request == request;
        match effect {
            Effect::SaveObjects {
                request,
                bucket,
                items,
                dir,
                split,
                ..
            } => {
                if let Some(old) = self.saves.take() {
                    old.cancel();
                }
                let Some(s3) = self.cloud.s3() else {
                    self.send(Msg::SavesFinished { request });
                    return;
                };
                self.saves = Some(super::saves::start(
                    s3,
                    request,
                    (bucket, items),
                    (dir, split),
                    self.tx.clone(),
                ));
            }
            Effect::ResumeSaves { request } => {
                if let Some(resume) = self
                    .saves
                    .as_ref()
                    .filter(|s| ours(s, request))
                    .and_then(|s| s.resume.as_ref())
                {
                    resume.send_modify(|words| *words += 1);
                }
            }
            Effect::GiveUpSaves { request } => {
                if let Some(saves) = self.saves.as_mut().filter(|s| ours(s, request)) {
                    saves.resume = None;
                }
            }
            Effect::CancelSaves { request } => {
                if let Some(saves) = self.saves.take_if(|s| ours(s, request)) {
                    saves.cancel();
                }
            }
            _ => {}
        }
    }

    /// Runs a listing effect: one page, a walk to the end, or stopping the one listing task.
    fn run_listing(&mut self, effect: Effect) {
        match effect {
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
            Effect::WalkListing {
                request,
                generation,
                page,
                chains,
            } => {
                debug_assert_eq!(self.installed, Some(generation));
                self.walk(request, &page, chains);
            }
            Effect::StopListing => {
                if let Some(task) = self.list_task.take() {
                    task.abort();
                }
            }
            _ => {}
        }
    }

    /// Lists every page from `page` to the end over `chains` chains of requests, handing
    /// them on in order (the latest listing wins: an older one is stopped).
    fn walk(&mut self, request: RequestId, page: &PageRequest, chains: usize) {
        if let Some(task) = self.list_task.take() {
            task.abort(); // latest wins
        }
        let plan = Plan::new(page, chains);
        let (cloud, tx) = (self.cloud.clone(), self.tx.clone());
        self.list_task = Some(tokio::spawn(async move {
            let send = |msg| tx.send(Event(Report::App(msg))).is_ok();
            let walked = walk_listing(
                plan,
                |page| cloud.list_page(page),
                |page| {
                    send(Msg::WalkPage {
                        request,
                        page,
                        done: false,
                    })
                },
            )
            .await;
            match walked {
                Ok(Walked::ToTheEnd) => send(Msg::WalkPage {
                    request,
                    page: ListPage::default(),
                    done: true,
                }),
                Ok(Walked::Stopped) => false,
                Err(failure) => send(Msg::PageFailed { request, failure }),
            };
        }));
    }

    /// Runs an effect on one object: detail, preview, presign, download.
    fn run_object(&mut self, effect: Effect) {
        match effect {
            Effect::FetchObject {
                request,
                bucket,
                key,
                version,
                what,
                ..
            } => self.fetch_object(request, (bucket, key, version), what),
            Effect::Presign {
                request,
                bucket,
                key,
                version,
                secs,
                ..
            } => {
                self.spawn_s3(
                    move |s3| async move {
                        s3.presign(&bucket, &key, version.as_deref(), secs).await
                    },
                    move |result| match result {
                        Ok(url) => Msg::Presigned { request, url },
                        Err(failure) => Msg::ObjectFailed { request, failure },
                    },
                );
            }
            Effect::CheckDownloadTarget { request, path } => {
                let exists = path.exists();
                let keep_both = keep_both(&path, Path::exists);
                self.send(Msg::DownloadTargetChecked {
                    request,
                    exists,
                    keep_both,
                });
            }
            Effect::Download {
                request,
                bucket,
                key,
                version,
                path,
                split,
                ..
            } => self.download(request, (bucket, key, version), path, split),
            Effect::ResumeDownload { request } => self.resume_download(request),
            Effect::CancelDownload { request } => self.cancel_download(request),
            Effect::CopyToClipboard { text } => (self.clipboard)(&text),
            // Not an object's: run by `run`.
            _ => {}
        }
    }

    /// The stalled download may go on.
    fn resume_download(&self, request: RequestId) {
        if let Some(d) = self.download.as_ref().filter(|d| d.request == request) {
            let _ = d.resume.send(());
        }
    }

    /// Stops the download and removes its `.part`.
    fn cancel_download(&mut self, request: RequestId) {
        if let Some(d) = self.download.take_if(|d| d.request == request) {
            d.task.abort();
            crate::transfer::discard(&d.part);
        }
    }

    /// Runs an upload's effect: a file or a folder (listed first) put.
    fn run_upload(&mut self, effect: Effect) {
        match effect {
            Effect::Upload {
                request,
                bucket,
                key,
                path,
                only_new,
                part_size,
                folder_only,
                ..
            } => {
                let path = super::paths::expanded(&path);
                if path.is_dir() {
                    self.plan_folder(request, &key, path);
                } else if folder_only {
                    self.send(Msg::UploadIsFile { request });
                } else {
                    self.upload(request, (bucket, key), path, only_new, part_size);
                }
            }
            Effect::UploadFolder {
                request,
                bucket,
                files,
                part_size,
                ..
            } => self.upload_folder(request, bucket, files, part_size),
            _ => {}
        }
    }

    /// Runs an effect that writes (or lists for a write): new folder, copy, delete, the
    /// unfinished uploads; and the local path's completion.
    fn run_write(&mut self, effect: Effect) {
        match effect {
            Effect::CreateFolder {
                request,
                bucket,
                key,
                ..
            } => {
                self.spawn_s3(
                    move |s3| async move { s3.create_folder(&bucket, &key).await },
                    move |result| Msg::FolderCreated { request, result },
                );
            }
            Effect::ListUnfinished {
                request,
                bucket,
                prefix,
                ..
            } => {
                self.spawn_s3(
                    move |s3| async move { s3.unfinished(&bucket, &prefix).await },
                    move |result| Msg::UnfinishedListed { request, result },
                );
            }
            Effect::AbortUploads {
                request,
                bucket,
                uploads,
                ..
            } => {
                // Without S3 to ask, every one is refused with why.
                let keys: Vec<String> = uploads.iter().map(|(key, _)| key.clone()).collect();
                self.spawn_s3(
                    move |s3| async move { Ok(s3.abort_all(&bucket, &uploads).await) },
                    move |result| Msg::UploadsAborted {
                        request,
                        refused: result.unwrap_or_else(|failure| {
                            keys.into_iter().map(|k| (k, failure.clone())).collect()
                        }),
                    },
                );
            }
            Effect::CopyObjects {
                request,
                bucket,
                pairs,
                moving,
                part_size,
                ..
            } => self.copy_many(request, bucket, pairs, (moving, part_size)),
            Effect::CopyObject {
                request,
                bucket,
                from,
                to,
                only_new,
                moving,
                part_size,
                ..
            } => {
                let renewing = self.renewing(request);
                self.spawn_s3(
                    move |s3| async move {
                        let (from_to, how) = ((from.as_str(), to.as_str()), (only_new, moving));
                        s3.copy_within(&bucket, from_to, how, part_size, renewing)
                            .await
                    },
                    move |result| Msg::ObjectCopied { request, result },
                );
            }
            Effect::ListUnder {
                request,
                bucket,
                prefix,
                chains,
                ..
            } => self.list_under(request, bucket, prefix, chains),
            Effect::DeleteObjects {
                request,
                bucket,
                keys,
                ..
            } => self.delete(request, bucket, keys),

            Effect::CompletePath { text } => self.send(Msg::PathCompleted {
                text: super::paths::complete(&text),
            }),
            _ => {}
        }
    }

    /// Puts one file; its answer comes as `Uploaded`.
    fn upload(
        &mut self,
        request: RequestId,
        (bucket, key): (String, String),
        path: PathBuf,
        only_new: bool,
        part_size: u64,
    ) {
        let renewing = self.renewing(request);
        self.spawn_s3(
            move |s3| async move {
                s3.put(&bucket, (&key, &path), only_new, part_size, renewing)
                    .await
            },
            move |result| Msg::Uploaded { request, result },
        );
    }

    /// A refused request of the write `request` is the model's to decide: it hears of it,
    /// and says go on (or, dropping the sender, give up).
    fn renewing(&mut self, request: RequestId) -> crate::aws::Renewing {
        let tx = self.tx.clone();
        let (renewing, resume) = crate::aws::Renewing::new(move |failure| {
            let _ = tx.send(Event::app(Msg::WriteStalled { request, failure }));
        });
        // A write that ended dropped its renewing: its word is no longer heard.
        self.resumes.retain(|(_, resume)| !resume.is_closed());
        self.resumes.push((request, resume));
        renewing
    }

    /// The folder at `path` was given to put as `key`: its files are listed (off the loop)
    /// for the model to ask about; nothing is sent.
    fn plan_folder(&self, request: RequestId, key: &str, path: std::path::PathBuf) {
        // The folder goes under its own name in the folder `key` is in.
        let dest = crate::bucket::folder_of(key).to_string();
        let tx = self.tx.clone();
        tokio::task::spawn_blocking(move || {
            let mut skipped_links = 0;
            let msg = match crate::transfer::plan::plan(&[path], &dest, false, &mut skipped_links) {
                Ok(planned) => Msg::UploadIsFolder {
                    request,
                    files: planned
                        .into_iter()
                        .map(|p| (p.key, p.path, p.size))
                        .collect(),
                    skipped_links,
                },
                Err(why) => Msg::Uploaded {
                    request,
                    result: Err(AwsFailure::new(ErrorKind::Other, None, why)),
                },
            };
            let _ = tx.send(Event::app(msg));
        });
    }

    /// Puts a folder's files; their bytes come as `UploadProgressed`, their outcomes as
    /// `FolderUploaded`.
    fn upload_folder(
        &mut self,
        request: RequestId,
        bucket: String,
        files: Vec<(String, std::path::PathBuf)>,
        part_size: u64,
    ) {
        let renewing = self.renewing(request);
        let tx = self.tx.clone();
        let sent: Arc<dyn Fn(Option<u64>) + Send + Sync> = Arc::new(move |sent| {
            let _ = tx.send(Event::app(Msg::UploadProgressed { request, sent }));
        });
        let stop = self.batch_stop(request);
        self.spawn_s3(
            move |s3| async move {
                Ok(s3
                    .put_files(&bucket, files, part_size, renewing, sent, stop)
                    .await)
            },
            move |result| match result {
                Ok(results) => Msg::FolderUploaded { request, results },
                Err(failure) => Msg::Uploaded {
                    request,
                    result: Err(failure),
                },
            },
        );
    }

    /// Copies each (source, destination) a few at once, never over an existing key (a move
    /// deletes each source once its copy is stored), until stopped: each answered as
    /// `CopiesProgressed`, all as `ObjectsCopied`.
    fn copy_many(
        &mut self,
        request: RequestId,
        bucket: String,
        pairs: Vec<(String, String)>,
        (moving, part_size): (bool, u64),
    ) {
        use futures_util::StreamExt as _;
        let tx = self.tx.clone();
        let stop = self.batch_stop(request);
        let renewing = self.renewing(request);
        self.spawn_s3(
            move |s3| async move {
                let bucket = &bucket;
                let results = crate::aws::until_stopped(pairs, stop)
                    .map(|(from, to)| {
                        let (s3, tx, renewing) = (s3.clone(), tx.clone(), renewing.clone());
                        async move {
                            let result = s3
                                .copy_within(
                                    bucket,
                                    (&from, &to),
                                    (true, moving),
                                    part_size,
                                    renewing,
                                )
                                .await;
                            let _ = tx.send(Event::app(Msg::CopiesProgressed { request }));
                            (from, to, result)
                        }
                    })
                    .buffer_unordered(COPIES_AT_ONCE)
                    .collect()
                    .await;
                Ok(results)
            },
            move |result| Msg::ObjectsCopied { request, result },
        );
    }

    /// What stops the batch `request` (a new batch's replaces an older one's).
    fn batch_stop(&mut self, request: RequestId) -> crate::aws::Stop {
        let stop = crate::aws::Stop::default();
        self.batch_stop = Some((request, stop.clone()));
        stop
    }

    /// Lists every object under `prefix` (keys and sizes, in key order) over `chains` chains
    /// of requests, for a folder's deletion.
    fn list_under(&mut self, request: RequestId, bucket: String, prefix: String, chains: usize) {
        let page = PageRequest {
            bucket,
            prefix,
            continuation_token: None,
            token_after: None,
            start_after: None,
            max_keys: 1000,
            folders: false,
        };
        let plan = Plan::new(&page, chains);
        let (cloud, tx) = (self.cloud.clone(), self.tx.clone());
        tokio::spawn(async move {
            let mut objects = Vec::new();
            let walked = walk_listing(
                plan,
                |page| cloud.list_page(page),
                |page| {
                    objects.extend(page.objects.iter().map(|o| (o.key.to_string(), o.size)));
                    true
                },
            )
            .await;
            let result = walked.map(|_| objects);
            let _ = tx.send(Event(Report::App(Msg::ListedUnder { request, result })));
        });
    }

    /// Deletes objects; the answer comes as `ObjectsDeleted`.
    fn delete(&mut self, request: RequestId, bucket: String, keys: Vec<String>) {
        self.spawn_s3(
            move |s3| async move { s3.delete(&bucket, &keys).await },
            move |result| Msg::ObjectsDeleted { request, result },
        );
    }

    /// Asks for an object's detail or its first bytes (the latest ask wins: an older one is
    /// stopped).
    fn fetch_object(
        &mut self,
        request: RequestId,
        (bucket, key, version): (String, String, Option<String>),
        what: ObjectFetch,
    ) {
        if let Some(task) = self.object_task.take() {
            task.abort(); // latest wins
        }
        self.object_task = Some(match what {
            ObjectFetch::Detail => self.spawn_s3(
                move |s3| async move { s3.head(&bucket, &key, version.as_deref()).await },
                move |result| match result {
                    Ok(detail) => Msg::DetailLoaded {
                        request,
                        detail: Box::new(detail),
                    },
                    Err(failure) => Msg::ObjectFailed { request, failure },
                },
            ),
            ObjectFetch::Preview { max_bytes } => self.spawn_s3(
                move |s3| async move {
                    s3.first_bytes(&bucket, &key, version.as_deref(), max_bytes)
                        .await
                },
                move |result| match result {
                    Ok((bytes, size)) => Msg::PreviewLoaded {
                        request,
                        bytes,
                        size,
                    },
                    Err(failure) => Msg::ObjectFailed { request, failure },
                },
            ),
        });
    }

    /// Starts streaming an object into `path` (through `path.part`).
    fn download(
        &mut self,
        request: RequestId,
        (bucket, key, version): (String, String, Option<String>),
        path: PathBuf,
        split: Split,
    ) {
        if let Some(old) = self.download.take() {
            old.task.abort();
            crate::transfer::discard(&old.part);
        }
        let part = part_path(&path);
        let Some(s3) = self.cloud.s3() else {
            self.send(Msg::DownloadFinished {
                request,
                result: Err("no temporary credentials are in use yet".into()),
            });
            return;
        };
        let (resume, resumed) = mpsc::unbounded_channel();
        let tx = self.tx.clone();
        let task_part = part.clone();
        let task = tokio::spawn(async move {
            let result = super::saving::save(
                s3.as_ref(),
                crate::transfer::Source {
                    bucket: &bucket,
                    key: &key,
                    version: version.as_deref(),
                },
                (&path, &task_part),
                split,
                (request, &tx),
                resumed,
            )
            .await;
            // What a failure left that the next download of the object resumes is kept.
            if result.is_err() && !crate::transfer::resumable(&task_part) {
                crate::transfer::discard(&task_part);
            }
            let _ = tx.send(Event(Report::App(Msg::DownloadFinished {
                request,
                result,
            })));
        });
        self.download = Some(DownloadTask {
            request,
            task,
            resume,
            part,
        });
    }

    fn use_credentials(&mut self, generation: Generation) {
        let Some((mode, secret)) = self.pending.remove(&generation) else {
            return;
        };
        self.cloud.use_credentials(mode, generation, &secret);
        self.installed = Some(generation);
        self.sharing.use_set(secret);
        self.pending.retain(|g, _| *g > generation);
    }
}

impl Drop for Executor {
    fn drop(&mut self) {
        if let Some(task) = self.list_task.take() {
            task.abort();
        }
        if let Some(task) = self.object_task.take() {
            task.abort();
        }
        if let Some(saves) = self.saves.take() {
            saves.cancel();
        }
        if let Some(d) = self.download.take() {
            d.task.abort();
            crate::transfer::discard(&d.part);
        }
    }
}

impl Executor {
    /// Runs a policy-lab or bucket-picker effect: the access check's calls, the user's policy
    /// files, ListBuckets, the recent buckets.
    fn run_lab(&mut self, effect: Effect) {
        match effect {
            Effect::CheckAccess {
                request,
                bucket,
                probes,
                ..
            } => {
                let asked = probes.len();
                self.spawn_s3(
                    move |s3| async move {
                        let mut answers = Vec::with_capacity(probes.len());
                        for probe in &probes {
                            answers.push(s3.probe(&bucket, probe).await);
                        }
                        Ok(answers)
                    },
                    move |result| Msg::AccessChecked {
                        request,
                        // Without S3 (no credentials yet) each call fails alike.
                        answers: result.unwrap_or_else(|failure| vec![Err(failure); asked]),
                    },
                );
            }
            Effect::ReadUserPolicies { dir } => {
                let files = read_policy_files(&dir);
                self.send(Msg::UserPoliciesRead { files });
            }
            Effect::ListBuckets { request, .. } => {
                self.spawn_s3(
                    |s3| async move { s3.list_buckets().await },
                    move |result| Msg::BucketsListed { request, result },
                );
            }
            Effect::ReadVersioning {
                request, bucket, ..
            } => {
                self.spawn_s3(
                    move |s3| async move { s3.versioning(&bucket).await },
                    move |result| Msg::VersioningRead { request, result },
                );
            }
            Effect::RememberBuckets { names } => {
                if let Err(error) = crate::settings::recent::write(&names) {
                    tracing::debug!(%error, "recent buckets not saved");
                }
            }
            _ => {}
        }
    }
}

/// The largest policy file worth reading: STS takes 2,048 characters, pretty text a few times
/// that.
const POLICY_FILE_MAX_BYTES: u64 = 64 * 1024;

/// The `*.json` files in `dir` (`name`, text), in name order; a missing folder has none, and a
/// file that cannot be read is left out (and logged).
pub(crate) fn read_policy_files(dir: &Path) -> Vec<(String, String)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<(String, String)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter(|e| {
            e.metadata()
                .is_ok_and(|m| m.is_file() && m.len() <= POLICY_FILE_MAX_BYTES)
        })
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            match std::fs::read_to_string(e.path()) {
                Ok(text) => Some((name, text)),
                Err(error) => {
                    tracing::debug!(%name, %error, "policy file unreadable");
                    None
                }
            }
        })
        .collect();
    files.sort();
    files
}
