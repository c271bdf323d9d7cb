//! The comprehensive report: generate, read (in a format), publish, and the public copy.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use mosharekat_api::{ConsultationStatus, ErrorCode, Report, ReportFormat, ReportPublished, Role};

use super::{Path, Query};
use crate::auth::StaffAuth;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Debug, serde::Deserialize)]
pub struct FormatQuery {
    format: Option<String>,
}

impl FormatQuery {
    fn format(&self) -> ApiResult<ReportFormat> {
        match self.format.as_deref() {
            None => Ok(ReportFormat::Json),
            Some(code) => ReportFormat::from_code(code).ok_or_else(|| {
                ApiError::validation(format!(
                    "unknown format `{code}`: use json, md, html or csv"
                ))
            }),
        }
    }
}

fn rendered(report: &Report, format: ReportFormat) -> Response {
    let filename = format!(
        "inline; filename=\"report-{}-v{}.{}\"",
        report.consultation.id,
        report.version,
        format.extension()
    );
    (
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, filename),
        ],
        crate::report::render(report, format),
    )
        .into_response()
}

/// `POST /api/v1/consultations/{id}/report` (operator): generate the next draft, after the deadline.
pub async fn generate(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<Report>> {
    let actor = auth.require(Role::Operator)?;
    let now = state.now();
    let consultation = state
        .store
        .get_consultation(id, now)
        .await?
        .ok_or_else(|| ApiError::not_found("consultation"))?;
    if consultation.status != ConsultationStatus::Closed {
        return Err(ApiError::new(
            ErrorCode::ConsultationNotClosed,
            format!(
                "the report is written after the deadline; this consultation is {} until {}",
                consultation.status.as_str(),
                consultation.closes_at.format("%Y-%m-%d %H:%M UTC")
            ),
        ));
    }
    let report =
        crate::report::generate(state.store.as_ref(), &consultation, &actor.username, now).await?;
    Ok(Json(state.store.save_report(report, &actor, now).await?))
}

/// `GET /api/v1/consultations/{id}/report?format=` (operator): the latest draft.
pub async fn get(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
    Query(q): Query<FormatQuery>,
) -> ApiResult<Response> {
    auth.require(Role::Operator)?;
    let format = q.format()?;
    let stored = state
        .store
        .stored_report(id)
        .await?
        .ok_or_else(|| ApiError::not_found("report (generate it first)"))?;
    Ok(rendered(&stored.draft, format))
}

/// `POST /api/v1/consultations/{id}/report/publish` (operator)
pub async fn publish(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<ReportPublished>> {
    let actor = auth.require(Role::Operator)?;
    Ok(Json(
        state
            .store
            .publish_report(
                id,
                state.config.portal.public_url.as_deref(),
                &actor,
                state.now(),
            )
            .await?,
    ))
}

/// `GET /api/v1/public/consultations/{id}/report?format=`: the published report.
pub async fn public(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<FormatQuery>,
) -> ApiResult<Response> {
    let format = q.format()?;
    let published = state
        .store
        .stored_report(id)
        .await?
        .and_then(|s| s.published)
        .ok_or_else(|| ApiError::not_found("published report"))?;
    Ok(rendered(&published, format))
}
