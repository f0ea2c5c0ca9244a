-- name: series_to_materialise(activity_ids)
-- activity_ids NULL: every series (the worker's cron job).
SELECT a.id, a.start_local, a.duration_minutes, a.time_zone, a.rrule, a.rdates, a.exdates, a.ends_on,
       a.place_id, o.horizon_weeks
FROM activities a
JOIN organisations o ON o.id = a.organisation_id
WHERE :activity_ids::bigint[] IS NULL OR a.id = ANY(:activity_ids::bigint[]);

-- name: series_of_organisation(organisation_id)
SELECT id FROM activities WHERE organisation_id = :organisation_id;

-- name: insert_occurrences(activity_ids, local_dates, starts, ends, place_ids)$
-- Materialising twice changes nothing: a date that has its row keeps it as it is.
WITH added AS (
    INSERT INTO occurrences (activity_id, local_date, starts_at, ends_at, place_id)
    SELECT * FROM unnest(:activity_ids::bigint[], :local_dates::date[], :starts::timestamptz[],
                         :ends::timestamptz[], :place_ids::bigint[])
    ON CONFLICT (activity_id, local_date) DO NOTHING
    RETURNING 1
)
SELECT count(*) FROM added;

-- name: occurrences_from(activity_id, from_date)
SELECT id, local_date, starts_at, ends_at, place_id, status, detached, sequence
FROM occurrences WHERE activity_id = :activity_id AND local_date >= :from_date
ORDER BY local_date;

-- name: get_occurrence(id)^
SELECT o.*, a.organisation_id, a.time_zone, a.kind, a.title, a.duration_minutes,
       coalesce((SELECT array_agg(s.organisation_id) FROM activity_shares s
                 WHERE s.activity_id = a.id), '{}') AS shared_with
FROM occurrences o JOIN activities a ON a.id = o.activity_id
WHERE o.id = :id;

-- name: update_occurrence(id, starts_at, ends_at, place_id, status, detached, now)!
-- Every change a calendar must show raises the sequence.
UPDATE occurrences
SET starts_at = :starts_at, ends_at = :ends_at, place_id = :place_id, status = :status,
    detached = :detached, sequence = sequence + 1, updated_at = :now
WHERE id = :id;

-- name: hand_over(old_activity_id, new_activity_id, from_date)!
-- "This and following": the occurrences and their sign-ups move to the new series; each
-- assignment follows to the new series' role of the same name.
WITH moved AS (
    UPDATE occurrences SET activity_id = :new_activity_id
    WHERE activity_id = :old_activity_id AND local_date >= :from_date
    RETURNING id
)
UPDATE assignments a
SET activity_role_id = new_role.id
FROM activity_roles old_role, activity_roles new_role
WHERE a.occurrence_id IN (SELECT id FROM moved)
  AND old_role.id = a.activity_role_id
  AND new_role.activity_id = :new_activity_id
  AND lower(new_role.name) = lower(old_role.name);

-- name: notify_assigned(occurrence_id, kind, details, now)!
INSERT INTO assignment_notices (assignment_id, kind, details, created_at)
SELECT id, :kind, :details, :now FROM assignments
WHERE occurrence_id = :occurrence_id AND status = 'active';

-- name: staffing(organisation_id, starts_from, starts_before, activity_id, occurrence_ids)
-- Occurrences this organisation can see in a window (or these ones), with who holds each role.
SELECT o.id, o.activity_id, a.organisation_id, a.kind, a.title, o.local_date, o.starts_at, o.ends_at,
       a.time_zone, o.status, o.sequence, o.place_id,
       r.id AS role_id, r.name AS role_name, r.min_people, r.max_people,
       coalesce(array_agg(asg.person_id ORDER BY asg.id) FILTER (WHERE asg.id IS NOT NULL), '{}') AS people
FROM occurrences o
JOIN activities a ON a.id = o.activity_id
JOIN activity_roles r ON r.activity_id = a.id
LEFT JOIN assignments asg ON asg.occurrence_id = o.id AND asg.activity_role_id = r.id AND asg.status = 'active'
WHERE (a.organisation_id = :organisation_id
       OR EXISTS (SELECT 1 FROM activity_shares s WHERE s.activity_id = a.id AND s.organisation_id = :organisation_id))
  AND (:occurrence_ids::bigint[] IS NULL OR o.id = ANY(:occurrence_ids))
  AND (:activity_id::bigint IS NULL OR a.id = :activity_id)
  AND (:occurrence_ids::bigint[] IS NOT NULL OR (o.starts_at >= :starts_from AND o.starts_at < :starts_before))
GROUP BY o.id, a.id, r.id
ORDER BY o.starts_at, o.id, r.id;

-- name: places_by_id(ids)
SELECT id, organisation_id, name, address, protected, latitude, longitude
FROM places WHERE id = ANY(:ids::bigint[]);
