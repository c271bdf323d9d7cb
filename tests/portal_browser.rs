//! The public side and the staff's console in one loop, as people use them: a citizen in a real
//! browser (headless Chromium over WebDriver) registers on the portal and comments on article 3
//! of an imported draft; the comment appears in a moderator's console (the real binary in a
//! pseudo-terminal) and is approved there by a key press; the portal then shows it. After the
//! close, the answer published through the API appears under "you said, we did" and the published
//! report shows its charts. On the way, every page type is opened in Persian and English, saved
//! as a screenshot under `target/tmp/portal-screenshots/` for people to look at, checked by
//! axe-core for WCAG 2.2 A/AA violations (none allowed) and for reflow at 320 CSS pixels (nothing
//! sticks out sideways). The comment is written by keyboard alone (Tab, typing, Space, Enter);
//! the consultation page is read in a text browser (w3m) in order. No page runs a script (their
//! CSP is `script-src 'none'`), so everything here works with JavaScript off.

#[path = "support/browser.rs"]
mod browser;
mod support;

use browser::{Browser, ENTER, SPACE};
use mosharekat_api::paths;
use serde_json::{Value, json};
use support::{Backend, Console, ConsoleOptions, find};

/// A realistic regulation (the draft crate's fixture): a preamble and articles with clauses and
/// notes, Persian with its English translation.
const DRAFT_FA: &str = include_str!("../crates/draft/tests/drafts/ayinnameh-shoraha.txt");
const DRAFT_EN: &str = include_str!("../crates/draft/tests/drafts/ayinnameh-shoraha.en.txt");

/// The citizen's proposal: Persian, with a Latin tag that reads the same in any bidi order, so
/// the console's screen can be searched for it.
const PROPOSAL: &str = "مدت عضویت نمایندگان دو سال شود. REF-3317";

/// Every page a person can reach, checked the same way; violations are gathered so one page's
/// problem does not hide another's.
struct Pages<'b> {
    browser: &'b Browser,
    base: String,
    violations: Vec<String>,
}

impl Pages<'_> {
    /// Opens `path` in both languages (`{lang}` in it), screenshots and checks each.
    fn check_both(&mut self, name: &str, path: &str) {
        for lang in ["fa", "en"] {
            self.check(&format!("{name}-{lang}"), &path.replace("{lang}", lang));
        }
    }

    fn check(&mut self, name: &str, path: &str) {
        self.browser.goto(&format!("{}{path}", self.base));
        self.inspect(name);
    }

    /// The page already open: its screenshot and its accessibility violations.
    fn inspect(&mut self, name: &str) {
        let source = self.browser.source();
        let dir = if name.ends_with("-fa") { "rtl" } else { "ltr" };
        if !source.contains(&format!("dir=\"{dir}\"")) {
            self.violations.push(format!("{name}: no dir=\"{dir}\""));
        }
        self.browser.screenshot(name);
        for violation in self.browser.accessibility_violations() {
            self.violations.push(format!("{name}: {violation}"));
        }
        // WCAG's reflow: readable at 320 CSS pixels without scrolling sideways.
        for overflow in self.browser.overflow_at(320) {
            self.violations.push(format!("{name} at 320px: {overflow}"));
        }
    }
}

fn comments_of(backend: &Backend, token: &str, consultation: i64) -> Vec<Value> {
    let page = backend.ok(
        "GET",
        &format!("/comments?consultation_id={consultation}&limit=100"),
        Some(token),
        None,
    );
    page["items"].as_array().cloned().unwrap_or_default()
}

