//! What a session policy says of one request: the part of IAM's evaluation a session policy
//! decides. An explicit `Deny` wins; else some `Allow` must match. Wildcards (`*`, `?`) as IAM
//! reads them: actions case-insensitively, resources exactly. `NotAction` and `NotResource`
//! invert. Of conditions only `s3:prefix` under `StringLike` / `StringEquals` is evaluated (from
//! the request's prefix); a statement with any other condition is reported, not guessed.
//!
//! The answer names the statement that decided, numbered from 1 as the validator numbers them.

use serde_json::Value;

/// One request, as the policy sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request<'a> {
    /// `s3:GetObject`.
    pub action: &'a str,
    /// `arn:aws:s3:::bucket/key`.
    pub resource: &'a str,
    /// The `s3:prefix` condition key: the `prefix` parameter of a ListObjects call (`""` when
    /// it lists from the root); `None` for requests that have no such key.
    pub prefix: Option<&'a str>,
}

impl<'a> Request<'a> {
    /// A request without condition keys.
    pub fn new(action: &'a str, resource: &'a str) -> Self {
        Self {
            action,
            resource,
            prefix: None,
        }
    }
}

/// What the policy says of a request, and which statement said it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// The first statement (1-based) that allows it; no `Deny` matches.
    Allowed { statement: usize },
    /// The first `Deny` statement that matches.
    Denied { statement: usize },
    /// No statement allows it (an implicit deny).
    NotAllowed,
    /// The answer hangs on a condition the evaluator does not evaluate, in this statement.
    Conditional { statement: usize, condition: String },
}

impl Decision {
    /// Whether the policy lets the request through: `None` when a condition decides.
    pub fn allows(&self) -> Option<bool> {
        match self {
            Decision::Allowed { .. } => Some(true),
            Decision::Denied { .. } | Decision::NotAllowed => Some(false),
            Decision::Conditional { .. } => None,
        }
    }
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Decision::Allowed { statement } => write!(f, "allowed by statement {statement}"),
            Decision::Denied { statement } => write!(f, "denied by statement {statement}"),
            Decision::NotAllowed => f.write_str("no statement allows it"),
            Decision::Conditional {
                statement,
                condition,
            } => write!(
                f,
                "statement {statement} has a condition ({condition}): not evaluated"
            ),
        }
    }
}

/// Whether a statement's condition holds for a request.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Holds {
    Yes,
    No,
    /// Not evaluated: the first operator or key the evaluator does not know.
    Unknown(String),
}

/// What the policy `document` says of `request`.
pub fn evaluate(document: &Value, request: &Request<'_>) -> Decision {
    let statements: Vec<&Value> = match document.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    let mut allowed = None;
    let mut unsure_allow = None;
    let mut unsure_deny = None;
    for (i, st) in statements.into_iter().enumerate() {
        let n = i + 1;
        if !matches(st, "Action", "NotAction", request.action, true)
            || !matches(st, "Resource", "NotResource", request.resource, false)
        {
            continue;
        }
        let holds = condition_holds(st.get("Condition"), request);
        match (st.get("Effect").and_then(Value::as_str), holds) {
            (Some("Deny"), Holds::Yes) => return Decision::Denied { statement: n },
            (Some("Deny"), Holds::Unknown(c)) => {
                unsure_deny.get_or_insert((n, c));
            }
            (Some("Allow"), Holds::Yes) => {
                allowed.get_or_insert(n);
            }
            (Some("Allow"), Holds::Unknown(c)) => {
                unsure_allow.get_or_insert((n, c));
            }
            _ => {} // ruled out by its condition, or no known Effect
        }
    }
    match (allowed, unsure_deny, unsure_allow) {
        (Some(_), Some((statement, condition)), _) | (None, _, Some((statement, condition))) => {
            Decision::Conditional {
                statement,
                condition,
            }
        }
        (Some(statement), None, _) => Decision::Allowed { statement },
        (None, _, None) => Decision::NotAllowed,
    }
}

/// A `Condition` block: every operator, every key under it must hold (a key holds when any of
/// its values matches).
fn condition_holds(condition: Option<&Value>, request: &Request<'_>) -> Holds {
    let Some(condition) = condition else {
        return Holds::Yes;
    };
    let Some(operators) = condition.as_object() else {
        return Holds::Unknown("a condition that is not an object".to_string());
    };
    // All must hold: one that fails rules the statement out, whatever the unknown ones say.
    let mut unknown = None;
    for (operator, keys) in operators {
        match operator_holds(operator, keys, request) {
            Holds::No => return Holds::No,
            Holds::Unknown(what) => {
                unknown.get_or_insert(what);
            }
            Holds::Yes => {}
        }
    }
    unknown.map_or(Holds::Yes, Holds::Unknown)
}

/// One operator's keys, e.g. `"StringLike": {"s3:prefix": ["docs/*"]}`.
fn operator_holds(operator: &str, keys: &Value, request: &Request<'_>) -> Holds {
    let like = match operator {
        "StringLike" => true,
        "StringEquals" => false,
        other => return Holds::Unknown(other.to_string()),
    };
    let Some(keys) = keys.as_object() else {
        return Holds::Unknown(operator.to_string());
    };
    let mut unknown = None;
    for (key, values) in keys {
        // Condition key names are case-insensitive.
        let values: Vec<&str> = match values {
            _ if !key.eq_ignore_ascii_case("s3:prefix") => {
                unknown.get_or_insert(format!("{operator} on {key}"));
                continue;
            }
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => {
                unknown.get_or_insert(format!("{operator} on {key}"));
                continue;
            }
        };
        // A request without the key does not satisfy a string operator on it.
        let hit = request.prefix.is_some_and(|prefix| {
            values.iter().any(|v| {
                if like {
                    wildcard(v, prefix)
                } else {
                    *v == prefix
                }
            })
        });
        if !hit {
            return Holds::No;
        }
    }
    unknown.map_or(Holds::Yes, Holds::Unknown)
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
mod tests;
