-- SMS consent, as given and withdrawn: when, how (STOP/START by SMS, her own page, a coordinator,
-- the API, an import) and by whom. Written by a trigger whenever consent changes, so no path can
-- forget it.
CREATE TABLE consent_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id   bigint NOT NULL REFERENCES people ON DELETE CASCADE,
    given       boolean NOT NULL,
    via         text NOT NULL,
    by_person   bigint,        -- who changed it (the person herself, a coordinator); NULL: the service
    at          timestamptz NOT NULL
);
CREATE INDEX consent_events_person ON consent_events (person_id, id);

CREATE FUNCTION record_consent() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    given boolean := NEW.sms_consent AND NEW.sms_opted_out_at IS NULL;
BEGIN
    IF TG_OP = 'UPDATE' AND given IS NOT DISTINCT FROM (OLD.sms_consent AND OLD.sms_opted_out_at IS NULL) THEN
        RETURN NULL;
    END IF;
    INSERT INTO consent_events (person_id, given, via, by_person, at)
    VALUES (NEW.id, given, coalesce(audit_setting('via'), 'job'), audit_setting('actor_person')::bigint, audit_now());
    RETURN NULL;
END $$;

CREATE TRIGGER consent_recorded AFTER INSERT OR UPDATE OF sms_consent, sms_opted_out_at ON people
    FOR EACH ROW EXECUTE FUNCTION record_consent();

-- What each organisation keeps, and for how long.
ALTER TABLE organisations
    ADD COLUMN sms_retention_days integer NOT NULL DEFAULT 90 CHECK (sms_retention_days BETWEEN 7 AND 3650),
    ADD COLUMN inactive_after_months integer NOT NULL DEFAULT 12 CHECK (inactive_after_months BETWEEN 1 AND 120),
    ADD COLUMN anonymise_after_months integer NOT NULL DEFAULT 3 CHECK (anonymise_after_months BETWEEN 1 AND 60);

-- A person erased keeps her row (hours stay in the reports) under a pseudonym; a volunteer a
-- coordinator chose to keep is never anonymised for inactivity.
ALTER TABLE people
    ADD COLUMN erased_at timestamptz,
    ADD COLUMN keep_while_inactive boolean NOT NULL DEFAULT false;
