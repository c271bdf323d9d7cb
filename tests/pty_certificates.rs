//! The real console in a pseudo-terminal against the real backend: the Certificates pane driven
//! with the keyboard in the Persian layout — certificates proposed when the consultation closes
//! come in live, one is approved, its QR code is read off the terminal screen (vt100) and decoded
//! to the portal's verification page, and another is rejected with a Persian reason typed in the
//! text field. Expected Persian visual strings are written by hand.

mod support;

use mosharekat_api::paths;
use serde_json::{Value, json};
use support::{ConsoleOptions, Env, find};

/// «پیشنهادشده» (proposed) as it reads on screen.
const PROPOSED: &str = "هدشداهنشیپ";
/// «گواهی صادر شد» (certificate issued) as it reads on screen.
const ISSUED: &str = "دش رداص یهاوگ";
/// «ردشده» (rejected) as it reads on screen.
const REJECTED: &str = "هدشدر";

fn certificates(env: &Env, status: &str) -> Vec<Value> {
    let page = env.backend.ok(
        "GET",
        &format!("{}?status={status}", paths::CERTIFICATES),
        Some(&env.token),
        None,
    );
    page["items"].as_array().unwrap().clone()
}

/// Reads the QR code off the emulated screen: each `▀` cell is two modules, the upper one from
/// its foreground and the lower one from its background (black = dark); every other cell counts
/// as dark, as on a dark terminal, so only the drawn quiet zone sets the code apart.
fn scan(screen: &vt100::Screen) -> Option<String> {
    let (rows, cols) = screen.size();
    let (w, h) = (cols as usize, rows as usize * 2);
    let mut dark = vec![true; w * h];
    let black = |c: vt100::Color| c == vt100::Color::Idx(0);
    for y in 0..rows {
        for x in 0..cols {
            let cell = screen.cell(y, x)?;
            if cell.contents() == "▀" {
                dark[2 * y as usize * w + x as usize] = black(cell.fgcolor());
                dark[(2 * y as usize + 1) * w + x as usize] = black(cell.bgcolor());
            }
        }
    }
    const SCALE: usize = 4;
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w * SCALE, h * SCALE, |x, y| {
        if dark[(y / SCALE) * w + x / SCALE] {
            0
        } else {
            255
        }
    });
    let grids = image.detect_grids();
    grids.first()?.decode().ok().map(|(_, text)| text)
}

#[test]
fn certificates_are_approved_scanned_and_rejected_from_the_persian_layout() {
    let mut env = Env::start(
        "admin1",
        "admin",
        ConsoleOptions::default().size(100, 30),
        |backend, token| {
            let c = backend.open_consultation(token, "طرح آزمایشی گواهی", "Certificate trial", 40);
            let mut ids = Vec::new();
            for (i, name) in ["مریم", "Sara", "رضا"].iter().enumerate() {
                let citizen = backend.participant(name);
                ids.push(backend.comment(c, &citizen, &format!("نظر شماره‌ی {}", i + 1)));
            }
            backend.ok(
                "POST",
                paths::COMMENTS_BULK_DECISION,
                Some(token),
                Some(json!({"ids": ids, "action": "approve", "tags": []})),
            );
            // Closing runs the certificate rules (the scheduler, within a second).
            backend.ok(
                "POST",
                &paths::consultation_close(c),
                Some(token),
                Some(json!({"reason": "پایان آزمون"})),
            );
        },
    );
    env.console
        // The Queue tab (an admin's first pane) is drawn with its title: «صف بررسی» in visual
        // order.
        .wait_for("the first frame", |s| find(s, "یسررب فص").is_some());
    // «۶» is the Persian layout's 6: the Certificates pane.
    env.console.send_keys("۶");
    env.console.wait_for_text(PROPOSED);
    let proposed = certificates(&env, "proposed");
    assert!(proposed.len() >= 3, "{proposed:?}");

    // «ش» is the key of `a`: approve the first (selected) one.
    env.console.send_keys("ش");
    env.console.wait_for_text(ISSUED);
    let approved = certificates(&env, "approved");
    assert_eq!(approved.len(), 1, "{approved:?}");
    let code = approved[0]["verification_code"]
        .as_str()
        .unwrap()
        .to_owned();
    // The code is shown as it is, left to right.
    env.console.wait_for_text(&code);

    // «ر» is the key of `v`: the QR code alone; scanned off the screen, it leads to the portal's
    // verification page of the certificate.
    env.console.send_keys("ر");
    env.console
        .wait_for("a QR code that scans", |s| scan(s).is_some());
    let url = env.console.with_screen(|s| scan(s).unwrap());
    assert_eq!(url, format!("{}/fa/verify/{code}", env.backend.url()));
    let (status, content_type, page) = support::get_page(&url);
    assert_eq!(status, 200, "{url}");
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(page.contains(code.as_str()), "{page}");
    let public = env
        .backend
        .ok("GET", &paths::public_certificate(&code), None, None);
    assert_eq!(public["status"], "approved");
    assert_eq!(public["code"], code.as_str());
    env.console.esc();
    // The pane again: its summary line («نمایش:») is back.
    env.console
        .wait_for("the QR view closed", |s| find(s, ":شیامن").is_some());

    // Only the proposed ones («ب» is `f`, the filter): the first of them is selected. Reject it
    // («ق» is `r`) with a Persian reason: inside the text field Persian letters are text, not
    // keys. The filter's name is on the summary line; rows come with the new list.
    env.console.send_keys("ب");
    env.console.wait_for("the proposed ones alone", |s| {
        find(s, "هدشداهنشیپ :شیامن").is_some() && support::find_all(s, PROPOSED).len() >= 3
    });
    let second = certificates(&env, "proposed")
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .min()
        .unwrap();
    env.console.send_keys("ق");
    let reason = "مشارکت تکراری است";
    env.console.send_keys(reason);
    env.console.ctrl('s');
    env.console.wait_for_text(REJECTED);
    env.backend.wait_until("the rejection", |b| {
        let page = b.ok(
            "GET",
            &format!("{}?status=rejected", paths::CERTIFICATES),
            Some(&env.token),
            None,
        );
        page["items"].as_array().unwrap().len() == 1
    });
    let rejected = certificates(&env, "rejected");
    assert_eq!(rejected[0]["id"].as_i64(), Some(second));
    assert_eq!(rejected[0]["reject_reason"], reason);
    assert_eq!(rejected[0]["decided_by"], "admin1");
}
