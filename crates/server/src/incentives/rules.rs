//! The scoring rules: points per kind of contribution and the recognition thresholds, read from
//! `scoring.toml` (shipped with the server and embedded in it; a deployment may supply its own).

use mosharekat_api::{ContributionKind, ScoringRule};
use serde::Deserialize;

/// The rules the server ships with.
pub const DEFAULT_RULES: &str = include_str!("../../scoring.toml");

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringRules {
    pub points: Points,
    pub recognition: Recognition,
}

/// Points per contribution kind (each may be 0, none negative).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Points {
    pub comment: i64,
    pub endorsement: i64,
    pub proposal_accepted: i64,
    pub proposal_partially_accepted: i64,
    pub ballot: i64,
    pub survey_answer: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recognition {
    /// A place at or above this in a consultation's ranking earns a distinction.
    pub distinction_top_places: i64,
    /// Places of the public top list of a consultation.
    pub public_top_places: i64,
}

impl Default for ScoringRules {
    fn default() -> Self {
        Self::parse(DEFAULT_RULES).expect("the shipped scoring.toml is valid")
    }
}

impl ScoringRules {
    /// Read rules from TOML text, refusing unknown keys and negative numbers.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let rules: ScoringRules = toml::from_str(text)?;
        for kind in ContributionKind::ALL {
            if rules.points_for(kind) < 0 {
                anyhow::bail!("points.{} must not be negative", kind.as_str());
            }
        }
        if rules.recognition.distinction_top_places < 0 || rules.recognition.public_top_places < 0 {
            anyhow::bail!("recognition places must not be negative");
        }
        Ok(rules)
    }

    /// Read rules from a file.
    pub fn load(path: &std::path::Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }

    pub fn points_for(&self, kind: ContributionKind) -> i64 {
        let p = &self.points;
        match kind {
            ContributionKind::Comment => p.comment,
            ContributionKind::Endorsement => p.endorsement,
            ContributionKind::ProposalAccepted => p.proposal_accepted,
            ContributionKind::ProposalPartiallyAccepted => p.proposal_partially_accepted,
            ContributionKind::Ballot => p.ballot,
            ContributionKind::SurveyAnswer => p.survey_answer,
        }
    }

    /// The rules as a score explains them.
    pub fn explained(&self) -> Vec<ScoringRule> {
        ContributionKind::ALL
            .into_iter()
            .map(|kind| {
                let (fa, en) = describe(kind);
                ScoringRule {
                    kind,
                    points: self.points_for(kind),
                    description_fa: fa.into(),
                    description_en: en.into(),
                }
            })
            .collect()
    }
}

fn describe(kind: ContributionKind) -> (&'static str, &'static str) {
    match kind {
        ContributionKind::Comment => (
            "هر نظر یا پیشنهاد تأییدشده با متنی از خود؛ نسخه‌های تکراری یک نویسنده یک بار شمرده می‌شوند",
            "Each approved comment or proposal with a text of its own; one author's repeated copies count once",
        ),
        ContributionKind::Endorsement => (
            "نظر تأییدشده‌ای که متن آن را دیگران هم فرستاده‌اند (متن کارزار)؛ یک بار برای هر نویسنده",
            "An approved comment whose text others sent too (a campaign text); once per author",
        ),
        ContributionKind::ProposalAccepted => (
            "پیشنهادی که تصمیم منتشرشده آن را پذیرفت",
            "A proposal the published decision accepted",
        ),
        ContributionKind::ProposalPartiallyAccepted => (
            "پیشنهادی که تصمیم منتشرشده بخشی از آن را پذیرفت",
            "A proposal the published decision partially accepted",
        ),
        ContributionKind::Ballot => (
            "یک رأی در هر رأی‌گیری (رأی جایگزین همان رأی است)",
            "One ballot per vote (a replaced ballot is the same one)",
        ),
        ContributionKind::SurveyAnswer => (
            "پاسخ به هر پرسش نظرسنجی",
            "An answer to each survey question",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_rules_read_and_endorsements_earn_less() {
        let rules = ScoringRules::default();
        assert!(rules.points.endorsement < rules.points.comment);
        assert!(rules.points.proposal_partially_accepted < rules.points.proposal_accepted);
        assert_eq!(rules.explained().len(), ContributionKind::ALL.len());
    }

    #[test]
    fn bad_rules_are_refused() {
        let negative = DEFAULT_RULES.replace("ballot = 1", "ballot = -1");
        assert!(ScoringRules::parse(&negative).is_err());
        let unknown = format!("{DEFAULT_RULES}\n[extra]\nx = 1\n");
        assert!(ScoringRules::parse(&unknown).is_err());
    }
}
