use super::*;
use crate::credentials::{CredentialRequest, Mode};

fn opts(bucket: &str) -> Options {
    Options {
        bucket: Some(bucket.to_string()),
        ..Options::default()
    }
}

fn resolve_with(opts: &Options, file: &str) -> Result<Settings, SetupError> {
    Settings::resolve_text(opts, file, "test.toml")
}

#[test]
fn embedded_defaults_parse() {
    let d = FileConfig::parse(DEFAULT_CONFIG, "defaults").unwrap();
    assert_eq!(d.mode, Some(Mode::Federated));
    assert_eq!(d.duration, Some(3600));
    assert_eq!(d.page_size, Some(1000));
    assert_eq!(d.refresh.margin_secs, Some(300));
}

#[test]
fn flags_override_file_which_overrides_defaults() {
    let mut o = opts("flag-bucket");
    o.duration = Some(1800);
    let s = resolve_with(
        &o,
        "bucket = \"file-bucket\"\nduration = 7200\npage_size = 50\n",
    )
    .unwrap();
    assert_eq!(s.target.bucket, "flag-bucket");
    assert_eq!(s.target.duration_secs, 1800);
    assert_eq!(s.config.page_size, 50);
    assert_eq!(s.target.session_name, "assumerole-s3-list");
    assert!(!s.target.policy_from_file);
    assert!(
        s.target
            .policy
            .compact()
            .contains("arn:aws:s3:::flag-bucket")
    );
}

#[test]
fn config_syntax_error_names_path_and_line() {
    let err = resolve_with(&opts("b-1"), "page_size = 10\nmode = federated\n").unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with("config file test.toml line 2, column 8: "),
        "{msg}"
    );
}

#[test]
fn unknown_config_key_is_an_error() {
    let err = resolve_with(&opts("b-1"), "bukket = \"x\"\n").unwrap_err();
    assert!(err.to_string().contains("unknown field `bukket`"), "{err}");
    assert!(err.to_string().contains("line 1"), "{err}");
}

#[test]
fn out_of_range_duration_rejected_before_network() {
    let mut o = opts("b-1");
    o.mode = Some(Mode::AssumedRole);
    o.role_arn = Some("arn:aws:iam::123456789012:role/R".into());
    o.duration = Some(50_000);
    let err = resolve_with(&o, "").unwrap_err();
    assert!(
        matches!(err, SetupError::Spec(SpecError::Duration { .. })),
        "{err}"
    );
}

#[test]
fn role_mode_without_arn_says_so() {
    let mut o = opts("b-1");
    o.mode = Some(Mode::AssumedRole);
    let err = resolve_with(&o, "").unwrap_err();
    assert!(matches!(err, SetupError::Spec(SpecError::MissingRoleArn)));
    // But a federated start is fine, and the role mode error surfaces only on request.
    let s = resolve_with(&opts("b-1"), "").unwrap();
    assert_eq!(
        s.target.request_for(Mode::AssumedRole, None),
        Err(SpecError::MissingRoleArn)
    );
    assert!(s.target.request_for(Mode::SessionToken, None).is_ok());
}

#[test]
fn bad_bucket_page_size_and_endpoint() {
    assert!(matches!(
        resolve_with(&opts("Bad_Bucket"), ""),
        Err(SetupError::BadBucket(_))
    ));
    let mut o = opts("b-1");
    o.page_size = Some(0);
    assert!(matches!(resolve_with(&o, ""), Err(SetupError::PageSize(0))));
    for (n, ok) in [(0, false), (1, true), (64, true), (65, false)] {
        let result = resolve_with(&opts("b-1"), &format!("parallel = {n}\n"));
        assert_eq!(result.is_ok(), ok, "parallel = {n}");
        if !ok {
            assert_eq!(
                result.unwrap_err().to_string(),
                format!(
                    "parallel = {n} in the config file is out of range; set it between 1 and 64"
                )
            );
        }
    }
    for bad in [
        "localhost:9000",
        "http://",
        "ftp://x",
        "http://host:99999",
        "http://a b",
    ] {
        let mut o = opts("b-1");
        o.endpoint_url = Some(bad.into());
        assert!(
            matches!(resolve_with(&o, ""), Err(SetupError::EndpointUrl(_))),
            "{bad}"
        );
    }
    for good in [
        "http://127.0.0.1:8333",
        "https://s3.example.com/",
        "http://[::1]:9000",
    ] {
        let mut o = opts("b-1");
        o.endpoint_url = Some(good.into());
        assert!(resolve_with(&o, "").is_ok(), "{good}");
    }
}

#[test]
fn per_mode_overrides_apply_only_to_their_mode() {
    let mut o = opts("b-1");
    o.endpoint_url = Some("http://127.0.0.1:1000".into());
    let s = resolve_with(
        &o,
        "[modes.session]\nendpoint_url = \"http://127.0.0.1:2000\"\nprofile = \"mfa\"\n",
    )
    .unwrap();
    assert_eq!(
        s.target
            .base_for(Mode::SessionToken)
            .endpoint_url
            .as_deref(),
        Some("http://127.0.0.1:2000")
    );
    assert_eq!(
        s.target.base_for(Mode::SessionToken).profile.as_deref(),
        Some("mfa")
    );
    assert_eq!(
        s.target.base_for(Mode::Federated).endpoint_url.as_deref(),
        Some("http://127.0.0.1:1000")
    );
    assert_eq!(s.target.base_for(Mode::Federated).profile, None);
    let err = resolve_with(&opts("b-1"), "[modes.role]\nendpoint_url = \"nope\"\n").unwrap_err();
    assert!(matches!(err, SetupError::EndpointUrl(_)));
}

