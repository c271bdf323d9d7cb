//! The Tallies pane (operators, admins): the consultations that have polls (open ones first), the
//! polls of the chosen one with a live bar chart of each option, a breakdown of the shares by age
//! band, gender, province or participant category, and turnout over time as a sparkline.
//!
//! Live: a ballot event carries the poll's new overall tally, which replaces the counts at once;
//! the breakdown and turnout of the poll on screen are fetched again, at most once a second.
//! Offline, what is loaded stays on screen.

pub(crate) mod chart;
mod draw;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use futures::StreamExt;
use mosharekat_api::{
    Breakdown, Consultation, ConsultationStatus, Event, EventKind, Poll, Tally, TallyCell,
    TallyGroup, TurnoutPoint,
};
use ratatui::Frame;
use ratatui::layout::Rect;

use super::remote::Remote;
use super::{Answers, PaneCtx, PaneView, list};
use crate::client::{Client, ClientError, ClientResult};
use crate::keymap::{Action, Pane};
use crate::ui::Ui;

/// The shortest time between two fetches of the poll on screen caused by ballot events.
const REFETCH_EVERY: Duration = Duration::seconds(1);

/// The shortest time between two list reloads caused by ballots for polls not in the list.
const RELOAD_FOR_UNKNOWN_POLL_EVERY: Duration = Duration::seconds(10);

/// Requests for the polls of the consultations that run at the same time.
const PARALLEL_REQUESTS: usize = 4;

/// A consultation with its polls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsultationPolls {
    pub consultation: Consultation,
    pub polls: Vec<Poll>,
}

/// What the pane's requests come back with.
pub enum Answer {
    List(ListAnswer),
    Tally(TallyAnswer),
}

/// The answer to the consultation list request.
pub struct ListAnswer(pub ClientResult<Vec<ConsultationPolls>>);

/// The answer to a tally request. Tallies are always asked for with a breakdown (`by`), because
/// only then does the server include the turnout series; with no breakdown shown the groups are
/// simply not drawn.
pub struct TallyAnswer {
    pub poll_id: i64,
    pub by: Breakdown,
    pub result: ClientResult<Tally>,
}

/// Every consultation with its polls; the ones without polls are left out.
pub async fn load_consultation_polls(client: Client) -> ListAnswer {
    let consultations = match client.all_consultations().await {
        Ok(c) => c,
        Err(e) => return ListAnswer(Err(e)),
    };
    let polls: Vec<ClientResult<Vec<Poll>>> = futures::stream::iter(
        consultations
            .iter()
            .map(|c| {
                let client = client.clone();
                let id = c.id;
                async move { client.polls(id).await }
            })
            .collect::<Vec<_>>(),
    )
    .buffered(PARALLEL_REQUESTS)
    .collect()
    .await;
    let mut list = Vec::new();
    for (consultation, polls) in consultations.into_iter().zip(polls) {
        match polls {
            Ok(polls) if polls.is_empty() => {}
            Ok(polls) => list.push(ConsultationPolls {
                consultation,
                polls,
            }),
            Err(e) => return ListAnswer(Err(e)),
        }
    }
    ListAnswer(Ok(list))
}

/// What is known of one poll's results.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PollData {
    pub ballots: i64,
    /// In the poll's option order.
    pub counts: Vec<TallyCell>,
    pub turnout: Vec<TurnoutPoint>,
    /// The last breakdown fetched, with its dimension.
    pub groups: Option<(Breakdown, Vec<TallyGroup>)>,
    /// Whether turnout and groups came from the server (not only counts from a ballot event).
    pub detailed: bool,
}

impl PollData {
    pub fn count(&self, option_id: i64) -> i64 {
        self.counts
            .iter()
            .find(|c| c.option_id == option_id)
            .map_or(0, |c| c.count)
    }
}

#[derive(Default)]
pub struct TalliesPane {
    /// Open consultations first (see [`order`]).
    list: Vec<ConsultationPolls>,
    /// The consultation list's load state.
    list_state: Remote,
    selected: usize,
    list_scroll: usize,
    poll_index: usize,
    breakdown: Option<Breakdown>,
    breakdown_scroll: usize,
    data: HashMap<i64, PollData>,
    /// The tally request in flight (poll, dimension).
    fetching: Option<(i64, Breakdown)>,
    last_fetch: Option<DateTime<Utc>>,
    /// Ballots arrived for the poll on screen since its tally was last asked for.
    stale: bool,
    /// Why the last tally request for the poll on screen failed.
    tally_error: Option<ClientError>,
    online: bool,
}

/// Sort key of a consultation: open ones first (closing soonest first), then scheduled (opening
/// soonest first), then closed (most recently closed first), then drafts (newest first).
fn order(c: &Consultation) -> (u8, i64) {
    match c.status {
        ConsultationStatus::Open => (0, c.closes_at.timestamp()),
        ConsultationStatus::Scheduled => (1, c.opens_at.timestamp()),
        ConsultationStatus::Closed => (2, -c.closed_at().timestamp()),
        ConsultationStatus::Draft => (3, -c.id),
    }
}

