-- name: insert_token(organisation_id, person_id, token_hash, label, created_by, created_at, expires_at, scope)^
INSERT INTO api_tokens (organisation_id, person_id, token_hash, label, created_by, created_at, expires_at, scope)
VALUES (:organisation_id, :person_id, :token_hash, :label, :created_by, :created_at, :expires_at, :scope)
RETURNING id, organisation_id, person_id, label, created_at, expires_at, revoked_at, last_used_at;

-- name: find_live_token(token_hash, now)^
-- A token counts only while unrevoked, unexpired and its person still has a role in the organisation.
SELECT t.id, t.organisation_id, t.person_id, t.last_used_at, t.label, t.scope, p.language,
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

-- name: who_am_i(person_id, organisation_id)^
-- Her name and her organisation's, for GET /me.
SELECT p.display_name, o.name AS organisation_name
FROM people p, organisations o
WHERE p.id = :person_id AND o.id = :organisation_id;

-- name: language_of_token(token_hash)$
-- Whose a token was, for answering in their language when it no longer works.
SELECT p.language FROM api_tokens t JOIN people p ON p.id = t.person_id WHERE t.token_hash = :token_hash;

-- name: insert_session(secret_hash, kind, organisation_id, person_id, token_id, now, expires_at)$
INSERT INTO sessions (secret_hash, kind, organisation_id, person_id, token_id, created_at, last_seen_at, expires_at)
VALUES (:secret_hash, :kind, :organisation_id, :person_id, :token_id, :now, :now, :expires_at)
RETURNING id;

-- name: find_live_session(secret_hash, kind, now, idle_since)^
-- A session counts while not ended, not a day idle, not past its 30 days, its person still has a
-- role here, and the link it was opened with (if any) still works.
SELECT s.id, s.organisation_id, s.person_id, s.last_seen_at, p.language,
       array_agg(m.role ORDER BY m.role) AS roles
FROM sessions s
JOIN people p ON p.id = s.person_id
JOIN memberships m ON m.organisation_id = s.organisation_id AND m.person_id = s.person_id
LEFT JOIN api_tokens t ON t.id = s.token_id
WHERE s.secret_hash = :secret_hash AND s.kind = :kind
  AND s.ended_at IS NULL AND s.expires_at > :now AND s.last_seen_at > :idle_since
  AND (s.token_id IS NULL OR (t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > :now)))
GROUP BY s.id, p.language;

-- name: touch_session(id, now)!
UPDATE sessions SET last_seen_at = :now WHERE id = :id;

-- name: end_session(secret_hash, now)!
UPDATE sessions SET ended_at = :now WHERE secret_hash = :secret_hash AND ended_at IS NULL;

-- name: end_sessions_of(organisation_id, person_id, now)!
UPDATE sessions SET ended_at = :now
WHERE organisation_id = :organisation_id AND person_id = :person_id AND ended_at IS NULL;

-- name: delete_old_sessions(before)$
WITH gone AS (DELETE FROM sessions WHERE expires_at < :before OR ended_at < :before RETURNING 1)
SELECT count(*) FROM gone;

-- name: member_access(person_id, organisation_id)^
SELECT p.language, array_agg(m.role ORDER BY m.role) AS roles
FROM people p JOIN memberships m ON m.person_id = p.id AND m.organisation_id = :organisation_id
WHERE p.id = :person_id
GROUP BY p.language;

-- name: list_sessions(organisation_id, person_id, kind, current_hash, now, idle_since)
-- Where a person is signed in: her live sessions, this browser's marked.
SELECT id, created_at, last_seen_at, secret_hash = :current_hash AS current
FROM sessions
WHERE organisation_id = :organisation_id AND person_id = :person_id AND kind = :kind
  AND ended_at IS NULL AND expires_at > :now AND last_seen_at > :idle_since
ORDER BY id;

-- name: end_own_session(organisation_id, person_id, id, now)$
UPDATE sessions SET ended_at = :now
WHERE organisation_id = :organisation_id AND person_id = :person_id AND id = :id AND ended_at IS NULL
RETURNING id;

-- What this context holds about a person (services/access/privacy.py).

-- name: export_tokens(person_id, organisation_id)
SELECT to_jsonb(t) - 'token_hash' AS item FROM api_tokens t
WHERE (t.person_id = :person_id OR t.created_by = :person_id)
  AND (:organisation_id::bigint IS NULL OR t.organisation_id = :organisation_id)
ORDER BY t.id;

-- name: export_sessions(person_id, organisation_id)
-- Where she was signed in (never the session's secret).
SELECT to_jsonb(s) - 'secret_hash' AS item FROM sessions s
WHERE s.person_id = :person_id AND (:organisation_id::bigint IS NULL OR s.organisation_id = :organisation_id);

-- name: revoke_everything_of(person_id, now)!
-- Her tokens and page links stop working and her sessions end.
WITH tokens AS (
    UPDATE api_tokens SET revoked_at = coalesce(revoked_at, :now) WHERE person_id = :person_id
)
UPDATE sessions SET ended_at = coalesce(ended_at, :now) WHERE person_id = :person_id;

-- name: look_at_board(organisation_id, person_id, now)$
-- When she last opened the gap board here, before now; now is kept as her latest look.
WITH before AS (
    SELECT max(board_looked_at) AS at FROM sessions
    WHERE organisation_id = :organisation_id AND person_id = :person_id AND kind = 'board'
), mark AS (
    UPDATE sessions SET board_looked_at = :now
    WHERE organisation_id = :organisation_id AND person_id = :person_id AND kind = 'board'
      AND ended_at IS NULL
)
SELECT at FROM before;
