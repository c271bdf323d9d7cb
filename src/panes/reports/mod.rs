//! The Reports pane (operators, admins): pick a consultation (closed ones first), generate or
//! regenerate its comprehensive report, preview it (the published report's document drawn for
//! the terminal: key concerns, participants by age band, gender, province and category as bar
//! charts, turnout per day, poll results, decisions), publish it after a confirmation, and
//! export it to a file in JSON, Markdown, HTML or CSV.
//!
//! Exports go to `<data dir>/exports/` (the console's data folder, next to its journal and logs)
//! and are named `report-<consultation>-v<version>.<ext>`; an existing file is replaced only after
//! the operator says so. The file holds exactly the bytes the backend served.

mod draw;
mod preview;
#[cfg(test)]
pub(crate) mod tests;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use mosharekat_api::{
    Consultation, ConsultationStatus, Event, EventKind, Report, ReportFormat, ReportPublished,
};
use ratatui::Frame;
use ratatui::layout::Rect;

use super::remote::Remote;
use super::{Answers, PaneCtx, PaneView, list};
use crate::client::{Client, ClientError, ClientResult};
use crate::keymap::{Action, Context, Pane};
use crate::ui::{Choice, ChoicePicker, Confirm, DialogResult, Ui};

/// What the pane's requests come back with.
#[allow(
    clippy::large_enum_variant,
    reason = "moved once, into a boxed `PaneAnswer`"
)]
pub enum Answer {
    List(ListAnswer),
    Report(ReportAnswer),
    Publish(PublishAnswer),
    Export(ExportAnswer),
}

/// The answer to the consultation list request.
pub struct ListAnswer(pub ClientResult<Vec<Consultation>>);

/// The answer to a report request: the latest draft, and what is public.
pub struct ReportAnswer {
    pub consultation_id: i64,
    /// Whether this answers a generation (else a read).
    pub generated: bool,
    pub draft: ClientResult<Report>,
    /// The published report (`None` when nothing is published or it could not be read).
    pub published: Option<Published>,
}

/// The answer to a publication.
pub struct PublishAnswer {
    pub consultation_id: i64,
    pub result: ClientResult<ReportPublished>,
}

/// The answer to an export.
pub struct ExportAnswer {
    pub consultation_id: i64,
    pub result: Result<PathBuf, ExportError>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportError {
    Client(ClientError),
    /// The file appeared meanwhile; nothing was overwritten.
    Exists(PathBuf),
    Io(String),
}

/// Which version is public, when and by whom it was published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub version: i64,
    pub at: DateTime<Utc>,
    pub by: String,
}

impl Published {
    fn of(report: &Report) -> Option<Published> {
        Some(Published {
            version: report.version,
            at: report.published_at?,
            by: report.published_by.clone()?,
        })
    }
}

/// What is known of one consultation's report.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub draft: Option<Report>,
    pub published: Option<Published>,
    /// No draft yet (the backend answered 404).
    pub missing: bool,
    pub loading: bool,
    pub generating: bool,
    pub publishing: bool,
    /// Why the last request failed, ready to show.
    pub error: Option<String>,
}

/// An export waiting for the operator's word (the file exists) or running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportJob {
    pub consultation_id: i64,
    pub format: ReportFormat,
    pub path: PathBuf,
}

/// What a built preview depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PreviewKey {
    consultation_id: i64,
    version: i64,
    generated_at: DateTime<Utc>,
    width: u16,
    lang: String,
}

enum Dialog {
    Publish(i64, Confirm),
    Format(i64, ChoicePicker),
    Overwrite(ExportJob, Confirm),
}

