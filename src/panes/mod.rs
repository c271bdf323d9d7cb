//! The console's panes. Each owns its state, handles its keys (as actions from the keymap) and
//! its network answers, and draws itself. Panes never wait on the network: they start requests
//! with [`PaneCtx::spawn`], each yielding a variant of the pane's own answer enum, and get it back
//! later in [`Answers::on_answer`] (the app routes it as a [`PaneAnswer`]).

pub mod certificates;
pub mod deadlines;
pub mod list;
pub mod outbox;
pub mod queue;
pub mod ranking;
pub mod rationale;
pub mod remote;
pub mod reports;
pub mod tallies;

mod table;

pub use table::{Pane, PaneAnswer, View};

use std::future::Future;

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;
use mosharekat_api::{Event, Role};
use ratatui::Frame;
use ratatui::layout::Rect;
use tokio::sync::mpsc::UnboundedSender;

use crate::app::AppEvent;
use crate::client::{Client, ClientError};
use crate::i18n::I18n;
use crate::journal::{DecisionCall, EntryState, Journal, JournalEntry};
use crate::keymap::{Action, Context};
use crate::ui::Ui;

/// What a pane may use while it handles input or answers.
pub struct PaneCtx<'a> {
    pub client: &'a Client,
    pub role: Role,
    pub username: &'a str,
    pub i18n: &'a I18n,
    pub now: DateTime<Utc>,
    pub online: bool,
    pub journal: &'a mut Journal,
    /// How long a decision waits before it is sent (the moderator may undo meanwhile).
    pub grace: chrono::Duration,
    pub(crate) tx: &'a UnboundedSender<AppEvent>,
    pub(crate) notice: &'a mut Option<String>,
    pub(crate) went_offline: &'a mut bool,
}

impl PaneCtx<'_> {
    /// Run `request` in the background; its answer (a variant of a pane's answer enum) comes
    /// back to that pane's [`Answers::on_answer`].
    pub fn spawn<A: Into<PaneAnswer> + Send + 'static>(
        &self,
        request: impl Future<Output = A> + Send + 'static,
    ) {
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let answer = request.await.into();
            let _ = tx.send(AppEvent::Answer(answer));
        });
    }

    /// Show a short message in the status bar.
    pub fn notify(&mut self, message: impl Into<String>) {
        *self.notice = Some(message.into());
    }

    /// The one rule for a failed request: a transient failure (the backend unreachable or
    /// overloaded) marks the console offline. Returns the error's message, to show.
    pub fn failed(&mut self, error: &ClientError) -> String {
        if error.is_transient() {
            *self.went_offline = true;
        }
        error.to_string()
    }

    /// Write a decision to the journal (on disk before this returns); the app sends it once the
    /// grace time has passed. Returns its idempotency key.
    pub fn record_decision(&mut self, call: DecisionCall) -> std::io::Result<String> {
        let key = crate::journal::new_key();
        self.journal.add(JournalEntry {
            key: key.clone(),
            call,
            created_at: self.now,
            not_before: self.now + self.grace,
            state: EntryState::Pending,
        })?;
        Ok(key)
    }

    /// Take a decision back if it has not been sent yet.
    pub fn undo_decision(&mut self, key: &str) -> bool {
        let unsent = self
            .journal
            .get(key)
            .is_some_and(|e| e.state == EntryState::Pending && e.not_before > self.now);
        unsent && self.journal.cancel(key).is_ok()
    }
}

/// How a journaled decision ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionOutcome {
    /// Applied by the backend (the JSON of its answer).
    Applied(serde_json::Value),
    /// Refused for good; the message is safe to show.
    Refused(String),
}

/// A pane of the console.
pub trait PaneView: Send {
    fn pane(&self) -> Pane;

    /// Key context while this pane has focus: a pane may have a dialog or text field open.
    fn context(&self) -> Context {
        Context::Pane(self.pane())
    }

    /// Load (or reload) its data: first show, refresh key, reconnection.
    fn refresh(&mut self, ctx: &mut PaneCtx);

    /// An action resolved from the keymap in [`PaneView::context`]. Returns whether it was used.
    fn on_action(&mut self, action: Action, ctx: &mut PaneCtx) -> bool;

    /// A raw key while the context is a text field (after submit/cancel were checked).
    fn on_key(&mut self, _key: KeyEvent, _ctx: &mut PaneCtx) -> bool {
        false
    }

    /// A live event from the backend.
    fn on_event(&mut self, _event: &Event, _ctx: &mut PaneCtx) {}

    /// A journaled decision this pane recorded was applied or refused.
    fn on_decision(&mut self, _key: &str, _outcome: &DecisionOutcome, _ctx: &mut PaneCtx) {}

