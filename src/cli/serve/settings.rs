//! The settings of `mosharekat serve`, from four places in this order of precedence: a flag, an
//! environment variable, the TOML file named by `--config` (or `MOSHAREKAT_CONFIG`), the default.
//!
//! Every setting has one name spelt three ways: the TOML key `bale_token`, the environment variable
//! `MOSHAREKAT_BALE_TOKEN` and the flag `--bale-token` ([`SPECS`] lists them all). A secret (a bot
//! token, the webhook secret, the SMS key) may instead be read from a file: `bale_token_file`,
//! `MOSHAREKAT_BALE_TOKEN_FILE`, `--bale-token-file` (the file's content, trimmed). A secret and its
//! file given in the same place is an error; a higher place still wins over a lower one. An empty
//! value (`MOSHAREKAT_BALE_CHANNEL=`) counts as not given.
//!
//! Every value is checked before anything starts. A bad one is reported with the setting's name
//! and where it came from, and `serve` exits with code 2. Secrets are held as [`Secret`]s (their
//! `Debug` and `Display` are masked) and never echoed, in errors or in `--print-config`.
//!
//! Hand-written over clap, toml and serde's types (all already in the tree) rather than a layered
//! configuration library: each value keeps where it came from (which flag, variable, file and
//! line, or secret file), for the errors and for `--print-config`, and the `_FILE` variants and
//! the old `MOSHAREKAT_PUBLIC_URL` name need rules of their own anyway.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches};
use mosharekat_server::{Secret, ServerConfig, SmsProvider};
use toml::de::DeValue;

use crate::toml_file::{Source as TomlSource, suggestion, type_name};

/// Prefix of every environment variable.
pub const ENV_PREFIX: &str = "MOSHAREKAT_";
/// The environment variable naming the config file (the flag is `--config`).
pub const CONFIG_ENV: &str = "MOSHAREKAT_CONFIG";

/// What a setting holds, which decides how its text is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `sqlite://PATH` or `postgres://…`.
    Database,
    /// `host:port`.
    Address,
    /// An absolute http(s) URL; a trailing `/` is dropped.
    Url,
    Text,
    /// A credential: masked wherever it is shown, and may come from a file.
    Secret,
    /// A file (relative to the config file's folder when it comes from there).
    Path,
    /// `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`).
    Bool,
    /// A whole number of at least this.
    Count(i64),
    /// `500ms`, `30s`, `5m`, `1h`; a bare number is seconds.
    Duration,
    /// `kavenegar` or `smsir`.
    SmsProvider,
    /// `auto`, `webhook`, `polling` or `off`.
    BotUpdates,
}

impl Kind {
    fn value_name(self) -> &'static str {
        match self {
            Kind::Database | Kind::Url => "URL",
            Kind::Address => "ADDR",
            Kind::Text => "TEXT",
            Kind::Secret => "SECRET",
            Kind::Path => "FILE",
            Kind::Bool => "BOOL",
            Kind::Count(_) => "N",
            Kind::Duration => "DURATION",
            Kind::SmsProvider => "PROVIDER",
            Kind::BotUpdates => "MODE",
        }
    }
}

/// One setting: its TOML key, its flag, how it is read, and its help.
#[derive(Debug)]
pub struct Spec {
    /// The TOML key; the environment variable is `MOSHAREKAT_` and the key in capitals.
    pub key: &'static str,
    /// The flag without `--` (the key with dashes).
    pub flag: &'static str,
    /// For a secret: the flag naming the file it is read from.
    pub file_flag: Option<&'static str>,
    pub kind: Kind,
    /// The section of `--help` it is listed in.
    pub heading: &'static str,
    pub help: &'static str,
    /// An older name that keeps working: its flag and environment variable.
    pub alias: Option<(&'static str, &'static str)>,
}

impl Spec {
    const fn new(
        key: &'static str,
        flag: &'static str,
        kind: Kind,
        heading: &'static str,
        help: &'static str,
    ) -> Self {
        Self {
            key,
            flag,
            file_flag: None,
            kind,
            heading,
            help,
            alias: None,
        }
    }

    const fn secret(mut self, file_flag: &'static str) -> Self {
        self.file_flag = Some(file_flag);
        self
    }

    const fn alias(mut self, flag: &'static str, env: &'static str) -> Self {
        self.alias = Some((flag, env));
        self
    }

    /// `MOSHAREKAT_BALE_TOKEN`
    pub fn env(&self) -> String {
        format!("{ENV_PREFIX}{}", self.key.to_ascii_uppercase())
    }

    /// `bale_token_file`
    fn file_key(&self) -> String {
        format!("{}_file", self.key)
    }
}

const SERVER: &str = "Server";
const PORTAL: &str = "Citizen portal";
const CERTIFICATES: &str = "Scores and certificates";
const MESSENGERS: &str = "Messengers and webhooks";
const SMS: &str = "SMS gateway";
const DELIVERY: &str = "Delivery tuning";

