//! Feedback delivery: the background worker that sends the outbox.
//!
//! Each round claims the due messages of the configured channels (counting the attempt and holding
//! each message for [`DeliveryConfig::hold`] first, so a crash mid-send leaves it pending), sends
//! them a few at a time, and records each result: sent; retried after the receiver's `Retry-After`
//! or an exponential backoff with full jitter; or dead after `max_attempts` (or at once when the
//! receiver refuses it for good). Several instances over one PostgreSQL database each run a worker;
//! their claims skip each other's rows.

pub mod backoff;
pub mod calls;
pub mod channels;
pub mod messages;
pub mod sms;

use futures::StreamExt;
use tokio::sync::watch;

use crate::config::DeliveryConfig;
use crate::state::AppState;
use crate::store::{DeliveryResult, DueMessage};
use channels::{SendOutcome, Sender};

/// Run until `stopped` turns true. A send in flight then is abandoned: its message stays pending
/// and is sent again, with the same idempotency key, once its hold ends.
pub async fn run(state: AppState, mut stopped: watch::Receiver<bool>) {
    let config = state.config.delivery.clone();
    let channels = config.channels();
    let sender = match Sender::new(config.clone()) {
        Ok(sender) => sender,
        Err(e) => {
            tracing::error!("delivery: cannot build the HTTP client: {e}");
            return;
        }
    };
    if channels.is_empty() {
        tracing::info!(
            "delivery: no channel configured (Bale or Eitaa token, webhook secret); messages wait in the outbox"
        );
    }
    loop {
        let work = async {
            if channels.is_empty() {
                return false;
            }
            match deliver_due(&state, &sender, &config, &channels).await {
                Ok(claimed) => claimed == config.batch as usize,
                Err(e) => {
                    tracing::warn!("delivery: {e}");
                    false
                }
            }
        };
        let more = tokio::select! {
            more = work => more,
            _ = stopped.wait_for(|s| *s) => return,
        };
        if more {
            continue;
        }
        tokio::select! {
            _ = tokio::time::sleep(config.poll_interval) => {}
            _ = stopped.wait_for(|s| *s) => return,
        }
    }
}

/// One round: claim, send, record. Returns how many messages were claimed.
async fn deliver_due(
    state: &AppState,
    sender: &Sender,
    config: &DeliveryConfig,
    channels: &[mosharekat_api::Channel],
) -> crate::store::StoreResult<usize> {
    let now = state.now();
    let hold = chrono::Duration::from_std(config.hold).unwrap_or(chrono::Duration::minutes(2));
    let due = state
        .store
        .claim_due_messages(channels, now, now + hold, config.batch)
        .await?;
    let claimed = due.len();
    futures::stream::iter(due)
        .for_each_concurrent(config.concurrency.max(1), |message| async move {
            let outcome = sender.send(&message, state.now()).await;
            let now = state.now();
            let result = next_step(&message, outcome, config, now);
            match &result {
                DeliveryResult::Sent => {}
                DeliveryResult::Retry { at, error } => tracing::info!(
                    "delivery: message {} attempt {} failed ({error}); next at {at}",
                    message.id,
                    message.attempts
                ),
                DeliveryResult::Dead { error } => tracing::warn!(
                    "delivery: message {} is dead after {} attempts: {error}",
                    message.id,
                    message.attempts
                ),
            }
            if let Err(e) = state
                .store
                .record_delivery(message.id, message.attempts, &result, now)
                .await
            {
                // The message stays pending under its hold and is tried again after it.
                tracing::warn!("delivery: recording message {}: {e}", message.id);
            }
        })
        .await;
    Ok(claimed)
}

/// What an attempt's outcome means for the message.
pub fn next_step(
    message: &DueMessage,
    outcome: SendOutcome,
    config: &DeliveryConfig,
    now: chrono::DateTime<chrono::Utc>,
) -> DeliveryResult {
    match outcome {
        SendOutcome::Delivered => DeliveryResult::Sent,
        SendOutcome::Refused { error } => DeliveryResult::Dead { error },
        SendOutcome::Failed { error, .. } if message.attempts >= config.max_attempts => {
            DeliveryResult::Dead {
                error: format!("{error} (gave up after {} attempts)", message.attempts),
            }
        }
        SendOutcome::Failed { after, error } => {
            let wait = after.unwrap_or_else(|| {
                backoff::backoff_delay(
                    message.attempts,
                    config.backoff_base,
                    config.backoff_cap,
                    &mut rand::rng(),
                )
            });
            DeliveryResult::Retry {
                at: now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1)),
                error,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mosharekat_api::{Channel, Language, MessageKind};
    use std::time::Duration;

    fn message(attempts: i64) -> DueMessage {
        DueMessage {
            id: 1,
            participant_id: Some(2),
            consultation_id: 3,
            channel: Channel::Webhook,
            handle: "https://example.org/hook".into(),
            language: Language::Fa,
            kind: MessageKind::DecisionPublished,
            subject_id: 4,
            text: "متن".into(),
            idempotency_key: "k".into(),
            attempts,
            created_at: crate::store::from_ms(0),
        }
    }

    #[test]
    fn failures_retry_until_the_last_attempt() {
        let config = DeliveryConfig {
            max_attempts: 3,
            backoff_base: Duration::from_secs(2),
            ..DeliveryConfig::default()
        };
        let now = crate::store::from_ms(1_000_000);
        let failed = |after| SendOutcome::Failed {
            after,
            error: "HTTP 503".into(),
        };
        match next_step(&message(1), failed(None), &config, now) {
            DeliveryResult::Retry { at, .. } => {
                assert!(at >= now && at <= now + chrono::Duration::seconds(2))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            next_step(
                &message(2),
                failed(Some(Duration::from_secs(120))),
                &config,
                now
            ),
            DeliveryResult::Retry {
                at: now + chrono::Duration::seconds(120),
                error: "HTTP 503".into()
            }
        );
        assert!(matches!(
            next_step(&message(3), failed(None), &config, now),
            DeliveryResult::Dead { .. }
        ));
        assert!(matches!(
            next_step(
                &message(1),
                SendOutcome::Refused {
                    error: "HTTP 404".into()
                },
                &config,
                now
            ),
            DeliveryResult::Dead { .. }
        ));
        assert_eq!(
            next_step(&message(3), SendOutcome::Delivered, &config, now),
            DeliveryResult::Sent
        );
    }
}
