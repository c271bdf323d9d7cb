//! Participants, polls, ballots and tallies over HTTP. Every tally is checked against a count the
//! test makes itself over the ballots it cast.

mod support;

use mosharekat_api::paths;
use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Backend, TestServer, consultation_json};

both!(
    registration_rules,
    staff_see_only_what_a_participant_gave,
    invalid_polls_are_refused_and_not_stored,
    polls_are_created_listed_and_shown,
    who_may_create_polls_and_where,
    ballots_and_tallies_match_an_independent_count,
    refused_ballots_change_nothing,
    tally_errors,
    ballots_wait_for_the_opening,
    a_drafts_poll_is_not_found,
    an_early_close_refuses_ballots_and_keeps_those_cast,
    the_clocks_close_refuses_ballots,
    one_participant_casting_at_once_keeps_one_ballot
);

async fn register(t: &TestServer, body: Value) -> (StatusCode, Value) {
    t.call("POST", paths::PUBLIC_PARTICIPANTS, None, Some(body))
        .await
}

/// A registration with only what is required.
fn minimal_registration() -> Value {
    json!({"display_name": "مریم", "category": "public", "consent": true})
}

/// Refused registrations store nothing; the edges of what is accepted.
async fn registration_rules(backend: Backend) {
    let t = TestServer::start(backend).await;
    let year = t.now().year();
    let minimal = minimal_registration();
    let (status, first) = register(&t, minimal.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let first_id = first["participant_id"].as_i64().unwrap();
    assert_eq!(first["token"].as_str().unwrap().len(), 64);

    let with = |patch: Value| {
        let mut body = minimal.clone();
        for (k, v) in patch.as_object().unwrap() {
            if v.is_null() {
                body.as_object_mut().unwrap().remove(k);
            } else {
                body[k] = v.clone();
            }
        }
        body
    };
    let refused: Vec<(Value, &str)> = vec![
        (with(json!({"consent": false})), "consent_required"),
        (with(json!({"consent": null})), "validation_failed"),
        (with(json!({"display_name": ""})), "validation_failed"),
        (with(json!({"display_name": "   "})), "validation_failed"),
        (
            with(json!({"display_name": "ن".repeat(101)})),
            "validation_failed",
        ),
        (with(json!({"display_name": "a\u{0}b"})), "invalid_text"),
        (with(json!({"category": null})), "validation_failed"),
        (with(json!({"category": "alien"})), "validation_failed"),
        (with(json!({"birth_year": 1800})), "validation_failed"),
        (with(json!({"birth_year": year - 121})), "validation_failed"),
        (with(json!({"birth_year": year + 1})), "validation_failed"),
        (with(json!({"birth_year": "1990"})), "validation_failed"),
        (with(json!({"gender": "x"})), "validation_failed"),
        (with(json!({"province": "atlantis"})), "validation_failed"),
        (with(json!({"province": "Tehran"})), "validation_failed"),
        (with(json!({"channel": "bale"})), "validation_failed"),
        (
            with(json!({"channel": "bale", "handle": "  "})),
            "validation_failed",
        ),
        (with(json!({"handle": "@maryam"})), "validation_failed"),
        (
            with(json!({"channel": "telegram", "handle": "@maryam"})),
            "validation_failed",
        ),
        (
            with(json!({"channel": "webhook", "handle": "maryam"})),
            "validation_failed",
        ),
        (
            with(json!({"channel": "eitaa", "handle": "h".repeat(201)})),
            "validation_failed",
        ),
        (with(json!({"language": "de"})), "validation_failed"),
    ];
    for (body, code) in refused {
        let (status, err) = register(&t, body.clone()).await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(code)),
            "{body}"
        );
    }

    // Every field filled in, and the edges of what is accepted.
    let accepted = [
        with(
            json!({"birth_year": year - 120, "gender": "other", "province": "sistan_baluchestan",
            "channel": "bale", "handle": "@maryam", "name_public": true, "language": "en",
            "category": "scientific_elite"}),
        ),
        with(
            json!({"birth_year": year, "channel": "webhook", "handle": "https://example.org/hook"}),
        ),
        with(json!({"display_name": "ن".repeat(100), "category": "private_sector"})),
    ];
    for (i, body) in accepted.iter().enumerate() {
        let (status, created) = register(&t, body.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{body}: {created}");
        // Refused registrations stored nothing: the ids run on without a gap.
        assert_eq!(
            created["participant_id"].as_i64().unwrap(),
            first_id + 1 + i as i64
        );
    }
}

