-- name: people_by_phone(phone, now)
-- Whoever this number is on record for, in any organisation: a person who volunteers for two has
-- a row in each and answers both. A text with a code acts on exactly what the code names (of
-- these people's questions); without one, the conversation this phone was last texted in
-- answers, as on any phone (then the soonest shift). Each carries the organisation it answers in.
SELECT p.id, p.display_name, p.language, p.sms_consent, last.organisation_id,
       (SELECT min(o.starts_at) FROM assignments asg JOIN occurrences o ON o.id = asg.occurrence_id
        WHERE asg.person_id = p.id AND asg.status = 'active' AND o.status = 'scheduled' AND o.ends_at > :now) AS next_start
FROM people p
CROSS JOIN LATERAL (
    SELECT coalesce(
        (SELECT s.organisation_id FROM outbox s
         WHERE s.person_id = p.id AND s.channel = 'sms' AND s.to_address = p.phone AND s.organisation_id IS NOT NULL
         ORDER BY s.id DESC LIMIT 1),
        (SELECT min(m.organisation_id) FROM memberships m WHERE m.person_id = p.id)) AS organisation_id,
        (SELECT max(s.id) FROM outbox s WHERE s.person_id = p.id AND s.channel = 'sms' AND s.to_address = p.phone) AS last_text
) last
WHERE p.phone = :phone
ORDER BY last.last_text DESC NULLS LAST, next_start NULLS LAST, p.id;

-- name: open_questions(person_id, now)
-- What a bare JA or NEJ may be answering: her unanswered cover asks, the room requests waiting for
-- her as a venue's contact, and her next shift (however far away), each with the code that names it.
(SELECT 'cover' AS kind, r.code, a.title, o.starts_at, a.time_zone
 FROM cover_asks k
 JOIN cover_requests r ON r.id = k.request_id
 JOIN occurrences o ON o.id = r.occurrence_id
 JOIN activities a ON a.id = o.activity_id
 WHERE k.person_id = :person_id AND k.answer IS NULL AND r.status = 'open' AND o.starts_at > :now)
UNION ALL
(SELECT 'booking', r.code, a.title, min(lower(b.during)), min(a.time_zone)
 FROM booking_requests r
 JOIN venue_contacts c ON c.venue_id = r.venue_id AND c.person_id = :person_id
 JOIN bookings b ON b.request_id = r.id AND b.status = 'requested' AND lower(b.during) > :now
 JOIN activities a ON a.id = r.activity_id
 GROUP BY r.id, r.code, a.title)
UNION ALL
(SELECT 'shift', asg.code, a.title, o.starts_at, a.time_zone
 FROM assignments asg
 JOIN occurrences o ON o.id = asg.occurrence_id
 JOIN activities a ON a.id = o.activity_id
 WHERE asg.person_id = :person_id AND asg.status = 'active' AND o.status = 'scheduled' AND o.ends_at > :now
 ORDER BY o.starts_at
 LIMIT 1);

-- name: record_reply(sid, from_phone, person_id, organisation_id, body, understood, assignment_id, for_a_person, now)$
INSERT INTO sms_replies (sid, from_phone, person_id, organisation_id, body, understood, assignment_id,
                         for_a_person, received_at)
VALUES (:sid, :from_phone, :person_id, :organisation_id, :body, :understood, :assignment_id, :for_a_person, :now)
ON CONFLICT (sid) DO NOTHING
RETURNING id;

-- name: page_link_organisation(person_id)$
-- Where a person asking for her page link belongs: as a volunteer first, else as a partner contact.
SELECT organisation_id FROM memberships
WHERE person_id = :person_id AND role IN ('volunteer', 'partner_contact')
ORDER BY role = 'volunteer' DESC, organisation_id
LIMIT 1;

-- What this context holds about a person (services/inbox/privacy.py).

-- name: export_sms_received(person_id, organisation_id)
SELECT to_jsonb(r) AS item FROM sms_replies r
WHERE (r.person_id = :person_id OR r.done_by = :person_id)
  AND (:organisation_id::bigint IS NULL OR r.organisation_id = :organisation_id)
ORDER BY r.id;

-- name: erase_replies(person_id)!
-- Her texts lose their words and number; the texts she marked done as a coordinator forget her.
WITH dealt AS (UPDATE sms_replies SET done_by = NULL WHERE done_by = :person_id)
UPDATE sms_replies SET body = '(erased)', from_phone = '(erased)' WHERE person_id = :person_id;

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

-- name: waiting(organisation_id, now)
-- Texts a coordinator should read, newest first: who, when, what, and her next shift here.
SELECT r.id, r.person_id, p.display_name, r.received_at, r.body,
       next.title AS next_title, next.starts_at AS next_starts_at, next.time_zone AS next_time_zone
FROM sms_replies r
JOIN people p ON p.id = r.person_id
LEFT JOIN LATERAL (
    SELECT a.title, o.starts_at, a.time_zone FROM assignments asg
    JOIN occurrences o ON o.id = asg.occurrence_id
    JOIN activities a ON a.id = o.activity_id
    WHERE asg.person_id = r.person_id AND asg.status = 'active' AND o.status = 'scheduled'
      AND o.ends_at > :now AND a.organisation_id = r.organisation_id
    ORDER BY o.starts_at LIMIT 1
) next ON true
WHERE r.organisation_id = :organisation_id AND r.for_a_person AND r.done_at IS NULL
ORDER BY r.id DESC
LIMIT 200;

-- name: how_many_waiting(organisation_id)$
SELECT count(*) FROM sms_replies
WHERE organisation_id = :organisation_id AND for_a_person AND done_at IS NULL;

-- name: text_here(organisation_id, id)^
-- One text sent to this organisation, with whose it is.
SELECT r.id, r.person_id, p.display_name, r.received_at
FROM sms_replies r JOIN people p ON p.id = r.person_id
WHERE r.id = :id AND r.organisation_id = :organisation_id;

-- name: thread(organisation_id, person_id, since, now)
-- Her texts both ways with this organisation, oldest first: what she sent, and what we sent her
-- or are about to (one-time codes only as words saying what they were). Reminders planned for
-- later are not the conversation yet; an answer held by her quiet hours is.
SELECT 'in' AS direction, r.id, r.received_at AS at, r.body, 'received' AS status,
       r.for_a_person AND r.done_at IS NULL AS waiting, NULL::timestamptz AS due_at
FROM sms_replies r
WHERE r.organisation_id = :organisation_id AND r.person_id = :person_id AND r.received_at >= :since
UNION ALL
SELECT 'out', s.id, s.created_at,
       CASE WHEN s.key ~ '^(sign-in|phone-proof):' THEN '(one-time code)' ELSE s.body END, s.status,
       false, s.due_at
FROM outbox s
WHERE s.organisation_id = :organisation_id AND s.person_id = :person_id AND s.created_at >= :since
  AND (s.due_at <= :now OR s.answers_reply IS NOT NULL) AND s.status <> 'cancelled'
ORDER BY at, direction, id;

-- name: mark_done(organisation_id, person_id, by, now)$
-- Everything she said that waited is read and dealt with.
WITH done AS (
    UPDATE sms_replies SET done_at = :now, done_by = :by
    WHERE organisation_id = :organisation_id AND person_id = :person_id AND for_a_person AND done_at IS NULL
    RETURNING 1
)
SELECT count(*) FROM done;

-- name: next_start(organisation_id, person_id, now)$
SELECT min(o.starts_at) FROM assignments asg
JOIN occurrences o ON o.id = asg.occurrence_id
JOIN activities a ON a.id = o.activity_id
WHERE asg.person_id = :person_id AND asg.status = 'active' AND o.status = 'scheduled'
  AND o.ends_at > :now AND a.organisation_id = :organisation_id;

-- name: texts_since(organisation_id, since)$
-- Texts for a coordinator that came in after a moment.
SELECT count(*) FROM sms_replies
WHERE organisation_id = :organisation_id AND for_a_person AND received_at > :since;
