//! The public side: what the portal and citizens use.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use mosharekat_api::{
    BallotAccepted, BallotRequest, Channel, CommentAccepted, ConsultationStatus, ErrorCode,
    MessengerLink, MessengerLinkRequest, NewComment, NewParticipant, ParticipantCreated, Poll,
    PublicConsultation, VerificationRequest, VerificationSent,
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

/// The client's address (the peer's, or behind a trusted proxy the one it appended), for the
/// per-address limit on one-time codes.
pub struct ClientAddress(pub Option<std::net::IpAddr>);

impl axum::extract::FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(crate::portal::session::client_address(
            state, parts,
        )))
    }
}

/// `POST /api/v1/public/verification {phone}`: `202`, a one-time code sent to the number.
pub async fn request_verification(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    body: ApiJson<VerificationRequest>,
) -> ApiResult<(StatusCode, Json<VerificationSent>)> {
    let sent = crate::verification::request_code(&state, &body.value.phone, address).await?;
    Ok((StatusCode::ACCEPTED, Json(sent)))
}

/// `POST /api/v1/public/participants`: register (every demographic field is optional), or with
/// `phone` and `code` sign in (`200`, a known number) or register verified (`201`). With a
/// participant token, an unverified participant attaches the number to themselves (`200`).
pub async fn register(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    body: ApiJson<serde_json::Value>,
) -> ApiResult<(StatusCode, Json<ParticipantCreated>)> {
    let value = body.value;
    let text = |field: &str| -> ApiResult<Option<String>> {
        match value.get(field) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ApiError::validation(format!("{field} must be a string"))),
        }
    };
    let (phone, code) = (text("phone")?, text("code")?);
    let now = state.now();
    let registration = || -> ApiResult<NewParticipant> {
        let new: NewParticipant = serde_json::from_value(value.clone())
            .map_err(|e| ApiError::validation(format!("the registration fields: {e}")))?;
        if let Some(problem) = crate::rules::registration_problems(&new, now).first() {
            let (code, message) = problem.error();
            return Err(ApiError::new(code, message));
        }
        Ok(new)
    };
    let (phone, code) = match (phone, code) {
        (None, None) => {
            if state.config.verification.required {
                return Err(ApiError::new(
                    ErrorCode::VerificationRequired,
                    "this server registers only verified numbers: send phone and code",
                ));
            }
            let new = registration()?;
            let token = random_token();
            let participant_id = state
                .store
                .create_participant(&new, &token_hash(&token), now)
                .await?;
            return Ok((
                StatusCode::CREATED,
                Json(ParticipantCreated {
                    participant_id,
                    token,
                    verified: false,
                }),
            ));
        }
        (Some(phone), Some(code)) => (phone, code),
        _ => {
            return Err(ApiError::validation(
                "phone and code go together: the number and the code sent to it",
            ));
        }
    };
    // Registration fields, when sent, are checked before the code is spent.
    let new = match value.get("display_name") {
        Some(_) => Some(registration()?),
        None => None,
    };
    let asking = match crate::auth::bearer_token(&headers) {
        Some(token) => Some(
            state
                .store
                .participant_by_token(&token_hash(token))
                .await?
                .ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::Unauthorized,
                        "the participant token is not valid",
                    )
                })?
                .id,
        ),
        None => None,
    };
    let verified =
        crate::verification::verify_code(&state, &phone, &code, new.as_ref(), asking).await?;
    let status = if verified.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let token = match (verified.token, headers_token(&headers)) {
        (Some(token), _) => token,
        (None, Some(token)) => token,
        (None, None) => unreachable!("a number is attached only to a participant who asked"),
    };
    Ok((
        status,
        Json(ParticipantCreated {
            participant_id: verified.participant_id,
            token,
            verified: true,
        }),
    ))
}

fn headers_token(headers: &axum::http::HeaderMap) -> Option<String> {
    crate::auth::bearer_token(headers).map(str::to_owned)
}

/// `POST /api/v1/public/consultations/{id}/comments` (participant token): `202`, pending moderation.
pub async fn comment(
    State(state): State<AppState>,
    ParticipantAuth(participant): ParticipantAuth,
    Path(id): Path<i64>,
    body: ApiJson<NewComment>,
) -> ApiResult<(StatusCode, Json<CommentAccepted>)> {
    let new = body.value;
    let record = NewCommentRecord::checked(
        id,
        participant.id,
        new.body,
        new.parent_id,
        new.is_proposal,
        new.article_id,
    )
    .map_err(|(code, message)| ApiError::new(code, message))?;
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

/// `POST /api/v1/public/messenger-links` (participant token): a one-time code that links a Bale
/// chat to the participant, and the bot's deep link carrying it. `201`; `422` for a channel without
/// a bot; `503` when no Bale bot is configured or Bale does not answer.
pub async fn messenger_link(
    State(state): State<AppState>,
    ParticipantAuth(participant): ParticipantAuth,
    body: ApiJson<MessengerLinkRequest>,
) -> ApiResult<(StatusCode, Json<MessengerLink>)> {
    let channel = body.value.channel;
    if channel != Channel::Bale {
        return Err(ApiError::validation(format!(
            "only a Bale chat can be linked; `{}` has no bot",
            channel.as_str()
        )));
    }
    let bot = state.bot.as_ref().ok_or_else(|| {
        ApiError::new(
            ErrorCode::Unavailable,
            "no Bale bot is configured on this server",
        )
    })?;
    let link = crate::bot::new_link_code(&state, bot, participant.id)
        .await
        .map_err(|e| match e {
            crate::bot::LinkCodeError::Bale(e) => {
                tracing::warn!("bale bot: {e}");
                ApiError::new(
                    ErrorCode::Unavailable,
                    "Bale did not answer; try again later",
                )
            }
            crate::bot::LinkCodeError::Store(e) => e.into(),
        })?;
    Ok((StatusCode::CREATED, Json(link)))
}
