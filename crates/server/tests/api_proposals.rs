//! Proposals and their decisions over HTTP: two editors on one proposal (the second save gets
//! `409` with the current text and nothing is lost), drafts and publication in both languages, a
//! campaign group answered once with the answer reaching every member, the public list; concern
//! tags and their use in moderation.

mod support;

use mosharekat_api::paths;
use mosharekat_api::{
    Category, Channel, ConsultationStatus, DecisionConflict, Language, NewParticipant,
    OutboxMessage, Page, Proposal, ProposalDecision, PublicDecision,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Backend, TestServer};

both!(
    a_stale_save_gets_the_current_text_and_loses_nothing,
    after_a_merge_the_first_editor_is_the_stale_one,
    of_two_saves_at_once_exactly_one_wins,
    each_save_is_a_live_event_and_an_audit_entry,
    bad_decisions_are_refused,
    drafts_may_leave_any_field_empty,
    publication_waits_for_the_close_outcomes_and_translations,
    published_decisions_are_final,
    the_public_list_of_decisions,
    a_campaign_group_is_one_row,
    proposals_page_by_keyset,
    a_campaign_group_is_answered_once,
    every_member_with_a_messenger_hears_once,
    without_a_tag_list_any_tag_goes,
    bad_tag_lists_change_nothing,
    a_claim_carries_the_tag_list_and_decisions_use_only_its_codes,
    a_bulk_decision_with_an_unknown_tag_is_refused_whole,
);

