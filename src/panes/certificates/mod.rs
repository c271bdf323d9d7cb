//! The Certificates pane (admins): the certificates the rules proposed, with the evidence behind
//! each (the contributions, the score, the place in the ranking); approve one, reject one with a
//! reason typed in the RTL-aware text field, mark several and approve them after one
//! confirmation, revoke an issued one with a reason, and run the proposal rules now. An issued
//! certificate shows its verification code and a QR code of its verification URL.
//!
//! Writes go straight to the backend (they are not journaled like moderation decisions: each is
//! one admin's deliberate act, refused by the backend when the certificate moved on meanwhile).
//! Changes by others come in live and reload the list.

mod draw;
pub mod qr;
#[cfg(test)]
pub(crate) mod tests;

use std::collections::{BTreeSet, HashMap};

use chrono::Duration;
use crossterm::event::KeyEvent;
use mosharekat_api::certificate::MAX_REASON_CHARS;
use mosharekat_api::{
    BulkApproveResponse, Certificate, CertificateStatus, Event, EventKind, ProposeResponse,
    PublicCertificate,
};

use super::remote::Remote;
use super::{Answers, PaneCtx, PaneView, list};
use crate::client::ClientResult;
use crate::keymap::{Action, Context, Pane};
use crate::ui::{Confirm, DialogResult, TextField};

/// The shortest time between two list reloads caused by live events.
const RELOAD_EVERY: Duration = Duration::seconds(2);

/// Which certificates the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    /// Every status, proposed first.
    #[default]
    All,
    Only(CertificateStatus),
}

impl Filter {
    /// all → proposed → approved → rejected → revoked → all.
    pub fn next(self) -> Filter {
        use CertificateStatus::*;
        match self {
            Filter::All => Filter::Only(Proposed),
            Filter::Only(Proposed) => Filter::Only(Approved),
            Filter::Only(Approved) => Filter::Only(Rejected),
            Filter::Only(Rejected) => Filter::Only(Revoked),
            Filter::Only(Revoked) => Filter::All,
        }
    }

    pub fn status(self) -> Option<CertificateStatus> {
        match self {
            Filter::All => None,
            Filter::Only(s) => Some(s),
        }
    }
}

/// Order of statuses in the list: what waits for a decision first.
fn status_rank(status: CertificateStatus) -> u8 {
    match status {
        CertificateStatus::Proposed => 0,
        CertificateStatus::Approved => 1,
        CertificateStatus::Rejected => 2,
        CertificateStatus::Revoked => 3,
    }
}

/// A write in flight on one certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Approve,
    Reject,
    Revoke,
}

/// What the pane's requests come back with.
#[allow(
    clippy::large_enum_variant,
    reason = "moved once, into a boxed `PaneAnswer`"
)]
pub enum Answer {
    List(ListAnswer),
    Write(WriteAnswer),
    Bulk(BulkAnswer),
    Public(PublicAnswer),
    Propose(ProposeAnswer),
}

/// The answer to a list load.
pub struct ListAnswer {
    pub filter: Filter,
    /// The certificates, and whether more were left unread.
    pub result: ClientResult<(Vec<Certificate>, bool)>,
}

/// The answer to a write on one certificate.
pub struct WriteAnswer {
    pub id: i64,
    pub op: Op,
    pub result: ClientResult<Certificate>,
}

/// The answer to a bulk approval.
pub struct BulkAnswer {
    pub ids: Vec<i64>,
    pub result: ClientResult<BulkApproveResponse>,
}

/// The answer to running the proposal rules.
pub struct ProposeAnswer(pub ClientResult<ProposeResponse>);

/// The public view of an issued certificate (for its verification URL).
pub struct PublicAnswer {
    pub code: String,
    pub result: ClientResult<PublicCertificate>,
}

