//! `mosharekat serve` configured for production, as an operator would: the real binary, set up
//! through environment variables alone, registers the Bale bot's webhook on the public address,
//! links the author's chat through it, and delivers a published decision to that chat through a
//! fake Bale Bot API (the real wire format: `POST /bot<token>/sendMessage` with JSON
//! `{chat_id, text}`), its link on the configured public address, and issues certificates under the configured issuer name;
//! `--print-config` shows the settings with secrets masked and where
//! each came from; a bad setting stops it with exit code 2 before anything starts.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use mosharekat_api::{Category, Channel, Language, NewParticipant, paths};
use serde_json::{Value, json};
use support::{BIN, Backend, poll_until};

const BALE_TOKEN: &str = "734561209:bale-test-token-never-logged";
const PUBLIC: &str = "https://participation.example.ir";
const ISSUER: &str = "اداره کل آموزش و پرورش استان اصفهان / Isfahan Education Office";

/// One request the fake Bot API received.
#[derive(Clone, Debug)]
struct Request {
    method: String,
    path: String,
    content_type: String,
    body: Vec<u8>,
}

/// A Bale Bot API on a free local port: answers every request as Bale answers a delivered
/// `sendMessage`, and keeps what it received.
struct FakeBale {
    url: String,
    received: Arc<Mutex<Vec<Request>>>,
}

impl FakeBale {
    fn start() -> FakeBale {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let log = Arc::clone(&log);
                std::thread::spawn(move || serve_one(stream, &log));
            }
        });
        FakeBale { url, received }
    }

    fn received(&self) -> Vec<Request> {
        self.received.lock().unwrap().clone()
    }

    /// The `sendMessage` calls received, in order.
    fn sends(&self) -> Vec<Request> {
        self.received()
            .into_iter()
            .filter(|r| r.path.ends_with("/sendMessage"))
            .collect()
    }
}

/// Read one HTTP/1.1 request (headers, then `Content-Length` bytes), record it, answer `ok`.
fn serve_one(stream: std::net::TcpStream, log: &Mutex<Vec<Request>>) {
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = request_line.split_whitespace();
    let (method, path) = (
        parts.next().unwrap_or_default().to_owned(),
        parts.next().unwrap_or_default().to_owned(),
    );
    let (mut length, mut content_type) = (0usize, String::new());
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            match name.trim().to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap_or(0),
                "content-type" => content_type = value.trim().to_owned(),
                _ => {}
            }
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let chat = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|b| b.get("chat_id").cloned())
        .unwrap_or(Value::Null);
    log.lock().unwrap().push(Request {
        method,
        path: path.clone(),
        content_type,
        body,
    });
    let answer = if path.ends_with("/getMe") {
        json!({"ok": true, "result": {"id": 734561209, "is_bot": true, "first_name": "Mosharekat",
            "username": "mosharekat_bot"}})
    } else if path.ends_with("/setWebhook") {
        json!({"ok": true, "result": true, "description": "Webhook was set"})
    } else {
        json!({"ok": true, "result": {"message_id": 1, "date": 1_767_225_600,
            "chat": {"id": chat, "type": "private"}}})
    }
    .to_string();
    let mut stream = reader.into_inner();
    let _ = write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
        answer.len()
    );
    let _ = stream.flush();
}

