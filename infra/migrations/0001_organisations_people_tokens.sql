-- Organisations, people, their roles in organisations, API tokens and qualifications.
-- Invariants live here as well as in Python: the database refuses what the API would refuse.

CREATE FUNCTION is_time_zone(name text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    PERFORM timestamptz '2000-01-01 00:00+00' AT TIME ZONE name;
    RETURN name ~ '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$';
EXCEPTION WHEN invalid_parameter_value THEN
    RETURN false;
END $$;

CREATE TABLE organisations (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug             text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind             text NOT NULL
                     CHECK (kind IN ('support_organisation', 'municipal_team', 'partner_congregation')),
    -- ISO 3166 country: the region in which local phone numbers ("070-...") are read.
    country          text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    default_language text NOT NULL CHECK (default_language IN ('sv', 'nb', 'cs', 'en')),
    time_zone        text NOT NULL CHECK (is_time_zone(time_zone)),
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE people (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    -- E.164; NULL for someone reached only by their coordinator.
    phone        text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    language     text NOT NULL CHECK (language IN ('sv', 'nb', 'cs', 'en')),
    time_zone    text NOT NULL CHECK (is_time_zone(time_zone)),
    sms_consent  boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX people_phone ON people (phone);

CREATE TABLE memberships (
    organisation_id bigint NOT NULL REFERENCES organisations ON DELETE CASCADE,
    person_id       bigint NOT NULL REFERENCES people ON DELETE CASCADE,
    role            text NOT NULL CHECK (role IN ('coordinator', 'volunteer', 'partner_contact')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, person_id, role)
);
CREATE INDEX memberships_person ON memberships (person_id);

-- A token acts for one person in one organisation; the secret itself is never stored.
CREATE TABLE api_tokens (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisations ON DELETE CASCADE,
    person_id       bigint NOT NULL REFERENCES people ON DELETE CASCADE,
    token_hash      bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    label           text NOT NULL DEFAULT '' CHECK (length(label) <= 100),
    created_by      bigint REFERENCES people ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz,
    revoked_at      timestamptz,
    last_used_at    timestamptz,
    CHECK (expires_at IS NULL OR expires_at > created_at)
);
CREATE INDEX api_tokens_person ON api_tokens (organisation_id, person_id);

CREATE TABLE qualification_types (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisations ON DELETE CASCADE,
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX qualification_types_name ON qualification_types (organisation_id, lower(name));

CREATE TABLE person_qualifications (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id             bigint NOT NULL REFERENCES people ON DELETE CASCADE,
    qualification_type_id bigint NOT NULL REFERENCES qualification_types ON DELETE CASCADE,
    valid_from            date,
    valid_until           date,
    recorded_by           bigint REFERENCES people ON DELETE SET NULL,
    recorded_at           timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until >= valid_from)
);
CREATE INDEX person_qualifications_person ON person_qualifications (person_id);
