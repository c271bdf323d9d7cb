//! Real-terminal test support: the real `mosharekat serve` on a port of its own over a SQLite
//! file, staff made with the real `mosharekat user add`, data set up over HTTP, and the real
//! console binary in a pseudo-terminal whose output is read into a `vt100` emulator.
//!
//! `vt100` does no BiDi: it shows exactly what a terminal in explicit mode shows, which is what
//! the tests assert on. The console runs with `--bidi app --shaping off`, so Persian text on the
//! screen is in visual order (letters of a word reversed, words right to left) and made of plain,
//! unshaped letters that the expected strings can spell.
//!
//! Tests are plain `#[test]` functions: the harness blocks (HTTP calls run on a runtime the
//! [`Backend`] owns) and every wait polls with a generous timeout ([`TIMEOUT`]); nothing asserts
//! on how long anything took.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use mosharekat_api::{
    Category, ConsultationKind, Gender, Language, NewConsultation, NewParticipant, NewPoll,
    NewPollOption, PollKind, Province, paths,
};
use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};
use serde_json::{Value, json};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_mosharekat");

/// Password of every staff account the tests create.
pub const PASSWORD: &str = "correct horse battery staple";

/// How long a wait may take before the test fails. Generous: CI machines are slow and debug
/// builds hash passwords slowly; a passing test never waits this long.
pub const TIMEOUT: Duration = Duration::from_secs(40);

/// How often waits look again.
const POLL: Duration = Duration::from_millis(25);

/// Poll `check` until it returns `Some`, or panic with `what` and `context()` after [`TIMEOUT`].
pub fn poll_until<T>(
    what: &str,
    mut check: impl FnMut() -> Option<T>,
    context: impl Fn() -> String,
) -> T {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Some(value) = check() {
            return value;
        }
        if Instant::now() > deadline {
            panic!("timed out waiting for {what}\n{}", context());
        }
        std::thread::sleep(POLL);
    }
}

/// GET any address (a portal page, say) with a client of its own; returns the status, the
/// `Content-Type` and the body.
pub fn get_page(url: &str) -> (u16, String, String) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let response = reqwest::get(url).await.expect("page reachable");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = response.text().await.expect("page body");
        (status, content_type, body)
    })
}

/// A port nobody listens on right now, to pass to `serve --listen` explicitly (so that a
/// restarted server comes back on the same address).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free local port")
        .port()
}

// ---------------------------------------------------------------------------------------------
// The backend
// ---------------------------------------------------------------------------------------------

/// The real backend (`mosharekat serve`) over a SQLite file in a temporary folder, with an HTTP
/// client for setting up data and checking what the server recorded. Killed when dropped.
pub struct Backend {
    dir: tempfile::TempDir,
    port: u16,
    process: Option<Child>,
    runtime: tokio::runtime::Runtime,
    http: reqwest::Client,
    /// The SMS gateway `serve` sends one-time codes to (a fake Kavenegar).
    pub sms: FakeKavenegar,
    /// Numbers given to participants so far.
    phones: std::sync::atomic::AtomicU64,
}

impl Backend {
    /// Start a server on a fresh database and a free port.
    pub fn start() -> Backend {
        let dir = tempfile::tempdir().expect("temporary folder");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        let mut backend = Backend {
            dir,
            port: free_port(),
            process: None,
            runtime,
            // No pooled connections: one kept alive to a killed server would fail the next call.
            http: reqwest::Client::builder()
                .pool_max_idle_per_host(0)
                .build()
                .expect("HTTP client"),
            sms: FakeKavenegar::start(),
            phones: Default::default(),
        };
        backend.spawn_server();
        backend
    }

