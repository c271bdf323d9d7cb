//! Precedence (flag > environment > file > default), secrets from files, masking, and the errors.

use std::collections::HashMap;
use std::path::Path;

use clap::Parser as _;
use mosharekat_api::Channel;

use super::*;

/// `mosharekat serve <flags>` as the real command line parses it.
fn args(flags: &[&str]) -> ServeArgs {
    let argv = ["mosharekat", "serve"].iter().chain(flags);
    match crate::cli::Cli::try_parse_from(argv).expect("serve flags parse") {
        crate::cli::Cli {
            command: Some(crate::cli::Command::Serve(args)),
            ..
        } => args,
        other => panic!("not serve: {other:?}"),
    }
}

/// An environment with exactly these variables.
fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| vars.get(name).cloned()
}

/// Flags, environment variables, and how the error starts.
type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);

const DB: (&str, &str) = ("MOSHAREKAT_DATABASE_URL", "sqlite:///tmp/test.db");

fn resolve_with(flags: &[&str], vars: &[(&str, &str)]) -> Result<Settings, SettingsError> {
    resolve(&args(flags), &env(vars))
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn a_flag_beats_the_environment_which_beats_the_file_which_beats_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "serve.toml",
        "listen = \"127.0.0.1:7001\"\n\
         bale_base_url = \"https://file.example/\"\n\
         issuer_name = \"From the file\"\n",
    );
    let s = resolve_with(
        &["--config", &file, "--listen", "127.0.0.1:7003"],
        &[
            DB,
            ("MOSHAREKAT_LISTEN", "127.0.0.1:7002"),
            ("MOSHAREKAT_BALE_BASE_URL", "https://env.example"),
        ],
    )
    .unwrap();
    let c = &s.config;
    assert_eq!(c.listen.to_string(), "127.0.0.1:7003");
    assert_eq!(c.delivery.bale_base_url, "https://env.example");
    assert_eq!(c.issuer_name, "From the file");
    assert_eq!(c.closing_soon_days, 3, "the default");
    assert_eq!(s.source("listen").unwrap().origin, Origin::Flag("listen"));
    assert_eq!(
        s.source("bale_base_url").unwrap().origin,
        Origin::Env("MOSHAREKAT_BALE_BASE_URL".into())
    );
    assert!(matches!(
        &s.source("issuer_name").unwrap().origin,
        Origin::File { line: 3, key, .. } if key == "issuer_name"
    ));
    assert_eq!(s.source("closing_soon_days"), None);

    // Each layer alone fills in what is above it.
    let s = resolve_with(&["--config", &file], &[DB]).unwrap();
    assert_eq!(s.config.listen.to_string(), "127.0.0.1:7001");
    assert_eq!(s.config.delivery.bale_base_url, "https://file.example");
    let s = resolve_with(&[], &[DB]).unwrap();
    assert_eq!(s.config.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(s.config.delivery.bale_base_url, "https://tapi.bale.ai");
    assert_eq!(
        s.config.issuer_name,
        mosharekat_server::incentives::credential::DEFAULT_ISSUER_NAME
    );
}

#[test]
fn the_config_file_may_be_named_by_the_environment_and_a_bool_flag_can_say_false() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "serve.toml",
        "secure_cookies = true\ntrust_proxy = true\ndelivery_max_attempts = 3\n",
    );
    let s = resolve_with(
        &["--trust-proxy=false"],
        &[DB, ("MOSHAREKAT_CONFIG", &file)],
    )
    .unwrap();
    assert!(s.config.portal.secure_cookies);
    assert!(!s.config.portal.trust_proxy);
    assert_eq!(s.config.delivery.max_attempts, 3);
    let s = resolve_with(&["--secure-cookies"], &[DB]).unwrap();
    assert!(s.config.portal.secure_cookies);
    let s = resolve_with(&[], &[DB, ("MOSHAREKAT_SECURE_COOKIES", "1")]).unwrap();
    assert!(s.config.portal.secure_cookies);
}

#[test]
fn the_old_public_url_names_still_work() {
    let s = resolve_with(&["--public-url", "https://old.example/"], &[DB]).unwrap();
    assert_eq!(
        s.config.portal.public_url.as_deref(),
        Some("https://old.example")
    );
    let s = resolve_with(&[], &[DB, ("MOSHAREKAT_PUBLIC_URL", "https://old.example")]).unwrap();
    assert_eq!(
        s.config.portal.public_url.as_deref(),
        Some("https://old.example")
    );
    assert_eq!(
        s.source("public_base_url").unwrap().origin,
        Origin::Env("MOSHAREKAT_PUBLIC_URL".into())
    );
    // The new name over the old in another place; both in one place must agree.
    let s = resolve_with(
        &["--public-base-url", "https://new.example"],
        &[DB, ("MOSHAREKAT_PUBLIC_URL", "https://old.example")],
    )
    .unwrap();
    assert_eq!(
        s.config.portal.public_url.as_deref(),
        Some("https://new.example")
    );
    let err = resolve_with(
        &[],
        &[
            DB,
            ("MOSHAREKAT_PUBLIC_URL", "https://old.example"),
            ("MOSHAREKAT_PUBLIC_BASE_URL", "https://new.example"),
        ],
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("MOSHAREKAT_PUBLIC_BASE_URL") && err.contains("MOSHAREKAT_PUBLIC_URL"),
        "{err}"
    );
}

