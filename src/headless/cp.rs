//! `sts3 cp FROM TO` and `sts3 mv FROM TO` within S3 (`--recursive`: every key under a
//! prefix): CopyObject, which keeps the content type and metadata (UploadPartCopy above 5 GiB,
//! the type and metadata carried over); a move deletes the source once its copy is stored.
//! Predicted by the session policy before anything is sent (`s3:GetObject` on the sources,
//! `s3:PutObject` on the destinations, `s3:DeleteObject` on the sources of a move); an
//! existing destination is kept unless `--force`; a folder's key without --recursive is refused
//! when the folder holds objects.

use super::session::{CommandError, Session};
use crate::aws::Source;
use crate::bucket::S3Uri;
use crate::cli::CopyArgs;
use crate::escape::printable;
use crate::settings::Settings;
use std::collections::BTreeMap;
use std::io::Write;

/// What a run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub copied: u64,
    /// Kept because the destination exists (no `--force`).
    pub kept: u64,
    pub failed: u64,
}

/// A bucket and a key (or prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Place {
    bucket: String,
    key: String,
}

impl Place {
    /// `s3://B/K`, or a key in the session's bucket.
    fn of(text: &str, bucket: &str) -> Result<Self, CommandError> {
        match S3Uri::parse(text) {
            Some(parsed) => {
                let parsed = parsed.map_err(|e| CommandError::Usage(e.to_string()))?;
                Ok(Self {
                    bucket: parsed.bucket,
                    key: parsed.key,
                })
            }
            None => Ok(Self {
                bucket: bucket.to_string(),
                key: text.to_string(),
            }),
        }
    }

    fn uri(&self) -> String {
        format!("s3://{}/{}", self.bucket, printable(&self.key))
    }
}

/// One object to copy: from where, to where.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pair {
    from: Place,
    to: Place,
}

/// The destination of `key` (under `from`'s prefix when `recursive`) at `to`: a `to` ending
/// in `/` (or empty) keeps the source's name (or its path under the prefix).
fn destination(from: &Place, key: &str, to: &Place, recursive: bool) -> Place {
    let name = if recursive {
        key.strip_prefix(&from.key)
            .unwrap_or(key)
            .trim_start_matches('/')
    } else {
        key.rsplit('/').next().unwrap_or(key)
    };
    let key = if to.key.is_empty() || to.key.ends_with('/') {
        format!("{}{name}", to.key)
    } else if recursive {
        format!("{}/{name}", to.key)
    } else {
        to.key.clone()
    };
    Place {
        bucket: to.bucket.clone(),
        key,
    }
}

/// Runs the command: one line an object (`copy: s3://… to s3://…`, as `aws s3 cp` says it).
pub async fn run(
    settings: &Settings,
    args: &CopyArgs,
    moving: bool,
    out: &mut dyn Write,
) -> Result<Tally, CommandError> {
    let from = Place::of(&args.from, &settings.target.bucket)?;
    let to = Place::of(&args.to, &settings.target.bucket)?;
    if from.key.is_empty() && !args.recursive {
        return Err(CommandError::Usage(format!(
            "{} names no key; write s3://BUCKET/KEY, or pass --recursive for a prefix",
            from.uri()
        )));
    }
    if moving && args.version_id.is_some() {
        return Err(CommandError::Usage(
            "mv moves the latest version of a key; to copy an older one, sts3 cp --version-id ID, then sts3 rm FROM".into(),
        ));
    }
    let version = args.version_id.as_deref();
    let verb = if moving { "move" } else { "copy" };
    // One key is predicted before STS is asked; a prefix's keys once they are listed.
    let one = (!args.recursive).then(|| Pair {
        to: destination(&from, &from.key, &to, false),
        from: from.clone(),
    });
    if let Some(pair) = &one {
        predict(
            settings,
            std::slice::from_ref(pair),
            moving,
            version.is_some(),
        )?;
    }
    let mut session = Session::open(settings).await?;
    let pairs = if let Some(pair) = one {
        let keys = std::slice::from_ref(&from.key);
        let done = if moving { "moved" } else { "copied" };
        super::rm::refuse_folders_with_objects(&mut session, &from.bucket, keys, (verb, done))
            .await?;
        vec![pair]
    } else {
        let keys =
            super::rm::keys_under(&mut session, &from.bucket, std::slice::from_ref(&from.key))
                .await?;
        let pairs: Vec<Pair> = keys
            .into_iter()
            .map(|key| Pair {
                to: destination(&from, &key, &to, true),
                from: Place {
                    bucket: from.bucket.clone(),
                    key,
                },
            })
            .collect();
        predict(settings, &pairs, moving, false)?;
        pairs
    };
    if let Some(same) = pairs.iter().find(|p| p.from == p.to) {
        return Err(CommandError::Usage(format!(
            "{} would be its own destination; give another TO",
            same.from.uri()
        )));
    }
    let mut tally = Tally::default();
    for pair in &pairs {
        if args.dry_run {
            writeln!(
                out,
                "(dry run) {verb}: {} to {}",
                pair.from.uri(),
                pair.to.uri()
            )?;
            continue;
        }
        match copy_one(&mut session, pair, (args.force, moving), version).await {
            Ok(Copied::Done) => {
                tally.copied += 1;
                writeln!(out, "{verb}: {} to {}", pair.from.uri(), pair.to.uri())?;
            }
            Ok(Copied::Exists) => {
                tally.kept += 1;
                super::stderr_line(&format!(
                    "sts3: kept {}: it exists (--force overwrites it); {} is where it was",
                    pair.to.uri(),
                    pair.from.uri()
                ));
            }
            Err(e) => {
                tally.failed += 1;
                let done = if moving { "moved" } else { "copied" };
                super::stderr_line(&format!("sts3: {} not {done}: {e}", pair.from.uri()));
            }
        }
    }
    Ok(tally)
}

