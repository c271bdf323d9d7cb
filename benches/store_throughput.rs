//! Throughput of the consultation backend's store on SQLite (a temporary file) and PostgreSQL (a
//! schema of its own at `MOSHAREKAT_TEST_PG_URL`, default `postgres://postgres@127.0.0.1:5432/test`;
//! skipped with a note when it cannot be reached):
//!
//! - `comment_ingestion`: one comment per transaction, through the store (one writer, and eight at
//!   once) and through HTTP (each with its campaign-group hash, counter update and live event, as
//!   the comment route does);
//! - `claim_throughput`: one moderator draining a queue of 500 pending comments in claims of 25;
//! - `demo_seed`: writing the whole default demo dataset (5,000 participants, 20,000 comments,
//!   ~22,600 ballots) through the bulk import, into a new database each time.
//!
//! Figures are elements per second: comments stored, comments claimed (divide by 25 for claims),
//! or comments seeded.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use mosharekat_api::text::normalize_for_duplicates;
use mosharekat_api::{Category, ConsultationKind, Language, NewConsultation, NewParticipant, Role};
use mosharekat_demo::{self as demo, DemoConfig, SeedOptions};
use mosharekat_server::auth::{random_token, token_hash};
use mosharekat_server::events::EventBus;
use mosharekat_server::store::{Actor, NewCommentRecord, Store};
use mosharekat_server::{RunningServer, ServerConfig};
use tokio::runtime::Runtime;

const QUEUE: usize = 500;
const CLAIM_BATCH: u32 = 25;
const WRITERS: u64 = 8;

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn pg_base_url() -> String {
    std::env::var("MOSHAREKAT_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A new, empty database: a file in a temporary directory, or a PostgreSQL schema (dropped by
/// [`FreshDb::remove`]).
struct FreshDb {
    url: String,
    _dir: Option<tempfile::TempDir>,
    schema: Option<String>,
}

impl FreshDb {
    async fn new(backend: Backend) -> Option<FreshDb> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = format!("sqlite://{}", dir.path().join("bench.db").display());
                Some(FreshDb {
                    url,
                    _dir: Some(dir),
                    schema: None,
                })
            }
            Backend::Postgres => {
                let base = pg_base_url();
                let pool = match sqlx::PgPool::connect(&base).await {
                    Ok(pool) => pool,
                    Err(e) => {
                        eprintln!("skipping PostgreSQL: {base}: {e}");
                        return None;
                    }
                };
                let schema = format!("bench_{}", &random_token()[..12]);
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                    .execute(&pool)
                    .await
                    .expect("create schema");
                pool.close().await;
                let sep = if base.contains('?') { '&' } else { '?' };
                Some(FreshDb {
                    url: format!("{base}{sep}options=-c%20search_path%3D{schema}"),
                    _dir: None,
                    schema: Some(schema),
                })
            }
        }
    }

    async fn remove(self) {
        if let Some(schema) = &self.schema
            && let Ok(pool) = sqlx::PgPool::connect(&pg_base_url()).await
        {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                .execute(&pool)
                .await;
            pool.close().await;
        }
    }
}

/// An open consultation, a participant and a moderator in a new database.
struct Setup {
    db: FreshDb,
    store: Arc<dyn Store>,
    events: EventBus,
    consultation: i64,
    participant: i64,
    participant_token: String,
    moderator: Actor,
}

async fn setup(backend: Backend) -> Option<Setup> {
    let db = FreshDb::new(backend).await?;
    let events = EventBus::new();
    let store = mosharekat_server::store::connect(&db.url, events.clone())
        .await
        .expect("open store");
    let now = Utc::now();
    let system = Actor::system();
    let draft = NewConsultation {
        kind: ConsultationKind::Regulation,
        title_fa: "آیین‌نامه اجرایی مدارس غیردولتی".into(),
        title_en: "Executive regulation of non-governmental schools".into(),
        summary_fa: "پیش‌نویس برای نظرخواهی عمومی".into(),
        summary_en: "Draft for public comment".into(),
        drafting_unit: "معاونت آموزش ابتدایی".into(),
        opens_at: now - chrono::Duration::days(1),
        closes_at: now + chrono::Duration::days(60),
        portal_url: "https://www.medu.ir/fa/consultations/1".into(),
        short_window_reason: None,
    };
    let consultation = store
        .create_consultation(&draft, &system, now)
        .await
        .expect("consultation")
        .id;
    store
        .publish_consultation(consultation, &system, now)
        .await
        .expect("publish");
    let participant_token = random_token();
    let participant = store
        .create_participant(
            &NewParticipant {
                display_name: "شرکت‌کننده".into(),
                category: Category::Public,
                birth_year: Some(1985),
                gender: None,
                province: None,
                channel: None,
                handle: None,
                consent: true,
                name_public: false,
                language: Language::Fa,
            },
            &token_hash(&participant_token),
            now,
        )
        .await
        .expect("participant");
    // Claims never check the password; any hash will do.
    let staff = store
        .create_staff(
            "bench.moderator",
            "not-a-hash",
            Role::Moderator,
            &system,
            now,
        )
        .await
        .expect("moderator");
    let moderator = Actor {
        staff_id: staff.id,
        username: staff.username,
        role: Role::Moderator,
    };
    Some(Setup {
        db,
        store,
        events,
        consultation,
        participant,
        participant_token,
        moderator,
    })
}

