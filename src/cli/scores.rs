//! `mosharekat scores rebuild`: recompute every digital-citizen score from the source data.

use std::path::PathBuf;
use std::process::ExitCode;

use mosharekat_server::incentives::ScoringRules;

#[derive(Debug, clap::Subcommand)]
pub enum ScoresCommand {
    /// Delete and recompute every contribution and total from comments, decisions and ballots
    /// (one transaction). Prints the totals and whether anything changed.
    Rebuild {
        #[command(flatten)]
        db: super::DatabaseArgs,
        /// Rules to score with (default: the rules shipped with the server).
        #[arg(long, env = "MOSHAREKAT_SCORING_RULES")]
        scoring_rules: Option<PathBuf>,
    },
}

pub async fn run(cmd: ScoresCommand) -> anyhow::Result<ExitCode> {
    let ScoresCommand::Rebuild { db, scoring_rules } = cmd;
    let store = db.open().await?;
    if let Some(path) = scoring_rules {
        store.set_scoring_rules(ScoringRules::load(&path)?);
    }
    let before = store.score_snapshot().await?;
    let summary = store.rebuild_scores().await?;
    let after = store.score_snapshot().await?;
    let changed = before
        .totals
        .iter()
        .filter(|t| !after.totals.contains(t))
        .count()
        + after
            .totals
            .iter()
            .filter(|t| !before.totals.iter().any(|b| b.0 == t.0))
            .count();
    println!(
        "scores rebuilt: {} participants, {} contributions, {} points",
        summary.participants, summary.contributions, summary.points
    );
    if before == after {
        println!("the stored scores were already exact");
    } else {
        println!("{changed} participants' totals changed");
    }
    Ok(ExitCode::SUCCESS)
}
