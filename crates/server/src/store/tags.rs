//! Concern tags: each consultation's bilingual list of topics, which moderation decisions must use
//! once it exists.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use mosharekat_api::ConcernTag;

use super::dialect::{Connection, Dialect, Row, SqlStore};
use super::{Actor, StoreResult};

#[async_trait]
pub trait TagStore: Send + Sync {
    /// The list in its order (empty when the consultation has none, or does not exist).
    async fn concern_tags(&self, consultation_id: i64) -> StoreResult<Vec<ConcernTag>>;
    /// Replace the whole list of an existing consultation. The caller has validated `tags`.
    async fn replace_concern_tags(
        &self,
        consultation_id: i64,
        tags: &[ConcernTag],
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<ConcernTag>>;
}

/// The tags of a decision that are not in the consultation's list (none when the list is empty:
/// then any tag is accepted).
pub(crate) fn unknown_tags<'a>(list: &[String], tags: &'a [String]) -> Vec<&'a str> {
    if list.is_empty() {
        return Vec::new();
    }
    tags.iter()
        .filter(|t| !list.contains(t))
        .map(String::as_str)
        .collect()
}
impl<D: Dialect> SqlStore<D>
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
    /// Refuse (`422 unknown_tag`) decision tags outside the consultation's list.
    pub(crate) async fn check_concern_tags(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        consultation_id: i64,
        tags: &[String],
    ) -> StoreResult<()> {
        if tags.is_empty() {
            return Ok(());
        }
        let list: Vec<String> =
            sqlx::query_scalar("SELECT code FROM consultation_tags WHERE consultation_id = $1")
                .bind(consultation_id)
                .fetch_all(&mut **tx)
                .await?;
        let unknown = unknown_tags(&list, tags);
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(super::StoreError::refused(
                mosharekat_api::ErrorCode::UnknownTag,
                format!(
                    "not among this consultation's concern tags: {} (the list: {})",
                    unknown.join(", "),
                    list.join(", ")
                ),
            ))
        }
    }

    pub(crate) async fn concern_tags_with<'e, E>(
        &self,
        executor: E,
        consultation_id: i64,
    ) -> StoreResult<Vec<mosharekat_api::ConcernTag>>
    where
        E: sqlx::Executor<'e, Database = D::Db>,
    {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT code, label_fa, label_en FROM consultation_tags WHERE consultation_id = $1 ORDER BY position",
        )
        .bind(consultation_id)
        .fetch_all(executor)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(code, label_fa, label_en)| mosharekat_api::ConcernTag {
                code,
                label_fa,
                label_en,
            })
            .collect())
    }
}

#[async_trait]
impl<D: Dialect> TagStore for SqlStore<D>
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
    async fn concern_tags(
        &self,
        consultation_id: i64,
    ) -> StoreResult<Vec<mosharekat_api::ConcernTag>> {
        self.concern_tags_with(self.reader(), consultation_id).await
    }

    async fn replace_concern_tags(
        &self,
        consultation_id: i64,
        tags: &[mosharekat_api::ConcernTag],
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<mosharekat_api::ConcernTag>> {
        let mut tx = self.begin_write().await?;
        self.consultation_row_for_update(&mut tx, consultation_id)
            .await?;
        let before = self.concern_tags_with(&mut *tx, consultation_id).await?;
        sqlx::query("DELETE FROM consultation_tags WHERE consultation_id = $1")
            .bind(consultation_id)
            .execute(&mut *tx)
            .await?;
        for (position, tag) in tags.iter().enumerate() {
            sqlx::query(
                "INSERT INTO consultation_tags (consultation_id, code, label_fa, label_en, position)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(consultation_id)
            .bind(&tag.code)
            .bind(tag.label_fa.trim())
            .bind(tag.label_en.trim())
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
        }
        let after = self.concern_tags_with(&mut *tx, consultation_id).await?;
        self.append_audit(
            &mut tx,
            &super::AuditRecord::new(
                actor,
                "consultation.tags",
                format!("consultation:{consultation_id}"),
            )
            .before(serde_json::to_value(&before)?)
            .after(serde_json::to_value(&after)?),
            now,
        )
        .await?;
        self.append_event(
            &mut tx,
            &mosharekat_api::EventKind::TagsChanged { consultation_id },
            now,
        )
        .await?;
        tx.commit().await?;
        self.events_committed();
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_list_accepts_any_tag() {
        let tags = vec!["a".to_owned(), "b".to_owned()];
        assert!(unknown_tags(&[], &tags).is_empty());
        assert_eq!(unknown_tags(&["a".to_owned()], &tags), vec!["b"]);
        assert!(unknown_tags(&tags, &tags).is_empty());
    }
}
