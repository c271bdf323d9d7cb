//! Incentives: the digital-citizen score's rules, the certificate rules, and the signing of
//! issued certificates. Scores themselves are kept by the store (`store/scores.rs`).

pub mod credential;
pub mod proposing;
pub mod rules;

pub use credential::{Signer, VerifyError, verify_credential};
pub use rules::ScoringRules;

use mosharekat_api::PublicTopParticipant;

use crate::store::{LeaderboardFilter, Store, StoreResult};

/// The public top list of a consultation: its first `public_top_places` places, showing only the
/// participants who consented to be named (display name and points, nothing else).
pub async fn public_top(
    store: &dyn Store,
    consultation_id: i64,
) -> StoreResult<Vec<PublicTopParticipant>> {
    let places = store.scoring_rules().recognition.public_top_places;
    if places <= 0 {
        return Ok(Vec::new());
    }
    let filter = LeaderboardFilter {
        consultation_id: Some(consultation_id),
        limit: u32::try_from(places).unwrap_or(u32::MAX),
        ..Default::default()
    };
    Ok(store
        .leaderboard(&filter)
        .await?
        .into_iter()
        .filter(|e| e.rank <= places && e.name_public)
        .map(|e| PublicTopParticipant {
            rank: e.rank,
            display_name: e.display_name,
            points: e.points,
        })
        .collect())
}
