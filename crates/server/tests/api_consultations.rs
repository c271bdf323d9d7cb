//! Consultations over HTTP: the publish rules, the life cycle on the clock, deadlines, edits.

mod support;

use chrono::Duration;
use mosharekat_api::paths;
use reqwest::StatusCode;
use serde_json::json;
use support::{Backend, TestServer, consultation_json};

both!(
    publish_rules,
    lifecycle_follows_the_clock,
    deadlines_flags_and_order,
    edits_and_early_close
);

async fn publish_rules(backend: Backend) {
    let t = TestServer::start(backend).await;
    let now = t.now();

    // A 20-day window: refused until an admin records a reason.
    let c = t
        .ok(
            "POST",
            paths::CONSULTATIONS,
            Some(&t.operator),
            Some(consultation_json(now, now + Duration::days(20))),
        )
        .await;
    let id = c["id"].as_i64().unwrap();
    assert_eq!(c["status"], "draft");
    let (status, body) = t
        .call(
            "POST",
            &paths::consultation_publish(id),
            Some(&t.operator),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["code"], "window_too_short");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("20 days")
    );
    // Nothing changed.
    assert_eq!(
        t.ok("GET", &paths::consultation(id), Some(&t.operator), None)
            .await["status"],
        "draft"
    );

    // An operator may not record the reason; an admin may.
    let reason = json!({"short_window_reason": "ابلاغ فوری وزیر برای شروع سال تحصیلی"});
    let (status, body) = t
        .call(
            "PATCH",
            &paths::consultation(id),
            Some(&t.operator),
            Some(reason.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    t.ok(
        "PATCH",
        &paths::consultation(id),
        Some(&t.admin),
        Some(reason),
    )
    .await;
    let published = t
        .ok(
            "POST",
            &paths::consultation_publish(id),
            Some(&t.operator),
            None,
        )
        .await;
    assert_eq!(published["status"], "open");
    // Publishing twice is a state error, not a silent success.
    let (status, body) = t
        .call(
            "POST",
            &paths::consultation_publish(id),
            Some(&t.operator),
            None,
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("invalid_state"))
    );

    // Missing English: refused with its own code.
    let mut body = consultation_json(now, now + Duration::days(45));
    body["summary_en"] = json!("");
    let c = t
        .ok("POST", paths::CONSULTATIONS, Some(&t.operator), Some(body))
        .await;
    let (status, body) = t
        .call(
            "POST",
            &paths::consultation_publish(c["id"].as_i64().unwrap()),
            Some(&t.operator),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["code"], "missing_translation");

    // Exactly 30 days is enough.
    let c = t
        .ok(
            "POST",
            paths::CONSULTATIONS,
            Some(&t.operator),
            Some(consultation_json(now, now + Duration::days(30))),
        )
        .await;
    t.ok(
        "POST",
        &paths::consultation_publish(c["id"].as_i64().unwrap()),
        Some(&t.operator),
        None,
    )
    .await;

    // Bad input: a window that ends before it starts, an unknown kind.
    let (status, _) = t
        .call(
            "POST",
            paths::CONSULTATIONS,
            Some(&t.operator),
            Some(consultation_json(now, now - Duration::days(1))),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut body = consultation_json(now, now + Duration::days(40));
    body["kind"] = json!("decree");
    let (status, body) = t
        .call("POST", paths::CONSULTATIONS, Some(&t.operator), Some(body))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("validation_failed"))
    );
}

