//! Participants: registration and token lookup.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use const_format::concatcp;
use mosharekat_api::{
    AgeBand, Category, Channel, Gender, Language, NewParticipant, ParticipantSummary, Province,
};

use super::dialect::{Connection, Dialect, Row, SqlStore};
use super::{StoreResult, decode};

/// A participant as the server keeps them (the handle stays server-side: only delivery uses it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantRecord {
    pub id: i64,
    pub display_name: String,
    pub category: Category,
    pub birth_year: Option<i32>,
    pub gender: Option<Gender>,
    pub province: Option<Province>,
    pub channel: Option<Channel>,
    pub handle: Option<String>,
    pub name_public: bool,
    pub language: Language,
    pub created_at: DateTime<Utc>,
    /// When the participant proved a phone number (or was seeded verified); `None`: unverified.
    pub verified_at: Option<DateTime<Utc>>,
}

impl ParticipantRecord {
    pub fn summary(&self, now: DateTime<Utc>) -> ParticipantSummary {
        ParticipantSummary {
            id: self.id,
            display_name: self.display_name.clone(),
            category: self.category,
            age_band: AgeBand::of(self.birth_year, now),
            gender: self.gender,
            province: self.province,
        }
    }
}

#[async_trait]
pub trait ParticipantStore: Send + Sync {
    async fn create_participant(
        &self,
        new: &NewParticipant,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<i64>;
    async fn participant_by_token(
        &self,
        token_hash: &str,
    ) -> StoreResult<Option<ParticipantRecord>>;
    async fn get_participant(&self, id: i64) -> StoreResult<Option<ParticipantRecord>>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct ParticipantRow {
    pub id: i64,
    pub display_name: String,
    pub category: String,
    pub birth_year: Option<i64>,
    pub gender: Option<String>,
    pub province: Option<String>,
    pub channel: Option<String>,
    pub handle: Option<String>,
    pub name_public: bool,
    pub language: String,
    pub created_at: i64,
    pub verified_at: Option<i64>,
}

/// The columns of a [`ParticipantRow`].
pub(crate) const PARTICIPANT_COLUMNS: &str = "id, display_name, category, birth_year, gender,
    province, channel, handle, name_public, language, created_at, verified_at";

impl ParticipantRow {
    pub(crate) fn into_record(self) -> StoreResult<ParticipantRecord> {
        Ok(ParticipantRecord {
            id: self.id,
            display_name: self.display_name,
            category: decode(&self.category, "participants.category", Category::from_code)?,
            birth_year: self.birth_year.map(|y| y as i32),
            gender: self
                .gender
                .map(|s| decode(&s, "participants.gender", Gender::from_code))
                .transpose()?,
            province: self
                .province
                .map(|s| decode(&s, "participants.province", Province::from_code))
                .transpose()?,
            channel: self
                .channel
                .map(|s| decode(&s, "participants.channel", Channel::from_code))
                .transpose()?,
            handle: self.handle,
            name_public: self.name_public,
            language: decode(&self.language, "participants.language", Language::from_code)?,
            created_at: super::from_ms(self.created_at),
            verified_at: self.verified_at.map(super::from_ms),
        })
    }
}
#[async_trait]
impl<D: Dialect> ParticipantStore for SqlStore<D>
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
    async fn create_participant(
        &self,
        new: &mosharekat_api::NewParticipant,
        token_hash: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO participants (display_name, category, birth_year, gender, province, channel, handle,
                consent, name_public, language, token_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
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
        .bind(super::ms(now))
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn participant_by_token(
        &self,
        token_hash: &str,
    ) -> StoreResult<Option<super::ParticipantRecord>> {
        let row: Option<ParticipantRow> = sqlx::query_as(concatcp!(
            "SELECT ",
            PARTICIPANT_COLUMNS,
            " FROM participants WHERE token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(self.reader())
        .await?;
        row.map(|r| r.into_record()).transpose()
    }

    async fn get_participant(&self, id: i64) -> StoreResult<Option<super::ParticipantRecord>> {
        let row: Option<ParticipantRow> = sqlx::query_as(concatcp!(
            "SELECT ",
            PARTICIPANT_COLUMNS,
            " FROM participants WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.reader())
        .await?;
        row.map(|r| r.into_record()).transpose()
    }
}
