-- Incentives: digital-citizen scores (contributions and per-participant totals, derived from the
-- source data by the rules in scoring.toml), and participation certificates. Times are Unix
-- milliseconds (UTC).

-- One row per scored contribution. Derived data: `mosharekat scores rebuild` deletes and rewrites
-- it from comments, proposal decisions and ballots; live writes replace a participant's rows of one
-- consultation in the transaction of the change.
CREATE TABLE score_contributions (
    participant_id  BIGINT NOT NULL REFERENCES participants (id),
    consultation_id BIGINT NOT NULL REFERENCES consultations (id),
    -- comment | endorsement | proposal_accepted | proposal_partially_accepted | ballot | survey_answer
    kind            TEXT   NOT NULL,
    -- A comment id (comments, endorsements, proposals) or a poll id (ballots, survey answers).
    subject_id      BIGINT NOT NULL,
    -- The campaign group of a comment or endorsement.
    group_id        BIGINT,
    -- Approved comments of the author in the group, all scored once.
    copies          BIGINT NOT NULL,
    points          BIGINT NOT NULL,
    earned_at       BIGINT NOT NULL,
    PRIMARY KEY (participant_id, consultation_id, kind, subject_id)
);
CREATE INDEX score_contributions_consultation ON score_contributions (consultation_id, participant_id);
CREATE INDEX score_contributions_earned ON score_contributions (earned_at);

-- Per-participant totals of score_contributions; a participant without contributions has no row.
CREATE TABLE participant_scores (
    participant_id BIGINT PRIMARY KEY REFERENCES participants (id),
    points         BIGINT NOT NULL,
    contributions  BIGINT NOT NULL
);
CREATE INDEX participant_scores_points ON participant_scores (points, participant_id);

CREATE TABLE certificates (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    participant_id  BIGINT NOT NULL REFERENCES participants (id),
    consultation_id BIGINT NOT NULL REFERENCES consultations (id),
    kind            TEXT   NOT NULL,
    status          TEXT   NOT NULL DEFAULT 'proposed',
    -- CertificateEvidence as JSON, as of the latest run of the rules.
    evidence        TEXT   NOT NULL,
    proposed_at     BIGINT NOT NULL,
    decided_by      BIGINT REFERENCES staff (id),
    decided_at      BIGINT,
    reject_reason   TEXT,
    -- Stored verification code (10 Crockford base32 symbols) and the signed credential (JSON text,
    -- exactly as issued), once approved.
    code            TEXT UNIQUE,
    credential      TEXT,
    issued_at       BIGINT,
    revoked_by      BIGINT REFERENCES staff (id),
    revoked_at      BIGINT,
    revoke_reason   TEXT,
    UNIQUE (participant_id, consultation_id, kind)
);
CREATE INDEX certificates_status ON certificates (status, id);
CREATE INDEX certificates_consultation ON certificates (consultation_id, id);

-- When the certificate rules last ran over a consultation: the scheduler runs them once over
-- every closed consultation that has not had them yet (closed on time or early, or while no
-- server was running).
ALTER TABLE consultations ADD COLUMN certificates_proposed_at BIGINT;
