//! The Rationale pane (operators, admins): the approved proposals of a consultation (closed ones
//! are offered first), each with its text, its campaign group's size and its decision; an
//! editor for the outcome, the Persian and the English rationale and the legal basis; and the
//! publication of the consultation's decisions.
//!
//! Drafts save themselves: a field's text is sent (`PUT` with the `version` the editor started
//! from) after a short idle time, when the editor leaves the field or the proposal, and on
//! `save`. A save refused with `409` because someone else saved meanwhile keeps every letter
//! typed here: the other person's text is shown beside it, autosave stops, and the next explicit
//! save (after merging) goes on top of their version. Other editors' saves and publications
//! arrive live and reload the list; a proposal nobody is editing here takes the new text at
//! once, one with unsaved text here shows the conflict before the save is even tried.

mod draw;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use crossterm::event::KeyEvent;
use mosharekat_api::{
    Consultation, ConsultationStatus, DecisionsPublished, Event, EventKind, Outcome, Proposal,
    ProposalDecision, ProposalDecisionRequest,
};
use mosharekat_rtl::EditorState;
use tui_textarea::TextArea;

use super::remote::Remote;
use super::{Answers, PaneCtx, PaneView, list};
use crate::client::proposals::SaveOutcome;
use crate::client::{Client, ClientResult};
use crate::keymap::{Action, Context, Pane};
use crate::ui::{Choice, ChoicePicker, Confirm, DialogResult};

/// How long typing must pause before the draft is saved on its own.
pub const IDLE_SAVE: Duration = Duration::seconds(2);

/// How long to wait before trying again a save the backend could not take.
pub const RETRY_SAVE: Duration = Duration::seconds(5);

/// The three texts of a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Fa,
    En,
    Legal,
}

impl Field {
    pub const ALL: [Field; 3] = [Field::Fa, Field::En, Field::Legal];

    fn index(self) -> usize {
        match self {
            Field::Fa => 0,
            Field::En => 1,
            Field::Legal => 2,
        }
    }

    fn next(self) -> Field {
        Field::ALL[(self.index() + 1) % 3]
    }

    fn prev(self) -> Field {
        Field::ALL[(self.index() + 2) % 3]
    }

    /// The locale key of its title.
    pub fn title_key(self) -> &'static str {
        match self {
            Field::Fa => "pane.rationale.rationale_fa",
            Field::En => "pane.rationale.rationale_en",
            Field::Legal => "pane.rationale.legal_basis",
        }
    }

    /// Its text in a decision.
    pub fn of(self, decision: &ProposalDecision) -> &str {
        match self {
            Field::Fa => &decision.rationale_fa,
            Field::En => &decision.rationale_en,
            Field::Legal => &decision.legal_basis,
        }
    }
}

/// A text area holding `text`, the cursor at its end.
fn text_area(text: &str) -> TextArea<'static> {
    let lines: Vec<String> = if text.is_empty() {
        vec![String::new()]
    } else {
        text.split('\n').map(str::to_owned).collect()
    };
    let mut area = TextArea::new(lines);
    area.move_cursor(tui_textarea::CursorMove::Bottom);
    area.move_cursor(tui_textarea::CursorMove::End);
    area
}

/// The decision being edited for one proposal, and where its saving stands.
pub struct Editor {
    pub proposal_id: i64,
    /// The version the text here started from (0: there was no decision yet).
    pub base_version: i64,
    pub outcome: Option<Outcome>,
    /// The texts and outcome as of `base_version`: what was not changed here since then takes
    /// the other editor's version on a conflict.
    base_texts: [String; 3],
    base_outcome: Option<Outcome>,
    areas: [TextArea<'static>; 3],
    pub(crate) states: [EditorState; 3],
    /// Changes made here, counted; `saved_edits` is how many of them the backend holds.
    edits: u64,
    saved_edits: u64,
    last_edit: Option<DateTime<Utc>>,
    /// The change count a save in flight carries.
    in_flight: Option<u64>,
    /// Save once more when the save in flight answers (the text was left meanwhile).
    again: bool,
    /// No automatic save before this (after the backend could not be reached).
    retry_at: Option<DateTime<Utc>>,
    /// Someone else's decision, saved after the version this text started from.
    pub conflict: Option<ProposalDecision>,
    pub saved_at: Option<DateTime<Utc>>,
    pub saved_by: Option<String>,
    pub error: Option<String>,
    pub published: bool,
}

impl Editor {
    /// An editor over the proposal's decision as the backend last said it.
    pub fn new(proposal: &Proposal) -> Editor {
        let d = proposal.decision.as_ref();
        let text = |f: Field| d.map_or("", |d| f.of(d));
        Editor {
            proposal_id: proposal.comment.id,
            base_version: d.map_or(0, |d| d.version),
            outcome: d.and_then(|d| d.outcome),
            base_texts: Field::ALL.map(|f| text(f).to_owned()),
            base_outcome: d.and_then(|d| d.outcome),
            areas: [
                text_area(text(Field::Fa)),
                text_area(text(Field::En)),
                text_area(text(Field::Legal)),
            ],
            states: Default::default(),
            edits: 0,
            saved_edits: 0,
            last_edit: None,
            in_flight: None,
            again: false,
            retry_at: None,
            conflict: None,
            saved_at: d.map(|d| d.decided_at),
            saved_by: d.map(|d| d.decided_by.clone()),
            error: None,
            published: d.is_some_and(|d| d.published_at.is_some()),
        }
    }

