//! The Bale bot against a fake Bale Bot API (real wire format, on a free port), on both databases:
//! a chat is linked through `/start <code>` by long polling and by the webhook (whose secret token
//! is checked); a reply to a call's message is a comment in the queue marked as from Bale; an
//! answer published to a proposal reaches the linked chat and never the typed handle; `/stop` ends
//! every message and `/start` resumes them; the portal's "my page" shows the deep link and code.

mod portal_support;
mod support;

use mosharekat_api::paths;
use mosharekat_api::{Category, Channel, Language, MessengerLink, NewParticipant, OutboxMessage};
use reqwest::StatusCode;
use serde_json::json;
use support::{BALE_BOT, Backend, FakeBale, TestServer};

both!(
    a_chat_is_linked_by_long_polling,
    a_chat_is_linked_through_the_webhook,
    polling_may_be_chosen_with_a_public_address,
    a_reply_to_a_call_is_a_comment_from_bale,
    answers_reach_the_linked_chat_until_it_stops,
    a_chat_linked_anew_leaves_its_earlier_participant,
    stop_ends_the_messages_still_waiting,
    my_page_shows_the_bot_link_then_that_the_chat_is_linked,
    authors_are_told_why_and_where,
);

fn member(name: &str, language: Language) -> NewParticipant {
    NewParticipant {
        display_name: name.into(),
        category: Category::Public,
        birth_year: None,
        gender: None,
        province: None,
        // A handle typed at registration: a bot cannot write to it, so it is never used.
        channel: Some(Channel::Bale),
        handle: Some("@typed_handle".into()),
        consent: true,
        name_public: false,
        language,
    }
}

