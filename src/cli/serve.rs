//! `mosharekat serve`: the backend alone, logging to stderr.

use std::net::SocketAddr;
use std::process::ExitCode;

use mosharekat_server::ServerConfig;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    db: super::DatabaseArgs,
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "MOSHAREKAT_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Flag open consultations as closing soon within this many days.
    #[arg(long, default_value_t = 3)]
    closing_soon_days: i64,
    /// The report is due this many days after a consultation closes.
    #[arg(long, default_value_t = 30)]
    report_due_days: i64,
    /// Scoring rules (TOML, like crates/server/scoring.toml); default: the shipped rules.
    #[arg(long, env = "MOSHAREKAT_SCORING_RULES")]
    scoring_rules: Option<std::path::PathBuf>,
    /// The certificate signing key's file, made at first start with mode 0600 (default: next to
    /// a SQLite database; with PostgreSQL, set it so certificates stay verifiable after restarts).
    #[arg(long, env = "MOSHAREKAT_SIGNING_KEY")]
    signing_key: Option<std::path::PathBuf>,
    /// The citizen portal's public address (e.g. https://participation.example.ir), for the
    /// absolute links of its feeds, sitemap, calendar and embeddable call block (default: each
    /// request's Host).
    #[arg(long, env = "MOSHAREKAT_PUBLIC_URL")]
    public_url: Option<String>,
    /// Mark the portal's cookies Secure even without `X-Forwarded-Proto: https` from a proxy.
    #[arg(long, env = "MOSHAREKAT_SECURE_COOKIES")]
    secure_cookies: bool,
    /// The portal is behind a reverse proxy that appends the client's address to
    /// X-Forwarded-For: rate-limit form posts by that address (not the proxy's).
    #[arg(long, env = "MOSHAREKAT_TRUST_PROXY")]
    trust_proxy: bool,
}

pub async fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MOSHAREKAT_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let mut config = ServerConfig::new(args.db.database_url.clone(), args.listen);
    config.closing_soon_days = args.closing_soon_days;
    config.report_due_days = args.report_due_days;
    if let Some(path) = &args.scoring_rules {
        config.scoring = mosharekat_server::incentives::ScoringRules::load(path)?;
    }
    config.signing_key = args.signing_key.clone();
    config.portal.public_url = args.public_url.clone();
    config.portal.secure_cookies = args.secure_cookies;
    config.portal.trust_proxy = args.trust_proxy;
    let server = mosharekat_server::start(config).await?;
    // Tests and scripts read this line to find the port.
    println!("listening on {}", server.url());
    println!("citizen portal at {}/fa/", server.url());
    shutdown_signal().await;
    tracing::info!("shutting down");
    server.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
        let mut hup = signal(SignalKind::hangup()).expect("SIGHUP handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
            _ = hup.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
