//! The Ranking view (admins): the leaderboard of digital-citizen scores, filtered by period,
//! province, participant category and consultation (each cycled with a key), and the selected
//! participant's score explained by the contributions behind it.

mod draw;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use chrono::Duration;
use mosharekat_api::{
    Category, Consultation, ConsultationStatus, Event, EventKind, LeaderboardEntry,
    LeaderboardQuery, LeaderboardResponse, ParticipantScore, Period, Province,
};

use super::remote::Remote;
use super::{Answers, PaneCtx, PaneView, list};
use crate::client::ClientResult;
use crate::keymap::{Action, Pane};

/// Entries asked for: the first screenfuls.
pub const LIMIT: u32 = 200;

/// The shortest time between two reloads caused by live events.
const RELOAD_EVERY: Duration = Duration::seconds(5);

/// What the pane's requests come back with.
pub enum Answer {
    Board(BoardAnswer),
    Score(ScoreAnswer),
    Consultations(ConsultationsAnswer),
}

/// The answer to a leaderboard request, with the filters it was asked with.
pub struct BoardAnswer {
    pub query: LeaderboardQuery,
    pub result: ClientResult<LeaderboardResponse>,
}

/// The answer to a score explanation.
pub struct ScoreAnswer {
    pub participant_id: i64,
    pub result: ClientResult<ParticipantScore>,
}

/// The consultations to filter by.
pub struct ConsultationsAnswer(pub ClientResult<Vec<Consultation>>);

/// A consultation the filter can pick: its id and titles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsultationChoice {
    pub id: i64,
    pub title_fa: String,
    pub title_en: String,
}

pub struct RankingPane {
    query: LeaderboardQuery,
    board: Option<LeaderboardResponse>,
    /// The leaderboard's load state.
    remote: Remote,
    selected: usize,
    list_scroll: usize,
    detail_scroll: usize,
    consultations: Vec<ConsultationChoice>,
    consultations_requested: bool,
    scores: HashMap<i64, ParticipantScore>,
    explaining: Option<i64>,
    score_error: Option<(i64, String)>,
}

impl Default for RankingPane {
    fn default() -> Self {
        RankingPane {
            query: LeaderboardQuery {
                limit: Some(LIMIT),
                ..LeaderboardQuery::default()
            },
            board: None,
            remote: Remote::default(),
            selected: 0,
            list_scroll: 0,
            detail_scroll: 0,
            consultations: Vec::new(),
            consultations_requested: false,
            scores: HashMap::new(),
            explaining: None,
            score_error: None,
        }
    }
}

/// all → week → month → year → all.
pub fn next_period(period: Period) -> Period {
    match period {
        Period::All => Period::Week,
        Period::Week => Period::Month,
        Period::Month => Period::Year,
        Period::Year => Period::All,
    }
}

/// None (all) → each item in order → None.
fn cycle<T: Copy + PartialEq>(current: Option<T>, all: &[T]) -> Option<T> {
    match current {
        None => all.first().copied(),
        Some(c) => {
            let i = all.iter().position(|x| *x == c)?;
            all.get(i + 1).copied()
        }
    }
}

impl RankingPane {
    pub fn new() -> RankingPane {
        RankingPane::default()
    }

    /// Whether a leaderboard request is in flight.
    pub fn loading(&self) -> bool {
        self.remote.is_loading()
    }

    pub fn query(&self) -> &LeaderboardQuery {
        &self.query
    }

    pub fn entries(&self) -> &[LeaderboardEntry] {
        self.board.as_ref().map_or(&[], |b| &b.entries)
    }

    pub fn selected(&self) -> Option<&LeaderboardEntry> {
        self.entries().get(self.selected)
    }

    /// The explanation loaded for a participant.
    pub fn score(&self, participant_id: i64) -> Option<&ParticipantScore> {
        self.scores.get(&participant_id)
    }

    /// Take a leaderboard (also for tests), keeping the selection on the same participant.
    pub fn set_board(&mut self, board: LeaderboardResponse) {
        let keep = self.selected().map(|e| e.participant_id);
        self.board = Some(board);
        let n = self.entries().len();
        self.selected = list::clamp(
            keep.and_then(|id| self.entries().iter().position(|e| e.participant_id == id))
                .unwrap_or(0),
            n,
        );
    }

    /// Take the consultations the filter cycles through (also for tests): those that ever
    /// opened, newest first.
    pub fn set_consultations(&mut self, consultations: Vec<Consultation>) {
        let mut list: Vec<&Consultation> = consultations
            .iter()
            .filter(|c| c.status != ConsultationStatus::Draft)
            .collect();
        list.sort_by_key(|c| std::cmp::Reverse(c.opens_at));
        self.consultations = list
            .into_iter()
            .map(|c| ConsultationChoice {
                id: c.id,
                title_fa: c.title_fa.clone(),
                title_en: c.title_en.clone(),
            })
            .collect();
    }

    /// Take an explanation (also for tests).
    pub fn set_score(&mut self, score: ParticipantScore) {
        self.scores.insert(score.participant_id, score);
    }

