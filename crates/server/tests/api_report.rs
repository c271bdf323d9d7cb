//! The comprehensive report over HTTP, on both databases: refused before the deadline; its figures
//! equal a computation this test makes by itself from the data it sent (participants by age band,
//! gender, province and category with the "not stated" bucket and every cell under 5 shown as
//! "<5", turnout per Tehran day, concern tags with examples, campaigns, frequent terms, poll
//! results with the same breakdowns, decisions); the four formats (HTML right to left with an
//! English left-to-right section); publication (public copy, `report_overdue` cleared, who and
//! when, one message per participant).
//!
//! The scenario is built in fixtures ([`Scenario`], and [`Reported`] once the report is generated);
//! each part of the report is checked by a function of its own, and the checks of the first draft
//! all run on one scenario even when some fail, so one wrong figure does not hide the others.

mod support;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::panic::AssertUnwindSafe;

use chrono::{DateTime, Datelike, Duration, Utc};
use futures::FutureExt;
use futures::future::BoxFuture;
use mosharekat_api::{Category, Channel, Gender, Language, NewParticipant, Province, paths};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Backend, TestServer};

/// A participant as this test registered them.
#[derive(Debug, Clone)]
struct Person {
    token: String,
    birth_year: Option<i32>,
    gender: Option<&'static str>,
    province: Option<&'static str>,
    category: &'static str,
    channel: bool,
}

#[derive(Debug, Clone)]
struct Sent {
    id: i64,
    who: usize,
    body: String,
    day: i64,
    proposal: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Approve(&'static [&'static str]),
    Reject,
    Hide,
    Pending,
}

/// Deterministic pseudo-random choices (a 64-bit LCG).
struct Lcg(u64);

impl Lcg {
    fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        from[((self.0 >> 33) % from.len() as u64) as usize]
    }
}

/// The age band of a birth year in a year: the test's own table of the protocol's bands.
fn band(birth_year: Option<i32>, year: i32) -> &'static str {
    match birth_year.map(|b| year - b) {
        None => "unknown",
        Some(a) if a < 0 => "unknown",
        Some(0..=17) => "under_18",
        Some(18..=24) => "18_24",
        Some(25..=34) => "25_34",
        Some(35..=44) => "35_44",
        Some(45..=54) => "45_54",
        Some(55..=64) => "55_64",
        Some(_) => "65_plus",
    }
}

const AGE_KEYS: [&str; 8] = [
    "under_18", "18_24", "25_34", "35_44", "45_54", "55_64", "65_plus", "unknown",
];
const GENDER_KEYS: [&str; 4] = ["female", "male", "other", "unknown"];
const CATEGORY_KEYS: [&str; 5] = [
    "scientific_elite",
    "ngo",
    "private_sector",
    "public",
    "unknown",
];

fn province_keys() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = Province::ALL.iter().map(|p| p.code()).collect();
    keys.push("unknown");
    keys
}

/// How a count of people is published.
fn published(n: i64) -> Value {
    if n < 5 { json!("<5") } else { json!(n) }
}

/// `[{key, count}]` over `keys` from true counts.
fn cells(keys: &[&str], counts: &HashMap<String, i64>) -> Value {
    Value::Array(
        keys.iter()
            .map(|k| json!({"key": k, "count": published(counts.get(*k).copied().unwrap_or(0))}))
            .collect(),
    )
}

fn count_by(keys: impl IntoIterator<Item = String>) -> HashMap<String, i64> {
    let mut map = HashMap::new();
    for k in keys {
        *map.entry(k).or_insert(0) += 1;
    }
    map
}

/// Terms of a text as the report defines them: Arabic yeh/kaf as Persian, Persian digits as ASCII,
/// Latin lower case, split at anything not a letter or digit, no stop words, numbers or one-letter
/// pieces; each once.
fn terms(text: &str, stop: &HashSet<&str>) -> Vec<String> {
    let folded: String = text
        .chars()
        .map(|c| match c {
            'ي' => 'ی',
            'ك' => 'ک',
            '۰'..='۹' => char::from_digit(c as u32 - '۰' as u32, 10).unwrap(),
            c => c.to_ascii_lowercase(),
        })
        .collect();
    let mut seen = HashSet::new();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| !stop.contains(w))
        .filter(|w| seen.insert(w.to_string()))
        .map(str::to_owned)
        .collect()
}

/// The Tehran calendar day of an instant.
fn tehran_day(at: DateTime<Utc>) -> String {
    (at + Duration::minutes(210)).date_naive().to_string()
}

/// Who voted (an index into the people), their last choice, when they first voted and when they
/// last did.
type Ballot = (usize, i64, DateTime<Utc>, DateTime<Utc>);

/// The consultation as the participants and moderators left it: forty people (the first three
/// from Yazd, a cell of three; the last two never take part), three days of comments, proposals,
/// a campaign of six copies and ballots, then moderation. Still open.
struct Scenario {
    t: TestServer,
    c: i64,
    poll_id: i64,
    options: Vec<i64>,
    people: Vec<Person>,
    sent: Vec<Sent>,
    ballots: Vec<Ballot>,
    fates: HashMap<i64, Fate>,
}

const CAMPAIGN_COPIES: [&str; 6] = [
    "مدارس ما به معلم بیشتری نیاز دارند",
    "مدارس ما به معلم بيشتري نياز دارند",
    "مدارس  ما به معلم بیشتری نیاز دارند",
    "مدارس ما به معلم بیشتری  نیاز دارند.",
    "مدارس ما به معلم بیشتری نیاز دارند",
    "مدارس ما به معلم بيشتری نیاز دارند",
];

