//! Signing in to a remote backend: with a token (`MOSHAREKAT_TOKEN` or the config file), or
//! through a small form in the console.

use crossterm::event::{
    Event as TermEvent, EventStream, KeyCode, KeyEvent, KeyEventKind, KeyModifiers,
};
use futures::StreamExt;
use mosharekat_api::auth::SessionInfo;
use mosharekat_rtl::LayoutOptions;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};
use reqwest::Url;

use super::Session;
use crate::client::{Client, ClientError};
use crate::i18n::{I18n, Locale};
use crate::keymap::{Action, Context, Keymap};
use crate::theme::{Slot, Theme};
use crate::ui::{Ui, centered};

/// Check a token and learn whose it is.
pub async fn session_from_token(client: Client) -> anyhow::Result<Session> {
    let info: SessionInfo = client.session().await.map_err(|e| match e {
        ClientError::Api { status: 401, .. } => {
            anyhow::anyhow!("the token was refused by {}: log in again", client.base())
        }
        other => anyhow::anyhow!("{}: {other}", client.base()),
    })?;
    Ok(Session {
        client,
        username: info.username,
        role: info.role,
    })
}

#[derive(Default)]
struct Form {
    username: String,
    password: String,
    on_password: bool,
    message: Option<String>,
    busy: bool,
}

/// The login form. `Ok(None)`: the user left without logging in.
pub async fn login_form(
    url: Url,
    locale: &Locale,
    theme: &Theme,
    keymap: &Keymap,
    layout: &LayoutOptions,
) -> anyhow::Result<Option<Session>> {
    let i18n = I18n::new(locale.clone());
    let mut terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
    terminal.clear()?;
    let mut form = Form::default();
    let mut input = EventStream::new();
    let client = Client::new(url.clone());
    loop {
        terminal.draw(|frame| {
            let ui = Ui::new(
                &i18n,
                theme,
                keymap,
                layout.clone(),
                chrono::Utc::now(),
                mosharekat_api::Role::Moderator,
            );
            let area = centered(frame.area(), 60, 9);
            frame.render_widget(Clear, area);
            let block = ui.block(ui.t("login.title"), true);
            let inner = block.inner(area);
            frame.render_widget(block, area);
            let rows: [ratatui::layout::Rect; 5] =
                Layout::vertical([Constraint::Length(1); 5]).areas(inner);
            let field = |label: &str, value: &str, active: bool| -> Line<'static> {
                let style = if active {
                    ui.style(Slot::Selection)
                } else {
                    ui.style(Slot::InputNormal)
                };
                ui.label(&format!("{label}: {value}"), inner.width, style)
            };
            frame.render_widget(
                Paragraph::new(ui.label(
                    &format!("{}: {url}", ui.t("login.backend")),
                    inner.width,
                    ui.style(Slot::TextMuted),
                )),
                rows[0],
            );
            frame.render_widget(
                Paragraph::new(field(
                    ui.t("login.username"),
                    &form.username,
                    !form.on_password,
                )),
                rows[1],
            );
            let masked = "•".repeat(form.password.chars().count());
            frame.render_widget(
                Paragraph::new(field(ui.t("login.password"), &masked, form.on_password)),
                rows[2],
            );
            let status = if form.busy {
                ui.t("login.in_progress").to_owned()
            } else {
                form.message.clone().unwrap_or_default()
            };
            frame.render_widget(
                Paragraph::new(ui.label(&status, inner.width, ui.style(Slot::Warning))),
                rows[4],
            );
        })?;
        let Some(Ok(TermEvent::Key(key))) = input.next().await else {
            continue;
        };
        if key.kind == KeyEventKind::Release {
            continue;
        }
        match edit(&mut form, key, keymap) {
            Step::Continue => {}
            Step::Leave => return Ok(None),
            Step::Submit => {
                form.busy = true;
                match client.login(form.username.trim(), &form.password).await {
                    Ok((client, login)) => {
                        return Ok(Some(Session {
                            client,
                            username: login.username,
                            role: login.role,
                        }));
                    }
                    Err(ClientError::Api { status: 401, .. }) => {
                        form.message = Some(i18n.text("login.failed").to_owned())
                    }
                    Err(e) => {
                        form.message = Some(format!(
                            "{} ({e})",
                            i18n.format("login.unreachable", &[("url", url.as_str())])
                        ))
                    }
                }
                form.busy = false;
                form.password.clear();
            }
        }
    }
}

enum Step {
    Continue,
    Submit,
    Leave,
}

fn edit(form: &mut Form, key: KeyEvent, keymap: &Keymap) -> Step {
    match (keymap.resolve(&key, Context::TextField), key.code) {
        (Some(Action::Cancel), _) => return Step::Leave,
        (Some(Action::Submit), _) | (_, KeyCode::Enter) if form.on_password => return Step::Submit,
        (Some(Action::NextField | Action::PrevField), _)
        | (_, KeyCode::Enter | KeyCode::Tab | KeyCode::BackTab) => {
            form.on_password = !form.on_password;
        }
        (_, KeyCode::Backspace) => {
            let field = if form.on_password {
                &mut form.password
            } else {
                &mut form.username
            };
            field.pop();
        }
        (_, KeyCode::Char(c)) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            let field = if form.on_password {
                &mut form.password
            } else {
                &mut form.username
            };
            field.push(c);
        }
        _ => {}
    }
    Step::Continue
}