/// Every setting of `serve`, in the order `--help` and `--print-config` show them.
pub const SPECS: &[Spec] = &[
    Spec::new(
        "database_url",
        "database-url",
        Kind::Database,
        SERVER,
        "sqlite://PATH or postgres://USER@HOST/DB (required)",
    ),
    Spec::new(
        "listen",
        "listen",
        Kind::Address,
        SERVER,
        "Address to listen on (port 0 picks a free port) [default: 127.0.0.1:8080]",
    ),
    Spec::new(
        "closing_soon_days",
        "closing-soon-days",
        Kind::Count(0),
        SERVER,
        "Flag open consultations as closing soon within this many days [default: 3]",
    ),
    Spec::new(
        "report_due_days",
        "report-due-days",
        Kind::Count(0),
        SERVER,
        "The report is due this many days after a consultation closes [default: 30]",
    ),
    Spec::new(
        "public_base_url",
        "public-base-url",
        Kind::Url,
        PORTAL,
        "The portal's public address (e.g. https://participation.example.ir): the links in messages \
         to participants, feeds, the sitemap, the calendar, call blocks and certificates start with \
         it [default: each request's Host]",
    )
    .alias("public-url", "MOSHAREKAT_PUBLIC_URL"),
    Spec::new(
        "secure_cookies",
        "secure-cookies",
        Kind::Bool,
        PORTAL,
        "Mark the portal's cookies Secure even without X-Forwarded-Proto: https from a proxy",
    ),
    Spec::new(
        "trust_proxy",
        "trust-proxy",
        Kind::Bool,
        PORTAL,
        "The portal is behind a reverse proxy that appends the client's address to \
         X-Forwarded-For: rate-limit form posts by that address (not the proxy's)",
    ),
    Spec::new(
        "issuer_name",
        "issuer-name",
        Kind::Text,
        CERTIFICATES,
        "The name certificates are issued under [default: the Ministry of Education's, in Persian \
         and English]",
    ),
    Spec::new(
        "signing_key",
        "signing-key",
        Kind::Path,
        CERTIFICATES,
        "The certificate signing key's file, made at first start with mode 0600 [default: next to \
         a SQLite database; with PostgreSQL, set it so certificates stay verifiable after restarts]",
    ),
    Spec::new(
        "scoring_rules",
        "scoring-rules",
        Kind::Path,
        CERTIFICATES,
        "Scoring rules (TOML, like crates/server/scoring.toml) [default: the shipped rules]",
    ),
    Spec::new(
        "bale_token",
        "bale-token",
        Kind::Secret,
        MESSENGERS,
        "Bale bot token: messages to participants on Bale are sent once it is set",
    )
    .secret("bale-token-file"),
    Spec::new(
        "bale_base_url",
        "bale-base-url",
        Kind::Url,
        MESSENGERS,
        "Bale's Bot API [default: https://tapi.bale.ai]",
    ),
    Spec::new(
        "bale_updates",
        "bale-updates",
        Kind::BotUpdates,
        MESSENGERS,
        "How this instance reads the Bale bot's updates (/start, commands, replies): auto (a \
         webhook on the public base URL, else long polling), webhook, polling (one instance \
         only) or off [default: auto]",
    ),
    Spec::new(
        "bale_channel",
        "bale-channel",
        Kind::Text,
        MESSENGERS,
        "The ministry's Bale channel (@name or numeric id) for calls for participation",
    ),
    Spec::new(
        "eitaa_token",
        "eitaa-token",
        Kind::Secret,
        MESSENGERS,
        "Eitaa (eitaayar) token: messages to participants on Eitaa are sent once it is set",
    )
    .secret("eitaa-token-file"),
    Spec::new(
        "eitaa_base_url",
        "eitaa-base-url",
        Kind::Url,
        MESSENGERS,
        "Eitaa's bot API (eitaayar) [default: https://eitaayar.ir]",
    ),
    Spec::new(
        "eitaa_channel",
        "eitaa-channel",
        Kind::Text,
        MESSENGERS,
        "The ministry's Eitaa channel for calls for participation",
    ),
    Spec::new(
        "webhook_secret",
        "webhook-secret",
        Kind::Secret,
        MESSENGERS,
        "Key of the HMAC-SHA256 signature on webhook bodies: webhooks are sent once it is set",
    )
    .secret("webhook-secret-file"),
    Spec::new(
        "allow_private_webhooks",
        "allow-private-webhooks",
        Kind::Bool,
        MESSENGERS,
        "Let webhooks reach loopback, private and link-local addresses [default: false]",
    ),
    Spec::new(
        "sms_provider",
        "sms-provider",
        Kind::SmsProvider,
        SMS,
        "The SMS gateway: kavenegar or smsir [default: none, no SMS]",
    ),
    Spec::new(
        "sms_api_key",
        "sms-api-key",
        Kind::Secret,
        SMS,
        "The SMS gateway's API key",
    )
    .secret("sms-api-key-file"),
    Spec::new(
        "sms_base_url",
        "sms-base-url",
        Kind::Url,
        SMS,
        "The SMS gateway's address [default: the provider's own]",
    ),
    Spec::new(
        "sms_template",
        "sms-template",
        Kind::Text,
        SMS,
        "The gateway's verification template (Kavenegar: its name; SMS.ir: its id)",
    ),
    Spec::new(
        "phone_key",
        "phone-key",
        Kind::Secret,
        SMS,
        "Key of the HMAC-SHA256 under which phone numbers are kept [default: derived from the signing key]",
    )
    .secret("phone-key-file"),
    Spec::new(
        "require_verification",
        "require-verification",
        Kind::Bool,
        SMS,
        "Register only participants with a verified mobile number [default: false]",
    ),
    Spec::new(
        "verification_code_ttl",
        "verification-code-ttl",
        Kind::Duration,
        SMS,
        "How long a one-time code may be used [default: 5m]",
    ),
    Spec::new(
        "delivery_worker",
        "delivery-worker",
        Kind::Bool,
        DELIVERY,
        "Run the delivery worker in this instance [default: true]",
    ),
    Spec::new(
        "delivery_max_attempts",
        "delivery-max-attempts",
        Kind::Count(1),
        DELIVERY,
        "A message is dead after this many failed attempts [default: 8]",
    ),
    Spec::new(
        "delivery_backoff_base",
        "delivery-backoff-base",
        Kind::Duration,
        DELIVERY,
        "Backoff before attempt n+1: random up to min(cap, base × 2^(n−1)) [default: 2s]",
    ),
    Spec::new(
        "delivery_backoff_cap",
        "delivery-backoff-cap",
        Kind::Duration,
        DELIVERY,
        "The longest backoff [default: 1h]",
    ),
    Spec::new(
        "delivery_poll_interval",
        "delivery-poll-interval",
        Kind::Duration,
        DELIVERY,
        "How often the worker looks for due messages when it found none [default: 1s]",
    ),
    Spec::new(
        "delivery_batch",
        "delivery-batch",
        Kind::Count(1),
        DELIVERY,
        "Messages claimed at once [default: 50]",
    ),
    Spec::new(
        "delivery_concurrency",
        "delivery-concurrency",
        Kind::Count(1),
        DELIVERY,
        "Messages sent at once [default: 8]",
    ),
    Spec::new(
        "delivery_send_timeout",
        "delivery-send-timeout",
        Kind::Duration,
        DELIVERY,
        "How long one send may take [default: 30s]",
    ),
    Spec::new(
        "delivery_hold",
        "delivery-hold",
        Kind::Duration,
        DELIVERY,
        "How long a claimed message is held before it may be sent again; longer than the send \
         timeout [default: 90s]",
    ),
];