    /// Start `mosharekat serve` configured through environment variables alone: no flag, and an
    /// environment holding nothing but `MOSHAREKAT_DATABASE_URL`, `MOSHAREKAT_LISTEN` (port 0),
    /// `MOSHAREKAT_LOG` and `vars`. The port is read from the server's first line.
    pub fn start_from_env(vars: &[(&str, &str)]) -> Backend {
        let mut backend = Backend {
            dir: tempfile::tempdir().expect("temporary folder"),
            port: 0,
            process: None,
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("tokio runtime"),
            http: reqwest::Client::builder()
                .pool_max_idle_per_host(0)
                .build()
                .expect("HTTP client"),
            sms: FakeKavenegar::start(),
            phones: Default::default(),
        };
        let log = std::fs::File::create(backend.dir.path().join("server.log")).expect("server log");
        let mut child = Command::new(BIN)
            .arg("serve")
            .env_clear()
            .env("MOSHAREKAT_DATABASE_URL", backend.database_url())
            .env("MOSHAREKAT_LISTEN", "127.0.0.1:0")
            .env("MOSHAREKAT_LOG", "info")
            .envs(vars.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("start mosharekat serve");
        let stdout = child.stdout.take().expect("server stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(line)) = lines.next() {
                let _ = tx.send(line);
            }
            for _ in lines {}
        });
        let line = rx.recv_timeout(TIMEOUT).unwrap_or_else(|_| {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the server did not start\n{}", backend.server_log())
        });
        backend.port = line
            .trim()
            .strip_prefix("listening on http://127.0.0.1:")
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line: {line}"));
        backend.process = Some(child);
        backend
    }

    /// `http://127.0.0.1:PORT`, what the console's `--backend` takes.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn database_path(&self) -> PathBuf {
        self.dir.path().join("db.sqlite3")
    }

    pub fn database_url(&self) -> String {
        format!("sqlite://{}", self.database_path().display())
    }

    /// The server's log (stderr of every run so far).
    pub fn server_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    pub fn is_running(&mut self) -> bool {
        self.process
            .as_mut()
            .is_some_and(|p| p.try_wait().ok().flatten().is_none())
    }

    /// Start `mosharekat serve` on this backend's database and port, and wait for its
    /// `listening on` line. The port may still be held for a moment after a kill: retry until
    /// [`TIMEOUT`].
    fn spawn_server(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("server.log"))
            .expect("server log");
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let mut child = Command::new(BIN)
                .args(["serve", "--database-url", &self.database_url(), "--listen"])
                .arg(format!("127.0.0.1:{}", self.port))
                .args(["--sms-provider", "kavenegar", "--sms-template", "verify"])
                .args(["--sms-base-url", &self.sms.url])
                .env("MOSHAREKAT_SMS_API_KEY", FakeKavenegar::KEY)
                .env("MOSHAREKAT_LOG", "info")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(log.try_clone().expect("server log"))
                .spawn()
                .expect("start mosharekat serve");
            let stdout = child.stdout.take().expect("server stdout");
            let (tx, rx) = mpsc::channel();
            // Reads the first line, then drains stdout so the server never blocks on it.
            std::thread::spawn(move || {
                let mut lines = BufReader::new(stdout).lines();
                if let Some(Ok(line)) = lines.next() {
                    let _ = tx.send(line);
                }
                for _ in lines {}
            });
            let first = rx.recv_timeout(deadline.saturating_duration_since(Instant::now()));
            match first {
                Ok(line) => {
                    let expected = format!("listening on {}", self.url());
                    assert_eq!(line.trim(), expected, "server announced another address");
                    self.process = Some(child);
                    return;
                }
                Err(_) => {
                    // Exited without announcing (address still in use) or hung: try again.
                    let _ = child.kill();
                    let _ = child.wait();
                    if Instant::now() > deadline {
                        panic!(
                            "the server did not start on port {}\n{}",
                            self.port,
                            self.server_log()
                        );
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
        }
    }

    /// Kill the server abruptly (SIGKILL), as a crash or a network cut would; the database file
    /// stays.
    pub fn kill_server(&mut self) {
        if let Some(mut process) = self.process.take() {
            let _ = process.kill();
            let _ = process.wait();
        }
    }

    /// Start the server again on the same database file and the same port.
    pub fn restart_server(&mut self) {
        self.kill_server();
        self.spawn_server();
    }

    /// `mosharekat <args>` with `MOSHAREKAT_PASSWORD` set to `password`; returns the output.
    pub fn cli(&self, args: &[&str], password: Option<&str>) -> std::process::Output {
        let mut command = Command::new(BIN);
        command.args(args).stdin(Stdio::null());
        match password {
            Some(p) => command.env("MOSHAREKAT_PASSWORD", p),
            None => command.env_remove("MOSHAREKAT_PASSWORD"),
        };
        command.output().expect("run mosharekat")
    }

    /// Create a staff account with `mosharekat user add` and log it in; returns its token.
    /// `role`: moderator, operator or admin.
    pub fn add_staff(&self, username: &str, role: &str) -> String {
        let db = self.database_url();
        let out = self.cli(
            &[
                "user",
                "add",
                "--database-url",
                &db,
                "--username",
                username,
                "--role",
                role,
            ],
            Some(PASSWORD),
        );
        assert!(
            out.status.success(),
            "user add {username}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.login(username)
    }

    /// Log in over HTTP; returns the token.
    pub fn login(&self, username: &str) -> String {
        let body = self.ok(
            "POST",
            paths::LOGIN,
            None,
            Some(json!({"username": username, "password": PASSWORD})),
        );
        body["token"].as_str().expect("token").to_owned()
    }

    /// One request to `/api/v1{path}`; returns the status and the JSON body (Null when empty).
    pub fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let url = format!("{}/api/v1{path}", self.url());
        let mut request = self.http.request(method.parse().expect("HTTP method"), url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.runtime.block_on(async {
            let response = request.send().await.expect("backend reachable");
            let status = response.status().as_u16();
            let bytes = response.bytes().await.expect("response body");
            (
                status,
                serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            )
        })
    }

    /// `POST /api/v1{path}` with a JSON body and one extra header; returns the status.
    pub fn post_with_header(&self, path: &str, header: (&str, &str), body: &Value) -> u16 {
        let url = format!("{}/api/v1{path}", self.url());
        let request = self.http.post(url).header(header.0, header.1).json(body);
        self.runtime.block_on(async {
            request
                .send()
                .await
                .expect("backend reachable")
                .status()
                .as_u16()
        })
    }

    /// Like [`Backend::call`], failing the test unless the answer is a success.
    pub fn ok(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> Value {
        let (status, value) = self.call(method, path, token, body);
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {value}"
        );
        value
    }

    /// A draft consultation open from `opens_at` to `closes_at`; returns its id.
    pub fn draft_consultation(
        &self,
        token: &str,
        title_fa: &str,
        title_en: &str,
        opens_at: DateTime<Utc>,
        closes_at: DateTime<Utc>,
    ) -> i64 {
        let new = NewConsultation {
            kind: ConsultationKind::Regulation,
            title_fa: title_fa.into(),
            title_en: title_en.into(),
            summary_fa: "پیش‌نویس برای نظرخواهی عمومی".into(),
            summary_en: "Draft for public comment".into(),
            drafting_unit: "معاونت حقوقی".into(),
            opens_at,
            closes_at,
            portal_url: "https://example.invalid/consultations".into(),
            short_window_reason: None,
        };
        let created = self.ok(
            "POST",
            paths::CONSULTATIONS,
            Some(token),
            Some(serde_json::to_value(new).expect("consultation JSON")),
        );
        created["id"].as_i64().expect("consultation id")
    }

    /// A published consultation, open since yesterday and closing in `closes_in_days` days
    /// (at least 30 for a normal window); returns its id. Needs an operator or admin token.
    pub fn open_consultation(
        &self,
        token: &str,
        title_fa: &str,
        title_en: &str,
        closes_in_days: i64,
    ) -> i64 {
        let now = Utc::now();
        let id = self.draft_consultation(
            token,
            title_fa,
            title_en,
            now - chrono::Duration::days(1),
            now + chrono::Duration::days(closes_in_days),
        );
        self.ok("POST", &paths::consultation_publish(id), Some(token), None);
        id
    }

    /// Register a citizen (public category, consenting) with a mobile number of their own,
    /// verified by the code the fake gateway received; returns the participant token.
    pub fn participant(&self, display_name: &str) -> String {
        let new = NewParticipant {
            display_name: display_name.into(),
            category: Category::Public,
            birth_year: Some(1990),
            gender: Some(Gender::Female),
            province: Some(Province::Isfahan),
            channel: None,
            handle: None,
            consent: true,
            name_public: false,
            language: Language::Fa,
        };
        let phone = self.next_phone();
        let code = self.code_for(&phone);
        let mut body = serde_json::to_value(new).expect("participant JSON");
        body["phone"] = serde_json::json!(phone);
        body["code"] = serde_json::json!(code);
        let created = self.ok("POST", paths::PUBLIC_PARTICIPANTS, None, Some(body));
        created["token"]
            .as_str()
            .expect("participant token")
            .to_owned()
    }

    /// A mobile number no participant of this backend has (`09120000000`, `09120000001`, …).
    pub fn next_phone(&self) -> String {
        let n = self.phones.fetch_add(1, Ordering::Relaxed);
        format!("0912{n:07}")
    }

    /// Ask the server to send `phone` a code; the code the fake gateway received.
    pub fn code_for(&self, phone: &str) -> String {
        self.ok(
            "POST",
            paths::PUBLIC_VERIFICATION,
            None,
            Some(serde_json::json!({ "phone": phone })),
        );
        let receptor = mosharekat_api::PhoneNumber::parse(phone)
            .expect("a mobile number")
            .national();
        self.sms.last_code(&receptor).expect("the code sent")
    }

    /// A citizen's comment on an open consultation; returns the comment id.
    pub fn comment(&self, consultation: i64, participant_token: &str, body: &str) -> i64 {
        let accepted = self.ok(
            "POST",
            &paths::public_consultation_comments(consultation),
            Some(participant_token),
            Some(json!({ "body": body })),
        );
        accepted["id"].as_i64().expect("comment id")
    }

    /// A comment as staff see it (`GET /comments/{id}`): status, decision, reason…
    pub fn comment_json(&self, token: &str, id: i64) -> Value {
        self.ok("GET", &paths::comment(id), Some(token), None)
    }

    /// A single-choice poll on a consultation; returns the poll JSON (`id`, `options[].id`).
    pub fn poll(
        &self,
        token: &str,
        consultation: i64,
        question_fa: &str,
        options: &[&str],
    ) -> Value {
        let new = NewPoll {
            kind: PollKind::SingleChoice,
            question_fa: question_fa.into(),
            question_en: "Poll".into(),
            options: options
                .iter()
                .map(|label| NewPollOption {
                    label_fa: (*label).into(),
                    label_en: (*label).into(),
                })
                .collect(),
        };
        self.ok(
            "POST",
            &paths::consultation_polls(consultation),
            Some(token),
            Some(serde_json::to_value(new).expect("poll JSON")),
        )
    }

    /// Every audit entry, oldest first (`GET /audit`, admin token), as JSON
    /// (`id`, `actor`, `action`, `target`, `after`…).
    pub fn audit(&self, admin_token: &str) -> Vec<Value> {
        let mut entries = Vec::new();
        let mut after = 0;
        loop {
            let page = self.ok(
                "GET",
                &format!("{}?after={after}&limit=500", paths::AUDIT),
                Some(admin_token),
                None,
            );
            let items = page["items"].as_array().cloned().unwrap_or_default();
            let Some(last) = items.last() else { break };
            after = last["id"].as_i64().expect("audit id");
            entries.extend(items);
        }
        entries
    }

    /// How many audit entries record `action` on `target` (e.g. `comment.decide` on
    /// `comment:12`): "applied exactly once" is a count of 1.
    pub fn audit_count(&self, admin_token: &str, action: &str, target: &str) -> usize {
        self.audit(admin_token)
            .iter()
            .filter(|e| e["action"] == action && e["target"] == target)
            .count()
    }

    /// Poll `check` (HTTP calls against this backend, say) until it holds; panics after
    /// [`TIMEOUT`] with `what` and the server's log.
    pub fn wait_until(&self, what: &str, mut check: impl FnMut(&Backend) -> bool) {
        poll_until(
            what,
            || check(self).then_some(()),
            || format!("--- server log ---\n{}", self.server_log()),
        );
    }

    /// A citizen's ballot.
    pub fn ballot(&self, participant_token: &str, poll: i64, option_ids: &[i64]) -> Value {
        self.ok(
            "POST",
            &paths::public_poll_ballots(poll),
            Some(participant_token),
            Some(json!({ "option_ids": option_ids })),
        )
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        self.kill_server();
    }
}

// ---------------------------------------------------------------------------------------------
// The console in a pseudo-terminal
// ---------------------------------------------------------------------------------------------

/// How to start the console.
#[derive(Debug, Clone)]
pub struct ConsoleOptions {
    pub cols: u16,
    pub rows: u16,
    /// `--lang`
    pub lang: String,
    /// `--theme`; the tests pin `dark` so that colours they look at do not depend on defaults.
    pub theme: String,
    /// More arguments after the defaults.
    pub args: Vec<String>,
    /// More environment variables.
    pub env: Vec<(String, String)>,
}

impl Default for ConsoleOptions {
    fn default() -> Self {
        ConsoleOptions {
            cols: 100,
            rows: 30,
            lang: "fa".into(),
            theme: "dark".into(),
            args: Vec::new(),
            env: Vec::new(),
        }
    }
}

impl ConsoleOptions {
    pub fn size(mut self, cols: u16, rows: u16) -> Self {
        self.cols = cols;
        self.rows = rows;
        self
    }

    pub fn lang(mut self, lang: &str) -> Self {
        self.lang = lang.into();
        self
    }
}

/// What the reader thread fills in.
struct Output {
    parser: Mutex<vt100::Parser>,
    raw: Mutex<Vec<u8>>,
    eof: AtomicBool,
}

/// The real console binary in a pseudo-terminal. Killed when dropped.
pub struct Console {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    output: Arc<Output>,
    reader: Option<JoinHandle<()>>,
    /// Config and data folders (the decision journal lives under `data/journal`).
    dirs: tempfile::TempDir,
    exit: Option<portable_pty::ExitStatus>,
}

impl Console {
    /// `mosharekat --backend URL --bidi app --shaping off --lang … --theme …` signed in with
    /// `token`, in a pseudo-terminal of `options.cols`×`options.rows` with `TERM=xterm-256color`.
    pub fn start(backend_url: &str, token: &str, options: ConsoleOptions) -> Console {
        Console::launch(Some((backend_url, token)), options)
    }

    /// `mosharekat --bidi app --shaping off --lang … --theme …`: the console on the embedded
    /// default (the backend in its own process over a fresh data folder, seeded on this first
    /// run, signed in as the demo admin). Pass `--portal-port` in `options.args` to keep it off
    /// the default port.
    pub fn start_embedded(options: ConsoleOptions) -> Console {
        Console::launch(None, options)
    }

    fn launch(backend: Option<(&str, &str)>, options: ConsoleOptions) -> Console {
        let dirs = tempfile::tempdir().expect("temporary folder");
        let config = dirs.path().join("config");
        let data = dirs.path().join("data");
        std::fs::create_dir_all(&config).expect("config folder");
        std::fs::create_dir_all(&data).expect("data folder");

        let size = PtySize {
            rows: options.rows,
            cols: options.cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pair = native_pty_system().openpty(size).expect("open a pty");
        let mut command = CommandBuilder::new(BIN);
        if let Some((backend_url, _)) = backend {
            command.args(["--backend", backend_url]);
        }
        command.args([
            "--bidi",
            "app",
            "--shaping",
            "off",
            "--lang",
            &options.lang,
            "--theme",
            &options.theme,
        ]);
        command.args(&options.args);
        command.cwd(dirs.path());
        // Nothing from the developer's own environment may change what the screen shows.
        for name in [
            "NO_COLOR",
            "COLORTERM",
            "MOSHAREKAT_LOG",
            "MOSHAREKAT_PASSWORD",
            "MOSHAREKAT_DATABASE_URL",
            // No browser is ever opened from a test unless it sets these itself.
            "DISPLAY",
            "WAYLAND_DISPLAY",
            "BROWSER",
        ] {
            command.env_remove(name);
        }
        command.env("TERM", "xterm-256color");
        match backend {
            Some((_, token)) => command.env("MOSHAREKAT_TOKEN", token),
            None => command.env_remove("MOSHAREKAT_TOKEN"),
        }
        command.env("MOSHAREKAT_CONFIG_DIR", &config);
        command.env("MOSHAREKAT_DATA_DIR", &data);
        for (name, value) in &options.env {
            command.env(name, value);
        }
        let child = pair
            .slave
            .spawn_command(command)
            .expect("start the console");
        // Only the child may hold the slave side, so that reading ends when it exits.
        drop(pair.slave);

        let output = Arc::new(Output {
            parser: Mutex::new(vt100::Parser::new(options.rows, options.cols, 0)),
            raw: Mutex::new(Vec::new()),
            eof: AtomicBool::new(false),
        });
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let shared = Arc::clone(&output);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        shared.raw.lock().unwrap().extend_from_slice(&buf[..n]);
                        shared.parser.lock().unwrap().process(&buf[..n]);
                    }
                }
            }
            shared.eof.store(true, Ordering::SeqCst);
        });
        let writer = pair.master.take_writer().expect("pty writer");
        Console {
            master: pair.master,
            writer,
            child,
            output,
            reader: Some(reader),
            dirs,
            exit: None,
        }
    }

    /// The console's data folder (`MOSHAREKAT_DATA_DIR`).
    pub fn data_dir(&self) -> PathBuf {
        self.dirs.path().join("data")
    }

    /// The console's config folder (`MOSHAREKAT_CONFIG_DIR`).
    pub fn config_dir(&self) -> PathBuf {
        self.dirs.path().join("config")
    }

    /// The console's log file(s), for failure messages.
    pub fn log(&self) -> String {
        let mut text = String::new();
        collect_logs(&self.data_dir(), &mut text);
        text
    }

    /// Look at the emulated screen.
    pub fn with_screen<R>(&self, f: impl FnOnce(&vt100::Screen) -> R) -> R {
        let parser = self.output.parser.lock().unwrap();
        f(parser.screen())
    }

    /// The whole screen as text, one line per row.
    pub fn screen_text(&self) -> String {
        self.with_screen(|s| rows_text(s).join("\n"))
    }

    /// Row `n` (from 0 at the top) as text.
    pub fn row(&self, n: u16) -> String {
        self.with_screen(|s| rows_text(s).get(n as usize).cloned().unwrap_or_default())
    }

    /// Every byte the console wrote so far.
    pub fn raw_output(&self) -> Vec<u8> {
        self.output.raw.lock().unwrap().clone()
    }

    /// Wait until `check` holds on the screen; panics with the screen and the log after
    /// [`TIMEOUT`]. `what` says what was expected.
    /// Fails at once if the console exits (its output ended) without showing it.
    pub fn wait_for(&self, what: &str, check: impl Fn(&vt100::Screen) -> bool) {
        poll_until(
            what,
            || {
                let ended = self.output.eof.load(Ordering::SeqCst);
                if self.with_screen(&check) {
                    Some(())
                } else if ended {
                    panic!(
                        "the console exited while waiting for {what}\n{}",
                        self.describe()
                    );
                } else {
                    None
                }
            },
            || self.describe(),
        );
    }

    /// Wait until `text` appears somewhere on the screen.
    pub fn wait_for_text(&self, text: &str) {
        self.wait_for(&format!("{text:?} on screen"), |s| find(s, text).is_some());
    }

    /// Wait until `text` is no longer on the screen.
    pub fn wait_for_no_text(&self, text: &str) {
        self.wait_for(&format!("{text:?} gone from the screen"), |s| {
            find(s, text).is_none()
        });
    }

    /// The screen and the console's log, for failure messages.
    pub fn describe(&self) -> String {
        format!(
            "--- screen ---\n{}\n--- console log ---\n{}",
            self.screen_text(),
            self.log()
        )
    }

    /// Show the Deadlines pane (`3`) once the first frame is up: an operator's console opens on
    /// the first of their panes, Tallies.
    pub fn show_deadlines(&mut self) {
        // «آمار آرا» in visual order, or the English title: the tabs are drawn.
        self.wait_for("the first frame", |s| {
            find(s, "ارآ رامآ").is_some() || find(s, "Tallies").is_some()
        });
        self.send_keys("3");
    }

    /// Type `keys` (UTF-8, so Persian letters work as a Persian keyboard layout sends them).
    pub fn send_keys(&mut self, keys: &str) {
        self.send_bytes(keys.as_bytes());
    }

    pub fn send_bytes(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
    }

    pub fn enter(&mut self) {
        self.send_bytes(b"\r");
    }

    pub fn esc(&mut self) {
        self.send_bytes(b"\x1b");
    }

    pub fn tab(&mut self) {
        self.send_bytes(b"\t");
    }

    pub fn down(&mut self) {
        self.send_bytes(b"\x1b[B");
    }

    pub fn up(&mut self) {
        self.send_bytes(b"\x1b[A");
    }

    /// ctrl + a letter (`ctrl('t')` toggles the language).
    pub fn ctrl(&mut self, letter: char) {
        let byte = (letter.to_ascii_lowercase() as u8) & 0x1f;
        self.send_bytes(&[byte]);
    }

    pub fn ctrl_c(&mut self) {
        self.ctrl('c');
    }

    /// Resize the terminal (the console gets SIGWINCH) and the emulator with it.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.output.parser.lock().unwrap().set_size(rows, cols);
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pty");
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("console pid")
    }

    /// Send a signal by name (`TERM`, `HUP`) to the console process.
    pub fn signal(&self, name: &str) {
        // The shell's own `kill`: there on every Unix, unlike a `kill` binary.
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!("kill -{name} {}", self.pid()))
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{name} failed");
    }

    /// Wait for the console to exit and for its last output to be read; returns how it ended.
    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        if let Some(status) = &self.exit {
            return status.clone();
        }
        let deadline = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(status) = self.child.try_wait().ok().flatten() {
                break status;
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out waiting for the console to exit\n{}",
                    self.describe()
                );
            }
            std::thread::sleep(POLL);
        };
        poll_until(
            "the end of the console's output",
            || self.output.eof.load(Ordering::SeqCst).then_some(()),
            || self.describe(),
        );
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        self.exit = Some(status.clone());
        status
    }

    pub fn has_exited(&mut self) -> bool {
        self.exit.is_some() || self.child.try_wait().ok().flatten().is_some()
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        if !self.has_exited() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn collect_logs(dir: &Path, out: &mut String) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_logs(&path, out);
        } else if path.extension().is_some_and(|e| e == "log")
            || path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().contains(".log"))
        {
            out.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading the screen
// ---------------------------------------------------------------------------------------------

/// One row as the characters in its cells, left to right, with the column each starts at.
/// A wide character takes two columns and appears once; an empty cell reads as a space.
pub fn row_cells(screen: &vt100::Screen, row: u16) -> Vec<(u16, String)> {
    let (_, cols) = screen.size();
    let mut cells = Vec::with_capacity(cols as usize);
    for col in 0..cols {
        let Some(cell) = screen.cell(row, col) else {
            break;
        };
        if cell.is_wide_continuation() {
            continue;
        }
        let text = cell.contents();
        cells.push((col, if text.is_empty() { " ".into() } else { text }));
    }
    cells
}

/// Every row as text (trailing spaces kept, so columns line up).
pub fn rows_text(screen: &vt100::Screen) -> Vec<String> {
    let (rows, _) = screen.size();
    (0..rows)
        .map(|r| row_cells(screen, r).into_iter().map(|(_, t)| t).collect())
        .collect()
}

/// Where `needle` first appears (row, column), searching rows top to bottom.
pub fn find(screen: &vt100::Screen, needle: &str) -> Option<(u16, u16)> {
    find_all(screen, needle).into_iter().next()
}

/// Every row-and-column where `needle` appears (the first match in each row).
pub fn find_all(screen: &vt100::Screen, needle: &str) -> Vec<(u16, u16)> {
    let (rows, _) = screen.size();
    let mut found = Vec::new();
    for row in 0..rows {
        let cells = row_cells(screen, row);
        let mut text = String::new();
        let mut starts = Vec::with_capacity(cells.len());
        for (col, t) in &cells {
            starts.push((text.len(), *col));
            text.push_str(t);
        }
        if let Some(at) = text.find(needle) {
            let col = starts
                .iter()
                .rev()
                .find(|(byte, _)| *byte <= at)
                .map_or(0, |(_, col)| *col);
            found.push((row, col));
        }
    }
    found
}

/// The rows that contain `needle`.
pub fn rows_with(screen: &vt100::Screen, needle: &str) -> Vec<u16> {
    find_all(screen, needle)
        .into_iter()
        .map(|(r, _)| r)
        .collect()
}

/// The background colour of one cell.
pub fn bg_at(screen: &vt100::Screen, row: u16, col: u16) -> vt100::Color {
    screen
        .cell(row, col)
        .map_or(vt100::Color::Default, |c| c.bgcolor())
}

/// The `selection` slot of the dark theme: black on cyan.
pub const SELECTION_BG: vt100::Color = vt100::Color::Idx(6);

/// Whether the first place `needle` appears is drawn in the selection style (a list draws
/// above its detail view, so for a list item that is its row in the list).
pub fn is_selected(screen: &vt100::Screen, needle: &str) -> bool {
    find(screen, needle).is_some_and(|(row, col)| bg_at(screen, row, col) == SELECTION_BG)
}

/// Whether any cell of row `row` has `text` and the selection background.
pub fn row_is_selected(screen: &vt100::Screen, row: u16) -> bool {
    row_cells(screen, row)
        .iter()
        .any(|(col, t)| t.trim() != "" && bg_at(screen, row, *col) == SELECTION_BG)
}

/// Whether a byte string occurs in another.
pub fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A backend, one staff member signed in, and the console started as them. Tests that need more
/// accounts add them with `env.backend.add_staff(..)` (also while the server runs).
pub struct Env {
    /// Declared first so it is dropped (killed) before the server.
    pub console: Console,
    pub backend: Backend,
    pub token: String,
}

impl Env {
    /// Start a backend, make `username` with `role`, let `setup` create data with the staff
    /// token, then start the console as that user.
    pub fn start(
        username: &str,
        role: &str,
        options: ConsoleOptions,
        setup: impl FnOnce(&Backend, &str),
    ) -> Env {
        let backend = Backend::start();
        let token = backend.add_staff(username, role);
        setup(&backend, &token);
        let console = Console::start(&backend.url(), &token, options);
        Env {
            console,
            backend,
            token,
        }
    }
}

/// A fake Kavenegar on a port of its own (plain threads, one request per connection): it answers
/// `GET /v1/{key}/verify/lookup.json?receptor&token&template` as Kavenegar does and records each
/// `(receptor, code)`.
pub struct FakeKavenegar {
    pub url: String,
    sent: Arc<Mutex<Vec<(String, String)>>>,
}

impl FakeKavenegar {
    pub const KEY: &'static str = "fake-kavenegar-key";

    pub fn start() -> FakeKavenegar {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port for the fake gateway");
        let url = format!("http://{}", listener.local_addr().expect("its address"));
        let sent: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
        let record = sent.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&request);
                let target = head.split_whitespace().nth(1).unwrap_or_default();
                let query = target.split_once('?').map_or("", |(_, q)| q);
                let param = |name: &str| {
                    query
                        .split('&')
                        .filter_map(|p| p.split_once('='))
                        .find(|(k, _)| *k == name)
                        .map(|(_, v)| v.to_owned())
                        .unwrap_or_default()
                };
                let ok = target.starts_with(&format!("/v1/{}/verify/lookup.json", Self::KEY));
                let body = if ok {
                    record
                        .lock()
                        .unwrap()
                        .push((param("receptor"), param("token")));
                    format!(
                        "{{\"return\":{{\"status\":200,\"message\":\"OK\"}},\"entries\":[{{\"messageid\":1,\"status\":5,\"receptor\":\"{}\"}}]}}",
                        param("receptor")
                    )
                } else {
                    "{\"return\":{\"status\":401,\"message\":\"bad key\"},\"entries\":null}"
                        .to_owned()
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    if ok { "200 OK" } else { "401 Unauthorized" },
                    body.len()
                );
            }
        });
        FakeKavenegar { url, sent }
    }

    /// The last code sent to this national number (`09…`).
    pub fn last_code(&self, receptor: &str) -> Option<String> {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .rev()
            .find(|(r, _)| r == receptor)
            .map(|(_, code)| code.clone())
    }
}
