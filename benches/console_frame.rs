//! Speed of the console's drawing, on the demo dataset's consultations as the real backend lists
//! them:
//!
//! * `frame_200x60/<pane>/<lang>` — one whole frame of the app (tabs, pane, status bar) at
//!   200×60 into ratatui's `TestBackend`, in Persian and English;
//! * `keystroke_200x60/<pane>/<lang>` — one "next item" keystroke: `App::on_key`, then drawing
//!   into the console's own terminal backend (`ui::ConsoleBackend`: the escape sequences a
//!   terminal would get) over a writer that only counts bytes;
//! * `keystroke_bytes/<pane>/<lang>` — the same keystroke measured in **bytes written to the
//!   terminal** instead of time (a criterion measurement of its own). Goal from the console
//!   issue: only changed cells are written, a few hundred bytes per keystroke, not a redraw.
//!   The byte count of the first "next item" after a full frame is also printed to stderr, next
//!   to what ratatui's own `CrosstermBackend` writes for the same frames.
//!
//! The data comes from a real backend started in-process once (SQLite in a temporary folder,
//! seeded with a small demo dataset; `GET /deadlines`, the consultations with their polls and
//! every poll's tally by age band as the demo operator, a claimed batch of the queue and the
//! moderation reasons as a demo moderator, through the console's own `Client`), then stopped: the app
//! is fed those answers through `App::on_event`, as the event loop would. Its client points at
//! the stopped backend, so nothing in the measured code touches the network (a pane may still
//! start a request — the Tallies pane asks for the next consultation's tally — which fails off
//! the measured path). More panes join `PANES` as they land.

use std::hint::black_box;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use mosharekat::app::{App, AppEvent, AppParts, Session};
use mosharekat::client::Client;
use mosharekat::i18n::{I18n, Locale};
use mosharekat::journal::Journal;
use mosharekat::keymap::{Keymap, Pane};
use mosharekat::panes::PaneAnswer;
use mosharekat::panes::deadlines;
use mosharekat::panes::queue::{self, BATCH};
use mosharekat::panes::tallies::{self, ListAnswer, TallyAnswer};
use mosharekat::theme::{TerminalColors, Theme};
use mosharekat::ui::ConsoleBackend;
use mosharekat_api::{
    Breakdown, ClaimRequest, ClaimResponse, DeadlinesResponse, ReasonCode, Role, Tally,
};
use mosharekat_rtl::{BidiMode, LayoutOptions, Shaping};
use ratatui::backend::{Backend, CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;
const LANGS: [&str; 2] = ["fa", "en"];

/// The panes on main, with the data that fills them.
const PANES: [Pane; 3] = [Pane::Queue, Pane::Tallies, Pane::Deadlines];

/// The panes an operator sees (the Queue is a moderator's).
const OPERATOR_PANES: [Pane; 5] = [
    Pane::Tallies,
    Pane::Deadlines,
    Pane::Rationale,
    Pane::Reports,
    Pane::Outbox,
];

/// What the real backend answered, fetched once.
struct Data {
    deadlines: DeadlinesResponse,
    /// The consultations with polls, and every poll's tally by age band.
    consultation_polls: Vec<tallies::ConsultationPolls>,
    tallies: Vec<Tally>,
    /// A batch of the queue as a demo moderator claims it, and the moderation reasons.
    claim: ClaimResponse,
    reasons: Vec<ReasonCode>,
    now: DateTime<Utc>,
}

/// Start the real backend in-process, seed a small demo dataset, ask it for the deadlines list
/// as the operator, stop it.
fn fetch_data() -> Data {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("temporary folder");
        let url = format!("sqlite://{}", dir.path().join("bench.sqlite3").display());
        let config =
            mosharekat_server::ServerConfig::new(url, "127.0.0.1:0".parse().expect("address"));
        let server = mosharekat_server::start(config).await.expect("backend");
        let now = Utc::now();
        let demo = mosharekat_demo::DemoConfig {
            participants: 300,
            comments: 1_000,
            ..Default::default()
        };
        let dataset = mosharekat_demo::generate(&demo, now);
        let password = "bench password 1403".to_owned();
        let options = mosharekat_demo::SeedOptions {
            admin_password: password.clone(),
            staff_password: password.clone(),
        };
        mosharekat_demo::seed(server.store().as_ref(), &dataset, &options, &mut |_| {})
            .await
            .expect("seed the demo dataset");
        let client = Client::new(server.url().parse().expect("backend URL"));
        let (client, _) = client
            .login(mosharekat_demo::DEMO_OPERATOR, &password)
            .await
            .expect("log in as the demo operator");
        let deadlines = client.deadlines().await.expect("GET /deadlines");
        let consultation_polls = tallies::load_consultation_polls(client.clone())
            .await
            .0
            .expect("consultations and polls");
        let mut poll_tallies = Vec::new();
        for poll in consultation_polls.iter().flat_map(|c| &c.polls) {
            poll_tallies.push(
                client
                    .tally(poll.id, Some(Breakdown::AgeBand))
                    .await
                    .expect("GET /polls/{id}/tally"),
            );
        }
        let moderator = Client::new(server.url().parse().expect("backend URL"));
        let (moderator, _) = moderator
            .login(mosharekat_demo::DEMO_MODERATORS[0], &password)
            .await
            .expect("log in as a demo moderator");
        let claim = moderator
            .claim(&ClaimRequest {
                consultation_id: None,
                limit: BATCH,
            })
            .await
            .expect("POST /queue/claim");
        assert!(claim.items.len() > 1, "a batch to move through");
        let reasons = moderator.reasons().await.expect("GET /reasons");
        server.shutdown().await;
        Data {
            deadlines,
            consultation_polls,
            tallies: poll_tallies,
            claim,
            reasons,
            now,
        }
    })
}

