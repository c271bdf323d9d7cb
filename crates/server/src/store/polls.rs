//! Polls, ballots and the tally counters kept on every ballot (never a COUNT over ballots).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use mosharekat_api::{BallotAccepted, Breakdown, NewPoll, Poll, Tally};

use super::dialect::{Connection, Dialect, Row, SqlStore};
use super::{Actor, ParticipantRecord, StoreResult};

#[async_trait]
pub trait PollStore: Send + Sync {
    /// Add a poll to a consultation that is not closed. The caller has validated `new`.
    async fn create_poll(
        &self,
        consultation_id: i64,
        new: &NewPoll,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<Poll>;
    async fn get_poll(&self, id: i64) -> StoreResult<Option<Poll>>;
    async fn list_polls(&self, consultation_id: i64) -> StoreResult<Vec<Poll>>;
    /// Cast (or replace) a participant's ballot while the poll's consultation is open.
    async fn cast_ballot(
        &self,
        poll_id: i64,
        participant: &ParticipantRecord,
        option_ids: &[i64],
        now: DateTime<Utc>,
    ) -> StoreResult<(BallotAccepted, Tally)>;
    async fn tally(&self, poll_id: i64, by: Option<Breakdown>) -> StoreResult<Option<Tally>>;
    /// A participant's ballots (their own page), most recently cast first.
    async fn participant_ballots(&self, participant_id: i64)
    -> StoreResult<Vec<ParticipantBallot>>;
}

/// A participant's ballot in one poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantBallot {
    pub poll_id: i64,
    pub consultation_id: i64,
    pub option_ids: Vec<i64>,
    /// When it was first cast, and last replaced.
    pub cast_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The counter rows a ballot touches: (dimension, bucket) pairs, `all` first.
pub fn ballot_buckets(
    age_band: &str,
    gender: &str,
    province: &str,
    category: &str,
) -> [(&'static str, String); 5] {
    [
        ("all", String::new()),
        (Breakdown::AgeBand.as_str(), age_band.to_owned()),
        (Breakdown::Gender.as_str(), gender.to_owned()),
        (Breakdown::Province.as_str(), province.to_owned()),
        (Breakdown::Category.as_str(), category.to_owned()),
    ]
}

/// Hour (UTC) a time falls in, in Unix milliseconds.
pub fn hour_start(now: DateTime<Utc>) -> i64 {
    let ms = super::ms(now);
    ms - ms.rem_euclid(3_600_000)
}

/// Tally from counter rows `(dimension, bucket, option_id, count)` and the poll's option order.
pub(crate) fn tally_from_counters(
    poll_id: i64,
    options: &[i64],
    by: Option<Breakdown>,
    counters: &[(String, String, i64, i64)],
    turnout: Vec<mosharekat_api::TurnoutPoint>,
) -> Tally {
    use mosharekat_api::{TallyCell, TallyGroup};
    let cells = |dimension: &str, bucket: &str| -> (i64, Vec<TallyCell>) {
        let count = |option_id: i64| {
            counters
                .iter()
                .find(|(d, b, o, _)| d == dimension && b == bucket && *o == option_id)
                .map_or(0, |(_, _, _, c)| *c)
        };
        (
            count(0),
            options
                .iter()
                .map(|&option_id| TallyCell {
                    option_id,
                    count: count(option_id),
                })
                .collect(),
        )
    };
    let (ballots, counts) = cells("all", "");
    let mut groups = Vec::new();
    if let Some(by) = by {
        let mut buckets: Vec<&String> = counters
            .iter()
            .filter(|(d, _, o, c)| d == by.as_str() && *o == 0 && *c > 0)
            .map(|(_, b, _, _)| b)
            .collect();
        buckets.sort();
        buckets.dedup();
        for bucket in buckets {
            let (ballots, counts) = cells(by.as_str(), bucket);
            groups.push(TallyGroup {
                key: bucket.clone(),
                ballots,
                counts,
            });
        }
    }
    Tally {
        poll_id,
        ballots,
        counts,
        by,
        groups,
        turnout,
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct PollRow {
    pub id: i64,
    pub consultation_id: i64,
    pub kind: String,
    pub question_fa: String,
    pub question_en: String,
    pub total_ballots: i64,
    pub created_at: i64,
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
    async fn poll_with_options<'e, E>(
        &self,
        executor: E,
        row: PollRow,
    ) -> StoreResult<mosharekat_api::Poll>
    where
        E: sqlx::Executor<'e, Database = D::Db>,
    {
        let options: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, label_fa, label_en FROM poll_options WHERE poll_id = $1 ORDER BY position",
        )
        .bind(row.id)
        .fetch_all(executor)
        .await?;
        Ok(mosharekat_api::Poll {
            id: row.id,
            consultation_id: row.consultation_id,
            kind: super::decode(&row.kind, "polls.kind", mosharekat_api::PollKind::from_code)?,
            question_fa: row.question_fa,
            question_en: row.question_en,
            options: options
                .into_iter()
                .map(|(id, label_fa, label_en)| mosharekat_api::PollOption {
                    id,
                    label_fa,
                    label_en,
                })
                .collect(),
            total_ballots: row.total_ballots,
            created_at: super::from_ms(row.created_at),
        })
    }

    async fn bump_counters(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        poll_id: i64,
        buckets: &[(&'static str, String)],
        option_ids: &[i64],
        delta: i64,
    ) -> StoreResult<()> {
        for (dimension, bucket) in buckets {
            for option_id in std::iter::once(0).chain(option_ids.iter().copied()) {
                sqlx::query(
                    "INSERT INTO tally_counters (poll_id, dimension, bucket, option_id, count)
                     VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (poll_id, dimension, bucket, option_id)
                     DO UPDATE SET count = tally_counters.count + excluded.count",
                )
                .bind(poll_id)
                .bind(*dimension)
                .bind(bucket)
                .bind(option_id)
                .bind(delta)
                .execute(&mut **tx)
                .await?;
            }
        }
        Ok(())
    }

    async fn read_tally(
        &self,
        conn: &mut <D::Db as sqlx::Database>::Connection,
        poll_id: i64,
        by: Option<mosharekat_api::Breakdown>,
    ) -> StoreResult<mosharekat_api::Tally> {
        let options: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM poll_options WHERE poll_id = $1 ORDER BY position")
                .bind(poll_id)
                .fetch_all(&mut *conn)
                .await?;
        let counters: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT dimension, bucket, option_id, count FROM tally_counters
             WHERE poll_id = $1 AND (dimension = 'all' OR dimension = $2)",
        )
        .bind(poll_id)
        .bind(by.map_or("", |b| b.as_str()))
        .fetch_all(&mut *conn)
        .await?;
        let turnout = if by.is_some() {
            let rows: Vec<(i64, i64)> =
                sqlx::query_as("SELECT hour_start, ballots FROM poll_turnout WHERE poll_id = $1 ORDER BY hour_start")
                    .bind(poll_id)
                    .fetch_all(&mut *conn)
                    .await?;
            rows.into_iter()
                .map(|(at, ballots)| mosharekat_api::TurnoutPoint {
                    at: super::from_ms(at),
                    ballots,
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(tally_from_counters(
            poll_id, &options, by, &counters, turnout,
        ))
    }
}

#[async_trait]
impl<D: Dialect> PollStore for SqlStore<D>
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
    async fn create_poll(
        &self,
        consultation_id: i64,
        new: &mosharekat_api::NewPoll,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<mosharekat_api::Poll> {
        use super::{StoreError, ms};
        let mut tx = self.begin_write().await?;
        let consultation = self
            .consultation_row_for_update(&mut tx, consultation_id)
            .await?;
        if consultation.status(now) == mosharekat_api::ConsultationStatus::Closed {
            return Err(StoreError::refused(
                mosharekat_api::ErrorCode::InvalidState,
                "a closed consultation takes no new polls",
            ));
        }
        let row: PollRow = sqlx::query_as(
            "INSERT INTO polls (consultation_id, kind, question_fa, question_en, total_ballots, created_at)
             VALUES ($1, $2, $3, $4, 0, $5)
             RETURNING id, consultation_id, kind, question_fa, question_en, total_ballots, created_at",
        )
        .bind(consultation_id)
        .bind(new.kind.as_str())
        .bind(new.question_fa.trim())
        .bind(new.question_en.trim())
        .bind(ms(now))
        .fetch_one(&mut *tx)
        .await?;
        let options = new
            .kind
            .fixed_options()
            .unwrap_or_else(|| new.options.clone());
        for (position, option) in options.iter().enumerate() {
            sqlx::query("INSERT INTO poll_options (poll_id, position, label_fa, label_en) VALUES ($1, $2, $3, $4)")
                .bind(row.id)
                .bind(position as i64)
                .bind(option.label_fa.trim())
                .bind(option.label_en.trim())
                .execute(&mut *tx)
                .await?;
        }
        let poll_id = row.id;
        let poll = self.poll_with_options(&mut *tx, row).await?;
        self.append_audit(
            &mut tx,
            &super::AuditRecord::new(actor, "poll.create", format!("poll:{poll_id}")).after(
                serde_json::json!({"consultation_id": consultation_id, "kind": poll.kind,
                    "question_fa": poll.question_fa}),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(poll)
    }

    async fn get_poll(&self, id: i64) -> StoreResult<Option<mosharekat_api::Poll>> {
        let row: Option<PollRow> = sqlx::query_as(
            "SELECT id, consultation_id, kind, question_fa, question_en, total_ballots, created_at FROM polls WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.reader())
        .await?;
        match row {
            Some(row) => Ok(Some(self.poll_with_options(self.reader(), row).await?)),
            None => Ok(None),
        }
    }

    async fn list_polls(&self, consultation_id: i64) -> StoreResult<Vec<mosharekat_api::Poll>> {
        let rows: Vec<PollRow> = sqlx::query_as(
            "SELECT id, consultation_id, kind, question_fa, question_en, total_ballots, created_at
             FROM polls WHERE consultation_id = $1 ORDER BY id",
        )
        .bind(consultation_id)
        .fetch_all(self.reader())
        .await?;
        let mut polls = Vec::with_capacity(rows.len());
        for row in rows {
            polls.push(self.poll_with_options(self.reader(), row).await?);
        }
        Ok(polls)
    }

    async fn cast_ballot(
        &self,
        poll_id: i64,
        participant: &ParticipantRecord,
        option_ids: &[i64],
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<(mosharekat_api::BallotAccepted, mosharekat_api::Tally)> {
        use super::{StoreError, ms};
        use mosharekat_api::poll::UNKNOWN_BUCKET;
        use mosharekat_api::{AgeBand, ConsultationStatus, ErrorCode};
        // One verified number, one participant, one ballot per poll.
        if participant.verified_at.is_none() {
            return Err(StoreError::refused(
                ErrorCode::VerificationRequired,
                "only a participant who has verified a mobile number may vote",
            ));
        }
        let mut tx = self.begin_write().await?;
        // The score lock first, before any row or sequence lock (see `lock_scores`).
        D::lock_scores(&mut tx, 0).await?;
        // A no-op update that locks the poll's row until commit: two ballots of one
        // participant sent at once (a double click) then run one after the other, so the
        // second sees the first and replaces it instead of both inserting, or both
        // decrementing the same earlier choice.
        let row: Option<PollRow> = sqlx::query_as(
            "UPDATE polls SET total_ballots = total_ballots WHERE id = $1
             RETURNING id, consultation_id, kind, question_fa, question_en, total_ballots, created_at",
        )
        .bind(poll_id)
        .fetch_optional(&mut *tx)
        .await?;
        let row = row.ok_or_else(|| StoreError::not_found("poll"))?;
        let consultation_id = row.consultation_id;
        let consultation = self
            .consultation_row_for_update(&mut tx, consultation_id)
            .await?;
        match consultation.status(now) {
            ConsultationStatus::Open => {}
            ConsultationStatus::Draft => return Err(StoreError::not_found("poll")),
            status => {
                return Err(StoreError::refused(
                    ErrorCode::ConsultationNotOpen,
                    format!(
                        "the consultation is {} and takes no ballots",
                        status.as_str()
                    ),
                ));
            }
        }
        let poll = self.poll_with_options(&mut *tx, row).await?;
        crate::rules::check_ballot(&poll, option_ids)
            .map_err(super::consultations::rule_refused)?;
        let mut chosen = option_ids.to_vec();
        chosen.sort_unstable();

        let previous: Option<(String, String, String, String, String)> = sqlx::query_as(
            "SELECT option_ids, age_band, gender, province, category FROM ballots
             WHERE poll_id = $1 AND participant_id = $2",
        )
        .bind(poll_id)
        .bind(participant.id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((old_options, age, gender, province, category)) = &previous {
            let old: Vec<i64> = serde_json::from_str(old_options)?;
            let buckets = ballot_buckets(age, gender, province, category);
            self.bump_counters(&mut tx, poll_id, &buckets, &old, -1)
                .await?;
        }
        let age = AgeBand::of(participant.birth_year, now).as_str();
        let gender = participant.gender.map_or(UNKNOWN_BUCKET, |g| g.as_str());
        let province = participant.province.map_or(UNKNOWN_BUCKET, |p| p.code());
        let category = participant.category.as_str();
        let chosen_json = serde_json::to_string(&chosen)?;
        if previous.is_some() {
            sqlx::query(
                "UPDATE ballots SET option_ids = $3, age_band = $4, gender = $5, province = $6, category = $7,
                    updated_at = $8 WHERE poll_id = $1 AND participant_id = $2",
            )
            .bind(poll_id)
            .bind(participant.id)
            .bind(&chosen_json)
            .bind(age)
            .bind(gender)
            .bind(province)
            .bind(category)
            .bind(ms(now))
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query(
                "INSERT INTO ballots (poll_id, participant_id, option_ids, age_band, gender, province, category,
                    cast_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            )
            .bind(poll_id)
            .bind(participant.id)
            .bind(&chosen_json)
            .bind(age)
            .bind(gender)
            .bind(province)
            .bind(category)
            .bind(ms(now))
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE polls SET total_ballots = total_ballots + 1 WHERE id = $1")
                .bind(poll_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO poll_turnout (poll_id, hour_start, ballots) VALUES ($1, $2, 1)
                 ON CONFLICT (poll_id, hour_start) DO UPDATE SET ballots = poll_turnout.ballots + 1",
            )
            .bind(poll_id)
            .bind(hour_start(now))
            .execute(&mut *tx)
            .await?;
        }
        let buckets = ballot_buckets(age, gender, province, category);
        self.bump_counters(&mut tx, poll_id, &buckets, &chosen, 1)
            .await?;
        // A first ballot earns a contribution; a replaced one stays the same contribution.
        self.rescore(&mut tx, participant.id, consultation_id)
            .await?;
        let tally = self.read_tally(&mut *tx, poll_id, None).await?;
        self.append_event(
            &mut tx,
            &mosharekat_api::EventKind::BallotCast {
                poll_id,
                consultation_id,
                tally: tally.clone(),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        self.events_committed();
        Ok((
            mosharekat_api::BallotAccepted {
                poll_id,
                option_ids: chosen,
                replaced: previous.is_some(),
            },
            tally,
        ))
    }

    async fn participant_ballots(
        &self,
        participant_id: i64,
    ) -> StoreResult<Vec<ParticipantBallot>> {
        let rows: Vec<(i64, i64, String, i64, i64)> = sqlx::query_as(
            "SELECT b.poll_id, p.consultation_id, b.option_ids, b.cast_at, b.updated_at
             FROM ballots b JOIN polls p ON p.id = b.poll_id
             WHERE b.participant_id = $1
             ORDER BY b.updated_at DESC, b.poll_id",
        )
        .bind(participant_id)
        .fetch_all(self.reader())
        .await?;
        rows.into_iter()
            .map(
                |(poll_id, consultation_id, option_ids, cast_at, updated_at)| {
                    Ok(ParticipantBallot {
                        poll_id,
                        consultation_id,
                        option_ids: serde_json::from_str(&option_ids)?,
                        cast_at: super::from_ms(cast_at),
                        updated_at: super::from_ms(updated_at),
                    })
                },
            )
            .collect()
    }

    async fn tally(
        &self,
        poll_id: i64,
        by: Option<mosharekat_api::Breakdown>,
    ) -> StoreResult<Option<mosharekat_api::Tally>> {
        let mut conn = self.reader().acquire().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM polls WHERE id = $1")
            .bind(poll_id)
            .fetch_optional(&mut *conn)
            .await?;
        if exists.is_none() {
            return Ok(None);
        }
        Ok(Some(self.read_tally(&mut *conn, poll_id, by).await?))
    }
}
