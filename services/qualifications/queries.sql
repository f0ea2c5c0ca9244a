-- name: list_types(organisation_id)
SELECT id, name FROM qualification_types
WHERE organisation_id = :organisation_id ORDER BY lower(name);

-- name: insert_type(organisation_id, name)^
INSERT INTO qualification_types (organisation_id, name) VALUES (:organisation_id, :name)
ON CONFLICT DO NOTHING
RETURNING id, name;

-- name: get_type(organisation_id, id)^
SELECT id, name FROM qualification_types WHERE organisation_id = :organisation_id AND id = :id;

-- name: list_person_qualifications(organisation_id, person_id)
SELECT pq.id, pq.qualification_type_id, qt.name, pq.valid_from, pq.valid_until,
       pq.recorded_by, pq.recorded_at
FROM person_qualifications pq
JOIN qualification_types qt ON qt.id = pq.qualification_type_id
WHERE qt.organisation_id = :organisation_id AND pq.person_id = :person_id
ORDER BY lower(qt.name), pq.valid_until NULLS LAST;

-- name: insert_person_qualification(person_id, qualification_type_id, valid_from, valid_until, recorded_by, recorded_at)^
INSERT INTO person_qualifications
    (person_id, qualification_type_id, valid_from, valid_until, recorded_by, recorded_at)
VALUES (:person_id, :qualification_type_id, :valid_from, :valid_until, :recorded_by, :recorded_at)
RETURNING id;

-- name: has_person_qualification(person_id, qualification_type_id, valid_until)$
-- The same qualification recorded again (an import run twice) adds nothing.
SELECT EXISTS (
    SELECT 1 FROM person_qualifications
    WHERE person_id = :person_id AND qualification_type_id = :qualification_type_id
      AND valid_until IS NOT DISTINCT FROM :valid_until::date
);

-- name: expiring(organisation_id, from_date, until_date)
-- Members' qualifications whose last validity ends in the period: not renewed, not open-ended.
SELECT p.id AS person_id, p.display_name AS person_name, qt.id AS qualification_type_id, qt.name,
       max(pq.valid_until) AS valid_until
FROM person_qualifications pq
JOIN qualification_types qt ON qt.id = pq.qualification_type_id
JOIN people p ON p.id = pq.person_id
WHERE qt.organisation_id = :organisation_id
  AND EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id AND m.organisation_id = :organisation_id)
GROUP BY p.id, qt.id
HAVING bool_and(pq.valid_until IS NOT NULL)
   AND max(pq.valid_until) >= :from_date AND max(pq.valid_until) < :until_date
ORDER BY max(pq.valid_until), lower(p.display_name), lower(qt.name);

-- What this context holds about a person (services/qualifications/privacy.py).

-- name: export_qualifications(person_id, organisation_id)
SELECT to_jsonb(q) || jsonb_build_object('qualification', t.name) AS item
FROM person_qualifications q JOIN qualification_types t ON t.id = q.qualification_type_id
WHERE (q.person_id = :person_id OR q.recorded_by = :person_id)
  AND (:organisation_id::bigint IS NULL OR t.organisation_id = :organisation_id)
ORDER BY q.id;

-- name: erase_qualifications(person_id)!
DELETE FROM person_qualifications WHERE person_id = :person_id;