/// An app signed in as an operator (a moderator for the Queue), its client pointing at a port
/// nothing listens on (never called while measuring), with `pane` shown and fed the backend's
/// answer.
fn app(data: &Data, pane: Pane, lang: &str, journal_dir: &std::path::Path) -> App {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    // Nothing the measured code does sends on it; the receiver may go.
    drop(rx);
    let colours = TerminalColors::detect(|name| (name == "TERM").then(|| "xterm-256color".into()));
    let parts = AppParts {
        session: Session {
            client: Client::new("http://127.0.0.1:9".parse().expect("URL")).with_token("bench"),
            username: if pane == Pane::Queue {
                mosharekat_demo::DEMO_MODERATORS[0].into()
            } else {
                "operator".into()
            },
            role: if pane == Pane::Queue {
                Role::Moderator
            } else {
                Role::Operator
            },
        },
        i18n: I18n::new(Locale::load(lang, None).expect("embedded locale")),
        configured_lang: lang.into(),
        config_dir: journal_dir.join("config"),
        theme: Theme::select("dark", None, colours).expect("embedded theme"),
        keymap: Keymap::embedded_default(),
        layout: LayoutOptions::new(BidiMode::App, Shaping::Auto),
        journal: Journal::open(&journal_dir.join(format!(
            "{lang}-{}.journal",
            JOURNALS.fetch_add(1, Ordering::Relaxed)
        )))
        .expect("journal"),
    };
    let mut app = App::new(parts, tx);
    if pane != Pane::Queue {
        assert_eq!(
            app.pane_ids(),
            OPERATOR_PANES.to_vec(),
            "an operator sees every operator pane, so the tab row is the real one"
        );
    }
    let respond = |app: &mut App, answer: PaneAnswer| {
        app.on_event(AppEvent::Answer(answer), data.now);
    };
    match pane {
        Pane::Queue => {
            // A moderator's console opens on the Queue: the claimed batch and the reasons.
            respond(
                &mut app,
                queue::Answer::Claimed(Ok(data.claim.clone())).into(),
            );
            respond(
                &mut app,
                queue::Answer::Reasons(Ok(data.reasons.clone())).into(),
            );
        }
        Pane::Deadlines => {
            app.on_key(key('3'), data.now);
            respond(
                &mut app,
                deadlines::Answer::Deadlines(Ok(data.deadlines.clone())).into(),
            );
        }
        Pane::Tallies => {
            app.on_key(key('2'), data.now);
            // The age-band breakdown, then the list and every poll's tally.
            app.on_key(key('b'), data.now);
            respond(
                &mut app,
                tallies::Answer::List(ListAnswer(Ok(data.consultation_polls.clone()))).into(),
            );
            for tally in &data.tallies {
                respond(
                    &mut app,
                    tallies::Answer::Tally(TallyAnswer {
                        poll_id: tally.poll_id,
                        by: Breakdown::AgeBand,
                        result: Ok(tally.clone()),
                    })
                    .into(),
                );
            }
        }
        other => unreachable!("no data for {other:?} yet"),
    }
    app
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

/// One journal file per app.
static JOURNALS: AtomicU64 = AtomicU64::new(0);

/// Every byte written to the terminal in the keystroke benchmarks.
static BYTES_WRITTEN: AtomicU64 = AtomicU64::new(0);

/// With `CONSOLE_FRAME_DUMP=1`, what the first "next item" of each pane wrote (escape shown
/// as `\e`) is printed too, to see where the bytes go.
static CAPTURE: std::sync::Mutex<Option<Vec<u8>>> = std::sync::Mutex::new(None);

/// A terminal that only counts what it is sent.
struct CountingWriter;

impl Write for CountingWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        BYTES_WRITTEN.fetch_add(buf.len() as u64, Ordering::Relaxed);
        if let Some(captured) = CAPTURE.lock().expect("capture").as_mut() {
            captured.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn counting_terminal() -> Terminal<ConsoleBackend<CountingWriter>> {
    Terminal::with_options(
        ConsoleBackend::new(CountingWriter),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, WIDTH, HEIGHT)),
        },
    )
    .expect("terminal")
}

/// The same over ratatui's own crossterm backend, for comparison.
fn ratatui_counting_terminal() -> Terminal<CrosstermBackend<CountingWriter>> {
    Terminal::with_options(
        CrosstermBackend::new(CountingWriter),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, WIDTH, HEIGHT)),
        },
    )
    .expect("terminal")
}

