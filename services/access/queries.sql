-- name: insert_token(organisation_id, person_id, token_hash, label, created_by, created_at, expires_at)^
INSERT INTO api_tokens (organisation_id, person_id, token_hash, label, created_by, created_at, expires_at)
VALUES (:organisation_id, :person_id, :token_hash, :label, :created_by, :created_at, :expires_at)
RETURNING id, organisation_id, person_id, label, created_at, expires_at, revoked_at, last_used_at;

-- name: find_live_token(token_hash, now)^
-- A token counts only while unrevoked, unexpired and its person still has a role in the organisation.
SELECT t.id, t.organisation_id, t.person_id, t.last_used_at, t.label, p.language,
       array_agg(m.role ORDER BY m.role) AS roles
FROM api_tokens t
JOIN people p ON p.id = t.person_id
JOIN memberships m ON m.organisation_id = t.organisation_id AND m.person_id = t.person_id
WHERE t.token_hash = :token_hash
  AND t.revoked_at IS NULL
  AND (t.expires_at IS NULL OR t.expires_at > :now)
GROUP BY t.id, p.language;

-- name: find_dead_token(token_hash)$
SELECT id FROM api_tokens WHERE token_hash = :token_hash;

-- name: touch_token(id, now)!
UPDATE api_tokens SET last_used_at = :now WHERE id = :id;

-- name: list_tokens(organisation_id, person_id, after_id, limit)
-- person_id NULL lists every token of the organisation (coordinators).
SELECT id, organisation_id, person_id, label, created_at, expires_at, revoked_at, last_used_at
FROM api_tokens
WHERE organisation_id = :organisation_id
  AND (:person_id::bigint IS NULL OR person_id = :person_id)
  AND id > :after_id
ORDER BY id
LIMIT :limit;

-- name: get_token(organisation_id, id)^
SELECT id, organisation_id, person_id, label, created_at, expires_at, revoked_at, last_used_at
FROM api_tokens
WHERE organisation_id = :organisation_id AND id = :id;

-- name: revoke_token(organisation_id, id, now)^
UPDATE api_tokens SET revoked_at = coalesce(revoked_at, :now)
WHERE organisation_id = :organisation_id AND id = :id
RETURNING id, organisation_id, person_id, label, created_at, expires_at, revoked_at, last_used_at;

-- name: delete_dead_tokens(before)$
-- Tokens revoked or expired before :before are no use to anyone; keep the table small.
WITH gone AS (
    DELETE FROM api_tokens
    WHERE revoked_at < :before OR expires_at < :before
    RETURNING 1
)
SELECT count(*) FROM gone;

-- name: revoke_labelled_tokens(organisation_id, person_id, label, now)!
UPDATE api_tokens SET revoked_at = :now
WHERE organisation_id = :organisation_id AND person_id = :person_id AND label = :label
  AND revoked_at IS NULL;

-- name: signing_key(purpose)$
SELECT key FROM signing_keys WHERE purpose = :purpose;

-- name: create_signing_key(purpose, key)!
INSERT INTO signing_keys (purpose, key) VALUES (:purpose, :key) ON CONFLICT (purpose) DO NOTHING;

-- name: person_language(person_id)$
SELECT language FROM people WHERE id = :person_id;

-- name: is_member(organisation_id, person_id)$
SELECT EXISTS (SELECT 1 FROM memberships WHERE organisation_id = :organisation_id AND person_id = :person_id);

-- name: language_of_token(token_hash)$
-- Whose a token was, for answering in their language when it no longer works.
SELECT p.language FROM api_tokens t JOIN people p ON p.id = t.person_id WHERE t.token_hash = :token_hash;
