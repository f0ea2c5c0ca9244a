-- Notices apart from the channel that carries them. The outbox holds one row per notice and
-- channel: SMS today; a new channel adds its name to the two checks below (and to
-- services/notices/channels.py). What is SMS-only (a phone number's form, segments) is checked
-- for SMS rows only.
ALTER TABLE sms_outbox RENAME TO outbox;
ALTER INDEX sms_outbox_due RENAME TO outbox_due;
ALTER INDEX sms_outbox_stale RENAME TO outbox_stale;
ALTER INDEX sms_outbox_assignment RENAME TO outbox_assignment;
ALTER INDEX sms_outbox_person RENAME TO outbox_person;

-- SMS where a row does not say (every row before this migration was one).
ALTER TABLE outbox ADD COLUMN channel text NOT NULL DEFAULT 'sms';
ALTER TABLE outbox ADD CONSTRAINT outbox_channel_known CHECK (channel IN ('sms'));

-- Where the notice goes on its channel: a phone number for SMS, an address for email.
ALTER TABLE outbox RENAME COLUMN to_phone TO to_address;
ALTER TABLE outbox DROP CONSTRAINT sms_outbox_to_phone_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_address_fits_channel
    CHECK (channel <> 'sms' OR to_address ~ '^\+[1-9][0-9]{6,14}$');
ALTER TABLE outbox ALTER COLUMN segments DROP NOT NULL;
ALTER TABLE outbox ADD CONSTRAINT outbox_sms_has_segments CHECK (channel <> 'sms' OR segments IS NOT NULL);

-- The carrier's own id for the message (Twilio's SID for SMS).
ALTER TABLE outbox RENAME COLUMN sid TO provider_id;
ALTER TABLE outbox RENAME CONSTRAINT sms_outbox_sid_key TO outbox_provider_id_key;

-- The same notice once per channel.
ALTER TABLE outbox DROP CONSTRAINT sms_outbox_key_key;
ALTER TABLE outbox ADD CONSTRAINT outbox_once_per_channel UNIQUE (key, channel);

-- How a person would rather be told; a notice goes there when it can reach her, else on the
-- first channel that can.
ALTER TABLE people ADD COLUMN notice_channel text NOT NULL DEFAULT 'sms'
    CONSTRAINT people_notice_channel_known CHECK (notice_channel IN ('sms'));
