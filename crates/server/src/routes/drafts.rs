//! Drafts as documents: importing a version of a consultation's draft text (recognised by the
//! `mosharekat-draft` crate), reading a version, the list of versions and the difference between
//! two, for staff and (for published consultations) the public.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use mosharekat_api::draft::{DraftDiffQuery, DraftQuery, MAX_DRAFT_CHARS};
use mosharekat_api::{
    ConsultationStatus, DraftDiff, DraftImport, DraftVersion, DraftVersionSummary, ErrorCode, Role,
};

use super::{Path, Query};
use crate::auth::StaffAuth;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::store::DraftSource;

/// Who is reading: staff see every consultation and who imported each version; the public sees
/// published consultations only, without staff names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reader {
    Staff,
    Public,
}

/// The consultation must exist and, for the public, be published (as `/public/consultations/{id}`
/// decides).
async fn visible(state: &AppState, id: i64, reader: Reader) -> ApiResult<()> {
    state
        .store
        .get_consultation(id, state.now())
        .await?
        .filter(|c| reader == Reader::Staff || c.status != ConsultationStatus::Draft)
        .map(|_| ())
        .ok_or_else(|| ApiError::not_found("consultation"))
}

async fn version(
    state: &AppState,
    id: i64,
    version: Option<i64>,
    reader: Reader,
) -> ApiResult<DraftVersion> {
    visible(state, id, reader).await?;
    let mut found = state
        .store
        .draft_version(id, version)
        .await?
        .ok_or_else(|| match version {
            Some(n) => ApiError::not_found(&format!("version {n} of the draft")),
            None => ApiError::new(
                ErrorCode::NotFound,
                "this consultation has no draft text yet",
            ),
        })?;
    if reader == Reader::Public {
        found.imported_by = None;
    }
    Ok(found)
}

/// A text of the import: present, not too long, no NUL.
fn check_text(field: &str, text: &str) -> ApiResult<()> {
    if text.trim().is_empty() {
        return Err(ApiError::new(
            ErrorCode::EmptyBody,
            format!("{field} is empty"),
        ));
    }
    let chars = text.chars().count();
    if chars > MAX_DRAFT_CHARS {
        return Err(ApiError::new(
            ErrorCode::BodyTooLong,
            format!("{field} has {chars} characters; at most {MAX_DRAFT_CHARS}"),
        ));
    }
    if text.contains('\0') {
        return Err(ApiError::new(
            ErrorCode::InvalidText,
            format!("{field} contains a NUL character"),
        ));
    }
    Ok(())
}

/// `PUT /api/v1/consultations/{id}/document` (operator): recognise the draft's structure and
/// store it as the next version. `201` with the stored version; `422 no_articles` when no article
/// is recognised, `422 draft_mismatch` when the English text does not match the Persian one.
pub async fn import(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
    body: ApiJson<DraftImport>,
) -> ApiResult<(StatusCode, Json<DraftVersion>)> {
    let actor = auth.require(Role::Operator)?;
    let request = body.value;
    check_text("text_fa", &request.text_fa)?;
    // An English text of only white space is no English text.
    let text_en = request.text_en.filter(|t| !t.trim().is_empty());
    if let Some(en) = &text_en {
        check_text("text_en", en)?;
    }
    let fa = mosharekat_draft::parse(&request.text_fa, request.format);
    if fa.articles.is_empty() {
        return Err(ApiError::new(
            ErrorCode::NoArticles,
            "no article was recognised in text_fa: each article starts a line with its marker, as in «ماده ۱ -», «ماده 2:» or «ماده واحده -»",
        ));
    }
    let en = text_en
        .as_deref()
        .map(|t| mosharekat_draft::parse(t, request.format));
    if en.as_ref().is_some_and(|e| e.articles.is_empty()) {
        return Err(ApiError::new(
            ErrorCode::NoArticles,
            "no article was recognised in text_en: each article starts a line with its marker, as in «Article 1 –» or «Article 2:»",
        ));
    }
    let content = mosharekat_draft::pair(fa, en, request.format)
        .map_err(|mismatch| ApiError::new(ErrorCode::DraftMismatch, mismatch.to_string()))?;
    let source = DraftSource {
        text_fa: request.text_fa,
        text_en,
    };
    let stored = state
        .store
        .import_draft(id, &content, &source, &actor, state.now())
        .await?;
    Ok((StatusCode::CREATED, Json(stored)))
}

/// `GET /api/v1/consultations/{id}/document` (staff): the latest version, or `?version=N`.
pub async fn get(
    State(state): State<AppState>,
    _auth: StaffAuth,
    Path(id): Path<i64>,
    Query(query): Query<DraftQuery>,
) -> ApiResult<Json<DraftVersion>> {
    Ok(Json(
        version(&state, id, query.version, Reader::Staff).await?,
    ))
}

/// `GET /api/v1/public/consultations/{id}/document`: the same, for a published consultation.
pub async fn public_get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(query): Query<DraftQuery>,
) -> ApiResult<Json<DraftVersion>> {
    Ok(Json(
        version(&state, id, query.version, Reader::Public).await?,
    ))
}

async fn versions_for(
    state: &AppState,
    id: i64,
    reader: Reader,
) -> ApiResult<Vec<DraftVersionSummary>> {
    visible(state, id, reader).await?;
    let mut list = state.store.draft_versions(id).await?;
    if reader == Reader::Public {
        list.iter_mut().for_each(|v| v.imported_by = None);
    }
    Ok(list)
}

/// `GET /api/v1/consultations/{id}/document/versions` (staff): every version, newest first.
pub async fn versions(
    State(state): State<AppState>,
    _auth: StaffAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<DraftVersionSummary>>> {
    Ok(Json(versions_for(&state, id, Reader::Staff).await?))
}

/// `GET /api/v1/public/consultations/{id}/document/versions`
pub async fn public_versions(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<DraftVersionSummary>>> {
    Ok(Json(versions_for(&state, id, Reader::Public).await?))
}

async fn diff_for(
    state: &AppState,
    id: i64,
    query: &DraftDiffQuery,
    reader: Reader,
) -> ApiResult<DraftDiff> {
    let from = version(state, id, Some(query.from), reader).await?;
    let to = version(state, id, Some(query.to), reader).await?;
    Ok(mosharekat_draft::diff(&from, &to))
}

/// `GET /api/v1/consultations/{id}/document/diff?from=A&to=B` (staff): article by article.
pub async fn diff(
    State(state): State<AppState>,
    _auth: StaffAuth,
    Path(id): Path<i64>,
    Query(query): Query<DraftDiffQuery>,
) -> ApiResult<Json<DraftDiff>> {
    Ok(Json(diff_for(&state, id, &query, Reader::Staff).await?))
}

/// `GET /api/v1/public/consultations/{id}/document/diff?from=A&to=B`
pub async fn public_diff(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(query): Query<DraftDiffQuery>,
) -> ApiResult<Json<DraftDiff>> {
    Ok(Json(diff_for(&state, id, &query, Reader::Public).await?))
}
