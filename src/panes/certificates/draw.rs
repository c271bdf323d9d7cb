//! Drawing the Certificates pane: a summary line, the certificates as a list on the reading side,
//! the selected one in full beside it (evidence, decisions, verification code and QR code), a
//! line of key hints, and any open dialog on top. Participant names, consultation titles and
//! reasons reach cells only through `ui.cell` and the RTL engine; the QR code is a picture drawn
//! left to right.

use mosharekat_api::{Certificate, CertificateStatus, Contribution};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, ScrollbarState};

use super::qr::{self, QrMatrix};
use super::{CertificatesPane, Dialog, Filter};
use crate::dates::{self, DateStyle};
use crate::keymap::{Action, Pane, Section};
use crate::theme::Slot;
use crate::ui::{Ui, centered};

/// A list this wide or wider shows every column.
const WIDE_LIST: u16 = 70;

pub(super) fn draw(pane: &mut CertificatesPane, frame: &mut Frame, area: Rect, ui: &Ui) {
    let areas = ui.list_detail_frame(
        frame,
        area,
        ui.t("pane.certificates.title"),
        pane.dialog.is_none(),
        (55, 50),
    );
    draw_summary(pane, frame, areas.summary, ui);
    draw_list(pane, frame, areas.list, ui);
    draw_detail(pane, frame, areas.detail, ui);
    ui.draw_hints(
        frame,
        areas.hints,
        "pane.certificates.hints",
        &[
            ("approve", Pane::Certificates.section(), Action::Approve),
            ("reject", Pane::Certificates.section(), Action::Reject),
            ("mark", Section::List, Action::ToggleMark),
            ("bulk", Pane::Certificates.section(), Action::ApproveAll),
            ("revoke", Pane::Certificates.section(), Action::Revoke),
            ("qr", Pane::Certificates.section(), Action::ShowQr),
            ("filter", Pane::Certificates.section(), Action::CycleFilter),
            ("propose", Pane::Certificates.section(), Action::Propose),
            ("help", Section::Global, Action::Help),
        ],
    );
    draw_dialog(pane, frame, area, ui);
}

fn filter_name(ui: &Ui, filter: Filter) -> String {
    match filter {
        Filter::All => ui.t("pane.certificates.filter_all").to_owned(),
        Filter::Only(status) => status_name(ui, status).to_owned(),
    }
}

fn status_name<'a>(ui: &'a Ui, status: CertificateStatus) -> &'a str {
    ui.i18n.text(match status {
        CertificateStatus::Proposed => "certificate_status.proposed",
        CertificateStatus::Approved => "certificate_status.approved",
        CertificateStatus::Rejected => "certificate_status.rejected",
        CertificateStatus::Revoked => "certificate_status.revoked",
    })
}

fn status_slot(status: CertificateStatus) -> Slot {
    match status {
        CertificateStatus::Proposed => Slot::StatusPending,
        CertificateStatus::Approved => Slot::StatusApproved,
        CertificateStatus::Rejected => Slot::StatusRejected,
        CertificateStatus::Revoked => Slot::StatusRevoked,
    }
}

fn kind_name<'a>(ui: &'a Ui, cert: &Certificate) -> &'a str {
    ui.i18n.text(match cert.kind {
        mosharekat_api::CertificateKind::Participation => "certificate_kind.participation",
        mosharekat_api::CertificateKind::Distinction => "certificate_kind.distinction",
    })
}

/// What the list shows and how many wait for a decision.
fn draw_summary(pane: &CertificatesPane, frame: &mut Frame, area: Rect, ui: &Ui) {
    let proposed = pane
        .items
        .iter()
        .filter(|c| c.status == CertificateStatus::Proposed)
        .count() as i64;
    let mut parts = vec![
        ui.f(
            "pane.certificates.showing",
            &[("filter", &filter_name(ui, pane.filter))],
        ),
        ui.i18n.count(
            "pane.certificates.listed",
            pane.items.len() as i64,
            &[("proposed", &ui.i18n.locale().grouped(proposed))],
        ),
    ];
    if pane.truncated {
        parts.push(ui.t("pane.certificates.truncated").to_owned());
    }
    let mut slot = Slot::TextMuted;
    if !pane.marked.is_empty() {
        parts.push(
            ui.i18n
                .count("pane.certificates.marked", pane.marked.len() as i64, &[]),
        );
        slot = Slot::Marked;
    }
    if pane.proposing {
        parts.push(ui.t("pane.certificates.proposing").to_owned());
    }
    frame.render_widget(
        Paragraph::new(ui.label(&parts.join(" · "), area.width, ui.style(slot))),
        area,
    );
}

/// The consultation's title in the interface language (Persian when there is no English one).
fn consultation_title<'c>(ui: &Ui, cert: &'c Certificate) -> &'c str {
    ui.i18n
        .pick(&cert.consultation_title_fa, &cert.consultation_title_en)
}

