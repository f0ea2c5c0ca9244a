-- name: coordinators_by_proven_phone(phone)
-- The coordinators whose number this is, proven by a code sent to it: each is the same phone's
-- holder. A number a coordinator only typed in signs nobody in.
SELECT p.id, p.language, m.organisation_id
FROM people p JOIN memberships m ON m.person_id = p.id AND m.role = 'coordinator'
WHERE p.phone = :phone AND p.phone_proven_at IS NOT NULL
ORDER BY m.organisation_id, p.id;

-- name: asked_recently(phone, asked_from, since)^
SELECT count(*) FILTER (WHERE phone = :phone) AS by_number,
       count(*) FILTER (WHERE asked_from = :asked_from) AS by_address
FROM sign_in_codes WHERE created_at >= :since AND (phone = :phone OR asked_from = :asked_from);

-- name: insert_code(phone, person_id, organisation_id, code_hash, asked_from, now, expires_at)$
INSERT INTO sign_in_codes (phone, person_id, organisation_id, code_hash, asked_from, created_at, expires_at)
VALUES (:phone, :person_id, :organisation_id, :code_hash, :asked_from, :now, :expires_at)
RETURNING id;

-- name: try_code(phone, now, most_tries)^
-- The newest live code for a number, counting this try (so a sixth guess finds nothing).
UPDATE sign_in_codes SET tries = tries + 1
WHERE id = (SELECT id FROM sign_in_codes
            WHERE phone = :phone AND used_at IS NULL AND expires_at > :now AND tries < :most_tries
            ORDER BY created_at DESC LIMIT 1
            FOR UPDATE)
RETURNING id, person_id, code_hash;

-- name: use_code(id, now)!
UPDATE sign_in_codes SET used_at = :now WHERE id = :id;

-- What this context holds about a person (services/signin/privacy.py).

-- name: export_sign_in_codes(person_id, organisation_id)
SELECT to_jsonb(c) - 'code_hash' - 'asked_from' AS item FROM sign_in_codes c
WHERE c.person_id = :person_id
  AND (:organisation_id::bigint IS NULL OR c.organisation_id = :organisation_id)
ORDER BY c.id;

-- name: erase_sign_in_codes(person_id)!
DELETE FROM sign_in_codes WHERE person_id = :person_id;

-- name: purge_sign_in_codes(before)$
-- Needed for minutes: after a day nothing is kept of them, not even the number someone typed.
WITH codes AS (DELETE FROM sign_in_codes WHERE created_at < :before RETURNING 1)
SELECT count(*) FROM codes;
