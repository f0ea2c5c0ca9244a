-- name: hours_by_kind(organisation_id, first_day, next_month)
SELECT kind,
       round(sum(hours)::numeric, 2)::float8 AS hours,
       count(DISTINCT occurrence_id) AS occurrences,
       count(DISTINCT person_id) AS volunteers
FROM hours_ledger
WHERE organisation_id = :organisation_id AND local_date >= :first_day AND local_date < :next_month
GROUP BY kind
ORDER BY kind;

-- name: hours_by_activity(organisation_id, first_day, next_month)
SELECT h.activity_id, a.title, h.kind, round(sum(h.hours)::numeric, 2)::float8 AS hours,
       count(DISTINCT h.occurrence_id) AS occurrences, count(DISTINCT h.person_id) AS volunteers
FROM hours_ledger h JOIN activities a ON a.id = h.activity_id
WHERE h.organisation_id = :organisation_id AND h.local_date >= :first_day AND h.local_date < :next_month
GROUP BY h.activity_id, a.title, h.kind
ORDER BY hours DESC, a.title;

-- name: hours_by_volunteer(organisation_id, first_day, next_month)
SELECT h.person_id, p.display_name, round(sum(h.hours)::numeric, 2)::float8 AS hours,
       count(DISTINCT h.occurrence_id) AS occurrences
FROM hours_ledger h JOIN people p ON p.id = h.person_id
WHERE h.organisation_id = :organisation_id AND h.local_date >= :first_day AND h.local_date < :next_month
GROUP BY h.person_id, p.display_name
ORDER BY hours DESC, p.display_name;

-- name: hours_of_person(organisation_id, person_id, first_day)
-- One person's attended hours per month, newest first: proof of volunteering, and the person page.
SELECT to_char(local_date, 'YYYY-MM') AS month, round(sum(hours)::numeric, 2)::float8 AS hours,
       count(DISTINCT occurrence_id) AS occurrences
FROM hours_ledger
WHERE organisation_id = :organisation_id AND person_id = :person_id AND local_date >= :first_day
GROUP BY 1
ORDER BY 1 DESC;

-- name: insert_report_link(organisation_id, shared_by, month, names, now, expires_at)$
INSERT INTO report_links (organisation_id, shared_by, month, names, created_at, expires_at)
VALUES (:organisation_id, :shared_by, :month, :names, :now, :expires_at)
RETURNING id;

-- name: live_report_link(id, now)^
-- A link works while not switched off, not expired, and its sharer is still a coordinator there.
SELECT l.id, l.organisation_id, l.shared_by, l.month, l.names
FROM report_links l
JOIN memberships m ON m.organisation_id = l.organisation_id AND m.person_id = l.shared_by AND m.role = 'coordinator'
WHERE l.id = :id AND l.revoked_at IS NULL AND l.expires_at > :now;

-- name: report_links_of(organisation_id, now)
-- The organisation's working report links, newest first, with who shared each.
SELECT l.id, l.month, l.names, l.created_at, l.expires_at, p.display_name AS shared_by
FROM report_links l
JOIN people p ON p.id = l.shared_by
JOIN memberships m ON m.organisation_id = l.organisation_id AND m.person_id = l.shared_by AND m.role = 'coordinator'
WHERE l.organisation_id = :organisation_id AND l.revoked_at IS NULL AND l.expires_at > :now
ORDER BY l.id DESC;

-- name: revoke_report_link(organisation_id, id, now)$
UPDATE report_links SET revoked_at = :now
WHERE organisation_id = :organisation_id AND id = :id AND revoked_at IS NULL
RETURNING id;

-- What this context holds about a person (services/hours/privacy.py).

-- name: hours_by_month(person_id, organisation_id)
SELECT to_char(o.starts_at AT TIME ZONE a.time_zone, 'YYYY-MM') AS month,
       round(sum(extract(epoch FROM o.ends_at - o.starts_at)) / 3600.0, 2) AS hours, count(*) AS dates
FROM assignments asg
JOIN occurrences o ON o.id = asg.occurrence_id
JOIN activities a ON a.id = o.activity_id
WHERE asg.person_id = :person_id AND asg.attendance = 'attended'
  AND (:organisation_id::bigint IS NULL OR a.organisation_id = :organisation_id)
GROUP BY 1 ORDER BY 1;

-- name: revoke_report_links_of(person_id, now)!
-- The report links she shared stop working.
UPDATE report_links SET revoked_at = coalesce(revoked_at, :now) WHERE shared_by = :person_id;

-- name: export_report_links(person_id, organisation_id)
-- The report links she shared.
SELECT to_jsonb(r) AS item FROM report_links r
WHERE r.shared_by = :person_id AND (:organisation_id::bigint IS NULL OR r.organisation_id = :organisation_id);
