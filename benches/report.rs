//! Generating the comprehensive report of one consultation of 1,000,000 comments, on SQLite (a
//! temporary file) and PostgreSQL (a schema of its own at `MOSHAREKAT_TEST_PG_URL`, default
//! `postgres://postgres@127.0.0.1:5432/test`; skipped with a note when it cannot be reached).
//!
//! The consultation is written once per database through the bulk import: 200,000 participants
//! (every demographic field sometimes withheld), 1,000,000 comments over a 59-day window (20
//! campaigns of 10,000 identical comments, the rest distinct; 80 % approved, a third of those with
//! a concern tag, 5 % proposals; the draft's text of 30 articles, and 60 % of the distinct comments
//! naming one of them), two polls with 100,000 ballots each and their counters, and 50
//! published decisions. What is measured is `report::generate`: every aggregate read, the term
//! count streamed over the 800,000 approved bodies, the concerns per article, the poll breakdowns
//! and the decisions. The concerns per article alone (`ReportStore::report_articles`) are timed
//! once and printed before the measurement.
//!
//! `MOSHAREKAT_BENCH_REPORT_COMMENTS` sets another size (participants and ballots scale with it).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use mosharekat_api::{
    AgeBand, Category, Channel, ConcernTag, ConsultationKind, ConsultationStatus, Gender, Language,
    ModerationAction, NewConsultation, NewParticipant, NewPollOption, PollKind,
    ProposalDecisionRequest, Province, Role,
};
use mosharekat_server::auth::random_token;
use mosharekat_server::events::EventBus;
use mosharekat_server::store::{
    Actor, DraftSource, ImportedBallot, ImportedComment, ImportedConsultation, ImportedCounter,
    ImportedDecision, ImportedDraft, ImportedGroup, ImportedParticipant, ImportedPoll,
    ImportedStaff, ImportedTurnout, Store,
};
use tokio::runtime::Runtime;

const CAMPAIGNS: usize = 20;
/// Articles of the draft's text.
const ARTICLES: usize = 30;
const CHUNK: usize = 50_000;
const TAGS: [&str; 8] = [
    "fees",
    "teachers",
    "safety",
    "curriculum",
    "transport",
    "exams",
    "buildings",
    "inclusion",
];

