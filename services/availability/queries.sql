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
