//! Console settings, where the console keeps its files, and its log.
//!
//! Settings come from, strongest first: command-line flags ([`ConsoleFlags`]), then
//! `config.toml` in the config directory, then defaults (Persian, dark theme, default keymap,
//! bidi by the application, shaping automatic, the built-in backend on port [`DEFAULT_PORTAL_PORT`]). The token also comes from `MOSHAREKAT_TOKEN`,
//! which beats the file (and is never a flag, so it stays out of process lists).
//!
//! Folders: the platform's per-user folders for "mosharekat" (`~/.config/mosharekat` and
//! `~/.local/share/mosharekat` on Linux), or `MOSHAREKAT_CONFIG_DIR` / `MOSHAREKAT_DATA_DIR`.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use reqwest::Url;
use serde::Deserialize;
use tracing_subscriber::EnvFilter;

use crate::toml_file::{FileError, Source};

/// Environment variable naming the config directory (overrides the platform default).
pub const CONFIG_DIR_ENV: &str = "MOSHAREKAT_CONFIG_DIR";
/// Environment variable naming the data directory (overrides the platform default).
pub const DATA_DIR_ENV: &str = "MOSHAREKAT_DATA_DIR";
/// Environment variable holding a staff token for a remote backend.
pub const TOKEN_ENV: &str = "MOSHAREKAT_TOKEN";
/// Environment variable with a `tracing` filter for the log file (e.g. `debug`, `mosharekat=trace`).
pub const LOG_ENV: &str = "MOSHAREKAT_LOG";

/// The port the built-in backend (and so its citizen portal) prefers on 127.0.0.1, so the
/// portal's address stays the same from one run to the next.
pub const DEFAULT_PORTAL_PORT: u16 = 8421;

/// A log file past this size is moved to `mosharekat.log.1` at start.
const LOG_ROTATE_BYTES: u64 = 10 * 1024 * 1024;

/// Who puts right-to-left text in visual order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum BidiMode {
    /// The console reorders and switches BiDi-capable terminals to explicit mode (`CSI 8 l`).
    #[default]
    App,
    /// The console writes logical order and the terminal reorders (Konsole, mlterm, macOS Terminal).
    Terminal,
    /// No reordering at all (debugging).
    Off,
}

/// Whether Arabic-script letters are drawn in their joined (presentation) forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ShapingMode {
    /// Shape when the terminal is not known to shape by itself.
    #[default]
    Auto,
    On,
    Off,
}

/// The console's command-line flags; the binary flattens these into its own arguments.
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args)]
pub struct ConsoleFlags {
    // Interface language (clap help: doc comments would be read by rustdoc as HTML).
    #[arg(
        long,
        value_name = "CODE",
        help = "Interface language: fa, en, or a locale file <config>/locales/CODE.toml"
    )]
    pub lang: Option<String>,
    // Colour theme.
    #[arg(
        long,
        value_name = "NAME",
        help = "Colour theme: dark, light, high-contrast, mono, or <config>/themes/NAME.toml"
    )]
    pub theme: Option<String>,
    // Key bindings.
    #[arg(
        long,
        value_name = "NAME",
        help = "Key bindings: default, vim, or <config>/keymaps/NAME.toml"
    )]
    pub keymap: Option<String>,
    /// Who reorders right-to-left text: the console (app), the terminal, or nobody (off).
    #[arg(long, value_enum)]
    pub bidi: Option<BidiMode>,
    /// Arabic-script shaping: auto, on, off.
    #[arg(long, value_enum)]
    pub shaping: Option<ShapingMode>,
    #[cfg_attr(
        feature = "embedded",
        doc = "A remote backend (http:// or https://) instead of the built-in one."
    )]
    #[cfg_attr(
        not(feature = "embedded"),
        doc = "The remote backend (http:// or https://) to connect to."
    )]
    #[arg(long, value_name = "URL", value_parser = parse_backend_url)]
    pub backend: Option<Url>,
    // The built-in backend's port (clap help: see `lang`).
    #[arg(
        long,
        value_name = "PORT",
        help = "Port of the built-in backend and its citizen portal on 127.0.0.1 (default 8421; \
                0: any free port; a taken port falls back to a free one)"
    )]
    pub portal_port: Option<u16>,
}

/// `config.toml` as written: every key optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    pub lang: Option<String>,
    pub theme: Option<String>,
    pub keymap: Option<String>,
    pub bidi: Option<BidiMode>,
    pub shaping: Option<ShapingMode>,
    pub backend: Option<String>,
    pub token: Option<String>,
    pub portal_port: Option<u16>,
}

