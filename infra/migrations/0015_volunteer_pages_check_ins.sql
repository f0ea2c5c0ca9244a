-- A volunteer on a full shift can ask to be told when a place frees; each freed place texts every
-- watcher once (first to take it wins, by the sign-up rules).
CREATE TABLE shift_watches (
    occurrence_id bigint NOT NULL REFERENCES occurrences ON DELETE CASCADE,
    person_id     bigint NOT NULL REFERENCES people ON DELETE CASCADE,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (occurrence_id, person_id)
);
CREATE INDEX shift_watches_person ON shift_watches (person_id);

-- Outreach pairs check in when a visit ends: how long the organisation waits before it alerts its
-- on-duty coordinators (an activity may wait longer or shorter), and who is on duty.
ALTER TABLE organisations ADD COLUMN check_in_minutes integer NOT NULL DEFAULT 30
    CHECK (check_in_minutes BETWEEN 5 AND 720);
ALTER TABLE activities ADD COLUMN check_in_minutes integer
    CHECK (check_in_minutes BETWEEN 5 AND 720);  -- NULL: the organisation's
CREATE TABLE on_duty (
    organisation_id bigint NOT NULL,
    person_id       bigint NOT NULL,
    role            text NOT NULL DEFAULT 'coordinator' CHECK (role = 'coordinator'),
    since           timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, person_id),
    FOREIGN KEY (organisation_id, person_id, role) REFERENCES memberships ON DELETE CASCADE
);

-- One row per person on an ended outreach visit: asked once, safe when they answer.
CREATE TABLE check_ins (
    occurrence_id bigint NOT NULL REFERENCES occurrences ON DELETE CASCADE,
    person_id     bigint NOT NULL REFERENCES people ON DELETE CASCADE,
    asked_at      timestamptz NOT NULL,
    safe_at       timestamptz,
    PRIMARY KEY (occurrence_id, person_id)
);
CREATE INDEX check_ins_waiting ON check_ins (person_id) WHERE safe_at IS NULL;

-- The alerts when nobody of a visit checked in: level 1 the on-duty coordinators, level 2 all of
-- them. The primary key makes each go once however many workers run the job.
CREATE TABLE check_in_alerts (
    occurrence_id bigint NOT NULL REFERENCES occurrences ON DELETE CASCADE,
    level         smallint NOT NULL CHECK (level IN (1, 2)),
    sent_at       timestamptz NOT NULL,
    PRIMARY KEY (occurrence_id, level)
);

-- An SMS "LINK" (LÄNK, LENKE, ODKAZ) asks for a fresh link to one's own page.
ALTER TABLE sms_replies DROP CONSTRAINT sms_replies_understood_check;
ALTER TABLE sms_replies ADD CONSTRAINT sms_replies_understood_check
    CHECK (understood IN ('yes', 'no', 'stop', 'start', 'help', 'link', 'unknown'));

-- How many hold each role of an occurrence: asked for every open shift a volunteer's page lists.
CREATE INDEX assignments_role_taken ON assignments (occurrence_id, activity_role_id) WHERE status = 'active';
