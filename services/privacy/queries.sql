-- Erasure and retention as a whole: the person's row locked, who is due, who is inactive. What each
-- table holds about her is its own context's (services/<context>/privacy.py).

-- name: allow_erasure()!
-- The one change besides retention that may rewrite the audit trail, for this transaction only.
SELECT set_config('volops.audit_maintenance', 'erasure', true);

-- name: person_to_erase(person_id)^
SELECT id, display_name, phone, erased_at FROM people WHERE id = :person_id FOR UPDATE;

-- name: coming_assignments(person_id, now)
SELECT asg.id FROM assignments asg JOIN occurrences o ON o.id = asg.occurrence_id
WHERE asg.person_id = :person_id AND asg.status = 'active' AND o.starts_at > :now;

-- name: allow_retention()!
SELECT set_config('volops.audit_maintenance', 'retention', true);

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