    /// Take the backend's decision as the text here (nothing typed here is unsaved).
    fn adopt(&mut self, decision: &ProposalDecision) {
        self.base_version = decision.version;
        self.outcome = decision.outcome;
        for f in Field::ALL {
            if self.text(f) != f.of(decision) {
                self.areas[f.index()] = text_area(f.of(decision));
            }
        }
        self.set_base(decision);
    }

    /// `decision` is what the backend holds now and this editor's text is based on.
    fn set_base(&mut self, decision: &ProposalDecision) {
        self.base_version = decision.version;
        self.base_texts = Field::ALL.map(|f| f.of(decision).to_owned());
        self.base_outcome = decision.outcome;
        self.saved_at = Some(decision.decided_at);
        self.saved_by = Some(decision.decided_by.clone());
        self.published = decision.published_at.is_some();
    }

    pub fn text(&self, field: Field) -> String {
        self.areas[field.index()].lines().join("\n")
    }

    pub fn area(&self, field: Field) -> &TextArea<'static> {
        &self.areas[field.index()]
    }

    /// Whether something typed or chosen here is not yet held by the backend.
    pub fn dirty(&self) -> bool {
        self.edits != self.saved_edits
    }

    pub fn saving(&self) -> bool {
        self.in_flight.is_some()
    }

    /// Someone saved `current` after the version this text started from. What was not changed
    /// here takes their version at once; what was changed here stays, beside theirs, until the
    /// editor merges and saves.
    fn take_conflict(&mut self, current: ProposalDecision) {
        for f in Field::ALL {
            let i = f.index();
            if self.text(f) == self.base_texts[i] {
                if self.text(f) != f.of(&current) {
                    self.areas[i] = text_area(f.of(&current));
                }
                self.base_texts[i] = f.of(&current).to_owned();
            }
        }
        if self.outcome == self.base_outcome {
            self.outcome = current.outcome;
            self.base_outcome = current.outcome;
        }
        self.published = current.published_at.is_some();
        self.conflict = Some(current);
    }

    fn touch(&mut self, now: DateTime<Utc>) {
        self.edits += 1;
        self.last_edit = Some(now);
        self.error = None;
    }

    /// What a save sends: on top of the other editor's version once a conflict is shown.
    pub fn request(&self) -> ProposalDecisionRequest {
        ProposalDecisionRequest {
            outcome: self.outcome,
            rationale_fa: self.text(Field::Fa),
            rationale_en: self.text(Field::En),
            legal_basis: self.text(Field::Legal),
            version: self
                .conflict
                .as_ref()
                .map_or(self.base_version, |c| c.version),
        }
    }
}

/// What the pane's requests come back with.
pub enum Answer {
    Save(SaveAnswer),
    Proposals(ProposalsAnswer),
    Consultations(ConsultationsAnswer),
    Publish(PublishAnswer),
}

/// The answer to the consultation list request.
pub struct ConsultationsAnswer(pub ClientResult<Vec<Consultation>>);

/// The answer to a proposal list request.
pub struct ProposalsAnswer {
    pub consultation_id: i64,
    pub result: ClientResult<Vec<Proposal>>,
}

/// The answer to a draft save.
pub struct SaveAnswer {
    pub proposal_id: i64,
    /// The change count the save carried.
    pub edits: u64,
    pub result: ClientResult<SaveOutcome>,
}

/// The answer to a publication.
pub struct PublishAnswer {
    pub consultation_id: i64,
    pub result: ClientResult<DecisionsPublished>,
}