/// The environment alone configures the server: the database and port (added by
/// `start_from_env`), the public address, and Bale's token and address.
#[test]
fn serve_configured_only_by_the_environment_sends_a_decision_to_bale() {
    let bale = FakeBale::start();
    let sms = support::FakeKavenegar::start();
    let backend = Backend::start_from_env(&[
        ("MOSHAREKAT_PUBLIC_BASE_URL", PUBLIC),
        ("MOSHAREKAT_BALE_TOKEN", BALE_TOKEN),
        ("MOSHAREKAT_BALE_BASE_URL", &bale.url),
        ("MOSHAREKAT_ISSUER_NAME", ISSUER),
        // Certificates go to verified participants: codes to a fake Kavenegar.
        ("MOSHAREKAT_SMS_PROVIDER", "kavenegar"),
        ("MOSHAREKAT_SMS_API_KEY", support::FakeKavenegar::KEY),
        ("MOSHAREKAT_SMS_BASE_URL", &sms.url),
        ("MOSHAREKAT_SMS_TEMPLATE", "verify"),
    ]);
    let admin = backend.add_staff("admin1", "admin");
    let c = backend.open_consultation(&admin, "آیین‌نامه تراکم کلاس‌ها", "Class sizes", 40);
    let author = NewParticipant {
        display_name: "مریم".into(),
        category: Category::Public,
        birth_year: Some(1985),
        gender: None,
        province: None,
        channel: Some(Channel::Bale),
        handle: Some("@maryam_1364".into()),
        consent: true,
        name_public: false,
        language: Language::Fa,
    };
    backend.ok(
        "POST",
        paths::PUBLIC_VERIFICATION,
        None,
        Some(json!({"phone": "09121234567"})),
    );
    let mut registration = serde_json::to_value(&author).unwrap();
    registration["phone"] = json!("09121234567");
    registration["code"] = json!(sms.last_code("09121234567").expect("a code sent"));
    let registered = backend.ok("POST", paths::PUBLIC_PARTICIPANTS, None, Some(registration));
    let citizen = registered["token"].as_str().unwrap().to_owned();
    // The bot's webhook is registered on the public address; the author links their chat with
    // the code from their page, and Bale posts the `/start` to the webhook.
    let registration = poll_until(
        "the bot's webhook to be registered",
        || {
            bale.received()
                .into_iter()
                .find(|r| r.path.ends_with("/setWebhook"))
        },
        || backend.server_log(),
    );
    let registration: Value = serde_json::from_slice(&registration.body).unwrap();
    assert_eq!(registration["url"], format!("{PUBLIC}/api/v1/bale/webhook"));
    let secret = registration["secret_token"].as_str().unwrap();
    let link = backend.ok(
        "POST",
        paths::PUBLIC_MESSENGER_LINKS,
        Some(&citizen),
        Some(json!({"channel": "bale"})),
    );
    let code = link["code"].as_str().unwrap();
    assert_eq!(
        link["url"],
        format!("https://ble.ir/mosharekat_bot?start={code}")
    );
    let start = json!({"update_id": 1, "message": {"message_id": 7, "date": 1_767_225_600,
        "chat": {"id": 91001, "type": "private"}, "text": format!("/start {code}")}});
    assert_eq!(
        backend.post_with_header(
            paths::BALE_WEBHOOK,
            ("X-Telegram-Bot-Api-Secret-Token", secret),
            &start
        ),
        200
    );
    let welcome = poll_until(
        "the bot's welcome",
        || bale.sends().into_iter().next(),
        || backend.server_log(),
    );
    let welcome: Value = serde_json::from_slice(&welcome.body).unwrap();
    assert_eq!(welcome["chat_id"], "91001");
    let (status, proposal) = backend.call(
        "POST",
        &paths::public_consultation_comments(c),
        Some(&citizen),
        Some(json!({"body": "پیشنهاد: کلاس‌ها بیش از ۲۸ نفر نداشته باشند", "is_proposal": true})),
    );
    assert_eq!(status, 202, "{proposal}");
    let proposal = proposal["id"].as_i64().unwrap();
    backend.ok(
        "POST",
        paths::COMMENTS_BULK_DECISION,
        Some(&admin),
        Some(json!({"ids": [proposal], "action": "approve"})),
    );
    backend.ok(
        "POST",
        &paths::consultation_close(c),
        Some(&admin),
        Some(json!({"reason": "پایان مهلت آزمون"})),
    );
    backend.ok(
        "PUT",
        &paths::proposal_decision(proposal),
        Some(&admin),
        Some(json!({"version": 0, "outcome": "accepted",
            "rationale_fa": "سقف ۲۸ نفر در هر کلاس تعیین شد.",
            "rationale_en": "A cap of 28 pupils per class was set.",
            "legal_basis": "ماده ۹ آیین‌نامه"})),
    );
    // Approving the proposal told its author where the answer will appear (on the public base
    // URL too); nothing else was sent before publication.
    let approval = poll_until(
        "the approval at the fake Bale server",
        || bale.sends().get(1).cloned(),
        || backend.server_log(),
    );
    let approval: Value = serde_json::from_slice(&approval.body).expect("a JSON body");
    let approval = approval["text"].as_str().expect("text").to_owned();
    assert!(
        approval.contains("منتشر شد")
            && approval.contains(&format!("{PUBLIC}/fa/c/{c}#decisions-heading")),
        "{approval}"
    );
    assert_eq!(bale.sends().len(), 2, "the welcome and the approval");
    let published = backend.ok(
        "POST",
        &paths::consultation_decisions_publish(c),
        Some(&admin),
        None,
    );
    assert_eq!(published["messages"], 1, "{published}");

    let sent = poll_until(
        "the decision at the fake Bale server",
        || bale.sends().get(2).cloned(),
        || backend.server_log(),
    );
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, format!("/bot{BALE_TOKEN}/sendMessage"));
    assert!(
        sent.content_type.starts_with("application/json"),
        "{}",
        sent.content_type
    );
    let body: Value = serde_json::from_slice(&sent.body).expect("a JSON body");
    assert_eq!(
        body["chat_id"], "91001",
        "the linked chat, never the typed handle"
    );
    let text = body["text"].as_str().expect("text");
    assert!(
        text.contains("آیین‌نامه تراکم کلاس‌ها")
            && text.contains("پذیرفته شد")
            && text.contains("سقف ۲۸ نفر در هر کلاس تعیین شد."),
        "{text}"
    );
    let links: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
        .collect();
    assert_eq!(
        links,
        [format!("{PUBLIC}/fa/c/{c}#decisions-heading")],
        "{text}"
    );
    // The outbox records it as sent, and the token was never written to the log.
    let outbox = backend.ok(
        "GET",
        &format!("{}?consultation_id={c}", paths::OUTBOX),
        Some(&admin),
        None,
    );
    let id = outbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "decision_published")
        .and_then(|m| m["id"].as_i64())
        .unwrap_or_else(|| panic!("the decision in {outbox}"));
    poll_until(
        "the message to be recorded as sent",
        || {
            let m = backend.ok("GET", &paths::outbox_message(id), Some(&admin), None);
            (m["status"] == "sent").then_some(())
        },
        || backend.server_log(),
    );

    // The author's certificate is issued under the configured name, and its message links to
    // the portal's verification page at the public address too.
    backend.ok(
        "POST",
        paths::CERTIFICATES_PROPOSE,
        Some(&admin),
        Some(json!({"consultation_id": c})),
    );
    let proposed = backend.ok(
        "GET",
        &format!(
            "{}?status=proposed&consultation_id={c}",
            paths::CERTIFICATES
        ),
        Some(&admin),
        None,
    );
    let certificate = proposed["items"][0]["id"].as_i64().expect("a certificate");
    let issued = backend.ok(
        "POST",
        &paths::certificate_approve(certificate),
        Some(&admin),
        None,
    );
    let code = issued["verification_code"].as_str().unwrap();
    let public = backend.ok("GET", &paths::public_certificate(code), None, None);
    assert_eq!(public["credential"]["issuer"]["name"], ISSUER);
    let second = poll_until(
        "the certificate message at the fake Bale server",
        || bale.sends().get(3).cloned(),
        || backend.server_log(),
    );
    let text = serde_json::from_slice::<Value>(&second.body).unwrap()["text"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        text.contains(&format!("{PUBLIC}/fa/verify/{code}")),
        "{text}"
    );

    let log = backend.server_log();
    assert!(log.contains("delivery: sending through bale"), "{log}");
    assert!(
        !log.contains("bale-test-token"),
        "the token is in the log:\n{log}"
    );
}

