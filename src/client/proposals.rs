//! Proposals and their decisions: the list of a consultation's approved proposals, draft saves
//! under optimistic concurrency (a stale `version` is answered `409` with the current decision),
//! and publication.

use mosharekat_api::paths;
use mosharekat_api::{
    DecisionConflict, DecisionsPublished, ErrorBody, Page, Proposal, ProposalDecision,
    ProposalDecisionRequest,
};
use reqwest::{Method, StatusCode};

use super::{Client, ClientError, ClientResult};

/// How a draft save ended when the backend answered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    /// Stored: the decision as it is now (its `version` one more than the one sent).
    Saved(ProposalDecision),
    /// Someone saved since the version sent: nothing was overwritten; this is their decision.
    Conflict(Box<DecisionConflict>),
}

impl Client {
    /// One page of a consultation's approved proposals (one per campaign group), in id order.
    pub async fn proposals(
        &self,
        consultation_id: i64,
        after: Option<i64>,
        limit: u32,
    ) -> ClientResult<Page<Proposal>> {
        let after = after.map(|a| format!("&after={a}")).unwrap_or_default();
        self.get(&format!(
            "{}?limit={limit}{after}",
            paths::consultation_proposals(consultation_id)
        ))
        .await
    }

    /// Every approved proposal of a consultation, following the keyset cursor.
    pub async fn all_proposals(&self, consultation_id: i64) -> ClientResult<Vec<Proposal>> {
        let mut all = Vec::new();
        let mut after = None;
        loop {
            let page = self.proposals(consultation_id, after, 500).await?;
            all.extend(page.items);
            match page.next_after.and_then(|a| a.parse().ok()) {
                Some(next) => after = Some(next),
                None => return Ok(all),
            }
        }
    }

    /// Save a draft decision (`PUT /proposals/{id}/decision`). A `409 version_conflict` that
    /// carries the current decision is an answer, not an error: [`SaveOutcome::Conflict`].
    pub async fn save_decision(
        &self,
        proposal_id: i64,
        request: &ProposalDecisionRequest,
    ) -> ClientResult<SaveOutcome> {
        let mut req = self
            .http
            .request(
                Method::PUT,
                self.url(&paths::proposal_decision(proposal_id)),
            )
            .json(request);
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        let resp = req
            .send()
            .await
            .map_err(|e| ClientError::Unreachable(e.to_string()))?;
        let status = resp.status();
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| ClientError::Unreachable(e.to_string()))?;
        if status.is_success() {
            return serde_json::from_slice(&bytes)
                .map(SaveOutcome::Saved)
                .map_err(|e| ClientError::Protocol(e.to_string()));
        }
        if status == StatusCode::CONFLICT
            && let Ok(conflict) = serde_json::from_slice::<DecisionConflict>(&bytes)
        {
            return Ok(SaveOutcome::Conflict(Box::new(conflict)));
        }
        Err(match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(body) => ClientError::Api {
                status: status.as_u16(),
                code: body.error.code,
                message: body.error.message,
            },
            Err(_) if status.is_server_error() => {
                ClientError::Unreachable(format!("HTTP {status}"))
            }
            Err(_) => ClientError::Protocol(format!("HTTP {status} without an error body")),
        })
    }

    /// Publish every unpublished decision of a closed consultation.
    pub async fn publish_decisions(
        &self,
        consultation_id: i64,
    ) -> ClientResult<DecisionsPublished> {
        self.send(
            Method::POST,
            &paths::consultation_decisions_publish(consultation_id),
            None::<&()>,
            None,
        )
        .await
    }
}
