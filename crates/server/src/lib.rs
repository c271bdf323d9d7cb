//! The mosharekat consultation backend: the reference implementation of the protocol in
//! `mosharekat-api`.
//!
//! An axum HTTP server (`routes`) over a [`store::Store`] with SQLite and PostgreSQL implementations,
//! staff authentication (`auth`), a scheduler that opens and closes consultations on time, and live
//! events over Server-Sent Events that reach every instance through PostgreSQL LISTEN/NOTIFY. After a
//! consultation closes: decisions on proposals, the comprehensive report (`report`) and feedback
//! delivered to participants through messengers and webhooks (`delivery`).
//! `mosharekat serve` runs it alone; the console embeds it for its default, self-contained mode.

pub mod audit_chain;
pub mod auth;
pub mod bot;
pub mod clock;
pub mod config;
pub mod delivery;
pub mod error;
pub mod events;
pub mod guards;
pub mod incentives;
pub mod json;
pub mod openapi;
pub mod portal;
pub mod reasons;
pub mod report;
pub mod routes;
pub mod rules;
pub mod state;
pub mod store;
pub mod verification;

mod app;

pub use app::{RunningServer, start, start_with_store};
pub use clock::Clock;
pub use config::{
    BotUpdates, DeliveryConfig, PortalConfig, Secret, ServerConfig, SmsConfig, SmsProvider,
    VerificationConfig,
};

/// Walk the whole audit chain and report the first broken link.
pub async fn verify_audit(
    store: &dyn store::Store,
) -> store::StoreResult<mosharekat_api::audit::AuditVerification> {
    let mut verifier = audit_chain::ChainVerifier::new();
    let mut after = 0;
    loop {
        let batch = store.audit_entries(after, 1_000).await?;
        let Some(last) = batch.last() else { break };
        after = last.entry.id;
        for stored in &batch {
            verifier.push(
                &stored.entry,
                stored.before_json.as_deref(),
                stored.after_json.as_deref(),
            );
        }
    }
    Ok(verifier.finish())
}