/// What the pane has open over its content.
enum Dialog {
    Consultations(ChoicePicker),
    ConfirmPublish(Confirm),
}

/// A line the pane shows under the proposal until the next action: a publication's result or
/// why it was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaneMessage {
    pub text: String,
    pub error: bool,
}

#[derive(Default)]
pub struct RationalePane {
    /// Closed consultations first (see [`order`]).
    consultations: Vec<Consultation>,
    /// The consultation list's load state.
    consultations_state: Remote,
    /// The consultation shown.
    current: Option<i64>,
    proposals: Vec<Proposal>,
    /// The consultation whose proposals are in `proposals`.
    proposals_of: Option<i64>,
    /// The proposal list's load state; stale when asked for again while a load is in flight
    /// (it loads again once that one answers).
    proposals_state: Remote,
    selected: usize,
    list_scroll: usize,
    /// Editors by proposal id; kept while anything in them is unsaved.
    editors: HashMap<i64, Editor>,
    /// The field being typed in, if any.
    focus: Option<Field>,
    /// The field last typed in (highlighted when none is).
    last_field: Option<Field>,
    dialog: Option<Dialog>,
    publishing: bool,
    /// Publish once the saves in flight have answered.
    publish_after_save: bool,
    message: Option<PaneMessage>,
}

/// Sort key of a consultation: closed ones first (most recently closed first), then open ones
/// (closing soonest first), then scheduled, then drafts.
fn order(c: &Consultation) -> (u8, i64) {
    match c.status {
        ConsultationStatus::Closed => (0, -c.closed_at().timestamp()),
        ConsultationStatus::Open => (1, c.closes_at.timestamp()),
        ConsultationStatus::Scheduled => (2, c.opens_at.timestamp()),
        ConsultationStatus::Draft => (3, -c.id),
    }
}

async fn save_request(
    client: Client,
    proposal_id: i64,
    edits: u64,
    request: ProposalDecisionRequest,
) -> SaveAnswer {
    SaveAnswer {
        proposal_id,
        edits,
        result: client.save_decision(proposal_id, &request).await,
    }
}

impl RationalePane {
    pub fn new() -> RationalePane {
        RationalePane::default()
    }

    pub fn consultations(&self) -> &[Consultation] {
        &self.consultations
    }

    pub fn current_consultation(&self) -> Option<&Consultation> {
        let id = self.current?;
        self.consultations.iter().find(|c| c.id == id)
    }

    pub fn proposals(&self) -> &[Proposal] {
        if self.proposals_of.is_some() && self.proposals_of == self.current {
            &self.proposals
        } else {
            &[]
        }
    }

    pub fn selected(&self) -> Option<&Proposal> {
        self.proposals().get(self.selected)
    }

    pub fn editor(&self, proposal_id: i64) -> Option<&Editor> {
        self.editors.get(&proposal_id)
    }

    /// The editor of the selected proposal, if one was opened.
    pub fn current_editor(&self) -> Option<&Editor> {
        self.editors.get(&self.selected()?.comment.id)
    }

    pub fn focus(&self) -> Option<Field> {
        self.focus
    }

    pub fn message(&self) -> Option<&PaneMessage> {
        self.message.as_ref()
    }

    pub fn has_dialog(&self) -> bool {
        self.dialog.is_some()
    }

    /// Take a consultation list (any order): closed first; keeps the choice, else picks the first.
    pub fn set_consultations(&mut self, mut list: Vec<Consultation>) {
        list.sort_by_key(order);
        self.consultations = list;
        self.consultations_state.succeeded();
        if self
            .current
            .is_none_or(|id| !self.consultations.iter().any(|c| c.id == id))
        {
            self.current = self.consultations.first().map(|c| c.id);
        }
    }

    /// Take a proposal list for `consultation_id`, keeping the selection and every unsaved text.
    pub fn set_proposals(&mut self, consultation_id: i64, list: Vec<Proposal>) {
        if self.current != Some(consultation_id) {
            return;
        }
        let keep = if self.proposals_of == Some(consultation_id) {
            self.selected().map(|p| p.comment.id)
        } else {
            None
        };
        self.proposals = list;
        self.proposals_of = Some(consultation_id);
        if let Some(pos) =
            keep.and_then(|id| self.proposals.iter().position(|p| p.comment.id == id))
        {
            self.selected = pos;
        }
        self.selected = list::clamp(self.selected, self.proposals.len());
        for proposal in &self.proposals {
            let Some(editor) = self.editors.get_mut(&proposal.comment.id) else {
                continue;
            };
            let Some(decision) = &proposal.decision else {
                continue;
            };
            if decision.version == editor.base_version || editor.saving() {
                continue;
            }
            if !editor.dirty() && editor.conflict.is_none() {
                editor.adopt(decision);
            } else if editor.dirty()
                && decision.version > editor.base_version
                && editor
                    .conflict
                    .as_ref()
                    .is_none_or(|c| c.version < decision.version)
            {
                // Someone saved while text typed here is unsaved: show theirs now.
                editor.take_conflict(decision.clone());
            }
        }
    }

