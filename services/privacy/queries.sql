-- Everything held about one person, section by section, whole rows (secrets left out). With an
-- organisation, only what that organisation holds where a row says whose it is; the person's own
-- export (organisation NULL) has all of it.

-- name: export_person(person_id)
SELECT to_jsonb(p) AS item FROM people p WHERE p.id = :person_id;

-- name: export_memberships(person_id, organisation_id)
SELECT to_jsonb(m) || jsonb_build_object('organisation_name', o.name) AS item
FROM memberships m JOIN organisations o ON o.id = m.organisation_id
WHERE m.person_id = :person_id AND (:organisation_id::bigint IS NULL OR m.organisation_id = :organisation_id)
ORDER BY m.organisation_id, m.role;

-- name: export_qualifications(person_id, organisation_id)
SELECT to_jsonb(q) || jsonb_build_object('qualification', t.name) AS item
FROM person_qualifications q JOIN qualification_types t ON t.id = q.qualification_type_id
WHERE (q.person_id = :person_id OR q.recorded_by = :person_id)
  AND (:organisation_id::bigint IS NULL OR t.organisation_id = :organisation_id)
ORDER BY q.id;

-- name: export_availability(person_id)
SELECT to_jsonb(a) AS item FROM availability a WHERE a.person_id = :person_id ORDER BY a.id;

-- name: export_blackouts(person_id)
SELECT to_jsonb(b) AS item FROM blackouts b WHERE b.person_id = :person_id ORDER BY b.id;

-- name: export_assignments(person_id, organisation_id)
-- Her shifts and attendance, and what she did to others' as a coordinator.
SELECT to_jsonb(asg) - 'during' || jsonb_build_object('activity', a.title, 'starts_at', o.starts_at,
                                                      'role', r.name, 'organisation_id', a.organisation_id) AS item
FROM assignments asg
JOIN occurrences o ON o.id = asg.occurrence_id
JOIN activities a ON a.id = o.activity_id
JOIN activity_roles r ON r.id = asg.activity_role_id
WHERE :person_id IN (asg.person_id, asg.created_by, asg.ended_by, asg.attendance_by)
  AND (:organisation_id::bigint IS NULL OR a.organisation_id = :organisation_id
       OR EXISTS (SELECT 1 FROM activity_shares s WHERE s.activity_id = a.id AND s.organisation_id = :organisation_id))
ORDER BY o.starts_at, asg.id;

-- name: export_sms_sent(person_id, organisation_id)
-- Texts to her, found by her id (never by a number, which others may share or have typed in);
-- a one-time code is not copied out even while it waits to go.
SELECT CASE WHEN s.key ~ '^(sign-in|phone-proof):' THEN to_jsonb(s) || '{"body": "(one-time code)"}'
            ELSE to_jsonb(s) END AS item
FROM outbox s
WHERE s.person_id = :person_id
  AND (:organisation_id::bigint IS NULL OR s.organisation_id = :organisation_id)
ORDER BY s.id;

-- name: export_sms_received(person_id, organisation_id)
SELECT to_jsonb(r) AS item FROM sms_replies r
WHERE r.person_id = :person_id
  AND (:organisation_id::bigint IS NULL OR r.organisation_id = :organisation_id)
ORDER BY r.id;

-- name: export_feeds(person_id, organisation_id)
SELECT to_jsonb(f) - 'token_hash' AS item FROM feed_subscriptions f
WHERE (f.person_id = :person_id OR f.created_by = :person_id)
  AND (:organisation_id::bigint IS NULL OR f.organisation_id = :organisation_id)
ORDER BY f.id;

-- name: export_tokens(person_id, organisation_id)
SELECT to_jsonb(t) - 'token_hash' AS item FROM api_tokens t
WHERE (t.person_id = :person_id OR t.created_by = :person_id)
  AND (:organisation_id::bigint IS NULL OR t.organisation_id = :organisation_id)
ORDER BY t.id;

-- name: export_sign_ins(person_id, organisation_id)
-- Where she was signed in, the numbers she asked to prove (never the codes), the report links she shared.
SELECT to_jsonb(s) - 'secret_hash' AS item FROM sessions s
WHERE s.person_id = :person_id AND (:organisation_id::bigint IS NULL OR s.organisation_id = :organisation_id)
UNION ALL
SELECT to_jsonb(p) - 'code_hash' AS item FROM phone_proofs p
WHERE p.person_id = :person_id AND (:organisation_id::bigint IS NULL OR p.organisation_id = :organisation_id)
UNION ALL
SELECT to_jsonb(r) AS item FROM report_links r
WHERE r.shared_by = :person_id AND (:organisation_id::bigint IS NULL OR r.organisation_id = :organisation_id);

-- name: export_sign_in_codes(person_id, organisation_id)
SELECT to_jsonb(c) - 'code_hash' - 'asked_from' AS item FROM sign_in_codes c
WHERE c.person_id = :person_id
  AND (:organisation_id::bigint IS NULL OR c.organisation_id = :organisation_id)
