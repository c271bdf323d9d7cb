//! The portal's forms over the real server, on SQLite and PostgreSQL: registration and sign-in
//! with the session cookie, comments, replies and ballots through the forms (post-redirect-get),
//! errors kept beside the fields with the typed text, CSRF (a post without its token or with a
//! wrong one is refused with 403 and changes nothing), the rate limit, and after the close: "you
//! said, we did", the report's charts, my certificates and their verification page; "my page"
//! with more than a hundred comments, paged by id.

mod portal_support;
mod support;

use mosharekat_api::paths;
use mosharekat_server::store::CommentFilter;
use portal_support::Browser;
use reqwest::StatusCode;
use serde_json::json;
use support::{Backend, TestServer};

both!(
    register_comment_and_vote_through_the_forms,
    a_post_without_its_csrf_token_changes_nothing,
    form_errors_keep_what_was_typed,
    sign_in_and_out_with_the_participant_key,
    form_posts_are_rate_limited,
    behind_a_proxy_each_client_has_its_own_limit,
    after_the_close_decisions_report_and_certificate,
    my_comments_come_in_pages_of_a_hundred,
    a_mobile_number_registers_and_signs_in,
);

async fn comments_of(t: &TestServer, consultation: i64) -> usize {
    t.store()
        .list_comments(
            &CommentFilter {
                consultation_id: Some(consultation),
                limit: 500,
                ..CommentFilter::default()
            },
            t.now(),
        )
        .await
        .unwrap()
        .len()
}

