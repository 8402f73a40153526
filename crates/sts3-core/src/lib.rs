//! sts3's pure core: what a session is and when to refresh it (`credentials`), session policies
//! and their evaluation (`policy`), the access check built on them (`access_check`), listings
//! and their split into ranges (`bucket`), what is done with one object (`object`), what a
//! failure means (`failure`), keys (`keymap`), and safe text (`escape`, `highlight`).
//!
//! No tokio, no AWS SDK, no terminal: none is a dependency of this crate, so the compiler
//! forbids them here. The `sts3` crate re-exports every module under the same name.
#![warn(unreachable_pub)]

pub mod access_check;
pub mod bucket;
pub mod credentials;
pub mod escape;
pub mod failure;
pub mod highlight;
pub mod keymap;
pub mod object;
pub mod policy;
