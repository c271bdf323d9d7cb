//! Drawing the Ranking view: the filters in force, the leaderboard on the reading side, the
//! selected participant's score explained beside it, a line of key hints. Display names and
//! consultation titles reach cells only through `ui.cell`.

use mosharekat_api::{Contribution, LeaderboardEntry, Period};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, ScrollbarState};

use super::RankingPane;
use crate::keymap::{Action, Pane, Section};
use crate::theme::Slot;
use crate::ui::Ui;

/// A list this wide or wider shows every column.
const WIDE_LIST: u16 = 70;

pub(super) fn draw(pane: &mut RankingPane, frame: &mut Frame, area: Rect, ui: &Ui) {
    let areas = ui.list_detail_frame(frame, area, ui.t("pane.ranking.title"), true, (55, 50));
    draw_filters(pane, frame, areas.summary, ui);
    draw_list(pane, frame, areas.list, ui);
    draw_detail(pane, frame, areas.detail, ui);
    ui.draw_hints(
        frame,
        areas.hints,
        "pane.ranking.hints",
        &[
            ("period", Pane::Ranking.section(), Action::CyclePeriod),
            ("province", Pane::Ranking.section(), Action::CycleProvince),
            ("category", Pane::Ranking.section(), Action::CycleCategory),
            (
                "consultation",
                Pane::Ranking.section(),
                Action::CycleConsultation,
            ),
            ("explain", Pane::Ranking.section(), Action::Explain),
            ("help", Section::Global, Action::Help),
        ],
    );
}

fn period_name<'a>(ui: &'a Ui, period: Period) -> &'a str {
    ui.t(match period {
        Period::All => "pane.ranking.period_all",
        Period::Week => "pane.ranking.period_week",
        Period::Month => "pane.ranking.period_month",
        Period::Year => "pane.ranking.period_year",
    })
}

/// Period, province and category as a label; the consultation (a title someone typed) after it
/// in a cell of its own.
fn draw_filters(pane: &RankingPane, frame: &mut Frame, area: Rect, ui: &Ui) {
    let q = &pane.query;
    let all = ui.t("pane.ranking.all").to_owned();
    let province = q.province.map_or(all.clone(), |p| {
        ui.t(&format!("province.{}", p.code())).to_owned()
    });
    let category = q.category.map_or(all.clone(), |c| {
        ui.t(&format!("category.{}", c.as_str())).to_owned()
    });
    let text = [
        ui.f(
            "pane.ranking.period",
            &[("period", period_name(ui, q.period))],
        ),
        ui.f("pane.ranking.province", &[("province", &province)]),
        ui.f("pane.ranking.category", &[("category", &category)]),
    ]
    .join(" · ");
    let label_width = (ui.width(&text) + 3).min(area.width);
    let [first, second] = if ui.rtl() {
        let [l, r] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(label_width)]).areas(area);
        [r, l]
    } else {
        Layout::horizontal([Constraint::Length(label_width), Constraint::Fill(1)]).areas(area)
    };
    let style = ui.style(Slot::TextMuted);
    frame.render_widget(Paragraph::new(ui.label(&text, first.width, style)), first);
    let consultation = match q.consultation_id {
        None => ui.f("pane.ranking.consultation", &[("consultation", &all)]),
        Some(id) => {
            let title = pane.consultation(id).map_or_else(
                || ui.f("common.id", &[("id", &ui.num(id))]),
                |c| ui.i18n.pick(&c.title_fa, &c.title_en).to_owned(),
            );
            // The label, then the title in a cell of its own direction.
            let label = ui.f("pane.ranking.consultation", &[("consultation", "")]);
            let label_w = ui.width(&label).min(second.width);
            let [a, b] = if ui.rtl() {
                let [l, r] = Layout::horizontal([Constraint::Fill(1), Constraint::Length(label_w)])
                    .areas(second);
                [r, l]
            } else {
                Layout::horizontal([Constraint::Length(label_w), Constraint::Fill(1)]).areas(second)
            };
            frame.render_widget(Paragraph::new(ui.label(&label, a.width, style)), a);
            frame.render_widget(
                Paragraph::new(ui.cell(&title, b.width, ui.style(Slot::TextHighlight))),
                b,
            );
            return;
        }
    };
    frame.render_widget(
        Paragraph::new(ui.label(&consultation, second.width, style)),
        second,
    );
}