#[test]
fn secrets_come_from_files_trimmed_from_every_place() {
    let dir = tempfile::tempdir().unwrap();
    let bale = write(dir.path(), "bale", "  123456:bale-secret-token \n");
    let eitaa = write(dir.path(), "eitaa", "eitaa-secret-token\n");
    write(dir.path(), "sms-key", "sms-secret-key\n");
    let file = write(
        dir.path(),
        "serve.toml",
        "sms_provider = \"kavenegar\"\nsms_api_key_file = \"sms-key\"\nsms_template = \"verify\"\n",
    );
    let s = resolve_with(
        &["--config", &file, "--eitaa-token-file", &eitaa],
        &[DB, ("MOSHAREKAT_BALE_TOKEN_FILE", &bale)],
    )
    .unwrap();
    let c = &s.config;
    assert_eq!(
        c.delivery.bale_token.as_ref().unwrap().expose(),
        "123456:bale-secret-token"
    );
    assert_eq!(
        c.delivery.eitaa_token.as_ref().unwrap().expose(),
        "eitaa-secret-token"
    );
    // A file named in the config file is found beside it.
    assert_eq!(c.sms.api_key.as_ref().unwrap().expose(), "sms-secret-key");
    assert_eq!(c.sms.base_url(), Some("https://api.kavenegar.com"));
    assert_eq!(
        s.source("bale_token").unwrap().to_string(),
        format!("MOSHAREKAT_BALE_TOKEN_FILE={bale}")
    );
    assert_eq!(
        s.source("eitaa_token").unwrap().to_string(),
        format!("--eitaa-token-file {eitaa}")
    );
    // A plain value in a higher place beats a file in a lower one.
    let s = resolve_with(
        &["--bale-token", "from-the-flag"],
        &[DB, ("MOSHAREKAT_BALE_TOKEN_FILE", &bale)],
    )
    .unwrap();
    assert_eq!(
        s.config.delivery.bale_token.as_ref().unwrap().expose(),
        "from-the-flag"
    );
}

#[test]
fn a_secret_and_its_file_in_one_place_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let bale = write(dir.path(), "bale", "t");
    let err = resolve_with(
        &[],
        &[
            DB,
            ("MOSHAREKAT_WEBHOOK_SECRET", "s3cret-value"),
            ("MOSHAREKAT_WEBHOOK_SECRET_FILE", &bale),
        ],
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("MOSHAREKAT_WEBHOOK_SECRET and MOSHAREKAT_WEBHOOK_SECRET_FILE"),
        "{err}"
    );
    assert!(!err.contains("s3cret-value"), "{err}");
    let err = resolve_with(&["--bale-token", "x", "--bale-token-file", &bale], &[DB])
        .unwrap_err()
        .to_string();
    assert!(err.contains("--bale-token and --bale-token-file"), "{err}");
    let file = write(
        dir.path(),
        "serve.toml",
        "bale_token = \"x\"\nbale_token_file = \"bale\"\n",
    );
    let err = resolve_with(&["--config", &file], &[DB])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("bale_token (") && err.contains("bale_token_file ("),
        "{err}"
    );
}

#[test]
fn an_unreadable_or_empty_secret_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing").display().to_string();
    let err = resolve_with(&[], &[DB, ("MOSHAREKAT_SMS_API_KEY_FILE", &missing)])
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("sms_api_key (from MOSHAREKAT_SMS_API_KEY_FILE=")
            && err.contains(&missing)
            && err.contains("cannot read"),
        "{err}"
    );
    let empty = write(dir.path(), "empty", " \n");
    let err = resolve_with(&["--bale-token-file", &empty], &[DB])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("--bale-token-file") && err.contains("is empty"),
        "{err}"
    );
}