/// What the pane has open over the list.
enum Dialog {
    Reject {
        id: i64,
        field: TextField,
    },
    RevokeReason {
        id: i64,
        code: String,
        field: TextField,
    },
    ConfirmRevoke {
        id: i64,
        reason: String,
        confirm: Confirm,
    },
    ConfirmBulk {
        ids: Vec<i64>,
        confirm: Confirm,
    },
    /// The QR code of the selected certificate, as large as the pane allows.
    Qr,
}

#[derive(Default)]
pub struct CertificatesPane {
    filter: Filter,
    items: Vec<Certificate>,
    /// More certificates than one load reads exist.
    truncated: bool,
    /// The list's load state.
    remote: Remote,
    selected: usize,
    list_scroll: usize,
    detail_scroll: usize,
    /// Proposed certificates marked for a bulk approval.
    marked: BTreeSet<i64>,
    pending: HashMap<i64, Op>,
    bulk_pending: bool,
    proposing: bool,
    dialog: Option<Dialog>,
    /// The portal's home page on this backend (`…/fa/`), for codes whose public address is not
    /// known.
    portal_home: Option<reqwest::Url>,
    /// Verification pages under the public address a certificate's credential names (when the
    /// backend was given one), by code.
    public_urls: HashMap<String, String>,
    public_requested: BTreeSet<String>,
}

impl CertificatesPane {
    pub fn new() -> CertificatesPane {
        CertificatesPane::default()
    }

    pub fn items(&self) -> &[Certificate] {
        &self.items
    }

    pub fn selected(&self) -> Option<&Certificate> {
        self.items.get(self.selected)
    }

    pub fn filter(&self) -> Filter {
        self.filter
    }

    pub fn marked(&self) -> &BTreeSet<i64> {
        &self.marked
    }

    pub fn has_dialog(&self) -> bool {
        self.dialog.is_some()
    }

    /// Whether a write on certificate `id` is in flight.
    pub fn pending(&self, id: i64) -> Option<Op> {
        self.pending.get(&id).copied()
    }

    /// Whether any request that changes certificates is in flight.
    pub fn busy(&self) -> bool {
        !self.pending.is_empty() || self.bulk_pending || self.proposing || self.remote.is_loading()
    }

    /// The portal page a certificate with this code is verified at (what its QR code encodes):
    /// under the public address its credential names, else under this backend's address.
    pub fn verification_url(&self, code: &str) -> String {
        match (self.public_urls.get(code), &self.portal_home) {
            (Some(url), _) => url.clone(),
            (None, Some(home)) => crate::client::verification_page(home.as_str(), code),
            // Not shown yet (the address comes with the first refresh): the path alone.
            (None, None) => crate::client::verification_page("/fa/", code),
        }
    }

    /// Take a list the backend sent (also for tests): proposed first, then by id.
    pub fn set_list(&mut self, mut items: Vec<Certificate>, truncated: bool) {
        let keep = self.selected().map(|c| c.id);
        items.sort_by_key(|c| (status_rank(c.status), c.id));
        self.items = items;
        self.truncated = truncated;
        self.remote.succeeded();
        let proposed: BTreeSet<i64> = self
            .items
            .iter()
            .filter(|c| c.status == CertificateStatus::Proposed)
            .map(|c| c.id)
            .collect();
        self.marked.retain(|id| proposed.contains(id));
        self.selected = list::clamp(
            keep.and_then(|id| self.items.iter().position(|c| c.id == id))
                .unwrap_or(self.selected),
            self.items.len(),
        );
    }

    /// Load the list unless a load is in flight.
    fn load(&mut self, ctx: &mut PaneCtx) {
        if self.remote.try_start(ctx.now) {
            self.request_list(ctx);
        }
    }

    /// Ask for the list of the filter on screen.
    fn request_list(&mut self, ctx: &mut PaneCtx) {
        let filter = self.filter;
        let client = ctx.client.clone();
        ctx.spawn(async move {
            Answer::List(ListAnswer {
                filter,
                result: client.certificates_list(filter.status()).await,
            })
        });
    }

