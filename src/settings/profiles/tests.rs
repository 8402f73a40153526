use super::*;

const CONFIG: &str = r"
# the AWS CLI's config
[default]
region = us-east-1

[profile dev]
region = eu-west-1
s3 =
  max_concurrent_requests = 20

[profile auditor]
role_arn = arn:aws:iam::111122223333:role/Auditor
source_profile = dev
mfa_serial = arn:aws:iam::111122223333:mfa/alice
external_id = ext-1
role_session_name = alice-audit
duration_seconds = 1800

[profile hop]
role_arn = arn:aws:iam::111122223333:role/Hop
source_profile = auditor

[profile env-role]
role_arn = arn:aws:iam::111122223333:role/FromEnv
credential_source = Environment

[profile ec2-role]
role_arn = arn:aws:iam::111122223333:role/FromEc2
credential_source = Ec2InstanceMetadata

[profile loop-a]
role_arn = arn:aws:iam::111122223333:role/A
source_profile = loop-b

[profile loop-b]
role_arn = arn:aws:iam::111122223333:role/B
source_profile = loop-a

[profile dangling]
role_arn = arn:aws:iam::111122223333:role/D
source_profile = nowhere

[profile sourceless]
role_arn = arn:aws:iam::111122223333:role/S

[profile bad-duration]
role_arn = arn:aws:iam::111122223333:role/X
source_profile = dev
duration_seconds = an hour

[profile sso]
sso_session = corp
sso_account_id = 111122223333

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
";

const CREDENTIALS: &str = "
[dev]
aws_access_key_id = AKIDEXAMPLE
aws_secret_access_key = secret
; a comment
[keys-only]
aws_access_key_id = AKIDOTHER
aws_secret_access_key = secret2
";

fn files() -> ProfileFiles {
    ProfileFiles {
        config: CONFIG.to_string(),
        credentials: CREDENTIALS.to_string(),
        config_path: "/h/.aws/config".to_string(),
        credentials_path: "/h/.aws/credentials".to_string(),
        too_large: None,
    }
}

#[test]
fn profiles_come_from_both_files_and_only_profile_sections() {
    let all = files().profiles();
    assert!(all.contains_key("default"));
    assert!(all.contains_key("dev"));
    assert!(all.contains_key("keys-only"));
    assert!(!all.contains_key("corp"), "an sso-session is not a profile");
    assert!(!all.contains_key("sso-session corp"));
    assert_eq!(all["dev"]["region"], "eu-west-1");
    assert_eq!(all["dev"]["aws_access_key_id"], "AKIDEXAMPLE");
    assert!(
        !all["dev"].contains_key("max_concurrent_requests"),
        "indented sub-properties are skipped"
    );
}

#[test]
fn role_profiles_resolve_as_the_aws_cli_reads_them() {
    let f = files();
    // A keys profile, an SSO profile and an unknown one are not role profiles.
    for name in ["dev", "keys-only", "sso", "default", "nobody"] {
        assert_eq!(role_profile(&f, name), Ok(None), "{name}");
    }
    assert_eq!(
        role_profile(&f, "auditor"),
        Ok(Some(RoleProfile {
            name: "auditor".into(),
            role_arn: "arn:aws:iam::111122223333:role/Auditor".into(),
            external_id: Some("ext-1".into()),
            mfa_serial: Some("arn:aws:iam::111122223333:mfa/alice".into()),
            session_name: Some("alice-audit".into()),
            duration_secs: Some(1800),
            base: RoleBase::Profile("dev".into()),
        }))
    );
    // A chain of two: hop's base is auditor's role (assumed by the SDK from dev's keys).
    let hop = role_profile(&f, "hop").unwrap().unwrap();
    assert_eq!(hop.base, RoleBase::Profile("auditor".into()));
    assert_eq!(hop.mfa_serial, None, "only the profile's own values");
    assert_eq!(
        role_profile(&f, "env-role").unwrap().unwrap().base,
        RoleBase::Environment
    );
}

