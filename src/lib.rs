//! sts3: browse an S3 bucket with temporary STS credentials.
//!
//! A pure core (`credentials`, `policy`, `bucket`, `object`, `failure`, `keymap`, `settings`, and the TUI
//! model in `app`) and a thin shell (`aws` for the network, `headless` for the commands,
//! `runtime` for the terminal). Items are `pub(crate)` unless the binary or the integration
//! tests use them.
#![warn(unreachable_pub)]

pub(crate) mod app;
pub mod aws;
pub mod bucket;
pub mod cli;
pub mod clock;
pub mod credentials;
pub mod escape;
pub mod failure;
pub mod headless;
pub mod keymap;
pub mod logging;
pub mod object;
pub mod policy;
pub mod runtime;
pub mod settings;
#[doc(hidden)]
pub mod testing;
pub mod transfer;
pub(crate) mod ui;
