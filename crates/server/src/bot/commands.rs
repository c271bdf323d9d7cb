//! What the bot does with a message: link a chat (`/start <code>`), resume it (`/start`), stop it
//! (`/stop`, «توقف»), list the open calls (`/calls`, «فراخوان‌ها») and my comments (`/mine`,
//! «نظرهای من»), help (`/help`, «راهنما»), and take a reply to a call's message as a comment on
//! that call. A linked chat is answered in its participant's language; a chat not linked yet in
//! both.

use mosharekat_api::{
    Channel, CommentSource, CommentStatus, ConsultationStatus, ErrorCode, Language,
};

use super::Bot;
use super::api::Message;
use crate::portal::view::long_date;
use crate::state::AppState;
use crate::store::{
    ChatLink, CommentFilter, ConsultationFilter, NewCommentRecord, ParticipantRecord, StoreError,
};

/// Open calls listed by `/calls`, and comments by `/mine`, at most.
const CALLS_SHOWN: u32 = 10;
const COMMENTS_SHOWN: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Command {
    Start(Option<String>),
    Calls,
    Mine,
    Stop,
    Help,
    Other,
}

/// Read a command, in English (`/calls`, `/calls@botname`) or Persian (with or without the slash,
/// the zero-width non-joiner or the space).
pub(crate) fn parse(text: &str) -> Command {
    let text = text.trim();
    let (head, rest) = text
        .split_once(char::is_whitespace)
        .map(|(h, r)| (h, r.trim()))
        .unwrap_or((text, ""));
    if let Some(name) = head.strip_prefix('/') {
        let name = name.split('@').next().unwrap_or(name).to_ascii_lowercase();
        match name.as_str() {
            "start" => {
                let code = rest.split_whitespace().next().map(str::to_owned);
                return Command::Start(code);
            }
            "calls" => return Command::Calls,
            "mine" => return Command::Mine,
            "stop" => return Command::Stop,
            "help" => return Command::Help,
            _ => {}
        }
    }
    let folded: String = text
        .trim_start_matches('/')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200C}')
        .map(|c| match c {
            'ي' => 'ی',
            'ك' => 'ک',
            c => c,
        })
        .collect();
    match folded.as_str() {
        "فراخوانها" => Command::Calls,
        "نظرهایمن" => Command::Mine,
        "توقف" => Command::Stop,
        "راهنما" => Command::Help,
        _ => Command::Other,
    }
}

