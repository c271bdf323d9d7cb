//! The Queue pane (moderators, admins): claims a batch of pending comments under a lease, shows
//! each through the RTL engine with its thread, consultation, participant and campaign group, and
//! journals approve / reject / hide decisions (with a reason from the server, a note and concern
//! tags) for the app to send after the undo grace time. Arrivals and decisions by others come in
//! live; the lease is renewed while the moderator works; claims are given back on release and on
//! exit.

mod draw;
mod item;
#[cfg(test)]
mod tests;

use crossterm::event::KeyEvent;
use mosharekat_api::{
    BulkDecisionRequest, BulkDecisionResponse, ClaimRequest, ClaimResponse, DecisionRequest, Event,
    EventKind, ModerationAction, ReasonCode, ReleaseResponse, RenewResponse,
};

use super::{Answers, DecisionOutcome, PaneCtx, PaneView, list};
use crate::client::ClientResult;
use crate::journal::{DecisionCall, EntryState};
use crate::keymap::{Action, Context, Pane};
use crate::ui::{Choice, ChoicePicker, Confirm, DialogResult, TextField};

use item::MIN_RENEW_WAIT;
pub use item::{
    DecidedElsewhere, DecisionState, Item, Lease, MAX_TAG_CHARS, MAX_TAGS, MyDecision, parse_tags,
};

/// How many comments one claim takes: about a screenful of list rows.
pub const BATCH: u32 = 20;

/// The longest note the server accepts with a decision (`crates/server/src/reasons.rs`); checked
/// here too so that a note too long is refused while the moderator can still shorten it.
pub const MAX_NOTE_CHARS: usize = 2_000;

/// How long quitting waits for held claims to be given back; after that their lease runs out.
const EXIT_RELEASE_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// The reason the server accepts only with a note ("Other (explain in the note)").
const REASON_NEEDING_NOTE: &str = "other";

/// What the pane's requests come back with.
pub enum Answer {
    Claimed(ClientResult<ClaimResponse>),
    Renewed(ClientResult<RenewResponse>),
    Released(ClientResult<ReleaseResponse>),
    Reasons(ClientResult<Vec<ReasonCode>>),
}

/// A decision waiting for the last step before it is journaled.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Draft {
    action: ModerationAction,
    reason: Option<String>,
}

/// What the pane has open over the list.
enum Dialog {
    Reason {
        action: ModerationAction,
        picker: ChoicePicker,
    },
    /// The note for the next decision; `then` is a decision that waits for it.
    Note {
        field: TextField,
        then: Option<Draft>,
    },
    /// Comma-separated concern tags of one comment.
    Tags {
        comment_id: i64,
        field: TextField,
    },
    ConfirmGroup {
        confirm: Confirm,
        draft: Draft,
    },
    ConfirmRelease(Confirm),
}

pub struct QueuePane {
    items: Vec<Item>,
    selected: usize,
    /// First list row shown.
    list_scroll: usize,
    /// Rows of the detail view scrolled away.
    detail_scroll: usize,
    show_thread: bool,
    claiming: bool,
    /// A claim was answered at least once (so an empty list means an empty queue).
    claimed_once: bool,
    error: Option<String>,
    lease: Option<Lease>,
    /// The tokens of a renewal in flight.
    renewing: Option<Vec<String>>,
    reasons: Vec<ReasonCode>,
    reasons_loading: bool,
    /// Goes with the next decision.
    note: Option<String>,
    /// The next decision applies to the selected comment's whole campaign group.
    group_armed: bool,
    dialog: Option<Dialog>,
    /// Keys of this session's decisions that `undo` may still take back, newest last.
    history: Vec<String>,
    /// Comments that arrived in the queue since the last claim.
    new_arrivals: i64,
}

impl Default for QueuePane {
    fn default() -> Self {
        QueuePane {
            items: Vec::new(),
            selected: 0,
            list_scroll: 0,
            detail_scroll: 0,
            show_thread: true,
            claiming: false,
            claimed_once: false,
            error: None,
            lease: None,
            renewing: None,
            reasons: Vec::new(),
            reasons_loading: false,
            note: None,
            group_armed: false,
            dialog: None,
            history: Vec::new(),
            new_arrivals: 0,
        }
    }
}

impl QueuePane {
    pub fn new() -> QueuePane {
        QueuePane::default()
    }

    pub fn items(&self) -> &[Item] {
        &self.items
    }

