//! Which certificates the rules propose for a closed consultation, from its scored contributions.
//!
//! - **participation**: at least one contribution to the consultation (an approved comment or
//!   proposal, a ballot or a survey answer: what earns a contribution at all);
//! - **distinction**: a proposal the published decision accepted or partially accepted, or a place
//!   at or above `distinction_top_places` in the consultation's ranking (with points).

use std::collections::BTreeMap;

use mosharekat_api::{CertificateEvidence, CertificateKind, Contribution, ContributionKind};

/// One certificate the rules propose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub participant_id: i64,
    pub kind: CertificateKind,
    pub evidence: CertificateEvidence,
}

/// The candidates of one consultation, from its contributions (`(participant, contribution)` in any
/// order), in participant order, participation before distinction.
pub fn candidates(contributions: &[(i64, Contribution)], top_places: i64) -> Vec<Candidate> {
    let mut by_participant: BTreeMap<i64, Vec<Contribution>> = BTreeMap::new();
    for (p, c) in contributions {
        by_participant.entry(*p).or_default().push(c.clone());
    }
    // Standard competition ranking over participants with points.
    let mut scores: Vec<(i64, i64)> = by_participant
        .iter()
        .map(|(p, cs)| (*p, cs.iter().map(|c| c.points).sum::<i64>()))
        .filter(|(_, s)| *s > 0)
        .collect();
    scores.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut ranks: BTreeMap<i64, i64> = BTreeMap::new();
    let mut prev: Option<(i64, i64)> = None;
    for (i, (p, s)) in scores.iter().enumerate() {
        let rank = match prev {
            Some((ps, pr)) if ps == *s => pr,
            _ => i as i64 + 1,
        };
        prev = Some((*s, rank));
        ranks.insert(*p, rank);
    }
    let mut out = Vec::new();
    for (participant_id, mut contributions) in by_participant {
        contributions.sort_by(|a, b| {
            b.earned_at
                .cmp(&a.earned_at)
                .then(a.kind.cmp(&b.kind))
                .then(a.subject_id.cmp(&b.subject_id))
        });
        let accepted_proposals: Vec<i64> = contributions
            .iter()
            .filter(|c| {
                matches!(
                    c.kind,
                    ContributionKind::ProposalAccepted
                        | ContributionKind::ProposalPartiallyAccepted
                )
            })
            .map(|c| c.subject_id)
            .collect();
        let rank = ranks.get(&participant_id).copied();
        let evidence = CertificateEvidence {
            score: contributions.iter().map(|c| c.points).sum(),
            rank,
            accepted_proposals,
            contributions,
        };
        let distinguished =
            !evidence.accepted_proposals.is_empty() || rank.is_some_and(|r| r <= top_places);
        out.push(Candidate {
            participant_id,
            kind: CertificateKind::Participation,
            evidence: evidence.clone(),
        });
        if distinguished {
            out.push(Candidate {
                participant_id,
                kind: CertificateKind::Distinction,
                evidence,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn c(kind: ContributionKind, points: i64, subject: i64) -> Contribution {
        Contribution {
            kind,
            points,
            consultation_id: 1,
            subject_id: subject,
            duplicate_group_id: None,
            copies: 1,
            earned_at: DateTime::from_timestamp(subject, 0).unwrap(),
        }
    }

    #[test]
    fn participation_for_all_distinction_for_accepted_proposals_and_top_places() {
        use ContributionKind::*;
        let rows = vec![
            (1, c(Comment, 10, 1)),
            (1, c(Comment, 10, 2)),
            (2, c(Comment, 10, 3)),
            (2, c(Comment, 10, 4)),
            (3, c(Endorsement, 2, 5)),
            (4, c(Ballot, 1, 6)),
            (5, c(ProposalPartiallyAccepted, 15, 7)),
            (6, c(Ballot, 0, 6)),
        ];
        let out = candidates(&rows, 2);
        let kinds = |p: i64| -> Vec<CertificateKind> {
            out.iter()
                .filter(|c| c.participant_id == p)
                .map(|c| c.kind)
                .collect()
        };
        use CertificateKind::*;
        // 1 and 2 share first place; 5 is third but has an accepted proposal.
        assert_eq!(kinds(1), [Participation, Distinction]);
        assert_eq!(kinds(2), [Participation, Distinction]);
        assert_eq!(kinds(3), [Participation]);
        assert_eq!(kinds(4), [Participation]);
        assert_eq!(kinds(5), [Participation, Distinction]);
        // A contribution of no points still shows participation, unranked.
        assert_eq!(kinds(6), [Participation]);
        let five = out.iter().find(|c| c.participant_id == 5).unwrap();
        assert_eq!(five.evidence.rank, Some(3));
        assert_eq!(five.evidence.accepted_proposals, [7]);
        let two = out.iter().find(|c| c.participant_id == 2).unwrap();
        assert_eq!((two.evidence.rank, two.evidence.score), (Some(1), 20));
        assert_eq!(two.evidence.contributions[0].subject_id, 4, "newest first");
    }
}
