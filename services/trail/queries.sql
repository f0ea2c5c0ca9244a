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
