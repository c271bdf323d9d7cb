//! The Deadlines pane (operators, admins): every consultation with its dates in both calendars,
//! days left, window length and the server's flags coloured by severity, most urgent first, kept
//! live by consultation events and a periodic refresh.

use chrono::{DateTime, Duration, Utc};
use mosharekat_api::{
    ConsultationStatus, DeadlineFlag, DeadlineItem, DeadlinesResponse, Event, EventKind,
};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, ScrollbarState};

use super::remote::Remote;
use super::{Answers, PaneCtx, PaneView, list};
use crate::client::ClientResult;
use crate::dates::{self, DateStyle};
use crate::i18n::CalendarKind;
use crate::keymap::{Action, Pane};
use crate::theme::Slot;
use crate::ui::Ui;

/// How often the list is fetched again without an event (days left change with the clock).
const REFRESH_EVERY: Duration = Duration::seconds(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// The server's order: most severe flag, then status, then nearest deadline.
    #[default]
    Urgency,
    Closing,
    Title,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    #[default]
    All,
    Flagged,
    Open,
}

/// What the pane's requests come back with.
pub enum Answer {
    Deadlines(ClientResult<DeadlinesResponse>),
}

#[derive(Default)]
pub struct DeadlinesPane {
    /// In the server's (urgency) order.
    items: Vec<DeadlineItem>,
    loaded_at: Option<DateTime<Utc>>,
    /// The list's load state.
    remote: Remote,
    selected: usize,
    sort: Sort,
    filter: Filter,
    scroll: usize,
}

impl DeadlinesPane {
    /// The rows shown, after the filter and the sort.
    pub fn visible(&self) -> Vec<&DeadlineItem> {
        let mut rows: Vec<&DeadlineItem> = self
            .items
            .iter()
            .filter(|i| match self.filter {
                Filter::All => true,
                Filter::Flagged => !i.flags.is_empty(),
                Filter::Open => i.status == ConsultationStatus::Open,
            })
            .collect();
        match self.sort {
            Sort::Urgency => {}
            Sort::Closing => rows.sort_by_key(|i| i.closes_at),
            Sort::Title => rows.sort_by(|a, b| a.title_fa.cmp(&b.title_fa)),
        }
        rows
    }

    pub fn set_items(&mut self, response: DeadlinesResponse) {
        let selected_id = self.visible().get(self.selected).map(|i| i.consultation_id);
        self.items = response.items;
        self.loaded_at = Some(response.generated_at);
        // Keep the selection on the same consultation across a refresh.
        if let Some(id) = selected_id
            && let Some(pos) = self.visible().iter().position(|i| i.consultation_id == id)
        {
            self.selected = pos;
        }
        self.clamp();
    }

    fn clamp(&mut self) {
        self.selected = list::clamp(self.selected, self.visible().len());
    }

    fn title<'i>(ui: &Ui, item: &'i DeadlineItem) -> &'i str {
        ui.i18n.pick(&item.title_fa, &item.title_en)
    }
}

/// The colour of a flag, by severity.
pub fn flag_slot(flag: DeadlineFlag) -> Slot {
    match flag {
        DeadlineFlag::ReportOverdue => Slot::DeadlineOverdue,
        DeadlineFlag::ClosingSoon => Slot::DeadlineClosingSoon,
        DeadlineFlag::ShortWindow => Slot::DeadlineShortWindow,
        DeadlineFlag::MissingTranslation => Slot::DeadlineMissingTranslation,
    }
}

impl PaneView for DeadlinesPane {
    fn pane(&self) -> Pane {
        Pane::Deadlines
    }

    fn refresh(&mut self, ctx: &mut PaneCtx) {
        if !self.remote.try_start(ctx.now) {
            return;
        }
        let client = ctx.client.clone();
        ctx.spawn(async move { Answer::Deadlines(client.deadlines().await) });
    }

