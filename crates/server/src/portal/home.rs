//! The home page: open calls (closing soonest first, with the time left), upcoming calls, and the
//! archive of closed ones with their report and decisions status; a search by title.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use mosharekat_api::{Consultation, ConsultationStatus};

use super::session::Visitor;
use super::view::{self, Chrome, PageQuery, html, long_date, time_left};
use crate::state::AppState;
use crate::store::ConsultationFilter;

/// Closed consultations shown per archive page.
const ARCHIVE_PAGE: usize = 20;

#[derive(Debug, Default, serde::Deserialize)]
pub struct HomeQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    archive: Option<usize>,
}

/// A consultation in a list.
pub struct Card {
    pub href: String,
    pub title: String,
    /// The language the title is in (`fa` or `en`).
    pub title_lang: &'static str,
    pub kind: String,
    pub drafting_unit: String,
    /// "Open until …", "Opens on …", "Closed on …".
    pub dates: String,
    /// The time left (open), until opening (upcoming), since closing (archive).
    pub when: String,
    /// Comments received so far (open calls).
    pub comments: Option<String>,
    /// Report and decisions (archive only).
    pub report: Option<String>,
    pub decisions: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/home.html")]
pub struct HomePage {
    pub c: Chrome,
    pub query: String,
    pub searched: bool,
    pub open: Vec<Card>,
    pub upcoming: Vec<Card>,
    pub archive: Vec<Card>,
    pub archive_next: Option<String>,
    pub archive_prev: Option<String>,
    pub results_line: String,
}

/// Every published consultation (drafts are not public), read in id order in batches.
pub(super) async fn published(
    state: &AppState,
) -> Result<Vec<Consultation>, crate::store::StoreError> {
    let now = state.now();
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let filter = ConsultationFilter {
            status: None,
            after,
            limit: 500,
        };
        let batch = state.store.list_consultations(&filter, now).await?;
        after = batch.last().map(|c| c.id);
        let done = batch.len() < 500;
        all.extend(
            batch
                .into_iter()
                .filter(|c| c.status != ConsultationStatus::Draft),
        );
        if done {
            return Ok(all);
        }
    }
}

/// Whether a title matches a search: both normalised the way campaign texts are (Arabic and
/// Persian letter forms, digits, case folded), so «ي» finds «ی» and «۱۴۰۴» finds «1404».
fn matches(c: &Consultation, query: &str) -> bool {
    use mosharekat_api::text::normalize_for_duplicates as norm;
    let q = norm(query);
    q.is_empty() || norm(&c.title_fa).contains(&q) || norm(&c.title_en).contains(&q)
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    PageQuery(q): PageQuery<HomeQuery>,
) -> Response {
    let lang = visitor.lang;
    let cat = lang.catalogue();
    let now = state.now();
    let all = match published(&state).await {
        Ok(all) => all,
        Err(e) => return view::server_error(&visitor, e),
    };
    let query = q.q.trim().chars().take(200).collect::<String>();
    let found: Vec<Consultation> = all.into_iter().filter(|c| matches(c, &query)).collect();
    let card = |c: &Consultation, dates: String, when: String| Card {
        href: visitor.href(&format!("/c/{}", c.id)),
        title: lang.pick(&c.title_fa, &c.title_en).to_owned(),
        title_lang: lang.picked(&c.title_en).code(),
        kind: cat
            .text(&format!("consultation_kind.{}", c.kind.as_str()))
            .to_owned(),
        drafting_unit: c.drafting_unit.clone(),
        dates,
        when,
        comments: None,
        report: None,
        decisions: None,
    };

    let mut open: Vec<&Consultation> = found
        .iter()
        .filter(|c| c.status == ConsultationStatus::Open)
        .collect();
    open.sort_by_key(|c| (c.closes_at, c.id));
    let open = open
        .into_iter()
        .map(|c| {
            let mut card = card(
                c,
                cat.format(
                    "portal.open_until",
                    &[("date", &long_date(c.closes_at, cat))],
                ),
                time_left(now, c.closes_at, cat),
            );
            card.comments = Some(view::plural(cat, "portal.comments_so_far", c.comment_count));
            card
        })
        .collect();

    let mut upcoming: Vec<&Consultation> = found
        .iter()
        .filter(|c| c.status == ConsultationStatus::Scheduled)
        .collect();
    upcoming.sort_by_key(|c| (c.opens_at, c.id));
    let upcoming = upcoming
        .into_iter()
        .map(|c| {
            let days = mosharekat_locale::calendar::days_until(now, c.opens_at).max(0);
            card(
                c,
                cat.format("portal.opens_on", &[("date", &long_date(c.opens_at, cat))]),
                view::plural(cat, "date.opens_in", days),
            )
        })
        .collect();

    // The archive: most recently closed first.
    let mut closed: Vec<&Consultation> = found
        .iter()
        .filter(|c| c.status == ConsultationStatus::Closed)
        .collect();
    closed.sort_by_key(|c| {
        let closed_at = c.closed_early_at.unwrap_or(c.closes_at).min(c.closes_at);
        (std::cmp::Reverse(closed_at), std::cmp::Reverse(c.id))
    });
    let archive_page = q.archive.unwrap_or(0);
    let total_closed = closed.len();
    let mut archive = Vec::new();
    for c in closed
        .into_iter()
        .skip(archive_page * ARCHIVE_PAGE)
        .take(ARCHIVE_PAGE)
    {
        let closed_at = c.closed_early_at.unwrap_or(c.closes_at).min(c.closes_at);
        let decisions = match state.store.public_decisions(c.id).await {
            Ok(d) => d.len(),
            Err(e) => return view::server_error(&visitor, e),
        };
        let mut card = card(
            c,
            cat.format("portal.closed_on", &[("date", &long_date(closed_at, cat))]),
            view::closed_ago(now, closed_at, cat),
        );
        card.report = Some(
            cat.text(if c.report_published_at.is_some() {
                "portal.report_published"
            } else {
                "portal.report_pending"
            })
            .to_owned(),
        );
        card.decisions = Some(if decisions > 0 {
            view::plural(cat, "portal.decisions_published", decisions as i64)
        } else {
            cat.text("portal.decisions_pending").to_owned()
        });
        archive.push(card);
    }
    let search_param = if query.is_empty() {
        String::new()
    } else {
        format!(
            "q={}&",
            percent_encoding::utf8_percent_encode(&query, percent_encoding::NON_ALPHANUMERIC)
        )
    };
    let archive_link =
        |page: usize| visitor.href(&format!("/?{search_param}archive={page}#archive"));
    let archive_next =
        ((archive_page + 1) * ARCHIVE_PAGE < total_closed).then(|| archive_link(archive_page + 1));
    let archive_prev = (archive_page > 0).then(|| archive_link(archive_page - 1));
    let results_line = view::plural(cat, "portal.search_results", found.len() as i64);
    let title = cat.text("portal.home.title").to_owned();
    let page = HomePage {
        c: Chrome::new(&visitor, &title, "home"),
        searched: !query.is_empty(),
        query,
        open,
        upcoming,
        archive,
        archive_next,
        archive_prev,
        results_line,
    };
    html(StatusCode::OK, &page)
}
