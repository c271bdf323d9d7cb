//! `mosharekat demo load`: simulated citizens through the public API only (registrations,
//! comments, ballots), for demos and load tests. `mosharekat demo seed` writes the demo dataset
//! straight into a database.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use mosharekat_api::{
    BallotRequest, NewComment, ParticipantCreated, Poll, PublicConsultation, paths,
};
use mosharekat_demo::{DemoConfig, generate};
use rand::{Rng, SeedableRng};
use reqwest::Url;

#[derive(Debug, clap::Subcommand)]
pub enum DemoCommand {
    /// Write the demo dataset (the one the console's first run uses) into an empty database, with
    /// the demo staff. Their password is MOSHAREKAT_PASSWORD, or a random one printed once.
    Seed {
        #[command(flatten)]
        db: super::DatabaseArgs,
    },
    /// Simulate citizens against a running backend, through its public API.
    Load(LoadArgs),
}

#[derive(Debug, clap::Args)]
pub struct LoadArgs {
    /// The backend, e.g. http://127.0.0.1:8080
    #[arg(long, value_parser = crate::config::parse_backend_url)]
    backend: Url,
    /// Citizens to register.
    #[arg(long, default_value_t = 200)]
    participants: usize,
    /// Comments to post, spread over the open consultations.
    #[arg(long, default_value_t = 1_000)]
    comments: usize,
    /// Comments per second (0: as fast as the backend takes them).
    #[arg(long, default_value_t = 20.0)]
    rate: f64,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Seed of the simulated texts and choices.
    #[arg(long, default_value_t = 1403)]
    seed: u64,
}

pub async fn run(cmd: DemoCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        DemoCommand::Seed { db } => seed(db).await,
        DemoCommand::Load(args) => load(args).await,
    }
}

async fn seed(db: super::DatabaseArgs) -> anyhow::Result<ExitCode> {
    let (password, generated) = match std::env::var("MOSHAREKAT_PASSWORD") {
        Ok(p) => (p, false),
        Err(_) => (crate::journal::new_key(), true),
    };
    let credentials = crate::embedded::DemoCredentials {
        admin_username: mosharekat_demo::DEMO_ADMIN.into(),
        admin_password: password.clone(),
        staff_password: password.clone(),
    };
    let store = db.open().await?;
    let progress = bar(0, "staff");
    let summary =
        crate::demo_data::seed(store.as_ref(), &credentials, &mut |phase, done, total| {
            progress.set_message(phase.to_owned());
            progress.set_length(total);
            progress.set_position(done);
        })
        .await?;
    progress.finish_and_clear();
    println!(
        "seeded {} consultations, {} participants, {} comments ({} campaign groups), {} polls, {} ballots",
        summary.consultations,
        summary.participants,
        summary.comments,
        summary.duplicate_groups,
        summary.polls,
        summary.ballots
    );
    let names: Vec<String> = summary
        .staff
        .iter()
        .map(|(name, role)| format!("{name} ({role})"))
        .collect();
    println!("staff: {}", names.join(", "));
    if generated {
        println!("their password (shown once): {password}");
    }
    Ok(ExitCode::SUCCESS)
}

fn bar(len: usize, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg:>14} [{bar:40}] {pos}/{len} {per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what.to_owned());
    bar
}

