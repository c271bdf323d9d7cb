//! The forms of a consultation: a comment on the draft, a reply to a comment, a proposal, a
//! ballot or survey answer. Each is its own page; a post is checked (rate limit, CSRF), validated
//! by the same rules as the JSON routes, and answered with a redirect to the consultation
//! (post-redirect-get) or the form again with its errors beside the fields and the typed text kept.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use mosharekat_api::{CommentStatus, ConsultationStatus, ErrorCode};

use super::consultation::{PollView, public_consultation};
use super::draft::{ArticleView, article_label, quoted_article};
use super::session::{CSRF_FIELD, Visitor};
use super::view::{self, Caption, Chrome, FormErrors, Lang, PagePath, PageQuery, html};
use crate::state::AppState;
use crate::store::{NewCommentRecord, StoreError};

/// A posted form as its fields in order (repeated names kept: a multiple-choice ballot).
pub type Fields = Vec<(String, String)>;

/// The first value of field `name`.
pub fn field<'f>(fields: &'f Fields, name: &str) -> &'f str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct CommentQuery {
    reply_to: Option<i64>,
    proposal: Option<String>,
    /// The article of the draft the comment is about.
    article: Option<i64>,
}

/// One choice of "what is your comment about?": the whole draft or an article.
pub struct ArticleChoice {
    /// The article's id; empty for the whole draft.
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The comment this form replies to.
pub struct Parent {
    pub id: i64,
    pub body: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "portal/comment_form.html")]
pub struct CommentFormPage {
    pub c: Chrome,
    pub heading: String,
    /// The back link and the consultation's title above the page.
    pub caption: Caption,
    pub action: String,
    pub parent: Option<Parent>,
    /// The draft's articles to choose from (none for a reply, or when there is no draft text).
    pub articles: Vec<ArticleChoice>,
    /// The chosen article's text, shown above the form.
    pub article: Option<ArticleView>,
    pub body: String,
    pub proposal: bool,
    pub body_hint: String,
    pub errors: FormErrors,
}

/// The page asking a visitor to register or sign in before taking part.
#[derive(Template)]
#[template(path = "portal/sign_in_first.html")]
pub struct SignInFirstPage {
    pub c: Chrome,
    pub register_href: String,
    pub sign_in_href: String,
}

fn sign_in_first(visitor: &Visitor) -> Response {
    let next = percent_encoding::utf8_percent_encode(
        &visitor.href(visitor.rest.split('#').next().unwrap_or("/")),
        percent_encoding::NON_ALPHANUMERIC,
    )
    .to_string();
    let title = visitor
        .lang
        .catalogue()
        .text("portal.sign_in_first.title")
        .to_owned();
    html(
        StatusCode::OK,
        &SignInFirstPage {
            c: Chrome::new(visitor, &title, ""),
            register_href: visitor.href(&format!("/register?next={next}")),
            sign_in_href: visitor.href(&format!("/sign-in?next={next}")),
        },
    )
}

/// Why a consultation's forms cannot be used at all (not public: 404; not open: 409), before
/// asking a visitor to sign in for them.
async fn closed_to_forms(state: &AppState, visitor: &Visitor, id: i64) -> Option<Response> {
    match public_consultation(state, id).await {
        Ok(Some(c)) if c.status == ConsultationStatus::Open => None,
        Ok(Some(_)) => Some(view::message(
            visitor,
            StatusCode::CONFLICT,
            "portal.not_open.title",
            "portal.not_open.body",
        )),
        Ok(None) => Some(view::not_found_page(visitor)),
        Err(e) => Some(view::server_error(visitor, e)),
    }
}

