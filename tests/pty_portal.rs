//! Where the citizen portal is, as the real console shows it in a pseudo-terminal: on the
//! embedded default (the backend in the console's process, at the port asked for, or a free one
//! when that is taken) and against a remote backend (`--backend URL`: its `/fa/`). The address is
//! read off the screen — the status line at start, the help overlay — and requested over HTTP: it
//! answers the portal's home page. The `open_portal` key starts the browser named by `$BROWSER`
//! where there is a display (a script here that writes down what it was given), says that there
//! is no browser where there is none, and the address is printed after the console quits.

mod support;

use std::net::TcpListener;

use support::{Console, ConsoleOptions, Env, free_port, poll_until, rows_text};

/// Wide enough for the longest notice on the status line beside its key hints.
const COLS: u16 = 160;
const ROWS: u16 = 32;

/// The first `http://…` address on the screen's row `row`, as far as the next space.
fn address_on_row(screen: &vt100::Screen, row: u16) -> Option<String> {
    let text = rows_text(screen).get(row as usize)?.clone();
    let start = text.find("http://")?;
    Some(
        text[start..]
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .trim_end_matches([')', '(', '،', ','])
            .to_owned(),
    )
}

/// The address on the status line (the last row), once there is one.
fn status_line_address(console: &Console) -> String {
    console.wait_for("the portal's address on the status line", |s| {
        address_on_row(s, s.size().0 - 1).is_some()
    });
    console.with_screen(|s| address_on_row(s, s.size().0 - 1).unwrap())
}

/// The address in the help overlay (its first line under the title), once it is open.
fn help_address(console: &mut Console, help_key: &str) -> String {
    console.send_keys(help_key);
    console.wait_for("the help overlay with the portal's address", |s| {
        (0..s.size().0 - 1).any(|row| address_on_row(s, row).is_some())
    });
    let address = console.with_screen(|s| {
        (0..s.size().0 - 1)
            .find_map(|row| address_on_row(s, row))
            .unwrap()
    });
    console.esc();
    // Closed before anything else is typed (an escape followed at once by a key reads as alt).
    console.wait_for("the help overlay closed", |s| {
        (0..s.size().0 - 1).all(|row| address_on_row(s, row).is_none())
    });
    address
}

/// The portal's home page answers at `address`.
fn assert_portal_home(address: &str) {
    let (status, content_type, body) = support::get_page(address);
    assert_eq!(status, 200, "GET {address}");
    assert!(
        content_type.starts_with("text/html"),
        "{address}: {content_type}"
    );
    assert!(body.contains("<html lang=\"fa\" dir=\"rtl\""), "{body}");
}

fn embedded_options(lang: &str, port: u16) -> ConsoleOptions {
    ConsoleOptions {
        args: vec!["--portal-port".into(), port.to_string()],
        ..ConsoleOptions::default().size(COLS, ROWS).lang(lang)
    }
}

#[test]
fn the_built_in_backend_serves_the_portal_at_the_address_the_console_shows() {
    let port = free_port();
    let expected = format!("http://127.0.0.1:{port}/fa/");
    let mut console = Console::start_embedded(embedded_options("en", port));

    // Once at start, on the status line.
    console.wait_for_text(&format!("Citizen portal: {expected}"));
    assert_eq!(status_line_address(&console), expected);
    assert_portal_home(&expected);

    // Always in the help overlay, with the key that opens it.
    console.send_keys("?");
    console.wait_for_text(&format!(
        "Citizen portal: {expected} (W: open in the browser)"
    ));
    console.esc();
    console.wait_for_no_text("Keys also work");
    assert_eq!(help_address(&mut console, "?"), expected);

    // No display here: nothing is started, the status line says so and repeats the address.
    console.send_keys("W");
    console.wait_for_text(&format!(
        "No browser here (no graphical session); the citizen portal is at {expected}"
    ));

    // After quitting, on the terminal the console gave back.
    console.send_keys("q");
    let status = console.wait_exit();
    assert!(status.success(), "{status:?}\n{}", console.describe());
    let screen = console.screen_text();
    assert!(
        screen.contains(&format!(
            "Citizen portal of the built-in backend (served while the console runs): {expected}"
        )),
        "{screen}"
    );
    assert!(
        console
            .log()
            .contains(&format!("its citizen portal at {expected}")),
        "{}",
        console.log()
    );
}

