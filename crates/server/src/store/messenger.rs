//! Messenger chats linked to participants (the Bale bot): one-time link codes, the links, the bot's
//! updates already handled and the call each bot message announced.
//!
//! A code is kept only as its SHA-256 and works once. A chat is linked to one participant and a
//! participant has one chat per channel: linking moves either. `/stop` keeps the link but marks it
//! stopped, which also ends the messages still waiting for that chat; only a linked, running chat
//! is ever messaged (the outbox claims a Bale message only while its chat is linked).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use const_format::concatcp;
use mosharekat_api::Channel;

use super::dialect::{Connection, Dialect, Row, SqlStore};
use super::participants::{PARTICIPANT_COLUMNS, ParticipantRow};
use super::{ParticipantRecord, StoreResult, ms};

/// The error a message that waited for a chat gets when the chat is stopped.
pub const STOPPED_ERROR: &str = "the participant stopped the bot";

/// The error a message that waited for a chat gets when the chat or its participant is linked anew.
pub const RELINKED_ERROR: &str =
    "the chat was linked to another participant, or the participant to another chat";

/// Handled update ids are kept this long (the greatest one always, for the polling offset).
const UPDATES_KEPT_MS: i64 = 7 * 24 * 3600 * 1000;

/// The SQL condition (over `outbox`) that a Bale message's chat is linked and running. A call
/// broadcast to the ministry's channel (no participant) goes to the configured channel, where the
/// bot is an administrator.
pub(crate) const LINKED_CHAT: &str =
    "(outbox.participant_id IS NULL OR EXISTS (SELECT 1 FROM messenger_links l
    WHERE l.channel = outbox.channel AND l.chat_id = outbox.handle
      AND l.participant_id = outbox.participant_id AND l.stopped_at IS NULL))";

/// Where a participant's messages go, for the `INSERT INTO outbox … SELECT` of a publication:
/// `FROM participants p` followed by this gives `r.channel` and `r.handle` for each participant who
/// can be reached: their linked, running Bale chat, else the Eitaa handle or webhook URL they gave.
/// A typed Bale handle is never used: a bot cannot write to a chat that did not write to it.
pub(crate) const RECIPIENT_JOIN: &str = " JOIN (
        SELECT p2.id AS participant_id,
            CASE WHEN l.chat_id IS NOT NULL THEN 'bale' ELSE p2.channel END AS channel,
            CASE WHEN l.chat_id IS NOT NULL THEN l.chat_id ELSE p2.handle END AS handle
        FROM participants p2
        LEFT JOIN messenger_links l
          ON l.participant_id = p2.id AND l.channel = 'bale' AND l.stopped_at IS NULL
        WHERE l.chat_id IS NOT NULL
           OR (p2.channel IN ('eitaa', 'webhook') AND p2.handle IS NOT NULL)
    ) r ON r.participant_id = p.id ";

/// A participant's link on one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatLink {
    pub participant: ParticipantRecord,
    pub chat_id: String,
    pub stopped: bool,
}

