//! Incentives over HTTP on both databases: scores that follow moderation (campaign copies earn
//! endorsements, one author's copies count once), the leaderboard and the public top list (no
//! name without consent, in the report too), certificates proposed, approved (signed, verifiable
//! offline, announced through the outbox), rejected, revoked, and `rebuild` reproducing live scores.

mod support;

use mosharekat_api::paths;
use mosharekat_api::{
    Category, Channel, Gender, Language, NewParticipant, ParticipantCreated, Province,
};
use mosharekat_server::incentives::credential::parse_public_key;
use mosharekat_server::incentives::verify_credential;
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Backend, TestServer};

both!(
    a_campaign_earns_every_author_an_endorsement,
    one_authors_repeats_count_once,
    a_shared_text_is_an_endorsement_until_the_copy_is_reversed,
    certificates_wait_for_the_close,
    the_close_proposes_each_certificate_once,
    only_admins_approve_and_only_once,
    the_participant_is_told_in_their_language,
    anyone_verifies_an_issued_certificate_offline,
    reject_needs_a_reason_and_revoke_an_issued_certificate,
    bulk_approval_skips_what_is_not_proposed,
    a_revoked_certificate_says_so_publicly,
    every_certificate_write_is_audited,
    no_name_without_consent_in_any_public_list,
    the_score_explains_itself,
    the_leaderboard_filters,
    leaderboard_and_score_refusals,
    concurrent_writes_keep_scores_exact
);

struct Citizen {
    id: i64,
    token: String,
}

async fn citizen(t: &TestServer, name: &str, named: bool, language: Language) -> Citizen {
    let body = NewParticipant {
        display_name: name.into(),
        category: Category::Ngo,
        birth_year: Some(1985),
        gender: Some(Gender::Male),
        province: Some(Province::Tehran),
        channel: Some(Channel::Bale),
        handle: Some(format!("@{}", name.replace(' ', "_"))),
        consent: true,
        name_public: named,
        language,
    };
    // Verified: certificates go to verified participants only.
    let created: ParticipantCreated = t
        .register_verified(&support::next_phone(), serde_json::to_value(&body).unwrap())
        .await;
    // The chat the bot's `/start <code>` links (the bot is tested in api_bale_bot.rs): a bot
    // writes only there, never to the handle typed above.
    let code = mosharekat_server::auth::token_hash(&created.token);
    t.store()
        .create_link_code(
            created.participant_id,
            Channel::Bale,
            &code,
            t.now(),
            t.now() + chrono::Duration::hours(1),
        )
        .await
        .unwrap();
    t.store()
        .link_chat(
            Channel::Bale,
            &code,
            &format!("77{}", created.participant_id),
            t.now(),
        )
        .await
        .unwrap()
        .expect("linked");
    Citizen {
        id: created.participant_id,
        token: created.token,
    }
}

async fn proposal(t: &TestServer, consultation: i64, token: &str, body: &str) -> i64 {
    t.ok(
        "POST",
        &paths::public_consultation_comments(consultation),
        Some(token),
        Some(json!({"body": body, "is_proposal": true})),
    )
    .await["id"]
        .as_i64()
        .unwrap()
}

async fn score(t: &TestServer, participant: i64) -> Value {
    t.ok(
        "GET",
        &paths::participant_score(participant),
        Some(&t.operator),
        None,
    )
    .await
}

/// Live scores equal a rebuild's, and a rebuild changes nothing.
async fn assert_rebuild_reproduces(t: &TestServer) {
    let live = t.store().score_snapshot().await.unwrap();
    t.store().rebuild_scores().await.unwrap();
    let rebuilt = t.store().score_snapshot().await.unwrap();
    assert_eq!(live, rebuilt, "rebuild differs from the live scores");
}