    fn on_action(&mut self, action: Action, ctx: &mut PaneCtx) -> bool {
        let n = self.visible().len();
        match action {
            action if list::is_move(action) => {
                self.selected = list::moved(action, self.selected, n)
            }
            Action::CycleSort => {
                self.sort = match self.sort {
                    Sort::Urgency => Sort::Closing,
                    Sort::Closing => Sort::Title,
                    Sort::Title => Sort::Urgency,
                };
            }
            Action::CycleFilter => {
                self.filter = match self.filter {
                    Filter::All => Filter::Flagged,
                    Filter::Flagged => Filter::Open,
                    Filter::Open => Filter::All,
                };
                self.clamp();
            }
            Action::Refresh => self.refresh(ctx),
            _ => return false,
        }
        true
    }

    fn on_event(&mut self, event: &Event, ctx: &mut PaneCtx) {
        if matches!(event.kind, EventKind::ConsultationChanged { .. }) {
            self.refresh(ctx);
        }
    }

    fn on_tick(&mut self, ctx: &mut PaneCtx) {
        if self
            .loaded_at
            .is_none_or(|at| ctx.now - at >= REFRESH_EVERY)
        {
            self.refresh(ctx);
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let block = ui.block(ui.t("pane.deadlines.title"), true);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let detail_height = if inner.height >= 20 { 7 } else { 4 };
        let [header, list, detail] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Min(3),
            Constraint::Length(detail_height),
        ])
        .areas(inner);

        // Sort and filter line.
        let order = ui.t(match self.sort {
            Sort::Urgency => "pane.deadlines.sort_urgency",
            Sort::Closing => "pane.deadlines.sort_closing",
            Sort::Title => "pane.deadlines.sort_title",
        });
        let filter = ui.t(match self.filter {
            Filter::All => "pane.deadlines.filter_all",
            Filter::Flagged => "pane.deadlines.filter_flagged",
            Filter::Open => "pane.deadlines.filter_open",
        });
        let summary = format!(
            "{} · {}",
            ui.f("pane.deadlines.sorted_by", &[("order", order)]),
            ui.f("pane.deadlines.showing", &[("filter", filter)])
        );
        let [summary_row, columns_row] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(header);
        frame.render_widget(
            Paragraph::new(ui.label(&summary, summary_row.width, ui.style(Slot::TextMuted))),
            summary_row,
        );

        let wide = inner.width >= 120;
        let mut constraints = vec![
            Constraint::Min(20),
            Constraint::Length(10),
            Constraint::Length(10),
        ];
        if wide {
            constraints.push(Constraint::Length(10));
            constraints.push(Constraint::Length(11));
        }
        // Days left: a narrow column of numbers; as wide as its heading where there is room
        // (on a narrow screen the titles need it more).
        let days_heading = if wide {
            ui.width(ui.t("pane.deadlines.column_days_left"))
                .clamp(9, 18)
        } else {
            9
        };
        constraints.extend([
            Constraint::Length(days_heading),
            Constraint::Length(if wide { 34 } else { 16 }),
        ]);
        let list_width = list.width.saturating_sub(1);
        let cols = ui.columns(list_width, &constraints);
        let mut heads = vec!["column_title", "column_status", "column_closes"];
        if wide {
            heads.extend(["column_opens", "column_window"]);
        }
        heads.extend(["column_days_left", "column_flags"]);
        let head_cells: Vec<Line<'static>> = heads
            .iter()
            .zip(&cols)
            .map(|(k, (_, w))| {
                ui.label(
                    ui.t(&format!("pane.deadlines.{k}")),
                    *w,
                    ui.style(Slot::Title),
                )
            })
            .collect();
        let header_line = ui.row(list_width, &cols, head_cells, ui.style(Slot::Title));
        // The scrollbar takes one column: on the left in a mirrored interface.
        let content = |r: Rect| {
            if ui.rtl() {
                Rect {
                    x: r.x + 1,
                    width: list_width,
                    ..r
                }
            } else {
                Rect {
                    width: list_width,
                    ..r
                }
            }
        };
        frame.render_widget(Paragraph::new(header_line), content(columns_row));