fn draw_list(pane: &mut CertificatesPane, frame: &mut Frame, area: Rect, ui: &Ui) {
    if area.height < 2 || area.width < 4 {
        return;
    }
    if pane.items.is_empty() {
        let text = match pane.remote.error() {
            Some(e) => ui.f("error.generic", &[("message", e)]),
            None if !pane.remote.is_loaded() => ui.t("app.loading").to_owned(),
            None => ui.f(
                "pane.certificates.empty",
                &[
                    ("filter", &filter_name(ui, pane.filter)),
                    (
                        "key",
                        &ui.key(Pane::Certificates.section(), Action::Propose),
                    ),
                ],
            ),
        };
        frame.render_widget(ui.paragraph(text).style(ui.style(Slot::TextMuted)), area);
        return;
    }
    let [head, rows_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let width = area.width - 1;
    let content = |r: Rect| Rect {
        x: if ui.rtl() { r.x + 1 } else { r.x },
        width,
        ..r
    };
    let wide = width >= WIDE_LIST;
    let mut columns = vec![
        ("", Constraint::Length(1)),
        ("column_participant", Constraint::Fill(1)),
    ];
    if wide {
        columns.extend([
            ("column_consultation", Constraint::Length(22)),
            ("column_kind", Constraint::Length(13)),
        ]);
    }
    columns.push(("column_status", Constraint::Length(10)));
    if wide {
        columns.push(("column_score", Constraint::Length(6)));
    }
    let constraints: Vec<Constraint> = columns.iter().map(|(_, c)| *c).collect();
    let cols = ui.columns(width, &constraints);
    let heads: Vec<Line<'static>> = columns
        .iter()
        .zip(&cols)
        .map(|((key, _), (_, w))| {
            let text = if key.is_empty() {
                String::new()
            } else {
                ui.t(&format!("pane.certificates.{key}")).to_owned()
            };
            ui.label(&text, *w, ui.style(Slot::Title))
        })
        .collect();
    frame.render_widget(
        Paragraph::new(ui.row(width, &cols, heads, Style::new())),
        content(head),
    );

    let visible = rows_area.height as usize;
    crate::ui::scroll_into_view(pane.selected, &mut pane.list_scroll, visible);
    let mut lines = Vec::with_capacity(visible);
    for (i, cert) in pane
        .items
        .iter()
        .enumerate()
        .skip(pane.list_scroll)
        .take(visible)
    {
        let marked = pane.marked.contains(&cert.id);
        let base = if i == pane.selected {
            ui.style(Slot::Selection)
        } else if marked {
            ui.style(Slot::Marked)
        } else if cert.status == CertificateStatus::Proposed {
            ui.style(Slot::TextNormal)
        } else {
            ui.style(Slot::TextMuted)
        };
        let (mark, mark_slot) = if pane.pending.contains_key(&cert.id) {
            ("…", Slot::StatusUnsent)
        } else if marked {
            ("●", Slot::Marked)
        } else {
            (" ", Slot::TextNormal)
        };
        let status_style = if i == pane.selected {
            base
        } else {
            ui.style(status_slot(cert.status))
        };
        let mut cells = vec![
            ui.cell(mark, cols[0].1, ui.style(mark_slot)),
            ui.cell(&cert.display_name, cols[1].1, base),
        ];
        let mut next = 2;
        if wide {
            cells.push(ui.cell(consultation_title(ui, cert), cols[2].1, base));
            cells.push(ui.label(kind_name(ui, cert), cols[3].1, base));
            next = 4;
        }
        cells.push(ui.label(status_name(ui, cert.status), cols[next].1, status_style));
        if wide {
            cells.push(ui.label(&ui.num(cert.evidence.score), cols[next + 1].1, base));
        }
        let row_style = if i == pane.selected {
            base
        } else {
            Style::new()
        };
        lines.push(ui.row(width, &cols, cells, row_style));
    }
    frame.render_widget(Paragraph::new(lines), content(rows_area));
    if pane.items.len() > visible {
        let mut bar = ScrollbarState::new(pane.items.len()).position(pane.selected);
        frame.render_stateful_widget(ui.scrollbar(), rows_area, &mut bar);
    }
}

/// A date and time in the interface's calendar and digits.
fn when(ui: &Ui, at: chrono::DateTime<chrono::Utc>) -> String {
    dates::format_date_time(at, DateStyle::Numeric, ui.i18n)
}

/// One line of evidence: what was earned, the points, when, and what it was for.
fn contribution_line(ui: &Ui, c: &Contribution) -> String {
    let kind = ui
        .t(&format!("pane.ranking.kind.{}", c.kind.as_str()))
        .to_owned();
    let mut text = ui.f(
        "pane.certificates.contribution",
        &[
            ("kind", &kind),
            ("points", &ui.num(c.points)),
            ("date", &ui.date(c.earned_at)),
            ("id", &ui.num(c.subject_id)),
        ],
    );
    if c.copies > 1 {
        text.push_str(" · ");
        text.push_str(&ui.i18n.count("pane.certificates.copies", c.copies, &[]));
    }
    text
}

fn draw_detail(pane: &mut CertificatesPane, frame: &mut Frame, area: Rect, ui: &Ui) {
    let Some(cert) = pane.items.get(pane.selected) else {
        frame.render_widget(ui.block("", false), area);
        return;
    };
    let title = format!(
        "{} {}",
        ui.t("pane.certificates.certificate"),
        ui.f("common.id", &[("id", &ui.num(cert.id))])
    );
    let block = ui.block(&title, false);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 || inner.width < 4 {
        return;
    }
    // One column for a scrollbar, on the far side from the reading side.
    let width = inner.width - 1;
    let text_rect = Rect {
        x: if ui.rtl() { inner.x + 1 } else { inner.x },
        width,
        ..inner
    };
    let normal = ui.style(Slot::TextNormal);
    let muted = ui.style(Slot::TextMuted);
    let mut lines: Vec<Line<'static>> = Vec::new();
    lines.extend(ui.cell_rows(&cert.display_name, width, ui.style(Slot::Title)));
    lines.push(ui.label(
        &format!("{} · {}", kind_name(ui, cert), status_name(ui, cert.status)),
        width,
        ui.style(status_slot(cert.status)),
    ));
    lines.extend(ui.cell_rows(consultation_title(ui, cert), width, normal));
    let mut facts = vec![
        ui.t(&format!("category.{}", cert.category.as_str()))
            .to_owned(),
        ui.f(
            "pane.certificates.score",
            &[("score", &ui.num(cert.evidence.score))],
        ),
    ];
    if let Some(rank) = cert.evidence.rank {
        facts.push(ui.f("pane.certificates.rank", &[("rank", &ui.num(rank))]));
    }
    lines.push(ui.label(&facts.join(" · "), width, normal));
    lines.push(ui.label(
        &ui.f(
            "pane.certificates.proposed_at",
            &[("time", &when(ui, cert.proposed_at))],
        ),
        width,
        muted,
    ));
    if let (Some(by), Some(at)) = (&cert.decided_by, cert.decided_at) {
        let by_at = ui.f(
            "common.by_user_at",
            &[("user", by), ("time", &when(ui, at))],
        );
        let decided = match cert.status {
            CertificateStatus::Rejected => "pane.certificates.rejected_by",
            _ => "pane.certificates.approved_by",
        };
        lines.extend(ui.label_rows(&ui.f(decided, &[("by", &by_at)]), width, muted));
    }
    if let Some(reason) = &cert.reject_reason {
        lines.push(ui.label(ui.t("pane.certificates.reason"), width, muted));
        lines.extend(ui.cell_rows(reason, width, ui.style(Slot::StatusRejected)));
    }
    if let (Some(by), Some(at)) = (&cert.revoked_by, cert.revoked_at) {
        let by_at = ui.f(
            "common.by_user_at",
            &[("user", by), ("time", &when(ui, at))],
        );
        lines.push(ui.label(
            &ui.f("pane.certificates.revoked_by", &[("by", &by_at)]),
            width,
            ui.style(Slot::StatusRevoked),
        ));
    }
    if let Some(reason) = &cert.revoke_reason {
        lines.push(ui.label(ui.t("pane.certificates.reason"), width, muted));
        lines.extend(ui.cell_rows(reason, width, ui.style(Slot::StatusRevoked)));
    }
    if let Some(code) = &cert.verification_code {
        let url = pane.verification_url(code);
        lines.push(Line::from(""));
        lines.push(ui.label(
            &format!("{}: {code}", ui.t("pane.certificates.verification_code")),
            width,
            ui.style(Slot::TextHighlight),
        ));
        if let Some(at) = cert.issued_at {
            lines.push(ui.label(
                &ui.f("pane.certificates.issued_at", &[("time", &when(ui, at))]),
                width,
                muted,
            ));
        }
        lines.push(ui.label(ui.t("pane.certificates.verify_url"), width, muted));
        lines.extend(ui.cell_rows(&url, width, normal));
        // The QR code in the detail when it fits whole with its full quiet zone beside the
        // rest; else a hint to show it alone.
        match QrMatrix::new(&url, qr::QUIET_ZONE) {
            Some(matrix) if matrix.width() <= width && matrix.height() <= inner.height => {
                let pad = usize::from((width - matrix.width()) / 2);
                for row in matrix.lines() {
                    let mut spans = vec![ratatui::text::Span::raw(" ".repeat(pad))];
                    spans.extend(row.spans);
                    lines.push(Line::from(spans));
                }
                lines.push(ui.label(ui.t("pane.certificates.qr_hint"), width, muted));
            }
            _ => lines.extend(ui.label_rows(
                &ui.f(
                    "pane.certificates.qr_key",
                    &[("key", &ui.key(Pane::Certificates.section(), Action::ShowQr))],
                ),
                width,
                muted,
            )),
        }
    }
    lines.push(Line::from(""));
    lines.push(ui.label(
        ui.t("pane.certificates.evidence"),
        width,
        ui.style(Slot::Title),
    ));
    if !cert.evidence.accepted_proposals.is_empty() {
        let ids: Vec<String> = cert
            .evidence
            .accepted_proposals
            .iter()
            .map(|id| ui.f("common.id", &[("id", &ui.num(*id))]))
            .collect();
        let separator = if ui.rtl() { "، " } else { ", " };
        lines.push(ui.label(
            &ui.f(
                "pane.certificates.accepted_proposals",
                &[("ids", &ids.join(separator))],
            ),
            width,
            ui.style(Slot::OutcomeAccepted),
        ));
    }
    for c in &cert.evidence.contributions {
        lines.extend(ui.label_rows(&contribution_line(ui, c), width, normal));
    }

    let rows = lines.len();
    let height = usize::from(text_rect.height);
    let max_scroll = rows.saturating_sub(height);
    pane.detail_scroll = pane.detail_scroll.min(max_scroll);
    let shown: Vec<Line<'static>> = lines
        .into_iter()
        .skip(pane.detail_scroll)
        .take(height)
        .collect();
    frame.render_widget(Paragraph::new(shown), text_rect);
    if rows > height {
        let mut bar = ScrollbarState::new(max_scroll + 1).position(pane.detail_scroll);
        frame.render_stateful_widget(ui.scrollbar(), inner, &mut bar);
    }
}

/// The QR code alone over the pane, as large as it fits, with the code and URL under it.
fn draw_qr(pane: &CertificatesPane, frame: &mut Frame, area: Rect, ui: &Ui) {
    frame.render_widget(Clear, area);
    let Some(code) = pane.selected().and_then(|c| c.verification_code.clone()) else {
        return;
    };
    let url = pane.verification_url(&code);
    let muted = ui.style(Slot::TextMuted);
    let close = ui.f(
        "pane.certificates.qr_close",
        &[("key", &ui.key(Section::Dialog, Action::Cancel))],
    );
    // The code alone first; the lines of text under it when there is room.
    let centred = |line: Line<'static>| line.centered();
    let fit = |text: &str| ui.width(text).min(area.width);
    let text: Vec<Line<'static>> = vec![
        centred(ui.cell(&code, fit(&code), ui.style(Slot::TextHighlight))),
        centred(ui.cell(&url, fit(&url), muted)),
        centred(ui.label(&close, fit(&close), muted)),
    ];
    let Some(matrix) = qr::fitting(&url, area.width, area.height) else {
        let (w, h) = qr::needed(&url).unwrap_or((0, 0));
        let message = ui.f(
            "pane.certificates.qr_too_small",
            &[("width", &ui.num(w)), ("height", &ui.num(h))],
        );
        let mut lines = vec![ui.label(&message, area.width, ui.style(Slot::Warning))];
        lines.extend(text);
        frame.render_widget(Paragraph::new(lines), area);
        return;
    };
    let room = area.height - matrix.height();
    let text_rows = room.min(text.len() as u16);
    let [qr_area, text_area] = Layout::vertical([
        Constraint::Length(matrix.height()),
        Constraint::Length(text_rows),
    ])
    .flex(ratatui::layout::Flex::Center)
    .areas(area);
    let qr_rect = centered(qr_area, matrix.width(), matrix.height());
    frame.render_widget(Paragraph::new(matrix.lines()), qr_rect);
    frame.render_widget(
        Paragraph::new(
            text.into_iter()
                .take(usize::from(text_rows))
                .collect::<Vec<_>>(),
        ),
        text_area,
    );
}

fn draw_dialog(pane: &mut CertificatesPane, frame: &mut Frame, area: Rect, ui: &Ui) {
    if matches!(pane.dialog, Some(Dialog::Qr)) {
        draw_qr(pane, frame, area, ui);
        return;
    }
    match &mut pane.dialog {
        None | Some(Dialog::Qr) => {}
        Some(Dialog::ConfirmBulk { confirm, .. } | Dialog::ConfirmRevoke { confirm, .. }) => {
            confirm.draw(frame, area, ui)
        }
        Some(Dialog::Reject { field, .. } | Dialog::RevokeReason { field, .. }) => {
            let popup = centered(area, area.width.saturating_sub(8).min(72), 7);
            field.draw(frame, popup, ui);
        }
    }
}
