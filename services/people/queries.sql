-- name: list_members(organisation_id, after_id, limit, search, digits)
-- The members in id order; with a search, those whose name contains it or whose phone number
-- contains its digits (070-174 06 50 finds +46701740650).
SELECT p.id, p.display_name, p.phone, p.phone_proven_at IS NOT NULL AS phone_proven, p.language, p.time_zone,
       p.sms_consent, p.reminder_offsets_minutes, array_agg(m.role ORDER BY m.role) AS roles, p.created_at, p.updated_at
FROM people p
JOIN memberships m ON m.person_id = p.id AND m.organisation_id = :organisation_id
WHERE p.id > :after_id
  AND (:search::text IS NULL OR strpos(lower(p.display_name), lower(:search)) > 0
       OR (:digits::text <> '' AND strpos(regexp_replace(coalesce(p.phone, ''), '\D', '', 'g'), :digits) > 0))
GROUP BY p.id
ORDER BY p.id
LIMIT :limit;

-- name: get_member(organisation_id, person_id)^
SELECT p.id, p.display_name, p.phone, p.phone_proven_at IS NOT NULL AS phone_proven, p.language, p.time_zone,
       p.sms_consent, p.reminder_offsets_minutes, array_agg(m.role ORDER BY m.role) AS roles, p.created_at, p.updated_at
FROM people p
JOIN memberships m ON m.person_id = p.id AND m.organisation_id = :organisation_id
WHERE p.id = :person_id
GROUP BY p.id;

-- name: find_members_by_phone(organisation_id, phones)
SELECT p.id, p.display_name, p.phone, p.phone_proven_at IS NOT NULL AS phone_proven, p.language, p.time_zone,
       p.sms_consent, p.reminder_offsets_minutes, array_agg(m.role ORDER BY m.role) AS roles, p.created_at, p.updated_at
FROM people p
JOIN memberships m ON m.person_id = p.id AND m.organisation_id = :organisation_id
WHERE p.phone = ANY(:phones::text[])
GROUP BY p.id;

-- name: lock_organisation_people(organisation_id)!
-- "Phone is the key within an organisation" spans two tables, so creations in one organisation
-- take turns instead of relying on a unique index.
SELECT pg_advisory_xact_lock(1886350437, :organisation_id::int);

-- name: insert_person(display_name, phone, language, time_zone, sms_consent, now)^
INSERT INTO people (display_name, phone, language, time_zone, sms_consent, created_at, updated_at)
VALUES (:display_name, :phone, :language, :time_zone, :sms_consent, :now, :now)
RETURNING id;

-- name: update_person(id, display_name, phone, language, time_zone, sms_consent, now)!
-- A number typed by someone else is the organisation's record of it, unproven until a code comes back.
UPDATE people
SET display_name = :display_name, phone = :phone, language = :language,
    time_zone = :time_zone, sms_consent = :sms_consent, updated_at = :now,
    phone_proven_at = CASE WHEN phone IS NOT DISTINCT FROM :phone THEN phone_proven_at END
WHERE id = :id;

-- name: set_proven_phone(id, phone, now)!
UPDATE people SET phone = :phone, phone_proven_at = :now, updated_at = :now WHERE id = :id;

-- name: phone_proofs_since(person_id, since)$
SELECT count(*) FROM phone_proofs WHERE person_id = :person_id AND created_at >= :since;

-- name: insert_phone_proof(organisation_id, person_id, phone, code_hash, now, expires_at)$
INSERT INTO phone_proofs (organisation_id, person_id, phone, code_hash, created_at, expires_at)
VALUES (:organisation_id, :person_id, :phone, :code_hash, :now, :expires_at)
RETURNING id;

-- name: try_phone_proof(organisation_id, person_id, now, most_tries)^
-- Her newest live code, counting this try (so a sixth guess finds nothing).
UPDATE phone_proofs SET tries = tries + 1
WHERE id = (SELECT id FROM phone_proofs
            WHERE organisation_id = :organisation_id AND person_id = :person_id AND used_at IS NULL
              AND expires_at > :now AND tries < :most_tries
            ORDER BY created_at DESC LIMIT 1
            FOR UPDATE)
RETURNING id, phone, code_hash;