        let visible = list.height as usize;
        crate::ui::scroll_into_view(self.selected, &mut self.scroll, visible);
        let rows = self.visible();
        if rows.is_empty() {
            let text = match (self.remote.error(), self.loaded_at) {
                (Some(e), _) => ui.f("error.generic", &[("message", e)]),
                (None, None) => ui.t("app.loading").to_owned(),
                (None, Some(_)) => ui.t("pane.deadlines.empty").to_owned(),
            };
            frame.render_widget(
                Paragraph::new(ui.label(&text, list.width, ui.style(Slot::TextMuted))),
                list,
            );
            return;
        }
        let mut lines = Vec::with_capacity(visible);
        for (i, item) in rows.iter().enumerate().skip(self.scroll).take(visible) {
            let base = if i == self.selected {
                ui.style(Slot::Selection)
            } else {
                ui.style(Slot::TextNormal)
            };
            let mut cells = vec![
                ui.cell(Self::title(ui, item), cols[0].1, base),
                ui.label(
                    ui.t(&format!("consultation_status.{}", item.status.as_str())),
                    cols[1].1,
                    base,
                ),
                ui.label(&ui.date(item.closes_at), cols[2].1, base),
            ];
            let mut next = 3;
            if wide {
                cells.push(ui.label(&ui.date(item.opens_at), cols[3].1, base));
                cells.push(
                    ui.label(
                        &ui.i18n
                            .count("pane.deadlines.window", item.window_days, &[]),
                        cols[4].1,
                        base,
                    ),
                );
                next = 5;
            }
            let days = if item.status == ConsultationStatus::Open {
                ui.num(item.days_left)
            } else {
                "—".into()
            };
            cells.push(ui.label(&days, cols[next].1, base));
            let flags: Vec<String> = item
                .flags
                .iter()
                .map(|f| ui.t(&format!("deadline_flag.{}", f.as_str())).to_owned())
                .collect();
            let slot = item
                .flags
                .first()
                .map_or(Slot::DeadlineOk, |f| flag_slot(*f));
            let flag_style = if i == self.selected {
                base
            } else {
                ui.style(slot)
            };
            let separator = if ui.rtl() { "، " } else { ", " };
            cells.push(ui.label(&flags.join(separator), cols[next + 1].1, flag_style));
            // The selected row is one colour from edge to edge; the others keep each cell's
            // own style (a row style would paint over the flags' colours).
            let row_style = if i == self.selected {
                base
            } else {
                Style::new()
            };
            lines.push(ui.row(list_width, &cols, cells, row_style));
        }
        frame.render_widget(Paragraph::new(lines), content(list));
        // A scrollbar only when the list does not fit.
        if rows.len() > visible {
            let mut bar = ScrollbarState::new(rows.len()).position(self.selected);
            frame.render_stateful_widget(ui.scrollbar(), list, &mut bar);
        }

        // Detail of the selected consultation: both calendars, report due, every flag in full.
        if let Some(item) = rows.get(self.selected) {
            draw_detail(frame, detail, ui, item);
        }
    }
}

impl Answers for DeadlinesPane {
    type Answer = Answer;

    fn on_answer(&mut self, answer: Answer, ctx: &mut PaneCtx) {
        let Answer::Deadlines(result) = answer;
        match result {
            Ok(response) => {
                self.remote.succeeded();
                self.set_items(response);
            }
            Err(e) => {
                let message = ctx.failed(&e);
                self.remote.failed(message);
            }
        }
    }
}