/// `serve` with only these environment variables (and `args`): its exit status and output.
fn serve(args: &[&str], vars: &[(&str, &str)]) -> std::process::Output {
    Command::new(BIN)
        .arg("serve")
        .args(args)
        .env_clear()
        .envs(vars.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("run mosharekat serve")
}

#[test]
fn print_config_masks_secrets_and_says_where_each_setting_came_from() {
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("bale-token");
    std::fs::write(&token_file, format!("{BALE_TOKEN}\n")).unwrap();
    let config = dir.path().join("serve.toml");
    std::fs::write(
        &config,
        "# the ministry's settings\n\
         listen = \"127.0.0.1:9100\"\n\
         issuer_name = \"وزارت آموزش و پرورش\"\n\
         webhook_secret = \"webhook-secret-in-the-file\"\n\
         sms_provider = \"smsir\"\n\
         sms_template = \"123456\"\n",
    )
    .unwrap();
    let token_file = token_file.display().to_string();
    let config = config.display().to_string();
    let database = format!("sqlite://{}/never-created.db", dir.path().display());
    let out = serve(
        &[
            "--config",
            &config,
            "--print-config",
            "--listen",
            "127.0.0.1:9200",
        ],
        &[
            ("MOSHAREKAT_DATABASE_URL", &database),
            ("MOSHAREKAT_PUBLIC_URL", PUBLIC),
            ("MOSHAREKAT_BALE_TOKEN_FILE", &token_file),
            ("MOSHAREKAT_SMS_API_KEY", "sms-key-in-the-environment"),
        ],
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for secret in [
        "bale-test-token",
        "webhook-secret-in-the-file",
        "sms-key-in-the-environment",
    ] {
        assert!(!stdout.contains(secret), "{secret} printed:\n{stdout}");
    }
    for line in [
        format!("# config file: {config} (from --config)"),
        "listen = \"127.0.0.1:9200\"  # from --listen".to_owned(),
        format!("database_url = \"{database}\"  # from MOSHAREKAT_DATABASE_URL"),
        format!("public_base_url = \"{PUBLIC}\"  # from MOSHAREKAT_PUBLIC_URL"),
        format!("issuer_name = \"وزارت آموزش و پرورش\"  # from {config}:3 (issuer_name)"),
        format!("bale_token = \"••••\"  # from MOSHAREKAT_BALE_TOKEN_FILE={token_file}"),
        format!("webhook_secret = \"••••\"  # from {config}:4 (webhook_secret)"),
        "sms_api_key = \"••••\"  # from MOSHAREKAT_SMS_API_KEY".to_owned(),
        "sms_base_url = \"https://api.sms.ir\"  # default".to_owned(),
        "bale_base_url = \"https://tapi.bale.ai\"  # default".to_owned(),
        "# eitaa_token is not set".to_owned(),
        "# delivery: sends through bale, webhook (messages for other channels wait in the outbox)"
            .to_owned(),
    ] {
        assert!(
            stdout.lines().any(|l| l == line),
            "no line {line:?} in:\n{stdout}"
        );
    }
    assert!(
        !dir.path().join("never-created.db").exists(),
        "--print-config started nothing"
    );
}

/// Flags, environment variables, and how the error starts.
type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], String);

