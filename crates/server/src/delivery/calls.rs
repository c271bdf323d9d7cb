//! Calls for participation broadcast to the ministry's channels: the Bale channel (through the
//! bot, an administrator of the channel) and the Eitaa channel (through eitaayar), each only when
//! its token and channel are configured.
//!
//! Every scheduler tick (and right after a consultation is published open) looks at the open
//! consultations and queues in the outbox, per configured channel, a `call_published` message
//! once the consultation is open and a `call_closing` one once its deadline is within
//! `closing_soon_days`. The deduplication key `call_<kind>:<consultation>:<channel>` makes each
//! one happen once, across restarts and across instances sharing a database. A consultation whose
//! whole window is shorter than that gets no separate closing call: its opening call already
//! gives the deadline. The text is the portal's plain-text call for messengers
//! ([`crate::portal::feeds::call_text`]) under a heading, with links from the configured public
//! base URL; without one nothing is queued.

use std::sync::atomic::{AtomicBool, Ordering};

use mosharekat_api::{Channel, Consultation, ConsultationStatus, MessageKind};

use crate::portal::feeds::{CallPost, call_text};
use crate::state::AppState;
use crate::store::{ConsultationFilter, NewBroadcast, StoreResult};

/// The ministry's channels this server posts calls to: (channel, its id or `@name`).
pub fn destinations(config: &crate::config::DeliveryConfig) -> Vec<(Channel, String)> {
    let configured = |token: bool, channel: &Option<String>| {
        channel
            .as_deref()
            .map(str::trim)
            .filter(|c| token && !c.is_empty())
            .map(str::to_owned)
    };
    let mut out = Vec::new();
    if let Some(c) = configured(config.bale_token.is_some(), &config.bale_channel) {
        out.push((Channel::Bale, c));
    }
    if let Some(c) = configured(config.eitaa_token.is_some(), &config.eitaa_channel) {
        out.push((Channel::Eitaa, c));
    }
    out
}

/// The calls a consultation is due, as of `now`.
pub fn due_posts(
    c: &Consultation,
    now: chrono::DateTime<chrono::Utc>,
    closing_soon_days: i64,
) -> Vec<CallPost> {
    if c.status != ConsultationStatus::Open {
        return Vec::new();
    }
    let window = chrono::Duration::days(closing_soon_days);
    let mut posts = vec![CallPost::Opened];
    // Open since its opening or its publication, whichever came later.
    let opened = c.published_at.map_or(c.opens_at, |p| p.max(c.opens_at));
    if c.closes_at - now <= window && c.closes_at - opened > window {
        posts.push(CallPost::Closing);
    }
    posts
}

fn kind_of(post: CallPost) -> MessageKind {
    match post {
        CallPost::Opened => MessageKind::CallPublished,
        CallPost::Closing => MessageKind::CallClosing,
    }
}

/// Queue the calls now due. Returns how many messages were queued.
pub async fn broadcast_due_calls(state: &AppState) -> StoreResult<usize> {
    static NO_BASE_WARNED: AtomicBool = AtomicBool::new(false);
    let targets = destinations(&state.config.delivery);
    if targets.is_empty() {
        return Ok(0);
    }
    let Some(base) = state.config.portal.public_url.as_deref() else {
        if !NO_BASE_WARNED.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                "calls broadcast: a channel is configured but not the public base URL \
                 (MOSHAREKAT_PUBLIC_BASE_URL); no call is posted"
            );
        }
        return Ok(0);
    };
    let base = base.trim_end_matches('/');
    let now = state.now();
    let mut queued = 0;
    let mut after = None;
    loop {
        let page = state
            .store
            .list_consultations(
                &ConsultationFilter {
                    status: Some(ConsultationStatus::Open),
                    after,
                    limit: 200,
                },
                now,
            )
            .await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        for c in &page {
            for post in due_posts(c, now, state.config.closing_soon_days) {
                let kind = kind_of(post);
                for (channel, handle) in &targets {
                    let key = format!("{}:{}:{}", kind.as_str(), c.id, channel.as_str());
                    if state.store.outbox_has(&key).await? {
                        continue;
                    }
                    let text = call_text(c, base, now, Some(post));
                    let message = NewBroadcast {
                        dedup_key: &key,
                        consultation_id: c.id,
                        channel: *channel,
                        handle,
                        kind,
                        text: &text,
                        now,
                    };
                    if state.store.enqueue_broadcast(&message).await? {
                        tracing::info!(
                            "calls broadcast: queued {} of consultation {} for the {} channel",
                            kind.as_str(),
                            c.id,
                            channel.as_str()
                        );
                        queued += 1;
                    }
                }
            }
        }
        if page.len() < 200 {
            break;
        }
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DeliveryConfig;

    #[test]
    fn a_channel_needs_its_token() {
        let mut config = DeliveryConfig {
            bale_channel: Some("@ministry".into()),
            eitaa_channel: Some(" ".into()),
            eitaa_token: Some("e".into()),
            ..DeliveryConfig::default()
        };
        assert!(destinations(&config).is_empty());
        config.bale_token = Some("1:a".into());
        assert_eq!(
            destinations(&config),
            vec![(Channel::Bale, "@ministry".to_owned())]
        );
        config.eitaa_channel = Some("12345".into());
        assert_eq!(destinations(&config).len(), 2);
    }

    fn consultation(status: ConsultationStatus, window_days: i64) -> Consultation {
        let closes = chrono::DateTime::from_timestamp(100 * 86_400, 0).unwrap();
        serde_json::from_value(serde_json::json!({
            "id": 1, "kind": "regulation", "status": status,
            "title_fa": "ع", "title_en": "T", "summary_fa": "", "summary_en": "",
            "drafting_unit": "", "opens_at": closes - chrono::Duration::days(window_days),
            "closes_at": closes, "portal_url": "", "created_at": closes, "updated_at": closes,
            "comment_count": 0
        }))
        .unwrap()
    }

    #[test]
    fn the_closing_call_comes_within_the_window() {
        let c = consultation(ConsultationStatus::Open, 30);
        let before = |d: i64| c.closes_at - chrono::Duration::days(d);
        assert_eq!(due_posts(&c, before(20), 3), vec![CallPost::Opened]);
        assert_eq!(
            due_posts(&c, before(4) + chrono::Duration::hours(1), 3),
            vec![CallPost::Opened]
        );
        assert_eq!(
            due_posts(&c, before(3), 3),
            vec![CallPost::Opened, CallPost::Closing]
        );
        // A window no longer than that: the opening call already gives the deadline.
        let short = consultation(ConsultationStatus::Open, 3);
        assert_eq!(due_posts(&short, before(1), 3), vec![CallPost::Opened]);
        let mut late = consultation(ConsultationStatus::Open, 30);
        late.published_at = Some(before(2));
        assert_eq!(due_posts(&late, before(1), 3), vec![CallPost::Opened]);
        late.published_at = Some(before(10));
        assert_eq!(
            due_posts(&late, before(1), 3),
            vec![CallPost::Opened, CallPost::Closing]
        );
        for status in [ConsultationStatus::Scheduled, ConsultationStatus::Closed] {
            assert!(due_posts(&consultation(status, 30), before(1), 3).is_empty());
        }
    }
}
