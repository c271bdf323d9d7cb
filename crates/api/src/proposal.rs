//! Proposals and their documented answers: decisions with reasons, saved as drafts under optimistic
//! concurrency (a `version`), published once both languages are written.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Comment, ErrorDetail};

/// What was decided about a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Accepted,
    PartiallyAccepted,
    Rejected,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [
        Outcome::Accepted,
        Outcome::PartiallyAccepted,
        Outcome::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted",
            Outcome::PartiallyAccepted => "partially_accepted",
            Outcome::Rejected => "rejected",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == code)
    }
}

/// `PUT /api/v1/proposals/{id}/decision` (operator). Saves a draft: any field may be empty until the
/// decisions are published. `version` is the version the editor started from (0 when there was no
/// decision yet); if someone saved since, the answer is `409 version_conflict` with the current
/// decision ([`DecisionConflict`]) and nothing is overwritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalDecisionRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    #[serde(default)]
    pub rationale_fa: String,
    #[serde(default)]
    pub rationale_en: String,
    /// The article, law or regulation the decision rests on.
    #[serde(default)]
    pub legal_basis: String,
    pub version: i64,
}

/// The decision on a proposal (and so on its whole campaign group), as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalDecision {
    /// The id of the comment that stands for the group.
    pub proposal_id: i64,
    pub consultation_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    pub rationale_fa: String,
    pub rationale_en: String,
    pub legal_basis: String,
    /// 1 after the first save, one more after each.
    pub version: i64,
    /// Username of who saved this version.
    pub decided_by: String,
    pub decided_at: DateTime<Utc>,
    /// Set when the decision was published; a published decision is final.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<DateTime<Utc>>,
}

/// One row of `GET /api/v1/consultations/{id}/proposals`: an approved proposal standing for its
/// campaign group (the group's first approved proposal, or the one already decided), with the
/// group's size and its decision, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub comment: Comment,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<ProposalDecision>,
    /// Comments in the campaign group; the answer reaches every one of their authors.
    pub group_size: i64,
}

/// Body of `409 version_conflict`: the usual error plus the decision as it is now, so an editor
/// can show the other person's text beside their own and merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionConflict {
    pub error: ErrorDetail,
    pub current: ProposalDecision,
}

/// A published decision, as the public sees it: `GET /api/v1/public/consultations/{id}/decisions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicDecision {
    pub proposal_id: i64,
    /// The proposal's text, exactly as its author wrote it (untrusted).
    pub body: String,
    pub outcome: Outcome,
    pub rationale_fa: String,
    pub rationale_en: String,
    pub legal_basis: String,
    pub decided_at: DateTime<Utc>,
    pub published_at: DateTime<Utc>,
    pub group_size: i64,
    /// The article of the draft the proposal is about, if it named one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<crate::ArticleRef>,
}

/// Answer to `POST /api/v1/consultations/{id}/decisions/publish`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionsPublished {
    /// Proposals whose decisions were published now (those published before are not repeated).
    pub published: Vec<i64>,
    /// Feedback messages queued for delivery to the authors.
    pub messages: i64,
}

/// Longest rationale (per language) and legal basis, in characters.
pub const MAX_RATIONALE_CHARS: usize = 10_000;
pub const MAX_LEGAL_BASIS_CHARS: usize = 1_000;

impl ProposalDecisionRequest {
    /// Check lengths and characters (a draft may leave anything empty).
    pub fn validate(&self) -> Result<(), (crate::ErrorCode, String)> {
        use crate::ErrorCode;
        if self.version < 0 {
            return Err((ErrorCode::Validation, "version is 0 or more".into()));
        }
        for (name, text, max) in [
            ("rationale_fa", &self.rationale_fa, MAX_RATIONALE_CHARS),
            ("rationale_en", &self.rationale_en, MAX_RATIONALE_CHARS),
            ("legal_basis", &self.legal_basis, MAX_LEGAL_BASIS_CHARS),
        ] {
            if text.contains('\0') {
                return Err((
                    ErrorCode::InvalidText,
                    format!("{name} contains a NUL character"),
                ));
            }
            if text.chars().count() > max {
                return Err((
                    ErrorCode::Validation,
                    format!("{name} is at most {max} characters"),
                ));
            }
        }
        Ok(())
    }
}

impl ProposalDecision {
    /// What publishing still needs, if anything: an outcome and both rationales.
    pub fn missing_for_publication(&self) -> Option<&'static str> {
        if self.outcome.is_none() {
            Some("an outcome")
        } else if self.rationale_fa.trim().is_empty() || self.rationale_en.trim().is_empty() {
            Some("the rationale in both languages")
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    fn request() -> ProposalDecisionRequest {
        ProposalDecisionRequest {
            outcome: None,
            rationale_fa: String::new(),
            rationale_en: String::new(),
            legal_basis: String::new(),
            version: 0,
        }
    }

    #[test]
    fn a_draft_may_be_empty_but_not_too_long() {
        assert!(request().validate().is_ok());
        let long = ProposalDecisionRequest {
            legal_basis: "م".repeat(MAX_LEGAL_BASIS_CHARS + 1),
            ..request()
        };
        assert_eq!(long.validate().unwrap_err().0, ErrorCode::Validation);
        let nul = ProposalDecisionRequest {
            rationale_en: "a\0".into(),
            ..request()
        };
        assert_eq!(nul.validate().unwrap_err().0, ErrorCode::InvalidText);
        let negative = ProposalDecisionRequest {
            version: -1,
            ..request()
        };
        assert!(negative.validate().is_err());
    }

    #[test]
    fn the_request_reads_with_only_a_version() {
        let r: ProposalDecisionRequest = serde_json::from_str(r#"{"version": 3}"#).unwrap();
        assert_eq!(r.version, 3);
        assert_eq!(r.outcome, None);
        let r: ProposalDecisionRequest =
            serde_json::from_str(r#"{"version": 0, "outcome": "partially_accepted"}"#).unwrap();
        assert_eq!(r.outcome, Some(Outcome::PartiallyAccepted));
    }

    #[test]
    fn publication_needs_an_outcome_and_both_rationales() {
        let mut d = ProposalDecision {
            proposal_id: 1,
            consultation_id: 1,
            outcome: None,
            rationale_fa: "دلیل".into(),
            rationale_en: "Reason".into(),
            legal_basis: String::new(),
            version: 1,
            decided_by: "op".into(),
            decided_at: DateTime::from_timestamp(0, 0).unwrap(),
            published_at: None,
        };
        assert!(d.missing_for_publication().is_some());
        d.outcome = Some(Outcome::Rejected);
        assert_eq!(d.missing_for_publication(), None);
        d.rationale_en = "  ".into();
        assert!(d.missing_for_publication().is_some());
    }
}
