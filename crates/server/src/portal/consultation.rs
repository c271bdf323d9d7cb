//! A consultation's page (`/fa/c/{id}`): what it is and when, the bilingual summary, the polls and
//! surveys with their forms while open, the approved comments (paged), "you said, we did", the
//! published report's key figures with charts, and the top participants.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use mosharekat_api::report::document::{DIMENSIONS, bucket_label, count_text};
use mosharekat_api::{
    Article, Comment, CommentStatus, Consultation, ConsultationStatus, Poll, Report,
};

use super::chart::BarChart;
use super::draft::{ArticleLinks, DraftView, article_label, article_mention, draft_view};
use super::session::Visitor;
use super::view::{self, Chrome, Lang, PagePath, PageQuery, html, long_date, time_left};
use crate::state::AppState;
use crate::store::CommentFilter;

/// Approved comments per page.
pub const COMMENTS_PAGE: u32 = 20;

#[derive(Debug, Default, serde::Deserialize)]
pub struct ConsultationQuery {
    after: Option<i64>,
    sent: Option<String>,
    /// Only the comments on this article of the draft.
    article: Option<i64>,
}

pub struct OptionView {
    pub id: i64,
    pub label: String,
    pub lang: &'static str,
    /// Checked in the form (the visitor's choice kept after an error).
    pub checked: bool,
}

/// A poll or survey question with its form.
pub struct PollView {
    pub id: i64,
    pub question: String,
    pub question_lang: &'static str,
    pub kind: String,
    pub options: Vec<OptionView>,
    pub multiple: bool,
    pub action: String,
    pub ballots: String,
}

impl PollView {
    pub fn new(poll: &Poll, lang: Lang, action: String, chosen: &[i64]) -> Self {
        let cat = lang.catalogue();
        PollView {
            id: poll.id,
            question: lang.pick(&poll.question_fa, &poll.question_en).to_owned(),
            question_lang: lang.picked(&poll.question_en).code(),
            kind: cat
                .text(&format!("poll_kind.{}", poll.kind.as_str()))
                .to_owned(),
            options: poll
                .options
                .iter()
                .map(|o| OptionView {
                    id: o.id,
                    label: lang.pick(&o.label_fa, &o.label_en).to_owned(),
                    lang: lang.picked(&o.label_en).code(),
                    checked: chosen.contains(&o.id),
                })
                .collect(),
            multiple: poll.kind.allows_many(),
            action,
            ballots: view::plural(cat, "portal.poll.ballots", poll.total_ballots),
        }
    }
}

pub struct CommentView {
    pub id: i64,
    pub body: String,
    pub author: String,
    pub date: String,
    pub date_iso: String,
    pub proposal: bool,
    /// The comment this one answers: its anchor and label.
    pub reply_to: Option<(String, String)>,
    /// The article of the draft it is about: its link and "On article 3".
    pub article: Option<(String, String)>,
    /// "N people sent this same text".
    pub campaign: Option<String>,
    /// The reply form's link while the consultation is open.
    pub reply_href: Option<String>,
    /// Replies on this page to this comment (or to its replies), in the order they came.
    pub replies: Vec<CommentView>,
}

/// The summary in one language; the other language's comes with its title.
pub struct SummaryView {
    pub text: String,
    pub lang: &'static str,
    pub dir: &'static str,
    /// The title in this language, when it is not the page's language.
    pub title: Option<String>,
}

pub struct DecisionView {
    pub body: String,
    pub outcome: String,
    pub outcome_code: &'static str,
    pub rationale: String,
    pub rationale_lang: &'static str,
    pub legal_basis: String,
    pub date: String,
    pub group: Option<String>,
    /// The article of the draft the proposal is about: its link and "On article 3".
    pub article: Option<(String, String)>,
}

/// A table of numbers beside its chart (the accessible form of the same data).
pub struct ChartView {
    pub chart: BarChart,
    pub heading: String,
}

/// One row of the report's concerns per article: the article (linked to its text), its comment
/// counts and the concern tags used most on it.
pub struct ArticleConcernView {
    pub label: String,
    pub href: Option<String>,
    pub comments: String,
    pub approved: String,
    pub proposals: String,
    pub tags: String,
}

pub struct ReportView {
    pub figures: Vec<String>,
    /// Concerns per article of the draft, then the draft as a whole.
    pub articles: Vec<ArticleConcernView>,
    pub charts: Vec<ChartView>,
    pub full_href: String,
    pub published: String,
    pub suppressed_note: String,
}

