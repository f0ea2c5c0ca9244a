-- Rooms lent by partner congregations, and bookings of them that the partner confirms or
-- declines date by date, without an account.

-- How many days a partner has to answer before one reminder (and as many again before the
-- borrowing coordinators are told).
ALTER TABLE organisations
    ADD COLUMN booking_reminder_days integer NOT NULL DEFAULT 3 CHECK (booking_reminder_days BETWEEN 1 AND 30);

CREATE TABLE venues (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisations ON DELETE CASCADE,  -- the partner owning it
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    address         text NOT NULL DEFAULT '' CHECK (length(address) <= 500),
    protected       boolean NOT NULL DEFAULT false,
    capacity        integer CHECK (capacity BETWEEN 1 AND 10000),
    accessibility   text NOT NULL DEFAULT '' CHECK (length(accessibility) <= 2000),
    house_rules     text NOT NULL DEFAULT '' CHECK (length(house_rules) <= 4000),
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, name)
);

-- The partner's people who answer for a room (their phone and language are on people).
CREATE TABLE venue_contacts (
    venue_id  bigint NOT NULL REFERENCES venues ON DELETE CASCADE,
    person_id bigint NOT NULL REFERENCES people ON DELETE CASCADE,
    PRIMARY KEY (venue_id, person_id)
);
CREATE INDEX venue_contacts_person ON venue_contacts (person_id);

-- The organisations the partner lends a room to: only they can ask for it.
CREATE TABLE venue_borrowers (
    venue_id        bigint NOT NULL REFERENCES venues ON DELETE CASCADE,
    organisation_id bigint NOT NULL REFERENCES organisations ON DELETE CASCADE,
    PRIMARY KEY (venue_id, organisation_id)
);
CREATE INDEX venue_borrowers_organisation ON venue_borrowers (organisation_id);

CREATE TABLE booking_requests (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisations ON DELETE CASCADE,  -- the borrower
    activity_id     bigint NOT NULL REFERENCES activities ON DELETE CASCADE,
    venue_id        bigint NOT NULL REFERENCES venues ON DELETE CASCADE,
    -- What the partner answers with by SMS ("JA 731"); three digits, where cover requests have four.
    code            text NOT NULL CHECK (code ~ '^[0-9]{3}$'),
    created_by      bigint REFERENCES people ON DELETE SET NULL,
    created_at      timestamptz NOT NULL,
    reminded_at     timestamptz,
    escalated_at    timestamptz
);
CREATE INDEX booking_requests_organisation ON booking_requests (organisation_id, id);
CREATE INDEX booking_requests_venue ON booking_requests (venue_id);

CREATE TABLE bookings (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id    bigint NOT NULL REFERENCES booking_requests ON DELETE CASCADE,
    venue_id      bigint NOT NULL REFERENCES venues ON DELETE CASCADE,
    occurrence_id bigint NOT NULL REFERENCES occurrences ON DELETE CASCADE,
    during        tstzrange NOT NULL CHECK (NOT isempty(during)),
    status        text NOT NULL DEFAULT 'requested'
                  CHECK (status IN ('requested', 'confirmed', 'declined', 'cancelled')),
    answered_by   bigint REFERENCES people ON DELETE SET NULL,
    answered_at   timestamptz,
    answered_via  text CHECK (answered_via IN ('page', 'sms', 'api')),
    -- What changed on the borrower's side that the partner has to hear about; the worker copies
    -- changed_at into partner_told_at once they have been told.
    change        text CHECK (change IN ('moved', 'cancelled')),
    changed_at    timestamptz,
    partner_told_at timestamptz,
    CHECK ((status IN ('confirmed', 'declined')) = (answered_at IS NOT NULL) OR status = 'cancelled'),
    -- Two confirmed bookings of one room never overlap. btree_gist is not in every PostgreSQL build
    -- (the embedded pgserver lacks it), so the room is compared as a one-point int8range, which GiST
    -- indexes natively: the same rule on every server.
    CONSTRAINT bookings_no_double_booking EXCLUDE USING gist (
        int8range(venue_id, venue_id, '[]') WITH &&, during WITH &&
    ) WHERE (status = 'confirmed')
);
-- An occurrence asks for one room at a time (another may be asked once this one is declined).
CREATE UNIQUE INDEX bookings_one_live_per_occurrence ON bookings (occurrence_id)
    WHERE status IN ('requested', 'confirmed');
CREATE INDEX bookings_request ON bookings (request_id);
CREATE INDEX bookings_changes ON bookings (id) WHERE change IS NOT NULL AND partner_told_at IS DISTINCT FROM changed_at;

-- A booking follows its occurrence, whichever path changed it (one date, the series, a split):
-- cancelled → cancelled; moved outside the confirmed time → asked again. The partner is told by
-- the worker (tell_partners), which looks for a changed_at it has not told yet.
CREATE FUNCTION bookings_follow_occurrence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'cancelled' AND OLD.status <> 'cancelled' THEN
        UPDATE bookings SET status = 'cancelled', change = 'cancelled', changed_at = now()
        WHERE occurrence_id = NEW.id AND status IN ('requested', 'confirmed');
    ELSIF NEW.status = 'scheduled' AND (NEW.starts_at, NEW.ends_at) IS DISTINCT FROM (OLD.starts_at, OLD.ends_at) THEN
        UPDATE bookings
        SET during = tstzrange(NEW.starts_at, NEW.ends_at), status = 'requested',
            answered_by = NULL, answered_at = NULL, answered_via = NULL,
            change = 'moved', changed_at = now()
        WHERE occurrence_id = NEW.id AND status IN ('requested', 'confirmed')
          AND NOT during @> tstzrange(NEW.starts_at, NEW.ends_at);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER bookings_follow_occurrence AFTER UPDATE OF status, starts_at, ends_at ON occurrences
    FOR EACH ROW EXECUTE FUNCTION bookings_follow_occurrence();

-- The venue feed reads these: its cache hears of their changes like the other feeds' tables.
CREATE TRIGGER venues_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON venues
    FOR EACH STATEMENT EXECUTE FUNCTION notify_schedule_changed();
CREATE TRIGGER bookings_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bookings
    FOR EACH STATEMENT EXECUTE FUNCTION notify_schedule_changed();
