-- Core schema: staff and sessions, consultations, participants, comments and the moderation queue,
-- polls with their counters, live events and the audit chain. Times are Unix milliseconds (UTC).

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('moderator', 'operator', 'admin')),
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    BIGINT  NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT    PRIMARY KEY,
    staff_id   BIGINT  NOT NULL REFERENCES staff (id),
    created_at BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL
);
CREATE INDEX sessions_staff ON sessions (staff_id);

CREATE TABLE consultations (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    kind                TEXT    NOT NULL,
    title_fa            TEXT    NOT NULL,
    title_en            TEXT    NOT NULL,
    summary_fa          TEXT    NOT NULL,
    summary_en          TEXT    NOT NULL,
    drafting_unit       TEXT    NOT NULL,
    opens_at            BIGINT  NOT NULL,
    closes_at           BIGINT  NOT NULL,
    portal_url          TEXT    NOT NULL,
    short_window_reason TEXT,
    published_at        BIGINT,
    closed_early_at     BIGINT,
    closed_early_reason TEXT,
    report_published_at BIGINT,
    announced_status    TEXT    NOT NULL DEFAULT 'draft',
    comment_count       BIGINT  NOT NULL DEFAULT 0,
    created_at          BIGINT  NOT NULL,
    updated_at          BIGINT  NOT NULL
);

CREATE TABLE participants (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    display_name TEXT    NOT NULL,
    category     TEXT    NOT NULL,
    birth_year   BIGINT,
    gender       TEXT,
    province     TEXT,
    channel      TEXT,
    handle       TEXT,
    consent      BOOLEAN NOT NULL,
    name_public  BOOLEAN NOT NULL DEFAULT FALSE,
    language     TEXT    NOT NULL DEFAULT 'fa',
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   BIGINT  NOT NULL
);

-- Campaign groups: comments of one consultation whose normalised text is identical.
CREATE TABLE duplicate_groups (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id BIGINT  NOT NULL REFERENCES consultations (id),
    text_hash       TEXT    NOT NULL,
    size            BIGINT  NOT NULL,
    UNIQUE (consultation_id, text_hash)
);

CREATE TABLE comments (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id  BIGINT  NOT NULL REFERENCES consultations (id),
    participant_id   BIGINT  NOT NULL REFERENCES participants (id),
    parent_id        BIGINT  REFERENCES comments (id),
    body             TEXT    NOT NULL,
    is_proposal      BOOLEAN NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'pending',
    group_id         BIGINT  NOT NULL REFERENCES duplicate_groups (id),
    created_at       BIGINT  NOT NULL,
    -- The live claim, if any: who holds it, its token, and until when.
    claimed_by       BIGINT  REFERENCES staff (id),
    claim_token      TEXT,
    lease_expires_at BIGINT,
    -- The last decision (the whole history is in moderation_decisions).
    decided_by       BIGINT  REFERENCES staff (id),
    decided_at       BIGINT,
    last_action      TEXT,
    reason_code      TEXT,
    note             TEXT,
    tags             TEXT    NOT NULL DEFAULT '[]'
);
CREATE INDEX comments_pending ON comments (id) WHERE status = 'pending';
CREATE INDEX comments_consultation ON comments (consultation_id, id);
CREATE INDEX comments_group ON comments (group_id);
CREATE INDEX comments_participant ON comments (participant_id);

CREATE TABLE moderation_decisions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id  BIGINT  NOT NULL REFERENCES comments (id),
    staff_id    BIGINT  NOT NULL REFERENCES staff (id),
    action      TEXT    NOT NULL,
    reason_code TEXT,
    note        TEXT,
    tags        TEXT    NOT NULL DEFAULT '[]',
    decided_at  BIGINT  NOT NULL
);
CREATE INDEX moderation_decisions_comment ON moderation_decisions (comment_id);

-- Stored answers of requests sent with an Idempotency-Key, per staff member.
CREATE TABLE idempotency_keys (
    staff_id     BIGINT NOT NULL,
    key          TEXT   NOT NULL,
    request_hash TEXT   NOT NULL,
    response     TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (staff_id, key)
);

CREATE TABLE polls (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id BIGINT  NOT NULL REFERENCES consultations (id),
    kind            TEXT    NOT NULL,
    question_fa     TEXT    NOT NULL,
    question_en     TEXT    NOT NULL,
    total_ballots   BIGINT  NOT NULL DEFAULT 0,
    created_at      BIGINT  NOT NULL
);
CREATE INDEX polls_consultation ON polls (consultation_id);

CREATE TABLE poll_options (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    poll_id  BIGINT  NOT NULL REFERENCES polls (id),
    position BIGINT  NOT NULL,
    label_fa TEXT    NOT NULL,
    label_en TEXT    NOT NULL
);
CREATE INDEX poll_options_poll ON poll_options (poll_id, position);

-- One ballot per participant per poll; the demographic buckets are frozen at cast time so that a
-- replacement decrements exactly the counters the first ballot incremented.
CREATE TABLE ballots (
    poll_id        BIGINT NOT NULL REFERENCES polls (id),
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    option_ids     TEXT   NOT NULL,
    age_band       TEXT   NOT NULL,
    gender         TEXT   NOT NULL,
    province       TEXT   NOT NULL,
    category       TEXT   NOT NULL,
    cast_at        BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    PRIMARY KEY (poll_id, participant_id)
);

-- Tally counters, kept up to date on every ballot. dimension is 'all', 'age_band', 'gender',
-- 'province' or 'category'; option_id 0 counts ballots in the bucket.
CREATE TABLE tally_counters (
    poll_id   BIGINT NOT NULL,
    dimension TEXT   NOT NULL,
    bucket    TEXT   NOT NULL,
    option_id BIGINT NOT NULL,
    count     BIGINT NOT NULL,
    PRIMARY KEY (poll_id, dimension, bucket, option_id)
);

CREATE TABLE poll_turnout (
    poll_id    BIGINT NOT NULL,
    hour_start BIGINT NOT NULL,
    ballots    BIGINT NOT NULL,
    PRIMARY KEY (poll_id, hour_start)
);

CREATE TABLE events (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT    NOT NULL,
    data TEXT    NOT NULL,
    at   BIGINT  NOT NULL
);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        BIGINT  NOT NULL,
    actor     TEXT    NOT NULL,
    action    TEXT    NOT NULL,
    target    TEXT    NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    prev_hash TEXT    NOT NULL,
    hash      TEXT    NOT NULL
);