#[test]
fn broken_role_profiles_say_which_profile_and_the_fix() {
    let f = files();
    let err = |name: &str| role_profile(&f, name).unwrap_err().to_string();
    assert_eq!(
        err("loop-a"),
        "profiles loop through source_profile: loop-a → loop-b → loop-a; end the chain at a profile with keys"
    );
    assert_eq!(
        err("dangling"),
        "profile dangling names source_profile nowhere, which is in neither /h/.aws/config nor /h/.aws/credentials; add that profile or fix the name"
    );
    assert_eq!(
        err("sourceless"),
        "profile sourceless has role_arn but neither source_profile nor credential_source; add source_profile = NAME (a profile with keys) to it in /h/.aws/config"
    );
    assert_eq!(
        err("ec2-role"),
        "profile ec2-role: credential_source = Ec2InstanceMetadata is not supported by sts3; use source_profile, or credential_source = Environment"
    );
    assert_eq!(
        err("bad-duration"),
        "profile bad-duration: duration_seconds = an hour is not a number of seconds; fix it in /h/.aws/config"
    );
}

#[test]
fn a_self_reference_is_a_loop_without_keys_and_its_own_keys_with_them() {
    let mut f = ProfileFiles {
        config: "[profile me]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = me\n".into(),
        ..ProfileFiles::default()
    };
    assert!(matches!(
        role_profile(&f, "me"),
        Err(ProfileError::Loop { chain }) if chain == "me → me"
    ));
    // Keys in the credentials file: the AWS CLI assumes the role with them.
    f.credentials = "[me]\naws_access_key_id = AKIA1\naws_secret_access_key = s\n".into();
    assert_eq!(
        role_profile(&f, "me").unwrap().unwrap().base,
        RoleBase::OwnKeys("me".into())
    );
    // Deeper in a chain the first source is the base, as before (the SDK assumes its role).
    f.config
        .push_str("[profile top]\nrole_arn = arn:aws:iam::1:role/T\nsource_profile = me\n");
    assert_eq!(
        role_profile(&f, "top").unwrap().unwrap().base,
        RoleBase::Profile("me".into())
    );
}

#[test]
fn summaries_name_each_profile_kind() {
    let kinds: Vec<(String, &str)> = summaries(&files())
        .into_iter()
        .map(|s| (s.name, s.kind))
        .collect();
    let kind = |n: &str| kinds.iter().find(|(name, _)| name == n).unwrap().1;
    assert_eq!(kind("dev"), "keys");
    assert_eq!(kind("auditor"), "role");
    assert_eq!(kind("sso"), "SSO");
    assert_eq!(kind("default"), "other");
    let names: Vec<&str> = kinds.iter().map(|(n, _)| n.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
}

#[test]
fn a_source_role_without_an_endpoint_of_its_own_is_refused_when_one_is_named() {
    let f = ProfileFiles {
        config: "[profile keys]\naws_access_key_id = A\naws_secret_access_key = s\n\
                 [profile hop]\nrole_arn = arn:aws:iam::1:role/H\nsource_profile = keys\n\
                 [profile top]\nrole_arn = arn:aws:iam::1:role/T\nsource_profile = hop\n\
                 [profile hop-ep]\nrole_arn = arn:aws:iam::1:role/H\nsource_profile = keys\nendpoint_url = http://127.0.0.1:1\n\
                 [profile top-ep]\nrole_arn = arn:aws:iam::1:role/T\nsource_profile = hop-ep\n"
            .into(),
        config_path: "/h/.aws/config".into(),
        ..ProfileFiles::default()
    };
    let check = |name: &str, named: bool, sts_env: bool| {
        let role = role_profile(&f, name).unwrap().unwrap();
        check_endpoint(&f, &role, named, sts_env).map_err(|e| e.to_string())
    };
    assert_eq!(
        check("top", true, false),
        Err("profile hop (the source of top) is a role the AWS SDK would assume at the public STS endpoint, not at the endpoint named; add endpoint_url = URL to [profile hop] in /h/.aws/config, or set AWS_ENDPOINT_URL_STS".into())
    );
    assert_eq!(check("top", false, false), Ok(()), "no endpoint named");
    assert_eq!(check("top", true, true), Ok(()), "AWS_ENDPOINT_URL_STS");
    assert_eq!(check("top-ep", true, false), Ok(()), "its own endpoint_url");
    assert_eq!(check("hop", true, false), Ok(()), "a source with keys");
}