    pub fn selected(&self) -> Option<&Item> {
        self.items.get(self.selected)
    }

    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    pub fn group_armed(&self) -> bool {
        self.group_armed
    }

    pub fn new_arrivals(&self) -> i64 {
        self.new_arrivals
    }

    pub fn lease(&self) -> Option<Lease> {
        self.lease
    }

    /// Whether a dialog or text field is open.
    pub fn has_dialog(&self) -> bool {
        self.dialog.is_some()
    }

    /// Claim tokens of the comments whose claim must be kept alive.
    fn live_tokens(&self) -> Vec<String> {
        self.items
            .iter()
            .filter(|i| i.needs_claim())
            .map(|i| i.claimed.claim_token.clone())
            .collect()
    }

    /// Claim tokens of the comments nothing is decided for yet (what release gives back).
    fn undecided_tokens(&self) -> Vec<String> {
        self.items
            .iter()
            .filter(|i| i.undecided())
            .map(|i| i.claimed.claim_token.clone())
            .collect()
    }

    fn claim(&mut self, ctx: &mut PaneCtx) {
        if self.claiming {
            return;
        }
        let held = self.items.iter().filter(|i| i.undecided()).count() as u32;
        let request = ClaimRequest {
            consultation_id: None,
            limit: BATCH.saturating_sub(held).max(1),
        };
        self.claiming = true;
        let client = ctx.client.clone();
        ctx.spawn(async move { Answer::Claimed(client.claim(&request).await) });
    }

    fn fetch_reasons(&mut self, ctx: &mut PaneCtx) {
        if self.reasons_loading || !self.reasons.is_empty() {
            return;
        }
        self.reasons_loading = true;
        let client = ctx.client.clone();
        ctx.spawn(async move { Answer::Reasons(client.reasons().await) });
    }

    fn renew(&mut self, ctx: &mut PaneCtx) {
        let tokens = self.live_tokens();
        if tokens.is_empty() || self.renewing.is_some() {
            return;
        }
        self.renewing = Some(tokens.clone());
        let client = ctx.client.clone();
        ctx.spawn(async move { Answer::Renewed(client.renew(tokens).await) });
    }

    /// Give back the claims nothing is decided for; they leave the list at once (a failed
    /// release only means the lease runs out on its own, since they are no longer renewed).
    fn release(&mut self, ctx: &mut PaneCtx) {
        let tokens = self.undecided_tokens();
        if tokens.is_empty() {
            return;
        }
        let selected_id = self.selected().map(Item::id);
        self.items.retain(|i| !i.undecided());
        self.reselect(selected_id);
        let client = ctx.client.clone();
        ctx.spawn(async move { Answer::Released(client.release(tokens).await) });
    }

    fn on_claimed(&mut self, result: ClientResult<ClaimResponse>, ctx: &mut PaneCtx) {
        self.claiming = false;
        let response = match result {
            Ok(response) => response,
            Err(e) => {
                self.error = Some(ctx.failed(&e));
                return;
            }
        };
        self.error = None;
        self.claimed_once = true;
        self.new_arrivals = 0;
        let selected_id = self.selected().map(Item::id);
        // Finished comments make room for the new batch; refusals they carried have been seen.
        for item in self.items.iter().filter(|i| i.finished()) {
            if let Some(d) = &item.decision {
                dismiss_failed(ctx, &d.key);
            }
        }
        self.items.retain(|i| !i.finished());
        let older_claims = !self.items.is_empty();
        for claimed in response.items {
            match self.items.iter_mut().find(|i| i.id() == claimed.comment.id) {
                // Claimed again after the lease ran out: the new token is the live one.
                Some(item) => item.claimed = claimed,
                None => self.items.push(Item::new(claimed)),
            }
        }
        let lease = Lease::new(ctx.now, response.lease_expires_at);
        self.lease = Some(match self.lease {
            // Claims held from before end sooner: renew them all at the earlier time.
            Some(old) if older_claims => Lease {
                expires_at: old.expires_at.min(lease.expires_at),
                renew_at: old.renew_at.min(lease.renew_at),
            },
            _ => lease,
        });
        self.reselect(selected_id);
        if self.selected().is_some_and(|i| !i.undecided()) {
            self.select_next_undecided();
        }
    }

