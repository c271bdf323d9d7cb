//! Writing a [`DemoDataset`] into a store, fast: every table in multi-row `INSERT`s inside one
//! transaction (the store's [`Import`](mosharekat_server::store::Import)), so the console's first
//! run seeds 20,000 comments in seconds, and a failed seed leaves the database as it was.
//!
//! Everything the live write paths keep consistent is computed here the same way: campaign groups
//! from `normalize_for_duplicates` and the SHA-256 the comment route uses, comment counts, the
//! decision on each comment and its history, ballots with their demographic buckets frozen at cast
//! time, tally counters and hourly turnout as `cast_ballot` would have left them, the status the
//! scheduler last announced (so it announces nothing old again), the draft texts recognised as the
//! document route recognises them, and an audit chain holding every staff write the history implies
//! (accounts, drafts and their texts, short-window reasons, publications, polls, decisions, early
//! closes) and the scheduler's announcements.

use std::collections::HashMap;

use chrono::{DateTime, Duration, SubsecRound, Utc};
use mosharekat_api::poll::UNKNOWN_BUCKET;
use mosharekat_api::staff::validate_password;
use mosharekat_api::text::normalize_for_duplicates;
use mosharekat_api::{AgeBand, CommentStatus, ConsultationStatus, Role};
use serde_json::json;

use mosharekat_server::auth::{hash_password, random_token, token_hash};
use mosharekat_server::rules::status_at;
use mosharekat_server::store::{
    Actor, AuditRecord, DraftSource, ImportIds, ImportedBallot, ImportedComment,
    ImportedConsultation, ImportedCounter, ImportedDecision, ImportedDraft, ImportedGroup,
    ImportedParticipant, ImportedPoll, ImportedStaff, ImportedTurnout, Store, ballot_buckets,
    hour_start,
};

use crate::dataset::{DEMO_MODERATORS, DemoConsultation, DemoDataset};

/// Username of the demo's administrator.
pub const DEMO_ADMIN: &str = "admin";
/// Username of the demo's operator (who drafts and publishes the consultations).
pub const DEMO_OPERATOR: &str = "operator";

/// Rows per progress step within a phase.
const STEP: usize = 2_500;

/// The demo staff's passwords, chosen by the caller (the CLI generates and keeps them). Each has
/// at least 10 characters.
#[derive(Debug, Clone)]
pub struct SeedOptions {
    /// For [`DEMO_ADMIN`].
    pub admin_password: String,
    /// For [`DEMO_OPERATOR`] and every one of [`DEMO_MODERATORS`].
    pub staff_password: String,
}

/// The phases of a seed, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SeedPhase {
    /// Hashing the staff passwords (argon2, deliberately slow) and writing the accounts.
    Staff,
    Consultations,
    Participants,
    /// Comments with their campaign groups and moderation history.
    Comments,
    /// Polls, ballots, tally counters and turnout.
    Ballots,
    Audit,
    /// The final commit.
    Commit,
}

impl SeedPhase {
    pub const ALL: [SeedPhase; 7] = [
        SeedPhase::Staff,
        SeedPhase::Consultations,
        SeedPhase::Participants,
        SeedPhase::Comments,
        SeedPhase::Ballots,
        SeedPhase::Audit,
        SeedPhase::Commit,
    ];

    /// A short English name for logs and progress bars.
    pub fn label(self) -> &'static str {
        match self {
            SeedPhase::Staff => "staff accounts",
            SeedPhase::Consultations => "consultations",
            SeedPhase::Participants => "participants",
            SeedPhase::Comments => "comments",
            SeedPhase::Ballots => "ballots",
            SeedPhase::Audit => "audit log",
            SeedPhase::Commit => "commit",
        }
    }
}

/// How far a seed has come: `done` of `total` items of `phase`. Every phase reports `0/total`
/// when it starts and `total/total` when it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedProgress {
    pub phase: SeedPhase,
    pub done: usize,
    pub total: usize,
}