/// A comment body of ordinary length, different each time.
fn body(n: u64) -> String {
    format!(
        "در ماده {n} پیش‌نویس، مهلت ثبت‌نام مدارس غیردولتی کوتاه است؛ پیشنهاد می‌کنم دست‌کم \
         ۴۵ روز باشد تا خانواده‌ها فرصت مقایسه شهریه‌ها را داشته باشند. (comment #{n})"
    )
}

/// What the comment route stores for a body.
fn record(s: &Setup, n: u64) -> NewCommentRecord {
    let body = body(n);
    NewCommentRecord {
        consultation_id: s.consultation,
        participant_id: s.participant,
        text_hash: token_hash(&normalize_for_duplicates(&body)),
        body,
        parent_id: None,
        is_proposal: false,
        article_id: None,
        source: mosharekat_api::CommentSource::Web,
    }
}

async fn serve(s: &Setup) -> RunningServer {
    let config = ServerConfig::new(&s.db.url, "127.0.0.1:0".parse().expect("address"));
    mosharekat_server::start_with_store(config, s.store.clone(), s.events.clone())
        .await
        .expect("server")
}

fn comment_ingestion(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("comment_ingestion");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .throughput(Throughput::Elements(1));
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(s) = rt.block_on(setup(backend)) else {
            continue;
        };
        let mut n = 0u64;
        group.bench_function(BenchmarkId::new("store", backend.name()), |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let start = Instant::now();
                    for _ in 0..iters {
                        n += 1;
                        s.store
                            .add_comment(&record(&s, n), Utc::now())
                            .await
                            .expect("comment");
                    }
                    start.elapsed()
                })
            })
        });
        // Eight writers at once, as behind a busy portal: PostgreSQL commits them in parallel,
        // SQLite queues them for its one writer.
        let next = std::sync::atomic::AtomicU64::new(1 << 40);
        group.bench_function(BenchmarkId::new("store_8_writers", backend.name()), |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let start = Instant::now();
                    let writers = (0..WRITERS).map(|w| {
                        let (s, next) = (&s, &next);
                        let share = iters / WRITERS + u64::from(w < iters % WRITERS);
                        async move {
                            for _ in 0..share {
                                let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                                s.store
                                    .add_comment(&record(s, n), Utc::now())
                                    .await
                                    .expect("comment");
                            }
                        }
                    });
                    futures::future::join_all(writers).await;
                    start.elapsed()
                })
            })
        });
        let server = rt.block_on(serve(&s));
        let http = reqwest::Client::new();
        let url = format!(
            "{}/api/v1/public/consultations/{}/comments",
            server.url(),
            s.consultation
        );
        group.bench_function(BenchmarkId::new("http", backend.name()), |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let start = Instant::now();
                    for _ in 0..iters {
                        n += 1;
                        let resp = http
                            .post(&url)
                            .bearer_auth(&s.participant_token)
                            .json(&serde_json::json!({"body": body(n)}))
                            .send()
                            .await
                            .expect("request");
                        assert_eq!(resp.status(), reqwest::StatusCode::ACCEPTED);
                    }
                    start.elapsed()
                })
            })
        });
        rt.block_on(async {
            server.shutdown().await;
            s.db.remove().await;
        });
    }
    group.finish();
}

fn claim_throughput(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("claim_throughput");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Elements(QUEUE as u64));
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(s) = rt.block_on(setup(backend)) else {
            continue;
        };
        rt.block_on(async {
            for n in 0..QUEUE as u64 {
                s.store
                    .add_comment(&record(&s, n), Utc::now())
                    .await
                    .expect("comment");
            }
        });
        let lease = chrono::Duration::minutes(5);
        group.bench_function(BenchmarkId::new("drain_in_25s", backend.name()), |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        // Every comment back in the queue (not timed).
                        s.store
                            .release_claims(&s.moderator, &[], Utc::now())
                            .await
                            .expect("release");
                        let start = Instant::now();
                        let mut claimed = 0;
                        loop {
                            let now = Utc::now();
                            let batch = s
                                .store
                                .claim(&s.moderator, None, CLAIM_BATCH, now, now + lease)
                                .await
                                .expect("claim");
                            if batch.is_empty() {
                                break;
                            }
                            claimed += batch.len();
                        }
                        total += start.elapsed();
                        assert_eq!(claimed, QUEUE);
                    }
                    total
                })
            })
        });
        rt.block_on(s.db.remove());
    }
    group.finish();
}

fn demo_seed(c: &mut Criterion) {
    let rt = runtime();
    let dataset = demo::generate(&DemoConfig::default(), Utc::now());
    let options = SeedOptions {
        admin_password: "admin password for the bench".into(),
        staff_password: "staff password for the bench".into(),
    };
    let mut group = c.benchmark_group("demo_seed");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(30))
        .throughput(Throughput::Elements(dataset.comments.len() as u64));
    for backend in [Backend::Sqlite, Backend::Postgres] {
        match rt.block_on(FreshDb::new(backend)) {
            Some(probe) => rt.block_on(probe.remove()),
            None => continue,
        }
        group.bench_function(BenchmarkId::new("default_dataset", backend.name()), |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let db = FreshDb::new(backend).await.expect("database");
                        let store = mosharekat_server::store::connect(&db.url, EventBus::new())
                            .await
                            .expect("open store");
                        let start = Instant::now();
                        demo::seed(store.as_ref(), &dataset, &options, &mut |_| {})
                            .await
                            .expect("seed");
                        total += start.elapsed();
                        drop(store);
                        db.remove().await;
                    }
                    total
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, comment_ingestion, claim_throughput, demo_seed);
criterion_main!(benches);