#[test]
fn a_bad_setting_exits_2_naming_it_and_its_source_before_anything_starts() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}/never-created.db", dir.path().display());
    let config = dir.path().join("serve.toml");
    std::fs::write(&config, "listen = \"127.0.0.1:0\"\nbale_tokn = \"x\"\n").unwrap();
    let config = config.display().to_string();
    let cases: [Case; 4] = [
        (
            &[],
            &[("MOSHAREKAT_BALE_BASE_URL", "tapi.bale.ai")],
            "bale_base_url (from MOSHAREKAT_BALE_BASE_URL): `tapi.bale.ai` is not a URL".into(),
        ),
        (
            &["--sms-provider", "twilio"],
            &[],
            "sms_provider (from --sms-provider): unknown SMS provider `twilio`".into(),
        ),
        (
            &[],
            &[("MOSHAREKAT_BALE_TOKEN_FILE", "/nonexistent/bale-token")],
            "bale_token (from MOSHAREKAT_BALE_TOKEN_FILE=/nonexistent/bale-token): cannot read"
                .into(),
        ),
        (
            &["--config", &config],
            &[],
            format!("{config}:2: unknown setting `bale_tokn` (did you mean `bale_token`?)"),
        ),
    ];
    for (args, vars, expected) in cases {
        let mut vars = vars.to_vec();
        vars.push(("MOSHAREKAT_DATABASE_URL", &database));
        vars.push(("MOSHAREKAT_LISTEN", "127.0.0.1:0"));
        let out = serve(args, &vars);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?} {vars:?}: {stderr}");
        assert!(
            stderr.starts_with(&format!("mosharekat serve: {expected}")),
            "{args:?} {vars:?}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "it printed {:?}", out.stdout);
        assert!(!dir.path().join("never-created.db").exists());
    }
}