#[derive(Template)]
#[template(path = "portal/consultation.html")]
pub struct ConsultationPage {
    pub c: Chrome,
    pub title: String,
    pub title_lang: &'static str,
    pub kind: String,
    pub status: String,
    pub drafting_unit: String,
    pub opens: String,
    pub closes: String,
    pub when: String,
    /// The summary in the page's language first, then the other.
    pub summaries: Vec<SummaryView>,
    /// The latest version of the draft, article by article.
    pub draft: Option<DraftView>,
    /// Link to every version, when there is more than one.
    pub versions_href: Option<String>,
    pub is_open: bool,
    pub sent: Option<String>,
    pub comment_href: String,
    pub propose_href: String,
    pub share_href: String,
    pub polls: Vec<PollView>,
    pub comments: Vec<CommentView>,
    pub comments_line: String,
    /// The comments shown are those on one article: "Comments on article 3" and the link back to
    /// all of them.
    pub comments_filter: Option<(String, String)>,
    pub comments_next: Option<String>,
    pub comments_first: Option<String>,
    pub decisions: Vec<DecisionView>,
    pub report: Option<ReportView>,
    pub top: Vec<(String, String, String)>,
}

/// A published consultation (drafts are not public), or `None`.
pub(super) async fn public_consultation(
    state: &AppState,
    id: i64,
) -> Result<Option<Consultation>, crate::store::StoreError> {
    Ok(state
        .store
        .get_consultation(id, state.now())
        .await?
        .filter(|c| c.status != ConsultationStatus::Draft))
}

/// An approved comment as the public sees it: the participant's group, never their name (names
/// are public only in the recognition lists they consented to).
pub(super) fn comment_view(
    c: &Comment,
    visitor: &Visitor,
    open: bool,
    latest_draft: i64,
) -> CommentView {
    let cat = visitor.lang.catalogue();
    CommentView {
        id: c.id,
        body: c.body.clone(),
        author: cat
            .text(&format!("category.{}", c.participant.category.as_str()))
            .to_owned(),
        date: long_date(c.created_at, cat),
        date_iso: mosharekat_locale::calendar::tehran_day(c.created_at)
            .format("%Y-%m-%d")
            .to_string(),
        proposal: c.is_proposal,
        reply_to: c.parent_id.map(|p| {
            (
                format!("#comment-{p}"),
                cat.format("portal.comment.reply_to", &[("id", &cat.number(p))]),
            )
        }),
        campaign: (c.duplicate_group_size > 1)
            .then(|| view::plural(cat, "portal.comment.campaign", c.duplicate_group_size)),
        reply_href: open.then(|| {
            visitor.href(&format!(
                "/c/{}/comment?reply_to={}",
                c.consultation_id, c.id
            ))
        }),
        article: c
            .article
            .as_ref()
            .map(|a| article_mention(visitor, c.consultation_id, a, latest_draft)),
        replies: Vec::new(),
    }
}

/// A page of comments (in id order) as threads: a reply whose parent is on the page goes under
/// the thread its parent is in; one whose parent is not starts a thread of its own and links to
/// the page its parent is on.
pub(super) fn threads(
    comments: &[Comment],
    visitor: &Visitor,
    open: bool,
    latest_draft: i64,
) -> Vec<CommentView> {
    let mut roots: Vec<CommentView> = Vec::new();
    let mut thread_of = std::collections::HashMap::<i64, usize>::new();
    for c in comments {
        let mut view = comment_view(c, visitor, open, latest_draft);
        match c.parent_id.and_then(|p| thread_of.get(&p).copied()) {
            Some(root) => {
                thread_of.insert(c.id, root);
                roots[root].replies.push(view);
            }
            None => {
                if let (Some(parent), Some((href, _))) = (c.parent_id, view.reply_to.as_mut()) {
                    // Ids are in order, so the page starting just before the parent holds it.
                    *href = visitor.href(&format!(
                        "/c/{}?after={}#comment-{parent}",
                        c.consultation_id,
                        parent - 1
                    ));
                }
                thread_of.insert(c.id, roots.len());
                roots.push(view);
            }
        }
    }
    roots
}

