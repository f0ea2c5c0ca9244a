-- name: enqueue(key, channel, kind, organisation_id, person_id, assignment_id, answers_reply, to_address, body, segments, due_at, now)$
-- Planning the same notice twice creates nothing new; one cancelled before it went (her reminders
-- while she had left the shift) is planned again.
INSERT INTO outbox (key, channel, kind, organisation_id, person_id, assignment_id, answers_reply, to_address, body,
                    segments, due_at, created_at, updated_at)
VALUES (:key, :channel, :kind, :organisation_id, :person_id, :assignment_id, :answers_reply, :to_address, :body,
        :segments, :due_at, :now, :now)
ON CONFLICT (key, channel) DO UPDATE
    SET status = 'pending', to_address = EXCLUDED.to_address, body = EXCLUDED.body,
        segments = EXCLUDED.segments, due_at = EXCLUDED.due_at, updated_at = EXCLUDED.updated_at
    WHERE outbox.status = 'cancelled'
RETURNING id;

-- name: shift(assignment_id)^
-- What a notice about one assignment says, and when its reminders go.
SELECT asg.id AS assignment_id, asg.status AS assignment_status, asg.person_id, asg.code,
       o.status AS occurrence_status, o.starts_at, o.sequence, a.organisation_id, a.title,
       pl.name AS place_name, dp.name AS dropoff_name,
       coalesce(p.reminder_offsets_minutes, org.reminder_offsets_minutes) AS offsets
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
    UPDATE outbox SET status = 'cancelled', updated_at = :now
    WHERE assignment_id = :assignment_id AND status = 'pending' AND kind = 'reminder'
      AND NOT (key = ANY(:keep_keys::text[]))
    RETURNING 1
)
SELECT count(*) FROM gone;

-- name: cancel_pending_changes(assignment_id, now)
-- A change notice not yet sent is replaced by the newer one (the keys say which change it told).
WITH gone AS (
    UPDATE outbox SET status = 'cancelled', updated_at = :now
    WHERE assignment_id = :assignment_id AND status = 'pending' AND kind = 'change_notice'
    RETURNING key
)
SELECT key FROM gone;

-- name: active_assignments_of_occurrence(occurrence_id)
SELECT id FROM assignments WHERE occurrence_id = :occurrence_id AND status = 'active';

-- name: assignments_starting(starts_from, starts_before)
SELECT asg.id FROM assignments asg JOIN occurrences o ON o.id = asg.occurrence_id
WHERE asg.status = 'active' AND o.status = 'scheduled'
  AND o.starts_at >= :starts_from AND o.starts_at < :starts_before;

-- name: current_assignments_of(person_id, now)
SELECT asg.id FROM assignments asg JOIN occurrences o ON o.id = asg.occurrence_id
WHERE asg.person_id = :person_id AND asg.status = 'active' AND o.starts_at > :now;

-- name: texts_go_out(key_prefix, now)$
-- When the texts just written under these keys actually leave: now, or later for people in their
-- quiet hours.
SELECT greatest(:now::timestamptz, max(due_at)) FROM outbox
WHERE key LIKE :key_prefix || '%' AND status IN ('pending', 'queued');

-- name: take_back(key_prefix, now)$
-- Notices under these keys not sent yet are not sent; how many had already gone.
WITH stopped AS (
    UPDATE outbox SET status = 'cancelled', updated_at = :now
    WHERE starts_with(key, :key_prefix) AND status = 'pending'
    RETURNING 1
)
SELECT count(*) FROM outbox WHERE starts_with(key, :key_prefix) AND status NOT IN ('pending', 'cancelled');

-- name: cancel_pending(key, now)!
UPDATE outbox SET status = 'cancelled', updated_at = :now WHERE key = :key AND status = 'pending';

-- name: recipients(person_ids)
-- People as a notice to them needs them: language and zone, and how they would rather be told.
-- (Where each channel reaches them, each channel reads itself.)
SELECT id, language, time_zone, notice_channel FROM people WHERE id = ANY(:person_ids::bigint[]);

-- What this context holds about a person (services/notices/privacy.py).

-- name: export_sms_sent(person_id, organisation_id)
-- Texts to her, found by her id (never by a number, which others may share or have typed in);
-- a one-time code is not copied out even while it waits to go.
SELECT CASE WHEN s.key ~ '^(sign-in|phone-proof):' THEN to_jsonb(s) || '{"body": "(one-time code)"}'
            ELSE to_jsonb(s) END AS item
FROM outbox s
WHERE s.person_id = :person_id
  AND (:organisation_id::bigint IS NULL OR s.organisation_id = :organisation_id)
ORDER BY s.id;

-- name: erase_texts(person_id, organisation_id, phone, name)!
-- Texts to her (found by her id): waiting ones cancelled; bodies and numbers gone (delivery state
-- kept). Her name and number taken out of texts to others of her organisation (a check-in alert
-- names the pair). Another organisation's texts are never touched: a number or a name that
-- matches there is someone else's record.
UPDATE outbox
SET status = CASE WHEN person_id = :person_id AND status IN ('pending', 'queued') THEN 'cancelled' ELSE status END,
    body = CASE WHEN person_id = :person_id THEN '(erased)'
                ELSE replace(replace(body, :phone, '(erased)'), :name, '(erased)') END,
    to_address = CASE WHEN person_id = :person_id THEN '+9990000000' ELSE to_address END
WHERE person_id = :person_id
   OR (organisation_id = :organisation_id AND (body LIKE '%' || :phone || '%' OR body LIKE '%' || :name || '%'));

-- name: purge_sms_bodies(now)$
-- Texts older than their organisation keeps them: body and number go, what happened stays.
WITH purged AS (
    UPDATE outbox s SET body = '(purged)', to_address = '+9990000000'
    FROM (SELECT s2.id FROM outbox s2 LEFT JOIN organisations o ON o.id = s2.organisation_id
          WHERE s2.body <> '(purged)' AND s2.body <> '(erased)'
            AND s2.status IN ('accepted', 'sent', 'delivered', 'undelivered', 'failed', 'cancelled')
            AND s2.created_at < :now::timestamptz - make_interval(days => coalesce(o.sms_retention_days, 90))) old
    WHERE s.id = old.id
    RETURNING 1
)
SELECT count(*) FROM purged;

-- name: coordinators_to_alert(organisation_id, everyone)
-- The on-duty coordinators (all of them when nobody is on duty, or when `everyone`).
SELECT p.id
FROM people p JOIN memberships m ON m.person_id = p.id
WHERE m.organisation_id = :organisation_id AND m.role = 'coordinator'
  AND (:everyone
       OR NOT EXISTS (SELECT 1 FROM on_duty d WHERE d.organisation_id = :organisation_id)
       OR EXISTS (SELECT 1 FROM on_duty d WHERE d.organisation_id = :organisation_id AND d.person_id = p.id))
ORDER BY p.id;
