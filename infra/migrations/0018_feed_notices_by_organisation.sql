-- Feed caches forget only what a change touches. The notice at commit now says which
-- organisations a changed row concerns (its own, the partners an activity is shared with, the
-- room's owner, every organisation a person is in), once per organisation per transaction
-- (PostgreSQL folds identical notices). '*' (a TRUNCATE) means everything.

CREATE FUNCTION schedule_organisations(tbl text, item jsonb) RETURNS SETOF bigint LANGUAGE sql STABLE AS $$
    SELECT audit_organisation(tbl, item)
    UNION
    SELECT a.organisation_id FROM activities a
    WHERE a.id = coalesce((item ->> 'activity_id')::bigint,
                          CASE WHEN tbl = 'activities' THEN (item ->> 'id')::bigint END,
                          (SELECT o.activity_id FROM occurrences o WHERE o.id = (item ->> 'occurrence_id')::bigint))
    UNION
    SELECT s.organisation_id FROM activity_shares s
    WHERE s.activity_id = coalesce((item ->> 'activity_id')::bigint,
                                   CASE WHEN tbl = 'activities' THEN (item ->> 'id')::bigint END,
                                   (SELECT o.activity_id FROM occurrences o WHERE o.id = (item ->> 'occurrence_id')::bigint))
    UNION
    SELECT m.organisation_id FROM memberships m WHERE tbl = 'people' AND m.person_id = (item ->> 'id')::bigint
    UNION
    SELECT v.organisation_id FROM venues v WHERE tbl = 'bookings' AND v.id = (item ->> 'venue_id')::bigint
$$;

CREATE FUNCTION notify_schedule_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    organisation bigint;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        FOR organisation IN SELECT schedule_organisations(TG_TABLE_NAME, to_jsonb(NEW)) LOOP
            CONTINUE WHEN organisation IS NULL;
            PERFORM pg_notify('volops_schedule', organisation::text);
        END LOOP;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN  -- a row that moved, or went: where it was
        FOR organisation IN SELECT schedule_organisations(TG_TABLE_NAME, to_jsonb(OLD)) LOOP
            CONTINUE WHEN organisation IS NULL;
            PERFORM pg_notify('volops_schedule', organisation::text);
        END LOOP;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION notify_schedule_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('volops_schedule', '*');
    RETURN NULL;
END $$;

DO $$
DECLARE
    watched text;
BEGIN
    FOREACH watched IN ARRAY ARRAY['organisations', 'people', 'memberships', 'places', 'activities',
                                   'activity_roles', 'activity_shares', 'occurrences', 'assignments',
                                   'venues', 'bookings']
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', watched || '_notify', watched);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION notify_schedule_row()', watched || '_notify', watched);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION notify_schedule_all()', watched || '_notify_all', watched);
    END LOOP;
END $$;

DROP TRIGGER feed_subscriptions_notify ON feed_subscriptions;
CREATE TRIGGER feed_subscriptions_notify
    AFTER INSERT OR DELETE OR UPDATE OF token_hash, revoked_at ON feed_subscriptions
    FOR EACH ROW EXECUTE FUNCTION notify_schedule_row();
CREATE TRIGGER feed_subscriptions_notify_all AFTER TRUNCATE ON feed_subscriptions
    FOR EACH STATEMENT EXECUTE FUNCTION notify_schedule_all();
