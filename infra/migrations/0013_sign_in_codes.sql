-- One-time codes for signing in to the board by SMS. A row is kept for every request, for a known
-- number or not (person_id NULL), so the limits and the answer are the same either way.
CREATE TABLE sign_in_codes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    phone       text NOT NULL,
    person_id   bigint REFERENCES people ON DELETE CASCADE,
    code_hash   bytea NOT NULL,
    asked_from  bytea NOT NULL,  -- a hash of the client's address, never the address
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    tries       integer NOT NULL DEFAULT 0 CHECK (tries >= 0),
    used_at     timestamptz
);
CREATE INDEX sign_in_codes_phone ON sign_in_codes (phone, created_at);
CREATE INDEX sign_in_codes_address ON sign_in_codes (asked_from, created_at);