#[test]
fn print_config_masks_secrets_and_names_every_source() {
    let dir = tempfile::tempdir().unwrap();
    let bale = write(dir.path(), "bale", "123456:bale-secret-token\n");
    let file = write(
        dir.path(),
        "serve.toml",
        "webhook_secret = \"file-secret\"\n",
    );
    let s = resolve_with(
        &["--config", &file, "--eitaa-token", "flag-secret"],
        &[
            ("MOSHAREKAT_DATABASE_URL", "postgres://app:db-password@db/x"),
            ("MOSHAREKAT_BALE_TOKEN_FILE", &bale),
            ("MOSHAREKAT_PUBLIC_BASE_URL", "https://p.example.ir"),
        ],
    )
    .unwrap();
    let out = s.render();
    for secret in [
        "bale-secret-token",
        "flag-secret",
        "file-secret",
        "db-password",
    ] {
        assert!(!out.contains(secret), "{secret} shown:\n{out}");
    }
    let line = |key: &str| {
        out.lines()
            .find(|l| l.starts_with(&format!("{key} = ")))
            .unwrap_or_else(|| panic!("no {key} line:\n{out}"))
            .to_owned()
    };
    assert_eq!(
        line("bale_token"),
        format!("bale_token = \"••••\"  # from MOSHAREKAT_BALE_TOKEN_FILE={bale}")
    );
    assert_eq!(
        line("eitaa_token"),
        "eitaa_token = \"••••\"  # from --eitaa-token"
    );
    assert_eq!(
        line("webhook_secret"),
        format!("webhook_secret = \"••••\"  # from {file}:1 (webhook_secret)")
    );
    assert_eq!(
        line("database_url"),
        "database_url = \"postgres://app:••••@db/x\"  # from MOSHAREKAT_DATABASE_URL"
    );
    assert_eq!(
        line("public_base_url"),
        "public_base_url = \"https://p.example.ir\"  # from MOSHAREKAT_PUBLIC_BASE_URL"
    );
    assert_eq!(line("listen"), "listen = \"127.0.0.1:8080\"  # default");
    assert!(out.contains("# sms_provider is not set"), "{out}");
    assert!(
        out.contains("# delivery: sends through bale, eitaa, webhook"),
        "{out}"
    );
    // The masked settings read back as the same keys (the output is TOML).
    let table: toml::Table = out.parse().expect("print-config is TOML");
    assert_eq!(table["delivery_hold"].as_str(), Some("90s"));
    // Nor do the arguments show a secret given as a flag.
    let shown = format!("{:?}", args(&["--eitaa-token", "flag-secret"]));
    assert!(
        !shown.contains("flag-secret") && shown.contains("••••"),
        "{shown}"
    );
}

#[test]
fn delivery_is_on_once_a_token_is_configured() {
    let s = resolve_with(&[], &[DB]).unwrap();
    assert!(s.config.delivery.channels().is_empty());
    assert!(s.render().contains("# delivery: no channel configured"));
    let s = resolve_with(&[], &[DB, ("MOSHAREKAT_BALE_TOKEN", "1:t")]).unwrap();
    assert!(s.config.delivery.enabled);
    assert_eq!(s.config.delivery.channels(), vec![Channel::Bale]);
    let s = resolve_with(
        &["--delivery-worker=false"],
        &[DB, ("MOSHAREKAT_BALE_TOKEN", "1:t")],
    )
    .unwrap();
    assert!(!s.config.delivery.enabled);
}

#[test]
fn bad_values_name_the_setting_and_where_it_came_from() {
    let cases: &[Case] = &[
        (
            &[],
            &[("MOSHAREKAT_PUBLIC_BASE_URL", "participation.example.ir")],
            "public_base_url (from MOSHAREKAT_PUBLIC_BASE_URL): `participation.example.ir` is not a URL",
        ),
        (
            &["--bale-base-url", "ftp://bale.example"],
            &[],
            "bale_base_url (from --bale-base-url): `ftp://bale.example` is not an http:// or https:// URL",
        ),
        (
            &["--sms-provider", "twilio"],
            &[],
            "sms_provider (from --sms-provider): unknown SMS provider `twilio`: expected kavenegar or smsir",
        ),
        (
            &[],
            &[("MOSHAREKAT_LISTEN", "localhost")],
            "listen (from MOSHAREKAT_LISTEN): `localhost` is not an address",
        ),
        (
            &[],
            &[("MOSHAREKAT_ALLOW_PRIVATE_WEBHOOKS", "maybe")],
            "allow_private_webhooks (from MOSHAREKAT_ALLOW_PRIVATE_WEBHOOKS): `maybe` is not true or false",
        ),
        (
            &["--delivery-max-attempts", "0"],
            &[],
            "delivery_max_attempts (from --delivery-max-attempts): must be at least 1",
        ),
        (
            &["--delivery-send-timeout", "soon"],
            &[],
            "delivery_send_timeout (from --delivery-send-timeout): `soon` is not a duration",
        ),
        (
            &["--delivery-hold", "10s"],
            &[],
            "delivery_hold (from --delivery-hold) must be longer than delivery_send_timeout (default)",
        ),
        (
            &["--sms-provider", "smsir"],
            &[],
            "sms_api_key is not set, but sms_provider (from --sms-provider) is",
        ),
        (
            &[],
            &[("MOSHAREKAT_SMS_TEMPLATE", "t")],
            "sms_template (from MOSHAREKAT_SMS_TEMPLATE) is set, but sms_provider is not",
        ),
        (
            &["--scoring-rules", "/nonexistent/scoring.toml"],
            &[],
            "scoring_rules (from --scoring-rules): ",
        ),
    ];
    for (flags, vars, expected) in cases {
        let mut vars = vars.to_vec();
        vars.push(DB);
        let err = resolve_with(flags, &vars).unwrap_err().to_string();
        assert!(err.starts_with(expected), "{flags:?} {vars:?}:\n{err}");
    }
    let err = resolve_with(&[], &[]).unwrap_err().to_string();
    assert!(err.starts_with("database_url is not set"), "{err}");
    let err = resolve_with(&["--database-url", "mysql://u:hunter2@h/db"], &[])
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(
            "database_url (from --database-url): `mysql://u:••••@h/db` is not a database URL"
        ),
        "{err}"
    );
}