    /// Ask the backend for the public view of the selected issued certificate, once.
    fn fetch_public(&mut self, ctx: &mut PaneCtx) {
        let Some(code) = self.selected().and_then(|c| c.verification_code.clone()) else {
            return;
        };
        if !self.public_requested.insert(code.clone()) {
            return;
        }
        let client = ctx.client.clone();
        ctx.spawn(async move {
            Answer::Public(PublicAnswer {
                result: client.public_certificate(&code).await,
                code,
            })
        });
    }

    fn select(&mut self, index: usize, ctx: &mut PaneCtx) {
        let index = list::clamp(index, self.items.len());
        if index != self.selected {
            self.selected = index;
            self.detail_scroll = 0;
        }
        self.fetch_public(ctx);
    }

    /// The selected certificate if it is in `status` and nothing is in flight on it.
    fn actionable(&self, status: CertificateStatus, ctx: &mut PaneCtx) -> Option<Certificate> {
        let i18n = ctx.i18n;
        let cert = self.selected()?.clone();
        if self.pending.contains_key(&cert.id) {
            ctx.notify(i18n.text("pane.certificates.in_flight"));
            return None;
        }
        if cert.status != status {
            let state = i18n
                .text(&format!("certificate_status.{}", cert.status.as_str()))
                .to_owned();
            let key = match status {
                CertificateStatus::Approved => "pane.certificates.only_issued",
                _ => "pane.certificates.only_proposed",
            };
            ctx.notify(i18n.format(key, &[("status", &state)]));
            return None;
        }
        Some(cert)
    }

    fn approve(&mut self, ctx: &mut PaneCtx) {
        let Some(cert) = self.actionable(CertificateStatus::Proposed, ctx) else {
            return;
        };
        self.pending.insert(cert.id, Op::Approve);
        let client = ctx.client.clone();
        let id = cert.id;
        ctx.spawn(async move {
            Answer::Write(WriteAnswer {
                id,
                op: Op::Approve,
                result: client.approve_certificate(id).await,
            })
        });
    }

    fn send_reason(&mut self, id: i64, op: Op, reason: String, ctx: &mut PaneCtx) {
        self.pending.insert(id, op);
        let client = ctx.client.clone();
        ctx.spawn(async move {
            let result = match op {
                Op::Reject => client.reject_certificate(id, &reason).await,
                _ => client.revoke_certificate(id, &reason).await,
            };
            Answer::Write(WriteAnswer { id, op, result })
        });
    }

    fn toggle_mark(&mut self, ctx: &mut PaneCtx) {
        let Some(cert) = self.selected() else {
            return;
        };
        if cert.status != CertificateStatus::Proposed {
            let i18n = ctx.i18n;
            let state = i18n
                .text(&format!("certificate_status.{}", cert.status.as_str()))
                .to_owned();
            ctx.notify(i18n.format("pane.certificates.only_proposed", &[("status", &state)]));
            return;
        }
        let id = cert.id;
        if !self.marked.remove(&id) {
            self.marked.insert(id);
        }
        let next = self.selected + 1;
        self.select(next, ctx);
    }

    /// The marked certificates, or every proposed one listed when none is marked; after one
    /// confirmation that names the count.
    fn begin_bulk(&mut self, ctx: &mut PaneCtx) {
        let i18n = ctx.i18n;
        if self.bulk_pending {
            ctx.notify(i18n.text("pane.certificates.in_flight"));
            return;
        }
        let (ids, key): (Vec<i64>, &str) = if self.marked.is_empty() {
            let ids = self
                .items
                .iter()
                .filter(|c| c.status == CertificateStatus::Proposed)
                .filter(|c| !self.pending.contains_key(&c.id))
                .map(|c| c.id)
                .collect();
            (ids, "pane.certificates.confirm_all")
        } else {
            let ids = self
                .marked
                .iter()
                .copied()
                .filter(|id| !self.pending.contains_key(id))
                .collect();
            (ids, "pane.certificates.confirm_marked")
        };
        if ids.is_empty() {
            ctx.notify(i18n.text("pane.certificates.nothing_to_approve"));
            return;
        }
        let message = i18n.count(key, ids.len() as i64, &[]);
        self.dialog = Some(Dialog::ConfirmBulk {
            ids,
            confirm: Confirm::new(message),
        });
    }