ORDER BY c.id;

-- name: export_swap_offers(person_id)
SELECT to_jsonb(s) AS item FROM swap_offers s
WHERE :person_id IN (s.offered_by, s.offered_to, s.taken_by)
ORDER BY s.id;

-- name: export_cover(person_id, organisation_id)
-- Cover requests she made or filled, and the asks she answered.
SELECT to_jsonb(c) AS item FROM cover_requests c
WHERE :person_id IN (c.created_by, c.filled_by)
  AND (:organisation_id::bigint IS NULL OR c.organisation_id = :organisation_id)
UNION ALL
SELECT to_jsonb(k) AS item FROM cover_asks k JOIN cover_requests c ON c.id = k.request_id
WHERE k.person_id = :person_id AND (:organisation_id::bigint IS NULL OR c.organisation_id = :organisation_id);

-- name: export_rooms(person_id)
-- Rooms she answers for, requests she made, dates she answered.
SELECT to_jsonb(v) AS item FROM venue_contacts v WHERE v.person_id = :person_id
UNION ALL
SELECT to_jsonb(r) AS item FROM booking_requests r WHERE r.created_by = :person_id
UNION ALL
SELECT to_jsonb(b) - 'during' AS item FROM bookings b WHERE b.answered_by = :person_id;

-- name: export_watches_and_check_ins(person_id)
SELECT to_jsonb(w) AS item FROM shift_watches w WHERE w.person_id = :person_id
UNION ALL
SELECT to_jsonb(c) AS item FROM check_ins c WHERE c.person_id = :person_id
UNION ALL
SELECT to_jsonb(d) AS item FROM on_duty d WHERE d.person_id = :person_id;

-- name: export_consent(person_id)
SELECT to_jsonb(c) AS item FROM consent_events c WHERE c.person_id = :person_id ORDER BY c.id;

-- name: export_audit(person_id, organisation_id)
-- What the trail holds about her: changes she made, and changes to her own rows.
SELECT to_jsonb(l) AS item FROM audit_log l
WHERE (l.actor_person_id = :person_id
       OR (l.table_name = 'people' AND l.row_id = :person_id)
       OR l.changes -> 'person_id' ->> 0 = :person_id::text
       OR l.changes -> 'person_id' ->> 1 = :person_id::text)
  AND (:organisation_id::bigint IS NULL OR l.organisation_id = :organisation_id)
ORDER BY l.id;

-- name: hours_by_month(person_id, organisation_id)
SELECT to_char(o.starts_at AT TIME ZONE a.time_zone, 'YYYY-MM') AS month,
       round(sum(extract(epoch FROM o.ends_at - o.starts_at)) / 3600.0, 2) AS hours, count(*) AS dates
FROM assignments asg
JOIN occurrences o ON o.id = asg.occurrence_id
JOIN activities a ON a.id = o.activity_id
WHERE asg.person_id = :person_id AND asg.attendance = 'attended'
  AND (:organisation_id::bigint IS NULL OR a.organisation_id = :organisation_id)
GROUP BY 1 ORDER BY 1;

-- name: allow_erasure()!
-- The one change besides retention that may rewrite the audit trail, for this transaction only.
SELECT set_config('volops.audit_maintenance', 'erasure', true);

-- name: person_to_erase(person_id)^
SELECT id, display_name, phone, erased_at FROM people WHERE id = :person_id FOR UPDATE;

-- name: coming_assignments(person_id, now)
SELECT asg.id FROM assignments asg JOIN occurrences o ON o.id = asg.occurrence_id
WHERE asg.person_id = :person_id AND asg.status = 'active' AND o.starts_at > :now;

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

-- name: erase_replies(person_id)!
UPDATE sms_replies SET body = '(erased)', from_phone = '(erased)' WHERE person_id = :person_id;

-- name: erase_sign_in_codes(person_id)!
DELETE FROM sign_in_codes WHERE person_id = :person_id;

-- name: revoke_everything(person_id, now)!
-- Tokens, page links and calendar feeds stop working.
WITH tokens AS (
    UPDATE api_tokens SET revoked_at = coalesce(revoked_at, :now) WHERE person_id = :person_id
), signed_in AS (
    UPDATE sessions SET ended_at = coalesce(ended_at, :now) WHERE person_id = :person_id
)
UPDATE feed_subscriptions SET revoked_at = coalesce(revoked_at, :now) WHERE person_id = :person_id;

