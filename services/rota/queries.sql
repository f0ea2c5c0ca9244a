-- name: role_staffing(organisation_id, starts_from, starts_before)
-- Each role of each scheduled occurrence this organisation can see, with how many of its people
-- still hold the role's qualifications on the day (an expired one leaves a gap).
SELECT o.id AS occurrence_id, o.starts_at, o.ends_at, o.local_date, a.id AS activity_id, a.title, a.kind, a.time_zone,
       r.id AS role_id, r.name AS role_name, r.min_people, r.max_people,
       count(asg.id) AS taken,
       -- who is on the role without a qualification it needs that day, and which ones
       coalesce(jsonb_agg(jsonb_build_object(
           'person_id', asg.person_id, 'name', p.display_name,
           'missing', (SELECT array_agg(m.name) FROM missing_qualifications(r.id, asg.person_id, o.local_date) AS m(name))
       ) ORDER BY asg.id) FILTER (
           WHERE asg.id IS NOT NULL
             AND EXISTS (SELECT 1 FROM missing_qualifications(r.id, asg.person_id, o.local_date))), '[]')::text AS unqualified
FROM occurrences o
JOIN activities a ON a.id = o.activity_id
JOIN activity_roles r ON r.activity_id = a.id
LEFT JOIN assignments asg ON asg.occurrence_id = o.id AND asg.activity_role_id = r.id AND asg.status = 'active'
LEFT JOIN people p ON p.id = asg.person_id
WHERE (a.organisation_id = :organisation_id
       OR EXISTS (SELECT 1 FROM activity_shares s WHERE s.activity_id = a.id AND s.organisation_id = :organisation_id))
  AND o.status = 'scheduled' AND o.starts_at >= :starts_from AND o.starts_at < :starts_before
GROUP BY o.id, a.id, r.id
ORDER BY o.starts_at, o.id, r.id;

-- name: candidate_facts(occurrence_id, role_id, since_30, since_90, month_start, month_end)
-- Everything the candidate rules and the ranking need, for each member who takes shifts in the
-- organisations that plan this occurrence together: its owner and the partners it is shared with.
SELECT p.id, p.display_name, p.language, p.time_zone, p.max_hours_per_month,
       ARRAY(SELECT missing_qualifications(:role_id, p.id, o.local_date)) AS missing,
       EXISTS (SELECT 1 FROM assignments x WHERE x.person_id = p.id AND x.status = 'active'
               AND x.occurrence_id = o.id) AS already_on,
       EXISTS (SELECT 1 FROM assignments x WHERE x.person_id = p.id AND x.status = 'active'
               AND x.occurrence_id <> o.id AND x.during && tstzrange(o.starts_at, o.ends_at)) AS clash,
       -- They withdrew from it or said no when asked: do not ask them again.
       (EXISTS (SELECT 1 FROM assignments x WHERE x.person_id = p.id AND x.occurrence_id = o.id
                AND x.status = 'withdrawn')
        OR EXISTS (SELECT 1 FROM cover_asks k JOIN cover_requests c ON c.id = k.request_id
                   WHERE k.person_id = p.id AND c.occurrence_id = o.id AND k.answer = 'no')) AS said_no,
       EXISTS (SELECT 1 FROM blackouts b WHERE b.person_id = p.id
               AND tstzrange(b.starts_at, b.ends_at) && tstzrange(o.starts_at, o.ends_at)) AS blacked_out,
       (SELECT coalesce(json_agg(json_build_object('weekday', av.weekday, 'start', av.start_local,
                                                   'end', av.end_local)), '[]')
        FROM availability av WHERE av.person_id = p.id)::text AS weekly,
       (SELECT coalesce(sum(h.hours), 0) FROM hours_ledger h
        WHERE h.person_id = p.id AND h.local_date >= :since_30)::float8 AS hours_30,
       (SELECT coalesce(sum(h.hours), 0) FROM hours_ledger h
        WHERE h.person_id = p.id AND h.local_date >= :since_90)::float8 AS hours_90,
       (SELECT coalesce(sum(extract(epoch FROM (oo.ends_at - oo.starts_at)) / 3600), 0)
        FROM assignments x JOIN occurrences oo ON oo.id = x.occurrence_id
        WHERE x.person_id = p.id AND x.status = 'active'
          AND oo.local_date >= :month_start AND oo.local_date < :month_end)::float8 AS month_hours,
       (SELECT count(*) FROM hours_ledger h WHERE h.person_id = p.id AND h.activity_id = o.activity_id) AS experience,
       -- Shifts she was on and did not come to, in the last 90 days.
       (SELECT count(*) FROM assignments x JOIN occurrences oo ON oo.id = x.occurrence_id
        WHERE x.person_id = p.id AND x.attendance = 'no_show' AND oo.local_date >= :since_90) AS no_shows_90
