//! The TUI model: `App::update(msg, now) -> Vec<Effect>`. Synchronous and deterministic: no
//! tokio, no AWS SDK, no terminal. Messages are past-tense facts; effects are commands for the
//! runtime. Every request carries a [`RequestId`] and every credential set a [`Generation`];
//! answers for old ones are dropped.

pub(crate) mod buckets;
pub(crate) mod copy;
pub(crate) mod ctx;
pub(crate) mod customer_key;
pub(crate) mod delete;
pub(crate) mod fetch;
pub(crate) mod folder;
pub(crate) mod goto;
pub(crate) mod history;
mod input;
pub(crate) mod lab;
pub(crate) mod layers;
pub(crate) mod listing;
mod mouse;
mod msg;
pub(crate) mod object;
pub(crate) mod picker;
pub(crate) mod policy;
pub(crate) mod profiles;
pub(crate) mod region;
pub(crate) mod saves;
pub(crate) mod session;
pub(crate) mod share;
pub(crate) mod unarchive;
pub(crate) mod unfinished;
pub(crate) mod upload;
pub(crate) mod versioning;
pub(crate) mod versions;

pub(crate) use msg::{Area, Effect, Generation, Layout, MouseInput, Msg, ObjectFetch, RequestId};
pub(crate) use session::clock_offset_text;
// Tests drop the effects of the updates whose state is all they look at.
#[cfg(test)]
#[allow(unused_must_use)]
mod tests;

use crate::credentials::Mode;
use crate::keymap::Keymap;
use crate::settings::{Config, Settings, Target};
use chrono::{DateTime, TimeDelta, Utc};
use ctx::with;
use listing::{Listing, Which};
use object::ObjectActions;
use policy::PolicyState;
use session::SessionState;

/// Which pane keys go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Focus {
    Objects,
    Session,
    Policy,
}

/// A transient message in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Notice {
    pub(crate) text: String,
    pub(crate) level: Level,
    pub(crate) until: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Info,
    Warn,
    Error,
}

/// A line being typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Input {
    Filter {
        text: String,
    },
    Mfa {
        mode: Mode,
        code: String,
        error: Option<String>,
    },
    /// The download's file exists: overwrite, keep both, or cancel?
    Overwrite,
    /// The session is shared: quit anyway (and stop sharing)?
    ConfirmQuit,
    /// Delete the object? (`deletes` knows which.)
    ConfirmDelete,
    /// The local path of a file to put in the folder shown (`U`).
    Upload {
        text: String,
    },
    /// The key being put exists: overwrite it? (`uploads` knows which.)
    ConfirmPut,
    /// A path to go to (`:`): `s3://bucket/prefix`, `/from/the/root` or `relative/`.
    GoTo {
        text: String,
    },
    /// Many objects to delete: the bucket's name, typed to confirm.
    TypeToDelete {
        text: String,
    },
    /// The name of a new folder (`N`).
    NewFolder {
        text: String,
    },
    /// Where the object `from` is copied or moved (`C`, `R`), typed.
    CopyTo {
        from: String,
        text: String,
        moving: bool,
    },
    /// The copy's destination exists: overwrite it? (`copies` knows which.)
    ConfirmCopy,
    /// The folder the marked objects (or the folder under the cursor) go to, typed.
    CopyManyTo {
        text: String,
        moving: bool,
    },
    /// Copy or move the many objects? (`copies` knows which.)
    ConfirmCopyMany,
    /// Save the many objects asked about? `y` saves them.
    ConfirmSaveMany,
    /// Abort the unfinished uploads shown? (`leftovers` knows which.)
    ConfirmAbort,
    /// Put the folder's files listed? (`uploads` knows which.)
    ConfirmFolderPut,
    /// Make the version selected current again, or undelete its key? (`versions` knows.)
    ConfirmRestore,
    /// Restore the archived object at which tier? (`unarchive` knows which.)
    ConfirmUnarchive,
    /// The SSE-C key of the object `key` in the bucket shown, typed (masked) or `@FILE`.
    CustomerKey {
        key: String,
        text: customer_key::Masked,
    },
}

/// Who pays for S3 reads: the bucket's owner, or (a requester-pays bucket asks it) this
/// account, every read saying so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Payer {
    Owner,
    Requester,
}

/// How long notices stay up.
pub(crate) const NOTICE_SECS: i64 = 4;

/// How often a spinner turns while something is in flight.
const SPINNER_MILLIS: i64 = 100;