#[test]
fn the_config_file_is_checked_key_by_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "serve.toml",
        "listen = \"127.0.0.1:9\"\nbale_tokn = \"x\"\n",
    );
    let err = resolve_with(&["--config", &file], &[DB])
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!(
            "{file}:2: unknown setting `bale_tokn` (did you mean `bale_token`?) (the settings are \
             listed by `mosharekat serve --help` and in the README)"
        )
    );
    let file = write(dir.path(), "list.toml", "\n\nlisten = [1, 2]\n");
    let err = resolve_with(&["--config", &file], &[DB])
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(&format!("{file}:3: `listen` takes")),
        "{err}"
    );
    let file = write(dir.path(), "url.toml", "eitaa_base_url = \"eitaayar\"\n");
    let err = resolve_with(&["--config", &file], &[DB])
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(&format!(
            "eitaa_base_url (from {file}:1 (eitaa_base_url)): "
        )),
        "{err}"
    );
    let file = write(dir.path(), "broken.toml", "listen = \n");
    let err = resolve_with(&["--config", &file], &[DB])
        .unwrap_err()
        .to_string();
    assert!(err.contains("not valid TOML"), "{err}");
    let missing = dir.path().join("nope.toml").display().to_string();
    let err = resolve_with(&[], &[DB, ("MOSHAREKAT_CONFIG", &missing)])
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(&format!(
            "config file {missing} (from MOSHAREKAT_CONFIG): cannot be read"
        )),
        "{err}"
    );
}

#[test]
fn durations_read_and_show_alike() {
    for (text, shown) in [
        ("500ms", "500ms"),
        ("30", "30s"),
        ("90s", "90s"),
        ("120s", "2m"),
        ("5m", "5m"),
        ("1h", "1h"),
    ] {
        assert_eq!(show_duration(duration(text).unwrap()), shown);
    }
    assert!(duration("0s").is_err());
    assert!(duration("1d").is_err());
    assert!(duration("").is_err());
}

#[test]
fn every_setting_is_spelt_consistently_and_documented() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    for spec in SPECS {
        assert_eq!(spec.flag, spec.key.replace('_', "-"));
        assert_eq!(
            spec.file_flag.map(str::to_owned),
            (spec.kind == Kind::Secret).then(|| format!("{}-file", spec.flag)),
            "{}",
            spec.key
        );
        assert!(
            readme.contains(&format!("`{}`", spec.env())),
            "README's Configuration section lacks {}",
            spec.env()
        );
        // Every setting is applied and shown.
        let mut config = ServerConfig::new("sqlite::memory:", "127.0.0.1:0".parse().unwrap());
        let sample = match spec.kind {
            Kind::Database => "sqlite::memory:",
            Kind::Address => "127.0.0.1:1",
            Kind::Url => "https://x.example",
            Kind::Bool => "true",
            Kind::Count(_) => "5",
            Kind::Duration => "5s",
            Kind::SmsProvider => "smsir",
            Kind::BotUpdates => "polling",
            Kind::Path if spec.key == "scoring_rules" => continue,
            Kind::Text | Kind::Secret | Kind::Path => "x",
        };
        apply(&mut config, spec.key, sample).unwrap();
        assert!(current(&config, spec.key).is_some(), "{}", spec.key);
    }
}

#[test]
fn passwords_in_database_urls_are_masked() {
    assert_eq!(
        mask_password("postgres://app:pa:ss@db:5432/x?sslmode=require"),
        "postgres://app:••••@db:5432/x?sslmode=require"
    );
    assert_eq!(
        mask_password("postgres://postgres@127.0.0.1/test"),
        "postgres://postgres@127.0.0.1/test"
    );
    assert_eq!(
        mask_password("sqlite:///var/db.sqlite3"),
        "sqlite:///var/db.sqlite3"
    );
}
