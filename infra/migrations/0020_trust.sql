-- Trust: nothing is believed further than it was proven (issue 23, SECURITY.md).

-- A token's scope: 'api' acts with the person's roles; 'page' is a personal page link, which opens
-- her own pages and the few things a volunteer does herself, never a coordinator's powers.
ALTER TABLE api_tokens ADD COLUMN scope text NOT NULL DEFAULT 'api' CHECK (scope IN ('api', 'page'));
UPDATE api_tokens SET scope = 'page' WHERE label = 'personal page link';
-- Board sessions used to be API tokens in a cookie; they end here (coordinators sign in again).
UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE label = 'board sign-in by SMS';

-- A signed-in browser: the cookie carries only a random id whose hash is kept here, so signing
-- out ends it at once. A day idle or 30 days old, it is over.
CREATE TABLE sessions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    secret_hash     bytea NOT NULL UNIQUE CHECK (length(secret_hash) = 32),
    kind            text NOT NULL CHECK (kind IN ('board', 'my')),
    organisation_id bigint NOT NULL REFERENCES organisations ON DELETE CASCADE,
    person_id       bigint NOT NULL REFERENCES people ON DELETE CASCADE,
    -- the page link (or API token link) it was opened with: switched off, the session ends too
    token_id        bigint REFERENCES api_tokens ON DELETE CASCADE,
    created_at      timestamptz NOT NULL,
    last_seen_at    timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    ended_at        timestamptz,
    CHECK (expires_at > created_at)
);
CREATE INDEX sessions_person ON sessions (organisation_id, person_id);

-- A number counts once a code sent to it came back. A number a coordinator typed is the
-- organisation's record of it, nothing more (phone_proven_at NULL).
ALTER TABLE people ADD COLUMN phone_proven_at timestamptz;
CREATE TABLE phone_proofs (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisations ON DELETE CASCADE,
    person_id       bigint NOT NULL REFERENCES people ON DELETE CASCADE,
    phone           text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    shares_phone    boolean NOT NULL DEFAULT false,
    code_hash       bytea NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    tries           integer NOT NULL DEFAULT 0 CHECK (tries >= 0),
    used_at         timestamptz
);
CREATE INDEX phone_proofs_person ON phone_proofs (person_id, created_at);

-- Every stored text, answer and sign-in code carries whose it is.
ALTER TABLE sms_replies ADD COLUMN organisation_id bigint REFERENCES organisations ON DELETE CASCADE;
UPDATE sms_replies r SET organisation_id = (
    SELECT min(m.organisation_id) FROM memberships m WHERE m.person_id = r.person_id);
CREATE INDEX sms_replies_person ON sms_replies (organisation_id, person_id);
CREATE INDEX sms_outbox_person ON sms_outbox (person_id, id);
ALTER TABLE sign_in_codes ADD COLUMN organisation_id bigint REFERENCES organisations ON DELETE CASCADE;
UPDATE sign_in_codes c SET organisation_id = (
    SELECT min(m.organisation_id) FROM memberships m WHERE m.person_id = c.person_id AND m.role = 'coordinator');
CREATE INDEX sign_in_codes_person ON sign_in_codes (organisation_id, person_id);
-- A sign-in code is not kept readable once it went out.
UPDATE sms_outbox SET body = '(sign-in code)' WHERE key LIKE 'sign-in:%' AND status NOT IN ('pending', 'queued');

-- Twilio's signature covers MessageSid, not the idempotency header: replays are known by the sid.
-- (webhook_receipts.token now holds the signed MessageSid.)

-- A report link for a funder: listed and switched off on the board; it dies with its sharer's
-- coordinator role.
CREATE TABLE report_links (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisations ON DELETE CASCADE,
    shared_by       bigint NOT NULL REFERENCES people ON DELETE CASCADE,
    month           date NOT NULL,
    names           boolean NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    revoked_at      timestamptz
);
CREATE INDEX report_links_organisation ON report_links (organisation_id, id);

-- Sharing needs both sides: one organisation asks, the other's coordinator accepts; either ends it.
CREATE TABLE partnerships (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    asked_by        bigint NOT NULL REFERENCES organisations ON DELETE CASCADE,
    asked_to        bigint NOT NULL REFERENCES organisations ON DELETE CASCADE,
    asked_at        timestamptz NOT NULL,
    accepted_at     timestamptz,
    ended_at        timestamptz,
    CHECK (asked_by <> asked_to)
);
-- One live partnership between two organisations, whichever asked.
CREATE UNIQUE INDEX partnerships_live ON partnerships (least(asked_by, asked_to), greatest(asked_by, asked_to))
    WHERE ended_at IS NULL;
-- Activities shared before partnerships existed keep working: their pairs are partners already.
INSERT INTO partnerships (asked_by, asked_to, asked_at, accepted_at)
SELECT DISTINCT ON (least(a.organisation_id, s.organisation_id), greatest(a.organisation_id, s.organisation_id))
       a.organisation_id, s.organisation_id, now(), now()
FROM activity_shares s JOIN activities a ON a.id = s.activity_id
WHERE a.organisation_id <> s.organisation_id;

DO $$
DECLARE
    tbl text;
BEGIN
    FOREACH tbl IN ARRAY ARRAY['report_links', 'partnerships'] LOOP
        EXECUTE format('CREATE TRIGGER audited AFTER INSERT OR UPDATE OR DELETE ON %I
                        FOR EACH ROW EXECUTE FUNCTION audit_row()', tbl);
    END LOOP;
END $$;
