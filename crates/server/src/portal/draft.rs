//! The draft as the portal shows it: article by article, each with its notes and clauses, an
//! anchor (`#article-3`) and, while the consultation is open, a "comment on this article" link;
//! any earlier version (`/fa/c/{id}/draft?version=1`) and what changed between two versions,
//! article by article (`/fa/c/{id}/draft/diff?from=1&to=2`).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use mosharekat_api::{
    Article, ArticleChangeKind, ArticleRef, ConsultationStatus, DraftVersion, DraftVersionSummary,
};

use super::consultation::public_consultation;
use super::session::Visitor;
use super::view::{self, Caption, Chrome, Lang, PagePath, PageQuery, html, long_date};
use crate::state::AppState;
use crate::store::StoreError;

/// A text of the draft in the language it is shown in: the page's language where the draft gives
/// it, else Persian (marked so, for screen readers and the bidi algorithm).
pub struct DraftText {
    pub text: String,
    pub lang: &'static str,
    pub dir: &'static str,
    /// On the difference page, the text word by word with what was removed (`del`, on the
    /// earlier side) or added (`ins`, on the later side); empty elsewhere.
    pub marks: Vec<Mark>,
}

/// A run of words of a [`DraftText`] as the difference shows it.
pub struct Mark {
    pub text: String,
    /// `same`, `del` or `ins`.
    pub kind: &'static str,
}

/// Marks the words that differ between `before` and `after` (texts in the same language).
fn mark_words(before: &mut DraftText, after: &mut DraftText) {
    if before.lang != after.lang || before.text == after.text {
        return;
    }
    let changes: Vec<(similar::ChangeTag, String)> =
        similar::TextDiff::from_words(before.text.as_str(), after.text.as_str())
            .iter_all_changes()
            .map(|change| (change.tag(), change.value().to_owned()))
            .collect();
    for (tag, words) in changes {
        match tag {
            similar::ChangeTag::Equal => {
                push_mark(&mut before.marks, "same", &words);
                push_mark(&mut after.marks, "same", &words);
            }
            similar::ChangeTag::Delete => push_mark(&mut before.marks, "del", &words),
            similar::ChangeTag::Insert => push_mark(&mut after.marks, "ins", &words),
        }
    }
}

fn push_mark(marks: &mut Vec<Mark>, kind: &'static str, text: &str) {
    match marks.last_mut() {
        Some(last) if last.kind == kind => last.text.push_str(text),
        _ => marks.push(Mark {
            text: text.to_owned(),
            kind,
        }),
    }
}

/// Marks what changed between two versions of an article, part by part: its text and heading,
/// its clauses and notes matched by position.
fn mark_article(before: &mut ArticleView, after: &mut ArticleView) {
    mark_words(&mut before.text, &mut after.text);
    if let (Some(b), Some(a)) = (before.heading.as_mut(), after.heading.as_mut()) {
        mark_words(b, a);
    }
    for (b, a) in before.clauses.iter_mut().zip(after.clauses.iter_mut()) {
        mark_words(&mut b.text, &mut a.text);
    }
    for (b, a) in before.notes.iter_mut().zip(after.notes.iter_mut()) {
        mark_words(&mut b.text, &mut a.text);
        for (bc, ac) in b.clauses.iter_mut().zip(a.clauses.iter_mut()) {
            mark_words(&mut bc.text, &mut ac.text);
        }
    }
}

impl DraftText {
    fn pick(lang: Lang, fa: &str, en: Option<&str>) -> DraftText {
        let picked = lang.picked(en.unwrap_or(""));
        DraftText {
            text: lang.pick(fa, en.unwrap_or("")).to_owned(),
            lang: picked.code(),
            dir: picked.dir(),
            marks: Vec::new(),
        }
    }

    fn optional(lang: Lang, fa: Option<&str>, en: Option<&str>) -> Option<DraftText> {
        fa.filter(|t| !t.trim().is_empty())
            .map(|fa| DraftText::pick(lang, fa, en))
    }
}

pub struct ClauseView {
    pub label: String,
    pub text: DraftText,
}

pub struct NoteView {
    pub label: String,
    pub text: DraftText,
    pub clauses: Vec<ClauseView>,
}

pub struct ArticleView {
    /// `article-3`: the fragment that links to it.
    pub anchor: String,
    /// "ماده ۳" / "Article 3".
    pub label: String,
    /// The chapter heading, on the first article of a chapter (a heading one level above the
    /// article's).
    pub chapter: Option<DraftText>,
    /// The article's heading level (`h3`, `h4`): one below the page's section, one more when the
    /// draft has chapters.
    pub level: u8,
    pub heading: Option<DraftText>,
    pub text: DraftText,
    pub clauses: Vec<ClauseView>,
    pub notes: Vec<NoteView>,
    /// The comment form for this article, while the consultation is open.
    pub comment_href: Option<String>,
    /// "5 comments on this article", linking to them, when it has any published.
    pub comments: Option<(String, String)>,
}