#[async_trait]
pub trait MessengerStore: Send + Sync {
    /// Keep a new one-time code (its hash) for the participant, valid until `expires_at`; the
    /// participant's earlier codes on the channel stop working.
    async fn create_link_code(
        &self,
        participant_id: i64,
        channel: Channel,
        code_hash: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Use a code: link `chat_id` to its participant (running). `None`: no such code, or it expired.
    async fn link_chat(
        &self,
        channel: Channel,
        code_hash: &str,
        chat_id: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<ParticipantRecord>>;
    /// Who the chat is linked to, running or stopped.
    async fn chat_link(&self, channel: Channel, chat_id: &str) -> StoreResult<Option<ChatLink>>;
    /// The participant's chat on the channel, running or stopped.
    async fn participant_link(
        &self,
        participant_id: i64,
        channel: Channel,
    ) -> StoreResult<Option<ChatLink>>;
    /// Mark the chat's link running or stopped. Stopping ends the messages still waiting for it
    /// (dead, with [`STOPPED_ERROR`]). `None`: the chat is not linked.
    async fn set_chat_stopped(
        &self,
        channel: Channel,
        chat_id: &str,
        stopped: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<ParticipantRecord>>;
    /// Take an update for handling: false when it was handled already (by this or another instance).
    async fn claim_update(
        &self,
        channel: Channel,
        update_id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// One past the greatest update id handled: the `offset` of the next `getUpdates`.
    async fn next_update_offset(&self, channel: Channel) -> StoreResult<Option<i64>>;
    /// Remember that the bot's message `message_id` in `chat_id` announced a call.
    async fn record_bot_message(
        &self,
        channel: Channel,
        chat_id: &str,
        message_id: i64,
        consultation_id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// The call a bot message announced, if it was one.
    async fn bot_message_consultation(
        &self,
        channel: Channel,
        chat_id: &str,
        message_id: i64,
    ) -> StoreResult<Option<i64>>;
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    chat_id: String,
    stopped_at: Option<i64>,
    #[sqlx(flatten)]
    participant: ParticipantRow,
}

const LINK_SELECT: &str = "SELECT l.chat_id, l.stopped_at, p.id, p.display_name, p.category,
        p.birth_year, p.gender, p.province, p.channel, p.handle, p.name_public, p.language,
        p.created_at, p.verified_at
    FROM messenger_links l JOIN participants p ON p.id = l.participant_id ";

impl LinkRow {
    fn into_link(self) -> StoreResult<ChatLink> {
        Ok(ChatLink {
            participant: self.participant.into_record()?,
            chat_id: self.chat_id,
            stopped: self.stopped_at.is_some(),
        })
    }
}

#[async_trait]
impl<D: Dialect> MessengerStore for SqlStore<D>
where
    for<'c> &'c mut Connection<D>: sqlx::Executor<'c, Database = D::Db>,
    for<'r> &'r str: sqlx::ColumnIndex<Row<D>>,
    usize: sqlx::ColumnIndex<Row<D>>,
    for<'q> i64: sqlx::Encode<'q, D::Db> + sqlx::Decode<'q, D::Db> + sqlx::Type<D::Db>,
    for<'q> Option<i64>: sqlx::Encode<'q, D::Db>,
    for<'q> bool: sqlx::Encode<'q, D::Db> + sqlx::Decode<'q, D::Db> + sqlx::Type<D::Db>,
    for<'q> String: sqlx::Encode<'q, D::Db> + sqlx::Decode<'q, D::Db> + sqlx::Type<D::Db>,
    for<'q> Option<String>: sqlx::Encode<'q, D::Db>,
    str: sqlx::Type<D::Db>,
    for<'q> &'q str: sqlx::Encode<'q, D::Db>,
    for<'q> Option<&'q str>: sqlx::Encode<'q, D::Db>,
{
    async fn create_link_code(
        &self,
        participant_id: i64,
        channel: Channel,
        code_hash: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        // Earlier codes of this participant, and every expired code, go.
        sqlx::query(
            "DELETE FROM messenger_link_codes
             WHERE (participant_id = $1 AND channel = $2) OR expires_at <= $3",
        )
        .bind(participant_id)
        .bind(channel.as_str())
        .bind(ms(now))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO messenger_link_codes (code_hash, participant_id, channel, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(code_hash)
        .bind(participant_id)
        .bind(channel.as_str())
        .bind(ms(now))
        .bind(ms(expires_at))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn link_chat(
        &self,
        channel: Channel,
        code_hash: &str,
        chat_id: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<ParticipantRecord>> {
        let mut tx = self.begin_write().await?;
        let participant_id: Option<i64> = sqlx::query_scalar(
            "DELETE FROM messenger_link_codes
             WHERE code_hash = $1 AND channel = $2 AND expires_at > $3
             RETURNING participant_id",
        )
        .bind(code_hash)
        .bind(channel.as_str())
        .bind(ms(now))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(participant_id) = participant_id else {
            return Ok(None);
        };
        // The chat leaves whoever it was linked to; the participant leaves their old chat; the
        // messages still waiting for either old pairing will not be sent.
        sqlx::query(
            "UPDATE outbox SET status = 'dead', last_error = $4
             WHERE channel = $1 AND status = 'pending'
               AND ((handle = $2 AND participant_id <> $3) OR (participant_id = $3 AND handle <> $2))",
        )
        .bind(channel.as_str())
        .bind(chat_id)
        .bind(participant_id)
        .bind(RELINKED_ERROR)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM messenger_links
             WHERE channel = $1 AND (chat_id = $2 OR participant_id = $3)",
        )
        .bind(channel.as_str())
        .bind(chat_id)
        .bind(participant_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO messenger_links (participant_id, channel, chat_id, linked_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(participant_id)
        .bind(channel.as_str())
        .bind(chat_id)
        .bind(ms(now))
        .execute(&mut *tx)
        .await?;
        let row: ParticipantRow = sqlx::query_as(concatcp!(
            "SELECT ",
            PARTICIPANT_COLUMNS,
            " FROM participants WHERE id = $1"
        ))
        .bind(participant_id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        row.into_record().map(Some)
    }

    async fn chat_link(&self, channel: Channel, chat_id: &str) -> StoreResult<Option<ChatLink>> {
        let row: Option<LinkRow> = sqlx::query_as(concatcp!(
            LINK_SELECT,
            "WHERE l.channel = $1 AND l.chat_id = $2"
        ))
        .bind(channel.as_str())
        .bind(chat_id)
        .fetch_optional(self.reader())
        .await?;
        row.map(LinkRow::into_link).transpose()
    }

    async fn participant_link(
        &self,
        participant_id: i64,
        channel: Channel,
    ) -> StoreResult<Option<ChatLink>> {
        let row: Option<LinkRow> = sqlx::query_as(concatcp!(
            LINK_SELECT,
            "WHERE l.channel = $1 AND l.participant_id = $2"
        ))
        .bind(channel.as_str())
        .bind(participant_id)
        .fetch_optional(self.reader())
        .await?;
        row.map(LinkRow::into_link).transpose()
    }

    async fn set_chat_stopped(
        &self,
        channel: Channel,
        chat_id: &str,
        stopped: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<ParticipantRecord>> {
        let mut tx = self.begin_write().await?;
        let participant_id: Option<i64> = sqlx::query_scalar(
            "UPDATE messenger_links SET stopped_at = CASE WHEN $3 THEN $4 ELSE NULL END
             WHERE channel = $1 AND chat_id = $2 RETURNING participant_id",
        )
        .bind(channel.as_str())
        .bind(chat_id)
        .bind(stopped)
        .bind(ms(now))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(participant_id) = participant_id else {
            return Ok(None);
        };
        if stopped {
            sqlx::query(
                "UPDATE outbox SET status = 'dead', last_error = $4
                 WHERE participant_id = $1 AND channel = $2 AND handle = $3 AND status = 'pending'",
            )
            .bind(participant_id)
            .bind(channel.as_str())
            .bind(chat_id)
            .bind(STOPPED_ERROR)
            .execute(&mut *tx)
            .await?;
        }
        let row: ParticipantRow = sqlx::query_as(concatcp!(
            "SELECT ",
            PARTICIPANT_COLUMNS,
            " FROM participants WHERE id = $1"
        ))
        .bind(participant_id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        row.into_record().map(Some)
    }

    async fn claim_update(
        &self,
        channel: Channel,
        update_id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        use super::dialect::RowsAffected as _;
        let mut tx = self.begin_write().await?;
        let taken = sqlx::query(
            "INSERT INTO bot_updates (channel, update_id, handled_at) VALUES ($1, $2, $3)
             ON CONFLICT (channel, update_id) DO NOTHING",
        )
        .bind(channel.as_str())
        .bind(update_id)
        .bind(ms(now))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        // Now and then, forget old update ids (a retry comes within hours, not a week).
        if taken > 0 && update_id % 100 == 0 {
            sqlx::query(
                "DELETE FROM bot_updates WHERE channel = $1 AND handled_at < $2 AND update_id < $3",
            )
            .bind(channel.as_str())
            .bind(ms(now) - UPDATES_KEPT_MS)
            .bind(update_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(taken > 0)
    }

    async fn next_update_offset(&self, channel: Channel) -> StoreResult<Option<i64>> {
        let max: Option<i64> =
            sqlx::query_scalar("SELECT MAX(update_id) FROM bot_updates WHERE channel = $1")
                .bind(channel.as_str())
                .fetch_one(self.reader())
                .await?;
        Ok(max.map(|m| m + 1))
    }

    async fn record_bot_message(
        &self,
        channel: Channel,
        chat_id: &str,
        message_id: i64,
        consultation_id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO bot_messages (channel, chat_id, message_id, consultation_id, sent_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (channel, chat_id, message_id) DO NOTHING",
        )
        .bind(channel.as_str())
        .bind(chat_id)
        .bind(message_id)
        .bind(consultation_id)
        .bind(ms(now))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn bot_message_consultation(
        &self,
        channel: Channel,
        chat_id: &str,
        message_id: i64,
    ) -> StoreResult<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT consultation_id FROM bot_messages
             WHERE channel = $1 AND chat_id = $2 AND message_id = $3",
        )
        .bind(channel.as_str())
        .bind(chat_id)
        .bind(message_id)
        .fetch_optional(self.reader())
        .await?)
    }
}