FROM people p
JOIN (SELECT DISTINCT person_id FROM memberships
      WHERE role IN ('volunteer', 'coordinator') AND organisation_id IN
    (SELECT a.organisation_id FROM occurrences oo JOIN activities a ON a.id = oo.activity_id
     WHERE oo.id = :occurrence_id
     UNION
     SELECT s.organisation_id FROM occurrences oo JOIN activity_shares s ON s.activity_id = oo.activity_id
     WHERE oo.id = :occurrence_id)) m ON m.person_id = p.id
CROSS JOIN occurrences o
WHERE o.id = :occurrence_id
ORDER BY p.id;

-- name: set_monthly_maximum(person_id, hours)!
UPDATE people SET max_hours_per_month = :hours WHERE id = :person_id;

-- name: open_request(occurrence_id, role_id, organisation_id, code, batch_size, answer_within, expires_at, created_by, now)^
INSERT INTO cover_requests (occurrence_id, activity_role_id, organisation_id, code, batch_size, answer_within,
                            expires_at, created_by, created_at)
VALUES (:occurrence_id, :role_id, :organisation_id, :code, :batch_size, :answer_within, :expires_at, :created_by, :now)
RETURNING *;

-- name: asked(request_id)
SELECT person_id, round, asked_at, answer, answered_at FROM cover_asks WHERE request_id = :request_id ORDER BY round, person_id;

-- name: add_ask(request_id, person_id, round, now)!
INSERT INTO cover_asks (request_id, person_id, round, asked_at) VALUES (:request_id, :person_id, :round, :now)
ON CONFLICT DO NOTHING;

-- name: ask_for_answer(person_id, code)^
-- The request a reply with this code answers: the person's most recent ask with that code.
SELECT r.*, k.answer AS my_answer
FROM cover_asks k JOIN cover_requests r ON r.id = k.request_id
WHERE k.person_id = :person_id AND r.code = :code
ORDER BY k.asked_at DESC
LIMIT 1;

-- name: record_answer(request_id, person_id, answer, now)!
UPDATE cover_asks SET answer = :answer, answered_at = :now
WHERE request_id = :request_id AND person_id = :person_id AND answer IS NULL;

-- name: claim_request(id, person_id, now)^
-- The first valid yes takes the place: only one update can find the request still open.
UPDATE cover_requests SET status = 'filled', filled_by = :person_id, filled_at = :now
WHERE id = :id AND status = 'open' AND expires_at > :now
RETURNING *;

-- name: set_request_assignment(id, assignment_id)!
UPDATE cover_requests SET assignment_id = :assignment_id WHERE id = :id;

-- name: waiting_askees(request_id)
SELECT person_id FROM cover_asks WHERE request_id = :request_id AND answer IS NULL;

-- name: expired_requests(now)
SELECT * FROM cover_requests WHERE status = 'open' AND expires_at <= :now ORDER BY id FOR UPDATE SKIP LOCKED;

-- name: extend_request(id, expires_at)!
UPDATE cover_requests SET expires_at = :expires_at WHERE id = :id;

-- name: close_request(id, status)!
UPDATE cover_requests SET status = :status WHERE id = :id AND status = 'open';

-- name: reopen_request(id)!
UPDATE cover_requests SET status = 'open', filled_by = NULL, filled_at = NULL WHERE id = :id;

-- name: role_name(request_id)$
SELECT r.name FROM cover_requests c JOIN activity_roles r ON r.id = c.activity_role_id WHERE c.id = :request_id;

-- name: escalating_organisations()
SELECT o.id, o.cover_batch_size,
       (SELECT min(m.person_id) FROM memberships m WHERE m.organisation_id = o.id AND m.role = 'coordinator') AS coordinator_id
FROM organisations o
WHERE o.escalation_enabled
  AND EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = o.id AND m.role = 'coordinator');

-- name: has_request(occurrence_id, role_id)$
-- Any request for this role that is open or already filled: the service does not ask twice.
SELECT EXISTS (SELECT 1 FROM cover_requests WHERE occurrence_id = :occurrence_id AND activity_role_id = :role_id
               AND status IN ('open', 'filled'));

-- name: offer_swap(assignment_id, offered_by, offered_to, now)^
INSERT INTO swap_offers (assignment_id, offered_by, offered_to, created_at)
VALUES (:assignment_id, :offered_by, :offered_to, :now)
RETURNING *;