    pub fn consultation(&self, id: i64) -> Option<&ConsultationChoice> {
        self.consultations.iter().find(|c| c.id == id)
    }

    fn load(&mut self, ctx: &mut PaneCtx) {
        // A request for other filters supersedes the one in flight.
        self.remote.start(ctx.now);
        let query = self.query.clone();
        let client = ctx.client.clone();
        ctx.spawn(async move {
            Answer::Board(BoardAnswer {
                result: client.leaderboard(&query).await,
                query,
            })
        });
    }

    /// The filters changed: start from the top of the new list.
    fn reload(&mut self, ctx: &mut PaneCtx) {
        self.selected = 0;
        self.list_scroll = 0;
        self.detail_scroll = 0;
        self.load(ctx);
    }

    fn explain(&mut self, ctx: &mut PaneCtx) {
        let Some(id) = self.selected().map(|e| e.participant_id) else {
            return;
        };
        if self.explaining == Some(id) {
            return;
        }
        self.explaining = Some(id);
        self.score_error = None;
        let client = ctx.client.clone();
        ctx.spawn(async move {
            Answer::Score(ScoreAnswer {
                participant_id: id,
                result: client.participant_score(id).await,
            })
        });
    }

    fn select(&mut self, index: usize) {
        let index = list::clamp(index, self.entries().len());
        if index != self.selected {
            self.selected = index;
            self.detail_scroll = 0;
        }
    }
}

impl PaneView for RankingPane {
    fn pane(&self) -> Pane {
        Pane::Ranking
    }

    fn refresh(&mut self, ctx: &mut PaneCtx) {
        if !self.consultations_requested {
            self.consultations_requested = true;
            let client = ctx.client.clone();
            ctx.spawn(async move {
                Answer::Consultations(ConsultationsAnswer(client.all_consultations().await))
            });
        }
        self.scores.clear();
        self.load(ctx);
    }

    fn on_action(&mut self, action: Action, ctx: &mut PaneCtx) -> bool {
        let n = self.entries().len();
        match action {
            action if list::is_move(action) => self.select(list::moved(action, self.selected, n)),
            Action::ScrollDown => self.detail_scroll += 1,
            Action::ScrollUp => self.detail_scroll = self.detail_scroll.saturating_sub(1),
            Action::CyclePeriod => {
                self.query.period = next_period(self.query.period);
                self.reload(ctx);
            }
            Action::CycleProvince => {
                self.query.province = cycle(self.query.province, Province::ALL);
                self.reload(ctx);
            }
            Action::CycleCategory => {
                self.query.category = cycle(self.query.category, &Category::ALL);
                self.reload(ctx);
            }
            Action::CycleConsultation => {
                let ids: Vec<i64> = self.consultations.iter().map(|c| c.id).collect();
                self.query.consultation_id = cycle(self.query.consultation_id, &ids);
                self.reload(ctx);
            }
            Action::Explain => self.explain(ctx),
            Action::Refresh => self.refresh(ctx),
            _ => return false,
        }
        true
    }

    fn on_event(&mut self, event: &Event, _ctx: &mut PaneCtx) {
        // Scores move with moderation decisions, ballots and published decisions.
        if matches!(
            event.kind,
            EventKind::CommentDecided { .. }
                | EventKind::BallotCast { .. }
                | EventKind::DecisionsPublished { .. }
        ) {
            self.remote.mark_stale();
        }
    }

    fn on_tick(&mut self, ctx: &mut PaneCtx) {
        if self.remote.reload_due(ctx.now, RELOAD_EVERY, ctx.online) {
            self.load(ctx);
        }
    }

    fn draw(
        &mut self,
        frame: &mut ratatui::Frame,
        area: ratatui::layout::Rect,
        ui: &crate::ui::Ui,
    ) {
        draw::draw(self, frame, area, ui);
    }
}

impl Answers for RankingPane {
    type Answer = Answer;

    fn on_answer(&mut self, answer: Answer, ctx: &mut PaneCtx) {
        match answer {
            Answer::Board(answer) => {
                // An answer for filters since changed is not what is on screen.
                if answer.query != self.query {
                    return;
                }
                match answer.result {
                    Ok(board) => {
                        self.remote.succeeded();
                        self.set_board(board);
                    }
                    Err(e) => {
                        let message = ctx.failed(&e);
                        self.remote.failed(message);
                    }
                }
            }
            Answer::Score(answer) => {
                if self.explaining == Some(answer.participant_id) {
                    self.explaining = None;
                }
                match answer.result {
                    Ok(score) => self.set_score(score),
                    Err(e) => {
                        ctx.failed(&e);
                        self.score_error = Some((answer.participant_id, e.to_string()));
                    }
                }
            }
            Answer::Consultations(answer) => match answer.0 {
                Ok(list) => self.set_consultations(list),
                Err(e) => {
                    self.consultations_requested = false;
                    ctx.failed(&e);
                }
            },
        }
    }
}