fn spec(key: &str) -> &'static Spec {
    SPECS
        .iter()
        .find(|s| s.key == key)
        .unwrap_or_else(|| panic!("no setting `{key}`"))
}

// ---------------------------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------------------------

/// `mosharekat serve`'s arguments: the flags given, by flag name (built from [`SPECS`], so every
/// setting has its flag). `Debug` masks the secrets given as flags.
#[derive(Clone, Default)]
pub struct ServeArgs {
    flags: BTreeMap<&'static str, String>,
    /// `--config FILE`
    pub config: Option<PathBuf>,
    /// `--print-config`
    pub print_config: bool,
}

impl ServeArgs {
    fn flag(&self, name: &str) -> Option<&str> {
        self.flags.get(name).map(String::as_str)
    }
}

impl fmt::Debug for ServeArgs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secret: Vec<&str> = SPECS
            .iter()
            .filter(|s| s.kind == Kind::Secret)
            .map(|s| s.flag)
            .collect();
        let flags: BTreeMap<&str, &str> = self
            .flags
            .iter()
            .map(|(name, value)| {
                let shown = if secret.contains(name) {
                    Secret::MASK
                } else {
                    value.as_str()
                };
                (*name, shown)
            })
            .collect();
        f.debug_struct("ServeArgs")
            .field("flags", &flags)
            .field("config", &self.config)
            .field("print_config", &self.print_config)
            .finish()
    }
}

/// Every flag name that carries a value.
fn value_flags() -> impl Iterator<Item = &'static str> {
    SPECS.iter().flat_map(|s| {
        [Some(s.flag), s.file_flag, s.alias.map(|(flag, _)| flag)]
            .into_iter()
            .flatten()
    })
}

impl clap::FromArgMatches for ServeArgs {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut args = ServeArgs::default();
        args.update_from_arg_matches(matches)?;
        Ok(args)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        for name in value_flags() {
            if let Some(value) = matches.get_one::<String>(name) {
                self.flags.insert(name, value.clone());
            }
        }
        if let Some(path) = matches.get_one::<String>("config") {
            self.config = Some(PathBuf::from(path));
        }
        self.print_config = self.print_config || matches.get_flag("print-config");
        Ok(())
    }
}

