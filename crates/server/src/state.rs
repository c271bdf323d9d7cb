//! What every request handler shares.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::config::ServerConfig;
use crate::events::EventBus;
use crate::store::Store;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Arc<ServerConfig>,
    pub events: EventBus,
    /// Becomes true when the server is shutting down: long-lived responses (SSE) end then, so a
    /// graceful shutdown does not wait on them forever.
    pub stopping: tokio::sync::watch::Receiver<bool>,
    /// The key certificates are signed with.
    pub signer: Arc<crate::incentives::Signer>,
    /// The Bale bot, when a Bale token is configured.
    pub bot: Option<Arc<crate::bot::Bot>>,
    /// The phone key, the one-time code sender and the per-address limit.
    pub verifier: Arc<crate::verification::Verifier>,
}

impl AppState {
    pub fn now(&self) -> DateTime<Utc> {
        self.config.clock.now()
    }
}
