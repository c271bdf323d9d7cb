-- The Bale bot: one-time codes that link a chat to a participant, the linked chats, the updates
-- already handled (so a webhook's retry or a second poller changes nothing), and which call each
-- message the bot sent announced (a reply to it is a comment on that call). Comments say where
-- they were written. Times are Unix milliseconds (UTC).

CREATE TABLE messenger_link_codes (
    -- SHA-256 of the code: the code itself is shown once, to the participant.
    code_hash      TEXT   PRIMARY KEY,
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    channel        TEXT   NOT NULL,
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL
);
CREATE INDEX messenger_link_codes_participant ON messenger_link_codes (participant_id);

-- One chat per participant and channel, one participant per chat. A stopped link stays (so
-- `/start` alone resumes it) but receives nothing.
CREATE TABLE messenger_links (
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    channel        TEXT   NOT NULL,
    chat_id        TEXT   NOT NULL,
    linked_at      BIGINT NOT NULL,
    stopped_at     BIGINT,
    PRIMARY KEY (participant_id, channel),
    UNIQUE (channel, chat_id)
);

CREATE TABLE bot_updates (
    channel    TEXT   NOT NULL,
    update_id  BIGINT NOT NULL,
    handled_at BIGINT NOT NULL,
    PRIMARY KEY (channel, update_id)
);

CREATE TABLE bot_messages (
    channel         TEXT   NOT NULL,
    chat_id         TEXT   NOT NULL,
    message_id      BIGINT NOT NULL,
    consultation_id BIGINT NOT NULL REFERENCES consultations (id),
    sent_at         BIGINT NOT NULL,
    PRIMARY KEY (channel, chat_id, message_id)
);

-- web (the portal and the JSON API) or bale.
ALTER TABLE comments ADD COLUMN source TEXT NOT NULL DEFAULT 'web';
