//! `mosharekat user add`: create a staff account directly in the database.

use std::process::ExitCode;

use mosharekat_api::Role;
use mosharekat_api::staff::{validate_password, validate_username};
use mosharekat_server::store::Actor;

#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Add a staff account; the password comes from MOSHAREKAT_PASSWORD or a prompt.
    Add {
        #[command(flatten)]
        db: super::DatabaseArgs,
        #[arg(long)]
        username: String,
        /// moderator, operator or admin
        #[arg(long)]
        role: Role,
    },
}

pub async fn run(cmd: UserCommand) -> anyhow::Result<ExitCode> {
    let UserCommand::Add { db, username, role } = cmd;
    validate_username(&username).map_err(anyhow::Error::msg)?;
    let password = match std::env::var("MOSHAREKAT_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let first = rpassword::prompt_password(format!("password for {username}: "))?;
            let again = rpassword::prompt_password("again: ")?;
            anyhow::ensure!(first == again, "the two passwords differ");
            first
        }
    };
    validate_password(&password).map_err(anyhow::Error::msg)?;
    let store = db.open().await?;
    let hash = mosharekat_server::auth::hash_password(&password)?;
    let actor = Actor {
        username: "cli".into(),
        ..Actor::system()
    };
    let staff = store
        .create_staff(&username, &hash, role, &actor, chrono::Utc::now())
        .await?;
    println!(
        "created {} ({}) with id {}",
        staff.username, staff.role, staff.id
    );
    Ok(ExitCode::SUCCESS)
}
