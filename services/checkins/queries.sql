-- name: ask_ended_visits(now, since)
-- Everyone on an outreach visit that has just ended gets one check-in row (a second run adds none);
-- what comes back is whom to text, with the code their answer may carry.
WITH asked AS (
    INSERT INTO check_ins (occurrence_id, person_id, asked_at)
    SELECT o.id, asg.person_id, :now
    FROM occurrences o
    JOIN activities a ON a.id = o.activity_id
    JOIN assignments asg ON asg.occurrence_id = o.id AND asg.status = 'active'
    WHERE a.kind = 'outreach_visit' AND o.status = 'scheduled' AND o.ends_at <= :now AND o.ends_at > :since
    ON CONFLICT DO NOTHING
    RETURNING occurrence_id, person_id
)
SELECT asked.occurrence_id, asked.person_id, a.title, a.organisation_id, asg.code
FROM asked
JOIN occurrences o ON o.id = asked.occurrence_id
JOIN activities a ON a.id = o.activity_id
JOIN assignments asg ON asg.occurrence_id = asked.occurrence_id AND asg.person_id = asked.person_id
                     AND asg.status = 'active';

-- name: visits_to_alert(now, level, since)
-- Ended visits where nobody has checked in and this level's alert is due and not yet written:
-- level 1 at the check-in window after the end, level 2 thirty minutes after that.
SELECT o.id AS occurrence_id, a.organisation_id, a.title, a.time_zone, o.ends_at
FROM occurrences o
JOIN activities a ON a.id = o.activity_id
JOIN organisations g ON g.id = a.organisation_id
WHERE o.ends_at > :since
  AND o.ends_at + make_interval(mins => coalesce(a.check_in_minutes, g.check_in_minutes) + (:level - 1) * 30) <= :now
  AND EXISTS (SELECT 1 FROM check_ins c WHERE c.occurrence_id = o.id)
  AND NOT EXISTS (SELECT 1 FROM check_ins c WHERE c.occurrence_id = o.id AND c.safe_at IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM check_in_alerts x WHERE x.occurrence_id = o.id AND x.level = :level)
ORDER BY o.ends_at, o.id;

-- name: insert_alert(occurrence_id, level, now)$
INSERT INTO check_in_alerts (occurrence_id, level, sent_at) VALUES (:occurrence_id, :level, :now)
ON CONFLICT DO NOTHING
RETURNING level;

-- name: pair(occurrence_id)
-- Who was on the visit, as the alert names them: first name and number.
SELECT split_part(p.display_name, ' ', 1) AS first_name, p.phone
FROM check_ins c JOIN people p ON p.id = c.person_id
WHERE c.occurrence_id = :occurrence_id
ORDER BY p.display_name, p.id;

-- name: waiting_check_in(person_id, code, since)^
-- The visit whose check-in an answer is: the one its code names, else her latest waiting one.
SELECT c.occurrence_id, a.organisation_id, a.title,
       EXISTS (SELECT 1 FROM check_ins s WHERE s.occurrence_id = c.occurrence_id AND s.safe_at IS NOT NULL) AS someone_safe,
       (SELECT max(level) FROM check_in_alerts x WHERE x.occurrence_id = c.occurrence_id) AS alerted
FROM check_ins c
JOIN occurrences o ON o.id = c.occurrence_id
JOIN activities a ON a.id = o.activity_id
LEFT JOIN assignments asg ON asg.occurrence_id = c.occurrence_id AND asg.person_id = c.person_id
                          AND asg.status = 'active'
WHERE c.person_id = :person_id AND c.safe_at IS NULL AND c.asked_at > :since
  AND (:code::text IS NULL OR asg.code = :code)
ORDER BY c.asked_at DESC, c.occurrence_id DESC
LIMIT 1;

-- name: mark_safe(occurrence_id, person_id, now)!
UPDATE check_ins SET safe_at = coalesce(safe_at, :now)
WHERE occurrence_id = :occurrence_id AND person_id = :person_id;

-- name: states(occurrence_ids)
-- Each visit's check-in as the pages show it.
SELECT c.occurrence_id,
       CASE WHEN bool_or(c.safe_at IS NOT NULL) THEN 'safe'
            WHEN EXISTS (SELECT 1 FROM check_in_alerts x WHERE x.occurrence_id = c.occurrence_id) THEN 'alerted'
            ELSE 'waiting' END AS state
FROM check_ins c
WHERE c.occurrence_id = ANY(:occurrence_ids)
GROUP BY c.occurrence_id;

-- name: set_on_duty(organisation_id, person_id, now)!
INSERT INTO on_duty (organisation_id, person_id, since) VALUES (:organisation_id, :person_id, :now)
ON CONFLICT DO NOTHING;

-- name: set_off_duty(organisation_id, person_id)!
DELETE FROM on_duty WHERE organisation_id = :organisation_id AND person_id = :person_id;

-- name: is_on_duty(organisation_id, person_id)$
SELECT EXISTS (SELECT 1 FROM on_duty WHERE organisation_id = :organisation_id AND person_id = :person_id);

-- name: first_name(person_id)$
SELECT split_part(display_name, ' ', 1) FROM people WHERE id = :person_id;

-- name: set_organisation_window(organisation_id, minutes)!
UPDATE organisations SET check_in_minutes = :minutes WHERE id = :organisation_id;

-- name: set_activity_window(organisation_id, activity_id, minutes)$
UPDATE activities SET check_in_minutes = :minutes
WHERE id = :activity_id AND organisation_id = :organisation_id
RETURNING id;

-- name: windows(organisation_id)^
SELECT check_in_minutes AS minutes FROM organisations WHERE id = :organisation_id;

-- What this context holds about a person (services/checkins/privacy.py).

-- name: export_check_ins_and_duty(person_id)
SELECT to_jsonb(c) AS item FROM check_ins c WHERE c.person_id = :person_id
UNION ALL
SELECT to_jsonb(d) AS item FROM on_duty d WHERE d.person_id = :person_id;

-- name: erase_duty(person_id)!
DELETE FROM on_duty WHERE person_id = :person_id;