-- name: swap_offer(id)^
SELECT s.*, asg.occurrence_id, asg.activity_role_id AS role_id, asg.status AS assignment_status
FROM swap_offers s JOIN assignments asg ON asg.id = s.assignment_id
WHERE s.id = :id;

-- name: claim_swap(id, taker, now)^
-- Only one taker can find the offer still open.
UPDATE swap_offers SET status = 'taken', taken_by = :taker, taken_at = :now
WHERE id = :id AND status = 'open'
RETURNING *;

-- name: set_swap_assignment(id, assignment_id)!
UPDATE swap_offers SET new_assignment_id = :assignment_id WHERE id = :id;

-- name: withdraw_swap(id, person_id)$
WITH gone AS (
    UPDATE swap_offers SET status = 'withdrawn' WHERE id = :id AND offered_by = :person_id AND status = 'open'
    RETURNING 1
)
SELECT count(*) FROM gone;

-- name: open_swaps(organisation_id, person_id)
-- Offers this person may take (or made): open, on activities the organisation sees, for anyone or for them.
SELECT s.id, s.assignment_id, s.offered_by, s.offered_to, s.created_at, asg.occurrence_id,
       asg.activity_role_id AS role_id, o.starts_at, a.title, a.time_zone
FROM swap_offers s
JOIN assignments asg ON asg.id = s.assignment_id
JOIN occurrences o ON o.id = asg.occurrence_id
JOIN activities a ON a.id = o.activity_id
WHERE s.status = 'open'
  AND (a.organisation_id = :organisation_id
       OR EXISTS (SELECT 1 FROM activity_shares sh WHERE sh.activity_id = a.id AND sh.organisation_id = :organisation_id))
  AND (s.offered_to IS NULL OR s.offered_to = :person_id OR s.offered_by = :person_id)
ORDER BY o.starts_at;

-- name: autofill_places(organisation_id, starts_from, starts_before)
-- Every role of the organisation's own scheduled occurrences in the period, with who is on it.
SELECT o.id AS occurrence_id, o.starts_at, o.ends_at, o.local_date, a.kind, a.id AS activity_id,
       r.id AS role_id, r.min_people, r.max_people,
       coalesce(array_agg(asg.person_id) FILTER (WHERE asg.id IS NOT NULL), '{}') AS people,
       coalesce((SELECT array_agg(lower(qt.name)) FROM activity_role_qualifications rq
                 JOIN qualification_types qt ON qt.id = rq.qualification_type_id
                 WHERE rq.activity_role_id = r.id), '{}') AS needs
FROM occurrences o
JOIN activities a ON a.id = o.activity_id
JOIN activity_roles r ON r.activity_id = a.id
LEFT JOIN assignments asg ON asg.occurrence_id = o.id AND asg.activity_role_id = r.id AND asg.status = 'active'
WHERE a.organisation_id = :organisation_id AND o.status = 'scheduled'
  AND o.starts_at >= :starts_from AND o.starts_at < :starts_before
GROUP BY o.id, a.id, r.id
ORDER BY o.starts_at, o.id, r.id;

-- name: autofill_people(organisation_id, since_30)
SELECT p.id, p.time_zone, p.max_hours_per_month,
       (SELECT coalesce(sum(h.hours), 0) FROM hours_ledger h WHERE h.person_id = p.id AND h.local_date >= :since_30)::float8 AS hours_30,
       (SELECT coalesce(json_agg(json_build_object('weekday', av.weekday, 'start', av.start_local, 'end', av.end_local)), '[]')
        FROM availability av WHERE av.person_id = p.id)::text AS weekly
FROM people p
WHERE p.id IN (SELECT person_id FROM memberships WHERE organisation_id = :organisation_id AND role IN ('volunteer', 'coordinator'))
ORDER BY p.id;

-- name: autofill_qualifications(organisation_id)
-- (person, qualification name, valid from, valid until) for the organisation's members.
SELECT pq.person_id, lower(qt.name) AS name, pq.valid_from, pq.valid_until
FROM person_qualifications pq JOIN qualification_types qt ON qt.id = pq.qualification_type_id
WHERE qt.organisation_id = :organisation_id;

-- name: autofill_busy(organisation_id, starts_from, starts_before)
-- Existing commitments of the members around the period: assignments and blackouts.
SELECT asg.person_id, lower(asg.during) AS starts_at, upper(asg.during) AS ends_at
FROM assignments asg
WHERE asg.status = 'active' AND NOT isempty(asg.during)
  AND asg.person_id IN (SELECT person_id FROM memberships WHERE organisation_id = :organisation_id)
  AND asg.during && tstzrange(:starts_from, :starts_before)