async fn lifecycle_follows_the_clock(backend: Backend) {
    let t = TestServer::start(backend).await;
    let now = t.now();
    let c = t
        .ok(
            "POST",
            paths::CONSULTATIONS,
            Some(&t.operator),
            Some(consultation_json(
                now + Duration::days(2),
                now + Duration::days(40),
            )),
        )
        .await;
    let id = c["id"].as_i64().unwrap();
    let c = t
        .ok(
            "POST",
            &paths::consultation_publish(id),
            Some(&t.operator),
            None,
        )
        .await;
    assert_eq!(c["status"], "scheduled");

    let citizen = t.participant("رضا").await;
    let path = paths::public_consultation_comments(id);
    let (status, body) = t
        .call(
            "POST",
            &path,
            Some(&citizen),
            Some(json!({"body": "زود است"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("consultation_not_open"))
    );

    t.clock().advance(Duration::days(2));
    assert_eq!(
        t.ok("GET", &paths::consultation(id), Some(&t.operator), None)
            .await["status"],
        "open"
    );
    t.comment(id, &citizen, "حالا باز است").await;

    t.clock().advance(Duration::days(38));
    assert_eq!(
        t.ok("GET", &paths::consultation(id), Some(&t.operator), None)
            .await["status"],
        "closed"
    );
    let (status, body) = t
        .call(
            "POST",
            &path,
            Some(&citizen),
            Some(json!({"body": "دیر شد"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("consultation_not_open"))
    );
    // The refused comments were not stored.
    let page = t
        .ok(
            "GET",
            &format!("{}?consultation_id={id}", paths::COMMENTS),
            Some(&t.moderator),
            None,
        )
        .await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);

    // The scheduler announced both transitions (and the audit log says the system did it).
    let mut announced = Vec::new();
    for _ in 0..50 {
        let audit = t
            .ok(
                "GET",
                &format!("{}?limit=500", paths::AUDIT),
                Some(&t.admin),
                None,
            )
            .await;
        announced = audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["actor"] == "system" && e["target"] == format!("consultation:{id}"))
            .map(|e| e["action"].as_str().unwrap().to_owned())
            .collect();
        if announced.len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        announced.contains(&"consultation.closed".to_owned()),
        "{announced:?}"
    );
}

async fn deadlines_flags_and_order(backend: Backend) {
    let t = TestServer::start(backend).await;
    let now = t.now();
    let create = |opens: i64, closes: i64| {
        consultation_json(now + Duration::days(opens), now + Duration::days(closes))
    };

    let relaxed = t
        .ok(
            "POST",
            paths::CONSULTATIONS,
            Some(&t.operator),
            Some(create(-5, 40)),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    t.ok(
        "POST",
        &paths::consultation_publish(relaxed),
        Some(&t.operator),
        None,
    )
    .await;
    let soon = t
        .ok(
            "POST",
            paths::CONSULTATIONS,
            Some(&t.operator),
            Some(create(-29, 2)),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    t.ok(
        "POST",
        &paths::consultation_publish(soon),
        Some(&t.operator),
        None,
    )
    .await;
    let mut untranslated = create(1, 40);
    untranslated["title_en"] = json!("");
    let untranslated = t
        .ok(
            "POST",
            paths::CONSULTATIONS,
            Some(&t.operator),
            Some(untranslated),
        )
        .await["id"]
        .as_i64()
        .unwrap();

    // A consultation that closed 31 days ago with no report: publish it while it was open.
    let overdue = t
        .ok(
            "POST",
            paths::CONSULTATIONS,
            Some(&t.operator),
            Some(create(-1, 30)),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    t.ok(
        "POST",
        &paths::consultation_publish(overdue),
        Some(&t.operator),
        None,
    )
    .await;
    t.clock().advance(Duration::days(61));
    let now = t.now();

    let (status, _) = t
        .call("GET", paths::DEADLINES, Some(&t.moderator), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let d = t.ok("GET", paths::DEADLINES, Some(&t.operator), None).await;
    let items = d["items"].as_array().unwrap();
    let find = |id: i64| {
        items
            .iter()
            .find(|i| i["consultation_id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(find(overdue)["flags"], json!(["report_overdue"]));
    assert_eq!(find(untranslated)["flags"], json!(["missing_translation"]));
    assert_eq!(find(soon)["status"], "closed");
    // Closed 59 days ago without a report: overdue too, and longer overdue, so it comes first.
    assert_eq!(find(soon)["flags"], json!(["report_overdue"]));
    let relaxed_item = find(relaxed);
    assert_eq!(relaxed_item["status"], "closed");
    assert_eq!(relaxed_item["window_days"], 45);
    // Most urgent first.
    assert_eq!(items[0]["consultation_id"], soon);
    assert_eq!(items[1]["consultation_id"], overdue);
    assert!(
        d["generated_at"]
            .as_str()
            .unwrap()
            .starts_with(&now.format("%Y-%m-%d").to_string())
    );

    // closing_soon on a fresh one.
    let c = t
        .ok(
            "POST",
            paths::CONSULTATIONS,
            Some(&t.operator),
            Some(consultation_json(
                now - Duration::days(29),
                now + Duration::days(2),
            )),
        )
        .await;
    t.ok(
        "POST",
        &paths::consultation_publish(c["id"].as_i64().unwrap()),
        Some(&t.operator),
        None,
    )
    .await;
    let d = t.ok("GET", paths::DEADLINES, Some(&t.operator), None).await;
    let item = d["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["consultation_id"] == c["id"])
        .unwrap()
        .clone();
    assert_eq!(item["flags"], json!(["closing_soon"]));
    assert_eq!(item["days_left"], 2);
}

async fn edits_and_early_close(backend: Backend) {
    let t = TestServer::start(backend).await;
    let id = t.open_consultation().await;
    let c = t
        .ok("GET", &paths::consultation(id), Some(&t.operator), None)
        .await;
    let closes: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(c["closes_at"].clone()).unwrap();

    // Shortening an open consultation is refused and changes nothing.
    let (status, _) = t
        .call(
            "PATCH",
            &paths::consultation(id),
            Some(&t.operator),
            Some(json!({"closes_at": closes - Duration::days(5)})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    // Extending is allowed and logged as an extension.
    let extended = closes + Duration::days(7);
    let c = t
        .ok(
            "PATCH",
            &paths::consultation(id),
            Some(&t.operator),
            Some(json!({"closes_at": extended})),
        )
        .await;
    assert_eq!(
        serde_json::from_value::<chrono::DateTime<chrono::Utc>>(c["closes_at"].clone()).unwrap(),
        extended
    );
    let audit = t
        .ok(
            "GET",
            &format!("{}?limit=500", paths::AUDIT),
            Some(&t.admin),
            None,
        )
        .await;
    let entry = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "consultation.extend_deadline")
        .unwrap()
        .clone();
    assert_eq!(entry["actor"], "operator1");
    assert!(entry["before"]["closes_at"].is_string() && entry["after"]["closes_at"].is_string());

    // Early close: admin only, needs a reason.
    let path = paths::consultation_close(id);
    let (status, _) = t
        .call(
            "POST",
            &path,
            Some(&t.operator),
            Some(json!({"reason": "x"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = t
        .call("POST", &path, Some(&t.admin), Some(json!({"reason": "  "})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let c = t
        .ok(
            "POST",
            &path,
            Some(&t.admin),
            Some(json!({"reason": "لغو پیش‌نویس به دستور وزیر"})),
        )
        .await;
    assert_eq!(c["status"], "closed");
    assert_eq!(c["closed_early_reason"], "لغو پیش‌نویس به دستور وزیر");
    let (status, _) = t
        .call(
            "POST",
            &path,
            Some(&t.admin),
            Some(json!({"reason": "again"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Keyset paging over consultations.
    for _ in 0..3 {
        t.open_consultation().await;
    }
    let first = t
        .ok(
            "GET",
            &format!("{}?limit=2", paths::CONSULTATIONS),
            Some(&t.moderator),
            None,
        )
        .await;
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let after = first["next_after"].as_str().unwrap();
    let second = t
        .ok(
            "GET",
            &format!("{}?limit=2&after={after}", paths::CONSULTATIONS),
            Some(&t.moderator),
            None,
        )
        .await;
    assert_eq!(second["items"].as_array().unwrap().len(), 2);
    assert!(second["items"][0]["id"].as_i64().unwrap() > first["items"][1]["id"].as_i64().unwrap());
    let open = t
        .ok(
            "GET",
            &format!("{}?status=open", paths::CONSULTATIONS),
            Some(&t.moderator),
            None,
        )
        .await;
    assert_eq!(open["items"].as_array().unwrap().len(), 3);
}