fn comments_wanted() -> usize {
    std::env::var("MOSHAREKAT_BENCH_REPORT_COMMENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

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

/// A new database: a file in a temporary directory, or a PostgreSQL schema dropped afterwards.
struct FreshDb {
    url: String,
    _dir: Option<tempfile::TempDir>,
    schema: Option<String>,
}

impl FreshDb {
    async fn new(postgres: bool) -> Option<FreshDb> {
        if !postgres {
            let dir = tempfile::tempdir().expect("temporary directory");
            let url = format!("sqlite://{}", dir.path().join("report.db").display());
            return Some(FreshDb {
                url,
                _dir: Some(dir),
                schema: None,
            });
        }
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

/// Deterministic choices.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.below(from.len())]
    }
}

/// Everyday words of comments on a school regulation.
const WORDS: &str = "شهریه مدارس غیردولتی معلمان حقوق کلاس دانش‌آموزان والدین ثبت‌نام سرویس ایمنی امتحان \
    کتاب درسی بودجه آموزش پرورش مدیر مدرسه ساعت شروع تعطیلات تابستان پایه ابتدایی متوسطه هنرستان \
    فنی حرفه‌ای کنکور سهمیه مناطق محروم روستا عشایر خوابگاه تغذیه بهداشت مشاور روانشناس ورزش \
    فضای سبز ساختمان فرسوده تخریب نوسازی تجهیزات آزمایشگاه رایانه اینترنت شبکه شاد آنلاین حضوری \
    ارزشیابی توصیفی نمره معدل کارنامه پرونده تحصیلی انضباطی پوشش لباس فرم هزینه رایگان عدالت \
    آموزشی کیفیت تراکم جمعیت استخدام حق‌التدریس پیمانی رسمی بازنشستگی رتبه‌بندی ارتقا آموزش‌های \
    ضمن خدمت مهارت زبان انگلیسی عربی قرآن ریاضی علوم تجربی انسانی ادبیات فارسی تاریخ جغرافیا";

fn body(rng: &mut Lcg, words: &[&str], n: usize) -> String {
    let len = 12 + rng.below(14);
    let mut text = String::with_capacity(len * 12);
    for i in 0..len {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(rng.pick(words));
    }
    text.push_str(&format!(" (بند {n})"));
    text
}

/// Write the consultation; returns its id.
async fn seed(store: &dyn Store, comments: usize, now: DateTime<Utc>) -> i64 {
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    let mut rng = Lcg(2026);
    let participants = (comments / 5).max(100);
    let opens = now - chrono::Duration::days(60);
    let closes = now - chrono::Duration::days(1);
    let mut import = store.begin_import().await.expect("import");
    let base = import.max_ids().await.expect("ids");
    let moderator = base.staff + 1;
    import
        .staff(&[ImportedStaff {
            id: moderator,
            username: "bench.moderator".into(),
            password_hash: "not-a-hash".into(),
            role: Role::Moderator,
            created_at: opens,
        }])
        .await
        .expect("staff");
    let consultation = base.consultations + 1;
    import
        .consultations(&[ImportedConsultation {
            id: consultation,
            consultation: NewConsultation {
                kind: ConsultationKind::Regulation,
                title_fa: "آیین‌نامه اجرایی مدارس غیردولتی".into(),
                title_en: "Executive regulation of non-governmental schools".into(),
                summary_fa: "پیش‌نویس برای نظرخواهی عمومی".into(),
                summary_en: "Draft for public comment".into(),
                drafting_unit: "معاونت آموزش ابتدایی".into(),
                opens_at: opens,
                closes_at: closes,
                portal_url: "https://www.medu.ir/fa/consultations/1".into(),
                short_window_reason: None,
            },
            created_at: opens,
            updated_at: opens,
            published_at: Some(opens),
            closed_early: None,
            report_published_at: None,
            announced_status: ConsultationStatus::Closed,
            comment_count: comments as i64,
        }])
        .await
        .expect("consultation");

    // Participants.
    let years: Vec<Option<i32>> = std::iter::once(None)
        .chain((1950..2012).map(Some))
        .collect();
    let mut people = Vec::with_capacity(participants);
    for i in 0..participants {
        let channel = (i % 10 < 3).then_some(Channel::Bale);
        people.push(ImportedParticipant {
            id: base.participants + 1 + i as i64,
            participant: NewParticipant {
                display_name: format!("شهروند {i}"),
                category: rng.pick(&Category::ALL),
                birth_year: rng.pick(&years),
                gender: rng.pick(&[
                    None,
                    Some(Gender::Female),
                    Some(Gender::Male),
                    Some(Gender::Female),
                    Some(Gender::Male),
                    Some(Gender::Other),
                ]),
                province: if rng.below(10) == 0 {
                    None
                } else {
                    Some(*rng.pick(&Province::ALL.iter().collect::<Vec<_>>()))
                },
                channel,
                handle: channel.map(|_| format!("@citizen{i}")),
                consent: true,
                name_public: false,
                language: if i % 7 == 0 {
                    Language::En
                } else {
                    Language::Fa
                },
            },
            token_hash: format!("bench-token-{i}"),
            created_at: opens,
            verified_at: Some(opens),
        });
    }
    for chunk in people.chunks(CHUNK) {
        import.participants(chunk).await.expect("participants");
    }

    // Campaign groups first, then one group per other comment.
    let campaign_size = (comments / 100).max(2);
    let campaign_total = (CAMPAIGNS * campaign_size).min(comments / 2);
    let distinct = comments - campaign_total;
    let group_base = base.duplicate_groups;
    let mut groups: Vec<ImportedGroup> = (0..CAMPAIGNS)
        .map(|k| ImportedGroup {
            id: group_base + 1 + k as i64,
            consultation_id: consultation,
            text_hash: format!("campaign-{k}"),
            size: (campaign_total / CAMPAIGNS + usize::from(k < campaign_total % CAMPAIGNS)) as i64,
        })
        .collect();
    groups.extend((0..distinct).map(|n| ImportedGroup {
        id: group_base + 1 + (CAMPAIGNS + n) as i64,
        consultation_id: consultation,
        text_hash: format!("distinct-{n}"),
        size: 1,
    }));
    for chunk in groups.chunks(CHUNK) {
        import.duplicate_groups(chunk).await.expect("groups");
    }
    drop(groups);
    let campaign_texts: Vec<String> = (0..CAMPAIGNS)
        .map(|k| body(&mut rng, &words, 1_000_000 + k))
        .collect();

    // The draft's text, before the comments that name its articles.
    let first_article_id = base.draft_articles + 1;
    let articles = (1..=ARTICLES as u32)
        .map(|n| mosharekat_api::ArticleContent {
            number: n,
            label: n.to_string(),
            chapter_fa: None,
            chapter_en: None,
            heading_fa: Some(format!("عنوان ماده {n}")),
            heading_en: Some(format!("Heading of article {n}")),
            text_fa: format!("متن ماده {n}"),
            text_en: Some(format!("The text of article {n}")),
            clauses: Vec::new(),
            notes: Vec::new(),
        })
        .collect();
    import
        .drafts(&[ImportedDraft {
            consultation_id: consultation,
            version: 1,
            imported_at: opens,
            imported_by: "bench.operator".into(),
            content: mosharekat_api::DraftContent {
                format: mosharekat_api::DraftFormat::Text,
                preamble_fa: None,
                preamble_en: None,
                articles,
                closing_fa: None,
                closing_en: None,
            },
            source: DraftSource {
                text_fa: "متن".into(),
                text_en: None,
            },
            first_article_id,
        }])
        .await
        .expect("draft");
    // Which article a comment names: its own sequence, so the rest of the data stays as before.
    let mut articles_rng = Lcg(30);

    // Comments, a chunk at a time.
    let window_ms = (closes - opens).num_milliseconds();
    let mut decision_id = base.moderation_decisions;
    let mut chunk = Vec::with_capacity(CHUNK);
    for n in 0..comments {
        let campaign = (n < campaign_total).then_some(n % CAMPAIGNS);
        let group_id = match campaign {
            Some(k) => group_base + 1 + k as i64,
            None => group_base + 1 + (CAMPAIGNS + n - campaign_total) as i64,
        };
        let created_at =
            opens + chrono::Duration::milliseconds((n as i64 * window_ms) / comments as i64);
        let roll = rng.below(100);
        let action = match roll {
            0..80 => Some(ModerationAction::Approve),
            80..88 => Some(ModerationAction::Reject),
            88..90 => Some(ModerationAction::Hide),
            _ => None,
        };
        let decision = action.map(|action| {
            decision_id += 1;
            let tags = if action == ModerationAction::Approve && rng.below(3) == 0 {
                vec![rng.pick(&TAGS).to_owned()]
            } else {
                Vec::new()
            };
            ImportedDecision {
                id: decision_id,
                staff_id: moderator,
                action,
                reason_code: (action != ModerationAction::Approve).then(|| "spam".to_owned()),
                note: None,
                tags,
                decided_at: created_at + chrono::Duration::hours(2),
            }
        });
        chunk.push(ImportedComment {
            id: base.comments + 1 + n as i64,
            consultation_id: consultation,
            participant_id: base.participants + 1 + rng.below(participants) as i64,
            parent_id: None,
            body: match campaign {
                Some(k) => campaign_texts[k].clone(),
                None => body(&mut rng, &words, n),
            },
            is_proposal: campaign.is_none() && rng.below(20) == 0,
            group_id,
            created_at,
            decision,
            article_id: (campaign.is_none() && articles_rng.below(10) < 6)
                .then(|| first_article_id + articles_rng.below(ARTICLES) as i64),
        });
        if chunk.len() == CHUNK {
            import.comments(&chunk).await.expect("comments");
            chunk.clear();
        }
    }
    import.comments(&chunk).await.expect("comments");
    drop(chunk);

    // Two polls; each participant in a tenth of the population... half of it votes in each.
    let mut option_id = base.poll_options;
    let mut polls = Vec::new();
    for (p, kind) in [PollKind::YesNoAbstain, PollKind::Likert5]
        .into_iter()
        .enumerate()
    {
        let options: Vec<(i64, NewPollOption)> = kind
            .fixed_options()
            .expect("fixed options")
            .into_iter()
            .map(|o| {
                option_id += 1;
                (option_id, o)
            })
            .collect();
        polls.push(ImportedPoll {
            id: base.polls + 1 + p as i64,
            consultation_id: consultation,
            kind,
            question_fa: format!("پرسش {p}"),
            question_en: format!("Question {p}"),
            options,
            total_ballots: 0,
            created_at: opens,
        });
    }
    let mut ballots = Vec::new();
    let mut counters: HashMap<(i64, &'static str, String, i64), i64> = HashMap::new();
    let mut turnout: HashMap<(i64, i64), i64> = HashMap::new();
    for poll in &mut polls {
        for (i, person) in people
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == (poll.id % 2) as usize)
        {
            let option = poll.options[rng.below(poll.options.len())].0;
            let cast_at = opens
                + chrono::Duration::milliseconds((i as i64 * window_ms) / participants as i64);
            let p = &person.participant;
            let age = AgeBand::of(p.birth_year, cast_at).as_str();
            let gender = p.gender.map_or("unknown", |g| g.as_str());
            let province = p.province.map_or("unknown", |p| p.code());
            let category = p.category.as_str();
            for (dimension, bucket) in [
                ("all", ""),
                ("age_band", age),
                ("gender", gender),
                ("province", province),
                ("category", category),
            ] {
                for o in [0, option] {
                    *counters
                        .entry((poll.id, dimension, bucket.to_owned(), o))
                        .or_insert(0) += 1;
                }
            }
            let ms = cast_at.timestamp_millis();
            *turnout
                .entry((poll.id, ms - ms.rem_euclid(3_600_000)))
                .or_insert(0) += 1;
            poll.total_ballots += 1;
            ballots.push(ImportedBallot {
                poll_id: poll.id,
                participant_id: person.id,
                option_ids: vec![option],
                age_band: age,
                gender,
                province,
                category,
                cast_at,
            });
        }
    }
    import.polls(&polls).await.expect("polls");
    for chunk in ballots.chunks(CHUNK) {
        import.ballots(chunk).await.expect("ballots");
    }
    let counters: Vec<ImportedCounter> = counters
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
    import.tally_counters(&counters).await.expect("counters");
    let turnout: Vec<ImportedTurnout> = turnout
        .into_iter()
        .map(|((poll_id, hour_start), ballots)| ImportedTurnout {
            poll_id,
            hour_start,
            ballots,
        })
        .collect();
    import.turnout(&turnout).await.expect("turnout");
    import.commit().await.expect("commit");

    // The concern tags, and 50 answered proposals, through the ordinary store calls.
    let operator = Actor {
        staff_id: moderator,
        username: "bench.moderator".into(),
        role: Role::Admin,
    };
    let tags: Vec<ConcernTag> = TAGS
        .iter()
        .map(|code| ConcernTag {
            code: (*code).into(),
            label_fa: format!("موضوع {code}"),
            label_en: code.to_string(),
        })
        .collect();
    store
        .replace_concern_tags(consultation, &tags, &operator, now)
        .await
        .expect("tags");
    let proposals = store
        .list_proposals(consultation, None, 50, now)
        .await
        .expect("proposals");
    for (i, p) in proposals.iter().enumerate() {
        let request = ProposalDecisionRequest {
            outcome: Some(mosharekat_api::Outcome::ALL[i % 3]),
            rationale_fa: "دلیل تصمیم با ارجاع به ماده ۱۲".into(),
            rationale_en: "The reason, with reference to article 12".into(),
            legal_basis: "ماده ۱۲".into(),
            version: 0,
        };
        store
            .save_decision(p.comment.id, &request, &operator, now)
            .await
            .expect("decision");
    }
    store
        .publish_decisions(consultation, None, &operator, now)
        .await
        .expect("publish decisions");
    consultation
}

fn report_generation(c: &mut Criterion) {
    let rt = runtime();
    let comments = comments_wanted();
    let mut group = c.benchmark_group("report_generation");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(60))
        .throughput(Throughput::Elements(comments as u64));
    for (name, postgres) in [("sqlite", false), ("postgres", true)] {
        let Some(db) = rt.block_on(FreshDb::new(postgres)) else {
            continue;
        };
        let now = Utc::now();
        let (store, consultation): (Arc<dyn Store>, _) = rt.block_on(async {
            let store = mosharekat_server::store::connect(&db.url, EventBus::new())
                .await
                .expect("open store");
            let started = Instant::now();
            let id = seed(store.as_ref(), comments, now).await;
            eprintln!(
                "{name}: wrote {comments} comments in {:.1?}",
                started.elapsed()
            );
            (store, id)
        });
        let consultation = rt
            .block_on(store.get_consultation(consultation, now))
            .expect("read")
            .expect("consultation");
        let started = Instant::now();
        let rows = rt
            .block_on(store.report_articles(consultation.id, 3))
            .expect("concerns per article");
        eprintln!(
            "{name}: concerns per article read in {:.1?} ({} rows, {} examples)",
            started.elapsed(),
            rows.comments.len(),
            rows.examples.len()
        );
        let started = Instant::now();
        let report = rt
            .block_on(mosharekat_server::report::generate(
                store.as_ref(),
                &consultation,
                "bench",
                now,
            ))
            .expect("report");
        assert_eq!(report.comments.total, comments as i64);
        assert_eq!(report.key_concerns.articles.len(), ARTICLES);
        eprintln!(
            "{name}: one report in {:.1?}: {} participants, {} terms, {} tags, {} campaigns, {} decisions",
            started.elapsed(),
            report.participants.total,
            report.key_concerns.terms.len(),
            report.key_concerns.tags.len(),
            report.key_concerns.campaigns.len(),
            report.decisions.items.len()
        );
        group.bench_function(
            BenchmarkId::new(format!("{comments}_comments"), name),
            |b| {
                b.iter(|| {
                    rt.block_on(mosharekat_server::report::generate(
                        store.as_ref(),
                        &consultation,
                        "bench",
                        now,
                    ))
                    .expect("report")
                })
            },
        );
        drop(store);
        rt.block_on(db.remove());
    }
    group.finish();
}

criterion_group!(benches, report_generation);
criterion_main!(benches);
