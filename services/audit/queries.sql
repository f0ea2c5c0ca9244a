-- name: record(organisation_id, table_name, row_id, action, changes)!
-- A read that matters (a protected address shown, an export), or an erasure, by whoever acts. A
-- read is written once per sitting: not again for the same person and row within 30 minutes.
INSERT INTO audit_log (at, organisation_id, actor_person_id, via, table_name, row_id, action, changes)
SELECT audit_now(), :organisation_id, audit_setting('actor_person')::bigint,
       coalesce(audit_setting('via'), 'job'), :table_name, :row_id, :action, :changes
WHERE :action <> 'read' OR NOT EXISTS (
    SELECT 1 FROM audit_log l
    WHERE l.action = 'read' AND l.table_name = :table_name AND l.row_id IS NOT DISTINCT FROM :row_id
      AND l.actor_person_id IS NOT DISTINCT FROM audit_setting('actor_person')::bigint
      AND l.at > audit_now() - interval '30 minutes');

-- What this context holds about a person (services/audit/privacy.py).

-- name: export_audit(person_id, organisation_id)
-- What the trail holds about her: changes she made, and changes to her own rows.
SELECT to_jsonb(l) AS item FROM audit_log l
WHERE (l.actor_person_id = :person_id
       OR (l.table_name = 'people' AND l.row_id = :person_id)
       OR l.changes -> 'person_id' ->> 0 = :person_id::text
       OR l.changes -> 'person_id' ->> 1 = :person_id::text)
  AND (:organisation_id::bigint IS NULL OR l.organisation_id = :organisation_id)
ORDER BY l.id;

-- name: scrub_trail(person_id, name, pseudonym)!
-- The trail keeps every event but no longer her name: rows about her row, and those of her
-- organisations that quote it. Another organisation's trail stays as it was written.
UPDATE audit_log
SET changes = replace(changes::text, :name, :pseudonym)::jsonb
WHERE changes::text LIKE '%' || :name || '%'
  AND ((table_name = 'people' AND row_id = :person_id)
       OR organisation_id IN (SELECT organisation_id FROM memberships WHERE person_id = :person_id));

-- name: purge_trail(now)$
-- The trail's rows older than their organisation keeps them (the only deletion it allows).
WITH gone AS (
    DELETE FROM audit_log l USING organisations o
    WHERE o.id = l.organisation_id AND l.at < :now::timestamptz - make_interval(days => o.audit_retention_days)
    RETURNING 1
)
SELECT count(*) FROM gone;
-- name: trail(organisation_id, table_name, row_id, actor_person_id, since, until, after_id, limit)
-- An organisation's trail, newest first, filtered; with the actor's name while they have one.
SELECT l.id, l.at, l.actor_person_id, p.display_name AS actor_name, l.via, l.table_name, l.row_id,
       l.action, l.changes
FROM audit_log l LEFT JOIN people p ON p.id = l.actor_person_id
WHERE l.organisation_id = :organisation_id
  AND (:table_name::text IS NULL OR l.table_name = :table_name)
  AND (:row_id::bigint IS NULL OR l.row_id = :row_id)
  AND (:actor_person_id::bigint IS NULL OR l.actor_person_id = :actor_person_id)
  AND (:since::timestamptz IS NULL OR l.at >= :since)
  AND (:until::timestamptz IS NULL OR l.at < :until)
  AND (:after_id::bigint IS NULL OR l.id < :after_id)
ORDER BY l.id DESC
LIMIT :limit;

-- name: audited_tables()
-- The tables the trail follows, as the database has them (a trigger named "audited", migration
-- 0016): the one list, so the board's filter never differs from what is recorded.
SELECT DISTINCT c.relname AS table_name
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE t.tgname = 'audited' AND NOT t.tgisinternal
ORDER BY 1;
