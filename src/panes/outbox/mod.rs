//! The Outbox view (operators, admins): feedback messages to participants and where each is in
//! its delivery — counts per status, a list filtered by status (newest first) with each message's
//! channel, recipient, tries, next attempt and last error, and a retry of a dead message after a
//! confirmation.
//!
//! Live: `outbox.changed` (a message went dead or was put back in line) and the publication
//! events that queue messages mark the list stale; it is read again on the next tick. Deliveries
//! send no event, so while messages wait the list is also read again every few seconds.

mod draw;
#[cfg(test)]
pub(crate) mod tests;

use std::collections::{HashMap, HashSet};

use chrono::Duration;
use mosharekat_api::{Event, EventKind, OutboxMessage, OutboxStatus};
use ratatui::Frame;
use ratatui::layout::Rect;

use super::remote::Remote;
use super::{Answers, PaneCtx, PaneView, list};
use crate::client::{Client, ClientError, ClientResult};
use crate::keymap::{Action, Context, Pane};
use crate::ui::{Confirm, DialogResult, Ui};

/// Messages asked for per request.
pub const PAGE: u32 = 500;

/// Messages kept for the list (the newest of the filter).
pub const KEEP: usize = 1000;

/// While messages wait, the list is read again this often (and a second more per page the last
/// read took, so a large outbox is not read back to back).
const POLL_EVERY: Duration = Duration::seconds(3);

/// The shortest time between two loads caused by events.
const RELOAD_EVERY: Duration = Duration::seconds(1);

/// How many messages are in a status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    pub n: usize,
}

/// A loaded outbox: counts of every status, and the newest messages of the filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loaded {
    pub counts: HashMap<OutboxStatus, Count>,
    /// Newest first.
    pub items: Vec<OutboxMessage>,
    /// More messages of the filter exist than are kept.
    pub truncated: bool,
    /// List pages the load read (at most two: `KEEP` over `PAGE`).
    pub pages: usize,
}

/// What the pane's requests come back with.
pub enum Answer {
    List(ListAnswer),
    Retry(RetryAnswer),
}

pub struct ListAnswer {
    pub filter: Option<OutboxStatus>,
    pub result: ClientResult<Loaded>,
}

pub struct RetryAnswer {
    pub id: i64,
    pub result: ClientResult<OutboxMessage>,
}

/// The counts of every status (the server's aggregate) and the newest `KEEP` messages of
/// `filter`, read newest first: a load costs the same however large the outbox has grown.
pub async fn load(client: Client, filter: Option<OutboxStatus>) -> ListAnswer {
    let result = async {
        let counts = client.outbox_counts().await?;
        let mut loaded = Loaded::default();
        for (status, n) in [
            (OutboxStatus::Pending, counts.pending),
            (OutboxStatus::Sent, counts.sent),
            (OutboxStatus::Dead, counts.dead),
        ] {
            if n > 0 {
                loaded.counts.insert(status, Count { n: n as usize });
            }
        }
        let mut before = None;
        loop {
            let page = client.outbox_newest(filter, before, PAGE).await?;
            loaded.pages += 1;
            loaded.items.extend(page.items);
            match page.next_after.and_then(|a| a.parse().ok()) {
                Some(_) if loaded.items.len() >= KEEP => {
                    loaded.truncated = true;
                    break;
                }
                Some(next) => before = Some(next),
                None => break,
            }
        }
        loaded.items.truncate(KEEP);
        Ok(loaded)
    }
    .await;
    ListAnswer { filter, result }
}

/// The next filter: all → waiting → delivered → gave up → all.
pub fn next_filter(current: Option<OutboxStatus>) -> Option<OutboxStatus> {
    match current {
        None => Some(OutboxStatus::Pending),
        Some(OutboxStatus::Pending) => Some(OutboxStatus::Sent),
        Some(OutboxStatus::Sent) => Some(OutboxStatus::Dead),
        Some(OutboxStatus::Dead) => None,
    }
}

#[derive(Default)]
pub struct OutboxPane {
    filter: Option<OutboxStatus>,
    loaded: Option<Loaded>,
    /// The load state of `loaded`.
    remote: Remote,
    selected: usize,
    list_scroll: usize,
    detail_scroll: usize,
    confirm: Option<(i64, Confirm)>,
    retrying: HashSet<i64>,
    /// The pane has been shown (only then does it poll).
    shown: bool,
}