    fn on_renewed(&mut self, result: ClientResult<RenewResponse>, ctx: &mut PaneCtx) {
        let asked = self.renewing.take().unwrap_or_default();
        match result {
            Ok(response) => {
                self.lease = Some(Lease::new(ctx.now, response.lease_expires_at));
                // Claims still undecided that the server did not extend have gone back.
                let expected = asked
                    .iter()
                    .filter(|t| {
                        self.items
                            .iter()
                            .any(|i| &i.claimed.claim_token == *t && i.undecided())
                    })
                    .count() as u64;
                let lost = expected.saturating_sub(response.renewed);
                if lost > 0 {
                    let message = ctx.i18n.count("pane.queue.lease_lost", lost as i64, &[]);
                    ctx.notify(message);
                }
            }
            Err(e) => {
                if let Some(lease) = &mut self.lease {
                    lease.renew_at = ctx.now + MIN_RENEW_WAIT;
                }
                let i18n = ctx.i18n;
                let message = ctx.failed(&e);
                if !e.is_transient() {
                    ctx.notify(format!(
                        "{}: {message}",
                        i18n.text("pane.queue.lease_renew_failed")
                    ));
                } else if ctx.online {
                    // Said once, when the connection drops, not at every retry.
                    ctx.notify(i18n.text("pane.queue.lease_renew_failed"));
                }
            }
        }
    }

    fn on_released(&mut self, result: ClientResult<ReleaseResponse>, ctx: &mut PaneCtx) {
        let i18n = ctx.i18n;
        match result {
            Ok(_) => ctx.notify(i18n.text("pane.queue.released")),
            Err(e) => {
                let message = ctx.failed(&e);
                ctx.notify(i18n.format("error.generic", &[("message", &message)]));
            }
        }
    }

    /// Keep the selection on comment `id` if it is still listed, else near where it was.
    fn reselect(&mut self, id: Option<i64>) {
        if let Some(pos) = id.and_then(|id| self.items.iter().position(|i| i.id() == id)) {
            self.selected = pos;
        }
        self.selected = list::clamp(self.selected, self.items.len());
    }

    fn select(&mut self, index: usize) {
        let index = list::clamp(index, self.items.len());
        if index != self.selected {
            self.selected = index;
            self.detail_scroll = 0;
        }
    }

    /// Move to the next comment nobody has decided, after the selected one, wrapping around.
    fn select_next_undecided(&mut self) {
        let n = self.items.len();
        if let Some(next) = (1..=n)
            .map(|step| (self.selected + step) % n)
            .find(|&i| self.items[i].undecided())
        {
            self.select(next);
        }
    }

    /// Approve, reject or hide the selected comment (or its group, when armed).
    fn begin_decision(&mut self, action: ModerationAction, ctx: &mut PaneCtx) {
        let i18n = ctx.i18n;
        let Some(item) = self.selected() else {
            return;
        };
        if let Some(other) = &item.elsewhere {
            ctx.notify(i18n.format("pane.queue.decided_elsewhere", &[("user", &other.user)]));
            return;
        }
        if !item.decidable() {
            ctx.notify(i18n.text("pane.queue.already_decided_here"));
            return;
        }
        if !action.needs_reason() {
            self.proceed(
                Draft {
                    action,
                    reason: None,
                },
                ctx,
            );
            return;
        }
        if self.reasons.is_empty() {
            ctx.notify(i18n.text("pane.queue.reasons_unavailable"));
            self.fetch_reasons(ctx);
            return;
        }
        let persian = i18n.locale().code() == "fa";
        let choices: Vec<Choice> = self
            .reasons
            .iter()
            .filter(|r| r.actions.contains(&action))
            .map(|r| Choice {
                code: r.code.clone(),
                label: if persian { &r.label_fa } else { &r.label_en }.clone(),
            })
            .collect();
        let title = i18n.format(
            "pane.queue.reason_prompt",
            &[("decision", i18n.text(&action_key(action)))],
        );
        self.dialog = Some(Dialog::Reason {
            action,
            picker: ChoicePicker::new(title, choices, false),
        });
    }

