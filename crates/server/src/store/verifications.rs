//! Verified phone numbers: the one-time code last sent to a number, and the participant a
//! verified number belongs to. Numbers arrive here only as keyed hashes (see
//! `crate::verification`); nothing in this file ever sees one in clear.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use mosharekat_api::NewParticipant;

use super::dialect::{Connection, Dialect, Row, RowsAffected as _, SqlStore};
use super::{StoreResult, from_ms, ms};

/// The limits on codes, from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct CodeLimits {
    /// How long a code may be used.
    pub ttl: Duration,
    /// The least time between two codes sent to one number.
    pub resend_after: Duration,
    /// Codes one number may be sent within `sends_window`…
    pub max_sends: i64,
    pub sends_window: Duration,
    /// Wrong codes accepted before the code is void.
    pub max_wrong_tries: i64,
}

/// Whether a new code may go to a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeSlot {
    /// Stored; send it.
    Stored,
    /// Not before this time.
    RetryAt(DateTime<Utc>),
}

/// What a code proved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneVerified {
    /// A new participant, verified, with the token given.
    Created(i64),
    /// The participant the number already belonged to; their token is now the one given.
    SignedIn(i64),
    /// The unverified participant who asked is now verified with this number (token unchanged).
    Attached(i64),
    /// The number is not registered and no registration fields came with the code: the code is
    /// still good.
    NeedsRegistration,
    /// The code is wrong; this many tries are left (0: the code is now void).
    WrongCode { tries_left: i64 },
    /// The code's time ran out.
    Expired,
    /// No code was sent to this number (or it was used, or void after too many wrong tries).
    NoCode,
}

#[async_trait]
pub trait VerificationStore: Send + Sync {
    /// Keep `code_hash` as the code of `phone_hash` unless one was sent too recently (or too
    /// many within the window).
    async fn store_code(
        &self,
        phone_hash: &str,
        code_hash: &str,
        limits: CodeLimits,
        now: DateTime<Utc>,
    ) -> StoreResult<CodeSlot>;

    /// The code could not be sent: forget it (when it is still the number's code).
    async fn withdraw_code(&self, phone_hash: &str, code_hash: &str) -> StoreResult<()>;

    /// Check a code and, when right, use it: sign in the number's participant (a fresh
    /// `token_hash`), attach the number to `asking` (an unverified participant), or register
    /// `new` as a verified participant.
    #[allow(clippy::too_many_arguments)]
    async fn verify_code(
        &self,
        phone_hash: &str,
        code_hash: &str,
        new: Option<&NewParticipant>,
        asking: Option<i64>,
        token_hash: &str,
        limits: CodeLimits,
        now: DateTime<Utc>,
    ) -> StoreResult<PhoneVerified>;

    /// How many participants have verified a number (or were seeded verified).
    async fn verified_participants(&self) -> StoreResult<i64>;
}

#[derive(sqlx::FromRow)]
struct CodeRow {
    code_hash: String,
    expires_at: i64,
    wrong_tries: i64,
    last_sent_at: i64,
    sends: i64,
    created_at: i64,
}