-- name: remove_personal_rows(person_id)!
-- What is only about her: availability, days away, qualifications, watches, duty, room contact,
-- the numbers she asked to prove; the report links she shared stop working.
WITH a AS (DELETE FROM availability WHERE person_id = :person_id),
     b AS (DELETE FROM blackouts WHERE person_id = :person_id),
     q AS (DELETE FROM person_qualifications WHERE person_id = :person_id),
     w AS (DELETE FROM shift_watches WHERE person_id = :person_id),
     d AS (DELETE FROM on_duty WHERE person_id = :person_id),
     s AS (UPDATE swap_offers SET status = 'withdrawn' WHERE offered_by = :person_id AND status = 'open'),
     p AS (DELETE FROM phone_proofs WHERE person_id = :person_id),
     r AS (UPDATE report_links SET revoked_at = coalesce(revoked_at, now()) WHERE shared_by = :person_id)
DELETE FROM venue_contacts WHERE person_id = :person_id;

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

-- name: scrub_trail(person_id, name, pseudonym)!
-- The trail keeps every event but no longer her name: rows about her row, and those of her
-- organisations that quote it. Another organisation's trail stays as it was written.
UPDATE audit_log
SET changes = replace(changes::text, :name, :pseudonym)::jsonb
WHERE changes::text LIKE '%' || :name || '%'
  AND ((table_name = 'people' AND row_id = :person_id)
       OR organisation_id IN (SELECT organisation_id FROM memberships WHERE person_id = :person_id));

-- name: allow_retention()!
SELECT set_config('volops.audit_maintenance', 'retention', true);

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

-- name: purge_replies(now)$
-- Answers by SMS: after the shortest time any of the sender's organisations keeps texts.
WITH purged AS (
    UPDATE sms_replies r SET body = '(purged)', from_phone = '(purged)'
    WHERE r.body NOT IN ('(purged)', '(erased)')
      AND r.received_at < :now::timestamptz - make_interval(days => coalesce(
            (SELECT o.sms_retention_days FROM organisations o WHERE o.id = r.organisation_id), 90))
    RETURNING 1
)
SELECT count(*) FROM purged;

-- name: purge_codes(before)$
-- Sign-in codes and number proofs are needed for minutes (their limits look back an hour): after a
-- day nothing is kept of them, not even the number someone typed.
WITH codes AS (DELETE FROM sign_in_codes WHERE created_at < :before RETURNING 1),
     proofs AS (DELETE FROM phone_proofs WHERE created_at < :before RETURNING 1)
SELECT (SELECT count(*) FROM codes) + (SELECT count(*) FROM proofs);

-- name: purge_trail(now)$
-- The trail's rows older than their organisation keeps them (the only deletion it allows).
WITH gone AS (
    DELETE FROM audit_log l USING organisations o
    WHERE o.id = l.organisation_id AND l.at < :now::timestamptz - make_interval(days => o.audit_retention_days)
    RETURNING 1
)
SELECT count(*) FROM gone;

-- name: inactive_volunteers(organisation_id, now)
-- Volunteers with no shift (and not added) for the organisation's months: flagged to its
-- coordinators, with the day they will be anonymised unless kept.
SELECT p.id, p.display_name, p.keep_while_inactive, last.seen,
       last.seen + make_interval(months => o.inactive_after_months + o.anonymise_after_months) AS anonymised_on
FROM people p
JOIN memberships m ON m.person_id = p.id AND m.organisation_id = :organisation_id AND m.role = 'volunteer'
JOIN organisations o ON o.id = m.organisation_id
CROSS JOIN LATERAL (
    SELECT greatest(p.created_at, (SELECT max(oc.ends_at) FROM assignments a JOIN occurrences oc ON oc.id = a.occurrence_id
                                   WHERE a.person_id = p.id)) AS seen
) last
WHERE p.erased_at IS NULL AND last.seen < :now::timestamptz - make_interval(months => o.inactive_after_months)
ORDER BY last.seen, p.id;

-- name: due_for_anonymising(now)
-- Inactive past the grace period in every organisation they volunteer for, and not kept.
SELECT p.id, min(m.organisation_id) AS organisation_id
FROM people p
JOIN memberships m ON m.person_id = p.id AND m.role = 'volunteer'
JOIN organisations o ON o.id = m.organisation_id
WHERE p.erased_at IS NULL AND NOT p.keep_while_inactive
  AND greatest(p.created_at, (SELECT max(oc.ends_at) FROM assignments a JOIN occurrences oc ON oc.id = a.occurrence_id
                              WHERE a.person_id = p.id))
      < :now::timestamptz - make_interval(months => o.inactive_after_months + o.anonymise_after_months)
  AND NOT EXISTS (SELECT 1 FROM memberships other WHERE other.person_id = p.id
                  AND other.role IN ('coordinator', 'partner_contact'))
GROUP BY p.id
HAVING count(*) = (SELECT count(*) FROM memberships all_m WHERE all_m.person_id = p.id AND all_m.role = 'volunteer')
ORDER BY p.id;

-- name: keep_while_inactive(organisation_id, person_id, keep)$
UPDATE people p SET keep_while_inactive = :keep
WHERE p.id = :person_id
  AND EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id AND m.organisation_id = :organisation_id)
RETURNING p.id;