/// Interface text wrapped to `width` (rather than cut like [`Ui::label`]): laid out in the
/// interface's direction, each row aligned to its reading side.
fn label_rows(ui: &Ui, text: &str, width: u16, style: Style) -> Vec<Line<'static>> {
    use mosharekat_rtl::Direction;
    use ratatui::layout::Alignment;
    let (alignment, direction) = if ui.rtl() {
        (Alignment::Right, Direction::Rtl)
    } else {
        (Alignment::Left, Direction::Ltr)
    };
    let options = ui
        .text
        .clone()
        .with_alignment(alignment)
        .with_direction(direction);
    mosharekat_rtl::layout_str(text, style, width, &options)
        .iter()
        .map(|row| row.padded(width))
        .collect()
}

fn province_name(ui: &Ui, entry: &LeaderboardEntry) -> String {
    entry.province.map_or_else(
        || ui.t("common.not_stated").to_owned(),
        |p| ui.t(&format!("province.{}", p.code())).to_owned(),
    )
}

fn draw_list(pane: &mut RankingPane, frame: &mut Frame, area: Rect, ui: &Ui) {
    if area.height < 2 || area.width < 4 {
        return;
    }
    if pane.entries().is_empty() {
        let text = match pane.remote.error() {
            Some(e) => ui.f("error.generic", &[("message", e)]),
            None if pane.board.is_none() => ui.t("app.loading").to_owned(),
            None => ui.t("pane.ranking.empty").to_owned(),
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
        ("column_rank", Constraint::Length(5)),
        ("column_participant", Constraint::Fill(1)),
    ];
    if wide {
        columns.push(("column_province", Constraint::Length(18)));
    }
    columns.push((
        "column_category",
        Constraint::Length(if wide { 16 } else { 9 }),
    ));
    columns.push(("column_points", Constraint::Length(7)));
    let constraints: Vec<Constraint> = columns.iter().map(|(_, c)| *c).collect();
    let cols = ui.columns(width, &constraints);
    let heads: Vec<Line<'static>> = columns
        .iter()
        .zip(&cols)
        .map(|((key, _), (_, w))| {
            ui.label(
                ui.t(&format!("pane.ranking.{key}")),
                *w,
                ui.style(Slot::Title),
            )
        })
        .collect();
    frame.render_widget(
        Paragraph::new(ui.row(width, &cols, heads, Style::new())),
        content(head),
    );
    let visible = rows_area.height as usize;
    crate::ui::scroll_into_view(pane.selected, &mut pane.list_scroll, visible);
    let mut lines = Vec::with_capacity(visible);
    for (i, entry) in pane
        .entries()
        .iter()
        .enumerate()
        .skip(pane.list_scroll)
        .take(visible)
    {
        let style = if i == pane.selected {
            ui.style(Slot::Selection)
        } else {
            ui.style(Slot::TextNormal)
        };
        let mut cells = vec![
            ui.label(&ui.num(entry.rank), cols[0].1, style),
            ui.cell(&entry.display_name, cols[1].1, style),
        ];
        let mut next = 2;
        if wide {
            cells.push(ui.label(&province_name(ui, entry), cols[2].1, style));
            next = 3;
        }
        cells.push(ui.label(
            ui.t(&format!("category.{}", entry.category.as_str())),
            cols[next].1,
            style,
        ));
        cells.push(ui.label(&ui.num(entry.points), cols[next + 1].1, style));
        let row_style = if i == pane.selected {
            style
        } else {
            Style::new()
        };
        lines.push(ui.row(width, &cols, cells, row_style));
    }
    frame.render_widget(Paragraph::new(lines), content(rows_area));
    let n = pane.entries().len();
    if n > visible {
        let mut bar = ScrollbarState::new(n).position(pane.selected);
        frame.render_stateful_widget(ui.scrollbar(), rows_area, &mut bar);
    }
}

/// Whether a contribution counts in the leaderboard on screen (its period and consultation).
fn counts(pane: &RankingPane, c: &Contribution) -> bool {
    let from = pane.board.as_ref().and_then(|b| b.from);
    from.is_none_or(|from| c.earned_at >= from)
        && pane
            .query
            .consultation_id
            .is_none_or(|id| c.consultation_id == id)
}

fn draw_detail(pane: &mut RankingPane, frame: &mut Frame, area: Rect, ui: &Ui) {
    let Some(entry) = pane.selected().cloned() else {
        frame.render_widget(ui.block("", false), area);
        return;
    };
    let block = ui.block(ui.t("pane.ranking.explain_title"), false);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 || inner.width < 4 {
        return;
    }
    let width = inner.width - 1;
    let text_rect = Rect {
        x: if ui.rtl() { inner.x + 1 } else { inner.x },
        width,
        ..inner
    };
    let normal = ui.style(Slot::TextNormal);
    let muted = ui.style(Slot::TextMuted);
    let mut lines: Vec<Line<'static>> = vec![
        ui.cell(&entry.display_name, width, ui.style(Slot::Title)),
        ui.label(
            &[
                ui.t(&format!("category.{}", entry.category.as_str()))
                    .to_owned(),
                province_name(ui, &entry),
            ]
            .join(" · "),
            width,
            normal,
        ),
    ];
    lines.extend(label_rows(
        ui,
        &ui.f(
            "pane.ranking.rank_points",
            &[
                ("rank", &ui.num(entry.rank)),
                (
                    "points",
                    &ui.i18n.count("pane.ranking.points", entry.points, &[]),
                ),
                ("count", &ui.num(entry.contributions)),
            ],
        ),
        width,
        ui.style(Slot::TextHighlight),
    ));
    lines.extend(label_rows(
        ui,
        ui.t(if entry.name_public {
            "pane.ranking.name_public"
        } else {
            "pane.ranking.name_private"
        }),
        width,
        muted,
    ));
    lines.push(Line::from(""));
    match pane.score(entry.participant_id) {
        None => {
            let text = match &pane.score_error {
                Some((id, e)) if *id == entry.participant_id => {
                    ui.f("error.generic", &[("message", e)])
                }
                _ if pane.explaining == Some(entry.participant_id) => {
                    ui.t("app.loading").to_owned()
                }
                _ => ui.f(
                    "pane.ranking.explain_hint",
                    &[("key", &ui.key(Pane::Ranking.section(), Action::Explain))],
                ),
            };
            lines.extend(label_rows(ui, &text, width, muted));
        }
        Some(score) => {
            lines.push(ui.label(
                &ui.f(
                    "pane.ranking.total",
                    &[
                        (
                            "points",
                            &ui.i18n.count("pane.ranking.points", score.total, &[]),
                        ),
                        ("count", &ui.num(score.contributions.len())),
                    ],
                ),
                width,
                ui.style(Slot::Title),
            ));
            for c in &score.contributions {
                let kind = ui
                    .t(&format!("pane.ranking.kind.{}", c.kind.as_str()))
                    .to_owned();
                let mut text = ui.f(
                    "pane.ranking.contribution",
                    &[
                        ("kind", &kind),
                        ("points", &ui.num(c.points)),
                        ("date", &ui.date(c.earned_at)),
                        ("consultation", &ui.num(c.consultation_id)),
                    ],
                );
                if c.copies > 1 {
                    text.push_str(" · ");
                    text.push_str(&ui.i18n.count("pane.certificates.copies", c.copies, &[]));
                }
                let style = if counts(pane, c) { normal } else { muted };
                lines.extend(label_rows(ui, &text, width, style));
            }
            if score.contributions.iter().any(|c| !counts(pane, c)) {
                lines.extend(label_rows(
                    ui,
                    ui.t("pane.ranking.outside_filter"),
                    width,
                    muted,
                ));
            }
            if !score.rules.is_empty() {
                lines.push(Line::from(""));
                lines.push(ui.label(ui.t("pane.ranking.rules"), width, ui.style(Slot::Title)));
                for rule in &score.rules {
                    let kind = ui
                        .t(&format!("pane.ranking.kind.{}", rule.kind.as_str()))
                        .to_owned();
                    lines.push(ui.label(
                        &ui.f(
                            "pane.ranking.rule",
                            &[("kind", &kind), ("points", &ui.num(rule.points))],
                        ),
                        width,
                        muted,
                    ));
                }
            }
        }
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