/// An article's links on a page: the comment form (while open, on the latest version) and its
/// published comments.
#[derive(Default)]
pub struct ArticleLinks {
    pub comment: Option<String>,
    pub comments: Option<(String, String)>,
}

/// A whole version of the draft.
pub struct DraftView {
    pub version: i64,
    /// "Version 2, published 3 Azar 1405".
    pub version_line: String,
    pub preamble: Option<DraftText>,
    pub articles: Vec<ArticleView>,
    pub closing: Option<DraftText>,
    /// Some article is shown in Persian on an English page.
    pub untranslated: bool,
    /// "What changed since version 1", for a version after the first.
    pub changes_href: Option<(String, String)>,
}

/// "ماده ۳" / "Article 3".
pub fn article_label(lang: Lang, number: u32) -> String {
    let cat = lang.catalogue();
    cat.format("portal.draft.article", &[("number", &cat.number(number))])
}

/// Where an article a comment or decision names is read: on the consultation page when it is of
/// the latest version, else on its own version's page.
pub fn article_href(
    visitor: &Visitor,
    consultation_id: i64,
    article: &ArticleRef,
    latest: i64,
) -> String {
    if article.version == latest {
        visitor.href(&format!("/c/{consultation_id}#article-{}", article.number))
    } else {
        visitor.href(&format!(
            "/c/{consultation_id}/draft?version={}#article-{}",
            article.version, article.number
        ))
    }
}

/// "On article 3" (and its version when it is not the latest), with its link.
pub fn article_mention(
    visitor: &Visitor,
    consultation_id: i64,
    article: &ArticleRef,
    latest: i64,
) -> (String, String) {
    let cat = visitor.lang.catalogue();
    let mut label = cat.format(
        "portal.comment.on_article",
        &[("article", &article_label(visitor.lang, article.number))],
    );
    if article.version != latest {
        label = cat.format(
            "portal.comment.on_article_of_version",
            &[("on", &label), ("version", &cat.number(article.version))],
        );
    }
    (
        article_href(visitor, consultation_id, article, latest),
        label,
    )
}

fn clause_views(lang: Lang, clauses: &[mosharekat_api::Clause]) -> Vec<ClauseView> {
    clauses
        .iter()
        .map(|c| {
            let label = match (lang, &c.label_en) {
                (Lang::En, Some(en)) if !en.trim().is_empty() => en.clone(),
                _ => c.label.clone(),
            };
            ClauseView {
                label,
                text: DraftText::pick(lang, &c.text_fa, c.text_en.as_deref()),
            }
        })
        .collect()
}

fn article_view(
    lang: Lang,
    article: &Article,
    level: u8,
    previous_chapter: Option<&str>,
    links: &dyn Fn(&Article) -> ArticleLinks,
) -> ArticleView {
    let cat = lang.catalogue();
    let content = &article.content;
    let chapter = content
        .chapter_fa
        .as_deref()
        .filter(|c| Some(*c) != previous_chapter)
        .map(|fa| DraftText::pick(lang, fa, content.chapter_en.as_deref()));
    let notes = content
        .notes
        .iter()
        .map(|n| NoteView {
            label: match n.number {
                Some(number) => cat.format("portal.draft.note", &[("number", &cat.number(number))]),
                None => cat.text("portal.draft.note_single").to_owned(),
            },
            text: DraftText::pick(lang, &n.text_fa, n.text_en.as_deref()),
            clauses: clause_views(lang, &n.clauses),
        })
        .collect();
    let ArticleLinks {
        comment: comment_href,
        comments,
    } = links(article);
    ArticleView {
        anchor: format!("article-{}", content.number),
        label: article_label(lang, content.number),
        chapter,
        level,
        heading: DraftText::optional(
            lang,
            content.heading_fa.as_deref(),
            content.heading_en.as_deref(),
        ),
        text: DraftText::pick(lang, &content.text_fa, content.text_en.as_deref()),
        clauses: clause_views(lang, &content.clauses),
        notes,
        comment_href,
        comments,
    }
}

/// An article as the comment form quotes it, under the page's `h1`.
pub fn quoted_article(lang: Lang, article: &Article) -> ArticleView {
    let mut view = article_view(lang, article, 2, None, &|_| ArticleLinks::default());
    view.chapter = None;
    view
}

