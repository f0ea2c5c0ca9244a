-- A protected address shown is written to the trail once per sitting (services/audit/queries.sql:
-- record): finding the same person's last read of the same row must not scan the trail.
CREATE INDEX audit_log_reads ON audit_log (actor_person_id, table_name, row_id, at) WHERE action = 'read';

-- Who left which shift herself, how and when: one reading for the board (left, not yet seen) and
-- for her own page (what she may still take back), services/assignments/queries.sql. A shift
-- handed over to a colleague (a swap) never stood open, and a removal is a coordinator's own doing.
CREATE VIEW withdrawals AS
SELECT asg.id, asg.person_id, p.display_name, asg.ended_at, asg.ended_via, asg.ended_by, asg.late,
       asg.seen_at, o.id AS occurrence_id, o.starts_at, o.ends_at, o.status AS occurrence_status,
       a.title, a.time_zone, a.organisation_id, r.id AS role_id, r.name AS role_name
FROM assignments asg
JOIN people p ON p.id = asg.person_id
JOIN occurrences o ON o.id = asg.occurrence_id
JOIN activities a ON a.id = o.activity_id
JOIN activity_roles r ON r.id = asg.activity_role_id
WHERE asg.status = 'withdrawn' AND asg.ended_by = asg.person_id;

-- When a coordinator last opened the gap board (on any of her browsers): the board shows what
-- changed since (services/access/sessions.py: looked_at_board).
ALTER TABLE sessions ADD COLUMN board_looked_at timestamptz;
