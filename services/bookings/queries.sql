-- name: insert_venue(organisation_id, name, address, protected, capacity, accessibility, house_rules)$
INSERT INTO venues (organisation_id, name, address, protected, capacity, accessibility, house_rules)
VALUES (:organisation_id, :name, :address, :protected, :capacity, :accessibility, :house_rules)
RETURNING id;

-- name: add_venue_contact(venue_id, person_id, organisation_id)$
-- Only a member of the venue's own organisation can answer for it.
INSERT INTO venue_contacts (venue_id, person_id)
SELECT :venue_id, :person_id
WHERE EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = :person_id AND m.organisation_id = :organisation_id)
ON CONFLICT DO NOTHING
RETURNING person_id;

-- name: add_borrower(venue_id, organisation_id)$
INSERT INTO venue_borrowers (venue_id, organisation_id)
SELECT :venue_id, :organisation_id WHERE EXISTS (SELECT 1 FROM organisations WHERE id = :organisation_id)
ON CONFLICT DO NOTHING
RETURNING organisation_id;

-- name: venues_for(organisation_id)
-- The rooms an organisation owns, and the rooms lent to it.
SELECT v.*, o.name AS organisation_name,
       coalesce((SELECT array_agg(c.person_id ORDER BY c.person_id) FROM venue_contacts c WHERE c.venue_id = v.id), '{}') AS contacts,
       coalesce((SELECT array_agg(b.organisation_id ORDER BY b.organisation_id) FROM venue_borrowers b WHERE b.venue_id = v.id), '{}') AS lent_to
FROM venues v JOIN organisations o ON o.id = v.organisation_id
WHERE v.organisation_id = :organisation_id
   OR EXISTS (SELECT 1 FROM venue_borrowers b WHERE b.venue_id = v.id AND b.organisation_id = :organisation_id)
ORDER BY o.name, lower(v.name), v.id;

-- name: get_venue(id)^
SELECT v.*, o.name AS organisation_name,
       coalesce((SELECT array_agg(c.person_id ORDER BY c.person_id) FROM venue_contacts c WHERE c.venue_id = v.id), '{}') AS contacts,
       coalesce((SELECT array_agg(b.organisation_id ORDER BY b.organisation_id) FROM venue_borrowers b WHERE b.venue_id = v.id), '{}') AS lent_to
FROM venues v JOIN organisations o ON o.id = v.organisation_id
WHERE v.id = :id;

-- name: insert_request(organisation_id, activity_id, venue_id, code, created_by, now)^
INSERT INTO booking_requests (organisation_id, activity_id, venue_id, code, created_by, created_at)
VALUES (:organisation_id, :activity_id, :venue_id, :code, :created_by, :now)
RETURNING *;

-- name: insert_bookings(request_id, venue_id, activity_id, occurrence_id, from_date, to_date, now)
-- One booking per scheduled, future date of the series in the period (or the one occurrence).
-- A date that already has a room asked for or confirmed is left out.
INSERT INTO bookings (request_id, venue_id, occurrence_id, during)
SELECT :request_id, :venue_id, o.id, tstzrange(o.starts_at, o.ends_at)
FROM occurrences o
WHERE o.activity_id = :activity_id AND o.status = 'scheduled' AND o.starts_at > :now
  AND (:occurrence_id::bigint IS NULL OR o.id = :occurrence_id)
  AND (:from_date::date IS NULL OR o.local_date >= :from_date)
  AND (:to_date::date IS NULL OR o.local_date <= :to_date)
ORDER BY o.starts_at
ON CONFLICT (occurrence_id) WHERE status IN ('requested', 'confirmed') DO NOTHING
RETURNING id;

-- name: get_request(id)^
SELECT * FROM named_booking_requests WHERE id = :id;

-- name: requests_of(organisation_id)
SELECT * FROM named_booking_requests WHERE organisation_id = :organisation_id ORDER BY id DESC LIMIT 200;

-- name: bookings_of_requests(request_ids)
SELECT b.*, o.local_date, o.starts_at, o.ends_at
FROM bookings b JOIN occurrences o ON o.id = b.occurrence_id
WHERE b.request_id = ANY(:request_ids)
ORDER BY o.starts_at, b.id;

-- name: bookings_of_request(request_id)
SELECT b.*, o.local_date, o.starts_at, o.ends_at, p.display_name AS answered_by_name
FROM bookings b
JOIN occurrences o ON o.id = b.occurrence_id
LEFT JOIN people p ON p.id = b.answered_by
WHERE b.request_id = :request_id
ORDER BY o.starts_at, b.id;

