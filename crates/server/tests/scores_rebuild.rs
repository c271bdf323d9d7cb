//! Property: after any sequence of comments (campaign copies and repeats included), moderation
//! decisions and their reversals, ballots (replaced ones too), and published decisions on
//! proposals, `rebuild_scores` (what `mosharekat scores rebuild` runs) reproduces the live scores
//! exactly — every contribution and every total — on SQLite and PostgreSQL.
//!
//! One server per database; each case works in a consultation of its own, and the comparison
//! covers the whole database (earlier cases included). Each case compares twice: while its
//! consultation is open, and after its answers are published and some decisions reversed.

mod support;

use mosharekat_api::paths;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::json;
use support::{Backend, TestServer};

#[derive(Debug, Clone)]
enum Op {
    /// A participant sends one of a few texts (so copies and repeats happen).
    Comment {
        author: usize,
        text: usize,
        proposal: bool,
    },
    /// A decision on the n-th comment so far (a revision when it was decided before).
    Decide { comment: usize, action: usize },
    /// A ballot, cast or replaced.
    Ballot {
        author: usize,
        poll: usize,
        option: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..4usize, 0..3usize, any::<bool>()).prop_map(|(author, text, proposal)| Op::Comment { author, text, proposal }),
        4 => (0..64usize, 0..3usize).prop_map(|(comment, action)| Op::Decide { comment, action }),
        2 => (0..4usize, 0..2usize, 0..2usize).prop_map(|(author, poll, option)| Op::Ballot { author, poll, option }),
    ]
}

#[derive(Debug, Clone)]
struct Case {
    ops: Vec<Op>,
    /// Outcomes of the proposals' decisions, in proposal order (cycled).
    outcomes: Vec<usize>,
    /// Decisions after publication.
    reversals: Vec<(usize, usize)>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(op(), 1..30),
        prop::collection::vec(0..3usize, 1..4),
        prop::collection::vec((0..64usize, 0..3usize), 0..4),
    )
        .prop_map(|(ops, outcomes, reversals)| Case {
            ops,
            outcomes,
            reversals,
        })
}

const TEXTS: [&str; 3] = [
    "شهریه مدارس نباید افزایش یابد",
    "ماده ۴ به زبان ساده بازنویسی شود",
    "مهلت ثبت‌نام یک ماه تمدید شود",
];
const ACTIONS: [&str; 3] = ["approve", "reject", "hide"];
const OUTCOMES: [&str; 3] = ["accepted", "partially_accepted", "rejected"];

async fn decide(t: &TestServer, id: i64, action: usize) {
    let action = ACTIONS[action];
    let mut body = json!({"action": action});
    if action != "approve" {
        body["reason_code"] = "offensive".into();
    }
    let current = t
        .ok("GET", &paths::comment(id), Some(&t.moderator), None)
        .await;
    if current["status"] == "pending" {
        body["ids"] = json!([id]);
        t.ok(
            "POST",
            paths::COMMENTS_BULK_DECISION,
            Some(&t.moderator),
            Some(body),
        )
        .await;
    } else {
        t.ok(
            "POST",
            &paths::comment_decision(id),
            Some(&t.moderator),
            Some(body),
        )
        .await;
    }
}

/// One case's consultation: two polls (their ids and option ids), four participants, and the
/// comments sent so far.
struct CaseRun<'t> {
    t: &'t TestServer,
    consultation: i64,
    polls: Vec<(i64, Vec<i64>)>,
    people: Vec<String>,
    comments: Vec<i64>,
}

impl<'t> CaseRun<'t> {
    /// An open consultation of its own with a yes/no/abstain and a Likert poll, and four people
    /// (named after case `n`, so cases never share one).
    async fn start(t: &'t TestServer, n: usize) -> Self {
        let consultation = t.open_consultation().await;
        let mut polls = Vec::new();
        for kind in ["yes_no_abstain", "likert_5"] {
            let poll = t
                .ok(
                    "POST",
                    &paths::consultation_polls(consultation),
                    Some(&t.operator),
                    Some(json!({"kind": kind, "question_fa": "پرسش"})),
                )
                .await;
            let options: Vec<i64> = poll["options"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["id"].as_i64().unwrap())
                .collect();
            polls.push((poll["id"].as_i64().unwrap(), options));
        }
        let mut people = Vec::new();
        for i in 0..4 {
            people.push(t.participant(&format!("Case {n} person {i}")).await);
        }
        CaseRun {
            t,
            consultation,
            polls,
            people,
            comments: Vec::new(),
        }
    }

