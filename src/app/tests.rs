//! The frame's own words about the citizen portal: announced at start, kept in the help overlay,
//! what a failed or impossible browser start says, and the line printed after leaving.

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use mosharekat_api::Role;
use mosharekat_rtl::{BidiMode, LayoutOptions, Shaping};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;
use crate::browser::OpenError;
use crate::keymap::Keymap;
use crate::theme::Theme;

fn app(base: &str, lang: &str, dir: &std::path::Path) -> App {
    let (tx, _rx) = mpsc::unbounded_channel();
    let parts = AppParts {
        session: Session {
            client: Client::new(base.parse().unwrap()),
            username: "admin1".into(),
            role: Role::Admin,
        },
        i18n: I18n::new(Locale::embedded(lang).unwrap()),
        configured_lang: lang.into(),
        config_dir: dir.join("config"),
        theme: Theme::embedded("dark").unwrap(),
        keymap: Keymap::embedded_default(),
        layout: LayoutOptions::new(BidiMode::App, Shaping::Off),
        journal: Journal::open(&dir.join("j.journal")).unwrap(),
    };
    App::new(parts, tx)
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 5, 1, 7, 0, 0).unwrap()
}

fn screen(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    app.render(&mut terminal, t0()).unwrap();
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn the_portal_is_announced_kept_in_help_and_repeated_when_no_browser_opens() {
    let dir = tempfile::tempdir().unwrap();
    // A backend behind a proxy under a prefix: its portal is under the same prefix.
    let mut app = app("http://127.0.0.1:9/mosharekat", "en", dir.path());
    let portal = "http://127.0.0.1:9/mosharekat/fa/";
    assert_eq!(app.portal().as_str(), portal);

    app.start(t0());
    assert_eq!(
        app.notice_text(),
        Some(format!("Citizen portal: {portal}").as_str())
    );
    // Gone from the status line after a while…
    app.on_tick(t0() + chrono::Duration::seconds(7));
    assert_eq!(app.notice_text(), None);
    // …always in the help overlay.
    app.on_key(KeyEvent::new(KeyCode::Char('?'), KeyModifiers::NONE), t0());
    let shown = screen(&mut app, 120, 30);
    assert!(
        shown.contains(&format!(
            "Citizen portal: {portal} (W: open in the browser)"
        )),
        "{shown}"
    );

    app.on_event(
        AppEvent::PortalOpened(Err(OpenError::Failed("no opener found".into()))),
        t0(),
    );
    assert_eq!(
        app.notice_text(),
        Some(
            format!(
                "The browser could not be started (no opener found); the citizen portal is at \
                 {portal}"
            )
            .as_str()
        )
    );
    app.on_event(
        AppEvent::PortalOpened(Err(OpenError::NoGraphicalSession)),
        t0(),
    );
    assert_eq!(
        app.notice_text(),
        Some(
            format!("No browser here (no graphical session); the citizen portal is at {portal}")
                .as_str()
        )
    );
    // A browser that started says nothing more: the "opening" notice stays.
    app.on_event(AppEvent::PortalOpened(Ok(())), t0());
    assert!(app.notice_text().unwrap().starts_with("No browser here"));

    assert_eq!(app.portal_after_exit(), format!("Citizen portal: {portal}"));
    app.set_embedded_backend(true);
    assert_eq!(
        app.portal_after_exit(),
        format!("Citizen portal of the built-in backend (served while the console runs): {portal}")
    );
}

#[tokio::test]
async fn a_persian_interface_says_it_in_persian_with_the_address_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app("http://127.0.0.1:8421", "fa", dir.path());
    app.start(t0());
    assert_eq!(
        app.notice_text(),
        Some("درگاه شهروندان: http://127.0.0.1:8421/fa/")
    );
    app.set_embedded_backend(true);
    assert!(
        app.portal_after_exit()
            .ends_with(": http://127.0.0.1:8421/fa/")
    );
    // On screen (in visual order) the address still reads left to right.
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("http://127.0.0.1:8421/fa/"), "{shown}");
}