async fn load(args: LoadArgs) -> anyhow::Result<ExitCode> {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let api = format!(
        "{}{}",
        args.backend.as_str().trim_end_matches('/'),
        mosharekat_api::API_PREFIX
    );
    let open: Vec<PublicConsultation> = http
        .get(format!("{api}{}", paths::PUBLIC_CONSULTATIONS))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    anyhow::ensure!(
        !open.is_empty(),
        "the backend has no open consultation to comment on"
    );
    let mut polls: Vec<Poll> = Vec::new();
    for c in &open {
        let list: Vec<Poll> = http
            .get(format!("{api}{}", paths::public_consultation_polls(c.id)))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        polls.extend(list);
    }
    // Realistic people and texts from the demo generator; only their content is used here.
    let dataset = generate(
        &DemoConfig {
            participants: args.participants.max(1),
            comments: args.comments.max(1),
            seed: args.seed,
        },
        chrono::Utc::now(),
    );
    let started = Instant::now();
    let failures = Arc::new(AtomicU64::new(0));

    let progress = bar(args.participants, "participants");
    let mut tokens = Vec::with_capacity(args.participants);
    let mut voters = Vec::new();
    // Numbers of the demo's own range (0990…), one per participant of this run.
    let mut tokens_base = (std::process::id() as usize % 1000) * 10_000;
    for chunk in dataset
        .participants
        .iter()
        .take(args.participants)
        .collect::<Vec<_>>()
        .chunks(args.concurrency.max(1))
    {
        let base = tokens_base;
        let sends = chunk.iter().enumerate().map(|(i, p)| {
            let http = http.clone();
            let url = format!("{api}{}", paths::PUBLIC_PARTICIPANTS);
            let verification = format!("{api}{}", paths::PUBLIC_VERIFICATION);
            // Only verified participants vote. A demo server gives the one-time code back; a
            // real one texts it (or limits how many are asked for): then the participant
            // registers unverified and only comments.
            let phone = format!("0990{:07}", (base + i) % 10_000_000);
            async move {
                let mut body = serde_json::to_value(&p.participant)
                    .map_err(|e| anyhow::anyhow!("participant JSON: {e}"))?;
                let sent = http
                    .post(verification)
                    .json(&serde_json::json!({ "phone": phone }))
                    .send()
                    .await
                    .ok();
                let code = match sent {
                    Some(r) if r.status() == reqwest::StatusCode::ACCEPTED => r
                        .json::<mosharekat_api::VerificationSent>()
                        .await
                        .ok()
                        .and_then(|s| s.demo_code),
                    _ => None,
                };
                if let Some(code) = code {
                    body["phone"] = serde_json::json!(phone);
                    body["code"] = serde_json::json!(code);
                }
                anyhow::Ok(
                    http.post(url)
                        .json(&body)
                        .send()
                        .await?
                        .error_for_status()?
                        .json::<ParticipantCreated>()
                        .await?,
                )
            }
        });
        tokens_base += chunk.len();
        for result in futures::future::join_all(sends).await {
            match result {
                Ok(created) if created.verified => {
                    voters.push(created.token.clone());
                    tokens.push(created.token);
                }
                Ok(created) => tokens.push(created.token),
                Err(e) => {
                    failures.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!("register: {e}");
                }
            }
            progress.inc(1);
        }
    }
    progress.finish();
    anyhow::ensure!(!tokens.is_empty(), "no participant could register");

    let progress = bar(args.comments, "comments");
    let accepted = Arc::new(AtomicU64::new(0));
    let interval = (args.rate > 0.0).then(|| Duration::from_secs_f64(1.0 / args.rate));
    let semaphore = Arc::new(tokio::sync::Semaphore::new(args.concurrency.max(1)));
    let mut rng = rand::rngs::StdRng::seed_from_u64(args.seed);
    let mut tasks = Vec::with_capacity(args.comments);
    for (i, comment) in dataset
        .comments
        .iter()
        .cycle()
        .take(args.comments)
        .enumerate()
    {
        if let Some(interval) = interval {
            let due = started + interval.mul_f64(i as f64);
            tokio::time::sleep_until(due.into()).await;
        }
        let permit = semaphore.clone().acquire_owned().await?;
        let consultation = open[rng.random_range(0..open.len())].id;
        let token = tokens[rng.random_range(0..tokens.len())].clone();
        let body = NewComment {
            body: comment.body.clone(),
            parent_id: None,
            is_proposal: comment.is_proposal,
            article_id: None,
        };
        let (http, url, progress, accepted, failures) = (
            http.clone(),
            format!("{api}{}", paths::public_consultation_comments(consultation)),
            progress.clone(),
            accepted.clone(),
            failures.clone(),
        );
        tasks.push(tokio::spawn(async move {
            match http
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .and_then(|r| r.error_for_status())
            {
                Ok(_) => accepted.fetch_add(1, Ordering::Relaxed),
                Err(e) => {
                    tracing::warn!("comment: {e}");
                    failures.fetch_add(1, Ordering::Relaxed)
                }
            };
            progress.inc(1);
            drop(permit);
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    progress.finish();

    let mut ballots = 0u64;
    if !polls.is_empty() {
        let progress = bar(voters.len(), "ballots");
        for token in &voters {
            let poll = &polls[rng.random_range(0..polls.len())];
            let option = poll.options[rng.random_range(0..poll.options.len())].id;
            let url = format!("{api}{}", paths::public_poll_ballots(poll.id));
            let sent = http
                .post(url)
                .bearer_auth(token)
                .json(&BallotRequest {
                    option_ids: vec![option],
                })
                .send()
                .await;
            match sent.and_then(|r| r.error_for_status()) {
                Ok(_) => ballots += 1,
                Err(e) => {
                    failures.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!("ballot: {e}");
                }
            }
            progress.inc(1);
        }
        progress.finish();
    }
    let secs = started.elapsed().as_secs_f64();
    let accepted = accepted.load(Ordering::Relaxed);
    println!(
        "registered {} participants, {accepted} comments accepted ({:.0}/s), {ballots} ballots, {} failures, {secs:.1} s",
        tokens.len(),
        accepted as f64 / secs,
        failures.load(Ordering::Relaxed)
    );
    Ok(if failures.load(Ordering::Relaxed) == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