    /// About once a second.
    fn on_tick(&mut self, _ctx: &mut PaneCtx) {}

    fn draw(&mut self, frame: &mut Frame, area: Rect, ui: &Ui);

    /// Called before the console exits: give back what the pane holds (e.g. claims).
    fn on_exit(&mut self, _ctx: &mut PaneCtx) {}
}

/// A pane's answers: the enum its requests yield, handled in one exhaustive `match`.
pub trait Answers: PaneView {
    type Answer: Send + 'static + Into<PaneAnswer> + TryFrom<PaneAnswer, Error = PaneAnswer>;

    /// The answer to one of this pane's requests.
    fn on_answer(&mut self, answer: Self::Answer, ctx: &mut PaneCtx);
}

/// The panes a role may use, in tab order. The server enforces roles; this only hides what a
/// role cannot use.
pub fn panes_for(role: Role) -> Vec<Pane> {
    Pane::ALL.into_iter().filter(|p| p.allowed(role)).collect()
}

/// A [`PaneCtx`] without an app, for driving panes in tests.
#[cfg(test)]
pub mod testing {
    use chrono::{DateTime, Utc};
    use mosharekat_api::Role;
    use tokio::sync::mpsc;

    use mosharekat_rtl::{BidiMode, LayoutOptions, Shaping};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::buffer::Buffer;

    use super::{Answers, PaneCtx, PaneView};
    use crate::app::AppEvent;
    use crate::client::Client;
    use crate::i18n::{I18n, Locale};
    use crate::journal::Journal;
    use crate::keymap::Keymap;
    use crate::theme::Theme;
    use crate::ui::Ui;

    /// Owns what a [`PaneCtx`] borrows: the journal lives in a temporary folder; answers of the
    /// requests panes spawn arrive on `rx` (with a tokio runtime running them).
    pub struct TestCtx {
        pub client: Client,
        pub role: Role,
        pub username: String,
        pub i18n: I18n,
        pub now: DateTime<Utc>,
        pub online: bool,
        pub journal: Journal,
        pub grace: chrono::Duration,
        /// The last `notify` message.
        pub notice: Option<String>,
        /// Whether a pane reported the backend unreachable.
        pub went_offline: bool,
        pub tx: mpsc::UnboundedSender<AppEvent>,
        pub rx: mpsc::UnboundedReceiver<AppEvent>,
        _dir: tempfile::TempDir,
    }

    impl TestCtx {
        /// A context whose client points at a port nothing listens on.
        pub fn new(role: Role, username: &str, locale: &str) -> TestCtx {
            Self::over(
                Client::new("http://127.0.0.1:9".parse().expect("url")),
                role,
                username,
                locale,
                Utc::now(),
            )
        }

        pub fn over(
            client: Client,
            role: Role,
            username: &str,
            locale: &str,
            now: DateTime<Utc>,
        ) -> TestCtx {
            let dir = tempfile::tempdir().expect("temporary folder");
            let journal = Journal::open(&dir.path().join("test.journal")).expect("journal");
            let (tx, rx) = mpsc::unbounded_channel();
            TestCtx {
                client,
                role,
                username: username.into(),
                i18n: I18n::new(Locale::embedded(locale).expect("embedded locale")),
                now,
                online: true,
                journal,
                grace: crate::app::UNDO_GRACE,
                notice: None,
                went_offline: false,
                tx,
                rx,
                _dir: dir,
            }
        }

        /// Run `f` with a context at time `now`.
        pub fn with<R>(&mut self, now: DateTime<Utc>, f: impl FnOnce(&mut PaneCtx) -> R) -> R {
            self.now = now;
            f(&mut self.ctx())
        }