async fn a_campaign_earns_every_author_an_endorsement(backend: Backend) {
    let t = TestServer::start(backend).await;
    let c = t.open_consultation().await;
    let rules = t.store().scoring_rules();
    let text = "ما با افزایش شهریه مدارس غیردولتی مخالفیم و خواستار بازنگری در ماده ۴ هستیم";
    let mut authors = Vec::new();
    let mut group = 0;
    for i in 0..500 {
        let a = citizen(&t, &format!("Campaigner {i}"), false, Language::Fa).await;
        let id = t.comment(c, &a.token, text).await;
        if i == 0 {
            group = t
                .ok("GET", &paths::comment(id), Some(&t.moderator), None)
                .await["duplicate_group_id"]
                .as_i64()
                .unwrap();
        }
        authors.push(a);
    }
    let answer = t
        .ok(
            "POST",
            paths::COMMENTS_BULK_DECISION,
            Some(&t.moderator),
            Some(json!({"duplicate_group_id": group, "action": "approve"})),
        )
        .await;
    assert_eq!(answer["decided"].as_array().unwrap().len(), 500);
    // Every author, the first included, earns the endorsement points and nothing else.
    let board = t
        .ok(
            "GET",
            &format!("{}?consultation_id={c}&limit=500", paths::LEADERBOARD),
            Some(&t.operator),
            None,
        )
        .await;
    let entries = board["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 500);
    for e in entries {
        assert_eq!(e["points"], rules.points.endorsement, "{e}");
        assert_eq!(e["rank"], 1, "equal points share the first place");
    }
    for a in [&authors[0], &authors[499]] {
        let s = score(&t, a.id).await;
        assert_eq!(s["total"], rules.points.endorsement);
        let contributions = s["contributions"].as_array().unwrap();
        assert_eq!(contributions.len(), 1);
        assert_eq!(contributions[0]["kind"], "endorsement");
        assert_eq!(contributions[0]["duplicate_group_id"], group);
    }
    assert_rebuild_reproduces(&t).await;
}

const REPEATED: &str = "پیشنهاد می‌کنم مهلت ثبت‌نام یک ماه تمدید شود";

/// One participant who sent one text 50 times, all approved: the comment ids, in order.
struct Repeater {
    t: TestServer,
    c: i64,
    spammer: Citizen,
    ids: Vec<i64>,
}

impl Repeater {
    async fn start(backend: Backend) -> Self {
        let t = TestServer::start(backend).await;
        let c = t.open_consultation().await;
        let spammer = citizen(&t, "Repeater", false, Language::Fa).await;
        let mut ids = Vec::new();
        for _ in 0..50 {
            ids.push(t.comment(c, &spammer.token, REPEATED).await);
        }
        t.approve(&ids, &[]).await;
        Repeater { t, c, spammer, ids }
    }
}

/// One participant sending one text 50 times is scored once, as an original comment.
async fn one_authors_repeats_count_once(backend: Backend) {
    let f = Repeater::start(backend).await;
    let rules = f.t.store().scoring_rules();
    let s = score(&f.t, f.spammer.id).await;
    assert_eq!(s["total"], rules.points.comment, "{s}");
    let contributions = s["contributions"].as_array().unwrap();
    assert_eq!(contributions.len(), 1, "{s}");
    assert_eq!(contributions[0]["kind"], "comment");
    assert_eq!(contributions[0]["copies"], 50);
    assert_eq!(contributions[0]["subject_id"], f.ids[0]);
    assert_rebuild_reproduces(&f.t).await;
}

/// Another author sends the same text: both now hold a shared text, both earn endorsements; the
/// copy is reversed (rejected) and the first author's text is their own again.
async fn a_shared_text_is_an_endorsement_until_the_copy_is_reversed(backend: Backend) {
    let f = Repeater::start(backend).await;
    let (t, spammer) = (&f.t, &f.spammer);
    let rules = t.store().scoring_rules();
    let echo = citizen(t, "Echo", false, Language::Fa).await;
    let copy = t.comment(f.c, &echo.token, REPEATED).await;
    t.approve(&[copy], &[]).await;
    assert_eq!(
        score(t, spammer.id).await["total"],
        rules.points.endorsement
    );
    assert_eq!(score(t, echo.id).await["total"], rules.points.endorsement);
    assert_rebuild_reproduces(t).await;
    t.ok(
        "POST",
        &paths::comment_decision(copy),
        Some(&t.moderator),
        Some(json!({"action": "reject", "reason_code": "spam"})),
    )
    .await;
    assert_eq!(score(t, spammer.id).await["total"], rules.points.comment);
    assert_eq!(score(t, echo.id).await["total"], 0);
    assert!(
        score(t, echo.id).await["contributions"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_rebuild_reproduces(t).await;
}

/// A closed consultation whose rules have run: a named author (English) whose proposal was
/// accepted and a voter who only commented, each proposed a participation and a distinction
/// certificate.
struct Proposed {
    t: TestServer,
    c: i64,
    author: Citizen,
    voter: Citizen,
    /// The accepted proposal.
    p: i64,
    /// What the scheduler proposed at the close, before the rules ran again by hand.
    proposed: Vec<Value>,
    /// Every certificate of the consultation after that.
    all: Vec<Value>,
}

impl Proposed {
    /// The consultation still open, its comments approved: the rules may not run yet.
    async fn open(backend: Backend) -> (TestServer, i64, Citizen, Citizen, i64) {
        let t = TestServer::start(backend).await;
        let c = t.open_consultation().await;
        let author = citizen(&t, "Leila Ahmadi", true, Language::En).await;
        let voter = citizen(&t, "Quiet Voter", false, Language::Fa).await;
        let p = proposal(&t, c, &author.token, "پیشنهاد: ماده ۳ حذف شود").await;
        let other = t.comment(c, &voter.token, "با کلیات موافقم").await;
        t.approve(&[p, other], &[]).await;
        (t, c, author, voter, p)
    }

    async fn new(backend: Backend) -> Proposed {
        let (t, c, author, voter, p) = Proposed::open(backend).await;
        t.close(c).await;
        t.ok(
            "PUT",
            &paths::proposal_decision(p),
            Some(&t.operator),
            Some(
                json!({"version": 0, "outcome": "accepted", "rationale_fa": "منطقی است",
                "rationale_en": "Sound", "legal_basis": "ماده ۱۰"}),
            ),
        )
        .await;
        t.ok(
            "POST",
            &paths::consultation_decisions_publish(c),
            Some(&t.operator),
            None,
        )
        .await;
        // The scheduler runs the rules when the consultation closes; they run again by hand.
        let proposed = t
            .eventually("certificates proposed at the close", || async {
                let page = t
                    .ok(
                        "GET",
                        &format!(
                            "{}?status=proposed&consultation_id={c}",
                            paths::CERTIFICATES
                        ),
                        Some(&t.admin),
                        None,
                    )
                    .await;
                let items = page["items"].as_array().unwrap().clone();
                (items.len() >= 2).then_some(items)
            })
            .await;
        t.ok(
            "POST",
            paths::CERTIFICATES_PROPOSE,
            Some(&t.admin),
            Some(json!({})),
        )
        .await;
        let all = t
            .ok(
                "GET",
                &format!("{}?consultation_id={c}", paths::CERTIFICATES),
                Some(&t.admin),
                None,
            )
            .await["items"]
            .as_array()
            .unwrap()
            .clone();
        Proposed {
            t,
            c,
            author,
            voter,
            p,
            proposed,
            all,
        }
    }

    /// The certificate of this kind proposed to this participant.
    fn find(&self, who: i64, kind: &str) -> Value {
        let all = &self.all;
        all.iter()
            .find(|x| x["participant_id"] == who && x["kind"] == kind)
            .unwrap_or_else(|| panic!("no {kind} for {who}: {all:?}"))
            .clone()
    }

    /// The id of the author's participation certificate.
    fn participation(&self) -> i64 {
        self.find(self.author.id, "participation")["id"]
            .as_i64()
            .unwrap()
    }

    /// The id of the voter's participation certificate.
    fn voter_participation(&self) -> i64 {
        self.find(self.voter.id, "participation")["id"]
            .as_i64()
            .unwrap()
    }

    /// Approve the author's participation certificate; its answer.
    async fn issue(&self) -> Value {
        let t = &self.t;
        t.ok(
            "POST",
            &paths::certificate_approve(self.participation()),
            Some(&t.admin),
            None,
        )
        .await
    }

    /// Reject the voter's participation certificate with a reason; the answer.
    async fn reject_voter(&self) -> Value {
        let t = &self.t;
        t.ok(
            "POST",
            &paths::certificate_reject(self.voter_participation()),
            Some(&t.admin),
            Some(json!({"reason": "مشارکت ناکافی"})),
        )
        .await
    }

    /// The public view of a certificate by its code.
    async fn public(&self, code: &str) -> Value {
        self.t
            .ok("GET", &paths::public_certificate(code), None, None)
            .await
    }
}

/// Before the close the rules refuse to run over the consultation.
async fn certificates_wait_for_the_close(backend: Backend) {
    let (t, c, ..) = Proposed::open(backend).await;
    let (status, err) = t
        .call(
            "POST",
            paths::CERTIFICATES_PROPOSE,
            Some(&t.admin),
            Some(json!({"consultation_id": c})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["error"]["code"], "consultation_not_closed");
}

/// The close proposes participation for both, and distinction for the accepted proposal's
/// author and (two participants) the top places; running the rules again proposes nothing twice.
async fn the_close_proposes_each_certificate_once(backend: Backend) {
    let f = Proposed::new(backend).await;
    let rules = f.t.store().scoring_rules();
    assert_eq!(
        score(&f.t, f.author.id).await["total"],
        rules.points.comment + rules.points.proposal_accepted
    );
    assert_eq!(f.all.len(), 4, "{:?}", f.all);
    let distinction = f.find(f.author.id, "distinction");
    assert_eq!(distinction["evidence"]["accepted_proposals"], json!([f.p]));
    assert_eq!(distinction["evidence"]["rank"], 1);
    assert!(f.proposed.len() >= 2);
}

async fn only_admins_approve_and_only_once(backend: Backend) {
    let f = Proposed::new(backend).await;
    let t = &f.t;
    let id = f.participation();
    for token in [&t.moderator, &t.operator] {
        let (status, _) = t
            .call("POST", &paths::certificate_approve(id), Some(token), None)
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let issued = f.issue().await;
    assert_eq!(issued["status"], "approved");
    assert_eq!(issued["decided_by"], "admin1");
    let code = issued["verification_code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 11, "{code}");
    let (status, _) = t
        .call(
            "POST",
            &paths::certificate_approve(id),
            Some(&t.admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "approved once only");
}

/// The participant is told, in their language, through the outbox.
async fn the_participant_is_told_in_their_language(backend: Backend) {
    let f = Proposed::new(backend).await;
    let t = &f.t;
    let issued = f.issue().await;
    let code = issued["verification_code"].as_str().unwrap();
    let outbox = t
        .ok(
            "GET",
            &format!("{}?consultation_id={}", paths::OUTBOX, f.c),
            Some(&t.operator),
            None,
        )
        .await;
    let message = outbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "certificate_issued")
        .expect("a certificate message")
        .clone();
    assert_eq!(message["participant_id"], f.author.id);
    assert_eq!(message["subject_id"], f.participation());
    assert_eq!(message["language"], "en");
    assert!(
        message["text"].as_str().unwrap().contains(code),
        "{message}"
    );
    // Its link is the portal's verification page in the participant's language.
    assert!(
        message["text"]
            .as_str()
            .unwrap()
            .contains(&format!("/en/verify/{code}")),
        "{message}"
    );
}

/// Anyone fetches it by code (any case, with or without the hyphen) and checks it offline.
async fn anyone_verifies_an_issued_certificate_offline(backend: Backend) {
    let f = Proposed::new(backend).await;
    let t = &f.t;
    let issued = f.issue().await;
    let code = issued["verification_code"].as_str().unwrap();
    let public = f.public(&code.to_lowercase().replace('-', "")).await;
    assert_eq!(public["status"], "approved");
    assert_eq!(
        public["credential"]["credentialSubject"]["name"],
        "Leila Ahmadi"
    );
    assert_eq!(public["credential"]["type"][1], "OpenBadgeCredential");
    let keys = t.ok("GET", paths::PUBLIC_KEYS, None, None).await;
    let key = parse_public_key(keys["keys"][0]["publicKeyMultibase"].as_str().unwrap()).unwrap();
    let text = serde_json::to_string(&public["credential"]).unwrap();
    let credential: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(verify_credential(&credential, &[key]), Ok(()));
    // One byte changed anywhere in the text fails (the name: L → M).
    let tampered_text = text.replacen("Leila", "Meila", 1);
    assert_ne!(tampered_text, text);
    let tampered: Value = serde_json::from_str(&tampered_text).unwrap();
    assert!(verify_credential(&tampered, &[key]).is_err());
    let (status, _) = t
        .call("GET", &paths::public_certificate("ABCDE-FGHJK"), None, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Reject needs a reason; revoke only what was issued.
async fn reject_needs_a_reason_and_revoke_an_issued_certificate(backend: Backend) {
    let f = Proposed::new(backend).await;
    let t = &f.t;
    let voter_cert = f.voter_participation();
    let (status, err) = t
        .call(
            "POST",
            &paths::certificate_reject(voter_cert),
            Some(&t.admin),
            Some(json!({"reason": "  "})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["code"], "reason_required");
    let (status, _) = t
        .call(
            "POST",
            &paths::certificate_revoke(voter_cert),
            Some(&t.admin),
            Some(json!({"reason": "خطا"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let rejected = f.reject_voter().await;
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["reject_reason"], "مشارکت ناکافی");
}

/// Bulk approval: issued ones, skipping what is not proposed or not there.
async fn bulk_approval_skips_what_is_not_proposed(backend: Backend) {
    let f = Proposed::new(backend).await;
    let t = &f.t;
    f.reject_voter().await;
    let voter_cert = f.voter_participation();
    let bulk = t
        .ok(
            "POST",
            paths::CERTIFICATES_APPROVE,
            Some(&t.admin),
            Some(json!({"ids": [f.find(f.author.id, "distinction")["id"], f.find(f.voter.id, "distinction")["id"], voter_cert, 999_999]})),
        )
        .await;
    assert_eq!(bulk["approved"].as_array().unwrap().len(), 2, "{bulk}");
    let skipped: Vec<(i64, String)> = bulk["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_i64().unwrap(),
                s["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        skipped,
        [
            (voter_cert, "invalid_state".to_owned()),
            (999_999, "not_found".to_owned())
        ]
    );
}

/// Revoked: the public status says so, with the reason; the signature itself stays good.
async fn a_revoked_certificate_says_so_publicly(backend: Backend) {
    let f = Proposed::new(backend).await;
    let t = &f.t;
    let issued = f.issue().await;
    let code = issued["verification_code"].as_str().unwrap();
    let credential = f.public(code).await["credential"].clone();
    let revoked = t
        .ok(
            "POST",
            &paths::certificate_revoke(f.participation()),
            Some(&t.admin),
            Some(json!({"reason": "صدور اشتباه"})),
        )
        .await;
    assert_eq!(revoked["status"], "revoked");
    let public = f.public(code).await;
    assert_eq!(public["status"], "revoked");
    assert_eq!(public["revoke_reason"], "صدور اشتباه");
    assert_eq!(public["credential"], credential);
}

/// Every write is in the audit log.
async fn every_certificate_write_is_audited(backend: Backend) {
    let f = Proposed::new(backend).await;
    let t = &f.t;
    f.issue().await;
    f.reject_voter().await;
    t.ok(
        "POST",
        &paths::certificate_revoke(f.participation()),
        Some(&t.admin),
        Some(json!({"reason": "صدور اشتباه"})),
    )
    .await;
    let audit: Vec<String> = t
        .store()
        .audit_entries(0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.entry.action)
        .collect();
    for action in [
        "certificates.propose",
        "certificate.approve",
        "certificate.reject",
        "certificate.revoke",
    ] {
        assert!(
            audit.iter().any(|a| a == action),
            "no {action} in {audit:?}"
        );
    }
}

async fn no_name_without_consent_in_any_public_list(backend: Backend) {
    let t = TestServer::start(backend).await;
    let c = t.open_consultation().await;
    // The one who did not consent scores highest.
    let secret = citizen(&t, "Secret Sadeghi", false, Language::Fa).await;
    let named = citizen(&t, "Named Nazari", true, Language::Fa).await;
    let mut ids = Vec::new();
    for (i, text) in ["نخست", "دوم", "سوم"].iter().enumerate() {
        ids.push(
            t.comment(c, &secret.token, &format!("نظر {text} درباره بند {i}"))
                .await,
        );
    }
    ids.push(t.comment(c, &named.token, "نظر من درباره کلیات").await);
    t.approve(&ids, &[]).await;

    let top = t
        .ok("GET", &paths::public_consultation_top(c), None, None)
        .await;
    let entries = top["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{top}");
    assert_eq!(entries[0]["display_name"], "Named Nazari");
    assert_eq!(entries[0]["rank"], 2, "the first place stays empty");
    assert!(!top.to_string().contains("Secret"), "{top}");
    // Staff see both.
    let board = t
        .ok(
            "GET",
            &format!("{}?consultation_id={c}", paths::LEADERBOARD),
            Some(&t.operator),
            None,
        )
        .await;
    assert_eq!(board["entries"][0]["display_name"], "Secret Sadeghi");
    assert_eq!(board["entries"][0]["name_public"], false);

    // The report's top list, in every format of the published report.
    t.close(c).await;
    for step in [
        paths::consultation_report(c),
        paths::consultation_report_publish(c),
    ] {
        t.ok("POST", &step, Some(&t.operator), None).await;
    }
    let report = t
        .ok("GET", &paths::public_consultation_report(c), None, None)
        .await;
    assert_eq!(
        report["top_participants"][0]["display_name"],
        "Named Nazari"
    );
    for format in ["json", "md", "html", "csv"] {
        let body = t
            .http
            .get(t.url(&format!(
                "{}?format={format}",
                paths::public_consultation_report(c)
            )))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(body.contains("Named Nazari"), "{format}: no top list");
        assert!(
            !body.contains("Secret"),
            "{format} names the participant who did not consent"
        );
    }
}

/// An early commenter (Tehran, NGO, like every citizen here) in one consultation; 35 days later a
/// voter who cast and then replaced a ballot in a yes/no poll and a survey question of another.
struct Board {
    t: TestServer,
    c: i64,
    late: Citizen,
}

impl Board {
    async fn start(backend: Backend) -> Self {
        let t = TestServer::start(backend).await;
        let c = t.open_consultation().await;
        let early = citizen(&t, "Early Bird", false, Language::Fa).await;
        let a = t.comment(c, &early.token, "نظری در روزهای نخست").await;
        t.approve(&[a], &[]).await;
        t.clock().advance(chrono::Duration::days(35));
        let c2 = t.open_consultation().await;
        let vote = t
            .ok(
                "POST",
                &paths::consultation_polls(c2),
                Some(&t.operator),
                Some(json!({"kind": "yes_no_abstain", "question_fa": "موافقید؟"})),
            )
            .await;
        let survey = t
            .ok(
                "POST",
                &paths::consultation_polls(c2),
                Some(&t.operator),
                Some(json!({"kind": "likert_5", "question_fa": "رضایت شما؟"})),
            )
            .await;
        let late = citizen(&t, "Late Voter", false, Language::Fa).await;
        for poll in [&vote, &survey] {
            let id = poll["id"].as_i64().unwrap();
            for option in [0, 1] {
                let option = poll["options"][option]["id"].as_i64().unwrap();
                t.ok(
                    "POST",
                    &paths::public_poll_ballots(id),
                    Some(&late.token),
                    Some(json!({"option_ids": [option]})),
                )
                .await;
            }
        }
        Board { t, c, late }
    }

    /// The names on the leaderboard for `query`, in order.
    async fn names(&self, query: &str) -> Vec<String> {
        let t = &self.t;
        t.ok(
            "GET",
            &format!("{}{query}", paths::LEADERBOARD),
            Some(&t.operator),
            None,
        )
        .await["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["display_name"].as_str().unwrap().to_owned())
            .collect()
    }
}

/// A replaced ballot is the same contribution; the score lists its contributions and the rules.
async fn the_score_explains_itself(backend: Backend) {
    let f = Board::start(backend).await;
    let rules = f.t.store().scoring_rules();
    let s = score(&f.t, f.late.id).await;
    assert_eq!(
        s["total"],
        rules.points.ballot + rules.points.survey_answer,
        "{s}"
    );
    let kinds: Vec<&str> = s["contributions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 2);
    assert!(kinds.contains(&"ballot") && kinds.contains(&"survey_answer"));
    assert_eq!(s["rules"].as_array().unwrap().len(), 6);
    assert_rebuild_reproduces(&f.t).await;
}

async fn the_leaderboard_filters(backend: Backend) {
    let f = Board::start(backend).await;
    assert_eq!(f.names("").await, ["Early Bird", "Late Voter"]);
    assert_eq!(f.names("?period=month").await, ["Late Voter"]);
    assert_eq!(
        f.names(&format!(
            "?consultation_id={}&province=tehran&category=ngo",
            f.c
        ))
        .await,
        ["Early Bird"]
    );
    assert!(f.names("?province=fars").await.is_empty());
}

async fn leaderboard_and_score_refusals(backend: Backend) {
    let t = TestServer::start(backend).await;
    let (status, err) = t
        .call(
            "GET",
            &format!("{}?period=decade", paths::LEADERBOARD),
            Some(&t.operator),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let (status, _) = t
        .call("GET", paths::LEADERBOARD, Some(&t.moderator), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = t
        .call(
            "GET",
            &paths::participant_score(999_999),
            Some(&t.operator),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Ballots in several polls, decisions on several comments of the same people and a second
/// consultation, all at once: the totals still equal a rebuild (each write re-derives a
/// participant's rows while others do the same).
async fn concurrent_writes_keep_scores_exact(backend: Backend) {
    let t = std::sync::Arc::new(TestServer::start(backend).await);
    let c1 = t.open_consultation().await;
    let c2 = t.open_consultation().await;
    let people = [
        citizen(&t, "Busy One", false, Language::Fa).await,
        citizen(&t, "Busy Two", false, Language::Fa).await,
    ];
    let mut polls = Vec::new();
    for (i, c) in [c1, c1, c1, c2, c2, c2].into_iter().enumerate() {
        let kind = if i % 2 == 0 {
            "yes_no_abstain"
        } else {
            "likert_5"
        };
        let poll = t
            .ok(
                "POST",
                &paths::consultation_polls(c),
                Some(&t.operator),
                Some(json!({"kind": kind, "question_fa": "پرسش"})),
            )
            .await;
        polls.push((
            poll["id"].as_i64().unwrap(),
            poll["options"][0]["id"].as_i64().unwrap(),
        ));
    }
    let mut comments = Vec::new();
    for (i, c) in [c1, c2, c1, c2, c1, c2].into_iter().enumerate() {
        for p in &people {
            // Shared texts across the two people, so endorsements flip as approvals land.
            comments.push(
                t.comment(c, &p.token, &format!("متن مشترک شماره {}", i % 3))
                    .await,
            );
        }
    }
    let mut tasks = Vec::new();
    for p in &people {
        for &(poll, option) in &polls {
            let (t, token) = (t.clone(), p.token.clone());
            tasks.push(tokio::spawn(async move {
                t.ok(
                    "POST",
                    &paths::public_poll_ballots(poll),
                    Some(&token),
                    Some(json!({"option_ids": [option]})),
                )
                .await;
            }));
        }
    }
    for id in comments {
        let t = t.clone();
        tasks.push(tokio::spawn(async move {
            t.ok(
                "POST",
                paths::COMMENTS_BULK_DECISION,
                Some(&t.moderator),
                Some(json!({"ids": [id], "action": "approve"})),
            )
            .await;
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let live = t.store().score_snapshot().await.unwrap();
    assert_eq!(live.totals.len(), 2, "{live:?}");
    assert_rebuild_reproduces(&t).await;
}