async fn link_code(t: &TestServer, token: &str) -> MessengerLink {
    let (status, body) = t
        .call(
            "POST",
            paths::PUBLIC_MESSENGER_LINKS,
            Some(token),
            Some(json!({"channel": "bale"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let link: MessengerLink = serde_json::from_value(body).unwrap();
    assert_eq!(
        link.url,
        format!("https://ble.ir/{BALE_BOT}?start={}", link.code)
    );
    assert!(link.expires_at > t.now());
    link
}

/// A server polling the fake Bale, and a participant whose chat `chat` is linked.
async fn linked(backend: Backend, chat: i64, language: Language) -> (TestServer, FakeBale, String) {
    let bale = FakeBale::start().await;
    let t = TestServer::start_with(backend, |config| bale.configure(config)).await;
    let token = t.register(&member("Maryam", language)).await;
    let link = link_code(&t, &token).await;
    bale.message(chat, &format!("/start {}", link.code), None);
    let sent = bale.wait_for(&chat.to_string(), 1).await;
    assert!(sent[0].text.contains("Maryam"), "{sent:?}");
    (t, bale, token)
}

async fn a_chat_is_linked_by_long_polling(backend: Backend) {
    let bale = FakeBale::start().await;
    // Bale fails the first polls: the bot pauses and asks again.
    bale.fail_next("getUpdates", 3);
    let t = TestServer::start_with(backend, |config| bale.configure(config)).await;
    let token = t.register(&member("Maryam", Language::Fa)).await;
    // Only Bale has a bot; without a token, no link.
    let (status, _) = t
        .call(
            "POST",
            paths::PUBLIC_MESSENGER_LINKS,
            Some(&token),
            Some(json!({"channel": "eitaa"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = t
        .call(
            "POST",
            paths::PUBLIC_MESSENGER_LINKS,
            None,
            Some(json!({"channel": "bale"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let link = link_code(&t, &token).await;

    // A wrong code links nothing and says so in both languages.
    bale.message(5001, "/start 0000000000", None);
    let sent = bale.wait_for("5001", 1).await;
    assert!(
        sent[0].text.contains("معتبر نیست") && sent[0].text.contains("not valid"),
        "{sent:?}"
    );
    bale.message(5001, "/calls", None);
    let sent = bale.wait_for("5001", 2).await;
    assert!(sent[1].text.contains("not linked"), "{sent:?}");

    bale.message(5001, &format!("/start {}", link.code), None);
    let sent = bale.wait_for("5001", 3).await;
    assert!(
        sent[2].text.contains("سلام Maryam") && sent[2].text.contains("پیوند خورد"),
        "answered in the participant's language: {sent:?}"
    );
    // The code works once.
    bale.message(5002, &format!("/start {}", link.code), None);
    let other = bale.wait_for("5002", 1).await;
    assert!(other[0].text.contains("not valid"), "{other:?}");
    // Polling asked from the offset after the last update handled.
    let offsets: Vec<i64> = bale
        .calls("getUpdates")
        .iter()
        .filter_map(|b| b["offset"].as_i64())
        .collect();
    assert!(!offsets.is_empty() && offsets.windows(2).all(|w| w[0] <= w[1]));
    assert!(
        bale.calls("getUpdates").len() > 3,
        "polling went on after the errors"
    );
    assert!(bale.calls("setWebhook").is_empty());
    assert!(!bale.calls("deleteWebhook").is_empty());
}

async fn a_chat_is_linked_through_the_webhook(backend: Backend) {
    let bale = FakeBale::start().await;
    let t = TestServer::start_with(backend, |config| {
        bale.configure(config);
        config.portal.public_url = Some("https://participation.example.ir/".into());
    })
    .await;
    let registered = t
        .eventually("the webhook to be registered", || async {
            bale.calls("setWebhook").first().cloned()
        })
        .await;
    assert_eq!(
        registered["url"],
        "https://participation.example.ir/api/v1/bale/webhook"
    );
    let secret = registered["secret_token"].as_str().unwrap().to_owned();
    assert!(secret.len() >= 32 && !secret.contains("fake-bale-token"));
    assert!(
        bale.calls("getUpdates").is_empty(),
        "no polling with a webhook"
    );

    let token = t.register(&member("John", Language::En)).await;
    let link = link_code(&t, &token).await;
    let update = bale.message(6001, &format!("/start {}", link.code), None);
    let post = |secret: Option<String>| {
        let mut request = t.http.post(t.url(paths::BALE_WEBHOOK)).json(&update);
        if let Some(secret) = secret {
            request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        request.send()
    };
    // Without the secret, or with a wrong one: 401 and nothing done.
    assert_eq!(post(None).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        post(Some(format!("{secret}x"))).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(bale.sent_to("6001").is_empty());

    assert_eq!(
        post(Some(secret.clone())).await.unwrap().status(),
        StatusCode::OK
    );
    let sent = bale.wait_for("6001", 1).await;
    assert!(
        sent[0].text.contains("Hello John") && sent[0].text.contains("linked"),
        "{sent:?}"
    );
    // Bale sending the same update again changes nothing.
    assert_eq!(post(Some(secret)).await.unwrap().status(), StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(bale.sent_to("6001").len(), 1);
}

async fn a_reply_to_a_call_is_a_comment_from_bale(backend: Backend) {
    let (t, bale, _token) = linked(backend, 7001, Language::Fa).await;
    let c = t.open_consultation().await;
    bale.message(7001, "فراخوان‌ها", None);
    // The heading, then the call.
    let sent = bale.wait_for("7001", 3).await;
    let call = &sent[2];
    assert!(
        call.text.contains("آیین‌نامه اجرایی مدارس غیردولتی") && call.text.contains("پاسخ دهید"),
        "{call:?}"
    );
    let body = "کلاس‌های درس بیش از اندازه شلوغ است.";
    bale.message(7001, body, Some(call.message_id));
    let sent = bale.wait_for("7001", 4).await;
    assert!(sent[3].text.contains("دریافت شد"), "{sent:?}");

    let comments = t
        .ok(
            "GET",
            &format!("{}?consultation_id={c}", paths::COMMENTS),
            Some(&t.moderator),
            None,
        )
        .await;
    let items = comments["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{comments}");
    assert_eq!(items[0]["body"], body);
    assert_eq!(items[0]["source"], "bale");
    assert_eq!(items[0]["status"], "pending");
    assert_eq!(items[0]["participant"]["display_name"], "Maryam");

    // The same checks as the JSON route: a comment too long is refused, in Persian.
    bale.message(7001, &"ب".repeat(10_001), Some(call.message_id));
    let sent = bale.wait_for("7001", 5).await;
    assert!(
        sent[4].text.contains("پذیرفته نشد") && sent[4].text.contains("بلند"),
        "{sent:?}"
    );
    // A reply to a message that announced no call is not a comment.
    bale.message(7001, "نظر دیگر", Some(sent[3].message_id));
    let sent = bale.wait_for("7001", 6).await;
    assert!(sent[5].text.contains("/calls"), "{sent:?}");
    // /mine lists it with its status.
    bale.message(7001, "/mine", None);
    let sent = bale.wait_for("7001", 7).await;
    assert!(
        sent[6].text.contains(body) && sent[6].text.contains("در انتظار"),
        "{sent:?}"
    );
    let comments = t
        .ok(
            "GET",
            &format!("{}?consultation_id={c}", paths::COMMENTS),
            Some(&t.moderator),
            None,
        )
        .await;
    assert_eq!(comments["items"].as_array().unwrap().len(), 1);
    // A comment by the JSON route is from the web.
    let web = t.participant("Sara").await;
    t.comment(c, &web, "نظر از درگاه").await;
    let comments = t
        .ok(
            "GET",
            &format!("{}?consultation_id={c}", paths::COMMENTS),
            Some(&t.moderator),
            None,
        )
        .await;
    assert_eq!(comments["items"][1]["source"], "web");
}

/// Publish an answer to a proposal of `token`'s on a fresh consultation: the messages queued.
async fn publish_answer(t: &TestServer, token: &str) -> Vec<OutboxMessage> {
    let c = t.open_consultation().await;
    let (status, v) = t
        .call(
            "POST",
            &paths::public_consultation_comments(c),
            Some(token),
            Some(json!({"body": "پیشنهاد: کلاس‌ها کم‌جمعیت‌تر شوند", "is_proposal": true})),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{v}");
    let id = v["id"].as_i64().unwrap();
    t.approve(&[id], &[]).await;
    t.close(c).await;
    t.ok(
        "PUT",
        &paths::proposal_decision(id),
        Some(&t.operator),
        Some(json!({"version": 0, "outcome": "accepted",
            "rationale_fa": "سقف ۲۸ نفر در هر کلاس تعیین شد.",
            "rationale_en": "A cap of 28 pupils per class was set.",
            "legal_basis": ""})),
    )
    .await;
    t.ok(
        "POST",
        &paths::consultation_decisions_publish(c),
        Some(&t.operator),
        None,
    )
    .await;
    let page = t
        .ok(
            "GET",
            &format!("{}?consultation_id={c}", paths::OUTBOX),
            Some(&t.operator),
            None,
        )
        .await;
    let mut items: Vec<OutboxMessage> = serde_json::from_value(page["items"].clone()).unwrap();
    // The approval of the proposal told its author too (authors_are_told_why_and_where).
    items.retain(|m| m.kind == mosharekat_api::MessageKind::DecisionPublished);
    items
}

/// The messages `chat` received other than "your proposal is published" (which every
/// [`publish_answer`] also sends), once there are at least `n`.
async fn answers(bale: &FakeBale, chat: &str, n: usize) -> Vec<support::BotSent> {
    let give_up = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let sent: Vec<_> = bale
            .sent_to(chat)
            .into_iter()
            // Its message reference says which decision told it.
            .filter(|m| !m.text.contains("mosharekat-moderation-"))
            .collect();
        if sent.len() >= n {
            return sent;
        }
        assert!(
            tokio::time::Instant::now() < give_up,
            "only {} of {n} answers reached chat {chat}: {:?}",
            sent.len(),
            bale.sent_to(chat)
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

async fn answers_reach_the_linked_chat_until_it_stops(backend: Backend) {
    let (t, bale, token) = linked(backend, 8001, Language::Fa).await;
    // Someone who typed a Bale handle but never linked a chat gets nothing.
    let unlinked = t.register(&member("Unlinked", Language::Fa)).await;
    assert!(publish_answer(&t, &unlinked).await.is_empty());

    let messages = publish_answer(&t, &token).await;
    assert_eq!(messages.len(), 1);
    let sent = answers(&bale, "8001", 2).await;
    assert!(
        sent[1].text.contains("سقف ۲۸ نفر در هر کلاس تعیین شد.")
            && sent[1]
                .text
                .ends_with(&format!("شناسهٔ پیام: {}", messages[0].idempotency_key)),
        "{sent:?}"
    );
    assert!(bale.sent_to("@typed_handle").is_empty());
    // /mine shows the proposal with its published answer.
    bale.message(8001, "نظرهای من", None);
    let sent = answers(&bale, "8001", 3).await;
    assert!(
        sent[2].text.contains("پاسخ: پذیرفته شد")
            && sent[2].text.contains("سقف ۲۸ نفر در هر کلاس تعیین شد."),
        "{sent:?}"
    );

    bale.message(8001, "توقف", None);
    let sent = answers(&bale, "8001", 4).await;
    assert!(sent[3].text.contains("متوقف شد"), "{sent:?}");
    assert!(publish_answer(&t, &token).await.is_empty());
    bale.message(8001, "/calls", None);
    let sent = answers(&bale, "8001", 5).await;
    assert!(sent[4].text.contains("/start"), "stopped: {sent:?}");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    // Five answers and the first proposal's approval.
    assert_eq!(bale.sent_to("8001").len(), 6, "nothing more arrives");

    // /start resumes.
    bale.message(8001, "/start", None);
    let sent = answers(&bale, "8001", 6).await;
    assert!(sent[5].text.contains("خوش برگشتید"), "{sent:?}");
    assert_eq!(publish_answer(&t, &token).await.len(), 1);
    answers(&bale, "8001", 7).await;
    assert!(bale.sent_to("@typed_handle").is_empty());
}

async fn my_page_shows_the_bot_link_then_that_the_chat_is_linked(backend: Backend) {
    let bale = FakeBale::start().await;
    let t = TestServer::start_with(backend, |config| bale.configure(config)).await;
    let mut browser = portal_support::Browser::new(&t.server.url());
    browser.register("fa", "سارا").await;
    let page = browser.get("/fa/me").await;
    assert_eq!(page.status, StatusCode::OK);
    let prefix = format!("https://ble.ir/{BALE_BOT}?start=");
    let start = page.body.find(&prefix).expect("the deep link") + prefix.len();
    let code: String = page.body[start..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    assert_eq!(code.len(), 20, "{code}");
    assert!(
        page.body.contains(&format!("/start {code}")),
        "{}",
        page.body
    );
    assert!(page.body.contains("پاسخ‌ها در بله"));
    bale.message(9001, &format!("/start {code}"), None);
    let sent = bale.wait_for("9001", 1).await;
    assert!(sent[0].text.contains("سلام سارا"), "{sent:?}");
    let page = browser.get("/fa/me").await;
    assert!(page.body.contains("گفتگوی بله شما پیوند خورده است"));
    assert!(!page.body.contains(&prefix));
}

/// `bale_updates = "polling"` polls even when the portal has a public base URL (for a Bale that
/// would not send the secret token header); the links still use the public address.
async fn polling_may_be_chosen_with_a_public_address(backend: Backend) {
    let bale = FakeBale::start().await;
    let _t = TestServer::start_with(backend, |config| {
        bale.configure(config);
        config.portal.public_url = Some("https://participation.example.ir".into());
        config.delivery.bot_updates = mosharekat_server::BotUpdates::Polling;
    })
    .await;
    bale.message(6101, "/start", None);
    let sent = bale.wait_for("6101", 1).await;
    assert!(
        sent[0]
            .text
            .contains("https://participation.example.ir/fa/me")
            && sent[0]
                .text
                .contains("https://participation.example.ir/en/me"),
        "{sent:?}"
    );
    assert!(bale.calls("setWebhook").is_empty());
}

/// A chat belongs to one participant: linking it with another's code moves it, and the first
/// participant is reached no more.
async fn a_chat_linked_anew_leaves_its_earlier_participant(backend: Backend) {
    let (t, bale, first) = linked(backend, 5101, Language::Fa).await;
    let second = t.register(&member("Reza", Language::En)).await;
    let link = link_code(&t, &second).await;
    bale.message(5101, &format!("/start {}", link.code), None);
    let sent = answers(&bale, "5101", 2).await;
    assert!(sent[1].text.contains("Hello Reza"), "{sent:?}");
    assert!(publish_answer(&t, &first).await.is_empty());
    let to_second = publish_answer(&t, &second).await;
    assert_eq!(to_second.len(), 1);
    let sent = answers(&bale, "5101", 3).await;
    assert!(sent[2].text.contains("A cap of 28 pupils"), "{sent:?}");
}

/// Messages queued for a chat and not sent yet when it stops are never sent.
async fn stop_ends_the_messages_still_waiting(backend: Backend) {
    let bale = FakeBale::start().await;
    let t = TestServer::start_with(backend, |config| {
        bale.configure(config);
        // No delivery worker: the answer waits in the outbox.
        config.delivery.enabled = false;
    })
    .await;
    let token = t.register(&member("Maryam", Language::Fa)).await;
    let link = link_code(&t, &token).await;
    bale.message(8101, &format!("/start {}", link.code), None);
    answers(&bale, "8101", 1).await;
    let waiting = publish_answer(&t, &token).await;
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].status, mosharekat_api::OutboxStatus::Pending);
    bale.message(8101, "/stop", None);
    answers(&bale, "8101", 2).await;
    let message = t
        .ok(
            "GET",
            &paths::outbox_message(waiting[0].id),
            Some(&t.operator),
            None,
        )
        .await;
    assert_eq!(message["status"], "dead", "{message}");
    assert_eq!(message["last_error"], "the participant stopped the bot");
    assert_eq!(message["attempts"], 0, "never sent");
}

/// A rejected or hidden comment's author gets the reason (and the moderator's note) in their
/// language with a link to their comments; an approved proposal's author gets where its answer
/// will appear. Once per comment and outcome; never to a participant the outbox cannot reach.
async fn authors_are_told_why_and_where(backend: Backend) {
    let (t, bale, token) = linked(backend, 8101, Language::Fa).await;
    let c = t.open_consultation().await;
    let off_topic = t.comment(c, &token, "نظری دربارهٔ موضوع دیگر").await;
    let (_, proposal) = t
        .call(
            "POST",
            &paths::public_consultation_comments(c),
            Some(&token),
            Some(json!({"body": "پیشنهاد: ماده ۲ حذف شود", "is_proposal": true})),
        )
        .await;
    let proposal = proposal["comment_id"]
        .as_i64()
        .or_else(|| proposal["id"].as_i64())
        .unwrap_or_else(|| panic!("{proposal}"));
    let later_hidden = t.comment(c, &token, "متنی که برداشته می‌شود").await;
    let plain = t.comment(c, &token, "نظری معمولی دربارهٔ پیش‌نویس").await;
    // Someone the outbox cannot reach (no linked chat, no handle): nothing is queued for them.
    let unreachable = t.register(&member("Sara", Language::En)).await;
    let theirs = t
        .comment(c, &unreachable, "A comment off the subject")
        .await;

    let decide = |ids: Vec<i64>,
                  action: &'static str,
                  reason: Option<&'static str>,
                  note: Option<&'static str>| {
        let t = &t;
        async move {
            t.ok(
                "POST",
                paths::COMMENTS_BULK_DECISION,
                Some(&t.moderator),
                Some(json!({"ids": ids, "action": action, "reason_code": reason, "note": note, "tags": []})),
            )
            .await
        }
    };
    decide(
        vec![off_topic, theirs],
        "reject",
        Some("off_topic"),
        Some("به ماده‌ای از این پیش‌نویس اشاره کنید."),
    )
    .await;
    decide(vec![proposal, plain], "approve", None, None).await;
    decide(vec![later_hidden], "hide", Some("spam"), None).await;

    let sent = bale.wait_for("8101", 4).await;
    let texts: Vec<&str> = sent[1..].iter().map(|m| m.text.as_str()).collect();
    let rejected = texts
        .iter()
        .find(|t| t.contains("منتشر نشد"))
        .unwrap_or_else(|| panic!("{texts:?}"));
    assert!(
        rejected.contains("دلیل: نامرتبط با پیش‌نویس")
            && rejected.contains("توضیح بررسی‌کننده: به ماده‌ای از این پیش‌نویس اشاره کنید.")
            && rejected.contains("نظرهای شما و وضعیت آن‌ها:"),
        "{rejected}"
    );
    let approved = texts
        .iter()
        .find(|t| t.contains("پیشنهاد شما"))
        .unwrap_or_else(|| panic!("{texts:?}"));
    assert!(
        approved.contains(&format!("/c/{c}")) || approved.contains("medu.ir"),
        "{approved}"
    );
    let hidden = texts
        .iter()
        .find(|t| t.contains("از نمایش عمومی برداشته شد"))
        .unwrap_or_else(|| panic!("{texts:?}"));
    assert!(
        hidden.contains("دلیل: هرزنامه یا پیوند تبلیغاتی"),
        "{hidden}"
    );
    // The ordinary approval told nobody, and nothing came twice.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(bale.sent_to("8101").len(), 4, "{:?}", bale.sent_to("8101"));
    let queued = t
        .ok(
            "GET",
            &format!("{}?limit=100", paths::OUTBOX),
            Some(&t.admin),
            None,
        )
        .await;
    let kinds: Vec<&str> = queued["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["kind"].as_str())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "comment_declined").count(),
        2,
        "{kinds:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == "proposal_approved").count(),
        1,
        "{kinds:?}"
    );
}
