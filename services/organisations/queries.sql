-- name: get_organisation(id)^
SELECT id, slug, name, kind, country, default_language, time_zone, withdrawal_cutoff_hours, horizon_weeks,
       escalation_enabled, cover_batch_size, booking_reminder_days, created_at
FROM organisations WHERE id = :id;

-- name: get_organisation_by_slug(slug)^
SELECT id, slug, name, kind, country, default_language, time_zone, withdrawal_cutoff_hours, horizon_weeks,
       escalation_enabled, cover_batch_size, booking_reminder_days, created_at
FROM organisations WHERE slug = :slug;

-- name: insert_organisation(slug, name, kind, country, default_language, time_zone)^
INSERT INTO organisations (slug, name, kind, country, default_language, time_zone)
VALUES (:slug, :name, :kind, :country, :default_language, :time_zone)
RETURNING id, slug, name, kind, country, default_language, time_zone, withdrawal_cutoff_hours, horizon_weeks,
          escalation_enabled, cover_batch_size, booking_reminder_days, created_at;

-- name: update_organisation(id, name, default_language, time_zone, withdrawal_cutoff_hours, horizon_weeks, escalation_enabled, cover_batch_size, booking_reminder_days)^
-- NULL keeps the current value.
UPDATE organisations
SET name = coalesce(:name, name),
    default_language = coalesce(:default_language, default_language),
    time_zone = coalesce(:time_zone, time_zone),
    withdrawal_cutoff_hours = coalesce(:withdrawal_cutoff_hours, withdrawal_cutoff_hours),
    horizon_weeks = coalesce(:horizon_weeks, horizon_weeks),
    escalation_enabled = coalesce(:escalation_enabled, escalation_enabled),
    cover_batch_size = coalesce(:cover_batch_size, cover_batch_size),
    booking_reminder_days = coalesce(:booking_reminder_days, booking_reminder_days)
WHERE id = :id
RETURNING id, slug, name, kind, country, default_language, time_zone, withdrawal_cutoff_hours, horizon_weeks,
          escalation_enabled, cover_batch_size, booking_reminder_days, created_at;

-- name: names_of(ids)
-- The names of partner organisations an activity is shared with, to show on its page.
SELECT id, slug, name FROM organisations WHERE id = ANY(:ids) ORDER BY name;