/// Requests at once (`G` listing every page, a batch, a download's parts), unless the config's
/// `parallel` says.
pub(crate) const AT_ONCE: usize = 8;

/// Requests at once: the config's `parallel`, else [`AT_ONCE`].
pub(crate) fn at_once(config: &Config) -> usize {
    config.list.parallel.unwrap_or(AT_ONCE)
}

/// The parts that wait for credentials (see [`App::credentials_arrived`]).
/// A part's answer to "new credentials are in use".
type Arrived = fn(&mut App, DateTime<Utc>) -> Vec<Effect>;

const WAIT_FOR_CREDENTIALS: [Arrived; 8] = [
    |app, now| app.listing_after_credentials(now),
    |app, now| with!(app.uploads, now, upload::Uploads::after_credentials),
    |app, now| with!(app.copies, now, copy::Copies::after_credentials),
    |app, now| with!(app.object, now, ObjectActions::after_credentials),
    |app, _| app.list_buckets_if_waiting(),
    |app, now| with!(app.share, now, share::Share::credentials_arrived),
    |app, now| with!(app.saves, now, saves::Saves::after_credentials),
    |app, now| with!(app.versions, now, versions::Versions::after_credentials),
];

pub(crate) struct App {
    /// What stays as loaded.
    pub(crate) config: Config,
    /// What the session points at: the pickers and the lab change it. Its bucket and folder
    /// are the listing's ([`Listing::bucket`]), kept there alone.
    pub(crate) target: Target,
    /// Buckets opened lately, newest first.
    pub(crate) recent_buckets: Vec<String>,
    pub(crate) keymap: Keymap,
    pub(crate) focus: Focus,
    pub(crate) session: SessionState,
    pub(crate) policy: PolicyState,
    pub(crate) listing: Listing,
    /// Acting on one object: detail, preview, download, presigned URL.
    pub(crate) object: object::ObjectActions,
    /// The policy lab: edit, templates, access check.
    pub(crate) lab: lab::Lab,
    /// The region picker, when open.
    pub(crate) regions: Option<region::RegionPicker>,
    /// The profile picker, when open.
    pub(crate) profiles: Option<profiles::ProfilePicker>,
    /// The bucket picker, when open.
    pub(crate) buckets: Option<buckets::BucketPicker>,
    /// What happened to the session, for the `L` overlay.
    pub(crate) history: history::History,
    /// The session shared with other tools (`S`).
    pub(crate) share: share::Share,
    /// Deleting an object (`D`).
    pub(crate) deletes: delete::Deletes,
    /// Putting a file (`U`).
    pub(crate) uploads: upload::Uploads,
    /// Making a folder (`N`).
    pub(crate) folders: folder::Folders,
    pub(crate) copies: copy::Copies,
    /// Many objects saved at once (`s` on marks or a folder).
    pub(crate) saves: saves::Saves,
    pub(crate) leftovers: unfinished::UnfinishedUploads,
    /// The bucket's versioning, asked once per bucket.
    pub(crate) versioning: versioning::BucketVersioning,
    /// The versions view (`v`).
    pub(crate) versions: versions::Versions,
    /// Restoring an archived object (`z`).
    pub(crate) unarchive: unarchive::Unarchive,
    /// Who pays for S3 reads (requester pays: the config, or `$`).
    pub(crate) payer: Payer,
    /// The objects given an SSE-C key (`K`): names only, the keys are the runtime's.
    pub(crate) keys_given: customer_key::KeysGiven,
    pub(crate) help_visible: bool,
    /// The first line of the help shown (when it does not fit; the view clamps it).
    pub(crate) help_scroll: usize,
    pub(crate) notice: Option<Notice>,
    /// The modes `m` passed over (`skipped …`), said again in the notice of the switch's
    /// credentials, which would otherwise replace it at once.
    skipped: Option<String>,
    pub(crate) input: Option<Input>,
    /// The MFA code given at start (`--mfa-code`), used once by the first issue that needs one.
    first_mfa_code: Option<String>,
    /// The MFA prompt open was opened by a due refresh (it closes at the expiry).
    refresh_prompt: bool,
    /// The listing starts over when the credentials being issued arrive (a new policy, bucket,
    /// profile or region).
    reload_on_issue: bool,
    /// The layout last drawn with.
    layout: Option<Layout>,
    /// The last click, to tell a double click.
    last_click: Option<(u16, u16, DateTime<Utc>)>,
    /// Every request's id comes from here.
    ids: ctx::RequestIds,
    /// Requests at once when `G` lists every page.
    walk_chains: usize,
}

