//! The console application: one event loop over terminal input, live server events, network
//! answers and a one-second tick. Panes own their state; the app owns the session, the decision
//! journal and its sender, the connection state, language switching and the frame around panes.

mod login;
mod terminal;
#[cfg(test)]
mod tests;

use std::process::ExitCode;
use std::time::Duration;

use chrono::{DateTime, Utc};
use crossterm::event::{Event as TermEvent, EventStream as TermEvents, KeyEvent, KeyEventKind};
use futures::StreamExt;
use mosharekat_api::Role;
use mosharekat_rtl::{LayoutOptions, Shaping};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Paragraph;
use tokio::sync::mpsc;

use crate::client::{Client, ClientError, EventStream, spawn_event_stream};
use crate::config::{BidiMode as ConfigBidi, ConsoleFlags, Dirs, Settings, ShapingMode};
use crate::i18n::{I18n, Locale};
use crate::journal::{DecisionCall, Journal};
use crate::keymap::{Action, Context, Keymap, Pane};
use crate::panes::{DecisionOutcome, PaneAnswer, PaneCtx, View};
use crate::theme::{Slot, TerminalColors, Theme};
use crate::ui::{self, Confirm, DialogResult, Ui};

pub use terminal::{TerminalGuard, restore};

/// Everything that wakes the loop besides terminal input.
pub enum AppEvent {
    /// The answer to a request a pane started.
    Answer(PaneAnswer),
    Stream(EventStream),
    DecisionSent {
        key: String,
        result: Result<serde_json::Value, ClientError>,
    },
    /// The answer of an attempt to open the citizen portal in the browser.
    PortalOpened(Result<(), crate::browser::OpenError>),
}

/// How long a decision waits before it is sent, so that `undo` can take it back.
pub const UNDO_GRACE: chrono::Duration = chrono::Duration::seconds(5);

/// Smallest usable terminal.
const MIN_WIDTH: u16 = 60;
const MIN_HEIGHT: u16 = 15;

/// The logged-in staff member and their client.
#[derive(Clone)]
pub struct Session {
    pub client: Client,
    pub username: String,
    pub role: Role,
}

enum Overlay {
    None,
    Help,
    ConfirmQuit(Confirm),
}

pub struct App {
    session: Session,
    i18n: I18n,
    configured_lang: String,
    config_dir: std::path::PathBuf,
    theme: Theme,
    keymap: Keymap,
    layout: LayoutOptions,
    panes: Vec<View>,
    active: usize,
    journal: Journal,
    online: bool,
    notice: Option<(String, DateTime<Utc>)>,
    overlay: Overlay,
    sending: Option<String>,
    retry_at: Option<DateTime<Utc>>,
    backoff: chrono::Duration,
    quit: bool,
    tx: mpsc::UnboundedSender<AppEvent>,
    /// Repaint everything on the next frame (after `redraw`).
    clear: bool,
    /// First row of the help overlay shown.
    help_scroll: u16,
    /// The citizen portal's home page on the backend (`…/fa/`).
    portal: reqwest::Url,
    /// Whether the backend is the built-in one (its portal lives only while the console runs).
    embedded_backend: bool,
}

/// Everything the app is built from (loaded before the terminal is taken over).
pub struct AppParts {
    pub session: Session,
    pub i18n: I18n,
    pub configured_lang: String,
    pub config_dir: std::path::PathBuf,
    pub theme: Theme,
    pub keymap: Keymap,
    pub layout: LayoutOptions,
    pub journal: Journal,
}

impl App {
    pub fn new(parts: AppParts, tx: mpsc::UnboundedSender<AppEvent>) -> App {
        let panes: Vec<View> = crate::panes::panes_for(parts.session.role)
            .into_iter()
            .map(View::new)
            .collect();
        let portal = parts.session.client.portal_home();
        App {
            session: parts.session,
            i18n: parts.i18n,
            configured_lang: parts.configured_lang,
            config_dir: parts.config_dir,
            theme: parts.theme,
            keymap: parts.keymap,
            layout: parts.layout,
            panes,
            active: 0,
            journal: parts.journal,
            online: true,
            notice: None,
            overlay: Overlay::None,
            sending: None,
            retry_at: None,
            backoff: chrono::Duration::seconds(1),
            quit: false,
            tx,
            clear: false,
            help_scroll: 0,
            portal,
            embedded_backend: false,
        }
    }