fn draw_detail(frame: &mut Frame, area: Rect, ui: &Ui, item: &DeadlineItem) {
    let both = |at: DateTime<Utc>| {
        let persian = dates::format_date(at, CalendarKind::Persian, DateStyle::Long, ui.i18n);
        let gregorian =
            dates::format_date(at, CalendarKind::Gregorian, DateStyle::Numeric, ui.i18n);
        format!("{persian} ({gregorian})")
    };
    let mut lines: Vec<Line<'static>> = Vec::new();
    let title = if ui.i18n.locale().code() == "fa" {
        &item.title_fa
    } else {
        &item.title_en
    };
    lines.push(ui.cell(title, area.width, ui.style(Slot::Title)));
    lines.push(ui.label(
        &format!(
            "{}: {}  —  {}: {}",
            ui.t("pane.deadlines.column_opens"),
            both(item.opens_at),
            ui.t("pane.deadlines.column_closes"),
            both(item.closes_at)
        ),
        area.width,
        ui.style(Slot::TextNormal),
    ));
    let days = dates::days_until(ui.now, item.closes_at);
    let mut status = match item.status {
        ConsultationStatus::Open => dates::days_left_text(days, ui.i18n),
        ConsultationStatus::Scheduled => {
            dates::opens_in_text(dates::days_until(ui.now, item.opens_at), ui.i18n)
        }
        _ => ui
            .t(&format!("consultation_status.{}", item.status.as_str()))
            .to_owned(),
    };
    status.push_str(&format!(
        " · {}",
        ui.i18n
            .count("pane.deadlines.window", item.window_days, &[])
    ));
    if let Some(due) = item.report_due_at {
        status.push_str(&format!(
            " · {}",
            ui.f("pane.deadlines.report_due", &[("date", &both(due))])
        ));
    }
    lines.push(ui.label(&status, area.width, ui.style(Slot::TextMuted)));
    if !item.flags.is_empty() {
        let mut spans: Vec<Span<'static>> = Vec::new();
        for flag in &item.flags {
            let text = format!(" {} ", ui.t(&format!("deadline_flag.{}", flag.as_str())));
            spans.extend(
                ui.cell(
                    &text,
                    ui.width(&text),
                    ui.style(flag_slot(*flag))
                        .add_modifier(ratatui::style::Modifier::REVERSED),
                )
                .spans,
            );
            spans.push(Span::raw(" "));
        }
        if ui.rtl() {
            spans.reverse();
            let used: usize = spans.iter().map(|s| s.width()).sum();
            spans.insert(
                0,
                Span::raw(" ".repeat((area.width as usize).saturating_sub(used))),
            );
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

#[cfg(test)]
mod tests {
    //! The Deadlines pane drawn into a `TestBackend` at a fixed clock over fixed data: snapshots
    //! in Persian and English at 80×24 and 160×48, and the colours of the flags.

    use chrono::TimeZone;
    use mosharekat_api::{ConsultationKind, Role};
    use ratatui::buffer::Buffer;
    use ratatui::style::{Color, Modifier};

    use super::*;
    use crate::panes::testing::{self, Area, trimmed_rows as rows};
    use crate::theme::Theme;

    /// 12:00 in Tehran on 11 Ordibehesht 1404.
    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 5, 1, 8, 30, 0).unwrap()
    }

    fn days(n: i64) -> Duration {
        Duration::days(n)
    }

    #[allow(clippy::too_many_arguments)]
    fn item(
        id: i64,
        title_fa: &str,
        title_en: &str,
        status: ConsultationStatus,
        opens_in: i64,
        closes_in: i64,
        report_due_in: Option<i64>,
        flags: Vec<DeadlineFlag>,
    ) -> DeadlineItem {
        // Midnight-ish in Tehran so that dates do not depend on the hour.
        let base = Utc.with_ymd_and_hms(2025, 5, 1, 20, 30, 0).unwrap();
        DeadlineItem {
            consultation_id: id,
            kind: ConsultationKind::Regulation,
            title_fa: title_fa.into(),
            title_en: title_en.into(),
            status,
            opens_at: base + days(opens_in),
            closes_at: base + days(closes_in),
            days_left: closes_in,
            window_days: closes_in - opens_in,
            report_due_at: report_due_in.map(|d| base + days(d)),
            report_published_at: None,
            flags,
        }
    }

    /// Five consultations in the server's urgency order: a report overdue, one closing soon
    /// with a short window, one without English text, an ordinary open one and a scheduled one.
    fn response() -> DeadlinesResponse {
        use ConsultationStatus::*;
        use DeadlineFlag::*;
        DeadlinesResponse {
            items: vec![
                item(
                    1,
                    "آیین‌نامه شفافیت قراردادها",
                    "Contract transparency regulation",
                    Closed,
                    -70,
                    -40,
                    Some(-10),
                    vec![ReportOverdue],
                ),
                item(
                    2,
                    "طرح ملی آب 1404",
                    "National water plan 1404",
                    Open,
                    -20,
                    3,
                    Some(33),
                    vec![ClosingSoon, ShortWindow],
                ),
                item(
                    3,
                    "دستورالعمل مشارکت الکترونیکی",
                    "",
                    Open,
                    -5,
                    45,
                    Some(75),
                    vec![MissingTranslation],
                ),
                item(
                    4,
                    "قانون VAT جدید",
                    "New VAT law",
                    Open,
                    -10,
                    35,
                    Some(65),
                    vec![],
                ),
                item(
                    5,
                    "برنامه توسعه",
                    "Development programme",
                    Scheduled,
                    10,
                    50,
                    Some(80),
                    vec![],
                ),
            ],
            closing_soon_days: 7,
            report_due_days: 30,
            generated_at: now(),
        }
    }

    fn loaded() -> DeadlinesPane {
        let mut pane = DeadlinesPane::default();
        pane.set_items(response());
        pane
    }

    fn draw(pane: &mut DeadlinesPane, lang: &str, width: u16, height: u16) -> (Buffer, Theme) {
        let buffer = testing::draw_pane(
            pane,
            lang,
            (width, height),
            now(),
            Role::Operator,
            Area::PaneArea,
        );
        (buffer, Theme::embedded("dark").unwrap())
    }

    fn screen(buffer: &Buffer) -> String {
        rows(buffer).join("\n")
    }

    /// Where `needle` starts on row `y`, in cells.
    fn x_of(buffer: &Buffer, y: u16, needle: &str) -> Option<u16> {
        let row: Vec<&str> = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect();
        let chars: Vec<String> = needle.chars().map(String::from).collect();
        row.windows(chars.len())
            .position(|w| w.iter().zip(&chars).all(|(a, b)| *a == b))
            .map(|x| x as u16)
    }

    /// The first (row, column) of `needle`.
    fn find(buffer: &Buffer, needle: &str) -> Option<(u16, u16)> {
        (0..buffer.area.height).find_map(|y| x_of(buffer, y, needle).map(|x| (y, x)))
    }

    #[test]
    fn snapshots() {
        for lang in ["fa", "en"] {
            for (width, height) in [(80, 24), (160, 48)] {
                let mut pane = loaded();
                let (buffer, _) = draw(&mut pane, lang, width, height);
                insta::assert_snapshot!(
                    format!("deadlines_{lang}_{width}x{height}"),
                    screen(&buffer)
                );
            }
        }
    }

    #[test]
    fn persian_is_mirrored_with_jalali_dates_and_persian_digits() {
        let mut pane = loaded();
        let (buffer, _) = draw(&mut pane, "fa", 160, 48);
        let text = screen(&buffer);
        // «قانون VAT جدید» in visual order, written by hand.
        let (row, title_x) = find(&buffer, "دیدج VAT نوناق").expect("title");
        // The title column is the rightmost: its title ends near the right border, the days
        // left («۳۵») stand to its left.
        assert!(title_x > 100, "title at {title_x}\n{text}");
        let days = x_of(&buffer, row, "۳۵").expect("days left in Persian digits");
        assert!(days < title_x, "{text}");
        // Closes 16 Khordad 1404 (6 June 2025 in Tehran): Jalali, Persian digits.
        assert!(rows(&buffer)[row as usize].contains("۱۴۰۴/۰۳/۱۶"), "{text}");
        assert!(
            !text.contains("2025"),
            "a Gregorian date in the list\n{text}"
        );
        // The detail view gives both calendars for the selected (overdue) consultation.
        assert!(
            text.contains("۲۰۲۵"),
            "the Gregorian date in the detail view\n{text}"
        );
        // The English interface is not mirrored: titles start at the left.
        let (english, _) = draw(&mut loaded(), "en", 160, 48);
        let (_, en_title_x) = find(&english, "New VAT law").expect("English title");
        assert!(en_title_x < 5, "English title at {en_title_x}");
    }

    #[test]
    fn flags_are_coloured_by_severity() {
        for lang in ["fa", "en"] {
            let mut pane = loaded();
            // Away from the overdue row, so that every list row keeps its flag colour.
            pane.selected = 4;
            let (buffer, theme) = draw(&mut pane, lang, 160, 48);
            // The flags' labels as they stand on the screen (Persian in visual order, written
            // by hand).
            let label = |flag: DeadlineFlag| match (lang, flag) {
                ("fa", DeadlineFlag::ReportOverdue) => "شرازگ راشتنا رد ریخأت",
                ("fa", DeadlineFlag::ClosingSoon) => "نایاپ هب کیدزن",
                ("fa", DeadlineFlag::ShortWindow) => "زور ۳۰ زا رتمک تدم",
                ("fa", DeadlineFlag::MissingTranslation) => "درادن یسیلگنا نتم",
                (_, DeadlineFlag::ReportOverdue) => "Report overdue",
                (_, DeadlineFlag::ClosingSoon) => "Closing soon",
                (_, DeadlineFlag::ShortWindow) => "Window under 30 days",
                (_, DeadlineFlag::MissingTranslation) => "English text missing",
            };
            for flag in [
                DeadlineFlag::ReportOverdue,
                DeadlineFlag::ClosingSoon,
                DeadlineFlag::MissingTranslation,
            ] {
                let needle = label(flag);
                let (y, x) = find(&buffer, needle)
                    .unwrap_or_else(|| panic!("{needle} not drawn\n{}", screen(&buffer)));
                let expected = theme.style(flag_slot(flag));
                let cell = &buffer[(x, y)];
                assert_eq!(
                    Some(cell.fg),
                    expected.fg,
                    "{lang} {flag:?} foreground\n{}",
                    screen(&buffer)
                );
                if let Some(bg) = expected.bg {
                    assert_eq!(cell.bg, bg, "{lang} {flag:?} background");
                }
            }
            // The flag of the selected row stands in the detail view in reverse video.
            pane.selected = 1;
            let (buffer, _) = draw(&mut pane, lang, 160, 48);
            let needle = label(DeadlineFlag::ShortWindow);
            let reversed = (0..buffer.area.height).any(|y| {
                x_of(&buffer, y, needle).is_some_and(|x| {
                    buffer[(x, y)].modifier.contains(Modifier::REVERSED)
                        && buffer[(x, y)].fg == Color::Yellow
                })
            });
            assert!(reversed, "{lang}: detail flags\n{}", screen(&buffer));
        }
    }

    #[test]
    fn a_scrollbar_only_when_the_list_overflows_on_the_far_side() {
        let symbols = |buffer: &Buffer, x: u16| -> String {
            (0..buffer.area.height)
                .map(|y| buffer[(x, y)].symbol())
                .collect()
        };
        let (fits, _) = draw(&mut loaded(), "fa", 80, 24);
        assert!(!symbols(&fits, 1).contains('▲'), "{}", screen(&fits));
        let mut many = response();
        for i in 0..30 {
            let mut extra = many.items[3].clone();
            extra.consultation_id = 100 + i;
            many.items.push(extra);
        }
        for (lang, x) in [("fa", 1), ("en", 78)] {
            let mut pane = DeadlinesPane::default();
            pane.set_items(many.clone());
            let (buffer, _) = draw(&mut pane, lang, 80, 24);
            let bar = symbols(&buffer, x);
            assert!(
                bar.contains('▲') && bar.contains('▼'),
                "{lang}\n{}",
                screen(&buffer)
            );
        }
    }
}