    async fn apply(&mut self, op: &Op) {
        let t = self.t;
        match *op {
            Op::Comment {
                author,
                text,
                proposal,
            } => {
                let id = t
                    .ok(
                        "POST",
                        &paths::public_consultation_comments(self.consultation),
                        Some(&self.people[author]),
                        Some(json!({"body": TEXTS[text], "is_proposal": proposal})),
                    )
                    .await["id"]
                    .as_i64()
                    .unwrap();
                self.comments.push(id);
            }
            Op::Decide { comment, action } => self.decide(comment, action).await,
            Op::Ballot {
                author,
                poll,
                option,
            } => {
                let (poll, options) = &self.polls[poll];
                t.ok(
                    "POST",
                    &paths::public_poll_ballots(*poll),
                    Some(&self.people[author]),
                    Some(json!({"option_ids": [options[option]]})),
                )
                .await;
            }
        }
    }

    /// A decision on the `comment`-th comment so far (cycled; nothing when there is none).
    async fn decide(&self, comment: usize, action: usize) {
        if !self.comments.is_empty() {
            decide(self.t, self.comments[comment % self.comments.len()], action).await;
        }
    }

    /// Close, answer every approved proposal with the case's outcomes (cycled), publish.
    async fn answer_and_publish(&self, outcomes: &[usize]) {
        let (t, c) = (self.t, self.consultation);
        t.close(c).await;
        let proposals = t
            .ok(
                "GET",
                &paths::consultation_proposals(c),
                Some(&t.operator),
                None,
            )
            .await;
        for (i, p) in proposals["items"].as_array().unwrap().iter().enumerate() {
            let id = p["comment"]["id"].as_i64().unwrap();
            t.ok(
                "PUT",
                &paths::proposal_decision(id),
                Some(&t.operator),
                Some(
                    json!({"version": 0, "outcome": OUTCOMES[outcomes[i % outcomes.len()]],
                    "rationale_fa": "دلیل", "rationale_en": "Reason"}),
                ),
            )
            .await;
        }
        t.ok(
            "POST",
            &paths::consultation_decisions_publish(c),
            Some(&t.operator),
            None,
        )
        .await;
    }
}

/// Rebuild the scores and compare them with the live ones (the whole database); `stage` names
/// the point of the case in the failure.
async fn check_rebuild(t: &TestServer, stage: &str) -> Result<(), TestCaseError> {
    let live = t.store().score_snapshot().await.unwrap();
    t.store().rebuild_scores().await.unwrap();
    let rebuilt = t.store().score_snapshot().await.unwrap();
    prop_assert_eq!(&live.totals, &rebuilt.totals, "totals {}", stage);
    prop_assert_eq!(live, rebuilt, "contributions {}", stage);
    Ok(())
}

async fn run_case(t: &TestServer, n: usize, case: &Case) -> Result<(), TestCaseError> {
    let mut run = CaseRun::start(t, n).await;
    for op in &case.ops {
        run.apply(op).await;
    }
    // While the consultation is open: comments, moderation and ballots only. Live scoring goes on
    // from the rebuilt scores, as after `mosharekat scores rebuild` on a running system.
    check_rebuild(t, "after comments, decisions and ballots").await?;
    run.answer_and_publish(&case.outcomes).await;
    // Then change some decisions again.
    for &(comment, action) in &case.reversals {
        run.decide(comment, action).await;
    }
    check_rebuild(t, "after published answers and reversals").await
}

fn rebuild_reproduces_live_scores(backend: Backend) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let t = runtime.block_on(TestServer::start(backend));
    let mut runner = TestRunner::new(Config {
        cases: 8,
        max_shrink_iters: 32,
        ..Config::default()
    });
    let n = std::sync::atomic::AtomicUsize::new(0);
    runner
        .run(&case(), |case| {
            let n = n.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            runtime.block_on(run_case(&t, n, &case))
        })
        .unwrap();
}

#[test]
fn sqlite_rebuild_reproduces_live_scores() {
    rebuild_reproduces_live_scores(Backend::Sqlite);
}

#[test]
fn postgres_rebuild_reproduces_live_scores() {
    rebuild_reproduces_live_scores(Backend::Postgres);
}