    /// Say that the backend is the built-in one (for the words printed on leaving).
    pub fn set_embedded_backend(&mut self, embedded: bool) {
        self.embedded_backend = embedded;
    }

    /// The citizen portal's home page on the backend the console talks to.
    pub fn portal(&self) -> &reqwest::Url {
        &self.portal
    }

    /// The line printed after the console has given the terminal back: where the portal is, in
    /// the interface language, so it can be copied.
    pub fn portal_after_exit(&self) -> String {
        let key = if self.embedded_backend {
            "app.portal_after_exit_embedded"
        } else {
            "app.portal_after_exit"
        };
        self.i18n.format(key, &[("url", self.portal.as_str())])
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn pane_ids(&self) -> Vec<Pane> {
        self.panes.iter().map(|p| p.pane()).collect()
    }

    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// The status bar's current notice, if any.
    pub fn notice_text(&self) -> Option<&str> {
        self.notice.as_ref().map(|(text, _)| text.as_str())
    }

    /// Run `f` with the pane at `index` and a context over the rest of the app.
    fn with_pane<R>(
        &mut self,
        index: usize,
        now: DateTime<Utc>,
        f: impl FnOnce(&mut View, &mut PaneCtx) -> R,
    ) -> Option<R> {
        let mut notice = None;
        let mut offline = false;
        let pane = self.panes.get_mut(index)?;
        let mut ctx = PaneCtx {
            client: &self.session.client,
            role: self.session.role,
            username: &self.session.username,
            i18n: &self.i18n,
            now,
            online: self.online,
            journal: &mut self.journal,
            grace: UNDO_GRACE,
            tx: &self.tx,
            notice: &mut notice,
            went_offline: &mut offline,
        };
        let result = f(pane, &mut ctx);
        if let Some(message) = notice {
            self.notice = Some((message, now));
        }
        if offline {
            self.set_online(false, now);
        }
        Some(result)
    }

    fn pane_index(&self, pane: Pane) -> Option<usize> {
        self.panes.iter().position(|p| p.pane() == pane)
    }

    /// Called once before the loop: load the first pane, say where the citizen portal is, and
    /// start sending what the journal holds.
    pub fn start(&mut self, now: DateTime<Utc>) {
        self.with_pane(self.active, now, |p, ctx| p.refresh(ctx));
        self.notice = Some((
            self.i18n
                .format("status_bar.portal", &[("url", self.portal.as_str())]),
            now,
        ));
        let pending = self.journal.pending_count();
        if pending > 0 {
            self.notice = Some((
                self.i18n.count("status_bar.unsent", pending as i64, &[]),
                now,
            ));
        }
        self.pump_journal(now);
    }

    pub fn on_key(&mut self, key: KeyEvent, now: DateTime<Utc>) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        match &mut self.overlay {
            Overlay::Help => {
                let action = self
                    .keymap
                    .resolve(&key, Context::Dialog)
                    .or_else(|| self.keymap.resolve(&key, Context::Pane(self.active_pane())));
                match action {
                    Some(Action::Help | Action::Cancel | Action::Quit) => {
                        self.overlay = Overlay::None;
                        self.help_scroll = 0;
                    }
                    Some(Action::NextItem | Action::ScrollDown) => self.help_scroll += 1,
                    Some(Action::PrevItem | Action::ScrollUp) => {
                        self.help_scroll = self.help_scroll.saturating_sub(1)
                    }
                    Some(Action::PageDown) => self.help_scroll += 10,
                    Some(Action::PageUp) => self.help_scroll = self.help_scroll.saturating_sub(10),
                    Some(Action::FirstItem) => self.help_scroll = 0,
                    _ => {}
                }
                return;
            }
            Overlay::ConfirmQuit(confirm) => {
                if let Some(action) = self.keymap.resolve(&key, Context::Dialog) {
                    match confirm.on_action(action) {
                        DialogResult::Done(()) => self.quit = true,
                        DialogResult::Cancelled => self.overlay = Overlay::None,
                        DialogResult::Open => {}
                    }
                }
                return;
            }
            Overlay::None => {}
        }
        let Some(pane) = self.panes.get(self.active) else {
            // No pane for this role: only global keys.
            if let Some(action) = self.keymap.resolve(&key, Context::Pane(Pane::Queue)) {
                self.on_global(action, now);
            }
            return;
        };
        let context = pane.context();
        match context {
            Context::TextField => {
                let action = self.keymap.resolve(&key, context);
                let active = self.active;
                self.with_pane(active, now, |p, ctx| match action {
                    Some(action) => p.on_action(action, ctx),
                    None => p.on_key(key, ctx),
                });
            }
            Context::Dialog => {
                if let Some(action) = self.keymap.resolve(&key, context) {
                    let active = self.active;
                    self.with_pane(active, now, |p, ctx| p.on_action(action, ctx));
                }
            }
            Context::Pane(_) => {
                let Some(action) = self.keymap.resolve(&key, context) else {
                    return;
                };
                if !self.on_global(action, now) {
                    let active = self.active;
                    self.with_pane(active, now, |p, ctx| p.on_action(action, ctx));
                }
            }
        }
    }