impl OutboxPane {
    pub fn filter(&self) -> Option<OutboxStatus> {
        self.filter
    }

    pub fn messages(&self) -> &[OutboxMessage] {
        self.loaded.as_ref().map_or(&[], |l| &l.items)
    }

    pub fn count(&self, status: OutboxStatus) -> Count {
        self.loaded
            .as_ref()
            .and_then(|l| l.counts.get(&status).copied())
            .unwrap_or_default()
    }

    pub fn selected(&self) -> Option<&OutboxMessage> {
        self.messages().get(self.selected)
    }

    pub fn loading(&self) -> bool {
        self.remote.is_loading()
    }

    pub fn stale(&self) -> bool {
        self.remote.is_stale()
    }

    /// Take a loaded outbox as if the backend had sent it, keeping the selection on the same
    /// message.
    pub fn set_loaded(&mut self, loaded: Loaded) {
        let keep = self.selected().map(|m| m.id);
        self.loaded = Some(loaded);
        let items = self.messages();
        self.selected = list::clamp(
            keep.and_then(|id| items.iter().position(|m| m.id == id))
                .unwrap_or(self.selected),
            items.len(),
        );
    }

    /// Load the outbox; while a load is in flight, once more after it answers.
    fn load(&mut self, ctx: &mut PaneCtx) {
        if !self.remote.try_start(ctx.now) {
            self.remote.mark_stale();
            return;
        }
        self.request(ctx);
    }

    /// Ask for the outbox of the filter on screen.
    fn request(&mut self, ctx: &mut PaneCtx) {
        let request = load(ctx.client.clone(), self.filter);
        ctx.spawn(async move { Answer::List(request.await) });
    }

    fn select(&mut self, index: usize) {
        let index = list::clamp(index, self.messages().len());
        if index != self.selected {
            self.selected = index;
            self.detail_scroll = 0;
        }
    }

    fn ask_retry(&mut self, ctx: &mut PaneCtx) {
        let Some(m) = self.selected() else {
            return;
        };
        if m.status != OutboxStatus::Dead {
            ctx.notify(ctx.i18n.text("outbox.only_dead"));
            return;
        }
        if self.retrying.contains(&m.id) {
            return;
        }
        let channel_key = format!("channel.{}", m.channel.as_str());
        let channel = ctx.i18n.text(&channel_key);
        let message = match m.participant_id {
            Some(participant) => ctx.i18n.format(
                "outbox.confirm_retry",
                &[
                    ("id", &ctx.i18n.number(m.id)),
                    ("participant", &ctx.i18n.number(participant)),
                    ("channel", channel),
                ],
            ),
            // A call broadcast to the ministry's channel.
            None => ctx.i18n.format(
                "outbox.confirm_retry_channel",
                &[("id", &ctx.i18n.number(m.id)), ("channel", channel)],
            ),
        };
        self.confirm = Some((m.id, Confirm::new(message)));
    }

    fn retry(&mut self, id: i64, ctx: &mut PaneCtx) {
        self.retrying.insert(id);
        let client = ctx.client.clone();
        ctx.spawn(async move {
            Answer::Retry(RetryAnswer {
                id,
                result: client.retry_outbox(id).await,
            })
        });
    }

    fn on_retried(&mut self, answer: RetryAnswer, ctx: &mut PaneCtx) {
        self.retrying.remove(&answer.id);
        match answer.result {
            Ok(message) => {
                if let Some(loaded) = self.loaded.as_mut()
                    && let Some(old) = loaded.items.iter_mut().find(|m| m.id == message.id)
                {
                    if let Some(c) = loaded.counts.get_mut(&old.status) {
                        c.n = c.n.saturating_sub(1);
                    }
                    loaded.counts.entry(message.status).or_default().n += 1;
                    *old = message;
                }
                ctx.notify(ctx.i18n.text("pane.outbox.retry_queued"));
                self.remote.mark_stale();
            }
            Err(e) => {
                ctx.failed(&e);
                ctx.notify(error_text(ctx, &e));
                self.remote.mark_stale();
            }
        }
    }
}