    fn load_consultations(&mut self, ctx: &mut PaneCtx) {
        if !self.consultations_state.try_start(ctx.now) {
            return;
        }
        let client = ctx.client.clone();
        ctx.spawn(async move {
            Answer::Consultations(ConsultationsAnswer(client.all_consultations().await))
        });
    }

    fn load_proposals(&mut self, ctx: &mut PaneCtx) {
        let Some(id) = self.current else {
            return;
        };
        if !self.proposals_state.try_start(ctx.now) {
            self.proposals_state.mark_stale();
            return;
        }
        let client = ctx.client.clone();
        ctx.spawn(async move {
            Answer::Proposals(ProposalsAnswer {
                consultation_id: id,
                result: client.all_proposals(id).await,
            })
        });
    }

    /// The editor of the selected proposal, opened on first use.
    fn editor_mut(&mut self) -> Option<&mut Editor> {
        let proposal = self.proposals().get(self.selected)?.clone();
        Some(
            self.editors
                .entry(proposal.comment.id)
                .or_insert_with(|| Editor::new(&proposal)),
        )
    }

    /// Send the draft of `proposal_id` now. Automatic saves (`explicit` false) stop while a
    /// conflict is shown: only the editor decides when the merge is done.
    fn save(&mut self, proposal_id: i64, explicit: bool, ctx: &mut PaneCtx) {
        let Some(editor) = self.editors.get_mut(&proposal_id) else {
            return;
        };
        if editor.published || (!explicit && editor.conflict.is_some()) {
            return;
        }
        let merge = explicit && editor.conflict.is_some();
        if !editor.dirty() && !merge {
            return;
        }
        if editor.in_flight.is_some() {
            editor.again = true;
            return;
        }
        editor.in_flight = Some(editor.edits);
        editor.again = false;
        let request = editor.request();
        let client = ctx.client.clone();
        let edits = editor.edits;
        ctx.spawn(
            async move { Answer::Save(save_request(client, proposal_id, edits, request).await) },
        );
    }

    /// Save what the selected proposal's editor holds, if anything is unsaved.
    fn flush_selected(&mut self, ctx: &mut PaneCtx) {
        if let Some(id) = self.selected().map(|p| p.comment.id) {
            self.save(id, false, ctx);
        }
    }

    fn select(&mut self, index: usize, ctx: &mut PaneCtx) {
        let index = list::clamp(index, self.proposals().len());
        if index != self.selected {
            self.flush_selected(ctx);
            self.selected = index;
            self.message = None;
        }
    }

    fn set_outcome(&mut self, outcome: Outcome, ctx: &mut PaneCtx) {
        let now = ctx.now;
        let i18n = ctx.i18n;
        let Some(editor) = self.editor_mut() else {
            return;
        };
        if editor.published {
            ctx.notify(i18n.text("rationale.already_published"));
            return;
        }
        if editor.outcome != Some(outcome) {
            editor.outcome = Some(outcome);
            editor.touch(now);
            let id = editor.proposal_id;
            self.save(id, false, ctx);
        }
    }

    fn edit(&mut self, field: Field, ctx: &mut PaneCtx) {
        let i18n = ctx.i18n;
        let Some(editor) = self.editor_mut() else {
            return;
        };
        if editor.published {
            ctx.notify(i18n.text("rationale.already_published"));
            return;
        }
        self.focus = Some(field);
        self.last_field = Some(field);
        self.message = None;
    }

    /// Leave the field being typed in (saving it), to `next` if given.
    fn leave_field(&mut self, next: Option<Field>, ctx: &mut PaneCtx) {
        self.flush_selected(ctx);
        self.focus = next;
        if next.is_some() {
            self.last_field = next;
        }
    }