/// What a seed wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedSummary {
    /// The accounts created, admin first.
    pub staff: Vec<(String, Role)>,
    pub consultations: usize,
    pub participants: usize,
    pub comments: usize,
    /// Distinct (consultation, normalised text) groups.
    pub duplicate_groups: usize,
    /// Comments with a decision.
    pub decisions: usize,
    pub polls: usize,
    pub ballots: usize,
    /// Consultations whose draft text was imported.
    pub drafts: usize,
    pub audit_entries: usize,
    /// The database ids the dataset's rows received, by position in the dataset.
    pub ids: SeededIds,
}

/// Database ids by dataset position.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeededIds {
    pub consultations: Vec<i64>,
    pub participants: Vec<i64>,
    pub comments: Vec<i64>,
    pub polls: Vec<i64>,
    /// Per poll, its options' ids in position order.
    pub poll_options: Vec<Vec<i64>>,
}

/// Write `dataset` into an empty `store` (staff accounts may exist, but none named like the demo's),
/// with the demo staff: [`DEMO_ADMIN`], [`DEMO_OPERATOR`] and the [`DEMO_MODERATORS`].
/// All or nothing: on error the database is unchanged.
pub async fn seed(
    store: &dyn Store,
    dataset: &DemoDataset,
    options: &SeedOptions,
    progress: &mut (dyn FnMut(SeedProgress) + Send),
) -> anyhow::Result<SeedSummary> {
    validate_password(&options.admin_password)
        .map_err(|e| anyhow::anyhow!("admin password: {e}"))?;
    validate_password(&options.staff_password)
        .map_err(|e| anyhow::anyhow!("staff password: {e}"))?;
    let accounts = demo_accounts(options);

    // Hash before the write transaction starts: argon2 is slow on purpose.
    let mut hashes = Vec::with_capacity(accounts.len());
    progress(SeedProgress {
        phase: SeedPhase::Staff,
        done: 0,
        total: accounts.len(),
    });
    for (_, _, password) in &accounts {
        let password = password.clone();
        hashes.push(tokio::task::spawn_blocking(move || hash_password(&password)).await??);
    }

    let mut import = store.begin_import().await?;
    let base = import.max_ids().await?;
    if base.consultations > 0 || base.participants > 0 || base.comments > 0 {
        anyhow::bail!(
            "the database already holds consultations, participants or comments: the demo is \
             seeded only into a new database"
        );
    }
    let existing = import.staff_usernames().await?;
    if let Some((name, _, _)) = accounts
        .iter()
        .find(|(name, _, _)| existing.iter().any(|e| e == name))
    {
        anyhow::bail!("a staff account named `{name}` exists already: seed into a new database");
    }
    let plan = Plan::new(dataset, &accounts, &hashes, base)?;

    import.staff(&plan.staff).await?;
    progress(SeedProgress {
        phase: SeedPhase::Staff,
        done: accounts.len(),
        total: accounts.len(),
    });
    // Write `rows` in steps of STEP, reporting progress after each.
    macro_rules! in_steps {
        ($phase:expr, $rows:expr, $write:ident) => {{
            let (phase, rows) = ($phase, &$rows);
            let total = rows.len();
            progress(SeedProgress {
                phase,
                done: 0,
                total,
            });
            let mut done = 0;
            for chunk in rows.chunks(STEP) {
                import.$write(chunk).await?;
                done += chunk.len();
                progress(SeedProgress { phase, done, total });
            }
        }};
    }
    in_steps!(SeedPhase::Consultations, plan.consultations, consultations);
    in_steps!(SeedPhase::Participants, plan.participants, participants);
    import.duplicate_groups(&plan.groups).await?;
    // Before the comments: they name the drafts' articles.
    import.drafts(&plan.drafts).await?;
    in_steps!(SeedPhase::Comments, plan.comments, comments);
    import.polls(&plan.polls).await?;
    in_steps!(SeedPhase::Ballots, plan.ballots, ballots);
    import.tally_counters(&plan.counters).await?;
    import.turnout(&plan.turnout).await?;
    in_steps!(SeedPhase::Audit, plan.audit, audit);
    progress(SeedProgress {
        phase: SeedPhase::Commit,
        done: 0,
        total: 1,
    });
    import.commit().await?;
    // Imported rows bypass the live score upkeep: derive the scores from them now.
    store.rebuild_scores().await?;
    progress(SeedProgress {
        phase: SeedPhase::Commit,
        done: 1,
        total: 1,
    });

    Ok(SeedSummary {
        staff: accounts
            .iter()
            .map(|(name, role, _)| (name.clone(), *role))
            .collect(),
        consultations: plan.consultations.len(),
        participants: plan.participants.len(),
        comments: plan.comments.len(),
        duplicate_groups: plan.groups.len(),
        decisions: plan
            .comments
            .iter()
            .filter(|c| c.decision.is_some())
            .count(),
        polls: plan.polls.len(),
        ballots: plan.ballots.len(),
        drafts: plan.drafts.len(),
        audit_entries: plan.audit.len(),
        ids: plan.ids,
    })
}