pub struct ReportsPane {
    list: Vec<Consultation>,
    /// The consultation list's load state.
    list_state: Remote,
    selected: usize,
    list_scroll: usize,
    entries: HashMap<i64, Entry>,
    /// First preview row shown (clamped when drawn).
    scroll: usize,
    /// Preview rows visible at the last draw (a page).
    page: usize,
    dialog: Option<Dialog>,
    export_dir: PathBuf,
    exporting: bool,
    last_export: Option<PathBuf>,
    preview: Option<(PreviewKey, Vec<ratatui::text::Line<'static>>)>,
}

impl Default for ReportsPane {
    fn default() -> Self {
        Self::new(default_export_dir())
    }
}

/// `<data dir>/exports`, absolute; the current folder's `exports` when there is no home.
pub fn default_export_dir() -> PathBuf {
    let base = crate::config::Dirs::discover()
        .map(|d| d.data)
        .unwrap_or_else(|_| PathBuf::from("."));
    let dir = base.join("exports");
    std::path::absolute(&dir).unwrap_or(dir)
}

/// Sort key: closed first (most recently closed first), then open (closing soonest), scheduled,
/// drafts.
fn order(c: &Consultation) -> (u8, i64) {
    match c.status {
        ConsultationStatus::Closed => (0, -c.closed_at().timestamp()),
        ConsultationStatus::Open => (1, c.closes_at.timestamp()),
        ConsultationStatus::Scheduled => (2, c.opens_at.timestamp()),
        ConsultationStatus::Draft => (3, -c.id),
    }
}

/// The file an export of `version` in `format` goes to.
pub fn export_path(
    dir: &Path,
    consultation_id: i64,
    version: i64,
    format: ReportFormat,
) -> PathBuf {
    dir.join(format!(
        "report-{consultation_id}-v{version}.{}",
        format.extension()
    ))
}

/// Fetch the report in `format` and write it to `job.path`: a new file unless `overwrite`
/// (then written beside it and moved into place, so a reader never sees half a file).
pub async fn run_export(client: Client, job: ExportJob, overwrite: bool) -> ExportAnswer {
    let consultation_id = job.consultation_id;
    let result = async {
        let bytes = client
            .report_file(job.consultation_id, job.format)
            .await
            .map_err(ExportError::Client)?;
        write_export(&job.path, &bytes, overwrite)?;
        Ok(job.path.clone())
    }
    .await;
    ExportAnswer {
        consultation_id,
        result,
    }
}

/// Write `bytes` to `path`, never replacing an existing file unless `overwrite`.
pub fn write_export(path: &Path, bytes: &[u8], overwrite: bool) -> Result<(), ExportError> {
    use std::io::Write;
    let io = |e: std::io::Error| ExportError::Io(format!("{}: {e}", path.display()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    if overwrite {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = path.with_file_name(format!(".{name}.{}.part", std::process::id()));
        let written = std::fs::File::create(&tmp)
            .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
            .and_then(|()| std::fs::rename(&tmp, path));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(io(e));
        }
        return Ok(());
    }
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(ExportError::Exists(path.to_owned()));
        }
        Err(e) => return Err(io(e)),
    };
    if let Err(e) = file.write_all(bytes).and_then(|()| file.sync_all()) {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(io(e));
    }
    Ok(())
}

/// Read the draft and the public copy of a consultation's report.
async fn load_report(client: Client, consultation_id: i64) -> ReportAnswer {
    let draft = client.report(consultation_id).await;
    let published = published_of(&client, consultation_id, draft.as_ref().ok()).await;
    ReportAnswer {
        consultation_id,
        generated: false,
        draft,
        published,
    }
}

/// What is public: the draft itself when it is the published version, else the public copy.
async fn published_of(
    client: &Client,
    consultation_id: i64,
    draft: Option<&Report>,
) -> Option<Published> {
    if let Some(p) = draft.and_then(Published::of) {
        return Some(p);
    }
    client
        .public_report(consultation_id)
        .await
        .ok()
        .as_ref()
        .and_then(Published::of)
}

impl ReportsPane {
    pub fn new(export_dir: PathBuf) -> Self {
        ReportsPane {
            list: Vec::new(),
            list_state: Remote::default(),
            selected: 0,
            list_scroll: 0,
            entries: HashMap::new(),
            scroll: 0,
            page: 10,
            dialog: None,
            export_dir,
            exporting: false,
            last_export: None,
            preview: None,
        }
    }

    pub fn export_dir(&self) -> &Path {
        &self.export_dir
    }

    /// The consultations listed, in their order.
    pub fn consultations(&self) -> &[Consultation] {
        &self.list
    }

    pub fn current(&self) -> Option<&Consultation> {
        self.list.get(self.selected)
    }

    pub fn entry(&self, consultation_id: i64) -> Option<&Entry> {
        self.entries.get(&consultation_id)
    }

    /// The file the last export wrote.
    pub fn last_export(&self) -> Option<&Path> {
        self.last_export.as_deref()
    }

    pub fn exporting(&self) -> bool {
        self.exporting
    }

    /// Whether a request for the consultation on screen is in flight.
    pub fn busy(&self) -> bool {
        self.list_state.is_loading()
            || self.exporting
            || self
                .current()
                .and_then(|c| self.entries.get(&c.id))
                .is_some_and(|e| e.loading || e.generating || e.publishing)
    }

    /// Take a consultation list, keeping the selection on the same consultation.
    pub fn set_list(&mut self, mut list: Vec<Consultation>) {
        let keep = self.current().map(|c| c.id);
        list.sort_by_key(order);
        self.list = list;
        self.list_state.succeeded();
        self.selected = list::clamp(
            keep.and_then(|id| self.list.iter().position(|c| c.id == id))
                .unwrap_or(self.selected),
            self.list.len(),
        );
    }