async fn yes_no_poll(t: &TestServer, c: i64) -> (i64, Vec<i64>) {
    let poll = t
        .ok(
            "POST",
            &paths::consultation_polls(c),
            Some(&t.operator),
            Some(json!({"kind": "yes_no_abstain", "question_fa": "با سقف شهریه موافقید؟", "question_en": "Do you agree with a cap on fees?"})),
        )
        .await;
    let options = poll["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    (poll["id"].as_i64().unwrap(), options)
}

async fn register_comment_and_vote_through_the_forms(backend: Backend) {
    let t = TestServer::start(backend).await;
    let c = t.open_consultation().await;
    let (poll, options) = yes_no_poll(&t, c).await;
    let mut browser = Browser::new(&t.server.url());

    // Before signing in, the comment form asks to register first and keeps where to return.
    let first = browser.get(&format!("/fa/c/{c}/comment")).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(
        first.body.contains("/fa/register?next=%2Ffa%2Fc%2F"),
        "{}",
        first.body
    );

    // With a mobile number (only verified participants vote).
    let registered = browser
        .register_verified("fa", "زهرا کریمی", &support::next_phone())
        .await;
    assert_eq!(registered.location(), "/fa/me?welcome=1");
    let cookie = registered
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("mk_session="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP without a proxy saying HTTPS"
    );
    let me = browser.get("/fa/me?welcome=1").await;
    assert!(me.body.contains("زهرا کریمی"));
    assert_eq!(me.header("cache-control"), Some("no-store"));
    // The stored participant has what the form said.
    let token = browser.cookies["mk_session"].clone();
    let stored = t
        .store()
        .participant_by_token(&mosharekat_server::auth::token_hash(&token))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.display_name, "زهرا کریمی");
    assert_eq!(stored.category, mosharekat_api::Category::Ngo);
    assert_eq!(stored.birth_year, Some(1985));
    assert!(stored.name_public);
    assert_eq!(stored.language, mosharekat_api::Language::Fa);

    // A comment: post, redirect, the confirmation, pending on my page.
    let form = browser.get(&format!("/fa/c/{c}/comment")).await;
    let sent = browser
        .post(
            &format!("/fa/c/{c}/comment"),
            &[
                ("csrf", &form.csrf()),
                ("body", "ماده ۳ مبهم است.\r\nلطفاً روشن شود."),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(sent.location(), format!("/fa/c/{c}?sent=comment"));
    let after = browser.get(sent.location()).await;
    assert!(after.body.contains("role=\"status\""));
    let mine = t
        .store()
        .list_comments(
            &CommentFilter {
                consultation_id: Some(c),
                ..CommentFilter {
                    limit: 10,
                    ..Default::default()
                }
            },
            t.now(),
        )
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].body, "ماده ۳ مبهم است.\nلطفاً روشن شود.");
    assert_eq!(mine[0].participant.id, stored.id);
    assert!(!mine[0].is_proposal);
    let me = browser.get("/fa/me").await;
    assert!(me.body.contains("ماده ۳ مبهم است."));
    assert!(me.body.contains("status-pending"));
    // Not public until approved; then shown, and a reply to it goes through the form.
    assert!(
        !browser
            .get(&format!("/fa/c/{c}"))
            .await
            .body
            .contains("ماده ۳ مبهم است.")
    );
    t.approve(&[mine[0].id], &[]).await;
    let page = browser.get(&format!("/fa/c/{c}")).await;
    assert!(page.body.contains("ماده ۳ مبهم است."));
    let reply_href = format!("/fa/c/{c}/comment?reply_to={}", mine[0].id);
    assert!(
        page.body.contains(&reply_href.replace('&', "&amp;")) || page.body.contains(&reply_href)
    );
    let reply_form = browser.get(&reply_href).await;
    assert!(reply_form.body.contains("name=\"parent_id\""));
    let replied = browser
        .post(
            &format!("/fa/c/{c}/comment"),
            &[
                ("csrf", &reply_form.csrf()),
                ("body", "موافقم."),
                ("parent_id", &mine[0].id.to_string()),
            ],
        )
        .await;
    assert_eq!(replied.status, StatusCode::SEE_OTHER, "{}", replied.body);
    // A proposal.
    let proposed = browser
        .post(
            &format!("/en/c/{c}/comment"),
            &[
                ("csrf", &reply_form.csrf()),
                ("body", "Cap fees at inflation."),
                ("proposal", "1"),
            ],
        )
        .await;
    assert_eq!(proposed.location(), format!("/en/c/{c}?sent=proposal"));
    let all = t
        .store()
        .list_comments(
            &CommentFilter {
                consultation_id: Some(c),
                limit: 10,
                ..Default::default()
            },
            t.now(),
        )
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[1].parent_id, Some(mine[0].id));
    assert!(all[2].is_proposal);

    // A ballot, then a changed ballot (replaced, not added).
    let ballot_form = browser.get(&format!("/fa/c/{c}/poll/{poll}")).await;
    let voted = browser
        .post(
            &format!("/fa/c/{c}/poll/{poll}"),
            &[
                ("csrf", &ballot_form.csrf()),
                ("option", &options[0].to_string()),
            ],
        )
        .await;
    assert_eq!(voted.status, StatusCode::SEE_OTHER, "{}", voted.body);
    assert_eq!(voted.location(), format!("/fa/c/{c}?sent=ballot"));
    let voted_again = browser
        .post(
            &format!("/fa/c/{c}/poll/{poll}"),
            &[
                ("csrf", &ballot_form.csrf()),
                ("option", &options[1].to_string()),
            ],
        )
        .await;
    assert_eq!(voted_again.status, StatusCode::SEE_OTHER);
    let tally = t.store().tally(poll, None).await.unwrap().unwrap();
    assert_eq!(tally.ballots, 1);
    let counts: Vec<i64> = tally.counts.iter().map(|c| c.count).collect();
    assert_eq!(counts, vec![0, 1, 0]);
    // The forms show the current choice.
    let again = browser.get(&format!("/fa/c/{c}/poll/{poll}")).await;
    assert!(
        again
            .body
            .contains(&format!("value=\"{}\" checked", options[1]))
    );
    assert_eq!(again.count(" checked"), 1);
    let page = browser.get(&format!("/fa/c/{c}")).await;
    assert!(
        page.body
            .contains(&format!("value=\"{}\" checked", options[1]))
    );
    let me = browser.get("/fa/me").await;
    assert!(me.body.contains("با سقف شهریه موافقید؟"));
    assert!(me.body.contains("مخالفم"), "my answer is shown");
}