impl Scenario {
    async fn collected(backend: Backend) -> Scenario {
        let t = TestServer::start(backend).await;
        // Work at Tehran noon, so that a few seconds of work never straddle a Tehran midnight.
        let local_ms = (t.now() + Duration::minutes(210)).timestamp_millis();
        t.clock().advance(Duration::milliseconds(
            (43_200_000 - local_ms.rem_euclid(86_400_000)).rem_euclid(86_400_000),
        ));
        let c = t.open_consultation().await;
        let tags = json!([
            {"code": "fees", "label_fa": "شهریه", "label_en": "Fees"},
            {"code": "teachers", "label_fa": "معلمان", "label_en": "Teachers"},
            {"code": "safety", "label_fa": "ایمنی", "label_en": "Safety"}
        ]);
        t.ok(
            "PUT",
            &paths::consultation_tags(c),
            Some(&t.operator),
            Some(tags),
        )
        .await;
        let poll = t
            .ok("POST", &paths::consultation_polls(c), Some(&t.operator),
                Some(json!({"kind": "yes_no_abstain", "question_fa": "با سقف شهریه موافقید؟", "question_en": "Do you agree with a fee cap?"})))
            .await;
        let poll_id = poll["id"].as_i64().unwrap();
        let options: Vec<i64> = poll["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_i64().unwrap())
            .collect();

        // Forty people; the first three from Yazd (a cell of 3); the last two never take part.
        let mut rng = Lcg(5);
        let mut people = Vec::new();
        for i in 0..40 {
            let person = Person {
                token: String::new(),
                birth_year: rng.pick(&[
                    None,
                    Some(2012),
                    Some(2003),
                    Some(1995),
                    Some(1988),
                    Some(1979),
                    Some(1958),
                ]),
                gender: rng.pick(&[
                    None,
                    Some("female"),
                    Some("male"),
                    Some("female"),
                    Some("other"),
                ]),
                province: if i < 3 {
                    Some("yazd")
                } else {
                    rng.pick(&[None, Some("tehran"), Some("isfahan"), Some("fars")])
                },
                category: CATEGORY_KEYS[i % 4],
                channel: i % 3 == 0,
            };
            // Verified: they vote.
            let registration = serde_json::to_value(NewParticipant {
                display_name: format!("شهروند {i}"),
                category: Category::ALL[i % 4],
                birth_year: person.birth_year,
                gender: person.gender.and_then(Gender::from_code),
                province: person.province.and_then(Province::from_code),
                channel: person.channel.then_some(Channel::Bale),
                handle: person.channel.then(|| format!("@citizen{i}")),
                consent: true,
                name_public: false,
                language: if i % 5 == 0 {
                    Language::En
                } else {
                    Language::Fa
                },
            })
            .unwrap();
            let token = t
                .register_verified(&support::next_phone(), registration)
                .await
                .token;
            if person.channel {
                t.link_bale_chat(&token, &format!("{}", 9_000 + i)).await;
            }
            people.push(Person { token, ..person });
        }

        // Three days of comments and ballots.
        let words = [
            "شهریه",
            "معلم",
            "کلاس",
            "کتاب",
            "سرویس",
            "ایمنی",
            "امتحان",
            "بودجه",
        ];
        let mut sent: Vec<Sent> = Vec::new();
        let mut ballots: Vec<Ballot> = Vec::new();
        let mut fates: HashMap<i64, Fate> = HashMap::new();
        for day in 0..3i64 {
            if day > 0 {
                t.clock().advance(Duration::days(1));
            }
            if day == 0 {
                // The first comment is hostile markup, and a tag's example: every format shows it.
                let body = "<script>alert('x')</script> شهریه | # عنوان".to_owned();
                let id = t.comment(c, &people[1].token, &body).await;
                fates.insert(id, Fate::Approve(&["fees"]));
                sent.push(Sent {
                    id,
                    who: 1,
                    body,
                    day,
                    proposal: false,
                });
            }
            let commenters: Vec<usize> = match day {
                0 => (0..20).collect(),
                1 => (15..30).collect(),
                _ => vec![],
            };
            for who in commenters {
                let n = sent.len();
                let body = format!(
                    "{} {} در {} و {} بند {n}",
                    words[n % 8],
                    words[(n / 8 + 3) % 8],
                    words[(n * 3 + 1) % 8],
                    words[(n + 5) % 8]
                );
                let proposal = day == 0 && who < 3;
                let (_, v) = t
                    .call(
                        "POST",
                        &paths::public_consultation_comments(c),
                        Some(&people[who].token),
                        Some(json!({"body": body, "is_proposal": proposal})),
                    )
                    .await;
                let id = v["id"].as_i64().unwrap();
                let fate = if proposal {
                    Fate::Approve(&[])
                } else if n % 11 == 3 {
                    Fate::Reject
                } else if n % 13 == 5 {
                    Fate::Hide
                } else if n % 17 == 7 {
                    Fate::Pending
                } else {
                    match n % 4 {
                        0 => Fate::Approve(&["fees"]),
                        1 => Fate::Approve(&["teachers"]),
                        2 => Fate::Approve(&["fees", "safety"]),
                        _ => Fate::Approve(&[]),
                    }
                };
                fates.insert(id, fate);
                sent.push(Sent {
                    id,
                    who,
                    body,
                    day,
                    proposal,
                });
            }
            if day == 1 {
                for (k, copy) in CAMPAIGN_COPIES.iter().enumerate() {
                    let who = 30 + k;
                    let id = t.comment(c, &people[who].token, copy).await;
                    fates.insert(id, Fate::Approve(&["safety"]));
                    sent.push(Sent {
                        id,
                        who,
                        body: copy.to_string(),
                        day,
                        proposal: false,
                    });
                }
            }
            let voters: Vec<usize> = match day {
                1 => (20..36).collect(),
                2 => (33..38).collect(),
                _ => vec![],
            };
            for who in voters {
                let option = options[who % 3];
                let at = t.now();
                t.ok(
                    "POST",
                    &paths::public_poll_ballots(poll_id),
                    Some(&people[who].token),
                    Some(json!({"option_ids": [option]})),
                )
                .await;
                // A voter who votes again replaces the ballot: counted once, with the last choice
                // and the demographic buckets of that moment, on the day of the first vote.
                match ballots.iter_mut().find(|b| b.0 == who) {
                    Some(b) => {
                        b.1 = option;
                        b.3 = at;
                    }
                    None => ballots.push((who, option, at, at)),
                }
            }
        }

        // Moderation, grouped by what is decided.
        let mut groups: BTreeMap<String, (Fate, Vec<i64>)> = BTreeMap::new();
        for s in &sent {
            let fate = fates[&s.id];
            groups
                .entry(format!("{fate:?}"))
                .or_insert((fate, Vec::new()))
                .1
                .push(s.id);
        }
        for (fate, ids) in groups.values() {
            match fate {
                Fate::Approve(tags) => t.approve(ids, tags).await,
                Fate::Reject | Fate::Hide => {
                    let (action, reason) = if *fate == Fate::Reject {
                        ("reject", "spam")
                    } else {
                        ("hide", "offensive")
                    };
                    t.ok(
                        "POST",
                        paths::COMMENTS_BULK_DECISION,
                        Some(&t.moderator),
                        Some(json!({"ids": ids, "action": action, "reason_code": reason})),
                    )
                    .await;
                }
                Fate::Pending => {}
            }
        }
        Scenario {
            t,
            c,
            poll_id,
            options,
            people,
            sent,
            ballots,
            fates,
        }
    }

    fn report_path(&self) -> String {
        paths::consultation_report(self.c)
    }

    fn public_path(&self) -> String {
        paths::public_consultation_report(self.c)
    }

    /// The ids of the three proposals, in the order they were sent.
    fn proposals(&self) -> Vec<i64> {
        self.sent
            .iter()
            .filter(|s| s.proposal)
            .map(|s| s.id)
            .collect()
    }

    fn fate(&self, s: &Sent) -> Fate {
        self.fates[&s.id]
    }

    fn approved(&self) -> Vec<&Sent> {
        self.sent
            .iter()
            .filter(|s| matches!(self.fate(s), Fate::Approve(_)))
            .collect()
    }

    /// Everyone who commented or voted, in index order.
    fn took_part(&self) -> Vec<usize> {
        let mut took_part: Vec<usize> = self
            .sent
            .iter()
            .map(|s| s.who)
            .chain(self.ballots.iter().map(|b| b.0))
            .collect();
        took_part.sort_unstable();
        took_part.dedup();
        took_part
    }

    /// The first approved copy of the campaign.
    fn campaign_first(&self) -> i64 {
        self.sent
            .iter()
            .find(|s| s.body == CAMPAIGN_COPIES[0])
            .unwrap()
            .id
    }
}

/// The scenario closed, its three proposals answered (accepted, partially, rejected) and those
/// answers published, and the first report draft generated.
struct Reported {
    s: Scenario,
    /// The first draft, as generation answered it.
    report: Value,
    closed_at: DateTime<Utc>,
}

impl Reported {
    async fn new(backend: Backend) -> Reported {
        let s = Scenario::collected(backend).await;
        let (t, c) = (&s.t, s.c);
        t.close(c).await;
        for (id, outcome) in
            s.proposals()
                .iter()
                .zip(["accepted", "partially_accepted", "rejected"])
        {
            t.ok(
                "PUT",
                &paths::proposal_decision(*id),
                Some(&t.operator),
                Some(
                    json!({"version": 0, "outcome": outcome, "rationale_fa": format!("دلیل {id}"),
                    "rationale_en": format!("Reason {id}"), "legal_basis": "ماده ۷"}),
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
        let closed_at: DateTime<Utc> = serde_json::from_value(
            t.ok("GET", &paths::consultation(c), Some(&t.operator), None)
                .await["closed_early_at"]
                .clone(),
        )
        .unwrap();
        let report = t
            .ok("POST", &s.report_path(), Some(&t.operator), None)
            .await;
        Reported {
            s,
            report,
            closed_at,
        }
    }

    /// The latest draft in a format: status, content type and text.
    async fn fetch(&self, format: &str) -> (StatusCode, Option<String>, String) {
        let t = &self.s.t;
        let resp = t
            .http
            .get(t.url(&format!("{}?format={format}", self.s.report_path())))
            .bearer_auth(&t.operator)
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let content_type = resp
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned());
        (status, content_type, resp.text().await.unwrap())
    }
}

both!(
    no_report_before_the_deadline,
    the_first_draft,
    publication_and_a_new_draft,
    concerns_per_article
);

/// A check of one part of the first draft.
type Check = for<'a> fn(&'a Reported) -> BoxFuture<'a, ()>;

/// Every check runs on the same scenario (building it is most of this file's run time), each on
/// its own: a failing check prints its message and the others still run; the test then fails
/// with the names of all that failed.
async fn run_checks(r: &Reported, checks: &[(&str, Check)]) {
    let mut failed = Vec::new();
    for (name, check) in checks {
        if AssertUnwindSafe(check(r)).catch_unwind().await.is_err() {
            failed.push(*name);
        }
    }
    assert!(failed.is_empty(), "failed checks: {failed:?}");
}

/// The first draft's figures, each part checked against this file's own computation, and its
/// four formats.
async fn the_first_draft(backend: Backend) {
    let r = Reported::new(backend).await;
    run_checks(
        &r,
        &[
            ("the_first_draft_is_unpublished", |r| {
                Box::pin(the_first_draft_is_unpublished(r))
            }),
            ("participants_by_group_with_small_cells_hidden", |r| {
                Box::pin(participants_by_group_with_small_cells_hidden(r))
            }),
            ("no_published_count_of_people_is_under_five", |r| {
                Box::pin(no_published_count_of_people_is_under_five(r))
            }),
            ("comment_counts", |r| Box::pin(comment_counts(r))),
            ("turnout_per_tehran_day", |r| {
                Box::pin(turnout_per_tehran_day(r))
            }),
            ("concern_tags_with_their_examples", |r| {
                Box::pin(concern_tags_with_their_examples(r))
            }),
            ("the_campaign_and_its_first_copy", |r| {
                Box::pin(the_campaign_and_its_first_copy(r))
            }),
            ("frequent_terms", |r| Box::pin(frequent_terms(r))),
            ("the_poll_overall_and_by_breakdown", |r| {
                Box::pin(the_poll_overall_and_by_breakdown(r))
            }),
            ("decisions_on_the_proposals", |r| {
                Box::pin(decisions_on_the_proposals(r))
            }),
            ("json_format", |r| Box::pin(json_format(r))),
            ("html_format", |r| Box::pin(html_format(r))),
            ("markdown_format", |r| Box::pin(markdown_format(r))),
            ("csv_format", |r| Box::pin(csv_format(r))),
            ("an_unknown_format_is_refused", |r| {
                Box::pin(an_unknown_format_is_refused(r))
            }),
        ],
    )
    .await;
}

/// Publication a month after the close, then a new draft published again (they follow on from
/// each other, so they run in order on one scenario).
async fn publication_and_a_new_draft(backend: Backend) {
    let r = Reported::new(backend).await;
    let published_at = publication(&r).await;
    a_new_draft_stays_private_until_published(&r, published_at).await;
}

/// The rule does not depend on the data: an open consultation without any will do.
async fn no_report_before_the_deadline(backend: Backend) {
    let t = TestServer::start(backend).await;
    let report_path = paths::consultation_report(t.open_consultation().await);
    let (status, e) = t.call("POST", &report_path, Some(&t.operator), None).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("consultation_not_closed")),
        "{e}"
    );
    let (status, _) = t.call("GET", &report_path, Some(&t.operator), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn the_first_draft_is_unpublished(r: &Reported) {
    let Reported { report, .. } = r;
    assert_eq!(report["version"], 1);
    assert_eq!(report["generated_by"], "operator1");
    assert!(report.get("published_at").is_none());
}

async fn participants_by_group_with_small_cells_hidden(r: &Reported) {
    let Reported {
        s,
        report,
        closed_at,
    } = r;
    let took_part = s.took_part();
    assert_eq!(took_part.len(), 38, "the last two never took part");
    let year = closed_at.year();
    let ps = &report["participants"];
    assert_eq!(ps["total"], took_part.len() as i64);
    assert_eq!(ps["verified"], took_part.len() as i64);
    let of = |f: &dyn Fn(&Person) -> String| count_by(took_part.iter().map(|i| f(&s.people[*i])));
    assert_eq!(
        ps["by_age_band"],
        cells(&AGE_KEYS, &of(&|p| band(p.birth_year, year).into()))
    );
    assert_eq!(
        ps["by_gender"],
        cells(&GENDER_KEYS, &of(&|p| p.gender.unwrap_or("unknown").into()))
    );
    assert_eq!(
        ps["by_province"],
        cells(
            &province_keys(),
            &of(&|p| p.province.unwrap_or("unknown").into())
        )
    );
    assert_eq!(
        ps["by_category"],
        cells(&CATEGORY_KEYS, &of(&|p| p.category.into()))
    );
    // The cell of three people from Yazd is published as "<5", and still counted in the total.
    let yazd = ps["by_province"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "yazd")
        .unwrap();
    assert_eq!(yazd["count"], "<5");
    assert_eq!(of(&|p| p.province.unwrap_or("unknown").into())["yazd"], 3);
}

async fn no_published_count_of_people_is_under_five(r: &Reported) {
    let Reported { report, .. } = r;
    fn small_numbers(v: &Value, path: &str, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if ["count", "ballots", "participants"].contains(&k.as_str())
                        && x.as_i64().is_some_and(|n| n < 5)
                    {
                        out.push(format!("{path}.{k}"));
                    }
                    small_numbers(x, &format!("{path}.{k}"), out);
                }
            }
            Value::Array(a) => a
                .iter()
                .enumerate()
                .for_each(|(i, x)| small_numbers(x, &format!("{path}[{i}]"), out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    small_numbers(&report["participants"], "participants", &mut found);
    small_numbers(&report["polls"], "polls", &mut found);
    assert!(found.is_empty(), "exact small counts: {found:?}");
    for day in report["turnout"].as_array().unwrap() {
        let people = &day["participants"];
        assert!(people == "<5" || people.as_i64().unwrap() >= 5, "{day}");
    }
}

async fn comment_counts(r: &Reported) {
    let Reported { s, report, .. } = r;
    let count_fate =
        |f: &dyn Fn(Fate) -> bool| s.sent.iter().filter(|x| f(s.fate(x))).count() as i64;
    assert_eq!(
        report["comments"],
        json!({
            "total": s.sent.len(),
            "approved": s.approved().len(),
            "rejected": count_fate(&|f| f == Fate::Reject),
            "hidden": count_fate(&|f| f == Fate::Hide),
            "pending": count_fate(&|f| f == Fate::Pending),
            "proposals": 3,
        })
    );
}

async fn turnout_per_tehran_day(r: &Reported) {
    let Reported { s, report, .. } = r;
    let t = &s.t;
    let comment_days: Vec<(String, usize)> = {
        let mut v = Vec::new();
        for sent in &s.sent {
            let comment = t
                .ok("GET", &paths::comment(sent.id), Some(&t.moderator), None)
                .await;
            let at: DateTime<Utc> = serde_json::from_value(comment["created_at"].clone()).unwrap();
            v.push((tehran_day(at), sent.who));
        }
        v
    };
    let ballot_days: Vec<(String, usize)> = s
        .ballots
        .iter()
        .map(|(who, _, first, _)| (tehran_day(*first), *who))
        .collect();
    let mut days: Vec<String> = comment_days
        .iter()
        .chain(&ballot_days)
        .map(|(d, _)| d.clone())
        .collect();
    days.sort();
    days.dedup();
    assert_eq!(days.len(), 3);
    let expected_turnout: Vec<Value> = days
        .iter()
        .map(|d| {
            let comments = comment_days.iter().filter(|(x, _)| x == d).count();
            let ballots = ballot_days.iter().filter(|(x, _)| x == d).count();
            let people: HashSet<usize> = comment_days.iter().chain(&ballot_days).filter(|(x, _)| x == d).map(|(_, w)| *w).collect();
            json!({"day": d, "comments": comments, "ballots": ballots, "participants": published(people.len() as i64)})
        })
        .collect();
    assert_eq!(report["turnout"], Value::Array(expected_turnout));
    assert_eq!(
        s.sent.iter().filter(|x| x.day == 2).count(),
        0,
        "day 3 only had ballots"
    );
}

/// Concern tags: counts over approved comments, most first (the list's order among equals),
/// examples from the largest groups first, then the earliest comments.
async fn concern_tags_with_their_examples(r: &Reported) {
    let Reported { s, report, .. } = r;
    let approved = s.approved();
    let tagged = |code: &str| -> Vec<&Sent> {
        approved
            .iter()
            .copied()
            .filter(|x| matches!(s.fate(x), Fate::Approve(t) if t.contains(&code)))
            .collect()
    };
    let campaign_first = s.campaign_first();
    let mut expected_tags: Vec<(&str, &str, &str, Vec<i64>, i64)> = Vec::new();
    for (code, fa, en) in [
        ("fees", "شهریه", "Fees"),
        ("teachers", "معلمان", "Teachers"),
        ("safety", "ایمنی", "Safety"),
    ] {
        let list = tagged(code);
        let mut singles: Vec<i64> = list
            .iter()
            .filter(|x| !CAMPAIGN_COPIES.contains(&x.body.as_str()))
            .map(|x| x.id)
            .collect();
        singles.sort_unstable();
        let mut examples = Vec::new();
        if list.iter().any(|x| x.id == campaign_first) {
            examples.push(campaign_first);
        }
        examples.extend(singles);
        examples.truncate(3);
        expected_tags.push((code, fa, en, examples, list.len() as i64));
    }
    expected_tags.sort_by_key(|e| std::cmp::Reverse(e.4));
    let got_tags = report["key_concerns"]["tags"].as_array().unwrap();
    assert_eq!(got_tags.len(), 3);
    for (got, (code, fa, en, examples, count)) in got_tags.iter().zip(&expected_tags) {
        assert_eq!(
            (
                got["code"].as_str().unwrap(),
                got["label_fa"].as_str().unwrap(),
                got["label_en"].as_str().unwrap()
            ),
            (*code, *fa, *en)
        );
        assert_eq!(got["count"], *count, "{code}");
        let ids: Vec<i64> = got["examples"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["comment_id"].as_i64().unwrap())
            .collect();
        assert_eq!(&ids, examples, "{code}");
        for e in got["examples"].as_array().unwrap() {
            let body = &s
                .sent
                .iter()
                .find(|x| x.id == e["comment_id"])
                .unwrap()
                .body;
            assert_eq!(
                e["text"],
                body.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
    }
}

/// Campaigns: the one group of six, with its first approved copy.
async fn the_campaign_and_its_first_copy(r: &Reported) {
    let Reported { s, report, .. } = r;
    assert_eq!(
        report["key_concerns"]["campaigns"],
        json!([{
            "group_id": report["key_concerns"]["campaigns"][0]["group_id"],
            "size": 6,
            "excerpt": {"comment_id": s.campaign_first(), "text": CAMPAIGN_COPIES[0]},
        }])
    );
}

/// Frequent terms, by the number of approved comments using them.
async fn frequent_terms(r: &Reported) {
    let Reported { s, report, .. } = r;
    // The stop words that occur in this test's comments.
    let stop: HashSet<&str> = ["در", "و", "به", "ما", "دارند"].into_iter().collect();
    let mut term_counts: HashMap<String, i64> = HashMap::new();
    for x in s.approved() {
        for term in terms(&x.body, &stop) {
            *term_counts.entry(term).or_insert(0) += 1;
        }
    }
    let mut expected_terms: Vec<(String, i64)> = term_counts.into_iter().collect();
    expected_terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    expected_terms.truncate(30);
    let got_terms: Vec<(String, i64)> = report["key_concerns"]["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["term"].as_str().unwrap().to_owned(),
                t["count"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got_terms, expected_terms);
    assert!(
        got_terms.iter().any(|(t, n)| t == "بیشتری" && *n == 6),
        "Arabic yeh folded: {got_terms:?}"
    );
}

/// The poll, overall and by each breakdown (buckets as of each ballot's time).
async fn the_poll_overall_and_by_breakdown(r: &Reported) {
    let Reported { s, report, .. } = r;
    let p = &report["polls"][0];
    assert_eq!(p["poll_id"], s.poll_id);
    assert_eq!(p["ballots"], s.ballots.len() as i64);
    let option_cells = |chosen: &[i64]| -> Value {
        Value::Array(s.options.iter().map(|o| json!({"option_id": o, "count": published(chosen.iter().filter(|c| *c == o).count() as i64)})).collect())
    };
    let all: Vec<i64> = s.ballots.iter().map(|b| b.1).collect();
    assert_eq!(p["counts"], option_cells(&all));
    let breakdown = |keys: &[&str], key_of: &dyn Fn(&Person, DateTime<Utc>) -> String| -> Value {
        Value::Array(
            keys.iter()
                .map(|k| {
                    let chosen: Vec<i64> = s.ballots.iter().filter(|(w, _, _, last)| key_of(&s.people[*w], *last) == *k).map(|b| b.1).collect();
                    json!({"key": k, "ballots": published(chosen.len() as i64), "counts": option_cells(&chosen)})
                })
                .collect(),
        )
    };
    assert_eq!(
        p["by_age_band"],
        breakdown(&AGE_KEYS, &|p, at| band(p.birth_year, at.year()).into())
    );
    assert_eq!(
        p["by_gender"],
        breakdown(&GENDER_KEYS, &|p, _| p.gender.unwrap_or("unknown").into())
    );
    assert_eq!(
        p["by_province"],
        breakdown(&province_keys(), &|p, _| p
            .province
            .unwrap_or("unknown")
            .into())
    );
    assert_eq!(
        p["by_category"],
        breakdown(&CATEGORY_KEYS, &|p, _| p.category.into())
    );
}

async fn decisions_on_the_proposals(r: &Reported) {
    let Reported { s, report, .. } = r;
    let proposals = s.proposals();
    let d = &report["decisions"];
    assert_eq!(
        (
            d["accepted"].as_i64(),
            d["partially_accepted"].as_i64(),
            d["rejected"].as_i64()
        ),
        (Some(1), Some(1), Some(1))
    );
    let decided: Vec<i64> = d["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["proposal_id"].as_i64().unwrap())
        .collect();
    assert_eq!(decided, proposals);
    assert_eq!(
        d["items"][1]["rationale_en"],
        format!("Reason {}", proposals[1])
    );
}

async fn json_format(r: &Reported) {
    let (status, ct, json_text) = r.fetch("json").await;
    assert_eq!(
        (status, ct.as_deref()),
        (StatusCode::OK, Some("application/json"))
    );
    assert_eq!(serde_json::from_str::<Value>(&json_text).unwrap(), r.report);
}

/// HTML: right to left with an English left-to-right section, the hostile comment escaped,
/// self-contained, small cells shown as "<5".
async fn html_format(r: &Reported) {
    let (status, ct, html) = r.fetch("html").await;
    assert_eq!(
        (status, ct.as_deref()),
        (StatusCode::OK, Some("text/html; charset=utf-8"))
    );
    assert!(
        html.starts_with("<!DOCTYPE html>\n<html lang=\"fa\" dir=\"rtl\">"),
        "{}",
        &html[..200]
    );
    let english = html
        .find("<section lang=\"en\" dir=\"ltr\">")
        .expect("an English left-to-right section");
    let persian = html
        .find("<section lang=\"fa\" dir=\"rtl\">")
        .expect("a Persian right-to-left section");
    assert!(persian < english);
    assert!(html[persian..english].contains("گزارش جامع نظرخواهی"));
    assert!(html[english..].contains("Comprehensive consultation report"));
    assert!(
        !html.contains("<script")
            && html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
    );
    assert!(
        !html.contains("src=") && !html.contains("href=\"http"),
        "self-contained"
    );
    assert!(html.contains("<td dir=\"auto\">یزد</td><td dir=\"auto\">&lt;5</td>"));
    assert!(html.contains("<td dir=\"auto\">Yazd</td><td dir=\"auto\">&lt;5</td>"));
}

async fn markdown_format(r: &Reported) {
    let (status, ct, md) = r.fetch("md").await;
    assert_eq!(
        (status, ct.as_deref()),
        (StatusCode::OK, Some("text/markdown; charset=utf-8"))
    );
    assert!(md.starts_with("# گزارش جامع نظرخواهی\n"));
    assert!(md.contains("\n# Comprehensive consultation report\n"));
    assert!(md.contains("| یزد | \\<5 |") && md.contains("| Yazd | \\<5 |"));
    assert!(md.contains("\\<script\\>") && !md.contains("<script>"));
}

async fn csv_format(r: &Reported) {
    let (status, ct, csv) = r.fetch("csv").await;
    assert_eq!(
        (status, ct.as_deref()),
        (StatusCode::OK, Some("text/csv; charset=utf-8"))
    );
    let csv = csv.trim_start_matches('\u{feff}');
    let sections: Vec<&str> = csv.split("\r\n\r\n").collect();
    let province_section = sections
        .iter()
        .find(|s| s.contains("participants_by_province,"))
        .unwrap();
    assert!(province_section.starts_with("table,key,Province,People\r\n"));
    assert!(province_section.contains("\r\nparticipants_by_province,yazd,Yazd,<5\r\n"));
    let total_people: i64 = province_section
        .lines()
        .skip(1)
        .filter_map(|l| l.rsplit(',').next().and_then(|n| n.parse::<i64>().ok()))
        .sum();
    assert!(total_people <= r.s.took_part().len() as i64);
    assert!(
        sections
            .iter()
            .any(|s| s.starts_with("table,Day,Comments,Ballots,Participants\r\n"))
    );
}

async fn an_unknown_format_is_refused(r: &Reported) {
    let (status, _, _) = r.fetch("pdf").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// The flags of this consultation's row in the deadline monitor.
fn flags(deadlines: &Value, c: i64) -> Vec<String> {
    deadlines["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["consultation_id"] == c)
        .unwrap()["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_owned())
        .collect()
}

/// Publishing the report a month after the close: nothing public before, then the public copy,
/// `report_overdue` cleared, who and when, one message per participant with a messenger.
async fn publication(r: &Reported) -> Value {
    let Reported { s, report, .. } = r;
    let (t, c) = (&s.t, s.c);
    let (status, _) = t.call("GET", &s.public_path(), None, None).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "nothing public before publication"
    );
    // A month after the close the report is overdue.
    t.clock().advance(Duration::days(31));
    let deadlines = t.ok("GET", paths::DEADLINES, Some(&t.operator), None).await;
    assert!(flags(&deadlines, c).contains(&"report_overdue".to_owned()));
    let published = t
        .ok(
            "POST",
            &paths::consultation_report_publish(c),
            Some(&t.operator),
            None,
        )
        .await;
    let published_at = published["published_at"].clone();
    assert_eq!(published["published_by"], "operator1");
    assert_eq!(published["version"], 1);
    // One message per participant with a messenger, never to those who did not take part.
    let expected_messages = s
        .took_part()
        .iter()
        .filter(|i| s.people[**i].channel)
        .count() as i64;
    assert_eq!(published["messages"], expected_messages);
    let outbox = t
        .ok(
            "GET",
            &format!("{}?consultation_id={c}&limit=500", paths::OUTBOX),
            Some(&t.operator),
            None,
        )
        .await;
    let report_messages: Vec<&Value> = outbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "report_published")
        .collect();
    assert_eq!(report_messages.len() as i64, expected_messages);
    for m in &report_messages {
        let english = m["language"] == "en";
        assert_eq!(
            m["text"].as_str().unwrap().contains("comprehensive report"),
            english,
            "{m}"
        );
    }

    let deadlines = t.ok("GET", paths::DEADLINES, Some(&t.operator), None).await;
    assert!(!flags(&deadlines, c).contains(&"report_overdue".to_owned()));
    let item = deadlines["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["consultation_id"] == c)
        .unwrap()
        .clone();
    assert_eq!(item["report_published_at"], published_at);
    let (status, public) = t.call("GET", &s.public_path(), None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(public["published_at"], published_at);
    assert_eq!(public["published_by"], "operator1");
    assert_eq!(public["participants"], report["participants"]);
    let resp = t
        .http
        .get(t.url(&format!("{}?format=html", s.public_path())))
        .send()
        .await
        .unwrap();
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("<html lang=\"fa\" dir=\"rtl\">")
    );
    published_at
}

/// A regenerated draft does not change the public report until it is published; publishing it
/// again tells nobody twice, and the first publication date stays the consultation's.
async fn a_new_draft_stays_private_until_published(r: &Reported, published_at: Value) {
    let Reported { s, .. } = r;
    let (t, c) = (&s.t, s.c);
    let publish = paths::consultation_report_publish(c);
    let v2 = t
        .ok("POST", &s.report_path(), Some(&t.operator), None)
        .await;
    assert_eq!(v2["version"], 2);
    assert!(v2.get("published_at").is_none());
    assert_eq!(
        t.ok("GET", &s.public_path(), None, None).await["version"],
        1
    );
    let again = t.ok("POST", &publish, Some(&t.operator), None).await;
    assert_eq!(
        (again["version"].as_i64(), again["messages"].as_i64()),
        (Some(2), Some(0))
    );
    assert_eq!(
        t.ok("GET", &s.public_path(), None, None).await["version"],
        2
    );
    let staff_view = t.ok("GET", &s.report_path(), Some(&t.operator), None).await;
    assert_eq!(staff_view["published_by"], "operator1");
    let consultation = t
        .ok("GET", &paths::consultation(c), Some(&t.operator), None)
        .await;
    assert_eq!(consultation["report_published_at"], published_at);
    let events = t.store().events_after(0, 10_000).await.unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| e.kind.name() == "report.published")
            .count(),
        2
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| e.kind.name() == "report.generated")
            .count(),
        2
    );
}

/// The demo's bilingual Markdown draft: five articles, each with a heading in both languages.
const DRAFT_FA: &str = include_str!("../../demo/drafts/descriptive-assessment.fa.md");
const DRAFT_EN: &str = include_str!("../../demo/drafts/descriptive-assessment.en.md");

/// A CSV field as the report writes it (quoted when it holds a comma or a quote).
fn csv_field(text: &str) -> String {
    if text.contains([',', '"']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// Concerns per article: a consultation with an imported draft revised once; comments on
/// article 3 (a campaign of three, proposals, tags, every outcome), on articles 1 and 5 (as many
/// each: by number), on the draft as a whole, and one on article 3 of version 1 sent after
/// version 2 was imported. The report lists each article in its version with exact counts, in
/// order, with its top tags and examples, and every format shows the section.
async fn concerns_per_article(backend: Backend) {
    let t = TestServer::start(backend).await;
    let c = t.open_consultation().await;
    t.ok(
        "PUT",
        &paths::consultation_tags(c),
        Some(&t.operator),
        Some(json!([
            {"code": "fees", "label_fa": "شهریه", "label_en": "Fees"},
            {"code": "teachers", "label_fa": "معلمان", "label_en": "Teachers"},
            {"code": "safety", "label_fa": "ایمنی", "label_en": "Safety"}
        ])),
    )
    .await;
    let import = |fa: String, en: String| {
        let t = &t;
        async move {
            let (status, v) = t
                .call(
                    "PUT",
                    &paths::consultation_document(c),
                    Some(&t.operator),
                    Some(json!({"text_fa": fa, "text_en": en, "format": "markdown"})),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{v}");
            v
        }
    };
    let v1 = import(DRAFT_FA.to_owned(), DRAFT_EN.to_owned()).await;
    let v2 = import(
        DRAFT_FA.replace("مدیران مدارس", "مدیران و معاونان مدارس"),
        DRAFT_EN.replace("Head teachers are", "Head teachers and their deputies are"),
    )
    .await;
    let article = |v: &Value, number: u32| -> Value {
        v["articles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["number"] == number)
            .unwrap()
            .clone()
    };
    let people: Vec<String> = {
        let mut people = Vec::new();
        for i in 0..12 {
            people.push(t.participant(&format!("شهروند {i}")).await);
        }
        people
    };
    let send = |who: usize, body: &str, article_id: Option<&Value>, proposal: bool| {
        let (t, token) = (&t, people[who].clone());
        let mut request = json!({"body": body, "is_proposal": proposal});
        if let Some(id) = article_id {
            request["article_id"] = id.clone();
        }
        async move {
            let (status, v) = t
                .call(
                    "POST",
                    &paths::public_consultation_comments(c),
                    Some(&token),
                    Some(request),
                )
                .await;
            assert_eq!(status, StatusCode::ACCEPTED, "{v}");
            v["id"].as_i64().unwrap()
        }
    };
    let (a1, a3, a5) = (article(&v2, 1), article(&v2, 3), article(&v2, 5));
    let a3_v1 = article(&v1, 3);

    // Article 5 first, so that its comments have the lower ids: the order is not by id.
    let on_5 = [
        send(0, "مسئولیت اجرا روشن نیست", Some(&a5["id"]), false).await,
        send(1, "ناظر اجرا باید مستقل باشد", Some(&a5["id"]), false).await,
    ];
    let campaign = "سه ابزار برای معلمان پایه اول زیاد است";
    let campaign_ids = [
        send(2, campaign, Some(&a3["id"]), false).await,
        send(3, campaign, Some(&a3["id"]), false).await,
        send(4, campaign, Some(&a3["id"]), false).await,
    ];
    let proposal = send(
        5,
        "پیشنهاد: پوشهٔ کار به دو نمونه در هر ماه محدود شود",
        Some(&a3["id"]),
        true,
    )
    .await;
    let tagged = send(
        6,
        "سیاههٔ ارزیابی در کلاس\n\nشلوغ   عملی نیست",
        Some(&a3["id"]),
        false,
    )
    .await;
    let rejected = send(7, "تبلیغ", Some(&a3["id"]), false).await;
    // Left pending: received, not approved.
    let _pending = send(8, "هنوز بررسی نشده", Some(&a3["id"]), false).await;
    let on_1 = [
        send(9, "هدف دستورالعمل خوب است", Some(&a1["id"]), false).await,
        send(10, "هدف را با سند تحول هماهنگ کنید", Some(&a1["id"]), false).await,
    ];
    let whole = [
        t.comment(c, &people[0], "کل پیش‌نویس دقیق است").await,
        t.comment(c, &people[1], "پیش‌نویس به زبان ساده‌تری نیاز دارد")
            .await,
        t.comment(c, &people[2], "ناسزا").await,
    ];
    // Written on version 1's article 3 after version 2 came out (the page was still open).
    let on_old = send(
        11,
        "ابزارها در نسخهٔ قبل بهتر بود",
        Some(&a3_v1["id"]),
        false,
    )
    .await;

    t.approve(&campaign_ids, &["fees"]).await;
    t.approve(&[proposal], &["fees", "teachers"]).await;
    t.approve(&[tagged], &["safety"]).await;
    t.approve(&on_5, &[]).await;
    t.approve(&[on_1[0]], &["teachers"]).await;
    t.approve(&[on_1[1]], &[]).await;
    t.approve(&whole[..2], &["safety"]).await;
    t.approve(&[on_old], &["safety"]).await;
    for (ids, action, reason) in [
        ([rejected], "reject", "spam"),
        ([whole[2]], "hide", "offensive"),
    ] {
        t.ok(
            "POST",
            paths::COMMENTS_BULK_DECISION,
            Some(&t.moderator),
            Some(json!({"ids": ids, "action": action, "reason_code": reason})),
        )
        .await;
    }
    t.close(c).await;
    let report = t
        .ok(
            "POST",
            &paths::consultation_report(c),
            Some(&t.operator),
            None,
        )
        .await;

    let excerpt = |id: i64, body: &str| json!({"comment_id": id, "text": body.split_whitespace().collect::<Vec<_>>().join(" ")});
    let tag = |code: &str, fa: &str, en: &str, count: i64| json!({"code": code, "label_fa": fa, "label_en": en, "count": count});
    let fees = |n| tag("fees", "شهریه", "Fees", n);
    let teachers = |n| tag("teachers", "معلمان", "Teachers", n);
    let safety = |n| tag("safety", "ایمنی", "Safety", n);
    let row = |a: &Value, version: i64, counts: (i64, i64, i64), tags: Value, examples: Value| {
        json!({
            "article": {"article_id": a["id"], "number": a["number"], "label": a["label"],
                "version": version},
            "heading_fa": a["heading_fa"],
            "heading_en": a["heading_en"],
            "comments": counts.0, "approved": counts.1, "proposals": counts.2,
            "tags": tags,
            "examples": examples,
        })
    };
    assert_eq!(a3["heading_fa"], "ابزارهای ارزشیابی");
    assert_eq!(a3["heading_en"], "Assessment tools");
    let expected = json!([
        // Seven comments, five approved: the campaign (3, fees), a proposal (fees, teachers),
        // one on safety; a rejected and a pending one count as received only. Examples: the
        // campaign's first copy, then the earliest others.
        row(
            &a3,
            2,
            (7, 5, 1),
            json!([fees(4), teachers(1), safety(1)]),
            json!([
                excerpt(campaign_ids[0], campaign),
                excerpt(
                    proposal,
                    "پیشنهاد: پوشهٔ کار به دو نمونه در هر ماه محدود شود"
                ),
                excerpt(tagged, "سیاههٔ ارزیابی در کلاس\n\nشلوغ   عملی نیست"),
            ])
        ),
        // Two each: article 1 before article 5.
        row(
            &a1,
            2,
            (2, 2, 0),
            json!([teachers(1)]),
            json!([
                excerpt(on_1[0], "هدف دستورالعمل خوب است"),
                excerpt(on_1[1], "هدف را با سند تحول هماهنگ کنید"),
            ])
        ),
        row(
            &a5,
            2,
            (2, 2, 0),
            json!([]),
            json!([
                excerpt(on_5[0], "مسئولیت اجرا روشن نیست"),
                excerpt(on_5[1], "ناظر اجرا باید مستقل باشد"),
            ])
        ),
        // Version 1's article 3: a row of its own, in its version.
        row(
            &a3_v1,
            1,
            (1, 1, 0),
            json!([safety(1)]),
            json!([excerpt(on_old, "ابزارها در نسخهٔ قبل بهتر بود"),])
        ),
    ]);
    assert_eq!(report["key_concerns"]["articles"], expected);
    assert_eq!(
        report["key_concerns"]["whole_draft"],
        json!({"comments": 3, "approved": 2, "proposals": 0, "tags": [safety(2)],
            "examples": [excerpt(whole[0], "کل پیش‌نویس دقیق است"),
                excerpt(whole[1], "پیش‌نویس به زبان ساده‌تری نیاز دارد")]})
    );
    // The report's overall counts agree: every comment is on one article or on the whole draft.
    let per_part: i64 = expected
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["comments"].as_i64().unwrap())
        .sum::<i64>()
        + 3;
    assert_eq!(report["comments"]["total"], per_part);

    let fetch = |format: &'static str| {
        let t = &t;
        async move {
            let resp = t
                .http
                .get(t.url(&format!(
                    "{}?format={format}",
                    paths::consultation_report(c)
                )))
                .bearer_auth(&t.operator)
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), StatusCode::OK);
            resp.text().await.unwrap()
        }
    };
    // Markdown: the section in both languages, the article rows in the reader's digits (the
    // citizen text escaped), the whole draft last.
    let md = fetch("md").await;
    let fa_section = md
        .find("### نگرانی‌ها به تفکیک ماده\n")
        .expect("the Persian section");
    let en_section = md
        .find("### Concerns per article\n")
        .expect("the English section");
    assert!(fa_section < en_section);
    assert!(md.contains(
        "| مادهٔ ۳ | ۲ | ابزارهای ارزشیابی | ۷ | ۵ | ۱ | شهریه \\(۴\\)، معلمان \\(۱\\)، ایمنی \\(۱\\) | «سه ابزار"
    ), "{}", &md[fa_section..en_section]);
    assert!(md.contains("| مادهٔ ۳ | ۱ | ابزارهای ارزشیابی | ۱ | ۱ | ۰ | ایمنی \\(۱\\) | «ابزارها"));
    assert!(md.contains("| کل پیش‌نویس |  |  | ۳ | ۲ | ۰ | ایمنی \\(۲\\) | «کل"));
    assert!(md.contains(
        "| Article 3 | 2 | Assessment tools | 7 | 5 | 1 | Fees \\(4\\), Teachers \\(1\\), Safety \\(1\\) |"
    ));
    assert!(md.contains("| Article 1 | 2 | Purpose | 2 | 2 | 0 | Teachers \\(1\\) |"));
    assert!(md.contains("| The draft as a whole |  |  | 3 | 2 | 0 | Safety \\(2\\) |"));
    assert!(md[en_section..].contains("12 comments named an article of the draft \\(4 articles\\) and 3 were about the draft as a whole."));
    // HTML: the same table, Persian digits in the Persian section.
    let html = fetch("html").await;
    assert_eq!(html.matches("<table data-table=\"articles\">").count(), 2);
    assert!(html.contains(
        "<td dir=\"auto\">مادهٔ ۵</td><td dir=\"auto\">۲</td><td dir=\"auto\">اجرا</td><td dir=\"auto\">۲</td><td dir=\"auto\">۲</td><td dir=\"auto\">۰</td><td dir=\"auto\"></td>"
    ));
    assert!(
        html.contains("<h3>نگرانی‌ها به تفکیک ماده</h3>")
            && html.contains("<h3>Concerns per article</h3>")
    );
    // CSV: one section, with the article ids, in the order of the report.
    let csv = fetch("csv").await;
    let section = csv
        .trim_start_matches('\u{feff}')
        .split("\r\n\r\n")
        .find(|s| s.starts_with("table,article id,"))
        .expect("the articles section")
        .to_owned();
    let lines: Vec<&str> = section.lines().collect();
    assert_eq!(
        lines[0],
        "table,article id,Article,Version,Heading,Comments,Approved,Proposals,Topics,Examples"
    );
    let first = format!(
        "articles,{},Article 3,2,Assessment tools,7,5,1,{},{}",
        a3["id"],
        csv_field("Fees (4), Teachers (1), Safety (1)"),
        csv_field(&format!(
            "«{campaign}» «پیشنهاد: پوشهٔ کار به دو نمونه در هر ماه محدود شود» «سیاههٔ ارزیابی در کلاس شلوغ عملی نیست»"
        )),
    );
    assert_eq!(lines[1], first);
    let ids: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    let a = |v: &Value| v["id"].to_string();
    assert_eq!(ids, [a(&a3), a(&a1), a(&a5), a(&a3_v1), String::new()]);
    assert!(lines[5].starts_with("articles,,The draft as a whole,,,3,2,0,Safety (2),"));
}