#[async_trait]
impl<D: Dialect> VerificationStore for SqlStore<D>
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
    async fn store_code(
        &self,
        phone_hash: &str,
        code_hash: &str,
        limits: CodeLimits,
        now: DateTime<Utc>,
    ) -> StoreResult<CodeSlot> {
        let mut tx = self.begin_write().await?;
        // A no-op update that locks the number's row until commit: two requests for one number
        // at once run one after the other.
        let row: Option<CodeRow> = sqlx::query_as(
            "UPDATE phone_verifications SET sends = sends WHERE phone_hash = $1
             RETURNING code_hash, expires_at, wrong_tries, last_sent_at, sends, created_at",
        )
        .bind(phone_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let expires_at = ms(now + limits.ttl);
        match row {
            Some(row) => {
                let next = from_ms(row.last_sent_at) + limits.resend_after;
                if next > now {
                    return Ok(CodeSlot::RetryAt(next));
                }
                let window_end = from_ms(row.created_at) + limits.sends_window;
                let (sends, created_at) = if window_end <= now {
                    (1, ms(now))
                } else if row.sends >= limits.max_sends {
                    return Ok(CodeSlot::RetryAt(window_end));
                } else {
                    (row.sends + 1, row.created_at)
                };
                sqlx::query(
                    "UPDATE phone_verifications SET code_hash = $2, expires_at = $3,
                        wrong_tries = 0, last_sent_at = $4, sends = $5, created_at = $6
                     WHERE phone_hash = $1",
                )
                .bind(phone_hash)
                .bind(code_hash)
                .bind(expires_at)
                .bind(ms(now))
                .bind(sends)
                .bind(created_at)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                let inserted = sqlx::query(
                    "INSERT INTO phone_verifications (phone_hash, code_hash, expires_at,
                        wrong_tries, last_sent_at, sends, created_at)
                     VALUES ($1, $2, $3, 0, $4, 1, $4) ON CONFLICT (phone_hash) DO NOTHING",
                )
                .bind(phone_hash)
                .bind(code_hash)
                .bind(expires_at)
                .bind(ms(now))
                .execute(&mut *tx)
                .await?;
                // Another request for this number made its row at the same moment: it sends.
                if inserted.rows_affected() == 0 {
                    return Ok(CodeSlot::RetryAt(now + limits.resend_after));
                }
            }
        }
        tx.commit().await?;
        Ok(CodeSlot::Stored)
    }

    async fn withdraw_code(&self, phone_hash: &str, code_hash: &str) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE phone_verifications SET expires_at = 0, last_sent_at = 0
             WHERE phone_hash = $1 AND code_hash = $2",
        )
        .bind(phone_hash)
        .bind(code_hash)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn verify_code(
        &self,
        phone_hash: &str,
        code_hash: &str,
        new: Option<&NewParticipant>,
        asking: Option<i64>,
        token_hash: &str,
        limits: CodeLimits,
        now: DateTime<Utc>,
    ) -> StoreResult<PhoneVerified> {
        let mut tx = self.begin_write().await?;
        // A no-op update that locks the number's row until commit: two requests for one number
        // at once run one after the other.
        let row: Option<CodeRow> = sqlx::query_as(
            "UPDATE phone_verifications SET sends = sends WHERE phone_hash = $1
             RETURNING code_hash, expires_at, wrong_tries, last_sent_at, sends, created_at",
        )
        .bind(phone_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(PhoneVerified::NoCode);
        };
        if row.wrong_tries >= limits.max_wrong_tries || row.expires_at == 0 {
            return Ok(PhoneVerified::NoCode);
        }
        if from_ms(row.expires_at) <= now {
            return Ok(PhoneVerified::Expired);
        }
        if !constant_time_eq(row.code_hash.as_bytes(), code_hash.as_bytes()) {
            sqlx::query(
                "UPDATE phone_verifications SET wrong_tries = wrong_tries + 1 WHERE phone_hash = $1",
            )
            .bind(phone_hash)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Ok(PhoneVerified::WrongCode {
                tries_left: (limits.max_wrong_tries - row.wrong_tries - 1).max(0),
            });
        }
        let owner: Option<i64> =
            sqlx::query_scalar("SELECT id FROM participants WHERE phone_hash = $1")
                .bind(phone_hash)
                .fetch_optional(&mut *tx)
                .await?;
        let asking_unverified = match asking {
            Some(id) => {
                sqlx::query_scalar::<_, i64>(
                    "SELECT id FROM participants WHERE id = $1 AND phone_hash IS NULL",
                )
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
            }
            None => None,
        };
        let outcome = match (owner, asking_unverified, new) {
            (Some(id), _, _) => {
                sqlx::query(
                    "UPDATE participants SET token_hash = $2,
                        verified_at = COALESCE(verified_at, $3) WHERE id = $1",
                )
                .bind(id)
                .bind(token_hash)
                .bind(ms(now))
                .execute(&mut *tx)
                .await?;
                PhoneVerified::SignedIn(id)
            }
            (None, Some(id), _) => {
                sqlx::query(
                    "UPDATE participants SET phone_hash = $2, verified_at = $3 WHERE id = $1",
                )
                .bind(id)
                .bind(phone_hash)
                .bind(ms(now))
                .execute(&mut *tx)
                .await?;
                PhoneVerified::Attached(id)
            }
            (None, None, Some(new)) => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO participants (display_name, category, birth_year, gender,
                        province, channel, handle, consent, name_public, language, token_hash,
                        created_at, phone_hash, verified_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $12)
                     RETURNING id",
                )
                .bind(new.display_name.trim())
                .bind(new.category.as_str())
                .bind(new.birth_year.map(i64::from))
                .bind(new.gender.map(|g| g.as_str()))
                .bind(new.province.map(|p| p.code()))
                .bind(new.channel.map(|c| c.as_str()))
                .bind(new.handle.as_deref().map(str::trim))
                .bind(new.consent)
                .bind(new.name_public)
                .bind(new.language.as_str())
                .bind(token_hash)
                .bind(ms(now))
                .bind(phone_hash)
                .fetch_one(&mut *tx)
                .await?;
                PhoneVerified::Created(id)
            }
            (None, None, None) => return Ok(PhoneVerified::NeedsRegistration),
        };
        sqlx::query("DELETE FROM phone_verifications WHERE phone_hash = $1")
            .bind(phone_hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn verified_participants(&self) -> StoreResult<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM participants WHERE verified_at IS NOT NULL")
                .fetch_one(self.reader())
                .await?,
        )
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
