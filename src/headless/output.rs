//! How the commands print: the session header, a listing's lines (the seed's `KEY => "ETAG"` and
//! `PRE folder/`, or one JSON object a line), and local times. Every string from outside is
//! escaped on its way out. Shared by the serial and the parallel listing, so neither imports
//! the other.

use crate::bucket::{ObjectEntry, PageRequest, VersionEntry, VersionTally};
use crate::credentials::{SessionInfo, format_hms};
use crate::escape::{json_line, printable};
use chrono::{DateTime, Local, Utc};
use serde_json::json;
use std::io::{self, Write};

/// Local time as shown everywhere in sts3.
pub(super) fn local_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M:%S %:z")
        .to_string()
}

pub(super) fn write_header(
    out: &mut dyn Write,
    as_json: bool,
    policy: Option<&str>,
    info: &SessionInfo,
) -> io::Result<()> {
    if as_json {
        let line = json!({
            "type": "session",
            "mode": info.mode.flag(),
            "principal": info.principal_arn,
            "access_key": info.masked_access_key(),
            "issued_at": info.issued_at.to_rfc3339(),
            "expires_at": info.expires_at.to_rfc3339(),
            "policy": policy.and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok()),
        });
        return writeln!(out, "{}", json_line(&line));
    }
    if let Some(policy) = policy {
        // The user's file, compact: JSON escapes C0 controls, not C1 or bidi ones.
        writeln!(out, "Policy: {}", crate::escape::json_escaped(policy))?;
    }
    writeln!(out, "Mode: {}", info.mode)?;
    writeln!(out, "Principal: {}", info.principal_arn)?;
    writeln!(out, "Access key: {}", info.masked_access_key())?;
    writeln!(
        out,
        "Expires: {} (in {})",
        local_time(info.expires_at),
        format_hms(info.lifetime())
    )
}

/// How a listing's lines look: the seed's (`KEY => "ETAG"`), `aws s3 ls`'s (`--long`), or
/// JSON.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Style {
    pub(super) json: bool,
    pub(super) long: bool,
}

impl Style {
    /// How `args` ask for the lines to look.
    pub(super) fn of(args: &crate::cli::ListArgs) -> Self {
        Self {
            json: args.json,
            long: args.long,
        }
    }
}

/// What was listed: objects and their bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Tally {
    pub(super) objects: u64,
    pub(super) bytes: u64,
}

impl Tally {
    pub(super) fn add(&mut self, object: &ObjectEntry) {
        self.objects += 1;
        self.bytes = self.bytes.saturating_add(object.size);
    }
}

pub(super) fn write_prefix(out: &mut dyn Write, style: Style, prefix: &str) -> io::Result<()> {
    if style.json {
        writeln!(
            out,
            "{}",
            json_line(&json!({"type": "prefix", "prefix": prefix}))
        )
    } else if style.long {
        writeln!(out, "{:>30} {}", "PRE", printable(prefix))
    } else {
        writeln!(out, "PRE {}", printable(prefix))
    }
}

pub(super) fn write_object(
    out: &mut dyn Write,
    style: Style,
    object: &ObjectEntry,
) -> io::Result<()> {
    if style.json {
        let mut value = serde_json::to_value(object).unwrap_or_default();
        if let Some(map) = value.as_object_mut() {
            map.insert("type".into(), json!("object"));
        }
        writeln!(out, "{}", json_line(&value))
    } else if style.long {
        let when = long_time(object);
        writeln!(out, "{when} {:>10} {}", object.size, printable(&object.key))
    } else {
        writeln!(out, "{} => {}", printable(&object.key), object.etag)
    }
}

/// One version or delete marker: `KEY => "ETAG" VERSION_ID latest` (a marker: `KEY => delete
/// marker VERSION_ID`), `--long`'s columns, or JSON.
pub(super) fn write_version(
    out: &mut dyn Write,
    style: Style,
    entry: &VersionEntry,
) -> io::Result<()> {
    if style.json {
        return writeln!(out, "{}", json_line(&entry.to_json()));
    }
    let object = &entry.object;
    let latest = if entry.latest { " latest" } else { "" };
    if style.long {
        let when = long_time(object);
        let size = if entry.delete_marker {
            "DELETED".to_string()
        } else {
            object.size.to_string()
        };
        return writeln!(
            out,
            "{when} {size:>10} {} {}{latest}",
            printable(&object.key),
            entry.shown_id()
        );
    }
    if entry.delete_marker {
        writeln!(
            out,
            "{} => delete marker {}{latest}",
            printable(&object.key),
            entry.shown_id()
        )
    } else {
        writeln!(
            out,
            "{} => {} {}{latest}",
            printable(&object.key),
            object.etag,
            entry.shown_id()
        )
    }
}