    fn active_pane(&self) -> Pane {
        self.panes
            .get(self.active)
            .map_or(Pane::Queue, |p| p.pane())
    }

    /// Actions of the `[global]` section. Returns whether `action` was one.
    fn on_global(&mut self, action: Action, now: DateTime<Utc>) -> bool {
        match action {
            Action::Quit => self.request_quit(now),
            Action::Help => self.overlay = Overlay::Help,
            Action::ToggleLanguage => self.toggle_language(now),
            Action::NextPane => self.show((self.active + 1) % self.panes.len().max(1), now),
            Action::PrevPane => self.show(
                (self.active + self.panes.len().max(1) - 1) % self.panes.len().max(1),
                now,
            ),
            Action::Redraw => self.clear = true,
            Action::OpenPortal => self.open_portal(now),
            Action::Refresh => {
                self.with_pane(self.active, now, |p, ctx| p.refresh(ctx));
            }
            _ => match action.target_pane() {
                Some(target) => match self.pane_index(target) {
                    Some(i) => self.show(i, now),
                    None => {
                        let role = self
                            .i18n
                            .text(&format!("role.{}", self.session.role.as_str()))
                            .to_owned();
                        self.notice = Some((
                            self.i18n
                                .format("banner.role_cannot_use", &[("role", &role)]),
                            now,
                        ));
                    }
                },
                None => return false,
            },
        }
        true
    }

    /// Open the portal in the system browser, off the event loop; the answer comes back as
    /// [`AppEvent::PortalOpened`]. Without a graphical session nothing is started and the status
    /// line says so, with the address.
    fn open_portal(&mut self, now: DateTime<Utc>) {
        let url = self.portal.to_string();
        if !crate::browser::graphical_session(|name| std::env::var_os(name)) {
            self.on_portal_opened(Err(crate::browser::OpenError::NoGraphicalSession), now);
            return;
        }
        self.notice = Some((
            self.i18n
                .format("status_bar.portal_opening", &[("url", &url)]),
            now,
        ));
        let tx = self.tx.clone();
        tokio::task::spawn_blocking(move || {
            let _ = tx.send(AppEvent::PortalOpened(crate::browser::open(&url)));
        });
    }