fn error_text(ctx: &PaneCtx, e: &ClientError) -> String {
    ctx.i18n
        .format("error.generic", &[("message", &e.to_string())])
}

impl PaneView for OutboxPane {
    fn pane(&self) -> Pane {
        Pane::Outbox
    }

    fn context(&self) -> Context {
        if self.confirm.is_some() {
            Context::Dialog
        } else {
            Context::Pane(Pane::Outbox)
        }
    }

    fn refresh(&mut self, ctx: &mut PaneCtx) {
        self.shown = true;
        self.load(ctx);
    }

    fn on_action(&mut self, action: Action, ctx: &mut PaneCtx) -> bool {
        if let Some((id, mut confirm)) = self.confirm.take() {
            match confirm.on_action(action) {
                DialogResult::Open => self.confirm = Some((id, confirm)),
                DialogResult::Cancelled => {}
                DialogResult::Done(()) => self.retry(id, ctx),
            }
            return true;
        }
        let n = self.messages().len();
        match action {
            action if list::is_move(action) => self.select(list::moved(action, self.selected, n)),
            Action::ScrollDown => self.detail_scroll += 1,
            Action::ScrollUp => self.detail_scroll = self.detail_scroll.saturating_sub(1),
            Action::CycleFilter => {
                self.filter = next_filter(self.filter);
                self.selected = 0;
                self.list_scroll = 0;
                self.detail_scroll = 0;
                // The list on screen is of the old filter until the answer comes.
                if let Some(loaded) = self.loaded.as_mut() {
                    let filter = self.filter;
                    loaded
                        .items
                        .retain(|m| filter.is_none_or(|f| f == m.status));
                }
                // The load in flight is of the old filter: this one supersedes it.
                self.remote.start(ctx.now);
                self.request(ctx);
            }
            Action::Retry => self.ask_retry(ctx),
            Action::Refresh => self.refresh(ctx),
            _ => return false,
        }
        true
    }

    fn on_event(&mut self, event: &Event, _ctx: &mut PaneCtx) {
        match &event.kind {
            EventKind::OutboxChanged {
                message_id,
                status,
                attempts,
            } => {
                // Shown at once for a message on screen; counts follow with the reload.
                if let Some(m) = self
                    .loaded
                    .as_mut()
                    .and_then(|l| l.items.iter_mut().find(|m| m.id == *message_id))
                {
                    m.status = *status;
                    m.attempts = *attempts;
                }
                self.remote.mark_stale();
            }
            EventKind::ReportPublished { .. } | EventKind::DecisionsPublished { .. } => {
                self.remote.mark_stale()
            }
            _ => {}
        }
    }

    fn on_tick(&mut self, ctx: &mut PaneCtx) {
        if !self.shown || self.remote.is_loading() || !ctx.online {
            return;
        }
        let since = self.remote.since_request(ctx.now);
        let waiting = self.count(OutboxStatus::Pending).n > 0;
        let pages = self.loaded.as_ref().map_or(1, |l| l.pages.max(1));
        let poll_every = POLL_EVERY + Duration::seconds(pages as i64 - 1);
        if (self.remote.is_stale() && since >= RELOAD_EVERY) || (waiting && since >= poll_every) {
            self.load(ctx);
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        self.draw_pane(frame, area, ui);
        if let Some((_, confirm)) = &self.confirm {
            confirm.draw(frame, area, ui);
        }
    }
}

impl Answers for OutboxPane {
    type Answer = Answer;

    fn on_answer(&mut self, answer: Answer, ctx: &mut PaneCtx) {
        match answer {
            Answer::List(answer) => {
                // An answer for a filter no longer chosen (its successor is on its way).
                if answer.filter != self.filter {
                    return;
                }
                match answer.result {
                    Ok(loaded) => {
                        self.remote.succeeded();
                        self.set_loaded(loaded);
                    }
                    Err(e) => {
                        ctx.failed(&e);
                        self.remote.failed(error_text(ctx, &e));
                    }
                }
            }
            Answer::Retry(answer) => {
                self.on_retried(answer, ctx);
            }
        }
    }
}
