-- Partnerships between organisations: one asks, the other's coordinator accepts; either ends it.

-- name: partnerships_of(organisation_id)
SELECT p.id, o.id AS partner_id, o.name AS partner_name, o.slug AS partner_slug,
       CASE WHEN p.accepted_at IS NOT NULL THEN 'partners'
            WHEN p.asked_by = :organisation_id THEN 'asked_by_us' ELSE 'asked_of_us' END AS state,
       p.asked_at, p.accepted_at
FROM partnerships p
JOIN organisations o ON o.id = CASE WHEN p.asked_by = :organisation_id THEN p.asked_to ELSE p.asked_by END
WHERE :organisation_id IN (p.asked_by, p.asked_to) AND p.ended_at IS NULL
ORDER BY o.name, p.id;

-- name: organisation_by_slug(slug)^
SELECT id, name FROM organisations WHERE slug = :slug;

-- name: live_between(one, other)^
SELECT id, asked_by, asked_to, accepted_at FROM partnerships
WHERE least(asked_by, asked_to) = least(:one::bigint, :other::bigint)
  AND greatest(asked_by, asked_to) = greatest(:one::bigint, :other::bigint)
  AND ended_at IS NULL
FOR UPDATE;

-- name: insert_ask(asked_by, asked_to, now)$
INSERT INTO partnerships (asked_by, asked_to, asked_at) VALUES (:asked_by, :asked_to, :now)
RETURNING id;

-- name: accept(id, organisation_id, now)$
-- Only the organisation that was asked accepts.
UPDATE partnerships SET accepted_at = :now
WHERE id = :id AND asked_to = :organisation_id AND accepted_at IS NULL AND ended_at IS NULL
RETURNING id;

-- name: end_partnership(id, organisation_id, now)^
UPDATE partnerships SET ended_at = :now
WHERE id = :id AND :organisation_id IN (asked_by, asked_to) AND ended_at IS NULL
RETURNING asked_by, asked_to;

-- name: shifts_across(one, other, now)
-- Coming shifts a member of one organisation holds on the other's activities (either way round).
SELECT asg.id, a.organisation_id AS owner
FROM assignments asg
JOIN occurrences o ON o.id = asg.occurrence_id
JOIN activities a ON a.id = o.activity_id
WHERE asg.status = 'active' AND o.starts_at > :now
  AND ((a.organisation_id = :one AND EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = asg.person_id AND m.organisation_id = :other)
        AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = asg.person_id AND m.organisation_id = :one))
    OR (a.organisation_id = :other AND EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = asg.person_id AND m.organisation_id = :one)
        AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = asg.person_id AND m.organisation_id = :other)))
ORDER BY asg.id;