    /// The reason is known: ask for a note it needs, confirm a group decision, or journal it.
    fn proceed(&mut self, draft: Draft, ctx: &mut PaneCtx) {
        let i18n = ctx.i18n;
        if draft.reason.as_deref() == Some(REASON_NEEDING_NOTE) && self.note.is_none() {
            let reason = self.reason_label(REASON_NEEDING_NOTE, i18n.locale().code() == "fa");
            let message = i18n.format("pane.queue.reason_needs_note", &[("reason", &reason)]);
            self.dialog = Some(Dialog::Note {
                field: TextField::without_ui(message.clone(), ""),
                then: Some(draft),
            });
            ctx.notify(message);
            return;
        }
        if self.group_armed {
            let Some(item) = self.selected() else {
                return;
            };
            let message = i18n.format(
                "confirm.group_decision",
                &[
                    ("decision", i18n.text(&action_key(draft.action))),
                    ("count", &i18n.locale().grouped(item.group_size())),
                ],
            );
            self.dialog = Some(Dialog::ConfirmGroup {
                confirm: Confirm::new(message),
                draft,
            });
            return;
        }
        self.record_single(draft, ctx);
    }

    fn reason_label(&self, code: &str, persian: bool) -> String {
        self.reasons.iter().find(|r| r.code == code).map_or_else(
            || code.to_owned(),
            |r| if persian { &r.label_fa } else { &r.label_en }.clone(),
        )
    }

    fn record_single(&mut self, draft: Draft, ctx: &mut PaneCtx) {
        let Some(item) = self.items.get(self.selected) else {
            return;
        };
        let request = DecisionRequest {
            action: draft.action,
            reason_code: draft.reason,
            note: self.note.clone(),
            tags: item.tags.clone(),
            claim_token: Some(item.claimed.claim_token.clone()),
        };
        let call = DecisionCall::Single {
            comment_id: item.id(),
            request,
        };
        let Some(key) = record(ctx, call) else {
            return;
        };
        let undo_until = ctx.now + ctx.grace;
        let note = self.note.take();
        let item = &mut self.items[self.selected];
        if let Some(old) = &item.decision {
            dismiss_failed(ctx, &old.key);
        }
        item.decision = Some(MyDecision {
            key: key.clone(),
            action: draft.action,
            group: false,
            state: DecisionState::Pending,
            note,
            undo_until,
        });
        self.history.push(key);
        self.select_next_undecided();
    }

    fn record_group(&mut self, draft: Draft, ctx: &mut PaneCtx) {
        self.group_armed = false;
        let Some(item) = self.items.get(self.selected) else {
            return;
        };
        let group = item.group_id();
        let request = BulkDecisionRequest {
            ids: Vec::new(),
            duplicate_group_id: Some(group),
            action: draft.action,
            reason_code: draft.reason,
            note: self.note.clone(),
            tags: item.tags.clone(),
        };
        let Some(key) = record(ctx, DecisionCall::Bulk { request }) else {
            return;
        };
        let undo_until = ctx.now + ctx.grace;
        let note = self.note.take();
        for item in self
            .items
            .iter_mut()
            .filter(|i| i.group_id() == group && i.decidable())
        {
            if let Some(old) = &item.decision {
                dismiss_failed(ctx, &old.key);
            }
            item.decision = Some(MyDecision {
                key: key.clone(),
                action: draft.action,
                group: true,
                state: DecisionState::Pending,
                note: note.clone(),
                undo_until,
            });
        }
        self.history.push(key);
        self.select_next_undecided();
    }

    fn undo(&mut self, ctx: &mut PaneCtx) {
        let i18n = ctx.i18n;
        let Some(key) = self.history.pop() else {
            ctx.notify(i18n.text("pane.queue.nothing_to_undo"));
            return;
        };
        if !ctx.undo_decision(&key) {
            ctx.notify(i18n.text("pane.queue.undo_too_late"));
            return;
        }
        let mut first = None;
        for (index, item) in self.items.iter_mut().enumerate() {
            if item.decision.as_ref().is_some_and(|d| d.key == key) {
                let decision = item.decision.take();
                if first.is_none() {
                    first = Some(index);
                    if self.note.is_none() {
                        self.note = decision.and_then(|d| d.note);
                    }
                }
            }
        }
        if let Some(index) = first {
            self.select(index);
        }
        ctx.notify(i18n.text("pane.queue.undone"));
    }

    fn toggle_group(&mut self, ctx: &mut PaneCtx) {
        let i18n = ctx.i18n;
        if self.group_armed {
            self.group_armed = false;
            ctx.notify(i18n.text("pane.queue.group_off"));
            return;
        }
        let Some(size) = self.selected().map(Item::group_size) else {
            return;
        };
        if size <= 1 {
            ctx.notify(i18n.text("pane.queue.unique"));
            return;
        }
        self.group_armed = true;
        ctx.notify(i18n.count("pane.queue.group_armed", size, &[]));
    }