/// Refuses before any request what the session policy does not allow (`version`: a given
/// version of each source is read, which `s3:GetObjectVersion` allows).
fn predict(
    settings: &Settings,
    pairs: &[Pair],
    moving: bool,
    version: bool,
) -> Result<(), CommandError> {
    let Some(policy) = settings.target.session_policy(settings.target.mode) else {
        return Ok(());
    };
    let mut asks: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for p in pairs {
        let read = if version {
            "s3:GetObjectVersion"
        } else {
            "s3:GetObject"
        };
        let mut wanted = vec![(read, &p.from), ("s3:PutObject", &p.to)];
        if moving {
            wanted.push(("s3:DeleteObject", &p.from));
        }
        for (action, place) in wanted {
            asks.entry((action, place.bucket.as_str()))
                .or_default()
                .push(place.key.as_str());
        }
    }
    for ((action, bucket), keys) in asks {
        super::write::predicted(policy, action, bucket, keys.into_iter())?;
    }
    Ok(())
}

enum Copied {
    Done,
    /// The destination exists and `--force` was not given.
    Exists,
}

/// HeadObject of the source (of `version`, when given) and of the destination unless `force`,
/// the copy, and for a move the source's delete once the copy is stored; each with new
/// credentials once if they help.
async fn copy_one(
    session: &mut Session<'_>,
    pair: &Pair,
    (force, moving): (bool, bool),
    version: Option<&str>,
) -> Result<Copied, crate::failure::AwsFailure> {
    let (from, to) = (&pair.from, &pair.to);
    let source = session
        .with_renewal(|s3| async move { s3.head(&from.bucket, &from.key, version).await })
        .await?;
    if !force
        && session
            .with_renewal(|s3| async move { s3.exists(&to.bucket, &to.key).await })
            .await?
    {
        return Ok(Copied::Exists);
    }
    let part_size = session.settings.config.objects.part_size;
    let single_max = crate::aws::single_copy_max();
    let source = &source;
    session
        .with_renewal(|s3| async move {
            let from = Source {
                version,
                ..Source::latest(&from.bucket, &from.key)
            };
            let to = Source::latest(&to.bucket, &to.key);
            s3.copy(from, to, source, single_max, part_size).await
        })
        .await?;
    if moving {
        let keys = [from.key.clone()];
        let keys = &keys;
        let deleted = session
            .with_renewal(|s3| async move { s3.delete_keys(&from.bucket, keys).await })
            .await?;
        if let Some((_, failure)) = deleted.refused.into_iter().next() {
            return Err(failure);
        }
    }
    Ok(Copied::Done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(bucket: &str, key: &str) -> Place {
        Place {
            bucket: bucket.into(),
            key: key.into(),
        }
    }

    #[test]
    fn a_destination_ending_in_a_slash_keeps_the_name_and_a_key_is_the_name() {
        let from = place("a", "docs/q3.pdf");
        assert_eq!(
            destination(&from, "docs/q3.pdf", &place("b", "archive/"), false),
            place("b", "archive/q3.pdf")
        );
        assert_eq!(
            destination(&from, "docs/q3.pdf", &place("b", ""), false),
            place("b", "q3.pdf")
        );
        assert_eq!(
            destination(
                &from,
                "docs/q3.pdf",
                &place("a", "docs/q3-final.pdf"),
                false
            ),
            place("a", "docs/q3-final.pdf")
        );
    }

    #[test]
    fn a_recursive_copy_keeps_each_keys_path_under_the_prefix() {
        let from = place("a", "docs/");
        assert_eq!(
            destination(&from, "docs/2026/x.txt", &place("a", "old/"), true),
            place("a", "old/2026/x.txt")
        );
        assert_eq!(
            destination(&from, "docs/x.txt", &place("a", "old"), true),
            place("a", "old/x.txt")
        );
        let bare = place("a", "docs");
        assert_eq!(
            destination(&bare, "docs/x.txt", &place("b", ""), true),
            place("b", "x.txt")
        );
    }

    #[test]
    fn a_place_is_an_s3_uri_or_a_key_in_the_sessions_bucket() {
        assert_eq!(Place::of("s3://bkt/k/x", "s").unwrap(), place("bkt", "k/x"));
        assert_eq!(Place::of("k/x", "s").unwrap(), place("s", "k/x"));
        assert!(Place::of("s3://Bad_Bucket/x", "s").is_err());
        assert_eq!(place("b", "a\u{1b}").uri(), "s3://b/a\\u{1b}");
    }
}
