-- SMS: an outbox row for every message, written in the same transaction as the change that causes
-- it; reminder settings; replies and webhook receipts.

ALTER TABLE organisations
    ADD COLUMN reminder_offsets_minutes integer[] NOT NULL DEFAULT '{1440,120}'
        CHECK (array_length(reminder_offsets_minutes, 1) IS NULL
               OR (0 < ALL (reminder_offsets_minutes) AND 20160 >= ALL (reminder_offsets_minutes)));
ALTER TABLE people
    -- NULL: the organisation's defaults; '{}': no reminders.
    ADD COLUMN reminder_offsets_minutes integer[]
        CHECK (reminder_offsets_minutes IS NULL OR array_length(reminder_offsets_minutes, 1) IS NULL
               OR (0 < ALL (reminder_offsets_minutes) AND 20160 >= ALL (reminder_offsets_minutes))),
    ADD COLUMN sms_opted_out_at timestamptz;
ALTER TABLE assignments ADD COLUMN confirmed_at timestamptz;

CREATE TABLE sms_outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- What the message is about, e.g. reminder:<assignment>:<minutes>:<start>. Planning twice
    -- creates nothing new.
    key             text NOT NULL UNIQUE,
    kind            text NOT NULL CHECK (kind IN ('reminder', 'change_notice', 'reply', 'message')),
    organisation_id bigint REFERENCES organisations ON DELETE CASCADE,
    person_id       bigint REFERENCES people ON DELETE CASCADE,
    assignment_id   bigint REFERENCES assignments ON DELETE SET NULL,
    to_phone        text NOT NULL CHECK (to_phone ~ '^\+[1-9][0-9]{6,14}$'),
    body            text NOT NULL CHECK (length(body) BETWEEN 1 AND 1600),
    segments        integer NOT NULL CHECK (segments >= 1),
    due_at          timestamptz NOT NULL,
    -- pending: waits for due_at; queued: claimed by a dispatcher, no attempt begun; sending: an
    -- attempt began (a crash here makes the outcome unknown); unknown: never resent until
    -- reconciled; accepted/sent/delivered/undelivered/failed: as Twilio reports.
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN
                    ('pending', 'queued', 'sending', 'unknown', 'accepted', 'sent', 'delivered',
                     'undelivered', 'failed', 'cancelled')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT '-infinity',
    queued_at       timestamptz,
    send_started_at timestamptz,
    sid             text UNIQUE,
    error_code      text,
    error_message   text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sms_outbox_due ON sms_outbox (due_at) WHERE status = 'pending';
CREATE INDEX sms_outbox_stale ON sms_outbox (status, updated_at) WHERE status IN ('queued', 'sending', 'unknown');
CREATE INDEX sms_outbox_assignment ON sms_outbox (assignment_id) WHERE status = 'pending';

-- A webhook Twilio retries carries the same idempotency token: the second has no effect.
CREATE TABLE webhook_receipts (
    token       text PRIMARY KEY,
    response    text NOT NULL DEFAULT '',
    received_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sms_replies (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sid         text NOT NULL UNIQUE,
    from_phone  text NOT NULL,
    person_id   bigint REFERENCES people ON DELETE SET NULL,
    body        text NOT NULL,
    understood  text NOT NULL CHECK (understood IN ('yes', 'no', 'stop', 'start', 'help', 'unknown')),
    assignment_id bigint REFERENCES assignments ON DELETE SET NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