    fn open_tags(&mut self, ctx: &mut PaneCtx) {
        let Some(item) = self.selected() else {
            return;
        };
        self.dialog = Some(Dialog::Tags {
            comment_id: item.id(),
            field: TextField::without_ui(
                ctx.i18n.text("pane.queue.tags_prompt"),
                &item.tags.join("، "),
            ),
        });
    }

    fn on_dialog_action(&mut self, action: Action, ctx: &mut PaneCtx) -> bool {
        let Some(dialog) = self.dialog.take() else {
            return false;
        };
        let i18n = ctx.i18n;
        match dialog {
            Dialog::Reason {
                action: act,
                mut picker,
            } => match picker.on_action(action) {
                DialogResult::Open => {
                    self.dialog = Some(Dialog::Reason {
                        action: act,
                        picker,
                    })
                }
                DialogResult::Cancelled => {}
                DialogResult::Done(codes) => match codes.into_iter().next() {
                    Some(code) => self.proceed(
                        Draft {
                            action: act,
                            reason: Some(code),
                        },
                        ctx,
                    ),
                    None => ctx.notify(i18n.text("pane.queue.reason_required")),
                },
            },
            Dialog::ConfirmGroup { mut confirm, draft } => match confirm.on_action(action) {
                DialogResult::Open => self.dialog = Some(Dialog::ConfirmGroup { confirm, draft }),
                DialogResult::Cancelled => {
                    self.group_armed = false;
                    ctx.notify(i18n.text("pane.queue.group_off"));
                }
                DialogResult::Done(()) => self.record_group(draft, ctx),
            },
            Dialog::ConfirmRelease(mut confirm) => match confirm.on_action(action) {
                DialogResult::Open => self.dialog = Some(Dialog::ConfirmRelease(confirm)),
                DialogResult::Cancelled => {}
                DialogResult::Done(()) => self.release(ctx),
            },
            Dialog::Note { field, then } => match action {
                Action::Submit => {
                    let text = field.text().trim().to_owned();
                    if text.chars().count() > MAX_NOTE_CHARS {
                        ctx.notify(i18n.format(
                            "pane.queue.note_too_long",
                            &[("max", &i18n.number(MAX_NOTE_CHARS))],
                        ));
                        self.dialog = Some(Dialog::Note { field, then });
                        return true;
                    }
                    if text.is_empty() && then.is_some() {
                        // The waiting decision needs a note: keep asking.
                        ctx.notify(i18n.text("pane.queue.note_required"));
                        self.dialog = Some(Dialog::Note { field, then });
                        return true;
                    }
                    self.note = (!text.is_empty()).then_some(text);
                    if let Some(draft) = then {
                        self.proceed(draft, ctx);
                    }
                }
                Action::Cancel => {}
                _ => self.dialog = Some(Dialog::Note { field, then }),
            },
            Dialog::Tags { comment_id, field } => match action {
                Action::Submit => match parse_tags(&field.text()) {
                    Some(tags) => {
                        if let Some(item) = self.items.iter_mut().find(|i| i.id() == comment_id) {
                            item.tags = tags;
                        }
                    }
                    None => {
                        ctx.notify(i18n.format(
                            "pane.queue.tags_invalid",
                            &[
                                ("max", &i18n.number(MAX_TAGS)),
                                ("length", &i18n.number(MAX_TAG_CHARS)),
                            ],
                        ));
                        self.dialog = Some(Dialog::Tags { comment_id, field });
                    }
                },
                Action::Cancel => {}
                _ => self.dialog = Some(Dialog::Tags { comment_id, field }),
            },
        }
        true
    }
}

/// Journal `call`; on failure say so and record nothing.
fn record(ctx: &mut PaneCtx, call: DecisionCall) -> Option<String> {
    match ctx.record_decision(call) {
        Ok(key) => Some(key),
        Err(e) => {
            let i18n = ctx.i18n;
            ctx.notify(i18n.format("error.generic", &[("message", &e.to_string())]));
            None
        }
    }
}

/// Drop a refused decision from the journal once the moderator has seen it on its comment.
fn dismiss_failed(ctx: &mut PaneCtx, key: &str) {
    if ctx
        .journal
        .get(key)
        .is_some_and(|e| matches!(e.state, EntryState::Failed { .. }))
        && let Err(e) = ctx.journal.cancel(key)
    {
        tracing::error!("journal: {e}");
    }
}