-- name: booking_for_partner(id, organisation_id)^
-- A booking of one of this partner's rooms.
SELECT b.*, r.id AS request_id FROM bookings b
JOIN venues v ON v.id = b.venue_id
JOIN booking_requests r ON r.id = b.request_id
WHERE b.id = :id AND v.organisation_id = :organisation_id;

-- name: answer_booking(id, status, person_id, via, now)^
-- A date waiting for an answer is confirmed or declined; a confirmed one can still be withdrawn
-- (declined) when the partner needs the room after all. Anything else (a second tap) finds nothing.
WITH before AS (SELECT id, status FROM bookings WHERE id = :id FOR UPDATE)
UPDATE bookings b SET status = :status, answered_by = :person_id, answered_at = :now, answered_via = :via
FROM before
WHERE b.id = before.id
  AND (before.status = 'requested' OR (before.status = 'confirmed' AND :status = 'declined'))
RETURNING b.*, before.status AS was;

-- name: holder_of(venue_id, booking_id)^
-- The confirmed booking that holds the room when another one of the same time is confirmed.
SELECT b.id, a.title, o.local_date, org.name AS borrower_name
FROM bookings b
JOIN bookings mine ON mine.id = :booking_id
JOIN occurrences o ON o.id = b.occurrence_id
JOIN activities a ON a.id = o.activity_id
JOIN booking_requests r ON r.id = b.request_id
JOIN organisations org ON org.id = r.organisation_id
WHERE b.venue_id = :venue_id AND b.status = 'confirmed' AND b.during && mine.during AND b.id <> mine.id
LIMIT 1;

-- name: incoming(organisation_id, now)
-- Dates asked of this partner's rooms that still wait for an answer.
SELECT id, request_id, occurrence_id, status, local_date, starts_at, ends_at, title, venue_name, borrower_name
FROM named_bookings
WHERE venue_organisation_id = :organisation_id AND status = 'requested' AND starts_at > :now
ORDER BY starts_at, id;

-- name: contacts_of(venue_id)
SELECT p.id, p.display_name
FROM venue_contacts c JOIN people p ON p.id = c.person_id
WHERE c.venue_id = :venue_id
ORDER BY p.id;

-- name: contact_of(venue_id, person_id)^
-- One person who answers for the room, or nothing if they do not (any more).
SELECT p.id, p.display_name, p.language, p.time_zone
FROM venue_contacts c JOIN people p ON p.id = c.person_id
WHERE c.venue_id = :venue_id AND c.person_id = :person_id;

-- name: request_by_code(person_id, code)^
-- The latest request with this code for a room this person answers for.
SELECT r.* FROM booking_requests r
JOIN venue_contacts c ON c.venue_id = r.venue_id AND c.person_id = :person_id
WHERE r.code = :code
ORDER BY r.id DESC
LIMIT 1;

-- name: unanswered_requests(now)
-- Requests with dates still waiting whose partner has had their days to answer: first a reminder,
-- then (as many days later) the borrowing coordinators are told.
SELECT r.*, a.title, a.time_zone, v.name AS venue_name, p.booking_reminder_days, org.name AS borrower_name,
       (SELECT count(*) FROM bookings b JOIN occurrences o ON o.id = b.occurrence_id
        WHERE b.request_id = r.id AND b.status = 'requested' AND o.starts_at > :now) AS waiting,
       (SELECT min(o.starts_at) FROM bookings b JOIN occurrences o ON o.id = b.occurrence_id
        WHERE b.request_id = r.id AND b.status = 'requested' AND o.starts_at > :now) AS first_waiting
FROM booking_requests r
JOIN venues v ON v.id = r.venue_id
JOIN organisations p ON p.id = v.organisation_id
JOIN organisations org ON org.id = r.organisation_id
JOIN activities a ON a.id = r.activity_id
WHERE r.escalated_at IS NULL
  AND coalesce(r.reminded_at, r.created_at) <= :now - make_interval(days => p.booking_reminder_days)
  AND EXISTS (SELECT 1 FROM bookings b JOIN occurrences o ON o.id = b.occurrence_id
              WHERE b.request_id = r.id AND b.status = 'requested' AND o.starts_at > :now)
ORDER BY r.id
FOR UPDATE OF r SKIP LOCKED;

-- name: mark_reminded(id, now)!
UPDATE booking_requests SET reminded_at = :now WHERE id = :id;

