//! The headless commands, one file each: `sts3 list`.

pub mod list;

pub use list::{ListError, local_time, run};