/// What staff see of a participant who withheld everything, and of one who gave everything.
async fn staff_see_only_what_a_participant_gave(backend: Backend) {
    let t = TestServer::start(backend).await;
    let (status, first) = register(&t, minimal_registration()).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let id = t.open_consultation().await;
    let withheld = first["token"].as_str().unwrap();
    let c = t.comment(id, withheld, "نظر بی‌نام").await;
    let seen = t
        .ok("GET", &paths::comment(c), Some(&t.moderator), None)
        .await;
    assert_eq!(seen["participant"]["age_band"], "unknown");
    assert_eq!(seen["participant"]["category"], "public");
    assert!(
        seen["participant"].get("gender").is_none()
            && seen["participant"].get("province").is_none()
    );
    assert!(
        seen["participant"].get("handle").is_none() && seen["participant"].get("token").is_none()
    );
    let full = t.participant("Ali").await;
    let c = t.comment(id, &full, "نظر").await;
    let seen = t
        .ok("GET", &paths::comment(c), Some(&t.moderator), None)
        .await;
    assert_eq!(seen["participant"]["gender"], "female");
    assert_eq!(seen["participant"]["province"], "isfahan");
}

async fn invalid_polls_are_refused_and_not_stored(backend: Backend) {
    let t = TestServer::start(backend).await;
    let id = t.open_consultation().await;
    let path = paths::consultation_polls(id);
    let refused: Vec<(Value, &str)> = vec![
        (
            json!({"kind": "yes_no_abstain", "question_fa": "موافقید؟", "options": [option("آری", "Yes"), option("نه", "No")]}),
            "validation_failed",
        ),
        (
            json!({"kind": "likert_5", "question_fa": "رضایت؟", "options": [option("۱", "1"), option("۲", "2")]}),
            "validation_failed",
        ),
        (
            json!({"kind": "single_choice", "question_fa": "کدام؟"}),
            "validation_failed",
        ),
        (
            json!({"kind": "single_choice", "question_fa": "کدام؟", "options": [option("الف", "A")]}),
            "validation_failed",
        ),
        (
            json!({"kind": "multiple_choice", "question_fa": "کدام‌ها؟", "options": [option("الف", "A")]}),
            "validation_failed",
        ),
        (
            json!({"kind": "single_choice", "question_fa": "کدام؟", "options": [option("الف", "A"), option(" ", "B")]}),
            "validation_failed",
        ),
        (
            json!({"kind": "yes_no_abstain", "question_fa": "  "}),
            "validation_failed",
        ),
        (
            json!({"kind": "ranked", "question_fa": "کدام؟"}),
            "validation_failed",
        ),
        (json!({"question_fa": "کدام؟"}), "validation_failed"),
    ];
    for (body, code) in refused {
        let (status, err) = t
            .call("POST", &path, Some(&t.operator), Some(body.clone()))
            .await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(code)),
            "{body}"
        );
    }
    assert_eq!(
        t.ok("GET", &path, Some(&t.operator), None).await,
        json!([]),
        "refused polls were stored"
    );
}

/// One option of a poll, labelled in Persian and English.
fn option(fa: &str, en: &str) -> Value {
    json!({"label_fa": fa, "label_en": en})
}

