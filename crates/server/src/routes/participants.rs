//! The public side: what the portal and citizens use.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use mosharekat_api::text::{normalize_for_duplicates, validate_comment_body};
use mosharekat_api::{
    BallotAccepted, BallotRequest, CommentAccepted, ConsultationStatus, ErrorCode, NewComment,
    NewParticipant, ParticipantCreated, Poll, PublicConsultation,
};

use super::Path;
use crate::auth::{ParticipantAuth, random_token, token_hash};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::store::{ConsultationFilter, NewCommentRecord};

fn public(c: mosharekat_api::Consultation) -> PublicConsultation {
    PublicConsultation {
        id: c.id,
        kind: c.kind,
        status: c.status,
        title_fa: c.title_fa,
        title_en: c.title_en,
        summary_fa: c.summary_fa,
        summary_en: c.summary_en,
        drafting_unit: c.drafting_unit,
        opens_at: c.opens_at,
        closes_at: c.closes_at,
        portal_url: c.portal_url,
    }
}

/// `GET /api/v1/public/consultations`: the calls open for comment now.
pub async fn open_consultations(
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<PublicConsultation>>> {
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let filter = ConsultationFilter {
            status: Some(ConsultationStatus::Open),
            after,
            limit: 500,
        };
        let batch = state.store.list_consultations(&filter, state.now()).await?;
        after = batch.last().map(|c| c.id);
        let done = batch.len() < 500;
        all.extend(batch.into_iter().map(public));
        if done {
            break;
        }
    }
    Ok(Json(all))
}

/// `GET /api/v1/public/consultations/{id}`: any published call (drafts are not public).
pub async fn consultation(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<PublicConsultation>> {
    let c = state
        .store
        .get_consultation(id, state.now())
        .await?
        .filter(|c| c.status != ConsultationStatus::Draft)
        .ok_or_else(|| ApiError::not_found("consultation"))?;
    Ok(Json(public(c)))
}

/// `GET /api/v1/public/consultations/{id}/polls`
pub async fn polls(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<Poll>>> {
    state
        .store
        .get_consultation(id, state.now())
        .await?
        .filter(|c| c.status != ConsultationStatus::Draft)
        .ok_or_else(|| ApiError::not_found("consultation"))?;
    Ok(Json(state.store.list_polls(id).await?))
}

/// `POST /api/v1/public/participants`: register; every demographic field is optional.
pub async fn register(
    State(state): State<AppState>,
    body: ApiJson<NewParticipant>,
) -> ApiResult<(StatusCode, Json<ParticipantCreated>)> {
    let new = body.value;
    let name = new.display_name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::validation("display_name is 1 to 100 characters"));
    }
    if name.contains('\0') {
        return Err(ApiError::new(
            ErrorCode::InvalidText,
            "the name contains a NUL character",
        ));
    }
    if !new.consent {
        return Err(ApiError::new(
            ErrorCode::ConsentRequired,
            "taking part needs consent to the processing of what you send",
        ));
    }
    let now = state.now();
    if let Some(year) = new.birth_year {
        let this_year = chrono::Datelike::year(&now);
        if !(this_year - 120..=this_year).contains(&year) {
            return Err(ApiError::validation(format!(
                "birth_year must be between {} and {this_year}",
                this_year - 120
            )));
        }
    }
    match (&new.channel, new.handle.as_deref().map(str::trim)) {
        (Some(_), None | Some("")) => {
            return Err(ApiError::validation("a messenger channel needs a handle"));
        }
        (None, Some(h)) if !h.is_empty() => {
            return Err(ApiError::validation("a handle needs its channel"));
        }
        (_, Some(h)) if h.chars().count() > 200 || h.contains('\0') => {
            return Err(ApiError::validation("the handle is at most 200 characters"));
        }
        _ => {}
    }
    if new.channel == Some(mosharekat_api::Channel::Webhook)
        && !new
            .handle
            .as_deref()
            .is_some_and(|h| h.trim().starts_with("https://") || h.trim().starts_with("http://"))
    {
        return Err(ApiError::validation("a webhook handle is an http(s) URL"));
    }
    let token = random_token();
    let participant_id = state
        .store
        .create_participant(&new, &token_hash(&token), now)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ParticipantCreated {
            participant_id,
            token,
        }),
    ))
}

/// `POST /api/v1/public/consultations/{id}/comments` (participant token): `202`, pending moderation.
pub async fn comment(
    State(state): State<AppState>,
    ParticipantAuth(participant): ParticipantAuth,
    Path(id): Path<i64>,
    body: ApiJson<NewComment>,
) -> ApiResult<(StatusCode, Json<CommentAccepted>)> {
    let new = body.value;
    validate_comment_body(&new.body).map_err(|(code, message)| ApiError::new(code, message))?;
    let normalised = normalize_for_duplicates(&new.body);
    let record = NewCommentRecord {
        consultation_id: id,
        participant_id: participant.id,
        text_hash: crate::auth::token_hash(&normalised),
        body: new.body,
        parent_id: new.parent_id,
        is_proposal: new.is_proposal,
        article_id: new.article_id,
    };
    let accepted = state.store.add_comment(&record, state.now()).await?;
    Ok((StatusCode::ACCEPTED, Json(accepted)))
}

/// `POST /api/v1/public/polls/{id}/ballots` (participant token): one ballot per participant per poll;
/// casting again while the consultation is open replaces the earlier ballot.
pub async fn ballot(
    State(state): State<AppState>,
    ParticipantAuth(participant): ParticipantAuth,
    Path(id): Path<i64>,
    body: ApiJson<BallotRequest>,
) -> ApiResult<Json<BallotAccepted>> {
    let (accepted, _tally) = state
        .store
        .cast_ballot(id, &participant, &body.value.option_ids, state.now())
        .await?;
    Ok(Json(accepted))
}
