//! Comments, campaign groups and the moderation queue (claims, leases, decisions).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use const_format::concatcp;
use mosharekat_api::comment::{BulkDecisionResponse, ModerationRecord};
use mosharekat_api::{
    AgeBand, Category, ClaimedComment, Comment, CommentAccepted, CommentSource, CommentStatus,
    DecisionRequest, Gender, ModerationAction, ParticipantSummary, Province, ThreadComment,
};

use super::dialect::{Connection, Dialect, Row, RowsAffected as _, SqlStore};
use super::{Actor, StoreResult, decode, from_ms};

/// A comment to store; the caller has validated the body and computed its normalised-text hash.
#[derive(Debug, Clone)]
pub struct NewCommentRecord {
    pub consultation_id: i64,
    pub participant_id: i64,
    pub body: String,
    pub parent_id: Option<i64>,
    pub is_proposal: bool,
    pub text_hash: String,
    /// The draft article the comment names; must be an article of this consultation's draft.
    pub article_id: Option<i64>,
    /// Where it was written (the web unless a caller says otherwise).
    pub source: mosharekat_api::CommentSource,
}

impl NewCommentRecord {
    /// A comment as a participant sent it: the body checked by the protocol's rules
    /// (`mosharekat_api::text::validate_comment_body`) and its campaign hash computed. Every
    /// route a comment arrives by (the JSON API, the portal's forms) builds it here.
    pub fn checked(
        consultation_id: i64,
        participant_id: i64,
        body: String,
        parent_id: Option<i64>,
        is_proposal: bool,
        article_id: Option<i64>,
    ) -> Result<Self, (mosharekat_api::ErrorCode, String)> {
        mosharekat_api::text::validate_comment_body(&body)?;
        let normalised = mosharekat_api::text::normalize_for_duplicates(&body);
        Ok(Self {
            consultation_id,
            participant_id,
            text_hash: crate::auth::token_hash(&normalised),
            body,
            parent_id,
            is_proposal,
            article_id,
            source: mosharekat_api::CommentSource::Web,
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct CommentFilter {
    pub consultation_id: Option<i64>,
    pub status: Option<CommentStatus>,
    pub duplicate_group_id: Option<i64>,
    pub participant_id: Option<i64>,
    /// Comments about this article of the draft.
    pub article_id: Option<i64>,
    /// Keyset cursor: comments with a greater id.
    pub after: Option<i64>,
    pub limit: u32,
}

/// An `Idempotency-Key` and the hash of the request body it came with.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    pub key: String,
    pub request_hash: String,
}

/// The answer to a decision: applied now, or the stored answer of an earlier identical request.
#[derive(Debug, Clone)]
pub enum DecideOutcome<T> {
    Applied(T),
    /// The JSON stored when the request was first applied.
    Replayed(String),
}

/// Which comments a bulk decision is for.
#[derive(Debug, Clone)]
pub enum BulkTarget {
    Ids(Vec<i64>),
    DuplicateGroup(i64),
}

#[async_trait]
pub trait CommentStore: Send + Sync {
    /// Store a comment on an open consultation (`consultation_not_open` otherwise) and announce it.
    async fn add_comment(
        &self,
        new: &NewCommentRecord,
        now: DateTime<Utc>,
    ) -> StoreResult<CommentAccepted>;
    async fn get_comment(&self, id: i64, now: DateTime<Utc>) -> StoreResult<Option<Comment>>;
    async fn list_comments(
        &self,
        filter: &CommentFilter,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Comment>>;
    /// Ancestors of a comment, root first.
    async fn thread(&self, id: i64) -> StoreResult<Vec<ThreadComment>>;
    /// Take up to `limit` pending comments (oldest first) whose lease is free or expired.
    async fn claim(
        &self,
        actor: &Actor,
        consultation_id: Option<i64>,
        limit: u32,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> StoreResult<Vec<ClaimedComment>>;
    /// Extend the caller's live claims among `claim_tokens`; returns how many.
    async fn renew_claims(
        &self,
        actor: &Actor,
        claim_tokens: &[String],
        lease_until: DateTime<Utc>,
    ) -> StoreResult<u64>;
    /// Give back the caller's claims among `claim_tokens`, or all of them when it is empty.
    async fn release_claims(
        &self,
        actor: &Actor,
        claim_tokens: &[String],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<i64>>;
    /// Decide one claimed comment. The author of a rejected or hidden comment, or of an approved
    /// proposal, is told in the same transaction (an outbox message linking to the portal at
    /// `public_base_url`, else to the consultation's `portal_url`).
    async fn decide(
        &self,
        comment_id: i64,
        actor: &Actor,
        request: &DecisionRequest,
        public_base_url: Option<&str>,
        idempotency: Option<&IdempotencyKey>,
        now: DateTime<Utc>,
    ) -> StoreResult<DecideOutcome<Comment>>;
    /// Decide a list of comments or a whole campaign group; every author told as by
    /// [`CommentStore::decide`].
    async fn bulk_decide(
        &self,
        target: &BulkTarget,
        actor: &Actor,
        request: &DecisionRequest,
        public_base_url: Option<&str>,
        idempotency: Option<&IdempotencyKey>,
        now: DateTime<Utc>,
    ) -> StoreResult<DecideOutcome<BulkDecisionResponse>>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct CommentRow {
    pub id: i64,
    pub consultation_id: i64,
    pub parent_id: Option<i64>,
    pub body: String,
    pub is_proposal: bool,
    pub status: String,
    pub created_at: i64,
    pub group_id: i64,
    pub group_size: i64,
    pub last_action: Option<String>,
    pub reason_code: Option<String>,
    pub note: Option<String>,
    pub tags: String,
    pub decided_at: Option<i64>,
    pub decided_by_name: Option<String>,
    pub participant_id: i64,
    pub display_name: String,
    pub category: String,
    pub birth_year: Option<i64>,
    pub gender: Option<String>,
    pub province: Option<String>,
    pub article_id: Option<i64>,
    pub article_number: Option<i64>,
    pub article_label: Option<String>,
    pub article_version: Option<i64>,
    pub source: String,
}

/// `SELECT … FROM …` of a full comment; append a `WHERE`.
pub(crate) const COMMENT_SELECT: &str = "SELECT c.id, c.consultation_id, c.parent_id, c.body,
        c.is_proposal, c.status, c.created_at, c.group_id, g.size AS group_size, c.last_action,
        c.reason_code, c.note, c.tags, c.decided_at, d.username AS decided_by_name,
        p.id AS participant_id, p.display_name, p.category, p.birth_year, p.gender, p.province,
        c.article_id, a.number AS article_number, a.label AS article_label,
        a.version AS article_version, c.source
    FROM comments c
    JOIN participants p ON p.id = c.participant_id
    JOIN duplicate_groups g ON g.id = c.group_id
    LEFT JOIN staff d ON d.id = c.decided_by
    LEFT JOIN draft_articles a ON a.id = c.article_id ";

/// The article a comment names, from the columns of its row.
pub(crate) fn article_ref(
    id: Option<i64>,
    number: Option<i64>,
    label: Option<String>,
    version: Option<i64>,
) -> Option<mosharekat_api::ArticleRef> {
    Some(mosharekat_api::ArticleRef {
        article_id: id?,
        number: u32::try_from(number?).ok()?,
        label: label?,
        version: version?,
    })
}

impl CommentRow {
    pub(crate) fn into_api(self, now: DateTime<Utc>) -> StoreResult<Comment> {
        let decision = match (self.last_action, self.decided_at) {
            (Some(action), Some(at)) => Some(ModerationRecord {
                action: decode(&action, "comments.last_action", ModerationAction::from_code)?,
                reason_code: self.reason_code,
                note: self.note,
                tags: serde_json::from_str(&self.tags)?,
                decided_by: self.decided_by_name.unwrap_or_default(),
                decided_at: from_ms(at),
            }),
            _ => None,
        };
        Ok(Comment {
            id: self.id,
            consultation_id: self.consultation_id,
            parent_id: self.parent_id,
            participant: ParticipantSummary {
                id: self.participant_id,
                display_name: self.display_name,
                category: decode(&self.category, "participants.category", Category::from_code)?,
                age_band: AgeBand::of(self.birth_year.map(|y| y as i32), now),
                gender: self
                    .gender
                    .map(|g| decode(&g, "participants.gender", Gender::from_code))
                    .transpose()?,
                province: self
                    .province
                    .map(|p| decode(&p, "participants.province", Province::from_code))
                    .transpose()?,
            },
            body: self.body,
            is_proposal: self.is_proposal,
            status: decode(&self.status, "comments.status", CommentStatus::from_code)?,
            created_at: from_ms(self.created_at),
            duplicate_group_id: self.group_id,
            duplicate_group_size: self.group_size,
            decision,
            article: article_ref(
                self.article_id,
                self.article_number,
                self.article_label,
                self.article_version,
            ),
            source: decode(&self.source, "comments.source", CommentSource::from_code)?,
        })
    }
}

/// The claim-relevant state of a comment, read inside a decision's transaction.
#[derive(sqlx::FromRow)]
pub(crate) struct ClaimState {
    pub id: i64,
    pub consultation_id: i64,
    pub status: String,
    pub claimed_by: Option<i64>,
    pub claim_token: Option<String>,
    pub lease_expires_at: Option<i64>,
}

/// Why a comment cannot take a decision now, if it cannot.
pub(crate) fn decision_refusal(
    state: &ClaimState,
    actor: &Actor,
    claim_token: Option<&str>,
    now: DateTime<Utc>,
) -> Option<(&'static str, String)> {
    if state.status != CommentStatus::Pending.as_str() {
        // A revision of an earlier decision: no claim needed.
        return None;
    }
    let held_by_other = state.claimed_by.is_some_and(|s| s != actor.staff_id)
        && state.lease_expires_at.is_some_and(|t| t > super::ms(now));
    match claim_token {
        Some(token)
            if state.claim_token.as_deref() == Some(token)
                && state.claimed_by == Some(actor.staff_id) =>
        {
            None
        }
        _ if held_by_other => Some((
            "claimed_by_other",
            "another moderator holds this comment".into(),
        )),
        Some(_) => Some((
            "claim_invalid",
            "the claim is no longer valid: claim the comment again".into(),
        )),
        None => Some((
            "claim_invalid",
            "a pending comment needs the claim_token of your claim".into(),
        )),
    }
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
    async fn comment_in_tx(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        id: i64,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<mosharekat_api::Comment> {
        let row: CommentRow = sqlx::query_as(concatcp!(COMMENT_SELECT, "WHERE c.id = $1"))
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
        row.into_api(now)
    }

    /// Reserve an idempotency key inside `tx`. `Err(Replayed)` when the key was used before with
    /// the same request, a refusal when with another.
    async fn reserve_idempotency_key(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        actor: &Actor,
        key: Option<&IdempotencyKey>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Option<String>> {
        let Some(key) = key else { return Ok(None) };
        // Insert first: a concurrent request with the same key waits here until we commit.
        let mine: Option<i64> = sqlx::query_scalar(
            "INSERT INTO idempotency_keys (staff_id, key, request_hash, response, created_at)
             VALUES ($1, $2, $3, '', $4) ON CONFLICT (staff_id, key) DO NOTHING RETURNING staff_id",
        )
        .bind(actor.staff_id)
        .bind(&key.key)
        .bind(&key.request_hash)
        .bind(super::ms(now))
        .fetch_optional(&mut **tx)
        .await?;
        if mine.is_some() {
            return Ok(None);
        }
        let (hash, response): (String, String) = sqlx::query_as(
            "SELECT request_hash, response FROM idempotency_keys WHERE staff_id = $1 AND key = $2",
        )
        .bind(actor.staff_id)
        .bind(&key.key)
        .fetch_one(&mut **tx)
        .await?;
        if hash != key.request_hash {
            return Err(super::StoreError::refused(
                mosharekat_api::ErrorCode::IdempotencyKeyReused,
                "this Idempotency-Key was used with a different request",
            ));
        }
        Ok(Some(response))
    }

    async fn store_idempotent_response(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        actor: &Actor,
        key: Option<&IdempotencyKey>,
        response: &str,
    ) -> StoreResult<()> {
        if let Some(key) = key {
            sqlx::query(
                "UPDATE idempotency_keys SET response = $3 WHERE staff_id = $1 AND key = $2",
            )
            .bind(actor.staff_id)
            .bind(&key.key)
            .bind(response)
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }

    /// Apply one decision to a comment whose state the caller has checked.
    async fn apply_decision(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        state: &ClaimState,
        actor: &Actor,
        request: &mosharekat_api::DecisionRequest,
        public_base_url: Option<&str>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<mosharekat_api::CommentStatus> {
        use super::ms;
        let status = request.action.resulting_status();
        let tags = serde_json::to_string(&request.tags)?;
        sqlx::query(
            "UPDATE comments SET status = $2, decided_by = $3, decided_at = $4, last_action = $5,
                reason_code = $6, note = $7, tags = $8,
                claimed_by = NULL, claim_token = NULL, lease_expires_at = NULL
             WHERE id = $1",
        )
        .bind(state.id)
        .bind(status.as_str())
        .bind(actor.staff_id)
        .bind(ms(now))
        .bind(request.action.as_str())
        .bind(&request.reason_code)
        .bind(&request.note)
        .bind(&tags)
        .execute(&mut **tx)
        .await?;
        sqlx::query(
            "INSERT INTO moderation_decisions (comment_id, staff_id, action, reason_code, note, tags, decided_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(state.id)
        .bind(actor.staff_id)
        .bind(request.action.as_str())
        .bind(&request.reason_code)
        .bind(&request.note)
        .bind(&tags)
        .bind(ms(now))
        .execute(&mut **tx)
        .await?;
        // Scores follow the decision (and any reversal) in the same transaction.
        self.rescore_after_comment(tx, state.id).await?;
        self.tell_author(tx, state.id, status, request, public_base_url, now)
            .await?;
        Ok(status)
    }

    /// Queue the author's message about a decision: why a comment was rejected or hidden, or
    /// that a proposal is published and where its answer will appear. Once per comment and
    /// outcome (a reversal and a second rejection do not repeat it); only to a participant the
    /// outbox can reach (`RECIPIENT_JOIN`).
    async fn tell_author(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        comment_id: i64,
        status: mosharekat_api::CommentStatus,
        request: &mosharekat_api::DecisionRequest,
        public_base_url: Option<&str>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<()> {
        use mosharekat_api::{CommentStatus, Language, MessageKind};
        #[derive(sqlx::FromRow)]
        struct About {
            participant_id: i64,
            consultation_id: i64,
            is_proposal: bool,
            title_fa: String,
            title_en: String,
            portal_url: String,
        }
        let kind = match status {
            CommentStatus::Rejected | CommentStatus::Hidden => MessageKind::CommentDeclined,
            CommentStatus::Approved => MessageKind::ProposalApproved,
            _ => return Ok(()),
        };
        let about: About = sqlx::query_as(
            "SELECT c.participant_id, c.consultation_id, c.is_proposal, k.title_fa, k.title_en,
                k.portal_url
             FROM comments c JOIN consultations k ON k.id = c.consultation_id WHERE c.id = $1",
        )
        .bind(comment_id)
        .fetch_one(&mut **tx)
        .await?;
        if kind == MessageKind::ProposalApproved && !about.is_proposal {
            return Ok(());
        }
        let link = |language: Language, path: &str| {
            crate::delivery::messages::portal_link(
                public_base_url,
                &about.portal_url,
                language,
                path,
            )
        };
        let text = |language: Language| match kind {
            MessageKind::CommentDeclined => crate::delivery::messages::declined_text(
                &about.title_fa,
                &about.title_en,
                status == CommentStatus::Hidden,
                request
                    .reason_code
                    .as_deref()
                    .and_then(|code| crate::reasons::label(code, language)),
                request.note.as_deref(),
                &link(language, "/me"),
                language,
            ),
            _ => crate::delivery::messages::proposal_approved_text(
                &about.title_fa,
                &about.title_en,
                &link(
                    language,
                    &format!("/c/{}#decisions-heading", about.consultation_id),
                ),
                language,
            ),
        };
        sqlx::query(concatcp!(
            "INSERT INTO outbox (dedup_key, participant_id, consultation_id, channel, handle, language, kind,
                subject_id, text, idempotency_key, status, attempts, next_attempt_at, created_at)
             SELECT 'moderation:' || CAST($1 AS TEXT) || ':' || $2, p.id, $3, r.channel, r.handle,
                p.language, $4, $1, CASE WHEN p.language = 'en' THEN $5 ELSE $6 END,
                'mosharekat-moderation-' || CAST($1 AS TEXT) || '-' || $2, 'pending', 0, $7, $7
             FROM participants p",
            super::messenger::RECIPIENT_JOIN,
            "WHERE p.id = $8
             ON CONFLICT (dedup_key) DO NOTHING",
        ))
        .bind(comment_id)
        .bind(status.as_str())
        .bind(about.consultation_id)
        .bind(kind.as_str())
        .bind(text(Language::En))
        .bind(text(Language::Fa))
        .bind(super::ms(now))
        .bind(about.participant_id)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    async fn claim_state(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        id: i64,
    ) -> StoreResult<Option<ClaimState>> {
        Ok(sqlx::query_as(
            "SELECT id, consultation_id, status, claimed_by, claim_token, lease_expires_at FROM comments WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?)
    }
}

#[async_trait]
impl<D: Dialect> CommentStore for SqlStore<D>
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
    async fn add_comment(
        &self,
        new: &super::NewCommentRecord,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<mosharekat_api::CommentAccepted> {
        use super::{StoreError, ms};
        use mosharekat_api::{CommentStatus, ConsultationStatus, ErrorCode};
        let mut tx = self.begin_write().await?;
        let consultation = self
            .consultation_row_for_update(&mut tx, new.consultation_id)
            .await?;
        match consultation.status(now) {
            ConsultationStatus::Open => {}
            ConsultationStatus::Draft => return Err(StoreError::not_found("consultation")),
            status => {
                return Err(StoreError::refused(
                    ErrorCode::ConsultationNotOpen,
                    format!(
                        "the consultation is {} and does not take comments",
                        status.as_str()
                    ),
                ));
            }
        }
        if let Some(parent) = new.parent_id {
            let parent_consultation: Option<i64> =
                sqlx::query_scalar("SELECT consultation_id FROM comments WHERE id = $1")
                    .bind(parent)
                    .fetch_optional(&mut *tx)
                    .await?;
            if parent_consultation != Some(new.consultation_id) {
                return Err(StoreError::refused(
                    ErrorCode::Validation,
                    "parent_id is not a comment of this consultation",
                ));
            }
        }
        if let Some(article_id) = new.article_id
            && self
                .article_of(&mut *tx, new.consultation_id, article_id)
                .await?
                .is_none()
        {
            return Err(StoreError::refused(
                ErrorCode::UnknownArticle,
                format!("article_id {article_id} is not an article of this consultation's draft"),
            ));
        }
        let (group_id, group_size): (i64, i64) = sqlx::query_as(
            "INSERT INTO duplicate_groups (consultation_id, text_hash, size) VALUES ($1, $2, 1)
             ON CONFLICT (consultation_id, text_hash) DO UPDATE SET size = duplicate_groups.size + 1
             RETURNING id, size",
        )
        .bind(new.consultation_id)
        .bind(&new.text_hash)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO comments (consultation_id, participant_id, parent_id, body, is_proposal, status,
                group_id, created_at, article_id, source)
             VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $9) RETURNING id",
        )
        .bind(new.consultation_id)
        .bind(new.participant_id)
        .bind(new.parent_id)
        .bind(&new.body)
        .bind(new.is_proposal)
        .bind(group_id)
        .bind(ms(now))
        .bind(new.article_id)
        .bind(new.source.as_str())
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("UPDATE consultations SET comment_count = comment_count + 1 WHERE id = $1")
            .bind(new.consultation_id)
            .execute(&mut *tx)
            .await?;
        self.append_event(
            &mut tx,
            &mosharekat_api::EventKind::CommentCreated {
                comment_id: id,
                consultation_id: new.consultation_id,
                duplicate_group_id: group_id,
                duplicate_group_size: group_size,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        self.events_committed();
        Ok(mosharekat_api::CommentAccepted {
            id,
            status: CommentStatus::Pending,
        })
    }

    async fn get_comment(
        &self,
        id: i64,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Option<mosharekat_api::Comment>> {
        let row: Option<CommentRow> = sqlx::query_as(concatcp!(COMMENT_SELECT, "WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(self.reader())
            .await?;
        row.map(|r| r.into_api(now)).transpose()
    }

    async fn list_comments(
        &self,
        filter: &super::CommentFilter,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<mosharekat_api::Comment>> {
        let rows: Vec<CommentRow> = sqlx::query_as(concatcp!(
            COMMENT_SELECT,
            "WHERE c.id > $1
               AND (CAST($2 AS BIGINT) IS NULL OR c.consultation_id = $2)
               AND (CAST($3 AS TEXT) IS NULL OR c.status = $3)
               AND (CAST($4 AS BIGINT) IS NULL OR c.group_id = $4)
               AND (CAST($5 AS BIGINT) IS NULL OR c.participant_id = $5)
               AND (CAST($7 AS BIGINT) IS NULL OR c.article_id = $7)
             ORDER BY c.id LIMIT $6"
        ))
        .bind(filter.after.unwrap_or(0))
        .bind(filter.consultation_id)
        .bind(filter.status.map(|s| s.as_str()))
        .bind(filter.duplicate_group_id)
        .bind(filter.participant_id)
        .bind(i64::from(filter.limit))
        .bind(filter.article_id)
        .fetch_all(self.reader())
        .await?;
        rows.into_iter().map(|r| r.into_api(now)).collect()
    }

    async fn thread(&self, id: i64) -> StoreResult<Vec<mosharekat_api::ThreadComment>> {
        // Threads are shallow in practice; cap the walk so a bad parent chain cannot loop.
        const MAX_DEPTH: usize = 16;
        let mut ancestors = Vec::new();
        let mut next: Option<i64> =
            sqlx::query_scalar("SELECT parent_id FROM comments WHERE id = $1")
                .bind(id)
                .fetch_optional(self.reader())
                .await?
                .flatten();
        while let Some(parent) = next {
            if ancestors.len() == MAX_DEPTH {
                break;
            }
            let row: Option<(i64, Option<i64>, String, String, String, i64)> = sqlx::query_as(
                "SELECT c.id, c.parent_id, p.display_name, c.body, c.status, c.created_at
                 FROM comments c JOIN participants p ON p.id = c.participant_id WHERE c.id = $1",
            )
            .bind(parent)
            .fetch_optional(self.reader())
            .await?;
            let Some((id, parent_id, display_name, body, status, created_at)) = row else {
                break;
            };
            ancestors.push(mosharekat_api::ThreadComment {
                id,
                display_name,
                body,
                status: decode(
                    &status,
                    "comments.status",
                    mosharekat_api::CommentStatus::from_code,
                )?,
                created_at: from_ms(created_at),
            });
            next = parent_id;
        }
        ancestors.reverse();
        Ok(ancestors)
    }

    async fn claim(
        &self,
        actor: &Actor,
        consultation_id: Option<i64>,
        limit: u32,
        now: chrono::DateTime<chrono::Utc>,
        lease_until: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<mosharekat_api::ClaimedComment>> {
        use super::ms;
        let batch = crate::auth::random_token();
        let mut tx = self.begin_write().await?;
        let mut ids: Vec<i64> = sqlx::query_scalar(D::CLAIM_SQL)
            .bind(actor.staff_id)
            .bind(&batch)
            .bind(ms(lease_until))
            .bind(ms(now))
            .bind(consultation_id)
            .bind(i64::from(limit))
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        ids.sort_unstable();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // The whole batch in one query, the titles once per consultation, threads only for
        // replies: a claim of 25 costs a few queries, not fifty.
        let mut query =
            sqlx::QueryBuilder::<D::Db>::new(concatcp!(COMMENT_SELECT, "WHERE c.id IN ("));
        let mut list = query.separated(", ");
        for id in &ids {
            list.push_bind(*id);
        }
        list.push_unseparated(") ORDER BY c.id");
        let rows: Vec<CommentRow> = query
            .build_query_as()
            .persistent(false)
            .fetch_all(self.reader())
            .await?;
        let mut titles: std::collections::HashMap<
            i64,
            (String, String, Vec<mosharekat_api::ConcernTag>),
        > = std::collections::HashMap::new();
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            let comment = row.into_api(now)?;
            let id = comment.id;
            if let std::collections::hash_map::Entry::Vacant(entry) =
                titles.entry(comment.consultation_id)
            {
                let t: (String, String) =
                    sqlx::query_as("SELECT title_fa, title_en FROM consultations WHERE id = $1")
                        .bind(comment.consultation_id)
                        .fetch_one(self.reader())
                        .await?;
                let tags = self
                    .concern_tags_with(self.reader(), comment.consultation_id)
                    .await?;
                entry.insert((t.0, t.1, tags));
            }
            let (title_fa, title_en, concern_tags) = titles[&comment.consultation_id].clone();
            let thread = if comment.parent_id.is_some() {
                self.thread(id).await?
            } else {
                Vec::new()
            };
            items.push(mosharekat_api::ClaimedComment {
                claim_token: format!("{batch}.{id}"),
                consultation_title_fa: title_fa,
                consultation_title_en: title_en,
                thread,
                concern_tags,
                comment,
            });
        }
        Ok(items)
    }

    async fn renew_claims(
        &self,
        actor: &Actor,
        claim_tokens: &[String],
        lease_until: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let mut renewed = 0;
        for token in claim_tokens {
            renewed += sqlx::query(
                "UPDATE comments SET lease_expires_at = $3
                 WHERE claim_token = $1 AND claimed_by = $2 AND status = 'pending'",
            )
            .bind(token)
            .bind(actor.staff_id)
            .bind(super::ms(lease_until))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        tx.commit().await?;
        Ok(renewed)
    }

    async fn release_claims(
        &self,
        actor: &Actor,
        claim_tokens: &[String],
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<i64>> {
        const RELEASE: &str = "UPDATE comments SET claimed_by = NULL, claim_token = NULL, lease_expires_at = NULL
             WHERE claimed_by = $1 AND status = 'pending' AND (CAST($2 AS TEXT) IS NULL OR claim_token = $2)
             RETURNING id";
        let mut tx = self.begin_write().await?;
        let mut released: Vec<i64> = Vec::new();
        if claim_tokens.is_empty() {
            released = sqlx::query_scalar(RELEASE)
                .bind(actor.staff_id)
                .bind(None::<String>)
                .fetch_all(&mut *tx)
                .await?;
        } else {
            for token in claim_tokens {
                let ids: Vec<i64> = sqlx::query_scalar(RELEASE)
                    .bind(actor.staff_id)
                    .bind(token)
                    .fetch_all(&mut *tx)
                    .await?;
                released.extend(ids);
            }
        }
        released.sort_unstable();
        if !released.is_empty() {
            self.append_event(
                &mut tx,
                &mosharekat_api::EventKind::CommentReleased {
                    comment_ids: released.clone(),
                },
                now,
            )
            .await?;
        }
        tx.commit().await?;
        self.events_committed();
        Ok(released)
    }

    async fn decide(
        &self,
        comment_id: i64,
        actor: &Actor,
        request: &mosharekat_api::DecisionRequest,
        public_base_url: Option<&str>,
        idempotency: Option<&IdempotencyKey>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<super::DecideOutcome<mosharekat_api::Comment>> {
        use super::{DecideOutcome, StoreError};
        use mosharekat_api::ErrorCode;
        let mut tx = self.begin_write().await?;
        // The score lock first, before any row or sequence lock (see `lock_scores`).
        D::lock_scores(&mut tx, 0).await?;
        if let Some(stored) = self
            .reserve_idempotency_key(&mut tx, actor, idempotency, now)
            .await?
        {
            return Ok(DecideOutcome::Replayed(stored));
        }
        let state = self
            .claim_state(&mut tx, comment_id)
            .await?
            .ok_or_else(|| StoreError::not_found("comment"))?;
        if let Some((_, message)) =
            decision_refusal(&state, actor, request.claim_token.as_deref(), now)
        {
            return Err(StoreError::refused(ErrorCode::ClaimInvalid, message));
        }
        self.check_concern_tags(&mut tx, state.consultation_id, &request.tags)
            .await?;
        let before = state.status.clone();
        let status = self
            .apply_decision(&mut tx, &state, actor, request, public_base_url, now)
            .await?;
        self.append_audit(
            &mut tx,
            &super::AuditRecord::new(actor, "comment.decide", format!("comment:{comment_id}"))
                .before(serde_json::json!({"status": before}))
                .after(
                    serde_json::json!({"status": status, "reason_code": request.reason_code,
                    "tags": request.tags}),
                ),
            now,
        )
        .await?;
        let comment = self.comment_in_tx(&mut tx, comment_id, now).await?;
        let response = serde_json::to_string(&mosharekat_api::DecisionResponse {
            comment: comment.clone(),
        })?;
        self.store_idempotent_response(&mut tx, actor, idempotency, &response)
            .await?;
        self.append_event(
            &mut tx,
            &mosharekat_api::EventKind::CommentDecided {
                comment_id,
                consultation_id: state.consultation_id,
                status,
                decided_by: actor.username.clone(),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        self.events_committed();
        Ok(DecideOutcome::Applied(comment))
    }

    async fn bulk_decide(
        &self,
        target: &BulkTarget,
        actor: &Actor,
        request: &mosharekat_api::DecisionRequest,
        public_base_url: Option<&str>,
        idempotency: Option<&IdempotencyKey>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<super::DecideOutcome<mosharekat_api::comment::BulkDecisionResponse>> {
        use super::DecideOutcome;
        use BulkTarget;
        use mosharekat_api::CommentStatus;
        use mosharekat_api::comment::{BulkDecisionResponse, BulkSkip};
        let mut tx = self.begin_write().await?;
        // The score lock first, before any row or sequence lock (see `lock_scores`).
        D::lock_scores(&mut tx, 0).await?;
        if let Some(stored) = self
            .reserve_idempotency_key(&mut tx, actor, idempotency, now)
            .await?
        {
            return Ok(DecideOutcome::Replayed(stored));
        }
        let ids: Vec<i64> = match target {
            BulkTarget::Ids(ids) => ids.clone(),
            BulkTarget::DuplicateGroup(group) => {
                sqlx::query_scalar("SELECT id FROM comments WHERE group_id = $1 ORDER BY id")
                    .bind(group)
                    .fetch_all(&mut *tx)
                    .await?
            }
        };
        let mut response = BulkDecisionResponse {
            decided: Vec::new(),
            skipped: Vec::new(),
        };
        let mut decided_events = Vec::new();
        let mut tags_checked = std::collections::HashSet::new();
        for id in ids {
            let Some(state) = self.claim_state(&mut tx, id).await? else {
                response.skipped.push(BulkSkip {
                    id,
                    code: "not_found".into(),
                });
                continue;
            };
            // Refused tags refuse the whole request: the transaction is dropped unchanged.
            if tags_checked.insert(state.consultation_id) {
                self.check_concern_tags(&mut tx, state.consultation_id, &request.tags)
                    .await?;
            }
            if state.status != CommentStatus::Pending.as_str() {
                response.skipped.push(BulkSkip {
                    id,
                    code: "already_decided".into(),
                });
                continue;
            }
            // A bulk decision needs no claim token, but never takes a comment another
            // moderator is holding.
            let own_token = state
                .claim_token
                .clone()
                .filter(|_| state.claimed_by == Some(actor.staff_id));
            if let Some((code, _)) = decision_refusal(&state, actor, own_token.as_deref(), now)
                .filter(|(code, _)| *code == "claimed_by_other")
            {
                response.skipped.push(BulkSkip {
                    id,
                    code: code.into(),
                });
                continue;
            }
            let status = self
                .apply_decision(&mut tx, &state, actor, request, public_base_url, now)
                .await?;
            response.decided.push(id);
            decided_events.push(mosharekat_api::EventKind::CommentDecided {
                comment_id: id,
                consultation_id: state.consultation_id,
                status,
                decided_by: actor.username.clone(),
            });
        }
        let target_name = match target {
            BulkTarget::Ids(_) => "comments".to_owned(),
            BulkTarget::DuplicateGroup(g) => format!("duplicate_group:{g}"),
        };
        self.append_audit(
            &mut tx,
            &super::AuditRecord::new(actor, "comment.bulk_decide", target_name).after(
                serde_json::json!({
                "action": request.action, "reason_code": request.reason_code,
                "decided": response.decided, "skipped": response.skipped.len()}),
            ),
            now,
        )
        .await?;
        let stored = serde_json::to_string(&response)?;
        self.store_idempotent_response(&mut tx, actor, idempotency, &stored)
            .await?;
        for event in &decided_events {
            self.append_event(&mut tx, event, now).await?;
        }
        tx.commit().await?;
        self.events_committed();
        Ok(DecideOutcome::Applied(response))
    }
}