/// The settings in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub lang: String,
    pub theme: String,
    pub keymap: String,
    pub bidi: BidiMode,
    pub shaping: ShapingMode,
    /// `None`: start the built-in backend.
    pub backend: Option<Url>,
    pub token: Option<String>,
    /// The port the built-in backend asks for first (0: any); unused with a remote backend.
    pub portal_port: u16,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            lang: "fa".into(),
            theme: "dark".into(),
            keymap: "default".into(),
            bidi: BidiMode::App,
            shaping: ShapingMode::Auto,
            backend: None,
            token: None,
            portal_port: DEFAULT_PORTAL_PORT,
        }
    }
}

impl Settings {
    /// Reads `config.toml` from `dirs` (absent is fine), `MOSHAREKAT_TOKEN`, and applies `flags`.
    pub fn load(dirs: &Dirs, flags: &ConsoleFlags) -> Result<Settings, FileError> {
        let file = FileSettings::load(&dirs.config_file())?;
        let env_token = std::env::var(TOKEN_ENV).ok();
        Settings::merge(
            file,
            flags,
            env_token,
            &dirs.config_file().display().to_string(),
        )
    }

    /// Flags beat the environment token and the file, which beat the defaults.
    pub fn merge(
        file: FileSettings,
        flags: &ConsoleFlags,
        env_token: Option<String>,
        file_name: &str,
    ) -> Result<Settings, FileError> {
        let defaults = Settings::default();
        let file_backend = match file.backend {
            Some(text) => Some(parse_backend_url(&text).map_err(|message| FileError {
                file: file_name.to_owned(),
                line: None,
                message: format!("`backend`: {message}"),
            })?),
            None => None,
        };
        let non_empty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        Ok(Settings {
            lang: flags.lang.clone().or(file.lang).unwrap_or(defaults.lang),
            theme: flags.theme.clone().or(file.theme).unwrap_or(defaults.theme),
            keymap: flags
                .keymap
                .clone()
                .or(file.keymap)
                .unwrap_or(defaults.keymap),
            bidi: flags.bidi.or(file.bidi).unwrap_or(defaults.bidi),
            shaping: flags.shaping.or(file.shaping).unwrap_or(defaults.shaping),
            backend: flags.backend.clone().or(file_backend),
            token: non_empty(env_token).or(non_empty(file.token)),
            portal_port: flags
                .portal_port
                .or(file.portal_port)
                .unwrap_or(defaults.portal_port),
        })
    }
}

impl FileSettings {
    /// Reads a settings file; a missing file gives empty settings.
    pub fn load(path: &Path) -> Result<FileSettings, FileError> {
        let name = path.display().to_string();
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(FileSettings::default()),
            Err(err) => {
                return Err(FileError {
                    file: name,
                    line: None,
                    message: format!("cannot be read: {err}"),
                });
            }
        };
        let settings = FileSettings::parse(&name, &text)?;
        if settings.token.is_some() && readable_by_others(path) {
            tracing::warn!(
                file = %name,
                "config file holds a token but others can read it; chmod 600 it"
            );
        }
        Ok(settings)
    }

    pub fn parse(file: &str, text: &str) -> Result<FileSettings, FileError> {
        let source = Source::new(file, text);
        toml::from_str(text).map_err(|err: toml::de::Error| FileError {
            file: file.to_owned(),
            line: err.span().map(|span| source.line_of(span.start)),
            message: err.message().trim_end().to_owned(),
        })
    }
}

#[cfg(unix)]
fn readable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
}

#[cfg(not(unix))]
fn readable_by_others(_path: &Path) -> bool {
    false
}

/// Accepts an absolute `http://` or `https://` URL with a host.
pub fn parse_backend_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text.trim())
        .map_err(|err| format!("`{text}` is not a URL ({err}); expected e.g. https://host:8080"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(format!(
            "`{text}` is not an http:// or https:// address with a host; expected e.g. \
             https://host:8080"
        ));
    }
    Ok(url)
}

/// Where the console keeps its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dirs {
    /// `config.toml`, `keymap.toml`, `keymaps/`, `themes/`, `locales/`.
    pub config: PathBuf,
    /// The embedded backend's database, the decision journal, logs.
    pub data: PathBuf,
}

/// The user's folders could not be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoHomeError;

impl std::fmt::Display for NoHomeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot find the user's home folder; set {CONFIG_DIR_ENV} and {DATA_DIR_ENV}"
        )
    }
}