    /// Take a report answer as if the backend had sent it.
    pub fn set_report(&mut self, report: Report, published: Option<Published>) {
        let entry = self.entries.entry(report.consultation.id).or_default();
        entry.missing = false;
        entry.error = None;
        entry.published = published;
        entry.draft = Some(report);
    }

    fn load_list(&mut self, ctx: &mut PaneCtx) {
        if !self.list_state.try_start(ctx.now) {
            return;
        }
        let client = ctx.client.clone();
        ctx.spawn(async move { Answer::List(ListAnswer(client.all_consultations().await)) });
    }

    fn load_report(&mut self, consultation_id: i64, ctx: &mut PaneCtx) {
        let entry = self.entries.entry(consultation_id).or_default();
        if entry.loading || entry.generating {
            return;
        }
        entry.loading = true;
        let client = ctx.client.clone();
        ctx.spawn(async move { Answer::Report(load_report(client, consultation_id).await) });
    }

    /// Load the report of the consultation on screen unless it is known.
    fn show_current(&mut self, ctx: &mut PaneCtx) {
        self.scroll = 0;
        if let Some(id) = self.current().map(|c| c.id)
            && !self.entries.contains_key(&id)
        {
            self.load_report(id, ctx);
        }
    }

    fn select(&mut self, index: usize, ctx: &mut PaneCtx) {
        let index = list::clamp(index, self.list.len());
        if index != self.selected {
            self.selected = index;
            self.show_current(ctx);
        }
    }

    fn generate(&mut self, ctx: &mut PaneCtx) {
        let Some(id) = self.current().map(|c| c.id) else {
            return;
        };
        let entry = self.entries.entry(id).or_default();
        if entry.generating {
            return;
        }
        entry.generating = true;
        entry.error = None;
        ctx.notify(ctx.i18n.text("pane.reports.generating").to_owned());
        let client = ctx.client.clone();
        ctx.spawn(async move {
            let draft = client.generate_report(id).await;
            let published = published_of(&client, id, draft.as_ref().ok()).await;
            Answer::Report(ReportAnswer {
                consultation_id: id,
                generated: true,
                draft,
                published,
            })
        });
    }

    /// The draft on screen, or a notice saying there is none yet.
    fn draft_or_say(&self, ctx: &mut PaneCtx) -> Option<(i64, i64)> {
        let c = self.current()?;
        match self.entries.get(&c.id).and_then(|e| e.draft.as_ref()) {
            Some(report) => Some((c.id, report.version)),
            None => {
                let key = ctx.i18n.text("reports.none_short").to_owned();
                ctx.notify(key);
                None
            }
        }
    }

    fn ask_publish(&mut self, ctx: &mut PaneCtx) {
        let Some((id, version)) = self.draft_or_say(ctx) else {
            return;
        };
        let title = self
            .current()
            .map(|c| ctx.i18n.pick(&c.title_fa, &c.title_en).to_owned())
            .unwrap_or_default();
        let message = ctx.i18n.format(
            "reports.confirm_publish",
            &[("version", &ctx.i18n.number(version)), ("title", &title)],
        );
        self.dialog = Some(Dialog::Publish(id, Confirm::new(message)));
    }

    fn publish(&mut self, id: i64, ctx: &mut PaneCtx) {
        let entry = self.entries.entry(id).or_default();
        if entry.publishing {
            return;
        }
        entry.publishing = true;
        let client = ctx.client.clone();
        ctx.spawn(async move {
            Answer::Publish(PublishAnswer {
                consultation_id: id,
                result: client.publish_report(id).await,
            })
        });
    }

    fn ask_format(&mut self, ctx: &mut PaneCtx) {
        let Some((id, _)) = self.draft_or_say(ctx) else {
            return;
        };
        if self.exporting {
            ctx.notify(ctx.i18n.text("reports.export_running"));
            return;
        }
        let choices = ReportFormat::ALL
            .iter()
            .map(|f| Choice {
                code: f.as_str().to_owned(),
                label: ctx
                    .i18n
                    .text(&format!("reports.format_{}", f.as_str()))
                    .to_owned(),
            })
            .collect();
        let title = ctx.i18n.format(
            "reports.export_to",
            &[("dir", &self.export_dir.display().to_string())],
        );
        self.dialog = Some(Dialog::Format(id, ChoicePicker::new(title, choices, false)));
    }

