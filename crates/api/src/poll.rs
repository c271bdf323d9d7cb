//! Polls (votes and surveys) and their tallies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PollKind {
    YesNoAbstain,
    SingleChoice,
    MultipleChoice,
    /// A five-point agreement scale (survey question).
    #[serde(rename = "likert_5")]
    Likert5,
}

impl PollKind {
    pub const ALL: [PollKind; 4] = [
        PollKind::YesNoAbstain,
        PollKind::SingleChoice,
        PollKind::MultipleChoice,
        PollKind::Likert5,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PollKind::YesNoAbstain => "yes_no_abstain",
            PollKind::SingleChoice => "single_choice",
            PollKind::MultipleChoice => "multiple_choice",
            PollKind::Likert5 => "likert_5",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == code)
    }

    /// Options a poll of this kind always has (`None`: the author supplies them).
    pub fn fixed_options(self) -> Option<Vec<NewPollOption>> {
        let opts: &[(&str, &str)] = match self {
            PollKind::YesNoAbstain => &[("موافقم", "Yes"), ("مخالفم", "No"), ("ممتنع", "Abstain")],
            PollKind::Likert5 => &[
                ("کاملاً مخالفم", "Strongly disagree"),
                ("مخالفم", "Disagree"),
                ("نظری ندارم", "Neutral"),
                ("موافقم", "Agree"),
                ("کاملاً موافقم", "Strongly agree"),
            ],
            PollKind::SingleChoice | PollKind::MultipleChoice => return None,
        };
        Some(
            opts.iter()
                .map(|(fa, en)| NewPollOption {
                    label_fa: (*fa).into(),
                    label_en: (*en).into(),
                })
                .collect(),
        )
    }

    /// Whether a ballot may choose more than one option.
    pub fn allows_many(self) -> bool {
        matches!(self, PollKind::MultipleChoice)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPollOption {
    pub label_fa: String,
    pub label_en: String,
}

/// `POST /api/v1/consultations/{id}/polls` (operator). Options may be omitted for
/// `yes_no_abstain` and `likert_5`; the other kinds need at least two.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPoll {
    pub kind: PollKind,
    pub question_fa: String,
    #[serde(default)]
    pub question_en: String,
    #[serde(default)]
    pub options: Vec<NewPollOption>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollOption {
    pub id: i64,
    pub label_fa: String,
    pub label_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Poll {
    pub id: i64,
    pub consultation_id: i64,
    pub kind: PollKind,
    pub question_fa: String,
    pub question_en: String,
    pub options: Vec<PollOption>,
    pub total_ballots: i64,
    pub created_at: DateTime<Utc>,
}

/// `POST /api/v1/public/polls/{id}/ballots` with the participant's token. One ballot per participant per
/// poll: casting again while the poll's consultation is open replaces the earlier ballot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotRequest {
    pub option_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotAccepted {
    pub poll_id: i64,
    pub option_ids: Vec<i64>,
    /// True when this ballot replaced an earlier one of the same participant.
    pub replaced: bool,
}

/// The dimension a tally is broken down by: `?by=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Breakdown {
    AgeBand,
    Gender,
    Province,
    Category,
}

impl Breakdown {
    pub const ALL: [Breakdown; 4] = [
        Breakdown::AgeBand,
        Breakdown::Gender,
        Breakdown::Province,
        Breakdown::Category,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Breakdown::AgeBand => "age_band",
            Breakdown::Gender => "gender",
            Breakdown::Province => "province",
            Breakdown::Category => "category",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.as_str() == code)
    }
}

/// Key of the "not stated" bucket in every breakdown.
pub const UNKNOWN_BUCKET: &str = "unknown";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyCell {
    pub option_id: i64,
    pub count: i64,
}

/// One bucket of a breakdown (`key` is an age band, gender, province or category code, or `unknown`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyGroup {
    pub key: String,
    /// Ballots in this bucket.
    pub ballots: i64,
    pub counts: Vec<TallyCell>,
}

/// Ballots first cast in one hour (UTC, hour start).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnoutPoint {
    pub at: DateTime<Utc>,
    pub ballots: i64,
}

/// `GET /api/v1/polls/{id}/tally[?by=…]`, read from counters kept on every ballot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub poll_id: i64,
    pub ballots: i64,
    pub counts: Vec<TallyCell>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Breakdown>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<TallyGroup>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub turnout: Vec<TurnoutPoint>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_options() {
        assert_eq!(PollKind::YesNoAbstain.fixed_options().unwrap().len(), 3);
        assert_eq!(PollKind::Likert5.fixed_options().unwrap().len(), 5);
        assert!(PollKind::SingleChoice.fixed_options().is_none());
        assert!(PollKind::MultipleChoice.allows_many());
    }

    #[test]
    fn breakdown_codes() {
        for b in Breakdown::ALL {
            assert_eq!(Breakdown::from_code(b.as_str()), Some(b));
        }
    }
}
