//! Starting and stopping a server: bind, serve, and run the scheduler, the delivery worker and the
//! Bale bot's updates beside it.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::ServerConfig;
use crate::events::EventBus;
use crate::state::AppState;
use crate::store::Store;

/// A server running in this process. Dropping it does not stop it; call [`RunningServer::shutdown`].
pub struct RunningServer {
    pub addr: SocketAddr,
    pub state: AppState,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl RunningServer {
    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.state.store
    }

    /// Stop accepting requests, finish those in flight, stop the scheduler and the delivery worker
    /// (a send in flight is abandoned; its message is sent again after a restart).
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// Open the database in `config`, migrate it, and serve.
pub async fn start(config: ServerConfig) -> anyhow::Result<RunningServer> {
    let events = EventBus::new();
    let store = crate::store::connect(&config.database_url, events.clone()).await?;
    start_with_store(config, store, events).await
}

/// Serve over an already opened store (tests share one store between servers this way).
pub async fn start_with_store(
    config: ServerConfig,
    store: Arc<dyn Store>,
    events: EventBus,
) -> anyhow::Result<RunningServer> {
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = watch::channel(false);
    store.set_scoring_rules(config.scoring.clone());
    let mut signer = match config.signing_key_path() {
        Some(path) => crate::incentives::Signer::load_or_create(&path)?,
        None => {
            tracing::warn!(
                "no signing key file configured: certificates are signed with a key kept in memory"
            );
            crate::incentives::Signer::ephemeral()
        }
    };
    signer.issuer_name = config.issuer_name.clone();
    // Certificates name the portal they are verified on.
    if let Some(url) = &config.portal.public_url {
        signer.public_base_url = url.trim_end_matches('/').to_owned();
    }
    let bot = crate::bot::Bot::from_config(&config.delivery)?.map(Arc::new);
    if config.verification.phone_key.is_none() {
        tracing::info!(
            "no phone key configured: phone numbers are hashed under a key derived from the signing key"
        );
    }
    let verifier = crate::verification::Verifier::new(&config, &signer)?;
    match &verifier.sender {
        crate::verification::CodeSender::Sms(gateway) => tracing::info!(
            "verification: one-time codes are sent through {}",
            gateway.provider().as_str()
        ),
        crate::verification::CodeSender::Demo => tracing::warn!(
            "verification: demo mode, one-time codes are shown to whoever asks (no SMS gateway)"
        ),
        crate::verification::CodeSender::None => tracing::info!(
            "verification: no SMS gateway configured; phone verification answers 503"
        ),
    }
    let state = AppState {
        store,
        config: Arc::new(config),
        events,
        stopping: stopped.clone(),
        signer: Arc::new(signer),
        bot: bot.clone(),
        verifier: Arc::new(verifier),
    };

    // The JSON API under /api and the citizen portal at / on the same listener.
    let router = crate::routes::router(state.clone()).merge(crate::portal::router(state.clone()));
    let mut stop_serving = stopped.clone();
    let server = tokio::spawn(async move {
        let shutdown = async move {
            let _ = stop_serving.wait_for(|s| *s).await;
        };
        // The client's address keys the portal's form rate limit.
        let service = router.into_make_service_with_connect_info::<SocketAddr>();
        if let Err(e) = axum::serve(listener, service)
            .with_graceful_shutdown(shutdown)
            .await
        {
            tracing::error!("server: {e}");
        }
    });
    let scheduler = tokio::spawn(run_scheduler(state.clone(), stopped.clone()));
    let mut tasks = vec![server, scheduler];
    if let Some(bot) = bot
        && state.config.delivery.bot_updates != crate::config::BotUpdates::Off
    {
        tasks.push(tokio::spawn(crate::bot::run(
            state.clone(),
            bot,
            stopped.clone(),
        )));
    }
    if state.config.delivery.enabled {
        tasks.push(tokio::spawn(crate::delivery::run(state.clone(), stopped)));
    }
    tracing::info!("serving {} on {addr}", state.store.backend());
    Ok(RunningServer {
        addr,
        state,
        stop,
        tasks,
    })
}

/// Announce consultations opening and closing on time, and run the certificate rules over those
/// that closed.
async fn run_scheduler(state: AppState, mut stopped: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(state.config.scheduler_interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let stop = tokio::select! {
            _ = tick.tick() => false,
            r = stopped.wait_for(|s| *s) => { drop(r); true }
        };
        if stop {
            return;
        }
        if let Err(e) = state.store.announce_status_changes(state.now()).await {
            tracing::warn!("scheduler: {e}");
        }
        // Calls for participation due on the ministry's channels are queued once each.
        if let Err(e) = crate::delivery::calls::broadcast_due_calls(&state).await {
            tracing::warn!("scheduler: broadcasting calls: {e}");
        }
        // Consultations that closed (on time or early) get their certificates proposed once.
        if let Err(e) = state
            .store
            .propose_due_certificates(&crate::store::Actor::system(), state.now())
            .await
        {
            tracing::warn!("scheduler: proposing certificates: {e}");
        }
    }
}
