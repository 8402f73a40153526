//! Role profiles in the merged settings: the profile's role for role mode, flags over profile
//! values over the config file, the source profile (or the environment) as the base.

use crate::credentials::Mode;
use crate::settings::profiles::ProfileFiles;
use crate::settings::*;

const CONFIG: &str = "
[profile dev]
region = eu-west-1
[profile auditor]
role_arn = arn:aws:iam::111122223333:role/Auditor
source_profile = dev
mfa_serial = arn:aws:iam::111122223333:mfa/alice
external_id = ext-1
role_session_name = alice-audit
duration_seconds = 1800
[profile env-role]
role_arn = arn:aws:iam::111122223333:role/FromEnv
credential_source = Environment
[profile loop-a]
role_arn = arn:aws:iam::1:role/A
source_profile = loop-a
";

fn env(profile: Option<&str>) -> AwsEnv {
    AwsEnv {
        profile: profile.map(str::to_string),
        profiles: ProfileFiles {
            config: CONFIG.to_string(),
            credentials: "[dev]\naws_access_key_id = AKID\naws_secret_access_key = s\n".into(),
            config_path: "/h/.aws/config".into(),
            credentials_path: "/h/.aws/credentials".into(),
            too_large: None,
        },
        ..AwsEnv::default()
    }
}

fn resolve(opts: &Options, env: &AwsEnv, file: &str) -> Result<Settings, SetupError> {
    let mut opts = opts.clone();
    opts.bucket = Some("bucket".into());
    Settings::resolve_with_env(&opts, file, "test.toml", env)
}

#[test]
fn a_role_profile_starts_in_role_mode_with_its_values_and_its_source_as_base() {
    let opts = Options {
        profile: Some("auditor".into()),
        ..Options::default()
    };
    let s = resolve(&opts, &env(None), "").unwrap();
    assert_eq!(s.target.mode, Mode::AssumedRole);
    assert_eq!(
        s.target.role_arn.as_deref(),
        Some("arn:aws:iam::111122223333:role/Auditor")
    );
    assert_eq!(s.target.external_id.as_deref(), Some("ext-1"));
    assert_eq!(
        s.target.mfa_serial.as_deref(),
        Some("arn:aws:iam::111122223333:mfa/alice")
    );
    assert_eq!(s.target.session_name, "alice-audit");
    assert_eq!(s.target.duration_secs, 1800);
    assert_eq!(s.target.role_profile.as_deref(), Some("auditor"));
    assert_eq!(s.target.base.profile.as_deref(), Some("dev"));
    assert!(
        s.target.base.explicit_profile,
        "the source's keys win over the environment's"
    );
    // AWS_PROFILE names it just as well.
    let s = resolve(&Options::default(), &env(Some("auditor")), "").unwrap();
    assert_eq!(s.target.mode, Mode::AssumedRole);
    assert_eq!(s.target.base.profile.as_deref(), Some("dev"));
}

#[test]
fn flags_win_over_profile_values_and_profile_values_over_the_config_file() {
    let opts = Options {
        profile: Some("auditor".into()),
        mode: Some(Mode::Federated),
        role_arn: Some("arn:aws:iam::999999999999:role/Flag".into()),
        session_name: Some("flag-session".into()),
        external_id: Some("flag-ext".into()),
        duration: Some(900),
        ..Options::default()
    };
    let s = resolve(
        &opts,
        &env(None),
        "role_arn = \"arn:aws:iam::1:role/File\"\nmode = \"session\"\n",
    )
    .unwrap();
    assert_eq!(s.target.mode, Mode::Federated);
    assert_eq!(
        s.target.role_arn.as_deref(),
        Some("arn:aws:iam::999999999999:role/Flag")
    );
    assert_eq!(s.target.session_name, "flag-session");
    assert_eq!(s.target.external_id.as_deref(), Some("flag-ext"));
    assert_eq!(s.target.duration_secs, 900);
    // Without flags the profile beats the config file.
    let opts = Options {
        profile: Some("auditor".into()),
        ..Options::default()
    };
    let s = resolve(
        &opts,
        &env(None),
        "role_arn = \"arn:aws:iam::1:role/File\"\nmode = \"session\"\n",
    )
    .unwrap();
    assert_eq!(s.target.mode, Mode::AssumedRole);
    assert_eq!(
        s.target.role_arn.as_deref(),
        Some("arn:aws:iam::111122223333:role/Auditor")
    );
}

#[test]
fn credential_source_environment_takes_the_environments_keys() {
    let opts = Options {
        profile: Some("env-role".into()),
        ..Options::default()
    };
    let s = resolve(&opts, &env(None), "").unwrap();
    assert_eq!(s.target.base.profile, None);
    assert!(!s.target.base.explicit_profile);
    assert_eq!(s.target.mode, Mode::AssumedRole);
}

#[test]
fn a_keys_profile_is_the_base_as_before_and_a_loop_stops_start_up() {
    let opts = Options {
        profile: Some("dev".into()),
        ..Options::default()
    };
    let s = resolve(&opts, &env(None), "").unwrap();
    assert_eq!(s.target.mode, Mode::Federated);
    assert_eq!(s.target.base.profile.as_deref(), Some("dev"));
    assert_eq!(s.target.role_profile, None);
    let opts = Options {
        profile: Some("loop-a".into()),
        ..Options::default()
    };
    let err = resolve(&opts, &env(None), "").unwrap_err().to_string();
    assert!(err.contains("loop-a → loop-a"), "{err}");
}
