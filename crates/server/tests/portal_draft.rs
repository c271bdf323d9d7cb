//! The draft on the portal over the real server, on SQLite and PostgreSQL: article by article with
//! their notes and clauses, anchors and "comment on this article" links, in Persian and English;
//! earlier versions readable and the difference between two versions article by article; a
//! comment that names its article through the form, refused beside the field when the article is
//! not this draft's; published comments and their article, the comments on one article, and
//! the published report's comments per article.

mod portal_support;
mod support;

use mosharekat_api::{CommentStatus, DraftVersion, paths};
use mosharekat_server::store::CommentFilter;
use portal_support::{Browser, check_page};
use reqwest::StatusCode;
use serde_json::json;
use support::{Backend, TestServer};

both!(
    the_draft_article_by_article_and_its_versions,
    a_comment_names_its_article_through_the_form,
    a_consultation_without_draft_text,
);

/// A realistic bilingual implementing regulation (8 articles; article 3 has three clauses and
/// two notes).
const FA: &str = include_str!("../../draft/tests/drafts/ayinnameh-shoraha.txt");
const EN: &str = include_str!("../../draft/tests/drafts/ayinnameh-shoraha.en.txt");

async fn import(t: &TestServer, consultation: i64, fa: &str, en: Option<&str>) -> DraftVersion {
    let (status, body) = t
        .call(
            "PUT",
            &paths::consultation_document(consultation),
            Some(&t.operator),
            Some(json!({"text_fa": fa, "text_en": en})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    serde_json::from_value(body).unwrap()
}

fn article_id(draft: &DraftVersion, number: u32) -> i64 {
    draft
        .articles
        .iter()
        .find(|a| a.content.number == number)
        .unwrap_or_else(|| panic!("article {number}"))
        .id
}

async fn the_draft_article_by_article_and_its_versions(backend: Backend) {
    let t = TestServer::start(backend).await;
    let c = t.open_consultation().await;
    let v1 = import(&t, c, FA, Some(EN)).await;
    assert_eq!(v1.articles.len(), 8);
    let third = article_id(&v1, 3);
    let mut browser = Browser::new(&t.server.url());

    let fa = check_page(
        &mut browser,
        &format!("/fa/c/{c}"),
        "fa",
        &[
            "id=\"article-1\"",
            "id=\"article-8\"",
            "<h3 class=\"article-label\" id=\"article-3-label\">ماده ۳</h3>",
            "اعضای شورا عبارتند از:",
            "<span class=\"clause-label\">۱</span>",
            "<strong class=\"note-label\">تبصره ۱</strong>",
            "<strong class=\"note-label\">تبصره ۲</strong>",
            &format!("href=\"/fa/c/{c}/comment?article={third}\">نظر دادن دربارهٔ ماده ۳</a>"),
            &format!("href=\"/fa/c/{c}?article={third}#comments\">"),
            "نسخهٔ ۱، منتشرشده در",
            // The preamble before the first article.
            "به استناد ماده (۱۲) قانون اهداف",
        ],
    )
    .await;
    assert_eq!(fa.count("<article class=\"article\""), 8);
    assert!(
        !fa.body.contains("draft/diff"),
        "one version: nothing to compare"
    );

    // English: the translation, in English, left to right; labels in English.
    let en = check_page(
        &mut browser,
        &format!("/en/c/{c}"),
        "en",
        &[
            "<h3 class=\"article-label\" id=\"article-3-label\">Article 3</h3>",
            "<p class=\"article-text\" lang=\"en\" dir=\"ltr\">",
            "Note 1",
            &format!("href=\"/en/c/{c}/comment?article={third}\">Comment on Article 3</a>"),
        ],
    )
    .await;
    assert!(
        !en.body.contains("lang=\"fa\" dir=\"rtl\">اعضای شورا"),
        "translated"
    );

    // A second version: article 1 reworded, an article added at the end.
    let revised_fa = FA.replacen("یک سال", "دو سال", 1).replace(
        "این آیین‌نامه در ۸ ماده",
        "ماده ۹ - این آیین‌نامه از تاریخ ابلاغ لازم‌الاجرا است.\n\nاین آیین‌نامه در ۸ ماده",
    );
    let revised_en = EN.replacen("for one school year", "for two school years", 1).replace(
        "This regulation in 8 articles",
        "Article 9 – This regulation takes effect when it is communicated.\n\nThis regulation in 8 articles",
    );
    let v2 = import(&t, c, &revised_fa, Some(&revised_en)).await;
    assert_eq!(v2.version, 2);
    assert_eq!(v2.articles.len(), 9, "{:?}", v2.articles.last());
    let page = check_page(
        &mut browser,
        &format!("/fa/c/{c}"),
        "fa",
        &[
            "نسخهٔ ۲، منتشرشده در",
            &format!("href=\"/fa/c/{c}/draft/diff?from=1&#38;to=2\">تغییرها نسبت به نسخهٔ ۱</a>"),
            &format!("href=\"/fa/c/{c}/draft\">همهٔ نسخه‌های پیش‌نویس</a>"),
            "id=\"article-9\"",
            &format!("/fa/c/{c}/comment?article={}", article_id(&v2, 3)),
        ],
    )
    .await;
    assert!(
        !page.body.contains(&format!("comment?article={third}\"")),
        "v1's link gone"
    );

    // A draft given in Persian only: the English page says so, and marks the Persian as Persian.
    let persian_only = t.open_consultation().await;
    import(&t, persian_only, FA, None).await;
    check_page(
        &mut browser,
        &format!("/en/c/{persian_only}"),
        "en",
        &[
            "Where the English translation is not given, the Persian text is shown.",
            "<p class=\"article-text\" lang=\"fa\" dir=\"rtl\">اعضای شورا عبارتند از:",
            "Article 3",
        ],
    )
    .await;

    // The earlier version stays readable, says it is not the latest, takes no comments.
    let old = check_page(
        &mut browser,
        &format!("/fa/c/{c}/draft?version=1"),
        "fa",
        &[
            "پیش‌نویس، نسخهٔ ۱",
            "این نسخهٔ پیشین پیش‌نویس است.",
            "<span aria-current=\"page\">نسخهٔ ۱، منتشرشده در",
            &format!("href=\"/fa/c/{c}/draft?version=2\">نسخهٔ ۲، منتشرشده در"),
            "<h2 class=\"article-label\" id=\"article-3-label\">ماده ۳</h2>",
        ],
    )
    .await;
    assert!(!old.body.contains("comment?article="), "{}", old.body);
    assert_eq!(old.count("<article class=\"article\""), 8);
    check_page(
        &mut browser,
        &format!("/en/c/{c}/draft"),
        "en",
        &["The draft, version 2"],
    )
    .await;

    // What changed, article by article: article 1 before and after, article 9 added, the rest
    // listed as unchanged.
    let diff = check_page(
        &mut browser,
        &format!("/fa/c/{c}/draft/diff?from=1&to=2"),
        "fa",
        &[
            "تغییرهای پیش‌نویس از نسخهٔ ۱ تا نسخهٔ ۲",
            "۱ ماده تغییر کرده، ۱ ماده افزوده، ۰ ماده حذف شده و ۷ ماده بی‌تغییر است.",
            "<section class=\"change change-changed\" aria-labelledby=\"article-1-change\">",
            "<h2 id=\"article-1-change\">ماده ۱: تغییر کرده</h2>",
            "id=\"before-article-1\"",
            "id=\"after-article-1\"",
            // The words that changed, marked on each side.
            "<del><span class=\"visually-hidden\">حذف‌شده: </span>یک</del>",
            "<ins><span class=\"visually-hidden\">افزوده: </span>دو</ins>",
            "<h2 id=\"article-9-change\">ماده ۹: افزوده شده</h2>",
            "مواد بی‌تغییر: ۲، ۳، ۴، ۵، ۶، ۷، ۸.",
        ],
    )
    .await;
    assert!(
        !diff.body.contains("id=\"before-article-9\""),
        "added: no before"
    );
    // Without `from` and `to`: the latest against the one before it.
    let latest = browser.get(&format!("/en/c/{c}/draft/diff")).await;
    assert_eq!(latest.status, StatusCode::OK);
    assert!(
        latest
            .body
            .contains("Changes to the draft from version 1 to version 2")
    );
    assert!(
        latest
            .body
            .contains("1 changed, 1 added, 0 removed, 7 unchanged articles.")
    );

    // Versions that do not exist, and a draft consultation's text, are not found.
    for path in [
        format!("/fa/c/{c}/draft?version=7"),
        format!("/fa/c/{c}/draft/diff?from=1&to=7"),
    ] {
        let page = browser.get(&path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }
}

async fn a_comment_names_its_article_through_the_form(backend: Backend) {
    let t = TestServer::start(backend).await;
    let c = t.open_consultation().await;
    let draft = import(&t, c, FA, Some(EN)).await;
    let third = article_id(&draft, 3);
    let other = t.open_consultation().await;
    let foreign = article_id(&import(&t, other, FA, None).await, 3);
    let mut browser = Browser::new(&t.server.url());
    browser.register("fa", "رضا").await;

    // The article's link opens the form with the article chosen and quoted.
    let form = check_page(
        &mut browser,
        &format!("/fa/c/{c}/comment?article={third}"),
        "fa",
        &[
            "<h1>نظر دادن دربارهٔ ماده ۳</h1>",
            "<blockquote class=\"quoted-article\">",
            "اعضای شورا عبارتند از:",
            "<label for=\"article_id\">نظر شما دربارهٔ کدام بخش است؟</label>",
            "<option value=\"\">کل پیش‌نویس</option>",
            &format!("<option value=\"{third}\" selected>ماده ۳</option>"),
        ],
    )
    .await;
    // Without an article: the whole draft is chosen, nothing quoted.
    let whole = browser.get(&format!("/en/c/{c}/comment")).await;
    assert!(
        whole
            .body
            .contains("<option value=\"\" selected>The draft as a whole</option>")
    );
    assert!(!whole.body.contains("quoted-article"));
    // A link naming another consultation's article is not found.
    let wrong = browser
        .get(&format!("/fa/c/{c}/comment?article={foreign}"))
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);

    // Posting another draft's article: refused beside the field, the text kept, nothing stored.
    let body = "ترکیب شورا باید نماینده اولیا را هم داشته باشد.";
    let refused = browser
        .post(
            &format!("/fa/c/{c}/comment"),
            &[
                ("csrf", &form.csrf()),
                ("article_id", &foreign.to_string()),
                ("body", body),
            ],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("id=\"article_id-error\""),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("یکی از مواد همین پیش‌نویس را انتخاب کنید")
    );
    assert!(refused.body.contains(&format!(">{body}</textarea>")));
    let stored = |filter: CommentFilter| {
        let t = &t;
        async move { t.store().list_comments(&filter, t.now()).await.unwrap() }
    };
    assert!(
        stored(CommentFilter {
            consultation_id: Some(c),
            limit: 10,
            ..CommentFilter::default()
        })
        .await
        .is_empty()
    );

    // Posting article 3: stored with it.
    let sent = browser
        .post(
            &format!("/fa/c/{c}/comment"),
            &[
                ("csrf", &form.csrf()),
                ("article_id", &third.to_string()),
                ("body", body),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let mine = stored(CommentFilter {
        consultation_id: Some(c),
        limit: 10,
        ..CommentFilter::default()
    })
    .await;
    assert_eq!(mine.len(), 1);
    let article = mine[0].article.as_ref().expect("the article");
    assert_eq!(
        (article.article_id, article.number, article.version),
        (third, 3, 1)
    );
    // And one on the whole draft, from the same form with the whole draft chosen.
    let general = "کل آیین‌نامه به زبان ساده‌تری نیاز دارد.";
    let sent = browser
        .post(
            &format!("/fa/c/{c}/comment"),
            &[
                ("csrf", &form.csrf()),
                ("article_id", ""),
                ("body", general),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);

    // Approved: the page says which article each comment is about; the article's comments
    // are one click away.
    let all = stored(CommentFilter {
        consultation_id: Some(c),
        status: Some(CommentStatus::Pending),
        limit: 10,
        ..CommentFilter::default()
    })
    .await;
    t.approve(&all.iter().map(|c| c.id).collect::<Vec<_>>(), &[])
        .await;
    let on_third = mine[0].id;
    let page = browser.get(&format!("/fa/c/{c}")).await;
    assert!(
        page.body.contains(&format!(
            "<a href=\"/fa/c/{c}#article-3\">دربارهٔ ماده ۳</a>"
        )),
        "{}",
        page.body
    );
    assert!(page.body.contains(general));
    let filtered = check_page(
        &mut browser,
        &format!("/en/c/{c}?article={third}"),
        "en",
        &[
            "<strong>Comments on Article 3</strong>",
            "Show all comments",
            body,
        ],
    )
    .await;
    assert!(
        filtered
            .body
            .contains(&format!("id=\"comment-{on_third}\""))
    );
    assert!(
        !filtered.body.contains(general),
        "only article 3's comments"
    );
    // Another article has none of them.
    let first = browser
        .get(&format!("/fa/c/{c}?article={}", article_id(&draft, 1)))
        .await;
    assert!(!first.body.contains(body) && !first.body.contains(general));

    // After the close, the published report says which articles drew the comments.
    t.close(c).await;
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
    check_page(
        &mut browser,
        &format!("/fa/c/{c}"),
        "fa",
        &[
            "<caption id=\"concerns-caption\">نظرها دربارهٔ هر مادهٔ پیش‌نویس</caption>",
            &format!(
                "<tr><th scope=\"row\"><a href=\"/fa/c/{c}#article-3\">ماده ۳</a></th><td>۱</td><td>۱</td><td>۰</td><td></td></tr>"
            ),
            "<tr><th scope=\"row\">کل پیش‌نویس</th><td>۱</td><td>۱</td><td>۰</td><td></td></tr>",
        ],
    )
    .await;
}

async fn a_consultation_without_draft_text(backend: Backend) {
    let t = TestServer::start(backend).await;
    let c = t.open_consultation().await;
    let mut browser = Browser::new(&t.server.url());
    check_page(
        &mut browser,
        &format!("/fa/c/{c}"),
        "fa",
        &["متن پیش‌نویس هنوز منتشر نشده است."],
    )
    .await;
    for path in [format!("/fa/c/{c}/draft"), format!("/en/c/{c}/draft/diff")] {
        assert_eq!(
            browser.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // With no draft text the form has no article to choose: the comment is on the whole draft.
    browser.register("en", "Sara").await;
    let form = browser.get(&format!("/en/c/{c}/comment")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(!form.body.contains("article_id"), "{}", form.body);
}