#[test]
fn a_taken_port_falls_back_to_a_free_one_and_the_log_says_so() {
    // Somebody else holds the port the console is told to prefer.
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut console = Console::start_embedded(embedded_options("fa", port));

    // A Persian interface: the address still reads left to right, on the status line…
    let shown = status_line_address(&console);
    let prefix = "http://127.0.0.1:";
    assert!(
        shown.starts_with(prefix) && shown.ends_with("/fa/"),
        "{shown}"
    );
    let shown_port: u16 = shown[prefix.len()..shown.len() - "/fa/".len()]
        .parse()
        .unwrap_or_else(|_| panic!("{shown}"));
    assert_ne!(shown_port, port, "not the taken port");
    assert_portal_home(&shown);
    // …and in the help overlay, opened with `?` typed on the Persian layout.
    assert_eq!(help_address(&mut console, "؟"), shown);

    let log = console.log();
    assert!(
        log.contains(&format!("port {port} of 127.0.0.1 is taken"))
            && log.contains(&format!("on port {shown_port} this time")),
        "{log}"
    );
    console.send_keys("q");
    console.wait_exit();
    let screen = console.screen_text();
    assert!(screen.contains(&shown), "{screen}");
    drop(taken);
}

#[test]
fn with_a_remote_backend_the_portal_is_its_fa_page_and_the_key_opens_it_in_the_browser() {
    // The "browser": a script that writes down the address it is given.
    let scratch = tempfile::tempdir().unwrap();
    let script = scratch.path().join("browser.sh");
    let opened = scratch.path().join("opened.txt");
    std::fs::write(
        &script,
        format!("printf '%s\\n' \"$1\" >> '{}'\n", opened.display()),
    )
    .unwrap();
    let options = ConsoleOptions {
        env: vec![
            ("DISPLAY".into(), ":99".into()),
            ("BROWSER".into(), format!("/bin/sh {}", script.display())),
        ],
        ..ConsoleOptions::default().size(COLS, ROWS).lang("en")
    };
    let mut env = Env::start("admin1", "admin", options, |_, _| {});
    let expected = format!("{}/fa/", env.backend.url());

    env.console
        .wait_for_text(&format!("Citizen portal: {expected}"));
    assert_eq!(status_line_address(&env.console), expected);
    assert_portal_home(&expected);
    assert_eq!(help_address(&mut env.console, "?"), expected);
    assert!(!opened.exists(), "nothing opened without the key");

    let read_opened = || std::fs::read_to_string(&opened).unwrap_or_default();
    env.console.send_keys("W");
    env.console.wait_for_text(&format!(
        "Opening the citizen portal in the browser: {expected}"
    ));
    poll_until(
        "the browser given the portal's address",
        || (read_opened() == format!("{expected}\n")).then_some(()),
        || format!("opened: {:?}\n{}", read_opened(), env.console.describe()),
    );
    // The same key on the Persian layout (shift-ص), and f2.
    env.console.send_keys("ٌ");
    env.console.send_bytes(b"\x1bOQ");
    poll_until(
        "the browser started twice more",
        || (read_opened() == format!("{expected}\n").repeat(3)).then_some(()),
        || format!("opened: {:?}\n{}", read_opened(), env.console.describe()),
    );

    env.console.send_keys("q");
    env.console.wait_exit();
    let screen = env.console.screen_text();
    assert!(
        screen.contains(&format!("Citizen portal: {expected}")),
        "{screen}"
    );
}
