//! The real console in a pseudo-terminal against the real backend: an operator opens the Reports
//! pane (`5`) in the Persian interface, generates the report of a closed consultation, publishes
//! it after the confirmation (the public report appears), and exports it: the file in the
//! console's data folder holds what the API serves, and an existing file is replaced only after a
//! yes.
//!
//! Expected Persian strings are written by hand in visual order (see `support`).

mod support;

use mosharekat_api::paths;
use support::{ConsoleOptions, Env, find, poll_until};

/// «هنوز گزارشی نیست» (no report yet).
const NO_REPORT_YET: &str = "تسین یشرازگ زونه";
/// «هنوز منتشر نشده» (not published yet).
const NOT_PUBLISHED: &str = "هدشن رشتنم زونه";
/// «عمومی:» (public:), the start of the published line.
const PUBLIC: &str = ":یمومع";
/// «جایگزین شود؟» (replace it?).
const REPLACE: &str = "؟دوش نیزگیاج";

#[test]
fn generate_publish_and_export_from_the_console() {
    let mut consultation = 0;
    let mut env = Env::start(
        "operator1",
        "operator",
        ConsoleOptions::default(),
        |backend, token| {
            consultation =
                backend.open_consultation(token, "بخشنامه‌ی ساعت مدارس", "School hours", 40);
            for (i, name) in ["مریم", "علی", "سارا"].into_iter().enumerate() {
                let participant = backend.participant(name);
                backend.comment(
                    consultation,
                    &participant,
                    &format!("ساعت شروع کلاس‌ها دیرتر شود {i}"),
                );
            }
            let admin = backend.add_staff("admin1", "admin");
            backend.ok(
                "POST",
                &paths::consultation_close(consultation),
                Some(&admin),
                Some(serde_json::json!({"reason": "پایان زودهنگام برای آزمون"})),
            );
        },
    );
    let id = consultation;
    let console = &mut env.console;
    console.wait_for("the first frame", |s| find(s, "ارآ رامآ").is_some());
    console.send_keys("5");
    console.wait_for_text(NO_REPORT_YET);

    console.send_keys("r");
    console.wait_for_text(NOT_PUBLISHED);
    let (status, _) = env
        .backend
        .call("GET", &paths::public_consultation_report(id), None, None);
    assert_eq!(status, 404, "nothing is public before publishing");

    let console = &mut env.console;
    console.send_keys("P");
    console.wait_for("the confirmation", |s| find(s, "؟دوش").is_some());
    console.send_keys("y");
    console.wait_for_text(PUBLIC);
    let public = env
        .backend
        .ok("GET", &paths::public_consultation_report(id), None, None);
    assert_eq!(public["version"], 1);
    assert_eq!(public["published_by"], "operator1");
    assert_eq!(public["participants"]["total"], 3);

    // Export as JSON (the first format): the file holds what the API serves.
    let path = env
        .console
        .data_dir()
        .join("exports")
        .join(format!("report-{id}-v1.json"));
    env.console.send_keys("e");
    env.console.enter();
    let served = env.backend.ok(
        "GET",
        &format!("{}?format=json", paths::consultation_report(id)),
        Some(&env.token),
        None,
    );
    let read = |path: &std::path::Path| -> Option<serde_json::Value> {
        serde_json::from_slice(&std::fs::read(path).ok()?).ok()
    };
    let written = poll_until(
        "the exported file",
        || read(&path),
        || env.console.describe(),
    );
    assert_eq!(written, served);
    // The pane says where it went: «آخرین ذخیره: …/report-N-v1.json».
    env.console
        .wait_for_text(&format!("report-{id}-v1.json :هریخذ نیرخآ"));

    // Again: the file exists, so the console asks; no keeps it, yes replaces it.
    std::fs::write(&path, "kept").unwrap();
    let console = &mut env.console;
    console.send_keys("e");
    console.enter();
    console.wait_for_text(REPLACE);
    console.send_keys("n");
    console.wait_for_no_text(REPLACE);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "kept");
    console.send_keys("e");
    console.enter();
    console.wait_for_text(REPLACE);
    console.send_keys("y");
    let written = poll_until(
        "the replaced file",
        || read(&path),
        || env.console.describe(),
    );
    assert_eq!(written, served);
}