/// A version of the draft as the page shows it, under a heading of level `under`. `links` gives
/// each article its comment link and its published comments' link.
pub fn draft_view(
    visitor: &Visitor,
    consultation_id: i64,
    draft: &DraftVersion,
    under: u8,
    links: &dyn Fn(&Article) -> ArticleLinks,
) -> DraftView {
    let lang = visitor.lang;
    let cat = lang.catalogue();
    let chapters = draft
        .articles
        .iter()
        .any(|a| a.content.chapter_fa.is_some());
    let level = under + 1 + u8::from(chapters);
    let mut previous_chapter = None;
    let mut articles = Vec::with_capacity(draft.articles.len());
    for article in &draft.articles {
        articles.push(article_view(lang, article, level, previous_chapter, links));
        previous_chapter = article.content.chapter_fa.as_deref();
    }
    let untranslated = lang == Lang::En
        && draft.articles.iter().any(|a| {
            a.content
                .text_en
                .as_deref()
                .is_none_or(|t| t.trim().is_empty())
        });
    DraftView {
        version: draft.version,
        version_line: cat.format(
            "portal.draft.version_line",
            &[
                ("version", &cat.number(draft.version)),
                ("date", &long_date(draft.imported_at, cat)),
            ],
        ),
        preamble: DraftText::optional(
            lang,
            draft.preamble_fa.as_deref(),
            draft.preamble_en.as_deref(),
        ),
        articles,
        closing: DraftText::optional(
            lang,
            draft.closing_fa.as_deref(),
            draft.closing_en.as_deref(),
        ),
        untranslated,
        changes_href: (draft.version > 1).then(|| {
            (
                visitor.href(&format!(
                    "/c/{consultation_id}/draft/diff?from={}&to={}",
                    draft.version - 1,
                    draft.version
                )),
                cat.format(
                    "portal.draft.changes_since",
                    &[("version", &cat.number(draft.version - 1))],
                ),
            )
        }),
    }
}

/// One line of the list of versions.
pub struct VersionLine {
    pub label: String,
    pub href: String,
    pub current: bool,
    pub counts: String,
}

fn version_lines(
    visitor: &Visitor,
    consultation_id: i64,
    versions: &[DraftVersionSummary],
    shown: i64,
) -> Vec<VersionLine> {
    let cat = visitor.lang.catalogue();
    versions
        .iter()
        .map(|v| VersionLine {
            label: cat.format(
                "portal.draft.version_line",
                &[
                    ("version", &cat.number(v.version)),
                    ("date", &long_date(v.imported_at, cat)),
                ],
            ),
            href: visitor.href(&format!("/c/{consultation_id}/draft?version={}", v.version)),
            current: v.version == shown,
            counts: view::plural(cat, "portal.draft.articles_count", i64::from(v.articles)),
        })
        .collect()
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct VersionQuery {
    version: Option<i64>,
}

#[derive(Template)]
#[template(path = "portal/draft.html")]
pub struct DraftPage {
    pub c: Chrome,
    pub heading: String,
    /// The back link and the consultation's title above the page.
    pub caption: Caption,
    pub draft: DraftView,
    pub latest: bool,
    pub versions: Vec<VersionLine>,
}

/// `GET /{lang}/c/{id}/draft[?version=N]`: one version of the draft (the latest by default) and
/// the list of every version.
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath((_, id)): PagePath<(String, i64)>,
    PageQuery(q): PageQuery<VersionQuery>,
) -> Response {
    build_page(&state, &visitor, id, q.version)
        .await
        .unwrap_or_else(|e| view::server_error(&visitor, e))
}

async fn build_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    version: Option<i64>,
) -> Result<Response, StoreError> {
    let Some(consultation) = public_consultation(state, id).await? else {
        return Ok(view::not_found_page(visitor));
    };
    let Some(draft) = state.store.draft_version(id, version).await? else {
        return Ok(view::not_found_page(visitor));
    };
    let versions = state.store.draft_versions(id).await?;
    let latest = versions.first().is_none_or(|v| v.version == draft.version);
    let open = consultation.status == ConsultationStatus::Open;
    let lang = visitor.lang;
    let cat = lang.catalogue();
    // Comments go to the current text: an older version's articles get no comment link.
    let links = |a: &Article| {
        let comment =
            (open && latest).then(|| visitor.href(&format!("/c/{id}/comment?article={}", a.id)));
        ArticleLinks {
            comment,
            comments: None,
        }
    };
    let heading = cat.format(
        "portal.draft.page_title",
        &[("version", &cat.number(draft.version))],
    );
    Ok(html(
        StatusCode::OK,
        &DraftPage {
            c: Chrome::new(visitor, &heading, ""),
            heading,
            caption: Caption::of(visitor, &consultation),
            draft: draft_view(visitor, id, &draft, 1, &links),
            latest,
            versions: version_lines(visitor, id, &versions, draft.version),
        },
    ))
}