/// The last lines of `--versions`: how many versions and delete markers (and, with
/// `--summarize`, the versions' total size).
pub(super) fn write_version_summary(
    out: &mut dyn Write,
    style: Style,
    tally: VersionTally,
    summarize: bool,
) -> io::Result<()> {
    if style.json {
        let mut line =
            json!({"type": "summary", "versions": tally.versions, "delete_markers": tally.markers});
        if summarize {
            line["bytes"] = json!(tally.bytes);
        }
        return writeln!(out, "{}", json_line(&line));
    }
    if summarize {
        writeln!(
            out,
            "Total Size = {} bytes ({})",
            crate::object::detail::thousands(tally.bytes),
            crate::bucket::human_size(tally.bytes)
        )?;
    }
    writeln!(out, "No. of Versions = {}", tally.versions)?;
    writeln!(out, "No. of Delete Markers = {}", tally.markers)
}

/// `--long`'s time column: local, to the second (`-` when not given).
fn long_time(object: &ObjectEntry) -> String {
    object.last_modified().map_or_else(
        || format!("{:19}", "-"),
        |t| {
            t.with_timezone(&Local)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        },
    )
}

/// The last line: how many objects were listed (and, with `--summarize`, their total size).
pub(super) fn write_summary(
    out: &mut dyn Write,
    style: Style,
    tally: Tally,
    summarize: bool,
) -> io::Result<()> {
    let Tally { objects, bytes } = tally;
    if style.json {
        let line = if summarize {
            json!({"type": "summary", "objects": objects, "bytes": bytes})
        } else {
            json!({"type": "summary", "objects": objects})
        };
        return writeln!(out, "{}", json_line(&line));
    }
    if summarize {
        writeln!(
            out,
            "Total Size = {} bytes ({})",
            crate::object::detail::thousands(bytes),
            crate::bucket::human_size(bytes)
        )?;
    }
    writeln!(out, "No. of Objects = {objects}")
}

/// The first page of the listing the settings point at (by folders, or every key below).
pub(super) fn first_page(settings: &crate::settings::Settings, folders: bool) -> PageRequest {
    PageRequest {
        bucket: settings.target.bucket.clone(),
        prefix: settings.target.prefix.clone(),
        continuation_token: None,
        token_after: None,
        start_after: None,
        max_keys: settings.config.page_size,
        folders,
    }
}

/// A line redrawn in place on a terminal's stderr (progress), at most five times a second;
/// nothing when stderr is not a terminal.
pub(super) struct StatusLine {
    shown: Option<std::time::Instant>,
    on_terminal: bool,
}

impl StatusLine {
    pub(super) fn new() -> Self {
        use std::io::IsTerminal as _;
        Self {
            shown: None,
            on_terminal: std::io::stderr().is_terminal(),
        }
    }

    /// Draws `text()` unless the line was drawn less than 200 ms ago (the text is made only
    /// when drawn).
    pub(super) fn show(&mut self, text: impl FnOnce() -> String) {
        if !self.on_terminal
            || self
                .shown
                .is_some_and(|t| t.elapsed() < std::time::Duration::from_millis(200))
        {
            return;
        }
        self.shown = Some(crate::clock::instant());
        let _ = write!(std::io::stderr().lock(), "\r\x1b[2K{}", text());
    }

    /// Takes the line away (before another line is printed, and at the end).
    pub(super) fn clear(&self) {
        if self.on_terminal && self.shown.is_some() {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Mode;

    #[test]
    fn the_policy_line_shows_c1_and_bidi_controls_escaped() {
        let t = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let info = SessionInfo {
            mode: Mode::Federated,
            principal_arn: "arn:aws:sts::1:federated-user/a".into(),
            access_key_id: "ASIAEXAMPLE".into(),
            issued_at: t,
            expires_at: t,
            packed_policy_percent: None,
            server_date: None,
            region: None,
        };
        let mut out = Vec::new();
        // A policy file's Sid holding an 8-bit CSI and a right-to-left override.
        let policy = "{\"Sid\":\"a\u{9b}31mb\u{202e}c\"}";
        write_header(&mut out, false, Some(policy), &info).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with("Policy: {\"Sid\":\"a\\u009b31mb\\u202ec\"}\n"),
            "{text:?}"
        );
    }
}
