//! Staff accounts and login sessions.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use mosharekat_api::{Role, Staff, StaffPatch};

use super::dialect::{Connection, Dialect, Row, SqlStore};
use super::{Actor, StoreResult};

/// A staff member with the hash to check a password against.
#[derive(Debug, Clone)]
pub struct StaffCredentials {
    pub staff: Staff,
    pub password_hash: String,
}

#[async_trait]
pub trait StaffStore: Send + Sync {
    /// Create an account; `username_taken` if the name exists.
    async fn create_staff(
        &self,
        username: &str,
        password_hash: &str,
        role: Role,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<Staff>;
    async fn staff_credentials(&self, username: &str) -> StoreResult<Option<StaffCredentials>>;
    async fn list_staff(&self) -> StoreResult<Vec<Staff>>;
    /// Change a role or disable an account; disabling ends its sessions.
    async fn update_staff(
        &self,
        id: i64,
        patch: &StaffPatch,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<Staff>;
    async fn create_session(
        &self,
        staff_id: i64,
        token_hash: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// The staff member a live session token belongs to (not expired, account not disabled).
    async fn session_staff(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Staff>>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct StaffRow {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub disabled: bool,
    pub created_at: i64,
    pub password_hash: String,
}

impl StaffRow {
    pub(crate) fn into_staff(self) -> StoreResult<Staff> {
        Ok(Staff {
            id: self.id,
            username: self.username,
            role: super::decode(&self.role, "staff.role", |s| s.parse().ok())?,
            disabled: self.disabled,
            created_at: super::from_ms(self.created_at),
        })
    }
}

pub(crate) const STAFF_COLUMNS: &str = "id, username, role, disabled, created_at, password_hash";
#[async_trait]
impl<D: Dialect> StaffStore for SqlStore<D>
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
    async fn create_staff(
        &self,
        username: &str,
        password_hash: &str,
        role: mosharekat_api::Role,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<mosharekat_api::Staff> {
        use super::{StoreError, ms};
        let mut tx = self.begin_write().await?;
        // ON CONFLICT rather than a look-up first: two requests for one name at once get one
        // account and one clear refusal, not a database error.
        let row: Option<StaffRow> = sqlx::query_as(
            "INSERT INTO staff (username, password_hash, role, disabled, created_at)
             VALUES ($1, $2, $3, FALSE, $4)
             ON CONFLICT (username) DO NOTHING
             RETURNING id, username, role, disabled, created_at, password_hash",
        )
        .bind(username)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(ms(now))
        .fetch_optional(&mut *tx)
        .await?;
        let row = row.ok_or_else(|| {
            StoreError::refused(
                mosharekat_api::ErrorCode::UsernameTaken,
                format!("the username `{username}` is taken"),
            )
        })?;
        let staff = row.into_staff()?;
        self.append_audit(
            &mut tx,
            &super::AuditRecord::new(actor, "staff.create", format!("staff:{}", staff.id))
                .after(serde_json::json!({"username": staff.username, "role": staff.role})),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(staff)
    }

    async fn staff_credentials(
        &self,
        username: &str,
    ) -> StoreResult<Option<super::StaffCredentials>> {
        let row: Option<StaffRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM staff WHERE username = $1",
            STAFF_COLUMNS
        )))
        .bind(username)
        .fetch_optional(self.reader())
        .await?;
        row.map(|r| {
            let password_hash = r.password_hash.clone();
            Ok(super::StaffCredentials {
                staff: r.into_staff()?,
                password_hash,
            })
        })
        .transpose()
    }

    async fn list_staff(&self) -> StoreResult<Vec<mosharekat_api::Staff>> {
        let rows: Vec<StaffRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM staff ORDER BY id",
            STAFF_COLUMNS
        )))
        .fetch_all(self.reader())
        .await?;
        rows.into_iter().map(|r| r.into_staff()).collect()
    }

    async fn update_staff(
        &self,
        id: i64,
        patch: &mosharekat_api::StaffPatch,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<mosharekat_api::Staff> {
        use super::StoreError;
        let mut tx = self.begin_write().await?;
        let before: Option<StaffRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM staff WHERE id = $1",
            STAFF_COLUMNS
        )))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let before = before
            .ok_or_else(|| StoreError::not_found("staff member"))?
            .into_staff()?;
        let role = patch.role.unwrap_or(before.role);
        let disabled = patch.disabled.unwrap_or(before.disabled);
        let row: StaffRow = sqlx::query_as(
            "UPDATE staff SET role = $2, disabled = $3 WHERE id = $1
             RETURNING id, username, role, disabled, created_at, password_hash",
        )
        .bind(id)
        .bind(role.as_str())
        .bind(disabled)
        .fetch_one(&mut *tx)
        .await?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE staff_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let after = row.into_staff()?;
        self.append_audit(
            &mut tx,
            &super::AuditRecord::new(actor, "staff.update", format!("staff:{id}"))
                .before(serde_json::json!({"role": before.role, "disabled": before.disabled}))
                .after(serde_json::json!({"role": after.role, "disabled": after.disabled})),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn create_session(
        &self,
        staff_id: i64,
        token_hash: &str,
        now: chrono::DateTime<chrono::Utc>,
        expires_at: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<()> {
        use super::ms;
        let mut tx = self.begin_write().await?;
        // Expired sessions are swept here rather than by a timer: logins are rare and cheap.
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(ms(now))
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO sessions (token_hash, staff_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(staff_id)
            .bind(ms(now))
            .bind(ms(expires_at))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session_staff(
        &self,
        token_hash: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Option<mosharekat_api::Staff>> {
        let row: Option<StaffRow> = sqlx::query_as(
            "SELECT s.id, s.username, s.role, s.disabled, s.created_at, s.password_hash
             FROM sessions x JOIN staff s ON s.id = x.staff_id
             WHERE x.token_hash = $1 AND x.expires_at > $2 AND NOT s.disabled",
        )
        .bind(token_hash)
        .bind(super::ms(now))
        .fetch_optional(self.reader())
        .await?;
        row.map(|r| r.into_staff()).transpose()
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
