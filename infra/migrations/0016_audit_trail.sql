-- The audit trail: every change to the organisations' records is a row, written by a trigger in
-- the same transaction as the change (so nothing changes without its row). Who did it, through
-- what and when come from the connection's settings, set by the service for each request, SMS
-- answer, link or job (services/audit):
--   volops.actor_person  the person acting ('' for the service itself)
--   volops.actor_org     the organisation they act in
--   volops.via           api / page / sms / link / job / cli
--   volops.now           the service's clock (tests pin it)
-- Phone numbers are masked and a protected place's address is never copied. Rows are append-only:
-- a trigger refuses UPDATE and DELETE unless the transaction says it is the retention job or an
-- erasure (volops.audit_maintenance), the only two that may touch them.

CREATE TABLE audit_log (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL,
    organisation_id bigint,               -- whose trail it is in (no FK: the trail outlives rows)
    actor_person_id bigint,               -- NULL: the service itself
    via             text NOT NULL CHECK (via IN ('api', 'page', 'sms', 'link', 'job', 'cli')),
    table_name      text NOT NULL,
    row_id          bigint,
    action          text NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'read', 'export', 'erase')),
    changes         jsonb NOT NULL DEFAULT '{}'  -- {"field": [before, after]}
);
CREATE INDEX audit_log_organisation ON audit_log (organisation_id, id);
CREATE INDEX audit_log_row ON audit_log (table_name, row_id);
CREATE INDEX audit_log_actor ON audit_log (actor_person_id);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE FUNCTION audit_setting(name text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT nullif(current_setting('volops.' || name, true), '')
$$;

CREATE FUNCTION audit_now() RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT coalesce(audit_setting('now')::timestamptz, now())
$$;

-- "+46701740691" → "+4670…91": enough to tell numbers apart in a trail, not to call them.
CREATE FUNCTION mask_phone(phone text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN phone IS NULL OR length(phone) < 6 THEN phone
                ELSE left(phone, 5) || '…' || right(phone, 2) END
$$;

-- What a row may show in the trail: no secrets, masked numbers, no protected address.
CREATE FUNCTION audit_shown(tbl text, item jsonb) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    key text;
BEGIN
    IF item IS NULL THEN
        RETURN NULL;
    END IF;
    item := item - 'token_hash' - 'key' - 'code_hash' - 'during';
    FOREACH key IN ARRAY ARRAY['phone', 'to_phone', 'from_phone'] LOOP
        IF item ? key THEN
            item := jsonb_set(item, ARRAY[key], to_jsonb(mask_phone(item ->> key)));
        END IF;
    END LOOP;
    IF (item ->> 'protected')::boolean THEN
        item := item - 'latitude' - 'longitude' || '{"address": "(protected)"}';
    END IF;
    RETURN item;
END $$;

-- Fields that change without anyone deciding anything (a token's last use, a row's clock).
CREATE FUNCTION audit_changes(tbl text, old_row jsonb, new_row jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_object_agg(k, jsonb_build_array(old_row -> k, new_row -> k)), '{}')
    FROM (SELECT jsonb_object_keys(coalesce(new_row, old_row)) AS k) keys
    WHERE k NOT IN ('last_used_at', 'updated_at', 'created_at', 'sequence')
      AND (old_row -> k) IS DISTINCT FROM (new_row -> k)
$$;

CREATE FUNCTION audit_organisation(tbl text, item jsonb) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        CASE
            WHEN tbl = 'organisations' THEN (item ->> 'id')::bigint
            WHEN item ? 'organisation_id' THEN (item ->> 'organisation_id')::bigint
            WHEN tbl IN ('occurrences', 'activity_roles') THEN
                (SELECT organisation_id FROM activities WHERE id = (item ->> 'activity_id')::bigint)
            WHEN tbl = 'assignments' THEN
                (SELECT a.organisation_id FROM occurrences o JOIN activities a ON a.id = o.activity_id
                 WHERE o.id = (item ->> 'occurrence_id')::bigint)
            WHEN tbl = 'person_qualifications' THEN
                (SELECT organisation_id FROM qualification_types WHERE id = (item ->> 'qualification_type_id')::bigint)
            WHEN tbl = 'bookings' THEN
                (SELECT organisation_id FROM booking_requests WHERE id = (item ->> 'request_id')::bigint)
        END,
        audit_setting('actor_org')::bigint)
$$;

CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN audit_shown(TG_TABLE_NAME, to_jsonb(OLD)) END;
    new_row jsonb := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN audit_shown(TG_TABLE_NAME, to_jsonb(NEW)) END;
    changed jsonb := audit_changes(TG_TABLE_NAME, old_row, new_row);
BEGIN
    IF changed = '{}' THEN
        RETURN NULL;  -- nothing anyone decided
    END IF;
    INSERT INTO audit_log (at, organisation_id, actor_person_id, via, table_name, row_id, action, changes)
    VALUES (audit_now(),
            audit_organisation(TG_TABLE_NAME, coalesce(new_row, old_row)),
            audit_setting('actor_person')::bigint,
            coalesce(audit_setting('via'), 'job'),
            TG_TABLE_NAME,
            (coalesce(new_row, old_row) ->> 'id')::bigint,
            lower(TG_OP),
            changed);
    RETURN NULL;
END $$;

DO $$
DECLARE
    tbl text;
BEGIN
    FOREACH tbl IN ARRAY ARRAY['organisations', 'people', 'memberships', 'api_tokens', 'qualification_types',
                               'person_qualifications', 'places', 'activities', 'activity_roles',
                               'activity_shares', 'occurrences', 'assignments', 'availability', 'blackouts',
                               'feed_subscriptions', 'swap_offers', 'cover_requests', 'venues',
                               'venue_contacts', 'booking_requests', 'bookings', 'on_duty'] LOOP
        EXECUTE format('CREATE TRIGGER audited AFTER INSERT OR UPDATE OR DELETE ON %I
                        FOR EACH ROW EXECUTE FUNCTION audit_row()', tbl);
    END LOOP;
END $$;

CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF audit_setting('audit_maintenance') IN ('retention', 'erasure') THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

-- How long each organisation keeps what (days; months for inactive volunteers).
ALTER TABLE organisations
    ADD COLUMN audit_retention_days integer NOT NULL DEFAULT 730 CHECK (audit_retention_days BETWEEN 30 AND 3650);
