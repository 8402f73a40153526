use super::*;
use crate::policy::access::{Decision, Request};

fn find<'a>(templates: &'a [Template], name: &str) -> &'a SessionPolicy {
    templates
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no template {name}"))
        .policy
        .as_ref()
        .unwrap()
}

fn decide(policy: &SessionPolicy, action: &str, resource: &str, prefix: Option<&str>) -> bool {
    policy
        .evaluate(&Request {
            action,
            resource,
            prefix,
        })
        .allows()
        .unwrap()
}

#[test]
fn the_root_has_the_bucket_templates_and_a_folder_adds_three() {
    let names = |t: Vec<Template>| t.into_iter().map(|t| t.name).collect::<Vec<_>>();
    assert_eq!(
        names(built_in("b", "")),
        [
            "list only",
            "read-only bucket",
            "read-write bucket",
            "deny all"
        ]
    );
    assert_eq!(
        names(built_in("b", "docs/")),
        [
            "list only",
            "read-only bucket",
            "read-only under docs/",
            "list-only under docs/",
            "read-write bucket",
            "read-write under docs/",
            "deny all"
        ]
    );
}

#[test]
fn the_read_write_templates_write_and_delete_where_they_say_and_nowhere_else() {
    let t = built_in("b", "docs/");
    let all = find(&t, "read-write bucket");
    for action in ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] {
        assert!(
            decide(all, action, "arn:aws:s3:::b/any/k", None),
            "{action}"
        );
        assert!(
            !decide(all, action, "arn:aws:s3:::other/k", None),
            "{action}"
        );
    }
    assert!(decide(all, "s3:ListBucket", "arn:aws:s3:::b", Some("")));
    let under = find(&t, "read-write under docs/");
    assert!(decide(
        under,
        "s3:PutObject",
        "arn:aws:s3:::b/docs/a.txt",
        None
    ));
    assert!(decide(
        under,
        "s3:DeleteObject",
        "arn:aws:s3:::b/docs/a/b",
        None
    ));
    assert!(!decide(
        under,
        "s3:PutObject",
        "arn:aws:s3:::b/top.txt",
        None
    ));
    assert!(!decide(under, "s3:ListBucket", "arn:aws:s3:::b", Some("")));
    assert!(decide(
        under,
        "s3:ListBucket",
        "arn:aws:s3:::b",
        Some("docs/x")
    ));
}

#[test]
fn each_template_allows_what_its_name_says() {
    let t = built_in("b", "docs/");
    let list_only = find(&t, "list only");
    assert!(decide(
        list_only,
        "s3:ListBucket",
        "arn:aws:s3:::b",
        Some("")
    ));
    assert!(!decide(list_only, "s3:GetObject", "arn:aws:s3:::b/k", None));
    let read = find(&t, "read-only bucket");
    assert_eq!(read, &Policy::for_bucket("b", true).build().unwrap());
    let under = find(&t, "read-only under docs/");
    assert!(decide(
        under,
        "s3:ListBucket",
        "arn:aws:s3:::b",
        Some("docs/")
    ));
    assert!(decide(
        under,
        "s3:ListBucket",
        "arn:aws:s3:::b",
        Some("docs/x/")
    ));
    assert!(!decide(under, "s3:ListBucket", "arn:aws:s3:::b", Some("")));
    assert!(decide(under, "s3:GetObject", "arn:aws:s3:::b/docs/a", None));
    assert!(!decide(under, "s3:GetObject", "arn:aws:s3:::b/a", None));
    let list_under = find(&t, "list-only under docs/");
    assert!(decide(
        list_under,
        "s3:ListBucket",
        "arn:aws:s3:::b",
        Some("docs/")
    ));
    assert!(!decide(
        list_under,
        "s3:GetObject",
        "arn:aws:s3:::b/docs/a",
        None
    ));
    let deny = find(&t, "deny all");
    assert_eq!(
        deny.evaluate(&Request::new("s3:ListBucket", "arn:aws:s3:::b")),
        Decision::Denied { statement: 1 }
    );
}

#[test]
fn a_prefix_too_long_for_sts_shows_the_size_error() {
    let long = format!("{}/", "x".repeat(1500));
    let t = built_in("b", &long);
    let under = t
        .iter()
        .find(|t| t.name.starts_with("read-only under"))
        .unwrap();
    assert!(matches!(under.policy, Err(PolicyError::TooLarge { .. })));
}

#[test]
fn user_files_become_templates_or_say_why_not() {
    let files = vec![
        (
            "mine.json".to_string(),
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#
                .to_string(),
        ),
        ("broken.json".to_string(), "{".to_string()),
    ];
    let t = user_files(&files);
    assert_eq!(t[0].name, "mine.json");
    assert!(t[0].policy.is_ok());
    assert!(matches!(t[1].policy, Err(PolicyError::Syntax { .. })));
}

#[test]
fn exec_names_a_template_by_its_short_name_and_a_folder_one_needs_a_prefix() {
    for (name, _) in NAMES {
        let prefix = "logs/";
        let by = by_name(name, "b", prefix).unwrap();
        let picker = built_in("b", prefix);
        assert!(
            picker.iter().any(|t| t.policy.as_ref() == Ok(&by)),
            "{name} is one of the picker's"
        );
    }
    let under = by_name("read-only-prefix", "b", "logs/").unwrap();
    assert!(decide(
        &under,
        "s3:GetObject",
        "arn:aws:s3:::b/logs/x",
        None
    ));
    assert!(!decide(
        &under,
        "s3:GetObject",
        "arn:aws:s3:::b/other",
        None
    ));
    assert_eq!(
        by_name("read-only-prefix", "b", ""),
        Err(TemplateError::NeedsPrefix("read-only-prefix"))
    );
    assert_eq!(
        by_name("read-only-prefix", "b", "")
            .unwrap_err()
            .to_string(),
        "template read-only-prefix is for a folder; pass --prefix FOLDER/ with it"
    );
    assert_eq!(
        by_name("readonly", "b", "").unwrap_err().to_string(),
        "no template is called \"readonly\"; use one of list-only, read-only, read-only-prefix, list-only-prefix, read-write, read-write-prefix, deny-all"
    );
    assert!(
        by_name("read-only", "b", "").is_ok(),
        "a bucket one needs none"
    );
}
