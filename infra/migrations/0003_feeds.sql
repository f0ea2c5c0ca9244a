-- Calendar feed subscriptions, and a notification whenever anything a feed shows may have changed.

CREATE TABLE feed_subscriptions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('personal', 'organisation', 'open_shifts', 'venue')),
    -- The organisation it was made in (who may list, rotate and revoke it)...
    organisation_id bigint NOT NULL REFERENCES organisations ON DELETE CASCADE,
    -- ...and, for personal and open-shift feeds, whose shifts it shows.
    person_id       bigint REFERENCES people ON DELETE CASCADE,
    token_hash      bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_by      bigint REFERENCES people ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz,
    last_polled_at  timestamptz,
    CHECK ((kind IN ('personal', 'open_shifts')) = (person_id IS NOT NULL))
);
CREATE INDEX feed_subscriptions_organisation ON feed_subscriptions (organisation_id);

-- Feeds are rendered from a per-process cache. Every statement that changes what a feed may show
-- notifies the API processes; NOTIFY is delivered only at commit, so a cache never keeps data older
-- than the last notification it heard.
CREATE FUNCTION notify_schedule_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('volops_schedule', TG_TABLE_NAME);
    RETURN NULL;
END $$;

DO $$
DECLARE
    watched text;
BEGIN
    FOREACH watched IN ARRAY ARRAY['organisations', 'people', 'memberships', 'places', 'activities',
                                   'activity_roles', 'activity_shares', 'occurrences', 'assignments']
    LOOP
        EXECUTE format(
            'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
            'FOR EACH STATEMENT EXECUTE FUNCTION notify_schedule_changed()',
            watched || '_notify', watched);
    END LOOP;
END $$;

-- Polling writes last_polled_at; only a new or revoked token changes what a feed answers.
CREATE TRIGGER feed_subscriptions_notify
    AFTER INSERT OR DELETE OR UPDATE OF token_hash, revoked_at ON feed_subscriptions
    FOR EACH STATEMENT EXECUTE FUNCTION notify_schedule_changed();