/// (username, role, password) of every demo account, admin first.
fn demo_accounts(options: &SeedOptions) -> Vec<(String, Role, String)> {
    let mut accounts = vec![
        (
            DEMO_ADMIN.to_owned(),
            Role::Admin,
            options.admin_password.clone(),
        ),
        (
            DEMO_OPERATOR.to_owned(),
            Role::Operator,
            options.staff_password.clone(),
        ),
    ];
    accounts.extend(DEMO_MODERATORS.iter().map(|m| {
        (
            (*m).to_owned(),
            Role::Moderator,
            options.staff_password.clone(),
        )
    }));
    accounts
}

/// Every row the seed writes, computed in memory before anything is written.
struct Plan {
    staff: Vec<ImportedStaff>,
    consultations: Vec<ImportedConsultation>,
    participants: Vec<ImportedParticipant>,
    groups: Vec<ImportedGroup>,
    comments: Vec<ImportedComment>,
    polls: Vec<ImportedPoll>,
    ballots: Vec<ImportedBallot>,
    counters: Vec<ImportedCounter>,
    turnout: Vec<ImportedTurnout>,
    drafts: Vec<ImportedDraft>,
    audit: Vec<(AuditRecord, DateTime<Utc>)>,
    ids: SeededIds,
}

/// Times as the store keeps them (whole milliseconds), so the audit entries name exactly the
/// stored values.
fn stored(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(3)
}

fn actor(id: i64, username: &str, role: Role) -> Actor {
    Actor {
        staff_id: id,
        username: username.to_owned(),
        role,
    }
}