async fn proposal(t: &TestServer, consultation: i64, token: &str, body: &str) -> i64 {
    let (status, value) = t
        .call(
            "POST",
            &paths::public_consultation_comments(consultation),
            Some(token),
            Some(json!({"body": body, "is_proposal": true})),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{value}");
    value["id"].as_i64().unwrap()
}

fn participant(name: &str, channel: Option<(Channel, &str)>, language: Language) -> NewParticipant {
    NewParticipant {
        display_name: name.into(),
        category: Category::Public,
        birth_year: None,
        gender: None,
        province: None,
        channel: channel.map(|(c, _)| c),
        handle: channel.map(|(_, h)| h.to_owned()),
        consent: true,
        name_public: false,
        language,
    }
}

async fn save(t: &TestServer, id: i64, body: Value) -> (StatusCode, Value) {
    t.call(
        "PUT",
        &paths::proposal_decision(id),
        Some(&t.operator),
        Some(body),
    )
    .await
}

/// An approved proposal, a second operator, and the first operator's decision on it (version 1).
struct OneProposal {
    t: TestServer,
    c: i64,
    id: i64,
    second_editor: String,
    first: Value,
    saved: ProposalDecision,
}

impl OneProposal {
    async fn start(backend: Backend) -> Self {
        let t = TestServer::start(backend).await;
        let c = t.open_consultation().await;
        let citizen = t.participant("Sara").await;
        let id = proposal(&t, c, &citizen, "پیشنهاد: سقف شهریه به تورم گره بخورد").await;
        t.approve(&[id], &[]).await;
        let second_editor = t
            .add_staff("operator2", mosharekat_api::Role::Operator)
            .await;
        // Both open the proposal with no decision yet (version 0); the first saves.
        let first = json!({"version": 0, "outcome": "partially_accepted",
            "rationale_fa": "سقف شهریه با نرخ تورم رسمی تعیین می‌شود، نه بیشتر.",
            "rationale_en": "The fee cap follows official inflation, no more.",
            "legal_basis": "ماده ۱۲ قانون مدارس غیردولتی"});
        let (status, saved) = save(&t, id, first.clone()).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        let saved: ProposalDecision = serde_json::from_value(saved).unwrap();
        assert_eq!(saved.version, 1);
        assert_eq!(saved.decided_by, "operator1");
        OneProposal {
            t,
            c,
            id,
            second_editor,
            first,
            saved,
        }
    }

    /// The second editor saves `body`.
    async fn second_saves(&self, body: Value) -> (StatusCode, Value) {
        self.t
            .call(
                "PUT",
                &paths::proposal_decision(self.id),
                Some(&self.second_editor),
                Some(body),
            )
            .await
    }

    /// The second editor, from version 0: refused, with the first editor's text.
    async fn second_saves_stale(&self) {
        let second = json!({"version": 0, "outcome": "rejected",
            "rationale_fa": "نظر دوم", "rationale_en": "Second view", "legal_basis": ""});
        let (status, conflict) = self.second_saves(second).await;
        assert_eq!(status, StatusCode::CONFLICT, "{conflict}");
        let conflict: DecisionConflict = serde_json::from_value(conflict).unwrap();
        assert_eq!(conflict.error.code, "version_conflict");
        assert_eq!(
            conflict.current, self.saved,
            "the 409 carries the current decision"
        );
        assert_eq!(conflict.current.rationale_fa, self.first["rationale_fa"]);
    }

    /// The second editor merges and saves on top of version 1; what was sent.
    async fn second_merges(&self) -> Value {
        let merged = json!({"version": 1, "outcome": "partially_accepted",
            "rationale_fa": format!("{} نظر دوم نیز لحاظ شد.", self.first["rationale_fa"].as_str().unwrap()),
            "rationale_en": "The fee cap follows official inflation; the second view is noted.",
            "legal_basis": "ماده ۱۲ قانون مدارس غیردولتی"});
        let (status, v2) = self.second_saves(merged.clone()).await;
        assert_eq!(status, StatusCode::OK, "{v2}");
        let v2: ProposalDecision = serde_json::from_value(v2).unwrap();
        assert_eq!((v2.version, v2.decided_by.as_str()), (2, "operator2"));
        assert_eq!(v2.rationale_fa, merged["rationale_fa"]);
        merged
    }
}

async fn a_stale_save_gets_the_current_text_and_loses_nothing(backend: Backend) {
    let f = OneProposal::start(backend).await;
    f.second_saves_stale().await;
    // Nothing was lost: the stored decision is still the first editor's.
    let t = &f.t;
    let list: Page<Proposal> = serde_json::from_value(
        t.ok(
            "GET",
            &paths::consultation_proposals(f.c),
            Some(&t.operator),
            None,
        )
        .await,
    )
    .unwrap();
    assert_eq!(list.items.len(), 1);
    assert_eq!(list.items[0].decision.as_ref(), Some(&f.saved));
}

async fn after_a_merge_the_first_editor_is_the_stale_one(backend: Backend) {
    let f = OneProposal::start(backend).await;
    let merged = f.second_merges().await;
    let (status, conflict) = save(&f.t, f.id, json!({"version": 1, "rationale_fa": "x"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(conflict["current"]["version"], 2);
    assert_eq!(conflict["current"]["rationale_fa"], merged["rationale_fa"]);
}

async fn of_two_saves_at_once_exactly_one_wins(backend: Backend) {
    let f = OneProposal::start(backend).await;
    let (a, b) = tokio::join!(
        save(
            &f.t,
            f.id,
            json!({"version": 1, "rationale_fa": "الف", "rationale_en": "A"})
        ),
        f.second_saves(json!({"version": 1, "rationale_fa": "ب", "rationale_en": "B"})),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{a:?} {b:?}"
    );
    let winner = if a.0 == StatusCode::OK { &a.1 } else { &b.1 };
    let loser = if a.0 == StatusCode::OK { &b.1 } else { &a.1 };
    assert_eq!(loser["current"], *winner);
}

async fn each_save_is_a_live_event_and_an_audit_entry(backend: Backend) {
    let f = OneProposal::start(backend).await;
    // Three saves, a refused one among them.
    f.second_saves_stale().await;
    f.second_merges().await;
    let (status, body) = save(&f.t, f.id, json!({"version": 2, "rationale_fa": "سوم"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let events = f.t.store().events_after(0, 1_000).await.unwrap();
    let decided = events
        .iter()
        .filter(|e| e.kind.name() == "proposal.decided")
        .count();
    assert_eq!(decided, 3);
    let audit = f.t.store().audit_entries(0, 1_000).await.unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|e| e.entry.action == "proposal.decide")
            .count(),
        3
    );
}

/// An open consultation with two approved proposals (`p1`, `p2`), an approved plain comment and a
/// proposal still pending, all from one citizen without a messenger.
struct Drafts {
    t: TestServer,
    c: i64,
    p1: i64,
    p2: i64,
    plain: i64,
    pending: i64,
}

const P1_FA: &str = "پذیرفته شد چون به نفع دانش‌آموزان است";

impl Drafts {
    async fn start(backend: Backend) -> Self {
        let t = TestServer::start(backend).await;
        let c = t.open_consultation().await;
        let citizen = t.participant("Reza").await;
        let p1 = proposal(&t, c, &citizen, "پیشنهاد اول: حذف تبصره ۲").await;
        let p2 = proposal(&t, c, &citizen, "پیشنهاد دوم: افزودن بند ۵").await;
        let plain = t.comment(c, &citizen, "فقط یک نظر، نه پیشنهاد").await;
        let pending = proposal(&t, c, &citizen, "پیشنهادی که هنوز بررسی نشده").await;
        t.approve(&[p1, p2, plain], &[]).await;
        Drafts {
            t,
            c,
            p1,
            p2,
            plain,
            pending,
        }
    }

    /// Drafts (version 1 of each): any field may be empty.
    async fn save_drafts(&self) {
        let (s, _) = save(
            &self.t,
            self.p1,
            json!({"version": 0, "outcome": "accepted", "rationale_fa": P1_FA}),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        let (s, _) = save(&self.t, self.p2, json!({"version": 0})).await;
        assert_eq!(s, StatusCode::OK);
    }

    /// p2 complete (version 2).
    async fn complete_p2(&self) {
        let (s, _) = save(&self.t, self.p2, json!({"version": 1, "outcome": "rejected", "rationale_fa": "خلاف ماده ۳", "rationale_en": "Contrary to article 3", "legal_basis": "ماده ۳"})).await;
        assert_eq!(s, StatusCode::OK);
    }

    /// p1 complete (version 2).
    async fn complete_p1(&self) {
        let (s, _) = save(&self.t, self.p1, json!({"version": 1, "outcome": "accepted", "rationale_fa": P1_FA, "rationale_en": "Accepted: it serves pupils", "legal_basis": ""})).await;
        assert_eq!(s, StatusCode::OK);
    }

    fn publish_path(&self) -> String {
        paths::consultation_decisions_publish(self.c)
    }

    /// Drafts completed, the consultation closed, the decisions published.
    async fn published(backend: Backend) -> (Self, Value) {
        let f = Drafts::start(backend).await;
        f.save_drafts().await;
        f.complete_p2().await;
        f.complete_p1().await;
        f.t.close(f.c).await;
        let published =
            f.t.ok("POST", &f.publish_path(), Some(&f.t.operator), None)
                .await;
        (f, published)
    }
}

/// Not a proposal, not approved, no such comment, too long, a NUL, a bad outcome, a version from
/// the future.
async fn bad_decisions_are_refused(backend: Backend) {
    let f = Drafts::start(backend).await;
    let (p1, t) = (f.p1, &f.t);
    for (id, body, status, code) in [
        (f.plain, json!({"version": 0}), 422, "validation_failed"),
        (f.pending, json!({"version": 0}), 409, "invalid_state"),
        (987_654, json!({"version": 0}), 404, "not_found"),
        (
            p1,
            json!({"version": 0, "legal_basis": "م".repeat(1_001)}),
            422,
            "validation_failed",
        ),
        (
            p1,
            json!({"version": 0, "rationale_fa": "a\u{0}b"}),
            422,
            "invalid_text",
        ),
        (
            p1,
            json!({"version": 0, "outcome": "maybe"}),
            422,
            "validation_failed",
        ),
        (p1, json!({"version": 3}), 409, "version_conflict"),
    ] {
        let (s, e) = save(t, id, body.clone()).await;
        assert_eq!(
            (s.as_u16(), e["error"]["code"].as_str()),
            (status, Some(code)),
            "{body}"
        );
    }
    assert!(t.store().public_decisions(f.c).await.unwrap().is_empty());
    // None of them saved anything: p1 is still at version 0.
    let (s, _) = save(t, p1, json!({"version": 0})).await;
    assert_eq!(s, StatusCode::OK);
}

async fn drafts_may_leave_any_field_empty(backend: Backend) {
    let f = Drafts::start(backend).await;
    f.save_drafts().await;
}

/// Publishing waits for the deadline, then needs an outcome for every decision, and both
/// languages; a refused publication publishes nothing.
async fn publication_waits_for_the_close_outcomes_and_translations(backend: Backend) {
    let f = Drafts::start(backend).await;
    let t = &f.t;
    let (p1, p2) = (f.p1, f.p2);
    f.save_drafts().await;
    let path = f.publish_path();
    let (s, e) = t.call("POST", &path, Some(&t.operator), None).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("consultation_not_closed"))
    );
    t.close(f.c).await;
    let (s, e) = t.call("POST", &path, Some(&t.operator), None).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("validation_failed"))
    );
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains(&p2.to_string()),
        "{e}"
    );
    f.complete_p2().await;
    let (s, e) = t.call("POST", &path, Some(&t.operator), None).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("missing_translation")
        )
    );
    let message = e["error"]["message"].as_str().unwrap();
    assert!(
        message.contains(&p1.to_string()) && !message.contains(&p2.to_string()),
        "{message}"
    );
    assert!(t.store().public_decisions(f.c).await.unwrap().is_empty());
}

