-- name: weekly_of(person_id)
SELECT weekday, start_local, end_local FROM availability WHERE person_id = :person_id
ORDER BY weekday, start_local;

-- name: blackouts_of(person_id)
SELECT starts_at, ends_at, note FROM blackouts WHERE person_id = :person_id ORDER BY starts_at;

-- name: clear_weekly(person_id)!
DELETE FROM availability WHERE person_id = :person_id;

-- name: clear_blackouts(person_id)!
DELETE FROM blackouts WHERE person_id = :person_id;

-- name: add_weekly(person_id, weekday, start_local, end_local)!
INSERT INTO availability (person_id, weekday, start_local, end_local)
VALUES (:person_id, :weekday, :start_local, :end_local);

-- name: add_blackout(person_id, starts_at, ends_at, note)!
INSERT INTO blackouts (person_id, starts_at, ends_at, note) VALUES (:person_id, :starts_at, :ends_at, :note);

-- What this context holds about a person (services/availability/privacy.py).

-- name: export_availability(person_id)
SELECT to_jsonb(a) AS item FROM availability a WHERE a.person_id = :person_id ORDER BY a.id;

-- name: export_blackouts(person_id)
SELECT to_jsonb(b) AS item FROM blackouts b WHERE b.person_id = :person_id ORDER BY b.id;

-- name: erase_availability(person_id)!
-- What is only about her: her weeks and her days away.
WITH a AS (DELETE FROM availability WHERE person_id = :person_id)
DELETE FROM blackouts WHERE person_id = :person_id;