UNION ALL
SELECT b.person_id, b.starts_at, b.ends_at FROM blackouts b
WHERE b.person_id IN (SELECT person_id FROM memberships WHERE organisation_id = :organisation_id)
  AND tstzrange(b.starts_at, b.ends_at) && tstzrange(:starts_from, :starts_before);

-- name: cover_requests_between(organisation_id, starts_from, starts_before)
-- The board's view of cover requests: open ones beside their gap, filled ones as done.
SELECT r.id, r.occurrence_id, r.activity_role_id AS role_id, r.status, r.expires_at, r.filled_at,
       o.starts_at, a.title, a.time_zone, ar.name AS role_name, p.display_name AS filled_by_name,
       (SELECT count(*) FROM cover_asks k WHERE k.request_id = r.id) AS asked,
       -- asks held back by quiet hours: the board says when they go out
       (SELECT max(s.due_at) FROM outbox s
        WHERE s.key LIKE 'cover:' || r.id || ':%' AND s.status = 'pending' AND s.due_at > :starts_from) AS texts_wait_until
FROM cover_requests r
JOIN occurrences o ON o.id = r.occurrence_id
JOIN activities a ON a.id = o.activity_id
JOIN activity_roles ar ON ar.id = r.activity_role_id
LEFT JOIN people p ON p.id = r.filled_by
WHERE r.organisation_id = :organisation_id AND o.starts_at >= :starts_from AND o.starts_at < :starts_before
ORDER BY o.starts_at, r.id;

-- name: latest_request(organisation_id, occurrence_id, role_id, now)^
SELECT r.*, (SELECT max(s.due_at) FROM outbox s
        WHERE s.key LIKE 'cover:' || r.id || ':%' AND s.status = 'pending' AND s.due_at > :now) AS texts_wait_until
FROM cover_requests r
WHERE r.organisation_id = :organisation_id AND r.occurrence_id = :occurrence_id AND r.activity_role_id = :role_id
ORDER BY r.id DESC LIMIT 1;

-- name: get_request(id)^
SELECT * FROM cover_requests WHERE id = :id;

-- name: asks_with_answers(request_id)
SELECT k.person_id, p.display_name, k.round, k.asked_at, k.answer, k.answered_at
FROM cover_asks k JOIN people p ON p.id = k.person_id
WHERE k.request_id = :request_id
ORDER BY k.round, k.asked_at, p.display_name;

-- name: shift_page_facts(request_id, person_id)^
-- What a volunteer's shift page shows: the request, their own ask, the occurrence and the role.
SELECT r.id AS request_id, k.person_id, r.status, r.code, r.filled_by, r.organisation_id, r.occurrence_id, k.answer,
       o.starts_at, o.ends_at, o.status AS occurrence_status, o.place_id, a.title,
       (a.details #>> '{food_pickup,dropoff_place_id}')::bigint AS dropoff_place_id,
       ar.name AS role_name, p.display_name, p.language, p.time_zone
FROM cover_asks k
JOIN cover_requests r ON r.id = k.request_id
JOIN occurrences o ON o.id = r.occurrence_id
JOIN activities a ON a.id = o.activity_id
JOIN activity_roles ar ON ar.id = r.activity_role_id
JOIN people p ON p.id = k.person_id
WHERE k.request_id = :request_id AND k.person_id = :person_id;

-- name: occurrence_labels(ids)
SELECT o.id, o.starts_at, a.title, a.time_zone
FROM occurrences o JOIN activities a ON a.id = o.activity_id
WHERE o.id = ANY(:ids);

-- name: role_labels(ids)
SELECT id, name FROM activity_roles WHERE id = ANY(:ids);

-- name: people_names(organisation_id, ids)
-- Names of the organisation's own members only: a partner's volunteer shows as a number.
SELECT p.id, p.display_name
FROM people p JOIN memberships m ON m.person_id = p.id AND m.organisation_id = :organisation_id
WHERE p.id = ANY(:ids)
GROUP BY p.id;

-- name: monthly_maximum(person_id)$
SELECT max_hours_per_month FROM people WHERE id = :person_id;

-- name: colleagues(organisation_id, person_id)
-- The organisation's other volunteers, whom a shift can be offered to by name.
SELECT p.id, p.display_name
FROM people p JOIN memberships m ON m.person_id = p.id
WHERE m.organisation_id = :organisation_id AND m.role = 'volunteer' AND p.id <> :person_id
ORDER BY p.display_name, p.id;

-- What this context holds about a person (services/rota/privacy.py).

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

-- name: withdraw_offers_of(person_id)!
UPDATE swap_offers SET status = 'withdrawn' WHERE offered_by = :person_id AND status = 'open';
