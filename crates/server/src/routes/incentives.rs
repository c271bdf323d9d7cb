//! Incentives: scores and the leaderboard (operators), certificates (admins), and the public side
//! (top participants, a certificate by its code, the signing keys).

use axum::Json;
use axum::extract::State;
use mosharekat_api::certificate::{MAX_BULK_APPROVE, normalise_code};
use mosharekat_api::score::{DEFAULT_LEADERBOARD_LIMIT, MAX_LEADERBOARD_LIMIT};
use mosharekat_api::{
    BulkApproveRequest, BulkApproveResponse, Category, Certificate, CertificateSkip,
    CertificateStatus, ConsultationStatus, ErrorCode, LeaderboardResponse, Page, ParticipantScore,
    Period, ProposeRequest, ProposeResponse, Province, PublicCertificate, PublicKeys,
    PublicTopList, ReasonRequest, Role,
};

use super::{Path, Query, page};
use crate::auth::StaffAuth;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::store::{CertificateFilter, LeaderboardFilter, StoreError};

fn parse<T>(
    value: Option<&str>,
    name: &str,
    from: impl Fn(&str) -> Option<T>,
    expected: &str,
) -> ApiResult<Option<T>> {
    value
        .map(|v| {
            from(v).ok_or_else(|| {
                ApiError::validation(format!("unknown {name} `{v}`: use {expected}"))
            })
        })
        .transpose()
}

#[derive(Debug, serde::Deserialize)]
pub struct LeaderboardQuery {
    period: Option<String>,
    province: Option<String>,
    category: Option<String>,
    consultation_id: Option<i64>,
    limit: Option<u32>,
}

/// `GET /api/v1/leaderboard?period=&province=&category=&consultation_id=&limit=` (operator)
pub async fn leaderboard(
    State(state): State<AppState>,
    auth: StaffAuth,
    Query(q): Query<LeaderboardQuery>,
) -> ApiResult<Json<LeaderboardResponse>> {
    auth.require(Role::Operator)?;
    let period = parse(
        q.period.as_deref(),
        "period",
        Period::from_code,
        "all, week, month or year",
    )?
    .unwrap_or_default();
    let province = parse(
        q.province.as_deref(),
        "province",
        Province::from_code,
        "a province code",
    )?;
    let category = parse(
        q.category.as_deref(),
        "category",
        Category::from_code,
        "scientific_elite, ngo, private_sector or public",
    )?;
    let limit = match q.limit {
        None => DEFAULT_LEADERBOARD_LIMIT,
        Some(n) if (1..=MAX_LEADERBOARD_LIMIT).contains(&n) => n,
        Some(_) => {
            return Err(ApiError::validation(format!(
                "limit must be between 1 and {MAX_LEADERBOARD_LIMIT}"
            )));
        }
    };
    let now = state.now();
    let from = LeaderboardFilter::of_period(period, now);
    let filter = LeaderboardFilter {
        since: from,
        province,
        category,
        consultation_id: q.consultation_id,
        limit,
    };
    let entries = state.store.leaderboard(&filter).await?;
    Ok(Json(LeaderboardResponse {
        period,
        from,
        generated_at: now,
        province,
        category,
        consultation_id: q.consultation_id,
        entries,
    }))
}

