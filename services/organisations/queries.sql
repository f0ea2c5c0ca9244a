-- name: get_organisation(id)^
SELECT id, slug, name, kind, country, default_language, time_zone, withdrawal_cutoff_hours, horizon_weeks, created_at
FROM organisations WHERE id = :id;

-- name: get_organisation_by_slug(slug)^
SELECT id, slug, name, kind, country, default_language, time_zone, withdrawal_cutoff_hours, horizon_weeks, created_at
FROM organisations WHERE slug = :slug;

-- name: insert_organisation(slug, name, kind, country, default_language, time_zone)^
INSERT INTO organisations (slug, name, kind, country, default_language, time_zone)
VALUES (:slug, :name, :kind, :country, :default_language, :time_zone)
RETURNING id, slug, name, kind, country, default_language, time_zone, withdrawal_cutoff_hours, horizon_weeks, created_at;

-- name: update_organisation(id, name, default_language, time_zone, withdrawal_cutoff_hours, horizon_weeks)^
-- NULL keeps the current value.
UPDATE organisations
SET name = coalesce(:name, name),
    default_language = coalesce(:default_language, default_language),
    time_zone = coalesce(:time_zone, time_zone),
    withdrawal_cutoff_hours = coalesce(:withdrawal_cutoff_hours, withdrawal_cutoff_hours),
    horizon_weeks = coalesce(:horizon_weeks, horizon_weeks)
WHERE id = :id
RETURNING id, slug, name, kind, country, default_language, time_zone, withdrawal_cutoff_hours, horizon_weeks, created_at;
