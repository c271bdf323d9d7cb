//! Drafts as documents over HTTP, on SQLite and PostgreSQL: importing versions (recognised,
//! audited, announced), reading them, their list and their article-by-article difference, who may
//! see what, refusals that change nothing, and comments that name an article.

mod support;

use mosharekat_api::{
    ArticleChangeKind, DraftDiff, DraftVersion, DraftVersionSummary, EventKind, paths,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Backend, TestServer, consultation_json};

both!(
    import_read_list_and_compare_versions,
    who_may_see_a_draft,
    bad_imports_are_refused_and_change_nothing,
    comments_name_an_article_of_their_consultation,
    public_decisions_carry_their_article
);

/// A realistic bilingual implementing regulation (8 articles, 6 notes, 16 clauses).
const FA: &str = include_str!("../../draft/tests/drafts/ayinnameh-shoraha.txt");
const EN: &str = include_str!("../../draft/tests/drafts/ayinnameh-shoraha.en.txt");

/// The second version: article 2 reworded, article 7 struck out, an article 9 added.
fn revised() -> (String, String) {
    let cut = |text: &str, from: &str, to: &str| {
        let (a, b) = (text.find(from).unwrap(), text.find(to).unwrap());
        format!("{}{}", &text[..a], &text[b..])
    };
    let fa = cut(FA, "ماده ۷ -", "ماده ۸ -")
        .replace("هدف از تشکیل شورا", "هدف اصلی از تشکیل شورا")
        .replace(
            "این آیین‌نامه در ۸ ماده",
            "ماده ۹ - این آیین‌نامه از تاریخ ابلاغ لازم‌الاجرا است.\n\nاین آیین‌نامه در ۸ ماده",
        );
    let en = cut(EN, "Article 7 –", "Article 8 –")
        .replace("The council aims", "The council's main aims are")
        .replace(
            "This regulation in 8 articles",
            "Article 9 – This regulation takes effect when it is communicated.\n\nThis regulation in 8 articles",
        );
    (fa, en)
}

async fn import(t: &TestServer, consultation: i64, body: Value) -> (StatusCode, Value) {
    t.call(
        "PUT",
        &paths::consultation_document(consultation),
        Some(&t.operator),
        Some(body),
    )
    .await
}

