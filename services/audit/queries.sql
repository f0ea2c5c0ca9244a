-- name: record(organisation_id, table_name, row_id, action, changes)!
-- A read that matters (a protected address shown, an export), or an erasure, by whoever acts.
INSERT INTO audit_log (at, organisation_id, actor_person_id, via, table_name, row_id, action, changes)
VALUES (audit_now(), :organisation_id, audit_setting('actor_person')::bigint,
        coalesce(audit_setting('via'), 'job'), :table_name, :row_id, :action, :changes);