impl clap::Args for ServeArgs {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        let mut cmd = cmd
            .arg(
                Arg::new("config")
                    .long("config")
                    .value_name("FILE")
                    .value_parser(clap::value_parser!(String))
                    .help(format!(
                        "Read settings from this TOML file (flags and environment variables \
                         override it) [env: {CONFIG_ENV}]"
                    )),
            )
            .arg(
                Arg::new("print-config")
                    .long("print-config")
                    .action(ArgAction::SetTrue)
                    .help(
                        "Print the effective settings (secrets masked) and where each came from, \
                         then exit without starting",
                    ),
            );
        for spec in SPECS {
            let mut arg = Arg::new(spec.flag)
                .long(spec.flag)
                .action(ArgAction::Set)
                .value_parser(clap::value_parser!(String))
                .value_name(spec.kind.value_name())
                .help_heading(spec.heading)
                .help(format!("{} [env: {}]", spec.help, spec.env()));
            if spec.kind == Kind::Bool {
                // `--secure-cookies` alone means true; `--secure-cookies=false` overrides the
                // environment or the file.
                arg = arg
                    .num_args(0..=1)
                    .require_equals(true)
                    .default_missing_value("true");
            }
            cmd = cmd.arg(arg);
            if let Some(file_flag) = spec.file_flag {
                cmd = cmd.arg(
                    Arg::new(file_flag)
                        .long(file_flag)
                        .action(ArgAction::Set)
                        .value_parser(clap::value_parser!(String))
                        .value_name("FILE")
                        .help_heading(spec.heading)
                        .help(format!(
                            "Read --{} from this file [env: {}_FILE]",
                            spec.flag,
                            spec.env()
                        )),
                );
            }
            if let Some((alias, env)) = spec.alias {
                cmd = cmd.arg(
                    Arg::new(alias)
                        .long(alias)
                        .action(ArgAction::Set)
                        .value_parser(clap::value_parser!(String))
                        .value_name(spec.kind.value_name())
                        .help_heading(spec.heading)
                        .help(format!("The older name of --{} [env: {env}]", spec.flag))
                        .hide(true),
                );
            }
        }
        cmd
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

// ---------------------------------------------------------------------------------------------
// Where a value came from
// ---------------------------------------------------------------------------------------------

/// The place a value was given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A flag (its name without `--`).
    Flag(&'static str),
    /// An environment variable.
    Env(String),
    /// A key of the config file, at a line.
    File {
        path: PathBuf,
        line: usize,
        key: String,
    },
}

/// Where a value came from: the place, and for a secret read from a file, that file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provenance {
    pub origin: Origin,
    pub secret_file: Option<PathBuf>,
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.origin, &self.secret_file) {
            (Origin::Flag(name), None) => write!(f, "--{name}"),
            (Origin::Flag(name), Some(file)) => write!(f, "--{name} {}", file.display()),
            (Origin::Env(name), None) => f.write_str(name),
            (Origin::Env(name), Some(file)) => write!(f, "{name}={}", file.display()),
            (Origin::File { path, line, key }, None) => {
                write!(f, "{}:{line} ({key})", path.display())
            }
            (Origin::File { path, line, key }, Some(file)) => {
                write!(f, "{}:{line} ({key} = {})", path.display(), file.display())
            }
        }
    }
}

/// A setting that cannot be used, in words naming it and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsError(pub String);

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SettingsError {}

fn bad(spec: &Spec, from: &Provenance, message: impl fmt::Display) -> SettingsError {
    SettingsError(format!("{} (from {from}): {message}", spec.key))
}

// ---------------------------------------------------------------------------------------------
// The config file
// ---------------------------------------------------------------------------------------------

/// The config file's values, as text, with the line of each.
struct FileLayer {
    path: PathBuf,
    values: BTreeMap<String, (String, usize)>,
}