impl App {
    /// The model at start-up, and the effects that get it going (issuing credentials).
    pub(crate) fn new(
        settings: Settings,
        keymap: Keymap,
        now: DateTime<Utc>,
    ) -> (Self, Vec<Effect>) {
        let Settings {
            mut config,
            mut target,
        } = settings;
        // The listing is where the bucket and folder live from now on: one place, not two.
        let bucket = std::mem::take(&mut target.bucket);
        let prefix = std::mem::take(&mut target.prefix);
        let mode = target.mode;
        let walk_chains = at_once(&config);
        let mut app = Self {
            policy: PolicyState::for_mode(&target, mode),
            listing: Listing::new(&bucket, &prefix, config.page_size),
            session: SessionState::new(mode),
            object: object::ObjectActions::default(),
            lab: lab::Lab::default(),
            history: history::History::default(),
            share: share::Share::default(),
            deletes: delete::Deletes::default(),
            folders: folder::Folders::default(),
            copies: copy::Copies::default(),
            saves: saves::Saves::default(),
            leftovers: unfinished::UnfinishedUploads::default(),
            versions: versions::Versions::default(),
            unarchive: unarchive::Unarchive::default(),
            keys_given: customer_key::KeysGiven::new(),
            payer: if config.requester_pays == crate::settings::RequesterPays::Always {
                Payer::Requester
            } else {
                Payer::Owner
            },
            versioning: versioning::BucketVersioning::default(),
            uploads: upload::Uploads::default(),
            buckets: None,
            profiles: None,
            regions: None,
            first_mfa_code: config.mfa_code.take(),
            recent_buckets: std::mem::take(&mut config.recent_buckets),
            keymap,
            config,
            target,
            focus: Focus::Objects,
            help_visible: false,
            help_scroll: 0,
            notice: None,
            skipped: None,
            input: None,
            refresh_prompt: false,
            reload_on_issue: false,
            layout: None,
            last_click: None,
            ids: ctx::RequestIds::default(),
            walk_chains,
        };
        let effects = app.issue(mode, now);
        if app.listing.bucket().is_empty() {
            // Nothing to browse yet: the picker is the start screen.
            app.open_bucket_picker();
        }
        (app, effects)
    }

    #[must_use = "every effect must be run: a dropped one is a request never sent"]
    pub(crate) fn update(&mut self, msg: Msg, now: DateTime<Utc>) -> Vec<Effect> {
        let mut effects = match msg {
            Msg::KeyPressed(press) => self.on_key(press, now),
            Msg::Tick => Vec::new(),
            Msg::ClockSteppedBack { by } => self.on_clock_stepped(by, now),
            Msg::CredentialsIssued { generation, info } => self.on_issued(generation, info, now),
            Msg::CredentialsFailed {
                generation,
                failure,
            } => self.on_issue_failed(generation, &failure, now),
            Msg::PageLoaded { request, page } => self.on_page(request, page, now),
            Msg::PageFailed { request, failure } => self.on_page_failed(request, failure, now),
            Msg::WalkPage {
                request,
                page,
                done,
            } => self.on_walk_page(request, page, done, now),
            Msg::Mouse(input) => self.on_mouse(input, now),
            msg @ (Msg::DetailLoaded { .. }
            | Msg::PreviewLoaded { .. }
            | Msg::ObjectFailed { .. }
            | Msg::Presigned { .. }
            | Msg::DownloadTargetChecked { .. }
            | Msg::DownloadProgressed { .. }
            | Msg::DownloadStalled { .. }
            | Msg::DownloadFinished { .. }) => with!(self.object, now, |o, c| o.on_msg(msg, c)),
            Msg::AccessChecked { request, answers } => {
                self.lab.on_access_checked(request, answers);
                Vec::new()
            }
            Msg::PolicyEdited { result } => self.on_policy_edited(result, now),
            Msg::UserPoliciesRead { files } => self.on_user_policies(&files),
            Msg::BucketsListed { request, result } => self.on_buckets_listed(request, result, now),
            Msg::VersioningRead { request, result } => {
                with!(self.versioning, now, |v, _| v.on_read(request, result))
            }
            Msg::VersionsListed { request, result } => {
                with!(self.versions, now, |v, c| v.on_listed(request, result, c))
            }
            Msg::RestoreAnswered { request, result } => {
                with!(self.unarchive, now, |u, _| u.on_answer(request, result))
            }
            Msg::VersionRestored { request, result } => {
                with!(self.versions, now, |v, c| v.on_restored(request, result, c))
            }
            msg @ (Msg::SharingStarted { .. } | Msg::CredentialsServed | Msg::ServeRefused) => {
                with!(self.share, now, |s, _| s.on_msg(msg, now))
            }
            Msg::ShellEnded { result } => self.on_shell_ended(result, now),
            Msg::PathCompleted { text } => {
                if let Some(Input::Upload { text: typed }) = &mut self.input {
                    *typed = text;
                } else {
                    self.on_key_path_completed(&text);
                }
                Vec::new()
            }
            Msg::CustomerKeyTaken {
                bucket,
                key,
                result,
            } => self.on_key_taken((bucket, key), result, now),
            msg @ (Msg::Uploaded { .. }
            | Msg::WriteStalled { .. }
            | Msg::UploadIsFolder { .. }
            | Msg::UploadIsFile { .. }
            | Msg::UploadProgressed { .. }
            | Msg::FolderUploaded { .. }
            | Msg::FolderCreated { .. }
            | Msg::ListedUnder { .. }
            | Msg::CopiesProgressed { .. }
            | Msg::ObjectsCopied { .. }
            | Msg::UnfinishedListed { .. }
            | Msg::UploadsAborted { .. }
            | Msg::ObjectCopied { .. }
            | Msg::ObjectsDeleted { .. }) => self.on_write_msg(msg, now),
            msg @ (Msg::SaveProgressed { .. }
            | Msg::ObjectSaved { .. }
            | Msg::SavesStalled { .. }
            | Msg::SavesFinished { .. }) => self.on_saves_msg(msg, now),
            Msg::RequestRetrying { status } => {
                self.say_retrying(status, now);
                Vec::new()
            }
        };
        effects.extend(self.on_time(now));
        effects
    }