    fn bulk_approve(&mut self, ids: Vec<i64>, ctx: &mut PaneCtx) {
        self.bulk_pending = true;
        for id in &ids {
            self.pending.insert(*id, Op::Approve);
        }
        let client = ctx.client.clone();
        ctx.spawn(async move {
            Answer::Bulk(BulkAnswer {
                result: client.bulk_approve_certificates(ids.clone()).await,
                ids,
            })
        });
    }

    fn propose(&mut self, ctx: &mut PaneCtx) {
        let i18n = ctx.i18n;
        if self.proposing {
            ctx.notify(i18n.text("pane.certificates.in_flight"));
            return;
        }
        self.proposing = true;
        ctx.notify(i18n.text("pane.certificates.proposing"));
        let client = ctx.client.clone();
        ctx.spawn(async move {
            Answer::Propose(ProposeAnswer(client.propose_certificates(None).await))
        });
    }

    /// Put a certificate the backend sent in place of the listed one.
    fn replace(&mut self, cert: Certificate) {
        if cert.status != CertificateStatus::Proposed {
            self.marked.remove(&cert.id);
        }
        match self.items.iter_mut().find(|c| c.id == cert.id) {
            Some(slot) => *slot = cert,
            None => self.remote.mark_stale(),
        }
    }

    fn on_write(&mut self, answer: WriteAnswer, ctx: &mut PaneCtx) {
        self.pending.remove(&answer.id);
        let i18n = ctx.i18n;
        match answer.result {
            Ok(cert) => {
                let message = match answer.op {
                    Op::Approve => i18n.format(
                        "pane.certificates.issued",
                        &[("code", cert.verification_code.as_deref().unwrap_or("—"))],
                    ),
                    Op::Reject => i18n.format(
                        "pane.certificates.rejected",
                        &[("id", &i18n.number(cert.id))],
                    ),
                    Op::Revoke => i18n.format(
                        "pane.certificates.revoked",
                        &[("code", cert.verification_code.as_deref().unwrap_or("—"))],
                    ),
                };
                ctx.notify(message);
                self.replace(cert);
                self.fetch_public(ctx);
            }
            Err(e) => {
                let message = ctx.failed(&e);
                ctx.notify(i18n.format("error.generic", &[("message", &message)]));
            }
        }
    }

    fn on_bulk(&mut self, answer: BulkAnswer, ctx: &mut PaneCtx) {
        self.bulk_pending = false;
        for id in &answer.ids {
            self.pending.remove(id);
        }
        let i18n = ctx.i18n;
        match answer.result {
            Ok(response) => {
                ctx.notify(i18n.format(
                    "pane.certificates.bulk_result",
                    &[
                        ("approved", &i18n.number(response.approved.len())),
                        ("skipped", &i18n.number(response.skipped.len())),
                    ],
                ));
                for cert in response.approved {
                    self.replace(cert);
                }
                // Skipped ones moved on meanwhile: the list is out of date.
                if !response.skipped.is_empty() {
                    self.remote.mark_stale();
                }
                for id in &answer.ids {
                    self.marked.remove(id);
                }
                self.fetch_public(ctx);
            }
            Err(e) => {
                let message = ctx.failed(&e);
                ctx.notify(i18n.format("error.generic", &[("message", &message)]));
            }
        }
    }