fn report_view(report: &Report, visitor: &Visitor, id: i64, latest_draft: i64) -> ReportView {
    let lang = visitor.lang;
    let cat = lang.catalogue();
    let part = |label: String, href: Option<String>, c: &mosharekat_api::report::PartConcern| {
        ArticleConcernView {
            label,
            href,
            comments: cat.grouped(c.comments),
            approved: cat.grouped(c.approved),
            proposals: cat.grouped(c.proposals),
            tags: c
                .tags
                .iter()
                .map(|t| {
                    format!(
                        "{} ({})",
                        lang.pick(&t.label_fa, &t.label_en),
                        cat.grouped(t.count)
                    )
                })
                .collect::<Vec<_>>()
                .join(cat.text("portal.list_separator")),
        }
    };
    let mut articles: Vec<ArticleConcernView> = report
        .key_concerns
        .articles
        .iter()
        .map(|a| {
            // "Article 3", or "On article 3 (version 1 of the draft)" for an earlier version.
            let (href, mention) = article_mention(visitor, id, &a.article, latest_draft);
            let name = if a.article.version == latest_draft {
                article_label(lang, a.article.number)
            } else {
                mention
            };
            part(name, Some(href), &a.concerns)
        })
        .collect();
    if let Some(whole) = &report.key_concerns.whole_draft {
        articles.push(part(
            cat.text("portal.comment_form.whole_draft").to_owned(),
            None,
            whole,
        ));
    }
    let n = |v: i64| cat.grouped(v);
    let counts = &report.comments;
    let figures = vec![
        cat.format(
            "portal.report.comments",
            &[
                ("total", &n(counts.total)),
                ("approved", &n(counts.approved)),
                ("proposals", &n(counts.proposals)),
            ],
        ),
        cat.format(
            "portal.report.participants",
            &[("total", &n(report.participants.total))],
        ),
        cat.format(
            "portal.report.decisions",
            &[
                ("accepted", &n(report.decisions.accepted)),
                (
                    "partially_accepted",
                    &n(report.decisions.partially_accepted),
                ),
                ("rejected", &n(report.decisions.rejected)),
            ],
        ),
    ];
    let charts = DIMENSIONS
        .iter()
        .map(|&dimension| {
            let heading = cat
                .text(&format!("report.dimension.{}", dimension.as_str()))
                .to_owned();
            let cells = report
                .participants
                .by(dimension)
                .iter()
                .map(|cell| {
                    (
                        bucket_label(cat, dimension, &cell.key),
                        cell.count,
                        count_text(cell.count, cat),
                    )
                })
                .collect();
            ChartView {
                chart: BarChart::new(
                    format!("chart-{}", dimension.as_str()),
                    heading.clone(),
                    cells,
                    lang == Lang::Fa,
                ),
                heading,
            }
        })
        .collect();
    ReportView {
        suppressed_note: cat.format(
            "portal.report.suppressed_note",
            &[("suppressed", mosharekat_api::report::SUPPRESSED)],
        ),
        figures,
        articles,
        charts,
        full_href: format!(
            "{}{}?format=html",
            mosharekat_api::API_PREFIX,
            mosharekat_api::paths::public_consultation_report(id)
        ),
        published: report
            .published_at
            .map(|at| {
                cat.format(
                    "portal.report.published_on",
                    &[("date", &long_date(at, cat))],
                )
            })
            .unwrap_or_default(),
    }
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath((_, id)): PagePath<(String, i64)>,
    PageQuery(q): PageQuery<ConsultationQuery>,
) -> Response {
    match build(&state, &visitor, id, &q).await {
        Ok(Some(page)) => html(StatusCode::OK, &page),
        Ok(None) => view::not_found_page(&visitor),
        Err(e) => view::server_error(&visitor, e),
    }
}