impl FileLayer {
    fn read(path: &Path, from: &Provenance) -> Result<FileLayer, SettingsError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            SettingsError(format!(
                "config file {} (from {from}): cannot be read: {e}",
                path.display()
            ))
        })?;
        let name = path.display().to_string();
        let source = TomlSource::new(&name, &text);
        let root = source.parse().map_err(|e| SettingsError(e.to_string()))?;
        let mut known: Vec<String> = SPECS.iter().map(|s| s.key.to_owned()).collect();
        known.extend(
            SPECS
                .iter()
                .filter(|s| s.file_flag.is_some())
                .map(Spec::file_key),
        );
        let mut values = BTreeMap::new();
        for (key, value) in root.get_ref() {
            let name = key.get_ref().as_ref();
            let line = source.line_of(key.span().start);
            if !known.iter().any(|k| k == name) {
                return Err(SettingsError(
                    source
                        .error(
                            key.span(),
                            format!(
                                "unknown setting `{name}`{} (the settings are listed by \
                                 `mosharekat serve --help` and in the README)",
                                suggestion(name, known.iter().map(String::as_str))
                            ),
                        )
                        .to_string(),
                ));
            }
            let text = match value.get_ref() {
                DeValue::String(s) => s.to_string(),
                DeValue::Integer(i) if i.radix() == 10 => i.as_str().to_owned(),
                DeValue::Boolean(b) => b.to_string(),
                other => {
                    return Err(SettingsError(
                        source
                            .error(
                                value.span(),
                                format!(
                                    "`{name}` takes a string, a whole number or true/false, \
                                     found {}",
                                    type_name(other)
                                ),
                            )
                            .to_string(),
                    ));
                }
            };
            values.insert(name.to_owned(), (text, line));
        }
        Ok(FileLayer {
            path: path.to_owned(),
            values,
        })
    }

    /// A path written in the file, relative to the file's folder.
    fn relative(&self, path: &str) -> PathBuf {
        let path = Path::new(path);
        match self.path.parent() {
            Some(dir) if path.is_relative() => dir.join(path),
            _ => path.to_owned(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Choosing a value
// ---------------------------------------------------------------------------------------------

/// A value as given (a secret already read from its file), and where from.
struct Raw {
    text: String,
    from: Provenance,
}

/// One name a setting was given under in one place.
struct Candidate {
    text: String,
    origin: Origin,
    /// `…_FILE`: `text` names the file holding the value.
    is_file: bool,
}

/// The value of `spec`: from the first place that gives it.
fn pick(
    spec: &Spec,
    args: &ServeArgs,
    env: &dyn Fn(&str) -> Option<String>,
    file: Option<&FileLayer>,
) -> Result<Option<Raw>, SettingsError> {
    fn given(text: Option<&str>) -> Option<&str> {
        text.map(str::trim).filter(|t| !t.is_empty())
    }

    let mut flags = Vec::new();
    for (name, is_file) in [
        (Some(spec.flag), false),
        (spec.alias.map(|(flag, _)| flag), false),
        (spec.file_flag, true),
    ] {
        if let Some(name) = name
            && let Some(text) = given(args.flag(name))
        {
            flags.push(Candidate {
                text: text.to_owned(),
                origin: Origin::Flag(name),
                is_file,
            });
        }
    }
    if let Some(raw) = choose(spec, flags)? {
        return Ok(Some(raw));
    }

    let mut vars = Vec::new();
    let file_var = format!("{}_FILE", spec.env());
    for (name, is_file) in [
        (Some(spec.env()), false),
        (spec.alias.map(|(_, env)| env.to_owned()), false),
        (spec.file_flag.map(|_| file_var.clone()), true),
    ] {
        if let Some(name) = name
            && let Some(text) = given(env(&name).as_deref())
        {
            vars.push(Candidate {
                text: text.to_owned(),
                origin: Origin::Env(name),
                is_file,
            });
        }
    }
    if let Some(raw) = choose(spec, vars)? {
        return Ok(Some(raw));
    }

    let Some(file) = file else {
        return Ok(None);
    };
    let mut keys = Vec::new();
    let file_key = spec.file_key();
    for (name, is_file) in [
        (Some(spec.key.to_owned()), false),
        (spec.file_flag.map(|_| file_key.clone()), true),
    ] {
        if let Some(name) = name
            && let Some((text, line)) = file.values.get(&name)
            && let Some(text) = given(Some(text))
        {
            // Files named in the config file are found beside it.
            let text = if is_file || spec.kind == Kind::Path {
                file.relative(text).display().to_string()
            } else {
                text.to_owned()
            };
            keys.push(Candidate {
                text,
                origin: Origin::File {
                    path: file.path.clone(),
                    line: *line,
                    key: name,
                },
                is_file,
            });
        }
    }
    choose(spec, keys)
}

/// The value among the names one place gave it under: a secret and its file, or a setting and its
/// older name with different values, is an error.
fn choose(spec: &Spec, mut found: Vec<Candidate>) -> Result<Option<Raw>, SettingsError> {
    let name = |c: &Candidate| match &c.origin {
        Origin::Flag(flag) => format!("--{flag}"),
        Origin::Env(var) => var.clone(),
        Origin::File { key, line, path } => format!("{key} ({}:{line})", path.display()),
    };
    if let Some(file) = found.iter().find(|c| c.is_file)
        && let Some(plain) = found.iter().find(|c| !c.is_file)
    {
        return Err(SettingsError(format!(
            "{}: both {} and {} are given; keep one",
            spec.key,
            name(plain),
            name(file)
        )));
    }
    if let Some(other) = found.iter().find(|c| c.text != found[0].text) {
        return Err(SettingsError(format!(
            "{}: {} and {} are given different values; keep one",
            spec.key,
            name(&found[0]),
            name(other)
        )));
    }
    if found.is_empty() {
        return Ok(None);
    }
    let chosen = found.swap_remove(0);
    if !chosen.is_file {
        return Ok(Some(Raw {
            text: chosen.text,
            from: Provenance {
                origin: chosen.origin,
                secret_file: None,
            },
        }));
    }
    let path = PathBuf::from(&chosen.text);
    let from = Provenance {
        origin: chosen.origin,
        secret_file: Some(path.clone()),
    };
    let content = std::fs::read_to_string(&path)
        .map_err(|e| bad(spec, &from, format!("cannot read {}: {e}", path.display())))?;
    let text = content.trim();
    if text.is_empty() {
        return Err(bad(spec, &from, format!("{} is empty", path.display())));
    }
    Ok(Some(Raw {
        text: text.to_owned(),
        from,
    }))
}

// ---------------------------------------------------------------------------------------------
// Reading values
// ---------------------------------------------------------------------------------------------

fn boolean(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(format!("`{text}` is not true or false")),
    }
}

fn count(text: &str, min: i64) -> Result<i64, String> {
    let n: i64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number"))?;
    if n < min {
        return Err(format!("must be at least {min}, not {n}"));
    }
    Ok(n)
}

/// `500ms`, `30s`, `5m`, `1h`, or a bare number of seconds; more than zero.
pub fn duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let bad = || format!("`{text}` is not a duration like 500ms, 30s, 5m or 1h");
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let n: u64 = text[..digits].parse().map_err(|_| bad())?;
    let d = match text[digits..].trim() {
        "ms" => Duration::from_millis(n),
        "" | "s" => Duration::from_secs(n),
        "m" | "min" => Duration::from_secs(n.saturating_mul(60)),
        "h" => Duration::from_secs(n.saturating_mul(3600)),
        _ => return Err(bad()),
    };
    if d.is_zero() {
        return Err("must be more than zero".into());
    }
    Ok(d)
}

/// The shortest exact way to write `d` in the form [`duration`] reads.
pub fn show_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if !ms.is_multiple_of(1000) {
        format!("{ms}ms")
    } else if ms.is_multiple_of(3_600_000) {
        format!("{}h", ms / 3_600_000)
    } else if ms.is_multiple_of(60_000) {
        format!("{}m", ms / 60_000)
    } else {
        format!("{}s", ms / 1000)
    }
}

