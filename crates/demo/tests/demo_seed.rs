//! The demo seed: the whole default dataset written through the store's bulk import, then read
//! back over HTTP and compared with counts the test makes itself over the dataset.

// The server's test support: a database per test and a running server.
#[path = "../../server/tests/support/mod.rs"]
mod support;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Datelike, Duration, Utc};
use mosharekat_api::text::normalize_for_duplicates;
use mosharekat_api::{ConsultationStatus, Role};
use mosharekat_demo::{
    self as demo, CommentSource, DEMO_ADMIN, DEMO_MODERATORS, DEMO_OPERATOR, DeadlineState,
    DemoConfig, DemoDataset, SeedOptions, SeedPhase, SeedProgress, SeedSummary,
};
use mosharekat_server::events::EventBus;
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Backend, TestDb, TestServer};

both!(
    the_seeded_demo_reads_back_as_generated,
    seeding_is_all_or_nothing
);

fn options() -> SeedOptions {
    SeedOptions {
        admin_password: "admin password for the demo".into(),
        staff_password: "staff password for the demo".into(),
    }
}

/// Seed `config`'s dataset into a new database, then serve it.
async fn seeded(
    backend: Backend,
    config: DemoConfig,
) -> (TestServer, DemoDataset, SeedSummary, Vec<SeedProgress>) {
    let db = TestDb::new(backend).await;
    let events = EventBus::new();
    let store = mosharekat_server::store::connect(&db.url, events.clone())
        .await
        .unwrap();
    let dataset = demo::generate(&config, Utc::now());
    let mut steps = Vec::new();
    let summary = demo::seed(store.as_ref(), &dataset, &options(), &mut |p| steps.push(p))
        .await
        .unwrap();
    let server = mosharekat_server::start_with_store(support::config(&db.url), store, events)
        .await
        .unwrap();
    (TestServer::with(server, db).await, dataset, summary, steps)
}

/// Every item of a keyset-paged list.
async fn all_pages(t: &TestServer, path: &str, token: &str) -> Vec<Value> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let cursor = after
            .as_ref()
            .map(|a| format!("&after={a}"))
            .unwrap_or_default();
        let page = t
            .ok(
                "GET",
                &format!("{path}{sep}limit=500{cursor}"),
                Some(token),
                None,
            )
            .await;
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_after"].as_str() {
            Some(next) => after = Some(next.to_owned()),
            None => return items,
        }
    }
}

fn time(v: &Value) -> Option<DateTime<Utc>> {
    v.as_str().map(|s| s.parse().unwrap())
}

fn ms(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap()
}

/// The age bands of the protocol, written out here rather than taken from the server.
fn age_band(birth_year: Option<i32>, at: DateTime<Utc>) -> &'static str {
    let Some(year) = birth_year else {
        return "unknown";
    };
    match at.year() - year {
        ..0 => "unknown",
        0..18 => "under_18",
        18..25 => "18_24",
        25..35 => "25_34",
        35..45 => "35_44",
        45..55 => "45_54",
        55..65 => "55_64",
        _ => "65_plus",
    }
}

