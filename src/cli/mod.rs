//! The command line: `mosharekat` (the console) and its tool commands.

mod audit;
mod certificate;
mod demo;
mod scores;
mod serve;
mod user;

use clap::{Parser, Subcommand};

use crate::config::ConsoleFlags;

#[derive(Debug, Parser)]
#[command(
    name = "mosharekat",
    version,
    about = "Staff console of the national e-participation system"
)]
pub struct Cli {
    #[command(flatten)]
    pub console: ConsoleFlags,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the consultation backend alone.
    Serve(serve::ServeArgs),
    /// Staff accounts.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Demo data: seed a database, or simulate citizens against a running backend.
    #[command(subcommand)]
    Demo(demo::DemoCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Digital-citizen scores.
    #[command(subcommand)]
    Scores(scores::ScoresCommand),
    /// Participation certificates.
    #[command(subcommand)]
    Certificate(certificate::CertificateCommand),
}

/// Run the command line; returns the process exit code.
pub fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("mosharekat: cannot start: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = match cli.command {
        None => return crate::app::run(runtime, cli.console),
        Some(Command::Serve(args)) => runtime.block_on(serve::run(args)),
        Some(Command::User(cmd)) => runtime.block_on(user::run(cmd)),
        Some(Command::Demo(cmd)) => runtime.block_on(demo::run(cmd)),
        Some(Command::Audit(cmd)) => runtime.block_on(audit::run(cmd)),
        Some(Command::Scores(cmd)) => runtime.block_on(scores::run(cmd)),
        Some(Command::Certificate(cmd)) => runtime.block_on(certificate::run(cmd)),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("mosharekat: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// `--database-url` shared by the commands that open the database directly.
#[derive(Debug, Clone, clap::Args)]
pub struct DatabaseArgs {
    /// sqlite://PATH or postgres://USER@HOST/DB
    #[arg(long, env = "MOSHAREKAT_DATABASE_URL")]
    pub database_url: String,
}

impl DatabaseArgs {
    pub async fn open(
        &self,
    ) -> anyhow::Result<std::sync::Arc<dyn mosharekat_server::store::Store>> {
        mosharekat_server::store::connect(
            &self.database_url,
            mosharekat_server::events::EventBus::new(),
        )
        .await
    }
}