    fn on_portal_opened(
        &mut self,
        result: Result<(), crate::browser::OpenError>,
        now: DateTime<Utc>,
    ) {
        let url = self.portal.as_str();
        let text = match result {
            Ok(()) => return,
            Err(crate::browser::OpenError::NoGraphicalSession) => self
                .i18n
                .format("status_bar.portal_no_browser", &[("url", url)]),
            Err(crate::browser::OpenError::Failed(error)) => {
                tracing::warn!("opening the portal in a browser: {error}");
                self.i18n.format(
                    "status_bar.portal_open_failed",
                    &[("url", url), ("error", &error)],
                )
            }
        };
        self.notice = Some((text, now));
    }

    fn show(&mut self, index: usize, now: DateTime<Utc>) {
        if index < self.panes.len() && index != self.active {
            self.active = index;
            self.with_pane(index, now, |p, ctx| p.refresh(ctx));
        }
    }

    /// Quit now, or ask first while decisions are still unsent.
    pub fn request_quit(&mut self, now: DateTime<Utc>) {
        let unsent = self.journal.pending_count();
        if unsent == 0 {
            self.exit(now);
        } else {
            self.overlay = Overlay::ConfirmQuit(Confirm::new(self.i18n.count(
                "confirm.quit_with_unsent",
                unsent as i64,
                &[],
            )));
        }
    }

    fn exit(&mut self, now: DateTime<Utc>) {
        for i in 0..self.panes.len() {
            self.with_pane(i, now, |p, ctx| p.on_exit(ctx));
        }
        self.quit = true;
    }

    fn toggle_language(&mut self, now: DateTime<Utc>) {
        let target = self.i18n.toggle_target(&self.configured_lang).to_owned();
        match Locale::load(&target, Some(&self.config_dir)) {
            Ok(locale) => {
                self.i18n.set_locale(locale);
                let name = self.i18n.text(&format!("language.{target}")).to_owned();
                self.notice = Some((
                    self.i18n.format("language.switched", &[("name", &name)]),
                    now,
                ));
            }
            Err(e) => self.notice = Some((e.to_string(), now)),
        }
    }

    fn set_online(&mut self, online: bool, now: DateTime<Utc>) {
        if online == self.online {
            return;
        }
        self.online = online;
        if online {
            self.notice = Some((self.i18n.text("banner.back_online").to_owned(), now));
            self.retry_at = None;
            self.backoff = chrono::Duration::seconds(1);
            self.with_pane(self.active, now, |p, ctx| p.refresh(ctx));
            self.pump_journal(now);
        }
    }

    pub fn on_event(&mut self, event: AppEvent, now: DateTime<Utc>) {
        match event {
            AppEvent::Answer(answer) => self.on_answer(answer, now),
            AppEvent::Stream(EventStream::Connected) => self.set_online(true, now),
            AppEvent::Stream(EventStream::Disconnected(reason)) => {
                tracing::info!("event stream: {reason}");
                self.set_online(false, now);
            }
            AppEvent::Stream(EventStream::Event(event)) => {
                for i in 0..self.panes.len() {
                    self.with_pane(i, now, |p, ctx| p.on_event(&event, ctx));
                }
            }
            AppEvent::DecisionSent { key, result } => self.on_decision_sent(key, result, now),
            AppEvent::PortalOpened(result) => self.on_portal_opened(result, now),
        }
    }

    /// Route an answer to its pane (always there: only a pane spawns its requests).
    fn on_answer(&mut self, answer: PaneAnswer, now: DateTime<Utc>) {
        let pane = answer.pane();
        let routed = match self.pane_index(pane) {
            Some(i) => self.with_pane(i, now, |p, ctx| p.on_answer(answer, ctx).is_ok()),
            None => None,
        };
        if routed != Some(true) {
            tracing::warn!("an answer for the {} pane, which is not open", pane.name());
        }
    }