async fn a_post_without_its_csrf_token_changes_nothing(backend: Backend) {
    let t = TestServer::start(backend).await;
    let c = t.open_consultation().await;
    let (poll, options) = yes_no_poll(&t, c).await;
    let mut browser = Browser::new(&t.server.url());
    browser.register("fa", "علی").await;
    let form = browser.get(&format!("/fa/c/{c}/comment")).await;
    let good = form.csrf();
    let wrong = format!("{}00", &good[..good.len() - 2]);
    let other_visitor = {
        let mut other = Browser::new(&t.server.url());
        other.get("/fa/register").await.csrf()
    };
    for token in [
        None,
        Some(""),
        Some(wrong.as_str()),
        Some(other_visitor.as_str()),
    ] {
        let mut fields = vec![("body", "متنی که نباید ثبت شود")];
        if let Some(token) = token {
            fields.push(("csrf", token));
        }
        let page = browser.post(&format!("/fa/c/{c}/comment"), &fields).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{token:?}");
        assert_eq!(page.lang_dir().0, "fa");
        let mut ballot = vec![("option", options[0].to_string())];
        if let Some(token) = token {
            ballot.push(("csrf", token.to_owned()));
        }
        let ballot: Vec<(&str, &str)> = ballot.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page = browser
            .post(&format!("/fa/c/{c}/poll/{poll}"), &ballot)
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(comments_of(&t, c).await, 0);
    assert_eq!(
        t.store().tally(poll, None).await.unwrap().unwrap().ballots,
        0
    );

    // Registration and sign-out without the token: refused, nothing created, still signed in.
    let mut stranger = Browser::new(&t.server.url());
    let page = stranger
        .post(
            "/fa/register",
            &[
                ("display_name", "مهاجم"),
                ("category", "public"),
                ("consent", "1"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(!stranger.cookies.contains_key("mk_session"));
    let page = browser.post("/fa/sign-out", &[]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(browser.get("/fa/me").await.status == StatusCode::OK);

    // With the token it goes through.
    let page = browser
        .post(
            &format!("/fa/c/{c}/comment"),
            &[("csrf", &good), ("body", "ثبت شود")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(comments_of(&t, c).await, 1);
}

async fn form_errors_keep_what_was_typed(backend: Backend) {
    let t = TestServer::start(backend).await;
    let c = t.open_consultation().await;
    let (poll, _) = yes_no_poll(&t, c).await;
    let mut browser = Browser::new(&t.server.url());

    // Registration: every problem beside its field, in the summary, the typed values kept.
    let form = browser.get("/en/register").await;
    let page = browser
        .post(
            "/en/register",
            &[
                ("csrf", &form.csrf()),
                ("display_name", "Ali <Rezaei>"),
                ("category", "public"),
                ("birth_year", "1700"),
                ("channel", "bale"),
                ("handle", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("value=\"Ali &#60;Rezaei&#62;\"")
            || page.body.contains("value=\"Ali &lt;Rezaei&gt;\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"1700\""));
    assert!(page.body.contains("class=\"error-summary\""));
    page.assert_accessible_structure("register with errors");
    for field in ["birth_year", "handle", "consent"] {
        assert!(page.body.contains(&format!("href=\"#{field}\"")), "{field}");
        assert!(
            page.body.contains(&format!("id=\"{field}-error\"")),
            "{field}"
        );
        assert!(
            page.body.contains(&format!("{field}-error\"")),
            "aria-describedby names {field}'s error"
        );
    }
    assert!(page.body.contains("Enter a year of birth between"));
    assert!(
        !browser.cookies.contains_key("mk_session"),
        "nobody was registered"
    );
    // The same rules as the JSON route: it refuses the same registration.
    let (status, _) = t
        .call(
            "POST",
            paths::PUBLIC_PARTICIPANTS,
            None,
            Some(json!({"display_name": "Ali", "category": "public", "birth_year": 1700, "consent": true})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // A comment that is too long or empty: the error beside the field and the text kept.
    browser.register("en", "Ali").await;
    let form = browser.get(&format!("/en/c/{c}/comment")).await;
    let long = "مشارکت ".repeat(2_000);
    let page = browser
        .post(
            &format!("/en/c/{c}/comment"),
            &[("csrf", &form.csrf()), ("body", &long), ("proposal", "1")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains(long.trim_end()),
        "the typed text is kept"
    );
    assert!(page.body.contains("id=\"body-error\""));
    page.assert_accessible_structure("comment with an error");
    assert!(
        page.body
            .contains("aria-describedby=\"body-hint body-error\"")
    );
    assert!(
        page.body
            .contains("id=\"proposal\" name=\"proposal\" type=\"checkbox\" value=\"1\" checked")
    );
    let page = browser
        .post(
            &format!("/en/c/{c}/comment"),
            &[("csrf", &form.csrf()), ("body", " \u{200c} ")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Enter your comment"));
    assert_eq!(comments_of(&t, c).await, 0);

    // A ballot without a choice.
    let form = browser.get(&format!("/en/c/{c}/poll/{poll}")).await;
    let page = browser
        .post(&format!("/en/c/{c}/poll/{poll}"), &[("csrf", &form.csrf())])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Choose an answer"));
    assert!(page.body.contains("href=\"#option\""));
    assert_eq!(
        t.store().tally(poll, None).await.unwrap().unwrap().ballots,
        0
    );
}

async fn sign_in_and_out_with_the_participant_key(backend: Backend) {
    let t = TestServer::start(backend).await;
    let token = t.participant("نرگس").await;
    let mut browser = Browser::new(&t.server.url());
    // My page needs a session: to the sign-in form, coming back after.
    let me = browser.get("/fa/me").await;
    assert_eq!(me.status, StatusCode::SEE_OTHER);
    assert_eq!(me.location(), "/fa/sign-in?next=%2Ffa%2Fme");
    let form = browser.get("/fa/sign-in?next=%2Ffa%2Fme").await;
    assert!(form.body.contains("name=\"next\" value=\"/fa/me\""));
    let wrong = browser
        .post(
            "/fa/sign-in",
            &[
                ("csrf", &form.csrf()),
                ("key", "not-a-key"),
                ("next", "/fa/me"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!browser.cookies.contains_key("mk_session"));
    // `next` never leads to another host.
    let signed = browser
        .post(
            "/fa/sign-in",
            &[
                ("csrf", &form.csrf()),
                ("key", &token),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER);
    assert_eq!(signed.location(), "/fa/me?welcome=1");
    let me = browser.get("/fa/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert!(me.body.contains("نرگس"));
    assert!(me.body.contains(&token), "the key is shown on my own page");
    let out = browser.post("/fa/sign-out", &[("csrf", &me.csrf())]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(!browser.cookies.contains_key("mk_session"));
    assert_eq!(browser.get("/fa/me").await.status, StatusCode::SEE_OTHER);
}

async fn form_posts_are_rate_limited(backend: Backend) {
    let t = TestServer::start_with(backend, |config| {
        config.portal.form_burst = 3;
        config.portal.form_refill = std::time::Duration::from_secs(3600);
    })
    .await;
    let c = t.open_consultation().await;
    let mut browser = Browser::new(&t.server.url());
    browser.register("fa", "پرکار").await; // one post
    let form = browser.get(&format!("/fa/c/{c}/comment")).await;
    for n in 0..2 {
        let page = browser
            .post(
                &format!("/fa/c/{c}/comment"),
                &[("csrf", &form.csrf()), ("body", &format!("نظر {n}"))],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
    }
    let page = browser
        .post(
            &format!("/fa/c/{c}/comment"),
            &[("csrf", &form.csrf()), ("body", "یکی بیشتر")],
        )
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(page.lang_dir().0, "fa");
    assert_eq!(comments_of(&t, c).await, 2);
    // Reading is never limited.
    assert_eq!(
        browser.get(&format!("/fa/c/{c}")).await.status,
        StatusCode::OK
    );
}

async fn after_the_close_decisions_report_and_certificate(backend: Backend) {
    let t = TestServer::start(backend).await;
    let c = t.open_consultation().await;
    let mut browser = Browser::new(&t.server.url());
    browser
        .register_verified("fa", "پریسا", &support::next_phone())
        .await;
    let form = browser.get(&format!("/fa/c/{c}/comment")).await;
    browser
        .post(
            &format!("/fa/c/{c}/comment"),
            &[
                ("csrf", &form.csrf()),
                ("body", "پیشنهاد: شهریه با تورم گره بخورد."),
                ("proposal", "1"),
            ],
        )
        .await;
    let proposal = t
        .store()
        .list_comments(
            &CommentFilter {
                consultation_id: Some(c),
                limit: 10,
                ..Default::default()
            },
            t.now(),
        )
        .await
        .unwrap()[0]
        .id;
    // Another comment, rejected with a reason that my page names.
    let form = browser.get(&format!("/fa/c/{c}/comment")).await;
    browser
        .post(
            &format!("/fa/c/{c}/comment"),
            &[("csrf", &form.csrf()), ("body", "تبلیغ")],
        )
        .await;
    let rejected = proposal + 1;
    t.ok(
        "POST",
        paths::COMMENTS_BULK_DECISION,
        Some(&t.moderator),
        Some(json!({"ids": [rejected], "action": "reject", "reason_code": "advertising"})),
    )
    .await;
    // Five more people, so that some cells of the report are large enough to be drawn.
    let mut others = Vec::new();
    for n in 0..5 {
        let token = t.participant(&format!("شرکت‌کننده {n}")).await;
        others.push(t.comment(c, &token, &format!("نظر شماره {n}")).await);
    }
    t.approve(&others, &[]).await;
    t.approve(&[proposal], &[]).await;
    t.close(c).await;
    // The comment form is closed now, signed in or not.
    let closed = browser.get(&format!("/fa/c/{c}/comment")).await;
    assert_eq!(closed.status, StatusCode::CONFLICT);
    let mut stranger = Browser::new(&t.server.url());
    let closed = stranger.get(&format!("/en/c/{c}/comment")).await;
    assert_eq!(closed.status, StatusCode::CONFLICT);
    assert!(closed.body.contains("This consultation is not open"));

    t.ok(
        "PUT",
        &paths::proposal_decision(proposal),
        Some(&t.operator),
        Some(
            json!({"version": 0, "outcome": "accepted", "rationale_fa": "در ماده ۵ آمد.",
            "rationale_en": "Added to article 5.", "legal_basis": "ماده ۷ قانون"}),
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
    t.ok(
        "POST",
        &paths::consultation_report(c),
        Some(&t.operator),
        None,
    )
    .await;
    t.ok(
        "POST",
        &paths::consultation_report_publish(c),
        Some(&t.operator),
        None,
    )
    .await;
    for lang in ["fa", "en"] {
        let page = browser.get(&format!("/{lang}/c/{c}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("پیشنهاد: شهریه با تورم گره بخورد."));
        let (rationale, outcome) = if lang == "fa" {
            ("در ماده ۵ آمد.", "outcome-accepted")
        } else {
            ("Added to article 5.", "outcome-accepted")
        };
        assert!(page.body.contains(rationale), "{lang}");
        // With the report's 4 charts and tables (31 provinces) still well under 50 KB gzipped.
        let gzipped = browser.get_gzipped(&format!("/{lang}/c/{c}")).await;
        assert_eq!(gzipped.header("content-encoding"), Some("gzip"));
        let bytes: usize = gzipped.body.parse().unwrap();
        assert!(bytes < 50 * 1024, "{lang}: {bytes} bytes gzipped");
        let closed = if lang == "fa" {
            "امروز بسته شد"
        } else {
            "Closed today"
        };
        assert!(page.body.contains(closed), "{lang}");
        assert!(page.body.contains(outcome));
        // The report's key figures and a chart per breakdown, each with its table.
        assert_eq!(page.count("<svg"), 4, "{lang}");
        assert!(page.body.contains("<rect class=\"bar\""));
        assert!(
            page.body.contains("&#60;5") || page.body.contains("&lt;5"),
            "suppressed cells"
        );
        assert_eq!(page.count("class=\"chart-table\""), 4);
        page.assert_accessible_structure("closed consultation");
        // Top participants: only those who consented to be named.
        let top = &page.body[page
            .body
            .find("id=\"top-heading\"")
            .expect("top participants")..];
        assert!(top.contains("پریسا"), "{lang}");
        assert!(!top.contains("شرکت‌کننده"), "{lang}: named without consent");
        // Closed: no comment or ballot forms.
        assert!(
            !page.body.contains(&format!("/{lang}/c/{c}/comment")),
            "{lang}"
        );
        assert!(!page.body.contains("name=\"option\""), "{lang}");
    }

    // The outcomes feed announces both.
    let outcomes = browser.get("/feeds/outcomes-en.atom").await;
    assert_eq!(outcomes.count("<entry>"), 2, "{}", outcomes.body);
    assert!(
        outcomes
            .body
            .contains("Report published: Executive regulation")
    );
    assert!(
        outcomes
            .body
            .contains("Answers to proposals published: Executive regulation")
    );

    // My page: the rejected comment's reason from the reason catalogue; the score.
    let me = browser.get("/fa/me").await;
    assert!(me.body.contains("آگهی تجاری"), "{}", me.body);
    let me_en = browser.get("/en/me").await;
    assert!(me_en.body.contains("Commercial advertising"));

    // The certificate: proposed at the close, approved by an admin, then on my page and verified.
    let participant = t
        .store()
        .participant_by_token(&mosharekat_server::auth::token_hash(
            &browser.cookies["mk_session"],
        ))
        .await
        .unwrap()
        .unwrap();
    let cert = t
        .eventually("a proposed certificate", || async {
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
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["participant_id"].as_i64() == Some(participant.id))
                .cloned()
        })
        .await;
    let approved = t
        .ok(
            "POST",
            &paths::certificate_approve(cert["id"].as_i64().unwrap()),
            Some(&t.admin),
            None,
        )
        .await;
    let code = approved["verification_code"]
        .as_str()
        .or_else(|| approved["certificate"]["verification_code"].as_str())
        .unwrap_or_else(|| panic!("{approved}"))
        .to_owned();
    let me = browser.get("/fa/me").await;
    assert!(
        me.body.contains(&format!("href=\"/fa/verify/{code}\"")),
        "{}",
        me.body
    );
    for lang in ["fa", "en"] {
        let mut anyone = Browser::new(&t.server.url());
        let page = anyone.get(&format!("/{lang}/verify/{code}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("verdict-valid"), "{}", page.body);
        // The printed certificate's QR code leads back to this page.
        assert_eq!(
            decode_qr(&page.body),
            format!("{}/{lang}/verify/{code}", t.server.url())
        );
        assert!(page.body.contains("پریسا"));
        assert_eq!(page.lang_dir().0, lang);
        // The lookup form leads to the same page, whatever the code's case and hyphen.
        let lookup = anyone
            .get(&format!(
                "/{lang}/verify?code={}",
                code.to_lowercase().replace('-', "")
            ))
            .await;
        assert_eq!(lookup.status, StatusCode::SEE_OTHER);
        assert_eq!(lookup.location(), format!("/{lang}/verify/{code}"));
    }
    // Revoked: the page says so, with the reason, and the verdict is no longer "valid".
    t.ok(
        "POST",
        &paths::certificate_revoke(cert["id"].as_i64().unwrap()),
        Some(&t.admin),
        Some(json!({"reason": "صدور اشتباه"})),
    )
    .await;
    let page = browser.get(&format!("/fa/verify/{code}")).await;
    assert!(page.body.contains("verdict-invalid"));
    assert!(page.body.contains("صدور اشتباه"));
    assert!(page.body.contains("status-revoked"));
    let unknown = browser.get("/fa/verify/AAAAA-AAAAA").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

/// Behind a trusted proxy the limit keys by the address the proxy appended, so clients behind
/// one proxy do not share one bucket, and a client cannot escape its own by writing the header.
async fn behind_a_proxy_each_client_has_its_own_limit(backend: Backend) {
    let t = TestServer::start_with(backend, |config| {
        config.portal.form_burst = 1;
        config.portal.form_refill = std::time::Duration::from_secs(3600);
        config.portal.trust_proxy = true;
    })
    .await;
    async fn post_sign_in(browser: &mut Browser) -> StatusCode {
        let form = browser.get("/en/sign-in").await;
        browser
            .post("/en/sign-in", &[("csrf", &form.csrf()), ("key", "wrong")])
            .await
            .status
    }
    let via = |chain: &str| {
        let mut b = Browser::new(&t.server.url());
        b.headers.push(("x-forwarded-for".into(), chain.into()));
        b
    };
    let mut first = via("203.0.113.7");
    assert_eq!(
        post_sign_in(&mut first).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Another client (another session, another address) is not affected.
    let mut second = via("203.0.113.8");
    assert_eq!(
        post_sign_in(&mut second).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // The first client again, in a fresh session, claiming another address before the proxy's.
    let mut again = via("198.51.100.1, 203.0.113.7");
    assert_eq!(
        post_sign_in(&mut again).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

/// The text of the QR code drawn on a page (an SVG path of unit squares `M{x} {y}h1v1h-1z`).
fn decode_qr(body: &str) -> String {
    let view_box = portal_support::attr_after(body, "<svg viewBox=\"0 0 ").expect("a QR code");
    let size: usize = view_box.split(' ').next().unwrap().parse().unwrap();
    let path = portal_support::attr_after(body, "class=\"qr-dark\" d=\"").unwrap();
    let mut dark = vec![false; size * size];
    for square in path.split('M').filter(|s| !s.is_empty()) {
        let corner = square.trim_end_matches("h1v1h-1z");
        let (x, y) = corner.split_once(' ').unwrap();
        let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
        dark[y * size + x] = true;
    }
    const SCALE: usize = 4;
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(size * SCALE, size * SCALE, |x, y| {
            if dark[(y / SCALE) * size + x / SCALE] {
                0
            } else {
                255
            }
        });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().expect("decodes").1
}

/// "My page" lists my comments a hundred at a time, oldest first, with a "next page" link
/// (`?after=` the last id shown) while there are more, and a link back to the first page.
async fn my_comments_come_in_pages_of_a_hundred(backend: Backend) {
    let t = TestServer::start(backend).await;
    let c = t.open_consultation().await;
    let mut browser = Browser::new(&t.server.url());
    browser.register("fa", "پرکار").await;
    let token = browser.cookies["mk_session"].clone();
    let body = |n: usize| format!("نظر شمارهٔ {n:03} دربارهٔ این پیش‌نویس");
    let mut ids = Vec::new();
    for n in 0..200 {
        ids.push(t.comment(c, &token, &body(n)).await);
    }
    // Somebody else's comment is never on my page.
    let other = t.participant("دیگری").await;
    t.comment(c, &other, "نظر کس دیگری").await;

    let first = browser.get("/fa/me").await;
    assert_eq!(first.status, StatusCode::OK);
    for n in 0..100 {
        assert!(first.body.contains(&body(n)), "comment {n} on page 1");
    }
    assert!(!first.body.contains(&body(100)));
    assert!(!first.body.contains("نظر کس دیگری"));
    assert!(
        first.body.find(&body(0)).unwrap() < first.body.find(&body(99)).unwrap(),
        "oldest first"
    );
    let next = first.link_with_rel("next").expect("a next page");
    assert_eq!(next, format!("/fa/me?after={}#my-comments", ids[99]));
    assert!(first.body.contains("aria-label=\"صفحه‌های نظرهای من\""));

    // Exactly two hundred: the second page is the last (no link to an empty third).
    let second = browser.get(&next).await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.body.contains(&body(100)) && second.body.contains(&body(199)));
    assert!(!second.body.contains(&body(99)));
    assert_eq!(second.link_with_rel("next"), None);
    assert!(
        second.body.contains("href=\"/fa/me#my-comments\""),
        "back to the first page"
    );
    // The language switch keeps the page.
    assert!(
        second
            .body
            .contains(&format!("href=\"/en/me?after={}", ids[99])),
        "{}",
        second.body
    );
    assert_eq!(second.header("cache-control"), Some("no-store"));

    // One more: now the second page leads to a third with just that one.
    let last = t.comment(c, &token, &body(200)).await;
    let second = browser.get(&next).await;
    let third = browser
        .get(&second.link_with_rel("next").expect("a third page"))
        .await;
    assert!(third.body.contains(&body(200)));
    assert!(!third.body.contains(&body(199)));
    assert_eq!(third.link_with_rel("next"), None);
    assert!(last > ids[199]);

    // A cursor that is not a number shows the first page.
    let bad = browser.get("/fa/me?after=abc").await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.body.contains(&body(0)) && !bad.body.contains(&body(100)));
    // Past the end: no comments on this page, and the way back.
    let past = browser.get(&format!("/fa/me?after={last}")).await;
    assert_eq!(past.status, StatusCode::OK);
    assert!(!past.body.contains(&body(200)));
    assert!(past.body.contains("href=\"/fa/me#my-comments\""));
}

/// The code flow on the portal: a bad number and a wrong code are shown beside their fields with
/// what was typed kept; the same number written another way signs the same participant in.
async fn a_mobile_number_registers_and_signs_in(backend: Backend) {
    let t = TestServer::start(backend).await;
    let mut browser = Browser::new(&t.server.url());
    let form = browser.get("/en/register").await;
    let page = browser
        .post(
            "/en/register",
            &[
                ("csrf", &form.csrf()),
                ("step", "send_code"),
                ("phone", "0912-abc"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"phone-error\""), "{}", page.body);
    assert!(page.body.contains("Enter an Iranian mobile number"));
    assert!(page.body.contains("value=\"0912-abc\""));
    assert!(!browser.cookies.contains_key("mk_session"));

    let phone = support::next_phone();
    let registered = browser.register_verified("en", "Ava", &phone).await;
    assert_eq!(registered.location(), "/en/me?welcome=1");
    let first = t
        .store()
        .participant_by_token(&mosharekat_server::auth::token_hash(
            &browser.cookies["mk_session"],
        ))
        .await
        .unwrap()
        .unwrap();
    assert!(first.verified_at.is_some());

    // Another device: the number in Persian digits with the country code.
    let mut other = Browser::new(&t.server.url());
    let form = other.get("/fa/sign-in").await;
    let persian: String = format!("+98{}", &phone[1..])
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32('۰' as u32 + d).unwrap(),
            None => c,
        })
        .collect();
    let sent = other
        .post(
            "/fa/sign-in",
            &[
                ("csrf", &form.csrf()),
                ("step", "send_code"),
                ("phone", &persian),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(sent.body.contains("id=\"code-form\""));
    let code = portal_support::demo_code(&sent.body);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let refused = other
        .post(
            "/fa/sign-in",
            &[("csrf", &form.csrf()), ("phone", &persian), ("code", wrong)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"code-error\""),
        "{}",
        refused.body
    );
    assert!(refused.body.contains(&format!("value=\"{wrong}\"")));
    assert!(!other.cookies.contains_key("mk_session"));
    let signed_in = other
        .post(
            "/fa/sign-in",
            &[("csrf", &form.csrf()), ("phone", &persian), ("code", &code)],
        )
        .await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.body
    );
    let second = t
        .store()
        .participant_by_token(&mosharekat_server::auth::token_hash(
            &other.cookies["mk_session"],
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(second.id, first.id);
    assert_eq!(second.display_name, "Ava");

    // Someone registered without a number proves one while signed in: it becomes theirs.
    let mut plain = Browser::new(&t.server.url());
    plain.register("fa", "بی‌شماره").await;
    let session = plain.cookies["mk_session"].clone();
    let before = t
        .store()
        .participant_by_token(&mosharekat_server::auth::token_hash(&session))
        .await
        .unwrap()
        .unwrap();
    assert!(before.verified_at.is_none());
    let form = plain.get("/fa/sign-in").await;
    let number = support::next_phone();
    let sent = plain
        .post(
            "/fa/sign-in",
            &[
                ("csrf", &form.csrf()),
                ("step", "send_code"),
                ("phone", &number),
            ],
        )
        .await;
    let code = portal_support::demo_code(&sent.body);
    let done = plain
        .post(
            "/fa/sign-in",
            &[("csrf", &form.csrf()), ("phone", &number), ("code", &code)],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(plain.cookies["mk_session"], session);
    let after = t.store().get_participant(before.id).await.unwrap().unwrap();
    assert!(after.verified_at.is_some());
}