/// The same text in Persian, then English, for a chat whose language is not known yet.
fn both(key: &str, args: &[(&str, &str)], url: impl Fn(Language) -> String) -> String {
    [Language::Fa, Language::En]
        .into_iter()
        .map(|l| {
            let url = url(l);
            let mut all = args.to_vec();
            all.push(("url", &url));
            l.catalogue().format(key, &all)
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The portal's address of a path in a language (`/fa/me`), absolute when a public base URL is
/// configured.
fn portal_link(state: &AppState, language: Language, path: &str) -> String {
    let base = state
        .config
        .portal
        .public_url
        .as_deref()
        .unwrap_or("")
        .trim_end_matches('/');
    format!("{base}/{}{path}", language.as_str())
}

pub(super) async fn handle(state: &AppState, bot: &Bot, message: &Message) -> anyhow::Result<()> {
    // Only private chats: a group's messages are not one person's.
    if message.chat.kind.as_deref().is_some_and(|k| k != "private") {
        return Ok(());
    }
    let Some(text) = message.text.as_deref() else {
        return Ok(());
    };
    let chat_id = message.chat.id.to_string();
    let reply = |text: String| {
        let chat_id = chat_id.clone();
        async move {
            bot.api
                .send_message(&chat_id, &text, Some(message.message_id))
                .await
                .map_err(anyhow::Error::from)
        }
    };
    let link = state.store.chat_link(Channel::Bale, &chat_id).await?;
    let command = parse(text);
    // A reply that is not a command is a comment on the call it answers.
    let replied_to = message.reply_to_message.as_ref().map(|m| m.message_id);
    if let (Some(replied_to), false) = (replied_to, text.trim_start().starts_with('/'))
        && command == Command::Other
    {
        return match &link {
            Some(link) if !link.stopped => {
                let answer = comment_by_reply(state, &chat_id, link, replied_to, text).await?;
                reply(answer).await.map(drop)
            }
            _ => reply(not_linked_text(state, link.as_ref())).await.map(drop),
        };
    }
    match command {
        Command::Start(Some(code)) => {
            let linked = state
                .store
                .link_chat(
                    Channel::Bale,
                    &crate::auth::token_hash(&code),
                    &chat_id,
                    state.now(),
                )
                .await?;
            let text = match linked {
                Some(p) => p
                    .language
                    .catalogue()
                    .format("bot.linked", &[("name", p.display_name.trim())]),
                None => match &link {
                    Some(link) => link.participant.language.catalogue().format(
                        "bot.bad_code",
                        &[("url", &portal_link(state, link.participant.language, "/me"))],
                    ),
                    None => both("bot.bad_code", &[], |l| portal_link(state, l, "/me")),
                },
            };
            reply(text).await.map(drop)
        }
        Command::Start(None) => {
            let resumed = match &link {
                Some(_) => {
                    state
                        .store
                        .set_chat_stopped(Channel::Bale, &chat_id, false, state.now())
                        .await?
                }
                None => None,
            };
            let text = match resumed {
                Some(p) => p
                    .language
                    .catalogue()
                    .format("bot.resumed", &[("name", p.display_name.trim())]),
                None => not_linked_text(state, None),
            };
            reply(text).await.map(drop)
        }
        Command::Help => {
            let text = match &link {
                Some(link) => link
                    .participant
                    .language
                    .catalogue()
                    .text("bot.help")
                    .to_owned(),
                None => both("bot.help", &[], |_| String::new()),
            };
            reply(text).await.map(drop)
        }
        _ if link.as_ref().is_none_or(|l| l.stopped) => {
            reply(not_linked_text(state, link.as_ref())).await.map(drop)
        }
        Command::Stop => {
            let stopped = state
                .store
                .set_chat_stopped(Channel::Bale, &chat_id, true, state.now())
                .await?;
            let language = stopped.map(|p| p.language).unwrap_or_default();
            reply(language.catalogue().text("bot.stopped").to_owned())
                .await
                .map(drop)
        }
        Command::Calls => {
            let participant = &link.as_ref().expect("linked").participant;
            calls(state, bot, &chat_id, participant, message.message_id).await
        }
        Command::Mine => {
            let participant = &link.as_ref().expect("linked").participant;
            reply(mine(state, participant).await?).await.map(drop)
        }
        Command::Other => {
            let language = link.as_ref().expect("linked").participant.language;
            reply(language.catalogue().text("bot.unknown").to_owned())
                .await
                .map(drop)
        }
    }
}

/// What a chat that is not linked (or is stopped) is told.
fn not_linked_text(state: &AppState, link: Option<&ChatLink>) -> String {
    match link {
        Some(link) if link.stopped => link
            .participant
            .language
            .catalogue()
            .text("bot.stopped")
            .to_owned(),
        _ => both("bot.not_linked", &[], |l| portal_link(state, l, "/me")),
    }
}

/// `/calls`: a heading, then one message per open call, each remembered so that a reply to it is
/// a comment on that call.
async fn calls(
    state: &AppState,
    bot: &Bot,
    chat_id: &str,
    participant: &ParticipantRecord,
    reply_to: i64,
) -> anyhow::Result<()> {
    let language = participant.language;
    let cat = language.catalogue();
    let now = state.now();
    let open = state
        .store
        .list_consultations(
            &ConsultationFilter {
                status: Some(ConsultationStatus::Open),
                after: None,
                limit: CALLS_SHOWN,
            },
            now,
        )
        .await?;
    if open.is_empty() {
        bot.api
            .send_message(chat_id, cat.text("bot.no_calls"), Some(reply_to))
            .await?;
        return Ok(());
    }
    bot.api
        .send_message(
            chat_id,
            &cat.format("bot.calls", &[("count", &cat.number(open.len()))]),
            Some(reply_to),
        )
        .await?;
    for c in open {
        let title = match language {
            Language::En if !c.title_en.trim().is_empty() => &c.title_en,
            _ => &c.title_fa,
        };
        let url = if state.config.portal.public_url.is_some() {
            portal_link(state, language, &format!("/c/{}", c.id))
        } else {
            c.portal_url.clone()
        };
        let text = cat.format(
            "bot.call",
            &[
                ("title", title.trim()),
                ("deadline", &long_date(c.closes_at, cat)),
                ("url", &url),
            ],
        );
        let message_id = bot.api.send_message(chat_id, &text, None).await?;
        state
            .store
            .record_bot_message(Channel::Bale, chat_id, message_id, c.id, now)
            .await?;
    }
    Ok(())
}

/// `/mine`: my latest comments, their status, the reason of a refusal and a published answer.
async fn mine(state: &AppState, participant: &ParticipantRecord) -> anyhow::Result<String> {
    let language = participant.language;
    let cat = language.catalogue();
    let now = state.now();
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let batch = state
            .store
            .list_comments(
                &CommentFilter {
                    participant_id: Some(participant.id),
                    after,
                    limit: 500,
                    ..CommentFilter::default()
                },
                now,
            )
            .await?;
        after = batch.last().map(|c| c.id);
        let done = batch.len() < 500;
        all.extend(batch);
        if done {
            break;
        }
    }
    if all.is_empty() {
        return Ok(cat.text("bot.no_comments").to_owned());
    }
    let latest = &all[all.len().saturating_sub(COMMENTS_SHOWN)..];
    let reasons = crate::reasons::all();
    let mut lines = vec![cat.text("bot.mine").to_owned()];
    for c in latest {
        let consultation = state.store.get_consultation(c.consultation_id, now).await?;
        let title = consultation
            .as_ref()
            .map(|k| match language {
                Language::En if !k.title_en.trim().is_empty() => k.title_en.clone(),
                _ => k.title_fa.clone(),
            })
            .unwrap_or_default();
        let body: String = c.body.chars().take(200).collect();
        let body = if body.len() < c.body.len() {
            format!("{body}…")
        } else {
            body
        };
        let mut item = cat.format(
            "bot.mine_item",
            &[
                ("consultation", title.trim()),
                (
                    "status",
                    cat.text(&format!("comment_status.{}", c.status.as_str())),
                ),
                ("body", body.trim()),
            ],
        );
        if matches!(c.status, CommentStatus::Rejected | CommentStatus::Hidden)
            && let Some(code) = c.decision.as_ref().and_then(|d| d.reason_code.as_deref())
        {
            let reason = reasons
                .iter()
                .find(|r| r.code == code)
                .map(|r| match language {
                    Language::Fa => r.label_fa.clone(),
                    Language::En => r.label_en.clone(),
                })
                .unwrap_or_else(|| code.to_owned());
            item.push('\n');
            item.push_str(&cat.format("bot.mine_reason", &[("reason", &reason)]));
        }
        if c.is_proposal
            && let Some(d) = state
                .store
                .public_decisions(c.consultation_id)
                .await?
                .into_iter()
                .find(|d| d.proposal_id == c.id)
        {
            let outcome = cat
                .text(&format!("message.outcome.{}", d.outcome.as_str()))
                .to_owned();
            let rationale = match language {
                Language::Fa => d.rationale_fa,
                Language::En => d.rationale_en,
            };
            let rationale: String = rationale.chars().take(500).collect();
            item.push('\n');
            item.push_str(&cat.format(
                "bot.mine_answer",
                &[("outcome", &outcome), ("rationale", rationale.trim())],
            ));
        }
        lines.push(item);
    }
    Ok(lines.join("\n\n"))
}

/// A reply to one of the bot's messages: a comment on the call it announced, through the same
/// checks as the JSON route, marked as coming from Bale.
async fn comment_by_reply(
    state: &AppState,
    chat_id: &str,
    link: &ChatLink,
    replied_to: i64,
    text: &str,
) -> anyhow::Result<String> {
    let participant = &link.participant;
    let cat = participant.language.catalogue();
    let Some(consultation_id) = state
        .store
        .bot_message_consultation(Channel::Bale, chat_id, replied_to)
        .await?
    else {
        return Ok(cat.text("bot.reply_to_a_call").to_owned());
    };
    let refused = |code: ErrorCode, message: &str| {
        let reason = match code {
            ErrorCode::EmptyBody => cat.text("bot.refused.empty").to_owned(),
            ErrorCode::BodyTooLong => cat.format(
                "bot.refused.too_long",
                &[("max", &cat.number(mosharekat_api::MAX_COMMENT_CHARS))],
            ),
            ErrorCode::ConsultationNotOpen | ErrorCode::NotFound => {
                cat.text("bot.refused.not_open").to_owned()
            }
            _ => cat.format("bot.refused.other", &[("message", message)]),
        };
        cat.format("bot.comment_refused", &[("reason", &reason)])
    };
    let mut record = match NewCommentRecord::checked(
        consultation_id,
        participant.id,
        text.to_owned(),
        None,
        false,
        None,
    ) {
        Ok(record) => record,
        Err((code, message)) => return Ok(refused(code, &message)),
    };
    record.source = CommentSource::Bale;
    let now = state.now();
    match state.store.add_comment(&record, now).await {
        Ok(accepted) => {
            let title = state
                .store
                .get_consultation(consultation_id, now)
                .await?
                .map(|c| match participant.language {
                    Language::En if !c.title_en.trim().is_empty() => c.title_en,
                    _ => c.title_fa,
                })
                .unwrap_or_default();
            Ok(cat.format(
                "bot.comment_received",
                &[("id", &cat.number(accepted.id)), ("title", title.trim())],
            ))
        }
        Err(StoreError::Refused { code, message }) => Ok(refused(code, &message)),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_read_in_both_languages() {
        assert_eq!(
            parse("/start abc123"),
            Command::Start(Some("abc123".into()))
        );
        assert_eq!(parse("/start"), Command::Start(None));
        assert_eq!(parse("/calls@mosharekat_bot"), Command::Calls);
        assert_eq!(parse("فراخوان‌ها"), Command::Calls);
        assert_eq!(parse("/فراخوانها"), Command::Calls);
        assert_eq!(parse(" نظرهای من "), Command::Mine);
        assert_eq!(parse("نظرهاي من"), Command::Mine);
        assert_eq!(parse("توقف"), Command::Stop);
        assert_eq!(parse("/STOP"), Command::Stop);
        assert_eq!(parse("/help"), Command::Help);
        assert_eq!(parse("راهنما"), Command::Help);
        assert_eq!(parse("کلاس‌ها شلوغ است"), Command::Other);
        assert_eq!(parse("/unknown"), Command::Other);
    }

    #[test]
    fn every_bot_text_is_in_both_catalogues() {
        for key in [
            "bot.linked",
            "bot.resumed",
            "bot.bad_code",
            "bot.not_linked",
            "bot.help",
            "bot.stopped",
            "bot.no_calls",
            "bot.calls",
            "bot.call",
            "bot.no_comments",
            "bot.mine",
            "bot.mine_item",
            "bot.mine_reason",
            "bot.mine_answer",
            "bot.comment_received",
            "bot.comment_refused",
            "bot.refused.empty",
            "bot.refused.too_long",
            "bot.refused.not_open",
            "bot.refused.other",
            "bot.reply_to_a_call",
            "bot.unknown",
        ] {
            for language in [Language::Fa, Language::En] {
                assert!(
                    language.catalogue().get(key).is_some(),
                    "{key} in {language:?}"
                );
            }
        }
    }
}