/// An article's text as the difference shows it: its label and text with its notes and clauses.
pub struct ChangeView {
    pub number: String,
    pub anchor: String,
    pub kind: &'static str,
    pub kind_label: String,
    pub before: Option<ArticleView>,
    pub after: Option<ArticleView>,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct DiffQuery {
    from: Option<i64>,
    to: Option<i64>,
}

#[derive(Template)]
#[template(path = "portal/draft_diff.html")]
pub struct DiffPage {
    pub c: Chrome,
    pub heading: String,
    /// The back link and the consultation's title above the page.
    pub caption: Caption,
    pub from_href: String,
    pub to_href: String,
    /// "2 articles changed, 1 added, 0 removed, 9 unchanged".
    pub counts: String,
    pub preamble_changed: bool,
    pub closing_changed: bool,
    pub changes: Vec<ChangeView>,
    /// "Articles 1, 2 and 4 are unchanged."
    pub unchanged: Option<String>,
}

/// `GET /{lang}/c/{id}/draft/diff?from=A&to=B`: what changed, article by article. Without `from`
/// and `to`, the latest version against the one before it.
pub async fn diff(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath((_, id)): PagePath<(String, i64)>,
    PageQuery(q): PageQuery<DiffQuery>,
) -> Response {
    build_diff(&state, &visitor, id, &q)
        .await
        .unwrap_or_else(|e| view::server_error(&visitor, e))
}

async fn build_diff(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    q: &DiffQuery,
) -> Result<Response, StoreError> {
    let Some(consultation) = public_consultation(state, id).await? else {
        return Ok(view::not_found_page(visitor));
    };
    let latest = state
        .store
        .draft_versions(id)
        .await?
        .first()
        .map(|v| v.version);
    let to = q.to.or(latest);
    let from = q.from.or(to.map(|t| t - 1));
    let (Some(from), Some(to)) = (from, to) else {
        return Ok(view::not_found_page(visitor));
    };
    let (Some(older), Some(newer)) = (
        state.store.draft_version(id, Some(from)).await?,
        state.store.draft_version(id, Some(to)).await?,
    ) else {
        return Ok(view::not_found_page(visitor));
    };
    let diff = mosharekat_draft::diff(&older, &newer);
    let lang = visitor.lang;
    let cat = lang.catalogue();
    let no_links = |_: &Article| ArticleLinks::default();
    // Under the change's h2 and the side's h3; each side's anchor its own.
    let side = |a: &Article, which: &str| {
        let mut view = article_view(lang, a, 4, None, &no_links);
        view.chapter = None;
        view.anchor = format!("{which}-{}", view.anchor);
        view
    };
    let mut unchanged = Vec::new();
    let mut changes = Vec::new();
    for change in &diff.articles {
        if change.change == ArticleChangeKind::Unchanged {
            unchanged.push(cat.number(change.number));
            continue;
        }
        let mut before = change.from.as_ref().map(|a| side(a, "before"));
        let mut after = change.to.as_ref().map(|a| side(a, "after"));
        if let (Some(b), Some(a)) = (before.as_mut(), after.as_mut()) {
            mark_article(b, a);
        }
        changes.push(ChangeView {
            number: article_label(lang, change.number),
            anchor: format!("article-{}", change.number),
            kind: change.change.as_str(),
            kind_label: cat
                .text(&format!("portal.draft.change.{}", change.change.as_str()))
                .to_owned(),
            before,
            after,
        });
    }
    let heading = cat.format(
        "portal.draft.diff_title",
        &[("from", &cat.number(from)), ("to", &cat.number(to))],
    );
    let n = |kind| cat.number(diff.count(kind) as i64);
    Ok(html(
        StatusCode::OK,
        &DiffPage {
            c: Chrome::new(visitor, &heading, ""),
            heading,
            caption: Caption::of(visitor, &consultation),
            from_href: visitor.href(&format!("/c/{id}/draft?version={from}")),
            to_href: visitor.href(&format!("/c/{id}/draft?version={to}")),
            counts: cat.format(
                "portal.draft.diff_counts",
                &[
                    ("changed", &n(ArticleChangeKind::Changed)),
                    ("added", &n(ArticleChangeKind::Added)),
                    ("removed", &n(ArticleChangeKind::Removed)),
                    ("unchanged", &n(ArticleChangeKind::Unchanged)),
                ],
            ),
            preamble_changed: diff.preamble_changed,
            closing_changed: diff.closing_changed,
            changes,
            unchanged: (!unchanged.is_empty()).then(|| {
                cat.format(
                    "portal.draft.unchanged_list",
                    &[(
                        "articles",
                        &unchanged.join(cat.text("portal.list_separator")),
                    )],
                )
            }),
        },
    ))
}
