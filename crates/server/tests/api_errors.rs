//! Protocol errors over HTTP: every refusal is `{error: {code, message}}` with the right status;
//! plus `/health` and the OpenAPI document.

mod support;

use mosharekat_api::{MAX_BODY_BYTES, paths};
use mosharekat_server::routes::{Access, ROUTES};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Backend, TestServer};

both!(
    body_size_limit,
    unknown_routes_and_methods,
    bodies_that_do_not_parse,
    health_and_openapi
);

/// Send raw bytes with an optional content type; returns the status and the parsed error body,
/// asserting the error shape (JSON, `code` and a non-empty `message`).
async fn raw(
    t: &TestServer,
    method: &str,
    path: &str,
    token: Option<&str>,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> (StatusCode, String) {
    let mut req = t
        .http
        .request(method.parse().unwrap(), t.url(path))
        .body(body);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    let resp = req.send().await.unwrap();
    error_of(resp).await
}

async fn error_of(resp: reqwest::Response) -> (StatusCode, String) {
    let status = resp.status();
    let ct = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    let text = resp.text().await.unwrap();
    assert!(
        ct.as_deref()
            .is_some_and(|c| c.starts_with("application/json")),
        "{status}: content type {ct:?}: {text}"
    );
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_shape(&v);
    (status, v["error"]["code"].as_str().unwrap().to_owned())
}

fn assert_shape(v: &Value) {
    let obj = v.as_object().unwrap();
    assert_eq!(obj.len(), 1, "{v}");
    let e = v["error"].as_object().unwrap();
    assert_eq!(e.len(), 2, "{v}");
    assert!(!e["code"].as_str().unwrap().is_empty(), "{v}");
    assert!(!e["message"].as_str().unwrap().is_empty(), "{v}");
}

async fn body_size_limit(backend: Backend) {
    let t = TestServer::start(backend).await;
    let json_of = |len: usize| {
        serde_json::to_vec(&json!({
            "display_name": "x".repeat(len), "category": "public", "consent": true
        }))
        .unwrap()
    };
    // Over the limit with a declared length: 413, wherever it is sent.
    let big = json_of(MAX_BODY_BYTES + 1);
    for (path, token) in [
        ("/public/participants", None),
        ("/consultations", Some(t.operator.as_str())),
        ("/auth/logout", Some(t.admin.as_str())),
        ("/no/such/route", None),
    ] {
        let (status, code) = raw(
            &t,
            "POST",
            path,
            token,
            Some("application/json"),
            big.clone(),
        )
        .await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            "{path}"
        );
    }
    // Over the limit without a declared length (chunked): cut off where it is read.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        big.chunks(16 * 1024).map(|c| Ok(c.to_vec())).collect();
    let resp = t
        .http
        .post(t.url("/public/participants"))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(futures::stream::iter(chunks)))
        .send()
        .await
        .unwrap();
    let (status, code) = error_of(resp).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
    // Just under the limit is read (and refused for what it says: a 100-character name).
    let overhead = json_of(0).len();
    let (status, code) = raw(
        &t,
        "POST",
        paths::PUBLIC_PARTICIPANTS,
        None,
        Some("application/json"),
        json_of(MAX_BODY_BYTES - overhead),
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
}

async fn unknown_routes_and_methods(backend: Backend) {
    let t = TestServer::start(backend).await;
    for path in [
        "/api/v1/nope",
        "/api/v1/consultations/1/nope",
        "/api/v2/health",
        paths::HEALTH,
    ] {
        let resp = t
            .http
            .get(format!("{}{path}", t.server.url()))
            .send()
            .await
            .unwrap();
        let (status, code) = error_of(resp).await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::NOT_FOUND, "not_found"),
            "{path}"
        );
    }
    // `/` is the citizen portal's: it sends a browser to the Persian home page.
    let resp = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(t.server.url())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()["location"], "/fa/");
    // A path parameter that is not an id names no resource.
    let resp = t
        .http
        .get(t.url("/consultations/abc"))
        .bearer_auth(&t.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(resp).await.0, StatusCode::NOT_FOUND);
    // Unknown ids.
    for path in [
        &paths::consultation(999_999),
        &paths::poll(999_999),
        &paths::comment(999_999),
    ] {
        let resp = t
            .http
            .get(t.url(path))
            .bearer_auth(&t.admin)
            .send()
            .await
            .unwrap();
        assert_eq!(
            error_of(resp).await,
            (StatusCode::NOT_FOUND, "not_found".into()),
            "{path}"
        );
    }
    // Known routes, wrong method.
    for (method, path) in [
        ("DELETE", paths::CONSULTATIONS),
        ("PUT", paths::HEALTH),
        ("GET", paths::LOGIN),
        ("POST", paths::DEADLINES),
        ("DELETE", &paths::staff_member(1)),
    ] {
        let (status, code) = raw(&t, method, path, Some(&t.admin), None, Vec::new()).await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            "{method} {path}"
        );
    }
    // Bad query strings.
    for path in [
        &format!("{}?limit=0", paths::CONSULTATIONS),
        &format!("{}?limit=abc", paths::CONSULTATIONS),
        &format!("{}?status=sleeping", paths::CONSULTATIONS),
        &format!("{}?status=x", paths::COMMENTS),
    ] {
        let resp = t
            .http
            .get(t.url(path))
            .bearer_auth(&t.admin)
            .send()
            .await
            .unwrap();
        assert_eq!(
            error_of(resp).await,
            (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed".into()),
            "{path}"
        );
    }
}

