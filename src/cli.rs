//! Command-line definitions. The short flags of the original script (`-b -u -r -d -h`) keep their
//! meaning.

use crate::credentials::Mode;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "sts3",
    version,
    about = "Browse an S3 bucket with temporary STS credentials",
    long_about = "Browse an S3 bucket with temporary STS credentials.\n\n\
        With no subcommand sts3 opens the terminal UI. For scripts, with the same session:\n\
        `list`, `get` (an object, or a folder with --recursive) and `presign` read; `put`, `rm`,\n\
        `cp`, `mv`, `restore` and `uploads --abort` write, each predicted by the session policy\n\
        before anything is sent; `policy check` compares what S3 allows with what the policy\n\
        predicts; `exec -- CMD` runs a command with the session (refreshed) and `credentials`\n\
        prints it for credential_process.\n\
        Base credentials come from the standard AWS chain (environment, profile, SSO...)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub opts: Options,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Issue credentials, then print the session and the bucket listing.
    List(ListArgs),
    /// Download an object (large ones in parts at once), or with --recursive every object under
    /// a prefix; resumes where it broke off after a refresh or a cut.
    Get(GetArgs),
    /// Print a presigned GET URL for one object, valid no longer than the session.
    Presign(PresignArgs),
    /// Ask S3 to restore an archived object (Glacier, Deep Archive) for a number of days, so
    /// that it can be read; says how long the tier usually takes. Predicted by the session
    /// policy first.
    Restore(RestoreArgs),
    /// Work with the session policy.
    Policy(PolicyArgs),
    /// Run a command with the session, served to it on a loopback endpoint and refreshed
    /// before it expires (or, with --env, as variables that do not refresh).
    Exec(ExecArgs),
    /// Print the session as `credential_process` output, for `~/.aws/config`.
    Credentials(CredentialsArgs),
    /// Upload local files (a folder: every file under it) as objects, a large one in parts
    /// sent at once; an existing key is kept unless --force. Predicted by the session policy
    /// first.
    Put(PutArgs),
    /// List the multipart uploads begun under a prefix and never completed (S3 keeps and
    /// bills their parts, and no listing shows them); --abort removes them.
    Uploads(UploadsArgs),
    /// Delete objects (with --recursive, every key under each prefix). Predicted by the
    /// session policy first.
    Rm(RmArgs),
    /// Copy objects within S3, keeping their content type and metadata (with --recursive,
    /// every key under a prefix). Predicted by the session policy first.
    Cp(CopyArgs),
    /// Move (rename) objects within S3: copied, then the source deleted once the copy is
    /// stored. Predicted by the session policy first.
    Mv(CopyArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `sts3 man > ~/.local/share/man/man1/sts3.1`.
    Man,
}