    /// The format was chosen: export now, or ask first when the file exists.
    fn export(&mut self, id: i64, format: ReportFormat, ctx: &mut PaneCtx) {
        let Some(version) = self
            .entries
            .get(&id)
            .and_then(|e| e.draft.as_ref())
            .map(|r| r.version)
        else {
            return;
        };
        let job = ExportJob {
            consultation_id: id,
            format,
            path: export_path(&self.export_dir, id, version, format),
        };
        if job.path.exists() {
            let message = ctx.i18n.format(
                "reports.confirm_overwrite",
                &[("path", &job.path.display().to_string())],
            );
            self.dialog = Some(Dialog::Overwrite(job, Confirm::new(message)));
        } else {
            self.start_export(job, false, ctx);
        }
    }

    fn start_export(&mut self, job: ExportJob, overwrite: bool, ctx: &mut PaneCtx) {
        self.exporting = true;
        ctx.notify(ctx.i18n.format(
            "reports.exporting",
            &[("path", &job.path.display().to_string())],
        ));
        let client = ctx.client.clone();
        ctx.spawn(async move { Answer::Export(run_export(client, job, overwrite).await) });
    }

    fn on_dialog(&mut self, action: Action, ctx: &mut PaneCtx) {
        let Some(dialog) = self.dialog.take() else {
            return;
        };
        match dialog {
            Dialog::Publish(id, mut confirm) => match confirm.on_action(action) {
                DialogResult::Open => self.dialog = Some(Dialog::Publish(id, confirm)),
                DialogResult::Cancelled => {}
                DialogResult::Done(()) => self.publish(id, ctx),
            },
            Dialog::Format(id, mut picker) => match picker.on_action(action) {
                DialogResult::Open => self.dialog = Some(Dialog::Format(id, picker)),
                DialogResult::Cancelled => {}
                DialogResult::Done(codes) => {
                    if let Some(format) = codes.first().and_then(|c| ReportFormat::from_code(c)) {
                        self.export(id, format, ctx);
                    }
                }
            },
            Dialog::Overwrite(job, mut confirm) => match confirm.on_action(action) {
                DialogResult::Open => self.dialog = Some(Dialog::Overwrite(job, confirm)),
                DialogResult::Cancelled => ctx.notify(ctx.i18n.text("reports.not_overwritten")),
                DialogResult::Done(()) => self.start_export(job, true, ctx),
            },
        }
    }

    fn error_text(&self, e: &ClientError, consultation_id: i64, ctx: &mut PaneCtx) -> String {
        ctx.failed(e);
        if e.code() == Some("consultation_not_closed") {
            let closes = self.list.iter().find(|c| c.id == consultation_id).map(|c| {
                crate::dates::format_date_time(
                    c.closes_at,
                    crate::dates::DateStyle::Numeric,
                    ctx.i18n,
                )
            });
            return match closes {
                Some(date) => ctx
                    .i18n
                    .format("reports.not_closed_until", &[("date", &date)]),
                None => ctx.i18n.text("pane.reports.not_closed").to_owned(),
            };
        }
        ctx.i18n
            .format("error.generic", &[("message", &e.to_string())])
    }

    fn on_report(&mut self, answer: ReportAnswer, ctx: &mut PaneCtx) {
        let ReportAnswer {
            consultation_id: id,
            generated,
            draft,
            published,
        } = answer;
        let error = match &draft {
            Err(e) if e.code() != Some("not_found") || generated => {
                Some(self.error_text(e, id, ctx))
            }
            _ => None,
        };
        let entry = self.entries.entry(id).or_default();
        if generated {
            entry.generating = false;
        } else {
            entry.loading = false;
        }
        match draft {
            Ok(report) => {
                if generated {
                    let time = crate::dates::format_date_time(
                        report.generated_at,
                        crate::dates::DateStyle::Numeric,
                        ctx.i18n,
                    );
                    ctx.notify(
                        ctx.i18n
                            .format("pane.reports.generated", &[("time", &time)]),
                    );
                }
                entry.draft = Some(report);
                entry.missing = false;
                entry.error = None;
                entry.published = published;
            }
            Err(e) if e.code() == Some("not_found") && !generated => {
                entry.draft = None;
                entry.missing = true;
                entry.error = None;
                entry.published = published;
            }
            Err(_) => {
                if let Some(text) = &error {
                    ctx.notify(text.clone());
                }
                entry.error = error;
            }
        }
    }

