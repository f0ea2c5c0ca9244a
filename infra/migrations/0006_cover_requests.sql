-- Cover requests: a coordinator (or the service) asks the best candidates for a gap by SMS; the
-- first valid yes takes the place, atomically.
CREATE TABLE cover_requests (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  bigint NOT NULL REFERENCES organisations ON DELETE CASCADE,
    occurrence_id    bigint NOT NULL REFERENCES occurrences ON DELETE CASCADE,
    activity_role_id bigint NOT NULL REFERENCES activity_roles ON DELETE CASCADE,
    -- What people answer with ("JA 4821"), so an answer finds its request.
    code             text NOT NULL CHECK (code ~ '^[0-9]{4}$'),
    batch_size       integer NOT NULL CHECK (batch_size BETWEEN 1 AND 50),
    answer_within    interval NOT NULL CHECK (answer_within > interval '0'),
    status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'filled', 'expired', 'cancelled')),
    expires_at       timestamptz NOT NULL,
    created_by       bigint REFERENCES people ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    filled_by        bigint REFERENCES people ON DELETE SET NULL,
    filled_at        timestamptz,
    assignment_id    bigint REFERENCES assignments ON DELETE SET NULL
);
CREATE UNIQUE INDEX cover_requests_one_open ON cover_requests (occurrence_id, activity_role_id) WHERE status = 'open';

CREATE TABLE cover_asks (
    request_id  bigint NOT NULL REFERENCES cover_requests ON DELETE CASCADE,
    person_id   bigint NOT NULL REFERENCES people ON DELETE CASCADE,
    round       integer NOT NULL CHECK (round >= 1),
    asked_at    timestamptz NOT NULL,
    answer      text CHECK (answer IN ('yes', 'no', 'too_late')),
    answered_at timestamptz,
    PRIMARY KEY (request_id, person_id)
);
CREATE INDEX cover_asks_person ON cover_asks (person_id);
