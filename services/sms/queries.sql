-- name: enqueue(key, kind, organisation_id, person_id, assignment_id, to_phone, body, segments, due_at, now)$
-- Planning the same message twice creates nothing new.
INSERT INTO sms_outbox (key, kind, organisation_id, person_id, assignment_id, to_phone, body, segments,
                        due_at, created_at, updated_at)
VALUES (:key, :kind, :organisation_id, :person_id, :assignment_id, :to_phone, :body, :segments, :due_at, :now, :now)
ON CONFLICT (key) DO NOTHING
RETURNING id;

-- name: reminder_context(assignment_id)^
-- Everything a reminder for one assignment needs; NULL fields mean no SMS can go.
SELECT asg.id AS assignment_id, asg.status AS assignment_status, asg.person_id, asg.code, o.id AS occurrence_id,
       o.status AS occurrence_status, o.starts_at, o.sequence, a.organisation_id, a.title, a.time_zone,
       pl.name AS place_name, dp.name AS dropoff_name,
       p.phone, p.language, p.time_zone AS person_time_zone, p.sms_consent,
       p.sms_opted_out_at, coalesce(p.reminder_offsets_minutes, org.reminder_offsets_minutes) AS offsets
FROM assignments asg
JOIN occurrences o ON o.id = asg.occurrence_id
JOIN activities a ON a.id = o.activity_id
JOIN organisations org ON org.id = a.organisation_id
JOIN people p ON p.id = asg.person_id
LEFT JOIN places pl ON pl.id = o.place_id
LEFT JOIN places dp ON dp.id = (a.details #>> '{food_pickup,dropoff_place_id}')::bigint  -- the drop-off of a pickup
WHERE asg.id = :assignment_id;

-- name: cancel_pending_for_assignment(assignment_id, keep_keys, now)$
-- Reminders planned for an assignment that no longer stands, or for a time that has changed.
WITH gone AS (
    UPDATE sms_outbox SET status = 'cancelled', updated_at = :now
    WHERE assignment_id = :assignment_id AND status = 'pending' AND kind = 'reminder'
      AND NOT (key = ANY(:keep_keys::text[]))
    RETURNING 1
)
SELECT count(*) FROM gone;

-- name: cancel_pending_for_person(person_id, now)!
UPDATE sms_outbox SET status = 'cancelled', updated_at = :now
WHERE person_id = :person_id AND status = 'pending';

-- name: active_assignments_of_occurrence(occurrence_id)
SELECT id FROM assignments WHERE occurrence_id = :occurrence_id AND status = 'active';

-- name: assignments_starting(starts_from, starts_before)
SELECT asg.id FROM assignments asg JOIN occurrences o ON o.id = asg.occurrence_id
WHERE asg.status = 'active' AND o.status = 'scheduled'
  AND o.starts_at >= :starts_from AND o.starts_at < :starts_before;

-- name: claim_due(now, limit)
-- A dispatcher takes due rows; SKIP LOCKED lets several run at once without taking the same row.
UPDATE sms_outbox SET status = 'queued', queued_at = :now, updated_at = :now
WHERE id IN (SELECT id FROM sms_outbox
             WHERE status = 'pending' AND due_at <= :now AND next_attempt_at <= :now
             ORDER BY due_at, id
             LIMIT :limit
             FOR UPDATE SKIP LOCKED)
RETURNING id, attempts, queued_at;

-- name: begin_attempts(ids, now)
-- The last moment at which we know nothing left: after this the outcome is uncertain until
-- Twilio answers. Only a queued row can begin, so a job run twice cannot send twice.
UPDATE sms_outbox SET status = 'sending', send_started_at = :now, attempts = attempts + 1, updated_at = :now
WHERE id = ANY(:ids::bigint[]) AND status = 'queued'
RETURNING id, to_phone, body, attempts, person_id;

-- name: accepted(ids, sids, statuses, now)!
-- Twilio took these (one statement for a whole batch of sends). A one-time code is not kept
-- readable once it went out: its body is only words saying what it was.
UPDATE sms_outbox o SET status = taken.status, sid = taken.sid, error_code = NULL, error_message = NULL,
       updated_at = :now,
       body = CASE WHEN o.key ~ '^(sign-in|phone-proof):' THEN '(one-time code)' ELSE o.body END
FROM unnest(:ids::bigint[], :sids::text[], :statuses::text[]) AS taken(id, sid, status)
WHERE o.id = taken.id AND o.status IN ('sending', 'unknown');

-- name: retry_later(id, error, next_attempt_at, now)!
UPDATE sms_outbox SET status = 'pending', error_message = :error, next_attempt_at = :next_attempt_at,
       updated_at = :now
WHERE id = :id AND status IN ('sending', 'unknown');

-- name: failed(id, code, error, now)!
UPDATE sms_outbox SET status = 'failed', error_code = :code, error_message = :error, updated_at = :now,
       body = CASE WHEN key ~ '^(sign-in|phone-proof):' THEN '(one-time code)' ELSE body END
WHERE id = :id;

-- name: uncertain(id, error, now)!
UPDATE sms_outbox SET status = 'unknown', error_message = :error, updated_at = :now
WHERE id = :id AND status = 'sending';

-- name: opted_out(person_id, now)!
UPDATE people SET sms_opted_out_at = coalesce(sms_opted_out_at, :now), sms_consent = false WHERE id = :person_id;

-- name: stale_to_unknown(before, now)$
-- An attempt begun long ago with no answer recorded: its worker died. Never resend blindly.
WITH stale AS (
    UPDATE sms_outbox SET status = 'unknown', updated_at = :now,
           error_message = 'no answer recorded for this attempt'
    WHERE status = 'sending' AND send_started_at < :before
    RETURNING 1
)
SELECT count(*) FROM stale;

-- name: stale_queued_to_pending(before, now)$
-- Claimed but no attempt begun (its job was lost): nothing left, so it can simply go again.
WITH stale AS (
    UPDATE sms_outbox SET status = 'pending', updated_at = :now
    WHERE status = 'queued' AND queued_at < :before
    RETURNING 1
)
SELECT count(*) FROM stale;

-- name: unknowns(since, limit)
-- Least recently looked up first, so a long list is worked through round by round.
SELECT id, to_phone, body, sid, send_started_at FROM sms_outbox
WHERE status = 'unknown' AND (send_started_at IS NULL OR send_started_at >= :since)
ORDER BY updated_at LIMIT :limit;

-- name: not_found_yet(id, now)!
UPDATE sms_outbox SET updated_at = :now,
       error_message = 'Twilio has no record of it (yet); it may or may not have gone out, so it is not sent again by itself'
WHERE id = :id AND status = 'unknown';

-- name: send_again(id, organisation_id, now)$
-- A coordinator decided: back to the queue, at once.
UPDATE sms_outbox SET status = 'pending', next_attempt_at = :now, due_at = least(due_at, :now),
       error_message = 'sent again by a coordinator', updated_at = :now
WHERE id = :id AND organisation_id = :organisation_id AND status IN ('unknown', 'undelivered')
RETURNING id;

-- name: status_from_twilio(id, sid, status, error_code, now)!
-- Callbacks may arrive in any order or twice: a message only moves forward.
UPDATE sms_outbox SET status = :status, sid = coalesce(sid, :sid), error_code = coalesce(:error_code, error_code),
       updated_at = :now
WHERE id = :id AND status NOT IN ('cancelled', 'pending', 'queued')
  AND array_position(ARRAY['sending','unknown','accepted','sent','delivered','undelivered','failed'], status)
      < array_position(ARRAY['sending','unknown','accepted','sent','delivered','undelivered','failed'], :status::text);

-- name: outbox_id_by_sid(sid)$
SELECT id FROM sms_outbox WHERE sid = :sid;

-- name: receipt(token)$
SELECT response FROM webhook_receipts WHERE token = :token;

-- name: keep_receipt(token, response)$
INSERT INTO webhook_receipts (token, response) VALUES (:token, :response)
ON CONFLICT (token) DO NOTHING
RETURNING 1;

-- name: problems(organisation_id, after_id, limit)
-- Messages a coordinator should know about: not delivered, or not known to be.
SELECT id, kind, person_id, assignment_id, status, due_at, error_code, error_message, updated_at
FROM sms_outbox
WHERE organisation_id = :organisation_id AND status IN ('failed', 'undelivered', 'unknown')
  AND id > :after_id
ORDER BY id
LIMIT :limit;

-- name: current_assignments_of(person_id, now)
SELECT asg.id FROM assignments asg JOIN occurrences o ON o.id = asg.occurrence_id
WHERE asg.person_id = :person_id AND asg.status = 'active' AND o.starts_at > :now;

-- name: texts_go_out(key_prefix, now)$
-- When the texts just written under these keys actually leave: now, or later for people in their
-- quiet hours.
SELECT greatest(:now::timestamptz, max(due_at)) FROM sms_outbox
WHERE key LIKE :key_prefix || '%' AND status IN ('pending', 'queued');

-- name: cancel_pending(key)!
UPDATE sms_outbox SET status = 'cancelled', updated_at = now() WHERE key = :key AND status = 'pending';

-- name: person_for_sms(person_id)^
-- A person as a text to them needs them: where, in which language and zone, and whether they agreed.
SELECT id, phone, language, time_zone, sms_consent, sms_opted_out_at FROM people WHERE id = :person_id;

-- name: coordinators_for_sms(organisation_id)
SELECT p.id, p.phone, p.language, p.time_zone, p.sms_consent, p.sms_opted_out_at
FROM people p JOIN memberships m ON m.person_id = p.id
WHERE m.organisation_id = :organisation_id AND m.role = 'coordinator'
ORDER BY p.id;

-- name: opted_in(person_id)!
UPDATE people SET sms_consent = true, sms_opted_out_at = NULL WHERE id = :person_id;