-- name: mark_escalated(id, now)!
UPDATE booking_requests SET escalated_at = :now WHERE id = :id;

-- name: changes_to_tell()
-- Bookings whose occurrence moved or was cancelled since the partner was last told.
SELECT b.id, b.request_id, b.change, b.changed_at, b.venue_id, o.starts_at, a.title, v.name AS venue_name,
       r.code, o.ends_at
FROM bookings b
JOIN occurrences o ON o.id = b.occurrence_id
JOIN activities a ON a.id = o.activity_id
JOIN venues v ON v.id = b.venue_id
JOIN booking_requests r ON r.id = b.request_id
WHERE b.change IS NOT NULL AND b.partner_told_at IS DISTINCT FROM b.changed_at
ORDER BY b.id
FOR UPDATE OF b SKIP LOCKED;

-- name: mark_told(id, changed_at)!
-- Records which change the partner heard of (the trigger's time), so a later change is told too.
UPDATE bookings SET partner_told_at = :changed_at WHERE id = :id;

-- name: room_problems(organisation_id, starts_from, starts_before)
-- Scheduled dates whose room was declined and that have no other room asked for or confirmed.
SELECT DISTINCT ON (o.id) o.id AS occurrence_id, a.id AS activity_id, a.title, o.local_date, o.starts_at,
       v.name AS venue_name, b.status
FROM bookings b
JOIN booking_requests r ON r.id = b.request_id
JOIN occurrences o ON o.id = b.occurrence_id
JOIN activities a ON a.id = o.activity_id
JOIN venues v ON v.id = b.venue_id
WHERE r.organisation_id = :organisation_id AND b.status = 'declined'
  AND o.status = 'scheduled' AND o.starts_at >= :starts_from AND o.starts_at < :starts_before
  AND NOT EXISTS (SELECT 1 FROM bookings live WHERE live.occurrence_id = o.id AND live.status IN ('requested', 'confirmed'))
ORDER BY o.id, b.answered_at DESC;

-- name: venue_events(organisation_id, window_start, window_end)
-- The venue feed: confirmed bookings of the partner's rooms, with the activity's title only.
SELECT id, lower(during) AS starts_at, upper(during) AS ends_at, answered_at,
       title, venue_name, venue_address, protected, borrower_name
FROM named_bookings
WHERE venue_organisation_id = :organisation_id AND status = 'confirmed'
  AND upper(during) >= :window_start AND lower(during) < :window_end
ORDER BY lower(during), id;

-- name: booking_facts(id)^
SELECT b.id, b.status, r.organisation_id, a.title, o.starts_at, v.name AS venue_name
FROM bookings b
JOIN booking_requests r ON r.id = b.request_id
JOIN occurrences o ON o.id = b.occurrence_id
JOIN activities a ON a.id = o.activity_id
JOIN venues v ON v.id = b.venue_id
WHERE b.id = :id;

-- name: venues_of_contact(person_id)
SELECT v.id, v.name, v.address, v.capacity FROM venues v JOIN venue_contacts c ON c.venue_id = v.id
WHERE c.person_id = :person_id
ORDER BY v.name, v.id;

-- name: dates_for_contact(person_id, now)
-- Every coming date asked of, or confirmed for, the rooms this person answers for.
SELECT b.id, b.request_id, b.venue_id, b.status, b.local_date, b.starts_at, b.ends_at, b.title,
       b.venue_name, b.borrower_name, v.organisation_id AS venue_organisation_id,
       (SELECT time_zone FROM organisations WHERE id = v.organisation_id) AS time_zone
FROM named_bookings b
JOIN venue_contacts c ON c.venue_id = b.venue_id AND c.person_id = :person_id
JOIN venues v ON v.id = b.venue_id
WHERE b.status IN ('requested', 'confirmed') AND b.starts_at > :now
ORDER BY b.starts_at, b.id;

-- What this context holds about a person (services/bookings/privacy.py).

-- name: export_rooms(person_id)
-- Rooms she answers for, requests she made, dates she answered.
SELECT to_jsonb(v) AS item FROM venue_contacts v WHERE v.person_id = :person_id
UNION ALL
SELECT to_jsonb(r) AS item FROM booking_requests r WHERE r.created_by = :person_id
UNION ALL
SELECT to_jsonb(b) - 'during' AS item FROM bookings b WHERE b.answered_by = :person_id;

-- name: erase_room_contact(person_id)!
DELETE FROM venue_contacts WHERE person_id = :person_id;
