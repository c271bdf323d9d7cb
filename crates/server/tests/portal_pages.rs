//! The citizen portal's pages over the real server, on SQLite and PostgreSQL: every page type in
//! Persian and English with the right `lang`/`dir` and its content, the security headers, the
//! language switch, the 404 page, escaping of what citizens wrote, nothing from another host, and
//! each page under 50 KB gzipped.

mod portal_support;
mod support;

use mosharekat_api::paths;
use portal_support::{Browser, check_page};
use reqwest::StatusCode;
use serde_json::json;
use support::{Backend, TestServer};

both!(
    every_page_type_in_both_languages,
    the_root_and_unknown_paths,
    what_citizens_wrote_is_shown_as_text,
    the_language_switch_keeps_the_page,
    the_stylesheet_is_cached_under_its_hash,
    search_finds_titles_in_either_script,
    feeds_calendar_sitemap_and_the_call_block,
    comments_in_threads_and_pages,
);

/// An open consultation with a poll and an approved comment, a scheduled one, and a browser.
async fn scenario(backend: Backend) -> (TestServer, i64, Browser) {
    scenario_with(backend, |_| {}).await
}

async fn scenario_with(
    backend: Backend,
    configure: impl FnOnce(&mut mosharekat_server::ServerConfig),
) -> (TestServer, i64, Browser) {
    let t = TestServer::start_with(backend, configure).await;
    let c = t.open_consultation().await;
    t.ok(
        "POST",
        &paths::consultation_polls(c),
        Some(&t.operator),
        Some(json!({"kind": "yes_no_abstain", "question_fa": "با سقف شهریه موافقید؟", "question_en": "Do you agree with a cap on fees?"})),
    )
    .await;
    let citizen = t.participant("مریم").await;
    let comment = t
        .comment(c, &citizen, "سقف شهریه باید با تورم هماهنگ شود.")
        .await;
    t.approve(&[comment], &[]).await;
    let now = t.now();
    let upcoming = t
        .ok(
            "POST",
            paths::CONSULTATIONS,
            Some(&t.operator),
            Some(json!({
                "kind": "circular", "title_fa": "بخشنامه پوشش دانش‌آموزان",
                "title_en": "Circular on school uniforms", "summary_fa": "خلاصه", "summary_en": "Summary",
                "drafting_unit": "معاونت پرورشی", "opens_at": now + chrono::Duration::days(3),
                "closes_at": now + chrono::Duration::days(40), "portal_url": "https://www.medu.ir/fa/c/2",
            })),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    t.ok(
        "POST",
        &paths::consultation_publish(upcoming),
        Some(&t.operator),
        None,
    )
    .await;
    let browser = Browser::new(&t.server.url());
    (t, c, browser)
}

async fn every_page_type_in_both_languages(backend: Backend) {
    let (t, c, mut browser) = scenario(backend).await;
    let poll = t.store().list_polls(c).await.unwrap()[0].id;
    let cases: [(&str, &[&str]); 2] = [
        (
            "fa",
            &[
                "نظرخواهی‌های عمومی",
                "آیین‌نامه اجرایی مدارس غیردولتی",
                "بخشنامه پوشش دانش‌آموزان",
                "باز برای نظرخواهی",
                "تاکنون ۱ نظر",
            ],
        ),
        (
            "en",
            &[
                "Public consultations",
                "Executive regulation of non-governmental schools",
                "Circular on school uniforms",
                "Open for comment",
                "1 comment so far",
            ],
        ),
    ];
    for (lang, home_texts) in cases {
        check_page(&mut browser, &format!("/{lang}/"), lang, home_texts).await;
        let consultation = check_page(
            &mut browser,
            &format!("/{lang}/c/{c}"),
            lang,
            &["سقف شهریه باید با تورم هماهنگ شود.", "معاونت آموزش ابتدایی"],
        )
        .await;
        // The poll's form while open, in the page's language.
        let question = if lang == "fa" {
            "با سقف شهریه موافقید؟"
        } else {
            "Do you agree with a cap on fees?"
        };
        assert!(consultation.body.contains(question));
        assert!(
            consultation
                .body
                .contains(&format!("action=\"/{lang}/c/{c}/poll/{poll}\""))
        );
        // The English summary on the Persian page is marked as English, and the other way round.
        assert!(consultation.body.contains("lang=\"en\" dir=\"ltr\""));
        assert!(consultation.body.contains("lang=\"fa\" dir=\"rtl\""));
        check_page(
            &mut browser,
            &format!("/{lang}/register"),
            lang,
            &["name=\"consent\""],
        )
        .await;
        check_page(
            &mut browser,
            &format!("/{lang}/sign-in"),
            lang,
            &["name=\"key\""],
        )
        .await;
        check_page(
            &mut browser,
            &format!("/{lang}/verify"),
            lang,
            &["name=\"code\""],
        )
        .await;
    }
    // Dates in the language's calendar and digits: Jalali months and Persian digits in Persian.
    let fa = browser.get(&format!("/fa/c/{c}")).await;
    let jalali = mosharekat_locale::calendar::jalali_at(t.now());
    let month_fa = mosharekat_locale::Catalogue::builtin("fa")
        .unwrap()
        .text(&format!("month.persian.{}", jalali.month))
        .to_owned();
    assert!(fa.body.contains(&month_fa), "{month_fa}");
    assert!(
        fa.body
            .contains(&mosharekat_locale::digits::to_persian_digits(
                &jalali.year.to_string()
            ))
    );

    // Signed in: the comment form, the ballot form and my page.
    browser.register("fa", "سارا").await;
    for lang in ["fa", "en"] {
        check_page(
            &mut browser,
            &format!("/{lang}/c/{c}/comment"),
            lang,
            &["name=\"body\""],
        )
        .await;
        check_page(
            &mut browser,
            &format!("/{lang}/c/{c}/poll/{poll}"),
            lang,
            &["name=\"option\""],
        )
        .await;
        check_page(&mut browser, &format!("/{lang}/me"), lang, &["سارا"]).await;
        let nope = browser.get(&format!("/{lang}/no-such-page")).await;
        assert_eq!(nope.status, StatusCode::NOT_FOUND);
        assert_eq!(nope.lang_dir().0, lang);
    }
}

async fn the_root_and_unknown_paths(backend: Backend) {
    let (t, c, mut browser) = scenario(backend).await;
    let root = browser.get("/").await;
    assert_eq!(root.status, StatusCode::SEE_OTHER);
    assert_eq!(root.location(), "/fa/");
    assert_eq!(browser.get("/en").await.location(), "/en/");
    // A draft is not public; an unknown id or path is the 404 page in the path's language.
    let draft = t
        .ok(
            "POST",
            paths::CONSULTATIONS,
            Some(&t.operator),
            Some(support::consultation_json(
                t.now() + chrono::Duration::days(1),
                t.now() + chrono::Duration::days(40),
            )),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    for path in [
        format!("/fa/c/{draft}"),
        "/fa/c/999999".to_owned(),
        "/fa/c/not-a-number".to_owned(),
        "/fa/x/y/z".to_owned(),
    ] {
        let page = browser.get(&path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(page.lang_dir(), ("fa".into(), "rtl".into()), "{path}");
        assert!(page.body.contains("صفحه پیدا نشد"), "{path}");
    }
    let en = browser.get("/en/c/999999").await;
    assert_eq!(en.status, StatusCode::NOT_FOUND);
    assert!(en.body.contains("Page not found"));
    // A browser outside the portal's prefixes gets the page; the API keeps its JSON errors.
    let other = browser.get("/elsewhere").await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert!(other.body.contains("<html"));
    let (status, body) = t.call("GET", "/no-such-route", None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
    // The API still answers beside the portal.
    let (status, _) = t
        .call("GET", &paths::public_consultation(c), None, None)
        .await;
    assert_eq!(status, StatusCode::OK);
}

async fn what_citizens_wrote_is_shown_as_text(backend: Backend) {
    let (t, c, mut browser) = scenario(backend).await;
    let citizen = t.participant("<b>نام</b>").await;
    let hostile = "<script>alert('x')</script> \"quoted\" & <img src=https://evil.example/x.png>";
    let id = t.comment(c, &citizen, hostile).await;
    t.approve(&[id], &[]).await;
    let page = browser.get(&format!("/fa/c/{c}")).await;
    assert!(!page.body.contains("<script"), "{}", page.body);
    assert!(!page.body.contains("<img"));
    assert!(page.body.contains("&#60;script&#62;") || page.body.contains("&lt;script&gt;"));
    assert!(page.body.contains("alert("));
    for reference in page.references() {
        assert!(!reference.contains("evil.example"), "{reference}");
    }
}

async fn the_language_switch_keeps_the_page(backend: Backend) {
    let (_t, c, mut browser) = scenario(backend).await;
    let fa = browser.get(&format!("/fa/c/{c}?after=0")).await;
    assert!(
        fa.body.contains(&format!(
            "href=\"/en/c/{c}?after=0\" hreflang=\"en\" lang=\"en\""
        )),
        "{}",
        fa.body
    );
    let en = browser.get("/en/register").await;
    assert!(
        en.body
            .contains("href=\"/fa/register\" hreflang=\"fa\" lang=\"fa\"")
    );
    assert!(en.body.contains(">فارسی<"));
}

async fn the_stylesheet_is_cached_under_its_hash(backend: Backend) {
    let (_t, _c, mut browser) = scenario(backend).await;
    let home = browser.get("/fa/").await;
    let href = portal_support::attr_after(&home.body, "rel=\"stylesheet\" href=\"").unwrap();
    assert!(
        href.starts_with("/static/portal.") && href.ends_with(".css"),
        "{href}"
    );
    let css = browser.get(&href).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    assert!(css.header("cache-control").unwrap().contains("immutable"));
    assert!(css.body.contains("@media print"));
    assert!(css.header("set-cookie").is_none());
    let stale = browser.get("/static/portal.000000000000.css").await;
    assert_eq!(stale.status, StatusCode::NOT_FOUND);
}

async fn search_finds_titles_in_either_script(backend: Backend) {
    let (_t, _c, mut browser) = scenario(backend).await;
    // Arabic yeh and kaf find the Persian letters.
    let q = "آيين‌نامه";
    let encoded: String = q.bytes().map(|b| format!("%{b:02X}")).collect();
    let page = browser.get(&format!("/fa/?q={encoded}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("آیین‌نامه اجرایی مدارس غیردولتی"));
    assert!(!page.body.contains("بخشنامه پوشش دانش‌آموزان"));
    assert!(page.body.contains("۱ نظرخواهی پیدا شد"), "{}", page.body);
    let en = browser.get("/en/?q=uniforms").await;
    assert!(en.body.contains("Circular on school uniforms"));
    assert!(!en.body.contains("Executive regulation"));
}

async fn feeds_calendar_sitemap_and_the_call_block(backend: Backend) {
    const PUBLIC: &str = "https://participation.example.ir";
    let (t, c, mut browser) = scenario_with(backend, |config| {
        config.portal.public_url = Some(format!("{PUBLIC}/"));
    })
    .await;
    let calls = browser.get("/feeds/calls-fa.atom").await;
    assert_eq!(calls.status, StatusCode::OK);
    assert!(
        calls
            .header("content-type")
            .unwrap()
            .starts_with("application/atom+xml")
    );
    assert!(calls.header("set-cookie").is_none(), "feeds are cacheable");
    assert!(calls.body.starts_with("<?xml"));
    assert!(
        calls
            .body
            .contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fa\">")
    );
    assert!(calls.body.contains("آیین‌نامه اجرایی مدارس غیردولتی"));
    assert!(calls.body.contains(&format!("href=\"{PUBLIC}/fa/c/{c}\"")));
    assert_eq!(calls.count("<entry>"), 2);
    let en = browser.get("/feeds/calls-en.atom").await;
    assert!(
        en.body
            .contains("Executive regulation of non-governmental schools")
    );
    assert!(en.body.contains(&format!("href=\"{PUBLIC}/en/c/{c}\"")));
    let outcomes = browser.get("/feeds/outcomes-en.atom").await;
    assert_eq!(outcomes.status, StatusCode::OK);
    assert_eq!(outcomes.count("<entry>"), 0, "nothing published yet");
    assert_eq!(
        browser.get("/feeds/nope.atom").await.status,
        StatusCode::NOT_FOUND
    );

    let ics = browser.get("/feeds/deadlines.ics").await;
    assert!(
        ics.header("content-type")
            .unwrap()
            .starts_with("text/calendar")
    );
    assert!(ics.body.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(ics.body.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(
        ics.count("BEGIN:VEVENT"),
        2,
        "the open and the scheduled call"
    );
    assert!(
        ics.body
            .contains(&format!("UID:deadline-{c}@participation.example.ir"))
    );
    let closes = t
        .store()
        .get_consultation(c, t.now())
        .await
        .unwrap()
        .unwrap()
        .closes_at;
    assert!(
        ics.body
            .contains(&format!("DTSTART:{}", closes.format("%Y%m%dT%H%M%SZ")))
    );
    for line in ics.body.split("\r\n") {
        assert!(line.len() <= 75, "folded: {line}");
    }

    let sitemap = browser.get("/sitemap.xml").await;
    assert!(
        sitemap
            .body
            .contains(&format!("<loc>{PUBLIC}/fa/c/{c}</loc>"))
    );
    assert!(
        sitemap
            .body
            .contains(&format!("<loc>{PUBLIC}/en/c/{c}</loc>"))
    );
    assert!(sitemap.body.contains("hreflang=\"en\""));

    let robots = browser.get("/robots.txt").await;
    assert!(
        robots
            .body
            .contains(&format!("Sitemap: {PUBLIC}/sitemap.xml"))
    );
    assert!(robots.body.contains("Disallow: /fa/me"));

    let block = browser.get(&format!("/embed/{c}/call.html")).await;
    assert_eq!(block.status, StatusCode::OK);
    assert!(block.body.contains("lang=\"fa\" dir=\"rtl\""));
    assert!(block.body.contains("lang=\"en\" dir=\"ltr\""));
    assert!(block.body.contains(&format!("href=\"{PUBLIC}/fa/c/{c}\"")));
    assert!(block.body.contains(&format!("href=\"{PUBLIC}/en/c/{c}\"")));
    assert!(!block.body.contains("<script") && !block.body.contains("style="));
    let text = browser.get(&format!("/embed/{c}/call.txt")).await;
    assert!(
        text.header("content-type")
            .unwrap()
            .starts_with("text/plain")
    );
    assert!(text.body.contains("آیین‌نامه اجرایی مدارس غیردولتی"));
    assert!(
        text.body
            .contains("Executive regulation of non-governmental schools")
    );
    assert!(text.body.contains(&format!("{PUBLIC}/fa/c/{c}")));
    assert!(text.body.contains(&format!("{PUBLIC}/en/c/{c}")));
    assert_eq!(
        browser.get("/embed/999999/call.txt").await.status,
        StatusCode::NOT_FOUND
    );

    // The page staff copy them from is a portal page like any other.
    for lang in ["fa", "en"] {
        let share = check_page(
            &mut browser,
            &format!("/{lang}/c/{c}/share"),
            lang,
            &["mosharekat-call"],
        )
        .await;
        assert!(
            share
                .body
                .contains(&format!("href=\"/embed/{c}/call.html\""))
        );
    }
}

async fn comments_in_threads_and_pages(backend: Backend) {
    let (t, c, mut browser) = scenario(backend).await;
    let first = t
        .store()
        .list_comments(
            &mosharekat_server::store::CommentFilter {
                consultation_id: Some(c),
                limit: 1,
                ..Default::default()
            },
            t.now(),
        )
        .await
        .unwrap()[0]
        .id;
    let citizen = t.participant("پاسخ‌دهنده").await;
    let reply = |body: &'static str| {
        let citizen = citizen.clone();
        let t = &t;
        async move {
            let (status, v) = t
                .call(
                    "POST",
                    &paths::public_consultation_comments(c),
                    Some(&citizen),
                    Some(json!({"body": body, "parent_id": first})),
                )
                .await;
            assert_eq!(status, StatusCode::ACCEPTED, "{v}");
            v["id"].as_i64().unwrap()
        }
    };
    let near = reply("پاسخ نزدیک").await;
    let mut ids = vec![near];
    for n in 0..19 {
        ids.push(t.comment(c, &citizen, &format!("نظر مستقل {n}")).await);
    }
    let far = reply("پاسخ دور").await;
    ids.push(far);
    t.approve(&ids, &[]).await;
    let page = browser.get(&format!("/fa/c/{c}")).await;
    // The near reply sits in its parent's thread; the far one is on the next page.
    let thread = &page.body[page.body.find(&format!("id=\"comment-{first}\"")).unwrap()..];
    let replies = thread.find("class=\"replies\"").unwrap();
    assert!(thread[replies..].starts_with("class=\"replies\""));
    assert!(thread.find(&format!("id=\"comment-{near}\"")).unwrap() > replies);
    assert!(!page.body.contains("پاسخ دور"));
    let next = page.link_with_rel("next").expect("a next page");
    let second = browser.get(&next).await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.body.contains("پاسخ دور"));
    // Its parent is not on this page: the link leads to the page that has it.
    assert!(
        second.body.contains(&format!(
            "href=\"/fa/c/{c}?after={}#comment-{first}\"",
            first - 1
        )),
        "{}",
        second.body
    );
}
