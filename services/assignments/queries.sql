-- name: member_roles(organisation_id, person_id)$
SELECT coalesce(array_agg(role), '{}') FROM memberships
WHERE organisation_id = :organisation_id AND person_id = :person_id;

-- name: planner_roles(occurrence_id, person_id)$
-- Her roles in the organisations that plan this occurrence together: its owner and its partners.
SELECT coalesce(array_agg(DISTINCT role), '{}') FROM memberships
WHERE person_id = :person_id AND organisation_id IN
    (SELECT a.organisation_id FROM occurrences oo JOIN activities a ON a.id = oo.activity_id
     WHERE oo.id = :occurrence_id
     UNION
     SELECT s.organisation_id FROM occurrences oo JOIN activity_shares s ON s.activity_id = oo.activity_id
     WHERE oo.id = :occurrence_id);

-- name: role_of_activity(role_id, activity_id)^
SELECT id, name, min_people, max_people FROM activity_roles WHERE id = :role_id AND activity_id = :activity_id;

-- name: missing_qualifications(role_id, person_id, on_date)
SELECT missing_qualifications(:role_id, :person_id, :on_date) AS name;

-- name: expired_qualifications(person_id, names, on_date)
-- Of the qualifications she lacks on the day, those she held until before it, and when they ended.
SELECT t.name, max(q.valid_until) AS expired_on
FROM person_qualifications q
JOIN qualification_types t ON t.id = q.qualification_type_id
WHERE q.person_id = :person_id AND t.name = ANY(:names::text[]) AND q.valid_until < :on_date
GROUP BY t.name;

-- name: insert_assignment(occurrence_id, role_id, person_id, source, created_by, now)^
INSERT INTO assignments (occurrence_id, activity_role_id, person_id, source, created_by, created_at)
VALUES (:occurrence_id, :role_id, :person_id, :source, :created_by, :now)
RETURNING id;

-- name: get_assignment(id)^
SELECT asg.id, asg.occurrence_id, asg.activity_role_id AS role_id, asg.person_id, asg.status, asg.source,
       asg.late, asg.attendance, asg.code, o.starts_at, o.ends_at, a.title, a.organisation_id,
       org.withdrawal_cutoff_hours, (SELECT p.display_name FROM people p WHERE p.id = asg.person_id) AS display_name,
       coalesce((SELECT array_agg(s.organisation_id) FROM activity_shares s
                 WHERE s.activity_id = a.id), '{}') AS shared_with
FROM assignments asg
JOIN occurrences o ON o.id = asg.occurrence_id
JOIN activities a ON a.id = o.activity_id
JOIN organisations org ON org.id = a.organisation_id
WHERE asg.id = :id;

-- name: end_assignment(id, status, late, ended_by, now)!
-- How she left is what the request acts through (services/db.act_as): sms, page, api…
UPDATE assignments SET status = :status, late = :late, ended_by = :ended_by, ended_at = :now,
       ended_via = nullif(current_setting('volops.via', true), '')
WHERE id = :id AND status = 'active';

-- name: notify_one(assignment_id, kind, now)!
INSERT INTO assignment_notices (assignment_id, kind, created_at) VALUES (:assignment_id, :kind, :now);

-- name: mark_attendance(id, attendance, marked_by, now)!
UPDATE assignments SET attendance = :attendance, attendance_by = :marked_by, attendance_at = :now
WHERE id = :id;

-- name: assignments_of_person(organisation_id, person_id, starts_from, limit)
-- A person's own current assignments on activities this organisation can see.
SELECT asg.id, asg.occurrence_id, asg.activity_role_id AS role_id, asg.person_id, asg.status, asg.source,
       asg.late, asg.attendance, asg.code, o.starts_at, o.ends_at, a.title
FROM assignments asg
JOIN occurrences o ON o.id = asg.occurrence_id
JOIN activities a ON a.id = o.activity_id
WHERE asg.person_id = :person_id AND asg.status = 'active' AND o.ends_at >= :starts_from
  AND (a.organisation_id = :organisation_id
       OR EXISTS (SELECT 1 FROM activity_shares s WHERE s.activity_id = a.id AND s.organisation_id = :organisation_id))
ORDER BY o.starts_at
LIMIT :limit;

-- name: open_places(organisation_id, person_id, starts_from, starts_before)
-- The roles this person could take on each coming occurrence (qualified on the day, no clash, not
-- on it yet): those with a place free now, and those full, that she could take if one freed up.
SELECT o.id AS occurrence_id,
       coalesce(array_agg(r.id ORDER BY r.id) FILTER (WHERE room.taken < r.max_people), '{}') AS open_role_ids,
       coalesce(array_agg(r.id ORDER BY r.id) FILTER (WHERE room.taken >= r.max_people), '{}') AS full_role_ids