async fn bodies_that_do_not_parse(backend: Backend) {
    let t = TestServer::start(backend).await;
    let operator = Some(t.operator.as_str());
    let json = Some("application/json");
    let cases: Vec<(Option<&str>, &[u8], StatusCode, &str)> = vec![
        (json, b"{\"kind\": \"regulation\",", StatusCode::BAD_REQUEST, "malformed_json"),
        (json, b"not json at all", StatusCode::BAD_REQUEST, "malformed_json"),
        (json, b"", StatusCode::BAD_REQUEST, "malformed_json"),
        (json, b"{\"kind\": \"regulation\"} trailing", StatusCode::BAD_REQUEST, "malformed_json"),
        (json, b"{\"kind\": \"regulation\"}", StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        (json, b"[]", StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        (json, b"{\"kind\": \"memo\", \"title_fa\": \"x\", \"drafting_unit\": \"u\", \"opens_at\": \"2030-01-01T00:00:00Z\", \"closes_at\": \"2030-03-01T00:00:00Z\"}", StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        (json, b"{\"kind\": \"regulation\", \"title_fa\": \"x\", \"drafting_unit\": \"u\", \"opens_at\": \"tomorrow\", \"closes_at\": \"2030-03-01T00:00:00Z\"}", StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        (None, b"{}", StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        (Some("text/plain"), b"{}", StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        (Some("application/x-www-form-urlencoded"), b"kind=regulation", StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
    ];
    for (ct, body, status, code) in cases {
        let got = raw(
            &t,
            "POST",
            paths::CONSULTATIONS,
            operator,
            ct,
            body.to_vec(),
        )
        .await;
        assert_eq!(
            (got.0, got.1.as_str()),
            (status, code),
            "{ct:?} {}",
            String::from_utf8_lossy(body)
        );
    }
    // `application/json; charset=utf-8` is JSON.
    let now = t.now();
    let body = serde_json::to_vec(&support::consultation_json(
        now,
        now + chrono::Duration::days(40),
    ))
    .unwrap();
    let resp = t
        .http
        .post(t.url("/consultations"))
        .bearer_auth(&t.operator)
        .header("content-type", "application/json; charset=utf-8")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    // None of the refused bodies was stored.
    let list = t
        .ok("GET", paths::CONSULTATIONS, Some(&t.operator), None)
        .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    // The same rules on the public side.
    let (status, code) = raw(
        &t,
        "POST",
        paths::PUBLIC_PARTICIPANTS,
        None,
        json,
        b"{\"display_name\":".to_vec(),
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::BAD_REQUEST, "malformed_json")
    );
    let (status, code) = raw(&t, "POST", paths::LOGIN, None, None, b"{}".to_vec()).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
    );
}

async fn health_and_openapi(backend: Backend) {
    let t = TestServer::start(backend).await;
    let health = t.ok("GET", paths::HEALTH, None, None).await;
    assert_eq!(health["status"], "ok");
    let db = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(health["database"], db);
    assert!(health["last_event_id"].is_i64());

    let resp = t.http.get(t.url("/openapi.json")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let doc: Value =
        serde_json::from_str(&resp.text().await.unwrap()).expect("the document is JSON");
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    let paths = doc["paths"].as_object().unwrap();
    let mut operations = 0;
    for route in ROUTES {
        let op = &paths[route.path][route.method.as_str()];
        assert!(
            op.is_object(),
            "{} {} is not in the document",
            route.method,
            route.path
        );
        assert_eq!(op["summary"], route.summary);
        match route.access {
            Access::Staff(roles) => {
                assert_eq!(op["security"][0]["staffToken"], json!([]));
                let listed: Vec<&str> = op["x-roles"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_str().unwrap())
                    .collect();
                assert!(listed.contains(&"admin"));
                assert!(roles.iter().all(|r| listed.contains(&r.as_str())));
            }
            Access::Participant => assert_eq!(op["security"][0]["participantToken"], json!([])),
            Access::Public => assert_eq!(op["security"], json!([])),
        }
        if route.path.contains("{id}") {
            assert_eq!(op["parameters"][0]["name"], "id");
        }
        operations += 1;
    }
    let documented: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(
        documented, operations,
        "the document lists exactly the route table"
    );
    // Each documented route answers (not the "no such route" fallback, not 405).
    for route in ROUTES {
        let path = route.path.replace("{id}", "1");
        let resp = t
            .http
            .request(route.method.to_string().parse().unwrap(), t.url(&path))
            .send()
            .await
            .unwrap();
        let status = resp.status();
        assert_ne!(
            status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{} {path}",
            route.method
        );
        if status == StatusCode::NOT_FOUND {
            let v: Value = resp.json().await.unwrap();
            assert_ne!(
                v["error"]["message"], "no such route",
                "{} {path}",
                route.method
            );
        }
    }
}