/// The locale key naming `action` (`action.approve`, …).
fn action_key(action: ModerationAction) -> String {
    format!("action.{}", action.as_str())
}

impl PaneView for QueuePane {
    fn pane(&self) -> Pane {
        Pane::Queue
    }

    fn context(&self) -> Context {
        match &self.dialog {
            None => Context::Pane(Pane::Queue),
            Some(Dialog::Note { .. } | Dialog::Tags { .. }) => Context::TextField,
            Some(_) => Context::Dialog,
        }
    }

    /// First show, refresh and reconnection: the reasons once, and a batch when nothing
    /// undecided is held.
    fn refresh(&mut self, ctx: &mut PaneCtx) {
        self.fetch_reasons(ctx);
        if !self.items.iter().any(Item::undecided) {
            self.claim(ctx);
        }
    }

    fn on_action(&mut self, action: Action, ctx: &mut PaneCtx) -> bool {
        if self.dialog.is_some() {
            return self.on_dialog_action(action, ctx);
        }
        let n = self.items.len();
        match action {
            action if list::is_move(action) => self.select(list::moved(action, self.selected, n)),
            Action::ScrollDown => self.detail_scroll += 1,
            Action::ScrollUp => self.detail_scroll = self.detail_scroll.saturating_sub(1),
            Action::ToggleThread => {
                self.show_thread = !self.show_thread;
                self.detail_scroll = 0;
            }
            Action::Approve => self.begin_decision(ModerationAction::Approve, ctx),
            Action::Reject => self.begin_decision(ModerationAction::Reject, ctx),
            Action::Hide => self.begin_decision(ModerationAction::Hide, ctx),
            Action::Note => {
                self.dialog = Some(Dialog::Note {
                    field: TextField::without_ui(
                        ctx.i18n.text("pane.queue.note_title"),
                        self.note.as_deref().unwrap_or(""),
                    ),
                    then: None,
                });
            }
            Action::Tag => self.open_tags(ctx),
            Action::ActOnGroup => self.toggle_group(ctx),
            Action::Undo => self.undo(ctx),
            Action::ClaimNext => {
                // Refusals shown on comments or in the banner have been seen by now.
                let failed: Vec<String> = ctx.journal.failed().map(|e| e.key.clone()).collect();
                for key in failed {
                    dismiss_failed(ctx, &key);
                }
                self.claim(ctx);
            }
            Action::Release => {
                let count = self.undecided_tokens().len();
                let i18n = ctx.i18n;
                if count == 0 {
                    ctx.notify(i18n.text("pane.queue.nothing_to_release"));
                } else {
                    self.dialog = Some(Dialog::ConfirmRelease(Confirm::new(i18n.format(
                        "confirm.release_claims",
                        &[("count", &i18n.locale().grouped(count as i64))],
                    ))));
                }
            }
            Action::Refresh => self.refresh(ctx),
            _ => return false,
        }
        true
    }

    fn on_key(&mut self, key: KeyEvent, _ctx: &mut PaneCtx) -> bool {
        match &mut self.dialog {
            Some(Dialog::Note { field, .. } | Dialog::Tags { field, .. }) => {
                field.on_key(key);
                true
            }
            _ => false,
        }
    }

    fn on_event(&mut self, event: &Event, ctx: &mut PaneCtx) {
        match &event.kind {
            EventKind::CommentCreated { .. } => self.new_arrivals += 1,
            EventKind::CommentDecided {
                comment_id,
                status,
                decided_by,
                ..
            } if decided_by != ctx.username => {
                let Some(index) = self.items.iter().position(|i| i.id() == *comment_id) else {
                    return;
                };
                let i18n = ctx.i18n;
                let item = &mut self.items[index];
                item.elsewhere = Some(DecidedElsewhere {
                    user: decided_by.clone(),
                    status: *status,
                });
                // Our own decision on it, still unsent, would now overwrite theirs as a
                // revision: take it back while we can.
                let withdrawable = item
                    .decision
                    .as_ref()
                    .filter(|d| !d.group && d.state == DecisionState::Pending)
                    .map(|d| d.key.clone());
                if let Some(key) = withdrawable
                    && ctx.undo_decision(&key)
                {
                    item.decision = None;
                    self.history.retain(|k| *k != key);
                    ctx.notify(
                        i18n.format("pane.queue.decision_withdrawn", &[("user", decided_by)]),
                    );
                } else {
                    ctx.notify(
                        i18n.format("pane.queue.decided_elsewhere", &[("user", decided_by)]),
                    );
                }
            }
            _ => {}
        }
    }