    fn on_decision_sent(
        &mut self,
        key: String,
        result: Result<serde_json::Value, ClientError>,
        now: DateTime<Utc>,
    ) {
        self.sending = None;
        let outcome = match result {
            Ok(answer) => {
                if let Err(e) = self.journal.done(&key) {
                    tracing::error!("journal: {e}");
                }
                self.backoff = chrono::Duration::seconds(1);
                self.set_online(true, now);
                if self.journal.pending_count() == 0 {
                    self.notice = Some((self.i18n.text("banner.all_sent").to_owned(), now));
                }
                DecisionOutcome::Applied(answer)
            }
            Err(e) if e.is_transient() => {
                tracing::info!("decision {key} not sent: {e}");
                self.set_online(false, now);
                self.retry_at = Some(now + self.backoff);
                self.backoff = (self.backoff * 2).min(chrono::Duration::seconds(15));
                return;
            }
            Err(e) => {
                let message = e.to_string();
                if let Err(e) = self.journal.fail(&key, &message) {
                    tracing::error!("journal: {e}");
                }
                DecisionOutcome::Refused(message)
            }
        };
        if let Some(i) = self.pane_index(Pane::Queue) {
            self.with_pane(i, now, |p, ctx| p.on_decision(&key, &outcome, ctx));
        }
        self.pump_journal(now);
    }

    /// Send the oldest due decision, one at a time so they reach the backend in order.
    fn pump_journal(&mut self, now: DateTime<Utc>) {
        if self.sending.is_some() || self.retry_at.is_some_and(|at| now < at) {
            return;
        }
        let Some(entry) = self.journal.due(now).into_iter().next() else {
            return;
        };
        self.retry_at = None;
        self.sending = Some(entry.key.clone());
        let client = self.session.client.clone();
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let result = match &entry.call {
                DecisionCall::Single {
                    comment_id,
                    request,
                } => client
                    .decide(*comment_id, request, &entry.key)
                    .await
                    .map(|r| serde_json::to_value(r).unwrap_or_default()),
                DecisionCall::Bulk { request } => client
                    .bulk_decide(request, &entry.key)
                    .await
                    .map(|r| serde_json::to_value(r).unwrap_or_default()),
            };
            let _ = tx.send(AppEvent::DecisionSent {
                key: entry.key,
                result,
            });
        });
    }

    pub fn on_tick(&mut self, now: DateTime<Utc>) {
        for i in 0..self.panes.len() {
            self.with_pane(i, now, |p, ctx| p.on_tick(ctx));
        }
        if self
            .notice
            .as_ref()
            .is_some_and(|(_, at)| now - *at > chrono::Duration::seconds(6))
        {
            self.notice = None;
        }
        self.pump_journal(now);
    }

    pub fn draw(&mut self, frame: &mut ratatui::Frame, now: DateTime<Utc>) {
        let area = frame.area();
        let ui = Ui::new(
            &self.i18n,
            &self.theme,
            &self.keymap,
            self.layout.clone(),
            now,
            self.session.role,
        );
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            let text = ui.f(
                "app.too_small",
                &[
                    ("width", &ui.num(MIN_WIDTH)),
                    ("height", &ui.num(MIN_HEIGHT)),
                ],
            );
            frame.render_widget(ui.paragraph(text), area);
            return;
        }
        let failed = self.journal.failed().count();
        let banner = if !self.online {
            Some((
                self.i18n
                    .count("banner.offline", self.journal.pending_count() as i64, &[]),
                Slot::Warning,
            ))
        } else if failed > 0 {
            let first = self.journal.failed().next().map(|e| e.state.clone());
            let message = match first {
                Some(crate::journal::EntryState::Failed { message }) => message,
                _ => String::new(),
            };
            Some((
                self.i18n.format("error.generic", &[("message", &message)]),
                Slot::Error,
            ))
        } else {
            None
        };
        let [tabs, banner_area, body, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(u16::from(banner.is_some())),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(area);
        ui::draw_tabs(frame, tabs, &ui, &self.pane_ids(), self.active);
        if let Some((text, slot)) = &banner {
            ui::draw_banner(frame, banner_area, &ui, text, *slot);
        }
        match self.panes.get_mut(self.active) {
            Some(pane) => pane.draw(frame, body, &ui),
            None => {
                let role = ui
                    .t(&format!("role.{}", self.session.role.as_str()))
                    .to_owned();
                frame.render_widget(
                    Paragraph::new(ui.label(
                        &ui.f("banner.role_cannot_use", &[("role", &role)]),
                        body.width,
                        ui.style(Slot::Warning),
                    )),
                    body,
                );
            }
        }
        let parts = ui::StatusParts {
            user: self.session.username.clone(),
            online: self.online,
            unsent: self.journal.pending_count(),
            notice: self.notice.as_ref().map(|(n, _)| n.clone()),
        };
        ui::draw_status_bar(frame, status, &ui, &parts);
        match &self.overlay {
            Overlay::None => {}
            Overlay::Help => {
                let context = self
                    .panes
                    .get(self.active)
                    .map_or(Context::Pane(Pane::Queue), |p| p.context());
                self.help_scroll = ui::draw_help(
                    frame,
                    body,
                    &ui,
                    context,
                    self.portal.as_str(),
                    self.help_scroll,
                );
            }
            Overlay::ConfirmQuit(confirm) => confirm.draw(frame, body, &ui),
        }
    }

    /// Drive one frame into any backend (tests use ratatui's TestBackend).
    pub fn render<B: Backend>(
        &mut self,
        terminal: &mut Terminal<B>,
        now: DateTime<Utc>,
    ) -> std::io::Result<()> {
        if std::mem::take(&mut self.clear) {
            terminal.clear()?;
        }
        terminal.draw(|frame| self.draw(frame, now))?;
        Ok(())
    }
}