impl Plan {
    fn new(
        d: &DemoDataset,
        accounts: &[(String, Role, String)],
        hashes: &[String],
        base: ImportIds,
    ) -> anyhow::Result<Plan> {
        let mut audit: Vec<(AuditRecord, DateTime<Utc>)> = Vec::new();
        let system = Actor::system();

        // Staff, created a day before the first draft.
        let origin = d
            .consultations
            .iter()
            .map(|c| c.created_at)
            .min()
            .map_or_else(Utc::now, |t| stored(t - Duration::days(1)));
        let staff: Vec<ImportedStaff> = accounts
            .iter()
            .zip(hashes)
            .enumerate()
            .map(|(i, ((username, role, _), hash))| ImportedStaff {
                id: base.staff + 1 + i as i64,
                username: username.clone(),
                password_hash: hash.clone(),
                role: *role,
                created_at: origin,
            })
            .collect();
        for s in &staff {
            audit.push((
                AuditRecord::new(&system, "staff.create", format!("staff:{}", s.id))
                    .after(json!({"username": s.username, "role": s.role})),
                origin,
            ));
        }
        let by_name = |name: &str| {
            staff
                .iter()
                .find(|s| s.username == name)
                .map(|s| actor(s.id, &s.username, s.role))
                .expect("every demo account is planned")
        };
        let admin = by_name(DEMO_ADMIN);
        let operator = by_name(DEMO_OPERATOR);
        let moderators: HashMap<&str, Actor> =
            DEMO_MODERATORS.iter().map(|m| (*m, by_name(m))).collect();

        let mut ids = SeededIds {
            consultations: (0..d.consultations.len())
                .map(|i| base.consultations + 1 + i as i64)
                .collect(),
            participants: (0..d.participants.len())
                .map(|i| base.participants + 1 + i as i64)
                .collect(),
            comments: (0..d.comments.len())
                .map(|i| base.comments + 1 + i as i64)
                .collect(),
            polls: (0..d.polls.len())
                .map(|i| base.polls + 1 + i as i64)
                .collect(),
            poll_options: Vec::new(),
        };

        let participants: Vec<ImportedParticipant> = d
            .participants
            .iter()
            .zip(&ids.participants)
            .map(|(p, id)| ImportedParticipant {
                id: *id,
                participant: p.participant.clone(),
                // Demo participants never log in: a random token, of which only the hash is kept.
                token_hash: token_hash(&random_token()),
                created_at: p.registered_at,
                // The demo's people stand for verified participants (they vote and earn
                // certificates); they have no phone number, so none is kept.
                verified_at: Some(p.registered_at),
            })
            .collect();

        // Draft texts, recognised as the document route would, each import audited as it is.
        // Their articles take ids from the base on, so that comments can name them.
        let mut drafts = Vec::with_capacity(d.drafts.len());
        let mut next_article_id = base.draft_articles;
        let mut article_ids: HashMap<(usize, u32), i64> = HashMap::new();
        for draft in &d.drafts {
            let consultation_id = ids.consultations[draft.consultation];
            let fa = mosharekat_draft::parse(&draft.text_fa, draft.format);
            let en = draft
                .text_en
                .as_deref()
                .map(|t| mosharekat_draft::parse(t, draft.format));
            let content = mosharekat_draft::pair(fa, en, draft.format).map_err(|e| {
                anyhow::anyhow!("the demo draft of consultation {consultation_id}: {e}")
            })?;
            anyhow::ensure!(
                !content.articles.is_empty(),
                "the demo draft of consultation {consultation_id} has no article"
            );
            let imported_at = stored(draft.imported_at);
            let notes: usize = content.articles.iter().map(|a| a.notes.len()).sum();
            let clauses: usize = content
                .articles
                .iter()
                .map(|a| a.clauses.len() + a.notes.iter().map(|n| n.clauses.len()).sum::<usize>())
                .sum();
            audit.push((
                AuditRecord::new(
                    &operator,
                    "consultation.document",
                    format!("consultation:{consultation_id}"),
                )
                .before(json!({"version": null}))
                .after(json!({"version": 1, "imported_at": imported_at,
                    "imported_by": operator.username, "articles": content.articles.len(),
                    "notes": notes, "clauses": clauses, "bilingual": draft.text_en.is_some()})),
                imported_at,
            ));
            let first_article_id = next_article_id + 1;
            next_article_id += content.articles.len() as i64;
            for (position, article) in content.articles.iter().enumerate() {
                article_ids.insert(
                    (draft.consultation, article.number),
                    first_article_id + position as i64,
                );
            }
            drafts.push(ImportedDraft {
                first_article_id,
                consultation_id,
                version: 1,
                imported_at,
                imported_by: operator.username.clone(),
                content,
                source: DraftSource {
                    text_fa: draft.text_fa.clone(),
                    text_en: draft.text_en.clone(),
                },
            });
        }

        // Comments: campaign groups keyed as the comment route keys them.
        let mut group_of: HashMap<(usize, String), usize> = HashMap::new();
        let mut groups: Vec<ImportedGroup> = Vec::new();
        let mut comment_counts = vec![0i64; d.consultations.len()];
        let mut decision_id = base.moderation_decisions;
        let mut comments = Vec::with_capacity(d.comments.len());
        for (i, c) in d.comments.iter().enumerate() {
            let text_hash = token_hash(&normalize_for_duplicates(&c.body));
            let next = groups.len();
            let g = *group_of
                .entry((c.consultation, text_hash.clone()))
                .or_insert(next);
            if g == next {
                groups.push(ImportedGroup {
                    id: base.duplicate_groups + 1 + next as i64,
                    consultation_id: ids.consultations[c.consultation],
                    text_hash,
                    size: 0,
                });
            }
            groups[g].size += 1;
            comment_counts[c.consultation] += 1;
            let id = ids.comments[i];
            let decision = c.moderation.as_ref().map(|m| {
                decision_id += 1;
                let moderator = &moderators[m.decided_by];
                let status = m.action.resulting_status();
                audit.push((
                    AuditRecord::new(moderator, "comment.decide", format!("comment:{id}"))
                        .before(json!({"status": CommentStatus::Pending.as_str()}))
                        .after(json!({"status": status, "reason_code": m.reason_code,
                            "tags": Vec::<String>::new()})),
                    stored(m.decided_at),
                ));
                ImportedDecision {
                    id: decision_id,
                    staff_id: moderator.staff_id,
                    action: m.action,
                    reason_code: m.reason_code.map(str::to_owned),
                    note: m.note.map(str::to_owned),
                    tags: Vec::new(),
                    decided_at: m.decided_at,
                }
            });
            comments.push(ImportedComment {
                id,
                consultation_id: ids.consultations[c.consultation],
                participant_id: ids.participants[c.participant],
                parent_id: c.parent.map(|p| ids.comments[p]),
                body: c.body.clone(),
                is_proposal: c.is_proposal,
                group_id: groups[g].id,
                created_at: c.created_at,
                decision,
                article_id: match c.article {
                    Some(number) => {
                        Some(*article_ids.get(&(c.consultation, number)).ok_or_else(|| {
                            anyhow::anyhow!(
                                "comment {i} names article {number}, which its draft does not have"
                            )
                        })?)
                    }
                    None => None,
                },
            });
        }

        // Polls, ballots, and the counters `cast_ballot` keeps.
        let mut option_id = base.poll_options;
        let mut polls: Vec<ImportedPoll> = Vec::with_capacity(d.polls.len());
        for (p, id) in d.polls.iter().zip(&ids.polls) {
            let options: Vec<(i64, _)> = p
                .poll
                .options
                .iter()
                .map(|o| {
                    option_id += 1;
                    (option_id, o.clone())
                })
                .collect();
            ids.poll_options
                .push(options.iter().map(|(id, _)| *id).collect());
            polls.push(ImportedPoll {
                id: *id,
                consultation_id: ids.consultations[p.consultation],
                kind: p.poll.kind,
                question_fa: p.poll.question_fa.clone(),
                question_en: p.poll.question_en.clone(),
                options,
                total_ballots: 0,
                created_at: p.created_at,
            });
            audit.push((
                AuditRecord::new(&operator, "poll.create", format!("poll:{id}")).after(json!({
                    "consultation_id": ids.consultations[p.consultation],
                    "kind": p.poll.kind, "question_fa": p.poll.question_fa.trim()})),
                stored(p.created_at),
            ));
        }
        let mut counters: HashMap<(i64, &'static str, String, i64), i64> = HashMap::new();
        let mut turnout: HashMap<(i64, i64), i64> = HashMap::new();
        let mut ballots = Vec::with_capacity(d.ballots.len());
        for b in &d.ballots {
            let poll = &mut polls[b.poll];
            let participant = &d.participants[b.participant].participant;
            let mut chosen: Vec<i64> = b.options.iter().map(|&o| poll.options[o].0).collect();
            chosen.sort_unstable();
            let ballot = ImportedBallot {
                poll_id: poll.id,
                participant_id: ids.participants[b.participant],
                age_band: AgeBand::of(participant.birth_year, b.cast_at).as_str(),
                gender: participant.gender.map_or(UNKNOWN_BUCKET, |g| g.as_str()),
                province: participant.province.map_or(UNKNOWN_BUCKET, |p| p.code()),
                category: participant.category.as_str(),
                option_ids: chosen,
                cast_at: b.cast_at,
            };
            let buckets = ballot_buckets(
                ballot.age_band,
                ballot.gender,
                ballot.province,
                ballot.category,
            );
            for (dimension, bucket) in buckets {
                for option in std::iter::once(0).chain(ballot.option_ids.iter().copied()) {
                    *counters
                        .entry((poll.id, dimension, bucket.clone(), option))
                        .or_default() += 1;
                }
            }
            *turnout.entry((poll.id, hour_start(b.cast_at))).or_default() += 1;
            poll.total_ballots += 1;
            ballots.push(ballot);
        }
        let mut counters: Vec<ImportedCounter> = counters
            .into_iter()
            .map(
                |((poll_id, dimension, bucket, option_id), count)| ImportedCounter {
                    poll_id,
                    dimension,
                    bucket,
                    option_id,
                    count,
                },
            )
            .collect();
        counters.sort_by(|a, b| {
            (a.poll_id, a.dimension, &a.bucket, a.option_id).cmp(&(
                b.poll_id,
                b.dimension,
                &b.bucket,
                b.option_id,
            ))
        });
        let mut turnout: Vec<ImportedTurnout> = turnout
            .into_iter()
            .map(|((poll_id, hour_start), ballots)| ImportedTurnout {
                poll_id,
                hour_start,
                ballots,
            })
            .collect();
        turnout.sort_by_key(|t| (t.poll_id, t.hour_start));

        // Consultations, with the history of each in the audit log.
        let consultations: Vec<ImportedConsultation> = d
            .consultations
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let id = ids.consultations[i];
                let first = audit.len();
                consultation_history(c, id, &admin, &operator, &mut audit);
                let updated_at = audit[first..]
                    .iter()
                    .map(|(_, at)| *at)
                    .max()
                    .unwrap_or(c.created_at);
                ImportedConsultation {
                    id,
                    consultation: c.consultation.clone(),
                    created_at: c.created_at,
                    updated_at,
                    published_at: c.published_at,
                    closed_early: c.closed_early.as_ref().map(|e| (e.at, e.reason.clone())),
                    report_published_at: c.report_published_at,
                    announced_status: c.status,
                    comment_count: comment_counts[i],
                }
            })
            .collect();

