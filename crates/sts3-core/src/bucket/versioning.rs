//! A bucket's versioning state (`GetBucketVersioning`): whether a delete keeps what it hides.

/// What GetBucketVersioning answered, or that it is not known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Versioning {
    /// Not asked yet, refused (the session may not ask), or failed: nothing is claimed.
    #[default]
    Unknown,
    /// Versioning was never turned on: a delete removes the object.
    Never,
    /// A delete makes a delete marker; every version is kept.
    Enabled,
    /// Turned on once, now off: the versions made then are kept, new writes replace.
    Suspended,
}

impl Versioning {
    /// From GetBucketVersioning's `Status`: absent when versioning was never turned on.
    pub fn from_status(status: Option<&str>) -> Self {
        match status {
            None | Some("") => Versioning::Never,
            Some(s) if s.eq_ignore_ascii_case("Enabled") => Versioning::Enabled,
            Some(s) if s.eq_ignore_ascii_case("Suspended") => Versioning::Suspended,
            Some(_) => Versioning::Unknown,
        }
    }

    /// The word the objects pane's title shows; none when there is nothing worth saying.
    pub fn label(self) -> Option<&'static str> {
        match self {
            Versioning::Enabled => Some("versioned"),
            Versioning::Suspended => Some("versioning suspended"),
            Versioning::Unknown | Versioning::Never => None,
        }
    }

    /// The state in words, whatever it is (the versions view's title).
    pub fn state_word(self) -> &'static str {
        match self {
            Versioning::Enabled => "versioned",
            Versioning::Suspended => "versioning suspended",
            Versioning::Never => "never versioned",
            Versioning::Unknown => "versioning unknown",
        }
    }

    /// What a delete's confirmation says beforehand about what is kept.
    pub fn delete_note(self) -> Option<&'static str> {
        match self {
            Versioning::Enabled => Some("versioned: every version is kept"),
            Versioning::Suspended => Some("versioning suspended: older versions kept"),
            Versioning::Unknown | Versioning::Never => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Versioning;

    #[test]
    fn the_status_s3_answers_is_the_state_and_no_status_is_never() {
        assert_eq!(Versioning::from_status(None), Versioning::Never);
        assert_eq!(Versioning::from_status(Some("")), Versioning::Never);
        assert_eq!(
            Versioning::from_status(Some("Enabled")),
            Versioning::Enabled
        );
        assert_eq!(
            Versioning::from_status(Some("Suspended")),
            Versioning::Suspended
        );
        assert_eq!(Versioning::from_status(Some("Other")), Versioning::Unknown);
        assert_eq!(Versioning::default(), Versioning::Unknown);
    }

    #[test]
    fn only_a_bucket_that_keeps_versions_says_so() {
        assert_eq!(Versioning::Enabled.label(), Some("versioned"));
        assert_eq!(Versioning::Suspended.label(), Some("versioning suspended"));
        assert_eq!(Versioning::Never.label(), None);
        assert_eq!(Versioning::Unknown.label(), None);
        assert!(
            Versioning::Enabled
                .delete_note()
                .unwrap()
                .contains("every version is kept")
        );
        assert!(
            Versioning::Suspended
                .delete_note()
                .unwrap()
                .contains("older versions kept")
        );
        assert_eq!(Versioning::Never.delete_note(), None);
        assert_eq!(Versioning::Never.state_word(), "never versioned");
        assert_eq!(Versioning::Unknown.state_word(), "versioning unknown");
        assert_eq!(Versioning::Enabled.state_word(), "versioned");
        assert_eq!(Versioning::Suspended.state_word(), "versioning suspended");
        assert_eq!(Versioning::Unknown.delete_note(), None);
    }
}
