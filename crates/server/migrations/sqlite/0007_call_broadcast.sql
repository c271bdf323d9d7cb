-- Calls for participation are broadcast to the ministry's channels through the outbox: such a
-- message is addressed to a channel, not to a participant, so its participant is empty. SQLite
-- cannot drop a NOT NULL constraint: the table is rebuilt with its rows, ids and indexes.
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    dedup_key       TEXT    NOT NULL UNIQUE,
    participant_id  BIGINT  REFERENCES participants (id),
    consultation_id BIGINT  NOT NULL REFERENCES consultations (id),
    channel         TEXT    NOT NULL,
    handle          TEXT    NOT NULL,
    language        TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    subject_id      BIGINT  NOT NULL,
    text            TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending',
    attempts        BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    last_attempt_at BIGINT,
    last_error      TEXT,
    created_at      BIGINT  NOT NULL,
    sent_at         BIGINT
);
INSERT INTO outbox_new (id, dedup_key, participant_id, consultation_id, channel, handle, language,
    kind, subject_id, text, idempotency_key, status, attempts, next_attempt_at, last_attempt_at,
    last_error, created_at, sent_at)
SELECT id, dedup_key, participant_id, consultation_id, channel, handle, language, kind, subject_id,
    text, idempotency_key, status, attempts, next_attempt_at, last_attempt_at, last_error,
    created_at, sent_at
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_status ON outbox (status, id);
