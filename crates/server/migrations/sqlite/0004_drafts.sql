-- Drafts as documents: every import of a consultation's draft text is a version, kept for ever;
-- its articles are rows whose ids are never reused, so a comment can name the article it is
-- about in any version. Notes and clauses travel with their article as JSON. Times are Unix
-- milliseconds (UTC).

CREATE TABLE draft_versions (
    consultation_id BIGINT NOT NULL REFERENCES consultations (id),
    -- 1 for the first import of the consultation, one more for each after it.
    version         BIGINT NOT NULL,
    -- text | markdown
    format          TEXT   NOT NULL,
    imported_at     BIGINT NOT NULL,
    -- The staff member's username (the audit entry has the id).
    imported_by     TEXT   NOT NULL,
    preamble_fa     TEXT,
    preamble_en     TEXT,
    closing_fa      TEXT,
    closing_en      TEXT,
    -- The texts as imported, before recognition.
    source_fa       TEXT   NOT NULL,
    source_en       TEXT,
    article_count   BIGINT NOT NULL,
    note_count      BIGINT NOT NULL,
    clause_count    BIGINT NOT NULL,
    PRIMARY KEY (consultation_id, version)
);

CREATE TABLE draft_articles (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id BIGINT NOT NULL,
    version         BIGINT NOT NULL,
    -- 0-based place in its version.
    position        BIGINT NOT NULL,
    -- The number as a value (ماده واحده is 1) and as printed.
    number          BIGINT NOT NULL,
    label           TEXT   NOT NULL,
    chapter_fa      TEXT,
    chapter_en      TEXT,
    heading_fa      TEXT,
    heading_en      TEXT,
    text_fa         TEXT   NOT NULL,
    text_en         TEXT,
    -- [Clause] and [Note] of mosharekat_api::draft as JSON.
    clauses         TEXT   NOT NULL DEFAULT '[]',
    notes           TEXT   NOT NULL DEFAULT '[]',
    FOREIGN KEY (consultation_id, version) REFERENCES draft_versions (consultation_id, version),
    UNIQUE (consultation_id, version, position)
);

-- The article a comment is about, in the version the citizen read (none: the whole draft).
ALTER TABLE comments ADD COLUMN article_id BIGINT REFERENCES draft_articles (id);
CREATE INDEX comments_article ON comments (article_id);
