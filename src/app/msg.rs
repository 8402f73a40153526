//! What goes into the model (messages: past-tense facts) and what comes out (effects: commands
//! for the runtime), with the ids that let stale answers be dropped.

use crate::access_check::Probe;
use crate::bucket::{ListPage, PageRequest};
use crate::credentials::{CredentialRequest, SessionInfo};
use crate::failure::AwsFailure;
use crate::keymap::KeyPress;
use crate::object::ObjectDetail;
use crate::object::download::Split;
use std::path::PathBuf;

/// What copying many objects came to: each (source, destination) and how it went; or why none
/// could go.
pub(crate) type CopiesAnswer =
    Result<Vec<(String, String, Result<crate::object::Copied, AwsFailure>)>, AwsFailure>;

/// Identifies one page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct RequestId(pub u64);

/// Identifies one issued set of credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Generation(pub u64);

/// A rectangle of screen cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Area {
    pub(crate) x: u16,
    pub(crate) y: u16,
    pub(crate) width: u16,
    pub(crate) height: u16,
}

impl Area {
    pub(crate) fn contains(self, column: u16, row: u16) -> bool {
        column >= self.x
            && row >= self.y
            && u32::from(column) < u32::from(self.x) + u32::from(self.width)
            && u32::from(row) < u32::from(self.y) + u32::from(self.height)
    }
}