FROM occurrences o
JOIN activities a ON a.id = o.activity_id
JOIN activity_roles r ON r.activity_id = a.id
CROSS JOIN LATERAL (SELECT count(*) AS taken FROM assignments x
                    WHERE x.occurrence_id = o.id AND x.activity_role_id = r.id AND x.status = 'active') room
WHERE (a.organisation_id = :organisation_id
       OR EXISTS (SELECT 1 FROM activity_shares s WHERE s.activity_id = a.id AND s.organisation_id = :organisation_id))
  AND o.status = 'scheduled' AND o.starts_at >= :starts_from AND o.starts_at < :starts_before
  AND NOT EXISTS (SELECT 1 FROM assignments mine
                  WHERE mine.person_id = :person_id AND mine.status = 'active'
                    AND (mine.occurrence_id = o.id OR mine.during && tstzrange(o.starts_at, o.ends_at)))
  AND NOT EXISTS (SELECT 1 FROM missing_qualifications(r.id, :person_id, o.local_date))
GROUP BY o.id
ORDER BY min(o.starts_at), o.id;

-- name: is_on(occurrence_id, person_id)$
SELECT EXISTS (SELECT 1 FROM assignments
               WHERE occurrence_id = :occurrence_id AND person_id = :person_id AND status = 'active');

-- name: assignment_by_code(person_id, code, now)^
-- The current shift an answer's code names.
SELECT asg.id, asg.occurrence_id, a.organisation_id, o.starts_at, a.title, a.time_zone
FROM assignments asg
JOIN occurrences o ON o.id = asg.occurrence_id
JOIN activities a ON a.id = o.activity_id
WHERE asg.person_id = :person_id AND asg.code = :code AND asg.status = 'active'
  AND o.status = 'scheduled' AND o.ends_at > :now;

-- name: confirm(id, now)!
UPDATE assignments SET confirmed_at = :now WHERE id = :id;

-- name: on_occurrence(occurrence_id)
-- Who is on an occurrence now, by role, with their attendance and what of the role's needs they
-- lack that day.
SELECT asg.id, asg.activity_role_id AS role_id, asg.person_id, p.display_name, asg.late, asg.attendance, asg.source,
       ARRAY(SELECT missing_qualifications(asg.activity_role_id, asg.person_id, o.local_date)) AS lacks
FROM assignments asg
JOIN people p ON p.id = asg.person_id
JOIN occurrences o ON o.id = asg.occurrence_id
WHERE asg.occurrence_id = :occurrence_id AND asg.status = 'active'
ORDER BY asg.activity_role_id, asg.id;

-- name: watch(occurrence_id, person_id, now)!
INSERT INTO shift_watches (occurrence_id, person_id, created_at) VALUES (:occurrence_id, :person_id, :now)
ON CONFLICT DO NOTHING;

-- name: unwatch(occurrence_id, person_id)!
DELETE FROM shift_watches WHERE occurrence_id = :occurrence_id AND person_id = :person_id;

-- name: watched(person_id)
SELECT occurrence_id FROM shift_watches WHERE person_id = :person_id;

-- name: watchers(occurrence_id)
-- Who asked to hear when a place frees here (and is not on it already).
SELECT p.id
FROM shift_watches w JOIN people p ON p.id = w.person_id
WHERE w.occurrence_id = :occurrence_id
  AND NOT EXISTS (SELECT 1 FROM assignments asg
                  WHERE asg.occurrence_id = w.occurrence_id AND asg.person_id = w.person_id AND asg.status = 'active')
ORDER BY w.created_at, p.id;