    /// After a conflict: their text goes under yours in every field where yours does not
    /// already hold it (and their outcome where you chose none), for merging by hand. The
    /// conflict stays until the merge is saved.
    fn take_theirs(&mut self, ctx: &mut PaneCtx) {
        let now = ctx.now;
        let i18n = ctx.i18n;
        let Some(editor) = self.editor_mut() else {
            return;
        };
        let Some(theirs) = editor.conflict.clone() else {
            ctx.notify(i18n.text("rationale.no_conflict"));
            return;
        };
        for f in Field::ALL {
            let mine = editor.text(f);
            let their = f.of(&theirs);
            if their.trim().is_empty() || mine.contains(their) {
                continue;
            }
            let combined = if mine.trim().is_empty() {
                their.to_owned()
            } else {
                format!("{mine}\n{their}")
            };
            editor.areas[f.index()] = text_area(&combined);
        }
        if editor.outcome.is_none() {
            editor.outcome = theirs.outcome;
        }
        editor.touch(now);
        ctx.notify(i18n.text("rationale.took_theirs"));
    }

    fn open_picker(&mut self, ctx: &mut PaneCtx) {
        let i18n = ctx.i18n;
        if self.consultations.is_empty() {
            ctx.notify(i18n.text("rationale.no_consultations"));
            self.load_consultations(ctx);
            return;
        }
        let persian = i18n.locale().code() == "fa";
        let choices = self
            .consultations
            .iter()
            .map(|c| {
                let title = if persian || c.title_en.trim().is_empty() {
                    &c.title_fa
                } else {
                    &c.title_en
                };
                Choice {
                    code: c.id.to_string(),
                    label: format!(
                        "{} — {}",
                        title,
                        i18n.text(&format!("consultation_status.{}", c.status.as_str()))
                    ),
                }
            })
            .collect();
        let mut picker = ChoicePicker::new(
            i18n.text("pane.rationale.choose_consultation"),
            choices,
            false,
        );
        picker.selected = self
            .current
            .and_then(|id| self.consultations.iter().position(|c| c.id == id))
            .unwrap_or(0);
        self.dialog = Some(Dialog::Consultations(picker));
    }

    fn choose(&mut self, id: i64, ctx: &mut PaneCtx) {
        if self.current == Some(id) {
            return;
        }
        self.flush_selected(ctx);
        self.current = Some(id);
        self.proposals.clear();
        self.proposals_of = None;
        self.proposals_state.clear_error();
        self.selected = 0;
        self.list_scroll = 0;
        self.message = None;
        self.load_proposals(ctx);
    }

