-- Calls for participation are broadcast to the ministry's channels through the outbox: such a
-- message is addressed to a channel, not to a participant, so its participant is empty.
ALTER TABLE outbox ALTER COLUMN participant_id DROP NOT NULL;
