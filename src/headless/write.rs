//! What the writing commands share: the session policy's prediction, asked before anything is
//! sent to AWS (a refused write costs no request and names the statement, or the lack of one).

use super::session::CommandError;
use crate::policy::SessionPolicy;

/// Keys named at most in one refusal (the first of them).
const SHOWN: usize = 3;

/// Refuses, before any request, when the session policy does not allow `action` on every
/// key: names the first keys refused, why, and the way out.
pub(super) fn predicted<'a>(
    policy: &SessionPolicy,
    action: &str,
    bucket: &str,
    keys: impl Iterator<Item = &'a str>,
) -> Result<(), CommandError> {
    let refused: Vec<String> = keys
        .filter_map(|key| policy.refusal_hint(action, bucket, key))
        .collect();
    let Some(first) = refused.first() else {
        return Ok(());
    };
    Err(refusal(first, refused.len()))
}

/// Refuses, before any request, when the session policy does not allow `action` on the
/// bucket itself.
pub(super) fn predicted_on_bucket(
    policy: &SessionPolicy,
    action: &str,
    bucket: &str,
) -> Result<(), CommandError> {
    match policy.bucket_refusal_hint(action, bucket) {
        Some(why) => Err(refusal(&why, 1)),
        None => Ok(()),
    }
}

/// The refusal of `count` keys, the first `first`.
fn refusal(first: &str, count: usize) -> CommandError {
    let more = match count {
        1 => String::new(),
        n if n <= SHOWN => format!(" (and {} more)", n - 1),
        n => format!(" (and {} more keys)", n - 1),
    };
    CommandError::Usage(format!(
        "{first}{more}; nothing was sent. Use a session policy that allows it: --template read-write (or read-write-prefix with --prefix), or --policy FILE"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_the_policy_refuses_is_said_before_anything_is_sent() {
        let read_only = crate::policy::Policy::for_bucket("b", true)
            .build()
            .unwrap();
        let e = predicted(&read_only, "s3:PutObject", "b", ["a", "b/c"].into_iter()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "sts3: the session policy does not allow s3:PutObject on arn:aws:s3:::b/a (and 1 more); nothing was sent. Use a session policy that allows it: --template read-write (or read-write-prefix with --prefix), or --policy FILE"
        );
        assert_eq!(e.exit_code(), 2);
        let rw = crate::policy::templates::by_name("read-write", "b", "").unwrap();
        assert!(predicted(&rw, "s3:DeleteObject", "b", ["a", "b/c"].into_iter()).is_ok());
        let five = ["1", "2", "3", "4", "5"];
        let e = predicted(&read_only, "s3:DeleteObject", "b", five.into_iter()).unwrap_err();
        assert!(
            e.to_string()
                .contains("on arn:aws:s3:::b/1 (and 4 more keys);"),
            "{e}"
        );
    }
}