#[test]
fn role_request_carries_policy_only_from_file() {
    let mut o = opts("b-1");
    o.role_arn = Some("arn:aws:iam::123456789012:role/R".into());
    let s = resolve_with(&o, "").unwrap();
    match s.target.request_for(Mode::AssumedRole, None).unwrap() {
        CredentialRequest::AssumedRole {
            policy,
            session_name,
            ..
        } => {
            assert!(policy.is_none());
            assert_eq!(session_name, "assumerole-s3-list");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_template_is_the_session_policy_as_a_file_would_be_and_wins_over_the_configs() {
    let policy_file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        policy_file.path(),
        r#"{"Version":"2012-10-17","Statement":[]}"#,
    )
    .unwrap();
    let file = format!("policy = {:?}\n", policy_file.path());
    let mut o = opts("b-1");
    o.template = Some("read-write-prefix".into());
    o.prefix = Some("docs/".into());
    o.role_arn = Some("arn:aws:iam::123456789012:role/R".into());
    let s = resolve_with(&o, &file).unwrap();
    let template = crate::policy::templates::by_name("read-write-prefix", "b-1", "docs/").unwrap();
    assert_eq!(s.target.policy, template);
    // Attached in role mode too, as a policy file is.
    match s.target.request_for(Mode::AssumedRole, None).unwrap() {
        CredentialRequest::AssumedRole { policy, .. } => assert_eq!(policy, Some(template)),
        other => panic!("{other:?}"),
    }
    o.prefix = None;
    let err = resolve_with(&o, "").unwrap_err();
    assert_eq!(
        err.to_string(),
        "template read-write-prefix is for a folder; pass --prefix FOLDER/ with it"
    );
    o.template = Some("read-write".into());
    o.bucket = None;
    assert!(matches!(
        resolve_with(&o, "").unwrap_err(),
        SetupError::TemplateWithoutBucket(name) if name == "read-write"
    ));
    o.bucket = Some("b-1".into());
    o.mode = Some(Mode::SessionToken);
    assert!(matches!(
        resolve_with(&o, "").unwrap_err(),
        SetupError::TemplateInSessionMode
    ));
}

mod profiles;

#[test]
fn the_mfa_code_comes_from_the_flag_else_from_the_injected_environment() {
    let env = AwsEnv {
        mfa_code: Some("222222".into()),
        ..AwsEnv::default()
    };
    let file = "mfa_serial = \"arn:aws:iam::123456789012:mfa/alice\"\nmode = \"session-token\"\n";
    let s = Settings::resolve_with_env(&opts("b-1"), file, "test.toml", &env).unwrap();
    assert_eq!(s.config.mfa_code.as_deref(), Some("222222"));
    let flagged = Options {
        mfa_code: Some("111111".into()),
        ..opts("b-1")
    };
    let s = Settings::resolve_with_env(&flagged, file, "test.toml", &env).unwrap();
    assert_eq!(
        s.config.mfa_code.as_deref(),
        Some("111111"),
        "the flag wins"
    );
    let s =
        Settings::resolve_with_env(&opts("b-1"), file, "test.toml", &AwsEnv::default()).unwrap();
    assert_eq!(s.config.mfa_code, None);
}

#[test]
fn the_list_output_keys_are_read_from_the_config_file() {
    let s = resolve_with(&opts("b-1"), "long = true\nsummarize = true\n").unwrap();
    assert!(s.config.list.long && s.config.list.summarize);
    let s = resolve_with(&opts("b-1"), "").unwrap();
    assert!(
        !s.config.list.long && !s.config.list.summarize,
        "off by default"
    );
}

#[test]
fn the_share_key_tells_apart_what_makes_another_session() {
    use crate::credentials::Mode;
    let key = |f: &dyn Fn(&mut Options)| {
        let mut o = opts("b-1");
        f(&mut o);
        let s = resolve_with(&o, "").unwrap();
        s.target.share_key(s.target.mode, &s.target.bucket)
    };
    let alice = key(&|_| {});
    assert_eq!(alice, key(&|_| {}), "the same flags, the same key");
    assert!(
        alice.starts_with("mode=federated bucket=b-1 user="),
        "{alice}"
    );
    assert!(
        alice.contains("\"Resource\""),
        "the policy is part of it: {alice}"
    );
    for other in [
        key(&|o| o.bucket = Some("b-2".into())),
        key(&|o| o.user = Some("bob".into())),
        key(&|o| o.endpoint_url = Some("http://127.0.0.1:9".into())),
        key(&|o| o.region = Some("eu-west-1".into())),
    ] {
        assert_ne!(alice, other);
    }
    let s = resolve_with(&opts("b-1"), "").unwrap();
    assert_ne!(
        s.target.share_key(Mode::SessionToken, "b-1"),
        alice,
        "another mode"
    );
}