impl std::error::Error for NoHomeError {}

impl Dirs {
    /// The folders from the process environment and the platform.
    pub fn discover() -> Result<Dirs, NoHomeError> {
        Dirs::from_env(|name| std::env::var_os(name))
    }

    /// The folders, reading overrides through `var` (empty values are ignored).
    pub fn from_env(var: impl Fn(&str) -> Option<OsString>) -> Result<Dirs, NoHomeError> {
        let from_var = |name: &str| var(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        let config = from_var(CONFIG_DIR_ENV);
        let data = from_var(DATA_DIR_ENV);
        if let (Some(config), Some(data)) = (&config, &data) {
            return Ok(Dirs {
                config: config.clone(),
                data: data.clone(),
            });
        }
        let project = directories::ProjectDirs::from("", "", "mosharekat").ok_or(NoHomeError)?;
        Ok(Dirs {
            config: config.unwrap_or_else(|| project.config_dir().to_path_buf()),
            data: data.unwrap_or_else(|| project.data_dir().to_path_buf()),
        })
    }

    pub fn config_file(&self) -> PathBuf {
        self.config.join("config.toml")
    }

    /// The embedded backend's SQLite database.
    pub fn database_path(&self) -> PathBuf {
        self.data.join("mosharekat.sqlite3")
    }

    /// The SQLite URL of [`Dirs::database_path`], created if missing.
    pub fn database_url(&self) -> String {
        format!("sqlite://{}?mode=rwc", self.database_path().display())
    }

    /// The journal of decisions not yet confirmed by the backend.
    pub fn journal_path(&self) -> PathBuf {
        self.data.join("decisions.journal")
    }

    pub fn log_dir(&self) -> PathBuf {
        self.data.join("logs")
    }

    pub fn log_file(&self) -> PathBuf {
        self.log_dir().join("mosharekat.log")
    }

    /// Creates the data folder (owner-only on Unix: it holds tokens in the database and
    /// participants' text).
    pub fn ensure_data_dir(&self) -> io::Result<()> {
        create_private_dir(&self.data)?;
        create_private_dir(&self.log_dir())
    }
}

fn create_private_dir(path: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

/// Logging could not be set up.
#[derive(Debug)]
pub enum LoggingError {
    Io {
        path: PathBuf,
        source: io::Error,
    },
    /// `MOSHAREKAT_LOG` is not a valid filter.
    Filter(String),
    /// A global subscriber was already installed.
    AlreadySet,
}

impl std::fmt::Display for LoggingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoggingError::Io { path, source } => {
                write!(f, "cannot open the log file {}: {source}", path.display())
            }
            LoggingError::Filter(message) => {
                write!(f, "{LOG_ENV} is not a valid filter: {message}")
            }
            LoggingError::AlreadySet => f.write_str("logging was already set up"),
        }
    }
}

impl std::error::Error for LoggingError {}

/// Sends `tracing` output to `<data>/logs/mosharekat.log` (never to the screen, which belongs to
/// the interface), filtered by `MOSHAREKAT_LOG` or `default_filter`. Returns the file's path.
pub fn init_logging(dirs: &Dirs, default_filter: &str) -> Result<PathBuf, LoggingError> {
    let filter = match std::env::var(LOG_ENV) {
        Ok(spec) if !spec.trim().is_empty() => {
            EnvFilter::try_new(spec).map_err(|e| LoggingError::Filter(e.to_string()))?
        }
        _ => EnvFilter::try_new(default_filter).map_err(|e| LoggingError::Filter(e.to_string()))?,
    };
    let path = dirs.log_file();
    let file = open_log_file(dirs).map_err(|source| LoggingError::Io {
        path: path.clone(),
        source,
    })?;
    tracing::subscriber::set_global_default(file_subscriber(file, filter))
        .map_err(|_| LoggingError::AlreadySet)?;
    Ok(path)
}

/// Opens the log for appending, moving an oversized one aside first.
fn open_log_file(dirs: &Dirs) -> io::Result<File> {
    dirs.ensure_data_dir()?;
    let path = dirs.log_file();
    if fs::metadata(&path).is_ok_and(|m| m.len() > LOG_ROTATE_BYTES) {
        fs::rename(&path, path.with_extension("log.1"))?;
    }
    OpenOptions::new().create(true).append(true).open(path)
}

