-- A protected address shown is written to the trail once per sitting (services/audit/queries.sql:
-- record): finding the same person's last read of the same row must not scan the trail.
CREATE INDEX audit_log_reads ON audit_log (actor_person_id, table_name, row_id, at) WHERE action = 'read';