/// The message of a refusal by the rules, in the visitor's language.
pub fn refusal_text(visitor: &Visitor, code: ErrorCode, body: &str) -> String {
    let cat = visitor.lang.catalogue();
    match code {
        ErrorCode::BodyTooLong => cat.format(
            "portal.error_code.body_too_long",
            &[
                ("count", &cat.grouped(body.chars().count() as i64)),
                (
                    "max",
                    &cat.grouped(mosharekat_api::MAX_COMMENT_CHARS as i64),
                ),
            ],
        ),
        ErrorCode::EmptyBody
        | ErrorCode::InvalidText
        | ErrorCode::ConsultationNotOpen
        | ErrorCode::UnknownArticle
        | ErrorCode::NotFound => cat
            .text(&format!("portal.error_code.{}", code.as_str()))
            .to_owned(),
        _ => cat.text("portal.error_code.validation_failed").to_owned(),
    }
}

struct CommentDraft {
    parent_id: Option<i64>,
    article_id: Option<i64>,
    body: String,
    proposal: bool,
}

/// The comment form page, for a consultation that is public and open.
async fn comment_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    draft: CommentDraft,
    errors: FormErrors,
) -> Result<Response, StoreError> {
    let Some(consultation) = public_consultation(state, id).await? else {
        return Ok(view::not_found_page(visitor));
    };
    if consultation.status != ConsultationStatus::Open {
        return Ok(view::message(
            visitor,
            StatusCode::CONFLICT,
            "portal.not_open.title",
            "portal.not_open.body",
        ));
    }
    let lang = visitor.lang;
    let cat = lang.catalogue();
    let parent = match draft.parent_id {
        Some(parent_id) => match state.store.get_comment(parent_id, state.now()).await? {
            Some(p) if p.consultation_id == id && p.status == CommentStatus::Approved => {
                Some(Parent {
                    id: p.id,
                    body: p.body,
                    label: cat.format("portal.comment.reply_to", &[("id", &cat.number(p.id))]),
                })
            }
            _ => return Ok(view::not_found_page(visitor)),
        },
        None => None,
    };
    // A reply is about its comment; anything else may name an article of the current draft.
    let text = match parent {
        Some(_) => None,
        None => state.store.draft_version(id, None).await?,
    };
    let chosen = text.as_ref().and_then(|d| {
        draft
            .article_id
            .and_then(|aid| d.articles.iter().find(|a| a.id == aid))
    });
    if draft.article_id.is_some() && chosen.is_none() && errors.is_empty() {
        // A link to an article of another version or another consultation.
        return Ok(view::not_found_page(visitor));
    }
    let mut articles = Vec::new();
    if let Some(d) = &text {
        articles.push(ArticleChoice {
            value: String::new(),
            label: cat.text("portal.comment_form.whole_draft").to_owned(),
            selected: chosen.is_none(),
        });
        articles.extend(d.articles.iter().map(|a| {
            let mut label = article_label(lang, a.content.number);
            let heading = match lang {
                Lang::En => a
                    .content
                    .heading_en
                    .as_deref()
                    .or(a.content.heading_fa.as_deref()),
                Lang::Fa => a.content.heading_fa.as_deref(),
            };
            if let Some(h) = heading.filter(|h| !h.trim().is_empty()) {
                label = format!("{label} — {h}");
            }
            ArticleChoice {
                value: a.id.to_string(),
                label,
                selected: Some(a.id) == chosen.map(|c| c.id),
            }
        }));
    }
    let heading = match (&parent, draft.proposal, chosen) {
        (Some(_), _, _) => cat.text("portal.comment_form.reply_title").to_owned(),
        (None, true, _) => cat.text("portal.comment_form.proposal_title").to_owned(),
        (None, false, Some(a)) => cat.format(
            "portal.comment_form.article_title",
            &[("article", &article_label(lang, a.content.number))],
        ),
        (None, false, None) => cat.text("portal.comment_form.title").to_owned(),
    };
    let article = chosen.map(|a| quoted_article(lang, a));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = CommentFormPage {
        c: Chrome::new(visitor, &heading, ""),
        heading,
        caption: Caption::of(visitor, &consultation),
        action: visitor.href(&format!("/c/{id}/comment")),
        parent,
        articles,
        article,
        body: draft.body,
        proposal: draft.proposal,
        body_hint: cat.format(
            "portal.comment_form.body_hint",
            &[(
                "max",
                &cat.grouped(mosharekat_api::MAX_COMMENT_CHARS as i64),
            )],
        ),
        errors,
    };
    Ok(html(status, &page))
}