#[derive(Debug, Clone, Args)]
pub struct ExecArgs {
    /// Give the command static AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
    /// and AWS_CREDENTIAL_EXPIRATION instead of the endpoint (they do not refresh).
    #[arg(long)]
    pub env: bool,
    /// The command and its arguments, after `--`.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Clone, Args)]
pub struct CredentialsArgs {
    /// Print them even on a terminal (they are secret: meant for a program).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Args)]
pub struct PolicyArgs {
    #[command(subcommand)]
    pub command: PolicyCommand,
}

#[derive(Debug, Clone, Subcommand)]
pub enum PolicyCommand {
    /// Ask S3 what the session may do to KEY (or to the --prefix folder), beside what the
    /// session policy predicts; exit 0 when every answer is the predicted one, 1 otherwise.
    Check(CheckArgs),
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// The object's key, or `s3://BUCKET/KEY` [default: check listing the --prefix folder].
    pub key: Option<String>,
    /// One JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct GetArgs {
    /// The object's key, or `s3://BUCKET/KEY`; with --recursive, a folder (`s3://BUCKET/PREFIX/`).
    pub key: String,
    /// Where to write it: a file, a folder, or `-` for standard output [default: the key's
    /// last segment in the current folder]; with --recursive, the folder to save into
    /// [default: the current one].
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite the file if it exists (with --recursive: a file of another size; one of the
    /// same size is taken as complete and kept).
    #[arg(long)]
    pub force: bool,
    /// Every object under the folder, each at its path below it (long form only: -r is the
    /// region).
    #[arg(long)]
    pub recursive: bool,
    /// With --recursive: only keys whose path below the folder matches this glob (`*` crosses
    /// `/`); may be repeated.
    #[arg(long, value_name = "GLOB", requires = "recursive")]
    pub include: Vec<String>,
    /// With --recursive: not keys whose path below the folder matches this glob; may be
    /// repeated, and wins over --include.
    #[arg(long, value_name = "GLOB", requires = "recursive")]
    pub exclude: Vec<String>,
    /// Ranged GETs at once for an object larger than a part (1-64; 1: one stream) [default:
    /// parallel from the config, 8].
    #[arg(long, value_name = "N")]
    pub parallel: Option<usize>,
    /// An object larger than this many MiB (5-5120) comes in parts: the first of this size,
    /// the others of a whole number of it, up to 64 MiB, as long as each of the --parallel
    /// streams gets two or more [default: part_size_mib from the config, 8].
    #[arg(long, value_name = "MIB")]
    pub part_size: Option<u64>,
    /// A given version of the object (`sts3 list --versions` shows them) [default: the
    /// latest].
    #[arg(long, value_name = "ID", conflicts_with = "recursive")]
    pub version_id: Option<String>,
    /// The key an object encrypted with a customer-provided key (SSE-C) was stored with: a
    /// file of its 32 bytes, raw or base64 (with --recursive, every object's). Read once,
    /// never shown or logged.
    #[arg(long, value_name = "FILE")]
    pub sse_c_key_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct PutArgs {
    /// Local files or folders, then where they go: `s3://BUCKET/PREFIX/` (or
    /// `s3://BUCKET/KEY` for one file), or a prefix or key in the -b bucket.
    #[arg(required = true, num_args = 2.., value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Overwrite keys that exist (else each is kept, and said; S3 is asked with
    /// If-None-Match: *, so a key written meanwhile is kept too).
    #[arg(long)]
    pub force: bool,
    /// Follow symbolic links in folders (else they are passed over, and said).
    #[arg(long)]
    pub follow_symlinks: bool,
    /// Say what would be put, and put nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Requests at once (1-64): files, and a large file's parts [default: parallel from the
    /// config, 8].
    #[arg(long, value_name = "N")]
    pub parallel: Option<usize>,
    /// A file larger than this many MiB (5-5120) goes in parts of it [default: part_size_mib
    /// from the config, 8].
    #[arg(long, value_name = "MIB")]
    pub part_size: Option<u64>,
}

#[derive(Debug, Clone, Args)]
pub struct UploadsArgs {
    /// Where to look, as `s3://BUCKET/PREFIX` (instead of -b and --prefix).
    #[arg(value_name = "S3_URI")]
    pub uri: Option<String>,
    /// Abort each upload listed: S3 drops the parts it holds.
    #[arg(long)]
    pub abort: bool,
    /// With --abort: say what would be aborted, and abort nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Args)]
pub struct CopyArgs {
    /// The source: `s3://BUCKET/KEY` (with --recursive, a prefix), or a key in the -b bucket.
    #[arg(value_name = "FROM")]
    pub from: String,
    /// Where: `s3://BUCKET/KEY`, or `s3://BUCKET/PREFIX/` to keep the source's name; or a key
    /// or prefix in the -b bucket.
    #[arg(value_name = "TO")]
    pub to: String,
    /// Every key under the FROM prefix, to the same path under TO.
    #[arg(long)]
    pub recursive: bool,
    /// Overwrite keys that exist at the destination (else each is kept, and said).
    #[arg(long)]
    pub force: bool,
    /// Say what would be copied or moved, and do nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// `cp` only: copy a given version of FROM (`sts3 list --versions` shows them) [default:
    /// the latest].
    #[arg(long, value_name = "ID", conflicts_with = "recursive")]
    pub version_id: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct RmArgs {
    /// Keys (or `s3://BUCKET/KEY`); with --recursive, prefixes (`s3://BUCKET/PREFIX/`).
    #[arg(required = true, value_name = "KEY")]
    pub keys: Vec<String>,
    /// Delete every key under each prefix.
    #[arg(long)]
    pub recursive: bool,
    /// Say what would be deleted, and delete nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Args)]
pub struct PresignArgs {
    /// The object's key, or `s3://BUCKET/KEY`.
    pub key: String,
    /// Seconds the URL should work (1-604800) [default: presign_secs from the config, 3600];
    /// never longer than the session has left.
    #[arg(long, value_name = "SECONDS")]
    pub expires: Option<u64>,
    /// A given version of the object (`sts3 list --versions` shows them) [default: the
    /// latest].
    #[arg(long, value_name = "ID")]
    pub version_id: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct RestoreArgs {
    /// The archived object's key, or `s3://BUCKET/KEY`.
    pub key: String,
    /// Days the restored copy lasts (1-30000) [default: restore_days from the config, 7].
    #[arg(long, value_name = "N")]
    pub days: Option<u32>,
    /// How fast, and at what cost: expedited (Glacier: 1-5 minutes), standard (3-5 hours;
    /// Deep Archive: within 12), bulk (5-12 hours; Deep Archive: within 48).
    #[arg(long, value_name = "TIER", default_value = "standard", value_parser = tier_parser())]
    pub tier: crate::object::archive::Tier,
    /// A given version of the object [default: the latest].
    #[arg(long, value_name = "ID")]
    pub version_id: Option<String>,
}

/// `--tier`'s values.
fn tier_parser() -> impl clap::builder::TypedValueParser<Value = crate::object::archive::Tier> {
    use clap::builder::{PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(["expedited", "standard", "bulk"]).map(|name| {
        crate::object::archive::Tier::parse(&name)
            .unwrap_or_else(|| unreachable!("{name} is a listed value"))
    })
}

// Each bool is one switch of the command line, as clap takes them.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    /// What to list as `s3://BUCKET/PREFIX` (instead of -b and --prefix).
    #[arg(value_name = "S3_URI")]
    pub uri: Option<String>,
    /// Stop after N objects.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// One JSON object per line instead of text.
    #[arg(long)]
    pub json: bool,
    /// Show one level: folders (common prefixes) and the objects directly under the prefix.
    #[arg(long)]
    pub folders: bool,
    /// One line an entry as `aws s3 ls` prints it: the last-modified time (local), the size
    /// and the key; folders as `PRE folder/`.
    #[arg(short = 'l', long)]
    pub long: bool,
    /// End with the total size of the objects listed, beside their number.
    #[arg(long)]
    pub summarize: bool,
    /// List the folders under the prefix N at a time (1-64), still printing in key order:
    /// ListObjectsV2 gives 1,000 keys a round trip, so a far bucket is listed much faster.
    #[arg(long, value_name = "N")]
    pub parallel: Option<usize>,
    /// Every version of each key, newest first, and the delete markers (ListObjectVersions;
    /// one page at a time).
    #[arg(long, conflicts_with = "parallel")]
    pub versions: bool,
}

#[derive(Debug, Clone, Default, Args)]
pub struct Options {
    /// Bucket to browse, or `s3://BUCKET/PREFIX/` for a bucket and the folder to start in.
    #[arg(short = 'b', long, global = true, value_name = "BUCKET")]
    pub bucket: Option<String>,
    /// Start in this prefix (folder), e.g. `photos/2024/`.
    #[arg(long, global = true, value_name = "PREFIX")]
    pub prefix: Option<String>,
    /// Federated user name (GetFederationToken).
    #[arg(short = 'u', long, global = true, value_name = "USER")]
    pub user: Option<String>,
    /// AWS region [default: from the AWS chain, else us-west-2].
    #[arg(short = 'r', long, global = true, value_name = "REGION")]
    pub region: Option<String>,
    /// Write debug logs to a file (never secrets).
    #[arg(short = 'd', long, global = true)]
    pub debug: bool,
    /// Agree to pay for the requests (`x-amz-request-payer: requester`), as a requester-pays
    /// bucket asks; the charges go to your account.
    #[arg(long, global = true)]
    pub requester_pays: bool,
    /// How to obtain credentials.
    #[arg(long, global = true, value_parser = mode_parser())]
    pub mode: Option<Mode>,
    /// Role to assume (role mode).
    #[arg(long, global = true, value_name = "ARN")]
    pub role_arn: Option<String>,
    /// Role session name (role mode) [default: assumerole-s3-list].
    #[arg(long, global = true, value_name = "NAME")]
    pub session_name: Option<String>,
    /// Session duration in seconds [default: 3600].
    #[arg(long, global = true, value_name = "SECONDS")]
    pub duration: Option<u32>,
    /// Session policy JSON file (federated: replaces the default bucket policy; role: optional).
    #[arg(long, global = true, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Session policy from a policy lab template instead of a file: for the bucket (list-only,
    /// read-only, read-write, deny-all) or for the --prefix folder (read-only-prefix,
    /// list-only-prefix, read-write-prefix). Federated and role modes.
    #[arg(long, global = true, value_name = "NAME", conflicts_with = "policy")]
    pub template: Option<String>,
    /// External id (role mode).
    #[arg(long, global = true, value_name = "ID")]
    pub external_id: Option<String>,
    /// MFA device serial number or ARN (role and session modes).
    #[arg(long, global = true, value_name = "SERIAL")]
    pub mfa_serial: Option<String>,
    /// Current 6-digit MFA code (else sts3 asks for one).
    #[arg(long, global = true, value_name = "CODE")]
    pub mfa_code: Option<String>,
    /// Custom endpoint for STS and S3 (path-style addressing is used).
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// AWS profile for the base credentials.
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Keys per ListObjectsV2 page, 1-1000 [default: 1000].
    #[arg(long, global = true, value_name = "N")]
    pub page_size: Option<i32>,
    /// Config file [default: the sts3 config dir's config.toml].
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// `--mode`'s values: each mode's flag name (its alias accepted too), with its summary as help.
fn mode_parser() -> impl clap::builder::TypedValueParser<Value = Mode> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    let values = Mode::ALL.map(|mode| {
        PossibleValue::new(mode.flag())
            .aliases(mode.alias())
            .help(mode.summary())
    });
    PossibleValuesParser::new(values)
        .map(|name| Mode::named(&name).unwrap_or_else(|| unreachable!("{name} is a listed value")))
}

impl Cli {
    /// `s3://bucket/key` URIs read into the options: `-b s3://b/p/` is a bucket and a folder,
    /// `sts3 list s3://b/p/` the same, and a command's `KEY` may be `s3://b/key`. A bucket
    /// given twice must be the same; a folder given twice is an error.
    pub fn resolve_uris(&mut self) -> Result<(), String> {
        use crate::bucket::S3Uri;
        if let Some(uri) = self.opts.bucket.clone()
            && let Some(parsed) = S3Uri::parse(&uri)
        {
            let parsed = parsed.map_err(|e| e.to_string())?;
            self.opts.bucket = Some(parsed.bucket);
            self.take_prefix(parsed.key, &uri)?;
        }
        let key = match &mut self.command {
            Some(
                Command::List(ListArgs { uri, .. }) | Command::Uploads(UploadsArgs { uri, .. }),
            ) => {
                if let Some(uri) = uri.take() {
                    let parsed = S3Uri::parse(&uri)
                        .ok_or_else(|| format!("{uri:?} is not an s3:// URI; write s3://BUCKET/PREFIX, or pass -b BUCKET"))?
                        .map_err(|e| e.to_string())?;
                    self.take_bucket(parsed.bucket, &uri)?;
                    self.take_prefix(parsed.key, &uri)?;
                }
                return Ok(());
            }
            Some(Command::Put(_)) => return self.resolve_put_destination(),
            // The source's bucket is the session's (its policy, its region); the destination
            // may be another bucket, read by the command.
            Some(Command::Cp(args) | Command::Mv(args)) => {
                let from = args.from.clone();
                if let Some(parsed) = S3Uri::parse(&from) {
                    let parsed = parsed.map_err(|e| e.to_string())?;
                    self.take_bucket(parsed.bucket, &from)?;
                }
                return Ok(());
            }
            Some(Command::Rm(args)) => {
                let mut keys = std::mem::take(&mut args.keys);
                for key in &mut keys {
                    self.resolve_key_uri(key, true)?;
                }
                if let Some(Command::Rm(args)) = &mut self.command {
                    args.keys = keys;
                }
                return Ok(());
            }
            // A folder download may take a whole bucket (`s3://b/`).
            Some(Command::Get(args)) if args.recursive => {
                let mut prefix = std::mem::take(&mut args.key);
                self.resolve_key_uri(&mut prefix, false)?;
                if let Some(Command::Get(args)) = &mut self.command {
                    args.key = prefix;
                }
                return Ok(());
            }
            Some(Command::Get(args)) => &mut args.key,
            Some(Command::Presign(args)) => &mut args.key,
            Some(Command::Restore(args)) => &mut args.key,
            Some(Command::Policy(PolicyArgs {
                command: PolicyCommand::Check(CheckArgs { key: Some(key), .. }),
            })) => key,
            _ => return Ok(()),
        };
        let Some(parsed) = S3Uri::parse(key) else {
            return Ok(());
        };
        let uri = key.clone();
        let parsed = parsed.map_err(|e| e.to_string())?;
        if parsed.key.is_empty() {
            return Err(format!("{uri:?} names no key; write s3://BUCKET/KEY"));
        }
        *key = parsed.key;
        self.take_bucket(parsed.bucket, &uri)
    }

    /// `put`'s last path, when an `s3://` URI: its bucket taken, its key or prefix left.
    fn resolve_put_destination(&mut self) -> Result<(), String> {
        let Some(Command::Put(args)) = &mut self.command else {
            return Ok(());
        };
        let Some(last) = args.paths.last_mut() else {
            return Ok(());
        };
        let mut dest = last.to_string_lossy().into_owned();
        let was_uri = crate::bucket::S3Uri::parse(&dest).is_some();
        self.resolve_key_uri(&mut dest, false)?;
        if was_uri
            && let Some(Command::Put(args)) = &mut self.command
            && let Some(last) = args.paths.last_mut()
        {
            *last = PathBuf::from(dest);
        }
        Ok(())
    }

    /// `key`, when an `s3://` URI: its bucket taken, the key left in its place (`need_key`:
    /// a URI without one is refused).
    fn resolve_key_uri(&mut self, key: &mut String, need_key: bool) -> Result<(), String> {
        let Some(parsed) = crate::bucket::S3Uri::parse(key) else {
            return Ok(());
        };
        let uri = key.clone();
        let parsed = parsed.map_err(|e| e.to_string())?;
        if need_key && parsed.key.is_empty() {
            return Err(format!("{uri:?} names no key; write s3://BUCKET/KEY"));
        }
        *key = parsed.key;
        self.take_bucket(parsed.bucket, &uri)
    }

    fn take_bucket(&mut self, bucket: String, uri: &str) -> Result<(), String> {
        match &self.opts.bucket {
            Some(b) if *b != bucket => Err(format!(
                "{uri} names bucket {bucket}, but -b says {b}; give the bucket once"
            )),
            _ => {
                self.opts.bucket = Some(bucket);
                Ok(())
            }
        }
    }

    fn take_prefix(&mut self, prefix: String, uri: &str) -> Result<(), String> {
        if prefix.is_empty() {
            return Ok(());
        }
        if self.opts.prefix.is_some() {
            return Err(format!(
                "{uri} names a folder and so does --prefix; give the folder once"
            ));
        }
        self.opts.prefix = Some(prefix);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, Parser};

    #[test]
    fn mode_takes_each_flag_and_alias_and_its_help_says_what_each_does() {
        for (given, mode) in [
            ("federated", Mode::Federated),
            ("role", Mode::AssumedRole),
            ("assumed-role", Mode::AssumedRole),
            ("session", Mode::SessionToken),
            ("session-token", Mode::SessionToken),
        ] {
            let cli = Cli::try_parse_from(["sts3", "--mode", given]).unwrap();
            assert_eq!(cli.opts.mode, Some(mode), "{given}");
        }
        assert!(Cli::try_parse_from(["sts3", "--mode", "Role"]).is_err());
        let help = Cli::command().render_long_help().to_string();
        for line in [
            "- federated: STS `GetFederationToken` with a user name and an inline session policy",
            "- role:      STS `AssumeRole` with a role ARN",
            "- session:   STS `GetSessionToken`, optionally with MFA",
        ] {
            assert!(help.contains(line), "{line} in:\n{help}");
        }
    }

    #[test]
    fn uris_fill_in_the_bucket_the_folder_and_the_key() {
        let resolved = |args: &[&str]| {
            let mut cli = Cli::try_parse_from(args).unwrap();
            cli.resolve_uris().map(|()| cli)
        };
        let cli = resolved(&["sts3", "get", "s3://b-1/a/b.txt"]).unwrap();
        assert_eq!(cli.opts.bucket.as_deref(), Some("b-1"));
        let Some(Command::Get(get)) = &cli.command else {
            panic!("get");
        };
        assert_eq!(get.key, "a/b.txt");
        let cli = resolved(&["sts3", "-b", "s3://b-1/logs/"]).unwrap();
        assert_eq!(
            (cli.opts.bucket.as_deref(), cli.opts.prefix.as_deref()),
            (Some("b-1"), Some("logs/"))
        );
        let cli = resolved(&["sts3", "-b", "b-1", "get", "s3://b-1/k"]).unwrap();
        assert_eq!(
            cli.opts.bucket.as_deref(),
            Some("b-1"),
            "the same bucket twice is fine"
        );
        let cli = resolved(&["sts3", "get", "plain/key"]).unwrap();
        assert_eq!(cli.opts.bucket, None, "a plain key is left as it is");
        assert!(resolved(&["sts3", "-b", "b-2", "get", "s3://b-1/k"]).is_err());
    }
}