/// The next breakdown when cycling: none → age band → gender → province → category → none.
pub fn next_breakdown(current: Option<Breakdown>) -> Option<Breakdown> {
    match current {
        None => Some(Breakdown::AgeBand),
        Some(Breakdown::AgeBand) => Some(Breakdown::Gender),
        Some(Breakdown::Gender) => Some(Breakdown::Province),
        Some(Breakdown::Province) => Some(Breakdown::Category),
        Some(Breakdown::Category) => None,
    }
}

impl TalliesPane {
    /// The consultations listed, in their order.
    pub fn consultations(&self) -> &[ConsultationPolls] {
        &self.list
    }

    pub fn current(&self) -> Option<&ConsultationPolls> {
        self.list.get(self.selected)
    }

    /// The poll on screen.
    pub fn current_poll(&self) -> Option<&Poll> {
        self.current()?.polls.get(self.poll_index)
    }

    pub fn breakdown(&self) -> Option<Breakdown> {
        self.breakdown
    }

    /// Show the breakdown by `by` without asking for it (the `cycle_breakdown` key also fetches
    /// it); for callers that feed tallies themselves, like benchmarks.
    pub fn set_breakdown(&mut self, by: Option<Breakdown>) {
        self.breakdown = by;
        self.breakdown_scroll = 0;
    }

    /// What is known of a poll's results.
    pub fn poll_data(&self, poll_id: i64) -> Option<&PollData> {
        self.data.get(&poll_id)
    }

    /// Whether the consultation list is being (re)loaded.
    pub fn loading_list(&self) -> bool {
        self.list_state.is_loading()
    }

    /// The tally request in flight, if any.
    pub fn fetching(&self) -> Option<(i64, Breakdown)> {
        self.fetching
    }

    /// Ballots counted for a poll: from its tally when loaded, else from the poll list.
    fn ballots_of(&self, poll: &Poll) -> i64 {
        self.data
            .get(&poll.id)
            .map_or(poll.total_ballots, |d| d.ballots)
    }

    /// The dimension to ask the server for: the breakdown shown, else the smallest one (only its
    /// turnout series is used).
    fn fetch_dimension(&self) -> Breakdown {
        self.breakdown.unwrap_or(Breakdown::Category)
    }

    fn load_list(&mut self, ctx: &mut PaneCtx) {
        if !self.list_state.try_start(ctx.now) {
            return;
        }
        let client = ctx.client.clone();
        ctx.spawn(async move { Answer::List(load_consultation_polls(client).await) });
    }

    /// Ask for the tally of the poll on screen (unless that very request is in flight: then once
    /// more after it answers).
    fn fetch_tally(&mut self, ctx: &mut PaneCtx) {
        let Some(poll_id) = self.current_poll().map(|p| p.id) else {
            return;
        };
        let by = self.fetch_dimension();
        if self.fetching == Some((poll_id, by)) {
            self.stale = true;
            return;
        }
        self.fetching = Some((poll_id, by));
        self.last_fetch = Some(ctx.now);
        self.stale = false;
        self.tally_error = None;
        let client = ctx.client.clone();
        ctx.spawn(async move {
            Answer::Tally(TallyAnswer {
                poll_id,
                by,
                result: client.tally(poll_id, Some(by)).await,
            })
        });
    }

    /// Take a new consultation list, keeping the selection on the same consultation and poll.
    pub fn set_list(&mut self, mut list: Vec<ConsultationPolls>) {
        let keep = self.current().map(|c| c.consultation.id);
        let keep_poll = self.current_poll().map(|p| p.id);
        list.retain(|c| !c.polls.is_empty());
        list.sort_by_key(|c| order(&c.consultation));
        self.list = list;
        self.list_state.succeeded();
        self.selected = list::clamp(
            keep.and_then(|id| self.list.iter().position(|c| c.consultation.id == id))
                .unwrap_or(self.selected),
            self.list.len(),
        );
        self.poll_index = self
            .current()
            .and_then(|c| c.polls.iter().position(|p| Some(p.id) == keep_poll))
            .unwrap_or(0);
    }

    /// Take a tally the server sent for `by`.
    pub fn set_tally(&mut self, by: Breakdown, tally: Tally) {
        let data = self.data.entry(tally.poll_id).or_default();
        data.ballots = tally.ballots;
        data.counts = tally.counts;
        data.turnout = tally.turnout;
        data.groups = Some((by, tally.groups));
        data.detailed = true;
        self.set_total(tally.poll_id, tally.ballots);
    }

    fn set_total(&mut self, poll_id: i64, ballots: i64) {
        for poll in self.list.iter_mut().flat_map(|c| c.polls.iter_mut()) {
            if poll.id == poll_id {
                poll.total_ballots = ballots;
            }
        }
    }