/// `GET /{lang}/c/{id}/comment[?reply_to=&proposal=1]`
pub async fn comment_form(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath((_, id)): PagePath<(String, i64)>,
    PageQuery(q): PageQuery<CommentQuery>,
) -> Response {
    if visitor.participant.is_none() {
        return match closed_to_forms(&state, &visitor, id).await {
            Some(refused) => refused,
            None => sign_in_first(&visitor),
        };
    }
    let draft = CommentDraft {
        parent_id: q.reply_to,
        article_id: q.article.filter(|_| q.reply_to.is_none()),
        body: String::new(),
        proposal: q.proposal.as_deref() == Some("1"),
    };
    comment_page(&state, &visitor, id, draft, FormErrors::default())
        .await
        .unwrap_or_else(|e| view::server_error(&visitor, e))
}

/// `POST /{lang}/c/{id}/comment`: `csrf`, `body`, `proposal` (`1`), `parent_id`, `article_id`
/// (empty: the whole draft).
pub async fn comment_post(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath((_, id)): PagePath<(String, i64)>,
    Form(fields): Form<Fields>,
) -> Response {
    if let Some(refused) = visitor.refuse_post(field(&fields, CSRF_FIELD)) {
        return refused;
    }
    let Some(participant) = &visitor.participant else {
        return sign_in_first(&visitor);
    };
    let body = field(&fields, "body").replace("\r\n", "\n");
    let proposal = field(&fields, "proposal") == "1";
    let parent_id = match field(&fields, "parent_id") {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => return view::not_found_page(&visitor),
        },
    };
    let article_id = match field(&fields, "article_id") {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => return view::not_found_page(&visitor),
        },
    };
    let draft = |body: String| CommentDraft {
        parent_id,
        article_id,
        body,
        proposal,
    };
    let record = match NewCommentRecord::checked(
        id,
        participant.id,
        body.clone(),
        parent_id,
        proposal,
        article_id,
    ) {
        Ok(record) => record,
        Err((code, _)) => {
            let mut errors = FormErrors::default();
            errors.add("body", refusal_text(&visitor, code, &body));
            return comment_page(&state, &visitor, id, draft(body), errors)
                .await
                .unwrap_or_else(|e| view::server_error(&visitor, e));
        }
    };
    match state.store.add_comment(&record, state.now()).await {
        Ok(_) => {
            let sent = match (parent_id, proposal) {
                (Some(_), _) => "reply",
                (None, true) => "proposal",
                (None, false) => "comment",
            };
            view::see_other(&visitor.href(&format!("/c/{id}?sent={sent}")))
        }
        Err(StoreError::Refused {
            code: ErrorCode::NotFound,
            ..
        }) => view::not_found_page(&visitor),
        Err(StoreError::Refused {
            code: ErrorCode::UnknownArticle,
            ..
        }) => {
            let mut errors = FormErrors::default();
            errors.add(
                "article_id",
                refusal_text(&visitor, ErrorCode::UnknownArticle, &body),
            );
            comment_page(&state, &visitor, id, draft(body), errors)
                .await
                .unwrap_or_else(|e| view::server_error(&visitor, e))
        }
        Err(StoreError::Refused { code, .. }) => {
            let mut errors = FormErrors::default();
            errors.add("body", refusal_text(&visitor, code, &body));
            comment_page(&state, &visitor, id, draft(body), errors)
                .await
                .unwrap_or_else(|e| view::server_error(&visitor, e))
        }
        Err(e) => view::server_error(&visitor, e),
    }
}

#[derive(Template)]
#[template(path = "portal/ballot.html")]
pub struct BallotPage {
    pub c: Chrome,
    pub heading: String,
    /// The back link and the consultation's title above the page.
    pub caption: Caption,
    pub poll: PollView,
    pub errors: FormErrors,
}