/// Published decisions are final; publishing again publishes nothing new.
async fn published_decisions_are_final(backend: Backend) {
    let (f, published) = Drafts::published(backend).await;
    let t = &f.t;
    assert_eq!(published["published"], json!([f.p1, f.p2]));
    assert_eq!(published["messages"], 0, "Reza has no messenger");
    let (s, e) = save(t, f.p1, json!({"version": 2, "rationale_fa": "تغییر"})).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("invalid_state"))
    );
    let again = t
        .ok("POST", &f.publish_path(), Some(&t.operator), None)
        .await;
    assert_eq!(again["published"], json!([]));
}

/// The public list: every published decision with its reasons and the proposal's text; not for a
/// draft consultation, nor an unknown one.
async fn the_public_list_of_decisions(backend: Backend) {
    let (f, _) = Drafts::published(backend).await;
    let t = &f.t;
    let (s, public) = t
        .call(
            "GET",
            &paths::public_consultation_decisions(f.c),
            None,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let public: Vec<PublicDecision> = serde_json::from_value(public).unwrap();
    assert_eq!(public.len(), 2);
    assert_eq!(public[0].proposal_id, f.p1);
    assert_eq!(public[0].body, "پیشنهاد اول: حذف تبصره ۲");
    assert_eq!(public[0].rationale_en, "Accepted: it serves pupils");
    assert_eq!(public[1].outcome, mosharekat_api::Outcome::Rejected);
    assert_eq!(public[1].legal_basis, "ماده ۳");
    assert_eq!(public[1].group_size, 1);
    let draft = t
        .ok(
            "POST",
            paths::CONSULTATIONS,
            Some(&t.operator),
            Some(support::consultation_json(
                t.now(),
                t.now() + chrono::Duration::days(40),
            )),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    for id in [draft, 424_242] {
        let (s, _) = t
            .call("GET", &paths::public_consultation_decisions(id), None, None)
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
    let consultation = t
        .ok("GET", &paths::consultation(f.c), Some(&t.operator), None)
        .await;
    assert_eq!(consultation["status"], ConsultationStatus::Closed.as_str());
}

/// Five people send the same proposal, typed differently; two of them have no messenger, one
/// reads English; the first sends it twice and is still pending; one more, different proposal.
/// All but the first member's are approved.
struct Campaign {
    t: TestServer,
    c: i64,
    /// The group's proposals, by member, then the first member's repeat.
    ids: Vec<i64>,
    other: i64,
}

impl Campaign {
    async fn start(backend: Backend) -> Self {
        let t = TestServer::start(backend).await;
        let c = t.open_consultation().await;
        let members = [
            ("Maryam", Some((Channel::Bale, "@maryam")), Language::Fa),
            ("Ali", Some((Channel::Eitaa, "ali_1360")), Language::Fa),
            (
                "Sam",
                Some((Channel::Webhook, "https://hooks.example.org/sam")),
                Language::En,
            ),
            ("Zahra", None, Language::Fa),
            ("Hossein", None, Language::En),
        ];
        let texts = [
            "پیشنهاد: ساعت شروع مدارس ۸ صبح باشد",
            "پيشنهاد:  ساعت شروع مدارس ۸ صبح باشد",
            "پیشنهاد: ساعت شروع مدارس 8 صبح باشد.",
            "پیشنهاد: ساعت شروع مدارس ۸ صبح باشد",
            "پیشنهاد: ساعت شروع مدارس ۸ صبح باشد",
        ];
        let mut ids = Vec::new();
        let mut tokens = Vec::new();
        for ((name, channel, language), text) in members.iter().zip(texts) {
            let token = t.register(&participant(name, *channel, *language)).await;
            if matches!(channel, Some((Channel::Bale, _))) {
                t.link_bale_chat(&token, &format!("chat of {name}")).await;
            }
            ids.push(proposal(&t, c, &token, text).await);
            tokens.push(token);
        }
        ids.push(proposal(&t, c, &tokens[0], texts[0]).await);
        let other = proposal(&t, c, &tokens[1], "پیشنهادی دیگر درباره سرویس مدارس").await;
        t.approve(&ids[1..], &[]).await;
        t.approve(&[other], &[]).await;
        Campaign { t, c, ids, other }
    }

    async fn proposals(&self, query: &str) -> Page<Proposal> {
        let t = &self.t;
        serde_json::from_value(
            t.ok(
                "GET",
                &format!("{}{query}", paths::consultation_proposals(self.c)),
                Some(&t.operator),
                None,
            )
            .await,
        )
        .unwrap()
    }

    /// The group answered through its second member.
    async fn answer(&self) {
        let (s, saved) = save(
            &self.t,
            self.ids[1],
            json!({"version": 0, "outcome": "accepted",
            "rationale_fa": "ساعت شروع از مهر آینده ۸ صبح است.",
            "rationale_en": "School starts at 8 from next autumn.", "legal_basis": "بند ۴ ماده ۲"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{saved}");
    }
}

/// The first member is still pending: the group's first approved proposal stands for it.
async fn a_campaign_group_is_one_row(backend: Backend) {
    let f = Campaign::start(backend).await;
    let list = f.proposals("").await;
    assert_eq!(list.items.len(), 2, "one row per campaign group");
    let row = &list.items[0];
    assert_eq!(row.comment.id, f.ids[1]);
    assert_eq!(row.group_size, 6);
    assert_eq!(list.items[1].comment.id, f.other);
}

async fn proposals_page_by_keyset(backend: Backend) {
    let f = Campaign::start(backend).await;
    let page = f.proposals("?limit=1").await;
    assert_eq!(page.items.len(), 1);
    let next = page.next_after.unwrap();
    let page = f.proposals(&format!("?limit=1&after={next}")).await;
    assert_eq!(page.items[0].comment.id, f.other);
}

/// Answered once, through any member: the group has one decision.
async fn a_campaign_group_is_answered_once(backend: Backend) {
    let f = Campaign::start(backend).await;
    let (t, ids) = (&f.t, &f.ids);
    f.answer().await;
    let (s, conflict) = save(t, ids[2], json!({"version": 0, "outcome": "rejected"})).await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "another member's save is the same group's decision"
    );
    assert_eq!(conflict["current"]["proposal_id"], ids[1]);
    t.approve(&[ids[0]], &[]).await;
    let list = f.proposals("").await;
    assert_eq!(
        list.items[0].comment.id, ids[1],
        "the decided member keeps standing for the group"
    );
    assert_eq!(list.items[0].decision.as_ref().unwrap().version, 1);
}

/// One message to each member with a messenger, once (Maryam sent it twice), in their language;
/// publishing again does not message anyone twice.
async fn every_member_with_a_messenger_hears_once(backend: Backend) {
    let f = Campaign::start(backend).await;
    let (t, c, ids) = (&f.t, f.c, &f.ids);
    f.answer().await;
    t.approve(&[ids[0]], &[]).await;
    t.close(c).await;
    let published = t
        .ok(
            "POST",
            &paths::consultation_decisions_publish(c),
            Some(&t.operator),
            None,
        )
        .await;
    assert_eq!(published["published"], json!([ids[1]]));
    assert_eq!(published["messages"], 3);
    let mut outbox: Page<OutboxMessage> = serde_json::from_value(
        t.ok(
            "GET",
            &format!("{}?consultation_id={c}", paths::OUTBOX),
            Some(&t.operator),
            None,
        )
        .await,
    )
    .unwrap();
    // The answers (approving the proposals also told their authors: api_bale_bot.rs).
    outbox
        .items
        .retain(|m| m.kind == mosharekat_api::MessageKind::DecisionPublished);
    let mut got: Vec<(Channel, Language)> = outbox
        .items
        .iter()
        .map(|m| (m.channel, m.language))
        .collect();
    got.sort_by_key(|(c, _)| c.as_str());
    assert_eq!(
        got,
        vec![
            (Channel::Bale, Language::Fa),
            (Channel::Eitaa, Language::Fa),
            (Channel::Webhook, Language::En)
        ]
    );
    for m in &outbox.items {
        assert_eq!(m.kind, mosharekat_api::MessageKind::DecisionPublished);
        assert_eq!(m.subject_id, ids[1]);
        assert_eq!(
            m.status,
            mosharekat_api::OutboxStatus::Pending,
            "no channel is configured here"
        );
        match m.language {
            Language::Fa => {
                assert!(m.text.contains("ساعت شروع از مهر آینده") && m.text.contains("پذیرفته شد"))
            }
            Language::En => {
                assert!(m.text.contains("School starts at 8") && m.text.contains("Accepted"))
            }
        }
        assert!(m.text.contains("بند ۴ ماده ۲"));
    }
    let keys: std::collections::HashSet<&str> = outbox
        .items
        .iter()
        .map(|m| m.idempotency_key.as_str())
        .collect();
    assert_eq!(keys.len(), 3, "a key per message");
    let again = t
        .ok(
            "POST",
            &paths::consultation_decisions_publish(c),
            Some(&t.operator),
            None,
        )
        .await;
    assert_eq!(again["messages"], 0);
}

/// The concern-tag list this file's tests set.
fn tag_list() -> Value {
    json!([
        {"code": "fees", "label_fa": "شهریه", "label_en": "Fees"},
        {"code": "teachers", "label_fa": "معلمان", "label_en": "Teachers"}
    ])
}

/// An open consultation with [`tag_list`] set, and three pending comments on it.
async fn tagged_consultation(t: &TestServer) -> (i64, Vec<i64>) {
    let c = t.open_consultation().await;
    let path = paths::consultation_tags(c);
    let list = tag_list();
    assert_eq!(
        t.ok("PUT", &path, Some(&t.operator), Some(list.clone()))
            .await,
        list
    );
    assert_eq!(t.ok("GET", &path, Some(&t.moderator), None).await, list);
    let citizen = t.participant("Leila").await;
    let mut pending = Vec::new();
    for i in 0..3 {
        pending.push(
            t.comment(c, &citizen, &format!("نظر درباره شهریه {i}"))
                .await,
        );
    }
    (c, pending)
}

/// Without a list any tag goes.
async fn without_a_tag_list_any_tag_goes(backend: Backend) {
    let t = TestServer::start(backend).await;
    let c = t.open_consultation().await;
    assert_eq!(
        t.ok(
            "GET",
            &paths::consultation_tags(c),
            Some(&t.moderator),
            None
        )
        .await,
        json!([])
    );
    let citizen = t.participant("Leila").await;
    let free = t.comment(c, &citizen, "نظر اول").await;
    t.approve(&[free], &["anything"]).await;
}

async fn bad_tag_lists_change_nothing(backend: Backend) {
    let t = TestServer::start(backend).await;
    let c = t.open_consultation().await;
    let path = paths::consultation_tags(c);
    for (body, code) in [
        (
            json!([{"code": "Fees", "label_fa": "شهریه", "label_en": "Fees"}]),
            "validation_failed",
        ),
        (
            json!([{"code": "fees", "label_fa": "شهریه", "label_en": ""}]),
            "missing_translation",
        ),
        (
            json!([{"code": "fees", "label_fa": "شهریه", "label_en": "Fees"}, {"code": "fees", "label_fa": "ب", "label_en": "B"}]),
            "validation_failed",
        ),
        (json!({"code": "fees"}), "validation_failed"),
    ] {
        let (s, e) = t
            .call("PUT", &path, Some(&t.operator), Some(body.clone()))
            .await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(code)),
            "{body}"
        );
    }
    assert_eq!(
        t.ok("GET", &path, Some(&t.moderator), None).await,
        json!([])
    );
    let (s, _) = t
        .call(
            "PUT",
            &paths::consultation_tags(999_999),
            Some(&t.operator),
            Some(json!([])),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

/// A claim carries the list; a decision may use only its codes. Replacing the list is audited
/// and announced.
async fn a_claim_carries_the_tag_list_and_decisions_use_only_its_codes(backend: Backend) {
    let t = TestServer::start(backend).await;
    let (c, _) = tagged_consultation(&t).await;
    let list = tag_list();
    let claim = t
        .ok(
            "POST",
            paths::QUEUE_CLAIM,
            Some(&t.moderator),
            Some(json!({"limit": 1})),
        )
        .await;
    let item = &claim["items"][0];
    assert_eq!(item["concern_tags"], list);
    let id = item["id"].as_i64().unwrap();
    let decide = |tags: Value| json!({"action": "approve", "tags": tags, "claim_token": item["claim_token"]});
    let (s, e) = t
        .call(
            "POST",
            &paths::comment_decision(id),
            Some(&t.moderator),
            Some(decide(json!(["fees", "budget"]))),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_tag"))
    );
    assert!(e["error"]["message"].as_str().unwrap().contains("budget"));
    let c1 = t
        .ok("GET", &paths::comment(id), Some(&t.moderator), None)
        .await;
    assert_eq!(
        c1["status"], "pending",
        "a refused decision changed nothing"
    );
    let (s, d) = t
        .call(
            "POST",
            &paths::comment_decision(id),
            Some(&t.moderator),
            Some(decide(json!(["fees", "teachers"]))),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(
        d["comment"]["decision"]["tags"],
        json!(["fees", "teachers"])
    );

    // Replacing the list is audited and announced.
    let audit = t.store().audit_entries(0, 1_000).await.unwrap();
    assert!(
        audit.iter().any(|e| e.entry.action == "consultation.tags"
            && e.entry.target == format!("consultation:{c}"))
    );
    let events = t.store().events_after(0, 1_000).await.unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.kind == mosharekat_api::EventKind::TagsChanged { consultation_id: c })
    );
}

/// A bulk decision with an unknown tag is refused whole.
async fn a_bulk_decision_with_an_unknown_tag_is_refused_whole(backend: Backend) {
    let t = TestServer::start(backend).await;
    let (_, rest) = tagged_consultation(&t).await;
    let (s, e) = t
        .call(
            "POST",
            paths::COMMENTS_BULK_DECISION,
            Some(&t.moderator),
            Some(json!({"ids": rest, "action": "approve", "tags": ["nope"]})),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_tag"))
    );
    for p in &rest {
        let c = t
            .ok("GET", &paths::comment(*p), Some(&t.moderator), None)
            .await;
        assert_eq!(c["status"], "pending");
    }
    t.approve(&rest, &["fees"]).await;
}