    fn on_published(&mut self, answer: PublishAnswer, ctx: &mut PaneCtx) {
        let id = answer.consultation_id;
        match answer.result {
            Ok(p) => {
                let entry = self.entries.entry(id).or_default();
                entry.publishing = false;
                entry.error = None;
                if let Some(draft) = entry.draft.as_mut().filter(|d| d.version == p.version) {
                    draft.published_at = Some(p.published_at);
                    draft.published_by = Some(p.published_by.clone());
                }
                entry.published = Some(Published {
                    version: p.version,
                    at: p.published_at,
                    by: p.published_by.clone(),
                });
                ctx.notify(ctx.i18n.count(
                    "reports.published_notice",
                    p.messages,
                    &[("version", &ctx.i18n.number(p.version))],
                ));
                if let Some(c) = self.list.iter_mut().find(|c| c.id == id) {
                    c.report_published_at.get_or_insert(p.published_at);
                }
            }
            Err(e) => {
                let text = self.error_text(&e, id, ctx);
                ctx.notify(text.clone());
                let entry = self.entries.entry(id).or_default();
                entry.publishing = false;
                entry.error = Some(text);
            }
        }
    }

    fn on_exported(&mut self, answer: ExportAnswer, ctx: &mut PaneCtx) {
        self.exporting = false;
        match answer.result {
            Ok(path) => {
                ctx.notify(ctx.i18n.format(
                    "pane.reports.exported",
                    &[("path", &path.display().to_string())],
                ));
                self.last_export = Some(path);
            }
            Err(ExportError::Exists(path)) => ctx.notify(ctx.i18n.format(
                "reports.export_exists",
                &[("path", &path.display().to_string())],
            )),
            Err(ExportError::Io(message)) => ctx.notify(
                ctx.i18n
                    .format("reports.export_failed", &[("message", &message)]),
            ),
            Err(ExportError::Client(e)) => {
                let text = self.error_text(&e, answer.consultation_id, ctx);
                ctx.notify(text);
            }
        }
    }
}

impl PaneView for ReportsPane {
    fn pane(&self) -> Pane {
        Pane::Reports
    }

    fn context(&self) -> Context {
        if self.dialog.is_some() {
            Context::Dialog
        } else {
            Context::Pane(Pane::Reports)
        }
    }

    fn refresh(&mut self, ctx: &mut PaneCtx) {
        self.load_list(ctx);
        if let Some(id) = self.current().map(|c| c.id) {
            self.load_report(id, ctx);
        }
    }

    fn on_action(&mut self, action: Action, ctx: &mut PaneCtx) -> bool {
        if self.dialog.is_some() {
            self.on_dialog(action, ctx);
            return true;
        }
        let n = self.list.len();
        match action {
            // A page moves the preview, not the list.
            Action::PageDown => self.scroll += self.page.max(1),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(self.page.max(1)),
            action if list::is_move(action) => {
                self.select(list::moved(action, self.selected, n), ctx)
            }
            Action::ScrollDown => self.scroll += 1,
            Action::ScrollUp => self.scroll = self.scroll.saturating_sub(1),
            Action::Generate => self.generate(ctx),
            Action::Publish => self.ask_publish(ctx),
            Action::Export => self.ask_format(ctx),
            Action::Refresh => self.refresh(ctx),
            _ => return false,
        }
        true
    }

    fn on_event(&mut self, event: &Event, ctx: &mut PaneCtx) {
        match &event.kind {
            EventKind::ReportGenerated {
                consultation_id, ..
            }
            | EventKind::ReportPublished {
                consultation_id, ..
            } if self.entries.contains_key(consultation_id) => {
                self.load_report(*consultation_id, ctx);
            }
            EventKind::ConsultationChanged { .. } if self.list_state.is_loaded() => {
                self.load_list(ctx)
            }
            _ => {}
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        self.draw_pane(frame, area, ui);
        match &self.dialog {
            None => {}
            Some(Dialog::Publish(_, confirm)) | Some(Dialog::Overwrite(_, confirm)) => {
                confirm.draw(frame, area, ui)
            }
            Some(Dialog::Format(_, picker)) => picker.draw(frame, area, ui),
        }
    }
}

impl Answers for ReportsPane {
    type Answer = Answer;

    fn on_answer(&mut self, answer: Answer, ctx: &mut PaneCtx) {
        match answer {
            Answer::List(answer) => match answer.0 {
                Ok(list) => {
                    self.set_list(list);
                    if let Some(id) = self.current().map(|c| c.id)
                        && !self.entries.contains_key(&id)
                    {
                        self.load_report(id, ctx);
                    }
                }
                Err(e) => {
                    let message = ctx.failed(&e);
                    self.list_state.failed(message);
                }
            },
            Answer::Report(answer) => self.on_report(answer, ctx),
            Answer::Publish(answer) => self.on_published(answer, ctx),
            Answer::Export(answer) => {
                self.on_exported(answer, ctx);
            }
        }
    }
}
