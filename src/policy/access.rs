//! Does a session policy allow an action on a resource? The part of IAM's evaluation a session
//! policy decides: an explicit `Deny` wins, else some `Allow` must match. Wildcards (`*`, `?`)
//! as IAM reads them: actions case-insensitively, resources exactly. Conditions are not
//! evaluated (they need the request's context): a statement with one is taken to match, so
//! "denied" is certain and "allowed" means "allowed unless a condition says otherwise".

use serde_json::Value;

/// What a policy says of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Allowed,
    /// No statement allows it.
    NotAllowed,
    /// A `Deny` statement matches it.
    Denied,
}

/// What the policy `document` says of `action` (`s3:GetObject`) on `resource`
/// (`arn:aws:s3:::bucket/key`).
pub fn access(document: &Value, action: &str, resource: &str) -> Access {
    let statements: Vec<&Value> = match document.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    let mut allowed = false;
    for st in statements {
        if !matches(st, "Action", "NotAction", action, true)
            || !matches(st, "Resource", "NotResource", resource, false)
        {
            continue;
        }
        match st.get("Effect").and_then(Value::as_str) {
            Some("Deny") => return Access::Denied,
            Some("Allow") => allowed = true,
            _ => {}
        }
    }
    if allowed {
        Access::Allowed
    } else {
        Access::NotAllowed
    }
}

/// Whether statement `st` covers `value` through its `field` (or, inverted, `not_field`).
fn matches(st: &Value, field: &str, not_field: &str, value: &str, fold_case: bool) -> bool {
    let any = |patterns: &Value| {
        let list: Vec<&str> = match patterns {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        list.iter().any(|p| {
            if fold_case {
                wildcard(&p.to_ascii_lowercase(), &value.to_ascii_lowercase())
            } else {
                wildcard(p, value)
            }
        })
    };
    if let Some(patterns) = st.get(field) {
        any(patterns)
    } else if let Some(patterns) = st.get(not_field) {
        !any(patterns)
    } else {
        false
    }
}

/// `*` matches any run of characters, `?` any one.
pub fn wildcard(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const OBJ: &str = "arn:aws:s3:::b/docs/a.txt";

    #[test]
    fn wildcards_match_as_iam_reads_them() {
        assert!(wildcard("*", ""));
        assert!(wildcard("arn:aws:s3:::b/*", OBJ));
        assert!(wildcard("arn:aws:s3:::b/docs/?.txt", OBJ));
        assert!(!wildcard("arn:aws:s3:::b/docs/??.txt", OBJ));
        assert!(wildcard("s3:get*", "s3:getobject"));
        assert!(wildcard("a*b*c", "aXXbYYc"));
        assert!(!wildcard("a*b*c", "aXXbYY"));
        assert!(!wildcard("arn:aws:s3:::b", "arn:aws:s3:::b/x"));
        assert!(wildcard("**", "x"));
    }

    #[test]
    fn a_list_only_policy_does_not_allow_reading_objects() {
        let policy = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"}
        ]});
        assert_eq!(
            access(&policy, "s3:ListBucket", "arn:aws:s3:::b"),
            Access::Allowed
        );
        assert_eq!(access(&policy, "s3:GetObject", OBJ), Access::NotAllowed);
    }

    #[test]
    fn actions_fold_case_and_resources_do_not() {
        let policy = json!({"Statement": {"Effect": "Allow", "Action": ["S3:Get*"],
            "Resource": "arn:aws:s3:::b/docs/*"}});
        assert_eq!(access(&policy, "s3:GetObject", OBJ), Access::Allowed);
        assert_eq!(
            access(&policy, "s3:GetObject", "arn:aws:s3:::b/Docs/a.txt"),
            Access::NotAllowed
        );
    }

    #[test]
    fn an_explicit_deny_wins_and_not_fields_invert() {
        let policy = json!({"Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Deny", "NotAction": "s3:List*", "Resource": "arn:aws:s3:::b/docs/*"}
        ]});
        assert_eq!(access(&policy, "s3:GetObject", OBJ), Access::Denied);
        assert_eq!(
            access(&policy, "s3:ListBucket", "arn:aws:s3:::b/docs/x"),
            Access::Allowed
        );
        assert_eq!(
            access(&policy, "s3:GetObject", "arn:aws:s3:::b/other"),
            Access::Allowed
        );
        let policy = json!({"Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::b/secret/*"}
        ]});
        assert_eq!(access(&policy, "s3:GetObject", OBJ), Access::Allowed);
        assert_eq!(
            access(&policy, "s3:GetObject", "arn:aws:s3:::b/secret/k"),
            Access::NotAllowed
        );
    }

    #[test]
    fn statements_without_the_fields_or_effect_match_nothing() {
        let policy = json!({"Statement": [
            {"Effect": "Allow", "Resource": "*"},
            {"Action": "*", "Resource": "*"},
            {"Effect": "Maybe", "Action": "*", "Resource": "*"}
        ]});
        assert_eq!(access(&policy, "s3:GetObject", OBJ), Access::NotAllowed);
        assert_eq!(access(&json!({}), "s3:GetObject", OBJ), Access::NotAllowed);
    }
}
