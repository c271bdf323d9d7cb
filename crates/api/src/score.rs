//! Digital-citizen scores and the ranking built from them.
//!
//! A participant's score is the sum of their **contributions**, each derived from source data by
//! the rules the server ships (`crates/server/scoring.toml`, overridable by configuration):
//!
//! | kind | earned for | when it counts |
//! | --- | --- | --- |
//! | `comment` | an approved comment or proposal whose text nobody else sent | once per author and campaign group |
//! | `endorsement` | an approved copy of a campaign text (its duplicate group has approved comments of other authors) | once per author and campaign group |
//! | `proposal_accepted` | a proposal whose published decision is `accepted` | once per proposal, to the author of the proposal the decision was recorded on |
//! | `proposal_partially_accepted` | likewise, `partially_accepted` | |
//! | `ballot` | a ballot in a vote (`yes_no_abstain`, `single_choice`, `multiple_choice`) | once per poll (a replaced ballot is the same contribution) |
//! | `survey_answer` | a ballot in a survey question (`likert_5`) | once per poll |
//!
//! Rejected, hidden and pending content earns nothing. Scores are kept up to date in the
//! transaction of each change (moderation decisions and their reversals, publication of decisions,
//! ballots) and can be recomputed from the source data (`mosharekat scores rebuild`) with the same
//! result.
//!
//! Staff routes: `GET /api/v1/participants/{id}/score` ([`ParticipantScore`]) and
//! `GET /api/v1/leaderboard?period=&province=&category=&consultation_id=&limit=`
//! ([`LeaderboardQuery`] → [`LeaderboardResponse`]). Public: the top participants of a consultation
//! (`GET /api/v1/public/consultations/{id}/top`, [`PublicTopList`]) lists only those who consented
//! to be named (`name_public` at registration).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Category, Province};

/// What a contribution was earned for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContributionKind {
    /// An approved comment (or proposal) with a text of its own.
    Comment,
    /// An approved copy of a campaign text: the smaller points.
    Endorsement,
    /// A proposal whose published decision accepted it.
    ProposalAccepted,
    /// A proposal whose published decision accepted part of it.
    ProposalPartiallyAccepted,
    /// A ballot in a vote.
    Ballot,
    /// An answer to a survey question (a `likert_5` poll).
    SurveyAnswer,
}

impl ContributionKind {
    pub const ALL: [ContributionKind; 6] = [
        ContributionKind::Comment,
        ContributionKind::Endorsement,
        ContributionKind::ProposalAccepted,
        ContributionKind::ProposalPartiallyAccepted,
        ContributionKind::Ballot,
        ContributionKind::SurveyAnswer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContributionKind::Comment => "comment",
            ContributionKind::Endorsement => "endorsement",
            ContributionKind::ProposalAccepted => "proposal_accepted",
            ContributionKind::ProposalPartiallyAccepted => "proposal_partially_accepted",
            ContributionKind::Ballot => "ballot",
            ContributionKind::SurveyAnswer => "survey_answer",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == code)
    }

    /// What `subject_id` of a contribution of this kind names.
    pub fn subject(self) -> SubjectKind {
        match self {
            ContributionKind::Comment
            | ContributionKind::Endorsement
            | ContributionKind::ProposalAccepted
            | ContributionKind::ProposalPartiallyAccepted => SubjectKind::Comment,
            ContributionKind::Ballot | ContributionKind::SurveyAnswer => SubjectKind::Poll,
        }
    }
}

/// What the `subject_id` of a [`Contribution`] is the id of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Comment,
    Poll,
}

/// One scored contribution: the evidence behind (part of) a score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contribution {
    pub kind: ContributionKind,
    /// Points this contribution adds, by the rules in force.
    pub points: i64,
    pub consultation_id: i64,
    /// The comment (for comments, endorsements and proposals: the author's earliest approved
    /// comment of the campaign group, or the decided proposal) or the poll (ballots, survey answers).
    pub subject_id: i64,
    /// The campaign group of a comment or endorsement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_group_id: Option<i64>,
    /// For a comment or endorsement: how many approved comments of this author the group holds
    /// (all scored once).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub copies: i64,
    /// When it was earned, from the source data: the comment's creation, the ballot's first casting,
    /// the decision's publication. Leaderboard periods filter on it.
    pub earned_at: DateTime<Utc>,
}

fn one() -> i64 {
    1
}

fn is_one(n: &i64) -> bool {
    *n == 1
}