async fn build(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    q: &ConsultationQuery,
) -> Result<Option<ConsultationPage>, crate::store::StoreError> {
    let Some(c) = public_consultation(state, id).await? else {
        return Ok(None);
    };
    let lang = visitor.lang;
    let cat = lang.catalogue();
    let now = state.now();
    let is_open = c.status == ConsultationStatus::Open;
    let closes_at = c.closed_early_at.unwrap_or(c.closes_at).min(c.closes_at);

    // The participant's current ballots show as the forms' choices.
    let mine = match &visitor.participant {
        Some(p) => state.store.participant_ballots(p.id).await?,
        None => Vec::new(),
    };
    let polls = state
        .store
        .list_polls(id)
        .await?
        .iter()
        .map(|p| {
            let chosen = mine
                .iter()
                .find(|b| b.poll_id == p.id)
                .map_or(&[][..], |b| b.option_ids.as_slice());
            PollView::new(
                p,
                lang,
                visitor.href(&format!("/c/{id}/poll/{}", p.id)),
                chosen,
            )
        })
        .collect();

    let comments = state
        .store
        .list_comments(
            &CommentFilter {
                consultation_id: Some(id),
                status: Some(CommentStatus::Approved),
                after: q.after,
                article_id: q.article,
                limit: COMMENTS_PAGE,
                ..CommentFilter::default()
            },
            now,
        )
        .await?;
    let article_query = q
        .article
        .map(|a| format!("&article={a}"))
        .unwrap_or_default();
    let comments_next = (comments.len() as u32 == COMMENTS_PAGE)
        .then(|| comments.last())
        .flatten()
        .map(|last| {
            visitor.href(&format!(
                "/c/{id}?after={}{article_query}#comments",
                last.id
            ))
        });

    let draft = state.store.draft_version(id, None).await?;
    let latest_draft = draft.as_ref().map_or(0, |d| d.version);
    let comments = threads(&comments, visitor, is_open, latest_draft);
    let comments_filter = match q.article {
        Some(article_id) => {
            let Some(article) = draft
                .as_ref()
                .and_then(|d| d.articles.iter().find(|a| a.id == article_id))
            else {
                // An article of another version or another consultation: nothing to filter by.
                return Ok(None);
            };
            Some((
                cat.format(
                    "portal.consultation.comments_on",
                    &[("article", &article_label(lang, article.content.number))],
                ),
                visitor.href(&format!("/c/{id}#comments")),
            ))
        }
        None => None,
    };
    let draft = draft.map(|d| {
        let links = |a: &Article| {
            let comment =
                is_open.then(|| visitor.href(&format!("/c/{id}/comment?article={}", a.id)));
            let comments = Some((
                visitor.href(&format!("/c/{id}?article={}#comments", a.id)),
                cat.format(
                    "portal.draft.comments_link",
                    &[("article", &article_label(lang, a.content.number))],
                ),
            ));
            ArticleLinks { comment, comments }
        };
        draft_view(visitor, id, &d, 2, &links)
    });
    let versions_href = draft
        .as_ref()
        .filter(|d| d.version > 1)
        .map(|_| visitor.href(&format!("/c/{id}/draft")));

    let decisions = state
        .store
        .public_decisions(id)
        .await?
        .into_iter()
        .map(|d| DecisionView {
            body: d.body,
            outcome: cat
                .text(&format!("outcome.{}", d.outcome.as_str()))
                .to_owned(),
            outcome_code: d.outcome.as_str(),
            rationale_lang: lang.picked(&d.rationale_en).code(),
            rationale: lang.pick(&d.rationale_fa, &d.rationale_en).to_owned(),
            legal_basis: d.legal_basis,
            date: long_date(d.published_at, cat),
            group: (d.group_size > 1)
                .then(|| view::plural(cat, "portal.comment.campaign", d.group_size)),
            article: d
                .article
                .as_ref()
                .map(|a| article_mention(visitor, id, a, latest_draft)),
        })
        .collect();

    let report = state
        .store
        .stored_report(id)
        .await?
        .and_then(|s| s.published)
        .map(|r| report_view(&r, visitor, id, latest_draft));

    let top = crate::incentives::public_top(state.store.as_ref(), id)
        .await?
        .into_iter()
        .map(|t| {
            (
                cat.number(t.rank),
                t.display_name,
                view::plural(cat, "portal.points", t.points),
            )
        })
        .collect();

    let mut summaries = vec![
        SummaryView {
            text: c.summary_fa.clone(),
            lang: "fa",
            dir: "rtl",
            title: (lang != Lang::Fa).then(|| c.title_fa.clone()),
        },
        SummaryView {
            text: c.summary_en.clone(),
            lang: "en",
            dir: "ltr",
            title: (lang != Lang::En).then(|| c.title_en.clone()),
        },
    ];
    if lang == Lang::En {
        summaries.reverse();
    }
    summaries.retain(|s| !s.text.trim().is_empty());

    let sent = q.sent.as_deref().and_then(|s| match s {
        "comment" | "reply" | "proposal" => Some(cat.text("portal.sent.comment").to_owned()),
        "ballot" => Some(cat.text("portal.sent.ballot").to_owned()),
        _ => None,
    });
    let title = lang.pick(&c.title_fa, &c.title_en).to_owned();
    Ok(Some(ConsultationPage {
        c: Chrome::new(visitor, &title, ""),
        title_lang: lang.picked(&c.title_en).code(),
        title,
        kind: cat
            .text(&format!("consultation_kind.{}", c.kind.as_str()))
            .to_owned(),
        status: cat
            .text(&format!("consultation_status.{}", c.status.as_str()))
            .to_owned(),
        drafting_unit: c.drafting_unit.clone(),
        opens: long_date(c.opens_at, cat),
        closes: long_date(closes_at, cat),
        when: match c.status {
            ConsultationStatus::Scheduled => view::plural(
                cat,
                "date.opens_in",
                mosharekat_locale::calendar::days_until(now, c.opens_at).max(0),
            ),
            ConsultationStatus::Closed => view::closed_ago(now, closes_at, cat),
            _ => time_left(now, closes_at, cat),
        },
        summaries,
        draft,
        versions_href,
        is_open,
        sent,
        comment_href: visitor.href(&format!("/c/{id}/comment")),
        propose_href: visitor.href(&format!("/c/{id}/comment?proposal=1")),
        share_href: visitor.href(&format!("/c/{id}/share")),
        polls,
        comments_line: view::plural(cat, "portal.comments_count", c.comment_count),
        comments_first: q.after.map(|_| {
            visitor.href(&format!(
                "/c/{id}{}#comments",
                q.article
                    .map(|a| format!("?article={a}"))
                    .unwrap_or_default()
            ))
        }),
        comments_filter,
        comments,
        comments_next,
        decisions,
        report,
        top,
    }))
}