#[test]
fn a_citizen_comments_on_an_article_a_moderator_approves_it_and_the_answer_comes_back() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let backend = Backend::start();
    let admin = backend.add_staff("admin1", "admin");
    let moderator = backend.add_staff("mod1", "moderator");
    let c = backend.open_consultation(
        &admin,
        "آیین‌نامه شوراهای دانش‌آموزی",
        "Regulation on student councils",
        40,
    );
    let imported = backend.ok(
        "PUT",
        &paths::consultation_document(c),
        Some(&admin),
        Some(json!({"text_fa": DRAFT_FA, "text_en": DRAFT_EN, "format": "text"})),
    );
    let article_3 = imported["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .find(|a| a["number"] == 3)
        .unwrap_or_else(|| panic!("article 3 in {imported}"))["id"]
        .as_i64()
        .expect("article id");
    let poll = backend.poll(&admin, c, "با تشکیل شورا موافقید؟", &["بله", "خیر"]);
    let base = backend.url();
    let mut pages = Pages {
        browser: &browser,
        base: base.clone(),
        violations: Vec::new(),
    };

    // Pages anyone can open before taking part.
    pages.check_both("home", "/{lang}/");
    pages.check_both("consultation-open", &format!("/{{lang}}/c/{c}"));
    pages.check_both("register", "/{lang}/register");
    pages.check_both("sign-in", "/{lang}/sign-in");
    pages.check_both("verify-lookup", "/{lang}/verify");
    pages.check_both("share", &format!("/{{lang}}/c/{c}/share"));
    pages.check_both("not-found", "/{lang}/no-such-page");
    pages.check_both("draft-version", &format!("/{{lang}}/c/{c}/draft?version=1"));

    // Register, with the keyboard-free path a person takes: the mobile number and "send me a
    // code" (to the fake gateway), then the code from the text message, the fields and the
    // button.
    browser.goto(&format!("{base}/fa/register"));
    browser.fill("#phone", "۰۹۱۲ ۳۴۵ ۶۷۸۹");
    browser.click_and_wait("#phone-form button[type=submit]");
    let code = backend
        .sms
        .last_code("09123456789")
        .unwrap_or_else(|| panic!("no code sent: {}", browser.text()));
    pages.inspect("register-code-sent");
    browser.fill("#code", &code);
    browser.fill("#display_name", "نگار");
    browser.click("#category-public");
    browser.fill("#birth_year", "۱۳۸۵");
    browser.click("#name_public");
    browser.click("#consent");
    browser.click_and_wait("#register-form button[type=submit]");
    assert!(
        !browser.current_url().ends_with("/fa/register"),
        "registration refused: {}",
        browser.text()
    );
    pages.check_both("my-page", "/{lang}/me");
    pages.check_both("ballot", &format!("/{{lang}}/c/{c}/poll/{}", poll["id"]));

    // Comment on article 3 by keyboard alone: Tab to the article's own link on the consultation
    // page, Enter; Tab to the comment field, type; Tab to "this is a proposal", Space; Tab to
    // the button, Enter.
    browser.goto(&format!("{base}/fa/c/{c}"));
    let link = format!("/comment?article={article_3}\"");
    browser.tab_to("article 3's comment link", |f| f.contains(&link));
    browser.press_and_wait(ENTER);
    assert!(
        browser
            .current_url()
            .ends_with(&format!("/fa/c/{c}/comment?article={article_3}")),
        "the article's link led to {}",
        browser.current_url()
    );
    pages.inspect("comment-form-fa");
    browser.tab_to("the comment field", |f| f.contains("id=\"body\""));
    browser.press(PROPOSAL);
    browser.tab_to("the proposal box", |f| f.contains("id=\"proposal\""));
    browser.press(SPACE);
    browser.tab_to("the send button", |f| f.contains("type=\"submit\""));
    browser.press_and_wait(ENTER);
    let stored = comments_of(&backend, &admin, c);
    assert_eq!(
        stored.len(),
        1,
        "{stored:?}; the page says:\n{}",
        browser.text()
    );
    assert_eq!(stored[0]["body"], PROPOSAL);
    assert_eq!(stored[0]["is_proposal"], true);
    assert_eq!(stored[0]["article"]["article_id"], article_3, "{stored:?}");
    assert_eq!(stored[0]["article"]["number"], 3, "{stored:?}");
    let comment = stored[0]["id"].as_i64().expect("comment id");
    pages.check(
        "comment-form-en",
        &format!("/en/c/{c}/comment?article={article_3}"),
    );

    // The moderator's console claims it, shows it, and approves it with `a`.
    let mut console = Console::start(&base, &moderator, ConsoleOptions::default().size(160, 40));
    console.wait_for("the citizen's proposal in the queue", |s| {
        find(s, "REF-3317").is_some()
    });
    console.send_keys("a");
    backend.wait_until("the approval recorded", |b| {
        b.comment_json(&admin, comment)["status"] == "approved"
    });
    console.send_keys("q");
    drop(console);

    // The portal shows the approved comment, and says which article it is about; the article's
    // "read comments" link lists it.
    browser.goto(&format!("{base}/fa/c/{c}"));
    browser.wait_for_text("the approved comment on the page", |text| {
        text.contains("REF-3317")
    });
    let mention = browser.script(
        &format!(
            "return document.querySelector('#comment-{comment} .meta a[href$=\"#article-3\"]')?.textContent;"
        ),
        vec![],
    );
    assert_eq!(mention.as_str(), Some("دربارهٔ ماده ۳"), "{mention:?}");
    browser.goto(&format!("{base}/en/c/{c}?article={article_3}#comments"));
    let text = browser.text();
    assert!(
        text.contains("Comments on Article 3") && text.contains("REF-3317"),
        "{text}"
    );
    pages.inspect("consultation-article-comments-en");

    // In a text browser: the page reads in order, the draft article by article with its links.
    if let Some(text) = browser::text_browser(&format!("{base}/fa/c/{c}")) {
        let order = [
            "آیین‌نامه شوراهای دانش‌آموزی",
            "متن پیش‌نویس",
            "ماده ۳",
            "اعضای شورا عبارتند از:",
            "تبصره ۱",
            "نظر دادن دربارهٔ ماده ۳",
            "ماده ۴",
            "REF-3317",
        ];
        let mut from = 0;
        for part in order {
            let at = text[from..]
                .find(part)
                .unwrap_or_else(|| panic!("w3m: {part:?} after byte {from}:\n{text}"));
            from += at + part.len();
        }
    }
    if let Some(text) = browser::text_browser(&format!("{base}/en/c/{c}")) {
        for part in [
            "Regulation on student councils",
            "Article 3",
            "Comment on Article 3",
            "Read comments on Article 3",
            "On Article 3",
        ] {
            assert!(text.contains(part), "w3m: {part:?}:\n{text}");
        }
    }

    // Five more people, so that the report has cells large enough to draw.
    let others: Vec<i64> = (0..5)
        .map(|n| {
            let token = backend.participant(&format!("شرکت‌کننده {n}"));
            backend.comment(c, &token, &format!("نظر شماره {n} درباره شورا"))
        })
        .collect();
    backend.ok(
        "POST",
        paths::COMMENTS_BULK_DECISION,
        Some(&moderator),
        Some(json!({"ids": others, "action": "approve", "tags": []})),
    );

    // A revised draft: the second version, and what changed, article by article.
    let revised = DRAFT_FA.replacen("یک سال", "دو سال", 1);
    assert_ne!(revised, DRAFT_FA, "the fixture names a one-year term");
    backend.ok(
        "PUT",
        &paths::consultation_document(c),
        Some(&admin),
        Some(json!({"text_fa": revised, "text_en": DRAFT_EN, "format": "text"})),
    );
    pages.check_both(
        "draft-diff",
        &format!("/{{lang}}/c/{c}/draft/diff?from=1&to=2"),
    );
    assert!(
        browser.source().contains("class=\"change change-changed\""),
        "{}",
        browser.text()
    );

    // The close, the answer to the proposal, the report.
    backend.ok(
        "POST",
        &paths::consultation_close(c),
        Some(&admin),
        Some(json!({"reason": "پایان دوره برای آزمون"})),
    );
    backend.ok(
        "PUT",
        &paths::proposal_decision(comment),
        Some(&admin),
        Some(json!({
            "version": 0, "outcome": "accepted",
            "rationale_fa": "مدت عضویت در ماده ۳ دو سال شد.",
            "rationale_en": "Article 3 now sets a two-year term.",
            "legal_basis": "ماده ۱۲ قانون اهداف و وظایف وزارت آموزش و پرورش",
        })),
    );
    backend.ok(
        "POST",
        &paths::consultation_decisions_publish(c),
        Some(&admin),
        None,
    );
    backend.ok("POST", &paths::consultation_report(c), Some(&admin), None);
    backend.ok(
        "POST",
        &paths::consultation_report_publish(c),
        Some(&admin),
        None,
    );

    // "You said, we did" and the report's charts, in both languages.
    for (lang, rationale) in [
        ("fa", "مدت عضویت در ماده ۳ دو سال شد."),
        ("en", "Article 3 now sets a two-year term."),
    ] {
        browser.goto(&format!("{base}/{lang}/c/{c}"));
        let text = browser.text();
        assert!(text.contains(rationale), "{lang}: {text}");
        let charts = browser.script(
            "return document.querySelectorAll('svg rect.bar').length;",
            vec![],
        );
        assert!(charts.as_u64().unwrap_or(0) > 0, "{lang}: no chart bars");
        pages.inspect(&format!("consultation-closed-{lang}"));
    }

    // The participant's certificate, proposed at the close and approved by an admin: its page.
    let participant = backend.comment_json(&admin, comment)["participant"]["id"].clone();
    let mut certificate = None;
    backend.wait_until("a proposed certificate", |b| {
        let page = b.ok(
            "GET",
            &format!(
                "{}?status=proposed&consultation_id={c}",
                paths::CERTIFICATES
            ),
            Some(&admin),
            None,
        );
        certificate = page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|i| i["participant_id"] == participant)
            .cloned();
        certificate.is_some()
    });
    let id = certificate.expect("certificate")["id"]
        .as_i64()
        .expect("certificate id");
    let approved = backend.ok("POST", &paths::certificate_approve(id), Some(&admin), None);
    let code = approved["verification_code"]
        .as_str()
        .or_else(|| approved["code"].as_str())
        .unwrap_or_else(|| panic!("verification code in {approved}"))
        .to_owned();
    pages.check_both("certificate", &format!("/{{lang}}/verify/{code}"));

    assert!(
        pages.violations.is_empty(),
        "{} accessibility problems:\n{}",
        pages.violations.len(),
        pages.violations.join("\n")
    );
}