-- name: use_phone_proof(id, now)!
UPDATE phone_proofs SET used_at = :now WHERE id = :id;

-- name: waiting_phone(organisation_id, person_id, now)$
-- The number she asked to change to, while its code can still come back.
SELECT phone FROM phone_proofs
WHERE organisation_id = :organisation_id AND person_id = :person_id AND used_at IS NULL AND expires_at > :now
ORDER BY created_at DESC LIMIT 1;

-- name: add_role(organisation_id, person_id, role, now)!
-- A former volunteer who comes back is a volunteer again, not both.
WITH back AS (
    DELETE FROM memberships
    WHERE organisation_id = :organisation_id AND person_id = :person_id
      AND role = 'former_volunteer' AND :role = 'volunteer'
)
INSERT INTO memberships (organisation_id, person_id, role, created_at)
VALUES (:organisation_id, :person_id, :role, :now)
ON CONFLICT DO NOTHING;

-- name: retire_volunteer(organisation_id, person_id, now)$
-- Volunteer → former volunteer, in one statement; 0 when she was no volunteer here.
WITH gone AS (
    DELETE FROM memberships
    WHERE organisation_id = :organisation_id AND person_id = :person_id AND role = 'volunteer'
    RETURNING organisation_id, person_id
), kept AS (
    INSERT INTO memberships (organisation_id, person_id, role, created_at)
    SELECT organisation_id, person_id, 'former_volunteer', :now FROM gone
    ON CONFLICT DO NOTHING
)
SELECT count(*) FROM gone;

-- name: remove_role(organisation_id, person_id, role)$
WITH gone AS (
    DELETE FROM memberships
    WHERE organisation_id = :organisation_id AND person_id = :person_id AND role = :role
    RETURNING 1
)
SELECT count(*) FROM gone;

-- name: count_role(organisation_id, role)$
SELECT count(*) FROM memberships WHERE organisation_id = :organisation_id AND role = :role;

-- name: set_reminder_offsets(id, offsets)!
UPDATE people SET reminder_offsets_minutes = :offsets WHERE id = :id;

-- What this context holds about a person (services/people/privacy.py).

-- name: export_person(person_id)
SELECT to_jsonb(p) AS item FROM people p WHERE p.id = :person_id;

-- name: export_memberships(person_id, organisation_id)
SELECT to_jsonb(m) || jsonb_build_object('organisation_name', o.name) AS item
FROM memberships m JOIN organisations o ON o.id = m.organisation_id
WHERE m.person_id = :person_id AND (:organisation_id::bigint IS NULL OR m.organisation_id = :organisation_id)
ORDER BY m.organisation_id, m.role;

-- name: export_consent(person_id)
SELECT to_jsonb(c) AS item FROM consent_events c WHERE c.person_id = :person_id ORDER BY c.id;

-- name: former_volunteer(person_id)!
-- Her hours stay in the reports, as a former volunteer's.
WITH gone AS (
    DELETE FROM memberships WHERE person_id = :person_id AND role IN ('volunteer', 'partner_contact', 'coordinator')
    RETURNING organisation_id
)
INSERT INTO memberships (organisation_id, person_id, role)
SELECT DISTINCT organisation_id, :person_id, 'former_volunteer' FROM gone
ON CONFLICT DO NOTHING;

-- name: pseudonymise(person_id, pseudonym, now)!
UPDATE people SET display_name = :pseudonym, phone = NULL, sms_consent = false, erased_at = :now,
                  reminder_offsets_minutes = NULL
WHERE id = :person_id;

-- name: erase_phone_proofs(person_id)!
-- The numbers she asked to prove.
DELETE FROM phone_proofs WHERE person_id = :person_id;

-- name: purge_phone_proofs(before)$
-- Needed for minutes (their limits look back an hour): after a day nothing is kept of them, not
-- even the number someone typed.
WITH proofs AS (DELETE FROM phone_proofs WHERE created_at < :before RETURNING 1)
SELECT count(*) FROM proofs;

-- name: export_phone_proofs(person_id, organisation_id)
-- The numbers she asked to prove (never the codes).
SELECT to_jsonb(p) - 'code_hash' AS item FROM phone_proofs p
WHERE p.person_id = :person_id AND (:organisation_id::bigint IS NULL OR p.organisation_id = :organisation_id);