    /// A ballot was cast: the event's overall tally replaces the counts now.
    fn on_ballot(&mut self, poll_id: i64, tally: &Tally, ctx: &mut PaneCtx) {
        let known = self
            .list
            .iter()
            .any(|c| c.polls.iter().any(|p| p.id == poll_id));
        if !known {
            // A poll added since the list was loaded (not too often: a list that keeps failing
            // to load must not be asked for on every ballot).
            if self.list_state.since_request(ctx.now) >= RELOAD_FOR_UNKNOWN_POLL_EVERY {
                self.load_list(ctx);
            }
            return;
        }
        let data = self.data.entry(poll_id).or_default();
        data.ballots = tally.ballots;
        data.counts = tally.counts.clone();
        self.set_total(poll_id, tally.ballots);
        if self.current_poll().is_some_and(|p| p.id == poll_id) {
            self.stale = true;
        }
    }

    /// A new poll (or consultation) on screen: start from its top and load its tally.
    fn show_poll(&mut self, ctx: &mut PaneCtx) {
        self.breakdown_scroll = 0;
        self.stale = false;
        self.fetch_tally(ctx);
    }

    fn select(&mut self, index: usize, ctx: &mut PaneCtx) {
        let index = list::clamp(index, self.list.len());
        if index != self.selected {
            self.selected = index;
            self.poll_index = 0;
            self.show_poll(ctx);
        }
    }
}

impl PaneView for TalliesPane {
    fn pane(&self) -> Pane {
        Pane::Tallies
    }

    fn refresh(&mut self, ctx: &mut PaneCtx) {
        self.online = ctx.online;
        self.load_list(ctx);
        self.fetch_tally(ctx);
    }

    fn on_action(&mut self, action: Action, ctx: &mut PaneCtx) -> bool {
        let n = self.list.len();
        let polls = self.current().map_or(0, |c| c.polls.len());
        match action {
            action if list::is_move(action) => {
                self.select(list::moved(action, self.selected, n), ctx)
            }
            Action::NextPoll | Action::PrevPoll => {
                if polls > 1 {
                    self.poll_index = if action == Action::NextPoll {
                        (self.poll_index + 1) % polls
                    } else {
                        (self.poll_index + polls - 1) % polls
                    };
                    self.show_poll(ctx);
                }
            }
            Action::CycleBreakdown => {
                self.breakdown = next_breakdown(self.breakdown);
                self.breakdown_scroll = 0;
                // Back to none: the turnout already loaded is enough.
                if self.breakdown.is_some() {
                    self.fetch_tally(ctx);
                }
            }
            Action::ScrollDown => self.breakdown_scroll += 1,
            Action::ScrollUp => self.breakdown_scroll = self.breakdown_scroll.saturating_sub(1),
            Action::Refresh => self.refresh(ctx),
            _ => return false,
        }
        true
    }

    fn on_event(&mut self, event: &Event, ctx: &mut PaneCtx) {
        self.online = ctx.online;
        match &event.kind {
            EventKind::BallotCast { poll_id, tally, .. } => self.on_ballot(*poll_id, tally, ctx),
            EventKind::ConsultationChanged { .. } => self.load_list(ctx),
            _ => {}
        }
    }

    fn on_tick(&mut self, ctx: &mut PaneCtx) {
        self.online = ctx.online;
        let due = self
            .last_fetch
            .is_none_or(|at| ctx.now - at >= REFETCH_EVERY);
        if self.stale && self.fetching.is_none() && due && ctx.online {
            self.fetch_tally(ctx);
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        self.draw_pane(frame, area, ui);
    }
}

impl Answers for TalliesPane {
    type Answer = Answer;

    fn on_answer(&mut self, answer: Answer, ctx: &mut PaneCtx) {
        match answer {
            Answer::List(answer) => self.on_list(answer, ctx),
            Answer::Tally(answer) => self.on_tally(answer, ctx),
        }
    }
}

impl TalliesPane {
    fn on_list(&mut self, answer: ListAnswer, ctx: &mut PaneCtx) {
        match answer.0 {
            Ok(list) => {
                let before = self.current_poll().map(|p| p.id);
                self.set_list(list);
                let now = self.current_poll().map(|p| p.id);
                if now.is_some_and(|id| Some(id) != before || !self.data.contains_key(&id)) {
                    self.show_poll(ctx);
                }
            }
            Err(e) => {
                let message = ctx.failed(&e);
                self.list_state.failed(message);
            }
        }
    }

    fn on_tally(&mut self, answer: TallyAnswer, ctx: &mut PaneCtx) {
        let TallyAnswer {
            poll_id,
            by,
            result,
        } = answer;
        if self.fetching == Some((poll_id, by)) {
            self.fetching = None;
        }
        match result {
            Ok(tally) => self.set_tally(by, tally),
            Err(e) => {
                ctx.failed(&e);
                if self.current_poll().is_some_and(|p| p.id == poll_id) {
                    self.tally_error = Some(e);
                }
            }
        }
    }
}