    /// A write's answer (a put, a folder, a copy, a deletion, the unfinished uploads), to the
    /// feature it is for.
    fn on_write_msg(&mut self, msg: Msg, now: DateTime<Utc>) -> Vec<Effect> {
        match msg {
            Msg::Uploaded { request, result } => {
                with!(self.uploads, now, |u, c| u.on_uploaded(request, result, c))
            }
            Msg::WriteStalled { request, failure } => {
                // The upload's or the copies': each knows its own request.
                let mut effects = with!(self.uploads, now, |u, c| u.on_stalled(
                    request,
                    failure.clone(),
                    c
                ));
                effects.extend(with!(self.copies, now, |k, c| k.on_stalled(request, failure, c)));
                effects
            }
            Msg::UploadIsFolder {
                request,
                files,
                skipped_links,
            } => with!(self.uploads, now, |u, c| u.on_folder(
                request,
                files,
                skipped_links,
                c
            )),
            Msg::UploadIsFile { request } => {
                with!(self.uploads, now, |u, c| u.on_file(request, c))
            }
            Msg::UploadProgressed { request, sent } => {
                with!(self.uploads, now, |u, _| u.on_progressed(request, sent))
            }
            Msg::FolderUploaded { request, results } => {
                with!(self.uploads, now, |u, c| u
                    .on_folder_uploaded(request, results, c))
            }
            Msg::FolderCreated { request, result } => {
                with!(self.folders, now, |f, c| f.on_created(request, result, c))
            }
            Msg::ListedUnder { request, result } => {
                // The deletion's or the copy's: each takes only its own request's.
                let mut effects = with!(self.deletes, now, |d, c| d.on_listed_under(
                    request,
                    result.clone(),
                    c
                ));
                effects.extend(with!(self.copies, now, |k, c| k.on_listed_under(
                    request,
                    result.clone(),
                    c
                )));
                effects.extend(with!(self.saves, now, |k, c| k
                    .on_listed_under(request, result, c)));
                effects
            }
            Msg::CopiesProgressed { request } => {
                with!(self.copies, now, |k, _| k.on_batch_progressed(request))
            }
            Msg::ObjectsCopied { request, result } => {
                with!(self.copies, now, |k, c| k
                    .on_batch_copied(request, result, c))
            }
            Msg::UnfinishedListed { request, result } => {
                with!(self.leftovers, now, |l, c| l.on_listed(request, result, c))
            }
            Msg::UploadsAborted { request, refused } => {
                with!(self.leftovers, now, |l, _c| l.on_aborted(request, &refused))
            }
            Msg::ObjectCopied { request, result } => {
                with!(self.copies, now, |k, c| k.on_copied(request, result, c))
            }
            Msg::ObjectsDeleted { request, result } => {
                with!(self.deletes, now, |d, c| d.on_deleted(request, result, c))
            }
            _ => Vec::new(),
        }
    }