-- name: shifts_of_person(person_id, starts_from, starts_before)
-- A volunteer's own shifts, in every organisation, as her page shows them: who else is on each by
-- first name only, and whether she has offered it to someone.
SELECT asg.id, asg.occurrence_id, asg.late, asg.code, asg.attendance, o.starts_at, o.ends_at,
       o.status AS occurrence_status, o.place_id, a.title, a.kind, a.time_zone, a.organisation_id,
       r.name AS role_name, (a.details #>> '{food_pickup,dropoff_place_id}')::bigint AS dropoff_place_id,
       array(SELECT split_part(p.display_name, ' ', 1)
             FROM assignments x JOIN people p ON p.id = x.person_id
             WHERE x.occurrence_id = o.id AND x.status = 'active' AND x.person_id <> asg.person_id
             ORDER BY p.display_name) AS others,
       (SELECT s.id FROM swap_offers s WHERE s.assignment_id = asg.id AND s.status = 'open') AS offer_id
FROM assignments asg
JOIN occurrences o ON o.id = asg.occurrence_id
JOIN activities a ON a.id = o.activity_id
JOIN activity_roles r ON r.id = asg.activity_role_id
WHERE asg.person_id = :person_id AND asg.status = 'active'
  AND o.ends_at >= :starts_from AND o.starts_at < :starts_before
ORDER BY o.starts_at, asg.id;

-- name: volunteer_organisations(person_id)
-- The organisations where a person takes shifts: her page offers their open shifts.
SELECT organisation_id FROM memberships
WHERE person_id = :person_id AND role = 'volunteer'
ORDER BY organisation_id;

-- What this context holds about a person (services/assignments/privacy.py).

-- name: export_assignments(person_id, organisation_id)
-- Her shifts and attendance, and what she did to others' as a coordinator.
SELECT to_jsonb(asg) - 'during' || jsonb_build_object('activity', a.title, 'starts_at', o.starts_at,
                                                      'role', r.name, 'organisation_id', a.organisation_id) AS item
FROM assignments asg
JOIN occurrences o ON o.id = asg.occurrence_id
JOIN activities a ON a.id = o.activity_id
JOIN activity_roles r ON r.id = asg.activity_role_id
WHERE :person_id IN (asg.person_id, asg.created_by, asg.ended_by, asg.attendance_by, asg.seen_by)
  AND (:organisation_id::bigint IS NULL OR a.organisation_id = :organisation_id
       OR EXISTS (SELECT 1 FROM activity_shares s WHERE s.activity_id = a.id AND s.organisation_id = :organisation_id))
ORDER BY o.starts_at, asg.id;

-- name: erase_watches(person_id)!
DELETE FROM shift_watches WHERE person_id = :person_id;

-- name: export_watches(person_id)
SELECT to_jsonb(w) AS item FROM shift_watches w WHERE w.person_id = :person_id;

-- name: left_unseen(organisation_id, occurrence_id, now)
-- Who left a coming shift of this organisation's (or of one date of it) and no coordinator has
-- seen it yet: who, which shift, how and when.
SELECT * FROM withdrawals
WHERE organisation_id = :organisation_id AND seen_at IS NULL
  AND ends_at > :now AND occurrence_status = 'scheduled'
  AND (CAST(:occurrence_id AS bigint) IS NULL OR occurrence_id = :occurrence_id)
ORDER BY ended_at DESC
LIMIT 100;

-- name: mark_seen(organisation_id, id, by, now)$
UPDATE assignments asg SET seen_at = :now, seen_by = :by
FROM occurrences o JOIN activities a ON a.id = o.activity_id
WHERE asg.id = :id AND o.id = asg.occurrence_id AND a.organisation_id = :organisation_id
  AND asg.status = 'withdrawn' AND asg.seen_at IS NULL
RETURNING asg.id;

-- name: undoable_withdrawals(person_id, now)
-- Shifts she said she can't come to that no coordinator has acted on yet: not seen, no cover
-- asked for since, the date still ahead.
SELECT w.* FROM withdrawals w
WHERE w.person_id = :person_id AND w.seen_at IS NULL
  AND w.starts_at > :now AND w.occurrence_status = 'scheduled'
  AND NOT EXISTS (SELECT 1 FROM cover_requests c
                  WHERE c.occurrence_id = w.occurrence_id AND c.activity_role_id = w.role_id
                    AND c.created_at >= w.ended_at)
ORDER BY w.starts_at;

-- name: come_back(id, person_id)$
-- Her place again, as it was before she left (the room and overlap checks run as for a sign-up).
UPDATE assignments SET status = 'active', ended_at = NULL, ended_by = NULL, ended_via = NULL, late = false
WHERE id = :id AND person_id = :person_id AND status = 'withdrawn'
RETURNING id;

-- name: past_shifts(organisation_id, starts_from, starts_before, now)
-- Everyone on this organisation's dates that have begun in a period, and what is marked for her.
SELECT asg.id, asg.person_id, p.display_name, asg.attendance, o.id AS occurrence_id, o.starts_at,
       a.title, a.time_zone, r.name AS role_name
FROM assignments asg
JOIN occurrences o ON o.id = asg.occurrence_id
JOIN activities a ON a.id = o.activity_id
JOIN activity_roles r ON r.id = asg.activity_role_id
JOIN people p ON p.id = asg.person_id
WHERE a.organisation_id = :organisation_id AND asg.status = 'active' AND o.status = 'scheduled'
  AND o.starts_at >= :starts_from AND o.starts_at < :starts_before AND o.starts_at <= :now
ORDER BY o.starts_at, o.id, p.display_name;

-- name: no_shows_of(organisation_id, person_id, since)$
-- How often she was on one of this organisation's dates and did not come, since a day.
SELECT count(*) FROM assignments asg
JOIN occurrences o ON o.id = asg.occurrence_id
JOIN activities a ON a.id = o.activity_id
WHERE asg.person_id = :person_id AND a.organisation_id = :organisation_id
  AND asg.attendance = 'no_show' AND o.local_date >= :since;

-- name: left_since(organisation_id, since, now)
-- Everyone who left a coming shift of this organisation's after a moment, seen or not.
SELECT * FROM withdrawals
WHERE organisation_id = :organisation_id AND ended_at > :since AND ends_at > :now
ORDER BY ended_at DESC
LIMIT 100;