/// An absolute http(s) URL with a host, without its trailing `/`.
fn http_url(text: &str) -> Result<String, String> {
    let text = text.trim();
    let url = reqwest::Url::parse(text).map_err(|e| format!("`{text}` is not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("`{text}` is not an http:// or https:// URL"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("`{text}` has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("`{text}` must not have a query or a fragment"));
    }
    Ok(text.trim_end_matches('/').to_owned())
}

fn database_url(text: &str) -> Result<String, String> {
    let text = text.trim();
    if ["sqlite:", "postgres:", "postgresql:"]
        .iter()
        .any(|scheme| text.starts_with(scheme))
    {
        Ok(text.to_owned())
    } else {
        Err(format!(
            "`{}` is not a database URL: use sqlite://PATH or postgres://USER@HOST/DB",
            mask_password(text)
        ))
    }
}

/// `postgres://user:••••@host/db`: a database URL with its password masked.
pub fn mask_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return url.to_owned();
    };
    let Some(colon) = authority[..at].find(':') else {
        return url.to_owned();
    };
    format!(
        "{}{}{}{}",
        &url[..scheme_end],
        &authority[..=colon],
        Secret::MASK,
        &rest[at..]
    )
}

fn text(text: &str) -> String {
    text.trim().to_owned()
}

/// Set `spec`'s field of `config` from `text`.
fn apply(config: &mut ServerConfig, key: &str, raw: &str) -> Result<(), String> {
    let d = &mut config.delivery;
    match key {
        "database_url" => config.database_url = database_url(raw)?,
        "listen" => {
            config.listen = raw.trim().parse::<SocketAddr>().map_err(|_| {
                format!("`{raw}` is not an address and port like 127.0.0.1:8080 or [::]:8080")
            })?;
        }
        "public_base_url" => config.portal.public_url = Some(http_url(raw)?),
        "secure_cookies" => config.portal.secure_cookies = boolean(raw)?,
        "trust_proxy" => config.portal.trust_proxy = boolean(raw)?,
        "issuer_name" => config.issuer_name = text(raw),
        "signing_key" => config.signing_key = Some(PathBuf::from(text(raw))),
        "scoring_rules" => {
            config.scoring =
                mosharekat_server::incentives::ScoringRules::load(Path::new(raw.trim()))
                    .map_err(|e| format!("{e:#}"))?;
        }
        "closing_soon_days" => config.closing_soon_days = count(raw, 0)?,
        "report_due_days" => config.report_due_days = count(raw, 0)?,
        "bale_token" => d.bale_token = Some(Secret::new(raw)),
        "bale_base_url" => d.bale_base_url = http_url(raw)?,
        "bale_updates" => d.bot_updates = raw.parse::<mosharekat_server::BotUpdates>()?,
        "bale_channel" => d.bale_channel = Some(text(raw)),
        "eitaa_token" => d.eitaa_token = Some(Secret::new(raw)),
        "eitaa_base_url" => d.eitaa_base_url = http_url(raw)?,
        "eitaa_channel" => d.eitaa_channel = Some(text(raw)),
        "webhook_secret" => d.webhook_secret = Some(Secret::new(raw)),
        "allow_private_webhooks" => d.allow_private_webhooks = boolean(raw)?,
        "sms_provider" => config.sms.provider = Some(raw.parse::<SmsProvider>()?),
        "sms_api_key" => config.sms.api_key = Some(Secret::new(raw)),
        "sms_base_url" => config.sms.base_url = Some(http_url(raw)?),
        "sms_template" => config.sms.template = Some(text(raw)),
        "phone_key" => config.verification.phone_key = Some(Secret::new(raw)),
        "require_verification" => config.verification.required = boolean(raw)?,
        "verification_code_ttl" => {
            config.verification.code_ttl = chrono::Duration::from_std(duration(raw)?)
                .map_err(|_| format!("`{raw}` is too long"))?;
        }
        "delivery_worker" => d.enabled = boolean(raw)?,
        "delivery_max_attempts" => d.max_attempts = count(raw, 1)?,
        "delivery_backoff_base" => d.backoff_base = duration(raw)?,
        "delivery_backoff_cap" => d.backoff_cap = duration(raw)?,
        "delivery_poll_interval" => d.poll_interval = duration(raw)?,
        "delivery_batch" => {
            d.batch = u32::try_from(count(raw, 1)?).map_err(|_| format!("`{raw}` is too large"))?;
        }
        "delivery_concurrency" => {
            d.concurrency =
                usize::try_from(count(raw, 1)?).map_err(|_| format!("`{raw}` is too large"))?;
        }
        "delivery_send_timeout" => d.send_timeout = duration(raw)?,
        "delivery_hold" => d.hold = duration(raw)?,
        other => unreachable!("setting `{other}` is not applied"),
    }
    Ok(())
}

