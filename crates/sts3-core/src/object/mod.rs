//! One object, as the actions on it see it: its detail (HeadObject), a preview of its first
//! bytes, a download that resumes where it broke off, and a presigned URL no longer-lived than
//! the session. Pure: the network half is in `aws::s3::object`, the file half in the commands.

pub mod archive;
pub mod checksum;
pub mod detail;
pub mod download;
pub mod presign;
pub mod preview;
pub mod sse_c;
pub mod tree;
pub mod upload;

pub use detail::ObjectDetail;
pub use presign::{PresignError, Validity, validity};

use crate::failure::AwsFailure;

/// What a copy within S3 (or a move) answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    /// The copy: its size and the ETag it has.
    pub landed: upload::Landed,
    /// A move whose source could not be deleted once copied: why (the copy is kept).
    pub source_kept: Option<AwsFailure>,
}

/// What S3 answered to a deletion (one DeleteObjects or several).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deleted {
    /// The keys S3 could not delete, each with why.
    pub refused: Vec<(String, AwsFailure)>,
    /// The delete markers S3 made for the keys it deleted: on a versioned bucket a delete hides
    /// the object behind a marker, and every version stays.
    pub markers: u64,
}

impl Deleted {
    /// Adds the answer to one more batch.
    pub fn add(&mut self, more: Deleted) {
        self.refused.extend(more.refused);
        self.markers += more.markers;
    }

    /// What the delete markers mean, when S3 made any.
    pub fn marker_note(&self) -> Option<String> {
        markers_note(self.markers)
    }
}

/// What `markers` delete markers mean, when S3 made any.
pub fn markers_note(markers: u64) -> Option<String> {
    match markers {
        0 => None,
        1 => Some(
            "the bucket is versioned: a delete marker hides the object, and every version of it is kept".to_string(),
        ),
        n => Some(format!(
            "the bucket is versioned: {} delete markers hide the objects, and every version of them is kept",
            detail::thousands(n)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::ErrorKind;

    #[test]
    fn batches_add_up_and_markers_are_said_only_when_made() {
        let mut all = Deleted::default();
        assert_eq!(all.marker_note(), None);
        let refused = (
            "k".to_string(),
            AwsFailure::new(ErrorKind::AccessDenied, Some("AccessDenied"), "no"),
        );
        all.add(Deleted {
            refused: vec![refused.clone()],
            markers: 1,
        });
        assert_eq!(
            all.marker_note().as_deref(),
            Some(
                "the bucket is versioned: a delete marker hides the object, and every version of it is kept"
            )
        );
        all.add(Deleted {
            refused: vec![],
            markers: 1999,
        });
        assert_eq!(all.refused, vec![refused]);
        assert_eq!(all.markers, 2000);
        assert_eq!(
            all.marker_note().as_deref(),
            Some(
                "the bucket is versioned: 2,000 delete markers hide the objects, and every version of them is kept"
            )
        );
    }
}