    fn on_dialog_action(&mut self, action: Action, ctx: &mut PaneCtx) -> bool {
        let Some(dialog) = self.dialog.take() else {
            return false;
        };
        let i18n = ctx.i18n;
        match dialog {
            Dialog::Qr => {
                if !matches!(action, Action::Submit | Action::Cancel | Action::Quit) {
                    self.dialog = Some(Dialog::Qr);
                }
            }
            Dialog::ConfirmBulk { ids, mut confirm } => match confirm.on_action(action) {
                DialogResult::Open => self.dialog = Some(Dialog::ConfirmBulk { ids, confirm }),
                DialogResult::Cancelled => {}
                DialogResult::Done(()) => self.bulk_approve(ids, ctx),
            },
            Dialog::ConfirmRevoke {
                id,
                reason,
                mut confirm,
            } => match confirm.on_action(action) {
                DialogResult::Open => {
                    self.dialog = Some(Dialog::ConfirmRevoke {
                        id,
                        reason,
                        confirm,
                    })
                }
                DialogResult::Cancelled => {}
                DialogResult::Done(()) => self.send_reason(id, Op::Revoke, reason, ctx),
            },
            Dialog::Reject { id, field } => match action {
                Action::Submit => match checked_reason(&field, ctx) {
                    Some(reason) => self.send_reason(id, Op::Reject, reason, ctx),
                    None => self.dialog = Some(Dialog::Reject { id, field }),
                },
                Action::Cancel => {}
                _ => self.dialog = Some(Dialog::Reject { id, field }),
            },
            Dialog::RevokeReason { id, code, field } => match action {
                Action::Submit => match checked_reason(&field, ctx) {
                    Some(reason) => {
                        let message = i18n.format("confirm.revoke_certificate", &[("code", &code)]);
                        self.dialog = Some(Dialog::ConfirmRevoke {
                            id,
                            reason,
                            confirm: Confirm::new(message),
                        });
                    }
                    None => self.dialog = Some(Dialog::RevokeReason { id, code, field }),
                },
                Action::Cancel => {}
                _ => self.dialog = Some(Dialog::RevokeReason { id, code, field }),
            },
        }
        true
    }
}

/// The reason typed, trimmed, if the backend will take it; else say why.
fn checked_reason(field: &TextField, ctx: &mut PaneCtx) -> Option<String> {
    let i18n = ctx.i18n;
    let reason = field.text().trim().to_owned();
    if reason.is_empty() {
        ctx.notify(i18n.text("error.reason_required"));
        return None;
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        ctx.notify(i18n.format(
            "pane.certificates.reason_too_long",
            &[("max", &i18n.number(MAX_REASON_CHARS))],
        ));
        return None;
    }
    Some(reason)
}

impl PaneView for CertificatesPane {
    fn pane(&self) -> Pane {
        Pane::Certificates
    }

    fn context(&self) -> Context {
        match &self.dialog {
            None => Context::Pane(Pane::Certificates),
            Some(Dialog::Reject { .. } | Dialog::RevokeReason { .. }) => Context::TextField,
            Some(_) => Context::Dialog,
        }
    }

    fn refresh(&mut self, ctx: &mut PaneCtx) {
        self.portal_home = Some(ctx.client.portal_home());
        self.load(ctx);
    }

