//! One object, as the actions on it see it: its detail (HeadObject), a preview of its first
//! bytes, a download that resumes where it broke off, and a presigned URL no longer-lived than
//! the session. Pure: the network half is in `aws::s3::object`, the file half in the commands.

pub mod detail;
pub mod download;
pub mod presign;
pub mod preview;
pub mod upload;

pub use detail::ObjectDetail;
pub use presign::{PresignError, Validity, validity};