    /// An answer of the saves under way.
    fn on_saves_msg(&mut self, msg: Msg, now: DateTime<Utc>) -> Vec<Effect> {
        match msg {
            Msg::SaveProgressed { request, bytes } => {
                with!(self.saves, now, |s, c| s.on_progressed(request, bytes, c))
            }
            Msg::ObjectSaved {
                request,
                key,
                outcome,
            } => with!(self.saves, now, |s, c| s.on_saved(request, key, outcome, c)),
            Msg::SavesStalled { request, failure } => {
                with!(self.saves, now, |s, c| s.on_stalled(request, failure, c))
            }
            Msg::SavesFinished { request } => {
                with!(self.saves, now, |s, _| s.on_finished(request))
            }
            _ => Vec::new(),
        }
    }

    /// Opens the prompt a feature asked for (its keys close it).
    fn prompt(&mut self, prompt: Option<ctx::Prompt>) {
        match prompt {
            Some(ctx::Prompt::Overwrite) => self.input = Some(Input::Overwrite),
            Some(ctx::Prompt::ConfirmDelete) => self.input = Some(Input::ConfirmDelete),
            Some(ctx::Prompt::TypeBucketToDelete) => {
                self.input = Some(Input::TypeToDelete {
                    text: String::new(),
                });
            }
            Some(ctx::Prompt::ConfirmOverwriteKey) => self.input = Some(Input::ConfirmPut),
            Some(ctx::Prompt::ConfirmCopyOverwrite) => self.input = Some(Input::ConfirmCopy),
            Some(ctx::Prompt::ConfirmAbort) => self.input = Some(Input::ConfirmAbort),
            Some(ctx::Prompt::ConfirmFolderPut) => self.input = Some(Input::ConfirmFolderPut),
            Some(ctx::Prompt::ConfirmCopyMany) => self.input = Some(Input::ConfirmCopyMany),
            Some(ctx::Prompt::ConfirmSaveMany) => self.input = Some(Input::ConfirmSaveMany),
            Some(ctx::Prompt::ConfirmRestore) => self.input = Some(Input::ConfirmRestore),
            Some(ctx::Prompt::ConfirmUnarchive) => self.input = Some(Input::ConfirmUnarchive),
            None => {}
        }
    }

    /// The SDK is about to send an S3 request again after this HTTP status.
    fn say_retrying(&mut self, status: u16, now: DateTime<Utc>) {
        let what = if crate::failure::is_throttling_status(status) {
            "is throttling"
        } else {
            "had an error"
        };
        self.notify(
            format!("S3 {what} (HTTP {status}); retrying…"),
            Level::Warn,
            now,
        );
    }

    /// The screen was laid out anew (by the layout the view draws with). A plain setter, not a
    /// message: it needs no time and starts nothing, so a frame can never swallow an effect
    /// (a refresh or a retry that came due just before it is sent by the next update).
    pub(crate) fn lay_out(&mut self, layout: Layout) {
        self.layout = Some(layout);
        self.listing.set_height(usize::from(layout.list_rows));
        self.policy.set_height(usize::from(layout.policy_rows));
    }

    /// The layout last drawn with, if any.
    pub(crate) fn layout(&self) -> Option<Layout> {
        self.layout
    }

    /// When the loop must wake up next: the countdown's next second, a refresh, a retry, a
    /// notice expiring, or a spinner frame.
    pub(crate) fn next_deadline(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let mut next = now + TimeDelta::seconds(1);
        if let Some(tick) = self.countdown_tick(now) {
            next = next.min(tick);
        }
        if self.spinning() {
            next = next.min(now + TimeDelta::milliseconds(SPINNER_MILLIS));
        }
        let candidates = [
            self.session.next_due(),
            self.listing.load().retry_at(),
            self.object.retry_at(),
            self.notice.as_ref().map(|n| n.until),
        ];
        for t in candidates.into_iter().flatten() {
            next = next.min(t.max(now));
        }
        next
    }

    /// When the countdown shows its next second (the expiry is on the server's clock, so its
    /// seconds do not fall on the local clock's).
    fn countdown_tick(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let left = self.session.info()?.expires_at - self.session.server_now(now);
        let frac = left - TimeDelta::seconds(left.num_seconds());
        (left > TimeDelta::zero() && frac > TimeDelta::zero()).then_some(now + frac)
    }