/// What the model needs to know of the screen's layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Layout {
    /// Rows of entries the object list shows.
    pub(crate) list_rows: u16,
    /// Lines the policy pane shows.
    pub(crate) policy_rows: u16,
    /// The panes, borders included, for the mouse.
    pub(crate) session: Area,
    pub(crate) policy: Area,
    pub(crate) objects: Area,
    /// The screen row of the list's first entry (under its header).
    pub(crate) first_row: u16,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Msg {
    KeyPressed(KeyPress),
    /// Time passed (a deadline was reached, or the loop woke up).
    Tick,
    /// The wall clock was set back by this much (a negative span) while time went on.
    ClockSteppedBack {
        by: chrono::TimeDelta,
    },
    CredentialsIssued {
        generation: Generation,
        info: SessionInfo,
    },
    CredentialsFailed {
        generation: Generation,
        failure: AwsFailure,
    },
    PageLoaded {
        request: RequestId,
        page: ListPage,
    },
    PageFailed {
        request: RequestId,
        failure: AwsFailure,
    },
    /// A page of the walk to the end `request`, in key order (`done`: nothing follows; the
    /// last one comes empty). A failure comes as `PageFailed`.
    WalkPage {
        request: RequestId,
        page: ListPage,
        done: bool,
    },
    /// The SDK got a throttling or server error (HTTP `status`) and is about to retry.
    RequestRetrying {
        status: u16,
    },
    /// A mouse event on the screen (cell coordinates).
    Mouse(MouseInput),
    DetailLoaded {
        request: RequestId,
        detail: Box<ObjectDetail>,
    },
    PreviewLoaded {
        request: RequestId,
        bytes: Vec<u8>,
        /// The object's whole size.
        size: u64,
    },
    /// A detail or preview request failed.
    ObjectFailed {
        request: RequestId,
        failure: AwsFailure,
    },
    Presigned {
        request: RequestId,
        url: String,
    },
    /// Whether the download's file exists, and the name keeping both would use.
    DownloadTargetChecked {
        request: RequestId,
        exists: bool,
        keep_both: PathBuf,
    },
    DownloadProgressed {
        request: RequestId,
        received: u64,
        size: u64,
    },
    /// A request of the download failed; it waits for `ResumeDownload` (or a cancel).
    DownloadStalled {
        request: RequestId,
        failure: AwsFailure,
    },
    /// The download ended: the bytes saved, or why not (the `.part` is gone either way).
    DownloadFinished {
        request: RequestId,
        result: Result<u64, String>,
    },
    /// S3's answers to the access check's calls, in the order asked.
    AccessChecked {
        request: RequestId,
        answers: Vec<Result<(), AwsFailure>>,
    },
    /// The editor closed: the policy text as saved, or why there is none.
    PolicyEdited {
        result: Result<String, String>,
    },
    /// The endpoint that shares the session started, or why not.
    SharingStarted {
        result: Result<crate::app::share::Endpoint, String>,
    },
    /// The endpoint handed the credentials in use to a client.
    CredentialsServed,
    /// The endpoint refused a request for credentials (no token, a wrong one, not a GET).
    ServeRefused,
    /// The file of `request` was put (its size and ETag), or why not.
    Uploaded {
        request: RequestId,
        result: Result<crate::object::upload::Landed, AwsFailure>,
    },
    /// The path `Upload` was given is a folder: these files (key, local path, size) would go,
    /// under the folder's name; symbolic links passed over. Nothing was sent.
    UploadIsFolder {
        request: RequestId,
        files: Vec<(String, std::path::PathBuf, u64)>,
        skipped_links: u64,
    },
    /// The path `Upload` was given (`folder_only`) is a file: nothing was sent.
    UploadIsFile {
        request: RequestId,
    },
    /// Bytes of the folder's upload went (`Some`), or one more file is done (`None`).
    UploadProgressed {
        request: RequestId,
        sent: Option<u64>,
    },
    /// More bytes of the saves of `request` are in.
    SaveProgressed {
        request: RequestId,
        bytes: u64,
    },
    /// One object of the saves of `request` is saved, kept or failed.
    ObjectSaved {
        request: RequestId,
        key: String,
        outcome: crate::app::saves::SaveOutcome,
    },
    /// A request of the saves of `request` was refused; they wait for `ResumeSaves` (or
    /// `GiveUpSaves`).
    SavesStalled {
        request: RequestId,
        failure: AwsFailure,
    },
    /// Every object of the saves of `request` is done.
    SavesFinished {
        request: RequestId,
    },
    /// One more of `CopyObjects`' pairs was answered.
    CopiesProgressed {
        request: RequestId,
    },
    /// Each pair of `CopyObjects` (source, destination) and how it went; or why none could go.
    ObjectsCopied {
        request: RequestId,
        #[allow(clippy::type_complexity)]
        result:
            Result<Vec<(String, String, Result<crate::object::Copied, AwsFailure>)>, AwsFailure>,
    },
    /// The folder's files are put, kept (they exist: `PreconditionFailed`) or failed, each.
    FolderUploaded {
        request: RequestId,
        results: Vec<(String, Result<crate::object::upload::Landed, AwsFailure>)>,
    },
    /// A request of the write `request` (an upload, a copy or move) was refused; it waits
    /// for `ResumeWrite` (or `GiveUpWrite`).
    WriteStalled {
        request: RequestId,
        failure: AwsFailure,
    },
    /// The local path being typed, completed as far as it goes.
    PathCompleted {
        text: String,
    },
    /// The reads of `key` in `bucket` carry the SSE-C key given from now on (`Err`: why
    /// not — no such file, not a key).
    CustomerKeyTaken {
        bucket: String,
        key: String,
        result: Result<(), String>,
    },
    /// The folder of `request` was created, or why not.
    FolderCreated {
        request: RequestId,
        result: Result<(), AwsFailure>,
    },
    /// The unfinished multipart uploads of `request`, or why they could not be listed.
    UnfinishedListed {
        request: RequestId,
        result: Result<Vec<crate::object::upload::Unfinished>, AwsFailure>,
    },
    /// The uploads of `request` were aborted but those refused (each key with why).
    UploadsAborted {
        request: RequestId,
        refused: Vec<(String, AwsFailure)>,
    },
    /// The copy (or move) of `request` is stored, or why not.
    ObjectCopied {
        request: RequestId,
        result: Result<crate::object::Copied, AwsFailure>,
    },
    /// Every object under the folder of `request` (key and size, in key order), or why they
    /// could not be listed.
    ListedUnder {
        request: RequestId,
        result: Result<Vec<(String, u64)>, AwsFailure>,
    },
    /// The objects of `request` were deleted but those refused (each with why), or why none
    /// was.
    ObjectsDeleted {
        request: RequestId,
        result: Result<crate::object::Deleted, AwsFailure>,
    },
    /// The shell run with the shared session ended: how, in words.
    ShellEnded {
        result: Result<String, String>,
    },
    /// The user's policy files (`name`, text), in name order.
    UserPoliciesRead {
        files: Vec<(String, String)>,
    },
    /// What GetBucketVersioning answered for `ReadVersioning`'s request.
    VersioningRead {
        request: RequestId,
        result: Result<crate::bucket::Versioning, AwsFailure>,
    },
    /// A page of the versions view (ListObjectVersions), or why not.
    VersionsListed {
        request: RequestId,
        result: Result<crate::bucket::VersionPage, AwsFailure>,
    },
    /// S3 answered a restore of an archived object.
    RestoreAnswered {
        request: RequestId,
        result: Result<crate::aws::RestoreAsked, AwsFailure>,
    },
    /// A version was made current again (restored or undeleted), or why not.
    VersionRestored {
        request: RequestId,
        result: Result<(), AwsFailure>,
    },
    /// ListBuckets answered.
    BucketsListed {
        request: RequestId,
        result: Result<Vec<String>, AwsFailure>,
    },
}