/// Bytes the terminal receives for one "next item" (`j`) right after a full first frame.
fn bytes_for_next_item<B: Backend>(
    app: &mut App,
    mut terminal: Terminal<B>,
    now: DateTime<Utc>,
) -> (u64, u64) {
    let before = BYTES_WRITTEN.load(Ordering::Relaxed);
    app.render(&mut terminal, now).expect("first frame");
    let first = BYTES_WRITTEN.load(Ordering::Relaxed) - before;
    let before = BYTES_WRITTEN.load(Ordering::Relaxed);
    let dump = std::env::var_os("CONSOLE_FRAME_DUMP").is_some();
    if dump {
        *CAPTURE.lock().expect("capture") = Some(Vec::new());
    }
    app.on_key(key('j'), now);
    app.render(&mut terminal, now).expect("second frame");
    let next = BYTES_WRITTEN.load(Ordering::Relaxed) - before;
    if let Some(bytes) = CAPTURE.lock().expect("capture").take() {
        eprintln!("{}", String::from_utf8_lossy(&bytes).replace('\x1b', "\\e"));
    }
    // Back where it started, for whoever uses the app next.
    app.on_key(key('k'), now);
    app.render(&mut terminal, now).expect("third frame");
    (first, next)
}

/// A runtime for the requests panes start (they fail: the backend is stopped), entered while
/// measuring because `PaneCtx::spawn` needs one.
fn request_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn frames(c: &mut Criterion) {
    let data = fetch_data();
    let runtime = request_runtime();
    let _entered = runtime.enter();
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut group = c.benchmark_group("frame_200x60");
    for pane in PANES {
        for lang in LANGS {
            let mut app = app(&data, pane, lang, dir.path());
            let mut terminal =
                Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("test terminal");
            group.bench_function(format!("{}/{lang}", pane.name()), |b| {
                b.iter(|| {
                    terminal
                        .draw(|frame| app.draw(frame, data.now))
                        .expect("draw");
                    black_box(terminal.backend().buffer().area);
                })
            });
        }
    }
    group.finish();

    let mut group = c.benchmark_group("keystroke_200x60");
    for pane in PANES {
        for lang in LANGS {
            let mut app = app(&data, pane, lang, dir.path());
            let (first, next) = bytes_for_next_item(&mut app, counting_terminal(), data.now);
            let (ratatui_first, ratatui_next) =
                bytes_for_next_item(&mut app, ratatui_counting_terminal(), data.now);
            eprintln!(
                "{}/{lang}: first frame {first} bytes; one \"next item\" keystroke {next} bytes \
                 (ratatui's CrosstermBackend: {ratatui_first} / {ratatui_next})",
                pane.name()
            );
            let mut terminal = counting_terminal();
            app.render(&mut terminal, data.now).expect("first frame");
            // Down and up again, so that every iteration is one keystroke over the same rows.
            let mut down = true;
            group.bench_function(format!("{}/{lang}", pane.name()), |b| {
                b.iter(|| {
                    app.on_key(key(if down { 'j' } else { 'k' }), data.now);
                    down = !down;
                    app.render(&mut terminal, data.now).expect("draw");
                })
            });
        }
    }
    group.finish();
}

/// Bytes written to the terminal, as a criterion measurement.
struct BytesWritten;

impl Measurement for BytesWritten {
    type Intermediate = u64;
    type Value = u64;

    fn start(&self) -> u64 {
        BYTES_WRITTEN.load(Ordering::Relaxed)
    }

    fn end(&self, start: u64) -> u64 {
        BYTES_WRITTEN.load(Ordering::Relaxed) - start
    }

    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }

    fn zero(&self) -> u64 {
        0
    }

    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        &BytesFormatter
    }
}

struct BytesFormatter;

impl ValueFormatter for BytesFormatter {
    fn scale_values(&self, _typical: f64, _values: &mut [f64]) -> &'static str {
        "B"
    }

    fn scale_throughputs(
        &self,
        _typical: f64,
        _throughput: &Throughput,
        _values: &mut [f64],
    ) -> &'static str {
        "B"
    }

    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "B"
    }
}

fn keystroke_bytes(c: &mut Criterion<BytesWritten>) {
    let data = fetch_data();
    let runtime = request_runtime();
    let _entered = runtime.enter();
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut group = c.benchmark_group("keystroke_bytes");
    for pane in PANES {
        for lang in LANGS {
            let mut app = app(&data, pane, lang, dir.path());
            let mut terminal = counting_terminal();
            app.render(&mut terminal, data.now).expect("first frame");
            let mut down = true;
            group.bench_function(format!("{}/{lang}", pane.name()), |b| {
                b.iter(|| {
                    app.on_key(key(if down { 'j' } else { 'k' }), data.now);
                    down = !down;
                    app.render(&mut terminal, data.now).expect("draw");
                })
            });
        }
    }
    group.finish();
}

criterion_group!(time, frames);
criterion_group! {
    name = bytes;
    config = Criterion::default().with_measurement(BytesWritten);
    targets = keystroke_bytes
}
criterion_main!(time, bytes);
