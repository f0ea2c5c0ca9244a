-- Scheduling core: places, recurring activities (series) and their roles, occurrences, assignments,
-- availability, notices for people whose shift changed, and the hours ledger.
-- Capacity and "no double booking" are enforced here, not only in Python.

ALTER TABLE organisations
    ADD COLUMN withdrawal_cutoff_hours integer NOT NULL DEFAULT 24
        CHECK (withdrawal_cutoff_hours BETWEEN 0 AND 720),
    ADD COLUMN horizon_weeks integer NOT NULL DEFAULT 26 CHECK (horizon_weeks BETWEEN 1 AND 104);

CREATE TABLE places (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisations ON DELETE CASCADE,
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    address         text NOT NULL DEFAULT '' CHECK (length(address) <= 500),
    latitude        double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude       double precision CHECK (longitude BETWEEN -180 AND 180),
    -- A protected place (the shelter): its address is shown only to its organisation's coordinators.
    protected       boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE INDEX places_organisation ON places (organisation_id);

CREATE TABLE activities (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id      bigint NOT NULL REFERENCES organisations ON DELETE CASCADE,
    kind                 text NOT NULL CHECK (kind IN
                         ('food_pickup', 'venue_loan', 'outing', 'outreach_visit', 'group_meeting', 'other')),
    title                text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description          text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    time_zone            text NOT NULL CHECK (is_time_zone(time_zone)),
    -- DTSTART as wall-clock time in time_zone: 10:00 stays 10:00 across daylight-saving changes.
    start_local          timestamp NOT NULL,
    duration_minutes     integer NOT NULL CHECK (duration_minutes BETWEEN 1 AND 10080),
    rrule                text CHECK (rrule IS NULL OR length(rrule) BETWEEN 6 AND 500),
    rdates               timestamp[] NOT NULL DEFAULT '{}',
    exdates              timestamp[] NOT NULL DEFAULT '{}',
    -- Last local date of the series; set when "this and following" splits it.
    ends_on              date,
    place_id             bigint REFERENCES places ON DELETE SET NULL,
    details              jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(details) = 'object'),
    -- Participants are only ever a count, never names.
    participant_capacity integer CHECK (participant_capacity BETWEEN 0 AND 1000),
    split_from           bigint REFERENCES activities ON DELETE SET NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activities_organisation ON activities (organisation_id);

-- Partner organisations whose members may sign up (a municipal team and NGOs doing outreach together).
CREATE TABLE activity_shares (
    activity_id     bigint NOT NULL REFERENCES activities ON DELETE CASCADE,
    organisation_id bigint NOT NULL REFERENCES organisations ON DELETE CASCADE,
    PRIMARY KEY (activity_id, organisation_id)
);
CREATE INDEX activity_shares_organisation ON activity_shares (organisation_id);

CREATE TABLE activity_roles (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    activity_id bigint NOT NULL REFERENCES activities ON DELETE CASCADE,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    min_people  integer NOT NULL CHECK (min_people BETWEEN 0 AND 100),
    max_people  integer NOT NULL CHECK (max_people BETWEEN 1 AND 100),
    CHECK (min_people <= max_people)
);
CREATE UNIQUE INDEX activity_roles_name ON activity_roles (activity_id, lower(name));

CREATE TABLE activity_role_qualifications (
    activity_role_id      bigint NOT NULL REFERENCES activity_roles ON DELETE CASCADE,
    qualification_type_id bigint NOT NULL REFERENCES qualification_types ON DELETE CASCADE,
    PRIMARY KEY (activity_role_id, qualification_type_id)
);

CREATE TABLE occurrences (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    activity_id bigint NOT NULL REFERENCES activities ON DELETE CASCADE,
    -- The series date this occurrence stands for; stays when the occurrence is moved.
    local_date  date NOT NULL,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    place_id    bigint REFERENCES places ON DELETE SET NULL,
    status      text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    -- Edited on its own: later edits of the whole series leave it as it is.
    detached    boolean NOT NULL DEFAULT false,
    -- Grows with every change a calendar must show (RFC 5545 SEQUENCE).
    sequence    integer NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at),
    UNIQUE (activity_id, local_date)
);
CREATE INDEX occurrences_starts_at ON occurrences (starts_at);

CREATE TABLE assignments (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurrence_id    bigint NOT NULL REFERENCES occurrences ON DELETE CASCADE,
    activity_role_id bigint NOT NULL REFERENCES activity_roles ON DELETE CASCADE,
    person_id        bigint NOT NULL REFERENCES people ON DELETE CASCADE,
    status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn', 'removed')),
    source           text NOT NULL CHECK (source IN ('signup', 'assigned')),
    -- The occurrence's time while it is scheduled, empty while cancelled; kept by triggers below.
    during           tstzrange NOT NULL DEFAULT 'empty',
    late             boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now(),
    created_by       bigint REFERENCES people ON DELETE SET NULL,
    ended_at         timestamptz,
    ended_by         bigint REFERENCES people ON DELETE SET NULL,
    attendance       text CHECK (attendance IN ('attended', 'no_show')),
    attendance_by    bigint REFERENCES people ON DELETE SET NULL,
    attendance_at    timestamptz,
    -- Nobody is in two places at once. (int8range instead of btree_gist's "=", which the
    -- embedded PostgreSQL does not ship.)
    CONSTRAINT no_overlapping_assignment EXCLUDE USING gist (
        (int8range(person_id, person_id, '[]')) WITH &&, during WITH &&
    ) WHERE (status = 'active')
);
CREATE UNIQUE INDEX assignments_one_role_per_occurrence ON assignments (occurrence_id, person_id)
    WHERE status = 'active';