async fn login(t: &TestServer, username: &str, password: &str) -> Value {
    let (status, body) = t
        .call(
            "POST",
            "/auth/login",
            None,
            Some(json!({"username": username, "password": password})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{username}: {body}");
    body
}

/// The default dataset, seeded once and served; what the seeder said while it worked.
struct Seeded {
    t: TestServer,
    d: DemoDataset,
    summary: SeedSummary,
    steps: Vec<SeedProgress>,
    now: DateTime<Utc>,
}

type Check = fn(Arc<Seeded>) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// `[(name, check)]` for the named `async fn(Arc<Seeded>)`s.
macro_rules! checks {
    ($($name:ident),* $(,)?) => {
        [$((stringify!($name), (|s| Box::pin($name(s))) as Check)),*]
    };
}

/// Seeding the default dataset is the expensive part, so its checks share one seeded database.
/// Each runs as a task of its own, in order, to the end even after another failed; the test then
/// fails naming every check that did. The read-only checks come first; the four that write
/// (a refused publication, a report, live writes, a claim) run after them.
async fn the_seeded_demo_reads_back_as_generated(backend: Backend) {
    let (t, d, summary, steps) = seeded(backend, DemoConfig::default()).await;
    let now = t.now();
    let s = Arc::new(Seeded {
        t,
        d,
        summary,
        steps,
        now,
    });
    let checks = checks![
        the_summary_counts_the_dataset,
        progress_reports_every_phase_in_order,
        the_demo_staff_log_in,
        consultations_read_back_as_generated,
        deadlines_show_each_states_flags,
        the_queue_holds_exactly_the_undecided,
        a_sample_of_comments_reads_back_exactly,
        campaign_groups_are_as_large_as_generated,
        tallies_equal_a_count_over_the_ballots,
        the_drafts_read_back_as_imported,
        the_audit_chain_verifies,
        publishing_the_draft_without_english_fails,
        the_report_shows_the_concerns_per_article,
        live_writes_carry_on_after_the_imported_ids,
        the_demo_moderators_work_the_seeded_queue,
    ];
    let mut failed = Vec::new();
    for (name, check) in checks {
        if let Err(e) = tokio::spawn(check(s.clone())).await {
            let why = e.try_into_panic().map_or_else(
                |e| e.to_string(),
                |p| {
                    p.downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                        .unwrap_or_default()
                },
            );
            failed.push(format!("{name}: {why}"));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} checks failed:\n{}",
        failed.len(),
        checks.len(),
        failed.join("\n")
    );
}

/// What the summary says.
async fn the_summary_counts_the_dataset(s: Arc<Seeded>) {
    let (d, summary) = (&s.d, &s.summary);
    assert_eq!(
        (
            summary.consultations,
            summary.participants,
            summary.comments,
            summary.polls,
            summary.ballots
        ),
        (
            d.consultations.len(),
            5_000,
            20_000,
            d.polls.len(),
            d.ballots.len()
        )
    );
    assert_eq!(
        summary.decisions,
        d.comments.iter().filter(|c| c.moderation.is_some()).count()
    );
    assert!(summary.ballots > 20_000, "{}", summary.ballots);
}

/// Progress: every phase in order, each from 0 to its total.
async fn progress_reports_every_phase_in_order(s: Arc<Seeded>) {
    let steps = &s.steps;
    let phases: Vec<SeedPhase> = steps.iter().map(|s| s.phase).fold(Vec::new(), |mut v, p| {
        if v.last() != Some(&p) {
            v.push(p);
        }
        v
    });
    assert_eq!(phases, SeedPhase::ALL);
    for phase in SeedPhase::ALL {
        let of: Vec<&SeedProgress> = steps.iter().filter(|s| s.phase == phase).collect();
        assert_eq!(of[0].done, 0, "{phase:?}");
        assert_eq!(of.last().unwrap().done, of[0].total, "{phase:?}");
        assert!(of.windows(2).all(|w| w[0].done <= w[1].done), "{phase:?}");
    }
    let total_of = |phase| steps.iter().find(|s| s.phase == phase).unwrap().total;
    assert_eq!(total_of(SeedPhase::Comments), 20_000);
    assert_eq!(total_of(SeedPhase::Participants), 5_000);
    assert!(
        steps
            .iter()
            .filter(|s| s.phase == SeedPhase::Comments)
            .count()
            > 3,
        "comments report progress in steps"
    );
}

/// The demo staff log in with the passwords given.
async fn the_demo_staff_log_in(s: Arc<Seeded>) {
    let (t, summary) = (&s.t, &s.summary);
    let admin = login(t, DEMO_ADMIN, &options().admin_password).await;
    assert_eq!(admin["role"], "admin");
    assert_eq!(
        login(t, DEMO_OPERATOR, &options().staff_password).await["role"],
        "operator"
    );
    for m in DEMO_MODERATORS {
        assert_eq!(
            login(t, m, &options().staff_password).await["role"],
            "moderator"
        );
    }
    assert_eq!(summary.staff[0], (DEMO_ADMIN.to_owned(), Role::Admin));
}

/// Consultations: states, times and comment counts; the scheduler has nothing old to announce.
async fn consultations_read_back_as_generated(s: Arc<Seeded>) {
    let (t, d, summary, now) = (&s.t, &s.d, &s.summary, s.now);
    let listed = all_pages(t, "/consultations", &t.operator).await;
    assert_eq!(listed.len(), d.consultations.len());
    let mut per_consultation = vec![0i64; d.consultations.len()];
    for c in &d.comments {
        per_consultation[c.consultation] += 1;
    }
    for (i, (c, got)) in d.consultations.iter().zip(&listed).enumerate() {
        assert_eq!(got["id"], summary.ids.consultations[i]);
        assert_eq!(got["title_fa"], c.consultation.title_fa.trim());
        assert_eq!(
            got["status"],
            c.status.as_str(),
            "{}",
            c.consultation.title_en
        );
        assert_eq!(
            got["comment_count"], per_consultation[i],
            "{}",
            c.consultation.title_en
        );
        assert_eq!(time(&got["published_at"]), c.published_at.map(ms));
        assert_eq!(
            time(&got["closed_early_at"]),
            c.closed_early.as_ref().map(|e| ms(e.at))
        );
        assert_eq!(
            got["closed_early_reason"].as_str(),
            c.closed_early.as_ref().map(|e| e.reason.as_str())
        );
        assert_eq!(
            time(&got["report_published_at"]),
            c.report_published_at.map(ms)
        );
        assert_eq!(
            got["short_window_reason"].as_str(),
            c.consultation.short_window_reason.as_deref()
        );
    }
    // The scheduler has nothing old to announce.
    assert_eq!(
        t.store().announce_status_changes(now).await.unwrap(),
        vec![]
    );
}

/// Deadlines: each state shows its flags.
async fn deadlines_show_each_states_flags(s: Arc<Seeded>) {
    let (t, d, summary, now) = (&s.t, &s.d, &s.summary, s.now);
    let deadlines = t.ok("GET", "/deadlines", Some(&t.operator), None).await;
    let items = deadlines["items"].as_array().unwrap();
    assert_eq!(items.len(), d.consultations.len());
    for (i, c) in d.consultations.iter().enumerate() {
        let item = items
            .iter()
            .find(|it| it["consultation_id"] == summary.ids.consultations[i])
            .unwrap();
        let flags: Vec<&str> = item["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        let n = &c.consultation;
        let mut expected = Vec::new();
        if c.status == ConsultationStatus::Closed
            && c.report_published_at.is_none()
            && now > c.effective_close() + Duration::days(30)
        {
            expected.push("report_overdue");
        }
        if c.status == ConsultationStatus::Open && n.closes_at - now <= Duration::days(3) {
            expected.push("closing_soon");
        }
        if n.closes_at - n.opens_at < Duration::days(30) {
            expected.push("short_window");
        }
        if n.title_en.trim().is_empty() || n.summary_en.trim().is_empty() {
            expected.push("missing_translation");
        }
        assert_eq!(flags, expected, "{:?}", c.state);
        let must = match c.state {
            DeadlineState::OpenClosingSoon => Some("closing_soon"),
            DeadlineState::OpenShortWindow => Some("short_window"),
            DeadlineState::MissingTranslation => Some("missing_translation"),
            DeadlineState::ReportOverdue => Some("report_overdue"),
            _ => None,
        };
        if let Some(flag) = must {
            assert!(flags.contains(&flag), "{:?}: {flags:?}", c.state);
        }
        if matches!(
            c.state,
            DeadlineState::ClosedAwaitingReport
                | DeadlineState::ReportPublished
                | DeadlineState::OpenPlentyOfTime
        ) {
            assert!(flags.is_empty(), "{:?}: {flags:?}", c.state);
        }
    }
}

/// The moderation queue: exactly the undecided comments are pending.
async fn the_queue_holds_exactly_the_undecided(s: Arc<Seeded>) {
    let (t, d, summary) = (&s.t, &s.d, &s.summary);
    let pending = all_pages(t, "/comments?status=pending", &t.moderator).await;
    let undecided: Vec<i64> = d
        .comments
        .iter()
        .enumerate()
        .filter(|(_, c)| c.moderation.is_none())
        .map(|(i, _)| summary.ids.comments[i])
        .collect();
    assert_eq!(
        pending
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        undecided
    );
    for status in ["approved", "rejected", "hidden"] {
        let n = d
            .comments
            .iter()
            .filter(|c| {
                c.moderation
                    .as_ref()
                    .is_some_and(|m| m.action.resulting_status().as_str() == status)
            })
            .count();
        assert_eq!(
            all_pages(t, &format!("/comments?status={status}"), &t.moderator)
                .await
                .len(),
            n,
            "{status}"
        );
    }
}

/// A sample of comments, exactly as generated.
async fn a_sample_of_comments_reads_back_exactly(s: Arc<Seeded>) {
    let (t, d, summary) = (&s.t, &s.d, &s.summary);
    for i in (0..d.comments.len()).step_by(997) {
        let c = &d.comments[i];
        let got = t
            .ok(
                "GET",
                &format!("/comments/{}", summary.ids.comments[i]),
                Some(&t.moderator),
                None,
            )
            .await;
        assert_eq!(got["body"], c.body.as_str());
        assert_eq!(
            got["consultation_id"],
            summary.ids.consultations[c.consultation]
        );
        assert_eq!(
            got["participant"]["id"],
            summary.ids.participants[c.participant]
        );
        assert_eq!(
            got["parent_id"].as_i64(),
            c.parent.map(|p| summary.ids.comments[p])
        );
        assert_eq!(got["is_proposal"], c.is_proposal);
        assert_eq!(
            got["article"]["number"].as_u64().map(|n| n as u32),
            c.article
        );
        assert_eq!(time(&got["created_at"]), Some(ms(c.created_at)));
        match &c.moderation {
            None => assert!(got.get("decision").is_none_or(Value::is_null)),
            Some(m) => {
                assert_eq!(got["decision"]["decided_by"], m.decided_by);
                assert_eq!(got["decision"]["reason_code"].as_str(), m.reason_code);
                assert_eq!(got["decision"]["action"], m.action.as_str());
            }
        }
    }
}

/// Campaign groups: one group per campaign, as large as the dataset's own count.
async fn campaign_groups_are_as_large_as_generated(s: Arc<Seeded>) {
    let (t, d, summary) = (&s.t, &s.d, &s.summary);
    let mut group_sizes: HashMap<(usize, String), i64> = HashMap::new();
    for c in &d.comments {
        *group_sizes
            .entry((c.consultation, normalize_for_duplicates(&c.body)))
            .or_default() += 1;
    }
    let mut campaigns: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, c) in d.comments.iter().enumerate() {
        if let CommentSource::Campaign(n) = c.source {
            campaigns.entry(n).or_default().push(i);
        }
    }
    assert!(campaigns.len() >= 3);
    for members in campaigns.values() {
        let first = &d.comments[members[0]];
        let size = group_sizes[&(first.consultation, normalize_for_duplicates(&first.body))];
        assert!(size >= members.len() as i64);
        let got = t
            .ok(
                "GET",
                &format!("/comments/{}", summary.ids.comments[members[0]]),
                Some(&t.moderator),
                None,
            )
            .await;
        assert_eq!(got["duplicate_group_size"], size);
        let group = got["duplicate_group_id"].as_i64().unwrap();
        let listed = all_pages(
            t,
            &format!("/comments?duplicate_group_id={group}"),
            &t.moderator,
        )
        .await;
        assert_eq!(listed.len() as i64, size);
        for i in members {
            assert!(listed.iter().any(|c| c["id"] == summary.ids.comments[*i]));
        }
    }
    assert_eq!(summary.duplicate_groups, group_sizes.len());
}

/// Tallies equal a count over the dataset's ballots, in total and by every breakdown.
async fn tallies_equal_a_count_over_the_ballots(s: Arc<Seeded>) {
    let (t, d, summary) = (&s.t, &s.d, &s.summary);
    for (p, poll) in d.polls.iter().enumerate() {
        let id = summary.ids.polls[p];
        let options = &summary.ids.poll_options[p];
        let served = t
            .ok("GET", &format!("/polls/{id}"), Some(&t.operator), None)
            .await;
        let served_options: Vec<i64> = served["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_i64().unwrap())
            .collect();
        assert_eq!(&served_options, options);
        assert_eq!(served["kind"], poll.poll.kind.as_str());
        let ballots: Vec<_> = d.ballots.iter().filter(|b| b.poll == p).collect();
        assert_eq!(served["total_ballots"], ballots.len());
        type Cells = BTreeMap<i64, i64>;
        type Bucket<'a> = dyn Fn(&demo::DemoBallot) -> String + Sync + 'a;
        let count = |pick: &Bucket| -> BTreeMap<String, (i64, Cells)> {
            let mut out: BTreeMap<String, (i64, Cells)> = BTreeMap::new();
            for b in &ballots {
                let e = out
                    .entry(pick(b))
                    .or_insert_with(|| (0, options.iter().map(|o| (*o, 0)).collect()));
                e.0 += 1;
                for o in &b.options {
                    *e.1.get_mut(&options[*o]).unwrap() += 1;
                }
            }
            out
        };
        let read = |v: &Value| -> (i64, Cells) {
            (
                v["ballots"].as_i64().unwrap(),
                v["counts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| {
                        (
                            c["option_id"].as_i64().unwrap(),
                            c["count"].as_i64().unwrap(),
                        )
                    })
                    .collect(),
            )
        };
        let person = |b: &demo::DemoBallot| &d.participants[b.participant].participant;
        let breakdowns: [(&str, &Bucket); 4] = [
            ("age_band", &|b| {
                age_band(person(b).birth_year, b.cast_at).to_owned()
            }),
            ("gender", &|b| {
                person(b)
                    .gender
                    .map_or("unknown", |g| g.as_str())
                    .to_owned()
            }),
            ("province", &|b| {
                person(b)
                    .province
                    .map_or("unknown", |p| p.code())
                    .to_owned()
            }),
            ("category", &|b| person(b).category.as_str().to_owned()),
        ];
        let total = count(&|_| String::new())
            .remove("")
            .unwrap_or_else(|| (0, options.iter().map(|o| (*o, 0)).collect()));
        for (by, pick) in breakdowns {
            let tally = t
                .ok(
                    "GET",
                    &format!("/polls/{id}/tally?by={by}"),
                    Some(&t.operator),
                    None,
                )
                .await;
            assert_eq!(read(&tally), total, "poll {p} total");
            let groups: BTreeMap<String, (i64, Cells)> = tally["groups"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| (g["key"].as_str().unwrap().to_owned(), read(g)))
                .collect();
            assert_eq!(groups, count(pick), "poll {p} by {by}");
            let turnout: i64 = tally["turnout"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["ballots"].as_i64().unwrap())
                .sum();
            assert_eq!(turnout, ballots.len() as i64);
        }
        // Withheld fields land in the `unknown` buckets.
        let tally = t
            .ok(
                "GET",
                &format!("/polls/{id}/tally?by=gender"),
                Some(&t.operator),
                None,
            )
            .await;
        assert!(
            tally["groups"]
                .as_array()
                .unwrap()
                .iter()
                .any(|g| g["key"] == "unknown"),
            "poll {p}"
        );
    }
}

/// Draft texts: recognised into articles, bilingual, readable by staff and (published) the
/// public; the consultations without a text have none.
async fn the_drafts_read_back_as_imported(s: Arc<Seeded>) {
    let (t, d, summary) = (&s.t, &s.d, &s.summary);
    assert_eq!(summary.drafts, d.drafts.len());
    assert!(d.drafts.len() >= 2);
    for (i, id) in summary.ids.consultations.iter().enumerate() {
        let (status, draft) = t
            .call(
                "GET",
                &mosharekat_api::paths::public_consultation_document(*id),
                None,
                None,
            )
            .await;
        match d.drafts.iter().find(|x| x.consultation == i) {
            Some(demo) => {
                assert_eq!(status, reqwest::StatusCode::OK, "{draft}");
                let articles = draft["articles"].as_array().unwrap();
                assert!(articles.len() >= 5, "{draft}");
                assert!(articles.iter().all(|a| a["text_en"].is_string()));
                assert_eq!(draft["version"], 1);
                assert_eq!(draft["format"], demo.format.as_str());
                assert_eq!(time(&draft["imported_at"]), Some(ms(demo.imported_at)));
            }
            None => assert_eq!(status, reqwest::StatusCode::NOT_FOUND, "{draft}"),
        }
    }
}

/// The audit chain holds the seeded history and verifies; the test's own three accounts follow.
async fn the_audit_chain_verifies(s: Arc<Seeded>) {
    let (t, d, summary) = (&s.t, &s.d, &s.summary);
    let verified = t.ok("GET", "/audit/verify", Some(&t.admin), None).await;
    assert_eq!(verified, json!({"entries": summary.audit_entries + 3}));
    let decided = d.comments.iter().filter(|c| c.moderation.is_some()).count();
    assert!(summary.audit_entries > decided + d.consultations.len() + d.polls.len());
}

/// The ranking bill (closed, its report not yet written) has a text, and the comments that point
/// at one of its articles name it: the report generated now lists those articles with the
/// dataset's own counts, most commented first, and its Markdown shows the section.
async fn the_report_shows_the_concerns_per_article(s: Arc<Seeded>) {
    let (t, d, summary) = (&s.t, &s.d, &s.summary);
    let index = d
        .consultations
        .iter()
        .position(|c| c.state == DeadlineState::ClosedAwaitingReport)
        .unwrap();
    assert!(d.drafts.iter().any(|x| x.consultation == index));
    let id = summary.ids.consultations[index];
    // (number) → (comments, approved, approved proposals); the whole draft under None.
    let mut expected: BTreeMap<Option<u32>, (i64, i64, i64)> = BTreeMap::new();
    for c in d.comments.iter().filter(|c| c.consultation == index) {
        let approved = c.moderation.as_ref().is_some_and(|m| {
            m.action.resulting_status() == mosharekat_api::CommentStatus::Approved
        });
        let entry = expected.entry(c.article).or_default();
        entry.0 += 1;
        entry.1 += i64::from(approved);
        entry.2 += i64::from(approved && c.is_proposal);
    }
    let whole = expected.remove(&None).unwrap_or_default();
    let mut articles: Vec<(i64, u32, i64, i64, i64)> = expected
        .into_iter()
        .map(|(n, (all, approved, proposals))| (-all, n.unwrap(), all, approved, proposals))
        .collect();
    articles.sort();
    assert!(articles.len() >= 5, "{articles:?}");
    let report = t
        .ok(
            "POST",
            &mosharekat_api::paths::consultation_report(id),
            Some(&t.operator),
            None,
        )
        .await;
    let got: Vec<(i64, u32, i64, i64, i64)> = report["key_concerns"]["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            assert_eq!(a["article"]["version"], 1);
            assert!(
                a["heading_fa"].is_string() && a["heading_en"].is_string(),
                "{a}"
            );
            let all = a["comments"].as_i64().unwrap();
            (
                -all,
                a["article"]["number"].as_u64().unwrap() as u32,
                all,
                a["approved"].as_i64().unwrap(),
                a["proposals"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, articles);
    let w = &report["key_concerns"]["whole_draft"];
    assert_eq!(
        (
            w["comments"].as_i64(),
            w["approved"].as_i64(),
            w["proposals"].as_i64()
        ),
        (Some(whole.0), Some(whole.1), Some(whole.2))
    );
    let md = t
        .http
        .get(t.url(&format!(
            "{}?format=md",
            mosharekat_api::paths::consultation_report(id)
        )))
        .bearer_auth(&t.operator)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(md.contains("### نگرانی‌ها به تفکیک ماده") && md.contains("### Concerns per article"));
}

/// Publishing the draft without English fails as the dataset intends.
async fn publishing_the_draft_without_english_fails(s: Arc<Seeded>) {
    let (t, d, summary) = (&s.t, &s.d, &s.summary);
    let missing = d
        .consultations
        .iter()
        .position(|c| c.state == DeadlineState::MissingTranslation)
        .unwrap();
    let (status, err) = t
        .call(
            "POST",
            &format!(
                "/consultations/{}/publish",
                summary.ids.consultations[missing]
            ),
            Some(&t.operator),
            None,
        )
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("missing_translation")
        )
    );
}

/// Live writes carry on after the imported ids.
async fn live_writes_carry_on_after_the_imported_ids(s: Arc<Seeded>) {
    let (t, d, summary) = (&s.t, &s.d, &s.summary);
    let open = d
        .consultations
        .iter()
        .position(|c| c.state == DeadlineState::OpenPlentyOfTime)
        .unwrap();
    let citizen = t.participant("تازه‌وارد").await;
    let comment = t
        .comment(
            summary.ids.consultations[open],
            &citizen,
            "نظری پس از بارگذاری نمونه",
        )
        .await;
    assert_eq!(comment, summary.ids.comments.last().unwrap() + 1);
    let fresh = t.open_consultation().await;
    assert_eq!(fresh, summary.ids.consultations.last().unwrap() + 1);
}

/// The demo's moderators work the seeded queue.
async fn the_demo_moderators_work_the_seeded_queue(s: Arc<Seeded>) {
    let (t, d, summary) = (&s.t, &s.d, &s.summary);
    let moderator = login(t, DEMO_MODERATORS[0], &options().staff_password).await;
    let claim = t
        .ok(
            "POST",
            "/queue/claim",
            moderator["token"].as_str(),
            Some(json!({"limit": 25})),
        )
        .await;
    let claimed = claim["items"].as_array().unwrap();
    assert_eq!(claimed.len(), 25);
    let first_undecided = d
        .comments
        .iter()
        .position(|c| c.moderation.is_none())
        .unwrap();
    assert_eq!(claimed[0]["id"], summary.ids.comments[first_undecided]);
}

async fn seeding_is_all_or_nothing(backend: Backend) {
    let small = DemoConfig {
        participants: 80,
        comments: 300,
        seed: 11,
    };
    let (t, d, summary, _) = seeded(backend, small).await;
    let count = || async { all_pages(&t, "/consultations", &t.operator).await.len() };
    assert_eq!(count().await, d.consultations.len());
    let audit_before = t.ok("GET", "/audit/verify", Some(&t.admin), None).await;

    // Into a database that holds a demo already: refused, nothing written.
    let progress: Arc<Mutex<Vec<SeedProgress>>> = Arc::default();
    let sink = progress.clone();
    let again = demo::seed(t.store().as_ref(), &d, &options(), &mut move |p| {
        sink.lock().unwrap().push(p)
    })
    .await;
    assert!(again.unwrap_err().to_string().contains("new database"));
    assert_eq!(count().await, d.consultations.len());
    assert_eq!(
        t.ok("GET", "/audit/verify", Some(&t.admin), None).await,
        audit_before
    );

    // Passwords too short: refused before anything is touched.
    let db = TestDb::new(backend).await;
    let store = mosharekat_server::store::connect(&db.url, EventBus::new())
        .await
        .unwrap();
    let weak = SeedOptions {
        admin_password: "short".into(),
        ..options()
    };
    assert!(
        demo::seed(store.as_ref(), &d, &weak, &mut |_| {})
            .await
            .unwrap_err()
            .to_string()
            .contains("admin password")
    );
    // A staff account already named like a demo account: refused, nothing written.
    store
        .create_staff(
            DEMO_OPERATOR,
            support::password_hash(),
            Role::Operator,
            &mosharekat_server::store::Actor::system(),
            Utc::now(),
        )
        .await
        .unwrap();
    let err = demo::seed(store.as_ref(), &d, &options(), &mut |_| {})
        .await
        .unwrap_err();
    assert!(err.to_string().contains("operator"), "{err}");
    let verified = mosharekat_server::verify_audit(store.as_ref())
        .await
        .unwrap();
    assert_eq!(verified.entries, 1);
    assert!(store.get_participant(1).await.unwrap().is_none());
    // Other staff accounts may exist: seeding a database with only an unrelated account works.
    let db = TestDb::new(backend).await;
    let store = mosharekat_server::store::connect(&db.url, EventBus::new())
        .await
        .unwrap();
    store
        .create_staff(
            "someone.else",
            support::password_hash(),
            Role::Admin,
            &mosharekat_server::store::Actor::system(),
            Utc::now(),
        )
        .await
        .unwrap();
    let other = demo::seed(store.as_ref(), &d, &options(), &mut |_| {})
        .await
        .unwrap();
    assert_eq!(other.ids.consultations, summary.ids.consultations);
    assert!(
        mosharekat_server::verify_audit(store.as_ref())
            .await
            .unwrap()
            .first_broken_id
            .is_none()
    );
}