async fn import_ok(t: &TestServer, consultation: i64, fa: &str, en: Option<&str>) -> DraftVersion {
    let (status, body) = import(t, consultation, json!({"text_fa": fa, "text_en": en})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    serde_json::from_value(body).unwrap()
}

async fn import_read_list_and_compare_versions(backend: Backend) {
    let t = TestServer::start(backend).await;
    let c = t.open_consultation().await;
    let audit_before = t.store().audit_entries(0, 100_000).await.unwrap().len();

    let v1 = import_ok(&t, c, FA, Some(EN)).await;
    assert_eq!((v1.consultation_id, v1.version), (c, 1));
    assert_eq!(v1.imported_by.as_deref(), Some("operator1"));
    let summary = v1.summary();
    assert_eq!(
        (summary.articles, summary.notes, summary.clauses),
        (8, 6, 16)
    );
    assert!(summary.bilingual);
    let third = &v1.articles[2].content;
    assert_eq!((third.number, third.label.as_str()), (3, "۳"));
    assert!(third.text_fa.starts_with("اعضای شورا عبارتند از"));
    assert!(
        third
            .text_en
            .as_deref()
            .unwrap()
            .starts_with("The members of the council")
    );
    assert_eq!(third.notes.len(), 2);
    assert_eq!(v1.articles[3].content.notes[0].clauses.len(), 2);
    assert!(v1.preamble_fa.as_deref().unwrap().starts_with("بسمه تعالی"));
    assert!(
        v1.closing_en
            .as_deref()
            .unwrap()
            .starts_with("This regulation in 8 articles")
    );

    // What was stored is what is read.
    let read: DraftVersion = serde_json::from_value(
        t.ok(
            "GET",
            &paths::consultation_document(c),
            Some(&t.moderator),
            None,
        )
        .await,
    )
    .unwrap();
    assert_eq!(read, v1);

    let (fa2, en2) = revised();
    let v2 = import_ok(&t, c, &fa2, Some(&en2)).await;
    assert_eq!(v2.version, 2);
    assert_eq!(v2.articles.len(), 8);
    // Every article of every version has an id of its own.
    let mut ids: Vec<i64> = v1
        .articles
        .iter()
        .chain(&v2.articles)
        .map(|a| a.id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 16);

    // The old version stays readable, unchanged.
    let old: DraftVersion = serde_json::from_value(
        t.ok(
            "GET",
            &format!("{}?version=1", paths::consultation_document(c)),
            Some(&t.operator),
            None,
        )
        .await,
    )
    .unwrap();
    assert_eq!(old, v1);
    let latest: DraftVersion = serde_json::from_value(
        t.ok(
            "GET",
            &paths::consultation_document(c),
            Some(&t.operator),
            None,
        )
        .await,
    )
    .unwrap();
    assert_eq!(latest, v2);

    let versions: Vec<DraftVersionSummary> = serde_json::from_value(
        t.ok(
            "GET",
            &paths::consultation_document_versions(c),
            Some(&t.moderator),
            None,
        )
        .await,
    )
    .unwrap();
    assert_eq!(
        versions
            .iter()
            .map(|v| (v.version, v.articles))
            .collect::<Vec<_>>(),
        [(2, 8), (1, 8)]
    );

    let diff: DraftDiff = serde_json::from_value(
        t.ok(
            "GET",
            &format!("{}?from=1&to=2", paths::consultation_document_diff(c)),
            Some(&t.operator),
            None,
        )
        .await,
    )
    .unwrap();
    use ArticleChangeKind::*;
    assert_eq!(
        diff.articles
            .iter()
            .map(|a| (a.number, a.change))
            .collect::<Vec<_>>(),
        [
            (1, Unchanged),
            (2, Changed),
            (3, Unchanged),
            (4, Unchanged),
            (5, Unchanged),
            (6, Unchanged),
            (7, Removed),
            (8, Unchanged),
            (9, Added)
        ]
    );
    let second = &diff.articles[1];
    assert!(
        second
            .from
            .as_ref()
            .unwrap()
            .content
            .text_fa
            .starts_with("هدف از تشکیل")
            && second
                .to
                .as_ref()
                .unwrap()
                .content
                .text_fa
                .starts_with("هدف اصلی از تشکیل")
    );
    assert!(diff.articles[6].to.is_none() && diff.articles[8].from.is_none());
    assert!(!diff.preamble_changed && !diff.closing_changed);

    // Each import is audited and announced.
    let audit = t.store().audit_entries(0, 100_000).await.unwrap();
    let imports: Vec<_> = audit[audit_before..]
        .iter()
        .filter(|e| e.entry.action == "consultation.document")
        .collect();
    assert_eq!(imports.len(), 2);
    assert_eq!(imports[1].entry.actor, "operator1");
    assert_eq!(imports[1].entry.target, format!("consultation:{c}"));
    let events = t.store().events_after(0, 10_000).await.unwrap();
    assert!(events.iter().any(|e| e.kind
        == EventKind::DocumentImported {
            consultation_id: c,
            version: 2,
            articles: 8
        }));
}

async fn who_may_see_a_draft(backend: Backend) {
    let t = TestServer::start(backend).await;
    let now = t.now();
    // A consultation not yet published: staff read its draft, the public does not see it.
    let unpublished = t
        .ok(
            "POST",
            paths::CONSULTATIONS,
            Some(&t.operator),
            Some(consultation_json(
                now + chrono::Duration::days(2),
                now + chrono::Duration::days(40),
            )),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    import_ok(&t, unpublished, FA, None).await;
    t.ok(
        "GET",
        &paths::consultation_document(unpublished),
        Some(&t.moderator),
        None,
    )
    .await;
    for path in [
        paths::public_consultation_document(unpublished),
        paths::public_consultation_document_versions(unpublished),
        format!(
            "{}?from=1&to=1",
            paths::public_consultation_document_diff(unpublished)
        ),
    ] {
        let (status, body) = t.call("GET", &path, None, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
    }

    // Published: the public reads it, without staff names.
    let open = t.open_consultation().await;
    let (status, body) = t
        .call(
            "GET",
            &paths::public_consultation_document(open),
            None,
            None,
        )
        .await;
    assert_eq!(
        (status, body["error"]["message"].as_str()),
        (
            StatusCode::NOT_FOUND,
            Some("this consultation has no draft text yet")
        )
    );
    import_ok(&t, open, FA, Some(EN)).await;
    let public = t
        .ok(
            "GET",
            &paths::public_consultation_document(open),
            None,
            None,
        )
        .await;
    assert_eq!(public["articles"].as_array().unwrap().len(), 8);
    assert!(public.get("imported_by").is_none(), "{public}");
    let versions = t
        .ok(
            "GET",
            &paths::public_consultation_document_versions(open),
            None,
            None,
        )
        .await;
    assert!(versions[0].get("imported_by").is_none());
    let diff = t
        .ok(
            "GET",
            &format!(
                "{}?from=1&to=1",
                paths::public_consultation_document_diff(open)
            ),
            None,
            None,
        )
        .await;
    assert!(
        diff["articles"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["change"] == "unchanged")
    );
    // A version that does not exist, and a diff without its versions.
    let (status, _) = t
        .call(
            "GET",
            &format!("{}?version=5", paths::public_consultation_document(open)),
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = t
        .call(
            "GET",
            &paths::consultation_document_diff(open),
            Some(&t.operator),
            None,
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("validation_failed"))
    );
    // No such consultation.
    let (status, _) = t
        .call(
            "GET",
            &paths::consultation_document(9999),
            Some(&t.admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Moderators read drafts but do not import them.
    let (status, _) = t
        .call(
            "PUT",
            &paths::consultation_document(open),
            Some(&t.moderator),
            Some(json!({"text_fa": FA})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn bad_imports_are_refused_and_change_nothing(backend: Backend) {
    let t = TestServer::start(backend).await;
    let c = t.open_consultation().await;
    import_ok(&t, c, FA, Some(EN)).await;
    let audit = t.store().audit_entries(0, 100_000).await.unwrap().len();
    let events = t.store().last_event_id().await.unwrap();

    let without_article_7 = {
        let (a, b) = (
            EN.find("Article 7 –").unwrap(),
            EN.find("Article 8 –").unwrap(),
        );
        format!("{}{}", &EN[..a], &EN[b..])
    };
    let cases = [
        (
            json!({"text_fa": "متنی بدون هیچ ماده‌ای\nفقط یک نامه"}),
            "no_articles",
            "no article was recognised in text_fa",
        ),
        (
            json!({"text_fa": FA, "text_en": "A text with no article at all"}),
            "no_articles",
            "no article was recognised in text_en",
        ),
        (
            json!({"text_fa": FA, "text_en": without_article_7}),
            "draft_mismatch",
            "article 7 is in the Persian text but not in the English",
        ),
        (
            json!({"text_fa": "  \n "}),
            "empty_body",
            "text_fa is empty",
        ),
        (
            json!({"text_fa": "ماده ۱ - متن\u{0}"}),
            "invalid_text",
            "NUL",
        ),
        (
            json!({"text_fa": FA, "format": "docx"}),
            "validation_failed",
            "",
        ),
        (json!({"format": "text"}), "validation_failed", ""),
        // A published, bilingual consultation keeps its English text.
        (
            json!({"text_fa": FA}),
            "missing_translation",
            "needs the English text too",
        ),
    ];
    for (body, code, message) in cases {
        let (status, answer) = import(&t, c, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert_eq!(answer["error"]["code"], code, "{body}: {answer}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .unwrap()
                .contains(message),
            "{body}: {answer}"
        );
    }
    // After the close the draft stays the one commented on.
    t.close(c).await;
    let (status, answer) = import(&t, c, json!({"text_fa": FA, "text_en": EN})).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("invalid_state")),
        "{answer}"
    );
    // None of it stored a version, an audit entry or an event (the close wrote its own).
    let versions = t
        .ok(
            "GET",
            &paths::consultation_document_versions(c),
            Some(&t.operator),
            None,
        )
        .await;
    assert_eq!(versions.as_array().unwrap().len(), 1);
    let entries = t.store().audit_entries(0, 100_000).await.unwrap();
    assert!(
        entries[audit..]
            .iter()
            .all(|e| e.entry.action != "consultation.document")
    );
    let later = t.store().events_after(events, 1000).await.unwrap();
    assert!(
        !later
            .iter()
            .any(|e| matches!(e.kind, EventKind::DocumentImported { .. }))
    );
}

async fn comment_on(
    t: &TestServer,
    consultation: i64,
    token: &str,
    body: Value,
) -> (StatusCode, Value) {
    t.call(
        "POST",
        &paths::public_consultation_comments(consultation),
        Some(token),
        Some(body),
    )
    .await
}

async fn comments_name_an_article_of_their_consultation(backend: Backend) {
    let t = TestServer::start(backend).await;
    let c = t.open_consultation().await;
    let other = t.open_consultation().await;
    let v1 = import_ok(&t, c, FA, Some(EN)).await;
    let (fa2, en2) = revised();
    let v2 = import_ok(&t, c, &fa2, Some(&en2)).await;
    let foreign = import_ok(&t, other, FA, None).await;
    let citizen = t.participant("Parisa").await;

    // An article of the latest version, and one of the earlier version: both belong.
    let third = v2.articles[2].id;
    let (status, answer) = comment_on(
        &t,
        c,
        &citizen,
        json!({"body": "تعداد نمایندگان کم است", "article_id": third}),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{answer}");
    let on_third = answer["id"].as_i64().unwrap();
    let seventh = v1.articles[6].id;
    let (status, answer) = comment_on(
        &t,
        c,
        &citizen,
        json!({"body": "ماده ۷ را نگه دارید", "article_id": seventh}),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{answer}");
    let on_seventh = answer["id"].as_i64().unwrap();
    let on_whole = t.comment(c, &citizen, "کل پیش‌نویس خوب است").await;

    let count = || async {
        t.ok(
            "GET",
            &format!("{}?consultation_id={c}&limit=200", paths::COMMENTS),
            Some(&t.moderator),
            None,
        )
        .await["items"]
            .as_array()
            .unwrap()
            .len()
    };
    let before = count().await;
    // No such article, and an article of another consultation's draft.
    for article_id in [i64::MAX, foreign.articles[0].id] {
        let (status, answer) = comment_on(
            &t,
            c,
            &citizen,
            json!({"body": "نظری دیگر", "article_id": article_id}),
        )
        .await;
        assert_eq!(
            (status, answer["error"]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_article")),
            "{answer}"
        );
    }
    assert_eq!(count().await, before, "a refused comment was stored");

    // The moderator's queue shows which article (and version) each is about.
    let claimed = t
        .ok(
            "POST",
            paths::QUEUE_CLAIM,
            Some(&t.moderator),
            Some(json!({"consultation_id": c, "limit": 10})),
        )
        .await;
    let items = claimed["items"].as_array().unwrap();
    let article_of = |id: i64| {
        items
            .iter()
            .find(|i| i["id"] == id)
            .unwrap_or_else(|| panic!("comment {id} not claimed: {claimed}"))
            .get("article")
            .cloned()
    };
    assert_eq!(
        article_of(on_third),
        Some(json!({"article_id": third, "number": 3, "label": "۳", "version": 2}))
    );
    assert_eq!(
        article_of(on_seventh),
        Some(json!({"article_id": seventh, "number": 7, "label": "۷", "version": 1}))
    );
    assert_eq!(article_of(on_whole), None);
    // Staff list the comments on one article.
    let on_article = t
        .ok(
            "GET",
            &format!("{}?article_id={third}", paths::COMMENTS),
            Some(&t.operator),
            None,
        )
        .await;
    let ids: Vec<i64> = on_article["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [on_third]);
    // A comment read alone carries its article too.
    let one = t
        .ok("GET", &paths::comment(on_third), Some(&t.operator), None)
        .await;
    assert_eq!(one["article"]["number"], 3);
}

async fn public_decisions_carry_their_article(backend: Backend) {
    let t = TestServer::start(backend).await;
    let c = t.open_consultation().await;
    let v1 = import_ok(&t, c, FA, Some(EN)).await;
    let citizen = t.participant("Hamid").await;
    let fourth = v1.articles[3].id;
    let (_, answer) = comment_on(
        &t,
        c,
        &citizen,
        json!({"body": "شرط معدل ۱۴ حذف شود", "is_proposal": true, "article_id": fourth}),
    )
    .await;
    let proposal = answer["id"].as_i64().unwrap();
    t.approve(&[proposal], &[]).await;
    t.close(c).await;
    t.ok(
        "PUT",
        &paths::proposal_decision(proposal),
        Some(&t.operator),
        Some(json!({"version": 0, "outcome": "partially_accepted",
            "rationale_fa": "معدل به ۱۲ کاهش یافت", "rationale_en": "The average was lowered to 12",
            "legal_basis": "ماده ۴ آیین‌نامه"})),
    )
    .await;
    t.ok(
        "POST",
        &paths::consultation_decisions_publish(c),
        Some(&t.operator),
        None,
    )
    .await;
    let decisions = t
        .ok("GET", &paths::public_consultation_decisions(c), None, None)
        .await;
    assert_eq!(
        decisions[0]["article"],
        json!({"article_id": fourth, "number": 4, "label": "۴", "version": 1}),
        "{decisions}"
    );
}