fn file_subscriber(file: File, filter: EnvFilter) -> impl tracing::Subscriber + Send + Sync {
    tracing_subscriber::fmt()
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_env_filter(filter)
        .finish()
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        console: ConsoleFlags,
    }

    fn flags(args: &[&str]) -> ConsoleFlags {
        Cli::try_parse_from(std::iter::once("mosharekat").chain(args.iter().copied()))
            .unwrap()
            .console
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "mosharekat-config-test-{name}-{}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn defaults_when_nothing_is_set() {
        let s =
            Settings::merge(FileSettings::default(), &ConsoleFlags::default(), None, "c").unwrap();
        assert_eq!(s, Settings::default());
        assert_eq!(s.lang, "fa");
        assert_eq!(s.theme, "dark");
        assert_eq!(s.keymap, "default");
        assert_eq!(s.bidi, BidiMode::App);
        assert_eq!(s.shaping, ShapingMode::Auto);
        assert_eq!(s.backend, None);
        assert_eq!(s.portal_port, 8421);
    }

    #[test]
    fn the_portal_port_comes_from_the_flag_then_the_file() {
        let file = FileSettings::parse("config.toml", "portal_port = 9000\n").unwrap();
        let s = Settings::merge(file.clone(), &ConsoleFlags::default(), None, "c").unwrap();
        assert_eq!(s.portal_port, 9000, "file");
        let s = Settings::merge(file, &flags(&["--portal-port", "0"]), None, "c").unwrap();
        assert_eq!(s.portal_port, 0, "flag over file");
        let err = FileSettings::parse("config.toml", "portal_port = 70000\n").unwrap_err();
        assert_eq!(err.line, Some(1), "{err}");
        let bad = Cli::try_parse_from(["mosharekat", "--portal-port", "http"]);
        assert!(bad.is_err());
    }

    #[test]
    fn flags_beat_file_beats_defaults() {
        let file = FileSettings::parse(
            "config.toml",
            "lang = \"en\"\ntheme = \"light\"\nbidi = \"terminal\"\nbackend = \"http://10.0.0.5:8080\"\ntoken = \"from-file\"\n",
        )
        .unwrap();
        let cli = flags(&["--theme", "mono", "--shaping", "off", "--keymap", "vim"]);
        let s = Settings::merge(file.clone(), &cli, None, "config.toml").unwrap();
        assert_eq!(s.lang, "en", "file");
        assert_eq!(s.theme, "mono", "flag over file");
        assert_eq!(s.keymap, "vim", "flag");
        assert_eq!(s.bidi, BidiMode::Terminal, "file");
        assert_eq!(s.shaping, ShapingMode::Off, "flag");
        assert_eq!(s.backend.unwrap().as_str(), "http://10.0.0.5:8080/");
        assert_eq!(s.token.as_deref(), Some("from-file"));

        let cli = flags(&["--backend", "https://consult.example:9443", "--bidi", "off"]);
        let s = Settings::merge(file, &cli, Some("from-env".into()), "config.toml").unwrap();
        assert_eq!(s.backend.unwrap().host_str(), Some("consult.example"));
        assert_eq!(s.bidi, BidiMode::Off);
        assert_eq!(
            s.token.as_deref(),
            Some("from-env"),
            "environment over file"
        );
    }

    #[test]
    fn flag_values_are_checked_by_clap() {
        let bad = |args: &[&str]| {
            Cli::try_parse_from(std::iter::once("mosharekat").chain(args.iter().copied()))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert!(bad(&["--bidi", "sideways"]).contains("possible values: app, terminal, off"));
        assert!(bad(&["--backend", "ftp://x"]).contains("not an http:// or https://"));
        assert!(bad(&["--backend", "localhost:8080"]).contains("expected e.g."));
    }

    #[test]
    fn config_file_errors_name_the_line() {
        let err =
            FileSettings::parse("config.toml", "lang = \"en\"\nthme = \"dark\"\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("unknown field `thme`"), "{err}");
        assert!(err.message.contains("theme"), "{err}");
        let err = FileSettings::parse("config.toml", "bidi = \"both\"\n").unwrap_err();
        assert_eq!(err.line, Some(1));
        assert!(err.message.contains("app"), "{err}");
        let err = Settings::merge(
            FileSettings::parse("config.toml", "backend = \"nope\"\n").unwrap(),
            &ConsoleFlags::default(),
            None,
            "config.toml",
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("config.toml: `backend`: `nope` is not a URL")
        );
    }

    #[test]
    fn empty_tokens_count_as_absent() {
        let file = FileSettings {
            token: Some("file".into()),
            ..FileSettings::default()
        };
        let s = Settings::merge(file, &ConsoleFlags::default(), Some(" ".into()), "c").unwrap();
        assert_eq!(s.token.as_deref(), Some("file"));
    }

    #[test]
    fn load_reads_config_toml_from_the_config_dir() {
        let root = temp_dir("load");
        let dirs = Dirs {
            config: root.join("config"),
            data: root.join("data"),
        };
        assert_eq!(
            FileSettings::load(&dirs.config_file()).unwrap(),
            FileSettings::default(),
            "a missing file is fine"
        );
        fs::create_dir_all(&dirs.config).unwrap();
        fs::write(dirs.config_file(), "keymap = \"vim\"\n").unwrap();
        let s = Settings::load(&dirs, &flags(&["--lang", "en"])).unwrap();
        assert_eq!((s.lang.as_str(), s.keymap.as_str()), ("en", "vim"));
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn dirs_honour_overrides() {
        let env = |name: &str| match name {
            CONFIG_DIR_ENV => Some(OsString::from("/tmp/c")),
            DATA_DIR_ENV => Some(OsString::from("/tmp/d")),
            _ => None,
        };
        let dirs = Dirs::from_env(env).unwrap();
        assert_eq!(dirs.config, PathBuf::from("/tmp/c"));
        assert_eq!(dirs.data, PathBuf::from("/tmp/d"));
        assert_eq!(dirs.config_file(), PathBuf::from("/tmp/c/config.toml"));
        assert_eq!(
            dirs.database_path(),
            PathBuf::from("/tmp/d/mosharekat.sqlite3")
        );
        assert_eq!(
            dirs.database_url(),
            "sqlite:///tmp/d/mosharekat.sqlite3?mode=rwc"
        );
        assert_eq!(
            dirs.journal_path(),
            PathBuf::from("/tmp/d/decisions.journal")
        );
        assert_eq!(dirs.log_file(), PathBuf::from("/tmp/d/logs/mosharekat.log"));
    }

    #[test]
    fn dirs_default_to_the_platform_folders() {
        if directories::ProjectDirs::from("", "", "mosharekat").is_none() {
            return; // no home folder in this environment: nothing to compare with
        }
        let only_data = |name: &str| (name == DATA_DIR_ENV).then(|| OsString::from("/tmp/d"));
        let dirs = Dirs::from_env(only_data).unwrap();
        assert!(
            dirs.config.ends_with("mosharekat"),
            "{}",
            dirs.config.display()
        );
        assert_eq!(dirs.data, PathBuf::from("/tmp/d"));
        let empty = |name: &str| (name == CONFIG_DIR_ENV).then(OsString::new);
        let dirs = Dirs::from_env(empty).unwrap();
        assert!(
            dirs.config.ends_with("mosharekat"),
            "empty override ignored"
        );
    }

    #[cfg(unix)]
    #[test]
    fn data_dir_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let root = temp_dir("private");
        let dirs = Dirs {
            config: root.join("c"),
            data: root.join("d"),
        };
        dirs.ensure_data_dir().unwrap();
        let mode = fs::metadata(&dirs.data).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        assert!(dirs.log_dir().is_dir());
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn logs_go_to_the_file_in_the_data_dir() {
        let root = temp_dir("log");
        let dirs = Dirs {
            config: root.join("c"),
            data: root.join("d"),
        };
        let file = open_log_file(&dirs).unwrap();
        let subscriber = file_subscriber(file, EnvFilter::new("info"));
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!(answer = 42, "console started");
            tracing::debug!("filtered out");
        });
        let text = fs::read_to_string(dirs.log_file()).unwrap();
        assert!(text.contains("console started"), "{text}");
        assert!(text.contains("answer=42"), "{text}");
        assert!(!text.contains("filtered out"));
        assert!(!text.contains('\u{1b}'), "no colour codes in the file");
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn oversized_logs_are_moved_aside() {
        let root = temp_dir("rotate");
        let dirs = Dirs {
            config: root.join("c"),
            data: root.join("d"),
        };
        dirs.ensure_data_dir().unwrap();
        let big = File::create(dirs.log_file()).unwrap();
        big.set_len(LOG_ROTATE_BYTES + 1).unwrap();
        drop(open_log_file(&dirs).unwrap());
        assert_eq!(fs::metadata(dirs.log_file()).unwrap().len(), 0);
        assert_eq!(
            fs::metadata(dirs.log_dir().join("mosharekat.log.1"))
                .unwrap()
                .len(),
            LOG_ROTATE_BYTES + 1
        );
        fs::remove_dir_all(&root).unwrap();
    }
}
