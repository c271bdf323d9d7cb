//! `mosharekat serve`: the backend alone, logging to stderr. Its settings come from flags,
//! environment variables and a TOML file ([`settings`]).

pub mod settings;

use std::process::ExitCode;

pub use settings::ServeArgs;

/// Exit code of a setting that cannot be used (nothing was started).
const BAD_SETTINGS: u8 = 2;

pub async fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let env = |name: &str| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned());
    let settings = match settings::resolve(&args, &env) {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("mosharekat serve: {e}");
            return Ok(ExitCode::from(BAD_SETTINGS));
        }
    };
    if args.print_config {
        print!("{}", settings.render());
        return Ok(ExitCode::SUCCESS);
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MOSHAREKAT_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = settings.config;
    let channels: Vec<&str> = config
        .delivery
        .channels()
        .iter()
        .map(|c| c.as_str())
        .collect();
    if config.delivery.enabled && !channels.is_empty() {
        tracing::info!("delivery: sending through {}", channels.join(", "));
    }
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