CREATE INDEX assignments_person ON assignments (person_id);

-- The place counter: an active assignment is only written while its role has room. The occurrence
-- row lock makes concurrent sign-ups for one occurrence take turns, so the count is exact.
CREATE FUNCTION assignments_check_room() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    occurrence occurrences%ROWTYPE;
    room integer;
    taken integer;
BEGIN
    IF NEW.status <> 'active' OR (TG_OP = 'UPDATE' AND OLD.status = 'active') THEN
        RETURN NEW;
    END IF;
    SELECT * INTO occurrence FROM occurrences WHERE id = NEW.occurrence_id FOR UPDATE;
    SELECT max_people INTO room FROM activity_roles WHERE id = NEW.activity_role_id;
    SELECT count(*) INTO taken FROM assignments
    WHERE occurrence_id = NEW.occurrence_id AND activity_role_id = NEW.activity_role_id
      AND status = 'active' AND id <> NEW.id;
    IF taken >= room THEN
        RAISE EXCEPTION 'role % of occurrence % is full', NEW.activity_role_id, NEW.occurrence_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'role_full';
    END IF;
    NEW.during := CASE WHEN occurrence.status = 'scheduled'
                       THEN tstzrange(occurrence.starts_at, occurrence.ends_at) ELSE 'empty' END;
    RETURN NEW;
END $$;
CREATE TRIGGER assignments_room BEFORE INSERT OR UPDATE OF status ON assignments
    FOR EACH ROW EXECUTE FUNCTION assignments_check_room();

-- A moved, cancelled or restored occurrence carries its assignments' times along, so the overlap
-- constraint keeps holding (a change that would double-book someone fails).
CREATE FUNCTION occurrences_carry_time() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE assignments
    SET during = CASE WHEN NEW.status = 'scheduled'
                      THEN tstzrange(NEW.starts_at, NEW.ends_at) ELSE 'empty' END
    WHERE occurrence_id = NEW.id AND status = 'active';
    RETURN NEW;
END $$;
CREATE TRIGGER occurrences_time AFTER UPDATE OF starts_at, ends_at, status ON occurrences
    FOR EACH ROW EXECUTE FUNCTION occurrences_carry_time();

-- What people on a changed shift must be told (SMS come from a later issue).
CREATE TABLE assignment_notices (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assignment_id bigint NOT NULL REFERENCES assignments ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('moved', 'place_changed', 'cancelled', 'restored', 'removed')),
    details       jsonb NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    handled_at    timestamptz
);
CREATE INDEX assignment_notices_unhandled ON assignment_notices (created_at) WHERE handled_at IS NULL;

-- Weekly availability (ISO weekday 1 = Monday) and blackout periods, per person.
CREATE TABLE availability (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id   bigint NOT NULL REFERENCES people ON DELETE CASCADE,
    weekday     smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_local time NOT NULL,
    end_local   time NOT NULL,
    CHECK (end_local > start_local)
);
CREATE INDEX availability_person ON availability (person_id);

CREATE TABLE blackouts (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id bigint NOT NULL REFERENCES people ON DELETE CASCADE,
    starts_at timestamptz NOT NULL,
    ends_at   timestamptz NOT NULL,
    note      text NOT NULL DEFAULT '' CHECK (length(note) <= 200),
    CHECK (ends_at > starts_at)
);
CREATE INDEX blackouts_person ON blackouts (person_id);

-- Hours volunteered: attended assignments, counted at the occurrence's length.
CREATE VIEW hours_ledger AS
SELECT a.id AS assignment_id, a.person_id, act.organisation_id, act.kind, act.id AS activity_id,
       o.id AS occurrence_id, o.local_date,
       extract(epoch FROM (o.ends_at - o.starts_at)) / 3600.0 AS hours
FROM assignments a
JOIN occurrences o ON o.id = a.occurrence_id
JOIN activities act ON act.id = o.activity_id
WHERE a.attendance = 'attended';

-- The names of the qualifications a role needs that the person does not hold on that date. A
-- qualification counts when it was recorded by the activity's organisation or a partner it is
-- shared with, and is valid on the day (one that expired before it does not count).
CREATE FUNCTION missing_qualifications(role_id bigint, person bigint, on_date date)
RETURNS SETOF text LANGUAGE sql STABLE AS $$
    SELECT needed.name
    FROM activity_role_qualifications rq
    JOIN activity_roles r ON r.id = rq.activity_role_id
    JOIN activities a ON a.id = r.activity_id
    JOIN qualification_types needed ON needed.id = rq.qualification_type_id
    WHERE rq.activity_role_id = role_id
      AND NOT EXISTS (
          SELECT 1
          FROM person_qualifications pq
          JOIN qualification_types held ON held.id = pq.qualification_type_id
          WHERE pq.person_id = person
            AND lower(held.name) = lower(needed.name)
            AND (held.organisation_id = a.organisation_id
                 OR held.organisation_id IN (SELECT s.organisation_id FROM activity_shares s
                                             WHERE s.activity_id = a.id))
            AND (pq.valid_from IS NULL OR pq.valid_from <= on_date)
            AND (pq.valid_until IS NULL OR pq.valid_until >= on_date))
    ORDER BY needed.name
$$;