        /// A context at `self.now`.
        pub fn ctx(&mut self) -> PaneCtx<'_> {
            PaneCtx {
                client: &self.client,
                role: self.role,
                username: &self.username,
                i18n: &self.i18n,
                now: self.now,
                online: self.online,
                journal: &mut self.journal,
                grace: self.grace,
                tx: &self.tx,
                notice: &mut self.notice,
                went_offline: &mut self.went_offline,
            }
        }
    }

    impl TestCtx {
        /// The next answer a spawned request sends back (at most `wait` away), as the answer
        /// of pane type `P`.
        pub async fn next_answer_within<P: Answers>(
            &mut self,
            wait: std::time::Duration,
            what: &str,
        ) -> P::Answer {
            loop {
                let event = tokio::time::timeout(wait, self.rx.recv())
                    .await
                    .unwrap_or_else(|_| panic!("waited {wait:?} for {what}"))
                    .expect("channel open");
                if let AppEvent::Answer(answer) = event {
                    let pane = answer.pane();
                    return P::Answer::try_from(answer)
                        .unwrap_or_else(|_| panic!("{what}: an answer for the {pane:?} pane"));
                }
            }
        }

        /// The next answer a spawned request sends back, for pane type `P` (waits up to 20 s).
        pub async fn next_answer<P: Answers>(&mut self, what: &str) -> P::Answer {
            self.next_answer_within::<P>(std::time::Duration::from_secs(20), what)
                .await
        }

        /// Hand the answers of spawned requests to `pane` until `until` holds (each waited for
        /// at most 10 s).
        pub async fn pump<P: Answers>(
            &mut self,
            pane: &mut P,
            what: &str,
            until: impl Fn(&P) -> bool,
        ) {
            while !until(pane) {
                let answer = self
                    .next_answer_within::<P>(std::time::Duration::from_secs(10), what)
                    .await;
                pane.on_answer(answer, &mut self.ctx());
            }
        }

        /// Hand `pane` every answer that arrives before the channel stays quiet for `quiet`.
        pub async fn drain<P: Answers>(&mut self, pane: &mut P, quiet: std::time::Duration) {
            while let Ok(Some(event)) = tokio::time::timeout(quiet, self.rx.recv()).await {
                if let AppEvent::Answer(answer) = event {
                    let answer = P::Answer::try_from(answer)
                        .unwrap_or_else(|a| panic!("an answer for the {:?} pane", a.pane()));
                    pane.on_answer(answer, &mut self.ctx());
                }
            }
        }
    }

    /// The two screen sizes every pane is drawn at in tests.
    pub const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

    /// Where a test draws a pane on its screen.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Area {
        /// The whole screen.
        Screen,
        /// Where the app puts a pane: the screen minus the tab row and the status bar.
        PaneArea,
    }

    /// Draw `pane` alone on a `width`×`height` screen as `role` sees it at `now`: dark theme,
    /// the app's own bidi, no shaping.
    pub fn draw_pane(
        pane: &mut dyn PaneView,
        lang: &str,
        (width, height): (u16, u16),
        now: DateTime<Utc>,
        role: Role,
        area: Area,
    ) -> Buffer {
        let i18n = I18n::new(Locale::embedded(lang).expect("embedded locale"));
        let theme = Theme::embedded("dark").expect("embedded theme");
        let keymap = Keymap::embedded_default();
        let layout = LayoutOptions::new(BidiMode::App, Shaping::Off);
        let ui = Ui::new(&i18n, &theme, &keymap, layout, now, role);
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
        terminal
            .draw(|frame| {
                let target = match area {
                    Area::Screen => frame.area(),
                    Area::PaneArea => crate::app::pane_area(frame.area()),
                };
                pane.draw(frame, target, &ui);
            })
            .expect("draw");
        terminal.backend().buffer().clone()
    }

    /// Every row of the screen, as text.
    pub fn rows(buffer: &Buffer) -> Vec<String> {
        (0..buffer.area.height)
            .map(|y| {
                (0..buffer.area.width)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect()
    }

    /// The whole screen as text, row by row.
    pub fn screen(buffer: &Buffer) -> String {
        rows(buffer).join("\n")
    }

    /// Every row of the screen, as text without the blanks at its end.
    pub fn trimmed_rows(buffer: &Buffer) -> Vec<String> {
        rows(buffer)
            .into_iter()
            .map(|row| row.trim_end().to_owned())
            .collect()
    }

    /// The screen as text, each row without the blanks at its end and followed by a newline.
    pub fn screen_trimmed(buffer: &Buffer) -> String {
        trimmed_rows(buffer)
            .into_iter()
            .map(|row| row + "\n")
            .collect()
    }

    /// No cell of the screen holds a control character or a bidi formatting character.
    pub fn assert_clean(buffer: &Buffer, what: &str) {
        for (i, cell) in buffer.content().iter().enumerate() {
            for c in cell.symbol().chars() {
                let bidi = matches!(
                    c,
                    '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
                );
                assert!(!c.is_control() && !bidi, "{what}: cell {i} holds {c:?}");
            }
        }
    }

    /// A context for an operator over `client`, in `lang`, at `now`.
    pub fn test_ctx(client: Client, lang: &str, now: DateTime<Utc>) -> TestCtx {
        TestCtx::over(client, Role::Operator, "operator1", lang, now)
    }
}

#[cfg(test)]
pub(crate) use testing::TestCtx;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moderators_see_only_the_queue() {
        assert_eq!(panes_for(Role::Moderator), [Pane::Queue]);
        assert!(!Pane::Queue.allowed(Role::Operator));
        assert!(Pane::Deadlines.allowed(Role::Operator));
        assert!(!Pane::Ranking.allowed(Role::Operator));
        assert_eq!(panes_for(Role::Admin), Pane::ALL);
    }
}