/// A value as `--print-config` shows it.
enum Shown {
    Text(String),
    Secret,
    Bool(bool),
    Int(i64),
    Duration(Duration),
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shown::Text(s) => write!(f, "{}", toml::Value::String(s.clone())),
            Shown::Secret => write!(f, "\"{}\"", Secret::MASK),
            Shown::Bool(b) => write!(f, "{b}"),
            Shown::Int(n) => write!(f, "{n}"),
            Shown::Duration(d) => write!(f, "\"{}\"", show_duration(*d)),
        }
    }
}

/// The value `config` holds for `key` (`None`: not set).
fn current(config: &ServerConfig, key: &str) -> Option<Shown> {
    let d = &config.delivery;
    let text = |s: &str| Some(Shown::Text(s.to_owned()));
    let secret = |s: &Option<Secret>| s.as_ref().map(|_| Shown::Secret);
    match key {
        "database_url" if config.database_url.is_empty() => None,
        "database_url" => text(&mask_password(&config.database_url)),
        "listen" => text(&config.listen.to_string()),
        "public_base_url" => config.portal.public_url.as_deref().and_then(text),
        "secure_cookies" => Some(Shown::Bool(config.portal.secure_cookies)),
        "trust_proxy" => Some(Shown::Bool(config.portal.trust_proxy)),
        "issuer_name" => text(&config.issuer_name),
        "signing_key" => config
            .signing_key_path()
            .and_then(|p| text(&p.display().to_string())),
        "closing_soon_days" => Some(Shown::Int(config.closing_soon_days)),
        "report_due_days" => Some(Shown::Int(config.report_due_days)),
        "bale_token" => secret(&d.bale_token),
        "bale_base_url" => text(&d.bale_base_url),
        "bale_updates" => text(d.bot_updates.as_str()),
        "bale_channel" => d.bale_channel.as_deref().and_then(text),
        "eitaa_token" => secret(&d.eitaa_token),
        "eitaa_base_url" => text(&d.eitaa_base_url),
        "eitaa_channel" => d.eitaa_channel.as_deref().and_then(text),
        "webhook_secret" => secret(&d.webhook_secret),
        "allow_private_webhooks" => Some(Shown::Bool(d.allow_private_webhooks)),
        "sms_provider" => config.sms.provider.and_then(|p| text(p.as_str())),
        "sms_api_key" => secret(&config.sms.api_key),
        "sms_base_url" => config.sms.base_url().and_then(text),
        "sms_template" => config.sms.template.as_deref().and_then(text),
        "phone_key" => secret(&config.verification.phone_key),
        "require_verification" => Some(Shown::Bool(config.verification.required)),
        "verification_code_ttl" => config
            .verification
            .code_ttl
            .to_std()
            .ok()
            .map(Shown::Duration),
        "delivery_worker" => Some(Shown::Bool(d.enabled)),
        "delivery_max_attempts" => Some(Shown::Int(d.max_attempts)),
        "delivery_backoff_base" => Some(Shown::Duration(d.backoff_base)),
        "delivery_backoff_cap" => Some(Shown::Duration(d.backoff_cap)),
        "delivery_poll_interval" => Some(Shown::Duration(d.poll_interval)),
        "delivery_batch" => Some(Shown::Int(i64::from(d.batch))),
        "delivery_concurrency" => Some(Shown::Int(d.concurrency as i64)),
        "delivery_send_timeout" => Some(Shown::Duration(d.send_timeout)),
        "delivery_hold" => Some(Shown::Duration(d.hold)),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// The result
// ---------------------------------------------------------------------------------------------

/// The settings `serve` runs with, and where each came from.
#[derive(Debug)]
pub struct Settings {
    pub config: ServerConfig,
    config_file: Option<(PathBuf, Provenance)>,
    /// Where each setting given came from, by key (absent: the default).
    from: BTreeMap<&'static str, Provenance>,
    scoring_rules: Option<PathBuf>,
}

impl Settings {
    /// Where `key` came from; `None`: the default.
    pub fn source(&self, key: &str) -> Option<&Provenance> {
        self.from.get(key)
    }

    /// The effective settings as TOML, secrets masked, each line saying where its value came
    /// from (what `serve --print-config` prints).
    pub fn render(&self) -> String {
        let mut out = String::from(
            "# mosharekat serve: effective settings (secrets masked as \"••••\").\n\
             # Precedence: flag > environment variable > config file > default.\n",
        );
        match &self.config_file {
            Some((path, from)) => out.push_str(&format!(
                "# config file: {} (from {from})\n",
                path.display()
            )),
            None => out.push_str("# config file: none\n"),
        }
        let mut heading = "";
        for spec in SPECS {
            if spec.heading != heading {
                heading = spec.heading;
                out.push_str(&format!("\n# {heading}\n"));
            }
            let value = if spec.key == "scoring_rules" {
                self.scoring_rules
                    .as_ref()
                    .map(|p| Shown::Text(p.display().to_string()))
            } else {
                current(&self.config, spec.key)
            };
            let from = match self.from.get(spec.key) {
                Some(from) => format!("from {from}"),
                None => "default".to_owned(),
            };
            match value {
                Some(value) => out.push_str(&format!("{} = {value}  # {from}\n", spec.key)),
                None => out.push_str(&format!("# {} is not set\n", spec.key)),
            }
        }
        let channels: Vec<&str> = self
            .config
            .delivery
            .channels()
            .iter()
            .map(|c| c.as_str())
            .collect();
        out.push_str(&format!(
            "\n# delivery: {}\n",
            match (self.config.delivery.enabled, channels.is_empty()) {
                (false, _) => "the worker does not run in this instance".to_owned(),
                (true, true) => {
                    "no channel configured (a Bale or Eitaa token, a webhook secret): messages \
                     wait in the outbox"
                        .to_owned()
                }
                (true, false) => format!(
                    "sends through {} (messages for other channels wait in the outbox)",
                    channels.join(", ")
                ),
            }
        ));
        out
    }
}

/// Read every setting from `args`, the environment (`env`) and the config file, and check them.
pub fn resolve(
    args: &ServeArgs,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Settings, SettingsError> {
    let config_file = match (&args.config, env(CONFIG_ENV)) {
        (Some(path), _) => Some((path.clone(), Origin::Flag("config"))),
        (None, Some(var)) if !var.trim().is_empty() => Some((
            PathBuf::from(var.trim()),
            Origin::Env(CONFIG_ENV.to_owned()),
        )),
        _ => None,
    }
    .map(|(path, origin)| {
        (
            path,
            Provenance {
                origin,
                secret_file: None,
            },
        )
    });
    let file = match &config_file {
        Some((path, from)) => Some(FileLayer::read(path, from)?),
        None => None,
    };
    let mut config = ServerConfig::new(String::new(), SocketAddr::from(([127, 0, 0, 1], 8080)));
    let mut from = BTreeMap::new();
    let mut scoring_rules = None;
    for spec in SPECS {
        let Some(raw) = pick(spec, args, env, file.as_ref())? else {
            continue;
        };
        apply(&mut config, spec.key, &raw.text).map_err(|message| {
            // A secret's text is never part of an error.
            let message = if spec.kind == Kind::Secret {
                "unusable value".to_owned()
            } else {
                message
            };
            bad(spec, &raw.from, message)
        })?;
        if spec.key == "scoring_rules" {
            scoring_rules = Some(PathBuf::from(raw.text.trim()));
        }
        from.insert(spec.key, raw.from);
    }
    let settings = Settings {
        config,
        config_file,
        from,
        scoring_rules,
    };
    check(&settings)?;
    Ok(settings)
}

/// The rules between settings.
fn check(settings: &Settings) -> Result<(), SettingsError> {
    let config = &settings.config;
    let place = |key: &str| match settings.source(key) {
        Some(from) => format!("{key} (from {from})"),
        None => format!("{key} (default)"),
    };
    if config.database_url.is_empty() {
        return Err(SettingsError(format!(
            "database_url is not set: give --database-url, {} or database_url in the config file",
            spec("database_url").env()
        )));
    }
    let d = &config.delivery;
    if d.hold <= d.send_timeout {
        return Err(SettingsError(format!(
            "{} must be longer than {}",
            place("delivery_hold"),
            place("delivery_send_timeout")
        )));
    }
    if d.backoff_cap < d.backoff_base {
        return Err(SettingsError(format!(
            "{} must not be shorter than {}",
            place("delivery_backoff_cap"),
            place("delivery_backoff_base")
        )));
    }
    let sms = &config.sms;
    match sms.provider {
        Some(_) => {
            for (key, set) in [
                ("sms_api_key", sms.api_key.is_some()),
                ("sms_template", sms.template.is_some()),
            ] {
                if !set {
                    return Err(SettingsError(format!(
                        "{key} is not set, but {} is: the gateway needs both",
                        place("sms_provider")
                    )));
                }
            }
        }
        None => {
            for key in ["sms_api_key", "sms_base_url", "sms_template"] {
                if settings.source(key).is_some() {
                    return Err(SettingsError(format!(
                        "{} is set, but sms_provider is not: name the gateway (kavenegar or smsir)",
                        place(key)
                    )));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