    fn on_decision(&mut self, key: &str, outcome: &DecisionOutcome, ctx: &mut PaneCtx) {
        self.history.retain(|k| k != key);
        let i18n = ctx.i18n;
        let mine = |item: &Item| item.decision.as_ref().is_some_and(|d| d.key == key);
        let group = self
            .items
            .iter()
            .find(|i| mine(i))
            .and_then(|i| i.decision.as_ref())
            .map(|d| d.group);
        let Some(group) = group else {
            // A decision of an earlier session: the app already reports failures.
            return;
        };
        match outcome {
            DecisionOutcome::Applied(answer) if group => {
                let answer: Option<BulkDecisionResponse> =
                    serde_json::from_value(answer.clone()).ok();
                for item in self.items.iter_mut().filter(|i| mine(i)) {
                    let id = item.id();
                    let skip = answer
                        .as_ref()
                        .and_then(|a| a.skipped.iter().find(|s| s.id == id));
                    if let Some(decision) = &mut item.decision {
                        decision.state = match skip {
                            Some(skip) => DecisionState::Failed(
                                i18n.text(&format!("pane.queue.skipped.{}", skip.code))
                                    .to_owned(),
                            ),
                            None => DecisionState::Applied,
                        };
                    }
                }
                if let Some(answer) = answer {
                    ctx.notify(i18n.format(
                        "pane.queue.group_result",
                        &[
                            ("decided", &i18n.number(answer.decided.len())),
                            ("skipped", &i18n.number(answer.skipped.len())),
                        ],
                    ));
                }
            }
            DecisionOutcome::Applied(_) => {
                for item in self.items.iter_mut().filter(|i| mine(i)) {
                    if let Some(decision) = &mut item.decision {
                        decision.state = DecisionState::Applied;
                    }
                }
            }
            DecisionOutcome::Refused(message) => {
                for item in self.items.iter_mut().filter(|i| mine(i)) {
                    if let Some(decision) = &mut item.decision {
                        decision.state = DecisionState::Failed(message.clone());
                    }
                }
                ctx.notify(i18n.format("pane.queue.refused", &[("message", message)]));
            }
        }
    }

    fn on_tick(&mut self, ctx: &mut PaneCtx) {
        if self.lease.is_some_and(|l| ctx.now >= l.renew_at) {
            self.renew(ctx);
        }
    }

    fn on_exit(&mut self, ctx: &mut PaneCtx) {
        // Comments with a decision on its way keep their claim: the journal sends the decision
        // at the next start and it needs the claim if that start is soon.
        let tokens = self.undecided_tokens();
        if tokens.is_empty() {
            return;
        }
        let base = ctx.client.base().clone();
        let token = ctx.client.token().map(str::to_owned);
        // The console's runtime stops as soon as the app returns, and requests spawned on it
        // stop with it: give the claims back from a thread of its own, waiting a little.
        let worker = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let mut client = crate::client::Client::new(base);
            if let Some(token) = token {
                client = client.with_token(token);
            }
            runtime
                .block_on(async move {
                    tokio::time::timeout(EXIT_RELEASE_WAIT, client.release(tokens)).await
                })
                .map_err(std::io::Error::other)?
                .map_err(std::io::Error::other)
        });
        match worker.join() {
            Ok(Ok(answer)) => tracing::info!("released {} claims on exit", answer.released),
            Ok(Err(e)) => tracing::warn!("claims not released on exit (their lease runs out): {e}"),
            Err(_) => tracing::error!("the release on exit panicked"),
        }
        self.items.retain(|i| !i.undecided());
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

impl Answers for QueuePane {
    type Answer = Answer;

    fn on_answer(&mut self, answer: Answer, ctx: &mut PaneCtx) {
        match answer {
            Answer::Claimed(result) => self.on_claimed(result, ctx),
            Answer::Renewed(result) => self.on_renewed(result, ctx),
            Answer::Released(result) => self.on_released(result, ctx),
            Answer::Reasons(result) => {
                self.reasons_loading = false;
                match result {
                    Ok(reasons) => self.reasons = reasons,
                    Err(e) => tracing::warn!("reasons: {}", ctx.failed(&e)),
                }
            }
        }
    }
}
