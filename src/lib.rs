//! sts3: browse an S3 bucket with temporary STS credentials.
//!
//! A pure core in its own crate, `sts3-core` (`credentials`, `policy`, `access_check`, `bucket`,
//! `object`, `failure`, `keymap`, `escape`, `highlight`: no tokio, no SDK), re-exported here;
//! the TUI model in `app` and the views in `ui`, also pure; and a thin shell (`aws` for the
//! network, `headless` for the commands, `runtime` for the terminal). Items are `pub(crate)`
//! unless the binary or the integration tests use them.
#![warn(unreachable_pub)]

pub(crate) mod app;
pub mod aws;
pub mod cli;
pub mod clock;
pub mod headless;
pub mod logging;
pub mod runtime;
pub(crate) mod serve;
pub mod settings;
#[doc(hidden)]
#[cfg(feature = "testing")]
pub mod testing;
pub mod transfer;
pub(crate) mod ui;

/// The pure core, under the names it always had here.
pub use sts3_core::{
    access_check, bucket, credentials, escape, failure, highlight, keymap, object, policy,
};