        // One chain in time order; entries at the same moment keep the order they happened in.
        audit.sort_by_key(|(_, at)| *at);
        Ok(Plan {
            staff,
            consultations,
            participants,
            groups,
            comments,
            polls,
            ballots,
            counters,
            turnout,
            drafts,
            audit,
            ids,
        })
    }
}

/// The audit entries a consultation's life leaves: created by the operator, a short window
/// justified by the admin, published, opened and closed by the scheduler or closed early by the
/// admin. Each entry carries what the live write path records.
fn consultation_history(
    c: &DemoConsultation,
    id: i64,
    admin: &Actor,
    operator: &Actor,
    audit: &mut Vec<(AuditRecord, DateTime<Utc>)>,
) {
    let n = &c.consultation;
    let target = format!("consultation:{id}");
    let (opens, closes) = (stored(n.opens_at), stored(n.closes_at));
    let created = stored(c.created_at);
    audit.push((
        AuditRecord::new(operator, "consultation.create", &target).after(json!({
            "kind": n.kind.as_str(), "title_fa": n.title_fa.trim(), "opens_at": opens, "closes_at": closes})),
        created,
    ));
    let reason = n
        .short_window_reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if let Some(reason) = reason {
        audit.push((
            AuditRecord::new(admin, "consultation.update", &target)
                .before(json!({"short_window_reason": null}))
                .after(json!({"short_window_reason": reason})),
            created,
        ));
    }
    let Some(published) = c.published_at.map(stored) else {
        return;
    };
    let at_publish = status_at(Some(published), None, opens, closes, published);
    audit.push((
        AuditRecord::new(operator, "consultation.publish", &target).after(json!({
            "status": at_publish, "opens_at": opens, "closes_at": closes, "short_window_reason": reason})),
        published,
    ));
    let mut announced = at_publish;
    let announce = |audit: &mut Vec<(AuditRecord, DateTime<Utc>)>,
                    from: ConsultationStatus,
                    to: ConsultationStatus,
                    at: DateTime<Utc>| {
        audit.push((
            AuditRecord::new(
                &Actor::system(),
                &format!("consultation.{}", to.as_str()),
                &target,
            )
            .before(json!({"status": from.as_str()}))
            .after(json!({"status": to})),
            at,
        ));
    };
    let early = c.closed_early.as_ref().map(|e| (stored(e.at), &e.reason));
    let end = early.map_or(closes, |(at, _)| at);
    if announced == ConsultationStatus::Scheduled && opens < end && c.status != announced {
        announce(audit, announced, ConsultationStatus::Open, opens);
        announced = ConsultationStatus::Open;
    }
    match early {
        Some((at, reason)) => audit.push((
            AuditRecord::new(admin, "consultation.close_early", &target)
                .before(json!({"status": announced, "closes_at": closes}))
                .after(json!({"status": ConsultationStatus::Closed, "reason": reason.trim()})),
            at,
        )),
        None if c.status == ConsultationStatus::Closed => {
            announce(audit, announced, ConsultationStatus::Closed, closes);
        }
        None => {}
    }
}