    /// A spinner turns somewhere: a page, credentials, an object's view or a download is on
    /// its way.
    fn spinning(&self) -> bool {
        let viewing = self
            .object
            .view
            .as_ref()
            .is_some_and(|v| v.content.asking().is_some());
        self.listing.in_flight().is_some()
            || self.session.is_issuing()
            || viewing
            || self.object.running().is_some()
    }

    pub(crate) fn next_id(&self) -> RequestId {
        self.ids.next()
    }

    /// Does what a feature's transition asked: its effects, a line in the status bar, the
    /// prompt, new credentials.
    pub(crate) fn apply(&mut self, step: ctx::Step, now: DateTime<Utc>) -> Vec<Effect> {
        let ctx::Step {
            effects: asked,
            issue,
            notice,
            prompt,
            history,
            written,
            follow_region,
            recovering,
            forget_marks,
        } = step;
        if forget_marks {
            self.listing.marks.clear();
        }
        // While sharing, the session is refreshed early enough that every set handed out has
        // the time the SDKs want left.
        let serving = self.share.sharing().is_some();
        if serving != self.session.is_serving() {
            let margin = self.config.refresh.margin_secs;
            self.session.serve(serving, margin, now);
        }
        if let Some((text, level)) = history {
            self.history.record(now, level, text);
        }
        let mut effects = match follow_region {
            Some(region) => self.switch_s3_region(&region, now),
            None => Vec::new(),
        };
        effects.extend(asked);
        if let Some(code) = recovering {
            self.note_recovery_started(code, now);
        }
        if let Some(w) = written {
            self.listing.take_written(&w.bucket, &w.gone, w.added);
            // Rows gone may bring the end of what is loaded into view.
            effects.extend(self.load_more_if_near_end(now));
        }
        if let Some((text, level, secs)) = notice {
            self.notify(text, level, now);
            if let (Some(secs), Some(n)) = (secs, self.notice.as_mut()) {
                n.until = now + TimeDelta::seconds(secs);
            }
        }
        self.prompt(prompt);
        if issue {
            effects.extend(self.issue(self.session.mode(), now));
        }
        effects
    }

    /// New credentials are in use: told to every part that waits for them, each deciding for
    /// itself whether to ask (again). A new feature that waits for credentials joins
    /// [`WAIT_FOR_CREDENTIALS`]; the session's side never changes.
    fn credentials_arrived(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        WAIT_FOR_CREDENTIALS
            .iter()
            .flat_map(|arrived| arrived(self, now))
            .collect()
    }

    pub(crate) fn notify(&mut self, text: impl Into<String>, level: Level, now: DateTime<Utc>) {
        self.notice = Some(Notice {
            text: text.into(),
            level,
            until: now + TimeDelta::seconds(NOTICE_SECS),
        });
    }

    /// Refreshes and retries that are due, notices that expired.
    fn on_time(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        if self.notice.as_ref().is_some_and(|n| n.until <= now) {
            self.notice = None;
        }
        let mut effects = Vec::new();
        if self.listing.load().retry_at().is_some_and(|t| t <= now) {
            effects.extend(self.ask_page(Which::FailedAgain, now));
        }
        effects.extend(with!(self.object, now, ObjectActions::resume_due));
        // A refresh's MFA prompt is never left open past the expiry: the session ran out, and
        // that is said where expiries are.
        let prompting = matches!(self.input, Some(Input::Mfa { .. }));
        self.refresh_prompt &= prompting;
        if let Some(Input::Mfa { mode, .. }) = &self.input
            && self.refresh_prompt
            && self.session.is_expired(now)
        {
            let mode = *mode;
            self.input = None;
            self.history.record(
                now,
                Level::Error,
                format!("the {mode} session expired waiting for an MFA code"),
            );
            self.session.record_error(
                mode,
                "the session expired before an MFA code was entered; r asks for one".to_string(),
                now,
            );
            self.notify(
                "the session expired: no MFA code was entered to refresh it",
                Level::Error,
                now,
            );
        }
        self.note_expiry(now);
        let prompting = matches!(self.input, Some(Input::Mfa { .. }));
        if !prompting && self.session.is_due(now) {
            effects.extend(self.issue(self.session.mode(), now));
            self.refresh_prompt = matches!(self.input, Some(Input::Mfa { .. }));
        }
        effects
    }
}
