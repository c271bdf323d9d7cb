//! `mosharekat audit verify`: walk the hash chain of the audit log.

use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum AuditCommand {
    /// Check every entry's hash and link; exit 1 and name the first broken entry if any.
    Verify {
        #[command(flatten)]
        db: super::DatabaseArgs,
    },
}

pub async fn run(cmd: AuditCommand) -> anyhow::Result<ExitCode> {
    let AuditCommand::Verify { db } = cmd;
    let store = db.open().await?;
    let report = mosharekat_server::verify_audit(store.as_ref()).await?;
    match report.first_broken_id {
        None => {
            println!("audit log intact: {} entries", report.entries);
            Ok(ExitCode::SUCCESS)
        }
        Some(id) => {
            println!(
                "audit log BROKEN at entry {id} ({} entries checked)",
                report.entries
            );
            Ok(ExitCode::from(1))
        }
    }
}