/// The points one kind of contribution earns: a line of the rules in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoringRule {
    pub kind: ContributionKind,
    pub points: i64,
    pub description_fa: String,
    pub description_en: String,
}

/// `GET /api/v1/participants/{id}/score` (operator): a score and everything behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantScore {
    pub participant_id: i64,
    pub display_name: String,
    pub category: Category,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<Province>,
    /// Sum of `contributions[].points`.
    pub total: i64,
    /// Every contribution, newest first.
    pub contributions: Vec<Contribution>,
    /// The rules the points come from.
    pub rules: Vec<ScoringRule>,
}

/// A time window of the leaderboard, ending now (`?period=`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Everything (the default).
    #[default]
    All,
    /// The last 7 days.
    Week,
    /// The last 30 days.
    Month,
    /// The last 365 days.
    Year,
}

impl Period {
    pub const ALL: [Period; 4] = [Period::All, Period::Week, Period::Month, Period::Year];

    pub fn as_str(self) -> &'static str {
        match self {
            Period::All => "all",
            Period::Week => "week",
            Period::Month => "month",
            Period::Year => "year",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == code)
    }

    /// Length of the window in days (`None`: unbounded).
    pub fn days(self) -> Option<i64> {
        match self {
            Period::All => None,
            Period::Week => Some(7),
            Period::Month => Some(30),
            Period::Year => Some(365),
        }
    }
}

/// `GET /api/v1/leaderboard` query string. Every filter is optional and they combine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaderboardQuery {
    #[serde(default)]
    pub period: Period,
    /// Participants of this province.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<Province>,
    /// Participants of this category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// Only contributions to this consultation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consultation_id: Option<i64>,
    /// How many entries (default 50, at most 500).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// One line of the leaderboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaderboardEntry {
    /// Standard competition ranking: equal points share a rank, the next rank skips (1, 2, 2, 4).
    /// Equal points are listed by participant id.
    pub rank: i64,
    pub participant_id: i64,
    /// Staff see every name; the public lists never show one without consent.
    pub display_name: String,
    pub category: Category,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<Province>,
    pub points: i64,
    /// Contributions counted in `points`.
    pub contributions: i64,
    /// Whether the participant consented to be named in public lists.
    pub name_public: bool,
}

/// Answer to `GET /api/v1/leaderboard`: participants with points in the window, most first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaderboardResponse {
    pub period: Period,
    /// Start of the window (absent for `all`); the window ends at `generated_at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<DateTime<Utc>>,
    pub generated_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<Province>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consultation_id: Option<i64>,
    pub entries: Vec<LeaderboardEntry>,
}

/// One line of a public recognition list: a display name and points, nothing else. Only
/// participants who consented to be named appear; `rank` is their place among all participants,
/// so places of those not named are skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicTopParticipant {
    pub rank: i64,
    pub display_name: String,
    pub points: i64,
}

/// `GET /api/v1/public/consultations/{id}/top`: the consultation's top participants (also the
/// report's `top_participants` section).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicTopList {
    pub consultation_id: i64,
    pub entries: Vec<PublicTopParticipant>,
}

/// Default and largest leaderboard sizes.
pub const DEFAULT_LEADERBOARD_LIMIT: u32 = 50;
pub const MAX_LEADERBOARD_LIMIT: u32 = 500;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in ContributionKind::ALL {
            assert_eq!(ContributionKind::from_code(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::Value::from(k.as_str())
            );
        }
        for p in Period::ALL {
            assert_eq!(Period::from_code(p.as_str()), Some(p));
        }
    }

    #[test]
    fn the_query_defaults_to_everything() {
        let q: LeaderboardQuery = serde_json::from_str("{}").unwrap();
        assert_eq!(q.period, Period::All);
        let q: LeaderboardQuery =
            serde_json::from_str(r#"{"period": "month", "province": "tehran"}"#).unwrap();
        assert_eq!(q.period, Period::Month);
        assert!(q.province.is_some());
    }

    #[test]
    fn a_single_copy_is_not_written() {
        let c = Contribution {
            kind: ContributionKind::Ballot,
            points: 1,
            consultation_id: 1,
            subject_id: 2,
            duplicate_group_id: None,
            copies: 1,
            earned_at: DateTime::from_timestamp(0, 0).unwrap(),
        };
        let v = serde_json::to_value(&c).unwrap();
        assert!(v.get("copies").is_none());
        assert_eq!(serde_json::from_value::<Contribution>(v).unwrap(), c);
    }
}