/// `GET /api/v1/participants/{id}/score` (operator): the score and its contributions.
pub async fn score(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<ParticipantScore>> {
    auth.require(Role::Operator)?;
    Ok(Json(
        state
            .store
            .participant_score(id)
            .await?
            .ok_or_else(|| ApiError::not_found("participant"))?,
    ))
}

/// `GET /api/v1/public/consultations/{id}/top`: the named top participants of a published call.
pub async fn public_top(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<PublicTopList>> {
    let consultation = state
        .store
        .get_consultation(id, state.now())
        .await?
        .filter(|c| c.status != ConsultationStatus::Draft)
        .ok_or_else(|| ApiError::not_found("consultation"))?;
    Ok(Json(PublicTopList {
        consultation_id: consultation.id,
        entries: crate::incentives::public_top(state.store.as_ref(), id).await?,
    }))
}

#[derive(Debug, serde::Deserialize)]
pub struct CertificateListQuery {
    status: Option<String>,
    consultation_id: Option<i64>,
    after: Option<i64>,
    limit: Option<u32>,
}

/// `GET /api/v1/certificates?status=&consultation_id=&after=&limit=` (admin)
pub async fn list(
    State(state): State<AppState>,
    auth: StaffAuth,
    Query(q): Query<CertificateListQuery>,
) -> ApiResult<Json<Page<Certificate>>> {
    auth.require(Role::Admin)?;
    let status = parse(
        q.status.as_deref(),
        "status",
        CertificateStatus::from_code,
        "proposed, approved, rejected or revoked",
    )?;
    let limit = super::PageQuery {
        after: q.after,
        limit: q.limit,
    }
    .limit()?;
    let filter = CertificateFilter {
        status,
        consultation_id: q.consultation_id,
        participant_id: None,
        after: q.after,
        limit,
    };
    let items = state.store.list_certificates(&filter).await?;
    Ok(Json(page(items, limit, |c| c.id)))
}

/// `GET /api/v1/certificates/{id}` (admin)
pub async fn get(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<Certificate>> {
    auth.require(Role::Admin)?;
    Ok(Json(
        state
            .store
            .get_certificate(id)
            .await?
            .ok_or_else(|| ApiError::not_found("certificate"))?,
    ))
}

/// `POST /api/v1/certificates/propose` `{}` or `{consultation_id}` (admin): run the rules now.
pub async fn propose(
    State(state): State<AppState>,
    auth: StaffAuth,
    body: ApiJson<ProposeRequest>,
) -> ApiResult<Json<ProposeResponse>> {
    let actor = auth.require(Role::Admin)?;
    let request = body.value;
    Ok(Json(
        state
            .store
            .propose_certificates(request.consultation_id, &actor, state.now())
            .await?,
    ))
}

/// `POST /api/v1/certificates/{id}/approve` (admin): sign and issue.
pub async fn approve(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<Certificate>> {
    let actor = auth.require(Role::Admin)?;
    Ok(Json(
        state
            .store
            .approve_certificate(id, &state.signer, &actor, state.now())
            .await?,
    ))
}

/// `POST /api/v1/certificates/approve {ids}` (admin): issue several, each on its own.
pub async fn bulk_approve(
    State(state): State<AppState>,
    auth: StaffAuth,
    body: ApiJson<BulkApproveRequest>,
) -> ApiResult<Json<BulkApproveResponse>> {
    let actor = auth.require(Role::Admin)?;
    let request = body.value;
    if request.ids.is_empty() || request.ids.len() > MAX_BULK_APPROVE {
        return Err(ApiError::validation(format!(
            "ids lists 1 to {MAX_BULK_APPROVE} certificates"
        )));
    }
    let mut response = BulkApproveResponse {
        approved: Vec::new(),
        skipped: Vec::new(),
    };
    let mut seen = std::collections::HashSet::new();
    for id in request.ids {
        if !seen.insert(id) {
            continue;
        }
        match state
            .store
            .approve_certificate(id, &state.signer, &actor, state.now())
            .await
        {
            Ok(c) => response.approved.push(c),
            Err(StoreError::Refused { code, .. })
                if matches!(code, ErrorCode::NotFound | ErrorCode::InvalidState) =>
            {
                response.skipped.push(CertificateSkip {
                    id,
                    code: code.as_str().to_owned(),
                });
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Json(response))
}

fn reason(request: &ReasonRequest) -> ApiResult<&str> {
    request
        .validate()
        .map_err(|(code, message)| ApiError::new(code, message))?;
    Ok(request.reason.trim())
}

/// `POST /api/v1/certificates/{id}/reject {reason}` (admin)
pub async fn reject(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
    body: ApiJson<ReasonRequest>,
) -> ApiResult<Json<Certificate>> {
    let actor = auth.require(Role::Admin)?;
    let reason = reason(&body.value)?;
    Ok(Json(
        state
            .store
            .reject_certificate(id, reason, &actor, state.now())
            .await?,
    ))
}

/// `POST /api/v1/certificates/{id}/revoke {reason}` (admin)
pub async fn revoke(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
    body: ApiJson<ReasonRequest>,
) -> ApiResult<Json<Certificate>> {
    let actor = auth.require(Role::Admin)?;
    let reason = reason(&body.value)?;
    Ok(Json(
        state
            .store
            .revoke_certificate(id, reason, &actor, state.now())
            .await?,
    ))
}

/// `GET /api/v1/public/certificates/{code}`: an issued certificate and its status.
pub async fn public_certificate(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<Json<PublicCertificate>> {
    let code = normalise_code(&code).ok_or_else(|| {
        ApiError::new(
            ErrorCode::NotFound,
            "no such certificate: the code is not a valid verification code",
        )
    })?;
    Ok(Json(
        state
            .store
            .public_certificate(&code)
            .await?
            .ok_or_else(|| ApiError::not_found("certificate"))?,
    ))
}

/// `GET /api/v1/public/keys`: the keys certificates are signed with.
pub async fn public_keys(State(state): State<AppState>) -> Json<PublicKeys> {
    Json(state.signer.public_keys())
}
