-- name: cancel_pending_for_person(person_id, now)!
UPDATE outbox SET status = 'cancelled', updated_at = :now
WHERE person_id = :person_id AND channel = 'sms' AND status = 'pending';

-- name: claim_due(now, limit)
-- A dispatcher takes due rows; SKIP LOCKED lets several run at once without taking the same row.
UPDATE outbox SET status = 'queued', queued_at = :now, updated_at = :now
WHERE id IN (SELECT id FROM outbox
             WHERE channel = 'sms' AND status = 'pending' AND due_at <= :now AND next_attempt_at <= :now
             ORDER BY due_at, id
             LIMIT :limit
             FOR UPDATE SKIP LOCKED)
RETURNING id, attempts, queued_at;

-- name: begin_attempts(ids, now)
-- The last moment at which we know nothing left: after this the outcome is uncertain until
-- Twilio answers. Only a queued row can begin, so a job run twice cannot send twice.
UPDATE outbox SET status = 'sending', send_started_at = :now, attempts = attempts + 1, updated_at = :now
WHERE id = ANY(:ids::bigint[]) AND status = 'queued'
RETURNING id, to_address, body, attempts, person_id;

-- name: accepted(ids, sids, statuses, now)!
-- Twilio took these (one statement for a whole batch of sends). A one-time code is not kept
-- readable once it went out: its body is only words saying what it was.
UPDATE outbox o SET status = taken.status, provider_id = taken.sid, error_code = NULL, error_message = NULL,
       updated_at = :now,
       body = CASE WHEN o.key ~ '^(sign-in|phone-proof):' THEN '(one-time code)' ELSE o.body END
FROM unnest(:ids::bigint[], :sids::text[], :statuses::text[]) AS taken(id, sid, status)
WHERE o.id = taken.id AND o.status IN ('sending', 'unknown');

-- name: retry_later(id, error, next_attempt_at, now)!
UPDATE outbox SET status = 'pending', error_message = :error, next_attempt_at = :next_attempt_at,
       updated_at = :now
WHERE id = :id AND status IN ('sending', 'unknown');

-- name: failed(id, code, error, now)!
UPDATE outbox SET status = 'failed', error_code = :code, error_message = :error, updated_at = :now,
       body = CASE WHEN key ~ '^(sign-in|phone-proof):' THEN '(one-time code)' ELSE body END
WHERE id = :id;

-- name: uncertain(id, error, now)!
UPDATE outbox SET status = 'unknown', error_message = :error, updated_at = :now
WHERE id = :id AND status = 'sending';

-- name: opted_out(person_id, now)!
UPDATE people SET sms_opted_out_at = coalesce(sms_opted_out_at, :now), sms_consent = false WHERE id = :person_id;

-- name: stale_to_unknown(before, now)$
-- An attempt begun long ago with no answer recorded: its worker died. Never resend blindly.
WITH stale AS (
    UPDATE outbox SET status = 'unknown', updated_at = :now,
           error_message = 'no answer recorded for this attempt'
    WHERE status = 'sending' AND send_started_at < :before
    RETURNING 1
)
SELECT count(*) FROM stale;

-- name: stale_queued_to_pending(before, now)$
-- Claimed but no attempt begun (its job was lost): nothing left, so it can simply go again.
WITH stale AS (
    UPDATE outbox SET status = 'pending', updated_at = :now
    WHERE status = 'queued' AND queued_at < :before
    RETURNING 1
)
SELECT count(*) FROM stale;

-- name: unknowns(since, limit)
-- Least recently looked up first, so a long list is worked through round by round.
SELECT id, to_address, body, provider_id, send_started_at FROM outbox
WHERE status = 'unknown' AND (send_started_at IS NULL OR send_started_at >= :since)
ORDER BY updated_at LIMIT :limit;

-- name: not_found_yet(id, now)!
UPDATE outbox SET updated_at = :now,
       error_message = 'Twilio has no record of it (yet); it may or may not have gone out, so it is not sent again by itself'
WHERE id = :id AND status = 'unknown';

-- name: send_again(id, organisation_id, now)$
-- A coordinator decided: back to the queue, at once.
UPDATE outbox SET status = 'pending', next_attempt_at = :now, due_at = least(due_at, :now),
       error_message = 'sent again by a coordinator', updated_at = :now
WHERE id = :id AND organisation_id = :organisation_id AND status IN ('unknown', 'undelivered')
RETURNING id;

-- name: status_from_twilio(id, sid, status, error_code, now)!
-- Callbacks may arrive in any order or twice: a message only moves forward.
UPDATE outbox SET status = :status, provider_id = coalesce(provider_id, :sid), error_code = coalesce(:error_code, error_code),
       updated_at = :now
WHERE id = :id AND status NOT IN ('cancelled', 'pending', 'queued')
  AND array_position(ARRAY['sending','unknown','accepted','sent','delivered','undelivered','failed'], status)
      < array_position(ARRAY['sending','unknown','accepted','sent','delivered','undelivered','failed'], :status::text);

-- name: outbox_id_by_sid(sid)$
SELECT id FROM outbox WHERE provider_id = :sid;

-- name: receipt(token)$
SELECT response FROM webhook_receipts WHERE token = :token;

-- name: keep_receipt(token, response)$
INSERT INTO webhook_receipts (token, response) VALUES (:token, :response)
ON CONFLICT (token) DO NOTHING
RETURNING 1;

-- name: problems(organisation_id, after_id, limit)
-- Messages a coordinator should know about: not delivered, or not known to be.
SELECT id, kind, person_id, assignment_id, status, due_at, error_code, error_message, updated_at
FROM outbox
WHERE organisation_id = :organisation_id AND status IN ('failed', 'undelivered', 'unknown')
  AND id > :after_id
ORDER BY id
LIMIT :limit;

-- name: opted_in(person_id)!
UPDATE people SET sms_consent = true, sms_opted_out_at = NULL WHERE id = :person_id;

-- name: textable(person_ids)
-- Of these people, those a text reaches: a number, consent to texts, and no STOP since.
SELECT id, phone FROM people
WHERE id = ANY(:person_ids::bigint[]) AND phone IS NOT NULL AND sms_consent AND sms_opted_out_at IS NULL;
