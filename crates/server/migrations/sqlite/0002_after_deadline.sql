-- After the deadline: decisions on proposals, concern tags, the comprehensive report and the outbox
-- of feedback messages. Times are Unix milliseconds (UTC).

-- One decision per campaign group, kept on the comment that stands for the group.
CREATE TABLE proposal_decisions (
    comment_id      BIGINT  PRIMARY KEY REFERENCES comments (id),
    group_id        BIGINT  NOT NULL UNIQUE REFERENCES duplicate_groups (id),
    consultation_id BIGINT  NOT NULL REFERENCES consultations (id),
    outcome         TEXT,
    rationale_fa    TEXT    NOT NULL,
    rationale_en    TEXT    NOT NULL,
    legal_basis     TEXT    NOT NULL,
    version         BIGINT  NOT NULL,
    decided_by      BIGINT  NOT NULL REFERENCES staff (id),
    decided_at      BIGINT  NOT NULL,
    published_at    BIGINT
);
CREATE INDEX proposal_decisions_consultation ON proposal_decisions (consultation_id, comment_id);

CREATE TABLE consultation_tags (
    consultation_id BIGINT NOT NULL REFERENCES consultations (id),
    code            TEXT   NOT NULL,
    label_fa        TEXT   NOT NULL,
    label_en        TEXT   NOT NULL,
    position        BIGINT NOT NULL,
    PRIMARY KEY (consultation_id, code)
);

-- The latest draft of each consultation's report and, once published, the published version.
CREATE TABLE reports (
    consultation_id   BIGINT PRIMARY KEY REFERENCES consultations (id),
    version           BIGINT NOT NULL,
    body              TEXT   NOT NULL,
    generated_at      BIGINT NOT NULL,
    generated_by      TEXT   NOT NULL,
    published_version BIGINT,
    published_body    TEXT,
    published_at      BIGINT,
    published_by      TEXT
);

-- Feedback messages. dedup_key makes a message once per participant per event; a row is written in
-- the transaction of the publication it reports.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    dedup_key       TEXT    NOT NULL UNIQUE,
    participant_id  BIGINT  NOT NULL REFERENCES participants (id),
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
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_status ON outbox (status, id);

-- The report's aggregate reads: who took part in a consultation, its largest campaign groups.
CREATE INDEX comments_consultation_participant ON comments (consultation_id, participant_id);
CREATE INDEX duplicate_groups_size ON duplicate_groups (consultation_id, size);
