-- Verified participants: a participant may prove an Iranian mobile number with a one-time code.
-- Numbers are never stored in clear: `phone_hash` is the hex HMAC-SHA256 of the canonical number
-- (+989xxxxxxxxx) under the server's phone key. Existing participants keep their rows unverified.
-- Times are Unix milliseconds (UTC).

ALTER TABLE participants ADD COLUMN phone_hash TEXT;
ALTER TABLE participants ADD COLUMN verified_at BIGINT;

-- One verified number, one participant.
CREATE UNIQUE INDEX participants_phone_hash ON participants (phone_hash)
    WHERE phone_hash IS NOT NULL;

-- The code last sent to a number, until it is used. `code_hash` is the hex HMAC-SHA256 of the
-- number's hash and the code under the phone key.
CREATE TABLE phone_verifications (
    phone_hash   TEXT   NOT NULL PRIMARY KEY,
    code_hash    TEXT   NOT NULL,
    expires_at   BIGINT NOT NULL,
    wrong_tries  BIGINT NOT NULL DEFAULT 0,
    last_sent_at BIGINT NOT NULL,
    -- Codes sent to this number since the row was made (it goes when a code is used).
    sends        BIGINT NOT NULL DEFAULT 1,
    created_at   BIGINT NOT NULL
);