fn rtl_bidi(mode: ConfigBidi) -> mosharekat_rtl::BidiMode {
    match mode {
        ConfigBidi::App => mosharekat_rtl::BidiMode::App,
        ConfigBidi::Terminal => mosharekat_rtl::BidiMode::Terminal,
        ConfigBidi::Off => mosharekat_rtl::BidiMode::Off,
    }
}

fn rtl_shaping(mode: ShapingMode) -> Shaping {
    match mode {
        ShapingMode::Auto => Shaping::Auto,
        ShapingMode::On => Shaping::On,
        ShapingMode::Off => Shaping::Off,
    }
}

/// `mosharekat` with no subcommand: the console.
pub fn run(runtime: tokio::runtime::Runtime, flags: ConsoleFlags) -> ExitCode {
    match runtime.block_on(run_console(flags)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mosharekat: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run_console(flags: ConsoleFlags) -> anyhow::Result<()> {
    let dirs = Dirs::discover()?;
    dirs.ensure_data_dir()?;
    let log = crate::config::init_logging(&dirs, "info")?;
    let settings = Settings::load(&dirs, &flags)?;
    let locale = Locale::load(&settings.lang, Some(&dirs.config))?;
    let theme = Theme::select(
        &settings.theme,
        Some(&dirs.config),
        TerminalColors::from_env(),
    )?;
    let keymap = Keymap::load(&settings.keymap, Some(&dirs.config))?;
    let bidi = rtl_bidi(settings.bidi);
    let layout = LayoutOptions::new(bidi, rtl_shaping(settings.shaping));
    tracing::info!("starting; log at {}", log.display());

    // Connect before taking over the terminal, so progress and errors are plain text.
    #[cfg(feature = "embedded")]
    let mut embedded = None;
    let session = match &settings.backend {
        #[cfg(feature = "embedded")]
        None => {
            let started =
                crate::embedded::start_with_progress_bar(&dirs, settings.portal_port).await?;
            let session = Session {
                client: started.client.clone(),
                username: started.username.clone(),
                role: started.role,
            };
            embedded = Some(started);
            session
        }
        #[cfg(not(feature = "embedded"))]
        None => anyhow::bail!(
            "this console has no built-in backend: give a remote one with --backend URL \
             (or `backend` in config.toml)"
        ),
        Some(url) => match &settings.token {
            Some(token) => {
                let client = Client::new(url.clone()).with_token(token.clone());
                login::session_from_token(client).await?
            }
            None => {
                let guard = TerminalGuard::enter(bidi)?;
                let result =
                    login::login_form(url.clone(), &locale, &theme, &keymap, &layout).await;
                drop(guard);
                match result? {
                    Some(session) => session,
                    None => return Ok(()),
                }
            }
        },
    };

    let journal_path = dirs.data.join("journal").join(format!(
        "{}@{}.journal",
        session.username,
        session
            .client
            .base()
            .host_str()
            .unwrap_or("backend")
            .to_owned()
            + &session
                .client
                .base()
                .port()
                .map(|p| format!("_{p}"))
                .unwrap_or_default()
    ));
    let journal = Journal::open(&journal_path)?;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let parts = AppParts {
        session: session.clone(),
        i18n: I18n::new(locale),
        configured_lang: settings.lang.clone(),
        config_dir: dirs.config.clone(),
        theme,
        keymap,
        layout,
        journal,
    };
    let mut app = App::new(parts, tx.clone());
    #[cfg(feature = "embedded")]
    app.set_embedded_backend(embedded.is_some());

    let (stream_tx, mut stream_rx) = mpsc::channel(256);
    let stream_task = spawn_event_stream(session.client.clone(), stream_tx);

    let guard = TerminalGuard::enter(bidi)?;
    let mut terminal = Terminal::new(ui::ConsoleBackend::new(std::io::stdout()))?;
    terminal.clear()?;
    let mut input = TermEvents::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut signals = Signals::new()?;
    app.start(Utc::now());
    // Draw only when something may have changed: input, an answer, a live event, or a tick that
    // changed a notice or moved the clock's minute (days left, relative times).
    let mut dirty = true;
    let mut drawn_minute = Utc::now().timestamp() / 60;
    loop {
        if dirty {
            app.render(&mut terminal, Utc::now())?;
            dirty = false;
        }
        tokio::select! {
            event = input.next() => match event {
                Some(Ok(TermEvent::Key(key))) => {
                    app.on_key(key, Utc::now());
                    dirty = true;
                }
                Some(Ok(TermEvent::Resize(..))) => dirty = true,
                Some(Ok(_)) => {}
                Some(Err(e)) => {
                    tracing::error!("terminal input: {e}");
                    break;
                }
                None => break,
            },
            Some(event) = rx.recv() => {
                app.on_event(event, Utc::now());
                dirty = true;
            }
            Some(event) = stream_rx.recv() => {
                app.on_event(AppEvent::Stream(event), Utc::now());
                dirty = true;
            }
            _ = tick.tick() => {
                let now = Utc::now();
                let before = app.notice_text().map(str::to_owned);
                app.on_tick(now);
                let minute = now.timestamp() / 60;
                dirty |= app.notice_text() != before.as_deref() || minute != drawn_minute;
                drawn_minute = minute;
            }
            _ = signals.recv() => {
                // The SSH session dropped or we were told to stop: unsent decisions stay journaled.
                tracing::info!("signal: leaving");
                break;
            }
        }
        if app.should_quit() {
            break;
        }
    }
    drop(guard);
    stream_task.abort();
    // The terminal is ours again: the portal's address where it can be copied.
    println!("{}", app.portal_after_exit());
    #[cfg(feature = "embedded")]
    if let Some(embedded) = embedded {
        embedded.server.shutdown().await;
    }
    Ok(())
}

/// SIGHUP and SIGTERM.
struct Signals {
    #[cfg(unix)]
    hup: tokio::signal::unix::Signal,
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                hup: signal(SignalKind::hangup())?,
                term: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    async fn recv(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.hup.recv() => {}
            _ = self.term.recv() => {}
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await
    }
}

/// The area of the whole screen minus the frame rows, for tests that draw panes directly.
pub fn pane_area(area: Rect) -> Rect {
    Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(2),
        ..area
    }
}
