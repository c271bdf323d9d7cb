//! The command line: `mosharekat` (the console) and its tool commands.
//!
//! The tools are built on the server's code, so they exist only with the `embedded` feature (the
//! default); without it the command line is the remote-only console and the commands that talk
//! to a backend over HTTP only (`document`).

#[cfg(feature = "embedded")]
mod audit;
#[cfg(feature = "embedded")]
mod certificate;
#[cfg(feature = "embedded")]
mod demo;
mod document;
#[cfg(feature = "embedded")]
mod scores;
#[cfg(feature = "embedded")]
mod serve;
#[cfg(feature = "embedded")]
mod user;

use clap::Parser;

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

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Run the consultation backend alone.
    #[cfg(feature = "embedded")]
    Serve(serve::ServeArgs),
    /// Staff accounts.
    #[cfg(feature = "embedded")]
    #[command(subcommand)]
    User(user::UserCommand),
    /// Demo data: seed a database, or simulate citizens against a running backend.
    #[cfg(feature = "embedded")]
    #[command(subcommand)]
    Demo(demo::DemoCommand),
    /// The audit log.
    #[cfg(feature = "embedded")]
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Digital-citizen scores.
    #[cfg(feature = "embedded")]
    #[command(subcommand)]
    Scores(scores::ScoresCommand),
    /// Participation certificates.
    #[cfg(feature = "embedded")]
    #[command(subcommand)]
    Certificate(certificate::CertificateCommand),
    /// Drafts as documents: import a version of a consultation's draft text into a backend.
    #[command(subcommand)]
    Document(document::DocumentCommand),
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
    if let Some(command) = cli.command {
        return run_tool(&runtime, command);
    }
    crate::app::run(runtime, cli.console)
}

fn run_tool(runtime: &tokio::runtime::Runtime, command: Command) -> std::process::ExitCode {
    let result = match command {
        Command::Document(cmd) => runtime.block_on(document::run(cmd)),
        #[cfg(feature = "embedded")]
        Command::Serve(args) => runtime.block_on(serve::run(args)),
        #[cfg(feature = "embedded")]
        Command::User(cmd) => runtime.block_on(user::run(cmd)),
        #[cfg(feature = "embedded")]
        Command::Demo(cmd) => runtime.block_on(demo::run(cmd)),
        #[cfg(feature = "embedded")]
        Command::Audit(cmd) => runtime.block_on(audit::run(cmd)),
        #[cfg(feature = "embedded")]
        Command::Scores(cmd) => runtime.block_on(scores::run(cmd)),
        #[cfg(feature = "embedded")]
        Command::Certificate(cmd) => runtime.block_on(certificate::run(cmd)),
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
#[cfg(feature = "embedded")]
#[derive(Debug, Clone, clap::Args)]
pub struct DatabaseArgs {
    /// sqlite://PATH or postgres://USER@HOST/DB
    #[arg(long, env = "MOSHAREKAT_DATABASE_URL")]
    pub database_url: String,
}

#[cfg(feature = "embedded")]
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

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    use super::Cli;

    /// The tools exist only when the server's code is built in; `--help` names exactly those built.
    #[test]
    fn help_names_the_tools_built_in() {
        let tools: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_owned())
            .filter(|name| name != "help")
            .collect();
        let expected: &[&str] = if cfg!(feature = "embedded") {
            &[
                "serve",
                "user",
                "demo",
                "audit",
                "scores",
                "certificate",
                "document",
            ]
        } else {
            &["document"]
        };
        assert_eq!(tools, expected);
    }
}