async fn ballot_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    poll_id: i64,
    chosen: &[i64],
    errors: FormErrors,
) -> Result<Response, StoreError> {
    let Some(consultation) = public_consultation(state, id).await? else {
        return Ok(view::not_found_page(visitor));
    };
    let Some(poll) = state
        .store
        .get_poll(poll_id)
        .await?
        .filter(|p| p.consultation_id == id)
    else {
        return Ok(view::not_found_page(visitor));
    };
    if consultation.status != ConsultationStatus::Open {
        return Ok(view::message(
            visitor,
            StatusCode::CONFLICT,
            "portal.not_open.title",
            "portal.not_open.body",
        ));
    }
    let lang = visitor.lang;
    let poll = PollView::new(
        &poll,
        lang,
        visitor.href(&format!("/c/{id}/poll/{poll_id}")),
        chosen,
    );
    let heading = poll.question.clone();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(html(
        status,
        &BallotPage {
            c: Chrome::new(visitor, &heading, ""),
            heading,
            caption: Caption::of(visitor, &consultation),
            poll,
            errors,
        },
    ))
}

/// `GET /{lang}/c/{id}/poll/{poll}`
pub async fn ballot_form(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath((_, id, poll_id)): PagePath<(String, i64, i64)>,
) -> Response {
    let Some(participant) = &visitor.participant else {
        return match closed_to_forms(&state, &visitor, id).await {
            Some(refused) => refused,
            None => sign_in_first(&visitor),
        };
    };
    // A ballot already cast shows as the current choice (casting again replaces it).
    let chosen = match state.store.participant_ballots(participant.id).await {
        Ok(ballots) => ballots
            .into_iter()
            .find(|b| b.poll_id == poll_id)
            .map(|b| b.option_ids)
            .unwrap_or_default(),
        Err(e) => return view::server_error(&visitor, e),
    };
    ballot_page(
        &state,
        &visitor,
        id,
        poll_id,
        &chosen,
        FormErrors::default(),
    )
    .await
    .unwrap_or_else(|e| view::server_error(&visitor, e))
}

/// `POST /{lang}/c/{id}/poll/{poll}`: `csrf`, `option` (repeated for a multiple choice).
pub async fn ballot_post(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath((_, id, poll_id)): PagePath<(String, i64, i64)>,
    Form(fields): Form<Fields>,
) -> Response {
    if let Some(refused) = visitor.refuse_post(field(&fields, CSRF_FIELD)) {
        return refused;
    }
    let Some(participant) = &visitor.participant else {
        return sign_in_first(&visitor);
    };
    let chosen: Vec<i64> = fields
        .iter()
        .filter(|(k, _)| k == "option")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let cat = visitor.lang.catalogue();
    let mut errors = FormErrors::default();
    // The poll must belong to this consultation before anything is cast.
    match state.store.get_poll(poll_id).await {
        Ok(Some(p)) if p.consultation_id == id => {}
        Ok(_) => return view::not_found_page(&visitor),
        Err(e) => return view::server_error(&visitor, e),
    }
    if chosen.is_empty() {
        errors.add("option", cat.text("portal.poll.choose"));
    } else {
        match state
            .store
            .cast_ballot(poll_id, participant, &chosen, state.now())
            .await
        {
            Ok(_) => return view::see_other(&visitor.href(&format!("/c/{id}?sent=ballot"))),
            Err(StoreError::Refused { code, .. }) => {
                let key = match code {
                    ErrorCode::ConsultationNotOpen => "portal.error_code.consultation_not_open",
                    ErrorCode::VerificationRequired => "portal.error_code.verification_required",
                    ErrorCode::NotFound => return view::not_found_page(&visitor),
                    _ => "portal.poll.invalid",
                };
                errors.add("option", cat.text(key));
            }
            Err(e) => return view::server_error(&visitor, e),
        }
    }
    ballot_page(&state, &visitor, id, poll_id, &chosen, errors)
        .await
        .unwrap_or_else(|e| view::server_error(&visitor, e))
}
