//! sts3: browse an S3 bucket with temporary STS credentials.
//!
//! A pure core (`session`, `policy`, `listing`, `failure`, and the TUI model) and a thin shell
//! (`aws` for the network, `headless` for `sts3 list`).

pub mod app;
pub mod aws;
pub mod cli;
pub mod clock;
pub mod config;
pub mod failure;
pub mod headless;
pub mod listing;
pub mod logging;
pub mod policy;
pub mod runtime;
pub mod session;
pub mod ui;
