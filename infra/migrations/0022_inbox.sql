-- Nothing a volunteer says is lost: a text the service could not act on as an answer (or that says
-- more than its answer) waits in the board's inbox until a coordinator marks it done. A
-- coordinator's answer from the inbox is an outbox row that names the text it answers.
ALTER TABLE sms_replies
    ADD COLUMN for_a_person boolean NOT NULL DEFAULT false,
    ADD COLUMN done_at timestamptz,
    ADD COLUMN done_by bigint REFERENCES people ON DELETE SET NULL,
    ADD CONSTRAINT sms_replies_done_by_when_done CHECK (done_by IS NULL OR done_at IS NOT NULL);
CREATE INDEX sms_replies_waiting ON sms_replies (organisation_id, id) WHERE for_a_person AND done_at IS NULL;

ALTER TABLE outbox ADD COLUMN answers_reply bigint REFERENCES sms_replies ON DELETE SET NULL;
CREATE INDEX outbox_answers_reply ON outbox (answers_reply) WHERE answers_reply IS NOT NULL;