async fn polls_are_created_listed_and_shown(backend: Backend) {
    let t = TestServer::start(backend).await;
    let id = t.open_consultation().await;
    let path = paths::consultation_polls(id);
    let yes_no = t.ok("POST", &path, Some(&t.operator), Some(json!({"kind": "yes_no_abstain", "question_fa": "موافقید؟", "question_en": "Agree?"}))).await;
    let labels = |p: &Value| {
        p["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["label_en"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(labels(&yes_no), ["Yes", "No", "Abstain"]);
    assert_eq!(yes_no["kind"], "yes_no_abstain");
    assert_eq!(yes_no["total_ballots"], 0);
    let likert = t
        .ok(
            "POST",
            &path,
            Some(&t.admin),
            Some(json!({"kind": "likert_5", "question_fa": "رضایت شما؟"})),
        )
        .await;
    assert_eq!(likert["kind"], "likert_5");
    assert_eq!(labels(&likert).len(), 5);
    let multi = t
        .ok(
            "POST",
            &path,
            Some(&t.operator),
            Some(json!({"kind": "multiple_choice", "question_fa": "کدام‌ها؟",
            "options": [option(" الف ", "A"), option("ب", "B")]})),
        )
        .await;
    assert_eq!(multi["options"][0]["label_fa"], "الف", "labels are trimmed");
    // Listed, staff and public side, in creation order.
    let listed = t.ok("GET", &path, Some(&t.operator), None).await;
    let ids: Vec<&Value> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["id"])
        .collect();
    assert_eq!(ids, [&yes_no["id"], &likert["id"], &multi["id"]]);
    assert_eq!(
        t.ok("GET", &paths::public_consultation_polls(id), None, None)
            .await,
        listed
    );
    assert_eq!(
        t.ok(
            "GET",
            &paths::poll(multi["id"].as_i64().unwrap()),
            Some(&t.operator),
            None
        )
        .await,
        multi
    );
}

/// Who may create a poll, and where.
async fn who_may_create_polls_and_where(backend: Backend) {
    let t = TestServer::start(backend).await;
    let id = t.open_consultation().await;
    let path = paths::consultation_polls(id);
    let body = json!({"kind": "yes_no_abstain", "question_fa": "موافقید؟"});
    let (status, _) = t
        .call("POST", &path, Some(&t.moderator), Some(body.clone()))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = t
        .call(
            "POST",
            &paths::consultation_polls(999_999),
            Some(&t.operator),
            Some(body.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    t.ok(
        "POST",
        &paths::consultation_close(id),
        Some(&t.admin),
        Some(json!({"reason": "پایان زودهنگام"})),
    )
    .await;
    let (status, err) = t.call("POST", &path, Some(&t.operator), Some(body)).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("invalid_state"))
    );
    // A draft's polls are not public.
    let now = t.now();
    let draft = t
        .ok(
            "POST",
            paths::CONSULTATIONS,
            Some(&t.operator),
            Some(consultation_json(now, now + Duration::days(40))),
        )
        .await;
    let (status, _) = t
        .call(
            "GET",
            &paths::public_consultation_polls(draft["id"].as_i64().unwrap()),
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// A participant the test registers, with the buckets the test expects them in.
struct Voter {
    token: String,
    age_band: &'static str,
    gender: &'static str,
    province: &'static str,
    category: &'static str,
}

/// Registers participants covering every age band, each withheld field, and all categories.
/// Ages sit mid-band so that a year boundary during the test cannot move anyone.
async fn voters(t: &TestServer) -> Vec<Voter> {
    let year = t.now().year();
    // (age, expected band, gender, province, category)
    type Spec = (
        Option<i32>,
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        &'static str,
    );
    let specs: [Spec; 12] = [
        (
            Some(12),
            "under_18",
            Some("female"),
            Some("tehran"),
            "public",
        ),
        (Some(21), "18_24", Some("male"), Some("tehran"), "public"),
        (Some(30), "25_34", Some("female"), Some("fars"), "ngo"),
        (Some(40), "35_44", None, Some("fars"), "scientific_elite"),
        (Some(50), "45_54", Some("other"), None, "private_sector"),
        (Some(60), "55_64", Some("male"), Some("gilan"), "public"),
        (Some(70), "65_plus", Some("female"), Some("tehran"), "ngo"),
        (None, "unknown", None, None, "public"),
        (None, "unknown", Some("male"), Some("isfahan"), "public"),
        (Some(30), "25_34", None, None, "scientific_elite"),
        (
            Some(21),
            "18_24",
            Some("female"),
            Some("ilam"),
            "private_sector",
        ),
        (Some(40), "35_44", Some("male"), None, "ngo"),
    ];
    let mut out = Vec::new();
    for (i, (age, band, gender, province, category)) in specs.into_iter().enumerate() {
        let mut body = json!({"display_name": format!("شرکت‌کننده {i}"), "category": category, "consent": true});
        if let Some(age) = age {
            body["birth_year"] = json!(year - age);
        }
        if let Some(g) = gender {
            body["gender"] = json!(g);
        }
        if let Some(p) = province {
            body["province"] = json!(p);
        }
        // Only verified participants vote.
        let created = t.register_verified(&support::next_phone(), body).await;
        assert!(created.verified);
        out.push(Voter {
            token: created.token,
            age_band: band,
            gender: gender.unwrap_or("unknown"),
            province: province.unwrap_or("unknown"),
            category,
        });
    }
    out
}

/// Counts per option and per bucket, as the test expects them.
#[derive(Debug, Default, PartialEq)]
struct Expected {
    ballots: i64,
    counts: BTreeMap<i64, i64>,
}

fn count<'a>(options: &[i64], ballots: impl Iterator<Item = &'a Vec<i64>>) -> Expected {
    let mut e = Expected {
        counts: options.iter().map(|o| (*o, 0)).collect(),
        ..Default::default()
    };
    for chosen in ballots {
        e.ballots += 1;
        for o in chosen {
            *e.counts.get_mut(o).unwrap() += 1;
        }
    }
    e
}

fn read(ballots: &Value, counts: &Value) -> Expected {
    Expected {
        ballots: ballots.as_i64().unwrap(),
        counts: counts
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
    }
}

/// Compare the server's tally of `poll` with a count over `cast` (voter index → chosen options), in
/// total and by every breakdown.
async fn check_tally(
    t: &TestServer,
    poll: &Value,
    voters: &[Voter],
    cast: &HashMap<usize, Vec<i64>>,
) {
    let options: Vec<i64> = poll["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    let id = poll["id"].as_i64().unwrap();
    let tally = t
        .ok("GET", &paths::poll_tally(id), Some(&t.operator), None)
        .await;
    assert_eq!(
        read(&tally["ballots"], &tally["counts"]),
        count(&options, cast.values()),
        "poll {id} total"
    );
    let keys: Vec<i64> = tally["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["option_id"].as_i64().unwrap())
        .collect();
    assert_eq!(keys, options, "counts in option order");
    type BucketOf = fn(&Voter) -> &'static str;
    let by_fns: [(&str, BucketOf); 4] = [
        ("age_band", |v| v.age_band),
        ("gender", |v| v.gender),
        ("province", |v| v.province),
        ("category", |v| v.category),
    ];
    for (by, bucket_of) in by_fns {
        let tally = t
            .ok(
                "GET",
                &format!("{}?by={by}", paths::poll_tally(id)),
                Some(&t.operator),
                None,
            )
            .await;
        assert_eq!(tally["by"], by);
        assert_eq!(
            read(&tally["ballots"], &tally["counts"]),
            count(&options, cast.values())
        );
        let mut buckets: BTreeMap<&str, Vec<&Vec<i64>>> = BTreeMap::new();
        for (voter, chosen) in cast {
            buckets
                .entry(bucket_of(&voters[*voter]))
                .or_default()
                .push(chosen);
        }
        let expected: BTreeMap<String, Expected> = buckets
            .into_iter()
            .map(|(k, b)| (k.to_owned(), count(&options, b.into_iter())))
            .collect();
        let got: BTreeMap<String, Expected> = tally["groups"]
            .as_array()
            .map(|groups| {
                groups
                    .iter()
                    .map(|g| {
                        (
                            g["key"].as_str().unwrap().to_owned(),
                            read(&g["ballots"], &g["counts"]),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(got, expected, "poll {id} by {by}");
        // Turnout: first ballots per hour, summing to the ballots.
        let turnout: i64 = tally["turnout"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["ballots"].as_i64().unwrap())
            .sum();
        assert_eq!(turnout, cast.len() as i64);
    }
    let staff_view = t.ok("GET", &paths::poll(id), Some(&t.operator), None).await;
    assert_eq!(staff_view["total_ballots"], cast.len() as i64);
}

/// An open consultation with a single-choice, a multiple-choice and a yes/no poll, the voters,
/// and the ballots this test has cast so far (by poll, then voter).
struct Ballots {
    t: TestServer,
    voters: Vec<Voter>,
    polls: [Value; 3],
    /// The option ids of each poll.
    s: Vec<i64>,
    m: Vec<i64>,
    y: Vec<i64>,
    cast: [HashMap<usize, Vec<i64>>; 3],
}

async fn three_polls(backend: Backend) -> Ballots {
    let t = TestServer::start(backend).await;
    let id = t.open_consultation().await;
    let voters = voters(&t).await;
    let path = paths::consultation_polls(id);
    let single = t
        .ok(
            "POST",
            &path,
            Some(&t.operator),
            Some(
                json!({"kind": "single_choice", "question_fa": "کدام گزینه؟",
            "options": [option("الف", "A"), option("ب", "B"), option("ج", "C")]}),
            ),
        )
        .await;
    let multi = t
        .ok("POST", &path, Some(&t.operator), Some(json!({"kind": "multiple_choice", "question_fa": "کدام‌ها؟",
            "options": [option("الف", "A"), option("ب", "B"), option("ج", "C"), option("د", "D")]})))
        .await;
    let yes_no = t
        .ok(
            "POST",
            &path,
            Some(&t.operator),
            Some(json!({"kind": "yes_no_abstain", "question_fa": "موافقید؟"})),
        )
        .await;
    let opts = |p: &Value| -> Vec<i64> {
        p["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_i64().unwrap())
            .collect()
    };
    Ballots {
        s: opts(&single),
        m: opts(&multi),
        y: opts(&yes_no),
        polls: [single, multi, yes_no],
        t,
        voters,
        cast: Default::default(),
    }
}

impl Ballots {
    fn single(&self) -> &Value {
        &self.polls[0]
    }

    fn multi(&self) -> &Value {
        &self.polls[1]
    }

    /// Voter `voter` casts a ballot in poll `poll` (0, 1, 2: single, multiple, yes/no).
    async fn ballot(&self, voter: usize, poll: usize, chosen: Vec<i64>) -> (StatusCode, Value) {
        let path = paths::public_poll_ballots(self.polls[poll]["id"].as_i64().unwrap());
        self.t
            .call(
                "POST",
                &path,
                Some(&self.voters[voter].token),
                Some(json!({"option_ids": chosen})),
            )
            .await
    }

    /// Every poll's tally against the test's own count of the ballots cast.
    async fn check_tallies(&self) {
        for (poll, expected) in self.polls.iter().zip(&self.cast) {
            check_tally(&self.t, poll, &self.voters, expected).await;
        }
    }

    /// First hour: everyone votes in the single-choice poll, most in the others.
    async fn first_hour(&mut self) {
        for v in 0..self.voters.len() {
            let chosen = vec![self.s[v % 3]];
            let (status, body) = self.ballot(v, 0, chosen.clone()).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            assert_eq!(body["replaced"], false);
            self.cast[0].insert(v, chosen);
            if v % 4 != 3 {
                let mut chosen: Vec<i64> = self
                    .m
                    .iter()
                    .copied()
                    .filter(|o| (o + v as i64) % 2 == 0)
                    .collect();
                if chosen.is_empty() {
                    chosen.push(self.m[0]);
                }
                // Sent in any order, stored sorted.
                let reversed: Vec<i64> = chosen.iter().rev().copied().collect();
                let (status, body) = self.ballot(v, 1, reversed).await;
                assert_eq!(status, StatusCode::OK, "{body}");
                assert_eq!(body["option_ids"], json!(chosen));
                self.cast[1].insert(v, chosen);
            }
            if v % 3 != 0 {
                let chosen = vec![self.y[v % 3]];
                assert_eq!(self.ballot(v, 2, chosen.clone()).await.0, StatusCode::OK);
                self.cast[2].insert(v, chosen);
            }
        }
        self.check_tallies().await;
    }
}

async fn ballots_and_tallies_match_an_independent_count(backend: Backend) {
    let mut fixture = three_polls(backend).await;
    fixture.first_hour().await;
    let f = &mut fixture;
    // An hour later: some change their minds (replacing, not adding), newcomers join.
    f.t.clock().advance(Duration::hours(1));
    for v in [0, 4, 7, 9] {
        let chosen = vec![f.s[(v + 1) % 3]];
        let (status, body) = f.ballot(v, 0, chosen.clone()).await;
        assert_eq!(
            (status, &body["replaced"]),
            (StatusCode::OK, &json!(true)),
            "{body}"
        );
        f.cast[0].insert(v, chosen);
    }
    let (status, body) = f.ballot(1, 1, f.m.clone()).await;
    assert_eq!((status, &body["replaced"]), (StatusCode::OK, &json!(true)));
    f.cast[1].insert(1, f.m.clone());
    for v in [3, 7, 11] {
        let chosen = vec![f.m[3]];
        assert_eq!(f.ballot(v, 1, chosen.clone()).await.0, StatusCode::OK);
        f.cast[1].insert(v, chosen);
    }
    f.check_tallies().await;
    // Two turnout points for the poll that had newcomers in the second hour.
    let tally =
        f.t.ok(
            "GET",
            &format!(
                "{}?by=gender",
                paths::poll_tally(f.multi()["id"].as_i64().unwrap())
            ),
            Some(&f.t.operator),
            None,
        )
        .await;
    let points: Vec<i64> = tally["turnout"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["ballots"].as_i64().unwrap())
        .collect();
    assert_eq!(points, [9, 3]);
    // The single-choice poll's replacements added no turnout.
    let tally =
        f.t.ok(
            "GET",
            &format!(
                "{}?by=category",
                paths::poll_tally(f.single()["id"].as_i64().unwrap())
            ),
            Some(&f.t.operator),
            None,
        )
        .await;
    assert_eq!(tally["turnout"].as_array().unwrap().len(), 1);
}

/// Refused ballots change nothing.
async fn refused_ballots_change_nothing(backend: Backend) {
    let mut fixture = three_polls(backend).await;
    fixture.first_hour().await;
    let f = &fixture;
    let refused: Vec<(usize, Vec<i64>, &str)> = vec![
        (0, vec![], "validation_failed"),
        (0, vec![f.s[0], f.s[1]], "validation_failed"),
        (0, vec![f.m[0]], "validation_failed"),
        (0, vec![999_999], "validation_failed"),
        (1, vec![f.m[0], f.m[0]], "validation_failed"),
        (2, vec![f.y[0], f.y[1]], "validation_failed"),
    ];
    for (poll, chosen, code) in refused {
        let (status, err) = f.ballot(5, poll, chosen.clone()).await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(code)),
            "{chosen:?}"
        );
    }
    let (status, _) =
        f.t.call(
            "POST",
            &paths::public_poll_ballots(999_999),
            Some(&f.voters[0].token),
            Some(json!({"option_ids": [1]})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) =
        f.t.call(
            "POST",
            &paths::public_poll_ballots(f.single()["id"].as_i64().unwrap()),
            None,
            Some(json!({"option_ids": [f.s[0]]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // A participant registered without a number may comment, not vote.
    let (status, created) = register(&f.t, minimal_registration()).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(created["verified"], json!(false));
    let (status, err) =
        f.t.call(
            "POST",
            &paths::public_poll_ballots(f.single()["id"].as_i64().unwrap()),
            created["token"].as_str(),
            Some(json!({"option_ids": [f.s[0]]})),
        )
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("verification_required")),
        "{err}"
    );
    f.check_tallies().await;
}

async fn tally_errors(backend: Backend) {
    let f = three_polls(backend).await;
    let (status, err) =
        f.t.call(
            "GET",
            &format!(
                "{}?by=religion",
                paths::poll_tally(f.single()["id"].as_i64().unwrap())
            ),
            Some(&f.t.operator),
            None,
        )
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("validation_failed"))
    );
    let (status, _) =
        f.t.call(
            "GET",
            &paths::poll_tally(999_999),
            Some(&f.t.operator),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// A server and a citizen about to vote in yes/no polls of consultations in different states.
struct Window {
    t: TestServer,
    citizen: String,
}

impl Window {
    async fn start(backend: Backend) -> Self {
        let t = TestServer::start(backend).await;
        let citizen = t.participant("Nima").await;
        Window { t, citizen }
    }

    /// A consultation from `opens` to `closes` days from now, published unless `draft`.
    async fn consultation(&self, opens: i64, closes: i64, draft: bool) -> i64 {
        let (t, now) = (&self.t, self.t.now());
        let id = t
            .ok(
                "POST",
                paths::CONSULTATIONS,
                Some(&t.operator),
                Some(consultation_json(
                    now + Duration::days(opens),
                    now + Duration::days(closes),
                )),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        if !draft {
            t.ok(
                "POST",
                &paths::consultation_publish(id),
                Some(&t.operator),
                None,
            )
            .await;
        }
        id
    }

    async fn poll_in(&self, consultation: i64) -> Value {
        let t = &self.t;
        t.ok(
            "POST",
            &paths::consultation_polls(consultation),
            Some(&t.operator),
            Some(json!({"kind": "yes_no_abstain", "question_fa": "موافقید؟"})),
        )
        .await
    }

    async fn vote(&self, poll: &Value) -> (StatusCode, Value) {
        let path = paths::public_poll_ballots(poll["id"].as_i64().unwrap());
        let body = json!({"option_ids": [poll["options"][0]["id"]]});
        self.t
            .call("POST", &path, Some(&self.citizen), Some(body))
            .await
    }

    async fn ballots(&self, poll: &Value) -> Value {
        let t = &self.t;
        t.ok(
            "GET",
            &paths::poll_tally(poll["id"].as_i64().unwrap()),
            Some(&t.operator),
            None,
        )
        .await["ballots"]
            .clone()
    }
}

/// Scheduled: published, opening in two days; refused until then.
async fn ballots_wait_for_the_opening(backend: Backend) {
    let w = Window::start(backend).await;
    let scheduled = w.consultation(2, 40, false).await;
    let early = w.poll_in(scheduled).await;
    let (status, err) = w.vote(&early).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("consultation_not_open"))
    );
    assert_eq!(w.ballots(&early).await, 0);
    w.t.clock().advance(Duration::days(10));
    assert_eq!(w.vote(&early).await.0, StatusCode::OK);
    assert_eq!(w.ballots(&early).await, 1);
}

/// A draft's poll does not exist for the public.
async fn a_drafts_poll_is_not_found(backend: Backend) {
    let w = Window::start(backend).await;
    let draft = w.consultation(0, 40, true).await;
    let hidden = w.poll_in(draft).await;
    assert_eq!(w.vote(&hidden).await.0, StatusCode::NOT_FOUND);
    assert_eq!(w.ballots(&hidden).await, 0);
}

/// Open: accepted; closed early: refused, and the tally keeps the ballot cast while open.
async fn an_early_close_refuses_ballots_and_keeps_those_cast(backend: Backend) {
    let w = Window::start(backend).await;
    let t = &w.t;
    let open = t.open_consultation().await;
    let poll = w.poll_in(open).await;
    assert_eq!(w.vote(&poll).await.0, StatusCode::OK);
    t.ok(
        "POST",
        &paths::consultation_close(open),
        Some(&t.admin),
        Some(json!({"reason": "تصمیم وزیر"})),
    )
    .await;
    let (status, err) = w.vote(&poll).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("consultation_not_open"))
    );
    assert_eq!(w.ballots(&poll).await, 1);
}

/// Closed by the clock: a 30-day window with five days left, then ten days pass.
async fn the_clocks_close_refuses_ballots(backend: Backend) {
    let w = Window::start(backend).await;
    let other = w.consultation(-25, 5, false).await;
    let late = w.poll_in(other).await;
    w.t.clock().advance(Duration::days(10));
    let (status, err) = w.vote(&late).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("consultation_not_open"))
    );
    assert_eq!(w.ballots(&late).await, 0);
}

async fn one_participant_casting_at_once_keeps_one_ballot(backend: Backend) {
    let t = TestServer::start(backend).await;
    let id = t.open_consultation().await;
    let poll = t
        .ok(
            "POST",
            &paths::consultation_polls(id),
            Some(&t.operator),
            Some(json!({"kind": "likert_5", "question_fa": "رضایت؟"})),
        )
        .await;
    let options: Vec<i64> = poll["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    let citizen = t.participant("Hamid").await;
    let path = paths::public_poll_ballots(poll["id"].as_i64().unwrap());
    let sends = (0..12).map(|i| {
        let (t, path, citizen) = (&t, &path, &citizen);
        let chosen = options[i % options.len()];
        async move {
            t.call(
                "POST",
                path,
                Some(citizen),
                Some(json!({"option_ids": [chosen]})),
            )
            .await
        }
    });
    let answers = futures::future::join_all(sends).await;
    for (status, body) in &answers {
        assert_eq!(*status, StatusCode::OK, "{body}");
    }
    assert_eq!(
        answers
            .iter()
            .filter(|(_, b)| b["replaced"] == false)
            .count(),
        1,
        "exactly one first ballot"
    );
    for by in [
        "",
        "?by=age_band",
        "?by=gender",
        "?by=province",
        "?by=category",
    ] {
        let tally = t
            .ok(
                "GET",
                &format!("{}{by}", paths::poll_tally(poll["id"].as_i64().unwrap())),
                Some(&t.operator),
                None,
            )
            .await;
        assert_eq!(tally["ballots"], 1, "{by}");
        let total: i64 = tally["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["count"].as_i64().unwrap())
            .sum();
        assert_eq!(total, 1, "{by}: {tally}");
        assert!(
            tally["counts"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["count"].as_i64().unwrap() >= 0)
        );
        if let Some(groups) = tally["groups"].as_array() {
            assert_eq!(groups.len(), 1, "{by}");
            assert_eq!(groups[0]["ballots"], 1);
        }
    }
}