/// What the mouse did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MouseInput {
    ScrollUp {
        column: u16,
        row: u16,
    },
    ScrollDown {
        column: u16,
        row: u16,
    },
    /// A left click (a second on the same cell soon after is a double click).
    Click {
        column: u16,
        row: u16,
    },
}

/// What to fetch of one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ObjectFetch {
    /// HeadObject; answer with `DetailLoaded`.
    Detail,
    /// The first `max_bytes` (a ranged GetObject); answer with `PreviewLoaded`.
    Preview { max_bytes: u64 },
}

/// What the runtime should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Effect {
    /// Call STS; answer with `CredentialsIssued` or `CredentialsFailed` for `generation`.
    IssueCredentials {
        generation: Generation,
        request: CredentialRequest,
    },
    /// Sign requests from now on with the credentials issued for `generation`.
    UseCredentials {
        generation: Generation,
    },
    /// Fetch one page with the credentials of `generation` (always preceded by its
    /// `UseCredentials`); answer with `PageLoaded` or `PageFailed` for `request`. A newer
    /// `ListPage` replaces (aborts) an older one.
    ListPage {
        request: RequestId,
        generation: Generation,
        page: PageRequest,
    },
    /// List from `page` to the end with up to `chains` requests at once; answer with
    /// `WalkPage`s in key order and `PageFailed` at a failure. Replaces (and is replaced by)
    /// `ListPage` as the one listing task.
    WalkListing {
        request: RequestId,
        generation: Generation,
        page: PageRequest,
        chains: usize,
    },
    /// Stop the listing task (a walk to the end the user stopped).
    StopListing,
    /// Fetch an object's detail or first bytes with the credentials of `generation`; answer
    /// for `request` (or `ObjectFailed`).
    FetchObject {
        request: RequestId,
        generation: Generation,
        bucket: String,
        key: String,
        /// A given version (`None`: the latest).
        version: Option<String>,
        what: ObjectFetch,
    },
    /// Sign a GET URL for `secs`; answer with `Presigned` (or `ObjectFailed`).
    Presign {
        request: RequestId,
        generation: Generation,
        bucket: String,
        key: String,
        /// A given version (`None`: the latest).
        version: Option<String>,
        secs: u64,
    },
    /// Look whether `path` exists; answer with `DownloadTargetChecked`.
    CheckDownloadTarget {
        request: RequestId,
        path: PathBuf,
    },
    /// Stream the object into `path` (through `path.part`), reporting progress.
    Download {
        request: RequestId,
        generation: Generation,
        bucket: String,
        key: String,
        /// A given version (`None`: the latest).
        version: Option<String>,
        path: PathBuf,
        /// Ranged GETs at once for an object larger than a part.
        split: Split,
    },
    /// The stalled download may try again (with the credentials in use now).
    ResumeDownload {
        request: RequestId,
    },
    /// Stop the download and remove its `.part`.
    CancelDownload {
        request: RequestId,
    },
    /// Make the access check's calls with the credentials of `generation`, one after the
    /// other; answer with `AccessChecked`.
    CheckAccess {
        request: RequestId,
        generation: Generation,
        bucket: String,
        probes: Vec<Probe>,
    },
    /// Give the terminal to the user's editor with `text` in a private temporary file, take it
    /// back after; answer with `PolicyEdited`.
    EditPolicy {
        text: String,
    },
    /// Call AWS as these base options say from now on (the profile picker changed them).
    SetBases {
        bases: Vec<(crate::credentials::Mode, crate::settings::BaseOptions)>,
    },
    /// S3 reads agree to pay for themselves from now on (requester pays), or no longer.
    ChargeRequester {
        on: bool,
    },
    /// The reads of `key` in `bucket` carry the SSE-C key `given` from now on (read from the
    /// file it names, or as typed); answer with `CustomerKeyTaken`.
    GiveCustomerKey {
        bucket: String,
        key: String,
        given: super::customer_key::GivenKey,
    },
    /// Send S3 requests to `region` from now on (`None`: the base options' region).
    SetS3Region {
        region: Option<String>,
    },
    /// GetBucketVersioning of `bucket`; answer with `VersioningRead`.
    ReadVersioning {
        request: RequestId,
        generation: Generation,
        bucket: String,
    },
    /// One page of ListObjectVersions with the credentials of `generation`; answer with
    /// `VersionsListed`.
    ListVersions {
        request: RequestId,
        generation: Generation,
        page: crate::bucket::VersionRequest,
    },
    /// Make `version` of `key` current again: `undelete`, the delete marker `version` removed;
    /// else a copy of it over the key (in parts of `part_size` above 5 GiB). Answer with
    /// `VersionRestored`.
    RestoreVersion {
        request: RequestId,
        generation: Generation,
        bucket: String,
        key: String,
        version: String,
        undelete: bool,
        part_size: u64,
    },
    /// RestoreObject of an archived object for `days` at `tier`; answer with
    /// `RestoreAnswered`.
    RestoreObject {
        request: RequestId,
        generation: Generation,
        bucket: String,
        key: String,
        days: u32,
        tier: crate::object::archive::Tier,
    },
    /// ListBuckets with the credentials of `generation`; answer with `BucketsListed`.
    ListBuckets {
        request: RequestId,
        generation: Generation,
    },
    /// Keep these bucket names (newest first) as the recent ones, in the state directory.
    RememberBuckets {
        names: Vec<String>,
    },
    /// Read the `*.json` files in `dir`; answer with `UserPoliciesRead`.
    ReadUserPolicies {
        dir: PathBuf,
    },
    /// Put `text` on the clipboard (OSC 52: works over SSH, and in tmux with
    /// `set-clipboard on`).
    CopyToClipboard {
        text: String,
    },
    /// Start an endpoint that serves the credentials in use to other tools (followed when they
    /// change), with the region and S3 endpoint their AWS files name; answer with
    /// `SharingStarted`, then `CredentialsServed` / `ServeRefused` as it answers.
    StartSharing {
        region: Option<String>,
        endpoint_url: Option<String>,
        /// What names the session shared (`Target::share_key`), so `sts3 credentials` for it
        /// answers from this process.
        key: String,
    },
    /// The session shared is now the one `key` names (after a switch of mode, bucket…).
    ShareTarget {
        key: String,
    },
    /// Stop the endpoint and remove its token.
    StopSharing,
    /// Put the local file at `path` (as typed: `~/` is the home folder) as `key` with the
    /// credentials of `generation`; `only_new`: never over an existing key. Answer with
    /// `Uploaded`.
    Upload {
        request: RequestId,
        generation: Generation,
        bucket: String,
        key: String,
        path: String,
        only_new: bool,
        /// Bytes a part holds (`part_size_mib`); a file no larger goes in one PutObject.
        part_size: u64,
        /// The session policy refuses `key` itself: a folder's files may go under it, a file
        /// is not sent (answer `UploadIsFile`).
        folder_only: bool,
    },
    /// Copy each (source, destination) in `bucket`, a few at once, never over an existing key
    /// (`moving`: then delete the source); answer with `CopiesProgressed`s, then
    /// `ObjectsCopied` (a refused request: `WriteStalled` first).
    CopyObjects {
        request: RequestId,
        generation: Generation,
        bucket: String,
        pairs: Vec<(String, String)>,
        moving: bool,
        part_size: u64,
    },
    /// Put these files (key, local path) of the folder `UploadIsFolder` listed, never over an
    /// existing key; answer with `UploadProgressed`s, then `FolderUploaded`.
    UploadFolder {
        request: RequestId,
        generation: Generation,
        bucket: String,
        files: Vec<(String, std::path::PathBuf)>,
        part_size: u64,
    },
    /// Start no more of the batch of `request` (a folder put, a batch copy): those under way
    /// finish, and its answer lists only them.
    StopBatch {
        request: RequestId,
    },
    /// Save each (key, path below `dir`, size) into `dir` through the download engine, a few
    /// at once, never replacing a file of another size; answer with `SaveProgressed`s,
    /// `ObjectSaved` for each, `SavesStalled` when a request is refused, then `SavesFinished`.
    SaveObjects {
        request: RequestId,
        generation: Generation,
        bucket: String,
        items: Vec<(String, PathBuf, u64)>,
        dir: PathBuf,
        split: Split,
    },
    /// The stalled saves may go on (with the credentials in use).
    ResumeSaves {
        request: RequestId,
    },
    /// The stalled saves stop: each object waiting fails with its refusal.
    GiveUpSaves {
        request: RequestId,
    },
    /// Stop the saves at once and remove their `.part`s (what is saved stays).
    CancelSaves {
        request: RequestId,
    },
    /// The stalled write (an upload, a copy or move) may go on (with the credentials in use).
    ResumeWrite {
        request: RequestId,
    },
    /// The stalled write stops: an upload is aborted, a copy fails; its answer says why.
    GiveUpWrite {
        request: RequestId,
    },
    /// Complete the local path `text` as far as the folder's entries agree; answer with
    /// `PathCompleted`.
    CompletePath {
        text: String,
    },
    /// Create the folder `key` (a zero-byte object ending in `/`) with the credentials of
    /// `generation`; answer with `FolderCreated`.
    CreateFolder {
        request: RequestId,
        generation: Generation,
        bucket: String,
        key: String,
    },
    /// List the unfinished multipart uploads under `prefix` with the credentials of
    /// `generation`; answer with `UnfinishedListed`.
    ListUnfinished {
        request: RequestId,
        generation: Generation,
        bucket: String,
        prefix: String,
    },
    /// Abort each upload (key, upload id) with the credentials of `generation`; answer with
    /// `UploadsAborted`.
    AbortUploads {
        request: RequestId,
        generation: Generation,
        bucket: String,
        uploads: Vec<(String, String)>,
    },
    /// Copy `from` to `to` in `bucket` with the credentials of `generation` (`only_new`:
    /// never over an existing key; `moving`: then delete `from`); answer with `ObjectCopied`.
    CopyObject {
        request: RequestId,
        generation: Generation,
        bucket: String,
        from: String,
        to: String,
        only_new: bool,
        moving: bool,
        /// The part size of a copy too large for one CopyObject.
        part_size: u64,
    },
    /// List every object under `prefix` (at any depth) with the credentials of `generation`;
    /// answer with `ListedUnder`.
    ListUnder {
        request: RequestId,
        generation: Generation,
        bucket: String,
        prefix: String,
        /// Chains of requests at once (`parallel`).
        chains: usize,
    },
    /// Delete `keys` with the credentials of `generation`; answer with `ObjectsDeleted`.
    DeleteObjects {
        request: RequestId,
        generation: Generation,
        bucket: String,
        keys: Vec<String>,
    },
    /// Give the terminal to a shell that uses the shared session, take it back when it exits;
    /// answer with `ShellEnded`.
    RunShell,
    /// Give the terminal back and stop until continued (Ctrl-Z).
    Suspend,
    Quit,
}
