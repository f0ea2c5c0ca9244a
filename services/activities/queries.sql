-- name: insert_activity(organisation_id, kind, title, description, time_zone, start_local, duration_minutes, rrule, rdates, exdates, ends_on, place_id, details, participant_capacity, split_from, now)^
INSERT INTO activities (organisation_id, kind, title, description, time_zone, start_local,
                        duration_minutes, rrule, rdates, exdates, ends_on, place_id, details,
                        participant_capacity, split_from, created_at, updated_at)
VALUES (:organisation_id, :kind, :title, :description, :time_zone, :start_local, :duration_minutes,
        :rrule, :rdates, :exdates, :ends_on, :place_id, :details, :participant_capacity, :split_from,
        :now, :now)
RETURNING id;

-- name: get_activity(id)^
SELECT a.*, coalesce((SELECT array_agg(s.organisation_id ORDER BY s.organisation_id)
                      FROM activity_shares s WHERE s.activity_id = a.id), '{}') AS shared_with
FROM activities a WHERE a.id = :id;

-- name: list_visible_activities(organisation_id, after_id, limit)
-- An organisation sees its own activities and those shared with it.
SELECT a.*, coalesce((SELECT array_agg(s.organisation_id ORDER BY s.organisation_id)
                      FROM activity_shares s WHERE s.activity_id = a.id), '{}') AS shared_with
FROM activities a
WHERE (a.organisation_id = :organisation_id
       OR EXISTS (SELECT 1 FROM activity_shares s
                  WHERE s.activity_id = a.id AND s.organisation_id = :organisation_id))
  AND a.id > :after_id
ORDER BY a.id
LIMIT :limit;

-- name: update_activity(id, title, description, start_local, duration_minutes, rrule, rdates, exdates, ends_on, place_id, participant_capacity, now)!
UPDATE activities
SET title = :title, description = :description, start_local = :start_local,
    duration_minutes = :duration_minutes, rrule = :rrule, rdates = :rdates, exdates = :exdates,
    ends_on = :ends_on, place_id = :place_id, participant_capacity = :participant_capacity,
    updated_at = :now
WHERE id = :id;

-- name: clear_shares(activity_id)!
DELETE FROM activity_shares WHERE activity_id = :activity_id;

-- name: add_share(activity_id, organisation_id)!
INSERT INTO activity_shares (activity_id, organisation_id) VALUES (:activity_id, :organisation_id)
ON CONFLICT DO NOTHING;

-- name: accepted_partners(organisation_id, ids)
-- Of these organisations, those in a partnership with this one that both sides agreed to.
SELECT CASE WHEN asked_by = :organisation_id THEN asked_to ELSE asked_by END AS id
FROM partnerships
WHERE accepted_at IS NOT NULL AND ended_at IS NULL
  AND ((asked_by = :organisation_id AND asked_to = ANY(:ids::bigint[]))
       OR (asked_to = :organisation_id AND asked_by = ANY(:ids::bigint[])));

-- name: unshare_between(one, other)!
-- A partnership ended: neither shares an activity with the other any more.
DELETE FROM activity_shares s USING activities a
WHERE a.id = s.activity_id
  AND ((a.organisation_id = :one AND s.organisation_id = :other)
       OR (a.organisation_id = :other AND s.organisation_id = :one));

-- name: insert_role(activity_id, name, min_people, max_people)^
INSERT INTO activity_roles (activity_id, name, min_people, max_people)
VALUES (:activity_id, :name, :min_people, :max_people)
RETURNING id;

-- name: add_role_qualification(activity_role_id, qualification_type_id)!
INSERT INTO activity_role_qualifications (activity_role_id, qualification_type_id)
VALUES (:activity_role_id, :qualification_type_id) ON CONFLICT DO NOTHING;

-- name: roles_of(activity_ids)
SELECT r.id, r.activity_id, r.name, r.min_people, r.max_people,
       coalesce(array_agg(q.qualification_type_id ORDER BY q.qualification_type_id)
                FILTER (WHERE q.qualification_type_id IS NOT NULL), '{}') AS qualification_type_ids
FROM activity_roles r
LEFT JOIN activity_role_qualifications q ON q.activity_role_id = r.id
WHERE r.activity_id = ANY(:activity_ids::bigint[])
GROUP BY r.id
ORDER BY r.activity_id, r.id;

-- name: own_qualification_types(organisation_id, ids)
SELECT id FROM qualification_types WHERE organisation_id = :organisation_id AND id = ANY(:ids::bigint[]);

-- name: find_by_title(organisation_id, title)$
SELECT id FROM activities WHERE organisation_id = :organisation_id AND title = :title ORDER BY id LIMIT 1;

-- name: lock_role(id, activity_id)^
-- Taken before a role's numbers change. An assignment being written holds its role FOR KEY SHARE
-- (its foreign key), which FOR UPDATE waits for: the count after this sees every place taken.
SELECT id FROM activity_roles WHERE id = :id AND activity_id = :activity_id FOR UPDATE;

-- name: update_role(id, name, min_people, max_people)!
UPDATE activity_roles SET name = :name, min_people = :min_people, max_people = :max_people WHERE id = :id;

-- name: clear_role_qualifications(activity_role_id)!
DELETE FROM activity_role_qualifications WHERE activity_role_id = :activity_role_id;

-- name: fullest_coming_date(activity_role_id, now)^
-- The coming date with the most people in this role, and how many.
SELECT o.local_date, count(*) AS taken
FROM assignments a JOIN occurrences o ON o.id = a.occurrence_id
WHERE a.activity_role_id = :activity_role_id AND a.status = 'active'
  AND o.status = 'scheduled' AND o.ends_at > :now
GROUP BY o.id
ORDER BY count(*) DESC, o.starts_at
LIMIT 1;

-- name: set_details(id, details, now)!
UPDATE activities SET details = :details, updated_at = :now WHERE id = :id;
