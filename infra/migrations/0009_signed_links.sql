-- The key that signs links people open without an account (a volunteer's shift page, later a
-- partner's booking page). Created by the service on first use; deleting the row invalidates
-- every link signed with it.
CREATE TABLE signing_keys (
    purpose    text PRIMARY KEY,
    key        bytea NOT NULL CHECK (length(key) >= 32),
    created_at timestamptz NOT NULL DEFAULT now()
);