    /// What publishing would still need, as a sentence, checked here before asking the backend
    /// (which checks the same and names the proposals too).
    fn missing_for_publication(&self, ctx: &PaneCtx) -> Option<String> {
        let i18n = ctx.i18n;
        let mut no_outcome = Vec::new();
        let mut no_fa = Vec::new();
        let mut no_en = Vec::new();
        for p in self.proposals() {
            let id = p.comment.id;
            let editor = self
                .editors
                .get(&id)
                .filter(|e| p.decision.is_some() || e.dirty() || e.saving());
            let (outcome, fa, en, published) = match editor {
                Some(e) => (e.outcome, e.text(Field::Fa), e.text(Field::En), e.published),
                None => match &p.decision {
                    Some(d) => (
                        d.outcome,
                        d.rationale_fa.clone(),
                        d.rationale_en.clone(),
                        d.published_at.is_some(),
                    ),
                    // Not decided at all: nothing of it is published.
                    None => continue,
                },
            };
            if published {
                continue;
            }
            if outcome.is_none() {
                no_outcome.push(i18n.number(id));
            }
            if fa.trim().is_empty() {
                no_fa.push(i18n.number(id));
            }
            if en.trim().is_empty() {
                no_en.push(i18n.number(id));
            }
        }
        let sep = i18n.text("rationale.list_separator");
        let mut parts = Vec::new();
        for (key, ids) in [
            ("rationale.missing_outcome", no_outcome),
            ("rationale.missing_fa", no_fa),
            ("rationale.missing_en", no_en),
        ] {
            if !ids.is_empty() {
                parts.push(i18n.format(key, &[("ids", &ids.join(sep))]));
            }
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    fn begin_publish(&mut self, ctx: &mut PaneCtx) {
        let i18n = ctx.i18n;
        let Some(c) = self.current_consultation() else {
            return;
        };
        if c.status != ConsultationStatus::Closed {
            self.message = Some(PaneMessage {
                text: i18n.text("rationale.not_closed").to_owned(),
                error: true,
            });
            return;
        }
        if let Some(missing) = self.missing_for_publication(ctx) {
            self.message = Some(PaneMessage {
                text: format!(
                    "{} {missing}",
                    i18n.text("pane.rationale.needs_both_languages")
                ),
                error: true,
            });
            return;
        }
        let persian = i18n.locale().code() == "fa";
        let title = if persian { &c.title_fa } else { &c.title_en }.clone();
        self.dialog = Some(Dialog::ConfirmPublish(Confirm::new(
            i18n.format("confirm.publish_decisions", &[("title", &title)]),
        )));
    }

    /// Publish now, or once every draft of the consultation is saved.
    fn publish(&mut self, ctx: &mut PaneCtx) {
        let Some(id) = self.current else {
            return;
        };
        let ids: Vec<i64> = self.proposals().iter().map(|p| p.comment.id).collect();
        for pid in &ids {
            self.save(*pid, false, ctx);
        }
        let waiting = ids.iter().any(|pid| {
            self.editors
                .get(pid)
                .is_some_and(|e| e.saving() || e.dirty())
        });
        if waiting {
            self.publish_after_save = true;
            return;
        }
        self.publish_after_save = false;
        self.publishing = true;
        let client = ctx.client.clone();
        ctx.spawn(async move {
            Answer::Publish(PublishAnswer {
                consultation_id: id,
                result: client.publish_decisions(id).await,
            })
        });
    }

    fn on_saved(&mut self, answer: SaveAnswer, ctx: &mut PaneCtx) {
        let i18n = ctx.i18n;
        let SaveAnswer {
            proposal_id,
            edits,
            result,
        } = answer;
        let mut decision_now = None;
        {
            let Some(editor) = self.editors.get_mut(&proposal_id) else {
                return;
            };
            editor.in_flight = None;
            match result {
                Ok(SaveOutcome::Saved(decision)) => {
                    editor.set_base(&decision);
                    editor.conflict = None;
                    editor.saved_edits = editor.saved_edits.max(edits);
                    editor.error = None;
                    editor.retry_at = None;
                    decision_now = Some(decision);
                }
                Ok(SaveOutcome::Conflict(conflict)) => {
                    editor.again = false;
                    let current = conflict.current;
                    editor.take_conflict(current.clone());
                    decision_now = Some(current.clone());
                    ctx.notify(i18n.format(
                        "rationale.conflict_by",
                        &[
                            ("user", &current.decided_by),
                            ("version", &i18n.number(current.version)),
                        ],
                    ));
                }
                Err(e) => {
                    editor.again = false;
                    // Published meanwhile, or not reachable: what is typed stays here.
                    editor.error = Some(ctx.failed(&e));
                    if e.is_transient() {
                        editor.retry_at = Some(ctx.now + RETRY_SAVE);
                    }
                    ctx.notify(
                        i18n.format("rationale.save_failed", &[("message", &e.to_string())]),
                    );
                }
            }
        }
        if let Some(decision) = decision_now
            && let Some(row) = self
                .proposals
                .iter_mut()
                .find(|p| p.comment.id == proposal_id)
        {
            row.decision = Some(decision);
        }
        let again = self
            .editors
            .get(&proposal_id)
            .is_some_and(|e| e.again && e.dirty());
        if again {
            self.save(proposal_id, false, ctx);
        }
        if self.publish_after_save {
            let waiting = self
                .proposals()
                .iter()
                .any(|p| self.editors.get(&p.comment.id).is_some_and(Editor::saving));
            if !waiting {
                let blocked = self.proposals().iter().any(|p| {
                    self.editors
                        .get(&p.comment.id)
                        .is_some_and(|e| e.dirty() || e.conflict.is_some())
                });
                if blocked {
                    // A conflict or an error stopped a save: publishing waits for the editor.
                    self.publish_after_save = false;
                    self.message = Some(PaneMessage {
                        text: i18n.text("rationale.publish_waits").to_owned(),
                        error: true,
                    });
                } else {
                    self.publish(ctx);
                }
            }
        }
    }

    fn on_published(&mut self, answer: PublishAnswer, ctx: &mut PaneCtx) {
        let i18n = ctx.i18n;
        self.publishing = false;
        match answer.result {
            Ok(published) => {
                let text = i18n.format(
                    "rationale.published_count",
                    &[
                        ("count", &i18n.number(published.published.len())),
                        ("messages", &i18n.number(published.messages)),
                    ],
                );
                ctx.notify(i18n.text("pane.rationale.published"));
                self.message = Some(PaneMessage { text, error: false });
                for id in published.published {
                    if let Some(e) = self.editors.get_mut(&id) {
                        e.published = true;
                    }
                }
                if self.current == Some(answer.consultation_id) {
                    self.load_proposals(ctx);
                }
            }
            Err(e) => {
                ctx.failed(&e);
                let head = match e.code() {
                    Some("missing_translation") => {
                        i18n.text("pane.rationale.needs_both_languages").to_owned()
                    }
                    Some("consultation_not_closed") => i18n.text("rationale.not_closed").to_owned(),
                    _ => i18n.text("rationale.publish_failed").to_owned(),
                };
                self.message = Some(PaneMessage {
                    text: format!("{head} {e}"),
                    error: true,
                });
            }
        }
    }

    fn on_dialog_action(&mut self, action: Action, ctx: &mut PaneCtx) -> bool {
        let Some(dialog) = self.dialog.take() else {
            return false;
        };
        match dialog {
            Dialog::Consultations(mut picker) => match picker.on_action(action) {
                DialogResult::Open => self.dialog = Some(Dialog::Consultations(picker)),
                DialogResult::Cancelled => {}
                DialogResult::Done(codes) => {
                    if let Some(id) = codes.first().and_then(|c| c.parse().ok()) {
                        self.choose(id, ctx);
                    }
                }
            },
            Dialog::ConfirmPublish(mut confirm) => match confirm.on_action(action) {
                DialogResult::Open => self.dialog = Some(Dialog::ConfirmPublish(confirm)),
                DialogResult::Cancelled => {}
                DialogResult::Done(()) => self.publish(ctx),
            },
        }
        true
    }

    /// Actions while a field is being typed in: save, leave, move to another field.
    fn on_field_action(&mut self, action: Action, ctx: &mut PaneCtx) -> bool {
        let Some(field) = self.focus else {
            return false;
        };
        match action {
            Action::Submit => {
                // Save now and keep typing; once a conflict is shown this is the merge's save.
                if let Some(id) = self.selected().map(|p| p.comment.id) {
                    self.save(id, true, ctx);
                }
            }
            Action::Cancel => self.leave_field(None, ctx),
            Action::NextField => self.leave_field(Some(field.next()), ctx),
            Action::PrevField => self.leave_field(Some(field.prev()), ctx),
            _ => return false,
        }
        true
    }
}

impl PaneView for RationalePane {
    fn pane(&self) -> Pane {
        Pane::Rationale
    }

    fn context(&self) -> Context {
        if self.dialog.is_some() {
            Context::Dialog
        } else if self.focus.is_some() {
            Context::TextField
        } else {
            Context::Pane(Pane::Rationale)
        }
    }

    fn refresh(&mut self, ctx: &mut PaneCtx) {
        self.load_consultations(ctx);
        self.load_proposals(ctx);
    }

    fn on_action(&mut self, action: Action, ctx: &mut PaneCtx) -> bool {
        if self.dialog.is_some() {
            return self.on_dialog_action(action, ctx);
        }
        if self.focus.is_some() {
            return self.on_field_action(action, ctx);
        }
        let n = self.proposals().len();
        match action {
            action if list::is_move(action) => {
                self.select(list::moved(action, self.selected, n), ctx)
            }
            Action::Accept => self.set_outcome(Outcome::Accepted, ctx),
            Action::PartiallyAccept => self.set_outcome(Outcome::PartiallyAccepted, ctx),
            Action::Reject => self.set_outcome(Outcome::Rejected, ctx),
            Action::EditRationaleFa => self.edit(Field::Fa, ctx),
            Action::EditRationaleEn => self.edit(Field::En, ctx),
            Action::EditLegalBasis => self.edit(Field::Legal, ctx),
            Action::Save => {
                if let Some(id) = self.selected().map(|p| p.comment.id) {
                    self.save(id, true, ctx);
                }
            }
            Action::Publish => self.begin_publish(ctx),
            Action::ChooseConsultation => self.open_picker(ctx),
            Action::TakeTheirs => self.take_theirs(ctx),
            Action::Refresh => self.refresh(ctx),
            _ => return false,
        }
        true
    }

    fn on_key(&mut self, key: KeyEvent, ctx: &mut PaneCtx) -> bool {
        let Some(field) = self.focus else {
            return false;
        };
        let now = ctx.now;
        let Some(editor) = self.editor_mut() else {
            return false;
        };
        let i = field.index();
        if editor.states[i].input(&mut editor.areas[i], key) {
            editor.touch(now);
        }
        true
    }

    fn on_event(&mut self, event: &Event, ctx: &mut PaneCtx) {
        match &event.kind {
            EventKind::ProposalDecided {
                consultation_id,
                proposal_id,
                version,
                ..
            } if Some(*consultation_id) == self.current => {
                let known = self
                    .proposals()
                    .iter()
                    .find(|p| p.comment.id == *proposal_id)
                    .and_then(|p| p.decision.as_ref())
                    .map(|d| d.version);
                if known != Some(*version) {
                    self.load_proposals(ctx);
                }
            }
            EventKind::DecisionsPublished {
                consultation_id, ..
            } if Some(*consultation_id) == self.current => self.load_proposals(ctx),
            EventKind::CommentDecided {
                consultation_id, ..
            } if Some(*consultation_id) == self.current => self.load_proposals(ctx),
            EventKind::ConsultationChanged { .. } if self.consultations_state.is_loaded() => {
                self.load_consultations(ctx)
            }
            _ => {}
        }
    }

    fn on_tick(&mut self, ctx: &mut PaneCtx) {
        let now = ctx.now;
        let due: Vec<i64> = self
            .editors
            .values()
            .filter(|e| {
                e.dirty()
                    && !e.saving()
                    && e.conflict.is_none()
                    && !e.published
                    && e.last_edit.is_none_or(|at| now - at >= IDLE_SAVE)
                    && e.retry_at.is_none_or(|at| now >= at)
            })
            .map(|e| e.proposal_id)
            .collect();
        for id in due {
            self.save(id, false, ctx);
        }
    }

    fn on_exit(&mut self, ctx: &mut PaneCtx) {
        // The runtime stops when the app returns: send what is unsaved from a thread of its
        // own, waiting a little (as the queue gives its claims back).
        let pending: Vec<(i64, ProposalDecisionRequest)> = self
            .editors
            .values()
            .filter(|e| e.dirty() && e.conflict.is_none() && !e.published)
            .map(|e| (e.proposal_id, e.request()))
            .collect();
        if pending.is_empty() {
            return;
        }
        let base = ctx.client.base().clone();
        let token = ctx.client.token().map(str::to_owned);
        let worker = std::thread::spawn(move || -> std::io::Result<usize> {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let mut client = Client::new(base);
            if let Some(token) = token {
                client = client.with_token(token);
            }
            runtime.block_on(async move {
                let mut saved = 0;
                for (id, request) in pending {
                    let call = client.save_decision(id, &request);
                    if let Ok(Ok(SaveOutcome::Saved(_))) =
                        tokio::time::timeout(std::time::Duration::from_secs(2), call).await
                    {
                        saved += 1;
                    }
                }
                Ok(saved)
            })
        });
        match worker.join() {
            Ok(Ok(n)) => tracing::info!("saved {n} rationale drafts on exit"),
            Ok(Err(e)) => tracing::warn!("rationale drafts not saved on exit: {e}"),
            Err(_) => tracing::error!("saving rationale drafts on exit panicked"),
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

impl Answers for RationalePane {
    type Answer = Answer;

    fn on_answer(&mut self, answer: Answer, ctx: &mut PaneCtx) {
        match answer {
            Answer::Save(answer) => self.on_saved(answer, ctx),
            Answer::Proposals(answer) => {
                let shown = self.current == Some(answer.consultation_id);
                match answer.result {
                    Ok(list) if shown => {
                        self.proposals_state.succeeded();
                        self.set_proposals(answer.consultation_id, list);
                    }
                    Ok(_) => self.proposals_state.abandoned(),
                    Err(e) => {
                        let message = ctx.failed(&e);
                        if shown {
                            self.proposals_state.failed(message);
                        } else {
                            self.proposals_state.abandoned();
                        }
                    }
                }
                // Again when asked meanwhile or for another consultation; a failed load waits
                // for a refresh, an event or reconnection (no loop while offline).
                if self.proposals_state.is_stale() || !shown {
                    self.load_proposals(ctx);
                }
            }
            Answer::Consultations(answer) => match answer.0 {
                Ok(list) => {
                    let before = self.current;
                    self.set_consultations(list);
                    if self.current != before || self.proposals_of != self.current {
                        self.load_proposals(ctx);
                    }
                }
                Err(e) => {
                    let message = ctx.failed(&e);
                    self.consultations_state.failed(message);
                }
            },
            Answer::Publish(answer) => {
                self.on_published(answer, ctx);
            }
        }
    }
}
