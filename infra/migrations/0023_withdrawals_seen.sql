-- Every withdrawal reaches a coordinator: how she left (the audit trail's "via" of the change:
-- sms, page, api) is kept on the assignment, and the board shows it until a coordinator has seen it.
ALTER TABLE assignments
    ADD COLUMN ended_via text CHECK (ended_via IN ('api', 'page', 'sms', 'link', 'job', 'cli')),
    ADD COLUMN seen_at timestamptz,
    ADD COLUMN seen_by bigint REFERENCES people ON DELETE SET NULL;
CREATE INDEX assignments_left_unseen ON assignments (ended_at) WHERE status = 'withdrawn' AND seen_at IS NULL;