    fn on_action(&mut self, action: Action, ctx: &mut PaneCtx) -> bool {
        if self.dialog.is_some() {
            return self.on_dialog_action(action, ctx);
        }
        let n = self.items.len();
        let i18n = ctx.i18n;
        match action {
            action if list::is_move(action) => {
                self.select(list::moved(action, self.selected, n), ctx)
            }
            Action::ScrollDown => self.detail_scroll += 1,
            Action::ScrollUp => self.detail_scroll = self.detail_scroll.saturating_sub(1),
            Action::ToggleMark => self.toggle_mark(ctx),
            Action::Approve => self.approve(ctx),
            Action::ApproveAll => self.begin_bulk(ctx),
            Action::Reject => {
                if let Some(cert) = self.actionable(CertificateStatus::Proposed, ctx) {
                    self.dialog = Some(Dialog::Reject {
                        id: cert.id,
                        field: TextField::without_ui(
                            i18n.text("pane.certificates.reject_reason"),
                            "",
                        ),
                    });
                }
            }
            Action::Revoke => {
                if let Some(cert) = self.actionable(CertificateStatus::Approved, ctx) {
                    self.dialog = Some(Dialog::RevokeReason {
                        id: cert.id,
                        code: cert.verification_code.clone().unwrap_or_default(),
                        field: TextField::without_ui(
                            i18n.text("pane.certificates.revoke_reason"),
                            "",
                        ),
                    });
                }
            }
            Action::ShowQr => {
                if self
                    .selected()
                    .is_some_and(|c| c.verification_code.is_some())
                {
                    self.fetch_public(ctx);
                    self.dialog = Some(Dialog::Qr);
                } else {
                    ctx.notify(i18n.text("pane.certificates.no_code"));
                }
            }
            Action::CycleFilter => {
                self.filter = self.filter.next();
                // What is listed must be what the filter says: nothing until the new list.
                self.items.clear();
                self.marked.clear();
                self.selected = 0;
                self.list_scroll = 0;
                self.detail_scroll = 0;
                // The list loaded for the old filter is not what is asked for now.
                self.remote.reset();
                self.load(ctx);
            }
            Action::Propose => self.propose(ctx),
            Action::Refresh => self.refresh(ctx),
            _ => return false,
        }
        true
    }

    fn on_key(&mut self, key: KeyEvent, _ctx: &mut PaneCtx) -> bool {
        match &mut self.dialog {
            Some(Dialog::Reject { field, .. } | Dialog::RevokeReason { field, .. }) => {
                field.on_key(key);
                true
            }
            _ => false,
        }
    }

    fn on_event(&mut self, event: &Event, _ctx: &mut PaneCtx) {
        if matches!(
            event.kind,
            EventKind::CertificateChanged { .. } | EventKind::CertificatesProposed { .. }
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

impl Answers for CertificatesPane {
    type Answer = Answer;

    fn on_answer(&mut self, answer: Answer, ctx: &mut PaneCtx) {
        match answer {
            Answer::List(answer) => {
                if answer.filter != self.filter {
                    return;
                }
                match answer.result {
                    Ok((items, truncated)) => {
                        self.set_list(items, truncated);
                        self.fetch_public(ctx);
                    }
                    Err(e) => {
                        let message = ctx.failed(&e);
                        self.remote.failed(message);
                    }
                }
            }
            Answer::Write(answer) => self.on_write(answer, ctx),
            Answer::Bulk(answer) => self.on_bulk(answer, ctx),
            Answer::Public(answer) => {
                match answer.result {
                    Ok(public) => {
                        let status = &public.credential.credential_status.id;
                        if let Some(url) =
                            crate::client::verification_page_from_status(status, &answer.code)
                        {
                            self.public_urls.insert(answer.code, url);
                        }
                    }
                    Err(e) => {
                        // The URL made from this backend's address is shown meanwhile.
                        tracing::warn!("public certificate {}: {e}", answer.code);
                        self.public_requested.remove(&answer.code);
                    }
                }
            }
            Answer::Propose(answer) => {
                self.proposing = false;
                let i18n = ctx.i18n;
                match answer.0 {
                    Ok(response) => {
                        ctx.notify(i18n.format(
                            "pane.certificates.proposed",
                            &[
                                ("count", &i18n.number(response.proposed.len())),
                                ("consultations", &i18n.number(response.consultations.len())),
                            ],
                        ));
                        if !response.proposed.is_empty() {
                            self.remote.start(ctx.now);
                            self.request_list(ctx);
                        }
                    }
                    Err(e) => {
                        let message = ctx.failed(&e);
                        ctx.notify(i18n.format("error.generic", &[("message", &message)]));
                    }
                }
            }
        }
    }
}
